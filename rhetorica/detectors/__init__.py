"""Detectors, one module per feature, registered by name (see :mod:`rhetorica.detectors.base`)."""
from .base import Detector, available_detectors, get_detector, register

__all__ = ["Detector", "available_detectors", "get_detector", "register"]
