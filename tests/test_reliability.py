"""The command line and the loaders under wrong paths, odd files and broken installs.

Each test is one way a real run has gone wrong: writing over the input, output that depends on --chunk-size,
a broken model that passed as success, unclear errors, a leaked environment variable, orphaned workers.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from rhetorica.cli import main
from rhetorica.text.segment import sentences

ROOT = Path(__file__).resolve().parents[1]
RULES = "boilerplate,quote"
TEXTS = ['"We will win," said Ann Lee. Why not?', "1984", "TRUE", "=SUM(A1:A2) is a formula?", "Plain words here."]


def _csv(tmp_path: Path) -> Path:
    p = tmp_path / "in.csv"
    pd.DataFrame({"id": ["007", "010", "1e3", "NA", "-5"], "text": TEXTS}).to_csv(p, index=False)
    return p


def _run(*argv: str) -> int:
    return main(["score", *argv, "--no-progress", "--detectors", RULES])


# -- paths ---------------------------------------------------------------------------------------------------------
def test_output_or_spans_never_replace_the_input(tmp_path, capsys):
    inp = _csv(tmp_path)
    before = inp.read_bytes()
    assert _run(str(inp), "-o", str(tmp_path / "o.csv"), "--spans", str(inp)) == 2
    assert "spans file must not be the input" in capsys.readouterr().err
    assert _run(str(inp), "-o", str(tmp_path / "." / "in.csv")) == 2
    assert "must not be the input" in capsys.readouterr().err
    link = tmp_path / "link.csv"
    link.symlink_to(inp)
    assert _run(str(link), "-o", str(inp)) == 2  # the same file under another name
    assert inp.read_bytes() == before
    assert not (tmp_path / "o.csv").exists()


def test_spans_and_scores_need_their_own_files(tmp_path, capsys):
    inp = _csv(tmp_path)
    out = tmp_path / "o.csv"
    assert _run(str(inp), "-o", str(out), "--spans", str(out)) == 2
    assert "--spans and -o are the same file" in capsys.readouterr().err
    assert not out.exists()


# -- values come out as they went in, whatever the chunk size -----------------------------------------------------
@pytest.mark.parametrize("fmt", [".csv", ".jsonl"])
def test_output_does_not_depend_on_chunk_size(tmp_path, fmt):
    inp = _csv(tmp_path)
    if fmt == ".jsonl":
        src = inp
        inp = tmp_path / "in.jsonl"
        rows = pd.read_csv(src, dtype=str, keep_default_na=False).to_dict("records")
        rows[2]["n"] = 3  # one JSON number among strings in a kept column
        inp.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    outs = []
    for size in ("1", "2", "100"):
        out = tmp_path / f"o{size}.csv"
        assert _run(str(inp), "-o", str(out), "--chunk-size", size) == 0
        outs.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1] == outs[2]
    got = pd.read_csv(tmp_path / "o1.csv", dtype=str, keep_default_na=False)
    assert got["id"].tolist() == ["007", "010", "1e3", "NA", "-5"]
    assert (got["error"] == "").all(), got["error"].tolist()  # "1984" and "TRUE" are texts, not errors


def test_csv_safe_output_for_spreadsheets(tmp_path):
    inp = _csv(tmp_path)
    out = tmp_path / "o.csv"
    assert _run(str(inp), "-o", str(out), "--keep-text", "--csv-safe") == 0
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert got["text"][3] == "'=SUM(A1:A2) is a formula?"
    assert got["id"][4] == "'-5"
    assert got["text"][0] == TEXTS[0]  # everything else untouched
    plain = tmp_path / "p.csv"
    assert _run(str(inp), "-o", str(plain), "--keep-text") == 0
    assert pd.read_csv(plain, dtype=str)["text"][3] == TEXTS[3]  # default: written as is


# -- clear errors --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad,kind", [("42", "a number"), ("null", "null"), ('["a"]', "an array")])
def test_jsonl_record_that_is_not_an_object(tmp_path, capsys, bad, kind):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"text": "One."}\n\n' + bad + '\n{"text": "Two."}\n', encoding="utf-8")
    assert _run(str(inp), "-o", str(tmp_path / "o.csv")) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and kind in err and "not an object" in err


def test_non_utf8_input_names_the_line_and_the_way_out(tmp_path, capsys):
    inp = tmp_path / "in.csv"
    inp.write_bytes('id,text\n1,"Fine."\n2,"Caf\xe9 au lait?"\n'.encode("latin-1"))
    assert _run(str(inp), "-o", str(tmp_path / "o.csv")) == 2
    err = capsys.readouterr().err
    assert "not valid utf-8 at line 3" in err and "--encoding" in err
    assert _run(str(inp), "-o", str(tmp_path / "o.csv"), "--encoding", "latin-1", "--keep-text") == 0
    assert pd.read_csv(tmp_path / "o.csv")["text"][1] == "Café au lait?"
    assert _run(str(inp), "-o", str(tmp_path / "r.csv"), "--encoding-errors", "replace", "--keep-text") == 0
    assert "\ufffd" in pd.read_csv(tmp_path / "r.csv")["text"][1]


def test_invalid_model_manifest_is_a_clear_error(tmp_path, monkeypatch):
    from rhetorica.classifiers.heads import ChecksumError, read_manifest

    (tmp_path / "MANIFEST.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ChecksumError, match="manifest .* is unreadable"):
        read_manifest(tmp_path)


# -- a broken install stops the run ------------------------------------------------------------------------------
def _broken_models(tmp_path: Path) -> Path:
    from rhetorica.classifiers.heads import models_dir

    dest = tmp_path / "models"
    shutil.copytree(models_dir(), dest, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    w = dest / "rhetorical_question" / "weights.npz"
    w.write_bytes(w.read_bytes()[:-100] + b"\0" * 100)
    return dest


@pytest.mark.slow
def test_corrupted_model_fails_the_run_not_every_row(tmp_path):
    inp = _csv(tmp_path)
    env = dict(os.environ, RHETORICA_MODELS=str(_broken_models(tmp_path)))
    out = tmp_path / "o.csv"
    proc = subprocess.run([sys.executable, "-m", "rhetorica", "score", str(inp), "-o", str(out), "--no-progress",
                           "--detectors", "quote,rhetorical_question"], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 3, proc.stderr
    assert "ChecksumError" in proc.stderr and "rhetorical_question/weights.npz" in proc.stderr
    assert not out.exists()


def test_missing_model_file_is_an_install_error(tmp_path):
    from rhetorica.classifiers.heads import ChecksumError, models_dir, verify
    from rhetorica.errors import InstallError

    dest = tmp_path / "models"
    shutil.copytree(models_dir(), dest, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (dest / "hedging" / "weights.npz").unlink()
    with pytest.raises(ChecksumError, match="missing") as info:
        verify(dest, "hedging/weights.npz")
    assert isinstance(info.value, InstallError)


def test_a_detector_failing_on_every_text_stops_the_run(tmp_path):
    import numpy as np

    from rhetorica.detectors.base import REGISTRY, Detector
    from rhetorica.errors import RunError
    from rhetorica.scoring import FAIL_FAST_ROWS, analyze_frame

    class _Broken(Detector):
        name = "broken_test"
        labels = ("broken",)

        def detect(self, doc):
            raise AttributeError("a bug, not a text problem")

    REGISTRY[_Broken.name] = _Broken
    try:
        texts = pd.Series([f"Text number {k}." for k in range(FAIL_FAST_ROWS + 5)])
        with pytest.raises(RunError, match="first 10 texts all failed"):
            analyze_frame(texts, errors="coerce", detectors=["quote", _Broken.name], progress=False)
        few, _ = analyze_frame(texts[:3], errors="coerce", detectors=["quote", _Broken.name], progress=False)
        assert few["error"].str.startswith("analysis failed: AttributeError").all()  # too few to tell: per row
        assert np.isnan(few["quote_count"]).all()
    finally:
        REGISTRY.pop(_Broken.name, None)


# -- no side effects, no orphans ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_loading_the_encoder_leaves_the_environment_alone():
    code = ("import os, rhetorica; from rhetorica.classifiers.encoder import get_encoder; "
            "get_encoder().encode(['A sentence.']); "
            "print(os.environ.get('HF_HUB_OFFLINE'), os.environ.get('TRANSFORMERS_OFFLINE'))")
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["None", "None"]


def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(x) for x in (task / "children").read_text().split()}
        except OSError:
            pass
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find the worker processes")
def test_workers_die_with_their_parent(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"text": f"Sentence {k}. Is it {k}? \"Yes,\" said Ann Lee."}) + "\n"
                           for k in range(4000)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "rhetorica", "score", str(inp), "-o", str(tmp_path / "o.csv"),
                             "--jobs", "2", "--chunk-size", "20", "--no-progress", "--detectors", RULES],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        workers: set[int] = set()
        while time.time() < deadline and len(workers) < 2:
            workers = {c for c in _children(proc.pid) if "rhetorica" in _cmdline(c) or "multiprocessing" in _cmdline(c)}
            time.sleep(0.2)
        assert workers, "the run started no worker processes"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.time() + 20
        while time.time() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.2)
        assert not any(_alive(w) for w in workers), "workers outlived their parent"
    finally:
        if proc.poll() is None:
            proc.kill()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


# -- training writes only where it may ----------------------------------------------------------------------------
def test_training_refuses_to_write_into_an_installed_package(tmp_path):
    from rhetorica.training.__main__ import is_installed_path, output_root

    assert is_installed_path(tmp_path / "lib" / "python3.11" / "site-packages" / "rhetorica" / "models")
    assert not is_installed_path(tmp_path / "my-models")
    with pytest.raises(SystemExit, match="--out"):
        output_root(str(tmp_path / "venv" / "lib" / "site-packages" / "x"))
    dest = output_root(str(tmp_path / "my-models"))  # a complete models folder, ready for RHETORICA_MODELS
    assert (dest / "MANIFEST.json").exists() and (dest / "rhetorical_question" / "weights.npz").exists()


# -- segmentation: the two examples of a missed boundary ---------------------------------------------------------
def test_sentence_boundaries_after_abbreviation_like_words():
    for text, want in [("The answer was no. Then he left.", ["The answer was no.", "Then he left."]),
                       ("He arrived at 10 a.m. The U.S. Army said so.", ["He arrived at 10 a.m.", "The U.S. Army said so."]),
                       ("See No. 5 on the list.", ["See No. 5 on the list."]),
                       ("Gen. Smith met Mr. Jones at 5 p.m. on Monday.", ["Gen. Smith met Mr. Jones at 5 p.m. on Monday."])]:
        assert [text[s.start:s.end] for s in sentences(text)] == want
