"""The banner above the reader when no model translates the document's language (never a modal)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ModelBanner(QFrame):
    """Shown above the reader when no model translates the document's language (never a modal)."""

    sig_install_from_file = Signal()
    sig_download = Signal()
    sig_resume = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Missing translation model")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.install_button = QPushButton("Install from file…", self)
        self.install_button.setAccessibleName("Install a model from a file")
        self.download_button = QPushButton("Download…", self)
        self.download_button.setAccessibleName("Download the model")
        self.resume_button = QPushButton("Resume", self)
        self.resume_button.setAccessibleName("Resume translating")
        self.resume_button.setToolTip("Translate the sentences still missing (Ctrl+T)")
        self.resume_button.hide()
        layout.addWidget(self.label, 1)
        layout.addWidget(self.install_button)
        layout.addWidget(self.download_button)
        layout.addWidget(self.resume_button)
        self.install_button.clicked.connect(self.sig_install_from_file)
        self.download_button.clicked.connect(self.sig_download)
        self.resume_button.clicked.connect(self.sig_resume)
        self.mode = ""  # "missing" or "stopped" while shown
        self.hide()

    def show_missing(self, pair: str, detail: str = "", *, known: int = 0, total: int = 0) -> None:
        if known:
            shown = "all" if known >= total else f"{known} of {total}"
            text = (
                f"No {pair} model is installed for new sentences; the translations made before ({shown}) "
                "are shown."
            )
        else:
            text = f"No {pair} model is installed. The original stays readable."
        if detail:
            text += " " + detail
        self.label.setText(text)
        self.mode = "missing"
        self.install_button.show()
        self.download_button.show()
        self.resume_button.hide()
        self.set_busy(False)
        self.show()

    def show_stopped(self, done: int, total: int) -> None:
        self.label.setText(f"Translation stopped: {done} of {total} sentences translated.")
        self.mode = "stopped"
        self.install_button.hide()
        self.download_button.hide()
        self.resume_button.show()
        self.show()

    def set_message(self, text: str) -> None:
        self.label.setText(text)

    def set_busy(self, busy: bool) -> None:
        self.install_button.setEnabled(not busy)
        self.download_button.setEnabled(not busy)

    def apply_palette(self, palette: QPalette) -> None:
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor("#4a3b12") if dark else QColor("#fff4cc"))
        pal.setColor(QPalette.ColorRole.WindowText, QColor("#ffe9a8") if dark else QColor("#4a3b12"))
        self.setPalette(pal)


__all__ = ["ModelBanner"]
