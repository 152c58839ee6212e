"""Corpus plots over :func:`rhetorica.score_frame` output (matplotlib; ``pip install 'rhetorica[plot]'``).

Every function returns the matplotlib ``Figure`` or ``Axes`` it drew, so it can be restyled or saved.
The plots try to be honest: each group shows how many articles it rests on (``n=``), group means carry a
95% bootstrap confidence interval and the individual articles are drawn as points (the spread), and a count
is divided by the article's sentence count when one is available (a column ``sentence_count``, or
``sentences=``), so long and short articles compare fairly.

>>> from rhetorica import plot                                                 # doctest: +SKIP
>>> scores = rhetorica.score_frame(df)                                         # doctest: +SKIP
>>> scores["outlet"] = df["outlet"]; scores["sentence_count"] = ...            # doctest: +SKIP
>>> plot.compare(scores, by="outlet", features=["rhetorical_question_rate", "quoted_share"])  # doctest: +SKIP
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["compare", "over_time", "voice_share", "top_speakers", "fingerprint", "normalised",
           "sentence_counts", "DEFAULT_FEATURES"]

#: Features plotted when none are named: one per detector, each comparable across article lengths.
DEFAULT_FEATURES: tuple[str, ...] = (
    "rhetorical_question_rate", "historical_analogy_count", "quoted_share", "loaded_language_rate",
    "media_bias_share", "subjectivity_share", "hedge_share", "persuasion_paragraph_share",
)
#: The per-article fingerprint: all on a per-sentence or share scale.
FINGERPRINT_FEATURES: tuple[str, ...] = (
    "rhetorical_question_count", "historical_analogy_count", "quoted_share", "loaded_language_count",
    "name_calling_count", "media_bias_share", "subjectivity_share", "hedge_share", "persuasion_paragraph_share",
)
#: Columns read as the number of sentences of each article (to turn counts into per-sentence rates).
SENTENCE_COLUMNS: tuple[str, ...] = ("sentence_count", "n_sentences", "sentences")
#: Bootstrap resamples for the confidence interval of a group mean (95%, percentile method, seeded).
N_BOOT = 2000
CI_LEVEL = 0.95
SEED = 0
#: Colours of the quote kinds and of the two voices (the same blue family as the HTML display).
KIND_COLOURS = {"direct": "#1f4e9c", "partial": "#4f7fd0", "indirect": "#9dbbe8", "mixed": "#6d6dbf"}
QUOTED_COLOUR, EDITORIAL_COLOUR = "#2f5fb3", "#c8c8c8"

_RATE_UNITS = {"loaded_language_rate": "per 100 words", "editorial_loaded_language_rate": "per 100 editorial words"}


def _plt():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("rhetorica.plot needs matplotlib: pip install 'rhetorica[plot]'") from exc
    return plt


# --- data helpers ------------------------------------------------------------------------------------------

def sentence_counts(texts: Iterable[str]) -> pd.Series:
    """Number of sentences of each text, as rhetorica segments them (rules only; fast).

    Useful as ``scores["sentence_count"] = plot.sentence_counts(df["text"])`` before :func:`compare`."""
    from .text.segment import sentences

    if isinstance(texts, pd.Series):
        return texts.map(lambda t: len(sentences(t)) if isinstance(t, str) else np.nan).rename("sentence_count")
    return pd.Series([len(sentences(t)) if isinstance(t, str) else np.nan for t in texts], name="sentence_count")


def _sentences(df: pd.DataFrame, sentences: Any) -> pd.Series | None:
    if sentences is None:
        col = next((c for c in SENTENCE_COLUMNS if c in df.columns), None)
        return None if col is None else pd.to_numeric(df[col], errors="coerce")
    if isinstance(sentences, str):
        if sentences not in df.columns:
            raise KeyError(f"sentences={sentences!r} is not a column of the score frame.")
        return pd.to_numeric(df[sentences], errors="coerce")
    s = pd.Series(sentences, index=df.index) if not isinstance(sentences, pd.Series) else sentences
    return pd.to_numeric(s.reindex(df.index), errors="coerce")


def _pretty(feature: str) -> str:
    return feature.replace("_", " ")


def normalised(df: pd.DataFrame, feature: str, sentences: Any = None) -> tuple[pd.Series, str]:
    """A feature's values made comparable across articles, and the unit they are in.

    ``*_count`` is divided by the sentence count when one is known (``per sentence``), else left as a count
    (``per article``); shares, rates and probabilities are returned as they are."""
    if feature not in df.columns:
        known = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
        raise KeyError(f"No score column {feature!r}. Numeric columns: {', '.join(map(str, known))}.")
    v = pd.to_numeric(df[feature], errors="coerce").astype(float)
    if feature.endswith("_count"):
        n = _sentences(df, sentences)
        if n is not None:
            return v / n.where(n > 0), "per sentence"
        return v, "per article"
    if feature.endswith("_share"):
        return v, "share"
    if feature in _RATE_UNITS:
        return v, _RATE_UNITS[feature]
    if feature.endswith("_rate"):
        return v, "per sentence"
    if feature.endswith("_mean") or feature.startswith("frame_"):
        return v, "probability"
    if feature.startswith("persuasion_"):
        n = _sentences(df, sentences)
        return (v / n.where(n > 0), "per sentence") if n is not None else (v, "per article")
    return v, ""


def _groups(df: pd.DataFrame, by: Any) -> pd.Series:
    if isinstance(by, str):
        if by not in df.columns:
            raise KeyError(f"by={by!r} is not a column of the score frame; add it (e.g. scores[{by!r}] = "
                           f"df[{by!r}]) or pass a Series aligned with the frame's index.")
        return df[by]
    s = by if isinstance(by, pd.Series) else pd.Series(list(by), index=df.index)
    if len(s) != len(df):
        raise ValueError(f"by has {len(s)} values for {len(df)} rows.")
    return s.reindex(df.index) if isinstance(by, pd.Series) else s


def _boot_ci(values: np.ndarray, rng: np.random.Generator) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean; (nan, nan) for fewer than 2 values."""
    if len(values) < 2:
        return float("nan"), float("nan")
    idx = rng.integers(0, len(values), size=(N_BOOT, len(values)))
    means = values[idx].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - CI_LEVEL) / 2, 1 - (1 - CI_LEVEL) / 2])
    return float(lo), float(hi)


def _features(df: pd.DataFrame, features: Sequence[str] | str | None, default: Sequence[str]) -> list[str]:
    if features is None:
        feats = [f for f in default if f in df.columns]
        if not feats:
            raise ValueError(f"None of the default features ({', '.join(default)}) is a column of the frame; "
                             f"name some with features=[...].")
        return feats
    if isinstance(features, str):
        features = [features]
    feats = list(features)
    if not feats:
        raise ValueError("features is empty; name at least one score column.")
    missing = [f for f in feats if f not in df.columns]
    if missing:
        raise KeyError(f"No score column(s) {missing}; available: "
                       f"{', '.join(c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]))}.")
    return feats


def _grid(n: int, ncols: int | None, panel: tuple[float, float]):
    plt = _plt()
    ncols = ncols or min(n, 3)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel[0] * ncols, panel[1] * nrows), squeeze=False,
                             constrained_layout=True)
    for ax in axes.flat[n:]:
        ax.remove()
    return fig, list(axes.flat[:n])


def _percent_axis(ax, unit: str, axis: str = "y") -> None:
    if unit == "share":
        from matplotlib.ticker import PercentFormatter

        (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(1.0, decimals=0))


# --- the plots ----------------------------------------------------------------------------------------------

def compare(scores_df: pd.DataFrame, by: Any = "outlet", features: Sequence[str] | str | None = None, *,
            sentences: Any = None, order: Sequence[Any] | None = None, freq: str = "M", ncols: int | None = None,
            min_n: int = 1, points: bool = True):
    """Compare groups of articles (outlets, sections, years...) on any scores, one panel per feature.

    Each panel shows the group mean as a bar with its 95% bootstrap confidence interval, every article as
    a dot (the spread), and ``n`` (articles with a value) under each group.

    Parameters
    ----------
    scores_df : DataFrame
        :func:`rhetorica.score_frame` output, plus the grouping column.
    by : str or Series
        The grouping column (or values aligned with the frame's index).  A datetime column gives
        :func:`over_time` (prevalence per ``freq`` period) instead.
    features : list of str, optional
        Score columns; :data:`DEFAULT_FEATURES` that exist by default.  ``*_count`` columns are divided by
        the sentence count when one is available (see :func:`normalised`).
    sentences : str or Series, optional
        Sentence count per article; by default a ``sentence_count`` column when present.
    order : list, optional
        Group order (default: by size, largest first).
    min_n : int
        Leave out groups with fewer articles than this.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per feature (``fig.axes``).
    """
    groups = _groups(scores_df, by)
    if pd.api.types.is_datetime64_any_dtype(groups):
        return over_time(scores_df.assign(_date=groups.values), date_col="_date", features=features, freq=freq,
                         sentences=sentences)
    feats = _features(scores_df, features, DEFAULT_FEATURES)
    sizes = groups.value_counts(dropna=True)
    keys = list(order) if order is not None else list(sizes.index)
    keys = [k for k in keys if sizes.get(k, 0) >= min_n]
    if not keys:
        raise ValueError(f"No group has at least min_n={min_n} articles.")
    fig, axes = _grid(len(feats), ncols, (max(3.0, 0.8 * len(keys) + 1.0), 2.7))
    rng = np.random.default_rng(SEED)
    colours = _plt().rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, feat in zip(axes, feats):
        values, unit = normalised(scores_df, feat, sentences)
        ticks = []
        for k, key in enumerate(keys):
            v = values[(groups == key).to_numpy()].dropna().to_numpy()
            ticks.append(f"{key}\nn={len(v)}")
            if len(v) == 0:
                continue
            mean = v.mean()
            lo, hi = _boot_ci(v, rng)
            colour = colours[k % len(colours)]
            ax.bar(k, mean, width=0.6, color=colour, alpha=0.35, edgecolor=colour)
            if not np.isnan(lo):
                ax.errorbar(k, mean, yerr=[[mean - lo], [hi - mean]], color="black", capsize=4, lw=1.2)
            if points:
                jitter = rng.uniform(-0.18, 0.18, size=len(v))
                ax.scatter(k + jitter, v, s=9, color=colour, alpha=0.7, lw=0, zorder=3)
        ax.set_xticks(range(len(keys)), ticks, fontsize=8)
        ax.set_title(_pretty(feat), fontsize=10)
        ax.set_ylabel(unit, fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        _percent_axis(ax, unit)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(f"by {by if isinstance(by, str) else getattr(by, 'name', None) or 'group'}: mean per article, "
                 f"95% bootstrap CI, dots = articles", fontsize=9)
    return fig


def over_time(scores_df: pd.DataFrame, date_col: str = "date", features: Sequence[str] | str | None = None,
              freq: str = "M", *, sentences: Any = None, ncols: int | None = None):
    """Feature prevalence over time: the mean per period with a 95% bootstrap band, and articles per period.

    Parameters
    ----------
    scores_df : DataFrame
        Scores plus a date column.
    date_col : str
        The date column (anything ``pandas.to_datetime`` reads).
    features : list of str, optional
        As in :func:`compare`.
    freq : str
        A pandas period alias: ``"M"`` (month), ``"Q"``, ``"Y"``, ``"W"``, ``"D"``.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per feature, then one with the number of articles per period.
    """
    if date_col not in scores_df.columns:
        raise KeyError(f"date_col={date_col!r} is not a column of the score frame.")
    feats = _features(scores_df, features, DEFAULT_FEATURES)
    dates = pd.to_datetime(scores_df[date_col], errors="coerce")
    try:
        periods = dates.dt.to_period(freq)
    except ValueError as exc:
        raise ValueError(f"freq={freq!r} is not a pandas period alias (try 'M', 'Q', 'Y', 'W' or 'D').") from exc
    keys = sorted(periods.dropna().unique())
    if not keys:
        raise ValueError(f"No valid dates in column {date_col!r}.")
    x = np.array([p.to_timestamp() for p in keys])
    fig, axes = _grid(len(feats) + 1, ncols or 1, (7.0, 2.0))
    rng = np.random.default_rng(SEED)
    counts = periods.value_counts()
    for ax, feat in zip(axes, feats):
        values, unit = normalised(scores_df, feat, sentences)
        means, los, his = [], [], []
        for key in keys:
            v = values[(periods == key).to_numpy()].dropna().to_numpy()
            means.append(v.mean() if len(v) else np.nan)
            lo, hi = _boot_ci(v, rng)
            los.append(lo)
            his.append(hi)
        ax.fill_between(x, los, his, alpha=0.2, lw=0, label="95% CI")
        ax.plot(x, means, marker="o", ms=3, lw=1.3, label="mean per article")
        ax.set_title(_pretty(feat), fontsize=10)
        ax.set_ylabel(unit, fontsize=8)
        _percent_axis(ax, unit)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=8)
    n_ax = axes[-1]
    n_ax.bar(x, [counts.get(k, 0) for k in keys], width=_bar_width(keys), color="#9e9e9e")
    n_ax.set_title(f"articles per period ({freq}); n = {int(counts.sum())}", fontsize=10)
    n_ax.set_ylabel("n", fontsize=8)
    n_ax.tick_params(labelsize=8)
    n_ax.spines[["top", "right"]].set_visible(False)
    return fig


def _bar_width(keys) -> float:
    if len(keys) < 2:
        return 20.0
    days = (keys[1].to_timestamp() - keys[0].to_timestamp()).days
    return max(days * 0.8, 0.8)


def voice_share(scores_df: pd.DataFrame, *, labels: Any = None, sort: bool = True, ax=None,
                max_labels: int = 40):
    """Quoted vs editorial share of each article's text, one horizontal bar per article.

    Parameters
    ----------
    scores_df : DataFrame
        Needs ``quoted_share`` (``editorial_share`` is its complement over the non-boilerplate text).
    labels : str or Series, optional
        Article names (e.g. a ``title`` column); shown when there are at most ``max_labels`` articles.
    sort : bool
        Sort articles by quoted share.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if "quoted_share" not in scores_df.columns:
        raise KeyError("voice_share needs a 'quoted_share' column (run the 'quote' detector).")
    q = pd.to_numeric(scores_df["quoted_share"], errors="coerce")
    names = None
    if labels is not None:
        names = (scores_df[labels] if isinstance(labels, str) else pd.Series(list(labels), index=scores_df.index)
                 if not isinstance(labels, pd.Series) else labels.reindex(scores_df.index)).astype(str)
    missing = int(q.isna().sum())
    keep = q.notna().to_numpy()
    q = q[keep]
    if names is not None:
        names = names[keep]
    if sort:
        order = np.argsort(q.to_numpy(), kind="stable")
        q = q.iloc[order]
        names = names.iloc[order] if names is not None else None
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, max(2.5, min(0.22 * len(q), 9))), constrained_layout=True)
    y = np.arange(len(q))
    height = 0.8 if len(q) <= 80 else 1.0
    ax.barh(y, q.to_numpy(), height=height, color=QUOTED_COLOUR, label="quoted")
    ax.barh(y, 1 - q.to_numpy(), left=q.to_numpy(), height=height, color=EDITORIAL_COLOUR, label="editorial")
    if len(q):
        med = float(np.median(q))
        ax.axvline(med, color="black", lw=1, ls="--", label=f"median quoted {med:.0%}")
    if names is not None and len(q) <= max_labels:
        ax.set_yticks(y, [n if len(n) <= 48 else n[:47] + "…" for n in names], fontsize=7)
    else:
        ax.set_yticks([])
        ax.set_ylabel("articles")
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, len(q) - 0.4)
    note = f"; {missing} without a score left out" if missing else ""
    ax.set_title(f"quoted vs editorial share of text, n = {len(q)} articles{note}", fontsize=10)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _speaker_table(df: pd.DataFrame) -> pd.DataFrame:
    """Aggregate a speakers table (one article or a corpus) or a spans table into one row per speaker."""
    if "label" in df.columns and "speaker" in df.columns:  # a spans_frame: build from the quote spans
        q = df[df["label"] == "quote"]
        if "part" in q.columns:
            q = q[pd.to_numeric(q["part"], errors="coerce").fillna(0) == 0]
        kind = q["kind"] if "kind" in q.columns else pd.Series("direct", index=q.index)
        rows = pd.DataFrame({"speaker": q["speaker"].fillna("").astype(str), "kind": kind.fillna("direct"),
                             "row_id": q["row_id"] if "row_id" in q.columns else 0})
        table = pd.crosstab(rows["speaker"], rows["kind"])
        table["quotes"] = table.sum(axis=1)
        table["articles"] = rows.groupby("speaker")["row_id"].nunique()
        return table.reset_index()
    if "speaker" not in df.columns or "quotes" not in df.columns:
        raise KeyError("top_speakers needs a speakers table (columns speaker, quotes, direct, ...: "
                       "Analysis.speakers or rhetorica.speakers_frame) or a spans table with quote spans.")
    kinds = [k for k in KIND_COLOURS if k in df.columns]
    agg = {"quotes": "sum", **{k: "sum" for k in kinds}}
    g = df.assign(speaker=df["speaker"].fillna("").astype(str)).groupby("speaker", sort=False)
    table = g.agg(agg)
    if "row_id" in df.columns:
        table["articles"] = g["row_id"].nunique()
    return table.reset_index()


def top_speakers(speakers_df: pd.DataFrame, n: int = 15, *, ax=None, include_unattributed: bool = False):
    """The most quoted speakers, bars split by quote kind (direct, partial, indirect, mixed).

    Parameters
    ----------
    speakers_df : DataFrame
        ``Analysis.speakers``, :func:`rhetorica.speakers_frame` output (summed over articles, with the number
        of articles each speaker appears in) or a :func:`rhetorica.spans_frame` table.
    n : int
        How many speakers.
    include_unattributed : bool
        Also show the row of quotes with no speaker (left out by default, its size given in the title).

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}.")
    table = _speaker_table(speakers_df)
    unattributed = int(table.loc[table["speaker"] == "", "quotes"].sum())
    if not include_unattributed:
        table = table[table["speaker"] != ""]
    table = table.sort_values("quotes", ascending=False, kind="stable").head(n).iloc[::-1]
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, max(2.2, 0.32 * len(table) + 1)), constrained_layout=True)
    y = np.arange(len(table))
    names = [s if s else "(unattributed)" for s in table["speaker"]]
    left = np.zeros(len(table))
    kinds = [k for k in KIND_COLOURS if k in table.columns]
    for k in kinds:
        vals = table[k].to_numpy(dtype=float)
        ax.barh(y, vals, left=left, color=KIND_COLOURS[k], label=k, height=0.7)
        left += vals
    if not kinds:
        ax.barh(y, table["quotes"].to_numpy(dtype=float), color=KIND_COLOURS["direct"], height=0.7)
    if "articles" in table.columns:
        for yi, total, arts in zip(y, table["quotes"], table["articles"]):
            ax.text(total, yi, f" {int(arts)} art.", va="center", fontsize=7, color="#555")
    ax.set_yticks(y, [s if len(s) <= 32 else s[:31] + "…" for s in names], fontsize=8)
    ax.set_xlabel("quotations")
    note = f"; {unattributed} unattributed not shown" if unattributed and not include_unattributed else ""
    ax.set_title(f"top {len(table)} speakers{note}", fontsize=10)
    if kinds:
        ax.legend(fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _row_values(x: Any, feats: Sequence[str], sentences: Any) -> tuple[dict[str, float], str]:
    from ._types import Analysis

    if isinstance(x, Analysis):
        scores = dict(x.scores)
        n = sentences if sentences is not None else len(x.sentences)
        name = "this text"
    elif isinstance(x, pd.Series):
        scores = x.to_dict()
        n = sentences if sentences is not None else next((x[c] for c in SENTENCE_COLUMNS if c in x.index), None)
        name = str(x.name) if x.name is not None else "this article"
    elif isinstance(x, Mapping):
        scores, n, name = dict(x), sentences, "this article"
    else:
        raise TypeError(f"fingerprint expects an Analysis, a score row (Series) or a dict, got {type(x).__name__}.")
    row = pd.DataFrame([{f: scores.get(f, np.nan) for f in feats}])
    if n is not None:
        row["sentence_count"] = n
    return {f: float(normalised(row, f)[0].iloc[0]) for f in feats}, name


def fingerprint(analysis_or_scores_row: Any, reference: pd.DataFrame | None = None, *,
                features: Sequence[str] | None = None, sentences: Any = None, ax=None, title: str | None = None):
    """A per-article rhetoric fingerprint: each feature's value, or its percentile within a reference corpus.

    Parameters
    ----------
    analysis_or_scores_row : Analysis, Series or dict
        One article: an :class:`~rhetorica.Analysis` (counts are divided by its sentence count) or one row of
        :func:`rhetorica.score_frame` output (divided when it has a ``sentence_count``).
    reference : DataFrame, optional
        Scores of a corpus to compare with (with a ``sentence_count`` column for the count features).  Each
        bar is then the article's percentile within the corpus (50 = typical; ties count half), annotated
        with the raw value and the corpus median.
    features : list of str, optional
        :data:`FINGERPRINT_FEATURES` by default.

    Returns
    -------
    matplotlib.axes.Axes
    """
    feats = list(features) if features is not None else list(FINGERPRINT_FEATURES)
    values, name = _row_values(analysis_or_scores_row, feats, sentences)
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 0.32 * len(feats) + 1.1), constrained_layout=True)
    y = np.arange(len(feats))[::-1]
    if reference is not None:
        pct, notes = [], []
        for f in feats:
            ref, unit = normalised(reference, f) if f in reference.columns else (pd.Series(dtype=float), "")
            ref = ref.dropna().to_numpy()
            v = values[f]
            if len(ref) == 0 or np.isnan(v):
                pct.append(np.nan)
                notes.append("no reference" if len(ref) == 0 else "no value")
                continue
            pct.append(100 * ((ref < v).mean() + 0.5 * (ref == v).mean()))
            notes.append(f"{_fmt_value(v, unit)} (median {_fmt_value(float(np.median(ref)), unit)})")
        colours = ["#c62828" if p >= 75 else "#1565c0" if p <= 25 else "#9e9e9e" for p in np.nan_to_num(pct)]
        ax.barh(y, np.nan_to_num(pct), color=colours, height=0.65)
        ax.axvline(50, color="black", lw=1, ls="--")
        for yi, p, note in zip(y, pct, notes):
            ax.text(101, yi, note, va="center", fontsize=7.5, color="#333")
        ax.set_xlim(0, 100)
        ax.set_xlabel(f"percentile within the reference corpus (n = {len(reference)})")
    else:
        vals = np.array([values[f] for f in feats])
        ax.barh(y, np.nan_to_num(vals), color="#5c6bc0", height=0.65)
        for yi, f, v in zip(y, feats, vals):
            unit = normalised(pd.DataFrame({f: [v], "sentence_count": [1]}), f)[1]
            ax.text(np.nan_to_num(v), yi, f" {_fmt_value(v, unit)}", va="center", fontsize=7.5)
        ax.set_xlabel("value (counts per sentence; shares of sentences or text)")
    ax.set_yticks(y, [_pretty(f).replace(" count", "").replace(" share", " (share)") for f in feats], fontsize=8)
    ax.set_title(title or f"rhetoric fingerprint: {name}", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _fmt_value(v: float, unit: str) -> str:
    if np.isnan(v):
        return "–"
    if unit == "share":
        return f"{v:.0%}"
    if unit == "per sentence":
        return f"{v:.2f}/sent."
    if unit == "per article":
        return f"{v:g}"
    return f"{v:.2g}"
