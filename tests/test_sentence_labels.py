"""The sentence-label classifiers (media_bias, subjectivity, hedging) and their detectors."""
from __future__ import annotations

import math

import numpy as np
import pytest

from rhetorica import classifiers
from rhetorica.classifiers import Classifier, load_classifier
from rhetorica.classifiers.heads import models_dir
from rhetorica.detectors.sentence_labels import HedgingDetector
from rhetorica.pipeline import Analyzer

LABELS = {
    "media_bias": ["biased", "non-biased"],
    "subjectivity": ["subjective", "objective"],
    "hedging": ["uncertain", "certain"],
}
DETECTORS = {  # detector -> (span label, score names)
    "media_bias": ("biased", ("media_bias_share", "media_bias_mean")),
    "subjectivity": ("subjective", ("subjectivity_share", "subjectivity_mean")),
    "hedging": ("hedge", ("hedge_share", "hedge_mean")),
}


@pytest.fixture(scope="session")
def clfs():
    return {name: load_classifier(name) for name in LABELS}


@pytest.fixture(scope="session")
def analyzer():
    return Analyzer(detectors=["boilerplate", *DETECTORS])


@pytest.fixture(scope="session")
def mali(mali_text):
    return mali_text


@pytest.fixture(scope="session")
def mali_analysis(analyzer, mali):
    return analyzer(mali)


@pytest.mark.parametrize("name", sorted(LABELS))
def test_sentence_labels_classifier_labels_and_probabilities(clfs, name):
    clf = clfs[name]
    assert isinstance(clf, Classifier)
    assert clf.labels == LABELS[name]
    assert not clf.multi_label
    thr = clf.thresholds[LABELS[name][0]]
    assert 0.0 < thr < 1.0
    texts = ["The committee will meet on Tuesday at 10 a.m.", "This is a disgrace, and everyone knows it!",
             "Officials said the bridge may reopen next month."]
    P = clf.predict_proba(texts)
    assert P.shape == (3, 2)
    assert np.all((P >= 0) & (P <= 1))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-6)
    assert clf.predict_proba([]).shape == (0, 2)


@pytest.mark.parametrize("name, text, expected", [
    ("media_bias", "The radical left's insane scheme will destroy our country.", "biased"),
    ("media_bias", "The committee will meet on Tuesday at 10 a.m.", "non-biased"),
    ("media_bias", "The Senate passed the bill by a vote of 52 to 48 on Thursday.", "non-biased"),
    ("subjectivity", "This is without doubt the most shameful decision any government has ever made.", "subjective"),
    ("subjectivity", "The committee will meet on Tuesday at 10 a.m.", "objective"),
    ("subjectivity", "The company reported revenue of $4.2 billion for the quarter.", "objective"),
    ("hedging", "Some people say it may possibly be the best.", "uncertain"),
    ("hedging", "It is widely believed that the painting is a forgery.", "uncertain"),
    ("hedging", "The bridge was completed in 1932 and spans 503 metres.", "certain"),
])
def test_sentence_labels_unambiguous_sentences(clfs, name, text, expected):
    clf = clfs[name]
    p_pos = clf.predict_proba([text])[0, 0]
    got = clf.labels[0] if p_pos >= clf.thresholds[clf.labels[0]] else clf.labels[1]
    assert got == expected, f"{name}: P({clf.labels[0]})={p_pos:.3f} for {text!r}"


def test_sentence_labels_card_names_data_and_licence(clfs):
    for name, clf in clfs.items():
        card = clf.card
        assert card["data"] and card["licence"], name
        assert "metrics" in card and "validation_cv_macro_f1" in card["metrics"], name
        assert (models_dir() / name / "MODEL_CARD.md").exists()


def test_sentence_labels_detectors_on_mali_article(mali, mali_analysis):
    a = mali_analysis
    for det, (label, score_names) in DETECTORS.items():
        spans = a.spans_of(label)
        for s in spans:
            assert 0 <= s.start < s.end <= len(mali)
            assert 0.0 <= s.score <= 1.0
            assert s.attrs["voice"] in ("quoted", "editorial")
            # a span is exactly one sentence of the text
            assert any(s.start == x.start and s.end == x.end for x in a.sentences)
        share, mean = (a.scores[n] for n in score_names)
        assert 0.0 <= share <= 1.0 and 0.0 <= mean <= 1.0
    # the article's loaded editorial sentences and its hedged sourcing are found
    assert a.spans_of("biased") and a.spans_of("subjective")
    # boilerplate lines are never labelled
    bp = a.spans_of("boilerplate")
    for label, _ in DETECTORS.values():
        for s in a.spans_of(label):
            assert not any(b.start <= s.start and s.end <= b.end for b in bp)


def test_sentence_labels_voice_follows_quote_spans(mali):
    from rhetorica.detectors.base import available_detectors

    if "quote" not in available_detectors():
        pytest.skip("the quote detector is not registered")
    a = Analyzer(detectors=["boilerplate", "quote", "subjectivity"])(mali)
    spans = a.spans_of("subjective")
    quoted = [s for s in spans if s.attrs["voice"] == "quoted"]
    editorial = [s for s in spans if s.attrs["voice"] == "editorial"]
    assert editorial, "the article's own evaluative sentences are editorial"
    for s in quoted:  # a quoted sentence opens with a quotation mark in this article, or reports speech
        assert a.text[s.start] in "\"“" or s.attrs["quote_kind"] in ("indirect", "mixed"), a.text[s.start:s.end]


def test_sentence_labels_share_counts_content_sentences(analyzer):
    text = ("The radical left's insane scheme will destroy our country.\n\n"
            "The committee will meet on Tuesday at 10 a.m.\n\nAdvertisement")
    a = analyzer(text)
    n_biased = len(a.spans_of("biased"))
    assert a.scores["media_bias_share"] == pytest.approx(n_biased / 2)  # two content sentences
    assert [a.text[s.start:s.end] for s in a.spans_of("biased")] == [
        "The radical left's insane scheme will destroy our country."]


@pytest.mark.parametrize("text", ["", "Advertisement"])
def test_sentence_labels_nan_without_content(analyzer, text):
    a = analyzer(text)
    for _, score_names in DETECTORS.values():
        assert all(math.isnan(a.scores[n]) for n in score_names)
    assert not any(a.spans_of(label) for label, _ in DETECTORS.values())


def test_sentence_labels_batch_equals_single(analyzer, mali):
    short = "Some people say it may possibly be the best. The committee will meet on Tuesday."
    batch = list(analyzer.pipe([mali, short]))
    single = [analyzer(mali), analyzer(short)]
    for b, s in zip(batch, single):
        for _, score_names in DETECTORS.values():
            for n in score_names:
                assert b.scores[n] == pytest.approx(s.scores[n], abs=1e-5)


class _StubModel:
    """A user-registered model: own labels (upper case, reversed order), no shared encoder."""

    def __init__(self, labels):
        self.labels = labels
        self.thresholds = {}

    def predict_proba(self, texts):
        p = np.array([0.9 if " may " in f" {t} " else 0.1 for t in texts])
        return np.stack([1 - p, p], axis=1)  # columns: certain, uncertain


def test_sentence_labels_user_model_mapped_by_label_name(monkeypatch):
    monkeypatch.setitem(classifiers._USER, "hedging", _StubModel(["CERTAIN", "UNCERTAIN"]))
    a = Analyzer(detectors=["hedging"])("The bridge may reopen soon. It opened in 1932.")
    spans = a.spans_of("hedge")
    assert [a.text[s.start:s.end] for s in spans] == ["The bridge may reopen soon."]
    assert spans[0].score == pytest.approx(0.9)
    assert a.scores["hedge_share"] == pytest.approx(0.5)
    assert a.scores["hedge_mean"] == pytest.approx(0.5)


def test_sentence_labels_user_model_without_the_label_fails(monkeypatch):
    monkeypatch.setitem(classifiers._USER, "hedging", _StubModel(["yes", "no"]))
    det = HedgingDetector()
    with pytest.raises(ValueError, match="needs a label named 'uncertain'"):
        Analyzer(detectors=["hedging"])("The bridge may reopen soon.")
    assert det.threshold() == 0.5


