"""Shared training utilities: data location, cached embeddings, article-level splits, metrics with
bootstrap confidence intervals, and writing a model folder (weights, config, card, manifest)."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..classifiers.heads import Head, models_dir, write_manifest

SEED = 0


def data_dir() -> Path:
    """The training data: ``RHETORICA_DATA`` or ``../shared/data`` beside the repository."""
    env = os.environ.get("RHETORICA_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[2]
    for cand in (here.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"):
        if cand.exists():
            return cand
    raise FileNotFoundError("Training data not found: set RHETORICA_DATA to the folder holding the data README.")


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def cache_dir() -> Path:
    """Training's embedding cache: ``RHETORICA_CACHE``, else ``.cache/`` of a development checkout, else
    ``~/.cache/rhetorica/training`` (never inside an installed package)."""
    env = os.environ.get("RHETORICA_CACHE")
    if env:
        d = Path(env)
    else:
        repo = Path(__file__).resolve().parents[2]
        d = repo / ".cache" if (repo / "pyproject.toml").exists() else Path.home() / ".cache" / "rhetorica" / "training"
    d.mkdir(parents=True, exist_ok=True)
    return d


#: Encoder precision :func:`embed` uses when not told; training is always fp32, and only
#: :func:`embedding_backend` (the int8 validation, ``rhetorica.training.validate_int8``) changes it.
_BACKEND = ["fp32"]


@contextlib.contextmanager
def embedding_backend(backend: str):
    """Within the block, :func:`embed` uses the ``backend`` encoder ("fp32" or "int8") unless told otherwise."""
    from ..classifiers.encoder import resolve_encoder

    _BACKEND.append(resolve_encoder(backend))
    try:
        yield
    finally:
        _BACKEND.pop()


def embed(texts: Sequence[str], backend: str | None = None) -> np.ndarray:
    """Shared-encoder embeddings of ``texts``, cached on disk by content (training only).

    ``backend`` is the encoder precision ("fp32" by default, see :func:`embedding_backend`);
    int8 embeddings are cached under their own file names.
    """
    from ..classifiers.encoder import INT8_VECTORS, get_encoder, resolve_encoder

    backend = resolve_encoder(backend or _BACKEND[-1])
    texts = list(texts)
    key = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:24]
    if backend == "fp32":
        path = cache_dir() / f"emb-{key}.npy"
    else:  # a new quantisation recipe (or way of running it) must not reuse vectors of the old one
        recipe = hashlib.sha256(INT8_VECTORS.encode("utf-8")).hexdigest()[:8]
        path = cache_dir() / f"emb-{backend}-{recipe}-{key}.npy"
    if path.exists():
        return np.load(path)
    emb = get_encoder(backend).encode(texts, show_progress=True)
    np.save(path, emb)
    return emb


def group_split(groups: Sequence[str], frac: float, seed: int = SEED) -> np.ndarray:
    """Boolean mask selecting about ``frac`` of the *groups* (articles), reproducibly."""
    uniq = sorted(set(groups))
    rng = np.random.default_rng(seed)
    chosen = set(rng.choice(uniq, size=max(1, int(round(frac * len(uniq)))), replace=False).tolist())
    return np.array([g in chosen for g in groups])


# -- metrics: the one place every trainer and benchmark takes them from (arguments: truth first, as in sklearn) --
def group_folds(groups: Sequence[str], n_folds: int, seed: int = SEED) -> np.ndarray:
    """Fold number per row, whole groups (articles) to one fold: a seeded permutation of the sorted groups."""
    groups = np.asarray(groups)
    uniq = np.array(sorted(set(groups.tolist())))
    fold_of = dict(zip(uniq, np.random.default_rng(seed).permutation(len(uniq)) % n_folds))
    return np.array([fold_of[g] for g in groups])


def prf(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Precision, recall, F1 of the positive class (binary 0/1 or bool arrays; 0 where undefined)."""
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, _ = precision_recall_fscore_support(np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool),
                                                 average="binary", zero_division=0)
    return {"precision": float(p), "recall": float(r), "f1": float(f)}


def macro_f1(y_true, y_pred) -> float:
    """Macro-F1 over the classes present in either array (sklearn, 0 where undefined)."""
    from sklearn.metrics import f1_score

    return float(f1_score(y_true, y_pred, average="macro", zero_division=0))


def ece(y_true, p, bins: int = 10) -> float:
    """Expected calibration error of a binary probability ``p`` against 0/1 ``y_true``: equal-width bins
    ``[k/bins, (k+1)/bins)`` (the last one closed), weighted by their share of the rows."""
    y_true = np.asarray(y_true, dtype=float)
    p = np.asarray(p, dtype=float)
    k = np.minimum((p * bins).astype(int), bins - 1)
    return float(sum(abs(y_true[k == b].mean() - p[k == b].mean()) * (k == b).mean()
                     for b in range(bins) if (k == b).any()))


def ece_top_label(y_true, P, bins: int = 10) -> float:
    """Expected calibration error of the top-label confidence of class probabilities ``P`` (rows), with bins
    ``(k/bins, (k+1)/bins]``."""
    P = np.asarray(P, dtype=float)
    conf = P.max(axis=1)
    correct = (P.argmax(axis=1) == np.asarray(y_true)).astype(float)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(conf[m].mean() - correct[m].mean())
    return float(total)


def brier(y_true, p) -> float:
    """Brier score: of a binary probability against 0/1 ``y_true``, or of class probabilities ``P`` (rows)
    against class indices (the sum over classes, averaged over rows)."""
    p = np.asarray(p, dtype=float)
    y_true = np.asarray(y_true)
    if p.ndim == 1:
        return float(np.mean((p - y_true.astype(float)) ** 2))
    Y = np.zeros_like(p)
    Y[np.arange(len(y_true)), y_true] = 1
    return float(((p - Y) ** 2).sum(axis=1).mean())


def multilabel_f1(Y_true, Y_pred, average: str = "micro") -> float:
    """Micro- or macro-F1 of 0/1 label matrices; the macro mean is over labels present in either matrix."""
    Y_true = np.asarray(Y_true).astype(bool)
    Y_pred = np.asarray(Y_pred).astype(bool)
    if average == "micro":
        denom = float(Y_true.sum() + Y_pred.sum())
        return 2 * float((Y_true & Y_pred).sum()) / denom if denom else 0.0
    fs = [prf(Y_true[:, j], Y_pred[:, j])["f1"] for j in range(Y_true.shape[1])
          if Y_true[:, j].any() or Y_pred[:, j].any()]
    return float(np.mean(fs)) if fs else 0.0


def bootstrap_ci(metric: Callable[[np.ndarray, np.ndarray], float], y_true, y_pred, *, n: int = 1000,
                 seed: int = SEED, groups: Sequence[str] | None = None) -> tuple[float, float]:
    """95% percentile bootstrap interval of ``metric``; resamples whole groups (articles) when given."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    rng = np.random.default_rng(seed)
    if groups is not None:
        groups = np.asarray(groups)
        uniq = np.unique(groups)
        idx_of = {g: np.flatnonzero(groups == g) for g in uniq}
    vals = []
    for _ in range(n):
        if groups is None:
            idx = rng.integers(0, len(y_true), len(y_true))
        else:
            idx = np.concatenate([idx_of[g] for g in rng.choice(uniq, len(uniq))])
        vals.append(metric(y_true[idx], y_pred[idx]))
    lo, hi = np.percentile(vals, [2.5, 97.5])
    return float(lo), float(hi)


def value_with_ci(metric: Callable[[np.ndarray, np.ndarray], float], y_true, y_pred, *, n: int = 1000,
                  seed: int = SEED, groups: Sequence[str] | None = None, digits: int = 4) -> list[float]:
    """``[value, lo, hi]`` of ``metric``, with its :func:`bootstrap_ci`, rounded for cards and reports."""
    lo, hi = bootstrap_ci(metric, y_true, y_pred, n=n, seed=seed, groups=groups)
    return [round(float(metric(y_true, y_pred)), digits), round(lo, digits), round(hi, digits)]


def paired_bootstrap_ci(metric: Callable[[np.ndarray, np.ndarray], float], y_true, pred_a, pred_b, *,
                        n: int = 1000, seed: int = SEED, groups: Sequence[str] | None = None) -> list[float]:
    """``[gain, lo, hi]``: ``metric(y, a) - metric(y, b)`` and its 95% interval, each resample taking the same rows
    (or whole groups) for both predictions."""
    a, b = np.asarray(pred_a), np.asarray(pred_b)
    both = np.stack([a, b], axis=1)

    def diff(y_s, ab):
        return metric(y_s, ab[:, 0]) - metric(y_s, ab[:, 1])

    lo, hi = bootstrap_ci(diff, y_true, both, n=n, seed=seed, groups=groups)
    return [float(metric(np.asarray(y_true), a) - metric(np.asarray(y_true), b)), lo, hi]


def write_json(path: str | os.PathLike | None, obj) -> None:
    """Write ``obj`` as indented JSON to ``path`` (nothing when ``path`` is None): the ``--json`` of the scripts."""
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(obj, fh, indent=1)


def save_model(name: str, head: Head, meta: dict, card_md: str, root: Path | None = None) -> Path:
    """Write ``models/<name>/`` (weights.npz, model.json, MODEL_CARD.md) and refresh the manifest."""
    root = root or models_dir()
    folder = root / name
    head.save(folder, {"name": name, **meta})
    (folder / "MODEL_CARD.md").write_text(card_md)
    write_manifest(root)
    return folder


#: Where ``benchmarks/extra_data_probe.py`` leaves its out-of-fold results for the cards.
EXTRA_DATA_RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "RESULTS_extra_data_probe.json"


def extra_data_rows(run: dict) -> list[str]:
    """One markdown table row per system of an ``extra_data_probe`` run (the benchmark's report and the cards)."""
    rows = []
    for r in run["systems"]:
        g = r.get("gain_best")
        rows.append(f"| {r['system']} | {r['at_0.5']:.3f} | {r['best']:.3f} (≥ {r['threshold']}) | "
                    + (f"{g[0]:+.3f} [{g[1]:+.3f}, {g[2]:+.3f}]" if g else "–") + " |")
    return rows


def extra_data_section(task: str) -> str:
    """The card section with ``benchmarks/extra_data_probe.py``'s results for ``task`` ("" when it was not run)."""
    if not EXTRA_DATA_RESULTS.exists():
        return ""
    run = next((r for r in json.loads(EXTRA_DATA_RESULTS.read_text()) if r["task"] == task), None)
    if run is None:
        return ""
    rows = extra_data_rows(run)
    better = [r for r in run["systems"] if r.get("gain_best") and r["gain_best"][1] > 0]
    verdict = ("No extra data set raises the out-of-fold figure with an interval above zero, so none is used."
               if not better else "Gains with an interval above zero: " + "; ".join(r["system"] for r in better) + ".")
    return f"""## Does extra training data help? (`benchmarks/extra_data_probe.py {task}`)
Extra rows added to the training folds only, scored out of fold on the {run['rows']:,} training rows of this head
({run['folds']} folds grouped by {run['grouping']}, the shipped settings), each system at 0.5 and at its own
out-of-fold-best threshold; gains paired over the same groups against the head without extra rows.  No dev or
held-out split was read.

| training rows | macro-F1 at 0.5 | macro-F1 at its best threshold | gain [95% CI] |
|---|---|---|---|
{chr(10).join(rows)}

{verdict}
"""


#: Where ``benchmarks/finetune_probe.py`` leaves its out-of-fold results for the cards.
FINETUNE_PROBE_RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "RESULTS_finetune_probe.json"


def finetune_probe_section(task: str) -> str:
    """The card section with ``benchmarks/finetune_probe.py``'s results for ``task`` ("" when it was not run)."""
    if not FINETUNE_PROBE_RESULTS.exists():
        return ""
    runs = [r for _, r in sorted(json.loads(FINETUNE_PROBE_RESULTS.read_text()).items()) if r["task"] == task]
    if not runs:
        return ""
    rows, readings = [], []
    for r in runs:
        for name, row in r["rows"].items():
            m, g = row["macro_f1"], row.get("gain_over_head")
            gain = f"{g[0]:+.3f} [{g[1]:+.3f}, {g[2]:+.3f}]" if g else "–"
            rows.append(f"| {name} | {m[0]:.3f} [{m[1]:.3f}, {m[2]:.3f}] | {row['threshold']:.2f} | {gain} |")
            if g:
                verdict = ("better than the head" if g[1] > 0 else "worse than the head" if g[2] < 0
                           else "not distinguishable from the head")
                readings.append(f"{name[0].upper()}{name[1:]}: {verdict} ({gain}).")
    settings = "; ".join(f"top {r['layers']} of 6 layers fine-tuned, {r['epochs']} epochs, learning rate {r['lr']}"
                         for r in runs)
    return f"""## Does fine-tuning the encoder help? (`benchmarks/finetune_probe.py {task}`)
all-MiniLM-L6-v2 fine-tuned on this task ({settings}; {runs[0]['input']}; mean-pooled states and a linear
layer, class weights balanced), against the shipped frozen-encoder head, out of fold on the same {runs[0]['folds']}
grouped folds of the {runs[0]['n']:,} training rows the head was chosen on; each system at its own
out-of-fold-best threshold; 95% grouped-bootstrap intervals, gains paired.  No dev or held-out split was read.

| system | macro-F1 | threshold | gain over the head |
|---|---|---|---|
{chr(10).join(rows)}

{" ".join(readings)}  Nothing from the probe is shipped: a fine-tuned copy of the encoder would
also cost a second transformer pass per sentence.  (On BABE, `benchmarks/finetune_bias.py` found a full fine-tune
level with the frozen `media_bias` head.)
"""
