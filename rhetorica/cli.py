"""The ``rhetorica`` command line.

    rhetorica score articles.jsonl -o scores.parquet --text-col text   # batch scores, CSV / JSONL / Parquet
    rhetorica analyze article.txt                                       # readable summary of one text
    rhetorica models                                                    # shipped models: data, licence, metrics
    rhetorica detectors                                                 # detector names
    rhetorica train NAME                                                # rebuild a shipped model from the data
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet",
           ".pq": "parquet"}


class CLIError(Exception):
    pass


def _format(path: str, what: str) -> str:
    suffixes = Path(path).suffixes
    ext = suffixes[-1].lower() if suffixes else ""
    if ext in (".gz", ".bz2", ".xz", ".zst") and len(suffixes) > 1:
        ext = suffixes[-2].lower()
    if ext not in FORMATS:
        raise CLIError(f"cannot tell the {what} format of {path!r}: use a .csv, .jsonl or .parquet file name.")
    return FORMATS[ext]


def read_table(path: str):
    import pandas as pd

    if not Path(path).exists():
        raise CLIError(f"input file not found: {path}")
    fmt = _format(path, "input")
    if fmt == "csv":
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    if fmt == "jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    if fmt == "json":
        return pd.read_json(path, dtype=False)
    return pd.read_parquet(path)


def write_table(df, path: str) -> None:
    fmt = _format(path, "output")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        df.to_csv(path, index=False)
    elif fmt in ("jsonl", "json"):
        df.to_json(path, orient="records", lines=fmt == "jsonl", force_ascii=False)
    else:
        df.to_parquet(path, index=False)


def _detectors(arg: str | None) -> list[str] | None:
    return [d.strip() for d in arg.split(",") if d.strip()] if arg else None


def cmd_score(args) -> int:
    import pandas as pd

    from .scoring import analyze_frame

    _format(args.output, "output")  # fail before the work, not after it
    if args.spans:
        _format(args.spans, "spans output")
    df = read_table(args.input)
    if args.text_col not in df.columns:
        raise CLIError(f"no column {args.text_col!r} in {args.input}; columns: {', '.join(map(str, df.columns))}. "
                       f"Choose one with --text-col.")
    progress = False if args.no_progress else True
    scores, spans = analyze_frame(df, args.text_col, detectors=_detectors(args.detectors), errors=args.errors,
                                  batch_size=args.batch_size, progress=progress, spans=bool(args.spans))
    keep = df[[c for c in df.columns if c != args.text_col or args.keep_text]]
    keep = keep.rename(columns={c: f"{c}_input" for c in keep.columns if c in scores.columns})
    out = pd.concat([keep, scores], axis=1)
    write_table(out, args.output)
    print(f"scored {len(out)} rows -> {args.output} ({len(scores.columns)} score columns)", file=sys.stderr)
    if spans is not None:
        write_table(spans, args.spans)
        print(f"{len(spans)} spans -> {args.spans}", file=sys.stderr)
    if args.summary:
        print(summarize(scores, df))
    return 0


def summarize(scores, df) -> str:
    """What the batch found: totals per count column and the texts scoring highest on the headline scores."""
    import numpy as np

    lines = [f"{len(scores)} texts scored."]
    counts = [c for c in scores.columns if c.endswith("_count")]
    if counts:
        lines.append("\nTotals over the corpus:")
        for c in counts:
            col = scores[c]
            lines.append(f"  {c:<40} {int(np.nansum(col)):>7}  (in {int((col > 0).sum())} texts)")
    title_col = next((c for c in ("title", "headline", "id") if c in df.columns), None)
    for c in ("rhetorical_question_count", "historical_analogy_count", "quoted_share", "media_bias_share",
              "loaded_language_count"):
        if c in scores.columns and scores[c].notna().any():
            top = scores[c].sort_values(ascending=False, kind="stable").head(3)
            lines.append(f"\nHighest {c}:")
            for idx, v in top.items():
                name = str(df.loc[idx, title_col]) if title_col else str(idx)
                lines.append(f"  {v:>8.3g}  {name[:80]}")
    return "\n".join(lines)


def cmd_analyze(args) -> int:
    from . import analyze

    if args.file == "-":
        text = sys.stdin.read()
    else:
        p = Path(args.file)
        if not p.exists():
            raise CLIError(f"file not found: {args.file}")
        text = p.read_text(encoding="utf-8", errors="replace")
    a = analyze(text, detectors=_detectors(args.detectors))
    if args.json:
        print(json.dumps({"scores": dict(a.scores), "spans": [s.to_dict() | {"text": a.text[s.start:s.end]}
                                                               for s in a.spans]}, ensure_ascii=False, indent=1,
                         default=str))
    else:
        print(a.summary(width=args.width))
    return 0


def cmd_models(args) -> int:
    from .classifiers import available_classifiers, load_classifier

    names = available_classifiers()
    if not names:
        print("no models installed")
        return 1
    for name in names:
        clf = load_classifier(name)
        card = getattr(clf, "card", {}) or {}
        print(f"== {name}")
        print(f"  labels:  {', '.join(clf.labels)}")
        for key in ("data", "licence", "intended_use"):
            if key in card:
                print(f"  {key + ':':<9}{_flat(card[key])}")
        metrics = card.get("metrics", {})
        if metrics:
            print("  validation:")
            for k, v in metrics.items():
                print(f"    {k}: {_flat(v)}")
        print()
    return 0


def _flat(v) -> str:
    if isinstance(v, dict):
        return "; ".join(f"{k}={_flat(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return ", ".join(_flat(x) for x in v)
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def cmd_detectors(args) -> int:
    from .detectors import available_detectors, get_detector

    for name in available_detectors():
        cls = get_detector(name)
        kind = "model" if cls.needs_encoder else "rules"
        print(f"{name:<22} {kind:<6} spans: {', '.join(cls.labels)}")
    return 0


def cmd_train(args) -> int:
    from .training.__main__ import main as train_main

    argv = [args.name, "--seed", str(args.seed)] + (["--data", args.data] if args.data else [])
    return train_main(argv)


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    ap = argparse.ArgumentParser(prog="rhetorica", description="How news argues: rhetoric, framing and voice, "
                                 "with the spans that explain every score.")
    ap.add_argument("--version", action="version", version=f"rhetorica {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    s = sub.add_parser("score", help="score a CSV / JSONL / Parquet file, one output row per input row")
    s.add_argument("input")
    s.add_argument("-o", "--output", required=True, help="output file (.csv, .jsonl or .parquet)")
    s.add_argument("--text-col", default="text", help="column holding the text (default: text)")
    s.add_argument("--detectors", help="comma-separated detector names (default: all; see `rhetorica detectors`)")
    s.add_argument("--errors", choices=["raise", "coerce"], default="coerce",
                   help="a missing/non-text row: stop, or NaN scores + an 'error' column (default: coerce)")
    s.add_argument("--spans", help="also write the long spans table to this file")
    s.add_argument("--keep-text", action="store_true", help="keep the text column in the output")
    s.add_argument("--batch-size", type=int, default=16)
    s.add_argument("--no-progress", action="store_true", help="never show the progress bar")
    s.add_argument("--summary", action="store_true", help="print what was found when done")
    s.set_defaults(func=cmd_score)

    a = sub.add_parser("analyze", help="print a readable analysis of one text file ('-' for stdin)")
    a.add_argument("file")
    a.add_argument("--detectors")
    a.add_argument("--json", action="store_true", help="print spans and scores as JSON")
    a.add_argument("--width", type=int, default=100)
    a.set_defaults(func=cmd_analyze)

    m = sub.add_parser("models", help="list the shipped models with their data, licence and validation metrics")
    m.set_defaults(func=cmd_models)
    d = sub.add_parser("detectors", help="list the detectors")
    d.set_defaults(func=cmd_detectors)
    t = sub.add_parser("train", help="rebuild a shipped model from the training data")
    t.add_argument("name")
    t.add_argument("--data", help="training data folder (default: $RHETORICA_DATA or ../shared/data)")
    t.add_argument("--seed", type=int, default=0)
    t.set_defaults(func=cmd_train)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `rhetorica models | head`: the reader left; not an error
        sys.stderr.close()
        return 0
    except (CLIError, KeyError, TypeError, ValueError, FileNotFoundError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        print(f"rhetorica: error: {msg}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
