"""Correcting translations in the window: edit in place (F2, double-click), Enter/Esc/undo, the marker, revert,
a suggestion from another document, alternatives — stored in library.db and shown again on re-open."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from reader.core.store.corrections import Corrections
from reader.core.store.library import Library
from reader.ui.main_window import MainWindow
from tests.ui.support import start_and_settle

FIXED = "The spokesman of the ministry said so."


def stored(doc_id: int) -> dict[int, str]:
    with Library(seed=False) as library:
        return {i: c.text for i, c in Corrections(library).for_document(doc_id).items()}


def translated_window(
    qtbot: QtBot, make_window: Callable[..., MainWindow], install_tiny: Callable[..., Any]
) -> MainWindow:
    install_tiny("fa")
    window = make_window()
    start_and_settle(qtbot, window)
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=60_000)
    return window


def underline_at(window: MainWindow, s_index: int) -> QTextCharFormat.UnderlineStyle:
    start, _end = window.reader.translation_range(s_index)
    cursor = QTextCursor(window.reader.text_view.document())
    cursor.setPosition(start + 1)
    return cursor.charFormat().underlineStyle()


def test_edit_in_place_enter_saves_esc_cancels(
    qtbot: QtBot, make_window: Callable[..., MainWindow], install_tiny: Callable[..., Any]
) -> None:
    window = translated_window(qtbot, make_window, install_tiny)
    reader, editor = window.reader, window.corrections
    doc = reader.document
    assert doc is not None
    machine = reader.translations[2]

    # Esc cancels: nothing stored, nothing changed
    line = editor.start_edit(3)
    assert line is not None and line.text() == reader.translations[3]
    qtbot.keyClicks(line, "garbage")
    qtbot.keyClick(line, Qt.Key.Key_Escape)
    assert editor.editor is None and stored(doc.doc_id) == {}

    # F2 edits the current sentence; undo while typing; Enter saves
    reader.set_current_sentence(2)
    reader.text_view.setFocus()
    editor.edit_action.trigger()
    line = editor.editor
    assert line is not None and editor.editing == 2 and line.text() == machine
    qtbot.keyClicks(line, "oops")
    line.undo()
    assert line.text() == machine
    line.setText(FIXED)
    with qtbot.waitSignal(editor.sig_saved, timeout=10_000):
        qtbot.keyClick(line, Qt.Key.Key_Return)
    assert stored(doc.doc_id) == {2: FIXED}
    assert reader.translations[2] == FIXED and 2 in reader.corrected
    reader.flush()
    assert FIXED in reader.text_view.document().toRawText()
    assert underline_at(window, 2) == QTextCharFormat.UnderlineStyle.DotLine
    assert underline_at(window, 3) == QTextCharFormat.UnderlineStyle.NoUnderline

    # re-opening shows the correction (not the machine's sentence) with its marker
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=10_000):
        window.controller.open_document(doc.doc_id)
    assert window.reader.translations[2] == FIXED and 2 in window.reader.corrected

    # revert from the context menu
    menu = QMenu()
    editor.fill_menu(menu, 2)
    revert = next(a for a in menu.actions() if a.text() == "&Revert to machine translation")
    with qtbot.waitSignal(editor.sig_reverted, timeout=10_000):
        revert.trigger()
    assert stored(doc.doc_id) == {}
    assert reader.translations[2] == machine and 2 not in reader.corrected


def test_double_click_on_a_translation_sentence_edits_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow], install_tiny: Callable[..., Any]
) -> None:
    window = translated_window(qtbot, make_window, install_tiny)
    reader = window.reader
    reader.flush()
    start, end = reader.translation_range(1)
    point = reader.viewport_point_of(start + (end - start) // 2)
    qtbot.mouseDClick(reader.text_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.corrections.editing == 1
    # over the original nothing opens
    window.corrections.cancel_edit()
    o_start, _o_end = reader.orig_range(1)
    assert window.corrections.sentence_for_double_click(reader.viewport_point_of(o_start + 1)) is None


def test_suggestion_from_another_document_and_alternatives(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    install_tiny: Callable[..., Any],
    tmp_path: Path,
) -> None:
    window = translated_window(qtbot, make_window, install_tiny)
    reader, editor = window.reader, window.corrections
    doc = reader.document
    assert doc is not None
    sentence = doc.sentence_text(2)
    with qtbot.waitSignal(editor.sig_saved, timeout=10_000):
        editor.save(2, FIXED)
    # another document holding the same sentence
    with Library(seed=False) as library:
        other = tmp_path / "other.txt"
        other.write_text(f"این یک متن دیگر است که جمله‌ای را تکرار می‌کند.\n\n{sentence}\n", encoding="utf-8")
        other_id = library.import_file(other, lang="fa").document.id
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=10_000):
        window.open_document(other_id)
    other_doc = window.reader.document
    assert other_doc is not None
    index = next(i for i in range(len(other_doc.sentences)) if other_doc.sentence_text(i) == sentence)
    qtbot.waitUntil(lambda: index in window.reader.translations, timeout=60_000)
    menu = QMenu()
    editor.fill_menu(menu, index)
    accept = next(a for a in menu.actions() if "(from your corrections)" in a.text())
    with qtbot.waitSignal(editor.sig_saved, timeout=10_000):
        accept.trigger()
    assert stored(other_id) == {index: FIXED}

    # alternatives: the beam's best, computed on the translation lane; choosing one makes it a correction
    with qtbot.waitSignal(editor.sig_alternatives, timeout=30_000) as blocker:
        editor.show_alternatives(0, popup=False)
    s_index, found = blocker.args
    assert s_index == 0 and 1 <= len(found) <= 4
    with qtbot.waitSignal(editor.sig_saved, timeout=10_000):
        editor.save(0, found[-1].text)
    assert stored(other_id)[0] == found[-1].text
