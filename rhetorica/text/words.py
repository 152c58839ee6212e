"""Every word pattern rhetorica tokenises with, in one place.

The trained heads read features counted with these patterns, so each head keeps the exact pattern it was trained
with: changing one means retraining the heads listed beside it.  New code should use :data:`WORD` (or
:data:`TERM` for lexicon terms) rather than define another pattern.
"""
from __future__ import annotations

import re

#: A word of letters and digits with inner apostrophes and hyphens ("don't", "far-left", "COVID-19").  Used by the
#: propaganda span features and the propaganda detector's span boundaries (heads: ``propaganda_technique``).
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
#: A lexicon term: letters with apostrophes, hyphen-joined parts ("left-wing", "o'clock"); the
#: ``loaded_language`` lexicon is keyed on it.
TERM = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*")
#: A letter-initial word, for word counts of the frame and persuasion cues (heads: ``frames``, ``persuasion``).
ALPHA_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
#: Any run of word characters, for sentence lengths in the sentence-label cues (heads: ``media_bias``,
#: ``subjectivity``, ``hedging``).
UNICODE_WORD = re.compile(r"\w+")
#: A lower-cased token of the hashed n-gram features of the sentence-label heads.
LOWER_TOKEN = re.compile(r"[a-z0-9']+")
#: A whole word (not a fragment of a longer one), for the history cues' word lookups (head: ``historical_analogy``).
WHOLE_WORD = re.compile(r"(?<![\w'’-])[\w'’-]+")
