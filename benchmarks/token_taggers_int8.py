"""Do the token taggers give the same spans on the int8 encoder's word-piece states as on fp32?

Usage::

    python benchmarks/token_taggers_int8.py [--n 300] [--corpus bbc|allsides]

Runs the ``attribution`` and ``techniques`` detectors (with the rules they need) over the first ``--n`` articles of
an unlabelled corpus (BBC news, ``$RHETORICA_DATA/corpora/bbc_news_2225.jsonl``, or the AllSides articles of 122
outlets, ``corpora/allsides/articles.parquet``) with the fp32 and the int8 encoder,
and reports, per span label, how many spans each finds and how many fp32 spans int8 reproduces exactly (same
offsets) or overlaps.  Unlabelled text: this measures agreement, not accuracy, and looks at no held-out split.
Needs ``pip install 'rhetorica[fast]'`` for int8.
"""
from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path


def spans(texts, encoder: str):
    from rhetorica import Analyzer

    an = Analyzer(detectors=["boilerplate", "quote", "attribution", "techniques"], encoder=encoder)
    out = []
    for a in an.pipe(texts):
        out.append([(s.label, s.start, s.end) for s in a.spans
                    if s.attrs.get("by") == "tagger" or "technique" in s.attrs and s.label != "quote"])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--corpus", choices=("bbc", "allsides"), default="bbc")
    args = ap.parse_args(argv)
    data = Path(os.environ.get("RHETORICA_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    if args.corpus == "bbc":
        rows = [json.loads(line) for line in (data / "corpora" / "bbc_news_2225.jsonl").open(encoding="utf-8")]
        texts = [r["text"] for r in rows][:args.n]
    else:
        import pandas as pd

        texts = pd.read_parquet(data / "corpora" / "allsides" / "articles.parquet")["text"].tolist()[:args.n]
    a, b = spans(texts, "fp32"), spans(texts, "int8")
    n32, n8, same, touch = Counter(), Counter(), Counter(), Counter()
    for x, y in zip(a, b):
        ys = set(y)
        for lab, s, e in x:
            n32[lab] += 1
            same[lab] += (lab, s, e) in ys
            touch[lab] += any(l2 == lab and min(e, e2) > max(s, s2) for l2, s2, e2 in y)
        for lab, _, _ in y:
            n8[lab] += 1
    print(f"{len(texts)} {args.corpus} articles; spans of the token taggers, fp32 vs int8\n")
    print("| label | fp32 spans | int8 spans | int8 identical | int8 overlapping |")
    print("|---|---:|---:|---:|---:|")
    for lab in sorted(set(n32) | set(n8)):
        k = max(1, n32[lab])
        print(f"| {lab} | {n32[lab]} | {n8[lab]} | {same[lab] / k:.1%} | {touch[lab] / k:.1%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
