"""The code itself: every name a module reads is defined (training and benchmark scripts included, which the rest
of the suite imports but does not run end to end: they need the full data and minutes of encoding)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_no_module_reads_an_undefined_name():
    pyflakes_api = pytest.importorskip("pyflakes.api", reason="pyflakes is in the test extra: pip install '.[test]'")
    from pyflakes.reporter import Reporter

    class Collect(Reporter):
        def __init__(self):
            self.found = []

        def flake(self, message):
            if "undefined name" in str(message):
                self.found.append(str(message))

        def unexpectedError(self, filename, msg):
            self.found.append(f"{filename}: {msg}")

        def syntaxError(self, filename, msg, lineno, offset, text):
            self.found.append(f"{filename}:{lineno}: {msg}")

    rep = Collect()
    files = sorted([*(ROOT / "rhetorica").rglob("*.py"), *(ROOT / "benchmarks").glob("*.py")])
    assert len(files) > 50
    for f in files:
        pyflakes_api.checkPath(str(f), rep)
    assert rep.found == []
