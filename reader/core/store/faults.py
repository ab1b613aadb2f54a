"""Storage faults as one sentence: full disk, read-only medium, lock held elsewhere, missing WAL, races.

SQLite reports these as ``sqlite3.Error`` with an error code; the user needs to know what happened, that
nothing was half-written (every write is one transaction, rolled back on error) and what to do. Every write
of the store goes through :func:`guarded`, which turns such an error into a :class:`StorageFault` whose
``str()`` is one sentence; :func:`describe_sqlite_error` is the same wording for callers holding a raw error.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from reader.core.store.db import LibraryError, Transaction

NOTHING_CHANGED = "nothing was changed"


class StorageFault(LibraryError):
    """The disk or the database file refused an operation (full, read-only, locked, I/O error)."""


class LibraryReadOnly(StorageFault):
    """A write was asked of a library opened read-only."""


def read_only_message(path: Path | None, reason: str) -> str:
    where = f"{path}, {reason}" if path is not None else reason
    return (
        f"The library is read-only ({where}); reading, search and export work, but "
        f"{NOTHING_CHANGED} — copy it to a writable folder to change it."
    )


def _errorname(exc: sqlite3.Error) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or "")


def lock_holder(path: Path | None) -> str | None:
    """Which process holds a lock on the library (Linux ``/proc/locks``), e.g. ``"process 1234 (yanyana)"``."""
    if path is None:
        return None
    inodes: set[int] = set()
    for suffix in ("", "-shm", "-wal"):
        with contextlib.suppress(OSError):
            inodes.add(os.stat(path.with_name(path.name + suffix)).st_ino)
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    me = os.getpid()
    for line in lines:
        fields = line.split()
        if "->" in fields:  # a process waiting for the lock, not holding it
            continue
        try:
            pid = int(fields[4])
            inode = int(fields[5].rsplit(":", 1)[1])
        except (IndexError, ValueError):
            continue
        if inode in inodes and pid != me:
            try:
                name = " ".join(Path(f"/proc/{pid}/comm").read_text(errors="replace").split())
            except OSError:
                name = ""
            return f"process {pid} ({name})" if name else f"process {pid}"
    return None


def describe_sqlite_error(exc: sqlite3.Error, path: Path | None = None) -> str:
    """One sentence for a storage error of the library at ``path``."""
    name = _errorname(exc)
    text = str(exc)
    lowered = text.lower()
    if name.startswith("SQLITE_READONLY") or "readonly database" in lowered or "read-only" in lowered:
        return read_only_message(path, "the file or its folder cannot be written")
    if name == "SQLITE_FULL" or "disk is full" in lowered:
        return f"The disk holding the library is full; {NOTHING_CHANGED} — free some space and try again."
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "is locked" in lowered:
        holder = lock_holder(path)
        who = f" by {holder}" if holder else " by another Yanyana process (the window or a command)"
        return f"The library is in use{who}; {NOTHING_CHANGED} — try again when it has finished."
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in lowered:
        return (
            "The library could not be read or written (a disk input/output error — was its -wal file deleted "
            f"or the disk removed?); {NOTHING_CHANGED}."
        )
    if name.startswith("SQLITE_CONSTRAINT") and "unique" in lowered:
        return (
            f"Another Yanyana process stored the same item at the same moment; {NOTHING_CHANGED} — try again."
        )
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in lowered or "not a database" in lowered:
        where = f" {path}" if path is not None else ""
        return f"The library file{where} is damaged ({text}); it was left untouched — restore a backup."
    if name == "SQLITE_CANTOPEN" or "unable to open" in lowered:
        where = f" at {path}" if path is not None else ""
        return f"The library{where} cannot be opened ({text}); {NOTHING_CHANGED}."
    return f"The library could not be used ({text}); {NOTHING_CHANGED}."


_STORAGE_CODES = (
    "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN",
    "SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_PROTOCOL", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY",
)  # fmt: skip


def is_storage_fault(exc: sqlite3.Error) -> bool:
    """An error of the disk, the file or another process (or a race on a unique key) — the user's to know about.
    Anything else (a CHECK or foreign-key violation, a syntax error) is a bug and keeps its own exception."""
    return _errorname(exc).startswith(_STORAGE_CODES)


def fault(exc: sqlite3.Error, path: Path | None = None) -> StorageFault:
    message = describe_sqlite_error(exc, path)
    if message.startswith("The library is read-only"):
        return LibraryReadOnly(message)
    return StorageFault(message)


class Guarded(Transaction):
    """A :class:`~reader.core.store.db.Transaction` whose storage errors become one :class:`StorageFault`
    sentence (the transaction is rolled back first), and which refuses to start on a read-only library."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, read_only: str | None) -> None:
        super().__init__(conn)
        self.path = path
        self.read_only = read_only

    def __enter__(self) -> sqlite3.Connection:
        if self.read_only is not None:
            raise LibraryReadOnly(read_only_message(self.path, self.read_only))
        try:
            return super().__enter__()
        except sqlite3.Error as exc:
            raise fault(exc, self.path) from exc

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            super().__exit__(exc_type, exc, tb)
        except sqlite3.Error as commit_error:  # COMMIT on a full disk, ROLLBACK after an I/O error
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            raise fault(commit_error, self.path) from commit_error
        if isinstance(exc, sqlite3.Error) and is_storage_fault(exc):
            raise fault(exc, self.path) from exc


def guarded(conn: sqlite3.Connection, path: Path | None = None, read_only: str | None = None) -> Guarded:
    """``with guarded(conn, path): …`` — one write transaction; storage errors become one sentence."""
    return Guarded(conn, path, read_only)
