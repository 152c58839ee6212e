"""The errors rhetorica raises that are not about one text.

Batch scoring (``score_frame(errors="coerce")``, ``rhetorica score``) turns a problem with one row into that
row's ``error`` message and carries on.  The errors here are different: they say that the installation or the
run itself is broken, so every row would fail alike.  They are never written into the ``error`` column; they
stop the run, and ``rhetorica score`` exits non-zero with their message.
"""
from __future__ import annotations


class InstallError(RuntimeError):
    """A model, the sentence encoder or a data file of the installation is missing, damaged or not the pinned one."""


class RunError(RuntimeError):
    """A batch run stopped for a reason that is not about one row (e.g. every text failed the same way)."""
