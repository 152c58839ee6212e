"""What the detectors that read word-piece states share: the per-piece flags, the hand-off from the encoder pass,
and a bounded cache of per-sentence outputs so a repeated sentence needs no word-piece states.

A subclass sets ``name`` and implements :meth:`TokenReader.piece_proba` (word-piece states, sentence vectors and
flags of many sentences -> one probability matrix per sentence); it finds the kept output of sentence ``i`` in
``doc.token_outputs[self.name]["rows"][i]`` as ``(absolute piece offsets, probabilities)``.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .base import Detector


# -- per-character masks and per-piece flags -----------------------------------------------------------------
def quote_mark_mask(text: str) -> np.ndarray:
    """True for characters inside a pair of double quotation marks (curly pairs; straight quotes paired by
    alternation within each line)."""
    m = np.zeros(len(text), dtype=bool)
    pos = 0
    for line in text.split("\n"):
        opened = None
        for k, ch in enumerate(line):
            if ch == "“" or (ch == '"' and opened is None):
                opened = k
            elif ch == "”" or (ch == '"' and opened is not None):
                if opened is not None:
                    m[pos + opened:pos + k + 1] = True
                opened = None
        pos += len(line) + 1
    return m


def interval_mask(n: int, spans) -> np.ndarray:
    """True for characters inside any of the ``(start, end)`` spans."""
    m = np.zeros(n, dtype=bool)
    for s, e in spans:
        m[max(0, s):max(0, e)] = True
    return m


def piece_flags(offsets: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """1.0 for word pieces that touch a True character of ``mask``."""
    return _flags(offsets, np.concatenate([[0], np.cumsum(mask, dtype=np.int64)]))


def _flags(offsets: np.ndarray, cum: np.ndarray) -> np.ndarray:
    """:func:`piece_flags` from the mask's running count (``cum[k]`` = True characters before ``k``)."""
    if not len(offsets):
        return np.zeros(0, dtype=np.float32)
    s = np.clip(offsets[:, 0], 0, len(cum) - 1)
    e = np.clip(offsets[:, 1], 0, len(cum) - 1)
    return ((cum[e] - cum[s]) > 0).astype(np.float32)


#: Key of ``doc.token_outputs`` under which the token readers share what depends on the text alone.
_SHARED = "_text"


def _text_context(doc) -> dict:
    """Per text, computed once for every token reader: the characters inside a rule quote span and inside
    quotation marks (masks and running counts), and each sentence's cache key. The readers all run during the
    encoder pass, before any of them emits a span, so the quote spans are the rules' alone."""
    ctx = doc.token_outputs.get(_SHARED)
    if ctx is None:
        text = doc.text
        rule_mask = interval_mask(len(text), [(s.start, s.end) for s in doc.spans_of("quote")])
        marks = quote_mark_mask(text)
        ctx = doc.token_outputs[_SHARED] = {
            "rule_mask": rule_mask, "marks": marks,
            "cum": [np.concatenate([[0], np.cumsum(m, dtype=np.int64)]) for m in (rule_mask, marks)], "keys": {}}
    return ctx


class OutputCache:
    """A bounded LRU of per-sentence tagger outputs (word-piece offsets and probabilities, about 1 KB a sentence),
    keyed on what decides them, so a repeated sentence needs no word-piece states and can come from the encoder's
    sentence cache. Its size follows ``RHETORICA_ENCODER_CACHE`` (0 turns it off)."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._d: OrderedDict = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key):
        hit = self._d.get(key)
        if hit is None:
            self.misses += 1
            return None
        self._d.move_to_end(key)
        self.hits += 1
        return hit

    def put(self, key, value) -> None:
        self._d[key] = value
        self._d.move_to_end(key)
        while len(self._d) > self.maxsize:
            self._d.popitem(last=False)

    def __len__(self) -> int:
        return len(self._d)


_CACHES: dict[str, OutputCache] = {}


def output_cache(name: str) -> OutputCache:
    """The output cache of the token reader ``name`` (one per detector, created on first use)."""
    if name not in _CACHES:
        from ..classifiers.encoder import _cache_size_from_env

        _CACHES[name] = OutputCache(_cache_size_from_env())
    return _CACHES[name]


class TokenReader(Detector):
    """Base of the detectors that read the encoder's word-piece states (``needs_tokens``)."""

    needs_encoder = True
    needs_tokens = True
    requires = ("boilerplate", "quote")

    def piece_proba(self, states: list[np.ndarray], vectors: np.ndarray, flags: list[np.ndarray]) -> list[np.ndarray]:
        raise NotImplementedError  # pragma: no cover - abstract

    def _outputs(self, doc) -> dict:
        out = doc.token_outputs.get(self.name)
        if out is None:
            ctx = _text_context(doc)
            out = doc.token_outputs[self.name] = {"rule_mask": ctx["rule_mask"], "rows": {}}
        return out

    @staticmethod
    def _key(doc, i: int) -> tuple:
        """What decides a sentence's probabilities: the encoder, the sentence's text and, per character, the two
        flags (computed once per sentence for all readers)."""
        keys = _text_context(doc)["keys"]
        if i not in keys:
            ctx = _text_context(doc)
            s, e = doc.sentences[i].start, doc.sentences[i].end
            keys[i] = (doc.encoder_name, doc.text[s:e], np.packbits(ctx["rule_mask"][s:e]).tobytes(),
                       np.packbits(ctx["marks"][s:e]).tobytes())
        return keys[i]

    def tokens_cached(self, doc, rows: list[int]) -> list[bool]:
        """Sentences whose probabilities an identical sentence with the same flags already gave (LRU)."""
        cache = output_cache(self.name)
        if not cache.maxsize:
            return [False] * len(rows)
        out = self._outputs(doc)
        served = []
        for i in rows:
            hit = cache.get(self._key(doc, i))
            if hit is not None:
                rel, P = hit
                out["rows"][i] = (rel + doc.sentences[i].start, P)
            served.append(hit is not None)
        return served

    def read_tokens(self, doc, rows: list[int], states: list) -> None:
        """Probabilities of the word pieces of ``rows`` (kept per sentence with their offsets, and in the LRU)."""
        self.read_tokens_batch([(doc, rows, states)])

    def read_tokens_batch(self, batch: list[tuple]) -> None:
        """:meth:`read_tokens` for several texts in one call of the head, so that its matrix products and the
        sequence head's time steps are shared by every sentence of the chunk, not run text by text."""
        keep = []  # (doc, sentence row, absolute piece offsets, states)
        flags = []
        for doc, rows, states in batch:
            self._outputs(doc)
            items = [(i, ts) for i, ts in zip(rows, states) if ts is not None and len(ts.offsets)]
            if not items:
                continue
            offsets = [ts.offsets.astype(np.int64) + doc.sentences[i].start for i, ts in items]
            every = np.vstack(offsets)
            cum_rule, cum_marks = _text_context(doc)["cum"]
            flags += np.split(np.stack([_flags(every, cum_rule), _flags(every, cum_marks)], axis=1),
                              np.cumsum([len(o) for o in offsets])[:-1])
            keep += [(doc, i, offs, ts.states) for (i, ts), offs in zip(items, offsets)]
        if not keep:
            return
        vectors = np.stack([doc.embeddings[i] for doc, i, _, _ in keep])
        probs = self.piece_proba([st for _, _, _, st in keep], vectors, flags)
        cache = output_cache(self.name)
        for (doc, i, offs, _), P in zip(keep, probs):
            P = P.astype(np.float32)
            doc.token_outputs[self.name]["rows"][i] = (offs, P)
            if cache.maxsize:
                cache.put(self._key(doc, i), (offs - doc.sentences[i].start, P))
