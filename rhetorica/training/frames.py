"""Train the ``frames`` head: the 14 Media-Frames-Corpus frames of a news article (multi-label).

Data: SemEval-2023 Task 3 subtask 2, English (``semeval2023/train-articles-subtask-2`` and
``train-labels-subtask-2.txt``, 358 articles).  The task's dev and test labels for this
subtask are not in the data folder, so a fifth of the articles is held out as a test split
(never used for any choice); model and thresholds are chosen by 5-fold cross-validation on
the rest, and the shipped head is the one fitted on that rest, i.e. exactly the model the
card's test figures describe.

An article is represented as the Analyzer sees it: the shared encoder's embeddings of its
sentences (boilerplate left out), pooled (``sentence_mean``, ``sentence_max``, ``lead_mean``;
see :mod:`rhetorica.classifiers.feats_frames`).

This module also holds the multi-label helpers that ``persuasion`` reuses (data reading,
one embedding pass over every SemEval-2023 sentence, per-label thresholds, metrics, baselines).

Run ``python -m rhetorica.training frames``.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..classifiers.feats_frames import content_sentences, unit_input
from ..classifiers.features import build_features
from ..classifiers.heads import Head, fit_linear_head
from ..detectors.frames import FRAMES as FRAMES_
from . import common

NAME = "frames"
#: The 14 frames (spelled as in ``train-labels-subtask-2.txt``), in the detector's column order.
FRAMES = list(FRAMES_)
SUBDIR = "semeval2023"
#: Share of articles held out as the test split (no labelled dev set exists for subtask 2).
TEST_FRACTION = 0.2
#: Folds of the cross-validation on the training portion (model choice and thresholds).
FOLDS = 5
#: Candidate inverse regularisation strengths for the one-vs-rest logistic regressions.
C_GRID = (0.001, 0.003, 0.01, 0.03)
#: Candidate pooled feature sets.
FEATURE_SETS = (
    ("sentence_mean",),
    ("sentence_mean", "sentence_max"),
    ("sentence_mean", "sentence_max", "lead_mean"),
)
#: Thresholds tried per label (validation predictions).
THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.05), 2)
#: A label with fewer validation positives than this gets the global (micro-F1) threshold
#: instead of its own: an F1-optimal threshold from a handful of cases is noise.
MIN_POSITIVES_FOR_OWN_THRESHOLD = 8
#: Published context (approximate; from memory of the SemEval-2023 Task 3 overview, not re-checked):
#: the best English subtask-2 system scored about 0.58 micro-F1 on the official test set.
PUBLISHED = "best English subtask-2 system at SemEval-2023 ≈ 0.58 micro-F1 on the official test set (approximate)"
LICENCE = "none stated (SemEval-2023 Task 3 research data; research use)"


# -- data -----------------------------------------------------------------------------------------
def semeval_dir() -> Path:
    d = common.data_dir() / SUBDIR
    if not d.exists():
        raise FileNotFoundError(f"SemEval-2023 Task 3 data not found at {d}; set RHETORICA_DATA.")
    return d


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load_frames() -> tuple[list[str], list[str], np.ndarray]:
    """Article ids, texts and the 0/1 frame matrix (columns in :data:`FRAMES` order)."""
    d = semeval_dir()
    ids, texts, rows = [], [], []
    for line in read_text(d / "train-labels-subtask-2.txt").splitlines():
        if not line.strip():
            continue
        art, _, labs = line.partition("\t")
        labels = {x for x in labs.split(",") if x}
        unknown = labels - set(FRAMES)
        if unknown:
            raise ValueError(f"Unknown frame(s) {sorted(unknown)} in the subtask-2 labels.")
        ids.append(art)
        texts.append(read_text(d / "train-articles-subtask-2" / f"article{art}.txt"))
        rows.append([lab in labels for lab in FRAMES])
    return ids, texts, np.array(rows, dtype=np.int64)


def load_paragraphs(split: str) -> tuple[list[str], list[str], list[set[str]]]:
    """Subtask-3 paragraphs of ``split`` ("train" or "dev"): article ids, paragraph texts, technique sets.

    The label file gives techniques per (article, line number); every non-empty line of an
    article is one labelled paragraph.
    """
    d = semeval_dir()
    texts_of: dict[str, list[str]] = {}
    groups, texts, labels = [], [], []
    for line in read_text(d / f"{split}-labels-subtask-3.txt").splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        art, num = parts[0], int(parts[1])
        if art not in texts_of:
            texts_of[art] = read_text(d / f"{split}-articles-subtask-3" / f"article{art}.txt").split("\n")
        groups.append(art)
        texts.append(texts_of[art][num - 1])
        labels.append({x for x in (parts[2] if len(parts) > 2 else "").split(",") if x})
    return groups, texts, labels


def semeval_sentence_table() -> dict[str, np.ndarray]:
    """Embeddings of every content sentence of the SemEval-2023 English articles used here.

    One :func:`common.embed` call over the sorted union of sentences, so ``frames`` and
    ``persuasion`` share one cached encoder pass.
    """
    d = semeval_dir()
    sents: set[str] = set()
    for f in sorted((d / "train-articles-subtask-2").glob("*.txt")):
        sents.update(content_sentences(read_text(f)))
    for sub in ("train-articles-subtask-3", "dev-articles-subtask-3"):
        for f in sorted((d / sub).glob("*.txt")):
            for line in read_text(f).split("\n"):
                if line.strip():
                    sents.update(content_sentences(line))
    order = sorted(sents)
    emb = common.embed(order)
    return dict(zip(order, emb))


def pooled_features(texts: Sequence[str], features: Sequence[str], table: dict[str, np.ndarray],
                    technique_probs: np.ndarray | None = None) -> np.ndarray:
    """Feature matrix of units (articles or paragraphs), built exactly as the detectors build it
    (``technique_probs``: the units' pooled technique-tagger probabilities, for the ``technique_tagger`` feature)."""
    groups = [np.array([table[s] for s in content_sentences(t)], dtype=np.float32) for t in texts]
    inp = unit_input(texts, groups)
    inp.technique_probs = technique_probs
    return build_features(list(features), inp)


# -- multi-label helpers -----------------------------------------------------------------------
def micro_f1(Y: np.ndarray, P: np.ndarray) -> float:
    return common.multilabel_f1(Y, P, "micro")


def macro_f1(Y: np.ndarray, P: np.ndarray) -> float:
    """Mean per-label F1 over labels that occur in ``Y`` or in ``P``."""
    return common.multilabel_f1(Y, P, "macro")


def choose_thresholds(Y: np.ndarray, S: np.ndarray, labels: Sequence[str]) -> dict[str, float]:
    """Per-label F1-optimal thresholds on validation scores ``S``; the global micro-F1-optimal
    threshold for labels with fewer than :data:`MIN_POSITIVES_FOR_OWN_THRESHOLD` positives."""
    glob = max(THRESHOLD_GRID, key=lambda t: micro_f1(Y.astype(bool), S >= t))
    out = {}
    for j, lab in enumerate(labels):
        if Y[:, j].sum() < MIN_POSITIVES_FOR_OWN_THRESHOLD:
            out[lab] = float(glob)
            continue
        out[lab] = float(max(THRESHOLD_GRID, key=lambda t: common.prf(Y[:, j], S[:, j] >= t)["f1"]))
    return out


def apply_thresholds(S: np.ndarray, labels: Sequence[str], thr: dict[str, float]) -> np.ndarray:
    return S >= np.array([thr[lab] for lab in labels])


def calibration(Y: np.ndarray, S: np.ndarray, bins: int = 10) -> dict[str, float]:
    """Brier score and expected calibration error (equal-width bins) over all label cells."""
    y = Y.ravel().astype(float)
    s = S.ravel()
    brier = float(np.mean((s - y) ** 2))
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for k in range(bins):
        m = (s >= edges[k]) & ((s < edges[k + 1]) if k < bins - 1 else (s <= 1))
        if m.any():
            ece += m.mean() * abs(s[m].mean() - y[m].mean())
    return {"brier": brier, "ece": float(ece)}


def evaluate(Y: np.ndarray, P: np.ndarray, groups: Sequence[str] | None = None) -> dict[str, object]:
    """Micro and macro F1 with 95% bootstrap intervals (resampling articles when ``groups`` is given)."""
    Y = Y.astype(bool)
    P = P.astype(bool)
    out: dict[str, object] = {}
    for name, fn in (("micro_f1", micro_f1), ("macro_f1", macro_f1)):
        out[name] = fn(Y, P)
        out[name + "_ci"] = common.bootstrap_ci(fn, Y, P, groups=groups)
    return out


def fold_ids(groups: Sequence[str], folds: int, seed: int) -> np.ndarray:
    """Fold number per row; all rows of one article share a fold."""
    uniq = sorted(set(groups))
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(uniq))
    fold_of = {uniq[i]: k % folds for k, i in enumerate(perm)}
    return np.array([fold_of[g] for g in groups])


def oof_scores(fit: Callable[[np.ndarray, np.ndarray], Head], X: np.ndarray, Y: np.ndarray,
               folds: np.ndarray) -> np.ndarray:
    """Out-of-fold probabilities of a head-fitting function."""
    S = np.zeros(Y.shape)
    for k in np.unique(folds):
        te = folds == k
        S[te] = fit(X[~te], Y[~te]).predict_proba(X[te])
    return S


def tfidf_scores(train_texts: Sequence[str], Y: np.ndarray, test_texts: Sequence[str], *,
                 C: float = 4.0, seed: int = 0) -> np.ndarray:
    """Baseline: TF-IDF (word 1-2 grams) + one-vs-rest logistic regression; probabilities."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=50000)
    Xtr = vec.fit_transform(train_texts)
    Xte = vec.transform(test_texts)
    S = np.zeros((len(test_texts), Y.shape[1]))
    for j in range(Y.shape[1]):
        if Y[:, j].min() == Y[:, j].max():
            S[:, j] = float(Y[0, j])
            continue
        clf = LogisticRegression(C=C, max_iter=2000, random_state=seed)
        S[:, j] = clf.fit(Xtr, Y[:, j]).predict_proba(Xte)[:, 1]
    return S


def fmt_ci(m: dict, key: str) -> str:
    lo, hi = m[key + "_ci"]
    return f"{m[key]:.3f} [{lo:.3f}, {hi:.3f}]"


# -- training ----------------------------------------------------------------------------------
def main(seed: int = 0) -> dict:
    t0 = time.time()
    ids, texts, Y = load_frames()
    table = semeval_sentence_table()
    test = common.group_split(ids, TEST_FRACTION, seed=seed)
    tr = ~test
    folds = fold_ids([i for i, m in zip(ids, tr) if m], FOLDS, seed)
    Ytr, Yte = Y[tr], Y[test]
    feats = {fs: pooled_features(texts, fs, table) for fs in FEATURE_SETS}

    # model choice: OOF micro-F1 at per-label thresholds chosen on the same OOF scores is optimistic,
    # so rank candidates by OOF mean average precision (threshold-free) instead.
    from sklearn.metrics import average_precision_score

    grid = []
    for fs in FEATURE_SETS:
        for C in C_GRID:
            fit = _fitter(C, seed)
            S = oof_scores(fit, feats[fs][tr], Ytr, folds)
            ap = float(np.mean([average_precision_score(Ytr[:, j], S[:, j]) for j in range(len(FRAMES))]))
            grid.append({"features": list(fs), "C": C, "oof_mean_ap": ap, "oof": S})
            print(f"  {'+'.join(fs):45s} C={C:<6} OOF mean AP {ap:.3f}")
    best = max(grid, key=lambda g: g["oof_mean_ap"])
    fs, C = tuple(best["features"]), best["C"]
    thr = choose_thresholds(Ytr, best["oof"], FRAMES)
    val = evaluate(Ytr, apply_thresholds(best["oof"], FRAMES, thr))
    val_cal = calibration(Ytr, best["oof"])

    head = _fitter(C, seed)(feats[fs][tr], Ytr)
    head.thresholds = thr
    Ste = head.predict_proba(feats[fs][test])
    Pte = apply_thresholds(Ste, FRAMES, thr)
    res = evaluate(Yte, Pte)
    cal = calibration(Yte, Ste)
    per_label = {lab: common.prf(Yte[:, j], Pte[:, j]) | {"support": int(Yte[:, j].sum())}
                 for j, lab in enumerate(FRAMES)}

    # baselines, thresholds chosen the same way (OOF on the training portion)
    prev = Ytr.mean(axis=0)
    k_best = max(range(1, len(FRAMES) + 1),
                 key=lambda k: micro_f1(Ytr.astype(bool), np.tile(prev >= np.sort(prev)[::-1][k - 1], (len(Ytr), 1))))
    prior_pred = np.tile(prev >= np.sort(prev)[::-1][k_best - 1], (len(Yte), 1))
    prior = evaluate(Yte, prior_pred)
    tr_texts = [t for t, m in zip(texts, tr) if m]
    te_texts = [t for t, m in zip(texts, test) if m]
    S_tfidf_oof = np.zeros(Ytr.shape)
    for k in range(FOLDS):
        m = folds == k
        S_tfidf_oof[m] = tfidf_scores([t for t, x in zip(tr_texts, ~m) if x], Ytr[~m],
                                      [t for t, x in zip(tr_texts, m) if x], seed=seed)
    thr_tfidf = choose_thresholds(Ytr, S_tfidf_oof, FRAMES)
    tfidf = evaluate(Yte, apply_thresholds(tfidf_scores(tr_texts, Ytr, te_texts, seed=seed), FRAMES, thr_tfidf))

    metrics = {
        "n_articles": len(ids), "n_train": int(tr.sum()), "n_test": int(test.sum()),
        "features": list(fs), "C": C,
        "validation_oof": {k: v for k, v in val.items()} | val_cal,
        "test": res | cal, "prior_k": k_best, "baseline_prior": prior, "baseline_tfidf_lr": tfidf,
        "per_label_test": per_label,
        "grid": [{k: v for k, v in g.items() if k != "oof"} for g in grid],
    }
    print(f"frames: features={'+'.join(fs)} C={C}")
    print(f"  validation (5-fold OOF, {int(tr.sum())} articles): micro-F1 {fmt_ci(val, 'micro_f1')}, "
          f"macro-F1 {fmt_ci(val, 'macro_f1')}; Brier {val_cal['brier']:.3f}, ECE {val_cal['ece']:.3f}")
    for name, m in (("head", res), (f"prior (top-{k_best} frames)", prior), ("TF-IDF+LR", tfidf)):
        print(f"  test ({int(test.sum())} articles) {name:22s} micro-F1 {fmt_ci(m, 'micro_f1')}, "
              f"macro-F1 {fmt_ci(m, 'macro_f1')}")
    print(f"  test calibration: Brier {cal['brier']:.3f}, ECE {cal['ece']:.3f}")

    meta = {"input": "sentences", "features": list(fs),
            "card": {"task": "media frames of a news article (14 MFC frames, multi-label)",
                     "data": "SemEval-2023 Task 3 subtask 2, English train (358 articles)",
                     "licence": LICENCE,
                     "metrics": {"test_micro_f1": round(res["micro_f1"], 3),
                                 "test_micro_f1_ci": [round(x, 3) for x in res["micro_f1_ci"]],
                                 "test_macro_f1": round(res["macro_f1"], 3),
                                 "baseline_tfidf_lr_micro_f1": round(tfidf["micro_f1"], 3),
                                 "baseline_prior_micro_f1": round(prior["micro_f1"], 3)},
                     "published": PUBLISHED,
                     "command": f"python -m rhetorica.training frames --seed {seed}"}}
    common.save_model(NAME, head, meta, _card(metrics, thr, seed))
    print(f"  saved models/{NAME} in {time.time() - t0:.0f} s")
    return metrics


def _fitter(C: float, seed: int) -> Callable[[np.ndarray, np.ndarray], Head]:
    def fit(X: np.ndarray, Y: np.ndarray) -> Head:
        return fit_linear_head(X, Y, FRAMES, C=C, multi_label=True, class_weight=None, seed=seed)

    return fit


def _card(m: dict, thr: dict[str, float], seed: int) -> str:
    val, res, prior, tfidf = m["validation_oof"], m["test"], m["baseline_prior"], m["baseline_tfidf_lr"]
    rows = "\n".join(f"| {lab} | {thr[lab]:.2f} | {p['support']} | {p['precision']:.2f} | {p['recall']:.2f} | "
                     f"{p['f1']:.2f} |" for lab, p in m["per_label_test"].items())
    grid = "\n".join(f"| {'+'.join(g['features'])} | {g['C']} | {g['oof_mean_ap']:.3f} |" for g in m["grid"])
    return f"""# frames

Which of the 14 Media Frames Corpus frames a news article uses (multi-label, one sigmoid per frame).
Used by the `frames` detector (article scores `frame_<name>` and one evidence span per frame over
threshold) and by `load_classifier("frames").predict_proba([article, ...])`.

## Model
- Input: an article, seen as the shared encoder (all-MiniLM-L6-v2) embeddings of its sentences
  (segmented with `rhetorica.text.segment`, page furniture left out), pooled: {', '.join(f'`{f}`' for f in m['features'])}
  (see `rhetorica/classifiers/feats_frames.py`). `predict_proba` on raw text segments and pools
  the same way as `analyze()` (model.json `"input": "sentences"`).
- Head: standardisation + one-vs-rest logistic regression (L2, C={m['C']}, no class weighting, so
  the outputs are usable as probabilities).
- Chosen by 5-fold cross-validation (folds by article) on the training portion, ranking by the
  mean average precision of out-of-fold scores:

| features | C | OOF mean AP |
|---|---|---|
{grid}

## Data
SemEval-2023 Task 3 subtask 2, English training articles and labels (358 articles; the task's
English dev/test labels for this subtask are not in the data folder). Licence: {LICENCE}.
Split: {m['n_test']} articles (a seeded 20% of articles, seed {seed}) held out as **test**, never used for a
choice; {m['n_train']} for training and cross-validation. The shipped weights are the head fitted on those
{m['n_train']} articles: exactly the model measured below.

Training command: `python -m rhetorica.training frames --seed {seed}` (rebuilds these files exactly).

## Results
| split | system | micro-F1 [95% CI] | macro-F1 [95% CI] |
|---|---|---|---|
| validation (5-fold OOF, {m['n_train']} art.) | this head | {fmt_ci(val, 'micro_f1')} | {fmt_ci(val, 'macro_f1')} |
| test ({m['n_test']} art.) | this head | {fmt_ci(res, 'micro_f1')} | {fmt_ci(res, 'macro_f1')} |
| test | prior: the {m['prior_k']} most frequent frames for every article | {fmt_ci(prior, 'micro_f1')} | {fmt_ci(prior, 'macro_f1')} |
| test | TF-IDF (1-2 grams) + one-vs-rest LR, thresholds chosen the same way | {fmt_ci(tfidf, 'micro_f1')} | {fmt_ci(tfidf, 'macro_f1')} |

95% intervals: percentile bootstrap over articles (1,000 resamples). The validation row uses
thresholds chosen on the same out-of-fold scores, so it is optimistic; the test row is not.
Published anchor: {PUBLISHED}. That figure is on a different (official) test set, with fine-tuned
large transformers; it is context, not a like-for-like comparison.

Calibration (all label cells): validation Brier {val['brier']:.3f}, ECE {val['ece']:.3f};
test Brier {res['brier']:.3f}, ECE {res['ece']:.3f}.

## Thresholds and per-frame test results
Per-frame thresholds maximise that frame's F1 on the out-of-fold validation scores (grid 0.05-0.95);
a frame with fewer than {MIN_POSITIVES_FOR_OWN_THRESHOLD} validation positives gets the threshold that maximises micro-F1 over all frames.

| frame | threshold | test support | precision | recall | F1 |
|---|---|---|---|---|---|
{rows}

## Intended use and limits
- For describing and comparing the framing of news articles in aggregate (research use, as the
  data licence allows). Not a judgement about a single article's honesty.
- Small training set (under 300 articles), largely 2017-2019 English political news and
  propaganda-leaning sites (the PTC article pool); rare frames (Economic, Public_opinion,
  Capacity_and_resources, Cultural_identity) are predicted poorly; expect domain shift elsewhere.
- Article-level labels have no evidence span: the detector's span for a frame is the sentence the
  head scores highest for that frame when applied to one sentence at a time, a pointer for a
  reader, not an annotation the model was trained to produce.
"""
