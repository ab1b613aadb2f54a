"""The reader view: the original and its translation side by side, sentence-aligned.

One read-only QTextEdit whose QTextDocument holds one QTextTable with a row per paragraph pair (see
docs/design.md, "Reader view"). Rows align the tops of both cells, so every paragraph pair starts at the same
height and both "panes" scroll together; the original cell holds exactly ``text[p.start:p.end]`` with the
paragraph's direction (Persian and Arabic right-to-left and right-aligned), the translation cell is rebuilt
whenever translations for its paragraph arrive. For each sentence we keep (row, column, offset in the cell,
length) for both sides; ``cell.firstPosition()`` stays correct after edits, so a document position maps to a
sentence (and to an exact character offset of the original) and back.

The view is handed plain data (:class:`ReaderDocument`, translations); it reads no settings, opens no
database and starts no thread.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QPixmap,
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
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.store.annotations import COLORS, DEFAULT_COLOR
from reader.languages import direction_of_language
from reader.ui import fonts

PENDING_MARK = "…"
BASE_POINT_SIZE = 12.0
MIN_ZOOM, MAX_ZOOM = -6, 12
GUTTER = 14  # px between the columns (each side)
PARAGRAPH_GAP = 14  # px below each paragraph pair
BUILD_CHUNK_ROWS = 12  # rows added per event-loop turn after the visible part
_FULL_OF_LIGHT = {light.lower(): full for full, light in COLORS.values()}
FLASH_MS = 160  # a flashed range blinks FLASH_TICKS times this long
FLASH_TICKS = 6


def direction_of(lang: str) -> str:
    return direction_of_language(lang)


def _u16(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (QTextDocument positions)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def _u16_to_index(text: str, u16: int) -> int:
    """The str index in ``text`` of the character at UTF-16 offset ``u16``."""
    if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
        return min(u16, len(text))
    units = 0
    for i, c in enumerate(text):
        if units >= u16:
            return i
        units += 2 if ord(c) > 0xFFFF else 1
    return len(text)


def _shown(text: str) -> str:
    """A translation as the view shows it: whitespace runs collapsed to one space, no edges."""
    return " ".join(text.split())


def _stripped_to_shown(stripped: str, index: int) -> int:
    """Index in ``_shown(stripped)`` of character ``index`` of ``stripped`` (a text without edge whitespace)."""
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


def _shown_to_stripped(stripped: str, index: int) -> int:
    """The first index of ``stripped`` that :func:`_stripped_to_shown` maps to ``index`` or beyond."""
    if " ".join(stripped.split()) == stripped:
        return max(0, min(index, len(stripped)))
    for k in range(len(stripped) + 1):
        if _stripped_to_shown(stripped, k) >= index:
            return k
    return len(stripped)


def color_icon(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


# --- data ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewSentence:
    index: int
    paragraph: int  # position in ReaderDocument.paragraphs
    start: int
    end: int


@dataclass(frozen=True)
class ViewParagraph:
    index: int
    start: int
    end: int
    lang: str
    direction: str
    sentences: tuple[int, ...]  # indices into ReaderDocument.sentences


@dataclass
class ReaderDocument:
    """Everything the view needs to show one document; built off the GUI thread from library rows."""

    doc_id: int
    title: str
    lang: str
    direction: str
    text: str
    paragraphs: list[ViewParagraph]
    sentences: list[ViewSentence]
    target_lang: str = "en"

    @classmethod
    def build(
        cls,
        doc_id: int,
        title: str,
        lang: str,
        direction: str,
        text: str,
        paragraphs: Iterable[object],
        segments: Iterable[object],
        target_lang: str = "en",
    ) -> ReaderDocument:
        """From library rows (``ParagraphRow``/``SegmentRow``-like objects with index/start/end/…)."""
        para_rows = sorted(paragraphs, key=lambda p: p.start)  # type: ignore[attr-defined]
        seg_rows = sorted(segments, key=lambda s: s.start)  # type: ignore[attr-defined]
        by_para: dict[int, list[int]] = {}
        para_pos = {p.index: i for i, p in enumerate(para_rows)}  # type: ignore[attr-defined]
        starts = [p.start for p in para_rows]  # type: ignore[attr-defined]
        sentences: list[ViewSentence] = []
        for seg in seg_rows:
            pos = para_pos.get(seg.paragraph)  # type: ignore[attr-defined]
            if pos is None:  # a segment without a known paragraph: the paragraph that contains it
                pos = max(0, bisect.bisect_right(starts, seg.start) - 1)  # type: ignore[attr-defined]
            sentence = ViewSentence(len(sentences), pos, seg.start, seg.end)  # type: ignore[attr-defined]
            by_para.setdefault(pos, []).append(sentence.index)
            sentences.append(sentence)
        view_paras = []
        for i, p in enumerate(para_rows):
            p_lang = getattr(p, "lang", "") or lang
            view_paras.append(
                ViewParagraph(i, p.start, p.end, p_lang, direction_of(p_lang), tuple(by_para.get(i, ())))  # type: ignore[attr-defined]
            )
        return cls(doc_id, title, lang, direction, text, view_paras, sentences, target_lang)

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.text[s.start : s.end]

    def sentence_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.sentences]

    def sentence_languages(self) -> list[str]:
        """Each sentence's paragraph language (a quote in the target language is not translated)."""
        return [self.paragraphs[s.paragraph].lang for s in self.sentences]

    def paragraph_text(self, index: int) -> str:
        p = self.paragraphs[index]
        return self.text[p.start : p.end]


@dataclass(frozen=True)
class HighlightPiece:
    """A range to paint, in text coordinates that survive re-layout (swap, interlinear, streaming, zoom).

    ``side == "original"``: ``start``/``end`` are offsets into the document text. ``side == "translation"``:
    offsets into sentence ``segment``'s translation as :class:`reader.core.store.annotations.TranslationText` holds it
    (stripped); ``end=None`` means to the end of that translation (a paired sentence)."""

    side: str
    start: int
    end: int | None
    segment: int | None = None


@dataclass(frozen=True)
class Highlight:
    """One annotation's ranges on one side: ``kind`` "own" (full colour) or "paired" (the lighter shade)."""

    ann_id: int
    color: str  # "#RRGGBB"
    kind: str
    pieces: tuple[HighlightPiece, ...]


@dataclass(frozen=True)
class SelectionTarget:
    """The user's selection in text coordinates (the logical range, whichever way it was dragged).

    Original side: ``start``/``end`` are offsets into the document text. Translation side: ``start`` is an
    offset inside sentence ``start_segment``'s translation, ``end`` inside ``end_segment``'s (stripped text)."""

    side: str
    start: int
    end: int
    start_segment: int | None = None
    end_segment: int | None = None
    text: str = ""


@dataclass
class _Span:
    """One side of one sentence: its cell and its UTF-16 range inside the cell."""

    row: int
    col: int
    offset: int
    length: int


@dataclass
class _CellIndex:
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


# --- text widget ---------------------------------------------------------------------------------------------


class _TextView(QTextEdit):
    """The QTextEdit: turns mouse and keys into sentence-level signals; knows nothing else."""

    sig_hover = Signal(QPoint)
    sig_leave = Signal()
    sig_click = Signal(QPoint)
    sig_step = Signal(int)
    sig_zoom = Signal(int)
    sig_context_menu = Signal(QMenu)  # the standard menu, to be extended before it shows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setUndoRedoEnabled(False)
        self.viewport().setMouseTracking(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._press: QPoint | None = None
        self.setAccessibleName("Reader: original and translation side by side")

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
        self.sig_context_menu.emit(menu)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.sig_zoom.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)


# --- banner and find bar -------------------------------------------------------------------------------------


class ModelBanner(QFrame):
    """Shown above the reader when no model translates the document's language (never a modal)."""

    sig_install_from_file = Signal()
    sig_download = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Missing translation model")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.install_button = QPushButton("Install from file…", self)
        self.install_button.setAccessibleName("Install a model from a file")
        self.download_button = QPushButton("Download…", self)
        self.download_button.setAccessibleName("Download the model")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.install_button)
        layout.addWidget(self.download_button)
        self.install_button.clicked.connect(self.sig_install_from_file)
        self.download_button.clicked.connect(self.sig_download)
        self.hide()

    def show_missing(self, pair: str, detail: str = "") -> None:
        text = f"No {pair} model is installed. The original stays readable."
        if detail:
            text += " " + detail
        self.label.setText(text)
        self.set_busy(False)
        self.show()

    def set_message(self, text: str) -> None:
        self.label.setText(text)

    def set_busy(self, busy: bool) -> None:
        self.install_button.setEnabled(not busy)
        self.download_button.setEnabled(not busy)

    def apply_palette(self, palette: QPalette) -> None:
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor("#4a3b12") if dark else QColor("#fff4cc"))
        pal.setColor(QPalette.ColorRole.WindowText, QColor("#ffe9a8") if dark else QColor("#4a3b12"))
        self.setPalette(pal)


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


# --- the view ------------------------------------------------------------------------------------------------


@dataclass
class _Colors:
    text: QColor
    muted: QColor
    hover: QColor
    current: QColor
    find: QColor
    find_current: QColor
    divider: QColor
    secondary: QColor
    flash: QColor
    dark: bool


def _colors(palette: QPalette) -> _Colors:
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
    hover = QColor(highlight)
    hover.setAlpha(45 if not dark else 70)
    current = QColor(highlight)
    current.setAlpha(95 if not dark else 120)
    muted = QColor(palette.color(QPalette.ColorRole.PlaceholderText))
    divider = QColor(palette.color(QPalette.ColorRole.Mid))
    return _Colors(
        text=QColor(palette.color(QPalette.ColorRole.Text)),
        muted=muted,
        hover=hover,
        current=current,
        find=QColor("#7a6a1a") if dark else QColor("#ffe680"),
        find_current=QColor("#b0841a") if dark else QColor("#ffb84d"),
        divider=divider,
        secondary=QColor("#b8c4d6") if dark else QColor("#2b4a73"),
        flash=QColor(255, 140, 0, 200 if dark else 170),
        dark=dark,
    )


class ReaderView(QWidget):
    """Original and translation, sentence-aligned; see the module docstring."""

    sig_sentence_activated = Signal(int)  # the user clicked or stepped to a sentence
    sig_viewport_changed = Signal()  # scrolled or resized (debounced): re-prioritise translation
    sig_zoom_changed = Signal(int)
    sig_install_from_file = Signal()
    sig_download = Signal()
    sig_rendered = Signal()  # translations were painted into the document
    sig_built = Signal()  # every row of the document is in the text widget
    sig_highlight = Signal(
        str, bool
    )  # colour name, with a note: highlight the selection (or current sentence)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        fonts.ensure_fonts()
        self.setAccessibleName("Reader")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = ModelBanner(self)
        self.find_bar = FindBar(self)
        self.text_view = _TextView(self)
        self.placeholder = QLabel("", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.hide()
        layout.addWidget(self.banner)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.text_view, 1)
        layout.addWidget(self.placeholder, 1)

        self.document: ReaderDocument | None = None
        self.translations: dict[int, str] = {}
        self.pending = False  # show a placeholder for sentences still to be translated
        self.swapped = False
        self.interlinear = False
        self.zoom = 0
        self.current_sentence: int | None = None
        self.hover_sentence: int | None = None
        self._tables: list[QTextTable] = []  # one small table per row, built progressively
        self._rows: list[tuple[int, int | None]] = []  # row -> (paragraph, sentence in interlinear mode)
        self._formats: dict[tuple[object, ...], object] = {}
        self._orig_col = 0
        self._trans_col = 1
        self._orig: list[_Span] = []
        self._trans: list[_Span] = []
        self._cells: dict[tuple[int, int], _CellIndex] = {}
        self._row_of_sentence: list[int] = []
        self._row_sentences: list[list[int]] = []
        self._dirty_rows: set[int] = set()
        self._find_matches: list[tuple[int, int]] = []
        self._find_current = -1
        self._colors = _colors(self.palette())
        self._highlights: list[Highlight] = []
        self._highlight_cache: list[tuple[int, int, QColor, Highlight]] | None = None
        self._flash_ranges: list[tuple[int, int]] = []
        self._flash_ticks = 0
        self.last_color = DEFAULT_COLOR

        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(30)
        self._flush_timer.timeout.connect(self._flush_translations)
        self._viewport_timer = QTimer(self)
        self._viewport_timer.setSingleShot(True)
        self._viewport_timer.setInterval(250)
        self._viewport_timer.timeout.connect(self.sig_viewport_changed)
        self._find_timer = QTimer(self)
        self._find_timer.setSingleShot(True)
        self._find_timer.setInterval(120)
        self._find_timer.timeout.connect(self._run_find)
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._build_step)
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._flash_tick)

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

        self.text_view.sig_hover.connect(self._on_hover)
        self.text_view.sig_leave.connect(self._on_leave)
        self.text_view.sig_click.connect(self._on_click)
        self.text_view.sig_step.connect(self.step)
        self.text_view.sig_zoom.connect(self.zoom_by)
        self.text_view.sig_context_menu.connect(self.extend_context_menu)
        self.text_view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.banner.sig_install_from_file.connect(self.sig_install_from_file)
        self.banner.sig_download.connect(self.sig_download)
        self.find_bar.sig_changed.connect(lambda _text: self._find_timer.start())
        self.find_bar.sig_next.connect(lambda: self.find_step(1))
        self.find_bar.sig_previous.connect(lambda: self.find_step(-1))
        self.find_bar.sig_closed.connect(self._on_find_closed)
        self.banner.apply_palette(self.palette())

    # --- document ----------------------------------------------------------------------------------------

    def set_document(
        self,
        document: ReaderDocument,
        translations: dict[int, str] | None = None,
        *,
        pending: bool = True,
        top_sentence: int | None = None,
    ) -> None:
        """Show ``document`` with the translations known so far (the original is readable at once)."""
        self.document = document
        self.translations = dict(translations or {})
        self.pending = pending
        self.current_sentence = None
        self.hover_sentence = None
        self._dirty_rows.clear()
        self._find_matches = []
        self._find_current = -1
        self._highlights = []
        self._highlight_cache = None
        self._stop_flash()
        self.placeholder.hide()
        self.text_view.show()
        self._rebuild()
        if top_sentence is not None and 0 <= top_sentence < len(document.sentences):
            self.scroll_to_sentence(top_sentence, top=True)
        else:
            self._ensure_covers(self.text_view.viewport().height() * 1.5)
        if self.find_bar.isVisible() and self.find_bar.edit.text():
            self._run_find()

    def clear(self, message: str = "") -> None:
        self.document = None
        self.translations = {}
        self._build_timer.stop()
        self._tables, self._rows = [], []
        self._orig, self._trans, self._cells = [], [], {}
        self._highlights = []
        self._highlight_cache = None
        self._stop_flash()
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
                row = self._row_of_sentence[index]
                if row < len(self._tables):  # rows not built yet will show it when they are
                    self._dirty_rows.add(row)
        if self._dirty_rows and not self._flush_timer.isActive():
            self._flush_timer.start()

    def set_pending(self, pending: bool) -> None:
        """Whether untranslated sentences show a muted placeholder (False: no model, or stopped)."""
        if pending == self.pending or self.document is None:
            return
        self.pending = pending
        self._dirty_rows.update(range(len(self._tables)))
        self._flush_translations()

    def flush(self) -> None:
        """Build every row and apply queued translations now (tests, screenshots, find)."""
        self._build_all()
        self._flush_translations()

    def flush_translations(self) -> None:
        """Apply queued translations to the rows built so far now."""
        self._flush_translations()

    def set_swapped(self, swapped: bool) -> None:
        if swapped != self.swapped:
            self.swapped = swapped
            self._relayout_keeping_place()

    def set_interlinear(self, interlinear: bool) -> None:
        if interlinear != self.interlinear:
            self.interlinear = interlinear
            self._relayout_keeping_place()

    def _relayout_keeping_place(self) -> None:
        if self.document is None:
            return
        top = self.top_sentence()
        self._rebuild()
        if top is not None:
            self.scroll_to_sentence(top, top=True)
        if self.find_bar.isVisible():
            self._run_find()

    # --- zoom and theme ------------------------------------------------------------------------------------

    def set_zoom(self, steps: int) -> None:
        steps = max(MIN_ZOOM, min(MAX_ZOOM, int(steps)))
        if steps == self.zoom:
            return
        top = self.top_sentence()
        self.zoom = steps
        self.text_view.document().setDefaultFont(self._base_font())
        self._ensure_covers(
            self.text_view.verticalScrollBar().value() + self.text_view.viewport().height() * 1.5
        )
        if top is not None:
            self.scroll_to_sentence(top, top=True)
        self.sig_zoom_changed.emit(steps)

    def zoom_by(self, delta: int) -> None:
        self.set_zoom(self.zoom + delta)

    def _base_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(BASE_POINT_SIZE * (1.1**self.zoom))
        return font

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colors = _colors(self.palette())
            self._formats.clear()
            self._highlight_cache = None
            self.banner.apply_palette(self.palette())
            if self.document is not None:
                self._relayout_keeping_place()

    # --- building ------------------------------------------------------------------------------------------

    def _row_count(self) -> int:
        return len(self._rows)

    def _rebuild(self) -> None:
        """Start a new QTextDocument for the document; rows are added by _build_rows (progressively)."""
        doc_data = self.document
        assert doc_data is not None
        self._flush_timer.stop()
        self._build_timer.stop()
        self._dirty_rows.clear()
        self._formats.clear()
        self._highlight_cache = None
        self._stop_flash()
        n_sentences = len(doc_data.sentences)
        self._orig = [_Span(-1, 0, 0, 0) for _ in range(n_sentences)]
        self._trans = [_Span(-1, 0, 0, 0) for _ in range(n_sentences)]
        self._cells = {}
        self._tables = []
        self._rows = []
        self._row_sentences = []
        self._row_of_sentence = [0] * n_sentences
        for para in doc_data.paragraphs:
            if self.interlinear:
                for s_index in para.sentences:
                    self._row_of_sentence[s_index] = len(self._rows)
                    self._row_sentences.append([s_index])
                    self._rows.append((para.index, s_index))
            else:
                for s_index in para.sentences:
                    self._row_of_sentence[s_index] = len(self._rows)
                self._row_sentences.append(list(para.sentences))
                self._rows.append((para.index, None))
        if self.interlinear:
            self._orig_col = self._trans_col = 0
        else:
            self._orig_col, self._trans_col = (1, 0) if self.swapped else (0, 1)
        qdoc = QTextDocument(self.text_view)
        qdoc.setUndoRedoEnabled(False)
        qdoc.setDocumentMargin(16)
        qdoc.setDefaultFont(self._base_font())
        self.text_view.setDocument(qdoc)
        self._update_selections()

    def _table_format(self) -> QTextTableFormat:
        key = ("table", self.interlinear)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextTableFormat()
            fmt.setBorder(0)
            fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_None)
            fmt.setCellSpacing(0)
            fmt.setCellPadding(0)
            fmt.setMargin(0)
            fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
            columns = 1 if self.interlinear else 2
            fmt.setColumnWidthConstraints(
                [QTextLength(QTextLength.Type.PercentageLength, 100 / columns)] * columns
            )
            self._formats[key] = fmt
        return fmt  # type: ignore[return-value]

    def _build_rows(self, upto: int) -> None:
        """Append the rows [built, upto) to the document, one small table per row, in one edit block."""
        upto = min(upto, self._row_count())
        if len(self._tables) >= upto or self.document is None:
            return
        qdoc = self.text_view.document()
        self._highlight_cache = None  # highlights in the new rows can be painted now
        cursor = QTextCursor(qdoc)
        cursor.beginEditBlock()
        columns = 1 if self.interlinear else 2
        paragraphs = self.document.paragraphs
        for row in range(len(self._tables), upto):
            cursor.movePosition(QTextCursor.MoveOperation.End)
            table = cursor.insertTable(1, columns, self._table_format())
            table.setObjectName(str(row))
            self._tables.append(table)
            para_index, s_index = self._rows[row]
            para = paragraphs[para_index]
            if s_index is None:
                self._fill_original_cell(row, para)
                self._fill_translation_cell(row)
            else:
                first = para.sentences[0] == s_index
                self._fill_interlinear_row(row, para, s_index, first_in_paragraph=first)
        cursor.endEditBlock()

    def _build_step(self) -> None:
        self._build_rows(len(self._tables) + BUILD_CHUNK_ROWS)
        if len(self._tables) < self._row_count():
            self._build_timer.start()
        else:
            self._on_built()

    def _build_all(self) -> None:
        if self.document is not None and len(self._tables) < self._row_count():
            self._build_rows(self._row_count())
            self._on_built()

    def _on_built(self) -> None:
        self._build_timer.stop()
        self._update_selections()
        if self.find_bar.isVisible() and self.find_bar.edit.text():
            self._find_timer.start()
        self.sig_built.emit()

    def _ensure_built(self, row: int) -> None:
        if row >= len(self._tables):
            self._build_rows(row + 1)
        self._schedule_build()

    def _ensure_covers(self, y: float) -> None:
        """Build rows until the built part reaches down to document coordinate ``y`` (or the end)."""
        while len(self._tables) < self._row_count():
            if self._tables and self._row_bottom(len(self._tables) - 1) >= y:
                break
            self._build_rows(len(self._tables) + 4)
        self._schedule_build()

    def _schedule_build(self) -> None:
        if len(self._tables) < self._row_count() and not self._build_timer.isActive():
            self._build_timer.start()

    def is_built(self) -> bool:
        return self.document is not None and len(self._tables) == self._row_count()

    def _on_scrolled(self, value: int) -> None:
        self._ensure_covers(value + self.text_view.viewport().height() * 1.5)
        self._viewport_timer.start()

    def _cell(self, row: int, col: int) -> Any:
        self._ensure_built(row)
        return self._tables[row].cellAt(0, col)

    def _cell_format(self, col: int, *, top: int = 0) -> QTextTableCellFormat:
        key = ("cell", col, top, self.interlinear)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextTableCellFormat()
            fmt.setTopPadding(top)
            fmt.setBottomPadding(4 if self.interlinear else PARAGRAPH_GAP)
            if self.interlinear:
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
                fmt.setLeftBorderBrush(QBrush(self._colors.divider))
            self._formats[key] = fmt
        return fmt  # type: ignore[return-value]

    def _block_format(self, direction: str, arabic_script: bool) -> QTextBlockFormat:
        key = ("block", direction, arabic_script)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextBlockFormat()
            if direction == "rtl":
                fmt.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
                fmt.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
            else:
                fmt.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
                fmt.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute)
            height = 100 if arabic_script else 135
            fmt.setLineHeight(height, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            self._formats[key] = fmt
        return fmt  # type: ignore[return-value]

    def _char_format(
        self, lang: str, *, bold: bool = False, muted: bool = False, secondary: bool = False
    ) -> QTextCharFormat:
        key = ("char", lang, bold, muted, secondary)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            families = fonts.families_for(lang)
            if families:
                fmt.setFontFamilies([*families, self.font().family()])
                # Arabic-script faces read best a step larger than Latin text at the same point size.
                fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, 1)
            if bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            color = (
                self._colors.muted if muted else self._colors.secondary if secondary else self._colors.text
            )
            fmt.setForeground(QBrush(color))
            self._formats[key] = fmt
        return fmt  # type: ignore[return-value]

    def _direction(self, lang: str) -> str:
        key = ("direction", lang)
        value = self._formats.get(key)
        if value is None:
            value = self._formats[key] = direction_of(lang)
        return str(value)

    def _is_heading(self, para: ViewParagraph) -> bool:
        """The first paragraph is shown as a heading when it is the document's title (or starts with it)."""
        doc = self.document
        assert doc is not None
        if para.index != 0 or para.end - para.start > 400:
            return False
        title = " ".join(doc.title.removesuffix("…").split())
        return bool(title) and " ".join(doc.paragraph_text(0).split()).startswith(title)

    def _fill_original_cell(self, row: int, para: ViewParagraph) -> None:
        assert self.document is not None
        cell = self._tables[row].cellAt(0, self._orig_col)
        cell.setFormat(self._cell_format(self._orig_col))
        cursor = cell.firstCursorPosition()
        cursor.setBlockFormat(self._block_format(para.direction, bool(fonts.families_for(para.lang))))
        text = self.document.text[para.start : para.end]
        cursor.insertText(text, self._char_format(para.lang, bold=self._is_heading(para)))
        narrow = text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text)  # 1 position per char
        index = _CellIndex()
        for s_index in para.sentences:
            s = self.document.sentences[s_index]
            if narrow:
                offset, length = s.start - para.start, s.end - s.start
            else:
                offset = _u16(self.document.text[para.start : s.start])
                length = _u16(self.document.text[s.start : s.end])
            self._orig[s_index] = _Span(row, self._orig_col, offset, length)
            index.add(offset, length, s_index)
        self._cells[(row, self._orig_col)] = index

    def _translation_pieces(self, sentences: Sequence[int]) -> list[tuple[int, str, bool]]:
        pieces = []
        for s_index in sentences:
            text = self.translations.get(s_index)
            if text is not None:
                pieces.append((s_index, " ".join(text.split()), False))
            elif self.pending:
                pieces.append((s_index, PENDING_MARK, True))
            else:
                pieces.append((s_index, "", True))
        return pieces

    def _fill_translation_cell(self, row: int) -> None:
        """(Re)write the translation cell of a paragraph row (side-by-side mode)."""
        assert self.document is not None
        para = self.document.paragraphs[self._rows[row][0]]
        cell = self._tables[row].cellAt(0, self._trans_col)
        cursor = cell.firstCursorPosition()
        if cell.lastPosition() > cell.firstPosition():
            cursor.setPosition(cell.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        cell.setFormat(self._cell_format(self._trans_col))
        target = self.document.target_lang
        cursor.setBlockFormat(self._block_format(self._direction(target), bool(fonts.families_for(target))))
        index = _CellIndex()
        offset = 0
        heading = self._is_heading(para)
        normal = self._char_format(target, bold=heading)
        muted = self._char_format(target, bold=heading, muted=True)
        for k, (s_index, text, is_muted) in enumerate(self._translation_pieces(para.sentences)):
            if k and text:
                cursor.insertText(" ", normal)
                offset += 1
            if text:
                cursor.insertText(text, muted if is_muted else normal)
            length = _u16(text)
            self._trans[s_index] = _Span(row, self._trans_col, offset, length)
            index.add(offset, length, s_index)
            offset += length
        self._cells[(row, self._trans_col)] = index

    def _fill_interlinear_row(
        self, row: int, para: ViewParagraph, s_index: int, first_in_paragraph: bool
    ) -> None:
        assert self.document is not None
        cell = self._tables[row].cellAt(0, 0)
        cell.setFormat(self._cell_format(0, top=PARAGRAPH_GAP if first_in_paragraph and row else 0))
        cursor = cell.firstCursorPosition()
        cursor.setBlockFormat(self._block_format(para.direction, bool(fonts.families_for(para.lang))))
        s = self.document.sentences[s_index]
        text = self.document.text[s.start : s.end]
        cursor.insertText(text, self._char_format(para.lang, bold=self._is_heading(para)))
        self._orig[s_index] = _Span(row, 0, 0, _u16(text))
        cursor.insertBlock()
        self._fill_interlinear_translation(row, s_index, cursor)

    def _fill_interlinear_translation(
        self, row: int, s_index: int, cursor: QTextCursor | None = None
    ) -> None:
        assert self.document is not None
        cell = self._tables[row].cellAt(0, 0)
        orig = self._orig[s_index]
        if cursor is None:
            cursor = QTextCursor(self.text_view.document())
            cursor.setPosition(cell.firstPosition() + orig.length + 1)
            if cell.lastPosition() > cursor.position():
                cursor.setPosition(cell.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
        target = self.document.target_lang
        block = QTextBlockFormat(
            self._block_format(self._direction(target), bool(fonts.families_for(target)))
        )
        block.setTopMargin(2)
        cursor.setBlockFormat(block)
        (_, text, is_muted) = self._translation_pieces([s_index])[0]
        if text:
            cursor.insertText(text, self._char_format(target, muted=is_muted, secondary=not is_muted))
        offset = orig.length + 1
        self._trans[s_index] = _Span(row, 0, offset, _u16(text))
        index = _CellIndex()
        index.add(0, offset, s_index)
        self._cells[(row, 0)] = index

    def _flush_translations(self) -> None:
        built = len(self._tables)
        rows = sorted(r for r in self._dirty_rows if r < built)
        self._dirty_rows.clear()
        if self.document is None or not rows:
            return
        anchor = self._scroll_anchor()
        self._highlight_cache = None  # translation positions move when cells are rewritten
        cursor = QTextCursor(self.text_view.document())
        cursor.beginEditBlock()
        for row in rows:
            if self.interlinear:
                for s_index in self._row_sentences[row]:
                    self._fill_interlinear_translation(row, s_index)
            else:
                self._fill_translation_cell(row)
        cursor.endEditBlock()
        self._restore_scroll_anchor(anchor)
        self._update_selections()
        if self.find_bar.isVisible() and self.find_bar.edit.text():
            self._find_timer.start()
        self.sig_rendered.emit()

    # --- geometry ------------------------------------------------------------------------------------------

    def _row_top(self, row: int) -> float:
        block = self._tables[row].cellAt(0, 0).firstCursorPosition().block()
        return self.text_view.document().documentLayout().blockBoundingRect(block).top()

    def _row_bottom(self, row: int) -> float:
        return self.text_view.document().documentLayout().frameBoundingRect(self._tables[row]).bottom()

    def _scroll_anchor(self) -> tuple[int, float] | None:
        if not self._tables:
            return None
        y = self.text_view.verticalScrollBar().value()
        row = self._row_at_y(y)
        return (row, y - self._row_top(row))

    def _restore_scroll_anchor(self, anchor: tuple[int, float] | None) -> None:
        if anchor is None or anchor[0] >= len(self._tables):
            return
        row, delta = anchor
        self.text_view.verticalScrollBar().setValue(round(self._row_top(row) + delta))

    def _row_at_y(self, y: float) -> int:
        """The last built row whose top is at or above ``y``."""
        lo, hi = 0, len(self._tables) - 1
        while lo < hi:  # last row whose top <= y
            mid = (lo + hi + 1) // 2
            if self._row_top(mid) <= y:
                lo = mid
            else:
                hi = mid - 1
        return max(0, lo)

    def cell_block_rect(self, row: int, col: int) -> QRectF:
        """Document-coordinates rectangle of the first block of a cell (tests, geometry)."""
        block = self._cell(row, col).firstCursorPosition().block()
        return self.text_view.document().documentLayout().blockBoundingRect(block)

    def cell_last_block_rect(self, row: int, col: int) -> QRectF:
        block = self._cell(row, col).lastCursorPosition().block()
        return self.text_view.document().documentLayout().blockBoundingRect(block)

    def row_count(self) -> int:
        return self._row_count()

    def orig_column(self) -> int:
        return self._orig_col

    def cell_direction(self, row: int, col: int) -> tuple[Qt.LayoutDirection, Qt.AlignmentFlag]:
        fmt = self._cell(row, col).firstCursorPosition().block().blockFormat()
        return fmt.layoutDirection(), fmt.alignment()

    def cell_first_block(self, row: int, col: int) -> Any:
        return self._cell(row, col).firstCursorPosition().block()

    def table_rect(self, row: int) -> QRectF:
        self._ensure_built(row)
        return self.text_view.document().documentLayout().frameBoundingRect(self._tables[row])

    def position_y(self, position: int) -> tuple[float, float]:
        """Top and bottom (document coordinates) of the line holding ``position``."""
        qdoc = self.text_view.document()
        block = qdoc.findBlock(position)
        rect = qdoc.documentLayout().blockBoundingRect(block)
        layout = block.layout()
        line = layout.lineForTextPosition(position - block.position()) if layout is not None else None
        if line is None or not line.isValid():
            return rect.top(), rect.bottom()
        return rect.top() + line.y(), rect.top() + line.y() + line.height()

    # --- positions and sentences ---------------------------------------------------------------------------

    def orig_range(self, s_index: int) -> tuple[int, int]:
        """Document positions [start, end) of a sentence's original."""
        self._ensure_built(self._row_of_sentence[s_index])
        span = self._orig[s_index]
        first = self._tables[span.row].cellAt(0, span.col).firstPosition()
        return first + span.offset, first + span.offset + span.length

    def translation_range(self, s_index: int) -> tuple[int, int]:
        self._ensure_built(self._row_of_sentence[s_index])
        span = self._trans[s_index]
        first = self._tables[span.row].cellAt(0, span.col).firstPosition()
        return first + span.offset, first + span.offset + span.length

    def _cell_at(self, position: int) -> tuple[int, Any] | None:
        """(row, cell) of the table cell holding a document position."""
        if not self._tables or position < 0:
            return None
        cursor = QTextCursor(self.text_view.document())
        if position > cursor.document().characterCount() - 1:
            return None
        cursor.setPosition(position)
        table = cursor.currentTable()
        if table is None or not table.objectName().isdigit():
            return None
        cell = table.cellAt(position)
        return (int(table.objectName()), cell) if cell.isValid() else None

    def sentence_at_position(self, position: int) -> int | None:
        found = self._cell_at(position)
        if found is None:
            return None
        row, cell = found
        index = self._cells.get((row, cell.column()))
        if index is None:
            return None
        return index.find(position - cell.firstPosition())

    def original_offset_at(self, position: int) -> int | None:
        """The character offset in the document's original text shown at ``position`` (None: not original)."""
        s_index = self.sentence_at_position(position)
        found = self._cell_at(position)
        if s_index is None or self.document is None or found is None:
            return None
        row, cell = found
        if (row, cell.column()) != (self._orig[s_index].row, self._orig[s_index].col):
            return None
        within = position - cell.firstPosition()
        if self.interlinear:
            if within > self._orig[s_index].length:
                return None
            s = self.document.sentences[s_index]
            return s.start + _u16_to_index(self.document.text[s.start : s.end], within)
        para = self.document.paragraphs[self.document.sentences[s_index].paragraph]
        return para.start + _u16_to_index(self.document.text[para.start : para.end], within)

    def sentence_at_point(self, point: QPoint) -> int | None:
        """The sentence under a viewport point, if the point is exactly over text."""
        if not self._tables:
            return None
        offset = QPointF(
            self.text_view.horizontalScrollBar().value(), self.text_view.verticalScrollBar().value()
        )
        layout = self.text_view.document().documentLayout()
        position = layout.hitTest(QPointF(point) + offset, Qt.HitTestAccuracy.ExactHit)
        return self.sentence_at_position(position)

    def viewport_point_of(self, position: int) -> QPoint:
        """Viewport coordinates of the middle of the character at ``position`` (tests, tooltips)."""
        cursor = QTextCursor(self.text_view.document())
        cursor.setPosition(position)
        before = self.text_view.cursorRect(cursor)
        cursor.setPosition(position + 1)
        after = self.text_view.cursorRect(cursor)
        if after.top() != before.top():
            return QPoint(before.center().x() + 2, before.center().y())
        return QPoint((before.center().x() + after.center().x()) // 2, before.center().y())

    # --- visible part --------------------------------------------------------------------------------------

    def visible_rows(self) -> range:
        if self.document is None or not self._row_count():
            return range(0)
        bar = self.text_view.verticalScrollBar()
        top = bar.value()
        bottom = top + self.text_view.viewport().height()
        self._ensure_covers(bottom)
        first = self._row_at_y(top)
        last = self._row_at_y(bottom)
        return range(first, last + 1)

    def visible_sentences(self) -> list[int]:
        """Sentences whose rows intersect the viewport, in reading order."""
        return [i for row in self.visible_rows() for i in self._row_sentences[row]]

    def translation_order(self) -> list[int]:
        """All sentences: the visible ones first, then those below, then those above."""
        if self.document is None:
            return []
        rows = self.visible_rows()
        if not rows:
            return list(range(len(self.document.sentences)))
        visible = [i for r in rows for i in self._row_sentences[r]]
        below = [i for r in range(rows[-1] + 1, self._row_count()) for i in self._row_sentences[r]]
        above = [i for r in range(0, rows[0]) for i in self._row_sentences[r]]
        return visible + below + above

    def visible_translated(self) -> bool:
        return all(i in self.translations for i in self.visible_sentences())

    def top_sentence(self) -> int | None:
        """The first sentence whose text reaches into the viewport (what to restore after a re-open)."""
        if self.document is None or not self._tables or not self.document.sentences:
            return None
        # The first sentence that starts at or below the top edge: restoring it (scroll_to_sentence with
        # top=True) gives the same answer again, so saving and restoring never drifts. When one long sentence
        # fills the top half of the viewport, that sentence.
        y = self.text_view.verticalScrollBar().value()
        limit = y + self.text_view.viewport().height() / 2
        previous: int | None = None
        for r in range(self._row_at_y(y), len(self._tables)):
            for s_index in self._row_sentences[r]:
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
        self._ensure_covers(y_top + height * 1.5)
        if top:
            bar.setValue(round(y_top) - 8)
        elif y_top < bar.value() or y_bottom > bar.value() + height:
            bar.setValue(round(y_top - height / 3))

    # --- highlighting --------------------------------------------------------------------------------------

    def set_current_sentence(self, s_index: int | None, *, scroll: bool = True) -> None:
        if self.document is None or (s_index is not None and not 0 <= s_index < len(self.document.sentences)):
            return
        self.current_sentence = s_index
        self._update_selections()
        if s_index is not None and scroll:
            self.scroll_to_sentence(s_index)

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
            self._update_selections()

    def _on_leave(self) -> None:
        if self.hover_sentence is not None:
            self.hover_sentence = None
            self._update_selections()

    def _on_click(self, point: QPoint) -> None:
        s_index = self.sentence_at_point(point)
        if s_index is not None:
            self.set_current_sentence(s_index)
            self.sig_sentence_activated.emit(s_index)

    def _selection(self, start: int, end: int, color: QColor) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.text_view.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor  # type: ignore[attr-defined]
        fmt = QTextCharFormat()
        fmt.setBackground(QBrush(color))
        selection.format = fmt  # type: ignore[attr-defined]
        return selection

    def _pair_selections(self, s_index: int, color: QColor) -> list[QTextEdit.ExtraSelection]:
        out = []
        for start, end in (self.orig_range(s_index), self.translation_range(s_index)):
            if end > start:
                out.append(self._selection(start, end, color))
        return out

    def _update_selections(self) -> None:
        if not self._tables or self.document is None:
            self.text_view.setExtraSelections([])
            return
        selections: list[QTextEdit.ExtraSelection] = [
            self._selection(start, end, color) for start, end, color, _h in self._highlight_ranges()
        ]
        for i, (start, end) in enumerate(self._find_matches):
            color = self._colors.find_current if i == self._find_current else self._colors.find
            selections.append(self._selection(start, end, color))
        if self.hover_sentence is not None and self.hover_sentence != self.current_sentence:
            selections.extend(self._pair_selections(self.hover_sentence, self._colors.hover))
        if self.current_sentence is not None:
            selections.extend(self._pair_selections(self.current_sentence, self._colors.current))
        if self._flash_ranges and self._flash_ticks % 2 == 0:
            selections.extend(self._selection(s, e, self._colors.flash) for s, e in self._flash_ranges)
        self.text_view.setExtraSelections(selections)

    def highlighted_ranges(self) -> list[tuple[int, int]]:
        """Document ranges currently lit (tests)."""
        return [
            (s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in self.text_view.extraSelections()
        ]

    # --- annotations: painting, selections, jumps ----------------------------------------------------------

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """The annotations to paint (own ranges in full colour, paired sentences in the lighter shade)."""
        self._highlights = list(highlights)
        self._highlight_cache = None
        self._update_selections()

    def highlights(self) -> list[Highlight]:
        return list(self._highlights)

    def highlight_ranges(self) -> list[tuple[int, int, str, str, int]]:
        """Painted highlight ranges: (start, end, colour "#rrggbb", kind, annotation id), in paint order (tests)."""
        return [(s, e, h.color.lower(), h.kind, h.ann_id) for s, e, _c, h in self._highlight_ranges()]

    def _highlight_ranges(self) -> list[tuple[int, int, QColor, Highlight]]:
        if self._highlight_cache is None:
            out: list[tuple[int, int, QColor, Highlight]] = []
            if self.document is not None and self._tables:
                for kind in ("paired", "own"):  # own ranges paint over a paired shade where they meet
                    for h in self._highlights:
                        if h.kind != kind:
                            continue
                        color = QColor(h.color)
                        if self._colors.dark:  # a pale block under light text would be unreadable:
                            # the full colour, translucent (fainter for the pair, keeping its hue)
                            color = QColor(_FULL_OF_LIGHT.get(h.color.lower(), h.color))
                            color.setAlpha(150 if kind == "own" else 60)
                        for piece in h.pieces:
                            out.extend((s, e, color, h) for s, e in self.piece_positions(piece))
            self._highlight_cache = out
        return self._highlight_cache

    def piece_positions(self, piece: HighlightPiece, *, build: bool = False) -> list[tuple[int, int]]:
        """Document positions of a highlight piece (only rows already built unless ``build``)."""
        if piece.side == "original":
            return self.original_positions(piece.start, piece.end or piece.start, build=build)
        if piece.segment is None:
            return []
        return self.translation_positions(piece.segment, piece.start, piece.end, build=build)

    def original_positions(self, start: int, end: int, *, build: bool = False) -> list[tuple[int, int]]:
        """Document positions showing the original text ``[start, end)`` (one range per cell it crosses)."""
        doc = self.document
        if doc is None or end <= start or not self._rows:
            return []
        out: list[tuple[int, int]] = []
        first_para = max(0, bisect.bisect_right([p.end for p in doc.paragraphs], start) - 1)
        for para in doc.paragraphs[first_para:]:
            if para.start >= end:
                break
            if para.end <= start:
                continue
            if self.interlinear:
                units = [
                    (doc.sentences[i].start, doc.sentences[i].end, self._row_of_sentence[i])
                    for i in para.sentences
                ]
            else:
                units = [(para.start, para.end, para.index)]
            for u_start, u_end, row in units:
                a, b = max(start, u_start), min(end, u_end)
                if a >= b:
                    continue
                if row >= len(self._tables):
                    if not build:
                        continue
                    self._ensure_built(row)
                first = self._tables[row].cellAt(0, self._orig_col).firstPosition()
                out.append((first + _u16(doc.text[u_start:a]), first + _u16(doc.text[u_start:b])))
        return out

    def translation_positions(
        self, segment: int, start: int, end: int | None, *, build: bool = False
    ) -> list[tuple[int, int]]:
        """Document positions of ``[start, end)`` of sentence ``segment``'s translation (stripped offsets)."""
        doc = self.document
        text = self.translations.get(segment)
        if doc is None or text is None or not 0 <= segment < len(self._trans):
            return []
        row = self._row_of_sentence[segment]
        if row >= len(self._tables):
            if not build:
                return []
            self._ensure_built(row)
        span = self._trans[segment]
        shown = _shown(text)
        if span.row < 0 or span.length != _u16(shown):
            return []  # not painted yet (the cell still shows the placeholder)
        stripped = text.strip()
        a = _stripped_to_shown(stripped, start)
        b = _stripped_to_shown(stripped, len(stripped) if end is None else end)
        if b <= a:
            return []
        first = self._tables[span.row].cellAt(0, span.col).firstPosition() + span.offset
        return [(first + _u16(shown[:a]), first + _u16(shown[:b]))]

    def _row_of_position(self, position: int) -> int:
        firsts = [t.firstPosition() for t in self._tables]
        return max(0, bisect.bisect_right(firsts, position) - 1)

    def _side_span(self, row: int, side: str) -> tuple[int, int]:
        """Positions [first, last] of one side of a row."""
        if self.interlinear:
            cell = self._tables[row].cellAt(0, 0)
            first = cell.firstPosition()
            length = self._orig[self._row_sentences[row][0]].length if self._row_sentences[row] else 0
            if side == "original":
                return first, first + length
            return first + length + 1, cell.lastPosition()
        cell = self._tables[row].cellAt(0, self._orig_col if side == "original" else self._trans_col)
        return cell.firstPosition(), cell.lastPosition()

    def side_at_position(self, position: int) -> str | None:
        """ "original" or "translation": which pane a document position is in."""
        if not self._tables or self.document is None:
            return None
        found = self._cell_at(position)
        if found is None:
            return None
        row, _cell = found
        for side in ("original", "translation"):
            first, last = self._side_span(row, side)
            if first <= position <= last:
                return side
        return None

    def _original_offset(self, row: int, position: int) -> int:
        doc = self.document
        assert doc is not None
        first, _last = self._side_span(row, "original")
        if self.interlinear:
            s = doc.sentences[self._row_sentences[row][0]]
            lo, hi = s.start, s.end
        else:
            para = doc.paragraphs[self._rows[row][0]]
            lo, hi = para.start, para.end
        return lo + _u16_to_index(doc.text[lo:hi], max(0, position - first))

    def _translation_point(self, row: int, position: int) -> tuple[int, int] | None:
        """(sentence, offset in its stripped translation) at a position of the translation side of ``row``."""
        first, _last = self._side_span(row, "translation")
        if self.interlinear:
            segment: int | None = self._row_sentences[row][0] if self._row_sentences[row] else None
        else:
            index = self._cells.get((row, self._trans_col))
            segment = index.find(position - first) if index is not None else None
        if segment is None or segment not in self.translations:
            return None
        span = self._trans[segment]
        cell_first = self._tables[span.row].cellAt(0, span.col).firstPosition()
        within = max(0, min(span.length, position - cell_first - span.offset))
        text = self.translations[segment]
        shown_index = _u16_to_index(_shown(text), within)
        return segment, _shown_to_stripped(text.strip(), shown_index)

    def selection_target(self) -> SelectionTarget | None:
        """The selected text as a logical range on the side where the drag began (None: nothing selected).

        QTextCursor's selection start/end are logical positions, so a drag over right-to-left text with
        embedded Latin or digits — in either direction — gives the range of characters the user went over."""
        doc = self.document
        cursor = self.text_view.textCursor()
        if doc is None or not self._tables or not cursor.hasSelection():
            return None
        a, b = cursor.selectionStart(), cursor.selectionEnd()
        side = self.side_at_position(cursor.anchor()) or self.side_at_position(a) or "original"
        pieces: list[tuple[int, int, int]] = []  # (row, first, last) of the selection on that side
        for row in range(self._row_of_position(a), self._row_of_position(b) + 1):
            first, last = self._side_span(row, side)
            lo, hi = max(a, first), min(b, last)
            if lo < hi:
                pieces.append((row, lo, hi))
        if not pieces:
            return None
        text = cursor.selectedText().replace("\u2029", "\n")
        if side == "original":
            start = self._original_offset(pieces[0][0], pieces[0][1])
            end = self._original_offset(pieces[-1][0], pieces[-1][2])
            return SelectionTarget("original", start, end, text=text) if end > start else None
        points = [
            p
            for row, lo, hi in pieces
            for p in (self._translation_point(row, lo), self._translation_point(row, hi))
            if p is not None
        ]
        if not points:
            return None
        (s_seg, s_off), (e_seg, e_off) = points[0], points[-1]
        if (e_seg, e_off) <= (s_seg, s_off):
            return None
        return SelectionTarget("translation", s_off, e_off, s_seg, e_seg, text)

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

    def extend_context_menu(self, menu: QMenu) -> None:
        """Add the highlight actions to the reader's context menu."""
        menu.addSeparator()
        colours = menu.addMenu("&Highlight")
        colours.setObjectName("highlightMenu")
        for action in self.highlight_actions.values():
            colours.addAction(action)
        menu.addAction(self.note_action)

    def reveal_range(self, start: int, end: int) -> None:
        """Scroll so that document positions [start, end) are in view (a third from the top if it moves)."""
        top = self.position_y(start)[0]
        bottom = self.position_y(max(start, end - 1))[1]
        bar = self.text_view.verticalScrollBar()
        height = self.text_view.viewport().height()
        self._ensure_covers(top + height * 1.5)
        if top < bar.value() or bottom > bar.value() + height:
            bar.setValue(round(top - height / 3))

    def flash(self, pieces: Sequence[HighlightPiece], *, reveal: bool = True) -> bool:
        """Scroll to ``pieces`` and make them blink briefly (a jump from the notes or search panel)."""
        self._flush_translations()  # translations queued for painting must be in place to be found
        ranges = [r for piece in pieces for r in self.piece_positions(piece, build=True)]
        if not ranges:
            return False
        if reveal:
            self.reveal_range(ranges[0][0], ranges[0][1])
        self._flash_ranges = ranges
        self._flash_ticks = 0
        self._flash_timer.start()
        self._update_selections()
        return True

    def flash_ranges(self) -> list[tuple[int, int]]:
        """The ranges blinking now (tests)."""
        return list(self._flash_ranges)

    def _flash_tick(self) -> None:
        self._flash_ticks += 1
        if self._flash_ticks >= FLASH_TICKS:
            self._stop_flash()
        self._update_selections()

    def _stop_flash(self) -> None:
        self._flash_timer.stop()
        self._flash_ranges = []
        self._flash_ticks = 0

    # --- banner --------------------------------------------------------------------------------------------

    def show_missing_model(self, pair: str, detail: str = "") -> None:
        self.banner.show_missing(pair, detail)

    def hide_banner(self) -> None:
        self.banner.hide()

    # --- find ----------------------------------------------------------------------------------------------

    def open_find(self) -> None:
        self.find_bar.open_bar()
        if self.find_bar.edit.text():
            self._run_find()

    def find(self, query: str) -> int:
        """Find ``query`` across both panes (folded); returns the number of matches."""
        self.find_bar.edit.blockSignals(True)
        self.find_bar.edit.setText(query)
        self.find_bar.edit.blockSignals(False)
        self._run_find()
        return len(self._find_matches)

    def find_matches(self) -> list[tuple[int, int]]:
        return list(self._find_matches)

    def _run_find(self) -> None:
        self._find_timer.stop()
        query = self.find_bar.edit.text()
        self._find_matches = []
        self._find_current = -1
        if self.document is not None and query.strip():
            self._build_all()
            self._find_matches = find_in_document(self.text_view.document(), query, self.document.lang)
        if self._find_matches:
            top = self.text_view.verticalScrollBar().value()
            self._find_current = next(
                (i for i, (s, _e) in enumerate(self._find_matches) if self.position_y(s)[0] >= top), 0
            )
            self._reveal_find()
        self._update_find_label()
        self._update_selections()

    def find_step(self, delta: int) -> None:
        if not self._find_matches:
            self._run_find()
            return
        self._find_current = (self._find_current + delta) % len(self._find_matches)
        self._reveal_find()
        self._update_find_label()
        self._update_selections()

    def _reveal_find(self) -> None:
        start, _end = self._find_matches[self._find_current]
        top, bottom = self.position_y(start)
        bar = self.text_view.verticalScrollBar()
        height = self.text_view.viewport().height()
        if top < bar.value() or bottom > bar.value() + height:
            bar.setValue(round(top - height / 3))

    def _update_find_label(self) -> None:
        if not self.find_bar.edit.text().strip():
            self.find_bar.count.setText("")
        elif not self._find_matches:
            self.find_bar.count.setText("no match")
        else:
            self.find_bar.count.setText(f"{self._find_current + 1} of {len(self._find_matches)}")

    def _on_find_closed(self) -> None:
        self._find_matches = []
        self._find_current = -1
        self._update_selections()
        self.text_view.setFocus()

    # --- events --------------------------------------------------------------------------------------------

    def resizeEvent(self, event: QEvent) -> None:  # type: ignore[override]
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._viewport_timer.start()

    def focus_text(self) -> None:
        self.text_view.setFocus()


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


__all__ = [
    "FindBar",
    "Highlight",
    "HighlightPiece",
    "ModelBanner",
    "ReaderDocument",
    "ReaderView",
    "SelectionTarget",
    "ViewParagraph",
    "ViewSentence",
    "direction_of",
    "find_in_document",
]
