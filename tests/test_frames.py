"""The ``frames`` and ``persuasion`` classifiers and detectors."""
from __future__ import annotations

import math

import numpy as np
import pytest

from rhetorica.classifiers import FeatureInput, load_classifier
from rhetorica.classifiers.features import build_features
from rhetorica.classifiers.feats_frames import content_sentences, unit_input
from rhetorica.detectors.frames import (FRAME_SCORES, FRAMES, TECHNIQUE_SCORES, TECHNIQUES, FramesDetector,
                                        PersuasionDetector, snake_case)
from conftest import DATA
from rhetorica.pipeline import Analyzer, Doc
from rhetorica.training.persuasion import DISABLED_THRESHOLD


SECURITY = ("Troops moved missile batteries to the northern border overnight as the army raised its alert level. "
            "The defence ministry said air-defence units would shoot down any drone that crossed into the country. "
            "Soldiers dug new trenches and the general warned that the military was ready to repel an invasion.")
ECONOMIC = ("Lawmakers approved a tax cut for small businesses on Tuesday.\n\n"
            "Supporters say lower payroll taxes will help companies hire and create thousands of jobs, while the "
            "budget office estimates the cut will cost the treasury $40 billion over ten years. Unemployment fell "
            "to 3.9 percent last month and wages rose, the labor department said.\n\n"
            "Economists warned that the deficit could widen and inflation could rise if spending is not reduced.")


@pytest.fixture(scope="session")
def frames_clf():
    return load_classifier("frames")


@pytest.fixture(scope="session")
def persuasion_clf():
    return load_classifier("persuasion")


@pytest.fixture(scope="session")
def mali_analysis(mali_text):
    text = mali_text
    return text, Analyzer(detectors=["boilerplate", "frames", "persuasion"])(text)


@pytest.mark.parametrize("label, expected", [
    ("Legality_Constitutionality_and_jurisprudence", "legality_constitutionality_and_jurisprudence"),
    ("Name_Calling-Labeling", "name_calling_labeling"),
    ("Appeal_to_Fear-Prejudice", "appeal_to_fear_prejudice"),
    ("Economic", "economic"),
])
def test_frames_snake_case(label, expected):
    assert snake_case(label) == expected


def test_frames_labels_exact(frames_clf, persuasion_clf):
    assert frames_clf.labels == list(FRAMES)
    assert persuasion_clf.labels == list(TECHNIQUES)
    assert frames_clf.multi_label and persuasion_clf.multi_label
    assert set(frames_clf.thresholds) == set(FRAMES)
    # an emitted technique has a threshold in (0, 1); a disabled one (out-of-fold F1 or precision on
    # train below the floors) has 1.01, above any probability
    assert all(0 < t < 1 or t == DISABLED_THRESHOLD for t in persuasion_clf.thresholds.values())
    assert "frame_security_and_defense" in FRAME_SCORES and len(FRAME_SCORES) == 14
    assert FramesDetector.score_names == FRAME_SCORES
    assert PersuasionDetector.score_names[2:2 + len(TECHNIQUE_SCORES)] == TECHNIQUE_SCORES


def test_frames_labels_match_the_data_files():
    d = DATA / "semeval2023"
    if not d.exists():
        pytest.skip(f"SemEval-2023 data not available at {d}")
    frames = {x for line in (d / "train-labels-subtask-2.txt").read_text().splitlines()
              for x in line.partition("\t")[2].split(",") if x}
    techniques = {x for f in ("train-labels-subtask-3.txt", "dev-labels-subtask-3.txt")
                  for line in (d / f).read_text().splitlines() for x in (line.split("\t") + [""])[2].split(",") if x}
    assert frames == set(FRAMES)
    assert techniques == set(TECHNIQUES)


def test_frames_predict_proba_shapes_and_range(frames_clf, persuasion_clf):
    P = frames_clf.predict_proba([SECURITY, ECONOMIC, ""])
    assert P.shape == (3, 14)
    Q = persuasion_clf.predict_proba([SECURITY, "What a disgrace! They are traitors, all of them."])
    assert Q.shape == (2, len(TECHNIQUES))
    for M in (P, Q):
        assert np.isfinite(M).all() and (M >= 0).all() and (M <= 1).all()


def test_frames_security_text_scores_security_over_morality(frames_clf):
    p = dict(zip(frames_clf.labels, frames_clf.predict_proba([SECURITY])[0]))
    assert p["Security_and_defense"] > p["Morality"]
    assert p["Security_and_defense"] >= frames_clf.thresholds["Security_and_defense"]


def test_frames_economic_text_scores_economic(frames_clf):
    P = frames_clf.predict_proba([ECONOMIC, SECURITY])
    eco = frames_clf.labels.index("Economic")
    assert P[0, eco] > P[1, eco]
    assert P[0, eco] >= frames_clf.thresholds["Economic"]


def test_frames_persuasion_loaded_paragraph_scores_higher(persuasion_clf):
    loaded = ("These corrupt, treasonous globalist elites are destroying our great nation and they will stop at "
              "nothing to silence every patriot who dares to speak the truth!")
    plain = "The committee will meet on Thursday at 10 a.m. to discuss the schedule for the new library."
    P = persuasion_clf.predict_proba([loaded, plain])
    j = persuasion_clf.labels.index("Loaded_Language")
    assert P[0, j] > P[1, j]
    assert P[0, j] >= persuasion_clf.thresholds["Loaded_Language"] > P[1, j]


def test_frames_predict_proba_pools_like_the_pipeline(frames_clf):
    """predict_proba on raw text and the detector's scores use the same sentences and pooling."""
    a = Analyzer(detectors=["boilerplate", "frames"])(ECONOMIC)
    p = frames_clf.predict_proba([ECONOMIC])[0]
    got = np.array([a.scores[c] for c in FRAME_SCORES])
    np.testing.assert_allclose(got, p, atol=1e-4)


def test_frames_unit_features_need_a_unit_input():
    inp = FeatureInput(texts=["a"], embeddings=np.zeros((1, 384), dtype=np.float32))
    with pytest.raises(TypeError, match="sentence_max.*UnitInput"):
        build_features(["sentence_max"], inp)
    with pytest.raises(ValueError, match="one group of sentence embeddings per text"):
        unit_input(["a", "b"], [np.zeros((1, 384))])


def test_frames_unit_input_pools_in_text_order():
    e = np.eye(384, dtype=np.float32)[:4]
    inp = unit_input(["x", "y", "empty"], [e[:3], e[3:], np.zeros((0, 384))])
    X = build_features(["sentence_mean", "sentence_max", "lead_mean"], inp)
    assert X.shape == (3, 3 * 384)
    np.testing.assert_allclose(X[0, :4], [1 / 3, 1 / 3, 1 / 3, 0], rtol=1e-6)
    np.testing.assert_allclose(X[0, 384:388], [1, 1, 1, 0])
    assert not X[2].any()


def test_frames_content_sentences_drop_furniture():
    sents = content_sentences("Troops moved north. The army said so.\n\nAdvertisement\n\nShare on Facebook")
    assert sents == ["Troops moved north.", "The army said so."]


def test_frames_detectors_on_the_mali_article(mali_analysis):
    text, a = mali_analysis
    scores = {c: a.scores[c] for c in FRAME_SCORES}
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    top3 = sorted(scores, key=scores.get, reverse=True)[:3]
    assert {"frame_security_and_defense", "frame_political"} & set(top3)
    frames = a.spans_of("frame")
    assert frames, "at least one frame over threshold"
    for s in frames:
        assert 0 <= s.start < s.end <= len(text)
        assert s.attrs["frame"] in FRAMES
        assert math.isclose(s.score, a.scores["frame_" + snake_case(s.attrs["frame"])], rel_tol=1e-6)
        assert not {"advertisement", "cookie"} & set(s.text_in(text).lower().split())
    pers = a.spans_of("persuasion")
    share = a.scores["persuasion_paragraph_share"]
    assert 0.0 <= share <= 1.0
    for s in pers:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end].strip() == text[s.start:s.end]
        assert s.attrs["techniques"] and set(s.attrs["techniques"]) <= set(TECHNIQUES)
    n_flags = sum(len(s.attrs["techniques"]) for s in pers)
    assert sum(a.scores[c] for c in TECHNIQUE_SCORES) == n_flags
    assert a.scores["persuasion_technique_count"] == len({t for s in pers for t in s.attrs["techniques"]})


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Advertisement"])
def test_frames_detectors_on_empty_or_furniture_text(text):
    a = Analyzer(detectors=["boilerplate", "frames", "persuasion"])(text)
    assert not a.spans_of("frame") and not a.spans_of("persuasion")
    assert all(math.isnan(a.scores[c]) for c in FRAME_SCORES)
    assert math.isnan(a.scores["persuasion_paragraph_share"])


class _UserModel:
    """Stands in for a user-registered model: its own labels, reads raw texts."""

    labels = ["Political", "Economic"]
    thresholds: dict = {}

    def __init__(self):
        self.seen: list[str] = []

    def predict_proba(self, texts):
        self.seen.extend(texts)
        return np.tile([0.9, 0.1], (len(texts), 1))


def test_frames_detector_maps_a_user_model_by_label_name():
    det = FramesDetector()
    user = _UserModel()
    det._clf = user
    doc = Doc(ECONOMIC)  # no page furniture: every sentence is content
    doc.embeddings = np.zeros((len(doc.sentences), 384), dtype=np.float32)
    spans = det.detect(doc)
    scores = det.scores(doc, spans)
    assert scores["frame_political"] == pytest.approx(0.9)
    assert scores["frame_economic"] == pytest.approx(0.1)
    assert math.isnan(scores["frame_morality"])
    assert [s.attrs["frame"] for s in spans] == ["Political"]
    assert any("tax cut" in t for t in user.seen)


class _AlwaysSureModel:
    """A persuasion model that gives every technique probability 1.0; two techniques disabled."""

    labels = list(TECHNIQUES)
    thresholds = {t: 0.5 for t in TECHNIQUES} | {"Straw_Man": DISABLED_THRESHOLD,
                                                 "Appeal_to_Authority": DISABLED_THRESHOLD}

    def predict_proba(self, texts):
        return np.ones((len(texts), len(self.labels)))


def test_frames_disabled_technique_never_appears_in_a_persuasion_span():
    det = PersuasionDetector()
    det._clf = _AlwaysSureModel()
    doc = Doc(ECONOMIC)
    doc.embeddings = np.zeros((len(doc.sentences), 384), dtype=np.float32)
    spans = det.detect(doc)
    scores = det.scores(doc, spans)
    assert len(spans) == 3  # every paragraph flagged, with every enabled technique
    for s in spans:
        assert "Straw_Man" not in s.attrs["techniques"] and "Appeal_to_Authority" not in s.attrs["techniques"]
        assert len(s.attrs["techniques"]) == len(TECHNIQUES) - 2
    assert scores["persuasion_straw_man"] == 0.0 and scores["persuasion_appeal_to_authority"] == 0.0
    assert scores["persuasion_loaded_language"] == 3.0
    assert scores["persuasion_technique_count"] == len(TECHNIQUES) - 2


def test_frames_shipped_disabled_techniques_keep_probabilities_but_never_fire(persuasion_clf, mali_analysis):
    disabled = [t for t, v in persuasion_clf.thresholds.items() if v == DISABLED_THRESHOLD]
    assert disabled and "Loaded_Language" not in disabled
    P = persuasion_clf.predict_proba([SECURITY])
    assert P.shape[1] == len(TECHNIQUES) and (P[0, [TECHNIQUES.index(t) for t in disabled]] > 0).all()
    text, a = mali_analysis
    assert not {t for s in a.spans_of("persuasion") for t in s.attrs["techniques"]} & set(disabled)
    assert all(a.scores["persuasion_" + snake_case(t)] == 0.0 for t in disabled)


# -- the technique tagger's pooled probabilities (the ``technique_tagger`` feature) -------------------------------
FLAG_WAVING = ("We must stand together as proud Americans and defend our great nation against the traitors who "
               "want to destroy everything our forefathers fought and died for. America first, always!")


def test_frames_pool_technique_probs_takes_the_max_and_the_mean_of_sentence_maxima():
    from rhetorica.classifiers.feats_frames import pool_technique_probs

    a = np.array([[0.1, 0.9], [0.5, 0.2]], dtype=np.float32)  # a sentence of two word pieces, two labels
    b = np.array([[0.3, 0.1]], dtype=np.float32)
    np.testing.assert_allclose(pool_technique_probs([a, b], n_labels=2), [0.5, 0.9, 0.4, 0.5], rtol=1e-6)
    assert not pool_technique_probs([], n_labels=2).any() and pool_technique_probs([], n_labels=2).shape == (4,)


def test_frames_technique_tagger_feature_needs_the_pooled_probabilities():
    inp = unit_input(["x"], [np.zeros((1, 384), dtype=np.float32)])
    with pytest.raises(TypeError, match="technique_tagger.*encode_units_with_tagger"):
        build_features(["technique_tagger"], inp)
    inp.technique_probs = np.full((1, 30), 0.5, dtype=np.float32)
    np.testing.assert_allclose(build_features(["technique_tagger"], inp), np.log(0.5), rtol=1e-6)


def test_frames_persuasion_predict_proba_reads_a_paragraph_as_analyze_does(persuasion_clf):
    """The same paragraph through predict_proba (raw text) and inside analyze(): the same sentences, word-piece
    states, flags and pooling, so the same probabilities."""
    if "technique_tagger" not in persuasion_clf.features:
        pytest.skip("the shipped persuasion head does not read the technique tagger")
    p = persuasion_clf.predict_proba([FLAG_WAVING])[0]
    a = Analyzer(detectors=["boilerplate", "persuasion"])(FLAG_WAVING)
    (span,) = a.spans_of("persuasion")
    for tech, prob in span.attrs["probs"].items():
        assert prob == pytest.approx(p[TECHNIQUES.index(tech)], abs=1e-3)
    assert "Flag_Waving" in span.attrs["techniques"]


def test_frames_persuasion_shares_the_tagger_pass_with_the_techniques_detector(monkeypatch, mali_text):
    """With both detectors on, the technique tagger runs once per chunk of sentences, and persuasion scores the same
    as when it runs alone."""
    from rhetorica.detectors import token_reader
    from rhetorica.detectors.techniques import shipped_tagger

    monkeypatch.setattr(token_reader, "_CACHES", {})  # no sentence served from an earlier test's outputs
    tagger = shipped_tagger()
    calls = []
    real = tagger.runner.proba
    monkeypatch.setattr(tagger.runner, "proba", lambda *a: calls.append(len(a[0])) or real(*a))
    alone = Analyzer(detectors=["boilerplate", "persuasion"])(mali_text)
    n_alone = len(calls)
    both = Analyzer(detectors=["boilerplate", "persuasion", "techniques"])(mali_text)
    assert n_alone >= 1 and len(calls) - n_alone == n_alone  # not twice as many
    cols = ["persuasion_paragraph_share", *TECHNIQUE_SCORES]
    assert [alone.scores[c] for c in cols] == [both.scores[c] for c in cols]


@pytest.mark.skipif(not (DATA / "propaganda" / "ptc2020" / "train-articles").exists(),
                    reason="PTC-2020 is not in the shared data folder")
def test_frames_ptc_twins_match_reprints_not_strangers():
    from rhetorica.training.persuasion import ptc_twins
    from rhetorica.training.propaganda import read_ptc

    texts, _ = read_ptc()
    aid = sorted(texts)[5]
    reprint = "A different headline\n\n" + texts[aid].replace("  ", " ")
    got = ptc_twins({"reprint": reprint, "stranger": SECURITY + " " + ECONOMIC})
    assert got == {"reprint": aid, "stranger": None}


def test_frames_blend_heads_folds_a_logit_blend_into_one_linear_head():
    from rhetorica.classifiers.heads import fit_linear_head
    from rhetorica.training.persuasion import _blend_proba, blend_heads

    rng = np.random.default_rng(0)
    Xa, Xb = rng.normal(size=(200, 5)), rng.normal(size=(200, 3))
    Y = np.stack([(Xa[:, 0] + Xb[:, 0] > 0), (Xa[:, 1] - Xb[:, 2] > 0.5)], axis=1).astype(int)
    ha = fit_linear_head(Xa, Y, ["p", "q"], C=0.1, multi_label=True, class_weight=None)
    hb = fit_linear_head(Xb, Y, ["p", "q"], C=1.0, multi_label=True, class_weight=None)
    folded = blend_heads(ha, hb, 0.7)
    np.testing.assert_allclose(folded.predict_proba(np.hstack([Xa, Xb])),
                               _blend_proba(ha.predict_proba(Xa), hb.predict_proba(Xb), 0.7), atol=1e-5)


def test_frames_persuasion_head_without_tagger_features_needs_no_tagger(monkeypatch):
    """A persuasion head that reads only sentence vectors (a user's retrain of the older recipe) runs without the
    technique tagger being loaded or called."""
    from rhetorica.classifiers.heads import fit_linear_head
    from rhetorica.detectors import techniques

    clf = load_classifier("persuasion")
    X = np.random.default_rng(0).normal(size=(40, 2 * 384 + 8)).astype(np.float32)
    Y = (np.arange(40)[:, None] % 2 == np.arange(len(TECHNIQUES))[None, :] % 2).astype(int)
    clf.head = fit_linear_head(X, Y, list(TECHNIQUES), C=0.1, multi_label=True, class_weight=None)
    clf.features = ["sentence_mean", "sentence_max", "unit_lexical"]
    det = PersuasionDetector()
    det._clf = clf
    monkeypatch.setattr(techniques, "shipped_tagger", lambda: (_ for _ in ()).throw(AssertionError("tagger used")))
    doc = Doc(ECONOMIC)
    doc.embeddings = np.zeros((len(doc.sentences), 384), dtype=np.float32)
    assert det.piece_proba([np.zeros((3, 384), np.float32)], np.zeros((1, 384), np.float32),
                           [np.zeros((3, 2), np.float32)])[0].shape == (1, 0)
    spans = det.detect(doc)
    assert det.scores(doc, spans)["persuasion_paragraph_share"] >= 0.0
