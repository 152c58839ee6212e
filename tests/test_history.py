"""The historical_analogy detector: gazetteer, classifier and the Mali reference article."""
from __future__ import annotations

import json

import numpy as np
import pytest

from rhetorica.classifiers.feats_history import (CONSTRUCTION_KINDS, CUE_NAMES, find_constructions, find_mentions,
                                                 get_gazetteer, history_cues)
from rhetorica.classifiers.features import FeatureInput

from conftest import DATA


# -- gazetteer (no model) ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, referent", [
    ("Critics called the summit a new Munich.", "Munich Agreement 1938"),
    ("The Berlin Wall fell in 1989.", "Cold War"),
    ("He compared the senator to Hitler.", "Hitler / Nazi Germany"),
    ("It was the worst attack since 9/11.", "9/11 attacks"),
    ("Veterans of the Spanish Civil War met in Madrid.", "Spanish Civil War"),
    ("Bayern Munich won 3-0 on Saturday.", None),
    ("Liberal Democrat leader Charles Kennedy spoke on Monday.", None),
    ("Shares in Munich Re fell 2%.", None),
    ("The weather was mild for the time of year.", None),
    # entries added after the AllSides gazetteer audit (annotations/allsides/gazetteer_audit.jsonl)
    ("Critics called it the president's Katrina moment.", "Hurricane Katrina"),
    ("He called for a new Manhattan Project on clean energy.", "Sputnik / Manhattan Project"),
    ("The ad was straight out of the Willie Horton playbook.", "Willie Horton / Swift Boat"),
    ("The senator was branded a Benedict Arnold.", "Benedict Arnold"),
    ("Enron's collapse wiped out its workers' pensions.", "Enron"),
    # the FBI director and the 26th president are not Herbert Hoover's Depression or FDR
    ("J. Edgar Hoover kept files on his enemies.", "J. Edgar Hoover / FBI"),
    ("Teddy Roosevelt broke up the trusts.", "Theodore Roosevelt"),
    ("It is the worst pandemic since the Spanish flu.", "1918 flu pandemic"),
    ("The hearing carried echoes of Anita Hill's testimony.", "1990s events"),
    # present-day namesakes the audit found: the news agency, a commentator in link text, the New Black Panther Party
    ("Sputnik reported the talks had stalled.", None),
    ("John Dean said on Sunday that the memo mattered.", None),
    ("Members of the New Black Panther Party stood outside the polling place.", None),
])
def test_gazetteer_referent(text, referent):
    found = find_mentions(text)
    if referent is None:
        assert found == []
    else:
        assert referent in [m.referent for m in found]
        for m in found:
            assert text[m.start:m.end] == m.text


def test_gazetteer_word_start_search_finds_what_the_whole_alternation_finds(mali_text):
    """The per-letter alternations tried at word starts give exactly the matches of scanning the whole alternation
    (same spans, same entries), on the reference article and on written edge cases: a slash before a word,
    digits first, case-sensitive entries, accented and non-Latin first letters, an entry starting mid-word."""
    g = get_gazetteer()
    texts = [mali_text, "It was the worst attack since 9/11, a 1930s-style crash, like the 1929 Wall Street Crash.",
             "A neo-Nazi rally; an anti-nazi march; the SS officers; Hitler's rise, HITLER; hitlerite views; /nazi/ paths.",
             "Évian, Ærø and Ŝ: the Führer, Fuehrer and the Reich's Kristallnacht; Москва и Гитлер.",
             "Bayern Munich, the Munich Agreement, appeasement at Munich, Watergate-style cover-ups, Vietnam-era."]
    for t in texts:
        assert [(m.start(), m.end(), m.lastgroup) for m in g._matches(t)] == \
            [(m.start(), m.end(), m.lastgroup) for m in g._re.finditer(t)]
    assert len(list(g._matches(mali_text))) > 0


@pytest.mark.parametrize("text, wrong", [
    ("J. Edgar Hoover kept files on his enemies.", "Great Depression"),
    ("Teddy Roosevelt broke up the trusts.", "Franklin D. Roosevelt"),
])
def test_gazetteer_namesakes_get_their_own_referent(text, wrong):
    """A longer name wins over the namesake inside it: the FBI director is not Herbert Hoover's Depression, the
    26th president is not FDR (both were, before the audit)."""
    assert wrong not in [m.referent for m in find_mentions(text)]


def test_gazetteer_prefers_longest_name():
    found = find_mentions("Veterans of the Spanish Civil War met in Madrid.")
    assert [m.text for m in found] == ["Spanish Civil War"]


def test_history_cues_shape_and_context_dropout():
    inp = FeatureInput(texts=["Critics called the summit a new Munich.", "The Berlin Wall fell in 1989."],
                       embeddings=np.zeros((2, 384), dtype=np.float32),
                       prev_texts=["The talks ended in a deal.", ""], next_texts=["", ""])
    X = history_cues(inp)
    assert X.shape == (2, len(get_gazetteer().categories) + len(CUE_NAMES) + 8)
    assert X[0, -8] == 1.0 and X[1, -8] == 0.0  # the previous sentence is present only for the first row
    new_x = len(get_gazetteer().categories) + CUE_NAMES.index("new_x")
    assert X[0, new_x] == 1.0 and X[1, new_x] == 0.0


@pytest.mark.parametrize("text, kind, mention", [
    ("Critics called the summit a new Munich.", "new_x", "Munich"),
    ("Is this a new Cold War?", "new_x", "Cold War"),
    ("Some called it a modern-day Watergate.", "new_x", "Watergate"),
    ("He ran a Nixon-style cover-up.", "x_style", "Nixon"),
    ("Critics saw echoes of Vietnam in the Afghan surge.", "echo", "Vietnam"),
    ("The mood was reminiscent of the 1930s.", "echo", "1930s"),
    ("The new law is like Jim Crow.", "like", "Jim Crow"),
    ("He compared the senator to Hitler.", "like", "Hitler"),
    ("It was the worst attack since 9/11.", "since", "9/11"),
    ("Mali Takes Cues from Russia’s Resilience in WWII Era", "lens", "WWII"),
    ("The party draws inspiration from the Great Depression relief programmes.", "lens", "the Great Depression"),
    ("Ministers must learn the lessons of Munich.", "lens", "Munich"),
    ("This scandal is the Watergate of our time.", "of_our_time", "Watergate"),
])
def test_constructions_anchor_on_the_mention(text, kind, mention):
    found = find_constructions(text)
    assert kind in [c.kind for c in found]
    c = next(c for c in found if c.kind == kind)
    assert c.mention.text == mention and c.kind in CONSTRUCTION_KINDS
    assert text[c.start:c.end].strip()  # the cue words themselves, next to the mention
    assert c.end <= c.mention.start or c.start >= c.mention.end


@pytest.mark.parametrize("text", [
    "The Cold War ended in 1991.",
    "He visited Munich on Monday.",
    "Issues like the Iraq war will matter.",       # "like" = "such as" after a plural noun
    "A new study of the Cold War was published.",  # "new" not on the mention
    "The Berlin Wall fell in 1989.",
    "He would like Churchill's biography as a gift.",
])
def test_no_construction_in_literal_sentences(text):
    assert find_constructions(text) == []


def test_gazetteer_recall_on_dev():
    path = DATA / "history" / "annotated_news" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"history data not found at {path}")
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    hist = [r for r in rows if r["label"] != "none"]
    recall = np.mean([bool(find_mentions(r["text"])) for r in hist])
    assert recall >= 0.98


# -- the trained classifier and the detector ----------------------------------------------------------
@pytest.fixture(scope="session")
def analyzer():
    from rhetorica.detectors.base import available_detectors
    from rhetorica.pipeline import Analyzer

    names = ["boilerplate", "quote", "historical_analogy"]
    missing = [n for n in names if n not in available_detectors()]
    if missing:
        pytest.skip(f"detectors not available: {missing}")
    return Analyzer(detectors=names)


@pytest.fixture(scope="session")
def mali(analyzer, mali_text):
    return analyzer(mali_text)


def _hist(analysis):
    return [s for s in analysis.spans if s.label.startswith("historical_")]


@pytest.mark.slow
def test_classifier_labels_and_bare_sentences():
    from rhetorica.classifiers import load_classifier

    clf = load_classifier("historical_analogy")
    assert clf.labels == ["analogy", "reference", "idiom", "none"]
    P = clf.predict_proba(["He compared the senator to Hitler.", "The Berlin Wall fell in 1989."])
    assert P.shape == (2, 4)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-6)
    assert P[0].argmax() == 0 and P[1].argmax() == 1


@pytest.mark.slow
def test_mali_invoked_nazi_germany_is_an_admiring_analogy(mali):
    text = mali.text
    spans = [s for s in mali.spans_of("historical_analogy") if "invoked the fight against Nazi Germany" in s.text_in(text)]
    assert len(spans) == 1
    s = spans[0]
    assert "Nazi" in s.attrs["referent"]
    assert s.attrs["smear"] is False
    assert s.attrs["voice"] == "editorial"
    assert text[s.attrs["mention_start"]:s.attrs["mention_end"]] == s.attrs["mention"]
    assert s.start <= s.attrs["mention_start"] < s.attrs["mention_end"] <= s.end
    assert s.score >= s.attrs["probs"]["analogy"] - 1e-4


@pytest.mark.slow
def test_mali_right_side_of_history_is_not_an_analogy(mali):
    for s in mali.spans_of("historical_analogy"):
        assert "right side of history" not in s.text_in(mali.text)


@pytest.mark.slow
def test_mali_scores_match_spans(mali):
    spans = _hist(mali)
    assert mali.scores["historical_analogy_count"] == sum(s.label == "historical_analogy" for s in spans)
    assert mali.scores["historical_reference_count"] == sum(s.label == "historical_reference" for s in spans)
    assert mali.scores["historical_smear_count"] == 0
    assert not any(s.attrs["smear"] for s in spans)


@pytest.mark.slow
@pytest.mark.parametrize("headline, referent", [("Mali Takes Cues from Russia’s Resilience in WWII Era", "World War II"),
                                                ("Mali draws inspiration from Russia during the Nazi era", "Nazi")])
def test_mali_headlines_are_analogies(mali, headline, referent):
    spans = [s for s in mali.spans_of("historical_analogy") if s.text_in(mali.text) == headline]
    assert len(spans) == 1
    assert referent in spans[0].attrs["referent"]
    assert spans[0].attrs["construction"] == "lens" and spans[0].attrs["smear"] is False


@pytest.mark.slow
def test_reference_is_not_analogy(analyzer):
    a = analyzer("The Berlin Wall fell in 1989.")
    assert [s.label for s in _hist(a)] == ["historical_reference"]
    assert a.scores["historical_analogy_count"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("text", ["Bayern Munich won 3-0 on Saturday.", "Vietnam's economy grew 7% last year.", ""])
def test_present_day_namesakes_give_nothing(analyzer, text):
    a = analyzer(text)
    assert _hist(a) == []
    assert a.scores["historical_analogy_count"] == 0 and a.scores["historical_reference_count"] == 0


@pytest.mark.slow
def test_hitler_comparison_is_a_smear(analyzer):
    a = analyzer("He compared the senator to Hitler.")
    spans = a.spans_of("historical_analogy")
    assert len(spans) == 1 and spans[0].attrs["smear"] is True
    assert spans[0].attrs["referent"] == "Hitler / Nazi Germany"
    assert a.scores["historical_smear_count"] == 1


@pytest.mark.slow
def test_new_munich_is_an_analogy(analyzer):
    a = analyzer("Critics called the summit a new Munich.")
    spans = _hist(a)
    assert [s.label for s in spans] == ["historical_analogy"]
    assert spans[0].attrs["referent"] == "Munich Agreement 1938" and spans[0].attrs["mention"] == "Munich"


# sentences written for each construction; one Analyzer.pipe call keeps this quick
CONSTRUCTION_ANALOGIES = [
    "Is this a new Cold War?",                                  # a rhetorical question is a candidate too
    "Critics say the crackdown is a modern-day McCarthyism.",
    "Observers saw echoes of Watergate in the cover-up.",
    "The new border law is just like Jim Crow.",
    "The opposition compared the emergency decree to Hitler's rule.",
    "Today's party leaders draw inspiration from the Cold War era.",
]
LITERAL_SENTENCES = [
    "The Cold War ended in 1991.",
    "The Soviet Union collapsed in 1991 after seven decades.",
]


@pytest.fixture(scope="session")
def construction_runs(analyzer):
    return {t: a for t, a in zip(CONSTRUCTION_ANALOGIES + LITERAL_SENTENCES + ["He visited Munich on Monday."],
                                  analyzer.pipe(CONSTRUCTION_ANALOGIES + LITERAL_SENTENCES +
                                                ["He visited Munich on Monday."]))}


@pytest.mark.slow
@pytest.mark.parametrize("text", CONSTRUCTION_ANALOGIES)
def test_constructions_make_analogies(construction_runs, text):
    a = construction_runs[text]
    assert [s.label for s in _hist(a)] == ["historical_analogy"]
    assert a.scores["historical_analogy_count"] == 1


@pytest.mark.slow
@pytest.mark.parametrize("text", LITERAL_SENTENCES)
def test_literal_history_stays_a_reference(construction_runs, text):
    a = construction_runs[text]
    assert [s.label for s in _hist(a)] == ["historical_reference"]
    assert _hist(a)[0].attrs["construction"] is None


@pytest.mark.slow
def test_city_visit_gives_nothing(construction_runs):
    assert _hist(construction_runs["He visited Munich on Monday."]) == []


@pytest.mark.slow
def test_batch_equals_single(analyzer):
    texts = ["He compared the senator to Hitler.", "The Berlin Wall fell in 1989.", "Bayern Munich won 3-0."]
    batch = list(analyzer.pipe(texts))
    for t, b in zip(texts, batch):
        single = analyzer(t)
        assert [(s.start, s.end, s.label) for s in _hist(single)] == [(s.start, s.end, s.label) for s in _hist(b)]
