"""The terms each detector's shipped files come under, and the permissively licensed subset.

rhetorica's code is MIT. A trained model carries the terms of the data it was trained on, so the wheel holds files
under several terms. Each detector is given one of three classes:

``permissive``
    Code and data terms that allow use in any product with attribution: MIT, Apache-2.0, CC BY 4.0.
``copyleft``
    Trained on, or derived from, AGPL-3.0 / GPL-3.0 / ODbL data. Redistributing the model may carry those terms.
``research``
    Trained on research data whose publishers state no licence. Use it for research, not in products.

:func:`permissive_detectors` lists the detectors whose every file is permissive. Pass it as ``detectors=`` to run
with nothing else: ``rhetorica.analyze(text, detectors=rhetorica.permissive_detectors())``, or on the command line
``rhetorica score ... --detectors permissive``. ``rhetorica models`` and ``rhetorica detectors`` print the terms.
"""
from __future__ import annotations

PERMISSIVE, COPYLEFT, RESEARCH = "permissive", "copyleft", "research"
_RANK = {PERMISSIVE: 0, COPYLEFT: 1, RESEARCH: 2}

#: Shipped model -> (class, the terms in a line).
MODEL_TERMS: dict[str, tuple[str, str]] = {
    "rhetorical_question": (PERMISSIVE, "labels CC BY 4.0 (rhetorica's annotated news and AllSides labels); text "
                                        "quoted in training is not in the model"),
    "historical_analogy": (PERMISSIVE, "labels CC BY 4.0; gazetteer of historical event names (rhetorica; some names "
                                       "from the Past-Meets-Present event list, which states no licence: names of "
                                       "historical events, not creative text)"),
    "subjectivity": (PERMISSIVE, "CC BY 4.0 (NewsSD-ENG)"),
    "media_bias": (COPYLEFT, "AGPL-3.0 (trained on BABE)"),
    "loaded_language": (COPYLEFT, "lexicon and head derived from PTC (no licence stated), BABE (AGPL-3.0), BASIL "
                                  "(GPL-3.0), NPOV lexicons (MIT), VADER (MIT), AFINN (ODbL)"),
    "propaganda_technique": (RESEARCH, "PTC-2020 research corpus, no licence stated"),
    "hedging": (RESEARCH, "CoNLL-2010 Wikipedia weasel sentences, no licence stated"),
    "frames": (RESEARCH, "SemEval-2023 Task 3, no licence stated"),
    "attribution": (RESEARCH, "PolNeAR attribution relations (Newell et al. 2018), no licence stated"),
    "persuasion": (RESEARCH, "SemEval-2023 Task 3, no licence stated"),
    "technique": (RESEARCH, "PTC-2020 research corpus, no licence stated"),
}

#: Detector -> the shipped models it reads (rule detectors read none: MIT code only).
DETECTOR_MODELS: dict[str, tuple[str, ...]] = {
    "boilerplate": (), "quote": (),
    "rhetorical_question": ("rhetorical_question",), "historical_analogy": ("historical_analogy",),
    "media_bias": ("media_bias",), "subjectivity": ("subjectivity",), "hedging": ("hedging",),
    "propaganda": ("loaded_language", "propaganda_technique"),
    "frames": ("frames",), "persuasion": ("persuasion",), "attribution": ("attribution",),
    "techniques": ("technique",),
}


def detector_terms(name: str) -> tuple[str, str]:
    """``(class, terms)`` of a detector: the most restrictive class of the models it reads.

    A detector rhetorica does not ship (a user's own) is reported as ``("unknown", ...)``."""
    if name not in DETECTOR_MODELS:
        return "unknown", "not a shipped detector: its terms are its author's"
    models = DETECTOR_MODELS[name]
    if not models:
        return PERMISSIVE, "MIT (rules, rhetorica's code)"
    cls = max((MODEL_TERMS[m][0] for m in models), key=_RANK.__getitem__)
    return cls, "; ".join(f"{m}: {MODEL_TERMS[m][1]}" for m in models)


def permissive_detectors() -> list[str]:
    """The shipped detectors whose code and models are all permissively licensed, in run order.

    These are: boilerplate, quote, rhetorical_question, historical_analogy, subjectivity. They cover rhetorical
    questions, historical analogy, quoted versus editorial voice (by the quote rules), speakers and subjectivity.
    Media bias, loaded language and propaganda techniques, hedging, frames, persuasion and the two learned token
    taggers (attribution, techniques) are left out.
    """
    from .detectors import available_detectors

    return [d for d in available_detectors() if detector_terms(d)[0] == PERMISSIVE]
