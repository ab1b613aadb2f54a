"""Bytes → text: encodings, HTML main text and clear refusals.

Everything a user can get wrong with a file (empty, binary, unknown encoding, too large, missing)
raises :class:`ImportRefused`, whose ``str()`` is one sentence naming the file.

Decoding order for plain text and Markdown:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides;
2. NUL bytes: a UTF-16/UTF-32 file without BOM is recognised by where its zero bytes fall; otherwise
   scattered NULs are removed with a warning, and a file that is mostly NULs is refused;
3. strict UTF-8 (a multibyte character cut off at the very end is dropped with a warning; a few
   corrupt bytes in otherwise clearly UTF-8 text are replaced with U+FFFD, with a warning);
4. legacy 8-bit encodings: charset-normalizer's guesses plus the code pages real archives use are
   each decoded and scored for *plausibility* (letters in words of one script, no C1 controls or
   stray symbols, no lower→upper case flips inside words, accented Latin letters that belong to one
   alphabet, function words of real languages); the best scoring decode wins.  charset-normalizer
   alone often mistakes short Turkish for cp1250 and can mistake short Persian for a Mac code page.

HTML (by extension, or content starting with ``<!doctype html``/``<html``) is decoded with BOM >
``<meta charset>`` > the same detection, parsed by lxml's HTML parser with network access off (the
HTML parser never loads DTDs or external entities, nothing is fetched, nothing runs), stripped of
scripts, styles, navigation, page header/footer, frames and embedded content, and its main text is
picked with jusText (stoplist chosen by the page's own words; language-independent mode when no
stoplist fits), falling back to a structural extraction of h1–h6/p/li/blockquote.

Documents are recognised by content, whatever their name: a ZIP container is a Word document (DOCX), an
OpenDocument text (ODT) or an EPUB e-book by the parts it holds (:func:`sniffing.sniff_zip`); a MIME
message head is a saved web page (MHTML); ``%PDF-`` in the first KB is a PDF (:mod:`pdf`). Each has its own module producing the same :class:`ImportedText`
(with :class:`Block` structure). Formats Yanyana does not read (old Word ``.doc``, RTF, Safari
``.webarchive``, spreadsheets, images…) are refused with a sentence naming the format.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from reader.core.importing.base import Block, ImportCancelled, ImportedText, ImportRefused
from reader.core.importing.encodings import decode
from reader.core.importing.html import extract_html, sniff_html_bytes, sniff_html_text
from reader.core.importing.mhtml import sniff_mhtml
from reader.core.importing.pdf import ProgressHook, extract_pdf, sniff_pdf
from reader.core.importing.sniffing import refuse_known_binary, sniff_zip
from reader.display import path_text

__all__ = [
    "MAX_BYTES",
    "SUFFIXES",
    "Block",
    "ImportCancelled",
    "ImportRefused",
    "ImportedText",
    "ProgressHook",
    "import_bytes",
    "import_file",
]

MAX_BYTES = 50 * 1024 * 1024
"""Largest file Yanyana imports (50 MB: far beyond any article, small enough to decode in memory)."""

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
DOCUMENT_SUFFIXES = frozenset({".docx", ".docm", ".dotx", ".odt", ".ott", ".epub", ".mhtml", ".mht", ".pdf"})
SUFFIXES = frozenset({".txt", ".text"}) | HTML_SUFFIXES | MARKDOWN_SUFFIXES | DOCUMENT_SUFFIXES
"""Suffixes a folder import picks up (a single file is imported by its content, whatever its name)."""


def _document_importer(fmt: str) -> Callable[[bytes, str], ImportedText]:
    # Each format's module is imported when a file of that format comes: the window opens faster without.
    if fmt == "docx":
        from reader.core.importing.docx import import_docx

        return import_docx
    if fmt == "odt":
        from reader.core.importing.odt import import_odt

        return import_odt
    if fmt == "epub":
        from reader.core.importing.epub import import_epub

        return import_epub
    from reader.core.importing.mhtml import import_mhtml

    return import_mhtml


# --------------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------------


def import_file(path: str | Path, progress: ProgressHook | None = None) -> ImportedText:
    """Read ``path`` and import it; a missing, unreadable or oversized file raises :class:`ImportRefused`.

    ``progress(done, total)`` is called as a paged document (PDF) is read; returning ``False`` stops the
    import with :class:`ImportCancelled`."""
    p = Path(path)
    name = path_text(Path(p.name) if p.name else p)  # a name that is not valid UTF-8 is shown escaped
    try:
        info = p.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ImportRefused(f"{name} is a folder, not a file.")
        if not stat.S_ISREG(info.st_mode):  # opening a named pipe would wait for a writer forever
            raise ImportRefused(f"{name} is not a regular file (it is {_kind(info.st_mode)}).")
        size = info.st_size
        if size > MAX_BYTES:
            raise ImportRefused(_too_large(name, size))
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # swapped for a pipe meanwhile: no wait
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ImportRefused(f"{name} is not a regular file.")
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ImportRefused(f"{name} does not exist.") from None
    except IsADirectoryError:
        raise ImportRefused(f"{name} is a folder, not a file.") from None
    except PermissionError:
        raise ImportRefused(f"{name} cannot be read (permission denied).") from None
    except OSError as exc:
        raise ImportRefused(f"{name} cannot be read ({exc.strerror or 'input/output error'}).") from None
    return import_bytes(data, name, progress)


def import_bytes(data: bytes, name: str = "", progress: ProgressHook | None = None) -> ImportedText:
    """Decode ``data`` (the content of a file called ``name``) into text, or raise :class:`ImportRefused`."""
    label = Path(name).name if name else "The file"
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ImportRefused(_too_large(label, len(data)))
    if not data:
        raise ImportRefused(f"{label} is empty.")
    if sniff_pdf(data):  # by content: a PDF called .txt is a PDF
        return extract_pdf(data, label, progress)
    fmt = sniff_zip(data, label) or ("mhtml" if sniff_mhtml(data) else None)
    if fmt is not None:
        return _document_importer(fmt)(data, label)
    refuse_known_binary(data, label)

    suffix = Path(name).suffix.lower() if name else ""
    html_hint = suffix in HTML_SUFFIXES or sniff_html_bytes(data)
    text, encoding, warnings = decode(data, label, html_hint)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportRefused(f"{label} contains only blank space." if text else f"{label} is empty.")

    if html_hint or sniff_html_text(text):
        body, title = extract_html(text, warnings)
        if not body.strip():
            raise ImportRefused(f"{label} contains no readable text.")
        return ImportedText(text=body, title=title, encoding=encoding, format="html", warnings=warnings)
    fmt = "markdown" if suffix in MARKDOWN_SUFFIXES else "text"
    return ImportedText(text=text, title=None, encoding=encoding, format=fmt, warnings=warnings)


def _too_large(label: str, size: int) -> str:
    tenths = -(-size * 10 // (1024 * 1024))  # rounded up: a file over the limit never reads as "50 MB"
    return (
        f"{label} is too large to import ({tenths // 10}.{tenths % 10} MB; "
        f"the limit is {MAX_BYTES // 1024 // 1024} MB)."
    )


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"
