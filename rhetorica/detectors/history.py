"""Historical analogies and references: sentences that invoke the past, and how.

A sentence is a candidate when the history gazetteer
(:func:`rhetorica.classifiers.feats_history.find_mentions`) finds a historical
event, era, regime or figure in it ("Munich", "the Cold War", "Hitler", "9/11").
The ``historical_analogy`` classifier (the shared encoder's sentence embedding
plus history cue features, see ``models/historical_analogy/MODEL_CARD.md``) then
decides whether the sentence compares the present with that past (an
*analogy*), narrates it (a *reference*), uses a dead idiom ("witch hunt") or
does not mean history at all ("Bayern Munich").  Analogies become
``historical_analogy`` spans, references ``historical_reference`` spans, each over
the whole sentence; a small second head flags analogies used as a *smear*
(reductio ad hitlerum, guilt by association).

A comparison construction anchored on the mention ("a new Munich", "echoes of
Watergate", "like the 1930s", "takes cues from ... WWII":
:func:`rhetorica.classifiers.feats_history.find_constructions`) is a feature of
the head, and the kinds of construction that were precise on the training data
(listed with a floor on P(analogy) in the model's ``construction`` config, chosen
on out-of-sample training predictions) make the sentence an analogy even when the
head alone would not.  Sentences ending in a question mark are candidates like
any other ("Is this a new Cold War?").
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._types import Span
from .base import Detector, register

MODEL = "historical_analogy"
LABELS = ("analogy", "reference", "idiom", "none")
#: Used only when the loaded classifier carries no threshold of its own (a user's model): the softmax midpoint.
DEFAULT_ANALOGY_THRESHOLD = 0.5


class _Model:
    """The classifier and the smear head, loaded once on first use."""

    def __init__(self) -> None:
        from ..classifiers import Classifier, load_classifier

        self.clf = load_classifier(MODEL)
        self.shipped = isinstance(self.clf, Classifier)
        self.threshold = float(getattr(self.clf, "thresholds", {}).get("analogy", DEFAULT_ANALOGY_THRESHOLD))
        self.smear_head, self.smear_threshold, self.smear_features = _load_smear_head()
        # the construction override is calibrated for the shipped head only
        cfg = _shipped_config().get("construction") if self.shipped else None
        self.strong_kinds = frozenset(cfg["kinds"]) if cfg else frozenset()
        self.floor = float(cfg["floor"]) if cfg else 1.0
        self.override_score = float(cfg["score"]) if cfg else 0.0

    def probs(self, doc, idx: list[int]) -> np.ndarray:
        """``(len(idx), 4)`` probabilities in :data:`LABELS` order."""
        if self.shipped:
            P = self.clf.predict_features(doc.feature_input(idx))
            names = list(self.clf.labels)
        else:  # a user-registered model: its own forward pass, labels mapped by name
            P = np.asarray(self.clf.predict_proba([doc.sentence_text(i) for i in idx]), dtype=float)
            names = [str(lab).lower() for lab in self.clf.labels]
        out = np.zeros((len(idx), len(LABELS)))
        for j, lab in enumerate(LABELS):
            if lab in names:
                out[:, j] = P[:, names.index(lab)]
        return out

    def smear(self, doc, idx: list[int]) -> np.ndarray:
        if self.smear_head is None or not idx:
            return np.zeros(len(idx))
        from ..classifiers.features import build_features

        return self.smear_head.predict_proba(build_features(self.smear_features, doc.feature_input(idx)))[:, 1]


def _shipped_config() -> dict:
    """The shipped model's ``model.json`` ({} if absent)."""
    from ..classifiers.heads import load_head

    try:
        return load_head(MODEL)[1]
    except FileNotFoundError:
        return {}


def _load_smear_head():
    """The smear head stored beside the shipped head (``smear_*`` arrays); ``(None, 1.0, [])`` if absent."""
    from ..classifiers.heads import Head, models_dir, verify

    config = _shipped_config()
    cfg = config.get("smear")
    if not cfg:
        return None, 1.0, []
    with np.load(verify(models_dir(), f"{MODEL}/weights.npz"), allow_pickle=False) as z:
        p = cfg["arrays_prefix"]
        layers = [(z[f"{p}W{k}"], z[f"{p}b{k}"]) for k in range(cfg["layers"])]
        head = Head(labels=list(cfg["labels"]), multi_label=False, mean=z[f"{p}mean"], scale=z[f"{p}scale"], layers=layers)
    return head, float(cfg["threshold"]), list(config.get("features", []))


_MODEL: _Model | None = None


def _model() -> _Model:
    global _MODEL
    from ..classifiers import load_classifier

    # Reload if the user registered (or unregistered) a model of this name since the last load.
    if _MODEL is None or _MODEL.clf is not load_classifier(MODEL):
        _MODEL = _Model()
    return _MODEL


@register
class HistoricalAnalogyDetector(Detector):
    """Sentence spans that invoke history as an analogy (``historical_analogy``) or narrate it
    (``historical_reference``).

    Span attributes: ``referent`` (normalised name of the history invoked, e.g. "Nazi Germany / WWII"),
    ``category``, ``mention`` / ``mention_start`` / ``mention_end`` (the matched words and their offsets),
    ``smear`` (an analogy used to discredit), ``voice`` ("quoted" when most of the sentence is a span of the
    ``quote`` detector, including the content of indirect speech, else "editorial"), ``speaker`` and
    ``quote_kind`` (of that quote when quoted, else ""), ``probs`` (the head's
    probabilities) and ``construction`` (the kind of comparison construction anchored on the mention, e.g.
    "new_x", or None).  The score is P(analogy) / P(reference); an analogy made by a precise construction
    scores at least that construction kind's training precision (the model's ``construction.score``).

    Scores: ``historical_analogy_count``, ``historical_reference_count``, ``historical_smear_count``, and in the
    writer's own voice only: ``editorial_historical_analogy_count``, ``editorial_historical_smear_count`` and
    ``editorial_historical_analogy_rate`` (editorial analogies per editorial article sentence, NaN when there
    is none).
    """

    name = "historical_analogy"
    labels = ("historical_analogy", "historical_reference")
    score_names = ("historical_analogy_count", "historical_reference_count", "historical_smear_count",
                   "editorial_historical_analogy_count", "editorial_historical_smear_count",
                   "editorial_historical_analogy_rate")
    needs_encoder = True
    order = 60
    requires = ("boilerplate", "quote")

    def detect(self, doc) -> list[Span]:
        from ..classifiers.feats_history import find_constructions, find_mentions, primary_mention

        idx, mentions, constructions = [], [], []
        for i in doc.content_sentences():
            text = doc.sentence_text(i)
            found = find_mentions(text)
            if found:
                idx.append(i)
                cons = find_constructions(text, found)
                constructions.append(cons)
                # the mention a comparison is built on names the history invoked
                mentions.append(cons[0].mention if cons else primary_mention(found))
        if not idx:
            return []
        model = _model()
        P = model.probs(doc, idx)
        S = model.smear(doc, idx)
        out: list[Span] = []
        for k, (i, m, cons) in enumerate(zip(idx, mentions, constructions)):
            p = P[k]
            strong = any(c.kind in model.strong_kinds for c in cons)
            if p[0] >= model.threshold:
                label, score = "historical_analogy", p[0]
            elif strong and p[0] >= model.floor:
                label, score = "historical_analogy", max(p[0], model.override_score)
            elif 1 + int(np.argmax(p[1:])) == LABELS.index("reference"):
                label, score = "historical_reference", p[1]
            else:
                continue
            sent = doc.sentences[i]
            attrs: dict[str, Any] = {
                "referent": m.referent or "unspecified past",
                "category": m.category,
                "mention": m.text,
                "mention_start": sent.start + m.start,
                "mention_end": sent.start + m.end,
                "smear": bool(label == "historical_analogy" and S[k] >= model.smear_threshold),
                **doc.voice_attrs(sent.start, sent.end),
                "probs": {lab: round(float(v), 4) for lab, v in zip(LABELS, p)},
                "construction": next((c.kind for c in cons if c.kind in model.strong_kinds), cons[0].kind if cons else None),
            }
            out.append(Span(sent.start, sent.end, label, float(score), attrs))
        return out

    def scores(self, doc, spans) -> dict[str, float]:
        editorial = [s for s in spans if s.attrs.get("voice") == "editorial"]
        n_analogy = sum(s.label == "historical_analogy" for s in editorial)
        n_sent = len(doc.editorial_sentences())
        return {
            "historical_analogy_count": float(sum(s.label == "historical_analogy" for s in spans)),
            "historical_reference_count": float(sum(s.label == "historical_reference" for s in spans)),
            "historical_smear_count": float(sum(bool(s.attrs.get("smear")) for s in spans)),
            "editorial_historical_analogy_count": float(n_analogy),
            "editorial_historical_smear_count": float(sum(bool(s.attrs.get("smear")) for s in editorial)),
            "editorial_historical_analogy_rate": n_analogy / n_sent if n_sent else float("nan"),
        }
