"""Status bar: language pair, model and version, the offline indicator, progress with Cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QWidget


class StatusBar(QStatusBar):
    sig_cancel = Signal()  # Cancel while translating
    sig_cancel_import = Signal()  # Cancel while an import runs (between begin_import and end_import)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Status bar")
        self.pair_label = QLabel("", self)
        self.pair_label.setAccessibleName("Language pair")
        self.model_label = QLabel("", self)
        self.model_label.setAccessibleName("Translation model")
        self.network_label = QLabel("", self)
        self.network_label.setAccessibleName("Network use")
        self.read_only_label = QLabel("", self)
        self.read_only_label.setAccessibleName("Library is read-only")
        self.read_only_label.hide()
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Translation progress")
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel translation")
        self.cancel_button.setToolTip("Stop translating (Esc)")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.importing = False
        # Translation ▸ Translate all documents: one bar for the whole library (documents done of queued)
        self.library_progress = QProgressBar(self)
        self.library_progress.setAccessibleName("Library translation progress")
        self.library_progress.setMaximumWidth(220)
        self.library_progress.setTextVisible(True)
        self.library_progress.setToolTip("Translation ▸ Stop translating all documents")
        self.library_progress.hide()
        # Permanent widgets stay visible while showMessage() shows a temporary message on the left.
        self.addPermanentWidget(self.read_only_label)
        self.addPermanentWidget(self.pair_label)
        self.addPermanentWidget(self.model_label)
        self.addPermanentWidget(self.library_progress)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.cancel_button)
        self.addPermanentWidget(self.network_label)
        self.set_online(False)

    def set_pair(self, text: str) -> None:
        self.pair_label.setText(text)

    def set_model(self, text: str) -> None:
        self.model_label.setText(f"Model: {text}" if text else "")

    def set_online(self, online: bool, what: str = "") -> None:
        """The app uses the network only when the user asks (model download or package list)."""
        if online:
            self.network_label.setText(f"● Online: {what}" if what else "● Online")
            self.network_label.setToolTip("Yanyana is using the network because you asked it to.")
        else:
            self.network_label.setText("○ Offline")
            self.network_label.setToolTip("Yanyana uses no network unless you download a model.")

    def _on_cancel_clicked(self) -> None:
        (self.sig_cancel_import if self.importing else self.sig_cancel).emit()

    def begin_import(self) -> None:
        """Until :meth:`end_import`, Cancel stops the import (``sig_cancel_import``), not a translation."""
        self.importing = True
        self.cancel_button.setAccessibleName("Cancel import")
        self.cancel_button.setToolTip("Stop importing; the file being read is not stored")

    def end_import(self) -> None:
        self.importing = False
        self.cancel_button.setAccessibleName("Cancel translation")
        self.cancel_button.setToolTip("Stop translating (Esc)")

    def set_progress(self, done: int, total: int, label: str = "Translating") -> None:
        """Show progress (total 0: busy without a known total) with the Cancel button."""
        self.progress.setMaximum(max(total, 0))
        self.progress.setValue(min(done, total) if total else 0)
        self.progress.setFormat(f"{label} %v/%m" if total else label)
        self.progress.show()
        self.cancel_button.show()

    def clear_progress(self, message: str = "", timeout_ms: int = 6000) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        if message:
            self.showMessage(message, timeout_ms)

    def set_library_progress(self, done: int, total: int) -> None:
        self.library_progress.setMaximum(max(total, 1))
        self.library_progress.setValue(min(done, total))
        self.library_progress.setFormat("Library %v/%m documents")
        self.library_progress.show()

    def clear_library_progress(self, message: str = "") -> None:
        self.library_progress.hide()
        if message:
            self.showMessage(message, 10000)
