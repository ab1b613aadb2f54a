"""A long import writes its search index in chunks: a note saved meanwhile waits about a second at most, and
an index interrupted by a crash is finished by the next open."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from reader.core.store import library as library_module
from reader.core.store import search
from reader.core.store.annotations import Annotations
from reader.core.store.library import Library


def _long_article(tmp_path: Path, paragraphs: int = 600) -> Path:
    path = tmp_path / "long.txt"
    path.write_text(
        "\n\n".join(
            f"Bu uzun makalenin {n}. paragrafıdır. Her paragraf iki cümleden oluşur ve aranabilir olmalıdır."
            for n in range(paragraphs)
        )
        + "\n\nSonuncu paragraf benzersizkelime içerir.",
        encoding="utf-8",
    )
    return path


def test_a_note_is_saved_while_a_long_import_indexes(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_module, "INDEX_CHUNK_ROWS", 100)
    monkeypatch.setattr(library_module, "INDEX_CHUNK_SECONDS", 0.3)
    monkeypatch.setattr(library_module, "INDEX_BATCH_ROWS", 50)
    real_insert = search.insert_original_rows
    chunking = threading.Event()
    calls: list[int] = []

    def slow_insert(conn: sqlite3.Connection, doc_id: int, rows: Sequence[tuple[int, str, str]]) -> None:
        calls.append(len(rows))
        if len(calls) > 1:  # the chunked part: made slow, as a 50 MB document's index is
            chunking.set()
            time.sleep(0.1)
        real_insert(conn, doc_id, rows)

    monkeypatch.setattr(search, "insert_original_rows", slow_insert)
    monkeypatch.setattr(library_module.search, "insert_original_rows", slow_insert)
    first_doc = lib.documents()[0].id
    waited: list[float] = []

    def save_a_note() -> None:
        chunking.wait(30)
        with Library() as other:
            start = time.monotonic()
            Annotations(other).add(first_doc, 0, 5, note="saved during the import")
            waited.append(time.monotonic() - start)

    writer = threading.Thread(target=save_a_note)
    writer.start()
    started = time.monotonic()
    result = lib.import_file(_long_article(tmp_path))
    took = time.monotonic() - started
    writer.join(30)
    assert took > 2.0  # the index took a while ...
    assert waited and waited[0] < 1.5, waited  # ... and the note did not wait for all of it
    assert [h.segment for h in search.search(lib, "benzersizkelime")] == [result.segments - 1]
    assert lib.conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'search_pending:%'").fetchone()[0] == 0


def test_an_interrupted_index_is_finished_at_the_next_open(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(seconds: float) -> None:
        raise KeyboardInterrupt  # the process dies between two chunks

    with monkeypatch.context() as patch:
        patch.setattr(library_module, "INDEX_CHUNK_ROWS", 100)
        patch.setattr(library_module, "INDEX_BATCH_ROWS", 50)
        patch.setattr(library_module, "INDEX_CHUNK_SECONDS", 0.0)
        patch.setattr(library_module.time, "sleep", crash)
        with pytest.raises(KeyboardInterrupt):
            lib.import_file(_long_article(tmp_path))
    assert search.search(lib, "benzersizkelime") == []  # the document is stored, its index is not complete
    assert lib.conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'search_pending:%'").fetchone()[0] == 1
    with Library() as reopened:
        hits = search.search(reopened, "benzersizkelime")
        assert len(hits) == 1
        doc = reopened.get(hits[0].document)
        indexed = reopened.conn.execute(
            "SELECT count(*) FROM search_rows WHERE document = ? AND kind = 'original'", (doc.id,)
        ).fetchone()[0]
        assert indexed == len(reopened.segments(doc.id))
        pending = reopened.conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'search_pending:%'")
        assert pending.fetchone()[0] == 0
