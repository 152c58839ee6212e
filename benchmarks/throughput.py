"""Throughput and memory of rhetorica on real news, per stage.

    python benchmarks/throughput.py                 # 300 BBC articles, all detectors
    python benchmarks/throughput.py --n 2225 --detectors boilerplate,quote
    python benchmarks/throughput.py --long-mb 5     # one 5 MB text through the rule detectors (linear time check)

Reads the unlabelled BBC corpus from $RHETORICA_DATA/corpora/bbc_news_2225.jsonl (never shipped), or the
bundled Wikinews sample with --wikinews. Prints a markdown table (benchmarks/README.md has the results). For
the speed against the encoder floor, int8, and the baselines, use benchmarks/run.py.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_texts(args) -> list[str]:
    if args.wikinews:
        path = ROOT / "examples" / "wikinews" / "wikinews_2019_2020.jsonl"
    else:
        data = Path(os.environ.get("RHETORICA_DATA", ROOT.parent / "shared" / "data"))
        path = data / "corpora" / "bbc_news_2225.jsonl"
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [r["text"] for r in rows][: args.n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--detectors", default=None)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--wikinews", action="store_true")
    ap.add_argument("--long-mb", type=float, default=0)
    ap.add_argument("--encoder", choices=["fp32", "int8"], default=None)
    args = ap.parse_args()
    import torch

    from rhetorica.pipeline import Analyzer

    dets = args.detectors.split(",") if args.detectors else None
    an = Analyzer(detectors=dets, batch_size=args.batch_size, encoder=args.encoder)
    if args.long_mb:
        para = ('The minister said the plan "would work." Would it? Critics doubt it, according to the report. '
                'Some compared it to the Cold War.\n\n')
        text = para * int(args.long_mb * 1e6 / len(para))
        for frac in (0.25, 0.5, 1.0):
            part = text[: int(len(text) * frac)]
            t0 = time.perf_counter()
            a = an(part)
            dt = time.perf_counter() - t0
            print(f"| {len(part) / 1e6:.2f} MB | {len(a.sentences):,} sentences | {len(a.spans):,} spans | {dt:.2f} s |")
        print(f"peak RSS {peak_rss_mb():.0f} MB")
        return
    texts = load_texts(args)
    rss0 = peak_rss_mb()
    an("Warm up: load the encoder and every head once. Is it loaded?")
    warm = dict(an.timings)
    t0 = time.perf_counter()
    n_sent = 0
    for a in an.pipe(texts):
        n_sent += len(a.sentences)
    dt = time.perf_counter() - t0
    stages = {k: v - warm.get(k, 0.0) for k, v in an.timings.items()}
    chars = sum(map(len, texts))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch threads "
          f"{torch.get_num_threads()}, python {platform.python_version()}")
    print(f"detectors: {', '.join(d.name for d in an.detectors)}\n")
    print("| texts | chars | sentences | seconds | texts/s | sentences/s | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(texts)} | {chars:,} | {n_sent:,} | {dt:.1f} | {len(texts) / dt:.2f} | {n_sent / dt:.0f} | "
          f"{peak_rss_mb():.0f} (start {rss0:.0f}) |")
    print("\n| stage | seconds | share |")
    print("|---|---:|---:|")
    for k, v in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"| {k} | {v:.2f} | {v / dt:.0%} |")


if __name__ == "__main__":
    main()
