"""The AllSides labels in annotations/allsides/: well-formed, split by article, double-annotated, and read by training."""
from __future__ import annotations

import collections
import os
from pathlib import Path

import pytest

from rhetorica.training.allsides_pool import agreement, article_split, load_labelled, round_of

QUESTION_TYPES = {"rhetorical", "hypophora", "open", "genuine", "not_question"}
HISTORY_LABELS = {"analogy", "reference", "idiom", "none"}
VOICES = {"editorial", "quoted", "mixed"}


@pytest.mark.parametrize("kind,minimum", [("questions", 3000), ("history", 1500)])
def test_labelled_sets_are_complete_and_valid(kind, minimum):
    rows = load_labelled(kind)
    assert len(rows) >= minimum
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["voice"] in VOICES and r["text"] and r["outlet"] and r["leaning"] in {"left", "center", "right"}
        assert 0 < r["inclusion_p"] <= 1
        if kind == "questions":
            assert r["type"] in QUESTION_TYPES and "?" in r["text"]
        else:
            assert r["label"] in HISTORY_LABELS and isinstance(r["smear"], bool) and r["match"]
            assert r["smear"] is False or r["label"] == "analogy"
            assert (r["referent"] == "") == (r["label"] == "none")
        # the final label is a pass's label, or the adjudicator's where the two passes disagreed
        assert 1 <= len(r["passes"]) <= 2
        assert r["adjudicated"] == (len(r["passes"]) == 2 and _core(r["passes"][0], kind) != _core(r["passes"][1], kind))


def _core(a: dict, kind: str) -> tuple:
    return (a["type"], a["voice"]) if kind == "questions" else (a["label"], bool(a["smear"]), a["voice"])


@pytest.mark.parametrize("kind", ["questions", "history"])
def test_split_is_by_article(kind):
    rows = load_labelled(kind)
    by_article = collections.defaultdict(set)
    for r in rows:
        by_article[r["article"]].add(r["split"])
        assert r["split"] == article_split(r["article"])
    assert all(len(s) == 1 for s in by_article.values())
    counts = collections.Counter(r["split"] for r in rows)
    assert counts["train"] > 0.7 * len(rows) and counts["dev"] > 0 and counts["test"] > 0


def test_double_annotation_and_agreement():
    q, h = agreement("questions"), agreement("history")
    assert q["n_double"]["n"] >= 0.1 * len(load_labelled("questions"))
    assert h["n_double"]["n"] >= 0.1 * len(load_labelled("history"))
    assert q["device_vs_not"]["kappa"] >= 0.85 and h["analogy_vs_not"]["kappa"] >= 0.85


@pytest.mark.skipif(not (Path(os.environ.get("RHETORICA_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
                         / "questions" / "annotated_news").exists(),
                    reason="needs the training data (RHETORICA_DATA or ../shared/data)")
def test_training_reads_earlier_and_allsides_train_never_test():
    from rhetorica.training import history, questions

    rows = questions.load_split("train")
    sources = collections.Counter(r["source"] for r in rows)
    shipped = [r for r in load_labelled("questions", "train") if round_of(r) in questions.ALLSIDES_ROUNDS]
    assert sources["allsides"] == len(shipped) and len(sources) > 1
    assert len(questions.load_split("train", rounds=None)) == len(rows) + sum(
        round_of(r) not in questions.ALLSIDES_ROUNDS for r in load_labelled("questions", "train"))
    assert not any(r.get("split") == "test" for r in rows)
    hrows = history.load_rows("dev")
    assert sum(r["source"] == "allsides" for r in hrows) == len(load_labelled("history", "dev"))
    assert len(questions.load_split("train", allsides=False)) == len(rows) - sources["allsides"]


# -- Wikinews: an out-of-domain test set, every candidate sentence of the bundled sample labelled -----------------
def _wikinews(kind: str) -> list[dict]:
    from rhetorica.training.wikinews_test import load

    return load(kind)


@pytest.mark.parametrize("kind", ["questions", "history"])
def test_wikinews_labels_cover_every_candidate_of_the_bundled_sample(kind):
    """Every '?' sentence and every gazetteer sentence of examples/wikinews is labelled, once, and each row's text is
    the sample's text at the row's offset (so the public-API figure reads the right sentence)."""
    from rhetorica.training.wikinews_test import CORPUS, pool

    rows = _wikinews(kind)
    rebuilt = pool()[0 if kind == "questions" else 1]
    assert [r["id"] for r in rows] == [r["id"] for r in rebuilt]
    texts = {a["id"]: a["text"] for a in map(__import__("json").loads, CORPUS.read_text(encoding="utf-8").splitlines())}
    for r in rows:
        assert texts[r["article"]][r["start"]:r["start"] + len(r["text"])] == r["text"]
        assert r["split"] == "ood" and r["source"] == "wikinews" and r["voice"] in VOICES
        if kind == "questions":
            assert r["type"] in QUESTION_TYPES and "?" in r["text"]
        else:
            assert r["label"] in HISTORY_LABELS and isinstance(r["smear"], bool) and r["match"]
            assert (r["referent"] == "") == (r["label"] == "none")
        assert 1 <= len(r["passes"]) <= 2
        assert r["adjudicated"] == (len(r["passes"]) == 2 and _core(r["passes"][0], kind) != _core(r["passes"][1], kind))
        if not r["adjudicated"]:
            assert _core(r, kind) == _core(r["passes"][0], kind)


def test_wikinews_double_annotation_agrees():
    from sklearn.metrics import cohen_kappa_score

    rows = _wikinews("questions")
    dbl = [r["passes"] for r in rows if len(r["passes"]) == 2]
    assert len(dbl) >= 0.09 * len(rows)
    device = [[p["type"] in {"rhetorical", "hypophora", "open"} for p in ps] for ps in dbl]
    assert cohen_kappa_score([a for a, _ in device], [b for _, b in device]) >= 0.75
    hist = [r["passes"] for r in _wikinews("history") if len(r["passes"]) == 2]
    assert len(hist) >= 0.1 * len(_wikinews("history"))
    assert sum(a["label"] == b["label"] for a, b in hist) >= 0.85 * len(hist)


@pytest.mark.skipif(not (Path(os.environ.get("RHETORICA_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
                         / "corpora" / "allsides" / "articles.parquet").exists(),
                    reason="needs the AllSides corpus (RHETORICA_DATA or ../shared/data)")
def test_round_3_is_every_unlabelled_question_of_the_interview_layout_train_articles():
    """The third question round was not sampled: it is all of one well-defined set, which the code rebuilds."""
    import pandas as pd

    from rhetorica.training.allsides_pool import build_pool, data_dir, interview_layout, interview_round, round_of

    articles = pd.read_parquet(data_dir() / "corpora" / "allsides" / "articles.parquet")
    keep = articles[[article_split(i) == "train" and interview_layout(t) for i, t in zip(articles.id, articles.text)]]
    pool, _ = build_pool(keep)
    rows = load_labelled("questions")
    before = {r["id"] for r in rows if round_of(r) < 3}
    third = [r for r in rows if round_of(r) == 3]
    assert {r["id"] for r in interview_round(keep, pool, before)} == {r["id"] for r in third}
    assert third and all(r["split"] == "train" and r["inclusion_p"] == 1.0 for r in third)


def test_interview_layout_needs_two_speakers_taking_turns():
    from rhetorica.training.allsides_pool import interview_layout

    interview = "AMY GOODMAN: Welcome.\n\nJANE DOE: Thanks.\n\nAMY GOODMAN: Why now?\n\nJANE DOE: Because."
    assert interview_layout(interview)
    assert interview_layout(interview.replace("AMY GOODMAN:", "((WN))").replace("JANE DOE:", "((Jane Doe))"))
    # one speaker's tags, or headline-style "Topic: question?" lines, are not an interview
    assert not interview_layout("Analysis: Why now?\n\nThe vote is close.\n\nAnalysis: What next?\n\nNobody knows.")
    assert not interview_layout("AMY GOODMAN: Welcome.\n\nJANE DOE: Thanks.\n\nThe interview ended there.")


# -- the gazetteer audit ------------------------------------------------------------------------------------------
def _audit_rows() -> list[dict]:
    import json

    path = Path(__file__).resolve().parents[1] / "annotations" / "allsides" / "gazetteer_audit.jsonl"
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def test_gazetteer_audit_labels_are_valid_train_items_the_old_gazetteer_missed():
    """Every audited sentence is labelled like the history set, comes from a train-split article, was missed by the
    gazetteer before its audit round, and is matched by one of that round's proposed entries; the double-annotated
    items agree."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import gazetteer_audit as ga

    rows = _audit_rows()
    assert len(rows) == len({r["id"] for r in rows}) >= 400
    rounds = sorted({r["round"] for r in rows})
    assert rounds == [1, 2]
    before = {k: ga.gazetteer_before_audit(k) for k in rounds}
    proposed = {(c["round"], c["referent"]): ga._compile(c["patterns"]) for c in ga.candidates()}
    for r in rows:
        assert r["label"] in HISTORY_LABELS and r["voice"] in VOICES and isinstance(r["smear"], bool)
        assert r["split"] == "train" == article_split(r["article"])
        assert before[r["round"]].find(r["text"]) == []
        assert proposed[(r["round"], r["entry"])].search(r["text"])
    double = [r for r in rows if "passes" in r]
    assert len(double) >= 45
    assert sum(len(set(r["passes"])) == 1 for r in double) / len(double) >= 0.9
    # the kept entries are in the shipped gazetteer; dropped ones are not
    kept = ga.kept_entries()
    assert {(1, "Hurricane Katrina"), (1, "Benedict Arnold"), (2, "1918 flu pandemic")} <= kept
    assert (1, "2008 financial crisis / Great Recession") not in kept and (2, "McCarthyism") not in kept


@pytest.mark.skipif(not (Path(os.environ.get("RHETORICA_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
                         / "corpora" / "allsides" / "articles.parquet").exists(),
                    reason="needs the AllSides corpus (RHETORICA_DATA or ../shared/data)")
def test_gazetteer_audit_is_every_train_sentence_the_proposed_entries_add():
    """The audit was not sampled: the code rebuilds exactly the labelled sentences of each round."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import gazetteer_audit as ga

    rows = _audit_rows()
    for k in (1, 2):
        rebuilt = ga.pool(k)
        mine = [r for r in rows if r["round"] == k]
        assert [(r["id"], r["entry"], r["match"], r["text"]) for r in rebuilt] == \
            [(r["id"], r["entry"], r["match"], r["text"]) for r in mine]
