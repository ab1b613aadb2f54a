"""Every schema change of ``library.db``, in order: the one place its tables are defined.

The schema version is ``PRAGMA user_version``; :data:`MIGRATIONS` is append-only and index ``i`` migrates from
version ``i`` to ``i + 1``, each step in its own transaction. A released migration is never edited: a later
change is a new function at the end. A library written by a newer Yanyana is refused, never downgraded.
``docs/library-schema.md`` describes the result as a stable interface.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from reader.core.store import corrections, search
from reader.core.store.db import LibraryError, execute_script, utils_database


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


def _migration_3(conn: sqlite3.Connection) -> None:
    """Read-only SQL views for researchers (``sqlite-utils``, Datasette): documents, sentences, annotations and
    indexed translations with titles and text, so that nobody has to join on offsets by hand.

    Every view is built from rows that cascade with their document (inner joins on ``documents``), so removing a
    document removes its rows from every view and never leaves one pointing at nothing."""
    db = utils_database(conn)
    for name, sql in VIEWS_3.items():
        db.create_view(name, sql)


#: The views of migration 3 (frozen with it): name -> SELECT. ``substr`` counts characters (code points) in a TEXT
#: value, like Python's ``str`` indexing, so ``substr(text, start + 1, end - start)`` is ``text[start:end]``.
VIEWS_3: dict[str, str] = {
    "documents_view": """
SELECT d.id, d.title, d.language, d.direction, d.source, d.imported_at AS imported, d.format, d.encoding,
    length(d.text) AS characters,
    (SELECT count(*) FROM paragraphs p WHERE p.document = d.id) AS paragraphs,
    (SELECT count(*) FROM segments s WHERE s.document = d.id) AS segments,
    (SELECT count(*) FROM search_rows r WHERE r.document = d.id AND r.kind = 'translation') AS translated,
    (SELECT count(*) FROM annotations a WHERE a.document = d.id) AS annotations,
    (SELECT count(*) FROM annotations a WHERE a.document = d.id AND a.note != '') AS notes,
    (SELECT count(*) FROM annotations a WHERE a.document = d.id AND a.orphaned) AS orphans
FROM documents d""",
    "sentences_view": """
SELECT s.document, d.title, s.idx AS segment, s.paragraph, p.lang AS language, s.start, s."end",
    substr(d.text, s.start + 1, s."end" - s.start) AS text
FROM segments s
JOIN documents d ON d.id = s.document
LEFT JOIN paragraphs p ON p.document = s.document AND p.idx = s.paragraph""",
    "annotations_view": """
SELECT a.id, a.uuid, a.document, d.title, a.side, a.model, a.color,
    coalesce((SELECT group_concat(t.value, '; ') FROM json_each(a.tags) t), '') AS tags,
    a.note, a.exact AS quote, a.start, a."end", a.orphaned, a.created, a.modified
FROM annotations a
JOIN documents d ON d.id = a.document""",
    "translations_view": """
SELECT r.document, d.title, r.segment, s.paragraph, p.lang AS language,
    substr(d.text, s.start + 1, s."end" - s.start) AS source,
    r.text AS translation, r.lang AS translation_language, r.model
FROM search_rows r
JOIN documents d ON d.id = r.document
LEFT JOIN segments s ON s.document = r.document AND s.idx = r.segment
LEFT JOIN paragraphs p ON p.document = s.document AND p.idx = s.paragraph
WHERE r.kind = 'translation'""",
}


def _migration_4(conn: sqlite3.Connection) -> None:
    """The page a paragraph starts on (PDFs; NULL for formats without pages) and a document's page count.

    Frozen once released: a later schema change is a new migration, never an edit here."""
    execute_script(
        conn,
        """
        ALTER TABLE paragraphs ADD COLUMN page INTEGER;
        ALTER TABLE documents ADD COLUMN pages INTEGER;
        """,
    )


def _migration_5(conn: sqlite3.Connection) -> None:
    """What the file says each paragraph is (structured formats: DOCX, ODT, EPUB, pasted HTML): ``kind``
    ('heading', 'paragraph' or 'note'), ``level`` (a heading's level, 1 = top) and the ``direction`` the file
    declares ('ltr'/'rtl'). All NULL where the format says nothing (plain text, HTML pages, PDF).

    Frozen once released: a later schema change is a new migration, never an edit here."""
    execute_script(
        conn,
        """
        ALTER TABLE paragraphs ADD COLUMN kind TEXT CHECK (kind IN ('heading', 'paragraph', 'note'));
        ALTER TABLE paragraphs ADD COLUMN level INTEGER;
        ALTER TABLE paragraphs ADD COLUMN direction TEXT CHECK (direction IN ('ltr', 'rtl'));
        """,
    )


def _migration_6(conn: sqlite3.Connection) -> None:
    """Human corrections of machine translations (precious, like notes)."""
    corrections.migration(conn)


def _migration_7(conn: sqlite3.Connection) -> None:
    """Document ids are never reused (``AUTOINCREMENT``): an exported reference, a backup or a note file naming
    document 7 must never point at another article after document 7 was removed.

    SQLite can only add ``AUTOINCREMENT`` by re-creating the table: copy, drop, rename (the documented
    "12-step" procedure; :func:`transform` cannot add it). :func:`migrate` runs it with foreign keys off, so
    dropping the old table cascades nothing; the children (paragraphs, segments, annotations, search rows) refer
    to the table by name and so to the new one. The views of migration 3 name ``documents`` too: they are dropped
    first (a rename checks every view) and created again, unchanged."""
    db = utils_database(conn)
    for name in VIEWS_3:
        conn.execute(f"DROP VIEW IF EXISTS {name}")
    execute_script(
        conn,
        """
        CREATE TABLE documents_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            source TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            language TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('ltr', 'rtl')),
            imported_at TEXT NOT NULL,
            text TEXT NOT NULL,
            encoding TEXT NOT NULL DEFAULT 'utf-8',
            format TEXT NOT NULL DEFAULT 'text',
            warnings TEXT NOT NULL DEFAULT '[]',
            pages INTEGER
        );
        INSERT INTO documents_new (id, title, source, sha256, language, direction, imported_at, text, encoding,
                                   format, warnings, pages)
            SELECT id, title, source, sha256, language, direction, imported_at, text, encoding, format, warnings,
                pages
            FROM documents;
        DROP TABLE documents;
        ALTER TABLE documents_new RENAME TO documents;
        """,
    )
    for name, sql in VIEWS_3.items():
        db.create_view(name, sql)
    # Ids handed out before this migration are unknown beyond the largest one still present.
    conn.execute("DELETE FROM sqlite_sequence WHERE name = 'documents'")
    conn.execute(
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'documents', coalesce(max(id), 0) FROM documents"
    )


# Append new migrations here; never edit a released one. Index i migrates from version i to i + 1.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
    _migration_6,
    _migration_7,
]
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
    """Bring the database to :data:`SCHEMA_VERSION`, each step in its own transaction.

    Foreign keys are switched off while migrating (SQLite's own procedure for schema changes: ``PRAGMA
    foreign_keys`` cannot change inside a transaction, and with it on, re-creating a table — what
    :func:`transform` does — would cascade-delete every row that refers to it); each step runs ``PRAGMA
    foreign_key_check`` before its COMMIT and is rolled back if it left a dangling reference.

    The version is read again once each step holds the write lock: another Yanyana (the window and the CLI at
    once) may have migrated while this one waited, and a step must never run twice."""
    version = refuse_newer_schema(conn)
    if version == SCHEMA_VERSION:
        return version
    foreign_keys = int(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        while version < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = refuse_newer_schema(conn)
                if version < SCHEMA_VERSION:
                    MIGRATIONS[version](conn)
                    dangling = conn.execute("PRAGMA foreign_key_check").fetchone()
                    if dangling is not None:
                        raise LibraryError(
                            f"Updating the library to schema {version + 1} would leave a row of {dangling[0]} "
                            "pointing at nothing; the library was left as it was."
                        )
                    version += 1
                    conn.execute(f"PRAGMA user_version = {version}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
    finally:
        conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    return version


def transform(conn: sqlite3.Connection, table: str, **changes: Any) -> None:
    """Change a table's columns inside a migration: sqlite-utils ``Table.transform(**changes)`` (new table, copy,
    drop, rename; indexes are re-created by it), then the table's triggers, which SQLite drops with the old table,
    are created again. Call it only from a migration (:func:`migrate` has foreign keys off)."""
    if int(conn.execute("PRAGMA foreign_keys").fetchone()[0]):
        raise RuntimeError("schema.transform() runs inside a migration, with foreign keys off")
    triggers = [
        sql
        for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name", (table,)
        )
    ]
    utils_database(conn).table(table).transform(**changes)
    for sql in triggers:
        conn.execute(sql)
