"""The blind figure: the shipped question and history heads on the held-out AllSides test split.

``python -m rhetorica.training.allsides_test [--json OUT]`` scores the SHIPPED ``rhetorical_question`` and
``historical_analogy`` heads (as ``models/`` holds them, thresholds and construction override included) on the
AllSides test split of ``annotations/allsides/`` (10 % of the labelled articles, chosen by a hash of the article
id before any label was seen), next to the frozen-MiniLM + logistic-regression baseline fitted on the same training
data, with 95 % article-bootstrap intervals and the paired gain.  No training command reads this split, and nothing
was chosen on it: run it once per shipped version and write the result down (``benchmarks/RESULTS_allsides_test.md``).
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from . import common


def _paired_gain(metric, y, a, b, groups, seed: int = 0, n: int = 1000) -> list[float]:
    return [round(v, 4) for v in common.paired_bootstrap_ci(metric, y, a, b, n=n, seed=seed, groups=groups)]


def _ci(metric, y, pred, groups, seed: int = 0) -> list[float]:
    return common.value_with_ci(metric, y, pred, groups=groups, seed=seed)


def questions(seed: int = 0, test: list[dict] | None = None, keep: bool = False) -> dict:
    """The question head and its baselines on ``test`` (the AllSides test split by default); ``keep`` adds the
    baseline's predictions under ``"_frozen"`` (for a paired comparison with another system)."""
    from sklearn.linear_model import LogisticRegression

    from ..classifiers import Classifier
    from ..classifiers.features import build_features
    from . import questions as q
    from .allsides_pool import load_labelled

    clf = Classifier(q.NAME)
    train = q.load_split("train")
    test = load_labelled("questions", "test") if test is None else test
    emb = q.Embeddings(train + test)
    P = clf.head.predict_proba(build_features(clf.features, emb.feature_input(test)))
    y = (q.labels_of(test) < q.N_DEVICE).astype(int)
    g = q.groups_of(test)
    head = (q.device_prob(P) >= clf.thresholds[q.NAME]).astype(int)
    ytr = (q.labels_of(train) < q.N_DEVICE).astype(int)
    Xtr = build_features(["embedding", "context_embedding"], emb.feature_input(train))
    Xte = build_features(["embedding", "context_embedding"], emb.feature_input(test))
    mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-6
    lr = LogisticRegression(C=0.01, max_iter=3000, class_weight="balanced", random_state=seed).fit((Xtr - mu) / sd, ytr)
    base = lr.predict((Xte - mu) / sd)
    rule = q.keyword_rule(test)
    m = q.binary_macro_f1
    return {**({"_frozen": base} if keep else {}),
            "n": len(test), "articles": len(set(g)), "not_device": int((y == 0).sum()),
            "head_macro_f1": _ci(m, y, head, g, seed), "head_prf": common.prf(y, head),
            "frozen_minilm_context_lr_macro_f1": _ci(m, y, base, g, seed),
            "keyword_rule_macro_f1": _ci(m, y, rule, g, seed),
            "gain_over_frozen": _paired_gain(m, y, head, base, g, seed),
            "gain_over_rule": _paired_gain(m, y, head, rule, g, seed)}


def history(seed: int = 0, test_rows: list[dict] | None = None, keep: bool = False) -> dict:
    """The history head and its baseline on ``test_rows`` (the AllSides test split by default); ``keep`` as in
    :func:`questions`."""
    from sklearn.linear_model import LogisticRegression

    from ..classifiers import Classifier
    from . import history as h
    from .allsides_pool import load_labelled

    clf = Classifier(h.NAME)
    train = h.load_split("train")
    test = h.load_split("test", rows=load_labelled("history", "test") if test_rows is None else test_rows)
    cols = h.columns(clf.features)
    P = clf.head.predict_proba(test.X_ctx[:, cols])
    con = clf.config["construction"]
    pred = h.decide(P, clf.thresholds["analogy"], test.strong(con["kinds"]), con["floor"])
    y, g = test.y, test.groups
    lr = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced", random_state=seed)
    base = np.where(lr.fit(train.X_ctx[:, :384], train.y == 0).predict(test.X_ctx[:, :384]), 0, 3)
    m = h.binary_macro_f1
    return {**({"_frozen": base} if keep else {}),
            "n": len(y), "articles": len(set(g)), "analogies": int((y == 0).sum()),
            "head_macro_f1": _ci(m, y, pred, g, seed), "head_analogy_prf": common.prf(y == 0, pred == 0),
            "frozen_minilm_lr_macro_f1": _ci(m, y, base, g, seed),
            "gain_over_frozen": _paired_gain(m, y, pred, base, g, seed)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(prog="python -m rhetorica.training.allsides_test", description=__doc__)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args(argv)
    return report({"rhetorical_question": questions(args.seed), "historical_analogy": history(args.seed)}, args.json)


def report(res: dict, json_path: str | None) -> dict:
    """Print the results and write them to ``json_path`` when given (this module's and ``wikinews_test``'s CLI)."""
    print(json.dumps(res, indent=1))
    common.write_json(json_path, res)
    return res


if __name__ == "__main__":
    main()
