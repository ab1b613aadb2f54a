"""Library operations and the one "library changed" signal, on the real library of a temporary home."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from reader.core.store.annotations import Annotations
from reader.core.store.library import Library
from reader.ui.main_window import MainWindow
from reader.ui.notes_panel import NotesPanel
from reader.ui.operations import (
    ANNOTATIONS,
    DOCUMENTS,
    ImportOutcome,
    LibraryChange,
    LibraryEvents,
    LibraryListing,
    LibraryOps,
)
from reader.ui.tasks import TaskManager
from tests.ui.support import SlowEngine, slow_engine_factory, start_and_settle


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def _wait(qtbot: QtBot, start: Callable[[Callable[[Any], None]], object]) -> Any:
    """Start an operation with a success callback and return what it delivered."""
    got: list[Any] = []
    start(got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=20_000)
    return got[0]


def test_operations_change_the_library_and_say_so(
    qtbot: QtBot, tasks: TaskManager, seeded: dict[str, int], tmp_path: Path
) -> None:
    events = LibraryEvents()
    changes: list[LibraryChange] = []
    events.sig_changed.connect(changes.append)
    ops = LibraryOps(tasks, events)
    failures: list[BaseException] = []

    # import: a file the test writes
    article = tmp_path / "article.txt"
    article.write_text("Bir gün. Çok güzel bir gün idi ve biz denize gittik.\n\nSonra eve döndük.\n", "utf-8")
    outcome: ImportOutcome = _wait(
        qtbot, lambda done: ops.import_paths([str(article)], done, failures.append)
    )
    assert not failures and not outcome.errors and len(outcome.created) == 1
    new_id = outcome.created[0]
    assert new_id in [d.id for d in outcome.listing.documents]
    assert changes == [LibraryChange(DOCUMENTS, new_id, ops)]

    # counts of notes, read through the store lane (two highlights, one with a note)
    with Library(seed=False) as library:
        store = Annotations(library)
        store.add(new_id, 0, 7)
        store.add(new_id, 9, 17, note="a sunny day")
    assert _wait(qtbot, lambda done: ops.count_notes(new_id, done, failures.append)) == (2, 1)
    counts = _wait(qtbot, lambda done: ops.note_counts([new_id, seeded["fa"]], done))
    assert counts == {new_id: 1, seeded["fa"]: 0}

    # remove: the document and its notes are gone, and the change names it
    listing: LibraryListing = _wait(qtbot, lambda done: ops.remove(new_id, done, failures.append))
    assert new_id not in [d.id for d in listing.documents] and new_id not in listing.notes
    assert changes[-1] == LibraryChange(DOCUMENTS, new_id, ops)
    with Library(seed=False) as library:
        assert Annotations(library).counts().get(new_id, 0) == 0
    assert not failures


def test_an_operation_that_fails_changes_nothing_and_says_nothing(
    qtbot: QtBot, tasks: TaskManager, seeded: dict[str, int], tmp_path: Path
) -> None:
    events = LibraryEvents()
    changes: list[LibraryChange] = []
    events.sig_changed.connect(changes.append)
    ops = LibraryOps(tasks, events)
    failures: list[BaseException] = []
    missing = tmp_path / "no-such-notes.jsonld"
    ops.import_notes(missing, lambda _r: pytest.fail("imported"), failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert str(failures[0]) and changes == []


def test_notes_panels_follow_changes_made_elsewhere(
    qtbot: QtBot, tasks: TaskManager, seeded: dict[str, int]
) -> None:
    """Two panels on one window's events: what one adds, the other lists (no hand-written refresh)."""
    events = LibraryEvents()
    first = NotesPanel(tasks, events=events, autosave_ms=50)
    second = NotesPanel(tasks, events=events, autosave_ms=50)
    for panel in (first, second):
        qtbot.addWidget(panel)
        panel.set_document(seeded["fa"])
    changes: list[LibraryChange] = []
    events.sig_changed.connect(changes.append)

    first.add_annotation(seeded["fa"], 0, 10, color="green")
    qtbot.waitUntil(lambda: second.list.count() == 1, timeout=5000)
    assert changes == [LibraryChange(ANNOTATIONS, seeded["fa"], first)]
    assert second.annotations()[0].color == "green"
    first.close_store()


def test_the_translation_engine_stays_loaded_between_documents(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    install_tiny: Callable[..., Any],
    seeded: dict[str, int],
) -> None:
    """The translation lane keeps its engine (and the models it loaded) from one document to the next."""
    install_tiny("fa")
    install_tiny("ar")
    created: list[SlowEngine] = []
    window = make_window(engine_factory=slow_engine_factory(delay=0, created=created))
    start_and_settle(qtbot, window)
    for lang in ("fa", "ar"):
        window.open_document(seeded[lang])
        qtbot.waitUntil(
            lambda lang=lang: (
                window.reader.document is not None
                and window.reader.document.doc_id == seeded[lang]
                and window.controller.state == "translated"
            ),
            timeout=60_000,
        )
    translating = [engine for engine in created if engine.started.is_set()]
    assert len(translating) == 1


def test_a_long_pdf_reports_its_pages_and_stops_when_cancelled(
    qtbot: QtBot, tasks: TaskManager, seeded: dict[str, int], tmp_path: Path
) -> None:
    from tests.core.importing.pdfmaker import ArabicScriptPdf
    from tests.helpers import SEEDS

    maker = ArabicScriptPdf("fa")
    first = (SEEDS / "001_16b6482d6bae7f5d.txt").read_text(encoding="utf-8").splitlines()[0]
    maker.paragraph(first)
    maker.pages = maker.pages * 400
    path = tmp_path / "long.pdf"
    path.write_bytes(maker.to_bytes())
    ops = LibraryOps(tasks, LibraryEvents())

    # Cancelled at the first page report: stops inside the PDF, stores nothing, reports None.
    progress: list[str] = []
    outcomes: list[ImportOutcome | None] = []
    task = ops.import_paths(
        [str(path)], outcomes.append, on_progress=lambda _done, _total, text: progress.append(text)
    )
    qtbot.waitUntil(lambda: any("page" in text for text in progress), timeout=20_000)
    task.cancel()
    qtbot.waitUntil(lambda: not task.running, timeout=20_000)
    assert outcomes == [None] and task.outcome == (True, None)
    assert progress[0] == "Importing long.pdf: page 10 of 400"
    with Library(seed=False) as library:
        assert "long.pdf" not in {Path(d.source).name for d in library.documents()}
