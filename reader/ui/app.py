"""Application setup and ``main(argv)``: ``python main.py [--screenshot PATH] [DOC]``.

Also used by ``yanyana open``. ``--screenshot PATH`` opens the window at 1280×800, waits until the visible part
of the document is translated (or the missing-model banner shows), saves a PNG of the window and exits 0; it
works with ``QT_QPA_PLATFORM=offscreen``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TextIO

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from reader import __version__, paths
from reader.ui.themes import THEME_KEY, THEMES, apply_theme

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = (1280, 800)
SCREENSHOT_TIMEOUT_MS = 180_000
_START = time.perf_counter()


def settings() -> QSettings:
    """The app's settings: an INI file in the data directory (one place, like every other path)."""
    paths.ensure_home()
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv or sys.argv[:1]))
    assert isinstance(app, QApplication)
    app.setApplicationName("Yanyana")
    app.setApplicationDisplayName("Yanyana")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Yanyana")
    app.setDesktopFileName(paths.APP_ID)  # Wayland app id: the desktop entry's icon and name
    from reader.ui.icons import app_icon

    app.setWindowIcon(app_icon())
    apply_theme(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_theme(app))
    from reader.ui import fonts

    fonts.ensure_fonts()
    return app


def _install_excepthook() -> None:
    """An unexpected error shows one message and is logged; the window stays open."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        app = QApplication.instance()
        if app is not None and not isinstance(exc, KeyboardInterrupt):
            QMessageBox.critical(None, "Yanyana", f"Something went wrong: {exc}")
        else:
            previous(kind, exc, tb)

    sys.excepthook = hook


def _say(text: str, stream: TextIO | None = None) -> None:
    """Print a line if there is somewhere to print it (a frozen windowed app on Windows has no stdout)."""
    target = stream if stream is not None else sys.stdout
    if target is not None:
        print(text, file=target, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yanyana-app", description="Open the Yanyana reader window.")
    parser.add_argument("doc", nargs="?", metavar="DOC", help="document id, or a file to import and open")
    parser.add_argument("--screenshot", metavar="PATH", help="save a PNG of the window (1280×800) and exit")
    parser.add_argument(
        "--size", metavar="WxH", type=parse_size, help="window size for --screenshot (default 1280x800)"
    )
    parser.add_argument("--theme", choices=THEMES[1:], help="light, sepia or dark (default: the saved theme)")
    parser.add_argument(
        "--home", metavar="DIR", help="data directory (default: $YANYANA_HOME or the user data dir)"
    )
    parser.add_argument(
        "--new-instance",
        action="store_true",
        help="start another window even if one is running on this data directory",
    )
    parser.add_argument(
        "--exit-when-readable", action="store_true", help=argparse.SUPPRESS
    )  # bench/startup.py
    return parser


def parse_size(text: str) -> tuple[int, int]:
    """``1366x768`` (or ``1366×768``) → (1366, 768); argparse reports anything else in one sentence."""
    parts = text.lower().replace("×", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1366x768")
    width, height = (int(p) for p in parts)
    if not (200 <= width <= 10000 and 200 <= height <= 10000):
        raise argparse.ArgumentTypeError(f"{text!r}: width and height must be between 200 and 10000 pixels")
    return width, height


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(argv) if argv is not None else sys.argv[1:])
    if args.home:
        paths.set_home(args.home)
    screenshot = Path(args.screenshot).resolve() if args.screenshot else None
    single = screenshot is None and not args.exit_when_readable and not args.new_instance
    if single:
        from reader.ui import single_instance

        if single_instance.send_to_running(args.doc):
            return 0  # the window already running on this data directory took the file
    app = create_application()
    from reader.ui.main_window import MainWindow

    app_settings = settings()
    apply_theme(app, args.theme or str(app_settings.value(THEME_KEY, "system") or "system"))
    size = args.size or SCREENSHOT_SIZE
    window = MainWindow(app_settings, initial_document=args.doc, save_settings=screenshot is None)
    if single:
        instance = single_instance.InstanceServer(parent=window)
        instance.sig_open.connect(lambda doc: single_instance.hand_to_window(window, doc))
        instance.listen()
    if screenshot is not None:
        window.resume_reading_mode = False  # a screenshot shows the whole window
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(*size)
        window.set_library_visible(True)
        window.splitter.setSizes([340, size[0] - 340])
    exit_code = {"value": 0}

    if screenshot is not None:
        done = {"saved": False}

        def save() -> None:
            if done["saved"]:
                return
            done["saved"] = True
            window.reader.flush()
            app.processEvents()
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            if window.grab().save(str(screenshot)):
                _say(str(screenshot))
            else:
                _say(f"error: could not write {screenshot}", sys.stderr)
                exit_code["value"] = 2
            window.close()
            app.quit()

        window.sig_settled.connect(lambda: QTimer.singleShot(250, save))
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, save)

    if args.exit_when_readable:

        def readable(_doc: object) -> None:
            window.reader.text_view.viewport().repaint()
            _say(f"readable {time.perf_counter() - _START:.4f}")
            window.close()
            app.quit()

        window.controller.sig_document_opened.connect(readable)

    _install_excepthook()
    window.show()
    window.start()
    code = app.exec()
    return exit_code["value"] or int(code)
