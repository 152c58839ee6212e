"""Speed of ``load_classifier(name).predict_proba`` on raw paragraphs, the call path a user scoring texts takes.

    python benchmarks/classifier_speed.py                       # persuasion and frames, 1,000 paragraphs
    python benchmarks/classifier_speed.py persuasion --n 300 --encoder fp32

The paragraphs are those of the bundled Wikinews example corpus (``examples/wikinews/``; blank-line separated, at
least 40 characters), in corpus order.  Each head is loaded and warmed on 5 paragraphs first; the timed call scores
all ``--n`` paragraphs at once, in a fresh process per head so the encoder's sentence cache starts empty.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "examples" / "wikinews" / "wikinews_2019_2020.jsonl"


def paragraphs(n: int) -> list[str]:
    out = []
    with open(CORPUS, encoding="utf-8") as fh:
        for line in fh:
            out += [p.strip() for p in json.loads(line)["text"].split("\n\n") if len(p.strip()) >= 40]
            if len(out) >= n:
                break
    return out[:n]


def child(name: str, n: int, encoder: str) -> dict:
    import os

    os.environ["RHETORICA_ENCODER"] = encoder
    from rhetorica.classifiers import load_classifier

    texts = paragraphs(n + 5)
    clf = load_classifier(name)
    clf.predict_proba(texts[:5])
    t0 = time.perf_counter()
    clf.predict_proba(texts[5:])
    dt = time.perf_counter() - t0
    return {"head": name, "encoder": encoder, "paragraphs": n, "seconds": round(dt, 2),
            "paragraphs_per_s": round(n / dt, 1), "features": clf.features}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", default=["persuasion", "frames"])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--encoder", default="int8")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.names[0], args.n, args.encoder)))
        return
    print("| head | features | encoder | paragraphs | seconds | paragraphs/s |\n|---|---|---|---:|---:|---:|")
    for name in args.names:
        out = subprocess.run([sys.executable, __file__, name, "--n", str(args.n), "--encoder", args.encoder,
                              "--child"], capture_output=True, text=True, check=True, cwd=ROOT)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {r['head']} | {'+'.join(r['features'])} | {r['encoder']} | {r['paragraphs']} | {r['seconds']} | "
              f"{r['paragraphs_per_s']} |", flush=True)


if __name__ == "__main__":
    main()
