"""The word lists of the quote detector (speech verbs, determiners, role and title words, ...).

They live in ``rhetorica/data/quote_lexicons.json`` (one object: name -> list of words, or name -> object for
the two dicts), checked against ``rhetorica/data/MANIFEST.json`` and loaded once, here, into the names and
types the rest of the package uses (frozensets, two dicts of sets, two space-separated strings).  Sets built
from other sets (``TITLE_WORDS = ROLE_WORDS | ...``) keep that algebra here; the JSON list holds only the
words of their own.
"""
from __future__ import annotations

import json
from pathlib import Path

from ...classifiers.heads import verify

#: The shipped data folder and the lexicon file (checked against the folder's MANIFEST.json).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"
LEXICON_FILE = "quote_lexicons.json"

with open(verify(DATA_DIR, LEXICON_FILE), encoding="utf-8") as _f:
    _L: dict = json.load(_f)

# ---------------------------------------------------------------------------------------------
# Lexicon (written for rhetorica; base forms expanded below).
#: Reporting verbs, as one space-separated string (the JSON keeps the words in their written order).
_SPEECH_VERBS = " ".join(_L["_SPEECH_VERBS"])
#: The last three lines of the speech list are communication verbs that head PolNeAR train cues at least
#: 40% of the times they occur (``expressed`` 33 of 41, ``rejected`` 22 of 26, ``condemned`` 10 of 11 ...).
#: Verbs that introduce a quoted *description* ("called it a “disaster”"): cues for partial quotes only.
_DESCRIBE_VERBS = " ".join(_L["_DESCRIBE_VERBS"])
#: Words of the list above that are far more often nouns in news ("the state", "a note", "his remarks"): not cues.
_NOUN_LIKE = frozenset(_L["_NOUN_LIKE"])
SPEECH_VERBS = frozenset(_SPEECH_VERBS.split()) - _NOUN_LIKE
DESCRIBE_VERBS = frozenset(_DESCRIBE_VERBS.split())
#: Verbs that take a bare clause ("X said the plan would fail") without "that".
_BARE_CLAUSE_VERBS = frozenset(_L["_BARE_CLAUSE_VERBS"])
#: Refusals to speak that PolNeAR marks as speech acts ("declined to comment", "refused to say"): the cue is
#: the verb, the content its "to"-infinitive (44 + 21 such relations on train had no predicted cue).
DECLINE_VERBS = frozenset(_L["DECLINE_VERBS"])
#: Speech acts whose content PolNeAR marks as the "to"-infinitive ("vowed to fight on", "threatened to run").
TO_VERBS = DECLINE_VERBS | frozenset(_L["TO_VERBS"])
#: Verbs that take an addressee before the clause ("told reporters that", "told CNN the plan ...").
_ADDRESSEE_VERBS = frozenset(_L["_ADDRESSEE_VERBS"])

PRONOUNS = frozenset(_L["PRONOUNS"])
_PERSON_PRONOUNS = frozenset(_L["_PERSON_PRONOUNS"])
_DETERMINERS = frozenset(_L["_DETERMINERS"])
#: Words that may sit between a speaker and the verb without being part of the speaker.
_SKIP_BEFORE_VERB = frozenset(_L["_SKIP_BEFORE_VERB"])
_TIME_WORDS = frozenset(_L["_TIME_WORDS"])
#: Lower-case words that end a speaker phrase when walking away from the verb.
_NP_STOP = frozenset(_L["_NP_STOP"])
#: Role nouns: the head of a description that can stand for a named person ("the Russian Defense Minister").
ROLE_WORDS = frozenset(_L["ROLE_WORDS"])
#: Capitalised words that are titles/roles, kept apart from the name ("Defense Minister Andrey Belousov").
TITLE_WORDS = ROLE_WORDS | frozenset(_L["TITLE_WORDS"])
#: Words that make a capitalised run an organisation/place, not a person (no pronoun resolves to it).
_ORG_WORDS = frozenset(_L["_ORG_WORDS"])
_MONTHS_DAYS = frozenset(_L["_MONTHS_DAYS"])
_NON_NAME_CAPS = frozenset(_L["_NON_NAME_CAPS"])

_TITLE_LOWER = frozenset(_L["_TITLE_LOWER"])

#: Verbs that report a quotation only in a frame right after it ("“…,” the sign read", "“…,” protesters
#: chanted").
_FRAME_ONLY_VERBS = frozenset(_L["_FRAME_ONLY_VERBS"])

#: Words that join a head to its post-modifier in an unnamed source ("a source familiar with the matter",
#: "people close to the president", "an aide to the governor", "officials briefed on the talks").
_POSTMOD_LINKS = frozenset(_L["_POSTMOD_LINKS"])
_POSTMOD_ADJ = frozenset(_L["_POSTMOD_ADJ"])

#: Speaker nouns with adjective-like endings ("officials", "the general", "the editorial").
_SPEAKER_NOUNS_ENDINGS = frozenset(_L["_SPEAKER_NOUNS_ENDINGS"])

#: Lower-case words that can open a speaker phrase after the verb ("said former Obama adviser David Axelrod").
_SPEAKER_PREMODIFIERS = frozenset(_L["_SPEAKER_PREMODIFIERS"])

#: Head words of unnamed sources ("officials said", "a source familiar with the matter", "people close to").
ANONYMOUS_HEADS = frozenset(_L["ANONYMOUS_HEADS"])
#: Words that make a speaker a news medium ("Russian official media", "state television", "the Post").
MEDIA_WORDS = frozenset(_L["MEDIA_WORDS"])
#: Determiners that mark an unnamed, non-specific speaker.
_INDEFINITE = frozenset(_L["_INDEFINITE"])

#: Last words that end no speaker phrase: object pronouns and "let's".
_NOT_SPEAKER_ENDS = frozenset(_L["_NOT_SPEAKER_ENDS"])
#: Common nouns for one or more people, described rather than named ("the man", "a local farmer").
_PERSON_HEADS = frozenset(_L["_PERSON_HEADS"])
#: Heads that name an informant, never an identified speaker ("its source", "the insiders").
_INFORMANT_HEADS = frozenset(_L["_INFORMANT_HEADS"])
#: Heads of a finding rather than a speaker ("Polls show …", "a study found …"): typed as an organisation's, never
#: as a person's, even when the sentence's capital makes the word look like a surname.
_FINDING_HEADS = frozenset(_L["_FINDING_HEADS"])

#: Passive reporting verbs whose subject is still a speaker ("Trump was asked about ...").
_PASSIVE_SPEAKER_VERBS = frozenset(_L["_PASSIVE_SPEAKER_VERBS"])

#: Lower-case words right before a reporting verb that PolNeAR train annotates as part of the cue at least
#: 85% of the times they occur there, with at least 4 occurrences ("was asked" 83 of 86, "did not mention"
#: 52 of 52, "repeatedly said" 26 of 26, "first reported" 24 of 25, "later said" 15 of 17).  Walked over
#: right to left, so "has not publicly said" is one cue.
_CUE_LEFT_WORDS = frozenset(_L["_CUE_LEFT_WORDS"])

#: Words after a reporting verb that PolNeAR train includes in the cue at least 60% of the times (counted
#: over gold cues headed by the verb, at least 3 occurrences: "called for" 46 of 46, "referring to" 39 of
#: 42, "asked about" 20 of 26, "railed against" 8 of 8).
_CUE_RIGHT = {k: set(v) for k, v in _L["_CUE_RIGHT"].items()}

#: Words between a verb and "that" which show the "that" belongs to another clause.
_THAT_SEARCH_STOPS = frozenset(_L["_THAT_SEARCH_STOPS"])

_COORDINATORS = frozenset(_L["_COORDINATORS"])
#: Tokens after which a clause (and so its subject) can begin.
_CLAUSE_OPENERS = frozenset(_L["_CLAUSE_OPENERS"])

#: Irregular past forms that follow a subject ("Obama met survivors and said …").
_IRREGULAR_PAST = frozenset(_L["_IRREGULAR_PAST"])

#: Verbs of asking, whose content is an embedded question ("asked whether …", "wondered how …").
_QUESTION_VERBS = frozenset(_L["_QUESTION_VERBS"])
#: Words that open a reported clause without a subject first ("said if elected he would …", "asked whether …").
_CLAUSE_WORDS = frozenset(_L["_CLAUSE_WORDS"])

#: Particles that belong to a speech-act cue ("called for", "pointed out", "referred to", "talked about"), by
#: the verb's first three letters.
_CUE_PARTICLES = {k: set(v) for k, v in _L["_CUE_PARTICLES"].items()}
#: Words after ", " or "and" that end the object of a speech act (a new clause or a second cue follows).
_OBJECT_STOPS = frozenset(_L["_OBJECT_STOPS"])

_SENTENCE_OPENERS = frozenset(_L["_SENTENCE_OPENERS"])

_SUBORDINATORS = frozenset(_L["_SUBORDINATORS"])

_INTRO_WORDS = frozenset(_L["_INTRO_WORDS"]) | _MONTHS_DAYS

#: Forms of "say"/"tell": after them a clause may open with a bare noun ("said bullying doesn't just happen").
_SAY_FORMS = frozenset(_L["_SAY_FORMS"])
#: Subject pronouns: any lower-case word after them is taken as the verb ("they fear", "we need").
_PLAIN_SUBJECTS = frozenset(_L["_PLAIN_SUBJECTS"])
#: Words ending in -s that are not verbs (plural nouns are not told apart; these are frequent function words).
_NOT_VERBS_S = frozenset(_L["_NOT_VERBS_S"])

_FINITE = frozenset(_L["_FINITE"])

_ADJUNCT_START = frozenset(_L["_ADJUNCT_START"]) | _MONTHS_DAYS

_NOT_SPEAKERS = frozenset(_L["_NOT_SPEAKERS"])
