import pytest

from rhetorica.pipeline import Analyzer

bp = Analyzer(detectors=["boilerplate"])


def _furniture(text):
    return [text[s.start:s.end] for s in bp(text).spans_of("boilerplate")]


@pytest.mark.parametrize("line", [
    "- Advertisement -", "ADVERTISEMENT", "Story continues below advertisement", "banner",
    "Edited By Ali Musa", "Share this article on Facebook", "Subscribe to our newsletter",
    "This website uses cookies to improve your experience. We'll assume you're ok with this, but you can opt-out if you wish. Accept Read More",
    "take our poll - story continues below", "Reporting by Jane Doe; Editing by John Roe",
])
def test_boilerplate_furniture_lines(line):
    text = f"The minister spoke on Monday.\n\n{line}\n\nShe left on Tuesday."
    assert _furniture(text) == [line]


@pytest.mark.parametrize("line", [
    "The company said its advertisement revenue fell by a third in the last quarter of the year.",
    "Regulators want every website that uses cookies to ask before tracking readers, the report said.",
    "The banner headline on Monday's front page read simply: Victory.",
])
def test_boilerplate_article_prose_is_not_furniture(line):
    assert _furniture(f"Intro line here.\n\n{line}") == []


def test_boilerplate_mali_article(mali_text):
    found = _furniture(mali_text)
    assert "- Advertisement -" in found
    assert "Edited By Ali Musa" in found
    assert "banner" in found
    assert any(f.startswith("This website uses cookies") for f in found)
    # nothing of the article body
    assert not any("Kremlin" in f or "Putin" in f for f in found)
