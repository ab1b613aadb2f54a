"""Small dialogs of the main window: what to export, which backup to restore.

They only ask; the main window does the work through the task manager.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from reader.ui.texts import isolate, short_title

#: Export formats: code → (label, file suffix, file-dialog filter).
EXPORT_FORMATS: dict[str, tuple[str, str, str]] = {
    "md": ("Markdown report", ".md", "Markdown (*.md)"),
    "jsonld": ("W3C Web Annotations (JSON-LD)", ".jsonld", "JSON-LD (*.jsonld *.json)"),
    "csv": ("Spreadsheet (CSV)", ".csv", "CSV (*.csv)"),
    "tmx": ("Sentence pairs (TMX)", ".tmx", "TMX (*.tmx)"),
    "html": ("Bilingual web page (HTML)", ".html", "HTML (*.html *.htm)"),
}


class ExportDialog(QDialog):
    """Export the open document or the whole library, in one of five formats."""

    def __init__(self, document_title: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setAccessibleName("Export")
        self.current = QRadioButton(
            f"This document: {isolate(short_title(document_title))}." if document_title else "This document",
            self,
        )
        if document_title:
            self.current.setToolTip(document_title)
        self.current.setEnabled(document_title is not None)
        self.library = QRadioButton("The whole library", self)
        (self.current if document_title is not None else self.library).setChecked(True)
        self.format = QComboBox(self)
        self.format.setAccessibleName("Export format")
        for code, (label, suffix, _filter) in EXPORT_FORMATS.items():
            self.format.addItem(f"{label} ({suffix})", code)
        note = QLabel(
            "Markdown, JSON-LD, CSV and HTML include highlights and notes; TMX holds the sentence pairs. "
            "JSON-LD can be imported into another Yanyana library (File ▸ Import notes…).",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Format:", self.format)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.library)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def choice(self) -> tuple[str, bool]:
        """(format code, whole library)."""
        return str(self.format.currentData()), self.library.isChecked()


def describe_backup(info: Any, contents: Any = None) -> str:
    """A backup in one line: when it was made and, when known, what it holds."""
    local = info.created.astimezone()
    size = info.size / (1024 * 1024)
    text = f"{local:%Y-%m-%d %H:%M} — {size:.1f} MB"
    if contents is not None:
        if contents.problem:
            text += " — cannot be read"
        else:
            docs = "1 document" if contents.documents == 1 else f"{contents.documents} documents"
            notes = "1 highlight or note" if contents.notes == 1 else f"{contents.notes} highlights and notes"
            text += f" — {docs}, {notes}"
    return text


class RestoreDialog(QDialog):
    """Choose a backup of library.db to restore (the current file is kept beside it, never deleted).

    ``backups``: BackupInfo objects, or (BackupInfo, BackupContents) pairs to show what each one holds. Cancel is
    the default button: Enter never replaces the library by accident."""

    def __init__(self, backups: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.setAccessibleName("Restore from backup")
        self.list = QListWidget(self)
        self.list.setAccessibleName("Backups, newest first")
        for entry in backups:
            info, contents = entry if isinstance(entry, tuple) else (entry, None)
            item = QListWidgetItem(describe_backup(info, contents))
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            item.setToolTip(str(info.path))
            self.list.addItem(item)
        text = (
            "Choose a backup to restore. The current library file is kept beside it under a "
            "“.damaged-…” name, never deleted."
            if backups
            else "There are no backups yet: Yanyana makes one a day when it starts (File ▸ Back up now makes one "
            "at once)."
        )
        label = QLabel(text, self)
        label.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.restore_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("Restore")
        self.restore_button.setEnabled(bool(backups))
        self.restore_button.setAutoDefault(False)
        self.restore_button.setDefault(False)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        if backups:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(520, 300)

    def selected(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard shortcuts: what each key does, from the window's own actions."""

    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for r, (what, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(what))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(520, 560)

    def rows(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            what, keys = self.table.item(r, 0), self.table.item(r, 1)
            out.append((what.text() if what else "", keys.text() if keys else ""))
        return out


def backup_date(path: Path | None) -> str:
    """The local date and time a backup was made, from its name (``library-YYYYMMDDTHHMMSSZ.db``)."""
    if path is None:
        return ""
    from datetime import UTC

    try:
        stamp = datetime.strptime(path.name[len("library-") : len("library-") + 15], "%Y%m%dT%H%M%S")
    except ValueError:
        return path.name
    return f"{stamp.replace(tzinfo=UTC).astimezone():%Y-%m-%d %H:%M}"


__all__ = [
    "EXPORT_FORMATS",
    "ExportDialog",
    "RestoreDialog",
    "ShortcutsDialog",
    "backup_date",
    "describe_backup",
]
