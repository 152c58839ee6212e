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
   plan would fail``, ``…, X said.``, ``According to X, …`` / ``…, according to X.``

Speakers are resolved with a light entity tracker: a surname or title-plus-surname
("President Putin") becomes the full name the article gave ("Vladimir Putin"); a
title description ("the Russian Defense Minister") becomes the named person whose
title or apposition shares a word with it ("his Russian counterpart, Andrey
Belousov"); ``he``/``she`` become the first person named in the nearest preceding
sentence that names one.  Everything is regex scans with bounded look-around
windows, so the cost is linear in the length of the text.

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
#: Marks paired and a reporting verb with its speaker directly before/after the quotation (train: 0.995).
SCORE_FRAME = 1.0
#: Marks paired; the reporting verb is elsewhere in the same sentence (typical partial quote; 0.935).
SCORE_SENTENCE_CUE = 0.9
#: Marks paired, no verb in the sentence: speaker carried over from the preceding quotation/sentence (0.956).
SCORE_CARRIED = 0.95
#: Marks paired, no attribution found at all (a long quotation of unknown source; 0.866).
SCORE_UNATTRIBUTED = 0.85
#: Multiplier when the quotation had no closing mark and was cut at its paragraph end (0.72 of 29 spans).
SCORE_UNCLOSED_FACTOR = 0.8
#: Indirect speech with an explicit ``that``-clause or "according to" (0.939).
SCORE_INDIRECT_THAT = 0.9
#: Indirect speech with a bare clause (``X said the plan would fail``) or a trailing ``…, X said.`` (0.968).
SCORE_INDIRECT_BARE = 0.95
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
#: Tokens allowed between a reporting verb and ``that`` ("told reporters on Monday that").
MAX_TOKENS_BEFORE_THAT = 5
#: Minimum tokens before the comma of a trailing "<clause>, X said." (shorter is an adjunct, not a clause).
MIN_TRAILING_CLAUSE_WORDS = 4
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
stating replying responding tweeting recalling stressing emphasizing
"""
#: Verbs that introduce a quoted *description* ("called it a “disaster”"): cues for partial quotes only.
_DESCRIBE_VERBS = """
call called calls calling describe described describes describing characterize characterized characterizes
characterise characterised dub dubbed dubs label labeled labelled labels term termed terms brand branded
brands refer referred refers deride derided decry decried hail hailed praise praised slam slammed blast
blasted mock mocked criticize criticized criticised dismiss dismissed denounce denounced
"""
SPEECH_VERBS = frozenset(_SPEECH_VERBS.split())
DESCRIBE_VERBS = frozenset(_DESCRIBE_VERBS.split())
#: Verbs that take a bare clause ("X said the plan would fail") without "that".
_BARE_CLAUSE_VERBS = frozenset("""
say said says tell told tells add added adds argue argued argues claim claimed claims insist insisted insists
warn warned warns note noted notes predict predicted predicts believe believed believes think thinks thought
write wrote writes tweet tweeted tweets state stated states explain explained explains suggest suggested
suggests announce announced announces admit admitted admits acknowledge acknowledged acknowledges
""".split())
#: Verbs that take an addressee before the clause ("told reporters that", "told CNN the plan ...").
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
                               "never", "often", "frequently", "publicly", "privately", "famously", "once"})
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
_TOKEN_RE = re.compile(r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gen|Gov|Lt|Col|Sgt|Capt|Prof|Pres|Adm|Maj|Rev|St|Jr|Sr)\.|(?:[A-Z]\.){2,}|[^\W_](?:[\w’'\-.]*[^\W_])?(?:[’']s)?|[^\w\s]", re.UNICODE)
_TERMINATOR_RE = re.compile(r"[.!?](?=[\"'”’»)\]]*(?:\s|$))")
_CAP_RUN_RE = re.compile(
    r"(?<![\w’'])(?:[A-Z][\w’'\-]*\.?[ \u00a0]+){0,3}[A-Z][\w\-]*(?:[’']s)?(?![\w])", re.UNICODE)


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


# ---------------------------------------------------------------------------------------------
@register
class QuoteDetector(Detector):
    """Direct, partial and indirect reported speech, with speaker and reporting verb.

    Each span is labelled ``"quote"``; ``attrs`` holds ``kind`` (``direct`` /
    ``partial`` / ``indirect``), ``speaker`` (resolved name or description, ``""`` if
    unknown), ``speaker_start``/``speaker_end`` (the mention, -1 if none),
    ``speaker_title``, ``cue`` (the reporting verb or phrase), ``cue_start``/``cue_end``
    and ``part`` (0 for the first paragraph of a quotation, 1, 2, ... for its
    continuations).  Direct and partial spans include the quotation marks.

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
                   "speaker_count", "quoted_share", "editorial_share")
    needs_encoder = False
    order = 10

    def detect(self, doc) -> list[Span]:
        text = doc.text
        ents = _entities(text, doc)
        quotes = _find_quotes(text, doc)
        used_cues: set[int] = set()
        spans: list[Span] = []
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
        for q in quotes:
            if not q.emit:
                continue
            if q.cue is not None and not q.cue_carried:
                used_cues.add(q.cue[0])
            spans.append(_make_span(q))
        spans.extend(_indirect(text, doc, quotes, qstarts, ents, used_cues))
        spans.extend(_transcript_turns(text, doc))
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


def _frame_after(text: str, start: int, end: int, ents: _Entities):
    toks = _tokens(text, start, end)
    i = 0
    while i < len(toks) and toks[i][2] in {",", "—", "–", "-"}:
        i += 1
    if i >= len(toks):
        return None
    # "…,” said X" (inverted)
    if _cue_word(toks[i][2]) and toks[i][2][0].islower():
        sp = _speaker_right(text, toks, i + 1, ents)
        if sp is not None:
            return sp, toks[i][:2] + (toks[i][2],)
    # "…,” according to X"
    if toks[i][2].lower() == "according" and i + 1 < len(toks) and toks[i + 1][2].lower() == "to":
        sp = _speaker_right(text, toks, i + 2, ents, lowercase_ok=True)
        if sp is not None:
            return sp, (toks[i][0], toks[i + 1][1], "according to")
    # "…,” X (also) said"
    for j in range(i + 1, min(len(toks), i + MAX_SPEAKER_TOKENS + 3)):
        t = toks[j][2]
        if t in {".", "!", "?", ";", "“", "\""}:
            break
        if _cue_word(t) and t[0].islower():
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
    if t in {",", ")"} and i - 1 >= floor:  # "Kellyanne Conway, Trump's campaign manager, said"
        k = i - 1
        while k >= floor and toks[k][2] not in {",", "(", "“", "\"", "”"} and i - k <= MAX_SPEAKER_TOKENS:
            k -= 1
        if k >= floor and toks[k][2] in {",", "("}:
            inner = _speaker_left(text, toks, k + 1, ents, floor)  # phrase before the apposition
            if inner is not None and inner.end == toks[k][0]:
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
    return _phrase_mention(text, toks[start_i][0], toks[end_i][1], ents)


def _valid_phrase(words: list[str]) -> bool:
    """A speaker phrase ends in a noun-like word: reject "the", "didn’t", "quickly", "particular"."""
    last = words[-1].lower()
    if last in _DETERMINERS or last in _NP_STOP or last.endswith(("n’t", "n't")):
        return False
    if words[-1].islower() and (last.endswith(("ly", "ing", "ed", "ous", "ive", "al", "ar", "ful")) and last not in
                                _SPEAKER_NOUNS_ENDINGS):
        return False
    return True


#: Speaker nouns with adjective-like endings ("officials", "the general", "the editorial").
_SPEAKER_NOUNS_ENDINGS = frozenset({"official", "general", "editorial", "tribunal", "council", "spokesperson",
                                    "cardinal", "liberal", "radical", "rival", "rivals", "ally", "family"})


def _speaker_right(text: str, toks, i: int, ents: _Entities, lowercase_ok: bool = False) -> _Mention | None:
    """The speaker phrase starting at token ``i`` ("said Trump", "said the Russian Defense Minister")."""
    if i >= len(toks):
        return None
    t0 = toks[i][2]
    if t0.lower() in PRONOUNS:
        return _pronoun_mention(toks[i][0], toks[i][1], t0, ents)
    if not (t0[0].isupper() or t0.lower() in _DETERMINERS or lowercase_ok):
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
              used_cues: set[int]) -> list[Span]:
    out: list[Span] = []

    def quoted(pos: int) -> bool:
        k = bisect.bisect_right(qstarts, pos) - 1
        return k >= 0 and quotes[k].start <= pos < quotes[k].end

    for si in doc.content_sentences():
        s = doc.sentences[si]
        toks = _tokens(text, s.start, s.end)
        if len(toks) < 4:
            continue
        span = _trailing(text, toks, s, ents, quoted, used_cues)
        if span is not None:
            out.append(span)
            continue
        for j, (a, b, t) in enumerate(toks):
            low = t.lower()
            if quoted(a) or a in used_cues:
                continue
            # "According to X, <clause>" / "<clause>, according to X."
            if low == "according" and j + 1 < len(toks) and toks[j + 1][2].lower() == "to":
                span = _according_to(text, toks, j, s, ents, quoted)
                if span is not None:
                    out.append(span)
                    break
                continue
            if not (low in SPEECH_VERBS and t[0].islower()):
                continue
            span = _verb_clause(text, toks, j, s, ents, quoted)
            if span is not None:
                out.append(span)
                break
    return out


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


def _verb_clause(text: str, toks, j: int, s, ents: _Entities, quoted) -> Span | None:
    """"X noted that …" / "X told reporters that …" / "X said the plan would fail"."""
    a, b, t = toks[j]
    sp = _speaker_left(text, toks, j, ents)
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
            return _indirect_span(toks[k][0], end, sp, (a, b, t), SCORE_INDIRECT_THAT)
        if not tk[0].isalnum() or quoted(toks[k][0]):
            break
    # bare clause after a say-verb
    if t.lower() not in _BARE_CLAUSE_VERBS or j + 1 >= len(toks):
        return None
    k = j + 1
    if t.lower() in _ADDRESSEE_VERBS:  # "told reporters the plan ..." -> skip a short addressee
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
    subject_like = low in {"he", "she", "they", "we", "i", "it", "there", "this", "these", "those"} | _DETERMINERS \
        or (first[0].isupper() and low not in _NON_NAME_CAPS)
    if not subject_like or quoted(toks[k][0]):
        return None
    # a clause has a finite verb-ish word after its subject: "would", "will", "is", "-ed", "-s" ...
    rest = [x[2].lower() for x in toks[k:k + 8]]
    if not any(w in _FINITE or (w.endswith("ed") and len(w) > 4) or re.search(r"[’'](ll|s|re|d|ve|m)$|n[’']t$", w)
               for w in rest[1:] + [rest[0]] if "’" in w or "'" in w or w != rest[0]):
        return None
    end = _content_end(text, toks, s)
    if len(text[toks[k][0]:end].split()) < MIN_BARE_CLAUSE_WORDS:
        return None
    return _indirect_span(toks[k][0], end, sp, (a, b, t), SCORE_INDIRECT_BARE)


_FINITE = frozenset("""
is are was were will would can could should must may might has have had does did do wants want needs need
""".split())


def _according_to(text: str, toks, j: int, s, ents: _Entities, quoted) -> Span | None:
    cue = (toks[j][0], toks[j + 1][1], "according to")
    sp = _speaker_right(text, toks, j + 2, ents, lowercase_ok=True)
    if sp is None:
        return None
    # clause after "According to X," or before ", according to X"
    k = j + 2
    while k < len(toks) and toks[k][0] < sp.end:
        k += 1
    if k < len(toks) and toks[k][2] == ",":
        if j == 0 or toks[j - 1][2] in {",", "But", "And"}:
            start = toks[k + 1][0] if k + 1 < len(toks) else None
            if start is None:
                return None
            end = _content_end(text, toks, s)
            if end - start < 10:
                return None
            return _indirect_span(start, end, sp, cue, SCORE_INDIRECT_THAT)
    if j > 1 and toks[j - 1][2] == ",":
        start = s.start
        end = toks[j - 1][0]
        if end - start >= 10 and not quoted(start):
            return _indirect_span(start, end, sp, cue, SCORE_INDIRECT_THAT)
    return None


def _trailing(text: str, toks, s, ents: _Entities, quoted, used_cues: set[int]) -> Span | None:
    """"<clause>, X said." / "<clause>, said X." at the end of a sentence."""
    # the last comma outside quotation marks, followed by at most ~10 tokens
    n = len(toks)
    for c in range(n - 2, max(0, n - 13), -1):
        if toks[c][2] != ",":
            continue
        if quoted(toks[c][0]) or c < 3:
            return None
        if toks[c - 1][2] in {"”", "\"", "’", "»"}:
            return None  # a quotation's own frame
        if c < MIN_TRAILING_CLAUSE_WORDS:
            return None
        tail = toks[c + 1:]
        cue_k = None
        for k, (a, b, t) in enumerate(tail):
            if t.lower() in SPEECH_VERBS and t[0].islower():
                cue_k = k
                break
        if cue_k is None or tail[cue_k][0] in used_cues:
            return None
        j = c + 1 + cue_k
        if cue_k == 0:
            sp = _speaker_right(text, toks, j + 1, ents)
        else:
            sp = _speaker_left(text, toks, j, ents, floor=c + 1)
            if sp is not None and sp.start != toks[c + 1][0]:
                sp = None
        if sp is None:
            return None
        if not _adjunct_tail([x[2] for x in toks[j + 1:]], toks[j][2]):
            return None
        start = s.start
        while start < toks[c][0] and text[start] in "\"'“‘«":
            start += 1
        return _indirect_span(start, toks[c][0], sp, toks[j][:2] + (toks[j][2],), SCORE_INDIRECT_BARE)
    return None


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
