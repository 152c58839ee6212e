"""Peak memory of `rhetorica score` as the corpus grows, and scaling over worker processes and Dask workers.

    python benchmarks/memory.py                          # everything below; writes benchmarks/RESULTS_stream.md
    python benchmarks/memory.py --only memory --sizes 20000,100000 --full-sizes 20000
    python benchmarks/memory.py --only jobs,dask --n 300

* memory: the BBC corpus ($RHETORICA_DATA/corpora/bbc_news_2225.jsonl, never shipped) repeated to N articles
  (ids made unique) in a temporary folder, scored by ``rhetorica score in.jsonl -o out.parquet`` in a child
  process; a sampler reads the RSS of that process and of its children every 0.1 s.  Sizes in ``--full-sizes``
  run every detector, the others the rule detectors only (``--rule-detectors``).  A repeated corpus repeats its
  sentences, so after the first 2,225 articles every sentence vector comes from the encoder's sentence cache:
  the articles/s of a full run on a repeated corpus is NOT the speed on new text (benchmarks/README.md has that).
* jobs: the first ``--n`` BBC articles, all detectors, ``--jobs 1`` vs ``--jobs 2``, chunks of 25 rows (wall time includes starting
  the processes and loading the models, as a user sees it).
* dask: the same articles as a Dask DataFrame (8 partitions) on a ``distributed.LocalCluster`` of 1 and 2 worker
  processes (one thread each), after each worker has loaded its models (timed separately).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
#: The detectors that need no model: what the sizes outside --full-sizes run.
RULES = "boilerplate,quote"
#: The generated tables go between these lines of the results file; the notes around them are kept.
START, END = "<!-- measured: start -->", "<!-- measured: end -->"
#: Seconds between RSS samples of the scoring process tree.
SAMPLE_EVERY = 0.1


def bbc_path() -> Path:
    data = Path(os.environ.get("RHETORICA_DATA", ROOT.parent / "shared" / "data"))
    path = data / "corpora" / "bbc_news_2225.jsonl"
    if not path.exists():
        sys.exit(f"needs the BBC corpus at {path} (set RHETORICA_DATA)")
    return path


def make_corpus(n: int, dest: Path) -> Path:
    """The BBC corpus repeated (ids made unique) to ``n`` articles, as JSON lines."""
    rows = [json.loads(line) for line in bbc_path().open(encoding="utf-8") if line.strip()]
    with dest.open("w", encoding="utf-8") as fh:
        for i in range(n):
            r = dict(rows[i % len(rows)])
            r["id"] = f"{i // len(rows)}/{r['id']}"
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return dest


def run_measured(cmd: list[str]) -> dict[str, float]:
    """Run ``cmd``; its wall time, the CPU seconds of its whole process tree, and the peak RSS (MB) of the main
    process and of the tree.  CPU seconds barely change when other programs share the machine; wall time does."""
    import resource

    import psutil

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)  # every reaped descendant, pool workers included
        return r.ru_utime + r.ru_stime

    cpu0 = cpu()

    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = {"main": 0.0, "tree": 0.0}
    stop = threading.Event()

    def sample() -> None:
        try:
            p = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not stop.is_set():
            try:
                main = p.memory_info().rss
                tree = main + sum(c.memory_info().rss for c in p.children(recursive=True))
            except psutil.Error:
                break
            peak["main"] = max(peak["main"], main / 2**20)
            peak["tree"] = max(peak["tree"], tree / 2**20)
            time.sleep(SAMPLE_EVERY)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    stop.set()
    th.join()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return {"seconds": wall, "cpu_seconds": cpu() - cpu0, "rss_main_mb": peak["main"], "rss_tree_mb": peak["tree"]}


#: Rows per chunk in the --jobs comparison: workers share out chunks, so a corpus of a few hundred articles needs
#: small chunks (at the default of 500 rows, 300 articles are ONE chunk and a second worker has nothing to do).
JOBS_CHUNK_SIZE = 25


def score_cmd(inp: Path, out: Path, detectors: str | None, jobs: int = 1, chunk_size: int | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "rhetorica.cli", "score", str(inp), "-o", str(out), "--no-progress",
           "--jobs", str(jobs)] + (["--chunk-size", str(chunk_size)] if chunk_size else [])
    return cmd + (["--detectors", detectors] if detectors else [])


def bench_memory(sizes: list[int], full_sizes: set[int], rules: str, tmp: Path) -> list[str]:
    lines = ["| articles | detectors | seconds | articles/s | CPU s per 1k articles | peak RSS MB |",
             "|---:|---|---:|---:|---:|---:|"]
    for n in sizes:
        inp = make_corpus(n, tmp / f"bbc_{n}.jsonl")
        dets = None if n in full_sizes else rules
        r = run_measured(score_cmd(inp, tmp / f"scores_{n}.parquet", dets))
        print(f"memory n={n} detectors={dets or 'all'}: {r}", file=sys.stderr)
        lines.append(f"| {n:,} | {dets or 'all'} | {r['seconds']:.0f} | {n / r['seconds']:.0f} | "
                     f"{1000 * r['cpu_seconds'] / n:.0f} | {r['rss_main_mb']:.0f} |")
        inp.unlink()
    return lines


def bench_jobs(n: int, tmp: Path) -> list[str]:
    inp = make_corpus(n, tmp / f"bbc_{n}.jsonl")
    lines = ["| --jobs | seconds (incl. start + model load) | articles/s | speed-up | CPU s, all processes | "
             "peak RSS MB, all processes |", "|---:|---:|---:|---:|---:|---:|"]
    base = None
    for jobs in (1, 2):
        r = run_measured(score_cmd(inp, tmp / f"jobs_{jobs}.parquet", None, jobs, JOBS_CHUNK_SIZE))
        print(f"jobs={jobs}: {r}", file=sys.stderr)
        base = base or r["seconds"]
        lines.append(f"| {jobs} | {r['seconds']:.1f} | {n / r['seconds']:.2f} | {base / r['seconds']:.2f}x | "
                     f"{r['cpu_seconds']:.0f} | {r['rss_tree_mb']:.0f} |")
    return lines


def bench_dask(n: int) -> list[str]:
    import dask.dataframe as dd
    import pandas as pd
    from distributed import Client, LocalCluster

    import rhetorica.dask as rdask

    df = pd.read_json(bbc_path(), lines=True, dtype=False).iloc[:n][["id", "text"]]
    lines = ["| Dask workers (1 thread each) | model load s | scoring s | articles/s | speed-up | "
             "CPU s, workers |", "|---:|---:|---:|---:|---:|---:|"]
    base = None
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None,
                          silence_logs=50) as cluster, Client(cluster) as client:
            t0 = time.perf_counter()  # load the models on every worker: one tiny partition per worker
            warm = dd.from_pandas(df.iloc[: 2 * workers], npartitions=workers)
            rdask.score_frame(warm, errors="coerce").compute()
            load = time.perf_counter() - t0
            ddf = dd.from_pandas(df, npartitions=8)
            cpu0 = sum(client.run(_cpu_seconds).values())
            t0 = time.perf_counter()
            out = rdask.score_frame(ddf, errors="coerce").compute()
            secs = time.perf_counter() - t0
            cpu = sum(client.run(_cpu_seconds).values()) - cpu0
            assert len(out) == n
        print(f"dask workers={workers}: load {load:.1f}s, score {secs:.1f}s", file=sys.stderr)
        base = base or secs
        lines.append(f"| {workers} | {load:.1f} | {secs:.1f} | {n / secs:.2f} | {base / secs:.2f}x | {cpu:.0f} |")
    return lines


def _cpu_seconds() -> float:
    """CPU seconds of the calling process (run on each Dask worker)."""
    t = os.times()
    return t.user + t.system


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="memory,jobs,dask", help="comma-separated: memory, jobs, dask")
    ap.add_argument("--sizes", default="20000,100000", help="corpus sizes for the memory table")
    ap.add_argument("--full-sizes", default="20000", help="sizes that run every detector (others: rules)")
    ap.add_argument("--rule-detectors", default=RULES)
    ap.add_argument("--n", type=int, default=300, help="articles for the --jobs and Dask scaling")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS_stream.md"))
    args = ap.parse_args()
    parts = set(args.only.split(","))
    import torch

    command = shlex.join(["python", "benchmarks/memory.py", *sys.argv[1:]])
    head = [f"Measured {time.strftime('%Y-%m-%d')} with `{command}`",
            f"on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"torch {torch.__version__} (CPU).", ""]
    body: list[str] = []
    with tempfile.TemporaryDirectory(prefix="rhetorica-bench-") as tmp:
        if "memory" in parts:
            sizes = [int(s) for s in args.sizes.split(",") if s]
            full = {int(s) for s in args.full_sizes.split(",") if s}
            body += ["## Peak memory as the corpus grows (`rhetorica score`, streaming)", ""]
            body += bench_memory(sizes, full, args.rule_detectors, Path(tmp)) + [""]
        if "jobs" in parts:
            body += [f"## `--jobs`: {args.n} BBC articles, all detectors, chunks of {JOBS_CHUNK_SIZE} rows", ""] + bench_jobs(args.n, Path(tmp)) + [""]
    if "dask" in parts:
        body += [f"## Dask LocalCluster: {args.n} BBC articles, all detectors, 8 partitions", ""]
        body += bench_dask(args.n) + [""]
    text = "\n".join(head + body)
    print(text)
    out = Path(args.out)
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if START in old and END in old:  # keep the notes around the measured block
        text = old[: old.index(START) + len(START)] + "\n" + text + "\n" + old[old.index(END):]
    else:
        text = f"{START}\n{text}\n{END}"
    out.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
