"""Cheap surface cues for the sentence-label heads (media_bias, subjectivity, hedging).

``sentence_cues`` adds a few counts that a mean-pooled sentence embedding blurs:
hedge and weasel-attribution cues, intensifiers, first/second person, opinion
punctuation, numbers and quotation.  The word lists are short, written for
rhetorica (not copied from a lexicon), and matched with one regex each, so the
feature costs microseconds per sentence and never runs the encoder.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

from .features import FeatureInput, register_feature
from ..text.words import WORD as _WORD_RE, hash_ngrams, word_ngrams, words as _words_of


def _words(*alternatives: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


#: Epistemic hedges: modal verbs, adverbs and verbs of appearance that weaken a claim.
HEDGE_RE = _words(
    r"may", r"might", r"could", r"perhaps", r"possibly", r"probably", r"likely", r"unlikely", r"apparently",
    r"seemingly", r"seems?", r"seemed", r"appears?", r"appeared", r"suggests?", r"suggested", r"arguably",
    r"presumably", r"supposedly", r"allegedly", r"reportedly", r"purportedly", r"somewhat", r"roughly",
    r"approximately", r"around", r"about", r"possible", r"perhaps", r"generally", r"usually", r"often",
    r"sometimes", r"tends?", r"believed?", r"thought", r"considered", r"regarded", r"estimated",
)
#: Weasel attribution: claims credited to an unnamed crowd or to nobody ("some say", "it is believed").
WEASEL_RE = re.compile(
    r"\b(?:(?:some|many|most|several|few|various|numerous|certain|other)\s+(?:\w+\s+)?"
    r"(?:people|critics|observers|experts|scholars|historians|commentators|analysts|sources|fans|believe|say|"
    r"argue|claim|suggest|think|feel|consider|contend|note)"
    r"|it\s+(?:is|was|has\s+been|had\s+been)\s+(?:\w+\s+)?(?:said|believed|claimed|thought|argued|suggested|"
    r"reported|rumou?red|considered|alleged|speculated|estimated|noted)"
    r"|(?:widely|generally|commonly|often|sometimes)\s+(?:\w+\s+)?(?:regarded|considered|believed|thought|seen|"
    r"described|cited|said|called|known)"
    r"|(?:is|are|was|were)\s+(?:said|believed|thought|rumou?red|claimed|alleged)\s+to"
    r"|(?:according\s+to\s+some|some\s+have|has\s+been\s+called|is\s+called|critics)"
    r")\b",
    re.IGNORECASE,
)
#: Intensifiers, absolutes and evaluative adverbs that mark an opinion.
INTENSIFIER_RE = _words(
    r"very", r"extremely", r"utterly", r"totally", r"completely", r"absolutely", r"truly", r"really",
    r"incredibly", r"deeply", r"highly", r"so", r"too", r"always", r"never", r"everyone", r"nobody",
    r"entirely", r"clearly", r"obviously", r"surely", r"undoubtedly", r"certainly", r"simply", r"just",
    r"even", r"only", r"most", r"best", r"worst", r"greatest", r"huge", r"massive", r"outrageous",
    r"shocking", r"disgraceful", r"insane", r"radical", r"extreme", r"terrible", r"horrible", r"disastrous",
    r"ridiculous", r"absurd", r"stupid", r"evil", r"corrupt", r"dangerous", r"destroy\w*", r"slam\w*",
    r"blast\w*", r"lie", r"lies", r"lied", r"liar\w*", r"scheme\w*", r"hoax", r"regime", r"thugs?",
)
#: Words of the writer addressing or including the reader.
PERSON_RE = _words(r"I", r"me", r"my", r"mine", r"we", r"us", r"our", r"ours", r"you", r"your", r"yours")
#: "should"-type deontic modals: the writer telling the world what ought to happen.
DEONTIC_RE = _words(r"should", r"must", r"ought", r"need\s+to", r"needs\s+to", r"have\s+to", r"has\s+to")
_NUMBER_RE = re.compile(r"\d")
_QUOTE_RE = re.compile(r"[\"“”«»]")

#: The columns of ``sentence_cues`` in order (model.json stores them as a check).
CUE_NAMES = ("hedges", "weasel", "intensifiers", "person", "deontic", "exclaim", "question", "numbers",
             "quotes", "log_words")


#: Sentences whose cue counts are remembered: the media_bias, subjectivity and hedging heads all read
#: ``sentence_cues`` of the same sentences, so each is counted once instead of three times (about 1 KB an entry).
CUE_CACHE_SIZE = 8192


@lru_cache(maxsize=CUE_CACHE_SIZE)
def cue_counts(text: str) -> tuple[float, ...]:
    """The :data:`CUE_NAMES` values of one sentence (counts, capped at 3, plus log word count)."""
    n_words = len(_WORD_RE.findall(text))
    counts = [
        len(HEDGE_RE.findall(text)), len(WEASEL_RE.findall(text)), len(INTENSIFIER_RE.findall(text)),
        len(PERSON_RE.findall(text)), len(DEONTIC_RE.findall(text)), text.count("!"), text.count("?"),
        len(_NUMBER_RE.findall(text)), len(_QUOTE_RE.findall(text)),
    ]
    return tuple(float(min(c, 3)) for c in counts) + (math.log1p(n_words),)


@register_feature("sentence_cues")
def sentence_cues(inp: FeatureInput) -> np.ndarray:
    """Surface-cue counts per sentence, shape ``(n, len(CUE_NAMES))``."""
    return np.array([cue_counts(t) for t in inp.texts], dtype=np.float32).reshape(len(inp), len(CUE_NAMES))


#: Width of the hashed word n-gram feature (2**14: few collisions among the n-grams a head can use).
HASH_DIM = 2 ** 14


def hashed_ngrams(text: str) -> np.ndarray:
    """Word uni- and bigram counts of the lower-cased sentence, hashed into :data:`HASH_DIM` columns and
    L2-normalised, so long sentences do not dominate (:func:`rhetorica.text.words.hash_ngrams`)."""
    return hash_ngrams(word_ngrams(_words_of(text, lower=True), 2), HASH_DIM)


@register_feature("word_hash")
def word_hash(inp: FeatureInput) -> np.ndarray:
    """Hashed word uni/bigrams per sentence, shape ``(n, HASH_DIM)``: lexical cues (weasel phrases such as
    "some believe", "is considered") that a mean-pooled embedding blurs.  Deterministic, no vocabulary
    file: the head's weights are the only learned part."""
    out = np.zeros((len(inp), HASH_DIM), dtype=np.float32)
    for i, t in enumerate(inp.texts):
        out[i] = hashed_ngrams(t)
    return out
