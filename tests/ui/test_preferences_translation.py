"""Preferences ▸ Translation: the compute type reaches the next engine the controller builds (and persists in
the settings), the author name is stored in library.db (where the CLI reads it) and goes on the corrections made
in the window afterwards; Cancel leaves both as they were."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from reader.core.store.corrections import Corrections, default_author
from reader.core.store.library import Library
from reader.translation import models
from reader.translation.engine import Engine
from reader.ui.controller import default_engine_factory
from reader.ui.main_window import MainWindow
from reader.ui.operations import store_resource
from reader.ui.preferences import COMPUTE_TYPE_KEY, PreferencesDialog, TranslationPrefs
from tests.ui.support import ini_settings, start_and_settle


def stored_author() -> str:
    with Library(seed=False) as library:
        return default_author(library)


def open_preferences(qtbot: QtBot, window: MainWindow) -> PreferencesDialog:
    window.show_preferences()
    dialog = window.preferences_dialog
    assert isinstance(dialog, PreferencesDialog)
    qtbot.waitUntil(dialog.author.isEnabled, timeout=10_000)  # read from library.db on the store lane
    return dialog


def test_compute_type_and_author_reach_the_engine_and_the_corrections(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    tiny_argos_archives: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("YANYANA_AUTHOR", "os-user")
    monkeypatch.delenv("YANYANA_COMPUTE_TYPE", raising=False)
    (model,) = models.install_from_path(tiny_argos_archives["fa_en_int8"])
    built: list[Engine] = []

    def factory(memory: Any, *, compute_type: str | None = None) -> Engine:
        engine = default_engine_factory(memory, compute_type=compute_type)
        assert isinstance(engine, Engine)
        built.append(engine)
        return engine

    window = make_window(engine_factory=factory)
    start_and_settle(qtbot, window)
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=60_000)
    assert built and all(e.compute_type == "default" for e in built)
    assert built[-1].model_compute_type(model).startswith("int8")
    doc = window.reader.document
    assert doc is not None

    # the dialog shows what is in use: the package's own type, the author name as the CLI would use it
    dialog = open_preferences(qtbot, window)
    assert dialog.compute_type.currentData() == "default"
    assert dialog.author.text() == "os-user"
    dialog.compute_type.setCurrentIndex(dialog.compute_type.findData("float32"))
    dialog.author.setText("  Leyla   Rahimi ")
    with qtbot.waitSignal(window.sig_author_saved, timeout=10_000):
        dialog.accept()
    assert window.controller.compute_type == "float32"
    assert TranslationPrefs.load_compute_type(ini_settings()) == "float32"
    assert stored_author() == "Leyla Rahimi"

    # the next engine the controller builds runs in float32; the int8 translations in the memory do not
    # answer for it (another key), so the document is translated again, by the new engine
    count = len(built)
    with qtbot.waitSignal(window.controller.sig_document_opened, timeout=10_000):
        window.controller.open_document(doc.doc_id)
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=60_000)
    fresh = built[count:]
    assert fresh and all(e.compute_type == "float32" for e in fresh)
    assert any(e.model_calls > 0 for e in fresh)
    assert all(e.model_compute_type(model) == "float32" for e in fresh)
    assert fresh[-1].cache_key([model]).endswith("/float32")

    # a correction made in the window afterwards carries the new author name
    with qtbot.waitSignal(window.corrections.sig_saved, timeout=10_000):
        window.corrections.save(2, "The spokesman of the ministry said so.")
    with Library(seed=False) as library:
        correction = Corrections(library).get(doc.doc_id, 2)
    assert correction is not None and correction.author == "Leyla Rahimi"

    # Cancel leaves both as they were
    dialog = open_preferences(qtbot, window)
    assert dialog.compute_type.currentData() == "float32" and dialog.author.text() == "Leyla Rahimi"
    dialog.compute_type.setCurrentIndex(dialog.compute_type.findData("default"))
    dialog.author.setText("Someone Else")
    dialog.reject()
    qtbot.wait(200)  # nothing is queued on the store lane by a Cancel; give a stray write the time to land
    assert window.controller.compute_type == "float32"
    assert ini_settings().value(COMPUTE_TYPE_KEY) == "float32"
    assert stored_author() == "Leyla Rahimi"

    # closed (and deleted) before the author name was read: the late answer is dropped, not delivered to it
    gate = threading.Event()
    store_resource(window.tasks).run(lambda _store: gate.wait(10), name="hold the store lane")
    window.show_preferences()
    closing = window.preferences_dialog
    assert isinstance(closing, PreferencesDialog)
    closing.reject()
    qtbot.waitUntil(lambda: not shiboken6.isValid(closing), timeout=10_000)
    gate.set()
    with qtbot.waitSignal(window.corrections.sig_reverted, timeout=10_000):  # queued after the read
        window.corrections.revert(2)

    # a window started later builds its engines in the saved compute type
    window.close()
    built.clear()
    again = make_window(engine_factory=factory)
    start_and_settle(qtbot, again)
    assert again.controller.compute_type == "float32"
    assert built and all(e.compute_type == "float32" for e in built)
