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


class CLIError(Exception):
    pass


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _detectors(arg: str | None) -> list[str] | None:
    """Comma-separated names; the word ``permissive`` stands for every permissively licensed detector."""
    if not arg:
        return None
    names: list[str] = []
    for d in (d.strip() for d in arg.split(",")):
        if d == "permissive":
            from .licences import permissive_detectors

            names.extend(n for n in permissive_detectors() if n not in names)
        elif d and d not in names:
            names.append(d)
    return names


def cmd_score(args) -> int:
    """Stream the input through the analyzer in chunks; see :mod:`rhetorica.stream`."""
    from .stream import ScoreJob, StreamError, run

    job = ScoreJob(input=args.input, output=args.output, text_col=args.text_col, detectors=_detectors(args.detectors),
                   errors=args.errors, spans=args.spans, keep_text=args.keep_text, chunk_size=args.chunk_size,
                   encoder=args.encoder, batch_size=args.batch_size, encoding=args.encoding,
                   encoding_errors=args.encoding_errors, csv_safe=args.csv_safe)
    try:
        res = run(job, resume=args.resume, restart=args.restart, jobs=args.jobs, progress=not args.no_progress,
                  summary=args.summary)
    except StreamError as exc:
        raise CLIError(str(exc)) from exc
    except KeyboardInterrupt:
        return 130
    reused = f", {res.reused_chunks} of {res.chunks} chunks from the earlier run" if res.reused_chunks else ""
    print(f"scored {res.rows} rows -> {args.output} ({res.score_columns} columns{reused})", file=sys.stderr)
    if res.spans is not None:
        print(f"{res.spans} spans -> {args.spans}", file=sys.stderr)
    if res.summary:
        print(res.summary)
    return 0


def cmd_analyze(args) -> int:
    from . import analyze

    if args.file == "-":
        text = sys.stdin.read()
    else:
        p = Path(args.file)
        if not p.exists():
            raise CLIError(f"file not found: {args.file}")
        text = p.read_text(encoding="utf-8", errors="replace")
    if args.html:  # a bad --features fails before the work, not after it
        from .display import resolve_features

        resolve_features(_detectors(args.features))
    elif args.features:
        raise CLIError("--features applies to the --html page; add --html OUT.html.")
    a = analyze(text, detectors=_detectors(args.detectors))
    if args.html:
        from .display import render

        name = "stdin" if args.file == "-" else Path(args.file).name
        render(a, features=_detectors(args.features), path=args.html, max_chars=None,
               title=f"rhetorica: {name}")
        print(f"{len(a.spans)} spans -> {args.html}", file=sys.stderr)
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
        from .licences import MODEL_TERMS

        print(f"== {name}")
        print(f"  labels:  {', '.join(clf.labels)}")
        if name in MODEL_TERMS:
            print(f"  terms:   {MODEL_TERMS[name][0]}: {MODEL_TERMS[name][1]}")
        for key in ("data", "licence", "intended_use"):
            if key in card:
                print(f"  {key + ':':<9}{_flat(card[key])}")
        metrics = card.get("metrics", {})
        if metrics:
            print("  validation:")
            for k, v in metrics.items():
                print(f"    {k}: {_flat(v)}")
        print()
    from .classifiers import shipped_taggers
    from .classifiers.heads import load_head
    from .licences import DETECTOR_MODELS, MODEL_TERMS

    for name in shipped_taggers():
        _, config = load_head(name)
        card = config.get("card", {})
        readers = [d for d, models in DETECTOR_MODELS.items() if name in models] or [name]
        print(f"== {name} (token tagger, read by the {', '.join(readers)} detector)")
        print(f"  labels:  {', '.join(config.get('labels', []))}")
        if name in MODEL_TERMS:
            print(f"  terms:   {MODEL_TERMS[name][0]}: {MODEL_TERMS[name][1]}")
        for key in ("data", "licence"):
            if key in card:
                print(f"  {key + ':':<9}{_flat(card[key])}")
        if card.get("metrics"):
            print("  validation:")
            for k, v in card["metrics"].items():
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
        from .licences import detector_terms

        needs = f"  requires: {', '.join(cls.requires)}" if cls.requires else ""
        print(f"{name:<22} {kind:<6} {detector_terms(name)[0]:<10} spans: {', '.join(cls.labels)}{needs}")
    print("\nLicence classes: permissive (MIT / Apache-2.0 / CC BY 4.0), copyleft (AGPL / GPL / ODbL data), research "
          "(data with no stated licence). `--detectors permissive` runs only the permissive ones.")
    return 0


def cmd_train(args) -> int:
    """Training is a separate program (``python -m rhetorica.training``), never imported by the runtime."""
    import subprocess

    argv = [args.name, "--seed", str(args.seed)] + (["--data", args.data] if args.data else []) + \
        (["--out", args.out] if args.out else [])
    return subprocess.call([sys.executable, "-m", "rhetorica.training", *argv])


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    from .stream import CHUNK_SIZE

    ap = argparse.ArgumentParser(prog="rhetorica", description="How news argues: rhetoric, framing and voice, "
                                 "with the spans that explain every score.")
    ap.add_argument("--version", action="version", version=f"rhetorica {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    s = sub.add_parser(
        "score", help="score a CSV / JSONL / Parquet file, one output row per input row",
        description="Score every row of a CSV / JSONL / Parquet file (formats from the file names). The input is "
        "read in chunks and the output written in parts, so memory stays flat however large the corpus; the "
        "output appears only when every row is done. A killed run leaves OUTPUT.partial/ behind: the same "
        "command with --resume finishes it without redoing finished chunks.")
    s.add_argument("input")
    s.add_argument("-o", "--output", required=True, help="output file (.csv, .jsonl or .parquet)")
    s.add_argument("--text-col", default="text", help="column holding the text (default: text)")
    s.add_argument("--detectors", help="comma-separated detector names, or 'permissive' for the permissively "
                   "licensed ones (default: all; see `rhetorica detectors`)")
    s.add_argument("--errors", choices=["raise", "coerce"], default="coerce",
                   help="a missing/non-text row: stop, or NaN scores + an 'error' column (default: coerce)")
    s.add_argument("--spans", help="also write the long spans table to this file")
    s.add_argument("--keep-text", action="store_true", help="keep the text column in the output")
    s.add_argument("--encoding", default="utf-8",
                   help="text encoding of a CSV / JSON input (default: utf-8; e.g. cp1252, latin-1)")
    s.add_argument("--encoding-errors", choices=["strict", "replace"], default="strict",
                   help="bytes that do not decode: stop with the line number (strict, default) or read them "
                        "as U+FFFD (replace)")
    s.add_argument("--csv-safe", action="store_true",
                   help="for CSV output opened in a spreadsheet: text cells starting with = + - @ get a leading "
                        "apostrophe so they are shown, never run as formulas")
    s.add_argument("--encoder", choices=["fp32", "int8"], default=None,
                   help="sentence encoder: int8 (default; ONNX Runtime) or fp32 (torch, slower)")
    s.add_argument("--batch-size", type=int, default=16, help="texts per shared encoder pass (default: 16)")
    s.add_argument("--chunk-size", type=_positive, default=CHUNK_SIZE,
                   help=f"rows read, scored and written at a time; the unit of --resume and --jobs "
                        f"(default: {CHUNK_SIZE})")
    s.add_argument("--jobs", "-j", type=_positive, default=1,
                   help="worker processes; each loads the models once and gets cores/N torch threads (default: 1)")
    again = s.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true",
                       help="finish an unfinished run of the same command, keeping its finished chunks")
    again.add_argument("--restart", action="store_true",
                       help="discard an unfinished run of this output and start over")
    s.add_argument("--no-progress", action="store_true", help="never show the progress bar")
    s.add_argument("--summary", action="store_true", help="print what was found when done")
    s.set_defaults(func=cmd_score)

    a = sub.add_parser("analyze", help="print a readable analysis of one text file ('-' for stdin)")
    a.add_argument("file")
    a.add_argument("--detectors")
    a.add_argument("--json", action="store_true", help="print spans and scores as JSON")
    a.add_argument("--width", type=int, default=100)
    a.add_argument("--html", metavar="OUT.html",
                   help="also write the highlighted text and scores as a standalone HTML page")
    a.add_argument("--features", help="comma-separated span labels or detector names to highlight in --html "
                   "(default: all)")
    a.set_defaults(func=cmd_analyze)

    m = sub.add_parser("models", help="list the shipped models with their data, licence and validation metrics")
    m.set_defaults(func=cmd_models)
    d = sub.add_parser("detectors", help="list the detectors")
    d.set_defaults(func=cmd_detectors)
    t = sub.add_parser("train", help="rebuild a shipped model from the training data")
    t.add_argument("name")
    t.add_argument("--data", help="training data folder (default: $RHETORICA_DATA or ../shared/data)")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--out", help="write the retrained models here (the shipped ones are copied first; use them "
                   "with RHETORICA_MODELS=DIR); required when rhetorica is installed rather than a source checkout")
    t.set_defaults(func=cmd_train)
    return ap


def main(argv: list[str] | None = None) -> int:
    from .errors import InstallError, RunError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `rhetorica models | head`: the reader left; not an error
        sys.stderr.close()
        return 0
    except (InstallError, RunError) as exc:
        # not about one row: the installation or the run is broken (see the exit-code rule in the README)
        print(f"rhetorica: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    except (CLIError, KeyError, TypeError, ValueError, FileNotFoundError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        print(f"rhetorica: error: {msg}", file=sys.stderr)
        return 2
    except (ImportError, OSError) as exc:
        # not about one row: the installation or the run is broken (see the exit-code rule in the README)
        print(f"rhetorica: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
