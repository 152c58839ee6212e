"""Sentence segmenters on news text: rhetorica's own rules against blingfire, syntok, pysbd and nupunkt.

Usage::

    python benchmarks/segmenters.py                    # accuracy, speed, hostile input; markdown to stdout
    python benchmarks/segmenters.py --json out.json    # the same, plus every figure as JSON
    python benchmarks/segmenters.py --errors           # also list every wrong item per segmenter
    python benchmarks/segmenters.py --no-speed         # accuracy only (a few seconds)

Gold: ``benchmarks/data/segmentation_gold.jsonl`` (one item a line: id, kind, text, sentences; every gold
sentence is an exact substring of the text, in order, with only whitespace between them).  Results and the
gold set's description: ``benchmarks/RESULTS_segmenters.md``.

What is measured
----------------
* **Newline is a hard boundary for every segmenter.**  Each text is split into lines, each line is segmented
  on its own and the offsets are shifted back into the text.  Gold does the same (a line break always ends a
  sentence), so line-break boundaries are free for every system; the ``in-line`` columns leave them out and
  score only the boundaries a segmenter has to find inside a line.
* **Offsets.**  rhetorica: ``Sentence.start/.end``; blingfire: ``text_to_sentences_and_offsets``; syntok: the
  first token's ``offset`` to the last token's ``offset + len(value)``; pysbd: ``char_span=True``
  (``clean=False``); nupunkt: ``sent_tokenize`` gives strings only, so each (whitespace-stripped) sentence is
  searched in the line from the end of the previous one.  Every span is stripped of outer whitespace.  A span
  whose text is not the sentence string the library returned (pysbd, blingfire, syntok), or a nupunkt string
  not found in the text, is an *offset fault* and is counted.
* **Boundary P / R / F1**: a boundary is the end offset of a non-final sentence (after stripping); predicted
  and gold end-offset sets are compared per item and the counts summed over items (micro average).  95%
  intervals: percentile bootstrap over items (1,000 resamples, seed 0); the difference of each library's F1
  from rhetorica's is bootstrapped paired (same resampled items for both).
* **Exact items**: share of items whose predicted spans equal the gold spans exactly.  **Exact sentences**:
  share of gold sentences reproduced exactly (same start and end).
* **Speed**: the gold texts repeated to about 2 MB (UTF-8), each text one call through the per-line wrapper
  with the offset mapping included, best of 3 wall-clock runs.  sentences/s counts *gold* sentences (the same
  number for every segmenter).
* **Hostile input**: one line of ``"?" * n`` and ``"." * n`` for n = 20,000 and 40,000, and of ``"a?" * (n/2)``
  for n = 10,000 and 20,000 characters (best of 3; one try when a run takes over a second).  The ratio
  t(2n) / t(n) is about 2 for linear time and about 4 for quadratic; a ratio of 3 or more is flagged.
"""
from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import re
import sys
import time
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOLD = ROOT / "benchmarks" / "data" / "segmentation_gold.jsonl"

Span = tuple[int, int]
_LINE_RE = re.compile(r"[^\n]+")


# ------------------------------------------------------------------------------------------------ segmenters
# Each takes one line (no newline in it) and returns (spans, offset_faults); spans are (start, end) in the line.

def _rhetorica() -> Callable[[str], tuple[list[Span], int]]:
    from rhetorica.text.segment import sentences

    def seg(line: str) -> tuple[list[Span], int]:
        return [(s.start, s.end) for s in sentences(line)], 0
    return seg


def _blingfire() -> Callable[[str], tuple[list[Span], int]]:
    import blingfire

    def seg(line: str) -> tuple[list[Span], int]:
        out, offsets = blingfire.text_to_sentences_and_offsets(line)
        strings = out.split("\n") if out else []
        faults = 0 if len(strings) == len(offsets) else abs(len(strings) - len(offsets))
        for (a, b), s in zip(offsets, strings):
            if line[a:b].strip() != s.strip():
                faults += 1
        return [(a, b) for a, b in offsets], faults
    return seg


def _syntok() -> Callable[[str], tuple[list[Span], int]]:
    import syntok.segmenter as segmenter

    def seg(line: str) -> tuple[list[Span], int]:
        spans, faults = [], 0
        for para in segmenter.process(line):
            for sent in para:
                if not sent:
                    continue
                # syntok normalises some token values ("n't" -> "not"); only the first and last token fix the span
                for tok in (sent[0], sent[-1]):
                    if line[tok.offset:tok.offset + len(tok.value)] != tok.value:
                        faults += 1
                        break
                spans.append((sent[0].offset, sent[-1].offset + len(sent[-1].value)))
        return spans, faults
    return seg


def _pysbd() -> Callable[[str], tuple[list[Span], int]]:
    import pysbd
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def seg(line: str) -> tuple[list[Span], int]:
        spans, faults = [], 0
        for ts in segmenter.segment(line):
            if line[ts.start:ts.end] != ts.sent:
                faults += 1
            spans.append((ts.start, ts.end))
        return spans, faults
    return seg


def _nupunkt() -> Callable[[str], tuple[list[Span], int]]:
    import nupunkt
    nupunkt.sent_tokenize("Warm up. The model loads on first use.")

    def seg(line: str) -> tuple[list[Span], int]:
        spans, faults, pos = [], 0, 0
        for s in nupunkt.sent_tokenize(line):
            s = s.strip()
            if not s:
                continue
            k = line.find(s, pos)
            if k < 0:
                faults += 1
                continue
            spans.append((k, k + len(s)))
            pos = k + len(s)
        return spans, faults
    return seg


FACTORIES = {"rhetorica": _rhetorica, "blingfire": _blingfire, "syntok": _syntok, "pysbd": _pysbd,
             "nupunkt": _nupunkt}
PACKAGES = {"blingfire": "blingfire", "syntok": "syntok", "pysbd": "pysbd", "nupunkt": "nupunkt"}


def by_lines(seg: Callable[[str], tuple[list[Span], int]], text: str) -> tuple[list[Span], int]:
    """Segment each line separately (newline = hard boundary); offsets into ``text``, stripped of whitespace."""
    out: list[Span] = []
    faults = 0
    for m in _LINE_RE.finditer(text):
        line = m.group(0)
        if not line.strip():
            continue
        spans, f = seg(line)
        faults += f
        base = m.start()
        for a, b in spans:
            a, b = max(a, 0), min(b, len(line))
            while a < b and line[a].isspace():
                a += 1
            while b > a and line[b - 1].isspace():
                b -= 1
            if b > a:
                out.append((base + a, base + b))
    out.sort()
    return out, faults


# ------------------------------------------------------------------------------------------------ gold & scoring

def load_gold(path: Path = GOLD) -> list[dict]:
    items = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            it = json.loads(line)
            spans, pos = [], 0
            for s in it["sentences"]:
                k = it["text"].find(s, pos)
                if k < 0 or it["text"][pos:k].strip():
                    raise ValueError(f"{it['id']}: gold sentence not found in order: {s[:60]!r}")
                spans.append((k, k + len(s)))
                pos = k + len(s)
            if it["text"][pos:].strip():
                raise ValueError(f"{it['id']}: text after the last gold sentence")
            it["spans"] = spans
            items.append(it)
    return items


def boundaries(spans: list[Span]) -> set[int]:
    return {e for _, e in spans[:-1]}


def inline(bounds: set[int], text: str) -> set[int]:
    """The boundaries whose gap to the next sentence holds no line break (or, at the end, none at all)."""
    out = set()
    for e in bounds:
        nxt = text.find("\n", e)
        j = e  # the gap runs to the next non-space character
        while j < len(text) and text[j].isspace():
            j += 1
        if nxt == -1 or nxt >= j:
            out.add(e)
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_item(it: dict, pred: list[Span]) -> dict:
    t, gold = it["text"], it["spans"]
    gb, pb = boundaries(gold), boundaries(pred)
    gi, pi = inline(gb, t), inline(pb, t)
    return {
        "tp": len(gb & pb), "fp": len(pb - gb), "fn": len(gb - pb),
        "tp_in": len(gi & pi), "fp_in": len(pi - gi), "fn_in": len(gi - pi),
        "exact": pred == gold, "sent_exact": len(set(pred) & set(gold)), "n_gold": len(gold),
    }


def aggregate(rows: list[dict]) -> dict:
    s = defaultdict(int)
    for r in rows:
        for k in ("tp", "fp", "fn", "tp_in", "fp_in", "fn_in", "sent_exact", "n_gold"):
            s[k] += r[k]
        s["exact"] += int(r["exact"])
    p, r_, f = prf(s["tp"], s["fp"], s["fn"])
    pi, ri, fi = prf(s["tp_in"], s["fp_in"], s["fn_in"])
    return {"precision": p, "recall": r_, "f1": f, "precision_inline": pi, "recall_inline": ri, "f1_inline": fi,
            "tp": s["tp"], "fp": s["fp"], "fn": s["fn"], "gold_inline": s["tp_in"] + s["fn_in"],
            "exact_items": s["exact"] / len(rows), "exact_sentences": s["sent_exact"] / s["n_gold"],
            "items": len(rows)}


def bootstrap(per_item: dict[str, list[dict]], ref: str, n: int = 1000, seed: int = 0) -> dict:
    names = list(per_item)
    m = len(per_item[ref])
    rng = random.Random(seed)
    f1s = {k: [] for k in names}
    diffs = {k: [] for k in names}
    for _ in range(n):
        idx = [rng.randrange(m) for _ in range(m)]
        vals = {}
        for k in names:
            rows = per_item[k]
            tp = sum(rows[i]["tp"] for i in idx)
            fp = sum(rows[i]["fp"] for i in idx)
            fn = sum(rows[i]["fn"] for i in idx)
            vals[k] = prf(tp, fp, fn)[2]
            f1s[k].append(vals[k])
        for k in names:
            diffs[k].append(vals[k] - vals[ref])

    def ci(xs):
        xs = sorted(xs)
        return [xs[int(0.025 * len(xs))], xs[int(0.975 * len(xs)) - 1]]
    return {k: {"f1_ci": ci(f1s[k]), "diff_vs_ref_ci": ci(diffs[k])} for k in names}


def describe_errors(it: dict, pred: list[Span]) -> list[str]:
    t = it["text"]
    gb, pb = boundaries(it["spans"]), boundaries(pred)
    out = []
    for e in sorted(gb - pb):
        out.append(f"missed   …{t[max(0, e - 40):e]}‖{t[e:e + 30]}…".replace("\n", "⏎"))
    for e in sorted(pb - gb):
        out.append(f"spurious …{t[max(0, e - 40):e]}‖{t[e:e + 30]}…".replace("\n", "⏎"))
    if not out:
        out.append("boundaries right, spans differ: " + repr([t[a:b] for a, b in pred]))
    return out


# ------------------------------------------------------------------------------------------------ speed

def speed(seg, items: list[dict], target_mb: float = 2.0, repeats: int = 3) -> dict:
    one = [it["text"] for it in items]
    one_bytes = sum(len(t.encode("utf-8")) for t in one)
    reps = max(1, round(target_mb * 1e6 / one_bytes))
    docs = one * reps
    n_bytes = one_bytes * reps
    n_sent = sum(len(it["sentences"]) for it in items) * reps
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        for d in docs:
            by_lines(seg, d)
        best = min(best, time.perf_counter() - t0)
    return {"seconds": best, "mb": n_bytes / 1e6, "docs": len(docs), "gold_sentences": n_sent,
            "sent_per_s": n_sent / best, "mb_per_s": n_bytes / 1e6 / best}


#: (name, unit repeated, the two lengths in characters).  The brief's two cases, plus "a?a?a?..." (5,000-10,000
#: one-word "sentences"), which a probe while writing this script found to be quadratic in pysbd.
HOSTILE = (("?", "?", 20000, 40000), (".", ".", 20000, 40000), ("a?", "a?", 10000, 20000))


def hostile(seg, repeats: int = 3, give_up_s: float = 15.0) -> dict:
    """Best-of-``repeats`` time (one try when a run takes over a second) for each case; linear if ratio < 3."""
    out = {}
    for name, unit, n1, n2 in HOSTILE:
        times = {}
        for n in (n1, n2):
            text = unit * (n // len(unit))
            best = float("inf")
            for _ in range(repeats):
                t0 = time.perf_counter()
                by_lines(seg, text)
                best = min(best, time.perf_counter() - t0)
                if best > 1.0:
                    break
            times[n] = best
            if best > give_up_s:  # the doubled size could take four times as long: over this script's budget
                break
        ratio = times[n2] / times[n1] if n2 in times and times[n1] > 0 else None
        out[name] = {"sizes": [n1, n2], "seconds": {str(k): v for k, v in times.items()}, "ratio": ratio,
                     "linear": ratio is not None and ratio < 3.0}
    return out


# ------------------------------------------------------------------------------------------------ main

def fmt(x: float) -> str:
    return f"{x:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", metavar="OUT", help="write every figure as JSON to OUT")
    ap.add_argument("--errors", action="store_true", help="list the wrong items of every segmenter")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed and hostile-input runs")
    ap.add_argument("--mb", type=float, default=2.0, help="size of the speed corpus in MB (default 2)")
    ap.add_argument("--gold", default=str(GOLD))
    args = ap.parse_args()

    items = load_gold(Path(args.gold))
    kinds = sorted({it["kind"] for it in items}, key=lambda k: [it["kind"] for it in items].index(k))
    segs = {name: f() for name, f in FACTORIES.items()}
    versions = {"python": platform.python_version()}
    for name, pkg in PACKAGES.items():
        versions[name] = metadata.version(pkg)
    versions["rhetorica"] = metadata.version("rhetorica") if _has_dist("rhetorica") else "working tree"

    per_item: dict[str, list[dict]] = {}
    preds: dict[str, list[list[Span]]] = {}
    faults: dict[str, int] = {}
    for name, seg in segs.items():
        rows, ps, nf = [], [], 0
        for it in items:
            pred, f = by_lines(seg, it["text"])
            nf += f
            ps.append(pred)
            rows.append(score_item(it, pred))
        per_item[name], preds[name], faults[name] = rows, ps, nf

    # rhetorica's own newline handling gives the same spans as the per-line wrapper?
    from rhetorica.text.segment import sentences as rh_sentences
    native_same = sum(
        [(s.start, s.end) for s in rh_sentences(it["text"])] == preds["rhetorica"][i] for i, it in enumerate(items))

    overall = {n: aggregate(r) for n, r in per_item.items()}
    per_kind = {n: {k: aggregate([r for r, it in zip(rows, items) if it["kind"] == k]) for k in kinds}
                for n, rows in per_item.items()}
    boot = bootstrap(per_item, "rhetorica")

    n_sent = sum(len(it["sentences"]) for it in items)
    n_bound = overall["rhetorica"]["tp"] + overall["rhetorica"]["fn"]
    print("# Sentence segmenters on news text\n")
    print(f"Gold: {len(items)} items, {n_sent} sentences, {n_bound} boundaries "
          f"({overall['rhetorica']['gold_inline']} inside a line), {len(kinds)} kinds. "
          "**Newline is a hard boundary for every segmenter**: each line is segmented on its own and the offsets "
          "shifted back, so line-break boundaries are free for all; the *in-line* columns score only the "
          "boundaries inside a line.")
    print(f"rhetorica native (whole text, its own line handling) = per-line wrapper on {native_same}/{len(items)} "
          "items.")
    print("Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + "\n")

    order = sorted(segs, key=lambda n: -overall[n]["f1"])
    result_by_source: dict[str, dict] = {}
    print("## Overall\n")
    print("| segmenter | boundary P | boundary R | boundary F1 [95% CI] | F1 - rhetorica [95% CI] | in-line P | "
          "in-line R | in-line F1 | exact items | exact sentences | offset faults |")
    print("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|")
    for n in order:
        o, b = overall[n], boot[n]
        diff = "—" if n == "rhetorica" else (f"{o['f1'] - overall['rhetorica']['f1']:+.3f} "
                                               f"[{b['diff_vs_ref_ci'][0]:+.3f}, {b['diff_vs_ref_ci'][1]:+.3f}]")
        print(f"| {n} | {fmt(o['precision'])} | {fmt(o['recall'])} | **{fmt(o['f1'])}** "
              f"[{fmt(b['f1_ci'][0])}, {fmt(b['f1_ci'][1])}] | {diff} | {fmt(o['precision_inline'])} | "
              f"{fmt(o['recall_inline'])} | {fmt(o['f1_inline'])} | {o['exact_items']:.1%} | "
              f"{o['exact_sentences']:.1%} | {faults[n]} |")

    print("\n## Boundary F1 per kind (all boundaries; items in brackets)\n")
    print("| kind | " + " | ".join(order) + " |")
    print("|---|" + "---:|" * len(order))
    for k in kinds:
        cnt = per_kind[order[0]][k]["items"]
        print(f"| {k} ({cnt}) | " + " | ".join(fmt(per_kind[n][k]["f1"]) for n in order) + " |")
    print("\n## Boundary F1 by source of the text\n")
    print("| source | items | boundaries | " + " | ".join(order) + " |")
    print("|---|---:|---:|" + "---:|" * len(order))
    for src, keep in (("written for this set", lambda it: not it["id"].startswith("wikinews")),
                      ("Wikinews excerpts", lambda it: it["id"].startswith("wikinews"))):
        sel = [i for i, it in enumerate(items) if keep(it)]
        aggs = {n: aggregate([per_item[n][i] for i in sel]) for n in order}
        result_by_source[src] = aggs
        nb = aggs[order[0]]["tp"] + aggs[order[0]]["fn"]
        print(f"| {src} | {len(sel)} | {nb} | " + " | ".join(fmt(aggs[n]["f1"]) for n in order) + " |")
    print("\n## Exact items per kind\n")
    print("| kind | " + " | ".join(order) + " |")
    print("|---|" + "---:|" * len(order))
    for k in kinds:
        print(f"| {k} | " + " | ".join(f"{per_kind[n][k]['exact_items']:.0%}" for n in order) + " |")

    result = {"versions": versions, "items": len(items), "sentences": n_sent, "boundaries": n_bound,
              "overall": overall, "per_kind": per_kind, "bootstrap": boot, "offset_faults": faults, "by_source": result_by_source,
              "rhetorica_native_equals_wrapper": native_same}

    if not args.no_speed:
        sp, ho = {}, {}
        for n in order:
            sp[n] = speed(segs[n], items, args.mb)
            ho[n] = hostile(segs[n])
        print(f"\n## Speed (gold texts repeated to {sp[order[0]]['mb']:.2f} MB, {sp[order[0]]['docs']} calls, "
              "per-line wrapper and offset mapping included, best of 3)\n")
        print("| segmenter | seconds | gold sentences/s | MB/s |")
        print("|---|---:|---:|---:|")
        for n in sorted(order, key=lambda n: sp[n]["seconds"]):
            print(f"| {n} | {sp[n]['seconds']:.2f} | {sp[n]['sent_per_s']:,.0f} | {sp[n]['mb_per_s']:.2f} |")
        print("\n## Hostile input: one line of repeated punctuation (best of 3, one try when a run takes over 1 s; "
              "linear if t(2n)/t(n) < 3)\n")
        heads = []
        for name, _, n1, n2 in HOSTILE:
            heads += [f"'{name}' x{n1 // 1000}k chars s", f"x{n2 // 1000}k s", "ratio"]
        print("| segmenter | " + " | ".join(heads) + " | linear |")
        print("|---|" + "---:|" * len(heads) + "---|")
        for n in order:
            h, cells = ho[n], []
            for name, _, n1, n2 in HOSTILE:
                s_ = h[name]["seconds"]
                cells += [f"{s_[str(n1)]:.4f}", f"{s_[str(n2)]:.4f}" if str(n2) in s_ else "skipped",
                          f"{h[name]['ratio']:.1f}" if h[name]["ratio"] else "—"]
            bad = [f"'{name}'" for name, *_ in HOSTILE if not h[name]["linear"]]
            print(f"| {n} | " + " | ".join(cells) + " | " + ("yes" if not bad else "**no** (" + ", ".join(bad) + ")")
                  + " |")
        result["speed"], result["hostile"] = sp, ho

    if args.errors:
        for n in order:
            print(f"\n## Errors: {n}\n")
            for it, pred, row in zip(items, preds[n], per_item[n]):
                if not row["exact"]:
                    print(f"- `{it['id']}` ({it['kind']})")
                    for line in describe_errors(it, pred):
                        print(f"    - {line}")

    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"\nwrote {args.json}")


def _has_dist(name: str) -> bool:
    try:
        metadata.version(name)
        return True
    except metadata.PackageNotFoundError:
        return False


if __name__ == "__main__":
    main()
