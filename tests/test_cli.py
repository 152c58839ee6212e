"""The command line: formats chosen by extension, one output row per input row, readable errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from rhetorica.cli import main

ROWS = [
    {"id": "a", "text": '"We will not back down," said Defense Minister Jane Doe. Why would we?'},
    {"id": "b", "text": None},
    {"id": "c", "text": "The council met on Monday."},
]


def _write(df: pd.DataFrame, path: Path) -> None:
    if path.suffix == ".csv":
        df.to_csv(path, index=False)
    elif path.suffix == ".jsonl":
        df.to_json(path, orient="records", lines=True)
    else:
        df.to_parquet(path, index=False)


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path)
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True)
    return pd.read_parquet(path)


@pytest.mark.parametrize("src, dst", [(".jsonl", ".parquet"), (".csv", ".jsonl"), (".parquet", ".csv")])
def test_cli_score_formats(tmp_path, src, dst, capsys):
    inp, out = tmp_path / f"in{src}", tmp_path / f"out{dst}"
    _write(pd.DataFrame(ROWS), inp)
    rc = main(["score", str(inp), "-o", str(out), "--detectors", "boilerplate,quote", "--no-progress"])
    assert rc == 0
    df = _read(out)
    assert list(df["id"]) == ["a", "b", "c"]  # one output row per input row, in order
    assert "text" not in df.columns and "quote_count" in df.columns
    assert df.loc[0, "quote_count"] == 1
    assert pd.isna(df.loc[1, "quote_count"]) and "missing" in str(df.loc[1, "error"])


def test_cli_score_writes_spans_and_summary(tmp_path, capsys):
    inp, out, spans = tmp_path / "in.jsonl", tmp_path / "out.csv", tmp_path / "spans.parquet"
    _write(pd.DataFrame(ROWS), inp)
    assert main(["score", str(inp), "-o", str(out), "--spans", str(spans), "--detectors", "boilerplate,quote",
                 "--no-progress", "--summary"]) == 0
    sp = pd.read_parquet(spans)
    quote = sp[sp.label == "quote"].iloc[0]
    assert quote["speaker"] == "Jane Doe"
    assert "texts scored" in capsys.readouterr().out


def test_cli_errors_are_readable(tmp_path, capsys):
    inp = tmp_path / "in.jsonl"
    _write(pd.DataFrame(ROWS), inp)
    assert main(["score", str(inp), "-o", str(tmp_path / "o.csv"), "--text-col", "body"]) == 2
    assert "no column 'body'" in capsys.readouterr().err
    assert main(["score", str(inp), "-o", str(tmp_path / "o.xlsx")]) == 2
    assert "output format" in capsys.readouterr().err
    assert main(["score", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "o.csv")]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["score", str(inp), "-o", str(tmp_path / "o.csv"), "--errors", "raise",
                 "--detectors", "quote", "--no-progress"]) == 2
    assert "Row 1" in capsys.readouterr().err


def test_cli_analyze_prints_summary(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text('“It is over,” said Jane Doe.\n\n- Advertisement -\n')
    assert main(["analyze", str(f), "--detectors", "boilerplate,quote"]) == 0
    out = capsys.readouterr().out
    assert "== quote (1)" in out and "Jane Doe" in out and "== boilerplate (1)" in out
    assert main(["analyze", str(f), "--detectors", "boilerplate,quote", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scores"]["quote_count"] == 1


def test_cli_models_lists_cards(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    for name in ("rhetorical_question", "historical_analogy", "media_bias", "propaganda_technique"):
        assert f"== {name}" in out
    assert "licence" in out and "validation" in out


def test_cli_installed_package_works_outside_the_source_tree(tmp_path):
    """A non-editable install carries its models: load one from a folder with no source tree around."""
    code = ("import rhetorica, rhetorica.classifiers.heads as h; print(rhetorica.__file__); print(h.models_dir()); "
            "print(rhetorica.load_classifier('historical_analogy').predict_proba(['A new Cold War.']).shape)")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RHETORICA_MODELS")}
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    if res.returncode != 0 and "No module named 'rhetorica'" in res.stderr:
        pytest.skip("rhetorica is not installed in this environment (source-tree run)")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.split("\n")
    if "site-packages" not in lines[0]:
        pytest.skip(f"rhetorica is imported from a source checkout ({lines[0]}), not an installed copy")
    assert "site-packages" in lines[1]
    assert lines[2] == "(1, 4)"
