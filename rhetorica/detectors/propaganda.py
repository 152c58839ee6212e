"""Propaganda techniques at the word/phrase level: loaded language and name calling.

No token-level model runs inside ``analyze()``: the words of each non-boilerplate
sentence that the shipped lexicon knows (``models/loaded_language/lexicon.json``)
are scored by the ``loaded_language`` head from their term statistics and the
sentence's shared embedding.  Words over the threshold (chosen on held-out PTC
articles for a precision target; see the model card) merge into phrases, and the
``propaganda_technique`` head (phrase text + sentence embedding) labels each phrase:
``name_calling`` when it prefers Name_Calling,Labeling with enough confidence,
otherwise ``loaded_language``.
"""
from __future__ import annotations


import numpy as np

from .._types import Span
from .base import Detector, register
from ..text.words import WORD as _WORD_RE

#: PTC technique name -> span label emitted by this detector.
SPAN_LABELS = {"Loaded_Language": "loaded_language", "Name_Calling,Labeling": "name_calling"}
#: A phrase becomes ``name_calling`` when propaganda_technique gives Name_Calling,Labeling at least this
#: probability and more than Loaded_Language: a fixed majority rule, not tuned; its held-out precision is
#: in models/loaded_language/MODEL_CARD.md.
NAME_CALLING_MIN_PROB = 0.5
#: How many technique probabilities each span carries in ``attrs["probs"]``.
TOP_TECHNIQUES = 3


@register
class PropagandaDetector(Detector):
    """Loaded-language and name-calling spans, each labelled with the PTC technique it most resembles.

    Span attrs: ``technique``, ``probs`` (the top technique probabilities), ``voice`` ("quoted" when
    most of the phrase lies inside a span of the ``quote`` detector, including the content of indirect
    speech, else "editorial"), ``speaker`` and ``quote_kind`` (of that quote when quoted, else "").

    Scores: ``loaded_language_count`` and ``name_calling_count`` (spans of each label),
    ``propaganda_span_count`` (both together), and ``loaded_language_rate``: loaded-language
    spans per 100 words of non-boilerplate text (NaN for a text without words).  The same in the
    writer's own voice only: ``editorial_loaded_language_count``, ``editorial_name_calling_count``,
    ``editorial_propaganda_span_count`` and ``editorial_loaded_language_rate`` (editorial spans per
    100 editorial words: words whose middle lies outside every quote span; NaN when there is none).
    """

    name = "propaganda"
    labels = ("loaded_language", "name_calling")
    score_names = ("loaded_language_count", "loaded_language_rate", "propaganda_span_count", "name_calling_count",
                   "editorial_loaded_language_count", "editorial_loaded_language_rate",
                   "editorial_propaganda_span_count", "editorial_name_calling_count")
    needs_encoder = True
    order = 80
    requires = ("boilerplate", "quote")

    def __init__(self) -> None:
        self._models = None

    def _load(self):
        if self._models is None:
            from ..classifiers import load_classifier
            from ..classifiers.feats_propaganda import shipped_lexicon
            from ..classifiers.heads import load_head

            head, config = load_head("loaded_language")
            self._models = (shipped_lexicon(), head, config, load_classifier("propaganda_technique"))
        return self._models

    def detect(self, doc) -> list[Span]:
        from ..classifiers.feats_propaganda import candidate_words, term_features

        content = doc.content_sentences()
        if not content or doc.embeddings is None:
            return []
        lexicon, head, config, technique = self._load()
        threshold = float(head.thresholds.get("loaded_language", 0.5))
        use_embedding = "embedding" in config.get("features", [])

        # 1. candidate words of every content sentence, scored in one batch
        cand: list[tuple[int, int, int, str, str]] = []  # sentence, start, end, surface, key
        for i in content:
            s = doc.sentences[i]
            sent = doc.text[s.start:s.end]
            for a, b, key in candidate_words(sent, lexicon.is_candidate):
                cand.append((i, s.start + a, s.start + b, sent[a:b], key))
        if not cand:
            return []
        T = term_features([c[3] for c in cand], lexicon.stats([c[4] for c in cand]), lexicon.priors)
        X = np.hstack([T, doc.embeddings[[c[0] for c in cand]]]) if use_embedding else T
        p = head.predict_proba(X)[:, 1]

        # 2. words over the threshold -> phrases (within a sentence)
        from ..classifiers.feats_propaganda import merge_words

        phrases: list[tuple[int, int, int, float]] = []
        by_sentence: dict[int, list[tuple[int, int, float]]] = {}
        for (i, a, b, _, _), pi in zip(cand, p):
            if pi >= threshold:
                by_sentence.setdefault(i, []).append((a, b, float(pi)))
        for i, words in sorted(by_sentence.items()):
            phrases.extend((i, a, b, pi) for a, b, pi in merge_words(doc.text, sorted(words)))
        if not phrases:
            return []

        # 3. label each phrase with the technique head (phrase text + its sentence's embedding)
        P, labels = self._technique_probs(technique, doc, phrases)
        ll, nc = labels.index("Loaded_Language"), labels.index("Name_Calling,Labeling")
        out: list[Span] = []
        for (i, a, b, pi), row in zip(phrases, P):
            tech = "Name_Calling,Labeling" if row[nc] >= NAME_CALLING_MIN_PROB and row[nc] > row[ll] \
                else "Loaded_Language"
            top = np.argsort(-row)[:TOP_TECHNIQUES]
            out.append(Span(a, b, SPAN_LABELS[tech], pi, {
                "technique": tech,
                **doc.voice_attrs(a, b),
                "probs": {labels[k]: round(float(row[k]), 4) for k in top},
            }))
        return out

    @staticmethod
    def _technique_probs(technique, doc, phrases):
        from ..classifiers import Classifier
        from ..classifiers.features import FeatureInput

        texts = [doc.text[a:b] for _, a, b, _ in phrases]
        if isinstance(technique, Classifier):
            emb = doc.embeddings[[i for i, *_ in phrases]]
            P = technique.predict_features(FeatureInput(texts=texts, embeddings=emb))
        else:  # a user-registered model: its own forward pass, labels mapped by name
            P = np.asarray(technique.predict_proba(texts), dtype=float)
        labels = list(technique.labels)
        missing = [t for t in SPAN_LABELS if t not in labels]
        if missing:
            # a replacement model without these classes: keep the locator's label (loaded language)
            P = np.hstack([P, np.zeros((len(P), len(missing)))])
            labels = labels + missing
            P[:, labels.index("Loaded_Language")] = np.maximum(P[:, labels.index("Loaded_Language")], 1e-9)
        return P, labels

    def scores(self, doc, spans) -> dict[str, float]:
        n_ll = sum(s.label == "loaded_language" for s in spans)
        n_nc = sum(s.label == "name_calling" for s in spans)
        editorial = [s for s in spans if s.attrs.get("voice") == "editorial"]
        e_ll = sum(s.label == "loaded_language" for s in editorial)
        e_nc = sum(s.label == "name_calling" for s in editorial)
        words, e_words = _word_counts(doc)
        return {
            "loaded_language_count": float(n_ll),
            "loaded_language_rate": 100.0 * n_ll / words if words else float("nan"),
            "propaganda_span_count": float(n_ll + n_nc),
            "name_calling_count": float(n_nc),
            "editorial_loaded_language_count": float(e_ll),
            "editorial_loaded_language_rate": 100.0 * e_ll / e_words if e_words else float("nan"),
            "editorial_propaganda_span_count": float(e_ll + e_nc),
            "editorial_name_calling_count": float(e_nc),
        }


def _word_counts(doc) -> tuple[int, int]:
    """Words of the non-boilerplate sentences, and how many of them are editorial (middle outside every quote).

    One walk over the words and the sorted quote intervals together: linear in the text.
    """
    quoted = doc.attributed_intervals()
    words = editorial = 0
    k = 0
    for i in doc.content_sentences():
        s = doc.sentences[i]
        for m in _WORD_RE.finditer(doc.text, s.start, s.end):
            words += 1
            mid = (m.start() + m.end() - 1) // 2
            while k < len(quoted) and quoted[k][1] <= mid:
                k += 1
            if not (k < len(quoted) and quoted[k][0] <= mid):
                editorial += 1
    return words, editorial
