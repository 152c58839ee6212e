"""Train the ``historical_analogy`` head (analogy / reference / idiom / none) and its smear head.

``python -m rhetorica.training historical_analogy`` rebuilds ``models/historical_analogy``.

Data: ``history/annotated_news`` (856 train / 143 dev sentences, split by article).
Procedure: out-of-fold predictions over :data:`THRESHOLD_FOLDS` article-grouped folds of all of train
choose the head (logistic regression or a small MLP, feature set, regularisation) by log-loss, the
analogy threshold, the construction floor, the smear head's C and its threshold; retrain on all of
train; report once on ``dev`` with
article-grouped bootstrap 95% intervals, next to four baselines fitted on the same
train split.  Every training row is seen twice, with and without its neighbouring
sentences (context dropout), so the head also works on bare sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..classifiers.features import FeatureInput, build_features
from ..classifiers.feats_history import CONSTRUCTION_KINDS, _COMPARE, _LIKE, _REMIND, _SUFFIX, find_constructions, find_mentions
from ..classifiers.heads import Head, models_dir, write_manifest
from .common import bootstrap_ci, data_dir, ece, embed, group_folds, macro_f1, prf, read_jsonl, save_model

NAME = "historical_analogy"
LABELS = ("analogy", "reference", "idiom", "none")
#: Every feature block computed; each candidate head uses a subset of them.
ALL_FEATURES = ("embedding", "context_embedding", "history_cues")
_WITH_CTX = ("embedding", "context_embedding", "history_cues")
_NO_CTX = ("embedding", "history_cues")
#: Candidate heads: (features, kind, regularisation).  LR: inverse L2 strength C; MLP: L2 alpha.
#: Chosen by out-of-fold log-loss over all of train (:func:`main`, step 1).
CANDIDATES = [(f, "lr", c) for f in (_WITH_CTX, _NO_CTX) for c in (0.001, 0.003, 0.01)] + \
             [(f, "mlp", a) for f in (_WITH_CTX, _NO_CTX) for a in (10.0, 30.0)]
SMEAR_C = (0.003, 0.01, 0.03, 0.1)
#: Article-grouped folds of all of train; every choice of :func:`main` is made on their out-of-fold predictions.
THRESHOLD_FOLDS = 5
#: The analogy threshold is the lowest cut whose out-of-sample analogy precision is at least this: the product
#: favours analogy recall but wants at least 3 in 5 analogy spans right.  Falls back to the F1-best cut.
MIN_PRECISION = 0.6
#: A comparison construction (``feats_history.CONSTRUCTION_KINDS``) overrides the head when its precision for
#: analogy on the training rows it fires on is at least this, over at least :data:`STRONG_MIN_HITS` rows.
STRONG_MIN_PRECISION = 0.8
STRONG_MIN_HITS = 3
#: Candidate floors on P(analogy) under which even a strong construction does not make an analogy.
FLOORS = (0.0, 0.05, 0.1, 0.2, 0.3)
#: Hidden units of the MLP candidates.
MLP_HIDDEN = 64
#: Features whose training spread is below this are left unscaled (they are constant in training).
MIN_SCALE = 1e-3
LICENCE = "labels CC BY 4.0; text snippets of their publishers"
#: The AllSides labelling rounds the shipped head trains on.  Round 2 (900 more train-split sentences) was tried
#: and not shipped: out of fold it added +0.008 [-0.005, +0.022] analogy-vs-not macro-F1 on the same rows
#: (``python -m rhetorica.training.learning_curve history``), and the retrained head lost the "takes cues from /
#: draws inspiration from" construction override (its training precision fell to 9 of 12 < 0.8), so it missed the
#: bundled example's two explicit analogies and called its admiring WWII analogy a smear.
ALLSIDES_ROUNDS: tuple[int, ...] | None = (1,)


@dataclass
class Split:
    rows: list[dict]
    X_ctx: np.ndarray     # features with the neighbouring sentences
    X_bare: np.ndarray    # features of the sentence alone (what predict_proba sees)
    y: np.ndarray         # label index
    smear: np.ndarray     # 0/1
    groups: np.ndarray    # article ids
    kinds: list           # per row: the set of comparison constructions anchored on a mention

    def subset(self, mask: np.ndarray) -> "Split":
        return Split([r for r, m in zip(self.rows, mask) if m], self.X_ctx[mask], self.X_bare[mask], self.y[mask],
                     self.smear[mask], self.groups[mask], [k for k, m in zip(self.kinds, mask) if m])

    def strong(self, kinds) -> np.ndarray:
        """Rows with at least one of ``kinds`` anchored on a mention."""
        return np.array([bool(k & set(kinds)) for k in self.kinds], dtype=bool)


def _embed_or_zero(texts: list[str]) -> np.ndarray:
    emb = embed([t if t else " " for t in texts])
    emb = np.array(emb, dtype=np.float32)
    emb[[i for i, t in enumerate(texts) if not t]] = 0.0
    return emb


def load_rows(name: str, *, allsides: bool = True, rounds: tuple[int, ...] | None = ALLSIDES_ROUNDS) -> list[dict]:
    """Rows of ``history/annotated_news/<name>.jsonl``, plus (``allsides``) the AllSides history sentences of the
    same split labelled for rhetorica (``annotations/allsides/history.jsonl``; its test split is never read here),
    of the labelling ``rounds`` given (``None``: all)."""
    rows = read_jsonl(data_dir() / "history" / "annotated_news" / f"{name}.jsonl")
    if allsides and name in ("train", "dev"):
        from .allsides_pool import load_labelled, round_of

        rows += [r for r in load_labelled("history", name) if rounds is None or round_of(r) in rounds]
    return rows


def load_split(name: str, *, allsides: bool = True, rows: list[dict] | None = None,
               rounds: tuple[int, ...] | None = ALLSIDES_ROUNDS) -> Split:
    rows = load_rows(name, allsides=allsides, rounds=rounds) if rows is None else rows
    texts = [r["text"] for r in rows]
    prev = [r.get("prev") or "" for r in rows]
    nxt = [r.get("next") or "" for r in rows]
    e, pe, ne = _embed_or_zero(texts), _embed_or_zero(prev), _embed_or_zero(nxt)
    X_ctx = build_features(ALL_FEATURES, FeatureInput(texts, e, prev, nxt, pe, ne))
    X_bare = build_features(ALL_FEATURES, FeatureInput(texts, e))
    y = np.array([LABELS.index(r["label"]) for r in rows])
    smear = np.array([bool(r["smear"]) for r in rows], dtype=int)
    kinds = [{c.kind for c in find_constructions(t)} for t in texts]
    return Split(rows, X_ctx, X_bare, y, smear, np.array([f"{r['source']}/{r['article']}" for r in rows]), kinds)


# -- heads ----------------------------------------------------------------------------------------------
def _standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale = np.where(scale < MIN_SCALE, 1.0, scale)
    return mean.astype(np.float32), scale.astype(np.float32)


def fit_head(X: np.ndarray, y: np.ndarray, labels, kind: str, reg: float, seed: int) -> Head:
    """Fit a softmax head (``lr`` or ``mlp``) on standardised features; weights copied into a :class:`Head`."""
    mean, scale = _standardise(X)
    Z = (X - mean) / scale
    k = len(labels)
    if kind == "lr":
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=reg, max_iter=5000, random_state=seed).fit(Z, y)
        if k == 2:
            W = np.hstack([-clf.coef_.T / 2, clf.coef_.T / 2])
            b = np.array([-clf.intercept_[0] / 2, clf.intercept_[0] / 2])
        else:
            W, b = clf.coef_.T, clf.intercept_
        layers = [(W.astype(np.float32), b.astype(np.float32))]
    else:
        from sklearn.neural_network import MLPClassifier

        clf = MLPClassifier(hidden_layer_sizes=(MLP_HIDDEN,), alpha=reg, max_iter=600, random_state=seed,
                            learning_rate_init=1e-3).fit(Z, y)
        (W0, W1), (b0, b1) = clf.coefs_, clf.intercepts_
        if k == 2:  # sklearn's binary MLP has one logistic output
            W1 = np.hstack([np.zeros_like(W1), W1])
            b1 = np.array([0.0, b1[0]])
        layers = [(W0.astype(np.float32), b0.astype(np.float32)), (W1.astype(np.float32), b1.astype(np.float32))]
    return Head(labels=list(labels), multi_label=False, mean=mean, scale=scale, layers=layers)


def columns(features) -> np.ndarray:
    """Column indices of the given feature blocks inside the :data:`ALL_FEATURES` matrix."""
    from ..classifiers.features import FEATURES as FNS

    probe = FeatureInput(["x"], np.zeros((1, 384), dtype=np.float32))
    widths = {f: np.asarray(FNS[f](probe)).reshape(1, -1).shape[1] for f in ALL_FEATURES}
    starts = np.cumsum([0] + [widths[f] for f in ALL_FEATURES])
    return np.concatenate([np.arange(starts[k], starts[k] + widths[f]) for k, f in enumerate(ALL_FEATURES) if f in features])


def _augment(s: Split, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Context dropout: every row with and without its neighbours."""
    return np.vstack([s.X_ctx[:, cols], s.X_bare[:, cols]]), np.concatenate([s.y, s.y]), np.concatenate([s.smear, s.smear])


def log_loss(P: np.ndarray, y: np.ndarray) -> float:
    return float(-np.mean(np.log(np.clip(P[np.arange(len(y)), y], 1e-12, 1.0))))


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The probability cut maximising F1 of the positive class (midpoint between neighbouring scores)."""
    cands = np.unique(np.round(p, 4))
    best, best_t = -1.0, 0.5
    for t in cands:
        f = prf(y, p >= t)["f1"]
        if f > best + 1e-9:
            best, best_t = f, float(t)
    return best_t


def decide(P: np.ndarray, thr: float, strong: np.ndarray | None = None, floor: float = 1.0) -> np.ndarray:
    """Label per row: analogy when P(analogy) >= thr, or when a strong comparison construction is anchored
    on the mention (``strong``) and P(analogy) >= floor; else the most probable other label."""
    rest = P[:, 1:].argmax(axis=1) + 1
    an = P[:, 0] >= thr
    if strong is not None:
        an = an | (strong & (P[:, 0] >= floor))
    return np.where(an, 0, rest)


def strong_kinds(s: Split) -> tuple[list[str], dict]:
    """Constructions precise enough to override the head, from their analogy precision on ``s``."""
    stats, strong = {}, []
    for k in CONSTRUCTION_KINDS:
        hit = np.array([k in ks for ks in s.kinds], dtype=bool)
        n, tp = int(hit.sum()), int((s.y[hit] == 0).sum())
        stats[k] = {"hits": n, "analogies": tp}
        if n >= STRONG_MIN_HITS and tp / n >= STRONG_MIN_PRECISION:
            strong.append(k)
    return strong, stats


def recall_threshold(p: np.ndarray, y: np.ndarray, extra: np.ndarray | None = None) -> float:
    """The lowest cut on ``p`` whose precision (``extra`` rows always positive) is >= :data:`MIN_PRECISION`;
    the F1-best cut when no cut reaches it."""
    extra = np.zeros(len(p), dtype=bool) if extra is None else extra
    for t in np.unique(np.round(p, 4)):
        if prf(y, (p >= t) | extra)["precision"] >= MIN_PRECISION:
            return float(t)
    return best_threshold(p, y)


# -- metrics -------------------------------------------------------------------------------------------
def binary_macro_f1(y: np.ndarray, yhat: np.ndarray) -> float:
    """Macro-F1 of analogy-vs-not (the README baselines' metric)."""
    return macro_f1(np.asarray(y) == 0, np.asarray(yhat) == 0)


def evaluate(P: np.ndarray, ps: np.ndarray | None, s: Split, thr: float, smear_thr: float,
             strong: np.ndarray | None = None, floor: float = 1.0) -> dict:
    yhat = decide(P, thr, strong, floor)
    an_true, an_pred = s.y == 0, yhat == 0
    out = {"n": int(len(s.y)), "n_analogy": int(an_true.sum()), **{f"analogy_{k}": v for k, v in prf(an_true, an_pred).items()},
           "analogy_macro_f1": binary_macro_f1(s.y, yhat), "macro_f1_4class": macro_f1(s.y, yhat),
           "brier_4class": float(np.mean(np.sum((P - np.eye(len(LABELS))[s.y]) ** 2, axis=1))),
           "brier_analogy": float(np.mean((P[:, 0] - an_true) ** 2)), "ece_analogy": ece(an_true, P[:, 0]),
           "log_loss": log_loss(P, s.y)}
    g = s.groups
    out["analogy_f1_ci"] = bootstrap_ci(lambda a, b: prf(a == 0, b == 0)["f1"], s.y, yhat, groups=g)
    out["analogy_macro_f1_ci"] = bootstrap_ci(binary_macro_f1, s.y, yhat, groups=g)
    out["macro_f1_4class_ci"] = bootstrap_ci(macro_f1, s.y, yhat, groups=g)
    if ps is not None:
        sm = an_pred & (ps >= smear_thr)
        out.update({f"smear_{k}": v for k, v in prf(s.smear, sm).items()})
        out["n_smear"] = int(s.smear.sum())
        out["smear_f1_ci"] = bootstrap_ci(lambda a, b: prf(a, b)["f1"], s.smear, sm.astype(int), groups=g)
    return out


def _select(s: Split, cols: np.ndarray) -> Split:
    return Split(s.rows, s.X_ctx[:, cols], s.X_bare[:, cols], s.y, s.smear, s.groups, s.kinds)


def baselines(train: Split, test: Split, seed: int, strong: list[str] = ()) -> dict:
    """Every-match, cue-word rule, TF-IDF + LR and frozen MiniLM + LR (fitted on ``train``), scored on ``test``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts_tr = [r["text"] for r in train.rows]
    texts_te = [r["text"] for r in test.rows]
    y_tr = train.y == 0
    preds = {
        "every match is an analogy": np.ones(len(texts_te), dtype=bool),
        "cue-word rule": np.array([bool(_LIKE.search(t) or _REMIND.search(t) or _COMPARE.search(t) or _SUFFIX.search(t)
                                        or re.search(r"\b(?:since|new|another|modern-day)\b", t, re.I)) for t in texts_te]),
    }
    if strong:
        preds["strong comparison constructions alone"] = test.strong(strong)
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
    lr = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced", random_state=seed)
    preds["TF-IDF + LR"] = lr.fit(vec.fit_transform(texts_tr), y_tr).predict(vec.transform(texts_te)).astype(bool)
    emb_tr, emb_te = train.X_ctx[:, :384], test.X_ctx[:, :384]
    lr = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced", random_state=seed)
    preds["frozen MiniLM + LR"] = lr.fit(emb_tr, y_tr).predict(emb_te).astype(bool)
    out = {}
    for name, p in preds.items():
        yhat = np.where(p, 0, 3)
        out[name] = {**{f"analogy_{k}": v for k, v in prf(test.y == 0, p).items()},
                     "analogy_macro_f1": binary_macro_f1(test.y, yhat),
                     "analogy_macro_f1_ci": bootstrap_ci(binary_macro_f1, test.y, yhat, groups=test.groups)}
    reviled = np.array([any(m.reviled for m in find_mentions(t)) for t in texts_te])
    out["smear rule: reviled referent"] = {f"smear_{k}": v for k, v in prf(test.smear, reviled).items()}
    return out


def gazetteer_recall(s: Split) -> dict:
    hit = np.array([bool(find_mentions(r["text"])) for r in s.rows])
    hist = s.y != LABELS.index("none")
    return {"all_sentences": float(hit.mean()), "analogy_reference_idiom": float(hit[hist].mean()),
            "analogy": float(hit[s.y == 0].mean())}


# -- main ----------------------------------------------------------------------------------------------
def _oof(s: Split, target: np.ndarray, labels, kind: str, reg: float, seed: int) -> np.ndarray:
    """Out-of-fold P (with context) of ``target`` over ``s``: :data:`THRESHOLD_FOLDS` article-grouped folds
    (the same folds for every candidate), each head fitted on the other folds' rows with and without context."""
    fold = group_folds(s.groups, THRESHOLD_FOLDS, seed)
    P = np.zeros((len(target), len(labels)))
    for f in range(THRESHOLD_FOLDS):
        tr = fold != f
        X = np.vstack([s.X_ctx[tr], s.X_bare[tr]])
        y = np.concatenate([target[tr], target[tr]])
        P[~tr] = fit_head(X, y, labels, kind, reg, seed).predict_proba(s.X_ctx[~tr])
    return P


def main(seed: int = 0) -> dict:
    train, dev = load_split("train"), load_split("dev")
    print(f"{NAME}: train {len(train.y)} sentences ({len(set(train.groups))} articles; {THRESHOLD_FOLDS} "
          f"article-grouped folds), dev {len(dev.y)}")

    # 1. model selection: out-of-fold log-loss (with context) over all of train, the same folds for every candidate
    scores = []
    for feats, kind, reg in CANDIDATES:
        cols = columns(feats)
        P = _oof(_select(train, cols), train.y, LABELS, kind, reg, seed)
        ll = log_loss(P, train.y)
        scores.append((ll, feats, kind, reg, P))
        print(f"  {'+'.join(feats)} {kind} reg={reg:g}: out-of-fold log-loss {ll:.3f}", flush=True)
    _, feats, kind, reg, P_oof = min(scores, key=lambda t: t[0])
    print(f"  chosen head: {'+'.join(feats)} {kind} reg={reg:g}")
    cols = columns(feats)
    train, dev = _select(train, cols), _select(dev, cols)
    # 2. the comparison-construction override and the analogy threshold, on the chosen head's out-of-fold
    # predictions; the constructions' precision is counted on all of train (a rule statistic, nothing fitted)
    strong, kind_stats = strong_kinds(train)
    an_fit = train.y == 0
    st_fit = train.strong(strong)
    choices = []
    for floor in FLOORS:
        extra = st_fit & (P_oof[:, 0] >= floor)
        t = recall_threshold(P_oof[:, 0], an_fit, extra)
        r = prf(an_fit, (P_oof[:, 0] >= t) | extra)
        choices.append((r["precision"] >= MIN_PRECISION, r["recall"], r["f1"], -floor, t, r))
        print(f"  construction floor {floor:g}: threshold {t:.3f}, out-of-fold analogy P {r['precision']:.3f} "
              f"R {r['recall']:.3f} F1 {r['f1']:.3f}")
    _, _, _, neg_floor, thr, oof_r = max(choices, key=lambda c: c[:4])
    floor = -neg_floor
    P_oof_plain_thr = best_threshold(P_oof[:, 0], an_fit)
    oof_plain = prf(an_fit, P_oof[:, 0] >= P_oof_plain_thr)
    print(f"  strong constructions {strong} (train hits/analogies {kind_stats}); floor {floor:g}, threshold {thr:.3f}; "
          f"head alone at its F1-best cut {P_oof_plain_thr:.3f}: out-of-fold P {oof_plain['precision']:.3f} "
          f"R {oof_plain['recall']:.3f} F1 {oof_plain['f1']:.3f}")
    # smear head: binary LR on the same features, C by out-of-fold log-loss; threshold by out-of-fold F1 among
    # rows the main head calls analogies
    s_scores = []
    for C in SMEAR_C:
        Ps = _oof(train, train.smear, ("not_smear", "smear"), "lr", C, seed)
        s_scores.append((log_loss(Ps, train.smear), C, Ps))
    _, smear_C, Ps_oof = min(s_scores, key=lambda t: t[0])
    ps_oof = Ps_oof[:, 1]
    an_oof = decide(P_oof, thr, st_fit, floor) == 0
    smear_thr = max(best_threshold(np.where(an_oof, ps_oof, 0.0), train.smear), 1e-4)
    validation = evaluate(P_oof, ps_oof, train, thr, smear_thr, st_fit, floor)
    validation["head_alone"] = evaluate(P_oof, None, train, thr, smear_thr)
    validation["out_of_sample_train"] = _round({**oof_r, "threshold": thr, "floor": floor,
                                                 "head_alone_f1_best": {**oof_plain, "threshold": P_oof_plain_thr}})
    print(f"  chosen: {kind} reg={reg:g}; analogy threshold {thr:.3f}; smear C={smear_C:g}, threshold {smear_thr:.3f}")
    _print("out-of-fold on train", validation)

    # 3. retrain on all of train, report once on dev
    X, y, sm = _augment(train, np.arange(len(cols)))
    head = fit_head(X, y, LABELS, kind, reg, seed)
    sh = fit_head(X, sm, ("not_smear", "smear"), "lr", smear_C, seed)
    head.thresholds = {"analogy": round(thr, 4)}
    st_train, st_dev = train.strong(strong), dev.strong(strong)
    # the span score of an analogy made by the override: P(analogy | strong construction) on all of train,
    # Laplace-smoothed, when the head's own P(analogy) is lower
    override_score = float(((train.y[st_train] == 0).sum() + 1) / (st_train.sum() + 2))
    P_dev = head.predict_proba(dev.X_ctx)
    dev_res = evaluate(P_dev, sh.predict_proba(dev.X_ctx)[:, 1], dev, thr, smear_thr, st_dev, floor)
    dev_res["bare_sentences"] = evaluate(head.predict_proba(dev.X_bare), sh.predict_proba(dev.X_bare)[:, 1], dev, thr,
                                         smear_thr, st_dev, floor)
    dev_res["head_alone"] = evaluate(P_dev, None, dev, thr, smear_thr)
    _print("dev", dev_res)
    _print("dev, head alone (no construction override)", dev_res["head_alone"])
    base = baselines(train, dev, seed, strong)
    for name, r in base.items():
        print(f"  baseline {name}: " + ", ".join(f"{k}={_fmt(v)}" for k, v in r.items()))
    recall = {"train": gazetteer_recall(train), "dev": gazetteer_recall(dev)}
    print(f"  gazetteer recall: {recall}")

    construction = {"kinds": strong, "floor": floor, "score": round(override_score, 4),
                    "train_construction_hits": kind_stats,
                    "train_hits": {"strong_rows": int(st_train.sum()), "analogies": int((train.y[st_train] == 0).sum())},
                    "rule": "analogy when P(analogy) >= the analogy threshold, or when one of `kinds` is anchored on "
                            "the mention and P(analogy) >= floor; the span score is then max(P(analogy), score)"}
    is_new = np.array([r["source"] == "allsides" for r in dev.rows])
    dev_by_source = {}
    for name, mask in (("earlier sources (BBC, PolNeAR, PTC)", ~is_new), ("AllSides (77 US outlets)", is_new)):
        sub = dev.subset(mask)
        dev_by_source[name] = evaluate(P_dev[mask], None, sub, thr, smear_thr, st_dev[mask], floor)
        _print(f"dev, {name}", dev_by_source[name])
    n_new_train = sum(r["source"] == "allsides" for r in train.rows)
    results = {"head": {"features": list(feats), "kind": kind, "reg": reg, "smear_C": smear_C}, "thresholds": {"analogy": thr, "smear": smear_thr},
               "dev_by_source": dev_by_source,
               "construction": construction,
               "validation": validation, "dev": dev_res, "baselines_dev": base, "gazetteer_recall": recall,
               "n": {"train": len(train.y), "dev": len(dev.y),
                     "train_earlier": len(train.y) - n_new_train, "train_allsides": n_new_train,
                     "dev_allsides": int(is_new.sum()), "train_smear": int(train.smear.sum())}}
    meta = {
        "features": list(feats),
        "head": f"{'logistic regression' if kind == 'lr' else f'MLP ({MLP_HIDDEN} ReLU units)'}, reg={reg:g}",
        "construction": construction,
        "smear": {"labels": ["not_smear", "smear"], "arrays_prefix": "smear_", "layers": len(sh.layers),
                  "threshold": round(smear_thr, 4),
                  "rule": "smear = the sentence is called an analogy and P(smear) >= threshold"},
        "card": {"task": "historical analogy vs literal reference / idiom / none, for sentences that mention history",
                 "data": f"history/annotated_news train ({len(train.y) - n_new_train} sentences) + "
                         f"annotations/allsides/history.jsonl train ({n_new_train}); split by article",
                 "licence": LICENCE, "metrics": _card_metrics(results)},
    }
    folder = save_model(NAME, head, meta, card(results, feats, kind, reg, smear_C))
    _add_smear_arrays(folder, sh)
    return results


def _add_smear_arrays(folder, sh: Head) -> None:
    """Store the smear head beside the main head in ``weights.npz`` (keys ``smear_*``), then refresh the manifest."""
    path = folder / "weights.npz"
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["smear_mean"], arrays["smear_scale"] = sh.mean, sh.scale
    for k, (W, b) in enumerate(sh.layers):
        arrays[f"smear_W{k}"], arrays[f"smear_b{k}"] = W.astype(np.float32), b.astype(np.float32)
    np.savez_compressed(path, **arrays)
    write_manifest(models_dir())


def _fmt(v) -> str:
    if isinstance(v, tuple):
        return f"[{v[0]:.3f}, {v[1]:.3f}]"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def _print(title: str, r: dict) -> None:
    keys = ["n", "n_analogy", "analogy_precision", "analogy_recall", "analogy_f1", "analogy_f1_ci", "analogy_macro_f1",
            "analogy_macro_f1_ci", "macro_f1_4class", "macro_f1_4class_ci", "n_smear", "smear_precision", "smear_recall",
            "smear_f1", "smear_f1_ci", "brier_4class", "brier_analogy", "ece_analogy", "log_loss"]
    print(f"  {title}: " + ", ".join(f"{k}={_fmt(r[k])}" for k in keys if k in r))
    if "bare_sentences" in r:
        b = r["bare_sentences"]
        print(f"    (bare sentences, no context: analogy_f1={b['analogy_f1']:.3f}, macro_f1_4class={b['macro_f1_4class']:.3f})")


def _round(r: dict) -> dict:
    out = {}
    for k, v in r.items():
        if isinstance(v, float):
            out[k] = round(v, 4)
        elif isinstance(v, tuple):
            out[k] = [round(x, 4) for x in v]
        elif isinstance(v, dict):
            out[k] = _round(v)
        else:
            out[k] = v
    return out


def _card_metrics(res: dict) -> dict:
    return _round({"validation": res["validation"], "dev": res["dev"], "dev_by_source": res["dev_by_source"],
                   "baselines_dev": res["baselines_dev"],
                   "gazetteer_recall": res["gazetteer_recall"], "thresholds": res["thresholds"],
                   "construction_floor": res["construction"]["floor"]})


def card(res: dict, feats, kind: str, reg: float, smear_C: float) -> str:
    v, d, b, thr = res["validation"], res["dev"], res["baselines_dev"], res["thresholds"]
    con, oos, dh = res["construction"], res["validation"]["out_of_sample_train"], res["dev"]["head_alone"]
    n = res["n"]

    def ci(x):
        return f"[{x[0]:.2f}, {x[1]:.2f}]"

    head = "logistic regression" if kind == "lr" else f"one-hidden-layer MLP ({MLP_HIDDEN} ReLU units)"
    ctx_note = (", the embeddings of the previous and next sentence (`context_embedding`)," if "context_embedding" in feats
                else " (the raw neighbour embeddings, `context_embedding`, were a candidate too but lost on out-of-fold"
                     " log-loss; the neighbours enter through the context cues below),")
    rows = "\n".join(
        f"| {name} | {r['analogy_precision']:.2f} | {r['analogy_recall']:.2f} | {r['analogy_f1']:.2f} | "
        f"{r['analogy_macro_f1']:.2f} {ci(r['analogy_macro_f1_ci'])} | – |" for name, r in b.items() if "analogy_f1" in r)
    sb = b["smear rule: reviled referent"]
    smear_note = ("precise but misses many smears; its dev F1 is above the plain \"reviled referent\" rule's (see above),"
                  if d["smear_f1"] > sb["smear_f1"] else
                  "precise but misses many smears; the plain \"reviled referent\" rule has the higher dev F1 (see above),")
    smear_note += "\n  with wide intervals."
    gr = res["gazetteer_recall"]
    sc = b["strong comparison constructions alone"]
    by_source = "\n".join(
        f"| {name} | {r['n']} | {r['n_analogy']} | {r['analogy_precision']:.2f} | {r['analogy_recall']:.2f} | "
        f"{r['analogy_f1']:.2f} | {r['analogy_macro_f1']:.2f} {ci(r['analogy_macro_f1_ci'])} |"
        for name, r in res["dev_by_source"].items())
    if (d["analogy_precision"], d["analogy_recall"]) == (dh["analogy_precision"], dh["analogy_recall"]):
        override_note = (f"On dev the construction override changed no analogy decision: strong constructions are rare "
                         f"there (alone they find {sc['analogy_recall']:.0%} of the dev analogies), so the change from the "
                         f"previous version (R 0.47 to {d['analogy_recall']:.2f}) comes from the construction features and "
                         f"the lower threshold; it is small and well inside the intervals.")
    else:
        override_note = (f"On dev the construction override moves analogy P/R from {dh['analogy_precision']:.2f} / "
                         f"{dh['analogy_recall']:.2f} (head alone) to {d['analogy_precision']:.2f} / {d['analogy_recall']:.2f}.")
    return f"""# historical_analogy

Does a sentence that mentions history *compare the present with it* (an analogy: "a new Munich", "the worst
attack since 9/11", "he invoked the fight against Nazi Germany"), mention it literally (a reference: "the Berlin
Wall fell in 1989"), use a dead history-derived idiom ("witch hunt"), or not mean history at all ("Bayern
Munich")?  Labels: `["analogy", "reference", "idiom", "none"]` (softmax).  A second small head gives
P(smear): an analogy used to discredit someone by linking them with a reviled figure or regime (reductio ad
hitlerum / guilt by association).  The `historical_analogy` detector runs both on every sentence in which the
gazetteer (`rhetorica/data/history_gazetteer.json`) finds a historical event, era, regime or figure.

## Model

- Features (`{' + '.join(feats)}`): the shared MiniLM-L6 sentence embedding{ctx_note} and `history_cues`
  (gazetteer category of the matched term, comparison cues "like",
  "reminiscent of", "echoes of", "new/another X", "since X", "worst ... since", "compared/invoked/lesson",
  "-like/-style", date and tense cues, smear-target and insult cues, and 4 cues per neighbouring sentence),
  plus one column per *comparison construction anchored on the gazetteer mention*
  (`feats_history.find_constructions`: {', '.join(CONSTRUCTION_KINDS)} — "a new / another / modern-day X",
  "X-style / X-like", "echoes of / reminiscent of / harks back to X", "like X / compared ... to X",
  "worst ... since X", "takes cues / draws inspiration from ... X / invoked X / lessons of X",
  "the X of our time").  No extra encoder pass.
- Construction override: the kinds whose analogy precision on the training sentences was >= {STRONG_MIN_PRECISION}
  over >= {STRONG_MIN_HITS} sentences ({', '.join(con['kinds'])}) make a sentence an analogy whenever
  P(analogy) >= {con['floor']:g} (the floor, chosen from {FLOORS} on out-of-sample training predictions),
  even below the analogy threshold; the span score is then max(P(analogy), {con['score']:.2f}), the
  Laplace-smoothed analogy precision of these constructions on all of train
  ({con['train_hits']['analogies']} of {con['train_hits']['strong_rows']} sentences).  The override lives in the
  detector (model.json `construction`); `load_classifier(...).predict_proba` gives the head alone.
- Head: {head}, regularisation {reg:g}, chosen among {len(CANDIDATES)} candidates (feature set x head x
  regularisation) by out-of-fold log-loss ({THRESHOLD_FOLDS} article-grouped folds of train).
  Smear head: logistic regression (C={smear_C:g}) on the same features, trained on the `smear` flag.
- Context dropout: every training sentence is seen with and without its neighbours, so
  `predict_proba(texts)` on bare sentences works (see the "bare" figures below).

## Training data

{n['train']} training sentences: the train split of `history/annotated_news` of rhetorica's data collection
({n['train_earlier']} sentences from ~2,600 news articles: BBC, PolNeAR, PTC/SemEval, matching a broad historical keyword
list; two independent passes agree on 93.3% of labels, kappa 0.90; analogy-vs-not kappa 0.85) and the train split of
`annotations/allsides/history.jsonl` ({n['train_allsides']} sentences from 2012-2020 articles of 77 US outlets across the
left / center / right spectrum, matched by the detector's own gazetteer, labelled for rhetorica; two independent
passes on 162 items: label kappa 0.92, analogy-vs-not kappa 0.89; see `annotations/allsides/DATA_CARD.md`).  Each
sentence comes with the sentence before and after, labelled analogy / reference / idiom / none, referent, smear and
voice following the same guidelines.  The AllSides test split is held out and was not read.
Licence: {LICENCE}.  The model files contain no text.

Command: `python -m rhetorica.training historical_analogy` (seed 0).

## Out-of-fold validation on train (every choice was made here, before looking at dev)

Out-of-fold predictions for all {n['train']} training sentences ({v['n_analogy']} analogies), from
{THRESHOLD_FOLDS} article-grouped folds (the same folds for every candidate): each sentence is predicted by a head
fitted on the other folds.  The candidate head, the analogy threshold, the construction floor, the smear head's C
and the smear threshold were all chosen on these predictions, so the figures below share those choices (they are
slightly optimistic); dev below is the independent check.

| | analogy P | R | F1 | macro-F1 analogy-vs-not | 4-class macro-F1 |
|---|---|---|---|---|---|
| out-of-fold | {v['analogy_precision']:.2f} | {v['analogy_recall']:.2f} | {v['analogy_f1']:.2f} {ci(v['analogy_f1_ci'])} | {v['analogy_macro_f1']:.2f} {ci(v['analogy_macro_f1_ci'])} | {v['macro_f1_4class']:.2f} {ci(v['macro_f1_4class_ci'])} |

Smear out-of-fold ({v['n_smear']} smears): P {v['smear_precision']:.2f}, R {v['smear_recall']:.2f},
F1 {v['smear_f1']:.2f} {ci(v['smear_f1_ci'])}.

## More AllSides labels (round 2): tried, not shipped
A second labelling round added 900 train-split AllSides history sentences (`annotations/allsides/DATA_CARD.md`).
On the same out-of-fold rows, a head with this card's settings trained with them scored +0.008 [-0.005, +0.022]
analogy-vs-not macro-F1 over one trained without them (`python -m rhetorica.training.learning_curve history`).
Retrained on them with every choice re-made out of fold, the head lost the "takes cues from / draws inspiration
from" construction override (its training precision fell to 9 of 12, under the 0.8 bar) and then missed the
bundled example article's two explicit analogies and called its admiring WWII analogy a smear.  So this head keeps
the round-1 labels (`ALLSIDES_ROUNDS` in `rhetorica/training/history.py`).  The two retrains with round 2 (the second
with a precision floor of 0.5 on the smear cut) printed dev, the eighth and ninth prints of the earlier dev sentences
and the fifth and sixth of the AllSides ones (analogy-vs-not macro-F1 0.74 [0.69, 0.80] both times, against 0.73 for
this head); dev was not used for the decision.

## Dev (after retraining on all {n['train']} training sentences)

{d['n']} sentences from other articles, {d['n_analogy']} analogies, {d['n_smear']} smears.  95% intervals:
percentile bootstrap over articles (1,000 resamples).  Baselines fitted on the same training split.
Nothing was tuned on dev, but the earlier part of dev has been looked at before: a first version and a second
one (three cue features added for hand-written behaviour cases) were each scored on it (analogy-vs-not macro-F1
0.75, then 0.72 with analogy P 0.65, R 0.47, F1 0.55), and a third version (the construction features and
override) once more.  Round 3 (this head: earlier + AllSides train) printed dev three times, each after all
choices were made on training data: (1) with the old protocol (one 20% validation split for every choice):
analogy-vs-not macro-F1 0.739; (2) after switching every choice to {THRESHOLD_FOLDS}-fold out-of-fold
predictions, as the project's selection rule requires (the switch was made because the first head failed two
behaviour tests, an admiring WWII analogy flagged as a smear and a present-day "Vietnam's economy" called
history, not because of its dev figure): 0.732; (3) the same protocol after adding a present-day-state blocker
for "Vietnam's economy / government / exports ..." to the gazetteer (the table below).  So these are the
fourth to sixth looks at the earlier {n['dev'] - n['dev_allsides']} dev sentences and the first to third at the
{n['dev_allsides']} AllSides dev sentences (other articles, other outlets); no figure of dev was used to choose
anything.  A fourth print came when every word-reading head was retrained on rhetorica's one word pattern
(`rhetorica/text/words.py`): the same choices and the same figures, nothing changed by it.  Two more prints
came with the two rounds of the gazetteer audit of 2026-12-08 (below), which added 22 and then 17 entries to the
candidate matcher, chosen on labelled AllSides *train* sentences.  Each retrain made the same choices of head and
floor.  The analogy threshold moved 0.410 -> 0.408 -> 0.409; the smear threshold moved 0.292 -> 0.293 -> 0.325,
a flat optimum.  The dev prints read macro-F1 0.724, then 0.727, against 0.732 before the audit.  Dev smear F1 fell
from 0.65 to 0.60, two smears fewer.  Each retrain was followed by an int8 validation read of dev.  These are the
tenth to thirteenth looks at the earlier dev sentences and the seventh to tenth at the AllSides ones.  Each
retrain was run twice to check that it reproduces (identical files), and both runs printed the same figures.  Nothing was chosen on
any of them.  The AllSides part is the fairer test of news the head has not seen.

| dev part | n | analogies | analogy P | R | F1 | macro-F1 analogy-vs-not [95% CI] |
|---|---|---|---|---|---|---|
{by_source}

| model | analogy P | R | F1 | macro-F1 analogy-vs-not [95% CI] | 4-class macro-F1 |
|---|---|---|---|---|---|
| **this head (with context)** | {d['analogy_precision']:.2f} | {d['analogy_recall']:.2f} | {d['analogy_f1']:.2f} {ci(d['analogy_f1_ci'])} | {d['analogy_macro_f1']:.2f} {ci(d['analogy_macro_f1_ci'])} | {d['macro_f1_4class']:.2f} {ci(d['macro_f1_4class_ci'])} |
| head alone, no construction override | {dh['analogy_precision']:.2f} | {dh['analogy_recall']:.2f} | {dh['analogy_f1']:.2f} {ci(dh['analogy_f1_ci'])} | {dh['analogy_macro_f1']:.2f} {ci(dh['analogy_macro_f1_ci'])} | {dh['macro_f1_4class']:.2f} |
| previous version (second dev look) | 0.65 | 0.47 | 0.55 [0.33, 0.71] | 0.72 [0.61, 0.82] | 0.73 [0.61, 0.80] |
| this head (bare sentence) | {d['bare_sentences']['analogy_precision']:.2f} | {d['bare_sentences']['analogy_recall']:.2f} | {d['bare_sentences']['analogy_f1']:.2f} | {d['bare_sentences']['analogy_macro_f1']:.2f} | {d['bare_sentences']['macro_f1_4class']:.2f} |
{rows}

{override_note}

Published anchor (the data README, on the held-out *test* split, which is not available here):
macro-F1 analogy-vs-not: every match 0.17, cue-word rule 0.56, TF-IDF + LR 0.66, frozen MiniLM + LR 0.67.
Dev has 143 sentences, so the intervals are wide; the comparison with the anchor is indicative only.

Smear on dev (analogy predicted and P(smear) >= threshold): P {d['smear_precision']:.2f},
R {d['smear_recall']:.2f}, F1 {d['smear_f1']:.2f} {ci(d['smear_f1_ci'])}; rule "the sentence mentions a reviled
referent" (Nazis, Hitler, Stalin, fascism, KKK, apartheid, ...): P {sb['smear_precision']:.2f},
R {sb['smear_recall']:.2f}, F1 {sb['smear_f1']:.2f}.

## Calibration

| split | Brier (4-class) | Brier (analogy) | ECE (analogy, 10 bins) |
|---|---|---|---|
| out-of-fold on train | {v['brier_4class']:.3f} | {v['brier_analogy']:.3f} | {v['ece_analogy']:.3f} |
| dev | {d['brier_4class']:.3f} | {d['brier_analogy']:.3f} | {d['ece_analogy']:.3f} |

## Thresholds

- `analogy`: {thr['analogy']:.3f} on P(analogy): the lowest cut whose analogy precision is >= {MIN_PRECISION}
  (recall favoured, precision kept at about 3 in 5) on the out-of-fold predictions for all of train
  ({THRESHOLD_FOLDS} article-grouped folds), with the construction override applied: there P {oos['precision']:.2f}, R {oos['recall']:.2f}, F1 {oos['f1']:.2f} (the head alone at its
  F1-best cut {oos['head_alone_f1_best']['threshold']:.3f}: P {oos['head_alone_f1_best']['precision']:.2f},
  R {oos['head_alone_f1_best']['recall']:.2f}, F1 {oos['head_alone_f1_best']['f1']:.2f}).
  Below it the detector takes the most probable of the other labels (a `reference` gives a
  `historical_reference` span; idiom and none give nothing).
- smear: {thr['smear']:.3f} on P(smear), maximising smear F1 on the out-of-fold predictions among sentences called
  analogies.

## Candidate matcher (gazetteer)

Recall of the gazetteer on sentences labelled analogy / reference / idiom: train {gr['train']['analogy_reference_idiom']:.3f},
dev {gr['dev']['analogy_reference_idiom']:.3f}; on all keyword-matched sentences, including the `none` ones:
train {gr['train']['all_sentences']:.3f}, dev {gr['dev']['all_sentences']:.3f} (the misses are present-day
namesakes the gazetteer blocks on purpose: "Charles Kennedy", "Bayern Munich", "Fahrenheit 9/11").

Those recalls are on sentences a keyword list chose, so they cannot show what the list itself misses.  An audit
on AllSides train-split articles (2026-12-08, `python benchmarks/gazetteer_audit.py`,
`benchmarks/RESULTS_gazetteer_audit.md`) proposed 27 more entries: figures, events and idioms that news uses
as yardsticks ("a Katrina moment", "a new Manhattan Project", "Willie Horton tactics", "a Benedict Arnold").
It labelled all 337 train-split sentences they match that the gazetteer did not (`annotations/allsides/
gazetteer_audit.jsonl`: 67 analogies; 36 items double-annotated, label kappa 0.90).
- A pattern stayed only if at least half of its matches are history: "John Dean" in link text, and "Sputnik"
  the news agency, failed.  Bare "Sputnik" was narrowed to "Sputnik moment".
- An entry stayed only if the head shipped before the audit made its analogy calls on the entry's sentences
  at a precision of at least 0.3, the break-even for an analogy F1 near 0.6 (an entry with no call stayed).
  This rule was set after that first scoring, with the per-entry counts in view.
  Five entries failed and were dropped: Great Recession (4 of 18), Woodrow Wilson (0 of 8), Orwell (1 of 6),
  Abu Ghraib (0 of 1) and the Watergate figures (0 of 1).
- The 22 entries kept also fix two referents.  "J. Edgar Hoover" no longer reads as Herbert Hoover's
  Depression, and "Teddy Roosevelt" no longer reads as FDR.
- With the head retrained after round 1, the audited sentences gained 22 of their 67 analogies, with 9 false
  analogy calls (precision 0.71).  Before the audit none of these sentences could be flagged.  These figures are
  in-sample: the entries were chosen on the same labels.
- Tried, not shipped: every round-1 entry kept and the head trained on the audit rows too (`--train`, out of
  fold).  That lifts the audit rows from 0.665 to 0.697 macro-F1 and costs the older rows nothing.  Over all rows
  the gain is +0.005 [-0.008, +0.018], inside resampling noise, the bar the labelling rounds were held to.
- A second round (18 more entries, applying both rules as they stood) labelled the 146 train sentences they add
  (39 analogies; 16 items double-annotated, label kappa 0.90).  The Lewinsky affair, Anita Hill, Rodney King, the
  1918 flu, Black Monday and others were kept.  Rule 1 removed "Black Panthers" (mostly the present-day New Black
  Panther Party); rule 2 dropped the McCarthyism additions (0 of 1).
- With both rounds and the head retrained after round 2, the kept entries' audited sentences gain 42 of their 86
  analogies, with 17 false analogy calls (precision 0.71), in-sample.

## Intended use and limits

- For news text in English: flags sentences that invoke history as a comparison, lens or emblem, and
  sentences that narrate history.  Scores are per sentence; the span is the whole sentence.
- Only sentences with a gazetteer match are classified: analogies with no listed historical term
  ("like the fall of an empire" with no name) are missed by design.
- "Events current when the article was written are not history" depends on the article date, which the
  model does not see; recent wars (Iraq 2003) are the weakest case.
- The construction patterns are English regular expressions: they see "a new Munich", "takes cues from
  Russia's resilience in the WWII era", "like the 1930s", not paraphrases ("a repeat of what Chamberlain did")
  or analogies spread over two sentences; "like X" after a plural noun ("issues like the Iraq war") is read
  as "such as" and left out.  "Worst ... since X" is only a feature (it is a reference when X is a date).
- The smear head is trained on {n['train_smear']} positive training examples and needs the analogy call first; on dev it is
  {smear_note}
  Treat it as a pointer, not a verdict.
  A reported comparison ("X compared Y to the Nazis") counts as a smear analogy, following the guidelines.
- On another outlet, the labelled Wikinews sample (2019–2020, `annotations/wikinews/`, read once for the head
  shipped on 2026-12-07 before the gazetteer audit, nothing chosen on it, not read again): 167 history sentences, only 4 of them analogies. The head found 2
  of the 4 and called 4 of the 163 other mentions analogies; macro-F1 0.691 [0.487, 0.927], against 0.575 for
  frozen MiniLM + LR. Four analogies cannot rank the two (`benchmarks/RESULTS_wikinews_test.md`).
"""
