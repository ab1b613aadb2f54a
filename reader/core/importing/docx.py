"""Word documents (DOCX, also Strict OOXML and .docm/.dotx): the body as Word shows it with changes accepted.

Read with zipfile + lxml (see :mod:`archives` for the limits), not python-docx: it would be one more
dependency, it skips content controls, text boxes and tracked insertions, and it knows nothing of notes.

- Paragraphs in document order, each a block; tables row by row, cell by cell (the order a reader reads,
  also in right-to-left tables, whose first cell is the rightmost); content controls, smart tags, fields
  and hyperlinks are read through; text boxes follow the paragraph that anchors them.
- Headings: a paragraph whose style (or its ``basedOn`` chain) is "Title", "heading N" or has an outline
  level, or that sets an outline level itself.
- Direction: ``w:bidi`` on the paragraph, else on its style chain, else the document default.
- Tracked changes accepted: insertions and moves-to kept, deletions and moves-from dropped, a deleted
  paragraph mark joins the paragraph with the next one.
- Footnotes and endnotes: the reference is written ``[n]`` where it stands (numbered in order of reference,
  in the document's number format; endnotes default to i, ii, iii like Word), the notes follow the body as
  ``[n] text`` blocks, footnotes first.
- Title from the document properties, else the first Title/Heading 1; the declared language (the complex
  script language when the text is right-to-left) is only a hint.
"""

from __future__ import annotations

import posixpath

import lxml.etree

from reader.core.importing.archives import Container, collapse, dublin_core, local
from reader.core.importing.base import Block, ImportedText
from reader.core.importing.structured import clean, finish, language_hint, note_label

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_TEXT_NAMESPACES = frozenset({_W, _W_STRICT, _MATH})
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)

KIND = "a Word document (DOCX)"

# Elements whose content is never the visible text of a paragraph.
_SKIP = frozenset(
    {
        "pPr", "rPr", "sectPr", "tblPr", "trPr", "tcPr", "tblGrid", "delText", "instrText", "delInstrText",
        "del", "moveFrom", "footnoteRef", "endnoteRef", "commentReference", "annotationRef", "rt", "sym",
        "Fallback", "lastRenderedPageBreak", "fldData", "sdtPr", "sdtEndPr",
    }
)  # fmt: skip
_TRUE = frozenset({"", "1", "true", "on"})


def _attr(el: lxml.etree._Element | None, name: str) -> str | None:
    """A ``w:`` attribute in either namespace (transitional or strict)."""
    if el is None:
        return None
    for ns in (_W, _W_STRICT):
        value = el.get(f"{{{ns}}}{name}")
        if value is not None:
            return value
    return None


def _child(el: lxml.etree._Element | None, name: str) -> lxml.etree._Element | None:
    if el is None:
        return None
    for child in el:
        if local(child.tag) == name:
            return child
    return None


def _flag(el: lxml.etree._Element | None) -> bool | None:
    """A w:bidi-like toggle: None when absent, else its value (absent w:val means on)."""
    if el is None:
        return None
    return (_attr(el, "val") or "").lower() in _TRUE


class _Styles:
    def __init__(self, root: lxml.etree._Element | None) -> None:
        self.styles: dict[str, lxml.etree._Element] = {}
        self.default_bidi: bool | None = None
        if root is None:
            return
        for el in root:
            name = local(el.tag)
            if name == "style" and _attr(el, "type") in (None, "paragraph"):
                style_id = _attr(el, "styleId")
                if style_id:
                    self.styles[style_id] = el
            elif name == "docDefaults":
                for sub in el.iter():
                    parent = sub.getparent()
                    if local(sub.tag) == "bidi" and parent is not None and local(parent.tag) == "pPr":
                        self.default_bidi = _flag(sub)

    def _chain(self, style_id: str | None) -> list[lxml.etree._Element]:
        chain: list[lxml.etree._Element] = []
        while style_id and style_id in self.styles and len(chain) < 20:
            style = self.styles[style_id]
            if any(s is style for s in chain):
                break
            chain.append(style)
            style_id = _attr(_child(style, "basedOn"), "val")
        return chain

    def heading_level(self, style_id: str | None) -> int:
        """0 for body text, else the heading level (Title counts as 1)."""
        for style in self._chain(style_id):
            name = (_attr(_child(style, "name"), "val") or "").strip().lower()
            if name == "title":
                return 1
            if name.startswith("heading ") and name[8:].strip().isdigit():
                return max(1, int(name[8:].strip()))
            outline = _attr(_child(_child(style, "pPr"), "outlineLvl"), "val")
            if outline is not None and outline.isdigit() and int(outline) < 9:
                return int(outline) + 1
        return 0

    def bidi(self, style_id: str | None) -> bool | None:
        for style in self._chain(style_id):
            value = _flag(_child(_child(style, "pPr"), "bidi"))
            if value is not None:
                return value
        return self.default_bidi


def _rows(table: lxml.etree._Element) -> list[lxml.etree._Element]:
    """A table's rows, also those wrapped in content controls or custom XML."""
    rows: list[lxml.etree._Element] = []
    for el in table:
        name = local(el.tag)
        if name == "tr":
            rows.append(el)
        elif name in ("sdt", "sdtContent", "customXml"):
            rows.extend(_rows(el))
    return rows


class _Reader:
    def __init__(self, container: Container, styles: _Styles, note_formats: dict[str, str]) -> None:
        self.container = container
        self.styles = styles
        self.note_formats = note_formats
        self.blocks: list[Block] = []
        self.carry = ""  # text of a paragraph whose mark was deleted (joins the next paragraph)
        self.refs: dict[str, list[tuple[str, str]]] = {"footnote": [], "endnote": []}  # (id, label)

    # --- blocks ------------------------------------------------------------------------------------------

    def body(self, parent: lxml.etree._Element) -> None:
        for el in parent:
            name = local(el.tag)
            if name == "p":
                self.paragraph(el)
            elif name == "tbl":
                for row in _rows(el):
                    for cell in row:
                        if local(cell.tag) in ("tc", "sdt", "customXml"):
                            self.body(cell)
            elif name in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
                self.body(el)
            elif name == "AlternateContent":
                choice = _child(el, "Choice")
                if choice is not None:
                    self.body(choice)

    def paragraph(self, p: lxml.etree._Element) -> None:
        ppr = _child(p, "pPr")
        style_id = _attr(_child(ppr, "pStyle"), "val")
        boxes: list[lxml.etree._Element] = []
        parts: list[str] = []
        self.inline(p, parts, boxes)
        text = self.carry + "".join(parts)
        mark = _child(_child(ppr, "rPr"), "del")
        if mark is not None:  # the paragraph mark is a tracked deletion: accepted, this paragraph runs on
            self.carry = text
        else:
            self.carry = ""
            level = self.styles.heading_level(style_id)
            outline = _attr(_child(ppr, "outlineLvl"), "val")
            if outline is not None and outline.isdigit():
                level = int(outline) + 1 if int(outline) < 9 else 0
            bidi = _flag(_child(ppr, "bidi"))
            if bidi is None:
                bidi = self.styles.bidi(style_id)
            direction = None if bidi is None else "rtl" if bidi else "ltr"
            cleaned = clean(collapse_lines(text))
            if cleaned:
                self.blocks.append(Block(cleaned, "heading" if level else "paragraph", level, direction))
        for box in boxes:
            self.body(box)

    def inline(self, el: lxml.etree._Element, out: list[str], boxes: list[lxml.etree._Element]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            name = local(tag)
            if name in _SKIP:
                continue
            if name == "t":
                if tag.split("}")[0][1:] in _TEXT_NAMESPACES and child.text:
                    out.append(child.text)
            elif name == "tab" or name == "ptab":
                out.append("\t")
            elif name in ("br", "cr"):
                kind = _attr(child, "type")
                out.append(" " if kind in ("page", "column") else "\n")
            elif name == "noBreakHyphen":
                out.append("-")
            elif name in ("footnoteReference", "endnoteReference"):
                note = "footnote" if name == "footnoteReference" else "endnote"
                note_id = _attr(child, "id") or ""
                label = note_label(len(self.refs[note]) + 1, self.note_formats[note])
                self.refs[note].append((note_id, label))
                out.append(f"[{label}]")
            elif name == "txbxContent":
                boxes.append(child)
            elif name == "AlternateContent":
                choice = _child(child, "Choice")
                if choice is not None:
                    self.inline(choice, out, boxes)
            else:
                self.inline(child, out, boxes)

    def notes(self, part: str, note: str) -> None:
        root = self.container.xml_if_present(part)
        if root is None or not self.refs[note]:
            return
        by_id = {_attr(el, "id"): el for el in root if local(el.tag) == note}
        for note_id, label in self.refs[note]:
            el = by_id.get(note_id)
            if el is None:
                continue
            inner = _Reader(self.container, self.styles, self.note_formats)
            inner.body(el)
            texts = [block.text for block in inner.blocks]
            if texts:
                texts[0] = f"[{label}] {texts[0]}"
                self.blocks.extend(Block(text, "note", 0, None) for text in texts)


def collapse_lines(text: str) -> str:
    """Word's text nodes are exact, but a tab is a gap, not a character a reader needs."""
    return "\n".join(collapse(line.replace("\t", " ")) for line in text.split("\n"))


def _main_part(container: Container) -> str:
    rels = container.xml_if_present("_rels/.rels")
    if rels is not None:
        for rel in rels:
            if rel.get("Type") in _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
                target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                if container.has(target):
                    return target
    return "word/document.xml"


def _related(container: Container, main: str) -> dict[str, str]:
    """Relationship type suffix (``styles``, ``footnotes``…) → part name, from the main part's rels."""
    folder, name = posixpath.split(main)
    rels = container.xml_if_present(posixpath.join(folder, "_rels", name + ".rels"))
    out: dict[str, str] = {}
    if rels is None:
        return out
    for rel in rels:
        if rel.get("TargetMode") == "External":
            continue
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
        if rel.get("Target", "").startswith("/"):
            target = rel.get("Target", "").lstrip("/")
        out.setdefault(kind, target)
    return out


def _note_formats(settings: lxml.etree._Element | None, body: lxml.etree._Element) -> dict[str, str]:
    formats = {"footnote": "decimal", "endnote": "lowerRoman"}
    for root in (settings, body):
        if root is None:
            continue
        for el in root.iter():
            name = local(el.tag)
            if name in ("footnotePr", "endnotePr"):
                fmt = _attr(_child(el, "numFmt"), "val")
                if fmt:
                    formats["footnote" if name == "footnotePr" else "endnote"] = fmt
    return formats


def import_docx(data: bytes, label: str) -> ImportedText:
    container = Container(data, label, KIND)
    main = _main_part(container)
    if not container.has(main):
        raise container.damaged("it has no document body")
    document = container.xml(main)
    body = _child(document, "body")
    if body is None:
        raise container.damaged("it has no document body")
    related = _related(container, main)
    styles = _Styles(container.xml_if_present(related.get("styles", "word/styles.xml")))
    settings = container.xml_if_present(related.get("settings", "word/settings.xml"))
    reader = _Reader(container, styles, _note_formats(settings, body))
    reader.body(body)
    if reader.carry.strip():
        reader.blocks.append(Block(clean(collapse_lines(reader.carry))))
    reader.notes(related.get("footnotes", "word/footnotes.xml"), "footnote")
    reader.notes(related.get("endnotes", "word/endnotes.xml"), "endnote")

    # The title and language the author set (File → Properties); the styles' default language is the
    # template's (often en-US under Persian text), so it is not used.
    title, language = dublin_core(container.xml_if_present("docProps/core.xml"))
    hint = language_hint(language)
    return finish(reader.blocks, label=label, fmt="docx", title=title, language=hint)
