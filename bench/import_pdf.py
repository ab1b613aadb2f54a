"""Import benchmark: PDF import time per page against the extractor alone (goal: a 100-page PDF in < 2 s).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/import_pdf.py [--pages 100] [--repeat 3] [--big 5000]

PDFs are made like the tests make them (``tests/core/importing/pdfmaker.py``): the Persian and Arabic seeds
shaped by HarfBuzz and written as LibreOffice ("plain") and Chromium write them, repeated to ``--pages`` pages,
plus the Turkish seed printed by Qt. For each file: the full import (``import_bytes``: pdfium characters, our
passes, paragraphs) against pdfium alone (open, ``get_textpage().get_text_range()`` per page) and pypdf alone
(``extract_text()`` per page), best of ``--repeat``, as ms per page and the ratio to pdfium alone. Then a
``--big``-page PDF is imported in a child process and its peak memory (max RSS) printed next to that of a
child that only imports the modules: memory must not grow with the page count (pages are read one at a time).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QGuiApplication  # noqa: E402

from reader.core.importing import import_bytes  # noqa: E402
from tests.core.importing.pdfmaker import ArabicScriptPdf, _Page, qt_pdf  # noqa: E402

SEEDS = {"fa": "001_16b6482d6bae7f5d.txt", "ar": "004_b64012e43163fbfa.txt", "tr": "003_c669be6180575091.txt"}


def paragraphs(lang: str) -> list[str]:
    text = (ROOT / "seeds" / SEEDS[lang]).read_text(encoding="utf-8")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def arabic_script(lang: str, mode: str, pages: int) -> bytes:
    maker = ArabicScriptPdf(lang, mode=mode, page_numbers=True)
    while len(maker.pages) <= pages:
        for paragraph in paragraphs(lang):
            maker.paragraph(paragraph)
    maker.pages = maker.pages[:pages]
    return maker.to_bytes()


def latin(pages: int, folder: Path) -> bytes:
    text = paragraphs("tr")
    data = b""
    repeat = 1
    while True:
        data = qt_pdf(text * repeat, folder / "tr.pdf")
        if data.count(b"/Type /Page\n") + data.count(b"/Type/Page\n") >= pages or repeat > 200:
            return data
        repeat *= 2


def pdfium_alone(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    chars = 0
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return chars


def pypdf_alone(data: bytes) -> int:
    import io

    import pypdf

    return sum(len(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


_CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from reader.core.importing import import_bytes
data = open({path!r}, "rb").read() if {path!r} else b""
start = time.perf_counter()
pages = import_bytes(data, "big.pdf").pages if data else 0
took = time.perf_counter() - start
print(pages, round(took, 1), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def child(path: str) -> str:
    code = _CHILD.format(root=str(ROOT), path=path)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(proc.stderr.strip().splitlines()[-1])
    return proc.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--big", type=int, default=5000, help="pages of the memory check (0: skip)")
    args = parser.parse_args()
    QGuiApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {
            "fa, LibreOffice-like": arabic_script("fa", "plain", args.pages),
            "fa, Chromium-like": arabic_script("fa", "chromium", args.pages),
            "ar, LibreOffice-like": arabic_script("ar", "plain", args.pages),
            "tr, Qt": latin(args.pages, folder),
        }
        print(
            f"{'file':<22} {'pages':>5} {'MB':>5} {'import':>8} {'ms/page':>8} {'pdfium':>8} {'pypdf':>8}  ratio"
        )
        for name, data in files.items():
            pages = page_count(data)
            ours = best(lambda data=data: import_bytes(data, "bench.pdf"), args.repeat)
            alone = best(lambda data=data: pdfium_alone(data), args.repeat)
            fallback = best(lambda data=data: pypdf_alone(data), 1)
            print(
                f"{name:<22} {pages:>5} {len(data) / 2**20:>5.1f} {ours:>7.2f}s {1000 * ours / pages:>8.1f}"
                f" {1000 * alone / pages:>8.1f} {1000 * fallback / pages:>8.1f}  {ours / alone:5.1f}x pdfium"
                f"   {'OK' if pages < 100 or ours * 100 / pages < 2 else 'SLOW'} (goal: 100 pages < 2 s)"
            )
        if args.big:
            maker = ArabicScriptPdf("fa", page_numbers=True)
            for paragraph in paragraphs("fa"):
                maker.paragraph(paragraph)
            # A third of each page's glyphs, so that 5,000 pages stay under the 50 MB import limit.
            seed_pages = [_Page(glyphs=p.glyphs[: len(p.glyphs) // 3]) for p in maker.pages]
            maker.pages = [
                _Page(glyphs=list(seed_pages[i % len(seed_pages)].glyphs)) for i in range(args.big)
            ]
            path = folder / "big.pdf"
            path.write_bytes(maker.to_bytes())
            size = os.path.getsize(path) / 2**20
            base = child("")
            big = child(str(path))
            print(f"\n{args.big}-page PDF ({size:.1f} MB): pages, seconds, peak RSS MB = {big}")
            print(f"modules only: peak RSS MB = {base.split()[-1]}")


if __name__ == "__main__":
    main()
