"""Plain helpers for the UI tests (the fixtures are in tests/ui/conftest.py; tiny Argos models come from the
session fixture ``tiny_argos_archives`` in tests/conftest.py): reader documents from the library, settings, a
deliberately slow engine."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from reader import paths
from reader.core.store.library import Library
from reader.translation.engine import Engine, TranslationResult
from reader.ui.main_window import MainWindow
from reader.ui.reader import ReaderDocument


def reader_document(doc_id: int, target: str = "en") -> ReaderDocument:
    with Library(seed=False) as library:
        doc = library.get(doc_id)
        return ReaderDocument.build(
            doc.id,
            doc.title,
            doc.lang,
            doc.direction,
            doc.text,
            library.paragraphs(doc.id),
            library.segments(doc.id),
            target,
        )


def ini_settings(path: Path | None = None) -> QSettings:
    """The window's settings as an INI file: the test home's settings file unless ``path`` is given."""
    return QSettings(str(path or paths.settings_file()), QSettings.Format.IniFormat)


class SlowEngine(Engine):
    """The real engine, one sentence per model batch, with a pause after each: a long translation."""

    def __init__(self, *args: Any, delay: float = 0.15, **kwargs: Any) -> None:
        kwargs.setdefault("max_batch_tokens", 8)
        super().__init__(*args, **kwargs)
        self.delay = delay
        self.translated: list[str] = []
        self.started = threading.Event()

    def translate(  # type: ignore[override]
        self,
        sentences: Sequence[str],
        from_code: str,
        to_code: str,
        order: Sequence[int] | None = None,
        cancel: threading.Event | None = None,
        languages: Sequence[str | None] | None = None,
    ) -> Iterator[TranslationResult]:
        results = super().translate(
            sentences, from_code, to_code, order=order, cancel=cancel, languages=languages
        )
        self.started.set()
        for result in results:
            if not result.cached:
                self.translated.append(sentences[result.index])
                time.sleep(self.delay)
            yield result


def slow_engine_factory(
    delay: float = 0.15, created: list[SlowEngine] | None = None
) -> Callable[..., SlowEngine]:
    def factory(memory: Any, *, compute_type: str | None = None) -> SlowEngine:
        engine = SlowEngine(memory=memory, compute_type=compute_type, delay=delay)
        if created is not None:
            created.append(engine)
        return engine

    return factory


def start_and_settle(qtbot: QtBot, window: MainWindow, timeout: int = 30_000) -> None:
    """Start the window and wait until its first document is readable; give it keyboard focus."""
    with qtbot.waitSignal(window.sig_settled, timeout=timeout):
        window.start()
    window.activateWindow()
