"""The historical_analogy detector: gazetteer, classifier and the Mali reference article."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rhetorica.classifiers.feats_history import CUE_NAMES, find_mentions, get_gazetteer, history_cues
from rhetorica.classifiers.features import FeatureInput

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MALI = DATA / "examples" / "mali_russia_article.txt"


# -- gazetteer (no model) ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, referent", [
    ("Critics called the summit a new Munich.", "Munich Agreement 1938"),
    ("The Berlin Wall fell in 1989.", "Cold War"),
    ("He compared the senator to Hitler.", "Hitler / Nazi Germany"),
    ("It was the worst attack since 9/11.", "9/11 attacks"),
    ("Veterans of the Spanish Civil War met in Madrid.", "Spanish Civil War"),
    ("Bayern Munich won 3-0 on Saturday.", None),
    ("Liberal Democrat leader Charles Kennedy spoke on Monday.", None),
    ("Shares in Munich Re fell 2%.", None),
    ("The weather was mild for the time of year.", None),
])
def test_gazetteer_referent(text, referent):
    found = find_mentions(text)
    if referent is None:
        assert found == []
    else:
        assert referent in [m.referent for m in found]
        for m in found:
            assert text[m.start:m.end] == m.text


def test_gazetteer_prefers_longest_name():
    found = find_mentions("Veterans of the Spanish Civil War met in Madrid.")
    assert [m.text for m in found] == ["Spanish Civil War"]


def test_history_cues_shape_and_context_dropout():
    inp = FeatureInput(texts=["Critics called the summit a new Munich.", "The Berlin Wall fell in 1989."],
                       embeddings=np.zeros((2, 384), dtype=np.float32),
                       prev_texts=["The talks ended in a deal.", ""], next_texts=["", ""])
    X = history_cues(inp)
    assert X.shape == (2, len(get_gazetteer().categories) + len(CUE_NAMES) + 8)
    assert X[0, -8] == 1.0 and X[1, -8] == 0.0  # the previous sentence is present only for the first row
    new_x = len(get_gazetteer().categories) + CUE_NAMES.index("new_x")
    assert X[0, new_x] == 1.0 and X[1, new_x] == 0.0


def test_gazetteer_recall_on_dev():
    path = DATA / "history" / "annotated_news" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"history data not found at {path}")
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    hist = [r for r in rows if r["label"] != "none"]
    recall = np.mean([bool(find_mentions(r["text"])) for r in hist])
    assert recall >= 0.98


# -- the trained classifier and the detector ----------------------------------------------------------
@pytest.fixture(scope="session")
def analyzer():
    from rhetorica.detectors.base import available_detectors
    from rhetorica.pipeline import Analyzer

    names = ["boilerplate", "quote", "historical_analogy"]
    missing = [n for n in names if n not in available_detectors()]
    if missing:
        pytest.skip(f"detectors not available: {missing}")
    return Analyzer(detectors=names)


@pytest.fixture(scope="session")
def mali(analyzer):
    if not MALI.exists():
        pytest.skip(f"reference article not found at {MALI}")
    return analyzer(MALI.read_text(encoding="utf-8"))


def _hist(analysis):
    return [s for s in analysis.spans if s.label.startswith("historical_")]


@pytest.mark.slow
def test_classifier_labels_and_bare_sentences():
    from rhetorica.classifiers import load_classifier

    clf = load_classifier("historical_analogy")
    assert clf.labels == ["analogy", "reference", "idiom", "none"]
    P = clf.predict_proba(["He compared the senator to Hitler.", "The Berlin Wall fell in 1989."])
    assert P.shape == (2, 4)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-6)
    assert P[0].argmax() == 0 and P[1].argmax() == 1


@pytest.mark.slow
def test_mali_invoked_nazi_germany_is_an_admiring_analogy(mali):
    text = mali.text
    spans = [s for s in mali.spans_of("historical_analogy") if "invoked the fight against Nazi Germany" in s.text_in(text)]
    assert len(spans) == 1
    s = spans[0]
    assert "Nazi" in s.attrs["referent"]
    assert s.attrs["smear"] is False
    assert s.attrs["voice"] == "editorial"
    assert text[s.attrs["mention_start"]:s.attrs["mention_end"]] == s.attrs["mention"]
    assert s.start <= s.attrs["mention_start"] < s.attrs["mention_end"] <= s.end
    assert s.score == pytest.approx(s.attrs["probs"]["analogy"], abs=1e-4)


@pytest.mark.slow
def test_mali_right_side_of_history_is_not_an_analogy(mali):
    for s in mali.spans_of("historical_analogy"):
        assert "right side of history" not in s.text_in(mali.text)


@pytest.mark.slow
def test_mali_scores_match_spans(mali):
    spans = _hist(mali)
    assert mali.scores["historical_analogy_count"] == sum(s.label == "historical_analogy" for s in spans)
    assert mali.scores["historical_reference_count"] == sum(s.label == "historical_reference" for s in spans)
    assert mali.scores["historical_smear_count"] == 0
    assert not any(s.attrs["smear"] for s in spans)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="known miss: the head reads the two headlines as references to WWII "
                                       "(few headline analogies in training); see the model card")
@pytest.mark.parametrize("headline", ["Mali Takes Cues from Russia’s Resilience in WWII Era",
                                      "Mali draws inspiration from Russia during the Nazi era"])
def test_mali_headlines_are_analogies(mali, headline):
    assert any(s.text_in(mali.text) == headline for s in mali.spans_of("historical_analogy"))


@pytest.mark.slow
def test_reference_is_not_analogy(analyzer):
    a = analyzer("The Berlin Wall fell in 1989.")
    assert [s.label for s in _hist(a)] == ["historical_reference"]
    assert a.scores["historical_analogy_count"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("text", ["Bayern Munich won 3-0 on Saturday.", "Vietnam's economy grew 7% last year.", ""])
def test_present_day_namesakes_give_nothing(analyzer, text):
    a = analyzer(text)
    assert _hist(a) == []
    assert a.scores["historical_analogy_count"] == 0 and a.scores["historical_reference_count"] == 0


@pytest.mark.slow
def test_hitler_comparison_is_a_smear(analyzer):
    a = analyzer("He compared the senator to Hitler.")
    spans = a.spans_of("historical_analogy")
    assert len(spans) == 1 and spans[0].attrs["smear"] is True
    assert spans[0].attrs["referent"] == "Hitler / Nazi Germany"
    assert a.scores["historical_smear_count"] == 1


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="known miss: 'Munich' is nearly always the city or the club in training, "
                                       "and one 'new' cue does not outweigh that; see the model card")
def test_new_munich_is_an_analogy(analyzer):
    a = analyzer("Critics called the summit a new Munich.")
    assert [s.label for s in _hist(a)] == ["historical_analogy"]


@pytest.mark.slow
def test_batch_equals_single(analyzer):
    texts = ["He compared the senator to Hitler.", "The Berlin Wall fell in 1989.", "Bayern Munich won 3-0."]
    batch = list(analyzer.pipe(texts))
    for t, b in zip(texts, batch):
        single = analyzer(t)
        assert [(s.start, s.end, s.label) for s in _hist(single)] == [(s.start, s.end, s.label) for s in _hist(b)]
