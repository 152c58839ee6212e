"""Every shipped head's validation metric on fp32 and on int8 encoder embeddings.

    python -m rhetorica.training.validate_int8            # all heads, prints a markdown table
    python -m rhetorica.training.validate_int8 media_bias frames --json out.json
    python -m rhetorica.training.validate_int8 --json benchmarks/RESULTS_int8_validation.json --cards

``--json`` on an existing file replaces the rows of the heads checked and keeps the others; ``--cards`` then writes
each head's rows from that file into the end of its model card (``models/<head>/MODEL_CARD.md``, a section that a
retrain removes, since the new head has not been checked yet).

The heads are the SHIPPED ones (``models/``), not retrained: each is applied to the same
held-out split its model card reports, with features built by the training module's own
data loading, split and feature code, once from fp32 embeddings and once from the int8
(ONNX Runtime, per-channel dynamic quantisation) embeddings.  Embeddings are cached on disk
by :func:`rhetorica.training.common.embed` (int8 under their own file names), so a second
run costs seconds.  Needs the training data (``RHETORICA_DATA``) and the ``fast`` extra.

The metric per head is the one its card leads with:

==================== ======================================================================
media_bias           macro-F1 on the BABE SG2 test articles (card: ``babe_test_macro_f1``)
subjectivity         macro-F1 on CheckThat! 2025 dev_test (``checkthat_dev_test_macro_f1``)
hedging              macro-F1 on the held-out weasel articles (``weasel_test_macro_f1``)
rhetorical_question  device-vs-not macro-F1 on dev (``dev_macro_f1``)
historical_analogy   analogy-vs-not macro-F1 on dev, with the construction override
propaganda_technique micro-F1 on the held-out PTC gold spans, two rows: ``predict_proba(texts)`` (each span
                     its own embedding, ``heldout_predict_micro_f1``) and the ``analyze()`` path (containing
                     sentence's embedding, ``heldout_micro_f1``)
frames               micro-F1 on the held-out SemEval-2023 articles (``test_micro_f1``)
persuasion           micro-F1 on SemEval-2023 dev paragraphs (``dev_micro_f1``)
technique            the token tagger on the held-out PTC articles' word-piece states: span identification F1
                     (SemEval-2020 metric, ``heldout_si_f1``) and technique classification micro-F1 on the gold
                     spans (``heldout_tc_micro_f1``), one row each
loaded_language      reads no embedding (term features only): identical on both encoders
==================== ======================================================================
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Callable

import numpy as np

from ..classifiers import Classifier
from ..classifiers.features import FeatureInput, build_features
from . import common

#: The quality target for the int8 encoder: every head within this much of its fp32 metric.
MAX_DROP = 0.01
#: Bootstrap resamples for the 95% interval of the paired difference int8 - fp32.
N_BOOT = 1000

#: What an evaluation returns: the metric, gold labels, predictions, and the groups (articles) to resample.
Result = tuple[Callable[[np.ndarray, np.ndarray], float], np.ndarray, np.ndarray, "np.ndarray | None"]


def _clf(name: str) -> Classifier:
    return Classifier(name)


def _sentence_head(name: str, held_out: Callable[[], object], backend: str, group_ci: bool = False) -> Result:
    """media_bias / subjectivity / hedging: P(positive) >= threshold on the held-out corpus, macro-F1."""
    from . import sentence_heads as sh

    clf = _clf(name)
    corpus = held_out()
    emb = common.embed(corpus.texts, backend)
    X = build_features(clf.features, FeatureInput(texts=list(corpus.texts), embeddings=emb))
    p = clf.head.predict_proba(X)[:, 0]
    return common.macro_f1, corpus.y, sh.decide(p, clf.thresholds[clf.labels[0]]), \
        (corpus.groups if group_ci else None)


def _babe_test():
    from .bias import SPLIT_SEED, TEST_FRAC
    from .sentence_data import babe_sg2

    corpus = babe_sg2()
    return corpus.subset(common.group_split(corpus.groups, TEST_FRAC, seed=SPLIT_SEED))


def _weasel_test():
    from .hedging import SPLIT_SEED, TEST_FRAC
    from .sentence_data import wiki_weasel

    corpus = wiki_weasel()
    return corpus.subset(common.group_split(corpus.groups, TEST_FRAC, seed=SPLIT_SEED))


def _checkthat_dev_test():
    from .sentence_data import checkthat

    return checkthat("dev_test")


def media_bias(backend: str) -> Result:
    return _sentence_head("media_bias", _babe_test, backend, group_ci=True)  # BABE's card resamples articles


def subjectivity(backend: str) -> Result:
    return _sentence_head("subjectivity", _checkthat_dev_test, backend)


def hedging(backend: str) -> Result:
    return _sentence_head("hedging", _weasel_test, backend)


def rhetorical_question(backend: str) -> Result:
    from . import questions as q

    clf = _clf("rhetorical_question")
    dev = q.load_split("dev")
    with common.embedding_backend(backend):
        emb = q.Embeddings(dev)
    P = clf.head.predict_proba(build_features(clf.features, emb.feature_input(dev)))
    y = (q.labels_of(dev) < q.N_DEVICE).astype(int)
    return q.binary_macro_f1, y, (q.device_prob(P) >= clf.thresholds["rhetorical_question"]).astype(int), \
        q.groups_of(dev)


def historical_analogy(backend: str) -> Result:
    from . import history as h

    clf = _clf("historical_analogy")
    with common.embedding_backend(backend):
        dev = h.load_split("dev")
    cols = h.columns(clf.features)
    P = clf.head.predict_proba(dev.X_ctx[:, cols])
    cons = clf.config["construction"]
    yhat = h.decide(P, clf.thresholds["analogy"], dev.strong(cons["kinds"]), cons["floor"])
    return h.binary_macro_f1, dev.y, yhat, dev.groups


def _ptc_heldout(backend: str, own: bool) -> Result:
    """propaganda_technique on the held-out PTC gold spans: each span with its own embedding (``predict_proba(texts)``)
    or with its containing sentence's (the ``analyze()`` path)."""
    from . import propaganda as pr

    clf = _clf("propaganda_technique")
    with common.embedding_backend(backend):
        ptc = pr.load_ptc(common.SEED)
    rows = [(a, t, s, e) for a, t, s, e in ptc.spans if e > s and ptc.split[a] == "heldout"]
    texts = [ptc.texts[a][s:e] for a, _, s, e in rows]
    emb = common.embed(texts, backend) if own else \
        np.vstack([ptc.span_embedding(a, s, e) for a, _, s, e in rows]).astype(np.float32)
    X = build_features(clf.features, FeatureInput(texts=texts, embeddings=emb))
    y = np.array([pr.TECHNIQUES.index(t) for _, t, _, _ in rows])
    return pr._accuracy, y, clf.head.predict_proba(X).argmax(1), np.array([a for a, *_ in rows])


def propaganda_technique(backend: str) -> Result:
    return _ptc_heldout(backend, own=True)


def propaganda_technique_analyze(backend: str) -> Result:
    return _ptc_heldout(backend, own=False)


def _semeval_table(texts, backend: str) -> dict[str, np.ndarray]:
    from .frames import content_sentences

    sents = sorted({s for t in texts for s in content_sentences(t)})
    return dict(zip(sents, common.embed(sents, backend)))


def frames(backend: str) -> Result:
    from . import frames as fr

    clf = _clf("frames")
    ids, texts, Y = fr.load_frames()
    test = common.group_split(ids, fr.TEST_FRACTION, seed=common.SEED)
    te = [t for t, m in zip(texts, test) if m]
    S = clf.head.predict_proba(fr.pooled_features(te, clf.features, _semeval_table(te, backend)))
    return fr.micro_f1, Y[test].astype(bool), fr.apply_thresholds(S, fr.FRAMES, clf.thresholds).astype(bool), None


def persuasion(backend: str) -> Result:
    from . import frames as fr
    from . import persuasion as pe

    clf = _clf("persuasion")
    g_dev, x_dev, l_dev = fr.load_paragraphs("dev")
    tagged = pe.tagger_features("dev", g_dev, x_dev, encoder=backend) if "technique_tagger" in clf.features else None
    S = clf.head.predict_proba(fr.pooled_features(x_dev, clf.features, _semeval_table(x_dev, backend), tagged))
    P = fr.apply_thresholds(S, pe.TECHNIQUES, clf.thresholds)
    return fr.micro_f1, pe._matrix(l_dev).astype(bool), P.astype(bool), np.asarray(g_dev)


#: head -> (metric, evaluation function), or a tuple of those for a head checked on two call paths;
#: loaded_language is handled apart (it reads no embedding).
HEADS: dict[str, tuple] = {
    "media_bias": ("macro-F1, BABE test", media_bias),
    "subjectivity": ("macro-F1, CheckThat! dev_test", subjectivity),
    "hedging": ("macro-F1, weasel test", hedging),
    "rhetorical_question": ("device macro-F1, dev", rhetorical_question),
    "historical_analogy": ("analogy macro-F1, dev", historical_analogy),
    "propaganda_technique": (("micro-F1, PTC held-out, predict_proba(texts)", propaganda_technique),
                             ("micro-F1, PTC held-out, analyze() path", propaganda_technique_analyze)),
    "frames": ("micro-F1, SemEval test", frames),
    "persuasion": ("micro-F1, SemEval dev", persuasion),
}


def technique_tagger() -> list[dict]:
    """The technique token tagger on fp32 and on int8 word-piece states of the held-out PTC articles: two rows,
    span identification F1 and technique classification micro-F1 (the attribution tagger is checked on PolNeAR dev
    by ``benchmarks/eval_quotes.py --encoder int8``)."""
    from ..classifiers.heads import load_head
    from . import technique_tagger as tt

    t0 = time.time()
    head, meta = load_head(tt.NAME)
    rule = tt.Rule(**meta["si_rule"])
    got = {}
    for backend in ("fp32", "int8"):
        arts, _ = tt.build(encoder=backend, only="heldout")
        probs = [tt.predict(head, a) for a in arts]
        si, _ = tt.both_counts(arts, probs, 0, rule, None)
        spans = [[(s, e) for s, e, _ in tt.decode(a, p, 0, rule)] for a, p in zip(arts, probs)]
        got[backend] = (arts, probs, si, spans)
    arts, p32, si32, sp32 = got["fp32"]
    _, p8, si8, sp8 = got["int8"]
    f32, f8 = tt.prf_from(si32.sum(0))["f1"], tt.prf_from(si8.sum(0))["f1"]
    seconds = round(time.time() - t0, 1)
    rows = [{"model": "technique", "metric": "span identification F1 (SemEval-2020), PTC held-out articles",
             "fp32": f32, "int8": f8, "n": len(arts), "delta": f8 - f32,
             "delta_ci": tt.paired_f1_gain_ci(si8, si32), "seconds": seconds,
             "changed": int(sum(a != b for a, b in zip(sp32, sp8))), "unit": "articles"}]
    # technique classification: one decision per gold span, resampled by article
    rng = np.random.default_rng(common.SEED)
    per32 = [tt.tc_hits(a, p) for a, p in zip(arts, p32)]
    per8 = [tt.tc_hits(a, p) for a, p in zip(arts, p8)]
    n = np.array([len(h) for h in per32])
    h32, h8 = np.array([sum(h) for h in per32]), np.array([sum(h) for h in per8])
    boots = []
    for _ in range(N_BOOT):
        idx = rng.integers(0, len(arts), len(arts))
        boots.append((h8[idx].sum() - h32[idx].sum()) / max(1, n[idx].sum()))
    lo, hi = np.percentile(boots, [2.5, 97.5])
    tc32, tc8 = h32.sum() / n.sum(), h8.sum() / n.sum()
    rows.append({"model": "technique", "metric": "technique classification micro-F1 on the gold spans, PTC held-out",
                 "fp32": float(tc32), "int8": float(tc8), "n": int(n.sum()), "delta": float(tc8 - tc32),
                 "delta_ci": [float(lo), float(hi)], "seconds": seconds,
                 "changed": int(sum(x != y for a, b in zip(per32, per8) for x, y in zip(a, b)))})
    for r in rows:
        print(f"  technique: {r['metric']}: fp32 {r['fp32']:.4f}  int8 {r['int8']:.4f}  delta {r['delta']:+.4f}",
              file=sys.stderr, flush=True)
    return rows


def paired_ci(metric, y, a, b, groups=None, n: int = N_BOOT, seed: int = common.SEED) -> list[float]:
    """95% percentile interval of ``metric(y, b) - metric(y, a)`` over resamples of rows (or of groups)."""
    return common.paired_bootstrap_ci(metric, y, b, a, n=n, seed=seed, groups=groups)[1:]


def _uses_embedding(name: str) -> bool:
    return any(f != "loaded_language_term" for f in _clf(name).features)


def _check(name: str, metric: str, fn: Callable[[str], Result]) -> dict:
    """One row: ``fn``'s metric on fp32 and on int8 embeddings, with the paired interval of the difference."""
    t0 = time.time()
    f, y, yhat32, groups = fn("fp32")
    _, _, yhat8, _ = fn("int8")
    row = {"model": name, "metric": metric, "fp32": float(f(y, yhat32)), "int8": float(f(y, yhat8)),
           "n": int(len(y))}
    row["delta"] = row["int8"] - row["fp32"]
    row["delta_ci"] = paired_ci(f, y, yhat32, yhat8, groups)
    a32 = np.asarray(yhat32).reshape(len(y), -1)
    a8 = np.asarray(yhat8).reshape(len(y), -1)
    row["changed"] = int(np.sum(np.any(a32 != a8, axis=1)))
    row["seconds"] = round(time.time() - t0, 1)
    print(f"  {name} ({metric}): fp32 {row['fp32']:.4f}  int8 {row['int8']:.4f}  delta {row['delta']:+.4f} "
          f"[{row['delta_ci'][0]:+.4f}, {row['delta_ci'][1]:+.4f}], {row['changed']} of {row['n']} decisions "
          f"changed ({row['seconds']} s)", file=sys.stderr, flush=True)
    return row


def run(names: list[str] | None = None) -> list[dict]:
    """Evaluate ``names`` (every shipped head by default) on both encoders; one dict per row (a head has one or two)."""
    out = []
    for name in names or list(HEADS) + ["technique", "loaded_language"]:
        if name == "technique":
            out.extend(technique_tagger())
            continue
        if name == "loaded_language" and not _uses_embedding(name):
            out.append({"model": name, "metric": "span F1 (term features only, no embedding)", "fp32": None,
                        "int8": None, "delta": 0.0, "note": "reads no embedding: identical on both encoders"})
            continue
        if name not in HEADS:
            raise KeyError(f"Unknown head {name!r}. Available: {sorted(HEADS) + ['loaded_language', 'technique']}.")
        specs = HEADS[name] if isinstance(HEADS[name][0], tuple) else (HEADS[name],)
        for metric, fn in specs:
            out.append(_check(name, metric, fn))
    return out


def table(rows: list[dict]) -> str:
    lines = ["| model | metric (n) | fp32 | int8 | Δ int8 − fp32 [95% CI, paired bootstrap] | decisions changed | "
             "within 1 point |", "|---|---|---:|---:|---|---:|---|"]
    for r in rows:
        if r["fp32"] is None:
            lines.append(f"| {r['model']} | {r['metric']} | – | – | 0 | 0 | yes ({r['note']}) |")
            continue
        ok = "yes" if abs(r["delta"]) <= MAX_DROP else ("**no** (better)" if r["delta"] > 0 else "**no**")
        lo, hi = r["delta_ci"]
        lines.append(f"| {r['model']} | {r['metric']} ({r['n']:,}) | {r['fp32']:.3f} | {r['int8']:.3f} | "
                     f"{r['delta']:+.4f} [{lo:+.3f}, {hi:+.3f}] | {r['changed']} | {ok} |")
    return "\n".join(lines)


CARD_MARK = "<!-- int8 validation: written by python -m rhetorica.training.validate_int8 --cards -->"


def card_section(rows: list[dict]) -> str:
    """The model card's section on the default int8 encoder, from this head's rows."""
    lines = [CARD_MARK, "## On the default int8 encoder", "",
             "rhetorica runs the int8 encoder by default (ONNX Runtime; `encoder=\"fp32\"` for torch). This card's "
             "figures are fp32, the precision the head was trained and chosen on. Below, the shipped head on the int8 "
             "encoder's output, on the same held-out split as its main figure: one more read of that split, to "
             "validate the encoder; nothing was chosen on it. Target: within one point of fp32.", "",
             "| metric (n) | fp32 | int8 (default) | Δ int8 − fp32 [95% CI, paired bootstrap] | within 1 point |",
             "|---|---:|---:|---|---|"]
    for r in rows:
        lo, hi = r["delta_ci"]
        ok = "yes" if abs(r["delta"]) <= MAX_DROP else ("no (better)" if r["delta"] > 0 else "no")
        lines.append(f"| {r['metric']} ({r['n']:,}{' ' + r['unit'] if r.get('unit') else ''}) | {r['fp32']:.3f} | "
                     f"{r['int8']:.3f} | {r['delta']:+.4f} [{lo:+.3f}, {hi:+.3f}] | {ok} |")
    return "\n".join(lines) + "\n"


def write_cards(rows: list[dict]) -> list[str]:
    """Put each head's int8 section at the end of its card (replacing an older one); returns the heads written."""
    done = []
    by_model: dict[str, list[dict]] = {}
    for r in rows:
        if r.get("fp32") is not None:
            by_model.setdefault(r["model"], []).append(r)
    for model, rs in by_model.items():
        path = common.models_dir() / model / "MODEL_CARD.md"
        text = path.read_text(encoding="utf-8")
        text = text.split(CARD_MARK)[0].rstrip("\n") + "\n\n" + card_section(rs)
        path.write_text(text, encoding="utf-8")
        done.append(model)
    return done


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rhetorica.training.validate_int8", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="heads to check (all by default)")
    ap.add_argument("--json", help="also write the rows to this JSON file (an existing file keeps the rows of heads "
                                   "not checked now)")
    ap.add_argument("--cards", action="store_true", help="write each head's rows into its model card")
    args = ap.parse_args(argv)
    rows = run(args.names or None)
    print(table(rows))
    if args.json:
        import os

        if os.path.exists(args.json):
            with open(args.json, encoding="utf-8") as fh:
                old = json.load(fh)
            new = {r["model"] for r in rows}
            kept = [r for r in old if r["model"] not in new]
            order = [r["model"] for r in old] + [r["model"] for r in rows]
            rows = sorted(kept + rows, key=lambda r: order.index(r["model"]))  # stable: a head's rows stay together
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=1)
    if args.cards:
        print("cards written:", ", ".join(write_cards(rows)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
