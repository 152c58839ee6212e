"""Quotations in marks: the attribution frame around each one ("“…,” X said", "X said: “…”", a cue
elsewhere in the sentence), its kind (``direct`` or ``partial``), continued quotations, speakers carried
over from the sentence before, and the span of each quotation.
"""
from __future__ import annotations

import re

from ..._types import Span
from .cues import _addressee, _cue_word, _frame_cue, _inside_quote, _Quote
from .entities import _Entities
from .lexicons import _PERSON_PRONOUNS, _TITLE_LOWER
from .params import (
    CARRY_SCAN_CHARS, MAX_MARKED_SCARE_WORDS, MAX_PARENTHESIS_TOKENS, MAX_SCARE_QUOTE_WORDS, MAX_SPEAKER_TOKENS,
    MAX_TITLE_WORDS, SCORE_CARRIED, SCORE_FRAME,
    SCORE_SENTENCE_CUE, SCORE_UNATTRIBUTED, SCORE_UNCLOSED_FACTOR,
)
from .speakers import _coordinated_subject, _sentence_subject, _speaker_left, _speaker_right
from ...text.words import WORD
from .tokens import _clause_end, _clause_start, _tokens


def _attribute(text: str, k: int, quotes: list[_Quote], qstarts: list[int], ents: _Entities, doc) -> None:
    q = quotes[k]
    ps, pe = doc.paragraphs[q.para]
    prev_end = max(ps, quotes[k - 1].end if k > 0 and quotes[k - 1].para == q.para else ps)
    next_start = quotes[k + 1].start if k + 1 < len(quotes) and quotes[k + 1].para == q.para else pe
    inner = text[q.start + 1:q.end - (1 if q.closed else 0)]
    n_words = len(inner.split())
    pre_start = _clause_start(text, q.start, prev_end)
    pre = text[pre_start:q.start]
    pre_stripped = pre.rstrip()
    ends_sentence = bool(re.search(r"[.!?…]\s*$", inner)) if q.closed else True
    # kind: direct when the quotation opens the writer's sentence or follows "," / ":" / a dash
    opens = (not pre_stripped) or pre_stripped[-1] in ",:—–-" or pre_stripped.endswith("...")
    q.kind = "direct" if opens else "partial"
    if q.kind == "partial" and _is_title(inner):
        q.emit = False  # a title of a show, book or slogan: "on “Fox News Sunday”"
        return
    if q.kind == "partial" and n_words <= MAX_MARKED_SCARE_WORDS and _SCARE_MARKER.search(pre):
        q.emit = False  # "the so-called “community benefits” package": the writer's distance, not a source's words
        return
    # (a) frame after the closing mark: "…,” X said" / "…,” said X"
    if q.closed:
        post_end = _clause_end(text, q.end, next_start)
        found = _frame_after(text, q.end, post_end, ents)
        if found:
            q.speaker, q.cue = found
            q.score = SCORE_FRAME
            return
    # (b) frame before the opening mark: "X said: “…”", "As X remarked, “…”", "according to X, “…”"
    found = _frame_before(text, pre_start, q.start, ents)
    if found:
        q.speaker, q.cue = found
        q.score = SCORE_FRAME
        return
    # (c) a reporting verb elsewhere in the writer's sentence (partial quotations)
    sent_end = _clause_end(text, q.end, pe) if not (q.closed and ends_sentence) else q.end
    found = _cue_in_sentence(text, pre_start, q.start, q.end, sent_end, ents, quotes, qstarts)
    if found:
        q.speaker, q.cue = found
        q.score = SCORE_SENTENCE_CUE
        return
    # (d) nothing: short fragments are scare quotes/titles; longer ones wait for a carried speaker
    if n_words <= MAX_SCARE_QUOTE_WORDS and q.kind == "partial":
        q.emit = False
    elif n_words <= MAX_SCARE_QUOTE_WORDS and not ends_sentence:
        q.emit = False
    q.score = SCORE_UNATTRIBUTED


#: A word that marks the quotation right after it as the writer's scare quote, whatever reporting verb is near.
_SCARE_MARKER = re.compile(r"\b(?:so-called|so called|self-styled|self-proclaimed|supposed|alleged)\s*$", re.IGNORECASE)


def _is_title(inner: str) -> bool:
    """Title Case of at most :data:`MAX_TITLE_WORDS` words ("Fox News Sunday.", "The Art of the Deal")."""
    words = [w for w in WORD.findall(inner) if not w[0].isdigit()]
    if not words or len(words) > MAX_TITLE_WORDS:
        return False
    content = [w for w in words if w.lower() not in _TITLE_LOWER]
    return bool(content) and all(w[0].isupper() for w in content) and (len(words) > 1 or not inner.strip().endswith(","))


def _frame_after(text: str, start: int, end: int, ents: _Entities):
    toks = _tokens(text, start, end)
    i = 0
    while i < len(toks) and toks[i][2] in {",", "—", "–", "-"}:
        i += 1
    if i >= len(toks):
        return None
    # "…,” said X" (inverted)
    if _frame_cue(toks[i][2]) and toks[i][2][0].islower():
        sp = _speaker_right(text, toks, i + 1, ents)
        if sp is not None:
            return sp, toks[i][:2] + (toks[i][2],)
    # "…,” according to X"
    if toks[i][2].lower() == "according" and i + 1 < len(toks) and toks[i + 1][2].lower() == "to":
        sp = _speaker_right(text, toks, i + 2, ents, lowercase_ok=True)
        if sp is not None:
            return sp, (toks[i][0], toks[i + 1][1], "according to")
    # "…,” X (also) said" / "…,” Rep. Jane Doe (D-Md.) said"
    depth = 0
    for j in range(i + 1, min(len(toks), i + MAX_SPEAKER_TOKENS + 3 + MAX_PARENTHESIS_TOKENS)):
        t = toks[j][2]
        depth += (t == "(") - (t == ")")
        if depth > 0 or t == ")":
            continue
        if t in {".", "!", "?", ";", "“", "\""}:
            break
        if _frame_cue(t) and t[0].islower():
            sp = _speaker_left(text, toks, j, ents, floor=i)
            if sp is not None and sp.start == toks[i][0]:
                return sp, toks[j][:2] + (t,)
            break
    return None


def _frame_before(text: str, start: int, end: int, ents: _Entities):
    toks = _tokens(text, start, end)
    if not toks:
        return None
    n = len(toks)
    # the verb must be close to the quotation: within the last few tokens (an addressee or "that" between)
    for j in range(n - 1, max(-1, n - 8), -1):
        t = toks[j][2]
        low = t.lower()
        if low == "to" and j > 0 and toks[j - 1][2].lower() == "according":
            sp = _speaker_right(text, toks, j + 1, ents, lowercase_ok=True)
            if sp is not None:
                return sp, (toks[j - 1][0], toks[j][1], "according to")
        if _cue_word(t) and t[0].islower():
            tail = [x[2] for x in toks[j + 1:]]
            if tail and tail[-1] not in {",", ":", "—", "–", "that"} and not _addressee(tail):
                continue
            sp = _speaker_left(text, toks, j, ents)
            if sp is None and j > 1:  # "Sharpton supported Obama over Clinton and said, “…”"
                sp = _coordinated_subject(text, toks, j, ents)
            if sp is None and low.endswith("ing") and j > 0:  # "Trump spoke on Monday, saying: “…”"
                sp = _speaker_right(text, toks, 0, ents)
            if sp is None:
                sp = _speaker_right(text, toks, j + 1, ents)
            if sp is not None:
                return sp, toks[j][:2] + (t,)
    if toks[-1][2] == ":" and n >= 2 and n <= MAX_SPEAKER_TOKENS + 1:  # "Trump: “…”" (headlines, transcripts)
        sp = _speaker_left(text, toks, n - 1, ents)
        if sp is not None and sp.start == toks[0][0] and (sp.person or sp.text[:1].isupper()):
            return sp, toks[-1][:2] + (":",)
    if toks[-1][2] in {":", "—", "–"} and n >= 3:
        # "Jane Doe had a blunt answer: “…”" / "The minister was clear — “…”": the sentence's subject
        sp = _sentence_subject(text, toks, n - 1, ents)
        if sp is not None and (sp.person or sp.text.lower() in _PERSON_PRONOUNS):
            return sp, toks[-1][:2] + (toks[-1][2],)
    return None


def _cue_in_sentence(text: str, s0: int, qs: int, qe: int, s1: int, ents: _Entities, quotes, qstarts):
    before = _tokens(text, s0, qs)
    for j in range(len(before) - 1, -1, -1):
        t = before[j][2]
        if _cue_word(t, describe=True) and t[0].islower() and not _inside_quote(before[j][0], quotes, qstarts):
            sp = _speaker_left(text, before, j, ents)
            if sp is not None:
                return sp, before[j][:2] + (t,)
        if t.lower() == "to" and j > 0 and before[j - 1][2].lower() == "according":
            sp = _speaker_right(text, before, j + 1, ents, lowercase_ok=True)
            if sp is not None:
                return sp, (before[j - 1][0], before[j][1], "according to")
    after = _tokens(text, qe, s1)
    for j, (a, b, t) in enumerate(after):
        if _cue_word(t, describe=True) and t[0].islower() and not _inside_quote(a, quotes, qstarts):
            sp = _speaker_left(text, after, j, ents)
            if sp is None and j + 1 < len(after):
                sp = _speaker_right(text, after, j + 1, ents)
            if sp is not None:
                return sp, (a, b, t)
    return None


def _propagate_chains(quotes: list[_Quote]) -> None:
    """All parts of a quotation running over paragraphs share the attribution of the part that has one."""
    by_chain: dict[int, list[_Quote]] = {}
    for q in quotes:
        by_chain.setdefault(q.chain, []).append(q)
    for parts in by_chain.values():
        if len(parts) < 2:
            continue
        for n, p in enumerate(parts):
            p.part = n
        src = next((p for p in reversed(parts) if p.speaker is not None or p.cue is not None), None)
        for p in parts:
            p.emit = True
            p.kind = "direct"
            if src is not None and p is not src:
                p.speaker, p.cue, p.score = src.speaker, src.cue, src.score


def _carry_speaker(text: str, q: _Quote, quotes, qstarts, last_para: dict[int, _Quote], ents: _Entities,
                   doc) -> None:
    """An unattributed quotation takes the speaker of the quotation/reporting sentence just before it."""
    prev = last_para.get(q.para)
    if prev is None and q.start == doc.paragraphs[q.para][0]:
        prev = last_para.get(q.para - 1)
    if prev is not None and prev.end <= q.start:
        q.speaker, q.score, q.cue, q.cue_carried = prev.speaker, SCORE_CARRIED, prev.cue, True
        return
    # the sentence before: "Trump had this to say:" / "He noted that ..."
    si = doc.sentence_at(q.start)
    if si is not None and si > 0:
        prev_s = doc.sentences[si - 1]
        if q.para - prev_s.paragraph <= 1:
            toks = _tokens(text, max(prev_s.start, prev_s.end - CARRY_SCAN_CHARS), prev_s.end)
            for j, (a, b, t) in enumerate(toks):
                if _cue_word(t) and t[0].islower() and not _inside_quote(a, quotes, qstarts):
                    sp = _speaker_left(text, toks, j, ents)
                    if sp is not None:
                        q.speaker, q.score, q.cue, q.cue_carried = sp, SCORE_CARRIED, (a, b, t), True
                        return
            if toks and toks[-1][2] == ":":  # "Jane Doe then read her statement:"
                sp = _speaker_right(text, toks, 0, ents)
                if sp is not None and (sp.person or sp.text[:1].isupper()):
                    q.speaker, q.score, q.cue, q.cue_carried = sp, SCORE_CARRIED, toks[-1][:2] + (":",), True
                    return
    if q.kind == "partial" or len(text[q.start:q.end].split()) <= MAX_SCARE_QUOTE_WORDS:
        q.emit = False


def _make_span(q: _Quote) -> Span:
    sp = q.speaker
    score = q.score * (1.0 if q.closed or q.continued else SCORE_UNCLOSED_FACTOR)
    part = q.part
    attrs = {
        "kind": q.kind,
        "speaker": sp.resolved if sp else "",
        "speaker_start": sp.start if sp else -1,
        "speaker_end": sp.end if sp else -1,
        "speaker_title": sp.title if sp else "",
        "cue": q.cue[2] if q.cue else "",
        "cue_start": q.cue[0] if q.cue else -1,
        "cue_end": q.cue[1] if q.cue else -1,
        "part": part,
        "closed": q.closed,
    }
    return Span(q.start, q.end, "quote", round(score, 3), attrs)
