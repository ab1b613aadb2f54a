"""Highlights managed in place: confirmation and flash, the same range recoloured instead of stacked, the context
menu on a highlight (recolour, note, copy quote, delete with undo), "Copy sentence pair", colours that stay
apart from the selection and from find matches in every theme."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QColor, QGuiApplication, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QStyleFactory
from pytestqt.qtbot import QtBot

from reader.core.store.annotations import COLORS
from reader.ui.main_window import MainWindow
from reader.ui.reader import ReaderView
from reader.ui.reader.selections import colors_for
from reader.ui.themes import theme_palette
from tests.ui.support import start_and_settle
from tests.ui.test_annotations import stored

NEEDLE = "آذربایجان"


def select_original(view: ReaderView, start: int, end: int) -> tuple[int, int]:
    """Select original-text offsets [start, end) in the reader; returns the document positions."""
    ranges = view.original_positions(start, end, build=True)
    a, b = ranges[0][0], ranges[-1][1]
    cursor = view.text_view.textCursor()
    cursor.setPosition(a)
    cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
    view.text_view.setTextCursor(cursor)
    return a, b


def action_named(menu: QMenu, text: str) -> QAction:
    for action in menu.actions():
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def open_fa(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> tuple[MainWindow, ReaderView, int, int]:
    window = make_window()
    start_and_settle(qtbot, window)
    view = window.reader
    doc = view.document
    assert doc is not None and doc.lang == "fa"
    start = doc.text.index(NEEDLE)
    return window, view, start, start + len(NEEDLE)


def test_a_second_highlight_on_the_same_range_replaces_its_colour(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window, view, start, end = open_fa(qtbot, make_window)
    doc_id = view.document.doc_id if view.document else 0
    a, b = select_original(view, start, end)
    view.highlight_actions["yellow"].trigger()
    qtbot.waitUntil(lambda: len(stored(doc_id)) == 1, timeout=5000)
    qtbot.waitUntil(lambda: "Highlighted in yellow" in window.status.currentMessage(), timeout=5000)
    assert (a, b) in view.flash_ranges()  # a short flash in place, without scrolling away

    select_original(view, start, end)
    view.highlight_actions["green"].trigger()
    qtbot.waitUntil(lambda: stored(doc_id)[0].color == "green", timeout=5000)
    assert len(stored(doc_id)) == 1  # replaced, not stacked
    qtbot.waitUntil(lambda: "now green instead of yellow" in window.status.currentMessage(), timeout=5000)
    window.menu_actions["undo"].trigger()
    qtbot.waitUntil(lambda: stored(doc_id)[0].color == "yellow", timeout=5000)
    assert len(stored(doc_id)) == 1


def test_right_click_on_a_highlight_recolours_edits_copies_and_deletes(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window, view, start, end = open_fa(qtbot, make_window)
    doc = view.document
    assert doc is not None
    a, _b = select_original(view, start, end)
    view.highlight_actions["blue"].trigger()
    qtbot.waitUntil(lambda: len(view.highlight_ranges()) >= 1, timeout=5000)
    view.clear_selection()

    def menu_at(position: int) -> QMenu:
        menu = QMenu()
        view.extend_context_menu(menu, position)
        return menu

    # outside any highlight: no highlight section, but the sentence pair can be copied
    outside = menu_at(view.orig_range(0)[0] + 1)
    assert outside.findChild(QMenu, "thisHighlightMenu") is None
    action_named(outside, "Copy sentence pair").trigger()
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines()[0] == doc.sentence_text(0).strip()
    assert doc.title in copied.splitlines()[-1]

    menu = menu_at(a + 2)
    section = menu.findChild(QMenu, "thisHighlightMenu")
    assert section is not None
    labels = [x.text().replace("&", "") for x in section.actions()]
    assert labels == ["Colour", "Edit note and tags…", "Copy quote with reference", "Delete highlight"]

    colours = section.findChild(QMenu)
    assert isinstance(colours, QMenu)
    action_named(colours, "Purple").trigger()
    qtbot.waitUntil(lambda: stored(doc.doc_id)[0].color == "purple", timeout=5000)

    action_named(section, "Copy quote with reference").trigger()
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text().startswith(NEEDLE), timeout=5000)
    assert QGuiApplication.clipboard().text().splitlines()[1] == f"— {doc.title}"

    action_named(section, "Edit note and tags…").trigger()
    qtbot.waitUntil(lambda: window.notes_dock.isVisible(), timeout=5000)
    qtbot.waitUntil(
        lambda: window.notes_panel.current is not None and window.notes_panel.current.exact == NEEDLE,
        timeout=5000,
    )

    menu = menu_at(a + 2)
    section = menu.findChild(QMenu, "thisHighlightMenu")
    assert section is not None
    action_named(section, "Delete highlight").trigger()
    qtbot.waitUntil(lambda: stored(doc.doc_id) == [], timeout=5000)
    qtbot.waitUntil(lambda: "Deleted the highlight" in window.status.currentMessage(), timeout=5000)
    window.menu_actions["undo"].trigger()
    qtbot.waitUntil(lambda: len(stored(doc.doc_id)) == 1, timeout=5000)
    assert stored(doc.doc_id)[0].color == "purple"


def _distance(a: QColor, b: QColor) -> float:
    return float(sum((x - y) ** 2 for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True)) ** 0.5)


def _over(color: QColor, base: QColor) -> QColor:
    """A translucent colour as painted over the base."""
    alpha = color.alphaF()
    return QColor.fromRgbF(
        *(alpha * c + (1 - alpha) * b for c, b in zip(color.getRgbF()[:3], base.getRgbF()[:3], strict=True))
    )


def test_highlight_colours_stay_apart_from_selection_and_find_in_every_theme(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style = QStyleFactory.create("Fusion")
    for theme in ("light", "sepia", "dark"):
        palette: QPalette = theme_palette(theme, style)
        colors = colors_for(palette)
        base = palette.color(QPalette.ColorRole.Base)
        painted = []
        for full, light in COLORS.values():
            if colors.dark:
                shade = QColor(full)
                shade.setAlpha(150)
                painted.append(_over(shade, base))
            else:
                painted.append(QColor(light))
        assert _distance(colors.selection, colors.find_current) > 120, theme
        for marker in (colors.selection, colors.find_current):
            nearest = min(_distance(marker, p) for p in painted)
            assert nearest > 120, (theme, marker.name(), nearest)
        # find matches are not a fill at all: a coloured underline and text, apart from the text colour
        assert _distance(colors.find, colors.text) > 120, theme
