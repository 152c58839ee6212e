"""Heads over word pieces: the shared features of the token taggers and their fast forward passes.

A token tagger's head (``kind: token_tagger`` in its ``model.json``) is one of two things:

* a :class:`~rhetorica.classifiers.heads.Head` over :func:`piece_features` (a word piece's last-layer state, its
  neighbours' states, the sentence vector and two flags): :class:`TokenMLP` computes exactly
  ``head.predict_proba(piece_features(...))`` for many sentences at once without building that wide matrix;
* a :class:`~rhetorica.classifiers.heads.SequenceHead` (``"architecture": "bigru"``): :class:`TokenGRU` reads each
  sentence's word pieces with a bidirectional GRU, so a piece's tag can depend on words far from it (the cue
  "said" twelve words back).

:func:`token_runner` picks the right one; the detectors call its ``proba``.
"""
from __future__ import annotations

import numpy as np


def piece_features(states: np.ndarray, vector: np.ndarray, in_rule: np.ndarray, in_marks: np.ndarray) -> np.ndarray:
    """Per word piece: its state, the previous and next piece's state (zeros at the edges), the sentence vector,
    and two flags (inside a rule quote span; inside quotation marks)."""
    h = states.astype(np.float32)
    z = np.zeros((1, h.shape[1]), dtype=np.float32)
    prev = np.vstack([z, h[:-1]])
    nxt = np.vstack([h[1:], z])
    vec = np.repeat(np.asarray(vector, dtype=np.float32)[None, :], len(h), axis=0)
    return np.hstack([h, prev, nxt, vec, in_rule[:, None], in_marks[:, None]])


def runs(on: np.ndarray, gap: int = 0) -> list[tuple[int, int]]:
    """Inclusive ``(first, last)`` index pairs of runs of True, bridging at most ``gap`` False pieces."""
    out: list[list[int]] = []
    for j in np.flatnonzero(on):
        if out and j - out[-1][1] - 1 <= gap:
            out[-1][1] = int(j)
        else:
            out.append([int(j), int(j)])
    return [(a, b) for a, b in out]


def widen(text: str, s: int, e: int) -> tuple[int, int]:
    """Extend a span to whole words (word pieces can start or end inside a word)."""
    while s > 0 and text[s - 1].isalnum():
        s -= 1
    while e < len(text) and text[e].isalnum():
        e += 1
    return s, e


class TokenMLP:
    """A one-hidden-layer token head, run fast: the standardisation is folded into the first layer, whose blocks for
    a piece's own, previous and next state are one matrix product over all pieces, shifted within each sentence.
    Softmax over the labels for a single-label head, one sigmoid per label for a multi-label head."""

    def __init__(self, head) -> None:
        (W0, b0), (W1, b1) = head.layers
        W = W0.astype(np.float64) / head.scale.astype(np.float64)[:, None]
        b = b0.astype(np.float64) - (head.mean.astype(np.float64) / head.scale) @ W0.astype(np.float64)
        d = (W.shape[0] - 2) // 4
        self.labels = list(head.labels)
        self.multi_label = bool(head.multi_label)
        self._own_prev_next = np.hstack([W[:d], W[d:2 * d], W[2 * d:3 * d]]).astype(np.float32)  # (d, 3h)
        self._vec = W[3 * d:4 * d].astype(np.float32)
        self._flags = W[4 * d:].astype(np.float32)
        self._b0 = b.astype(np.float32)
        self._W1, self._b1 = W1.astype(np.float32), b1.astype(np.float32)

    def proba(self, states: list[np.ndarray], vectors: np.ndarray, flags: list[np.ndarray]) -> list[np.ndarray]:
        """Label probabilities per sentence: ``states[k]`` (n_k, d) word-piece states, ``vectors[k]`` the sentence
        vector, ``flags[k]`` (n_k, 2) the in-rule-quote and in-quotation-marks flags."""
        if not states:
            return []
        sizes = np.array([len(x) for x in states])
        S = np.vstack(states).astype(np.float32)
        h = self._b0.shape[0]
        Z = S @ self._own_prev_next
        own, prv, nxt = Z[:, :h], Z[:, h:2 * h], Z[:, 2 * h:]
        ends = np.cumsum(sizes)
        starts = ends - sizes
        first = np.zeros(len(S), dtype=bool)
        last = np.zeros(len(S), dtype=bool)
        first[starts[sizes > 0]] = True
        last[ends[sizes > 0] - 1] = True
        z = own + self._b0
        z[1:] += np.where(first[1:, None], 0.0, prv[:-1])
        z[:-1] += np.where(last[:-1, None], 0.0, nxt[1:])
        z += np.repeat(np.asarray(vectors, dtype=np.float32) @ self._vec, sizes, axis=0)
        z += np.vstack(flags).astype(np.float32) @ self._flags
        logits = (np.maximum(z, 0.0) @ self._W1 + self._b1).astype(np.float64)
        if self.multi_label:
            P = 1.0 / (1.0 + np.exp(-logits))
        else:
            logits -= logits.max(axis=1, keepdims=True)
            P = np.exp(logits)
            P /= P.sum(axis=1, keepdims=True)
        return np.split(P, ends[:-1])


# -- the sequence head: a bidirectional GRU over the word pieces of a sentence -----------------------------------
#: The arrays of a sequence head's ``weights.npz`` (besides ``mean`` and ``scale``), in PyTorch's GRU layout: the
#: gates stacked as reset, update, new; ``f`` reads the sentence left to right, ``r`` right to left.
GRU_ARRAYS = ("Wih_f", "Whh_f", "bih_f", "bhh_f", "Wih_r", "Whh_r", "bih_r", "bhh_r", "W_mix", "b_mix", "W_out", "b_out")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _gru_pass(gi: list[np.ndarray], Whh: np.ndarray, bhh: np.ndarray) -> list[np.ndarray]:
    """Run one GRU direction over sequences whose input projections ``gi[k]`` (n_k, 3h) are given; sequences of
    similar length share each time step's matrix product."""
    h = Whh.shape[1]
    out: list[np.ndarray] = [np.zeros((0, h), np.float32)] * len(gi)
    order = np.argsort([len(g) for g in gi], kind="stable")
    WhhT = np.ascontiguousarray(Whh.T)
    for c in range(0, len(order), 256):
        chunk = [int(i) for i in order[c:c + 256] if len(gi[i])]
        if not chunk:
            continue
        L = len(gi[chunk[-1]])
        G = np.zeros((len(chunk), L, 3 * h), np.float32)
        for r, i in enumerate(chunk):
            G[r, :len(gi[i])] = gi[i]
        H = np.zeros((len(chunk), L, h), np.float32)
        state = np.zeros((len(chunk), h), np.float32)
        for t in range(L):
            gh = state @ WhhT + bhh
            g = G[:, t]
            r = _sigmoid(g[:, :h] + gh[:, :h])
            z = _sigmoid(g[:, h:2 * h] + gh[:, h:2 * h])
            n = np.tanh(g[:, 2 * h:] + r * gh[:, 2 * h:])
            state = (1.0 - z) * n + z * state
            H[:, t] = state
        for r, i in enumerate(chunk):
            out[i] = H[r, :len(gi[i])]
    return out


class TokenGRU:
    """A sequence token head: standardised (word-piece state, two flags) read by a bidirectional GRU over the
    sentence, whose output beside the piece's own input goes through one ReLU layer to the labels. Run in numpy,
    sentences of similar length batched per time step; softmax or one sigmoid per label as :class:`TokenMLP`.

    Everything the raw input feeds -- both directions' input projections and the mixing layer's block for the
    piece's own input -- is one matrix product over all pieces, with the standardisation folded into its weights
    (as :class:`TokenMLP` does)."""

    def __init__(self, arrays: dict[str, np.ndarray], labels, multi_label: bool) -> None:
        self.labels = list(labels)
        self.multi_label = bool(multi_label)
        a = {k: np.asarray(v, dtype=np.float64) for k, v in arrays.items()}
        mean, scale = a["mean"], a["scale"]
        h = a["Whh_f"].shape[1]
        own = a["W_mix"][2 * h:]  # the mixing layer's rows for the standardised input itself
        W = np.hstack([a["Wih_f"].T, a["Wih_r"].T, own]) / scale[:, None]  # (d + 2, 3h + 3h + mix)
        b = np.concatenate([a["bih_f"], a["bih_r"], np.zeros(own.shape[1])]) - (mean / scale) @ \
            np.hstack([a["Wih_f"].T, a["Wih_r"].T, own])
        d = len(mean) - 2  # the state width; the last two inputs are the flags
        self._W_states = np.ascontiguousarray(W[:d], dtype=np.float32)
        self._W_flags = W[d:].astype(np.float32)
        self._b = b.astype(np.float32)
        self._cols = (3 * h, 6 * h)
        f32 = {k: v.astype(np.float32) for k, v in a.items()}
        self._hh_f = (f32["Whh_f"], f32["bhh_f"])
        self._hh_r = (f32["Whh_r"], f32["bhh_r"])
        self._mix_f, self._mix_r = f32["W_mix"][:h], f32["W_mix"][h:2 * h]
        self._bmix = f32["b_mix"]
        self._out, self._bout = f32["W_out"], f32["b_out"]

    def proba(self, states: list[np.ndarray], vectors: np.ndarray, flags: list[np.ndarray]) -> list[np.ndarray]:
        """Label probabilities per sentence (the same arguments as :meth:`TokenMLP.proba`; the sentence vector is
        not read: the GRU sees the whole sentence)."""
        if not states:
            return []
        sizes = np.array([len(x) for x in states])
        ends = np.cumsum(sizes)
        Z = np.vstack(states, dtype=np.float32) @ self._W_states
        Z += np.vstack(flags, dtype=np.float32) @ self._W_flags
        Z += self._b
        a, b = self._cols
        fwd = _gru_pass(np.split(Z[:, :a], ends[:-1]), *self._hh_f)
        bwd = _gru_pass([g[::-1] for g in np.split(Z[:, a:b], ends[:-1])], *self._hh_r)
        mixed = Z[:, b:]
        mixed += np.vstack(fwd) @ self._mix_f
        mixed += np.vstack([r[::-1] for r in bwd]) @ self._mix_r
        mixed += self._bmix
        logits = (np.maximum(mixed, 0.0) @ self._out + self._bout).astype(np.float64)
        if self.multi_label:
            P = _sigmoid(logits)
        else:
            logits -= logits.max(axis=1, keepdims=True)
            P = np.exp(logits)
            P /= P.sum(axis=1, keepdims=True)
        return np.split(P, ends[:-1])


def token_runner(head) -> "TokenMLP | TokenGRU":
    """The fast forward pass for a token tagger's head (either kind)."""
    from .heads import SequenceHead

    if isinstance(head, SequenceHead):
        return TokenGRU(head.arrays, head.labels, head.multi_label)
    return TokenMLP(head)
