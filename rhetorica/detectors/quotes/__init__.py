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

The package, lowest layer first (a module imports only from the ones above it):

* :mod:`.params`: scores and size limits; :mod:`.lexicons`: the word lists, loaded from
  ``rhetorica/data/quote_lexicons.json``;
* :mod:`.tokens`: tokenizer, sentence bounds, capitalised names;
* :mod:`.cues`: quotation marks, speech-verb cues, cue phrases, where reported content ends;
* :mod:`.entities`: the entity tracker (full names, titles, pronoun and description resolution);
* :mod:`.speakers`: speaker phrases, sentence subjects, speaker types;
* :mod:`.quotations` (quotations in marks), :mod:`.indirect` (indirect and mixed speech),
  :mod:`.transcripts` (speaker-tagged turns), :mod:`.finalise` (canonical names, speaker types);
* :mod:`.detector`: :class:`QuoteDetector`, registered as ``"quote"`` on import.

Every name of the former single module ``rhetorica/detectors/quotes.py`` is re-exported here.
"""
from __future__ import annotations

from .params import (  # noqa: F401
    SCORE_FRAME, SCORE_SENTENCE_CUE, SCORE_CARRIED, SCORE_UNATTRIBUTED, SCORE_UNCLOSED_FACTOR, SCORE_INDIRECT_THAT,
    SCORE_INDIRECT_BARE, SCORE_INDIRECT_OBJECT, SCORE_MIXED, SCORE_TRANSCRIPT, MAX_SCARE_QUOTE_WORDS,
    MAX_TITLE_WORDS, CONTEXT_CHARS, MAX_SPEAKER_TOKENS, MAX_APPOSITION_TOKENS, MAX_RELATIVE_TOKENS,
    MAX_TOKENS_BEFORE_THAT, MIN_TRAILING_CLAUSE_WORDS, MAX_ACCORDING_TOKENS, MAX_TRAILING_TOKENS,
    MAX_PARENTHESIS_TOKENS, MAX_PARENTHESIS_CHARS, MIN_BARE_CLAUSE_WORDS,
)
from .lexicons import (  # noqa: F401
    _SPEECH_VERBS, _DESCRIBE_VERBS, _NOUN_LIKE, SPEECH_VERBS, DESCRIBE_VERBS, _BARE_CLAUSE_VERBS, DECLINE_VERBS,
    TO_VERBS, _ADDRESSEE_VERBS, PRONOUNS, _PERSON_PRONOUNS, _DETERMINERS, _SKIP_BEFORE_VERB, _TIME_WORDS, _NP_STOP,
    ROLE_WORDS, TITLE_WORDS, _ORG_WORDS, _MONTHS_DAYS, _NON_NAME_CAPS, _TITLE_LOWER, _FRAME_ONLY_VERBS,
    _POSTMOD_LINKS, _POSTMOD_ADJ, _SPEAKER_NOUNS_ENDINGS, _SPEAKER_PREMODIFIERS, ANONYMOUS_HEADS, MEDIA_WORDS,
    _INDEFINITE, _NOT_SPEAKER_ENDS, _PERSON_HEADS, _INFORMANT_HEADS, _PASSIVE_SPEAKER_VERBS, _CUE_LEFT_WORDS,
    _CUE_RIGHT, _THAT_SEARCH_STOPS, _COORDINATORS, _CLAUSE_OPENERS, _IRREGULAR_PAST, _QUESTION_VERBS, _CLAUSE_WORDS,
    _CUE_PARTICLES, _OBJECT_STOPS, _SENTENCE_OPENERS, _SUBORDINATORS, _INTRO_WORDS, _SAY_FORMS, _PLAIN_SUBJECTS,
    _NOT_VERBS_S, _FINITE, _ADJUNCT_START, _NOT_SPEAKERS,
)
from .tokens import (  # noqa: F401
    _TOKEN_RE, _TERMINATOR_RE, _CAP_RUN_RE, _tokens, _clause_start, _clause_end, _abbrev_before, _split_name,
    _looks_like_person, _content_end, _first_after,
)
from .cues import (  # noqa: F401
    _DQ_OPEN, _DQ_CLOSE, _MARK_RE, _Quote, _find_quotes, _is_word, _pair_marks, _trim_end, _cue_word, _frame_cue,
    _addressee, _inside_quote, _CONTENT_BREAK_RE, _CLOSE_TWO_SINGLE_RE, _BE_BEFORE_RE, _passive_result,
    _trim_content, _AUX_BEFORE_CUE_RE, _PARTICLE_RE, _AFTER_CUE_RE, _WORD_BEFORE_RE, _AFTER_CUE_TIME_RE,
    _extend_cue,
)
from .entities import (  # noqa: F401
    _Entities, _entities, _apposition_words, _full_name, _resolve_description, _TERMINATOR_GAP, _resolve_pronoun,
)
from .speakers import (  # noqa: F401
    _Mention, _speaker_left, _NUMBER, _QUANT_SUBJECT_RE, _postmodified_head, _valid_phrase, _speaker_right,
    MAX_ROLE_PREFIX_WORDS, _role_before_name, _pronoun_mention, _phrase_mention, _WEB_NAME_RE, speaker_type,
    MAX_COORDINATION_TOKENS, _coordinated_subject, _subject_end, _verb_like, _speaker_like, _sentence_subject,
    _distinct_speakers,
)
from .quotations import (  # noqa: F401
    _attribute, _is_title, _frame_after, _frame_before, _cue_in_sentence, _propagate_chains, _carry_speaker,
    _make_span,
)
from .indirect import (  # noqa: F401
    _THAT_RE, _indirect, MIN_HEADLINE_CAPS_SHARE, _headline, _indirect_span, _verb_clause, _end_relative,
    _bare_clause, MIN_OBJECT_WORDS, _object_clause, MAX_SUBJECT_GAP, _asked_by, _according_to,
    _ACCORDING_SOURCE_END, _trailing, _REST_TOKENS, _adjunct_tail,
)
from .transcripts import (  # noqa: F401
    _TURN_RE, MIN_TRANSCRIPT_TURNS, _transcript_turns,
)
from .finalise import (  # noqa: F401
    _QUOTE_CHARS, _OF_PLACE_RE, _finalise,
)
from .detector import (  # noqa: F401
    QuoteDetector,
)
from .tagger import (  # noqa: F401
    AttributionDetector,
)
