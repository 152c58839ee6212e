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
    # a marked scare quote stays the writer's even with a reporting verb near, which must not find it a speaker
    text = "The so-called “community benefits” package, which promises a park and 200 flats, was approved."
    assert all("community" not in text[s.start:s.end] for s in quotes(analyzer, text))
    text = "The self-styled “people's champion” said the vote was rigged."
    assert all("champion" not in text[s.start:s.end] for s in quotes(analyzer, text))


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


def test_quotes_a_turn_runs_on_over_its_untagged_paragraphs_up_to_the_next_tag():
    text = ("Jane Doe spoke to our correspondent.\n\n((WN)) What drew you to politics?\n\n"
            "((Jane Doe)) My father did.\n\nWhy would I do anything else?\n\n"
            "((WN)) And now?\n\n((Jane Doe)) Now it is my turn.\n\nThe interview was recorded in May.")
    a = Analyzer(detectors=["boilerplate", "quote", "rhetorical_question"])(text)
    quotes = [s for s in a.spans_of("quote") if s.attrs["cue"] == "transcript"]
    follow = [s for s in quotes if text[s.start:s.end] == "Why would I do anything else?"]
    assert follow and follow[0].attrs["speaker"] == "Jane Doe" and follow[0].attrs["part"] == 1
    assert follow[0].attrs["cue_start"] == text.index("((Jane Doe)) My")  # the same cue as the tagged paragraph
    # the question inside the answer is the speaker's, not the writer's
    q = text.index("Why would")
    assert [s.attrs["voice"] for s in a.spans if s.start == q and "question" in s.label] == ["quoted"]
    # the writer's lines before the first turn and after the last one stay the writer's
    for line in ("Jane Doe spoke to our correspondent.", "The interview was recorded in May."):
        at = text.index(line)
        assert not [s for s in quotes if s.start <= at < s.end]


def test_quotes_initials_and_q_a_tags_are_transcript_turns():
    text = ("JB: How far are we from a vaccine?\n\nKL: Years, not months.\n\n"
            "JB: Why?\n\nKL: The trials take time.")
    turns = [s for s in Analyzer(detectors=["boilerplate", "quote"])(text).spans_of("quote")
             if s.attrs["cue"] == "transcript"]
    assert [s.attrs["speaker"] for s in turns] == ["JB", "KL", "JB", "KL"]
    qa = "Q: Will taxes rise?\n\nA: Not this year.\n\nQ: And next year?\n\nA: That depends on growth."
    turns = [s for s in Analyzer(detectors=["boilerplate", "quote"])(qa).spans_of("quote")
             if s.attrs["cue"] == "transcript"]
    assert [s.attrs["speaker"] for s in turns] == ["Q", "A", "Q", "A"]


def test_quotes_capitalised_transcript_tags():
    text = "HANNITY: Why would anyone believe that?\n\nSMITH: Because the numbers say so."
    a = Analyzer(detectors=["boilerplate", "quote"])(text)
    assert [s.attrs["speaker"] for s in a.spans_of("quote")] == ["Hannity", "Smith"]
    assert a.spans_of("quote")[0].start == text.index("Why")


# -- attribution forms (sentences written for these tests) ---------------------------------------------
@pytest.mark.parametrize("text, kind, speaker, cue, content", [
    # "X said that …" / "X warned …" / "X told reporters …"
    ("Finance Minister Maria Lopez said that the budget would be balanced by 2027.", "indirect", "Maria Lopez",
     "said", "that the budget would be balanced by 2027"),
    ("Maria Lopez warned the deficit would grow next year.", "indirect", "Maria Lopez", "warned",
     "the deficit would grow next year"),
    ("The governor told reporters on Monday that the bridge would reopen in June.", "indirect", "The governor",
     "told", "that the bridge would reopen in June"),
    # "according to X" before and after its clause
    ("According to the ministry, the road will open in May.", "indirect", "the ministry", "according to",
     "the road will open in May"),
    ("The road will open in May, according to state television.", "indirect", "state television",
     "according to", "The road will open in May"),
    # "X's spokesman said"
    ("Lopez's spokesman said the minister would not resign.", "indirect", "Lopez's spokesman", "said",
     "the minister would not resign"),
    # speaker after the content, plain and inverted with an apposition
    ("The talks collapsed after midnight, officials said.", "indirect", "officials", "said",
     "The talks collapsed after midnight"),
    ("The tool helps in times of crisis, said Jane Doe, the director of the institute.", "indirect", "Jane Doe",
     "said", "The tool helps in times of crisis"),
    # a name in apposition resolves the description
    ("The plan was drafted in a hurry, a spokeswoman, Anna Richardson White, said on Saturday.", "indirect",
     "Anna Richardson White", "said", "The plan was drafted in a hurry"),
    # a second verb sharing the subject: "…, saying …" (and "… and said …", below)
    ("Clinton spoke in Ohio on Monday, saying the economy needed a reset.", "indirect", "Clinton", "saying",
     "the economy needed a reset"),
    # the object of a speech act
    ("Senator Jane Doe denounced the decision to close the hospital.", "indirect", "Jane Doe", "denounced",
     "the decision to close the hospital"),
    # the auxiliary is part of the cue, as PolNeAR annotates it
    ("Maria Lopez has said the tax will not rise.", "indirect", "Maria Lopez", "has said", "the tax will not rise"),
    # mixed: a reported clause holding a quoted fragment of the same verb
    ("Jane Doe said the plan was “a complete disaster for farmers.”", "mixed", "Jane Doe", "said",
     "the plan was “a complete disaster for farmers.”"),
    # colon and dash introductions without a reporting verb
    ("Jane Doe had a blunt answer: “We will not resign.”", "direct", "Jane Doe", ":", "“We will not resign.”"),
    ("Jane Doe was blunt — “We will not resign.”", "direct", "Jane Doe", "—", "“We will not resign.”"),
])
def test_quotes_attribution_forms(analyzer, text, kind, speaker, cue, content):
    qs = quotes(analyzer, text)
    assert len(qs) == 1, [(text[s.start:s.end], s.attrs["kind"]) for s in qs]
    s = qs[0]
    assert (s.attrs["kind"], s.attrs["speaker"], s.attrs["cue"]) == (kind, speaker, cue)
    assert text[s.start:s.end] == content
    assert text[s.attrs["cue_start"]:s.attrs["cue_end"]].lower() == cue  # "According to" -> "according to"


def test_quotes_relative_pronoun_speaker(analyzer):
    text = "Governors such as Chris Christie, who say the senator lacks experience, disagreed with him."
    s = quotes(analyzer, text)[0]
    assert text[s.start:s.end] == "the senator lacks experience"  # ends with the relative clause
    assert (s.attrs["speaker_mention"], s.attrs["speaker"], s.attrs["speaker_type"]) == ("who", "Chris Christie",
                                                                                         "person")


def test_quotes_two_speech_acts_share_the_subject(analyzer):
    text = "Trump criticized the ruling and said judges were biased."
    qs = quotes(analyzer, text)
    assert [(text[s.start:s.end], s.attrs["cue"], s.attrs["speaker"]) for s in qs] == [
        ("the ruling", "criticized", "Trump"), ("judges were biased", "said", "Trump")]
    assert qs[0].score < qs[1].score  # an object is weaker evidence than a clause


def test_quotes_parenthetical_frame_is_one_attribution_in_two_parts(analyzer):
    text = "The plan, Lopez said on Monday, would cut taxes for most families."
    a = analyzer(text)
    qs = a.spans_of("quote")
    assert [text[s.start:s.end] for s in qs] == ["The plan", "would cut taxes for most families"]
    assert [s.attrs["part"] for s in qs] == [0, 1]
    assert {(s.attrs["speaker"], s.attrs["cue_start"]) for s in qs} == {("Lopez", text.index("said"))}
    assert a.scores["quote_count"] == 1 and a.scores["indirect_quote_count"] == 1


def test_quotes_multi_sentence_quotation_and_split_quote(analyzer):
    text = ("“We have done the hard part. The rest is detail. We will finish by spring,” Maria Lopez said. "
            "“Nobody should doubt it.”")
    qs = quotes(analyzer, text)
    assert len(qs) == 2
    assert qs[0].end == text.index(" Maria")  # three sentences, one span
    assert all(s.attrs["speaker"] == "Maria Lopez" and s.attrs["kind"] == "direct" for s in qs)
    assert qs[0].score > qs[1].score  # the frame is weaker evidence for the carried second part


def test_quotes_mixed_counts_and_partial_withdrawn(analyzer):
    text = "Jane Doe said the plan was “a complete disaster for farmers.”"
    a = analyzer(text)
    assert [s.attrs["kind"] for s in a.spans_of("quote")] == ["mixed"]
    assert a.scores["mixed_quote_count"] == 1 and a.scores["partial_quote_count"] == 0
    assert a.scores["quote_count"] == 1


@pytest.mark.parametrize("text, mention, speaker_type", [
    ("The talks collapsed on Monday, officials said.", "officials", "anonymous"),
    ("A source familiar with the matter said the deal was close.", "A source familiar with the matter",
     "anonymous"),
    ("People close to the president said he was furious about the leak.", "People close to the president",
     "anonymous"),
    ("An aide to the governor said the decision was final.", "An aide to the governor", "anonymous"),
    ("The Pentagon said the strikes had hit military targets.", "The Pentagon", "organisation"),
    ("The ministry said the border would stay closed until June.", "The ministry", "organisation"),
    ("Russian official media reported that the two leaders had signed a treaty.", "Russian official media",
     "media"),
    ("State television said the vote would go ahead.", "State television", "media"),
    ("Reuters reported that the factory had closed.", "Reuters", "media"),
    ("Finance Minister Maria Lopez said that the budget would be balanced.", "Finance Minister Maria Lopez",
     "person"),
    ("“We will not resign,” she said.", "she", "unresolved"),  # no one named before: not guessed
    # an unnamed group of people is anonymous, like "officials"; a sentence's first capital makes no surname
    ("Many farmers say the new tariffs have cut their income by half this year.", "Many farmers", "anonymous"),
    ("Voters said the economy was their biggest worry this year.", "Voters", "anonymous"),
])
def test_quotes_speaker_types(analyzer, text, mention, speaker_type):
    s = quotes(analyzer, text)[0]
    assert s.attrs["speaker_mention"] == mention
    assert s.attrs["speaker_type"] == speaker_type
    if speaker_type == "unresolved":
        assert s.attrs["speaker"] == ""


def test_quotes_one_canonical_name_per_person(analyzer):
    text = ("Defense Minister Andrey Belousov met his counterpart on Monday. Belousov said the talks had gone well. "
            "“We share a vision,” the minister said. He added that a new agreement would follow. "
            "“Relations are strong,” said Mr. Belousov.")
    a = analyzer(text)
    qs = a.spans_of("quote")
    assert len(qs) == 4
    assert {s.attrs["speaker"] for s in qs} == {"Andrey Belousov"}
    assert [s.attrs["speaker_mention"] for s in qs] == ["Belousov", "the minister", "He", "Mr. Belousov"]
    assert {s.attrs["speaker_type"] for s in qs} == {"person"}
    assert a.scores["speaker_count"] == 1


def test_quotes_contract_attrs_on_every_span(mali, analyzer):
    extra = analyzer("“We will not resign,” she said. The talks failed, officials said. "
                     "Jane Doe said the plan was “a disaster.”")
    for s in list(mali.spans_of("quote")) + list(extra.spans_of("quote")):
        at = s.attrs
        assert at["kind"] in {"direct", "partial", "indirect", "mixed"}
        assert at["speaker_type"] in {"person", "organisation", "media", "anonymous", "unresolved"}
        for key in ("speaker", "speaker_mention", "cue", "speaker_title"):
            assert isinstance(at[key], str)
        for key in ("speaker_start", "speaker_end", "cue_start", "cue_end", "part"):
            assert isinstance(at[key], int)
        assert isinstance(at["closed"], bool)
        if at["speaker_start"] < 0:
            assert at["speaker_mention"] == ""
        assert (at["speaker"] == "") == (at["speaker_type"] == "unresolved")


def test_quotes_mali_speakers_resolved(mali):
    by_speaker = {}
    for s in mali.spans_of("quote"):
        by_speaker.setdefault(s.attrs["speaker"], set()).add(s.attrs["speaker_type"])
    assert by_speaker == {"Andrey Belousov": {"person"}, "Sadio Kamará": {"person"},
                          "Vladimir Putin": {"person"}, "Russian official media": {"media"}}
    desc = _find(mali, "a shared vision")  # "the Russian Defense Minister emphasized a shared vision"
    assert desc.attrs["speaker_mention"] == "the Russian Defense Minister"
    assert desc.attrs["speaker"] == "Andrey Belousov"
    he = _find(mali, "both countries have common interests")
    assert he.attrs["speaker_mention"] == "He" and he.attrs["speaker"] == "Andrey Belousov"


# -- PolNeAR train snippets (the split the rules were developed on) ------------------------------------
POLNEAR_TRAIN = DATA / "quotes" / "polnear" / "train" / "text"


@pytest.mark.parametrize("stem, fragment, speaker, speaker_type", [
    # a long "according to" source
    ("breitbart_2016-03-01_the-latest-sanders-wins-minnesot", "nearly half of Democratic primary voters",
     "early results of exit polls conducted for The Associated Press and television networks", "organisation"),
    # a bare clause opened by a pronoun, an unnamed group
    ("huff-post_2016-08-12_why-progressives-are-celebrating", "they fear Obama", "Anti-TPP activists",
     "anonymous"),
    # the parenthetical frame "<clause>, Devine said, <clause>", surname resolved to the full name
    ("huff-post_2016-04-27_bernie-sanders-suffered-a-big-bl", "by the upcoming primary calendar", "Tad Devine",
     "person"),
])
def test_quotes_polnear_train_snippets(analyzer, stem, fragment, speaker, speaker_type):
    text = need_data(POLNEAR_TRAIN / f"{stem}.txt").read_text(encoding="utf-8")
    hits = [s for s in analyzer(text).spans_of("quote") if fragment in text[s.start:s.end]]
    assert hits, fragment
    assert hits[0].attrs["speaker"] == speaker
    assert hits[0].attrs["speaker_type"] == speaker_type
    assert hits[0].attrs["kind"] == "indirect"


# -- defects reported against earlier versions ---------------------------------------------------
def test_quotes_sentence_end_does_not_join_names(analyzer):
    text = "“We will win the vote,” said Senator Jane Doe. Doe added that the bill would pass in the spring."
    added = _find(analyzer(text), "the bill would pass")
    assert added.attrs["speaker"] == "Jane Doe"
    assert added.attrs["speaker_mention"] == "Doe"
    assert "." not in added.attrs["speaker"]


def test_quotes_pronoun_after_name_at_sentence_end(analyzer):
    text = "“We will win the vote,” said Senator Jane Doe. She added that the bill would pass in the spring."
    added = _find(analyzer(text), "the bill would pass")
    assert (added.attrs["speaker_mention"], added.attrs["speaker"], added.attrs["speaker_type"]) == (
        "She", "Jane Doe", "person")


def test_quotes_title_abbreviation_stays_in_name(analyzer):
    text = "Sen. Jane Doe said the bill would pass in the spring. Doe added that the vote would be close."
    a = analyzer(text)
    assert {s.attrs["speaker"] for s in a.spans_of("quote")} == {"Jane Doe"}


@pytest.mark.parametrize("text, mention, speaker_type", [
    ("Znak.com reported that the tenant had moved in the day before the blast.", "Znak.com", "media"),
    ("The news site Znak.com reported that the tenant had moved in the day before the blast.",
     "The news site Znak.com", "media"),
    ("Its source said the tenant had moved in the day before the blast.", "Its source", "anonymous"),
    ('The paper reported its source said “three gunmen” were killed in a firefight.', "its source", "anonymous"),
])
def test_quotes_outlets_and_sources_typed(analyzer, text, mention, speaker_type):
    hits = [s for s in quotes(analyzer, text) if s.attrs["speaker_mention"] == mention]
    assert hits, f"no span with speaker mention {mention!r}"
    assert hits[0].attrs["speaker_type"] == speaker_type


def test_quotes_passive_result_is_not_a_speaker(analyzer):
    text = "Four people were confirmed dead after the fire. The regional ministry said the blaze started at night."
    a = analyzer(text)
    mentions = [s.attrs["speaker_mention"] for s in a.spans_of("quote")]
    assert not any("dead" in m or "confirmed" in m for m in mentions)
    said = _find(a, "the blaze started")
    assert said.attrs["speaker_type"] == "organisation"


def test_quotes_object_pronoun_is_not_a_speaker(analyzer):
    for s in quotes(analyzer, "Let’s say the plan works for a whole year."):
        assert s.attrs["speaker"] == "" and s.attrs["speaker_type"] == "unresolved"


# -- boundaries as PolNeAR annotates them (learned on its train split) ---------------------------------
@pytest.mark.parametrize("text, cue", [
    ("The governor has repeatedly said that the budget is balanced.", "has repeatedly said"),
    ("The governor later said that the budget was balanced.", "later said"),
    ("The governor said Tuesday that the budget was balanced.", "said Tuesday"),
    ("The governor called for a new vote on the budget bill.", "called for"),
    ("The governor did not mention the budget deficit in her speech.", "did not mention"),
])
def test_quotes_cue_phrase(analyzer, text, cue):
    spans = quotes(analyzer, text)
    assert spans, "no quote span"
    at = spans[0].attrs
    assert at["cue"] == cue
    assert text[at["cue_start"]:at["cue_end"]] == cue
    assert at["cue_end"] <= spans[0].start or at["cue_start"] >= spans[0].end


def test_quotes_speaker_of_place(analyzer):
    text = "Senator Jane Doe of Maryland said the bill would pass in the spring."
    s = quotes(analyzer, text)[0]
    assert text[s.attrs["speaker_start"]:s.attrs["speaker_end"]] == "Senator Jane Doe of Maryland"
    assert s.attrs["speaker"] == "Jane Doe"


def test_quotes_content_stops_at_second_speech_act(analyzer):
    text = "Jane Doe criticized the budget plan of the governor and said the vote would be close."
    a = analyzer(text)
    first = _find(a, "the budget plan")
    assert a.text[first.start:first.end] == "the budget plan of the governor"
    assert _find(a, "the vote would be close").attrs["cue"] == "said"


def test_quotes_content_takes_closing_two_single_marks(analyzer):
    text = "Jane Doe said that his words had been ''misconstrued.'' The vote is on Monday."
    s = _find(analyzer(text), "misconstrued")
    assert analyzer(text).text[s.start:s.end].endswith("misconstrued.''")


# -- forms added with the recall pass (sentences written for these tests) --------------------------------
@pytest.mark.parametrize("text, kind, speaker, cue, content", [
    # a refusal to speak: the cue is the verb, the content its "to"-infinitive
    ("The Lopez campaign declined to comment on the audit.", "indirect", "The Lopez campaign", "declined",
     "to comment on the audit"),
    ("Maria Lopez vowed to veto the bill.", "indirect", "Maria Lopez", "vowed", "to veto the bill"),
    # an unnamed quantity as the subject (poll respondents)
    ("Two in three said they would vote for the levy in November.", "indirect", "Two in three", "said",
     "they would vote for the levy in November"),
    # a clause opened by a subordinator or a question word
    ("Maria Lopez said if elected she would close the plant.", "indirect", "Maria Lopez", "said",
     "if elected she would close the plant"),
    ("Jane Doe asked whether the bridge would be finished by June.", "indirect", "Jane Doe", "asked",
     "whether the bridge would be finished by June"),
    ("Jane Doe hasn't said whether she will run again next year.", "indirect", "Jane Doe", "said",
     "whether she will run again next year"),
    # the subject of an earlier, coordinated verb
    ("Mayor Jane Doe visited the flooded district on Thursday and said the city would rebuild the levee.",
     "indirect", "Jane Doe", "said", "the city would rebuild the levee"),
    ("She cut the debt in five years, but said she could not afford a house.", "indirect", "", "said",
     "she could not afford a house"),
    # "that" belongs to the reported clause, not to the verb
    ("The mayor's aides say it is fitting that she now faces a strong rival.", "indirect", "The mayor's aides",
     "say", "it is fitting that she now faces a strong rival"),
    # a Title Case headline
    ("Former Lopez Adviser Says Budget Plan Will Fail", "indirect", "Former Lopez Adviser", "Says",
     "Budget Plan Will Fail"),
])
def test_quotes_recall_forms(analyzer, text, kind, speaker, cue, content):
    qs = quotes(analyzer, text)
    assert len(qs) == 1, [(text[s.start:s.end], s.attrs["kind"]) for s in qs]
    s = qs[0]
    assert (s.attrs["kind"], s.attrs["speaker"], s.attrs["cue"]) == (kind, speaker, cue)
    assert text[s.start:s.end] == content


def test_quotes_according_to_source_runs_to_sentence_end(analyzer):
    text = "Turnout rose sharply among young voters, according to exit polls reported by two networks."
    s = quotes(analyzer, text)[0]
    assert s.attrs["cue"] == "according to"
    assert s.attrs["speaker_mention"] == "exit polls reported by two networks"
    assert text[s.start:s.end] == "Turnout rose sharply among young voters"


@pytest.mark.parametrize("text, speaker", [
    ("“There is energy in these races,” Rep. Jane Doe (D-Ore.) said.", "Jane Doe"),
    ("“October was a good month for her,” said former campaign adviser John Smith.", "John Smith"),
])
def test_quotes_frame_with_party_label_or_lowercase_title(analyzer, text, speaker):
    s = quotes(analyzer, text)[0]
    assert (s.attrs["kind"], s.attrs["speaker"], s.attrs["cue"]) == ("direct", speaker, "said")


def test_quotes_second_act_after_a_that_clause(analyzer):
    text = ("Campaign manager John Smith rejected the idea that the senator would hurt the ticket, saying the "
            "crowds at his rallies prove the opposite.")
    qs = quotes(analyzer, text)
    assert [(s.attrs["cue"], text[s.start:s.end]) for s in qs] == [
        ("rejected", "that the senator would hurt the ticket"),
        ("saying", "the crowds at his rallies prove the opposite")]
    assert {s.attrs["speaker"] for s in qs} == {"John Smith"}


def test_quotes_participle_after_a_quotation_frame(analyzer):
    text = "“It calmed him down,” said John Smith, a former party chairman, referring to the surgery in 2004."
    qs = quotes(analyzer, text)
    assert [(s.attrs["kind"], s.attrs["speaker"], s.attrs["cue"]) for s in qs] == [
        ("direct", "John Smith", "said"), ("indirect", "John Smith", "referring to")]
    assert text[qs[1].start:qs[1].end] == "the surgery in 2004"


def test_quotes_nested_report_inside_a_report(analyzer):
    text = "Jane Doe said that her deputy told her the plan would collapse within a year."
    qs = quotes(analyzer, text)
    got = {(s.attrs["speaker"], s.attrs["cue"], text[s.start:s.end]) for s in qs}
    assert ("Jane Doe", "said", "that her deputy told her the plan would collapse within a year") in got
    assert ("her deputy", "told", "the plan would collapse within a year") in got


def test_quotes_participle_after_a_non_speech_verb(analyzer):
    text = "In May, a federal judge sided with the plaintiffs, saying the law violated the constitution."
    s = quotes(analyzer, text)[0]
    assert (s.attrs["speaker_mention"], s.attrs["cue"]) == ("a federal judge", "saying")
    assert text[s.start:s.end] == "the law violated the constitution"


@pytest.mark.parametrize("text, speaker, cue", [
    ("Maria Lopez spoke first. Last year, she backed the levy and said, “This town cannot wait any longer.”",
     "Maria Lopez", "said"),
    ("“Tax the rich and fund the schools,” one sign read.", "one sign", "read"),
    ("“The mayor has got to go!” some protesters chanted as they marched.", "some protesters", "chanted"),
])
def test_quotes_frames_with_coordinated_or_frame_only_verbs(analyzer, text, speaker, cue):
    s = quotes(analyzer, text)[0]
    assert (s.attrs["kind"], s.attrs["speaker"], s.attrs["cue"]) == ("direct", speaker, cue)
    assert s.attrs["speaker_start"] >= 0  # a speaker phrase was found, even when it resolves to no name


@pytest.mark.parametrize("text, mention, cue, content", [
    ("According to recent polling, the senator is again leading the field.", "recent polling", "according to",
     "the senator is again leading the field"),
    ("The comments had two goals, the admiral said.", "the admiral", "said", "The comments had two goals"),
    ("Jane Doe joked about the weather in Bamako.", "Jane Doe", "joked about", "the weather in Bamako"),
])
def test_quotes_sources_and_cues_as_polnear_marks_them(analyzer, text, mention, cue, content):
    s = quotes(analyzer, text)[0]
    assert (s.attrs["speaker_mention"], s.attrs["cue"]) == (mention, cue)
    assert text[s.start:s.end] == content


def test_quotes_asked_by_names_the_asker(analyzer):
    text = "Asked by a reporter whether the bridge would reopen, Jane Doe said, “We will see.”"
    qs = quotes(analyzer, text)
    asked = [s for s in qs if s.attrs["cue"] == "Asked"]
    assert len(asked) == 1
    assert asked[0].attrs["speaker_mention"] == "a reporter"
    assert text[asked[0].start:asked[0].end] == "whether the bridge would reopen"
    assert any(s.attrs["kind"] == "direct" and s.attrs["speaker"] == "Jane Doe" for s in qs)


def test_quotes_speaker_before_a_long_relative_clause(analyzer):
    text = ("John Smith, who has spent the past two years campaigning across the northern districts for the "
            "reform party, has said the plan would fail.")
    s = quotes(analyzer, text)[0]
    assert (s.attrs["speaker"], s.attrs["cue"]) == ("John Smith", "has said")
    assert text[s.start:s.end] == "the plan would fail"


# -- inverted speaker with a lower-case role before the name; described people are persons ------
@pytest.mark.parametrize("text, speaker, mention", [
    ('"We will not back down," said union leader Maria Lopez.', "Maria Lopez", "union leader Maria Lopez"),
    ('"The vote is final," said party spokesman John Smith.', "John Smith", "party spokesman John Smith"),
])
def test_inverted_speaker_with_role_description(analyzer, text, speaker, mention):
    (q,) = quotes(analyzer, text)
    assert q.attrs["kind"] == "direct"
    assert q.attrs["speaker"] == speaker
    assert q.attrs["speaker_mention"] == mention
    assert q.attrs["speaker_type"] == "person"


def test_described_person_is_a_person_not_an_organisation(analyzer):
    (q,) = quotes(analyzer, '"We are fine," said the man, who declined to give his name.')
    assert q.attrs["speaker"] == "the man"
    assert q.attrs["speaker_type"] == "person"


def test_a_name_with_a_middle_initial_is_a_person(analyzer):
    text = ("State Insurance Commissioner Therese M. Goldsmith said in a statement that rates would rise. "
            "She added that the increase was modest.")
    spans = quotes(analyzer, text)
    assert [s.attrs["speaker"] for s in spans] == ["Therese M. Goldsmith", "Therese M. Goldsmith"]
    assert {s.attrs["speaker_type"] for s in spans} == {"person"}  # "M." is an initial, not an acronym like "NATO"


def test_times_and_days_are_not_speakers(analyzer):
    spans = quotes(analyzer, "Last month issued new rules on lending, the agency said.")
    assert [s.attrs["speaker_mention"] for s in spans] == ["the agency"]
    text = "The plan was dropped, according to filing documents obtained early Saturday."
    spans = quotes(analyzer, text)
    assert spans and all(s.attrs["speaker"] != "Saturday" for s in spans)


def test_a_related_links_marker_is_not_a_speaker(analyzer):
    # web copy keeps a site's "MORE" link marker inside sentences; it must not become the speaker
    text = "Critics of the plan on ethics MORE said the vote would be close."
    spans = quotes(analyzer, text)
    assert spans and all("MORE" not in s.attrs["speaker"] for s in spans)
    assert spans[0].attrs["speaker"] == "Critics"


def test_lower_case_words_before_a_name_need_a_role_noun(analyzer):
    # "said" followed by an ordinary clause must not turn its first words into a speaker
    spans = quotes(analyzer, '"It works," said nothing about the money Maria Lopez gave.')
    assert all(s.attrs["speaker"] != "Maria Lopez" for s in spans)


@pytest.mark.parametrize("mention, speaker_type", [
    ("Polls", "organisation"),  # sentence-initial, so capitalised like a surname; a finding all the same
    ("A new study", "organisation"),
    ("Many farmers", "anonymous"),
    ("the protesters", "anonymous"),
    ("a local farmer", "person"),  # one described person stays a person
    ("one local blogger", "person"),
    ("the International Organization for Migration", "organisation"),  # not a two-word "person" name
    ("agency lawyers", "anonymous"),  # lawyers of an agency, not a news agency
    ("Some opponents", "anonymous"),
    ("economists", "anonymous"),
    ("Sanders", "person"),  # a surname that ends in "s" is not a plural
])
def test_speaker_type_findings_and_groups(mention, speaker_type):
    from rhetorica.detectors.quotes.speakers import speaker_type as type_of

    assert type_of(mention, mention, False) == speaker_type
