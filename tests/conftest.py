"""Shared fixtures. Tests that need the training/validation data skip with a reason when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("RHETORICA_DATA", ROOT.parent / "shared" / "data"))
MALI = DATA / "examples" / "mali_russia_article.txt"
WIKINEWS = ROOT / "examples" / "wikinews" / "wikinews_2019_2020.jsonl"


def need_data(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"needs the shared data at {path} (set RHETORICA_DATA to its folder)")
    return path


@pytest.fixture(scope="session")
def mali_text() -> str:
    return need_data(MALI).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def mali_analysis(mali_text):
    """The reference article through every detector (encoder + all heads), computed once."""
    import rhetorica

    return rhetorica.analyze(mali_text)


@pytest.fixture(scope="session")
def wikinews():
    import pandas as pd

    return pd.read_json(WIKINEWS, lines=True, dtype=False)
