"""The notes panel (pytest-qt, offscreen): listing, filters, jump, autosaving notes, delete and undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.core.store.annotations import Annotations
from reader.core.store.library import Library
from reader.ui.notes_panel import NotesPanel
from reader.ui.tasks import TaskManager

FA_SEED = "001_16b6482d6bae7f5d.txt"


@pytest.fixture
def tasks(qtbot: QtBot) -> TaskManager:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def library() -> Library:
    lib = Library()
    yield lib
    lib.close()


@pytest.fixture
def panel(qtbot: QtBot, tasks: TaskManager) -> NotesPanel:
    widget = NotesPanel(tasks, autosave_ms=50)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.close_store()
    tasks.wait()


def _fa(lib: Library) -> int:
    return next(d.id for d in lib.documents() if Path(d.source).name == FA_SEED)


def _span(lib: Library, doc: int, needle: str) -> tuple[int, int]:
    start = lib.get(doc).text.index(needle)
    return start, start + len(needle)


def _wait_count(qtbot: QtBot, panel: NotesPanel, n: int) -> None:
    qtbot.waitUntil(lambda: panel.list.count() == n, timeout=5000)


def test_lists_filters_and_jumps(qtbot: QtBot, panel: NotesPanel, library: Library) -> None:
    doc = _fa(library)
    other = next(d.id for d in library.documents() if d.id != doc)
    store = Annotations(library)
    a = store.add(doc, *_span(library, doc, "صلح پایدار"), color="green", note="peace", tags=["claims"])
    store.add(doc, *_span(library, doc, "باکو"), color="red")
    store.add(other, 0, 5, color="green")
    panel.set_document(doc)
    _wait_count(qtbot, panel, 2)
    panel.color_filter.setCurrentIndex(panel.color_filter.findData("green"))
    _wait_count(qtbot, panel, 1)
    panel.scope.setCurrentIndex(panel.scope.findData("library"))
    _wait_count(qtbot, panel, 2)
    panel.color_filter.setCurrentIndex(0)
    panel.tag_filter.setCurrentIndex(panel.tag_filter.findData("claims"))
    _wait_count(qtbot, panel, 1)
    panel.tag_filter.setCurrentIndex(0)
    _wait_count(qtbot, panel, 3)
    panel.text_filter.setText("PEACE")
    _wait_count(qtbot, panel, 1)
    item = panel.list.item(0)
    with qtbot.waitSignal(panel.sig_jump, timeout=2000) as jumped:
        rect = panel.list.visualItemRect(item)
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert jumped.args == [doc, "original", a.start, a.end]


def test_note_autosaves_and_undo_restores(qtbot: QtBot, panel: NotesPanel, library: Library) -> None:
    doc = _fa(library)
    store = Annotations(library)
    ann = store.add(doc, *_span(library, doc, "باکو"), note="first")
    panel.set_document(doc)
    _wait_count(qtbot, panel, 1)
    panel.list.setCurrentRow(0)
    assert panel.note_edit.toPlainText() == "first"
    panel.note_edit.setFocus()
    panel.note_edit.selectAll()
    with qtbot.waitSignal(panel.sig_annotations_changed, timeout=3000):
        qtbot.keyClicks(panel.note_edit, "rewritten while reading")
    qtbot.waitUntil(lambda: store.get(ann.id).note == "rewritten while reading", timeout=3000)

    # delete, then Ctrl+Z from the list brings it back with its note
    panel.list.setFocus()
    with qtbot.waitSignal(panel.sig_annotations_changed, timeout=3000):
        panel.delete_button.click()
    _wait_count(qtbot, panel, 0)
    assert store.find(doc) == []
    with qtbot.waitSignal(panel.sig_annotations_changed, timeout=3000):
        qtbot.keyClick(panel.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _wait_count(qtbot, panel, 1)
    back = store.get(ann.id)
    assert back.note == "rewritten while reading" and back.uuid == ann.uuid


def test_colour_tags_and_add_are_undoable(qtbot: QtBot, panel: NotesPanel, library: Library) -> None:
    doc = _fa(library)
    store = Annotations(library)
    panel.set_document(doc)
    start, end = _span(library, doc, "ایروان")
    added: list = []
    panel.add_annotation(doc, start, end, color="blue", on_added=added.append)
    _wait_count(qtbot, panel, 1)
    ann = added[0]
    panel.list.setCurrentRow(0)
    with qtbot.waitSignal(panel.sig_annotations_changed, timeout=3000):
        panel.color_edit.setCurrentIndex(panel.color_edit.findData("purple"))
    panel.tags_edit.setText("places, armenia")
    with qtbot.waitSignal(panel.sig_annotations_changed, timeout=3000):
        panel.tags_edit.editingFinished.emit()
    got = store.get(ann.id)
    assert (got.color, got.tags) == ("purple", ("places", "armenia"))
    for expected in [("purple", ()), ("blue", ())]:
        with qtbot.waitSignal(panel.sig_annotations_changed, timeout=3000):
            panel.undo()
        got = store.get(ann.id)
        assert (got.color, got.tags) == expected
    with qtbot.waitSignal(panel.sig_annotations_changed, timeout=3000):
        panel.undo()  # the add itself
    _wait_count(qtbot, panel, 0)
    assert store.find(doc) == []


def test_orphans_are_flagged_and_not_jumped_to(
    qtbot: QtBot, panel: NotesPanel, library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Birinci cümle.\n\nSilinecek önemli cümle.\n", encoding="utf-8")
    doc = library.import_file(path, lang="tr").document.id
    store = Annotations(library)
    store.add(doc, *_span(library, doc, "Silinecek önemli"), note="kept anyway")
    path.write_text("Birinci cümle.\n\nBaşka bir şey.\n", encoding="utf-8")
    library.import_file(path, lang="tr")
    panel.set_document(doc)
    _wait_count(qtbot, panel, 1)
    item = panel.list.item(0)
    assert item.text().startswith("⚠ Orphan") and "kept anyway" in item.text()
    with qtbot.assertNotEmitted(panel.sig_jump, wait=100):
        panel.list.itemActivated.emit(item)
