"""Transcripts and interviews: a paragraph opening with a speaker tag ("((Jane Doe))", "HANNITY:") is a
``direct`` quote of the tagged speaker.
"""
from __future__ import annotations

import re

from ..._types import Span
from .lexicons import _NOT_SPEAKERS
from .params import SCORE_TRANSCRIPT


#: A turn of a published transcript or interview opens its paragraph with a speaker tag: "((Jane Doe)) ...",
#: "((WN)) ..." (Wikinews), "HANNITY: ...", "JANE DOE: ...".  Mixed-case "Name:" is left alone: too many
#: headings and labels ("Update:", "Photo:") look like it.
_TURN_RE = re.compile(r"\(\((?P<b>[^()\n]{1,40})\)\)[ \t]*|(?P<c>[A-Z][A-Z.'’\- ]{1,30}[A-Z.]):[ \t]+")

#: A single tagged paragraph is more likely a label than a transcript: ask for at least this many turns.
MIN_TRANSCRIPT_TURNS = 2


def _transcript_turns(text: str, doc) -> list[Span]:
    """Each speaker-tagged paragraph of a transcript as a ``direct`` quote of the tagged speaker.

    The span runs from after the tag to the end of the paragraph; ``cue`` is ``"transcript"`` and the
    speaker mention is the tag itself.  Nothing is emitted unless the text has at least
    :data:`MIN_TRANSCRIPT_TURNS` such paragraphs.
    """
    turns: list[Span] = []
    for ps, pe in doc.paragraphs:
        m = _TURN_RE.match(text, ps, pe)
        if not m:
            continue
        name = (m.group("b") or m.group("c") or "").strip()
        if not name or name.upper() in _NOT_SPEAKERS or len(name) < 2 and name not in ("Q", "A"):
            continue
        start, end = m.end(), pe
        if end <= start or doc.in_boilerplate(ps, pe):
            continue
        which = "b" if m.group("b") else "c"
        attrs = {"kind": "direct", "speaker": name if which == "b" else name.title() if len(name) > 2 else name,
                 "speaker_start": m.start(which), "speaker_end": m.end(which), "speaker_title": "",
                 "cue": "transcript", "cue_start": m.start(), "cue_end": m.end(), "part": 0, "closed": True}
        turns.append(Span(start, end, "quote", SCORE_TRANSCRIPT, attrs))
    return turns if len(turns) >= MIN_TRANSCRIPT_TURNS else []
