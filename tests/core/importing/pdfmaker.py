"""PDFs made in the tests, the way real producers make them.

Arabic-script text is shaped by HarfBuzz (through Qt's ``QTextLayout``) with the fonts Yanyana ships, and
written as a PDF by hand: the TrueType font embedded (CIDFontType2, Identity-H, glyph id = code), glyphs
drawn in visual order at the positions HarfBuzz gave, a ToUnicode CMap from each glyph to the characters of
its cluster (lam-alef → two letters, as LibreOffice and Chromium write it). Producer quirks are options:

* ``mode="plain"``: every glyph mapped through ToUnicode (LibreOffice, InDesign);
* ``mode="chromium"``: right-to-left glyphs wrapped one by one in ``/Span <</ActualText …>> BDC … EMC``
  (Chromium's "Save as PDF");
* ``mode="xetex"``: ToUnicode gives presentation forms (U+FB50–FEFC) and no space glyphs are drawn;
* ``drop_zwnj``: ZWNJ has no glyph (the extractor cannot see it; only the gap tells);
* running header, page numbers, a page with only an image (a scan), the document title in /Info.

Left-to-right text (Turkish, Azerbaijani) is printed by Qt's own ``QPdfWriter`` (:func:`qt_pdf`), which
writes Latin text faithfully.
"""

from __future__ import annotations

import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
    QTextLayout,
    QTextOption,
)

FONTS = Path(__file__).resolve().parents[3] / "resources" / "fonts"
FONT_FILES = {"fa": FONTS / "Vazirmatn-Regular.ttf", "ar": FONTS / "NotoNaskhArabic-Regular.ttf"}

PAGE_W, PAGE_H = 420.0, 595.0  # A5 in points
MARGIN = 50.0


@dataclass
class _Glyph:
    gid: int
    x: float
    y: float
    text: str
    rtl: bool
    size: float


@dataclass
class _Page:
    glyphs: list[_Glyph] = field(default_factory=list)
    image: bool = False


_families: dict[Path, str] = {}


def _family(path: Path) -> str:
    if path not in _families:
        font_id = QFontDatabase.addApplicationFont(str(path))
        _families[path] = QFontDatabase.applicationFontFamilies(font_id)[0]
    return _families[path]


# --- presentation forms (for mode="xetex") ---------------------------------------------------------------

_FORMS: dict[tuple[str, str], str] = {}
for _code in list(range(0xFB50, 0xFDFF + 1)) + list(range(0xFE70, 0xFEFC + 1)):
    _decomposition = unicodedata.decomposition(chr(_code))
    if _decomposition.startswith("<"):
        _tag, *_parts = _decomposition.split()
        _FORMS.setdefault((_tag.strip("<>"), "".join(chr(int(p, 16)) for p in _parts)), chr(_code))
_NON_JOINING_NEXT = set("ءآأؤإاةدذرزوژ")


def _joins(ch: str) -> bool:
    return "\u0620" <= ch <= "\u06ff" and unicodedata.category(ch) == "Lo"


def _presentation(text: str, before: str, after: str) -> str:
    joins_prev = _joins(before) and before not in _NON_JOINING_NEXT and _joins(text[0])
    joins_next = _joins(after) and text[-1] not in _NON_JOINING_NEXT
    form = {(True, True): "medial", (True, False): "final", (False, True): "initial"}.get(
        (joins_prev, joins_next), "isolated"
    )
    for candidate in (form, "final" if form == "medial" else "isolated", "isolated"):
        if (candidate, text) in _FORMS:
            return _FORMS[(candidate, text)]
    return text


# --- layout ----------------------------------------------------------------------------------------------


class ArabicScriptPdf:
    """Lay out paragraphs of Persian or Arabic text on A5 pages and write them as a PDF."""

    def __init__(
        self,
        lang: str,
        *,
        mode: str = "plain",
        size: float = 11.0,
        drop_zwnj: bool = False,
        header: str | None = None,
        page_numbers: bool = False,
        title: str | None = None,
    ) -> None:
        self.lang = lang
        self.mode = mode
        self.size = size
        self.drop_zwnj = drop_zwnj
        self.header = header
        self.page_numbers = page_numbers
        self.title = title
        self.columns = 1
        self.column = 0
        self.font_path = FONT_FILES[lang]
        self.pages: list[_Page] = [_Page()]
        self.y = PAGE_H - MARGIN - size
        self.codes: dict[tuple[int, str], int] = {}
        self.advances: list[int] = []
        self.paragraph_pages: list[int] = []  # the page each paragraph starts on

    # Text
    def _shape(self, text: str, size: float, width: float) -> list[list[_Glyph]]:
        font = QFont(_family(self.font_path))
        font.setPixelSize(round(size * 4))  # shape at 4x and scale down: finer positions
        layout = QTextLayout(text, font)
        option = QTextOption()
        rtl = any("\u0600" <= ch <= "\u06ff" for ch in text)
        option.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.beginLayout()
        lines = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width * 4)
            lines.append(line)
        layout.endLayout()
        out = []
        for line in lines:
            glyphs: list[_Glyph] = []
            retrieve = QTextLayout.GlyphRunRetrievalFlag.RetrieveAll
            end = line.textStart() + line.textLength()
            # Character by character: Qt (6.11) gives every run after the first string indexes of 0 when
            # asked for a whole line. A ligature comes back for each of its characters: kept once.
            found: dict[tuple[int, float, float], tuple[int, bool]] = {}
            for i in range(line.textStart(), end):
                for run in line.glyphRuns(i, 1, retrieve):
                    for gid, pos, index in zip(
                        run.glyphIndexes(), run.positions(), run.stringIndexes(), strict=True
                    ):
                        key = (gid, round(pos.x(), 2), round(pos.y(), 2))
                        if key not in found or index < found[key][0]:
                            found[key] = (index, run.isRightToLeft())
            starts = sorted({index for index, _ in found.values()})
            members: dict[int, list[tuple[int, float, float]]] = {}
            for key, (index, _rtl) in found.items():
                members.setdefault(index, []).append(key)
            for index, keys in members.items():
                nxt = next((s for s in starts if s > index), end)
                cluster = text[index:nxt]
                # One cluster, several glyphs (in logical order): a letter each, the rest on the last.
                keys.sort(key=lambda k: -k[1] if found[k][1] else k[1])
                for rank, key in enumerate(keys):
                    part = cluster[rank:] if rank == len(keys) - 1 else cluster[rank : rank + 1]
                    if part.isspace() or (not part and rank):
                        continue  # producers position words; they draw no space glyphs
                    glyphs.append(_Glyph(key[0], key[1] / 4, 0.0, part, found[key][1], size))
            if rtl and glyphs:  # right-aligned, as a right-to-left paragraph is set
                shift = width - line.naturalTextWidth() / 4
                for g in glyphs:
                    g.x += shift
            out.append(glyphs)
        return out

    def _place(self, glyphs: list[_Glyph], x0: float, y: float, page: _Page, context: str = "") -> None:
        for i, g in enumerate(glyphs):
            text = g.text
            if text == "\u200c" and self.drop_zwnj:
                continue
            if self.mode == "xetex" and text and all(_joins(ch) or ch in "\u0644\u0627" for ch in text):
                before = glyphs[i - 1].text[-1:] if i > 0 and glyphs[i - 1].rtl == g.rtl else ""
                after = glyphs[i + 1].text[:1] if i + 1 < len(glyphs) else ""
                if g.rtl:  # the glyph list is in logical order: neighbours are logical neighbours
                    text = _presentation(text, before, after)
            page.glyphs.append(_Glyph(g.gid, x0 + g.x, y, text, g.rtl, g.size))

    GUTTER = 24.0

    def paragraph(self, text: str) -> None:
        """Set a paragraph in the current column, flowing to the next column (the left one after the right
        one for right-to-left text) and the next page."""
        width = (PAGE_W - 2 * MARGIN - (self.columns - 1) * self.GUTTER) / self.columns
        for k, glyphs in enumerate(self._shape(text, self.size, width)):
            if self.y < MARGIN + 2 * self.size:
                if self.column + 1 < self.columns:
                    self.column += 1
                    self.y = PAGE_H - MARGIN - self.size
                else:
                    self.new_page()
            if k == 0:
                self.paragraph_pages.append(len(self.pages))
            slot = self.columns - 1 - self.column if self.lang in ("fa", "ar") else self.column
            self._place(glyphs, MARGIN + slot * (width + self.GUTTER), self.y, self.pages[-1])
            self.y -= 1.5 * self.size
        self.y -= 0.8 * self.size

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = PAGE_H - MARGIN - self.size
        self.column = 0

    def scanned_page(self) -> None:
        """A page holding only an image, as a scanner makes."""
        self.pages.append(_Page(image=True))
        self.new_page()

    # Output
    def _decorations(self) -> None:
        total = len(self.pages)
        for number, page in enumerate(self.pages, 1):
            if page.image or not page.glyphs:
                continue
            if self.header:
                for glyphs in self._shape(self.header, 7.0, PAGE_W)[:1]:
                    self._place(glyphs, MARGIN, PAGE_H - 28.0, page)
            if self.page_numbers:
                for glyphs in self._shape(f"{number} / {total}", 8.0, PAGE_W)[:1]:
                    self._place(glyphs, PAGE_W / 2 - 10, 24.0, page)

    def to_bytes(self) -> bytes:
        self._decorations()
        font_data = self.font_path.read_bytes()
        writer = _PdfWriter()
        font_file = writer.add(
            f"<< /Length {len(zlib.compress(font_data))} /Length1 {len(font_data)} /Filter /FlateDecode >>".encode(),
            zlib.compress(font_data),
        )
        # One code per (glyph, text): a glyph that stands for different letters in different places gets
        # several codes, as LibreOffice's font subsets do; CIDToGIDMap takes each code to its glyph.
        for page in self.pages:
            for g in page.glyphs:
                self.codes.setdefault((g.gid, g.text), len(self.codes) + 1)
        code_text = {code: text for (_gid, text), code in self.codes.items() if text}
        gids = [0] * (len(self.codes) + 1)
        for (gid, _text), code in self.codes.items():
            gids[code] = gid
        widths = self._widths(gids)
        cid_to_gid = b"".join(gid.to_bytes(2, "big") for gid in gids)
        cid_map = writer.add(f"<< /Length {len(cid_to_gid)} >>".encode(), cid_to_gid)
        descriptor = writer.add(
            f"<< /Type /FontDescriptor /FontName /Embedded /Flags 4 /FontBBox [-500 -700 1500 1200] /ItalicAngle 0"
            f" /Ascent 1000 /Descent -400 /CapHeight 700 /StemV 80 /FontFile2 {font_file} 0 R >>".encode()
        )
        cid_font = writer.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Embedded /CIDSystemInfo << /Registry (Adobe)"
            f" /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /CIDToGIDMap {cid_map} 0 R"
            f" /DW 500 /W [{widths}] >>".encode()
        )
        cmap = _to_unicode(code_text)
        to_unicode = writer.add(f"<< /Length {len(cmap)} >>".encode(), cmap)
        font = writer.add(
            f"<< /Type /Font /Subtype /Type0 /BaseFont /Embedded /Encoding /Identity-H"
            f" /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>".encode()
        )
        image = writer.add(
            b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray"
            b" /BitsPerComponent 8 /Length 64 >>",
            bytes(range(0, 256, 4)),
        )
        pages_id = writer.reserve()
        kids = []
        for page in self.pages:
            content = self._content(page)
            content_id = writer.add(f"<< /Length {len(content)} >>".encode(), content)
            kids.append(
                writer.add(
                    f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}]"
                    f" /Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {image} 0 R >> >>"
                    f" /Contents {content_id} 0 R >>".encode()
                )
            )
        writer.set(
            pages_id,
            f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode(),
        )
        catalog = writer.add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
        info = writer.add(f"<< /Title {_pdf_text(self.title)} >>".encode()) if self.title else None
        return writer.finish(catalog, info)

    def _widths(self, gids: list[int]) -> str:
        """/W entries: code → advance of its glyph (in 1/1000 of the font size)."""
        from PySide6.QtGui import QRawFont

        raw = QRawFont(str(self.font_path), 1000)
        self.advances = [round(a.x()) for a in raw.advancesForGlyphIndexes(gids)]
        return " ".join(f"{code} [{a}]" for code, a in enumerate(self.advances) if code)

    def _content(self, page: _Page) -> bytes:
        if page.image:
            return b"q 300 0 0 400 60 100 cm /Im1 Do Q"
        lines: dict[float, list[_Glyph]] = {}
        for g in page.glyphs:
            lines.setdefault(round(g.y, 2), []).append(g)
        parts = []
        for y in sorted(lines, reverse=True):
            glyphs = sorted(lines[y], key=lambda g: g.x)  # visual order, left to right, as producers draw
            size = glyphs[0].size
            parts.append(f"BT /F1 {size:g} Tf 1 0 0 1 {glyphs[0].x:.3f} {y:.3f} Tm")
            if self.mode == "chromium":
                # Skia: one Tj per glyph moved by Td, right-to-left glyphs in ReversedChars marked content,
                # each with its characters as ActualText.
                rtl = any(g.rtl for g in glyphs)
                if rtl:
                    parts.append("/ReversedChars BMC")
                previous = glyphs[0].x
                for g in glyphs:
                    show = f"{g.x - previous:.4f} 0 Td <{self.codes[(g.gid, g.text)]:04X}> Tj"
                    previous = g.x
                    if g.rtl and g.text:
                        show = f"/Span << /ActualText {_pdf_text(g.text)} >> BDC {show} EMC"
                    parts.append(show)
                if rtl:
                    parts.append("EMC")
            else:
                # One TJ array per line, the gaps as position adjustments (LibreOffice, XeTeX).
                items = []
                pen = glyphs[0].x
                for g in glyphs:
                    adjust = (g.x - pen) * 1000 / size
                    if abs(adjust) > 0.01:
                        items.append(f"{-adjust:.2f}")
                    code = self.codes[(g.gid, g.text)]
                    items.append(f"<{code:04X}>")
                    pen = g.x + self.advances[code] * size / 1000
                parts.append(f"[{' '.join(items)}] TJ")
            parts.append("ET")
        return "\n".join(parts).encode()


def _pdf_text(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _to_unicode(mapping: dict[int, str]) -> bytes:
    entries = [
        f"<{gid:04X}> <{text.encode('utf-16-be').hex().upper()}>" for gid, text in sorted(mapping.items())
    ]
    chunks = [entries[i : i + 100] for i in range(0, len(entries), 100)]
    body = "\n".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar" for c in chunks)
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{body}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode()


class _PdfWriter:
    def __init__(self) -> None:
        self.objects: dict[int, bytes] = {}
        self.next_id = 1

    def reserve(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def set(self, obj_id: int, dictionary: bytes, stream: bytes | None = None) -> None:
        body = dictionary if stream is None else dictionary + b"\nstream\n" + stream + b"\nendstream"
        self.objects[obj_id] = body

    def add(self, dictionary: bytes, stream: bytes | None = None) -> int:
        obj_id = self.reserve()
        self.set(obj_id, dictionary, stream)
        return obj_id

    def finish(self, root: int, info: int | None) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = {}
        for obj_id in sorted(self.objects):
            offsets[obj_id] = len(out)
            out += f"{obj_id} 0 obj\n".encode() + self.objects[obj_id] + b"\nendobj\n"
        xref = len(out)
        size = max(self.objects) + 1
        out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
        for obj_id in range(1, size):
            out += f"{offsets[obj_id]:010d} 00000 n \n".encode()
        trailer = f"<< /Size {size} /Root {root} 0 R" + (f" /Info {info} 0 R" if info else "") + " >>"
        out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
        return bytes(out)


def arabic_script_pdf(
    paragraphs: list[str],
    lang: str,
    *,
    mode: str = "plain",
    drop_zwnj: bool = False,
    header: str | None = None,
    page_numbers: bool = False,
    title: str | None = None,
) -> bytes:
    maker = ArabicScriptPdf(
        lang, mode=mode, drop_zwnj=drop_zwnj, header=header, page_numbers=page_numbers, title=title
    )
    for paragraph in paragraphs:
        maker.paragraph(paragraph)
    return maker.to_bytes()


def qt_pdf(paragraphs: list[str], path: Path, *, title: str | None = None, size: float = 11.0) -> bytes:
    """Left-to-right paragraphs printed by Qt (``QTextDocument`` → ``QPdfWriter``), with Qt's page numbers."""
    import html

    doc = QTextDocument()
    doc.setDefaultFont(QFont("DejaVu Serif", round(size)))
    doc.setHtml("".join(f"<p align='justify'>{html.escape(p)}</p>" for p in paragraphs))
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    if title:
        writer.setTitle(title)
    doc.print_(writer)
    del writer
    return path.read_bytes()
