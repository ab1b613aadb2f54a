"""Preferences: theme, fonts and sizes per script, line spacing and line length apply at once, persist on OK,
go back on Cancel, and keep the reading position."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFontDatabase, QPalette, QTextCursor, QTextFormat
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.preferences import PreferencesDialog, ReadingPrefs
from tests.ui.support import ini_settings, start_and_settle


def first_char_format(window: MainWindow, row: int = 1) -> tuple[list[str], int, float]:
    view = window.reader
    cell = view.row_layout.tables[row].cellAt(0, view.orig_column())
    cursor = cell.firstCursorPosition()
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    fmt = cursor.charFormat()
    size = fmt.property(QTextFormat.Property.FontSizeAdjustment)
    return list(fmt.fontFamilies() or []), int(size or 0), cursor.blockFormat().lineHeight()


def test_preferences_apply_live_persist_and_cancel_goes_back(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette_before = QPalette(app.palette())
    style_before = app.style().name()
    window = make_window()
    start_and_settle(qtbot, window)
    view = window.reader
    view.scroll_to_sentence(12, top=True)
    top = view.top_sentence()
    families, size, height = first_char_format(window)
    assert families[0] == "Vazirmatn" and size == 1 and height == 100

    other = next(f for f in QFontDatabase.families() if f not in ("Vazirmatn", "Noto Naskh Arabic"))
    window.show_preferences()
    dialog = window.preferences_dialog
    assert isinstance(dialog, PreferencesDialog)
    dialog.font_boxes["persian"].setCurrentIndex(dialog.font_boxes["persian"].findData(other))
    dialog.size_boxes["persian"].setCurrentIndex(dialog.size_boxes["persian"].findData(2))
    dialog.line_spacing.setValue(150)
    dialog.max_line.setValue(40)
    # applied at once, the reading position kept
    families, size, height = first_char_format(window)
    assert families[0] == other and size == 2 and height == 150
    assert view.top_sentence() == top
    margin = view.text_view.document().rootFrame().frameFormat().leftMargin()
    assert margin > 0  # the reader (940 px) is wider than two 40-character columns
    dialog.theme.setCurrentIndex(dialog.theme.findData("sepia"))
    assert app.palette().color(QPalette.ColorRole.Base).name() == "#f6eedc"
    dialog.accept()
    saved = ReadingPrefs.load(ini_settings())
    assert saved.family("persian") == other and saved.size("persian") == 2
    assert (saved.line_spacing, saved.max_line_chars, saved.theme) == (150, 40, "sepia")

    # Cancel puts everything back as it was when the dialog opened
    window.show_preferences()
    dialog = window.preferences_dialog
    assert isinstance(dialog, PreferencesDialog)
    dialog.line_spacing.setValue(90)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert first_char_format(window)[2] == 90
    dialog.reject()
    assert first_char_format(window)[2] == 150
    assert app.palette().color(QPalette.ColorRole.Base).name() == "#f6eedc"
    assert ReadingPrefs.load(ini_settings()).line_spacing == 150
    app.setStyle(style_before)
    app.setPalette(palette_before)  # later tests run with the style and palette they started with
