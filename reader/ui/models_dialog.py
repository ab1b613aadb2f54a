"""Models dialog: installed translation models (remove), available ones (download), install from a file.

The package index is fetched only when the user presses "Check for packages" (the network is never used
otherwise). Every operation runs through the task manager; the dialog shows progress and one-sentence errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.languages import pair_name
from reader.ui.tasks import TaskContext, TaskManager

PAIR_ROLE = Qt.ItemDataRole.UserRole + 1


def _size(num: int) -> str:
    return f"{num / (1024 * 1024):.1f} MB" if num >= 1024 * 1024 else f"{max(1, num // 1024)} KB"


def _table(parent: QWidget, headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ModelsDialog(QDialog):
    sig_models_changed = Signal()
    sig_network = Signal(bool, str)  # using the network (for the status bar's indicator)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.setWindowTitle("Translation models")
        self.setAccessibleName("Translation models")
        self.resize(720, 520)
        self.installed_table = _table(self, ["Pair", "Version", "Size", "Package"], "Installed models")
        self.available_table = _table(self, ["Pair", "Version", "Package"], "Available models")
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setAccessibleName("Remove the selected model")
        self.install_file_button = QPushButton("Install from file…", self)
        self.install_file_button.setAccessibleName("Install a model from a file")
        self.check_button = QPushButton("Check for packages", self)
        self.check_button.setAccessibleName("Download the list of available models")
        self.check_button.setToolTip("Uses the network to read the Argos Translate package index.")
        self.download_button = QPushButton("Download and install", self)
        self.download_button.setAccessibleName("Download the selected model")
        self.download_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Model operation progress")
        self.progress.hide()
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Model operation message")
        # room for two lines from the start, so a message appearing does not make the dialog jump
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)

        installed_box = self._table_box(
            "Installed", self.installed_table, self.install_file_button, self.remove_button
        )
        available_box = self._table_box(
            "Available (Argos Translate package index)",
            self.available_table,
            self.check_button,
            self.download_button,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(installed_box, 1)
        layout.addWidget(available_box, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout.addLayout(bottom)

        self.remove_button.clicked.connect(self.remove_selected)
        self.install_file_button.clicked.connect(self._ask_install_file)
        self.check_button.clicked.connect(self.check_available)
        self.download_button.clicked.connect(self.download_selected)
        self.available_table.itemSelectionChanged.connect(
            lambda: self.download_button.setEnabled(bool(self.available_table.selectedItems()))
        )
        self.refresh()

    # --- installed -----------------------------------------------------------------------------------------

    def _table_box(self, title: str, table: QWidget, left: QWidget, right: QWidget) -> QGroupBox:
        """A titled box: the table, with one button under its left edge and one under its right."""
        box = QGroupBox(title, self)
        layout = QVBoxLayout(box)
        layout.addWidget(table)
        row = QHBoxLayout()
        row.addWidget(left)
        row.addStretch(1)
        row.addWidget(right)
        layout.addLayout(row)
        return box

    def refresh(self) -> None:
        from reader.translation import models

        def work(_ctx: TaskContext) -> tuple[list[Any], list[str]]:
            return models.list_installed_with_problems()

        self.tasks.run(work, on_success=self._show_installed, on_failure=self._failed)

    def _show_installed(self, result: tuple[list[Any], list[str]]) -> None:
        installed, problems = result
        self.installed_table.setRowCount(0)
        for model in installed:
            r = self.installed_table.rowCount()
            self.installed_table.insertRow(r)
            pair = QTableWidgetItem(pair_name(model.from_code, model.to_code))
            pair.setData(PAIR_ROLE, (model.from_code, model.to_code))
            self.installed_table.setItem(r, 0, pair)
            self.installed_table.setItem(r, 1, QTableWidgetItem(model.version))
            self.installed_table.setItem(r, 2, QTableWidgetItem(_size(model.size)))
            self.installed_table.setItem(r, 3, QTableWidgetItem(model.path.name))
        self.remove_button.setEnabled(bool(installed))
        if problems:
            self.message.setText(" ".join(problems))

    def installed_pairs(self) -> list[tuple[str, str]]:
        return [_pair_at(self.installed_table, r) for r in range(self.installed_table.rowCount())]

    def remove_selected(self) -> None:
        from reader.translation import models

        rows = {i.row() for i in self.installed_table.selectedItems()}
        if not rows:
            self.message.setText("Select the model to remove in the Installed list first.")
            return
        from_code, to_code = _pair_at(self.installed_table, rows.pop())
        answer = QMessageBox.question(
            self,
            "Remove model",
            f"Remove the {pair_name(from_code, to_code)} model? Translations already made stay in the cache.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._busy(f"Removing the {pair_name(from_code, to_code)} model…")

        def work(_ctx: TaskContext) -> Any:
            return models.remove(from_code, to_code)

        self.tasks.run(work, on_success=self._changed, on_failure=self._failed)

    def _ask_install_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Install a translation model", "", "Argos models (*.argosmodel);;All files (*)"
        )
        if path:
            self.install_file(Path(path))

    def install_file(self, path: Path) -> None:
        from reader.translation import models

        self._busy(f"Installing {path.name}…")

        def work(_ctx: TaskContext) -> Any:
            return models.install_from_path(path)

        self.tasks.run(work, on_success=self._changed, on_failure=self._failed)

    # --- available (network, on request only) --------------------------------------------------------------

    def check_available(self) -> None:
        from reader.translation import models

        self._busy("Reading the package index…")
        self.sig_network.emit(True, "reading the package index")

        def work(_ctx: TaskContext) -> list[dict[str, Any]]:
            return models.available_packages()

        self.tasks.run(
            work,
            on_success=self._show_available,
            on_failure=self._failed,
            on_finally=lambda: self.sig_network.emit(False, ""),
        )

    def _show_available(self, entries: list[dict[str, Any]]) -> None:
        self._idle("")
        self.available_table.setRowCount(0)
        for entry in sorted(entries, key=lambda e: (str(e.get("from_code")), str(e.get("to_code")))):
            from_code, to_code = str(entry.get("from_code", "")), str(entry.get("to_code", ""))
            if not from_code or not to_code:
                continue
            r = self.available_table.rowCount()
            self.available_table.insertRow(r)
            pair = QTableWidgetItem(pair_name(from_code, to_code))
            pair.setData(PAIR_ROLE, (from_code, to_code))
            self.available_table.setItem(r, 0, pair)
            self.available_table.setItem(r, 1, QTableWidgetItem(str(entry.get("package_version", ""))))
            self.available_table.setItem(r, 2, QTableWidgetItem(str(entry.get("code", ""))))
        self.message.setText(f"{self.available_table.rowCount()} packages are available.")

    def download_selected(self) -> None:
        from reader.translation import models

        rows = {i.row() for i in self.available_table.selectedItems()}
        if not rows:
            return
        from_code, to_code = _pair_at(self.available_table, rows.pop())
        self._busy(f"Downloading the {pair_name(from_code, to_code)} model…")
        self.sig_network.emit(True, "downloading a model")

        def work(ctx: TaskContext) -> Any:
            return models.download(from_code, to_code, progress=lambda d, t: ctx.progress(d, t))

        def progress(done: int, total: int, _text: str) -> None:
            if total:
                self.progress.setMaximum(100)
                self.progress.setValue(int(100 * done / total))

        self.tasks.run(
            work,
            on_success=self._changed,
            on_failure=self._failed,
            on_progress=progress,
            on_finally=lambda: self.sig_network.emit(False, ""),
        )

    # --- feedback ------------------------------------------------------------------------------------------

    def _busy(self, text: str) -> None:
        self.message.setText(text)
        self.progress.setMaximum(0)
        self.progress.show()
        for button in (self.remove_button, self.install_file_button, self.check_button, self.download_button):
            button.setEnabled(False)

    def _idle(self, text: str) -> None:
        self.message.setText(text)
        self.progress.hide()
        for button in (self.install_file_button, self.check_button):
            button.setEnabled(True)
        self.remove_button.setEnabled(self.installed_table.rowCount() > 0)
        self.download_button.setEnabled(bool(self.available_table.selectedItems()))

    def _changed(self, _result: object) -> None:
        self._idle("Done.")
        self.refresh()
        self.sig_models_changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self._idle(str(exc))


def _pair_at(table: QTableWidget, row: int) -> tuple[str, str]:
    """The (from, to) language pair stored in a table row's first cell."""
    item = table.item(row, 0)
    if item is None:
        raise LookupError(f"row {row} of the models table has no pair")
    from_code, to_code = item.data(PAIR_ROLE)
    return str(from_code), str(to_code)
