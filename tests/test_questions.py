"""The ``rhetorical_question`` detector: question spans, the shipped head, scores."""
from __future__ import annotations

import math

import numpy as np
import pytest

from rhetorica.detectors.base import available_detectors
from rhetorica.detectors.questions import RhetoricalQuestionDetector, question_spans

MALI_QUESTIONS = [
    "What could be the potential implications of this partnership for both countries?",
    "What exactly are these shared interests?",
    "How do they translate into tangible outcomes for both Mali and Russia?",
    "Why does Mali view its partnership with Russia through such a lens of historical solidarity?",
    "How do these sentiments influence public perception and domestic policy?",
    "how can both nations leverage their unique resources and capacities to turn mere agreements into solid, "
    "actionable outcomes?",
    "Will this new development pave the way for other aspiring industries in the region?",
    "How might it affect employment prospects and economic stability?",
]


@pytest.fixture(scope="session")
def analyzer():
    from rhetorica.pipeline import Analyzer

    names = ["boilerplate", "quote", "rhetorical_question"]
    if "quote" not in available_detectors():
        pytest.skip("the 'quote' detector is not registered in this build")
    return Analyzer(detectors=names)


@pytest.fixture(scope="session")
def mali(analyzer, mali_text):
    return analyzer(mali_text)


def _questions(a, label=None):
    labels = (label,) if label else ("rhetorical_question", "question")
    return [s for s in a.spans if s.label in labels]


# -- where a question starts and ends ---------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("You might be wondering: What exactly are these shared interests?", ["What exactly are these shared interests?"]),
    ("This realization brings to light an intriguing question—how can both nations act?", ["how can both nations act?"]),
    ("“Why?” she asked.", ["Why?"]),
    ('He asked, "When will the bridge reopen?"', ["When will the bridge reopen?"]),
    ('Is this what he meant by "fake news"?', ['Is this what he meant by "fake news"?']),
    ("Is this—as critics say—a scandal?", ["Is this—as critics say—a scandal?"]),
    ("Why did the (very expensive) plan fail?", ["Why did the (very expensive) plan fail?"]),
    ("Four boys or three? One girl or two?", ["Four boys or three?", "One girl or two?"]),
    ("Then relief (or was it?) came.", ["or was it?"]),
    ("Who knows?! Nobody does.", ["Who knows?!"]),
    ("No question here.", []),
    ("?", []),
])
def test_question_spans_clause(text, expected):
    assert [text[s:e] for s, e in question_spans(text)] == expected


def test_question_spans_offsets_within_range():
    text = "Intro. Was it worth it? Nobody said."
    start = text.index("Was")
    spans = question_spans(text, start, text.index("?") + 1)
    assert spans == [(start, text.index("?") + 1)]


# -- the shipped head -------------------------------------------------------------------------------------
def test_classifier_labels_and_threshold():
    from rhetorica.classifiers import load_classifier

    clf = load_classifier("rhetorical_question")
    assert clf.labels == ["rhetorical", "hypophora", "open", "genuine", "not_question"]
    assert not clf.multi_label
    assert 0.0 < clf.thresholds["rhetorical_question"] < 1.0
    assert "question_cues" in clf.features and "embedding" in clf.features


def test_classifier_bare_sentences_rank_device_above_genuine():
    from rhetorica.classifiers import load_classifier

    clf = load_classifier("rhetorical_question")
    P = clf.predict_proba(["Who in their right mind would believe such a promise?",
                           "HOST: What time did you leave the office on Friday?"])
    assert P.shape == (2, 5)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-6)
    device = P[:, :3].sum(axis=1)
    assert device[0] > clf.thresholds["rhetorical_question"] > device[1]


# -- the detector on the reference article ----------------------------------------------------------------
def test_mali_eight_editorial_rhetorical_questions(mali, mali_text):
    found = _questions(mali)
    assert [mali_text[s.start:s.end] for s in found] == MALI_QUESTIONS
    assert all(s.label == "rhetorical_question" for s in found)
    assert {s.attrs["voice"] for s in found} == {"editorial"}
    assert {s.attrs["kind"] for s in found} <= {"rhetorical", "hypophora", "open"}
    for s in found:
        assert s.score == pytest.approx(sum(s.attrs["probs"][k] for k in ("rhetorical", "hypophora", "open")),
                                        abs=2e-3)


def test_mali_scores(mali):
    from rhetorica.pipeline import Doc

    sc = mali.scores
    assert (sc["question_count"], sc["rhetorical_question_count"], sc["editorial_rhetorical_question_count"]) == \
        (8, 8, 8)
    doc = Doc(mali.text)
    doc.spans = list(mali.spans_of("boilerplate"))
    n_article = len(doc.content_sentences())
    assert 0 < n_article < len(doc.sentences)  # the page furniture is not counted
    assert sc["rhetorical_question_rate"] == pytest.approx(8 / n_article)


# -- the detector on sentences written for these tests --------------------------------------------------
@pytest.mark.parametrize("text, question", [
    ("Who could possibly blame them? After years of broken promises, the villagers have every reason to be angry.",
     "Who could possibly blame them?"),
    ("Isn't it time we stopped pretending that the plan works?",
     "Isn't it time we stopped pretending that the plan works?"),
    ("So why did the project fail? Because nobody was willing to pay for it.", "So why did the project fail?"),
])
def test_obvious_rhetorical_questions_are_found(analyzer, text, question):
    spans = _questions(analyzer(text))
    assert [(text[s.start:s.end], s.label) for s in spans] == [(question, "rhetorical_question")]


@pytest.mark.parametrize("text, question", [
    ("INTERVIEWER: What time did you arrive at the station on Monday?\nSMITH: About nine in the morning, I think.",
     "What time did you arrive at the station on Monday?"),
    ('The reporter asked the minister, "When will the bridge reopen?" The minister said it would reopen in May.',
     "When will the bridge reopen?"),
])
def test_genuine_interview_questions_are_not_rhetorical(analyzer, text, question):
    spans = _questions(analyzer(text))
    assert [(text[s.start:s.end], s.label) for s in spans] == [(question, "question")]
    assert spans[0].attrs["kind"] == "genuine"
    assert spans[0].score < 0.5


def test_quoted_question_voice_and_offsets(analyzer):
    text = "   Budget row.\n\n“Why should taxpayers pay for their mistakes?” the mayor said at the meeting."
    a = analyzer(text)
    (span,) = _questions(a)
    assert text[span.start:span.end] == "Why should taxpayers pay for their mistakes?"
    assert span.attrs["voice"] == "quoted"


def test_no_question_mark_gives_no_question(analyzer):
    a = analyzer("The council approved the budget on Monday. Work starts in May.")
    assert _questions(a) == []
    assert a.scores["question_count"] == 0
    assert a.scores["rhetorical_question_rate"] == 0.0


def test_empty_text_scores_are_nan_rate(analyzer):
    a = analyzer("")
    assert a.scores["question_count"] == 0
    assert math.isnan(a.scores["rhetorical_question_rate"])
    assert set(RhetoricalQuestionDetector.score_names) <= set(a.scores)


def test_batch_equals_single(analyzer):
    texts = ["Who could possibly blame them? Nobody.", "No questions at all.", "What is going on here?"]
    batch = list(analyzer.pipe(texts))
    for t, b in zip(texts, batch):
        single = analyzer(t)
        assert [(s.start, s.end, s.label) for s in _questions(single)] == \
               [(s.start, s.end, s.label) for s in _questions(b)]
        for s1, s2 in zip(_questions(single), _questions(b)):
            assert s1.score == pytest.approx(s2.score, abs=1e-4)


# -- a user-registered replacement classifier -------------------------------------------------------------
class _KeywordModel:
    """A stand-in replacement: labels in its own order, a fixed answer by keyword."""

    labels = ["genuine", "rhetorical"]
    thresholds: dict = {}

    def predict_proba(self, texts):
        return np.array([[0.1, 0.9] if "blame" in t else [0.8, 0.2] for t in texts])


def test_user_registered_classifier_is_used_by_label_name(analyzer, monkeypatch):
    import rhetorica.classifiers as classifiers

    monkeypatch.setitem(classifiers._USER, "rhetorical_question", _KeywordModel())
    text = "Who could blame them? What time is the meeting?"
    spans = _questions(analyzer(text))
    assert [(text[s.start:s.end], s.label) for s in spans] == [
        ("Who could blame them?", "rhetorical_question"), ("What time is the meeting?", "question")]
    assert spans[0].attrs["kind"] == "rhetorical" and spans[0].score == pytest.approx(0.9)
    assert spans[1].attrs["kind"] == "genuine" and spans[1].score == pytest.approx(0.2)


def test_user_classifier_without_device_labels_is_refused(analyzer, monkeypatch):
    import rhetorica.classifiers as classifiers

    class Wrong(_KeywordModel):
        labels = ["positive", "negative"]

    monkeypatch.setitem(classifiers._USER, "rhetorical_question", Wrong())
    with pytest.raises(ValueError, match="must have at least one of the labels"):
        analyzer("Is it?")


# -- cues of genuine questions (question_genuine_cues) ----------------------------------------------------
def test_genuine_cues_fire_on_poll_and_interview_lines():
    from rhetorica.classifiers.feats_questions import GENUINE_CUES, genuine_cues

    def fired(text, prev="", nxt=""):
        return {k for k, v in zip(GENUINE_CUES, genuine_cues(text, prev, nxt)) if v}

    assert {"reader_poll", "ask_reader"} <= fired("Do you support the new tax? Vote in our poll below.")
    assert {"qa_tag", "a_tag_next"} <= fired("Q: What did you see that night?", nxt="A: A light in the sky.")
    assert "definition_q" in fired("What is the Irish border backstop?")
    assert "reported_ask" in fired("As a storyteller, I am always asking, ‘How can we bring the viewer closer?’")
    assert fired("Who could possibly blame them?") == set()
    # context cues stay silent without context
    assert "a_tag_next" not in fired("Q: What did you see that night?")


def test_poll_question_is_not_rhetorical(analyzer):
    text = "Do you support the new tax? Vote in our poll below."
    spans = _questions(analyzer(text))
    assert [(text[s.start:s.end], s.label) for s in spans] == [("Do you support the new tax?", "question")]
    assert spans[0].attrs["kind"] == "genuine"


def test_interview_question_answer_pair_is_not_rhetorical(analyzer):
    text = ("The mayor spoke to us about the flood.\n"
            "Q: How many homes were damaged on Sunday?\n"
            "A: About two hundred, most of them in the old town.")
    spans = _questions(analyzer(text))
    assert [(text[s.start:s.end], s.label) for s in spans] == [
        ("How many homes were damaged on Sunday?", "question")]
    assert spans[0].score < 0.5


# -- the kind of a device: hypophora only where an answer can follow ------------------------------------
def test_device_kind_moves_hypophora_to_rhetorical_or_open():
    from rhetorica.detectors.questions import device_kind

    p = {"rhetorical": 0.3, "hypophora": 0.45, "open": 0.2, "genuine": 0.05}
    assert device_kind(p) == "hypophora"
    assert device_kind(p, answer_can_follow=False) == "rhetorical"
    assert device_kind({"rhetorical": 0.1, "hypophora": 0.4, "open": 0.2}, answer_can_follow=False) == "open"
    assert device_kind({"rhetorical": 0.6, "hypophora": 0.3, "open": 0.1}, answer_can_follow=False) == "rhetorical"


@pytest.mark.parametrize("text, expected", [
    ("Why did it fail? Because nobody funded it.", [True]),
    ("Why did it fail? Who will pay now?\n\nThe council met on Monday.", [False, False]),
    ("Why did it fail?\n\nThe council met on Monday.", [False]),
    ("The plan failed. Why? Nobody knows.", [True]),
])
def test_answer_can_follow(text, expected):
    from rhetorica.detectors.questions import _answer_can_follow
    from rhetorica.pipeline import Doc

    doc = Doc(text)
    got = []
    for i in doc.content_sentences():
        s = doc.sentences[i]
        got += [_answer_can_follow(doc, i, end) for _, end in question_spans(text, s.start, s.end)]
    assert got == expected


def test_mali_question_closing_its_paragraph_is_not_hypophora(mali, mali_text):
    (span,) = [s for s in _questions(mali) if mali_text[s.start:s.end] == MALI_QUESTIONS[0]]
    assert span.label == "rhetorical_question"
    assert span.attrs["kind"] in ("rhetorical", "open")
    # the head's own probabilities are kept; only the kind reads the paragraph
    assert span.score == pytest.approx(sum(span.attrs["probs"][k] for k in ("rhetorical", "hypophora", "open")),
                                       abs=2e-3)


def test_question_answered_in_the_next_sentence_stays_hypophora(analyzer):
    text = "Why did it fail? Because nobody funded it."
    (span,) = _questions(analyzer(text))
    assert (text[span.start:span.end], span.label, span.attrs["kind"]) == \
        ("Why did it fail?", "rhetorical_question", "hypophora")
