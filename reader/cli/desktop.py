"""``yanyana install-desktop-entry``: the launcher, icon and file associations for a pip/pipx install.

The ``.deb`` and the bundle's tarball carry the same files (``make dist`` calls :func:`install_desktop_files`
with the system paths); a pipx user runs this command once to get "Yanyana" in the application menu and "Open
with Yanyana" for the formats the importer reads. Files go to ``$XDG_DATA_HOME`` (``~/.local/share``):
``applications/``, ``icons/hicolor/`` (the SVG and PNGs rendered from it) and ``metainfo/``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from reader import paths
from reader.cli.common import UserError, print_json

APP_ID = paths.APP_ID
DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{APP_ID}.metainfo.xml"

#: The MIME type (shared-mime-info's name) of every file suffix the importer reads: the desktop entry's
#: MimeType and the metainfo's mediatypes list exactly these (tests/cli/test_desktop.py checks both against
#: ``reader.core.importing.SUFFIXES``).
MIME_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docm": "application/vnd.ms-word.document.macroEnabled.12",
    ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ott": "application/vnd.oasis.opendocument.text-template",
    ".epub": "application/epub+zip",
    ".mhtml": "application/x-mimearchive",
    ".mht": "application/x-mimearchive",
    ".pdf": "application/pdf",
}


def desktop_dir() -> Path:
    return paths.resources_dir() / "desktop"


def user_data_dir() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` (the freedesktop default)."""
    configured = os.environ.get("XDG_DATA_HOME", "")
    return Path(configured) if configured and Path(configured).is_absolute() else Path.home() / ".local/share"


def launcher() -> list[str]:
    """The command that starts this installation of Yanyana (absolute, so the menu works without PATH)."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle
        return [sys.executable]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name.startswith("yanyana") and script.is_file():
        return [str(script.absolute())]
    found = shutil.which("yanyana")
    if found:
        return [str(Path(found).absolute())]
    return [sys.executable, "-m", "reader"]


def _quote(arg: str) -> str:
    """Quote one Exec argument as the Desktop Entry specification asks."""
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`="):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def desktop_entry(command: list[str] | None) -> str:
    """The shipped desktop file, with ``Exec``/``TryExec`` pointing at ``command`` (None: keep ``yanyana``)."""
    text = (desktop_dir() / DESKTOP_FILE).read_text(encoding="utf-8")
    if command is None:
        return text
    lines = []
    for line in text.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(_quote(a) for a in command) + " open %f"
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0]
        lines.append(line)
    return "\n".join(lines) + "\n"


def install_desktop_files(data_dir: Path, command: list[str] | None) -> list[Path]:
    """Write the desktop entry, the icons (SVG and PNGs) and the metainfo below ``data_dir``."""
    from reader.ui.icons import render_pngs, svg_path

    written: list[Path] = []
    entry = data_dir / "applications" / DESKTOP_FILE
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(desktop_entry(command), encoding="utf-8")
    written.append(entry)
    hicolor = data_dir / "icons" / "hicolor"
    svg = hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    svg.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg_path(), svg)
    written.append(svg)
    written.extend(render_pngs(hicolor))
    metainfo = data_dir / "metainfo" / METAINFO_FILE
    metainfo.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(desktop_dir() / METAINFO_FILE, metainfo)
    written.append(metainfo)
    return written


def uninstall_desktop_files(data_dir: Path) -> list[Path]:
    removed: list[Path] = []
    candidates = [
        data_dir / "applications" / DESKTOP_FILE,
        data_dir / "metainfo" / METAINFO_FILE,
        *(data_dir / "icons" / "hicolor").glob(f"*/apps/{APP_ID}.*"),
    ]
    for path in candidates:
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def _refresh_caches(data_dir: Path) -> None:
    """Let the desktop notice at once (both tools are optional; failures change nothing that matters)."""
    for tool, target in (
        ("update-desktop-database", data_dir / "applications"),
        ("gtk-update-icon-cache", data_dir / "icons" / "hicolor"),
    ):
        exe = shutil.which(tool)
        if exe and target.is_dir():
            subprocess.run([exe, "-q", str(target)], check=False, capture_output=True, timeout=60)


def cmd_install_desktop_entry(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir).expanduser().absolute() if args.data_dir else user_data_dir()
    try:
        if args.remove:
            files = uninstall_desktop_files(data_dir)
        else:
            files = install_desktop_files(data_dir, launcher())
    except OSError as exc:
        raise UserError(
            f"The desktop entry could not be written in {data_dir}: {exc.strerror or exc}."
        ) from exc
    _refresh_caches(data_dir)
    if args.json:
        print_json(
            {"data_dir": str(data_dir), "removed" if args.remove else "installed": [str(f) for f in files]}
        )
    else:
        verb = "removed" if args.remove else "installed"
        for path in files:
            print(f"{verb}\t{path}")
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "install-desktop-entry",
        help="add Yanyana to the application menu and to 'Open with' (for pip/pipx installs)",
    )
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where to install (default: $XDG_DATA_HOME or ~/.local/share; /usr/local/share for everyone)",
    )
    p.add_argument("--remove", action="store_true", help="remove what an earlier run installed")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_install_desktop_entry)
