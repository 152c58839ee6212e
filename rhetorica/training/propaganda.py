"""Train ``propaganda_technique``: which of the 14 PTC-2020 techniques a given span uses.

Data: SemEval-2020 Task 11 PTC (``propaganda/ptc2020``): 371 train articles with
character spans in 14 techniques.  The gold test and dev labels are not in the data
folder, so the articles are split here, by article, into

* ``train`` (fit), ``val`` (choose features and the regularisation strength), and
* ``heldout`` (20% of the articles, never looked at while tuning; the card reports it).

Features (:mod:`rhetorica.classifiers.feats_propaganda`): hashed word and character
n-grams of the span text, a few shape cues, and the embedding of the sentence that
contains the span.  The sentence embedding is what the Analyzer's single encoder pass
provides; the card also reports the same head with the span's own embedding (which
would need a second encoder pass) to show what the single-pass constraint costs.

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
#: Share of articles held out for the reported figures, and share of the rest used for tuning.
HELDOUT_FRAC = 0.2
VAL_FRAC = 0.2
#: Settings compared on validation: (feature set, embedding, C, n-gram weight).  The hashed n-gram block
#: is L2-normalised per span, so it is multiplied by the weight instead of standardised; a first sweep
#: on validation (C in 0.01..10, weights 1..30) showed the lexical-only head wants C >= 3 and the
#: combined head a weight of about 30 at C = 0.01, so the grid brackets those.
GRID = (
    ("lexical", "sentence", 3.0, 1.0),
    ("embedding", "sentence", 0.01, 1.0),
    ("embedding", "span", 0.01, 1.0),
    ("lexical+embedding", "sentence", 0.01, 30.0),
    ("lexical+embedding", "sentence", 0.01, 100.0),
    ("lexical+embedding", "span", 0.01, 30.0),
)
#: Anchor: best SemEval-2020 Task 11 TC micro-F1 on the official test set (RoBERTa ensembles).
ANCHOR_MICRO_F1 = 0.62


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
    own_emb = common.embed(span_txt)  # the span's own embedding: only for the comparison
    tr, va, ho = part == "train", part == "val", part == "heldout"
    print(f"spans: train {tr.sum()}, val {va.sum()}, heldout {ho.sum()} "
          f"(articles {sum(v == 'train' for v in ptc.split.values())}/"
          f"{sum(v == 'val' for v in ptc.split.values())}/{sum(v == 'heldout' for v in ptc.split.values())})")

    # --- model selection on validation --------------------------------------------------------
    results = {}
    for kind, emb_name, C, w in GRID:
        X = _features(span_txt, sent_emb if emb_name == "sentence" else own_emb, kind)
        head = fit_head(X[tr], y[tr], TECHNIQUES, C, seed, _ngram_offset(kind), w)
        pv = head.predict_proba(X[va]).argmax(1)
        results[(kind, emb_name, C, w)] = (_accuracy(y[va], pv), common.macro_f1(y[va], pv))
        print(f"  val {kind:18s} {emb_name:8s} C={C:<5} w={w:<5} micro {results[(kind, emb_name, C, w)][0]:.3f} "
              f"macro {results[(kind, emb_name, C, w)][1]:.3f}", flush=True)
    # The shipped head must use the sentence embedding (single encoder pass); macro-F1 breaks ties.
    best = max((k for k in results if k[1] == "sentence"), key=lambda k: results[k])
    kind, _, C, w = best
    span_alt = [k for k in results if k[1] == "span" and k[0] == kind]
    best_span = max(span_alt, key=lambda k: results[k]) if span_alt else (kind, "span", C, w)
    print(f"chosen: {kind}, C={C}, n-gram weight={w}")

    # --- final fit on train+val; report on the held-out articles ---------------------------------
    trv = tr | va
    X_sent = _features(span_txt, sent_emb, kind)
    X_own = _features(span_txt, own_emb, kind)
    # Train on both embeddings of each span, so the head serves both call paths: the Analyzer
    # (span text + sentence embedding) and predict_proba(texts) (the text is its own sentence).
    Xfit = np.vstack([X_sent[trv], X_own[trv]])
    yfit = np.concatenate([y[trv], y[trv]])
    head = fit_head(Xfit, yfit, TECHNIQUES, C, seed, _ngram_offset(kind), w)
    P_sent = head.predict_proba(X_sent[ho])
    P_own = head.predict_proba(X_own[ho])
    # the same choice trained on sentence embeddings only, and the span-embedding variant, for the card
    head_s = fit_head(X_sent[trv], y[trv], TECHNIQUES, C, seed, _ngram_offset(kind), w)
    head_o = fit_head(X_own[trv], y[trv], TECHNIQUES, best_span[2], seed, _ngram_offset(kind), best_span[3])
    m_ship = evaluate(y[ho], P_sent.argmax(1), groups[ho])
    m_ship_own = evaluate(y[ho], P_own.argmax(1), groups[ho])
    m_sent_only = evaluate(y[ho], head_s.predict_proba(X_sent[ho]).argmax(1), groups[ho])
    m_span_only = evaluate(y[ho], head_o.predict_proba(X_own[ho]).argmax(1), groups[ho])
    # baselines
    maj = np.bincount(y[trv]).argmax()
    m_major = evaluate(y[ho], np.full(ho.sum(), maj), groups[ho])
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    Xt = tfidf.fit_transform([span_txt[i] for i in np.flatnonzero(trv)])
    lr = LogisticRegression(C=10.0, max_iter=3000, random_state=seed).fit(Xt, y[trv])
    m_tfidf = evaluate(y[ho], lr.predict(tfidf.transform([span_txt[i] for i in np.flatnonzero(ho)])), groups[ho])
    calib = {"brier": common.brier(y[ho], P_sent), "ece": common.ece_top_label(y[ho], P_sent), "mean_confidence": float(P_sent.max(1).mean()),
             "accuracy": float((P_sent.argmax(1) == y[ho]).mean())}
    metrics = {
        "heldout": m_ship, "heldout_predict_proba_path": m_ship_own,
        "heldout_sentence_embedding_only": m_sent_only, "heldout_span_embedding_only": m_span_only,
        "baseline_majority": m_major, "baseline_tfidf_lr": m_tfidf, "calibration": calib,
        "validation": {f"{k[0]} / {k[1]} embedding / C={k[2]} / n-gram weight {k[3]}":
                       {"micro_f1": v[0], "macro_f1": v[1]} for k, v in results.items()},
        "chosen": {"features": FEATURE_SETS[kind], "C": C, "ngram_weight": w},
        "counts": {"train_val_spans": int(trv.sum()), "heldout_spans": int(ho.sum()),
                   "heldout_articles": int(len(set(groups[ho])))},
    }
    _print_metrics(metrics)
    card = {"data": "PTC-2020 (SemEval-2020 Task 11) train articles, technique-classification labels",
            "licence": "PTC: research corpus, no licence stated",
            "task": "technique of a given span (14 classes, softmax)",
            "heldout_micro_f1": round(m_ship["micro_f1"], 3), "heldout_macro_f1": round(m_ship["macro_f1"], 3),
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


def _print_metrics(m: dict) -> None:
    for k in ("heldout", "heldout_predict_proba_path", "heldout_sentence_embedding_only",
              "heldout_span_embedding_only", "baseline_majority", "baseline_tfidf_lr"):
        print(f"{k:34s} micro-F1 {_fmt(m[k], 'micro_f1')}  macro-F1 {_fmt(m[k], 'macro_f1')}")
    print("per-class F1 (shipped, held-out):", json.dumps(m["heldout"]["per_class_f1"]))
    print("calibration:", m["calibration"])


def _card_md(m: dict, kind: str, C: float, w: float) -> str:
    rows = [
        ("**shipped head**, span text + containing-sentence embedding (Analyzer path)", m["heldout"]),
        ("shipped head, span text + the span's own embedding (`predict_proba(texts)` path)",
         m["heldout_predict_proba_path"]),
        ("same features, trained on sentence embeddings only", m["heldout_sentence_embedding_only"]),
        ("same features, trained and tested on the span's own embedding (needs a 2nd encoder pass)",
         m["heldout_span_embedding_only"]),
        ("baseline: majority class (Loaded_Language)", m["baseline_majority"]),
        ("baseline: TF-IDF (1-2 grams) + logistic regression on the span text", m["baseline_tfidf_lr"]),
    ]
    table = "\n".join(f"| {name} | {_fmt(v, 'micro_f1')} | {_fmt(v, 'macro_f1')} |" for name, v in rows)
    per = "\n".join(f"| {t} | {f:.3f} | {m['baseline_tfidf_lr']['per_class_f1'][t]:.3f} |"
                    for t, f in m["heldout"]["per_class_f1"].items())
    val = "\n".join(f"| {k} | {v['micro_f1']:.3f} | {v['macro_f1']:.3f} |" for k, v in m["validation"].items())
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
  (seed {common.SEED}): {int(round(HELDOUT_FRAC * 100))}% held out (never used while tuning; all figures below),
  and {int(round(VAL_FRAC * 100))}% of the rest as validation for choosing features and `C`.
  Final fit: train + validation ({c['train_val_spans']} spans); held-out: {c['heldout_spans']} spans from
  {c['heldout_articles']} articles.

Rebuild exactly: `python -m rhetorica.training propaganda_technique` (reads `$RHETORICA_DATA` or `../shared/data`).

## Features and model
`{' + '.join(m['chosen']['features'])}` → multinomial logistic regression (C={C}, n-gram block weight {w}; chosen on validation).
- `propaganda_span_ngrams`: word 1–2-grams and character 2–4-grams (within whitespace chunks) of the lower-cased span
  text, hashed by rhetorica's one n-gram hasher (`rhetorica.text.words.hash_ngrams`: CRC-32, no vocabulary to
  ship), each block L2-normalised.
- `propaganda_span_shape`: log length in words/characters, share of capitals, `!`/`?`/quote marks,
  whether the span is a whole sentence.
- `embedding`: inside `analyze()` the **containing sentence's** embedding from the one shared encoder
  pass; for `predict_proba(texts)` each text is its own sentence, so it is the text's own embedding.
  The head was fitted on both versions of every training span so that it serves both call paths.

## Held-out results (micro-F1 = accuracy for this single-label task; 95% bootstrap CIs over articles)

| model | micro-F1 | macro-F1 |
|---|---|---|
{table}

**Published anchor:** the best SemEval-2020 Task 11 TC systems reach micro-F1 ≈ {ANCHOR_MICRO_F1} on the official
test set (large RoBERTa ensembles fine-tuned on span + context).  Our held-out split is not that test set,
so the numbers are indicative only; this head is a CPU-speed linear model over a MiniLM sentence
embedding and hashed n-grams.

**What the single-pass constraint costs:** compare the first row (containing-sentence embedding, what
`analyze()` can afford) with the fourth (the span's own embedding, which would need a second encoder
pass over every located span): {m['heldout']['micro_f1'] - m['heldout_span_embedding_only']['micro_f1']:+.3f} micro-F1,
{m['heldout']['macro_f1'] - m['heldout_span_embedding_only']['macro_f1']:+.3f} macro-F1 (the CIs overlap).  On validation the gap
was larger for the embedding alone (span vs sentence embedding without n-grams); the hashed n-grams of
the span text recover most of it.

### Per-class F1 (held-out, shipped head vs TF-IDF baseline)

| technique | shipped | TF-IDF+LR |
|---|---|---|
{per}

Repetition is judged from the span alone here; the head cannot see that the phrase recurs in the
article, so it is weak on it.  Rare classes (Thought-terminating clichés, Bandwagon/Reductio,
Whataboutism) have few training spans and low, wide-CI F1.

### Calibration (held-out, Analyzer path)
Brier score (multi-class, sum over classes) {m['calibration']['brier']:.3f}; expected calibration error of
the top-label confidence {m['calibration']['ece']:.3f} (10 bins): the mean top-label probability is
{m['calibration']['mean_confidence']:.3f} against an accuracy of {m['calibration']['accuracy']:.3f}, so the head is
**over-confident** on new articles; read its probabilities as a ranking, not as frequencies.

### Validation (used for the choice; train split only for fitting)

| features / embedding / C / n-gram weight | micro-F1 | macro-F1 |
|---|---|---|
{val}

## Thresholds
None in the model: it is a softmax.  The `propaganda` detector labels a located span with a technique
other than loaded language only when that technique's probability passes the threshold stated in
`models/loaded_language/MODEL_CARD.md`.

## Intended use and limits
- Labelling spans that are already believed to be propagandistic.  It has no "not propaganda"
  class: given an ordinary phrase it still returns a distribution over the 14 techniques.
- English news/opinion articles of the PTC kind (2017–2019, partisan and mainstream sites).
- Techniques that depend on the whole article (Repetition, Whataboutism, Straw men) or on facts
  (Causal oversimplification) are beyond a span-level linear head.
"""


if __name__ == "__main__":
    main()
