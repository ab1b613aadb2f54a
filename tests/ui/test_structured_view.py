"""Headings and notes of structured files (DOCX, EPUB) in the reader: headings larger and bold by level, notes
smaller and muted, on both sides; a declared paragraph direction wins over the paragraph language's default."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from reader.core.importing.base import Block, ImportedText, join_blocks
from reader.core.store.library import Library
from reader.ui.reader import ReaderView
from tests.documents import article, build_docx, build_epub, epub_chapter
from tests.ui.support import reader_document


@pytest.fixture
def view(qtbot: QtBot) -> ReaderView:
    widget = ReaderView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _text_style(view: ReaderView, row: int, col: int) -> tuple[float, bool, str]:
    """(rendered pixel size, bold, colour) of the first glyphs of a cell, as laid out."""
    block = view.cell_first_block(row, col)
    fmt = block.begin().fragment().charFormat()
    runs = block.layout().glyphRuns(0, 1)
    assert runs, f"row {row} col {col} has no laid-out text"
    bold = fmt.fontWeight() >= QFont.Weight.Bold
    return runs[0].rawFont().pixelSize(), bold, fmt.foreground().color().name()


def _import(tmp_path: Path, name: str, data: bytes) -> int:
    path = tmp_path / name
    path.write_bytes(data)
    with Library(seed=False) as library:
        return library.import_file(path).document.id


def test_epub_headings_by_level_and_notes_muted_on_both_sides(view: ReaderView, tmp_path: Path) -> None:
    art = article("004")
    doc = reader_document(
        _import(tmp_path, "kitab.epub", build_epub([epub_chapter(art)], title="ك", lang="ar"))
    )
    kinds = [(p.kind, p.level) for p in doc.paragraphs]
    assert kinds[:3] == [("heading", 1), ("heading", 2), ("paragraph", None)]
    note_row = kinds.index(("note", None))
    translations = {s.index: f"Sentence {s.index} in English." for s in doc.sentences}
    view.set_document(doc, translations, pending=False)
    view.row_layout.build_all()
    view.flush()
    for col in (0, 1):
        h1, h2, body, note = (_text_style(view, row, col) for row in (0, 1, 2, note_row))
        assert h1[1] and h2[1] and not body[1] and not note[1]
        assert h1[0] > h2[0] > body[0] > note[0], (col, h1, h2, body, note)
        assert note[2] != body[2] and h1[2] == body[2]  # the note in the secondary colour
    assert view.cell_direction(note_row, 0)[0] == Qt.LayoutDirection.RightToLeft


def test_a_docx_heading_replaces_the_guessed_headline(view: ReaderView, tmp_path: Path) -> None:
    """Where the file marks headings, only those are headings: a first body line that reads like a title is
    ordinary text; a plain-text seed keeps its guessed (bold) headline."""
    art = article("003")
    blocks = [
        Block("Kısa bir giriş satırı", "paragraph"),
        Block(art.headline, "heading", 2),
        *map(Block, art.paragraphs),
    ]
    with Library(seed=False) as library:
        imported = ImportedText(join_blocks(blocks), None, "utf-8", "docx", blocks=blocks)
        doc_id = library.import_text(imported, source="test:headline").document.id
    doc = reader_document(doc_id)
    view.set_document(doc, {}, pending=False)
    view.flush()
    first, heading, body = (_text_style(view, row, 0) for row in range(3))
    assert not first[1] and heading[1] and not body[1]
    assert first[0] == body[0] < heading[0]


def test_declared_direction_wins_over_the_language(view: ReaderView, tmp_path: Path) -> None:
    """A Word file with w:bidi on every paragraph, including a Turkish quotation: the quotation is laid out
    right to left as the file says; a paragraph that declares nothing follows its language."""
    fa = article("001")
    quote = "Türkiye Dışişleri Bakanlığı açıklamasında barışın kalıcı olması gerektiğini vurguladı."
    blocks = [
        Block(fa.headline, "heading", 1, "rtl"),
        Block(fa.paragraphs[0], "paragraph", 0, "rtl"),
        Block(quote, "paragraph", 0, "rtl"),
        Block(quote.replace("Türkiye", "Azerbaycan"), "paragraph", 0, None),
    ]
    with Library(seed=False) as library:
        imported = ImportedText(join_blocks(blocks), None, "utf-8", "docx", blocks=blocks)
        doc_id = library.import_text(imported, source="test:bidi").document.id
        rows = library.paragraphs(doc_id)
    assert [(r.lang, r.direction) for r in rows] == [
        ("fa", "rtl"),
        ("fa", "rtl"),
        ("tr", "rtl"),
        ("tr", None),
    ]
    doc = reader_document(doc_id)
    view.set_document(doc, {}, pending=False)
    view.flush()
    right = (Qt.LayoutDirection.RightToLeft, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
    assert view.cell_direction(2, 0) == right
    assert view.cell_direction(3, 0)[0] == Qt.LayoutDirection.LeftToRight
    assert view.cell_direction(2, 1)[0] == Qt.LayoutDirection.LeftToRight  # the English translation cell


def test_docx_heading_and_notes_from_a_word_file(view: ReaderView, tmp_path: Path) -> None:
    art = article("001")
    doc = reader_document(_import(tmp_path, "haber.docx", build_docx(art)))
    assert doc.paragraphs[0].kind == "heading" and doc.paragraphs[-1].kind == "note"
    view.set_document(doc, {}, pending=False)
    view.row_layout.build_all()
    heading, body, note = (_text_style(view, row, 0) for row in (0, 1, len(doc.paragraphs) - 1))
    assert heading[1] and heading[0] > body[0] > note[0]
