"""Speaker phrases: the noun phrase before or after a reporting verb (:class:`_Mention`), the subject of a
sentence or of a coordinated clause, whether a phrase can speak, the speaker type (person, organisation,
media, anonymous, unresolved) and distinct speakers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .entities import _Entities, _full_name, _resolve_description, _resolve_pronoun
from .lexicons import (
    ANONYMOUS_HEADS, _CLAUSE_OPENERS, _COORDINATORS, _DETERMINERS, _FINDING_HEADS, _FINITE, _INDEFINITE,
    _INFORMANT_HEADS, _INTRO_WORDS, _IRREGULAR_PAST, MEDIA_WORDS, _MONTHS_DAYS, _NON_NAME_CAPS, _NOT_VERBS_S,
    _NP_STOP, _ORG_WORDS, _PERSON_HEADS, _PERSON_PRONOUNS, _POSTMOD_ADJ, _POSTMOD_LINKS, PRONOUNS, ROLE_WORDS,
    _SENTENCE_OPENERS, _SKIP_BEFORE_VERB, _SPEAKER_NOUNS_ENDINGS, _SPEAKER_PREMODIFIERS, SPEECH_VERBS, _TIME_WORDS,
    TITLE_WORDS,
)
from .params import MAX_APPOSITION_TOKENS, MAX_RELATIVE_TOKENS, MAX_SPEAKER_TOKENS
from .tokens import _looks_like_person, _split_name


@dataclass
class _Mention:
    start: int
    end: int
    text: str  # as written (pronoun, name, description)
    resolved: str = ""  # the speaker string reported
    title: str = ""
    person: bool = False


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
        if t == "MORE":  # a web page's "related links" marker left in the text ("... ethics MORE said"), not a name
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
    words = [x[2].lower() for x in toks[start_i:end_i + 1]]
    if all(w in _TIME_WORDS or w in _MONTHS_DAYS for w in words) and set(words) & _TIME_NOUNS:
        return None  # "last month issued new rules": a time, not a speaker
    start_i = _postmodified_head(toks, start_i, floor)
    return _phrase_mention(text, toks[start_i][0], toks[end_i][1], ents)


_NUMBER = r"(?:\d+|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en)"
#: A quantity standing alone as the subject of a speech verb: "Several said", "Two in three say", "Most
#: said", "all but two said" (PolNeAR marks these as sources; poll respondents in campaign news).
_QUANT_SUBJECT_RE = re.compile(
    r"(?:^|(?<=[\s,;:(—–-]))((?:(?:[Nn]early|[Aa]bout|[Aa]lmost|[Jj]ust|[Oo]nly|[Rr]oughly|[Mm]ore than) )?"
    r"(?:" + _NUMBER + r" (?:in|out of) " + _NUMBER + r"|[Ss]everal|[Mm]any|[Mm]ost|[Ss]ome|[Oo]thers|[Ff]ew"
    r"|[Aa]ll but " + _NUMBER + r"|[Hh]alf|[Bb]oth|[Aa] majority|[Aa] third|[Aa] quarter|[Aa] few))$")


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


#: Words that make a phrase of time words a time ("last month", "this week", "Monday morning").
_TIME_NOUNS = frozenset({"week", "month", "year", "weekend", "yesterday", "today", "tonight", "morning", "afternoon",
                         "evening", "night"}) | _MONTHS_DAYS


def _phrase_mention(text: str, start: int, end: int, ents: _Entities) -> _Mention:
    phrase = text[start:end]
    m = _Mention(start, end, phrase)
    name, title = _split_name(phrase)
    if name and all(w.lower().strip(".,") in _MONTHS_DAYS for w in name.split()):
        name, title = "", ""  # "filing documents obtained early Saturday": a day is no one's name
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
        if resolved.lower().strip() in ("who", "which"):
            return "unresolved"  # no antecedent was found
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
    named_after_first = any(w[:1].isupper() and w.lower() not in _DETERMINERS for w in mention.split()[1:])
    named = named_after_first or (
        mention[:1].isupper() and words[0] not in _DETERMINERS)
    linked = head != words[-1]
    if head in MEDIA_WORDS or (not linked and lwords & MEDIA_WORDS
                               and head not in ROLE_WORDS | ANONYMOUS_HEADS | _PERSON_HEADS):  # not "agency lawyers"
        return "media"
    if head in ANONYMOUS_HEADS and (words[0] in _INDEFINITE or head.endswith("s") or head in ("someone", "people")):
        return "anonymous"
    if head in ANONYMOUS_HEADS and not named and words[0] not in ("the", "his", "her", "their", "its"):
        return "anonymous"
    if head in _INFORMANT_HEADS and not named:
        return "anonymous"  # "its source", "the sources": an informant is unnamed whatever the determiner
    if head in _FINDING_HEADS and not linked and not person:
        return "organisation"  # "Polls", "A new study": a finding, not a surname or a person
    if head in _PERSON_HEADS and _plural(head) and not named_after_first:
        return "anonymous"  # "Many farmers", "Voters", "the protesters": an unnamed group, like "officials"
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


def _plural(noun: str) -> bool:
    """Is this person noun of :data:`_PERSON_HEADS` a plural ("farmers", "women", "children")?"""
    return noun in {"men", "women", "children", "people"} or (noun.endswith("s") and noun[:-1] in _PERSON_HEADS)


#: Tokens searched to the left of "… and said" for the subject of the coordinated clause.
MAX_COORDINATION_TOKENS = 40


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
