"""A long document opens without building all of it (issue 12, item 7, window side): the library is read as
columns, the memory is asked about the first page of sentences before the first paint and about the rest in
pages afterwards, and only the rows around the viewport are built (more as scrolling reaches them)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pytestqt.qtbot import QtBot

from reader.core.store.library import Library
from reader.translation.documents import cache_engine, open_memory
from reader.ui import controller as controller_module
from reader.ui.main_window import MainWindow
from reader.ui.reader import ReaderDocument, ReaderView
from reader.ui.reader import layout as layout_module
from reader.ui.reader.document import ParagraphTable, SentenceTable
from tests.ui.support import SlowEngine, ini_settings, start_and_settle

SEED = Path(__file__).resolve().parents[2] / "seeds" / "001_16b6482d6bae7f5d.txt"


def long_persian(tmp_path: Path, paragraphs: int) -> int:
    """Import a Persian article of ``paragraphs`` unique paragraphs made of the seed's; its id."""
    source = [p for p in SEED.read_text(encoding="utf-8").splitlines() if p.strip()]
    text = "\n\n".join(f"{source[n % len(source)]} (بخش {n + 1})" for n in range(paragraphs)) + "\n"
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    with Library() as library:
        return library.import_file(path, lang="fa").document.id


def columns_document(doc_id: int) -> ReaderDocument:
    with Library(seed=False) as library:
        doc = library.get(doc_id)
        return ReaderDocument.from_columns(
            doc.id, doc.title, doc.lang, doc.direction, doc.text,
            library.paragraph_columns(doc.id), library.segment_columns(doc.id),
        )  # fmt: skip


def rows_document(doc_id: int) -> ReaderDocument:
    with Library(seed=False) as library:
        doc = library.get(doc_id)
        return ReaderDocument.build(
            doc.id, doc.title, doc.lang, doc.direction, doc.text,
            library.paragraphs(doc.id), library.segments(doc.id),
        )  # fmt: skip


class CountingEngine(SlowEngine):
    """The real engine (no pause); records the size of every question put to the memory through ``cached``."""

    asked: ClassVar[list[int]] = []
    lock = threading.Lock()

    def cached(
        self,
        sentences: Sequence[str],
        from_code: str,
        to_code: str,
        languages: Sequence[str | None] | None = None,
    ) -> dict[int, str]:
        with self.lock:
            self.asked.append(len(sentences))
        return super().cached(sentences, from_code, to_code, languages)


def test_columns_make_the_same_document_as_rows(tmp_path: Path, seeded: dict[str, int]) -> None:
    long_id = long_persian(tmp_path, 40)
    with Library(seed=False) as library:
        ids = [d.id for d in library.documents()]
        for doc_id in ids:  # the store's columns are its rows
            assert library.segment_columns(doc_id).rows() == library.segments(doc_id)
            assert library.paragraph_columns(doc_id).rows() == library.paragraphs(doc_id)
    assert long_id in ids and len(ids) >= 6
    for doc_id in ids:
        columns, rows = columns_document(doc_id), rows_document(doc_id)
        assert isinstance(columns.sentences, SentenceTable) and isinstance(columns.paragraphs, ParagraphTable)
        assert list(columns.sentences) == list(rows.sentences) and columns.sentences == rows.sentences
        assert list(columns.paragraphs) == list(rows.paragraphs)
        assert columns.sentence_languages() == rows.sentence_languages()
        assert columns.sentence_languages(range(2, 5)) == rows.sentence_languages(range(2, 5))
        assert columns.page_starts() == rows.page_starts()
        assert columns.sentences[-1] == rows.sentences[-1] and columns.sentences[1:3] == rows.sentences[1:3]
        for p in rows.paragraphs:
            assert list(columns.sentence_range(p.index)) == list(p.sentences)
            assert columns.paragraph_at(p.start) == rows.paragraph_at(p.start) <= p.index
    with pytest.raises(IndexError):
        columns_document(long_id).sentences[10**6]


def test_rows_out_of_text_order_take_the_general_way(seeded: dict[str, int]) -> None:
    with Library(seed=False) as library:
        doc = library.get(seeded["fa"])
        paragraphs = library.paragraph_columns(doc.id)
        segments = library.segment_columns(doc.id)
    segments.start[0], segments.start[1] = segments.start[1], segments.start[0]
    document = ReaderDocument.from_columns(
        doc.id, doc.title, doc.lang, doc.direction, doc.text, paragraphs, segments
    )
    assert not isinstance(document.sentences, SentenceTable)  # build() sorted them
    assert [s.start for s in document.sentences] == sorted(segments.start)


@pytest.mark.parametrize("interlinear", [False, True])
def test_the_row_plan_of_columns_is_the_row_lists(
    qtbot: QtBot, tmp_path: Path, seeded: dict[str, int], interlinear: bool
) -> None:
    doc_id = long_persian(tmp_path, 30)
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    view.set_interlinear(interlinear)
    for one in (seeded["fa"], doc_id):
        view.set_document(rows_document(one))
        layout = view.row_layout
        expected = (list(layout.rows), [list(r) for r in layout.row_sentences], list(layout.row_of_sentence))
        view.set_document(columns_document(one))
        assert layout.rows is not expected[0]
        got = (list(layout.rows), [list(r) for r in layout.row_sentences], list(layout.row_of_sentence))
        assert got == expected
        layout.build_all()
        # every sentence maps to its own text in the built document
        raw = view.text_view.document().toRawText()
        document = view.document
        assert document is not None
        for s in document.sentences:
            start, end = view.orig_range(s.index)
            assert " ".join(raw[start:end].split()) == " ".join(document.sentence_text(s.index).split())


def test_opening_asks_the_memory_for_the_first_page_only_before_the_first_paint(
    qtbot: QtBot,
    tmp_path: Path,
    make_window: Callable[..., MainWindow],
    install_tiny: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(controller_module, "FIRST_PAGE_SENTENCES", 40)
    monkeypatch.setattr(controller_module, "CACHE_PAGE_SENTENCES", 100)
    doc_id = long_persian(tmp_path, 160)
    install_tiny("fa")
    document = columns_document(doc_id)
    total = len(document.sentences)
    assert total > 40 + 2 * 100  # a first page and several more
    with cache_engine() as engine:
        model = engine.route("fa", "en").cache_key
    texts = [document.sentence_text(i) for i in range(total)]  # the seed's sentences recur: one entry each
    by_text = {text: f"translation {n}" for n, text in enumerate(dict.fromkeys(texts))}
    stored = {i: by_text[text] for i, text in enumerate(texts)}
    memory = open_memory()
    try:  # the memory knows every sentence (as after an earlier full translation)
        memory.store(by_text.items(), "fa", "en", model)
    finally:
        memory.close()
    settings = ini_settings()
    settings.setValue("reader/last_document", doc_id)
    CountingEngine.asked = []
    engines: list[CountingEngine] = []

    def factory(memory: Any, *, compute_type: str | None = None) -> CountingEngine:
        engine = CountingEngine(memory=memory, delay=0.0, compute_type=compute_type)
        engines.append(engine)
        return engine

    window = make_window(settings, engine_factory=factory)
    at_open: dict[str, Any] = {}

    def opened(_doc: object) -> None:
        layout = window.reader.row_layout
        at_open.update(
            built=len(layout.tables), rows=layout.count(), asked=list(CountingEngine.asked),
            shown=set(window.reader.translations),
        )  # fmt: skip

    window.controller.sig_document_opened.connect(opened)
    start_and_settle(qtbot, window)
    assert window.controller.state != "failed", window.reader.placeholder.text()
    assert at_open["rows"] == 160
    assert 0 < at_open["built"] < 40  # the rows covering the viewport, not the document
    assert at_open["asked"] == [40]  # one question, about the first page
    assert at_open["shown"] == set(range(40))
    # the rest arrives in pages; every sentence was asked about once, and no model translated anything
    qtbot.waitUntil(lambda: len(window.reader.translations) == total, timeout=30_000)
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=30_000)
    assert window.reader.translations == stored
    assert sum(CountingEngine.asked) == total and len(CountingEngine.asked) == 1 + -(-(total - 40) // 100)
    assert not any(e.translated for e in engines)
    window.reader.row_layout.build_all()
    raw = window.reader.text_view.document().toRawText()
    start, end = window.reader.translation_range(total - 1)
    assert raw[start:end] == stored[total - 1]


def test_a_reader_returning_to_a_sentence_gets_its_page_first(
    qtbot: QtBot, tmp_path: Path, install_tiny: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(controller_module, "FIRST_PAGE_SENTENCES", 30)
    monkeypatch.setattr(controller_module, "CACHE_PAGE_SENTENCES", 50)
    doc_id = long_persian(tmp_path, 80)
    document = columns_document(doc_id)
    top = len(document.sentences) // 2
    pages = controller_module.lookup_pages(document, top)
    para_start = document.sentence_range(document.sentences[top].paragraph).start
    assert pages[0] == range(para_start, para_start + 30)
    covered = [i for page in pages for i in page]
    assert sorted(covered) == list(range(len(document.sentences)))  # each sentence once
    assert pages[1].start == para_start + 30 and pages[-1].stop <= para_start  # then after, then before
    assert controller_module.lookup_pages(document, None)[0] == range(30)


def test_rows_far_below_are_built_when_scrolling_reaches_them(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layout_module, "BACKGROUND_ROWS_AHEAD", 20)
    doc_id = long_persian(tmp_path, 150)
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    view.set_document(columns_document(doc_id))
    layout = view.row_layout
    qtbot.waitUntil(lambda: not layout.build_timer.isActive(), timeout=10_000)
    built = len(layout.tables)
    assert built < layout.count()  # the background stopped short of the end
    assert built <= view.visible_rows().stop + 20 + layout_module.BUILD_CHUNK_ROWS
    bar = view.text_view.verticalScrollBar()
    bar.setValue(bar.maximum())  # scrolling to the end of what is built builds further
    qtbot.waitUntil(lambda: len(layout.tables) > built, timeout=10_000)
    view.go_to_end()  # the real end: every row
    assert view.is_built()
    assert view.current_sentence == len(view.document.sentences) - 1 if view.document else False


def test_columns_keep_kinds_levels_and_declared_directions(tmp_path: Path, seeded: dict[str, int]) -> None:
    from reader.core.importing.base import Block, ImportedText, join_blocks
    from tests.documents import article, build_epub, epub_chapter

    art = article("004")
    path = tmp_path / "kitab.epub"
    path.write_bytes(build_epub([epub_chapter(art)], title="ك", lang="ar"))
    fa = article("001")
    quote = "Türkiye Dışişleri Bakanlığı açıklamasında barışın kalıcı olması gerektiğini vurguladı."
    blocks = [
        Block(fa.headline, "heading", 1, "rtl"),
        Block(fa.paragraphs[0], "paragraph", 0, "rtl"),
        Block(quote, "paragraph", 0, "rtl"),
        Block(quote.replace("Türkiye", "Azerbaycan"), "paragraph", 0, None),
        Block(fa.paragraphs[1], "note", 0, None),
    ]
    with Library(seed=False) as library:
        epub = library.import_file(path).document.id
        imported = ImportedText(join_blocks(blocks), None, "utf-8", "docx", blocks=blocks)
        docx = library.import_text(imported, source="test:bidi").document.id
        for doc_id in (epub, docx):
            assert library.paragraph_columns(doc_id).rows() == library.paragraphs(doc_id)
    for doc_id in (epub, docx, seeded["fa"]):
        columns, rows = columns_document(doc_id), rows_document(doc_id)
        assert isinstance(columns.paragraphs, ParagraphTable)
        assert list(columns.paragraphs) == list(rows.paragraphs)
        assert columns.has_headings() == rows.has_headings() == (doc_id != seeded["fa"])
    shown = list(columns_document(docx).paragraphs)
    assert {p.kind for p in shown} >= {"heading", "note"} and {p.direction for p in shown} == {"rtl", "ltr"}
