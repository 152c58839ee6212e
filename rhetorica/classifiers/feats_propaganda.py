"""Feature builders for the propaganda heads: cheap lexical views of a span's own text.

Inside ``analyze()`` the encoder embeds sentences only, so a located span is described
by its words (here) plus the embedding of its sentence (``embedding``).  Every
builder is deterministic and needs no stored vocabulary: n-grams are hashed.
"""
from __future__ import annotations

import re

import numpy as np

from .features import FeatureInput, register_feature
from ..text.words import WORD as _WORD_RE, char_ngrams, hash_ngrams, word_ngrams

#: Hashed word 1-2-gram columns and character 2-4-gram columns (2**11 + 2**12): large enough that
#: collisions cost nothing measurable on PTC validation, small enough for a 14-class linear head.
WORD_DIM = 2 ** 11
CHAR_DIM = 2 ** 12
NGRAM_DIM = WORD_DIM + CHAR_DIM
#: Number of columns of ``propaganda_span_shape``.
SHAPE_DIM = 8


@register_feature("propaganda_span_ngrams")
def span_ngrams(inp: FeatureInput) -> np.ndarray:
    """Hashed word 1-2-grams and character 2-4-grams (within whitespace chunks) of each lower-cased text, each block
    L2-normalised (:func:`rhetorica.text.words.hash_ngrams`)."""
    out = np.zeros((len(inp), NGRAM_DIM), dtype=np.float32)
    for k, t in enumerate(inp.texts):
        low = str(t).lower()
        out[k, :WORD_DIM] = hash_ngrams(word_ngrams(_WORD_RE.findall(low), 2), WORD_DIM)
        out[k, WORD_DIM:] = hash_ngrams(char_ngrams(low, 2, 4), CHAR_DIM)
    return out


@register_feature("propaganda_span_shape")
def span_shape(inp: FeatureInput) -> np.ndarray:
    """Length and punctuation cues of each text (see :data:`SHAPE_DIM`)."""
    out = np.zeros((len(inp), SHAPE_DIM), dtype=np.float32)
    for k, t in enumerate(inp.texts):
        t = str(t)
        words = _WORD_RE.findall(t)
        letters = [ch for ch in t if ch.isalpha()]
        out[k] = (
            np.log1p(len(words)),
            np.log1p(len(t)),
            sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0,
            float("!" in t),
            float("?" in t),
            float(any(q in t for q in "\"“”")),
            float(len(words) >= 6 and t.rstrip()[-1:] in ".!?\"”"),  # reads as a whole sentence
            float(bool(words) and all(w[:1].isupper() for w in words)),  # Title Case / slogan-like
        )
    return out


# ------------------------------------------------------------------------------------------------
# loaded-language candidates: words of a sentence that a lexicon knows, described by term statistics
# ------------------------------------------------------------------------------------------------
#: A candidate word: letters, inner hyphens/apostrophes ("so-called", "Trump's").
#: Per-term fields stored in ``models/loaded_language/lexicon.json`` (one list of numbers per term).
TERM_FIELDS = (
    "n_occ",        # occurrences in the PTC training articles
    "n_ll",         # ... of which inside a gold Loaded_Language span
    "n_nc",         # ... inside a gold Name_Calling,Labeling span
    "n_any",        # ... inside any gold technique span
    "babe_lexicon",  # in BABE's bias-word lexicon (0/1)
    "babe_words",   # times annotated as a biased word in BABE (SG1, SG2, MBIC)
    "basil_lex",    # times inside a BASIL lexical-bias span
    "strong_subj",  # Riloff & Wiebe strong subjective clue (0/1)
    "weak_subj",    # ... weak subjective clue (0/1)
    "liu_negative",  # Liu (2005) opinion lexicon, negative (0/1)
    "liu_positive",  # ... positive (0/1)
    "npov",         # Recasens et al. (2013) NPOV bias lexicon (0/1)
    "vader",        # VADER mean valence (-4..4, 0 if absent)
    "afinn",        # AFINN-165 valence (-5..5, 0 if absent)
)
_F = {name: k for k, name in enumerate(TERM_FIELDS)}
#: Additive smoothing of the in-span rates: a term seen n times gets (k + PRIOR_N * prior) / (n + PRIOR_N);
#: 5 pseudo-occurrences keep a once-seen word from looking certain.
PRIOR_N = 5.0
#: Columns of :func:`term_features`.
TERM_FEATURE_NAMES = (
    "log_occ", "log_ll", "log_nc", "rate_ll", "rate_nc", "rate_llnc", "rate_any", "seen_in_ptc",
    "babe_lexicon", "log_babe_words", "log_basil_lex", "strong_subj", "weak_subj", "liu_negative",
    "liu_positive", "npov", "vader", "abs_vader", "afinn", "n_sources", "capitalised", "all_caps",
    "hyphenated", "log_chars",
)


def normalise_term(word: str) -> str:
    """Lookup key of a word: lower case, curly apostrophes straightened, possessive 's dropped."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.strip("'")


def term_features(words, stats, priors) -> np.ndarray:
    """Features of candidate words (surface forms) from their term statistics.

    Parameters
    ----------
    words : sequence of str
        The words as they appear in the text.
    stats : sequence of sequence of float
        One row of :data:`TERM_FIELDS` values per word (zeros for an unknown word).
    priors : mapping
        ``rate_ll``, ``rate_nc``, ``rate_any``: the corpus-wide in-span rates used as smoothing priors.
    """
    S = np.asarray(stats, dtype=np.float64).reshape(len(words), len(TERM_FIELDS))
    n = S[:, _F["n_occ"]]

    def rate(k, prior):
        return (k + PRIOR_N * prior) / (n + PRIOR_N)

    ll, nc, anyt = S[:, _F["n_ll"]], S[:, _F["n_nc"]], S[:, _F["n_any"]]
    ext = S[:, [_F[f] for f in ("babe_lexicon", "strong_subj", "weak_subj", "liu_negative", "liu_positive", "npov")]]
    n_sources = ext.sum(axis=1) + (S[:, _F["babe_words"]] > 0) + (S[:, _F["basil_lex"]] > 0) + \
        (S[:, _F["vader"]] != 0) + (S[:, _F["afinn"]] != 0)
    shape = np.array([[float(w[:1].isupper()), float(len(w) > 1 and w.isupper()), float("-" in w),
                       np.log1p(len(w))] for w in words], dtype=np.float64).reshape(len(words), 4)
    out = np.column_stack([
        np.log1p(n), np.log1p(ll), np.log1p(nc),
        rate(ll, priors["rate_ll"]), rate(nc, priors["rate_nc"]),
        rate(ll + nc, priors["rate_ll"] + priors["rate_nc"]), rate(anyt, priors["rate_any"]),
        (n > 0).astype(float),
        S[:, _F["babe_lexicon"]], np.log1p(S[:, _F["babe_words"]]), np.log1p(S[:, _F["basil_lex"]]),
        S[:, _F["strong_subj"]], S[:, _F["weak_subj"]], S[:, _F["liu_negative"]], S[:, _F["liu_positive"]],
        S[:, _F["npov"]], S[:, _F["vader"]], np.abs(S[:, _F["vader"]]), S[:, _F["afinn"]], n_sources,
        shape,
    ])
    return out.astype(np.float32)


def candidate_words(sentence: str, is_candidate) -> list[tuple[int, int, str]]:
    """``(start, end, key)`` of the words of ``sentence`` whose key passes ``is_candidate``."""
    out = []
    for m in _WORD_RE.finditer(sentence):
        key = normalise_term(m.group())
        if len(key) > 1 and is_candidate(key):
            out.append((m.start(), m.end(), key))
    return out


#: Selected words separated by no more than this (spaces, a hyphen, a comma-free gap) merge into one span.
_JOIN_RE = re.compile(r"[\s-]{0,3}")


def merge_words(text: str, words: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Merge selected words that touch (only spaces or a hyphen between them) into phrases.

    ``words`` are ``(start, end, probability)`` sorted by start; a phrase keeps the highest probability.
    """
    out: list[list] = []
    for s, e, p in words:
        if out and _JOIN_RE.fullmatch(text[out[-1][1]:s]):
            out[-1][1] = e
            out[-1][2] = max(out[-1][2], p)
        else:
            out.append([s, e, p])
    return [(s, e, p) for s, e, p in out]


class Lexicon:
    """The loaded-language lexicon shipped in ``models/<name>/lexicon.json`` (checksum-verified)."""

    def __init__(self, terms: dict, priors: dict, min_candidate: dict) -> None:
        self.terms = terms
        self.priors = priors
        self.min_candidate = min_candidate

    @classmethod
    def load(cls, name: str = "loaded_language") -> "Lexicon":
        import json

        from .heads import models_dir, verify

        data = json.loads(verify(models_dir(), f"{name}/lexicon.json").read_text(encoding="utf-8"))
        if tuple(data["fields"]) != TERM_FIELDS:
            raise ValueError(f"{name}/lexicon.json has fields {data['fields']}; this rhetorica expects {TERM_FIELDS}.")
        return cls(data["terms"], data["priors"], data["min_candidate"])

    def is_candidate(self, key: str) -> bool:
        return key in self.terms

    def stats(self, keys) -> list:
        zero = [0.0] * len(TERM_FIELDS)
        return [self.terms.get(k, zero) for k in keys]


_LEXICON: "Lexicon | None" = None


def shipped_lexicon() -> Lexicon:
    global _LEXICON
    if _LEXICON is None:
        _LEXICON = Lexicon.load()
    return _LEXICON


@register_feature("loaded_language_term")
def loaded_language_term(inp: FeatureInput) -> np.ndarray:
    """Term statistics of each text taken as one candidate; for a phrase, its lexicon word with the
    highest in-span count (the first word when none is in the lexicon)."""
    lex = shipped_lexicon()
    words, keys = [], []
    for t in inp.texts:
        found = [m.group() for m in _WORD_RE.finditer(str(t))] or [""]
        known = [w for w in found if lex.is_candidate(normalise_term(w))]
        w = max(known, key=lambda w: (lambda r: r[_F["n_ll"]] + r[_F["n_nc"]])(lex.terms[normalise_term(w)])) \
            if known else found[0]
        words.append(w)
        keys.append(normalise_term(w))
    return term_features(words, lex.stats(keys), lex.priors)
