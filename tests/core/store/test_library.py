"""library.db: seeds, idempotent import, segments with exact offsets, migrations, refusals leave nothing."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from reader import paths
from reader.core import importing
from reader.core.store.library import Library, LibraryError, title_from_text
from reader.core.store.schema import SCHEMA_VERSION, migrate
from reader.errors import UnknownLanguage
from tests.helpers import SEEDS

SEED_README = SEEDS / "README.md"


SEED_TITLES = {
    # the first line is the lead sentence itself, longer than a title: cut at a word
    "000_cfe427b699b4a0b7.txt": "ABŞ-ın Qafqazda danışıqlar üzrə baş müşaviri Luis Bono ABŞ-ın sülh prosesinə dəstəyini,"
    " davamlı və layiqli sülhün əldə edilməsini müzakirə etmək üçün regiona…",
    "001_16b6482d6bae7f5d.txt": "در حالی که اختلافات باکو و ایروان ادامه دارد، یک مقام آمریکایی مدعی تلاش برای"
    " برقراری صلح بین ارمنستان و جمهوری آذربایجان شد.",
    "002_44aa1b61c723b359.txt": "Entoni Blinken İlham Əliyevə zəng edib",
    # a web page: the section label "Azerbaycan" above the headline is skipped
    "003_c669be6180575091.txt": "Aliyev, O’Brien ile görüştü: Barışın görüşüldüğü bildirildi",
    # the byline glued on with a hyphen is not part of the title
    "004_b64012e43163fbfa.txt": "الولايات المتحدة تدعو أذربيجان مرة أخرى لسحب قواتها من أرمينيا",
}


def seed_languages() -> dict[str, str]:
    """File name -> language code, read from the seeds' README table."""
    table = {}
    for line in SEED_README.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*(\S+\.txt)\s*\|.*\((\w\w)\)", line)
        if m:
            table[m.group(1)] = m.group(2)
    assert len(table) == 5
    return table


def test_fresh_home_has_the_five_seeds_with_their_languages(seeds_dir: Path) -> None:
    with Library() as lib:
        docs = lib.documents()
        assert len(docs) == 5
        expected = seed_languages()
        by_source = {Path(d.source).name: d for d in docs}
        assert {name: by_source[name].lang for name in expected} == expected
        for d in docs:
            assert d.direction == ("rtl" if d.lang in {"fa", "ar"} else "ltr")
            original = (seeds_dir / Path(d.source).name).read_text(encoding="utf-8")
            # titled from the headline line, found by reading the seeds
            expected_title = SEED_TITLES[Path(d.source).name]
            assert d.title == expected_title
            assert " ".join(original.split()).find(expected_title.rstrip("…")) >= 0
            assert d.segments > 3


def test_seed_text_and_offsets_are_exact(seeds_dir: Path) -> None:
    with Library() as lib:
        for d in lib.documents():
            doc = lib.get(d.id)
            assert doc.text == (seeds_dir / Path(d.source).name).read_text(encoding="utf-8")
            segs = lib.segments(d.id)
            previous_end = 0
            for s in segs:
                piece = doc.text[s.start : s.end]
                assert piece and piece == piece.strip()
                assert s.start >= previous_end
                # between two segments there is only whitespace
                assert not doc.text[previous_end : s.start].strip()
                previous_end = s.end
            assert not doc.text[previous_end:].strip()
            paragraphs = lib.paragraphs(d.id)
            assert [p.index for p in paragraphs] == list(range(len(paragraphs)))
            assert {s.paragraph for s in segs} == {p.index for p in paragraphs}
            for s in segs:
                p = paragraphs[s.paragraph]
                assert p.start <= s.start and s.end <= p.end


def test_seeds_are_imported_once_and_a_removed_seed_stays_removed() -> None:
    with Library() as lib:
        first = lib.documents()[0]
        lib.remove(first.id)
    with Library() as lib:
        assert len(lib.documents()) == 4
        assert first.id not in {d.id for d in lib.documents()}


def test_same_content_twice_is_one_document(tmp_path: Path) -> None:
    text = "Bu gün hava çox gözəldir. Biz parka getdik.\n\nAxşam evə qayıtdıq.\n"
    a = tmp_path / "a.txt"
    a.write_text(text, encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_bytes(text.encode("utf-16"))  # same content, other encoding and name
    with Library(seed=False) as lib:
        first = lib.import_file(a)
        second = lib.import_file(b)
        assert first.created and not second.created
        assert second.document.id == first.document.id
        assert any("Already in the library" in w for w in second.warnings)
        assert len(lib.documents()) == 1


def test_refused_file_stores_nothing(tmp_path: Path) -> None:
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with Library(seed=False) as lib:
        with pytest.raises(importing.ImportRefused):
            lib.import_file(png)
        assert lib.documents() == []
        assert lib.conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 0


def test_language_override_and_bad_code(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("Salam. Necəsən?\n", encoding="utf-8")
    with Library(seed=False) as lib:
        result = lib.import_file(f, lang="TR")
        assert result.document.lang == "tr"
        g = tmp_path / "y.txt"
        g.write_text("Another text entirely.\n", encoding="utf-8")
        with pytest.raises(UnknownLanguage, match="zz-not-a-language"):
            lib.import_file(g, lang="zz-not-a-language")
        assert len(lib.documents()) == 1


def test_schema_version_wal_and_foreign_keys() -> None:
    with Library(seed=False) as lib:
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert lib.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert lib.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert lib.quick_check() == "ok"


def test_remove_cascades_to_segments(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("One sentence here. Another one there.\n", encoding="utf-8")
    with Library(seed=False) as lib:
        doc = lib.import_file(f).document
        assert lib.segments(doc.id)
        lib.remove(doc.id)
        assert lib.conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 0
        assert lib.conn.execute("SELECT count(*) FROM paragraphs").fetchone()[0] == 0


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(LibraryError, match="newer Yanyana"):
        Library(db)
    assert db.read_bytes() == before


def test_garbage_library_is_refused_and_kept(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    db.write_bytes(b"this is not sqlite at all" * 100)
    before = db.read_bytes()
    with pytest.raises(LibraryError, match="damaged"):
        Library(db)
    assert db.read_bytes() == before


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    assert migrate(conn) == SCHEMA_VERSION
    assert migrate(conn) == SCHEMA_VERSION


def test_home_override(tmp_path: Path, yanyana_home: Path) -> None:
    assert paths.library_db() == yanyana_home / "library.db"
    paths.set_home(tmp_path / "elsewhere")
    assert paths.library_db() == (tmp_path / "elsewhere" / "library.db").resolve()


def test_title_from_text() -> None:
    assert title_from_text("\n\n  Entoni   Blinken gəlib \nrest") == "Entoni Blinken gəlib"
    long = "kelime " * 100
    t = title_from_text(long)
    assert t.endswith("…") and len(t) <= 161 and not t[:-1].endswith(" ")
    assert title_from_text("   \n") == "Untitled"
    assert (
        title_from_text("Siyaset\n\nBakan yarın Ankara'ya gidecek\nMetin.") == "Bakan yarın Ankara'ya gidecek"
    )
    assert title_from_text("Tek\n\nİki") == "Tek"  # no line has two words: the first line
    assert title_from_text("کتاب تازه\n\nاین یک متن است.") == "کتاب تازه"  # a two-word headline is kept
    # Latin hyphenated words are never cut
    assert title_from_text("Azerbaijan-Armenia peace talks resume") == "Azerbaijan-Armenia peace talks resume"


def test_entries_list_what_documents_lists_without_counting(tmp_path: Path) -> None:
    """The window's start-up list: the same documents, titles, languages and directions, in id order."""
    with Library() as lib:
        article = tmp_path / "renamed.txt"
        article.write_text("Bir başlık\n\nBu bir cümledir. Bu da ikincisidir.\n", encoding="utf-8")
        added = lib.import_file(article, lang="tr").document
        lib.set_title(added.id, "  A   new\ttitle ")
        entries = lib.entries()
        assert [(e.id, e.title, e.lang, e.direction) for e in entries] == [
            (d.id, d.title, d.lang, d.direction) for d in lib.documents()
        ]
        assert entries[-1].title == "A new title" and len(entries) == 6
        assert [e.id for e in entries] == sorted(e.id for e in entries)
