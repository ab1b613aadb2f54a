"""Real documents built from the seeds, for the importer tests and bench/import.py.

Word files are made by python-docx (with footnotes, endnotes, tracked changes and direction added as the
WordprocessingML Word writes); ODT, EPUB and MHTML are written with zipfile/lxml/email exactly as
LibreOffice, e-book tools and Chrome lay them out.
"""

from __future__ import annotations

import email.header
import io
import quopri
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from tests.helpers import SEEDS

ZWNJ = "\u200c"
# The Persian seed writes these words without their zero-width non-joiner (as much web text does); the
# documents use the correct spelling, so a test can see ZWNJ survive every format.
_PERSIAN_ZWNJ = {
    "رئیسجمهور": f"رئیس{ZWNJ}جمهور",
    "تنشها": f"تنش{ZWNJ}ها",
    "رسانههای": f"رسانه{ZWNJ}های",
    "بینالمللی": f"بین{ZWNJ}المللی",
    "آتشبس": f"آتش{ZWNJ}بس",
}
LANGS = {"000": "az", "001": "fa", "002": "az", "003": "tr", "004": "ar"}
RTL = frozenset({"fa", "ar"})


@dataclass
class Article:
    """A seed as a document: its headline, its body paragraphs, and a note taken from its last paragraph."""

    prefix: str
    lang: str
    headline: str
    paragraphs: list[str]
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def rtl(self) -> bool:
        return self.lang in RTL

    @property
    def words(self) -> list[str]:
        return words("\n".join([self.headline, *self.paragraphs]))


def article(prefix: str) -> Article:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    for plain, spelled in _PERSIAN_ZWNJ.items():
        text = text.replace(plain, spelled)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if prefix == "003":
        lines = lines[1:]  # the section label above the Turkish headline is not the headline
    headline, *body = lines
    note = " ".join(body[-1].split()[:12])
    return Article(prefix, LANGS[prefix], headline, body, note)


ARTICLES = ("000", "001", "002", "003", "004")
_WORD = re.compile(r"\w+(?:\u200c\w+)*")


def words(text: str) -> list[str]:
    """Words as a reader counts them (a ZWNJ joins the two halves of one word)."""
    return _WORD.findall(text)


def recall(source: list[str], text: str) -> float:
    """Share of the source's words (with multiplicity) found among the imported text's words."""
    from collections import Counter

    want, got = Counter(source), Counter(words(text))
    return sum((want & got).values()) / max(1, sum(want.values()))


def zip_bytes(entries: list[tuple[str, bytes]], *, stored_first: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i, (name, content) in enumerate(entries):
            stored = stored_first and i == 0 and name == "mimetype"
            archive.writestr(
                name, content, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


# --- DOCX ----------------------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WNS = f'xmlns:w="{_W}"'


def build_docx(art: Article, *, table: bool = True, footnote: bool = True, tracked: bool = True) -> bytes:
    """The article as Word writes it: Heading 1 headline, body paragraphs (``w:bidi`` when right-to-left), a
    2×2 table of the first two paragraphs' halves, a footnote on the second paragraph, an endnote on the
    third, and tracked changes (an inserted word kept, a deleted phrase dropped) in the fourth."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.core_properties.title = art.headline
    document.core_properties.language = art.lang

    def bidi(paragraph: Any) -> None:
        if art.rtl:
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(OxmlElement("w:bidi"))

    bidi(document.add_heading(art.headline, level=1))
    for i, text in enumerate(art.paragraphs):
        paragraph = document.add_paragraph(text)
        bidi(paragraph)
        if i == 1 and footnote:
            _reference(paragraph, "footnoteReference", 1)
        if i == 2 and footnote:
            _reference(paragraph, "endnoteReference", 1)
        if i == 3 and tracked:
            run = OxmlElement("w:ins")
            run.set(qn("w:id"), "90")
            run.set(qn("w:author"), "Test")
            inner = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = " " + art.extra.get("inserted", "INSERTEDWORD")
            inner.append(t)
            run.append(inner)
            paragraph._p.append(run)
            deleted = OxmlElement("w:del")
            deleted.set(qn("w:id"), "91")
            deleted.set(qn("w:author"), "Test")
            inner = OxmlElement("w:r")
            t = OxmlElement("w:delText")
            t.text = " DELETEDPHRASE GONE"
            inner.append(t)
            deleted.append(inner)
            paragraph._p.append(deleted)
        if i == 0 and table:
            grid = document.add_table(rows=2, cols=2)
            cells = [c for row in grid.rows for c in row.cells]
            for cell, value in zip(
                cells, ["TABLEA alpha", "TABLEB beta", "TABLEC gamma", "TABLED delta"], strict=True
            ):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if footnote:
        data = _add_notes(data, art.note)
    return data


def _reference(paragraph: Any, kind: str, note_id: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    ref = OxmlElement(f"w:{kind}")
    ref.set(qn("w:id"), str(note_id))
    run.append(ref)
    paragraph._p.append(run)


def _notes_part(kind: str, text: str) -> bytes:
    ref = "footnoteRef" if kind == "footnote" else "endnoteRef"
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind}s {_WNS}>'
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:id="1"><w:p><w:r><w:{ref}/></w:r><w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:{kind}>'
        f"</w:{kind}s>"
    ).encode()


def _add_notes(data: bytes, text: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = []
    for info in source.infolist():
        content = source.read(info)
        if info.filename == "[Content_Types].xml":
            content = content.replace(
                b"</Types>",
                b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
                b'<Override PartName="/word/endnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"/></Types>',
            )
        elif info.filename == "word/_rels/document.xml.rels":
            content = content.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                b'<Relationship Id="rIdEn" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="endnotes.xml"/></Relationships>',
            )
        entries.append((info.filename, content))
    entries.append(("word/footnotes.xml", _notes_part("footnote", text)))
    entries.append(("word/endnotes.xml", _notes_part("endnote", "ENDNOTE " + text)))
    return zip_bytes(entries, stored_first=False)


# --- ODT -----------------------------------------------------------------------------------------------------

_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" office:version="1.3"'
)


def build_odt(art: Article, *, content_override: str | None = None) -> bytes:
    """The article as LibreOffice writes it: heading (outline level 1), paragraphs in an automatic style whose
    parent sets ``writing-mode`` for right-to-left text, a table, a footnote, a tracked deletion and an
    insertion, ``text:s`` runs of spaces."""
    mode = "rl-tb" if art.rtl else "lr-tb"
    body = [f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{escape(art.headline)}</text:h>']
    body.append(
        '<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>'
        "<dc:creator>Test</dc:creator></office:change-info><text:p>DELETEDPHRASE GONE</text:p></text:deletion>"
        "</text:changed-region></text:tracked-changes>"
    )
    for i, text in enumerate(art.paragraphs):
        extra = ""
        if i == 1:
            extra = (
                '<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
                f'<text:note-body><text:p text:style-name="P1">{escape(art.note)}</text:p></text:note-body></text:note>'
            )
        if i == 3:
            extra = (
                '<text:change text:change-id="ct1"/><text:s text:c="1"/><text:span>INSERTEDWORD</text:span>'
            )
        body.append(f'<text:p text:style-name="P1">{escape(text)}{extra}</text:p>')
        if i == 0:
            body.append(
                '<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/>'
                "<table:table-row><table:table-cell><text:p>TABLEA alpha</text:p></table:table-cell>"
                "<table:table-cell><text:p>TABLEB beta</text:p></table:table-cell></table:table-row>"
                "<table:table-row><table:table-cell><text:p>TABLEC gamma</text:p></table:table-cell>"
                "<table:table-cell><text:p>TABLED delta</text:p></table:table-cell></table:table-row></table:table>"
            )
    content = content_override or (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODF_NS}>'
        '<office:automatic-styles><style:style style:name="P1" style:family="paragraph" '
        'style:parent-style-name="Body"/></office:automatic-styles>'
        f"<office:body><office:text>{''.join(body)}</office:text></office:body></office:document-content>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_ODF_NS}><office:styles>'
        '<style:style style:name="Standard" style:family="paragraph"/>'
        '<style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">'
        f'<style:paragraph-properties style:writing-mode="{mode}"/></style:style>'
        '<style:style style:name="Heading_20_1" style:family="paragraph" style:parent-style-name="Body"/>'
        "</office:styles></office:document-styles>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_ODF_NS}><office:meta>'
        f"<dc:title>{escape(art.headline)}</dc:title><dc:language>{art.lang}</dc:language>"
        "</office:meta></office:document-meta>"
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest {_ODF_NS}>'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return zip_bytes(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.encode()),
            ("styles.xml", styles.encode()),
            ("meta.xml", meta.encode()),
            ("META-INF/manifest.xml", manifest.encode()),
        ]
    )


# --- EPUB ----------------------------------------------------------------------------------------------------


def epub_chapter(art: Article, *, version: int = 3, heading: str = "h1") -> str:
    """One XHTML chapter: headline, a short subheading, the paragraphs (a noteref on the second), an aside."""
    direction = "rtl" if art.rtl else "ltr"
    paras = "".join(
        f"<p>{escape(p)}"
        + ('<sup><a epub:type="noteref" href="#n1" id="r1">1</a></sup>' if i == 1 and version == 3 else "")
        + "</p>"
        for i, p in enumerate(art.paragraphs)
    )
    note = (
        f'<aside epub:type="footnote" id="n1"><p><a href="#r1">1</a> {escape(art.note)}</p></aside>'
        if version == 3
        else f'<div class="footnote" id="n1"><p>{escape(art.note)}</p></div>'
    )
    doctype = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">'
        if version == 2
        else "<!DOCTYPE html>"
    )
    nbsp = "&nbsp;" if version == 2 else "\u00a0"
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'xml:lang="{art.lang}" lang="{art.lang}" dir="{direction}"><head><title>{escape(art.headline)}</title>'
        '<style>p { margin: 0 }</style><script>document.write("SCRIPTTEXT")</script></head>'
        f"<body><section><{heading}>{escape(art.headline)}</{heading}>"
        f"<h2>{art.prefix}{nbsp}§</h2>{paras}<img src='x.png' alt='ALTTEXT'/>{note}</section></body></html>"
    )


def build_epub(
    chapters: list[str],
    *,
    title: str,
    lang: str,
    version: int = 3,
    page_direction: str | None = None,
    spine_order: list[int] | None = None,
) -> bytes:
    order = spine_order if spine_order is not None else list(range(len(chapters)))
    items = "".join(
        f'<item id="c{i}" href="text/chapter{i}.xhtml" media-type="application/xhtml+xml"/>'
        for i in range(len(chapters))
    )
    spine = "".join(f'<itemref idref="c{i}"/>' for i in order)
    ppd = f' page-progression-direction="{page_direction}"' if page_direction else ""
    opf = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="{version}.0" '
        'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="id">urn:uuid:12345</dc:identifier><dc:title>{escape(title)}</dc:title>'
        f"<dc:language>{lang}</dc:language></metadata><manifest>{items}"
        '<item id="css" href="style.css" media-type="text/css"/></manifest>'
        f"<spine{ppd}>{spine}</spine></package>"
    )
    container = (
        '<?xml version="1.0"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    entries = [
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", container.encode()),
        ("OEBPS/content.opf", opf.encode()),
        ("OEBPS/style.css", b"p { margin: 0 }"),
    ]
    entries += [(f"OEBPS/text/chapter{i}.xhtml", chapter.encode()) for i, chapter in enumerate(chapters)]
    return zip_bytes(entries)


# --- MHTML ---------------------------------------------------------------------------------------------------


def article_html(art: Article, *, charset: str = "utf-8") -> str:
    direction = "rtl" if art.rtl else "ltr"
    paras = "".join(f"<p>{escape(p)}</p>" for p in art.paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{art.lang}" dir="{direction}"><head><meta charset="{charset}">'
        f"<title>{escape(art.headline)}</title><script>alert('SCRIPTTEXT')</script></head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article><h1>{escape(art.headline)}</h1>{paras}</article>"
        "<footer>© 2024 Example News. All rights reserved.</footer></body></html>"
    )


def build_mhtml(html: str, *, title: str, charset: str | None = "utf-8", encode: str = "utf-8") -> bytes:
    """A page as Chrome's "Save as… Webpage, Single File" writes it: Blink's headers, a quoted-printable HTML
    part, an image part and a stylesheet part."""
    boundary = "----MultipartBoundary--ZXqvXgy8ogFVgwaDQbC5VU0C9Xg9TbBq6PzPA0SA7J----"
    payload = quopri.encodestring(html.encode(encode)).decode("ascii")
    subject = email.header.Header(title, "utf-8").encode()
    content_type = f"text/html; charset={charset}" if charset else "text/html"
    parts = [
        "From: <Saved by Blink>",
        "Snapshot-Content-Location: https://example.org/news/article-1",
        f"Subject: {subject}",
        "Date: Thu, 28 Sep 2023 10:00:00 -0000",
        "MIME-Version: 1.0",
        "Content-Type: multipart/related;",
        '\ttype="text/html";',
        f'\tboundary="{boundary}"',
        "",
        "",
        f"--{boundary}",
        f"Content-Type: {content_type}",
        "Content-ID: <frame-0A2C@mhtml.blink>",
        "Content-Transfer-Encoding: quoted-printable",
        "Content-Location: https://example.org/news/article-1",
        "",
        payload,
        f"--{boundary}",
        "Content-Type: image/png",
        "Content-Transfer-Encoding: base64",
        "Content-Location: https://example.org/logo.png",
        "",
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
        f"--{boundary}",
        "Content-Type: text/css",
        "Content-Transfer-Encoding: quoted-printable",
        "Content-Location: cid:css-1@mhtml.blink",
        "",
        "body { background: url(https://tracker.example/x.png) }",
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(parts).encode("ascii")


def write_all(folder: Path) -> dict[str, list[Path]]:
    """Every format for every seed article, written into ``folder`` (for bench/import.py)."""
    out: dict[str, list[Path]] = {"docx": [], "odt": [], "epub": [], "mhtml": []}
    for prefix in ARTICLES:
        art = article(prefix)
        files = {
            "docx": build_docx(art),
            "odt": build_odt(art),
            "epub": build_epub([epub_chapter(art)], title=art.headline, lang=art.lang),
            "mhtml": build_mhtml(article_html(art), title=art.headline),
        }
        for fmt, data in files.items():
            path = folder / f"{prefix}.{fmt}"
            path.write_bytes(data)
            out[fmt].append(path)
    return out
