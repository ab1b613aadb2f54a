"""The library flows of the window — open, import, remove, export, import notes, restore, backup — each one
operation off the GUI thread (:mod:`reader.ui.tasks`), with success and failure callbacks on the GUI thread.

Like Anki's ``CollectionOp``: the window asks (dialogs, messages), :class:`LibraryOps` does the work and says
what changed on :class:`LibraryEvents` — the one "library changed" signal every panel showing library data
listens to, instead of panels refreshing one another.

The window's library connection lives on the store lane (:func:`store_resource`): every write to library.db made
by the window goes through it, in order. Nothing here shows a widget.

Start-up reads the library without ``PRAGMA quick_check`` (linear in the file's size: 0.7 s at 10,000
documents); the store lane's connection is opened *with* it, so the check runs there in the background
(:meth:`LibraryOps.check`, started once the first article is readable) and every write — notes, imports,
removals, renames, all on that lane — comes after a check that passed. A damaged file is never written to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from reader.ui.tasks import FailureFn, LaneResource, Task, TaskContext, TaskManager

if TYPE_CHECKING:
    from reader.core.exporting import ImportReport
    from reader.core.store.annotations import Annotations
    from reader.core.store.backup import RestoreResult
    from reader.core.store.library import DocumentEntry, Library
    from reader.ui.library_panel import LibraryRow

log = logging.getLogger(__name__)

STORE_LANE = "notes"  # the lane of the window's library connection (its name from when only notes used it)


# --- the store lane --------------------------------------------------------------------------------------------


def _open_store() -> Annotations:
    """The store lane's connection, opened after ``PRAGMA quick_check`` (raises ``LibraryDamaged``)."""
    from reader.core.store.annotations import Annotations
    from reader.core.store.backup import open_checked

    return Annotations(open_checked(seed=False))


def _close_store(store: Annotations) -> None:
    store.library.close()


def store_resource(tasks: TaskManager) -> LaneResource[Annotations]:
    """The window's library connection, on :data:`STORE_LANE` (opened there on first use)."""
    return tasks.resource(STORE_LANE, _open_store, _close_store)


# --- "the library changed" -------------------------------------------------------------------------------------

DOCUMENTS = "documents"  # documents imported or removed
ANNOTATIONS = "annotations"  # highlights or notes added, edited, deleted or imported
LIBRARY = "library"  # everything (a restore from backup)


@dataclass(frozen=True)
class LibraryChange:
    """What changed: ``kind`` (DOCUMENTS, ANNOTATIONS, LIBRARY), the document (None: several or unknown), and
    who changed it (a listener may skip what it did itself)."""

    kind: str
    doc_id: int | None = None
    origin: object = None

    def concerns(self, doc_id: int | None) -> bool:
        """Whether the change may touch document ``doc_id``."""
        return self.kind == LIBRARY or self.doc_id is None or self.doc_id == doc_id


class LibraryEvents(QObject):
    """The one "library changed" signal of a window."""

    sig_changed = Signal(object)  # LibraryChange

    def changed(self, kind: str, doc_id: int | None = None, origin: object = None) -> None:
        self.sig_changed.emit(LibraryChange(kind, doc_id, origin))


# --- worker side -----------------------------------------------------------------------------------------------


@dataclass
class LibraryListing:
    """What the library panel shows: the documents and, per document id, (highlights, of which with a note)
    (documents without any are left out)."""

    documents: list[DocumentEntry]
    counts: dict[int, tuple[int, int]]
    rows: list[LibraryRow] = field(default_factory=list)  # the panel's rows, made with the listing
    read_only: str | None = None  # why the library cannot be written (a read-only medium…), else None

    @property
    def notes(self) -> dict[int, int]:
        """Highlights with a note per document id, 0 for those without."""
        return {doc.id: self.counts.get(doc.id, (0, 0))[1] for doc in self.documents}


@dataclass
class ImportOutcome:
    listing: LibraryListing
    created: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    existing: list[int] = field(default_factory=list)  # the same text was already in the library
    updated: list[int] = field(default_factory=list)  # a changed version of a file imported before


def list_library(library: Library) -> LibraryListing:
    from reader.core.store.annotations import Annotations

    documents = library.entries()
    counts: dict[int, tuple[int, int]] = {}
    try:
        counts = Annotations(library).highlight_counts()
    except Exception as exc:  # notes are an extra: a problem there must not hide the library
        log.warning("could not count notes: %s", exc)
    from reader.ui.library_panel import library_rows

    return LibraryListing(documents, counts, library_rows(documents, counts), library.read_only)


def read_library(_ctx: TaskContext | None = None) -> LibraryListing:
    """Open the library (importing the seeds on first run) and list it."""
    from reader.core.store.library import Library

    with Library() as library:
        return list_library(library)


def open_library(_ctx: TaskContext | None = None) -> LibraryListing:
    """At start-up: open the library (importing the seeds into a new one) and list it. A file that cannot be
    opened raises ``LibraryDamaged``, untouched; the full check runs later, on the store lane (:meth:`check`)."""
    from reader.core.store.backup import open_unchecked

    library = open_unchecked()
    try:
        return list_library(library)
    finally:
        library.close()


SHARES_PAGE = 100  # documents per page of translated shares (one batched update of the list each)


def translated_shares(
    doc_ids: Sequence[int],
    target: str,
    engine_factory: Callable[[Any], Any],
    memory: Any,
    ctx: TaskContext | None = None,
    page: int = SHARES_PAGE,
) -> dict[int, float]:
    """The share of each document's sentences already in the translation memory (documents without sentences
    are left out). With ``ctx``, each page of ``page`` documents is also reported as an item (a dict) as soon
    as it is known, and a cancelled task stops between documents."""
    from reader.core.store.library import DocumentNotFound, Library
    from reader.translation.documents import stored_share

    shares: dict[int, float] = {}
    pending: dict[int, float] = {}
    engine = engine_factory(memory)
    try:
        with Library(seed=False) as library:
            for n, doc_id in enumerate(doc_ids, 1):
                if ctx is not None:
                    ctx.check()
                try:
                    share = stored_share(engine, library, doc_id, target)
                except DocumentNotFound:  # removed meanwhile
                    share = None
                if share is not None:
                    shares[doc_id] = pending[doc_id] = share
                if ctx is not None and pending and (n % page == 0 or n == len(doc_ids)):
                    ctx.item(pending)
                    pending = {}
    finally:
        engine.close()
    return shares


def import_sources(
    ctx: TaskContext, sources: Sequence[str], stored: list[int] | None = None
) -> ImportOutcome:
    """Import files and folders one by one; cancelling (checked between files and between the pages of a PDF)
    stops before the next file or inside a PDF, whose document is then not stored. ``stored`` collects the
    ids of documents stored as it goes, so a cancelled import can still announce what it added."""
    from reader.core.store.library import Library, expand_sources, import_many

    outcome = ImportOutcome(LibraryListing([], {}))
    files = expand_sources(list(sources))  # folders walked once, so the progress has a total

    def pages(path: Path, done: int, total: int) -> None:  # a long PDF: page by page, and cancellable
        ctx.check()
        if total >= 20 and done % 10 == 0:
            ctx.progress(files.index(path), len(files), f"Importing {path.name}: page {done} of {total}")

    with Library() as library:
        for n, (path, result, error) in enumerate(import_many(library, files, progress=pages), 1):
            ctx.progress(n, len(files), "Importing")
            if error is not None:
                name, message = Path(path).name, str(error)
                outcome.errors.append(message if name in message else f"{name}: {message}")
            elif result is not None and result.created:
                outcome.created.append(result.document.id)
            elif result is not None and result.updated:
                outcome.updated.append(result.document.id)
            elif result is not None:
                outcome.existing.append(result.document.id)
            if stored is not None and result is not None and (result.created or result.updated):
                stored.append(result.document.id)
            if n < len(files):
                ctx.check()
        outcome.listing = list_library(library)
    return outcome


# --- the flows -------------------------------------------------------------------------------------------------


class LibraryOps(QObject):
    """Starts the window's library operations and announces what they changed on :attr:`events`."""

    def __init__(self, tasks: TaskManager, events: LibraryEvents, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.events = events
        self.store = store_resource(tasks)

    def open_checked(
        self, on_success: Callable[[LibraryListing], None], on_failure: FailureFn | None = None
    ) -> Task:
        """Open and list the library (start-up); ``LibraryDamaged`` (a file that cannot be opened) goes to
        ``on_failure``. The full check is :meth:`check`, in the background."""
        return self.tasks.run(open_library, on_success=on_success, on_failure=on_failure, name="open library")

    def check(self, on_success: Callable[[None], None], on_failure: FailureFn | None = None) -> Task:
        """Open the store lane's connection, which runs ``PRAGMA quick_check`` first (``LibraryDamaged`` goes to
        ``on_failure``); every write of the window waits behind it on the lane."""

        def work(_store: Annotations) -> None:
            return None

        return self.store.run(work, on_success, on_failure, name="check library")

    def import_paths(
        self,
        sources: Sequence[str],
        on_success: Callable[[ImportOutcome | None], None],
        on_failure: FailureFn | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> Task:
        """Import files and folders; each file that cannot be imported is one line of ``errors``. A cancelled
        import (checked between files and between the pages of a PDF) stores nothing more and reports None
        (the documents stored before it are still announced as changed)."""
        paths = list(sources)
        stored: list[int] = []

        def done(outcome: ImportOutcome | None) -> None:
            changed = stored if outcome is None else outcome.created + outcome.updated
            if changed:
                self.events.changed(DOCUMENTS, changed[0] if len(changed) == 1 else None, self)
            on_success(outcome)

        store = self.store

        def work(ctx: TaskContext) -> ImportOutcome:
            store.get()  # after the library's check, in order with the other writes
            return import_sources(ctx, paths, stored)

        return self.tasks.run(
            work,
            lane=STORE_LANE,
            on_success=done,
            on_failure=on_failure,
            on_progress=on_progress,
            name="import",
        )

    def remove(
        self, doc_id: int, on_success: Callable[[LibraryListing], None], on_failure: FailureFn | None = None
    ) -> Task:
        """Remove a document (with its highlights and notes) and list the library again."""

        def work(store: Annotations) -> LibraryListing:
            store.library.remove(doc_id)
            return list_library(store.library)

        def done(listing: LibraryListing) -> None:
            self.events.changed(DOCUMENTS, doc_id, self)
            on_success(listing)

        return self.store.run(work, done, on_failure, name="remove document")

    def export(
        self,
        path: str | Path,
        fmt: str,
        doc_ids: list[int] | None,
        on_success: Callable[[str], None],
        on_failure: FailureFn | None = None,
    ) -> Task:
        """Export documents (None: the whole library) in ``fmt``; ``on_success`` gets the path written."""
        target = Path(path)

        def work(_ctx: TaskContext) -> str:
            from reader.core import exporting
            from reader.core.store.library import Library
            from reader.translation.documents import translation_provider

            with Library(seed=False) as library, translation_provider(library) as translations:
                return str(exporting.export(library, fmt, target, doc_ids, translations))

        return self.tasks.run(work, on_success=on_success, on_failure=on_failure, name="export")

    def import_notes(
        self,
        path: str | Path,
        on_success: Callable[[ImportReport], None],
        on_failure: FailureFn | None = None,
    ) -> Task:
        """Restore the annotations of a JSON-LD export (matched to documents by content, then source)."""
        source = Path(path)

        def work(store: Annotations) -> ImportReport:
            from reader.core.exporting import import_jsonld

            return import_jsonld(store.library, source)

        def done(report: ImportReport) -> None:
            self.events.changed(ANNOTATIONS, None, self)
            on_success(report)

        return self.store.run(work, done, on_failure, name="import notes")

    def restore(
        self,
        path: Path | None,
        on_success: Callable[[RestoreResult], None],
        on_failure: FailureFn | None = None,
        *,
        wait_for: Sequence[str] = ("default",),
    ) -> Task:
        """Replace library.db with a backup (None: the newest good one) once no connection is open.

        On the store lane: its connection is closed, then it waits until the lanes ``wait_for`` are idle (their
        connections must have been closed by then); :func:`reader.core.store.backup.restore` moves the current
        file aside (never deleted) and installs a verified copy."""
        store, tasks, lanes = self.store, self.tasks, list(wait_for)

        def work(_ctx: TaskContext) -> RestoreResult:
            from reader.core.store import backup

            store.release()
            tasks.wait_lanes(lanes)
            return backup.restore(path) if path is not None else backup.restore_newest_good()

        def done(result: RestoreResult) -> None:
            self.events.changed(LIBRARY, None, self)
            on_success(result)

        return self.tasks.run(
            work, lane=STORE_LANE, on_success=done, on_failure=on_failure, name="restore backup"
        )

    def backup_if_due(self, on_success: Callable[[str], None], on_failure: FailureFn | None = None) -> Task:
        """One backup of library.db a day (seven kept); ``on_success`` gets its path ("" when one existed)."""

        def work(_ctx: TaskContext) -> str:
            from reader.core.store.backup import backup_if_due
            from reader.core.store.library import Library

            with Library(seed=False) as library:
                made = backup_if_due(library)
            return str(made) if made is not None else ""

        return self.tasks.run(work, on_success=on_success, on_failure=on_failure, name="daily backup")

    def backup_now(self, on_success: Callable[[str], None], on_failure: FailureFn | None = None) -> Task:
        """File ▸ Back up now: a verified backup of library.db (seven kept); ``on_success`` gets its path."""

        def work(_ctx: TaskContext) -> str:
            from reader.core.store.backup import backup_now
            from reader.core.store.library import Library

            with Library(seed=False) as library:
                return str(backup_now(library))

        return self.tasks.run(work, on_success=on_success, on_failure=on_failure, name="backup now")

    def list_backups(
        self, on_success: Callable[[list[tuple[Any, Any]]], None], on_failure: FailureFn | None = None
    ) -> Task:
        """The backups, newest first, each with what it holds: ``[(BackupInfo, BackupContents)]``."""

        def work(_ctx: TaskContext) -> list[tuple[Any, Any]]:
            from reader.core.store.backup import backup_contents, list_backups

            return [(info, backup_contents(info.path)) for info in list_backups()]

        return self.tasks.run(work, on_success=on_success, on_failure=on_failure, name="list backups")

    def highlight_counts(
        self,
        doc_ids: Sequence[int] | None,
        on_success: Callable[[dict[int, tuple[int, int]]], None],
        on_failure: FailureFn | None = None,
    ) -> Task:
        """(highlights, of which with a note) per document: of ``doc_ids`` only, or (None) of every document
        that has any — one query either way (the library panel's Notes column)."""
        ids = None if doc_ids is None else list(doc_ids)

        def work(store: Annotations) -> dict[int, tuple[int, int]]:
            return store.highlight_counts(ids)

        return self.store.run(work, on_success, on_failure, name="highlight counts")

    def rename(
        self, doc_id: int, title: str, on_success: Callable[[str], None], on_failure: FailureFn | None = None
    ) -> Task:
        """Give a document a new title (spaces collapsed; an empty one is refused); ``on_success`` gets the title
        as stored."""

        def work(store: Annotations) -> str:
            store.library.set_title(doc_id, title)
            return store.library.get(doc_id).title

        def done(stored: str) -> None:
            self.events.changed(DOCUMENTS, doc_id, self)
            on_success(stored)

        return self.store.run(work, done, on_failure, name="rename document")

    def note_counts(self, doc_ids: Sequence[int], on_success: Callable[[dict[int, int]], None]) -> Task:
        """Notes per document (the library panel's Notes column), 0 for those without."""
        ids = list(doc_ids)

        def work(store: Annotations) -> dict[int, int]:
            counts = store.note_counts()
            return {doc_id: counts.get(doc_id, 0) for doc_id in ids}

        return self.store.run(work, on_success, name="note counts")

    def count_notes(
        self, doc_id: int, on_success: Callable[[tuple[int, int]], None], on_failure: FailureFn | None = None
    ) -> Task:
        """(highlights, of which with a note) of a document (the remove confirmation)."""

        def work(store: Annotations) -> tuple[int, int]:
            return store.highlight_counts([doc_id]).get(doc_id, (0, 0))

        return self.store.run(work, on_success, on_failure, name="count notes")

    def translated_shares(
        self,
        doc_ids: Sequence[int],
        target: str,
        engine_factory: Callable[[Any], Any],
        memory: Callable[[], Any],
        on_success: Callable[[dict[int, float]], None],
        on_failure: FailureFn | None = None,
        on_page: Callable[[dict[int, float]], None] | None = None,
        key: str | None = None,
    ) -> Task:
        """The share of each document already translated (a cache lookup per document); ``on_page`` gets them
        a page at a time as they are known. ``key``: a task key whose invalidation drops what is left."""
        ids = list(doc_ids)
        return self.tasks.run(
            lambda ctx: translated_shares(ids, target, engine_factory, memory(), ctx),
            on_success=on_success,
            on_failure=on_failure,
            on_item=on_page,
            key=key,
            name="translated shares",
        )


__all__ = [
    "ANNOTATIONS",
    "DOCUMENTS",
    "LIBRARY",
    "STORE_LANE",
    "ImportOutcome",
    "LibraryChange",
    "LibraryEvents",
    "LibraryListing",
    "LibraryOps",
    "list_library",
    "open_library",
    "read_library",
    "store_resource",
    "translated_shares",
]
