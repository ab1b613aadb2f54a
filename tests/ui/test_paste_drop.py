"""Paste as new document (Ctrl+Shift+V) and dropping files and folders on the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from reader.core.store.library import Library
from reader.ui.main_window import MainWindow
from tests.documents import (
    article,
    article_html,
    build_docx,
    build_epub,
    build_mhtml,
    build_odt,
    epub_chapter,
)
from tests.ui.support import start_and_settle


def _press_paste(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(
        window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )


def test_pasting_a_page_selection_makes_a_document_and_opens_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    art = article("001")
    page = article_html(art)
    mime = QMimeData()
    mime.setHtml(page[page.index("<body>") + 6 : page.index("<footer>")])
    mime.setText("plain flavour, not used")
    QGuiApplication.clipboard().setMimeData(mime)
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=20_000):
        _press_paste(qtbot, window)
    doc = window.reader.document
    assert doc is not None and doc.text.startswith(art.headline + "\n\n")
    assert "\u200c" in doc.text and "plain flavour" not in doc.text
    assert len(window.library_panel.document_ids()) == 6
    with Library(seed=False) as lib:
        stored = lib.get(doc.doc_id)
        assert (stored.source, stored.format, stored.lang) == ("clipboard", "html", "fa")
    # the same paste again opens the same document instead of adding one
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=20_000):
        window.open_document(window.library_panel.document_ids()[0])
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=20_000):
        window.paste_as_document()
    assert window.reader.document is not None and window.reader.document.doc_id == doc.doc_id
    assert len(window.library_panel.document_ids()) == 6


def test_pasting_plain_text_keeps_it_exactly(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    text = "Bakıda görüş keçirildi.\nİkinci sətir burada yazılıb və oxunur."
    QGuiApplication.clipboard().setText(text)
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=20_000):
        window.paste_as_document()
    assert window.reader.document is not None and window.reader.document.text == text


def test_pasting_an_empty_clipboard_says_so(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    QGuiApplication.clipboard().clear()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    window.paste_as_document()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown == ["The clipboard holds no text to import (copy some text first)."]
    assert len(window.library_panel.document_ids()) == 5


def test_dropping_files_and_a_folder_imports_them_all_with_one_summary(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    folder = tmp_path / "belgeler"
    folder.mkdir()
    (folder / "b.odt").write_bytes(build_odt(article("003")))
    (folder / "c.epub").write_bytes(build_epub([epub_chapter(article("004"))], title="Kitab", lang="ar"))
    (folder / "bozuk.docx").write_bytes(build_docx(article("000"))[:1500])
    single = tmp_path / "a.docx"
    single.write_bytes(build_docx(article("001")))
    page = tmp_path / "d.mhtml"
    page.write_bytes(build_mhtml(article_html(article("002")), title="Səhifə"))

    summaries: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, text: summaries.append(f"{title}: {text}")
    )
    progress: list[tuple[int, int]] = []
    cleared: list[str] = []
    set_progress, clear_progress = window.status.set_progress, window.status.clear_progress

    def spy_progress(done: int, total: int, text: str = "") -> None:
        progress.append((done, total))
        set_progress(done, total, text)

    def spy_clear(message: str = "", timeout_ms: int = 6000) -> None:
        cleared.append(message)
        clear_progress(message, timeout_ms)

    monkeypatch.setattr(window.status, "set_progress", spy_progress)
    monkeypatch.setattr(window.status, "clear_progress", spy_clear)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in (single, folder, page)])
    event = QDropEvent(
        QPointF(QPoint(200, 200)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    # as Qt delivers a drag: the window accepts the drag entering, then the drop
    enter = QDragEnterEvent(
        QPoint(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=30_000):
        QApplication.sendEvent(window, event)
    assert event.isAccepted()
    assert len(window.library_panel.document_ids()) == 5 + 4
    # one progress bar over all five files, one summary naming the one that failed
    assert max(t for _d, t in progress) == 5 and (5, 5) in progress
    assert len(summaries) == 1 and "bozuk.docx" in summaries[0] and "Word document" in summaries[0]
    assert [m for m in cleared if m] == ["Imported 4 document(s)."]  # (opening the document clears too)
    with Library(seed=False) as lib:
        formats = sorted(lib.get(d).format for d in window.library_panel.document_ids()[5:])
    assert formats == ["docx", "epub", "mhtml", "odt"]
