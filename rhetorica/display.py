"""Showing an :class:`~rhetorica.Analysis`: escaped HTML for Jupyter and the browser, plain text for the terminal.

The HTML is self-contained (one ``<style>`` block scoped to ``.rhetorica`` plus inline colours, no scripts,
no external assets), so it survives being pasted into a notebook, an e-mail or a static page:

- span-level features (rhetorical questions, historical analogies, loaded language...) get a background colour;
- sentence-level labels (biased, subjective, hedge) get stacked coloured underlines, so a sentence that is
  both biased and hedged shows both; frame evidence gets a dotted underline;
- quoted passages are tinted blue and open with a small speaker tag; the editorial voice is left plain;
- paragraph-level persuasion gets a rule in the left margin; page furniture (boilerplate) is greyed;
- every highlight has a hover title with its label, score, kind, voice, speaker or referent.

All text is HTML-escaped, ``$`` included (it would otherwise be typeset as math by Jupyter's MathJax).
"""
from __future__ import annotations

import html
import math
import textwrap
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ._types import Analysis, Span
from .detectors.techniques import SPAN_LABELS as TECHNIQUE_SPAN_LABELS
from .text.clean import clean_text

# --- how each label is drawn ------------------------------------------------------------------------------

#: Span-level labels drawn as a background colour: label -> (colour, legend name).  Earlier entries win where
#: spans overlap (the hover title always lists every span).
HIGHLIGHTS: dict[str, tuple[str, str]] = {
    "rhetorical_question": ("#ffd54f", "rhetorical question"),
    "historical_analogy": ("#f4a0a0", "historical analogy"),
    "name_calling": ("#c9b5f2", "name calling"),
    "loaded_language": ("#e6b3f0", "loaded language"),
    "historical_reference": ("#e9dac6", "historical reference"),
    "question": ("#fff0b8", "question (not rhetorical)"),
}
#: The other propaganda techniques (the ``techniques`` detector): one colour family with loaded language and name
#: calling (violet to rose tints); the hover names the PTC technique.
TECHNIQUE_COLOURS = ("#f3c6e8", "#eccdf7", "#f7c9d9", "#dccbf5", "#f5d2ef", "#e4c4f0", "#f9cfe0", "#d9c2ec",
                     "#f1cdea", "#e8d3f8", "#f6c3d4", "#decdf3")


_TECHNIQUE_LABELS = tuple(TECHNIQUE_SPAN_LABELS.values())
HIGHLIGHTS.update({lab: (TECHNIQUE_COLOURS[k % len(TECHNIQUE_COLOURS)], lab.replace("_", " "))
                   for k, lab in enumerate(_TECHNIQUE_LABELS)})
#: Sentence-level labels drawn as stacked coloured underlines (2 px each, in this order from the bottom up).
UNDERLINES: dict[str, tuple[str, str]] = {
    "biased": ("#d32f2f", "biased sentence"),
    "subjective": ("#f57c00", "subjective sentence"),
    "hedge": ("#2e7d32", "hedged sentence"),
}
#: Sentence-level labels drawn as a dotted underline (frame evidence: frequent, so kept light).
DOTTED: dict[str, tuple[str, str]] = {
    "frame": ("#00838f", "frame evidence"),
}
#: Paragraph-level labels drawn as a rule in the left margin.
BLOCKS: dict[str, tuple[str, str]] = {
    "persuasion": ("#8e24aa", "persuasion paragraph"),
}
QUOTE_LABEL = "quote"
BOILERPLATE_LABEL = "boilerplate"
#: Quoted voice: text colour, tint for direct / partial / mixed quotes, lighter tint for indirect speech.
QUOTE_INK, QUOTE_TINT, INDIRECT_TINT, SPEAKER_TAG = "#0d3b84", "#e2ecfb", "#eef3fb", "#2f5fb3"
BOILERPLATE_INK = "#9e9e9e"
#: Backgrounds for labels this module does not know (a user's own detector), given out in order of appearance.
OTHER_COLOURS = ("#a8dcd3", "#c5e1a5", "#ffccbc", "#b3e5fc", "#f8bbd0", "#d7ccc8")

#: Default cut for very long texts in notebooks (characters, at a paragraph boundary): the longest article of
#: the bundled Wikinews sample is 56k characters; 50k keeps an output under about 1 MB of HTML.
MAX_CHARS = 50_000
#: Texts longer than this many characters are shown in a scrolling box (so the score table stays in view).
SCROLL_CHARS = 4_000

#: The scores shown first, in this order (with their editorial-only twin where it exists).
HEADLINE = ("rhetorical_question_count", "historical_analogy_count", "quoted_share", "loaded_language_count",
            "name_calling_count", "media_bias_share", "subjectivity_share", "hedge_share",
            "persuasion_paragraph_share")
#: The rest of the score table, grouped by feature: (group title, score names or a prefix ending in "_").
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("questions", ("question_count", "rhetorical_question_count", "rhetorical_question_rate")),
    ("history", ("historical_analogy_count", "historical_reference_count", "historical_smear_count")),
    ("quotes and voice", ("quote_count", "direct_quote_count", "partial_quote_count", "indirect_quote_count",
                          "mixed_quote_count", "speaker_count", "quoted_share", "editorial_share",
                          "attributed_share", "tagged_quote_count")),
    ("propaganda", ("loaded_language_count", "loaded_language_rate", "name_calling_count",
                    "propaganda_span_count")),
    ("other propaganda techniques", ("technique_span_count", *(f"{lab}_count" for lab in _TECHNIQUE_LABELS))),
    ("bias, subjectivity, hedging", ("media_bias_share", "media_bias_mean", "subjectivity_share",
                                     "subjectivity_mean", "hedge_share", "hedge_mean")),
    ("persuasion", ("persuasion_",)),
    ("frames (probability)", ("frame_",)),
    ("page", ("boilerplate_share",)),
)
_EDITORIAL = "editorial_"

_CSS = """
.rhetorica{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:13px;color:#212121;
 background:#fff;line-height:1.45;padding:6px 2px}
.rhetorica .rh-head{color:#555;margin-bottom:4px}
.rhetorica .rh-leg{margin:4px 0 10px 0;display:flex;flex-wrap:wrap;gap:6px 10px}
.rhetorica .rh-leg>span{white-space:nowrap;padding:1px 4px 2px 4px;border-radius:3px}
.rhetorica .rh-wrap{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
.rhetorica .rh-text{flex:1 1 30em;max-width:46em;font-family:Georgia,"Times New Roman",serif;font-size:15px;
 line-height:1.8;color:#1a1a1a}
.rhetorica .rh-scroll{max-height:42em;overflow-y:auto;padding:4px 10px 4px 4px;border:1px solid #e6e6e6;
 border-radius:4px}
.rhetorica .rh-text p{margin:0 0 .9em 0;padding-left:8px}
.rhetorica .rh-s{border-radius:2px;padding:1px 0 3px 0}
.rhetorica .rh-tag{font-family:system-ui,sans-serif;font-size:10.5px;font-style:normal;color:#fff;
 border-radius:3px;padding:0 4px;margin:0 3px 0 1px;vertical-align:1px;white-space:nowrap}
.rhetorica .rh-ptag{font-family:system-ui,sans-serif;font-size:10.5px;display:block;margin-bottom:1px}
.rhetorica .rh-side{flex:0 1 25em;min-width:18em}
.rhetorica table{border-collapse:collapse;margin:0 0 10px 0;width:100%}
.rhetorica th,.rhetorica td{padding:2px 6px;text-align:right;border-bottom:1px solid #eee;font-size:12px}
.rhetorica th:first-child,.rhetorica td:first-child{text-align:left;font-family:ui-monospace,Menlo,monospace;
 font-size:11.5px}
.rhetorica tr.rh-group td{font-family:system-ui,sans-serif;font-weight:600;color:#555;background:#f6f6f6;
 font-size:11.5px}
.rhetorica details>summary{cursor:pointer;color:#555;margin:4px 0}
.rhetorica .rh-note{color:#777;font-style:italic}
"""


# --- small helpers ----------------------------------------------------------------------------------------

def _esc(s: str) -> str:
    """HTML-escape text; ``$`` becomes an entity so that nothing reads it as a math delimiter."""
    # a lone surrogate (scraped text) cannot be written as UTF-8: show it as U+FFFD, the character for it
    return html.escape(clean_text(s), quote=True).replace("$", "&#36;")


def _fmt(v: float, name: str = "") -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return _esc(str(v))
    if math.isnan(v):
        return "–"
    if name.endswith("_share"):
        return f"{100 * v:.0f}%"
    if v.is_integer() and (name.endswith("_count") or not name):
        return str(int(v))
    if v.is_integer():
        return str(int(v))
    return f"{v:.2f}" if abs(v) >= 0.01 else f"{v:.3f}"


def _attr_text(v) -> str:
    if isinstance(v, Mapping):
        return ", ".join(f"{k} {x:.2f}" if isinstance(x, float) else f"{k} {x}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


#: attrs shown in hover titles and summaries, in this order (offsets and raw probabilities are left out).
_SHOWN_ATTRS = ("kind", "voice", "speaker", "speaker_type", "quote_kind", "speaker_mention", "cue", "referent",
                "mention", "smear", "construction", "technique", "techniques", "frame")


def describe(s: Span) -> str:
    """One line about a span: label, score and the attrs a reader cares about."""
    bits = [f"{s.label} ({s.score:.2f})"]
    for key in _SHOWN_ATTRS:
        v = s.attrs.get(key)
        if v in ("", None, False) or (isinstance(v, (list, tuple)) and not v):
            continue
        if key == "speaker_mention" and v == s.attrs.get("speaker"):
            continue
        bits.append(f"{key}: {_attr_text(v)}")
    return "; ".join(bits)


_describe = describe  # the name used before; kept for callers


def _known_labels() -> dict[str, tuple[str, ...]]:
    """Detector name -> its span labels (cheap: the detector classes, no model is loaded)."""
    from .detectors import available_detectors, get_detector

    return {name: tuple(get_detector(name).labels) for name in available_detectors()}


def resolve_features(features: str | Iterable[str] | None, present: Iterable[str] = ()) -> set[str] | None:
    """The span labels to highlight: labels as they are, detector names expanded to their labels.

    Raises
    ------
    ValueError
        For a name that is neither a span label nor a detector name.
    """
    if features is None:
        return None
    if isinstance(features, str):
        features = [features]
    try:
        names = list(features)
    except TypeError:
        raise TypeError(f"features must be a list of span labels or detector names, "
                        f"got {type(features).__name__}.") from None
    by_detector = _known_labels()
    labels = {lab for labs in by_detector.values() for lab in labs} | set(present) | set(HIGHLIGHTS) \
        | set(UNDERLINES) | set(DOTTED) | set(BLOCKS) | {QUOTE_LABEL, BOILERPLATE_LABEL}
    out: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"features must contain str, got {type(name).__name__} ({name!r}).")
        if name in labels:
            out.add(name)
        elif name in by_detector:
            out.update(by_detector[name])
        else:
            raise ValueError(f"Unknown feature {name!r}. Use span labels ({', '.join(sorted(labels))}) or "
                             f"detector names ({', '.join(sorted(by_detector))}).")
    return out


def _other_colours(labels: Iterable[str]) -> dict[str, str]:
    extra = sorted({lab for lab in labels if lab not in HIGHLIGHTS and lab not in UNDERLINES
                    and lab not in DOTTED and lab not in BLOCKS and lab not in (QUOTE_LABEL, BOILERPLATE_LABEL)})
    return {lab: OTHER_COLOURS[k % len(OTHER_COLOURS)] for k, lab in enumerate(extra)}


def _paragraphs(text: str) -> list[tuple[int, int]]:
    from .text.segment import paragraphs

    return paragraphs(text)


def _speaker_name(s: Span) -> str:
    name = str(s.attrs.get("speaker") or "").strip()
    if not name:
        name = str(s.attrs.get("speaker_mention") or "").strip()
    return name or "unattributed"


# --- the text --------------------------------------------------------------------------------------------

def _inline_html(a: Analysis, lo: int, hi: int, spans: Sequence[Span], other: Mapping[str, str]) -> str:
    """The text between ``lo`` and ``hi`` cut at every span boundary; each piece styled by the spans over it."""
    cuts = {lo, hi}
    starts: dict[int, list[Span]] = defaultdict(list)
    for s in spans:
        s_lo, s_hi = max(s.start, lo), min(s.end, hi)
        if s_hi > s_lo:
            cuts.update((s_lo, s_hi))
            starts[s_lo].append(s)
    points = sorted(cuts)
    active: list[Span] = []
    out: list[str] = []
    for p_lo, p_hi in zip(points, points[1:]):
        active = [s for s in active if s.end > p_lo] + starts.get(p_lo, [])
        piece = _esc(a.text[p_lo:p_hi]).replace("\n", "<br>")
        for q in starts.get(p_lo, []):  # a quotation opens here: the speaker tag
            if q.label == QUOTE_LABEL:
                cont = "… " if q.attrs.get("part", 0) or q.start < p_lo else ""  # a continuation
                who = _speaker_name(q)
                out.append(f'<span class="rh-tag" style="background:{SPEAKER_TAG}" title="{_esc(describe(q))}">'
                           f'{_esc(cont + (who if len(who) <= 28 else who[:27] + "…"))}</span>')
        if not active:
            out.append(piece)
            continue
        labels = {s.label for s in active}
        css: list[str] = []
        bg = next((HIGHLIGHTS[lab][0] for lab in HIGHLIGHTS if lab in labels), None)
        if bg is None:
            bg = next((other[lab] for lab in sorted(labels) if lab in other), None)
        quotes = [s for s in active if s.label == QUOTE_LABEL]
        if quotes:
            css.append(f"color:{QUOTE_INK}")
            direct = any(q.attrs.get("kind", "direct") != "indirect" for q in quotes)
            if bg is None:
                bg = QUOTE_TINT if direct else INDIRECT_TINT
        if BOILERPLATE_LABEL in labels:
            css.append(f"color:{BOILERPLATE_INK}")
        if bg:
            css.append(f"background:{bg}")
        bars = [colour for lab, (colour, _) in UNDERLINES.items() if lab in labels]
        dots = [colour for lab, (colour, _) in DOTTED.items() if lab in labels]
        if dots:
            css.append(f"text-decoration:underline dotted {dots[0]};text-underline-offset:4px")
        if bars:
            css.append("box-shadow:" + ",".join(f"inset 0 -{2 * (k + 1)}px 0 {c}" for k, c in enumerate(bars)))
        title = " | ".join(describe(s) for s in _ordered(active))
        out.append(f'<span class="rh-s" data-labels="{_esc(" ".join(sorted(labels)))}" style="{";".join(css)}" '
                   f'title="{_esc(title)}">{piece}</span>')
    return "".join(out)


def _rank(label: str) -> int:
    for k, table in enumerate((HIGHLIGHTS, {QUOTE_LABEL: 0}, UNDERLINES, DOTTED, BLOCKS)):
        if label in table:
            return 100 * k + list(table).index(label)
    return 50


def _ordered(spans: Iterable[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (_rank(s.label), s.start))


def _text_html(a: Analysis, spans: Sequence[Span], max_chars: int | None) -> tuple[str, int, int]:
    """Paragraphs as ``<p>``; returns (html, characters not shown, spans not shown)."""
    other = _other_colours(s.label for s in spans)
    paras = _paragraphs(a.text)
    limit = len(a.text) if max_chars is None else max_chars
    shown: list[tuple[int, int]] = []
    for ps, pe in paras:
        if ps >= limit:
            break
        if pe > limit and shown:
            break
        shown.append((ps, min(pe, limit) if not shown else pe))
    cut = shown[-1][1] if shown else 0
    inline = sorted((s for s in spans if s.label not in BLOCKS), key=lambda s: s.start)
    blocks = [s for s in spans if s.label in BLOCKS]
    parts: list[str] = []
    j, open_spans = 0, []  # a sweep: the inline spans overlapping each paragraph, linear in spans + paragraphs
    for ps, pe in shown:
        while j < len(inline) and inline[j].start < pe:
            open_spans.append(inline[j])
            j += 1
        open_spans = [s for s in open_spans if s.end > ps]
        here = [s for s in blocks if s.start < pe and s.end > ps]
        style, tag, title = "", "", ""
        if here:
            colour = BLOCKS[here[0].label][0]
            style = f' style="border-left:3px solid {colour};padding-left:7px"'
            title = f' title="{_esc(" | ".join(describe(s) for s in here))}"'
            techs = [t for s in here for t in (s.attrs.get("techniques") or [s.label])]
            tag = (f'<span class="rh-ptag" style="color:{colour}">{_esc(here[0].label)}: '
                   f'{_esc(", ".join(dict.fromkeys(str(t).replace("_", " ") for t in techs)))}</span>')
        parts.append(f'<p{style}{title}>{tag}'
                     f'{_inline_html(a, ps, pe, open_spans, other)}</p>')
    hidden_chars = len(a.text[cut:].strip()) if shown else len(a.text)
    hidden_spans = sum(1 for s in spans if s.start >= cut) if hidden_chars else 0
    if not paras:
        parts.append('<p class="rh-note">(empty text)</p>')
    return "".join(parts), hidden_chars if paras else 0, hidden_spans


# --- the legend and the tables ---------------------------------------------------------------------------

def _legend(spans: Sequence[Span]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for s in spans:
        if s.label == QUOTE_LABEL and s.attrs.get("part", 0):
            continue  # a quotation split over paragraphs counts once
        counts[s.label] += 1
    if not counts:
        return '<div class="rh-leg rh-note">no spans found</div>'
    chips = []
    for lab, (colour, name) in HIGHLIGHTS.items():
        if lab in counts:
            chips.append(f'<span data-label="{lab}" style="background:{colour}">{_esc(name)} '
                         f'<b>{counts[lab]}</b></span>')
    for lab, colour in _other_colours(counts).items():
        chips.append(f'<span data-label="{_esc(lab)}" style="background:{colour}">{_esc(lab.replace("_", " "))} '
                     f'<b>{counts[lab]}</b></span>')
    if QUOTE_LABEL in counts:
        chips.append(f'<span data-label="quote" style="background:{QUOTE_TINT};color:{QUOTE_INK}">'
                     f'<span class="rh-tag" style="background:{SPEAKER_TAG}">speaker</span>quoted voice '
                     f'<b>{counts[QUOTE_LABEL]}</b></span>')
    for lab, (colour, name) in UNDERLINES.items():
        if lab in counts:
            chips.append(f'<span data-label="{lab}" style="box-shadow:inset 0 -3px 0 {colour}">{_esc(name)} '
                         f'<b>{counts[lab]}</b></span>')
    for lab, (colour, name) in DOTTED.items():
        if lab in counts:
            chips.append(f'<span data-label="{lab}" style="text-decoration:underline dotted {colour};'
                         f'text-underline-offset:4px">{_esc(name)} <b>{counts[lab]}</b></span>')
    for lab, (colour, name) in BLOCKS.items():
        if lab in counts:
            chips.append(f'<span data-label="{lab}" style="border-left:3px solid {colour}">{_esc(name)} '
                         f'<b>{counts[lab]}</b></span>')
    if BOILERPLATE_LABEL in counts:
        chips.append(f'<span data-label="boilerplate" style="color:{BOILERPLATE_INK}">page furniture '
                     f'<b>{counts[BOILERPLATE_LABEL]}</b></span>')
    return f'<div class="rh-leg">{"".join(chips)}</div>'


def _group_of(name: str) -> int:
    for k, (_, members) in enumerate(GROUPS):
        for m in members:
            if name == m or (m.endswith("_") and name.startswith(m)):
                return k
    return len(GROUPS)


def _score_rows(scores: Mapping[str, float], names: Sequence[str]) -> str:
    rows = []
    for name in names:
        ed = scores.get(_EDITORIAL + name)
        rows.append(f"<tr><td>{_esc(name)}</td><td>{_fmt(scores[name], name)}</td>"
                    f"<td>{_fmt(ed, name) if ed is not None else ''}</td></tr>")
    return "".join(rows)


def _is_zero(v) -> bool:
    try:
        return float(v) == 0.0
    except (TypeError, ValueError):
        return False


_PERSUASION_TOTALS = ("persuasion_paragraph_share", "persuasion_technique_count")


def scores_html(scores: Mapping[str, float]) -> str:
    """The score table: headline scores first, then every score grouped by feature (collapsed).

    A score with an editorial-only twin (``editorial_<name>``) shows both side by side."""
    if not scores:
        return '<p class="rh-note">no scores</p>'
    twins = {n for n in scores if n.startswith(_EDITORIAL) and n[len(_EDITORIAL):] in scores}
    names = [n for n in scores if n not in twins]
    head = [n for n in HEADLINE if n in scores]
    frames = sorted((n for n in names if n.startswith("frame_")), key=lambda n: -_num(scores[n]))
    header = "<tr><th>score</th><th>all</th><th>editorial</th></tr>"
    body = _score_rows(scores, head)
    if frames and not math.isnan(_num(scores[frames[0]])):
        body += (f"<tr><td>top frame: {_esc(frames[0][len('frame_'):])}</td>"
                 f"<td>{_fmt(scores[frames[0]], frames[0])}</td><td></td></tr>")
    grouped: dict[int, list[str]] = defaultdict(list)
    for n in names:
        grouped[_group_of(n)].append(n)
    detail = []
    for k in sorted(grouped):
        members = grouped[k]
        if members[0].startswith("frame_"):
            members = frames
        # per-technique persuasion counts at zero are folded into one line
        zeros = [n for n in members if n.startswith("persuasion_") and n not in _PERSUASION_TOTALS
                 and _is_zero(scores[n])]
        members = [n for n in members if n not in zeros]
        note = f'<tr><td colspan="3" class="rh-note">{len(zeros)} more at 0</td></tr>' if zeros else ""
        title = GROUPS[k][0] if k < len(GROUPS) else "other"
        detail.append(f'<tr class="rh-group"><td colspan="3">{_esc(title)}</td></tr>'
                      f"{_score_rows(scores, members)}{note}")
    return (f"<table>{header}{body}</table>"
            f"<details><summary>all {len(scores)} scores, by feature</summary>"
            f"<table>{header}{''.join(detail)}</table></details>")


def _num(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def _speakers_frame(a: Analysis):
    """``Analysis.speakers`` where it exists, else a minimal table built from the quote spans (or None)."""
    try:
        sp = getattr(a, "speakers", None)
    except ImportError:  # an older install without rhetorica.speakers
        sp = None
    if sp is not None:
        return sp
    quotes = [s for s in a.spans if s.label == QUOTE_LABEL and not s.attrs.get("part", 0)]
    if not quotes:
        return None
    import pandas as pd

    rows: dict[str, dict] = {}
    for q in quotes:
        name = str(q.attrs.get("speaker") or "")
        r = rows.setdefault(name, {"speaker": name, "speaker_type": q.attrs.get("speaker_type",
                                                                                "" if name else "unresolved"),
                                   "quotes": 0, "first_start": q.start})
        r["quotes"] += 1
        kind = str(q.attrs.get("kind") or "direct")
        r[kind] = r.get(kind, 0) + 1
    df = pd.DataFrame(list(rows.values())).fillna(0)
    return df.sort_values(["quotes", "first_start"], ascending=[False, True], kind="stable")


#: Rows of the speakers table shown before the rest is folded away.
SPEAKER_ROWS = 8


def speakers_html(a: Analysis) -> str:
    df = _speakers_frame(a)
    if df is None or len(df) == 0:
        return ""
    kinds = [k for k in ("direct", "partial", "indirect", "mixed") if k in df.columns]
    has_type = "speaker_type" in df.columns
    head = "<tr><th>speaker</th>" + ("<th>type</th>" if has_type else "") + "<th>quotes</th>" + \
        "".join(f"<th title='{k}'>{k[:3]}.</th>" for k in kinds) + "</tr>"

    def row(r) -> str:
        name = str(r.get("speaker") or "") or "(unattributed)"
        cells = f"<td style='font-family:inherit'>{_esc(name)}</td>"
        if has_type:
            cells += f"<td>{_esc(str(r.get('speaker_type') or ''))}</td>"
        cells += f"<td>{_fmt(r.get('quotes', 0))}</td>" + "".join(f"<td>{_fmt(r.get(k, 0))}</td>" for k in kinds)
        return f"<tr>{cells}</tr>"

    records = df.to_dict("records")
    top = "".join(row(r) for r in records[:SPEAKER_ROWS])
    rest = records[SPEAKER_ROWS:]
    more = (f"<details><summary>{len(rest)} more speakers</summary><table>{head}"
            f"{''.join(row(r) for r in rest)}</table></details>" if rest else "")
    return f'<div style="font-weight:600;margin:6px 0 2px">speakers</div><table>{head}{top}</table>{more}'


# --- public entry points -----------------------------------------------------------------------------------

def render_html(a: Analysis, *, features: str | Iterable[str] | None = None, max_chars: int | None = MAX_CHARS,
                scroll: bool | None = None, scores: bool = True) -> str:
    """The analysis as one self-contained HTML fragment (what Jupyter shows).

    Parameters
    ----------
    a : Analysis
    features : list of str, optional
        Span labels (``"quote"``, ``"biased"``...) or detector names (``"propaganda"``, ``"media_bias"``...)
        to highlight; all by default.  The score table always lists every score.
    max_chars : int or None
        Show at most this many characters of text (cut at a paragraph boundary, with a note); None shows all.
    scroll : bool, optional
        Put the text in a scrolling box; by default when the text is longer than ``SCROLL_CHARS``.
    scores : bool
        Show the score and speaker tables beside the text.
    """
    if not isinstance(a, Analysis):
        raise TypeError(f"render_html expects an Analysis, got {type(a).__name__}.")
    if max_chars is not None and (not isinstance(max_chars, int) or max_chars < 1):
        raise ValueError(f"max_chars must be a positive int or None, got {max_chars!r}.")
    keep = resolve_features(features, (s.label for s in a.spans))
    spans = [s for s in a.spans if s.end > s.start and (keep is None or s.label in keep)]
    body, hidden_chars, hidden_spans = _text_html(a, spans, max_chars)
    if hidden_chars:
        body += (f'<p class="rh-note">… {hidden_chars:,} more characters ({hidden_spans} spans) not shown; '
                 f'render(analysis, max_chars=None) shows the whole text.</p>')
    if scroll is None:
        scroll = len(a.text) - hidden_chars > SCROLL_CHARS
    n_spans = sum(1 for s in spans if not (s.label == QUOTE_LABEL and s.attrs.get("part", 0)))
    side = f'<div class="rh-side">{scores_html(a.scores)}{speakers_html(a)}</div>' if scores else ""
    filt = "" if keep is None else f" (showing: {_esc(', '.join(sorted(keep)))})"
    head = (f'<div class="rh-head"><b>rhetorica</b> · {len(a.text):,} characters · {len(a.sentences)} sentences · '
            f'{n_spans} spans{filt} · hover a highlight for details</div>')
    return (f'<div class="rhetorica tex2jax_ignore mathjax_ignore"><style>{_CSS}</style>{head}{_legend(spans)}'
            f'<div class="rh-wrap"><div class="rh-text{" rh-scroll" if scroll else ""}">{body}</div>'
            f'{side}</div></div>')


def html_document(fragment: str, *, title: str = "rhetorica analysis") -> str:
    """A standalone HTML page around a fragment from :func:`render_html`."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_esc(title)}</title>\n</head>\n<body style=\"margin:24px;background:#fff\">\n"
            f"{fragment}\n</body>\n</html>\n")


def render(analysis_or_text: Analysis | str, features: str | Iterable[str] | None = None,
           path: str | Path | None = None, *, detectors: Sequence[str] | None = None,
           max_chars: int | None = MAX_CHARS, title: str | None = None, scores: bool = True) -> str:
    """The highlighted HTML of an analysis, outside Jupyter too; optionally written to a standalone file.

    Parameters
    ----------
    analysis_or_text : Analysis or str
        An :class:`~rhetorica.Analysis`, or a text to analyse first (with ``detectors``).
    features : list of str, optional
        Which span labels (or detector names) to highlight; all by default.
    path : str or Path, optional
        Also write a standalone ``.html`` page (UTF-8, ``<meta charset>``, no external assets) there; the
        page shows the whole text (no scrolling box) unless ``max_chars`` cuts it.
    detectors : list of str, optional
        Detectors to run when a text is given (see :func:`rhetorica.available_detectors`).
    max_chars : int or None
        Show at most this many characters (cut at a paragraph boundary, with a note); None shows all.
    title : str, optional
        The page title of the standalone file.
    scores : bool
        Show the score and speaker tables beside the text.

    Returns
    -------
    str
        The HTML fragment, the same markup ``Analysis._repr_html_`` shows in Jupyter.

    Examples
    --------
    >>> html = rhetorica.render("Who could blame them?", detectors=["rhetorical_question"])  # doctest: +SKIP
    >>> rhetorica.render(a, features=["quote", "propaganda"], path="article.html")          # doctest: +SKIP
    """
    if isinstance(analysis_or_text, str):
        from ._types import hook

        a = hook("analyze")(analysis_or_text, detectors=list(detectors) if detectors is not None else None)
    elif isinstance(analysis_or_text, Analysis):
        if detectors is not None:
            raise ValueError("detectors= applies only when render() is given a text; this is an Analysis already.")
        a = analysis_or_text
    else:
        raise TypeError(f"render expects an Analysis or a str, got {type(analysis_or_text).__name__}.")
    fragment = render_html(a, features=features, max_chars=max_chars, scores=scores)
    if path is not None:
        page = render_html(a, features=features, max_chars=max_chars, scroll=False, scores=scores)
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(html_document(page, title=title or "rhetorica analysis"), encoding="utf-8")
    return fragment


# --- plain text ------------------------------------------------------------------------------------------

def render_text(a: Analysis, *, width: int = 100) -> str:
    """A readable summary: the spans grouped by label with their evidence, then the scores."""
    lines = [f"{len(a.text):,} characters, {len(a.sentences)} sentences, {len(a.spans)} spans", ""]
    by_label: dict[str, list[Span]] = defaultdict(list)
    for s in a.spans:
        by_label[s.label].append(s)
    order = sorted(by_label, key=lambda lab: (_rank(lab), lab))
    for label in order:
        spans = by_label[label]
        lines.append(f"== {label} ({len(spans)})")
        for s in spans:
            evidence = " ".join(a.text[s.start:s.end].split())
            if len(evidence) > width - 8:
                evidence = evidence[: width - 9] + "…"
            lines.append(f"  [{s.start}:{s.end}] {evidence}")
            lines.append(textwrap.indent(textwrap.fill(describe(s), width - 6), "      "))
        lines.append("")
    lines.append("== scores")
    w = max((len(k) for k in a.scores), default=0)
    for k, v in a.scores.items():
        lines.append(f"  {k:<{w}}  {_fmt_plain(v)}")
    return "\n".join(lines)


def _fmt_plain(v) -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(v):
        return "–"
    return str(int(v)) if v.is_integer() else f"{v:.3f}"
