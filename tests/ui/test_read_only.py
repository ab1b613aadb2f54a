"""A library on a read-only medium (a locked USB stick, a mounted archive) opens read-only in the window: the
article is readable and search works, every action that would write is disabled and says why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.core.store import library as library_module
from reader.core.store.library import Library
from reader.core.store.search import search
from reader.ui.main_window import MainWindow
from tests.ui.support import start_and_settle


def test_a_read_only_library_reads_and_disables_every_writing_action(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch, yanyana_home: Path
) -> None:
    with Library() as library:  # seeded while writable, as a stick prepared on another machine would be
        titles = [d.title for d in library.documents()]
    before = (yanyana_home / "library.db").read_bytes()
    # What statvfs says of a read-only mount (the real thing needs a mount; tests/core/store/test_faults.py has it)
    monkeypatch.setattr(library_module, "read_only_reason", lambda _path: "it is on a read-only medium")

    window = make_window()
    start_and_settle(qtbot, window)
    assert window.read_only == "it is on a read-only medium"
    assert window.reader.document is not None  # the article is readable
    for name in MainWindow.WRITING_ACTIONS:
        action = window.menu_actions.get(name)
        if action is not None:
            assert not action.isEnabled(), name
            assert "read-only" in action.statusTip(), name
    for action in [*window.reader.highlight_actions.values(), window.reader.note_action]:
        assert not action.isEnabled()
    assert not window.corrections.edit_action.isEnabled()
    assert not window.library_panel.import_button.isEnabled()
    assert not window.library_panel.remove_button.isEnabled()
    assert window.status.read_only_label.isVisible()
    assert "read-only medium" in window.status.read_only_label.toolTip()
    # reading actions stay: find, export, search
    for name in ("find", "export", "search"):
        assert window.menu_actions[name].isEnabled(), name
    with Library(seed=False) as library:
        assert search(library, titles[0].split()[0])  # search reads a read-only library
    assert (yanyana_home / "library.db").read_bytes() == before  # nothing was written


def test_a_writable_library_keeps_its_actions(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    assert window.read_only is None
    assert window.menu_actions["import"].isEnabled()
    assert all(action.isEnabled() for action in window.reader.highlight_actions.values())
    assert not window.status.read_only_label.isVisible()
