"""The ``quote`` detector: runs the passes in order and turns its spans into passage scores."""
from __future__ import annotations

import math

from ..._types import Span
from ..base import Detector, register
from .cues import _find_quotes, _Quote
from .entities import _entities
from .finalise import _finalise
from .indirect import _indirect
from .quotations import _attribute, _carry_speaker, _make_span, _propagate_chains
from .speakers import _distinct_speakers
from .transcripts import _transcript_turns


@register
class QuoteDetector(Detector):
    """Direct, partial, indirect and mixed reported speech, with speaker and reporting verb.

    Each span is labelled ``"quote"``; ``attrs`` holds

    * ``kind``: ``direct`` (a quotation opening the sentence or introduced by ``,``/``:``/a dash),
      ``partial`` (a quoted fragment inside the writer's sentence), ``indirect`` (reported speech
      without quotation marks) or ``mixed`` (a reported clause holding a quoted fragment);
    * ``speaker``: one canonical name per person in the text ("Belousov", "the Russian Defense
      Minister" and "he" all give "Andrey Belousov"), else the description as written
      ("officials", "Russian official media"), ``""`` when unknown;
    * ``speaker_mention``: the words at the attribution as written ("he", "the Russian Defense
      Minister"); ``speaker_type``: ``person``, ``organisation``, ``media``, ``anonymous``
      ("officials said", "a source familiar with…") or ``unresolved``;
    * ``cue``: the reporting verb or phrase as written ("said", "has said", "according to",
      ``":"``), ``""`` if none; ``speaker_start``/``speaker_end`` and ``cue_start``/``cue_end``
      (offsets, -1 if none), ``speaker_title``;
    * ``part``: 0 for the first span of a quotation, 1, 2, ... for its continuations (a quotation
      running over paragraphs, or the second half of "<clause>, X said, <clause>"); ``closed``.

    Direct and partial spans include the quotation marks; indirect content excludes the frame
    ("X said") but keeps "that".

    Examples
    --------
    >>> from rhetorica.pipeline import Analyzer
    >>> a = Analyzer(detectors=["boilerplate", "quote"])('“We will win,” said Senator Jane Doe.')
    >>> [(s.attrs["kind"], s.attrs["speaker"], s.attrs["cue"]) for s in a.spans_of("quote")]
    [('direct', 'Jane Doe', 'said')]
    """

    name = "quote"
    labels = ("quote",)
    score_names = ("quote_count", "direct_quote_count", "partial_quote_count", "indirect_quote_count",
                   "mixed_quote_count",
                   "speaker_count", "quoted_share", "editorial_share", "attributed_share")
    needs_encoder = False
    order = 10
    requires = ("boilerplate",)

    def detect(self, doc) -> list[Span]:
        text = doc.text
        ents = _entities(text, doc)
        quotes = _find_quotes(text, doc)
        used_cues: set[int] = set()
        qstarts = [q.start for q in quotes]
        for k, q in enumerate(quotes):
            _attribute(text, k, quotes, qstarts, ents, doc)
        _propagate_chains(quotes)
        last_para_speaker: dict[int, _Quote] = {}
        for q in quotes:
            if q.speaker is None and q.cue is None and q.emit:
                _carry_speaker(text, q, quotes, qstarts, last_para_speaker, ents, doc)
            if q.emit and (q.speaker is not None or q.cue is not None):
                last_para_speaker[q.para] = q
        partial_by_cue: dict[int, _Quote] = {}
        for q in quotes:
            if q.emit and q.cue is not None and not q.cue_carried:
                used_cues.add(q.cue[0])
                if q.kind == "partial":
                    partial_by_cue[q.cue[0]] = q
        indirect = _indirect(text, doc, quotes, qstarts, ents, used_cues, partial_by_cue)
        spans = [_make_span(q) for q in quotes if q.emit]
        spans.extend(indirect)
        spans.extend(_transcript_turns(text, doc))
        spans = _finalise(text, spans, ents)
        spans.sort(key=lambda s: (s.start, s.end))
        return spans

    def scores(self, doc, spans: list[Span]) -> dict[str, float]:
        # every quote span of the document: the rules' and, when it ran, the attribution tagger's
        first = [s for s in doc.spans_of("quote") if s.attrs.get("part", 0) == 0]
        kinds = [s.attrs.get("kind") for s in first]
        content = doc.content_length()
        quoted = doc.quoted_length() / content if content else math.nan
        return {
            "quote_count": float(len(first)),
            "direct_quote_count": float(kinds.count("direct")),
            "partial_quote_count": float(kinds.count("partial")),
            "indirect_quote_count": float(kinds.count("indirect")),
            "mixed_quote_count": float(kinds.count("mixed")),
            "speaker_count": float(len(_distinct_speakers([s.attrs.get("speaker", "") for s in first]))),
            "quoted_share": quoted,
            "editorial_share": 1.0 - quoted if content else math.nan,
            # the share of content characters credited to someone: verbatim quotes and reported content alike
            "attributed_share": doc.attributed_length() / content if content else math.nan,
        }
