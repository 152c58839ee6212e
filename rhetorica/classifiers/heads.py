"""Trained heads over the shared encoder, stored as npz + JSON and checksum-verified.

A model lives in ``models/<name>/``:

``model.json``
    ``name``, ``labels``, ``multi_label`` (sigmoid per label) or not (softmax),
    ``features`` (names from :data:`rhetorica.classifiers.features.FEATURES`,
    concatenated in order), ``layers`` (how many dense layers ``weights.npz``
    holds), ``thresholds`` (optional, per label) and free-form ``card`` metadata
    (data, licence, metrics) that ``rhetorica models`` prints.
``weights.npz``
    ``mean``, ``scale`` (feature standardisation) and ``W0, b0, W1, b1, ...``
    dense layers (ReLU between them).  Loaded with ``allow_pickle=False``.
``MODEL_CARD.md``
    The human-readable card.

A token tagger's ``model.json`` may say ``"architecture": "bigru"``: its ``weights.npz`` then holds a
:class:`SequenceHead` (``mean``, ``scale`` and the arrays named in
:data:`rhetorica.classifiers.token_head.GRU_ARRAYS`) instead of dense layers.

``models/MANIFEST.json`` maps every model file to its sha256; a file whose
digest differs is refused with :class:`ChecksumError`.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..errors import InstallError

MANIFEST = "MANIFEST.json"


class ChecksumError(InstallError, ValueError):
    """A model file does not match the sha256 recorded in ``models/MANIFEST.json``."""


def models_dir() -> Path:
    """Where the shipped models are: ``RHETORICA_MODELS``, the installed package data, or the source tree."""
    override = os.environ.get("RHETORICA_MODELS")
    if override:
        return Path(override)
    try:
        from rhetorica import models as rhetorica_models  # models/ installed as package data

        return Path(rhetorica_models.__file__).parent
    except ImportError:
        return Path(__file__).resolve().parents[2] / "models"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(root: Path) -> dict[str, str]:
    path = root / MANIFEST
    if not path.exists():
        return {}
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
        if not isinstance(files, dict):
            raise TypeError("'files' is not an object")
    except (ValueError, KeyError, TypeError) as exc:
        raise ChecksumError(f"The model manifest {path} is unreadable ({exc.__class__.__name__}: {exc}): the "
                            "installation is damaged; reinstall rhetorica (or retrain the models).") from None
    return files


def write_manifest(root: Path) -> dict[str, str]:
    """Recompute the sha256 of every model file under ``root`` (training calls this)."""
    files = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in {".json", ".npz", ".safetensors"} and p.name != MANIFEST:
            files[p.relative_to(root).as_posix()] = sha256_file(p)
    (root / MANIFEST).write_text(json.dumps({"algorithm": "sha256", "files": files}, indent=1) + "\n")
    return files


def verify(root: Path, rel: str) -> Path:
    """Return ``root/rel`` after checking its digest against the manifest."""
    path = root / rel
    expected = read_manifest(root).get(rel)
    if expected is None:
        raise ChecksumError(f"Model file {rel!r} is not listed in {root / MANIFEST}; refusing to load it.")
    if not path.is_file():
        raise ChecksumError(f"Model file {path} is missing (listed in {root / MANIFEST}): the installation is "
                            "incomplete; reinstall rhetorica or retrain the model.")
    actual = sha256_file(path)
    if actual != expected:
        raise ChecksumError(
            f"Model file {path} has sha256 {actual}, but {MANIFEST} records {expected}: "
            "the file was modified or corrupted; reinstall rhetorica or retrain the model."
        )
    return path


@dataclass
class Head:
    """Standardise, then dense layers (ReLU between), then softmax or sigmoid."""

    labels: list[str]
    multi_label: bool
    mean: np.ndarray
    scale: np.ndarray
    layers: list[tuple[np.ndarray, np.ndarray]]
    thresholds: dict[str, float] = field(default_factory=dict)

    def logits(self, X: np.ndarray) -> np.ndarray:
        h = (np.asarray(X, dtype=np.float32) - self.mean) / self.scale
        for k, (W, b) in enumerate(self.layers):
            h = h @ W + b
            if k < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return h

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        z = self.logits(X).astype(np.float64)
        if self.multi_label:
            return 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic function, without exp overflow
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def save(self, folder: Path, meta: dict[str, Any]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {"mean": self.mean.astype(np.float32), "scale": self.scale.astype(np.float32)}
        for k, (W, b) in enumerate(self.layers):
            arrays[f"W{k}"] = W.astype(np.float32)
            arrays[f"b{k}"] = b.astype(np.float32)
        np.savez_compressed(folder / "weights.npz", **arrays)
        config = {**meta, "labels": list(self.labels), "multi_label": self.multi_label,
                  "layers": len(self.layers), "thresholds": self.thresholds}
        (folder / "model.json").write_text(json.dumps(config, indent=1, sort_keys=False) + "\n")


@dataclass
class SequenceHead:
    """A token tagger's sequence head (a bidirectional GRU, run by
    :class:`~rhetorica.classifiers.token_head.TokenGRU`): its labels and its named weight arrays."""

    labels: list[str]
    multi_label: bool
    arrays: dict[str, np.ndarray]
    thresholds: dict[str, float] = field(default_factory=dict)
    architecture: str = "bigru"

    def save(self, folder: Path, meta: dict[str, Any]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(folder / "weights.npz", **{k: np.asarray(v, np.float32) for k, v in self.arrays.items()})
        config = {**meta, "architecture": self.architecture, "labels": list(self.labels),
                  "multi_label": self.multi_label, "thresholds": self.thresholds}
        (folder / "model.json").write_text(json.dumps(config, indent=1, sort_keys=False) + "\n")


@lru_cache(maxsize=None)
def load_head(name: str, root: str | None = None) -> tuple[Head | SequenceHead, dict[str, Any]]:
    """Load ``models/<name>`` (verified against the manifest); returns the head and its config."""
    base = Path(root) if root else models_dir()
    if not (base / name / "model.json").exists():
        raise FileNotFoundError(f"No shipped model named {name!r} under {base}.")
    config = json.loads(verify(base, f"{name}/model.json").read_text())
    with np.load(verify(base, f"{name}/weights.npz"), allow_pickle=False) as z:
        if config.get("architecture") == "bigru":
            return SequenceHead(labels=list(config["labels"]), multi_label=bool(config["multi_label"]),
                                arrays={k: z[k] for k in z.files},
                                thresholds=dict(config.get("thresholds") or {})), config
        layers = [(z[f"W{k}"], z[f"b{k}"]) for k in range(config["layers"])]
        head = Head(labels=list(config["labels"]), multi_label=bool(config["multi_label"]),
                    mean=z["mean"], scale=z["scale"], layers=layers,
                    thresholds=dict(config.get("thresholds") or {}))
    return head, config


def fit_linear_head(X: np.ndarray, y: np.ndarray, labels: Sequence[str], *, C: float = 1.0,
                    multi_label: bool = False, class_weight: str | None = "balanced",
                    seed: int = 0) -> Head:
    """Fit a (multinomial or one-vs-rest) logistic regression head with scikit-learn.

    ``y`` holds label indices (single-label) or a 0/1 matrix (multi-label).
    """
    from sklearn.linear_model import LogisticRegression

    mean = X.mean(axis=0)
    scale = X.std(axis=0) + 1e-6
    Z = (X - mean) / scale
    if multi_label:
        W = np.zeros((X.shape[1], len(labels)), dtype=np.float64)
        b = np.zeros(len(labels))
        for j in range(len(labels)):
            col = y[:, j]
            if col.min() == col.max():  # a label never (or always) present: constant logit
                b[j] = 10.0 if col.max() else -10.0
                continue
            clf = LogisticRegression(C=C, max_iter=2000, class_weight=class_weight, random_state=seed)
            clf.fit(Z, col)
            W[:, j] = clf.coef_[0]
            b[j] = clf.intercept_[0]
    else:
        clf = LogisticRegression(C=C, max_iter=3000, class_weight=class_weight, random_state=seed)
        clf.fit(Z, y)
        present = list(clf.classes_)
        W = np.zeros((X.shape[1], len(labels)))
        b = np.full(len(labels), -30.0)
        if len(present) == 2 and clf.coef_.shape[0] == 1:
            W[:, present[1]] = clf.coef_[0] / 2
            W[:, present[0]] = -clf.coef_[0] / 2
            b[present[1]] = clf.intercept_[0] / 2
            b[present[0]] = -clf.intercept_[0] / 2
        else:
            for row, cls in enumerate(present):
                W[:, cls] = clf.coef_[row]
                b[cls] = clf.intercept_[row]
    return Head(labels=list(labels), multi_label=multi_label, mean=mean.astype(np.float32),
                scale=scale.astype(np.float32), layers=[(W.astype(np.float32), b.astype(np.float32))])
