"""Find in the document (Ctrl+F): the bar, the folded matching, and the :class:`Finder` that keeps the matches.

Matching folds letter variants, diacritics and ZWNJ (:mod:`reader.core.text.folding`, the same folding as the
library search) over the whole QTextDocument, so it finds in both panes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

if TYPE_CHECKING:
    from reader.ui.reader.view import ReaderView


class FindBar(QFrame):
    """Ctrl+F: find across both panes (letters folded, see reader.core.text.folding)."""

    sig_changed = Signal(str)
    sig_next = Signal()
    sig_previous = Signal()
    sig_closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Find in document")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("Find:", self))
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName("Text to find")
        self.edit.setPlaceholderText("letters, diacritics and ZWNJ are matched loosely")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel("", self)
        self.count.setAccessibleName("Matches")
        previous = QToolButton(self)
        previous.setText("↑")
        previous.setToolTip("Previous match (Shift+Enter)")
        previous.setAccessibleName("Previous match")
        following = QToolButton(self)
        following.setText("↓")
        following.setToolTip("Next match (Enter)")
        following.setAccessibleName("Next match")
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.setAccessibleName("Close find bar")
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self.edit.textChanged.connect(self.sig_changed)
        self.edit.returnPressed.connect(self.sig_next)
        previous.clicked.connect(self.sig_previous)
        following.clicked.connect(self.sig_next)
        close.clicked.connect(self.close_bar)
        self.edit.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            ):
                self.sig_previous.emit()
                return True
        return False

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.sig_closed.emit()


class Finder(QObject):
    """The matches of the find bar's text in the view's document and which one is current."""

    def __init__(self, view: ReaderView) -> None:
        super().__init__(view)
        self.view = view
        self.bar = view.find_bar
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(120)
        self.timer.timeout.connect(self.run)
        self.bar.sig_changed.connect(lambda _text: self.timer.start())
        self.bar.sig_next.connect(lambda: self.step(1))
        self.bar.sig_previous.connect(lambda: self.step(-1))
        self.bar.sig_closed.connect(self._on_closed)

    @property
    def active(self) -> bool:
        """The bar is open with something to find."""
        return self.bar.isVisible() and bool(self.bar.edit.text())

    def reset(self) -> None:
        self.matches = []
        self.current = -1

    def open(self) -> None:
        self.bar.open_bar()
        if self.bar.edit.text():
            self.run()

    def find_text(self, query: str) -> int:
        self.bar.edit.blockSignals(True)
        self.bar.edit.setText(query)
        self.bar.edit.blockSignals(False)
        self.run()
        return len(self.matches)

    def refresh_soon(self) -> None:
        """The document's text changed: find again shortly (only while the bar is in use)."""
        if self.active:
            self.timer.start()

    def run(self) -> None:
        self.timer.stop()
        view = self.view
        query = self.bar.edit.text()
        self.reset()
        if view.document is not None and query.strip():
            view.row_layout.build_all()
            self.matches = find_in_document(view.text_view.document(), query, view.document.lang)
        if self.matches:
            top = view.text_view.verticalScrollBar().value()
            self.current = next(
                (i for i, (s, _e) in enumerate(self.matches) if view.position_y(s)[0] >= top), 0
            )
            self._reveal()
        self._update_label()
        view.marks.update()

    def step(self, delta: int) -> None:
        if not self.matches:
            self.run()
            return
        self.current = (self.current + delta) % len(self.matches)
        self._reveal()
        self._update_label()
        self.view.marks.update()

    def _reveal(self) -> None:
        view = self.view
        start, _end = self.matches[self.current]
        top, bottom = view.position_y(start)
        bar = view.text_view.verticalScrollBar()
        height = view.text_view.viewport().height()
        if top < bar.value() or bottom > bar.value() + height:
            bar.setValue(round(top - height / 3))

    def _update_label(self) -> None:
        if not self.bar.edit.text().strip():
            self.bar.count.setText("")
        elif not self.matches:
            self.bar.count.setText("no match")
        else:
            self.bar.count.setText(f"{self.current + 1} of {len(self.matches)}")

    def _on_closed(self) -> None:
        self.reset()
        self.view.marks.update()
        self.view.text_view.setFocus()


def find_in_document(qdoc: QTextDocument, query: str, lang: str) -> list[tuple[int, int]]:
    """Document ranges matching ``query`` with letter variants, diacritics and ZWNJ folded
    (:mod:`reader.core.text.folding`; the same folding as the library search)."""
    from reader.core.text.folding import fold, fold_with_map, original_span

    needle = fold(query, lang)
    if not needle:
        return []
    raw = qdoc.toRawText()  # one character per document position (BMP), table/block markers included
    folded, mapping = fold_with_map(raw, lang)
    # QTextDocument positions count UTF-16 units; map str indices to positions when the text has wide chars.
    to_pos: list[int] | None = None
    if not raw.isascii() and len(raw.encode("utf-16-le")) != 2 * len(raw):
        to_pos, units = [], 0
        for c in raw:
            to_pos.append(units)
            units += 2 if ord(c) > 0xFFFF else 1
        to_pos.append(units)
    matches: list[tuple[int, int]] = []
    start = folded.find(needle)
    while start >= 0:
        begin, end = original_span(raw, mapping, start, start + len(needle))
        if to_pos is not None:
            begin, end = to_pos[begin], to_pos[end]
        matches.append((begin, end))
        start = folded.find(needle, start + len(needle))
    return matches


__all__ = ["FindBar", "Finder", "find_in_document"]
