"""``make dist``: freeze Yanyana with PyInstaller and wrap it as a .tar.gz and a .deb, offline.

    .venv/bin/python build-aux/build_dist.py [--skip-freeze]

Steps (everything comes from the project's files and the dev venv; nothing is downloaded):

1. render the application icon's PNGs (and a .ico for Windows) from resources/icons/yanyana.svg with QtSvg;
2. run PyInstaller on build-aux/yanyana.spec: dist/yanyana/ with ``yanyana`` (CLI) and ``yanyana-window``
   sharing one ``_internal/`` runtime (what the spec trims is written to dist/trimmed.txt);
3. Linux: strip debug information from the shared libraries (not from auditwheel's ``*.libs`` folders, which
   strip breaks), pack ``dist/yanyana-VERSION-linux-ARCH.tar.gz`` and, when ``dpkg-deb`` exists,
   ``dist/yanyana_VERSION_ARCH.deb`` (``/opt/yanyana``, ``/usr/bin/yanyana``, desktop entry, icons,
   metainfo; Depends computed from the libraries the bundle links to but does not carry);
4. print the sizes and write them to dist/sizes.json.

The GitHub workflow's Linux job runs exactly this (through ``make dist``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from reader import __version__, paths  # noqa: E402

DIST = ROOT / "dist"
BUILD = ROOT / "build"
BUNDLE = DIST / "yanyana"
DEB_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
MAX_DEB_MB = 120

#: Libraries the bundle links to but does not carry (PyInstaller leaves the C library, GL/EGL, the display
#: server's client libraries to the system) -> Debian package. `dpkg -S` answers for anything else installed.
SONAME_PACKAGES = {
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "librt.so.1": "libc6",
    "libpthread.so.0": "libc6",
    "libresolv.so.2": "libc6",
    "libutil.so.1": "libc6",
    "ld-linux-x86-64.so.2": "libc6",
    "ld-linux-aarch64.so.1": "libc6",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libxcb.so.1": "libxcb1",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
#: Needed at run time but not as a linked library: fontconfig's configuration (the bundled libfontconfig reads
#: /etc/fonts) and one Latin UI font (the bundle ships only the Persian/Arabic reading fonts).
EXTRA_DEPENDS = ["fontconfig-config", "fonts-dejavu-core | fonts-liberation2 | fonts-noto-core"]


def run(cmd: list[str], **kwargs: object) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def render_icons() -> Path:
    from PySide6.QtGui import QImage

    from reader.ui.icons import render_pngs

    out = BUILD / "icons"
    shutil.rmtree(out, ignore_errors=True)
    pngs = render_pngs(out / "hicolor")
    QImage(str(pngs[-3])).save(
        str(out / "yanyana.ico")
    )  # 256 px (ICO from the suffix), for the Windows executables
    return out


def freeze() -> None:
    shutil.rmtree(BUNDLE, ignore_errors=True)
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(ROOT / "build-aux" / "yanyana.spec"),
        ],
        cwd=ROOT,
    )


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def strip_debug(folder: Path) -> int:
    """Remove debug sections (``strip --strip-debug``); returns the bytes saved."""
    if not shutil.which("strip"):
        print("strip not found: debug information is kept")
        return 0
    saved = 0
    for path in elf_files(folder):
        if any(part.endswith(".libs") for part in path.relative_to(folder).parts):
            continue  # auditwheel-patched (patchelf): strip makes them unloadable
        before = path.stat().st_size
        subprocess.run(["strip", "--strip-debug", str(path)], check=True)
        saved += before - path.stat().st_size
    return saved


def linked_outside(folder: Path) -> tuple[set[str], str]:
    """Sonames needed by the bundle's ELF files but not inside it, and the newest glibc symbol version used."""
    files = elf_files(folder)
    provided = {p.name for p in folder.rglob("*")}
    needed: set[str] = set()
    glibc = (2, 17)
    for path in files:
        dump = subprocess.run(["objdump", "-p", "-T", str(path)], capture_output=True, text=True).stdout
        for line in dump.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "NEEDED" and parts[1] not in provided:
                needed.add(parts[1])
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", dump):
            glibc = max(glibc, (int(major), int(minor)))
    return needed, f"{glibc[0]}.{glibc[1]}"


def depends(folder: Path) -> list[str]:
    needed, glibc = linked_outside(folder)
    packages: set[str] = set()
    unknown: list[str] = []
    for soname in sorted(needed):
        package = SONAME_PACKAGES.get(soname)
        if package is None and shutil.which("dpkg"):
            answer = subprocess.run(["dpkg", "-S", soname], capture_output=True, text=True).stdout
            owners = {line.split(":")[0] for line in answer.splitlines() if "/lib" in line}
            package = sorted(owners)[0] if owners else None
        if package is None:
            unknown.append(soname)
        else:
            packages.add(package)
    if unknown:
        raise SystemExit(f"no Debian package known for {', '.join(unknown)}: add it to SONAME_PACKAGES")
    packages.discard("libc6")
    return [f"libc6 (>= {glibc})", *sorted(packages), *EXTRA_DEPENDS]


def tarball(bundle: Path) -> Path:
    name = f"yanyana-{__version__}"
    out = DIST / f"{name}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=name)
    return out


def deb(bundle: Path, icons: Path) -> Path | None:
    if not shutil.which("dpkg-deb"):
        print("dpkg-deb not found: no .deb")
        return None
    from reader.cli.desktop import install_desktop_files

    root = BUILD / "deb" / "root"
    shutil.rmtree(root.parent, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / "yanyana", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "yanyana").symlink_to("/opt/yanyana/yanyana")
    share = root / "usr" / "share"
    install_desktop_files(share, None)  # Exec=yanyana open %f: /usr/bin is on PATH
    shutil.copytree(icons / "hicolor", share / "icons" / "hicolor", dirs_exist_ok=True)
    doc = share / "doc" / "yanyana"
    doc.mkdir(parents=True)
    shutil.copy(ROOT / "README.md", doc / "README.md")
    shutil.copy(ROOT / "resources" / "fonts" / "README.md", doc / "FONTS.md")
    installed_kb = (
        sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    )
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        "\n".join(
            [
                "Package: yanyana",
                f"Version: {__version__}",
                f"Architecture: {DEB_ARCH}",
                "Maintainer: Yanyana developers <dev@yanyana.local>",
                f"Installed-Size: {installed_kb}",
                f"Depends: {', '.join(depends(bundle))}",
                "Section: text",
                "Priority: optional",
                "Homepage: https://github.com/yanyana/yanyana",
                "Description: side-by-side reader with offline English translation",
                " Yanyana shows Persian, Arabic, Turkish and Azerbaijani articles beside an offline",
                " English machine translation (Argos Translate models run with CTranslate2), with",
                " highlights and notes anchored to the text.",
                "",
            ]
        ),
        encoding="utf-8",
    )
    out = DIST / f"yanyana_{__version__}_{DEB_ARCH}.deb"
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(out)])
    return out


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-freeze", action="store_true", help="reuse dist/yanyana (packaging only)")
    args = parser.parse_args()
    started = time.monotonic()
    icons = render_icons()
    if not args.skip_freeze:
        freeze()
    sizes: dict[str, object] = {"version": __version__, "app_id": paths.APP_ID}
    if sys.platform.startswith("linux"):
        sizes["bundle_before_strip_mb"] = round(folder_size(BUNDLE) / 1e6, 1)
        sizes["strip_saved_mb"] = round(strip_debug(BUNDLE) / 1e6, 1)
        sizes["bundle_mb"] = round(folder_size(BUNDLE) / 1e6, 1)
        tar = tarball(BUNDLE)
        sizes["tar_gz"] = tar.name
        sizes["tar_gz_mb"] = round(tar.stat().st_size / 1e6, 1)
        package = deb(BUNDLE, icons)
        if package is not None:
            sizes["deb"] = package.name
            sizes["deb_mb"] = round(package.stat().st_size / 1e6, 1)
            if package.stat().st_size > MAX_DEB_MB * 1_000_000:
                raise SystemExit(f"{package.name} is larger than the {MAX_DEB_MB} MB budget")
    else:
        sizes["bundle_mb"] = round(folder_size(BUNDLE) / 1e6, 1)
    sizes["build_seconds"] = round(time.monotonic() - started, 1)
    (DIST / "sizes.json").write_text(json.dumps(sizes, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(sizes, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
