"""DOCX: real Word files (python-docx, with notes, tracked changes and direction as Word writes them)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from reader.core.importing import ImportRefused, import_bytes
from tests.core.importing.formats_support import check_article, one_sentence, stored_language
from tests.documents import ARTICLES, article, build_docx, zip_bytes


@pytest.mark.parametrize("prefix", ARTICLES)
def test_word_document_imports_with_structure(prefix: str, tmp_path: Path) -> None:
    art = article(prefix)
    result = import_bytes(build_docx(art), f"{prefix}.docx")
    assert result.format == "docx"
    check_article(result, art)
    assert stored_language(result, tmp_path, f"{prefix}.docx") == art.lang
    assert result.title == art.headline

    blocks = result.blocks
    assert (blocks[0].kind, blocks[0].level, blocks[0].text) == ("heading", 1, art.headline)
    body = [b for b in blocks if b.kind == "paragraph"]
    # paragraph 0, then the table cells row by row, then the rest
    assert body[0].text == art.paragraphs[0]
    assert [b.text for b in body[1:5]] == ["TABLEA alpha", "TABLEB beta", "TABLEC gamma", "TABLED delta"]
    assert body[5].text == art.paragraphs[1] + "[1]"
    assert body[6].text == art.paragraphs[2] + "[i]"
    # tracked changes accepted: the insertion kept, the deletion gone
    assert body[7].text == art.paragraphs[3] + " INSERTEDWORD"
    assert "DELETEDPHRASE" not in result.text and "GONE" not in result.text
    assert [b.text for b in body[8:]] == art.paragraphs[4:]
    # notes at the end with their numbers, footnotes first; Word numbers endnotes i, ii, iii
    notes = [b for b in blocks if b.kind == "note"]
    assert [b.text for b in notes] == [f"[1] {art.note}", f"[i] ENDNOTE {art.note}"]
    assert blocks[-2:] == notes
    expected = "rtl" if art.rtl else None
    assert {b.direction for b in blocks if b.kind != "note" and "TABLE" not in b.text} == {expected}
    assert {b.direction for b in blocks if "TABLE" in b.text} == {None}  # the cells set no w:bidi


def test_paragraph_mark_deletion_joins_paragraphs_and_sdt_and_text_boxes_are_read() -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}{mc}><w:body>'
        '<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="a"/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">Bakıda </w:t></w:r></w:p>'
        "<w:p><w:r><w:t>görüş keçirildi.</w:t></w:r></w:p>"
        "<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>İçerik denetimi metni.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><w:txbxContent><w:p><w:r><w:t>Çerçeve metni.</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Çerçeve metni.</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        "<w:r><w:t>Bağlantı paragrafı</w:t><w:tab/><w:t>sekmeden sonra.</w:t><w:br/><w:t>İkinci satır.</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    data = zip_bytes([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", document.encode())])
    result = import_bytes(data, "kutular.docx")
    assert [b.text for b in result.blocks] == [
        "Bakıda görüş keçirildi.",
        "İçerik denetimi metni.",
        "Bağlantı paragrafı sekmeden sonra.\nİkinci satır.",
        "Çerçeve metni.",  # once: the fallback copy of the text box is not read again
    ]


def test_a_docx_named_txt_is_read_as_word() -> None:
    art = article("003")
    result = import_bytes(build_docx(art), "haber.txt")
    assert result.format == "docx" and art.headline in result.text


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_truncated_docx_is_refused_cleanly(cut: float) -> None:
    data = build_docx(article("001"))
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data[: int(len(data) * cut)], "yarım.docx")
    message = one_sentence(caught.value, "yarım.docx")
    assert "Word document" in message and "damaged" in message


def test_docx_without_body_is_refused() -> None:
    data = zip_bytes([("[Content_Types].xml", b"<Types/>"), ("word/styles.xml", b"<styles/>")])
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data, "boş.docx")
    assert "Word document" in one_sentence(caught.value, "boş.docx")


def test_docx_with_only_whitespace_is_refused() -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = f"<w:document {w}><w:body><w:p><w:r><w:t> </w:t></w:r></w:p></w:body></w:document>"
    data = zip_bytes([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", document.encode())])
    with pytest.raises(ImportRefused, match="contains no readable text"):
        import_bytes(data, "boş.docx")


def test_python_docx_file_round_trips_through_zipfile() -> None:
    # the builder's output is a genuine package: python-docx itself opens it again
    import docx

    art = article("004")
    document = docx.Document(io.BytesIO(build_docx(art)))
    assert document.paragraphs[0].text == art.headline
    assert zipfile.ZipFile(io.BytesIO(build_docx(art))).testzip() is None
