"""rhetorica: how news argues — rhetorical questions, historical analogy, quoted vs editorial voice,
loaded language, propaganda and persuasion techniques, media bias, subjectivity, hedging and framing,
each score explained by the character spans that produced it.

>>> import rhetorica
>>> a = rhetorica.analyze(text)                               # doctest: +SKIP
>>> df_scores = rhetorica.score_frame(df, text_col="text")   # doctest: +SKIP

``import rhetorica`` is cheap: torch and the models load on first use, once.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._types import HOOKS, Analysis, Sentence, Span
from ._version import __version__

# The upward links of the lower layers, declared here at the top and resolved on first use (docs/architecture.md):
# the data model's presentation methods, the unit-level heads' sentence splitter, the Dask dispatch of score_frame.
HOOKS.update({
    "spans_to_frame": "rhetorica.scoring:spans_to_frame",
    "speakers_table": "rhetorica.speakers:speakers_table",
    "render_text": "rhetorica.display:render_text",
    "render_html": "rhetorica.display:render_html",
    "content_sentences": "rhetorica.pipeline:content_sentences",
    "technique_units": "rhetorica.pipeline:technique_units",
    "dask_score_frame": "rhetorica.dask:score_frame",
    "analyze": "rhetorica:analyze",
})

__all__ = [
    "Analysis", "Analyzer", "Sentence", "Span", "analyze", "score_frame", "spans_frame",
    "available_detectors", "available_classifiers", "load_classifier", "register_classifier",
    "RowError", "__version__",
    "render",
    "speakers_frame",
    "permissive_detectors",
]

if TYPE_CHECKING:  # pragma: no cover
    from .classifiers import available_classifiers, load_classifier, register_classifier
    from .detectors import available_detectors
    from .pipeline import Analyzer
    from .scoring import RowError, score_frame, spans_frame

_LAZY = {
    "Analyzer": ("pipeline", "Analyzer"),
    "score_frame": ("scoring", "score_frame"),
    "spans_frame": ("scoring", "spans_frame"),
    "RowError": ("scoring", "RowError"),
    "speakers_frame": ("speakers", "speakers_frame"),
    "available_detectors": ("detectors", "available_detectors"),
    "available_classifiers": ("classifiers", "available_classifiers"),
    "load_classifier": ("classifiers", "load_classifier"),
    "register_classifier": ("classifiers", "register_classifier"),
    "render": ("display", "render"),
    "permissive_detectors": ("licences", "permissive_detectors"),
}

_default_analyzers: dict[tuple[str, ...], Any] = {}


def analyze(text: str, *, detectors: list[str] | None = None, encoder: str | None = None) -> Analysis:
    """Analyse one article or passage.

    Parameters
    ----------
    text : str
        The text, unchanged in the result (``Analysis.text``); every span's offsets index into it.
    detectors : list of str, optional
        Which detectors to run (:func:`available_detectors`); all by default.
    encoder : {"fp32", "int8"}, optional
        Precision of the shared sentence encoder (``RHETORICA_ENCODER`` or ``"int8"`` by default):
        ``"int8"`` (ONNX Runtime) is about 2.4x faster than ``"fp32"`` (torch, the precision the heads were
        trained on), and every head stays within one point of its fp32 figure on it.

    Returns
    -------
    Analysis
        ``.spans`` sorted by start, ``.scores`` a flat dict; renders as highlighted HTML in Jupyter.

    Raises
    ------
    TypeError
        If ``text`` is not a str.
    """
    from .detectors import available_detectors
    from .pipeline import Analyzer, check_text

    check_text(text)
    # keyed on the detector names, so a detector registered later joins the default run
    from .classifiers.encoder import resolve_encoder

    key = (tuple(available_detectors()) if detectors is None else tuple(detectors), resolve_encoder(encoder))
    if key not in _default_analyzers:
        _default_analyzers[key] = Analyzer(detectors=detectors, encoder=key[1])
    return _default_analyzers[key](text)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        mod, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{mod}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rhetorica' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
