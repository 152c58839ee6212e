"""Does fine-tuning the encoder beat the shipped frozen-encoder head?  An out-of-fold probe on train.

``python benchmarks/finetune_probe.py TASK [--layers K] [--epochs E] [--lr LR]`` fine-tunes the top
``K`` transformer layers of all-MiniLM-L6-v2 (the lower layers stay frozen and their output is computed once)
with a classification layer over mean-pooled token states, on the same article-grouped folds the shipped head
was chosen on, and prints, out of fold:

- the shipped head's device-vs-not (or positive-vs-not) macro-F1,
- the fine-tuned model's,
- their 50/50 blend's (mean of the probabilities),

each at its own out-of-fold-best threshold, and the paired article-bootstrap interval of the fine-tuned and the
blended model's gain over the head.  No held-out or dev split is read.  Tasks:

- ``rhetorical_question``: the training questions (4,002 in the recorded run, made before the second labelling
  round; 5,202 since), read as a sentence pair (the question; the previous and next sentence) with context
  dropout (a quarter of the training rows without neighbours, as the shipped head's training uses both), 5
  labels, P(device) = P(rhetorical) + P(hypophora) + P(open);
- ``subjectivity``: the 830 NewsSD-ENG training sentences, 2 labels, P(subjective).

Each run adds its result to ``benchmarks/RESULTS_finetune_probe.{json,md}``.  It needs ``../shared/data`` (or
``RHETORICA_DATA``); nothing it trains is saved.  The BABE counterpart (a full fine-tune scored on a held-out
split) is ``benchmarks/finetune_bias.py``.
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a source checkout

from rhetorica.training import common  # noqa: E402

HERE = Path(__file__).resolve().parent

#: Pieces of the question sentence, and of each neighbour, read by the pair input.
MAX_Q, MAX_CTX = 64, 32
#: Share of training rows read without their neighbours (``rhetorical_question``).
CONTEXT_DROPOUT = 0.25
BATCH = 16
WARMUP = 0.1


@dataclass
class Task:
    """Pair inputs (with / without context), labels, positive label columns, groups, folds and the head's OOF."""

    ctx: list[tuple[list[int], list[int]]]
    bare: list[tuple[list[int], list[int]]]
    y: np.ndarray
    positive: tuple[int, ...]
    groups: np.ndarray
    fold: np.ndarray
    head_oof: np.ndarray  # P(positive side), out of fold, the shipped head's settings
    n_labels: int
    dropout: float
    input: str  # what the fine-tuned model reads, for the card


def _tokenizer():
    from transformers import AutoTokenizer

    from rhetorica.classifiers.encoder import model_path

    return AutoTokenizer.from_pretrained(str(model_path()))


def _pair(tok, text: str, prev: str = "", nxt: str = "", context: bool = True) -> tuple[list[int], list[int]]:
    """``[CLS] sentence [SEP] prev-tail [SEP] next-head [SEP]`` (segment 1 = the neighbours), or the bare sentence."""
    q = tok(text, add_special_tokens=False, truncation=True, max_length=MAX_Q)["input_ids"]
    a = [tok.cls_token_id] + q + [tok.sep_token_id]
    if not context:
        return a, [0] * len(a)
    p = tok(prev, add_special_tokens=False)["input_ids"][-MAX_CTX:] if prev else []
    n = tok(nxt, add_special_tokens=False)["input_ids"][:MAX_CTX] if nxt else []
    b = p + [tok.sep_token_id] + n + [tok.sep_token_id]
    return a + b, [0] * len(a) + [1] * len(b)


def question_task(seed: int = 0) -> Task:
    from rhetorica.training import questions as Q

    train, y, g, fold, X, Xb = Q.train_matrices(seed)
    P, _ = Q.out_of_fold(X, Xb, y, fold, seed=seed)
    tok = _tokenizer()
    return Task(ctx=[_pair(tok, r["text"], r["prev"], r["next"]) for r in train],
                bare=[_pair(tok, r["text"], context=False) for r in train], y=y,
                positive=tuple(range(Q.N_DEVICE)), groups=g, fold=fold, head_oof=Q.device_prob(P),
                n_labels=len(Q.LABELS), dropout=CONTEXT_DROPOUT,
                input="input: the question and its previous and next sentence as a sentence pair, a quarter of "
                      "the training rows without the neighbours")


def subjectivity_task(seed: int = 0) -> Task:
    from rhetorica.training import sentence_heads as sh
    from rhetorica.training.sentence_data import newssd
    from rhetorica.training.subjectivity import spec

    train = newssd("train") + newssd("val")
    sh.preload(train)
    _, cfg, _, _ = sh.run(spec(), train, {}, seed=seed, verbose=False)  # the shipped setting, chosen by its CV
    X = sh.features(train.texts, cfg.features)
    fold = np.zeros(len(train), dtype=int)
    oof = np.zeros(len(train))
    for k, (tr, va) in enumerate(sh.folds(train.y, train.groups, seed)):
        fold[va] = k
        oof[va] = sh.fit(cfg, X[tr], train.y[tr], list(spec().labels), seed).predict_proba(X[va])[:, 0]
    tok = _tokenizer()
    items = [_pair(tok, t, context=False) for t in train.texts]
    return Task(ctx=items, bare=items, y=train.y, positive=(0,), groups=np.array(train.groups), fold=fold,
                head_oof=oof, n_labels=2, dropout=0.0, input="input: the sentence")


TASKS = {"rhetorical_question": question_task, "subjectivity": subjectivity_task}


def top_model(base, frozen: int, n_labels: int, torch):
    """A trainable copy of the encoder's layers above ``frozen`` and a linear layer over mean-pooled states (of
    the sentence, and of the whole input)."""

    class Top(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.ModuleList(copy.deepcopy(base.encoder.layer[frozen:]))
            self.drop = torch.nn.Dropout(0.1)
            self.out = torch.nn.Linear(2 * base.config.hidden_size, n_labels)

        def forward(self, h, tt, am):
            ext = (1.0 - am[:, None, None, :].float()) * torch.finfo(torch.float).min
            for layer in self.layers:
                h = layer(h, attention_mask=ext)
                h = h[0] if isinstance(h, tuple) else h
            first = (am * (tt == 0)).unsqueeze(-1).float()  # the sentence itself
            every = am.unsqueeze(-1).float()
            pooled = torch.cat([(h * first).sum(1) / first.sum(1), (h * every).sum(1) / every.sum(1)], -1)
            return self.out(self.drop(pooled))

    return Top()


def _pad(items, torch):
    longest = max(len(i) for i, _ in items)
    ids = torch.zeros(len(items), longest, dtype=torch.long)
    tt, am = torch.zeros_like(ids), torch.zeros_like(ids)
    for k, (i, t) in enumerate(items):
        ids[k, :len(i)] = torch.tensor(i)
        tt[k, :len(t)] = torch.tensor(t)
        am[k, :len(i)] = 1
    return ids, tt, am


def lower_states(base, items, frozen: int, torch) -> list:
    """The frozen lower layers' output for every input, computed once (length-sorted batches)."""
    out: list = [None] * len(items)
    order = np.argsort([len(i) for i, _ in items])
    with torch.no_grad():
        for b0 in range(0, len(items), 64):
            idx = order[b0:b0 + 64]
            ids, tt, am = _pad([items[i] for i in idx], torch)
            h = base(input_ids=ids, token_type_ids=tt, attention_mask=am, output_hidden_states=True).hidden_states
            for j, i in enumerate(idx):
                n = len(items[i][0])
                out[i] = (h[frozen][j, :n].clone(), torch.tensor(items[i][1]))
    return out


def _stack(items, torch):
    longest = max(len(t) for _, t in items)
    h = torch.zeros(len(items), longest, items[0][0].shape[1])
    tt = torch.zeros(len(items), longest, dtype=torch.long)
    am = torch.zeros_like(tt)
    for k, (x, t) in enumerate(items):
        h[k, :len(t)], tt[k, :len(t)], am[k, :len(t)] = x, t, 1
    return h, tt, am


def fit_predict(task: Task, H_ctx, H_bare, train_idx, test_idx, base, *, frozen: int, epochs: int, lr: float,
                seed: int, torch) -> np.ndarray:
    """Fine-tune on ``train_idx``; softmax probabilities of ``test_idx`` (with context)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = top_model(base, frozen, task.n_labels, torch)
    model.train()
    counts = np.bincount(task.y[train_idx], minlength=task.n_labels).clip(1)
    weight = torch.tensor(len(train_idx) / (task.n_labels * counts), dtype=torch.float)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight)  # class weights "balanced", as the heads use
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * math.ceil(len(train_idx) / BATCH)
    warm = max(int(WARMUP * steps), 1)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(steps - warm, 1))))
    for _ in range(epochs):
        order = rng.permutation(train_idx)
        for b0 in range(0, len(order), BATCH):
            idx = order[b0:b0 + BATCH]
            batch = [H_bare[i] if rng.random() < task.dropout else H_ctx[i] for i in idx]
            loss = loss_fn(model(*_stack(batch, torch)), torch.tensor(task.y[idx]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
    model.eval()
    with torch.no_grad():
        return np.concatenate([torch.softmax(model(*_stack([H_ctx[i] for i in test_idx[b0:b0 + 64]], torch)), -1)
                               .numpy() for b0 in range(0, len(test_idx), 64)])


def best_macro_f1(y: np.ndarray, p: np.ndarray) -> tuple[float, float, np.ndarray]:
    """Macro-F1 at the out-of-fold-best threshold in 0.05..0.95 (step 0.01); the threshold and the decisions."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    f = [common.macro_f1(y, (p >= t).astype(int)) for t in grid]
    t = float(grid[int(np.argmax(f))])
    return float(max(f)), t, (p >= t).astype(int)


def probe(name: str, *, layers: int = 2, epochs: int = 3, lr: float = 5e-5, seed: int = 0) -> dict:
    import torch
    from transformers import AutoModel

    from rhetorica.classifiers.encoder import model_path

    t0 = time.time()
    task = TASKS[name](seed)
    base = AutoModel.from_pretrained(str(model_path()), attn_implementation="eager").eval()
    frozen = base.config.num_hidden_layers - layers
    H_ctx = lower_states(base, task.ctx, frozen, torch)
    H_bare = H_ctx if task.bare is task.ctx else lower_states(base, task.bare, frozen, torch)
    P = np.zeros((len(task.y), task.n_labels))
    for k in np.unique(task.fold):
        te, tr = np.flatnonzero(task.fold == k), np.flatnonzero(task.fold != k)
        P[te] = fit_predict(task, H_ctx, H_bare, tr, te, base, frozen=frozen, epochs=epochs, lr=lr, seed=seed,
                            torch=torch)
        print(f"  fold {k} done ({time.time() - t0:.0f} s)", flush=True)
    y = np.isin(task.y, task.positive).astype(int)
    p_ft = P[:, list(task.positive)].sum(axis=1)
    rows = {"frozen encoder + shipped head": task.head_oof, f"fine-tuned top {layers} layers": p_ft,
            "blend (mean of the two)": (p_ft + task.head_oof) / 2}
    out: dict = {"task": name, "input": task.input, "layers": layers, "epochs": epochs, "lr": lr, "n": int(len(y)),
                 "folds": int(len(np.unique(task.fold))), "rows": {}}
    decisions = {}
    for key, p in rows.items():
        score, t, decisions[key] = best_macro_f1(y, p)
        ci = common.value_with_ci(common.macro_f1, y, decisions[key], groups=task.groups)
        out["rows"][key] = {"macro_f1": ci, "threshold": t}
    head = decisions["frozen encoder + shipped head"]
    for key in list(rows)[1:]:
        out["rows"][key]["gain_over_head"] = [round(v, 4) for v in common.paired_bootstrap_ci(
            common.macro_f1, y, decisions[key], head, groups=task.groups)]
    out["seconds"] = round(time.time() - t0)
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(prog="python benchmarks/finetune_probe.py", description=__doc__.split("\n")[0])
    ap.add_argument("task", choices=sorted(TASKS))
    ap.add_argument("--layers", type=int, default=2, help="top encoder layers fine-tuned (6 = all)")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    out = probe(a.task, layers=a.layers, epochs=a.epochs, lr=a.lr, seed=a.seed)
    print(json.dumps(out, indent=1))
    path = HERE / "RESULTS_finetune_probe.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results[f"{a.task}/top{a.layers}"] = out
    path.write_text(json.dumps(dict(sorted(results.items())), indent=1) + "\n")
    (HERE / "RESULTS_finetune_probe.md").write_text(markdown(results))  # reads the json just written
    return out


def markdown(results: dict) -> str:
    """The results, one section per task (the same sections the models' cards carry)."""
    tasks = sorted({r["task"] for r in results.values()})
    return "\n".join(["# Fine-tuning probe: frozen encoder + shipped head vs fine-tuned MiniLM", "",
                      "Written by `python benchmarks/finetune_probe.py TASK --layers K`; "
                      "seconds per run: " + ", ".join(f"{k} {r['seconds']} s" for k, r in sorted(results.items())),
                      ""] + [common.finetune_probe_section(t) for t in tasks])


if __name__ == "__main__":
    main()
