"""Features for heads that classify a *unit* of several sentences (an article, a paragraph).

The Analyzer embeds sentences, once.  A unit-level head (``frames``: one row per
article; ``persuasion``: one row per paragraph) therefore sees its unit as the
pooled embeddings of the unit's sentences, never as one long string sent to the
encoder again.  :class:`UnitInput` carries those sentence rows grouped by unit;
the feature builders below pool them.

The same pooling is used everywhere, so training, ``analyze()`` and
``load_classifier(name).predict_proba(texts)`` cannot drift apart:

* training and ``predict_proba`` call :func:`content_sentences` (the sentences
  the Analyzer would embed: segmentation + boilerplate removal), embed them and
  group them with :func:`unit_input`;
* the ``frames`` / ``persuasion`` detectors group rows of ``doc.embeddings`` with
  :func:`unit_input`.

A head whose ``model.json`` says ``"input": "sentences"`` is fed this way by
:meth:`rhetorica.classifiers.Classifier.predict_proba` (see :func:`encode_units`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .encoder import DIM
from .features import FeatureInput, register_feature
from ..text.words import WORD as _WORD_RE

#: Sentences averaged by ``lead_mean``: the headline and the first two sentences of
#: the lead (news text puts the title on its own first line).  A design choice, not
#: tuned; whether ``lead_mean`` is used at all was chosen by cross-validation (see
#: ``models/frames/MODEL_CARD.md``).
LEAD_SENTENCES = 3


@dataclass
class UnitInput(FeatureInput):
    """A :class:`FeatureInput` whose items are units made of sentences.

    ``texts`` and ``embeddings`` describe the units (``embeddings`` is the mean of
    each unit's sentence rows, so the plain ``embedding`` feature still works);
    ``sentence_embeddings`` holds the sentence rows and ``sentence_rows[i]`` the
    indices of unit ``i``'s sentences in it, in text order.  Build one with
    :func:`unit_input`.
    """

    sentence_embeddings: np.ndarray | None = None
    sentence_rows: Sequence[Sequence[int]] | None = None
    #: Per unit, the technique tagger's word-piece probabilities pooled by :func:`pool_technique_probs`
    #: (shape ``(n_units, 2 * 15)``); only the ``technique_tagger`` feature reads it.
    technique_probs: np.ndarray | None = None


def unit_input(texts: Sequence[str], groups: Sequence[np.ndarray]) -> UnitInput:
    """Group sentence embeddings into units.

    Parameters
    ----------
    texts : sequence of str
        One text per unit (used by lexical features).
    groups : sequence of ndarray
        Per unit, its sentences' embeddings, shape ``(k_i, 384)`` in text order
        (``k_i`` may be 0: the unit's pooled features are then zeros).

    Returns
    -------
    UnitInput
    """
    texts = list(texts)
    if len(texts) != len(groups):
        raise ValueError(f"unit_input needs one group of sentence embeddings per text; got {len(texts)} texts "
                         f"and {len(groups)} groups.")
    rows: list[list[int]] = []
    blocks: list[np.ndarray] = []
    pos = 0
    for g in groups:
        g = np.asarray(g, dtype=np.float32).reshape(-1, DIM)
        rows.append(list(range(pos, pos + len(g))))
        blocks.append(g)
        pos += len(g)
    sent = np.vstack(blocks) if pos else np.zeros((0, DIM), dtype=np.float32)
    mean = np.vstack([_mean(sent[r]) for r in rows]) if rows else np.zeros((0, DIM), dtype=np.float32)
    return UnitInput(texts=texts, embeddings=mean, sentence_embeddings=sent, sentence_rows=rows)


def content_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that the Analyzer embeds: segmented, page furniture left out.

    The pipeline layer implements it (:func:`rhetorica.pipeline.content_sentences`); this layer reaches it through
    the facade's hook, so that no classifier module imports the layers above."""
    from .._types import hook

    return hook("content_sentences")(text)


def encode_units(texts: Sequence[str]) -> UnitInput:
    """Segment each text, embed all sentences in one encoder call, group them per text.

    This is how a unit-level head reads raw texts outside the Analyzer
    (``load_classifier("frames").predict_proba([article])``): the same sentences,
    and the same pooling, as inside ``analyze()``.
    """
    from .encoder import get_encoder

    per_text = [content_sentences(t) for t in texts]
    flat = [s for sents in per_text for s in sents]
    emb = get_encoder().encode(flat) if flat else np.zeros((0, DIM), dtype=np.float32)
    groups, pos = [], 0
    for sents in per_text:
        groups.append(emb[pos:pos + len(sents)])
        pos += len(sents)
    return unit_input(texts, groups)


#: Floor of the tagger's probabilities before the log in the ``technique_tagger`` feature.
TAGGER_FLOOR = 1e-3


def pool_technique_probs(per_sentence: Sequence[np.ndarray], n_labels: int = 15) -> np.ndarray:
    """Pool the technique tagger's word-piece probabilities over one unit's sentences.

    ``per_sentence[s]`` is sentence ``s``'s ``(pieces, n_labels)`` probability matrix (``any`` and the 14 PTC
    techniques, the tagger's column order).  Each sentence contributes its per-label maximum over its pieces; the
    unit gets the maximum and the mean of those over its sentences: ``2 * n_labels`` numbers (zeros for a unit
    without word pieces)."""
    tops = [np.asarray(P, dtype=np.float32).max(axis=0) for P in per_sentence if len(P)]
    if not tops:
        return np.zeros(2 * n_labels, dtype=np.float32)
    T = np.vstack(tops)
    return np.concatenate([T.max(axis=0), T.mean(axis=0)]).astype(np.float32)


def encode_units_with_tagger(texts: Sequence[str]) -> UnitInput:
    """:func:`encode_units` plus each text's pooled technique-tagger probabilities (:func:`pool_technique_probs`).

    Each text is analysed as the ``persuasion`` detector sees a paragraph (segmentation, page furniture and the
    quote rules, then one encoder pass giving sentence vectors and word-piece states); the pipeline layer does it
    through the facade's hook."""
    from .._types import hook

    groups, pooled = hook("technique_units")(list(texts))
    inp = unit_input(texts, groups)
    inp.technique_probs = np.vstack(pooled).astype(np.float32) if len(pooled) else np.zeros((0, 30), np.float32)
    return inp


def _mean(rows: np.ndarray) -> np.ndarray:
    return rows.mean(axis=0) if len(rows) else np.zeros(DIM, dtype=np.float32)


def _units(inp: FeatureInput, feature: str) -> UnitInput:
    if not isinstance(inp, UnitInput) or inp.sentence_rows is None:
        raise TypeError(f"The feature {feature!r} pools the sentences of a unit and needs a UnitInput; got "
                        f"{type(inp).__name__}. Build one with rhetorica.classifiers.feats_frames.unit_input "
                        "(or encode_units for raw texts).")
    return inp


@register_feature("sentence_mean")
def sentence_mean(inp: FeatureInput) -> np.ndarray:
    """Mean of each unit's sentence embeddings (zeros for a unit without sentences)."""
    u = _units(inp, "sentence_mean")
    return np.vstack([_mean(u.sentence_embeddings[r]) for r in u.sentence_rows]).reshape(len(u), DIM)


@register_feature("sentence_max")
def sentence_max(inp: FeatureInput) -> np.ndarray:
    """Element-wise maximum over each unit's sentence embeddings (zeros for an empty unit)."""
    u = _units(inp, "sentence_max")
    out = np.zeros((len(u), DIM), dtype=np.float32)
    for i, r in enumerate(u.sentence_rows):
        if len(r):
            out[i] = u.sentence_embeddings[list(r)].max(axis=0)
    return out


@register_feature("lead_mean")
def lead_mean(inp: FeatureInput) -> np.ndarray:
    """Mean of the first :data:`LEAD_SENTENCES` sentences of each unit (headline and lead)."""
    u = _units(inp, "lead_mean")
    return np.vstack([_mean(u.sentence_embeddings[list(r)[:LEAD_SENTENCES]]) for r in u.sentence_rows]
                     ).reshape(len(u), DIM)


@register_feature("technique_tagger")
def technique_tagger(inp: FeatureInput) -> np.ndarray:
    """The propaganda-technique tagger's word-piece probabilities pooled over the unit (:func:`pool_technique_probs`:
    per label, the maximum and the mean over sentences of each sentence's maximum), as log probabilities floored at
    :data:`TAGGER_FLOOR`."""
    u = _units(inp, "technique_tagger")
    if u.technique_probs is None:
        raise TypeError("The feature 'technique_tagger' needs the technique tagger's pooled probabilities "
                        "(UnitInput.technique_probs); build the input with encode_units_with_tagger.")
    return np.log(np.clip(np.asarray(u.technique_probs, dtype=np.float32), TAGGER_FLOOR, 1.0))


_CAPS_RE = re.compile(r"\b[A-Z]{3,}\b")
_QUOTE_RE = re.compile(r"[\"“”]")
_YOU_WE_RE = re.compile(r"\b(we|us|our|you|your)\b", re.IGNORECASE)
_SUPERLATIVE_RE = re.compile(r"\b(\w+est|most|never|always|every|all|nothing|everyone|nobody)\b", re.IGNORECASE)


@register_feature("unit_lexical")
def unit_lexical(inp: FeatureInput) -> np.ndarray:
    """Cheap surface cues per unit: log word and sentence counts, and per-word rates of ``!``, ``?``,
    quotation marks, ALL-CAPS words, we/you address and absolutes/superlatives."""
    n_sent = ([len(r) for r in inp.sentence_rows] if isinstance(inp, UnitInput) and inp.sentence_rows is not None
              else [1] * len(inp))
    out = np.zeros((len(inp), 8), dtype=np.float32)
    for i, t in enumerate(inp.texts):
        words = max(1, len(_WORD_RE.findall(t)))
        out[i] = [np.log1p(words), np.log1p(n_sent[i]), t.count("!") / words, t.count("?") / words,
                  len(_QUOTE_RE.findall(t)) / words, len(_CAPS_RE.findall(t)) / words,
                  len(_YOU_WE_RE.findall(t)) / words, len(_SUPERLATIVE_RE.findall(t)) / words]
    return out
