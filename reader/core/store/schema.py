"""Every schema change of ``library.db``, in order: the one place its tables are defined.

The schema version is ``PRAGMA user_version``; :data:`MIGRATIONS` is append-only and index ``i`` migrates from
version ``i`` to ``i + 1``, each step in its own transaction. A released migration is never edited: a later
change is a new function at the end. A library written by a newer Yanyana is refused, never downgraded.
``docs/library-schema.md`` describes the result as a stable interface.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from reader.core.store import search
from reader.core.store.db import LibraryError, execute_script


def _migration_1(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            source TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            language TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('ltr', 'rtl')),
            imported_at TEXT NOT NULL,
            text TEXT NOT NULL,
            encoding TEXT NOT NULL DEFAULT 'utf-8',
            format TEXT NOT NULL DEFAULT 'text',
            warnings TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE paragraphs (
            document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            lang TEXT NOT NULL,
            PRIMARY KEY (document, idx)
        ) WITHOUT ROWID;
        CREATE TABLE segments (
            document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            paragraph INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            PRIMARY KEY (document, idx)
        ) WITHOUT ROWID;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    )


def _migration_2(conn: sqlite3.Connection) -> None:
    """Annotations and the full-text search index."""
    _annotations_table(conn)
    _search_index(conn)


def _annotations_table(conn: sqlite3.Connection) -> None:
    """Schema step: the annotations table .

    Frozen once released: a later schema change is a new migration, never an edit here."""
    execute_script(
        conn,
        """
        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            side TEXT NOT NULL CHECK (side IN ('original', 'translation')),
            model TEXT,
            target_lang TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            color TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            orphaned INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            modified TEXT NOT NULL
        );
        CREATE INDEX annotations_document ON annotations(document, start);
        """,
    )


def _search_index(conn: sqlite3.Connection) -> None:
    """Schema step: the search index; indexes what exists.

    Frozen once released: a later schema change is a new migration, never an edit here."""
    execute_script(
        conn,
        """
        CREATE TABLE search_rows (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('original', 'translation', 'note')),
            document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            segment INTEGER,
            annotation INTEGER REFERENCES annotations(id) ON DELETE CASCADE,
            model TEXT,
            lang TEXT,
            text TEXT,
            folded TEXT NOT NULL
        );
        CREATE INDEX search_rows_document ON search_rows(document, kind, segment);
        CREATE INDEX search_rows_annotation ON search_rows(annotation);
        CREATE VIRTUAL TABLE search_fts USING fts5(
            folded, content='search_rows', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
        );
        CREATE TRIGGER search_rows_ai AFTER INSERT ON search_rows BEGIN
            INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded);
        END;
        CREATE TRIGGER search_rows_ad AFTER DELETE ON search_rows BEGIN
            INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded);
        END;
        CREATE TRIGGER search_rows_au AFTER UPDATE ON search_rows BEGIN
            INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded);
            INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded);
        END;
        """,
    )
    search.index_all(conn)


# Append new migrations here; never edit a released one. Index i migrates from version i to i + 1.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migration_1, _migration_2]
SCHEMA_VERSION = len(MIGRATIONS)


def refuse_newer_schema(conn: sqlite3.Connection) -> int:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise LibraryError(
            f"The library was written by a newer Yanyana (schema {version}, this one knows {SCHEMA_VERSION}); "
            "please update Yanyana."
        )
    return version


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to :data:`SCHEMA_VERSION`, each step in its own transaction."""
    version = refuse_newer_schema(conn)
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return version
