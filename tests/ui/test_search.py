"""The search panel in the window (pytest-qt, offscreen): folded queries, snippets, jumping to the hit in the
original, the translation (after translating with a tiny model) and the notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from reader.core.store.annotations import Annotations
from reader.core.store.library import Library
from reader.core.store.search import SearchHit
from reader.core.text import folding
from reader.ui.main_window import MainWindow
from reader.ui.search_panel import SearchPanel, hit_html, snippet_html
from reader.ui.tasks import TaskManager
from reader.ui.texts import is_rtl
from tests.ui.support import ini_settings, start_and_settle


def visible(window: MainWindow, start: int, end: int) -> bool:
    view = window.reader
    bar = view.text_view.verticalScrollBar()
    top, bottom = view.position_y(start)[0], view.position_y(max(start, end - 1))[1]
    return bar.value() <= top and bottom <= bar.value() + view.text_view.viewport().height()


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key (QTest.keyClicks handles ASCII only)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def activate(qtbot: QtBot, panel: SearchPanel, row: int) -> None:
    item = panel.results.item(row)
    panel.results.scrollToItem(item)
    rect = panel.results.visualItemRect(item)
    qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_ctrl_shift_f_finds_a_persian_word_typed_with_arabic_letters_and_opens_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    settings = ini_settings()
    settings.setValue("reader/last_document", seeded["ar"])  # another document is open
    window = make_window(settings)
    start_and_settle(qtbot, window)
    assert window.reader.document is not None and window.reader.document.doc_id == seeded["ar"]
    assert window.search_dock.isHidden()
    qtbot.keyClick(
        window.reader.text_view,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    panel = window.search_panel
    assert not window.search_dock.isHidden() and panel.query_edit.hasFocus()
    # "ایروان" (Yerevan) in the Persian seed is spelled with Persian yeh ی; type it with Arabic yeh ي
    query = "ايروان"
    assert "ي" in query and "ی" not in query
    with qtbot.waitSignal(panel.sig_results, timeout=10_000) as results:
        type_text(panel.query_edit, query)  # searched as you type (debounced)
    assert results.args[0] > 0
    hits = panel.hits()
    assert {h.kind for h in hits} == {"original"}
    assert {h.document for h in hits} == {seeded["fa"]}
    with Library(seed=False) as library:
        fa_text = library.get(seeded["fa"]).text
    for hit in hits:
        assert folding.fold(fa_text[hit.start : hit.end], "fa").startswith(folding.fold(query, "fa"))
        assert "ی" in fa_text[hit.start : hit.end]  # the real text, not the folded query
        a, b = hit.marks[0]
        assert hit.snippet[a:b] == fa_text[hit.start : hit.end]
    # the result is drawn with its title and the match in bold
    html = panel.results.item(0).data(Qt.ItemDataRole.UserRole + 2)
    assert f"<b>{fa_text[hits[0].start : hits[0].end]}</b>" in html and 'dir="rtl"' in html
    # activating the last result opens the Persian document at the match and flashes it
    last = hits[-1]
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=10_000):
        activate(qtbot, panel, len(hits) - 1)
    view = window.reader
    assert view.document is not None and view.document.doc_id == seeded["fa"]
    ranges = view.original_positions(last.start, last.end)
    assert view.flash_ranges() == ranges != []
    assert visible(window, ranges[0][0], ranges[0][1])
    raw = view.text_view.document().toRawText()
    assert raw[ranges[0][0] : ranges[0][1]] == fa_text[last.start : last.end]


def test_translations_are_searchable_after_translating_and_the_hit_opens_in_the_translation_pane(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    install_tiny: Callable[..., Any],
    seeded: dict[str, int],
) -> None:
    install_tiny("fa")
    window = make_window()
    with qtbot.waitSignal(window.controller.sig_indexed, timeout=60_000) as indexed:
        start_and_settle(qtbot, window)
    doc = window.reader.document
    assert doc is not None and indexed.args == [doc.doc_id, len(doc.sentences)]
    translations = window.reader.translations
    # a word that occurs in the translations (tiny model: a few Persian-looking syllables)
    word = next(w for t in translations.values() for w in t.split() if len(w) >= 3)
    panel = window.search_panel
    panel.kind.setCurrentIndex(panel.kind.findData("translation"))
    with qtbot.waitSignal(panel.sig_results, timeout=10_000):
        panel.search(word)
    hits = panel.hits()
    assert hits and {h.kind for h in hits} == {"translation"}
    expected = {i for i, t in translations.items() if word in t.split()}
    assert {h.segment for h in hits} <= {
        i for i, t in translations.items() if folding.fold(word) in folding.fold(t)
    }
    assert {h.segment for h in hits} & expected
    hit = hits[0]
    assert translations[hit.segment].strip()[hit.start : hit.end] == word
    window.reader.text_view.verticalScrollBar().setValue(0)
    activate(qtbot, panel, 0)
    ranges = window.reader.translation_positions(hit.segment, hit.start, hit.end)
    assert window.reader.flash_ranges() == ranges != []
    raw = window.reader.text_view.document().toRawText()
    assert raw[ranges[0][0] : ranges[0][1]] == word
    # the second run finds the same text already indexed: nothing is written again
    with qtbot.waitSignal(window.controller.sig_indexed, timeout=20_000) as again:
        window.controller._index_for_search()
    assert again.args == [doc.doc_id, 0]


def test_a_note_hit_opens_its_highlight_and_selects_it_in_the_notes_panel(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    with Library(seed=False) as library:
        tr = library.get(seeded["tr"])
        start_offset = tr.text.index("Aliyev")
        ann = Annotations(library).add(
            tr.id, start_offset, start_offset + 6, note="İstanbul görüşmesi önemli", tags=["diplomasi"]
        )
    window = make_window()
    start_and_settle(qtbot, window)
    assert window.reader.document is not None and window.reader.document.doc_id == seeded["fa"]
    panel = window.search_panel
    window.open_search()
    # Turkish dotted capital İ typed as a plain lower-case i
    with qtbot.waitSignal(panel.sig_results, timeout=10_000):
        panel.search("istanbul görüşme")
    notes = [h for h in panel.hits() if h.kind == "note"]
    assert [h.annotation for h in notes] == [ann.id]
    row = panel.hits().index(notes[0])
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=10_000):
        activate(qtbot, panel, row)
    view = window.reader
    assert view.document is not None and view.document.doc_id == tr.id
    qtbot.waitUntil(
        lambda: view.flash_ranges() == view.original_positions(ann.start, ann.end) != [], timeout=5000
    )
    qtbot.waitUntil(
        lambda: window.notes_panel.current is not None and window.notes_panel.current.id == ann.id,
        timeout=5000,
    )


def test_this_document_scope_and_an_empty_result(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    settings = ini_settings()
    settings.setValue("reader/last_document", seeded["tr"])
    window = make_window(settings)
    start_and_settle(qtbot, window)
    panel = window.search_panel
    with qtbot.waitSignal(panel.sig_results, timeout=10_000):
        panel.search("blinken")  # in both Azerbaijani seeds and the Turkish one
    everywhere = {h.document for h in panel.hits()}
    assert seeded["tr"] in everywhere and seeded["az"] in everywhere
    with qtbot.waitSignal(panel.sig_results, timeout=10_000):
        panel.scope.setCurrentIndex(panel.scope.findData("document"))
    assert {h.document for h in panel.hits()} == {seeded["tr"]}
    with qtbot.waitSignal(panel.sig_results, timeout=10_000) as none:
        panel.search("zzzxqv")
    assert none.args == [0] and panel.status.text() == "No results."


def test_stale_answers_are_dropped(qtbot: QtBot) -> None:
    """Only the answer to the last query is shown, however the workers finish."""
    tasks = TaskManager()
    panel = SearchPanel(tasks, debounce_ms=10_000)
    qtbot.addWidget(panel)
    shown: list[int] = []
    panel.sig_results.connect(shown.append)
    with Library():
        pass  # seeds the library
    panel.search("باکو")
    panel.search("zzzxqv")
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    tasks.wait()
    qtbot.wait(50)
    assert shown == [0] and panel.hits() == []
    panel.close_library()
    tasks.shutdown()


def test_snippet_html_escapes_and_marks() -> None:
    assert snippet_html("a <b> c", [(2, 5)]) == "a <b>&lt;b&gt;</b> c"
    assert is_rtl("«باکو» Baku") and not is_rtl("Baku «باکو»") and not is_rtl("123")
    hit = SearchHit("note", 1, "T & U", None, 3, None, 0, 2, "ok", ((0, 2),))
    assert "T &amp; U" in hit_html(hit) and "<b>ok</b>" in hit_html(hit)
