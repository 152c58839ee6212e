"""Tokenisation in one place: the word pattern, the syntactic tokenizer, and the n-gram hasher.

* :data:`WORD` is the one word pattern: every feature that counts or looks up words (sentence cues, hashed
  n-grams, lexicon terms, the history gazetteer's word index, frame and persuasion cues, propaganda span
  boundaries) reads words with it.
* :data:`TOKEN` is the tokenizer of the rule-based quote detector: it keeps punctuation as tokens and
  abbreviations ("Sen.", "U.S.") and numbers ("3.5", "10,000") whole, because quote rules read clause structure.
* :func:`hash_ngrams` is the one n-gram hasher (CRC-32 into a fixed width, L2-normalised counts), used by the
  sentence heads' ``word_hash`` and the propaganda span features; no vocabulary is stored.

The trained heads read features counted with these, so changing either pattern or the hasher means
retraining the heads that read them (every head except ``rhetorical_question``).

Not tokenisation, and so kept where they are used: the segmenter's look at the abbreviation before a '.'
(``text/segment.py``) and the cue lexicons' own phrase patterns (hedges, comparison constructions, ...).
"""
from __future__ import annotations

import math
import re
import zlib
from typing import Iterable

import numpy as np

#: A word: letters and digits (any script) with inner apostrophes and hyphens ("don't", "far-left",
#: "COVID-19", "O’Brien", "café"); never starts or ends with punctuation, and is maximal (never a fragment
#: of a longer word).
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

#: The quote detector's tokens: numbers with separators, title abbreviations, initialisms, a lone initial
#: between names, words (inner dots and a possessive kept), and any other non-space character.
TOKEN = re.compile(
    r"\d+(?:[.,:]\d+)+|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gen|Gov|Lt|Col|Sgt|Capt|Prof|Pres|Adm|Maj|Rev|St|Jr|Sr)\.|"
    r"(?:[A-Z]\.){2,}|(?<=[a-z] )[A-Z]\.(?= [A-Z])|[^\W_](?:[\w’'\-.]*[^\W_])?(?:[’']s)?|[^\w\s]")


def words(text: str, lower: bool = False) -> list[str]:
    """The :data:`WORD` words of ``text`` (lower-cased when ``lower``)."""
    return WORD.findall(text.lower() if lower else text)


def word_ngrams(tokens: list[str], n_max: int = 2) -> list[str]:
    """Word 1- to ``n_max``-grams of a token list, space-joined, in order (repeats kept)."""
    out = list(tokens)
    for n in range(2, n_max + 1):
        out += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return out


def char_ngrams(text: str, n_min: int = 2, n_max: int = 4) -> list[str]:
    """Character n-grams inside each whitespace-separated chunk of ``text`` (punctuation kept: "lunatics!"),
    padded with a space on both sides so prefixes and suffixes are marked (" un", "ed "), as scikit-learn's
    ``char_wb`` analyzer does."""
    out = []
    for t in text.split():
        padded = f" {t} "
        for n in range(n_min, n_max + 1):
            out += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return out


def hash_ngrams(grams: Iterable[str], dim: int) -> np.ndarray:
    """Counts of ``grams`` hashed (CRC-32 of the UTF-8 bytes, modulo ``dim``) into a float32 vector of width
    ``dim``, L2-normalised (all zeros when there are no grams)."""
    row = np.zeros(dim, dtype=np.float32)
    for g in grams:
        row[zlib.crc32(g.encode("utf-8", "surrogatepass")) % dim] += 1.0
    norm = math.sqrt(float(np.dot(row, row)))
    if norm:
        row /= norm
    return row
