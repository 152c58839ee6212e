"""Does a sentence's int8 vector depend on the sentences run beside it? And how close is it to fp32?

    python benchmarks/int8_batching.py [--n 150]            # the first 150 AllSides articles' sentences

Dynamic int8 quantisation (ONNX Runtime's ``DynamicQuantizeLinear``) scales each layer's input by the range of the
whole input tensor. Run as one padded batch, a sentence's vector would therefore depend on which sentences share its
batch: the same corpus scored in another order, another batch size, or half from the cache, would give other
scores. The int8 encoder runs one sentence per call for that reason (``OnnxInt8Encoder._run_each``). This script
measures, on unlabelled AllSides sentences (nothing here is labelled; nothing is chosen on it):

* **batched**: every sentence in padded batches of 64 (longest first, as the encoder cuts them), one call per
  batch, the way the int8 encoder ran before;
* **batched, shuffled**: the same sentences in random batches of 64;
* **one per run**: what the int8 encoder does now (each run on one thread, as many runs at once as the encoder
  has threads);

and reports the cosine of each to the fp32 vector, the cosine between the two batchings, and the time of each.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np


def _sentences(n_articles: int) -> list[str]:
    import pandas as pd

    from rhetorica.pipeline import Doc

    data = Path(os.environ.get("RHETORICA_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    texts = pd.read_parquet(data / "corpora" / "allsides" / "articles.parquet")["text"].tolist()[:n_articles]
    out: list[str] = []
    for t in texts:
        d = Doc(t)
        out += [d.sentence_text(i) for i in range(len(d.sentences))]
    return list(dict.fromkeys(s for s in out if s.strip()))


def _batched(enc, session, texts: list[str], order: np.ndarray) -> tuple[np.ndarray, float]:
    """One model call per batch of 64 padded rows, on ONNX Runtime's default threads (the int8 encoder's earlier
    behaviour)."""
    out = np.zeros((len(texts), 384), dtype=np.float32)
    t0 = time.perf_counter()
    for c in range(0, len(order), 64):
        idx = order[c:c + 64]
        feed = enc._tokenize([texts[j] for j in idx])
        hidden = session.run(None, feed)[0]
        mask = feed["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(1) / np.clip(mask.sum(1), 1e-9, None)
        out[idx] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    return out, time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=150, help="AllSides articles whose sentences are encoded")
    args = ap.parse_args(argv)
    from rhetorica.classifiers.encoder import Encoder, OnnxInt8Encoder

    texts = _sentences(args.n)
    fp32 = Encoder(cache_size=0).encode(texts)
    import onnxruntime as ort

    enc = OnnxInt8Encoder(cache_size=0)
    enc.encode(["Load the model once."])
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(enc.onnx_file), opts, providers=["CPUExecutionProvider"])
    by_length = np.array(sorted(range(len(texts)), key=lambda j: len(texts[j]), reverse=True))
    shuffled = np.random.default_rng(0).permutation(len(texts))
    rows = {}
    rows["batched (64, longest first)"] = _batched(enc, session, texts, by_length)
    rows["batched (64, shuffled)"] = _batched(enc, session, texts, shuffled)
    t0 = time.perf_counter()
    one = np.zeros_like(fp32)
    for c in range(0, len(by_length), 64):  # the encoder's own path: tokenised 64 at a time, run one by one
        idx = by_length[c:c + 64]
        one[idx] = enc._forward([texts[j] for j in idx])
    rows[f"one sentence per run, {enc.threads} at a time (now)"] = (one, time.perf_counter() - t0)

    def cos(a, b):
        return (a * b).sum(axis=1)

    print(f"{len(texts):,} distinct sentences of the first {args.n} AllSides articles\n")
    print("| int8 run | cosine to fp32, mean | 1st percentile | min | seconds | sentences/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (vec, sec) in rows.items():
        c = cos(vec, fp32)
        print(f"| {name} | {c.mean():.4f} | {np.percentile(c, 1):.4f} | {c.min():.4f} | {sec:.1f} | "
              f"{len(texts) / sec:.0f} |")
    a, b = rows["batched (64, longest first)"][0], rows["batched (64, shuffled)"][0]
    c = cos(a, b)
    print(f"\nThe same sentences in two batchings: cosine mean {c.mean():.4f}, 1st percentile "
          f"{np.percentile(c, 1):.4f}, min {c.min():.4f}; identical vectors: {int((a == b).all(axis=1).sum())} "
          f"of {len(texts):,}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
