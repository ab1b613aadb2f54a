"""The reader view on the real seeds: aligned rows, right-to-left layout, sentence mapping, clicks, find."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.ui.reader import GUTTER, PENDING_MARK, ReaderDocument, ReaderView
from tests.helpers import SEEDS
from tests.ui.support import reader_document

RTL_LANGS = ["fa", "ar"]
SEED_FA = SEEDS / "001_16b6482d6bae7f5d.txt"


def make_translations(doc: ReaderDocument) -> dict[int, str]:
    """Translations of varied length, so that sometimes the original and sometimes the translation is taller."""
    out = {}
    for s in doc.sentences:
        words = 3 + (s.index * 17) % 60
        out[s.index] = " ".join(f"word{k}" for k in range(words)) + "."
    return out


@pytest.fixture
def view(qtbot: QtBot) -> ReaderView:
    widget = ReaderView()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _cell_rects(view: ReaderView, row: int, col: int) -> tuple[float, float]:
    """Top of the first block and bottom of the last block of a cell (document coordinates)."""
    return view.cell_block_rect(row, col).top(), view.cell_last_block_rect(row, col).bottom()


@pytest.mark.parametrize("lang", ["fa", "ar", "tr", "az"])
def test_paragraph_pairs_start_at_the_same_height(
    view: ReaderView,
    seeded: dict[str, int],
    lang: str,
) -> None:
    doc = reader_document(seeded[lang])
    view.set_document(doc, make_translations(doc), pending=False)
    view.flush()
    rows = len(doc.paragraphs)
    assert view.row_count() == rows
    taller_translation = taller_original = 0
    previous_bottom = 0.0
    for row in range(rows):
        orig_top, orig_bottom = _cell_rects(view, row, 0)
        trans_top, trans_bottom = _cell_rects(view, row, 1)
        assert orig_top == trans_top, f"row {row}: original starts at {orig_top}, translation at {trans_top}"
        assert orig_top >= previous_bottom  # the shorter cell of the previous pair was padded
        previous_bottom = max(orig_bottom, trans_bottom)
        taller_translation += trans_bottom > orig_bottom
        taller_original += orig_bottom > trans_bottom
    # the check means something only if both situations occur
    assert taller_translation and taller_original


@pytest.mark.parametrize("lang", RTL_LANGS)
def test_rtl_paragraphs_are_right_to_left_and_right_aligned(
    view: ReaderView,
    seeded: dict[str, int],
    lang: str,
) -> None:
    doc = reader_document(seeded[lang])
    assert doc.direction == "rtl"
    view.set_document(doc, make_translations(doc), pending=False)
    view.flush()
    layout = view.text_view.document().documentLayout()
    short_lines = 0
    for row in range(view.row_count()):
        table_rect = view.table_rect(row)
        middle = table_rect.left() + table_rect.width() / 2
        orig_right = middle - GUTTER  # the original column's content ends here (its right padding)
        trans_left = middle + GUTTER
        block = view.cell_first_block(row, 0)
        fmt = block.blockFormat()
        assert fmt.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert fmt.alignment() & Qt.AlignmentFlag.AlignRight
        assert block.textDirection() == Qt.LayoutDirection.RightToLeft
        rect = layout.blockBoundingRect(block)
        text_layout = block.layout()
        assert text_layout.lineCount() >= 1
        first_line = text_layout.lineAt(0)
        cell_right = rect.left() + first_line.x() + first_line.width()  # the cell's content edge
        assert abs(cell_right - orig_right) <= 8  # ...which is where the column geometry puts it
        for n in range(text_layout.lineCount()):
            line = text_layout.lineAt(n).naturalTextRect()
            right = rect.left() + line.right()
            left = rect.left() + line.left()
            assert abs(right - cell_right) <= 3, (
                f"row {row} line {n}: right edge {right}, cell edge {cell_right}"
            )
            if line.width() < (cell_right - rect.left()) * 0.8:
                short_lines += 1
                assert left > rect.left() + 20  # a short line hangs from the right, not from the left
        # the English translation cell is left-to-right and starts at its left edge
        t_block = view.cell_first_block(row, 1)
        assert t_block.blockFormat().layoutDirection() == Qt.LayoutDirection.LeftToRight
        t_rect = layout.blockBoundingRect(t_block)
        t_line = t_block.layout().lineAt(0).naturalTextRect()
        assert abs(t_rect.left() + t_line.left() - trans_left) <= 8
        assert abs(t_line.left() - t_block.layout().lineAt(0).x()) <= 1
    assert short_lines >= 2  # the seeds have short last lines and headings: alignment was really exercised


def _x_of(view: ReaderView, position: int) -> tuple[float, float]:
    """(x, y) of the visual position of a document position (the cursor rectangle, viewport coordinates)."""
    cursor = QTextCursor(view.text_view.document())
    cursor.setPosition(position)
    rect = view.text_view.cursorRect(cursor)
    return rect.center().x(), rect.center().y()


def test_digits_and_words_keep_their_bidirectional_order_in_arabic(
    view: ReaderView,
    seeded: dict[str, int],
) -> None:
    doc = reader_document(seeded["ar"])
    view.set_document(doc, {}, pending=False)
    phrase = "يوم 27 سبتمبر"
    at = doc.text.index(phrase)
    sentence = next(s for s in doc.sentences if s.start <= at < s.end)
    start, _end = view.orig_range(sentence.index)
    base = start + (at - sentence.start)
    for width in (1000, 1150, 850, 1300, 700):  # find a width at which the phrase is on one line
        view.resize(width, 700)
        QApplication.processEvents()
        view.scroll_to_sentence(sentence.index, top=True)
        day = _x_of(view, base + 1)  # inside يوم
        number = _x_of(view, base + 5)  # between 2 and 7
        month = _x_of(view, base + 9)  # inside سبتمبر
        if day[1] == number[1] == month[1]:
            break
    else:
        pytest.fail("the phrase wrapped at every width tried")
    # read right to left: يوم, then 27, then سبتمبر further left
    assert day[0] > number[0] > month[0]


def test_document_positions_map_to_exact_original_offsets(
    view: ReaderView,
    seeded: dict[str, int],
) -> None:
    doc = reader_document(seeded["fa"])
    view.set_document(doc, make_translations(doc), pending=False)
    qdoc = view.text_view.document()
    for s in doc.sentences:
        start, end = view.orig_range(s.index)
        assert end - start == s.end - s.start
        for k in (0, (end - start) // 2, end - start - 1):
            assert view.original_offset_at(start + k) == s.start + k
            assert qdoc.characterAt(start + k) == doc.text[s.start + k]
            assert view.sentence_at_position(start + k) == s.index
        t_start, t_end = view.translation_range(s.index)
        cursor = QTextCursor(qdoc)
        cursor.setPosition(t_start)
        cursor.setPosition(t_end, QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == make_translations(doc)[s.index]
        assert view.original_offset_at(t_start) is None  # translation side: no original offset


def test_streaming_fills_only_the_translation_cells(
    view: ReaderView,
    qtbot: QtBot,
    seeded: dict[str, int],
) -> None:
    doc = reader_document(seeded["ar"])
    view.set_document(doc, {}, pending=True)
    qdoc = view.text_view.document()
    first = doc.sentences[0].index
    t_start, t_end = view.translation_range(first)
    assert qdoc.toRawText()[t_start:t_end] == PENDING_MARK
    original_before = [view.orig_range(s.index) for s in doc.sentences]
    with qtbot.waitSignal(view.sig_rendered, timeout=2000):
        view.set_translations({first: "The United States calls on Azerbaijan."})
    t_start, t_end = view.translation_range(first)
    assert qdoc.toRawText()[t_start:t_end] == "The United States calls on Azerbaijan."
    # the originals did not move relative to their text, and still read the same
    for s, (start, end) in zip(doc.sentences, [view.orig_range(s.index) for s in doc.sentences], strict=True):
        assert qdoc.toRawText()[start:end] == doc.text[s.start : s.end]
    assert len(original_before) == len(doc.sentences)
    second = doc.sentences[1].index
    s_start, s_end = view.translation_range(second)
    assert qdoc.toRawText()[s_start:s_end] == PENDING_MARK


@pytest.mark.parametrize("swapped", [False, True])
def test_clicking_a_sentence_lights_its_pair(
    view: ReaderView,
    qtbot: QtBot,
    seeded: dict[str, int],
    swapped: bool,
) -> None:
    doc = reader_document(seeded["fa"])
    translations = make_translations(doc)
    view.set_swapped(swapped)
    view.set_document(doc, translations, pending=False)
    # a sentence that is not first in its paragraph, so that the click must find the right one
    target = next(s for s in doc.sentences if doc.paragraphs[s.paragraph].sentences[0] != s.index)
    view.scroll_to_sentence(target.index, top=True)
    start, end = view.orig_range(target.index)
    point = view.viewport_point_of(start + (end - start) // 2)
    with qtbot.waitSignal(view.sig_sentence_activated, timeout=2000) as blocker:
        qtbot.mouseClick(view.text_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [target.index]
    assert view.current_sentence == target.index
    lit = view.highlighted_ranges()
    assert view.orig_range(target.index) in lit
    assert view.translation_range(target.index) in lit
    # and from the translation side back to the original
    other = doc.sentences[target.index - 1]
    t_start, t_end = view.translation_range(other.index)
    point = view.viewport_point_of(t_start + (t_end - t_start) // 2)
    qtbot.mouseClick(view.text_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.current_sentence == other.index
    assert view.orig_range(other.index) in view.highlighted_ranges()


def test_keyboard_steps_through_sentences(view: ReaderView, qtbot: QtBot, seeded: dict[str, int]) -> None:
    doc = reader_document(seeded["fa"])
    view.set_document(doc, make_translations(doc), pending=False)
    view.text_view.setFocus()
    qtbot.keyClick(view.text_view, Qt.Key.Key_J)
    assert view.current_sentence == 0
    qtbot.keyClick(view.text_view, Qt.Key.Key_Down)
    qtbot.keyClick(view.text_view, Qt.Key.Key_J)
    assert view.current_sentence == 2
    qtbot.keyClick(view.text_view, Qt.Key.Key_K)
    assert view.current_sentence == 1
    last = len(doc.sentences) - 1
    view.set_current_sentence(last)
    visible_top = view.text_view.verticalScrollBar().value()
    y_top, _ = view.position_y(view.orig_range(last)[0])
    assert visible_top <= y_top <= visible_top + view.text_view.viewport().height()


def test_interlinear_puts_each_translation_under_its_sentence(
    view: ReaderView,
    seeded: dict[str, int],
) -> None:
    doc = reader_document(seeded["fa"])
    translations = make_translations(doc)
    view.set_interlinear(True)
    view.set_document(doc, translations, pending=False)
    qdoc = view.text_view.document()
    for s in doc.sentences:
        start, end = view.orig_range(s.index)
        t_start, t_end = view.translation_range(s.index)
        assert qdoc.toRawText()[start:end] == doc.text[s.start : s.end]
        assert qdoc.toRawText()[t_start:t_end] == translations[s.index]
        assert view.position_y(t_start)[0] >= view.position_y(end - 1)[1] - 1  # below its sentence
        assert view.original_offset_at(start + 1) == s.start + 1
    block = qdoc.findBlock(view.orig_range(0)[0])
    assert block.blockFormat().layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_find_matches_letter_variants_across_both_panes(
    view: ReaderView,
    seeded: dict[str, int],
) -> None:
    doc = reader_document(seeded["fa"])
    word = "ایروان"  # written with the Persian yeh in the seed
    assert word in doc.text
    translations = {s.index: f"Baku and Yerevan ({s.index})" for s in doc.sentences}
    translations[0] = "Talks between Baku and ايروان"  # Arabic yeh in the translation pane
    view.set_document(doc, translations, pending=False)
    raw = view.text_view.document().toRawText()
    expected_orig = doc.text.count(word)
    # Arabic yeh and a kasra in the query, ZWNJ inside: all folded away
    view.find_text("اي\u0650ر\u200cوان")
    matches = view.find_matches()
    texts = [raw[a:b] for a, b in matches]
    assert texts.count(word) == expected_orig
    assert "ايروان" in texts  # found in the translation pane too
    assert len(matches) == expected_orig + 1
    # ZWNJ in the text, none in the query: the seed writes گفتوگو without it; a query with it finds it
    assert view.find_text("گفت\u200cوگو") >= 1
    assert view.find_text("yerevan") == len(doc.sentences) - 1
    assert view.find_text("no such words") == 0


def test_zoom_changes_the_reading_size_and_keeps_the_place(
    view: ReaderView,
    seeded: dict[str, int],
) -> None:
    doc = reader_document(seeded["fa"])
    view.set_document(doc, make_translations(doc), pending=False)
    height = view.text_view.document().size().height()
    view.scroll_to_sentence(10, top=True)
    top = view.top_sentence()
    view.set_zoom(3)
    assert view.text_view.document().size().height() > height * 1.2
    assert view.top_sentence() == top


def test_viewport_point_round_trip(view: ReaderView, seeded: dict[str, int]) -> None:
    doc = reader_document(seeded["ar"])
    view.set_document(doc, make_translations(doc), pending=False)
    for s in doc.sentences[:4]:
        start, end = view.orig_range(s.index)
        assert view.sentence_at_point(view.viewport_point_of((start + end) // 2)) == s.index
    assert view.sentence_at_point(QPoint(-50, -50)) is None


def test_a_long_document_shows_its_top_at_once_and_builds_the_rest_in_the_background(
    view: ReaderView, qtbot: QtBot, tmp_path: Path
) -> None:
    from reader.core.store.library import Library

    paragraphs = [p for p in SEED_FA.read_text(encoding="utf-8").splitlines() if p.strip()]
    long_text = "\n\n".join(f"{paragraphs[n % len(paragraphs)]} ({n})" for n in range(120)) + "\n"
    article = tmp_path / "long.txt"
    article.write_text(long_text, encoding="utf-8")
    with Library() as library:
        doc_id = library.import_file(article, lang="fa").document.id
    doc = reader_document(doc_id)
    view.set_document(doc, {}, pending=False)
    assert not view.is_built()  # only the part on screen (and a little more) exists yet
    visible = view.visible_sentences()
    assert visible and visible[0] == 0
    for s_index in visible:  # what is on screen is complete and mapped
        start, end = view.orig_range(s_index)
        assert view.text_view.document().toRawText()[start:end] == doc.sentence_text(s_index)
    with qtbot.waitSignal(view.sig_built, timeout=10_000):
        pass
    assert view.is_built() and view.row_count() == len(doc.paragraphs)
    last = doc.sentences[-1]
    start, end = view.orig_range(last.index)
    assert view.text_view.document().toRawText()[start:end] == doc.sentence_text(last.index)
    assert view.original_offset_at(start) == last.start


def test_zwnj_keeps_persian_letters_apart(view: ReaderView, tmp_path: Path) -> None:
    """می‌خواهم (with a zero-width non-joiner) must not be shaped like the joined میخواهم."""
    from reader.core.store.library import Library

    article = tmp_path / "zwnj.txt"
    article.write_text("می\u200cخواهم\n\nمیخواهم\n", encoding="utf-8")
    with Library() as library:
        doc_id = library.import_file(article, lang="fa").document.id
    doc = reader_document(doc_id)
    view.set_document(doc, {}, pending=False)
    view.flush()

    def glyphs(row: int) -> list[int]:
        block = view.cell_first_block(row, 0)
        return [g for run in block.layout().glyphRuns(0, len(block.text())) for g in run.glyphIndexes()]

    with_zwnj, joined = glyphs(0), glyphs(1)
    assert with_zwnj and joined
    assert with_zwnj != joined  # the yeh before the ZWNJ takes its final form, the khe its initial form
    assert "\u200c" in view.text_view.document().toRawText()  # the text itself is kept exactly


def test_pages_of_a_pdf_are_marked_discreetly(view: ReaderView, tmp_path: Path) -> None:
    """A PDF's paragraphs carry their pages; the rows that start a page get a page mark (drawn in the gap
    above the row, outside the text, so positions and selections are unchanged)."""
    from reader.core.store.library import Library
    from tests.core.importing.pdfmaker import ArabicScriptPdf

    maker = ArabicScriptPdf("fa")
    paragraphs = [
        " ".join(line.split()) for line in (SEEDS / "001_16b6482d6bae7f5d.txt").read_text().splitlines()
    ]
    for paragraph in filter(None, paragraphs):
        maker.paragraph(paragraph)
    path = tmp_path / "article.pdf"
    path.write_bytes(maker.to_bytes())
    with Library() as library:
        doc_id = library.import_file(path).document.id
    doc = reader_document(doc_id)
    expected_pages = sorted(set(maker.paragraph_pages))
    assert len(expected_pages) >= 2
    first_paragraph = [maker.paragraph_pages.index(page) for page in expected_pages]

    view.set_document(doc, {}, pending=False)
    view.row_layout.build_all()
    assert view.page_mark_rows() == list(zip(first_paragraph, expected_pages, strict=True))
    marks = view._page_mark_positions()
    assert [label for _, label in marks] == [f"p. {page}" for page in expected_pages]
    assert [y for y, _ in marks] == sorted(y for y, _ in marks)
    text_before = view.text_view.document().toPlainText()
    view.text_view.viewport().grab()  # paints the marks
    assert view.text_view.document().toPlainText() == text_before

    view.set_interlinear(True)
    rows = view.page_mark_rows()
    assert [page for _, page in rows] == expected_pages
    assert all(
        view.row_layout.rows[row][0] == para for (row, _), para in zip(rows, first_paragraph, strict=True)
    )

    seed = reader_document(1)
    view.set_document(seed, {}, pending=False)
    assert view.page_mark_rows() == [] and view._page_mark_positions() == []
