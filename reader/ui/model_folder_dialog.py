"""First run without a network: install every ``.argosmodel`` found in a folder (a USB stick) in one go.

The missing-model banner gets an "Install models from a folder…" button (:func:`attach`). The dialog lists every
archive found in the chosen folder and its subfolders with its language pair, version and size (archives that are
not usable models are listed with the reason), and installs all usable ones with one progress bar (bytes of all
archives). Scanning and installing run through the task manager; nothing touches the network.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.ui.tasks import TaskContext, TaskManager

BUTTON_TEXT = "Install models from a folder…"


def _size(num: int) -> str:
    return f"{num / (1024 * 1024):.1f} MB" if num >= 1024 * 1024 else f"{max(1, num // 1024)} KB"


class ModelFolderDialog(QDialog):
    """Lists the models in a folder and installs them all; ``sig_models_changed`` after an install."""

    sig_models_changed = Signal()
    sig_scanned = Signal()
    sig_finished = Signal(str)  # the closing message

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.folder: Path | None = None
        self.found: list[Any] = []  # reader.translation.models.FoundArchive
        self.setWindowTitle("Install models from a folder")
        self.setAccessibleName("Install models from a folder")
        self.resize(680, 420)
        self.folder_label = QLabel("Choose the folder (or USB stick) that holds .argosmodel files.", self)
        self.folder_label.setWordWrap(True)
        self.choose_button = QPushButton("Choose folder…", self)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["Pair", "Version", "Size", "File"])
        self.table.setAccessibleName("Models found in the folder")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Installation progress")
        self.progress.hide()
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.install_button = QPushButton("Install all", self)
        self.install_button.setEnabled(False)
        self.install_button.setDefault(True)
        self.close_button = QPushButton("Close", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)
        buttons.addWidget(self.install_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.choose_button.clicked.connect(self.ask_folder)
        self.install_button.clicked.connect(self.install_all)
        self.close_button.clicked.connect(self.close)

    def installable(self) -> list[Any]:
        return [f for f in self.found if not f.problem]

    def ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder with translation models")
        if folder:
            self.set_folder(Path(folder))

    def set_folder(self, folder: Path) -> None:
        from reader.translation import models

        self.folder = folder
        self.found = []
        self.table.setRowCount(0)
        self.install_button.setEnabled(False)
        self.folder_label.setText(f"Looking for models in {folder}…")
        self.message.clear()

        def work(_ctx: TaskContext) -> list[Any]:
            return models.scan_folder(folder)

        self.tasks.run(work, on_success=self._show_found, on_failure=self._failed, name="scan model folder")

    def _show_found(self, found: list[Any]) -> None:
        self.found = found
        self.table.setRowCount(len(found))
        for row, item in enumerate(found):
            pair = item.name or "—"
            cells = [pair, item.version or "—", _size(item.size), item.problem or item.path.name]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(str(item.path))
                self.table.setItem(row, column, cell)
        usable = self.installable()
        total = sum(f.size for f in usable)
        self.folder_label.setText(
            f"{len(found)} model file(s) in {self.folder}; {len(usable)} can be installed ({_size(total)})."
            if found
            else f"There are no .argosmodel files in {self.folder}."
        )
        self.install_button.setText(f"Install all ({len(usable)})" if usable else "Install all")
        self.install_button.setEnabled(bool(usable))
        self.sig_scanned.emit()

    def install_all(self) -> None:
        from reader.translation import models

        archives = [(f.path, f.size) for f in self.installable()]
        if not archives:
            return
        total = sum(size for _path, size in archives)
        self.install_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.progress.setRange(0, max(total // 1024, 1))
        self.progress.setValue(0)
        self.progress.setFormat("Installing %p%")
        self.progress.show()

        def work(ctx: TaskContext) -> tuple[int, list[str]]:
            done, installed, errors = 0, 0, []
            for path, size in archives:
                ctx.progress(done // 1024, total // 1024, path.name)
                try:
                    installed += len(models.install_from_path(path))
                except models.ModelError as exc:
                    errors.append(str(exc))
                done += size
            ctx.progress(total // 1024, total // 1024, "")
            return installed, errors

        self.tasks.run(
            work,
            on_success=self._installed,
            on_failure=self._failed,
            on_progress=lambda d, _t, _text: self.progress.setValue(d),
            name="install models from a folder",
        )

    def _installed(self, result: tuple[int, list[str]]) -> None:
        installed, errors = result
        self.progress.setValue(self.progress.maximum())
        self.choose_button.setEnabled(True)
        text = f"Installed {installed} model(s)."
        if errors:
            text += " Not installed: " + " ".join(errors)
        self.message.setText(text)
        if installed:
            self.sig_models_changed.emit()
        self.sig_finished.emit(text)

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.choose_button.setEnabled(True)
        self.install_button.setEnabled(bool(self.installable()))
        self.message.setText(str(exc))
        self.sig_finished.emit(str(exc))


class _YieldingButton(QPushButton):
    """A button that never widens its row's minimum (it is hidden instead when the row is too narrow)."""

    def __init__(self, text: str, parent: QWidget) -> None:
        super().__init__(text, parent)
        # Preferred (not QPushButton's Minimum): the layout may go below the size hint, down to the 0 below
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())


class _RoomForButton(QObject):
    """Shows the banner's folder button only while the banner has room for it next to its own buttons, so the
    banner never makes the reader wider than the window's layout allows (the side panels give way instead)."""

    LABEL_MIN = 160  # the message keeps at least this much width (it wraps)

    def __init__(self, banner: QWidget, button: QPushButton) -> None:
        super().__init__(button)
        self.banner = banner
        self.button = button
        banner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.banner and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.update()
        return False

    def update(self) -> None:
        layout = self.banner.layout()
        others = [
            w for w in self.banner.findChildren(QPushButton) if w is not self.button and not w.isHidden()
        ]
        spacing = max(layout.spacing(), 0) if layout is not None else 6
        margins = layout.contentsMargins() if layout is not None else None
        needed = (
            self.LABEL_MIN
            + sum(w.sizeHint().width() + spacing for w in others)
            + self.button.sizeHint().width()
            + spacing
            + ((margins.left() + margins.right()) if margins is not None else 24)
        )
        self.button.setVisible(self.banner.width() >= needed)


def attach(banner: QWidget, tasks: TaskManager, on_installed: Callable[[], None]) -> QPushButton:
    """Add "Install models from a folder…" to the missing-model banner (first in its row of buttons)."""
    button = _YieldingButton(BUTTON_TEXT, banner)
    button.setAccessibleName("Install every model found in a folder")
    button.setToolTip("For a USB stick or a folder holding .argosmodel files; no network needed.")
    layout = banner.layout()
    assert isinstance(layout, QHBoxLayout)
    layout.insertWidget(1, button)  # after the message label
    _RoomForButton(banner, button)

    def open_dialog() -> None:
        dialog = ModelFolderDialog(tasks, banner.window())
        dialog.sig_models_changed.connect(on_installed)
        dialog.show()
        dialog.ask_folder()

    button.clicked.connect(open_dialog)
    return button
