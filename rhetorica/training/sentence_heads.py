"""Shared protocol for the three binary sentence heads (media_bias, subjectivity, hedging).

1. Features: the shared encoder's sentence embedding, optionally with the
   ``sentence_cues`` surface counts (see :mod:`rhetorica.classifiers.feats_sentence`).
   No context features: none of the training corpora keeps the neighbouring sentences.
2. Tuning: 3-fold cross-validation *within the training portion*, folds grouped by
   article (or by normalised text where a corpus has no article id) and stratified.
   The configuration with the best out-of-fold macro-F1 at the 0.5 decision rule wins.
3. The winner's probabilities are Platt-scaled (slope and shift fitted on its out-of-fold
   predictions, folded into the last layer), the threshold is chosen on the scaled
   out-of-fold probabilities, and the winning configuration is refitted on the whole training portion and evaluated
   once on each held-out split, with bootstrap 95% CIs, calibration (Brier, ECE) and
   the baselines (majority class, TF-IDF + LR tuned by the same CV, a lexicon rule).
"""
from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..classifiers.features import FeatureInput, build_features
from ..classifiers.heads import Head, fit_linear_head
from ..text.words import WORD
from . import common
from .common import bootstrap_ci, data_dir, embed, macro_f1
from .sentence_data import Corpus

#: Folds of the tuning cross-validation (3, not 5: the training machine is 2 shared CPU cores).
N_FOLDS = 3
#: Candidate decision thresholds on P(positive), tuned on out-of-fold predictions.
THRESHOLD_GRID = np.round(np.arange(0.20, 0.801, 0.025), 3)
#: Candidate heads: logistic regression at several inverse regularisations (the features are
#: standardised, 384+ columns, a few thousand rows: strong regularisation is expected to win),
#: and a one-hidden-layer MLP.
LR_GRID = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.3)
MLP_GRID = ({"hidden": 64, "alpha": 1.0},)
#: Training epochs of the MLP (adam, batch 64); kept short so a fit costs seconds, not minutes.
MLP_EPOCHS = 60
FEATURE_SETS = (("embedding",), ("embedding", "sentence_cues"))
#: Bins of the expected calibration error.
ECE_BINS = 10


@dataclass
class TaskSpec:
    """What differs between the three heads."""

    name: str
    labels: tuple[str, str]  # positive class first
    lexicon_rule: Callable[[Sequence[str]], np.ndarray] | None = None
    lexicon_rule_name: str = ""
    group_ci: bool = False  # bootstrap whole articles (BABE) rather than sentences
    feature_sets: tuple[tuple[str, ...], ...] = FEATURE_SETS
    lexical: bool = False  # also try the hashed word n-gram head (HASH_GRID)


@dataclass
class Config:
    features: tuple[str, ...]
    kind: str  # "lr" or "mlp"
    params: dict = field(default_factory=dict)

    def describe(self) -> str:
        p = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.kind}({p}) on {'+'.join(self.features)}"


# -- features ---------------------------------------------------------------------------------------
_EMB: dict[str, np.ndarray] = {}


def preload(corpus: Corpus) -> None:
    """Embed a whole corpus once (disk-cached by :func:`~.common.embed`) and remember each text's row,
    so that any subset or union of corpora reuses the rows instead of re-encoding."""
    for t, row in zip(corpus.texts, embed(corpus.texts)):
        _EMB[t] = row


def embeddings(texts: Sequence[str]) -> np.ndarray:
    missing = sorted({t for t in texts if t not in _EMB})
    if missing:
        for t, row in zip(missing, embed(missing)):
            _EMB[t] = row
    return np.stack([_EMB[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def features(texts: Sequence[str], names: Sequence[str]) -> np.ndarray:
    """Training-time features: the shared-encoder embeddings, then the same builders as at run time."""
    texts = list(texts)
    return build_features(list(names), FeatureInput(texts=texts, embeddings=embeddings(texts)))


# -- heads ------------------------------------------------------------------------------------------
def fit(cfg: Config, X: np.ndarray, y: np.ndarray, labels: Sequence[str], seed: int) -> Head:
    """Fit one head (y: label indices, 0 = positive class)."""
    if cfg.kind == "lr":
        return fit_linear_head(X, y, labels, C=cfg.params["C"], seed=seed)
    if cfg.kind == "mlp":
        return _fit_mlp(X, y, labels, seed=seed, **cfg.params)
    if cfg.kind == "lr_hash":
        return _fit_lr_hash(X, y, labels, seed=seed, **cfg.params)
    raise ValueError(f"Unknown head kind {cfg.kind!r}; expected 'lr' or 'mlp'.")


def _fit_lr_hash(X, y, labels, *, C: float, dense_weight: float, seed: int) -> Head:
    """Logistic regression over dense features (standardised, then scaled by ``dense_weight``) and the
    trailing ``word_hash`` block (left as is, like TF-IDF columns), stored in the usual head format."""
    from sklearn.linear_model import LogisticRegression

    from ..classifiers.feats_sentence import HASH_DIM

    n_dense = X.shape[1] - HASH_DIM
    mean = np.zeros(X.shape[1], dtype=np.float64)
    scale = np.ones(X.shape[1], dtype=np.float64)
    mean[:n_dense] = X[:, :n_dense].mean(axis=0)
    scale[:n_dense] = (X[:, :n_dense].std(axis=0) + 1e-6) / dense_weight
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    clf.fit((X - mean) / scale, y)
    W = np.zeros((X.shape[1], len(labels)))
    b = np.zeros(len(labels))
    hi, lo = int(clf.classes_[1]), int(clf.classes_[0])
    W[:, hi], W[:, lo] = clf.coef_[0] / 2, -clf.coef_[0] / 2
    b[hi], b[lo] = clf.intercept_[0] / 2, -clf.intercept_[0] / 2
    return Head(labels=list(labels), multi_label=False, mean=mean.astype(np.float32), scale=scale.astype(np.float32),
                layers=[(W.astype(np.float32), b.astype(np.float32))])


def _fit_mlp(X, y, labels, *, hidden: int, alpha: float, seed: int) -> Head:
    """A one-hidden-layer ReLU MLP (scikit-learn), copied into the npz layer format."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    mean = X.mean(axis=0)
    scale = X.std(axis=0) + 1e-6
    Z = (X - mean) / scale
    # class balance by oversampling the minority class (MLPClassifier has no class_weight)
    rng = np.random.default_rng(seed)
    counts = np.bincount(y, minlength=len(labels))
    idx = np.concatenate([np.flatnonzero(y == c) for c in range(len(labels))]
                         + [rng.choice(np.flatnonzero(y == c), counts.max() - counts[c])
                            for c in range(len(labels)) if 0 < counts[c] < counts.max()])
    clf = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=alpha, max_iter=MLP_EPOCHS, early_stopping=False,
                        random_state=seed, learning_rate_init=1e-3, batch_size=64)
    with warnings.catch_warnings():  # a short fixed budget of epochs is deliberate
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(Z[idx], y[idx])
    W0, W1 = clf.coefs_
    b0, b1 = clf.intercepts_
    # binary MLPClassifier has one logistic output for classes_[1]: split it into two softmax logits
    W = np.zeros((hidden, len(labels)))
    b = np.zeros(len(labels))
    hi, lo = int(clf.classes_[1]), int(clf.classes_[0])
    W[:, hi], W[:, lo] = W1[:, 0] / 2, -W1[:, 0] / 2
    b[hi], b[lo] = b1[0] / 2, -b1[0] / 2
    return Head(labels=list(labels), multi_label=False, mean=mean.astype(np.float32), scale=scale.astype(np.float32),
                layers=[(W0.astype(np.float32), b0.astype(np.float32)), (W.astype(np.float32), b.astype(np.float32))])


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return np.log(p / (1 - p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def platt(p_pos: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and shift of a logistic fit of the positive label on the logit of ``p_pos``."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, max_iter=1000).fit(_logit(p_pos).reshape(-1, 1), (np.asarray(y) == 0))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def calibrate(head: Head, slope: float, shift: float) -> None:
    """Fold Platt scaling into a two-label softmax head: logit(P(pos)) becomes ``slope * logit + shift``."""
    W, b = head.layers[-1]
    W = W * slope
    b = b * slope + np.array([shift / 2, -shift / 2], dtype=np.float32)
    head.layers[-1] = (W.astype(np.float32), b.astype(np.float32))


#: Lexical variant (hedging): embedding + cues + hashed n-grams.  The dense block's weight relative to the n-gram
#: block and C are chosen by the same cross-validation as every candidate; a first sweep on the hedging training
#: portion (C 1-30, weight 0.002-0.1) peaked inside this grid.
HASH_GRID = tuple({"C": c, "dense_weight": w} for w in (0.01, 0.02, 0.05) for c in (1.0, 3.0, 10.0))
HASH_FEATURES = ("embedding", "sentence_cues", "word_hash")


def candidates(spec: TaskSpec) -> list[Config]:
    out = []
    if spec.lexical:
        out += [Config(HASH_FEATURES, "lr_hash", dict(p)) for p in HASH_GRID]
    for fs in spec.feature_sets:
        out += [Config(fs, "lr", {"C": c}) for c in LR_GRID]
        out += [Config(fs, "mlp", dict(p)) for p in MLP_GRID]
    return out


# -- metrics ----------------------------------------------------------------------------------------
def folds(y: np.ndarray, groups: Sequence[str], seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedGroupKFold

    cv = StratifiedGroupKFold(n_splits=N_FOLDS, shuffle=True, random_state=seed)
    return list(cv.split(np.zeros(len(y)), y, groups))


def decide(p_pos: np.ndarray, threshold: float) -> np.ndarray:
    """Label indices from P(positive): 0 (positive) where p >= threshold."""
    return np.where(p_pos >= threshold, 0, 1)


def ece(y: np.ndarray, p_pos: np.ndarray, bins: int = ECE_BINS) -> float:
    """Expected calibration error of P(positive); ``y`` holds label indices, 0 = positive."""
    return common.ece(np.asarray(y) == 0, p_pos, bins)


def brier(y: np.ndarray, p_pos: np.ndarray) -> float:
    return common.brier(np.asarray(y) == 0, p_pos)


def pos_prf(y: np.ndarray, yhat: np.ndarray) -> tuple[float, float, float]:
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, _ = precision_recall_fscore_support(y, yhat, labels=[0], zero_division=0)
    return float(p[0]), float(r[0]), float(f[0])


def evaluate(y: np.ndarray, yhat: np.ndarray, groups: Sequence[str] | None, p_pos: np.ndarray | None = None,
             seed: int = 0) -> dict:
    """macro-F1 with its bootstrap 95% CI, positive-class P/R/F1, and calibration when probabilities are given."""
    y = np.asarray(y)
    yhat = np.asarray(yhat)
    lo, hi = bootstrap_ci(macro_f1, y, yhat, groups=groups, seed=seed)
    p, r, f = pos_prf(y, yhat)
    out = {"macro_f1": macro_f1(y, yhat), "ci95": [lo, hi], "pos_precision": p, "pos_recall": r, "pos_f1": f,
           "n": int(len(y))}
    if p_pos is not None:
        out["brier"] = brier(y, p_pos)
        out["ece"] = ece(y, p_pos)
    return out


# -- baselines --------------------------------------------------------------------------------------
def tfidf_lr(train: Corpus, seed: int):
    """TF-IDF (word 1-2 grams, sublinear) + logistic regression, C chosen by the same grouped CV."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    def make(C):
        return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                             LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed))

    best, best_c = -1.0, None
    for C in (1.0, 3.0, 10.0):
        oof = np.zeros(len(train))
        for tr, va in folds(train.y, train.groups, seed):
            m = make(C).fit([train.texts[i] for i in tr], train.y[tr])
            oof[va] = m.predict([train.texts[i] for i in va])
        score = macro_f1(train.y, oof)
        if score > best:
            best, best_c = score, C
    return make(best_c).fit(train.texts, train.y), best_c, best


def read_lexicon(rel: str) -> set[str]:
    """A word list from the training data's lexicon folder (baselines only; never shipped)."""
    words = set()
    for line in (data_dir() / rel).read_text(encoding="latin-1").splitlines():
        w = line.strip().lower()
        if w and not w.startswith(("#", ";")) and w != "word":
            words.add(w)
    return words


def lexicon_hit_rule(words: set[str]) -> Callable[[Sequence[str]], np.ndarray]:
    """Positive (label 0) when a sentence contains any lexicon entry (single words or phrases)."""
    single = {w for w in words if " " not in w}
    phrases = [w for w in words if " " in w]

    def rule(texts: Sequence[str]) -> np.ndarray:
        out = []
        for t in texts:
            low = t.lower()
            toks = set(WORD.findall(low))
            out.append(0 if (toks & single or any(f" {p} " in f" {low} " for p in phrases)) else 1)
        return np.array(out)

    return rule


# -- the protocol -----------------------------------------------------------------------------------
def run(spec: TaskSpec, train: Corpus, held_out: dict[str, Corpus], *, seed: int = 0,
        verbose: bool = True) -> tuple[Head, Config, float, dict]:
    """Tune by grouped CV on ``train``, refit, evaluate on every ``held_out`` split.

    Returns the refitted head, its configuration, the tuned threshold and a results dict.
    """
    t0 = time.time()
    labels = list(spec.labels)
    cache = {fs: features(train.texts, fs) for fs in {c.features for c in candidates(spec)}}
    splits = folds(train.y, train.groups, seed)
    rows = []
    best = None
    for cfg in candidates(spec):
        X = cache[cfg.features]
        oof = np.zeros(len(train))
        for tr, va in splits:
            head = fit(cfg, X[tr], train.y[tr], labels, seed)
            oof[va] = head.predict_proba(X[va])[:, 0]
        score = macro_f1(train.y, decide(oof, 0.5))
        rows.append((cfg.describe(), score))
        if verbose:
            print(f"  cv {cfg.describe():45s} macro-F1 {score:.4f}", flush=True)
        if best is None or score > best[1] + 1e-9:
            best = (cfg, score, oof)
    cfg, cv_score, oof_raw = best
    # Platt scaling of the winning head's logit, fitted on its out-of-fold probabilities and folded
    # into the last layer: strongly regularised heads are under-confident, and the detectors'
    # "mean probability" scores should read as probabilities.
    slope, shift = platt(oof_raw, train.y)
    oof = _sigmoid(slope * _logit(oof_raw) + shift)
    thr_scores = [(t, macro_f1(train.y, decide(oof, t))) for t in THRESHOLD_GRID]
    threshold = float(max(thr_scores, key=lambda ts: (ts[1], -abs(ts[0] - 0.5)))[0])
    cv_groups = train.groups if spec.group_ci else None
    validation = {
        "config": cfg.describe(),
        "at_0.5": evaluate(train.y, decide(oof, 0.5), cv_groups, oof, seed),
        "at_threshold": evaluate(train.y, decide(oof, threshold), cv_groups, oof, seed),
        "grid": rows,
        "platt": [slope, shift],
        "uncalibrated": {"brier": brier(train.y, oof_raw), "ece": ece(train.y, oof_raw)},
    }
    head = fit(cfg, cache[cfg.features], train.y, labels, seed)
    calibrate(head, slope, shift)
    head.thresholds = {labels[0]: threshold}

    # baselines, fitted on the same training portion
    tfidf, tfidf_c, tfidf_cv = tfidf_lr(train, seed)
    majority = int(np.bincount(train.y).argmax())
    results = {"validation": validation, "threshold": threshold, "n_train": len(train),
               "tfidf_C": tfidf_c, "tfidf_cv_macro_f1": tfidf_cv, "held_out": {}}
    for split, c in held_out.items():
        Xh = features(c.texts, cfg.features)
        p = head.predict_proba(Xh)[:, 0]
        g = c.groups if spec.group_ci else None
        res = {
            "model": evaluate(c.y, decide(p, threshold), g, p, seed),
            "model_at_0.5": evaluate(c.y, decide(p, 0.5), g, p, seed),
            "majority": evaluate(c.y, np.full(len(c), majority), g, None, seed),
            "tfidf_lr": evaluate(c.y, tfidf.predict(c.texts), g, tfidf.predict_proba(c.texts)[:, 0], seed),
            "n_positive": int((c.y == 0).sum()),
        }
        if spec.lexicon_rule is not None:
            res["lexicon_rule"] = evaluate(c.y, spec.lexicon_rule(c.texts), g, None, seed)
        results["held_out"][split] = res
    results["train_seconds"] = round(time.time() - t0, 1)
    if verbose:
        print_results(spec, results)
    return head, cfg, threshold, results


def print_results(spec: TaskSpec, results: dict) -> None:
    v = results["validation"]
    print(f"{spec.name}: chosen {v['config']}, threshold {results['threshold']:.3f}, Platt {v['platt']}, "
          f"uncalibrated OOF Brier {v['uncalibrated']['brier']:.3f} ECE {v['uncalibrated']['ece']:.3f}")
    print(f"  validation (out-of-fold, n={v['at_threshold']['n']}): macro-F1 {fmt(v['at_threshold'])} "
          f"(at 0.5: {fmt(v['at_0.5'])}); Brier {v['at_0.5']['brier']:.3f}, ECE {v['at_0.5']['ece']:.3f}")
    for split, res in results["held_out"].items():
        print(f"  held-out {split} (n={res['model']['n']}):")
        for k in ("model", "model_at_0.5", "tfidf_lr", "lexicon_rule", "majority"):
            if k in res:
                extra = f"; Brier {res[k]['brier']:.3f}, ECE {res[k]['ece']:.3f}" if "brier" in res[k] else ""
                print(f"    {k:14s} macro-F1 {fmt(res[k])}{extra}")


def fmt(m: dict) -> str:
    return f"{m['macro_f1']:.3f} [{m['ci95'][0]:.3f}, {m['ci95'][1]:.3f}]"


# -- the card ---------------------------------------------------------------------------------------
def metrics_table(spec: TaskSpec, res: dict, lexicon_name: str) -> str:
    pos = spec.labels[0]
    lines = [f"| system | macro-F1 [95% CI] | P({pos}) | R({pos}) | F1({pos}) | Brier | ECE |",
             "|---|---|---|---|---|---|---|"]
    names = [("model", f"**{spec.name}** (shipped, tuned threshold)"), ("model_at_0.5", f"{spec.name} at 0.5"),
             ("tfidf_lr", "TF-IDF + LR"), ("lexicon_rule", lexicon_name), ("majority", "majority class")]
    for key, label in names:
        if key not in res:
            continue
        m = res[key]
        cal = (f"{m['brier']:.3f} | {m['ece']:.3f}" if "brier" in m else "– | –")
        lines.append(f"| {label} | {fmt(m)} | {m['pos_precision']:.3f} | {m['pos_recall']:.3f} | "
                     f"{m['pos_f1']:.3f} | {cal} |")
    return "\n".join(lines)


#: Per head: issue #13's target, the figure it is measured against, and what was tried to reach it (the evidence
#: files under benchmarks/; train folds only, no held-out split read by any of them).
TARGETS = {
    "media_bias": (
        "macro-F1 ≥ 0.80 on the BABE held-out articles",
        "missed by about 2 points (0.781 in the held-out table above)",
        ["MiniLM fully fine-tuned on BABE alone: 0.782 on the same split, +0.000 [−0.027, +0.029] "
         "(`benchmarks/finetune_bias.py`, the section above)",
         "all-mpnet-base-v2 frozen in place of MiniLM, head re-chosen by its own CV: 0.764 against 0.752 out of fold "
         "(`benchmarks/RESULTS_backbone_probe.md`)",
         "MiniLM's top 2 layers fine-tuned on four tasks at once (questions, subjectivity, bias, hedging), three folds "
         "of train: 0.773 against 0.754 for this head on the same rows, +0.019 [+0.002, +0.034] "
         "(`benchmarks/RESULTS_multitask_probe.md`): short of 3 points, and not shipped (it would change the encoder "
         "every head reads)",
         "MiniLM's layers 6, 4 and 2 of the same pass in place of its last layer alone, head re-chosen by its own CV: "
         "0.782 against 0.752 out of fold, +0.029 [+0.015, +0.044] (`benchmarks/RESULTS_layer_probe.md`; the layers "
         "were chosen on these folds, best of twelve mixes); then built into the encoder (torch and int8) and offered "
         "to this head's own cross-validation, which chose them: out of fold 0.776 against 0.754, held out 0.781 "
         "against 0.781, paired +0.000 [−0.026, +0.026] (one more read of that split). Under the 3-point bar set "
         "for an encoder change, so not shipped",
         "hashed word n-grams beside the embedding, with and without IDF weights, 18 variants: the best 0.762 against 0.754 out of fold, under a point (`benchmarks/RESULTS_lexical_probe.md`)"]),
    "subjectivity": (
        "macro-F1 ≥ 0.75 on unseen news",
        "missed by about 11 points on CheckThat! 2025 `dev_test` (0.642 above; 0.754 out of fold on NewsSD-ENG)",
        ["MiniLM fine-tuned on this task (all 6 layers): −0.009 [−0.035, +0.018] out of fold "
         "(`benchmarks/RESULTS_finetune_probe.md`)",
         "all-mpnet-base-v2 frozen in place of MiniLM: 0.734 against 0.754 out of fold "
         "(`benchmarks/RESULTS_backbone_probe.md`)",
         "four tasks fine-tuned at once, three folds of train: +0.005 [−0.025, +0.031] "
         "(`benchmarks/RESULTS_multitask_probe.md`)",
         "BABE's opinion labels as extra rows: −0.004 [−0.032, +0.025] (`benchmarks/RESULTS_extra_data_probe.md`)",
         "MiniLM's layers 6, 4 and 2 of the same pass in place of its last layer alone: −0.005 [−0.030, +0.018] out "
         "of fold (`benchmarks/RESULTS_layer_probe.md`)",
         "hashed word n-grams beside the embedding, with and without IDF weights, 18 variants: the best 0.730 against 0.751 out of fold (`benchmarks/RESULTS_lexical_probe.md`)"]),
    "hedging": (
        "F1 of the *uncertain* class ≥ 0.65 on the CoNLL-2010 weasel sentences",
        "missed by about 6 points (0.587 in the held-out table above, against 0.615 for TF-IDF + LR on the same split; "
        "the best CoNLL-2010 Wikipedia systems reached about 0.60 on the official test set)",
        ["a wider cross-validated grid for the weight of the embedding block against the n-gram block "
         "(out of fold 0.699 → 0.708, shipped)",
         "all-mpnet-base-v2 frozen in place of MiniLM: 0.714 against 0.708 out of fold "
         "(`benchmarks/RESULTS_backbone_probe.md`)",
         "four tasks fine-tuned at once, three folds of train: macro-F1 0.736 against 0.709 for this head on the same "
         "rows, +0.027 [+0.014, +0.041] (`benchmarks/RESULTS_multitask_probe.md`): the largest gain measured, "
         "still short of 3 points, and not shipped (it would change the encoder every head "
         "reads, and cost the question head about 2 points)",
         "MiniLM's layers 6, 4 and 2 of the same pass in place of its last layer alone, head re-chosen by its own CV: "
         "macro-F1 0.721 against 0.708 out of fold, +0.013 [+0.003, +0.022] (`benchmarks/RESULTS_layer_probe.md`)",
         "IDF weights on its n-gram block, 9 variants: the best 0.696 against 0.708 out of fold (`benchmarks/RESULTS_lexical_probe.md`)"]),
}


def targets_section(name: str) -> str:
    """The card's "Against the targets" section for head ``name`` (empty for a head without one)."""
    if name not in TARGETS:
        return ""
    target, now, tried = TARGETS[name]
    lines = ["## Against the targets", f"- Target: {target}.", f"- Now: {now}.", "- Tried:"]
    lines += [f"  - {t};" for t in tried[:-1]] + [f"  - {tried[-1]}."]
    return "\n".join(lines) + "\n\n"


def card_metrics(results: dict) -> dict:
    """The compact metrics that go into model.json's card."""
    v = results["validation"]["at_threshold"]
    out = {"validation_cv_macro_f1": round(v["macro_f1"], 4), "validation_ci95": [round(x, 4) for x in v["ci95"]],
           "threshold": results["threshold"]}
    for split, res in results["held_out"].items():
        m = res["model"]
        out[f"{split}_macro_f1"] = round(m["macro_f1"], 4)
        out[f"{split}_ci95"] = [round(x, 4) for x in m["ci95"]]
        out[f"{split}_brier"] = round(m["brier"], 4)
        out[f"{split}_ece"] = round(m["ece"], 4)
        out[f"{split}_tfidf_lr_macro_f1"] = round(res["tfidf_lr"]["macro_f1"], 4)
        out[f"{split}_majority_macro_f1"] = round(res["majority"]["macro_f1"], 4)
        if "lexicon_rule" in res:
            out[f"{split}_lexicon_rule_macro_f1"] = round(res["lexicon_rule"]["macro_f1"], 4)
    return out


def calibration_note(results: dict) -> str:
    v = results["validation"]
    a, c = v["platt"]
    u = v["uncalibrated"]
    return (f"Probabilities are Platt-scaled (logit × {a:.3f} {c:+.3f}, fitted on the out-of-fold predictions and "
            f"folded into the head's last layer); before scaling the out-of-fold Brier was {u['brier']:.3f} and "
            f"ECE {u['ece']:.3f}.")


def grid_table(results: dict) -> str:
    lines = ["| configuration | out-of-fold macro-F1 (at 0.5) |", "|---|---|"]
    lines += [f"| {name} | {score:.3f} |" for name, score in results["validation"]["grid"]]
    return "\n".join(lines)


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]
