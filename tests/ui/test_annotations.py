"""Highlights and notes in the window (pytest-qt, offscreen): RTL mouse selections, keys 1–8, painting in both
panes, translation-side highlights, jumps from the notes panel, undo, exports, a damaged library at start-up, the
notes dock remembered."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from reader import paths
from reader.core.store import backup, search
from reader.core.store.annotations import COLORS, Annotations
from reader.core.store.library import Library
from reader.translation.documents import translation_text
from reader.ui.main_window import MainWindow
from reader.ui.reader import ReaderView
from tests.ui.support import ini_settings, start_and_settle

FA_NEEDLE = "در ۲۷ سپتامبر ۲۰۲۰ با درگیری"  # Persian words around Extended Arabic-Indic digits (bidi EN runs)


def span_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def stored(doc_id: int) -> list[Any]:
    with Library(seed=False) as library:
        return Annotations(library).find(doc_id)


def painted(view: ReaderView) -> list[tuple[int, int, str]]:
    """What the text widget paints: (start, end, background colour) of every extra selection."""
    return [
        (s.cursor.selectionStart(), s.cursor.selectionEnd(), s.format.background().color().name())
        for s in view.text_view.extraSelections()
    ]


# --- mouse selections ----------------------------------------------------------------------------------------


def caret_point(view: ReaderView, position: int, toward: int) -> QPoint:
    """A viewport point that the text widget maps back to ``position``, computed from the caret rectangles of
    ``position`` and its neighbour ``toward`` (a few pixels into the neighbouring character)."""
    tv = view.text_view
    a = QTextCursor(tv.document())
    a.setPosition(position)
    b = QTextCursor(tv.document())
    b.setPosition(toward)
    here, there = tv.cursorRect(a), tv.cursorRect(b)
    for fraction in (0.25, 0.1, 0.4, -0.1, -0.25):
        x = round(here.center().x() + fraction * (there.center().x() - here.center().x()))
        point = QPoint(x, here.center().y())
        if tv.cursorForPosition(point).position() == position:
            return point
    raise AssertionError(f"no point maps back to position {position}")


def drag(view: ReaderView, start: int, end: int, *, reverse: bool = False) -> None:
    """Drag with the mouse from document position ``start`` to ``end`` (or back), through the middle."""
    view.clear_selection()
    view.reveal_range(start, end)
    first, last = caret_point(view, start, start + 1), caret_point(view, end, end - 1)
    if reverse:
        first, last = last, first
    viewport = view.text_view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, first)
    QTest.mouseMove(viewport, (first + last) / 2)
    QTest.mouseMove(viewport, last)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, last)


@pytest.mark.parametrize("reverse", [False, True], ids=["right-to-left drag", "reversed drag"])
def test_a_mouse_drag_over_persian_with_digits_then_key_3_stores_the_logical_range(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int], reverse: bool
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    view = window.reader
    doc = view.document
    assert doc is not None and doc.doc_id == seeded["fa"]
    start_offset, end_offset = span_of(doc.text, FA_NEEDLE)
    (pos_start, pos_end),  = view.original_positions(start_offset, end_offset)  # fmt: skip
    drag(view, pos_start, pos_end, reverse=reverse)
    cursor = view.text_view.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (pos_start, pos_end)
    # the digits are laid out left-to-right inside the right-to-left line: the drag went over them visually
    # out of logical order, and still the stored range is the logical one
    qtbot.keyClick(view.text_view, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: len(stored(doc.doc_id)) == 1, timeout=5000)
    (ann,) = stored(doc.doc_id)
    assert (ann.side, ann.start, ann.end) == ("original", start_offset, end_offset)
    assert ann.exact == doc.text[start_offset:end_offset] == FA_NEEDLE
    assert ann.color == list(COLORS)[2]  # key 3: the third colour
    assert not view.text_view.textCursor().hasSelection()
    # painted in its full colour exactly over the dragged text
    full = COLORS[ann.color][0].lower()
    qtbot.waitUntil(lambda: (pos_start, pos_end, full) in painted(view), timeout=5000)


def test_embedded_latin_in_an_arabic_script_line(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    """A drag that starts inside a Latin name embedded in Persian, ending after a number."""
    article = tmp_path / "latin.txt"
    article.write_text(
        "نشست خبری\n\nدر این نشست آقای John Smith از شرکت OpenAI گفت که ۳۴۵ نفر در پروژه GPT-4 کار می‌کنند.\n",
        encoding="utf-8",
    )
    window = make_window()
    start_and_settle(qtbot, window)
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=20_000):
        window.import_paths([str(article)])
    view = window.reader
    doc = view.document
    assert doc is not None and doc.lang == "fa"
    needle = "Smith از شرکت OpenAI گفت که ۳۴۵ نفر"
    s, e = span_of(doc.text, needle)
    ((ps, pe),) = view.original_positions(s, e)
    drag(view, ps, pe, reverse=True)
    qtbot.keyClick(view.text_view, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: len(stored(doc.doc_id)) == 1, timeout=5000)
    (ann,) = stored(doc.doc_id)
    assert (ann.start, ann.end, ann.exact) == (s, e, needle)


def test_highlights_paint_both_panes_and_the_translation_side_can_be_highlighted(
    qtbot: QtBot, make_window: Callable[..., MainWindow], install_tiny: Callable[..., Any]
) -> None:
    install_tiny("fa")
    window = make_window()
    start_and_settle(qtbot, window)
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=60_000)
    view = window.reader
    doc = view.document
    assert doc is not None
    # original side: a selection made with the keyboard API, then the toolbar's green button
    s, e = span_of(doc.text, FA_NEEDLE)
    ((ps, pe),) = view.original_positions(s, e)
    cursor = QTextCursor(view.text_view.document())
    cursor.setPosition(pe)
    cursor.setPosition(ps, QTextCursor.MoveMode.KeepAnchor)
    view.text_view.setTextCursor(cursor)
    window.menu_actions["highlight_green"].trigger()
    qtbot.waitUntil(lambda: len(stored(doc.doc_id)) == 1, timeout=5000)
    covered = [x.index for x in doc.sentences if x.start < e and s < x.end]
    assert covered
    full, light = (c.lower() for c in COLORS["green"])
    own = (ps, pe, full)
    pairs = [(*view.translation_range(i), light) for i in covered]
    qtbot.waitUntil(lambda: own in painted(view) and all(p in painted(view) for p in pairs), timeout=5000)
    raw = view.text_view.document().toRawText()
    assert [raw[a:b] for a, b, _c in pairs] == [" ".join(view.translations[i].split()) for i in covered]

    # translation side: drag over part of a sentence's translation (from its second character to its end), key 5
    k = next(
        i for i in range(len(doc.sentences)) if len(view.translations[i].strip()) >= 3 and i not in covered
    )
    t_start, t_end = view.translation_range(k)
    a, b = t_start + 1, t_end
    drag(view, a, b)
    assert view.text_view.textCursor().selectedText() == raw[a:b]
    qtbot.keyClick(view.text_view, Qt.Key.Key_5)
    qtbot.waitUntil(lambda: len(stored(doc.doc_id)) == 2, timeout=5000)
    ann = next(x for x in stored(doc.doc_id) if x.side == "translation")
    with Library(seed=False) as library:
        tt = translation_text(library, doc.doc_id)  # the translation text as the core defines it
    assert tt is not None
    assert ann.model == window.controller.loaded.route.model_id == tt.model_id
    assert ann.exact == tt.text[ann.start : ann.end] == raw[a:b]
    assert tt.segments_in(ann.start, ann.end) == (k,)
    full, light = (c.lower() for c in COLORS[list(COLORS)[4]])
    orig = (*view.orig_range(k), light)
    qtbot.waitUntil(lambda: (a, b, full) in painted(view) and orig in painted(view), timeout=5000)

    # interlinear and swapped layouts re-map the same highlights without asking the database again
    green = COLORS["green"][0].lower()
    for action in ("interlinear", "swap"):
        window.menu_actions[action].trigger()
        qtbot.waitUntil(view.is_built, timeout=5000)  # rows below the screen are built in the background
        expected = [(p, q, green) for p, q in view.original_positions(s, e)]
        expected += [(*view.translation_range(i), COLORS["green"][1].lower()) for i in covered]
        local = (ann.start - tt.spans[k][0], ann.end - tt.spans[k][0])
        expected += [(p, q, full) for p, q in view.translation_positions(k, *local)]
        assert len(expected) == len(covered) + 2, action  # the own range, its pairs, the translation-side one
        assert all(x in painted(view) for x in expected), action
    assert view.interlinear and view.swapped


def test_the_context_menu_offers_the_colours_and_a_note(qtbot: QtBot) -> None:
    view = ReaderView()
    qtbot.addWidget(view)
    menu = QMenu()
    view.extend_context_menu(menu)
    submenu = menu.findChild(QMenu, "highlightMenu")
    assert submenu is not None
    texts = [a.text() for a in submenu.actions()]
    assert texts == [name.capitalize() for name in COLORS]
    assert [a.shortcut().toString() for a in submenu.actions()] == [str(n) for n in range(1, 9)]
    assert view.note_action in menu.actions()


def test_highlight_with_note_opens_the_notes_editor_on_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    assert window.notes_dock.isHidden()
    view = window.reader
    doc = view.document
    assert doc is not None
    view.set_current_sentence(3)  # no selection: the current sentence is highlighted
    view.focus_text()
    qtbot.keyClick(view.text_view, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.notes_panel.current is not None, timeout=5000)
    assert not window.notes_dock.isHidden()
    ann = window.notes_panel.current
    assert (ann.start, ann.end) == (doc.sentences[3].start, doc.sentences[3].end)
    qtbot.waitUntil(lambda: window.notes_panel.note_edit.hasFocus(), timeout=3000)
    qtbot.keyClicks(window.notes_panel.note_edit, "check this date")
    qtbot.waitUntil(lambda: stored(doc.doc_id)[0].note == "check this date", timeout=5000)


# --- notes panel in the window ----------------------------------------------------------------------------------


def test_a_click_in_the_notes_panel_scrolls_to_the_highlight_and_flashes_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    with Library(seed=False) as library:
        fa = library.get(seeded["fa"])
        last = max(
            library.paragraphs(fa.id)[-3:], key=lambda p: p.end - p.start
        )  # far below the first screen
        s, e = last.start + 10, last.start + 50
        Annotations(library).add(fa.id, s, e, color="blue", note="the end")
        ar = library.get(seeded["ar"])
        in_arabic = Annotations(library).add(ar.id, 40, 70, color="red", note="in Arabic")
    settings = ini_settings()
    settings.setValue("window/notes_visible", True)
    window = make_window(settings)
    start_and_settle(qtbot, window)
    panel, view = window.notes_panel, window.reader
    assert not window.notes_dock.isHidden()
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=5000)
    ((ps, pe),) = view.original_positions(s, e, build=True)
    bar = view.text_view.verticalScrollBar()
    assert view.position_y(ps)[0] > bar.value() + view.text_view.viewport().height()  # not on screen
    rect = panel.list.visualItemRect(panel.list.item(0))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.flash_ranges() == [(ps, pe)]
    top, bottom = view.position_y(ps)[0], view.position_y(pe - 1)[1]
    assert bar.value() <= top and bottom <= bar.value() + view.text_view.viewport().height()
    assert (ps, pe, view._colors.flash.name()) in painted(view)
    qtbot.waitUntil(lambda: not view.flash_ranges(), timeout=5000)  # it blinks, then stops

    # another document's note: the document opens at it
    panel.scope.setCurrentIndex(panel.scope.findData("library"))
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=5000)
    row = next(i for i in range(2) if panel.list.item(i).data(Qt.ItemDataRole.UserRole + 1).document == ar.id)
    rect = panel.list.visualItemRect(panel.list.item(row))
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=10_000):
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.document is not None and view.document.doc_id == ar.id
    assert view.flash_ranges() == view.original_positions(in_arabic.start, in_arabic.end) != []


def test_delete_then_ctrl_z_in_the_window_restores_the_highlight(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    with Library(seed=False) as library:
        fa = library.get(seeded["fa"])
        s, e = span_of(fa.text, FA_NEEDLE)
        ann = Annotations(library).add(fa.id, s, e, color="pink", note="a date", tags=["dates"])
    settings = ini_settings()
    settings.setValue("window/notes_visible", True)
    window = make_window(settings)
    start_and_settle(qtbot, window)
    view, panel = window.reader, window.notes_panel
    ((ps, pe),) = view.original_positions(s, e)
    full = COLORS["pink"][0].lower()
    qtbot.waitUntil(lambda: (ps, pe, full) in painted(view), timeout=5000)
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=5000)
    panel.list.setCurrentRow(0)
    panel.delete_button.click()
    qtbot.waitUntil(lambda: stored(fa.id) == [], timeout=5000)
    qtbot.waitUntil(lambda: (ps, pe, full) not in painted(view), timeout=5000)
    assert window.menu_actions["undo"].isEnabled()
    assert window.menu_actions["undo"].shortcut().toString() == "Ctrl+Z"
    view.focus_text()  # Ctrl+Z works from the reader, not only inside the notes panel
    qtbot.keyClick(view.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(stored(fa.id)) == 1, timeout=5000)
    back = stored(fa.id)[0]
    assert (back.uuid, back.note, back.tags, back.start, back.end) == (ann.uuid, "a date", ("dates",), s, e)
    qtbot.waitUntil(lambda: (ps, pe, full) in painted(view), timeout=5000)


def test_orphans_filter_lists_orphans_with_their_quote_and_note(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    path = tmp_path / "makale.txt"
    path.write_text("Birinci cümle burada.\n\nSilinecek önemli cümle.\n\nÜçüncü cümle.\n", encoding="utf-8")
    with Library() as library:
        doc = library.import_file(path, lang="tr").document
        store = Annotations(library)
        store.add(doc.id, *span_of(doc.text, "Silinecek önemli"), note="kept anyway")
        kept = store.add(doc.id, *span_of(doc.text, "Üçüncü"), note="still here")
        path.write_text("Birinci cümle burada.\n\nBaşka bir şey.\n\nÜçüncü cümle.\n", encoding="utf-8")
        library.import_file(path, lang="tr")
    settings = ini_settings()
    settings.setValue("window/notes_visible", True)
    window = make_window(settings, initial_document=str(doc.id))
    start_and_settle(qtbot, window)
    panel = window.notes_panel
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=5000)
    panel.orphans_filter.setChecked(True)
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=5000)
    text = panel.list.item(0).text()
    assert "Silinecek önemli" in text and "kept anyway" in text and "Orphan" in text
    # an orphan is not painted (its text is gone); the other highlight is
    view = window.reader
    qtbot.waitUntil(lambda: {h.ann_id for h in view.highlights()} == {kept.id}, timeout=5000)


def test_remove_confirmation_says_how_many_highlights_go(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    seeded: dict[str, int],
) -> None:
    with Library(seed=False) as library:
        store = Annotations(library)
        store.add(seeded["tr"], 0, 10, note="first")
        store.add(seeded["tr"], 20, 30)
        store.add(seeded["tr"], 40, 50)
    window = make_window()
    start_and_settle(qtbot, window)
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    window.library_panel.select_document(seeded["tr"])
    window.library_panel.confirm_remove()
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert "3 highlights (1 with a note)" in asked[0]
    window.library_panel.select_document(seeded["az"])
    window.library_panel.confirm_remove()
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=5000)
    assert "no highlights or notes" in asked[1]


# --- export, import, backups, settings --------------------------------------------------------------------------


def test_export_of_the_current_document_writes_every_format(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    tmp_path: Path,
    seeded: dict[str, int],
    install_tiny: Callable[..., Any],
) -> None:
    install_tiny("fa")  # TMX holds sentence pairs: the document is translated first
    with Library(seed=False) as library:
        fa = library.get(seeded["fa"])
        Annotations(library).add(fa.id, *span_of(fa.text, FA_NEEDLE), note="یادداشت مهم", tags=["war"])
    window = make_window()
    start_and_settle(qtbot, window)
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=60_000)

    def indexed() -> bool:  # TMX reads the indexed translations, written on the notes lane after "translated"
        with Library(seed=False) as library:
            return search.indexed_translations(library, fa.id) is not None

    qtbot.waitUntil(indexed, timeout=20_000)
    for fmt in ("md", "jsonld", "csv", "tmx", "html"):
        target = tmp_path / f"export.{fmt}"
        with qtbot.waitSignal(window.sig_exported, timeout=20_000) as written:
            window.export_to(target, fmt, [fa.id])
        assert written.args == [str(target)]
        text = target.read_text(encoding="utf-8")
        if fmt == "tmx":
            assert "</tu>" in text and f"<seg>{window.reader.translations[0].strip()}</seg>" in text
        else:
            assert FA_NEEDLE in text and "یادداشت مهم" in text, fmt
    data = json.loads((tmp_path / "export.jsonld").read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection" and data["total"] == 1


def test_an_export_that_cannot_be_written_says_so_once(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    window = make_window()
    start_and_settle(qtbot, window)
    with qtbot.waitSignal(window.sig_export_failed, timeout=10_000):
        window.export_to(tmp_path / "missing" / "x.md", "md", None)
    assert len(shown) == 1 and "\n" not in shown[0] and "does not exist" in shown[0]


def test_import_notes_restores_an_exported_collection(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path, seeded: dict[str, int]
) -> None:
    with Library(seed=False) as library:
        fa = library.get(seeded["fa"])
        ann = Annotations(library).add(fa.id, *span_of(fa.text, FA_NEEDLE), color="orange", note="n")
    window = make_window()
    start_and_settle(qtbot, window)
    target = tmp_path / "notes.jsonld"
    with qtbot.waitSignal(window.sig_exported, timeout=20_000):
        window.export_to(target, "jsonld", [fa.id])
    with Library(seed=False) as library:
        Annotations(library).delete(ann.id)
    with qtbot.waitSignal(window.sig_notes_imported, timeout=10_000) as imported:
        window.import_notes(target)
    assert imported.args[0].restored == 1
    (back,) = stored(fa.id)
    assert (back.uuid, back.start, back.end, back.color, back.note) == (
        ann.uuid,
        ann.start,
        ann.end,
        "orange",
        "n",
    )
    qtbot.waitUntil(lambda: len(window.reader.highlights()) == 2, timeout=5000)  # own + paired


def test_a_damaged_library_at_start_up_is_kept_and_the_backup_restores_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    with Library() as library:
        doc = library.documents()[0]
        Annotations(library).add(doc.id, 0, 12, note="before the damage")
        made = backup.backup_now(library)
    db = paths.library_db()
    garbage = b"this is not a database " * 4096
    db.write_bytes(garbage)
    window = make_window()
    with qtbot.waitSignal(window.sig_library_damaged, timeout=20_000) as damaged:
        window.start()
    assert "damaged" in damaged.args[0]
    assert db.read_bytes() == garbage  # never overwritten
    box = window.damaged_box
    assert box is not None and box.isVisible()
    assert str(db) in box.text()
    assert window.damaged_restore_button is not None
    assert "damaged" in window.reader.placeholder.text()
    with qtbot.waitSignal(window.sig_library_loaded, timeout=30_000):
        window.damaged_restore_button.click()
    assert len(window.library_panel.document_ids()) == 5
    (ann,) = stored(doc.id)
    assert ann.note == "before the damage"
    aside = [
        p for p in db.parent.iterdir() if p.name.startswith("library.db.damaged-") and "-wal" not in p.name
    ]
    assert [p.read_bytes() == garbage for p in aside if not p.name.endswith("-shm")] == [True]
    assert backup.check_file(db) == "ok" and made.exists()
    qtbot.waitUntil(lambda: window.reader.document is not None, timeout=10_000)


def test_restore_from_backup_while_open_closes_every_connection_first(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    with Library(seed=False) as library:
        made = backup.backup_now(library)
    window = make_window()
    start_and_settle(qtbot, window)
    doc = seeded["fa"]
    # connections are open on the notes lane (a highlight added after the backup) and on the search lane
    with qtbot.waitSignal(window.notes_panel.sig_annotations_changed, timeout=5000):
        window.notes_panel.add_annotation(doc, 0, 10, note="after the backup")
    with qtbot.waitSignal(window.search_panel.sig_results, timeout=10_000):
        window.search_panel.search("باکو")
    assert len(stored(doc)) == 1
    with qtbot.waitSignal(window.sig_restored, timeout=30_000) as restored:
        window.restore_backup(made)
    assert not window.menu_actions["undo"].isEnabled()  # the undo stack spoke of the replaced library
    qtbot.waitUntil(lambda: window.reader.document is not None, timeout=10_000)
    assert stored(doc) == []  # the library is the backup's
    aside = restored.args[0].kept_aside
    assert aside and all(p.exists() for p in aside)
    import sqlite3

    main = next(p for p in aside if not p.name.endswith(("-wal", "-shm")))
    conn = sqlite3.connect(main)  # the replaced library, kept with its WAL: the note is still in it
    try:
        assert conn.execute("SELECT note FROM annotations").fetchall() == [("after the backup",)]
    finally:
        conn.close()
    assert window.library_panel.isEnabled()


def test_a_daily_backup_is_made_after_start_up(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window()
    with qtbot.waitSignal(window.sig_backup_done, timeout=30_000) as done:
        window.start()
    made = Path(done.args[0])
    assert made.parent == paths.backups_dir() and backup.check_file(made) == "ok"
    assert [b.path for b in backup.list_backups()] == [made]


def test_the_notes_dock_visibility_is_remembered(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    assert window.notes_dock.isHidden()  # first run: the reading area gets the room
    window.menu_actions["notes"].trigger()
    assert not window.notes_dock.isHidden() and window.menu_actions["notes"].isChecked()
    window.close()
    again = make_window()
    start_and_settle(qtbot, again)
    assert not again.notes_dock.isHidden() and again.menu_actions["notes"].isChecked()
    again.set_notes_visible(False)
    again.close()
    third = make_window()
    assert third.notes_dock.isHidden() and not third.menu_actions["notes"].isChecked()


def test_the_restore_and_export_dialogs(qtbot: QtBot) -> None:
    from reader.ui.dialogs import ExportDialog, RestoreDialog

    with Library() as library:
        first = backup.backup_now(library)
        second = backup.backup_now(library)  # a second one the same second gets a later name
    dialog = RestoreDialog(backup.list_backups())
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2 and dialog.restore_button.isEnabled()
    assert dialog.selected() == max(first, second, key=lambda p: p.name)  # the newest is offered first
    empty = RestoreDialog([])
    qtbot.addWidget(empty)
    assert not empty.restore_button.isEnabled() and empty.selected() is None
    export = ExportDialog("عنوان")
    qtbot.addWidget(export)
    assert export.choice() == ("md", False)
    export.format.setCurrentIndex(export.format.findData("tmx"))
    export.library.setChecked(True)
    assert export.choice() == ("tmx", True)
    without_document = ExportDialog(None)
    qtbot.addWidget(without_document)
    assert without_document.choice()[1] is True and not without_document.current.isEnabled()
