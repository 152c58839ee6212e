"""The AllSides annotation pool: question and history sentences with their context, and a seeded sample.

``python -m rhetorica.training.allsides_pool OUT_DIR`` reads ``corpora/allsides/articles.parquet`` from the
training data, segments every article with rhetorica's own segmenter, and writes

* ``pool_questions.jsonl``: every sentence containing a '?', with the sentence before and after;
* ``pool_history.jsonl``: every sentence in which the history gazetteer (the detector's candidate matcher)
  finds a mention, with its matched words;
* ``sample_questions.jsonl`` / ``sample_history.jsonl``: the items chosen for annotation, each with the
  stratum it was drawn from and its inclusion probability, so that label counts can be re-weighted to the
  natural distribution of the pool.

Sampling (fixed before any label was seen): at most ``PER_ARTICLE`` items per article (keeps one long
article from dominating), then within strata.  Questions are up-weighted where the rare types live:
sentences that are not the article's own narration (a quotation mark, an interview/transcript shape) and
short, headline-like lines are drawn at a higher rate than plain narration.  History sentences with a
reviled referent (Nazi, Hitler, Stalin, ...) or a comparison cue ("like", "new", "echoes of", ...) are
drawn at a higher rate than the rest, since analogies and smears are rare.  Every item records its
``split`` (train / dev / test by a hash of the article id: 80 / 10 / 10).
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np

from .common import data_dir

SEED = 20261206
PER_ARTICLE = 4
_QUOTE_CHARS = re.compile(r"[\"“”]")
_TRANSCRIPT = re.compile(r"^\s*[A-Z][A-Z .'-]{1,30}:\s|\bQ:|\bQUESTION:", re.M)
_CUE = re.compile(r"\b(?:like|unlike|new|another|modern|echo\w*|remind\w*|reminiscent|since|compar\w*|"
                  r"worst|lesson\w*|repeat\w*|akin|version of|all over again)\b", re.I)


def article_split(article_id: str) -> str:
    """train / dev / test by a stable hash of the article id (80 / 10 / 10)."""
    h = int(hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "test" if h == 0 else "dev" if h == 1 else "train"


def item_id(article_id: str, start: int) -> str:
    return hashlib.sha1(f"allsides:{article_id}:{start}".encode("utf-8")).hexdigest()[:12]


def build_pool(articles) -> tuple[list[dict], list[dict]]:
    from ..classifiers.feats_history import find_mentions
    from ..text.segment import sentences

    questions: list[dict] = []
    history: list[dict] = []
    for row in articles.itertuples(index=False):
        text = row.text if isinstance(row.text, str) else ""
        sents = sentences(text)
        for k, s in enumerate(sents):
            st = text[s.start:s.end]
            prev = text[sents[k - 1].start:sents[k - 1].end] if k > 0 else ""
            nxt = text[sents[k + 1].start:sents[k + 1].end] if k + 1 < len(sents) else ""
            base = {"id": item_id(row.id, s.start), "source": "allsides", "article": row.id, "outlet": row.source,
                    "leaning": row.leaning, "topic": row.topic, "date": row.date, "start": s.start,
                    "prev": prev, "text": st, "next": nxt, "split": article_split(row.id)}
            if "?" in st:
                questions.append(dict(base))
            mentions = find_mentions(st)
            if mentions:
                h = dict(base)
                h["match"] = sorted({m.text for m in mentions})
                h["reviled"] = any(m.reviled for m in mentions)
                history.append(h)
    return questions, history


def _question_stratum(q: dict) -> str:
    t = q["text"]
    if _QUOTE_CHARS.search(t) or _TRANSCRIPT.search(t) or _TRANSCRIPT.search(q["prev"]):
        return "quoted_or_transcript"
    if len(t) < 90:
        return "short"
    return "narration"


def _history_stratum(h: dict) -> str:
    if h["reviled"]:
        return "reviled"
    if _CUE.search(h["text"]):
        return "cue"
    return "plain"


def sample(pool: list[dict], n: int, stratum_of, weights: dict[str, float], seed: int) -> list[dict]:
    """Draw ``n`` items: per-article cap, then strata drawn in proportion to size x weight.

    Each item gets ``stratum`` and ``inclusion_p`` (its probability of being drawn, given the cap)."""
    rng = np.random.default_rng(seed)
    by_article: dict[str, list[dict]] = {}
    for it in pool:
        by_article.setdefault(it["article"], []).append(it)
    capped: list[dict] = []
    for art in sorted(by_article):
        items = by_article[art]
        keep = items if len(items) <= PER_ARTICLE else [items[i] for i in sorted(rng.choice(len(items), PER_ARTICLE, replace=False))]
        for it in keep:
            it = dict(it)
            it["cap_p"] = min(1.0, PER_ARTICLE / len(items))
            it["stratum"] = stratum_of(it)
            capped.append(it)
    strata: dict[str, list[dict]] = {}
    for it in capped:
        strata.setdefault(it["stratum"], []).append(it)
    mass = {s: len(v) * weights.get(s, 1.0) for s, v in strata.items()}
    total = sum(mass.values())
    out: list[dict] = []
    for s in sorted(strata):
        k = min(len(strata[s]), int(round(n * mass[s] / total)))
        idx = sorted(rng.choice(len(strata[s]), k, replace=False))
        for i in idx:
            it = strata[s][i]
            it["inclusion_p"] = round(it["cap_p"] * k / len(strata[s]), 6)
            out.append(it)
    out.sort(key=lambda it: (it["article"], it["start"]))
    return out


#: Stratum weights of the draws (fixed before any label was seen).
QUESTION_WEIGHTS = {"quoted_or_transcript": 1.5, "short": 1.5, "narration": 1.0}
HISTORY_WEIGHTS = {"reviled": 3.0, "cue": 1.5, "plain": 1.0}


def sample_round(pool: list[dict], labelled_ids: set[str], n: int, stratum_of, weights: dict[str, float],
                 seed: int, split: str = "train") -> list[dict]:
    """A later labelling round: the same per-article cap and stratum weights, over the pool items of ``split``
    that are not labelled yet.  ``inclusion_p`` is then conditional on that remainder."""
    rest = [it for it in pool if it["id"] not in labelled_ids and it["split"] == split]
    return sample(rest, n, stratum_of, weights, seed)


#: A paragraph opening with a speaker tag: "AMY GOODMAN: ", "JB: ", "Q: ", "((WN)) ", "[Interviewer] " (the speaker is
#: the tag's name).  Wider than the quote detector's ``_TURN_RE`` on purpose: it also takes mixed-case names
#: ("Julia Belluz: "), which only select articles for labelling here; round 3's selection was made with it.
_SPEAKER_TAG = re.compile(r"^\s*[\"“]?(?:((?:[A-Z][A-Za-z.'’-]*\s?){1,3}):\s|\(\(([^()\n]{1,40})\)\)\s?|\[([A-Z][^\]\n]{0,40})\]\s)")


def interview_layout(text: str) -> bool:
    """Is the article laid out as a transcript or interview: at least two speakers who each open at least two
    paragraphs with their tag?"""
    import collections

    from ..text.segment import paragraphs

    tags = collections.Counter()
    for s, e in paragraphs(text):
        m = _SPEAKER_TAG.match(text[s:e])
        if m:
            tags[(m.group(1) or m.group(2) or m.group(3)).strip()] += 1
    return sum(1 for n in tags.values() if n >= 2) >= 2


def interview_round(articles, pool: list[dict], labelled_ids: set[str]) -> list[dict]:
    """Round 3: every question not labelled yet in the train-split articles with an :func:`interview_layout`
    (no sampling: ``inclusion_p`` 1), because genuine questions in interviews were the question head's commonest
    error on another outlet (Wikinews)."""
    keep = {row.id for row in articles.itertuples(index=False)
            if article_split(row.id) == "train" and isinstance(row.text, str) and interview_layout(row.text)}
    out = []
    for it in pool:
        if it["article"] in keep and it["id"] not in labelled_ids:
            out.append(dict(it, stratum="interview_layout", inclusion_p=1.0, round=3))
    return out


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    """``OUT_DIR [N_QUESTIONS N_HISTORY]``: the pool and the first sample; ``OUT_DIR --round K N_QUESTIONS
    N_HISTORY``: a further draw from the train split's items not labelled yet (round K >= 2, seeded by K);
    ``OUT_DIR --interviews``: round 3, every question of the train split's interview-layout articles that rounds 1
    and 2 left unlabelled (:func:`interview_round`)."""
    import pandas as pd

    argv = list(sys.argv[1:] if argv is None else argv)
    round_no = 1
    if "--round" in argv:
        i = argv.index("--round")
        round_no = int(argv[i + 1])
        del argv[i:i + 2]
    interviews = "--interviews" in argv
    if interviews:
        argv.remove("--interviews")
    out = Path(argv[0] if argv else "allsides_pool")
    n_q = int(argv[1]) if len(argv) > 1 else 3150
    n_h = int(argv[2]) if len(argv) > 2 else 1560
    out.mkdir(parents=True, exist_ok=True)
    articles = pd.read_parquet(data_dir() / "corpora" / "allsides" / "articles.parquet")
    questions, history = build_pool(articles)
    _write_jsonl(out / "pool_questions.jsonl", questions)
    _write_jsonl(out / "pool_history.jsonl", history)
    if interviews:
        before = {r["id"] for r in load_labelled("questions") if round_of(r) < 3}
        sq = interview_round(articles, questions, before)
        _write_jsonl(out / "sample_questions_round3.jsonl", sq)
        print(f"round 3: {len(sq)} questions from interview-layout train articles into {out}")
        return
    if round_no == 1:
        sq = sample(questions, n_q, _question_stratum, QUESTION_WEIGHTS, SEED)
        sh = sample(history, n_h, _history_stratum, HISTORY_WEIGHTS, SEED + 1)
        suffix = ""
    else:
        seed = SEED + 2 * round_no
        sq = sample_round(questions, {r["id"] for r in load_labelled("questions")}, n_q, _question_stratum,
                          QUESTION_WEIGHTS, seed)
        sh = sample_round(history, {r["id"] for r in load_labelled("history")}, n_h, _history_stratum,
                          HISTORY_WEIGHTS, seed + 1)
        suffix = f"_round{round_no}"
    _write_jsonl(out / f"sample_questions{suffix}.jsonl", sq)
    _write_jsonl(out / f"sample_history{suffix}.jsonl", sh)
    print(f"pool: {len(questions)} questions, {len(history)} history sentences; "
          f"sampled {len(sq)} and {len(sh)} into {out} (round {round_no})")


# -- the labelled set: loading, agreement, counts --------------------------------------------------------------
ANNOTATIONS = Path(__file__).resolve().parents[2] / "annotations" / "allsides"
QUESTION_DEVICE = ("rhetorical", "hypophora", "open")


def load_labelled(kind: str, split: str | None = None) -> list[dict]:
    """The labelled AllSides items (``kind`` "questions" or "history"), optionally one split only.

    They live in the source tree (``annotations/allsides/``), not in the installed package."""
    path = ANNOTATIONS / f"{kind}.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: the AllSides labels live in annotations/allsides/ of a "
                                "source checkout of rhetorica.")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def round_of(row: dict) -> int:
    """The labelling round of an item (the first round's items carry no ``round`` field)."""
    return int(row.get("round", 1))


def agreement(kind: str, round_no: int | None = None) -> dict[str, dict[str, float]]:
    """Cohen's kappa and raw agreement between the two independent passes, on the double-annotated items (of one
    labelling round, or of all)."""
    from sklearn.metrics import cohen_kappa_score

    rows = [r for r in load_labelled(kind) if len(r["passes"]) == 2 and round_no in (None, round_of(r))]
    if kind == "questions":
        views = {"type": lambda a: a["type"], "device_vs_not": lambda a: a["type"] in QUESTION_DEVICE,
                 "voice": lambda a: a["voice"]}
    else:
        views = {"label": lambda a: a["label"], "analogy_vs_not": lambda a: a["label"] == "analogy",
                 "smear": lambda a: bool(a["smear"]), "voice": lambda a: a["voice"]}
    out = {"n_double": {"n": len(rows)}}
    for name, f in views.items():
        a = [f(r["passes"][0]) for r in rows]
        b = [f(r["passes"][1]) for r in rows]
        out[name] = {"kappa": round(float(cohen_kappa_score(a, b)), 3),
                     "agreement": round(sum(x == y for x, y in zip(a, b)) / len(rows), 3)}
    return out


def counts(kind: str) -> dict:
    """Label counts per split and per outlet leaning, raw; and the first round's items re-weighted to the pool's
    natural distribution (each weighted by 1 / its inclusion probability; a later round's probabilities are
    conditional on the items left, so they do not enter)."""
    import collections

    rows = load_labelled(kind)
    key = "type" if kind == "questions" else "label"
    by_split = collections.Counter((r["split"], r[key]) for r in rows)
    by_leaning = collections.Counter((r["leaning"], r[key]) for r in rows)
    w = collections.Counter()
    for r in rows:
        if round_of(r) == 1:
            w[r[key]] += 1.0 / r["inclusion_p"]
    total = sum(w.values())
    natural = {k: round(v / total, 3) for k, v in sorted(w.items())}
    extra = {}
    if kind == "history":
        extra["smear"] = sum(bool(r["smear"]) for r in rows)
    return {"by_split": {f"{s}/{k}": n for (s, k), n in sorted(by_split.items())},
            "by_leaning": {f"{s}/{k}": n for (s, k), n in sorted(by_leaning.items())},
            "natural_share": natural, "n": len(rows), "articles": len({r["article"] for r in rows}),
            "outlets": len({r["outlet"] for r in rows}),
            "by_round": dict(sorted(collections.Counter(round_of(r) for r in rows).items())), **extra}


if __name__ == "__main__":
    main()
