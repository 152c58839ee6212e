"""Score a corpus file of any size in bounded memory, resumably, on one or several processes.

This is what ``rhetorica score`` runs::

    input file --(chunks of --chunk-size rows)--> score chunk k --> <output>.partial/scores-k.parquet (+ spans-k)
               ... every chunk done --> merge the parts, in input order --> <output> (one atomic rename)

* Memory: only the chunks in flight are held (one per worker process, plus one being read), so the peak does not
  grow with the corpus.
* Nothing half-written looks finished: a part is written under a temporary name and renamed when complete; the
  output appears only when every chunk is done, by a rename.  A killed run leaves ``<output>.partial/`` (a
  ``manifest.json`` and the finished parts) and no output.
* ``resume=True`` reuses the finished parts of an unfinished run, after checking that the input file (path,
  size, modification time) and every option that changes the output are the same; otherwise it refuses,
  saying what changed.
* ``jobs=N`` scores chunks in N worker processes, each loading the models once, with
  ``cores // N`` torch threads each.
"""
from __future__ import annotations

import gzip
import bz2
import io
import json
import lzma
import os
import shutil
import sys
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterator, Sequence

#: Rows per chunk by default.  500 BBC-length articles are about 1 MB of text and about a minute of full analysis
#: on two cores (benchmarks/README.md: 6 to 8.5 articles/s), so a crash loses at most about a minute of work and a
#: chunk's scores and spans stay far below 100 MB in memory.
CHUNK_SIZE = 500
#: Chunks handed to the worker processes ahead of the ones they are scoring, per worker (bounds memory with --jobs).
PREFETCH_PER_JOB = 2
#: Bumped when the layout of ``<output>.partial/`` changes, so that a newer rhetorica never resumes an older layout.
MANIFEST_VERSION = 1
PARTIAL_SUFFIX = ".partial"

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet",
           ".pq": "parquet"}
_COMPRESSION = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}


class StreamError(ValueError):
    """The run cannot start or continue (bad file, unknown format, a partial run in the way, ...)."""


# -- formats -------------------------------------------------------------------------------------------------
def file_format(path: str | os.PathLike, what: str) -> str:
    """``"csv"``, ``"jsonl"``, ``"json"`` or ``"parquet"``, from the file name (a compression suffix is skipped)."""
    suffixes = Path(path).suffixes
    ext = suffixes[-1].lower() if suffixes else ""
    if ext in _COMPRESSION and len(suffixes) > 1:
        ext = suffixes[-2].lower()
    if ext not in FORMATS:
        raise StreamError(f"cannot tell the {what} format of {str(path)!r}: use a .csv, .jsonl or .parquet "
                          f"file name.")
    return FORMATS[ext]


def _compression(path: str | os.PathLike) -> str | None:
    suffixes = Path(path).suffixes
    return _COMPRESSION.get(suffixes[-1].lower()) if len(suffixes) > 1 else None


def _open_text(path: str | os.PathLike, mode: str, compression: str | None = None, encoding: str = "utf-8",
               errors: str = "strict") -> IO[str]:
    """A text handle on ``path``; ``compression`` defaults to what the file name says."""
    comp = compression if compression is not None else _compression(path)
    if comp == "gzip":
        return gzip.open(path, mode + "t", encoding=encoding, errors=errors)
    if comp == "bz2":
        return bz2.open(path, mode + "t", encoding=encoding, errors=errors)
    if comp == "xz":
        return lzma.open(path, mode + "t", encoding=encoding, errors=errors)
    if comp == "zstd":
        try:
            import zstandard
        except ImportError as exc:
            raise StreamError(f"{str(path)!r} is zstd-compressed: install the 'zstandard' package.") from exc
        raw = open(path, mode + "b")
        stream = (zstandard.ZstdDecompressor().stream_reader(raw, closefd=True) if mode == "r"
                  else zstandard.ZstdCompressor().stream_writer(raw, closefd=True))
        return io.TextIOWrapper(stream, encoding=encoding, errors=errors)
    return open(path, mode, encoding=encoding, errors=errors, newline="" if mode == "w" else None)


def _read_csv(path, encoding: str = "utf-8", errors: str = "strict", **kw):
    """CSV cells are read as text, exactly as written: no type is guessed (so ``007`` stays ``007`` and a
    text ``1984`` or ``TRUE`` stays text, whatever else its chunk holds); only an empty cell is missing."""
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding=encoding,
                       encoding_errors=errors, **kw)


def read_table(path: str | os.PathLike, encoding: str = "utf-8", errors: str = "strict"):
    """The whole file as a DataFrame, read as :func:`iter_chunks` reads it."""
    import pandas as pd

    fmt = file_format(path, "input")
    if fmt == "csv":
        try:
            return _read_csv(path, encoding, errors)
        except UnicodeDecodeError as exc:
            raise _decode_error(path, encoding, exc) from None
    if fmt == "jsonl":
        parts = [df for _, df in _iter_jsonl(path, 1 << 30, lambda k: True, encoding, errors)]
        return parts[0] if len(parts) == 1 else pd.concat(parts)
    if fmt == "json":
        return _read_json_array(path, encoding, errors)
    return pd.read_parquet(path)


def _read_json_array(path, encoding: str, errors: str):
    import pandas as pd

    try:
        with _open_text(path, "r", encoding=encoding, errors=errors) as fh:
            data = json.load(fh)
    except UnicodeDecodeError as exc:
        raise _decode_error(path, encoding, exc) from None
    except ValueError as exc:
        raise StreamError(f"{str(path)!r}: not valid JSON: {exc}") from None
    if not isinstance(data, list):
        raise StreamError(f"{str(path)!r}: a .json input must be an array of objects (one per row), got "
                          f"{type(data).__name__}; for one object per line, name the file .jsonl.")
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise StreamError(f"{str(path)!r}: element {i} of the array is {_json_kind(rec)}, not an object: every "
                              f"row must be an object like {{\"text\": \"...\"}}.")
    return pd.DataFrame.from_records(data) if data else pd.DataFrame()


def _json_kind(value) -> str:
    return {type(None): "null", bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "an array"}.get(type(value), type(value).__name__)


def _decode_error(path, encoding: str, exc: UnicodeDecodeError) -> StreamError:
    """A decoding failure, with the first file line that does not decode and the way out."""
    line = None
    if _compression(path) is None:
        try:
            with open(path, "rb") as fh:
                for n, raw in enumerate(fh, 1):
                    try:
                        raw.decode(encoding)
                    except UnicodeDecodeError:
                        line = n
                        break
        except (OSError, LookupError):
            pass
    where = f" at line {line}" if line else ""
    return StreamError(f"{str(path)!r} is not valid {encoding}{where} ({exc.reason}, byte 0x{exc.object[exc.start]:02x}). "
                       f"Give its encoding with --encoding (e.g. --encoding cp1252 or latin-1), or pass "
                       f"--encoding-errors replace to read undecodable bytes as U+FFFD.")


def iter_chunks(path: str | os.PathLike, chunk_size: int, *, parse: Callable[[int], bool] | None = None,
                encoding: str = "utf-8", errors: str = "strict") -> Iterator[tuple[int, Any]]:
    """Yield ``(k, frame)`` for the k-th chunk of ``chunk_size`` rows, in file order.

    Each frame's index holds the rows' positions in the file (or the Parquet file's stored index).  Values
    come out as the file holds them, whatever the chunk size: CSV cells as text (no type guessing), JSON values
    with their JSON types, Parquet with its stored types.  A JSON array (``.json``) is read whole.
    ``parse(k)`` false means chunk k is not needed: it is skipped as cheaply as the format allows and
    yielded as ``None``.  The file always gives at least one chunk (an empty frame for an empty file).
    ``encoding`` and ``errors`` apply to CSV and JSON input (as in :func:`open`).
    """
    import pandas as pd

    fmt = file_format(path, "input")
    need = parse or (lambda k: True)
    k = -1
    if fmt == "csv":
        try:
            with _read_csv(path, encoding, errors, chunksize=chunk_size) as reader:
                for k, df in enumerate(reader):
                    yield k, df if need(k) else None
        except UnicodeDecodeError as exc:
            raise _decode_error(path, encoding, exc) from None
    elif fmt == "jsonl":
        yield from _iter_jsonl(path, chunk_size, need, encoding, errors)
        return
    elif fmt == "json":
        df = _read_json_array(path, encoding, errors)
        for k, start in enumerate(range(0, max(len(df), 1), chunk_size)):
            yield k, df.iloc[start:start + chunk_size] if need(k) else None
    else:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        start = 0
        for k, batch in enumerate(pf.iter_batches(batch_size=chunk_size)):
            if need(k):
                df = batch.to_pandas()
                if isinstance(df.index, pd.RangeIndex) and df.index.start == 0:
                    df.index = pd.RangeIndex(start, start + len(df))
                yield k, df
            else:
                yield k, None
            start += batch.num_rows
        if k < 0:
            yield 0, pf.schema_arrow.empty_table().to_pandas()


def _iter_jsonl(path, chunk_size: int, need, encoding: str = "utf-8", errors: str = "strict"
                ) -> Iterator[tuple[int, Any]]:
    k, row, records = 0, 0, []
    try:
        with _open_text(path, "r", encoding=encoding, errors=errors) as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                records.append(_jsonl_record(line, lineno, path) if need(k) else None)
                if len(records) == chunk_size:
                    yield k, _jsonl_frame(records, row) if need(k) else None
                    k, row, records = k + 1, row + len(records), []
    except UnicodeDecodeError as exc:
        raise _decode_error(path, encoding, exc) from None
    if records or k == 0:
        yield k, _jsonl_frame(records, row) if need(k) else None


def _jsonl_record(line: str, lineno: int, path) -> dict:
    try:
        rec = json.loads(line)
    except ValueError as exc:
        raise StreamError(f"{str(path)!r}, line {lineno}: invalid JSON: {exc}") from None
    if not isinstance(rec, dict):
        raise StreamError(f"{str(path)!r}, line {lineno}: the record is {_json_kind(rec)}, not an object: every "
                          f"line of a JSON-lines file must be one object like {{\"text\": \"...\"}}.")
    return rec


def _jsonl_frame(records: list[dict], start: int):
    """The records as a frame, values as parsed (a JSON string stays a str: "007" is not 7)."""
    import pandas as pd

    if not records:
        return pd.DataFrame()
    # object columns: an integer column with a missing value stays integers (not 7.0), in every chunk alike
    keys = list(dict.fromkeys(k for r in records for k in r))
    df = pd.DataFrame({k: pd.Series([r.get(k) for r in records], dtype=object) for k in keys})
    df.index = pd.RangeIndex(start, start + len(df))
    return df


# -- the job ----------------------------------------------------------------------------------------------------
#: The fields of :class:`ScoreJob` that change the output, so a resumed run must share them.
RESUME_KEYS = ("text_col", "detectors", "errors", "spans", "keep_text", "chunk_size", "encoder", "encoding",
               "encoding_errors", "csv_safe")


@dataclass
class ScoreJob:
    """What ``rhetorica score`` was asked to do; the fields that change the output are checked on resume."""

    input: str
    output: str
    text_col: str = "text"
    detectors: list[str] | None = None
    errors: str = "coerce"
    spans: str | None = None
    keep_text: bool = False
    chunk_size: int = CHUNK_SIZE
    encoder: str | None = None
    batch_size: int = 16
    encoding: str = "utf-8"
    encoding_errors: str = "strict"
    csv_safe: bool = False

    def options(self) -> dict[str, Any]:
        """The options a resumed run must share with the run it continues (batch size and jobs may differ)."""
        d = asdict(self)
        opts = {k: d[k] for k in RESUME_KEYS}
        opts["spans"] = None if self.spans is None else os.path.abspath(self.spans)
        opts["encoder_env"] = os.environ.get("RHETORICA_ENCODER") or None
        # the precision actually run, so that a run is never finished on another encoder than it began with (the
        # default moved from fp32 to int8; an unfinished run of the old default refuses to resume, saying so)
        from .classifiers.encoder import resolve_encoder
        from .dask import _needs_encoder

        opts["encoder_resolved"] = resolve_encoder(self.encoder, quiet=True) if _needs_encoder(self.detectors) \
            else None  # rules only: no encoder runs
        return opts


@dataclass
class RunResult:
    rows: int
    chunks: int
    reused_chunks: int
    spans: int | None
    score_columns: int
    summary: str | None = None


def partial_dir(output: str | os.PathLike) -> Path:
    """Where an unfinished run of ``output`` keeps its manifest and finished parts."""
    p = Path(output)
    return p.with_name(p.name + PARTIAL_SUFFIX)


def _input_identity(path: str) -> dict[str, Any]:
    st = os.stat(path)
    return {"path": os.path.abspath(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _manifest(job: ScoreJob) -> dict[str, Any]:
    from ._version import __version__

    return {"manifest_version": MANIFEST_VERSION, "rhetorica": __version__, "input": _input_identity(job.input),
            "output": os.path.abspath(job.output), "options": job.options()}


def _write_atomic(path: Path, data: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _check_resumable(old: dict[str, Any], new: dict[str, Any], work: Path) -> None:
    problems = []
    if old.get("manifest_version") != new["manifest_version"]:
        problems.append(f"it was written by another version of rhetorica ({old.get('rhetorica')})")
    for key in ("path", "size", "mtime_ns"):
        if old.get("input", {}).get(key) != new["input"][key]:
            what = {"path": "the input file is a different file",
                    "size": "the input file changed size", "mtime_ns": "the input file was modified"}[key]
            problems.append(f"{what} ({old.get('input', {}).get(key)!r} then, {new['input'][key]!r} now)")
    for key, value in new["options"].items():
        if old.get("options", {}).get(key) != value:
            problems.append(f"option {key} was {old.get('options', {}).get(key)!r}, now {value!r}")
    if problems:
        raise StreamError(f"cannot resume the unfinished run in {str(work)!r}: " + "; ".join(problems)
                          + ". Run the original command again with --resume, or pass --restart to discard "
                          "the finished parts and start over.")


def _prepare(job: ScoreJob, resume: bool, restart: bool, log: Callable[[str], None]) -> tuple[Path, set[int]]:
    work = partial_dir(job.output)
    manifest = _manifest(job)
    mpath = work / "manifest.json"
    if work.exists() and restart:
        shutil.rmtree(work)
    if work.exists():
        if not mpath.exists():  # killed before the manifest was written: nothing finished yet
            shutil.rmtree(work)
        elif not resume:
            done = len(list(work.glob("scores-*.parquet")))
            raise StreamError(f"an unfinished run of {job.output!r} exists ({done} chunk(s) done, in "
                              f"{str(work)!r}). Pass --resume to finish it, or --restart to discard it and "
                              f"start over.")
        else:
            old = json.loads(mpath.read_text(encoding="utf-8"))
            _check_resumable(old, manifest, work)
    elif resume:
        log(f"no unfinished run of {job.output} to resume: starting from the beginning")
    if not work.exists():
        work.mkdir(parents=True)
        _write_atomic(mpath, json.dumps(manifest, indent=1))
    done = set()
    for p in work.glob("scores-*.parquet"):
        try:
            done.add(int(p.stem.split("-")[1]))
        except (IndexError, ValueError):
            continue
    for p in work.glob(".*.tmp"):  # temporary files of a killed writer
        p.unlink(missing_ok=True)
    return work, done


def _part(work: Path, kind: str, k: int) -> Path:
    return work / f"{kind}-{k:06d}.parquet"


# -- scoring one chunk (in this process or in a worker) ------------------------------------------------------------
def score_chunk(an, df, k: int, job: ScoreJob, work: Path) -> tuple[int, int, int | None]:
    """Score chunk ``k`` and write its parts; returns ``(k, rows, spans or None)``."""
    import pandas as pd

    from .scoring import analyze_frame

    if job.text_col not in df.columns:  # a later JSON-lines chunk where no row has the key
        df = df.assign(**{job.text_col: pd.Series([None] * len(df), index=df.index, dtype="object")})
    scores, spans = analyze_frame(df, job.text_col, errors=job.errors, progress=False, analyzer=an,
                                  spans=job.spans is not None)
    keep = _writable(df[[c for c in df.columns if c != job.text_col or job.keep_text]])
    keep = keep.rename(columns={c: f"{c}_input" for c in keep.columns if c in scores.columns})
    out = pd.concat([keep, scores], axis=1)
    if spans is not None:  # spans first: a scores part on disk means the chunk is complete
        _write_part(spans, _part(work, "spans", k))
    _write_part(out, _part(work, "scores", k))
    return k, len(out), None if spans is None else len(spans)


def _writable(df):
    """``df`` with lone surrogates (from JSON escapes like ``"\\ud800"``) in text cells replaced by U+FFFD, one for
    one: no output format can store them.  Other cells are untouched."""
    from .text.clean import clean_text

    bad = [c for c in df.columns if df[c].dtype == object
           and df[c].map(lambda v: isinstance(v, str) and clean_text(v) is not v).any()]
    if not bad:
        return df
    df = df.copy()
    for c in bad:
        df[c] = df[c].map(lambda v: clean_text(v) if isinstance(v, str) else v)
    return df


def _write_part(df, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pa.Table.from_pandas(df, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        df = df.copy()
        for c in df.columns:
            try:
                pa.array(df[c], from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                warnings.warn(f"column {c!r} mixes value types (e.g. numbers and text); it is written as text.",
                              stacklevel=2)
                df[c] = df[c].map(lambda v: v if v is None or v != v else str(v)).astype("object")
        table = pa.Table.from_pandas(df, preserve_index=False)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


# -- worker processes ----------------------------------------------------------------------------------------
_worker_state: dict[str, Any] = {}


def _die_with_parent(parent_pid: int) -> None:
    """Make this worker end when the process that started it ends, however it ends (``kill -9`` included).

    On Linux the kernel sends SIGKILL to the worker when its parent dies (``PR_SET_PDEATHSIG``); everywhere, a
    daemon thread also checks once a second that the parent is still the same process, and exits if not.  Without
    this, killing a ``--jobs 2`` run's parent leaves its workers scoring and writing parts nobody will read.
    """
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the line above ran
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="rhetorica-parent-watch", daemon=True).start()


def _worker_init(job: ScoreJob, work: str, torch_threads: int | None, parent_pid: int | None = None) -> None:
    from .dask import worker_analyzer

    if parent_pid is not None:
        _die_with_parent(parent_pid)

    _worker_state["job"] = job
    _worker_state["work"] = Path(work)
    _worker_state["an"] = worker_analyzer(job.detectors, job.batch_size, job.encoder, torch_threads)


def _worker_chunk(k: int, df) -> tuple[int, int, int | None]:
    return score_chunk(_worker_state["an"], df, k, _worker_state["job"], _worker_state["work"])


def torch_threads_per_job(jobs: int) -> int:
    """Cores (this process may use) divided among ``jobs`` worker processes, at least 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores // jobs)


# -- the run -----------------------------------------------------------------------------------------------------
def run(job: ScoreJob, *, resume: bool = False, restart: bool = False, jobs: int = 1, progress: bool = True,
        summary: bool = False, log: Callable[[str], None] | None = None) -> RunResult:
    """Score ``job.input`` into ``job.output`` (and ``job.spans``), streaming; see the module docstring."""
    log = log or (lambda m: print(m, file=sys.stderr))
    if jobs < 1:
        raise StreamError(f"--jobs must be >= 1, got {jobs}.")
    if job.chunk_size < 1:
        raise StreamError(f"--chunk-size must be >= 1, got {job.chunk_size}.")
    if not Path(job.input).exists():
        raise StreamError(f"input file not found: {job.input}")
    file_format(job.input, "input")
    file_format(job.output, "output")  # fail before the work, not after it
    if job.spans:
        file_format(job.spans, "spans output")
    check_paths(job.input, job.output, job.spans)
    _check_encoding(job)
    from .scoring import make_analyzer

    # unknown detector names and bad options fail here, before any file is touched (no model loads yet)
    an = make_analyzer(job.detectors, batch_size=job.batch_size, encoder=job.encoder)
    _check_text_col(job)
    work, done = _prepare(job, resume, restart, log)
    if done:
        log(f"resuming: {len(done)} finished chunk(s) in {work} are kept")
    bar = _bar(job, progress)
    pool = None
    try:
        seen = [0]  # chunks read so far, finished ones included

        def todo():
            """The chunks still to score; finished ones (kept from an earlier run) only move the bar."""
            for k, df in iter_chunks(job.input, job.chunk_size, parse=lambda k: k not in done,
                                     encoding=job.encoding, errors=job.encoding_errors):
                seen[0] = k + 1
                if df is None:
                    _advance(bar, _part_rows(work, k))
                    continue
                _first_chunk_check(k, df, job)
                yield k, df

        if jobs == 1:
            for k, df in todo():
                score_chunk(an, df, k, job, work)
                _advance(bar, len(df))
        else:
            import multiprocessing as mp

            threads = torch_threads_per_job(jobs)
            pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"),
                                       initializer=_worker_init, initargs=(job, str(work), threads, os.getpid()))
            pending: set = set()
            for k, df in todo():
                pending.add(pool.submit(_worker_chunk, k, df))
                del df
                while len(pending) >= jobs * PREFETCH_PER_JOB:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for f in finished:
                        _advance(bar, f.result()[1])
            for f in pending:
                _advance(bar, f.result()[1])
            pool.shutdown()
            pool = None
        if bar is not None:
            bar.close()
            bar = None
        return _finish(job, work, seen[0], len(done), an.score_names if summary else None,
                       last=[*an.score_names, "error"])
    except BaseException as exc:
        if not any(work.glob("scores-*.parquet")):  # nothing finished: leave nothing behind
            shutil.rmtree(work, ignore_errors=True)
        elif isinstance(exc, KeyboardInterrupt):
            log(f"interrupted: the finished chunks are kept in {work}; run the same command with --resume "
                f"to finish.")
        raise
    finally:
        if bar is not None:
            bar.close()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Do two paths name the same file (after resolving links, ``..`` and case-preserving aliases)?"""
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def check_paths(input: str, output: str, spans: str | None) -> None:
    """Refuse any run that would write over its own input, or write two tables to one file.

    The rules: the output (``-o``) and the spans file (``--spans``) must each differ from the input and from
    each other (links and relative paths are resolved first).
    """
    if _same_file(output, input):
        raise StreamError(f"the output file must not be the input file ({output!r}): rhetorica never writes over "
                          "its input. Choose another -o.")
    if spans is not None:
        if _same_file(spans, input):
            raise StreamError(f"the spans file must not be the input file ({spans!r}): rhetorica never writes "
                              "over its input. Choose another --spans.")
        if _same_file(spans, output):
            raise StreamError(f"--spans and -o are the same file ({output!r}): the spans table would replace the "
                              "scores. Give the spans their own file.")


def _check_encoding(job: ScoreJob) -> None:
    import codecs

    try:
        codecs.lookup(job.encoding)
    except LookupError:
        raise StreamError(f"unknown --encoding {job.encoding!r}: use a Python codec name such as utf-8, cp1252 or "
                          f"latin-1.") from None
    if job.encoding_errors not in ("strict", "replace"):
        raise StreamError(f"--encoding-errors must be 'strict' or 'replace', got {job.encoding_errors!r}.")
    if job.csv_safe and file_format(job.output, "output") != "csv" and not (
            job.spans and file_format(job.spans, "spans output") == "csv"):
        raise StreamError("--csv-safe applies to CSV output only; the output is not a .csv file.")


def _check_text_col(job: ScoreJob) -> None:
    fmt = file_format(job.input, "input")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        names = pq.read_schema(job.input).names
    elif fmt == "csv":
        try:
            names = list(_read_csv(job.input, job.encoding, job.encoding_errors, nrows=0).columns)
        except UnicodeDecodeError as exc:
            raise _decode_error(job.input, job.encoding, exc) from None
    else:
        return  # JSON: checked on the first chunk
    if job.text_col not in names:
        raise StreamError(f"no column {job.text_col!r} in {job.input}; columns: {', '.join(map(str, names))}. "
                          f"Choose one with --text-col.")


def _first_chunk_check(k: int, df, job: ScoreJob) -> None:
    if k == 0 and job.text_col not in df.columns:
        raise StreamError(f"no column {job.text_col!r} in {job.input}; columns: "
                          f"{', '.join(map(str, df.columns))}. Choose one with --text-col.")


def _part_rows(work: Path, k: int) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(_part(work, "scores", k)).metadata.num_rows


def _bar(job: ScoreJob, progress: bool):
    if not progress:
        return None
    from tqdm.auto import tqdm

    total = None
    fmt = file_format(job.input, "input")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        total = pq.ParquetFile(job.input).metadata.num_rows
    elif fmt == "jsonl" and _compression(job.input) is None:
        total = _count_lines(job.input)
    return tqdm(total=total, desc="rhetorica", unit="text", smoothing=0.05)


def _count_lines(path: str) -> int:
    """Lines of a JSON-lines file, for the progress bar (a byte scan; blank lines count too)."""
    n, last = 0, b"\n"
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")


def _advance(bar, n: int) -> None:
    if bar is not None:
        bar.update(n)


# -- putting the parts together ---------------------------------------------------------------------------------------
def _finish(job: ScoreJob, work: Path, n_chunks: int, reused: int, summary: list[str] | None,
            last: Sequence[str] = ()) -> RunResult:
    parts = [_part(work, "scores", k) for k in range(n_chunks)]
    missing = [p.name for p in parts if not p.exists()]
    if missing:  # cannot happen unless a file was removed by hand during the run
        raise StreamError(f"parts {missing[:5]} are missing from {work}; run again with --resume.")
    acc = _Summary(summary) if summary is not None else None
    rows, ncols = merge_parts(parts, job.output, on_chunk=acc.add if acc else None, csv_safe=job.csv_safe,
                              last=last)
    nspans = None
    if job.spans:
        span_parts = [_part(work, "spans", k) for k in range(n_chunks)]
        nspans, _ = merge_parts(span_parts, job.spans, csv_safe=job.csv_safe)
    shutil.rmtree(work, ignore_errors=True)
    return RunResult(rows=rows, chunks=n_chunks, reused_chunks=reused, spans=nspans, score_columns=ncols,
                     summary=acc.render() if acc else None)


def unified_schema(schemas: Sequence[Any], last: Sequence[str] = ()):
    """One schema for all parts: columns in order of first appearance, except that the columns named in ``last``
    (the scores) come after all others, so a kept input column that first appears in a later chunk still comes
    before the scores, whatever the chunk size; types promoted (int + float -> float, null + anything ->
    anything); a column whose types cannot be reconciled becomes text."""
    import pyarrow as pa

    names: list[str] = []
    for s in schemas:
        names.extend(n for n in s.names if n not in names)
    tail = set(last)
    names = [n for n in names if n not in tail] + [n for n in last if n in names]
    fields = []
    for name in names:
        types = [s.field(name).type for s in schemas if name in s.names]
        try:
            t = pa.unify_schemas([pa.schema([pa.field(name, ty)]) for ty in types],
                                 promote_options="permissive").field(name).type
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            t = pa.large_string()
        fields.append(pa.field(name, t))
    return pa.schema(fields, metadata=_pandas_metadata(schemas, names))


def _pandas_metadata(schemas, names: list[str]) -> dict[bytes, bytes] | None:
    """The pandas metadata of the parts, with one entry per column of the merged file (for dtypes like Int64)."""
    metas = [json.loads(s.metadata[b"pandas"]) for s in schemas if s.metadata and b"pandas" in s.metadata]
    if not metas:
        return None
    meta = dict(metas[0])
    by_name: dict[str, Any] = {}
    for m in metas:
        for c in m.get("columns", []):
            by_name.setdefault(c.get("name"), c)
    meta["columns"] = [by_name[n] for n in names if n in by_name]
    meta["index_columns"] = []
    return {b"pandas": json.dumps(meta).encode()}


def _conform(table, schema):
    import pyarrow as pa

    cols = []
    for f in schema:
        if f.name in table.column_names:
            col = table.column(f.name)
            if col.type != f.type:
                try:
                    col = col.cast(f.type)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    col = pa.array([None if v is None else str(v) for v in col.to_pylist()], type=f.type)
            cols.append(col)
        else:
            cols.append(pa.nulls(table.num_rows, type=f.type))
    return pa.Table.from_arrays(cols, schema=schema)


#: The first characters that make a spreadsheet read a CSV cell as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(df):
    """A copy of ``df`` whose text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``,
    tab, CR first) start with an apostrophe, which spreadsheets show as text.  Numbers are left as numbers."""
    import pandas as pd

    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c].dtype):
            out[c] = out[c].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return out


def merge_parts(parts: Sequence[Path], dest: str, on_chunk: Callable[[Any], None] | None = None, *,
                csv_safe: bool = False, last: Sequence[str] = ()) -> tuple[int, int]:
    """Concatenate Parquet parts, in order, into ``dest`` (format from its name), one part in memory at a time.

    The file is written under a temporary name next to ``dest`` and renamed at the end.  ``csv_safe`` (CSV only)
    writes text cells through :func:`spreadsheet_safe`.  Returns ``(rows, columns)``.
    """
    import pyarrow.parquet as pq

    fmt = file_format(dest, "output")
    schema = unified_schema([pq.read_schema(p) for p in parts], last)
    dest_p = Path(dest)
    dest_p.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest_p.with_name(f".{dest_p.name}.{os.getpid()}.tmp")
    rows = 0
    try:
        if fmt == "parquet":
            with pq.ParquetWriter(tmp, schema) as w:
                for p in parts:
                    t = _conform(pq.read_table(p), schema)
                    w.write_table(t)
                    rows += t.num_rows
                    if on_chunk:
                        on_chunk(t.to_pandas())
        else:
            with _open_text(tmp, "w", compression=_compression(dest) or "none") as fh:
                if fmt == "json":
                    fh.write("[")
                for i, p in enumerate(parts):
                    df = _conform(pq.read_table(p), schema).to_pandas(integer_object_nulls=True)  # 3 stays 3, not 3.0
                    rows += len(df)
                    if on_chunk:
                        on_chunk(df)
                    if fmt == "csv":
                        (spreadsheet_safe(df) if csv_safe else df).to_csv(fh, header=i == 0, index=False)
                    elif fmt == "jsonl":
                        fh.write(df.to_json(orient="records", lines=True, force_ascii=False) if len(df) else "")
                    else:
                        body = df.to_json(orient="records", force_ascii=False)[1:-1]
                        fh.write(("," if rows > len(df) and body else "") + body)
                if fmt == "json":
                    fh.write("]")
        os.replace(tmp, dest_p)
    finally:
        tmp.unlink(missing_ok=True)
    return rows, len(schema)


class _Summary:
    """The ``--summary`` report, accumulated chunk by chunk (totals and the top 3 texts per headline score)."""

    HEADLINE = ("rhetorical_question_count", "historical_analogy_count", "quoted_share", "media_bias_share",
                "loaded_language_count")

    def __init__(self, score_names: Sequence[str]) -> None:
        self.score_names = set(score_names)
        self.n = 0
        self.totals: dict[str, list[float]] = {}
        self.top: dict[str, list[tuple[float, int, str]]] = {}

    def add(self, df) -> None:
        import numpy as np

        title_col = next((c for c in ("title", "headline", "id") if c in df.columns), None)
        for c in df.columns:
            if c.endswith("_count") and c in self.score_names:
                tot = self.totals.setdefault(c, [0.0, 0])
                tot[0] += float(np.nansum(df[c]))
                tot[1] += int((df[c] > 0).sum())
        for c in self.HEADLINE:
            if c in self.score_names:
                col = df[c].reset_index(drop=True)
                for pos, v in col.sort_values(ascending=False, kind="stable").head(3).items():
                    if v == v:
                        name = str(df[title_col].iloc[pos]) if title_col else str(self.n + pos)
                        self.top.setdefault(c, []).append((float(v), self.n + pos, name))
        self.n += len(df)

    def render(self) -> str:
        lines = [f"{self.n} texts scored."]
        if self.totals:
            lines.append("\nTotals over the corpus:")
            for c, (tot, n_pos) in self.totals.items():
                lines.append(f"  {c:<40} {int(tot):>7}  (in {n_pos} texts)")
        for c in self.HEADLINE:
            if self.top.get(c):
                best = sorted(self.top[c], key=lambda t: (-t[0], t[1]))[:3]
                lines.append(f"\nHighest {c}:")
                lines.extend(f"  {v:>8.3g}  {name[:80]}" for v, _, name in best)
        return "\n".join(lines)
