"""The learned attribution tagger: cue / source / content tags per word piece, read from the token states of the
shared encoder pass, for the reported speech, beliefs and findings the quote rules miss.

The ``attribution`` detector (``AttributionDetector``) runs after the encoder pass, tags every content
sentence, and emits a ``quote`` span of kind ``indirect`` for each content run the rules left uncovered, with the
run's cue and source; speakers go through the same resolution and canonical naming as the rules' spans, so one
person keeps one name.  Trained by ``python -m rhetorica.training attribution`` (PolNeAR train).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..._types import Span
from ..base import Detector, register

#: The tags, in the head's output order.
TAGS = ("O", "CUE", "SOURCE", "CONTENT")
CUE, SOURCE, CONTENT = 1, 2, 3
#: Source runs that are only a relative pronoun name nobody by themselves: such a span keeps no speaker.
_RELATIVE = frozenset({"who", "which", "that", "whom", "whose"})
#: Model folder name under ``models/``.
MODEL = "attribution"


@dataclass
class Decoding:
    """How content runs become spans (chosen by cross-validation on PolNeAR train; see the model card)."""

    content: float = 0.5  # P(CONTENT) for a word piece to join a content run
    cue: float = 0.3  # the sentence needs a word piece with P(CUE) at least this
    min_pieces: int = 3  # shortest content run kept
    gap: int = 1  # word pieces below the threshold a run may bridge


# -- features (training and run time share these) ------------------------------------------------------------
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
    if not len(offsets):
        return np.zeros(0, dtype=np.float32)
    cum = np.concatenate([[0], np.cumsum(mask, dtype=np.int64)])
    s = np.clip(offsets[:, 0], 0, len(mask))
    e = np.clip(offsets[:, 1], 0, len(mask))
    return ((cum[e] - cum[s]) > 0).astype(np.float32)


def piece_features(states: np.ndarray, vector: np.ndarray, in_rule: np.ndarray, in_marks: np.ndarray) -> np.ndarray:
    """Per word piece: its state, the previous and next piece's state (zeros at the edges), the sentence vector,
    and two flags (inside a rule quote span; inside quotation marks)."""
    h = states.astype(np.float32)
    z = np.zeros((1, h.shape[1]), dtype=np.float32)
    prev = np.vstack([z, h[:-1]])
    nxt = np.vstack([h[1:], z])
    vec = np.repeat(np.asarray(vector, dtype=np.float32)[None, :], len(h), axis=0)
    return np.hstack([h, prev, nxt, vec, in_rule[:, None], in_marks[:, None]])


# -- decoding ----------------------------------------------------------------------------------------------
def _widen(text: str, s: int, e: int) -> tuple[int, int]:
    """Extend a span to whole words (word pieces can start or end inside a word)."""
    while s > 0 and text[s - 1].isalnum():
        s -= 1
    while e < len(text) and text[e].isalnum():
        e += 1
    return s, e


def runs(on: np.ndarray, gap: int = 0) -> list[tuple[int, int]]:
    """Inclusive ``(first, last)`` index pairs of runs of True, bridging at most ``gap`` False pieces."""
    out: list[list[int]] = []
    for j in np.flatnonzero(on):
        if out and j - out[-1][1] - 1 <= gap:
            out[-1][1] = int(j)
        else:
            out.append([int(j), int(j)])
    return [(a, b) for a, b in out]


def content_runs(text: str, offsets: np.ndarray, P: np.ndarray, d: Decoding) -> list[tuple[int, int, float]]:
    """Content spans ``(start, end, score)`` of one sentence from its word pieces' tag probabilities; the score
    is the run's mean P(CONTENT)."""
    if not len(P) or P[:, CUE].max() < d.cue:
        return []
    out = []
    for a, b in runs(P[:, CONTENT] >= d.content, d.gap):
        if b - a + 1 < d.min_pieces:
            continue
        s, e = _widen(text, int(offsets[a][0]), int(offsets[b][1]))
        out.append((s, e, float(P[a:b + 1, CONTENT].mean())))
    return out


def tag_runs(text: str, offsets: np.ndarray, P: np.ndarray, tag: int) -> list[tuple[int, int, float]]:
    """Spans where ``tag`` is the most likely tag, widened to whole words, with their mean probability."""
    out = []
    for a, b in runs(P.argmax(1) == tag, 0):
        s, e = _widen(text, int(offsets[a][0]), int(offsets[b][1]))
        out.append((s, e, float(P[a:b + 1, tag].mean())))
    return out


def _nearest(spans, s: int, e: int):
    """The span of ``spans`` closest to ``[s, e)`` (overlapping ones excluded), or None."""
    best, dist = None, None
    for sp in spans:
        if sp[0] < e and s < sp[1]:
            continue
        d = s - sp[1] if sp[1] <= s else sp[0] - e
        if dist is None or d < dist:
            best, dist = sp, d
    return best


# -- the model ---------------------------------------------------------------------------------------------
class AttributionTagger:
    """The shipped tagger head (``models/attribution``) and its decoding constants.

    :meth:`proba` computes exactly ``head.predict_proba(piece_features(...))`` for the word pieces of many sentences
    at once, without building the wide feature matrix: the standardisation is folded into the first layer, whose
    blocks for a piece's own, previous and next state are one matrix product over all pieces, shifted within each
    sentence.
    """

    def __init__(self, root=None) -> None:
        from ...classifiers.heads import load_head

        self.head, self.meta = load_head(MODEL, root)
        self.decoding = Decoding(**self.meta["decoding"])
        (W0, b0), (W1, b1) = self.head.layers
        W = W0.astype(np.float64) / self.head.scale.astype(np.float64)[:, None]
        b = b0.astype(np.float64) - (self.head.mean.astype(np.float64) / self.head.scale) @ W0.astype(np.float64)
        d = (W.shape[0] - 2) // 4
        self._dim = d
        self._own_prev_next = np.hstack([W[:d], W[d:2 * d], W[2 * d:3 * d]]).astype(np.float32)  # (d, 3h)
        self._vec = W[3 * d:4 * d].astype(np.float32)
        self._flags = W[4 * d:].astype(np.float32)
        self._b0 = b.astype(np.float32)
        self._W1, self._b1 = W1.astype(np.float32), b1.astype(np.float32)

    def proba(self, states: list[np.ndarray], vectors: np.ndarray, flags: list[np.ndarray]) -> list[np.ndarray]:
        """Tag probabilities per sentence: ``states[k]`` (n_k, d) word-piece states, ``vectors[k]`` the sentence
        vector, ``flags[k]`` (n_k, 2) the in-rule-quote and in-quotation-marks flags."""
        if not states:
            return []
        sizes = [len(x) for x in states]
        S = np.vstack(states).astype(np.float32)
        h = self._b0.shape[0]
        Z = S @ self._own_prev_next
        own, prv, nxt = Z[:, :h], Z[:, h:2 * h], Z[:, 2 * h:]
        ends = np.cumsum(sizes)
        starts = ends - np.array(sizes)
        first = np.zeros(len(S), dtype=bool)
        last = np.zeros(len(S), dtype=bool)
        first[starts[np.array(sizes) > 0]] = True
        last[ends[np.array(sizes) > 0] - 1] = True
        z = own + self._b0
        z[1:] += np.where(first[1:, None], 0.0, prv[:-1])
        z[:-1] += np.where(last[:-1, None], 0.0, nxt[1:])
        z += np.repeat(np.asarray(vectors, dtype=np.float32) @ self._vec, sizes, axis=0)
        z += np.vstack(flags).astype(np.float32) @ self._flags
        logits = np.maximum(z, 0.0) @ self._W1 + self._b1
        logits -= logits.max(axis=1, keepdims=True)
        P = np.exp(logits.astype(np.float64))
        P /= P.sum(axis=1, keepdims=True)
        return np.split(P, ends[:-1])


class OutputCache:
    """A bounded LRU of per-sentence tagger outputs (word-piece offsets and tag probabilities, about 1 KB a sentence),
    keyed on what decides them, so a repeated sentence needs no word-piece states and can come from the encoder's
    sentence cache. Its size follows ``RHETORICA_ENCODER_CACHE`` (0 turns it off)."""

    def __init__(self, maxsize: int) -> None:
        from collections import OrderedDict

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


@lru_cache(maxsize=1)
def output_cache() -> OutputCache:
    from ...classifiers.encoder import _cache_size_from_env

    return OutputCache(_cache_size_from_env())


@lru_cache(maxsize=1)
def shipped_tagger() -> AttributionTagger:
    return AttributionTagger()


def available() -> bool:
    """Is the attribution model shipped in the models folder?"""
    from ...classifiers.heads import models_dir

    return (models_dir() / MODEL / "model.json").exists()


@register
class AttributionDetector(Detector):
    """Reported speech, beliefs and findings the quote rules miss, from the learned tagger.

    Emits ``quote`` spans (kind ``indirect``, ``attrs["by"] == "tagger"``) only where no rule span overlaps,
    so the rules decide where they are sure; their ``speaker`` goes through the rules' resolution (pronouns,
    surnames to full names, descriptions).  ``quoted_share``, ``quote_count`` and every feature's ``voice``
    follow these spans.
    """

    name = "attribution"
    labels = ("quote",)
    score_names = ("tagged_quote_count",)
    needs_encoder = True
    needs_tokens = True
    order = 1  # before every detector that reads voice
    requires = ("boilerplate", "quote")

    def _outputs(self, doc) -> dict:
        out = doc.token_outputs.get(self.name)
        if out is None:
            text = doc.text
            rule_mask = interval_mask(len(text), [(s.start, s.end) for s in doc.spans_of("quote")])
            out = doc.token_outputs[self.name] = {"rule_mask": rule_mask, "marks": quote_mark_mask(text), "rows": {}}
        return out

    @staticmethod
    def _key(doc, out: dict, i: int) -> tuple:
        """What decides a sentence's tag probabilities: its text and, per character, the two flags."""
        s, e = doc.sentences[i].start, doc.sentences[i].end
        return (doc.text[s:e], np.packbits(out["rule_mask"][s:e]).tobytes(), np.packbits(out["marks"][s:e]).tobytes())

    def tokens_cached(self, doc, rows: list[int]) -> list[bool]:
        """Sentences whose tag probabilities an identical sentence with the same flags already gave (LRU)."""
        cache = output_cache()
        if not cache.maxsize:
            return [False] * len(rows)
        out = self._outputs(doc)
        served = []
        for i in rows:
            hit = cache.get(self._key(doc, out, i))
            if hit is not None:
                rel, P = hit
                out["rows"][i] = (rel + doc.sentences[i].start, P)
            served.append(hit is not None)
        return served

    def read_tokens(self, doc, rows: list[int], states: list) -> None:
        """Tag probabilities of the word pieces of ``rows`` (kept per sentence with their offsets, and in the LRU)."""
        out = self._outputs(doc)
        keep = [(i, ts) for i, ts in zip(rows, states) if ts is not None and len(ts.offsets)]
        if not keep:
            return
        offsets = [ts.offsets.astype(np.int64) + doc.sentences[i].start for i, ts in keep]
        every = np.vstack(offsets)
        flags = np.split(np.stack([piece_flags(every, out["rule_mask"]), piece_flags(every, out["marks"])], axis=1),
                         np.cumsum([len(o) for o in offsets])[:-1])
        probs = shipped_tagger().proba([ts.states for _, ts in keep], doc.embeddings[[i for i, _ in keep]], flags)
        cache = output_cache()
        for (i, _), offs, P in zip(keep, offsets, probs):
            P = P.astype(np.float32)
            out["rows"][i] = (offs, P)
            if cache.maxsize:
                cache.put(self._key(doc, out, i), (offs - doc.sentences[i].start, P))

    def detect(self, doc) -> list[Span]:
        from .entities import _entities
        from .finalise import _finalise
        from .indirect import _indirect_span
        from .lexicons import _PERSON_PRONOUNS
        from .speakers import _phrase_mention, _pronoun_mention

        out = doc.token_outputs.get(self.name)
        if not out or not out["rows"]:
            return []
        tagger = shipped_tagger()
        text = doc.text
        rule_mask = out["rule_mask"]
        ents = None
        spans: list[Span] = []
        for i in sorted(out["rows"]):
            offs, P = out["rows"][i]
            found = [(s, e, p) for s, e, p in content_runs(text, offs, P, tagger.decoding)
                     if not rule_mask[s:e].any()]
            if not found:
                continue
            if ents is None:
                ents = _entities(text, doc)
            cues = tag_runs(text, offs, P, CUE)
            sources = tag_runs(text, offs, P, SOURCE)
            for s, e, p in found:
                cue = _nearest(cues, s, e)
                src = _nearest(sources, *(cue[:2] if cue else (s, e)))
                mention = None
                if src is not None and text[src[0]:src[1]].lower() not in _RELATIVE:
                    word = text[src[0]:src[1]]
                    mention = (_pronoun_mention(src[0], src[1], word, ents) if word.lower() in _PERSON_PRONOUNS
                               else _phrase_mention(text, src[0], src[1], ents))
                c = (cue[0], cue[1], text[cue[0]:cue[1]]) if cue else (-1, -1, "")
                sp = _indirect_span(s, e, mention, c, round(p, 3))
                spans.append(Span(sp.start, sp.end, sp.label, sp.score, {**sp.attrs, "by": "tagger"}))
        if not spans:
            return []
        return sorted(_finalise(text, spans, ents), key=lambda s: (s.start, s.end))

    def scores(self, doc, spans: list[Span]) -> dict[str, float]:
        return {"tagged_quote_count": float(len(spans))}
