"""PolNeAR (Newell et al., LREC 2018): US political news with attribution relations (Source / Cue / Content
spans, brat standoff).  The one reader used by the quote tagger's training and by ``benchmarks/eval_quotes.py``.

Articles annotated by several annotators are read once, from the annotation file whose annotator id sorts first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .common import data_dir

#: A quotation mark that makes a gold content a "quote-mark" attribution.
QUOTE_MARK_RE = re.compile(r"[\"“”«»‘]|''")


@dataclass
class Gold:
    """One attribution relation: character fragments of its content, cue and source."""

    content: list[tuple[int, int]]
    cue: list[tuple[int, int]] = field(default_factory=list)
    source: list[tuple[int, int]] = field(default_factory=list)
    quote_mark: bool = False
    no_source: bool = False  # PolNeAR "Attribution-no-source"


def read_ann(path: Path, text: str) -> list[Gold]:
    """The relations of one ``.ann`` file that have a content span."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    rels: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T") and line.count("\t") >= 1:
            tid, info = line.split("\t")[:2]
            typ, offs = info.split(" ", 1)
            frags = [tuple(int(x) for x in f.split()) for f in offs.split(";")]
            spans[tid] = (typ, frags)  # type: ignore[assignment]
        elif line.startswith("E"):
            _, args = line.split("\t", 1)
            rels.append(dict(a.split(":", 1) for a in args.split() if ":" in a))
    out = []
    for r in rels:
        if "Content" not in r or r["Content"] not in spans:
            continue
        content = spans[r["Content"]][1]
        g = Gold(content=content,
                 cue=spans[r["Cue"]][1] if r.get("Cue") in spans else [],
                 source=spans[r["Source"]][1] if r.get("Source") in spans else [])
        g.quote_mark = any(QUOTE_MARK_RE.search(text[s:e]) for s, e in content)
        out.append(g)
    return out


def polnear_dir() -> Path:
    return data_dir() / "quotes" / "polnear"


def load_split(split: str) -> list[tuple[str, str, list[Gold]]]:
    """``(article id, text, relations)`` of every article of ``split`` ("train" or "dev"), sorted by id."""
    base = polnear_dir() / split
    if not base.exists():
        raise SystemExit(f"PolNeAR not found at {base}: set RHETORICA_DATA to the data folder.")
    anns: dict[str, Path] = {}
    for p in sorted((base / "attributions").glob("*.ann")):
        stem = p.stem.rsplit("_", 1)[0]
        anns.setdefault(stem, p)  # first annotator id in sort order
    out = []
    for stem, ann in sorted(anns.items()):
        tp = base / "text" / f"{stem}.txt"
        if not tp.exists():
            continue
        text = tp.read_text(encoding="utf-8")
        out.append((stem, text, read_ann(ann, text)))
    return out


def plain_overlap(gold: list[Gold], spans: list[tuple[int, int]]) -> dict[str, int]:
    """Counts for the plain overlap metric of one article: gold contents that some predicted span overlaps (all,
    and those without quotation marks), and predicted spans that overlap some gold content."""
    def hit(frags, span_list) -> bool:
        return any(min(e, b) > max(s, a) for a, b in span_list for s, e in frags)

    frags = [f for g in gold for f in g.content]
    no_marks = [g for g in gold if not g.quote_mark]
    return {"gold": len(gold), "gold_hit": sum(hit(g.content, spans) for g in gold),
            "gold_nq": len(no_marks), "gold_nq_hit": sum(hit(g.content, spans) for g in no_marks),
            "pred": len(spans), "pred_hit": sum(hit([sp], frags) for sp in spans)}


def plain_metrics(counts: list[dict[str, int]]) -> dict[str, float]:
    """Recall (all relations, and those without quotation marks) and precision from summed counts."""
    t = {k: sum(c[k] for c in counts) for k in counts[0]} if counts else {}
    return {"recall": t.get("gold_hit", 0) / max(1, t.get("gold", 0)),
            "recall_no_marks": t.get("gold_nq_hit", 0) / max(1, t.get("gold_nq", 0)),
            "precision": t.get("pred_hit", 0) / max(1, t.get("pred", 0))}


def plain_metrics_ci(counts: list[dict[str, int]], n_boot: int = 1000, seed: int = 0
                     ) -> tuple[dict[str, float], dict[str, tuple[float, float]]]:
    """:func:`plain_metrics` and their 95% percentile bootstrap intervals over articles."""
    import numpy as np

    m = plain_metrics(counts)
    rng = np.random.default_rng(seed)
    boots = [plain_metrics([counts[i] for i in rng.integers(0, len(counts), len(counts))]) for _ in range(n_boot)]
    ci = {k: (float(np.percentile([b[k] for b in boots], 2.5)), float(np.percentile([b[k] for b in boots], 97.5)))
          for k in m}
    return m, ci
