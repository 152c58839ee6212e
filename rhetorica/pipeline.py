"""From text to :class:`~rhetorica.Analysis`: segmentation, rule detectors, one encoder pass, model detectors.

Data flows one way::

    text -> paragraphs + sentences -> rule detectors (boilerplate, quotes)
         -> one shared encoder pass over the non-boilerplate sentences
         -> model detectors (questions, history, the classifier heads) -> spans -> scores

In batch mode (:meth:`Analyzer.pipe`) the encoder pass covers the sentences of a
whole batch of texts at once; results come back in input order.
"""
from __future__ import annotations

import bisect
import time
from collections import defaultdict
from typing import Iterable, Iterator, Sequence

import numpy as np

from ._types import Analysis, Sentence, Span
from .detectors.base import Detector, available_detectors, get_detector
from .text.segment import paragraphs as _paragraphs
from .text.segment import sentences as _sentences


class Doc:
    """The working state of one text while detectors run.

    Detectors read ``text``, ``paragraphs``, ``sentences``, the ``spans`` found by
    detectors that ran earlier, and ``embeddings`` (one row per sentence; zero rows
    for boilerplate) after the shared encoder pass.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.paragraphs: list[tuple[int, int]] = _paragraphs(text)
        self.sentences: list[Sentence] = _sentences(text, self.paragraphs)
        self.spans: list[Span] = []
        self.embeddings: np.ndarray | None = None
        self._sent_starts = [s.start for s in self.sentences]
        self._bp: list[tuple[int, int]] | None = None
        self._quoted: list[tuple[int, int]] | None = None
        self._content: list[int] | None = None

    # -- sentences --------------------------------------------------------------------------------
    def sentence_text(self, i: int) -> str:
        s = self.sentences[i]
        return self.text[s.start:s.end]

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence containing ``offset`` (None if it falls between sentences)."""
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return i
        return None

    def content_sentences(self) -> list[int]:
        """Indices of sentences that are not boilerplate."""
        if self._content is None:
            self._content = [i for i, s in enumerate(self.sentences) if not self.in_boilerplate(s.start, s.end)]
        return self._content

    def neighbours(self, i: int) -> tuple[int | None, int | None]:
        """The previous and next non-boilerplate sentences (None at the edges)."""
        content = self.content_sentences()
        k = bisect.bisect_left(content, i)
        prev = content[k - 1] if k > 0 else None
        j = k + 1 if k < len(content) and content[k] == i else k
        nxt = content[j] if j < len(content) else None
        return prev, nxt

    # -- what earlier detectors found -----------------------------------------------------------
    def spans_of(self, label: str) -> list[Span]:
        return [s for s in self.spans if s.label == label]

    def _intervals(self, pred) -> list[tuple[int, int]]:
        iv = sorted((s.start, s.end) for s in self.spans if pred(s))
        merged: list[tuple[int, int]] = []
        for s, e in iv:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        return merged

    def boilerplate_intervals(self) -> list[tuple[int, int]]:
        if self._bp is None:
            self._bp = self._intervals(lambda s: s.label == "boilerplate")
        return self._bp

    def quoted_intervals(self) -> list[tuple[int, int]]:
        """Character ranges of other people's verbatim words (direct and partial quotes)."""
        if self._quoted is None:
            self._quoted = self._intervals(
                lambda s: s.label == "quote" and s.attrs.get("kind") in ("direct", "partial"))
        return self._quoted

    def invalidate(self) -> None:
        self._bp = None
        self._quoted = None
        self._content = None

    @staticmethod
    def _overlap(intervals: list[tuple[int, int]], start: int, end: int) -> int:
        total = 0
        k = bisect.bisect_right(intervals, (start, float("inf"))) - 1
        k = max(k, 0)
        while k < len(intervals) and intervals[k][0] < end:
            s, e = intervals[k]
            total += max(0, min(e, end) - max(s, start))
            k += 1
        return total

    def in_boilerplate(self, start: int, end: int) -> bool:
        """True if at least half of ``[start, end)`` is page furniture."""
        return end > start and 2 * self._overlap(self.boilerplate_intervals(), start, end) >= end - start

    def voice(self, start: int, end: int) -> str:
        """``"quoted"`` if most of ``[start, end)`` lies inside a direct or partial quote, else ``"editorial"``."""
        if end <= start:
            return "editorial"
        return "quoted" if 2 * self._overlap(self.quoted_intervals(), start, end) > end - start else "editorial"

    def content_length(self) -> int:
        """Characters of the text that are not whitespace and not boilerplate."""
        n = 0
        for s, e in self.paragraphs:
            n += (e - s) - self._overlap(self.boilerplate_intervals(), s, e)
        return n

    def quoted_length(self) -> int:
        """Characters inside direct/partial quotes, outside boilerplate."""
        n = 0
        for s, e in self.quoted_intervals():
            n += (e - s) - self._overlap(self.boilerplate_intervals(), s, e)
        return n

    def feature_input(self, indices: Sequence[int]):
        """A :class:`~rhetorica.classifiers.FeatureInput` for the given sentences, with their neighbours."""
        from .classifiers.features import FeatureInput

        emb = self.embeddings
        if emb is None:
            raise RuntimeError("The shared encoder pass has not run for this document.")
        prev_t, next_t, prev_e, next_e = [], [], [], []
        zero = np.zeros(emb.shape[1], dtype=np.float32)
        for i in indices:
            p, n = self.neighbours(i)
            prev_t.append(self.sentence_text(p) if p is not None else "")
            next_t.append(self.sentence_text(n) if n is not None else "")
            prev_e.append(emb[p] if p is not None else zero)
            next_e.append(emb[n] if n is not None else zero)
        return FeatureInput(texts=[self.sentence_text(i) for i in indices], embeddings=emb[list(indices)],
                            prev_texts=prev_t, next_texts=next_t,
                            prev_embeddings=np.array(prev_e).reshape(len(indices), -1),
                            next_embeddings=np.array(next_e).reshape(len(indices), -1))


def check_text(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"rhetorica analyses text: expected str, got {type(text).__name__}.")
    return text


class Analyzer:
    """Runs the registered detectors over texts.

    Parameters
    ----------
    detectors : list of str, optional
        Names from :func:`rhetorica.available_detectors` (all of them by default).
    batch_size : int
        Texts per shared encoder pass in :meth:`pipe`.

    Examples
    --------
    >>> from rhetorica import Analyzer
    >>> an = Analyzer(detectors=["boilerplate", "quote"])
    >>> a = an('"We will win," said Jane Doe.')
    >>> [s.attrs["speaker"] for s in a.spans_of("quote")]
    ['Jane Doe']
    """

    def __init__(self, detectors: Sequence[str] | None = None, *, batch_size: int = 16) -> None:
        names = available_detectors() if detectors is None else list(detectors)
        if isinstance(detectors, str):
            raise TypeError("'detectors' must be a list of detector names, not a single str.")
        if batch_size < 1:
            raise ValueError(f"The 'batch_size' parameter of Analyzer must be >= 1. Got {batch_size!r} instead.")
        classes = [get_detector(n) for n in names]
        self.detectors: list[Detector] = [c() for c in sorted(classes, key=lambda c: (c.needs_encoder, c.order))]
        self.batch_size = batch_size
        #: Seconds spent per stage ("segment", "encode", each detector name) since construction.
        self.timings: dict[str, float] = defaultdict(float)

    @property
    def score_names(self) -> list[str]:
        out: list[str] = []
        for d in self.detectors:
            out.extend(d.score_names)
        return out

    def __call__(self, text: str) -> Analysis:
        return next(iter(self.pipe([text])))

    def pipe(self, texts: Iterable[str], *, encoder_progress: bool = False) -> Iterator[Analysis]:
        """Analyse many texts, streaming results in input order."""
        chunk: list[str] = []
        for t in texts:
            chunk.append(check_text(t))
            if len(chunk) >= self.batch_size:
                yield from self._run(chunk, encoder_progress)
                chunk = []
        if chunk:
            yield from self._run(chunk, encoder_progress)

    def _run(self, texts: list[str], encoder_progress: bool = False) -> list[Analysis]:
        clock = time.perf_counter
        t0 = clock()
        docs = [Doc(t) for t in texts]
        self.timings["segment"] += clock() - t0
        found: list[dict[str, list[Span]]] = [{} for _ in docs]
        rule = [d for d in self.detectors if not d.needs_encoder]
        model = [d for d in self.detectors if d.needs_encoder]
        for det in rule + model:
            if det is (model[0] if model else None):
                t0 = clock()
                self._encode(docs, encoder_progress)
                self.timings["encode"] += clock() - t0
            t0 = clock()
            for doc, f in zip(docs, found):
                self._apply(det, doc, f)
            self.timings[det.name] += clock() - t0
        out = []
        for doc, f in zip(docs, found):
            scores: dict[str, float] = {}
            for det in self.detectors:
                s = det.scores(doc, f.get(det.name, []))
                scores.update({k: s.get(k, np.nan) for k in det.score_names})
            out.append(Analysis(text=doc.text, spans=tuple(doc.spans), scores=scores,
                                sentences=tuple(doc.sentences)))
        return out

    @staticmethod
    def _apply(det: Detector, doc: Doc, found: dict[str, list[Span]]) -> None:
        spans = det.detect(doc) if doc.sentences else []
        n = len(doc.text)
        for s in spans:
            if s.end > n:
                raise AssertionError(f"detector {det.name!r} produced a span past the end of the text: {s}")
        found[det.name] = spans
        doc.spans.extend(spans)
        doc.invalidate()

    @staticmethod
    def _encode(docs: list[Doc], progress: bool) -> None:
        from .classifiers.encoder import DIM, get_encoder

        texts: list[str] = []
        where: list[tuple[int, int]] = []
        for k, doc in enumerate(docs):
            doc.embeddings = np.zeros((len(doc.sentences), DIM), dtype=np.float32)
            for i in doc.content_sentences():
                texts.append(doc.sentence_text(i))
                where.append((k, i))
        if not texts:
            return
        emb = get_encoder().encode(texts, show_progress=progress)
        for (k, i), row in zip(where, emb):
            docs[k].embeddings[i] = row
