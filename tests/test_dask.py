"""rhetorica.dask.score_frame on a real two-process Dask cluster equals the single-process result, row for row."""
from __future__ import annotations

import pandas as pd
import pytest

import rhetorica

dd = pytest.importorskip("dask.dataframe", reason="needs the 'dask' extra (dask[dataframe])")
distributed = pytest.importorskip("distributed", reason="needs the 'dask' extra (distributed)")

import rhetorica.dask as rdask  # noqa: E402 - after the skips

#: A rule detector and an encoder head: each worker process has to load the encoder.
DETS = ["quote", "rhetorical_question"]


@pytest.fixture(scope="module")
def texts(wikinews) -> pd.DataFrame:
    """The 8 shortest Wikinews articles (file order) plus a missing text, with a non-default index."""
    short = wikinews.text.str.len().nsmallest(8).index.sort_values()
    df = wikinews.loc[short, ["id", "text"]].astype({"text": "object"})
    df.loc[short[5], "text"] = None
    return df.set_index("id")


@pytest.fixture(scope="module")
def expected(texts) -> pd.DataFrame:
    return rhetorica.score_frame(texts, detectors=DETS, errors="coerce", progress=False)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                       silence_logs=50)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_dask_score_frame_on_a_local_cluster_equals_single_process(client, texts, expected):
    ddf = dd.from_pandas(texts, npartitions=4)
    lazy = rdask.score_frame(ddf, detectors=DETS, errors="coerce")
    assert list(lazy.columns) == list(expected.columns)  # known before anything runs
    got = lazy.compute()
    pd.testing.assert_frame_equal(got, expected, check_index_type=False)
    assert got.index.tolist() == texts.index.tolist()  # same rows, same order
    assert got["error"].notna().sum() == 1
    # both workers scored partitions, and each built its Analyzer once for four partitions
    per_worker = client.run(lambda: len(__import__("rhetorica.dask").dask._ANALYZERS))
    assert len(per_worker) == 2 and set(per_worker.values()) <= {0, 1} and sum(per_worker.values()) >= 1


def test_dask_top_level_score_frame_delegates(texts, expected):
    ddf = dd.from_pandas(texts, npartitions=3)
    lazy = rhetorica.score_frame(ddf, detectors=DETS, errors="coerce")
    pd.testing.assert_frame_equal(lazy.compute(scheduler="sync"), expected, check_index_type=False)


def test_dask_errors_are_checked_up_front(texts):
    ddf = dd.from_pandas(texts, npartitions=2)
    with pytest.raises(KeyError, match="body"):
        rdask.score_frame(ddf, text_col="body")
    with pytest.raises(ValueError, match="'errors' parameter"):
        rdask.score_frame(ddf, errors="ignore")
    with pytest.raises(TypeError, match="pandas"):
        rdask.score_frame(texts)
    with pytest.raises(TypeError, match="rhetorica.dask.score_frame"):
        rhetorica.spans_frame(ddf)
