"""Fixtures of the UI tests: the seeded library, main windows closed after the test.

Plain helpers (no fixtures) are in :mod:`tests.ui.support`; tiny Argos models (``install_tiny``,
``tiny_argos_archives``) come from tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from reader.core.store.library import Library
from reader.ui.main_window import MainWindow
from tests.ui.support import ini_settings


@pytest.fixture(autouse=True)
def no_unexpected_message_box(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody answers would block an offscreen run for ever: unless a test answers it (its own
    ``monkeypatch.setattr`` wins over this one), showing one fails the test with the message it would have shown."""

    def unexpected(kind: str) -> Callable[..., Any]:
        def show(_parent: object, title: str, text: str, *args: object, **kwargs: object) -> Any:
            raise AssertionError(f"unexpected {kind} message box: {title}: {text}")

        return show

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, unexpected(kind))


@pytest.fixture
def seeded() -> dict[str, int]:
    """The seeded library of this test's home: language → first document id."""
    with Library() as library:
        ids: dict[str, int] = {}
        for doc in library.documents():
            ids.setdefault(doc.lang, doc.id)
    return ids


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[Callable[..., MainWindow]]:
    """Build main windows (1280×800 unless ``size=False``) that are closed after the test."""
    windows: list[MainWindow] = []

    def make(settings: QSettings | None = None, *, size: bool = True, **kwargs: Any) -> MainWindow:
        window = MainWindow(settings or ini_settings(), **kwargs)
        qtbot.addWidget(window)
        if size:
            window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.close()
