"""Training, run on tiny data: every trainer imports, heads fit reproducibly, save and load back exactly, and the
training command refuses to write into an installed package.  The full retrains read ../shared/data and take
minutes each, so they are not part of the suite; these smoke tests run without the data, on invented rows.
"""
from __future__ import annotations

import importlib

import numpy as np
import pytest

from rhetorica.classifiers.features import FeatureInput, build_features
from rhetorica.classifiers.heads import load_head

ROWS = [  # (prev, text, next, type): short invented news lines
    ("Prices rose again in May.", "Who could possibly afford that?", "Nobody, it seems.", "hypophora"),
    ("The minister spoke on Monday.", "Is this the end of the euro?", "Markets fell.", "open"),
    ("", "Why should taxpayers foot the bill for their mistakes?", "They should not.", "rhetorical"),
    ("HOST: Welcome back.", "Senator, will you vote for the bill?", "SENATOR: Yes, I will.", "genuine"),
    ("The poll closes Friday.", "Do you agree with the decision? Vote now.", "", "genuine"),
    ("Critics were furious.", "What were they thinking?", "No one knows.", "rhetorical"),
    ("", "Can the Fed keep rates low?", "It depends on inflation.", "hypophora"),
    ("She asked the clerk.", "\"What time does the meeting start?\" she asked.", "He told her.", "genuine"),
] * 3


def test_every_trainer_imports():
    from rhetorica.training.__main__ import TRAINERS

    for module in set(TRAINERS.values()) | {"allsides_pool", "learning_curve", "allsides_test", "validate_int8"}:
        importlib.import_module(f"rhetorica.training.{module}")


def _question_features(features):
    from rhetorica.training import questions as q

    rng = np.random.default_rng(0)
    emb = {t: rng.normal(size=384).astype(np.float32) for r in ROWS for t in r[:3] if t}
    vec = lambda t: emb[t] if t else np.zeros(384, dtype=np.float32)  # noqa: E731
    inp = FeatureInput(texts=[r[1] for r in ROWS], embeddings=np.array([vec(r[1]) for r in ROWS]),
                       prev_texts=[r[0] for r in ROWS], next_texts=[r[2] for r in ROWS],
                       prev_embeddings=np.array([vec(r[0]) for r in ROWS]),
                       next_embeddings=np.array([vec(r[2]) for r in ROWS]))
    bare = FeatureInput(texts=[r[1] for r in ROWS], embeddings=np.array([vec(r[1]) for r in ROWS]))
    y = np.array([q.LABELS.index(r[3]) for r in ROWS])
    return build_features(features, inp), build_features(features, bare), y


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("hidden", [0, 16])
def test_question_head_fits_reproducibly_and_round_trips(tmp_path, hidden):
    from rhetorica.training import common
    from rhetorica.training import questions as q

    Xc, Xb, y = _question_features(q.FEATURES)
    h1 = q.fit_head(Xc, Xb, y, hidden=hidden, C=0.1, seed=0)
    h2 = q.fit_head(Xc, Xb, y, hidden=hidden, C=0.1, seed=0)
    P = h1.predict_proba(Xc)
    assert P.shape == (len(ROWS), len(q.LABELS)) and np.allclose(P.sum(1), 1)
    assert np.array_equal(P, h2.predict_proba(Xc))  # seeded: the same weights twice
    h1.thresholds = {q.NAME: 0.5}
    common.save_model("tiny_question", h1, {"features": q.FEATURES}, "# tiny\n", root=tmp_path)
    back, cfg = load_head("tiny_question", str(tmp_path))
    assert cfg["features"] == q.FEATURES and back.thresholds == {q.NAME: 0.5}
    assert np.allclose(back.predict_proba(Xc), P, atol=1e-6)


def test_history_out_of_fold_and_decision_rule():
    from rhetorica.training import history as h

    rng = np.random.default_rng(1)
    n = 40
    X = rng.normal(size=(n, 12)).astype(np.float32)
    y = np.array([k % 4 for k in range(n)])
    X[y == 0, 0] += 3.0  # analogies separable on one column
    s = h.Split(rows=[{"text": "x"}] * n, X_ctx=X, X_bare=X, y=y, smear=(y == 0).astype(int),
                groups=np.array([f"a{k // 2}" for k in range(n)]), kinds=[set() for _ in range(n)])
    P = h._oof(s, s.y, h.LABELS, "lr", 1.0, seed=0)
    assert P.shape == (n, 4) and np.allclose(P.sum(1), 1)
    assert np.array_equal(P, h._oof(s, s.y, h.LABELS, "lr", 1.0, seed=0))
    pred = h.decide(P, 0.5)
    assert h.binary_macro_f1(y, pred) > 0.8  # the separable class is found out of fold
    strong = np.zeros(n, dtype=bool)
    strong[1] = True  # a strong construction makes row 1 an analogy at floor 0
    assert h.decide(P, 1.1, strong, 0.0)[1] == 0 and (h.decide(P, 1.1) != 0).all()


def test_bootstrap_is_seeded_and_brackets_the_value():
    from rhetorica.training import common

    y = np.array([0, 1] * 30)
    pred = y.copy()
    pred[:8] = 1 - pred[:8]
    groups = np.array([f"g{k // 3}" for k in range(len(y))])
    lo, hi = common.bootstrap_ci(common.macro_f1, y, pred, groups=groups, n=200)
    assert lo <= common.macro_f1(y, pred) <= hi
    assert (lo, hi) == common.bootstrap_ci(common.macro_f1, y, pred, groups=groups, n=200)
