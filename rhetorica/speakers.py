"""Who is quoted: one row per speaker of a text (:attr:`Analysis.speakers`) or of a corpus (:func:`speakers_frame`).

The table is built from the ``quote`` spans alone (their ``speaker``, ``speaker_type``,
``kind`` and ``part`` attrs), so a rules-only run (``detectors=["boilerplate", "quote"]``)
is enough and needs no model.

>>> import rhetorica
>>> a = rhetorica.analyze('“We will win,” Jane Doe said. Later, Doe said the vote would be very close.',
...                       detectors=["boilerplate", "quote"])
>>> a.speakers[["speaker", "quotes", "direct", "indirect"]].to_dict("records")
[{'speaker': 'Jane Doe', 'quotes': 2, 'direct': 1, 'indirect': 1}]
"""
from __future__ import annotations

from typing import Any, Sequence

import pandas as pd

from ._types import Analysis

#: The columns of :func:`speakers_table`, in order.
SPEAKER_COLUMNS: list[str] = ["speaker", "speaker_type", "quotes", "direct", "partial", "indirect", "mixed",
                              "chars", "first_start"]
#: The quote kinds counted in their own columns.
QUOTE_KINDS: tuple[str, ...] = ("direct", "partial", "indirect", "mixed")
#: ``speaker_type`` of the row that collects unattributed quotes (speaker ``""``).
UNRESOLVED = "unresolved"
#: ``speaker_type`` assumed for a named speaker when the quote span does not say.
DEFAULT_SPEAKER_TYPE = "person"
#: Detectors :func:`speakers_frame` runs by default: the table reads the quote spans only.
SPEAKER_DETECTORS: list[str] = ["boilerplate", "quote"]
_INT_COLUMNS = ["quotes", "direct", "partial", "indirect", "mixed", "chars", "first_start"]
#: Quotation marks and spaces that enclose quoted words but are not part of them (not counted in ``chars``).
_ENCLOSING = " \t\n\"'“”‘’«»„‹›"


def _content_chars(text: str, start: int, end: int) -> int:
    """Characters of ``text[start:end]`` without the enclosing quotation marks and spaces."""
    return len(text[start:end].strip(_ENCLOSING))


def speaker_records(analysis: Analysis) -> list[dict[str, Any]]:
    """The rows of :func:`speakers_table` as dicts, sorted (most quotations first, then first appearance)."""
    rows: dict[str, dict[str, Any]] = {}
    types: dict[str, dict[str, int]] = {}
    for s in analysis.spans_of("quote"):
        speaker = str(s.attrs.get("speaker") or "")
        row = rows.get(speaker)
        if row is None:
            row = rows[speaker] = {"speaker": speaker, "speaker_type": UNRESOLVED, "quotes": 0,
                                   **{k: 0 for k in QUOTE_KINDS}, "chars": 0, "first_start": s.start}
            types[speaker] = {}
        row["first_start"] = min(row["first_start"], s.start)
        row["chars"] += _content_chars(analysis.text, s.start, s.end)
        if int(s.attrs.get("part", 0) or 0) == 0:  # a quotation split over paragraphs counts once
            row["quotes"] += 1
            kind = s.attrs.get("kind")
            if kind in QUOTE_KINDS:
                row[kind] += 1
        if speaker:
            t = str(s.attrs.get("speaker_type") or DEFAULT_SPEAKER_TYPE)
            types[speaker][t] = types[speaker].get(t, 0) + 1
    for speaker, row in rows.items():
        if speaker and types[speaker]:
            # the most frequent type; ties go to the first seen (dicts keep insertion order)
            row["speaker_type"] = max(types[speaker], key=types[speaker].__getitem__)
    return sorted(rows.values(), key=lambda r: (-r["quotes"], r["first_start"]))


def _frame(records: list[dict[str, Any]], columns: list[str], nullable: bool = False) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=columns) if records else pd.DataFrame(columns=columns)
    return df.astype({c: ("Int64" if nullable else "int64") for c in _INT_COLUMNS})


def speakers_table(analysis: Analysis) -> pd.DataFrame:
    """Who is quoted in one analysed text: one row per canonical speaker.

    Parameters
    ----------
    analysis : Analysis
        The result of :func:`rhetorica.analyze` (the ``quote`` detector must have run).

    Returns
    -------
    DataFrame
        Columns ``speaker, speaker_type, quotes, direct, partial, indirect, mixed, chars, first_start``:
        ``quotes`` counts each quotation once even when it runs over several paragraphs, the kind
        columns split it, ``chars`` is the characters of quoted content (every part, without the
        enclosing quotation marks) and ``first_start`` the offset of the speaker's first quote.
        Sorted by ``quotes`` (descending) then ``first_start``.  Quotes without a speaker share one row
        with speaker ``""`` and speaker_type ``"unresolved"``.  No quote, no row.
    """
    if not isinstance(analysis, Analysis):
        raise TypeError(f"speakers_table expects a rhetorica Analysis, got {type(analysis).__name__}.")
    return _frame(speaker_records(analysis), SPEAKER_COLUMNS)


def speakers_frame(data: Any, text_col: str = "text", *, detectors: Sequence[str] | None = None,
                   errors: str = "raise", batch_size: int = 16, progress: bool | None = None,
                   analyzer: Any = None, encoder: str | None = None) -> pd.DataFrame:
    """Who is quoted across a corpus: the :func:`speakers_table` of every text, in one pass.

    Parameters
    ----------
    data : DataFrame, Series or list of str
        The texts.
    text_col : str
        The column holding the texts (ignored for a Series).
    detectors : list of str, optional
        Detectors to run; by default only ``boilerplate`` and ``quote`` (rules, no model), which is all
        the table reads.  Must include ``quote``.
    errors : {"raise", "coerce"}
        What a missing or non-string text does: raise :class:`rhetorica.RowError` naming the row, or give
        that row one output row with a message in the ``error`` column (present only under ``"coerce"``).
    batch_size : int
        Texts per batch.
    progress : bool, optional
        Show a progress bar (default: when there are at least 50 rows).
    analyzer : Analyzer, optional
        A ready :class:`rhetorica.Analyzer` to use instead of building one (it must run ``quote``).
    encoder : {"fp32", "int8"}, optional
        Precision of the shared sentence encoder, for ``detectors`` that need it (the default
        detectors do not).

    Returns
    -------
    DataFrame
        ``row_id`` (the input row's index label) followed by the :func:`speakers_table` columns; each
        text's rows in table order, texts in input order.  A text with no quote contributes no row.

    Examples
    --------
    >>> import pandas as pd, rhetorica
    >>> df = pd.DataFrame({"text": ['“Go,” said Jane Doe.', None]}, index=["a", "b"])
    >>> rhetorica.speakers_frame(df, errors="coerce")[["row_id", "speaker", "quotes", "error"]]
      row_id   speaker  quotes                       error
    0      a  Jane Doe       1                         NaN
    1      b       NaN    <NA>  text is missing (None/NaN)
    """
    from .scoring import _analyzer, _check_errors, _texts, iter_analyses

    _check_errors(errors)
    if analyzer is None and detectors is None:
        detectors = SPEAKER_DETECTORS
    if isinstance(detectors, str):
        raise TypeError("'detectors' must be a list of detector names, not a single str.")
    series = _texts(data, text_col)
    an = _analyzer(detectors, batch_size, analyzer, **({"encoder": encoder} if encoder is not None else {}))
    if "quote" not in [d.name for d in an.detectors]:
        raise ValueError("speakers_frame reads the spans of the 'quote' detector, but the analyzer does not run "
                         f"it (detectors: {[d.name for d in an.detectors]}); add 'quote' to 'detectors'.")
    records: list[dict[str, Any]] = []
    for rid, a, err in iter_analyses(series, an, errors, progress, desc="rhetorica speakers"):
        if a is None:
            records.append({"row_id": rid, **{c: None for c in SPEAKER_COLUMNS}, "error": err})
            continue
        records.extend({"row_id": rid, **r, **({"error": None} if errors == "coerce" else {})}
                       for r in speaker_records(a))
    columns = ["row_id", *SPEAKER_COLUMNS] + (["error"] if errors == "coerce" else [])
    return _frame(records, columns, nullable=True)
