"""pandas in, pandas out: one row of scores per input row, or one row per span.

Rows are never dropped or reordered: the output has the input's index, in the
input's order.  A row whose text is missing or not a string is an error: by
default the call raises, naming the row; with ``errors="coerce"`` the row gets
NaN scores and a message in the ``error`` column (so does a text on which a
detector fails: the other rows of its batch keep their results).

For files larger than memory use ``rhetorica score`` (:mod:`rhetorica.stream`);
for a Dask DataFrame, :func:`rhetorica.dask.score_frame`.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from ._types import Analysis
from .errors import InstallError, RunError
from .pipeline import Analyzer
from .text.clean import clean_text

SPAN_COLUMNS = ["row_id", "start", "end", "label", "score", "text"]
_ERRORS = ("raise", "coerce")
#: Show a progress bar by default only when a batch is at least this long (a bar for 3 rows is noise).
PROGRESS_MIN_ROWS = 50


class RowError(ValueError):
    """A row of a batch cannot be analysed (its text is missing or not a string, or a detector failed on it)."""

    def __init__(self, row_id: Any, message: str, coerce_hint: bool = True) -> None:
        hint = (". Pass errors='coerce' to get NaN scores and an 'error' column for such rows instead"
                if coerce_hint else "")
        super().__init__(f"Row {row_id!r}: {message}{hint}.")
        self.row_id = row_id
        self._init_args = (row_id, message, coerce_hint)

    def __reduce__(self):  # raised in a worker process, re-raised in the parent
        return (type(self), self._init_args)


def _texts(data: Any, text_col: str) -> pd.Series:
    if isinstance(data, pd.Series):
        return data
    if isinstance(data, pd.DataFrame):
        if text_col not in data.columns:
            raise KeyError(f"text_col={text_col!r} is not a column of the DataFrame; columns are "
                           f"{list(map(str, data.columns))}.")
        col = data[text_col]
        if isinstance(col, pd.DataFrame):
            raise ValueError(f"text_col={text_col!r} names {col.shape[1]} columns (duplicate column names).")
        return col
    if isinstance(data, str):
        raise TypeError("score_frame expects a DataFrame, Series or list of texts, not a single str; "
                        "use rhetorica.analyze(text) for one text.")
    if isinstance(data, Iterable):
        return pd.Series(list(data))
    raise TypeError(f"score_frame expects a pandas DataFrame or Series, got {type(data).__name__}.")


def _check_errors(errors: str) -> None:
    if errors not in _ERRORS:
        raise ValueError(f"The 'errors' parameter must be one of {_ERRORS}. Got {errors!r} instead.")


def _row_problem(value: Any) -> str | None:
    if isinstance(value, str):
        return None
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT:
        return "text is missing (None/NaN)"
    return f"text must be str, got {type(value).__name__}"


def iter_analyses(series: pd.Series, analyzer: Analyzer, errors: str, progress: bool | None,
                  desc: str = "rhetorica") -> Iterator[tuple[Any, Analysis | None, str | None]]:
    """Yield ``(row_id, analysis or None, error or None)`` for every row, in order.

    Under ``errors="coerce"`` a text on which a detector fails does not stop the batch: its encoder batch is
    re-run one text at a time and the failing row gets ``"analysis failed: ..."`` as its error.
    """
    _check_errors(errors)
    values = series.tolist()
    ids = series.index.tolist()
    problems = [_row_problem(v) for v in values]
    if errors == "raise":
        for rid, p in zip(ids, problems):
            if p:
                raise RowError(rid, p)
    show = len(values) >= PROGRESS_MIN_ROWS if progress is None else progress
    bar = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(values), desc=desc, unit="text")
    good = [k for k, p in enumerate(problems) if p is None]
    try:
        pending: dict[int, tuple[Analysis | None, str | None]] = {}
        step = analyzer.batch_size
        analysed = failed = 0
        for b in range(0, len(good), step):
            batch = good[b:b + step]
            results = _analyse_batch(analyzer, [values[k] for k in batch], batch, errors, ids)
            if analysed < FAIL_FAST_ROWS:
                for k in batch[:FAIL_FAST_ROWS - analysed]:
                    failed += results[k][1] is not None
                    analysed += 1
                if analysed == FAIL_FAST_ROWS and failed == FAIL_FAST_ROWS:
                    raise RunError(f"the first {FAIL_FAST_ROWS} texts all failed ({results[batch[0]][1] or ''}); "
                                   "a fault that hits every text is not about the rows, so the run stops. "
                                   "Check the installation and the detectors.")
            pending.update(results)
            # everything up to the end of this batch is decided: hand it out in input order
            upto = batch[-1] + 1
            for k in range(good[b - 1] + 1 if b else 0, upto):
                a, err = pending.pop(k) if k in pending else (None, problems[k])
                yield ids[k], a, err
                if bar is not None:
                    bar.update(1)
        for k in range(good[-1] + 1 if good else 0, len(values)):
            yield ids[k], None, problems[k]
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()


#: Failures that are about the installation or the machine, never about one text: they stop a batch whatever
#: ``errors`` says (a corrupted model would otherwise give every row the same error and the run "succeed").
RUN_LEVEL_ERRORS = (InstallError, RunError, ImportError, OSError, MemoryError)
#: Under ``errors="coerce"``, a run whose first this-many analysed texts all fail stops with :class:`RunError`:
#: a detector bug that hits every text is not a property of the rows.
FAIL_FAST_ROWS = 10


def _analyse_batch(analyzer: Analyzer, texts: list[str], positions: list[int], errors: str,
                   ids: list[Any] | None = None) -> dict[int, tuple[Analysis | None, str | None]]:
    try:
        return {k: (a, None) for k, a in zip(positions, analyzer.pipe(texts))}
    except RUN_LEVEL_ERRORS:
        raise
    except Exception:  # noqa: BLE001 - one of the texts: find which, below
        pass
    out: dict[int, tuple[Analysis | None, str | None]] = {}
    for k, t in zip(positions, texts):  # isolate the text that fails; the others keep their results
        try:
            out[k] = (analyzer(t), None)
        except RUN_LEVEL_ERRORS:
            raise
        except Exception as exc:  # noqa: BLE001 - reported in the row's error column, never lost
            if errors == "raise":
                rid = ids[k] if ids is not None else k
                raise RowError(rid, f"analysis failed: {type(exc).__name__}: {exc}", coerce_hint=False) from exc
            out[k] = (None, f"analysis failed: {type(exc).__name__}: {exc}")
    return out


def _analyzer(detectors: Sequence[str] | None, batch_size: int, analyzer: Analyzer | None,
              encoder: str | None = None) -> Analyzer:
    if analyzer is not None:
        return analyzer
    return make_analyzer(detectors, batch_size=batch_size, encoder=encoder)


def make_analyzer(detectors: Sequence[str] | None = None, *, batch_size: int = 16,
                  encoder: str | None = None) -> Analyzer:
    """An :class:`Analyzer`; ``encoder`` (``"fp32"`` / ``"int8"``) is passed on only when given."""
    kw: dict[str, Any] = {"batch_size": batch_size}
    if encoder is not None:
        kw["encoder"] = encoder
    return Analyzer(detectors=detectors, **kw)


def score_frame(data: Any, text_col: str = "text", *, detectors: Sequence[str] | None = None,
                errors: str = "raise", batch_size: int = 16, progress: bool | None = None,
                analyzer: Analyzer | None = None, encoder: str | None = None) -> pd.DataFrame:
    """Score every text of a DataFrame column (or Series); one output row per input row, same index.

    Parameters
    ----------
    data : DataFrame, Series or list of str
        The texts.  A Dask DataFrame is scored lazily, partition by partition, with the models loaded once
        per worker process (see :func:`rhetorica.dask.score_frame`).
    text_col : str
        The column holding the texts (ignored for a Series).
    detectors : list of str, optional
        Which detectors to run (all by default).
    errors : {"raise", "coerce"}
        What a missing or non-string text does: raise :class:`RowError` naming the row, or give that row NaN
        scores and a message in an ``error`` column (the column is present only under ``"coerce"``).
    batch_size : int
        Texts per shared encoder pass.
    progress : bool, optional
        Show a progress bar (default: when there are at least 50 rows).
    analyzer : Analyzer, optional
        A ready :class:`Analyzer` to reuse (then ``detectors``, ``batch_size`` and ``encoder`` are ignored).
    encoder : {"fp32", "int8"}, optional
        Which encoder the :class:`Analyzer` runs (its default when not given).

    Returns
    -------
    DataFrame
        A new frame (the input is not modified) with one float column per score name.
    """
    if _is_dask(data):
        from ._types import hook

        dask_score_frame = hook("dask_score_frame")  # rhetorica.dask (above this module; see docs/architecture.md)

        return dask_score_frame(data, text_col, detectors=detectors, errors=errors, batch_size=batch_size,
                                encoder=encoder)
    return analyze_frame(data, text_col, detectors=detectors, errors=errors, batch_size=batch_size,
                         progress=progress, analyzer=analyzer, encoder=encoder, spans=False)[0]


def _is_dask(data: Any) -> bool:
    return hasattr(data, "map_partitions") and not isinstance(data, (pd.DataFrame, pd.Series))


def spans_frame(data: Any, text_col: str = "text", *, detectors: Sequence[str] | None = None,
                errors: str = "raise", batch_size: int = 16, progress: bool | None = None,
                analyzer: Analyzer | None = None, encoder: str | None = None) -> pd.DataFrame:
    """One row per span found in any text: ``row_id, start, end, label, score, text`` plus the attrs.

    ``row_id`` is the input row's index label.  Under ``errors="coerce"`` a row that could not be analysed
    contributes one row with an ``error`` message (and no span), so nothing disappears silently.
    """
    return analyze_frame(data, text_col, detectors=detectors, errors=errors, batch_size=batch_size,
                         progress=progress, analyzer=analyzer, encoder=encoder, spans=True)[1]


def analyze_frame(data: Any, text_col: str = "text", *, detectors: Sequence[str] | None = None,
                  errors: str = "raise", batch_size: int = 16, progress: bool | None = None,
                  analyzer: Analyzer | None = None, encoder: str | None = None,
                  spans: bool = True) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Scores and (optionally) spans in one pass over the texts: ``(score_frame, spans_frame)``."""
    _check_errors(errors)
    if _is_dask(data):
        raise TypeError("spans_frame / analyze_frame need a pandas DataFrame or Series; for a Dask DataFrame use "
                        "rhetorica.dask.score_frame, or `rhetorica score --spans` on a file.")
    series = _texts(data, text_col)
    an = _analyzer(detectors, batch_size, analyzer, encoder)
    names = an.score_names
    rows = np.full((len(series), len(names)), np.nan)
    errs: list[str | None] = []
    records: list[dict[str, Any]] = []
    for k, (rid, a, err) in enumerate(iter_analyses(series, an, errors, progress)):
        errs.append(err)
        if a is None:
            if spans:
                records.append({"row_id": rid, "start": None, "end": None, "label": None, "score": np.nan,
                                "text": None, "error": err})
            continue
        rows[k] = [a.scores.get(n, np.nan) for n in names]
        if spans:
            records.extend({"row_id": rid, **_span_record(a.text, s)} for s in a.spans)
    scores = pd.DataFrame(rows, index=series.index.copy(), columns=names)
    if errors == "coerce":
        scores["error"] = pd.Series(errs, index=scores.index, dtype="object")
    return scores, (_records_frame(records) if spans else None)


def _span_record(text: str, s) -> dict[str, Any]:
    # text cells go through clean_text: a lone surrogate (scraped text) becomes U+FFFD, one for one, since no
    # table or file format can hold it; offsets still index the caller's text
    rec = {"start": s.start, "end": s.end, "label": s.label, "score": s.score,
           "text": clean_text(text[s.start:s.end])}
    for k, v in s.attrs.items():
        if k not in rec:
            rec[k] = clean_text(v) if isinstance(v, str) else v
    return rec


def _records_frame(records: list[dict[str, Any]], with_row_id: bool = True) -> pd.DataFrame:
    base = SPAN_COLUMNS if with_row_id else SPAN_COLUMNS[1:]
    df = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=base)
    extra = [c for c in df.columns if c not in base]
    df = df[base + extra].reset_index(drop=True)
    return df.astype({"start": "Int64", "end": "Int64", "score": "float64"})


def spans_to_frame(analysis: Analysis) -> pd.DataFrame:
    """The spans of one :class:`Analysis` as a DataFrame."""
    return _records_frame([_span_record(analysis.text, s) for s in analysis.spans], with_row_id=False)
