"""Translations never look lost: a removed model's translations stay shown, a stopped translation says so and
resumes, the models dialog explains an empty Remove."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.translation import models
from reader.ui.main_window import MainWindow
from reader.ui.reader import PENDING_MARK, STOPPED_MARK
from tests.ui.support import slow_engine_factory, start_and_settle


def test_removing_the_model_keeps_its_translations_on_screen(
    qtbot: QtBot, make_window: Callable[..., MainWindow], install_tiny: Callable[..., Any]
) -> None:
    install_tiny("fa")
    window = make_window()
    with qtbot.waitSignal(window.controller.sig_indexed, timeout=60_000):
        start_and_settle(qtbot, window)
        qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=60_000)
    doc = window.reader.document
    assert doc is not None
    made = dict(window.reader.translations)
    assert len(made) == len(doc.sentences)

    models.remove("fa", "en")
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=20_000):
        window.controller.models_changed()  # what the models dialog's sig_models_changed does
    assert window.controller.state == "no-model"
    assert window.reader.translations == made
    banner = window.reader.banner
    assert banner.isVisible() and banner.mode == "missing"
    assert "for new sentences" in banner.label.text() and "(all)" in banner.label.text()
    window.reader.flush()
    raw = window.reader.text_view.document().toRawText()
    # every translation is painted in its cell, not just kept in memory
    start, end = window.reader.translation_range(3)
    assert raw[start:end] == " ".join(made[3].split())


def test_a_stopped_translation_marks_the_rest_and_resumes(
    qtbot: QtBot, make_window: Callable[..., MainWindow], install_tiny: Callable[..., Any]
) -> None:
    install_tiny("fa")
    window = make_window(engine_factory=slow_engine_factory(0.25))
    start_and_settle(qtbot, window)
    assert window.controller.state == "translating"
    qtbot.mouseClick(window.status.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.state == "stopped", timeout=10_000)
    view = window.reader
    doc = view.document
    assert doc is not None
    missing = [i for i in range(len(doc.sentences)) if i not in view.translations]
    assert missing
    view.flush()
    raw = view.text_view.document().toRawText()
    assert STOPPED_MARK in raw and PENDING_MARK not in raw
    start, end = view.translation_range(missing[0])
    assert raw[start:end] == STOPPED_MARK
    # the marker is muted, not text that could be taken for a translation
    cursor = view.text_view.textCursor()
    cursor.setPosition(start + 1)
    assert cursor.charFormat().foreground().color() == view.colors.muted
    assert view.banner.isVisible() and view.banner.mode == "stopped"
    assert view.banner.resume_button.isVisible() and not view.banner.download_button.isVisible()
    assert f"{len(view.translations)} of {len(doc.sentences)}" in view.banner.label.text()

    window.controller.engine_factory = slow_engine_factory(0.0)
    window.controller.reset_engine()
    qtbot.mouseClick(view.banner.resume_button, Qt.MouseButton.LeftButton)
    assert not view.banner.isVisible()
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=60_000)
    view.flush()
    raw = view.text_view.document().toRawText()
    assert STOPPED_MARK not in raw and len(view.translations) == len(doc.sentences)


def test_remove_with_nothing_selected_says_so(qtbot: QtBot, install_tiny: Callable[..., Any]) -> None:
    from reader.ui.models_dialog import ModelsDialog
    from reader.ui.tasks import TaskManager

    install_tiny("fa")
    tasks = TaskManager()
    dialog = ModelsDialog(tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.installed_pairs() == [("fa", "en")], timeout=10_000)
    dialog.installed_table.clearSelection()
    table_height = dialog.installed_table.height()
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert "Select the model to remove" in dialog.message.text()
    assert models.find("fa", "en") is not None
    qtbot.wait(20)
    assert dialog.installed_table.height() == table_height  # the message did not push the layout about
    tasks.shutdown()


def test_translate_all_queues_the_library_and_resumes_after_a_restart(
    qtbot: QtBot, make_window: Callable[..., MainWindow], install_tiny: Callable[..., Any]
) -> None:
    from reader.core.store.library import Library
    from reader.ui.translate_all import QUEUE_KEY
    from tests.ui.support import ini_settings
    from tests.ui.test_main_window import cached_translations

    install_tiny("fa")
    install_tiny("ar")
    window = make_window(engine_factory=slow_engine_factory(0.03))
    start_and_settle(qtbot, window)
    with Library(seed=False) as library:
        docs = {d.id: (d.lang, len(library.segments(d.id))) for d in library.documents()}
    window.menu_actions["translate_all"].trigger()
    assert window.status.library_progress.isVisible()
    qtbot.waitUntil(lambda: window.translate_all.done >= 1, timeout=60_000)
    left = window.translate_all.pending()
    assert left and len(left) < len(docs)
    window.close()  # quitting mid-way keeps the queue
    saved = ini_settings().value(QUEUE_KEY)
    assert saved
    kept = [int(v) for v in str(saved).split(",")]
    # what was still queued, in order (a document that finished while the window was closing has left it)
    assert kept == left[len(left) - len(kept) :]

    again = make_window(engine_factory=slow_engine_factory(0.0))
    with qtbot.waitSignal(again.translate_all.sig_finished, timeout=120_000) as finished:
        start_and_settle(qtbot, again)
    assert "no installed model" in finished.args[0]
    assert ini_settings().value(QUEUE_KEY) is None
    for doc_id, (lang, count) in docs.items():
        if lang in ("fa", "ar"):
            assert len(cached_translations(doc_id)) == count, lang
            assert again.library_panel.row_text(doc_id)[3] == "100%"
