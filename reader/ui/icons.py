"""The application icon: the SVG source in resources/icons, and PNGs rendered from it at the usual sizes.

The PNGs are rendered with Qt's SVG renderer when they are needed (``make dist`` for the bundle and the .deb,
``yanyana install-desktop-entry`` for a pipx install), so the repository holds only the SVG.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from reader import paths
from reader.errors import YanyanaError

APP_ID = paths.APP_ID

#: The hicolor sizes desktops look up (launchers, task switchers, file managers, HiDPI).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def svg_path() -> Path:
    return paths.resources_dir() / "icons" / "yanyana.svg"


def app_icon() -> QIcon:
    """The window icon (drawn from the SVG at whatever size the platform asks for)."""
    return QIcon(str(svg_path()))


def render_pngs(out_dir: Path, sizes: tuple[int, ...] = ICON_SIZES) -> list[Path]:
    """Render the SVG as ``out_dir/<n>x<n>/apps/<APP_ID>.png`` (the hicolor layout); returns the files."""
    renderer = QSvgRenderer(str(svg_path()))
    if not renderer.isValid():
        raise YanyanaError(f"The icon {svg_path()} could not be read as SVG.")
    written: list[Path] = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        target = out_dir / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target)):  # PNG, from the suffix
            raise YanyanaError(f"The icon could not be written to {target}.")
        written.append(target)
    return written
