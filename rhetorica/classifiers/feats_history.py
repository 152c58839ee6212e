"""Historical references: the gazetteer matcher and the cheap cue features of the ``historical_analogy`` head.

The gazetteer (``rhetorica/data/history_gazetteer.json``) lists historical events,
eras, regimes and figures, each with a normalised referent name ("Nazi Germany /
WWII", "Munich Agreement 1938"), a category and a ``reviled`` flag, plus
*blockers*: present-day namesakes ("Bayern Munich", "Charles Kennedy") inside
which a match is not history.  :func:`find_mentions` is the candidate matcher of
the detector; :func:`history_cues` turns a sentence (and its neighbours, where
given) into a fixed-length vector of lexical cues.  Both are pure functions of
the text: no encoder pass.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .features import FeatureInput, register_feature
from ..text.words import WORD as _WORD_RE

GAZETTEER_PATH = Path(__file__).resolve().parents[1] / "data" / "history_gazetteer.json"

#: Years up to this one count as "historical" dates in the cue features (the annotated news runs 2004-2019;
#: the annotation guidelines treat events current when an article was written as not historical).
HISTORICAL_YEAR_MAX = 1990


@dataclass(frozen=True)
class Mention:
    """One gazetteer match: offsets into the searched text, the matched words and the entry's metadata."""

    start: int
    end: int
    text: str
    referent: str
    category: str
    reviled: bool
    ambiguous: bool


class Gazetteer:
    """The compiled gazetteer.

    Entries with ``patterns`` are joined into one case-insensitive alternation;
    entries with literal ``names`` (the event pool) are looked up by their first
    word, which keeps matching at a few microseconds per sentence.  Overlapping
    matches resolve to the longest, then the leftmost.

    The alternation is run only where a word starts, and there only with the
    entries whose patterns can begin with that word's first letter (one
    compiled alternation per letter or digit, the entries in the same order):
    the same matches as scanning the whole alternation along the text, in about
    a quarter of the time.
    """

    def __init__(self, path: str | Path = GAZETTEER_PATH) -> None:
        if Path(path) == GAZETTEER_PATH:  # the shipped file is checked against rhetorica/data/MANIFEST.json
            from .heads import verify

            path = verify(GAZETTEER_PATH.parent, GAZETTEER_PATH.name)
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        self.categories: list[str] = list(data["categories"])
        self.entries: list[dict] = list(data["entries"])
        alts = [f"(?P<e{k}>" + "|".join(f"(?:{p})" for p in e["patterns"]) + ")"
                for k, e in enumerate(self.entries) if e.get("patterns")]
        self._re = re.compile(r"\b(?<![\w/])(?:" + "|".join(alts) + r")(?![\w])", re.IGNORECASE)
        self._by_first = _first_letter_alternations(
            [(k, e["patterns"]) for k, e in enumerate(self.entries) if e.get("patterns")])
        self._block = re.compile(r"\b(?:" + "|".join(data["blockers"]) + r")(?![\w])", re.IGNORECASE)
        self._names: dict[str, list[tuple[re.Pattern, int]]] = {}
        for k, e in enumerate(self.entries):
            for name in e.get("names", []):
                words = name.replace("–", "-").split()
                rx = re.compile(r"\s+".join(re.escape(w).replace("\\-", "[-–]") for w in words) + r"(?![\w])", re.IGNORECASE)
                self._names.setdefault(words[0].lower(), []).append((rx, k))

    def _mention(self, s: int, e: int, text: str, k: int) -> Mention:
        entry = self.entries[k]
        return Mention(s, e, text[s:e], entry["referent"], entry["category"], bool(entry["reviled"]),
                       bool(entry["ambiguous"]))

    def _matches(self, text: str):
        """What ``self._re.finditer(text)`` yields (leftmost, non-overlapping), trying only word starts, each with the
        alternation of the entries that can begin with its letter."""
        pos = 0
        for w in _WORD_START.finditer(text):
            p = w.start()
            if p < pos:
                continue
            rx = self._by_first.get(text[p].lower(), self._re)
            m = rx.match(text, p)
            if m is not None:
                pos = m.end()
                yield m

    def find(self, text: str) -> list[Mention]:
        """Every non-overlapping mention in ``text``, in text order (namesakes removed)."""
        found = [self._mention(m.start(), m.end(), text, int(m.lastgroup[1:])) for m in self._matches(text)]
        for w in _WORD_RE.finditer(text):
            for rx, k in self._names.get(w.group().lower(), ()):
                m = rx.match(text, w.start())
                if m:
                    found.append(self._mention(m.start(), m.end(), text, k))
        blocked = [(m.start(), m.end()) for m in self._block.finditer(text)]
        out: list[Mention] = []
        for m in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
            if m.start == m.end or any(bs < m.end and m.start < be for bs, be in blocked):
                continue
            if not any(o.start < m.end and m.start < o.end for o in out):
                out.append(m)
        return sorted(out, key=lambda m: m.start)




#: Where a gazetteer match can begin: a word character after none (the alternation's own ``\\b(?<![\\w/])``).
_WORD_START = re.compile(r"(?<!\w)\w")
#: First characters that get an alternation of their own; any other (accented, other scripts) uses the whole one.
_BUCKETS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _first_chars(pattern: str) -> set[str] | None:
    """The lower-cased characters a match of ``pattern`` (case-insensitive) can begin with; None when it cannot be
    told (a class like ``\\w``, a negated set, ``.``, a pattern that can match nothing at all, or a Python whose
    regex parser is not where this looks for it: the entry then goes to every letter's alternation)."""
    try:
        import re._constants as c
        import re._parser as sre
    except ImportError:  # Python 3.10
        try:
            import sre_constants as c
            import sre_parse as sre
        except ImportError:
            return None
    repeats = tuple(x for x in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) if x is not None)

    def seq_first(items) -> tuple[set[str] | None, bool]:
        out: set[str] = set()
        for op, av in items:
            f, nullable = item_first(op, av)
            if f is None:
                return None, False
            out |= f
            if not nullable:
                return out, False
        return out, True

    def item_first(op, av) -> tuple[set[str] | None, bool]:
        if op is c.LITERAL:
            return {chr(av).lower()}, False
        if op is c.IN:
            chars: set[str] = set()
            for iop, iav in av:
                if iop is c.LITERAL:
                    chars.add(chr(iav).lower())
                elif iop is c.RANGE and iav[1] - iav[0] < 64:
                    chars |= {chr(x).lower() for x in range(iav[0], iav[1] + 1)}
                else:
                    return None, False
            return chars, False
        if op is c.SUBPATTERN:
            return seq_first(av[3])
        if op is c.BRANCH:
            out, nullable = set(), False
            for branch in av[1]:
                f, n = seq_first(branch)
                if f is None:
                    return None, False
                out |= f
                nullable = nullable or n
            return out, nullable
        if op in repeats:
            f, n = seq_first(av[2])
            return f, (av[0] == 0 or n)
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return set(), True  # zero-width: the first character comes after
        return None, False

    try:
        f, nullable = seq_first(sre.parse(pattern, re.IGNORECASE))
    except Exception:  # noqa: BLE001 - an unexpected parse tree: fall back to trying the entry everywhere
        return None
    return None if nullable else f


def _first_letter_alternations(entries: list[tuple[int, list[str]]]) -> dict[str, re.Pattern]:
    """For each character of :data:`_BUCKETS`, the gazetteer alternation of only the entries that can begin with it
    (in gazetteer order, so the first alternative to match is the same as in the whole alternation)."""
    firsts = []
    for k, patterns in entries:
        chars: set[str] | None = set()
        for p in patterns:
            f = _first_chars(p)
            if f is None:
                chars = None
                break
            chars |= f
        firsts.append((k, patterns, chars))
    out = {}
    for ch in _BUCKETS:
        alts = [f"(?P<e{k}>" + "|".join(f"(?:{p})" for p in patterns) + ")"
                for k, patterns, chars in firsts if chars is None or ch in chars]
        if alts:
            out[ch] = re.compile(r"\b(?<![\w/])(?:" + "|".join(alts) + r")(?![\w])", re.IGNORECASE)
        else:
            out[ch] = re.compile(r"(?!)")  # nothing can start here
    return out


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The shipped gazetteer, compiled once."""
    return Gazetteer()


def find_mentions(text: str) -> list[Mention]:
    """Historical mentions in ``text`` (see :class:`Gazetteer`).

    Examples
    --------
    >>> [m.referent for m in find_mentions("Critics called the summit a new Munich.")]
    ['Munich Agreement 1938']
    >>> find_mentions("Bayern Munich won 3-0 on Saturday.")
    []
    """
    return get_gazetteer().find(text)


def primary_mention(mentions: list[Mention]) -> Mention | None:
    """The mention that names the sentence's history: a real referent before a bare cue phrase,
    an unambiguous name before an ambiguous one, then the first."""
    if not mentions:
        return None
    return min(enumerate(mentions), key=lambda km: (km[1].category == "cue", km[1].ambiguous, km[0]))[1]


# -- cue patterns --------------------------------------------------------------------------------------
def _rx(p: str) -> re.Pattern:
    return re.compile(p, re.IGNORECASE)


_LIKE = _rx(r"\b(?<!would )(?<!'d )(?:like|unlike|as if|akin to|similar to|resembl\w*|mirror\w*|the same as|no different from|"
            r"nothing like|equivalent of|version of|kind of)\b")
_REMIND = _rx(r"\b(?:reminiscent|remind\w*|echo\w*|evok\w*|hark\w*|recall\w*|conjur\w*|throwback|shades of|redux|d[ée]j[àa] vu|"
              r"all over again|haunt\w*|specter|spectre|ghosts? of)\b")
_NEW = _rx(r"\b(?:new|another|next|second|latest|modern(?:-day)?|today['’]s|21st[- ]century|our own|present-day|"
           r"would-be|budding|mini|a repeat of|repeat)\b")
_SINCE = _rx(r"\bsince\b")
_SUPERL = _rx(r"\b(?:worst|best|biggest|largest|highest|lowest|deadliest|most|greatest|first|oldest|youngest)\b[^.;]{0,60}\bsince\b|"
              r"\bnot (?:been )?seen since\b|\bsince the days of\b")
_COMPARE = _rx(r"\b(?:compar\w*|liken\w*|analog\w*|parallel\w*|equat\w*|invok\w*|invocation|evok\w*|emblem\w*|symbol\w*|"
               r"metaphor\w*|lesson\w*|learn\w* from|never again|repeat\w*|inspir\w*|model(?:led|ed)? on)\b")
_SUFFIX = _rx(r"\w(?:-like|-style|-esque|esque|-era|-type|-lite)\b")
_CALLED = _rx(r"\b(?:call\w*|label\w*|brand\w*|dub\w*|accus\w*|smear\w*|denounc\w*)\b")
_RIGHT_SIDE = _rx(r"\b(?:right|wrong) side of history\b")
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b(?!\s*(?:%|percent|people|troops|dollars|euros|miles))")
_IN_YEAR = _rx(r"\b(?:in|of|by|until|during|from|after|before) (?:the )?(?:early |late |mid-)?(1[0-8][0-9]{2}|19[0-8][0-9])s?\b")
_ANNIV = _rx(r"\b(?:anniversar\w*|commemorat\w*|memorial|remembrance|centenar\w*|centennial|jubilee|legacy)\b")
_AGO = _rx(r"\b(?:ago|decades|centuries|generations?|a century|in (?:those|the) days|back then|at the time|once)\b")
_DURING = _rx(r"\b(?:during|after|before|at the end of|end of|since the end of|aftermath of|in the wake of|following)\b")
_PAST = _rx(r"\b(?:was|were|had|did|died|born|killed|fought|ended|began|led|served|signed|fell|won|lost|invaded|resigned)\b")
_PRESENT = _rx(r"\b(?:is|are|am|today|now|currently|this week|this year|these days|nowadays|will|would|must|should)\b")
_TITLE = _rx(r"\b(?:film|movie|documentary|book|novel|play|album|series|show|biopic|drama|festival|award\w*|oscar\w*|"
             r"director|actor|actress|cinema|premiere|museum|exhibition|bestseller\w*)\b")
_TARGET = _rx(r"\b(?:trump|obama|clinton|bush|republican\w*|democrat\w*|gop|tor(?:y|ies)|labour|left(?:ist|ists|-wing)?|"
              r"liberal\w*|conservative\w*|progressive\w*|israel\w*|government|administration|president|prime minister|mayor|"
              r"party|police|policy|policies|media|critics?|opponents?|senator|minister|eu|brussels|putin|orb[aá]n)\b")
_INSULT = _rx(r"\b(?:jibe|slur\w*|smear\w*|insult\w*|offensive|outrage\w*|row|apologi[sz]\w*|disgust\w*|repulsive|bigot\w*|"
              r"loon|crass|ignorant|hateful|vile|evil|thugs?|tyrant\w*|dictator\w*|totalitarian|authoritarian|oppressive)\b")
_ADMIRE = _rx(r"\b(?:inspir\w*|emblem\w*|heroic|hero(?:es)?|resilien\w*|courage\w*|perseveran\w*|endur\w*|admir\w*|"
              r"fight against|struggle against|fought against|defeat(?:ed|ing)? (?:of )?(?:the )?|victory over|"
              r"liberat\w*|resist\w*|solidarity|greatest)\b")
_LENS = _rx(r"\b(?:cues? from|inspiration from|inspired by|lessons? (?:of|from)|learn\w* from|draw\w* on|takes? a page from|"
            r"playbook|modell?ed on|emulat\w*|in the spirit of|heirs? to|as an emblem|an emblem of|symbol of|spirit of|"
            r"invok\w*|take[sn]? cues?)\b")
_NEW_X = _rx(r"\b(?:a|the)? ?(?:new|another|next|second|modern-day|latter-day|21st[- ]century|mini)[- ]$")
_NAMESAKE_AFTER = _rx(r"^(?:['’]s? (?:economy|economic|government|president|prime minister|people|capital|exports?|growth|"
                      r"team|club|players?|police|court|airport|football|coach|manager|league|market|shares|company|"
                      r"foreign minister|state media|parliament)|-based| (?:Re|club|FC|airport|police|court))\b")
_QUOTE_MARK = re.compile("[\"“”«»]|(?<!\\w)['‘’](?=\\w)")
_SPEECH = _rx(r"\b(?:said|says|told|wrote|tweeted|argued|claimed|insisted|warned|added|asked|declared|remarked|stated)\b")
_FINAL_PUNCT = re.compile(r"[.!?…\"”’')\]]\s*$")

#: Comparison constructions anchored on a gazetteer mention, in feature-column order.  Each is a pattern
#: that must end right before the mention (``before``, searched in the :data:`CONSTRUCTION_WINDOW`
#: characters before it, no clause break in between) or start right after it (``after``).
CONSTRUCTION_KINDS: tuple[str, ...] = ("new_x", "x_style", "echo", "like", "since", "lens", "of_our_time")

#: Cue features of the sentence itself, in column order.
CUE_NAMES: tuple[str, ...] = (
    "primary_ambiguous", "any_reviled", "n_mentions", "mention_quoted", "capitalised_before_mention",
    "possessive_after_mention", "title_words", "like", "remind_echo", "new_before_mention", "since_before_mention",
    "superlative_since", "compare_invoke", "suffix_like_style", "called_reviled", "right_side_of_history",
    "year_before_1990", "year_after_1990", "in_old_year", "anniversary", "ago", "during_before_mention", "past_tense",
    "present_tense", "present_target", "insult_words", "admire_words", "reviled_x_compare", "reviled_x_target",
    "quote_marks", "speech_verb", "headline", "log_length", "lens_inspiration", "new_x", "namesake_after",
) + tuple(f"construction_{k}" for k in CONSTRUCTION_KINDS)


def _near_before(rx: re.Pattern, text: str, start: int, chars: int = 40) -> bool:
    return bool(rx.search(text[max(0, start - chars):start]))


def sentence_cues(text: str) -> np.ndarray:
    """Category multi-hot (in gazetteer order), then :data:`CUE_NAMES`, for one sentence."""
    gaz = get_gazetteer()
    mentions = gaz.find(text)
    cats = np.zeros(len(gaz.categories), dtype=np.float32)
    for m in mentions:
        cats[gaz.categories.index(m.category)] = 1.0
    pm = primary_mention(mentions)
    s, e = (pm.start, pm.end) if pm else (0, 0)
    any_reviled = any(m.reviled for m in mentions)
    years = [int(y) for y in _YEAR.findall(text)]
    compare = bool(_COMPARE.search(text) or _LIKE.search(text) or _REMIND.search(text))
    target = bool(_TARGET.search(text))
    before = text[:s].rstrip()
    cap_before = bool(pm and re.search(r"[A-Z][\w.&’'-]*$", before) and not re.search(r"(?:^|[.!?:\"“])\s*[A-Z][\w’'-]*$", before)
                      and not re.search(r"\b(?:The|A|An|In|Of|Since|After|Before|During|Like|Unlike|Nazi|Soviet)$", before))
    cues = [
        pm is not None and pm.ambiguous,
        any_reviled,
        np.log1p(len(mentions)),
        pm is not None and bool(_QUOTE_MARK.search(text[max(0, s - 2):s])) and bool(_QUOTE_MARK.search(text[e:e + 2])),
        cap_before,
        pm is not None and bool(re.match(r"['’]s\b", text[e:e + 3])),
        bool(_TITLE.search(text)),
        bool(_LIKE.search(text)),
        bool(_REMIND.search(text)),
        pm is not None and _near_before(_NEW, text, s, 25),
        pm is not None and _near_before(_SINCE, text, s, 40),
        bool(_SUPERL.search(text)),
        bool(_COMPARE.search(text)),
        bool(_SUFFIX.search(text)),
        any_reviled and bool(_CALLED.search(text)),
        bool(_RIGHT_SIDE.search(text)),
        any(y <= HISTORICAL_YEAR_MAX for y in years),
        any(y > HISTORICAL_YEAR_MAX for y in years),
        bool(_IN_YEAR.search(text)),
        bool(_ANNIV.search(text)),
        bool(_AGO.search(text)),
        pm is not None and _near_before(_DURING, text, s, 30),
        min(len(_PAST.findall(text)), 3) / 3.0,
        min(len(_PRESENT.findall(text)), 3) / 3.0,
        target,
        bool(_INSULT.search(text)),
        bool(_ADMIRE.search(text)),
        any_reviled and compare,
        any_reviled and target,
        bool(_QUOTE_MARK.search(text)),
        bool(_SPEECH.search(text)),
        len(text.split()) <= 14 and not _FINAL_PUNCT.search(text),
        np.log1p(len(text.split())) / 4.0,
        bool(_LENS.search(text)),
        pm is not None and bool(_NEW_X.search(text[max(0, s - 20):s])),
        pm is not None and bool(_NAMESAKE_AFTER.search(text[e:e + 30])),
    ]
    return np.concatenate([cats, np.asarray(cues, dtype=np.float32), construction_cues(text, mentions)])


# -- comparison constructions ------------------------------------------------------------------------
#: Characters before a mention searched for an anchored construction (about six words of a noun phrase,
#: enough for "takes cues from Russia's resilience in" before "WWII").
CONSTRUCTION_WINDOW = 60
_GAP = r"(?:[^.;:!?()\[\]]{0,%d})"
_ART = r"(?:(?:a|an|the|another|this|his|her|their|our|its)\s+)?"
_BEFORE: dict[str, re.Pattern] = {
    "new_x": _rx(r"\b(?:a|an|the|another|our|their|his|her|its|today['’]s)?\s*(?:new|next|a second|modern(?:-day)?|"
                 r"latter-day|present-day|21st[- ]century|twenty-first[- ]century|would-be|budding|mini|contemporary|"
                 r"our own|another|fresh|repeat of(?: the)?|version of(?: the)?|reprise of(?: the)?|redux of(?: the)?|"
                 r"rerun of(?: the)?)\s*[-\"“‘']?\s*$"),
    "echo": _rx(r"\b(?:echo(?:es|ed|ing)?(?: of)?|reminiscent of|remind(?:s|ed|ing)? (?:\w+ )?of|shades of|"
                r"hark(?:s|ed|ing)? back to|harken(?:s|ed|ing)? back to|throwback to|evok(?:e|es|ed|ing)|"
                r"conjur(?:e|es|ed|ing) up|recall(?:s|ed|ing)?|ghosts? of|spect(?:re|er) of|d[ée]j[àa] vu of|"
                r"parallels? (?:with|to|between)|analog(?:y|ies|ous) (?:with|to)|haunted by|haunts?|"
                r"straight out of|out of the|playbook of|page from)" + _GAP % 25 + r"$"),
    # "like" after a plural noun ("issues like the Iraq war", "films like Titanic") means "such as": left out.
    "like": _rx(r"(?:\b(?:looks?|sounds?|seems?|feels?|acts?|behaves?|is|was|as|less|much|more|just|not|nothing|"
                r"something|anything|exactly|very)\s+like|(?<!would)(?<!['’]d)(?<!\w\ws)(?<!\w\ws,)\s+like|^like|"
                r"\bunlike|as in|akin to|similar to|just as|much as|"
                r"(?:the )?same as|no different (?:from|than)|compar(?:e|es|ed|ing|ison|isons)\b" + _GAP % 40 +
                r"\b(?:to|with)|liken(?:s|ed|ing)?\b" + _GAP % 40 + r"\bto|equat(?:e|es|ed|ing)\b" + _GAP % 40 +
                r"\bwith|is no|was no|call(?:s|ed|ing)? (?!for\b|on\b|in\b|out\b|up\b)(?:\w+ ){1,3}(?:a|an|the)|as (?:bad|big|serious) as)\s+" +
                _ART + r"$"),
    "since": _rx(r"\b(?:worst|best|biggest|largest|highest|lowest|deadliest|greatest|most|strongest|weakest|"
                 r"fastest|slowest|sharpest|steepest|deepest|longest)\b" + _GAP % 70 +
                 r"\bsince\s+(?:the )?$|\bnot (?:been )?seen since\s+(?:the )?$|\bsince the (?:days|time) of\s+(?:the )?$"),
    "lens": _rx(r"\b(?:(?:take|takes|took|taking|draw|draws|drew|drawing|find|finds|found|seek|seeks|get|gets|"
                r"borrow|borrows|borrowed)\s+(?:\w+\s+)?(?:cues?|inspiration|lessons?|strength|a page|pages|a leaf|"
                r"comfort|courage|hope)\s+from|inspired by|invok(?:e|es|ed|ing)|invocation of|lessons? (?:of|from)|"
                r"learn(?:s|ed|t|ing)? (?:\w+ )?from|in the spirit of|heirs? to|emblem of|model(?:l?ed)? on|"
                r"emulat(?:e|es|ed|ing)|mantle of|never again|repeat(?:s|ed|ing)? the mistakes? of|"
                r"mistakes? of|in the footsteps of|in the mould of|in the mold of|channel(?:l?ed|l?ing|s)?)" +
                _GAP % 45 + r"$"),
}
_AFTER: dict[str, re.Pattern] = {
    "x_style": _rx(r"^(?:['’]s)?[- ]?(?:style|like|esque|type|inspired|lite|redux|2\.0|all over again|"
                   r"era (?:tactics|rhetoric|methods|policies|playbook|politics|propaganda|repression|crackdown|"
                   r"censorship|purges?|show trials?))\b"),
    # not "of the time" / "of the day": "the Soviet Union of the time" is narration
    "of_our_time": _rx(r"^(?:['’]s)?\s*(?:of|for) (?:our|this|today['’]s|the|a) ?(?:own )?(?:time|times|age|era|generation|"
                       r"day|century|21st[- ]century|twenty-first[- ]century|digital age|new age|modern age)\b(?<!the time)"
                       r"(?<!the times)(?<!the day)(?<!the era)(?<!the age)(?<!a time)(?<!the century)|"
                       r"^\s+(?:all over again|redux|again)\b"),
}


@dataclass(frozen=True)
class Construction:
    """A comparison construction anchored on a mention: its kind and the offsets of the cue words."""

    kind: str
    start: int
    end: int
    mention: Mention


def find_constructions(text: str, mentions: list[Mention] | None = None) -> list[Construction]:
    """Comparison constructions anchored on a historical mention ("a new Munich", "Hitler-style",
    "echoes of Watergate", "like the 1930s", "the worst ... since 9/11", "draws inspiration from ... the
    Nazi era", "the Watergate of our time").

    Parameters
    ----------
    text : str
        One sentence.
    mentions : list of Mention, optional
        Its gazetteer mentions, if already found.

    Returns
    -------
    list of Construction
        In text order of their mentions; at most one per kind and mention.

    Examples
    --------
    >>> [c.kind for c in find_constructions("Critics called the summit a new Munich.")]
    ['new_x']
    >>> find_constructions("He visited Munich on Monday.")
    []
    """
    if mentions is None:
        mentions = find_mentions(text)
    out: list[Construction] = []
    for m in mentions:
        if m.category == "cue":
            continue
        left = text[max(0, m.start - CONSTRUCTION_WINDOW):m.start]
        off = m.start - len(left)
        for kind, rx in _BEFORE.items():
            hit = rx.search(left)
            if hit:
                out.append(Construction(kind, off + hit.start(), off + hit.end(), m))
        right = text[m.end:m.end + 40]
        for kind, rx in _AFTER.items():
            hit = rx.search(right)
            if hit:
                out.append(Construction(kind, m.end + hit.start(), m.end + hit.end(), m))
    return out


def construction_cues(text: str, mentions: list[Mention] | None = None) -> np.ndarray:
    """One 0/1 column per :data:`CONSTRUCTION_KINDS` entry: is that construction anchored on a mention?"""
    kinds = {c.kind for c in find_constructions(text, mentions)}
    return np.array([k in kinds for k in CONSTRUCTION_KINDS], dtype=np.float32)


def _context_cues(text: str) -> np.ndarray:
    """A few cues of a neighbouring sentence: present, a comparison word, a historical mention, a reviled one."""
    if not text:
        return np.zeros(4, dtype=np.float32)
    mentions = find_mentions(text)
    comp = bool(_COMPARE.search(text) or _LIKE.search(text) or _REMIND.search(text))
    return np.array([1.0, comp, bool(mentions), any(m.reviled for m in mentions)], dtype=np.float32)


@register_feature("history_cues")
def history_cues(inp: FeatureInput) -> np.ndarray:
    """Gazetteer categories and lexical cues of each sentence, plus 4 cues of each neighbour
    (zeros when the caller gives no context, as :meth:`Classifier.predict_proba` does)."""
    rows = [np.concatenate([sentence_cues(t), _context_cues(p), _context_cues(n)])
            for t, p, n in zip(inp.texts, inp.prev_texts, inp.next_texts)]
    width = len(get_gazetteer().categories) + len(CUE_NAMES) + 8
    return np.vstack(rows) if rows else np.zeros((0, width), dtype=np.float32)
