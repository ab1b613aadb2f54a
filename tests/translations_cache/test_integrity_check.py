"""translations.db is not integrity-checked on every open (that is linear in its size): the header is checked at
open, ``PRAGMA quick_check`` runs before the first write of a session or when asked, and a damaged file is still
never written to."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from translations_cache import TranslationMemory

MODEL = "translate-tr_en@1.0"


def _fill(path: Path, n: int = 3000) -> list[str]:
    sources = [f"Bu {i}. cümledir ve önbellekte durur." for i in range(n)]
    with TranslationMemory(path) as memory:
        memory.store([(s, f"This is sentence {i}.") for i, s in enumerate(sources)], "tr", "en", MODEL)
    return sources


def _traced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    statements: list[str] = []
    real = TranslationMemory._connect

    def connect(self: TranslationMemory, target: str, *, uri: bool) -> sqlite3.Connection:
        conn = real(self, target, uri=uri)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(TranslationMemory, "_connect", connect)
    return statements


def test_opening_and_reading_run_no_integrity_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "translations.db"
    sources = _fill(path)
    statements = _traced(monkeypatch)
    with TranslationMemory(path) as memory:
        assert len(memory.lookup(sources[:50], "tr", "en", MODEL)) == 50
        assert not [s for s in statements if "quick_check" in s]
        memory.store([("Yeni bir cümle.", "A new sentence.")], "tr", "en", MODEL)
        checks = [i for i, s in enumerate(statements) if "quick_check" in s]
        writes = [i for i, s in enumerate(statements) if s.startswith("INSERT")]
        assert len(checks) == 1 and checks[0] < writes[0]  # checked once, before the first write
        memory.store([("Bir cümle daha.", "One more sentence.")], "tr", "en", MODEL)
        assert len([s for s in statements if "quick_check" in s]) == 1


def test_a_damaged_file_is_moved_aside_before_any_write(tmp_path: Path) -> None:
    path = tmp_path / "translations.db"
    _fill(path)
    page_size = 4096
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    for page in range(3, len(data) // page_size - 1, 2):  # scribble over b-tree pages, keep header and size
        data[page * page_size : page * page_size + 16] = b"\xde\xad\xbe\xef" * 4
    path.write_bytes(bytes(data))
    damaged = path.read_bytes()
    with TranslationMemory(path) as memory:
        assert memory.warnings == []  # not checked at open
        memory.store([("Yeni bir cümle.", "A new sentence.")], "tr", "en", MODEL)
        assert len(memory.warnings) == 1 and "damaged" in memory.warnings[0]
        assert memory.lookup(["Yeni bir cümle."], "tr", "en", MODEL) == {"Yeni bir cümle.": "A new sentence."}
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged  # never written to


def test_check_integrity_on_request(tmp_path: Path) -> None:
    path = tmp_path / "translations.db"
    _fill(path, 100)
    with TranslationMemory(path) as memory:
        assert memory.check_integrity() is True
        assert memory.warnings == []
