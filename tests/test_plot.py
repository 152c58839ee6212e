"""rhetorica.plot: every plot returns a matplotlib object with the expected groups, bars, labels and n."""
from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from rhetorica import Analysis, Sentence, Span, plot  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _scores() -> pd.DataFrame:
    """16 articles in three outlets of different sizes, with dates over two quarters."""
    rng = np.random.default_rng(1)
    outlet = ["Daily A"] * 7 + ["Weekly B"] * 5 + ["Radio C"] * 4
    n = len(outlet)
    sentences = rng.integers(5, 40, size=n)
    return pd.DataFrame({
        "outlet": outlet,
        "date": pd.to_datetime(["2020-01-05", "2020-01-20", "2020-02-03", "2020-02-28", "2020-03-01", "2020-04-11",
                                "2020-04-12", "2020-04-30", "2020-05-02", "2020-05-09", "2020-06-01", "2020-06-15",
                                "2020-06-16", "2020-06-20", "2020-06-25", "2020-06-30"]),
        "sentence_count": sentences,
        "historical_analogy_count": rng.integers(0, 4, size=n).astype(float),
        "quoted_share": rng.uniform(0, 0.6, size=n),
        "media_bias_share": rng.uniform(0, 1, size=n),
        "rhetorical_question_rate": rng.uniform(0, 0.2, size=n),
    }, index=[f"art-{k}" for k in range(n)])


def test_plot_compare_groups_bars_and_n():
    df = _scores()
    fig = plot.compare(df, by="outlet", features=["historical_analogy_count", "quoted_share"])
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 2
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)]
    assert len(bars) == 3  # one bar per outlet
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["Daily A\nn=7", "Weekly B\nn=5", "Radio C\nn=4"]  # largest group first, n shown
    # the count is normalised per sentence: each bar is the group mean of count / sentences
    per_sentence = df.historical_analogy_count / df.sentence_count
    expected = [per_sentence[df.outlet == g].mean() for g in ("Daily A", "Weekly B", "Radio C")]
    assert [b.get_height() for b in bars] == pytest.approx(expected)
    assert ax.get_ylabel() == "per sentence"
    assert fig.axes[1].get_ylabel() == "share"


def test_plot_compare_without_sentence_counts_says_per_article():
    df = _scores().drop(columns="sentence_count")
    fig = plot.compare(df, by="outlet", features="historical_analogy_count", order=["Radio C", "Daily A"])
    ax = fig.axes[0]
    assert ax.get_ylabel() == "per article"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Radio C\nn=4", "Daily A\nn=7"]
    assert ax.patches[0].get_height() == pytest.approx(df.historical_analogy_count[df.outlet == "Radio C"].mean())


def test_plot_compare_series_and_nan_rows():
    df = _scores()
    df.loc["art-0", "quoted_share"] = np.nan  # a row without a score is not counted in n
    fig = plot.compare(df.drop(columns="outlet"), by=df["outlet"], features=["quoted_share"])
    assert fig.axes[0].get_xticklabels()[0].get_text() == "Daily A\nn=6"


def test_plot_compare_errors():
    df = _scores()
    with pytest.raises(KeyError, match="by='section' is not a column"):
        plot.compare(df, by="section")
    with pytest.raises(KeyError, match="No score column"):
        plot.compare(df, by="outlet", features=["no_such_score"])
    with pytest.raises(ValueError, match="min_n=10"):
        plot.compare(df, by="outlet", features=["quoted_share"], min_n=10)


def test_plot_over_time_periods_and_counts():
    df = _scores()
    fig = plot.over_time(df, date_col="date", features=["quoted_share", "media_bias_share"], freq="Q")
    assert len(fig.axes) == 3  # two features + articles per period
    line = fig.axes[0].get_lines()[0]
    assert len(line.get_xdata()) == 2  # 2020Q1, 2020Q2
    q1 = df.quoted_share[df.date < "2020-04-01"].mean()
    assert line.get_ydata()[0] == pytest.approx(q1)
    n_ax = fig.axes[-1]
    assert [p.get_height() for p in n_ax.patches] == [5, 11]
    assert "n = 16" in n_ax.get_title()
    # compare(by=<a datetime column>) is the same plot
    fig2 = plot.compare(df, by="date", features=["quoted_share"], freq="M")
    assert len(fig2.axes) == 2 and len(fig2.axes[0].get_lines()[0].get_xdata()) == 6
    with pytest.raises(ValueError, match="period alias"):
        plot.over_time(df, features=["quoted_share"], freq="fortnight")


def test_plot_voice_share_one_bar_pair_per_article():
    df = _scores()
    df["title"] = [f"Story {k}" for k in range(len(df))]
    ax = plot.voice_share(df, labels="title")
    assert isinstance(ax, matplotlib.axes.Axes)
    assert len(ax.patches) == 2 * len(df)  # quoted + editorial per article
    assert "n = 16" in ax.get_title()
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    lowest = df.quoted_share.idxmin()
    assert ticks[0] == df.loc[lowest, "title"]  # sorted by quoted share
    widths = sorted(p.get_width() for p in ax.patches[:len(df)])
    assert widths == pytest.approx(sorted(df.quoted_share))
    with pytest.raises(KeyError, match="quoted_share"):
        plot.voice_share(df.drop(columns="quoted_share"))


def test_plot_top_speakers_aggregates_over_articles():
    corpus = pd.DataFrame({
        "row_id": ["a", "a", "b", "b", "c"],
        "speaker": ["Jane Doe", "", "Jane Doe", "John Roe", "Ann Poe"],
        "speaker_type": ["person", "unresolved", "person", "person", "person"],
        "quotes": [2, 3, 1, 2, 1], "direct": [1, 3, 1, 0, 1], "partial": [1, 0, 0, 0, 0],
        "indirect": [0, 0, 0, 2, 0], "mixed": [0, 0, 0, 0, 0],
    })
    ax = plot.top_speakers(corpus, n=2)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["John Roe", "Jane Doe"]  # top of the chart = most quoted (3 over two articles)
    assert "3 unattributed not shown" in ax.get_title()
    totals = {}
    for p in ax.patches:
        totals[round(p.get_y() + p.get_height() / 2)] = totals.get(round(p.get_y() + p.get_height() / 2), 0) \
            + p.get_width()
    assert sorted(totals.values()) == [2, 3]
    assert any("2 art." in t.get_text() for t in ax.texts)
    with pytest.raises(ValueError, match="positive int"):
        plot.top_speakers(corpus, n=0)


def test_plot_top_speakers_from_spans_table():
    spans = pd.DataFrame({"row_id": [1, 1, 2, 2], "label": ["quote", "quote", "quote", "biased"],
                          "speaker": ["Jane Doe", "Jane Doe", "Jane Doe", ""], "kind": ["direct", "direct",
                                                                                       "indirect", None],
                          "part": [0, 1, 0, None]})
    ax = plot.top_speakers(spans)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Jane Doe"]
    assert sum(p.get_width() for p in ax.patches) == 2  # the continuation part counts once


def test_plot_fingerprint_percentiles_against_reference():
    text = "One. Two. Three. Four?"
    a = Analysis(text=text, spans=(Span(17, 22, "rhetorical_question"),),
                 scores={"rhetorical_question_count": 1.0, "quoted_share": 0.5},
                 sentences=tuple(Sentence(s, e, 0) for s, e in ((0, 4), (5, 9), (10, 16), (17, 22))))
    ref = pd.DataFrame({"rhetorical_question_count": [0, 0, 1, 4], "sentence_count": [10, 10, 10, 10],
                        "quoted_share": [0.1, 0.2, 0.5, 0.9]})
    ax = plot.fingerprint(a, reference=ref, features=["rhetorical_question_count", "quoted_share"])
    widths = [p.get_width() for p in ax.patches]
    # 1/4 = 0.25 per sentence beats 0, 0, 0.1 and ties none of the reference (0.4): 75th percentile
    assert widths[0] == pytest.approx(75.0)
    # 0.5 beats two, ties one: (2 + 0.5) / 4
    assert widths[1] == pytest.approx(62.5)
    assert "n = 4" in ax.get_xlabel()
    by_height = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())))
    assert [name for _, name in by_height] == ["quoted (share)", "rhetorical question"]  # bottom to top
    # without a reference: raw values, counts per sentence
    ax2 = plot.fingerprint(pd.Series({"rhetorical_question_count": 2, "sentence_count": 8, "quoted_share": 0.3}),
                           features=["rhetorical_question_count", "quoted_share"])
    assert [p.get_width() for p in ax2.patches] == pytest.approx([0.25, 0.3])
    with pytest.raises(TypeError, match="fingerprint expects"):
        plot.fingerprint([1, 2, 3])


def test_plot_names_the_extra_when_matplotlib_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'rhetorica\[plot\]'"):
        plot.voice_share(_scores())


def test_plot_sentence_counts_matches_segmenter():
    counts = plot.sentence_counts(pd.Series(["One. Two? Three!", "", None], index=[5, 6, 7]))
    assert counts.index.tolist() == [5, 6, 7]
    assert counts.iloc[0] == 3 and counts.iloc[1] == 0 and np.isnan(counts.iloc[2])
