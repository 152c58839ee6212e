"""The technique tagger: decoding, its fast pass, and its spans, scores and display on real text."""
import numpy as np
import pytest

from rhetorica.detectors.techniques import SPAN_LABELS, Rule, TechniqueDetector, shipped_tagger, technique_runs

from conftest import DATA, need_data

FLAG_WAVING = ("We will never let them take away the freedoms our grandfathers fought and died for. "
               "This is America, and true patriots stand with our flag, our troops and our great nation.")
PLAIN = "The council met on Tuesday to discuss the budget for the new library. The meeting lasted two hours."


@pytest.fixture(scope="module")
def analyzer():
    from rhetorica import Analyzer

    return Analyzer(detectors=["boilerplate", "quote", "techniques"])


def test_runs_need_the_threshold_and_the_minimum_length_and_are_widened_to_words():
    text = "They are destroying our beautiful country."
    offsets = np.array([[0, 4], [5, 8], [9, 14], [14, 19], [20, 23], [24, 33], [34, 41], [41, 42]])
    p = np.array([0.1, 0.2, 0.9, 0.8, 0.1, 0.7, 0.2, 0.0])
    # pieces 2-3 and 5 are on; one piece below the threshold (4) is bridged: one run from "destroying" to "beautiful"
    assert [(s, e) for s, e, _ in technique_runs(text, offsets, p, Rule(0.6, 2))] == [(9, 33)]
    assert technique_runs(text, offsets, p, Rule(0.6, 2, gap=0))[0][:2] == (9, 19)  # "destroying" alone
    assert technique_runs(text, offsets, p, Rule(0.6, 5)) == []  # too short
    s, e, score = technique_runs(text, np.array([[11, 14]]), np.array([0.9]), Rule(0.5, 1))[0]
    assert text[s:e] == "destroying" and score == pytest.approx(0.9)  # a piece inside a word widens to the word


def test_clause_widening_snaps_runs_to_their_clause_and_merges_runs_in_one_clause():
    from rhetorica.detectors.techniques import clause_of

    text = 'We will fight, and true patriots stand with our flag; they "never yield" - ever.'
    s = text.index("patriots")
    assert text[slice(*clause_of(text, s, s + 8, 0, len(text)))] == "and true patriots stand with our flag"
    s = text.index("never")
    assert text[slice(*clause_of(text, s, s + 5, 0, len(text)))] == "never yield"
    # two runs in the same clause become one span, scored by the better run
    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", text)]
    offsets = np.array(words)
    p = np.zeros(len(words))
    p[[4, 5]] = 0.9  # "patriots stand"
    p[[8, 9]] = 0.7  # "our flag"
    spans = technique_runs(text, offsets, p, Rule(0.6, 2, gap=0, clause=True))
    assert [(text[a:b], round(sc, 2)) for a, b, sc in spans] == [("and true patriots stand with our flag", 0.9)]
    assert len(technique_runs(text, offsets, p, Rule(0.6, 2, gap=0))) == 2


def test_shipped_model_emits_only_techniques_it_owns_and_its_rules_are_in_range():
    tagger = shipped_tagger()
    assert tagger.rules, "the shipped model emits no technique"
    for tech, rule in tagger.rules.items():
        assert tech in SPAN_LABELS  # never loaded language / name calling: the propaganda detector owns those
        assert 0.0 < rule.threshold < 1.0 and rule.min_pieces >= 1
        assert tagger.runner.labels[tagger.columns[tech]] == tech


def test_fast_pass_equals_the_reference_forward_pass():
    """The detector's numpy pass equals the reference: PyTorch's GRU loaded from the stored arrays (sequence head) or
    the stored head on the documented per-piece features (MLP head)."""
    from rhetorica.classifiers.encoder import get_encoder
    from rhetorica.classifiers.heads import SequenceHead
    from rhetorica.classifiers.token_head import piece_features
    from rhetorica.training.sequence_head import piece_inputs, torch_proba

    tagger = shipped_tagger()
    vectors, states = get_encoder().encode_with_tokens([FLAG_WAVING, PLAIN])
    flags = [np.zeros((len(s.offsets), 2), np.float32) for s in states]
    if isinstance(tagger.head, SequenceHead):
        slow_all = torch_proba(tagger.head, [piece_inputs(s.states, f) for s, f in zip(states, flags)])
    else:
        slow_all = [tagger.head.predict_proba(piece_features(s.states, v, f[:, 0], f[:, 1]))
                    for s, v, f in zip(states, vectors, flags)]
    for P, slow in zip(tagger.runner.proba([s.states for s in states], vectors, flags), slow_all):
        assert np.abs(P - slow).max() < 1e-5 and ((P >= 0) & (P <= 1)).all()  # sigmoids, one per label


def test_flag_waving_is_found_with_its_technique_voice_and_offsets(analyzer):
    if "Flag-Waving" not in shipped_tagger().rules:
        pytest.skip("the shipped model does not emit Flag-Waving")
    a = analyzer(FLAG_WAVING)
    spans = a.spans_of("flag_waving")
    assert spans, [s.label for s in a.spans]
    for s in spans:
        assert s.attrs["technique"] == "Flag-Waving" and s.attrs["voice"] == "editorial"
        assert a.text[s.start:s.end].strip() == a.text[s.start:s.end] and 0 < s.score <= 1
    assert a.scores["flag_waving_count"] == len(spans) == a.scores["editorial_flag_waving_count"]


def test_plain_reporting_gets_no_technique_span_and_only_emitted_techniques_have_columns(analyzer):
    from rhetorica.detectors.techniques import EMITTED

    a = analyzer(PLAIN)
    assert not [s for s in a.spans if s.label in SPAN_LABELS.values()]
    assert a.scores["technique_span_count"] == 0 == a.scores["editorial_technique_span_count"]
    assert EMITTED == tuple(SPAN_LABELS[t] for t in SPAN_LABELS if t in shipped_tagger().rules)
    for label in SPAN_LABELS.values():
        assert (a.scores.get(f"{label}_count") == 0) if label in EMITTED else f"{label}_count" not in a.scores


def test_a_quoted_technique_is_quoted_voice_with_its_speaker(analyzer):
    if "Flag-Waving" not in shipped_tagger().rules:
        pytest.skip("the shipped model does not emit Flag-Waving")
    text = f'Senator Jane Smith told the rally: "{FLAG_WAVING}"'
    spans = analyzer(text).spans_of("flag_waving")
    assert spans and all(s.attrs["voice"] == "quoted" and s.attrs["speaker"] == "Jane Smith" for s in spans)
    a = analyzer(text)
    assert a.scores["editorial_flag_waving_count"] == 0 < a.scores["flag_waving_count"]


def test_batch_equals_single_and_the_span_table_and_display_carry_the_technique(analyzer):
    from rhetorica.display import HIGHLIGHTS, TECHNIQUE_COLOURS, describe

    texts = [FLAG_WAVING, PLAIN, "Short."]
    batch = list(analyzer.pipe(texts))
    for t, b in zip(texts, batch):
        one = analyzer(t)
        assert [(s.start, s.end, s.label) for s in one.spans] == [(s.start, s.end, s.label) for s in b.spans]
    for label in TechniqueDetector.labels:
        assert HIGHLIGHTS[label][0] in TECHNIQUE_COLOURS
    found = [s for s in batch[0].spans if s.label in TechniqueDetector.labels]
    if found:
        assert found[0].attrs["technique"] in describe(found[0])
        import pandas as pd

        from rhetorica import spans_frame

        table = spans_frame(pd.Series([FLAG_WAVING], index=["a"]), detectors=["boilerplate", "quote", "techniques"])
        rows = table[table["label"] == found[0].label]
        assert len(rows) == len(batch[0].spans_of(found[0].label)) and set(rows["technique"]) == {"Flag-Waving"}


def test_repeated_sentences_are_served_from_the_cache():
    from rhetorica import Analyzer
    from rhetorica.detectors.token_reader import output_cache

    an = Analyzer(detectors=["boilerplate", "quote", "techniques"])
    first = an(FLAG_WAVING)
    hits = output_cache("techniques").hits
    again = an(FLAG_WAVING)
    assert output_cache("techniques").hits >= hits + 2
    assert [(s.start, s.end, s.label, s.score) for s in again.spans] == \
        [(s.start, s.end, s.label, s.score) for s in first.spans]


def test_heldout_ptc_articles_keep_most_technique_spans_on_gold_spans():
    """On 40 held-out PTC articles (never used for a choice), at least 40% of the spans of the emitted techniques,
    taken together, touch a gold span of their technique (the card's floor is 0.5 per technique in
    cross-validation; this checks the shipped model and its decoding did not drift)."""
    need_data(DATA / "propaganda" / "ptc2020" / "train-articles")
    from rhetorica import Analyzer
    from rhetorica.training.technique_tagger import load_articles, overlap_counts

    arts, split = load_articles()
    held = [a for a in arts if split[a[0]] == "heldout"][:40]
    an = Analyzer(detectors=["boilerplate", "quote", "techniques"])
    c = np.zeros(4)
    for (_, text, gold), res in zip(held, an.pipe([t for _, t, _ in held])):
        for tech in shipped_tagger().rules:
            pred = [(s.start, s.end) for s in res.spans if s.attrs.get("technique") == tech]
            c += overlap_counts(pred, [(s, e) for t, s, e in gold if t == tech])
    assert c[1] >= 10, "too few technique spans on 40 held-out articles"
    assert c[0] / c[1] >= 0.4
