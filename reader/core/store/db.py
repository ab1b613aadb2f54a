"""The connection to ``library.db`` and its transactions: the plumbing every store module shares.

Every write is one ``BEGIN IMMEDIATE … COMMIT`` on an autocommit connection (``isolation_level=None``), in WAL
mode with foreign keys on, so a crash leaves a write whole or absent.

Also the row shapes the store modules share and :class:`DocumentStore`, what ``annotations`` and ``search`` need
of a :class:`~reader.core.store.library.Library`: they sit *below* it (a re-import re-anchors notes and
re-indexes search rows from inside ``Library``), so they are written against this protocol, not the class.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from reader.errors import YanyanaError


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
