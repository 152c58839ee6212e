"""The ``quote`` detector: quotation marks, attribution frames, speakers, indirect speech, voice shares."""
from __future__ import annotations

import math
import time

import pytest

from rhetorica.pipeline import Analyzer, Doc

from conftest import DATA, need_data


@pytest.fixture(scope="session")
def analyzer():
    return Analyzer(detectors=["boilerplate", "quote"])


def quotes(analyzer, text):
    return analyzer(text).spans_of("quote")


@pytest.fixture(scope="session")
def mali(analyzer, mali_text):
    return analyzer(mali_text)


def _find(a, fragment):
    """The quote span whose text contains ``fragment``."""
    hits = [s for s in a.spans_of("quote") if fragment in a.text[s.start:s.end]]
    assert hits, f"no quote span contains {fragment!r}"
    return hits[0]


# -- the reference article ---------------------------------------------------------------------
@pytest.mark.parametrize("fragment, kind, speaker, cue", [
    ("The regular nature of our meetings", "direct", "Andrey Belousov", "stated"),
    ("While the geopolitical situation", "direct", "Sadio Kamará", "remarked"),
    ("positive trajectory", "partial", "Vladimir Putin", "characterized"),
    ("there is greater potential for collaboration", "direct", "Vladimir Putin", "remarked"),
    ("both countries have common interests", "indirect", "Andrey Belousov", "noted"),
    ("this meeting ignited vibrant discussions", "indirect", "Russian official media", "according to"),
])
def test_quotes_mali_reference(mali, fragment, kind, speaker, cue):
    s = _find(mali, fragment)
    assert s.attrs["kind"] == kind
    assert s.attrs["speaker"] == speaker
    assert s.attrs["cue"] == cue
    text = mali.text
    assert text[s.attrs["cue_start"]:s.attrs["cue_end"]].lower() == cue
    assert s.attrs["speaker_start"] >= 0 and s.attrs["speaker_end"] > s.attrs["speaker_start"]
    if kind in ("direct", "partial"):
        assert text[s.start] == "“" and text[s.end - 1] == "”"  # the marks are part of the span
        assert s.score >= 0.85


def test_quotes_mali_voice_and_shares(mali, mali_text):
    doc = Doc(mali_text)
    doc.spans = list(mali.spans)
    belousov = _find(mali, "The regular nature")
    assert doc.voice(belousov.start, belousov.end) == "quoted"
    q = mali_text.index("What could be the potential implications")
    rq = (q, mali_text.index("?", q) + 1)
    assert doc.voice(*rq) == "editorial"
    assert not any(s.start < rq[1] and rq[0] < s.end for s in mali.spans_of("quote"))
    sc = mali.scores
    assert 0 < sc["quoted_share"] < 1
    assert sc["quoted_share"] + sc["editorial_share"] == pytest.approx(1.0)
    assert sc["direct_quote_count"] == 3 and sc["partial_quote_count"] == 1
    assert sc["quote_count"] == sc["direct_quote_count"] + sc["partial_quote_count"] + sc["indirect_quote_count"]
    assert sc["speaker_count"] == 4  # Belousov, Kamará, Putin (one, though written two ways), official media


def test_quotes_mali_boilerplate_and_analogy_excluded(mali):
    furniture = [(s.start, s.end) for s in mali.spans_of("boilerplate")]
    assert furniture
    for s in mali.spans_of("quote"):
        assert not any(fs < s.end and s.start < fe for fs, fe in furniture)
    # "He invoked the fight against Nazi Germany ..." names no words of Kamará's: not reported speech
    assert not any("invoked" in mali.text[s.start:s.end] for s in mali.spans_of("quote"))


# -- typography ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, kind, speaker", [
    ('"We will win," said Jane Doe.', "direct", "Jane Doe"),
    ("“We will win,” Jane Doe said.", "direct", "Jane Doe"),
    ("«We will win», said Jane Doe.", "direct", "Jane Doe"),
    ("‘We will win,’ said Jane Doe.", "direct", "Jane Doe"),
    ("''We will win,'' Jane Doe told reporters.", "direct", "Jane Doe"),
    ("Jane Doe said: “We will win the vote in the spring.”", "direct", "Jane Doe"),
    ("As Jane Doe told the crowd, “there is no plan B.”", "direct", "Jane Doe"),
    ("Senator Jane Doe called the bill “a disgrace to the chamber.”", "partial", "Jane Doe"),
    ("“The team’s plan, which they’d drafted in Bamako’s heat, is sound,” said Defense Minister Ivan Petrov.",
     "direct", "Ivan Petrov"),
    ("“He told me ‘never again’ and left,” the mayor said.", "direct", "the mayor"),
])
def test_quotes_typography(analyzer, text, kind, speaker):
    qs = quotes(analyzer, text)
    assert len(qs) == 1, [text[s.start:s.end] for s in qs]
    assert qs[0].attrs["kind"] == kind
    assert qs[0].attrs["speaker"] == speaker


def test_quotes_title_kept_apart(analyzer):
    s = quotes(analyzer, "“We are ready,” said Defense Minister Ivan Petrov.")[0]
    assert s.attrs["speaker"] == "Ivan Petrov"
    assert s.attrs["speaker_title"] == "Defense Minister"


@pytest.mark.parametrize("text", [
    "They’d rather stay in Bamako’s old town, where the nations’ interests meet.",
    "It's the company's best year, the workers' union admits nothing.",
    "Rock 'n' roll isn't dead, and the '90s are back.",
])
def test_quotes_apostrophes_are_not_quotes(analyzer, text):
    assert [s for s in quotes(analyzer, text) if s.attrs["kind"] != "indirect"] == []


def test_quotes_scare_quotes_and_titles_stay_editorial(analyzer):
    text = ("The so-called “experts” were wrong again. She appeared on “Fox News Sunday” to discuss the budget.")
    assert quotes(analyzer, text) == []


def test_quotes_nested_single_inside_double_is_one_span(analyzer):
    text = "“My father said ‘keep going’ every morning,” Maria Lopez recalled."
    qs = quotes(analyzer, text)
    assert len(qs) == 1 and qs[0].start == 0 and text[qs[0].end - 1] == "”"
    assert qs[0].attrs["speaker"] == "Maria Lopez" and qs[0].attrs["cue"] == "recalled"


# -- speakers --------------------------------------------------------------------------------------
def test_quotes_pronoun_resolves_to_last_named_person(analyzer):
    text = ("Finance Minister Maria Lopez met the governors on Monday. "
            "She said the budget would be balanced by 2027. “We have done the hard part,” she added.")
    qs = quotes(analyzer, text)
    assert [s.attrs["kind"] for s in qs] == ["indirect", "direct"]
    assert all(s.attrs["speaker"] == "Maria Lopez" for s in qs)
    assert text[qs[0].attrs["speaker_start"]:qs[0].attrs["speaker_end"]] == "She"


def test_quotes_surname_resolves_to_full_name_and_counts_once(analyzer):
    text = ("President Vladimir Putin met the delegation. “The talks went well,” Putin said. "
            "“We will meet again,” said Mr. Putin.")
    a = analyzer(text)
    assert [s.attrs["speaker"] for s in a.spans_of("quote")] == ["Vladimir Putin", "Vladimir Putin"]
    assert a.scores["speaker_count"] == 1


def test_quotes_speaker_in_sentence_before(analyzer):
    text = "Jane Doe then read her statement to the press:\n\n“We will not resign. We will fight on.”"
    s = quotes(analyzer, text)[0]
    assert s.attrs["kind"] == "direct" and s.attrs["speaker"] == "Jane Doe"
    assert s.score < 1.0  # weaker evidence than a frame around the quotation


@pytest.mark.parametrize("text, speaker, cue, content", [
    ("The senator noted that the bill had failed twice.", "The senator", "noted", "that the bill had failed twice"),
    ("John Smith said the plan would fail without new funding.", "John Smith", "said",
     "the plan would fail without new funding"),
    ("The plan would fail without new funding, officials said on Monday.", "officials", "said",
     "The plan would fail without new funding"),
    ("According to the ministry, the road will open in May.", "the ministry", "according to",
     "the road will open in May"),
])
def test_quotes_indirect(analyzer, text, speaker, cue, content):
    qs = quotes(analyzer, text)
    assert len(qs) == 1
    s = qs[0]
    assert s.attrs["kind"] == "indirect" and s.attrs["speaker"] == speaker and s.attrs["cue"] == cue
    assert text[s.start:s.end] == content


# -- paragraphs and broken marks -------------------------------------------------------------------
def test_quotes_continued_over_paragraphs(analyzer):
    text = ("“The first part of the statement runs on and on,\n\n"
            "“and the second paragraph finishes it,” said Jane Doe.\n\n"
            "The meeting ended at noon.")
    qs = quotes(analyzer, text)
    assert [s.attrs["part"] for s in qs] == [0, 1]
    assert all(s.attrs["speaker"] == "Jane Doe" and s.attrs["kind"] == "direct" for s in qs)
    first_para_end = text.index("\n\n")
    assert qs[0].end == first_para_end  # capped at its paragraph, not across the blank line
    assert analyzer(text).scores["quote_count"] == 1  # one quotation in two parts


@pytest.mark.parametrize("text", [
    "“This quotation never closes and the writer moves on to other matters entirely, Jane Doe said.\n\n"
    "A second paragraph of plain reporting follows here.",
    "” A stray closing mark. And \" another stray one, then ‘ an opening single.",
    "\"\"\"\"\"\" ““““ ”””” '' ‘’‘’ «»",
])
def test_quotes_unbalanced_marks_stay_bounded(analyzer, text):
    a = analyzer(text)
    paras = Doc(text).paragraphs
    for s in a.spans_of("quote"):
        assert 0 <= s.start < s.end <= len(text)
        assert any(ps <= s.start and s.end <= pe for ps, pe in paras)  # never crosses a paragraph
        assert 0.0 <= s.score <= 1.0
    if text.startswith("“This"):
        s = a.spans_of("quote")[0]
        assert s.end <= text.index("\n\n") and s.attrs["closed"] is False and s.score < 1.0


def test_quotes_large_input_is_linear(analyzer):
    para = ("“We are pleased with Bamako’s progress,” Minister John Smith said. He added that the talks would "
            "continue, according to state media. An unclosed “quotation runs on here")
    text = "\n\n".join([para] * 1200)  # ~200 KB
    t0 = time.perf_counter()
    a = analyzer(text)
    elapsed = time.perf_counter() - t0
    assert len(a.spans_of("quote")) >= 3 * 1200
    assert elapsed < 20  # ~1 s on a free core; a quadratic scan would take minutes


def test_quotes_empty_and_quote_free_text(analyzer):
    a = analyzer("")
    assert a.scores["quote_count"] == 0 and math.isnan(a.scores["quoted_share"])
    assert math.isnan(a.scores["editorial_share"])
    a = analyzer("The river rose two metres overnight. Roads were closed.")
    assert a.spans_of("quote") == []
    assert a.scores["quoted_share"] == 0 and a.scores["editorial_share"] == 1


# -- PolNeAR snippets (short, from the dev split) ------------------------------------------------------
POLNEAR = DATA / "quotes" / "polnear" / "dev" / "text"


@pytest.mark.parametrize("stem, fragment, speaker_word", [
    ("breitbart_2016-09-12_stealth-over-health-hillary-clin", "keep the details of her medical", "Post"),
    ("breitbart_2016-09-12_stealth-over-health-hillary-clin", "Secret Service protocol called", "sources"),
    ("breitbart_2016-09-12_stealth-over-health-hillary-clin", "Clinton had told police", "source"),
])
def test_quotes_polnear_snippets(analyzer, stem, fragment, speaker_word):
    path = need_data(POLNEAR / f"{stem}.txt")
    text = path.read_text(encoding="utf-8")
    a = analyzer(text)
    hits = [s for s in a.spans_of("quote") if fragment in text[s.start:s.end]]
    assert hits, fragment
    assert speaker_word in hits[0].attrs["speaker"]


def test_quotes_interview_transcript_turns_are_quoted_voice():
    text = ("The minister spoke to our correspondent.\n\n((WN)) What drew you to politics?\n\n"
            "((Jane Doe)) My father did. He ran for office twice.\n\n"
            "((WN)) And now?\n\n((Jane Doe)) Now it is my turn.")
    a = Analyzer(detectors=["boilerplate", "quote"])(text)
    turns = [s for s in a.spans_of("quote") if s.attrs["cue"] == "transcript"]
    assert [s.attrs["speaker"] for s in turns] == ["WN", "Jane Doe", "WN", "Jane Doe"]
    assert text[turns[1].start:turns[1].end] == "My father did. He ran for office twice."
    assert a.scores["quoted_share"] > 0.5


@pytest.mark.parametrize("text", [
    "NOTE: This story was updated on Monday.\n\nThe council met.",
    "((WN)) Just one tagged line is not a transcript.\n\nThe council met.",
    "Update: the vote was delayed.\n\nPhoto: the council chamber.",
])
def test_quotes_labels_are_not_transcripts(text):
    a = Analyzer(detectors=["boilerplate", "quote"])(text)
    assert not [s for s in a.spans_of("quote") if s.attrs["cue"] == "transcript"]


def test_quotes_capitalised_transcript_tags():
    text = "HANNITY: Why would anyone believe that?\n\nSMITH: Because the numbers say so."
    a = Analyzer(detectors=["boilerplate", "quote"])(text)
    assert [s.attrs["speaker"] for s in a.spans_of("quote")] == ["Hannity", "Smith"]
    assert a.spans_of("quote")[0].start == text.index("Why")
