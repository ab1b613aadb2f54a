"""``make dist-check``: smoke-test what ``make dist`` built, the way a user would meet it, offline.

    .venv/bin/python build-aux/dist_check.py

1. unpack the .tar.gz into a temporary folder;
2. run the frozen CLI with no network (``unshare -n``, where the system allows it): a fresh home lists the five
   seeds from the bundle, a new article and DOCX/ODT/EPUB/MHTML/PDF files are imported, a tiny genuine Argos model
   (tests/tiny_argos.py, built with the dev venv) is installed from a folder, the article is translated and
   exported;
3. start the frozen window offscreen (``yanyana-window --screenshot`` and ``yanyana open --screenshot``) and
   check the PNG;
4. unpack the .deb into a scratch root (``dpkg-deb -x``), check its layout and control fields, and validate the
   desktop entry (``desktop-file-validate``) and the metainfo (``appstreamcli``) where those tools exist.

Exits non-zero with the failing step's message. tests/packaging/test_bundle.py runs this when a bundle exists.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class CheckFailed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def no_network_prefix() -> list[str]:
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):  # root, or a user namespace mapped to root
        if shutil.which("unshare") and subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    print("note: unshare -n is not permitted here; the frozen CLI runs with the network present")
    return []


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    check(data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def newest(pattern: str) -> Path:
    found = sorted(DIST.glob(pattern), key=lambda p: p.stat().st_mtime)
    check(bool(found), f"no dist/{pattern}: run `make dist` first")
    return found[-1]


def check_tarball(tmp: Path, offline: list[str]) -> dict[str, float]:
    archive = newest("yanyana-*-linux-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp / "unpacked", filter="tar")
    (bundle,) = (tmp / "unpacked").iterdir()
    timings = check_bundle(bundle, tmp, offline)
    print(f"tarball ok: {archive.name}")
    return timings


def check_bundle(bundle: Path, tmp: Path, offline: list[str]) -> dict[str, float]:
    """The frozen CLI and window of the one-folder bundle in ``bundle`` (any system)."""
    suffix = ".exe" if sys.platform == "win32" else ""
    cli, window = bundle / f"yanyana{suffix}", bundle / f"yanyana-window{suffix}"
    check(cli.is_file() and window.is_file(), "the bundle lacks yanyana or yanyana-window")
    for name in ("Vazirmatn-Regular.ttf", "NotoNaskhArabic-Regular.ttf", "Vazirmatn-OFL.txt", "yanyana.svg"):
        check(any(bundle.rglob(name)), f"the bundle lacks {name}")
    home = tmp / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(YANYANA_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    if sys.platform != "win32":
        env["PATH"] = "/usr/bin:/bin"  # nothing from the venv
    timings: dict[str, float] = {}

    def frozen(*args: str, exe: Path = cli, net: bool = False) -> str:
        started = time.monotonic()
        done = subprocess.run(
            [*([] if net else offline), str(exe), *args],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        timings[" ".join(args[:2])] = round(time.monotonic() - started, 2)
        check(
            done.returncode == 0, f"`{exe.name} {' '.join(args)}` failed ({done.returncode}):\n{done.stderr}"
        )
        return done.stdout

    listed = json.loads(frozen("list", "--json"))
    check(len(listed) == 5, f"a fresh home should list the 5 seeds, not {len(listed)}")
    seed = next(p for p in (ROOT / "seeds").glob("001_*.txt"))
    article = tmp / "تازه.txt"
    article.write_text(seed.read_text(encoding="utf-8").split("\n\n")[0] + "\n\nیک جملهٔ تازه برای آزمون.\n")
    imported = json.loads(frozen("import", str(article), "--json"))
    record = imported[0] if isinstance(imported, list) else imported
    doc_id = str(record.get("id") or record.get("document", {}).get("id"))
    check(record.get("lang", "fa") == "fa", f"the Persian article was detected as {record.get('lang')}")

    # Word, OpenDocument, EPUB, MHTML and PDF versions of the Arabic seed (built by the dev venv, read by the bundle)
    from tests.documents import (
        article,
        article_html,
        build_docx,
        build_epub,
        build_mhtml,
        build_odt,
        epub_chapter,
    )

    arabic = article("004")
    formats = tmp / "formats"
    formats.mkdir()
    (formats / "a.docx").write_bytes(build_docx(arabic))
    (formats / "a.odt").write_bytes(build_odt(arabic))
    (formats / "a.epub").write_bytes(build_epub([epub_chapter(arabic)], title=arabic.headline, lang="ar"))
    (formats / "a.mhtml").write_bytes(build_mhtml(article_html(arabic), title=arabic.headline))
    from PySide6.QtGui import QGuiApplication  # the PDF maker shapes Arabic with Qt's fonts

    _app = QGuiApplication.instance() or QGuiApplication([])  # offscreen (QT_QPA_PLATFORM)
    from tests.core.importing.pdfmaker import arabic_script_pdf

    (formats / "a.pdf").write_bytes(arabic_script_pdf([arabic.headline, *arabic.paragraphs], "ar"))
    records = [
        json.loads(line) for line in frozen("import", str(formats), "--json").splitlines() if line.strip()
    ]
    flat = [r for item in records for r in (item if isinstance(item, list) else [item])]
    check(len(flat) == 5, f"5 documents expected from {formats}, got {len(flat)}")
    check(
        all(r.get("lang") == "ar" for r in flat), f"not all read as Arabic: {[r.get('lang') for r in flat]}"
    )

    from tests.tiny_argos import build_package  # the dev venv builds the model; the bundle only uses it

    stick = tmp / "usb-stick"
    stick.mkdir()
    build_package(stick, "fa", "en")
    installed = frozen("models", "install", str(stick))
    check("installed fa→en" in installed, f"the model was not installed: {installed}")
    translated = [json.loads(line) for line in frozen("translate", doc_id, "--json").splitlines() if line]
    check(bool(translated), "translate printed nothing")
    shown = json.loads(frozen("show", doc_id, "--json"))
    sentences = shown.get("sentences") or shown.get("segments") or []
    done = [s for s in sentences if s.get("translation")]
    check(
        bool(sentences) and len(done) == len(sentences),
        f"{len(done)} of {len(sentences)} sentences translated",
    )
    for fmt in ("html", "md", "jsonld"):
        out = tmp / f"export.{fmt}"
        frozen("export", doc_id, "--format", fmt, "-o", str(out))
        check(out.is_file() and out.stat().st_size > 200, f"the {fmt} export is missing or empty")
    for exe, name in ((window, "window.png"), (cli, "open.png")):
        shot = tmp / name
        args = ("--screenshot", str(shot)) if exe is window else ("open", "--screenshot", str(shot))
        frozen(*args, exe=exe)
        check(png_size(shot) == (1280, 800), f"{name} is {png_size(shot)}, not 1280×800")
    return timings


def check_deb(tmp: Path) -> None:
    if not shutil.which("dpkg-deb"):
        print("note: dpkg-deb not found; the .deb is not checked")
        return
    package = newest("yanyana_*.deb")
    root = tmp / "debroot"
    subprocess.run(["dpkg-deb", "-x", str(package), str(root)], check=True)
    fields = subprocess.run(
        ["dpkg-deb", "-f", str(package)], capture_output=True, text=True, check=True
    ).stdout
    check("Depends: libc6 (>= " in fields, "the .deb declares no libc6 dependency")
    for lib in ("libxcb1", "libgl1", "libegl1"):  # what PyInstaller always leaves to the system
        check(lib in fields, f"the .deb does not depend on {lib}")
    sys.path.insert(0, str(ROOT / "build-aux"))
    from build_dist import depends  # every library linked to but not carried has its package declared

    declared = next(line for line in fields.splitlines() if line.startswith("Depends:"))
    check(declared == "Depends: " + ", ".join(depends(root / "opt" / "yanyana")), f"stale {declared}")
    link = root / "usr" / "bin" / "yanyana"
    check(
        link.is_symlink() and os.readlink(link) == "/opt/yanyana/yanyana", "/usr/bin/yanyana is not the link"
    )
    check((root / "opt" / "yanyana" / "yanyana-window").is_file(), "/opt/yanyana/yanyana-window is missing")
    share = root / "usr" / "share"
    desktop = share / "applications" / "io.github.yanyana.Yanyana.desktop"
    metainfo = share / "metainfo" / "io.github.yanyana.Yanyana.metainfo.xml"
    check(desktop.is_file() and metainfo.is_file(), "the desktop entry or the metainfo is missing")
    for size in (16, 32, 48, 64, 128, 256, 512):
        png = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "io.github.yanyana.Yanyana.png"
        check(png.is_file() and png_size(png) == (size, size), f"the {size}px icon is missing or wrong")
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        check(done.returncode == 0 and "error" not in done.stdout, f"desktop-file-validate: {done.stdout}")
        print("desktop-file-validate: ok")
    else:
        print("note: desktop-file-validate not found; the desktop entry is not validated")
    if shutil.which("appstreamcli"):
        done = subprocess.run(
            ["appstreamcli", "validate", "--no-net", str(metainfo)], capture_output=True, text=True
        )
        check(done.returncode == 0, f"appstreamcli validate: {done.stdout}{done.stderr}")
        print("appstreamcli validate: ok")
    print(f"deb ok: {package.name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--bundle", type=Path, metavar="DIR", help="check this one-folder bundle only (Windows/macOS CI)"
    )
    args = parser.parse_args()
    offline = no_network_prefix() if sys.platform.startswith("linux") else []
    with tempfile.TemporaryDirectory(prefix="yanyana-dist-check-") as name:
        tmp = Path(name)
        try:
            if args.bundle is not None:
                timings = check_bundle(args.bundle.resolve(), tmp, offline)
            else:
                timings = check_tarball(tmp, offline)
                check_deb(tmp)
        except CheckFailed as exc:
            print(f"dist-check FAILED: {exc}", file=sys.stderr)
            return 1
    print("frozen CLI timings (s):", json.dumps(timings, ensure_ascii=False))
    print("dist-check passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
