"""Cheap lexical cues for the ``rhetorical_question`` head.

Two feature builders, both pure functions of the text (no encoder call):

``question_cues``
    Cues read from the sentence that holds the question: what the question
    opens with (wh-word, auxiliary, negative auxiliary, "what about"), modals,
    person, quote marks and attribution, transcript and poll markers, title-like
    '?' inside a sentence, several '?' in a row, text after the last '?'.
``question_context_cues``
    Cues read from the neighbouring sentences: an answer-like next sentence
    ("Because ...", "Yes.", "Well, ..."), a question series, a transcript line,
    a poll prompt, a headline just before.  All zero when no context is given
    (``predict_proba`` on bare sentences), which the head was trained to expect.

Every cue is a number in ``[0, 1]`` (counts and lengths are squashed), so the
same function serves training and run time without fitted state.
"""
from __future__ import annotations

import re

import numpy as np

from .features import FeatureInput, register_feature

_WH = r"(?:what|why|how|who|whom|whose|where|when|which)"
_AUX = (r"(?:is|are|am|was|were|do|does|did|can|could|will|would|should|shall|may|might|must|has|have|had)")
_NEG_AUX = (r"(?:isn['’]t|aren['’]t|wasn['’]t|weren['’]t|don['’]t|doesn['’]t|didn['’]t|can['’]t|couldn['’]t|"
            r"won['’]t|wouldn['’]t|shouldn['’]t|haven['’]t|hasn['’]t|hadn['’]t|ain['’]t|mustn['’]t)")
#: Words that may precede the interrogative without changing its kind ("But why ...", "So, what ...").
_LEAD = r"(?:(?:and|but|so|or|then|yet|now|well|still|also|oh|okay|ok|again|really|seriously)[,\s]+)*"
_QUOTES = "\"“”‘’«»'"
_OPEN_Q = "\"“‘«"

_FLAGS = re.IGNORECASE
_RE = {name: re.compile(p, _FLAGS) for name, p in {
    "wh_start": rf"^{_LEAD}{_WH}\b",
    "aux_start": rf"^{_LEAD}{_AUX}\b",
    "neg_aux_start": rf"^{_LEAD}(?:{_NEG_AUX}|(?:{_AUX}) (?:it|this|that|he|she|they|we|you|there) not\b)",
    "what_about": r"\b(?:what|how) about\b",
    "who_modal": r"\bwho (?:could|would|can|will|cares|knew|needs|wants|in (?:their|his|her) right mind)\b",
    "why_modal": r"\bwhy (?:not|would|should|on earth|else|bother|is it that)\b",
    "how_modal": r"\bhow (?:can|could|dare|long|many more|much longer|is (?:that|this|it) (?:possible|fair|right))\b",
    "modal_spec": r"\b(?:could|might|will|would|may)\b",
    "modal_should": r"\b(?:should|must|ought)\b",
    "second_person": r"\b(?:you|your|yours|yourself|yourselves)\b",
    "first_plural": r"\b(?:we|us|our|ours|ourselves)\b",
    "first_singular": r"\b(?:i|me|my|mine|myself)\b",
    "emphasis": r"\b(?:really|seriously|even|ever|anyone|anybody|anything|honestly|possibly|on earth|"
                r"the hell|exactly)\b",
    "negation": r"\b(?:not|no|never|nothing|nobody|none)\b|n['’]t\b",
    "or_alt": r"\bor (?:not|is it|are they|was it|do they|does it)\b|\bor\b[^?]*\?\s*$",
    "framing": r"\b(?:the (?:real |big |key |only )?question (?:is|now|remains|becomes)|questions? (?:arise|remain)|"
               r"one (?:might|may|could|can) (?:ask|wonder)|(?:you|we|i) (?:might|may|must|have to) "
               r"(?:ask|wonder)|begs the question|wondering)\b",
    "attribution": r"\b(?:said|says|say|asked|asks|ask|told|tells|wrote|writes|added|adds|tweeted|wondered|"
                   r"wonders|questioned|demanded|according to)\b",
    "asked": r"\b(?:asked|asks|ask|wondered|wonders|questioned|inquired)\b",
    "interview": r"\b(?:interview|Q\s?&\s?A|q:|a:|host|moderator|anchor|reporter|journalist|spoke with|"
                 r"told reporters|press conference|asked by)\b",
    "poll": r"\b(?:poll|vote|survey|take our|tell us|let us know|comment below|share your|what do you think|"
            r"your (?:views|thoughts|opinion)|have your say)\b",
    "title_q": r"\?[,;)]|\?\s+[a-z]",
    "url_q": r"\S\?[\w=&]",
    "multi_q": r"\?\s*\?|\?!|!\?",
    "if_clause": r"\bif\b",
    "conditional_would": r"\bwould\b.*\bif\b|\bif\b.*\bwould\b",
    "asked_after": r"\?[\"”’']?,?\s*(?:[\w.’'-]+\s){0,3}(?:asked|asks|wondered|wonders|queried|inquired|"
                   r"demanded|wanted to know)\b|\b(?:asked|wondered|inquired)\b[^?]{0,40}[:,]\s*[\"“‘]?\w[^?]*\?",
    "said_after": r"\?[\"”’']?,?\s*(?:[\w.’'-]+\s){0,3}(?:said|says|added|adds|wrote|writes|tweeted|declared)\b",
    "this_that": r"\b(?:this|that|these|those)\b",
    "comparative": r"\b(?:more|less|better|worse|than)\b",
}.items()}
#: A transcript or interview line: "HANNITY: ...", "Michael Swadling: ...", "Q: ..." (case matters), or a
#: bracketed speaker tag as in published interviews ("((WN)) ...", "((Jane Doe)) ...", "[Interviewer] ...").
_RE["transcript"] = re.compile(r"^\s*[\"“]?(?:(?:[A-Z][A-Za-z.'’-]*\s?){1,3}:\s|\(\([^()\n]{1,40}\)\)\s?|\[[A-Z][^\]\n]{0,40}\]\s)")

_ANSWER_START = re.compile(
    r"^[\"“”'‘’]?\s*(?:yes|no|nope|yep|well|because|simple|simply|absolutely|of course|certainly|probably|"
    r"perhaps|maybe|not (?:really|at all|quite|likely|necessarily)|the answer|answer:|sure|indeed|hardly|"
    r"never|nothing|nobody|none|clearly|obviously|it (?:is|was|'s|’s) (?:because|simple|clear|obvious)|"
    r"that['’]?s (?:because|why|the|what|easy|simple)|here['’]?s|in (?:short|a word|fact)|unlikely|"
    r"doubtful|i (?:think|believe|doubt|suspect|guess))\b",
    _FLAGS)
#: Someone else answers: "..., he replied.", "She responded that ..."
_REPLY = re.compile(r"\b(?:replied|replies|responded|responds|answered|answers|retorted|shot back)\b", _FLAGS)
#: An interviewee-style answer: "I think ...", "We have ...", '"I don't know," ...'
_FIRST_PERSON_START = re.compile(r"^[\"“'‘]?\s*(?:I|I['’]m|I['’]ve|I['’]d|We|We['’]re|My|Our)\b")
_QUESTION_WORD = re.compile(r"\b(?:question(?:ed|s)?|asked|interview(?:ed)?|reporters?)\b", _FLAGS)
_HEADLINE_END = re.compile(r"[.!?…\"”’)\]:]\s*$")

#: Names of the columns of ``question_cues`` (in order), for model cards and tests.
TEXT_CUES: tuple[str, ...] = tuple(_RE) + (
    "quoted_question", "opens_with_quote", "has_quote_marks", "text_after_question", "n_questions",
    "n_words", "short", "final_question")
#: Names of the columns of ``question_context_cues`` (in order).
CONTEXT_CUES: tuple[str, ...] = (
    "no_context", "no_prev", "no_next", "next_answer_like", "next_question", "prev_question", "next_transcript",
    "prev_transcript", "next_poll", "prev_poll", "prev_headline", "next_short", "next_quote_open",
    "prev_asked", "next_attribution", "prev_colon", "next_reply", "next_first_person", "prev_mentions_question")


def _last_question_clause(text: str) -> str:
    """The clause that ends at the last '?' (from the nearest : ; — or quote mark before it)."""
    end = text.rfind("?")
    if end < 0:
        return text.strip()
    head = text[:end]
    cut = max(head.rfind(c) for c in ":;—–.!?\"“”")
    return text[cut + 1:end + 1].strip(" \"“”‘’'(-")


def _squash(x: float, scale: float) -> float:
    """Map a non-negative count or length into ``[0, 1)``."""
    return float(x) / (float(x) + scale)


def text_cues(text: str) -> list[float]:
    """The ``question_cues`` vector of one sentence (see :data:`TEXT_CUES`)."""
    clause = _last_question_clause(text)
    row = []
    for name, rx in _RE.items():
        target = clause if name.endswith("_start") else text
        row.append(float(bool(rx.search(target))))
    last_q = text.rfind("?")
    after = text[last_q + 1:].strip(" " + _QUOTES + ")]") if last_q >= 0 else ""
    q_pos = [m.start() for m in re.finditer(r"\?+", text)]
    before = text[:last_q] if last_q >= 0 else text
    inside_quote = before.count("“") > before.count("”") or before.count('"') % 2 == 1
    words = len(text.split())
    row += [
        float(inside_quote),
        float(text.lstrip()[:1] in _OPEN_Q),
        float(any(c in text for c in "\"“”«»")),
        _squash(len(after.split()), 3.0),
        _squash(len(q_pos), 1.0),
        _squash(words, 15.0),
        float(words <= 6),
        float(last_q >= 0 and not after),
    ]
    return row


def not_device_rule(text: str, nxt: str = "") -> bool:
    """The keyword baseline of the model card: a question is a device unless this is True.

    True for a transcript or interview line (a speaker tag in the sentence or the next one), a
    question reported with "asked", a poll prompt, or a '?' inside a title.  Chosen on the train
    split as the best simple rule; the head uses the same cues as separate features.
    """
    return bool(_RE["transcript"].search(text) or _RE["transcript"].search(nxt) or _RE["asked_after"].search(text)
                or _RE["poll"].search(text) or _RE["title_q"].search(text))


def context_cues(prev: str, nxt: str) -> list[float]:
    """The ``question_context_cues`` vector of one question's neighbours (see :data:`CONTEXT_CUES`)."""
    prev, nxt = prev.strip(), nxt.strip()
    if not prev and not nxt:
        return [1.0] + [0.0] * (len(CONTEXT_CUES) - 1)
    return [
        0.0,
        float(not prev),
        float(not nxt),
        float(bool(_ANSWER_START.search(nxt))),
        float("?" in nxt),
        float("?" in prev),
        float(bool(_RE["transcript"].search(nxt))),
        float(bool(_RE["transcript"].search(prev))),
        float(bool(_RE["poll"].search(nxt))),
        float(bool(_RE["poll"].search(prev))),
        float(bool(prev) and not _HEADLINE_END.search(prev) and len(prev.split()) <= 15),
        float(bool(nxt) and len(nxt.split()) <= 5),
        float(nxt[:1] in _OPEN_Q),
        float(bool(_RE["asked"].search(prev))),
        float(bool(_RE["attribution"].search(nxt))),
        float(prev.endswith(":")),
        float(bool(_REPLY.search(nxt))),
        float(bool(_FIRST_PERSON_START.search(nxt))),
        float(bool(_QUESTION_WORD.search(prev))),
    ]


@register_feature("question_cues")
def question_cues(inp: FeatureInput) -> np.ndarray:
    """Lexical cues of the question sentence, shape ``(n, len(TEXT_CUES))``."""
    return np.array([text_cues(t) for t in inp.texts], dtype=np.float32).reshape(len(inp), len(TEXT_CUES))


@register_feature("question_context_cues")
def question_context_cues(inp: FeatureInput) -> np.ndarray:
    """Lexical cues of the neighbouring sentences, shape ``(n, len(CONTEXT_CUES))``."""
    rows = [context_cues(p, n) for p, n in zip(inp.prev_texts, inp.next_texts)]
    return np.array(rows, dtype=np.float32).reshape(len(inp), len(CONTEXT_CUES))


@register_feature("question_context_similarity")
def question_context_similarity(inp: FeatureInput) -> np.ndarray:
    """Cosine similarity of the question sentence to the previous and the next sentence, shape ``(n, 2)``.

    Read from the shared encoder's (L2-normalised) vectors; 0 where a neighbour is absent.
    """
    emb = np.asarray(inp.embeddings, dtype=np.float32)
    prev = (emb * np.asarray(inp.prev_embeddings, dtype=np.float32)).sum(axis=1)
    nxt = (emb * np.asarray(inp.next_embeddings, dtype=np.float32)).sum(axis=1)
    return np.stack([prev, nxt], axis=1).reshape(len(inp), 2)



# -- cues of genuine questions and of '?' that are no question ------------------------------------------
#: Reader polls and call-outs in news pages: "Vote in our poll", "Do you agree ...?", "Tell us ...".
_READER_POLL = re.compile(
    r"\b(?:poll|polls|vote|voting|survey|tell us|let us know|comment below|comments below|share your|"
    r"what do you think|have your say|your (?:views|thoughts|opinion|opinions|experiences?|comments)|"
    r"do you (?:agree|support|think|believe|approve|back)|click (?:here|below)|email us|write to us|"
    r"send us|weigh in|join the (?:conversation|debate)|does any ?one know|anyone know)\b", _FLAGS)
#: A yes/no answer grid or reply after a poll question ("Yes No", "* Yes, ...").
_YES_NO_NEXT = re.compile(r"^[\s*•-]*(?:yes|no)\b|\byes[,.]?\s+no\b", _FLAGS)
#: A link or teaser line: "Read more: Why is ...?", "Related: ...", "Watch: ...".
_TEASER = re.compile(r"^\W*(?:read more|related|see also|more on this|watch|listen|video|opinion|analysis|"
                     r"explainer|also read|recommended)\s*:", _FLAGS)
#: A list item: "- What is ...?", "* ...", "• ...".
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s")
#: Social-media furniture: handles, "pic.twitter", "— Name (@handle) date".
_SOCIAL = re.compile(r"\(@\w+\)|pic\.twitter|#\w+|@\w{2,}")
#: "Q:" / "Question:" lines and their "A:" / "Answer:" replies.
_QA_TAG = re.compile(r"^\s*[\"“]?(?:Q|Question)\s*[:.]\s", _FLAGS)
_A_TAG = re.compile(r"^\s*[\"“]?(?:A|Answer)\s*[:.]\s", _FLAGS)
#: Someone else is reported asking, before or around the question: "asking, ‘How ...?’", "Saying, What ...?".
_REPORTED_ASK = re.compile(
    r"\b(?:asking|asked|asks|ask|saying|says|said|called (?:out )?to|question (?:to|for) (?:him|her|them)|"
    r"wanted to know|wondering aloud)\b[^?]{0,25}[,:]\s*[\"“‘'«]", _FLAGS)
#: An explainer heading: "What is Ebola?", "Who is Louis Farrakhan?", "What is the Irish backstop and ...?"
_DEFINITION_Q = re.compile(r"^\W*(?:so,?\s+)?(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?"
                           r"[\w'’.-]+(?:\s+[\w'’.-]+){0,5}\s*(?:\?|\band\b)", _FLAGS)
#: Addressed to a person by name or title: "Minister, will you ...?", "..., Mr Smith?"
_VOCATIVE = re.compile(r"^\W*(?:(?:Mr|Mrs|Ms|Dr|Senator|President|Minister|Sir|Madam|Secretary|Governor|"
                       r"Professor|Doctor)\.?(?:\s+[A-Z][\w'’-]+)?|[A-Z][a-z]+),\s+[a-z]|,\s+(?:Mr|Mrs|Ms|Dr|"
                       r"Senator|President|Minister|sir|madam)\.?\s*[A-Z]?[\w'’-]*\s*\?")
#: A question to the reader in a how-to or service piece: "Are you ...?", "Do you ...?", "Have you ...?"
_ASK_READER = re.compile(r"^\W*(?:(?:and|but|so|or)\s+)?(?:are|do|did|have|has|can|could|would|will|should|is)\s+"
                         r"(?:you|your)\b", _FLAGS)

#: Names of the columns of ``question_genuine_cues`` (in order).
GENUINE_CUES: tuple[str, ...] = (
    "rule_transcript", "rule_transcript_next", "rule_asked_after", "rule_poll", "rule_title_q", "rule_not_device",
    "reader_poll", "reader_poll_context", "yes_no_next", "teaser", "bullet", "social", "qa_tag", "a_tag_next",
    "reported_ask", "definition_q", "vocative", "ask_reader", "starts_lower", "next_starts_lower",
    "quoted_x_ask_reader", "quoted_x_wh", "quoted_x_first_person_next", "editorial_x_next_answer",
)


def genuine_cues(text: str, prev: str = "", nxt: str = "") -> list[float]:
    """The ``question_genuine_cues`` vector of one question sentence (see :data:`GENUINE_CUES`).

    Cues that read ``prev`` / ``nxt`` are 0 when no context is given.
    """
    prev, nxt, body = prev.strip(), nxt.strip(), text.strip()
    clause = _last_question_clause(text)
    last_q = text.rfind("?")
    before = text[:last_q] if last_q >= 0 else text
    quoted = before.count("“") > before.count("”") or before.count('"') % 2 == 1 or body[:1] in _OPEN_Q
    ask_reader = bool(_ASK_READER.search(clause))
    return [float(v) for v in (
        _RE["transcript"].search(text) is not None,
        bool(nxt) and _RE["transcript"].search(nxt) is not None,
        _RE["asked_after"].search(text) is not None,
        _RE["poll"].search(text) is not None,
        _RE["title_q"].search(text) is not None,
        not_device_rule(text, nxt),
        _READER_POLL.search(text) is not None,
        _READER_POLL.search(prev) is not None or _READER_POLL.search(nxt) is not None,
        bool(nxt) and _YES_NO_NEXT.search(nxt) is not None and len(nxt.split()) <= 12,
        _TEASER.search(text) is not None,
        _BULLET.search(text) is not None,
        _SOCIAL.search(text) is not None or _SOCIAL.search(nxt) is not None,
        _QA_TAG.search(text) is not None or _QA_TAG.search(prev) is not None,
        bool(nxt) and _A_TAG.search(nxt) is not None,
        _REPORTED_ASK.search(text) is not None or (bool(prev) and _REPORTED_ASK.search(prev[-60:] + " “") is not None
                                                   and prev.rstrip()[-1:] in ":,"),
        _DEFINITION_Q.search(clause) is not None,
        _VOCATIVE.search(clause) is not None,
        ask_reader,
        body[:1].islower(),
        nxt[:1].islower(),
        quoted and ask_reader,
        quoted and _RE["wh_start"].search(clause) is not None,
        quoted and bool(_FIRST_PERSON_START.search(nxt)),
        (not quoted) and bool(_ANSWER_START.search(nxt)),
    )]


@register_feature("question_genuine_cues")
def question_genuine_cues(inp: FeatureInput) -> np.ndarray:
    """Cues of genuine questions and of non-questions, shape ``(n, len(GENUINE_CUES))``.

    The keyword rule's parts (:func:`not_device_rule`) as separate columns, reader polls and
    call-outs, yes/no answer grids, teasers and list items, social-media furniture, "Q:" / "A:"
    lines, someone else reported asking, explainer headings ("What is ...?"), questions addressed
    to a person or to the reader, fragments, and the quoted voice crossed with some of them.
    """
    rows = [genuine_cues(t, p, n) for t, p, n in zip(inp.texts, inp.prev_texts, inp.next_texts)]
    return np.array(rows, dtype=np.float32).reshape(len(inp), len(GENUINE_CUES))
