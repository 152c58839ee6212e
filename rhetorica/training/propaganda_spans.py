"""Train ``loaded_language``: which words of a sentence are loaded language (or name calling).

No token-level transformer runs in ``analyze()``, so spans are located from a lexicon:

1. **Lexicon** (``models/loaded_language/lexicon.json``): every word that is a PTC-2020
   Loaded_Language / Name_Calling word in the training articles, a BABE biased word or
   bias-lexicon entry, a word of a BASIL lexical-bias span, a strong subjective clue, a
   Liu opinion word or an NPOV bias word, a VADER / AFINN word with |valence| >= 2 —
   with per-term statistics: how often it occurs in the PTC training articles and how often
   it lies inside a gold Loaded_Language / Name_Calling / any-technique span.
2. **Candidates**: the words of a sentence found in the lexicon.
3. **Head**: logistic regression over [term statistics and lexicon flags, the sentence's
   shared embedding] -> P(the word is inside a gold Loaded_Language or Name_Calling span).
   For training rows the PTC statistics leave the row's own article out, so the head
   never sees a word's statistics computed from its own label.
4. Words over the threshold merge into phrases; ``propaganda_technique`` then says
   whether a phrase is name calling or loaded language.

Split (by article, shared with ``propaganda_technique``): the pool (train + val articles), where the
embedding block, C and the threshold are chosen by 5-fold cross-validation grouped by article (each fold's
lexicon statistics from the other folds only), and heldout (reported).  Run ``python -m rhetorica.training loaded_language`` after ``propaganda_technique``
(its held-out evaluation of the phrase labels uses that model).
"""
from __future__ import annotations

import ast
import csv
import json
import time
from collections import Counter, defaultdict

import numpy as np

from . import common
from .propaganda import _fmt, _jsonable, load_ptc

NAME = "loaded_language"
#: Techniques the locator looks for (word/phrase-level ones).
TARGETS = ("Loaded_Language", "Name_Calling,Labeling")
#: VADER / AFINN words at or above this |valence| join the lexicon (VADER's scale is -4..4, AFINN's -5..5;
#: the cuts keep strongly polar words and drop everyday ones like "like", "help"), and the VADER-polar
#: baseline uses the same cut.
VADER_POLAR = 2.0
AFINN_POLAR = 3
#: A PTC word enters the lexicon when it lies inside a target span at least this often in training.
MIN_PTC_HITS = 1
#: Precision target for the shipped threshold (span overlap with a gold Loaded_Language or Name_Calling
#: span, measured out of fold on the pool's articles).  PTC annotators marked only the clearest instances, so
#: precision against PTC gold understates real precision; 0.5 keeps the counter meaningful.
PRECISION_TARGET = 0.5
#: Inverse L2 strengths tried in cross-validation.
C_GRID = (0.01, 0.1, 1.0)
#: Folds of the grouped cross-validation over the pool (the train and val articles of the shared split).
N_FOLDS = 5
#: Held-out figures of the previous release (chosen on a validation split), for the card's comparison.
PREVIOUS_RELEASE = {"C": 0.01, "threshold": 0.40, "validation_precision": 0.506, "validation_articles": 59,
                    "precision": 0.605, "recall": 0.196, "f1": 0.296, "spans": 220}


# ------------------------------------------------------------------------------------------------
# external lexicons
# ------------------------------------------------------------------------------------------------
def _words_of(s: str) -> list[str]:
    from ..classifiers.feats_propaganda import normalise_term
    from ..text.words import WORD

    return [normalise_term(m.group()) for m in WORD.finditer(s)]


def _read_list(path) -> set[str]:
    out = set()
    for line in path.read_text(encoding="latin-1").splitlines():
        line = line.strip()
        if line and not line.startswith(";"):
            out.add(line.lower())
    return out


def external_lexicons() -> dict[str, dict[str, float]]:
    """Field -> {term: value} from BABE, BASIL, Recasens NPOV, VADER, AFINN."""
    d = common.data_dir()
    lex: dict[str, dict[str, float]] = {}
    babe = d / "bias" / "babe"
    lex["babe_lexicon"] = {w: 1.0 for w in _read_list(babe / "bias_word_lexicon.csv") if w != "word"}
    words: Counter = Counter()
    for f in ("final_labels_SG1.csv", "final_labels_SG2_train.csv", "final_labels_MBIC.csv"):
        with open(babe / f, encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter=";"):
                try:
                    for w in ast.literal_eval(row.get("biased_words") or "[]"):
                        words.update(_words_of(str(w)))
                except (ValueError, SyntaxError):
                    continue
    lex["babe_words"] = dict(words)
    basil: Counter = Counter()
    with open(d / "bias" / "basil" / "009-Basil.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["bias_type"] == "lex" and len(row["pos"].split()) <= 6:
                basil.update(_words_of(row["pos"]))
    lex["basil_lex"] = dict(basil)
    npov = d / "lexicons" / "recasens_npov"
    for field, f in (("strong_subj", "strong_subjectives_riloff2003.txt"), ("weak_subj", "weak_subjectives_riloff2003.txt"),
                     ("liu_negative", "negative_liu2005.txt"), ("liu_positive", "positive_liu2005.txt"),
                     ("npov", "npov_lexicon.txt")):
        lex[field] = {w: 1.0 for w in _read_list(npov / f)}
    vader = {}
    for line in (d / "lexicons" / "sentiment" / "vader" / "vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            vader[parts[0].lower()] = float(parts[1])
    lex["vader"] = vader
    afinn = {}
    for line in (d / "lexicons" / "sentiment" / "afinn" / "AFINN-en-165.txt").read_text(encoding="utf-8").splitlines():
        w, _, v = line.rpartition("\t")
        if w and " " not in w:
            afinn[w.lower()] = float(v)
    lex["afinn"] = afinn
    return lex


def external_candidates(lex) -> set[str]:
    """Words an external lexicon marks as loaded enough to be a candidate."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    out = set(lex["babe_lexicon"]) | set(lex["babe_words"]) | set(lex["basil_lex"]) | set(lex["strong_subj"]) \
        | set(lex["liu_negative"]) | set(lex["liu_positive"]) | set(lex["npov"])
    out |= {w for w, v in lex["vader"].items() if abs(v) >= VADER_POLAR}
    out |= {w for w, v in lex["afinn"].items() if abs(v) >= AFINN_POLAR}
    return {w for w in out if len(w) > 1 and w not in ENGLISH_STOP_WORDS and w.replace("-", "").replace("'", "").isalpha()}


# ------------------------------------------------------------------------------------------------
# PTC word statistics
# ------------------------------------------------------------------------------------------------
def article_tokens(ptc, gold):
    """Per article: list of (sentence index, start, end, surface, key, in_ll, in_nc, in_any)."""
    from ..classifiers.feats_propaganda import normalise_term
    from ..text.words import WORD

    out = {}
    for aid in ptc.ids:
        text = ptc.texts[aid]
        marks = {t: np.zeros(len(text) + 1, dtype=bool) for t in ("ll", "nc", "any")}
        for tech, s, e in gold.get(aid, []):
            marks["any"][s:e] = True
            if tech == "Loaded_Language":
                marks["ll"][s:e] = True
            elif tech == "Name_Calling,Labeling":
                marks["nc"][s:e] = True
        toks = []
        for i, (ss, se) in enumerate(ptc.sentences[aid]):
            for m in WORD.finditer(text, ss, se):
                s, e = m.start(), m.end()
                toks.append((i, s, e, m.group(), normalise_term(m.group()),
                             bool(marks["ll"][s:e].any()), bool(marks["nc"][s:e].any()), bool(marks["any"][s:e].any())))
        out[aid] = toks
    return out


def count_terms(tokens, articles) -> dict[str, np.ndarray]:
    """term -> [n_occ, n_ll, n_nc, n_any] over the given articles."""
    c: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(4))
    for aid in articles:
        for _, _, _, _, key, ll, nc, an in tokens[aid]:
            c[key] += (1, ll, nc, an)
    return dict(c)


class TermTable:
    """Lexicon statistics over a set of training articles, with leave-one-article-out lookups."""

    def __init__(self, tokens, articles, ext, ext_cand):
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        self.tokens, self.ext, self.ext_cand = tokens, ext, ext_cand
        self.stop = ENGLISH_STOP_WORDS
        self.total = count_terms(tokens, articles)
        self.per_article = {a: count_terms(tokens, [a]) for a in articles}
        occ = sum(v[0] for v in self.total.values())
        self.priors = {"rate_ll": sum(v[1] for v in self.total.values()) / occ,
                       "rate_nc": sum(v[2] for v in self.total.values()) / occ,
                       "rate_any": sum(v[3] for v in self.total.values()) / occ}

    def counts(self, key, leave_out=None) -> np.ndarray:
        v = self.total.get(key, np.zeros(4)).copy()
        if leave_out is not None and leave_out in self.per_article:
            v -= self.per_article[leave_out].get(key, 0)
        return v

    def is_candidate(self, key, counts) -> bool:
        if len(key) < 2 or key in self.stop:
            return False
        return key in self.ext_cand or (counts[1] + counts[2]) >= MIN_PTC_HITS

    def row(self, key, counts) -> list[float]:
        e = self.ext
        return [*counts.tolist(), e["babe_lexicon"].get(key, 0.0), e["babe_words"].get(key, 0.0),
                e["basil_lex"].get(key, 0.0), e["strong_subj"].get(key, 0.0), e["weak_subj"].get(key, 0.0),
                e["liu_negative"].get(key, 0.0), e["liu_positive"].get(key, 0.0), e["npov"].get(key, 0.0),
                e["vader"].get(key, 0.0), e["afinn"].get(key, 0.0)]

    def lexicon(self) -> dict[str, list[float]]:
        keys = {k for k in self.total if self.is_candidate(k, self.total[k])} | \
            {k for k in self.ext_cand if k not in self.stop}
        return {k: [round(x, 3) for x in self.row(k, self.counts(k))] for k in sorted(keys)}


def candidate_rows(ptc, tokens, table: TermTable, articles, leave_one_out: bool):
    """Candidate words of the given articles: features, labels, where they are."""
    from ..classifiers.feats_propaganda import term_features

    words, stats, meta, y = [], [], [], []
    for aid in articles:
        for i, s, e, surf, key, ll, nc, _ in tokens[aid]:
            c = table.counts(key, aid if leave_one_out else None)
            if not table.is_candidate(key, c):
                continue
            words.append(surf)
            stats.append(table.row(key, c))
            meta.append((aid, i, s, e, key))
            y.append(int(ll or nc))
    T = term_features(words, stats, table.priors)
    E = np.vstack([ptc.sent_emb[ptc.sent_row[a] + i] for a, i, *_ in meta]) if meta else np.zeros((0, 384))
    return T, E.astype(np.float32), meta, np.array(y)


# ------------------------------------------------------------------------------------------------
# span evaluation
# ------------------------------------------------------------------------------------------------
def predicted_spans(ptc, meta, p, thr) -> dict[str, list[tuple[int, int, float]]]:
    from ..classifiers.feats_propaganda import merge_words

    by = defaultdict(list)
    for (aid, _, s, e, _), pi in zip(meta, p):
        if pi >= thr:
            by[aid].append((s, e, float(pi)))
    return {a: merge_words(ptc.texts[a], sorted(v)) for a, v in by.items()}


def span_counts(pred, gold, articles, techs) -> np.ndarray:
    """Per article: [pred matched (overlap), n_pred, gold matched (overlap), n_gold,
    pred matched (IoU>=0.5), gold matched (IoU>=0.5)]."""
    rows = []
    for aid in articles:
        g = [(s, e) for t, s, e in gold.get(aid, []) if t in techs]
        P = [(s, e) for s, e, _ in pred.get(aid, [])]

        def ov(a, b):
            return max(0, min(a[1], b[1]) - max(a[0], b[0]))

        def iou(a, b):
            inter = ov(a, b)
            return inter / (max(a[1], b[1]) - min(a[0], b[0])) if inter else 0.0

        rows.append([sum(any(ov(p, q) for q in g) for p in P), len(P), sum(any(ov(p, q) for p in P) for q in g),
                     len(g), sum(any(iou(p, q) >= 0.5 for q in g) for p in P),
                     sum(any(iou(p, q) >= 0.5 for p in P) for q in g)])
    return np.array(rows, dtype=float).reshape(-1, 6)


def _prf(C, exact=False):
    C = np.asarray(C).reshape(-1, 6).sum(axis=0)
    tp_p, n_p, tp_g, n_g = (C[4], C[1], C[5], C[3]) if exact else (C[0], C[1], C[2], C[3])
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "n_pred": int(n_p)}


def span_metrics(C, articles) -> dict:
    out = {}
    for name, exact in (("overlap", False), ("iou50", True)):
        m = _prf(C, exact)
        for k in ("precision", "recall", "f1"):
            m[f"{k}_ci"] = common.bootstrap_ci(lambda a, _b, k=k, exact=exact: _prf(a, exact)[k], C,
                                               np.zeros(len(C)), groups=np.asarray(articles), n=500)
        out[name] = m
    return out


# ------------------------------------------------------------------------------------------------
def fit_lr(T, E, y, C, seed, use_embedding=True):
    from sklearn.linear_model import LogisticRegression

    from ..classifiers.heads import Head

    X = np.hstack([T, E]) if use_embedding else T
    mean = X.mean(axis=0)
    scale = X.std(axis=0) + 1e-6
    clf = LogisticRegression(C=C, max_iter=3000, random_state=seed).fit((X - mean) / scale, y)
    W = np.column_stack([-clf.coef_[0] / 2, clf.coef_[0] / 2])
    b = np.array([-clf.intercept_[0] / 2, clf.intercept_[0] / 2])
    return Head(labels=["other", "loaded_language"], multi_label=False, mean=mean.astype(np.float32),
                scale=scale.astype(np.float32), layers=[(W.astype(np.float32), b.astype(np.float32))])


def threshold_for_precision(ptc, meta, p, gold, articles, target) -> float:
    """Lowest threshold whose span precision on ``articles`` (overlap, LL or NC gold) reaches ``target``."""
    best = None
    for thr in np.round(np.arange(0.05, 0.96, 0.01), 2):
        m = _prf(span_counts(predicted_spans(ptc, meta, p, thr), gold, articles, TARGETS))
        if m["precision"] >= target and m["n_pred"] >= 20:
            best = float(thr)
            break
    return best if best is not None else 0.95


def main(seed: int = common.SEED) -> dict:
    t0 = time.time()
    ptc = load_ptc(seed)
    gold = defaultdict(list)
    for aid, tech, s, e in ptc.spans:
        gold[aid].append((tech, s, e))
    tokens = article_tokens(ptc, gold)
    ext = external_lexicons()
    ext_cand = external_candidates(ext)
    arts = {k: [a for a in ptc.ids if ptc.split[a] == k] for k in ("train", "val", "heldout")}

    # --- tuning: grouped cross-validation on the pool (train + val articles) -------------------
    # Each fold's lexicon statistics come from the other folds' articles only, as the final model's come from the
    # pool alone; the threshold is the lowest whose out-of-fold span precision reaches the target.
    pool = arts["train"] + arts["val"]
    fold_of = dict(zip(pool, common.group_folds(pool, N_FOLDS, seed)))
    folds = []
    for f in range(N_FOLDS):
        fit_a, out_a = [a for a in pool if fold_of[a] != f], [a for a in pool if fold_of[a] == f]
        tab = TermTable(tokens, fit_a, ext, ext_cand)
        folds.append((candidate_rows(ptc, tokens, tab, fit_a, leave_one_out=True),
                      candidate_rows(ptc, tokens, tab, out_a, leave_one_out=False)))
    m_oof = [row for _, (_, _, mo, _) in folds for row in mo]
    y_oof = np.concatenate([yo for _, (_, _, _, yo) in folds])
    print(f"candidates out of fold: {len(y_oof)} ({y_oof.mean():.2f} positive), {len(pool)} articles, {N_FOLDS} folds")
    from sklearn.metrics import average_precision_score

    cv_results = {}
    for use_emb in (False, True):
        for C in C_GRID:
            p = np.concatenate([
                fit_lr(Tf_, Ef_, yf_, C, seed, use_emb).predict_proba(np.hstack([To, Eo]) if use_emb else To)[:, 1]
                for (Tf_, Ef_, _, yf_), (To, Eo, _, _) in folds])
            thr = threshold_for_precision(ptc, m_oof, p, gold, pool, PRECISION_TARGET)
            m = _prf(span_counts(predicted_spans(ptc, m_oof, p, thr), gold, pool, TARGETS))
            ap = average_precision_score(y_oof, p)
            cv_results[(use_emb, C)] = {"thr": thr, "word_ap": ap, **m}
            print(f"  cv emb={use_emb!s:5} C={C:<5} word-AP {ap:.3f}  thr {thr:.2f} -> span P {m['precision']:.3f} "
                  f"R {m['recall']:.3f} F1 {m['f1']:.3f}", flush=True)
    use_emb, C = max(cv_results, key=lambda k: (round(cv_results[k]["f1"], 4), cv_results[k]["word_ap"]))
    thr = cv_results[(use_emb, C)]["thr"]
    print(f"chosen: embedding={use_emb}, C={C}, threshold={thr}")

    # --- final: statistics and head from train+val; report on held-out articles ---------------
    fit_arts = arts["train"] + arts["val"]
    table = TermTable(tokens, fit_arts, ext, ext_cand)
    Tf, Ef, _, yf = candidate_rows(ptc, tokens, table, fit_arts, leave_one_out=True)
    head = fit_lr(Tf, Ef, yf, C, seed, use_emb)
    Tho, Eho, mho, yho = candidate_rows(ptc, tokens, table, arts["heldout"], leave_one_out=False)
    p_ho = head.predict_proba(np.hstack([Tho, Eho]) if use_emb else Tho)[:, 1]
    ho = arts["heldout"]

    def report(pred):
        return {"ll_or_nc": span_metrics(span_counts(pred, gold, ho, TARGETS), ho),
                "loaded_language_only": span_metrics(span_counts(pred, gold, ho, ("Loaded_Language",)), ho)}

    res = {"shipped": report(predicted_spans(ptc, mho, p_ho, thr))}
    # baselines on the same candidates
    from ..classifiers.feats_propaganda import TERM_FEATURE_NAMES

    rate_col = TERM_FEATURE_NAMES.index("rate_llnc")
    res["lexicon_all_candidates"] = report(predicted_spans(ptc, mho, np.ones(len(mho)), 0.5))
    res["lexicon_ptc_words_only"] = report(predicted_spans(
        ptc, mho, np.array([float(table.total.get(k, np.zeros(4))[1:3].sum() >= MIN_PTC_HITS) for *_, k in mho]), 0.5))
    # the term's smoothed in-span rate alone, its threshold chosen out of fold for the same precision target
    rate_oof = np.concatenate([To[:, rate_col] for _, (To, _, _, _) in folds])
    thr_rate = threshold_for_precision(ptc, m_oof, rate_oof, gold, pool, PRECISION_TARGET)
    res["term_rate_alone"] = report(predicted_spans(ptc, mho, Tho[:, rate_col], thr_rate))
    vader_polar = {}
    for aid in ho:
        words = [(s, e, 1.0) for _, s, e, _, k, *_ in tokens[aid] if abs(ext["vader"].get(k, 0.0)) >= VADER_POLAR]
        vader_polar[aid] = merge_words_safe(ptc.texts[aid], words)
    res["vader_polar_words"] = report(vader_polar)
    res_labels = _label_phrases(ptc, predicted_spans(ptc, mho, p_ho, thr), gold, ho)
    from sklearn.metrics import average_precision_score, brier_score_loss

    calib = {"word_ap": float(average_precision_score(yho, p_ho)), "brier": float(brier_score_loss(yho, p_ho)),
             "ece": _ece_binary(p_ho, yho), "candidate_positive_rate": float(yho.mean())}
    for k, v in res.items():
        for tgt in ("ll_or_nc", "loaded_language_only"):
            o, x = v[tgt]["overlap"], v[tgt]["iou50"]
            print(f"{k:24s} {tgt:21s} overlap P {o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f} "
                  f"(n={o['n_pred']}) | IoU>=.5 P {x['precision']:.3f} R {x['recall']:.3f} F1 {x['f1']:.3f}")
    print("calibration (held-out words):", calib)

    lexicon = table.lexicon()
    from ..classifiers.feats_propaganda import TERM_FIELDS

    features = ["loaded_language_term"] + (["embedding"] if use_emb else [])
    metrics = {"heldout": res, "heldout_labelled": res_labels, "cv": {f"sentence embedding {k[0]}, C={k[1]}": v for k, v in cv_results.items()},
               "calibration": calib, "threshold": thr, "threshold_term_rate": thr_rate,
               "counts": {"candidates_fit": int(len(yf)), "candidates_heldout": int(len(yho)),
                          "lexicon_terms": len(lexicon), "heldout_articles": len(ho),
                          "heldout_gold_ll": int(sum(t == "Loaded_Language" for a in ho for t, *_ in gold[a])),
                          "heldout_gold_nc": int(sum(t == "Name_Calling,Labeling" for a in ho for t, *_ in gold[a]))}}
    head.thresholds = {"loaded_language": thr}
    card = {"data": "PTC-2020 train articles (Loaded_Language, Name_Calling spans); lexicons from BABE, BASIL, "
                    "Recasens NPOV (Riloff-Wiebe, Liu), VADER, AFINN",
            "licence": "PTC: research corpus, no licence stated; BABE AGPL-3.0; BASIL (MBIB) GPL-3.0; "
                       "NPOV lexicons MIT (repository); VADER MIT; AFINN ODbL",
            "task": "P(candidate word is loaded language / name calling in this sentence)",
            "threshold": thr, "card": "models/loaded_language/MODEL_CARD.md"}
    folder = common.models_dir() / NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lexicon.json").write_text(json.dumps(
        {"fields": list(TERM_FIELDS), "priors": {k: round(v, 6) for k, v in table.priors.items()},
         "min_candidate": {"ptc_hits": MIN_PTC_HITS, "vader_abs": VADER_POLAR, "afinn_abs": AFINN_POLAR},
         "terms": lexicon}, separators=(",", ":")) + "\n", encoding="utf-8")
    meta = {"features": features, "term_features": list(TERM_FEATURE_NAMES), "card": card,
            "metrics": _jsonable(metrics)}
    common.save_model(NAME, head, meta, _card_md(metrics, use_emb, C))
    print(f"saved {NAME} ({len(lexicon)} lexicon terms) in {time.time() - t0:.0f}s")
    return metrics


def _label_phrases(ptc, pred, gold, articles) -> dict:
    """Label held-out phrases as the detector does (propaganda_technique on phrase text + sentence
    embedding) and score each label against its own gold technique.  Needs the shipped
    propaganda_technique model (trained on train + val articles only, so held-out stays unseen)."""
    from ..classifiers import load_classifier
    from ..classifiers.features import FeatureInput
    from ..detectors.propaganda import NAME_CALLING_MIN_PROB

    try:
        clf = load_classifier("propaganda_technique")
    except (KeyError, FileNotFoundError):
        print("propaganda_technique not trained yet: phrase labels not evaluated")
        return {}
    texts, embs, where = [], [], []
    for aid in articles:
        for s, e, _ in pred.get(aid, []):
            texts.append(ptc.texts[aid][s:e])
            embs.append(ptc.sent_emb[ptc.sent_row[aid] + ptc.sentence_index(aid, s)])
            where.append((aid, s, e))
    if not texts:
        return {}
    P = clf.predict_features(FeatureInput(texts=texts, embeddings=np.vstack(embs)))
    ll, nc = clf.labels.index("Loaded_Language"), clf.labels.index("Name_Calling,Labeling")
    is_nc = (P[:, nc] >= NAME_CALLING_MIN_PROB) & (P[:, nc] > P[:, ll])
    out = {}
    for label, mask, tech in (("loaded_language", ~is_nc, "Loaded_Language"),
                              ("name_calling", is_nc, "Name_Calling,Labeling")):
        sub = defaultdict(list)
        for (aid, s, e), m in zip(where, mask):
            if m:
                sub[aid].append((s, e, 1.0))
        C = span_counts(sub, gold, articles, (tech,))
        out[label] = {**_prf(C), "precision_any_ll_nc": _prf(span_counts(sub, gold, articles, TARGETS))["precision"]}
        print(f"label {label:16s} vs gold {tech}: P {out[label]['precision']:.3f} R {out[label]['recall']:.3f} "
              f"(n={out[label]['n_pred']}); P vs LL-or-NC {out[label]['precision_any_ll_nc']:.3f}")
    return out


def merge_words_safe(text, words):
    from ..classifiers.feats_propaganda import merge_words

    return merge_words(text, sorted(words))


def _ece_binary(p, y, bins=10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (p > lo) & (p <= hi) if lo > 0 else (p >= lo) & (p <= hi)
        if m.any():
            total += m.mean() * abs(p[m].mean() - y[m].mean())
    return float(total)


def _row(name, v):
    o, x = v["overlap"], v["iou50"]
    return (f"| {name} | {o['n_pred']} | {_fmt(o, 'precision')} | {_fmt(o, 'recall')} | {_fmt(o, 'f1')} | "
            f"{x['precision']:.3f} | {x['recall']:.3f} | {x['f1']:.3f} |")


def _card_md(m: dict, use_emb: bool, C: float) -> str:
    names = {"shipped": "**shipped: lexicon candidates + head, threshold {thr}**".format(thr=m["threshold"]),
             "lexicon_all_candidates": "baseline: every lexicon candidate (lexicon lookup alone)",
             "lexicon_ptc_words_only": "baseline: words seen inside a PTC LL/NC span in training",
             "term_rate_alone": f"baseline: smoothed in-span rate of the word alone (threshold "
                                f"{m['threshold_term_rate']} for the same precision target out of fold)",
             "vader_polar_words": f"baseline: VADER-polar words (abs valence >= {VADER_POLAR})"}
    hdr = ("| locator | spans | precision (overlap) | recall (overlap) | F1 (overlap) | P (IoU≥.5) | R (IoU≥.5) | "
           "F1 (IoU≥.5) |\n|---|---|---|---|---|---|---|---|")
    t1 = "\n".join(_row(names[k], v["ll_or_nc"]) for k, v in m["heldout"].items())
    t2 = "\n".join(_row(names[k], v["loaded_language_only"]) for k, v in m["heldout"].items())
    val = "\n".join(f"| {k} | {v['word_ap']:.3f} | {v['thr']:.2f} | {v['precision']:.3f} | {v['recall']:.3f} | "
                    f"{v['f1']:.3f} |" for k, v in m["cv"].items())
    c, cal = m["counts"], m["calibration"]
    lab = "| label | spans | precision vs its own gold technique | recall of that technique | precision vs LL or NC |\n" \
          "|---|---|---|---|---|\n" + "\n".join(
              f"| `{k}` | {v['n_pred']} | {v['precision']:.3f} | {v['recall']:.3f} | {v['precision_any_ll_nc']:.3f} |"
              for k, v in m.get("heldout_labelled", {}).items())
    return f"""# loaded_language

Locates **loaded language and name calling** (PTC-2020 `Loaded_Language` and `Name_Calling,Labeling`)
at the word/phrase level without a token-level model: the words of a sentence found in a lexicon are
scored by a small head over their term statistics and the sentence's shared embedding.  It powers the
`propaganda` detector (`loaded_language` / `name_calling` spans; the phrase label comes from
`propaganda_technique`).

## Design
1. `lexicon.json` ({c['lexicon_terms']} terms): words inside PTC-2020 Loaded_Language / Name_Calling spans of the
   training articles (at least {MIN_PTC_HITS}×), BABE biased words and bias-word lexicon, words of BASIL lexical-bias
   spans (≤ 6 words), Riloff–Wiebe strong subjective clues, Liu (2005) opinion words, the Recasens NPOV bias
   lexicon, VADER words with |valence| ≥ {VADER_POLAR} and AFINN words with |valence| ≥ {AFINN_POLAR}; stop words
   excluded.  Per term: occurrences in the PTC training articles and how many of them fall inside a gold
   Loaded_Language / Name_Calling / any-technique span, plus the lexicon flags and valences.
2. Candidates: the words of each non-boilerplate sentence found in the lexicon (possessive 's dropped).
3. Head: logistic regression (C={C}) over `loaded_language_term` (24 term features: log counts, in-span
   rates smoothed towards the corpus rate with 5 pseudo-occurrences, lexicon flags, valences, shape)
   {"+ the sentence's shared embedding" if use_emb else "(the sentence embedding did not help in cross-validation and is not used)"}
   → P(word lies inside a gold LL/NC span).  Training rows use **leave-one-article-out** PTC statistics.
4. Words with P ≥ threshold merge into phrases when only spaces or a hyphen separate them.

## Training data and licences
- PTC-2020 (SemEval-2020 Task 11) train articles — **research corpus, no licence stated**.
- BABE (SG1, SG2 80%, MBIC biased words; bias-word lexicon) — **AGPL-3.0** (repository licence).
- BASIL lexical-bias spans (via the MBIB repository) — **GPL-3.0** (repository licence).
- Recasens et al. NPOV lexicons (Riloff–Wiebe, Liu, NPOV) — MIT (repository), third-party sources.
- VADER lexicon — MIT; AFINN-165 — ODbL.
The lexicon file contains words and counts derived from these; treat the model as for research use.

Rebuild exactly: `python -m rhetorica.training loaded_language` (reads `$RHETORICA_DATA` or `../shared/data`).

## Evaluation
Articles split by article with `propaganda_technique` (seed {common.SEED}): a pool (its train and validation
articles), where the embedding block, C and the threshold are chosen by {N_FOLDS}-fold cross-validation grouped by
article (each fold's lexicon statistics from the other folds' articles only), and **held-out**
({c['heldout_articles']} articles, {c['heldout_gold_ll']} gold Loaded_Language and {c['heldout_gold_nc']} Name_Calling
spans; nothing chosen on them).  For the final model the lexicon statistics and the head come from the whole pool.
Reads of the held-out articles: the first release and its retrains (chosen on a validation split), the
recomputation of the labelled-span table below, and this release (chosen by cross-validation).  A predicted phrase is correct (*overlap*) if it
overlaps a gold span; a gold span is found if a prediction overlaps it.  *IoU≥.5* is the stricter
“exact-ish” match (character intersection over union ≥ 0.5).  95% bootstrap CIs resample articles.

### Held-out, against gold Loaded_Language ∪ Name_Calling spans (what the locator is trained for)

{hdr}
{t1}

The previous release chose its settings on a single validation split of {PREVIOUS_RELEASE['validation_articles']} articles (C {PREVIOUS_RELEASE['C']}, threshold {PREVIOUS_RELEASE['threshold']:.2f}; validation
precision {PREVIOUS_RELEASE['validation_precision']:.3f}) and read {PREVIOUS_RELEASE['precision']:.3f} / {PREVIOUS_RELEASE['recall']:.3f} / {PREVIOUS_RELEASE['f1']:.3f} (precision / recall / F1) on these articles
from {PREVIOUS_RELEASE['spans']} spans.  Cross-validation over all {N_FOLDS} folds of the pool chose differently; on held-out the F1 is
the same, with more spans and lower precision, {m['heldout']['shipped']['ll_or_nc']['overlap']['precision']:.3f}: under the 0.5 target it meets out of fold
({m['cv'][f"sentence embedding {use_emb}, C={C}"]['precision']:.3f}).  Nothing was chosen on these articles, so the earlier release's higher
held-out precision is not a reason to keep it; read the precision as about 0.5, with the interval above.

### Held-out, against gold Loaded_Language spans only

{hdr}
{t2}

PTC annotators marked the clearest instances, not every loaded word, so precision against PTC gold
understates precision as a reader would judge it — but the baselines are measured the same way, and the
lexicon alone (first baseline rows) is what “flag every sentiment word” gives.  The IoU figures are low for every
method because gold spans are often whole phrases (“a bunch of lunatics”) while the locator marks words.

### Labelled spans (held-out): the detector's `loaded_language` / `name_calling` split

{lab}

The label comes from the shipped `propaganda_technique` head (the one in `models/` when this locator was trained), so
this table moves when that head is retrained.

### Threshold
`threshold = {m['threshold']}`: the lowest threshold whose **out-of-fold** span precision (overlap with a gold LL/NC
span, at least 20 spans) reaches the target **{PRECISION_TARGET}** (`PRECISION_TARGET` in `rhetorica/training/propaganda_spans.py`).
A phrase is labelled `name_calling` when `propaganda_technique` gives Name_Calling,Labeling ≥ 0.5 and more than
Loaded_Language, else `loaded_language` (`NAME_CALLING_MIN_PROB` in `rhetorica/detectors/propaganda.py`: a fixed
majority-vote rule, not tuned).

### Calibration (held-out candidate words)
Word-level average precision {cal['word_ap']:.3f} (positive rate among candidates {cal['candidate_positive_rate']:.3f}),
Brier {cal['brier']:.3f}, ECE {cal['ece']:.3f} (10 bins).

### Cross-validation ({N_FOLDS} folds grouped by article; each fold's statistics and head from the other folds)

| setting | word AP | threshold | span P | span R | span F1 |
|---|---|---|---|---|---|
{val}

## Intended use and limits
- Counting and highlighting loaded words in English news and opinion text; the count per 100 words
  (`loaded_language_rate`) compares texts of different lengths.
- Only words in the lexicon can be found: novel coinages and multi-word idioms whose words are neutral on
  their own (“cute by half”) are missed.  Phrases are built by joining adjacent words, not parsed.
- The in-span statistics come from PTC's 2017–2019 partisan and mainstream news; topical words of that period
  (e.g. names used as labels) carry those associations.
- Other PTC techniques (doubt, flag-waving, appeal to fear, ...) are not located: they are sentence- or
  argument-level, and the lexicon approach does not reach useful precision for them.
"""


if __name__ == "__main__":
    main()
