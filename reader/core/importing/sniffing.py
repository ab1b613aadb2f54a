"""Recognising what a file is from its first bytes: binary formats refused with a sentence that names them."""

from __future__ import annotations

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
_NOT_SUPPORTED_YET = "which Yanyana cannot import yet (save it as plain text or HTML first)"


def refuse_known_binary(data: bytes, label: str) -> None:
    head = data[:64]
    if head.startswith(b"%PDF-"):
        raise ImportRefused(f"{label} is a PDF document, {_NOT_SUPPORTED_YET}.")
    if head.startswith(b"PK\x03\x04"):
        if data[30:58] == b"mimetypeapplication/epub+zip":
            raise ImportRefused(f"{label} is an EPUB e-book, {_NOT_SUPPORTED_YET}.")
        if data[30:47] == b"mimetypeapplicati" and b"opendocument" in data[30:120]:
            raise ImportRefused(f"{label} is an OpenDocument file, {_NOT_SUPPORTED_YET}.")
        if b"word/" in data[: 64 * 1024]:
            raise ImportRefused(f"{label} is a Word document (DOCX), {_NOT_SUPPORTED_YET}.")
        raise ImportRefused(f"{label} is not a text file (it looks like a ZIP archive).")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportRefused(f"{label} is an old Microsoft Office document, {_NOT_SUPPORTED_YET}.")
    if head.lstrip().startswith(b"{\\rtf"):
        raise ImportRefused(f"{label} is an RTF document, {_NOT_SUPPORTED_YET}.")
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
