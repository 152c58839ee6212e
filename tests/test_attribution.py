"""The learned attribution tagger: decoding of its tag probabilities, and its spans on real sentences."""
import numpy as np
import pytest

from rhetorica.classifiers.token_head import piece_features
from rhetorica.detectors.quotes.tagger import CONTENT, CUE, SOURCE, Decoding, content_runs, runs, tag_runs
from rhetorica.detectors.token_reader import quote_mark_mask


def test_runs_bridge_at_most_gap_pieces():
    on = np.array([1, 1, 0, 1, 0, 0, 1], dtype=bool)
    assert runs(on, 0) == [(0, 1), (3, 3), (6, 6)]
    assert runs(on, 1) == [(0, 3), (6, 6)]
    assert runs(on, 2) == [(0, 6)]
    assert runs(np.zeros(3, dtype=bool), 1) == []


def _probs(tags):
    P = np.full((len(tags), 4), 0.02)
    for i, t in enumerate(tags):
        P[i, t] = 0.94
    return P


def test_content_runs_widen_to_whole_words_and_need_a_cue():
    text = "Polls show voters want change now."
    # word pieces: "Polls" "show" "voters" "want" "change" "now" "." (offsets as a tokenizer gives them)
    offsets = np.array([[0, 5], [6, 10], [11, 17], [18, 22], [23, 26], [30, 33], [33, 34]])  # [23, 26]: "cha"
    P = _probs([2, CUE, CONTENT, CONTENT, CONTENT, CONTENT, 0])
    spans = content_runs(text, offsets, P, Decoding(content=0.5, cue=0.3, min_pieces=3, gap=1))
    assert [(text[s:e]) for s, e, _ in spans] == ["voters want change now"]
    assert spans[0][2] == pytest.approx(0.94)
    no_cue = P.copy()
    no_cue[1] = [0.94, 0.02, 0.02, 0.02]
    assert content_runs(text, offsets, no_cue, Decoding(cue=0.3)) == []
    assert content_runs(text, offsets, P, Decoding(min_pieces=5)) == []


def test_source_runs_take_every_piece_above_the_threshold_and_bridge_one():
    text = "The new poll by the Register shows gains."
    offsets = np.array([[0, 3], [4, 7], [8, 12], [13, 15], [16, 19], [20, 28], [29, 34], [35, 40], [40, 41]])
    P = _probs([0, SOURCE, SOURCE, 0, SOURCE, SOURCE, CUE, 0, 0])
    P[0] = [0.55, 0.05, 0.35, 0.05]  # "The": SOURCE is not the likeliest tag, but likely enough
    P[3] = [0.7, 0.05, 0.2, 0.05]  # "by": below the threshold, between two source runs
    likeliest = [text[s:e] for s, e, _ in tag_runs(text, offsets, P, SOURCE)]
    assert likeliest == ["new poll", "the Register"]
    assert [text[s:e] for s, e, _ in tag_runs(text, offsets, P, SOURCE, 0.3)] == ["The new poll", "the Register"]
    assert [text[s:e] for s, e, _ in tag_runs(text, offsets, P, SOURCE, 0.3, 1)] == ["The new poll by the Register"]


def test_source_spans_lose_the_commas_their_edge_pieces_bring():
    from rhetorica.detectors.quotes.tagger import _strip_punct

    text = "On Thursday, the leader of the church, Pope Francis, imposed a law."
    s = text.index("the leader")
    e = text.index(" imposed")
    assert text[slice(*_strip_punct(text, (s, e, 0.5))[:2])] == "the leader of the church, Pope Francis"
    assert _strip_punct(text, (s, e, 0.5))[2] == 0.5
    assert _strip_punct(text, (11, 12)) == (11, 12)  # nothing but a comma: left as it is
    # a name never holds a quotation mark: a run across one keeps what follows the last
    text = 'The so-called "community benefits" package, which promises a park, was described.'
    s, e = text.index("benefits"), text.index(" which")
    assert text[slice(*_strip_punct(text, (s, e))[:2])] == "package"
    s = text.index("benefits")
    cut = _strip_punct(text, (s, s + len('benefits"')))
    assert cut[0] == cut[1]  # nothing after the mark: an empty run, which names nobody


@pytest.mark.parametrize("run, kept", [
    ("and the Workforce subcommittee", "the Workforce subcommittee"),
    (") office", "office"),
    ("the Labor Department could", "the Labor Department"),
    ("Sen. Ted Cruz (R-Texas)", "Sen. Ted Cruz (R-Texas)"),  # a closing bracket that closes stays
    ("His", "His"),  # a possessive source ("His campaign said"), annotated as such in PolNeAR
    ("At least four senators", "At least four senators"),
    ("there", ""),
    ("however", ""),
    ("(D-Ky.)", ""),  # a party tag alone: the name it belongs to is outside the run
])
def test_source_runs_lose_edge_words_no_name_has(run, kept):
    from rhetorica.detectors.quotes.tagger import _clean_source

    text = f"Yesterday {run} said the bill would pass."
    s = text.index(run)
    out = _clean_source(text, (s, s + len(run), 0.5))
    assert text[out[0]:out[1]] == kept and out[2] == 0.5


def test_quote_mark_mask_pairs_curly_and_straight_marks_per_line():
    text = 'He said "no way" and “never”.\nAn "unclosed line\nnext'
    m = quote_mark_mask(text)
    assert m[text.index('"no')] and m[text.index('way"') + 3] and not m[text.index("and")]
    assert m[text.index("never")] and not m[text.index("next")]


def test_piece_features_are_state_neighbours_sentence_and_flags():
    states = np.arange(12, dtype=np.float32).reshape(3, 4)
    X = piece_features(states, np.ones(4), np.array([0, 1, 0], np.float32), np.array([1, 1, 0], np.float32))
    assert X.shape == (3, 4 * 4 + 2)
    assert np.array_equal(X[1, :4], states[1]) and np.array_equal(X[1, 4:8], states[0])
    assert np.array_equal(X[1, 8:12], states[2]) and not X[0, 4:8].any() and not X[2, 8:12].any()
    assert X[1, -2:].tolist() == [1.0, 1.0]


# -- the shipped tagger on real sentences ------------------------------------------------------------------
@pytest.fixture(scope="module")
def analyzer():
    from rhetorica.pipeline import Analyzer

    return Analyzer(detectors=["boilerplate", "quote", "attribution"])


def _quotes(a):
    return [(a.text[s.start:s.end], s.attrs.get("by", "rules"), s.attrs["speaker"], s.attrs["cue"])
            for s in a.spans_of("quote")]


def test_tagger_finds_a_finding_credited_to_polls_that_the_rules_miss(analyzer):
    text = "Polls show that most voters want stricter gun laws. The bill failed anyway."
    a = analyzer(text)
    quotes = _quotes(a)
    assert len(quotes) == 1
    content, by, speaker, cue = quotes[0]
    assert by == "tagger" and "most voters want stricter gun laws" in content and "bill" not in content
    assert (speaker, cue) == ("Polls", "show")
    assert a.scores["tagged_quote_count"] == 1 and a.scores["quote_count"] == 1
    assert 0.4 < a.scores["attributed_share"] < 0.7
    assert a.scores["quoted_share"] == 0  # verbatim words only: nothing is in quotation marks


def test_tagger_credits_an_expectation_to_its_holders(analyzer):
    a = analyzer("Many economists expect the Federal Reserve to raise rates in December.")
    [(content, by, speaker, cue)] = _quotes(a)
    assert by == "tagger" and content.startswith("the Federal Reserve") and speaker == "Many economists"
    assert cue == "expect"


def test_tagger_source_with_a_relative_who_names_its_antecedent(analyzer):
    a = analyzer("The plan was drafted by Mayor Jane Doe, who hopes the new stadium will revive downtown.")
    [span] = a.spans_of("quote")
    at = span.attrs
    assert at["by"] == "tagger" and a.text[span.start:span.end] == "the new stadium will revive downtown"
    assert at["speaker"] == "Jane Doe" and a.text[at["speaker_start"]:at["speaker_end"]] == "who"
    assert at["cue"] == "hopes"


def test_tagger_source_with_a_relative_which_names_its_antecedent(analyzer):
    # the source run reads "package, which": the speaker is what "which" stands for, not the run as written
    a = analyzer("The so-called \u201ccommunity benefits\u201d package, which promises a park and 200 affordable flats, "
                 "was described by one local blogger as a shameless publicity stunt by greedy developers.")
    [span] = [s for s in a.spans_of("quote") if s.attrs["by"] == "tagger" and s.attrs["cue"] == "promises"]
    at = span.attrs
    assert a.text[span.start:span.end] == "a park and 200 affordable flats"
    assert at["speaker"] == "package" and a.text[at["speaker_start"]:at["speaker_end"]] == "which"


def test_tagger_leaves_rule_quotes_and_plain_reporting_alone(analyzer):
    a = analyzer("“We will win,” said Senator Jane Doe. Trump said the wall would be paid for by Mexico.")
    assert {by for _, by, _, _ in _quotes(a)} == {"rules"}
    plain = analyzer("The storm hit the coast on Tuesday. Thousands of homes lost power.")
    assert plain.spans_of("quote") == [] and plain.scores["attributed_share"] == 0


def test_voice_of_other_features_follows_the_tagger():
    from rhetorica.pipeline import Analyzer, Doc

    text = "Polls show that most voters consider the bill a disgraceful betrayal."
    with_tagger = Analyzer(detectors=["attribution", "media_bias"])(text)
    rules_only = Analyzer(detectors=["media_bias"])(text)
    assert with_tagger.spans_of("quote") and not rules_only.spans_of("quote")
    i = text.index("disgraceful betrayal")
    for a, voice in ((with_tagger, "quoted"), (rules_only, "editorial")):
        doc = Doc(text)
        doc.spans.extend(a.spans)
        doc.invalidate()
        assert doc.voice(i, i + len("disgraceful betrayal")) == voice


def test_tagger_raises_recall_on_polnear_dev_articles(analyzer):
    from conftest import DATA, need_data
    from rhetorica.pipeline import Analyzer
    from rhetorica.training.polnear import load_split, plain_metrics, plain_overlap

    need_data(DATA / "quotes" / "polnear" / "dev")
    arts = load_split("dev")[:12]
    texts = [t for _, t, _ in arts]

    def metrics(an):
        return plain_metrics([plain_overlap(g, [(s.start, s.end) for s in a.spans_of("quote")])
                              for (_, _, g), a in zip(arts, an.pipe(texts))])

    rules, both = metrics(Analyzer(detectors=["boilerplate", "quote"])), metrics(analyzer)
    assert both["recall"] >= rules["recall"] + 0.05
    assert both["recall_no_marks"] >= rules["recall_no_marks"] + 0.05
    assert both["precision"] >= 0.85


def test_fast_tagger_pass_equals_the_reference_forward_pass():
    """The detector's numpy pass over many sentences at once gives the same probabilities as the reference: PyTorch's
    GRU loaded from the stored arrays for a sequence head, the stored head applied to the documented per-piece
    features for an MLP head."""
    from rhetorica.classifiers.encoder import get_encoder
    from rhetorica.classifiers.heads import SequenceHead
    from rhetorica.detectors.quotes.tagger import shipped_tagger
    from rhetorica.detectors.token_reader import piece_flags
    from rhetorica.training.sequence_head import piece_inputs, torch_proba

    tagger = shipped_tagger()
    texts = ["Polls show that most voters want stricter gun laws.", "Officials said nothing.",
             "Many economists expect the Federal Reserve to raise rates in December, a survey by the newspaper found."]
    vectors, states = get_encoder().encode_with_tokens(texts)
    rng = np.random.default_rng(0)
    flags = [rng.integers(0, 2, (len(s.offsets), 2)).astype(np.float32) for s in states]
    fast = tagger.proba([s.states for s in states], vectors, flags)
    if isinstance(tagger.head, SequenceHead):
        slow_all = torch_proba(tagger.head, [piece_inputs(s.states, f) for s, f in zip(states, flags)])
    else:
        slow_all = [tagger.head.predict_proba(piece_features(s.states, v, f[:, 0], f[:, 1]))
                    for s, v, f in zip(states, vectors, flags)]
    for s, P, slow in zip(states, fast, slow_all):
        assert P.shape == (len(s.offsets), 4) and np.abs(P - slow).max() < 1e-5
    # one sentence alone gets what it gets in the batch (no padding leaks between sentences of unequal length)
    alone = tagger.proba([states[2].states], vectors[2:], flags[2:])[0]
    assert np.abs(alone - fast[2]).max() < 1e-6
    offsets = np.array([[0, 5], [6, 10], [10, 10]])
    mask = np.zeros(12, dtype=bool)
    mask[7] = True
    assert piece_flags(offsets, mask).tolist() == [0.0, 1.0, 0.0]


def test_repeated_sentences_are_served_from_the_tagger_cache_with_the_same_result(monkeypatch):
    from rhetorica.classifiers.encoder import Encoder
    from rhetorica.detectors.token_reader import output_cache
    from rhetorica.pipeline import Analyzer

    an = Analyzer(detectors=["boilerplate", "quote", "attribution"])
    text = ("Many analysts expect the central bank of Freedonia to cut rates by June. The currency fell.\n\n"
            "A new survey found that most Freedonian farmers oppose the tariff plan.")
    first = an(text)
    calls = []
    real = Encoder.encode_with_tokens

    def counting(self, texts, **kw):
        calls.append(list(texts))
        return real(self, texts, **kw)

    monkeypatch.setattr(Encoder, "encode_with_tokens", counting)
    hits = output_cache("attribution").hits
    again = an(text)
    assert [(s.start, s.end, s.score, dict(s.attrs)) for s in again.spans_of("quote")] == \
        [(s.start, s.end, s.score, dict(s.attrs)) for s in first.spans_of("quote")]
    assert first.spans_of("quote") and output_cache("attribution").hits >= hits + 3 and sum(map(len, calls)) == 0
    # the same sentence inside quotation marks is another context: no cached output is reused for it
    quoted = an('He said: "' + text.split("\n\n")[1] + '"')
    assert sum(map(len, calls)) == 1 and quoted.spans_of("quote")


def test_texts_read_in_one_batch_get_the_tags_they_get_alone(monkeypatch):
    """The taggers read every text of a batch in one call of their head; each text must get back its own pieces'
    probabilities (no mix-up of offsets or rows between texts), exactly as when analysed alone."""
    from rhetorica.detectors.token_reader import output_cache
    from rhetorica.pipeline import Analyzer

    for name in ("attribution", "techniques"):
        monkeypatch.setattr(output_cache(name), "maxsize", 0)  # every sentence through the head, none from the cache
    an = Analyzer(detectors=["boilerplate", "quote", "attribution", "techniques"])
    texts = ["Polls show that most voters want stricter gun laws. The bill failed anyway.",
             "Short.",
             "The council met on Tuesday.\n\nMany economists expect the Federal Reserve to raise rates in December, "
             "and a report by the central bank found that prices rose faster than wages.",
             "We must defend our great nation from the traitors who would sell it out!"]
    batch = list(an.pipe(texts))
    assert any(s.attrs.get("by") == "tagger" for a in batch for s in a.spans_of("quote"))
    for text, b in zip(texts, batch):
        alone = an(text)
        assert b.text == text
        assert [(s.start, s.end, s.label, s.score, dict(s.attrs)) for s in b.spans] == \
            [(s.start, s.end, s.label, s.score, dict(s.attrs)) for s in alone.spans]
