"""A layout that gives way: panels collapse before the text narrows, interlinear below two readable columns,
no line break inside a word, the reading position kept through resize and reading mode (F11), geometry kept
on the screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QTextBlock, QTextCursor
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MIN_READING_WIDTH, MainWindow
from reader.ui.reader import ReaderView
from reader.ui.reader.view import TWO_COLUMN_MIN_WIDTH
from tests.ui.support import ini_settings, start_and_settle

# What a reading column's text must keep at the laptop sizes of the issue (half of a 1366-px screen, and
# 1280×800 with the library and a dock open): about seven Persian words a line at the default size.
MIN_COLUMN_WIDTH = 260


def open_panels(window: MainWindow) -> None:
    window.set_library_visible(True)
    window.set_notes_visible(True)
    window.set_search_visible(True)


def settle_layout(qtbot: QtBot, window: MainWindow) -> None:
    """Let the layouts place the panels, the give-way pass run and the reader re-wrap."""
    for _ in range(3):
        qtbot.wait(30)
        window.give_way()


def column_widths(window: MainWindow) -> list[float]:
    """Widths of the reading columns of the first row (one in interlinear)."""
    view = window.reader
    columns = 1 if view.interlinear else 2
    table = view.row_layout.tables[1]
    qdoc = view.text_view.document()
    widths = []
    for col in range(columns):
        cell = table.cellAt(0, col)
        block = cell.firstCursorPosition().block()
        line = block.layout().lineAt(0)
        rect = qdoc.documentLayout().blockBoundingRect(block)
        # the width lines may take in the cell (block width minus nothing: cells are laid out to their width)
        widths.append(max(rect.width(), line.width()))
    return widths


def broken_words(block: QTextBlock) -> list[str]:
    """Line breaks of a block that fall inside a word (letters on both sides)."""
    text = block.text()
    layout = block.layout()
    found = []
    for n in range(1, layout.lineCount()):
        start = layout.lineAt(n).textStart()
        before, after = text[start - 1], text[start]
        if before.isalnum() and after.isalnum():
            found.append(text[max(0, start - 8) : start] + "|" + text[start : start + 8])
    return found


def all_broken_words(window: MainWindow) -> list[str]:
    window.reader.flush()
    block = window.reader.text_view.document().begin()
    found: list[str] = []
    while block.isValid():
        found += broken_words(block)
        block = block.next()
    return found


def test_at_half_a_laptop_screen_panels_give_way_and_two_columns_stay_readable(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    open_panels(window)
    window.splitter.setSizes([340, 940])
    settle_layout(qtbot, window)
    assert window.library_panel.isVisible() and window.notes_dock.isVisible()

    window.resize(683, 740)
    settle_layout(qtbot, window)
    # the panels gave way, the text did not
    assert not window.notes_dock.isVisible() and not window.search_dock.isVisible()
    assert not window.library_panel.isVisible()
    assert not window.menu_actions["library"].isChecked()
    assert window.reader.width() >= MIN_READING_WIDTH
    assert not window.reader.interlinear
    assert min(column_widths(window)) >= MIN_COLUMN_WIDTH
    assert all_broken_words(window) == []

    # wide again: the panels that gave way come back, and the user's wish was kept all along
    window.resize(1280, 800)
    settle_layout(qtbot, window)
    assert window.library_panel.isVisible() and window.notes_dock.isVisible()
    assert window.menu_actions["library"].isChecked()
    window.close()
    settings = ini_settings()
    assert settings.value("window/library_visible") in (True, "true")
    assert settings.value("window/notes_visible") in (True, "true")


def test_at_1280_by_800_with_panels_open_both_columns_are_readable(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    open_panels(window)
    window.splitter.setSizes([340, 940])
    settle_layout(qtbot, window)
    assert window.library_panel.isVisible() and window.notes_dock.isVisible()
    assert not window.reader.interlinear
    assert min(column_widths(window)) >= MIN_COLUMN_WIDTH
    assert all_broken_words(window) == []


def test_below_two_readable_columns_the_reader_goes_interlinear_and_back(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    window.set_library_visible(False)
    window.resize(520, 700)
    settle_layout(qtbot, window)
    view = window.reader
    assert view.text_view.viewport().width() < TWO_COLUMN_MIN_WIDTH
    assert view.interlinear and not view.interlinear_chosen
    assert not window.menu_actions["interlinear"].isChecked()
    assert all_broken_words(window) == []
    window.resize(1000, 700)
    settle_layout(qtbot, window)
    assert not view.interlinear
    window.close()
    assert ini_settings().value("reader/interlinear") in (False, "false")


def test_the_reading_position_survives_resize_zoom_and_reading_mode(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    view = window.reader
    view.scroll_to_sentence(14, top=True)
    top = view.top_sentence()
    assert top is not None and 12 <= top <= 14 and view.text_view.verticalScrollBar().value() > 0

    for size in ((683, 740), (1366, 768), (900, 600), (1280, 800)):
        window.resize(*size)
        settle_layout(qtbot, window)
        assert view.top_sentence() == top, size
    view.set_zoom(3)
    assert view.top_sentence() == top

    qtbot.keyClick(view.text_view, Qt.Key.Key_F11)
    settle_layout(qtbot, window)
    assert window.reading_mode
    assert window.menuBar().isHidden() and window.toolbar.isHidden() and window.status.isHidden()
    assert window.library_panel.isHidden() and window.notes_dock.isHidden()
    assert view.progress_line.isVisible() and f"Sentence {top + 1} of" in view.progress_line.text()
    assert view.top_sentence() == top

    qtbot.keyClick(view.text_view, Qt.Key.Key_Escape)
    settle_layout(qtbot, window)
    assert not window.reading_mode and not window.isFullScreen()
    assert not window.menuBar().isHidden() and window.library_panel.isVisible()
    assert not view.progress_line.isVisible()
    assert view.top_sentence() == top


def test_reading_mode_is_remembered(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    window.toggle_full_screen()
    assert window.reading_mode
    window.close()
    again = make_window()
    start_and_settle(qtbot, again)
    assert again.reading_mode and again.menu_actions["fullscreen"].isChecked()
    assert again.toolbar.isHidden()


def test_geometry_from_a_larger_screen_is_fitted_to_this_one(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    screen = QGuiApplication.primaryScreen().availableGeometry()
    # a window saved on a screen twice as large, placed off this one
    bigger = MainWindow(ini_settings(), save_settings=False)
    qtbot.addWidget(bigger)
    bigger.setGeometry(screen.width() + 50, 40, screen.width() * 2, screen.height() * 2)
    settings = ini_settings()
    settings.setValue("window/geometry", bigger.saveGeometry())
    window = make_window(settings, size=False)
    inside = window.geometry()
    assert inside.width() <= screen.width() and inside.height() <= screen.height()
    assert screen.contains(inside)


def _bold_rows(view: ReaderView, rows: int) -> list[bool]:
    out = []
    for row in range(rows):
        cursor = view.row_layout.tables[row].cellAt(0, view.orig_column()).firstCursorPosition()
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        out.append(cursor.charFormat().fontWeight() >= QFont.Weight.Bold)
    return out


def test_every_headline_has_the_same_style_html_h1_included(
    qtbot: QtBot, seeded: dict[str, int], tmp_path: Path
) -> None:
    from reader.core.store.library import Library
    from tests.ui.support import reader_document

    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Site name | a long page title</title></head><body><article>"
        "<h1>Blinken calls Aliyev about the talks</h1>"
        "<p>The Secretary of State spoke with the President on Tuesday about the peace talks between the two "
        "countries, a spokesman said in a statement published later that day by the department.</p>"
        "<p>Both sides agreed to meet again in the autumn, according to the statement, which gave no date."
        " The talks had stalled in the spring.</p></article></body></html>",
        encoding="utf-8",
    )
    with Library(seed=False) as library:
        html_id = library.import_file(page).document.id
        by_text = {library.get(d.id).text.lstrip()[:12]: d.id for d in library.documents()}
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()

    def bold(doc_id: int) -> list[bool]:
        view.set_document(reader_document(doc_id), {}, pending=False)
        view.flush()
        return _bold_rows(view, 3)

    assert bold(html_id) == [True, False, False]  # the <h1>, not the page <title>
    turkish = next(i for key, i in by_text.items() if key.startswith("Azerbaycan"))
    assert bold(turkish) == [True, True, False]  # a section label, then the headline
    assert bold(seeded["fa"])[0] is False  # a lead sentence is not a headline
    assert bold(seeded["ar"])[0] is True
