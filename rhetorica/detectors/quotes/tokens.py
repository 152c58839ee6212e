"""Tokens and capitalised names: the tokenizer, the writer's sentence around a position, and the split of a
capitalised run into a title and a name ("Defense Minister" + "Andrey Belousov").
"""
from __future__ import annotations

import re

from ...text.segment import _ABBREV
from ...text.words import TOKEN
from .lexicons import _DETERMINERS, _MONTHS_DAYS, _NON_NAME_CAPS, _ORG_WORDS, TITLE_WORDS
from .params import CONTEXT_CHARS, MAX_PARENTHESIS_CHARS


_TOKEN_RE = TOKEN
_TERMINATOR_RE = re.compile(r"[.!?](?=[\"'”’»)\]]*(?:\s|$))")
#: A dot inside a capitalised run only after an initial or a title abbreviation ("Sen.", "J."): "said Senator
#: Jane Doe. Doe added" is two runs, not the name "Jane Doe. Doe". Up to six words, so that a title and a name with
#: an initial stay one run ("State Insurance Commissioner Therese M. Goldsmith"; with four words the run split before
#: "M." and the person was registered as "M. Goldsmith").
_CAP_RUN_RE = re.compile(
    r"(?<![\w’'])(?:(?:[A-Z]\.|(?:Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gen|Gov|Lt|Col|Sgt|Capt|Prof|Pres|Adm|Maj|Rev|St|"
    r"Jr|Sr|Fr|Cmdr|Supt|Insp|Atty|Amb|Pvt|Cpl)\.|[A-Z][\w’'\-]*)[ \u00a0]+){0,5}[A-Z][\w\-]*(?:[’']s)?(?![\w])",
    re.UNICODE)


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text, start, end)]


def _clause_start(text: str, pos: int, floor: int) -> int:
    """Start of the writer's sentence containing ``pos`` (after the last terminator in ``[floor, pos)``)."""
    lo = max(floor, pos - CONTEXT_CHARS)
    start = lo
    for m in _TERMINATOR_RE.finditer(text, lo, pos):
        if m.group() == "." and _abbrev_before(text, m.start()):
            continue
        start = m.end()
    while start < pos and (text[start].isspace() or text[start] in "\"'”’»)]"):
        start += 1
    return start


def _clause_end(text: str, pos: int, ceil: int) -> int:
    """End of the writer's sentence that continues at ``pos`` (the next terminator before ``ceil``)."""
    hi = min(ceil, pos + CONTEXT_CHARS)
    for m in _TERMINATOR_RE.finditer(text, pos, hi):
        if m.group() == "." and _abbrev_before(text, m.start()):
            continue
        return m.end()
    return hi


def _abbrev_before(text: str, dot: int) -> bool:
    if text[dot + 1:dot + 2] == ")" and "(" in text[max(0, dot - MAX_PARENTHESIS_CHARS):dot]:
        return True  # "(D-Ore.)": a party label, not the end of the sentence
    j = dot
    while j > 0 and dot - j < 8 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower()
    return (len(word) == 1 and text[j].isupper()) or word.rstrip(".") in _ABBREV


def _split_name(phrase: str) -> tuple[str, str]:
    """("Defense Minister Andrey Belousov") -> ("Andrey Belousov", "Defense Minister"); ("" , ...) if no name."""
    words = phrase.split()
    k = len(words)
    while k > 0:
        w = words[k - 1]
        bare = re.sub(r"[’']s$", "", w).rstrip(".,")
        if not bare or not bare[0].isupper() or bare.lower() in TITLE_WORDS or bare.lower() in _NON_NAME_CAPS:
            break
        if w != words[-1] and re.search(r"[’']s$", w):  # possessive inside: "Trump's" in "Trump's aide X"
            break
        k -= 1
    name = " ".join(words[k:])
    if not name or re.search(r"[’']s$", name):
        return "", phrase
    title = " ".join(w for w in words[:k] if w.lower() not in _DETERMINERS)
    return name, title


def _looks_like_person(name: str) -> bool:
    words = [w.lower().strip(".") for w in name.split()]
    return bool(words) and not any(w in _ORG_WORDS or w in _MONTHS_DAYS for w in words) \
        and not any(w.strip(".").isupper() and len(w.strip(".")) > 1 for w in name.split())  # "NATO", not "M."


def _content_end(text: str, toks, s) -> int:
    end = s.end
    while end > s.start and text[end - 1] in ".!?;:,\"'”’» ":
        end -= 1
    return end


def _first_after(toks, pos: int) -> int:
    """Index of the first token starting after ``pos`` (binary search over the token starts)."""
    lo, hi = 0, len(toks)
    while lo < hi:
        mid = (lo + hi) // 2
        if toks[mid][0] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo
