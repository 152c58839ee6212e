"""Quoted versus editorial voice on every feature, editorial-only scores, and the speakers table."""
from __future__ import annotations

import doctest
import math

import pandas as pd
import pytest

import rhetorica
from rhetorica import Span
from rhetorica.pipeline import Analyzer, Doc
from rhetorica.speakers import SPEAKER_COLUMNS, speakers_table

#: Span labels that carry voice / speaker / quote_kind.
VOICED = ("rhetorical_question", "question", "historical_analogy", "historical_reference", "loaded_language",
          "name_calling", "biased", "subjective", "hedge", "frame", "persuasion")
KINDS = ("direct", "partial", "indirect", "mixed")
#: (editorial score, the all-voices score it is a part of)
EDITORIAL_COUNTS = [
    ("editorial_rhetorical_question_count", "rhetorical_question_count"),
    ("editorial_historical_analogy_count", "historical_analogy_count"),
    ("editorial_historical_smear_count", "historical_smear_count"),
    ("editorial_loaded_language_count", "loaded_language_count"),
    ("editorial_name_calling_count", "name_calling_count"),
    ("editorial_propaganda_span_count", "propaganda_span_count"),
    ("editorial_persuasion_technique_count", "persuasion_technique_count"),
]
EDITORIAL_SHARES = ["editorial_media_bias_share", "editorial_subjectivity_share", "editorial_hedge_share",
                    "editorial_rhetorical_question_rate", "editorial_historical_analogy_rate",
                    "editorial_loaded_language_rate", "editorial_persuasion_paragraph_share"]
#: The editorial scores the contract promises, by name.
CONTRACT_SCORES = ["editorial_rhetorical_question_count", "editorial_historical_analogy_count",
                   "editorial_loaded_language_count", "editorial_name_calling_count",
                   "editorial_propaganda_span_count", "editorial_media_bias_share", "editorial_subjectivity_share",
                   "editorial_hedge_share", "editorial_persuasion_technique_count"]

SPEAKER = "Senator John Harlan"
ANALOGY = "This deal is a new Munich, and appeasing the Kremlin now is exactly what Chamberlain did with Hitler in 1938."
LOADED = "This is an outrageous, disgusting betrayal by the government."


@pytest.fixture(scope="session")
def rules():
    return Analyzer(detectors=["boilerplate", "quote"])


@pytest.fixture(scope="session")
def voiced():
    """The quote detector plus the span-level model detectors the sentence tests read."""
    return Analyzer(detectors=["boilerplate", "quote", "rhetorical_question", "historical_analogy", "propaganda"])


def _doc(analyzer, text: str) -> Doc:
    doc = Doc(text)
    doc.spans.extend(analyzer(text).spans)
    return doc


def _at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


# -- Doc.voice / Doc.speaker_of ------------------------------------------------------------------------
def test_voice_speaker_of_indirect_content_is_quoted_but_not_its_frame(rules):
    text = "Jane Doe said that the bridge would close in May. The river was calm on Sunday."
    doc = _doc(rules, text)
    assert doc.speaker_of(*_at(text, "the bridge would close in May")) == ("quoted", "Jane Doe", "indirect")
    assert doc.speaker_of(*_at(text, "Jane Doe said")) == ("editorial", "", "")
    assert doc.speaker_of(*_at(text, "The river was calm on Sunday.")) == ("editorial", "", "")
    # the whole sentence is mostly the reported content
    assert doc.voice(*_at(text, "Jane Doe said that the bridge would close in May.")) == "quoted"
    # the verbatim-only intervals (quoted_share) do not change: indirect speech has no quoted words
    assert doc.quoted_intervals() == []
    assert doc.voice_attrs(0, 0) == {"voice": "editorial", "speaker": "", "quote_kind": ""}


def test_voice_speaker_of_direct_and_unattributed_quotes(rules):
    text = "“We will not back down,” Jane Doe said on Monday."
    doc = _doc(rules, text)
    assert doc.speaker_of(*_at(text, "We will not back down")) == ("quoted", "Jane Doe", "direct")
    assert doc.speaker_of(*_at(text, "Jane Doe said on Monday.")) == ("editorial", "", "")
    # a quote the detector could not attribute: quoted, with no speaker
    text = "“Nobody knows who wrote this,” the note began."
    doc = Doc(text)
    doc.spans.append(Span(*_at(text, "“Nobody knows who wrote this,”"), "quote", 0.85, {"kind": "direct",
                                                                                        "speaker": ""}))
    assert doc.speaker_of(*_at(text, "Nobody knows who wrote this")) == ("quoted", "", "direct")
    assert doc.speaker_of(*_at(text, "the note began.")) == ("editorial", "", "")


def test_voice_speaker_of_innermost_quote_owns_the_overlap():
    text = "Officials said the plan was “a disaster for everyone” and would be dropped soon."
    doc = Doc(text)
    outer = _at(text, "the plan was “a disaster for everyone” and would be dropped soon")
    inner = _at(text, "“a disaster for everyone”")
    doc.spans.extend([Span(*outer, "quote", 1.0, {"kind": "mixed", "speaker": "officials"}),
                      Span(*inner, "quote", 1.0, {"kind": "partial", "speaker": "Jane Doe"})])
    doc.invalidate()
    assert doc.speaker_of(*inner) == ("quoted", "Jane Doe", "partial")
    assert doc.speaker_of(*_at(text, "would be dropped soon")) == ("quoted", "officials", "mixed")
    assert doc.speaker_of(*_at(text, "Officials said")) == ("editorial", "", "")
    # the sentence: most of it is the mixed quote's own words
    assert doc.speaker_of(0, len(text)) == ("quoted", "officials", "mixed")


def test_voice_intervals_follow_new_spans_after_invalidate():
    text = "The minister said the port would reopen next week."
    doc = Doc(text)
    content = _at(text, "the port would reopen next week")
    assert doc.speaker_of(*content) == ("editorial", "", "")
    doc.spans.append(Span(*content, "quote", 1.0, {"kind": "indirect", "speaker": "the minister"}))
    doc.invalidate()
    assert doc.speaker_of(*content) == ("quoted", "the minister", "indirect")


# -- every feature carries the voice -------------------------------------------------------------------
def test_voice_analogy_inside_a_quote_is_quoted_with_its_speaker(voiced):
    quoted = voiced(f"“{ANALOGY[:-1]},” said {SPEAKER}.")
    editorial = voiced(ANALOGY)
    (q,) = quoted.spans_of("historical_analogy")
    (e,) = editorial.spans_of("historical_analogy")
    assert q.attrs["voice"] == "quoted" and "Harlan" in q.attrs["speaker"] and q.attrs["quote_kind"] == "direct"
    assert (e.attrs["voice"], e.attrs["speaker"], e.attrs["quote_kind"]) == ("editorial", "", "")
    assert quoted.scores["historical_analogy_count"] == editorial.scores["historical_analogy_count"] == 1
    assert quoted.scores["editorial_historical_analogy_count"] == 0
    assert editorial.scores["editorial_historical_analogy_count"] == 1
    assert editorial.scores["editorial_historical_analogy_rate"] == 1.0  # one editorial sentence, one analogy


def test_voice_indirect_speech_content_counts_as_quoted(voiced):
    text = ("The talks ended on Friday. According to the senator, the deal is a new Munich, a repeat of what "
            "Chamberlain did with Hitler in 1938.")
    a = voiced(text)
    (q,) = a.spans_of("historical_analogy")
    assert (q.attrs["voice"], q.attrs["quote_kind"]) == ("quoted", "indirect")
    assert "senator" in q.attrs["speaker"].lower()
    assert a.scores["editorial_historical_analogy_count"] == 0
    # the reported clause is someone else's; the writer's own sentence stays editorial
    assert math.isclose(a.scores["editorial_historical_analogy_rate"], 0.0)


@pytest.mark.parametrize("text, voice, kind", [
    (LOADED, "editorial", ""),
    (f"“This is an outrageous, disgusting betrayal,” said {SPEAKER}.", "quoted", "direct"),
    (f"{SPEAKER} said that the plan was an outrageous, disgusting betrayal of voters.", "quoted", "indirect"),
    ("The senator called the plan an “outrageous, disgusting betrayal” of voters and walked out of the chamber.",
     "quoted", "partial"),
])
def test_voice_loaded_language_inside_and_outside_quotes(voiced, text, voice, kind):
    a = voiced(text)
    spans = a.spans_of("loaded_language") + a.spans_of("name_calling")
    assert {a.text[s.start:s.end] for s in spans} >= {"outrageous", "disgusting"}
    for s in spans:
        assert (s.attrs["voice"], s.attrs["quote_kind"]) == (voice, kind)
        assert (s.attrs["speaker"] == "") == (voice == "editorial")
    n = a.scores["propaganda_span_count"]
    assert a.scores["editorial_propaganda_span_count"] == (n if voice == "editorial" else 0)
    assert a.scores["editorial_loaded_language_count"] <= a.scores["loaded_language_count"]
    if voice == "editorial":
        assert a.scores["editorial_loaded_language_rate"] == a.scores["loaded_language_rate"]


def test_voice_rhetorical_question_in_a_quote(voiced):
    q = "Who in their right mind would trust a man like that?"
    quoted = voiced(f"“{q}” asked {SPEAKER}.")
    editorial = voiced(q)
    (sq,) = quoted.spans_of("rhetorical_question")
    (se,) = editorial.spans_of("rhetorical_question")
    assert sq.attrs["voice"] == "quoted" and "Harlan" in sq.attrs["speaker"]
    assert se.attrs["voice"] == "editorial" and se.attrs["speaker"] == ""
    assert quoted.scores["editorial_rhetorical_question_count"] == 0
    assert editorial.scores["editorial_rhetorical_question_rate"] == 1.0
    # the quoted question's sentence is not the writer's: no editorial sentence left to divide by
    assert math.isnan(quoted.scores["editorial_rhetorical_question_rate"])


def test_voice_a_question_is_the_askers_even_around_attributed_content():
    """An attribution inside a question ("Why does X believe that ...?") leaves the asking to the writer; a question
    inside quotation marks is the quoted speaker's."""
    voiced = Analyzer(detectors=["boilerplate", "quote", "attribution", "rhetorical_question"])
    text = ("Why does the minister believe that the new tariffs will protect farmers? "
            "Did Senator Harlan Voss really say that the treaty was dead?")
    a = voiced(text)
    questions = a.spans_of("rhetorical_question") + a.spans_of("question")
    assert len(questions) == 2
    for q in questions:
        inside = [s for s in a.spans_of("quote") if s.start < q.end and q.start < s.end]
        assert inside, a.text[q.start:q.end]  # there is attributed content in each question
        assert q.attrs["voice"] == "editorial" and q.attrs["speaker"] == "", (a.text[q.start:q.end], q.attrs)
    # the rate counts the writer's questions per writer's sentence: both sentences are the writer's questions
    n_rq = len(a.spans_of("rhetorical_question"))
    assert a.scores["editorial_rhetorical_question_count"] == n_rq
    assert a.scores["editorial_rhetorical_question_rate"] == n_rq / 2
    quoted = voiced(f"“Why does the minister believe that the tariffs will protect farmers?” asked {SPEAKER}.")
    (q,) = quoted.spans_of("rhetorical_question") + quoted.spans_of("question")
    assert q.attrs["voice"] == "quoted" and "Harlan" in q.attrs["speaker"]


# -- the Mali article ---------------------------------------------------------------------------------
def _expected_voice(a, start: int, end: int, question: bool = False) -> tuple[str, str, str]:
    """An independent, quadratic oracle for Doc.speaker_of: majority overlap with the quote spans; a question whose
    question mark no quote span covers is the writer's."""
    quotes = a.spans_of("quote")
    mark = a.text.rfind("?", start, end)
    if question and mark >= 0 and not any(q.start <= mark < q.end for q in quotes):
        return "editorial", "", ""
    covered = set()
    best, best_n = None, 0
    for q in quotes:
        lo, hi = max(q.start, start), min(q.end, end)
        if hi > lo:
            covered.update(range(lo, hi))
            if hi - lo > best_n:
                best, best_n = q, hi - lo
    if 2 * len(covered) <= end - start:
        return "editorial", "", ""
    return "quoted", best.attrs.get("speaker", ""), best.attrs.get("kind", "")


def test_voice_mali_every_feature_span_carries_its_voice(mali_analysis):
    a = mali_analysis
    spans = [s for s in a.spans if s.label in VOICED]
    assert {s.label for s in spans} >= {"rhetorical_question", "historical_analogy", "biased", "subjective"}
    for s in spans:
        assert s.attrs["voice"] in ("editorial", "quoted"), s
        question = s.label in ("rhetorical_question", "question")
        assert (s.attrs["voice"], s.attrs["speaker"], s.attrs["quote_kind"]) == \
            _expected_voice(a, s.start, s.end, question)
        if s.attrs["voice"] == "quoted":
            assert s.attrs["quote_kind"] in KINDS
    quoted = [s for s in spans if s.attrs["voice"] == "quoted"]
    assert quoted, "the article's quoted sentences are found"
    assert {s.attrs["speaker"] for s in quoted} <= set(a.speakers["speaker"])
    # the sentence that only reports what Russian official media said is theirs, not the writer's
    doc = Doc(a.text)
    doc.spans.extend(a.spans)
    start = a.text.index("According to Russian official media")
    sent = doc.sentences[doc.sentence_at(start)]
    voice, speaker, kind = doc.speaker_of(sent.start, sent.end)
    assert (voice, kind) == ("quoted", "indirect") and "Russian official media" in speaker
    for s in spans:  # and so is every feature span over it
        if (s.start, s.end) == (sent.start, sent.end):
            assert (s.attrs["voice"], s.attrs["speaker"]) == ("quoted", speaker)


def test_voice_mali_editorial_scores_are_consistent(mali_analysis):
    a, sc = mali_analysis, mali_analysis.scores
    for ed, total in EDITORIAL_COUNTS:
        assert 0 <= sc[ed] <= sc[total], (ed, sc[ed], sc[total])
    for name in EDITORIAL_SHARES:
        assert 0.0 <= sc[name], name
    for name in ("editorial_media_bias_share", "editorial_subjectivity_share", "editorial_hedge_share",
                 "editorial_persuasion_paragraph_share", "editorial_rhetorical_question_rate",
                 "editorial_historical_analogy_rate"):
        assert sc[name] <= 1.0, name
    editorial_rq = [s for s in a.spans_of("rhetorical_question") if s.attrs["voice"] == "editorial"]
    assert sc["editorial_rhetorical_question_count"] == len(editorial_rq) == 8  # every question is the writer's
    # the share's denominator is the editorial content sentences: recompute it from the spans
    doc = Doc(a.text)
    doc.spans.extend(a.spans)
    n_editorial = len(doc.editorial_sentences())
    assert 0 < n_editorial < len(doc.content_sentences())  # the quoted sentences are left out
    for label, name in (("biased", "editorial_media_bias_share"), ("subjective", "editorial_subjectivity_share"),
                        ("hedge", "editorial_hedge_share")):
        flagged = sum(s.attrs["voice"] == "editorial" for s in a.spans_of(label))
        assert sc[name] == pytest.approx(flagged / n_editorial)
    # the question rate's writer's sentences also hold the writer's questions around attributed content (the Mali
    # question "Why does Mali view its partnership ... through such a lens ...?" frames what Mali views)
    asked = {doc.sentence_at(s.start) for s in a.spans_of("rhetorical_question") + a.spans_of("question")
             if s.attrs["voice"] == "editorial"}
    n_asked = len(set(doc.editorial_sentences()) | asked)
    assert n_asked == n_editorial + 1
    assert sc["editorial_rhetorical_question_rate"] == pytest.approx(8 / n_asked)


def test_voice_mali_speakers_table(mali_analysis):
    a = mali_analysis
    table = a.speakers
    assert list(table.columns) == SPEAKER_COLUMNS
    names = list(table["speaker"])
    for who in ("Belousov", "Putin", "Kamará", "Russian official media"):
        rows = table[table["speaker"].str.contains(who, regex=False)]
        assert len(rows) == 1, f"{who!r} should be one speaker row, got {names}"
    typed = any("speaker_type" in q.attrs for q in a.spans_of("quote"))
    by_name = {r.speaker: r for r in table.itertuples()}
    media = next(n for n in names if "Russian official media" in n)
    if typed:  # the quote detector reports speaker types
        assert by_name[media].speaker_type == "media"
        for who in ("Belousov", "Putin", "Kamará"):
            assert by_name[next(n for n in names if who in n)].speaker_type == "person"
    else:
        assert set(table["speaker_type"]) <= {"person", "unresolved"}
    # counts agree with the quote spans and the passage scores
    first_parts = [q for q in a.spans_of("quote") if q.attrs.get("part", 0) == 0]
    assert table["quotes"].sum() == len(first_parts) == a.scores["quote_count"]
    assert (table[["direct", "partial", "indirect", "mixed"]].sum(axis=1) == table["quotes"]).all()
    assert (table["chars"] > 0).all()
    for r in table.itertuples():
        own = [q for q in a.spans_of("quote") if q.attrs.get("speaker", "") == r.speaker]
        assert r.first_start == min(q.start for q in own)
        assert r.chars <= sum(q.end - q.start for q in own)
    belousov = by_name[next(n for n in names if "Belousov" in n)]
    assert belousov.direct >= 1 and belousov.indirect >= 1
    # sorted by quotes (most first), then first appearance
    keys = list(zip(-table["quotes"], table["first_start"]))
    assert keys == sorted(keys)


def test_voice_speakers_table_unattributed_and_empty(rules):
    empty = rules("The river was calm on Sunday. Nothing else happened.").speakers
    assert list(empty.columns) == SPEAKER_COLUMNS and len(empty) == 0
    text = "The harbour was quiet."
    fake = rhetorica.Analysis(text=text, spans=(
        Span(*_at(text, "The harbour"), "quote", 1.0, {"kind": "direct", "speaker": ""}),
        Span(*_at(text, "was quiet."), "quote", 1.0, {"kind": "indirect", "speaker": ""}),
    ))
    t = fake.speakers
    assert t.to_dict("records") == [{"speaker": "", "speaker_type": "unresolved", "quotes": 2, "direct": 1,
                                     "partial": 0, "indirect": 1, "mixed": 0, "chars": 21, "first_start": 0}]
    with pytest.raises(TypeError, match="Analysis"):
        speakers_table("not an analysis")


def test_voice_speakers_table_counts_a_split_quotation_once():
    text = "“First part of a long quotation.\n\n“Second part of it,” said Jane Doe."
    p2 = text.index("“Second")
    fake = rhetorica.Analysis(text=text, spans=(
        Span(0, p2 - 2, "quote", 1.0, {"kind": "direct", "speaker": "Jane Doe", "part": 0,
                                       "speaker_type": "person"}),
        Span(p2, text.index(" said"), "quote", 1.0, {"kind": "direct", "speaker": "Jane Doe", "part": 1,
                                                     "speaker_type": "person"}),
    ))
    (row,) = fake.speakers.to_dict("records")
    assert (row["quotes"], row["direct"], row["first_start"]) == (1, 1, 0)
    assert row["chars"] == len("First part of a long quotation.") + len("Second part of it,")


# -- corpus frames ------------------------------------------------------------------------------------
def test_voice_speakers_frame_keeps_every_row_under_coerce():
    df = pd.DataFrame({"text": [f"“We will win,” said {SPEAKER}.", None,
                                "Jane Doe said that the bridge would close. “It is old,” said Tom Reed."],
                       "other": [1, 2, 3]}, index=["x", "y", "z"])
    out = rhetorica.speakers_frame(df, errors="coerce")
    assert list(out.columns) == ["row_id", *SPEAKER_COLUMNS, "error"]
    assert list(out["row_id"]) == ["x", "y", "z", "z"]
    assert out.loc[out["row_id"] == "y", "error"].item() == "text is missing (None/NaN)"
    assert out.loc[out["row_id"] != "y", "error"].isna().all()
    assert list(out.loc[out["row_id"] == "z", "speaker"]) == ["Jane Doe", "Tom Reed"]  # first appearance
    assert "John Harlan" in out.loc[out["row_id"] == "x", "speaker"].item()
    assert list(df.columns) == ["text", "other"]  # the input is not modified
    with pytest.raises(rhetorica.RowError, match="'y'"):
        rhetorica.speakers_frame(df)


def test_voice_speakers_frame_needs_the_quote_detector():
    with pytest.raises(ValueError, match="'quote'"):
        rhetorica.speakers_frame(["“Go,” said Jane Doe."], detectors=["boilerplate"])
    with pytest.raises(ValueError, match="errors"):
        rhetorica.speakers_frame(["“Go,” said Jane Doe."], errors="ignore")
    assert "speakers_frame" in rhetorica.__all__


def test_voice_score_frame_has_the_editorial_columns():
    df = pd.DataFrame({"text": [ANALOGY, f"“{ANALOGY[:-1]},” said {SPEAKER}.", ""]})
    out = rhetorica.score_frame(df)
    for name in CONTRACT_SCORES + EDITORIAL_SHARES:
        assert name in out.columns, name
    assert list(out["historical_analogy_count"]) == [1, 1, 0]
    assert list(out["editorial_historical_analogy_count"]) == [1, 0, 0]
    # an empty text has no editorial sentence: shares and rates are undefined, counts are zero
    assert out.loc[2, EDITORIAL_SHARES].isna().all()
    assert (out.loc[2, [n for n, _ in EDITORIAL_COUNTS]] == 0).all()


def test_voice_doctests():
    import rhetorica.pipeline
    import rhetorica.speakers

    for mod in (rhetorica.speakers, rhetorica.pipeline):
        result = doctest.testmod(mod)
        assert result.attempted > 0 and result.failed == 0, mod.__name__
