"""The search panel: full-text search across originals, translations and notes of the whole library.

Typing searches as you go (debounced); the query is an operation on the ``"search"`` lane's resource
(:func:`search_resource`: one thread that owns its own read connection to library.db) — through :func:`reader.core.store.search.search`, and an answer to an older query is
dropped. Results show the document's title, what matched (original, translation or note) and a snippet with the
matches in bold; activating one (click, Enter) emits :attr:`SearchPanel.sig_activated` with the hit, and the
window opens the document there.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reader.ui.operations import DOCUMENTS, LIBRARY, LibraryChange, LibraryEvents
from reader.ui.tasks import LaneResource, TaskManager
from reader.ui.texts import is_rtl, isolate

if TYPE_CHECKING:
    from reader.core.store.library import Library

LANE = "search"
KEY = "search"
DEBOUNCE_MS = 250
LIMIT = 100
TITLE_WIDTH = 60
ROLE_HIT = Qt.ItemDataRole.UserRole + 1
ROLE_HTML = Qt.ItemDataRole.UserRole + 2
KIND_LABELS = {"original": "original", "translation": "translation", "note": "note"}


def _open_library() -> Library:
    from reader.core.store import search
    from reader.core.store.library import Library

    library = Library(seed=False)
    search.ensure_current(library)  # folding rules changed since the index was built: rebuild once
    return library


def search_resource(tasks: TaskManager) -> LaneResource[Library]:
    """The search lane's own read connection to library.db (opened on first use, on the lane's thread)."""
    return tasks.resource(LANE, _open_library, lambda library: library.close())


def snippet_html(snippet: str, marks: Sequence[tuple[int, int]]) -> str:
    """The snippet, escaped, with the matches in bold."""
    out, pos = [], 0
    for start, end in sorted(marks):
        if start < pos:
            continue
        out.append(html.escape(snippet[pos:start]))
        out.append("<b>" + html.escape(snippet[start:end]) + "</b>")
        pos = end
    out.append(html.escape(snippet[pos:]))
    return "".join(out)


def _short(text: str, width: int = TITLE_WIDTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def hit_html(hit: Any, *, group: int | None = None) -> str:
    """Two blocks: "kind · title" (the title in its own direction), then the snippet in its direction.

    ``group`` (a list grouped by document): a number opens the document's group of that many results, so a
    heading with the title and the count comes first; 0 is a later hit of a group, which shows only its kind
    (no title repeated line after line)."""
    direction = "rtl" if is_rtl(hit.snippet) else "ltr"
    align = "right" if direction == "rtl" else "left"
    kind = KIND_LABELS.get(hit.kind, hit.kind)
    title = f"<b>\u2068{html.escape(_short(hit.title))}\u2069</b>"
    heading = ""
    if group:
        count = "1 result" if group == 1 else f"{group} results"
        heading = (
            f'<div dir="ltr" style="margin-top:4px; margin-bottom:3px">{title}'
            f' <span style="color:gray">— {count}</span></div>'
        )
        label = f'<span style="color:gray">{kind} · </span>{title}'
    elif group == 0:
        label = f'<span style="color:gray">{kind}</span>'
    else:
        label = f'<span style="color:gray">{kind} · </span>{title}'
    return (
        f'{heading}<div dir="ltr" style="margin-bottom:2px">{label}</div>'
        f'<div dir="{direction}" align="{align}">{snippet_html(hit.snippet, hit.marks)}</div>'
    )


def grouped(hits: list[Any]) -> list[tuple[Any, int]]:
    """Hits grouped by document — documents in the order of their best hit, hits in rank order inside — each
    with the size of its group when it opens one (else 0)."""
    groups: dict[int, list[Any]] = {}
    for hit in hits:
        groups.setdefault(int(hit.document), []).append(hit)
    out: list[tuple[Any, int]] = []
    for members in groups.values():
        out.append((members[0], len(members)))
        out.extend((hit, 0) for hit in members[1:])
    return out


class _HtmlDelegate(QStyledItemDelegate):
    """Draws an item's HTML (title, kind, snippet with bold matches)."""

    def _document(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(str(index.data(ROLE_HTML) or ""))
        view = option.widget
        width = view.viewport().width() if isinstance(view, QAbstractScrollArea) else option.rect.width()
        doc.setTextWidth(max(50, width - 8))
        return doc

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        doc = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        rect = opt.rect
        painter.translate(rect.left() + 4, rect.top() + 3)
        painter.setClipRect(QRectF(0, 0, rect.width() - 8, rect.height() - 6))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 8)


class SearchPanel(QWidget):
    """A query box and its results; see the module docstring."""

    sig_activated = Signal(object)  # reader.core.store.search.SearchHit
    sig_results = Signal(int)  # number of results shown (after each search)

    def __init__(
        self,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        events: LibraryEvents | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self.setAccessibleName("Search")
        self.tasks = tasks
        self.library = search_resource(tasks)
        if events is not None:
            events.sig_changed.connect(self._on_library_changed)
        self.document: int | None = None
        self.groups: dict[int, int] = {}  # document id → results shown for it (the group headings)
        self.query_edit = QLineEdit(self)
        self.query_edit.setPlaceholderText("Search originals, translations and notes…")
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.setAccessibleName("Search the library")
        self.scope = QComboBox(self)
        self.scope.addItem("Whole library", "library")
        self.scope.addItem("This document", "document")
        self.scope.setAccessibleName("Search in")
        self.kind = QComboBox(self)
        self.kind.addItem("Everything", None)
        self.kind.addItem("Originals", "original")
        self.kind.addItem("Translations", "translation")
        self.kind.addItem("Notes", "note")
        self.kind.setAccessibleName("Search what")
        self.results = QListWidget(self)
        self.results.setAccessibleName("Search results")
        self.results.setItemDelegate(_HtmlDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.results.setResizeMode(QListWidget.ResizeMode.Adjust)  # re-measure the wrapped snippets
        self.status = QLabel("", self)
        self.status.setAccessibleName("Search status")
        self.status.setWordWrap(True)
        options = QHBoxLayout()
        options.addWidget(self.scope)
        options.addWidget(self.kind)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.query_edit)
        layout.addLayout(options)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.search_now)
        self.query_edit.textChanged.connect(lambda _t: self._timer.start())
        self.query_edit.returnPressed.connect(self._on_return)
        self.scope.currentIndexChanged.connect(lambda _i: self.search_now())
        self.kind.currentIndexChanged.connect(lambda _i: self.search_now())
        self.results.itemActivated.connect(self._on_activated)
        self.results.itemClicked.connect(self._on_activated)

    # --- public ---------------------------------------------------------------------------------------------

    def set_document(self, doc_id: int | None) -> None:
        """The open document (for the "This document" scope)."""
        self.document = doc_id
        if self.scope.currentData() == "document" and self.query_edit.text().strip():
            self._timer.start()

    def focus_query(self) -> None:
        self.query_edit.setFocus()
        self.query_edit.selectAll()

    def search(self, query: str) -> None:
        """Search for ``query`` now (as if typed and Enter pressed)."""
        self.query_edit.blockSignals(True)
        self.query_edit.setText(query)
        self.query_edit.blockSignals(False)
        self.search_now()

    def hits(self) -> list[Any]:
        return [self.results.item(i).data(ROLE_HIT) for i in range(self.results.count())]

    def close_library(self) -> None:
        """Close the lane's library connection (window closing, or a restore from backup)."""
        self.tasks.invalidate(KEY)
        self.library.close()

    def _on_library_changed(self, change: LibraryChange) -> None:
        """Documents came or went: the hits shown may point at nothing, so search again (soon)."""
        if change.kind in (DOCUMENTS, LIBRARY) and self.query_edit.text().strip() and self.results.count():
            self._timer.start()

    # --- internals ------------------------------------------------------------------------------------------

    def _on_return(self) -> None:
        if self._timer.isActive() or not self.results.count():
            self.search_now()
        elif self.results.count():
            self.results.setCurrentRow(max(0, self.results.currentRow()))
            self.results.setFocus()

    def search_now(self) -> None:
        self._timer.stop()
        self.tasks.invalidate(KEY)
        query = self.query_edit.text().strip()
        if not query:
            self.results.clear()
            self.status.setText("")
            return
        document = self.document if self.scope.currentData() == "document" else None
        if self.scope.currentData() == "document" and document is None:
            self._show([])
            return
        kind = self.kind.currentData()
        kinds = [kind] if kind else None
        self.status.setText("Searching…")

        def work(library: Library) -> list[Any]:
            from reader.core.store import search

            return search.search(library, query, limit=LIMIT, document=document, kinds=kinds)

        self.library.run(work, self._show, self._on_failure, key=KEY, name="search")

    def _on_failure(self, exc: BaseException) -> None:
        self.results.clear()
        self.status.setText(str(exc) or exc.__class__.__name__)
        self.sig_results.emit(0)

    def _show(self, hits: list[Any]) -> None:
        self.results.clear()
        self.groups = {}
        for hit, group in grouped(hits):
            if group:
                self.groups[int(hit.document)] = group
            item = QListWidgetItem()
            item.setData(ROLE_HIT, hit)
            item.setData(ROLE_HTML, hit_html(hit, group=group))
            plain = f"{isolate(hit.title)} — {KIND_LABELS.get(hit.kind, hit.kind)}: {isolate(hit.snippet)}"
            item.setText(plain)
            item.setToolTip(hit.snippet)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, plain)
            self.results.addItem(item)
        n = len(hits)
        more = " (the best first)" if n >= LIMIT else ""
        docs = len(self.groups)
        where = f" in {docs} documents" if docs > 1 else ""
        self.status.setText("No results." if not n else f"{n} result{'s' if n != 1 else ''}{where}{more}.")
        self.sig_results.emit(n)

    def _on_activated(self, item: QListWidgetItem) -> None:
        hit = item.data(ROLE_HIT)
        if hit is not None:
            self.sig_activated.emit(hit)


__all__ = ["SearchPanel", "hit_html", "snippet_html"]
