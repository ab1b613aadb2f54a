"""Import speed per format: Yanyana's importer against the bare extractor, per MB of file.

    .venv/bin/python bench/import.py [--runs 5] [--mb 1]

For each format a document of about ``--mb`` MB of text is built from the five seed articles (every
article's paragraphs repeated, headings, notes, a table; see tests/documents.py) and imported with
``importing.import_bytes`` (sniffing, container checks, safe XML parse, structure, note numbering; EPUB also
detects the language to check the metadata). The baseline is the least any reader must do, in the same
process: DOCX — python-docx's ``paragraph.text`` for every paragraph; ODT and EPUB — unzip and lxml
``itertext()`` over content.xml / every spine chapter; MHTML — ``email`` parse and decode of the HTML part,
then the same HTML main-text extraction (``extract_html``), so its ratio is the MIME overhead alone. The
full library import (language per paragraph, segmentation, SQLite) is reported once per format for scale.

Prints medians in ms, ms per MB, and importer/baseline ratios; exits 0 (speed goals are reported, not
asserted). The plain-text goals (1 MB in < 1 s, 50 MB in < 60 s and < 1 GB) are ``bench/import_library.py``.
"""

from __future__ import annotations

import argparse
import email
import io
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import lxml.etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.core.importing import import_bytes  # noqa: E402
from reader.core.importing.html import extract_html  # noqa: E402
from tests.documents import (  # noqa: E402
    ARTICLES,
    Article,
    article,
    article_html,
    build_docx,
    build_epub,
    build_mhtml,
    build_odt,
    epub_chapter,
)


def big_article(prefix: str, target: int) -> Article:
    art = article(prefix)
    paragraphs: list[str] = []
    while sum(len(p.encode()) for p in paragraphs) < target:
        paragraphs.extend(art.paragraphs)
    return Article(art.prefix, art.lang, art.headline, paragraphs, art.note)


def docx_baseline(data: bytes) -> int:
    import docx

    return sum(len(p.text) for p in docx.Document(io.BytesIO(data)).paragraphs)


def odt_baseline(data: bytes) -> int:
    root = lxml.etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("content.xml"))
    return sum(len(t) for t in root.itertext())


def epub_baseline(data: bytes) -> int:
    archive = zipfile.ZipFile(io.BytesIO(data))
    total = 0
    for name in archive.namelist():
        if name.endswith(".xhtml"):
            total += sum(len(t) for t in lxml.etree.fromstring(archive.read(name)).itertext())
    return total


def mhtml_baseline(data: bytes) -> int:
    message = email.message_from_bytes(data)
    part = next(p for p in message.walk() if p.get_content_type() == "text/html")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return len(extract_html(payload.decode("utf-8"))[0])


def import_all(files: list[bytes], fmt: str) -> None:
    for data in files:
        import_bytes(data, f"x.{fmt}")


def extract_all(files: list[bytes], baseline: Callable[[bytes], int]) -> None:
    for data in files:
        baseline(data)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mb", type=float, default=1.0)
    args = parser.parse_args()
    per_article = int(args.mb * 1024 * 1024 / len(ARTICLES))
    arts = [big_article(p, per_article) for p in ARTICLES]

    docx_files = [build_docx(a) for a in arts]
    odt_files = [build_odt(a) for a in arts]
    epub = build_epub([epub_chapter(a) for a in arts], title="Derleme", lang="fa")
    mhtml_files = [build_mhtml(article_html(a), title=a.headline) for a in arts]
    cases: list[tuple[str, list[bytes], Callable[[bytes], int]]] = [
        ("docx", docx_files, docx_baseline),
        ("odt", odt_files, odt_baseline),
        ("epub", [epub], epub_baseline),
        ("mhtml", mhtml_files, mhtml_baseline),
    ]
    print(f"{'format':6} {'files':>5} {'file MB':>8} {'text MB':>8} {'import ms':>10} {'ms/MB':>7} "
          f"{'extractor ms':>13} {'ratio':>6} {'+library ms':>12}")  # fmt: skip
    for fmt, files, baseline in cases:
        results = [import_bytes(data, f"x.{fmt}") for data in files]
        assert all(r.format == fmt for r in results)
        text_mb = sum(len(r.text.encode()) for r in results) / 1024 / 1024
        file_mb = sum(len(d) for d in files) / 1024 / 1024
        ours = median_ms(partial(import_all, files, fmt), args.runs)
        base = median_ms(partial(extract_all, files, baseline), args.runs)
        with tempfile.TemporaryDirectory() as home:
            from reader.core.store.library import Library

            with Library(Path(home) / "library.db", seed=False) as lib:
                start = time.perf_counter()
                for i, r in enumerate(results):
                    lib.import_text(r, source=f"bench-{fmt}-{i}")
                library_ms = (time.perf_counter() - start) * 1000
        print(
            f"{fmt:6} {len(files):5} {file_mb:8.2f} {text_mb:8.2f} {ours:10.0f} {ours / text_mb:7.0f} "
            f"{base:13.0f} {ours / base:6.2f} {library_ms:12.0f}"
        )


if __name__ == "__main__":
    main()
