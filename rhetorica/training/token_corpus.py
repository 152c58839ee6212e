"""Word-piece states of whole articles, as the pipeline's shared pass computes them, for training token taggers.

Both token taggers (``attribution``, ``technique``) learn from the same thing the ``needs_tokens`` detectors read at
run time: the content sentences of an article as rhetorica segments it, each encoded once by the shared encoder
(sentence vector plus the last-layer state and character offsets of every word piece), with two per-piece flags
(inside a quote span of the rules; inside quotation marks).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from ..detectors.token_reader import interval_mask, piece_flags, quote_mark_mask


@dataclass
class EncodedSentence:
    start: int
    end: int
    offsets: np.ndarray  # (n, 2) absolute character offsets of the word pieces
    states: np.ndarray  # (n, d) float16
    vector: np.ndarray  # (d,)
    in_rule: np.ndarray  # (n,) 0/1
    in_marks: np.ndarray  # (n,) 0/1


def encode_articles(texts: Sequence[str], label: str = "articles", encoder: str = "fp32"
                    ) -> Iterator[tuple[list[tuple[int, int]], list[EncodedSentence]]]:
    """For each text: the rules' quote spans and its encoded content sentences (empty sentences skipped).

    Training reads the fp32 encoder; ``encoder="int8"`` is for validating a trained tagger on int8 states."""
    from ..classifiers.encoder import get_encoder
    from ..pipeline import Analyzer, Doc

    an = Analyzer(detectors=["boilerplate", "quote"])
    enc = get_encoder(encoder)
    t0 = time.time()
    for k, (text, analysis) in enumerate(zip(texts, an.pipe(list(texts)))):
        rules = [(s.start, s.end) for s in analysis.spans_of("quote")]
        doc = Doc(text)
        doc.spans.extend(analysis.spans)
        doc.invalidate()
        idx = doc.content_sentences()
        vecs, states = enc.encode_with_tokens([doc.sentence_text(i) for i in idx])
        rule_m = interval_mask(len(text), rules)
        marks = quote_mark_mask(text)
        sents = []
        for i, v, ts in zip(idx, vecs, states):
            if ts is None or not len(ts.offsets):
                continue
            s0 = doc.sentences[i].start
            offs = ts.offsets.astype(np.int64) + s0
            sents.append(EncodedSentence(s0, doc.sentences[i].end, offs, ts.states.astype(np.float16), v,
                                         piece_flags(offs, rule_m), piece_flags(offs, marks)))
        yield rules, sents
        if (k + 1) % 50 == 0:
            print(f"  {label}: {k + 1}/{len(texts)} articles, {time.time() - t0:.0f} s", flush=True)


def piece_labels(offsets: np.ndarray, masks: Sequence[np.ndarray]) -> np.ndarray:
    """(n, len(masks)) 0/1: does word piece j touch a True character of mask m."""
    return np.stack([piece_flags(offsets, m) for m in masks], axis=1).astype(np.uint8) if len(masks) else \
        np.zeros((len(offsets), 0), dtype=np.uint8)
