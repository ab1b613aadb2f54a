"""The reader's text widget: a read-only QTextEdit that turns mouse and keys into sentence-level signals."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextOption,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QMenu, QTextEdit, QWidget


class TextView(QTextEdit):
    """The QTextEdit: turns mouse and keys into sentence-level signals; knows nothing else."""

    sig_hover = Signal(QPoint)
    sig_leave = Signal()
    sig_click = Signal(QPoint)
    sig_step = Signal(int)
    sig_zoom = Signal(int)
    sig_context_menu = Signal(QMenu)  # the standard menu, to be extended before it shows
    sig_resizing = Signal()  # about to re-wrap for a new size (the view notes its reading position)
    sig_resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setUndoRedoEnabled(False)
        self.viewport().setMouseTracking(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Lines break between words; only a "word" wider than the whole column (a URL) is broken, rather than
        # widening the table. Ordinary words never are: the window keeps each column at a readable width
        # (panels give way, then interlinear), which is what broke «برا/ی» in columns 60 px wide.
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._press: QPoint | None = None
        self.context_position = -1  # the document position the last context menu was opened on
        self.setAccessibleName("Reader: original and translation side by side")
        # Page marks of a paged source: (document y of the row that starts the page, label), from the view.
        self.page_marks: Callable[[], list[tuple[float, str]]] | None = None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        marks = self.page_marks() if self.page_marks is not None else []
        if not marks:
            return
        painter = QPainter(self.viewport())
        color = self.palette().placeholderText().color()
        painter.setPen(QPen(color, 0, Qt.PenStyle.DotLine))
        font = painter.font()
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
        painter.setFont(font)
        top = self.verticalScrollBar().value()
        width = self.viewport().width()
        height = self.viewport().height()
        for y, label in marks:
            at = y - top - 3  # in the gap above the row, clear of its text
            if -20 < at < height + 20:
                painter.drawLine(QPoint(4, int(at)), QPoint(width - 4, int(at)))
                painter.drawText(QRectF(4, at - 14, width - 8, 13), Qt.AlignmentFlag.AlignRight, label)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self._press is not None
            and (pos - self._press).manhattanLength() < 5
            and not self.textCursor().hasSelection()
        ):
            self.sig_click.emit(pos)
        self._press = None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        self.sig_hover.emit(event.position().toPoint())

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        self.sig_leave.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if plain and key in (Qt.Key.Key_J, Qt.Key.Key_Down):
            self.sig_step.emit(1)
            return
        if plain and key in (Qt.Key.Key_K, Qt.Key.Key_Up):
            self.sig_step.emit(-1)
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        self.context_position = self.cursorForPosition(event.pos()).position()
        self.sig_context_menu.emit(menu)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.sig_resizing.emit()
        super().resizeEvent(event)
        self.sig_resized.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.sig_zoom.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)


__all__ = ["TextView"]
