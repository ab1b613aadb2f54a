"""Small helpers shared by the core tests (no Qt)."""

from __future__ import annotations

from pathlib import Path

from reader.core.store.library import Library

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data"


def seed_doc(lib: Library, name: str) -> int:
    """The id of the seed article whose file is ``name`` (e.g. ``001_16b6482d6bae7f5d.txt``)."""
    return next(d.id for d in lib.documents() if Path(d.source).name == name)
