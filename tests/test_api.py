"""The public contract: analyze / Analysis / Span, score_frame / spans_frame, errors, display."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import rhetorica
from rhetorica import Analysis, Span
from rhetorica.pipeline import Analyzer

RULES = ["boilerplate", "quote"]  # detectors that need no encoder: fast API tests

CORE_SCORES = ["rhetorical_question_count", "rhetorical_question_rate", "historical_analogy_count",
               "quote_count", "speaker_count", "quoted_share", "editorial_share"]


def test_api_import_is_lazy():
    import subprocess
    import sys

    code = "import sys, rhetorica; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_api_span_offsets_validated():
    with pytest.raises(ValueError, match="start <= end"):
        Span(5, 2, "quote")
    s = Span(0, 5, "quote", 0.5, {"kind": "direct"})
    with pytest.raises(TypeError):
        s.attrs["kind"] = "partial"  # attrs are read-only


@pytest.mark.parametrize("bad", [None, 3, b"bytes", ["a list"], 1.5])
def test_api_analyze_rejects_non_text(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        rhetorica.analyze(bad)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t"])
def test_api_empty_text_gives_empty_analysis(text):
    a = rhetorica.analyze(text)
    assert isinstance(a, Analysis)
    assert a.text == text and a.spans == () and a.sentences == ()
    assert a.scores["rhetorical_question_count"] == 0
    assert a.scores["quote_count"] == 0
    assert math.isnan(a.scores["quoted_share"])


def test_api_unknown_detector_lists_known():
    with pytest.raises(KeyError, match="Available detectors"):
        rhetorica.analyze("Hello.", detectors=["sarcasm"])


def test_api_mali_contract(mali_analysis, mali_text):
    a = mali_analysis
    assert a.text == mali_text
    starts = [s.start for s in a.spans]
    assert starts == sorted(starts)
    for s in a.spans:
        assert 0 <= s.start < s.end <= len(a.text)
        assert 0.0 <= s.score <= 1.0
    for name in CORE_SCORES:
        assert name in a.scores
    assert a.scores["rhetorical_question_count"] == 8
    assert a.scores["quoted_share"] + a.scores["editorial_share"] == pytest.approx(1.0)
    assert 0 < a.scores["quoted_share"] < 0.5
    # boilerplate is excluded from every share: no content span sits inside page furniture
    furniture = [(s.start, s.end) for s in a.spans_of("boilerplate")]
    for s in a.spans:
        if s.label in ("rhetorical_question", "quote", "historical_analogy"):
            assert not any(fs <= s.start and s.end <= fe for fs, fe in furniture)


def test_api_mali_rendering(mali_analysis):
    html = mali_analysis._repr_html_()
    assert "<script" not in html
    assert "rhetorical question" in html and "historical analogy" in html
    assert "Kamar" in html
    text = mali_analysis.summary()
    assert "== rhetorical_question (8)" in text
    assert "quoted_share" in text


def test_api_html_escapes_text():
    a = rhetorica.analyze('<script>alert(1)</script> "Is this safe?" asked <b>Bob</b>.', detectors=RULES)
    html = a._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_api_to_frame(mali_analysis):
    df = mali_analysis.to_frame()
    assert list(df.columns[:5]) == ["start", "end", "label", "score", "text"]
    assert len(df) == len(mali_analysis.spans)
    row = df[df.label == "quote"].iloc[0]
    assert mali_analysis.text[row.start:row.end] == row.text


# --- batch ------------------------------------------------------------------------------------------

def _frame():
    return pd.DataFrame(
        {"text": ['"We will win," said Jane Doe. Will we? Of course.', "", "Nothing to see here.",
                  "He said: “Go.”"], "source": list("abcd")},
        index=[10, 7, 7, 3])  # unsorted and duplicated index labels must survive


def test_scoring_same_index_and_order():
    df = _frame()
    before = df.copy()
    out = rhetorica.score_frame(df, text_col="text", detectors=RULES)
    pd.testing.assert_frame_equal(df, before)  # input not mutated
    assert list(out.index) == [10, 7, 7, 3]
    assert out.loc[3, "quote_count"] == 1
    assert out.iloc[0]["quote_count"] == 1
    assert math.isnan(out.iloc[1]["quoted_share"])  # empty text: no defined share
    assert "error" not in out.columns


def test_scoring_batch_equals_single():
    df = _frame()
    out = rhetorica.score_frame(df, detectors=RULES, batch_size=2)
    for k, text in enumerate(df["text"]):
        single = rhetorica.analyze(text, detectors=RULES).scores
        for name, v in single.items():
            got = out.iloc[k][name]
            assert (math.isnan(v) and math.isnan(got)) or got == pytest.approx(v)


@pytest.mark.parametrize("bad", [None, np.nan, 42])
def test_scoring_bad_row_raises_naming_it(bad):
    df = pd.DataFrame({"text": ["Fine text.", bad, "More text."]}, index=["x", "y", "z"])
    with pytest.raises(rhetorica.RowError, match="Row 'y'"):
        rhetorica.score_frame(df, detectors=RULES)


def test_scoring_coerce_keeps_every_row():
    df = pd.DataFrame({"text": ["Fine text.", None, 42, '"Yes," she said.']}, index=list("abcd"))
    out = rhetorica.score_frame(df, detectors=RULES, errors="coerce")
    assert list(out.index) == list("abcd")
    assert out["error"].isna().tolist() == [True, False, False, True]
    assert "missing" in out.loc["b", "error"] and "int" in out.loc["c", "error"]
    assert out.loc[["b", "c"], "quote_count"].isna().all()
    assert out.loc["d", "quote_count"] == 1
    spans = rhetorica.spans_frame(df, detectors=RULES, errors="coerce")
    assert set(spans["row_id"]) >= {"b", "c", "d"}
    assert spans.loc[spans.row_id == "b", "error"].notna().all()


def test_scoring_bad_arguments():
    df = _frame()
    with pytest.raises(KeyError, match="'body' is not a column"):
        rhetorica.score_frame(df, text_col="body")
    with pytest.raises(ValueError, match="'errors' parameter"):
        rhetorica.score_frame(df, errors="ignore")
    with pytest.raises(TypeError, match="single str"):
        rhetorica.score_frame("just a string")


def test_scoring_spans_frame_columns_and_evidence():
    df = _frame().reset_index(drop=True)
    spans = rhetorica.spans_frame(df, detectors=RULES)
    assert list(spans.columns[:6]) == ["row_id", "start", "end", "label", "score", "text"]
    assert len(spans) > 0
    for r in spans.itertuples():
        assert df.loc[r.row_id, "text"][r.start:r.end] == r.text
    assert {"kind", "speaker", "cue"} <= set(spans.columns)


def test_scoring_series_input():
    s = pd.Series(['"Go," he said.', "Quiet."], index=["p", "q"])
    out = rhetorica.score_frame(s, detectors=RULES)
    assert list(out.index) == ["p", "q"]


def test_scoring_dask_partitions_match_pandas():
    dd = pytest.importorskip("dask.dataframe")
    df = _frame().reset_index(drop=True)
    ddf = dd.from_pandas(df, npartitions=2)
    got = rhetorica.score_frame(ddf, detectors=RULES).compute()
    want = rhetorica.score_frame(df, detectors=RULES)
    pd.testing.assert_frame_equal(got, want)


def test_scoring_large_text_linear(tmp_path):
    # ~1 MB of article-like text with quotes and questions runs through the rule detectors and segmentation
    para = 'The minister said the plan "would work." Would it? Critics doubt it, according to the report.\n\n'
    text = para * 11000
    a = Analyzer(detectors=RULES)(text)
    assert a.scores["quote_count"] >= 11000
    assert len(a.sentences) >= 33000


# --- every registered detector obeys the same contract ----------------------------------------------

DETECTOR_TEXTS = [
    "Is this a new Cold War? Critics say the summit echoes Munich in 1938.\n\n"
    '"We will not be intimidated," said Defense Minister Jane Doe on Monday. She noted that talks would go on.\n\n'
    "The so-called experts peddled their disgusting lies again. Taxes and jobs dominated the debate.\n\n"
    "- Advertisement -",
    "The council met on Tuesday. It approved the budget.",
]


@pytest.mark.parametrize("name", rhetorica.available_detectors())
def test_detectors_contract(name):
    dets = ["boilerplate", "quote", name] if name not in ("boilerplate", "quote") else ["boilerplate", "quote"]
    an = Analyzer(detectors=dets, batch_size=4)
    batch = list(an.pipe(DETECTOR_TEXTS))
    from rhetorica.detectors import get_detector

    cls = get_detector(name)
    for text, a in zip(DETECTOR_TEXTS, batch):
        single = Analyzer(detectors=dets)(text)
        assert [(s.start, s.end, s.label) for s in a.spans] == [(s.start, s.end, s.label) for s in single.spans]
        for k in cls.score_names:
            x, y = a.scores[k], single.scores[k]
            assert (math.isnan(x) and math.isnan(y)) or x == pytest.approx(y, abs=1e-4)
        for s in a.spans:
            assert 0 <= s.start < s.end <= len(text)
            if s.label in cls.labels and name not in ("boilerplate",):
                assert s.label != "boilerplate"
    empty = an("")
    assert set(cls.score_names) <= set(empty.scores)
    assert empty.spans == ()
