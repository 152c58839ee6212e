"""What the AllSides labels change: learning curves for the question and history heads, by cross-validation.

``python -m rhetorica.training.learning_curve [questions|history] [--seed N]`` prints, for each task, the
out-of-fold macro-F1 (device-vs-not for questions, analogy-vs-not for history) of the shipped head's features
and head type, trained on

* the earlier data only (PTC / SemEval-2023 / PolNeAR / BBC train split),
* the earlier data plus the first round of AllSides labels (when a later round exists; its gain is given with a
  paired interval),
* 25 %, 50 % and 100 % of the training articles of the earlier data plus the AllSides train split,

always predicting the same held-out folds (5 folds grouped by article over earlier + AllSides train), and
scoring those predictions separately on the earlier sources' rows and the AllSides rows, with 95 % bootstrap
intervals over articles.  The frozen-MiniLM + logistic-regression baseline is scored on the same folds.
Decisions use each head's probability at 0.5 (no tuned threshold, so that the curve compares data, not cuts);
ROC AUC is threshold-free.  No dev or test split is read.
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from . import common

FRACTIONS = (0.25, 0.5, 1.0)
N_FOLDS = 5


def _subsample(groups: np.ndarray, mask: np.ndarray, frac: float, seed: int) -> np.ndarray:
    """``mask`` restricted to about ``frac`` of its articles (seeded)."""
    if frac >= 1.0:
        return mask
    uniq = np.array(sorted(set(groups[mask])))
    keep = set(np.random.default_rng(seed).choice(uniq, int(round(frac * len(uniq))), replace=False).tolist())
    return mask & np.array([g in keep for g in groups])


def _scores(y: np.ndarray, p: np.ndarray, groups: np.ndarray, seed: int) -> dict:
    from sklearn.metrics import roc_auc_score

    pred = (p >= 0.5).astype(int)
    f = common.macro_f1(y, pred)
    lo, hi = common.bootstrap_ci(common.macro_f1, y, pred, groups=groups, seed=seed, n=500)
    r = common.prf(y, pred)
    return {"macro_f1": round(f, 3), "ci": [round(lo, 3), round(hi, 3)], "auc": round(float(roc_auc_score(y, p)), 3),
            "precision": round(r["precision"], 3), "recall": round(r["recall"], 3), "n": int(len(y)),
            "positives": int(y.sum())}


def _curve(y: np.ndarray, groups: np.ndarray, is_new: np.ndarray, fit_predict, baseline, seed: int,
           later: np.ndarray | None = None, first: int = 2) -> dict:
    """``later`` marks the AllSides rows of labelling round ``first`` and after: with it, one more condition trains
    on the earlier data and the rounds before ``first`` only, and the gain of all the data over it is given with a
    paired interval (and the held-out predictions are also scored on the later rows alone)."""
    fold = common.group_folds(groups, N_FOLDS, seed)
    conditions = {"earlier data only": lambda tr: tr & ~is_new}
    before = "earlier + AllSides round 1" if first == 2 else f"earlier + AllSides rounds 1-{first - 1}"
    if later is not None and later.any():
        conditions[before] = lambda tr: tr & ~later
    for f in FRACTIONS:
        conditions[f"earlier + AllSides, {int(f * 100)}% of articles"] = (
            lambda tr, f=f: _subsample(groups, tr, f, seed + 7))
    out = {}
    preds = {}
    for name, pick in list(conditions.items()) + [("frozen MiniLM + LR (100%)", None)]:
        p = np.zeros(len(y))
        n_train = []
        for k in range(N_FOLDS):
            te = fold == k
            if pick is None:
                tr = ~te
                p[te] = baseline(tr, te)
            else:
                tr = pick(~te)
                p[te] = fit_predict(tr, te)
            n_train.append(int(tr.sum()))
        preds[name] = (p >= 0.5).astype(int)
        out[name] = {"mean_training_rows": int(np.mean(n_train)),
                     "all": _scores(y, p, groups, seed),
                     "earlier sources": _scores(y[~is_new], p[~is_new], groups[~is_new], seed),
                     "AllSides": _scores(y[is_new], p[is_new], groups[is_new], seed)}
        if later is not None and later.any() and first > 2:
            out[name][f"round {first}+ rows"] = _scores(y[later], p[later], groups[later], seed)
        print(f"  {name}: " + "; ".join(f"{k} {v['macro_f1']:.3f} [{v['ci'][0]:.3f}, {v['ci'][1]:.3f}]"
                                        for k, v in out[name].items() if isinstance(v, dict)), flush=True)
    if before in preds:
        label = "round 2" if first == 2 else f"rounds {first}+"
        slices = [("all rows", np.ones(len(y), dtype=bool))]
        if first > 2:  # do the new labels cost the rows labelled before them?
            slices += [(f"rows labelled before round {first}", ~later), (f"round {first}+ rows", later)]
        for rows_name, m in slices:
            gain = common.paired_bootstrap_ci(common.macro_f1, y[m], preds["earlier + AllSides, 100% of articles"][m],
                                              preds[before][m], groups=groups[m], seed=seed)
            key = f"gain of {label} (all rows, paired)" if rows_name == "all rows" else \
                f"gain of {label} ({rows_name}, paired)"
            out[key] = [round(v, 3) for v in gain]
            print(f"  gain of {label}, {rows_name}: {gain[0]:+.3f} [{gain[1]:+.3f}, {gain[2]:+.3f}]", flush=True)
    return out


def _frozen_lr(X: np.ndarray, y: np.ndarray, seed: int):
    from sklearn.linear_model import LogisticRegression

    def run(tr, te):
        mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-6
        lr = LogisticRegression(C=0.01, max_iter=3000, class_weight="balanced", random_state=seed)
        lr.fit((X[tr] - mu) / sd, y[tr])
        return lr.predict_proba((X[te] - mu) / sd)[:, 1]
    return run


def questions(seed: int = 0, first: int = 2) -> dict:
    from ..classifiers.features import build_features
    from . import questions as q

    rows = q.load_split("train", rounds=None)  # every labelling round, including those the shipped head leaves out
    emb = q.Embeddings(rows)
    y5 = q.labels_of(rows)
    y = (y5 < q.N_DEVICE).astype(int)
    groups = q.groups_of(rows)
    is_new = np.array([r["source"] == "allsides" for r in rows])
    Xc = build_features(q.FEATURES, emb.feature_input(rows))
    Xb = build_features(q.FEATURES, emb.feature_input(rows, context=False))

    def fit_predict(tr, te):
        head = q.fit_head(Xc[tr], Xb[tr], y5[tr], seed=seed)
        return q.device_prob(head.predict_proba(Xc[te]))

    # the baseline reads the question with its neighbours, as the accuracy issue's baseline did
    Xe = build_features(["embedding", "context_embedding"], emb.feature_input(rows))
    print(f"rhetorical_question: {len(rows)} train rows ({int(is_new.sum())} AllSides), {N_FOLDS} folds by article")
    return _curve(y, groups, is_new, fit_predict, _frozen_lr(Xe, y, seed), seed, later=_later(rows, first),
                  first=first)


def history(seed: int = 0) -> dict:
    from . import history as h

    s = h.load_split("train", rounds=None)  # every labelling round, including those the shipped head leaves out
    cfg = json.loads((common.models_dir() / h.NAME / "model.json").read_text())
    feats = cfg["features"]
    kind = "mlp" if cfg["head"].startswith("MLP") else "lr"
    reg = float(cfg["head"].split("reg=")[1])
    cols = h.columns(feats)
    y = (s.y == 0).astype(int)
    is_new = np.array([r["source"] == "allsides" for r in s.rows])

    def fit_predict(tr, te):
        sub = s.subset(tr)
        X, yy, _ = h._augment(sub, cols)
        head = h.fit_head(X, yy, h.LABELS, kind, reg, seed)
        return head.predict_proba(s.X_ctx[te][:, cols])[:, 0]

    ecols = h.columns(("embedding", "context_embedding"))
    print(f"historical_analogy: {len(y)} train rows ({int(is_new.sum())} AllSides), head {kind} reg={reg:g} "
          f"on {'+'.join(feats)}, {N_FOLDS} folds by article")
    return _curve(y, s.groups, is_new, fit_predict, _frozen_lr(s.X_ctx[:, ecols], y, seed), seed,
                  later=_later(s.rows))


def _later(rows, first: int = 2) -> np.ndarray:
    """AllSides rows of labelling round ``first`` or a later one."""
    from .allsides_pool import round_of

    return np.array([r["source"] == "allsides" and round_of(r) >= first for r in rows])


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(prog="python -m rhetorica.training.learning_curve", description=__doc__)
    ap.add_argument("task", nargs="?", choices=["questions", "history", "both"], default="both")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--later-round", type=int, default=2, metavar="N",
                    help="questions: compare all the data with the data labelled before round N (default 2)")
    args = ap.parse_args(argv)
    res = {}
    if args.task in ("questions", "both"):
        res["rhetorical_question"] = questions(args.seed, args.later_round)
    if args.task in ("history", "both"):
        res["historical_analogy"] = history(args.seed)
    common.write_json(args.json, res)
    return res


if __name__ == "__main__":
    main()
