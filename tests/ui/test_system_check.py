"""make run's check of Qt's xcb libraries: the install line instead of a Qt abort."""

from __future__ import annotations

import os
import subprocess
import sys

from reader.ui import system_check
from tests.helpers import ROOT

LDD = """\
\tlinux-vdso.so.1 (0x00007ffc5b5f7000)
\tlibQt6XcbQpa.so.6 => /x/Qt/lib/libQt6XcbQpa.so.6 (0x00007f1)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f2)
\tlibxcb-icccm.so.4 => not found
"""


def test_ldd_output_gives_the_missing_libraries_once() -> None:
    assert system_check.not_found(LDD) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    text = system_check.message(["libxcb-icccm.so.4", "libxcb-cursor.so.0"])
    assert "libxcb-cursor0, libxcb-icccm4" in text
    assert system_check.APT_LINE in text and system_check.DNF_LINE in text
    assert all(
        package in system_check.APT_LINE
        for package in system_check.DEBIAN_PACKAGES.values()
        if package.startswith("libxcb-")
        and package not in ("libxcb-sync1", "libxcb-shm0", "libxcb-render0", "libxcb-util1", "libxcb-xinput0")
    )


def test_only_where_qt_would_use_xcb() -> None:
    assert system_check.wants_xcb({}, "linux")
    assert system_check.wants_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not system_check.wants_xcb({"WAYLAND_DISPLAY": "wayland-0"}, "linux")  # Qt's choice: Wayland
    assert not system_check.wants_xcb({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not system_check.wants_xcb({}, "darwin")


def test_the_check_agrees_with_the_dynamic_linker_here() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    run = subprocess.run(
        [sys.executable, "-m", "reader.ui.system_check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    missing = system_check.missing_libraries()
    assert run.returncode == (1 if missing else 0)
    if missing:
        assert (
            run.stderr.count("\n") == 3 and "sudo apt install" in run.stderr and "Aborted" not in run.stderr
        )
