"""``python -m rhetorica.training NAME [--data DIR] [--seed N]``: rebuild one shipped model."""
from __future__ import annotations

import argparse
import importlib
import os
import sys

#: model name -> training module (each has ``main(seed: int) -> dict``)
TRAINERS = {
    "rhetorical_question": "questions",
    "historical_analogy": "history",
    "media_bias": "bias",
    "subjectivity": "subjectivity",
    "hedging": "hedging",
    "propaganda_technique": "propaganda",
    "loaded_language": "propaganda_spans",
    "frames": "frames",
    "persuasion": "persuasion",
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rhetorica.training", description=__doc__)
    ap.add_argument("name", choices=sorted(TRAINERS) + ["all"])
    ap.add_argument("--data", help="training data folder (default: $RHETORICA_DATA or ../shared/data)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.data:
        os.environ["RHETORICA_DATA"] = args.data
    names = sorted(TRAINERS) if args.name == "all" else [args.name]
    for name in names:
        mod = importlib.import_module(f"rhetorica.training.{TRAINERS[name]}")
        mod.main(seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
