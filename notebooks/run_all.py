"""Execute the notebooks in place and keep their committed outputs small and clean.

    python notebooks/run_all.py                        # all notebooks, in order
    python notebooks/run_all.py 02_corpus.ipynb        # one
    python notebooks/run_all.py --check                # execute into memory only: errors and checks, no writes

Each notebook runs in a fresh ``python3`` kernel (the current environment's ipykernel) with the notebooks
folder as working directory.  After a run the outputs are checked (no error, no stderr stream, no machine
path, at most ``MAX_BYTES`` per notebook) and cleaned (execution timestamps dropped, execution counts
renumbered), so that re-running on another machine gives the same file apart from the numbers themselves.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTEBOOKS = ("01_quickstart.ipynb", "02_corpus.ipynb", "03_custom_models.ipynb")
#: Budget for one executed notebook file (the outputs are committed; images and HTML add up fast).
MAX_BYTES = 200_000
#: Per-cell time limit (seconds): generous for a loaded two-core machine; a normal run takes a few seconds a cell.
CELL_TIMEOUT = 600


#: Environment of the kernel: no progress bars in committed outputs, and no "IProgress not found" warning
#: (transformers imports tqdm.auto, which warns in a kernel without ipywidgets; the warning is about the
#: environment, not the notebook).
KERNEL_ENV = {"TQDM_DISABLE": "1", "PYTHONWARNINGS": "ignore:IProgress not found"}


def _machine_paths() -> list[str]:
    """Strings that would reveal where the notebook was run."""
    paths = {str(HERE.parent), str(Path.home()), tempfile.gettempdir(), sys.prefix}
    return sorted(p for p in paths if p and len(p) > 4) + ["/tmp/"]


def execute(path: Path, *, timeout: int = CELL_TIMEOUT):
    """Run one notebook in a fresh kernel; returns the executed notebook (raises on the first cell error)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    saved = {k: os.environ.get(k) for k in KERNEL_ENV}
    os.environ.update(KERNEL_ENV)
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(HERE)}}).execute()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


def problems(nb, name: str = "") -> list[str]:
    """What is wrong with an executed notebook's outputs (empty list: clean)."""
    out = []
    paths = _machine_paths()
    for k, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append(f"{name} cell {k}: {o.get('ename')}: {o.get('evalue')}")
            if o.get("output_type") == "stream" and o.get("name") == "stderr":
                out.append(f"{name} cell {k}: stderr output: {o.get('text', '')[:200]!r}")
            blob = json.dumps(o)
            for p in paths:
                if p in blob:
                    out.append(f"{name} cell {k}: output contains the machine path {p!r}")
    import nbformat

    size = len(nbformat.writes(nb).encode("utf-8"))
    if size > MAX_BYTES:
        out.append(f"{name}: {size:,} bytes of notebook, over the {MAX_BYTES:,} budget")
    return out


def clean(nb) -> None:
    """Drop run-specific metadata and renumber the executed cells 1, 2, 3..."""
    n = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            n += 1 if cell.get("outputs") is not None else 0
            cell.execution_count = n
            for o in cell.get("outputs", []):
                if "execution_count" in o:
                    o["execution_count"] = n
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}


def main(argv: list[str] | None = None) -> int:
    import nbformat

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", help=f"notebook file names (default: {', '.join(NOTEBOOKS)})")
    ap.add_argument("--check", action="store_true", help="execute and check only; do not write the outputs back")
    args = ap.parse_args(argv)
    failed = False
    for name in args.notebooks or NOTEBOOKS:
        path = HERE / Path(name).name
        t0 = time.perf_counter()
        nb = execute(path)
        clean(nb)
        issues = problems(nb, path.name)
        took = time.perf_counter() - t0
        if issues:
            failed = True
            print(f"{path.name}: {took:.0f} s, NOT clean:\n  " + "\n  ".join(issues))
        else:
            print(f"{path.name}: {took:.0f} s, clean")
        if not args.check and not issues:
            nbformat.write(nb, path)
            print(f"  written ({path.stat().st_size / 1024:.0f} KB)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
