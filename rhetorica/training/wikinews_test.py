"""Out-of-domain figures: the shipped question and history heads on Wikinews, an outlet no head was trained on.

``python -m rhetorica.training.wikinews_test [--json OUT]`` scores the SHIPPED ``rhetorical_question`` and
``historical_analogy`` heads on the labelled sentences of the bundled Wikinews sample
(``annotations/wikinews/``: every sentence with a '?' and every sentence the history gazetteer matches, in the 291
articles of ``examples/wikinews/``), next to the baselines of the accuracy issue fitted on the same training data,
with 95 % article-bootstrap intervals and paired gains.  No training command reads these labels and nothing is
chosen on them: they are a test set from another outlet, scored once per shipped version
(``benchmarks/RESULTS_wikinews_test.md``).

Two readings of each head:

* **public API**: :func:`rhetorica.analyze` over each whole article, with the default encoder; a labelled sentence
  counts as a device when a ``rhetorical_question`` span lies in it (as an analogy when a ``historical_analogy`` span
  overlaps it), so boilerplate, segmentation and the detector's rules are part of the figure;
* **head on the sentence**: the head on the labelled sentence and its neighbours, through the same path as
  :mod:`rhetorica.training.allsides_test` (the training encoder), beside the frozen-MiniLM + logistic-regression
  baseline and the keyword rule.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from . import common
from .allsides_test import _ci, _paired_gain, report

ANNOTATIONS = Path(__file__).resolve().parents[2] / "annotations" / "wikinews"
CORPUS = Path(__file__).resolve().parents[2] / "examples" / "wikinews" / "wikinews_2019_2020.jsonl"


def pool() -> tuple[list[dict], list[dict]]:
    """The items that were labelled, rebuilt: every sentence with a '?' and every sentence the history gazetteer
    matches, in every article of the bundled sample (segmented as :mod:`~rhetorica.training.allsides_pool` segments
    AllSides articles), with the sentence before and after. All of them were labelled: there is no sampling."""
    import hashlib

    import pandas as pd

    from .allsides_pool import build_pool

    arts = pd.DataFrame(common.read_jsonl(CORPUS)).assign(source="Wikinews", leaning="", topic="")
    titles = dict(zip(arts["id"], arts["title"]))
    questions, history = build_pool(arts)
    for r in questions + history:
        r["id"] = hashlib.sha1(f"wikinews:{r['article']}:{r['start']}".encode("utf-8")).hexdigest()[:12]
        r.update(source="wikinews", split="ood", title=titles[r["article"]])
        for k in ("outlet", "leaning", "topic"):
            r.pop(k, None)
    return questions, history


def load(kind: str) -> list[dict]:
    """The labelled rows (``kind`` is "questions" or "history")."""
    path = ANNOTATIONS / f"{kind}.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the Wikinews labels ship in the repository's annotations/.")
    return common.read_jsonl(path)


def _api_spans(rows: list[dict], label: str) -> np.ndarray:
    """1 where ``rhetorica.analyze`` of the row's article puts a ``label`` span on the row's sentence."""
    import rhetorica

    texts = {a["id"]: a["text"] for a in common.read_jsonl(CORPUS)}
    ids = sorted({r["article"] for r in rows})
    an = rhetorica.Analyzer(detectors=["rhetorical_question", "historical_analogy"])
    spans = {i: [s for s in a.spans if s.label == label] for i, a in zip(ids, an.pipe([texts[i] for i in ids]))}
    out = []
    for r in rows:
        s0 = r["start"]
        e0 = s0 + len(r["text"])
        if label == "rhetorical_question":
            hit = any(s0 <= s.start and s.end <= e0 for s in spans[r["article"]])
        else:
            hit = any(s.start < e0 and s.end > s0 for s in spans[r["article"]])
        out.append(int(hit))
    return np.array(out)


def questions(seed: int = 0) -> dict:
    from . import questions as q
    from .allsides_test import questions as on_rows

    rows = load("questions")
    res = on_rows(seed, test=rows, keep=True)
    y = (q.labels_of(rows) < q.N_DEVICE).astype(int)
    g = q.groups_of(rows)
    api = _api_spans(rows, "rhetorical_question")
    m = q.binary_macro_f1
    res.update({"api_macro_f1": _ci(m, y, api, g, seed), "api_prf": common.prf(y, api),
                "api_gain_over_frozen": _paired_gain(m, y, api, res.pop("_frozen"), g, seed)})
    return res


def history(seed: int = 0) -> dict:
    from . import history as h
    from .allsides_test import history as on_rows

    rows = load("history")
    res = on_rows(seed, test_rows=rows, keep=True)
    y = np.array([h.LABELS.index(r["label"]) for r in rows])
    g = np.array([f"{r['source']}/{r['article']}" for r in rows])
    api = np.where(_api_spans(rows, "historical_analogy") == 1, 0, 3)  # 0 = analogy, as the head's labels
    m = h.binary_macro_f1
    res.update({"api_macro_f1": _ci(m, y, api, g, seed), "api_analogy_prf": common.prf(y == 0, api == 0),
                "api_gain_over_frozen": _paired_gain(m, y, api, res.pop("_frozen"), g, seed)})
    return res


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(prog="python -m rhetorica.training.wikinews_test", description=__doc__)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--pool", metavar="OUT_DIR", help="only write the unlabelled items (pool_questions.jsonl, "
                    "pool_history.jsonl) to OUT_DIR, as they were given to the annotators")
    args = ap.parse_args(argv)
    if args.pool:
        from .allsides_pool import _write_jsonl

        out = Path(args.pool)
        out.mkdir(parents=True, exist_ok=True)
        for name, rows in zip(("questions", "history"), pool()):
            _write_jsonl(out / f"pool_{name}.jsonl", rows)
        return {}
    return report({"rhetorical_question": questions(args.seed), "historical_analogy": history(args.seed)}, args.json)


if __name__ == "__main__":
    main()
