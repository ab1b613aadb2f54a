"""Paste as new document: the clipboard's HTML (a selection copied from a page) or its plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.importing import ImportRefused
from reader.core.importing.pasted import import_pasted
from reader.core.store.library import Library
from tests.core.importing.formats_support import check_article
from tests.documents import ARTICLES, article, article_html


@pytest.mark.parametrize("prefix", ARTICLES)
def test_a_copied_page_keeps_every_block(prefix: str) -> None:
    art = article(prefix)
    page = article_html(art)
    selection = page[page.index("<body>") + 6 : page.index("<footer>")]  # navigation and article selected
    html = f"<html><body><!--StartFragment-->{selection}<!--EndFragment--></body></html>"
    result = import_pasted(html, "the plain text is not used when the HTML has text")
    assert result.format == "html"
    check_article(result, art)  # every word: a selection is never cut down as boilerplate
    assert result.blocks[0].kind == "heading" and result.blocks[0].text == art.headline
    assert [b.text for b in result.blocks[1:]] == art.paragraphs
    assert {b.direction for b in result.blocks} == {None}  # a selection carries no dir
    assert "SCRIPTTEXT" not in result.text and "Home" not in result.text


def test_windows_clipboard_html_header_and_inline_selection() -> None:
    html = (
        "Version:0.9\r\nStartHTML:0000000105\r\nEndHTML:0000000250\r\nStartFragment:0000000141\r\n"
        "EndFragment:0000000214\r\n<html><body><!--StartFragment--><span>رئیس\u200cجمهور روسیه</span>"
        "<!--EndFragment--></body></html>"
    )
    assert import_pasted(html, None).text == "رئیس\u200cجمهور روسیه"


def test_plain_text_is_kept_as_pasted() -> None:
    text = "Bakıda görüş keçirildi.\r\nİkinci sətir.\r\n\r\nYeni paraqraf."
    result = import_pasted(None, text)
    assert (
        result.format == "text" and result.text == "Bakıda görüş keçirildi.\nİkinci sətir.\n\nYeni paraqraf."
    )
    # an HTML flavour with no text in it (an image) falls back to the plain text
    assert import_pasted("<img src='x.png'>", text).format == "text"


@pytest.mark.parametrize(("html", "text"), [(None, None), ("", "  \n "), ("<img src=x>", None)])
def test_an_empty_clipboard_is_refused(html: str | None, text: str | None) -> None:
    with pytest.raises(ImportRefused, match=r"^The clipboard holds no text to import"):
        import_pasted(html, text)


def test_pasting_the_same_text_twice_stores_it_once(tmp_path: Path) -> None:
    art = article("004")
    with Library(tmp_path / "library.db", seed=False) as lib:
        first = lib.import_text(import_pasted(None, "\n".join(art.paragraphs)), source="clipboard")
        again = lib.import_text(import_pasted(None, "\n".join(art.paragraphs)), source="clipboard")
        assert first.created and not again.created and again.document.id == first.document.id
        assert first.document.lang == "ar" and first.document.source == "clipboard"
