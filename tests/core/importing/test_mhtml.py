"""MHTML: pages saved by Chrome ("Webpage, Single File") import as the page's main text, not MIME junk."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.importing import ImportRefused, import_bytes
from tests.core.importing.formats_support import check_article, one_sentence, stored_language
from tests.documents import ARTICLES, article, article_html, build_mhtml


@pytest.mark.parametrize("prefix", ARTICLES)
def test_chrome_mhtml_imports_as_the_page(prefix: str, tmp_path: Path) -> None:
    art = article(prefix)
    html = article_html(art)
    result = import_bytes(build_mhtml(html, title=art.headline), f"{prefix}.mhtml")
    assert result.format == "mhtml"
    # exactly what the same page saved as .html gives
    assert result.text == import_bytes(html.encode("utf-8"), f"{prefix}.html").text
    check_article(result, art, min_recall=0.95)
    assert result.title == art.headline
    assert stored_language(result, tmp_path, f"{prefix}.mhtml") == art.lang
    for junk in (
        "Content-Type",
        "quoted-printable",
        "=3D",
        "MultipartBoundary",
        "SCRIPTTEXT",
        "iVBOR",
        "Home",
    ):
        assert junk not in result.text


def test_charset_from_the_part_header() -> None:
    art = article("004")
    html = article_html(art, charset="windows-1256").replace('<meta charset="windows-1256">', "")
    data = build_mhtml(html, title=art.headline, charset="windows-1256", encode="cp1256")
    result = import_bytes(data, "page.mht")
    assert result.encoding == "cp1256" and art.paragraphs[0] in result.text


def test_charset_from_the_page_when_the_part_has_none() -> None:
    art = article("003")
    html = article_html(art, charset="iso-8859-9")
    text = html.replace("’", "'").replace("“", '"').replace("”", '"')  # ISO-8859-9 has no curly quotes
    data = build_mhtml(text, title=art.headline, charset=None, encode="iso-8859-9")
    result = import_bytes(data, "sayfa.mhtml")
    assert "Cumhurbaşkanı" in result.text and "\ufffd" not in result.text


def test_mhtml_is_recognised_by_content_whatever_its_name() -> None:
    art = article("001")
    data = build_mhtml(article_html(art), title=art.headline)
    result = import_bytes(data, "saved.txt")
    assert result.format == "mhtml" and art.paragraphs[0] in result.text


def test_mhtml_without_a_page_is_refused() -> None:
    data = (
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n"
    )
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data, "images.mhtml")
    assert "MHTML" in one_sentence(caught.value, "images.mhtml")


def test_a_text_that_starts_with_header_lines_is_still_text() -> None:
    # an e-mail pasted as text, without MIME-Version, stays plain text
    data = "From: Elvin\nSubject: Bakı\n\nBu gün Bakıda görüş keçirildi.\n".encode()
    assert import_bytes(data, "mail.txt").format == "text"
