"""Indirect speech outside quotation marks: "X said (that) …", "…, X said.", the parenthetical
"<clause>, X said, <clause>", "according to X", speech-act objects and headlines, and ``mixed`` spans (a
reported clause holding a quoted fragment of the same cue).
"""
from __future__ import annotations

import bisect
import re

from ..._types import Span
from .cues import _Quote, _trim_content
from .entities import _Entities
from .lexicons import (
    _ADDRESSEE_VERBS, _ADJUNCT_START, _BARE_CLAUSE_VERBS, _CLAUSE_WORDS, _CUE_PARTICLES, DESCRIBE_VERBS,
    _DETERMINERS, _FINITE, _MONTHS_DAYS, _NON_NAME_CAPS, _NOT_VERBS_S, _NOUN_LIKE, _NP_STOP, _OBJECT_STOPS,
    _PERSON_PRONOUNS, _PLAIN_SUBJECTS, PRONOUNS, _QUESTION_VERBS, _SAY_FORMS, SPEECH_VERBS, _SUBORDINATORS,
    _THAT_SEARCH_STOPS, TO_VERBS,
)
from .params import (
    MAX_ACCORDING_TOKENS, MAX_APPOSITION_TOKENS, MAX_SPEAKER_TOKENS, MAX_TOKENS_BEFORE_THAT, MAX_TRAILING_TOKENS,
    MIN_BARE_CLAUSE_WORDS, MIN_TRAILING_CLAUSE_WORDS, SCORE_INDIRECT_BARE, SCORE_INDIRECT_OBJECT,
    SCORE_INDIRECT_THAT, SCORE_MIXED,
)
from .speakers import (
    _coordinated_subject, _Mention, _phrase_mention, _sentence_subject, _speaker_left, _speaker_like,
    _speaker_right,
)
from .tokens import _content_end, _first_after, _tokens


_THAT_RE = re.compile(r"\bthat\b")


def _indirect(text: str, doc, quotes: list[_Quote], qstarts: list[int], ents: _Entities,
              used_cues: set[int], partial_by_cue: dict[int, _Quote] | None = None) -> list[Span]:
    """Reported speech outside quotation marks, one attribution per sentence at most.

    A clause that holds a quoted fragment of the same reporting verb (``X said the plan was “a mess.”``)
    becomes one ``mixed`` span and the fragment's own ``partial`` span is withdrawn (``q.emit = False``).
    """
    out: list[Span] = []
    partial_by_cue = partial_by_cue or {}
    frame_cues = used_cues - partial_by_cue.keys()  # once: a set difference per sentence would be quadratic

    def mixed(span: Span | None) -> Span | None:
        """The clause span as ``mixed`` when it wraps the partial quotation of its cue, else ``None``."""
        if span is None:
            return None
        q = partial_by_cue.get(span.attrs["cue_start"])
        if q is None or not (span.start <= q.start < span.end):
            return None
        q.emit = False
        attrs = dict(span.attrs, kind="mixed")
        return Span(span.start, max(span.end, q.end), "quote", SCORE_MIXED, attrs)

    def quoted(pos: int) -> bool:
        k = bisect.bisect_right(qstarts, pos) - 1
        return k >= 0 and quotes[k].start <= pos < quotes[k].end

    for si in doc.content_sentences():
        s = doc.sentences[si]
        toks = _tokens(text, s.start, s.end)
        if len(toks) < 4:
            continue
        span = _headline(text, toks, s, ents, quoted)
        if span is not None:  # "Clinton Says Russians Hacked DNC"
            out.append(span)
            continue
        span = _trailing(text, toks, s, ents, quoted, frame_cues)
        if isinstance(span, list):
            out.extend(span)
            continue
        if span is not None and span.attrs["cue_start"] in used_cues:
            span = mixed(span)
        if span is not None:
            out.append(span)
            continue
        resume_at = -1
        nested = False
        frame_sp = None  # the speaker of a quotation framed in this sentence ("“…,” said X, referring to …")
        k0 = bisect.bisect_left(qstarts, s.start)
        for q in quotes[max(0, k0 - 1):k0 + 3]:
            if q.emit and q.cue is not None and q.speaker is not None and s.start <= q.cue[0] < s.end:
                frame_sp = q.speaker
        for j, (a, b, t) in enumerate(toks):
            low = t.lower()
            if quoted(a):
                continue
            if a in used_cues:
                if a in partial_by_cue:
                    span = mixed(_verb_clause(text, toks, j, s, ents, quoted, allow_quoted=True,
                                              object_ok=False))
                    if span is not None:
                        out.append(span)
                        break
                continue
            if low == "asked" and j + 2 < len(toks) and toks[j + 1][2] == "by":
                span = _asked_by(text, toks, j, s, ents, quoted)
                if span is not None:  # "Asked by a reporter whether …, Trump said …"
                    out.append(span)
                    continue
            # "According to X, <clause>" / "<clause>, according to X."
            if low == "according" and j + 1 < len(toks) and toks[j + 1][2].lower() == "to":
                span = _according_to(text, toks, j, s, ents, quoted)
                if span is not None:
                    out.append(span)
                    break
                continue
            if not ((low in SPEECH_VERBS or low in DESCRIBE_VERBS or (low in _NOUN_LIKE and j + 1 < len(toks)
                                             and toks[j + 1][2] == "that")
                     or (low in TO_VERBS and j + 1 < len(toks) and toks[j + 1][2] == "to")) and t[0].islower()):
                continue
            if a < resume_at:
                continue
            if nested and low not in _SAY_FORMS:
                continue
            span = _verb_clause(text, toks, j, s, ents, quoted, explicit_subject=nested, frame_speaker=frame_sp)
            if span is not None:
                out.append(span)
                # the content is cut later before ", saying …" / "… and said …": look for that second act
                cut = _trim_content(text, span.start, span.end)
                if cut >= _content_end(text, toks, s):
                    nested = True  # "X said that Y had warned that …": a report inside the report
                    continue
                resume_at = cut  # "X criticized the ruling and said …": a second attribution
    return out


#: Share of words written with a capital for a sentence to read as a headline in Title Case.
MIN_HEADLINE_CAPS_SHARE = 0.7


def _headline(text: str, toks, s, ents: _Entities, quoted) -> Span | None:
    """"Former Clinton Pollster Says Clinton Is In Trouble": a Title Case headline whose verb is a present-tense
    speech verb ("Says", "Slams", "Urges"); the content runs to the first comma, colon or the end."""
    words = [t for _, _, t in toks if t[0].isalpha()]
    if len(words) < 4 or sum(w[0].isupper() for w in words) < MIN_HEADLINE_CAPS_SHARE * len(words):
        return None
    for j in range(1, min(len(toks) - 2, MAX_SPEAKER_TOKENS + 2)):
        a, b, t = toks[j]
        low = t.lower()
        if not (t[0].isupper() and low in SPEECH_VERBS and (low.endswith("s") or low in {"said", "told"})) \
                or low in _NOUN_LIKE or quoted(a):
            continue
        sp = _speaker_left(text, toks, j, ents)
        if sp is None or sp.start != toks[0][0] or not _speaker_like(sp):
            return None
        e = j + 1
        while e < len(toks) and toks[e][2] not in {",", ":", ";", "—", "–"}:
            e += 1
        end = _content_end(text, toks[:e], s) if e >= len(toks) else toks[e - 1][1]
        if len(text[toks[j + 1][0]:end].split()) < MIN_BARE_CLAUSE_WORDS - 1:
            return None
        return _indirect_span(toks[j + 1][0], end, sp, (a, b, t), SCORE_INDIRECT_BARE)
    return None


def _indirect_span(start: int, end: int, sp: _Mention | None, cue: tuple[int, int, str], score: float) -> Span:
    return Span(start, end, "quote", score, {
        "kind": "indirect",
        "speaker": sp.resolved if sp else "",
        "speaker_start": sp.start if sp else -1,
        "speaker_end": sp.end if sp else -1,
        "speaker_title": sp.title if sp else "",
        "cue": cue[2], "cue_start": cue[0], "cue_end": cue[1],
        "part": 0, "closed": True,
    })


def _verb_clause(text: str, toks, j: int, s, ents: _Entities, quoted, allow_quoted: bool = False,
                 object_ok: bool = True, explicit_subject: bool = False,
                 frame_speaker: _Mention | None = None) -> Span | None:
    """"X noted that …" / "X told reporters that …" / "X said the plan would fail".

    ``explicit_subject``: only a speaker written right before the verb (a report nested in another one).
    ``frame_speaker``: the speaker of a quotation framed in the same sentence, for a participle that follows
    it ("“…,” said X, referring to …").
    """
    a, b, t = toks[j]
    sp = _speaker_left(text, toks, j, ents)
    if explicit_subject and (sp is None or sp.text.lower() in {"who", "which", "that"}):
        return None
    if sp is None and frame_speaker is not None and t.lower().endswith("ing") and j > 0 and toks[j - 1][2] == "," \
            and frame_speaker.end <= a:
        sp = frame_speaker
    if sp is None and j > 1:
        # "Obama met survivors … on Thursday and said …", "She brought that down …, but said …": the
        # subject of the nearest clause to the left whose verb this one is coordinated with
        sp = _coordinated_subject(text, toks, j, ents)
    if sp is None and j > 1 and (toks[j - 1][2] in {"and", ","} or t.lower().endswith("ing")):
        # "X criticized the plan and said …" / "X spoke on Monday, saying …": the subject of the sentence
        sp = _sentence_subject(text, toks, j, ents)
    if sp is None and j > 1:
        # "Kasich offered the man a job, then says …", "Insiders across the four states — and two-thirds of
        # Republicans — said …": the sentence's subject when no subordinate clause intervenes
        sp = _sentence_subject(text, toks, j, ents)
        if sp is not None:
            k0 = 0
            while k0 < j and toks[k0][0] < sp.end:  # the subject opens the sentence: a few steps
                k0 += 1
            between = [x[2].lower() for x in toks[k0:j]] if j - k0 <= MAX_SUBJECT_GAP else None
            if between is None or _SUBORDINATORS.intersection(between) or not _speaker_like(sp):
                sp = None
    if sp is None or (sp.text.lower() in PRONOUNS and sp.text.lower() not in _PERSON_PRONOUNS | {"they", "we", "i"}):
        return None
    # "that"-clause within a few tokens
    for k in range(j + 1, min(len(toks), j + 2 + MAX_TOKENS_BEFORE_THAT)):
        tk = toks[k][2]
        if tk.lower() == "that":
            if k + 1 < len(toks) and toks[k + 1][2] in {",", ".", ";"}:
                return None
            end = _content_end(text, toks, s)
            if end - toks[k][0] < 10:
                return None
            return _end_relative(text, toks, _indirect_span(toks[k][0], end, sp, (a, b, t), SCORE_INDIRECT_THAT),
                                 sp, quoted)
        if not tk[0].isalnum() or quoted(toks[k][0]) or tk.lower() in _THAT_SEARCH_STOPS or tk.lower() in SPEECH_VERBS:
            break  # "vowing to fight on and said that …", "say it is fitting that …": not this verb's "that"
    # bare clause after a say-verb, else the object of a speech act ("X denounced the decision")
    bare = _bare_clause(text, toks, j, s, sp, quoted)
    if bare is None and object_ok:
        bare = _object_clause(text, toks, j, s, sp, quoted)
    return _end_relative(text, toks, bare, sp, quoted)


def _end_relative(text: str, toks, span: Span | None, sp: _Mention, quoted) -> Span | None:
    """A relative clause's report ends at its closing comma ("X, who said Y, disagreed" -> "Y")."""
    if span is None or sp.text.lower() not in ("who", "which"):
        return span
    k = _first_after(toks, span.start)
    for a, b, t in toks[k:]:
        if a >= span.end:
            break
        if t in {",", "—", "–"} and not quoted(a):
            if a - span.start < 10:
                return None
            return Span(span.start, a, span.label, span.score, span.attrs)
    return span


def _bare_clause(text: str, toks, j: int, s, sp: _Mention, quoted) -> Span | None:
    a, b, t = toks[j]
    if j + 1 < len(toks) and t.lower() in _QUESTION_VERBS and toks[j + 1][2].lower() in _CLAUSE_WORDS - {
            "despite", "neither", "nobody", "none", "no"} and not quoted(toks[j + 1][0]):
        end = _content_end(text, toks, s)  # "Paul asked how it is conservative to …"
        if len(text[toks[j + 1][0]:end].split()) >= MIN_BARE_CLAUSE_WORDS + 1:
            return _indirect_span(toks[j + 1][0], end, sp, (a, b, t), SCORE_INDIRECT_BARE)
        return None
    if t.lower() not in _BARE_CLAUSE_VERBS or j + 1 >= len(toks):
        return None
    k = j + 1
    if t.lower() in _ADDRESSEE_VERBS and k + 1 < len(toks) and (
            toks[k][2].lower() in {"him", "them", "me", "us"} or (toks[k][2].lower() == "her" and (
                toks[k + 1][2].lower() in _DETERMINERS | PRONOUNS or toks[k + 1][2].lower() == "that"))):
        k += 1  # "told her the plan would …": an object pronoun as the addressee
    elif t.lower() in _ADDRESSEE_VERBS:  # "told reporters the plan ..." -> skip a short addressee
        while k < len(toks) and k - j <= 3 and toks[k][2][0].isalpha() and toks[k][2].lower() not in PRONOUNS \
                and toks[k][2].lower() not in _DETERMINERS:
            k += 1
    while k < len(toks) and toks[k][2].lower() in _MONTHS_DAYS | {"on", "yesterday", "today", "tonight"}:
        k += 1
    if k >= len(toks):
        return None
    first = toks[k][2]
    low = first.lower()
    low = re.split(r"[’']", low)[0]
    if low in _CLAUSE_WORDS and not quoted(toks[k][0]):
        # "said if elected he would …", "asked whether the plan …", "says despite all that, Obama …"
        end = _content_end(text, toks, s)
        if len(text[toks[k][0]:end].split()) >= MIN_BARE_CLAUSE_WORDS + 1:
            return _indirect_span(toks[k][0], end, sp, (a, b, t), SCORE_INDIRECT_BARE)
        return None
    subject_like = low in {"he", "she", "they", "we", "i", "it", "there", "this", "these", "those"} | _DETERMINERS \
        or (first[0].isupper() and low not in _NON_NAME_CAPS) \
        or (t.lower() in _SAY_FORMS and first.isalpha() and first.islower() and low not in _NP_STOP
            and low not in _ADJUNCT_START and not low.endswith("ly"))
    if not subject_like or quoted(toks[k][0]):
        return None
    # a clause has a finite verb-ish word after its subject: "would", "will", "is", "-ed", "-s" ...
    rest = [x[2].lower() for x in toks[k:k + 8]]
    k_low = low
    if not any(w in _FINITE or (w.endswith(("ed", "s")) and len(w) > 3 and w not in _NOT_VERBS_S)
               or re.search(r"[’'](ll|s|re|d|ve|m)$|n[’']t$", w)
               or (k_low in _PLAIN_SUBJECTS and n > 0 and w.isalpha() and w.islower() and w not in _NP_STOP)
               for n, w in enumerate(rest[1:] + [rest[0]]) if "’" in w or "'" in w or w != rest[0]):
        return None
    end = _content_end(text, toks, s)
    if len(text[toks[k][0]:end].split()) < MIN_BARE_CLAUSE_WORDS:
        return None
    return _indirect_span(toks[k][0], end, sp, (a, b, t), SCORE_INDIRECT_BARE)


#: Shortest object of a speech act kept as content (words).
MIN_OBJECT_WORDS = 2


def _object_clause(text: str, toks, j: int, s, sp: _Mention, quoted) -> Span | None:
    """"X denounced the decision", "X called for new elections", "X told reporters about the plan": the
    speech act's object up to the end of its clause, with a lower score (:data:`SCORE_INDIRECT_OBJECT`)."""
    a, b, t = toks[j]
    n = len(toks)
    if not _speaker_like(sp):
        return None
    k = j + 1
    cue_end = b
    if k < n and (toks[k][2].lower() in _CUE_PARTICLES.get(t.lower()[:3], ()) or toks[k][2].lower() == "about"):
        cue_end = toks[k][1]  # "called for", "joked about": PolNeAR puts the particle in the cue
        k += 1
    decline = t.lower() in TO_VERBS
    if k >= n or not (toks[k][2][0].isalpha() or toks[k][2] in "“\"‘'") or (
            toks[k][2].lower() in _NP_STOP - {"the"} and not (decline and toks[k][2] == "to")):
        return None  # "pledged 270 delegates", "charged $100": amounts are not speech
    e = k
    while e < n:
        w = toks[e][2]
        if w in {";", ".", "!", "?", ":", "(", "—", "–"} and not quoted(toks[e][0]):
            break
        if decline and w in {",", "and", "but"} and e > k + 1:  # "declined to comment, didn't respond …"
            break
        if w in {",", "and"} and e + 1 < n and not quoted(toks[e][0]):
            nxt = toks[e + 1][2].lower()
            if nxt in SPEECH_VERBS or nxt.endswith("ing") or nxt in _OBJECT_STOPS or nxt in PRONOUNS:
                break
        e += 1
    if e <= k:
        return None
    end = toks[e - 1][1]
    if e < n and quoted(toks[e - 1][0]):  # include the closing mark of a quoted object
        end = toks[e - 1][1]
    if len(text[toks[k][0]:end].split()) < MIN_OBJECT_WORDS:
        return None
    return _indirect_span(toks[k][0], end, sp, (a, cue_end, text[a:cue_end]), SCORE_INDIRECT_OBJECT)


#: Tokens allowed between a sentence's subject and a cue that has no speaker of its own.
MAX_SUBJECT_GAP = 12


def _asked_by(text: str, toks, j: int, s, ents: _Entities, quoted) -> Span | None:
    """"Asked by Matt Lauer whether she had practised, …": the asker is the source, the question the content
    (up to the comma that ends the participle phrase)."""
    sp = _speaker_right(text, toks, j + 2, ents)
    if sp is None:
        return None
    k = _first_after(toks, sp.end - 1)
    if k >= len(toks) or toks[k][2].lower() not in _CLAUSE_WORDS | {"about", "to"} or quoted(toks[k][0]):
        return None
    e = k + 1
    while e < len(toks) and not (toks[e][2] in {",", ";", ":"} and not quoted(toks[e][0])):
        e += 1
    end = toks[e - 1][1] if e < len(toks) else _content_end(text, toks, s)
    if len(text[toks[k][0]:end].split()) < MIN_BARE_CLAUSE_WORDS:
        return None
    return _indirect_span(toks[k][0], end, sp, toks[j][:2] + (toks[j][2],), SCORE_INDIRECT_BARE)


def _according_to(text: str, toks, j: int, s, ents: _Entities, quoted) -> Span | None:
    cue = (toks[j][0], toks[j + 1][1], "according to")
    sp = _speaker_right(text, toks, j + 2, ents, lowercase_ok=True)
    if sp is None and j + 2 < len(toks) and toks[j + 2][2][0].isalpha():
        # a source the noun-phrase scan rejects ("exit polls reported by CNN"): its first words stand in
        # until the trailing case below extends it to the comma or the sentence end
        sp = _phrase_mention(text, toks[j + 2][0], toks[j + 2][1], ents)
        if sp.text.lower() in _NP_STOP or sp.text.lower() in PRONOUNS:
            return None
    if sp is None:
        return None
    # clause after "According to X," or before ", according to X"
    k = j + 2
    while k < len(toks) and toks[k][0] < sp.end:
        k += 1
    if k < len(toks) and toks[k][2] != "," and (j == 0 or toks[j - 1][2] in {",", "But", "And"}):
        # a long source: "According to early results of exit polls conducted for the networks, …"
        for c in range(k, min(len(toks) - 1, j + 2 + MAX_ACCORDING_TOKENS)):
            if toks[c][2] in {";", ".", ":", "“", "\""}:
                break
            if toks[c][2] == ",":
                phrase = text[sp.start:toks[c - 1][1]]
                sp = _Mention(sp.start, toks[c - 1][1], phrase, phrase, sp.title, sp.person)
                k = c
                break
    if k < len(toks) and toks[k][2] == ",":
        if j == 0 or toks[j - 1][2] in {",", "But", "And"}:
            start = toks[k + 1][0] if k + 1 < len(toks) else None
            if start is None:
                return None
            end = _content_end(text, toks, s)
            if end - start < 10:
                return None
            return _indirect_span(start, end, sp, cue, SCORE_INDIRECT_THAT)
    if j > 1 and (toks[j - 1][2] == "," or (toks[j - 1][2][0].isalnum() and j >= MIN_TRAILING_CLAUSE_WORDS)):
        # "<clause>, according to exit polls reported by CNN and other networks." : the source runs to the
        # next comma or the end of the sentence, as PolNeAR marks it ("a copy of the letter reviewed by The Post")
        e = j + 2
        while e < len(toks) and toks[e][2] not in _ACCORDING_SOURCE_END and e - j <= MAX_ACCORDING_TOKENS:
            e += 1
        if e - j <= MAX_ACCORDING_TOKENS and e > j + 2 and toks[e - 1][1] > sp.end:
            phrase = text[sp.start:toks[e - 1][1]]
            sp = _Mention(sp.start, toks[e - 1][1], phrase, sp.resolved if sp.person else phrase, sp.title,
                          sp.person)
        start = s.start
        while start < toks[j - 1][0] and text[start] in "\"'“‘«":
            start += 1
        end = toks[j - 1][0] if toks[j - 1][2] == "," else toks[j - 1][1]
        if end - start >= 10 and not quoted(start):
            return _indirect_span(start, end, sp, cue, SCORE_INDIRECT_THAT)
    return None


#: Tokens that end the source of a trailing "…, according to <source>".
_ACCORDING_SOURCE_END = frozenset({",", ";", ":", "(", ".", "!", "?", "—", "–", "“", "\"", "”"})


def _trailing(text: str, toks, s, ents: _Entities, quoted, used_cues: set[int]) -> Span | None:
    """"<clause>, X said." / "<clause>, said X, the director of Y." at the end of a sentence, and the
    parenthetical "<clause>, X said, <clause>." (two spans, ``part`` 0 and 1, one attribution)."""
    n = len(toks)
    for c in range(n - 2, 0, -1):
        if toks[c][2] not in {",", "—", "–"}:
            continue
        if quoted(toks[c][0]):
            return None
        if toks[c - 1][2] in {"”", "\"", "’", "»"}:
            return None  # a quotation's own frame
        tail = toks[c + 1:min(n, c + 2 + MAX_APPOSITION_TOKENS + 2)]
        cue_k = None
        commas = 0
        for k, (a, b, t) in enumerate(tail):
            if t == ",":  # "…, a spokeswoman, Anna White, said" : one apposition inside the frame
                commas += 1
                if commas > 2:
                    break
                continue
            if t in {";", ":", "“", "\""}:
                break
            if t.lower() in SPEECH_VERBS and t[0].islower():
                cue_k = k
                break
        if cue_k is None or tail[cue_k][0] in used_cues or (commas and cue_k == 0):
            continue
        j = c + 1 + cue_k
        if cue_k == 0 and toks[j][2].endswith("ing"):
            continue  # "…, saying …": a participle, handled with the sentence's subject
        if cue_k == 0:
            sp = _speaker_right(text, toks, j + 1, ents)
            rest_i = j + 1
            while rest_i < n and toks[rest_i][0] < (sp.end if sp else 0):
                rest_i += 1
            rest = [x[2] for x in toks[rest_i:rest_i + _REST_TOKENS]]
            ok = sp is not None and (not rest or rest[0] in {",", ".", "!", "?", "(", "”", "\""}
                                     or _adjunct_tail(rest, toks[j][2]))
        else:
            sp = _speaker_left(text, toks, j, ents, floor=c + 1)
            if sp is not None and sp.start != toks[c + 1][0]:
                sp = None
            rest = [x[2] for x in toks[j + 1:j + 1 + _REST_TOKENS]]
            ok = sp is not None
        if not ok:
            continue
        start = s.start
        while start < toks[c][0] and text[start] in "\"'“‘«":
            start += 1
        cue = toks[j][:2] + (toks[j][2],)
        if _adjunct_tail(rest, toks[j][2]) or cue_k == 0:
            if c < MIN_TRAILING_CLAUSE_WORDS or n - c > MAX_TRAILING_TOKENS:
                return None
            return _indirect_span(start, toks[c][0], sp, cue, SCORE_INDIRECT_BARE)
        # parenthetical: "The argument would be aided, Devine said, by the primary calendar."
        k = j + 1
        while k < n and toks[k][2] != "," and k - j <= 7:
            k += 1
        if k >= n - 2 or k - j > 6 or toks[k][2] != ",":
            return None
        if toks[k + 1][2].lower() in {"and", "but", "which", "who", "while", "as", "though", "although"}:
            if c < MIN_TRAILING_CLAUSE_WORDS:
                return None
            return _indirect_span(start, toks[c][0], sp, cue, SCORE_INDIRECT_BARE)
        end = _content_end(text, toks, s)
        first = _indirect_span(start, toks[c][0], sp, cue, SCORE_INDIRECT_BARE)
        second = _indirect_span(toks[k + 1][0], end, sp, cue, SCORE_INDIRECT_BARE)
        second = Span(second.start, second.end, "quote", second.score, dict(second.attrs, part=1))
        return [first, second]
    return None


#: Tokens after a trailing frame that are looked at (an adjunct has at most 8 words: see _adjunct_tail).
_REST_TOKENS = 12


def _adjunct_tail(after: list[str], cue: str) -> bool:
    """Is what follows a trailing "X said" only an adjunct ("on Monday", "in a statement", "unequivocally")?"""
    words = [w for w in after if w not in {".", "!", "?", "”", "’", "\"", ")"}]
    if not words:
        return True
    if len(words) > 8 or any(w in {",", ";", ":"} for w in words):
        return False
    first = words[0].lower()
    if first in _ADJUNCT_START or (first.endswith("ly") and len(first) > 3):
        return True
    # "told reporters", "told CNN on Monday": a short addressee after tell-verbs
    return cue.lower() in _ADDRESSEE_VERBS and len(words) <= 4 and first not in _DETERMINERS - {"the"}
