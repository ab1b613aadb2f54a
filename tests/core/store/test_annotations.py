"""Highlights and notes: storage, selectors, segment coverage, and re-anchoring when a document's text changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.store.annotations import AnnotationError, Annotations, TranslationText
from reader.core.store.library import Library
from reader.core.text.anchoring import CONTEXT_LEN, TextQuote, locate
from tests.helpers import seed_doc as _doc

FA_SEED = "001_16b6482d6bae7f5d.txt"


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def test_add_stores_quote_with_context_and_survives_reopening(lib: Library) -> None:
    doc = lib.get(_doc(lib, FA_SEED))
    start, end = _span(doc.text, "صلح پایدار")
    ann = Annotations(lib).add(
        doc.id, start, end, color="green", note="پیشنهاد", tags=["peace", "peace", " baku "]
    )
    assert ann.exact == "صلح پایدار"
    assert ann.prefix == doc.text[start - CONTEXT_LEN : start]
    assert ann.suffix == doc.text[end : end + CONTEXT_LEN]
    assert ann.tags == ("peace", "baku")
    assert ann.created.endswith("Z") and ann.created == ann.modified
    lib.close()
    again = Library()
    try:
        stored = Annotations(again).get(ann.id)
        assert stored == ann
    finally:
        again.close()


def test_reversed_range_from_an_rtl_drag_is_normalised_and_trimmed(lib: Library) -> None:
    doc = lib.get(_doc(lib, FA_SEED))
    start, end = _span(doc.text, " صلح پایدار ")
    ann = Annotations(lib).add(doc.id, end, start)  # the drag went right to left: end before start
    assert (ann.start, ann.end) == (start + 1, end - 1)
    assert ann.exact == "صلح پایدار"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": 0, "end": 10, "color": "turquoise"}, "Unknown colour"),
        ({"start": -1, "end": 10}, "outside the text"),
        ({"start": 0, "end": 10_000_000}, "outside the text"),
        ({"start": 5, "end": 5}, "no text"),
        ({"start": 0, "end": 10, "side": "margin"}, "Unknown side"),
        ({"start": 0, "end": 10, "side": "translation"}, "no translation"),
    ],
)
def test_user_errors_store_nothing(lib: Library, kwargs: dict, message: str) -> None:
    store = Annotations(lib)
    doc_id = _doc(lib, FA_SEED)
    with pytest.raises(AnnotationError, match=message):
        store.add(doc_id, **kwargs)
    assert store.find() == []


def test_update_delete_and_undo(lib: Library) -> None:
    store = Annotations(lib)
    doc = lib.get(_doc(lib, FA_SEED))
    ann = store.add(doc.id, *_span(doc.text, "باکو"), note="first")
    changed = store.update(ann.id, color="Gray", note="second", tags=["x"])
    assert (changed.color, changed.note, changed.tags) == ("grey", "second", ("x",))
    assert changed.created == ann.created
    deleted = store.delete(ann.id)
    assert store.find(doc.id) == []
    back = store.restore(deleted)
    assert back == deleted


def test_filters_by_colour_tag_text_and_orphans(lib: Library) -> None:
    store = Annotations(lib)
    doc = lib.get(_doc(lib, FA_SEED))
    a = store.add(doc.id, *_span(doc.text, "باکو"), color="red", tags=["Places"])
    b = store.add(doc.id, *_span(doc.text, "صلح"), note="about peace")
    assert [x.id for x in store.find(color="red")] == [a.id]
    assert [x.id for x in store.find(tag="places")] == [a.id]
    assert [x.id for x in store.find(text="PEACE")] == [b.id]
    # folded: the quote was typed with Arabic kaf/yeh, the text has Persian ones
    assert [x.id for x in store.find(text="باكو")] == [a.id]
    assert store.orphans() == []
    assert store.counts() == {doc.id: 2}


def test_translation_text_definition() -> None:
    from reader.core.store.library import SegmentRow

    segs = [
        SegmentRow(0, 0, 0, 5),
        SegmentRow(1, 0, 6, 10),
        SegmentRow(2, 1, 12, 20),
        SegmentRow(3, 2, 22, 30),
    ]
    tt = TranslationText.build(segs, {0: "One.", 1: " Two. ", 2: "Three.", 3: "Four."}, "m@1")
    assert tt.text == "One. Two.\n\nThree.\n\nFour."
    assert tt.text[slice(*tt.spans[1])] == "Two."
    assert tt.segments_in(2, 12) == (0, 1, 2)
    assert tt.locate_offset(tt.spans[2][0] + 2) == (2, 2)
    assert tt.offset_of(3, 1) == tt.spans[3][0] + 1
    partial = TranslationText.build(segs, {0: "One.", 3: "Four."}, "m@1")
    assert partial.text == "One.\n\nFour."


def test_coverage_pairs_original_and_translation_sentences(lib: Library) -> None:
    store = Annotations(lib)
    doc = lib.get(_doc(lib, FA_SEED))
    segs = lib.segments(doc.id)
    s1, s2 = segs[1], segs[2]
    translations = {s.index: f"Sentence number {s.index} in English." for s in segs}
    tt = TranslationText.build(segs, translations, "translate-fa_en@test")
    # a highlight from the end of sentence 1 into sentence 2 marks both translations (lighter shade)
    ann = store.add(doc.id, s1.end - 6, s2.start + 8)
    cov = store.coverage(ann, tt)
    assert cov.segments == (s1.index, s2.index)
    assert cov.paired == (tt.spans[s1.index], tt.spans[s2.index])
    assert store.paired_text(ann, tt) == f"{translations[s1.index]} {translations[s2.index]}"
    # a highlight on the translation marks the original sentence it translates
    t_start = tt.text.index(f"number {s2.index}")
    t_ann = store.add(doc.id, t_start, t_start + 8, side="translation", translation=tt, color="blue")
    assert t_ann.model == "translate-fa_en@test" and t_ann.exact == f"number {s2.index}"[:8]
    t_cov = store.coverage(t_ann, tt)
    assert t_cov.segments == (s2.index,)
    assert t_cov.paired == ((s2.start, s2.end),)
    assert store.paired_text(t_ann, tt) == doc.text[s2.start : s2.end]
    assert store.coverage_map(doc.id, tt)[s2.index] == [(ann, cov), (t_ann, t_cov)]


def test_locate_prefers_the_occurrence_with_matching_context() -> None:
    text = "the cat sat on the mat. Later the cat sat on the hat."
    second = text.index("cat sat on the hat")
    quote = TextQuote("cat sat", text[second - 10 : second], text[second + 7 : second + 20])
    match = locate(text, quote)
    assert match is not None and match.start == second


# --- re-anchoring on re-import ---------------------------------------------------------------------------------

ARTICLE = (
    "Bakı və İrəvan arasında danışıqlar davam edir.\n\n"
    "Dövlət Departamentinin sözçüsü Metyu Miller bildirib ki, sülh sazişi üzrə danışıqlar yaxın həftələrdə "
    "Vaşinqtonda davam etdiriləcək.\n\n"
    "Nümayəndə heyətləri sərhədlərin delimitasiyası məsələsini də müzakirə edəcəklər.\n\n"
    "Bu görüş iki ölkə arasında münasibətlərin normallaşması üçün vacib addım sayılır.\n"
)


def _import(lib: Library, path: Path, text: str):
    path.write_text(text, encoding="utf-8")
    return lib.import_file(path, lang="az")


def test_reimport_with_changes_updates_in_place_and_reanchors(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    first = _import(lib, path, ARTICLE)
    doc = first.document
    store = Annotations(lib)
    moved = store.add(
        doc.id, *_span(ARTICLE, "sülh sazişi üzrə danışıqlar"), note="key claim", tags=["peace"]
    )
    changed = store.add(
        doc.id, *_span(ARTICLE, "sərhədlərin delimitasiyası məsələsini də müzakirə edəcəklər"), color="blue"
    )
    removed = store.add(
        doc.id, *_span(ARTICLE, "normallaşması üçün vacib addım"), note="gone later", color="red"
    )

    edited = (
        "Yeni giriş cümləsi əlavə olunub.\n\n"  # insertion before every quote
        + ARTICLE.replace("delimitasiyası", "demarkasiyası").replace(  # a changed word inside a quote
            "Bu görüş iki ölkə arasında münasibətlərin normallaşması üçün vacib addım sayılır.\n", "Son.\n"
        )
    )
    second = _import(lib, path, edited)
    assert second.updated and not second.created
    assert second.document.id == doc.id
    assert second.document.sha256 != doc.sha256 and second.document.text == edited
    assert lib.segment_texts(doc.id)[0] == "Yeni giriş cümləsi əlavə olunub."
    assert any("orphan" in w for w in second.warnings)

    a = store.get(moved.id)
    assert not a.orphaned and a.exact == moved.exact
    assert edited[a.start : a.end] == moved.exact and a.start > moved.start
    assert (a.note, a.tags) == ("key claim", ("peace",))

    b = store.get(changed.id)
    assert not b.orphaned
    assert edited[b.start : b.end] == "sərhədlərin demarkasiyası məsələsini də müzakirə edəcəklər"
    assert b.exact == edited[b.start : b.end]

    c = store.get(removed.id)
    assert c.orphaned and c.exact == removed.exact and c.note == "gone later"
    assert [o.id for o in store.orphans(doc.id)] == [removed.id]
    assert store.coverage(c).segments == ()


def test_orphan_comes_back_when_its_text_returns(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    doc = _import(lib, path, ARTICLE).document
    store = Annotations(lib)
    ann = store.add(doc.id, *_span(ARTICLE, "Metyu Miller bildirib"))
    _import(lib, path, ARTICLE.replace("Metyu Miller bildirib", "sözçü deyib"))
    assert store.get(ann.id).orphaned
    _import(lib, path, ARTICLE)
    back = store.get(ann.id)
    assert not back.orphaned and ARTICLE[back.start : back.end] == "Metyu Miller bildirib"


def test_reanchoring_tolerates_letter_variants(lib: Library, tmp_path: Path) -> None:
    persian = (
        "یک مقام آمریکایی مدعی تلاش برای برقراری صلح پایدار بین باکو و ایروان شد.\n\n"
        "این سخنان در حالی مطرح می‌شود که تنش‌ها ادامه دارد.\n"
    )
    path = tmp_path / "fa.txt"
    doc = _import(lib, path, persian).document
    store = Annotations(lib)
    ann = store.add(doc.id, *_span(persian, "صلح پایدار بین باکو"))
    # the corrected file was typed on an Arabic keyboard: ي and ك instead of ی and ک, plus a vowel mark
    arabic_letters = "مقدمة.\n\n" + persian.replace("ی", "ي").replace("ک", "ك").replace("صلح", "صُلح")
    _import(lib, path, arabic_letters)
    moved = store.get(ann.id)
    assert not moved.orphaned
    assert arabic_letters[moved.start : moved.end] == "صُلح پايدار بين باكو"


def test_same_content_again_is_not_an_update(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    doc = _import(lib, path, ARTICLE).document
    again = _import(lib, path, ARTICLE)
    assert not again.created and not again.updated and again.document.id == doc.id


def test_removing_a_document_removes_its_annotations(lib: Library, tmp_path: Path) -> None:
    doc = _import(lib, tmp_path / "a.txt", ARTICLE).document
    store = Annotations(lib)
    store.add(doc.id, 0, 4)
    lib.remove(doc.id)
    assert store.find() == []
    assert lib.integrity_check() == "ok"


def test_note_counts_and_translation_side_per_document(lib: Library) -> None:
    store = Annotations(lib)
    fa = lib.get(_doc(lib, FA_SEED))
    other = next(d for d in lib.documents() if d.id != fa.id)
    assert store.note_counts() == {} and not store.has_translation_side(fa.id)
    store.add(fa.id, 0, 5)  # a highlight without a note is not counted
    store.add(fa.id, 10, 20, note="first")
    store.add(fa.id, 30, 40, note="second")
    store.add(other.id, 0, 5, note="elsewhere")
    assert store.note_counts() == {fa.id: 2, other.id: 1}
    assert store.counts() == {fa.id: 3, other.id: 1}
    assert store.highlight_counts() == {fa.id: (3, 2), other.id: (1, 1)}
    assert store.highlight_counts([other.id, 999_999]) == {other.id: (1, 1)}
    assert store.highlight_counts([]) == {}
    assert not store.has_translation_side(fa.id)
    segs = lib.segments(fa.id)
    tt = TranslationText.build(segs, {s.index: f"Sentence {s.index}." for s in segs}, "translate-fa_en@test")
    store.add(fa.id, 0, 8, side="translation", translation=tt)
    assert store.has_translation_side(fa.id) and not store.has_translation_side(other.id)
