"""OpenDocument text (ODT, OTT; LibreOffice's own format), read with zipfile + lxml.

``content.xml`` in document order: ``text:h`` are headings (``text:outline-level``), ``text:p`` paragraphs,
lists item by item, tables row by row and cell by cell, sections and text frames read through. Inline
``text:s``/``text:tab``/``text:line-break`` become spaces and line breaks. Tracked changes are accepted:
insertions are already in the body, deletions live only in ``text:tracked-changes`` (skipped). Notes
(``text:note``) keep their citation where they stand (``[n]``) and follow the body, footnotes first, as
``[n] text``. Direction from the paragraph style's ``style:writing-mode`` (``rl-tb`` is right-to-left),
following ``style:parent-style-name`` into ``styles.xml``. The title comes from ``meta.xml``; the
declared language (complex-script language when the text is right-to-left) is only a hint.
"""

from __future__ import annotations

import lxml.etree

from reader.core.importing.archives import Container, collapse, dublin_core, local
from reader.core.importing.base import Block, ImportedText, ImportRefused
from reader.core.importing.structured import clean, finish, language_hint

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

KIND = "an OpenDocument text (ODT)"
TEXT_MIMETYPES = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.text-template",
    "application/vnd.oasis.opendocument.text-master",
)
OTHER_MIMETYPES = {
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (ODS)",
    "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (ODP)",
    "application/vnd.oasis.opendocument.graphics": "an OpenDocument drawing (ODG)",
    "application/vnd.oasis.opendocument.formula": "an OpenDocument formula (ODF)",
    "application/vnd.oasis.opendocument.chart": "an OpenDocument chart (ODC)",
}

_SKIP = frozenset(
    {
        "tracked-changes", "annotation", "annotation-end", "note-citation", "bookmark-ref", "soft-page-break",
        "sequence-decls", "variable-decls", "user-field-decls", "forms", "table-columns", "table-column",
        "table-header-columns", "image", "object", "object-ole", "desc", "title", "index-title-template",
        "index-entry-template", "table-of-content-source", "alphabetical-index-source", "change",
        "change-start", "change-end",
    }
)  # fmt: skip


def _a(el: lxml.etree._Element, ns: str, name: str) -> str | None:
    return el.get(f"{{{ns}}}{name}")


class _Styles:
    def __init__(self, *roots: lxml.etree._Element | None) -> None:
        self.parent: dict[str, str] = {}
        self.mode: dict[str, str] = {}
        self.default_mode: str | None = None
        for root in roots:
            if root is None:
                continue
            for el in root.iter(f"{{{_STYLE}}}style", f"{{{_STYLE}}}default-style"):
                family = _a(el, _STYLE, "family")
                if family not in (None, "paragraph"):
                    continue
                props = el.find(f"{{{_STYLE}}}paragraph-properties")
                mode = _a(props, _STYLE, "writing-mode") if props is not None else None
                if local(el.tag) == "default-style":
                    self.default_mode = mode or self.default_mode
                    continue
                name = _a(el, _STYLE, "name")
                if not name:
                    continue
                parent = _a(el, _STYLE, "parent-style-name")
                if parent:
                    self.parent[name] = parent
                if mode:
                    self.mode[name] = mode

    def direction(self, name: str | None) -> str | None:
        seen = 0
        while name and seen < 20:
            mode = self.mode.get(name)
            if mode and mode != "page":
                return "rtl" if mode.startswith("rl") else "ltr"
            name = self.parent.get(name)
            seen += 1
        if self.default_mode and self.default_mode != "page":
            return "rtl" if self.default_mode.startswith("rl") else "ltr"
        return None


class _Reader:
    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.blocks: list[Block] = []
        self.notes: dict[str, list[tuple[str, lxml.etree._Element]]] = {"footnote": [], "endnote": []}

    def body(self, parent: lxml.etree._Element) -> None:
        for el in parent:
            name = local(el.tag)
            if name in _SKIP or not name:
                continue
            if name in ("p", "h"):
                self.paragraph(el, name == "h")
            elif name in (
                "list", "list-item", "list-header", "section", "table", "table-row", "table-rows",
                "table-header-rows", "table-row-group", "table-cell", "text-box", "frame", "index-body",
                "table-of-content", "alphabetical-index", "illustration-index", "bibliography",
                "user-index", "object-index", "table-index", "deletion", "insertion",
            ):  # fmt: skip
                self.body(el)

    def paragraph(self, el: lxml.etree._Element, heading: bool) -> None:
        parts: list[str] = []
        frames: list[lxml.etree._Element] = []
        self.inline(el, parts, frames)
        text = clean("\n".join(collapse(line) for line in "".join(parts).split("\n")))
        if text:
            level = 0
            if heading:
                raw = _a(el, _TEXT, "outline-level") or "1"
                level = int(raw) if raw.isdigit() and int(raw) > 0 else 1
            direction = self.styles.direction(_a(el, _TEXT, "style-name"))
            self.blocks.append(Block(text, "heading" if heading else "paragraph", level, direction))
        for frame in frames:
            self.body(frame)

    def inline(self, el: lxml.etree._Element, out: list[str], frames: list[lxml.etree._Element]) -> None:
        if el.text:
            out.append(el.text)
        for child in el:
            name = local(child.tag)
            if name and name not in _SKIP:
                if name == "s":
                    count = _a(child, _TEXT, "c") or "1"
                    out.append(" " * (int(count) if count.isdigit() else 1))
                elif name == "tab":
                    out.append(" ")
                elif name == "line-break":
                    out.append("\n")
                elif name == "note":
                    kind = "endnote" if _a(child, _TEXT, "note-class") == "endnote" else "footnote"
                    citation = child.find(f"{{{_TEXT}}}note-citation")
                    label = (
                        "".join(str(t) for t in citation.itertext()).strip() if citation is not None else ""
                    )
                    label = label or str(len(self.notes[kind]) + 1)
                    out.append(f"[{label}]")
                    body = child.find(f"{{{_TEXT}}}note-body")
                    if body is not None:
                        self.notes[kind].append((label, body))
                elif name in ("frame", "text-box"):
                    frames.append(child)
                else:
                    self.inline(child, out, frames)
            if child.tail:
                out.append(child.tail)

    def note_blocks(self) -> None:
        for kind in ("footnote", "endnote"):
            for label, body in self.notes[kind]:
                inner = _Reader(self.styles)
                inner.body(body)
                texts = [block.text for block in inner.blocks]
                if texts:
                    texts[0] = f"[{label}] {texts[0]}"
                    self.blocks.extend(Block(text, "note") for text in texts)


def import_odt(data: bytes, label: str, container: Container | None = None) -> ImportedText:
    container = container or Container(data, label, KIND)
    if container.has("mimetype"):
        mimetype = container.read("mimetype").decode("ascii", "replace").strip()
        if mimetype in OTHER_MIMETYPES:
            raise ImportRefused(
                f"{label} is {OTHER_MIMETYPES[mimetype]}, which Yanyana cannot import "
                "(only text documents: save it as ODT, DOCX or plain text first)."
            )
    if not container.has("content.xml"):
        raise container.damaged("content.xml is missing")
    content = container.xml("content.xml")
    styles = _Styles(container.xml_if_present("styles.xml"), content)
    text_root = content.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    if text_root is None:
        raise container.damaged("it has no text body")
    reader = _Reader(styles)
    reader.body(text_root)
    reader.note_blocks()

    # The title and language the author set (File → Properties); the styles' default language is the
    # installation's locale, not the document's, so it is not used.
    title, language = dublin_core(container.xml_if_present("meta.xml"))
    hint = language_hint(language)
    return finish(reader.blocks, label=label, fmt="odt", title=title, language=hint)
