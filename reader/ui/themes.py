"""Colour themes: light, sepia and dark palettes under the Fusion style; "system" follows the desktop's
light or dark scheme (and changes with it). ``YANYANA_THEME`` overrides the saved theme (screenshots, tests)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleFactory


@dataclass(frozen=True)
class _Scheme:
    """The colours of one theme (RGB triples), turned into a palette by :func:`_palette`."""

    window: tuple[int, int, int]
    base: tuple[int, int, int]
    alternate_base: tuple[int, int, int]
    tooltip_base: tuple[int, int, int]
    text: tuple[int, int, int]
    button: tuple[int, int, int]
    bright_text: tuple[int, int, int]
    highlight: tuple[int, int, int]
    highlighted_text: tuple[int, int, int]
    placeholder: tuple[int, int, int]
    mid: tuple[int, int, int]
    link: tuple[int, int, int]
    disabled_text: tuple[int, int, int]


_DARK = _Scheme(
    window=(37, 38, 41), base=(28, 29, 31), alternate_base=(37, 38, 41), tooltip_base=(37, 38, 41),
    text=(226, 226, 226), button=(48, 49, 53), bright_text=(255, 120, 120), highlight=(61, 123, 209),
    highlighted_text=(255, 255, 255), placeholder=(140, 140, 140), mid=(70, 70, 74), link=(110, 170, 255),
    disabled_text=(120, 120, 120),
)  # fmt: skip
# Warm paper and brown ink: lower contrast than black on white for long reading.
_SEPIA = _Scheme(
    window=(236, 227, 205), base=(246, 238, 220), alternate_base=(240, 231, 210), tooltip_base=(246, 238, 220),
    text=(74, 58, 42), button=(228, 217, 192), bright_text=(160, 40, 30), highlight=(120, 92, 60),
    highlighted_text=(255, 250, 240), placeholder=(150, 132, 110), mid=(196, 182, 152), link=(130, 70, 20),
    disabled_text=(160, 145, 125),
)  # fmt: skip


def _palette(scheme: _Scheme) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    text = QColor(*scheme.text)
    for which, rgb in (
        (role.Window, scheme.window),
        (role.Base, scheme.base),
        (role.AlternateBase, scheme.alternate_base),
        (role.ToolTipBase, scheme.tooltip_base),
        (role.Button, scheme.button),
        (role.BrightText, scheme.bright_text),
        (role.Highlight, scheme.highlight),
        (role.HighlightedText, scheme.highlighted_text),
        (role.PlaceholderText, scheme.placeholder),
        (role.Mid, scheme.mid),
        (role.Link, scheme.link),
    ):
        p.setColor(which, QColor(*rgb))
    for which in (role.WindowText, role.ToolTipText, role.Text, role.ButtonText):
        p.setColor(which, text)
    for which in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, which, QColor(*scheme.disabled_text))
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
        return _palette(_DARK)
    if theme == "sepia":
        return _palette(_SEPIA)
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
