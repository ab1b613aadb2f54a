"""Helpers shared by the DOCX, ODT and EPUB importers: blocks → ImportedText, note numbers, language hints."""

from __future__ import annotations

from reader.core.importing.base import Block, ImportedText, ImportRefused, join_blocks
from reader.errors import YanyanaError
from reader.languages import normalize_language_code

_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def note_label(number: int, fmt: str) -> str:
    """A note number in a word processor's numbering format (``decimal``, ``lowerRoman``, ``upperLetter``…)."""
    if fmt in ("lowerRoman", "upperRoman", "i", "I"):
        out, n = "", number
        for value, letters in _ROMAN:
            while n >= value:
                out, n = out + letters, n - value
        return out.upper() if fmt in ("upperRoman", "I") else out
    if fmt in ("lowerLetter", "upperLetter", "a", "A"):
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.upper() if fmt in ("upperLetter", "A") else letter
    return str(number)


def language_hint(code: str | None) -> str | None:
    """A declared language (``fa-IR``, ``ar``, ``tr-TR``) as a supported code, or None."""
    if not code:
        return None
    try:
        return normalize_language_code(code)
    except YanyanaError:
        return None


def clean(text: str) -> str:
    """A block's text without leading/trailing blank space and without blank lines inside it (a blank line
    separates blocks in ``ImportedText.text``)."""
    lines = [line.strip(" \t") for line in text.strip().split("\n")]
    return "\n".join(line for line in lines if line.strip())


def finish(
    blocks: list[Block],
    *,
    label: str,
    fmt: str,
    title: str | None,
    language: str | None,
    warnings: list[str] | None = None,
) -> ImportedText:
    kept = [block for block in blocks if block.text]
    if not any(block.kind != "note" for block in kept):
        raise ImportRefused(f"{label} contains no readable text.")
    title = " ".join(title.split()) if title else None
    if not title:
        first = next((b for b in kept if b.kind == "heading" and b.level <= 1), None)
        title = " ".join(first.text.split()) if first else None
    return ImportedText(
        text=join_blocks(kept),
        title=title or None,
        encoding="utf-8",
        format=fmt,
        warnings=warnings or [],
        language=language,
        blocks=kept,
    )
