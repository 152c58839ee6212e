"""The data model: one text, and character-offset views into it.

Every object here is immutable.  ``Span.start`` / ``Span.end`` are offsets into
``Analysis.text`` (the user's input, unchanged), so ``text[span.start:span.end]``
is always the evidence for the span.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping


def _freeze(attrs: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(attrs or {}))



#: Links from the data model to the layers above it, as ``"module:function"`` names.  The data model imports
#: nothing above it; the package facade (``rhetorica/__init__.py``) declares these links, and :func:`hook`
#: resolves one when it is first used (so ``import rhetorica`` stays light).  See docs/architecture.md.
HOOKS: dict[str, str] = {}


def hook(name: str):
    """The function registered under ``name`` in :data:`HOOKS`, imported on first use."""
    import importlib

    target = HOOKS.get(name)
    if target is None:
        raise RuntimeError(f"No implementation is registered for {name!r}: import rhetorica (the package) first.")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)

@dataclass(frozen=True, order=False)
class Span:
    """A labelled stretch of the analysed text.

    Parameters
    ----------
    start, end : int
        Character offsets into the analysed text (``end`` exclusive).
    label : str
        What was found, e.g. ``"rhetorical_question"``, ``"quote"``.
    score : float
        The detector's confidence in ``[0, 1]`` (a probability for model-backed
        detectors, 1.0 for exact rules).
    attrs : mapping
        Label-specific details (``kind``, ``voice``, ``speaker``, ...).
    """

    start: int
    end: int
    label: str
    score: float = 1.0
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"Span offsets must satisfy 0 <= start <= end; got start={self.start}, end={self.end}.")
        object.__setattr__(self, "attrs", _freeze(self.attrs))
        object.__setattr__(self, "score", float(self.score))

    def text_in(self, text: str) -> str:
        """The evidence: ``text[start:end]``."""
        return text[self.start:self.end]

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "label": self.label, "score": self.score, **dict(self.attrs)}

    def __hash__(self) -> int:  # attrs is a mapping proxy: hash the identifying fields only
        return hash((self.start, self.end, self.label))


@dataclass(frozen=True)
class Sentence:
    """A sentence of the text: offsets plus the index of its paragraph."""

    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Analysis:
    """The result of :func:`rhetorica.analyze`: the text, its spans and its scores.

    In Jupyter the object renders as the text with the rhetoric highlighted and a
    table of scores.
    """

    text: str
    spans: tuple[Span, ...] = ()
    scores: Mapping[str, float] = field(default_factory=dict)
    sentences: tuple[Sentence, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "spans", tuple(sorted(self.spans, key=lambda s: (s.start, -s.end, s.label))))
        object.__setattr__(self, "scores", _freeze(self.scores))

    def spans_of(self, label: str) -> list[Span]:
        """The spans with the given label, in text order."""
        return [s for s in self.spans if s.label == label]

    @property
    def labels(self) -> list[str]:
        return sorted({s.label for s in self.spans})

    def to_frame(self):
        """The spans as a DataFrame (one row per span, attrs as columns)."""
        return hook("spans_to_frame")(self)

    @property
    def speakers(self):
        """Who is quoted: a DataFrame, one row per speaker (see :func:`rhetorica.speakers.speakers_table`)."""
        return hook("speakers_table")(self)

    def summary(self, width: int = 100) -> str:
        """A plain-text report (what ``rhetorica analyze FILE`` prints)."""
        return hook("render_text")(self, width=width)

    def _repr_html_(self) -> str:
        return hook("render_html")(self)

    def _repr_pretty_(self, p, cycle: bool) -> None:  # IPython's text/plain: the summary, not the one-liner
        p.text(repr(self) if cycle else self.summary())

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for s in self.spans:
            counts[s.label] = counts.get(s.label, 0) + 1
        found = ", ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "no spans"
        return f"<Analysis: {len(self.text)} chars, {len(self.sentences)} sentences; {found}>"
