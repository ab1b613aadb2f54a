"""Main window: composes the library panel, the reader view, the notes and search docks and the status bar;
menus; settings; start-up checks, backups, export and import.

It knows little: the controller opens and translates documents, the highlight controller turns selections into
annotations and paints them, the panels draw, the task manager runs every job off the GUI thread. Settings
(geometry, splitter, docks, last document, reading position, view options) are read once here and handed to the
widgets, and written back when the window closes.

The library flows (open, import, remove, export, import notes, restore, backup) are operations of
:class:`reader.ui.operations.LibraryOps`; the window asks (dialogs), shows the outcome, and listens with the panels
to the one "library changed" signal (:class:`reader.ui.operations.LibraryEvents`).

Start-up opens the library for reading (``backup.open_unchecked()``: a file that cannot be opened is reported at
once), lists it and shows the article; then the store lane opens its connection with ``PRAGMA quick_check``
(linear in the file's size, so not on the start-up path) before any write. A damaged file is never touched;
the window says so and offers the newest good backup (restored only once every library connection of the window
is closed). Then one backup a day is made in the background.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDockWidget,
    QFileDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QToolBar,
    QWidget,
)

from reader.ui import model_folder_dialog
from reader.ui.controller import DOCUMENT_KEY, TRANSLATION_LANE, EngineFactory, ReaderController
from reader.ui.corrections import CorrectionEditor
from reader.ui.highlights import HighlightController
from reader.ui.library_panel import LibraryPanel, filter_texts
from reader.ui.notes_panel import NotesPanel
from reader.ui.operations import (
    ANNOTATIONS,
    ImportOutcome,
    LibraryChange,
    LibraryEvents,
    LibraryListing,
    LibraryOps,
    store_resource,
)
from reader.ui.paste import Clipboard, paste_as_document
from reader.ui.preferences import ReadingPrefs, TranslationPrefs
from reader.ui.reader import ReaderView
from reader.ui.search_panel import LANE as SEARCH_LANE
from reader.ui.search_panel import SearchPanel
from reader.ui.status import StatusBar
from reader.ui.tasks import Task, TaskManager
from reader.ui.texts import isolate, short_title
from reader.ui.translate_all import TranslateAll

if TYPE_CHECKING:
    from reader.core.exporting import ImportReport

log = logging.getLogger(__name__)

# The reading area's minimum comfortable width: below it the side panels give way (docks first, then the
# library), and come back when the window is wide enough again. Below the reader's two-column width
# (reader.view.TWO_COLUMN_MIN_WIDTH) the reader itself goes interlinear.
MIN_READING_WIDTH = 420
COMFORTABLE_PANEL_WIDTH = 200  # a panel narrower than this was squeezed: its width is not remembered
PANEL_MIN_WIDTH = 150  # panels may be squeezed this far while the window shrinks (then they give way)
PANEL_SEPARATOR = 6
BACKUP_ON_QUIT_INTERVAL_S = 3600
RECENT_KEY = "recent/documents"
RECENT_COUNT = 8
# Keys of the reader itself (not menu actions), for Help ▸ Keyboard shortcuts.
READER_KEYS = [
    ("Next / previous sentence (in the text)", "J / K, ↓ / ↑"),
    ("Highlight the selection in a colour", "1 … 8"),
    ("Highlight with a note", "N"),
    ("Zoom", "Ctrl + mouse wheel"),
    ("Leave reading mode", "Esc"),
]  # a session that changed notes is backed up on quit, at most once an hour  # px of splitter handle or dock separator freed with a panel

SHARES_KEY = "shares"  # the task key of the "Done" column's reads (a new listing drops the old ones)
# The background check, the filter texts, then the shares start this long after the article shows.
AFTER_READABLE_MS = 250
PREFERENCES_KEY = (
    "preferences"  # the author name read for an open Preferences dialog (dropped when it closes)
)
FILTER_TEXTS_KEY = "filter texts"  # the list's folded filter texts, made in the background (likewise)
IMPORT_FILTER = (
    "Articles (*.txt *.text *.md *.markdown *.html *.htm *.xhtml *.mhtml *.mht *.docx *.odt *.epub *.pdf);;"
    "All files (*)"
)


class MainWindow(QMainWindow):
    sig_library_loaded = Signal()
    sig_settled = Signal()  # the open document is readable and its visible part translated (or banner shown)
    sig_library_damaged = Signal(str)  # the start-up check failed (message shown, file untouched)
    sig_restored = Signal(object)  # reader.core.store.backup.RestoreResult
    sig_backup_done = Signal(str)  # path of today's backup ("" when one already existed)
    sig_exported = Signal(str)  # path written
    sig_export_failed = Signal(str)  # the message shown
    sig_notes_imported = Signal(object)  # reader.core.exporting.ImportReport
    sig_author_saved = Signal(str)  # Preferences ▸ Translation: the author name stored in library.db

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
        self.events = LibraryEvents(self)
        self.ops = LibraryOps(self.tasks, self.events, self)
        self.initial_document = initial_document
        self.documents: list[Any] = []
        self.library_loaded = False
        self.library_damaged: BaseException | None = None
        self.damaged_box: QMessageBox | None = None
        self.damaged_restore_button: QAbstractButton | None = None
        self._backup_checked = False
        self.read_only: str | None = None  # why library.db cannot be written (set from each listing)
        self._annotation_changes = 0  # highlights and notes changed in this session
        self._last_backup_changes = 0  # … as of the last backup made by this session
        self.restore_dialog: QDialog | None = None
        self.shortcuts_dialog: QDialog | None = None
        self.preferences_dialog: QDialog | None = None
        self.reading_mode = False
        self._before_reading: dict[str, Any] = {}
        self.resume_reading_mode = False
        # panels that gave way to the text (not hidden by the user), and the widths to give them back
        self._collapsed_library = False
        self._collapsed_docks: list[QDockWidget] = []
        self._panel_widths = {"library": 340, "docks": 300}
        self._give_way_timer = QTimer(self)
        self._give_way_timer.setSingleShot(True)
        self._give_way_timer.setInterval(0)
        self._give_way_timer.timeout.connect(self.give_way)

        self.library_panel = LibraryPanel(self)
        self.reader = ReaderView(self)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self._import_tasks: list[Task] = []  # imports running (the status bar's Cancel stops them)
        self.status.sig_cancel_import.connect(self.cancel_import)
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
            self.tasks,
            self.reader,
            self.status,
            engine_factory=engine_factory,
            compute_type=TranslationPrefs.load_compute_type(settings),
        )
        self.corrections = CorrectionEditor(self.tasks, self.reader, self.controller)
        model_folder_dialog.attach(self.reader.banner, self.tasks, self.controller.models_changed)

        self.translate_all = TranslateAll(
            self.tasks,
            self.controller.engine,
            TRANSLATION_LANE,
            settings,
            target_lang=self.controller.target_lang,
            parent=self,
        )
        self.translate_all.sig_document.connect(self.library_panel.set_translated_share)
        self.translate_all.sig_progress.connect(self.status.set_library_progress)
        self.translate_all.sig_finished.connect(self.status.clear_library_progress)

        self.notes_panel = NotesPanel(self.tasks, self, events=self.events)
        self.notes_dock = self._dock("notesDock", "Notes", self.notes_panel)
        self.search_panel = SearchPanel(self.tasks, self, events=self.events)
        self.search_dock = self._dock("searchDock", "Search", self.search_panel)
        self.tabifyDockWidget(self.notes_dock, self.search_dock)  # each gets the full height; tabs when both
        self.notes_dock.hide()
        self.search_dock.hide()
        # Small explicit minimums, so that the window can be made as narrow as half a laptop screen: the panels
        # are squeezed for a moment, then give way to the text (give_way).
        for panel in (self.library_panel, self.notes_panel, self.search_panel):
            panel.setMinimumWidth(PANEL_MIN_WIDTH)

        self.menu_actions: dict[str, QAction] = {}
        self._build_menus()
        self._build_toolbar()
        self._restore_settings()

        self.library_panel.sig_open.connect(self.open_document)
        self.library_panel.sig_import_clicked.connect(self.ask_import)
        self.library_panel.sig_import_files.connect(self.import_paths)
        self.library_panel.sig_remove.connect(self.remove_document)
        self.library_panel.sig_rename.connect(self.rename_document)
        self.library_panel.count_notes = self._count_notes
        self.controller.sig_document_opened.connect(self._on_document_opened)
        self.controller.sig_settled.connect(self.sig_settled)
        self.controller.sig_translated_share.connect(self.library_panel.set_translated_share)
        self.reader.sig_zoom_changed.connect(lambda steps: self.settings.setValue("reader/zoom", steps))
        # After the window's own sig_document_opened slot, so a jump lands once the notes panel follows.
        self.highlights = HighlightController(self.tasks, self.reader, self.notes_panel, self.controller)
        self.highlights.sig_open_document.connect(self.open_document)
        self.highlights.sig_show_notes.connect(lambda: self.set_notes_visible(True))
        self.highlights.sig_message.connect(lambda text: self.status.showMessage(text, 8000))
        self.notes_panel.sig_error.connect(lambda text: self.status.showMessage(text, 8000))
        self.events.sig_changed.connect(self._on_library_changed)
        self.search_panel.sig_activated.connect(self.highlights.jump_to_hit)
        self._window_keys = WindowKeys(self)
        for field in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            field.installEventFilter(self._window_keys)
        # Note changes are gathered for 300 ms, then the counts of just those documents are read (one query).
        self._note_counts_timer = QTimer(self)
        self._note_counts_timer.setSingleShot(True)
        self._note_counts_timer.setInterval(300)
        self._note_counts_timer.timeout.connect(self._refresh_note_counts)
        self._counts_pending: set[int] | None = set()  # None: every document
        self._after_readable_due = False
        self.controller.sig_document_opened.connect(self._after_first_readable)
        self.controller.sig_document_failed.connect(self._after_first_readable)

    def _dock(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

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
        self.menu_actions[key] = action
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
        self.recent_menu = file_menu.addMenu("Recent &documents")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                "export", "&Export…", self.ask_export, "Ctrl+E", tip="Markdown, JSON-LD, CSV, TMX or HTML"
            )
        )
        file_menu.addAction(
            self._action(
                "import_notes", "Import &notes…", self.ask_import_notes, tip="W3C Web Annotations (JSON-LD)"
            )
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                "backup", "Back &up now", self.back_up_now, tip="A verified copy of the library (seven kept)"
            )
        )
        file_menu.addAction(
            self._action(
                "restore", "Restore from &backup…", self.ask_restore, tip="Daily backups, seven kept"
            )
        )
        file_menu.addSeparator()
        file_menu.addAction(self._action("models", "Translation &models…", self.show_models, "Ctrl+M"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("quit", "&Quit", self.close, QKeySequence.StandardKey.Quit))

        edit = bar.addMenu("&Edit")
        undo = self.notes_panel.undo_action
        undo.setText("&Undo note change")
        undo.setShortcutContext(Qt.ShortcutContext.WindowShortcut)  # a focused text box undoes its own typing
        undo.setStatusTip("Undo the last highlight, note, tag, colour change or deletion")
        edit.addAction(undo)
        self.menu_actions["undo"] = undo
        edit.addSeparator()
        colours = edit.addMenu("&Highlight selection")
        for name, action in self.reader.highlight_actions.items():
            colours.addAction(action)
            self.menu_actions[f"highlight_{name}"] = action
        edit.addAction(self.reader.note_action)
        self.menu_actions["highlight_note"] = self.reader.note_action
        edit.addSeparator()
        edit.addAction(
            self._action(
                "paste_document", "&Paste as new document", self.paste_as_document, "Ctrl+Shift+V",
                tip="The copied text, page selection or files become a document of the library",
            )
        )  # fmt: skip
        edit.addSeparator()
        edit.addAction(
            self._action(
                "preferences", "&Preferences…", self.show_preferences, "Ctrl+,",
                tip="Theme, fonts per script, line spacing, line length; compute type, your name on corrections",
            )
        )  # fmt: skip

        view = bar.addMenu("&View")
        library = self._action("library", "Show &library", self.set_library_visible, "Ctrl+L", checkable=True)
        library.setChecked(True)
        view.addAction(library)
        notes = self._action("notes", "Show &notes", self.set_notes_visible, "Ctrl+Shift+N", checkable=True)
        self.notes_dock.visibilityChanged.connect(lambda _v: notes.setChecked(not self.notes_dock.isHidden()))
        view.addAction(notes)
        search = self._action("search_panel", "Show searc&h", self.set_search_visible, checkable=True)
        self.search_dock.visibilityChanged.connect(
            lambda _v: search.setChecked(not self.search_dock.isHidden())
        )
        view.addAction(search)
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
            self._action(
                "fullscreen",
                "&Reading mode (full screen)",
                self.toggle_full_screen,
                "F11",
                checkable=True,
                tip="Only the text, full screen; Esc leaves",
            )
        )

        go = bar.addMenu("&Go")
        go.addAction(self._action("next", "&Next sentence (↓)", lambda: self.reader.step(1), "J"))
        go.addAction(self._action("previous", "&Previous sentence (↑)", lambda: self.reader.step(-1), "K"))
        go.addAction(
            self._action("start", "&Beginning of the document", self.reader.go_to_start, "Ctrl+Home")
        )
        go.addAction(self._action("end", "&End of the document", self.reader.go_to_end, "Ctrl+End"))
        go.addSeparator()
        go.addAction(self._action("find", "&Find…", self.reader.open_find, QKeySequence.StandardKey.Find))
        go.addAction(self._action("find_next", "Find ne&xt", lambda: self.reader.find_step(1), "F3"))
        go.addAction(
            self._action("find_previous", "Find pre&vious", lambda: self.reader.find_step(-1), "Shift+F3")
        )
        go.addSeparator()
        go.addAction(
            self._action(
                "search", "&Search the library…", self.open_search, "Ctrl+Shift+F",
                tip="Originals, translations and notes of every document",
            )
        )  # fmt: skip

        translation = bar.addMenu("&Translation")
        translation.addAction(
            self._action("translate", "&Translate document", self.controller.translate, "Ctrl+T")
        )
        translation.addAction(self._action("cancel", "&Stop translating", self.controller.cancel, "Ctrl+."))
        translation.addSeparator()
        translation.addAction(
            self._action(
                "translate_all", "Translate &all documents", self.translate_library, "Ctrl+Shift+T",
                tip="In the background, one document after another; resumes after a restart",
            )
        )  # fmt: skip
        translation.addAction(
            self._action("stop_all", "Stop translating all documents", lambda: self.translate_all.stop())
        )
        translation.addSeparator()
        translation.addAction(
            self._action(
                "install_model",
                "&Install model from file…",
                self.controller.ask_install_from_file,
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
        help_menu.addAction(self._action("shortcuts", "&Keyboard shortcuts", self.show_shortcuts, "Ctrl+F1"))
        help_menu.addAction(self._action("about", "&About Yanyana", self.show_about))

    def _build_toolbar(self) -> None:
        bar = QToolBar("Highlight", self)
        bar.setObjectName("highlightToolbar")
        bar.setIconSize(QSize(14, 14))
        bar.setAccessibleName("Highlight toolbar")
        bar.addWidget(_toolbar_label("Highlight:", bar))
        for action in self.reader.highlight_actions.values():
            bar.addAction(action)
        self.reader.note_action.setIconText("Note…")
        bar.addAction(self.reader.note_action)
        bar.addSeparator()
        self.menu_actions["notes"].setIconText("Notes")
        self.menu_actions["notes"].setToolTip("Show or hide the notes panel (Ctrl+Shift+N)")
        bar.addAction(self.menu_actions["notes"])
        # the panel's toggle (checked while the panel is open), not the "search" command that only opens it
        self.menu_actions["search_panel"].setIconText("Search")
        self.menu_actions["search_panel"].setToolTip(
            "Search originals, translations and notes (Ctrl+Shift+F)"
        )
        bar.addAction(self.menu_actions["search_panel"])
        self.toolbar = bar
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    # --- settings ------------------------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and not self.restoreGeometry(QByteArray(geometry)):
            log.info("window geometry not restored")
        if geometry is None:
            self.resize(1280, 800)
        self.fit_to_screen()
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(splitter))
        state = s.value("window/state")
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))  # dock places and sizes
        self.set_library_visible(_bool(s.value("window/library_visible", True)))
        self.set_notes_visible(_bool(s.value("window/notes_visible", False)))
        self.set_search_visible(_bool(s.value("window/search_visible", False)))
        self.reader.set_zoom(_int(s.value("reader/zoom", 0)))
        swapped = _bool(s.value("reader/swapped", False))
        interlinear = _bool(s.value("reader/interlinear", False))
        self.menu_actions["swap"].setChecked(swapped)
        self.menu_actions["interlinear"].setChecked(interlinear)
        self.reader.swapped = swapped
        self.reader.interlinear_chosen = interlinear
        self.reader.interlinear = interlinear or self.reader.narrow
        self.resume_reading_mode = _bool(s.value("window/reading_mode", False))
        self.reader.set_prefs(ReadingPrefs.load(s))

    def fit_to_screen(self) -> None:
        """Keep the window inside the screen it is on (geometry saved on a larger screen shrinks to fit)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        width = min(self.width(), available.width() - extra_w)
        height = min(self.height(), available.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
            frame = self.frameGeometry()
        x = min(max(frame.x(), available.x()), available.x() + available.width() - frame.width())
        y = min(max(frame.y(), available.y()), available.y() + available.height() - frame.height())
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def save_settings(self) -> None:
        s = self.settings
        reading = self.reading_mode
        if reading:
            self.set_reading_mode(False)  # the geometry and panels of the normal window are what is kept
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/reading_mode", reading)
        s.setValue("window/library_visible", self.library_panel.isVisible() or self._collapsed_library)
        s.setValue("window/state", self.saveState())
        s.setValue("window/notes_visible", self._dock_wanted(self.notes_dock))
        s.setValue("window/search_visible", self._dock_wanted(self.search_dock))
        s.setValue("reader/zoom", self.reader.zoom)
        s.setValue("reader/swapped", self.reader.swapped)
        s.setValue("reader/interlinear", self.reader.interlinear_chosen)
        self._save_position()
        s.sync()

    def _dock_wanted(self, dock: QDockWidget) -> bool:
        return not dock.isHidden() or dock in self._collapsed_docks

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
        """Open and check the library off the GUI thread, then open the document to show."""
        if self.resume_reading_mode:
            self.resume_reading_mode = False
            self.set_reading_mode(True)
        self.status.showMessage("Opening the library…")
        self.reader.clear("Opening the library…")
        self.ops.open_checked(self._on_library, self._on_library_failed)

    def _on_library_failed(self, exc: BaseException) -> None:
        from reader.core.store.backup import LibraryDamaged

        if isinstance(exc, LibraryDamaged):
            self._on_library_damaged(exc)
            return
        self.reader.clear(str(exc))
        self.status.showMessage(str(exc))
        self.sig_settled.emit()

    def _on_library_damaged(self, exc: Any) -> None:
        """Say so, keep the file, offer the newest good backup (never a silent new library over it)."""
        from reader.ui.dialogs import backup_date

        self.library_damaged = exc
        message = str(exc)
        if exc.newest_good is not None:
            offer = (
                f"The newest good backup is from {backup_date(exc.newest_good)}. Restore it? The damaged file "
                "is kept beside it under a new name."
            )
        else:
            offer = "There is no backup to restore. The damaged file is left as it is."
        self.reader.clear(f"{message}\n\n{offer}\n\nFile ▸ Restore from backup… lists every backup.")
        self.status.showMessage(message)
        box = QMessageBox(QMessageBox.Icon.Warning, "The library is damaged", message, parent=self)
        box.setInformativeText(offer)
        self.damaged_restore_button = None
        if exc.newest_good is not None:
            self.damaged_restore_button = box.addButton(
                "Restore from backup", QMessageBox.ButtonRole.AcceptRole
            )
        box.addButton(QMessageBox.StandardButton.Close)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.buttonClicked.connect(self._on_damaged_answer)
        self.damaged_box = box
        box.open()
        self.sig_library_damaged.emit(message)
        self.sig_settled.emit()

    def _on_damaged_answer(self, button: QAbstractButton) -> None:
        if button is not None and button is self.damaged_restore_button:
            self.restore_backup(None)

    def ask_restore(self) -> None:
        """File ▸ Restore from backup…: the backups with what each holds (read off the GUI thread)."""
        self.ops.list_backups(self._show_restore_dialog, self._show_error)

    def _show_restore_dialog(self, backups: list[tuple[Any, Any]]) -> None:
        from reader.ui.dialogs import RestoreDialog

        dialog = RestoreDialog(backups, self)
        self.restore_dialog = dialog  # tests answer it
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.restore_dialog = None
        if accepted and dialog.selected() is not None:
            self.restore_backup(dialog.selected())

    def back_up_now(self) -> None:
        """File ▸ Back up now."""

        def done(path: str) -> None:
            self._last_backup_changes = self._annotation_changes
            self.status.clear_progress(f"Backed up the library ({Path(path).name}).", 10000)
            self.sig_backup_done.emit(path)

        def failed(exc: BaseException) -> None:
            self.status.clear_progress()
            self._show_error(exc)

        self.status.set_progress(0, 0, "Backing up")
        self.status.cancel_button.hide()
        self.ops.backup_now(done, failed)

    def _backup_on_quit(self) -> None:
        """After a session that changed highlights or notes, a backup as the window closes (at most one an
        hour: a backup made in the last hour already holds most of it). Runs once every library connection
        of the window is closed; a failure is logged, never blocks quitting."""
        if self._annotation_changes == self._last_backup_changes or self.library_damaged is not None:
            return
        from reader.core.store import backup
        from reader.core.store.library import Library

        try:
            age = backup.newest_backup_age()
            if age is not None and age < BACKUP_ON_QUIT_INTERVAL_S:
                return
            with Library(seed=False) as library:
                backup.backup_now(library)
        except (OSError, backup.BackupError, backup.LibraryError) as exc:
            log.warning("no backup on quit: %s", exc)

    def restore_backup(self, path: Path | None) -> None:
        """Replace library.db with a backup (``None``: the newest good one), once no connection is open.

        The store lane closes its connection and waits until the shared pool and the search lane are idle;
        then :func:`reader.core.store.backup.restore` moves the current file aside (never deleted) and installs a
        verified copy; the window then reloads everything."""
        self.status.showMessage("Restoring the library from a backup…")
        self.tasks.invalidate(DOCUMENT_KEY)
        self.notes_panel.set_document(None)
        self.notes_panel.clear_undo()
        self.search_panel.close_library()
        self.library_panel.setEnabled(False)  # nothing may open the file while it is being replaced
        self.reader.clear("Restoring the library from a backup…")
        self.ops.restore(path, self._on_restored, self._on_restore_failed, wait_for=["default", SEARCH_LANE])

    def _on_restored(self, result: Any) -> None:
        from reader.ui.dialogs import backup_date

        self.library_damaged = None
        self.library_panel.setEnabled(True)
        if self.damaged_box is not None:
            self.damaged_box.close()
            self.damaged_box = None
        kept = ", ".join(p.name for p in result.kept_aside)
        message = f"Restored the library from the backup of {backup_date(result.restored_from)}."
        if kept:
            message += f" The previous file was kept as {kept}."
        self.status.showMessage(message, 15000)
        self.library_loaded = False
        self.sig_restored.emit(result)
        self.start()

    def _on_restore_failed(self, exc: BaseException) -> None:
        self.library_panel.setEnabled(True)
        QMessageBox.warning(self, "Restore from backup", str(exc) or exc.__class__.__name__)
        if self.library_damaged is None:
            self.start()

    #: Actions that write to library.db, disabled while it is read-only.
    WRITING_ACTIONS = ("import", "remove", "paste_document", "import_notes", "restore", "backup", "undo")

    def set_read_only(self, reason: str | None) -> None:
        """A library that cannot be written (a read-only USB stick, a mounted archive): reading, search and
        export work; every action that would write is disabled and says why."""
        self.read_only = reason
        writable = reason is None
        why = "" if writable else f"The library is read-only ({reason}): reading, search and export work."
        actions = [self.menu_actions.get(name) for name in self.WRITING_ACTIONS]
        actions += [
            *self.reader.highlight_actions.values(),
            self.reader.note_action,
            self.corrections.edit_action,
        ]
        for action in actions:
            if action is None:
                continue
            action.setEnabled(writable)
            if not writable:
                action.setStatusTip(why)
        self.library_panel.set_read_only(why or None)
        self.status.read_only_label.setText("" if writable else "Read-only library")
        self.status.read_only_label.setToolTip(why)
        self.status.read_only_label.setVisible(not writable)

    def _backup_if_due(self) -> None:
        """One backup of library.db a day (seven kept), made in the background after start-up."""
        if self._backup_checked or self.tasks.closed or self.read_only is not None:
            return
        self._backup_checked = True

        def failed(exc: BaseException) -> None:
            self.status.showMessage(f"No backup was made today: {exc}", 10000)

        self.ops.backup_if_due(self.sig_backup_done.emit, failed)

    def _on_library(self, listing: LibraryListing, open_after: int | None = None) -> None:
        first_time = not self.library_loaded
        self.set_read_only(listing.read_only)
        self.documents = listing.documents
        if listing.rows or not listing.documents:
            self.library_panel.set_rows(listing.rows)
        else:
            self.library_panel.set_documents(listing.documents, listing.counts)
        self.library_loaded = True
        self.status.clearMessage()
        self.sig_library_loaded.emit()
        if first_time:
            QTimer.singleShot(1500, self._backup_if_due)
            if self.translate_all.resume([int(d.id) for d in listing.documents]):
                self.status.showMessage("Resuming the translation of the library.", 8000)
        target = open_after
        if first_time and target is None:
            target = self._initial_document_id()
        # The document first; the translated shares (a cache lookup per document, in pages, in the background)
        # only once it is readable.
        self.tasks.invalidate(SHARES_KEY)
        self.tasks.invalidate(FILTER_TEXTS_KEY)
        self._after_readable_due = target is not None
        if not self._after_readable_due:
            self._after_readable()
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

    def _after_first_readable(self, _doc: object) -> None:
        if self._after_readable_due:
            self._after_readable_due = False
            # Not in the same turn: the article is painted first, without worker threads competing for the GIL.
            QTimer.singleShot(AFTER_READABLE_MS, self._after_readable)

    def _after_readable(self) -> None:
        """Once the article is readable: the library's full check (on the store lane, before any write; a
        damaged file is then reported as at start-up), and the "Done" column."""
        if self.tasks.closed:
            return
        if self._after_readable_due:  # a new listing came meanwhile; its own turn will come
            return
        self.ops.check(lambda _none: None, self._on_check_failed)
        rows = self.library_panel.model.rows()
        self.tasks.run(
            lambda _ctx: filter_texts(rows),
            on_success=self.library_panel.model.set_filter_texts,
            on_failure=lambda exc: log.warning("filter texts: %s", exc),
            key=FILTER_TEXTS_KEY,
            name="fold titles",
        )
        QTimer.singleShot(AFTER_READABLE_MS, self._refresh_shares)

    def _on_check_failed(self, exc: BaseException) -> None:
        from reader.core.store.backup import LibraryDamaged

        if not isinstance(exc, LibraryDamaged):
            log.warning("library check: %s", exc)
            return
        if self.library_damaged is not None:
            return
        # Found after the list and the article were shown: take them away, nothing more is read or written.
        self.tasks.invalidate(DOCUMENT_KEY)
        self.tasks.invalidate(SHARES_KEY)
        self.tasks.invalidate(FILTER_TEXTS_KEY)
        self.notes_panel.set_document(None)
        self.library_panel.set_documents([])
        self.documents = []
        self._on_library_damaged(exc)

    def _refresh_shares(self) -> None:
        """The "Done" column: read off the GUI thread a page at a time, each page one batched update."""
        if self.tasks.closed:  # the window was closed in the meantime
            return
        self.tasks.invalidate(SHARES_KEY)
        ids = [int(d.id) for d in self.documents]
        controller = self.controller
        self.ops.translated_shares(
            ids,
            controller.target_lang,
            controller.make_engine,
            controller.memory,
            lambda _shares: None,  # every page was shown as it came
            lambda exc: log.warning("shares: %s", exc),
            on_page=self.library_panel.set_translated_shares,
            key=SHARES_KEY,
        )

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

    def recent_documents(self) -> list[int]:
        """Documents opened lately, newest first (those still in the library)."""
        value = self.settings.value(RECENT_KEY, "")
        if isinstance(value, list):
            value = ",".join(str(v) for v in value)
        known = {int(d.id) for d in self.documents}
        ids = [int(v) for v in str(value or "").split(",") if v.strip().isdigit()]
        return [i for i in ids if i in known or not self.library_loaded]

    def _remember_recent(self, doc_id: int) -> None:
        ids = [doc_id, *(i for i in self.recent_documents() if i != doc_id)][:RECENT_COUNT]
        self.settings.setValue(RECENT_KEY, ",".join(str(i) for i in ids))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        titles = {int(d.id): str(d.title) for d in self.documents}
        for n, doc_id in enumerate(self.recent_documents()[:RECENT_COUNT], 1):
            title = titles.get(doc_id, f"document {doc_id}")
            action = self.recent_menu.addAction(f"&{n} {isolate(short_title(title, 50))}")
            action.setToolTip(title)
            action.triggered.connect(lambda _c=False, d=doc_id: self.open_document(d))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No documents opened yet").setEnabled(False)

    def show_preferences(self) -> None:
        """Edit ▸ Preferences…: reading changes apply at once and persist on OK; Cancel goes back. The
        Translation section takes effect on OK (:meth:`apply_translation_prefs`)."""
        from reader.ui.preferences import PreferencesDialog

        compute_type = self.controller.compute_type or "default"
        dialog = PreferencesDialog(
            self.reader.prefs, self, translation=TranslationPrefs(compute_type=compute_type)
        )
        dialog.sig_changed.connect(self.apply_prefs)
        dialog.accepted.connect(lambda: self.apply_prefs(dialog.prefs, save=True))
        dialog.accepted.connect(lambda: self.apply_translation_prefs(dialog.translation()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # a read still under way when the dialog closes (and is deleted) must not reach it
        self.tasks.invalidate(PREFERENCES_KEY)
        dialog.finished.connect(lambda _result: self.tasks.invalidate(PREFERENCES_KEY))
        self.preferences_dialog = dialog
        dialog.open()

        def read_author(store: Any) -> str:
            from reader.core.store.corrections import default_author

            return default_author(store.library)

        store_resource(self.tasks).run(
            read_author,
            dialog.set_author,
            lambda exc: log.warning("could not read the author name: %s", exc),
            key=PREFERENCES_KEY,
            name="read the author name",
        )

    def apply_translation_prefs(self, prefs: TranslationPrefs) -> None:
        """Preferences ▸ Translation, on OK: the compute type goes to the settings and the controller (which drops
        its loaded engine when it changes); the author name to library.db on the store lane, where the CLI
        reads it too."""
        TranslationPrefs.save_compute_type(self.settings, prefs.compute_type)
        if prefs.compute_type != self.controller.compute_type:
            self.controller.set_compute_type(prefs.compute_type)
            if self.library_loaded:
                self._refresh_shares()  # the memory keeps int8 and float32 apart: "Done" is per compute type
        if not prefs.author:
            return
        name = prefs.author

        def write_author(store: Any) -> str:
            from reader.core.store.corrections import default_author, set_author

            if default_author(store.library) != name:
                set_author(store.library, name)
            return name

        store_resource(self.tasks).run(
            write_author,
            lambda _name: self.sig_author_saved.emit(name),
            self._show_error,
            name="save the author name",
        )

    def apply_prefs(self, prefs: ReadingPrefs, *, save: bool = False) -> None:
        """Theme (the whole application) and the reader's fonts, spacing and line length."""
        if prefs.theme != self.reader.prefs.theme:
            from PySide6.QtWidgets import QApplication

            from reader.ui.themes import apply_theme

            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, prefs.theme)
        self.reader.set_prefs(prefs)
        if save:
            prefs.save(self.settings)

    def show_shortcuts(self) -> None:
        """Help ▸ Keyboard shortcuts: every menu shortcut (read from the actions themselves) and the reader's keys."""
        from reader.ui.dialogs import ShortcutsDialog

        rows = [
            (
                action.text().replace("&", ""),
                action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
            )
            for action in self.menu_actions.values()
            if not action.shortcut().isEmpty()
        ]
        rows += READER_KEYS
        dialog = ShortcutsDialog(rows, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog = dialog
        dialog.show()

    def _on_document_opened(self, doc: Any) -> None:
        self.setWindowTitle(f"{isolate(short_title(doc.title))} — Yanyana")
        self.notes_panel.set_document(doc.doc_id)
        self.search_panel.set_document(doc.doc_id)
        self.library_panel.select_document(doc.doc_id)
        self.settings.setValue("reader/last_document", doc.doc_id)
        self._remember_recent(doc.doc_id)
        self.reader.focus_text()

    def ask_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Import articles", self.last_folder("import/folder"), IMPORT_FILTER
        )
        if files:
            self.settings.setValue("import/folder", str(Path(files[0]).parent))
            self.import_paths(files)

    def last_folder(self, key: str) -> str:
        """Where a file dialog starts: the folder last used for the same thing, else the user's home (never
        the folder the program happens to run from)."""
        folder = str(self.settings.value(key, "") or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def import_paths(self, sources: list[str]) -> None:
        """Import files and folders off the GUI thread; the status bar's Cancel stops it (between files, or
        between the pages of a long PDF, whose document is then not stored)."""
        self.status.begin_import()
        self.status.set_progress(0, 0, "Importing")
        self._import_tasks.append(
            self.ops.import_paths(sources, self._on_imported, self._import_failed, self.status.set_progress)
        )

    def paste_as_document(self) -> None:
        self.status.begin_import()
        self.status.set_progress(0, 0, "Importing")
        clipboard = Clipboard.read(QGuiApplication.clipboard().mimeData())
        self._import_tasks.append(
            paste_as_document(
                self.ops, clipboard, self._on_imported, self._import_failed, self.status.set_progress
            )
        )

    def cancel_import(self) -> None:
        """The status bar's Cancel during an import: every running import stops at its next check."""
        running = [task for task in self._import_tasks if task.running]
        for task in running:
            task.cancel()
        if running:
            self.status.set_progress(0, 0, "Stopping the import")

    def _import_ended(self) -> bool:
        """Forget finished imports; True when none is left (Cancel then stops translations again)."""
        self._import_tasks = [task for task in self._import_tasks if task.running]
        if not self._import_tasks:
            self.status.end_import()
        return not self._import_tasks

    def _import_failed(self, exc: BaseException) -> None:
        if self._import_ended():
            self.status.clear_progress()
        self._show_error(exc)

    def _on_imported(self, outcome: ImportOutcome | None) -> None:
        last = self._import_ended()
        if outcome is None:  # cancelled (the Cancel button, or the window is closing)
            if last:
                self.status.clear_progress("Import stopped; the file being read was not stored.", 10000)
            return
        shown = outcome.created + outcome.updated + outcome.existing
        self._on_library(outcome.listing, open_after=shown[-1] if shown else None)
        if last:
            self.status.clear_progress(import_summary(outcome), 10000)  # after the listing cleared the line
        else:
            self.status.showMessage(import_summary(outcome), 10000)
        if outcome.errors:
            QMessageBox.warning(self, "Some files were not imported", "\n".join(outcome.errors))

    def translate_library(self) -> None:
        """Translation ▸ Translate all documents (in library order; the open document's own run takes turns)."""
        ids = [int(d.id) for d in self.documents]
        if not ids:
            self.status.showMessage("The library is empty.", 6000)
            return
        self.translate_all.start(ids)

    def remove_document(self, doc_id: int) -> None:
        was_open = self.reader.document is not None and self.reader.document.doc_id == doc_id

        def done(listing: LibraryListing) -> None:
            self.settings.remove(f"positions/{doc_id}")
            following = None
            if was_open:
                ids = [int(d.id) for d in listing.documents]
                following = ids[0] if ids else None
                if following is None:
                    self.controller.tasks.invalidate(DOCUMENT_KEY)
                    self.reader.clear("The library is empty.")
                    self.notes_panel.set_document(None)
            self._on_library(listing, open_after=following)

        self.ops.remove(doc_id, done, self._show_error)

    def _count_notes(self, doc_id: int, answer: Callable[[int, int], None]) -> None:
        """For the remove confirmation: (highlights, of which with a note) of a document, read off the GUI thread."""

        def failed(exc: BaseException) -> None:
            log.warning("notes count: %s", exc)
            answer(-1, -1)

        self.ops.count_notes(doc_id, lambda counts: answer(*counts), failed)

    def rename_document(self, doc_id: int, title: str) -> None:
        """Store a title edited in the library list; the row (and the window title) change once it is stored."""

        def done(stored: str) -> None:
            self.library_panel.set_title(doc_id, stored)
            self.documents = [
                dataclasses.replace(d, title=stored) if int(d.id) == doc_id else d for d in self.documents
            ]
            doc = self.reader.document
            if doc is not None and doc.doc_id == doc_id:
                self.setWindowTitle(f"{isolate(short_title(stored))} — Yanyana")

        self.ops.rename(doc_id, title, done, self._show_error)

    def _on_library_changed(self, change: LibraryChange) -> None:
        if change.kind != ANNOTATIONS:
            return
        self._annotation_changes += 1  # this session changed notes: back up on quit
        if change.doc_id is None:
            self._counts_pending = None
        elif self._counts_pending is not None:
            self._counts_pending.add(change.doc_id)
        self._note_counts_timer.start()

    def _refresh_note_counts(self) -> None:
        """The Notes column after note changes: the counts of the documents that changed (or of all, after an
        import of notes), one query, one batched update."""
        if self.tasks.closed:
            return
        only, self._counts_pending = self._counts_pending, set()
        panel = self.library_panel
        self.ops.highlight_counts(
            None if only is None else sorted(only),
            lambda counts: panel.set_highlight_counts(counts, only=only),
            lambda exc: log.warning("notes count: %s", exc),
        )

    # --- export and import of notes --------------------------------------------------------------------------

    def ask_export(self) -> None:
        from reader.ui.dialogs import EXPORT_FORMATS, ExportDialog

        doc = self.reader.document
        dialog = ExportDialog(doc.title if doc is not None else None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        fmt, whole = dialog.choice()
        _label, suffix, file_filter = EXPORT_FORMATS[fmt]
        stem = "yanyana-library" if whole or doc is None else _file_stem(doc.title, doc.doc_id)
        folder = self.last_folder("export/folder")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export", str(Path(folder) / (stem + suffix)), file_filter
        )
        if not path:
            return
        self.settings.setValue("export/folder", str(Path(path).parent))
        self.export_to(path, fmt, None if whole or doc is None else [doc.doc_id])

    def export_to(self, path: str | Path, fmt: str, doc_ids: list[int] | None) -> None:
        """Export in the background; one clear message if it fails."""

        def done(written: str) -> None:
            self.status.clear_progress(f"Exported to {written}.", 10000)
            self.sig_exported.emit(written)

        def failed(exc: BaseException) -> None:
            self.status.clear_progress()
            message = str(exc) or exc.__class__.__name__
            QMessageBox.warning(self, "Export failed", message)
            self.sig_export_failed.emit(message)

        self.status.set_progress(0, 0, "Exporting")
        self.status.cancel_button.hide()
        self.ops.export(path, fmt, doc_ids, done, failed)

    def ask_import_notes(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import notes",
            self.last_folder("export/folder"),
            "W3C Web Annotations (*.jsonld *.json);;All files (*)",
        )
        if path:
            self.settings.setValue("export/folder", str(Path(path).parent))
            self.import_notes(path)

    def import_notes(self, path: str | Path) -> None:
        """Restore the annotations of a JSON-LD export (matched to documents by content, then source)."""

        def done(report: ImportReport) -> None:
            # The notes panel, the highlights and the Notes column follow the "library changed" signal.
            self.status.showMessage(f"Imported notes: {report.summary()}.", 12000)
            if report.warnings:
                QMessageBox.information(self, "Import notes", "\n".join(report.warnings))
            self.sig_notes_imported.emit(report)

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, "Import notes", str(exc) or exc.__class__.__name__)

        self.ops.import_notes(path, done, failed)

    # --- other actions -------------------------------------------------------------------------------------

    def set_notes_visible(self, visible: bool) -> None:
        self._forget_collapsed_docks()
        self.notes_dock.setVisible(bool(visible))
        if visible:
            self.notes_dock.raise_()
        if "notes" in self.menu_actions:
            self.menu_actions["notes"].setChecked(bool(visible))

    def set_search_visible(self, visible: bool) -> None:
        self._forget_collapsed_docks()
        self.search_dock.setVisible(bool(visible))
        if visible:
            self.search_dock.raise_()  # in front of the notes tab
        if "search_panel" in self.menu_actions:
            self.menu_actions["search_panel"].setChecked(bool(visible))

    def open_search(self) -> None:
        """Ctrl+Shift+F: show the search panel with the cursor in its query box."""
        self.set_search_visible(True)
        self.search_dock.raise_()
        self.search_panel.focus_query()

    def set_library_visible(self, visible: bool) -> None:
        self._collapsed_library = False  # the user decides now
        self.library_panel.setVisible(bool(visible))
        if "library" in self.menu_actions:
            self.menu_actions["library"].setChecked(bool(visible))

    def _forget_collapsed_docks(self) -> None:
        self._collapsed_docks = []

    # --- a layout that gives way -----------------------------------------------------------------------------

    def give_way(self) -> None:
        """Side panels give way before the text gets narrow: when the window leaves the reader less than
        MIN_READING_WIDTH with them, the docks collapse first, then the library; they come back (at the width
        they had) once the window is wide enough again. Only panels that gave way come back: a panel the user
        hides or shows himself is his choice."""
        if self.reading_mode or not self.isVisible():
            return
        library = self.library_panel
        docks = (self.notes_dock, self.search_dock)
        library_wanted = library.isVisible() or self._collapsed_library
        docks_wanted = [
            d for d in docks if (not d.isHidden() and not d.isFloating()) or d in self._collapsed_docks
        ]
        # the widths to give the panels back: what they had when last shown at a comfortable width
        if library.isVisible() and library.width() >= COMFORTABLE_PANEL_WIDTH:
            self._panel_widths["library"] = library.width()
        shown_docks = [d for d in docks_wanted if not d.isHidden()]
        if shown_docks and max(d.width() for d in shown_docks) >= COMFORTABLE_PANEL_WIDTH:
            self._panel_widths["docks"] = max(d.width() for d in shown_docks)
        library_width = self._panel_widths["library"] + PANEL_SEPARATOR
        docks_width = self._panel_widths["docks"] + PANEL_SEPARATOR
        width = self.width()
        keep_docks = bool(docks_wanted) and (
            width - docks_width - (library_width if library_wanted else 0) >= MIN_READING_WIDTH
        )
        keep_library = library_wanted and (
            width - library_width - (docks_width if keep_docks else 0) >= MIN_READING_WIDTH
        )
        if keep_docks:
            for dock in self._collapsed_docks:
                dock.show()
            self._collapsed_docks = []
        elif shown_docks:
            self._collapsed_docks = docks_wanted
            for dock in shown_docks:
                dock.hide()
        changed = keep_library != library.isVisible()
        self._collapsed_library = library_wanted and not keep_library
        library.setVisible(keep_library)
        self.menu_actions["library"].setChecked(keep_library)
        if keep_library and (changed or (shown_docks and not keep_docks)):
            # whatever squeezed it while the window shrank, the library gets its width back
            library_px = self._panel_widths["library"]
            self.splitter.setSizes([library_px, max(1, self.splitter.width() - library_px)])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._give_way_timer.start()  # once the layouts have placed the panels at the new size

    # --- reading mode ----------------------------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        self.set_reading_mode(not self.reading_mode)

    def set_reading_mode(self, on: bool) -> None:
        """F11: full screen with only the text and a discreet progress line; Esc or F11 leaves. The reading
        position is kept (the reader restores its sentence after every resize)."""
        on = bool(on)
        self.menu_actions["fullscreen"].setChecked(on)
        if on == self.reading_mode:
            return
        self.reading_mode = on
        bars: list[QWidget] = [self.menuBar(), self.toolbar, self.status]
        panels: list[QWidget] = [self.library_panel, self.notes_dock, self.search_dock]
        if on:
            self._before_reading = {
                "shown": [w for w in bars + panels if not w.isHidden()],
                "maximized": self.isMaximized(),
                "full": self.isFullScreen(),
            }
            for widget in bars + panels:
                widget.hide()
            self.reader.set_reading_mode(True)
            self.showFullScreen()
        else:
            before, self._before_reading = self._before_reading, {}
            for widget in before.get("shown", [*bars, self.library_panel]):
                widget.show()
            self.reader.set_reading_mode(False)
            if before.get("full"):
                self.showFullScreen()
            elif before.get("maximized"):
                self.showMaximized()
            else:
                self.showNormal()
        self.reader.focus_text()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.reading_mode:
            self.set_reading_mode(False)
            event.accept()
            return
        super().keyPressEvent(event)

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
        if not self.tasks.closed:
            self.notes_panel.close_store()  # flushes a note being typed, then closes the lane's connection
            self.search_panel.close_library()
        self.translate_all.stop(forget=False)  # the queue stays in the settings: the next start resumes it
        self.controller.shutdown()
        self._backup_on_quit()
        super().closeEvent(event)


# Keys a text field keeps for editing even when the window has a shortcut on them.
_EDITING_KEYS = frozenset(
    QKeySequence(k).toString()
    for k in (
        "Ctrl+A", "Ctrl+C", "Ctrl+V", "Ctrl+X", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y", "Ctrl+Left", "Ctrl+Right",
        "Ctrl+Backspace", "Ctrl+Delete", "Ctrl+Home", "Ctrl+End", "Ctrl+Shift+Left", "Ctrl+Shift+Right",
    )
)  # fmt: skip


class WindowKeys(QObject):
    """Window shortcuts work wherever the focus is: a text field would otherwise keep Ctrl+E (end of line on
    X11), Ctrl+K and the like for itself. Only the keys a field needs for editing stay the field's."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if not modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        pressed = QKeySequence(event.keyCombination()).toString()
        if pressed in _EDITING_KEYS:
            return False
        for action in self.window.menu_actions.values():
            if any(s.toString() == pressed for s in action.shortcuts()) and action.isEnabled():
                event.ignore()  # not overridden: the window's shortcut fires
                return True
        return False


def import_summary(outcome: ImportOutcome) -> str:
    """One sentence for the status line: what an import did (a file already there says so)."""
    titles = {int(d.id): str(d.title) for d in outcome.listing.documents}
    parts = []
    if outcome.created:
        n = len(outcome.created)
        parts.append(f"Imported {n} document(s).")  # the wording drops and pastes report too
    if outcome.updated:
        n = len(outcome.updated)
        parts.append(f"Updated {n} document{'s' if n != 1 else ''} whose file had changed.")
    if len(outcome.existing) == 1:
        title = short_title(titles.get(outcome.existing[0], ""))
        parts.append(f"{isolate(title)} is already in the library.")
    elif outcome.existing:
        parts.append(f"{len(outcome.existing)} files were already in the library.")
    if not parts and outcome.errors:
        parts.append("Nothing was imported.")
    return " ".join(parts)


def _toolbar_label(text: str, parent: QWidget) -> QWidget:
    from PySide6.QtWidgets import QLabel

    label = QLabel(text, parent)
    label.setContentsMargins(6, 0, 4, 0)
    return label


def _file_stem(title: str, doc_id: int) -> str:
    """A file name for an export of one document: its title's words, or its id."""
    import re

    words = re.findall(r"\w+", title)[:8]
    return "-".join(words) if words else f"document-{doc_id}"


def _bool(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


def _int(value: object, default: int = 0) -> int:
    try:
        return int(value) if isinstance(value, int | float | str) else default
    except (TypeError, ValueError):
        return default


__all__ = ["MainWindow"]
