"""``python -m rhetorica.training NAME [--data DIR] [--seed N] [--out DIR]``: rebuild one shipped model.

Where the model is written: ``--out DIR`` (the shipped models are copied there first, so that DIR is a complete
models folder: use it with ``RHETORICA_MODELS=DIR``); without it, the source tree's ``models/`` in a development
checkout.  Training never writes into an installed package: from an installed rhetorica without ``--out`` it
stops and says so.
"""
from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
from pathlib import Path

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
    "attribution": "quote_tagger",
    "technique": "technique_tagger",
}


def _installed_roots() -> list[Path]:
    import sysconfig

    roots = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    roots |= {p for p in sys.path if p.endswith(("site-packages", "dist-packages"))}
    return [Path(p).resolve() for p in roots if p]


def is_installed_path(path: Path) -> bool:
    """Is ``path`` inside an installed-packages folder (site-packages, dist-packages)?"""
    path = Path(path).resolve()
    return any(path == r or r in path.parents for r in _installed_roots()) or \
        any(part in ("site-packages", "dist-packages") for part in path.parts)


def output_root(out: str | None) -> Path:
    """The models folder training writes to (see the module docstring); refuses an installed package."""
    from ..classifiers.heads import MANIFEST, models_dir

    shipped = models_dir()
    dest = Path(out) if out else shipped
    if is_installed_path(dest):
        raise SystemExit(f"rhetorica train: refusing to write into the installed package ({dest}). Pass --out DIR: "
                         f"the shipped models are copied there and the retrained one replaces its copy; then use "
                         f"it with RHETORICA_MODELS=DIR.")
    if out and not (dest / MANIFEST).exists():
        shutil.copytree(shipped, dest, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.pyc"))
    return dest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rhetorica.training", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name", choices=sorted(TRAINERS) + ["all"])
    ap.add_argument("--data", help="training data folder (default: $RHETORICA_DATA or ../shared/data)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", help="write the models here (default: models/ of a development checkout)")
    args = ap.parse_args(argv)
    if args.data:
        os.environ["RHETORICA_DATA"] = args.data
    # every trainer reads and writes models_dir(), which honours RHETORICA_MODELS
    os.environ["RHETORICA_MODELS"] = str(output_root(args.out))
    # persuasion reads the technique tagger's output, so it is trained after it
    names = sorted(TRAINERS, key=lambda n: (n == "persuasion", n)) if args.name == "all" else [args.name]
    for name in names:
        mod = importlib.import_module(f"rhetorica.training.{TRAINERS[name]}")
        mod.main(seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
