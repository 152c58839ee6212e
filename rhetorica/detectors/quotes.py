"""Reported speech: who is quoted, in their own words or paraphrased, and how much of the text is theirs.

Rules, not a model, in three linear passes over the paragraphs:

1. **Quotation marks.**  Straight and curly double quotes and guillemets are
   paired within a paragraph; single quotes pair only where they cannot be
   apostrophes (``they’d``, ``Bamako’s``, ``nations’`` stay words).  Single quotes
   nested inside a double quotation belong to it.  A quotation left open at the
   end of a paragraph is *continued* when the next paragraph opens again (the
   news convention for long quotations); otherwise it is cut at its paragraph
   end, so a stray mark never swallows the article.
2. **Attribution frames around each quotation.**  ``“…,” X said`` / ``“…,” said X``
   after it, ``X said: “…”`` / ``As X remarked, “…”`` before it, a reporting verb
   elsewhere in the writer's sentence for a quoted fragment (``characterized it as
   a “positive trajectory”``), else the speaker of the quotation or reporting
   sentence just before.  A quotation that opens a sentence or follows ``,``/``:``
   is ``direct``; one embedded in the writer's grammar is ``partial``.  Short
   quoted fragments with no reporting verb anywhere near (scare quotes, titles)
   are the writer's own voice and are not reported.
3. **Indirect speech** outside quotation marks: ``X noted that …``, ``X said the
   plan would fail``, ``…, X said.``, ``…, said X, the director of Y.``, the parenthetical
   ``<clause>, X said, <clause>``, ``According to X, …`` / ``…, according to X.``, a verb
   sharing the sentence's subject (``X criticized the plan and said …``, ``…, saying …``) and the
   object of a speech act (``X denounced the decision``, ``X called for new elections``).  A
   reported clause holding a quoted fragment of the same verb is one ``mixed`` span.

Speakers are resolved with a light entity tracker: a surname or title-plus-surname
("President Putin") becomes the full name the article gave ("Vladimir Putin"); a
title description ("the Russian Defense Minister") becomes the named person whose
title or apposition shares a word with it ("his Russian counterpart, Andrey
Belousov"); ``he``/``she`` become the first person named in the nearest preceding
sentence that names one.  A last pass gives each person one canonical name over the whole
text and types every speaker (person, organisation, media, anonymous, unresolved).
Everything is regex scans with bounded look-around windows, so the cost is linear in the
length of the text.

Span score (the detector's confidence) is set by the evidence, see
:data:`SCORE_FRAME` and the other ``SCORE_*`` constants.
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from .._types import Span
from ..text.segment import _ABBREV
from .base import Detector, register

# ---------------------------------------------------------------------------------------------
# Confidence of a span, by the evidence that produced it: the share of PolNeAR *train* spans of that
# evidence type whose content overlaps a gold attribution (>= 50% of the shorter), rounded down to 0.05
# (benchmarks/RESULTS_quotes.md, "score calibration"; dev was not used).  It says "this is reported
# speech", not "the speaker is right".
#: Marks paired and a reporting verb with its speaker directly before/after the quotation (train: 0.996 of
#: 3654 direct spans, 0.973 of 517 partial).
SCORE_FRAME = 1.0
#: Marks paired; the reporting verb is elsewhere in the same sentence (typical partial quote; 0.934 of 212
#: direct, 0.899 of 576 partial, 0.908 together).
SCORE_SENTENCE_CUE = 0.9
#: Marks paired, no verb in the sentence: speaker carried over from the preceding quotation/sentence
#: (0.961 of 1780 direct, 0.940 of 235 partial).
SCORE_CARRIED = 0.95
#: Marks paired, no attribution found at all (a long quotation of unknown source; 0.774 of 234).
SCORE_UNATTRIBUTED = 0.75
#: Multiplier when the quotation had no closing mark and was cut at its paragraph end (0.72 of 29 spans).
SCORE_UNCLOSED_FACTOR = 0.8
#: Indirect speech with an explicit ``that``-clause or "according to" (0.942 of 1481).
SCORE_INDIRECT_THAT = 0.9
#: Indirect speech with a bare clause (``X said the plan would fail``) or a trailing ``…, X said.``
#: (0.929 of 2204).
SCORE_INDIRECT_BARE = 0.9
#: The object of a speech act with no clause ("X denounced the decision", "X called for new elections";
#: 0.877 of 1353).
SCORE_INDIRECT_OBJECT = 0.85
#: A reported clause holding a quoted fragment of the same cue (``mixed``; 0.995 of 778).
SCORE_MIXED = 0.95
#: A speaker-tagged transcript turn: the tag says who speaks (not measured on PolNeAR, which has no transcripts).
SCORE_TRANSCRIPT = 0.95

#: Quoted fragments of at most this many words with no reporting verb near them are scare quotes (the
#: writer's voice), not reported speech.  Chosen on PolNeAR train (quote-mark F1 0.796 with 0, 0.799 with 2,
#: 0.796 with 4; benchmarks/eval_quotes.py); dev was not used.
MAX_SCARE_QUOTE_WORDS = 2
#: Quoted Title Case fragments up to this many words inside a sentence are titles (shows, books, slogans).
MAX_TITLE_WORDS = 6
#: Characters of context read on either side of a quotation or cue (bounds the work per item).
CONTEXT_CHARS = 300
#: Tokens a speaker noun phrase may have ("the Russian Defense Minister", "a spokesman for the campaign").
MAX_SPEAKER_TOKENS = 7
#: Tokens an apposition or bracket after a speaker may have ("Rep. Jane Doe (D-Md.), chair of the
#: party's platform drafting committee, said").
MAX_APPOSITION_TOKENS = 12
#: Tokens of a relative clause between a speaker and its verb ("Trump, who has relied on … bid, has said").
MAX_RELATIVE_TOKENS = 30
#: Tokens allowed between a reporting verb and ``that`` ("told reporters on Monday that").
MAX_TOKENS_BEFORE_THAT = 5
#: Minimum tokens before the comma of a trailing "<clause>, X said." (shorter is an adjunct, not a clause).
MIN_TRAILING_CLAUSE_WORDS = 4
#: Tokens a source after "According to" may run to before its comma ("According to early results of exit
#: polls conducted for the Associated Press and television networks, …").
MAX_ACCORDING_TOKENS = 25
#: Tokens from the end of a sentence searched for the comma of a trailing "…, X said" frame.
MAX_TRAILING_TOKENS = 25
#: Tokens skipped inside brackets between a speaker and a trailing verb ("Rep. Jane Doe (D-Md.) said").
MAX_PARENTHESIS_TOKENS = 6
#: Characters back from a "." before ")" searched for the "(" of a party label ("(D-Ore.)", "(R-S.C.)").
MAX_PARENTHESIS_CHARS = 10
#: Minimum words of a bare indirect clause ("X said the plan would fail").
MIN_BARE_CLAUSE_WORDS = 3

# ---------------------------------------------------------------------------------------------
# Lexicon (written for rhetorica; base forms expanded below).
_SPEECH_VERBS = """
say said says saying tell told tells telling state stated states remark remarked remarks note noted notes
add added adds explain explained explains argue argued argues claim claimed claims insist insisted insists
assert asserted asserts declare declared declares write wrote writes written tweet tweeted tweets
announce announced announces warn warned warns acknowledge acknowledged acknowledges admit admitted admits
confirm confirmed confirms deny denied denies suggest suggested suggests continue continued continues
reply replied replies respond responded responds answer answered answers ask asked asks recall recalled
recalls emphasize emphasized emphasizes emphasise emphasised stress stressed stresses observe observed
observes comment commented comments complain complained complains joke joked jokes quip quipped quips
predict predicted predicts promise promised promises vow vowed vows pledge pledged pledges urge urged
urges report reported reports reveal revealed reveals concede conceded concedes contend contended
contends maintain maintained maintains mention mentioned mentions allege alleged alleges boast boasted
boasts reiterate reiterated reiterates testify testified testifies believe believed believes think
thinks thought hope hoped hopes fear feared fears estimate estimated estimates learn learned learns
announce proclaimed proclaims proclaim shouted yelled wondered demanded demands demand agreed agrees
countered counters retorted lamented lamented conceded cautioned cautions advised hinted hints
predicts indicated indicates signaled signalled signals affirmed affirms concluded concludes conclude
adding noting writing arguing asking explaining insisting warning claiming suggesting concluding declaring
stating replying responding tweeting recalling stressing emphasizing pointed pointing
accused accuses accusing defended defends defending cited citing questioned questioning echoed echoes thanked
thanks attacked attacking blamed blames blaming charged assailed slammed slams urging promising vowing announcing
criticizing denouncing praising reminded reminds assured assures implied implies repeated repeating talked
spoke referring
expressed expresses voiced rejected rejects discussed discusses discussing discuss posted proposed proposes
issued disclosed condemned condemns railed touted touts highlighted emailed requested pleaded applauded
challenged portrayed portrays remembered lauded credited
"""
#: The last three lines of the speech list are communication verbs that head PolNeAR train cues at least
#: 40% of the times they occur (``expressed`` 33 of 41, ``rejected`` 22 of 26, ``condemned`` 10 of 11 ...).
#: Verbs that introduce a quoted *description* ("called it a “disaster”"): cues for partial quotes only.
_DESCRIBE_VERBS = """
call called calls calling describe described describes describing characterize characterized characterizes
characterise characterised dub dubbed dubs label labeled labelled labels term termed terms brand branded
brands refer referred refers deride derided decry decried hail hailed praise praised slam slammed blast
blasted mock mocked criticize criticized criticised dismiss dismissed denounce denounced
"""
#: Words of the list above that are far more often nouns in news ("the state", "a note", "his remarks"): not cues.
_NOUN_LIKE = frozenset({"state", "states", "note", "comment", "comments", "remarks", "answer", "answers", "demand",
                        "demands", "report", "reports", "claims", "estimate", "estimates", "call", "calls",
                        "promise", "fear", "fears", "hope", "hopes", "learn", "signals", "thought", "continue",
                        "joke", "jokes"})
SPEECH_VERBS = frozenset(_SPEECH_VERBS.split()) - _NOUN_LIKE
DESCRIBE_VERBS = frozenset(_DESCRIBE_VERBS.split())
#: Verbs that take a bare clause ("X said the plan would fail") without "that".
_BARE_CLAUSE_VERBS = frozenset("""
say said says tell told tells add added adds argue argued argues claim claimed claims insist insisted insists
warn warned warns note noted notes predict predicted predicts believe believed believes think thinks thought
write wrote writes tweet tweeted tweets state stated states explain explained explains suggest suggested
suggests announce announced announces admit admitted admits acknowledge acknowledged acknowledges
saying adding noting arguing warning insisting claiming explaining suggesting writing telling
""".split())
#: Verbs that take an addressee before the clause ("told reporters that", "told CNN the plan ...").
#: Refusals to speak that PolNeAR marks as speech acts ("declined to comment", "refused to say"): the cue is
#: the verb, the content its "to"-infinitive (44 + 21 such relations on train had no predicted cue).
DECLINE_VERBS = frozenset({"declined", "declines", "decline", "declining", "refused", "refuses", "refuse",
                           "refusing"})
#: Speech acts whose content PolNeAR marks as the "to"-infinitive ("vowed to fight on", "threatened to run").
TO_VERBS = DECLINE_VERBS | frozenset({"vow", "vows", "vowed", "vowing", "threaten", "threatens", "threatened",
                                      "threatening", "promise", "promises", "promised", "promising", "pledge",
                                      "pledges", "pledged", "pledging"})
_ADDRESSEE_VERBS = frozenset({"tell", "told", "tells", "telling", "warned", "warn", "warns", "assured", "promised"})

PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "you"})
_PERSON_PRONOUNS = frozenset({"he", "she"})
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that",
                          "these", "those", "another", "some", "many", "several", "two", "three", "one", "other",
                          "both", "most", "all", "no"})
#: Words that may sit between a speaker and the verb without being part of the speaker.
_SKIP_BEFORE_VERB = frozenset({"also", "has", "have", "had", "was", "is", "would", "will", "could", "later",
                               "then", "once", "again", "previously", "recently", "repeatedly", "earlier",
                               "yesterday", "today", "tonight", "had", "did", "does", "do", "has", "may", "might",
                               "simply", "just", "only", "further", "still", "reportedly", "ultimately", "even",
                               "never", "often", "frequently", "publicly", "privately", "famously", "once",
                               "not", "hasn't", "hasn’t", "haven't", "haven’t", "didn't", "didn’t", "doesn't",
                               "doesn’t", "don't", "don’t", "hadn't", "hadn’t", "won't", "won’t"})
_TIME_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                         "yesterday", "today", "tonight", "morning", "afternoon", "evening", "night", "week",
                         "month", "year", "weekend", "earlier", "later", "recently", "last", "this", "on", "in",
                         "during", "at"})
#: Lower-case words that end a speaker phrase when walking away from the verb.
_NP_STOP = frozenset({"that", "which", "who", "whom", "whose", "and", "but", "or", "nor", "as", "when", "while",
                      "if", "because", "so", "after", "before", "since", "where", "what", "why", "how", "there",
                      "to", "with", "in", "on", "at", "by", "from", "into", "about", "than", "though",
                      "although", "once", "until", "unless", "whether", "not", "be", "been", "being", "are",
                      "were", "is", "was", "has", "have", "had", "also", "it", "during", "over", "under", "then",
                      "yet", "however", "thus", "still", "even", "just", "both", "either", "neither", "like",
                      "without", "within", "upon", "against", "through", "despite", "amid", "among",
                      "according", "said", "says", "told", "would", "will", "could", "should", "can", "may",
                      "might", "must", "do", "does", "did"})
#: Role nouns: the head of a description that can stand for a named person ("the Russian Defense Minister").
ROLE_WORDS = frozenset("""
president minister secretary senator representative governor general colonel lieutenant major captain sergeant
admiral commander chairman chairwoman chair director spokesman spokeswoman spokesperson ambassador judge justice
mayor speaker leader chief deputy congressman congresswoman chancellor premier candidate nominee commissioner
sheriff adviser advisor aide counterpart host anchor founder pope king queen prince princess
""".split())
#: Capitalised words that are titles/roles, kept apart from the name ("Defense Minister Andrey Belousov").
TITLE_WORDS = ROLE_WORDS | frozenset("""
president vice prime minister secretary senator sen rep representative gov governor general gen colonel col
lieutenant lt major maj captain capt sergeant sgt admiral adm commander chairman chairwoman chair director
spokesman spokeswoman spokesperson ambassador judge justice mayor speaker leader chief deputy defense defence
foreign interior state attorney congressman congresswoman councilman councilwoman former first lady mr mrs ms
dr prof professor rev reverend sir dame lord king queen prince princess pope father sister brother minister's
chancellor premier candidate nominee commissioner inspector sheriff officer agent analyst adviser advisor
aide executive ceo founder host anchor correspondent reporter editor author campaign manager strategist
pastor bishop cardinal imam rabbi sheikh emir president-elect senior junior acting interim
""".split())
#: Words that make a capitalised run an organisation/place, not a person (no pronoun resolves to it).
_ORG_WORDS = frozenset("""
post times news media party committee service department campaign house senate congress council ministry
institute university college association foundation agency office court government administration group
inc corp company network journal press reuters kremlin pentagon cnn fox nbc abc cbs msnbc npr bbc
street center centre city county state states union republic kingdom nations bank fund club league
school church army navy force forces police fbi cia nato un eu gop dnc rnc facebook twitter google times
magazine daily weekly tribune herald gazette review monitor wire agencies television radio tv
management board firm corporation company's ministry's union's
""".split())
_MONTHS_DAYS = frozenset("""
january february march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday
""".split())
_NON_NAME_CAPS = frozenset("""
the a an this that these those it its he she they we i you his her their our my your but and or so yet
if when while as in on at by for of to from with after before during since because although though
according what why how where who which there here then thus however meanwhile also still even
mr mrs ms dr
""".split())

# ---------------------------------------------------------------------------------------------
_DQ_OPEN = "“«„‟"
_DQ_CLOSE = "”»"
_MARK_RE = re.compile(r"''|``|[\"“”«»„‟‘’']")  # '' and `` : double quotes typed as two single marks
_TOKEN_RE = re.compile(r"\d+(?:[.,:]\d+)+|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gen|Gov|Lt|Col|Sgt|Capt|Prof|Pres|Adm|Maj|Rev|St|Jr|Sr)\.|(?:[A-Z]\.){2,}|(?<=[a-z] )[A-Z]\.(?= [A-Z])|[^\W_](?:[\w’'\-.]*[^\W_])?(?:[’']s)?|[^\w\s]", re.UNICODE)
_TERMINATOR_RE = re.compile(r"[.!?](?=[\"'”’»)\]]*(?:\s|$))")
#: A dot inside a capitalised run only after an initial or a title abbreviation ("Sen.", "J."): "said Senator
#: Jane Doe. Doe added" is two runs, not the name "Jane Doe. Doe".
_CAP_RUN_RE = re.compile(
    r"(?<![\w’'])(?:(?:[A-Z]\.|(?:Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gen|Gov|Lt|Col|Sgt|Capt|Prof|Pres|Adm|Maj|Rev|St|"
    r"Jr|Sr|Fr|Cmdr|Supt|Insp|Atty|Amb|Pvt|Cpl)\.|[A-Z][\w’'\-]*)[ \u00a0]+){0,3}[A-Z][\w\-]*(?:[’']s)?(?![\w])",
    re.UNICODE)


@dataclass
class _Quote:
    start: int
    end: int  # exclusive, includes the closing mark when there is one
    closed: bool
    para: int
    continued: bool = False  # part of a quotation running over paragraphs (not the last part)
    chain: int = -1  # index of the first part of the quotation
    kind: str = "direct"
    speaker: "_Mention | None" = None
    cue: tuple[int, int, str] | None = None
    score: float = SCORE_UNATTRIBUTED
    emit: bool = True
    part: int = 0
    cue_carried: bool = False  # the cue governs an earlier quotation/sentence too


@dataclass
class _Mention:
    start: int
    end: int
    text: str  # as written (pronoun, name, description)
    resolved: str = ""  # the speaker string reported
    title: str = ""
    person: bool = False


@dataclass
class _Entities:
    """Named people of one text: full names by surname/first name, titles/appositions, mentions in order."""

    full: dict[str, tuple[list[int], list[str]]] = field(default_factory=dict)  # token -> (offsets, full names)
    descriptors: list[tuple[int, str, frozenset[str]]] = field(default_factory=list)  # (offset, name, words)
    mentions: list[tuple[int, int, str]] = field(default_factory=list)  # person mentions (start, end, full name)
    mention_starts: list[int] = field(default_factory=list)
    descriptor_starts: list[int] | None = None
    text: str = ""

    @property
    def person_names(self) -> set[str]:
        """Every full name of a person the text gives."""
        if self._person_names is None:
            self._person_names = {n for _, names in self.full.values() for n in names}
        return self._person_names

    _person_names: set[str] | None = None


# ---------------------------------------------------------------------------------------------
@register
class QuoteDetector(Detector):
    """Direct, partial, indirect and mixed reported speech, with speaker and reporting verb.

    Each span is labelled ``"quote"``; ``attrs`` holds

    * ``kind``: ``direct`` (a quotation opening the sentence or introduced by ``,``/``:``/a dash),
      ``partial`` (a quoted fragment inside the writer's sentence), ``indirect`` (reported speech
      without quotation marks) or ``mixed`` (a reported clause holding a quoted fragment);
    * ``speaker``: one canonical name per person in the text ("Belousov", "the Russian Defense
      Minister" and "he" all give "Andrey Belousov"), else the description as written
      ("officials", "Russian official media"), ``""`` when unknown;
    * ``speaker_mention``: the words at the attribution as written ("he", "the Russian Defense
      Minister"); ``speaker_type``: ``person``, ``organisation``, ``media``, ``anonymous``
      ("officials said", "a source familiar with…") or ``unresolved``;
    * ``cue``: the reporting verb or phrase as written ("said", "has said", "according to",
      ``":"``), ``""`` if none; ``speaker_start``/``speaker_end`` and ``cue_start``/``cue_end``
      (offsets, -1 if none), ``speaker_title``;
    * ``part``: 0 for the first span of a quotation, 1, 2, ... for its continuations (a quotation
      running over paragraphs, or the second half of "<clause>, X said, <clause>"); ``closed``.

    Direct and partial spans include the quotation marks; indirect content excludes the frame
    ("X said") but keeps "that".

    Examples
    --------
    >>> from rhetorica.pipeline import Analyzer
    >>> a = Analyzer(detectors=["boilerplate", "quote"])('“We will win,” said Senator Jane Doe.')
    >>> [(s.attrs["kind"], s.attrs["speaker"], s.attrs["cue"]) for s in a.spans_of("quote")]
    [('direct', 'Jane Doe', 'said')]
    """

    name = "quote"
    labels = ("quote",)
    score_names = ("quote_count", "direct_quote_count", "partial_quote_count", "indirect_quote_count",
                   "mixed_quote_count",
                   "speaker_count", "quoted_share", "editorial_share")
    needs_encoder = False
    order = 10
    requires = ("boilerplate",)

    def detect(self, doc) -> list[Span]:
        text = doc.text
        ents = _entities(text, doc)
        quotes = _find_quotes(text, doc)
        used_cues: set[int] = set()
        qstarts = [q.start for q in quotes]
        for k, q in enumerate(quotes):
            _attribute(text, k, quotes, qstarts, ents, doc)
        _propagate_chains(quotes)
        last_para_speaker: dict[int, _Quote] = {}
        for q in quotes:
            if q.speaker is None and q.cue is None and q.emit:
                _carry_speaker(text, q, quotes, qstarts, last_para_speaker, ents, doc)
            if q.emit and (q.speaker is not None or q.cue is not None):
                last_para_speaker[q.para] = q
        partial_by_cue: dict[int, _Quote] = {}
        for q in quotes:
            if q.emit and q.cue is not None and not q.cue_carried:
                used_cues.add(q.cue[0])
                if q.kind == "partial":
                    partial_by_cue[q.cue[0]] = q
        indirect = _indirect(text, doc, quotes, qstarts, ents, used_cues, partial_by_cue)
        spans = [_make_span(q) for q in quotes if q.emit]
        spans.extend(indirect)
        spans.extend(_transcript_turns(text, doc))
        spans = _finalise(text, spans, ents)
        spans.sort(key=lambda s: (s.start, s.end))
        return spans

    def scores(self, doc, spans: list[Span]) -> dict[str, float]:
        first = [s for s in spans if s.attrs.get("part", 0) == 0]
        kinds = [s.attrs.get("kind") for s in first]
        content = doc.content_length()
        quoted = doc.quoted_length() / content if content else math.nan
        return {
            "quote_count": float(len(first)),
            "direct_quote_count": float(kinds.count("direct")),
            "partial_quote_count": float(kinds.count("partial")),
            "indirect_quote_count": float(kinds.count("indirect")),
            "mixed_quote_count": float(kinds.count("mixed")),
            "speaker_count": float(len(_distinct_speakers([s.attrs.get("speaker", "") for s in first]))),
            "quoted_share": quoted,
            "editorial_share": 1.0 - quoted if content else math.nan,
        }


# ---------------------------------------------------------------------------------------------
# 1. Quotation marks
def _find_quotes(text: str, doc) -> list[_Quote]:
    out: list[_Quote] = []
    paras = doc.paragraphs
    for p, (ps, pe) in enumerate(paras):
        if doc.in_boilerplate(ps, pe):
            continue
        for qs, qe, closed in _pair_marks(text, ps, pe):
            if qe - qs < 2 or doc.in_boilerplate(qs, qe):
                continue
            q = _Quote(qs, qe, closed, p)
            if not closed and p + 1 < len(paras) and text[paras[p + 1][0]] in _DQ_OPEN + '"':
                q.continued = True
            out.append(q)
    # link continued quotations: the part that opens the next paragraph continues the chain
    for i, q in enumerate(out):
        if q.chain < 0:
            q.chain = i
        if q.continued and i + 1 < len(out):
            nxt = out[i + 1]
            if nxt.para == q.para + 1 and nxt.start == paras[nxt.para][0]:
                nxt.chain = q.chain
            else:
                q.continued = False
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _pair_marks(text: str, ps: int, pe: int) -> list[tuple[int, int, bool]]:
    """``(start, end, closed)`` of the top-level quotations of one paragraph, in order."""
    out: list[tuple[int, int, bool]] = []
    dq: int | None = None  # open double quote
    sq: int | None = None  # open single quote (top level only)
    for m in _MARK_RE.finditer(text, ps, pe):
        i, j = m.start(), m.end()
        ch = m.group()
        if ch in ("''", "``"):
            ch = "“" if ch == "``" else '"'
        before = text[i - 1] if i > ps else " "
        after = text[j] if j < pe else " "
        if ch in "“«„‟":
            if dq is None:
                dq, sq = i, None
            elif not after.isspace() and after not in ".,;:!?":
                out.append((dq, _trim_end(text, dq, i), False))  # missing closing mark: cut here
                dq = i
            else:  # a closing quote typed as an opening one
                out.append((dq, j, True))
                dq = None
        elif ch in "”»":
            if dq is not None:
                out.append((dq, j, True))
                dq = None
        elif ch == '"':
            if dq is not None:
                out.append((dq, j, True))
                dq = None
            elif not after.isspace() and j < pe:
                dq, sq = i, None
        elif dq is None:  # single quotes outside a double quotation
            if ch == "‘" or (ch == "'" and not _is_word(before)):
                if sq is None and not _is_word(before) and (_is_word(after) or after in "“\""):
                    sq = i
            elif sq is not None and not _is_word(after) and not before.isspace():
                # ’ or ' after a word and not followed by a letter: closes (nations’ stays an apostrophe
                # when no single quotation is open)
                if i - sq > 1:
                    out.append((sq, i + 1, True))
                sq = None
    if dq is not None:
        out.append((dq, _trim_end(text, dq, pe), False))
    return out


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end


# ---------------------------------------------------------------------------------------------
# 2. Attribution frames
def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text, start, end)]


def _clause_start(text: str, pos: int, floor: int) -> int:
    """Start of the writer's sentence containing ``pos`` (after the last terminator in ``[floor, pos)``)."""
    lo = max(floor, pos - CONTEXT_CHARS)
    start = lo
    for m in _TERMINATOR_RE.finditer(text, lo, pos):
        if m.group() == "." and _abbrev_before(text, m.start()):
            continue
        start = m.end()
    while start < pos and (text[start].isspace() or text[start] in "\"'”’»)]"):
        start += 1
    return start


def _clause_end(text: str, pos: int, ceil: int) -> int:
    """End of the writer's sentence that continues at ``pos`` (the next terminator before ``ceil``)."""
    hi = min(ceil, pos + CONTEXT_CHARS)
    for m in _TERMINATOR_RE.finditer(text, pos, hi):
        if m.group() == "." and _abbrev_before(text, m.start()):
            continue
        return m.end()
    return hi


def _abbrev_before(text: str, dot: int) -> bool:
    if text[dot + 1:dot + 2] == ")" and "(" in text[max(0, dot - MAX_PARENTHESIS_CHARS):dot]:
        return True  # "(D-Ore.)": a party label, not the end of the sentence
    j = dot
    while j > 0 and dot - j < 8 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower()
    return (len(word) == 1 and text[j].isupper()) or word.rstrip(".") in _ABBREV


def _cue_word(tok: str, describe: bool = False) -> bool:
    low = tok.lower()
    return low in SPEECH_VERBS or (describe and low in DESCRIBE_VERBS)


def _attribute(text: str, k: int, quotes: list[_Quote], qstarts: list[int], ents: _Entities, doc) -> None:
    q = quotes[k]
    ps, pe = doc.paragraphs[q.para]
    prev_end = max(ps, quotes[k - 1].end if k > 0 and quotes[k - 1].para == q.para else ps)
    next_start = quotes[k + 1].start if k + 1 < len(quotes) and quotes[k + 1].para == q.para else pe
    inner = text[q.start + 1:q.end - (1 if q.closed else 0)]
    n_words = len(inner.split())
    pre_start = _clause_start(text, q.start, prev_end)
    pre = text[pre_start:q.start]
    pre_stripped = pre.rstrip()
    ends_sentence = bool(re.search(r"[.!?…]\s*$", inner)) if q.closed else True
    # kind: direct when the quotation opens the writer's sentence or follows "," / ":" / a dash
    opens = (not pre_stripped) or pre_stripped[-1] in ",:—–-" or pre_stripped.endswith("...")
    q.kind = "direct" if opens else "partial"
    if q.kind == "partial" and _is_title(inner):
        q.emit = False  # a title of a show, book or slogan: "on “Fox News Sunday”"
        return
    # (a) frame after the closing mark: "…,” X said" / "…,” said X"
    if q.closed:
        post_end = _clause_end(text, q.end, next_start)
        found = _frame_after(text, q.end, post_end, ents)
        if found:
            q.speaker, q.cue = found
            q.score = SCORE_FRAME
            return
    # (b) frame before the opening mark: "X said: “…”", "As X remarked, “…”", "according to X, “…”"
    found = _frame_before(text, pre_start, q.start, ents)
    if found:
        q.speaker, q.cue = found
        q.score = SCORE_FRAME
        return
    # (c) a reporting verb elsewhere in the writer's sentence (partial quotations)
    sent_end = _clause_end(text, q.end, pe) if not (q.closed and ends_sentence) else q.end
    found = _cue_in_sentence(text, pre_start, q.start, q.end, sent_end, ents, quotes, qstarts)
    if found:
        q.speaker, q.cue = found
        q.score = SCORE_SENTENCE_CUE
        return
    # (d) nothing: short fragments are scare quotes/titles; longer ones wait for a carried speaker
    if n_words <= MAX_SCARE_QUOTE_WORDS and q.kind == "partial":
        q.emit = False
    elif n_words <= MAX_SCARE_QUOTE_WORDS and not ends_sentence:
        q.emit = False
    q.score = SCORE_UNATTRIBUTED


def _is_title(inner: str) -> bool:
    """Title Case of at most :data:`MAX_TITLE_WORDS` words ("Fox News Sunday.", "The Art of the Deal")."""
    words = re.findall(r"[^\W\d_][\w’'-]*", inner)
    if not words or len(words) > MAX_TITLE_WORDS:
        return False
    content = [w for w in words if w.lower() not in _TITLE_LOWER]
    return bool(content) and all(w[0].isupper() for w in content) and (len(words) > 1 or not inner.strip().endswith(","))


_TITLE_LOWER = frozenset({"of", "the", "a", "an", "and", "or", "with", "in", "on", "at", "to", "for", "by", "from"})


#: Verbs that report a quotation only in a frame right after it ("“…,” the sign read", "“…,” protesters
#: chanted").
_FRAME_ONLY_VERBS = frozenset({"read", "reads", "chanted", "chant", "chants", "sang", "sing", "sings", "shouted",
                               "yelled", "screamed"})


def _frame_cue(tok: str) -> bool:
    return _cue_word(tok) or tok.lower() in _FRAME_ONLY_VERBS


def _frame_after(text: str, start: int, end: int, ents: _Entities):
    toks = _tokens(text, start, end)
    i = 0
    while i < len(toks) and toks[i][2] in {",", "—", "–", "-"}:
        i += 1
    if i >= len(toks):
        return None
    # "…,” said X" (inverted)
    if _frame_cue(toks[i][2]) and toks[i][2][0].islower():
        sp = _speaker_right(text, toks, i + 1, ents)
        if sp is not None:
            return sp, toks[i][:2] + (toks[i][2],)
    # "…,” according to X"
    if toks[i][2].lower() == "according" and i + 1 < len(toks) and toks[i + 1][2].lower() == "to":
        sp = _speaker_right(text, toks, i + 2, ents, lowercase_ok=True)
        if sp is not None:
            return sp, (toks[i][0], toks[i + 1][1], "according to")
    # "…,” X (also) said" / "…,” Rep. Jane Doe (D-Md.) said"
    depth = 0
    for j in range(i + 1, min(len(toks), i + MAX_SPEAKER_TOKENS + 3 + MAX_PARENTHESIS_TOKENS)):
        t = toks[j][2]
        depth += (t == "(") - (t == ")")
        if depth > 0 or t == ")":
            continue
        if t in {".", "!", "?", ";", "“", "\""}:
            break
        if _frame_cue(t) and t[0].islower():
            sp = _speaker_left(text, toks, j, ents, floor=i)
            if sp is not None and sp.start == toks[i][0]:
                return sp, toks[j][:2] + (t,)
            break
    return None


def _frame_before(text: str, start: int, end: int, ents: _Entities):
    toks = _tokens(text, start, end)
    if not toks:
        return None
    n = len(toks)
    # the verb must be close to the quotation: within the last few tokens (an addressee or "that" between)
    for j in range(n - 1, max(-1, n - 8), -1):
        t = toks[j][2]
        low = t.lower()
        if low == "to" and j > 0 and toks[j - 1][2].lower() == "according":
            sp = _speaker_right(text, toks, j + 1, ents, lowercase_ok=True)
            if sp is not None:
                return sp, (toks[j - 1][0], toks[j][1], "according to")
        if _cue_word(t) and t[0].islower():
            tail = [x[2] for x in toks[j + 1:]]
            if tail and tail[-1] not in {",", ":", "—", "–", "that"} and not _addressee(tail):
                continue
            sp = _speaker_left(text, toks, j, ents)
            if sp is None and j > 1:  # "Sharpton supported Obama over Clinton and said, “…”"
                sp = _coordinated_subject(text, toks, j, ents)
            if sp is None and low.endswith("ing") and j > 0:  # "Trump spoke on Monday, saying: “…”"
                sp = _speaker_right(text, toks, 0, ents)
            if sp is None:
                sp = _speaker_right(text, toks, j + 1, ents)
            if sp is not None:
                return sp, toks[j][:2] + (t,)
    if toks[-1][2] == ":" and n >= 2 and n <= MAX_SPEAKER_TOKENS + 1:  # "Trump: “…”" (headlines, transcripts)
        sp = _speaker_left(text, toks, n - 1, ents)
        if sp is not None and sp.start == toks[0][0] and (sp.person or sp.text[:1].isupper()):
            return sp, toks[-1][:2] + (":",)
    if toks[-1][2] in {":", "—", "–"} and n >= 3:
        # "Jane Doe had a blunt answer: “…”" / "The minister was clear — “…”": the sentence's subject
        sp = _sentence_subject(text, toks, n - 1, ents)
        if sp is not None and (sp.person or sp.text.lower() in _PERSON_PRONOUNS):
            return sp, toks[-1][:2] + (toks[-1][2],)
    return None


def _addressee(tail: list[str]) -> bool:
    """Tokens after a verb that can precede a quotation: "told reporters", "said in a statement"."""
    return 0 < len(tail) <= 6 and all(t[0].isalpha() for t in tail)


def _cue_in_sentence(text: str, s0: int, qs: int, qe: int, s1: int, ents: _Entities, quotes, qstarts):
    before = _tokens(text, s0, qs)
    for j in range(len(before) - 1, -1, -1):
        t = before[j][2]
        if _cue_word(t, describe=True) and t[0].islower() and not _inside_quote(before[j][0], quotes, qstarts):
            sp = _speaker_left(text, before, j, ents)
            if sp is not None:
                return sp, before[j][:2] + (t,)
        if t.lower() == "to" and j > 0 and before[j - 1][2].lower() == "according":
            sp = _speaker_right(text, before, j + 1, ents, lowercase_ok=True)
            if sp is not None:
                return sp, (before[j - 1][0], before[j][1], "according to")
    after = _tokens(text, qe, s1)
    for j, (a, b, t) in enumerate(after):
        if _cue_word(t, describe=True) and t[0].islower() and not _inside_quote(a, quotes, qstarts):
            sp = _speaker_left(text, after, j, ents)
            if sp is None and j + 1 < len(after):
                sp = _speaker_right(text, after, j + 1, ents)
            if sp is not None:
                return sp, (a, b, t)
    return None


def _inside_quote(pos: int, quotes: list[_Quote], qstarts: list[int]) -> bool:
    k = bisect.bisect_right(qstarts, pos) - 1
    return k >= 0 and quotes[k].start <= pos < quotes[k].end


# ---------------------------------------------------------------------------------------------
# Speaker phrases
def _speaker_left(text: str, toks, j: int, ents: _Entities, floor: int = 0) -> _Mention | None:
    """The speaker phrase ending just before the verb at token ``j`` ("Belousov", "the source", "He")."""
    i = j - 1
    # skip adverbs, auxiliaries and time expressions between speaker and verb
    while i >= floor:
        low = toks[i][2].lower()
        if low in _SKIP_BEFORE_VERB or (low.endswith("ly") and toks[i][2].islower() and len(low) > 3):
            i -= 1
        elif low in _TIME_WORDS and toks[i][2][0].isupper() and low in _MONTHS_DAYS:
            i -= 1
            if i >= floor and toks[i][2].lower() in {"on", "last", "this"}:
                i -= 1
        else:
            break
    if i < floor:
        return None
    end_i = i
    t = toks[i][2]
    if t.lower() in PRONOUNS:
        return _pronoun_mention(toks[i][0], toks[i][1], t, ents)
    lo = toks[max(floor, i - 5)][0]
    quant = _QUANT_SUBJECT_RE.search(text, lo, toks[i][1])
    if quant is not None:  # "Several said …", "Two in three said …" (poll respondents, unnamed groups)
        return _Mention(quant.start(1), quant.end(1), quant.group(1), quant.group(1))
    if t.lower() == "who" and i - 1 >= floor:
        # "a Republican, who said he would not vote": the mention is "who", the speaker its antecedent
        ante = _speaker_left(text, toks, i - 1 if toks[i - 1][2] == "," else i, ents, floor)
        if ante is None:
            return None
        m = _Mention(toks[i][0], toks[i][1], t, ante.resolved, ante.title, ante.person)
        return m
    if t in {",", ")"} and i - 1 >= floor:  # "Kellyanne Conway, Trump's campaign manager, said"
        k = i - 1
        opener = "(" if t == ")" else ","
        while k >= floor and toks[k][2] not in {opener, "“", "\"", "”", ";"} and i - k <= MAX_RELATIVE_TOKENS:
            k -= 1
        if k > floor and toks[k][2] == opener and i - k > MAX_APPOSITION_TOKENS + 1 \
                and toks[k + 1][2].lower() not in {"who", "whose"}:
            return None  # only a relative clause runs longer ("Trump, who has relied on …, has said")
        if k > floor and toks[k][2] == opener:
            if opener == "(" and toks[k - 1][2] != ",":
                # "Rep. Elijah Cummings (D-Md.)" : the name before the brackets
                inner = _speaker_left(text, toks, k, ents, floor)
                if inner is not None and inner.end <= toks[k][0]:
                    return inner
                return None
            inner = _speaker_left(text, toks, k, ents, floor)  # phrase before the apposition
            if inner is not None and inner.end <= toks[k][0]:
                if not inner.person and k + 1 < i:  # "a spokeswoman, Anna White, said": the name resolves it
                    appos = _phrase_mention(text, toks[k + 1][0], toks[i - 1][1], ents)
                    if appos.person and _split_name(appos.text)[0] and appos.text[:1].isupper():
                        inner.resolved, inner.person, inner.title = appos.resolved, True, inner.text
                return inner
        return None
    start_i = None
    while i >= floor and end_i - i < MAX_SPEAKER_TOKENS:
        t = toks[i][2]
        low = t.lower()
        if not (t[0].isalpha() or t[0].isdigit()) and t not in {"-", "’", "'"}:
            break
        if low in _NP_STOP and not (low in {"of", "for"} and start_i is not None):
            break
        if t[0].isupper() and low in _NON_NAME_CAPS and low not in _DETERMINERS and low not in {"mr", "mrs", "ms", "dr"}:
            break
        start_i = i
        if low in _DETERMINERS:
            break
        i -= 1
    if start_i is None:
        return None
    while start_i <= end_i and toks[start_i][2].lower() in {"of", "for"}:
        start_i += 1
    if start_i > end_i or not _valid_phrase([x[2] for x in toks[start_i:end_i + 1]]):
        return None
    start_i = _postmodified_head(toks, start_i, floor)
    return _phrase_mention(text, toks[start_i][0], toks[end_i][1], ents)


_NUMBER = r"(?:\d+|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en)"
#: A quantity standing alone as the subject of a speech verb: "Several said", "Two in three say", "Most
#: said", "all but two said" (PolNeAR marks these as sources; poll respondents in campaign news).
_QUANT_SUBJECT_RE = re.compile(
    r"(?:^|(?<=[\s,;:(—–-]))((?:(?:[Nn]early|[Aa]bout|[Aa]lmost|[Jj]ust|[Oo]nly|[Rr]oughly|[Mm]ore than) )?"
    r"(?:" + _NUMBER + r" (?:in|out of) " + _NUMBER + r"|[Ss]everal|[Mm]any|[Mm]ost|[Ss]ome|[Oo]thers|[Ff]ew"
    r"|[Aa]ll but " + _NUMBER + r"|[Hh]alf|[Bb]oth|[Aa] majority|[Aa] third|[Aa] quarter|[Aa] few))$")


#: Words that join a head to its post-modifier in an unnamed source ("a source familiar with the matter",
#: "people close to the president", "an aide to the governor", "officials briefed on the talks").
_POSTMOD_LINKS = frozenset({"with", "to", "on", "of", "for", "at", "from", "in"})
_POSTMOD_ADJ = frozenset({"familiar", "close", "closer", "briefed", "knowledgeable", "involved", "loyal",
                          "working", "speaking", "tied", "linked", "connected", "allied", "opposed", "inside"})


def _postmodified_head(toks, start_i: int, floor: int) -> int:
    """Extend a phrase left over "<head> [familiar|close|briefed] <with|to|on> " to the head's determiner."""
    i = start_i - 1
    if i < floor or toks[i][2].lower() not in _POSTMOD_LINKS:
        return start_i
    i -= 1
    if i >= floor and toks[i][2].lower() in _POSTMOD_ADJ:
        i -= 1
    if i < floor:
        return start_i
    head = toks[i][2].lower()
    if head not in ANONYMOUS_HEADS and head not in ROLE_WORDS:
        return start_i
    k = i
    while k - 1 >= floor and i - k < 3 and toks[k - 1][2][0].isalpha() and toks[k - 1][2].lower() not in _NP_STOP:
        k -= 1
        if toks[k][2].lower() in _DETERMINERS:
            break
    return k


def _valid_phrase(words: list[str]) -> bool:
    """A speaker phrase ends in a noun-like word: reject "the", "didn’t", "quickly", "particular"."""
    last = words[-1].lower()
    if last in _DETERMINERS or last in _NP_STOP or last.endswith(("n’t", "n't")):
        return False
    if words[-1].islower() and (last.endswith(("ly", "ing", "ed", "ous", "ive", "al", "ar", "ful")) and last not in
                                _SPEAKER_NOUNS_ENDINGS and last not in ROLE_WORDS and last not in ANONYMOUS_HEADS):
        return False
    return True


#: Speaker nouns with adjective-like endings ("officials", "the general", "the editorial").
_SPEAKER_NOUNS_ENDINGS = frozenset({"official", "general", "editorial", "tribunal", "council", "spokesperson",
                                    "cardinal", "liberal", "radical", "rival", "rivals", "ally", "family"})


#: Lower-case words that can open a speaker phrase after the verb ("said former Obama adviser David Axelrod").
_SPEAKER_PREMODIFIERS = frozenset({"former", "longtime", "veteran", "top", "senior", "then", "retired", "outgoing",
                                   "incoming", "fellow", "prominent", "chief", "deputy", "republican", "democratic",
                                   "state", "federal", "presidential"})


def _speaker_right(text: str, toks, i: int, ents: _Entities, lowercase_ok: bool = False) -> _Mention | None:
    """The speaker phrase starting at token ``i`` ("said Trump", "said the Russian Defense Minister")."""
    if i >= len(toks):
        return None
    t0 = toks[i][2]
    if t0.lower() in PRONOUNS:
        return _pronoun_mention(toks[i][0], toks[i][1], t0, ents)
    if not (t0[0].isupper() or t0.lower() in _DETERMINERS or lowercase_ok or t0.lower() in _SPEAKER_PREMODIFIERS
            or _role_before_name(toks, i)):
        return None
    end_i = None
    k = i
    while k < len(toks) and k - i < MAX_SPEAKER_TOKENS + (3 if lowercase_ok else 0):
        t = toks[k][2]
        low = t.lower()
        if not (t[0].isalpha() or t[0].isdigit()):
            break
        if low in _NP_STOP and not (low in {"of", "for"} and end_i is not None):
            break
        if t[0].islower() and low not in _DETERMINERS and not lowercase_ok and low not in TITLE_WORDS \
                and end_i is not None and toks[end_i][2][0].isupper():
            break
        end_i = k
        k += 1
    if end_i is None:
        return None
    while end_i > i and toks[end_i][2].lower() in {"of", "for"} | _DETERMINERS:
        end_i -= 1
    if not _valid_phrase([x[2] for x in toks[i:end_i + 1]]):
        return None
    return _phrase_mention(text, toks[i][0], toks[end_i][1], ents)


#: Lower-case words allowed before the role noun of an inverted speaker ("said union leader Maria Lopez").
MAX_ROLE_PREFIX_WORDS = 2


def _role_before_name(toks, i: int) -> bool:
    """``toks[i:]`` reads "<lower-case words> <role noun> <Capitalised Name>" ("union leader Maria Lopez",
    "party spokesman John Smith"): a descriptive title before a name, as news writes after an inverted verb."""
    for k in range(i, min(i + MAX_ROLE_PREFIX_WORDS + 1, len(toks) - 1)):
        t = toks[k][2]
        if not t.isalpha() or not t.islower():
            return False
        if t in ROLE_WORDS and toks[k + 1][2][:1].isupper() and toks[k + 1][2].isalpha():
            return True
    return False


def _pronoun_mention(start: int, end: int, word: str, ents: _Entities) -> _Mention:
    m = _Mention(start, end, word)
    if word.lower() in _PERSON_PRONOUNS:
        m.resolved = _resolve_pronoun(ents, start)
        m.person = bool(m.resolved)
    return m


def _phrase_mention(text: str, start: int, end: int, ents: _Entities) -> _Mention:
    phrase = text[start:end]
    m = _Mention(start, end, phrase)
    name, title = _split_name(phrase)
    if name and title and title.split()[-1] in _POSTMOD_LINKS | {"by", "about"}:
        name = ""  # "early results of exit polls conducted for The Associated Press": a description
    if name:
        m.resolved = _full_name(ents, name, start)
        m.title = title
        m.person = _looks_like_person(m.resolved)
    else:
        full = _resolve_description(ents, phrase, start)
        m.resolved = full or phrase
        m.person = bool(full)
        if full:
            m.title = phrase
    return m


def _split_name(phrase: str) -> tuple[str, str]:
    """("Defense Minister Andrey Belousov") -> ("Andrey Belousov", "Defense Minister"); ("" , ...) if no name."""
    words = phrase.split()
    k = len(words)
    while k > 0:
        w = words[k - 1]
        bare = re.sub(r"[’']s$", "", w).rstrip(".,")
        if not bare or not bare[0].isupper() or bare.lower() in TITLE_WORDS or bare.lower() in _NON_NAME_CAPS:
            break
        if w != words[-1] and re.search(r"[’']s$", w):  # possessive inside: "Trump's" in "Trump's aide X"
            break
        k -= 1
    name = " ".join(words[k:])
    if not name or re.search(r"[’']s$", name):
        return "", phrase
    title = " ".join(w for w in words[:k] if w.lower() not in _DETERMINERS)
    return name, title


def _looks_like_person(name: str) -> bool:
    words = [w.lower().strip(".") for w in name.split()]
    return bool(words) and not any(w in _ORG_WORDS or w in _MONTHS_DAYS for w in words) \
        and not any(w.isupper() and len(w) > 1 for w in name.split())


# ---------------------------------------------------------------------------------------------
# Entities
def _entities(text: str, doc) -> _Entities:
    """Scan capitalised runs once: full names, their titles/appositions, and person mentions in text order."""
    ents = _Entities()
    ents.text = text
    for m in _CAP_RUN_RE.finditer(text):
        run = m.group()
        name, title = _split_name(run)
        if doc is not None and doc.in_boilerplate(m.start(), m.end()):
            continue
        if not name:
            # a title run with no name after it ("the Russian Defense Minister"): a mention if it resolves
            full = _resolve_description(ents, run, m.start())
            if full:
                ents.mentions.append((m.start(), m.end(), full))
            continue
        name = re.sub(r"[’']s$", "", name)
        offset = m.start() + run.rfind(name.split()[0], 0, len(run) - len(name) + len(name.split()[0]))
        if not _looks_like_person(name):
            continue
        words = name.split()
        if len(words) >= 2:
            full = name
            for w in (words[-1], words[0]):
                offs, names = ents.full.setdefault(w, ([], []))
                offs.append(offset)
                names.append(full)
            desc = {re.sub(r"[’']s$", "", w.lower().strip(".,")) for w in title.split()}
            desc |= _apposition_words(text, m.start())
            desc = frozenset(desc) - _DETERMINERS - {""}
            if desc:
                ents.descriptors.append((offset, full, desc))
        else:
            if words[0] not in ents.full:
                continue
            full = _full_name(ents, name, offset)
        ents.mentions.append((offset, offset + len(name), full))
    ents.mention_starts = [s for s, _, _ in ents.mentions]
    ents.descriptor_starts = [d[0] for d in ents.descriptors]
    return ents


def _apposition_words(text: str, name_start: int) -> set[str]:
    """Words of "his Russian counterpart, " right before a name, or a possessive owner ("Mali’s")."""
    window = text[max(0, name_start - 60):name_start]
    m = re.search(r"(?:^|[,;.(]\s*|\b(?:and|with|by|to|of|met|meets|meeting)\s+)((?:[\w’'-]+\s+){0,4}[\w’'-]+),\s*$",
                  window)
    words: set[str] = set()
    if m:
        words |= {w.lower() for w in m.group(1).split()}
    return words - _NP_STOP


def _full_name(ents: _Entities, name: str, pos: int) -> str:
    """The article's full name for a surname/first name ("Putin" -> "Vladimir Putin"), else ``name``."""
    words = name.split()
    if len(words) != 1:
        return name
    cands = ents.full.get(re.sub(r"[’']s$", "", words[0]))
    if not cands:
        return name
    offs, names = cands
    k = bisect.bisect_right(offs, pos) - 1
    return names[k] if k >= 0 else names[0]


def _resolve_description(ents: _Entities, phrase: str, pos: int) -> str:
    """A role description ("the Russian Defense Minister") -> the latest named person sharing a word with it.

    Only descriptions headed by a role noun (:data:`ROLE_WORDS`) are resolved; "the campaign" stays itself.
    """
    words = [re.sub(r"[’']s$", "", w.lower().strip(".,")) for w in phrase.split()]
    if not words or words[-1] not in ROLE_WORDS:
        return ""
    wanted = set(words) - _DETERMINERS
    starts = getattr(ents, "descriptor_starts", None)
    k = bisect.bisect_left(starts, pos) if starts is not None else len(ents.descriptors)
    for off, full, desc in reversed(ents.descriptors[max(0, k - 40):k]):
        if off < pos and wanted & desc:
            return full
    return ""


_TERMINATOR_GAP = re.compile(r"[.!?][\"'”’»)]*\s")


def _resolve_pronoun(ents: _Entities, pos: int) -> str:
    """``he``/``she`` -> the first person named in the nearest sentence (up to the pronoun) naming one."""
    k = bisect.bisect_left(ents.mention_starts, pos) - 1
    if k < 0 or pos - ents.mentions[k][1] > 2 * CONTEXT_CHARS:
        return ""
    steps = 0
    while k > 0 and steps < 10:
        gap = ents.text[ents.mentions[k - 1][1]:ents.mentions[k][0]]
        if len(gap) > CONTEXT_CHARS or _TERMINATOR_GAP.search(gap) or "\n" in gap:
            break
        k -= 1
        steps += 1
    return ents.mentions[k][2]


# ---------------------------------------------------------------------------------------------
def _propagate_chains(quotes: list[_Quote]) -> None:
    """All parts of a quotation running over paragraphs share the attribution of the part that has one."""
    by_chain: dict[int, list[_Quote]] = {}
    for q in quotes:
        by_chain.setdefault(q.chain, []).append(q)
    for parts in by_chain.values():
        if len(parts) < 2:
            continue
        for n, p in enumerate(parts):
            p.part = n
        src = next((p for p in reversed(parts) if p.speaker is not None or p.cue is not None), None)
        for p in parts:
            p.emit = True
            p.kind = "direct"
            if src is not None and p is not src:
                p.speaker, p.cue, p.score = src.speaker, src.cue, src.score


def _carry_speaker(text: str, q: _Quote, quotes, qstarts, last_para: dict[int, _Quote], ents: _Entities,
                   doc) -> None:
    """An unattributed quotation takes the speaker of the quotation/reporting sentence just before it."""
    prev = last_para.get(q.para)
    if prev is None and q.start == doc.paragraphs[q.para][0]:
        prev = last_para.get(q.para - 1)
    if prev is not None and prev.end <= q.start:
        q.speaker, q.score, q.cue, q.cue_carried = prev.speaker, SCORE_CARRIED, prev.cue, True
        return
    # the sentence before: "Trump had this to say:" / "He noted that ..."
    si = doc.sentence_at(q.start)
    if si is not None and si > 0:
        prev_s = doc.sentences[si - 1]
        if q.para - prev_s.paragraph <= 1:
            toks = _tokens(text, prev_s.start, prev_s.end)
            for j, (a, b, t) in enumerate(toks):
                if _cue_word(t) and t[0].islower() and not _inside_quote(a, quotes, qstarts):
                    sp = _speaker_left(text, toks, j, ents)
                    if sp is not None:
                        q.speaker, q.score, q.cue, q.cue_carried = sp, SCORE_CARRIED, (a, b, t), True
                        return
            if toks and toks[-1][2] == ":":  # "Jane Doe then read her statement:"
                sp = _speaker_right(text, toks, 0, ents)
                if sp is not None and (sp.person or sp.text[:1].isupper()):
                    q.speaker, q.score, q.cue, q.cue_carried = sp, SCORE_CARRIED, toks[-1][:2] + (":",), True
                    return
    if q.kind == "partial" or len(text[q.start:q.end].split()) <= MAX_SCARE_QUOTE_WORDS:
        q.emit = False


# ---------------------------------------------------------------------------------------------
# Final pass: cue phrase, the mention as written, one canonical name per speaker, speaker type
#: Head words of unnamed sources ("officials said", "a source familiar with the matter", "people close to").
ANONYMOUS_HEADS = frozenset("""
official officials source sources person people aide aides adviser advisers advisor advisors insider insiders
diplomat diplomats spokesman spokeswoman spokesperson someone witness witnesses observer observers analyst
analysts expert experts critic critics staffer staffers employee employees member members operative operatives
strategist strategists lawmaker lawmakers officer officers investigator investigators ally allies associate
associates confidant confidants donor donors supporter supporters activist activists resident residents
""".split())
#: Words that make a speaker a news medium ("Russian official media", "state television", "the Post").
MEDIA_WORDS = frozenset("""
media newspaper newspapers paper tabloid outlet outlets television tv broadcaster radio agency wire magazine
journal times post tribune herald gazette daily weekly press reuters ap afp bloomberg cnn msnbc fox nbc abc cbs
npr bbc politico axios breitbart huffpost tass ria interfax xinhua aljazeera jazeera network networks channel
website blog column editorial report reports reporter reporters correspondent
""".split())
#: Determiners that mark an unnamed, non-specific speaker.
_INDEFINITE = frozenset({"a", "an", "some", "several", "many", "two", "three", "four", "five", "few", "other",
                         "one", "most", "numerous", "various", "senior", "unnamed", "anonymous"})
_QUOTE_CHARS = "\"'“”‘’«»`"
#: Where the writer's own clause takes over from reported content: a participle or "according to" after a
#: comma, or "and/but <speech verb>" (a second act of speech).  Chosen on PolNeAR train, speech-only content
#: exact F1: 0.5396 without, 0.5403 with the participles, 0.5413 with "and <speech verb>"; cutting at
#: relative clauses (", which", ", who") and contrastive ones (", while", ", but") or dashes lowered it.
_CONTENT_BREAK_RE = re.compile(
    r",\s+(?:saying|adding|warning|echoing|throwing|according\s+to)\b()|\s+(?:and|but)\s+(\w+)\b")
_CLOSE_TWO_SINGLE_RE = re.compile(r"[.,!?]?''")
#: "of <Place or Organisation>" after a named speaker.
_OF_PLACE_RE = re.compile(r" of (?:the |The )?(?:[A-Z][\w’'.&-]*[ \u00a0]+){0,4}[A-Z][\w’'&-]*(?![\w’'])")
#: Last words that end no speaker phrase: object pronouns and "let's".
_NOT_SPEAKER_ENDS = frozenset({"him", "them", "me", "us", "let's", "whom"})
#: Common nouns for one or more people, described rather than named ("the man", "a local farmer").
_PERSON_HEADS = frozenset("""
man woman men women boy girl child children mother father wife husband son daughter farmer farmers worker workers
student students teacher teachers doctor doctors nurse nurses lawyer lawyers attorney attorneys voter voters
protester protesters protestor protestors victim victims survivor survivors owner owners driver pilot soldier soldiers
neighbour neighbor neighbours neighbors parent parents patient patients fan fans customer customers shopper
""".split())
#: Heads that name an informant, never an identified speaker ("its source", "the insiders").
_INFORMANT_HEADS = frozenset({"source", "sources", "insider", "insiders"})
#: A web address used as a name ("Znak.com", "Meduza.io"): an outlet.
_WEB_NAME_RE = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|info|io|news|ru|ua|uk|de|fr|tv|co|in|au)$")


def speaker_type(mention: str, resolved: str, person: bool) -> str:
    """``person`` / ``organisation`` / ``media`` / ``anonymous`` / ``unresolved`` for one attribution.

    Parameters
    ----------
    mention : str
        The speaker as written ("he", "officials", "the Russian Defense Minister").
    resolved : str
        The name it was resolved to ("" when nothing was found).
    person : bool
        Whether the resolution found a named person.
    """
    low = mention.lower().strip()
    if not low or not resolved:
        return "unresolved"
    if any(_WEB_NAME_RE.search(w) for w in low.split()):
        return "media"  # a website or outlet written as its address ("Znak.com")
    if low in ("who", "which"):  # a relative pronoun: the type of its antecedent
        return speaker_type(resolved, resolved, person)
    if low in PRONOUNS:
        if low in _PERSON_PRONOUNS | {"i"}:
            return "person" if person else "unresolved"
        return "unresolved"
    words = [re.sub(r"[’']s$", "", w.strip(".,")) for w in low.split()]
    lwords = set(words)
    if person:
        return "person"
    head = words[-1]
    for n_w, w in enumerate(words[1:], 1):  # "a source familiar with the matter": the head is "source"
        if w in _POSTMOD_LINKS:
            head = words[n_w - 1] if words[n_w - 1] not in _POSTMOD_ADJ else words[max(0, n_w - 2)]
            break
    named = any(w[:1].isupper() and w.lower() not in _DETERMINERS for w in mention.split()[1:]) or (
        mention[:1].isupper() and words[0] not in _DETERMINERS)
    linked = head != words[-1]
    if head in MEDIA_WORDS or (not linked and lwords & MEDIA_WORDS and head not in ROLE_WORDS | ANONYMOUS_HEADS):
        return "media"
    if head in ANONYMOUS_HEADS and (words[0] in _INDEFINITE or head.endswith("s") or head in ("someone", "people")):
        return "anonymous"
    if head in ANONYMOUS_HEADS and not named and words[0] not in ("the", "his", "her", "their", "its"):
        return "anonymous"
    if head in _INFORMANT_HEADS and not named:
        return "anonymous"  # "its source", "the sources": an informant is unnamed whatever the determiner
    if head in ROLE_WORDS or head in ANONYMOUS_HEADS or head in _PERSON_HEADS:
        return "person"
    if _looks_like_person(resolved) and named and len(resolved.split()) >= 2 and not lwords & _ORG_WORDS:
        return "person"
    if named and len(mention.split()) == 1 and mention[:1].isupper() and mention.lower() not in _ORG_WORDS:
        return "person"  # a bare surname
    name, title = _split_name(mention)
    if name and {w.lower().strip(".") for w in title.split()} & TITLE_WORDS and not lwords & _ORG_WORDS:
        return "person"  # "Mr. Garin", "Gov. Smith"
    return "organisation"


def _finalise(text: str, spans: list[Span], ents: _Entities) -> list[Span]:
    """Add ``speaker_mention`` and ``speaker_type``, extend cues, and give each person one canonical name.

    A speaker written as a bare surname or first name takes the longest full name in the text that ends or
    starts with it ("Belousov" -> "Andrey Belousov", even when the surname came first); "Mr. Putin" and
    "Putin" are the same person.
    """
    full_names = sorted({n for _, names in ents.full.values() for n in names}, key=len, reverse=True)
    by_word: dict[str, str] = {}
    for n in full_names:
        for w in (n.split()[0], n.split()[-1]):
            by_word.setdefault(w, n)
    out = []
    for sp in spans:
        at = dict(sp.attrs)
        cue = None if at.get("cue_start", -1) < 0 else (at["cue_start"], at["cue_end"], at["cue"])
        if at.get("kind") == "indirect" and cue is not None and _passive_result(text, cue):
            continue  # "Four people were confirmed dead": the subject is what was confirmed, not a speaker
        sp_end = at.get("speaker_end", -1)
        ext = _extend_cue(text, cue, sp_end if cue is not None and 0 <= sp_end <= cue[0] else None)
        if ext is not None and ext is not cue and ext[0] < sp.end and sp.start < ext[1]:
            ext = _extend_cue(text, cue, cue[0]) if not (cue[0] < sp.end and sp.start < cue[1]) else cue
            if ext[0] < sp.end and sp.start < ext[1]:
                ext = cue  # never let the cue run into the content
        cue = ext
        if cue is not None:
            at["cue_start"], at["cue_end"], at["cue"] = cue
        ss, se = at.get("speaker_start", -1), at.get("speaker_end", -1)
        if 0 <= ss < se and text[se - 1:se].isalpha() and text[ss:se].split()[-1][:1].isupper():
            m = _OF_PLACE_RE.match(text, se, min(len(text), se + 60))
            cs_, ce_ = at.get("cue_start", -1), at.get("cue_end", -1)
            if m and not (m.end() > sp.start and se < sp.end) and not (cs_ >= 0 and m.end() > cs_ and se < ce_):
                se = m.end()  # "Jane Doe of Maryland", "Rahman of the Eurasia Group": the source PolNeAR marks
                at["speaker_end"] = se
        mention = text[ss:se] if 0 <= ss < se else ""
        mention = mention.strip(_QUOTE_CHARS + " ")
        resolved = at.get("speaker", "").strip(_QUOTE_CHARS + " ")
        if mention and mention.split()[-1].lower().replace("’", "'") in _NOT_SPEAKER_ENDS:
            # "Let's say ...", "... attack them, saying": an object or an imperative, not a speaker
            mention, resolved = "", ""
            at["speaker_start"], at["speaker_end"], at["speaker_title"] = -1, -1, ""
        person = False
        if " of " in resolved and resolved[:1].isupper():
            name, _ = _split_name(resolved.split(" of ")[0])  # "Senator Jane Doe of Maryland" -> "Jane Doe"
            if len(name.split()) >= 2 and _looks_like_person(name):
                resolved = name
        if at.get("cue") == "transcript":
            person = True
        elif resolved:
            bare = re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.?\s+", "", resolved)
            if " " not in bare and bare in by_word:
                resolved = by_word[bare]
            person = resolved in ents.person_names or (
                mention.lower() in _PERSON_PRONOUNS | {"i"} and resolved.lower() not in PRONOUNS)
        if resolved.lower() in PRONOUNS:
            resolved = ""
        at["speaker"] = resolved
        at["speaker_mention"] = mention
        at["speaker_type"] = speaker_type(mention, resolved, person) if at.get("cue") != "transcript" else "person"
        end = _trim_content(text, sp.start, sp.end) if at.get("kind") in ("indirect", "mixed") else sp.end
        out.append(Span(sp.start, end, sp.label, sp.score, at))
    return out


_BE_BEFORE_RE = re.compile(r"\b(?:was|were|is|are|been|be|being)\s+$", re.IGNORECASE)
#: Passive reporting verbs whose subject is still a speaker ("Trump was asked about ...").
_PASSIVE_SPEAKER_VERBS = frozenset({"asked", "told", "quoted", "questioned", "urged", "reminded", "pressed"})


def _passive_result(text: str, cue: tuple[int, int, str]) -> bool:
    """A passive speech verb ("were confirmed", "was reported") with no agent: its subject did not speak."""
    verb = cue[2].split()[-1].lower() if cue[2].split() else ""
    if verb in _PASSIVE_SPEAKER_VERBS or not verb.endswith(("ed", "en", "wn", "ld", "id")):
        return False
    return _BE_BEFORE_RE.search(text, max(0, cue[0] - 10), cue[0]) is not None


def _trim_content(text: str, start: int, end: int) -> int:
    """Cut reported content where the writer's own clause or a second act of speech begins
    (:data:`_CONTENT_BREAK_RE`).

    The break must be outside quotation marks and leave at least :data:`MIN_BARE_CLAUSE_WORDS` words.
    """
    for m in _CONTENT_BREAK_RE.finditer(text, start, end):
        if m.group(2) and m.group(2).lower() not in SPEECH_VERBS:
            continue
        head = text[start:m.start()]
        if len(head.split()) < MIN_BARE_CLAUSE_WORDS:
            continue
        if sum(head.count(c) for c in '"“”') % 2 or head.count("''") % 2:
            continue  # inside a quotation
        return m.start()
    if text[start:end].count("''") % 2:  # a quotation typed as '' left open: take its closing mark
        m = _CLOSE_TWO_SINGLE_RE.match(text, end, min(len(text), end + 3))
        if m:
            return m.end()
    return end


_AUX_BEFORE_CUE_RE = re.compile(r"\b(?:(?:has|have|had)(?:\s+also)?|also)\s+$", re.IGNORECASE)
_PARTICLE_RE = re.compile(r"\s+(\w+)\b")
_AFTER_CUE_RE = re.compile(r"\s+in\s+a\s+(?:written\s+)?statement\b")
#: Lower-case words right before a reporting verb that PolNeAR train annotates as part of the cue at least
#: 85% of the times they occur there, with at least 4 occurrences ("was asked" 83 of 86, "did not mention"
#: 52 of 52, "repeatedly said" 26 of 26, "first reported" 24 of 25, "later said" 15 of 17).  Walked over
#: right to left, so "has not publicly said" is one cue.
_CUE_LEFT_WORDS = frozenset("""
has have had also was is not been are were be did does do repeatedly first recently now later often even
publicly just previously never would still quickly once initially long openly already only widely always
directly privately regularly eventually immediately forcefully doesn’t doesn't didn’t didn't
""".split())
_WORD_BEFORE_RE = re.compile(r"([\w’']+)\s+$")
#: Words after a reporting verb that PolNeAR train includes in the cue at least 60% of the times (counted
#: over gold cues headed by the verb, at least 3 occurrences: "called for" 46 of 46, "referring to" 39 of
#: 42, "asked about" 20 of 26, "railed against" 8 of 8).
_CUE_RIGHT = {
    "called": {"for", "on"}, "calling": {"for", "on"}, "calls": {"for"}, "call": {"for"},
    "referring": {"to"}, "referred": {"to"}, "refers": {"to"}, "asked": {"about", "for"}, "asking": {"for"},
    "respond": {"to"}, "responded": {"to"}, "responding": {"to"}, "pointed": {"out", "to"},
    "pointing": {"out", "to"}, "continued": {"to"}, "continues": {"to"}, "talked": {"about"},
    "spoke": {"about", "out", "to"}, "say": {"about"}, "railed": {"against"}, "charged": {"with"},
    "accused": {"of"}, "said": {"with"}, "warned": {"of"}, "agreed": {"with", "on"}, "argued": {"for"},
    "assured": {"of"}, "boasted": {"of"}, "wrote": {"about"}, "commented": {"on"}, "joked": {"about"},
    "cautioned": {"against"}, "hints": {"at"}, "blasted": {"out"}, "think": {"of"}, "believe": {"in"},
}
#: Time and manner words after the verb that train includes in the cue ("said Sunday" 77 of 129 for the
#: weekdays, "said recently" 8 of 9, "said repeatedly" 6 of 6, "wrote on Facebook" 6 of 7, "said in an
#: email" 7 of 11, "said last month" 6 of 10; "on Tuesday" 0 of 13 and "last week" 3 of 16 are left out).
_AFTER_CUE_TIME_RE = re.compile(
    r"\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|recently|repeatedly|on\s+facebook|"
    r"in\s+an\s+email|last\s+month)\b", re.IGNORECASE)


def _extend_cue(text: str, cue: tuple[int, int, str] | None,
                floor: int | None = None) -> tuple[int, int, str] | None:
    """"has said", "also said", "said in a statement": the phrase PolNeAR annotates as the cue.

    On PolNeAR train an auxiliary right before the verb is part of the annotated cue 178 times of 179, and
    "in a statement" right after it 40 times of 61 (counted over the gold cue spans).
    """
    if cue is None or cue[2] in (":", "transcript", "according to") or not cue[2][:1].islower():
        return cue
    a, b, _ = cue
    verb = text[a:b].split()[-1].lower() if text[a:b].split() else ""
    for _ in range(4):  # bounded walk over auxiliaries and adverbs
        m = _WORD_BEFORE_RE.search(text, max(0, a - 20), a)
        if not m or m.group(1) not in _CUE_LEFT_WORDS or (floor is not None and m.start() < floor):
            break
        a = m.start()
    m = _AFTER_CUE_RE.match(text, b, min(len(text), b + 30))
    if m:
        b = m.end()
    else:
        m = _PARTICLE_RE.match(text, b, min(len(text), b + 10))
        if m and (m.group(1).lower() in _CUE_PARTICLES.get(cue[2].lower()[:3], ())
                  or m.group(1).lower() in _CUE_RIGHT.get(verb, ())):
            b = m.end()
        elif (m := _AFTER_CUE_TIME_RE.match(text, b, min(len(text), b + 20))) is not None:
            b = m.end()
    return (a, b, text[a:b]) if (a, b) != cue[:2] else cue


def _make_span(q: _Quote) -> Span:
    sp = q.speaker
    score = q.score * (1.0 if q.closed or q.continued else SCORE_UNCLOSED_FACTOR)
    part = q.part
    attrs = {
        "kind": q.kind,
        "speaker": sp.resolved if sp else "",
        "speaker_start": sp.start if sp else -1,
        "speaker_end": sp.end if sp else -1,
        "speaker_title": sp.title if sp else "",
        "cue": q.cue[2] if q.cue else "",
        "cue_start": q.cue[0] if q.cue else -1,
        "cue_end": q.cue[1] if q.cue else -1,
        "part": part,
        "closed": q.closed,
    }
    return Span(q.start, q.end, "quote", round(score, 3), attrs)


# ---------------------------------------------------------------------------------------------
# 3. Indirect speech
_THAT_RE = re.compile(r"\bthat\b")


def _indirect(text: str, doc, quotes: list[_Quote], qstarts: list[int], ents: _Entities,
              used_cues: set[int], partial_by_cue: dict[int, _Quote] | None = None) -> list[Span]:
    """Reported speech outside quotation marks, one attribution per sentence at most.

    A clause that holds a quoted fragment of the same reporting verb (``X said the plan was “a mess.”``)
    becomes one ``mixed`` span and the fragment's own ``partial`` span is withdrawn (``q.emit = False``).
    """
    out: list[Span] = []
    partial_by_cue = partial_by_cue or {}
    frame_cues = used_cues - partial_by_cue.keys()  # once: a set difference per sentence would be quadratic

    def mixed(span: Span | None) -> Span | None:
        """The clause span as ``mixed`` when it wraps the partial quotation of its cue, else ``None``."""
        if span is None:
            return None
        q = partial_by_cue.get(span.attrs["cue_start"])
        if q is None or not (span.start <= q.start < span.end):
            return None
        q.emit = False
        attrs = dict(span.attrs, kind="mixed")
        return Span(span.start, max(span.end, q.end), "quote", SCORE_MIXED, attrs)

    def quoted(pos: int) -> bool:
        k = bisect.bisect_right(qstarts, pos) - 1
        return k >= 0 and quotes[k].start <= pos < quotes[k].end

    for si in doc.content_sentences():
        s = doc.sentences[si]
        toks = _tokens(text, s.start, s.end)
        if len(toks) < 4:
            continue
        span = _headline(text, toks, s, ents, quoted)
        if span is not None:  # "Clinton Says Russians Hacked DNC"
            out.append(span)
            continue
        span = _trailing(text, toks, s, ents, quoted, frame_cues)
        if isinstance(span, list):
            out.extend(span)
            continue
        if span is not None and span.attrs["cue_start"] in used_cues:
            span = mixed(span)
        if span is not None:
            out.append(span)
            continue
        resume_at = -1
        nested = False
        frame_sp = None  # the speaker of a quotation framed in this sentence ("“…,” said X, referring to …")
        k0 = bisect.bisect_left(qstarts, s.start)
        for q in quotes[max(0, k0 - 1):k0 + 3]:
            if q.emit and q.cue is not None and q.speaker is not None and s.start <= q.cue[0] < s.end:
                frame_sp = q.speaker
        for j, (a, b, t) in enumerate(toks):
            low = t.lower()
            if quoted(a):
                continue
            if a in used_cues:
                if a in partial_by_cue:
                    span = mixed(_verb_clause(text, toks, j, s, ents, quoted, allow_quoted=True,
                                              object_ok=False))
                    if span is not None:
                        out.append(span)
                        break
                continue
            if low == "asked" and j + 2 < len(toks) and toks[j + 1][2] == "by":
                span = _asked_by(text, toks, j, s, ents, quoted)
                if span is not None:  # "Asked by a reporter whether …, Trump said …"
                    out.append(span)
                    continue
            # "According to X, <clause>" / "<clause>, according to X."
            if low == "according" and j + 1 < len(toks) and toks[j + 1][2].lower() == "to":
                span = _according_to(text, toks, j, s, ents, quoted)
                if span is not None:
                    out.append(span)
                    break
                continue
            if not ((low in SPEECH_VERBS or low in DESCRIBE_VERBS or (low in _NOUN_LIKE and j + 1 < len(toks)
                                             and toks[j + 1][2] == "that")
                     or (low in TO_VERBS and j + 1 < len(toks) and toks[j + 1][2] == "to")) and t[0].islower()):
                continue
            if a < resume_at:
                continue
            if nested and low not in _SAY_FORMS:
                continue
            span = _verb_clause(text, toks, j, s, ents, quoted, explicit_subject=nested, frame_speaker=frame_sp)
            if span is not None:
                out.append(span)
                # the content is cut later before ", saying …" / "… and said …": look for that second act
                cut = _trim_content(text, span.start, span.end)
                if cut >= _content_end(text, toks, s):
                    nested = True  # "X said that Y had warned that …": a report inside the report
                    continue
                resume_at = cut  # "X criticized the ruling and said …": a second attribution
    return out


#: Share of words written with a capital for a sentence to read as a headline in Title Case.
MIN_HEADLINE_CAPS_SHARE = 0.7


def _headline(text: str, toks, s, ents: _Entities, quoted) -> Span | None:
    """"Former Clinton Pollster Says Clinton Is In Trouble": a Title Case headline whose verb is a present-tense
    speech verb ("Says", "Slams", "Urges"); the content runs to the first comma, colon or the end."""
    words = [t for _, _, t in toks if t[0].isalpha()]
    if len(words) < 4 or sum(w[0].isupper() for w in words) < MIN_HEADLINE_CAPS_SHARE * len(words):
        return None
    for j in range(1, min(len(toks) - 2, MAX_SPEAKER_TOKENS + 2)):
        a, b, t = toks[j]
        low = t.lower()
        if not (t[0].isupper() and low in SPEECH_VERBS and (low.endswith("s") or low in {"said", "told"})) \
                or low in _NOUN_LIKE or quoted(a):
            continue
        sp = _speaker_left(text, toks, j, ents)
        if sp is None or sp.start != toks[0][0] or not _speaker_like(sp):
            return None
        e = j + 1
        while e < len(toks) and toks[e][2] not in {",", ":", ";", "—", "–"}:
            e += 1
        end = _content_end(text, toks[:e], s) if e >= len(toks) else toks[e - 1][1]
        if len(text[toks[j + 1][0]:end].split()) < MIN_BARE_CLAUSE_WORDS - 1:
            return None
        return _indirect_span(toks[j + 1][0], end, sp, (a, b, t), SCORE_INDIRECT_BARE)
    return None


def _indirect_span(start: int, end: int, sp: _Mention | None, cue: tuple[int, int, str], score: float) -> Span:
    return Span(start, end, "quote", score, {
        "kind": "indirect",
        "speaker": sp.resolved if sp else "",
        "speaker_start": sp.start if sp else -1,
        "speaker_end": sp.end if sp else -1,
        "speaker_title": sp.title if sp else "",
        "cue": cue[2], "cue_start": cue[0], "cue_end": cue[1],
        "part": 0, "closed": True,
    })


def _content_end(text: str, toks, s) -> int:
    end = s.end
    while end > s.start and text[end - 1] in ".!?;:,\"'”’» ":
        end -= 1
    return end


def _verb_clause(text: str, toks, j: int, s, ents: _Entities, quoted, allow_quoted: bool = False,
                 object_ok: bool = True, explicit_subject: bool = False,
                 frame_speaker: _Mention | None = None) -> Span | None:
    """"X noted that …" / "X told reporters that …" / "X said the plan would fail".

    ``explicit_subject``: only a speaker written right before the verb (a report nested in another one).
    ``frame_speaker``: the speaker of a quotation framed in the same sentence, for a participle that follows
    it ("“…,” said X, referring to …").
    """
    a, b, t = toks[j]
    sp = _speaker_left(text, toks, j, ents)
    if explicit_subject and (sp is None or sp.text.lower() in {"who", "which", "that"}):
        return None
    if sp is None and frame_speaker is not None and t.lower().endswith("ing") and j > 0 and toks[j - 1][2] == "," \
            and frame_speaker.end <= a:
        sp = frame_speaker
    if sp is None and j > 1:
        # "Obama met survivors … on Thursday and said …", "She brought that down …, but said …": the
        # subject of the nearest clause to the left whose verb this one is coordinated with
        sp = _coordinated_subject(text, toks, j, ents)
    if sp is None and j > 1 and (toks[j - 1][2] in {"and", ","} or t.lower().endswith("ing")):
        # "X criticized the plan and said …" / "X spoke on Monday, saying …": the subject of the sentence
        sp = _sentence_subject(text, toks, j, ents)
    if sp is None and j > 1:
        # "Kasich offered the man a job, then says …", "Insiders across the four states — and two-thirds of
        # Republicans — said …": the sentence's subject when no subordinate clause intervenes
        sp = _sentence_subject(text, toks, j, ents)
        if sp is not None:
            k0 = 0
            while k0 < j and toks[k0][0] < sp.end:  # the subject opens the sentence: a few steps
                k0 += 1
            between = [x[2].lower() for x in toks[k0:j]] if j - k0 <= MAX_SUBJECT_GAP else None
            if between is None or _SUBORDINATORS.intersection(between) or not _speaker_like(sp):
                sp = None
    if sp is None or (sp.text.lower() in PRONOUNS and sp.text.lower() not in _PERSON_PRONOUNS | {"they", "we", "i"}):
        return None
    # "that"-clause within a few tokens
    for k in range(j + 1, min(len(toks), j + 2 + MAX_TOKENS_BEFORE_THAT)):
        tk = toks[k][2]
        if tk.lower() == "that":
            if k + 1 < len(toks) and toks[k + 1][2] in {",", ".", ";"}:
                return None
            end = _content_end(text, toks, s)
            if end - toks[k][0] < 10:
                return None
            return _end_relative(text, toks, _indirect_span(toks[k][0], end, sp, (a, b, t), SCORE_INDIRECT_THAT),
                                 sp, quoted)
        if not tk[0].isalnum() or quoted(toks[k][0]) or tk.lower() in _THAT_SEARCH_STOPS or tk.lower() in SPEECH_VERBS:
            break  # "vowing to fight on and said that …", "say it is fitting that …": not this verb's "that"
    # bare clause after a say-verb, else the object of a speech act ("X denounced the decision")
    bare = _bare_clause(text, toks, j, s, sp, quoted)
    if bare is None and object_ok:
        bare = _object_clause(text, toks, j, s, sp, quoted)
    return _end_relative(text, toks, bare, sp, quoted)


#: Words between a verb and "that" which show the "that" belongs to another clause.
_THAT_SEARCH_STOPS = frozenset({"and", "but", "or", "is", "was", "are", "were", "be", "been", "it", "this", "he",
                                "she", "they", "we", "i", "so"})
#: Tokens searched to the left of "… and said" for the subject of the coordinated clause.
MAX_COORDINATION_TOKENS = 40
_COORDINATORS = frozenset({"and", "but", "then"})
#: Tokens after which a clause (and so its subject) can begin.
_CLAUSE_OPENERS = frozenset({",", "when", "after", "while", "as", "because", "before", "since", "though", "although",
                             "—", "–", "-", "and", "but", ";", ":", "(", "once", "where"})


def _coordinated_subject(text: str, toks, j: int, ents: _Entities) -> _Mention | None:
    """The subject of "X met survivors … and said …": the nearest speaker-like phrase to the left that opens a
    clause (at the sentence start or after a comma/subordinator) and is followed by a lower-case verb."""
    p = j - 1
    while p > 0 and (toks[p][2].lower() in _SKIP_BEFORE_VERB or (toks[p][2].endswith("ly") and toks[p][2].islower())):
        p -= 1
    if p <= 0 or toks[p][2].lower() not in _COORDINATORS:
        return None
    if toks[p][2].lower() == "then" and p > 0 and toks[p - 1][2].lower() in {"and", ","}:
        p -= 1
    for i in range(p - 2, max(-1, p - MAX_COORDINATION_TOKENS), -1):
        if i > 0 and toks[i - 1][2].lower() not in _CLAUSE_OPENERS:
            continue
        w = toks[i][2]
        if w.lower() == "who" and i > 0 and _verb_like(toks[i + 1][2]):
            # "Jane Doe, who answered the door and said …": the relative pronoun, resolved to its antecedent
            return _speaker_left(text, toks, i + 1, ents)
        if not (w[0].isupper() or w.lower() in _DETERMINERS or w.lower() in PRONOUNS) or w.lower() in _NP_STOP \
                or w.lower() in _SENTENCE_OPENERS or w.lower() in _INTRO_WORDS:
            continue
        k = i + 1 if w.lower() in PRONOUNS else _subject_end(toks, i, p)
        if k >= p:
            continue
        while k < p and (toks[k][2].lower() in _SKIP_BEFORE_VERB or
                         (toks[k][2].endswith("ly") and toks[k][2].islower())):
            k += 1
        if not _verb_like(toks[k][2]):
            return None  # the nearest clause opener decides: no subject there, no guess further left
        if w.lower() in PRONOUNS:
            return _pronoun_mention(toks[i][0], toks[i][1], w, ents)
        if not _valid_phrase([x[2] for x in toks[i:k]]):
            return None
        sp = _phrase_mention(text, toks[i][0], toks[k - 1][1], ents)
        return sp if _speaker_like(sp) else None
    return None


def _subject_end(toks, i: int, limit: int) -> int:
    """Index of the first verb-like token after a subject phrase starting at ``i`` that leaves the phrase valid
    ("some senators | vented", "The departments | declined"); ``limit`` when there is none."""
    k = i + 1
    while k < limit and k - i < MAX_SPEAKER_TOKENS and (toks[k][2][0].isalnum() or toks[k][2] in {"-", "."}) \
            and not (_verb_like(toks[k][2]) and _valid_phrase([x[2] for x in toks[i:k]])):
        k += 1
    return k if k < limit and _verb_like(toks[k][2]) else limit


def _verb_like(v: str) -> bool:
    """A lower-case finite verb after a subject ("met", "brought", "vented", "is")."""
    return v.islower() and v.isalpha() and v not in _NP_STOP - _FINITE and v not in _DETERMINERS and (
        (v.endswith(("ed", "s")) and len(v) > 3 and v not in _NOT_VERBS_S) or v in _FINITE or v in SPEECH_VERBS
        or v in _IRREGULAR_PAST)


#: Irregular past forms that follow a subject ("Obama met survivors and said …").
_IRREGULAR_PAST = frozenset("""
met went came took made gave spoke wrote told sent held led left brought bought thought sought fought
won ran began broke chose drew drove ate fell felt found flew forgot froze got grew hid hit hung kept knew
laid lost meant paid put quit read rode rang rose saw sold set shook shot shut sang sat slept stood stole
struck swore swept swam taught tore threw understood woke wore withdrew
""".split())


def _first_after(toks, pos: int) -> int:
    """Index of the first token starting after ``pos`` (binary search over the token starts)."""
    lo, hi = 0, len(toks)
    while lo < hi:
        mid = (lo + hi) // 2
        if toks[mid][0] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _end_relative(text: str, toks, span: Span | None, sp: _Mention, quoted) -> Span | None:
    """A relative clause's report ends at its closing comma ("X, who said Y, disagreed" -> "Y")."""
    if span is None or sp.text.lower() not in ("who", "which"):
        return span
    k = _first_after(toks, span.start)
    for a, b, t in toks[k:]:
        if a >= span.end:
            break
        if t in {",", "—", "–"} and not quoted(a):
            if a - span.start < 10:
                return None
            return Span(span.start, a, span.label, span.score, span.attrs)
    return span


def _bare_clause(text: str, toks, j: int, s, sp: _Mention, quoted) -> Span | None:
    a, b, t = toks[j]
    if j + 1 < len(toks) and t.lower() in _QUESTION_VERBS and toks[j + 1][2].lower() in _CLAUSE_WORDS - {
            "despite", "neither", "nobody", "none", "no"} and not quoted(toks[j + 1][0]):
        end = _content_end(text, toks, s)  # "Paul asked how it is conservative to …"
        if len(text[toks[j + 1][0]:end].split()) >= MIN_BARE_CLAUSE_WORDS + 1:
            return _indirect_span(toks[j + 1][0], end, sp, (a, b, t), SCORE_INDIRECT_BARE)
        return None
    if t.lower() not in _BARE_CLAUSE_VERBS or j + 1 >= len(toks):
        return None
    k = j + 1
    if t.lower() in _ADDRESSEE_VERBS and k + 1 < len(toks) and (
            toks[k][2].lower() in {"him", "them", "me", "us"} or (toks[k][2].lower() == "her" and (
                toks[k + 1][2].lower() in _DETERMINERS | PRONOUNS or toks[k + 1][2].lower() == "that"))):
        k += 1  # "told her the plan would …": an object pronoun as the addressee
    elif t.lower() in _ADDRESSEE_VERBS:  # "told reporters the plan ..." -> skip a short addressee
        while k < len(toks) and k - j <= 3 and toks[k][2][0].isalpha() and toks[k][2].lower() not in PRONOUNS \
                and toks[k][2].lower() not in _DETERMINERS:
            k += 1
    while k < len(toks) and toks[k][2].lower() in _MONTHS_DAYS | {"on", "yesterday", "today", "tonight"}:
        k += 1
    if k >= len(toks):
        return None
    first = toks[k][2]
    low = first.lower()
    low = re.split(r"[’']", low)[0]
    if low in _CLAUSE_WORDS and not quoted(toks[k][0]):
        # "said if elected he would …", "asked whether the plan …", "says despite all that, Obama …"
        end = _content_end(text, toks, s)
        if len(text[toks[k][0]:end].split()) >= MIN_BARE_CLAUSE_WORDS + 1:
            return _indirect_span(toks[k][0], end, sp, (a, b, t), SCORE_INDIRECT_BARE)
        return None
    subject_like = low in {"he", "she", "they", "we", "i", "it", "there", "this", "these", "those"} | _DETERMINERS \
        or (first[0].isupper() and low not in _NON_NAME_CAPS) \
        or (t.lower() in _SAY_FORMS and first.isalpha() and first.islower() and low not in _NP_STOP
            and low not in _ADJUNCT_START and not low.endswith("ly"))
    if not subject_like or quoted(toks[k][0]):
        return None
    # a clause has a finite verb-ish word after its subject: "would", "will", "is", "-ed", "-s" ...
    rest = [x[2].lower() for x in toks[k:k + 8]]
    k_low = low
    if not any(w in _FINITE or (w.endswith(("ed", "s")) and len(w) > 3 and w not in _NOT_VERBS_S)
               or re.search(r"[’'](ll|s|re|d|ve|m)$|n[’']t$", w)
               or (k_low in _PLAIN_SUBJECTS and n > 0 and w.isalpha() and w.islower() and w not in _NP_STOP)
               for n, w in enumerate(rest[1:] + [rest[0]]) if "’" in w or "'" in w or w != rest[0]):
        return None
    end = _content_end(text, toks, s)
    if len(text[toks[k][0]:end].split()) < MIN_BARE_CLAUSE_WORDS:
        return None
    return _indirect_span(toks[k][0], end, sp, (a, b, t), SCORE_INDIRECT_BARE)


#: Verbs of asking, whose content is an embedded question ("asked whether …", "wondered how …").
_QUESTION_VERBS = frozenset({"ask", "asks", "asked", "asking", "wonder", "wonders", "wondered", "wondering",
                             "question", "questioned", "questioning", "questions"})
#: Words that open a reported clause without a subject first ("said if elected he would …", "asked whether …").
_CLAUSE_WORDS = frozenset({"if", "whether", "how", "what", "why", "when", "where", "who", "despite", "neither",
                           "nobody", "none", "no"})


#: Particles that belong to a speech-act cue ("called for", "pointed out", "referred to", "talked about"), by
#: the verb's first three letters.
_CUE_PARTICLES = {"cal": {"for", "on"}, "poi": {"out", "to"}, "ref": {"to"}, "tal": {"about"}, "spo": {"about"},
                  "war": {"of"}, "com": {"on"}, "wri": {"about"}, "thi": {"of"}}
#: Words after ", " or "and" that end the object of a speech act (a new clause or a second cue follows).
_OBJECT_STOPS = frozenset({"while", "but", "which", "who", "whom", "as", "after", "before", "when", "because",
                           "although", "though", "since", "where", "if", "so", "yet", "then", "even"})
#: Shortest object of a speech act kept as content (words).
MIN_OBJECT_WORDS = 2


def _speaker_like(sp: _Mention) -> bool:
    """Can this phrase speak: a person, a pronoun, a name, or a noun phrase headed by a role, an unnamed
    source, a medium or an organisation ("the figures", "a 2010 law" cannot)."""
    low = sp.text.lower()
    if sp.person or low in PRONOUNS - {"it", "you"}:
        return True
    words = [re.sub(r"[’']s$", "", w.strip(".,")) for w in low.split()]
    head = words[-1] if words else ""
    for h in (head, head[:-1] if head.endswith("s") else head):  # "senators", "campaigns": plural heads
        if h in ROLE_WORDS or h in ANONYMOUS_HEADS or h in MEDIA_WORDS or h in _ORG_WORDS:
            return True
    return bool(_split_name(sp.text)[0]) and sp.text[:1].isupper() and not any(ch.isdigit() for ch in sp.text)


def _object_clause(text: str, toks, j: int, s, sp: _Mention, quoted) -> Span | None:
    """"X denounced the decision", "X called for new elections", "X told reporters about the plan": the
    speech act's object up to the end of its clause, with a lower score (:data:`SCORE_INDIRECT_OBJECT`)."""
    a, b, t = toks[j]
    n = len(toks)
    if not _speaker_like(sp):
        return None
    k = j + 1
    cue_end = b
    if k < n and (toks[k][2].lower() in _CUE_PARTICLES.get(t.lower()[:3], ()) or toks[k][2].lower() == "about"):
        cue_end = toks[k][1]  # "called for", "joked about": PolNeAR puts the particle in the cue
        k += 1
    decline = t.lower() in TO_VERBS
    if k >= n or not (toks[k][2][0].isalpha() or toks[k][2] in "“\"‘'") or (
            toks[k][2].lower() in _NP_STOP - {"the"} and not (decline and toks[k][2] == "to")):
        return None  # "pledged 270 delegates", "charged $100": amounts are not speech
    e = k
    while e < n:
        w = toks[e][2]
        if w in {";", ".", "!", "?", ":", "(", "—", "–"} and not quoted(toks[e][0]):
            break
        if decline and w in {",", "and", "but"} and e > k + 1:  # "declined to comment, didn't respond …"
            break
        if w in {",", "and"} and e + 1 < n and not quoted(toks[e][0]):
            nxt = toks[e + 1][2].lower()
            if nxt in SPEECH_VERBS or nxt.endswith("ing") or nxt in _OBJECT_STOPS or nxt in PRONOUNS:
                break
        e += 1
    if e <= k:
        return None
    end = toks[e - 1][1]
    if e < n and quoted(toks[e - 1][0]):  # include the closing mark of a quoted object
        end = toks[e - 1][1]
    if len(text[toks[k][0]:end].split()) < MIN_OBJECT_WORDS:
        return None
    return _indirect_span(toks[k][0], end, sp, (a, cue_end, text[a:cue_end]), SCORE_INDIRECT_OBJECT)


_SENTENCE_OPENERS = frozenset({"but", "and", "yet", "still", "meanwhile", "however", "so", "then", "now", "also",
                               "instead", "later", "earlier", "separately", "afterward", "afterwards"})


def _sentence_subject(text: str, toks, j: int, ents: _Entities) -> _Mention | None:
    """The subject noun phrase opening the sentence whose verb at token ``j`` has no speaker of its own.

    Skips an opening connective ("But") and a short introductory phrase ending in a comma ("On Monday, ...");
    the phrase must be followed by a verb-like word, not by the cue itself.
    """
    i = 0
    if i < j and toks[i][2].lower() in _SENTENCE_OPENERS:
        i += 1
        if i < j and toks[i][2] == ",":
            i += 1
    if i < j and toks[i][2][0].isupper() and toks[i][2].lower() in _INTRO_WORDS:
        for k in range(i + 1, min(j, i + MAX_SPEAKER_TOKENS + 2)):
            if toks[k][2] == ",":
                i = k + 1
                break
        else:
            return None
    if i >= j - 1:
        return None
    sp = _speaker_right(text, toks, i, ents)
    if sp is None and (toks[i][2][0].isupper() or toks[i][2].lower() in _DETERMINERS):
        # "The departments declined to …, saying": the phrase scan ran into the lower-case verb
        k = _subject_end(toks, i, j)
        if k < j:
            sp = _phrase_mention(text, toks[i][0], toks[k - 1][1], ents)
            if not _speaker_like(sp):
                sp = None
    if sp is None or sp.end > toks[j][0]:
        return None
    return sp


#: Tokens allowed between a sentence's subject and a cue that has no speaker of its own.
MAX_SUBJECT_GAP = 12
_SUBORDINATORS = frozenset({"that", "which", "who", "whom", "whose", "when", "if", "because", "while", "although",
                            "though", "after", "before", "since", "where", "as", "until", "unless", "whether",
                            "what", "how", "why", ";", "“", "\"", "(", "to"})


_INTRO_WORDS = frozenset({"on", "in", "at", "during", "after", "before", "earlier", "later", "last", "this",
                          "speaking", "asked", "when", "while", "since", "following", "at", "by", "from", "with",
                          "addressing", "writing"}) | _MONTHS_DAYS


#: Forms of "say"/"tell": after them a clause may open with a bare noun ("said bullying doesn't just happen").
_SAY_FORMS = frozenset({"said", "says", "say", "told", "tells", "tell", "added", "adds", "wrote", "writes",
                        "saying", "adding", "telling"})
#: Subject pronouns: any lower-case word after them is taken as the verb ("they fear", "we need").
_PLAIN_SUBJECTS = frozenset({"he", "she", "they", "we", "i", "it"})
#: Words ending in -s that are not verbs (plural nouns are not told apart; these are frequent function words).
_NOT_VERBS_S = frozenset({"this", "his", "its", "was", "has", "is", "us", "as", "thus", "plus", "less", "unless",
                          "across", "always", "perhaps", "news", "series", "various", "serious", "famous"})


_FINITE = frozenset("""
is are was were will would can could should must may might has have had does did do wants want needs need
""".split())


def _asked_by(text: str, toks, j: int, s, ents: _Entities, quoted) -> Span | None:
    """"Asked by Matt Lauer whether she had practised, …": the asker is the source, the question the content
    (up to the comma that ends the participle phrase)."""
    sp = _speaker_right(text, toks, j + 2, ents)
    if sp is None:
        return None
    k = _first_after(toks, sp.end - 1)
    if k >= len(toks) or toks[k][2].lower() not in _CLAUSE_WORDS | {"about", "to"} or quoted(toks[k][0]):
        return None
    e = k + 1
    while e < len(toks) and not (toks[e][2] in {",", ";", ":"} and not quoted(toks[e][0])):
        e += 1
    end = toks[e - 1][1] if e < len(toks) else _content_end(text, toks, s)
    if len(text[toks[k][0]:end].split()) < MIN_BARE_CLAUSE_WORDS:
        return None
    return _indirect_span(toks[k][0], end, sp, toks[j][:2] + (toks[j][2],), SCORE_INDIRECT_BARE)


def _according_to(text: str, toks, j: int, s, ents: _Entities, quoted) -> Span | None:
    cue = (toks[j][0], toks[j + 1][1], "according to")
    sp = _speaker_right(text, toks, j + 2, ents, lowercase_ok=True)
    if sp is None and j + 2 < len(toks) and toks[j + 2][2][0].isalpha():
        # a source the noun-phrase scan rejects ("exit polls reported by CNN"): its first words stand in
        # until the trailing case below extends it to the comma or the sentence end
        sp = _phrase_mention(text, toks[j + 2][0], toks[j + 2][1], ents)
        if sp.text.lower() in _NP_STOP or sp.text.lower() in PRONOUNS:
            return None
    if sp is None:
        return None
    # clause after "According to X," or before ", according to X"
    k = j + 2
    while k < len(toks) and toks[k][0] < sp.end:
        k += 1
    if k < len(toks) and toks[k][2] != "," and (j == 0 or toks[j - 1][2] in {",", "But", "And"}):
        # a long source: "According to early results of exit polls conducted for the networks, …"
        for c in range(k, min(len(toks) - 1, j + 2 + MAX_ACCORDING_TOKENS)):
            if toks[c][2] in {";", ".", ":", "“", "\""}:
                break
            if toks[c][2] == ",":
                phrase = text[sp.start:toks[c - 1][1]]
                sp = _Mention(sp.start, toks[c - 1][1], phrase, phrase, sp.title, sp.person)
                k = c
                break
    if k < len(toks) and toks[k][2] == ",":
        if j == 0 or toks[j - 1][2] in {",", "But", "And"}:
            start = toks[k + 1][0] if k + 1 < len(toks) else None
            if start is None:
                return None
            end = _content_end(text, toks, s)
            if end - start < 10:
                return None
            return _indirect_span(start, end, sp, cue, SCORE_INDIRECT_THAT)
    if j > 1 and (toks[j - 1][2] == "," or (toks[j - 1][2][0].isalnum() and j >= MIN_TRAILING_CLAUSE_WORDS)):
        # "<clause>, according to exit polls reported by CNN and other networks." : the source runs to the
        # next comma or the end of the sentence, as PolNeAR marks it ("a copy of the letter reviewed by The Post")
        e = j + 2
        while e < len(toks) and toks[e][2] not in _ACCORDING_SOURCE_END and e - j <= MAX_ACCORDING_TOKENS:
            e += 1
        if e - j <= MAX_ACCORDING_TOKENS and e > j + 2 and toks[e - 1][1] > sp.end:
            phrase = text[sp.start:toks[e - 1][1]]
            sp = _Mention(sp.start, toks[e - 1][1], phrase, sp.resolved if sp.person else phrase, sp.title,
                          sp.person)
        start = s.start
        while start < toks[j - 1][0] and text[start] in "\"'“‘«":
            start += 1
        end = toks[j - 1][0] if toks[j - 1][2] == "," else toks[j - 1][1]
        if end - start >= 10 and not quoted(start):
            return _indirect_span(start, end, sp, cue, SCORE_INDIRECT_THAT)
    return None


#: Tokens that end the source of a trailing "…, according to <source>".
_ACCORDING_SOURCE_END = frozenset({",", ";", ":", "(", ".", "!", "?", "—", "–", "“", "\"", "”"})


def _trailing(text: str, toks, s, ents: _Entities, quoted, used_cues: set[int]) -> Span | None:
    """"<clause>, X said." / "<clause>, said X, the director of Y." at the end of a sentence, and the
    parenthetical "<clause>, X said, <clause>." (two spans, ``part`` 0 and 1, one attribution)."""
    n = len(toks)
    for c in range(n - 2, 0, -1):
        if toks[c][2] not in {",", "—", "–"}:
            continue
        if quoted(toks[c][0]):
            return None
        if toks[c - 1][2] in {"”", "\"", "’", "»"}:
            return None  # a quotation's own frame
        tail = toks[c + 1:min(n, c + 2 + MAX_APPOSITION_TOKENS + 2)]
        cue_k = None
        commas = 0
        for k, (a, b, t) in enumerate(tail):
            if t == ",":  # "…, a spokeswoman, Anna White, said" : one apposition inside the frame
                commas += 1
                if commas > 2:
                    break
                continue
            if t in {";", ":", "“", "\""}:
                break
            if t.lower() in SPEECH_VERBS and t[0].islower():
                cue_k = k
                break
        if cue_k is None or tail[cue_k][0] in used_cues or (commas and cue_k == 0):
            continue
        j = c + 1 + cue_k
        if cue_k == 0 and toks[j][2].endswith("ing"):
            continue  # "…, saying …": a participle, handled with the sentence's subject
        if cue_k == 0:
            sp = _speaker_right(text, toks, j + 1, ents)
            rest_i = j + 1
            while rest_i < n and toks[rest_i][0] < (sp.end if sp else 0):
                rest_i += 1
            rest = [x[2] for x in toks[rest_i:rest_i + _REST_TOKENS]]
            ok = sp is not None and (not rest or rest[0] in {",", ".", "!", "?", "(", "”", "\""}
                                     or _adjunct_tail(rest, toks[j][2]))
        else:
            sp = _speaker_left(text, toks, j, ents, floor=c + 1)
            if sp is not None and sp.start != toks[c + 1][0]:
                sp = None
            rest = [x[2] for x in toks[j + 1:j + 1 + _REST_TOKENS]]
            ok = sp is not None
        if not ok:
            continue
        start = s.start
        while start < toks[c][0] and text[start] in "\"'“‘«":
            start += 1
        cue = toks[j][:2] + (toks[j][2],)
        if _adjunct_tail(rest, toks[j][2]) or cue_k == 0:
            if c < MIN_TRAILING_CLAUSE_WORDS or n - c > MAX_TRAILING_TOKENS:
                return None
            return _indirect_span(start, toks[c][0], sp, cue, SCORE_INDIRECT_BARE)
        # parenthetical: "The argument would be aided, Devine said, by the primary calendar."
        k = j + 1
        while k < n and toks[k][2] != "," and k - j <= 7:
            k += 1
        if k >= n - 2 or k - j > 6 or toks[k][2] != ",":
            return None
        if toks[k + 1][2].lower() in {"and", "but", "which", "who", "while", "as", "though", "although"}:
            if c < MIN_TRAILING_CLAUSE_WORDS:
                return None
            return _indirect_span(start, toks[c][0], sp, cue, SCORE_INDIRECT_BARE)
        end = _content_end(text, toks, s)
        first = _indirect_span(start, toks[c][0], sp, cue, SCORE_INDIRECT_BARE)
        second = _indirect_span(toks[k + 1][0], end, sp, cue, SCORE_INDIRECT_BARE)
        second = Span(second.start, second.end, "quote", second.score, dict(second.attrs, part=1))
        return [first, second]
    return None


#: Tokens after a trailing frame that are looked at (an adjunct has at most 8 words: see _adjunct_tail).
_REST_TOKENS = 12
_ADJUNCT_START = frozenset({"on", "in", "at", "during", "last", "this", "yesterday", "today", "tonight", "earlier",
                            "later", "recently", "after", "before", "while", "when", "via", "through", "from",
                            "afterward", "afterwards", "again", "too", "as", "of"}) | _MONTHS_DAYS


def _adjunct_tail(after: list[str], cue: str) -> bool:
    """Is what follows a trailing "X said" only an adjunct ("on Monday", "in a statement", "unequivocally")?"""
    words = [w for w in after if w not in {".", "!", "?", "”", "’", "\"", ")"}]
    if not words:
        return True
    if len(words) > 8 or any(w in {",", ";", ":"} for w in words):
        return False
    first = words[0].lower()
    if first in _ADJUNCT_START or (first.endswith("ly") and len(first) > 3):
        return True
    # "told reporters", "told CNN on Monday": a short addressee after tell-verbs
    return cue.lower() in _ADDRESSEE_VERBS and len(words) <= 4 and first not in _DETERMINERS - {"the"}


# ---------------------------------------------------------------------------------------------
def _distinct_speakers(speakers: list[str]) -> set[str]:
    """Distinct speakers, folding a surname into a full name seen in the same text ("Putin" = "Vladimir Putin")."""
    keys = {re.sub(r"^(the|a|an)\s+", "", sp.strip().lower()) for sp in speakers if sp and sp.strip()}
    keys = {k for k in keys if k not in PRONOUNS}
    out = set(keys)
    for k in keys:
        for other in keys:
            if other != k and (other.endswith(" " + k) or other.startswith(k + " ")) and " " not in k:
                out.discard(k)
                break
    return out


# ---------------------------------------------------------------------------------------------
# 4. Transcripts and interviews
#: A turn of a published transcript or interview opens its paragraph with a speaker tag: "((Jane Doe)) ...",
#: "((WN)) ..." (Wikinews), "HANNITY: ...", "JANE DOE: ...".  Mixed-case "Name:" is left alone: too many
#: headings and labels ("Update:", "Photo:") look like it.
_TURN_RE = re.compile(r"\(\((?P<b>[^()\n]{1,40})\)\)[ \t]*|(?P<c>[A-Z][A-Z.'’\- ]{1,30}[A-Z.]):[ \t]+")
_NOT_SPEAKERS = frozenset({"NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "UPDATE", "UPDATED", "CORRECTION", "WATCH",
                           "READ MORE", "PHOTO", "VIDEO", "BREAKING", "RELATED", "SOURCE", "SOURCES", "LISTEN",
                           "WARNING", "SPOILER", "FAQ", "TL;DR", "PS", "P.S.", "FA", "EN"})
#: A single tagged paragraph is more likely a label than a transcript: ask for at least this many turns.
MIN_TRANSCRIPT_TURNS = 2


def _transcript_turns(text: str, doc) -> list[Span]:
    """Each speaker-tagged paragraph of a transcript as a ``direct`` quote of the tagged speaker.

    The span runs from after the tag to the end of the paragraph; ``cue`` is ``"transcript"`` and the
    speaker mention is the tag itself.  Nothing is emitted unless the text has at least
    :data:`MIN_TRANSCRIPT_TURNS` such paragraphs.
    """
    turns: list[Span] = []
    for ps, pe in doc.paragraphs:
        m = _TURN_RE.match(text, ps, pe)
        if not m:
            continue
        name = (m.group("b") or m.group("c") or "").strip()
        if not name or name.upper() in _NOT_SPEAKERS or len(name) < 2 and name not in ("Q", "A"):
            continue
        start, end = m.end(), pe
        if end <= start or doc.in_boilerplate(ps, pe):
            continue
        which = "b" if m.group("b") else "c"
        attrs = {"kind": "direct", "speaker": name if which == "b" else name.title() if len(name) > 2 else name,
                 "speaker_start": m.start(which), "speaker_end": m.end(which), "speaker_title": "",
                 "cue": "transcript", "cue_start": m.start(), "cue_end": m.end(), "part": 0, "closed": True}
        turns.append(Span(start, end, "quote", SCORE_TRANSCRIPT, attrs))
    return turns if len(turns) >= MIN_TRANSCRIPT_TURNS else []
