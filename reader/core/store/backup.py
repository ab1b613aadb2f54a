"""Backups of library.db: daily, seven kept, through SQLite's online backup API; restore without losing anything.

* :func:`backup_if_due` (at start-up) makes at most one backup per UTC calendar day, from a library that passed
  ``PRAGMA quick_check``, and keeps the newest :data:`KEEP` backups.
* :func:`open_checked` opens the library and runs ``PRAGMA quick_check``; a damaged library raises
  :class:`LibraryDamaged` and the file is left exactly as it is. The window opens with :func:`open_unchecked`
  (reading only) and runs :func:`check_opened` in the background before its first write.
* :func:`restore` (and :func:`restore_newest_good`) moves the current ``library.db`` — with its ``-wal`` and
  ``-shm`` files, which belong to it — aside under a ``.damaged-<time>`` name, never overwriting or deleting it,
  then puts a verified copy of the backup in its place.

Backups are named ``library-<YYYYMMDDTHHMMSS>Z.db`` in :func:`reader.paths.backups_dir`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reader import paths
from reader.core.store.library import Library, LibraryError, LibraryUnreadable

KEEP = 7
_NAME = re.compile(r"^library-(\d{8}T\d{6})Z\.db$")


class BackupError(LibraryError):
    """A backup or restore that cannot be done; ``str()`` is one sentence."""


class LibraryDamaged(LibraryError):
    """library.db failed its check; the file was left untouched. ``newest_good`` names a backup to offer."""

    def __init__(self, message: str, path: Path, newest_good: Path | None) -> None:
        super().__init__(message)
        self.path = path
        self.newest_good = newest_good


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    size: int


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    library: Path
    kept_aside: tuple[Path, ...]  # the previous library.db (and its -wal/-shm), moved aside, never deleted


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S")


def list_backups(directory: Path | None = None) -> list[BackupInfo]:
    """Backups in ``directory`` (default: the home's backups folder), newest first."""
    folder = directory or paths.backups_dir()
    if not folder.is_dir():
        return []
    out = []
    for f in folder.iterdir():
        m = _NAME.match(f.name)
        if m and f.is_file():
            created = datetime.strptime(m.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            out.append(BackupInfo(f, created, f.stat().st_size))
    return sorted(out, key=lambda b: b.created, reverse=True)


def check_file(path: Path) -> str:
    """``PRAGMA quick_check`` of a database file, opened read-only (``"ok"`` when healthy)."""
    if not path.is_file():
        return "missing"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
        has_documents = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'"
        ).fetchone()
        result = "; ".join(str(r[0]) for r in rows)
        if result == "ok" and not has_documents:
            return "not a Yanyana library"
        return result
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()


def backup_now(library: Library, directory: Path | None = None, keep: int = KEEP) -> Path:
    """Copy the library through SQLite's backup API into a new, verified backup file; rotate old ones."""
    folder = directory or paths.backups_dir()
    health = library.quick_check()
    if health != "ok":
        raise BackupError(
            f"The library failed its check ({health}); no backup was made, the old ones are kept."
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".library-", suffix=".tmp")
        os.close(fd)
    except OSError as exc:
        raise BackupError(f"Cannot write backups to {folder}: {exc.strerror or exc}.") from exc
    try:
        dest = sqlite3.connect(tmp)
        try:
            library.conn.backup(dest)
            # A standalone file: the copy of a WAL database is in WAL mode too, and every later read-only open
            # (the check below, the restore dialog) would leave -wal/-shm files in backups/.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        if check_file(Path(tmp)) != "ok":
            raise BackupError("The backup copy failed its check; it was discarded.")
        now = datetime.now(UTC)
        target = folder / f"library-{_stamp(now)}Z.db"
        n = 1
        while target.exists():  # two backups in the same second
            target = folder / f"library-{_stamp(now.replace(second=(now.second + n) % 60))}Z.db"
            n += 1
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        _unlink(tmp)
        raise BackupError(f"The backup could not be written to {folder}: {exc}.") from exc
    except BaseException:
        _unlink(tmp)
        raise
    finally:
        for suffix in ("-wal", "-shm", "-journal"):
            _unlink(tmp + suffix)
    rotate(folder, keep)
    return target


def rotate(directory: Path | None = None, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups, and the -wal/-shm files older versions left beside backups;
    returns the deleted paths."""
    removed = []
    for info in list_backups(directory)[keep:]:
        try:
            info.path.unlink()
            removed.append(info.path)
        except OSError:
            pass
    folder = directory or paths.backups_dir()
    for leftover in sorted(folder.glob("library-*Z.db-wal")) + sorted(folder.glob("library-*Z.db-shm")):
        try:
            leftover.unlink()
            removed.append(leftover)
        except OSError:
            pass
    return removed


@dataclass(frozen=True)
class BackupContents:
    """What a backup holds (for the restore dialog)."""

    documents: int
    notes: int  # highlights and notes (annotations)
    problem: str = ""  # why it could not be read ("" when it could)


def backup_contents(path: Path) -> BackupContents:
    """Count the documents and annotations of a backup, opened read-only (immutable: nothing is written)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        return BackupContents(0, 0, str(exc))
    try:
        documents = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        notes = int(conn.execute("SELECT count(*) FROM annotations").fetchone()[0])
        return BackupContents(documents, notes)
    except sqlite3.Error as exc:
        return BackupContents(0, 0, str(exc))
    finally:
        conn.close()


def newest_backup_age(directory: Path | None = None) -> float | None:
    """Seconds since the newest backup was made (None: there is none)."""
    backups = list_backups(directory)
    if not backups:
        return None
    return (datetime.now(UTC) - backups[0].created).total_seconds()


def backup_if_due(library: Library, directory: Path | None = None, keep: int = KEEP) -> Path | None:
    """Make today's backup unless one was made today (UTC); ``None`` when none was due."""
    backups = list_backups(directory)
    today = datetime.now(UTC).date()
    if backups and backups[0].created.date() >= today:
        return None
    return backup_now(library, directory, keep)


def newest_good_backup(directory: Path | None = None) -> Path | None:
    """The newest backup that passes ``quick_check``."""
    for info in list_backups(directory):
        if check_file(info.path) == "ok":
            return info.path
    return None


def open_checked(path: Path | None = None, *, seed: bool = True, check: bool = True) -> Library:
    """Open the library and (``check``) ``PRAGMA quick_check`` it. A file that exists but is not a usable
    library (empty, truncated, not SQLite, damaged) raises :class:`LibraryDamaged` — the file untouched, never
    replaced by a new library — naming the newest verified backup to offer. Only a missing file starts a new
    library. A read-only library opens read-only (``library.read_only`` says why)."""
    library = open_unchecked(path, seed=seed)
    return check_opened(library) if check else library


def open_unchecked(path: Path | None = None, *, seed: bool = True) -> Library:
    """Open the library for reading without the full check (the window's start-up path: ``quick_check`` is
    linear in the file's size, so it runs in the background, before anything writes — :func:`check_opened`).

    A file that exists but is not a library (empty, truncated, not SQLite, unreadable) still raises
    :class:`LibraryDamaged`, untouched; storage faults (locked, read-only …) keep their own sentence."""
    target = Path(path) if path is not None else paths.library_db()
    try:
        return Library(target, seed=seed)
    except LibraryUnreadable as exc:
        raise damaged(str(exc), target) from exc


def check_opened(library: Library) -> Library:
    """``PRAGMA quick_check`` an open library: itself when it is sound, else it is closed and
    :class:`LibraryDamaged` raised (file untouched, the newest good backup named)."""
    try:
        health = library.quick_check()
    except sqlite3.DatabaseError as exc:
        health = str(exc)
    if health != "ok":
        library.close()
        raise damaged(
            f"The library file {library.path} is damaged ({health}); it was left untouched.", library.path
        )
    return library


def damaged(message: str, target: Path) -> LibraryDamaged:
    """:class:`LibraryDamaged` whose one sentence also offers the newest verified backup."""
    newest = newest_good_backup()
    offer = (
        f"the newest verified backup is {newest} (`yanyana backup restore` puts it back and keeps this file aside)"
        if newest is not None
        else f"there is no verified backup in {paths.backups_dir()}"
    )
    sentence = " ".join(message.split())  # quick_check reports its findings on several lines
    return LibraryDamaged(f"{sentence.rstrip('.')}; {offer}.", target, newest)


def restore(backup: Path, target: Path | None = None) -> RestoreResult:
    """Replace the library with a backup. Close every :class:`Library` on ``target`` first.

    The current file (and its ``-wal``/``-shm``) is moved aside, never overwritten or deleted; the backup is
    verified, copied to a temporary file beside the library and moved into place."""
    library = Path(target) if target is not None else paths.library_db()
    backup = Path(backup)
    health = check_file(backup)
    if health != "ok":
        raise BackupError(f"The backup {backup.name} cannot be used ({health}).")
    library.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(dir=library.parent, prefix=".library-restore-", suffix=".tmp")
        os.close(fd)
        shutil.copyfile(backup, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
    except OSError as exc:
        raise BackupError(f"Cannot restore into {library.parent}: {exc.strerror or exc}.") from exc
    if check_file(Path(tmp)) != "ok":
        _unlink(tmp)
        raise BackupError(f"The copy of {backup.name} failed its check; nothing was changed.")
    stamp = _stamp(datetime.now(UTC))
    kept: list[Path] = []
    try:
        for suffix in ("", "-wal", "-shm"):
            current = library.with_name(library.name + suffix)
            if current.exists():
                aside = library.with_name(f"{library.name}.damaged-{stamp}{suffix}")
                n = 1
                while aside.exists():
                    aside = library.with_name(f"{library.name}.damaged-{stamp}-{n}{suffix}")
                    n += 1
                os.replace(current, aside)
                kept.append(aside)
        os.replace(tmp, library)
    except OSError as exc:
        _unlink(tmp)
        raise BackupError(f"The restore could not be completed: {exc.strerror or exc}.") from exc
    return RestoreResult(backup, library, tuple(kept))


def restore_newest_good(target: Path | None = None) -> RestoreResult:
    """Restore the newest backup that passes its check (see :func:`restore`)."""
    backup = newest_good_backup()
    if backup is None:
        raise BackupError(f"There is no usable backup in {paths.backups_dir()}.")
    return restore(backup, target)


def _unlink(name: str | Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)
