"""Fit a token tagger's sequence head: a bidirectional GRU over the word pieces of each sentence (PyTorch, seeded),
saved as a :class:`~rhetorica.classifiers.heads.SequenceHead` that :class:`~rhetorica.classifiers.token_head.TokenGRU`
runs in numpy.

Input per word piece: its last-layer state from the shared encoder pass and two flags (inside a rule quote span,
inside quotation marks), standardised.  The GRU output of both directions, beside the piece's own input, goes
through one ReLU layer to the labels (softmax with cross-entropy, or one sigmoid per label with binary
cross-entropy).  Sentences are batched by length; dropout 0.2 on the input and before the output layer.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..classifiers.heads import SequenceHead
from ..classifiers.token_head import GRU_ARRAYS

#: Width of the ReLU layer between the GRU and the labels.
MIX = 128
BATCH = 32
#: A sequence head's input blocks, as a model.json lists them.
FEATURES = ["token_state", "in_rule_quote", "in_quotation_marks"]


def describe_inputs(features: list[str], reach: str) -> str:
    """A token tagger card's sentence on what its head reads per word piece, MLP or GRU (``reach``: what the GRU's
    reading in order lets a piece's output depend on)."""
    if "sentence_embedding" in features:
        return ("Per word piece: its own state, its neighbours' states, the sentence vector and two flags (inside a "
                "rule quote span, inside quotation marks): 1,538 numbers.")
    return ("Per word piece: its state and two flags (inside a rule quote span, inside quotation marks), 386 numbers, "
            f"read in sentence order by the GRU, so {reach}.")


def describe(hidden: int, epochs: int, output: str = "") -> str:
    """The head's one-line description for model.json and the card (``output``: e.g. ", one sigmoid per label")."""
    return (f"bidirectional GRU, {hidden} units each way, over the sentence's word pieces; its output beside the "
            f"piece's input through {MIX} ReLU units; {epochs} epochs{output} (Adam, lr 2e-3, dropout 0.2, "
            f"batches of {BATCH} sentences)")


def piece_inputs(states: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """A sentence's per-piece input: (n, d) states beside its (n, 2) flags."""
    return np.hstack([np.asarray(states, np.float32), np.asarray(flags, np.float32)])


def _net(d: int, hidden: int, n_labels: int):
    import torch

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.drop = torch.nn.Dropout(0.2)
            self.gru = torch.nn.GRU(d, hidden, batch_first=True, bidirectional=True)
            self.mix = torch.nn.Linear(2 * hidden + d, MIX)
            self.out = torch.nn.Linear(MIX, n_labels)

        def forward(self, x, lengths):
            x = self.drop(x)
            packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            o, _ = self.gru(packed)
            o, _ = torch.nn.utils.rnn.pad_packed_sequence(o, batch_first=True, total_length=x.shape[1])
            return self.out(self.drop(torch.relu(self.mix(torch.cat([o, x], -1)))))

    return Net()


def fit_sequence(inputs: Sequence[np.ndarray], labels: Sequence[np.ndarray], label_names: Sequence[str], *,
                 hidden: int, epochs: int, multi_label: bool = False, lr: float = 2e-3, seed: int = 0,
                 log=None) -> SequenceHead:
    """Fit on sentences: ``inputs[k]`` (n_k, d) from :func:`piece_inputs`, ``labels[k]`` (n_k,) tag indices or
    (n_k, labels) 0/1 for a multi-label head."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    allx = np.vstack(inputs)
    mean = allx.mean(0).astype(np.float32)
    scale = (allx.std(0) + 1e-6).astype(np.float32)
    del allx
    d, n_labels = len(mean), len(label_names)
    net = _net(d, hidden, n_labels)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    lossf = torch.nn.BCEWithLogitsLoss(reduction="none") if multi_label else torch.nn.CrossEntropyLoss(ignore_index=-100)
    order = np.argsort([len(x) for x in inputs], kind="stable")
    chunks = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
    for ep in range(epochs):
        net.train()
        total = 0.0
        for c in rng.permutation(len(chunks)):
            ch = chunks[c]
            lens = [len(inputs[i]) for i in ch]
            L = max(lens)
            X = np.zeros((len(ch), L, d), np.float32)
            if multi_label:
                Y = np.zeros((len(ch), L, n_labels), np.float32)
            else:
                Y = np.full((len(ch), L), -100, np.int64)
            M = np.zeros((len(ch), L), np.float32)
            for r, i in enumerate(ch):
                X[r, :lens[r]] = (inputs[i] - mean) / scale
                Y[r, :lens[r]] = labels[i]
                M[r, :lens[r]] = 1.0
            opt.zero_grad()
            logits = net(torch.from_numpy(X), lens)
            if multi_label:
                mask = torch.from_numpy(M)[..., None]
                loss = (lossf(logits, torch.from_numpy(Y)) * mask).sum() / (mask.sum() * n_labels)
            else:
                loss = lossf(logits.reshape(-1, n_labels), torch.from_numpy(Y).reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += float(loss.detach())
        if log:
            log(f"    epoch {ep + 1}/{epochs}: mean loss {total / len(chunks):.4f}")
    net.eval()
    g = {k: v.detach().numpy().copy() for k, v in net.gru.state_dict().items()}
    arrays = {"mean": mean, "scale": scale,
              "Wih_f": g["weight_ih_l0"], "Whh_f": g["weight_hh_l0"], "bih_f": g["bias_ih_l0"], "bhh_f": g["bias_hh_l0"],
              "Wih_r": g["weight_ih_l0_reverse"], "Whh_r": g["weight_hh_l0_reverse"],
              "bih_r": g["bias_ih_l0_reverse"], "bhh_r": g["bias_hh_l0_reverse"],
              "W_mix": net.mix.weight.detach().numpy().T.copy(), "b_mix": net.mix.bias.detach().numpy().copy(),
              "W_out": net.out.weight.detach().numpy().T.copy(), "b_out": net.out.bias.detach().numpy().copy()}
    assert set(arrays) == {"mean", "scale", *GRU_ARRAYS}
    return SequenceHead(labels=list(label_names), multi_label=multi_label, arrays=arrays)


def torch_proba(head: SequenceHead, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The same probabilities as :class:`~rhetorica.classifiers.token_head.TokenGRU`, computed by PyTorch's GRU from
    the stored arrays (a reference for the numpy pass)."""
    import torch

    a = head.arrays
    hidden = a["Whh_f"].shape[1]
    net = _net(len(a["mean"]), hidden, len(head.labels))
    net.gru.load_state_dict({"weight_ih_l0": torch.tensor(a["Wih_f"]), "weight_hh_l0": torch.tensor(a["Whh_f"]),
                             "bias_ih_l0": torch.tensor(a["bih_f"]), "bias_hh_l0": torch.tensor(a["bhh_f"]),
                             "weight_ih_l0_reverse": torch.tensor(a["Wih_r"]),
                             "weight_hh_l0_reverse": torch.tensor(a["Whh_r"]),
                             "bias_ih_l0_reverse": torch.tensor(a["bih_r"]),
                             "bias_hh_l0_reverse": torch.tensor(a["bhh_r"])})
    net.mix.load_state_dict({"weight": torch.tensor(a["W_mix"].T), "bias": torch.tensor(a["b_mix"])})
    net.out.load_state_dict({"weight": torch.tensor(a["W_out"].T), "bias": torch.tensor(a["b_out"])})
    net.eval()
    out = []
    with torch.no_grad():
        for x in inputs:
            z = net(torch.from_numpy(((x - a["mean"]) / a["scale"]).astype(np.float32))[None], [len(x)])[0]
            out.append((torch.sigmoid(z) if head.multi_label else torch.softmax(z, -1)).double().numpy())
    return out
