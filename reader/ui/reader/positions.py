"""The position index of the reader view: document positions ↔ sentences and text offsets, both ways.

For each sentence the row layout records (row, column, offset in the cell, length) of both sides (:class:`Span`)
and, per cell, the sorted sentence offsets (:class:`CellIndex`). ``cell.firstPosition()`` stays correct after
edits, so a document position maps to a sentence (and to an exact character offset of the original) and back.
QTextDocument positions count UTF-16 units; the helpers here convert.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextCursor

from reader.ui.reader.document import HighlightPiece, SelectionTarget

if TYPE_CHECKING:
    from reader.ui.reader.layout import RowLayout
    from reader.ui.reader.view import ReaderView


def u16(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (QTextDocument positions)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def u16_to_index(text: str, u16: int) -> int:
    """The str index in ``text`` of the character at UTF-16 offset ``u16``."""
    if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
        return min(u16, len(text))
    units = 0
    for i, c in enumerate(text):
        if units >= u16:
            return i
        units += 2 if ord(c) > 0xFFFF else 1
    return len(text)


def shown(text: str) -> str:
    """A translation as the view shows it: whitespace runs collapsed to one space, no edges."""
    return " ".join(text.split())


def stripped_to_shown(stripped: str, index: int) -> int:
    """Index in ``shown(stripped)`` of character ``index`` of ``stripped`` (a text without edge whitespace)."""
    if " ".join(stripped.split()) == stripped:
        return max(0, min(index, len(stripped)))
    shown = 0
    previous_space = False
    for k, ch in enumerate(stripped):
        if k >= index:
            return shown
        space = ch.isspace()
        if not (space and previous_space):
            shown += 1
        previous_space = space
    return shown


def shown_to_stripped(stripped: str, index: int) -> int:
    """The first index of ``stripped`` that :func:`stripped_to_shown` maps to ``index`` or beyond."""
    if " ".join(stripped.split()) == stripped:
        return max(0, min(index, len(stripped)))
    for k in range(len(stripped) + 1):
        if stripped_to_shown(stripped, k) >= index:
            return k
    return len(stripped)


@dataclass
class Span:
    """One side of one sentence: its cell and its UTF-16 range inside the cell."""

    row: int
    col: int
    offset: int
    length: int


class SpanTable:
    """Every sentence's :class:`Span` on one side, kept only for the sentences whose rows are built (a
    48 MB article has 320,000 sentences; the view builds a few hundred rows to open it). A sentence not built
    yet reads as ``Span(-1, 0, 0, 0)``."""

    def __init__(self, count: int = 0) -> None:
        self.count = count
        self.spans: dict[int, Span] = {}

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> Span:
        if index < 0:
            index += self.count
        if not 0 <= index < self.count:
            raise IndexError(index)
        span = self.spans.get(index)
        if span is None:
            span = self.spans[index] = Span(-1, 0, 0, 0)
        return span

    def __setitem__(self, index: int, span: Span) -> None:
        if not 0 <= index < self.count:
            raise IndexError(index)
        self.spans[index] = span


@dataclass
class CellIndex:
    """Sentence spans of one cell, sorted by offset, for position → sentence lookups."""

    offsets: list[int] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def add(self, offset: int, length: int, sentence: int) -> None:
        self.offsets.append(offset)
        self.ends.append(offset + length)
        self.sentences.append(sentence)

    def find(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.offsets, offset) - 1
        if i < 0:
            return None
        return self.sentences[i]  # the spans tile the cell: the gap after a sentence belongs to it


class Positions:
    """Lookups over the rows built so far (see :class:`reader.ui.reader.layout.RowLayout`)."""

    def __init__(self, view: ReaderView, layout: RowLayout) -> None:
        self.view = view
        self.layout = layout

    def orig_range(self, s_index: int) -> tuple[int, int]:
        """Document positions [start, end) of a sentence's original."""
        self.layout.ensure_built(self.layout.row_of_sentence[s_index])
        span = self.layout.orig[s_index]
        first = self.layout.tables[span.row].cellAt(0, span.col).firstPosition()
        return first + span.offset, first + span.offset + span.length

    def translation_range(self, s_index: int) -> tuple[int, int]:
        self.layout.ensure_built(self.layout.row_of_sentence[s_index])
        span = self.layout.trans[s_index]
        first = self.layout.tables[span.row].cellAt(0, span.col).firstPosition()
        return first + span.offset, first + span.offset + span.length

    def cell_at(self, position: int) -> tuple[int, Any] | None:
        """(row, cell) of the table cell holding a document position."""
        if not self.layout.tables or position < 0:
            return None
        cursor = QTextCursor(self.view.text_view.document())
        if position > cursor.document().characterCount() - 1:
            return None
        cursor.setPosition(position)
        table = cursor.currentTable()
        if table is None or not table.objectName().isdigit():
            return None
        cell = table.cellAt(position)
        return (int(table.objectName()), cell) if cell.isValid() else None

    def sentence_at_position(self, position: int) -> int | None:
        found = self.cell_at(position)
        if found is None:
            return None
        row, cell = found
        index = self.layout.cells.get((row, cell.column()))
        if index is None:
            return None
        return index.find(position - cell.firstPosition())

    def original_offset_at(self, position: int) -> int | None:
        """The character offset in the document's original text shown at ``position`` (None: not original)."""
        s_index = self.sentence_at_position(position)
        found = self.cell_at(position)
        if s_index is None or self.view.document is None or found is None:
            return None
        row, cell = found
        if (row, cell.column()) != (self.layout.orig[s_index].row, self.layout.orig[s_index].col):
            return None
        within = position - cell.firstPosition()
        if self.view.interlinear:
            if within > self.layout.orig[s_index].length:
                return None
            s = self.view.document.sentences[s_index]
            return s.start + u16_to_index(self.view.document.text[s.start : s.end], within)
        para = self.view.document.paragraphs[self.view.document.sentences[s_index].paragraph]
        return para.start + u16_to_index(self.view.document.text[para.start : para.end], within)

    def sentence_at_point(self, point: QPoint) -> int | None:
        """The sentence under a viewport point, if the point is exactly over text."""
        if not self.layout.tables:
            return None
        offset = QPointF(
            self.view.text_view.horizontalScrollBar().value(), self.view.text_view.verticalScrollBar().value()
        )
        layout = self.view.text_view.document().documentLayout()
        position = layout.hitTest(QPointF(point) + offset, Qt.HitTestAccuracy.ExactHit)
        return self.sentence_at_position(position)

    def viewport_point_of(self, position: int) -> QPoint:
        """Viewport coordinates of the middle of the character at ``position`` (tests, tooltips)."""
        cursor = QTextCursor(self.view.text_view.document())
        cursor.setPosition(position)
        before = self.view.text_view.cursorRect(cursor)
        cursor.setPosition(position + 1)
        after = self.view.text_view.cursorRect(cursor)
        if after.top() != before.top():
            return QPoint(before.center().x() + 2, before.center().y())
        return QPoint((before.center().x() + after.center().x()) // 2, before.center().y())

    def piece_positions(self, piece: HighlightPiece, *, build: bool = False) -> list[tuple[int, int]]:
        """Document positions of a highlight piece (only rows already built unless ``build``)."""
        if piece.side == "original":
            return self.original_positions(piece.start, piece.end or piece.start, build=build)
        if piece.segment is None:
            return []
        return self.translation_positions(piece.segment, piece.start, piece.end, build=build)

    def original_positions(self, start: int, end: int, *, build: bool = False) -> list[tuple[int, int]]:
        """Document positions showing the original text ``[start, end)`` (one range per cell it crosses)."""
        doc = self.view.document
        if doc is None or end <= start or not self.layout.rows:
            return []
        out: list[tuple[int, int]] = []
        for p_index in range(doc.paragraph_at(start), len(doc.paragraphs)):
            para = doc.paragraphs[p_index]
            if para.start >= end:
                break
            if para.end <= start:
                continue
            if self.view.interlinear:
                units = [
                    (doc.sentences[i].start, doc.sentences[i].end, self.layout.row_of_sentence[i])
                    for i in para.sentences
                ]
            else:
                units = [(para.start, para.end, para.index)]
            for u_start, u_end, row in units:
                a, b = max(start, u_start), min(end, u_end)
                if a >= b:
                    continue
                if row >= len(self.layout.tables):
                    if not build:
                        continue
                    self.layout.ensure_built(row)
                first = self.layout.tables[row].cellAt(0, self.layout.orig_col).firstPosition()
                out.append((first + u16(doc.text[u_start:a]), first + u16(doc.text[u_start:b])))
        return out

    def translation_positions(
        self, segment: int, start: int, end: int | None, *, build: bool = False
    ) -> list[tuple[int, int]]:
        """Document positions of ``[start, end)`` of sentence ``segment``'s translation (stripped offsets)."""
        doc = self.view.document
        text = self.view.translations.get(segment)
        if doc is None or text is None or not 0 <= segment < len(self.layout.trans):
            return []
        row = self.layout.row_of_sentence[segment]
        if row >= len(self.layout.tables):
            if not build:
                return []
            self.layout.ensure_built(row)
        span = self.layout.trans[segment]
        visible = shown(text)
        if span.row < 0 or span.length != u16(visible):
            return []  # not painted yet (the cell still shows the placeholder)
        stripped = text.strip()
        a = stripped_to_shown(stripped, start)
        b = stripped_to_shown(stripped, len(stripped) if end is None else end)
        if b <= a:
            return []
        first = self.layout.tables[span.row].cellAt(0, span.col).firstPosition() + span.offset
        return [(first + u16(visible[:a]), first + u16(visible[:b]))]

    def row_of_position(self, position: int) -> int:
        firsts = [t.firstPosition() for t in self.layout.tables]
        return max(0, bisect.bisect_right(firsts, position) - 1)

    def side_span(self, row: int, side: str) -> tuple[int, int]:
        """Positions [first, last] of one side of a row."""
        if self.view.interlinear:
            cell = self.layout.tables[row].cellAt(0, 0)
            first = cell.firstPosition()
            length = (
                self.layout.orig[self.layout.row_sentences[row][0]].length
                if self.layout.row_sentences[row]
                else 0
            )
            if side == "original":
                return first, first + length
            return first + length + 1, cell.lastPosition()
        cell = self.layout.tables[row].cellAt(
            0, self.layout.orig_col if side == "original" else self.layout.trans_col
        )
        return cell.firstPosition(), cell.lastPosition()

    def side_at_position(self, position: int) -> str | None:
        """ "original" or "translation": which pane a document position is in."""
        if not self.layout.tables or self.view.document is None:
            return None
        found = self.cell_at(position)
        if found is None:
            return None
        row, _cell = found
        for side in ("original", "translation"):
            first, last = self.side_span(row, side)
            if first <= position <= last:
                return side
        return None

    def original_offset(self, row: int, position: int) -> int:
        doc = self.view.document
        assert doc is not None
        first, _last = self.side_span(row, "original")
        if self.view.interlinear:
            s = doc.sentences[self.layout.row_sentences[row][0]]
            lo, hi = s.start, s.end
        else:
            para = doc.paragraphs[self.layout.rows[row][0]]
            lo, hi = para.start, para.end
        return lo + u16_to_index(doc.text[lo:hi], max(0, position - first))

    def translation_point(self, row: int, position: int) -> tuple[int, int] | None:
        """(sentence, offset in its stripped translation) at a position of the translation side of ``row``."""
        first, _last = self.side_span(row, "translation")
        if self.view.interlinear:
            segment: int | None = (
                self.layout.row_sentences[row][0] if self.layout.row_sentences[row] else None
            )
        else:
            index = self.layout.cells.get((row, self.layout.trans_col))
            segment = index.find(position - first) if index is not None else None
        if segment is None or segment not in self.view.translations:
            return None
        span = self.layout.trans[segment]
        cell_first = self.layout.tables[span.row].cellAt(0, span.col).firstPosition()
        within = max(0, min(span.length, position - cell_first - span.offset))
        text = self.view.translations[segment]
        shown_index = u16_to_index(shown(text), within)
        return segment, shown_to_stripped(text.strip(), shown_index)

    def selection_target(self) -> SelectionTarget | None:
        """The selected text as a logical range on the side where the drag began (None: nothing selected).

        QTextCursor's selection start/end are logical positions, so a drag over right-to-left text with
        embedded Latin or digits — in either direction — gives the range of characters the user went over."""
        doc = self.view.document
        cursor = self.view.text_view.textCursor()
        if doc is None or not self.layout.tables or not cursor.hasSelection():
            return None
        a, b = cursor.selectionStart(), cursor.selectionEnd()
        side = self.side_at_position(cursor.anchor()) or self.side_at_position(a) or "original"
        pieces: list[tuple[int, int, int]] = []  # (row, first, last) of the selection on that side
        for row in range(self.row_of_position(a), self.row_of_position(b) + 1):
            first, last = self.side_span(row, side)
            lo, hi = max(a, first), min(b, last)
            if lo < hi:
                pieces.append((row, lo, hi))
        if not pieces:
            return None
        text = cursor.selectedText().replace("\u2029", "\n")
        if side == "original":
            start = self.original_offset(pieces[0][0], pieces[0][1])
            end = self.original_offset(pieces[-1][0], pieces[-1][2])
            return SelectionTarget("original", start, end, text=text) if end > start else None
        points = [
            p
            for row, lo, hi in pieces
            for p in (self.translation_point(row, lo), self.translation_point(row, hi))
            if p is not None
        ]
        if not points:
            return None
        (s_seg, s_off), (e_seg, e_off) = points[0], points[-1]
        if (e_seg, e_off) <= (s_seg, s_off):
            return None
        return SelectionTarget("translation", s_off, e_off, s_seg, e_seg, text)


__all__ = ["CellIndex", "Positions", "Span", "SpanTable", "shown", "u16", "u16_to_index"]
