"""propaganda_technique classifier, the loaded-language lexicon, and the ``propaganda`` detector."""
from __future__ import annotations

import math

import numpy as np
import pytest

from rhetorica.training.propaganda import TECHNIQUES

DETECTORS = ["boilerplate", "quote", "propaganda"]


@pytest.fixture(scope="session")
def technique():
    from rhetorica.classifiers import load_classifier

    return load_classifier("propaganda_technique")


@pytest.fixture(scope="session")
def analyzer():
    from rhetorica import Analyzer

    return Analyzer(detectors=DETECTORS)


def _words(analysis, label):
    return [analysis.text[s.start:s.end] for s in analysis.spans_of(label)]


# ---- propaganda_technique ----------------------------------------------------------------------
def test_propaganda_technique_labels_are_the_14_ptc_names(technique):
    assert technique.labels == list(TECHNIQUES)
    assert len(set(technique.labels)) == 14
    assert not technique.multi_label


def test_propaganda_technique_rows_are_distributions(technique):
    P = technique.predict_proba(["a bunch of lunatics", "Make America great again!", "the committee"])
    assert P.shape == (3, 14)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-6)
    assert (P >= 0).all()
    assert technique.predict_proba([]).shape == (0, 14)


@pytest.mark.parametrize("span, expected", [
    ("a bunch of idiots", "Name_Calling,Labeling"),
    ("Make America Great Again!", "Slogans"),
    ("Is he really who he says he is?", "Doubt"),
    ("our brave soldiers who love this great nation", "Flag-Waving"),
])
def test_propaganda_technique_unambiguous_spans(technique, span, expected):
    assert technique.predict([span]) == [expected]


def test_propaganda_technique_rejects_a_single_string(technique):
    with pytest.raises(TypeError, match="list of strings"):
        technique.predict_proba("a bunch of idiots")


# ---- lexicon -----------------------------------------------------------------------------------
def test_loaded_language_lexicon_knows_loaded_words_not_neutral_ones():
    from rhetorica.classifiers.feats_propaganda import TERM_FIELDS, normalise_term, shipped_lexicon

    lex = shipped_lexicon()
    for w in ("disgusting", "so-called", "lunatics"):
        assert lex.is_candidate(normalise_term(w)), w
    for w in ("committee", "tuesday", "the"):
        assert not lex.is_candidate(normalise_term(w)), w
    assert all(len(v) == len(TERM_FIELDS) for v in list(lex.terms.values())[:100])
    assert normalise_term("Trump’s") == "trump"


def test_loaded_language_classifier_scores_words_in_isolation():
    from rhetorica.classifiers import load_classifier

    clf = load_classifier("loaded_language")
    assert clf.labels == ["other", "loaded_language"]
    thr = clf.thresholds["loaded_language"]
    p = clf.predict_proba(["disgusting", "committee", "Tuesday"])[:, 1]
    assert p[0] >= thr > max(p[1], p[2])


def test_merge_words_joins_touching_words_only():
    from rhetorica.classifiers.feats_propaganda import merge_words

    text = "their disgusting lies, and radical plans"
    words = [(6, 16, 0.9), (17, 21, 0.7), (27, 34, 0.8)]
    assert merge_words(text, words) == [(6, 21, 0.9), (27, 34, 0.8)]


# ---- detector ----------------------------------------------------------------------------------
def test_propaganda_detector_finds_the_loaded_words(analyzer):
    a = analyzer("The so-called experts peddled their disgusting lies again.")
    spans = a.spans_of("loaded_language") + a.spans_of("name_calling")
    assert spans, a
    found = " ".join(_words(a, "loaded_language") + _words(a, "name_calling"))
    assert "disgusting" in found
    for s in spans:  # only on loaded words, never on the neutral ones
        assert a.text[s.start:s.end].lower() not in {"the", "experts", "again", "their"}
        assert s.attrs["technique"] in TECHNIQUES
        assert s.attrs["voice"] == "editorial"
        assert 0 < s.score <= 1
        assert set(s.attrs["probs"]) <= set(TECHNIQUES)
    assert a.scores["loaded_language_count"] == len(a.spans_of("loaded_language"))
    assert a.scores["propaganda_span_count"] == len(spans)


@pytest.mark.parametrize("text", [
    "The committee met on Tuesday.",
    "The report was published in March and lists 40 schools.",
    "Officials said the bridge would reopen after repairs.",
])
def test_propaganda_detector_finds_nothing_in_plain_reporting(analyzer, text):
    a = analyzer(text)
    assert a.spans_of("loaded_language") == [] and a.spans_of("name_calling") == []
    assert a.scores["loaded_language_count"] == 0
    assert a.scores["loaded_language_rate"] == 0


def test_propaganda_detector_offsets_index_the_text_and_batch_equals_single(analyzer):
    texts = ["Senator Blake called the plan a disgusting betrayal by corrupt elites.",
             "The committee met on Tuesday.\n\nThese radical lunatics want to destroy everything we love!"]
    batch = list(analyzer.pipe(texts))
    for t, a in zip(texts, batch):
        single = analyzer(t)
        assert [(s.start, s.end, s.label) for s in a.spans] == [(s.start, s.end, s.label) for s in single.spans]
        for s in a.spans_of("loaded_language") + a.spans_of("name_calling"):
            assert 0 <= s.start < s.end <= len(t)
            assert t[s.start:s.end].strip() == t[s.start:s.end]
            assert t[s.start].isalpha()


def test_propaganda_detector_skips_boilerplate(analyzer):
    line = "Read more: disgusting lies of the radical elites"
    a = analyzer("The committee met on Tuesday.\n" + line)
    bp = a.spans_of("boilerplate")
    assert bp and a.text[bp[0].start:bp[0].end] == line
    assert a.spans_of("loaded_language") == [] and a.spans_of("name_calling") == []
    # the same words as article text are found
    b = analyzer("The committee met on Tuesday. They spread disgusting lies of the radical elites.")
    assert b.spans_of("loaded_language") + b.spans_of("name_calling")


def test_propaganda_detector_quoted_voice(analyzer):
    a = analyzer('"These people are disgusting traitors," said John Smith.')
    spans = a.spans_of("loaded_language") + a.spans_of("name_calling")
    assert spans
    assert all(s.attrs["voice"] == "quoted" for s in spans)


def test_propaganda_detector_empty_text_has_nan_rate(analyzer):
    a = analyzer("")
    assert a.scores["loaded_language_count"] == 0
    assert math.isnan(a.scores["loaded_language_rate"])


def test_propaganda_detector_maps_a_user_model_by_label_name(monkeypatch):
    """A replacement technique model (not a shipped head) is called on the phrase texts, labels mapped by name."""
    import rhetorica.classifiers as clf_mod
    from rhetorica import Analyzer

    class Fake:
        labels = ["Name_Calling,Labeling", "Doubt", "Loaded_Language"]  # a different order and fewer classes
        calls: list = []

        def predict_proba(self, texts):
            self.calls.append(list(texts))
            return np.tile([0.8, 0.1, 0.1], (len(texts), 1))

    fake = Fake()
    real = clf_mod.load_classifier
    monkeypatch.setattr(clf_mod, "load_classifier",
                        lambda name: fake if name == "propaganda_technique" else real(name))
    a = Analyzer(detectors=DETECTORS)("The so-called experts peddled their disgusting lies again.")
    assert fake.calls and all(isinstance(t, str) for t in fake.calls[0])
    assert a.spans_of("name_calling") and not a.spans_of("loaded_language")
    assert a.spans_of("name_calling")[0].attrs["probs"]["Name_Calling,Labeling"] == pytest.approx(0.8)


def test_propaganda_detector_on_the_mali_article(mali_text, analyzer):
    a = analyzer(mali_text)
    assert set(a.scores) >= {"loaded_language_count", "loaded_language_rate", "propaganda_span_count",
                             "name_calling_count"}
    bp = [(s.start, s.end) for s in a.spans_of("boilerplate")]
    spans = a.spans_of("loaded_language") + a.spans_of("name_calling")
    for s in spans:
        assert not any(b0 <= s.start < b1 for b0, b1 in bp)
        assert s.end <= len(mali_text)
    # an upbeat feature piece: some loaded words ("aggressive"), but few per 100 words
    assert 0 <= a.scores["loaded_language_rate"] < 5
