"""Full-text search: originals, translations and notes at once; letter variants folded both ways."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core.store import search
from reader.core.store.annotations import Annotations
from reader.core.store.library import Library, content_hash
from reader.core.text import folding


@pytest.fixture
def lib() -> Library:
    library = Library(seed=False)
    yield library
    library.close()


def _add(lib: Library, tmp_path: Path, name: str, text: str, lang: str) -> int:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return lib.import_file(path, lang=lang).document.id


def _check_hit(lib: Library, hit: search.SearchHit, query: str) -> None:
    """The hit's offsets point at real text whose folded form starts with the folded query word."""
    assert hit.kind == "original"
    found = lib.get(hit.document).text[hit.start : hit.end]
    assert any(folding.fold(found, lang).startswith(folding.fold(query, lang)) for lang in (None, "tr"))
    for s, e in hit.marks:
        assert folding.fold(hit.snippet[s:e]) == folding.fold(found)


PERSIAN = "گزارش کوتاه.\n\nیک مقام آمریکایی از کشور همسایه بازدید کرد و درباره صلح سخن گفت.\n"
ARABIC = "تقرير قصير.\n\nقال مسؤول أمريكي إن الولايات المتحدة تدعم السلام في المنطقة كلها.\n"


@pytest.mark.parametrize(
    ("query", "doc_text", "lang", "expected"),
    [
        ("كشور", PERSIAN, "fa", "کشور"),  # Arabic kaf in the query, Persian keheh in the text
        ("آمريكايي", PERSIAN, "fa", "آمریکایی"),  # Arabic yeh in the query, Persian yeh in the text
        ("المنطقة", ARABIC, "ar", "المنطقة"),
        ("منطقه", ARABIC.replace("المنطقة", "منطقه"), "ar", "منطقه"),
        ("مسئول", ARABIC.replace("مسؤول", "مسئول"), "ar", "مسئول"),
    ],
)
def test_arabic_and_persian_letter_variants(
    lib: Library, tmp_path: Path, query: str, doc_text: str, lang: str, expected: str
) -> None:
    doc = _add(lib, tmp_path, "doc.txt", doc_text, lang)
    hits = search.search(lib, query)
    assert [h.document for h in hits] == [doc]
    assert lib.get(doc).text[hits[0].start : hits[0].end] == expected
    _check_hit(lib, hits[0], query)


def test_variants_fold_both_ways(lib: Library, tmp_path: Path) -> None:
    persian = _add(lib, tmp_path, "fa.txt", "کتاب یک کودک\n", "fa")
    arabic = _add(lib, tmp_path, "ar.txt", "كتاب يك كودك\n", "fa")
    for query in ("کتاب یک", "كتاب يك"):
        assert {h.document for h in search.search(lib, query)} == {persian, arabic}


def test_tashkeel_and_zwnj_are_ignored_for_matching_only(lib: Library, tmp_path: Path) -> None:
    voweled = _add(lib, tmp_path, "v.txt", "وَقَالَ الرَّئِيسُ كَلِمَةً قصيرة.\n", "ar")
    zwnj = _add(lib, tmp_path, "z.txt", "آنها می‌خواهند کتاب‌ها را بخوانند.\n", "fa")
    hits = search.search(lib, "الرئيس")
    assert [h.document for h in hits] == [voweled]
    assert lib.get(voweled).text[hits[0].start : hits[0].end] == "الرَّئِيسُ"  # the real text, marks included
    assert search.search(lib, "الرَّئِيسُ")[0].document == voweled
    for query in ("میخواهند", "می‌خواهند", "کتابها"):
        hits = search.search(lib, query)
        assert [h.document for h in hits] == [zwnj], query
        _check_hit(lib, hits[0], query)


def test_turkish_dotted_and_dotless_i(lib: Library, tmp_path: Path) -> None:
    doc = _add(
        lib, tmp_path, "tr.txt", "İSTANBUL'da IŞIK festivali başladı.\n\nİzmir de hazırlanıyor.\n", "tr"
    )
    for query in ("istanbul", "İstanbul", "ISTANBUL", "ışık", "IŞIK", "izmir", "İZMİR"):
        hits = search.search(lib, query)
        assert [h.document for h in hits] == [doc], query
        _check_hit(lib, hits[0], query)


def test_snippet_marks_and_jump_offsets(lib: Library, tmp_path: Path) -> None:
    words = " ".join(f"kelime{i}" for i in range(60))
    doc = _add(lib, tmp_path, "long.txt", f"Başlık\n\n{words} hedefkelime {words}.\n", "tr")
    hit = search.search(lib, "hedefkelime")[0]
    text = lib.get(doc).text
    assert text[hit.start : hit.end] == "hedefkelime"
    assert hit.segment == next(s.index for s in lib.segments(doc) if s.start <= hit.start < s.end)
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert [hit.snippet[s:e] for s, e in hit.marks] == ["hedefkelime"]
    assert len(hit.snippet) < 200


def test_notes_and_translations_are_searched_too(lib: Library, tmp_path: Path) -> None:
    doc = _add(lib, tmp_path, "fa.txt", PERSIAN, "fa")
    segments = lib.segments(doc)
    store = Annotations(lib)
    ann = store.add(
        doc,
        segments[1].start,
        segments[1].start + 10,
        note="Check the neighbouring country",
        tags=["Diplomacy"],
    )
    search.index_translations(
        lib,
        doc,
        {segments[1].index: "An American official visited a neighbouring country."},
        "translate-fa_en@1.9",
    )
    hits = search.search(lib, "neighbouring")
    assert {(h.kind, h.annotation, h.segment) for h in hits} == {
        ("note", ann.id, None),
        ("translation", None, segments[1].index),
    }
    translated = next(h for h in hits if h.kind == "translation")
    assert translated.model == "translate-fa_en@1.9"
    assert (
        "An American official visited a neighbouring country."[translated.start : translated.end]
        == "neighbouring"
    )
    assert [h.kind for h in search.search(lib, "diplomacy")] == ["note"]
    # a change to the note is searchable at once; deleting it removes the hit
    store.update(ann.id, note="Rewritten", tags=[])
    assert [h.kind for h in search.search(lib, "neighbouring")] == ["translation"]
    assert [h.kind for h in search.search(lib, "rewritten")] == ["note"]
    store.delete(ann.id)
    assert search.search(lib, "rewritten") == []
    # re-indexing a segment's translation replaces the previous one
    search.index_translations(lib, doc, {segments[1].index: "A US official went to a nearby country."}, "m@2")
    assert search.search(lib, "neighbouring") == []
    assert search.indexed_translations(lib, doc) == (
        "m@2",
        {segments[1].index: "A US official went to a nearby country."},
    )


def test_index_follows_removal_and_update_in_place(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "tr.txt"
    doc = _add(lib, tmp_path, "tr.txt", "Ankara'da toplantı yapıldı.\n", "tr")
    search.index_translations(lib, doc, {0: "A meeting was held in Ankara."}, "m@1")
    path.write_text("Ankara'da ikinci toplantı yapıldı.\n", encoding="utf-8")
    assert lib.import_file(path, lang="tr").updated
    assert [h.document for h in search.search(lib, "ikinci")] == [doc]
    assert search.search(lib, "meeting") == []  # translations of the old segments were dropped
    lib.remove(doc)
    assert search.search(lib, "ankara") == []
    assert lib.conn.execute("SELECT count(*) FROM search_rows").fetchone()[0] == 0
    assert lib.integrity_check() == "ok"
    lib.conn.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")


def test_all_words_must_match_and_empty_queries_are_refused(lib: Library, tmp_path: Path) -> None:
    doc = _add(lib, tmp_path, "tr.txt", "Kırmızı elma.\n\nYeşil armut.\n", "tr")
    assert [h.segment for h in search.search(lib, "kırmızı elma")] == [0]
    assert search.search(lib, "kırmızı armut") == []
    assert [h.document for h in search.search(lib, "elm")] == [doc]  # word prefixes match (agglutination)
    for query in ("", "   ", "!!!", '"'):
        with pytest.raises(search.SearchError):
            search.search(lib, query)
    assert search.search(lib, 'elma" OR "armut') == []  # FTS syntax in the query is just text


def test_migration_indexes_a_library_written_by_schema_1(tmp_path: Path) -> None:
    from reader.core.store import schema

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    schema.MIGRATIONS[0](conn)
    text = "Eski kütüphane belgesi.\n"
    conn.execute(
        "INSERT INTO documents (id, title, source, sha256, language, direction, imported_at, text)"
        " VALUES (1, 'Eski', '/x.txt', ?, 'tr', 'ltr', '2024-01-01T00:00:00+00:00', ?)",
        (content_hash(text), text),
    )
    conn.execute("INSERT INTO paragraphs VALUES (1, 0, 0, 23, 'tr')")
    conn.execute("INSERT INTO segments VALUES (1, 0, 0, 0, 23)")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with Library(db, seed=False) as upgraded:
        assert [h.document for h in search.search(upgraded, "kütüphane")] == [1]


def test_index_is_rebuilt_when_folding_rules_change(lib: Library, tmp_path: Path) -> None:
    doc = _add(lib, tmp_path, "tr.txt", "Deniz kenarında.\n", "tr")
    lib.conn.execute("UPDATE meta SET value = 'older-rules' WHERE key = 'search_fold_signature'")
    lib.conn.execute("UPDATE search_rows SET folded = 'bozuk'")
    assert search.search(lib, "deniz") == []
    search.ensure_current(lib)
    assert [h.document for h in search.search(lib, "deniz")] == [doc]


def test_very_common_words_come_newest_first_with_filters(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = [
        _add(lib, tmp_path, f"d{i}.txt", f"Ortak kelime {i}.\n\nOrtak ikinci {i}.\n", "tr") for i in range(4)
    ]
    ranked = search.search(lib, "ortak")
    monkeypatch.setattr(search, "RANK_LIMIT", 3)  # more matches than that: no ranking, newest rows first
    unranked = search.search(lib, "ortak", limit=5)
    newest_first = [docs[3], docs[3], docs[2], docs[2], docs[1]]
    assert [h.document for h in unranked] == newest_first
    assert {(h.document, h.segment) for h in unranked} <= {(h.document, h.segment) for h in ranked}
    only = search.search(lib, "ortak", document=docs[0])
    assert [(h.document, h.segment) for h in only] == [(docs[0], 1), (docs[0], 0)]
    assert search.search(lib, "ortak", kinds=["note"]) == []
