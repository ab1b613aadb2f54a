"""The notes panel: the current document's highlights and notes, or the whole library's.

Filter by colour, tag and text; click (or Enter) to jump; edit the colour, tags and note (the note autosaves,
debounced, so a crash loses at most the last moment of typing); delete with undo (Ctrl+Z). Orphans — highlights
whose text disappeared when a corrected file was imported — are listed with a warning sign and cannot be jumped to.

Every database call is an operation on the window's store lane (:func:`reader.ui.operations.store_resource`: one
thread that owns its own :class:`~reader.core.store.library.Library`), in submission order, so saves never overtake
each other and the GUI thread never waits for SQLite. Each change is announced on the window's
:class:`~reader.ui.operations.LibraryEvents`; the panel lists again when someone else changed annotations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.store.annotations import (
    COLORS,
    Annotation,
    AnnotationError,
    Annotations,
    TranslationText,
    trim_range,
)
from reader.ui.operations import (
    ANNOTATIONS,
    LIBRARY,
    STORE_LANE,
    LibraryChange,
    LibraryEvents,
    store_resource,
)
from reader.ui.tasks import TaskManager
from reader.ui.texts import is_rtl

LANE = STORE_LANE
AUTOSAVE_MS = 500
STATUS_MS = 5000  # how long the panel's save/undo message stays
ROLE_ANNOTATION = Qt.ItemDataRole.UserRole + 1


def color_icon(name: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(COLORS[name][0]))
    return QIcon(pixmap)


def _isolate(text: str) -> str:
    """``text`` as a bidi isolate with its own direction (FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE)."""
    return f"\u2068{text}\u2069"


def _one_line(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class NotesPanel(QWidget):
    """Lists and edits annotations; tells the window where to jump and when a document's highlights changed."""

    sig_jump = Signal(int, str, int, int)  # document id, side ("original"/"translation"), start, end
    sig_annotations_changed = Signal(int)  # document id whose highlights must be repainted
    sig_error = Signal(str)  # one sentence for the status bar

    def __init__(
        self,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        autosave_ms: int = AUTOSAVE_MS,
        events: LibraryEvents | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self.setAccessibleName("Notes")
        self.tasks = tasks
        self.store = store_resource(tasks)
        self.events = events if events is not None else LibraryEvents(self)
        self._list_key = f"notes-list-{id(self)}"  # a newer listing drops an older one of this panel only
        self.document: int | None = None
        self.current: Annotation | None = None
        self._undo: list[tuple[str, Callable[[Annotations], Any]]] = []
        self._loading = False
        self._generation = 0
        self._want_select: tuple[int, bool] | None = None  # (annotation id, focus the note) after a refresh

        self.scope = QComboBox()
        self.scope.addItem("This document", "document")
        self.scope.addItem("Whole library", "library")
        self.scope.setAccessibleName("Show notes of")
        self.color_filter = QComboBox()
        self.color_filter.addItem("All colours", None)
        for name in COLORS:
            self.color_filter.addItem(color_icon(name), name.capitalize(), name)
        self.color_filter.setAccessibleName("Filter by colour")
        self.tag_filter = QComboBox()
        self.tag_filter.addItem("All tags", None)
        self.tag_filter.setAccessibleName("Filter by tag")
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filter notes…")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setAccessibleName("Filter by text")
        self.orphans_filter = QCheckBox("Orphans")
        self.orphans_filter.setToolTip(
            "Only highlights whose text is no longer in the document (it changed when the file was imported "
            "again); they keep their quote and note"
        )
        self.orphans_filter.setAccessibleName("Show only orphaned highlights")

        self.list = QListWidget()
        self.list.setAccessibleName("Highlights and notes")
        self.list.setWordWrap(True)

        self.color_edit = QComboBox()
        for name in COLORS:
            self.color_edit.addItem(color_icon(name), name.capitalize(), name)
        self.color_edit.setAccessibleName("Colour")
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("tags, separated by commas")
        self.tags_edit.setAccessibleName("Tags")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("Note")
        self.note_edit.setAccessibleName("Note")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setAccessibleName("Delete highlight")
        self.status = QLabel("")
        self.status.setAccessibleName("Save status")
        self._status_timer = QTimer(self)  # a message says what just happened, then goes (never stale)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(STATUS_MS)
        self._status_timer.timeout.connect(self.status.clear)

        filters = QHBoxLayout()
        filters.addWidget(self.scope)
        filters.addWidget(self.color_filter)
        filters.addWidget(self.tag_filter)
        editor_row = QHBoxLayout()
        editor_row.addWidget(self.color_edit)
        editor_row.addWidget(self.tags_edit, 1)
        editor_row.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        text_row = QHBoxLayout()
        text_row.addWidget(self.text_filter, 1)
        text_row.addWidget(self.orphans_filter)
        layout.addLayout(text_row)
        layout.addWidget(self.list, 3)
        layout.addLayout(editor_row)
        layout.addWidget(self.note_edit, 1)
        layout.addWidget(self.status)

        self.undo_action = QAction("Undo", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo)
        self.addAction(self.undo_action)
        self.delete_action = QAction("Delete", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_current)
        self.list.addAction(self.delete_action)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(autosave_ms)
        self._autosave.timeout.connect(self.save_note)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(self.refresh)

        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.color_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tag_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.orphans_filter.toggled.connect(lambda _on: self.refresh())
        self.text_filter.textChanged.connect(lambda _t: self._filter_timer.start())
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.itemActivated.connect(self._on_activated)
        self.list.itemClicked.connect(self._on_activated)
        self.note_edit.textChanged.connect(self._on_note_typed)
        self.tags_edit.editingFinished.connect(self._save_tags)
        self.color_edit.currentIndexChanged.connect(self._save_color)
        self.delete_button.clicked.connect(self.delete_current)
        self._set_editor(None)
        # What this panel changes, the window hears of; what others change, this panel lists again.
        self.sig_annotations_changed.connect(lambda doc_id: self.events.changed(ANNOTATIONS, doc_id, self))
        self.events.sig_changed.connect(self._on_library_changed)

    # --- running on the notes lane ----------------------------------------------------------------------------

    def _run(
        self,
        work: Callable[[Annotations], Any],
        on_success: Callable[[Any], None] | None = None,
        *,
        key: str | None = None,
    ) -> None:
        self.store.run(work, on_success, self._on_failure, key=key, name="notes")

    def _on_library_changed(self, change: LibraryChange) -> None:
        """Someone else changed annotations or documents (imported notes, removed a document): list again."""
        if change.origin is self:
            return
        if (
            change.kind in (ANNOTATIONS, LIBRARY)
            or self.scope.currentData() == "library"
            or change.concerns(self.document)
        ):
            self.refresh()

    def _on_failure(self, exc: BaseException) -> None:
        message = str(exc) or exc.__class__.__name__
        self._say(message)
        self.sig_error.emit(message)

    # --- public ---------------------------------------------------------------------------------------------

    def set_document(self, doc_id: int | None) -> None:
        """The document the reader shows (the panel lists its notes unless "Whole library" is chosen)."""
        self.save_note()
        self.document = doc_id
        self.refresh()

    def refresh(self) -> None:
        """Reload the list with the current filters (stale answers are dropped)."""
        self.tasks.invalidate(self._list_key)
        scope_doc = self.document if self.scope.currentData() == "document" else None
        if self.scope.currentData() == "document" and scope_doc is None:
            self._populate(([], []))
            return
        color = self.color_filter.currentData()
        tag = self.tag_filter.currentData()
        text = self.text_filter.text().strip() or None
        orphaned = True if self.orphans_filter.isChecked() else None

        def work(store: Annotations) -> tuple[list[Annotation], list[tuple[str, int]]]:
            return store.find(scope_doc, color=color, tag=tag, text=text, orphaned=orphaned), store.tags()

        self._run(work, self._populate, key=self._list_key)

    def add_annotation(
        self,
        doc_id: int,
        start: int,
        end: int,
        *,
        side: str = "original",
        color: str = "yellow",
        note: str = "",
        tags: Iterable[str] = (),
        translation: TranslationText | None = None,
        on_added: Callable[[Annotation], None] | None = None,
        on_replaced: Callable[[Annotation, str], None] | None = None,
    ) -> None:
        """Create a highlight (the reader view's selection + colour key 1–8); undoable.

        A highlight of exactly the same range (same side, same translation model) is not stacked: it takes the
        new colour (``on_replaced(annotation, previous colour)``, else ``on_added``); undo brings the colour
        back."""
        tag_list = list(tags)

        def work(store: Annotations) -> tuple[Annotation, str | None]:
            text = (
                store.library.get(doc_id).text
                if side == "original"
                else translation.text
                if translation
                else ""
            )
            try:
                wanted = trim_range(text, start, end)
            except AnnotationError:
                wanted = None  # store.add says what is wrong with the range
            model = translation.model_id if translation is not None and side == "translation" else None
            for existing in store.find(doc_id, side=side, orphaned=False):
                if (existing.start, existing.end) == wanted and existing.model == model:
                    previous = existing.color
                    return store.update(existing.id, color=color), previous
            added = store.add(
                doc_id, start, end, side=side, color=color, note=note, tags=tag_list, translation=translation
            )
            return added, None

        def done(result: tuple[Annotation, str | None]) -> None:
            ann, previous = result
            if previous is None:
                self._push_undo("add", lambda store: store.delete(ann.id))
            else:
                self._push_undo("colour", lambda store: store.update(ann.id, color=previous))
            self.sig_annotations_changed.emit(ann.document)
            if self._want_select is None or self._want_select[0] != ann.id:
                self._want_select = (ann.id, False)
            self.refresh()
            if previous is not None and on_replaced is not None:
                on_replaced(ann, previous)
            elif on_added is not None:
                on_added(ann)

        self._run(work, done)

    def select_annotation(self, ann_id: int, *, focus_note: bool = False) -> None:
        """Make an annotation the current one (once it is listed) and optionally put the cursor in its note."""
        self._want_select = (ann_id, focus_note)
        if not self._select_wanted():
            self.refresh()

    def _select_wanted(self) -> bool:
        if self._want_select is None:
            return False
        ann_id, focus_note = self._want_select
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ROLE_ANNOTATION).id == ann_id:
                self._want_select = None
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item)
                if focus_note:
                    self.note_edit.setFocus()
                return True
        return False

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self._status_timer.start()

    def clear_undo(self) -> None:
        """Forget what could be undone (the library was replaced by a backup: those ids mean nothing now)."""
        self._undo.clear()
        self.undo_action.setEnabled(False)

    def undo(self) -> None:
        if not self._undo:
            return
        self.save_note()
        _label, action = self._undo.pop()
        self.undo_action.setEnabled(bool(self._undo))

        def done(result: Any) -> None:
            doc = getattr(result, "document", None)
            if doc is not None:
                self.sig_annotations_changed.emit(doc)
            self._say("Undone")
            self.refresh()

        self._run(action, done)

    def delete_current(self) -> None:
        ann = self.current
        if ann is None:
            return
        self._autosave.stop()
        pending_note = self.note_edit.toPlainText()

        def work(store: Annotations) -> Annotation:
            if pending_note != store.get(ann.id).note:  # keep what was typed, so undo brings it back too
                store.update(ann.id, note=pending_note)
            return store.delete(ann.id)

        def done(deleted: Annotation) -> None:
            self._push_undo("delete", lambda store: store.restore(deleted))
            self._say("Deleted — Ctrl+Z brings it back")
            self.sig_annotations_changed.emit(deleted.document)
            self.current = None
            self.refresh()

        self._run(work, done)

    def delete_annotation(self, ann_id: int, on_done: Callable[[Annotation], None] | None = None) -> None:
        """Delete a highlight from elsewhere (the reader's context menu); undoable like the panel's Delete."""
        if self.current is not None and self.current.id == ann_id:
            self.save_note()  # what was typed in its note comes back with an undo

        def done(deleted: Annotation) -> None:
            self._push_undo("delete", lambda store: store.restore(deleted))
            self._say("Deleted — Ctrl+Z brings it back")
            self.sig_annotations_changed.emit(deleted.document)
            if self.current is not None and self.current.id == ann_id:
                self.current = None
            self.refresh()
            if on_done is not None:
                on_done(deleted)

        self._run(lambda store: store.delete(ann_id), done)

    def recolor(
        self, ann_id: int, color: str, on_done: Callable[[Annotation, str], None] | None = None
    ) -> None:
        """Give a highlight another colour (the reader's context menu); undoable."""

        def work(store: Annotations) -> tuple[Annotation, str]:
            before = store.get(ann_id).color
            return store.update(ann_id, color=color), before

        def done(result: tuple[Annotation, str]) -> None:
            updated, before = result
            if before != updated.color:
                self._push_undo("colour", lambda store: store.update(ann_id, color=before))
            if self.current is not None and self.current.id == updated.id:
                self.current = updated
            self._replace_item(updated)
            self.sig_annotations_changed.emit(updated.document)
            if on_done is not None:
                on_done(updated, before)

        self._run(work, done)

    def save_note(self) -> None:
        """Save the note being typed now (the autosave timer calls this; so do selection changes)."""
        self._autosave.stop()
        ann = self.current
        if ann is None or self._loading:
            return
        text = self.note_edit.toPlainText()
        if text == ann.note:
            return
        before = ann.note
        self._update(
            ann,
            "note",
            lambda store: store.update(ann.id, note=text),
            lambda s: s.update(ann.id, note=before),
        )

    def close_store(self) -> None:
        """Flush the pending save and close the lane's library connection (window closing)."""
        self.save_note()

        self.store.close()

    def annotations(self) -> list[Annotation]:
        """The annotations currently listed (in list order)."""
        return [self.list.item(i).data(ROLE_ANNOTATION) for i in range(self.list.count())]

    # --- internals ------------------------------------------------------------------------------------------

    def _push_undo(self, label: str, action: Callable[[Annotations], Any]) -> None:
        self._undo.append((label, action))
        del self._undo[:-100]
        self.undo_action.setEnabled(True)

    def _update(
        self,
        ann: Annotation,
        label: str,
        work: Callable[[Annotations], Annotation],
        revert: Callable[[Annotations], Any],
    ) -> None:
        self._say("Saving…")

        def done(updated: Annotation) -> None:
            self._push_undo(label, revert)
            if self.current is not None and self.current.id == updated.id:
                self.current = updated
            self._replace_item(updated)
            self._say("Saved")
            self.sig_annotations_changed.emit(updated.document)

        self._run(work, done)

    def _populate(self, result: tuple[list[Annotation], list[tuple[str, int]]]) -> None:
        anns, tags = result
        keep = self.current.id if self.current is not None else None
        self._loading = True
        try:
            chosen_tag = self.tag_filter.currentData()
            self.tag_filter.blockSignals(True)
            self.tag_filter.clear()
            self.tag_filter.addItem("All tags", None)
            for tag, count in tags:
                self.tag_filter.addItem(f"{tag} ({count})", tag)
            index = self.tag_filter.findData(chosen_tag) if chosen_tag is not None else 0
            self.tag_filter.setCurrentIndex(max(0, index))
            self.tag_filter.blockSignals(False)
            self.list.blockSignals(True)
            self.list.clear()
            selected = None
            for ann in anns:
                item = QListWidgetItem()
                self._fill_item(item, ann)
                self.list.addItem(item)
                if ann.id == keep:
                    selected = item
            self.list.blockSignals(False)
        finally:
            self._loading = False
        if self._select_wanted():
            return
        self._want_select = None  # filtered out: do not jump to it on some later refresh
        if selected is not None:
            self.list.setCurrentItem(selected)
        else:
            self._set_editor(None)

    def _fill_item(self, item: QListWidgetItem, ann: Annotation) -> None:
        # The item is one bidi paragraph whose direction Qt takes from its first strong letter: each piece of
        # user text is isolated (FSI … PDI), so a Persian quote neither turns the English note below it
        # right-to-left nor reorders "27 September" around the ✎.
        lines = [("⚠ Orphan: " if ann.orphaned else "") + _isolate(_one_line(ann.exact, 120))]
        if ann.note:
            lines.append("✎ " + _isolate(_one_line(ann.note, 120)))
        if ann.tags:
            lines.append(" ".join(f"#{_isolate(t)}" for t in ann.tags))
        if self.scope.currentData() == "library":
            lines.append(f"document {ann.document}")
        item.setText("\n".join(lines))
        # the quote leads the item: a Persian or Arabic quote is read from the right edge
        edge = Qt.AlignmentFlag.AlignRight if is_rtl(ann.exact) else Qt.AlignmentFlag.AlignLeft
        item.setTextAlignment(edge | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        item.setIcon(color_icon(ann.color))
        item.setData(ROLE_ANNOTATION, ann)
        tip = ann.note or ann.exact
        if ann.orphaned:
            tip = (
                "This text is no longer in the document (it changed when the file was imported again).\n\n"
                + tip
            )
        item.setToolTip(tip)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, item.text())

    def _replace_item(self, ann: Annotation) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ROLE_ANNOTATION).id == ann.id:
                self._fill_item(item, ann)
                return

    def _set_editor(self, ann: Annotation | None) -> None:
        self._loading = True
        try:
            self.current = ann
            enabled = ann is not None
            for widget in (self.color_edit, self.tags_edit, self.note_edit, self.delete_button):
                widget.setEnabled(enabled)
            self.color_edit.setCurrentIndex(max(0, self.color_edit.findData(ann.color)) if ann else 0)
            self.tags_edit.setText(", ".join(ann.tags) if ann else "")
            self.note_edit.setPlainText(ann.note if ann else "")
        finally:
            self._loading = False

    def _on_current_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self.save_note()
        self._set_editor(item.data(ROLE_ANNOTATION) if item is not None else None)

    def _on_activated(self, item: QListWidgetItem) -> None:
        ann: Annotation = item.data(ROLE_ANNOTATION)
        if ann.orphaned:
            self._say("This highlight's text is no longer in the document.")
            return
        self.sig_jump.emit(ann.document, ann.side, ann.start, ann.end)

    def _on_note_typed(self) -> None:
        if not self._loading and self.current is not None:
            self._say("Editing…")
            self._autosave.start()

    def _save_tags(self) -> None:
        ann = self.current
        if ann is None or self._loading:
            return
        tags = [t.strip() for t in self.tags_edit.text().split(",") if t.strip()]
        if tuple(tags) == ann.tags:
            return
        before = list(ann.tags)
        self._update(
            ann,
            "tags",
            lambda store: store.update(ann.id, tags=tags),
            lambda s: s.update(ann.id, tags=before),
        )

    def _save_color(self, _index: int) -> None:
        ann = self.current
        if ann is None or self._loading:
            return
        color = self.color_edit.currentData()
        if color == ann.color:
            return
        before = ann.color
        self._update(
            ann,
            "colour",
            lambda store: store.update(ann.id, color=color),
            lambda s: s.update(ann.id, color=before),
        )
