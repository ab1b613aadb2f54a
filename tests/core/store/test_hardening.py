"""Store details of the hardening pass: ids never reused (migration 3), per-document annotation counts in one
query, backups that leave no -wal/-shm behind, and note files nested too deeply for the reader."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reader import paths
from reader.core import exporting
from reader.core.store import backup, schema, search
from reader.core.store.annotations import AnnotationCounts, Annotations
from reader.core.store.library import Library


def _article(tmp_path: Path, n: int) -> Path:
    path = tmp_path / f"article-{n}.txt"
    path.write_text(
        f"Bu {n} numaralı makaledir. Silindikten sonra numarası başkasına verilmez.\n", encoding="utf-8"
    )
    return path


def test_document_ids_are_never_reused_after_remove(lib: Library, tmp_path: Path) -> None:
    last = lib.import_file(_article(tmp_path, 1)).document.id
    lib.remove(last)
    assert lib.import_file(_article(tmp_path, 2)).document.id == last + 1


def test_migration_3_keeps_every_document_note_and_search_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Library(tmp_path / "seeded.db") as seeded:
        doc_ids = [d.id for d in seeded.documents()]
        note = Annotations(seeded).add(doc_ids[-1], 0, 8, note="kept through the migration", tags=["mig"])
        seeded.remove(doc_ids[-1] - 1)
        copy = sqlite3.connect(path)
        seeded.conn.backup(copy)
        copy.close()
    # Make the copy what version 2 left: the same tables, documents.id without AUTOINCREMENT.
    v2 = sqlite3.connect(path, isolation_level=None)
    v2.execute("PRAGMA writable_schema = ON")
    v2.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'PRIMARY KEY AUTOINCREMENT', 'PRIMARY KEY')"
        " WHERE name = 'documents'"
    )
    v2.execute("DELETE FROM sqlite_sequence")
    v2.execute(f"PRAGMA user_version = {schema.MIGRATIONS.index(schema._migration_7)}")
    v2.close()
    v2 = sqlite3.connect(path)
    assert (
        "AUTOINCREMENT"
        not in v2.execute("SELECT sql FROM sqlite_master WHERE name = 'documents'").fetchone()[0]
    )
    assert v2.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    v2.close()

    with Library(path, seed=False) as lib:
        sql = lib.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'documents'").fetchone()[0]
        assert "AUTOINCREMENT" in sql
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert lib.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert lib.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert lib.integrity_check() == "ok"
        assert [d.id for d in lib.documents()] == [i for i in doc_ids if i != doc_ids[-1] - 1]
        assert Annotations(lib).get(note.id).note == "kept through the migration"
        assert [h.annotation for h in search.search(lib, "migration")] == [note.id]
        lib.remove(doc_ids[-1])  # cascades still work through the new table
        assert lib.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 0
        assert (
            lib.conn.execute("SELECT count(*) FROM segments WHERE document = ?", (doc_ids[-1],)).fetchone()[0]
            == 0
        )
        new = lib.import_file(_article(path.parent, 3)).document.id
        assert new == doc_ids[-1] + 1  # the removed last id is not handed out again


def test_counts_by_document_in_one_query(lib: Library) -> None:
    docs = [d.id for d in lib.documents()]
    store = Annotations(lib)
    store.add(docs[0], 0, 5)
    store.add(docs[0], 6, 10, note="a note")
    store.add(docs[1], 0, 5, note="another")
    statements: list[str] = []
    lib.conn.set_trace_callback(statements.append)
    counts = store.counts_by_document()
    lib.conn.set_trace_callback(None)
    assert len(statements) == 1
    assert counts == {docs[0]: AnnotationCounts(2, 1, 0), docs[1]: AnnotationCounts(1, 1, 0)}
    assert store.counts_by_document([docs[1], docs[2]]) == {docs[1]: AnnotationCounts(1, 1, 0)}
    assert store.counts_by_document(range(1, 2000)) == counts  # more ids than SQLite parameters allow at once


def test_backup_leaves_no_wal_or_shm_files(lib: Library) -> None:
    made = backup.backup_now(lib)
    assert sorted(p.name for p in paths.backups_dir().iterdir()) == [made.name]
    assert backup.check_file(made) == "ok"
    assert sorted(p.name for p in paths.backups_dir().iterdir()) == [made.name]


@pytest.mark.parametrize("depth", [70, 100_000])
def test_a_deeply_nested_note_file_is_one_sentence(lib: Library, tmp_path: Path, depth: int) -> None:
    path = tmp_path / "nested.jsonld"
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    with pytest.raises(exporting.ExportError) as caught:
        exporting.import_jsonld(lib, path)
    assert str(caught.value) == "nested.jsonld is nested too deeply to be an annotation file."
    json.loads("[" * 60 + "]" * 60)  # the limit leaves room for real files
