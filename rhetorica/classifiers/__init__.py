"""Pretrained classifiers: the shared encoder, trained heads, and user-supplied models.

``load_classifier(name)`` returns an object with ``.name``, ``.labels`` and
``.predict_proba(texts)``; ``available_classifiers()`` lists the names.
"""
from __future__ import annotations


import json
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from . import feats_frames, feats_history, feats_propaganda, feats_questions, feats_sentence  # noqa: F401  (they register features)
from .encoder import get_encoder
from .features import CONTEXT_FEATURES, FeatureInput, build_features
from .heads import ChecksumError, load_head, models_dir

__all__ = ["Classifier", "HFClassifier", "ChecksumError", "load_classifier", "available_classifiers",
           "register_classifier", "FeatureInput"]

_USER: dict[str, "HFClassifier"] = {}


class Classifier:
    """A shipped head over the shared encoder (see ``models/<name>/MODEL_CARD.md``)."""

    def __init__(self, name: str, *, root: str | Path | None = None) -> None:
        self.name = name
        self.head, self.config = load_head(name, str(root) if root else None)
        self.labels: list[str] = list(self.head.labels)
        self.multi_label: bool = self.head.multi_label
        self.thresholds: dict[str, float] = dict(self.head.thresholds)
        self.features: list[str] = list(self.config.get("features", ["embedding"]))

    @property
    def card(self) -> dict[str, Any]:
        return dict(self.config.get("card", {}))

    def predict_features(self, inp: FeatureInput) -> np.ndarray:
        """Probabilities from precomputed encoder output (the Analyzer's shared pass)."""
        if len(inp) == 0:
            return np.zeros((0, len(self.labels)))
        return self.head.predict_proba(build_features(self.features, inp))

    @property
    def reads_context(self) -> bool:
        """Does this head read the sentences around its text (``rhetorical_question``, ``historical_analogy``)?
        Then :meth:`predict_proba` takes them as ``prev_texts`` / ``next_texts``."""
        return bool(CONTEXT_FEATURES & set(self.features))

    def predict_proba(self, texts: Sequence[str], *, prev_texts: Sequence[str] | None = None,
                      next_texts: Sequence[str] | None = None) -> np.ndarray:
        """Probabilities, shape ``(len(texts), len(labels))``: a softmax row, or independent
        sigmoids for a multi-label model.

        ``prev_texts`` / ``next_texts``: the sentence before and after each text (``""`` where there is none), for
        the heads that read them (:attr:`reads_context`); the head then sees what ``analyze`` gives it inside an
        article. Without them each text is read on its own, which costs the question head about five points of
        macro-F1 (its model card: out of fold on train, 0.736 with the neighbours, 0.684 without). Heads that do
        not read context ignore them.
        """
        texts = _check_texts(texts)
        prev = _check_context(prev_texts, len(texts), "prev_texts")
        nxt = _check_context(next_texts, len(texts), "next_texts")
        if self.config.get("input") == "sentences":  # a unit-level head: pool its sentences as analyze() does
            from .feats_frames import encode_units, encode_units_with_tagger

            reads_tagger = "technique_tagger" in self.config.get("features", ())
            return self.predict_features((encode_units_with_tagger if reads_tagger else encode_units)(texts))
        if not self.reads_context or (prev is None and nxt is None):
            return self.predict_features(FeatureInput(texts=texts, embeddings=get_encoder().encode(texts)))
        prev = prev or [""] * len(texts)
        nxt = nxt or [""] * len(texts)
        around = sorted({t for t in prev + nxt if t} - set(texts))
        emb = get_encoder().encode(texts + around)
        index = {t: i for i, t in enumerate(texts + around)}  # a neighbour that is also a text reuses its vector
        zero = np.zeros(emb.shape[1], dtype=emb.dtype)

        def vectors(ts: list[str]) -> np.ndarray:
            return np.array([emb[index[t]] if t else zero for t in ts]).reshape(len(ts), -1)

        return self.predict_features(FeatureInput(
            texts=texts, embeddings=emb[:len(texts)], prev_texts=prev, next_texts=nxt,
            prev_embeddings=vectors(prev), next_embeddings=vectors(nxt)))

    def predict(self, texts: Sequence[str], *, prev_texts: Sequence[str] | None = None,
                next_texts: Sequence[str] | None = None) -> list:
        """The label per text under the shipped decision thresholds (the ones ``analyze`` and the model card use).

        Multi-label: every label whose probability reaches its threshold.  Single-label: a label with a threshold
        (``media_bias``'s "biased", ``subjectivity``'s "subjective", ``hedging``'s "uncertain",
        ``historical_analogy``'s "analogy") is predicted when its probability reaches the threshold, otherwise
        the most probable other label; ``rhetorical_question``'s threshold applies to P(device), the sum over its
        device labels (rhetorical, hypophora, open), and the label is then the most probable one on that side.
        Without thresholds, the most probable label.
        """
        return self.decide(self.predict_proba(texts, prev_texts=prev_texts, next_texts=next_texts))

    def decide(self, P: np.ndarray) -> list:
        """Labels from probabilities ``P`` (rows as :meth:`predict_proba` gives them), by the shipped thresholds."""
        P = np.asarray(P, dtype=float)
        if self.multi_label:
            thr = np.array([self.thresholds.get(lab, 0.5) for lab in self.labels])
            return [[lab for lab, p, t in zip(self.labels, row, thr) if p >= t] for row in P]
        groups = []  # (column indices of the positive side, threshold)
        device = self.config.get("device_labels")
        for key, t in self.thresholds.items():
            if key in self.labels:
                groups.append(([self.labels.index(key)], float(t)))
            elif device and key == self.name:
                groups.append(([self.labels.index(d) for d in device], float(t)))
        if not groups:
            return [self.labels[i] for i in P.argmax(axis=1)]
        cols, t = groups[0]
        pos = np.zeros(P.shape[1], dtype=bool)
        pos[cols] = True
        on = P[:, pos].sum(axis=1) >= t
        best_pos = np.where(pos, P, -1.0).argmax(axis=1)
        best_neg = np.where(~pos, P, -1.0).argmax(axis=1) if (~pos).any() else best_pos
        return [self.labels[i] for i in np.where(on, best_pos, best_neg)]

    def __repr__(self) -> str:
        return f"<Classifier {self.name!r}: {len(self.labels)} labels, features={self.features}>"


class HFClassifier:
    """A user's Hugging Face sequence-classification model folder, used like a shipped head.

    It runs its own forward pass (it does not share rhetorica's encoder).
    """

    def __init__(self, name: str, path: str | Path, *, multi_label: bool | None = None,
                 batch_size: int = 32) -> None:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.name = name
        self.path = Path(path)
        if not (self.path / "config.json").exists():
            raise FileNotFoundError(f"{self.path} is not a Hugging Face model folder (no config.json).")
        self._tokenizer = AutoTokenizer.from_pretrained(str(self.path), local_files_only=True)
        self._model = AutoModelForSequenceClassification.from_pretrained(str(self.path), local_files_only=True).eval()
        cfg = self._model.config
        self.labels = [cfg.id2label[i] for i in range(cfg.num_labels)]
        self.multi_label = (cfg.problem_type == "multi_label_classification") if multi_label is None else multi_label
        self.thresholds: dict[str, float] = {}
        self.batch_size = batch_size
        self._torch = torch

    card: dict[str, Any] = {}

    def predict_proba(self, texts: Sequence[str], *, prev_texts: Sequence[str] | None = None,
                      next_texts: Sequence[str] | None = None) -> np.ndarray:
        """Probabilities from the model's own forward pass over ``texts``; the neighbours, checked like a shipped
        head's, are not read (a sequence-classification model sees one text)."""
        texts = _check_texts(texts)
        _check_context(prev_texts, len(texts), "prev_texts")
        _check_context(next_texts, len(texts), "next_texts")
        torch = self._torch
        out = np.zeros((len(texts), len(self.labels)))
        with torch.inference_mode():
            for k in range(0, len(texts), self.batch_size):
                enc = self._tokenizer(list(texts[k:k + self.batch_size]), padding=True, truncation=True,
                                      return_tensors="pt")
                logits = self._model(**enc).logits.double()
                p = torch.sigmoid(logits) if self.multi_label else torch.softmax(logits, dim=-1)
                out[k:k + self.batch_size] = p.numpy()
        return out

    def predict_features(self, inp: FeatureInput) -> np.ndarray:
        return self.predict_proba(list(inp.texts))

    def __repr__(self) -> str:
        return f"<HFClassifier {self.name!r} from {self.path}: labels={self.labels}>"


def _check_context(context: Sequence[str] | None, n: int, name: str) -> list[str] | None:
    """``prev_texts`` / ``next_texts`` as a list of ``n`` strings (None stays None; a missing neighbour is "")."""
    if context is None:
        return None
    if isinstance(context, str):
        raise TypeError(f"{name} expects a list of strings, one per text, not a single str.")
    context = list(context)
    if len(context) != n:
        raise ValueError(f"{name} has {len(context)} items for {n} texts; give one neighbour per text (\"\" for none).")
    for i, t in enumerate(context):
        if not isinstance(t, str):
            raise TypeError(f"{name}[{i}] must be str (\"\" where there is no neighbour), got {type(t).__name__}.")
    return context


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("predict_proba expects a list of strings, not a single str; wrap it: [text].")
    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"texts[{i}] must be str, got {type(t).__name__}.")
    return texts


def _kind(model_json: Path) -> str:
    return str(json.loads(model_json.read_text(encoding="utf-8")).get("kind", "classifier"))


def shipped_classifiers() -> list[str]:
    """The shipped text classifiers (the token taggers that detectors read, like ``attribution``, are not)."""
    root = models_dir()
    return sorted(p.parent.name for p in root.glob("*/model.json") if _kind(p) != "token_tagger")


def shipped_taggers() -> list[str]:
    """The shipped token taggers: read by detectors from the shared pass's word-piece states, not from texts."""
    root = models_dir()
    return sorted(p.parent.name for p in root.glob("*/model.json") if _kind(p) == "token_tagger")


def available_classifiers() -> list[str]:
    """Names that :func:`load_classifier` accepts: the shipped heads plus any registered by the user."""
    return sorted(set(shipped_classifiers()) | set(_USER))


_CACHE: dict[str, Classifier] = {}


def load_classifier(name: str) -> "Classifier | HFClassifier":
    """Load a classifier by name (a user-registered model takes precedence over a shipped one)."""
    if not isinstance(name, str):
        raise TypeError(f"Classifier name must be str, got {type(name).__name__}.")
    if name in _USER:
        return _USER[name]
    if name not in _CACHE:
        if name not in shipped_classifiers():
            raise KeyError(f"Unknown classifier {name!r}. Available: {available_classifiers()}.")
        _CACHE[name] = Classifier(name)
    return _CACHE[name]


def register_classifier(name: str, path: str | Path, *, multi_label: bool | None = None) -> HFClassifier:
    """Use a Hugging Face sequence-classification model folder as classifier ``name``.

    It replaces a shipped classifier of the same name (in ``analyze`` too) or adds a new one.
    """
    clf = HFClassifier(name, path, multi_label=multi_label)
    _USER[name] = clf
    return clf


def unregister_classifier(name: str) -> None:
    _USER.pop(name, None)
