"""Shipped reading fonts (resources/fonts) and which face reads which language."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFontDatabase

from reader import paths

log = logging.getLogger(__name__)

VAZIRMATN = "Vazirmatn"
NASKH = "Noto Naskh Arabic"

#: Font files shipped in resources/fonts (see its README.md for sources and licences).
FONT_FILES = (
    "Vazirmatn-Regular.ttf",
    "Vazirmatn-Bold.ttf",
    "NotoNaskhArabic-Regular.ttf",
    "NotoNaskhArabic-Bold.ttf",
)

#: Preferred families per language; the system font fills in any glyph a face lacks (Latin in Naskh).
LANGUAGE_FAMILIES: dict[str, tuple[str, ...]] = {
    "fa": (VAZIRMATN, NASKH),
    "ar": (NASKH, VAZIRMATN),
    "ur": (NASKH, VAZIRMATN),
    "ps": (NASKH, VAZIRMATN),
    "ckb": (VAZIRMATN, NASKH),
}

_loaded: list[str] | None = None


def font_paths() -> list[Path]:
    """The font files :func:`ensure_fonts` registers (in the source checkout, the wheel or the bundle)."""
    folder = paths.resources_dir() / "fonts"
    return [folder / name for name in FONT_FILES]


def ensure_fonts() -> list[str]:
    """Register the shipped fonts once per process (needs a QGuiApplication); returns the families."""
    global _loaded
    if _loaded is not None:
        return _loaded
    families: list[str] = []
    for path in font_paths():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load the font %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    _loaded = families
    return families


def families_for(lang: str) -> list[str]:
    """Font families to read ``lang`` in, best first (empty: the default reading font)."""
    ensure_fonts()
    available = set(_loaded or [])
    return [f for f in LANGUAGE_FAMILIES.get(lang, ()) if f in available]
