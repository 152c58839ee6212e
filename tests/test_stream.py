"""`rhetorica score` streams: chunked reading, parts + atomic rename, --resume after SIGKILL, --jobs.

Every comparison is against the in-memory path (read the whole file, ``analyze_frame``, write once), which is
what ``rhetorica score`` did before it streamed; the output must not change row for row.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rhetorica.cli import main
from rhetorica.detectors.base import REGISTRY, Detector
from rhetorica.pipeline import Analyzer
from rhetorica.scoring import RowError, analyze_frame
from rhetorica.stream import (ScoreJob, StreamError, _manifest, _write_part, iter_chunks, partial_dir, read_table,
                              run, torch_threads_per_job)

ROOT = Path(__file__).resolve().parents[1]
#: Two rule detectors and one encoder head: the encoder path runs, and the files stay small and fast.
DETS = "boilerplate,quote,rhetorical_question"
RULES = "boilerplate,quote"


@pytest.fixture(scope="module")
def corpus(wikinews) -> pd.DataFrame:
    """The 23 shortest articles (in file order, so the encoder pass stays cheap) plus two bad rows (a missing
    text, a number) in the middle."""
    short = wikinews.text.str.len().nsmallest(23).index.sort_values()
    df = wikinews.loc[short, ["id", "title", "text"]].reset_index(drop=True).astype({"text": "object"})
    df.loc[4, "text"] = None
    df.loc[11, "text"] = 42
    return df.reset_index(drop=True)


def _write(df: pd.DataFrame, path: Path) -> None:
    if path.suffix == ".csv":
        df.to_csv(path, index=False)
    elif path.suffix == ".jsonl":
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        df.to_parquet(path, index=False)


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    return pd.read_parquet(path)


def _in_memory(inp: Path, out: Path, spans: Path | None, detectors: str, keep_text: bool = False) -> None:
    """The reference: the whole file in memory, one analyze_frame call, one write."""
    df = read_table(inp)
    scores, sp = analyze_frame(df, "text", detectors=detectors.split(","), errors="coerce", progress=False,
                               spans=spans is not None)
    keep = df[[c for c in df.columns if c != "text" or keep_text]]
    _write(pd.concat([keep, scores], axis=1), out)
    if spans is not None:
        _write(sp, spans)


@pytest.mark.parametrize("src, dst, spans", [(".jsonl", ".parquet", ".csv"), (".csv", ".jsonl", ".parquet"),
                                             (".parquet", ".csv", ".jsonl")])
def test_stream_equals_in_memory_row_for_row(tmp_path, corpus, src, dst, spans):
    df = corpus if src == ".jsonl" else corpus.assign(text=corpus.text.map(lambda t: t if isinstance(t, str)
                                                                           else None))
    inp = tmp_path / f"in{src}"
    _write(df, inp)
    out, sp = tmp_path / f"out{dst}", tmp_path / f"spans{spans}"
    rc = main(["score", str(inp), "-o", str(out), "--spans", str(sp), "--detectors", DETS, "--chunk-size", "5",
               "--no-progress"])
    assert rc == 0
    ref, ref_sp = tmp_path / f"ref{dst}", tmp_path / f"ref_spans{spans}"
    _in_memory(inp, ref, ref_sp, DETS)
    got, want = _read(out), _read(ref)
    assert list(got["id"]) == list(corpus["id"])  # every row, in input order
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(_read(sp), _read(ref_sp))
    assert got["quote_count"].notna().sum() == len(corpus) - 2
    assert not partial_dir(out).exists()  # a finished run leaves nothing behind


def test_stream_error_column_for_bad_rows(tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.parquet"
    lines = ['{"id": "a", "text": "\\"We will win,\\" said Jane Doe."}',
             '{"id": "b", "text": null}',
             '{"id": "c", "text": 42}',
             '{"id": "d"}',
             '{"id": "e", "text": "The council met on Monday."}',
             '{"id": "f", "body": "no text key anywhere in this chunk"}']
    inp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["score", str(inp), "-o", str(out), "--detectors", RULES, "--chunk-size", "5",
                 "--no-progress"]) == 0
    df = pd.read_parquet(out)
    assert list(df["id"]) == list("abcdef")
    assert df.loc[0, "quote_count"] == 1 and df.loc[4, "quote_count"] == 0
    assert df["error"].isna().tolist() == [True, False, False, False, True, False]
    assert "missing" in df.loc[1, "error"] and "got int" in df.loc[2, "error"]
    assert "missing" in df.loc[3, "error"] and "missing" in df.loc[5, "error"]
    assert df.loc[[1, 2, 3, 5], "quote_count"].isna().all()


def test_stream_errors_raise_names_the_row_and_keeps_finished_chunks(tmp_path, corpus, capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.csv"
    _write(corpus, inp)
    rc = main(["score", str(inp), "-o", str(out), "--detectors", RULES, "--chunk-size", "3", "--errors", "raise",
               "--no-progress"])
    assert rc == 2 and "Row 4" in capsys.readouterr().err
    assert not out.exists()
    assert len(list(partial_dir(out).glob("scores-*.parquet"))) == 1  # rows 0-2 were done and are kept


def test_stream_invalid_json_line_is_named(tmp_path, capsys):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"text": "Fine."}\n{"text": "broken\n', encoding="utf-8")
    assert main(["score", str(inp), "-o", str(tmp_path / "o.csv"), "--detectors", RULES, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "invalid JSON" in err and "line" in err
    assert not partial_dir(tmp_path / "o.csv").exists()


def test_stream_reads_in_chunks_with_file_positions(tmp_path, corpus):
    for ext in (".csv", ".jsonl", ".parquet"):
        inp = tmp_path / f"in{ext}"
        _write(corpus.assign(text=corpus.text.astype(str)), inp)
        chunks = list(iter_chunks(inp, 10))
        assert [k for k, _ in chunks] == [0, 1, 2]
        assert [len(c) for _, c in chunks] == [10, 10, 3]
        assert list(pd.concat([c for _, c in chunks]).index) == list(range(23))
        skipped = list(iter_chunks(inp, 10, parse=lambda k: k != 1))
        assert skipped[1][1] is None and list(skipped[2][1].index) == [20, 21, 22]


def test_stream_refuses_to_clobber_an_unfinished_run(tmp_path, corpus, capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.parquet"
    _write(corpus, inp)
    work = partial_dir(out)
    job = ScoreJob(str(inp), str(out), detectors=RULES.split(","), chunk_size=5)
    # an unfinished run: its manifest and one finished chunk
    run(job, progress=False)
    ref = pd.read_parquet(out)
    out.unlink()
    work.mkdir()
    (work / "manifest.json").write_text(json.dumps(_manifest(job)))
    _write_part(ref.iloc[:5], work / "scores-000000.parquet")
    assert main(["score", str(inp), "-o", str(out), "--detectors", RULES, "--chunk-size", "5",
                 "--no-progress"]) == 2
    assert "--resume" in capsys.readouterr().err and work.exists()
    # an option that changes the output cannot be resumed
    assert main(["score", str(inp), "-o", str(out), "--detectors", RULES, "--chunk-size", "5", "--keep-text",
                 "--resume", "--no-progress"]) == 2
    assert "keep_text" in capsys.readouterr().err
    with pytest.raises(StreamError, match="chunk_size"):
        run(ScoreJob(str(inp), str(out), detectors=RULES.split(","), chunk_size=6), resume=True, progress=False)
    # nor a run begun on another encoder: an unfinished run of the old fp32 default, resumed under the int8 one
    # (rules only here, where no encoder runs and the option is None; with a model detector it is the precision)
    assert _manifest(job)["options"]["encoder_resolved"] is None
    assert _manifest(ScoreJob(str(inp), str(out), detectors=["media_bias"]))["options"]["encoder_resolved"] == "int8"
    begun = _manifest(job)
    begun["options"]["encoder_resolved"] = "fp32"
    (work / "manifest.json").write_text(json.dumps(begun))
    with pytest.raises(StreamError, match="encoder_resolved was 'fp32', now None"):
        run(job, resume=True, progress=False)
    (work / "manifest.json").write_text(json.dumps(_manifest(job)))
    # a changed input cannot be resumed
    os.utime(inp, ns=(time.time_ns(), time.time_ns() + 10**9))
    with pytest.raises(StreamError, match="modified"):
        run(job, resume=True, progress=False)
    assert main(["score", str(inp), "-o", str(out), "--detectors", RULES, "--chunk-size", "5", "--restart",
                 "--no-progress"]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(out), ref)
    assert not work.exists()


def test_stream_resume_after_sigkill(tmp_path, wikinews):
    """A real crash: SIGKILL the CLI once some chunks are done, then --resume; same rows as an unbroken run."""
    big = pd.concat([wikinews[["id", "title", "text"]]] * 3, ignore_index=True)
    big["id"] = [f"{i}-{j}" for j, i in enumerate(big["id"])]
    inp, out = tmp_path / "big.jsonl", tmp_path / "out.parquet"
    _write(big, inp)
    cmd = [sys.executable, "-m", "rhetorica.cli", "score", str(inp), "-o", str(out), "--detectors", RULES,
           "--chunk-size", "20", "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    work = partial_dir(out)
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None and not list(work.glob("scores-*.parquet")):
        time.sleep(0.005)
    ended = proc.poll()
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate()
    assert ended is None, f"the run ended (rc={ended}) before it could be killed: {err.decode()[-500:]}"
    assert proc.returncode == -signal.SIGKILL
    n_chunks = -(-len(big) // 20)
    done = len(list(work.glob("scores-*.parquet")))
    assert 1 <= done < n_chunks and not out.exists()  # killed mid-run: nothing that looks finished

    res = subprocess.run(cmd + ["--resume"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "chunks from the earlier run" in res.stderr
    got = pd.read_parquet(out)
    assert len(got) == len(big) and list(got["id"]) == list(big["id"])  # all rows, in order, none twice
    assert got["id"].is_unique and not work.exists()
    ref = tmp_path / "ref.parquet"  # an uninterrupted run of the same command
    cmd[cmd.index(str(out))] = str(ref)
    subprocess.run(cmd, cwd=tmp_path, env=env, check=True, capture_output=True, timeout=120)
    pd.testing.assert_frame_equal(got, pd.read_parquet(ref))


def test_stream_jobs_2_equals_jobs_1(tmp_path, corpus):
    inp = tmp_path / "in.jsonl"
    _write(pd.concat([corpus] * 2, ignore_index=True), inp)
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.parquet"
        sp = tmp_path / f"spans{jobs}.parquet"
        assert main(["score", str(inp), "-o", str(out), "--spans", str(sp), "--detectors", RULES, "--chunk-size",
                     "4", "--jobs", str(jobs), "--no-progress"]) == 0
        outs.append((pd.read_parquet(out), pd.read_parquet(sp)))
    pd.testing.assert_frame_equal(outs[0][0], outs[1][0])
    pd.testing.assert_frame_equal(outs[0][1], outs[1][1])
    assert len(outs[1][0]) == 2 * len(corpus)


def test_stream_torch_threads_split_the_cores():
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert torch_threads_per_job(1) == cores
    assert torch_threads_per_job(cores) == 1
    assert torch_threads_per_job(10 * cores) == 1


def test_stream_options_are_checked_before_work(tmp_path, corpus, capsys):
    inp = tmp_path / "in.jsonl"
    _write(corpus, inp)
    with pytest.raises(SystemExit):
        main(["score", str(inp), "-o", str(tmp_path / "o.csv"), "--jobs", "0"])
    assert "at least 1" in capsys.readouterr().err
    assert main(["score", str(inp), "-o", str(inp)]) == 2
    assert "must not be the input" in capsys.readouterr().err
    assert main(["score", str(inp), "-o", str(tmp_path / "o.csv"), "--detectors", "nope"]) == 2
    assert "Unknown detector 'nope'" in capsys.readouterr().err
    assert not partial_dir(tmp_path / "o.csv").exists()


class _Exploding(Detector):
    """Fails on one text, to check that a detector's failure costs that row only."""

    name = "exploding_test_detector"
    labels = ()
    score_names = ("exploding_test_score",)

    def detect(self, doc):
        if "EXPLODE" in doc.text:
            raise RuntimeError("cannot handle this text")
        return []

    def scores(self, doc, spans):
        return {"exploding_test_score": 1.0}


def test_scoring_a_failing_text_costs_only_its_row():
    REGISTRY[_Exploding.name] = _Exploding
    try:
        an = Analyzer(detectors=["quote", _Exploding.name], batch_size=4)
        texts = pd.Series(['"Yes," said Ann Lee.', "EXPLODE here.", "Fine text.", None, "Also fine."])
        scores, _ = analyze_frame(texts, errors="coerce", analyzer=an, spans=False, progress=False)
        assert scores["error"].tolist()[:4] == [None, "analysis failed: RuntimeError: cannot handle this text",
                                                None, "text is missing (None/NaN)"]
        assert scores["exploding_test_score"].iloc[[0, 2, 4]].tolist() == [1.0, 1.0, 1.0]
        assert np.isnan(scores["exploding_test_score"].iloc[1])
        assert scores["quote_count"].iloc[0] == 1 and scores["exploding_test_score"].iloc[4] == 1.0
        # errors="raise" names the row that failed, and keeps the detector's exception as the cause
        with pytest.raises(RowError, match=r"Row 1: analysis failed: RuntimeError: cannot handle") as info:
            analyze_frame(texts.iloc[:3], errors="raise", analyzer=an, spans=False, progress=False)
        assert isinstance(info.value.__cause__, RuntimeError)
    finally:
        REGISTRY.pop(_Exploding.name, None)


class _ExplodingModel(_Exploding):
    """The same failure in a detector that reads the encoder pass (it runs after the batch's encoder pass)."""

    name = "exploding_model_test_detector"
    needs_encoder = True


def test_a_failing_model_detector_costs_only_its_row_and_batches_keep_their_order():
    REGISTRY[_ExplodingModel.name] = _ExplodingModel
    try:
        an = Analyzer(detectors=["quote", "subjectivity", _ExplodingModel.name], batch_size=2)
        texts = pd.Series(["The council met on Tuesday.", '"We will win," said Ann Lee.', "Prices rose again.",
                           "EXPLODE here, in the second batch.", "This is a disgraceful scheme!", "Rain fell."],
                          index=list("abcdef"))
        scores, _ = analyze_frame(texts, errors="coerce", analyzer=an, spans=False, progress=False)
        assert scores.index.tolist() == list("abcdef")
        assert scores["error"].tolist() == [None, None, None, "analysis failed: RuntimeError: cannot handle this text",
                                            None, None]
        alone = [an(t) for t in texts.drop("d")]
        for rid, a in zip("abcef", alone):
            assert scores.loc[rid, "subjectivity_share"] == pytest.approx(a.scores["subjectivity_share"], nan_ok=True)
            assert scores.loc[rid, "quote_count"] == a.scores["quote_count"]
        # Analyzer.pipe raises the failure, after the batches before it are out
        out = []
        with pytest.raises(RuntimeError, match="cannot handle"):
            for a in an.pipe(texts.tolist()):
                out.append(a.text)
        assert out == texts.tolist()[:2]
    finally:
        REGISTRY.pop(_ExplodingModel.name, None)


def test_pipe_raises_on_a_bad_text_after_the_texts_before_it():
    an = Analyzer(detectors=["quote", "subjectivity"], batch_size=2)
    good = ["The council met on Tuesday.", "Prices rose again.", "Rain fell."]
    out = []
    with pytest.raises(TypeError, match="expected str, got int"):
        for a in an.pipe([*good, 42]):
            out.append(a.text)
    assert out == good[:2]  # the batch that holds the bad text is not run
