"""What is painted over the reader's text: annotation highlights, find matches, the hovered and current
sentence, and the brief flash of a jump — all as QTextEdit extra selections, rebuilt in one place
(:meth:`Marks.update`), in paint order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QBrush, QColor, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from reader.core.store.annotations import COLORS
from reader.ui.reader.document import Highlight, HighlightPiece

if TYPE_CHECKING:
    from reader.ui.reader.view import ReaderView

_FULL_OF_LIGHT = {light.lower(): full for full, light in COLORS.values()}
FLASH_MS = 160  # a flashed range blinks FLASH_TICKS times this long
FLASH_TICKS = 6


@dataclass
class Colors:
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
    find_current_text: QColor
    selection: QColor
    selection_text: QColor


def colors_for(palette: QPalette) -> Colors:
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
    hover = QColor(highlight)
    hover.setAlpha(45 if not dark else 70)
    current = QColor(highlight)
    current.setAlpha(95 if not dark else 120)
    muted = QColor(palette.color(QPalette.ColorRole.PlaceholderText))
    divider = QColor(palette.color(QPalette.ColorRole.Mid))
    return Colors(
        text=QColor(palette.color(QPalette.ColorRole.Text)),
        muted=muted,
        hover=hover,
        current=current,
        # Find matches and the selection stay apart from all eight highlight colours (pastel fills, or translucent
        # mid-tones in the dark theme): other matches are underlined in a deep pink with no fill, the current
        # match is filled in that pink (white in the dark theme), the selection is slate (light cyan in dark).
        find=QColor("#ff4081") if dark else QColor("#c2185b"),
        find_current=QColor("#ffffff") if dark else QColor("#c2185b"),
        find_current_text=QColor("#000000") if dark else QColor("#ffffff"),
        selection=QColor("#80deea") if dark else QColor("#455a64"),
        selection_text=QColor("#000000") if dark else QColor("#ffffff"),
        divider=divider,
        secondary=QColor("#b8c4d6") if dark else QColor("#2b4a73"),
        flash=QColor(255, 140, 0, 200 if dark else 170),
        dark=dark,
    )


class Marks(QObject):
    """Highlights, find matches, hover, current sentence and flashes, painted as extra selections."""

    def __init__(self, view: ReaderView) -> None:
        super().__init__(view)
        self.view = view
        self._highlights: list[Highlight] = []
        self._highlight_cache: list[tuple[int, int, QColor, Highlight]] | None = None
        self._flash_ranges: list[tuple[int, int]] = []
        self._flash_ticks = 0
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._flash_tick)

    def invalidate(self) -> None:
        """Positions moved (rows built or rewritten, palette changed): compute the highlight ranges again."""
        self._highlight_cache = None

    def clear(self) -> None:
        """A new document (or none): no highlights, no flash."""
        self._highlights = []
        self._highlight_cache = None
        self.stop_flash()

    def _selection(
        self, start: int, end: int, color: QColor | None, fmt: QTextCharFormat | None = None
    ) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.view.text_view.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        if fmt is None:
            fmt = QTextCharFormat()
        if color is not None:
            fmt.setBackground(QBrush(color))
        selection.format = fmt
        return selection

    def _find_selection(self, start: int, end: int, *, current: bool) -> QTextEdit.ExtraSelection:
        colors = self.view.colors
        fmt = QTextCharFormat()
        if current:
            fmt.setForeground(QBrush(colors.find_current_text))
            return self._selection(start, end, colors.find_current, fmt)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(colors.find)
        fmt.setForeground(QBrush(colors.find))
        return self._selection(start, end, None, fmt)

    def _pair_selections(self, s_index: int, color: QColor) -> list[QTextEdit.ExtraSelection]:
        out = []
        for start, end in (
            self.view.positions.orig_range(s_index),
            self.view.positions.translation_range(s_index),
        ):
            if end > start:
                out.append(self._selection(start, end, color))
        return out

    def update(self) -> None:
        if not self.view.row_layout.tables or self.view.document is None:
            self.view.text_view.setExtraSelections([])
            return
        selections: list[QTextEdit.ExtraSelection] = [
            self._selection(start, end, color) for start, end, color, _h in self.ranges()
        ]
        for i, (start, end) in enumerate(self.view.finder.matches):
            selections.append(self._find_selection(start, end, current=i == self.view.finder.current))
        if self.view.hover_sentence is not None and self.view.hover_sentence != self.view.current_sentence:
            selections.extend(self._pair_selections(self.view.hover_sentence, self.view.colors.hover))
        if self.view.current_sentence is not None:
            selections.extend(self._pair_selections(self.view.current_sentence, self.view.colors.current))
        if self._flash_ranges and self._flash_ticks % 2 == 0:
            selections.extend(self._selection(s, e, self.view.colors.flash) for s, e in self._flash_ranges)
        self.view.text_view.setExtraSelections(selections)

    def highlighted_ranges(self) -> list[tuple[int, int]]:
        """Document ranges currently lit (tests)."""
        return [
            (s.cursor.selectionStart(), s.cursor.selectionEnd())
            for s in self.view.text_view.extraSelections()
        ]

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """The annotations to paint (own ranges in full colour, paired sentences in the lighter shade)."""
        self._highlights = list(highlights)
        self._highlight_cache = None
        self.update()

    def highlights(self) -> list[Highlight]:
        return list(self._highlights)

    def highlight_ranges(self) -> list[tuple[int, int, str, str, int]]:
        """Painted highlight ranges: (start, end, colour "#rrggbb", kind, annotation id), in paint order (tests)."""
        return [(s, e, h.color.lower(), h.kind, h.ann_id) for s, e, _c, h in self.ranges()]

    def ranges(self) -> list[tuple[int, int, QColor, Highlight]]:
        if self._highlight_cache is None:
            out: list[tuple[int, int, QColor, Highlight]] = []
            if self.view.document is not None and self.view.row_layout.tables:
                for kind in ("paired", "own"):  # own ranges paint over a paired shade where they meet
                    for h in self._highlights:
                        if h.kind != kind:
                            continue
                        color = QColor(h.color)
                        if self.view.colors.dark:  # a pale block under light text would be unreadable:
                            # the full colour, translucent (fainter for the pair, keeping its hue)
                            color = QColor(_FULL_OF_LIGHT.get(h.color.lower(), h.color))
                            color.setAlpha(150 if kind == "own" else 60)
                        for piece in h.pieces:
                            out.extend(
                                (s, e, color, h) for s, e in self.view.positions.piece_positions(piece)
                            )
            self._highlight_cache = out
        return self._highlight_cache

    def flash(self, pieces: Sequence[HighlightPiece], *, reveal: bool = True) -> bool:
        """Scroll to ``pieces`` and make them blink briefly (a jump from the notes or search panel)."""
        self.view.row_layout.flush()  # translations queued for painting must be in place to be found
        ranges = [r for piece in pieces for r in self.view.positions.piece_positions(piece, build=True)]
        if not ranges:
            return False
        if reveal:
            self.view.reveal_range(ranges[0][0], ranges[0][1])
        self._flash_ranges = ranges
        self._flash_ticks = 0
        self._flash_timer.start()
        self.update()
        return True

    def flash_ranges(self) -> list[tuple[int, int]]:
        """The ranges blinking now (tests)."""
        return list(self._flash_ranges)

    def _flash_tick(self) -> None:
        self._flash_ticks += 1
        if self._flash_ticks >= FLASH_TICKS:
            self.stop_flash()
        self.update()

    def stop_flash(self) -> None:
        self._flash_timer.stop()
        self._flash_ranges = []
        self._flash_ticks = 0


__all__ = ["FLASH_MS", "FLASH_TICKS", "Colors", "Marks", "colors_for"]
