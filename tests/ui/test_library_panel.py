"""The library list: a keyed table model behind a folding filter; batched updates; a library of thousands of
documents opened without per-row work on the GUI thread (asserted on model signals and threads, never on time)."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from reader.core.importing.base import ImportedText
from reader.core.store.library import DocumentEntry, Library
from reader.ui import library_panel, operations
from reader.ui.library_panel import DONE, NOTES, TITLE, LibraryPanel
from reader.ui.main_window import MainWindow
from reader.ui.texts import SHORT_TITLE
from tests.ui.support import start_and_settle

LONG = "A very long title about the negotiations between Baku and Yerevan " * 3

ENTRIES = [
    DocumentEntry(1, "Zeytin ve İlham Əliyev", "az", "ltr"),
    DocumentEntry(2, "صلح پایدار در قفقاز", "fa", "rtl"),
    DocumentEntry(3, "أذربيجان وأرمينيا", "ar", "rtl"),
    DocumentEntry(4, "apple harvest", "tr", "ltr"),
    DocumentEntry(5, LONG.strip(), "tr", "ltr"),
    DocumentEntry(6, "Bakı danışıqları", "az", "ltr"),
]


class Spy:
    """Records a model's resets, inserted rows and dataChanged ranges (rows, columns)."""

    def __init__(self, model: Any) -> None:
        self.resets = 0
        self.inserted = 0
        self.changed: list[tuple[int, int, int, int]] = []
        model.modelReset.connect(self._reset)
        model.rowsInserted.connect(self._inserted)
        model.dataChanged.connect(self._changed)

    def _reset(self) -> None:
        self.resets += 1

    def _inserted(self, *_args: object) -> None:
        self.inserted += 1

    def _changed(self, top: QModelIndex, bottom: QModelIndex, *_roles: object) -> None:
        self.changed.append((top.row(), bottom.row(), top.column(), bottom.column()))


@pytest.fixture
def panel(qtbot: QtBot) -> LibraryPanel:
    widget = LibraryPanel()
    qtbot.addWidget(widget)
    widget.resize(340, 600)
    widget.show()
    widget.set_documents(ENTRIES, {3: (4, 1), 6: (1, 0)})
    return widget


def test_rows_keyed_by_id_with_the_folding_filter(panel: LibraryPanel) -> None:
    assert panel.document_ids() == [1, 2, 3, 4, 5, 6]
    assert panel.row_text(3) == ["أذربيجان وأرمينيا", "ar", "RTL", "", "4"]
    assert panel.row_text(99) == []
    # bare alef and Persian ye find the Arabic spelling; a lower-case i finds İ; a language name finds its rows
    panel.filter_edit.setText("اذربیجان")
    assert panel.visible_titles() == ["أذربيجان وأرمينيا"]
    panel.filter_edit.setText("ilham")
    assert panel.visible_titles() == ["Zeytin ve İlham Əliyev"]
    panel.filter_edit.setText("azerbaijani")
    assert panel.visible_titles() == ["Zeytin ve İlham Əliyev", "Bakı danışıqları"]
    panel.filter_edit.setText("persian پایدار")  # every word must match
    assert panel.visible_titles() == ["صلح پایدار در قفقاز"]
    panel.filter_edit.setText("")
    assert len(panel.visible_titles()) == 6


def test_sorting_by_a_column_keeps_the_selection_and_returns_to_import_order(panel: LibraryPanel) -> None:
    panel.select_document(4)
    titles = {e.id: e.title for e in ENTRIES}
    panel.tree.sortByColumn(TITLE, Qt.SortOrder.AscendingOrder)
    assert panel.visible_titles() == sorted(titles.values(), key=str.casefold)
    assert panel.current_document() == 4  # the selection follows its row
    panel.tree.sortByColumn(TITLE, Qt.SortOrder.DescendingOrder)
    assert panel.visible_titles() == sorted(titles.values(), key=str.casefold, reverse=True)
    panel.tree.sortByColumn(NOTES, Qt.SortOrder.DescendingOrder)
    shown = [panel.model.row(i) for i in (3, 6)]
    assert panel.visible_titles()[:2] == [row.title for row in shown if row is not None]
    panel.filter_edit.setText("az")  # the filter keeps the sorted order
    assert panel.visible_titles() == [titles[6], titles[1]]
    panel.filter_edit.setText("")
    panel.select_document(4)  # it was filtered out meanwhile
    panel.tree.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert panel.visible_titles() == [e.title for e in ENTRIES]
    assert panel.current_document() == 4
    # a new listing keeps the column it is sorted by
    panel.tree.sortByColumn(TITLE, Qt.SortOrder.AscendingOrder)
    panel.set_documents([*ENTRIES, DocumentEntry(7, "0 first by title", "tr", "ltr")])
    assert panel.visible_titles()[0] == "0 first by title"


def test_short_titles_tooltips_alignment_and_counts_tooltip(panel: LibraryPanel) -> None:
    shown = panel.row_text(5)[TITLE]
    assert shown.endswith("…") and len(shown) <= SHORT_TITLE
    assert LONG.strip().startswith(shown[:-1])
    tips = panel.row_tooltips(5)
    assert tips[TITLE] == LONG.strip()
    assert panel.row_tooltips(3)[NOTES] == "4 highlights, 1 with a note"
    assert panel.row_tooltips(6)[NOTES] == "1 highlight, none with a note"
    assert panel.row_tooltips(1)[NOTES] == "No highlights or notes"
    model = panel.model
    rtl = model.index(model.row_of(2) or 0, TITLE).data(Qt.ItemDataRole.TextAlignmentRole)
    ltr = model.index(model.row_of(1) or 0, TITLE).data(Qt.ItemDataRole.TextAlignmentRole)
    assert Qt.AlignmentFlag(rtl) & Qt.AlignmentFlag.AlignRight
    assert Qt.AlignmentFlag(ltr) & Qt.AlignmentFlag.AlignLeft


def test_an_edited_title_is_asked_for_and_shown_once_stored(qtbot: QtBot, panel: LibraryPanel) -> None:
    model = panel.model
    index = model.index(model.row_of(4) or 0, TITLE)
    assert model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, DONE)) & Qt.ItemFlag.ItemIsEditable
    assert index.data(Qt.ItemDataRole.EditRole) == "apple harvest"
    asked: list[tuple[int, str]] = []
    panel.sig_rename.connect(lambda doc_id, title: asked.append((doc_id, title)))
    model.setData(index, "  Apple\t harvest 2024 ")
    model.setData(index, "   ")  # empty: nothing asked
    model.setData(index, "apple harvest")  # unchanged: nothing asked
    assert asked == [(4, "Apple harvest 2024")]
    assert panel.row_text(4)[TITLE] == "apple harvest"  # not shown before the store has it
    spy = Spy(model)
    panel.set_title(4, "Apple harvest 2024")
    row = model.row_of(4)
    assert spy.changed == [(row, row, TITLE, TITLE)] and spy.resets == 0
    assert panel.row_text(4)[TITLE] == "Apple harvest 2024"
    panel.filter_edit.setText("2024")  # the filter sees the new title
    assert panel.visible_titles() == ["Apple harvest 2024"]


def test_updates_are_keyed_and_batched(panel: LibraryPanel) -> None:
    spy = Spy(panel.model)
    panel.set_translated_shares({2: 0.5, 5: 1.0, 3: 0.0})
    assert spy.changed == [(1, 4, DONE, DONE)]
    assert [panel.row_text(i)[DONE] for i in (2, 3, 5, 1)] == ["50%", "0%", "100%", ""]
    panel.set_highlight_counts({6: (2, 2)}, only=[6])
    assert spy.changed[-1] == (5, 5, NOTES, NOTES)
    assert panel.row_text(6)[NOTES] == "2" and panel.row_text(3)[NOTES] == "4"  # others untouched
    panel.set_highlight_counts({}, only=[6])  # its last highlight removed
    assert panel.row_text(6)[NOTES] == "0"
    before = len(spy.changed)
    panel.set_highlight_counts({}, only=[6])  # nothing changed: no signal
    panel.set_translated_shares({99: 0.5})  # not listed: ignored
    assert len(spy.changed) == before
    panel.set_highlight_counts({1: (1, 1)})  # the whole library: documents not named have none
    assert [panel.row_text(i)[NOTES] for i in (1, 3, 6)] == ["1", "0", "0"]
    assert spy.resets == 0 and spy.inserted == 0
    panel.set_documents(ENTRIES[:4])  # a new listing: one reset, known shares kept
    assert spy.resets == 1
    assert panel.row_text(2)[DONE] == "50%"


def test_a_note_change_updates_one_row(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    panel = window.library_panel
    doc = seeded["fa"]
    qtbot.waitUntil(lambda: all(panel.row_text(i)[DONE] for i in panel.document_ids()), timeout=10_000)
    spy = Spy(panel.model)
    with qtbot.waitSignal(window.notes_panel.sig_annotations_changed, timeout=5000):
        window.notes_panel.add_annotation(doc, 0, 10, note="a first note")
    qtbot.waitUntil(lambda: panel.row_text(doc)[NOTES] == "1", timeout=5000)
    assert panel.row_tooltips(doc)[NOTES] == "1 highlight, 1 with a note"
    row = panel.model.row_of(doc)
    assert spy.changed == [(row, row, NOTES, NOTES)]
    assert spy.resets == 0 and spy.inserted == 0


def test_renaming_in_the_list_stores_the_title(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    seeded: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    panel = window.library_panel
    doc = seeded["tr"]
    model = panel.model
    model.setData(model.index(model.row_of(doc) or 0, TITLE), " Barış  görüşmeleri ")
    qtbot.waitUntil(lambda: panel.row_text(doc)[TITLE] == "Barış görüşmeleri", timeout=5000)
    with Library(seed=False) as library:
        assert library.get(doc).title == "Barış görüşmeleri"
    errors: list[str] = []
    monkeypatch.setattr(window, "_show_error", lambda exc: errors.append(str(exc)))
    window.rename_document(doc, "")  # refused by the store: one sentence, the row unchanged
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["A title cannot be empty."]
    assert panel.row_text(doc)[TITLE] == "Barış görüşmeleri"


GENERATED = 2000


def _generate(count: int) -> None:
    with Library() as library:  # the five seeds, then ``count`` short Turkish documents
        for n in range(count):
            text = f"Belge {n} başlığı\n\nBu {n}. belgenin ilk cümlesidir. Bu da ikincisi.\n"
            library.import_text(ImportedText(text, None, "utf-8", "text"), f"generated-{n}.txt", lang="tr")


def test_a_library_of_thousands_opens_without_per_row_work_on_the_gui_thread(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    _generate(GENERATED)
    total = GENERATED + 5
    gui = threading.get_ident()
    threads: dict[str, list[int]] = {"list": [], "share": [], "fold": []}

    def recorded(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            threads[name].append(threading.get_ident())
            return fn(*args, **kwargs)

        return wrapper

    from reader.translation import documents

    monkeypatch.setattr(operations, "list_library", recorded("list", operations.list_library))
    monkeypatch.setattr(documents, "stored_share", recorded("share", documents.stored_share))
    monkeypatch.setattr(library_panel, "haystack", recorded("fold", library_panel.haystack))
    window = make_window()
    panel = window.library_panel
    spy = Spy(panel.model)
    start_and_settle(qtbot, window, timeout=60_000)
    assert len(panel.document_ids()) == total
    assert window.reader.document is not None
    # every share known, a page at a time
    qtbot.waitUntil(lambda: all(row.share is not None for row in panel.model.rows()), timeout=120_000)
    qtbot.waitUntil(lambda: all(row.filter_text is not None for row in panel.model.rows()), timeout=60_000)
    assert spy.resets == 1 and spy.inserted == 0  # the listing: one reset, no row-by-row insertion
    pages = math.ceil(total / operations.SHARES_PAGE)
    batches = [c for c in spy.changed if c[0] != c[1]]
    assert len(batches) == pages
    assert all(c[2] == c[3] == DONE and c[1] - c[0] < total for c in batches)
    assert len(spy.changed) <= pages + 2  # plus the open document's own share
    # the listing, the shares (one per document) and the filter texts were all made off the GUI thread
    assert threads["list"] and gui not in threads["list"]
    assert len(threads["share"]) == total and gui not in threads["share"]
    assert len(threads["fold"]) == total and gui not in threads["fold"]
    panel.filter_edit.setText("belge 1234")
    assert panel.visible_titles() == ["Belge 1234 başlığı"]
    assert gui not in threads["fold"]  # the filter used the texts made in the background


def test_damage_found_by_the_background_check_stops_every_write(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    """A file that opens but fails ``quick_check`` (a damaged table page): the list and the article come without
    the check; the check then runs on the store lane before any write, reports the damage as at start-up, and
    nothing is written (the file stays byte for byte)."""
    import sqlite3

    from reader import paths

    db = paths.library_db()
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        root = int(conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'segments'").fetchone()[0])
    finally:
        conn.close()
    with db.open("r+b") as f:  # the segments table's root page becomes garbage
        f.seek((root - 1) * page_size)
        f.write(b"\xa5" * page_size)
    damaged = db.read_bytes()
    window = make_window()
    with qtbot.waitSignal(window.sig_library_damaged, timeout=30_000) as caught:
        window.start()
    assert "damaged" in caught.args[0]
    assert window.library_loaded  # the list was read without the check (it found the damage later)
    assert window.library_panel.document_ids() == []  # the list read before the check is taken away
    assert "damaged" in window.reader.placeholder.text()
    failures: list[BaseException] = []
    window.ops.rename(seeded["tr"], "Never stored", lambda _t: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=30_000)
    assert "damaged" in str(failures[0])
    assert db.read_bytes() == damaged
