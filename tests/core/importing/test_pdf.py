"""PDF import: right-to-left text in logical order, paragraphs and pages from geometry, every refusal.

The PDFs are made here (``pdfmaker``): Persian and Arabic seeds shaped by HarfBuzz and written the way
LibreOffice, Chromium and XeTeX write them; Turkish and Azerbaijani seeds printed by Qt.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from reader.core.importing import ImportCancelled, ImportRefused, import_bytes, import_file
from reader.core.importing.pdf import Line, clean_text, join_lines
from reader.core.store.library import Library
from reader.core.text.language import detect_language
from tests.core.importing.pdfmaker import ArabicScriptPdf, _Page, arabic_script_pdf, qt_pdf
from tests.helpers import SEEDS

SEED_FILES = {
    "fa": "001_16b6482d6bae7f5d.txt",
    "ar": "004_b64012e43163fbfa.txt",
    "az": "000_cfe427b699b4a0b7.txt",
    "az2": "002_44aa1b61c723b359.txt",
    "tr": "003_c669be6180575091.txt",
}
PRESENTATION_FORMS = re.compile("[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufefc]")
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]")

# Persian with ZWNJ after letters that join to the left (where the gap shows) and one after ر (where
# nothing shows it: such a ZWNJ can only be kept when the PDF carries it).
ZWNJ_TEXT = (
    "او می\u200cخواهد کتاب\u200cها را به خانه\u200cاش ببرد و نمی\u200cتواند. "
    "دانشگاه\u200cهای ایران و کشور\u200cها همه\u200cی آن\u200cها را می\u200cشناسند."
)
VISIBLE_ZWNJ_WORDS = [w.strip(".") for w in ZWNJ_TEXT.split() if "\u200c" in w and "ر\u200c" not in w]


def seed_paragraphs(key: str) -> list[str]:
    text = (SEEDS / SEED_FILES[key]).read_text(encoding="utf-8")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def words(text: str) -> Counter[str]:
    text = unicodedata.normalize("NFC", text).replace("\u200c", " ")
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return Counter(w.casefold() for w in text.split())


def recall(source: str, extracted: str) -> float:
    """Share of the source's words (with multiplicity) found in the extracted text."""
    want, got = words(source), words(extracted)
    return sum((want & got).values()) / sum(want.values())


def assert_one_sentence(message: str, name: str) -> None:
    assert name in message
    assert message.endswith(".") and "\n" not in message
    assert message.count(". ") == 0


_made: dict[tuple[str, str], tuple[bytes, list[int]]] = {}


def made(lang: str, mode: str) -> tuple[bytes, list[int]]:
    """A PDF of the seed in ``lang`` as ``mode`` writes it (with a running header and page numbers), and
    the page each paragraph starts on. Built once per test run."""
    if (lang, mode) not in _made:
        maker = ArabicScriptPdf(lang, mode=mode, header="Yanyana test journal", page_numbers=True)
        for paragraph in seed_paragraphs(lang):
            maker.paragraph(paragraph)
        _made[(lang, mode)] = (maker.to_bytes(), maker.paragraph_pages)
    return _made[(lang, mode)]


# --------------------------------------------------------------------------------------------------
# Right-to-left text
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["plain", "chromium", "xetex"])
@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_arabic_script_pdf_reads_in_logical_order(qapp: object, lang: str, mode: str) -> None:
    data, paragraph_pages = made(lang, mode)
    imported = import_bytes(data, "article.pdf")
    source = "\n".join(seed_paragraphs(lang))
    assert imported.format == "pdf"
    assert detect_language(imported.text) == lang
    assert recall(source, imported.text) >= 0.95
    assert not PRESENTATION_FORMS.search(imported.text)
    assert not CONTROLS.search(imported.text)
    # Paragraphs from the geometry, one per source paragraph, each on the page it starts on.
    paragraphs = imported.text.split("\n\n")
    assert len(paragraphs) == len(seed_paragraphs(lang))
    assert imported.pages == max(paragraph_pages) >= 2
    starts = [sum(len(p) + 2 for p in paragraphs[:i]) for i in range(len(paragraphs))]
    pages_of = [max(page for offset, page in imported.page_starts if offset <= s) for s in starts]
    assert pages_of == paragraph_pages
    # The running header and the "n / total" page numbers are not text.
    assert "Yanyana" not in imported.text
    assert not re.search(r"\d+ / \d+", imported.text)


def test_letters_sharing_one_glyph_come_in_logical_order(qapp: object) -> None:
    """Vazirmatn draws lam-alef as one glyph for two letters; pdfium gives them reversed."""
    imported = import_bytes(made("fa", "plain")[0], "article.pdf")
    assert "تلاش" in imported.text and "اختلافات" in imported.text
    assert "تالش" not in imported.text and "اختالفات" not in imported.text


def test_persian_quotes_and_numbers_keep_their_places(qapp: object) -> None:
    imported = import_bytes(made("fa", "chromium")[0], "article.pdf")
    source = "\n\n".join(seed_paragraphs("fa"))
    assert "«شوشا»" in source and "«شوشا»" in imported.text
    assert "۲۰۲۰،" in source and "۲۰۲۰،" in imported.text


@pytest.mark.parametrize(
    ("mode", "drop_zwnj"), [("plain", False), ("xetex", False), ("plain", True), ("chromium", True)]
)
def test_zwnj_kept_or_restored_from_the_gap(qapp: object, mode: str, drop_zwnj: bool) -> None:
    imported = import_bytes(arabic_script_pdf([ZWNJ_TEXT], "fa", mode=mode, drop_zwnj=drop_zwnj), "z.pdf")
    for word in VISIBLE_ZWNJ_WORDS:
        assert word in [w.strip(".") for w in imported.text.split()], word
    if not drop_zwnj:
        assert imported.text == ZWNJ_TEXT  # the PDF carries every ZWNJ, even the invisible one
    assert "\u200c\u200c" not in imported.text and " \u200c" not in imported.text


# --------------------------------------------------------------------------------------------------
# Left-to-right text
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["tr", "az", "az2"])
def test_turkish_and_azerbaijani_pdfs(qapp: object, tmp_path: Path, key: str) -> None:
    paragraphs = seed_paragraphs(key)
    imported = import_bytes(qt_pdf(paragraphs, tmp_path / "doc.pdf", title=paragraphs[0]), "doc.pdf")
    assert detect_language(imported.text) == key[:2]
    got = imported.text.split("\n\n")
    assert got == paragraphs  # Qt's page numbers dropped, paragraphs across page breaks joined
    assert imported.pages is not None and imported.pages >= 2
    assert [page for _, page in imported.page_starts] == list(range(1, imported.pages + 1))
    assert imported.title == paragraphs[0]


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_two_columns_are_read_one_after_the_other(qapp: object, lang: str) -> None:
    """Two columns whose lines share baselines (drawn line by line across the page): the right column is
    read first on a right-to-left page, paragraphs in order and on their pages."""
    maker = ArabicScriptPdf(lang)
    maker.columns = 2
    paragraphs = seed_paragraphs(lang)
    for paragraph in paragraphs:
        maker.paragraph(paragraph)
    imported = import_bytes(maker.to_bytes(), "columns.pdf")
    assert recall("\n".join(paragraphs), imported.text) >= 0.95
    position = 0
    for paragraph in paragraphs:  # every paragraph, in reading order
        position = imported.text.find(" ".join(paragraph.split()[:4]), position)
        assert position >= 0, paragraph
    assert [page for _, page in imported.page_starts] == sorted(set(maker.paragraph_pages))
    if lang == "fa":  # (Arabic: the test maker's Noto Naskh lam-alef splits a word at a column end)
        got = imported.text.split("\n\n")
        assert len(got) == len(paragraphs)
        assert all(recall(source, read) >= 0.9 for source, read in zip(paragraphs, got, strict=True))


def test_a_pdf_named_txt_is_a_pdf(qapp: object, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(made("ar", "plain")[0])
    imported = import_file(path)
    assert imported.format == "pdf" and imported.pages == 2


# --------------------------------------------------------------------------------------------------
# Passes on their own
# --------------------------------------------------------------------------------------------------


def test_clean_text_gives_plain_letters() -> None:
    assert clean_text("\ufefb\ufe8e\ufee3") == "لاام"  # lam-alef ligature and presentation forms
    assert clean_text("\ufb01le \ufb02ow") == "file flow"
    assert clean_text("ال\u0640\u0640كتاب") == "الكتاب"  # justification kashida inside a word
    assert clean_text("ـه و ـ") == "ـه و ـ"  # tatweel standing as text
    assert clean_text("\u202bسلام\u202c\ufffd \u200fدنیا\x08") == "سلام دنیا"
    assert clean_text("می\u200cخواهد") == "می\u200cخواهد"


def _line(text: str, rtl: bool = False) -> Line:
    return Line(text, 0.0, 100.0, 0.0, 10.0, rtl)


def test_hyphenated_line_ends_are_joined_in_left_to_right_text() -> None:
    assert join_lines([_line("Azərbaycan Respubli-"), _line("kasının prezidenti")]) == (
        "Azərbaycan Respublikasının prezidenti"
    )
    assert (
        join_lines([_line("Ermənistan-"), _line("Azərbaycan danışıqları")])
        == "Ermənistan-Azərbaycan danışıqları"
    )
    assert join_lines([_line("BMT-"), _line("nin qərarı")]) == "BMT-nin qərarı"
    assert join_lines([_line("و-", rtl=True), _line("کتاب", rtl=True)]) == "و- کتاب"


# --------------------------------------------------------------------------------------------------
# Pages without text, refusals
# --------------------------------------------------------------------------------------------------


def test_scanned_pages_are_named_in_the_warnings(qapp: object) -> None:
    maker = ArabicScriptPdf("fa")
    paragraphs = seed_paragraphs("fa")
    maker.paragraph(paragraphs[0])
    maker.scanned_page()
    maker.paragraph(paragraphs[1])
    imported = import_bytes(maker.to_bytes(), "report.pdf")
    assert imported.warnings == ["page 2 has no text; OCR is not available."]
    assert imported.pages == 3
    assert [page for _, page in imported.page_starts] == [1, 3]


def test_a_pdf_without_any_text_is_refused(qapp: object) -> None:
    maker = ArabicScriptPdf("fa")
    maker.pages = [_Page(image=True), _Page(image=True)]
    with pytest.raises(ImportRefused) as caught:
        import_bytes(maker.to_bytes(), "scan.pdf")
    assert "no text layer" in str(caught.value) and "OCR is not available" in str(caught.value)
    assert_one_sentence(str(caught.value), "scan.pdf")


def _encrypted(data: bytes, user_password: str) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_gets_one_sentence(qapp: object) -> None:
    data = _encrypted(made("ar", "plain")[0], "secret")
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data, "gazette.pdf")
    assert "password" in str(caught.value)
    assert_one_sentence(str(caught.value), "gazette.pdf")
    # Encrypted without a user password (printing and copying restrictions only): it opens.
    opened = import_bytes(_encrypted(made("ar", "plain")[0], ""), "gazette.pdf")
    assert detect_language(opened.text) == "ar"


def test_truncated_and_damaged_pdfs_get_one_sentence(qapp: object) -> None:
    data = made("ar", "plain")[0]
    for bad, expected in [
        (data[: len(data) // 2], "incomplete"),
        (data[: len(data) - 40], "incomplete"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "damaged"),
        (data[:9] + b"\x00" * (len(data) - 20) + data[-11:], "damaged"),
    ]:
        with pytest.raises(ImportRefused) as caught:
            import_bytes(bad, "paper.pdf")
        assert expected in str(caught.value)
        assert_one_sentence(str(caught.value), "paper.pdf")


def test_a_refused_or_cancelled_pdf_leaves_nothing_in_the_library(qapp: object, tmp_path: Path) -> None:
    library = Library()
    try:
        before = len(library.documents())
        truncated = tmp_path / "cut.pdf"
        truncated.write_bytes(made("fa", "plain")[0][:5000])
        with pytest.raises(ImportRefused):
            library.import_file(truncated)
        whole = tmp_path / "whole.pdf"
        whole.write_bytes(made("fa", "plain")[0])
        with pytest.raises(ImportCancelled):
            library.import_file(whole, progress=lambda done, total: done < 2)
        assert len(library.documents()) == before
    finally:
        library.close()


def test_five_thousand_pages_report_progress_and_can_be_stopped(qapp: object) -> None:
    maker = ArabicScriptPdf("fa")
    maker.paragraph(seed_paragraphs("fa")[0])
    page = maker.pages[0]
    maker.pages = [page] * 5000
    data = maker.to_bytes()
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 25

    with pytest.raises(ImportCancelled) as caught:
        import_bytes(data, "big.pdf", progress)
    assert calls == [(i, 5000) for i in range(1, 26)]
    assert "big.pdf" in str(caught.value)


def test_progress_reaches_the_last_page(qapp: object) -> None:
    calls: list[tuple[int, int]] = []
    import_bytes(made("ar", "plain")[0], "a.pdf", lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


# --------------------------------------------------------------------------------------------------
# Stored pages, CLI
# --------------------------------------------------------------------------------------------------


def test_library_stores_each_paragraph_page_and_the_cli_reports_them(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli import main

    data, paragraph_pages = made("fa", "plain")
    path = tmp_path / "article.pdf"
    path.write_bytes(data)
    library = Library()
    try:
        result = library.import_file(path)
        doc = result.document
        assert doc.format == "pdf" and doc.pages == max(paragraph_pages) and doc.lang == "fa"
        assert [p.page for p in library.paragraphs(doc.id)] == paragraph_pages
        seed = library.paragraphs(next(d.id for d in library.documents() if d.lang == "tr"))
        assert {p.page for p in seed} == {None}
    finally:
        library.close()

    capsys.readouterr()
    assert main(["show", str(doc.id), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [p["page"] for p in shown["paragraphs"]] == paragraph_pages

    other = tmp_path / "other.pdf"
    other.write_bytes(made("ar", "plain")[0])
    text = tmp_path / "note.txt"
    text.write_text("Bu bir deneme metnidir ve Türkçe yazılmıştır.", encoding="utf-8")
    assert main(["import", str(other), str(text), "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records[0]["format"] == "pdf" and records[0]["pages"] == 2 and records[0]["lang"] == "ar"
    assert records[1]["format"] == "text" and "pages" not in records[1]
    assert main(["show", str(records[1]["id"]), "--json"]) == 0
    assert all("page" not in p for p in json.loads(capsys.readouterr().out)["paragraphs"])


# --------------------------------------------------------------------------------------------------
# The per-page fallback
# --------------------------------------------------------------------------------------------------


def test_a_page_that_still_reads_reversed_takes_the_better_reading(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unknown producer that defeats every pass (simulated: each line's text reversed) makes the page fail
    the function-word check; a fallback reading that scores better replaces it, one that does not is ignored."""
    from reader.core.importing import pdf

    data, _pages = made("fa", "plain")
    source = "\n".join(seed_paragraphs("fa"))
    real_page_lines = pdf._page_lines

    def reversed_lines(chars: list[pdf._Char | None], top: float) -> list[Line]:
        lines = real_page_lines(chars, top)
        for line in lines:
            line.text = line.text[::-1]
        return lines

    monkeypatch.setattr(pdf, "_page_lines", reversed_lines)
    asked: list[int] = []

    def fallback_text(reader: object, index: int) -> str:
        asked.append(index)
        text = "\n".join(seed_paragraphs("fa"))
        return text if index == 0 else text[::-1]  # later pages: a reading no better than pdfium's

    monkeypatch.setattr(pdf, "_pypdf_text", fallback_text)
    imported = import_bytes(data, "odd.pdf")
    assert asked == list(range(imported.pages or 0))  # every page failed the check and was read again
    first_page = imported.text[: imported.page_starts[1][0]]
    assert recall(source, first_page) >= 0.95  # page 1: the fallback reading won
    assert pdf.order_score(imported.text[imported.page_starts[1][0] :])[1] > 0  # later pages kept pdfium's


def test_pages_in_logical_order_never_call_the_fallback(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.importing import pdf

    def no_fallback(data: bytes) -> object:
        raise AssertionError("pypdf was asked")

    monkeypatch.setattr(pdf, "_pypdf_reader", no_fallback)
    for lang in ("fa", "ar"):
        for mode in ("plain", "chromium", "xetex"):
            import_bytes(made(lang, mode)[0], "ok.pdf")
