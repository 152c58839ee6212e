"""Training, run on tiny data: every trainer imports, heads fit reproducibly, save and load back exactly, and the
training command refuses to write into an installed package.  The full retrains read ../shared/data and take
minutes each, so they are not part of the suite; these smoke tests run without the data, on invented rows.
"""
from __future__ import annotations

import importlib
import json

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

    for module in set(TRAINERS.values()) | {"allsides_pool", "learning_curve", "allsides_test", "wikinews_test", "validate_int8"}:
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


def _data_dir():
    import os
    from pathlib import Path

    return Path(os.environ.get("RHETORICA_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.mark.slow
@pytest.mark.skipif(not (_data_dir() / "subjectivity" / "newssd_eng").exists(),
                    reason="needs the training data (RHETORICA_DATA or ../shared/data)")
def test_retraining_a_small_head_rebuilds_the_shipped_one(tmp_path):
    """`rhetorica train subjectivity --out DIR` rebuilds the shipped head: the same card figures exactly, and the
    same weights up to float noise (the encoder's batch padding moves vectors by ~1e-7, so the zip's hash can
    differ; the arrays may not by more than 1e-6).  About a minute: the data is embedded from scratch."""
    import json
    import os
    import subprocess
    import sys

    from rhetorica.classifiers.heads import models_dir

    out = tmp_path / "models"
    env = dict(os.environ, RHETORICA_CACHE=str(tmp_path / "cache"), RHETORICA_DATA=str(_data_dir()))
    proc = subprocess.run([sys.executable, "-m", "rhetorica", "train", "subjectivity", "--out", str(out)],
                          env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    shipped, rebuilt = models_dir() / "subjectivity", out / "subjectivity"
    a, b = (json.loads((d / "model.json").read_text()) for d in (shipped, rebuilt))
    assert a == b  # labels, features, threshold and every card figure
    with np.load(shipped / "weights.npz") as za, np.load(rebuilt / "weights.npz") as zb:
        assert sorted(za.files) == sorted(zb.files)
        for k in za.files:
            assert np.allclose(za[k], zb[k], atol=1e-6, rtol=0), k
    assert json.loads((out / "MANIFEST.json").read_text())["files"]["subjectivity/model.json"] == \
        json.loads((models_dir() / "MANIFEST.json").read_text())["files"]["subjectivity/model.json"]


def test_attribution_tagger_trains_and_decodes_on_three_polnear_articles(tmp_path, monkeypatch):
    """The tagger's training path end to end on tiny data: build (and its npz + JSON cache), fit, decode, score."""
    from conftest import DATA, need_data
    from rhetorica.training import quote_tagger as qt

    need_data(DATA / "quotes" / "polnear" / "dev")
    monkeypatch.setenv("RHETORICA_CACHE", str(tmp_path))
    arts = qt.build("dev", limit=3)
    again = qt.build("dev", limit=3)  # read back from the cache
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".json", ".npz"]
    assert [a.id for a in again] == [a.id for a in arts] and again[1].rules == arts[1].rules
    s0, t0 = arts[0].sentences[2], again[0].sentences[2]
    assert np.array_equal(s0.states, t0.states) and np.array_equal(s0.labels, t0.labels)
    assert {int(v) for a in arts for s in a.sentences for v in s.labels} >= {0, 1, 2, 3}
    X, y = qt.stack([s for a in arts for s in a.sentences])
    head = qt.fit(X, y, hidden=8, epochs=1)
    probs = {i: [head.predict_proba(qt.features(s)) for s in a.sentences] for i, a in enumerate(arts)}
    m = qt.score_decoding(arts, probs, qt.Decoding(content=0.3, cue=0.0, min_pieces=2))
    rules = qt.summarise([qt.overlap_counts(a, a.rules) for a in arts])
    assert m["gold"] == rules["gold"] > 0 and m["pred"] >= rules["pred"] and m["gold_hit"] >= rules["gold_hit"]
    # the sequence head: fitted, saved, loaded back (manifest-checked) and run by the detector's numpy pass
    from rhetorica.classifiers.heads import SequenceHead, write_manifest

    sents = [s for a in arts for s in a.sentences]
    gru = qt.fit_head(sents, "bigru", 8, 1)
    P = qt.predict(gru, sents)
    assert isinstance(gru, SequenceHead) and [p.shape for p in P] == [(len(s.labels), 4) for s in sents]
    assert np.allclose([p.sum() for p in P], [len(p) for p in P])
    gru.save(tmp_path / "models" / "tiny_tagger", {"name": "tiny_tagger", "kind": "token_tagger"})
    write_manifest(tmp_path / "models")
    back, cfg = load_head("tiny_tagger", str(tmp_path / "models"))
    assert cfg["architecture"] == "bigru" and all(np.array_equal(back.arrays[k], gru.arrays[k]) for k in gru.arrays)
    assert all(np.allclose(a, b) for a, b in zip(qt.predict(back, sents), P))


def test_technique_tagger_trains_decodes_and_scores_on_four_ptc_articles(tmp_path, monkeypatch):
    """The technique tagger's training path on tiny data: build (and its cache), fit, decode, the SemEval metric."""
    from conftest import DATA, need_data
    from rhetorica.training import technique_tagger as tt

    need_data(DATA / "propaganda" / "ptc2020" / "train-articles")
    monkeypatch.setenv("RHETORICA_CACHE", str(tmp_path))
    arts, _ = tt.build(limit=4)
    again, _ = tt.build(limit=4)  # read back from the cache
    assert [p.suffix for p in tmp_path.iterdir()] == [".npz"]
    assert np.array_equal(arts[1].states[2], again[1].states[2]) and np.array_equal(arts[1].labels[2], again[1].labels[2])
    # the "any" column is the union of the technique columns, and gold spans are labelled where they lie
    Y = np.vstack([lab for a in arts for lab in a.labels])
    assert Y.shape[1] == len(tt.LABELS) and np.array_equal(Y[:, 0], Y[:, 1:].max(1)) and Y[:, 0].sum() > 0
    X, Y = tt.stack(arts)
    head = tt.fit(X, Y, hidden=8, epochs=1)
    probs = [tt.predict(head, a) for a in arts]
    sc, oc = tt.both_counts(arts, probs, 0, tt.Rule(0.01, 1), None)  # a threshold every piece passes
    assert sc[:, 3].sum() == sum(len(tt.merge([(s, e) for _, s, e in a.gold])) for a in arts)  # merged per article
    assert oc[:, 3].sum() == sum(len(a.gold) for a in arts)
    assert tt.prf_from(oc.sum(0))["recall"] > 0.9  # nearly every piece predicted: nearly every gold span touched
    # SemEval partial credit: a prediction twice the gold span's length gets precision 0.5 and recall 1
    assert tt.span_counts([(0, 20)], [(0, 10)]).tolist() == [0.5, 1, 1.0, 1]
    # the sequence head: one sigmoid per label, a row per word piece, run by the detector's numpy pass
    gru = tt.fit_head(arts, "bigru", 8, 1)
    P = tt.predict(gru, arts[0])
    assert [p.shape for p in P] == [(len(o), len(tt.LABELS)) for o in arts[0].offsets]
    assert all(((p > 0) & (p < 1)).all() for p in P)


def test_the_finetune_probe_section_reads_its_verdict_off_the_intervals(tmp_path, monkeypatch):
    """The card section says a fine-tune wins only when its paired interval is above zero."""
    from rhetorica.training import common

    def run(gain):
        return {"task": "subjectivity", "input": "input: the sentence", "layers": 6, "epochs": 3, "lr": 5e-5, "n": 830, "folds": 3, "seconds": 1,
                "rows": {"frozen encoder + shipped head": {"macro_f1": [0.75, 0.72, 0.78], "threshold": 0.5},
                         "fine-tuned top 6 layers": {"macro_f1": [0.75 + gain[0], 0.7, 0.8], "threshold": 0.47,
                                                     "gain_over_head": gain}}}

    path = tmp_path / "probe.json"
    monkeypatch.setattr(common, "FINETUNE_PROBE_RESULTS", path)
    assert common.finetune_probe_section("subjectivity") == ""  # never run: no section
    for gain, verdict in (([-0.009, -0.036, 0.018], "not distinguishable from the head"),
                          ([0.041, 0.012, 0.07], "better than the head"), ([-0.05, -0.08, -0.02], "worse than the head")):
        path.write_text(json.dumps({"subjectivity/top6": run(gain)}))
        text = common.finetune_probe_section("subjectivity")
        assert f"Fine-tuned top 6 layers: {verdict} (" in text
        assert "| fine-tuned top 6 layers | " in text and "830 training rows" in text
    assert common.finetune_probe_section("hedging") == ""  # another task's results are not borrowed
