"""The row layout of the reader view: one small QTextTable per row, built progressively.

A row is a paragraph pair (side by side: original and translation cells, swapped on request) or, interlinear,
one sentence with its translation below it. Rows align the tops of both cells, so every paragraph pair starts at
the same height and both "panes" scroll together. The original cell holds exactly ``text[p.start:p.end]``; a
translation cell is rewritten whenever translations for its paragraph arrive (coalesced by :attr:`flush_timer`).
While building, the layout records the position index (:mod:`reader.ui.reader.positions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextLength,
    QTextTable,
    QTextTableCellFormat,
    QTextTableFormat,
)

from reader.ui import fonts
from reader.ui.preferences import script_of
from reader.ui.reader.document import ViewParagraph, direction_of
from reader.ui.reader.positions import CellIndex, Span, SpanTable, u16

if TYPE_CHECKING:
    from reader.ui.reader.view import ReaderView

PENDING_MARK = "…"
STOPPED_MARK = "(not translated)"  # muted, once per run of untranslated sentences after a stop
GUTTER = 14  # px between the columns (each side)
PARAGRAPH_GAP = 14  # px below each paragraph pair
BUILD_CHUNK_ROWS = 12  # rows added per event-loop turn after the visible part
# Rows built in the background past the bottom of the viewport; further rows are built as scrolling reaches
# them (or when something needs them: find, go to end, a sentence jumped to). A document of fewer rows is built
# whole, as before; a 48 MB article (121,000 rows) no longer grows by ~20 MB per 1,000 rows for minutes.
BACKGROUND_ROWS_AHEAD = 2000


_F = TypeVar("_F", bound=QTextFormat)
HEADLINE_CHARS = 200
_SENTENCE_END = tuple(".!?؟。…:;؛")
# Font size steps (QTextFormat.FontSizeAdjustment, added to the script's own) for headings the file marks, by
# level (4 and deeper as 3), and for foot/endnotes, which are also set in the secondary colour.
HEADING_STEPS = {1: 2, 2: 1, 3: 0}
NOTE_STEP = -1


def _reads_as_title(text: str) -> bool:
    """One line, not too long, not ending like a sentence (a headline, not a lead paragraph)."""
    text = text.strip()
    return (
        bool(text) and "\n" not in text and len(text) <= HEADLINE_CHARS and not text.endswith(_SENTENCE_END)
    )


class RowLayout(QObject):
    """Builds the rows of the view's document into its text widget and keeps the position index."""

    def __init__(self, view: ReaderView) -> None:
        super().__init__(view)
        self.view = view
        self.tables: list[QTextTable] = []  # one small table per row, built progressively
        self.rows: Sequence[tuple[int, int | None]] = []  # row -> (paragraph, sentence in interlinear mode)
        self.formats: dict[tuple[object, ...], QTextFormat] = {}
        self.headings: dict[int, bool] = {}  # paragraph index → shown as the headline (this document)
        self.orig_col = 0
        self.trans_col = 1
        self.orig = SpanTable()
        self.trans = SpanTable()
        self.cells: dict[tuple[int, int], CellIndex] = {}
        self.row_of_sentence: Sequence[int] = []
        self.row_sentences: Sequence[Sequence[int]] = []
        self.dirty_rows: set[int] = set()
        self.flush_timer = QTimer(self)
        self.flush_timer.setSingleShot(True)
        self.flush_timer.setInterval(30)
        self.flush_timer.timeout.connect(self.flush)
        self.build_timer = QTimer(self)
        self.build_timer.setSingleShot(True)
        self.build_timer.setInterval(0)
        self.build_timer.timeout.connect(self._build_step)

    def clear(self) -> None:
        """Forget every row (the view shows no document)."""
        self.build_timer.stop()
        self.tables, self.rows = [], []
        self.orig, self.trans, self.cells = SpanTable(), SpanTable(), {}

    def mark_translated(self, s_index: int) -> None:
        """Sentence ``s_index`` has a new translation: its row is rewritten at the next flush (if built)."""
        row = self.row_of_sentence[s_index]
        if row < len(self.tables):  # rows not built yet will show it when they are
            self.dirty_rows.add(row)

    def flush_soon(self) -> None:
        if self.dirty_rows and not self.flush_timer.isActive():
            self.flush_timer.start()

    def mark_all_dirty(self) -> None:
        self.dirty_rows.update(range(len(self.tables)))

    def count(self) -> int:
        return len(self.rows)

    def rebuild(self) -> None:
        """Start a new QTextDocument for the document; rows are added by build_rows (progressively)."""
        doc_data = self.view.document
        assert doc_data is not None
        self.flush_timer.stop()
        self.build_timer.stop()
        self.dirty_rows.clear()
        self.formats.clear()
        self.headings.clear()
        self.view.marks.invalidate()
        self.view.marks.stop_flash()
        n_sentences = len(doc_data.sentences)
        self.orig = SpanTable(n_sentences)  # filled as rows are built
        self.trans = SpanTable(n_sentences)
        self.cells = {}
        self.tables = []
        plan = doc_data.row_plan(self.view.interlinear)  # no list per row or sentence for a large document
        if plan is not None:
            self.rows, self.row_sentences, self.row_of_sentence = (
                plan.rows,
                plan.row_sentences,
                plan.row_of_sentence,
            )
        else:
            self._plan_rows()
        if self.view.interlinear:
            self.orig_col = self.trans_col = 0
        else:
            self.orig_col, self.trans_col = (1, 0) if self.view.swapped else (0, 1)
        qdoc = QTextDocument(self.view.text_view)
        qdoc.setUndoRedoEnabled(False)
        qdoc.setDocumentMargin(16)
        qdoc.setDefaultFont(self.view.base_font())
        self.view.text_view.setDocument(qdoc)
        self.view.apply_line_length()
        self.view.marks.update()

    def _plan_rows(self) -> None:
        """The rows of a document made of row objects (:meth:`ReaderDocument.build`), as lists."""
        doc_data = self.view.document
        assert doc_data is not None
        rows: list[tuple[int, int | None]] = []
        row_sentences: list[Sequence[int]] = []
        row_of_sentence = [0] * len(doc_data.sentences)
        for para in doc_data.paragraphs:
            if self.view.interlinear:
                for s_index in para.sentences:
                    row_of_sentence[s_index] = len(rows)
                    row_sentences.append([s_index])
                    rows.append((para.index, s_index))
            else:
                for s_index in para.sentences:
                    row_of_sentence[s_index] = len(rows)
                row_sentences.append(list(para.sentences))
                rows.append((para.index, None))
        self.rows, self.row_sentences, self.row_of_sentence = rows, row_sentences, row_of_sentence

    def cached_format(self, key: tuple[object, ...], kind: type[_F]) -> _F | None:
        """The format built earlier for ``key`` (formats are shared by every row that looks the same)."""
        fmt = self.formats.get(key)
        return fmt if isinstance(fmt, kind) else None

    def _table_format(self) -> QTextTableFormat:
        key = ("table", self.view.interlinear)
        fmt = self.cached_format(key, QTextTableFormat)
        if fmt is None:
            fmt = QTextTableFormat()
            fmt.setBorder(0)
            fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_None)
            fmt.setCellSpacing(0)
            fmt.setCellPadding(0)
            fmt.setMargin(0)
            fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
            columns = 1 if self.view.interlinear else 2
            fmt.setColumnWidthConstraints(
                [QTextLength(QTextLength.Type.PercentageLength, 100 / columns)] * columns
            )
            self.formats[key] = fmt
        return fmt

    def build_rows(self, upto: int) -> None:
        """Append the rows [built, upto) to the document, one small table per row, in one edit block."""
        upto = min(upto, self.count())
        if len(self.tables) >= upto or self.view.document is None:
            return
        qdoc = self.view.text_view.document()
        self.view.marks.invalidate()  # highlights in the new rows can be painted now
        cursor = QTextCursor(qdoc)
        cursor.beginEditBlock()
        columns = 1 if self.view.interlinear else 2
        paragraphs = self.view.document.paragraphs
        for row in range(len(self.tables), upto):
            cursor.movePosition(QTextCursor.MoveOperation.End)
            table = cursor.insertTable(1, columns, self._table_format())
            table.setObjectName(str(row))
            self.tables.append(table)
            para_index, s_index = self.rows[row]
            para = paragraphs[para_index]
            if s_index is None:
                self._fill_original_cell(row, para)
                self._fill_translation_cell(row)
            else:
                first = para.sentences[0] == s_index
                self._fill_interlinear_row(row, para, s_index, first_in_paragraph=first)
        cursor.endEditBlock()

    def _build_step(self) -> None:
        self.build_rows(len(self.tables) + BUILD_CHUNK_ROWS)
        if len(self.tables) >= self.count():
            self._on_built()
        elif len(self.tables) < self._background_limit():
            self.build_timer.start()

    def _background_limit(self) -> int:
        """Build in the background up to this row: BACKGROUND_ROWS_AHEAD past the viewport's bottom row."""
        if not self.tables:
            return BACKGROUND_ROWS_AHEAD
        bar = self.view.text_view.verticalScrollBar()
        bottom = self.row_at_y(bar.value() + self.view.text_view.viewport().height())
        return bottom + 1 + BACKGROUND_ROWS_AHEAD

    def build_all(self) -> None:
        if self.view.document is not None and len(self.tables) < self.count():
            self.build_rows(self.count())
            self._on_built()

    def _on_built(self) -> None:
        self.build_timer.stop()
        self.view.marks.update()
        self.view.finder.refresh_soon()
        self.view.sig_built.emit()

    def ensure_built(self, row: int) -> None:
        if row >= len(self.tables):
            self.build_rows(row + 1)
        self._schedule_build()

    def ensure_covers(self, y: float) -> None:
        """Build rows until the built part reaches down to document coordinate ``y`` (or the end)."""
        while len(self.tables) < self.count():
            if self.tables and self.row_bottom(len(self.tables) - 1) >= y:
                break
            self.build_rows(len(self.tables) + 4)
        self._schedule_build()

    def _schedule_build(self) -> None:
        if self.build_timer.isActive() or len(self.tables) >= self.count():
            return
        if len(self.tables) < self._background_limit():
            self.build_timer.start()

    def is_built(self) -> bool:
        return self.view.document is not None and len(self.tables) == self.count()

    def cell(self, row: int, col: int) -> Any:
        self.ensure_built(row)
        return self.tables[row].cellAt(0, col)

    def _cell_format(self, col: int, *, top: int = 0) -> QTextTableCellFormat:
        key = ("cell", col, top, self.view.interlinear)
        fmt = self.cached_format(key, QTextTableCellFormat)
        if fmt is None:
            fmt = QTextTableCellFormat()
            fmt.setTopPadding(top)
            fmt.setBottomPadding(4 if self.view.interlinear else PARAGRAPH_GAP)
            if self.view.interlinear:
                fmt.setLeftPadding(GUTTER)
                fmt.setRightPadding(GUTTER)
            elif col == 0:
                fmt.setLeftPadding(4)
                fmt.setRightPadding(GUTTER)
            else:
                fmt.setLeftPadding(GUTTER)
                fmt.setRightPadding(4)
                fmt.setLeftBorder(1)
                fmt.setLeftBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
                fmt.setLeftBorderBrush(QBrush(self.view.colors.divider))
            self.formats[key] = fmt
        return fmt

    def _block_format(self, direction: str, arabic_script: bool) -> QTextBlockFormat:
        key = ("block", direction, arabic_script)
        fmt = self.cached_format(key, QTextBlockFormat)
        if fmt is None:
            fmt = QTextBlockFormat()
            if direction == "rtl":
                fmt.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
                fmt.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
            else:
                fmt.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
                fmt.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute)
            height = (100 if arabic_script else 135) * self.view.prefs.line_spacing / 100
            fmt.setLineHeight(height, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            self.formats[key] = fmt
        return fmt

    def _char_format(
        self,
        lang: str,
        *,
        bold: bool = False,
        muted: bool = False,
        secondary: bool = False,
        step: int = 0,
        human: bool = False,
    ) -> QTextCharFormat:
        key = ("char", lang, bold, muted, secondary, step, human)
        fmt = self.cached_format(key, QTextCharFormat)
        if fmt is None:
            fmt = QTextCharFormat()
            prefs, script = self.view.prefs, script_of(lang)
            chosen = prefs.family(script)
            families = fonts.families_for(lang)
            if chosen or families:
                fmt.setFontFamilies([*([chosen] if chosen else []), *families, self.view.font().family()])
            # relative steps (Arabic-script faces read best a step larger than Latin text at the same point
            # size), so zoom stays one change of the document's default font
            size = prefs.size(script) + step
            if size:
                fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, size)
            if bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            color = (
                self.view.colors.muted
                if muted
                else self.view.colors.secondary
                if secondary
                else self.view.colors.text
            )
            fmt.setForeground(QBrush(color))
            if human:  # a human correction: a discreet dotted underline (no character added to the text)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(self.view.colors.muted)
                fmt.setToolTip("Your correction of the machine translation")
            self.formats[key] = fmt
        return fmt

    def _direction(self, lang: str) -> str:
        return direction_of(lang)

    def _style(self, para: ViewParagraph) -> tuple[bool, int, bool]:
        """(bold, size step, secondary colour) of a paragraph's text, on both sides: a heading the file marks
        (DOCX, ODT, EPUB) is bold and larger by level, a note smaller and in the secondary colour; in a document
        whose file marks no heading, the guessed headline is bold."""
        if para.kind == "heading":
            return True, HEADING_STEPS[min(max(para.level or 1, 1), 3)], False
        if para.kind == "note":
            return False, NOTE_STEP, True
        return self._is_heading(para), 0, False

    def _para_format(
        self, para: ViewParagraph, lang: str, *, muted: bool = False, human: bool = False
    ) -> QTextCharFormat:
        bold, step, secondary = self._style(para)
        return self._char_format(
            lang, bold=bold, step=step, muted=muted, secondary=secondary and not muted, human=human
        )

    def _is_heading(self, para: ViewParagraph) -> bool:
        """The document's headline is shown bold, whatever the source (a text file's first line, an HTML
        ``<h1>``): the first paragraph when it reads as a title — one line of at most HEADLINE_CHARS characters
        that does not end a sentence — and the second too when the first is only a short label such as a
        section name ("Azerbaycan") and the second reads as a title."""
        if para.index > 1:
            return False
        value = self.headings.get(para.index)
        if value is None:
            value = self.headings[para.index] = self._compute_heading(para.index)
        return value

    def _compute_heading(self, index: int) -> bool:
        doc = self.view.document
        assert doc is not None
        if index >= len(doc.paragraphs) or doc.has_headings() or not _reads_as_title(doc.paragraph_text(0)):
            return False
        if index == 0:
            return True
        return len(doc.paragraph_text(0).split()) <= 3 and _reads_as_title(doc.paragraph_text(1))

    def _fill_original_cell(self, row: int, para: ViewParagraph) -> None:
        assert self.view.document is not None
        cell = self.tables[row].cellAt(0, self.orig_col)
        cell.setFormat(self._cell_format(self.orig_col))
        cursor = cell.firstCursorPosition()
        cursor.setBlockFormat(self._block_format(para.direction, bool(fonts.families_for(para.lang))))
        text = self.view.document.text[para.start : para.end]
        cursor.insertText(text, self._para_format(para, para.lang))
        narrow = text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text)  # 1 position per char
        index = CellIndex()
        for s_index in para.sentences:
            s = self.view.document.sentences[s_index]
            if narrow:
                offset, length = s.start - para.start, s.end - s.start
            else:
                offset = u16(self.view.document.text[para.start : s.start])
                length = u16(self.view.document.text[s.start : s.end])
            self.orig[s_index] = Span(row, self.orig_col, offset, length)
            index.add(offset, length, s_index)
        self.cells[(row, self.orig_col)] = index

    def _translation_pieces(self, sentences: Sequence[int]) -> list[tuple[int, str, bool]]:
        pieces = []
        previous_missing = False
        for s_index in sentences:
            text = self.view.translations.get(s_index)
            if text is not None:
                pieces.append((s_index, " ".join(text.split()), False))
            elif self.view.pending:
                pieces.append((s_index, PENDING_MARK, True))
            elif self.view.stopped and not previous_missing:
                pieces.append((s_index, STOPPED_MARK, True))
            else:
                pieces.append((s_index, "", True))
            previous_missing = text is None
        return pieces

    def _fill_translation_cell(self, row: int) -> None:
        """(Re)write the translation cell of a paragraph row (side-by-side mode)."""
        assert self.view.document is not None
        para = self.view.document.paragraphs[self.rows[row][0]]
        cell = self.tables[row].cellAt(0, self.trans_col)
        cursor = cell.firstCursorPosition()
        if cell.lastPosition() > cell.firstPosition():
            cursor.setPosition(cell.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        cell.setFormat(self._cell_format(self.trans_col))
        target = self.view.document.target_lang
        cursor.setBlockFormat(self._block_format(self._direction(target), bool(fonts.families_for(target))))
        index = CellIndex()
        offset = 0
        normal = self._para_format(para, target)
        muted = self._para_format(para, target, muted=True)
        human = self._para_format(para, target, human=True)
        for k, (s_index, text, is_muted) in enumerate(self._translation_pieces(para.sentences)):
            if k and text:
                cursor.insertText(" ", normal)
                offset += 1
            if text:
                corrected = s_index in self.view.corrected
                cursor.insertText(text, muted if is_muted else human if corrected else normal)
            length = u16(text)
            self.trans[s_index] = Span(row, self.trans_col, offset, length)
            index.add(offset, length, s_index)
            offset += length
        self.cells[(row, self.trans_col)] = index

    def _fill_interlinear_row(
        self, row: int, para: ViewParagraph, s_index: int, first_in_paragraph: bool
    ) -> None:
        assert self.view.document is not None
        cell = self.tables[row].cellAt(0, 0)
        cell.setFormat(self._cell_format(0, top=PARAGRAPH_GAP if first_in_paragraph and row else 0))
        cursor = cell.firstCursorPosition()
        cursor.setBlockFormat(self._block_format(para.direction, bool(fonts.families_for(para.lang))))
        s = self.view.document.sentences[s_index]
        text = self.view.document.text[s.start : s.end]
        cursor.insertText(text, self._para_format(para, para.lang))
        self.orig[s_index] = Span(row, 0, 0, u16(text))
        cursor.insertBlock()
        self._fill_interlinear_translation(row, s_index, cursor)

    def _fill_interlinear_translation(
        self, row: int, s_index: int, cursor: QTextCursor | None = None
    ) -> None:
        assert self.view.document is not None
        cell = self.tables[row].cellAt(0, 0)
        orig = self.orig[s_index]
        if cursor is None:
            cursor = QTextCursor(self.view.text_view.document())
            cursor.setPosition(cell.firstPosition() + orig.length + 1)
            if cell.lastPosition() > cursor.position():
                cursor.setPosition(cell.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
        target = self.view.document.target_lang
        block = QTextBlockFormat(
            self._block_format(self._direction(target), bool(fonts.families_for(target)))
        )
        block.setTopMargin(2)
        cursor.setBlockFormat(block)
        (_, text, is_muted) = self._translation_pieces([s_index])[0]
        if text:
            cursor.insertText(
                text,
                self._char_format(
                    target,
                    muted=is_muted,
                    secondary=not is_muted,
                    human=not is_muted and s_index in self.view.corrected,
                ),
            )
        offset = orig.length + 1
        self.trans[s_index] = Span(row, 0, offset, u16(text))
        index = CellIndex()
        index.add(0, offset, s_index)
        self.cells[(row, 0)] = index

    def flush(self) -> None:
        built = len(self.tables)
        rows = sorted(r for r in self.dirty_rows if r < built)
        self.dirty_rows.clear()
        if self.view.document is None or not rows:
            return
        anchor = self.scroll_anchor()
        self.view.marks.invalidate()  # translation positions move when cells are rewritten
        cursor = QTextCursor(self.view.text_view.document())
        cursor.beginEditBlock()
        for row in rows:
            if self.view.interlinear:
                for s_index in self.row_sentences[row]:
                    self._fill_interlinear_translation(row, s_index)
            else:
                self._fill_translation_cell(row)
        cursor.endEditBlock()
        self.restore_scroll_anchor(anchor)
        self.view.marks.update()
        self.view.finder.refresh_soon()
        self.view.sig_rendered.emit()

    def row_top(self, row: int) -> float:
        block = self.tables[row].cellAt(0, 0).firstCursorPosition().block()
        return self.view.text_view.document().documentLayout().blockBoundingRect(block).top()

    def row_bottom(self, row: int) -> float:
        return self.view.text_view.document().documentLayout().frameBoundingRect(self.tables[row]).bottom()

    def scroll_anchor(self) -> tuple[int, float] | None:
        if not self.tables:
            return None
        y = self.view.text_view.verticalScrollBar().value()
        row = self.row_at_y(y)
        return (row, y - self.row_top(row))

    def restore_scroll_anchor(self, anchor: tuple[int, float] | None) -> None:
        if anchor is None or anchor[0] >= len(self.tables):
            return
        row, delta = anchor
        self.view.text_view.verticalScrollBar().setValue(round(self.row_top(row) + delta))

    def row_at_y(self, y: float) -> int:
        """The last built row whose top is at or above ``y``."""
        lo, hi = 0, len(self.tables) - 1
        while lo < hi:  # last row whose top <= y
            mid = (lo + hi + 1) // 2
            if self.row_top(mid) <= y:
                lo = mid
            else:
                hi = mid - 1
        return max(0, lo)

    def cell_block_rect(self, row: int, col: int) -> QRectF:
        """Document-coordinates rectangle of the first block of a cell (tests, geometry)."""
        block = self.cell(row, col).firstCursorPosition().block()
        return self.view.text_view.document().documentLayout().blockBoundingRect(block)

    def cell_last_block_rect(self, row: int, col: int) -> QRectF:
        block = self.cell(row, col).lastCursorPosition().block()
        return self.view.text_view.document().documentLayout().blockBoundingRect(block)

    def cell_direction(self, row: int, col: int) -> tuple[Qt.LayoutDirection, Qt.AlignmentFlag]:
        fmt = self.cell(row, col).firstCursorPosition().block().blockFormat()
        return fmt.layoutDirection(), fmt.alignment()

    def cell_first_block(self, row: int, col: int) -> Any:
        return self.cell(row, col).firstCursorPosition().block()

    def table_rect(self, row: int) -> QRectF:
        self.ensure_built(row)
        return self.view.text_view.document().documentLayout().frameBoundingRect(self.tables[row])

    def position_y(self, position: int) -> tuple[float, float]:
        """Top and bottom (document coordinates) of the line holding ``position``."""
        qdoc = self.view.text_view.document()
        block = qdoc.findBlock(position)
        rect = qdoc.documentLayout().blockBoundingRect(block)
        layout = block.layout()
        line = layout.lineForTextPosition(position - block.position()) if layout is not None else None
        if line is None or not line.isValid():
            return rect.top(), rect.bottom()
        return rect.top() + line.y(), rect.top() + line.y() + line.height()

    def visible_rows(self) -> range:
        if self.view.document is None or not self.count():
            return range(0)
        bar = self.view.text_view.verticalScrollBar()
        top = bar.value()
        bottom = top + self.view.text_view.viewport().height()
        self.ensure_covers(bottom)
        first = self.row_at_y(top)
        last = self.row_at_y(bottom)
        return range(first, last + 1)


__all__ = [
    "BACKGROUND_ROWS_AHEAD",
    "BUILD_CHUNK_ROWS",
    "GUTTER",
    "PARAGRAPH_GAP",
    "PENDING_MARK",
    "STOPPED_MARK",
    "RowLayout",
]
