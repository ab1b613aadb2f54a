"""Small things a new user meets in the first minutes: shortcuts wherever the focus is, Ctrl+Home/End, the Search
toggle's state, file dialogs starting at home or the last folder, import messages, bidi isolation of titles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.texts import FSI, PDI, isolate, short_title
from tests.ui.support import start_and_settle


def test_ctrl_e_exports_even_from_the_search_field(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.ui import dialogs

    shown: list[str] = []

    def fake_exec(dialog: QDialog) -> int:
        shown.append(dialog.windowTitle())
        return int(QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(dialogs.ExportDialog, "exec", fake_exec)
    window = make_window()
    start_and_settle(qtbot, window)
    window.open_search()
    field = window.search_panel.query_edit
    qtbot.waitUntil(field.hasFocus, timeout=5000)
    qtbot.keyClicks(field, "abc")
    qtbot.keyClick(field, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert shown == ["Export"]
    # keys a field needs for editing stay the field's: Ctrl+A selects the query, it does not go elsewhere
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert field.selectedText() == "abc"


def test_ctrl_home_and_end_go_to_the_ends_of_the_document(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    view = window.reader
    doc = view.document
    assert doc is not None
    view.focus_text()
    qtbot.keyClick(view.text_view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    bar = view.text_view.verticalScrollBar()
    assert bar.value() == bar.maximum() > 0
    assert view.current_sentence == len(doc.sentences) - 1
    qtbot.keyClick(view.text_view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == 0 and view.current_sentence == 0


def test_the_search_toggle_shows_whether_the_panel_is_open(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    toggle = window.menu_actions["search_panel"]
    assert toggle in window.toolbar.actions() and toggle.isCheckable()
    window.open_search()
    assert toggle.isChecked()
    window.search_dock.close()
    qtbot.waitUntil(lambda: not toggle.isChecked(), timeout=5000)
    toggle.trigger()
    assert window.search_dock.isVisible() and toggle.isChecked()


def test_file_dialogs_start_at_home_then_in_the_last_folder(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    article = tmp_path / "articles" / "kitab.txt"
    article.parent.mkdir()
    article.write_text("کتاب\n\nاین یک متن آزمایشی است که برای آزمودن نوشته شده است.\n", encoding="utf-8")
    started: list[str] = []

    def fake_open(_parent: Any, _caption: str, folder: str, _filter: str) -> tuple[list[str], str]:
        started.append(folder)
        return [str(article)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", fake_open)
    window = make_window()
    start_and_settle(qtbot, window)
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=20_000):
        window.ask_import()
    assert started == [str(Path.home())]
    assert window.status.currentMessage() == "Imported 1 document(s)."
    opened = window.reader.document
    assert opened is not None
    # the same file again: said so (the document stays shown), not a silent nothing
    window.ask_import()
    said = f"{isolate(short_title(opened.title))} is already in the library."
    qtbot.waitUntil(lambda: window.status.currentMessage() == said, timeout=20_000)
    assert started[1] == str(article.parent)
    assert window.reader.document is opened


def test_an_import_error_names_the_file_once(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    window = make_window()
    start_and_settle(qtbot, window)
    window.import_paths([str(empty)])
    qtbot.waitUntil(lambda: bool(warnings), timeout=20_000)
    assert warnings[0].count("empty.txt") == 1


def test_titles_are_isolated_and_shortened_in_dialogs() -> None:
    title = "در حالی که اختلافات باکو و ایروان ادامه دارد، یک مقام آمریکایی مدعی تلاش برای برقراری صلح شد."
    short = short_title(title)
    assert len(short) <= 60 and short.endswith("…") and title.startswith(short[:-1].rstrip())
    assert " ".join(short[:-1].split()) in title  # cut at a word
    from reader.ui.dialogs import ExportDialog

    dialog = ExportDialog(title)
    text = dialog.current.text()
    # the full stop after the Persian title stays at the end of the English sentence
    assert text == f"This document: {FSI}{short}{PDI}."
    assert dialog.current.toolTip() == title
    dialog.deleteLater()


def test_recent_documents_and_the_shortcuts_page(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    for lang in ("ar", "tr"):
        with qtbot.waitSignal(window.controller.sig_document_opened, timeout=20_000):
            window.open_document(seeded[lang])
    assert window.recent_documents()[:3] == [seeded["tr"], seeded["ar"], seeded["fa"]]
    window.recent_menu.aboutToShow.emit()
    entries = window.recent_menu.actions()
    assert len(entries) == 3 and entries[0].text().startswith("&1 ")
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=20_000):
        entries[1].trigger()
    assert window.reader.document is not None and window.reader.document.doc_id == seeded["ar"]

    window.menu_actions["shortcuts"].trigger()
    from reader.ui.dialogs import ShortcutsDialog

    dialog = window.shortcuts_dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    rows = dict(dialog.rows())
    assert rows["Reading mode (full screen)"] == "F11"
    assert rows["Export…"] == "Ctrl+E" and rows["Beginning of the document"] == "Ctrl+Home"
    assert "Highlight the selection in a colour" in rows
    dialog.close()


def test_search_results_are_grouped_by_document_and_a_hit_is_selected_in_the_text(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    from reader.ui.search_panel import hit_html

    window = make_window()
    start_and_settle(qtbot, window)
    panel = window.search_panel
    window.open_search()
    with qtbot.waitSignal(panel.sig_results, timeout=10_000):
        panel.search("Azərbaycan")
    hits = panel.hits()
    documents = [h.document for h in hits]
    assert len(set(documents)) >= 2
    # each document's results are together, in the order of the documents' best results
    firsts = [d for i, d in enumerate(documents) if i == 0 or documents[i - 1] != d]
    assert len(firsts) == len(set(documents))
    assert panel.groups == {d: documents.count(d) for d in set(documents)}
    for row, hit in enumerate(hits):
        html = panel.results.item(row).data(Qt.ItemDataRole.UserRole + 2)
        opens_group = row == 0 or documents[row - 1] != hit.document
        assert html == hit_html(hit, group=documents.count(hit.document) if opens_group else 0)
        count = documents.count(hit.document)
        assert (f"— {count} result" in html) is opens_group
    assert f"in {len(set(documents))} documents" in panel.status.text()

    # a clicked hit of another document: opened, the match selected and flashed
    row = next(i for i, h in enumerate(hits) if h.kind == "original" and h.document != hits[0].document)
    hit = hits[row]
    panel.results.setCurrentRow(row)
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=20_000):
        panel.results.itemActivated.emit(panel.results.item(row))
    view = window.reader
    qtbot.waitUntil(lambda: view.flash_ranges() != [], timeout=5000)
    (a, b), *_ = view.original_positions(hit.start, hit.end)
    cursor = view.text_view.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (a, b)
    doc = view.document
    assert doc is not None and cursor.selectedText() == doc.text[hit.start : hit.end]


def test_the_screenshot_command_takes_a_size_and_a_theme(tmp_path: Path, yanyana_home: Path) -> None:
    import os
    import subprocess
    import sys

    from PySide6.QtGui import QColor, QImage

    from tests.helpers import ROOT

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", YANYANA_HOME=str(yanyana_home))
    env.pop("YANYANA_THEME", None)

    def shoot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "reader", "open", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip

    out = tmp_path / "half.png"
    result = shoot("--screenshot", str(out), "--size", "683x740", "--theme", "sepia")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (683, 740)
    # the status bar at the bottom left is drawn in the sepia window colour
    assert QColor(image.pixel(3, 737)).name() == "#ece3cd"
    bad = shoot("--screenshot", str(out), "--size", "683")
    assert bad.returncode == 2 and bad.stderr.strip().splitlines() == [
        "error: --size '683' is not a size like 1366x768."
    ]
