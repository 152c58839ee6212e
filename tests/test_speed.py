"""The speed features: the sentence cache, the int8 encoder and its selection (behaviour, not timing).

The int8 ONNX export is made once per test run into a temporary cache folder (3.5 s measured on
two cores, 7 s while the machine was busy).
"""
from __future__ import annotations

import time
import warnings

import numpy as np
import pytest

import rhetorica
from rhetorica.classifiers import encoder as encoder_mod
from rhetorica.classifiers.encoder import Encoder, OnnxInt8Encoder, export_int8, get_encoder

pytest.importorskip("onnxruntime", reason="the int8 encoder needs onnxruntime (a dependency of rhetorica)")

SENTENCES = [
    "What could this mean for the region?",
    "The committee will meet on Tuesday to discuss the budget.",
    "This is a new Cold War, critics said.",
    "Shares in the carmaker fell 4% after it cut its profit forecast for the year.",
    "The radical scheme is an insane attack on working families.",
    "Officials said the bridge would reopen in the spring.",
    "Is anyone surprised that the talks collapsed again?",
    "Rain is expected across the north of the country tomorrow.",
]


@pytest.fixture(scope="session")
def fp32():
    enc = get_encoder("fp32")
    enc.encode(["Load the weights once."])
    return enc


def _sharing_weights(base: Encoder, cache_size: int) -> Encoder:
    """A new encoder (own cache) that reuses ``base``'s loaded model, so a test does not reload weights."""
    enc = Encoder(base.path, cache_size=cache_size)
    enc._model, enc._tokenizer, enc._torch = base._model, base._tokenizer, base._torch
    return enc


@pytest.fixture(scope="session")
def int8(tmp_path_factory):
    """The shared int8 encoder, with its ONNX export made once into a temporary cache folder."""
    cache = tmp_path_factory.mktemp("onnx-cache")
    t0 = time.perf_counter()
    path = export_int8(cache_dir=cache)
    enc = OnnxInt8Encoder(cache_dir=cache)
    enc.export_seconds = time.perf_counter() - t0
    enc.encode(["Load the model once."])
    previous = encoder_mod._encoders.get("int8")
    encoder_mod._encoders["int8"] = enc  # Analyzer(encoder="int8") uses this one
    yield enc
    assert path.exists()
    if previous is None:
        encoder_mod._encoders.pop("int8", None)
    else:
        encoder_mod._encoders["int8"] = previous


# -- the sentence cache ------------------------------------------------------------------------------
def test_speed_cache_returns_identical_vectors_and_counts_hits(fp32):
    enc = _sharing_weights(fp32, cache_size=100)
    first = enc.encode(SENTENCES[:3])
    assert enc.cache_info() == {"hits": 0, "misses": 3, "size": 3, "maxsize": 100}
    again = enc.encode([SENTENCES[2], SENTENCES[3], SENTENCES[0]])
    info = enc.cache_info()
    assert (info["hits"], info["misses"], info["size"]) == (2, 4, 4)
    np.testing.assert_array_equal(again[0], first[2])
    np.testing.assert_array_equal(again[2], first[0])


def test_speed_repeated_sentence_is_encoded_once(fp32, monkeypatch):
    enc = _sharing_weights(fp32, cache_size=100)
    seen: list[str] = []
    real = Encoder._forward

    def counting(self, batch):
        seen.extend(batch)
        return real(self, batch)

    monkeypatch.setattr(Encoder, "_forward", counting)
    wire = "Prime Minister Theresa May said the deal was the best available."
    out = enc.encode([wire, SENTENCES[1], wire, "", wire])
    assert seen.count(wire) == 1
    np.testing.assert_array_equal(out[0], out[2])
    np.testing.assert_array_equal(out[0], out[4])
    assert not out[3].any()  # an empty string is a zero row, never cached
    enc.encode([wire])
    assert seen.count(wire) == 1


def test_speed_cache_is_bounded_lru(fp32):
    enc = _sharing_weights(fp32, cache_size=2)
    enc.encode(SENTENCES[:2])
    enc.encode([SENTENCES[0]])          # touch 0: 1 is now the least recently used
    enc.encode([SENTENCES[2]])          # evicts 1
    assert enc.cache_info()["size"] == 2
    before = enc.cache_info()["misses"]
    enc.encode([SENTENCES[0], SENTENCES[2]])
    assert enc.cache_info()["misses"] == before
    enc.encode([SENTENCES[1]])
    assert enc.cache_info()["misses"] == before + 1


def test_speed_cached_vector_equals_uncached_within_float_noise(fp32):
    """Batching pads a short sentence next to long ones; the documented tolerance is 1e-5 per component."""
    enc = _sharing_weights(fp32, cache_size=0)
    alone = np.vstack([enc.encode([s]) for s in SENTENCES])
    batched = enc.encode(SENTENCES)
    assert np.abs(alone - batched).max() < 1e-5
    assert enc.cache_info()["size"] == 0


def test_speed_cache_size_from_environment(monkeypatch):
    monkeypatch.setenv("RHETORICA_ENCODER_CACHE", "7")
    assert Encoder().cache_info()["maxsize"] == 7
    monkeypatch.setenv("RHETORICA_ENCODER_CACHE", "lots")
    with pytest.raises(ValueError, match="RHETORICA_ENCODER_CACHE"):
        Encoder()


def test_speed_analyzer_reports_cache_hits_on_repeated_text(fp32):
    an = rhetorica.Analyzer(detectors=["boilerplate", "media_bias"])
    text = "The radical scheme will wreck the country. Officials said the bridge would reopen in the spring."
    an(text)
    hits = an.encoder.cache_info()["hits"]
    an(text)
    assert an.encoder.cache_info()["hits"] >= hits + 2


# -- the int8 encoder --------------------------------------------------------------------------------
def test_speed_int8_embeddings_close_to_fp32(fp32, int8):
    a = Encoder.encode(_sharing_weights(fp32, cache_size=0), SENTENCES)
    b = int8.encode(SENTENCES)
    assert b.shape == a.shape and b.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    cos = (a * b).sum(axis=1)
    assert cos.min() >= 0.98, cos
    assert not int8.encode([""]).any()


def test_speed_int8_vector_of_a_sentence_does_not_depend_on_its_batch(int8):
    """Dynamic int8 quantisation scales by the range of its whole input: a sentence must be run on its own, or its
    vector (and every score read from it) would change with whatever sentences share its batch."""
    fresh = OnnxInt8Encoder(cache_dir=int8.cache_dir, cache_size=0)
    fresh._model, fresh._fast, fresh._tokenizer = int8._model, int8._fast, int8._tokenizer
    fresh.threads = 2  # two sentences at a time, one thread each
    together = fresh.encode(SENTENCES)
    alone = np.vstack([fresh.encode([s]) for s in SENTENCES])
    reordered = fresh.encode(SENTENCES[::-1])[::-1]
    np.testing.assert_array_equal(together, alone)
    np.testing.assert_array_equal(together, reordered)
    fresh.threads = 1
    np.testing.assert_array_equal(fresh.encode(SENTENCES), together)
    vec, states = fresh.encode_with_tokens(SENTENCES)
    _, states_alone = fresh.encode_with_tokens([SENTENCES[4]])
    np.testing.assert_array_equal(vec, together)
    np.testing.assert_array_equal(states[4].states, states_alone[0].states)
    np.testing.assert_array_equal(states[4].offsets, states_alone[0].offsets)
    assert SENTENCES[4][slice(*states[4].offsets[1])] == "radical"


def test_speed_set_threads_applies_to_a_loaded_int8_encoder_and_keeps_its_vectors(int8):
    import sys

    from rhetorica.classifiers.encoder import set_threads

    before, was = list(encoder_mod._threads), int8.threads
    torch_threads = sys.modules["torch"].get_num_threads() if "torch" in sys.modules else None
    vec = int8._forward(SENTENCES)
    try:
        for n in (1, 3):
            set_threads(n)
            assert int8.threads == n
            np.testing.assert_array_equal(int8._forward(SENTENCES), vec)
    finally:
        encoder_mod._threads[:] = before
        int8.threads, int8._workers = was, None
        if torch_threads is not None:
            sys.modules["torch"].set_num_threads(torch_threads)


def test_speed_int8_export_is_cached_and_keyed_by_weights(int8):
    print(f"int8 export took {int8.export_seconds:.1f} s")
    folder = int8.onnx_file.parent
    digest = encoder_mod._sha256(encoder_mod._weights_file(int8.path))
    assert int8.onnx_file.name.startswith(f"minilm-int8-{digest[:16]}-")
    stamp = int8.onnx_file.stat().st_mtime_ns
    assert export_int8(cache_dir=folder) == int8.onnx_file  # second call: found, not rebuilt
    assert int8.onnx_file.stat().st_mtime_ns == stamp
    # no temporary files left: the export and the sha256 recorded when it was made
    assert sorted(p.name for p in folder.iterdir()) == [int8.onnx_file.name, int8.onnx_file.name + ".sha256"]


def test_speed_int8_export_keeps_the_first_feed_forward_outputs_in_fp32(int8):
    """The recipe: every weight matrix int8 but the first layers' feed-forward output projections (1536 x 384)."""
    import onnx

    graph = onnx.load(str(int8.onnx_file)).graph
    ffn_out = [i.data_type for i in graph.initializer if tuple(i.dims) == (1536, 384)]
    assert ffn_out.count(onnx.TensorProto.FLOAT) == encoder_mod.ONNX_FP32_FFN_OUT_LAYERS == 3
    assert ffn_out.count(onnx.TensorProto.INT8) == 6 - 3
    int8_weights = [i for i in graph.initializer if i.data_type == onnx.TensorProto.INT8 and len(i.dims) == 2]
    assert len(int8_weights) == 6 * 6 - 3  # q, k, v, attention output, intermediate, output per layer; 3 kept


def test_speed_int8_unwritable_cache_falls_back_to_a_temporary_folder(int8, tmp_path, monkeypatch):
    """A cache folder that cannot be made (here: under a file) must not stop the default encoder: the export goes
    to a per-user temporary folder, with a warning naming RHETORICA_CACHE."""
    import os
    import shutil
    import tempfile

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(encoder_mod, "onnx_cache_dir", lambda: blocker / "cache")
    tmp = tmp_path / "tmp"
    fallback = tmp / f"rhetorica-{os.getuid()}"
    fallback.mkdir(parents=True)
    for f in int8.onnx_file.parent.iterdir():  # the export already made, so the fallback finds it (no 8 s rebuild)
        shutil.copy(f, fallback / f.name)
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp))
    with pytest.warns(UserWarning, match="Cannot write the int8 encoder .* Set RHETORICA_CACHE"):
        path = export_int8()
    assert path == fallback / int8.onnx_file.name


def test_speed_int8_damaged_cache_is_exported_again(tmp_path):
    pytest.importorskip("onnxruntime")
    first = export_int8(cache_dir=tmp_path)
    good = first.read_bytes()
    first.write_bytes(good[: len(good) // 2])  # a truncated cache file (a full disk, a killed copy)
    with pytest.warns(UserWarning, match="does not match its recorded sha256"):
        again = export_int8(cache_dir=tmp_path)
    assert again == first and again.read_bytes() == good


def test_speed_int8_analyzer_keeps_the_fp32_findings_on_mali(int8, fp32, mali_text, mali_analysis):
    """The default (int8) analysis of the reference article against the fp32 encoder's."""
    assert rhetorica.Analyzer().encoder is int8
    a, mali_analysis = mali_analysis, rhetorica.Analyzer(encoder="fp32")(mali_text)
    assert list(a.scores) == list(mali_analysis.scores)
    text = a.text
    assert a.scores["rhetorical_question_count"] == mali_analysis.scores["rhetorical_question_count"] == 8
    assert {text[s.start:s.end] for s in a.spans_of("rhetorical_question")} == \
        {text[s.start:s.end] for s in mali_analysis.spans_of("rhetorical_question")}
    assert any("Nazi Germany" in text[s.start:s.end] for s in a.spans_of("historical_analogy"))
    for name, value in a.scores.items():  # shares and probabilities move a little, never wildly
        ref = mali_analysis.scores[name]
        if name.startswith("frame_") or name.endswith("_mean"):
            assert abs(value - ref) < 0.1, name


def test_speed_token_tagger_outputs_are_not_shared_between_encoders(int8, monkeypatch):
    """The token taggers keep per-sentence outputs across texts; an int8 run must compute its own, from int8 states,
    never reuse what the fp32 encoder gave for the same sentence."""
    text = ("Many analysts expect the central bank of Freedonia to cut rates by June, a survey found. "
            "True patriots stand with our flag and our great nation.")
    dets = ["boilerplate", "quote", "attribution", "techniques"]
    rhetorica.Analyzer(detectors=dets, encoder="fp32")(text)
    calls = []
    real = type(int8).encode_with_tokens

    def counting(self, texts, **kw):
        calls.append(list(texts))
        return real(self, texts, **kw)

    monkeypatch.setattr(type(int8), "encode_with_tokens", counting)
    rhetorica.Analyzer(detectors=dets, encoder="int8")(text)
    assert sum(map(len, calls)) == 2  # both sentences went through the int8 token pass
    calls.clear()
    rhetorica.Analyzer(detectors=dets, encoder="int8")(text)
    assert calls == []  # and a second int8 run is served by the int8 outputs


def test_speed_analyze_accepts_encoder(int8):
    a = rhetorica.analyze("Is this a new Cold War? Critics think so.", encoder="int8")
    assert a.scores["question_count"] == 1


# -- selection and errors ----------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["fp16", "INT8", "", 8])
def test_speed_bad_encoder_name_is_a_clear_error(bad):
    with pytest.raises(ValueError, match=r"'encoder' parameter must be one of \['fp32', 'int8'\]"):
        rhetorica.Analyzer(encoder=bad)
    with pytest.raises(ValueError, match="'encoder' parameter"):
        rhetorica.analyze("Hello there.", encoder=bad)


def test_speed_environment_selects_the_encoder(monkeypatch):
    monkeypatch.setenv("RHETORICA_ENCODER", "int8")
    assert rhetorica.Analyzer(detectors=["quote"]).encoder_name == "int8"
    assert rhetorica.Analyzer(detectors=["quote"], encoder="fp32").encoder_name == "fp32"  # the argument wins
    monkeypatch.setenv("RHETORICA_ENCODER", "fast")
    with pytest.raises(ValueError, match="RHETORICA_ENCODER must be one of"):
        rhetorica.Analyzer(detectors=["quote"])


def test_speed_missing_onnxruntime_says_what_to_install(monkeypatch):
    import importlib.util
    import sys

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name, *a))
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ImportError, match=r"pip install onnxruntime onnx"):
        rhetorica.Analyzer(encoder="int8")
    rhetorica.Analyzer(detectors=["quote"], encoder="int8")  # rules only: no encoder, nothing to install
    # the default falls back to fp32, once with a warning that says so; an explicit "int8" above was never replaced
    monkeypatch.delenv("RHETORICA_ENCODER", raising=False)
    monkeypatch.setattr(encoder_mod, "_warned_fallback", [])
    with pytest.warns(UserWarning, match="needs onnxruntime .* using the fp32 encoder"):
        assert rhetorica.Analyzer(detectors=["quote", "media_bias"]).encoder_name == "fp32"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once per process, and not at all where no encoder runs
        assert rhetorica.Analyzer(detectors=["quote", "media_bias"]).encoder_name == "fp32"
        monkeypatch.setattr(encoder_mod, "_warned_fallback", [])
        assert rhetorica.Analyzer(detectors=["quote"]).encoder_name == "fp32"


def test_speed_int8_is_the_default(monkeypatch):
    monkeypatch.delenv("RHETORICA_ENCODER", raising=False)
    assert encoder_mod.DEFAULT_ENCODER == "int8"
    assert rhetorica.Analyzer().encoder_name == "int8"
    assert get_encoder() is get_encoder("int8")


def test_encoder_batches_are_capped_by_padded_size():
    """Long sentences go in smaller batches (bounded attention buffers); every index is kept, in order."""
    from rhetorica.classifiers.encoder import MAX_BATCH_CHARS, _batches

    lengths = [2000] * 30 + [400] * 100 + [60] * 200  # longest first, as the encoder sorts them
    order = list(range(len(lengths)))
    batches = _batches(order, lengths, 64)
    assert [i for b in batches for i in b] == order
    assert all(len(b) * lengths[b[0]] <= max(MAX_BATCH_CHARS, lengths[b[0]]) for b in batches)
    assert len(batches[0]) < 64 and max(len(b) for b in batches) == 64
