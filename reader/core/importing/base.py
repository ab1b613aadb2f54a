"""What every importer produces (:class:`ImportedText`) and the one refusal (:class:`ImportRefused`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from reader.errors import YanyanaError


class ImportRefused(YanyanaError):
    """A file that cannot be imported; ``str()`` is one user-facing sentence naming the file."""


BlockKind = Literal["heading", "paragraph", "note"]


@dataclass(frozen=True)
class Block:
    """One paragraph of a structured document (DOCX, ODT, EPUB) as the file marks it: a heading (with its
    level), body text or a foot/endnote, and the direction the file declares (``"rtl"``, ``"ltr"`` or None
    when it says nothing)."""

    text: str
    kind: BlockKind = "paragraph"
    level: int = 0
    direction: str | None = None


class ImportCancelled(YanyanaError):
    """The caller's progress callback asked to stop an import; nothing was stored."""


@dataclass
class ImportedText:
    text: str
    title: str | None
    encoding: str
    format: str
    warnings: list[str] = field(default_factory=list)
    language: str | None = None
    """The language the file declares (EPUB metadata, a Word or ODT default): used only when the text itself
    gives no language; the detected language wins when they disagree."""
    blocks: list[Block] = field(default_factory=list)
    """Structured formats: ``text`` is exactly these blocks' texts joined by a blank line."""
    pages: int | None = None  # page count of a paged format (PDF)
    # (offset in text, 1-based page) where each page's paragraphs start, in text order; a paragraph is on the
    # page of the last entry at or before its start.
    page_starts: list[tuple[int, int]] = field(default_factory=list)


def join_blocks(blocks: list[Block]) -> str:
    return "\n\n".join(block.text for block in blocks)
