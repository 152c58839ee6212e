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
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from ._types import Analysis, Sentence, Span
from .detectors.base import Detector, available_detectors, get_detector, with_requirements
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
        #: What detectors that ``needs_tokens`` kept from the encoder's word-piece states (by detector name, plus
        #: what they share per text under ``"_text"``); the states themselves are handed over chunk by chunk during
        #: the pass and not kept.
        self.token_outputs: dict[str, Any] = {}
        #: Which encoder gave ``embeddings`` and the word-piece states ("fp32" / "int8"; set by the Analyzer): what a
        #: detector derives from them and keeps across texts must be keyed on it too.
        self.encoder_name: str | None = None
        self._sent_starts = [s.start for s in self.sentences]
        self._bp: list[tuple[int, int]] | None = None
        self._quoted: list[tuple[int, int]] | None = None
        self._attributed: list[tuple[int, int]] | None = None
        self._owners: tuple[list[int], list[tuple[int, int, str, str]]] | None = None
        self._content: list[int] | None = None
        self._editorial: list[int] | None = None

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

    def editorial_sentences(self) -> list[int]:
        """Indices of the content sentences in the writer's own voice (:meth:`voice` is ``"editorial"``)."""
        if self._editorial is None:
            self._editorial = [i for i in self.content_sentences()
                               if self.voice(self.sentences[i].start, self.sentences[i].end) == "editorial"]
        return self._editorial

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

    def attributed_intervals(self) -> list[tuple[int, int]]:
        """Character ranges of attributed content: every ``quote`` span, whatever its kind.

        That is the words of direct, partial and mixed quotes and the *content* of
        indirect speech ("that the plan would fail" in "X said that the plan would
        fail"); the attribution frame ("X said") is not part of any quote span, so it
        stays the writer's.  These ranges decide :meth:`voice`; :meth:`quoted_intervals`
        (verbatim words only) decides ``quoted_share``.
        """
        if self._attributed is None:
            self._attributed = self._intervals(lambda s: s.label == "quote")
        return self._attributed

    def _quote_owners(self) -> tuple[list[int], list[tuple[int, int, str, str]]]:
        """Disjoint ``(start, end, speaker, kind)`` pieces of the quote spans, sorted, plus their starts.

        Where quote spans overlap (a quoted fragment inside a mixed quote), the piece
        belongs to the innermost (shortest) span covering it.  Built once per set of
        spans: a sweep over the span boundaries.
        """
        if self._owners is None:
            quotes = sorted((s for s in self.spans if s.label == "quote" and s.end > s.start),
                            key=lambda s: (s.start, s.end))
            bounds = sorted({b for s in quotes for b in (s.start, s.end)})
            pieces: list[tuple[int, int, str, str]] = []
            active: list = []
            k = 0
            for a, b in zip(bounds, bounds[1:]):
                while k < len(quotes) and quotes[k].start <= a:
                    active.append(quotes[k])
                    k += 1
                active = [q for q in active if q.end > a]
                if not active:
                    continue
                q = min(active, key=lambda q: (q.end - q.start, q.start))
                who, kind = str(q.attrs.get("speaker") or ""), str(q.attrs.get("kind") or "")
                if pieces and pieces[-1][1] == a and pieces[-1][2:] == (who, kind):
                    pieces[-1] = (pieces[-1][0], b, who, kind)
                else:
                    pieces.append((a, b, who, kind))
            self._owners = ([p[0] for p in pieces], pieces)
        return self._owners

    def invalidate(self) -> None:
        self._bp = None
        self._quoted = None
        self._attributed = None
        self._owners = None
        self._content = None
        self._editorial = None

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
        """``"quoted"`` if most of ``[start, end)`` is attributed content, else ``"editorial"``.

        Attributed content is any ``quote`` span (:meth:`attributed_intervals`): the
        words of direct, partial and mixed quotes and the content clause of indirect
        speech, never the attribution frame ("X said").
        """
        if end <= start:
            return "editorial"
        return "quoted" if 2 * self._overlap(self.attributed_intervals(), start, end) > end - start else "editorial"

    def speaker_of(self, start: int, end: int) -> tuple[str, str, str]:
        """``(voice, speaker, quote_kind)`` of ``[start, end)``.

        ``voice`` as in :meth:`voice`; when it is ``"quoted"``, ``speaker`` (the quote
        detector's canonical name, ``""`` when the quote is unattributed) and
        ``quote_kind`` (direct / partial / indirect / mixed) are those of the quote that
        covers most of the range; for editorial text both are ``""``.

        Examples
        --------
        >>> from rhetorica.pipeline import Analyzer
        >>> t = 'Jane Doe said that the plan would fail. The sky is blue today.'
        >>> doc = Doc(t)
        >>> doc.spans.extend(Analyzer(detectors=["quote"])(t).spans)
        >>> doc.speaker_of(14, 39), doc.speaker_of(40, 62)
        (('quoted', 'Jane Doe', 'indirect'), ('editorial', '', ''))
        """
        if self.voice(start, end) != "quoted":
            return "editorial", "", ""
        starts, pieces = self._quote_owners()
        share: dict[tuple[str, str], int] = {}
        k = max(bisect.bisect_right(starts, start) - 1, 0)
        while k < len(pieces) and pieces[k][0] < end:
            a, b, who, kind = pieces[k]
            n = min(b, end) - max(a, start)
            if n > 0:
                share[(who, kind)] = share.get((who, kind), 0) + n
            k += 1
        if not share:  # cannot happen when voice() says quoted; kept for safety
            return "quoted", "", ""
        who, kind = max(share, key=share.__getitem__)
        return "quoted", who, kind

    def voice_attrs(self, start: int, end: int) -> dict[str, str]:
        """:meth:`speaker_of` as span attrs: ``{"voice": ..., "speaker": ..., "quote_kind": ...}``."""
        voice, speaker, kind = self.speaker_of(start, end)
        return {"voice": voice, "speaker": speaker, "quote_kind": kind}

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

    def attributed_length(self) -> int:
        """Characters of attributed content (every quote span, verbatim or reported), outside boilerplate."""
        return sum((e - s) - self._overlap(self.boilerplate_intervals(), s, e) for s, e in self.attributed_intervals())

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


#: Sentences per encoder call when a detector reads word-piece states (bounds the states held at once to ~50 MB).
TOKEN_CHUNK = 1024


def content_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that the Analyzer embeds: segmented, page furniture left out (what a unit-level
    head such as ``frames`` pools when it is given raw texts)."""
    from .detectors.boilerplate import BoilerplateDetector

    doc = Doc(text)
    doc.spans.extend(BoilerplateDetector().detect(doc))
    doc.invalidate()
    return [doc.sentence_text(i) for i in doc.content_sentences()]


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
    encoder : {"fp32", "int8"}, optional
        Precision of the shared sentence encoder: ``"int8"`` (ONNX Runtime, the default; about 2.4x
        faster, every head within one point of its fp32 figure) or ``"fp32"`` (torch). The environment
        variable ``RHETORICA_ENCODER`` sets it when not given. See ``benchmarks/README.md`` for the
        heads' validation figures on both.

    Examples
    --------
    >>> from rhetorica import Analyzer
    >>> an = Analyzer(detectors=["boilerplate", "quote"])
    >>> a = an('"We will win," said Jane Doe.')
    >>> [s.attrs["speaker"] for s in a.spans_of("quote")]
    ['Jane Doe']
    """

    def __init__(self, detectors: Sequence[str] | None = None, *, batch_size: int = 16,
                 encoder: str | None = None) -> None:
        from .classifiers.encoder import resolve_encoder

        if isinstance(detectors, str):
            raise TypeError("'detectors' must be a list of detector names, not a single str.")
        asked = available_detectors() if detectors is None else list(detectors)
        names, added = with_requirements(asked)
        #: Detectors run because an asked-for one requires them (``Detector.requires``), e.g. ``["boilerplate",
        #: "quote"]`` for ``detectors=["media_bias"]``; their spans and scores are part of the output.
        self.added: list[str] = added
        if batch_size < 1:
            raise ValueError(f"The 'batch_size' parameter of Analyzer must be >= 1. Got {batch_size!r} instead.")
        classes = [get_detector(n) for n in names]
        self.detectors: list[Detector] = [c() for c in sorted(classes, key=lambda c: (c.needs_encoder, c.order))]
        self.batch_size = batch_size
        #: The encoder precision, "fp32" or "int8" (``RHETORICA_ENCODER`` when not given).
        needs = any(d.needs_encoder for d in self.detectors)
        self.encoder_name: str = resolve_encoder(encoder, quiet=not needs)
        if self.encoder_name == "int8" and needs:
            from .classifiers.encoder import check_int8_available

            check_int8_available()  # a missing ONNX Runtime fails here, not at the first text
        #: Seconds spent per stage ("segment", "encode", each detector name) since construction.
        self.timings: dict[str, float] = defaultdict(float)

    @property
    def encoder(self):
        """The shared :class:`~rhetorica.classifiers.encoder.Encoder` this analyzer uses (loaded on first encode).

        ``analyzer.encoder.cache_info()`` reports the sentence cache's hits and misses.
        """
        from .classifiers.encoder import get_encoder

        return get_encoder(self.encoder_name)

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
        for d in docs:
            d.encoder_name = self.encoder_name
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

    def _encode(self, docs: list[Doc], progress: bool) -> None:
        from .classifiers.encoder import DIM

        texts: list[str] = []
        where: list[tuple[int, int]] = []
        for k, doc in enumerate(docs):
            doc.embeddings = np.zeros((len(doc.sentences), DIM), dtype=np.float32)
            for i in doc.content_sentences():
                texts.append(doc.sentence_text(i))
                where.append((k, i))
        if not texts:
            return
        readers = [d for d in self.detectors if d.needs_tokens]
        if not readers:
            emb = self.encoder.encode(texts, show_progress=progress)
            for (k, i), row in zip(where, emb):
                docs[k].embeddings[i] = row
            return
        # A sentence every reader can serve from what it kept of an identical sentence needs no word-piece states:
        # it goes through the plain pass, whose sentence cache it may hit.
        need = np.zeros(len(texts), dtype=bool)
        by_doc_all: dict[int, list[int]] = {}
        for j, (k, i) in enumerate(where):
            by_doc_all.setdefault(k, []).append(j)
        for det in readers:
            for k, js in by_doc_all.items():
                served = det.tokens_cached(docs[k], [where[j][1] for j in js])
                need[js] |= ~np.asarray(served, dtype=bool)
        plain = np.flatnonzero(~need)
        if len(plain):
            emb = self.encoder.encode([texts[j] for j in plain], show_progress=progress)
            for j, row in zip(plain, emb):
                k, i = where[j]
                docs[k].embeddings[i] = row
        todo = np.flatnonzero(need)
        texts = [texts[j] for j in todo]
        where = [where[j] for j in todo]
        # Word-piece states are large (about 45 KB a sentence): they go to the detectors that read them one chunk of
        # sentences at a time and are dropped, so memory stays bounded however long a text is.
        for c0 in range(0, len(texts), TOKEN_CHUNK):
            emb, states = self.encoder.encode_with_tokens(texts[c0:c0 + TOKEN_CHUNK], show_progress=progress)
            part = where[c0:c0 + TOKEN_CHUNK]
            by_doc: dict[int, tuple[list[int], list]] = {}
            for (k, i), row, st in zip(part, emb, states):
                docs[k].embeddings[i] = row
                rows, sts = by_doc.setdefault(k, ([], []))
                rows.append(i)
                sts.append(st)
            for det in readers:
                det.read_tokens_batch([(docs[k], rows, sts) for k, (rows, sts) in by_doc.items()])


def paragraph_states(texts: Sequence[str], encoder: str | None = None, chunk: int = TOKEN_CHUNK):
    """For each text, analysed as one paragraph the way the ``persuasion`` detector sees it (segmentation, page
    furniture and the quote rules, then the encoder pass): ``(vectors, states, state_vectors, flags)``: the vectors
    of its content sentences, and for those with word pieces their states, vectors and per-piece flags (inside a
    rule quote span, inside quotation marks), as the token readers get them.  A generator, in the order of
    ``texts``; the sentences of several texts share one encoder call of at most about ``chunk`` sentences, so
    word-piece states are never all held at once."""
    from .classifiers.encoder import DIM, get_encoder, resolve_encoder
    from .detectors.token_reader import interval_mask, piece_flags, quote_mark_mask

    an = Analyzer(detectors=["boilerplate", "quote"])
    enc = get_encoder(resolve_encoder(encoder, quiet=True))
    texts = list(texts)

    def prepared(text: str, analysis) -> tuple:
        doc = Doc(text)
        doc.spans.extend(analysis.spans)
        doc.invalidate()
        rules = interval_mask(len(text), [(s.start, s.end) for s in analysis.spans_of("quote")])
        return doc, doc.content_sentences(), rules, quote_mark_mask(text)

    def finish(item, vecs, states) -> tuple:
        doc, idx, rule_m, marks = item
        kept_states, kept_flags, kept_vecs = [], [], []
        for i, v, ts in zip(idx, vecs, states):
            if ts is None or not len(ts.offsets):
                continue
            offs = ts.offsets.astype(np.int64) + doc.sentences[i].start
            kept_states.append(ts.states)
            kept_flags.append(np.stack([piece_flags(offs, rule_m), piece_flags(offs, marks)], axis=1))
            kept_vecs.append(v)
        return (np.asarray(vecs, dtype=np.float32).reshape(-1, DIM), kept_states,
                np.asarray(kept_vecs, dtype=np.float32).reshape(-1, DIM), kept_flags)

    group: list = []
    n_sent = 0
    for text, analysis in zip(texts, an.pipe(texts)):
        group.append(prepared(text, analysis))
        n_sent += len(group[-1][1])
        if n_sent >= chunk:
            yield from _encode_group(enc, group, finish)
            group, n_sent = [], 0
    yield from _encode_group(enc, group, finish)


def _encode_group(enc, group: list, finish):
    """Encode the content sentences of a group of prepared paragraphs in one call; hand each paragraph its share."""
    from .classifiers.encoder import DIM

    sents = [item[0].sentence_text(i) for item in group for i in item[1]]
    vecs, states = enc.encode_with_tokens(sents) if sents else (np.zeros((0, DIM), np.float32), [])
    pos = 0
    for item in group:
        n = len(item[1])
        yield finish(item, vecs[pos:pos + n], states[pos:pos + n])
        pos += n


def technique_units(texts: Sequence[str]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per text: its content sentences' vectors and the shipped technique tagger's pooled probabilities
    (:func:`rhetorica.classifiers.feats_frames.pool_technique_probs`); how ``predict_proba`` of a head that reads
    the ``technique_tagger`` feature sees raw paragraphs."""
    from .classifiers.feats_frames import pool_technique_probs
    from .detectors.techniques import shipped_tagger

    tagger = shipped_tagger()
    groups, pooled = [], []
    for vecs, states, state_vecs, flags in paragraph_states(texts):
        groups.append(vecs)
        pooled.append(pool_technique_probs(tagger.runner.proba(states, state_vecs, flags) if states else []))
    return groups, pooled
