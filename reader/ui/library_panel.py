"""Library panel: the documents (title, language, direction, translated share, notes), a filter, import, remove.

Plain view: it is handed document summaries and emits what the user asked for; the main window does the work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.core.text.folding import fold
from reader.languages import language_name
from reader.ui.texts import isolate, short_title

COLUMNS = ("Title", "Lang", "Dir", "Done", "Notes")
COLUMN_TIPS = ("Title", "Language", "Writing direction", "Share of sentences translated", "Notes")
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3


class _FilterModel(QSortFilterProxyModel):
    """Keeps rows whose title or language contains every word of the filter, compared folded (case, Arabic and
    Persian letter variants, diacritics, ZWNJ), so "اذربیجان" typed on a Persian keyboard finds "أذربيجان"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_filter(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.10
            self.beginFilterChange()
            self._words = fold(text).split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = fold(text).split()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        title = model.index(source_row, 0, source_parent)
        lang = model.index(source_row, 1, source_parent)
        haystack = fold(
            " ".join(str(value or "") for value in (title.data(), lang.data(), lang.data(FILTER_ROLE)))
        )
        return all(word in haystack for word in self._words)


def remove_consequence(total: int, with_note: int) -> str:
    """What removing a document takes with it, in one or two sentences."""
    if total < 0:
        return "Its notes and highlights are removed too."
    if total == 0:
        return "It has no highlights or notes."
    highlights = "1 highlight" if total == 1 else f"{total} highlights"
    notes = "1 with a note" if with_note == 1 else f"{with_note} with notes"
    return (
        f"Its {highlights} ({notes}) will be removed with it; the daily backups "
        "(File ▸ Restore from backup…) are the way back."
    )


class LibraryPanel(QWidget):
    sig_open = Signal(int)
    sig_import_files = Signal(list)  # list[str]: dropped files and folders
    sig_import_clicked = Signal()
    sig_remove = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Library")
        self.setAcceptDrops(True)
        #: Set by the window: ``count_notes(doc_id, answer)`` calls ``answer(highlights, with_note)`` later (the
        #: count is read off the GUI thread), or with -1s when it could not be read.
        self.count_notes: Callable[[int, Callable[[int, int], None]], None] | None = None
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by title or language")
        self.filter_edit.setAccessibleName("Filter documents")
        self.filter_edit.setClearButtonEnabled(True)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        for col, tip in enumerate(COLUMN_TIPS):
            self.model.horizontalHeaderItem(col).setToolTip(tip)
        self.proxy = _FilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Documents")
        self.tree.setModel(self.proxy)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSortingEnabled(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.import_button = QPushButton("Import…", self)
        self.import_button.setAccessibleName("Import documents")
        self.import_button.setToolTip(
            "Import text, Markdown or HTML files (Ctrl+O); you can also drop them here"
        )
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setAccessibleName("Remove the selected document")
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

        self.filter_edit.textChanged.connect(self.proxy.set_filter)
        self.tree.activated.connect(self._on_activated)
        self.tree.clicked.connect(self._on_activated)
        self.import_button.clicked.connect(self.sig_import_clicked)
        self.remove_button.clicked.connect(self.confirm_remove)

    # --- content -------------------------------------------------------------------------------------------

    def set_documents(self, documents: Iterable[Any]) -> None:
        """``documents``: DocumentSummary-like objects (id, title, lang, direction)."""
        selected = self.current_document()
        self.model.removeRows(0, self.model.rowCount())
        for doc in documents:
            title = QStandardItem(doc.title)
            title.setData(int(doc.id), DOC_ID_ROLE)
            title.setData(doc.title.casefold(), SORT_ROLE)
            title.setToolTip(doc.title)
            title.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            lang = QStandardItem(doc.lang)
            lang.setToolTip(language_name(doc.lang))
            lang.setData(language_name(doc.lang), FILTER_ROLE)
            direction = QStandardItem("RTL" if doc.direction == "rtl" else "LTR")
            share = QStandardItem("")
            notes = QStandardItem("")
            for item in (lang, direction, share, notes):
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.model.appendRow([title, lang, direction, share, notes])
        if selected is not None:
            self.select_document(selected)

    def document_ids(self) -> list[int]:
        return [int(self.model.item(r, 0).data(DOC_ID_ROLE)) for r in range(self.model.rowCount())]

    def visible_titles(self) -> list[str]:
        return [str(self.proxy.index(r, 0).data()) for r in range(self.proxy.rowCount())]

    def _row_of(self, doc_id: int) -> int | None:
        for r in range(self.model.rowCount()):
            if self.model.item(r, 0).data(DOC_ID_ROLE) == doc_id:
                return r
        return None

    def set_translated_share(self, doc_id: int, share: float) -> None:
        row = self._row_of(doc_id)
        if row is not None:
            self.model.item(row, 3).setText(f"{round(share * 100)}%")

    def set_note_counts(self, counts: dict[int, int]) -> None:
        for doc_id, count in counts.items():
            row = self._row_of(doc_id)
            if row is not None:
                self.model.item(row, 4).setText(str(count))

    def row_text(self, doc_id: int) -> list[str]:
        row = self._row_of(doc_id)
        return [] if row is None else [self.model.item(row, c).text() for c in range(len(COLUMNS))]

    # --- selection -----------------------------------------------------------------------------------------

    def current_document(self) -> int | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        value = self.proxy.index(index.row(), 0).data(DOC_ID_ROLE)
        return int(value) if value is not None else None

    def select_document(self, doc_id: int) -> None:
        row = self._row_of(doc_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _on_activated(self, index: QModelIndex) -> None:
        value = self.proxy.index(index.row(), 0).data(DOC_ID_ROLE)
        if value is not None:
            self.sig_open.emit(int(value))

    def confirm_remove(self) -> None:
        """Ask before removing the selected document, saying how many highlights and notes go with it."""
        doc_id = self.current_document()
        if doc_id is None:
            return
        if self.count_notes is None:
            self._ask_remove(doc_id, -1, -1)
        else:
            self.count_notes(doc_id, lambda total, with_note: self._ask_remove(doc_id, total, with_note))

    def _ask_remove(self, doc_id: int, total: int, with_note: int) -> None:
        if doc_id not in self.document_ids():
            return
        title = self.row_text(doc_id)[0]
        answer = QMessageBox.question(
            self,
            "Remove document",
            f"Remove “{isolate(short_title(title))}” from the library? {remove_consequence(total, with_note)}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.sig_remove.emit(doc_id)

    # --- drag and drop -------------------------------------------------------------------------------------

    @staticmethod
    def _local_paths(urls: Sequence[Any]) -> list[str]:
        return [url.toLocalFile() for url in urls if url.isLocalFile() and Path(url.toLocalFile()).exists()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self._local_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._local_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.sig_import_files.emit(paths)
