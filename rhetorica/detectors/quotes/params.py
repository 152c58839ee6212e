"""Scores and size limits of the quote detector: the confidence given to each kind of evidence and the
bounds on every look-around window (they keep the cost linear in the length of the text).
"""
from __future__ import annotations

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
#: After "so-called", "self-styled", "alleged"... a quoted fragment of up to this many words is a scare quote even
#: with a reporting verb near ("The so-called “community benefits” package, which promises ...").
MAX_MARKED_SCARE_WORDS = 5
#: Quoted Title Case fragments up to this many words inside a sentence are titles (shows, books, slogans).
MAX_TITLE_WORDS = 6
#: Characters of context read on either side of a quotation or cue (bounds the work per item).
CONTEXT_CHARS = 300
#: How far back into the sentence before an unattributed quotation the speaker-carrying scan reads ("Trump had this
#: to say:", "He noted that ..."): its last this-many characters. Bounds the work per quotation, so a text of many
#: quotations after one very long run of text stays linear; PolNeAR dev rule output is unchanged by it.
CARRY_SCAN_CHARS = 1000
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
