"""Hostile and broken containers: zip bombs, XML entity tricks, deep nesting, formats refused by content.

Each gets one sentence naming the file (or a clean import), and the library is left as it was."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from reader.core.importing import ImportRefused, archives, import_bytes, import_file
from reader.core.store.library import Library
from tests.core.importing.formats_support import one_sentence
from tests.documents import article, build_docx, build_epub, build_odt, epub_chapter, zip_bytes

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_with(document: bytes) -> bytes:
    return zip_bytes([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", document)])


def refused(data: bytes, name: str) -> str:
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data, name)
    return one_sentence(caught.value, name)


# --- zip bombs -------------------------------------------------------------------------------------------


def test_a_part_that_inflates_past_the_limit_is_refused() -> None:
    # 70 MB of blank space inside a valid document.xml compresses to ~70 KB
    body = b"<w:document " + W.encode() + b"><w:body>" + b" " * (70 * 1024 * 1024) + b"</w:body></w:document>"
    data = docx_with(body)
    assert len(data) < 1024 * 1024
    message = refused(data, "bomba.docx")
    assert "zip bomb" in message


def test_declared_total_size_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "MAX_UNCOMPRESSED", 1024 * 1024)
    extra = [(f"media/image{i}.png", b"\0" * 300_000) for i in range(4)]
    art = article("003")
    data = build_epub([epub_chapter(art)], title="T", lang="tr")
    entries = [
        (i.filename, zipfile.ZipFile(io.BytesIO(data)).read(i))
        for i in zipfile.ZipFile(io.BytesIO(data)).infolist()
    ]
    message = refused(zip_bytes(entries + extra), "resimli.epub")
    assert "zip bomb" in message


def test_too_many_entries_is_refused() -> None:
    entries = [("mimetype", b"application/epub+zip")] + [
        (f"x/{i}.txt", b"") for i in range(archives.MAX_ENTRIES + 1)
    ]
    message = refused(zip_bytes(entries), "çok.epub")
    assert "10,002 files" in message and "the limit is 10,000" in message


def test_an_entry_larger_than_its_header_says_is_refused_as_damaged() -> None:
    data = bytearray(build_odt(article("000")))
    # shrink content.xml's declared size in the central directory: zipfile stops short and the CRC fails
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("content.xml")
    start = bytes(data).find(b"content.xml", bytes(data).find(b"PK\x01\x02")) - 46
    assert data[start : start + 4] == b"PK\x01\x02"
    data[start + 24 : start + 28] = (info.file_size // 2).to_bytes(4, "little")
    message = refused(bytes(data), "yalan.odt")
    assert "damaged" in message


# --- XML entity tricks and nesting ----------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>"
)
XXE = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("prolog", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "external-entity"])
def test_entity_declarations_are_refused_in_every_format(prolog: str) -> None:
    docx = docx_with(
        (
            prolog
            + f"<w:document {W}><w:body><w:p><w:r><w:t>&lol9;&secret;</w:t></w:r></w:p></w:body></w:document>"
        ).encode()
    )
    odt = build_odt(
        article("002"),
        content_override=prolog
        + '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
    )
    chapter = prolog + '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;&secret;</p></body></html>'
    epub = build_epub([chapter], title="T", lang="az")
    for data, name in [(docx, "a.docx"), (odt, "b.odt"), (epub, "c.epub")]:
        message = refused(data, name)
        assert "XML entities" in message
        assert "root:" not in message and "lollol" not in message


def test_deep_nesting_is_refused_without_recursion_errors() -> None:
    deep = (
        f"<w:document {W}><w:body>"
        + "<w:sdt><w:sdtContent>" * 3000
        + "<w:p><w:r><w:t>Metin</w:t></w:r></w:p>"
    )
    deep += "</w:sdtContent></w:sdt>" * 3000 + "</w:body></w:document>"
    assert "nests elements" in refused(docx_with(deep.encode()), "derin.docx")
    chapter = '<html xmlns="http://www.w3.org/1999/xhtml"><body>' + "<div>" * 5000 + "Metin" + "</div>" * 5000
    chapter += "</body></html>"
    assert "nests elements" in refused(build_epub([chapter], title="T", lang="tr"), "derin.epub")


def test_moderate_nesting_imports() -> None:
    nested = (
        '<html xmlns="http://www.w3.org/1999/xhtml"><body>' + "<div>" * 100 + "Bu gün Bakıda görüş keçirildi."
    )
    nested += "</div>" * 100 + "</body></html>"
    result = import_bytes(build_epub([nested], title="T", lang="az"), "ok.epub")
    assert result.text == "Bu gün Bakıda görüş keçirildi."


def test_encrypted_entry_is_refused() -> None:
    data = bytearray(build_docx(article("000")))
    # set the "encrypted" flag of word/document.xml in the central directory
    at = bytes(data).find(b"word/document.xml", bytes(data).find(b"PK\x01\x02")) - 46
    assert data[at : at + 4] == b"PK\x01\x02"
    data[at + 8] |= 0x01
    assert "password" in refused(bytes(data), "gizli.docx")


# --- formats refused by content ----------------------------------------------------------------------------


def _ole(stream: str) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + stream.encode("utf-16-le") + bytes(1000)


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (_ole("WordDocument"), "eski.docx", "old Word document (.doc)"),
        (_ole("Workbook"), "tablo.doc", "old Excel spreadsheet (.xls)"),
        (_ole("PowerPoint Document"), "sunum.doc", "old PowerPoint presentation (.ppt)"),
        (b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Merhaba}", "yazi.txt", "RTF document"),
        (b"bplist00\xd1\x01\x02_\x10\x0fWebMainResource" + bytes(40), "sayfa.html", "Safari web archive"),
        (
            zip_bytes([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<w/>")]),
            "t.docx",
            "Excel spreadsheet (XLSX)",
        ),
        (
            zip_bytes([("[Content_Types].xml", b"<Types/>"), ("ppt/presentation.xml", b"<p/>")]),
            "p.epub",
            "PowerPoint presentation (PPTX)",
        ),
    ],
    ids=["doc", "xls", "ppt", "rtf", "webarchive", "xlsx", "pptx"],
)
def test_unsupported_formats_are_named(data: bytes, name: str, kind: str) -> None:
    assert kind in refused(data, name)


def test_nothing_is_stored_when_a_document_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    good.write_bytes(build_docx(article("004")))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good.read_bytes()[:2000])
    with Library(tmp_path / "library.db", seed=False) as lib:
        with pytest.raises(ImportRefused):
            lib.import_file(bad)
        assert lib.documents() == []
        assert lib.conn.execute("SELECT count(*) FROM paragraphs").fetchone()[0] == 0
        result = lib.import_file(good)
        assert result.created and result.document.format == "docx" and result.document.lang == "ar"
        assert result.document.direction == "rtl"
    assert import_file(good).blocks[0].kind == "heading"


@pytest.mark.parametrize("fmt", ["docx", "odt", "epub", "mhtml"])
def test_corrupted_bytes_give_a_sentence_or_an_import(fmt: str) -> None:
    # 300 files with 1-8 random bytes overwritten each: never anything but ImportedText or ImportRefused
    # (this found zipfile's NotImplementedError on a damaged version field and email's CharsetError)
    import random

    from tests.documents import article_html, build_mhtml

    art = article("001")
    data = {
        "docx": lambda: build_docx(art),
        "odt": lambda: build_odt(art),
        "epub": lambda: build_epub([epub_chapter(art)], title="T", lang="fa"),
        "mhtml": lambda: build_mhtml(article_html(art), title=art.headline),
    }[fmt]()
    rng = random.Random(fmt)
    outcomes = {"imported": 0, "refused": 0}
    for _ in range(300):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            import_bytes(bytes(damaged), f"bozuk.{fmt}")
            outcomes["imported"] += 1
        except ImportRefused as exc:
            one_sentence(exc, f"bozuk.{fmt}")
            outcomes["refused"] += 1
    assert sum(outcomes.values()) == 300
