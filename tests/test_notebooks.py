"""The notebooks run top to bottom on the CPU, with no error and clean, small outputs."""
from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

pytest.importorskip("nbclient", reason="needs the notebooks extra: pip install 'rhetorica[notebooks]'")
pytest.importorskip("ipykernel", reason="needs the notebooks extra: pip install 'rhetorica[notebooks]'")
pytest.importorskip("matplotlib", reason="needs the plot extra: pip install 'rhetorica[plot]'")


def _run_all():
    spec = importlib.util.spec_from_file_location("rhetorica_notebooks_run_all", NOTEBOOKS / "run_all.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


run_all = _run_all()


@pytest.mark.slow
@pytest.mark.parametrize("name", run_all.NOTEBOOKS)
def test_notebook_executes_cleanly(name, tmp_path):
    copy = tmp_path / name  # executed from a copy: the committed file is never rewritten by the tests
    shutil.copy(NOTEBOOKS / name, copy)
    nb = run_all.execute(copy)
    run_all.clean(nb)
    assert run_all.problems(nb, name) == []
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)


def test_notebooks_committed_clean():
    """The committed notebooks have been executed (every code cell has a count) and pass the same checks."""
    import nbformat

    for name in run_all.NOTEBOOKS:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        assert run_all.problems(nb, name) == []
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{name} is committed without outputs; run notebooks/run_all.py"
        assert not any("execution" in c.metadata for c in nb.cells)


def test_run_all_flags_dirty_outputs():
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=f"warning in {NOTEBOOKS}/x.py"),
                    nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=[])]
    nb.cells = [cell]
    found = run_all.problems(nb, "t")
    assert any("stderr output" in p for p in found)
    assert any("ValueError: bad" in p for p in found)
    assert any("machine path" in p for p in found)
