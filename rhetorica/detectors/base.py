"""The detector protocol and the registry that names detectors.

A detector reads a :class:`~rhetorica.pipeline.Doc` (text, paragraphs,
sentences, the spans earlier detectors found, and the shared encoder's sentence
embeddings) and returns :class:`~rhetorica.Span` objects.  It also turns its spans
into passage scores.  Registering it by name makes it part of ``analyze`` /
``score_frame`` and of the ``detectors=`` option.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from .._types import Span
    from ..pipeline import Doc

REGISTRY: dict[str, type["Detector"]] = {}


class Detector:
    """Base class: subclass, set the class attributes, implement :meth:`detect` and :meth:`scores`.

    Attributes
    ----------
    name : str
        Registry key; also the ``Span.label`` and score-column prefix where they coincide.
    labels : tuple of str
        Every ``Span.label`` the detector can emit.
    score_names : tuple of str
        Every key :meth:`scores` returns (the same for every text, so batch output has fixed columns).
    needs_encoder : bool
        True if the detector reads ``doc.embeddings``: such detectors run after the shared
        encoder pass; rule detectors run before it, in ``order``.
    needs_tokens : bool
        True if the detector also reads the encoder's word-piece states from the same pass: the pipeline calls its
        :meth:`read_tokens` chunk by chunk during the pass (only meaningful with ``needs_encoder``).
    order : int
        Run order within its stage (lower first).  Boilerplate is 0, quotes 10.
    requires : tuple of str
        Detectors whose spans this one reads (as spaCy components declare ``requires``): ``"boilerplate"`` to
        skip page furniture, ``"quote"`` for the voice (quoted or editorial) and speaker of its spans.  An
        :class:`~rhetorica.Analyzer` adds them to the run when they are not asked for, and says so in
        ``Analyzer.added``; without them every sentence would count as content and as the writer's own.
    """

    name: ClassVar[str] = ""
    labels: ClassVar[tuple[str, ...]] = ()
    score_names: ClassVar[tuple[str, ...]] = ()
    needs_encoder: ClassVar[bool] = False
    needs_tokens: ClassVar[bool] = False
    order: ClassVar[int] = 100
    requires: ClassVar[tuple[str, ...]] = ()

    def detect(self, doc: "Doc") -> list["Span"]:  # pragma: no cover - abstract
        raise NotImplementedError

    def scores(self, doc: "Doc", spans: list["Span"]) -> dict[str, float]:
        return {}

    def tokens_cached(self, doc: "Doc", rows: list[int]) -> list[bool]:
        """For ``needs_tokens`` detectors, before the encoder pass: which sentences ``rows`` of ``doc`` it can serve
        from what it kept of an identical sentence in the same context (recording that output now), so that they
        need no word-piece states and may come from the sentence cache. Default: none."""
        return [False] * len(rows)

    def read_tokens(self, doc: "Doc", rows: list[int], states: list) -> None:
        """For ``needs_tokens`` detectors: called during the encoder pass with the word-piece states
        (``TokenStates`` or None) of the sentences ``rows`` of ``doc``, whose ``doc.embeddings`` rows are already
        set. Keep what :meth:`detect` needs in ``doc.token_outputs[self.name]``; the states are not kept."""

    def read_tokens_batch(self, batch: list[tuple["Doc", list[int], list]]) -> None:
        """:meth:`read_tokens` for several texts at once, ``(doc, rows, states)`` each: what the pipeline calls.
        Default: one :meth:`read_tokens` call per text; a reader whose head batches well overrides it."""
        for doc, rows, states in batch:
            self.read_tokens(doc, rows, states)

    def __repr__(self) -> str:
        return f"<detector {self.name!r}>"


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator: add a detector to the registry under ``cls.name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} must set a non-empty 'name' to be registered.")
    REGISTRY[cls.name] = cls
    return cls


def with_requirements(names: list[str]) -> tuple[list[str], list[str]]:
    """``names`` plus every detector they require, directly or not; and the names that were added.

    Raises ``KeyError`` for an unknown name (in ``names`` or in a ``requires``)."""
    out: list[str] = []
    added: list[str] = []

    def visit(name: str, asked: bool, chain: tuple[str, ...]) -> None:
        if name in chain:
            raise ValueError(f"Detector requirements form a cycle: {' -> '.join(chain + (name,))}.")
        cls = get_detector(name)
        for req in cls.requires:
            visit(req, False, chain + (name,))
        if name not in out:
            out.append(name)
            if not asked and name not in names:
                added.append(name)

    for n in names:
        visit(n, True, ())
    return out, added


def available_detectors() -> list[str]:
    """Names accepted by ``detectors=`` in :func:`rhetorica.analyze` and friends, in run order."""
    _load_builtin()
    return [c.name for c in sorted(REGISTRY.values(), key=lambda c: (c.needs_encoder, c.order, c.name))]


def get_detector(name: str) -> type[Detector]:
    _load_builtin()
    if name not in REGISTRY:
        raise KeyError(f"Unknown detector {name!r}. Available detectors: {available_detectors()}.")
    return REGISTRY[name]


_loaded = False


def _load_builtin() -> None:
    """Import the built-in detector modules (each registers itself)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib

    for mod in BUILTIN_MODULES:
        importlib.import_module(f"rhetorica.detectors.{mod}")


#: Built-in detector modules, imported on first use of the registry.
BUILTIN_MODULES: list[str] = ["boilerplate", "quotes", "questions", "history", "sentence_labels", "propaganda",
                               "techniques", "frames"]
