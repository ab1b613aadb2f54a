"""Paste as new document (Ctrl+Shift+V): the clipboard becomes a document through the same importers as a file.

The clipboard is read on the GUI thread (Qt's mime data belongs to it) into plain strings; the import runs off
it like any other (:mod:`reader.ui.tasks`) and reports through the window's usual import summary. Files copied
in a file manager (``text/uri-list`` of local paths) are imported as files; otherwise the HTML flavour (a
selection copied from a browser or a word processor) is read block by block, else the plain text is kept
exactly (:mod:`reader.core.importing.pasted`). The same text pasted twice is one document (its source is
``clipboard``), which is then opened again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QMimeData

from reader.ui.operations import DOCUMENTS, ImportOutcome, LibraryOps, list_library
from reader.ui.tasks import FailureFn, Task, TaskContext

SOURCE = "clipboard"


@dataclass(frozen=True)
class Clipboard:
    """What the clipboard holds, as plain strings: local files, HTML, plain text."""

    files: list[str]
    html: str | None
    text: str | None

    @classmethod
    def read(cls, mime: QMimeData | None) -> Clipboard:
        if mime is None:
            return cls([], None, None)
        files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []
        html = mime.html() if mime.hasHtml() else None
        text = mime.text() if mime.hasText() else None
        return cls(files, html, text)


def import_clipboard(_ctx: TaskContext, html: str | None, text: str | None) -> ImportOutcome:
    """Worker side: the pasted content as a new document (or the one it already is)."""
    from reader.core.importing.pasted import import_pasted
    from reader.core.store.library import Library

    imported = import_pasted(html, text)  # ImportRefused (an empty clipboard) goes to on_failure
    with Library() as library:
        result = library.import_text(imported, source=SOURCE)
        return ImportOutcome(list_library(library), [result.document.id])


def paste_as_document(
    ops: LibraryOps,
    clipboard: Clipboard,
    on_success: Callable[[ImportOutcome | None], None],
    on_failure: FailureFn | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> Task:
    """Start importing what ``clipboard`` holds; files go through :meth:`LibraryOps.import_paths`."""
    if clipboard.files:
        return ops.import_paths(clipboard.files, on_success, on_failure, on_progress)

    def done(outcome: ImportOutcome) -> None:
        ops.events.changed(DOCUMENTS, outcome.created[0], ops)
        on_success(outcome)

    html, text = clipboard.html, clipboard.text
    return ops.tasks.run(
        lambda ctx: import_clipboard(ctx, html, text),
        on_success=done,
        on_failure=on_failure,
        name="paste as new document",
    )
