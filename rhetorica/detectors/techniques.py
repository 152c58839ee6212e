"""Propaganda techniques as spans, from a token tagger on the shared encoder pass.

The ``techniques`` detector reads the word-piece states of the same forward pass that gives the sentence vectors
(no second encoder run), scores every word piece of a content sentence for each PTC technique
(``models/technique``, trained by ``python -m rhetorica.training technique``), and turns runs of pieces over the
technique's threshold into spans labelled with the technique.  Only techniques whose spans reached a precision of
0.5 in cross-validation on PTC train articles are emitted (:data:`EMITTED`); the thresholds, minimum lengths and the
list are in the model card.  Loaded language and name calling stay with the ``propaganda`` detector (see its card).
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._types import Span
from .base import register
from .token_reader import TokenReader
from ..classifiers.token_head import runs, widen

#: Model folder under ``models/``.
MODEL = "technique"
#: PTC-2020 technique name -> span label, for the techniques this detector may emit.
SPAN_LABELS = {
    "Appeal_to_Authority": "appeal_to_authority",
    "Appeal_to_fear-prejudice": "appeal_to_fear",
    "Bandwagon,Reductio_ad_hitlerum": "bandwagon_reductio_ad_hitlerum",
    "Black-and-White_Fallacy": "black_and_white_fallacy",
    "Causal_Oversimplification": "causal_oversimplification",
    "Doubt": "doubt",
    "Exaggeration,Minimisation": "exaggeration",
    "Flag-Waving": "flag_waving",
    "Repetition": "repetition",
    "Slogans": "slogans",
    "Thought-terminating_Cliches": "thought_terminating_cliche",
    "Whataboutism,Straw_Men,Red_Herring": "whataboutism_straw_men",
}


@dataclass(frozen=True)
class Rule:
    """How one technique's piece probabilities become spans (chosen in cross-validation; see the model card)."""

    threshold: float  # P(technique) for a word piece to join a run
    min_pieces: int  # shortest run kept
    gap: int = 1  # pieces under the threshold a run may bridge
    clause: bool = False  # widen each run to its clause (punctuation-delimited stretch of the sentence)


#: What delimits a clause inside a sentence: commas, semicolons, colons, brackets, quotation marks, dashes.
_CLAUSE_MARK = re.compile(r'[,;:()\[\]"“”—–]|\s-\s')


def clause_of(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause of ``text[lo:hi]`` (a sentence) that contains ``[s, e)``: from the last clause mark before ``s``
    to the first one after ``e``, without surrounding spaces or the final full stop."""
    start, end = lo, hi
    for m in _CLAUSE_MARK.finditer(text, lo, hi):
        if m.end() <= s:
            start = m.end()
        elif m.start() >= e:
            end = m.start()
            break
    while start < s and text[start].isspace():
        start += 1
    while end > e and text[end - 1] in " .!?":
        end -= 1
    return start, end


def technique_runs(text: str, offsets: np.ndarray, p: np.ndarray, rule: Rule) -> list[tuple[int, int, float]]:
    """Spans ``(start, end, score)`` of one sentence for one technique: runs of word pieces with probability at or
    above the rule's threshold, widened to whole words (and to their clause when the rule says so; runs that end up
    in one clause become one span); the score is the run's mean probability (the best run's, when merged)."""
    out: list[tuple[int, int, float]] = []
    for a, b in runs(p >= rule.threshold, rule.gap):
        if b - a + 1 < rule.min_pieces:
            continue
        s, e = widen(text, int(offsets[a][0]), int(offsets[b][1]))
        if rule.clause:
            s, e = clause_of(text, s, e, int(offsets[0][0]), int(offsets[-1][1]))
        score = float(p[a:b + 1].mean())
        if out and s < out[-1][1]:
            s0, e0, p0 = out[-1]
            out[-1] = (min(s0, s), max(e0, e), max(p0, score))
        else:
            out.append((s, e, score))
    return out


class TechniqueTagger:
    """The shipped head (``models/technique``), its fast forward pass, and the decoding rule of each emitted
    technique."""

    def __init__(self, root=None) -> None:
        from ..classifiers.heads import load_head
        from ..classifiers.token_head import token_runner

        self.head, self.meta = load_head(MODEL, root)
        self.runner = token_runner(self.head)
        self.rules = {t: Rule(**r) for t, r in self.meta["emitted"].items()}
        self.columns = {t: self.runner.labels.index(t) for t in self.rules}
        self._last: tuple | None = None

    def proba(self, states: list, vectors: np.ndarray, flags: list) -> list[np.ndarray]:
        """Every label's probability per word piece (the runner's), sentence by sentence.

        Two detectors read this tagger during one encoder pass (``techniques`` and ``persuasion``), each with the
        same word-piece states and flags: the last call's result is kept, keyed on the identity of the state arrays
        (weak references, so the states are not kept alive) and checked on the flags, so the second reader gets it
        without a second forward pass."""
        last = self._last
        if (last is not None and len(last[0]) == len(states) and all(r() is a for r, a in zip(last[0], states))
                and all(np.array_equal(f, g) for f, g in zip(last[1], flags))):
            return last[2]
        out = self.runner.proba(states, vectors, flags)
        try:
            self._last = ([weakref.ref(a) for a in states], list(flags), out)
        except TypeError:  # not weak-referenceable: no reuse
            self._last = None
        return out


def emitted_labels() -> tuple[str, ...]:
    """Span labels of the techniques the shipped model emits, in :data:`SPAN_LABELS` order (read from its
    ``model.json``, which the tagger verifies when it loads; empty when the model is not there)."""
    import json

    from ..classifiers.heads import models_dir

    try:
        emitted = json.loads((models_dir() / MODEL / "model.json").read_text(encoding="utf-8")).get("emitted", {})
    except (OSError, ValueError):
        return ()
    return tuple(label for tech, label in SPAN_LABELS.items() if tech in emitted)


#: The labels this detector emits (fixed when the module is imported, so batch output has fixed columns).
EMITTED = emitted_labels()


@lru_cache(maxsize=1)
def shipped_tagger() -> TechniqueTagger:
    return TechniqueTagger()


def _count_name(label: str) -> str:
    return f"{label}_count"


@register
class TechniqueDetector(TokenReader):
    """Spans of the propaganda techniques of PTC-2020 that the shipped model finds at precision 0.5 (see
    :data:`EMITTED`; loaded language and name calling are the ``propaganda`` detector's), one label per technique.

    Span attrs: ``technique`` (the PTC name), ``voice`` / ``speaker`` / ``quote_kind`` as for every feature.
    Scores: ``<label>_count`` and ``editorial_<label>_count`` per emitted technique, and ``technique_span_count`` /
    ``editorial_technique_span_count`` over all of them.  A technique the model does not emit has no column.
    """

    name = "techniques"
    labels = EMITTED
    score_names = (*(_count_name(v) for v in EMITTED), *(f"editorial_{_count_name(v)}" for v in EMITTED),
                   "technique_span_count", "editorial_technique_span_count")
    order = 81

    def piece_proba(self, states, vectors, flags) -> list[np.ndarray]:
        """Probabilities of the emitted techniques only (columns in the order of the tagger's rules)."""
        tagger = shipped_tagger()
        cols = list(tagger.columns.values())
        return [P[:, cols] for P in tagger.proba(states, vectors, flags)]

    def detect(self, doc) -> list[Span]:
        out = doc.token_outputs.get(self.name)
        if not out or not out["rows"]:
            return []
        tagger = shipped_tagger()
        spans: list[Span] = []
        for i in sorted(out["rows"]):
            offs, P = out["rows"][i]
            for k, (tech, rule) in enumerate(tagger.rules.items()):
                for s, e, p in technique_runs(doc.text, offs, P[:, k], rule):
                    spans.append(Span(s, e, SPAN_LABELS[tech], round(p, 4),
                                      {"technique": tech, **doc.voice_attrs(s, e)}))
        return sorted(spans, key=lambda s: (s.start, s.end, s.label))

    def scores(self, doc, spans: list[Span]) -> dict[str, float]:
        out: dict[str, float] = {}
        for label in EMITTED:
            out[_count_name(label)] = float(sum(s.label == label for s in spans))
        for label in EMITTED:
            out[f"editorial_{_count_name(label)}"] = float(
                sum(s.label == label and s.attrs.get("voice") == "editorial" for s in spans))
        out["technique_span_count"] = float(len(spans))
        out["editorial_technique_span_count"] = float(sum(s.attrs.get("voice") == "editorial" for s in spans))
        return out
