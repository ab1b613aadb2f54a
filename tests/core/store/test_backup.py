"""Backups of library.db: made through SQLite's backup API, rotated, verified; a damaged library is never
overwritten, and the newest good backup can be restored."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader import paths
from reader.core.store import backup
from reader.core.store.annotations import Annotations
from reader.core.store.library import Library, LibraryError


def _library_with_note(note: str = "precious") -> tuple[Library, int]:
    lib = Library()
    doc = lib.documents()[0]
    ann = Annotations(lib).add(doc.id, 0, 5, note=note)
    return lib, ann.id


def test_backup_is_a_verified_copy_with_the_notes() -> None:
    lib, ann_id = _library_with_note()
    try:
        path = backup.backup_now(lib)
    finally:
        lib.close()
    assert path.parent == paths.backups_dir()
    assert backup.check_file(path) == "ok"
    with Library(path, seed=False) as copy:
        assert Annotations(copy).get(ann_id).note == "precious"


def test_daily_and_keeps_seven() -> None:
    lib, _ = _library_with_note()
    try:
        first = backup.backup_if_due(lib)
        assert first is not None
        assert backup.backup_if_due(lib) is None  # one a day
        # eight older backups from previous days
        folder = paths.backups_dir()
        for days in range(1, 9):
            day = datetime.now(UTC) - timedelta(days=days)
            shutil.copyfile(first, folder / f"library-{day.strftime('%Y%m%dT%H%M%S')}Z.db")
        made = backup.backup_now(lib)
    finally:
        lib.close()
    kept = backup.list_backups()
    assert len(kept) == backup.KEEP
    assert kept[0].path == made
    assert kept[-1].created.date() == (datetime.now(UTC) - timedelta(days=5)).date()


def test_yesterdays_backup_makes_one_due() -> None:
    lib, _ = _library_with_note()
    try:
        made = backup.backup_now(lib)
        yesterday = datetime.now(UTC) - timedelta(days=1)
        made.rename(made.with_name(f"library-{yesterday.strftime('%Y%m%dT%H%M%S')}Z.db"))
        assert backup.backup_if_due(lib) is not None
    finally:
        lib.close()


def _damage(path: Path) -> None:
    """Overwrite the middle of the file (past the header) with garbage, as a bad sector or a bad copy would."""
    data = bytearray(path.read_bytes())
    assert len(data) > 8192
    data[4096:8192] = b"\xde\xad\xbe\xef" * 1024
    path.write_bytes(bytes(data))


def test_a_damaged_library_is_kept_and_the_newest_good_backup_restored() -> None:
    lib, ann_id = _library_with_note("from the backup")
    backup.backup_now(lib)
    lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    lib.close()
    db = paths.library_db()
    _damage(db)
    damaged_bytes = db.read_bytes()

    with pytest.raises(backup.LibraryDamaged) as caught:
        backup.open_checked()
    assert isinstance(caught.value, LibraryError)
    assert "damaged" in str(caught.value) and "\n" not in str(caught.value)
    assert caught.value.newest_good == backup.list_backups()[0].path
    assert db.read_bytes() == damaged_bytes  # never overwritten

    result = backup.restore_newest_good()
    assert result.kept_aside and result.kept_aside[0].read_bytes() == damaged_bytes
    with backup.open_checked() as restored:
        assert Annotations(restored).get(ann_id).note == "from the backup"
        assert restored.integrity_check() == "ok"


def test_garbage_instead_of_a_library_is_not_touched() -> None:
    db = paths.ensure_home() / "library.db"
    db.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(backup.LibraryDamaged) as caught:
        backup.open_checked()
    assert caught.value.newest_good is None
    assert db.read_bytes() == b"this is not a database at all" * 100
    with pytest.raises(backup.BackupError, match="no usable backup"):
        backup.restore_newest_good()
    assert db.read_bytes() == b"this is not a database at all" * 100


def test_a_damaged_backup_is_never_restored() -> None:
    lib, _ = _library_with_note()
    try:
        made = backup.backup_now(lib)
    finally:
        lib.close()
    _damage(made)
    before = paths.library_db().read_bytes()
    with pytest.raises(backup.BackupError, match="cannot be used"):
        backup.restore(made)
    assert paths.library_db().read_bytes() == before
    assert backup.newest_good_backup() is None
