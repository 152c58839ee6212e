"""Feature builders for the heads: named, deterministic functions of a :class:`FeatureInput`.

A head's ``model.json`` lists feature names; the same function builds the
features at training time and at run time, so the two cannot drift apart.
Every feature reads embeddings the shared encoder already computed: none runs
the encoder itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .encoder import DIM


@dataclass
class FeatureInput:
    """What a head may look at, for ``n`` items.

    ``embeddings`` are the shared encoder's vectors of ``texts``.  ``prev_texts`` /
    ``next_texts`` (and their embeddings) are the neighbouring sentences where the
    caller has them (the Analyzer always does); otherwise empty strings / zero rows.
    Unit-level heads (paragraphs, articles) use the subclass ``UnitInput`` in
    :mod:`rhetorica.classifiers.feats_frames`, which adds the member sentences' vectors.
    """

    texts: Sequence[str]
    embeddings: np.ndarray
    prev_texts: Sequence[str] | None = None
    next_texts: Sequence[str] | None = None
    prev_embeddings: np.ndarray | None = None
    next_embeddings: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.texts)
        if self.prev_texts is None:
            self.prev_texts = [""] * n
        if self.next_texts is None:
            self.next_texts = [""] * n
        if self.prev_embeddings is None:
            self.prev_embeddings = np.zeros((n, DIM), dtype=np.float32)
        if self.next_embeddings is None:
            self.next_embeddings = np.zeros((n, DIM), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.texts)


FeatureFn = Callable[[FeatureInput], np.ndarray]
FEATURES: dict[str, FeatureFn] = {}
#: Features that read the neighbouring sentences (``prev_texts`` / ``next_texts`` and their vectors): a head with
#: one of them decides better when it is given the sentence before and after (see ``Classifier.reads_context``).
CONTEXT_FEATURES = frozenset({"context_embedding", "question_context_cues", "question_context_similarity",
                              "history_cues"})


def register_feature(name: str) -> Callable[[FeatureFn], FeatureFn]:
    def deco(fn: FeatureFn) -> FeatureFn:
        FEATURES[name] = fn
        return fn

    return deco


def build_features(names: Sequence[str], inp: FeatureInput) -> np.ndarray:
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise KeyError(f"Unknown feature(s) {unknown}; known: {sorted(FEATURES)}.")
    return np.hstack([np.asarray(FEATURES[n](inp), dtype=np.float32).reshape(len(inp), -1) for n in names])


@register_feature("embedding")
def _embedding(inp: FeatureInput) -> np.ndarray:
    return inp.embeddings


@register_feature("context_embedding")
def _context_embedding(inp: FeatureInput) -> np.ndarray:
    return np.hstack([inp.prev_embeddings, inp.next_embeddings])


