"""Sentence-level classifier detectors: media bias, subjectivity, hedging.

Each reads the shared encoder pass (``doc.feature_input``), asks its classifier
once per document for P(positive class) of every content (non-boilerplate)
sentence, and marks the sentences at or above the classifier's tuned threshold
with a span over the whole sentence (score = the probability; ``voice`` =
quoted / editorial, with ``speaker`` and ``quote_kind`` of the covering quote,
see :meth:`rhetorica.pipeline.Doc.speaker_of`).  Passage scores: the share of
content sentences flagged and the mean probability (NaN for a text without
content sentences), and ``editorial_<name>_share``: the share of the editorial
content sentences (those not mostly inside a quote, indirect speech included)
that are flagged (NaN when there is none).

The classifiers are the shipped heads ``media_bias``, ``subjectivity`` and
``hedging`` (see their model cards); a model registered under the same name
with :func:`rhetorica.classifiers.register_classifier` replaces the shipped one,
in which case its ``predict_proba(texts)`` is called and its columns are matched
to the positive label by name.
"""
from __future__ import annotations

import weakref
from typing import ClassVar

import numpy as np

from .._types import Span
from .base import Detector, register

#: Decision threshold used when a classifier records none (e.g. a user-registered model).
DEFAULT_THRESHOLD = 0.5


class SentenceLabelDetector(Detector):
    """Flags whole sentences whose P(``positive``) from classifier ``classifier`` reaches its threshold.

    Subclasses set ``name``, ``labels`` (the span label), ``score_names`` (share, mean, editorial share),
    ``order``, ``classifier`` and ``positive``.
    """

    requires = ("boilerplate", "quote")

    needs_encoder = True
    #: Name passed to :func:`rhetorica.classifiers.load_classifier`.
    classifier: ClassVar[str] = ""
    #: The classifier label whose probability is the span score.
    positive: ClassVar[str] = ""

    def __init__(self) -> None:
        self._clf = None
        # P(positive) per content sentence of each document seen, for scores()
        self._probs: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    @property
    def span_label(self) -> str:
        return self.labels[0]

    def _classifier(self):
        if self._clf is None:
            from ..classifiers import load_classifier

            self._clf = load_classifier(self.classifier)
        return self._clf

    def threshold(self) -> float:
        """The classifier's tuned threshold for :attr:`positive` (0.5 if it records none)."""
        return float(getattr(self._classifier(), "thresholds", {}).get(self.positive, DEFAULT_THRESHOLD))

    def _column(self, labels) -> int:
        labels = list(labels)
        if self.positive in labels:
            return labels.index(self.positive)
        lower = [str(lab).lower() for lab in labels]
        if self.positive.lower() in lower:
            return lower.index(self.positive.lower())
        raise ValueError(
            f"The classifier registered as {self.classifier!r} has labels {labels}, but the {self.name!r} "
            f"detector needs a label named {self.positive!r}; rename the model's labels (id2label)."
        )

    def probabilities(self, doc, indices: list[int]) -> np.ndarray:
        """P(positive) for the given sentences of ``doc``: one classifier call."""
        from ..classifiers import Classifier

        clf = self._classifier()
        if isinstance(clf, Classifier):
            P = clf.predict_features(doc.feature_input(indices))
        else:  # a user-registered model runs its own forward pass
            P = np.asarray(clf.predict_proba([doc.sentence_text(i) for i in indices]))
        return np.asarray(P, dtype=float)[:, self._column(clf.labels)].reshape(len(indices))

    def detect(self, doc) -> list[Span]:
        indices = doc.content_sentences()
        if not indices:
            self._probs[doc] = np.zeros(0)
            return []
        p = self.probabilities(doc, indices)
        self._probs[doc] = p
        thr = self.threshold()
        out = []
        for i, prob in zip(indices, p):
            if prob >= thr:
                s = doc.sentences[i]
                out.append(Span(s.start, s.end, self.span_label, float(prob), doc.voice_attrs(s.start, s.end)))
        return out

    def scores(self, doc, spans: list[Span]) -> dict[str, float]:
        share_name, mean_name, editorial_name = self.score_names
        p = self._probs.get(doc)
        if p is None or len(p) == 0:
            return {share_name: float("nan"), mean_name: float("nan"), editorial_name: float("nan")}
        n_editorial = len(doc.editorial_sentences())
        flagged = sum(s.attrs.get("voice") == "editorial" for s in spans)
        return {share_name: len(spans) / len(p), mean_name: float(np.mean(p)),
                editorial_name: flagged / n_editorial if n_editorial else float("nan")}


@register
class MediaBiasDetector(SentenceLabelDetector):
    """Sentences a BABE-trained head judges *biased* (see ``models/media_bias/MODEL_CARD.md``)."""

    name = "media_bias"
    labels = ("biased",)
    score_names = ("media_bias_share", "media_bias_mean", "editorial_media_bias_share")
    order = 70
    classifier = "media_bias"
    positive = "biased"


@register
class SubjectivityDetector(SentenceLabelDetector):
    """Sentences the NewsSD-ENG-trained head judges *subjective* (``models/subjectivity/MODEL_CARD.md``)."""

    name = "subjectivity"
    labels = ("subjective",)
    score_names = ("subjectivity_share", "subjectivity_mean", "editorial_subjectivity_share")
    order = 71
    classifier = "subjectivity"
    positive = "subjective"


@register
class HedgingDetector(SentenceLabelDetector):
    """Hedged / weasel-worded sentences (CoNLL-2010 Wikipedia head, ``models/hedging/MODEL_CARD.md``)."""

    name = "hedging"
    labels = ("hedge",)
    score_names = ("hedge_share", "hedge_mean", "editorial_hedge_share")
    order = 72
    classifier = "hedging"
    positive = "uncertain"
