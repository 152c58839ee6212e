"""Paragraph and sentence segmentation that returns offsets into the original text.

Rules, not a parser: one linear regex scan per paragraph.  A sentence ends at
``.``, ``!``, ``?`` or ``…`` (plus any closing quotes/brackets) followed by
whitespace and something that can open a sentence (an upper-case letter, a digit,
an opening quote or bracket, a dash), unless the word before the full stop is a
known abbreviation ("Mr.", "Gen.", "U.S.") or a single initial ("J. Smith").  Every
line break is a boundary: scraped news puts headlines, bylines and list items on
lines of their own.  A run of text with no boundary is cut at whitespace every
:data:`MAX_SENTENCE_CHARS` characters, so no input makes a quadratic amount of work.
"""
from __future__ import annotations

import re
from typing import Iterator

from .._types import Sentence

#: A blank line (possibly with spaces) separates paragraphs; single newlines separate lines.
_PARA_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_RE = re.compile(r"[^\n]+")
#: Cut overlong "sentences" (lists without punctuation, minified text) at whitespace.
MAX_SENTENCE_CHARS = 1500

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "maj", "capt", "cpt", "sgt", "adm",
    "gov", "sen", "rep", "rev", "hon", "pres", "supt", "insp", "det", "cmdr", "brig", "messrs", "mme", "mlle",
    "no", "nos", "vs", "v", "etc", "e.g", "i.e", "al", "approx", "inc", "ltd", "co", "corp", "dept", "est",
    "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
    "u.s", "u.k", "u.n", "u.s.a", "d.c", "a.m", "p.m", "ph.d", "op", "ave", "blvd", "rd",
}

_OPENERS = "\"'“‘([«—–-"
# Terminal punctuation, optional closing quotes/brackets, then whitespace, then a sentence opener.  A match may
# only start where a run of terminal punctuation starts (the look-behind): without it, a run of n "?" or "."
# with no space after it is tried from each of its n positions, each scanning to the run's end -- n**2 steps.
_BOUNDARY_RE = re.compile(
    r"(?<![.!?…])(?P<end>[.!?…]+[\"'”’»)\]]*)(?P<ws>\s+)(?=[A-Z0-9" + re.escape(_OPENERS) + r"\u00C0-\u024F])"
)
#: The abbreviation-like word (letters and inner dots: "U.S", "a.m", "Gen") that ends just before a '.'.
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph (text between blank lines), stripped of outer whitespace."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_RE.finditer(text):
        _add_stripped(text, pos, m.start(), out)
        pos = m.end()
    _add_stripped(text, pos, len(text), out)
    return out


def _add_stripped(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def _is_abbreviation(text: str, dot: int, line_start: int) -> bool:
    """Is the '.' at ``dot`` the end of an abbreviation or an initial rather than a sentence?"""
    m = _WORD_BEFORE_RE.search(text, max(line_start, dot - 12), dot)
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith", "George W. Bush"
        return True
    return word.lower().rstrip(".") in _ABBREV


#: Abbreviations that also end sentences ("at 10 a.m.", "made in the U.S."): a boundary after them when the next
#: word is one that typically opens a sentence ("He arrived at 10 a.m. The U.S. Army said so.").
_SENTENCE_FINAL_ABBREV = {"a.m", "p.m", "u.s", "u.k", "u.n", "u.s.a", "d.c", "etc", "inc", "ltd", "co", "corp",
                          "jr", "sr", "no"}
_OPENER_WORDS = {
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "but", "and", "or", "in", "on", "this", "that",
    "these", "those", "there", "his", "her", "their", "its", "our", "my", "then", "so", "yet", "however", "after",
    "when", "while", "if", "as", "at", "for", "some", "many", "most", "no", "not", "what", "why", "how", "who",
}
_NEXT_WORD_RE = re.compile(r"[\"'“‘(]*([A-Za-z]+)")


def _abbreviation_holds(text: str, dot: int, next_pos: int, line_start: int) -> bool:
    """Is the '.' at ``dot`` an abbreviation's (so no boundary), given the word that follows at ``next_pos``?"""
    if not _is_abbreviation(text, dot, line_start):
        return False
    m = _WORD_BEFORE_RE.search(text, max(line_start, dot - 12), dot)
    word = m.group(1).lower().rstrip(".") if m else ""
    if word == "no":  # "No. 5", but "The answer was no. Then he left."
        return text[next_pos:next_pos + 1].isdigit()
    if word in _SENTENCE_FINAL_ABBREV:
        nxt = _NEXT_WORD_RE.match(text, next_pos)
        return not (nxt and nxt.group(1).lower() in _OPENER_WORDS and nxt.group(1)[0].isupper())
    return True


def _split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    for m in _BOUNDARY_RE.finditer(text, start, end):
        end_tok = m.group("end")
        if end_tok == "." and _abbreviation_holds(text, m.start("end"), m.end("ws"), start):
            continue
        yield from _cap(text, pos, m.end("end"))
        pos = m.end("ws")
    if pos < end:
        yield from _cap(text, pos, end)


def _cap(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def sentences(text: str, paras: list[tuple[int, int]] | None = None) -> list[Sentence]:
    """Sentences of ``text`` with offsets and paragraph indices, in text order."""
    if paras is None:
        paras = paragraphs(text)
    out: list[Sentence] = []
    for p, (ps, pe) in enumerate(paras):
        for lm in _LINE_RE.finditer(text, ps, pe):
            ls, le = lm.start(), lm.end()
            while ls < le and text[ls].isspace():
                ls += 1
            while le > ls and text[le - 1].isspace():
                le -= 1
            if le <= ls:
                continue
            for s, e in _split_line(text, ls, le):
                while e > s and text[e - 1].isspace():
                    e -= 1
                if e > s:
                    out.append(Sentence(s, e, p))
    return out
