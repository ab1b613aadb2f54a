"""The reader view: the original and its translation side by side, sentence-aligned.

:class:`ReaderView` is a façade that composes the parts of the package (see docs/design.md, "Reader view" and
"Window code map"):

- :class:`~reader.ui.reader.text_view.TextView`, the read-only QTextEdit (mouse and keys → signals);
- :class:`~reader.ui.reader.layout.RowLayout`, one small QTextTable per row, built progressively;
- :class:`~reader.ui.reader.positions.Positions`, document positions ↔ sentences and text offsets;
- :class:`~reader.ui.reader.selections.Marks`, highlights, find matches, hover, current sentence, flashes;
- :class:`~reader.ui.reader.find_bar.Finder` with its :class:`~reader.ui.reader.find_bar.FindBar`;
- :class:`~reader.ui.reader.banner.ModelBanner`.

The view holds the state they share (the document, its translations, the display options, the current and
hovered sentence). It is handed plain data (:class:`~reader.ui.reader.document.ReaderDocument`, translations);
it reads no settings, opens no database and starts no thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QIcon,
    QKeySequence,
    QPalette,
    QPixmap,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QLabel, QMenu, QVBoxLayout, QWidget

from reader.core.store.annotations import COLORS, DEFAULT_COLOR
from reader.ui import fonts
from reader.ui.preferences import ReadingPrefs
from reader.ui.reader.banner import ModelBanner
from reader.ui.reader.document import Highlight, HighlightPiece, ReaderDocument, SelectionTarget
from reader.ui.reader.find_bar import FindBar, Finder
from reader.ui.reader.layout import RowLayout
from reader.ui.reader.positions import Positions
from reader.ui.reader.selections import Colors, Marks, colors_for
from reader.ui.reader.text_view import TextView

BASE_POINT_SIZE = 12.0
MIN_ZOOM, MAX_ZOOM = -6, 12
# Below this text width two columns cannot be read (each would hold three or four Persian words): the view
# shows one column, each translation under its sentence, and goes back to two columns above it (+ hysteresis,
# so a scroll bar appearing does not flip it back and forth).
TWO_COLUMN_MIN_WIDTH = 600
TWO_COLUMN_HYSTERESIS = 24


def color_icon(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class ReaderView(QWidget):
    """Original and translation, sentence-aligned; see the module docstring."""

    sig_sentence_activated = Signal(int)  # the user clicked or stepped to a sentence
    sig_viewport_changed = Signal()  # scrolled or resized (debounced): re-prioritise translation
    sig_zoom_changed = Signal(int)
    sig_install_from_file = Signal()
    sig_download = Signal()
    sig_resume = Signal()
    sig_context_menu = Signal(
        QMenu, int
    )  # the reader's context menu at a document position, to extend  # the banner's Resume (a translation stopped before the end)
    sig_rendered = Signal()  # translations were painted into the document
    sig_built = Signal()  # every row of the document is in the text widget
    sig_highlight = Signal(
        str, bool
    )  # colour name, with a note: highlight the selection (or current sentence)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        fonts.ensure_fonts()
        self.setAccessibleName("Reader")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        self.banner = ModelBanner(self)
        self.find_bar = FindBar(self)
        self.text_view = TextView(self)
        self.placeholder = QLabel("", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.hide()
        box.addWidget(self.banner)
        box.addWidget(self.find_bar)
        box.addWidget(self.text_view, 1)
        box.addWidget(self.placeholder, 1)
        # Reading mode's discreet progress line (where you are, how much is translated, how to leave).
        self.progress_line = QLabel("", self)
        self.progress_line.setObjectName("readingProgress")
        self.progress_line.setAccessibleName("Reading progress")
        self.progress_line.setContentsMargins(12, 2, 12, 3)
        self.progress_line.setEnabled(False)  # the muted text colour of the style
        self.progress_line.hide()
        box.addWidget(self.progress_line)
        self.reading_mode = False

        # The state the parts share.
        self.document: ReaderDocument | None = None
        self.translations: dict[int, str] = {}
        self.corrected: set[int] = set()  # sentences whose translation is a human correction (marked)
        self.pending = False  # show a placeholder for sentences still to be translated
        self.stopped = False  # translation stopped before the end: untranslated rows say so (muted)
        self.swapped = False
        self.interlinear = False  # what is shown: the user's choice, or forced by a narrow view
        self.interlinear_chosen = False  # the user's choice (View ▸ Interlinear), what the settings keep
        self.narrow = False  # too narrow for two columns: interlinear whatever the choice
        self.zoom = 0
        self.prefs = ReadingPrefs()  # fonts, sizes, line spacing, line length (the window hands them in)
        self.current_sentence: int | None = None
        self.hover_sentence: int | None = None
        self.last_color = DEFAULT_COLOR
        self.colors: Colors = colors_for(self.palette())  # follows the palette (dark or light)

        # The parts.
        self.row_layout = RowLayout(self)
        self.positions = Positions(self, self.row_layout)
        self.marks = Marks(self)
        self.finder = Finder(self)

        self._viewport_timer = QTimer(self)
        self._viewport_timer.setSingleShot(True)
        self._viewport_timer.setInterval(250)
        self._viewport_timer.timeout.connect(self.sig_viewport_changed)

        # Keys 1–8 highlight in the eight colours, N with a note; active while the reader has the focus
        # (typing digits in a filter box or a note never highlights anything).
        self.highlight_actions: dict[str, QAction] = {}
        for n, (name, (full, _light)) in enumerate(COLORS.items(), 1):
            action = QAction(color_icon(full), f"{name.capitalize()}", self)
            action.setShortcut(QKeySequence(str(n)))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"Highlight the selection in {name} ({n})")
            action.setStatusTip(f"Highlight the selection (or the current sentence) in {name}")
            action.triggered.connect(lambda _checked=False, c=name: self._request_highlight(c, False))
            self.addAction(action)
            self.highlight_actions[name] = action
        self.note_action = QAction("Highlight with &note…", self)
        self.note_action.setShortcut(QKeySequence("N"))
        self.note_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.note_action.setToolTip("Highlight the selection and write a note on it (N)")
        self.note_action.triggered.connect(lambda: self._request_highlight(self.last_color, True))
        self.addAction(self.note_action)

        self.text_view.page_marks = self._page_mark_positions
        self.text_view.sig_hover.connect(self._on_hover)
        self.text_view.sig_leave.connect(self._on_leave)
        self.text_view.sig_click.connect(self._on_click)
        self.text_view.sig_step.connect(self.step)
        self.text_view.sig_zoom.connect(self.zoom_by)
        self.text_view.sig_context_menu.connect(self.extend_context_menu)
        self.text_view.sig_resizing.connect(self._before_resize)
        self.text_view.sig_resized.connect(self._after_resize)
        self._resize_anchor: int | None = None
        self.text_view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.banner.sig_install_from_file.connect(self.sig_install_from_file)
        self.banner.sig_download.connect(self.sig_download)
        self.banner.sig_resume.connect(self.sig_resume)
        self.banner.apply_palette(self.palette())
        self._apply_selection_colors()

    # --- document ----------------------------------------------------------------------------------------

    def set_document(
        self,
        document: ReaderDocument,
        translations: dict[int, str] | None = None,
        *,
        pending: bool = True,
        top_sentence: int | None = None,
        corrected: Iterable[int] = (),
    ) -> None:
        """Show ``document`` with the translations known so far (the original is readable at once);
        ``corrected`` names the sentences whose translation is a human correction."""
        self.document = document
        self.translations = dict(translations or {})
        self.corrected = set(corrected)
        self.pending = pending
        self.stopped = False
        self.current_sentence = None
        self.hover_sentence = None
        self.row_layout.dirty_rows.clear()
        self.finder.reset()
        self.marks.clear()
        self.placeholder.hide()
        self.text_view.show()
        self.row_layout.rebuild()
        if top_sentence is not None and 0 <= top_sentence < len(document.sentences):
            self.scroll_to_sentence(top_sentence, top=True)
        else:
            self.row_layout.ensure_covers(self.text_view.viewport().height() * 1.5)
        if self.finder.active:
            self.finder.run()

    def page_mark_rows(self) -> list[tuple[int, int]]:
        """(row, page) for each row that starts a page of a paged source (PDF): the discreet page marks."""
        if self.document is None:
            return []
        starts = self.document.page_starts()
        if not starts:  # not a paged source: no pass over every row (called at each paint)
            return []
        first_row: dict[int, int] = {}
        for row, (para, _sentence) in enumerate(self.row_layout.rows):
            first_row.setdefault(para, row)
        return [(first_row[para], page) for para, page in starts if para in first_row]

    def _page_mark_positions(self) -> list[tuple[float, str]]:
        built = len(self.row_layout.tables)
        return [
            (self.row_layout.row_top(row), f"p. {page}") for row, page in self.page_mark_rows() if row < built
        ]

    def clear(self, message: str = "") -> None:
        self.document = None
        self.translations = {}
        self.corrected = set()
        self.row_layout.clear()
        self.marks.clear()
        self.text_view.setDocument(QTextDocument(self.text_view))
        self.banner.hide()
        self.text_view.hide()
        self.placeholder.setText(message)
        self.placeholder.show()

    def set_translations(self, translations: dict[int, str]) -> None:
        """Add translations (sentence index → text); the affected cells are rebuilt shortly (coalesced)."""
        if self.document is None:
            return
        for index, text in translations.items():
            if 0 <= index < len(self.document.sentences) and self.translations.get(index) != text:
                self.translations[index] = text
                self.row_layout.mark_translated(index)
        self.row_layout.flush_soon()

    def set_corrected(self, s_index: int, corrected: bool) -> None:
        """Mark (or unmark) a sentence's translation as a human correction."""
        if self.document is None or (s_index in self.corrected) == corrected:
            return
        if corrected:
            self.corrected.add(s_index)
        else:
            self.corrected.discard(s_index)
        self.row_layout.mark_translated(s_index)
        self.row_layout.flush_soon()

    def set_pending(self, pending: bool) -> None:
        """Whether untranslated sentences show a muted placeholder (False: no model, or stopped)."""
        if pending == self.pending or self.document is None:
            return
        self.pending = pending
        if pending:
            self.stopped = False
        self.row_layout.mark_all_dirty()
        self.row_layout.flush()

    def set_stopped(self, stopped: bool) -> None:
        """Translation stopped before the end: untranslated rows carry a muted marker (and no placeholder)."""
        if self.document is None or (stopped == self.stopped and not (stopped and self.pending)):
            return
        self.stopped = stopped
        if stopped:
            self.pending = False
        self.row_layout.mark_all_dirty()
        self.row_layout.flush()

    def flush(self) -> None:
        """Build every row and apply queued translations now (tests, screenshots, find)."""
        self.row_layout.build_all()
        self.row_layout.flush()

    def flush_translations(self) -> None:
        """Apply queued translations to the rows built so far now."""
        self.row_layout.flush()

    def set_swapped(self, swapped: bool) -> None:
        if swapped != self.swapped:
            self.swapped = swapped
            self._relayout_keeping_place()

    def set_interlinear(self, interlinear: bool) -> None:
        """The user's choice; a view too narrow for two columns stays interlinear until it is wide again."""
        self.interlinear_chosen = bool(interlinear)
        self._apply_interlinear()

    def _apply_interlinear(self, anchor: int | None = None) -> None:
        shown = self.interlinear_chosen or self.narrow
        if shown != self.interlinear:
            self.interlinear = shown
            self._relayout_keeping_place(anchor)

    def _update_narrow(self, anchor: int | None) -> None:
        width = self.text_view.viewport().width()
        if self.narrow:
            self.narrow = width < TWO_COLUMN_MIN_WIDTH + TWO_COLUMN_HYSTERESIS
        else:
            self.narrow = width < TWO_COLUMN_MIN_WIDTH
        self._apply_interlinear(anchor)

    def _relayout_keeping_place(self, top: int | None = None) -> None:
        if self.document is None:
            return
        if top is None:
            top = self.top_sentence()
        self.row_layout.rebuild()
        if top is not None:
            self.scroll_to_sentence(top, top=True)
        if self.find_bar.isVisible():
            self.finder.run()

    # --- zoom and theme ------------------------------------------------------------------------------------

    @property
    def _colors(self) -> Colors:
        """The name the colours had before the split (tests read it)."""
        return self.colors

    def set_zoom(self, steps: int) -> None:
        steps = max(MIN_ZOOM, min(MAX_ZOOM, int(steps)))
        if steps == self.zoom:
            return
        top = self.top_sentence()
        self.zoom = steps
        self.text_view.document().setDefaultFont(self.base_font())
        self.apply_line_length()
        self.row_layout.ensure_covers(
            self.text_view.verticalScrollBar().value() + self.text_view.viewport().height() * 1.5
        )
        if top is not None:
            self.scroll_to_sentence(top, top=True)
        self.sig_zoom_changed.emit(steps)

    def set_prefs(self, prefs: ReadingPrefs) -> None:
        """Fonts, sizes, line spacing and line length: applied at once, the reading position kept."""
        if prefs == self.prefs:
            return
        self.prefs = prefs
        self.row_layout.formats.clear()
        if self.document is not None:
            self._relayout_keeping_place()
        else:
            self.apply_line_length()

    def apply_line_length(self) -> None:
        """Keep lines at most ``prefs.max_line_chars`` characters long: the text is centred between margins
        (recomputed on every resize and zoom)."""
        qdoc = self.text_view.document()
        frame = qdoc.rootFrame()
        fmt = frame.frameFormat()
        margin = 0.0
        chars = self.prefs.max_line_chars
        if chars:
            from PySide6.QtGui import QFontMetricsF

            char_width = QFontMetricsF(self.base_font()).averageCharWidth()
            columns = 1 if self.interlinear else 2
            wanted = columns * (chars * char_width + 2 * 18) + 2 * qdoc.documentMargin()
            margin = max(0.0, (self.text_view.viewport().width() - wanted) / 2)
        if abs(fmt.leftMargin() - margin) > 0.5 or abs(fmt.rightMargin() - margin) > 0.5:
            fmt.setLeftMargin(margin)
            fmt.setRightMargin(margin)
            frame.setFrameFormat(fmt)

    def _apply_selection_colors(self) -> None:
        """The reader's text selection in the theme's slate, apart from every highlight colour."""
        palette = self.text_view.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Highlight, self.colors.selection)
            palette.setColor(group, QPalette.ColorRole.HighlightedText, self.colors.selection_text)
        self.text_view.setPalette(palette)

    def zoom_by(self, delta: int) -> None:
        self.set_zoom(self.zoom + delta)

    def base_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(BASE_POINT_SIZE * (1.1**self.zoom))
        return font

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.colors = colors_for(self.palette())
            self._apply_selection_colors()
            self.row_layout.formats.clear()
            self.marks.invalidate()
            self.banner.apply_palette(self.palette())
            if self.document is not None:
                self._relayout_keeping_place()

    # --- rows and geometry (RowLayout) ---------------------------------------------------------------------

    def is_built(self) -> bool:
        return self.row_layout.is_built()

    def row_count(self) -> int:
        return self.row_layout.count()

    def orig_column(self) -> int:
        return self.row_layout.orig_col

    def cell_block_rect(self, row: int, col: int) -> QRectF:
        """Document-coordinates rectangle of the first block of a cell (tests, geometry)."""
        return self.row_layout.cell_block_rect(row, col)

    def cell_last_block_rect(self, row: int, col: int) -> QRectF:
        return self.row_layout.cell_last_block_rect(row, col)

    def cell_direction(self, row: int, col: int) -> tuple[Qt.LayoutDirection, Qt.AlignmentFlag]:
        return self.row_layout.cell_direction(row, col)

    def cell_first_block(self, row: int, col: int) -> Any:
        return self.row_layout.cell_first_block(row, col)

    def table_rect(self, row: int) -> QRectF:
        return self.row_layout.table_rect(row)

    def position_y(self, position: int) -> tuple[float, float]:
        """Top and bottom (document coordinates) of the line holding ``position``."""
        return self.row_layout.position_y(position)

    def _on_scrolled(self, value: int) -> None:
        self.row_layout.ensure_covers(value + self.text_view.viewport().height() * 1.5)
        self._viewport_timer.start()
        if self.reading_mode:
            self.update_progress_line()

    # --- reading mode ----------------------------------------------------------------------------------------

    def set_reading_mode(self, on: bool) -> None:
        """Show or hide the discreet progress line of reading mode (the window hides everything else)."""
        self.reading_mode = bool(on)
        self.progress_line.setVisible(self.reading_mode)
        if self.reading_mode:
            self.update_progress_line()

    def update_progress_line(self) -> None:
        doc = self.document
        if doc is None or not doc.sentences:
            self.progress_line.setText("Esc leaves reading mode")
            return
        total = len(doc.sentences)
        top = self.top_sentence() or 0
        translated = sum(1 for i in self.translations if 0 <= i < total)
        text = f"Sentence {top + 1} of {total} · {round(100 * (top + 1) / total)} %"
        if translated < total:
            text += f" · {translated} translated"
        self.progress_line.setText(text + " · Esc leaves reading mode")

    # --- positions and sentences (Positions) ---------------------------------------------------------------

    def orig_range(self, s_index: int) -> tuple[int, int]:
        """Document positions [start, end) of a sentence's original."""
        return self.positions.orig_range(s_index)

    def translation_range(self, s_index: int) -> tuple[int, int]:
        return self.positions.translation_range(s_index)

    def sentence_at_position(self, position: int) -> int | None:
        return self.positions.sentence_at_position(position)

    def original_offset_at(self, position: int) -> int | None:
        """The character offset in the document's original text shown at ``position`` (None: not original)."""
        return self.positions.original_offset_at(position)

    def sentence_at_point(self, point: QPoint) -> int | None:
        """The sentence under a viewport point, if the point is exactly over text."""
        return self.positions.sentence_at_point(point)

    def viewport_point_of(self, position: int) -> QPoint:
        """Viewport coordinates of the middle of the character at ``position`` (tests, tooltips)."""
        return self.positions.viewport_point_of(position)

    def side_at_position(self, position: int) -> str | None:
        """ "original" or "translation": which pane a document position is in."""
        return self.positions.side_at_position(position)

    def piece_positions(self, piece: HighlightPiece, *, build: bool = False) -> list[tuple[int, int]]:
        """Document positions of a highlight piece (only rows already built unless ``build``)."""
        return self.positions.piece_positions(piece, build=build)

    def original_positions(self, start: int, end: int, *, build: bool = False) -> list[tuple[int, int]]:
        """Document positions showing the original text ``[start, end)`` (one range per cell it crosses)."""
        return self.positions.original_positions(start, end, build=build)

    def translation_positions(
        self, segment: int, start: int, end: int | None, *, build: bool = False
    ) -> list[tuple[int, int]]:
        """Document positions of ``[start, end)`` of sentence ``segment``'s translation (stripped offsets)."""
        return self.positions.translation_positions(segment, start, end, build=build)

    def selection_target(self) -> SelectionTarget | None:
        """The selected text as a logical range on the side where the drag began (None: nothing selected)."""
        return self.positions.selection_target()

    # --- visible part --------------------------------------------------------------------------------------

    def visible_rows(self) -> range:
        return self.row_layout.visible_rows()

    def visible_sentences(self) -> list[int]:
        """Sentences whose rows intersect the viewport, in reading order."""
        return [i for row in self.visible_rows() for i in self.row_layout.row_sentences[row]]

    def translation_order(self) -> list[int]:
        """All sentences: the visible ones first, then those below, then those above."""
        if self.document is None:
            return []
        rows = self.visible_rows()
        if not rows:
            return list(range(len(self.document.sentences)))
        row_sentences = self.row_layout.row_sentences
        visible = [i for r in rows for i in row_sentences[r]]
        below = [i for r in range(rows[-1] + 1, self.row_layout.count()) for i in row_sentences[r]]
        above = [i for r in range(rows[0]) for i in row_sentences[r]]
        return visible + below + above

    def visible_translated(self) -> bool:
        return all(i in self.translations for i in self.visible_sentences())

    def top_sentence(self) -> int | None:
        """The first sentence whose text reaches into the viewport (what to restore after a re-open)."""
        layout = self.row_layout
        if self.document is None or not layout.tables or not self.document.sentences:
            return None
        # The first sentence that starts at or below the top edge: restoring it (scroll_to_sentence with
        # top=True) gives the same answer again, so saving and restoring never drifts. When one long sentence
        # fills the top half of the viewport, that sentence.
        y = self.text_view.verticalScrollBar().value()
        limit = y + self.text_view.viewport().height() / 2
        previous: int | None = None
        for r in range(layout.row_at_y(y), len(layout.tables)):
            for s_index in layout.row_sentences[r]:
                top = self.position_y(self.orig_range(s_index)[0])[0]
                if top >= y - 10:
                    return previous if top > limit and previous is not None else s_index
                previous = s_index
        return previous if previous is not None else 0

    def scroll_to_sentence(self, s_index: int, *, top: bool = False) -> None:
        if self.document is None:
            return
        start, end = self.orig_range(s_index)
        t_start, t_end = self.translation_range(s_index)
        y_top = min(self.position_y(start)[0], self.position_y(t_start)[0])
        y_bottom = max(self.position_y(max(end - 1, start))[1], self.position_y(max(t_end - 1, t_start))[1])
        bar = self.text_view.verticalScrollBar()
        height = self.text_view.viewport().height()
        self.row_layout.ensure_covers(y_top + height * 1.5)
        if top:
            bar.setValue(round(y_top) - 8)
        elif y_top < bar.value() or y_bottom > bar.value() + height:
            bar.setValue(round(y_top - height / 3))

    def reveal_range(self, start: int, end: int) -> None:
        """Scroll so that document positions [start, end) are in view (a third from the top if it moves)."""
        top = self.position_y(start)[0]
        bottom = self.position_y(max(start, end - 1))[1]
        bar = self.text_view.verticalScrollBar()
        height = self.text_view.viewport().height()
        self.row_layout.ensure_covers(top + height * 1.5)
        if top < bar.value() or bottom > bar.value() + height:
            bar.setValue(round(top - height / 3))

    # --- current and hovered sentence ----------------------------------------------------------------------

    def set_current_sentence(self, s_index: int | None, *, scroll: bool = True) -> None:
        if self.document is None or (s_index is not None and not 0 <= s_index < len(self.document.sentences)):
            return
        self.current_sentence = s_index
        self.marks.update()
        if s_index is not None and scroll:
            self.scroll_to_sentence(s_index)

    def go_to_start(self) -> None:
        """Ctrl+Home: the first sentence."""
        if self.document is not None and self.document.sentences:
            self.set_current_sentence(0, scroll=False)
            self.text_view.verticalScrollBar().setValue(0)

    def go_to_end(self) -> None:
        """Ctrl+End: the last sentence (every row is built first, so the end is the real end)."""
        if self.document is not None and self.document.sentences:
            self.row_layout.build_all()
            self.set_current_sentence(len(self.document.sentences) - 1, scroll=False)
            bar = self.text_view.verticalScrollBar()
            bar.setValue(bar.maximum())

    def step(self, delta: int) -> None:
        """Next/previous sentence (J/K, arrows)."""
        if self.document is None or not self.document.sentences:
            return
        if self.current_sentence is None:
            start = self.top_sentence() or 0
            target = start if delta > 0 else max(0, start - 1)
        else:
            target = max(0, min(len(self.document.sentences) - 1, self.current_sentence + delta))
        self.set_current_sentence(target)
        self.sig_sentence_activated.emit(target)

    def _on_hover(self, point: QPoint) -> None:
        s_index = self.sentence_at_point(point)
        if s_index != self.hover_sentence:
            self.hover_sentence = s_index
            self.marks.update()

    def _on_leave(self) -> None:
        if self.hover_sentence is not None:
            self.hover_sentence = None
            self.marks.update()

    def _on_click(self, point: QPoint) -> None:
        s_index = self.sentence_at_point(point)
        if s_index is not None:
            # never scroll under the pointer: the drag that often follows a click would select other text
            self.set_current_sentence(s_index, scroll=False)
            self.sig_sentence_activated.emit(s_index)

    # --- annotations: painting, selections, jumps (Marks) --------------------------------------------------

    def highlighted_ranges(self) -> list[tuple[int, int]]:
        """Document ranges currently lit (tests)."""
        return self.marks.highlighted_ranges()

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """The annotations to paint (own ranges in full colour, paired sentences in the lighter shade)."""
        self.marks.set_highlights(highlights)

    def highlights(self) -> list[Highlight]:
        return self.marks.highlights()

    def highlight_ranges(self) -> list[tuple[int, int, str, str, int]]:
        """Painted highlight ranges: (start, end, colour "#rrggbb", kind, annotation id), in paint order (tests)."""
        return self.marks.highlight_ranges()

    def flash(self, pieces: Sequence[HighlightPiece], *, reveal: bool = True) -> bool:
        """Scroll to ``pieces`` and make them blink briefly (a jump from the notes or search panel)."""
        return self.marks.flash(pieces, reveal=reveal)

    def select_pieces(self, pieces: Sequence[HighlightPiece]) -> None:
        """Select the text of ``pieces`` (from the first start to the last end) without scrolling."""
        ranges = [r for piece in pieces for r in self.piece_positions(piece, build=True)]
        if not ranges:
            return
        bar = self.text_view.verticalScrollBar()
        value = bar.value()
        cursor = self.text_view.textCursor()
        cursor.setPosition(min(a for a, _b in ranges))
        cursor.setPosition(max(b for _a, b in ranges), QTextCursor.MoveMode.KeepAnchor)
        self.text_view.setTextCursor(cursor)
        bar.setValue(value)

    def flash_ranges(self) -> list[tuple[int, int]]:
        """The ranges blinking now (tests)."""
        return self.marks.flash_ranges()

    def clear_selection(self) -> None:
        """Drop the text selection without scrolling."""
        bar = self.text_view.verticalScrollBar()
        value = bar.value()
        cursor = self.text_view.textCursor()
        cursor.clearSelection()
        self.text_view.setTextCursor(cursor)
        bar.setValue(value)

    def _request_highlight(self, color: str, with_note: bool) -> None:
        self.last_color = color
        self.sig_highlight.emit(color, with_note)

    def extend_context_menu(self, menu: QMenu, position: int | None = None) -> None:
        """Add the highlight actions (and "Copy sentence pair") to the reader's context menu; listeners of
        ``sig_context_menu`` add what concerns a highlight under the pointer."""
        if position is None:
            position = self.text_view.context_position
        menu.addSeparator()
        colours = menu.addMenu("&Highlight")
        colours.setObjectName("highlightMenu")
        for action in self.highlight_actions.values():
            colours.addAction(action)
        menu.addAction(self.note_action)
        s_index = self.sentence_at_position(position) if position >= 0 and self.document is not None else None
        if s_index is not None:
            pair = menu.addAction("Copy sentence &pair")
            pair.setObjectName("copySentencePair")
            pair.triggered.connect(lambda: self.copy_sentence_pair(s_index))
        self.sig_context_menu.emit(menu, position)

    def sentence_pair_text(self, s_index: int) -> str:
        """A sentence and its translation, with the document's title as the reference (for the clipboard)."""
        doc = self.document
        if doc is None:
            return ""
        lines = [doc.sentence_text(s_index).strip()]
        translation = self.translations.get(s_index)
        if translation:
            lines.append(" ".join(translation.split()))
        lines.append(f"— {doc.title}, sentence {s_index + 1}")
        return "\n".join(lines)

    def copy_sentence_pair(self, s_index: int) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.sentence_pair_text(s_index))

    # --- banner --------------------------------------------------------------------------------------------

    def show_missing_model(self, pair: str, detail: str = "", *, known: int = 0) -> None:
        total = len(self.document.sentences) if self.document is not None else 0
        self.banner.show_missing(pair, detail, known=known, total=total)

    def show_stopped(self, done: int, total: int) -> None:
        """Translation stopped before the end: say so, with a Resume button."""
        self.banner.show_stopped(done, total)

    def hide_banner(self) -> None:
        self.banner.mode = ""
        self.banner.hide()

    # --- find (Finder) -------------------------------------------------------------------------------------

    def open_find(self) -> None:
        self.finder.open()

    def find_text(self, query: str) -> int:
        """Find ``query`` across both panes (folded); returns the number of matches.

        (Not ``find``: that name is ``QWidget.find(winId)``.)"""
        return self.finder.find_text(query)

    def find_matches(self) -> list[tuple[int, int]]:
        return list(self.finder.matches)

    def find_step(self, delta: int) -> None:
        self.finder.step(delta)

    # --- events --------------------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._viewport_timer.start()

    def _before_resize(self) -> None:
        """The text widget is about to be resized: remember the sentence at the top (lines are re-wrapped)."""
        if self._resize_anchor is None and self.document is not None and self.row_layout.tables:
            self._resize_anchor = self.top_sentence()

    def _after_resize(self) -> None:
        """Re-wrapped: switch to or from interlinear if the width says so, and bring the same sentence back."""
        anchor, self._resize_anchor = self._resize_anchor, None
        if not self.isVisible():
            return
        if self.document is None:  # decide the layout before a document arrives
            self._update_narrow(None)
            return
        before = self.interlinear
        self._update_narrow(anchor)
        self.apply_line_length()
        if anchor is not None and self.interlinear == before:  # a layout switch keeps its place itself
            self.scroll_to_sentence(anchor, top=True)
        if self.reading_mode:
            self.update_progress_line()

    def focus_text(self) -> None:
        self.text_view.setFocus()


__all__ = ["BASE_POINT_SIZE", "MAX_ZOOM", "MIN_ZOOM", "ReaderView", "color_icon"]
