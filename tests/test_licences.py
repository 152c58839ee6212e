"""The terms of every shipped file are declared, and a permissive-only run is possible."""
from __future__ import annotations

import pandas as pd

import rhetorica
from rhetorica.cli import main
from rhetorica.licences import DETECTOR_MODELS, MODEL_TERMS, PERMISSIVE, detector_terms, permissive_detectors


def test_every_shipped_model_and_detector_has_declared_terms():
    assert set(rhetorica.available_classifiers()) <= set(MODEL_TERMS)
    assert set(rhetorica.available_detectors()) <= set(DETECTOR_MODELS)
    for d in rhetorica.available_detectors():
        cls, terms = detector_terms(d)
        assert cls in ("permissive", "copyleft", "research") and terms


def test_permissive_set_leaves_out_copyleft_and_research_models():
    names = permissive_detectors()
    assert names == ["boilerplate", "quote", "rhetorical_question", "historical_analogy", "subjectivity"]
    assert detector_terms("media_bias")[0] == "copyleft" and detector_terms("propaganda")[0] == "research"
    assert detector_terms("frames")[0] == "research"
    for d in names:  # and what they read is permissive too
        assert all(MODEL_TERMS[m][0] == PERMISSIVE for m in DETECTOR_MODELS[d])


def test_cli_permissive_keyword(tmp_path):
    inp = tmp_path / "in.csv"
    pd.DataFrame({"text": ['"Why would anyone do that?" asked Ann Lee. It was a new Munich.']}).to_csv(inp, index=False)
    out = tmp_path / "o.csv"
    assert main(["score", str(inp), "-o", str(out), "--detectors", "permissive", "--no-progress"]) == 0
    cols = set(pd.read_csv(out).columns)
    assert "rhetorical_question_count" in cols and "subjectivity_share" in cols
    assert not any(c.startswith(("media_bias", "hedging", "frame", "persuasion", "loaded_language")) for c in cols)
