"""Tokenisation lives in one place (rhetorica.text.words): the word pattern and the n-gram hasher."""
import numpy as np
import pytest

from rhetorica.text.words import WORD, char_ngrams, hash_ngrams, word_ngrams, words


def test_words_keep_inner_apostrophes_and_hyphens_and_never_split_a_word():
    text = "Don't call the far-left COVID-19 plan O’Brien’s “café” idea -- or 1984's sequel."
    assert words(text) == ["Don't", "call", "the", "far-left", "COVID-19", "plan", "O’Brien’s", "café", "idea",
                           "or", "1984's", "sequel"]


def test_words_never_start_or_end_with_punctuation():
    for w in words("'quoted' -dash- trailing' _under_score_ ‘curly’"):
        assert w[0].isalnum() and w[-1].isalnum(), w


def test_word_is_the_pattern_every_feature_module_reads():
    import rhetorica.classifiers.feats_frames as frames
    import rhetorica.classifiers.feats_history as history
    import rhetorica.classifiers.feats_propaganda as propaganda
    import rhetorica.classifiers.feats_sentence as sentence

    for mod in (frames, history, propaganda, sentence):
        assert mod._WORD_RE is WORD, mod.__name__


def test_word_ngrams_in_order_with_bigrams_after_unigrams():
    assert word_ngrams(["some", "critics", "say"], 2) == ["some", "critics", "say", "some critics", "critics say"]


def test_char_ngrams_pad_each_whitespace_chunk_and_keep_punctuation():
    grams = char_ngrams("go lunatics!", 2, 3)
    assert " g" in grams and "go " in grams and "s!" in grams and "! " in grams
    assert not any(" " in g.strip() for g in grams)  # never across two chunks


def test_hash_ngrams_is_deterministic_normalised_and_counts_repeats():
    a = hash_ngrams(["some", "critics", "some"], 64)
    assert a.dtype == np.float32 and a.shape == (64,)
    assert np.isclose(np.linalg.norm(a), 1.0)
    assert np.array_equal(a, hash_ngrams(["some", "critics", "some"], 64))
    assert sorted(a[a > 0].round(4).tolist()) == pytest.approx(sorted([1 / 5 ** 0.5, 2 / 5 ** 0.5]), abs=1e-4)
    assert not hash_ngrams([], 64).any()


def test_hash_ngrams_accepts_lone_surrogates():
    assert np.isclose(np.linalg.norm(hash_ngrams(["bad\ud800text"], 16)), 1.0)
