"""Does the technique tagger's output help the span classifier (``propaganda_technique``)?  Out of fold on the PTC pool.

    python benchmarks/tagger_span_probe.py           # writes nothing; prints the table of RESULTS_tagger_span_probe.md

The span classifier labels a span given as text (``predict_proba(texts)``), so the tagger reads the span alone, as
that call path would: each pool span is encoded on its own and the tagger's word-piece probabilities (``any`` and the
14 techniques) are pooled over it (mean and maximum per label, as log probabilities).  The tagger was trained on these
articles, so its output is cross-fitted: for the spans of fold k, a tagger of the shipped recipe refitted on the pool
articles outside fold k (the same 5 article folds as the span classifier's cross-validation).  Logistic regression on
the span's frozen embedding (the card's baseline) against the same with the tagger block; micro-F1 (accuracy) out of
fold, paired bootstrap over articles.  The held-out articles are not read.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from rhetorica.classifiers.encoder import get_encoder
    from rhetorica.classifiers.token_head import token_runner
    from rhetorica.detectors.token_reader import piece_flags, quote_mark_mask
    from rhetorica.training import common
    from rhetorica.training import technique_tagger as tt
    from rhetorica.training.persuasion import TAGGER_CONFIG
    from rhetorica.training.propaganda import N_FOLDS, TECHNIQUES, load_ptc

    t0, seed = time.time(), common.SEED
    ptc = load_ptc(seed)
    lab = {t: k for k, t in enumerate(TECHNIQUES)}
    rows = [(a, t, s, e) for a, t, s, e in ptc.spans if e > s]
    groups = np.array([a for a, *_ in rows])
    pool = np.array([ptc.split[a] != "heldout" for a in groups])
    idx = np.flatnonzero(pool)
    texts = [ptc.texts[rows[i][0]][rows[i][2]:rows[i][3]] for i in idx]
    y = np.array([lab[rows[i][1]] for i in idx])
    g = groups[idx]
    fold = common.group_folds(g, N_FOLDS, seed)
    fold_of = dict(zip(g, fold))
    own = common.embed(texts)
    arts, split = tt.build()
    tagger_pool = [a for a in arts if split[a.id] != "heldout"]
    vecs, states = get_encoder("fp32").encode_with_tokens(texts)
    T = np.zeros((len(texts), 30), dtype=np.float32)
    for k in range(N_FOLDS):
        runner = token_runner(tt.fit_head([a for a in tagger_pool if fold_of.get(a.id, k) != k], *TAGGER_CONFIG,
                                          seed=seed))
        sel = [j for j in range(len(texts)) if fold[j] == k and states[j] is not None and len(states[j].offsets)]
        flags = [np.stack([np.zeros(len(states[j].offsets), np.float32),
                           piece_flags(states[j].offsets.astype(np.int64), quote_mark_mask(texts[j]))], axis=1)
                 for j in sel]
        for j, P in zip(sel, runner.proba([states[j].states for j in sel], np.vstack([vecs[j] for j in sel]), flags)):
            T[j] = np.concatenate([P.mean(axis=0), P.max(axis=0)])
        print(f"  tagger without fold {k + 1}: {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
    tagger = np.log(np.clip(T, 1e-3, 1.0))

    def oof(X: np.ndarray, C: float) -> np.ndarray:
        hit = np.zeros(len(y))
        for k in range(N_FOLDS):
            tr, te = fold != k, fold == k
            sc = StandardScaler().fit(X[tr])
            m = LogisticRegression(C=C, max_iter=3000).fit(sc.transform(X[tr]), y[tr])
            hit[te] = m.predict(sc.transform(X[te])) == y[te]
        return hit

    def paired(a: np.ndarray, b: np.ndarray) -> list[float]:
        return common.bootstrap_ci(lambda yy, pp: float(pp[:, 0].mean() - pp[:, 1].mean()), a, np.stack([a, b], 1),
                                   groups=g)

    base = oof(own, 0.01)
    print("| features | C | out-of-fold micro-F1 | paired gain over the embedding at C 0.01 [95% CI] |")
    print("|---|---|---|---|")
    for C in (0.003, 0.01, 0.03):
        h = base if C == 0.01 else oof(own, C)
        print(f"| span embedding (the card's baseline) | {C} | {h.mean():.3f} | |")
    for C in (0.003, 0.01, 0.03):
        h = oof(np.hstack([own, tagger]), C)
        lo, hi = paired(h, base)
        print(f"| span embedding + tagger on the span alone | {C} | {h.mean():.3f} | {h.mean() - base.mean():+.3f} "
              f"[{lo:+.3f}, {hi:+.3f}] |")
    print(f"| tagger on the span alone | 0.1 | {oof(tagger, 0.1).mean():.3f} | |")


if __name__ == "__main__":
    main()
