import pytest

from rhetorica.text.segment import MAX_SENTENCE_CHARS, paragraphs, sentences


def _sents(text):
    return [text[s.start:s.end] for s in sentences(text)]


@pytest.mark.parametrize("text, expected", [
    ("He left. She stayed.", ["He left.", "She stayed."]),
    ("Mr. Smith met Gen. Sadio Kamará in the U.S. capital. Talks went well.",
     ["Mr. Smith met Gen. Sadio Kamará in the U.S. capital.", "Talks went well."]),
    ("George W. Bush spoke. Then he left.", ["George W. Bush spoke.", "Then he left."]),
    ('"Why?" she asked. Nobody answered.', ['"Why?" she asked.', "Nobody answered."]),
    ("“We will win.” He smiled.", ["“We will win.”", "He smiled."]),
    ("Is it over? Yes. It is!", ["Is it over?", "Yes.", "It is!"]),
    ("Headline without a stop\nBody text here.", ["Headline without a stop", "Body text here."]),
    ("Prices rose 3.5 percent. Wages fell.", ["Prices rose 3.5 percent.", "Wages fell."]),
])
def test_segment_sentences(text, expected):
    assert _sents(text) == expected


def test_segment_paragraph_indices_and_offsets():
    text = "  First para. Still first.\n\n\nSecond para.\n  \nThird.  "
    paras = paragraphs(text)
    assert [text[s:e] for s, e in paras] == ["First para. Still first.", "Second para.", "Third."]
    sents = sentences(text)
    assert [s.paragraph for s in sents] == [0, 0, 1, 2]
    for s in sents:
        assert text[s.start:s.end] == text[s.start:s.end].strip()


def test_segment_empty_and_whitespace():
    assert sentences("") == []
    assert sentences(" \n\t \n") == []


def test_segment_overlong_run_is_cut_at_whitespace():
    text = ("word " * 2000).strip()
    sents = sentences(text)
    assert len(sents) > 1
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in sents)
    assert "".join(text[s.start:s.end] + " " for s in sents).strip() == text


def test_segment_mali_headlines_are_own_sentences(mali_text):
    sents = _sents(mali_text)
    assert sents[0] == "Mali Takes Cues from Russia’s Resilience in WWII Era"
    assert sents[1] == "Mali draws inspiration from Russia during the Nazi era"
    assert "What could be the potential implications of this partnership for both countries?" in sents
