"""The whole window in a temporary home: first run, banner, streaming, cancel, no freeze, settings, import."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from reader import paths
from reader.core.store.library import Library
from reader.translation.engine import Engine
from reader.ui.main_window import MainWindow
from tests.helpers import ROOT
from tests.ui.support import (
    SlowEngine,
    ini_settings,
    slow_engine_factory,
    start_and_settle,
)
from translations_cache import TranslationMemory


def cached_translations(doc_id: int) -> dict[int, str]:
    """What the translation memory holds for a document, read independently of the UI."""
    with Library(seed=False) as library:
        doc = library.get(doc_id)
        texts = [doc.text[s.start : s.end] for s in library.segments(doc_id)]
    with TranslationMemory(paths.translations_db()) as memory:
        engine = Engine(memory=memory)
        try:
            return engine.cached(texts, doc.lang, "en")
        finally:
            engine.close()


def test_first_run_lists_the_five_seeds_and_opens_the_persian_one(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    panel = window.library_panel
    assert len(panel.document_ids()) == 5
    with Library(seed=False) as library:
        titles = sorted(d.title for d in library.documents())
        persian = [d.id for d in library.documents() if d.lang == "fa"]
    assert sorted(panel.visible_titles()) == titles
    assert window.reader.document is not None
    assert window.reader.document.lang == "fa"
    assert window.reader.document.doc_id == persian[0]
    assert panel.current_document() == persian[0]
    assert panel.row_text(persian[0])[1:3] == ["fa", "RTL"]
    # the filter narrows by title words and by language name
    panel.filter_edit.setText("Arabic")
    assert len(panel.visible_titles()) == 1
    # letter variants fold: bare alef and Persian ye typed for the Arabic title's أذربيجان
    panel.filter_edit.setText("اذربیجان")
    assert panel.visible_titles() == [t for t in titles if "أذربيجان" in t]
    # Turkish capital İ is found by a lower-case i
    panel.filter_edit.setText("ilham")
    assert panel.visible_titles() == [t for t in titles if "İlham" in t]
    panel.filter_edit.setText("")


def test_missing_model_shows_a_banner_naming_the_pair(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    banner = window.reader.banner
    assert banner.isVisible()
    assert "No Persian→English model is installed" in banner.label.text()
    assert banner.install_button.text() == "Install from file…"
    assert banner.download_button.text() == "Download…"
    assert window.controller.state == "no-model"
    # the original is readable: every sentence of the document is in the reader
    doc = window.reader.document
    assert doc is not None
    qtbot.waitUntil(window.reader.is_built, timeout=10_000)  # the rows below the fold follow by themselves
    raw = window.reader.text_view.document().toRawText()
    assert all(doc.sentence_text(s.index) in raw for s in doc.sentences)
    assert window.status.network_label.text() == "○ Offline"


def test_installing_from_the_banner_translates_the_document(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tiny_argos_archives: dict[str, Path]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    assert window.reader.banner.isVisible()
    window.controller.install_from_file(tiny_argos_archives["fa_en"])
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=30_000)
    assert not window.reader.banner.isVisible()
    doc = window.reader.document
    assert doc is not None
    assert window.reader.translations == cached_translations(doc.doc_id)
    assert len(window.reader.translations) == len(doc.sentences)


def test_streaming_fills_every_sentence_visible_part_first(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    install_tiny: Callable[..., Any],
    seeded: dict[str, int],
) -> None:
    install_tiny("fa")
    settings = ini_settings()
    settings.setValue(f"positions/{seeded['fa']}", 14)  # the reader was left in the middle of the article
    engines: list[SlowEngine] = []
    window = make_window(settings, engine_factory=slow_engine_factory(0.01, engines))
    start_and_settle(qtbot, window)
    visible = window.reader.visible_sentences()
    doc = window.reader.document
    assert doc is not None and visible and len(visible) < len(doc.sentences)
    assert 0 not in visible and 14 in visible
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=60_000)
    reader = window.reader
    assert len(reader.translations) == len(doc.sentences)
    assert reader.translations == cached_translations(doc.doc_id)
    lane_engine = next(e for e in engines if e.translated)  # the others only looked at the cache
    assert [e for e in engines if e.translated] == [lane_engine]
    first = lane_engine.translated[: len(visible)]
    assert set(first) == {doc.sentence_text(i) for i in visible}  # the visible part came first
    # what is shown in each translation cell is that sentence's translation
    raw = reader.text_view.document().toRawText()
    for s in doc.sentences:
        start, end = reader.translation_range(s.index)
        assert raw[start:end] == " ".join(reader.translations[s.index].split())
    assert window.status.progress.isHidden()


def test_reopening_a_cached_document_needs_no_model_call(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    install_tiny: Callable[..., Any],
    seeded: dict[str, int],
) -> None:
    install_tiny("fa")
    engines: list[SlowEngine] = []
    window = make_window(engine_factory=slow_engine_factory(0.0, engines))
    start_and_settle(qtbot, window)
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=60_000)
    calls = sum(len(e.translated) for e in engines)
    window.open_document(seeded["az"])
    qtbot.waitUntil(lambda: window.reader.document is not None and window.reader.document.lang == "az")
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=10_000):
        window.open_document(seeded["fa"])
    doc = window.reader.document
    assert doc is not None
    assert len(window.reader.translations) == len(doc.sentences)  # all there when the document appears
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=10_000)
    assert sum(len(e.translated) for e in engines) == calls


def test_cancel_stops_the_translation(
    qtbot: QtBot, make_window: Callable[..., MainWindow], install_tiny: Callable[..., Any]
) -> None:
    install_tiny("fa")
    window = make_window(engine_factory=slow_engine_factory(0.25))
    start_and_settle(qtbot, window)  # settles when the visible part is translated
    assert window.controller.state == "translating"
    assert window.status.cancel_button.isVisible()
    qtbot.mouseClick(window.status.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.state == "stopped", timeout=10_000)
    doc = window.reader.document
    assert doc is not None
    done = len(window.reader.translations)
    assert 0 < done < len(doc.sentences)
    qtbot.wait(800)  # several batches' worth: nothing more arrives
    assert len(window.reader.translations) == done
    assert len(cached_translations(doc.doc_id)) == done
    raw = window.reader.text_view.document().toRawText()
    assert "…" not in raw  # no "still translating" placeholders once stopped
    assert "Stopped" in window.status.currentMessage()


def test_the_event_loop_keeps_running_while_a_slow_engine_works(
    qtbot: QtBot, make_window: Callable[..., MainWindow], install_tiny: Callable[..., Any]
) -> None:
    install_tiny("fa")
    window = make_window(engine_factory=slow_engine_factory(0.05))
    clock = QElapsedTimer()
    clock.start()
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(clock.elapsed()))
    timer.start()
    start_and_settle(qtbot, window)
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=60_000)
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 50  # the translation took a while and the timer kept firing
    longest = max(gaps)
    print(f"longest stall {longest} ms over {len(ticks)} ticks")
    assert longest < 250, f"the GUI thread stalled for {longest} ms"


def test_results_for_a_document_left_behind_are_dropped(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    install_tiny: Callable[..., Any],
    seeded: dict[str, int],
) -> None:
    install_tiny("fa")
    install_tiny("ar")
    window = make_window(engine_factory=slow_engine_factory(0.1))
    start_and_settle(qtbot, window)
    assert window.controller.state == "translating"  # the Persian document is still being translated
    window.open_document(seeded["ar"])
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=60_000)
    doc = window.reader.document
    assert doc is not None and doc.lang == "ar"
    assert window.reader.translations == cached_translations(doc.doc_id)
    # the Persian run stopped early: not everything of it was translated
    with Library(seed=False) as library:
        persian_sentences = len(library.segments(seeded["fa"]))
    assert len(cached_translations(seeded["fa"])) < persian_sentences


def test_settings_are_restored_when_the_window_is_created_again(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    window.resize(
        780, 560
    )  # fits the offscreen platform's 800×600 screen (restoreGeometry keeps it on screen)
    window.splitter.setSizes([230, 550])
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=10_000):
        window.open_document(seeded["ar"])
    window.reader.set_zoom(2)
    window.menu_actions["swap"].trigger()
    qtbot.wait(50)
    window.reader.scroll_to_sentence(9, top=True)
    assert window.reader.top_sentence() == 9
    sizes = window.splitter.sizes()
    window.close()

    again = make_window(size=False)
    start_and_settle(qtbot, again)
    assert (again.width(), again.height()) == (780, 560)
    assert again.splitter.sizes() == sizes
    assert again.reader.document is not None and again.reader.document.doc_id == seeded["ar"]
    assert again.reader.zoom == 2
    assert again.reader.swapped and again.menu_actions["swap"].isChecked()
    assert again.reader.top_sentence() == 9


def test_importing_a_file_adds_and_opens_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path, seeded: dict[str, int]
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    article = tmp_path / "kitab.txt"
    article.write_text(
        "کتاب تازه\n\nاین یک متن آزمایشی است که برای آزمودن وارد کردن نوشته شده است. جمله دوم این متن است.\n",
        encoding="utf-8",
    )
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=20_000):
        window.import_paths([str(article)])
    assert len(window.library_panel.document_ids()) == 6
    doc = window.reader.document
    assert doc is not None and doc.text.startswith("کتاب تازه")
    assert doc.doc_id not in seeded.values()
    assert window.library_panel.current_document() == doc.doc_id


def test_removing_asks_first_and_then_removes(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    seeded: dict[str, int],
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    panel = window.library_panel
    panel.select_document(seeded["tr"])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    panel.confirm_remove()
    qtbot.wait(100)
    assert len(panel.document_ids()) == 5
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.select_document(seeded["tr"])
    with qtbot.waitSignal(window.sig_library_loaded, timeout=10_000):
        panel.confirm_remove()
    assert seeded["tr"] not in panel.document_ids()
    assert len(panel.document_ids()) == 4


def test_every_menu_action_has_a_shortcut_or_is_a_dialog(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    for key in ("import", "models", "library", "swap", "interlinear", "zoom_in", "zoom_out", "fullscreen",
                "next", "previous", "find", "translate", "cancel"):  # fmt: skip
        assert not window.menu_actions[key].shortcut().isEmpty(), key
    assert window.menu_actions["fullscreen"].shortcut().toString() == "F11"
    assert window.menu_actions["find"].shortcut().toString() == "Ctrl+F"
    for widget in (window.reader, window.library_panel, window.reader.text_view, window.status):
        assert widget.accessibleName()


def test_screenshot_command_writes_a_window_png(tmp_path: Path, yanyana_home: Path) -> None:
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", YANYANA_HOME=str(yanyana_home))
    result = subprocess.run(
        [sys.executable, "-m", "reader", "open", "--screenshot", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_models_dialog_lists_installs_and_removes(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    tiny_argos_archives: dict[str, Path],
    install_tiny: Callable[..., Any],
) -> None:
    from reader.translation import models
    from reader.ui.models_dialog import ModelsDialog
    from reader.ui.tasks import TaskManager

    install_tiny("fa")
    tasks = TaskManager()
    dialog = ModelsDialog(tasks)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.installed_pairs() == [("fa", "en")], timeout=10_000)
    with qtbot.waitSignal(dialog.sig_models_changed, timeout=20_000):
        dialog.install_file(tiny_argos_archives["ar_en"])
    qtbot.waitUntil(lambda: dialog.installed_pairs() == [("ar", "en"), ("fa", "en")], timeout=10_000)
    dialog.installed_table.selectRow(1)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.sig_models_changed, timeout=20_000):
        dialog.remove_selected()
    qtbot.waitUntil(lambda: dialog.installed_pairs() == [("ar", "en")], timeout=10_000)
    assert [(m.from_code, m.to_code) for m in models.list_installed()] == [("ar", "en")]
    # a refused file: one sentence in the dialog, nothing installed
    bad = tmp_path / "not-a-model.argosmodel"
    bad.write_text("hello", encoding="utf-8")
    dialog.install_file(bad)
    qtbot.waitUntil(lambda: "not an Argos model" in dialog.message.text(), timeout=10_000)
    assert "\n" not in dialog.message.text() and "Traceback" not in dialog.message.text()
    tasks.shutdown()


def test_library_panel_counts_notes(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int]
) -> None:
    from reader.core.store.annotations import Annotations

    with Library(seed=False) as library:
        notes = Annotations(library)
        notes.add(seeded["ar"], 0, 8, note="Who wrote this?")
        notes.add(seeded["ar"], 20, 30, note="Check the date.")
        notes.add(seeded["ar"], 40, 50)  # a highlight without a note is not counted
    window = make_window()
    start_and_settle(qtbot, window)
    # the Notes column counts highlights and notes; the tooltip splits them
    assert window.library_panel.row_text(seeded["ar"])[4] == "3"
    assert window.library_panel.row_tooltips(seeded["ar"])[4] == "3 highlights, 2 with notes"
    assert window.library_panel.row_text(seeded["fa"])[4] == "0"
    assert window.library_panel.row_tooltips(seeded["fa"])[4] == "No highlights or notes"
