"""Does ONE encoder fine-tuned on several tasks at once beat the frozen encoder + shipped heads?  A probe on train.

``python benchmarks/multitask_probe.py [--layers K] [--epochs E] [--lr LR]``

The multi-task counterpart of ``benchmarks/finetune_probe.py`` (whose inputs, model and training loop it reuses).
Four tasks, each with the article-grouped selection folds its shipped head was chosen on:

- ``rhetorical_question``: the training questions as sentence pairs (the question; its neighbours), 5 labels,
  P(device) = P(rhetorical) + P(hypophora) + P(open);
- ``subjectivity``: NewsSD-ENG train + val;
- ``media_bias``: the BABE SG2 training portion (the held-out articles are not read);
- ``hedging``: the CoNLL-2010 weasel training portion (the held-out 20% is not read).

Fold K of every task is held out at once (``--fold K``; ``--fold 0,1,2`` runs three folds in turn and scores their
held-out rows together), and three systems are scored on those rows:

1. the frozen encoder + the shipped head (its setting chosen by the head's own CV; fitted on the other folds);
2. a single-task fine-tune: the top ``K`` layers of all-MiniLM-L6-v2 and a linear layer, on that task alone;
3. a multi-task fine-tune: the same top ``K`` layers shared by every task, one linear layer per task, trained
   on every task's other folds at once (each batch from one task, tasks drawn in proportion to their size), so
   that -- were it shipped -- one encoder pass would still serve every head.

Each system is read at its own best threshold on the held-out rows (the same, equally optimistic, rule for all
three), with 95% article-bootstrap intervals and paired gains over the frozen head.  Each fold costs about a
quarter of an hour on two CPU cores (the two fine-tunes), after about ten minutes of shared preparation.  No dev or
test split is read.  Writes ``benchmarks/RESULTS_multitask_probe.{json,md}`` (each fold's held-out probabilities,
and the tables), adding to the folds already there.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a source checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))

import finetune_probe as fp  # noqa: E402

from rhetorica.training import common  # noqa: E402

HERE = Path(__file__).resolve().parent
#: The held-out fold of every task, unless ``--fold`` says otherwise.
FOLD = 0


def sentence_task(name: str, seed: int = 0) -> fp.Task:
    """A sentence head's task (``subjectivity``, ``media_bias``, ``hedging``): its training rows, its selection
    folds and the shipped setting's out-of-fold P(positive)."""
    from rhetorica.training import sentence_heads as sh

    if name == "subjectivity":
        from rhetorica.training.sentence_data import newssd
        from rhetorica.training.subjectivity import spec

        train = newssd("train") + newssd("val")
        sh.preload(train)
    elif name == "media_bias":
        from rhetorica.training.bias import babe_split, spec

        train, _ = babe_split()
    elif name == "hedging":
        from rhetorica.training.hedging import SPLIT_SEED, TEST_FRAC, spec
        from rhetorica.training.sentence_data import wiki_weasel

        corpus = wiki_weasel()
        sh.preload(corpus)
        train = corpus.subset(~common.group_split(corpus.groups, TEST_FRAC, seed=SPLIT_SEED))
    else:
        raise ValueError(name)
    _, cfg, _, _ = sh.run(spec(), train, {}, seed=seed, verbose=False)  # the shipped setting, by its own CV
    X = sh.features(train.texts, cfg.features)
    fold = np.zeros(len(train), dtype=int)
    oof = np.zeros(len(train))
    for k, (tr, va) in enumerate(sh.folds(train.y, train.groups, seed)):
        fold[va] = k
        oof[va] = sh.fit(cfg, X[tr], train.y[tr], list(spec().labels), seed).predict_proba(X[va])[:, 0]
    tok = fp._tokenizer()
    items = [fp._pair(tok, t, context=False) for t in train.texts]
    return fp.Task(ctx=items, bare=items, y=train.y, positive=(0,), groups=np.array(train.groups), fold=fold,
                   head_oof=oof, n_labels=2, dropout=0.0, input="the sentence")


TASKS = {"rhetorical_question": lambda seed: fp.question_task(seed),
         "subjectivity": lambda seed: sentence_task("subjectivity", seed),
         "media_bias": lambda seed: sentence_task("media_bias", seed),
         "hedging": lambda seed: sentence_task("hedging", seed)}


def multitask_model(base, frozen: int, n_labels: dict[str, int], torch):
    """The top layers of ``fp.top_model`` shared, with one linear layer per task."""
    shared = fp.top_model(base, frozen, 1, torch)

    class Multi(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers, self.drop = shared.layers, shared.drop
            self.out = torch.nn.ModuleDict({t: torch.nn.Linear(2 * base.config.hidden_size, n)
                                            for t, n in n_labels.items()})

        def forward(self, task, h, tt, am):
            ext = (1.0 - am[:, None, None, :].float()) * torch.finfo(torch.float).min
            for layer in self.layers:
                h = layer(h, attention_mask=ext)
                h = h[0] if isinstance(h, tuple) else h
            first = (am * (tt == 0)).unsqueeze(-1).float()
            every = am.unsqueeze(-1).float()
            pooled = torch.cat([(h * first).sum(1) / first.sum(1), (h * every).sum(1) / every.sum(1)], -1)
            return self.out[task](self.drop(pooled))

    return Multi()


def fit_predict_multitask(tasks: dict[str, fp.Task], states: dict, base, *, frozen: int, epochs: int, lr: float,
                          seed: int, torch, fold: int = FOLD) -> dict[str, np.ndarray]:
    """Fine-tune the shared top layers on every task's rows outside ``fold``; probabilities of the fold's rows,
    per task."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = multitask_model(base, frozen, {t: k.n_labels for t, k in tasks.items()}, torch)
    model.train()
    train_idx = {t: np.flatnonzero(k.fold != fold) for t, k in tasks.items()}
    loss_fn = {}
    for t, k in tasks.items():
        counts = np.bincount(k.y[train_idx[t]], minlength=k.n_labels).clip(1)
        loss_fn[t] = torch.nn.CrossEntropyLoss(
            weight=torch.tensor(len(train_idx[t]) / (k.n_labels * counts), dtype=torch.float))
    # every epoch: each task's rows in a fresh order, cut into batches; the batches of all tasks shuffled together
    plan = []
    for _ in range(epochs):
        batches = [(t, idx[b0:b0 + fp.BATCH]) for t, rows in train_idx.items()
                   for idx in [rng.permutation(rows)] for b0 in range(0, len(idx), fp.BATCH)]
        plan += [batches[i] for i in rng.permutation(len(batches))]
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warm = max(int(fp.WARMUP * len(plan)), 1)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (len(plan) - s) / max(len(plan) - warm, 1))))
    t0 = time.time()
    for step, (t, idx) in enumerate(plan):
        H_ctx, H_bare = states[t]
        k = tasks[t]
        batch = [H_bare[i] if rng.random() < k.dropout else H_ctx[i] for i in idx]
        loss = loss_fn[t](model(t, *fp._stack(batch, torch)), torch.tensor(k.y[idx]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step and step % 500 == 0:
            print(f"  multi-task step {step}/{len(plan)} ({time.time() - t0:.0f} s)", flush=True)
    model.eval()
    out = {}
    with torch.no_grad():
        for t, k in tasks.items():
            te = np.flatnonzero(k.fold == fold)
            H_ctx = states[t][0]
            out[t] = np.concatenate([torch.softmax(model(t, *fp._stack([H_ctx[i] for i in te[b0:b0 + 64]], torch)),
                                                   -1).numpy() for b0 in range(0, len(te), 64)])
    return out


def probe(*, layers: int = 2, epochs: int = 3, lr: float = 5e-5, seed: int = 0, folds=(FOLD,), done=None):
    """Run the three systems with each of ``folds`` held out in turn (the tasks and the frozen lower layers' output
    are built once); ``done(fold, result)`` is called after each fold."""
    import torch
    from transformers import AutoModel

    from rhetorica.classifiers.encoder import model_path

    t0 = time.time()
    tasks = {}
    for name, build in TASKS.items():
        tasks[name] = build(seed)
        print(f"{name}: {len(tasks[name].y)} rows ({time.time() - t0:.0f} s)", flush=True)
    base = AutoModel.from_pretrained(str(model_path()), attn_implementation="eager").eval()
    frozen = base.config.num_hidden_layers - layers
    states = {}
    for name, k in tasks.items():
        H_ctx = fp.lower_states(base, k.ctx, frozen, torch)
        states[name] = (H_ctx, H_ctx if k.bare is k.ctx else fp.lower_states(base, k.bare, frozen, torch))
    print(f"lower layers done ({time.time() - t0:.0f} s)", flush=True)
    for fold in folds:
        t1 = time.time()
        single = {}
        for name, k in tasks.items():
            te, tr = np.flatnonzero(k.fold == fold), np.flatnonzero(k.fold != fold)
            single[name] = fp.fit_predict(k, *states[name], tr, te, base, frozen=frozen, epochs=epochs, lr=lr,
                                          seed=seed, torch=torch)
            print(f"fold {fold}: single-task {name} done ({time.time() - t0:.0f} s)", flush=True)
        multi = fit_predict_multitask(tasks, states, base, frozen=frozen, epochs=epochs, lr=lr, seed=seed,
                                      torch=torch, fold=fold)
        print(f"fold {fold}: multi-task done ({time.time() - t0:.0f} s)", flush=True)
        out: dict = {"layers": layers, "epochs": epochs, "lr": lr, "fold": fold, "tasks": {}}
        for name, k in tasks.items():
            te = np.flatnonzero(k.fold == fold)
            pos = list(k.positive)
            _, g = np.unique(k.groups[te], return_inverse=True)
            out["tasks"][name] = {
                "n": int(len(te)), "n_train": int(len(k.y) - len(te)), "input": k.input,
                "folds": int(len(np.unique(k.fold))), "y": np.isin(k.y[te], k.positive).astype(int).tolist(),
                "group": [f"{fold}-{v}" for v in g.tolist()],  # articles, numbered within the fold
                "p": {HEAD: np.round(k.head_oof[te], 4).tolist(),
                      SINGLE: np.round(single[name][:, pos].sum(axis=1), 4).tolist(),
                      MULTI: np.round(multi[name][:, pos].sum(axis=1), 4).tolist()}}
        out["seconds"] = round(time.time() - t1)  # the fold's fine-tuning, not the shared preparation
        if done is not None:
            done(fold, out)


HEAD = "frozen encoder + shipped head"
SINGLE = "fine-tuned, this task only"
MULTI = "fine-tuned, four tasks at once"


def score(y: np.ndarray, groups: np.ndarray, p: dict[str, np.ndarray]) -> dict:
    """Each system's macro-F1 at its own best threshold, with its interval and its paired gain over the head."""
    res, decisions = {}, {}
    for key, v in p.items():
        _, t, decisions[key] = fp.best_macro_f1(y, v)
        res[key] = {"macro_f1": common.value_with_ci(common.macro_f1, y, decisions[key], groups=groups),
                    "threshold": t}
    for key in (SINGLE, MULTI):
        res[key]["gain_over_head"] = [round(v, 4) for v in common.paired_bootstrap_ci(
            common.macro_f1, y, decisions[key], decisions[HEAD], groups=groups)]
    return res


def pooled(runs: dict) -> dict:
    """Per task: the held-out rows of every fold run so far, scored together."""
    out = {}
    for name in next(iter(runs.values()))["tasks"]:
        parts = [r["tasks"][name] for r in runs.values()]
        y = np.concatenate([t["y"] for t in parts])
        g = np.concatenate([t["group"] for t in parts])
        p = {k: np.concatenate([t["p"][k] for t in parts]) for k in (HEAD, SINGLE, MULTI)}
        out[name] = {"n": int(len(y)), "rows": score(y, g, p)}
    return out


def markdown(runs: dict) -> str:
    r0 = next(iter(runs.values()))
    folds = sorted(r["fold"] for r in runs.values())
    lines = ["# Multi-task fine-tuning probe: frozen encoder + shipped heads vs single-task and multi-task "
             "fine-tuned MiniLM", "",
             f"Written by `python benchmarks/multitask_probe.py --fold {','.join(map(str, folds))}` (fine-tuning seconds "
             "per fold on two CPU cores: "
             + ", ".join(f"fold {r['fold']} {r['seconds']} s" for r in runs.values()) + f"). Top {r0['layers']} of 6 "
             f"layers fine-tuned, {r0['epochs']} epochs, learning rate {r0['lr']}; fold K of each task's own "
             "article-grouped selection folds held out; each system at its own best threshold on the rows "
             "scored; macro-F1 with 95% article-bootstrap intervals; gains paired. No dev or test split read.", "",
             f"## Folds {', '.join(map(str, folds))} together" if len(folds) > 1 else f"## Fold {folds[0]}", "",
             "| task (held-out rows) | system | macro-F1 | gain over the frozen head |", "|---|---|---|---|"]
    for name, t in pooled(runs).items():
        for key, row in t["rows"].items():
            m, g = row["macro_f1"], row.get("gain_over_head")
            gain = f"{g[0]:+.3f} [{g[1]:+.3f}, {g[2]:+.3f}]" if g else "–"
            lines.append(f"| {name} ({t['n']:,}) | {key} | {m[0]:.3f} [{m[1]:.3f}, {m[2]:.3f}] | {gain} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python benchmarks/multitask_probe.py", description=__doc__.split("\n")[0])
    ap.add_argument("--layers", type=int, default=2, help="top encoder layers fine-tuned (6 = all)")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fold", default=str(FOLD), help="the held-out fold of every task (0, 1 or 2), or several: 0,1,2")
    a = ap.parse_args(argv)
    path = HERE / "RESULTS_multitask_probe.json"

    def done(fold: int, out: dict) -> None:
        runs = json.loads(path.read_text()) if path.exists() else {}
        if "tasks" in runs:  # a single fold written by an earlier version, without its probabilities
            runs = {}
        runs[f"fold{fold}"] = out
        path.write_text(json.dumps(dict(sorted(runs.items()))) + "\n")
        (HERE / "RESULTS_multitask_probe.md").write_text(markdown(dict(sorted(runs.items()))))
        print((HERE / "RESULTS_multitask_probe.md").read_text(), flush=True)

    probe(layers=a.layers, epochs=a.epochs, lr=a.lr, seed=a.seed, folds=[int(f) for f in a.fold.split(",")], done=done)


if __name__ == "__main__":
    main()
