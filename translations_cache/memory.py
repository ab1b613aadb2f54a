"""The translation memory: ``translations.db``, a disposable SQLite cache of machine translations.

Losing this file costs time, never user data, so every problem with it is handled here rather than passed up:

* A damaged file (garbage bytes, truncated, "file is not a database", failing ``PRAGMA quick_check``, a SQLite
  file that is not ours) is renamed aside with a timestamp suffix (with its ``-wal``/``-shm``/``-journal``
  companions) and rebuilt empty. A sentence goes to :attr:`TranslationMemory.warnings`; nothing is raised.
* A cache that cannot be used at all (its path is a folder, it was made by a newer Yanyana, it is damaged in a
  read-only folder, it cannot be created) falls back to an in-memory cache for the session, with a warning.
* A cache file in a read-only location is opened read-only: lookups work, :meth:`TranslationMemory.store`
  raises :class:`CacheWriteError` (one sentence) which callers catch so they still return the translation. The
  same error is raised when the disk is full or another process holds the write lock for too long.

Key: ``(normalise_source(source), from_code, to_code, model)``. ``model`` is an opaque string naming the
package and its version (``"translate-fa_en@1.9"``), so upgrading a model never serves its predecessor's
output. The language pair and model live in a small ``pairs`` table; each entry stores a 64-bit BLAKE2b hash
of the normalised source under a unique ``(pair_id, src_hash)`` index (8 bytes per key instead of the whole
sentence), plus the normalised source itself, checked on every hit, so a hash collision can only cost a miss,
never a wrong translation. The source as given is kept too (only when it differs from the normalised text)
for TMX export. Measured on 100,000 entries: a 300-sentence lookup takes ~2-3 ms, and the file is a third
smaller than with a unique index on the sentence text (35.6 MB against 52.7 MB) at the same lookup speed.

Least-recently-used order for :meth:`~TranslationMemory.prune`: lookups never write. The ids of hits are kept
in memory with their time and written in one go by the next ``store()`` (the worker thread, already in a write
transaction), ``prune()`` or ``close()``. Opening checks the header only (constant time); ``PRAGMA quick_check``
(linear: ~330 ms at 1,000,000 entries) runs before the first write of a session or in ``check_integrity()``.

Thread safety: one connection per ``TranslationMemory``, opened with ``check_same_thread=False`` and guarded
by an internal re-entrant lock, so any thread may call any method; calls are serialised. Each call holds the
lock for one short SQL statement or transaction (a ~300-sentence lookup or store takes a few milliseconds),
except :meth:`~TranslationMemory.prune` and :meth:`~TranslationMemory.clear`, which VACUUM and belong on a
worker thread. :meth:`~TranslationMemory.export_tmx` takes the lock per chunk of 1000 rows, so lookups from the
GUI thread are never held up by an export. Several processes may share the file (WAL mode, busy timeout).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from translations_cache.tmx import TmxExportError, TmxUnit, TranslationCacheError, write_tmx

APPLICATION_ID = 0x59594E54  # "YYNT": marks a SQLite file as a Yanyana translation cache
SCHEMA_VERSION = 1

_LOOKUP_CHUNK = 500  # bound parameters per IN (...) list; SQLite's historical limit is 999
_EXPORT_CHUNK = 1000
# Lookups never write: last_used times of hits are collected in memory and written by the next store(),
# prune() or close() (normally on the worker thread). Only a very long read-only session flushes from lookup.
_TOUCH_FLUSH_AT = 20_000
_BUSY_TIMEOUT_S = 2.0
_OPEN_BUSY_RETRY_S = 15.0  # how long opening keeps retrying a file another process holds locked
_ROW_OVERHEAD = 40  # rough per-entry bytes beside the text (record header, ints, index entry)

# Primary SQLite result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26
_SQLITE_MAGIC = b"SQLite format 3\x00"

_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """
        CREATE TABLE pairs (
            id INTEGER PRIMARY KEY,
            from_code TEXT NOT NULL,
            to_code TEXT NOT NULL,
            model TEXT NOT NULL,
            UNIQUE (from_code, to_code, model)
        )
        """,
        """
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            pair_id INTEGER NOT NULL,
            src_hash INTEGER NOT NULL,
            source_norm TEXT NOT NULL,
            source TEXT,
            translation TEXT NOT NULL,
            created INTEGER NOT NULL,
            last_used INTEGER NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX entries_key ON entries (pair_id, src_hash)",
    ),
}

_LOOKUP_SQL = (
    "SELECT id, src_hash, source_norm, translation FROM entries "
    "WHERE pair_id = (SELECT id FROM pairs WHERE from_code = ? AND to_code = ? AND model = ?) "
    "AND src_hash IN ({marks})"
)
_UPSERT_SQL = (
    "INSERT INTO entries (pair_id, src_hash, source_norm, source, translation, created, last_used) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (pair_id, src_hash) DO UPDATE SET source_norm = excluded.source_norm, "
    "source = excluded.source, translation = excluded.translation, last_used = excluded.last_used"
)
_TOUCH_SQL = "UPDATE entries SET last_used = ? WHERE id = ? AND last_used < ?"
_ROW_BYTES_SQL = (
    f"length(CAST(source_norm AS BLOB)) + coalesce(length(CAST(source AS BLOB)), 0) "
    f"+ length(CAST(translation AS BLOB)) + {_ROW_OVERHEAD}"
)


class CacheWriteError(TranslationCacheError):
    """A translation could not be saved in the cache (read-only location, full disk, busy)."""


class _Damaged(Exception):
    """Internal: the file is not a usable translation cache and may be moved aside."""


class _Unusable(Exception):
    """Internal: the file cannot be used, but must not be moved aside; carries the warning sentence."""


def normalise_source(text: str) -> str:
    """The lookup key text: NFC, runs of whitespace collapsed to one space, stripped.

    Only Unicode whitespace collapses; format characters such as ZWNJ (U+200C), which change Persian words,
    are kept, so "می‌رود" and "میرود" are different keys.
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def _source_hash(normalised: str) -> int:
    digest = hashlib.blake2b(normalised.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _primary_code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _is_damage(exc: sqlite3.Error) -> bool:
    if _primary_code(exc) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    message = str(exc).lower()
    return "malformed" in message or "not a database" in message


def _is_busy(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc).lower() or "busy" in str(exc).lower()


def _is_bug(exc: sqlite3.Error) -> bool:
    """Programming errors (closed connection, bad SQL, constraint violations) must crash loudly."""
    return isinstance(exc, sqlite3.ProgrammingError | sqlite3.InterfaceError | sqlite3.IntegrityError)


def _writable(path: Path) -> bool:
    parent = path.parent
    if path.exists():
        return os.access(path, os.W_OK) and os.access(parent, os.W_OK)
    return os.access(parent, os.W_OK)


def _looks_like_sqlite(path: Path) -> bool:
    """An empty file (SQLite initialises it) or one that starts with the SQLite header and is as long as that
    header says (a constant-time stand-in for ``PRAGMA quick_check``, which is linear in the file's size)."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if header == b"":
        return True
    if not header.startswith(_SQLITE_MAGIC) or len(header) < 100:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] != header[92:96] or not pages:  # the in-header size is not valid for this version
        return True
    wal = path.with_name(path.name + "-wal")
    with contextlib.suppress(OSError):
        if wal.stat().st_size > 0:  # pages not yet checkpointed may live in the WAL
            return True
    return path.stat().st_size >= pages * page_size


class TranslationMemory:
    """Batch lookup and store of sentence translations in ``translations.db``; see the module docstring."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        """Open (creating if needed) the cache at ``path`` (the app passes ``reader.paths.translations_db()``;
        this package imports nothing from the app).

        ``readonly=True`` opens an existing file without ever writing to it (lookups only; store raises
        :class:`CacheWriteError`). It is also chosen automatically when the file or its folder is not
        writable. Never raises for a damaged or unusable file: see :attr:`warnings`.
        """
        self._path = Path(path)
        self._force_readonly = readonly
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._readonly = readonly
        self._in_memory = False
        self._touches: dict[int, int] = {}
        self._last_tick = 0
        self._hits = 0
        self._misses = 0
        self._verified = False  # PRAGMA quick_check passed (run before the first write, or check_integrity())
        self.warnings: list[str] = []
        with self._lock:
            try:
                self._open()
            except OSError as exc:
                self._open_memory(
                    f"The translation cache {self._path} could not be opened ({exc.strerror or exc}), so "
                    "translations are kept for this session only."
                )

    # ------------------------------------------------------------------ properties

    @property
    def path(self) -> Path:
        return self._path

    @property
    def readonly(self) -> bool:
        """True when new translations cannot be saved (read-only file or folder, or ``readonly=True``)."""
        return self._readonly

    @property
    def in_memory(self) -> bool:
        """True when the file could not be used and translations are cached for this session only."""
        return self._in_memory

    # ------------------------------------------------------------------ public API

    def lookup(self, sources: Sequence[str], from_code: str, to_code: str, model: str) -> dict[str, str]:
        """Return ``{source (as given): translation}`` for the sources found; misses are simply absent.

        Never raises for database trouble: a cache that turns out to be damaged is rebuilt (with a warning)
        and the lookup reports misses.
        """
        with self._lock:
            conn = self._require()
            groups: dict[str, list[str]] = {}  # normalised source -> sources as given
            seen: set[str] = set()
            for source in sources:
                if source in seen:
                    continue
                seen.add(source)
                normalised = normalise_source(source)
                if normalised:
                    groups.setdefault(normalised, []).append(source)
            wanted = {_source_hash(normalised): normalised for normalised in groups}
            hashes = list(wanted)
            found: dict[str, str] = {}
            hit_ids: list[int] = []
            try:
                for start in range(0, len(hashes), _LOOKUP_CHUNK):
                    chunk = hashes[start : start + _LOOKUP_CHUNK]
                    sql = _LOOKUP_SQL.format(marks=",".join("?" * len(chunk)))
                    for row_id, src_hash, normalised, translation in conn.execute(
                        sql, (from_code, to_code, model, *chunk)
                    ):
                        if wanted.get(src_hash) != normalised:
                            continue  # 64-bit hash collision: a different sentence, so a miss
                        for source in groups[normalised]:
                            found[source] = translation
                        hit_ids.append(row_id)
            except sqlite3.DatabaseError as exc:
                if _is_bug(exc):
                    raise
                self._after_read_error(exc)
            self._hits += len(found)
            self._misses += len(seen) - len(found)
            if hit_ids and not self._readonly:
                self._note_touches(hit_ids)
            return found

    def lookup_any(self, sources: Sequence[str], from_code: str, to_code: str) -> dict[str, tuple[str, str]]:
        """Like :meth:`lookup`, but from any model: ``{source: (translation, model)}``, the newest entry when
        several models translated a source. For showing what is known when the model that made it is gone."""
        with self._lock:
            conn = self._require()
            groups: dict[str, list[str]] = {}
            for source in dict.fromkeys(sources):
                normalised = normalise_source(source)
                if normalised:
                    groups.setdefault(normalised, []).append(source)
            wanted = {_source_hash(normalised): normalised for normalised in groups}
            hashes = list(wanted)
            best: dict[str, tuple[int, str, str]] = {}
            try:
                for start in range(0, len(hashes), _LOOKUP_CHUNK):
                    chunk = hashes[start : start + _LOOKUP_CHUNK]
                    sql = (
                        "SELECT e.src_hash, e.source_norm, e.translation, p.model, e.created FROM entries AS e "
                        "JOIN pairs AS p ON p.id = e.pair_id WHERE p.from_code = ? AND p.to_code = ? "
                        f"AND e.src_hash IN ({','.join('?' * len(chunk))})"
                    )
                    for src_hash, normalised, translation, model, created in conn.execute(
                        sql, (from_code, to_code, *chunk)
                    ):
                        if wanted.get(src_hash) != normalised:
                            continue
                        if normalised not in best or created > best[normalised][0]:
                            best[normalised] = (created, translation, model)
            except sqlite3.DatabaseError as exc:
                if _is_bug(exc):
                    raise
                self._after_read_error(exc)
            return {
                source: (translation, model)
                for normalised, (_, translation, model) in best.items()
                for source in groups[normalised]
            }

    def store(self, pairs: Iterable[tuple[str, str]], from_code: str, to_code: str, model: str) -> None:
        """Save ``(source, translation)`` pairs in one transaction, replacing earlier translations.

        Raises :class:`CacheWriteError` (one sentence) when the cache cannot be written; callers should
        catch it and carry on with the translation they already have.
        """
        with self._lock:
            self._require()
            if self._readonly:
                raise CacheWriteError(self._readonly_sentence())
            now = self._tick()
            rows: list[tuple[int, str, str | None, str, int, int]] = []
            for source, translation in pairs:
                normalised = normalise_source(source)
                if not normalised:
                    continue
                rows.append(
                    (
                        _source_hash(normalised),
                        normalised,
                        None if source == normalised else source,
                        translation,
                        now,
                        now,
                    )
                )
            if not rows:
                return

            def write(conn: sqlite3.Connection) -> None:
                pair_id = self._pair_id(conn, from_code, to_code, model)
                conn.executemany(_UPSERT_SQL, ((pair_id, *row) for row in rows))
                self._flush_touches(conn)

            self._write(write, retry_after_rebuild=True)

    def stats(self) -> dict[str, Any]:
        """Counts and size: ``entries``, ``pairs`` (list of ``{from, to, model, entries}``), ``bytes`` (file
        plus WAL on disk), ``path``, ``hits``/``misses`` (this session), ``readonly``, ``in_memory``."""
        with self._lock:
            conn = self._require()
            pairs: list[dict[str, Any]] = []
            total = 0
            try:
                rows = conn.execute(
                    "SELECT p.from_code, p.to_code, p.model, count(*) FROM entries AS e "
                    "JOIN pairs AS p ON p.id = e.pair_id GROUP BY e.pair_id "
                    "ORDER BY p.from_code, p.to_code, p.model"
                ).fetchall()
            except sqlite3.DatabaseError as exc:
                if _is_bug(exc):
                    raise
                self._after_read_error(exc)
                rows = []
            for from_code, to_code, model, count in rows:
                pairs.append({"from": from_code, "to": to_code, "model": model, "entries": count})
                total += count
            return {
                "entries": total,
                "pairs": pairs,
                "bytes": self._size_bytes(),
                "path": str(self._path),
                "hits": self._hits,
                "misses": self._misses,
                "readonly": self._readonly,
                "in_memory": self._in_memory,
            }

    def prune(self, max_bytes: int) -> int:
        """Delete least-recently-used entries until the cache takes at most ``max_bytes`` on disk (file plus
        WAL), VACUUM, and return how many entries were deleted. A cap below the size of an empty database
        empties it. Takes about a second for 100,000 entries: call it from a worker thread."""
        with self._lock:
            self._require()
            if self._readonly:
                raise CacheWriteError(self._readonly_sentence())
            self._write(self._flush_touches)
            self._checkpoint()
            if self._size_bytes() <= max_bytes:
                return 0
            deleted = 0
            for attempt in range(8):
                conn = self._require()  # a rebuild after damage replaces the connection
                page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
                pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
                free = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
                used = (pages - free) * page_size
                if used > max_bytes:
                    entries, payload = conn.execute(
                        f"SELECT count(*), coalesce(sum({_ROW_BYTES_SQL}), 0) FROM entries"
                    ).fetchone()
                    if entries:
                        empty = self._empty_bytes(conn)
                        disk_per_payload = max(used - empty, 1) / max(payload, 1)
                        # Aim a little lower on each attempt in case the estimate was optimistic.
                        budget = (max_bytes - empty) / disk_per_payload * (0.97 - 0.1 * attempt)
                        deleted += self._delete_beyond(budget)
                self._vacuum(self._require())
                if self._size_bytes() <= max_bytes or not self._has_entries():
                    break
            return deleted

    def export_tmx(
        self, path: str | os.PathLike[str], from_code: str | None = None, to_code: str | None = None
    ) -> int:
        """Write all entries (or those of one language pair / direction) as TMX 1.4b; return units written.

        The file is written to a temporary name and replaced atomically. Raises
        :class:`translations_cache.tmx.TmxExportError` (one sentence) when it cannot be written.
        """
        with self._lock:
            conn = self._require()
            where, params = self._pair_filter(from_code, to_code)
            try:
                languages = [
                    row[0]
                    for row in conn.execute(
                        "SELECT DISTINCT p.from_code FROM pairs AS p "
                        f"WHERE EXISTS (SELECT 1 FROM entries AS e WHERE e.pair_id = p.id) {where}",
                        params,
                    )
                ]
            except sqlite3.DatabaseError as exc:
                if _is_bug(exc):
                    raise
                raise TmxExportError(f"The translation cache could not be read ({exc}).") from exc
        srclang = from_code or (languages[0] if len(languages) == 1 else "*all*")
        return write_tmx(path, self._iter_units(where, params), srclang)

    def clear(self) -> None:
        """Delete every entry and shrink the file."""
        with self._lock:
            self._require()
            if self._readonly:
                raise CacheWriteError(self._readonly_sentence())

            def wipe(conn: sqlite3.Connection) -> None:
                conn.execute("DELETE FROM entries")
                conn.execute("DELETE FROM pairs")

            self._write(wipe, retry_after_rebuild=False)
            self._touches.clear()
            # The entries are gone; if the file cannot shrink now, it will at the next prune.
            with contextlib.suppress(CacheWriteError):
                self._vacuum(self._require())

    def check_integrity(self) -> bool:
        """``PRAGMA quick_check`` of the file (linear in its size: call it off the GUI thread). A damaged file
        is moved aside and rebuilt, with a warning, exactly as at open; returns whether it was healthy. It runs
        by itself before the first write of a session, so a damaged file is never written to."""
        with self._lock:
            if self._in_memory or self._conn is None:
                return True
            try:
                rows = self._conn.execute("PRAGMA quick_check").fetchall()
            except sqlite3.DatabaseError as exc:
                if not _is_damage(exc):
                    raise
                rows = [(str(exc),)]
            if [row[0] for row in rows] == ["ok"]:
                self._verified = True
                return True
            self._recover("was damaged")
            return False

    def close(self) -> None:
        """Save pending last-used times (best effort) and close the file. Safe to call twice."""
        with self._lock:
            if self._conn is None:
                return
            if self._touches and not self._readonly:
                with contextlib.suppress(CacheWriteError):
                    self._write(self._flush_touches)
            self._conn.close()
            self._conn = None

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "memory" if self._in_memory else ("ro" if self._readonly else "rw")
        return f"TranslationMemory({str(self._path)!r}, {mode})"

    # ------------------------------------------------------------------ opening and recovery

    def _open(self) -> None:
        path = self._path
        self._readonly = self._force_readonly
        self._in_memory = False
        if path.is_dir():
            self._open_memory(
                f"The translation cache {path} is a folder, not a file, so translations are kept for "
                "this session only."
            )
            return
        if not path.exists():
            if self._force_readonly:
                self._open_memory(None)  # nothing to read; an empty read-only cache
                return
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if not os.access(path.parent, os.W_OK):
                    raise PermissionError(f"{path.parent} is read-only")
            except OSError:
                self._open_memory(
                    f"The translation cache could not be created at {path}, so translations are kept for "
                    "this session only."
                )
                return
        elif not os.access(path, os.R_OK):
            self._recover("could not be read")
            return
        elif not _looks_like_sqlite(path):
            # Decided before SQLite opens it: SQLite would adopt (and on close delete) a -wal file beside it.
            self._recover("was damaged")
            return
        self._readonly = self._force_readonly or not _writable(path)
        try:
            self._connect_file()
        except _Damaged:
            self._recover("was damaged")
        except _Unusable as exc:
            self._open_memory(str(exc))
        except sqlite3.DatabaseError as exc:
            if _is_damage(exc):
                self._recover("was damaged")
            else:
                self._open_memory(
                    f"The translation cache {path} could not be opened ({exc}), so translations are kept "
                    "for this session only."
                )

    def _connect_file(self) -> None:
        """Open the file and check it; raises _Damaged, _Unusable or sqlite3 errors (connection closed)."""
        if self._readonly:
            uri = self._path.resolve().as_uri()
            # A WAL database in a read-only folder cannot create its -shm file: then read it as immutable.
            targets = [(uri + "?mode=ro", True), (uri + "?mode=ro&immutable=1", True)]
        else:
            targets = [(str(self._path), False)]
        deadline = time.monotonic() + _OPEN_BUSY_RETRY_S
        index = 0
        while index < len(targets):
            target, uri_flag = targets[index]
            try:
                self._conn = self._connect(target, uri=uri_flag)
                self._check_and_migrate(self._conn)
                return
            except sqlite3.OperationalError as exc:
                self._close_quietly()
                if _is_busy(exc) and time.monotonic() < deadline:
                    # Another process or window is creating or checking the same file: SQLite does not
                    # always call the busy handler (WAL recovery, journal-mode switch), so wait and retry.
                    time.sleep(0.05)
                    continue
                if _is_damage(exc) or index == len(targets) - 1:
                    raise
                index += 1
            except BaseException:
                self._close_quietly()
                raise

    def _connect(self, target: str, *, uri: bool) -> sqlite3.Connection:
        return sqlite3.connect(
            target, timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False, uri=uri
        )

    def _check_and_migrate(self, conn: sqlite3.Connection) -> None:
        # One read transaction, so the identity checks see one snapshot: read one by one, another process's
        # first open could commit its schema between them and a healthy new cache would look foreign.
        conn.execute("BEGIN")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").fetchone()[0]
        finally:
            self._rollback_quietly(conn)
        # Linear in the file's size: checked in the background (check_integrity) or before the first write,
        # not here on the start-up path; the header was checked before SQLite opened the file.
        self._verified = False
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables > 0):
            raise _Damaged("not a translation cache")
        if version > SCHEMA_VERSION:
            raise _Unusable(
                f"The translation cache {self._path} was made by a newer version of Yanyana, so "
                "translations are kept for this session only."
            )
        if self._readonly:
            if version < SCHEMA_VERSION:
                if tables == 0:  # an empty file: nothing to read
                    self._close_quietly()
                    self._open_memory(None)
                    return
                raise _Unusable(
                    f"The translation cache {self._path} is read-only and in an older format, so "
                    "translations are kept for this session only."
                )
            return
        # Some file systems cannot do WAL; SQLite then keeps its rollback journal, which also works.
        # Switching needs an exclusive lock, so only switch when the file is not in WAL mode yet.
        if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # the cache is disposable: no fsync per commit
        if version < SCHEMA_VERSION:
            self._migrate(conn, version)

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have created the schema while we waited for the write lock.
            version = max(version, int(conn.execute("PRAGMA user_version").fetchone()[0]))
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[target]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
        except BaseException:
            self._rollback_quietly(conn)
            raise

    def _open_memory(self, warning: str | None) -> None:
        self._close_quietly()
        if warning:
            self._warn(warning)
        self._conn = self._connect(":memory:", uri=False)
        self._in_memory = True
        self._migrate(self._conn, 0)

    def _recover(self, what: str) -> None:
        """Move the damaged file aside and start a new one (or fall back to memory if that is impossible)."""
        self._close_quietly()
        self._touches.clear()
        if self._force_readonly or not os.access(self._path.parent, os.W_OK):
            self._open_memory(
                f"The translation cache {self._path} {what} and cannot be replaced in a read-only "
                "location, so translations are kept for this session only."
            )
            return
        try:
            aside = self._move_aside()
        except OSError as exc:
            self._open_memory(
                f"The translation cache {self._path} {what} and could not be moved aside "
                f"({exc.strerror or exc}), so translations are kept for this session only."
            )
            return
        self._warn(f"The translation cache {what}; it was moved to {aside.name} and rebuilt.")
        self._readonly = False
        self._in_memory = False
        try:
            self._connect_file()
        except (sqlite3.Error, _Damaged, _Unusable) as exc:
            self._open_memory(
                f"The translation cache could not be rebuilt at {self._path} ({exc}), so translations are "
                "kept for this session only."
            )

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        base = self._path.with_name(f"{self._path.name}.corrupt-{stamp}")
        aside = base
        counter = 1
        while aside.exists() or aside.with_name(aside.name + "-wal").exists():
            aside = base.with_name(f"{base.name}-{counter}")
            counter += 1
        os.replace(self._path, aside)
        for suffix in ("-wal", "-shm", "-journal"):
            companion = self._path.with_name(self._path.name + suffix)
            if companion.exists():
                try:
                    os.replace(companion, aside.with_name(aside.name + suffix))
                except OSError:
                    companion.unlink(missing_ok=True)
        return aside

    def _after_read_error(self, exc: sqlite3.Error) -> None:
        if _is_damage(exc) and not self._in_memory:
            self._recover("was damaged")
        else:
            self._warn(f"The translation cache could not be read ({exc}).")

    # ------------------------------------------------------------------ writing helpers

    def _write(
        self, work: Callable[[sqlite3.Connection], None], *, retry_after_rebuild: bool = False
    ) -> None:
        """Run ``work`` in one IMMEDIATE transaction, turning write failures into CacheWriteError."""
        if (
            not self._verified
            and not self._readonly
            and not self.check_integrity()
            and not retry_after_rebuild
        ):
            return
        for attempt in (0, 1):
            conn = self._require()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    work(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    self._rollback_quietly(conn)
                    raise
                return
            except sqlite3.DatabaseError as exc:
                if _is_bug(exc):
                    raise
                if _is_damage(exc) and not self._in_memory and attempt == 0:
                    self._recover("was damaged")
                    if retry_after_rebuild and not self._readonly:
                        continue
                    return
                raise CacheWriteError(self._write_sentence(exc)) from exc

    def _pair_id(self, conn: sqlite3.Connection, from_code: str, to_code: str, model: str) -> int:
        conn.execute(
            "INSERT INTO pairs (from_code, to_code, model) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (from_code, to_code, model),
        )
        row = conn.execute(
            "SELECT id FROM pairs WHERE from_code = ? AND to_code = ? AND model = ?",
            (from_code, to_code, model),
        ).fetchone()
        return int(row[0])

    def _tick(self) -> int:
        """Microseconds since the epoch, strictly increasing within this object (so LRU order is exact)."""
        now = max(time.time_ns() // 1000, self._last_tick + 1)
        self._last_tick = now
        return now

    def _note_touches(self, ids: list[int]) -> None:
        now = self._tick()
        for row_id in ids:
            self._touches[row_id] = now
        if len(self._touches) >= _TOUCH_FLUSH_AT:
            try:
                self._write(self._flush_touches)
            except CacheWriteError:
                self._touches.clear()  # LRU order is a hint; never let it grow without bound

    def _flush_touches(self, conn: sqlite3.Connection) -> None:
        if not self._touches:
            return
        # In id order, so the updates walk the table's pages once.
        touches = sorted(self._touches.items())
        conn.executemany(_TOUCH_SQL, ((ts, row_id, ts) for row_id, ts in touches))
        self._touches.clear()

    def _delete_beyond(self, budget: float) -> int:
        """Keep the most recently used entries whose sizes add up to ``budget``; delete the rest."""
        deleted = 0

        def delete(conn: sqlite3.Connection) -> None:
            nonlocal deleted
            if budget <= 0:
                cursor = conn.execute("DELETE FROM entries")
            else:
                cursor = conn.execute(
                    "DELETE FROM entries WHERE id IN (SELECT id FROM (SELECT id, "
                    f"sum({_ROW_BYTES_SQL}) OVER (ORDER BY last_used DESC, id DESC) AS kept FROM entries) "
                    "WHERE kept > ?)",
                    (budget,),
                )
            deleted = cursor.rowcount
            conn.execute("DELETE FROM pairs WHERE id NOT IN (SELECT DISTINCT pair_id FROM entries)")

        self._write(delete)
        return deleted

    def _vacuum(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("VACUUM")
        except sqlite3.DatabaseError as exc:
            if _is_bug(exc):
                raise
            raise CacheWriteError(self._write_sentence(exc)) from exc
        self._checkpoint()

    def _checkpoint(self) -> None:
        """Copy the WAL into the file and truncate it (best effort: another reader may hold it)."""
        if self._in_memory or self._conn is None:
            return
        with contextlib.suppress(sqlite3.OperationalError):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def _has_entries(self) -> bool:
        return self._require().execute("SELECT 1 FROM entries LIMIT 1").fetchone() is not None

    # ------------------------------------------------------------------ reading helpers

    def _pair_filter(self, from_code: str | None, to_code: str | None) -> tuple[str, tuple[str, ...]]:
        clauses: list[str] = []
        params: list[str] = []
        if from_code is not None:
            clauses.append("AND p.from_code = ?")
            params.append(from_code)
        if to_code is not None:
            clauses.append("AND p.to_code = ?")
            params.append(to_code)
        return " ".join(clauses), tuple(params)

    def _iter_units(self, where: str, params: tuple[str, ...]) -> Iterator[TmxUnit]:
        last_id = 0
        while True:
            with self._lock:
                conn = self._require()
                try:
                    rows = conn.execute(
                        "SELECT e.id, p.from_code, p.to_code, p.model, coalesce(e.source, e.source_norm), "
                        "e.translation, e.created, e.last_used FROM entries AS e "
                        f"JOIN pairs AS p ON p.id = e.pair_id WHERE e.id > ? {where} ORDER BY e.id LIMIT ?",
                        (last_id, *params, _EXPORT_CHUNK),
                    ).fetchall()
                except sqlite3.DatabaseError as exc:
                    if _is_bug(exc):
                        raise
                    raise TmxExportError(f"The translation cache could not be read ({exc}).") from exc
            if not rows:
                return
            for row_id, from_code, to_code, model, source, translation, created, last_used in rows:
                last_id = row_id
                yield TmxUnit(
                    source_lang=from_code,
                    target_lang=to_code,
                    source=source,
                    target=translation,
                    props=(("x-model", model),),
                    creationdate=datetime.fromtimestamp(created / 1e6, UTC),
                    lastusagedate=datetime.fromtimestamp(last_used / 1e6, UTC),
                )

    def _size_bytes(self) -> int:
        conn = self._require()
        if self._in_memory:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            return int(pages) * int(conn.execute("PRAGMA page_size").fetchone()[0])
        total = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                total += os.stat(str(self._path) + suffix).st_size
        return total

    def _empty_bytes(self, conn: sqlite3.Connection) -> int:
        """Size of this schema with no rows: one page per table/index plus the schema page."""
        btrees = conn.execute("SELECT count(*) FROM sqlite_schema WHERE rootpage > 0").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        return (int(btrees) + 1) * int(page_size)

    # ------------------------------------------------------------------ small helpers

    def _require(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("The translation cache is closed.")
        return self._conn

    def _warn(self, sentence: str) -> None:
        if sentence not in self.warnings:
            self.warnings.append(sentence)

    def _readonly_sentence(self) -> str:
        return f"The translation cache {self._path} is read-only, so new translations are not being saved."

    def _write_sentence(self, exc: sqlite3.Error) -> str:
        code = _primary_code(exc)
        if code == _SQLITE_FULL:
            return "The disk is full, so new translations could not be saved in the translation cache."
        if code in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
            return self._readonly_sentence()
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return (
                "The translation cache is busy in another Yanyana window, so this translation was not saved."
            )
        return f"The translation cache {self._path} could not be written ({exc})."

    def _close_quietly(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    @staticmethod
    def _rollback_quietly(conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
