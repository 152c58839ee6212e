"""The HTML display: escaping, hover titles, quoted voice, feature filtering, standalone file, CLI, browser."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

import rhetorica
from rhetorica import Analysis, Sentence, Span
from rhetorica.cli import main as cli_main
from rhetorica.display import HIGHLIGHTS, QUOTE_TINT, render_html

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "notebooks" / "example_article.txt"
RULES = ["boilerplate", "quote"]
CHROMIUM = "/usr/bin/chromium"
#: More pixel rows than one legend chip covers (13px text, line-height 1.45, padding) at 1x scale.
LEGEND_ROWS = 30

TEXT = ('Prices rose to $40 & more at <script>alert("x")</script> the market.\n\n'
        '"This is a shameless giveaway," said Jane Doe. Why would anyone pay $5 for that?')


def _analysis() -> Analysis:
    """A hand-made analysis (no model): a quote by Jane Doe with loaded language inside it, a question."""
    q0, q1 = TEXT.index('"This'), TEXT.index(' said')
    ll = TEXT.index("shameless")
    rq = TEXT.index("Why")
    spans = (
        Span(q0, q1, "quote", 1.0, {"kind": "direct", "speaker": "Jane Doe", "speaker_type": "person",
                                    "cue": "said", "part": 0}),
        Span(ll, ll + len("shameless"), "loaded_language", 0.71,
             {"technique": "Loaded_Language", "voice": "quoted", "speaker": "Jane Doe", "quote_kind": "direct"}),
        Span(rq, len(TEXT), "rhetorical_question", 0.9, {"kind": "rhetorical", "voice": "editorial",
                                                         "speaker": "", "quote_kind": ""}),
        Span(q0, len(TEXT), "biased", 0.6, {"voice": "editorial"}),
    )
    sents = (Sentence(0, TEXT.index("\n"), 0), Sentence(q0, TEXT.index("Why") - 1, 1), Sentence(rq, len(TEXT), 1))
    scores = {"rhetorical_question_count": 1.0, "editorial_rhetorical_question_count": 1.0, "quoted_share": 0.25,
              "loaded_language_count": 1.0, "editorial_loaded_language_count": 0.0, "media_bias_share": 0.5,
              "frame_economic": 0.8, "frame_political": 0.1}
    return Analysis(text=TEXT, spans=spans, scores=scores, sentences=sents)


class _Segments(HTMLParser):
    """Collects each highlighted piece: (data-labels, title, text)."""

    def __init__(self):
        super().__init__()
        self.segments: list[dict] = []
        self._open: list[dict | None] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span" and "data-labels" in a:
            seg = {"labels": a["data-labels"].split(), "title": a.get("title", ""), "text": ""}
            self.segments.append(seg)
            self._open.append(seg)
        elif tag == "span":
            self._open.append(None)

    def handle_endtag(self, tag):
        if tag == "span" and self._open:
            self._open.pop()

    def handle_data(self, data):
        for seg in self._open:
            if seg is not None:
                seg["text"] += data


def _segments(html: str) -> list[dict]:
    p = _Segments()
    p.feed(html)
    return p.segments


def test_display_escapes_script_ampersand_and_dollar():
    html = render_html(_analysis())
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "&amp; more" in html
    assert "$" not in html and "&#36;40" in html  # $ would be typeset as math by MathJax
    assert "tex2jax_ignore" in html and "mathjax_ignore" in html
    assert "http" not in html and "src=" not in html  # self-contained: no external assets


def test_display_hover_titles_carry_voice_and_speaker():
    segs = _segments(render_html(_analysis()))
    ll = next(s for s in segs if "loaded_language" in s["labels"])
    assert ll["text"] == "shameless"
    assert "voice: quoted" in ll["title"] and "speaker: Jane Doe" in ll["title"]
    assert "loaded_language (0.71)" in ll["title"] and "quote (1.00)" in ll["title"]
    rq = next(s for s in segs if "rhetorical_question" in s["labels"])
    assert "voice: editorial" in rq["title"] and "kind: rhetorical" in rq["title"]
    assert "speaker:" not in rq["title"]  # empty attrs are left out
    # every highlighted piece is a slice of the text, unchanged
    for s in segs:
        assert s["text"] in TEXT


def test_display_quote_is_tinted_and_tagged_with_its_speaker():
    html = render_html(_analysis())
    tag = re.search(r'<span class="rh-tag"[^>]*title="([^"]*)">([^<]*)</span>', html)
    assert tag and tag.group(2) == "Jane Doe" and "kind: direct" in unescape(tag.group(1))
    # the tag sits right before the quotation
    assert html.index("Jane Doe</span>") < html.index("This is a") < html.index("said Jane Doe")
    quoted_only = next(s for s in _segments(html) if s["labels"] == ["biased", "quote"])
    assert quoted_only["text"].startswith('"This is a')
    assert f"background:{QUOTE_TINT}" in html


def test_display_score_table_headline_with_editorial_twin():
    html = render_html(_analysis())
    row = re.search(r"<tr><td>rhetorical_question_count</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert row and row.groups() == ("1", "1")
    row = re.search(r"<tr><td>loaded_language_count</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert row.groups() == ("1", "0")
    assert "top frame: economic" in html
    assert html.index("rhetorical_question_count") < html.index("media_bias_share")
    assert "editorial_rhetorical_question_count" not in html  # shown as the twin column, not its own row
    assert "speakers" in html and ">Jane Doe</td>" in html


def test_display_feature_filter():
    a = _analysis()
    segs = _segments(rhetorica.render(a, features=["quote"]))
    assert segs and all(s["labels"] == ["quote"] for s in segs)
    segs = _segments(rhetorica.render(a, features=["propaganda"]))  # a detector name: its span labels
    assert [s["labels"] for s in segs] == [["loaded_language"]]
    with pytest.raises(ValueError, match="Unknown feature 'metaphor'"):
        rhetorica.render(a, features=["metaphor"])
    with pytest.raises(TypeError, match="Analysis or a str"):
        rhetorica.render(3)


def test_display_long_text_is_cut_at_a_paragraph_with_a_note():
    text = "\n\n".join(f"Paragraph {k} says something unremarkable." for k in range(200))
    a = Analysis(text=text, spans=(Span(len(text) - 10, len(text), "quote"),))
    html = render_html(a, max_chars=500)
    assert "Paragraph 10 " in html and "Paragraph 11 " not in html
    m = re.search(r"… ([\d,]+) more characters \((\d+) spans\) not shown", html)
    assert m and int(m.group(2)) == 1
    assert int(m.group(1).replace(",", "")) == len(text) - text.index("Paragraph 11")
    assert "rh-scroll" in render_html(a, max_chars=None)  # long text: scrolling box


def test_display_standalone_file_and_text_input(tmp_path):
    out = tmp_path / "sub" / "page.html"
    frag = rhetorica.render(TEXT, path=out, detectors=RULES)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert frag in page.replace(" rh-scroll", "")
    assert 'data-labels="quote"' in frag  # the text was analysed with the rules-only detectors
    with pytest.raises(ValueError, match="detectors= applies only"):
        rhetorica.render(_analysis(), detectors=RULES)


def test_display_plain_text_fallback():
    a = _analysis()
    pretty = []

    class P:
        def text(self, s):
            pretty.append(s)

    a._repr_pretty_(P(), False)
    assert pretty[0] == a.summary() and "== quote (1)" in pretty[0]


def test_cli_analyze_html(tmp_path, capsys):
    src = tmp_path / "article.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.html"
    assert cli_main(["analyze", str(src), "--detectors", "boilerplate,quote", "--html", str(out),
                     "--features", "quote"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<title>rhetorica: article.txt</title>" in page and 'data-labels="quote"' in page
    assert "&lt;script&gt;" in page
    assert "== quote" in capsys.readouterr().out
    assert cli_main(["analyze", str(src), "--features", "quote"]) == 2
    assert "add --html" in capsys.readouterr().err
    assert cli_main(["analyze", str(src), "--html", str(out), "--features", "nope"]) == 2
    assert "Unknown feature 'nope'" in capsys.readouterr().err


# --- in a real browser ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example_analysis():
    return rhetorica.analyze(EXAMPLE.read_text(encoding="utf-8"))


def _hex(colour: str):
    import numpy as np

    return np.array([int(colour[k:k + 2], 16) for k in (1, 3, 5)])


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"needs Debian's chromium at {CHROMIUM} "
                    "(apt-get install chromium)")
def test_display_in_headless_chromium(example_analysis, tmp_path):
    import numpy as np
    from matplotlib import image

    page = tmp_path / "example.html"
    rhetorica.render(example_analysis, path=page)
    png = tmp_path / "shot.png"
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    subprocess.run(flags + [f"--screenshot={png}", "--window-size=1200,1600", page.as_uri()],
                   capture_output=True, timeout=120, check=False)
    assert png.exists() and png.stat().st_size > 10_000
    pixels = (image.imread(png)[..., :3] * 255).round().astype(int)
    present = {s.label for s in example_analysis.spans}
    colours = {lab: colour for lab, (colour, _) in HIGHLIGHTS.items() if lab in present}
    assert colours, "the example article should have at least one highlighted feature"
    if "quote" in present:
        colours["quote"] = QUOTE_TINT
    for label, colour in colours.items():
        match = np.abs(pixels - _hex(colour)).max(axis=2) <= 3
        # the legend chip alone covers about 22 pixel rows; a highlighted line of text adds about 20 more
        rows = int(match.any(axis=1).sum())
        assert match.sum() > 500 and rows > LEGEND_ROWS, \
            f"{label} highlight colour {colour} not visible in the text ({match.sum()} pixels on {rows} rows)"
    # and the highlights exist in the DOM the browser built
    dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    for label in colours:
        assert re.search(rf'data-labels="[^"]*\b{label}\b', dom), label
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def test_display_score_groups_fold_zero_techniques_and_sort_frames():
    scores = {"persuasion_paragraph_share": 0.5, "persuasion_technique_count": 2.0, "persuasion_doubt": 2.0,
              "persuasion_slogans": 0.0, "persuasion_straw_man": 0.0, "frame_economic": 0.2, "frame_political": 0.9,
              "my_own_score": 3.0}
    html = render_html(Analysis(text="Some text.", scores=scores))
    details = html[html.index("<details>"):]
    assert "all 8 scores, by feature" in details
    assert "persuasion_doubt" in details and "persuasion_slogans" not in details and "2 more at 0" in details
    assert details.index("frame_political") < details.index("frame_economic")  # most probable frame first
    assert re.search(r'<td colspan="3">other</td></tr><tr><td>my_own_score</td><td>3</td>', details)
