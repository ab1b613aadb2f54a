"""Reading comfort (theme, font family and size per script, line spacing, maximum line length) and translation
(the engine's compute type, the author name put on corrections).

:class:`ReadingPrefs` and :class:`TranslationPrefs` are plain data, read and written by the main window (widgets
read no settings). :class:`PreferencesDialog` applies every reading change at once (``sig_changed``), keeps it
on OK and puts the previous preferences back on Cancel. The Translation section takes effect on OK only
(``translation()``, applied by the window): a compute type change drops the loaded model and the author is
written to library.db, neither worth doing per keystroke; Cancel leaves both as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

SCRIPTS = ("persian", "arabic", "latin")
SCRIPT_NAMES = {"persian": "Persian", "arabic": "Arabic", "latin": "Latin (English, Turkish, Azerbaijani)"}
# Relative sizes (QTextFormat.FontSizeAdjustment steps, so zoom stays one change of the default font).
DEFAULT_FACE = {
    "persian": "Vazirmatn (shipped)",
    "arabic": "Noto Naskh Arabic (shipped)",
    "latin": "System font",
}
SIZE_STEPS = {-1: "Smaller", 0: "Normal", 1: "Larger", 2: "Largest"}
DEFAULT_SIZES = {"persian": 1, "arabic": 1, "latin": 0}  # Arabic-script faces read best a step larger
THEME_CHOICES = {
    "system": "As the system (light or dark)",
    "light": "Light",
    "sepia": "Sepia",
    "dark": "Dark",
}
LINE_SPACING_RANGE = (80, 200)  # percent of the default spacing
LINE_LENGTH_RANGE = (30, 200)  # characters a line may hold at most (0: the column's width)
# The engine's compute type: "default" is each package's own stored type (int8 for Argos packages).
COMPUTE_TYPES = {
    "default": "The package's own (int8: less memory, faster)",
    "float32": "float32 (about 4× the memory)",
}
COMPUTE_TYPE_KEY = "translation/compute_type"


def script_of(lang: str) -> str:
    """The script a document language is set in (for its font)."""
    if lang in ("fa", "ckb"):
        return "persian"
    if lang in ("ar", "ur", "ps"):
        return "arabic"
    return "latin"


@dataclass(frozen=True)
class ReadingPrefs:
    theme: str = "system"
    families: dict[str, str] = field(default_factory=dict)  # script → family ("" or absent: the shipped face)
    sizes: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_SIZES))
    line_spacing: int = 100  # percent of the default line spacing
    max_line_chars: int = 0  # 0: no limit

    def family(self, script: str) -> str:
        return self.families.get(script, "")

    def size(self, script: str) -> int:
        return self.sizes.get(script, DEFAULT_SIZES[script])

    @classmethod
    def load(cls, settings: QSettings) -> ReadingPrefs:
        def number(key: str, default: int, low: int, high: int) -> int:
            try:
                value = int(str(settings.value(key, default)))
            except ValueError:
                return default
            return value if low <= value <= high else default

        theme = str(settings.value("appearance/theme", "system") or "system")
        families = {s: str(settings.value(f"appearance/font_{s}", "") or "") for s in SCRIPTS}
        sizes = {s: number(f"appearance/size_{s}", DEFAULT_SIZES[s], -1, 2) for s in SCRIPTS}
        return cls(
            theme=theme if theme in THEME_CHOICES else "system",
            families={s: f for s, f in families.items() if f},
            sizes=sizes,
            line_spacing=number("appearance/line_spacing", 100, *LINE_SPACING_RANGE),
            max_line_chars=number("appearance/max_line_chars", 0, 0, LINE_LENGTH_RANGE[1]),
        )

    def save(self, settings: QSettings) -> None:
        settings.setValue("appearance/theme", self.theme)
        for script in SCRIPTS:
            settings.setValue(f"appearance/font_{script}", self.family(script))
            settings.setValue(f"appearance/size_{script}", self.size(script))
        settings.setValue("appearance/line_spacing", self.line_spacing)
        settings.setValue("appearance/max_line_chars", self.max_line_chars)


@dataclass(frozen=True)
class TranslationPrefs:
    """The Translation section: ``compute_type`` lives in the window's settings, ``author`` in library.db
    (``meta.author``, shared with the CLI; "" until it has been read)."""

    compute_type: str = "default"
    author: str = ""

    @staticmethod
    def load_compute_type(settings: QSettings) -> str:
        value = str(settings.value(COMPUTE_TYPE_KEY, "default") or "default")
        return value if value in COMPUTE_TYPES else "default"

    @staticmethod
    def save_compute_type(settings: QSettings, compute_type: str) -> None:
        settings.setValue(COMPUTE_TYPE_KEY, compute_type if compute_type in COMPUTE_TYPES else "default")


class PreferencesDialog(QDialog):
    """Edit → Preferences…: every change applies at once; Cancel puts the previous preferences back."""

    sig_changed = Signal(object)  # ReadingPrefs

    def __init__(
        self,
        prefs: ReadingPrefs,
        parent: QWidget | None = None,
        *,
        translation: TranslationPrefs | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self.initial = prefs
        self.prefs = prefs
        self.theme = QComboBox(self)
        self.theme.setAccessibleName("Theme")
        for key, label in THEME_CHOICES.items():
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(prefs.theme)))
        self.font_boxes: dict[str, QComboBox] = {}
        families = QFontDatabase.families()
        self.size_boxes: dict[str, QComboBox] = {}
        fonts = QGroupBox("Fonts", self)
        font_form = QFormLayout(fonts)
        for script in SCRIPTS:
            family = QComboBox(self)
            family.setAccessibleName(f"{SCRIPT_NAMES[script]} font")
            family.addItem(DEFAULT_FACE[script], "")
            for name in families:
                family.addItem(name, name)
            family.setCurrentIndex(max(0, family.findData(prefs.family(script))))
            size = QComboBox(self)
            size.setAccessibleName(f"{SCRIPT_NAMES[script]} size")
            for step, label in SIZE_STEPS.items():
                size.addItem(label, step)
            size.setCurrentIndex(max(0, size.findData(prefs.size(script))))
            row = QHBoxLayout()
            row.addWidget(family, 1)
            row.addWidget(size)
            font_form.addRow(SCRIPT_NAMES[script], row)
            self.font_boxes[script] = family
            self.size_boxes[script] = size
        self.line_spacing = QSpinBox(self)
        self.line_spacing.setAccessibleName("Line spacing")
        self.line_spacing.setRange(*LINE_SPACING_RANGE)
        self.line_spacing.setSingleStep(5)
        self.line_spacing.setSuffix(" %")
        self.line_spacing.setValue(prefs.line_spacing)
        self.max_line = QSpinBox(self)
        self.max_line.setAccessibleName("Maximum line length")
        self.max_line.setRange(LINE_LENGTH_RANGE[0] - 1, LINE_LENGTH_RANGE[1])
        self.max_line.setSpecialValueText("No limit")  # the minimum (29) stands for "no limit"
        self.max_line.setSuffix(" characters")
        self.max_line.setValue(prefs.max_line_chars or self.max_line.minimum())
        form = QFormLayout()
        form.addRow("Theme", self.theme)
        form.addRow("Line spacing", self.line_spacing)
        form.addRow("Longest line", self.max_line)
        self.initial_translation = translation or TranslationPrefs()
        translating = QGroupBox("Translation", self)
        translating_form = QFormLayout(translating)
        self.compute_type = QComboBox(self)
        self.compute_type.setAccessibleName("Compute type")
        for key, label in COMPUTE_TYPES.items():
            self.compute_type.addItem(label, key)
        self.compute_type.setCurrentIndex(
            max(0, self.compute_type.findData(self.initial_translation.compute_type))
        )
        self.compute_type.setToolTip("Used by the next translation (the loaded model is dropped)")
        self.author = QLineEdit(self)
        self.author.setAccessibleName("Your name on corrections")
        self.author.setText(self.initial_translation.author)
        if not self.initial_translation.author:
            self.author.setEnabled(False)  # read from the library in the background: set_author fills it
            self.author.setPlaceholderText("Reading…")
        translating_form.addRow("Compute type", self.compute_type)
        translating_form.addRow("Your name on corrections", self.author)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(fonts)
        layout.addWidget(translating)
        layout.addWidget(buttons)

        self.theme.currentIndexChanged.connect(lambda _i: self._changed())
        self.line_spacing.valueChanged.connect(lambda _v: self._changed())
        self.max_line.valueChanged.connect(lambda _v: self._changed())
        for script in SCRIPTS:
            self.font_boxes[script].currentIndexChanged.connect(lambda _i: self._changed())
            self.size_boxes[script].currentIndexChanged.connect(lambda _i: self._changed())

    def current(self) -> ReadingPrefs:
        families = {s: str(box.currentData()) for s, box in self.font_boxes.items() if box.currentData()}
        max_line = self.max_line.value()
        return replace(
            self.prefs,
            theme=str(self.theme.currentData()),
            families=families,
            sizes={s: int(box.currentData()) for s, box in self.size_boxes.items()},
            line_spacing=self.line_spacing.value(),
            max_line_chars=0 if max_line == self.max_line.minimum() else max_line,
        )

    def set_author(self, name: str) -> None:
        """The author name as stored (read off the GUI thread after the dialog opened)."""
        self.initial_translation = replace(self.initial_translation, author=name)
        if not self.author.isEnabled() or not self.author.text():
            self.author.setText(name)
        self.author.setPlaceholderText("")
        self.author.setEnabled(True)

    def translation(self) -> TranslationPrefs:
        """The Translation section as edited (an empty or unread author name keeps the stored one)."""
        author = " ".join(self.author.text().split()) if self.author.isEnabled() else ""
        return TranslationPrefs(
            compute_type=str(self.compute_type.currentData()),
            author=author or self.initial_translation.author,
        )

    def _changed(self) -> None:
        self.prefs = self.current()
        self.sig_changed.emit(self.prefs)

    def reject(self) -> None:
        if self.prefs != self.initial:
            self.prefs = self.initial
            self.sig_changed.emit(self.initial)
        super().reject()


__all__ = ["COMPUTE_TYPES", "SCRIPTS", "PreferencesDialog", "ReadingPrefs", "TranslationPrefs", "script_of"]
