"""ODT: OpenDocument text laid out as LibreOffice writes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.importing import ImportRefused, import_bytes
from tests.core.importing.formats_support import check_article, one_sentence, stored_language
from tests.documents import ARTICLES, article, build_odt, zip_bytes


@pytest.mark.parametrize("prefix", ARTICLES)
def test_odt_imports_with_structure(prefix: str, tmp_path: Path) -> None:
    art = article(prefix)
    result = import_bytes(build_odt(art), f"{prefix}.odt")
    assert result.format == "odt"
    check_article(result, art)
    assert stored_language(result, tmp_path, f"{prefix}.odt") == art.lang
    assert result.title == art.headline
    assert result.language == art.lang  # from meta.xml

    blocks = result.blocks
    assert (blocks[0].kind, blocks[0].level, blocks[0].text) == ("heading", 1, art.headline)
    body = [b.text for b in blocks if b.kind == "paragraph"]
    assert body[0] == art.paragraphs[0]
    assert body[1:5] == ["TABLEA alpha", "TABLEB beta", "TABLEC gamma", "TABLED delta"]
    assert body[5] == art.paragraphs[1] + "[1]"
    assert body[6] == art.paragraphs[2]
    assert body[7] == art.paragraphs[3] + " INSERTEDWORD"  # text:s and an accepted insertion
    assert "DELETEDPHRASE" not in result.text
    assert body[8:] == art.paragraphs[4:]
    assert blocks[-1].kind == "note" and blocks[-1].text == f"[1] {art.note}"
    # direction through the automatic style's parent (styles.xml), headings included
    expected = "rtl" if art.rtl else "ltr"
    assert {b.direction for b in blocks if b.kind != "note" and "TABLE" not in b.text} == {expected}
    assert {b.direction for b in blocks if "TABLE" in b.text} == {None}  # cells without a paragraph style


def test_spreadsheet_and_presentation_are_refused_by_name() -> None:
    for mimetype, kind in [
        (b"application/vnd.oasis.opendocument.spreadsheet", "spreadsheet"),
        (b"application/vnd.oasis.opendocument.presentation", "presentation"),
    ]:
        data = zip_bytes([("mimetype", mimetype), ("content.xml", b"<x/>")])
        with pytest.raises(ImportRefused) as caught:
            import_bytes(data, "tablo.odt")
        assert f"OpenDocument {kind}" in one_sentence(caught.value, "tablo.odt")


@pytest.mark.parametrize("cut", [0.2, 0.5, 0.9])
def test_truncated_odt_is_refused(cut: float) -> None:
    data = build_odt(article("002"))
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data[: int(len(data) * cut)], "kəsik.odt")
    message = one_sentence(caught.value, "kəsik.odt")
    assert "damaged" in message or "not a text file" in message


def test_odt_with_broken_content_xml_is_refused() -> None:
    data = build_odt(article("000"), content_override="<office:document-content><unclosed>")
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data, "pozuq.odt")
    message = one_sentence(caught.value, "pozuq.odt")
    assert "OpenDocument text" in message and "content.xml" in message
