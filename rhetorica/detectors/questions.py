"""Rhetorical questions: questions asked for effect rather than for an answer.

Every '?' in an article sentence marks a question.  The span is the question
itself, from the start of its clause to the '?' (a lead-in such as "You might be
wondering:" or "an intriguing question—" is left out, and a question inside
quotation marks starts after the opening mark).  Each question is classified by
the shipped ``rhetorical_question`` head (see its ``MODEL_CARD.md``) from the
shared encoder's vectors of its sentence and the neighbouring sentences, plus
lexical cues.  The head gives five probabilities (rhetorical, hypophora, open,
genuine, not_question); their *device* share P(rhetorical) + P(hypophora) +
P(open) at or above the model's threshold makes a ``rhetorical_question`` span,
otherwise a ``question`` span.  A '?' the head reads as no question at all
(``not_question`` most probable: a film title, a URL) gives no span.

Every question of a sentence shares that sentence's probabilities: the head
reads sentences, as it was trained.

The kind of a device
--------------------
A device's ``kind`` is the most probable of rhetorical / hypophora / open, with
one rule on top of the head: a *hypophora* is a question its own voice answers
right away, in the same sentence after the '?' or in the next sentence, so
``hypophora`` is only allowed when an answer can follow: the rest of the
sentence after the '?' holds words and no further question, or the next
article sentence is in the same paragraph and holds no '?'.  Otherwise the
hypophora probability goes to rhetorical and open in proportion to theirs (so
the kind is the more probable of the two).  Measured with the head's
out-of-fold predictions on the train split of ``questions/annotated_news``
(5 article-grouped folds, shipped settings; the 1,183 device questions; that
data has no paragraph breaks, so there an empty next sentence or one holding a
'?' counts as no answer), the rule changes 17 kinds (3 right before, 10 after):
3-way kind accuracy 0.642 -> 0.648 and macro-F1 0.596 -> 0.600 (article-bootstrap
95% interval of the gains [-0.001, 0.014] and [-0.002, 0.011]).  Applied
in-sample (the shipped head on its own training rows) it costs 0.003-0.004
(0.787 -> 0.784, 0.763 -> 0.759).  A margin rule (hypophora only if it beats
rhetorical and open by 0.05-0.3) was no better out-of-fold (macro-F1 at most
0.598) and needs a tuned number, so it is not used.  The rule changes neither
``score`` nor which questions are devices, and ``probs`` keeps the head's own
probabilities.
A question that ends a one-sentence paragraph and is answered at the start of
the next paragraph is therefore not called a hypophora (the train data cannot
say how often news writes so).
"""
from __future__ import annotations

import re

import numpy as np

from .._types import Span
from .base import Detector, register

#: The name of the shipped head (``models/rhetorical_question``).
MODEL_NAME = "rhetorical_question"
#: Head labels that make a question a rhetorical device (rhetorica's sense of "rhetorical question").
DEVICE_KINDS: tuple[str, ...] = ("rhetorical", "hypophora", "open")
#: Head labels of questions that are not a device.
OTHER_KINDS: tuple[str, ...] = ("genuine", "not_question")
#: Used only when a user-registered replacement model carries no threshold of its own.
DEFAULT_THRESHOLD = 0.5
#: Probabilities in ``Span.attrs["probs"]`` are rounded to this many decimals.
PROB_DECIMALS = 3

#: The end of a question: a run of '?' (possibly mixed with '!', as in "?!").
_QMARK_RE = re.compile(r"\?[?!]*")
#: Marks that open a clause a question can start after: a colon or semicolon, an exclamation.
_BREAK_RE = re.compile(r"[:;!]\s")
#: A dash used as a break ("an intriguing question—how can ...?"); paired dashes enclose an aside.
_DASH_RE = re.compile(r"[—―]|\s[–-]\s")
_OPEN_QUOTES = "“«„"
_CLOSE_QUOTES = "”»"
_STRIP = " \t\"'“”‘’«»„([-–—―:;,…"


@register
class RhetoricalQuestionDetector(Detector):
    """Finds questions and marks those used as a rhetorical device.

    Spans
    -----
    ``rhetorical_question``
        score = P(device); attrs ``kind`` (rhetorical / hypophora / open, the most
        probable; hypophora only where an answer can follow, see :func:`device_kind`), ``voice``
        ("quoted" when most of the question, its question mark included, lies inside a span of the ``quote``
        detector, including the content of indirect speech, else "editorial"; see :func:`question_voice`), ``speaker`` and
        ``quote_kind`` (of that quote when quoted, else ""; see
        :meth:`rhetorica.pipeline.Doc.speaker_of`) and ``probs`` (all five probabilities).
    ``question``
        A question that is not a device; score = P(device); attrs ``kind`` (genuine /
        not_question), ``voice``, ``speaker``, ``quote_kind``, ``probs``.

    Scores
    ------
    ``question_count``, ``rhetorical_question_count``, ``rhetorical_question_rate``
    (rhetorical questions per article sentence, NaN for a text with no article
    sentence), ``editorial_rhetorical_question_count`` (in the writer's own voice) and
    ``editorial_rhetorical_question_rate`` (those per editorial article sentence, NaN
    when there is none).
    """

    name = "rhetorical_question"
    labels = ("rhetorical_question", "question")
    score_names = ("question_count", "rhetorical_question_count", "rhetorical_question_rate",
                   "editorial_rhetorical_question_count", "editorial_rhetorical_question_rate")
    needs_encoder = True
    order = 50
    requires = ("boilerplate", "quote")

    def detect(self, doc) -> list[Span]:
        found: list[tuple[int, int, int]] = []  # (sentence index, start, end)
        for i in doc.content_sentences():
            s = doc.sentences[i]
            for start, end in question_spans(doc.text, s.start, s.end):
                found.append((i, start, end))
        if not found:
            return []
        sent_ids = sorted({i for i, _, _ in found})
        probs, labels, threshold = _classify(doc, sent_ids)
        row_of = {i: k for k, i in enumerate(sent_ids)}
        col = {lab: j for j, lab in enumerate(labels)}
        out: list[Span] = []
        for i, start, end in found:
            p = probs[row_of[i]]
            by_kind = {k: float(p[col[k]]) if k in col else 0.0 for k in DEVICE_KINDS + OTHER_KINDS}
            device = sum(by_kind[k] for k in DEVICE_KINDS)
            attrs = {**question_voice(doc, start, end),
                     "probs": {k: round(v, PROB_DECIMALS) for k, v in by_kind.items()}}
            if device >= threshold:
                kind = device_kind(by_kind, _answer_can_follow(doc, i, end))
                out.append(Span(start, end, "rhetorical_question", device, {"kind": kind, **attrs}))
                continue
            if max(by_kind, key=by_kind.__getitem__) == "not_question":
                continue
            kind = max(OTHER_KINDS, key=by_kind.__getitem__)
            out.append(Span(start, end, "question", device, {"kind": kind, **attrs}))
        return out

    def scores(self, doc, spans) -> dict[str, float]:
        rq = [s for s in spans if s.label == "rhetorical_question"]
        n_sent = len(doc.content_sentences())
        # the writer's sentences: those in the editorial voice, and those whose question the writer asks
        # (question_voice), so that a writer's question around attributed content counts on both sides of the rate
        n_editorial = len(set(doc.editorial_sentences()) |
                          {doc.sentence_at(s.start) for s in spans if s.attrs.get("voice") == "editorial"})
        n_rq_editorial = sum(s.attrs.get("voice") == "editorial" for s in rq)
        return {
            "question_count": float(len(spans)),
            "rhetorical_question_count": float(len(rq)),
            "rhetorical_question_rate": len(rq) / n_sent if n_sent else float("nan"),
            "editorial_rhetorical_question_count": float(n_rq_editorial),
            "editorial_rhetorical_question_rate": n_rq_editorial / n_editorial if n_editorial else float("nan"),
        }


def question_voice(doc, start: int, end: int) -> dict[str, str]:
    """Voice attrs of a question: :meth:`~rhetorica.pipeline.Doc.voice_attrs`, except that a question is the writer's
    when its question mark is outside every quote span. Whoever asks owns the question: in "Why does Mali view its
    partnership through such a lens?" or "Did Smith say that taxes will rise?" the attributed clause is inside the
    question, but the asking is the writer's; in '"Why should we pay?" the mayor asked' the question mark is quoted.
    """
    attrs = doc.voice_attrs(start, end)
    mark = doc.text.rfind("?", start, end)
    if attrs["voice"] == "quoted" and mark >= 0 and doc.voice(mark, mark + 1) == "editorial":
        return {"voice": "editorial", "speaker": "", "quote_kind": ""}
    return attrs


def device_kind(probs: dict[str, float], answer_can_follow: bool = True) -> str:
    """The kind of a device question: the most probable of :data:`DEVICE_KINDS`.

    ``hypophora`` (a question its own voice answers at once) needs an answer to
    follow; when none can (``answer_can_follow`` false), its probability is moved
    to rhetorical and open in proportion to theirs, which leaves the more probable
    of the two.  When both are zero there is nothing to move it to and the kind
    stays ``hypophora``.

    Examples
    --------
    >>> p = {"rhetorical": 0.1, "hypophora": 0.5, "open": 0.4}
    >>> device_kind(p), device_kind(p, answer_can_follow=False)
    ('hypophora', 'open')
    """
    kind = max(DEVICE_KINDS, key=lambda k: probs.get(k, 0.0))
    if kind == "hypophora" and not answer_can_follow:
        others = ("rhetorical", "open")
        if sum(probs.get(k, 0.0) for k in others) > 0.0:
            kind = max(others, key=lambda k: probs.get(k, 0.0))
    return kind


def _answer_can_follow(doc, i: int, q_end: int) -> bool:
    """Whether the question ending at ``q_end`` in sentence ``i`` can be answered right away.

    True when the rest of the sentence after the '?' holds words and no further
    question, or when the next article sentence is in the same paragraph and
    holds no '?'.
    """
    sent = doc.sentences[i]
    rest = doc.text[q_end:sent.end]
    if "?" not in rest and any(c.isalnum() for c in rest):
        return True
    nxt = doc.neighbours(i)[1]
    if nxt is None or doc.sentences[nxt].paragraph != sent.paragraph:
        return False
    return "?" not in doc.sentence_text(nxt)


def question_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each question in ``text[start:end]`` (one sentence), end after its '?'.

    A question runs from the start of its clause to its '?': the clause starts after
    the sentence start, an earlier question, a colon or semicolon, an unpaired dash,
    or the opening quotation mark or bracket of a quotation or aside still open at
    the '?'.  A quotation, bracket or pair of dashes closed before the '?'
    (``Is this "fake news"?``, ``Is this—as critics say—a scandal?``) stays part of
    the question.

    Examples
    --------
    >>> t = "You might be wondering: What exactly are these shared interests?"
    >>> [t[s:e] for s, e in question_spans(t)]
    ['What exactly are these shared interests?']
    >>> t = "“Why?” she asked. “Why now?”"
    >>> [t[s:e] for s, e in question_spans(t)]
    ['Why?', 'Why now?']
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    floor = start  # nothing before the previous question belongs to the next one
    for m in _QMARK_RE.finditer(text, start, end):
        q_end = m.end()
        clause = floor
        for b in _BREAK_RE.finditer(text, floor, m.start()):
            clause = max(clause, b.end())
        dashes = list(_DASH_RE.finditer(text, floor, m.start()))
        if len(dashes) % 2 == 1:
            clause = max(clause, dashes[-1].end())
        opened = _open_before(text, floor, m.start())
        if opened is not None:
            clause = max(clause, opened + 1)
        while clause < m.start() and text[clause] in _STRIP:
            clause += 1
        if clause < m.start():  # a bare '?' with nothing before it is no question
            out.append((clause, q_end))
        floor = q_end
    return out


def _open_before(text: str, start: int, pos: int) -> int | None:
    """Offset of the innermost quotation mark or bracket still open at ``pos`` (None if none is)."""
    stack: list[int] = []
    for k in range(start, pos):
        c = text[k]
        if c == "(":
            stack.append(k)
        elif c == ")":
            if stack and text[stack[-1]] == "(":
                stack.pop()
        elif c in _OPEN_QUOTES:
            stack.append(k)
        elif c in _CLOSE_QUOTES:
            if stack:
                stack.pop()
        elif c == '"':
            before = text[k - 1] if k > 0 else " "
            if before.isspace() or before in "([{—–-:;,/" or k == start:
                stack.append(k)
            elif stack:
                stack.pop()
        elif c == "‘":
            stack.append(k)
        elif c == "’" and stack and text[stack[-1]] == "‘":
            after = text[k + 1] if k + 1 < len(text) else " "
            if not after.isalpha():
                stack.pop()
    return stack[-1] if stack else None


def _classify(doc, sent_ids: list[int]) -> tuple[np.ndarray, list[str], float]:
    """Probabilities for the given sentences, the label order, and the device threshold.

    The shipped head reads the shared encoder pass (``doc.feature_input``); a
    user-registered replacement gets the sentence texts (``predict_proba``).
    """
    from ..classifiers import Classifier, load_classifier

    clf = load_classifier(MODEL_NAME)
    labels = list(clf.labels)
    if not set(labels) & set(DEVICE_KINDS):
        raise ValueError(
            f"The classifier registered as {MODEL_NAME!r} must have at least one of the labels "
            f"{list(DEVICE_KINDS)}; its labels are {labels}.")
    if isinstance(clf, Classifier):
        probs = clf.predict_features(doc.feature_input(sent_ids))
    else:
        probs = np.asarray(clf.predict_proba([doc.sentence_text(i) for i in sent_ids]), dtype=np.float64)
    threshold = float((getattr(clf, "thresholds", None) or {}).get(MODEL_NAME, DEFAULT_THRESHOLD))
    return probs, labels, threshold
