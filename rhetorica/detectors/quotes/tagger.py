"""The learned attribution tagger: cue / source / content tags per word piece, read from the token states of the
shared encoder pass, for the reported speech, beliefs and findings the quote rules miss.

The ``attribution`` detector (``AttributionDetector``) runs after the encoder pass, tags every content
sentence, and emits a ``quote`` span of kind ``indirect`` for each content run the rules left uncovered, with the
run's cue and source; speakers go through the same resolution and canonical naming as the rules' spans, so one
person keeps one name.  Trained by ``python -m rhetorica.training attribution`` (PolNeAR train).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..._types import Span
from ..base import register
from ..token_reader import TokenReader
from ...classifiers.token_head import runs, widen

#: The tags, in the head's output order.
TAGS = ("O", "CUE", "SOURCE", "CONTENT")
CUE, SOURCE, CONTENT = 1, 2, 3
#: Source runs that are only a relative pronoun name nobody by themselves: such a span keeps no speaker (except
#: "who", which names its antecedent when ``Decoding.relative`` is on).
_RELATIVE = frozenset({"who", "which", "that", "whom", "whose"})
#: A relative "who" in a source run.
#: Relative words whose antecedent is the speaker of a tagger source run ("Jane Doe, who"; "the package, which").
_RELATIVE_SOURCE = ("who", "which")
_RELATIVE_SOURCE_RE = re.compile(r"\b(?:%s)\b" % "|".join(_RELATIVE_SOURCE), re.IGNORECASE)
#: Model folder name under ``models/``.
MODEL = "attribution"


@dataclass
class Decoding:
    """How content runs become spans (chosen by cross-validation on PolNeAR train; see the model card), and how a
    span's source is read (chosen on the same articles' out-of-fold probabilities by citron's exact-source F1:
    ``python benchmarks/attribution_decoding.py``)."""

    content: float = 0.5  # P(CONTENT) for a word piece to join a content run
    cue: float = 0.3  # the sentence needs a word piece with P(CUE) at least this
    min_pieces: int = 3  # shortest content run kept
    gap: int = 1  # word pieces below the threshold a run may bridge
    source: float = 0.2  # P(SOURCE) for a word piece to join a source run (0: where SOURCE is the likeliest tag)
    source_gap: int = 0  # word pieces below that a source run may bridge
    relative: bool = True  # a source run with "who" in it names its antecedent, as the rules read one


# -- decoding ----------------------------------------------------------------------------------------------
def content_runs(text: str, offsets: np.ndarray, P: np.ndarray, d: Decoding) -> list[tuple[int, int, float]]:
    """Content spans ``(start, end, score)`` of one sentence from its word pieces' tag probabilities; the score
    is the run's mean P(CONTENT)."""
    if not len(P) or P[:, CUE].max() < d.cue:
        return []
    out = []
    for a, b in runs(P[:, CONTENT] >= d.content, d.gap):
        if b - a + 1 < d.min_pieces:
            continue
        s, e = widen(text, int(offsets[a][0]), int(offsets[b][1]))
        out.append((s, e, float(P[a:b + 1, CONTENT].mean())))
    return out


def tag_runs(text: str, offsets: np.ndarray, P: np.ndarray, tag: int, threshold: float = 0.0,
             gap: int = 0) -> list[tuple[int, int, float]]:
    """Spans of word pieces with P(``tag``) at least ``threshold`` (where ``tag`` is the likeliest tag when
    ``threshold`` is 0), bridging at most ``gap`` pieces, widened to whole words, with their mean probability."""
    out = []
    for a, b in runs(P.argmax(1) == tag if threshold <= 0 else P[:, tag] >= threshold, gap):
        s, e = widen(text, int(offsets[a][0]), int(offsets[b][1]))
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


#: Quotation marks: a source run that crosses one starts after the last (a name never contains a quotation mark).
_MARKS = "\"“”„«»"


def _strip_punct(text: str, span: tuple) -> tuple:
    """A source run without the commas, colons and spaces its edge pieces can bring ("Pope Francis," -> "Pope
    Francis") and without what comes before a quotation mark inside it ('benefits" package' -> "package");
    brackets stay."""
    s, e = span[0], span[1]
    last = max(text.rfind(m, s, e) for m in _MARKS)
    cut = last >= s
    if cut:
        s = last + 1
    while s < e and (text[s] in ",;:" or text[s].isspace()):
        s += 1
    while e > s and (text[e - 1] in ",;:" or text[e - 1].isspace()):
        e -= 1
    if e > s:
        return (s, e, *span[2:])
    return (s, s, *span[2:]) if cut else span  # nothing after the mark: the run names nobody


#: Words a source run can bring at its start ("and the Workforce subcommittee", ") office") or its end ("the Labor
#: Department could") that are part of no speaker's name, and words that name nobody when they are all that is left.
#: Kept narrow on purpose: in PolNeAR a lone possessive ("his", "Their") or determiner is an annotated source often
#: enough that dropping those lost more than it gained (scored out of fold on 300 train articles).
_LEADING_JUNK = frozenset({"and", "or", "but", "however", "also", "then", "so", ")", "]"})
_TRAILING_JUNK = frozenset({"could", "would", "should", "will", "may", "might", "can", "must", "has", "have", "had",
                            "is", "are", "was", "were", "be", "been", "not", "also", "still", "now", "(", "["})
_NOT_A_SPEAKER = frozenset({"there", "here", "however", "be", "been"})
_EDGE_TOKEN_RE = re.compile(r"[()\[\]]|[^\s()\[\]]+")


def _clean_source(text: str, src: tuple) -> tuple:
    """A source run without the words at its edges that no name has (:data:`_LEADING_JUNK`,
    :data:`_TRAILING_JUNK`) or their edge punctuation (:func:`_strip_punct`); an empty run when nothing is left or
    what is left is a lone :data:`_NOT_A_SPEAKER`."""
    src = _strip_punct(text, src)
    toks = [(m.start(), m.end()) for m in _EDGE_TOKEN_RE.finditer(text, src[0], src[1])]

    def word(t: tuple[int, int]) -> str:
        return text[t[0]:t[1]].strip(",;:").lower()

    while toks and (not word(toks[0]) or word(toks[0]) in _LEADING_JUNK):
        toks.pop(0)
    while toks and (not word(toks[-1]) or word(toks[-1]) in _TRAILING_JUNK):
        toks.pop()
    if not toks:
        return (src[0], src[0], *src[2:])
    s, e = toks[0][0], toks[-1][1]
    if len(toks) == 1 and text[s:e].strip(",;:").lower() in _NOT_A_SPEAKER:
        return (s, s, *src[2:])
    if text[s] == "(" and text[e - 1] == ")" and "(" not in text[s + 1:e - 1]:
        return (s, s, *src[2:])  # only a bracketed tag ("(D-Ky.)"): the name it belongs to is outside the run
    return _strip_punct(text, (s, e, *src[2:]))


def _relative_mention(text: str, sentence, src: tuple, ents):
    """The speaker of a source run with a relative "who" or "which" in it, as the rules read one: the mention is the
    relative word, the speaker its antecedent -- the words of the run before it ("Senator Tom Reed, who", "the
    package, which"), else the phrase before the run ("a Republican, who"); None when the run has no relative word
    or no antecedent is found."""
    from .speakers import _Mention, _phrase_mention, _speaker_left
    from .tokens import _tokens

    toks = _tokens(text, sentence.start, sentence.end)
    inside = [k for k, t in enumerate(toks) if src[0] <= t[0] and t[1] <= src[1]]
    k = next((k for k in inside if toks[k][2].lower() in _RELATIVE_SOURCE), None)
    if k is None:
        return None
    lead = [j for j in inside if j < k and toks[j][2] not in {",", "by", "By"}]
    if lead:
        ante = _phrase_mention(text, toks[lead[0]][0], toks[lead[-1]][1], ents)
    elif k > 0:
        ante = _speaker_left(text, toks, k - 1 if toks[k - 1][2] == "," else k, ents)
    else:
        ante = None
    if ante is None or not ante.resolved:
        return None
    return _Mention(toks[k][0], toks[k][1], toks[k][2], ante.resolved, ante.title, ante.person)


# -- the model ---------------------------------------------------------------------------------------------
class AttributionTagger:
    """The shipped tagger head (``models/attribution``), its fast forward pass and its decoding constants."""

    def __init__(self, root=None) -> None:
        from ...classifiers.heads import load_head
        from ...classifiers.token_head import token_runner

        self.head, self.meta = load_head(MODEL, root)
        self.decoding = Decoding(**self.meta["decoding"])
        self._runner = token_runner(self.head)

    def proba(self, states: list[np.ndarray], vectors: np.ndarray, flags: list[np.ndarray]) -> list[np.ndarray]:
        """Tag probabilities per sentence (see :meth:`TokenMLP.proba <rhetorica.classifiers.token_head.TokenMLP.proba>`;
        the sentence vector is read by the MLP head only)."""
        return self._runner.proba(states, vectors, flags)


@lru_cache(maxsize=1)
def shipped_tagger() -> AttributionTagger:
    return AttributionTagger()


def available() -> bool:
    """Is the attribution model shipped in the models folder?"""
    from ...classifiers.heads import models_dir

    return (models_dir() / MODEL / "model.json").exists()


@register
class AttributionDetector(TokenReader):
    """Reported speech, beliefs and findings the quote rules miss, from the learned tagger.

    Emits ``quote`` spans (kind ``indirect``, ``attrs["by"] == "tagger"``) only where no rule span overlaps,
    so the rules decide where they are sure; their ``speaker`` goes through the rules' resolution (pronouns,
    surnames to full names, descriptions).  ``quoted_share``, ``quote_count`` and every feature's ``voice``
    follow these spans.
    """

    name = "attribution"
    labels = ("quote",)
    score_names = ("tagged_quote_count",)
    order = 1  # before every detector that reads voice

    def piece_proba(self, states, vectors, flags) -> list[np.ndarray]:
        return shipped_tagger().proba(states, vectors, flags)

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
            d = tagger.decoding
            cues = tag_runs(text, offs, P, CUE)
            sources = tag_runs(text, offs, P, SOURCE, d.source, d.source_gap)
            for s, e, p in found:
                cue = _nearest(cues, s, e)
                src = _nearest(sources, *(cue[:2] if cue else (s, e)))
                if src is not None:
                    src = _clean_source(text, src)
                mention = None
                word = text[src[0]:src[1]] if src is not None else ""
                if d.relative and _RELATIVE_SOURCE_RE.search(word):
                    mention = _relative_mention(text, doc.sentences[i], src, ents)
                elif word and word.lower() not in _RELATIVE and any(ch.isalpha() for ch in word):  # not "7" (7-2)
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
