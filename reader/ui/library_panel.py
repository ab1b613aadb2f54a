"""Library panel: the documents (title, language, direction, translated share, notes), a filter, import, remove.

Plain view: it is handed document summaries and emits what the user asked for; the main window does the work.

The list is a :class:`LibraryModel` (a ``QAbstractTableModel`` over plain rows, keyed id → row) behind a
:class:`_FilterModel` proxy, so a library of 10,000 documents costs one model reset to show, and every later
update is one batched ``dataChanged`` (the shares of a page of documents, the counts of one document after a note
changed) — never a per-row search or a per-row resize on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.core.text.folding import fold
from reader.languages import language_name
from reader.ui.texts import isolate, short_title

COLUMNS = ("Title", "Lang", "Dir", "Done", "Notes")
COLUMN_TIPS = (
    "Title (double-click or F2 to rename)",
    "Language",
    "Writing direction",
    "Share of sentences translated",
    "Highlights (the tooltip says how many have a note)",
)
TITLE, LANG, DIRECTION, DONE, NOTES = range(len(COLUMNS))
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3

_INDEX = QModelIndex | QPersistentModelIndex
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
# flags() is asked per row by the view: plain ints, no enum arithmetic per call.
_FLAGS = Qt.ItemFlag(
    Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
)
_TITLE_FLAGS = Qt.ItemFlag(_FLAGS | Qt.ItemFlag.ItemIsEditable)
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


def highlights_tip(total: int, noted: int) -> str:
    if total == 0:
        return "No highlights or notes"
    highlights = "1 highlight" if total == 1 else f"{total} highlights"
    notes = "none with a note" if noted == 0 else ("1 with a note" if noted == 1 else f"{noted} with notes")
    return f"{highlights}, {notes}"


@dataclass(slots=True)
class LibraryRow:
    """One document of the list: what its columns show."""

    doc_id: int
    title: str
    lang: str
    direction: str
    share: float | None = None  # None: not known yet
    highlights: int = 0
    notes: int = 0  # highlights with a note
    short: str | None = None  # the title as the list shows it (made on first display)
    filter_text: str | None = None  # what the filter looks in, folded (see :attr:`folded`)

    @property
    def shown_title(self) -> str:
        if self.short is None:
            self.short = short_title(self.title)
        return self.short

    @property
    def folded(self) -> str:
        """What the filter looks in: title, language code and name, folded (made in the background after
        start-up, :func:`filter_texts`, or here on the first filter)."""
        if self.filter_text is None:
            self.filter_text = haystack(self.title, self.lang)
        return self.filter_text


def haystack(title: str, lang: str) -> str:
    return fold(f"{title} {lang} {language_name(lang)}")


def filter_texts(rows: Sequence[LibraryRow]) -> dict[int, tuple[str, str]]:
    """Worker side: doc_id → (title, folded filter text) of rows not folded yet (folding 10,000 titles takes
    a good part of a second: not on the GUI thread)."""
    return {row.doc_id: (row.title, haystack(row.title, row.lang)) for row in rows if row.filter_text is None}


def library_rows(
    documents: Iterable[Any], counts: Mapping[int, tuple[int, int]] | None = None
) -> list[LibraryRow]:
    """The list's rows of ``documents`` (DocumentSummary-like: id, title, lang, direction) with ``counts``
    (highlights, with a note) per id. Plain Python: made off the GUI thread with the listing."""
    counts = counts or {}
    none = (0, 0)
    rows = []
    for doc in documents:
        doc_id = int(doc.id)
        total, noted = counts.get(doc_id, none)
        rows.append(LibraryRow(doc_id, doc.title, doc.lang, doc.direction, None, total, noted))
    return rows


class LibraryModel(QAbstractTableModel):
    """The library list: rows keyed by document id; updates batched into one ``dataChanged`` each."""

    sig_rename = Signal(int, str)  # the user edited a title: (doc_id, new title), not yet stored

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[LibraryRow] = []
        self._index: dict[int, int] = {}  # doc_id -> row
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # --- Qt's model interface ----------------------------------------------------------------------------------

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS[section]
        return None

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == TITLE:
                return _RIGHT if row.direction == "rtl" else _LEFT
            return _CENTER
        if role == Qt.ItemDataRole.EditRole:
            return row.title if col == TITLE else self._display(row, col)
        if role == DOC_ID_ROLE:
            return row.doc_id
        if role == SORT_ROLE:
            return _sort_key(row, col)
        if role == FILTER_ROLE:
            return row.folded
        return None

    @staticmethod
    def _display(row: LibraryRow, col: int) -> str:
        if col == TITLE:
            return row.shown_title
        if col == LANG:
            return row.lang
        if col == DIRECTION:
            return "RTL" if row.direction == "rtl" else "LTR"
        if col == DONE:
            return "" if row.share is None else f"{round(row.share * 100)}%"
        return str(row.highlights)

    @staticmethod
    def _tooltip(row: LibraryRow, col: int) -> str:
        if col == TITLE:
            return row.title
        if col == LANG:
            return language_name(row.lang)
        if col == DIRECTION:
            return "Right to left" if row.direction == "rtl" else "Left to right"
        if col == DONE:
            return (
                "Not known yet"
                if row.share is None
                else f"{round(row.share * 100)}% of the sentences translated"
            )
        return highlights_tip(row.highlights, row.notes)

    def flags(self, index: _INDEX) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        return _TITLE_FLAGS if index.column() == TITLE else _FLAGS

    def setData(self, index: _INDEX, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """An edited title is asked for (``sig_rename``), not shown: the row changes when the store has it."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != TITLE:
            return False
        row = self._rows[index.row()]
        title = " ".join(str(value or "").split())
        if title and title != row.title:
            self.sig_rename.emit(row.doc_id, title)
        return False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in Python (one layout change), keeping selections and other persistent indexes."""
        if not 0 <= column < len(COLUMNS):
            self._sort = None
            column, order = -1, Qt.SortOrder.AscendingOrder
        else:
            self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [(self._rows[i.row()].doc_id, i.column()) for i in persistent]
        self._order_rows()
        self.changePersistentIndexList(
            persistent, [self.index(self._index[doc_id], col) for doc_id, col in before]
        )
        self.layoutChanged.emit()

    def _order_rows(self) -> None:
        if self._sort is None:
            self._rows.sort(key=lambda r: r.doc_id)
        else:
            column, order = self._sort
            # Ties keep the id order: sort by id first (stable sort), then by the column.
            self._rows.sort(key=lambda r: r.doc_id)
            self._rows.sort(key=lambda r: _sort_key(r, column), reverse=order == Qt.SortOrder.DescendingOrder)
        self._index = {row.doc_id: n for n, row in enumerate(self._rows)}

    # --- content -------------------------------------------------------------------------------------------

    def set_documents(
        self, documents: Iterable[Any], counts: Mapping[int, tuple[int, int]] | None = None
    ) -> None:
        """Show ``documents`` (DocumentSummary-like: id, title, lang, direction) in one model reset; the shares
        already known of documents still listed are kept, ``counts`` are (highlights, with a note) per id."""
        self.set_rows(library_rows(documents, counts))

    def set_rows(self, rows: list[LibraryRow]) -> None:
        """Show ``rows`` (:func:`library_rows`, made off the GUI thread) in one model reset; the shares already
        known of documents still listed are kept."""
        known = {row.doc_id: row.share for row in self._rows if row.share is not None}
        if known:
            for row in rows:
                if row.share is None:
                    row.share = known.get(row.doc_id)
        self.beginResetModel()
        self._rows = rows
        self._order_rows()
        self.endResetModel()

    def set_shares(self, shares: Mapping[int, float]) -> None:
        """Translated shares of some documents: one ``dataChanged`` over the rows they touch."""
        self._changed(DONE, [self._set(doc_id, "share", float(share)) for doc_id, share in shares.items()])

    def set_counts(self, counts: Mapping[int, tuple[int, int]], *, only: Iterable[int] | None = None) -> None:
        """(highlights, with a note) per document; ``only``: the documents asked about (those missing from
        ``counts`` have none); without it, ``counts`` covers the whole library."""
        ids: Iterable[int] = self._index.keys() if only is None else only
        changed = []
        for doc_id in list(ids):
            total, noted = counts.get(doc_id, (0, 0))
            changed.append(self._set(doc_id, "highlights", int(total), "notes", int(noted)))
        self._changed(NOTES, changed)

    def set_filter_texts(self, texts: Mapping[int, tuple[str, str]]) -> None:
        """Folded filter texts made off the GUI thread (:func:`filter_texts`), for rows whose title they match."""
        for doc_id, (title, folded) in texts.items():
            n = self._index.get(doc_id)
            if n is not None and self._rows[n].title == title:
                self._rows[n].filter_text = folded

    def set_title(self, doc_id: int, title: str) -> None:
        n = self._index.get(doc_id)
        if n is None or self._rows[n].title == title:
            return
        row = self._rows[n]
        row.title, row.short, row.filter_text = title, None, None
        self.dataChanged.emit(self.index(n, TITLE), self.index(n, TITLE))

    def _set(self, doc_id: int, *pairs: Any) -> int | None:
        """Set attribute/value ``pairs`` of a document's row; its row number if anything changed."""
        n = self._index.get(doc_id)
        if n is None:
            return None
        row = self._rows[n]
        changed = False
        for name, value in zip(pairs[::2], pairs[1::2], strict=True):
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed = True
        return n if changed else None

    def _changed(self, column: int, rows: Iterable[int | None]) -> None:
        touched = [n for n in rows if n is not None]
        if touched:
            self.dataChanged.emit(self.index(min(touched), column), self.index(max(touched), column))

    # --- lookups -------------------------------------------------------------------------------------------

    def row_of(self, doc_id: int) -> int | None:
        return self._index.get(doc_id)

    def row(self, doc_id: int) -> LibraryRow | None:
        n = self._index.get(doc_id)
        return None if n is None else self._rows[n]

    def rows(self) -> list[LibraryRow]:
        return list(self._rows)

    def at(self, n: int) -> LibraryRow:
        return self._rows[n]


def _sort_key(row: LibraryRow, col: int) -> Any:
    if col == TITLE:
        return row.title.casefold()
    if col == LANG:
        return row.lang
    if col == DIRECTION:
        return row.direction
    if col == DONE:
        return -1.0 if row.share is None else row.share
    return (row.highlights, row.notes)


class _FilterModel(QSortFilterProxyModel):
    """Keeps rows whose title or language contains every word of the filter, compared folded (case, Arabic and
    Persian letter variants, diacritics, ZWNJ), so "اذربیجان" typed on a Persian keyboard finds "أذربيجان".

    Sorting is the source model's (one Python sort, see :meth:`LibraryModel.sort`): the proxy only filters."""

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
        if isinstance(model, LibraryModel):
            haystack = model.at(source_row).folded
        else:
            haystack = str(model.index(source_row, LANG, source_parent).data(FILTER_ROLE) or "")
        return all(word in haystack for word in self._words)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


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
    sig_rename = Signal(int, str)  # (doc_id, title): the user edited a title; the window stores it

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
        self.model = LibraryModel(self)
        self.proxy = _FilterModel(self)
        self.proxy.setSourceModel(self.model)
        # A table, not a tree: QTreeView lays out an item per row (asking each one's flags) before it paints;
        # a table with fixed row heights asks only for the rows it shows.
        self.tree = QTableView(self)
        self.tree.setAccessibleName("Documents")
        self.tree.setModel(self.proxy)
        self.tree.setShowGrid(False)
        self.tree.setWordWrap(False)
        self.tree.setCornerButtonEnabled(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows = self.tree.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # a row's height is never measured per row
        rows.setDefaultSectionSize(self.tree.fontMetrics().height() + 8)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # import order until a header is clicked
        self.tree.setSortingEnabled(True)
        # Fixed widths from the font, never "resize to contents" (that measures every row of every column).
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.tree.fontMetrics()
        samples = {LANG: "Lang", DIRECTION: "RTL", DONE: "100%", NOTES: "Notes"}
        for col, sample in samples.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(COLUMNS[col]))
            header.resizeSection(col, width + 28)  # padding and the sort arrow
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
        self.model.sig_rename.connect(self.sig_rename)
        self.import_button.clicked.connect(self.sig_import_clicked)
        self.remove_button.clicked.connect(self.confirm_remove)

    # --- content -------------------------------------------------------------------------------------------

    def set_read_only(self, reason: str | None) -> None:
        """No import, removal or title editing while the library cannot be written; ``reason`` is the tooltip."""
        writable = reason is None
        for button in (self.import_button, self.remove_button):
            button.setEnabled(writable)
            if reason:
                button.setToolTip(reason)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
            if writable
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )

    def set_documents(
        self, documents: Iterable[Any], counts: Mapping[int, tuple[int, int]] | None = None
    ) -> None:
        """``documents``: DocumentSummary-like objects (id, title, lang, direction); ``counts``: (highlights,
        with a note) per document id. One model reset; the selection is kept."""
        self.set_rows(library_rows(documents, counts))

    def set_rows(self, rows: list[LibraryRow]) -> None:
        """Rows made off the GUI thread (:func:`library_rows`): one model reset; the selection is kept."""
        selected = self.current_document()
        self.model.set_rows(rows)
        if selected is not None:
            self.select_document(selected)

    def document_ids(self) -> list[int]:
        return [row.doc_id for row in self.model.rows()]

    def visible_titles(self) -> list[str]:
        """The full titles of the rows the filter shows, in the shown order."""
        return [
            self.model.at(self.proxy.mapToSource(self.proxy.index(r, TITLE)).row()).title
            for r in range(self.proxy.rowCount())
        ]

    def set_translated_share(self, doc_id: int, share: float) -> None:
        self.model.set_shares({doc_id: share})

    def set_translated_shares(self, shares: Mapping[int, float]) -> None:
        self.model.set_shares(shares)

    def set_highlight_counts(
        self, counts: Mapping[int, tuple[int, int]], only: Iterable[int] | None = None
    ) -> None:
        """(highlights, with a note) per document; ``only``: the documents these counts are for (missing ones
        have none), else the whole library."""
        self.model.set_counts(counts, only=only)

    def set_title(self, doc_id: int, title: str) -> None:
        self.model.set_title(doc_id, title)

    def row_text(self, doc_id: int) -> list[str]:
        """What the row shows, column by column ([] for a document not listed)."""
        n = self.model.row_of(doc_id)
        if n is None:
            return []
        return [str(self.model.index(n, c).data()) for c in range(len(COLUMNS))]

    def row_tooltips(self, doc_id: int) -> list[str]:
        n = self.model.row_of(doc_id)
        if n is None:
            return []
        return [str(self.model.index(n, c).data(Qt.ItemDataRole.ToolTipRole)) for c in range(len(COLUMNS))]

    # --- selection -----------------------------------------------------------------------------------------

    def current_document(self) -> int | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        value = index.siblingAtColumn(TITLE).data(DOC_ID_ROLE)
        return int(value) if value is not None else None

    def select_document(self, doc_id: int) -> None:
        row = self.model.row_of(doc_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, TITLE))
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _on_activated(self, index: QModelIndex) -> None:
        value = index.siblingAtColumn(TITLE).data(DOC_ID_ROLE)
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
        row = self.model.row(doc_id)
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove document",
            f"Remove “{isolate(short_title(row.title))}” from the library? {remove_consequence(total, with_note)}",
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
