"""Text hygiene that keeps every offset: what a str may hold but no codec or tokenizer accepts."""
from __future__ import annotations

import re

#: Lone UTF-16 surrogates (scraped text has them; a Python str may hold them, but no tokenizer or UTF-8 codec
#: accepts them).
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, one for one, so every offset into it is kept.

    >>> clean_text("a\\ud800b")
    'a\\ufffdb'
    """
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text
