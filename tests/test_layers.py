"""The layering of ``reader/`` and ``translations_cache/``, checked over every import the code contains.

An AST walk collects *all* imports of every module (module level, function-local, ``if TYPE_CHECKING:``,
``try/except ImportError``) and checks them against the map in ``docs/design.md``:

    faces (reader.ui, reader.cli, reader.__main__, main.py)
      → reader.translation
        → reader.core: exporting → store → importing → text
          → bottom: reader.errors, reader.languages, reader.paths, reader (package metadata)

A module may import its own layer and any layer below it, never one above. ``translations_cache`` imports nothing
from ``reader`` (anything may import it); Qt only inside ``reader.ui``; no ``sqlite3`` in ``reader.core.text``; no
``_private`` name imported from another module; no import cycle between modules (function-local imports included:
a deferred import hides a cycle, it does not remove it). Imports under ``if TYPE_CHECKING:`` count for the layers
(a type names a dependency) but not for cycles: they never run, so a part typing its owner (the reader view's
parts name the ``ReaderView`` façade that composes them) makes no import cycle.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import ROOT

#: (module prefix, layer rank, layer name); the longest matching prefix wins. Higher ranks may import lower ones.
#: A prefix ending in "=" names that one module only, so a new folder must be placed here (and in the Map).
LAYERS: tuple[tuple[str, int, str], ...] = (
    ("main", 9, "faces"),
    ("reader.__main__", 9, "faces"),
    ("reader.ui", 9, "faces"),
    ("reader.cli", 9, "faces"),
    ("reader.translation", 8, "translation"),
    ("reader.core.exporting", 7, "core.exporting"),
    ("reader.core.store", 6, "core.store"),
    ("reader.core.importing", 5, "core.importing"),
    ("reader.core.text", 4, "core.text"),
    ("reader.core=", 4, "core.text"),  # the bare package: the bottom of core, so all of core may import it
    ("reader.errors", 1, "bottom"),
    ("reader.display", 1, "bottom"),
    ("reader.languages", 1, "bottom"),
    ("reader.paths", 1, "bottom"),
    ("reader=", 1, "bottom"),  # the package itself: metadata (__version__) only
    ("translations_cache", 0, "translations_cache"),
)
QT_PACKAGES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "pytestqt")
QT_ALLOWED = ("reader.ui",)
NO_SQLITE = ("reader.core.text",)
PACKAGES = ("reader", "translations_cache")
FACE_FILES = ("main.py",)
#: Import cycles accepted as they stand (exact module sets; a listed one that disappears fails as stale). None.
ACCEPTED_CYCLES: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Import:
    importer: str  # module name
    target: str  # module name (internal: the most specific existing module) or the external name
    path: Path
    line: int
    names: tuple[str, ...] = ()  # for ``from target import a, b``
    typing_only: bool = False  # inside ``if TYPE_CHECKING:``: never executed


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_of(module: str) -> tuple[int, str] | None:
    best: tuple[str, int, str] | None = None
    for prefix, rank, name in LAYERS:
        matches = module == prefix[:-1] if prefix.endswith("=") else _within(module, prefix)
        if matches and (best is None or len(prefix) > len(best[0])):
            best = (prefix, rank, name)
    return None if best is None else (best[1], best[2])


def discover(root: Path) -> dict[str, Path]:
    """Module name → file, for every module of :data:`PACKAGES` under ``root`` and the face files."""
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    for name in FACE_FILES:
        if (root / name).exists():
            modules[Path(name).stem] = root / name
    return modules


def _resolve(name: str, modules: dict[str, Path]) -> str:
    """The most specific known module that ``name`` (a dotted import path) names or lies in."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return name


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> Iterator[Import]:
    """Every import in ``path`` (anywhere in the tree, however nested), resolved to modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    typing_only = {
        id(inner)
        for guard in ast.walk(tree)
        if isinstance(guard, ast.If) and _is_type_checking(guard.test)
        for statement in guard.body
        for inner in ast.walk(statement)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(
                    module,
                    _resolve(alias.name, modules),
                    path,
                    node.lineno,
                    typing_only=id(node) in typing_only,
                )
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                # ``from pkg import sub`` imports the submodule pkg.sub when there is one.
                full = f"{source}.{alias.name}"
                target = full if full in modules else _resolve(source, modules)
                yield Import(module, target, path, node.lineno, (alias.name,), id(node) in typing_only)


def _is_type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _where(imp: Import, root: Path) -> str:
    return f"{imp.path.relative_to(root)}:{imp.line}"


def layer_violations(imports: Iterable[Import], modules: dict[str, Path], root: Path) -> list[str]:
    problems: list[str] = []
    for imp in imports:
        here = layer_of(imp.importer)
        if here is None:
            continue  # reported once by check()
        external_top = imp.target.split(".")[0]
        if imp.target not in modules:
            if external_top in QT_PACKAGES and not any(_within(imp.importer, p) for p in QT_ALLOWED):
                problems.append(
                    f"{_where(imp, root)}: {imp.importer} imports Qt ({imp.target}) outside reader.ui"
                )
            if external_top == "sqlite3" and any(_within(imp.importer, p) for p in NO_SQLITE):
                problems.append(
                    f"{_where(imp, root)}: {imp.importer} imports sqlite3 (reader.core.text is pure)"
                )
            if external_top in PACKAGES:
                problems.append(
                    f"{_where(imp, root)}: {imp.importer} imports {imp.target}, which does not exist"
                )
            continue
        if _within(imp.importer, "translations_cache") and _within(imp.target, "reader"):
            problems.append(
                f"{_where(imp, root)}: {imp.importer} imports {imp.target} (translations_cache imports nothing "
                "from reader)"
            )
            continue
        there = layer_of(imp.target)
        if there is not None and there[0] > here[0]:
            problems.append(
                f"{_where(imp, root)}: {imp.importer} ({here[1]}) imports {imp.target} ({there[1]}), a layer above"
            )
        for name in imp.names:
            if name.startswith("_") and not name.startswith("__") and imp.target != imp.importer:
                problems.append(
                    f"{_where(imp, root)}: {imp.importer} imports the private {imp.target}.{name}"
                )
    return problems


def components(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (or a self-import), members sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:  # iterative Tarjan (no recursion limit on a long chain)
        nonlocal counter
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def _cycle_path(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """One concrete cycle through the first module of a strongly connected component (breadth-first)."""
    members = set(component)
    start = component[0]
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for child in sorted(edges.get(node, ())):
                if child not in members:
                    continue
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    return [start, start]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle path (first module repeated at the end) per strongly connected component."""
    return [_cycle_path(component, edges) for component in components(edges)]


def check(root: Path, accepted: tuple[frozenset[str], ...] = ()) -> list[str]:
    """Every layering problem of the tree at ``root``, one readable line each (empty when all is well)."""
    modules = discover(root)
    imports = [imp for module, path in modules.items() for imp in imports_of(module, path, modules)]
    problems = [
        f"{path.relative_to(root)}: {module} is in no layer (place it in LAYERS and in the Map of docs/design.md)"
        for module, path in modules.items()
        if layer_of(module) is None
    ]
    problems += layer_violations(imports, modules, root)
    edges: dict[str, set[str]] = {}
    first: dict[tuple[str, str], Import] = {}
    for imp in imports:
        if imp.target in modules and imp.target != imp.importer and not imp.typing_only:
            edges.setdefault(imp.importer, set()).add(imp.target)
            first.setdefault((imp.importer, imp.target), imp)
    found = components(edges)
    for component in found:
        if frozenset(component) in accepted:
            continue
        cycle = _cycle_path(component, edges)
        where = ", ".join(_where(first[edge], root) for edge in itertools.pairwise(cycle))
        members = f"; all of {', '.join(component)} are in it" if len(component) > 2 else ""
        problems.append("import cycle: " + " -> ".join(cycle) + f" ({where}){members}")
    for stale in set(accepted) - {frozenset(c) for c in found}:
        problems.append(f"accepted cycle {sorted(stale)} is gone: remove it from ACCEPTED_CYCLES")
    return problems


# --- the real tree -------------------------------------------------------------------------------------------


def test_the_code_keeps_its_layers() -> None:
    problems = check(ROOT, ACCEPTED_CYCLES)
    assert not problems, "layering broken:\n  " + "\n  ".join(problems)


def test_every_module_is_in_a_layer_and_the_walk_sees_deferred_imports() -> None:
    modules = discover(ROOT)
    assert "reader.core.store.library" in modules and "main" in modules
    assert all(layer_of(name) is not None for name in modules)
    # The CLI imports most of what it runs inside its command functions; the walk must see those imports.
    notes = modules["reader.cli.notes"]
    found = {imp.target for imp in imports_of("reader.cli.notes", notes, modules)}
    assert "reader.core.store.annotations" in found


# --- the checker can fail ------------------------------------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_synthetic_tree_with_an_upward_import_and_a_cycle_is_reported(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.py": "from reader.ui import window\n",
            "reader/__init__.py": '__version__ = "0"\n',
            "reader/errors.py": "class YanyanaError(Exception):\n    pass\n",
            "reader/ui/__init__.py": "",
            "reader/ui/window.py": "import PySide6.QtWidgets\nfrom reader.translation import engine\n",
            "reader/translation/__init__.py": "",
            "reader/translation/engine.py": "from reader.core.store import db\n",
            "reader/core/__init__.py": "",
            "reader/core/text/__init__.py": "",
            # upward, hidden in a function and behind TYPE_CHECKING; plus sqlite3 in the pure layer
            "reader/core/text/folding.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from reader.core.store.db import Connection\n"
                "def fold(text):\n"
                "    import sqlite3\n"
                "    from reader.translation.engine import translate\n"
                "    return text\n"
            ),
            "reader/core/store/__init__.py": "",
            # a cycle through a function-local import, and a private name taken from another module
            "reader/core/store/db.py": "from reader.core.store.library import _helper\nfrom reader import errors\n",
            "reader/core/store/library.py": "def _helper():\n    from . import db\n",
            # a part naming its owner for the type checker only: no cycle
            "reader/core/store/search.py": "from reader.core.store import annotations\n",
            "reader/core/store/annotations.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from reader.core.store import search\n"
            ),
            "translations_cache/__init__.py": "from reader.errors import YanyanaError\nimport PySide6\n",
        },
    )
    problems = check(tmp_path)
    text = "\n".join(problems)
    assert (
        "reader/core/text/folding.py:3: reader.core.text.folding (core.text) imports reader.core.store.db"
        in text
    )
    assert "folding.py:6: reader.core.text.folding (core.text) imports reader.translation.engine" in text
    assert "folding.py:5: reader.core.text.folding imports sqlite3" in text
    assert "import cycle: reader.core.store.db -> reader.core.store.library -> reader.core.store.db" in text
    assert "imports the private reader.core.store.library._helper" in text
    assert "translations_cache imports reader.errors (translations_cache imports nothing from reader)" in text
    assert "translations_cache imports Qt (PySide6) outside reader.ui" in text
    assert "window" not in text  # Qt in reader.ui and faces importing downwards are fine
    assert "search" not in text  # a TYPE_CHECKING back-reference is no import cycle
    assert len(problems) == 7, text
    accepted = frozenset({"reader.core.store.db", "reader.core.store.library"})
    assert len(check(tmp_path, (accepted,))) == 6  # an accepted cycle is not reported...
    stale = frozenset({"reader.errors", "reader.ui.window"})
    assert any(
        "is gone: remove it from ACCEPTED_CYCLES" in p for p in check(tmp_path, (stale,))
    )  # ...a stale one is


def test_a_module_outside_every_layer_is_reported(tmp_path: Path) -> None:
    _write(tmp_path, {"reader/__init__.py": "", "reader/plugins/__init__.py": "", "reader/plugins/x.py": ""})
    assert check(tmp_path) == [
        "reader/plugins/__init__.py: reader.plugins is in no layer (place it in LAYERS and in the Map of "
        "docs/design.md)",
        "reader/plugins/x.py: reader.plugins.x is in no layer (place it in LAYERS and in the Map of docs/design.md)",
    ]
