"""The classifier stack: one shared encoder pass, shipped heads, checksums, a user's own HF model."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

import rhetorica
from rhetorica.classifiers import ChecksumError, Classifier, load_classifier, register_classifier
from rhetorica.classifiers import unregister_classifier
from rhetorica.classifiers.encoder import Encoder, get_encoder
from rhetorica.classifiers.heads import load_head, models_dir

SHIPPED = ["rhetorical_question", "historical_analogy", "media_bias", "subjectivity", "hedging",
           "propaganda_technique", "frames", "persuasion"]
LABELS = {
    "rhetorical_question": ["rhetorical", "hypophora", "open", "genuine", "not_question"],
    "historical_analogy": ["analogy", "reference", "idiom", "none"],
    "media_bias": ["biased", "non-biased"],
    "subjectivity": ["subjective", "objective"],
    "hedging": ["uncertain", "certain"],
}
SENTENCES = ["What could this mean for the region?", "The committee will meet on Tuesday.",
             "This is a new Cold War, critics said.", ""]


def test_classifiers_all_shipped_are_available():
    assert set(SHIPPED) <= set(rhetorica.available_classifiers())


@pytest.mark.parametrize("name", SHIPPED)
def test_classifiers_load_shapes_and_probabilities(name):
    clf = load_classifier(name)
    assert clf.name == name
    assert all(isinstance(l, str) for l in clf.labels) and len(set(clf.labels)) == len(clf.labels)
    if name in LABELS:
        assert clf.labels == LABELS[name]
    P = clf.predict_proba(SENTENCES)
    assert P.shape == (len(SENTENCES), len(clf.labels))
    assert np.all((P >= 0) & (P <= 1))
    if not clf.multi_label:
        np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-6)
    assert clf.predict_proba([]).shape == (0, len(clf.labels))
    card = (models_dir() / name / "MODEL_CARD.md").read_text()
    assert "licen" in card.lower() and "F1" in card


@pytest.mark.parametrize("name", SHIPPED)
def test_classifiers_predict_proba_rejects_bad_input(name):
    clf = load_classifier(name)
    with pytest.raises(TypeError, match="list of strings"):
        clf.predict_proba("a single string")
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        clf.predict_proba(["fine", None])


def test_classifiers_unknown_name_lists_available():
    with pytest.raises(KeyError, match="Available"):
        load_classifier("sarcasm")


def test_classifiers_encoder_restores_order_and_is_deterministic():
    enc = get_encoder()
    texts = ["A short one.", "A considerably longer sentence about the economy and jobs in the region.", "Mid length here."]
    a = enc.encode(texts)
    b = enc.encode(texts[::-1])[::-1]
    np.testing.assert_allclose(a, b, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(a, enc.encode(texts))
    assert not enc.encode([""]).any()


def test_classifiers_one_encoder_pass_per_batch(monkeypatch, mali_text):
    calls = []
    real, real_tokens = Encoder.encode, Encoder.encode_with_tokens

    def counting(self, texts, **kw):
        calls.append(("plain", list(texts)))
        return real(self, texts, **kw)

    def counting_tokens(self, texts, **kw):  # the pass that also returns word-piece states (attribution tagger)
        calls.append(("tokens", list(texts)))
        return real_tokens(self, texts, **kw)

    monkeypatch.setattr(Encoder, "encode", counting)
    monkeypatch.setattr(Encoder, "encode_with_tokens", counting_tokens)
    rhetorica.Analyzer(batch_size=8).pipe  # noqa: B018 - construction alone must not encode
    assert calls == []
    out = list(rhetorica.Analyzer(batch_size=8).pipe([mali_text, "Is this a new Cold War? Maybe."]))
    assert len(out) == 2
    # every head shares one pass over the batch's sentences: each content sentence goes to the encoder once, in the
    # pass that returns word-piece states, or (when the tagger kept its output for that sentence in that context) in
    # the plain pass that may hit the sentence cache -- at most one call of each kind
    kinds = [k for k, _ in calls]
    assert len(kinds) == len(set(kinds)) and set(kinds) <= {"plain", "tokens"}
    content = [a.text[s.start:s.end] for a in out for s in a.sentences if not any(
        b.start <= s.start and s.end <= b.end for b in a.spans_of("boilerplate"))]
    assert sorted(t for _, texts in calls for t in texts) == sorted(content)


def test_classifiers_checksum_mismatch_refused(tmp_path):
    root = models_dir()
    shutil.copy(root / "MANIFEST.json", tmp_path / "MANIFEST.json")
    shutil.copytree(root / "media_bias", tmp_path / "media_bias")
    load_head("media_bias", str(tmp_path))  # intact copy loads
    w = tmp_path / "media_bias" / "weights.npz"
    data = bytearray(w.read_bytes())
    data[len(data) // 2] ^= 0xFF
    w.write_bytes(bytes(data))
    load_head.cache_clear()
    with pytest.raises(ChecksumError, match="sha256"):
        load_head("media_bias", str(tmp_path))
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text())
    del manifest["files"]["media_bias/weights.npz"]
    (tmp_path / "MANIFEST.json").write_text(json.dumps(manifest))
    with pytest.raises(ChecksumError, match="not listed"):
        load_head("media_bias", str(tmp_path))


@pytest.fixture()
def tiny_hf_model(tmp_path):
    """A tiny random BERT sequence classifier with its own word-piece vocabulary, built here (no downloads)."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "radical", "committee", "meet", "will",
             "on", "tuesday", "scheme", "insane", ".", ","]
    (tmp_path / "vocab.txt").write_text("\n".join(words) + "\n")
    tok = BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"))
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(words), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=32, max_position_embeddings=64, num_labels=2,
                     id2label={0: "biased", 1: "non-biased"}, label2id={"biased": 0, "non-biased": 1})
    model = BertForSequenceClassification(cfg)
    out = tmp_path / "my-roberta"
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


def test_classifiers_user_hf_model_replaces_shipped(tiny_hf_model):
    text = "The radical scheme is insane. The committee will meet on Tuesday."
    try:
        clf = register_classifier("media_bias", tiny_hf_model)
        assert load_classifier("media_bias") is clf
        assert not isinstance(clf, Classifier)
        P = clf.predict_proba(["the radical scheme", "the committee will meet"])
        assert P.shape == (2, 2)
        np.testing.assert_allclose(P.sum(1), 1, atol=1e-6)
        a = rhetorica.Analyzer(detectors=["boilerplate", "media_bias"])(text)
        assert "media_bias_share" in a.scores
        biased = a.spans_of("biased")
        for s in biased:  # whatever the random model says, it is used and its probabilities reported
            assert 0 <= s.score <= 1
    finally:
        unregister_classifier("media_bias")
    assert isinstance(load_classifier("media_bias"), Classifier)


def test_classifiers_user_hf_model_adds_new_name(tiny_hf_model):
    try:
        register_classifier("my_bias", tiny_hf_model)
        assert "my_bias" in rhetorica.available_classifiers()
        assert load_classifier("my_bias").labels == ["biased", "non-biased"]
    finally:
        unregister_classifier("my_bias")
    assert "my_bias" not in rhetorica.available_classifiers()


THRESHOLD_SENTENCES = [
    "The radical left's insane scheme will wreck the country.", "The committee will meet on Tuesday.",
    "It is possible that the vote may be delayed, some observers suggested.", "Critics called it a new Munich.",
    "Who could possibly believe that?", "What time does the meeting start, she asked the clerk.",
    "Prices rose 3 percent in May.", "This disgraceful betrayal is the worst thing I have ever seen.",
]


@pytest.mark.parametrize("name,positive", [("media_bias", "biased"), ("subjectivity", "subjective"),
                                           ("hedging", "uncertain"), ("historical_analogy", "analogy")])
def test_classifiers_predict_applies_the_shipped_threshold(name, positive):
    """predict() decides as analyze() and the card do: the positive label when its probability reaches the
    shipped threshold (not when it is merely the argmax), else the most probable other label."""
    clf = load_classifier(name)
    thr = clf.thresholds[positive]
    assert thr != 0.5 or name == "historical_analogy"
    P = clf.predict_proba(THRESHOLD_SENTENCES)
    col = clf.labels.index(positive)
    rest = [i for i in range(len(clf.labels)) if i != col]
    want = [positive if p[col] >= thr else clf.labels[rest[int(np.argmax(p[rest]))]] for p in P]
    assert clf.predict(THRESHOLD_SENTENCES) == want


def test_classifiers_rhetorical_question_predict_thresholds_the_device_probability():
    clf = load_classifier("rhetorical_question")
    P = clf.predict_proba(THRESHOLD_SENTENCES)
    device = [clf.labels.index(d) for d in clf.config["device_labels"]]
    other = [i for i in range(len(clf.labels)) if i not in device]
    thr = clf.thresholds["rhetorical_question"]
    got = clf.predict(THRESHOLD_SENTENCES)
    for p, label in zip(P, got):
        if p[device].sum() >= thr:
            assert label == clf.labels[device[int(np.argmax(p[device]))]]
        else:
            assert label == clf.labels[other[int(np.argmax(p[other]))]]
    assert got[4] in clf.config["device_labels"]  # "Who could possibly believe that?"


# -- neighbours: the heads that read context take them through predict_proba, as analyze gives them -------------
CONTEXT_CASES = [  # (sentence before, question, sentence after, a device in this context?)
    ("Reporters asked the governor about the delays.", "When will the bridge reopen?", "He said he did not know.",
     False),
    ("Readers often write to us with one question.", "How do I apply for the rebate?",
     "Here is what you need to know.", False),
    ("The mayor promised a safer city for years.", "So where are the results?", "Crime rose by a third last year.",
     True),
]


def test_question_head_reads_the_neighbours_given_to_predict():
    clf = load_classifier("rhetorical_question")
    assert clf.reads_context and load_classifier("historical_analogy").reads_context
    assert not load_classifier("media_bias").reads_context
    prev, qs, nxt, device = map(list, zip(*CONTEXT_CASES))
    with_ctx = clf.predict(qs, prev_texts=prev, next_texts=nxt)
    assert [lab in ("rhetorical", "hypophora", "open") for lab in with_ctx] == device
    P_ctx = clf.predict_proba(qs, prev_texts=prev, next_texts=nxt)[:, :3].sum(1)
    P_bare = clf.predict_proba(qs)[:, :3].sum(1)
    # a reporter's or a reader's real question: the neighbours take it well below its bare-sentence reading
    assert (P_bare[:2] - P_ctx[:2] > 0.2).all()
    # only the neighbours that are given count: "" is no neighbour, the same as leaving them out
    np.testing.assert_allclose(clf.predict_proba(qs, prev_texts=[""] * 3), clf.predict_proba(qs), atol=1e-6)


def test_predict_proba_with_neighbours_agrees_with_analyze():
    text = " ".join(s for p, q, n, _ in CONTEXT_CASES for s in (p, q, n))
    a = rhetorica.analyze(text)
    sents = [text[s.start:s.end] for s in a.sentences]
    spans = a.spans_of("rhetorical_question") + a.spans_of("question")
    assert len(spans) == len(CONTEXT_CASES)
    clf = load_classifier("rhetorical_question")
    for sp in spans:
        i = next(k for k, s in enumerate(a.sentences) if s.start <= sp.start < s.end)
        P = clf.predict_proba([sents[i]], prev_texts=[sents[i - 1]], next_texts=[sents[i + 1]])[0]
        np.testing.assert_allclose(P, [sp.attrs["probs"][k] for k in clf.labels], atol=2e-3)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"prev_texts": "one string"}, TypeError, "prev_texts expects a list"),
    ({"next_texts": ["only one"]}, ValueError, "next_texts has 1 items for 2 texts"),
    ({"prev_texts": ["fine", None]}, TypeError, r"prev_texts\[1\] must be str"),
])
def test_predict_proba_rejects_bad_neighbours(kwargs, error, match):
    with pytest.raises(error, match=match):
        load_classifier("rhetorical_question").predict_proba(["Why now?", "Who knows?"], **kwargs)
