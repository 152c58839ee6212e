"""Train the ``subjectivity`` head (subjective / objective news sentences).

``python -m rhetorica.training subjectivity`` rebuilds ``models/subjectivity`` exactly.

Training data: NewsSD-ENG train + val (CC BY 4.0), tuned by 3-fold cross-validation.
Held out: the CheckThat! 2025 English ``dev_test`` split (the figure comparable with the
CheckThat! leaderboards) and ``dev``. CheckThat!'s English ``train`` file is essentially
NewsSD-ENG again, so it adds nothing; its ``dev`` split is new data but CC BY-NC-SA 4.0.
:func:`main` measures whether adding ``dev`` to training helps on ``dev_test`` and ships the
clean-licence model unless the gain reaches :data:`NC_MIN_GAIN`.
"""
from __future__ import annotations

from . import sentence_heads as sh
from .common import extra_data_section, finetune_probe_section, save_model
from .sentence_data import checkthat, newssd

NAME = "subjectivity"
LABELS = ("subjective", "objective")
#: Adding the non-commercial CheckThat! dev split must buy at least this much macro-F1 on dev_test
#: (below the ~0.05 half-width of a dev_test CI a gain is not worth a non-commercial licence).
#: Fixed before the comparison was run.
NC_MIN_GAIN = 0.03


def spec() -> sh.TaskSpec:
    lex = sh.read_lexicon("lexicons/recasens_npov/strong_subjectives_riloff2003.txt")
    return sh.TaskSpec(name=NAME, labels=LABELS, lexicon_rule=sh.lexicon_hit_rule(lex),
                       lexicon_rule_name="Riloff & Wiebe strong-subjective clue hit")


def main(seed: int = 0) -> dict:
    s = spec()
    ns_train, ns_val = newssd("train"), newssd("val")
    dev, dev_test = checkthat("dev"), checkthat("dev_test")
    for c in (ns_train, ns_val, dev, dev_test):
        sh.preload(c)
    clean_train = ns_train + ns_val
    print(f"{NAME}: {len(clean_train)} NewsSD-ENG training sentences; held out: CheckThat! 2025 EN "
          f"dev_test ({len(dev_test)}), dev ({len(dev)})")
    head, cfg, threshold, results = sh.run(s, clean_train, {"checkthat_dev_test": dev_test, "checkthat_dev": dev},
                                           seed=seed)
    results["train_pos_rate"] = float((clean_train.y == 0).mean())
    print(f"{NAME}: variant with CheckThat! dev (CC BY-NC-SA) added to training")
    nc_head, nc_cfg, nc_thr, nc_results = sh.run(s, clean_train + dev, {"checkthat_dev_test": dev_test},
                                                 seed=seed)
    gain = (nc_results["held_out"]["checkthat_dev_test"]["model"]["macro_f1"]
            - results["held_out"]["checkthat_dev_test"]["model"]["macro_f1"])
    use_nc = gain >= NC_MIN_GAIN
    print(f"{NAME}: non-commercial data changes dev_test macro-F1 by {gain:+.3f}; "
          f"shipping the {'CC BY-NC-SA' if use_nc else 'CC BY'} model")
    results["nc_variant"] = {"dev_test": nc_results["held_out"]["checkthat_dev_test"],
                             "validation": nc_results["validation"]["at_threshold"], "config": nc_cfg.describe(),
                             "threshold": nc_thr, "gain": gain, "shipped": use_nc}
    if use_nc:
        head, cfg, threshold = nc_head, nc_cfg, nc_thr
        results["shipped_metrics"] = nc_results
    data = "NewsSD-ENG train+val" + (" + CheckThat! 2025 English dev" if use_nc else "")
    licence = ("CC BY-NC-SA 4.0 (non-commercial: trained on CheckThat! 2025 data)" if use_nc
               else "CC BY 4.0 (training data: NewsSD-ENG)")
    meta = {
        "features": list(cfg.features),
        "positive_label": LABELS[0],
        "head": cfg.describe(),
        "card": {"task": "sentence subjectivity in news (CheckThat! / NewsSD-ENG guidelines)", "data": data,
                 "licence": licence, "metrics": sh.card_metrics(nc_results if use_nc else results),
                 "anchor": "CheckThat! 2024 English subjectivity, best macro-F1 0.744"},
    }
    probe = finetune_probe_section(NAME)
    extra = extra_data_section(NAME)
    save_model(NAME, head, meta, card(s, results, cfg, threshold, len(clean_train), use_nc, data, licence)
               + ("\n" + probe if probe else "") + ("\n" + extra if extra else ""))
    return results


def card(s, results, cfg, thr, n_train, use_nc, data, licence) -> str:
    v = results["validation"]
    dt = results["held_out"]["checkthat_dev_test"]
    dv = results["held_out"]["checkthat_dev"]
    nc = results["nc_variant"]
    return f"""# subjectivity

Sentence subjectivity in news: P(`subjective`) for one sentence, following the NewsSD-ENG /
CheckThat! guidelines (a sentence is *subjective* when it carries the author's view, evaluation,
speculation or emotional framing; *objective* when it reports). Labels: `["subjective", "objective"]` (softmax).

## Model
- Input: the shared all-MiniLM-L6-v2 sentence embedding{" plus the `sentence_cues` surface counts" if "sentence_cues" in cfg.features else ""}; no context.
- Head: {cfg.describe()}, chosen by 3-fold cross-validation on the training data.
- Decision threshold: P(subjective) ≥ **{thr:.3f}**, the value maximising out-of-fold macro-F1 (grid 0.20–0.80, on the Platt-scaled probabilities).

## Data and licence
- Trained on: {data} ({n_train if not use_nc else n_train + dv['model']['n']} sentences).
- **Licence: {licence}.**
- NewsSD-ENG: Antici et al. (LREC-COLING 2024), CC BY 4.0. CheckThat! 2025 Task 1 English: CC BY-NC-SA 4.0;
  its `train` file is essentially NewsSD-ENG, its `dev` and `dev_test` splits are new.

## Training command
```
python -m rhetorica.training subjectivity
```

## Validation (out-of-fold on the training data, n={v['at_threshold']['n']})
macro-F1 {sh.fmt(v['at_threshold'])} at the tuned threshold, {sh.fmt(v['at_0.5'])} at 0.5;
Brier {v['at_0.5']['brier']:.3f}, ECE {v['at_0.5']['ece']:.3f} (10 equal-width bins).
{sh.calibration_note(results)}

{sh.grid_table(results)}

## Held-out: CheckThat! 2025 English `dev_test` (n={dt['model']['n']}, {dt['n_positive']} subjective)
{sh.metrics_table(s, dt, "strong-subjective clue (Riloff & Wiebe): any hit ⇒ subjective")}

## Held-out: CheckThat! 2025 English `dev` (n={dv['model']['n']}, {dv['n_positive']} subjective)
{sh.metrics_table(s, dv, "strong-subjective clue (Riloff & Wiebe): any hit ⇒ subjective")}

TF-IDF + LR: word 1–2 grams, C={results['tfidf_C']} by the same CV. The clue list is used for this baseline only
(not shipped). Neither held-out split was used for tuning. The threshold tuned on NewsSD-ENG (where
{100 * results['train_pos_rate']:.0f}% of sentences are subjective) does not transfer to `dev_test`
({100 * dt['n_positive'] / dt['model']['n']:.0f}% subjective):
there the plain 0.5 rule scores higher; the shipped threshold is kept because it was the one chosen
on validation, and choosing it on `dev_test` would make that figure optimistic.

**Published anchor:** the best CheckThat! 2024 English system reached macro-F1 0.744 on that year's test set
(a fine-tuned transformer). The 2025 `dev_test` split used here is the nearest public split (the 2025 test
labels are not here); the task README's own MiniLM-L12 baseline scores 0.63 on it.

## Does the non-commercial data help?
Adding CheckThat! 2025 English `dev` ({dv['model']['n']} sentences, CC BY-NC-SA) to training, same protocol:
dev_test macro-F1 {sh.fmt(nc['dev_test']['model'])} (config {nc['config']}, threshold {nc['threshold']:.3f})
versus {sh.fmt(dt['model'])} for NewsSD-ENG only: a change of {nc['gain']:+.3f}. The rule fixed beforehand ships
the non-commercial model only for a gain of at least {NC_MIN_GAIN}; **shipped: {"the CC BY-NC-SA model" if use_nc else "the CC BY model (NewsSD-ENG only)"}**.
(This comparison reads `dev_test`, so it is a data-source decision, not tuning of the shipped figures.)

{sh.targets_section("subjectivity")}## Intended use and limits
- Aggregated by the `subjectivity` detector as `subjectivity_share` / `subjectivity_mean` over content sentences;
  each span carries `voice` (a subjective *quoted* sentence is the source's opinion, not the outlet's).
- Trained on ~800 sentences from English news on controversial topics; annotator agreement on
  subjectivity is moderate, and the line between reported opinion and authorial opinion is thin.
- A screening signal, not a verdict.
"""


if __name__ == "__main__":
    main()
