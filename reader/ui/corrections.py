"""Correcting a translation in the reader: edit in place, revert, accept a suggestion, pick an alternative.

F2, a double-click on a translation sentence, or "Edit translation…" in the context menu opens a one-line
editor over the sentence (Enter saves, Esc cancels, Ctrl+Z/Ctrl+Y undo and redo while typing). A corrected
sentence carries a discreet dotted underline (``ReaderView.corrected``). The context menu also offers "Revert to
machine translation", the same sentence's correction from another document ("from your corrections"), and
"Alternatives…" (the beam's n best, computed on the translation lane; choosing one makes it a correction).
Corrections are written on the store lane (:class:`reader.core.store.corrections.Corrections`); this module is
hooked into the window by one line in ``main_window.py``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction, QCursor, QKeyEvent, QKeySequence, QMouseEvent, QTextCursor
from PySide6.QtWidgets import QLineEdit, QMenu

from reader.ui.controller import ReaderController
from reader.ui.operations import store_resource
from reader.ui.reader import ReaderView
from reader.ui.tasks import TaskManager

SUGGESTION_LABEL_CHARS = 48


class InlineEditor(QLineEdit):
    """The one-line editor shown over a translation sentence; Esc (or leaving it) cancels."""

    sig_cancel = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.sig_cancel.emit()
            return
        super().keyPressEvent(event)


class CorrectionEditor(QObject):
    """Human corrections in the reader view; see the module docstring."""

    sig_saved = Signal(int, int)  # document id, sentence: a correction was stored (or accepted)
    sig_reverted = Signal(int, int)
    sig_alternatives = Signal(int, object)  # sentence, list of engine.Alternative
    sig_failed = Signal(str)

    def __init__(self, tasks: TaskManager, view: ReaderView, controller: ReaderController) -> None:
        super().__init__(view)
        self.tasks = tasks
        self.view = view
        self.controller = controller
        self.corrections: dict[int, Any] = {}
        self.suggestions: dict[int, Any] = {}
        self.editor: InlineEditor | None = None
        self.editing: int | None = None
        self.edit_action = QAction("&Edit translation…", view)
        self.edit_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.edit_action.setStatusTip("Correct the machine translation of the current sentence (F2)")
        self.edit_action.triggered.connect(self._edit_current)
        view.addAction(self.edit_action)
        controller.sig_document_opened.connect(self._on_document_opened)
        view.text_view.sig_context_menu.connect(self._on_context_menu)
        view.text_view.viewport().installEventFilter(self)

    # --- state -----------------------------------------------------------------------------------------------

    def _on_document_opened(self, _document: object) -> None:
        self.cancel_edit()
        loaded = self.controller.loaded
        self.corrections = dict(loaded.corrections) if loaded is not None else {}
        self.suggestions = dict(loaded.suggestions) if loaded is not None else {}

    def machine_text(self, s_index: int) -> str | None:
        """The machine translation a correction of ``s_index`` replaces."""
        found = self.corrections.get(s_index)
        if found is not None:
            machine: str | None = found.machine
            return machine
        return self.view.translations.get(s_index)

    # --- editing in place ------------------------------------------------------------------------------------

    def _edit_current(self) -> None:
        s_index = self.view.current_sentence
        if s_index is None:
            s_index = self.view.hover_sentence
        if s_index is not None:
            self.start_edit(s_index)

    def _sentence_rect(self, s_index: int) -> QRect:
        text = self.view.text_view
        start, _end = self.view.translation_range(s_index)
        cursor = QTextCursor(text.document())
        cursor.setPosition(start)
        rect = text.cursorRect(cursor)
        width = max(240, text.viewport().width() - rect.left() - 8)
        return QRect(rect.left(), rect.top(), width, rect.height() + 8)

    def start_edit(self, s_index: int) -> InlineEditor | None:
        """Open the editor over sentence ``s_index``'s translation (only once it has one)."""
        if self.view.document is None or s_index not in self.view.translations:
            return None
        self.cancel_edit()
        self.view.scroll_to_sentence(s_index)
        self.view.flush_translations()
        editor = InlineEditor(self.view.text_view.viewport())
        editor.setObjectName("translationEditor")
        editor.setAccessibleName("Edit the translation of this sentence")
        editor.setText(self.view.translations[s_index])
        editor.selectAll()
        editor.setGeometry(self._sentence_rect(s_index))
        editor.returnPressed.connect(self.commit_edit)
        editor.sig_cancel.connect(self.cancel_edit)
        editor.show()
        editor.setFocus()
        self.editor, self.editing = editor, s_index
        return editor

    def commit_edit(self) -> None:
        editor, s_index = self.editor, self.editing
        if editor is None or s_index is None:
            return
        text = editor.text().strip()
        self.cancel_edit()
        if text and text != self.view.translations.get(s_index):
            self.save(s_index, text)

    def cancel_edit(self) -> None:
        editor = self.editor
        self.editor, self.editing = None, None
        if editor is not None:
            editor.hide()
            editor.deleteLater()
            self.view.focus_text()

    # --- storing ---------------------------------------------------------------------------------------------

    def save(self, s_index: int, text: str) -> None:
        """Store ``text`` as the human translation of sentence ``s_index`` (store lane)."""
        doc, loaded = self.view.document, self.controller.loaded
        if doc is None:
            return
        doc_id, target, machine = doc.doc_id, doc.target_lang, self.machine_text(s_index)
        model = str(loaded.route.model_id) if loaded is not None and loaded.route is not None else None
        previous = self.corrections.get(s_index)
        if previous is not None:
            model = previous.model

        def work(store: Any) -> Any:
            from reader.core.store.corrections import Corrections

            return Corrections(store.library).set(
                doc_id, s_index, text, target_lang=target, machine=machine, model=model
            )

        def done(correction: Any) -> None:
            if self.view.document is None or self.view.document.doc_id != doc_id:
                return
            self.corrections[s_index] = correction
            self.suggestions.pop(s_index, None)
            self.view.set_corrected(s_index, True)
            self.view.set_translations({s_index: correction.text})
            self.view.flush_translations()
            self.sig_saved.emit(doc_id, s_index)

        store_resource(self.tasks).run(work, done, self._failed, name="correct a translation")

    def revert(self, s_index: int) -> None:
        """Back to the machine translation (translated again if none was known)."""
        doc = self.view.document
        if doc is None or s_index not in self.corrections:
            return
        doc_id, target = doc.doc_id, doc.target_lang

        def work(store: Any) -> Any:
            from reader.core.store.corrections import Corrections

            return Corrections(store.library).revert(doc_id, s_index, target)

        def done(removed: Any) -> None:
            if self.view.document is None or self.view.document.doc_id != doc_id:
                return
            self.corrections.pop(s_index, None)
            self.view.set_corrected(s_index, False)
            if removed.machine:
                self.view.set_translations({s_index: removed.machine})
            else:
                self.view.translations.pop(s_index, None)
                self.controller.translate()
            self.view.flush_translations()
            self.sig_reverted.emit(doc_id, s_index)

        store_resource(self.tasks).run(work, done, self._failed, name="revert a correction")

    def _failed(self, exc: BaseException) -> None:
        self.sig_failed.emit(str(exc))
        self.view.banner.set_message(str(exc))

    # --- alternatives ----------------------------------------------------------------------------------------

    def show_alternatives(self, s_index: int, *, popup: bool = True) -> None:
        """Compute the n best translations of sentence ``s_index`` on the translation lane, then offer them."""
        doc = self.view.document
        if doc is None:
            return
        text = doc.sentence_text(s_index)
        lang = doc.sentence_languages()[s_index] or doc.lang
        target = doc.target_lang

        def work(engine: Any) -> Any:
            return engine.alternatives(text, lang, target)

        def done(found: Any) -> None:
            self.sig_alternatives.emit(s_index, found)
            if popup and found:
                menu = QMenu(self.view)
                menu.setObjectName("alternativesMenu")
                for alternative in found:
                    action = menu.addAction(alternative.text)
                    action.triggered.connect(lambda _checked=False, t=alternative.text: self.save(s_index, t))
                start, _end = self.view.translation_range(s_index)
                point = self.view.viewport_point_of(start)
                menu.popup(self.view.text_view.viewport().mapToGlobal(point))

        self.controller.engine.run(work, done, self._failed, name="alternatives")

    # --- menu and mouse --------------------------------------------------------------------------------------

    def fill_menu(self, menu: QMenu, s_index: int | None) -> None:
        """Add the correction actions for sentence ``s_index`` to ``menu``."""
        if s_index is None or self.view.document is None:
            return
        menu.addSeparator()
        if s_index in self.view.translations:
            edit = menu.addAction("&Edit translation…")
            edit.triggered.connect(lambda: self.start_edit(s_index))
        if s_index in self.corrections:
            revert = menu.addAction("&Revert to machine translation")
            revert.triggered.connect(lambda: self.revert(s_index))
        suggestion = self.suggestions.get(s_index)
        if suggestion is not None:
            label = suggestion.text
            if len(label) > SUGGESTION_LABEL_CHARS:
                label = label[: SUGGESTION_LABEL_CHARS - 1] + "…"
            accept = menu.addAction(f"Use “{label}” (from your corrections)")
            accept.triggered.connect(lambda: self.save(s_index, suggestion.text))
        if self.controller.loaded is not None and self.controller.loaded.route is not None:
            alternatives = menu.addAction("&Alternatives…")
            alternatives.triggered.connect(lambda: self.show_alternatives(s_index))

    def _on_context_menu(self, menu: QMenu) -> None:
        point = self.view.text_view.viewport().mapFromGlobal(QCursor.pos())
        s_index = self.view.sentence_at_point(point)
        self.fill_menu(menu, s_index if s_index is not None else self.view.current_sentence)

    def sentence_for_double_click(self, point: QPoint) -> int | None:
        """The translation sentence under a viewport point (None over the original or empty space)."""
        position = self.view.text_view.cursorForPosition(point).position()
        if self.view.side_at_position(position) != "translation":
            return None
        return self.view.sentence_at_position(position)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonDblClick and isinstance(event, QMouseEvent):
            point = event.position().toPoint()
            s_index = self.sentence_for_double_click(point)
            if s_index is not None and s_index in self.view.translations:
                self.start_edit(s_index)
                return True
        return super().eventFilter(watched, event)
