"""Backups you can trust: Back up now, a backup on quit after a session that changed notes (at most one an
hour), the restore dialog defaulting to Cancel and saying what each backup holds, no temp files left."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from reader import paths
from reader.core.store import backup
from reader.core.store.library import Library
from reader.ui.main_window import MainWindow
from tests.ui.support import start_and_settle


def leftovers() -> list[str]:
    """Anything in backups/ that is not a backup file (temp files, -wal, -shm)."""
    return sorted(
        p.name for p in paths.backups_dir().iterdir() if not backup._NAME.match(p.name)
    ) if paths.backups_dir().is_dir() else []  # fmt: skip


def age_backups(hours: float) -> None:
    """Make every backup look ``hours`` older (a backup's time is its name)."""
    for info in reversed(backup.list_backups()):  # oldest first: a new name never lands on an older file
        older = info.created - timedelta(hours=hours)
        info.path.rename(info.path.with_name(f"library-{older.strftime('%Y%m%dT%H%M%S')}Z.db"))


def add_note(qtbot: QtBot, window: MainWindow, text: str) -> None:
    doc = window.reader.document
    assert doc is not None
    with qtbot.waitSignal(window.events.sig_changed, timeout=10_000):
        window.notes_panel.add_annotation(doc.doc_id, 0, 10, note=text)


def test_back_up_now_leaves_only_the_backup(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window()
    with qtbot.waitSignal(window.sig_backup_done, timeout=30_000):  # the daily one
        start_and_settle(qtbot, window)
    before = len(backup.list_backups())
    with qtbot.waitSignal(window.sig_backup_done, timeout=30_000) as done:
        window.menu_actions["backup"].trigger()
    made = Path(done.args[0])
    assert made.exists() and backup.check_file(made) == "ok"
    assert len(backup.list_backups()) == before + 1
    assert leftovers() == []  # no .tmp, no -wal/-shm beside the copies, even after they were checked
    assert "Backed up the library" in window.status.currentMessage()


def test_a_session_that_changed_notes_is_backed_up_on_quit_at_most_hourly(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    with qtbot.waitSignal(window.sig_backup_done, timeout=30_000):
        start_and_settle(qtbot, window)
    age_backups(2)  # the start-up backup is from two hours ago
    add_note(qtbot, window, "written after the last backup")
    window.close()
    newest = backup.list_backups()[0]
    assert datetime.now(UTC) - newest.created < timedelta(minutes=5)
    assert backup.backup_contents(newest.path).notes == 1
    count = len(backup.list_backups())

    # within the hour: no second backup on quit; a session without changes: none either
    again = make_window()
    start_and_settle(qtbot, again)
    add_note(qtbot, again, "another one")
    again.close()
    assert len(backup.list_backups()) == count
    age_backups(2)
    quiet = make_window()
    start_and_settle(qtbot, quiet)
    quiet.close()
    assert len(backup.list_backups()) == count
    assert leftovers() == []


def test_the_restore_dialog_defaults_to_cancel_and_says_what_each_backup_holds(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.ui import dialogs

    window = make_window()
    start_and_settle(qtbot, window)
    add_note(qtbot, window, "one note")
    with Library(seed=False) as library:
        documents = len(library.documents())
        backup.backup_now(library)
    seen: list[dialogs.RestoreDialog] = []

    def fake_exec(dialog: dialogs.RestoreDialog) -> int:
        seen.append(dialog)
        return int(QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(dialogs.RestoreDialog, "exec", fake_exec)
    window.menu_actions["restore"].trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    dialog = seen[0]
    assert dialog.cancel_button.isDefault() and not dialog.restore_button.isDefault()
    assert not dialog.restore_button.autoDefault()
    newest = dialog.list.item(0).text()
    assert f"{documents} documents, 1 highlight or note" in newest
    assert window.reader.document is not None  # nothing was restored
