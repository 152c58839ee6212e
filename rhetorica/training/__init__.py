"""Rebuilding the shipped models from ../shared/data: ``python -m rhetorica.training NAME``."""
