"""Train ``propaganda_technique``: which of the 14 PTC-2020 techniques a given span uses.

Data: SemEval-2020 Task 11 PTC (``propaganda/ptc2020``): 371 train articles with
character spans in 14 techniques.  The gold test and dev labels are not in the data
folder, so the articles are split here, by article, into

* a training pool (the ``train`` and ``val`` parts of the shared split), where every setting is chosen by
  5-fold cross-validation grouped by article, and
* ``heldout`` (20% of the articles), looked at once, at the end; the card reports it.

Features (:mod:`rhetorica.classifiers.feats_propaganda`): hashed word and character
n-grams of the span text, a few shape cues, and an embedding: the span's own (``predict_proba(texts)``:
each text is its own sentence) or its containing sentence's (inside ``analyze()``, from the one shared
encoder pass).  The head is fitted on both versions of every span so that it serves both call paths;
the settings are chosen on the public path, ``predict_proba(texts)``.

Run ``python -m rhetorica.training propaganda_technique``.
"""
from __future__ import annotations

import bisect
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import common

NAME = "propaganda_technique"

#: The 14 technique names exactly as written in PTC-2020's ``train-task2-TC.labels``.
TECHNIQUES = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)
#: Share of articles held out for the reported figures.
HELDOUT_FRAC = 0.2
#: Share of the other articles marked ``val`` in the shared split (kept so every PTC-trained model reads the same
#: split; here ``train`` and ``val`` together are the cross-validation pool).
VAL_FRAC = 0.2
#: Folds of the grouped cross-validation on the pool.
N_FOLDS = 5
#: Settings compared in cross-validation: (feature set, C, n-gram weight).  The hashed n-gram block is
#: L2-normalised per span, so it is multiplied by the weight instead of standardised.  A first sweep
#: (out of fold: weight 3 lost 1-1.5 points at C 0.01-0.1; C 0.1 lost 1 point) bracketed this grid; the edges
#: next to the chosen setting (C 0.001; weight 3) are in it, and its corner (C 0.001, weight 3) lost 3 points.
GRID = (
    ("lexical", 3.0, 1.0),
    ("lexical+embedding", 0.001, 10.0),
    ("lexical+embedding", 0.003, 3.0),
    ("lexical+embedding", 0.003, 10.0),
    ("lexical+embedding", 0.003, 30.0),
    ("lexical+embedding", 0.01, 10.0),
    ("lexical+embedding", 0.01, 30.0),
    ("lexical+embedding", 0.03, 10.0),
    ("lexical+embedding", 0.03, 30.0),
)
#: The simple baseline: logistic regression on the span's frozen embedding alone; its C is chosen in the
#: same cross-validation.
BASELINE_C = (0.01, 0.1, 1.0)
#: Anchor: best SemEval-2020 Task 11 TC micro-F1 on the official test set (RoBERTa ensembles).
ANCHOR_MICRO_F1 = 0.62
#: The target of the accuracy work for this head (micro-F1 on held-out news).
TARGET_MICRO_F1 = 0.60
#: Held-out micro-F1 of the previous release (chosen on a validation split, C 0.01, n-gram weight 30), for the card.
OLD_RELEASE = {"predict": 0.558, "analyze": 0.538}


# ------------------------------------------------------------------------------------------------
# data
# ------------------------------------------------------------------------------------------------
@dataclass
class PTC:
    """The PTC-2020 train articles, their rhetorica sentences, and the technique spans."""

    ids: list[str]                       # sorted article ids
    texts: dict[str, str]
    sentences: dict[str, list[tuple[int, int]]]
    sent_row: dict[str, int]             # first row of the article's sentences in ``sent_emb``
    sent_emb: np.ndarray                 # (n_sentences, 384) shared-encoder embeddings
    spans: list[tuple[str, str, int, int]]   # (article, technique, start, end)
    split: dict[str, str]                # article -> "train" / "val" / "heldout"

    def sentence_index(self, aid: str, offset: int) -> int:
        """Index (within the article) of the sentence containing or preceding ``offset``."""
        starts = [s for s, _ in self.sentences[aid]]
        return max(0, bisect.bisect_right(starts, offset) - 1)

    def span_embedding(self, aid: str, start: int, end: int) -> np.ndarray:
        """Mean of the embeddings of the sentences the span overlaps (L2-normalised)."""
        sents = self.sentences[aid]
        i = self.sentence_index(aid, start)
        j = i
        while j + 1 < len(sents) and sents[j + 1][0] < end:
            j += 1
        base = self.sent_row[aid]
        v = self.sent_emb[base + i: base + j + 1].mean(axis=0)
        return v / (np.linalg.norm(v) + 1e-12)


def ptc_dir() -> Path:
    return common.data_dir() / "propaganda" / "ptc2020"


def read_ptc() -> tuple[dict[str, str], list[tuple[str, str, int, int]]]:
    """PTC-2020 train: article id -> text, and the technique spans ``(article id, technique, start, end)``."""
    root = ptc_dir()
    texts = {p.stem[len("article"):]: p.read_text(encoding="utf-8")
             for p in sorted((root / "train-articles").glob("article*.txt"))}
    spans = []
    for line in (root / "train-task2-TC.labels").read_text(encoding="utf-8").splitlines():
        if line.strip():
            aid, tech, s, e = line.split("\t")
            spans.append((aid, tech, int(s), int(e)))
    return texts, spans


def load_ptc(seed: int = common.SEED) -> PTC:
    """Read the articles and labels, segment with rhetorica, embed every sentence (cached)."""
    from ..text.segment import paragraphs, sentences

    texts, spans = read_ptc()
    ids = sorted(texts)
    sents: dict[str, list[tuple[int, int]]] = {}
    sent_row: dict[str, int] = {}
    all_texts: list[str] = []
    for aid in ids:
        t = texts[aid]
        sents[aid] = [(s.start, s.end) for s in sentences(t, paragraphs(t))]
        sent_row[aid] = len(all_texts)
        all_texts.extend(t[s:e] for s, e in sents[aid])
    emb = common.embed(all_texts)
    return PTC(ids, texts, sents, sent_row, emb, spans, ptc_split(ids, seed))


def ptc_split(ids: list[str], seed: int = common.SEED) -> dict[str, str]:
    """Article id -> "train" / "val" / "heldout": the split every PTC-trained model shares."""
    held = common.group_split(ids, HELDOUT_FRAC, seed)
    rest = [a for a, h in zip(ids, held) if not h]
    val = dict(zip(rest, common.group_split(rest, VAL_FRAC, seed + 1)))
    return {a: ("heldout" if h else ("val" if val[a] else "train")) for a, h in zip(ids, held)}


# ------------------------------------------------------------------------------------------------
# model
# ------------------------------------------------------------------------------------------------
def _features(span_texts, emb, kind: str) -> np.ndarray:
    from ..classifiers.features import FeatureInput, build_features

    inp = FeatureInput(texts=list(span_texts), embeddings=np.asarray(emb, dtype=np.float32))
    return build_features(FEATURE_SETS[kind], inp)


#: Candidate feature sets compared on validation (the shipped one is chosen there).
FEATURE_SETS = {
    "lexical": ["propaganda_span_shape", "propaganda_span_ngrams"],
    "embedding": ["propaganda_span_shape", "embedding"],
    "lexical+embedding": ["propaganda_span_shape", "propaganda_span_ngrams", "embedding"],
}


def fit_head(X: np.ndarray, y: np.ndarray, labels, C: float, seed: int, n_dense: int, ngram_weight: float = 1.0):
    """Multinomial logistic regression; dense columns standardised, hashed n-gram columns multiplied by
    ``ngram_weight`` (standardising sparse counts would blow rare n-grams up)."""
    from sklearn.linear_model import LogisticRegression

    from ..classifiers.heads import Head

    mean = np.zeros(X.shape[1], dtype=np.float64)
    scale = np.ones(X.shape[1], dtype=np.float64)
    dense = _dense_columns(X.shape[1], n_dense)
    mean[dense] = X[:, dense].mean(axis=0)
    scale[dense] = X[:, dense].std(axis=0) + 1e-6
    scale[~dense] = 1.0 / ngram_weight
    from scipy import sparse

    Z = sparse.csr_matrix(((X - mean) / scale).astype(np.float64))
    clf = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    clf.fit(Z, y)
    W = np.zeros((X.shape[1], len(labels)))
    b = np.full(len(labels), -30.0)
    for row, cls in enumerate(clf.classes_):
        W[:, cls] = clf.coef_[row]
        b[cls] = clf.intercept_[row]
    return Head(labels=list(labels), multi_label=False, mean=mean.astype(np.float32),
                scale=scale.astype(np.float32), layers=[(W.astype(np.float32), b.astype(np.float32))])


def _dense_columns(n_cols: int, n_dense: int) -> np.ndarray:
    """Dense columns are everything except the hashed n-gram block."""
    from ..classifiers.feats_propaganda import NGRAM_DIM

    cols = np.ones(n_cols, dtype=bool)
    if n_dense >= 0:  # n_dense < 0: no n-gram block in this feature set
        cols[n_dense:n_dense + NGRAM_DIM] = False
    return cols


def _ngram_offset(kind: str) -> int:
    """Column where the n-gram block starts in a feature set (-1 if absent)."""
    from ..classifiers.feats_propaganda import SHAPE_DIM

    return SHAPE_DIM if "propaganda_span_ngrams" in FEATURE_SETS[kind] else -1


def _accuracy(a, b) -> float:
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def evaluate(y, yhat, groups) -> dict:
    from sklearn.metrics import f1_score

    mi = _accuracy(y, yhat)
    ma = common.macro_f1(y, yhat)
    return {"micro_f1": mi, "micro_f1_ci": common.bootstrap_ci(_accuracy, y, yhat, groups=groups),
            "macro_f1": ma, "macro_f1_ci": common.bootstrap_ci(common.macro_f1, y, yhat, groups=groups),
            "per_class_f1": dict(zip(TECHNIQUES, f1_score(y, yhat, labels=range(len(TECHNIQUES)),
                                                          average=None, zero_division=0).round(3).tolist())),
            "n": int(len(y))}


def _embedding_lr(X: np.ndarray, y: np.ndarray, C: float, seed: int):
    """The baseline: standardised frozen embedding -> multinomial logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=3000, random_state=seed)).fit(X, y)


def main(seed: int = common.SEED) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    t0 = time.time()
    ptc = load_ptc(seed)
    lab = {t: k for k, t in enumerate(TECHNIQUES)}
    rows = [(a, t, s, e) for a, t, s, e in ptc.spans if e > s]
    span_txt = [ptc.texts[a][s:e] for a, _, s, e in rows]
    y = np.array([lab[t] for _, t, _, _ in rows])
    groups = np.array([a for a, _, _, _ in rows])
    part = np.array([ptc.split[a] for a in groups])
    sent_emb = np.vstack([ptc.span_embedding(a, s, e) for a, _, s, e in rows])
    own_emb = common.embed(span_txt)  # the span's own embedding: what predict_proba(texts) computes
    pool, ho = part != "heldout", part == "heldout"
    pool_idx = np.flatnonzero(pool)
    fold = common.group_folds(groups[pool], N_FOLDS, seed)
    print(f"spans: pool {pool.sum()} ({len(set(groups[pool]))} articles), heldout {ho.sum()} "
          f"({len(set(groups[ho]))} articles)")

    # --- selection: grouped cross-validation on the pool ---------------------------------------
    def oof(fit_predict) -> tuple[np.ndarray, np.ndarray]:
        """Out-of-fold argmax on both paths: (span's own embedding, containing sentence's embedding)."""
        p_own, p_sent = np.zeros(pool.sum(), int), np.zeros(pool.sum(), int)
        for f in range(N_FOLDS):
            tr, te = pool_idx[fold != f], pool_idx[fold == f]
            p_own[fold == f], p_sent[fold == f] = fit_predict(tr, te)
        return p_own, p_sent

    yp, gp = y[pool], groups[pool]
    feats = {kind: (_features(span_txt, own_emb, kind), _features(span_txt, sent_emb, kind))
             for kind in {k for k, _, _ in GRID}}
    cv: dict[tuple, dict] = {}
    for kind, C, w in GRID:
        Xo, Xs = feats[kind]

        def fit_predict(tr, te, Xo=Xo, Xs=Xs, kind=kind, C=C, w=w):
            h = fit_head(np.vstack([Xo[tr], Xs[tr]]), np.concatenate([y[tr], y[tr]]), TECHNIQUES, C, seed,
                         _ngram_offset(kind), w)
            return h.predict_proba(Xo[te]).argmax(1), h.predict_proba(Xs[te]).argmax(1)

        p_own, p_sent = oof(fit_predict)
        cv[(kind, C, w)] = {"micro_f1": _accuracy(yp, p_own), "macro_f1": common.macro_f1(yp, p_own),
                            "analyzer_micro_f1": _accuracy(yp, p_sent), "pred": p_own}
        print(f"  cv {kind:18s} C={C:<6} w={w:<5} predict_proba(texts) micro {cv[(kind, C, w)]['micro_f1']:.4f} "
              f"macro {cv[(kind, C, w)]['macro_f1']:.4f}; analyzer micro {cv[(kind, C, w)]['analyzer_micro_f1']:.4f} "
              f"({time.time() - t0:.0f} s)", flush=True)
    base_cv = {}
    for C in BASELINE_C:
        def fit_predict(tr, te, C=C):
            p = _embedding_lr(own_emb[tr], y[tr], C, seed).predict(own_emb[te])
            return p, p

        p, _ = oof(fit_predict)
        base_cv[C] = {"micro_f1": _accuracy(yp, p), "macro_f1": common.macro_f1(yp, p), "pred": p}
        print(f"  cv baseline embedding LR C={C}: micro {base_cv[C]['micro_f1']:.4f}", flush=True)
    # chosen on the public path (predict_proba(texts)); macro-F1 breaks ties
    kind, C, w = max(cv, key=lambda k: (round(cv[k]["micro_f1"], 4), cv[k]["macro_f1"]))
    base_C = max(base_cv, key=lambda c: (round(base_cv[c]["micro_f1"], 4), base_cv[c]["macro_f1"]))
    cv_gain = common.paired_bootstrap_ci(_accuracy, yp, cv[(kind, C, w)]["pred"], base_cv[base_C]["pred"],
                                         groups=gp)
    print(f"chosen: {kind}, C={C}, n-gram weight={w}; baseline C={base_C}; "
          f"cv gain {cv_gain[0]:+.4f} [{cv_gain[1]:+.4f}, {cv_gain[2]:+.4f}]")

    # --- final fit on the pool; the one look at the held-out articles ----------------------------
    Xo, Xs = feats[kind]
    # Fitted on both embeddings of each span, so the head serves both call paths.
    head = fit_head(np.vstack([Xo[pool], Xs[pool]]), np.concatenate([y[pool], y[pool]]), TECHNIQUES, C, seed,
                    _ngram_offset(kind), w)
    P_own, P_sent = head.predict_proba(Xo[ho]), head.predict_proba(Xs[ho])
    gh = groups[ho]
    p_base = _embedding_lr(own_emb[pool], y[pool], base_C, seed).predict(own_emb[ho])
    maj = np.bincount(y[pool]).argmax()
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    Xt = tfidf.fit_transform([span_txt[i] for i in pool_idx])
    lr = LogisticRegression(C=10.0, max_iter=3000, random_state=seed).fit(Xt, y[pool])
    p_tfidf = lr.predict(tfidf.transform([span_txt[i] for i in np.flatnonzero(ho)]))
    calib = {"brier": common.brier(y[ho], P_own), "ece": common.ece_top_label(y[ho], P_own),
             "mean_confidence": float(P_own.max(1).mean()), "accuracy": float((P_own.argmax(1) == y[ho]).mean())}
    metrics = {
        "heldout_predict_proba_path": evaluate(y[ho], P_own.argmax(1), gh),
        "heldout": evaluate(y[ho], P_sent.argmax(1), gh),
        "baseline_embedding_lr": evaluate(y[ho], p_base, gh),
        "baseline_tfidf_lr": evaluate(y[ho], p_tfidf, gh),
        "baseline_majority": evaluate(y[ho], np.full(ho.sum(), maj), gh),
        "heldout_gain_over_embedding_lr": common.paired_bootstrap_ci(_accuracy, y[ho], P_own.argmax(1), p_base,
                                                                     groups=gh),
        "calibration": calib,
        "cv": {f"{k[0]} / C={k[1]} / n-gram weight {k[2]}": {m: v[m] for m in ("micro_f1", "macro_f1",
                                                                                "analyzer_micro_f1")}
               for k, v in cv.items()},
        "cv_baseline": {f"C={c}": {m: v[m] for m in ("micro_f1", "macro_f1")} for c, v in base_cv.items()},
        "cv_gain_over_embedding_lr": cv_gain,
        "chosen": {"features": FEATURE_SETS[kind], "C": C, "ngram_weight": w, "baseline_C": base_C},
        "counts": {"pool_spans": int(pool.sum()), "pool_articles": int(len(set(groups[pool]))),
                   "heldout_spans": int(ho.sum()), "heldout_articles": int(len(set(gh)))},
    }
    _print_metrics(metrics)
    card = {"data": "PTC-2020 (SemEval-2020 Task 11) train articles, technique-classification labels",
            "licence": "PTC: research corpus, no licence stated",
            "task": "technique of a given span (14 classes, softmax)",
            "heldout_micro_f1": round(metrics["heldout"]["micro_f1"], 3),
            "heldout_macro_f1": round(metrics["heldout"]["macro_f1"], 3),
            "heldout_predict_micro_f1": round(metrics["heldout_predict_proba_path"]["micro_f1"], 3),
            "cv_predict_micro_f1": round(cv[(kind, C, w)]["micro_f1"], 4),
            "anchor_micro_f1_semeval2020_test": ANCHOR_MICRO_F1,
            "card": "models/propaganda_technique/MODEL_CARD.md"}
    meta = {"features": FEATURE_SETS[kind], "card": card, "metrics": _jsonable(metrics)}
    common.save_model(NAME, head, meta, _card_md(metrics, kind, C, w))
    print(f"saved {NAME} in {time.time() - t0:.0f}s")
    return metrics


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.floating, float)):
        return round(float(x), 4)
    if isinstance(x, np.integer):
        return int(x)
    return x


def _fmt(m: dict, key: str) -> str:
    lo, hi = m[f"{key}_ci"]
    return f"{m[key]:.3f} [{lo:.3f}, {hi:.3f}]"


_HELDOUT_ROWS = (
    ("heldout_predict_proba_path", "**shipped head**, `predict_proba(texts)`: span text + the span's own embedding"),
    ("heldout", "shipped head inside `analyze()`: span text + its sentence's embedding from the shared pass"),
    ("baseline_embedding_lr", "baseline: logistic regression on the span's frozen embedding"),
    ("baseline_tfidf_lr", "baseline: TF-IDF (1-2 grams) + logistic regression on the span text"),
    ("baseline_majority", "baseline: majority class (Loaded_Language)"),
)


def _print_metrics(m: dict) -> None:
    for k, _ in _HELDOUT_ROWS:
        print(f"{k:34s} micro-F1 {_fmt(m[k], 'micro_f1')}  macro-F1 {_fmt(m[k], 'macro_f1')}")
    g = m["heldout_gain_over_embedding_lr"]
    print(f"held-out gain over the embedding baseline: {g[0]:+.4f} [{g[1]:+.4f}, {g[2]:+.4f}]")
    print("per-class F1 (shipped, held-out):", json.dumps(m["heldout_predict_proba_path"]["per_class_f1"]))
    print("calibration:", m["calibration"])


def _vs(value: float, target: float) -> str:
    gap = (value - target) * 100
    return f"{'meets it' if gap >= 0 else 'under it'} ({gap:+.1f} points)"


def _card_md(m: dict, kind: str, C: float, w: float) -> str:
    table = "\n".join(f"| {name} | {_fmt(m[k], 'micro_f1')} | {_fmt(m[k], 'macro_f1')} |" for k, name in _HELDOUT_ROWS)
    ship = m["heldout_predict_proba_path"]
    per = "\n".join(f"| {t} | {f:.3f} | {m['heldout']['per_class_f1'][t]:.3f} | "
                    f"{m['baseline_embedding_lr']['per_class_f1'][t]:.3f} |"
                    for t, f in ship["per_class_f1"].items())
    chosen = f"{kind} / C={C} / n-gram weight {w}"
    cvrows = "\n".join(f"| {k}{' (**chosen**)' if k == chosen else ''} | {v['micro_f1']:.3f} | {v['macro_f1']:.3f} | "
                       f"{v['analyzer_micro_f1']:.3f} |" for k, v in m["cv"].items())
    bC = m["chosen"]["baseline_C"]
    cvrows += "\n" + "\n".join(f"| baseline: logistic regression on the span's frozen embedding, {k}"
                                f"{' (chosen)' if k == f'C={bC}' else ''} | {v['micro_f1']:.3f} | {v['macro_f1']:.3f} | – |"
                                for k, v in m["cv_baseline"].items())
    cg, hg = m["cv_gain_over_embedding_lr"], m["heldout_gain_over_embedding_lr"]
    c = m["counts"]
    return f"""# propaganda_technique

Which of the 14 PTC-2020 propaganda techniques a given span of text uses (softmax over the
technique names exactly as in the PTC label files).  Technique *classification given the
span*, as in SemEval-2020 Task 11 subtask TC: the span is located elsewhere (by the
`loaded_language` locator inside `analyze()`, or by the caller).

```python
from rhetorica.classifiers import load_classifier
clf = load_classifier("propaganda_technique")
clf.predict_proba(["a bunch of lunatics"])   # (1, 14), rows sum to 1
```

## Training data and licence
- SemEval-2020 Task 11 Propaganda Techniques Corpus (PTC-2020), the 371 *train* articles and their
  6,129 technique spans (`propaganda/ptc2020`). **Licence: research corpus, no licence stated** —
  treat this model as for research use.
- The official dev/test gold labels are not in the data, so the articles were split **by article**
  (seed {common.SEED}), the split every PTC-trained rhetorica model shares: {int(round(HELDOUT_FRAC * 100))}% held out
  ({c['heldout_spans']} spans from {c['heldout_articles']} articles), the rest the training pool ({c['pool_spans']} spans from
  {c['pool_articles']} articles).  Every setting was chosen by {N_FOLDS}-fold cross-validation on the pool, grouped by
  article; the final head is fitted on the whole pool.

Rebuild exactly: `python -m rhetorica.training propaganda_technique` (reads `$RHETORICA_DATA` or `../shared/data`).

## Features and model
`{' + '.join(m['chosen']['features'])}` → multinomial logistic regression (C={C}, n-gram block weight {w}; chosen in cross-validation).
- `propaganda_span_ngrams`: word 1–2-grams and character 2–4-grams (within whitespace chunks) of the lower-cased span
  text, hashed by rhetorica's one n-gram hasher (`rhetorica.text.words.hash_ngrams`: CRC-32, no vocabulary to
  ship), each block L2-normalised.
- `propaganda_span_shape`: log length in words/characters, share of capitals, `!`/`?`/quote marks,
  whether the span is a whole sentence.
- `embedding`: for `predict_proba(texts)` each text is its own sentence, so it is the text's own embedding;
  inside `analyze()` it is the **containing sentence's** embedding from the one shared encoder pass.  The head
  is fitted on both versions of every training span so that it serves both call paths.  The settings are
  chosen on the `predict_proba(texts)` path, the one a caller scoring spans uses; inside `analyze()` the head only
  decides between loaded language and name calling for the locator's phrases (precision in
  `models/loaded_language/MODEL_CARD.md`).

## Selection: {N_FOLDS}-fold cross-validation on the pool, grouped by article
Out-of-fold micro-F1 (= accuracy for this single-label task) and macro-F1 of `predict_proba(texts)`, and the
micro-F1 of the same heads on the `analyze()` path.  The highest `predict_proba(texts)` micro-F1 was kept.

| features / C / n-gram weight | micro-F1 | macro-F1 | micro-F1, `analyze()` path |
|---|---|---|---|
{cvrows}

Gain of the chosen head over the chosen baseline, out of fold, paired bootstrap over articles:
**{cg[0]:+.3f} [{cg[1]:+.3f}, {cg[2]:+.3f}]** micro-F1.

## Held-out: {c['heldout_articles']} PTC articles ({c['heldout_spans']} gold spans)
95% bootstrap intervals over articles.  Nothing was chosen on these articles.  Reads of this split by this head: the
first release and its retrain on the shared n-gram hasher (both chose on a validation split, not here), the int8
validation, and this release's look after the cross-validated choice above (printed twice, identically: a second run
added the grid's corner settings, C 0.001 and weight 3, which lost in cross-validation and changed no choice), and one
read for a retrain that offered the encoder's lower layers, not shipped (see "Against the targets").

| model | micro-F1 | macro-F1 |
|---|---|---|
{table}

Gain of the shipped head (`predict_proba(texts)`) over the embedding baseline, paired bootstrap over articles:
**{hg[0]:+.3f} [{hg[1]:+.3f}, {hg[2]:+.3f}]** micro-F1.

**Published anchor:** the best SemEval-2020 Task 11 TC systems reach micro-F1 ≈ {ANCHOR_MICRO_F1} on the official
test set (large RoBERTa ensembles fine-tuned on span + context).  Our held-out split is not that test set,
so the numbers are indicative only; this head is a CPU-speed linear model over a frozen MiniLM
embedding and hashed n-grams.

**Against the targets** (micro-F1 ≥ {TARGET_MICRO_F1:.2f}, and at least 3 points above the frozen-embedding baseline on the
same split): held-out {ship['micro_f1']:.3f}, {_vs(ship['micro_f1'], TARGET_MICRO_F1)}; out of fold {m['cv'][chosen]['micro_f1']:.3f},
{_vs(m['cv'][chosen]['micro_f1'], TARGET_MICRO_F1)}.  The gain over a frozen-embedding baseline whose C is chosen in the same
cross-validation is {hg[0]:+.3f} on held-out and {cg[0]:+.3f} out of fold: **short of 3 points on both**.
The previous release scored {OLD_RELEASE['predict']:.3f} held-out on this path ({OLD_RELEASE['analyze']:.3f} inside `analyze()`); what changed is
the selection: regularisation and n-gram weight are now chosen by cross-validation, on the path callers use.  Over a
well-regularised embedding model the n-grams and shape cues add little. Given MiniLM's layers 6, 4 and 2 of the same
pass in place of the last layer's vector (`benchmarks/RESULTS_layer_probe.md`, out of fold, this head's C and n-gram
weight, trained on the span's own vector), the head scores 0.609 against 0.584, +0.025 [+0.015, +0.035], and its
margin over the embedding baseline given the same vector is +0.023 [+0.012, +0.037]. Built into the encoder on a
branch and offered to this head's cross-validation (three more candidates, C 0.001 / 0.003 / 0.01 at weight 10, not in
the table above), the lower layers were chosen: out of fold 0.591 against 0.571; held out 0.600 against 0.599 through
`predict_proba(texts)` (paired +0.001 [−0.018, +0.017]) and 0.543 against 0.560 inside `analyze()` (−0.016 [−0.034,
−0.001]; one more read of the held-out articles). Under the 3-point bar set for an encoder change, so not shipped.

### Per-class F1 (held-out)

| technique | shipped, `predict_proba(texts)` | shipped, `analyze()` path | embedding baseline |
|---|---|---|---|
{per}

Repetition is judged from the span alone here; the head cannot see that the phrase recurs in the
article, so it is weak on it.  Rare classes (Thought-terminating clichés, Bandwagon/Reductio,
Whataboutism) have few training spans and low, wide-CI F1.

### Calibration (held-out, `predict_proba(texts)`)
Brier score (multi-class, sum over classes) {m['calibration']['brier']:.3f}; expected calibration error of
the top-label confidence {m['calibration']['ece']:.3f} (10 bins): the mean top-label probability is
{m['calibration']['mean_confidence']:.3f} against an accuracy of {m['calibration']['accuracy']:.3f}.  Read the
probabilities as a ranking, not as frequencies.

## Thresholds
None in the model: it is a softmax, and `predict` is its argmax.  The `propaganda` detector labels a located
phrase `name_calling` when Name_Calling,Labeling gets at least 0.5 and more than Loaded_Language (a fixed rule,
`NAME_CALLING_MIN_PROB`; see `models/loaded_language/MODEL_CARD.md`).

## Intended use and limits
- Labelling spans that are already believed to be propagandistic.  It has no "not propaganda"
  class: given an ordinary phrase it still returns a distribution over the 14 techniques.
- English news/opinion articles of the PTC kind (2017–2019, partisan and mainstream sites).
- Techniques that depend on the whole article (Repetition, Whataboutism, Straw men) or on facts
  (Causal oversimplification) are beyond a span-level linear head.
"""


if __name__ == "__main__":
    main()
