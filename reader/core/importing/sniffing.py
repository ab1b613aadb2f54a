"""Recognising what a file is from its first bytes: binary formats refused with a sentence that names them."""

from __future__ import annotations

import io
import zipfile

from reader.core.importing.base import ImportRefused

# (offset, magic, description). Only signatures no real text file starts with.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (0, b"8BPS", "a Photoshop image"),
    (0, b"\x00\x00\x01\x00", "an icon image"),
    (0, b"\x7fELF", "an executable program"),
    (0, b"\xcf\xfa\xed\xfe", "an executable program"),
    (0, b"\xce\xfa\xed\xfe", "an executable program"),
    (0, b"\xca\xfe\xba\xbe", "an executable program"),
    (0, b"\x00asm", "a WebAssembly program"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"\xfd7zXZ\x00", "an xz archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
    (0, b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
    (0, b"wOFF", "a web font"),
    (0, b"wOF2", "a web font"),
    (257, b"ustar", "a tar archive"),
)
_NOT_SUPPORTED_YET = "which Yanyana cannot import yet (save it as DOCX, ODT, HTML or plain text first)"

_ZIP_SUFFIXES = {"docx": "docx", "docm": "docx", "dotx": "docx", "odt": "odt", "ott": "odt", "epub": "epub"}
# ZIP-based formats by the part that names them.
_OOXML_OTHERS = (
    ("xl/", "an Excel spreadsheet (XLSX)"),
    ("ppt/", "a PowerPoint presentation (PPTX)"),
    ("visio/", "a Visio drawing"),
)
# Compound File (OLE2) formats by the name of their main stream (UTF-16 in the directory).
_OLE_STREAMS = (
    ("WordDocument", "an old Word document (.doc)"),
    ("Workbook", "an old Excel spreadsheet (.xls)"),
    ("Book", "an old Excel spreadsheet (.xls)"),
    ("PowerPoint Document", "an old PowerPoint presentation (.ppt)"),
    ("__substg1.0_", "an Outlook message (.msg)"),
)


def sniff_zip(data: bytes, label: str) -> str | None:
    """ "docx", "odt" or "epub" for a ZIP container Yanyana reads; None when ``data`` is not a ZIP; any other
    ZIP (spreadsheets, presentations, plain archives) is refused with a sentence naming it."""
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return None
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        names = None
    head = data[:65536]
    if data[30:58] == b"mimetypeapplication/epub+zip" or (
        names and "META-INF/container.xml" in names and "mimetype" in names and b"epub" in head
    ):
        return "epub"
    if data[30:47] == b"mimetypeapplicati" and b"opendocument" in data[30:120]:
        return "odt"  # the ODT importer names the other OpenDocument kinds
    if names is not None:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if "content.xml" in names and "META-INF/manifest.xml" in names:
            return "odt"
        for prefix, description in _OOXML_OTHERS:
            if any(n.startswith(prefix) for n in names):
                raise ImportRefused(f"{label} is {description}, {_NOT_SUPPORTED_YET}.")
        raise ImportRefused(f"{label} is not a text file (it looks like a ZIP archive).")
    if b"word/" in head:
        return "docx"  # damaged: the DOCX importer says so
    suffix = label.rsplit(".", 1)[-1].lower() if "." in label else ""
    if suffix in _ZIP_SUFFIXES:  # a truncated archive: its name is all that is left to say what it was
        return _ZIP_SUFFIXES[suffix]
    raise ImportRefused(f"{label} is not a text file (it looks like a damaged ZIP archive).")


def _ole_kind(data: bytes) -> str:
    for stream, description in _OLE_STREAMS:
        if stream.encode("utf-16-le") in data:
            return description
    return "an old Microsoft Office document"


def refuse_known_binary(data: bytes, label: str) -> None:
    head = data[:64]
    if head.startswith(b"PK\x03\x04"):
        raise ImportRefused(f"{label} is not a text file (it looks like a ZIP archive).")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportRefused(f"{label} is {_ole_kind(data)}, {_NOT_SUPPORTED_YET}.")
    if head.lstrip().startswith(b"{\\rtf"):
        raise ImportRefused(f"{label} is an RTF document, {_NOT_SUPPORTED_YET}.")
    if head.startswith(b"bplist00"):
        if b"WebMainResource" in data[:4096] or b"WebMainResource" in data[-65536:]:
            raise ImportRefused(f"{label} is a Safari web archive (.webarchive), {_NOT_SUPPORTED_YET}.")
        raise ImportRefused(f"{label} is not a text file (it looks like an Apple property list).")
    if head.startswith(b"BM") and len(data) > 26 and int.from_bytes(data[2:6], "little") == len(data):
        raise ImportRefused(f"{label} is not a text file (it looks like a BMP image).")
    if head[:4] == b"RIFF" and len(head) >= 12:
        kind = {b"WEBP": "a WebP image", b"WAVE": "a WAV sound file", b"AVI ": "an AVI video"}
        raise ImportRefused(
            f"{label} is not a text file (it looks like {kind.get(head[8:12], 'media data')})."
        )
    if head[4:8] == b"ftyp":
        raise ImportRefused(f"{label} is not a text file (it looks like a video or HEIC image).")
    for offset, magic, description in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            raise ImportRefused(f"{label} is not a text file (it looks like {description}).")


# C0 control bytes that do not occur in text (tab, LF, VT, FF, CR, SUB (DOS end of file) and ESC
# (terminal colours) do). NUL is handled separately.
_CONTROL_BYTES = bytes(b for b in range(1, 32) if b not in (9, 10, 11, 12, 13, 26, 27)) + b"\x7f"
_MAX_CONTROL_FRACTION = 0.02


def refuse_control_bytes(data: bytes, label: str) -> None:
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls and controls > _MAX_CONTROL_FRACTION * len(data):
        raise ImportRefused(f"{label} is not a text file (it looks like binary data).")
