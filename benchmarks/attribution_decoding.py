"""How the attribution tagger reads a span's source: decodings compared on PolNeAR train, out of fold.

The tagger's content runs and its head were chosen by cross-validation on PolNeAR train (its model card); which
word pieces make the *source* of a tagged span was not, and citron's exact-source F1 (``benchmarks/eval_quotes.py``)
is where rhetorica trails citron most. This script measures that choice without reading dev:

1. out-of-fold tag probabilities for every PolNeAR train article (the shipped head's configuration, refitted on
   the other two of three article folds, the folds of its own selection);
2. the whole pipeline (rules, then the tagger) on the train articles, the tagger reading those out-of-fold
   probabilities instead of the shipped head's;
3. for each source decoding of the grid -- a threshold on P(SOURCE) (0: the pieces where SOURCE is the likeliest
   tag), the pieces a source run may bridge, and whether a source "who" names its antecedent -- citron's
   exact source and cue F1 on all relations (citron's filter) and on speech only.

The decoding with the best exact-source F1 on all relations is the one to ship (``Decoding`` in
``rhetorica/detectors/quotes/tagger.py``, saved in ``models/attribution/model.json``).  About 10 minutes on two
CPU cores once the training cache holds the articles' word-piece states and the out-of-fold probabilities (both
written on the first run, which takes about half an hour more).  Writes ``benchmarks/RESULTS_attribution_decoding.{json,md}``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import eval_quotes as eq  # noqa: E402

from rhetorica.detectors.quotes import tagger as tg  # noqa: E402

#: The grid: (P(SOURCE) threshold, bridged pieces, "who" resolved).  (0, 0, False) is the previous release's rule.
GRID = list(itertools.product((0.0, 0.2, 0.3, 0.4, 0.5), (0, 1), (False, True)))
#: The previous release's source decoding, the baseline of the paired comparison.
PREVIOUS = (0.0, 0, False)
#: The shipped head's configuration (architecture, hidden units, epochs; its model card).
HEAD = ("bigru", 64, 6)
VIEWS = ("citron protocol", "citron protocol, speech only")


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def out_of_fold() -> dict[str, np.ndarray]:
    """Out-of-fold probabilities keyed by "article text digest:first piece offset:number of pieces"."""
    from rhetorica.training import quote_tagger as qt
    from rhetorica.training.common import cache_dir

    arts = qt.build("train")
    path = cache_dir() / f"attribution-oof-{HEAD[0]}{HEAD[1]}-{HEAD[2]}-{len(arts)}.npz"
    if not path.exists():
        probs = qt.cv(arts, HEAD)
        keys, Ps = [], []
        for i, a in enumerate(arts):
            for s, P in zip(a.sentences, probs[i]):
                keys.append(f"{_text_key(a.text)}:{int(s.offsets[0, 0])}:{len(s.offsets)}")
                Ps.append(P.astype(np.float32))
        np.savez(path, keys=np.array(keys), P=np.vstack(Ps), n=np.array([len(p) for p in Ps]))
    z = dict(np.load(path, allow_pickle=False))
    out, pos = {}, 0
    for k, n in zip(z["keys"], z["n"]):
        out[str(k)] = z["P"][pos:pos + n]
        pos += n
    return out


def run() -> dict:
    from rhetorica.detectors.base import Detector
    from rhetorica.pipeline import Analyzer
    from rhetorica.training.polnear import load_split

    t0 = time.time()
    oof = out_of_fold()
    print(f"out-of-fold probabilities ready ({time.time() - t0:.0f} s)", flush=True)
    missing = []

    def read_tokens(self, doc, rows, states):
        out = self._outputs(doc)
        key = _text_key(doc.text)
        for i, ts in zip(rows, states):
            if ts is None or not len(ts.offsets):
                continue
            offs = ts.offsets.astype(np.int64) + doc.sentences[i].start
            P = oof.get(f"{key}:{int(offs[0, 0])}:{len(offs)}")
            if P is None:
                missing.append(i)
                continue
            out["rows"][i] = (offs, P)

    tagger = tg.shipped_tagger()
    shipped = tagger.decoding
    captured: dict[str, dict] = {}
    detect = tg.AttributionDetector.detect

    def detect_all(self, doc):
        per = {}
        for g in GRID:
            tagger.decoding = dataclasses.replace(shipped, source=g[0], source_gap=g[1], relative=g[2])
            per[g] = detect(self, doc)
        tagger.decoding = shipped
        captured[doc.text] = per
        return detect(self, doc)

    saved = (tg.AttributionDetector.read_tokens, tg.AttributionDetector.read_tokens_batch,
             tg.AttributionDetector.tokens_cached, tg.AttributionDetector.detect)
    tg.AttributionDetector.read_tokens = read_tokens
    # the pipeline hands a batch's states to read_tokens_batch; the base class's sends each text to read_tokens
    tg.AttributionDetector.read_tokens_batch = Detector.read_tokens_batch
    tg.AttributionDetector.tokens_cached = lambda self, doc, rows: [False] * len(rows)
    tg.AttributionDetector.detect = detect_all
    try:
        arts = load_split("train")
        texts = [t for _, t, _ in arts]
        rules = []
        for a in Analyzer(detectors=eq.WITH_TAGGER).pipe(texts):
            rules.append([eq.pred_of(s) for s in a.spans_of("quote") if s.attrs.get("by") != "tagger"])
    finally:
        (tg.AttributionDetector.read_tokens, tg.AttributionDetector.read_tokens_batch,
         tg.AttributionDetector.tokens_cached, tg.AttributionDetector.detect) = saved
    if missing:
        raise RuntimeError(f"{len(missing)} sentences had no out-of-fold probabilities")
    rows, per_article = {}, {}
    for g in GRID:
        preds = [r + [eq.pred_of(s) for s in captured[t][g]] for r, t in zip(rules, texts)]
        crow = per_article[g] = eq.citron_rows(arts, preds)
        res = {}
        for view in VIEWS:
            m, ci = eq.evaluate_with(crow[view], eq._citron_metrics)
            res[view] = {k: round(m[k], 4) for k in ("source_ex_f1", "source_ex_p", "source_ex_r", "cue_ex_f1")}
            res[view]["source_ex_f1_ci95"] = [round(x, 4) for x in ci["source_ex_f1"]]
        rows[g] = res
        print(g, res[VIEWS[0]]["source_ex_f1"], res[VIEWS[1]]["source_ex_f1"], flush=True)
    best = max(GRID, key=lambda g: (rows[g][VIEWS[0]]["source_ex_f1"], rows[g][VIEWS[1]]["source_ex_f1"]))
    gain = {view: paired_gain(per_article[best][view], per_article[PREVIOUS][view]) for view in VIEWS}
    return {"n_articles": len(arts), "seconds": round(time.time() - t0), "chosen": list(best),
            "gain_over_previous": gain,
            "rows": [{"source": g[0], "source_gap": g[1], "relative": g[2], **rows[g]} for g in GRID]}


def paired_gain(a: list[dict], b: list[dict], n: int = eq.N_BOOT) -> list[float]:
    """Exact-source F1 of ``a`` minus that of ``b`` (per-article citron counts), with a 95% interval from resampling
    the same articles for both."""
    keys = a[0].keys()
    A = {k: np.array([r[k] for r in a], dtype=float) for k in keys}
    B = {k: np.array([r[k] for r in b], dtype=float) for k in keys}

    def f1(counts, idx):
        return eq._citron_metrics({k: v[idx].sum() for k, v in counts.items()})["source_ex_f1"]

    every = np.arange(len(a))
    rng = np.random.default_rng(eq.SEED)
    boots = [f1(A, idx) - f1(B, idx) for idx in (rng.integers(0, len(a), len(a)) for _ in range(n))]
    return [round(float(f1(A, every) - f1(B, every)), 4), round(float(np.percentile(boots, 2.5)), 4),
            round(float(np.percentile(boots, 97.5)), 4)]


def markdown(r: dict) -> str:
    lines = ["# Attribution tagger: how a span's source is read", "",
             f"Written by `python benchmarks/attribution_decoding.py` ({r['seconds']} s). PolNeAR train "
             f"({r['n_articles']} articles), the tagger's out-of-fold probabilities (three article folds), the whole "
             "pipeline; citron's exact-match F1 (`benchmarks/eval_quotes.py`). Source threshold 0 means the pieces "
             "where SOURCE is the likeliest tag (the previous release). No dev article read.", "",
             "| P(SOURCE) ≥ | bridged pieces | \"who\" → antecedent | source exact F1, all relations [95% CI] | "
             "source exact P / R | cue exact F1 | source exact F1, speech only |", "|---|---|---|---|---|---|---|"]
    for row in r["rows"]:
        a, s = row[VIEWS[0]], row[VIEWS[1]]
        mark = "**" if [row["source"], row["source_gap"], row["relative"]] == r["chosen"] else ""
        lines.append(f"| {row['source'] or 'likeliest tag'} | {row['source_gap']} | {'yes' if row['relative'] else 'no'} "
                     f"| {mark}{a['source_ex_f1']:.3f}{mark} [{a['source_ex_f1_ci95'][0]:.3f}, "
                     f"{a['source_ex_f1_ci95'][1]:.3f}] | {a['source_ex_p']:.3f} / {a['source_ex_r']:.3f} | "
                     f"{a['cue_ex_f1']:.3f} | {s['source_ex_f1']:.3f} |")
    c, g = r["chosen"], r["gain_over_previous"]
    lines += ["", f"Chosen (best exact-source F1 on all relations): P(SOURCE) ≥ {c[0]}, {c[1]} bridged piece(s), "
              f"\"who\" resolved: {'yes' if c[2] else 'no'}. Exact-source F1 against the previous release's rule "
              "(the first row), paired over articles: "
              + "; ".join(f"{'all relations' if v == VIEWS[0] else 'speech only'} {x[0]:+.3f} [{x[1]:+.3f}, {x[2]:+.3f}]"
                          for v, x in g.items()) + "."]
    return "\n".join(lines) + "\n"


def main() -> None:
    r = run()
    (HERE / "RESULTS_attribution_decoding.json").write_text(json.dumps(r, indent=1) + "\n")
    (HERE / "RESULTS_attribution_decoding.md").write_text(markdown(r))
    print(markdown(r))


if __name__ == "__main__":
    main()
