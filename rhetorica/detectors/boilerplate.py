"""Page furniture that is not the article: ad markers, cookie notices, share/subscribe lines, credits.

Scraped news keeps the web page's furniture between and after the paragraphs.
A *line* is boilerplate when it matches one of the patterns below as a whole
(short lines only, so that a sentence *about* cookies or advertising stays
article text), or is a cookie/consent notice.  Every line so marked becomes one
``boilerplate`` span, excluded from every share and rate.
"""
from __future__ import annotations

import re

from .._types import Span
from .base import Detector, register

#: Lines longer than this are article text even when they contain a furniture word.
MAX_FURNITURE_CHARS = 120

_WHOLE_LINE = [
    r"[-–—\s]*(advertisement|advert|ad|sponsored( content)?|promoted( content)?|paid (content|post)|"
    r"story continues below( advertisement)?|continue reading( below)?|article continues below|"
    r"scroll to continue( with content)?|skip (this )?ad)[-–—\s.]*",
    r"(banner|image|photo|video|graphic)s?",
    r"(read|see) (more|also)\b.{0,100}",
    r"(related|more)( (stories|articles|coverage|on this story|from \w+))?:?.{0,80}",
    r"(share|tweet|email|print|pin)( (this|on)( \w+)?)?( (article|story|page|post))?[:!.]?"
    r"(\s*(on )?(facebook|twitter|x|whatsapp|linkedin|reddit|email|telegram|copy link)[,|/ ]*)*",
    r"(share|follow us|like us|join us) on .{0,80}",
    r"(subscribe|sign up|register|join)( now| today| free| here)?( to| for| and)? .{0,80}",
    r"(click|tap) here .{0,100}",
    r"take our poll.{0,80}",
    r"(edited|written|reported|compiled|produced|translated|reviewed|fact[- ]checked) by .{1,60}",
    r"(by|author|editor|editing by|reporting by|additional reporting by|writing by)[: ]+[A-Z][\w.'’-]*( [A-Z][\w.'’-]*){0,4}"
    r"([,;] (and )?[A-Z][\w.'’-]*( [A-Z][\w.'’-]*){0,4})*",
    r"(all rights reserved|copyright|©).{0,100}",
    r"(accept|decline|reject|agree|ok|got it|read more|learn more|manage (cookies|preferences|settings))"
    r"(\s+(all|cookies|accept|decline|reject|read more|learn more|settings))*[.!]?",
    r"[\w .’'&-]{2,60}(–|—|-|\|) ?(monitoring|news desk|newsroom|staff|wire|agencies)\.?",
    r"(source|sources|via|photo credit|image credit|credit|caption)s?: .{1,100}",
    r"(previous|next) (article|post|story)\b.{0,100}",
    r"(comments?|leave a (comment|reply)|\d+ comments?)[.:]?",
]
_WHOLE_RE = re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in _WHOLE_LINE) + r")$", re.IGNORECASE)
#: Consent notices run long, so they are matched by content, not length.
_COOKIE_RE = re.compile(
    r"\b((this|our) (web)?site uses cookies|we use cookies|use of cookies|cookie (policy|settings|preferences|consent)|"
    r"we('|’)ll assume you('|’)re ok with this|by (continuing|using) (to (use|browse) )?(this|our) (site|website))",
    re.IGNORECASE,
)
_LINE_RE = re.compile(r"[^\n]+")


@register
class BoilerplateDetector(Detector):
    """Marks page-furniture lines; runs first so every later detector and score can skip them."""

    name = "boilerplate"
    labels = ("boilerplate",)
    score_names = ("boilerplate_share",)
    order = 0

    def detect(self, doc) -> list[Span]:
        text = doc.text
        out: list[Span] = []
        for m in _LINE_RE.finditer(text):
            raw = m.group()
            line = raw.strip()
            if not line:
                continue
            start = m.start() + (len(raw) - len(raw.lstrip()))
            end = start + len(line)
            if _COOKIE_RE.search(line) and len(line) < 600:
                out.append(Span(start, end, "boilerplate", 1.0, {"kind": "cookie_notice"}))
            elif len(line) <= MAX_FURNITURE_CHARS and _WHOLE_RE.match(line.rstrip(".")) and not _looks_like_prose(line):
                out.append(Span(start, end, "boilerplate", 1.0, {"kind": _kind(line)}))
        return out

    def scores(self, doc, spans) -> dict[str, float]:
        total = sum(e - s for s, e in doc.paragraphs)
        bp = sum(s.end - s.start for s in spans)
        return {"boilerplate_share": bp / total if total else float("nan")}


def _looks_like_prose(line: str) -> bool:
    """A full sentence with a verb-ish shape (several words ending in . ! ?) is prose, not furniture,
    unless it is a credit line ('Edited by ...')."""
    words = line.split()
    if re.match(r"(?i)(edited|written|reported|compiled|produced|translated|reviewed|by|reporting by|editing by)\b", line):
        return False
    return len(words) >= 9 and line[-1] in ".!?\"”"


def _kind(line: str) -> str:
    low = line.lower().strip("-–— ")
    if re.match(r"(advert|ad\b|sponsored|promoted|paid|story continues|continue reading|article continues|scroll|skip)", low):
        return "advertisement"
    if re.match(r"(edited|written|reported|compiled|produced|translated|reviewed|fact|by\b|author|editor|editing|reporting|additional|writing)", low):
        return "credit"
    if re.search(r"(monitoring|news desk|newsroom|staff|wire|agencies)\.?$", low):
        return "credit"
    if re.match(r"(share|tweet|email|print|pin|follow|like us|join us)", low):
        return "share"
    if re.match(r"(subscribe|sign up|register|join)", low):
        return "subscribe"
    if re.match(r"(accept|decline|reject|agree|ok|got it|manage)", low):
        return "cookie_notice"
    return "furniture"
