"""Showing an :class:`~rhetorica.Analysis`: escaped HTML for Jupyter, plain text for the terminal."""
from __future__ import annotations

import html
import math
import textwrap
from collections import defaultdict

from ._types import Analysis, Span

#: label -> (CSS for the highlighted text, short legend name).  Labels earlier in this dict win where spans
#: overlap; sentence-level labels are drawn as underlines so that span highlights stay readable on top.
STYLES: dict[str, tuple[str, str]] = {
    "rhetorical_question": ("background:#ffd54f;", "rhetorical question"),
    "historical_analogy": ("background:#ef9a9a;", "historical analogy"),
    "loaded_language": ("background:#ce93d8;", "loaded language"),
    "name_calling": ("background:#b39ddb;", "name calling"),
    "historical_reference": ("background:#e0e0e0;", "historical reference"),
    "question": ("background:#fff3c4;", "question (not rhetorical)"),
    "quote": ("color:#0d47a1;font-style:italic;", "quoted voice"),
    "boilerplate": ("color:#9e9e9e;text-decoration:line-through;", "page furniture"),
    "biased": ("border-bottom:2px solid #e53935;", "biased sentence"),
    "subjective": ("border-bottom:2px dotted #fb8c00;", "subjective sentence"),
    "hedge": ("border-bottom:2px dashed #43a047;", "hedge"),
    "persuasion": ("box-shadow:inset 3px 0 0 #8e24aa;", "persuasion paragraph"),
    "frame": ("", "frame evidence"),
}
_OTHER = ("background:#b2dfdb;", "other technique")
_PRIORITY = {label: k for k, label in enumerate(STYLES)}


def _style(label: str) -> tuple[str, str]:
    return STYLES.get(label, _OTHER)


def _describe(s: Span) -> str:
    bits = [f"{s.label} ({s.score:.2f})"]
    for key in ("kind", "voice", "speaker", "cue", "referent", "smear", "technique", "frame", "techniques"):
        if key in s.attrs and s.attrs[key] not in ("", None, False):
            v = s.attrs[key]
            bits.append(f"{key}: {', '.join(map(str, v)) if isinstance(v, (list, tuple)) else v}")
    return "; ".join(bits)


def _segments(a: Analysis) -> list[tuple[int, int, list[Span]]]:
    """Cut the text at every span boundary; each piece carries the spans covering it (a sweep, O(n log n))."""
    cuts = {0, len(a.text)}
    starts: dict[int, list[Span]] = defaultdict(list)
    for s in a.spans:
        if s.end > s.start:
            cuts.update((s.start, s.end))
            starts[s.start].append(s)
    points = sorted(cuts)
    active: list[Span] = []
    out = []
    for lo, hi in zip(points, points[1:]):
        active = [s for s in active if s.end > lo] + starts.get(lo, [])
        out.append((lo, hi, list(active)))
    return out


def _fmt(v: float) -> str:
    if isinstance(v, float) and math.isnan(v):
        return "–"
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.3f}"


def render_html(a: Analysis, *, max_chars: int = 200_000) -> str:
    """The text with spans highlighted (hover for details), a legend and the score table; all text escaped."""
    parts = ['<div class="rhetorica" style="font-family:Georgia,serif;line-height:1.6;max-width:52em">']
    text_end = min(len(a.text), max_chars)
    for lo, hi, spans in _segments(a):
        if lo >= text_end:
            break
        piece = html.escape(a.text[lo:min(hi, text_end)]).replace("\n", "<br>")
        if not spans:
            parts.append(piece)
            continue
        css = "".join(_style(lab)[0] for lab in sorted({s.label for s in spans}, key=lambda l: -_PRIORITY.get(l, 5)))
        title = html.escape(" | ".join(_describe(s) for s in sorted(spans, key=lambda s: _PRIORITY.get(s.label, 5))),
                            quote=True)
        parts.append(f'<span style="{css}" title="{title}">{piece}</span>')
    if text_end < len(a.text):
        parts.append(f"<p><i>… {len(a.text) - text_end:,} more characters not shown.</i></p>")
    present = [lab for lab in STYLES if any(s.label == lab for s in a.spans)]
    present += sorted({s.label for s in a.spans} - set(STYLES))
    if present:
        legend = " ".join(f'<span style="{_style(l)[0]}padding:0 .3em">{html.escape(_style(l)[1] if l in STYLES else l)}'
                          f'</span>' for l in present)
        parts.append(f'<p style="font-family:sans-serif;font-size:90%">{legend}</p>')
    rows = "".join(f"<tr><td style='text-align:left'>{html.escape(k)}</td><td>{_fmt(v)}</td></tr>"
                   for k, v in a.scores.items())
    parts.append(f'<table style="font-family:sans-serif;font-size:90%"><tr><th>score</th><th>value</th></tr>{rows}</table>')
    parts.append("</div>")
    return "".join(parts)


def render_text(a: Analysis, *, width: int = 100) -> str:
    """A readable summary: the spans grouped by label with their evidence, then the scores."""
    lines = [f"{len(a.text):,} characters, {len(a.sentences)} sentences, {len(a.spans)} spans", ""]
    by_label: dict[str, list[Span]] = defaultdict(list)
    for s in a.spans:
        by_label[s.label].append(s)
    order = [l for l in STYLES if l in by_label] + sorted(set(by_label) - set(STYLES))
    for label in order:
        spans = by_label[label]
        lines.append(f"== {label} ({len(spans)})")
        for s in spans:
            evidence = " ".join(a.text[s.start:s.end].split())
            if len(evidence) > width - 8:
                evidence = evidence[: width - 9] + "…"
            lines.append(f"  [{s.start}:{s.end}] {evidence}")
            detail = _describe(s)
            lines.append(textwrap.indent(textwrap.fill(detail, width - 6), "      "))
        lines.append("")
    lines.append("== scores")
    w = max((len(k) for k in a.scores), default=0)
    for k, v in a.scores.items():
        lines.append(f"  {k:<{w}}  {_fmt(v)}")
    return "\n".join(lines)
