"""Framing of an article and persuasion techniques of its paragraphs: two model detectors.

Both read the shared encoder pass (``doc.embeddings``) and never encode again: a unit
(the article, a paragraph) is the pooled embeddings of its non-boilerplate sentences, built
with :func:`rhetorica.classifiers.feats_frames.unit_input`, exactly as the heads were trained.

``frames`` (order 90)
    The ``frames`` head gives one probability per Media-Frames-Corpus frame for the whole
    article: the scores ``frame_<snake_case name>``.  An article-level label has no evidence
    span of its own, so for every frame at or over its threshold the detector emits a
    ``frame`` span over the *sentence that most supports it*: the head is also applied to
    each content sentence as a one-sentence unit, and the sentence with the highest
    probability for that frame is chosen.  ``Span.score`` is the article-level probability;
    ``attrs``: ``frame`` (the name), ``sentence_score`` (that sentence's own probability) and
    the sentence's ``voice`` / ``speaker`` / ``quote_kind`` (:meth:`rhetorica.pipeline.Doc.speaker_of`).
``persuasion`` (order 95)
    The ``persuasion`` head scores each paragraph that is not page furniture, from its pooled sentence vectors and
    the propaganda-technique tagger's word-piece probabilities pooled over it (the detector is a token reader: it
    runs the shipped ``technique`` tagger during the encoder pass, sharing its forward pass with the ``techniques``
    detector when both run; :func:`rhetorica.pipeline.technique_units` does the same for raw paragraphs).  A paragraph
    with at least one technique at or over its threshold becomes a ``persuasion`` span over
    the paragraph; ``attrs``: ``techniques`` (names, most probable first), ``probs``
    (name -> probability for those techniques) and the paragraph's ``voice`` / ``speaker`` /
    ``quote_kind`` (quoted when most of the paragraph is a quote span).  Scores:
    ``persuasion_paragraph_share`` (flagged / scored paragraphs), ``persuasion_technique_count``
    (distinct techniques flagged anywhere in the text), ``persuasion_<snake_case technique>``
    (paragraphs flagged with that technique), and in the writer's own voice only:
    ``editorial_persuasion_technique_count`` (distinct techniques flagged in editorial
    paragraphs) and ``editorial_persuasion_paragraph_share`` (flagged / scored editorial
    paragraphs, NaN when there is none).

A user model registered under the same name (:func:`rhetorica.register_classifier`) is
called with the article / paragraph texts instead (its own forward pass) and its labels
are matched by name; a frame or technique it lacks scores NaN.
"""
from __future__ import annotations

import weakref
from typing import Any, Sequence

import numpy as np

from .._types import Span
from .base import Detector, register
from .token_reader import TokenReader

#: The 14 Media Frames Corpus frames, spelled as in the SemEval-2023 Task 3 subtask-2 labels.
FRAMES: tuple[str, ...] = (
    "Economic", "Capacity_and_resources", "Morality", "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence", "Policy_prescription_and_evaluation",
    "Crime_and_punishment", "Security_and_defense", "Health_and_safety", "Quality_of_life",
    "Cultural_identity", "Public_opinion", "Political", "External_regulation_and_reputation",
)
#: The persuasion techniques of the SemEval-2023 Task 3 subtask-3 English label files (19 of the
#: task's 23: Appeal_to_Time, Appeal_to_Values, Consequential_Oversimplification and
#: Questioning_the_Reputation have no English examples), spelled as there.
TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority", "Appeal_to_Fear-Prejudice", "Appeal_to_Hypocrisy", "Appeal_to_Popularity",
    "Causal_Oversimplification", "Conversation_Killer", "Doubt", "Exaggeration-Minimisation",
    "False_Dilemma-No_Choice", "Flag_Waving", "Guilt_by_Association", "Loaded_Language",
    "Name_Calling-Labeling", "Obfuscation-Vagueness-Confusion", "Red_Herring", "Repetition", "Slogans",
    "Straw_Man", "Whataboutism",
)
#: Threshold for a label the model does not set one for (a user model).
DEFAULT_THRESHOLD = 0.5


def snake_case(label: str) -> str:
    """``"Name_Calling-Labeling"`` -> ``"name_calling_labeling"`` (score-column spelling).

    Examples
    --------
    >>> snake_case("Legality_Constitutionality_and_jurisprudence")
    'legality_constitutionality_and_jurisprudence'
    """
    out = "".join(c.lower() if c.isalnum() else "_" for c in label)
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


FRAME_SCORES: tuple[str, ...] = tuple("frame_" + snake_case(f) for f in FRAMES)
TECHNIQUE_SCORES: tuple[str, ...] = tuple("persuasion_" + snake_case(t) for t in TECHNIQUES)


class _ModelDetector(Detector):
    """Shared plumbing: the classifier, loaded lazily once, and per-document results."""

    requires = ("boilerplate", "quote")

    model: str = ""
    needs_encoder = True

    def __init__(self) -> None:
        self._clf: Any = None
        self._results: "weakref.WeakKeyDictionary[Any, Any]" = weakref.WeakKeyDictionary()

    @property
    def classifier(self) -> Any:
        if self._clf is None:
            from ..classifiers import load_classifier

            self._clf = load_classifier(self.model)
        return self._clf

    def _predict(self, texts: Sequence[str], groups: Sequence[np.ndarray], names: Sequence[str],
                 technique_probs: Sequence[np.ndarray] | None = None) -> np.ndarray:
        """Probabilities, one row per unit, columns in ``names`` order (NaN for a label the model lacks).
        ``technique_probs``: per unit, the technique tagger's pooled probabilities, for heads that read them."""
        from ..classifiers import Classifier
        from ..classifiers.feats_frames import unit_input

        clf = self.classifier
        if not texts:
            return np.zeros((0, len(names)))
        if isinstance(clf, Classifier):
            inp = unit_input(texts, groups)
            if technique_probs is not None:
                inp.technique_probs = np.vstack(technique_probs)
            P = clf.predict_features(inp)
        else:  # a user's model: it reads the texts itself
            P = np.asarray(clf.predict_proba(list(texts)), dtype=float)
        col = {lab: j for j, lab in enumerate(clf.labels)}
        out = np.full((len(texts), len(names)), np.nan)
        for k, name in enumerate(names):
            if name in col:
                out[:, k] = P[:, col[name]]
        return out

    def _thresholds(self, names: Sequence[str]) -> np.ndarray:
        thr = getattr(self.classifier, "thresholds", None) or {}
        return np.array([thr.get(n, DEFAULT_THRESHOLD) for n in names], dtype=float)


@register
class FramesDetector(_ModelDetector):
    """Article-level frames (14 MFC frames), with the most supportive sentence as evidence.

    See the module docstring for how the evidence sentence is chosen.
    """

    name = "frames"
    labels = ("frame",)
    score_names = FRAME_SCORES
    order = 90
    model = "frames"

    def detect(self, doc) -> list[Span]:
        content = doc.content_sentences()
        if not content:
            return []
        rows = doc.embeddings[content]
        sent_texts = [doc.sentence_text(i) for i in content]
        article = "\n".join(sent_texts)
        # row 0: the article; rows 1..k: each content sentence as a one-sentence unit
        P = self._predict([article] + sent_texts, [rows] + [rows[j:j + 1] for j in range(len(content))], FRAMES)
        probs, per_sentence = P[0], P[1:]
        self._results[doc] = probs
        thr = self._thresholds(FRAMES)
        spans = []
        for k, frame in enumerate(FRAMES):
            if not probs[k] >= thr[k]:  # also skips NaN
                continue
            j = int(np.nanargmax(per_sentence[:, k]))
            s = doc.sentences[content[j]]
            spans.append(Span(s.start, s.end, "frame", float(probs[k]),
                              {"frame": frame, "sentence_score": round(float(per_sentence[j, k]), 4),
                               **doc.voice_attrs(s.start, s.end)}))
        return spans

    def scores(self, doc, spans) -> dict[str, float]:
        probs = self._results.get(doc)
        if probs is None:
            return {k: float("nan") for k in self.score_names}
        return {k: float(p) for k, p in zip(self.score_names, probs)}


@register
class PersuasionDetector(TokenReader, _ModelDetector):
    """Persuasion techniques per paragraph (19 SemEval-2023 techniques); a span per flagged paragraph.

    Besides the paragraph's pooled sentence embeddings, the shipped head reads the propaganda-technique tagger's
    word-piece probabilities pooled over the paragraph (the ``technique_tagger`` feature): during the encoder pass
    this detector runs the tagger (``models/technique``) on every content sentence, sharing its forward pass with the
    ``techniques`` detector when both run."""

    name = "persuasion"
    labels = ("persuasion",)
    score_names = ("persuasion_paragraph_share", "persuasion_technique_count") + TECHNIQUE_SCORES + (
        "editorial_persuasion_technique_count", "editorial_persuasion_paragraph_share")
    order = 95
    model = "persuasion"

    @property
    def reads_tagger(self) -> bool:
        """Does the persuasion head read the technique tagger (the ``technique_tagger`` feature)?"""
        return "technique_tagger" in getattr(self.classifier, "features", ())

    def piece_proba(self, states, vectors, flags) -> list[np.ndarray]:
        """Per sentence, the technique tagger's highest probability of each label (``any`` and the 14 techniques)
        over its word pieces, as a ``(1, 15)`` row: all that the paragraph pooling reads, so only that is kept."""
        from .techniques import shipped_tagger

        if not self.reads_tagger:
            return [np.zeros((1, 0), dtype=np.float32) for _ in states]
        return [P.max(axis=0, keepdims=True) for P in shipped_tagger().proba(states, vectors, flags)]

    def detect(self, doc) -> list[Span]:
        from ..classifiers.feats_frames import pool_technique_probs

        by_para: dict[int, list[int]] = {}
        for i in doc.content_sentences():
            by_para.setdefault(doc.sentences[i].paragraph, []).append(i)
        units = [(p, doc.paragraphs[p]) for p in sorted(by_para) if not doc.in_boilerplate(*doc.paragraphs[p])]
        texts = [doc.text[s:e] for _, (s, e) in units]
        pooled = None
        if self.reads_tagger:
            rows = (doc.token_outputs.get(self.name) or {}).get("rows", {})
            pooled = [pool_technique_probs([rows[i][1] for i in by_para[p] if i in rows]) for p, _ in units]
        P = self._predict(texts, [doc.embeddings[by_para[p]] for p, _ in units], TECHNIQUES, pooled)
        voices = [doc.voice_attrs(s, e) for _, (s, e) in units]
        # scored paragraphs, and how many of them are editorial
        self._results[doc] = (len(units), sum(v["voice"] == "editorial" for v in voices))
        thr = self._thresholds(TECHNIQUES)
        spans = []
        for (_, (s, e)), row, voice in zip(units, P, voices):
            hit = [k for k in np.argsort(-np.nan_to_num(row, nan=-1.0)) if row[k] >= thr[k]]
            if hit:
                spans.append(Span(s, e, "persuasion", float(row[hit[0]]),
                                  {"techniques": [TECHNIQUES[k] for k in hit],
                                   "probs": {TECHNIQUES[k]: round(float(row[k]), 4) for k in hit}, **voice}))
        return spans

    def scores(self, doc, spans) -> dict[str, float]:
        n, n_editorial = self._results.get(doc, (0, 0))
        known = set(getattr(self.classifier, "labels", TECHNIQUES)) if n else set(TECHNIQUES)
        counts = {t: 0 for t in TECHNIQUES}
        editorial_techniques: set[str] = set()
        n_flagged_editorial = 0
        for sp in spans:
            for t in sp.attrs["techniques"]:
                counts[t] += 1
            if sp.attrs.get("voice") == "editorial":
                n_flagged_editorial += 1
                editorial_techniques.update(sp.attrs["techniques"])
        out = {"persuasion_paragraph_share": len(spans) / n if n else float("nan"),
               "persuasion_technique_count": float(sum(1 for c in counts.values() if c))}
        for t, col in zip(TECHNIQUES, TECHNIQUE_SCORES):
            out[col] = float(counts[t]) if t in known else float("nan")
        out["editorial_persuasion_technique_count"] = float(len(editorial_techniques))
        out["editorial_persuasion_paragraph_share"] = (n_flagged_editorial / n_editorial if n_editorial
                                                       else float("nan"))
        return out
