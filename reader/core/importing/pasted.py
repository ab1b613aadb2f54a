"""Text pasted from the clipboard ("Paste as new document"): the clipboard's HTML when it has readable text,
else its plain text, through the same importers as files.

A pasted selection is exactly what the user chose, so the HTML is read block by block like an e-book
chapter (every heading, paragraph, list item, quotation, table cell; scripts, styles, navigation and
embedded content skipped, nothing fetched), not through jusText, which would drop a short selection as
boilerplate. Plain text is kept exactly as pasted (line ends
normalised). Anything else on the clipboard (an image) is refused with one sentence.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from reader.core.importing.base import Block, ImportedText, ImportRefused, join_blocks
from reader.core.importing.epub import BlockReader

LABEL = "The clipboard"
# Windows' CF_HTML header and the fragment markers browsers put around a copied selection
_CF_HTML_HEADER = re.compile(r"^Version:\d[\s\S]*?(?=<)", re.IGNORECASE)
_FRAGMENT_MARKERS = re.compile(r"<!--\s*(?:Start|End)Fragment\s*-->", re.IGNORECASE)


def import_pasted(html: str | None, text: str | None) -> ImportedText:
    """The clipboard's content as a document; raises :class:`ImportRefused` when it holds no text."""
    if html and html.strip():
        blocks = html_blocks(html)
        if blocks:
            return ImportedText(join_blocks(blocks), None, "utf-8", "html", blocks=blocks)
    if text is not None:
        plain = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        if plain.strip():
            return ImportedText(text=plain, title=None, encoding="utf-8", format="text")
    raise ImportRefused(f"{LABEL} holds no text to import (copy some text first).")


def html_blocks(html: str) -> list[Block]:
    """Every block of a pasted HTML selection (the e-book chapter reader: headings, short blocks and text in
    plain ``div``s kept), a blank line between blocks."""
    html = _FRAGMENT_MARKERS.sub("", _CF_HTML_HEADER.sub("", html, count=1))
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1)
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return []
    body = root.find("body")
    reader = BlockReader(None)
    reader.read(body if body is not None else root)
    return reader.blocks + reader.notes
