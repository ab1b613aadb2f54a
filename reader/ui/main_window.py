"""Main window: composes the library panel, the reader view and the status bar; menus; settings.

It knows little: the controller opens and translates documents, the panels draw, the task manager runs every
job off the GUI thread. Settings (geometry, splitter, last document, reading position, view options) are read
once here and handed to the widgets, and written back when the window closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QSplitter, QWidget

from reader.ui.controller import EngineFactory, ReaderController
from reader.ui.library_panel import LibraryPanel
from reader.ui.reader_view import ReaderView
from reader.ui.status import StatusBar
from reader.ui.tasks import TaskContext, TaskManager

log = logging.getLogger(__name__)

IMPORT_FILTER = "Articles (*.txt *.text *.md *.markdown *.html *.htm *.xhtml);;All files (*)"


class LibraryListing:
    """What the library task returns: the documents and their note counts."""

    def __init__(self, documents: list[Any], notes: dict[int, int]) -> None:
        self.documents = documents
        self.notes = notes


def read_library(_ctx: TaskContext) -> LibraryListing:
    """Worker side: open the library (importing the seeds on first run) and list it."""
    from reader.core.library import Library

    with Library() as library:
        documents = library.documents()
        notes: dict[int, int] = {}
        try:
            from reader.core.annotations import Annotations

            annotations = Annotations(library)
            for ann in annotations.list():
                if ann.note:
                    notes[ann.document] = notes.get(ann.document, 0) + 1
        except Exception as exc:  # notes are an extra: a problem there must not hide the library
            log.warning("could not count notes: %s", exc)
        for doc in documents:
            notes.setdefault(doc.id, 0)
    return LibraryListing(documents, notes)


def translated_shares(
    doc_ids: list[int], target: str, engine_factory: EngineFactory, memory: Any
) -> dict[int, float]:
    """Worker side: the share of each document's sentences already in the translation memory."""
    from reader.core.library import Library

    shares: dict[int, float] = {}
    engine = engine_factory(memory)
    try:
        with Library(seed=False) as library:
            for doc_id in doc_ids:
                doc = library.get(doc_id)
                texts = [doc.text[s.start : s.end] for s in library.segments(doc_id)]
                if texts:
                    shares[doc_id] = len(engine.cached(texts, doc.lang, target)) / len(texts)
    finally:
        engine.close()
    return shares


class MainWindow(QMainWindow):
    sig_library_loaded = Signal()
    sig_settled = Signal()  # the open document is readable and its visible part translated (or banner shown)

    def __init__(
        self,
        settings: QSettings,
        tasks: TaskManager | None = None,
        *,
        initial_document: str | None = None,
        engine_factory: EngineFactory | None = None,
        save_settings: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Yanyana")
        self.setAccessibleName("Yanyana")
        self.setAcceptDrops(True)
        self.settings = settings
        self.save_settings_on_close = save_settings
        self.tasks = tasks or TaskManager(self)
        self.tasks.sig_unhandled_error.connect(self._show_error)
        self.initial_document = initial_document
        self.documents: list[Any] = []
        self.library_loaded = False

        self.library_panel = LibraryPanel(self)
        self.reader = ReaderView(self)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.library_panel)
        self.splitter.addWidget(self.reader)
        self.splitter.setCollapsible(0, True)
        self.splitter.setCollapsible(1, False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([340, 940])
        self.setCentralWidget(self.splitter)
        self.controller = ReaderController(
            self.tasks, self.reader, self.status, engine_factory=engine_factory
        )

        self.actions: dict[str, QAction] = {}
        self._build_menus()
        self._restore_settings()

        self.library_panel.sig_open.connect(self.open_document)
        self.library_panel.sig_import_clicked.connect(self.ask_import)
        self.library_panel.sig_import_files.connect(self.import_paths)
        self.library_panel.sig_remove.connect(self.remove_document)
        self.controller.sig_document_opened.connect(self._on_document_opened)
        self.controller.sig_settled.connect(self.sig_settled)
        self.controller.sig_translated_share.connect(self.library_panel.set_translated_share)
        self.reader.sig_zoom_changed.connect(lambda steps: self.settings.setValue("reader/zoom", steps))

    # --- menus ---------------------------------------------------------------------------------------------

    def _action(
        self,
        key: str,
        text: str,
        slot: Callable[..., Any],
        shortcut: QKeySequence | str | QKeySequence.StandardKey | list[Any] | None = None,
        *,
        checkable: bool = False,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            elif isinstance(shortcut, QKeySequence.StandardKey):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden (full screen)
        self.actions[key] = action
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(
            self._action("import", "&Import…", self.ask_import, QKeySequence.StandardKey.Open)
        )
        file_menu.addAction(
            self._action("remove", "&Remove document…", self.library_panel.confirm_remove, "Ctrl+Delete")
        )
        file_menu.addSeparator()
        file_menu.addAction(self._action("models", "Translation &models…", self.show_models, "Ctrl+M"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("quit", "&Quit", self.close, QKeySequence.StandardKey.Quit))

        view = bar.addMenu("&View")
        library = self._action("library", "Show &library", self.set_library_visible, "Ctrl+L", checkable=True)
        library.setChecked(True)
        view.addAction(library)
        view.addAction(
            self._action("swap", "&Swap sides", self.reader.set_swapped, "Ctrl+Shift+S", checkable=True)
        )
        view.addAction(
            self._action("interlinear", "&Interlinear", self.reader.set_interlinear, "Ctrl+I", checkable=True)
        )
        view.addSeparator()
        view.addAction(
            self._action("zoom_in", "Zoom &in", lambda: self.reader.zoom_by(1), ["Ctrl++", "Ctrl+="])
        )
        view.addAction(self._action("zoom_out", "Zoom &out", lambda: self.reader.zoom_by(-1), "Ctrl+-"))
        view.addAction(self._action("zoom_reset", "&Normal size", lambda: self.reader.set_zoom(0), "Ctrl+0"))
        view.addSeparator()
        view.addAction(
            self._action("fullscreen", "&Full screen", self.toggle_full_screen, "F11", checkable=True)
        )

        go = bar.addMenu("&Go")
        go.addAction(self._action("next", "&Next sentence (↓)", lambda: self.reader.step(1), "J"))
        go.addAction(self._action("previous", "&Previous sentence (↑)", lambda: self.reader.step(-1), "K"))
        go.addSeparator()
        go.addAction(self._action("find", "&Find…", self.reader.open_find, QKeySequence.StandardKey.Find))
        go.addAction(self._action("find_next", "Find ne&xt", lambda: self.reader.find_step(1), "F3"))
        go.addAction(
            self._action("find_previous", "Find pre&vious", lambda: self.reader.find_step(-1), "Shift+F3")
        )

        translation = bar.addMenu("&Translation")
        translation.addAction(
            self._action("translate", "&Translate document", self.controller.translate, "Ctrl+T")
        )
        translation.addAction(self._action("cancel", "&Stop translating", self.controller.cancel, "Ctrl+."))
        translation.addSeparator()
        translation.addAction(
            self._action(
                "install_model",
                "&Install model from file…",
                self.controller._ask_install_from_file,
                tip="Install an .argosmodel file",
            )
        )
        translation.addAction(
            self._action(
                "download_model",
                "&Download model for this document…",
                self.controller.download_current_pair,
                tip="Uses the network",
            )
        )
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("about", "&About Yanyana", self.show_about))

    # --- settings ------------------------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and not self.restoreGeometry(QByteArray(geometry)):
            log.info("window geometry not restored")
        if geometry is None:
            self.resize(1280, 800)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(splitter))
        self.set_library_visible(_bool(s.value("window/library_visible", True)))
        self.reader.set_zoom(_int(s.value("reader/zoom", 0)))
        swapped = _bool(s.value("reader/swapped", False))
        interlinear = _bool(s.value("reader/interlinear", False))
        self.actions["swap"].setChecked(swapped)
        self.actions["interlinear"].setChecked(interlinear)
        self.reader.swapped = swapped
        self.reader.interlinear = interlinear

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/library_visible", self.library_panel.isVisible())
        s.setValue("reader/zoom", self.reader.zoom)
        s.setValue("reader/swapped", self.reader.swapped)
        s.setValue("reader/interlinear", self.reader.interlinear)
        self._save_position()
        s.sync()

    def _save_position(self) -> None:
        doc = self.reader.document
        if doc is None:
            return
        self.settings.setValue("reader/last_document", doc.doc_id)
        top = self.reader.top_sentence()
        if top is not None:
            self.settings.setValue(f"positions/{doc.doc_id}", top)

    def saved_position(self, doc_id: int) -> int | None:
        value = self.settings.value(f"positions/{doc_id}")
        return _int(value) if value is not None else None

    # --- startup -------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Read the library off the GUI thread, then open the document to show."""
        self.status.showMessage("Opening the library…")
        self.reader.clear("Opening the library…")
        self.tasks.run(read_library, on_success=self._on_library, on_failure=self._on_library_failed)

    def _on_library_failed(self, exc: BaseException) -> None:
        self.reader.clear(str(exc))
        self.status.showMessage(str(exc))
        self.sig_settled.emit()

    def _on_library(self, listing: LibraryListing, open_after: int | None = None) -> None:
        first_time = not self.library_loaded
        self.documents = listing.documents
        self.library_panel.set_documents(listing.documents)
        self.library_panel.set_note_counts(listing.notes)
        self.library_loaded = True
        self.status.clearMessage()
        self.sig_library_loaded.emit()
        target = open_after
        if first_time and target is None:
            target = self._initial_document_id()
        # The document first; the translated shares (a cache lookup per document) only once it is shown.
        QTimer.singleShot(300, self._refresh_shares)
        if target is not None:
            self.open_document(target)
        elif not self.documents:
            self.reader.clear(
                "The library is empty. Import an article with File ▸ Import… or drop files here."
            )
            self.sig_settled.emit()

    def _initial_document_id(self) -> int | None:
        ids = [int(d.id) for d in self.documents]
        wanted = self.initial_document
        if wanted is not None:
            path = Path(wanted)
            if not wanted.isdigit() and path.exists():
                self.import_paths([str(path)])
                return None
            try:
                if int(wanted) in ids:
                    return int(wanted)
            except ValueError:
                pass
            self.status.showMessage(f"There is no document {wanted} in the library.", 8000)
        last = self.settings.value("reader/last_document")
        if last is not None and _int(last) in ids:
            return _int(last)
        persian = [int(d.id) for d in self.documents if d.lang == "fa"]
        if persian:
            return persian[0]
        return ids[0] if ids else None

    def _refresh_shares(self) -> None:
        if self.tasks.closed:  # the window was closed in the meantime
            return
        ids = [int(d.id) for d in self.documents]
        controller = self.controller
        target, factory = controller.target_lang, controller.engine_factory

        def work(_ctx: TaskContext) -> dict[int, float]:
            return translated_shares(ids, target, factory, controller.memory())

        def show(shares: dict[int, float]) -> None:
            for doc_id, share in shares.items():
                self.library_panel.set_translated_share(doc_id, share)

        self.tasks.run(work, on_success=show, on_failure=lambda exc: log.warning("shares: %s", exc))

    # --- documents -----------------------------------------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        if (
            self.reader.document is not None
            and self.reader.document.doc_id == doc_id
            and self.controller.loaded
        ):
            return
        self._save_position()
        self.controller.open_document(doc_id, top_sentence=self.saved_position(doc_id))

    def _on_document_opened(self, doc: Any) -> None:
        self.setWindowTitle(f"{doc.title} — Yanyana")
        self.library_panel.select_document(doc.doc_id)
        self.settings.setValue("reader/last_document", doc.doc_id)
        self.reader.focus_text()

    def ask_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import articles", "", IMPORT_FILTER)
        if files:
            self.import_paths(files)

    def import_paths(self, sources: list[str]) -> None:
        def work(ctx: TaskContext) -> tuple[LibraryListing, list[int], list[str]]:
            from reader.core.library import Library, import_many

            created: list[int] = []
            errors: list[str] = []
            with Library() as library:
                items = list(import_many(library, sources))
                for n, (path, result, error) in enumerate(items, 1):
                    ctx.progress(n, len(items), "Importing")
                    if error is not None:
                        errors.append(f"{Path(path).name}: {error}")
                    elif result is not None:
                        created.append(result.document.id)
            return read_library(ctx), created, errors

        self.status.set_progress(0, 0, "Importing")
        self.status.cancel_button.hide()
        self.tasks.run(
            work,
            on_success=self._on_imported,
            on_failure=lambda exc: (self.status.clear_progress(), self._show_error(exc)),
            on_progress=lambda d, t, text: self.status.set_progress(d, t, text),
        )

    def _on_imported(self, result: tuple[LibraryListing, list[int], list[str]]) -> None:
        listing, created, errors = result
        self.status.clear_progress(f"Imported {len(created)} document(s).")
        self._on_library(listing, open_after=created[-1] if created else None)
        if errors:
            QMessageBox.warning(self, "Some files were not imported", "\n".join(errors))

    def remove_document(self, doc_id: int) -> None:
        def work(ctx: TaskContext) -> LibraryListing:
            from reader.core.library import Library

            with Library(seed=False) as library:
                library.remove(doc_id)
            return read_library(ctx)

        was_open = self.reader.document is not None and self.reader.document.doc_id == doc_id

        def done(listing: LibraryListing) -> None:
            self.settings.remove(f"positions/{doc_id}")
            following = None
            if was_open:
                ids = [int(d.id) for d in listing.documents]
                following = ids[0] if ids else None
                if following is None:
                    self.controller.tasks.invalidate("document")
                    self.reader.clear("The library is empty.")
            self._on_library(listing, open_after=following)

        self.tasks.run(work, on_success=done, on_failure=self._show_error)

    # --- other actions -------------------------------------------------------------------------------------

    def set_library_visible(self, visible: bool) -> None:
        self.library_panel.setVisible(bool(visible))
        if "library" in self.actions:
            self.actions["library"].setChecked(bool(visible))

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.actions["fullscreen"].setChecked(self.isFullScreen())

    def show_models(self) -> None:
        from reader.ui.models_dialog import ModelsDialog

        dialog = ModelsDialog(self.tasks, self)
        dialog.sig_models_changed.connect(self.controller.models_changed)
        dialog.sig_network.connect(self.status.set_online)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def show_about(self) -> None:
        from reader import __version__

        QMessageBox.about(
            self,
            "About Yanyana",
            f"Yanyana {__version__}\n\nRead Persian, Arabic, Turkish and Azerbaijani articles side by side with "
            "an offline English translation (Argos Translate models).\n\nFonts: Vazirmatn and Noto Naskh "
            "Arabic, SIL Open Font License 1.1.",
        )

    def _show_error(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "Yanyana", str(exc) or exc.__class__.__name__)

    # --- events --------------------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.library_panel.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.library_panel.dropEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.save_settings_on_close:
            self.save_settings()
        self.controller.shutdown()
        super().closeEvent(event)


def _bool(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


def _int(value: object, default: int = 0) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


__all__ = ["MainWindow", "read_library", "translated_shares"]
