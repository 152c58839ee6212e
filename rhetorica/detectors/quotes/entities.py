"""The light entity tracker: the named people of a text (full names by surname and first name, their titles
and appositions, their mentions in order), and the resolution of surnames, role descriptions ("the Russian
Defense Minister") and ``he``/``she`` to a full name.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .lexicons import _DETERMINERS, _NP_STOP, ROLE_WORDS
from .params import CONTEXT_CHARS
from .tokens import _CAP_RUN_RE, _looks_like_person, _split_name


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
