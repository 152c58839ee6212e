"""The last pass over all quote spans: the cue phrase, the speaker mention as written, one canonical name
per person over the whole text, the speaker type, and the end of indirect content.
"""
from __future__ import annotations

import re

from ..._types import Span
from .cues import _extend_cue, _passive_result, _trim_content
from .entities import _Entities
from .lexicons import _NOT_SPEAKER_ENDS, _PERSON_PRONOUNS, PRONOUNS
from .speakers import speaker_type
from .tokens import _looks_like_person, _split_name


_QUOTE_CHARS = "\"'“”‘’«»`"

#: "of <Place or Organisation>" after a named speaker.
_OF_PLACE_RE = re.compile(r" of (?:the |The )?(?:[A-Z][\w’'.&-]*[ \u00a0]+){0,4}[A-Z][\w’'&-]*(?![\w’'])")


def _finalise(text: str, spans: list[Span], ents: _Entities) -> list[Span]:
    """Add ``speaker_mention`` and ``speaker_type``, extend cues, and give each person one canonical name.

    A speaker written as a bare surname or first name takes the longest full name in the text that ends or
    starts with it ("Belousov" -> "Andrey Belousov", even when the surname came first); "Mr. Putin" and
    "Putin" are the same person.
    """
    full_names = sorted({n for _, names in ents.full.values() for n in names}, key=len, reverse=True)
    by_word: dict[str, str] = {}
    for n in full_names:
        for w in (n.split()[0], n.split()[-1]):
            by_word.setdefault(w, n)
    out = []
    for sp in spans:
        at = dict(sp.attrs)
        cue = None if at.get("cue_start", -1) < 0 else (at["cue_start"], at["cue_end"], at["cue"])
        if at.get("kind") == "indirect" and cue is not None and _passive_result(text, cue):
            continue  # "Four people were confirmed dead": the subject is what was confirmed, not a speaker
        sp_end = at.get("speaker_end", -1)
        ext = _extend_cue(text, cue, sp_end if cue is not None and 0 <= sp_end <= cue[0] else None)
        if ext is not None and ext is not cue and ext[0] < sp.end and sp.start < ext[1]:
            ext = _extend_cue(text, cue, cue[0]) if not (cue[0] < sp.end and sp.start < cue[1]) else cue
            if ext[0] < sp.end and sp.start < ext[1]:
                ext = cue  # never let the cue run into the content
        cue = ext
        if cue is not None:
            at["cue_start"], at["cue_end"], at["cue"] = cue
        ss, se = at.get("speaker_start", -1), at.get("speaker_end", -1)
        if 0 <= ss < se and text[se - 1:se].isalpha() and text[ss:se].split()[-1][:1].isupper():
            m = _OF_PLACE_RE.match(text, se, min(len(text), se + 60))
            cs_, ce_ = at.get("cue_start", -1), at.get("cue_end", -1)
            if m and not (m.end() > sp.start and se < sp.end) and not (cs_ >= 0 and m.end() > cs_ and se < ce_):
                se = m.end()  # "Jane Doe of Maryland", "Rahman of the Eurasia Group": the source PolNeAR marks
                at["speaker_end"] = se
        mention = text[ss:se] if 0 <= ss < se else ""
        mention = mention.strip(_QUOTE_CHARS + " ")
        resolved = at.get("speaker", "").strip(_QUOTE_CHARS + " ")
        if mention and mention.split()[-1].lower().replace("’", "'") in _NOT_SPEAKER_ENDS:
            # "Let's say ...", "... attack them, saying": an object or an imperative, not a speaker
            mention, resolved = "", ""
            at["speaker_start"], at["speaker_end"], at["speaker_title"] = -1, -1, ""
        person = False
        if " of " in resolved and resolved[:1].isupper():
            name, _ = _split_name(resolved.split(" of ")[0])  # "Senator Jane Doe of Maryland" -> "Jane Doe"
            if len(name.split()) >= 2 and _looks_like_person(name):
                resolved = name
        if at.get("cue") == "transcript":
            person = True
        elif resolved:
            bare = re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.?\s+", "", resolved)
            if " " not in bare and bare in by_word:
                resolved = by_word[bare]
            person = resolved in ents.person_names or (
                mention.lower() in _PERSON_PRONOUNS | {"i"} and resolved.lower() not in PRONOUNS)
        if resolved.lower() in PRONOUNS:
            resolved = ""
        at["speaker"] = resolved
        at["speaker_mention"] = mention
        at["speaker_type"] = speaker_type(mention, resolved, person) if at.get("cue") != "transcript" else "person"
        end = _trim_content(text, sp.start, sp.end) if at.get("kind") in ("indirect", "mixed") else sp.end
        out.append(Span(sp.start, end, sp.label, sp.score, at))
    return out
