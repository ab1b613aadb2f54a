"""EPUB 2 and 3 e-books, read with zipfile + lxml (not ebooklib: AGPL, and it labels chapters English and
drops their direction).

``META-INF/container.xml`` names the package document (OPF); its spine gives the chapters in reading order.
Each chapter (XHTML, parsed as XML with the limits of :mod:`archives`; HTML named entities of EPUB 2 files
replaced; a chapter that is not XML at all is read by lxml's HTML parser) is read block by block — every
heading, paragraph, list item, table cell, quotation and text-bearing ``div`` — because the web page
main-text extractor drops headings and short blocks, which in a book are the text. Scripts, styles,
navigation, images and MathML/SVG are skipped. Footnotes (``epub:type`` footnote/endnote/rearnote/note,
``<aside>``) are kept and moved to the end of their chapter; note references stay as the book prints them.
Each block's direction is the nearest ``dir`` (or the spine's ``page-progression-direction``).
The title comes from the OPF metadata; its language is a hint, and a warning names a disagreement with the
language the text reads as (the text wins).
"""

from __future__ import annotations

import posixpath
import re
from html.entities import html5
from urllib.parse import unquote

import lxml.etree
import lxml.html

from reader.core.importing.archives import DUBLIN_CORE, Container, Damaged, collapse, local, parse_xml
from reader.core.importing.base import Block, ImportedText, ImportRefused
from reader.core.importing.encodings import decode
from reader.core.importing.structured import clean, finish, language_hint
from reader.languages import language_name

KIND = "an EPUB e-book"
_OPF = "http://www.idpf.org/2007/opf"
_DC = DUBLIN_CORE
_EPUB = "http://www.idpf.org/2007/ops"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/x-dtbook+xml"})

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = _HEADINGS | frozenset(
    {
        "p", "div", "li", "blockquote", "pre", "dd", "dt", "figcaption", "caption", "td", "th", "section",
        "article", "header", "footer", "main", "aside", "figure", "ul", "ol", "dl", "table", "tr", "tbody",
        "thead", "tfoot", "body", "hr", "address", "center", "hgroup", "details", "summary", "legend",
        "fieldset",
    }
)  # fmt: skip
_SKIP = frozenset(
    {
        "script", "style", "head", "nav", "img", "svg", "math", "object", "embed", "iframe", "video", "audio",
        "canvas", "template", "noscript", "map", "button", "input", "select", "textarea", "rt", "rp", "title",
    }
)  # fmt: skip
# EPUB 2 has no epub:type; converters mark notes with a class.
_NOTE_CLASSES = frozenset({"footnote", "footnotes", "endnote", "endnotes", "note", "notes"})
_NOTE_TYPES = frozenset({"footnote", "endnote", "rearnote", "note", "footnotes", "endnotes", "rearnotes"})


def _epub_types(el: lxml.etree._Element) -> set[str]:
    raw = el.get(f"{{{_EPUB}}}type") or el.get("epub:type") or ""
    return set(raw.split())


class BlockReader:
    """Blocks of an (X)HTML element in reading order, notes collected for the end (an EPUB chapter, a pasted
    selection)."""

    def __init__(self, direction: str | None) -> None:
        self.blocks: list[Block] = []
        self.notes: list[Block] = []
        self.base_direction = direction
        self._buffer: list[str] = []

    def _flush(self, kind: str, level: int, direction: str | None, note: bool) -> None:
        text = clean("\n".join(collapse(line) for line in "".join(self._buffer).split("\n")))
        self._buffer = []
        if not text:
            return
        if note:
            self.notes.append(Block(text, "note", 0, direction))
        elif kind == "heading":
            self.blocks.append(Block(text, "heading", level, direction))
        else:
            self.blocks.append(Block(text, "paragraph", 0, direction))

    def read(self, body: lxml.etree._Element) -> None:
        self._walk(body, self.base_direction, False, "paragraph", 0)
        self._flush("paragraph", 0, self.base_direction, False)

    def _walk(
        self, el: lxml.etree._Element, direction: str | None, note: bool, kind: str, level: int
    ) -> None:
        name = local(el.tag).lower()
        declared = (el.get("dir") or "").lower()
        if declared in ("rtl", "ltr"):
            direction = declared
        types = _epub_types(el)
        classes = set((el.get("class") or "").lower().split())
        if types & _NOTE_TYPES or name == "aside" or classes & _NOTE_CLASSES:
            note = True
        block = name in _BLOCKS
        if block:
            self._flush(kind, level, direction, note)
            if name in _HEADINGS:
                kind, level = "heading", int(name[1])
            elif name != "hgroup":
                kind, level = "paragraph", 0
        if name == "br":
            self._buffer.append("\n")
        if name == "a" and _is_note_link(el, note):
            # "değindi¹" must not read as the word "değindi1": the reference is written [1] like in DOCX/ODT
            self._buffer.append(f"[{_text_of(el)}]" + (" " if note else ""))
            return
        if el.text:
            self._buffer.append(el.text)
        for child in el:
            child_name = local(child.tag).lower()
            if child.tag is lxml.etree.Entity:  # &nbsp; of an EPUB 2 DTD that is never loaded
                self._buffer.append(html5.get((child.text or "&")[1:], ""))
            elif child_name and child_name not in _SKIP:
                self._walk(child, direction, note, kind, level)
            if child.tail:
                self._buffer.append(child.tail)
        if block:
            self._flush(kind, level, direction, note)


def _text_of(el: lxml.etree._Element) -> str:
    return "".join(str(t) for t in el.itertext()).strip()


def _is_note_link(a: lxml.etree._Element, in_note: bool) -> bool:
    """A note reference (``epub:type="noteref"``, or a short link inside ``<sup>``) or a note's link back
    (a short in-book link inside a note)."""
    label = _text_of(a)
    if not label or len(label) > 6 or "#" not in (a.get("href") or ""):
        return False
    types = _epub_types(a)
    if types & {"noteref", "backlink", "referrer"} or (in_note and len(label) <= 4):
        return True
    parent = a.getparent()
    return parent is not None and local(parent.tag).lower() == "sup" and len(label) <= 4


def _rootfile(container: Container) -> str:
    if not container.has("META-INF/container.xml"):
        opfs = sorted(n for n in container.names if n.lower().endswith(".opf"))
        if opfs:
            return opfs[0]
        raise container.damaged("META-INF/container.xml is missing")
    root = container.xml("META-INF/container.xml")
    for el in root.iter():
        if local(el.tag) == "rootfile" and el.get("full-path"):
            media = el.get("media-type", "application/oebps-package+xml")
            if media == "application/oebps-package+xml":
                return posixpath.normpath(unquote(el.get("full-path", "")))
    raise container.damaged("it names no package document")


def _encrypted_parts(container: Container) -> set[str]:
    """Parts listed in ``META-INF/encryption.xml`` (DRM encrypts chapters; font obfuscation only fonts)."""
    root = container.xml_if_present("META-INF/encryption.xml")
    if root is None:
        return set()
    return {
        posixpath.normpath(unquote(el.get("URI", "")))
        for el in root.iter()
        if local(el.tag) == "CipherReference" and el.get("URI")
    }


def _chapter_root(container: Container, name: str) -> lxml.etree._Element:
    data = container.read(name)
    try:
        return parse_xml(data, container, name, html_entities=True)
    except Damaged as exc:  # not XML (entities and nesting are refused, not worked around)
        parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True)
        text, _encoding, _warnings = decode(data, container.label, True)
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
        try:
            root = lxml.html.document_fromstring(text, parser=parser)
        except (lxml.etree.ParserError, ValueError):
            raise exc from None
        return root


_LANGUAGE_SAMPLE = 20_000
_SPACES = re.compile(r"\s+")
# What e-book writers put in dc:title when the author gave none (LibreOffice, calibre).
_PLACEHOLDER_TITLES = frozenset({"", "unknown title", "unknown", "untitled"})


def import_epub(data: bytes, label: str) -> ImportedText:
    container = Container(data, label, KIND)
    opf_name = _rootfile(container)
    opf = container.xml(opf_name)
    folder = posixpath.dirname(opf_name)

    metadata = next((el for el in opf if local(el.tag) == "metadata"), None)
    title = language = None
    if metadata is not None:
        for el in metadata.iter():
            if (
                local(el.tag) == "title"
                and title is None
                and (el.text or "").strip().lower() not in _PLACEHOLDER_TITLES
            ):
                title = _SPACES.sub(" ", el.text or "").strip()
            elif local(el.tag) == "language" and language is None and (el.text or "").strip():
                language = (el.text or "").strip()

    manifest: dict[str, tuple[str, str]] = {}
    spine_el = None
    for el in opf:
        if local(el.tag) == "manifest":
            for item in el:
                if local(item.tag) == "item" and item.get("id") and item.get("href"):
                    href = posixpath.normpath(
                        posixpath.join(folder, unquote(item.get("href", "").split("#")[0]))
                    )
                    manifest[item.get("id", "")] = (href, item.get("media-type", ""))
        elif local(el.tag) == "spine":
            spine_el = el
    if spine_el is None:
        raise container.damaged("its package document has no spine")
    progression = (spine_el.get("page-progression-direction") or "").lower()
    base_direction = progression if progression in ("rtl", "ltr") else None

    encrypted = _encrypted_parts(container)
    blocks: list[Block] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for ref in spine_el:
        if local(ref.tag) != "itemref":
            continue
        entry = manifest.get(ref.get("idref", ""))
        if entry is None or entry[0] in seen:
            continue
        href, media = entry
        seen.add(href)
        if href in encrypted:
            raise ImportRefused(
                f"{label} is an EPUB e-book protected by DRM (its chapters are encrypted), which Yanyana cannot "
                "read; use a copy without DRM."
            )
        if media not in _HTML_TYPES or not container.has(href):
            if media in _HTML_TYPES:
                warnings.append(f"The chapter {href} is listed but missing from the book; it was skipped.")
            continue
        root = _chapter_root(container, href)
        html_el = root if local(root.tag).lower() == "html" else None
        direction = base_direction
        if html_el is not None and (html_el.get("dir") or "").lower() in ("rtl", "ltr"):
            direction = (html_el.get("dir") or "").lower()
        body = next((el for el in root.iter() if local(el.tag).lower() == "body"), root)
        chapter = BlockReader(direction)
        chapter.read(body)
        blocks.extend(chapter.blocks)
        blocks.extend(chapter.notes)

    hint = language_hint(language)
    result = finish(blocks, label=label, fmt="epub", title=title, language=hint, warnings=warnings)
    if hint is not None:
        from reader.core.text.language import detect_language

        # a sample is enough to contradict the metadata (the library detects on the whole text later)
        detected = detect_language(result.text[:_LANGUAGE_SAMPLE])
        if detected is not None and detected != hint:
            result.warnings.append(
                f"The book says its language is {language_name(hint)}, but the text reads as "
                f"{language_name(detected)}; {language_name(detected)} was used."
            )
            result.language = detected
    return result
