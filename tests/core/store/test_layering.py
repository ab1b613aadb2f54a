"""Inside the store, modules import only downward; the feature modules do not name Library at all.

(tests/test_layers.py checks the layers and cycles of the whole code; this pins the order inside the store.)"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

STORE = ROOT / "reader" / "core" / "store"
#: Lowest first: a module may import (at any place, function bodies included) only modules before it.
ORDER = ("db", "faults", "search", "annotations", "corrections", "schema", "library", "backup")
#: Layers above the store: never imported from it.
ABOVE = ("reader.core.exporting", "reader.translation", "reader.cli", "reader.ui", "translations_cache")


def _type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imports(path: Path) -> list[tuple[str, bool]]:
    """Every module ``path`` imports, and whether it is only for typing (under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if _type_checking_block(node):
            typing_only.update(id(n) for n in ast.walk(node))
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in typing_only) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "reader.core.store":
                found += [(f"reader.core.store.{a.name}", id(node) in typing_only) for a in node.names]
            else:
                found.append((node.module, id(node) in typing_only))
    return found


def test_every_store_module_is_ranked() -> None:
    assert sorted(p.stem for p in STORE.glob("*.py") if p.stem != "__init__") == sorted(ORDER)


def test_store_modules_import_only_downward() -> None:
    problems = []
    for rank, name in enumerate(ORDER):
        for module, for_typing in imports(STORE / f"{name}.py"):
            if module.startswith(ABOVE):
                problems.append(f"{name} imports {module} (a layer above the store)")
            if not module.startswith("reader.core.store."):
                continue
            target = module.removeprefix("reader.core.store.").split(".")[0]
            if ORDER.index(target) >= rank and not for_typing:
                problems.append(f"{name} imports {target} at run time")
    assert problems == []


def test_feature_modules_work_on_the_document_store_protocol_not_library() -> None:
    for name in ("search", "annotations", "corrections"):
        imported = {module for module, _ in imports(STORE / f"{name}.py")}
        assert "reader.core.store.library" not in imported, name
        assert "reader.core.store.db" in imported, name
