"""Detectors declare what they read (``requires``); an Analyzer adds what is missing instead of running blind."""
from __future__ import annotations

import pytest

import rhetorica
from rhetorica.detectors.base import REGISTRY, Detector, with_requirements


def test_model_detectors_bring_boilerplate_and_quotes():
    an = rhetorica.Analyzer(detectors=["media_bias"])
    assert [d.name for d in an.detectors] == ["boilerplate", "quote", "media_bias"]
    assert an.added == ["boilerplate", "quote"]
    assert rhetorica.Analyzer(detectors=["boilerplate", "quote"]).added == []
    assert rhetorica.Analyzer(detectors=["quote"]).added == ["boilerplate"]


@pytest.mark.slow
def test_voice_is_right_without_asking_for_quotes():
    """Asked for media bias alone, a quoted biased sentence is still the speaker's, not the writer's."""
    text = ('"This is the most disgraceful, shameful betrayal I have ever seen," said Senator Ann Lee.\n\n'
            'Cookie policy: we use cookies to improve your experience. Accept all cookies.')
    a = rhetorica.analyze(text, detectors=["media_bias"])
    quoted = [s for s in a.spans_of("biased") if s.start < 90]
    assert quoted and all(s.attrs["voice"] == "quoted" and s.attrs["speaker"] == "Ann Lee" for s in quoted)
    assert any(s.label == "boilerplate" for s in a.spans)  # the cookie notice is furniture, not content
    assert not [s for s in a.spans_of("biased") if s.start > 90]
    assert a.scores["editorial_media_bias_share"] != a.scores["editorial_media_bias_share"]  # NaN: no editorial text


def test_requirement_errors_are_clear():
    class _NeedsMissing(Detector):
        name = "needs_missing_test"
        requires = ("no_such_detector",)

    class _A(Detector):
        name = "cycle_a_test"
        requires = ("cycle_b_test",)

    class _B(Detector):
        name = "cycle_b_test"
        requires = ("cycle_a_test",)

    for cls in (_NeedsMissing, _A, _B):
        REGISTRY[cls.name] = cls
    try:
        with pytest.raises(KeyError, match="no_such_detector"):
            with_requirements(["needs_missing_test"])
        with pytest.raises(ValueError, match="cycle"):
            with_requirements(["cycle_a_test"])
    finally:
        for cls in (_NeedsMissing, _A, _B):
            REGISTRY.pop(cls.name, None)
