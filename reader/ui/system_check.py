"""Before the window starts (``make run``): are the system libraries of Qt's X11 (xcb) platform installed?

Without them Qt aborts ("xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform plugin …
Aborted"), which says little to a new user. This check imports no Qt: it asks the dynamic linker (``ldd``)
what the xcb plugin and its Qt library cannot find, plus ``libxcb-cursor`` (which Qt loads at run time), and
prints the one install line for Debian/Ubuntu and for Fedora. It runs only where Qt would pick xcb: on Linux,
with ``QT_QPA_PLATFORM`` unset (outside a Wayland session) or set to ``xcb``; ``QT_QPA_PLATFORM`` itself is left
to Qt's choice (a Wayland session uses Qt's Wayland plugin).

    python -m reader.ui.system_check     # exit 0: fine (or not relevant); 1: prints what to install
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# Everything the xcb platform of Qt 6 needs beyond a bare X11 system, as one line per distribution.
APT_LINE = (
    "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 "
    "libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 "
    "libegl1 libfontconfig1 libdbus-1-3"
)
DNF_LINE = (
    "sudo dnf install xcb-util-cursor xcb-util-image xcb-util-keysyms xcb-util-renderutil xcb-util-wm "
    "libxkbcommon-x11 mesa-libEGL fontconfig dbus-libs"
)

# The Debian package of each library the plugin may miss (to name them in the message).
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def wants_xcb(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> bool:
    """Whether Qt would use its xcb platform here (the only one this check is about)."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").strip().lower()
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return not env.get("WAYLAND_DISPLAY")


def not_found(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reports as ``not found`` (each once, in order)."""
    found: list[str] = []
    for line in ldd_output.splitlines():
        if "=> not found" in line:
            name = line.split("=>")[0].strip()
            if name and name not in found:
                found.append(name)
    return found


def qt_platform_files() -> list[Path]:
    """The xcb plugin of the installed PySide6 and the Qt library it is built on."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return []
    qt = Path(spec.origin).parent / "Qt"
    files = [qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"]
    return [f for f in files if f.exists()]


def missing_libraries() -> list[str]:
    missing: list[str] = []
    for path in qt_platform_files():
        try:
            output = subprocess.run(
                ["ldd", str(path)], capture_output=True, text=True, timeout=20, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return []  # no ldd: nothing to say (Qt will say it)
        missing += [m for m in not_found(output) if m not in missing]
    if ctypes.util.find_library("xcb-cursor") is None:  # loaded at run time, so ldd does not list it
        missing.append("libxcb-cursor.so.0")
    return missing


def message(missing: list[str]) -> str:
    packages = sorted({DEBIAN_PACKAGES.get(m, m) for m in missing})
    return (
        f"Qt's X11 platform needs system libraries that are not installed ({', '.join(packages)}).\n"
        f"Debian/Ubuntu: {APT_LINE}\n"
        f"Fedora:        {DNF_LINE}"
    )


def main() -> int:
    if not wants_xcb():
        return 0
    missing = missing_libraries()
    if not missing:
        return 0
    print(message(missing), file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
