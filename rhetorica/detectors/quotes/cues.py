"""Quotation marks and reporting cues: pairing the marks of a paragraph into quotations (:class:`_Quote`), the
speech-verb tests, the cue phrase as PolNeAR annotates it ("has said", "said in a statement"), and where
reported content ends.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lexicons import (
    _CUE_LEFT_WORDS, _CUE_PARTICLES, _CUE_RIGHT, DESCRIBE_VERBS, _FRAME_ONLY_VERBS, _PASSIVE_SPEAKER_VERBS,
    SPEECH_VERBS,
)
from .params import MIN_BARE_CLAUSE_WORDS, SCORE_UNATTRIBUTED

if TYPE_CHECKING:
    from .speakers import _Mention


_DQ_OPEN = "“«„‟"
_DQ_CLOSE = "”»"
_MARK_RE = re.compile(r"''|``|[\"“”«»„‟‘’']")  # '' and `` : double quotes typed as two single marks


@dataclass
class _Quote:
    start: int
    end: int  # exclusive, includes the closing mark when there is one
    closed: bool
    para: int
    continued: bool = False  # part of a quotation running over paragraphs (not the last part)
    chain: int = -1  # index of the first part of the quotation
    kind: str = "direct"
    speaker: "_Mention | None" = None
    cue: tuple[int, int, str] | None = None
    score: float = SCORE_UNATTRIBUTED
    emit: bool = True
    part: int = 0
    cue_carried: bool = False  # the cue governs an earlier quotation/sentence too


def _find_quotes(text: str, doc) -> list[_Quote]:
    out: list[_Quote] = []
    paras = doc.paragraphs
    for p, (ps, pe) in enumerate(paras):
        if doc.in_boilerplate(ps, pe):
            continue
        for qs, qe, closed in _pair_marks(text, ps, pe):
            if qe - qs < 2 or doc.in_boilerplate(qs, qe):
                continue
            q = _Quote(qs, qe, closed, p)
            if not closed and p + 1 < len(paras) and text[paras[p + 1][0]] in _DQ_OPEN + '"':
                q.continued = True
            out.append(q)
    # link continued quotations: the part that opens the next paragraph continues the chain
    for i, q in enumerate(out):
        if q.chain < 0:
            q.chain = i
        if q.continued and i + 1 < len(out):
            nxt = out[i + 1]
            if nxt.para == q.para + 1 and nxt.start == paras[nxt.para][0]:
                nxt.chain = q.chain
            else:
                q.continued = False
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _pair_marks(text: str, ps: int, pe: int) -> list[tuple[int, int, bool]]:
    """``(start, end, closed)`` of the top-level quotations of one paragraph, in order."""
    out: list[tuple[int, int, bool]] = []
    dq: int | None = None  # open double quote
    sq: int | None = None  # open single quote (top level only)
    for m in _MARK_RE.finditer(text, ps, pe):
        i, j = m.start(), m.end()
        ch = m.group()
        if ch in ("''", "``"):
            ch = "“" if ch == "``" else '"'
        before = text[i - 1] if i > ps else " "
        after = text[j] if j < pe else " "
        if ch in "“«„‟":
            if dq is None:
                dq, sq = i, None
            elif not after.isspace() and after not in ".,;:!?":
                out.append((dq, _trim_end(text, dq, i), False))  # missing closing mark: cut here
                dq = i
            else:  # a closing quote typed as an opening one
                out.append((dq, j, True))
                dq = None
        elif ch in "”»":
            if dq is not None:
                out.append((dq, j, True))
                dq = None
        elif ch == '"':
            if dq is not None:
                out.append((dq, j, True))
                dq = None
            elif not after.isspace() and j < pe:
                dq, sq = i, None
        elif dq is None:  # single quotes outside a double quotation
            if ch == "‘" or (ch == "'" and not _is_word(before)):
                if sq is None and not _is_word(before) and (_is_word(after) or after in "“\""):
                    sq = i
            elif sq is not None and not _is_word(after) and not before.isspace():
                # ’ or ' after a word and not followed by a letter: closes (nations’ stays an apostrophe
                # when no single quotation is open)
                if i - sq > 1:
                    out.append((sq, i + 1, True))
                sq = None
    if dq is not None:
        out.append((dq, _trim_end(text, dq, pe), False))
    return out


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end


def _cue_word(tok: str, describe: bool = False) -> bool:
    low = tok.lower()
    return low in SPEECH_VERBS or (describe and low in DESCRIBE_VERBS)


def _frame_cue(tok: str) -> bool:
    return _cue_word(tok) or tok.lower() in _FRAME_ONLY_VERBS


def _addressee(tail: list[str]) -> bool:
    """Tokens after a verb that can precede a quotation: "told reporters", "said in a statement"."""
    return 0 < len(tail) <= 6 and all(t[0].isalpha() for t in tail)


def _inside_quote(pos: int, quotes: list[_Quote], qstarts: list[int]) -> bool:
    k = bisect.bisect_right(qstarts, pos) - 1
    return k >= 0 and quotes[k].start <= pos < quotes[k].end


#: Where the writer's own clause takes over from reported content: a participle or "according to" after a
#: comma, or "and/but <speech verb>" (a second act of speech).  Chosen on PolNeAR train, speech-only content
#: exact F1: 0.5396 without, 0.5403 with the participles, 0.5413 with "and <speech verb>"; cutting at
#: relative clauses (", which", ", who") and contrastive ones (", while", ", but") or dashes lowered it.
_CONTENT_BREAK_RE = re.compile(
    r",\s+(?:saying|adding|warning|echoing|throwing|according\s+to)\b()|\s+(?:and|but)\s+(\w+)\b")
_CLOSE_TWO_SINGLE_RE = re.compile(r"[.,!?]?''")

_BE_BEFORE_RE = re.compile(r"\b(?:was|were|is|are|been|be|being)\s+$", re.IGNORECASE)


def _passive_result(text: str, cue: tuple[int, int, str]) -> bool:
    """A passive speech verb ("were confirmed", "was reported") with no agent: its subject did not speak."""
    verb = cue[2].split()[-1].lower() if cue[2].split() else ""
    if verb in _PASSIVE_SPEAKER_VERBS or not verb.endswith(("ed", "en", "wn", "ld", "id")):
        return False
    return _BE_BEFORE_RE.search(text, max(0, cue[0] - 10), cue[0]) is not None


def _trim_content(text: str, start: int, end: int) -> int:
    """Cut reported content where the writer's own clause or a second act of speech begins
    (:data:`_CONTENT_BREAK_RE`).

    The break must be outside quotation marks and leave at least :data:`MIN_BARE_CLAUSE_WORDS` words.
    """
    for m in _CONTENT_BREAK_RE.finditer(text, start, end):
        if m.group(2) and m.group(2).lower() not in SPEECH_VERBS:
            continue
        head = text[start:m.start()]
        if len(head.split()) < MIN_BARE_CLAUSE_WORDS:
            continue
        if sum(head.count(c) for c in '"“”') % 2 or head.count("''") % 2:
            continue  # inside a quotation
        return m.start()
    if text[start:end].count("''") % 2:  # a quotation typed as '' left open: take its closing mark
        m = _CLOSE_TWO_SINGLE_RE.match(text, end, min(len(text), end + 3))
        if m:
            return m.end()
    return end


_AUX_BEFORE_CUE_RE = re.compile(r"\b(?:(?:has|have|had)(?:\s+also)?|also)\s+$", re.IGNORECASE)
_PARTICLE_RE = re.compile(r"\s+(\w+)\b")
_AFTER_CUE_RE = re.compile(r"\s+in\s+a\s+(?:written\s+)?statement\b")

_WORD_BEFORE_RE = re.compile(r"([\w’']+)\s+$")

#: Time and manner words after the verb that train includes in the cue ("said Sunday" 77 of 129 for the
#: weekdays, "said recently" 8 of 9, "said repeatedly" 6 of 6, "wrote on Facebook" 6 of 7, "said in an
#: email" 7 of 11, "said last month" 6 of 10; "on Tuesday" 0 of 13 and "last week" 3 of 16 are left out).
_AFTER_CUE_TIME_RE = re.compile(
    r"\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|recently|repeatedly|on\s+facebook|"
    r"in\s+an\s+email|last\s+month)\b", re.IGNORECASE)


def _extend_cue(text: str, cue: tuple[int, int, str] | None,
                floor: int | None = None) -> tuple[int, int, str] | None:
    """"has said", "also said", "said in a statement": the phrase PolNeAR annotates as the cue.

    On PolNeAR train an auxiliary right before the verb is part of the annotated cue 178 times of 179, and
    "in a statement" right after it 40 times of 61 (counted over the gold cue spans).
    """
    if cue is None or cue[2] in (":", "transcript", "according to") or not cue[2][:1].islower():
        return cue
    a, b, _ = cue
    verb = text[a:b].split()[-1].lower() if text[a:b].split() else ""
    for _ in range(4):  # bounded walk over auxiliaries and adverbs
        m = _WORD_BEFORE_RE.search(text, max(0, a - 20), a)
        if not m or m.group(1) not in _CUE_LEFT_WORDS or (floor is not None and m.start() < floor):
            break
        a = m.start()
    m = _AFTER_CUE_RE.match(text, b, min(len(text), b + 30))
    if m:
        b = m.end()
    else:
        m = _PARTICLE_RE.match(text, b, min(len(text), b + 10))
        if m and (m.group(1).lower() in _CUE_PARTICLES.get(cue[2].lower()[:3], ())
                  or m.group(1).lower() in _CUE_RIGHT.get(verb, ())):
            b = m.end()
        elif (m := _AFTER_CUE_TIME_RE.match(text, b, min(len(text), b + 20))) is not None:
            b = m.end()
    return (a, b, text[a:b]) if (a, b) != cue[:2] else cue
