"""EPUB 2 and 3: chapters in spine order, headings, notes, direction and the OPF metadata."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from reader.core.importing import ImportRefused, import_bytes
from tests.core.importing.formats_support import check_article, one_sentence, stored_language
from tests.documents import ARTICLES, article, build_epub, epub_chapter, zip_bytes


@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("prefix", ARTICLES)
def test_epub_chapter_keeps_headings_notes_and_direction(prefix: str, version: int, tmp_path: Path) -> None:
    art = article(prefix)
    data = build_epub([epub_chapter(art, version=version)], title="Kitap", lang=art.lang, version=version)
    result = import_bytes(data, f"{prefix}.epub")
    assert result.format == "epub"
    check_article(result, art)
    assert stored_language(result, tmp_path, f"{prefix}.epub") == art.lang
    assert result.title == "Kitap" and result.language == art.lang and result.warnings == []

    blocks = result.blocks
    # headings kept, even the short one the web-page extractor would drop as boilerplate
    assert [(b.kind, b.level) for b in blocks[:2]] == [("heading", 1), ("heading", 2)]
    assert blocks[0].text == art.headline and blocks[1].text == f"{prefix}\u00a0§"  # &nbsp; in EPUB 2
    body = [b.text for b in blocks if b.kind == "paragraph"]
    ref = "[1]" if version == 3 else ""
    assert body == [art.paragraphs[0], art.paragraphs[1] + ref, *art.paragraphs[2:]]
    # <aside epub:type="footnote"> (EPUB 3) or <div class="footnote"> (EPUB 2), at the end of its chapter
    note = blocks[-1]
    assert note.kind == "note" and note.text == (f"[1] {art.note}" if version == 3 else art.note)
    expected = "rtl" if art.rtl else "ltr"
    assert {b.direction for b in blocks} == {expected}
    assert "SCRIPTTEXT" not in result.text and "ALTTEXT" not in result.text


def test_chapters_follow_the_spine_not_the_manifest() -> None:
    arts = [article("003"), article("000"), article("004")]
    data = build_epub([epub_chapter(a) for a in arts], title="Derleme", lang="tr", spine_order=[2, 0, 1])
    result = import_bytes(data, "derleme.epub")
    headings = [b.text for b in result.blocks if b.kind == "heading" and b.level == 1]
    assert headings == [arts[2].headline, arts[0].headline, arts[1].headline]
    # each chapter keeps its own direction
    assert {b.direction for b in result.blocks if b.text in arts[2].paragraphs} == {"rtl"}
    assert {b.direction for b in result.blocks if b.text in arts[0].paragraphs} == {"ltr"}


def test_the_text_language_wins_over_the_metadata(tmp_path: Path) -> None:
    art = article("001")
    data = build_epub([epub_chapter(art)], title="کتاب", lang="en")
    result = import_bytes(data, "kitab.epub")
    assert result.language == "fa"
    assert any("English" in w and "Persian" in w for w in result.warnings)
    assert stored_language(result, tmp_path, "kitab.epub") == "fa"


def test_placeholder_title_gives_way_to_the_first_heading() -> None:
    art = article("002")
    data = build_epub([epub_chapter(art)], title="Unknown Title", lang="az")
    assert import_bytes(data, "x.epub").title == art.headline


def test_chapter_that_is_not_xml_is_read_as_html() -> None:
    art = article("000")
    chapter = f"<html><body><h1>{art.headline}<p>{art.paragraphs[0]}<br>{art.paragraphs[1]}</body></html>"
    data = build_epub([chapter], title="T", lang="az")
    result = import_bytes(data, "köhnə.epub")
    assert art.paragraphs[0] in result.text and art.paragraphs[1] in result.text


@pytest.mark.parametrize("cut", [0.25, 0.5, 0.9])
def test_truncated_epub_is_refused(cut: float) -> None:
    art = article("004")
    data = build_epub([epub_chapter(art)], title="T", lang="ar")
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data[: int(len(data) * cut)], "مقطوع.epub")
    assert "EPUB" in one_sentence(caught.value, "مقطوع.epub")


def test_epub_without_package_or_spine_is_refused() -> None:
    bare = zip_bytes([("mimetype", b"application/epub+zip"), ("META-INF/container.xml", b"<container/>")])
    with pytest.raises(ImportRefused) as caught:
        import_bytes(bare, "boş.epub")
    assert "EPUB" in one_sentence(caught.value, "boş.epub")


def test_drm_protected_epub_is_named_and_font_obfuscation_is_not() -> None:
    art = article("001")
    plain = build_epub([epub_chapter(art)], title="T", lang="fa")
    entries = [
        (i.filename, zipfile.ZipFile(io.BytesIO(plain)).read(i))
        for i in zipfile.ZipFile(io.BytesIO(plain)).infolist()
    ]

    def encryption(uri: str) -> bytes:
        return (
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
            'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
            '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
            f'<enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData></encryption>'
        ).encode()

    noise = random.Random(0)
    drm = [(n, noise.randbytes(len(c)) if n.endswith(".xhtml") else c) for n, c in entries]
    drm.append(("META-INF/encryption.xml", encryption("OEBPS/text/chapter0.xhtml")))
    with pytest.raises(ImportRefused) as caught:
        import_bytes(zip_bytes(drm), "korunan.epub")
    assert "DRM" in one_sentence(caught.value, "korunan.epub")
    fonts = [*entries, ("META-INF/encryption.xml", encryption("OEBPS/fonts/Vazirmatn.ttf"))]
    assert art.headline in import_bytes(zip_bytes(fonts), "fontlu.epub").text
