"""Highlights in the reader: a selection becomes an annotation, annotations become painted ranges, and jumps from
the notes and search panels land on (and flash) their text.

Glue between the reader view (draws, reports selections, knows no database), the notes panel (owns the notes
lane, its library connection and the undo stack) and the reader controller (knows which model produced the
translation). Every library read and write is an operation on the store lane
(:func:`reader.ui.operations.store_resource`), so the GUI thread never waits for SQLite, and saves and reads keep
their order. Highlights are repainted when the window's :class:`~reader.ui.operations.LibraryEvents` says the open
document's annotations changed (whoever changed them).

Coordinates: the view paints :class:`~reader.ui.reader.HighlightPiece` s — offsets into the document text
(original side) or into one sentence's translation (translation side) — so a swap, interlinear mode, zoom or a
translation streaming in re-maps them without asking the database again. Only translation-side annotations depend
on the translation text (their quote is re-found in it, see ``Annotations.coverage``), so a document that has
some is re-queried when its translations change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMenu

from reader.core.store.annotations import COLORS, DEFAULT_COLOR, Annotation, Annotations, TranslationText
from reader.ui.notes_panel import NotesPanel
from reader.ui.operations import ANNOTATIONS, LIBRARY, LibraryChange, store_resource
from reader.ui.reader import Highlight, HighlightPiece, ReaderView
from reader.ui.reader.view import color_icon
from reader.ui.tasks import TaskManager

if TYPE_CHECKING:
    from reader.core.store.search import SearchHit
    from reader.ui.controller import ReaderController

log = logging.getLogger(__name__)

PAINT_KEY = "highlights"
PAINT_DELAY_MS = 60
TRANSLATION_REPAINT_MS = 600


@dataclass(frozen=True)
class PaintResult:
    doc_id: int
    highlights: list[Highlight]
    translation_side: bool  # the document has translation-side annotations


def translation_pieces(tt: TranslationText, start: int, end: int) -> list[HighlightPiece]:
    """A range of the translation text as per-sentence pieces (offsets inside each sentence's translation)."""
    pieces = []
    for seg in tt.segments_in(start, end):
        a, b = tt.spans[seg]
        pieces.append(HighlightPiece("translation", max(start, a) - a, min(end, b) - a, seg))
    return pieces


def compute_paint(store: Annotations, doc_id: int, tt: TranslationText | None) -> PaintResult:
    """Worker side: the document's annotations as highlights to paint (orphans cover nothing)."""
    seen: dict[int, tuple[Annotation, Any]] = {}
    for items in store.coverage_map(doc_id, tt).values():
        for ann, cov in items:
            seen.setdefault(ann.id, (ann, cov))
    highlights: list[Highlight] = []
    for ann, cov in sorted(seen.values(), key=lambda pair: (pair[0].side, pair[0].start, pair[0].id)):
        full, light = COLORS.get(ann.color, COLORS[DEFAULT_COLOR])
        if ann.side == "original":
            own = [HighlightPiece("original", s, e) for s, e in cov.own]
            paired = [HighlightPiece("translation", 0, None, i) for i in cov.segments]
        else:
            assert tt is not None  # a translation-side annotation is covered only when there is a translation
            own = [piece for s, e in cov.own for piece in translation_pieces(tt, s, e)]
            paired = [HighlightPiece("original", s, e) for s, e in cov.paired]
        highlights.append(Highlight(ann.id, full, "own", tuple(own)))
        if paired:
            highlights.append(Highlight(ann.id, light, "paired", tuple(paired)))
    return PaintResult(doc_id, highlights, store.has_translation_side(doc_id))


def quote_reference(quote: str, title: str, side: str) -> str:
    """A quote for the clipboard: the text as it is, then its reference (the translation side says so)."""
    where = f"— {title}" if title else "—"
    if side == "translation":
        where += " (machine translation)"
    return f"{quote.strip()}\n{where}"


class HighlightController(QObject):
    """Selections → annotations (keys 1–8, N, toolbar, context menu); annotations → paint; jumps."""

    sig_open_document = Signal(int)  # a jump needs another document: the window opens it
    sig_show_notes = Signal()  # a note is to be written: the window shows the notes panel
    sig_message = Signal(str)  # one sentence for the status bar
    sig_painted = Signal(int)  # document id whose highlights were just painted

    def __init__(
        self, tasks: TaskManager, view: ReaderView, notes: NotesPanel, reader: ReaderController
    ) -> None:
        super().__init__(view)
        self.tasks = tasks
        self.view = view
        self.notes = notes
        self.reader = reader
        self.store = store_resource(tasks)
        self._pending_jump: tuple[int, Callable[[], list[HighlightPiece]], int | None, bool] | None = None
        self._translation_side = False
        self._paint_timer = QTimer(self)
        self._paint_timer.setSingleShot(True)
        self._paint_timer.setInterval(PAINT_DELAY_MS)
        self._paint_timer.timeout.connect(self.refresh_now)
        self._translation_timer = QTimer(self)
        self._translation_timer.setSingleShot(True)
        self._translation_timer.setInterval(TRANSLATION_REPAINT_MS)
        self._translation_timer.timeout.connect(self.refresh_now)
        view.sig_highlight.connect(self.highlight)
        view.sig_context_menu.connect(self.extend_menu)
        view.sig_rendered.connect(self._on_rendered)
        notes.events.sig_changed.connect(self._on_library_changed)
        notes.sig_jump.connect(self.jump)
        reader.sig_document_opened.connect(self._on_document_opened)

    # --- translation text ----------------------------------------------------------------------------------

    def translation_text(self) -> TranslationText | None:
        """The open document's translation text for the model that produced it (what translation-side offsets
        point into; see :class:`reader.core.store.annotations.TranslationText`)."""
        doc = self.view.document
        loaded = self.reader.loaded
        if doc is None or loaded is None or loaded.route is None or not self.view.translations:
            return None
        if loaded.document.doc_id != doc.doc_id:
            return None
        from reader.core.store.library import SegmentRow  # lazy: start-up imports no more of the store

        # the view's sentences are the library's segments, in order: sentence ``i`` is segment ``i``
        segments = [SegmentRow(s.index, s.paragraph, s.start, s.end) for s in doc.sentences]
        return TranslationText.build(segments, self.view.translations, loaded.route.model_id, doc.target_lang)

    # --- creating ------------------------------------------------------------------------------------------

    def highlight(self, color: str, with_note: bool = False) -> None:
        """Highlight the selection (or, without one, the current sentence) in ``color``."""
        doc = self.view.document
        if doc is None:
            return
        target = self.view.selection_target()
        tt: TranslationText | None = None
        side = "original"
        if target is None:
            current = self.view.current_sentence
            if current is None:
                self.sig_message.emit("Select some text, or a sentence with J/K, to highlight it.")
                return
            sentence = doc.sentences[current]
            start, end = sentence.start, sentence.end
        elif target.side == "original":
            start, end = target.start, target.end
        else:
            side = "translation"
            tt = self.translation_text()
            if tt is None or target.start_segment not in tt.spans or target.end_segment not in tt.spans:
                self.sig_message.emit("That part of the translation is not there yet.")
                return
            assert target.start_segment is not None and target.end_segment is not None
            start = tt.offset_of(target.start_segment, target.start)
            end = tt.offset_of(target.end_segment, target.end)
        self.view.clear_selection()
        if side == "original":
            shown = [HighlightPiece("original", start, end)]
        else:
            assert tt is not None
            shown = translation_pieces(tt, start, end)

        def confirm(text: str) -> None:  # the status line says it, the range blinks once in place
            self.sig_message.emit(text)
            self.view.flash(shown, reveal=False)

        def added(ann: Annotation) -> None:
            if with_note:
                self.sig_show_notes.emit()
                self.notes.select_annotation(ann.id, focus_note=True)
            else:
                self.notes.select_annotation(ann.id)
            confirm(f"Highlighted in {color} (Ctrl+Z undoes it).")

        def replaced(ann: Annotation, previous: str) -> None:
            self.notes.select_annotation(ann.id, focus_note=with_note)
            if with_note:
                self.sig_show_notes.emit()
            if previous == color:
                confirm(f"Already highlighted in {color}.")
            else:
                confirm(f"The highlight is now {color} instead of {previous} (Ctrl+Z undoes it).")

        self.notes.add_annotation(
            doc.doc_id,
            start,
            end,
            side=side,
            color=color,
            translation=tt,
            on_added=added,
            on_replaced=replaced,
        )

    # --- the reader's context menu on a highlight ------------------------------------------------------------

    def highlight_at(self, position: int) -> int | None:
        """The annotation painted (in full colour) at a document position; the topmost one."""
        found = [
            ann_id
            for start, end, _color, kind, ann_id in self.view.highlight_ranges()
            if kind == "own" and start <= position < end
        ]
        return found[-1] if found else None

    def extend_menu(self, menu: QMenu, position: int) -> None:
        """Right-click on a highlight: recolour, edit note and tags, copy the quote with its reference, delete."""
        ann_id = self.highlight_at(position) if position >= 0 else None
        if ann_id is None:
            return
        menu.addSeparator()
        section = menu.addMenu("This highlight")
        section.setObjectName("thisHighlightMenu")
        colours = section.addMenu("&Colour")
        for name, (full, _light) in COLORS.items():
            action = colours.addAction(color_icon(full), name.capitalize())
            action.triggered.connect(lambda _c=False, n=name: self.recolor(ann_id, n))
        section.addAction("Edit &note and tags…").triggered.connect(lambda: self.edit_note(ann_id))
        section.addAction("Copy &quote with reference").triggered.connect(lambda: self.copy_quote(ann_id))
        section.addAction("&Delete highlight").triggered.connect(lambda: self.delete(ann_id))

    def recolor(self, ann_id: int, color: str) -> None:
        def done(ann: Annotation, before: str) -> None:
            if before != ann.color:
                self.sig_message.emit(
                    f"The highlight is now {ann.color} instead of {before} (Ctrl+Z undoes it)."
                )

        self.notes.recolor(ann_id, color, done)

    def edit_note(self, ann_id: int) -> None:
        self.sig_show_notes.emit()
        self.notes.select_annotation(ann_id, focus_note=True)

    def delete(self, ann_id: int) -> None:
        self.notes.delete_annotation(
            ann_id, lambda _ann: self.sig_message.emit("Deleted the highlight (Ctrl+Z brings it back).")
        )

    def copy_quote(self, ann_id: int) -> None:
        """The quoted text and where it comes from, on the clipboard."""
        title = self.view.document.title if self.view.document is not None else ""

        def done(ann: Annotation) -> None:
            from PySide6.QtGui import QGuiApplication

            text = quote_reference(ann.exact, title, ann.side)
            QGuiApplication.clipboard().setText(text)
            self.sig_message.emit("Copied the quote with its reference.")

        self.store.run(
            lambda store: store.get(ann_id), done, lambda exc: self.sig_message.emit(str(exc)), name="quote"
        )

    # --- painting ------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Repaint the open document's highlights soon (coalesced)."""
        self._paint_timer.start()

    def refresh_now(self) -> None:
        self._paint_timer.stop()
        self._translation_timer.stop()
        doc = self.view.document
        if doc is None or self.tasks.closed:
            return
        doc_id = doc.doc_id
        tt = self.translation_text()
        self.tasks.invalidate(PAINT_KEY)
        self.store.run(
            lambda store: compute_paint(store, doc_id, tt),
            self._on_paint,
            lambda exc: log.warning("highlights of document %s: %s", doc_id, exc),
            key=PAINT_KEY,
            name="paint highlights",
        )

    def _on_paint(self, result: PaintResult) -> None:
        doc = self.view.document
        if doc is None or doc.doc_id != result.doc_id:
            return
        self._translation_side = result.translation_side
        self.view.set_highlights(result.highlights)
        self.sig_painted.emit(result.doc_id)

    def _on_library_changed(self, change: LibraryChange) -> None:
        doc = self.view.document
        if doc is not None and change.kind in (ANNOTATIONS, LIBRARY) and change.concerns(doc.doc_id):
            self.refresh()

    def _on_rendered(self) -> None:
        # Original-side highlights follow new translations by themselves (the view re-maps them); the quotes
        # of translation-side ones must be looked for again in the grown translation text.
        if self._translation_side:
            self._translation_timer.start()

    def _on_document_opened(self, doc: Any) -> None:
        self._translation_side = False
        self.refresh_now()
        pending = self._pending_jump
        if pending is not None and pending[0] == doc.doc_id:
            self._pending_jump = None
            self._land(pending[1], pending[2], pending[3])

    # --- jumping -------------------------------------------------------------------------------------------

    def jump(self, doc_id: int, side: str, start: int, end: int, *, select: int | None = None) -> None:
        """Open ``doc_id`` if needed, scroll to the range and flash it (the notes panel's ``sig_jump``);
        ``select``: an annotation to make current in the notes panel once the document is open."""
        if side == "original":
            self.jump_to(doc_id, lambda: [HighlightPiece("original", start, end)], select=select)
            return

        def pieces() -> list[HighlightPiece]:
            current = self.notes.current
            if current is not None and (current.document, current.side, current.start, current.end) == (
                doc_id,
                side,
                start,
                end,
            ):  # where the quote was found in the translation as painted now
                for h in self.view.highlights():
                    if h.ann_id == current.id and h.kind == "own":
                        return list(h.pieces)
            tt = self.translation_text()
            return translation_pieces(tt, start, end) if tt is not None else []

        self.jump_to(doc_id, pieces, select=select)

    def jump_to_hit(self, hit: SearchHit) -> None:
        """A search result: the original sentence, the translation or the annotation whose note matched."""
        if hit.kind == "original":
            self.jump_to(
                hit.document, lambda: [HighlightPiece("original", hit.start, hit.end)], select_text=True
            )
        elif hit.kind == "translation" and hit.segment is not None:
            segment = int(hit.segment)
            self.jump_to(
                hit.document,
                lambda: [HighlightPiece("translation", hit.start, hit.end, segment)],
                select_text=True,
            )
        elif hit.annotation is not None:
            ann_id = int(hit.annotation)

            def found(ann: Annotation) -> None:
                if ann.orphaned:
                    self.jump_to(ann.document, list, select=ann.id)
                    self.sig_message.emit("This note's highlight is an orphan: its text is no longer there.")
                else:
                    self.jump(ann.document, ann.side, ann.start, ann.end, select=ann.id)

            self.store.run(
                lambda store: store.get(ann_id),
                found,
                lambda exc: self.sig_message.emit(str(exc)),
                name="find annotation",
            )

    def jump_to(
        self,
        doc_id: int,
        pieces: Callable[[], list[HighlightPiece]],
        *,
        select: int | None = None,
        select_text: bool = False,
    ) -> None:
        """Flash ``pieces()`` in ``doc_id``, opening it first if needed (``pieces`` is called once it is open);
        ``select_text``: also leave the text selected (a search hit: ready to copy or highlight)."""
        doc = self.view.document
        loaded = self.reader.loaded
        if doc is not None and doc.doc_id == doc_id and loaded is not None:
            self._land(pieces, select, select_text)
            return
        self._pending_jump = (doc_id, pieces, select, select_text)
        self.sig_open_document.emit(doc_id)

    def _land(
        self, pieces: Callable[[], list[HighlightPiece]], select: int | None, select_text: bool = False
    ) -> None:
        if select is not None:  # after the notes panel has followed the document
            self.notes.select_annotation(select)
        found = pieces()
        if found and not self.view.flash(found):
            self.sig_message.emit("That passage is not shown (its translation is not available).")
        elif found and select_text:
            self.view.select_pieces(found)


__all__ = ["HighlightController", "PaintResult", "compute_paint", "translation_pieces"]
