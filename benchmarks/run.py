"""Speed of rhetorica against its physical floor (the encoder) and against what a user would otherwise write.

    python benchmarks/run.py                         # all 2,225 BBC articles, fp32 and int8, both baselines
    python benchmarks/run.py --n 200                 # a quick run while developing
    python benchmarks/run.py --encoders int8 --no-baselines --out /tmp/speed.md

One command measures, on the BBC corpus ($RHETORICA_DATA/corpora/bbc_news_2225.jsonl, never shipped):

* **bare encoder**: the encoder's forward pass alone (tokeniser, model, mean pooling, L2 norm; sorted by
  length, batches of 64, no cache, no de-duplication) over exactly the sentences the analyzer sends to the
  encoder, call by call, each call right after the analyzer's own (and its time taken out of the full
  run's), so that other load on the machine falls on both sides of the ratio alike;
* **full**: ``rhetorica.score_frame`` with every detector over the same articles (warm process: the
  encoder and every head loaded before timing), articles/s and sentences/s, the time per stage, the
  sentence-cache hits, and the peak RSS of that process;
* **ratio** full / bare sentences per second (the target is >= 0.85: everything that is not the encoder
  costs < 15 %);
* **time to first result**: a fresh ``python`` process that imports rhetorica, loads the models and
  analyses one article (int8 also with an empty export cache, i.e. including the one-time ONNX export);
* **baselines**: a ``transformers.pipeline("text-classification")`` loop, one call per sentence, over the
  sentences of the first ``--baseline-n`` articles, with a sequence-classification model of the same size
  built from the same all-MiniLM-L6-v2 folder (its classification head is untrained: only its speed is
  meaningful, and it gives ONE label where rhetorica gives every detector); and VADER
  (``vaderSentiment``) per article over all ``--n`` articles.

Each measurement runs in its own child process (so that peak RSS and load times do not mix); the parent
prints markdown tables (and writes them to ``--out``).  Numbers depend on the machine and on what else
runs on it: rerun on a quiet machine before quoting them.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: A warm-up text that reaches every lazy import (a question, an analogy, a quote, loaded words).
WARM_UP = ('"This is a disgraceful, reckless plan," the minister said on Tuesday. Is this a new Cold War? '
           "Critics compared the crackdown to the Nazi propaganda of the 1930s.\n\n"
           "The committee will meet again next week to discuss the budget.")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus_path() -> Path:
    data = Path(os.environ.get("RHETORICA_DATA", ROOT.parent / "shared" / "data"))
    path = data / "corpora" / "bbc_news_2225.jsonl"
    if not path.exists():
        raise SystemExit(f"BBC corpus not found at {path}: set RHETORICA_DATA to the data folder.")
    return path


def load_texts(n: int) -> list[str]:
    with open(corpus_path(), encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh][:n]


def content_sentences(texts: list[str]) -> list[str]:
    """The sentences the Analyzer encodes: every non-boilerplate sentence (rules only, no model)."""
    from rhetorica.classifiers.feats_frames import content_sentences as cs

    return [s for t in texts for s in cs(t)]


# -- child processes ---------------------------------------------------------------------------------
def step_full(args) -> dict:
    """score_frame over the corpus, then the bare encoder over exactly the sentences it encoded."""
    import pandas as pd

    import rhetorica
    from rhetorica.classifiers.encoder import MAX_CHARS

    texts = load_texts(args.n)
    rss_start = peak_rss_mb()
    an = rhetorica.Analyzer(encoder=args.encoder, batch_size=args.batch_size)
    an(WARM_UP)
    enc = an.encoder
    enc.cache.clear()  # the warm-up's sentences must not count as hits
    calls: list[list[str]] = []
    bare = {"wall": 0.0, "cpu": 0.0}
    real = enc.encode

    def measured(batch, **kw):
        """The analyzer's encoder call, then the floor on the same sentences: no cache, no de-duplication.

        Interleaved call by call, so that load from other processes on a shared machine falls on both
        sides of the ratio alike; the floor's time is taken out of the full run's afterwards."""
        out = real(batch, **kw)
        measured_floor(batch)
        return out

    real_tokens = enc.encode_with_tokens

    def measured_tokens(batch, **kw):
        """The same for the pass that also returns word-piece states (when the attribution tagger runs)."""
        out = real_tokens(batch, **kw)
        measured_floor(batch)
        return out

    def measured_floor(batch):
        calls.append(list(batch))
        w0, c0 = time.perf_counter(), time.process_time()
        todo = sorted((s[:MAX_CHARS] for s in batch if s.strip()), key=len, reverse=True)
        for j in range(0, len(todo), enc.batch_size):
            enc._forward(todo[j:j + enc.batch_size])
        bare["wall"] += time.perf_counter() - w0
        bare["cpu"] += time.process_time() - c0

    enc.encode = measured
    enc.encode_with_tokens = measured_tokens
    warm = dict(an.timings)
    w0, c0 = time.perf_counter(), time.process_time()
    scores = rhetorica.score_frame(pd.DataFrame({"text": texts}), "text", analyzer=an, progress=False)
    full_s = time.perf_counter() - w0 - bare["wall"]
    full_cpu = time.process_time() - c0 - bare["cpu"]
    assert len(scores) == len(texts)
    rss_full = peak_rss_mb()  # the floor's passes allocate no more than the analyzer's own
    stages = {k: v - warm.get(k, 0.0) for k, v in an.timings.items()}
    stages["encode"] -= bare["wall"]
    info = enc.cache_info()
    n_sent = sum(len(c) for c in calls)
    n_unique = len({s[:MAX_CHARS] for c in calls for s in c})
    return {"encoder": args.encoder, "articles": len(texts), "sentences": n_sent, "unique_sentences": n_unique,
            "full_s": full_s, "bare_s": bare["wall"], "full_cpu_s": full_cpu, "bare_cpu_s": bare["cpu"],
            "stages": stages, "cache": info,
            "peak_rss_mb": rss_full, "rss_start_mb": rss_start, "threads": _threads()}


def _threads() -> str:
    """Threads of the encoder's runtime (torch is not even imported on the int8 path)."""
    if "torch" in sys.modules:
        return f"torch {sys.modules['torch'].get_num_threads()} threads"
    from rhetorica.classifiers.encoder import get_encoder

    return (f"onnxruntime, {get_encoder('int8').threads} sentences at a time, one thread each "
            f"({os.cpu_count()} logical cores)")


def step_first(args) -> dict:
    """Import, load and analyse one article in this fresh process."""
    t0 = time.perf_counter()
    import rhetorica

    t_import = time.perf_counter() - t0
    text = load_texts(1)[0]
    a = rhetorica.analyze(text, encoder=args.encoder)
    total = time.perf_counter() - t0
    return {"import_s": t_import, "first_s": total, "spans": len(a.spans), "peak_rss_mb": peak_rss_mb()}


def step_pipeline(args) -> dict:
    """What a user would write: one transformers text-classification pipeline call per sentence."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline
    from transformers.utils import logging as hf_logging

    from rhetorica.classifiers.encoder import model_path

    hf_logging.set_verbosity_error()
    sents = content_sentences(load_texts(args.baseline_n))
    t0 = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(str(model_path()))
    model = AutoModelForSequenceClassification.from_pretrained(str(model_path()), num_labels=2)  # untrained head
    clf = pipeline("text-classification", model=model, tokenizer=tok, device=-1)
    load_s = time.perf_counter() - t0
    clf("Warm up.")
    t0 = time.perf_counter()
    for s in sents:
        clf(s, truncation=True, max_length=256)
    loop_s = time.perf_counter() - t0
    return {"articles": args.baseline_n, "sentences": len(sents), "load_s": load_s, "loop_s": loop_s,
            "torch_threads": torch.get_num_threads(), "peak_rss_mb": peak_rss_mb()}


def step_vader(args) -> dict:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = load_texts(args.n)
    vader = SentimentIntensityAnalyzer()
    t0 = time.perf_counter()
    for t in texts:
        vader.polarity_scores(t)
    return {"articles": len(texts), "seconds": time.perf_counter() - t0, "peak_rss_mb": peak_rss_mb()}


STEPS = {"full": step_full, "first": step_first, "pipeline": step_pipeline, "vader": step_vader}


def child(kind: str, args, encoder: str = "fp32", env: dict | None = None) -> dict:
    cmd = [sys.executable, __file__, "--step", kind, "--encoder", encoder, "--n", str(args.n),
           "--baseline-n", str(args.baseline_n), "--batch-size", str(args.batch_size)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step {kind} ({encoder}) failed:\n{proc.stderr[-4000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = wall
    print(f"  {kind} {encoder}: done in {wall:.0f} s", file=sys.stderr, flush=True)
    return out


# -- report ------------------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", load average %.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
    return f"{cpu}, {os.cpu_count()} cores{load}, Python {platform.python_version()}"


def report(res: dict, args) -> str:
    cmd = " ".join(["python benchmarks/run.py", *sys.argv[1:]])
    L = [f"Machine: {machine()} (load measured when the run ended); command: `{cmd}`.", ""]
    full = res.get("full", {})
    if full:
        L += ["| encoder | articles | sentences encoded | bare encoder sent/s | full score_frame art/s | "
              "full sent/s | ratio full/bare | ratio, CPU seconds | peak RSS MB | first result s (import s) |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for e, r in full.items():
            bare = r["sentences"] / r["bare_s"]
            fs = r["sentences"] / r["full_s"]
            first = res.get("first", {}).get(e)
            ft = f"{first['wall_s']:.1f} ({first['import_s']:.1f})" if first else "–"
            L.append(f"| {e} | {r['articles']:,} | {r['sentences']:,} | {bare:.0f} | {r['articles'] / r['full_s']:.2f} | "
                     f"{fs:.0f} | **{fs / bare:.2f}** | {r['bare_cpu_s'] / r['full_cpu_s']:.2f} | {r['peak_rss_mb']:.0f} | {ft} |")
        if "fp32" in full and "int8" in full:
            a, b = full["fp32"], full["int8"]
            L += ["", f"int8 vs fp32: bare encoder {a['bare_s'] / b['bare_s']:.2f}x, full analysis "
                      f"{a['full_s'] / b['full_s']:.2f}x faster."]
        if "int8_export" in res:
            x = res["int8_export"]
            L += [f"int8 first use with an empty export cache (ONNX export + quantisation included): "
                  f"{x['wall_s']:.1f} s."]
        for e, r in full.items():
            L += ["", f"Stages, {e} ({r['full_s']:.1f} s in all; sentence cache: {r['cache']['hits']:,} hits, "
                      f"{r['cache']['misses']:,} misses; {r['unique_sentences']:,} distinct sentences; "
                      f"{r['threads']}):", "", "| stage | seconds | share |", "|---|---:|---:|"]
            for k, v in sorted(r["stages"].items(), key=lambda kv: -kv[1]):
                L.append(f"| {k} | {v:.2f} | {v / r['full_s']:.1%} |")
            other = r["full_s"] - sum(r["stages"].values())
            L.append(f"| score_frame outside the Analyzer (DataFrame, scores) | {other:.2f} | {other / r['full_s']:.1%} |")
    if "pipeline" in res or "vader" in res:
        L += ["", "| comparison | articles | sentences | seconds | art/s | sent/s | rhetorica fp32 / it | "
                  "rhetorica int8 / it |", "|---|---:|---:|---:|---:|---:|---:|---:|"]

        def ratios(rate_art):
            out = []
            for e in ("fp32", "int8"):
                r = full.get(e)
                out.append(f"{r['articles'] / r['full_s'] / rate_art:.2f}x" if r else "–")
            return out

        if "pipeline" in res:
            p = res["pipeline"]
            art_s = p["articles"] / p["loop_s"]
            L.append(f"| transformers pipeline, one call per sentence, same encoder size (ONE untrained label) | "
                     f"{p['articles']} | {p['sentences']:,} | {p['loop_s']:.1f} | {art_s:.2f} | "
                     f"{p['sentences'] / p['loop_s']:.0f} | " + " | ".join(ratios(art_s)) + " |")
        if "vader" in res:
            v = res["vader"]
            art_s = v["articles"] / v["seconds"]
            L.append(f"| VADER polarity_scores per article (a lexicon, no model) | {v['articles']:,} | – | "
                     f"{v['seconds']:.1f} | {art_s:.1f} | – | " + " | ".join(ratios(art_s)) + " |")
    return "\n".join(L) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2225, help="BBC articles to score (default: all 2,225)")
    ap.add_argument("--encoders", default="fp32,int8")
    ap.add_argument("--batch-size", type=int, default=16, help="texts per Analyzer batch (score_frame's default)")
    ap.add_argument("--baseline-n", type=int, default=100, help="articles for the per-sentence pipeline loop")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--no-first", action="store_true", help="skip the time-to-first-result processes")
    ap.add_argument("--out", help="also write the tables to this file")
    ap.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    ap.add_argument("--encoder", default="fp32", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        print(json.dumps(STEPS[args.step](args)))
        return
    corpus_path()
    encoders = [e for e in args.encoders.split(",") if e]
    res: dict = {"full": {}, "first": {}}
    if "int8" in encoders:
        from rhetorica.classifiers.encoder import export_int8

        export_int8()  # made once before timing; the empty-cache run below times a first-ever use
    for e in encoders:
        if not args.no_first:
            res["first"][e] = child("first", args, e)
            if e == "int8":
                with tempfile.TemporaryDirectory() as tmp:
                    res["int8_export"] = child("first", args, e, env={"RHETORICA_CACHE": tmp})
        res["full"][e] = child("full", args, e)
    if not args.no_baselines:
        res["pipeline"] = child("pipeline", args)
        res["vader"] = child("vader", args)
    text = report(res, args)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        Path(args.out).with_suffix(".json").write_text(json.dumps(res, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
