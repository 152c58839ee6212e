"""Does out-of-domain or differently-labelled data help where our labels are thin?  An out-of-fold probe on train.

``python benchmarks/extra_data_probe.py [rhetorical_question] [subjectivity]`` adds extra rows to the training
folds only, and scores the shipped head's settings on the held-out folds of the task's own training data (the
folds its settings were chosen on, grouped by article), against the same head without the extra rows:

- ``rhetorical_question`` (5,202 news questions, 5 article-grouped folds, the shipped features, C and weights):
  the spoken-dialogue questions of Switchboard (Bhattasali et al. 2015; rhetorical -> ``rhetorical``, the others
  -> ``genuine``; the utterances around each one as its neighbours) and the rhetorical questions of the
  Sarcasm V2 corpus (Oraby et al. 2016; the first question of each sarcastic response, the quoted post as the
  previous sentence). Device-vs-not macro-F1.
- ``subjectivity`` (830 NewsSD-ENG sentences, the shipped 3 folds, grouped by sentence text: the data has no
  article ids): the news sentences of BABE SG2 with
  their opinion labels ("Expresses writer's opinion" -> subjective, "Entirely factual" -> objective; "Somewhat
  factual but also opinionated" left out, or put on either side). Each variant gets its own best C from the
  shipped grid, so the extra data is not held back by a C chosen without it. Subjective-vs-objective macro-F1.

Every system is read at 0.5 and at its own out-of-fold-best threshold (the same rule for all), with the paired
article-bootstrap interval of the gain over the head trained without extra rows. No dev or test split is read.
Writes ``benchmarks/RESULTS_extra_data_probe.{json,md}``; about 10 minutes on two cores (the first run also
encodes about 30,000 sentences).
"""
from __future__ import annotations

import csv
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 0


# -- rhetorical questions ------------------------------------------------------------------------------------
def _utterance(s: str) -> str:
    s = re.sub(r"\bt_(?:laugh|con)\b", "", s).strip()
    return "" if s == "t_empty" else re.sub(r"\s+", " ", s)


def switchboard(files: tuple[str, ...] = ("train.txt",)) -> list[dict]:
    """Switchboard questions as question rows: ``label,utterance SEP next SEP-1 previous SEP-2 the one before``."""
    from rhetorica.training.common import data_dir

    rows = []
    for name in files:
        path = data_dir() / "questions" / "switchboard_rq" / name
        for k, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines()):
            m = re.match(r"^([01]),(.*)$", line)
            if not m:
                continue
            parts = re.split(r"\s[%&](?:-1|-2)?\s", f" {m.group(2)} ")
            main = _utterance(parts[0])
            if not main:
                continue
            rows.append({"text": main, "next": _utterance(parts[1]) if len(parts) > 1 else "",
                         "prev": _utterance(parts[2]) if len(parts) > 2 else "",
                         "type": "rhetorical" if m.group(1) == "1" else "genuine",
                         "source": "switchboard", "article": f"{name}:{k}"})
    return rows


def sarcasm_questions() -> list[dict]:
    """The first question (three words or more) of each sarcastic response of Sarcasm V2's RQ part."""
    from rhetorica.training.common import data_dir

    rows = []
    with open(data_dir() / "questions" / "sarcasm_v2_rq" / "sarcasm_v2.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["Corpus"] != "RQ" or r["Label"] != "sarc":
                continue
            qs = [s.strip() for s in re.findall(r"[^.?!]*\?", r["Response Text"]) if len(s.split()) >= 3]
            if qs:
                rows.append({"text": qs[0], "prev": r["Quote Text"].strip()[-400:], "next": "", "type": "rhetorical",
                             "source": "sarcasm", "article": r["ID"]})
    return rows


def questions() -> dict:
    from rhetorica.classifiers.features import build_features
    from rhetorica.training import questions as q

    train, y, groups, fold, X_ctx, X_bare = q.train_matrices(seed=SEED)
    sw = switchboard()
    rng = np.random.default_rng(SEED)
    genuine = [r for r in sw if r["type"] == "genuine"]
    extra = {
        "Switchboard train (5,958 questions, 351 rhetorical)": sw,
        "Switchboard train + test (8,511, 479 rhetorical)": switchboard(("train.txt", "test.txt")),
        "Sarcasm V2 rhetorical questions (401)": sarcasm_questions(),
        "Switchboard rhetorical questions only (351)": [r for r in sw if r["type"] == "rhetorical"],
        "Switchboard rhetorical + 500 sampled genuine": [r for r in sw if r["type"] == "rhetorical"]
        + [genuine[i] for i in rng.choice(len(genuine), 500, replace=False)],
    }
    extra["Switchboard train + Sarcasm V2"] = extra["Switchboard train (5,958 questions, 351 rhetorical)"] \
        + extra["Sarcasm V2 rhetorical questions (401)"]
    emb = q.Embeddings([r for rows in extra.values() for r in rows])
    yd = (y < q.N_DEVICE).astype(int)

    def oof(rows: list[dict] | None) -> np.ndarray:
        if rows:
            xc = build_features(q.FEATURES, emb.feature_input(rows))
            xb = build_features(q.FEATURES, emb.feature_input(rows, context=False))
            ya = q.labels_of(rows)
        P = np.zeros((len(y), len(q.LABELS)))
        for k in np.unique(fold):
            te = fold == k
            if rows:
                head = q.fit_head(np.vstack([X_ctx[~te], xc]), np.vstack([X_bare[~te], xb]),
                                  np.concatenate([y[~te], ya]))
            else:
                head = q.fit_head(X_ctx[~te], X_bare[~te], y[~te])
            P[te] = head.predict_proba(X_ctx[te])
        return q.device_prob(P)

    base = oof(None)
    out = {"task": "rhetorical_question", "rows": len(y), "articles": len(set(groups)), "folds": int(fold.max() + 1),
           "grouping": "article",
           "systems": [_row("the shipped head's settings, news questions only", yd, base, None, groups,
                            q.binary_macro_f1, q.best_threshold)]}
    for name, rows in extra.items():
        t0 = time.time()
        out["systems"].append(_row(f"+ {name}", yd, oof(rows), base, groups, q.binary_macro_f1, q.best_threshold))
        print(out["systems"][-1], f"({time.time() - t0:.0f} s)", flush=True)
    return out


# -- subjectivity --------------------------------------------------------------------------------------------
def babe_opinion(somewhat: int | None):
    """BABE SG2 sentences by their opinion label: 0 = subjective (the writer's opinion), 1 = objective (entirely
    factual); "Somewhat factual but also opinionated" is left out (None) or given the label ``somewhat``."""
    from rhetorica.training.common import data_dir
    from rhetorica.training.sentence_data import Corpus, _norm_key, clean

    texts, y, groups = [], [], []
    with open(data_dir() / "bias" / "babe" / "final_labels_SG2_train.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            lab = row["label_opinion"].strip()
            value = (1 if lab == "Entirely factual" else 0 if lab.startswith("Expresses")
                     else somewhat if lab.startswith("Somewhat") else None)
            if value is None:
                continue
            texts.append(clean(row["text"]))
            y.append(value)
            groups.append("babe:" + (row["news_link"].strip() or _norm_key(row["text"])))
    return Corpus(texts, np.array(y), groups)


def subjectivity() -> dict:
    from rhetorica.training import common
    from rhetorica.training import sentence_heads as sh
    from rhetorica.training.sentence_data import newssd

    train = newssd("train") + newssd("val")
    feats = ("embedding", "sentence_cues")
    c_grid = sh.LR_GRID
    extra = {"BABE SG2 opinion vs factual (1,968)": babe_opinion(None),
             "BABE SG2 opinion + somewhat vs factual (2,767)": babe_opinion(0),
             "BABE SG2 opinion vs factual + somewhat (2,767)": babe_opinion(1)}
    for c in [train, *extra.values()]:
        sh.preload(c)
    X = sh.features(train.texts, feats)
    splits = sh.folds(train.y, train.groups, SEED)
    y = (train.y == 0).astype(int)  # 1 = subjective
    groups = np.array(train.groups)

    def oof(aux, C: float) -> np.ndarray:
        p = np.zeros(len(train))
        xa = sh.features(aux.texts, feats) if aux is not None else None
        for tr, va in splits:
            Xt, yt = (X[tr], train.y[tr]) if aux is None else (np.vstack([X[tr], xa]), np.concatenate([train.y[tr], aux.y]))
            p[va] = sh.fit(sh.Config(feats, "lr", {"C": C}), Xt, yt, ["subjective", "objective"], SEED).predict_proba(X[va])[:, 0]
        return p

    def best_c(aux) -> tuple[float, np.ndarray]:
        runs = {C: oof(aux, C) for C in c_grid}
        C = max(runs, key=lambda c: common.macro_f1(y, runs[c] >= 0.5))
        return C, runs[C]

    def thr(yy, p) -> float:
        grid = np.round(np.arange(0.2, 0.801, 0.025), 3)
        return float(max(grid, key=lambda t: (common.macro_f1(yy, p >= t), -abs(t - 0.5))))

    C0, base = best_c(None)
    out = {"task": "subjectivity", "rows": len(y), "folds": len(splits), "c_grid": list(c_grid),
           "grouping": "sentence text (NewsSD-ENG gives no article ids)",
           "systems": [_row(f"the shipped features, NewsSD-ENG only (C {C0})", y, base, None, groups,
                            common.macro_f1, thr)]}
    for name, aux in extra.items():
        C, p = best_c(aux)
        out["systems"].append(_row(f"+ {name} (C {C})", y, p, base, groups, common.macro_f1, thr))
        print(out["systems"][-1], flush=True)
    return out


# -- shared --------------------------------------------------------------------------------------------------
def _row(name, y, p, base, groups, metric, threshold_of) -> dict:
    from rhetorica.training import common

    t = threshold_of(y, p)
    row = {"system": name, "at_0.5": round(metric(y, p >= 0.5), 4), "best": round(metric(y, p >= t), 4),
           "threshold": t}
    if base is not None:
        tb = threshold_of(y, base)
        gain = common.paired_bootstrap_ci(metric, y, (p >= t).astype(int), (base >= tb).astype(int),
                                          seed=SEED, groups=groups)
        row["gain_best"] = [round(x, 4) for x in gain]
    return row


def markdown(results: list[dict]) -> str:
    from rhetorica.training.common import extra_data_rows

    lines = ["# Extra training data where labels are thin: an out-of-fold probe", "",
             "Written by `python benchmarks/extra_data_probe.py`. Extra rows join the training folds only; every "
             "figure is out of fold on the task's own training data (grouped folds), each system at 0.5 and "
             "at its own out-of-fold-best threshold; gains are paired over the same groups against the first row. "
             "No dev or test split read.", ""]
    for r in results:
        lines += [f"## {r['task']} ({r['rows']:,} rows, {r['folds']} folds grouped by {r['grouping']})", "",
                  "| training rows | macro-F1 at 0.5 | macro-F1 at its best threshold | gain over the first row [95% CI] |",
                  "|---|---|---|---|", *extra_data_rows(r), ""]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    tasks = argv or ["rhetorical_question", "subjectivity"]
    runs = {"rhetorical_question": questions, "subjectivity": subjectivity}
    unknown = [t for t in tasks if t not in runs]
    if unknown:
        raise SystemExit(f"unknown task(s) {unknown}; choose from {sorted(runs)}")
    results = [runs[t]() for t in tasks]
    (HERE / "RESULTS_extra_data_probe.json").write_text(json.dumps(results, indent=1) + "\n")
    (HERE / "RESULTS_extra_data_probe.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main(sys.argv[1:])
