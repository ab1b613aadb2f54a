"""`yanyana install-desktop-entry` (pipx users) and `yanyana models download --to-folder` (preparing a USB stick)."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from reader import paths
from reader.cli.desktop import MIME_TYPES
from reader.core import importing
from tests.helpers import ROOT

DESKTOP = ROOT / "resources" / "desktop" / "io.github.yanyana.Yanyana.desktop"
METAINFO = ROOT / "resources" / "desktop" / "io.github.yanyana.Yanyana.metainfo.xml"


def _run(*args: str, env: dict[str, str], code: int = 0) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == code, proc.stderr
    return proc


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_shipped_desktop_entry_is_translated_and_associates_the_importers_formats() -> None:
    entry = _entry(DESKTOP)
    for key in ("Name", "GenericName", "Comment"):
        for lang in ("fa", "ar", "tr", "az"):
            assert entry[f"{key}[{lang}]"].strip(), (key, lang)
    assert entry["Exec"] == "yanyana open %f" and entry["Icon"] == paths.APP_ID
    # every suffix the importer reads has its MIME type, and "Open with Yanyana" offers each of them
    assert set(MIME_TYPES) == set(importing.SUFFIXES)
    mime = set(entry["MimeType"].rstrip(";").split(";"))
    assert set(MIME_TYPES.values()) <= mime
    assert mime - set(MIME_TYPES.values()) == {"text/x-markdown"}  # the older name some systems still use
    root = ET.parse(METAINFO).getroot()
    assert {m.text for m in root.iter("mediatype")} == set(MIME_TYPES.values())


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils is not installed")
def test_shipped_desktop_entry_validates() -> None:
    done = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert done.returncode == 0 and "error" not in done.stdout, done.stdout


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstreamcli is not installed")
def test_metainfo_validates() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_install_desktop_entry_writes_launcher_icons_and_metainfo(tmp_path: Path, yanyana_home: Path) -> None:
    data = tmp_path / "xdg data"
    env = dict(
        os.environ, XDG_DATA_HOME=str(data), YANYANA_HOME=str(yanyana_home), QT_QPA_PLATFORM="offscreen"
    )
    out = _run("install-desktop-entry", env=env).stdout
    written = [Path(line.split("\t", 1)[1]) for line in out.splitlines()]
    assert all(p.is_file() and p.is_relative_to(data) for p in written)
    entry = _entry(data / "applications" / DESKTOP.name)
    assert entry["Exec"].endswith(" open %f")
    # launched from a menu there is no PATH to rely on: the command is absolute (a quoted path: spaces allowed)
    assert entry["Exec"].split()[0].strip('"').startswith("/")
    assert entry["Comment[fa]"] == _entry(DESKTOP)["Comment[fa]"]
    for size in (16, 32, 48, 128, 256, 512):
        png = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{paths.APP_ID}.png"
        image = QImage(str(png))
        assert (image.width(), image.height()) == (size, size)
        assert image.pixelColor(size // 2, size // 2).alpha() == 255  # drawn, not blank
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{paths.APP_ID}.svg").is_file()
    assert (data / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(
            ["desktop-file-validate", str(data / "applications" / DESKTOP.name)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0 and "error" not in done.stdout, done.stdout

    removed = _run("install-desktop-entry", "--remove", env=env).stdout.splitlines()
    assert len(removed) == len(written)
    assert not any(p.exists() for p in written)


def test_download_to_folder_offline_is_one_sentence(tmp_path: Path, yanyana_home: Path) -> None:
    env = dict(os.environ, YANYANA_HOME=str(yanyana_home), ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/")
    proc = _run(
        "models",
        "download",
        "fa",
        "en",
        "--to-folder",
        str(tmp_path / "stick"),
        "--timeout",
        "3",
        env=env,
        code=2,
    )
    assert proc.stderr.startswith("error: You appear to be offline") and len(proc.stderr.splitlines()) == 1
    assert not (tmp_path / "stick").exists() or not list((tmp_path / "stick").iterdir())
