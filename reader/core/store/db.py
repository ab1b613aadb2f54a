"""The connection to ``library.db`` and its transactions: the plumbing every store module shares.

Every write is one ``BEGIN IMMEDIATE … COMMIT`` on an autocommit connection (``isolation_level=None``), in WAL
mode with foreign keys on, so a crash leaves a write whole or absent.

Also the row shapes the store modules share and :class:`DocumentStore`, what ``annotations`` and ``search`` need
of a :class:`~reader.core.store.library.Library`: they sit *below* it (a re-import re-anchors notes and
re-indexes search rows from inside ``Library``), so they are written against this protocol, not the class.

sqlite-utils is used on the same connection (:func:`utils_database`) for bulk inserts, views and table
transforms. From 4.0 on its helpers wrap their work in ``Database.atomic()``, which is a SAVEPOINT when a
transaction is already open, so they stay inside ours; sqlite-utils 3.x wrapped them in ``with conn:``, which
COMMITs whatever is open — an import would be committed half-way. Hence ``sqlite-utils>=4.0`` in pyproject.toml
and the check in :func:`utils_database`.
"""

from __future__ import annotations

import itertools
import sqlite3
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from reader.errors import YanyanaError

if TYPE_CHECKING:
    import sqlite_utils

#: Rows per INSERT statement for :func:`insert_rows` (sqlite-utils lowers it to fit 999 bound parameters).
BATCH_SIZE = 1000


class LibraryError(YanyanaError):
    """A problem with the library the user can act on; ``str()`` is one sentence."""


@dataclass(frozen=True)
class SegmentRow:
    index: int
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class ParagraphRow:
    index: int
    start: int
    end: int
    lang: str
    page: int | None = None  # the page it starts on, for paged formats (PDF)
    kind: str | None = None  # "heading", "paragraph" or "note" where the file says (DOCX, ODT, EPUB)
    level: int | None = None  # a heading's level (1 = top)
    direction: str | None = None  # the direction the file declares ("ltr"/"rtl"); None: the language's


@dataclass(frozen=True)
class SegmentColumns:
    """A document's segments as columns of integers, in index order (one array per field, not an object per
    row: a 48 MB document has 320,000 segments)."""

    index: array[int]
    paragraph: array[int]
    start: array[int]
    end: array[int]

    def __len__(self) -> int:
        return len(self.index)

    def rows(self) -> list[SegmentRow]:
        return [
            SegmentRow(*row) for row in zip(self.index, self.paragraph, self.start, self.end, strict=True)
        ]


@dataclass(frozen=True)
class ParagraphColumns:
    """A document's paragraphs as columns, in index order (languages are interned: a handful of strings)."""

    index: array[int]
    start: array[int]
    end: array[int]
    lang: list[str]
    page: list[int | None]
    kind: list[str | None]
    level: list[int | None]
    direction: list[str | None]

    def __len__(self) -> int:
        return len(self.index)

    def rows(self) -> list[ParagraphRow]:
        columns = (
            self.index,
            self.start,
            self.end,
            self.lang,
            self.page,
            self.kind,
            self.level,
            self.direction,
        )
        return [ParagraphRow(*row) for row in zip(*columns, strict=True)]


def read_columns(cursor: sqlite3.Cursor, ints: int, others: int = 0) -> tuple[list[array[int]], list[list]]:
    """The rows of ``cursor`` as ``ints`` integer arrays followed by ``others`` lists, read in chunks (no list
    of every row's tuple at once)."""
    columns = [array("q") for _ in range(ints)]
    rest: list[list] = [[] for _ in range(others)]
    while chunk := cursor.fetchmany(8192):
        for i, column in enumerate(columns):
            column.extend([row[i] for row in chunk])
        for j, values in enumerate(rest):
            values.extend([row[ints + j] for row in chunk])
    return columns, rest


def connect(path: Path, timeout: float = 10) -> sqlite3.Connection:
    """An autocommit connection (transactions are explicit: :class:`Transaction`)."""
    return sqlite3.connect(path, isolation_level=None, timeout=timeout)


def configure(conn: sqlite3.Connection) -> None:
    """WAL journal, foreign keys, and ``synchronous=NORMAL`` (durable in WAL mode up to the last commit)."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")


class Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any exception (autocommit connection)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


def transaction(conn: sqlite3.Connection) -> Transaction:
    """``with transaction(conn): …`` — one ``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on any exception)."""
    return Transaction(conn)


def execute_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction.

    ``Connection.executescript`` would COMMIT first, breaking the one-transaction-per-migration rule, so the
    script is split into complete statements (``sqlite3.complete_statement`` understands triggers' ``;``)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if statement.strip():
                conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement.strip()[:60]}")


class StoredDocument(Protocol):
    """The parts of a stored document the modules below ``Library`` read."""

    @property
    def id(self) -> int: ...

    @property
    def text(self) -> str: ...


class DocumentStore(Protocol):
    """What ``annotations`` and ``search`` need of a library (``Library`` is one): its connection, one write
    transaction, a document and its segments."""

    @property
    def conn(self) -> sqlite3.Connection: ...

    def transaction(self) -> Transaction: ...

    def get(self, doc_id: int | str) -> StoredDocument: ...

    def segments(self, doc_id: int) -> Sequence[SegmentRow]: ...

    def close(self) -> None: ...


def utils_database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """``conn`` seen through sqlite-utils: no plugins, and ``recursive_triggers`` left as SQLite's default.

    sqlite-utils is imported here, not at module level: it costs ~80 ms and reading a document needs none of it."""
    import sqlite_utils

    if not hasattr(sqlite_utils.Database, "atomic"):
        raise LibraryError(
            "This Yanyana needs sqlite-utils 4.0 or newer (older versions commit a write half-way); "
            "please reinstall Yanyana."
        )
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def insert_rows(
    conn: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    batch_size: int = BATCH_SIZE,
) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into an existing table with multi-row INSERTs
    (sqlite-utils ``insert_all``), inside the caller's transaction, which stays open: all or nothing."""
    if not conn.in_transaction:
        raise RuntimeError(f"insert_rows({table!r}) must run inside a transaction")
    target = utils_database(conn).table(table)
    if not target.exists():
        raise RuntimeError(f"insert_rows: there is no table {table!r}")  # insert_all would create one
    header: list[Sequence[object]] = [list(columns)]
    target.insert_all(itertools.chain(header, rows), batch_size=batch_size)
