"""The import graph points one way: data model -> text -> classifiers -> detectors -> pipeline -> scoring -> ...

Read from the source (the AST of every module, lazy imports inside functions included, ``if TYPE_CHECKING:``
blocks left out), so an upward import anywhere fails here, not only at import time.  docs/architecture.md draws
the same layers.  The few places where a lower layer must call a higher one go through ``rhetorica._types.HOOKS``,
declared by the package facade.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "rhetorica"

#: (module-name prefix, layer); the longest matching prefix wins.  A module may import only its own layer or lower.
LAYERS = [
    ("rhetorica._types", 0), ("rhetorica._version", 0), ("rhetorica.errors", 0), ("rhetorica.models", 0),
    ("rhetorica.text", 1),
    ("rhetorica.classifiers", 2),
    ("rhetorica.detectors", 3),
    ("rhetorica.pipeline", 4),
    ("rhetorica.scoring", 5), ("rhetorica.speakers", 5), ("rhetorica.licences", 5),
    ("rhetorica.display", 6), ("rhetorica.plot", 6), ("rhetorica.dask", 6),
    ("rhetorica.stream", 7),
    ("rhetorica.cli", 8), ("rhetorica.__main__", 8),
    ("rhetorica.training", 9),
]
FACADE = "rhetorica"  # rhetorica/__init__.py: the public API, above everything it re-exports


def _modules() -> dict[str, Path]:
    out = {}
    for p in PKG.rglob("*.py"):
        parts = p.relative_to(PKG.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = p
    return out


def _layer(name: str) -> int:
    if name == FACADE:
        return 8
    best = max((p for p, _ in LAYERS if name == p or name.startswith(p + ".")), key=len)
    return dict(LAYERS)[best]


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):  # if TYPE_CHECKING: ... blocks are for type checkers only
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for b in node.body for n in ast.walk(b)}
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "rhetorica"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "rhetorica":
                continue
            for a in node.names:  # "from pkg import submodule" is an import of the submodule
                sub = f"{mod}.{a.name}"
                out.add(sub if sub in modules or sub == "rhetorica.models" else mod)
    out.discard(name)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {n: _imports(n, p, modules) for n, p in modules.items()}


def test_no_module_imports_a_higher_layer():
    bad = [f"{a} (layer {_layer(a)}) imports {b} (layer {_layer(b)})"
           for a, deps in _graph().items() for b in deps if _layer(b) > _layer(a)]
    assert not bad, "upward imports:\n" + "\n".join(sorted(bad))


def test_import_graph_has_no_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(n: str, stack: list[str]) -> None:
        state[n] = 1
        for m in sorted(graph.get(n, ())):
            if m not in graph:
                continue
            if state.get(m) == 1:
                cycles.append(" -> ".join(stack[stack.index(m):] + [m]))
            elif m not in state:
                visit(m, stack + [m])
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_runtime_never_imports_training():
    """Training is a separate tier: no runtime module imports it (the CLI's `train` command loads it on demand)."""
    graph = _graph()
    users = sorted(a for a, deps in graph.items() if any(d.startswith("rhetorica.training") for d in deps)
                   and not a.startswith("rhetorica.training") and a != "rhetorica.cli")
    assert not users, f"runtime modules importing rhetorica.training: {users}"


def test_each_layer_imports_alone():
    """Every layer's modules import in a fresh interpreter without the layers above being loaded first."""
    for mod in ["rhetorica._types", "rhetorica.text.segment", "rhetorica.classifiers.features",
                "rhetorica.detectors.base", "rhetorica.pipeline", "rhetorica.scoring", "rhetorica.display",
                "rhetorica.dask", "rhetorica.stream"]:
        code = (f"import sys, importlib; importlib.import_module({mod!r}); "
                "print(sorted(m for m in sys.modules if m.startswith('rhetorica.')))")
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, f"{mod}: {proc.stderr[-2000:]}"
        loaded = eval(proc.stdout.strip())  # noqa: S307 - our own printed list
        above = [m for m in loaded if m != mod and _layer(m) > _layer(mod) and not mod.startswith(m + ".")]
        assert not above, f"importing {mod} loaded higher layers: {above}"
