"""Readers for the sentence-label corpora (BABE, NewsSD-ENG, CheckThat! 2025 English, Wikipedia weasel).

Each reader returns a :class:`Corpus`: cleaned sentence texts, integer labels
(indices into the model's label list, positive class first), and a group id per
sentence (the article URL where the corpus has one, otherwise the normalised
text, so that exact duplicates never straddle a split).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass

import numpy as np

from .common import data_dir


@dataclass
class Corpus:
    """Sentences with labels and groups (row-aligned)."""

    texts: list[str]
    y: np.ndarray
    groups: list[str]

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, mask: np.ndarray) -> "Corpus":
        idx = np.flatnonzero(mask)
        return Corpus([self.texts[i] for i in idx], self.y[idx], [self.groups[i] for i in idx])

    def __add__(self, other: "Corpus") -> "Corpus":
        return Corpus(self.texts + other.texts, np.concatenate([self.y, other.y]), self.groups + other.groups)


_PTB = [("-LRB-", "("), ("-RRB-", ")"), ("-LSB-", "["), ("-RSB-", "]"), ("-LCB-", "{"), ("-RCB-", "}"),
        ("``", '"'), ("''", '"')]


def clean(text: str) -> str:
    """Undo Penn-Treebank escapes and collapse whitespace, so training text looks like running news text."""
    for a, b in _PTB:
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip()


def _norm_key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def babe_sg2() -> Corpus:
    """BABE SG2 (the 80% public part): label 0 = biased, 1 = non-biased; group = article URL.

    The one "No agreement" row is dropped.
    """
    path = data_dir() / "bias" / "babe" / "final_labels_SG2_train.csv"
    texts, y, groups = [], [], []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            lab = row["label_bias"].strip()
            if lab not in ("Biased", "Non-biased"):
                continue
            texts.append(clean(row["text"]))
            y.append(0 if lab == "Biased" else 1)
            groups.append(row["news_link"].strip() or _norm_key(row["text"]))
    return Corpus(texts, np.array(y), groups)


def newssd(split: str) -> Corpus:
    """NewsSD-ENG ``train`` or ``val``: label 0 = subjective (SUBJ), 1 = objective (OBJ)."""
    path = data_dir() / "subjectivity" / "newssd_eng" / f"{split}.csv"
    texts, y = [], []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.append(clean(row["Sentence"]))
            y.append(0 if row["Label"].strip() == "SUBJ" else 1)
    return Corpus(texts, np.array(y), [_norm_key(t) for t in texts])


def checkthat(split: str) -> Corpus:
    """CheckThat! 2025 Task 1 English ``train`` / ``dev`` / ``dev_test``: 0 = SUBJ, 1 = OBJ."""
    path = data_dir() / "subjectivity" / "checkthat2025_en" / f"{split}_en.tsv"
    texts, y = [], []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            texts.append(clean(row["sentence"]))
            y.append(0 if row["label"].strip() == "SUBJ" else 1)
    return Corpus(texts, np.array(y), [_norm_key(t) for t in texts])


def wiki_weasel() -> Corpus:
    """CoNLL-2010 Wikipedia weasel sentences: label 0 = uncertain (file label 1), 1 = certain (file label 0)."""
    path = data_dir() / "hedging" / "wiki_weasel" / "train.csv"
    texts, y = [], []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            t = clean(row["text"])
            if not t:
                continue
            texts.append(t)
            y.append(0 if row["label"].strip() == "1" else 1)
    return Corpus(texts, np.array(y), [_norm_key(t) for t in texts])
