"""Score a Dask DataFrame on a Dask cluster: lazy, partition by partition, models loaded once per worker.

>>> import dask.dataframe as dd                                       # doctest: +SKIP
>>> from dask.distributed import Client                               # doctest: +SKIP
>>> client = Client("tcp://scheduler:8786")                           # doctest: +SKIP
>>> ddf = dd.read_parquet("s3://bucket/articles/*.parquet")           # doctest: +SKIP
>>> scores = rhetorica.dask.score_frame(ddf, text_col="text")         # doctest: +SKIP
>>> scores.to_parquet("s3://bucket/scores/")                          # doctest: +SKIP

Every worker needs rhetorica installed (``pip install "rhetorica[dask]"`` plus the CPU torch wheel, in the
same environment as the workers).  The first partition a worker process scores loads the encoder and the
heads; every later partition on that process reuses them.

Needs the ``dask`` extra (``dask[dataframe]`` and ``distributed``).
"""
from __future__ import annotations

import threading
from typing import Any, Sequence

import pandas as pd

from .pipeline import Analyzer

#: One Analyzer per option set, per process: a Dask worker process keeps its models across partitions.
_ANALYZERS: dict[tuple, Analyzer] = {}
_lock = threading.Lock()


def worker_analyzer(detectors: Sequence[str] | None = None, batch_size: int = 16, encoder: str | None = None,
                    torch_threads: int | None = None) -> Analyzer:
    """The process-wide :class:`Analyzer` for these options, created on first use.

    ``torch_threads`` (when given) sets the encoder's CPU threads (torch for fp32, ONNX Runtime for int8) once,
    before the encoder loads.
    """
    from .scoring import make_analyzer

    key = (None if detectors is None else tuple(detectors), batch_size, encoder)
    with _lock:
        if key not in _ANALYZERS:
            if torch_threads is not None and _needs_encoder(detectors):
                from .classifiers.encoder import set_threads

                set_threads(torch_threads)  # torch (fp32) and ONNX Runtime (int8) alike
            _ANALYZERS[key] = make_analyzer(detectors, batch_size=batch_size, encoder=encoder)
        return _ANALYZERS[key]


def _needs_encoder(detectors: Sequence[str] | None) -> bool:
    from .detectors.base import available_detectors, get_detector

    names = available_detectors() if detectors is None else detectors
    return any(get_detector(n).needs_encoder for n in names)


def _score_partition(part: Any, text_col: str, detectors: tuple[str, ...] | None, errors: str, batch_size: int,
                     encoder: str | None, torch_threads: int | None) -> pd.DataFrame:
    from .scoring import score_frame as pandas_score_frame

    an = worker_analyzer(detectors, batch_size, encoder, torch_threads)
    return pandas_score_frame(part, text_col, errors=errors, progress=False, analyzer=an)


def score_frame(ddf: Any, text_col: str = "text", *, detectors: Sequence[str] | None = None,
                errors: str = "raise", batch_size: int = 16, encoder: str | None = None,
                torch_threads: int | None = None) -> Any:
    """Score a Dask DataFrame (or Series) lazily; the result has the columns of :func:`rhetorica.score_frame`.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame or Series
        The texts, in any number of partitions.
    text_col : str
        The column holding the texts (ignored for a Series).
    detectors : list of str, optional
        Which detectors to run (all by default).
    errors : {"raise", "coerce"}
        As in :func:`rhetorica.score_frame`: stop on a missing / non-string text, or give the row NaN scores
        and a message in an ``error`` column.
    batch_size : int
        Texts per shared encoder pass.
    encoder : {"fp32", "int8"}, optional
        Which encoder the workers run (the :class:`~rhetorica.Analyzer` default when not given).
    torch_threads : int, optional
        Encoder threads per worker process (torch for fp32, ONNX Runtime for int8).  By default a worker keeps
        what its environment says: Dask's nanny starts workers with ``OMP_NUM_THREADS=1``, which both encoders
        follow, and which is right when a host runs one single-threaded worker per core.  Set it to
        ``cores // worker processes`` on a host that runs fewer workers than cores.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; same index and divisions as ``ddf``, one float column per score name (plus ``error`` under
        ``errors="coerce"``).  Nothing is computed until you call ``.compute()``, ``.to_parquet()``, ...
    """
    from .scoring import _check_errors, _is_dask

    if not _is_dask(ddf):
        raise TypeError(f"rhetorica.dask.score_frame expects a Dask DataFrame or Series, got "
                        f"{type(ddf).__name__}; use rhetorica.score_frame for pandas.")
    if isinstance(detectors, str):
        raise TypeError("'detectors' must be a list of detector names, not a single str.")
    _check_errors(errors)
    if hasattr(ddf, "columns") and text_col not in ddf.columns:
        raise KeyError(f"text_col={text_col!r} is not a column of the Dask DataFrame; columns are "
                       f"{list(map(str, ddf.columns))}.")
    if torch_threads is not None and torch_threads < 1:
        raise ValueError(f"The 'torch_threads' parameter must be >= 1. Got {torch_threads!r} instead.")
    dets = None if detectors is None else tuple(detectors)
    names = Analyzer(detectors=dets, batch_size=batch_size).score_names  # cheap: no model is loaded here
    meta = pd.DataFrame({n: pd.Series(dtype="float64") for n in names})
    if errors == "coerce":
        meta["error"] = pd.Series(dtype="object")
    return ddf.map_partitions(_score_partition, text_col, dets, errors, batch_size, encoder, torch_threads,
                              meta=meta)
