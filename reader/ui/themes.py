"""Colour themes: light, sepia and dark palettes under the Fusion style; "system" follows the desktop's
light or dark scheme (and changes with it). ``YANYANA_THEME`` overrides the saved theme (screenshots, tests)."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleFactory


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(37, 38, 41), QColor(28, 29, 31), QColor(226, 226, 226)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, window)
    p.setColor(QPalette.ColorRole.ToolTipBase, window)
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor(48, 49, 53))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor(255, 120, 120))
    p.setColor(QPalette.ColorRole.Highlight, QColor(61, 123, 209))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(140, 140, 140))
    p.setColor(QPalette.ColorRole.Mid, QColor(70, 70, 74))
    p.setColor(QPalette.ColorRole.Link, QColor(110, 170, 255))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 120, 120))
    return p


def _sepia_palette() -> QPalette:
    """Warm paper and brown ink: lower contrast than black on white for long reading."""
    p = QPalette()
    window, base, text = QColor(236, 227, 205), QColor(246, 238, 220), QColor(74, 58, 42)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(240, 231, 210))
    p.setColor(QPalette.ColorRole.ToolTipBase, base)
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor(228, 217, 192))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor(160, 40, 30))
    p.setColor(QPalette.ColorRole.Highlight, QColor(120, 92, 60))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 250, 240))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(150, 132, 110))
    p.setColor(QPalette.ColorRole.Mid, QColor(196, 182, 152))
    p.setColor(QPalette.ColorRole.Link, QColor(130, 70, 20))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(160, 145, 125))
    return p


THEMES = ("system", "light", "sepia", "dark")  # "system": light or dark, as the desktop says
THEME_KEY = "appearance/theme"


def resolve_theme(app: QGuiApplication, theme: str = "system") -> str:
    """light, sepia or dark: ``YANYANA_THEME`` overrides (screenshots, testing); "system" follows the desktop."""
    override = os.environ.get("YANYANA_THEME", "").lower()
    if override in THEMES:
        theme = override
    if theme not in THEMES or theme == "system":
        return "dark" if app.styleHints().colorScheme() == Qt.ColorScheme.Dark else "light"
    return theme


def wants_dark(app: QGuiApplication, theme: str = "system") -> bool:
    return resolve_theme(app, theme) == "dark"


def theme_palette(theme: str, style: QStyle | None = None) -> QPalette:
    """The palette of a resolved theme (light, sepia or dark) under the Fusion style."""
    if theme == "dark":
        return _dark_palette()
    if theme == "sepia":
        return _sepia_palette()
    style = style or QStyleFactory.create("Fusion")
    return style.standardPalette() if style is not None else QPalette()


def apply_theme(app: QApplication, theme: str | None = None) -> str:
    """Fusion style with the palette of ``theme`` (None: the saved one, else the system's); returns what
    it resolved to."""
    if "Fusion" in list(QStyleFactory.keys()):
        app.setStyle("Fusion")
    if theme is None:
        theme = str(app.property("yanyanaTheme") or "system")
    app.setProperty("yanyanaTheme", theme)
    resolved = resolve_theme(app, theme)
    app.setPalette(theme_palette(resolved, app.style()))
    return resolved


__all__ = ["THEMES", "THEME_KEY", "apply_theme", "resolve_theme", "theme_palette", "wants_dark"]
