"""The SQL views of migration 3, the sqlite-utils CLI on library.db, and schema changes through transform()."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from reader.core.store import schema, search
from reader.core.store.annotations import Annotations, TranslationText
from reader.core.store.db import utils_database
from reader.core.store.library import Library
from tests.helpers import ROOT, seed_doc

VIEWS = ("documents_view", "sentences_view", "annotations_view", "translations_view")
PERSIAN_SEED = "001_16b6482d6bae7f5d.txt"
ARABIC_SEED = "004_b64012e43163fbfa.txt"


def rows(lib: Library, sql: str, *args: object) -> list[dict[str, Any]]:
    cur = lib.conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def fake_translations(lib: Library, doc_id: int, every: int = 1) -> dict[int, str]:
    """Stand-in translations made from the sentences themselves (the view must pair each with its source)."""
    return {i: f"EN[{i}] {len(t)} chars" for i, t in enumerate(lib.segment_texts(doc_id)) if i % every == 0}


def non_bmp_document(lib: Library, tmp_path: Path) -> int:
    """Characters outside the BMP before the sentences: code-point and UTF-16 offsets differ from here on."""
    f = tmp_path / "emoji.txt"
    f.write_text(
        "𝔄𝔷ə𝔯𝔟𝔞𝔶𝔠𝔞𝔫 🇦🇿 xəbərləri bu gün gəldi.\n\n"
        "Sülh danışıqları 😀 yenə başladı. İkinci cümlə 𐎠𐎭𐎶 ilə bitir.\n",
        encoding="utf-8",
    )
    return lib.import_file(f, lang="az").document.id


def test_views_exist_and_the_schema_number_counts_them(lib: Library) -> None:
    assert int(lib.conn.execute("PRAGMA user_version").fetchone()[0]) == schema.SCHEMA_VERSION
    assert set(VIEWS) <= set(utils_database(lib.conn).view_names())


def test_documents_view_counts(lib: Library, tmp_path: Path) -> None:
    store = Annotations(lib)
    fa = seed_doc(lib, PERSIAN_SEED)
    store.add(fa, 0, 12, note="first words", tags=["headline"])
    store.add(fa, 20, 40, color="blue")
    search.index_translations(lib, fa, fake_translations(lib, fa, every=2), "tiny-fa-en@1")
    by_id = {r["id"]: r for r in rows(lib, "SELECT * FROM documents_view")}
    assert set(by_id) == {d.id for d in lib.documents()}
    for summary in lib.documents():
        doc = lib.get(summary.id)
        row = by_id[summary.id]
        assert (row["title"], row["language"], row["direction"], row["source"], row["imported"]) == (
            doc.title, doc.lang, doc.direction, doc.source, doc.imported_at,
        )  # fmt: skip
        assert row["characters"] == len(doc.text)
        assert row["segments"] == summary.segments == len(lib.segments(doc.id))
        assert row["paragraphs"] == len(lib.paragraphs(doc.id))
        assert row["annotations"] == len(store.find(doc.id))
        assert row["notes"] == sum(1 for a in store.find(doc.id) if a.note)
    assert by_id[fa]["translated"] == len(range(0, len(lib.segments(fa)), 2))
    assert (by_id[fa]["annotations"], by_id[fa]["notes"], by_id[fa]["orphans"]) == (2, 1, 0)
    assert sum(r["translated"] for r in by_id.values()) == by_id[fa]["translated"]


def test_sentences_view_gives_each_segment_its_exact_text(lib: Library, tmp_path: Path) -> None:
    extra = non_bmp_document(lib, tmp_path)
    seen = 0
    for summary in lib.documents():
        text = lib.get(summary.id).text
        paragraphs = {p.index: p.lang for p in lib.paragraphs(summary.id)}
        view = rows(lib, "SELECT * FROM sentences_view WHERE document = ? ORDER BY segment", summary.id)
        segments = lib.segments(summary.id)
        assert [r["segment"] for r in view] == [s.index for s in segments]
        for r, s in zip(view, segments, strict=True):
            assert r["text"] == text[s.start : s.end]  # code points, also past 🇦🇿 and 𐎠𐎭𐎶
            assert (r["start"], r["end"], r["paragraph"]) == (s.start, s.end, s.paragraph)
            assert r["language"] == paragraphs[s.paragraph]
            assert r["title"] == summary.title
            seen += 1
    assert seen == sum(d.segments for d in lib.documents())
    assert any(
        "😀" in r["text"] for r in rows(lib, "SELECT text FROM sentences_view WHERE document = ?", extra)
    )


def test_annotations_view_matches_the_repository(lib: Library, tmp_path: Path) -> None:
    store = Annotations(lib)
    fa, ar = seed_doc(lib, PERSIAN_SEED), seed_doc(lib, ARABIC_SEED)
    made = [
        store.add(fa, 5, 40, note="یادداشت — a note", tags=["صلح", "peace talks"], color="green"),
        store.add(ar, 0, 25, color="pink"),
        store.add(ar, 30, 60, tags=["one;two"], note="multi\nline"),
    ]
    translations = fake_translations(lib, fa)
    tt = TranslationText.build(lib.segments(fa), translations, "tiny-fa-en@1")
    made.append(store.add(fa, 0, 6, side="translation", translation=tt, note="on the English side"))
    view = {r["id"]: r for r in rows(lib, "SELECT * FROM annotations_view")}
    assert set(view) == {a.id for a in made}
    for a in made:
        r = view[a.id]
        assert r["uuid"] == a.uuid and r["document"] == a.document
        assert r["title"] == lib.get(a.document).title
        assert (r["side"], r["model"], r["color"], r["note"], r["quote"]) == (
            a.side, a.model, a.color, a.note, a.exact,
        )  # fmt: skip
        assert r["tags"] == "; ".join(a.tags)
        assert (r["start"], r["end"], bool(r["orphaned"]), r["created"], r["modified"]) == (
            a.start, a.end, a.orphaned, a.created, a.modified,
        )  # fmt: skip
        if a.side == "original":
            assert r["quote"] == lib.get(a.document).text[a.start : a.end]
    assert view[made[3].id]["model"] == "tiny-fa-en@1"
    assert view[made[1].id]["tags"] == ""


def test_translations_view_pairs_each_translation_with_its_sentence(lib: Library, tmp_path: Path) -> None:
    fa = seed_doc(lib, PERSIAN_SEED)
    extra = non_bmp_document(lib, tmp_path)
    given = {fa: fake_translations(lib, fa, every=3), extra: fake_translations(lib, extra)}
    for doc_id, translations in given.items():
        search.index_translations(lib, doc_id, translations, f"model-{doc_id}")
    view = rows(lib, "SELECT * FROM translations_view ORDER BY document, segment")
    assert {(r["document"], r["segment"]) for r in view} == {(d, i) for d, t in given.items() for i in t}
    for r in view:
        doc = lib.get(r["document"])
        seg = lib.segments(doc.id)[r["segment"]]
        assert r["source"] == doc.text[seg.start : seg.end]
        assert r["translation"] == given[doc.id][r["segment"]]
        assert (r["model"], r["translation_language"], r["title"]) == (f"model-{doc.id}", "en", doc.title)
        assert r["paragraph"] == seg.paragraph
        assert r["language"] == lib.paragraphs(doc.id)[seg.paragraph].lang


def test_removing_a_document_leaves_every_view_whole(lib: Library) -> None:
    store = Annotations(lib)
    fa, ar = seed_doc(lib, PERSIAN_SEED), seed_doc(lib, ARABIC_SEED)
    for doc_id in (fa, ar):
        store.add(doc_id, 0, 10, note=f"note {doc_id}")
        search.index_translations(lib, doc_id, fake_translations(lib, doc_id), "m")
    before = {v: len(rows(lib, f"SELECT * FROM {v}")) for v in VIEWS}
    fa_rows = {
        v: len(rows(lib, f"SELECT * FROM {v} WHERE {'id' if v == 'documents_view' else 'document'} = ?", fa))
        for v in VIEWS
    }
    lib.remove(fa)
    for v in VIEWS:
        after = rows(lib, f"SELECT * FROM {v}")
        assert len(after) == before[v] - fa_rows[v] > 0
        assert fa not in {r.get("document", r.get("id")) for r in after}
        # no row of a view holds a hole where a joined value should be
        for r in after:
            assert r["title"] is not None
            if v in ("translations_view", "sentences_view"):
                assert r.get("source", r.get("text")) is not None


def test_sqlite_utils_cli_lists_tables_and_views_and_queries_a_view(lib: Library) -> None:
    store = Annotations(lib)
    fa = seed_doc(lib, PERSIAN_SEED)
    ann = store.add(fa, 0, 12, note="for the CLI", tags=["cli", "صلح"], color="purple")
    cli = Path(sys.executable).parent / "sqlite-utils"
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "sqlite_utils"]
    db = str(lib.path)

    def run(*args: str) -> Any:
        done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    tables = {r["table"] for r in run("tables", db)}
    assert {
        "documents",
        "paragraphs",
        "segments",
        "annotations",
        "search_rows",
        "meta",
        "search_fts",
    } <= tables
    assert {r["view"] for r in run("views", db)} >= set(VIEWS)
    found = run(
        "query", db, "SELECT id, title, tags, note, quote, color FROM annotations_view WHERE tags LIKE :t",
        "-p", "t", "%صلح%",
    )  # fmt: skip
    assert found == [
        {
            "id": ann.id,
            "title": lib.get(fa).title,
            "tags": "cli; صلح",
            "note": "for the CLI",
            "quote": ann.exact,
            "color": "purple",
        }
    ]
    listed = run("rows", db, "documents_view", "-c", "id", "-c", "segments")
    assert {r["id"]: r["segments"] for r in listed} == {d.id: d.segments for d in lib.documents()}


def test_an_older_library_gains_the_views_over_its_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "library.db"
    with monkeypatch.context() as m:  # a Yanyana that knew schema 2 only
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
        m.setattr(schema, "SCHEMA_VERSION", 2)
        with Library(path) as old:
            Annotations(old).add(old.documents()[0].id, 0, 8, note="written by schema 2")
            assert "annotations_view" not in utils_database(old.conn).view_names()
    with Library(path) as lib:
        assert int(lib.conn.execute("PRAGMA user_version").fetchone()[0]) == schema.SCHEMA_VERSION
        assert [r["note"] for r in rows(lib, "SELECT note FROM annotations_view")] == ["written by schema 2"]
        assert len(rows(lib, "SELECT * FROM documents_view")) == 5


def test_a_future_column_change_through_transform_keeps_data_cascades_and_triggers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "library.db"
    with Library(path) as lib:
        fa = seed_doc(lib, PERSIAN_SEED)
        store = Annotations(lib)
        ann = store.add(fa, 0, 12, note="kept through the change")
        search.index_translations(lib, fa, fake_translations(lib, fa), "m")
        snapshot = {v: rows(lib, f"SELECT * FROM {v}") for v in VIEWS}
        total = lib.conn.execute("SELECT count(*) FROM search_rows").fetchone()[0]

    def future_migration(conn: sqlite3.Connection) -> None:
        schema.transform(conn, "documents", add_foreign_keys=None, defaults={"format": "txt"})
        utils_database(conn).table("documents").add_column("reading_notes", str)
        schema.transform(conn, "search_rows", types={"lang": str}, defaults={"lang": "und"})

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, future_migration])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with Library(path) as lib:
        assert int(lib.conn.execute("PRAGMA user_version").fetchone()[0]) == schema.SCHEMA_VERSION
        assert int(lib.conn.execute("PRAGMA foreign_keys").fetchone()[0]) == 1
        assert lib.integrity_check() == "ok"
        assert {v: rows(lib, f"SELECT * FROM {v}") for v in VIEWS} == snapshot
        assert lib.conn.execute("SELECT count(*) FROM search_rows").fetchone()[0] == total
        documents = utils_database(lib.conn).table("documents")
        assert "reading_notes" in documents.columns_dict
        assert {c.name: c.default_value for c in documents.columns}["format"] == "'txt'"  # transformed
        assert Annotations(lib).get(ann.id).note == "kept through the change"
        # the FTS triggers came back with search_rows, and the cascades still run
        assert [h.annotation for h in search.search(lib, "kept through", kinds=["note"])] == [ann.id]
        lib.remove(fa)
        for table in ("segments", "paragraphs", "annotations", "search_rows"):
            assert (
                lib.conn.execute(f"SELECT count(*) FROM {table} WHERE document = ?", (fa,)).fetchone()[0] == 0
            )
        lib.conn.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")


def test_a_migration_leaving_a_dangling_reference_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "library.db"
    with Library(path):
        pass

    def bad_migration(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE scratch (x INTEGER)")
        conn.execute("DELETE FROM documents WHERE id = (SELECT min(id) FROM documents)")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, bad_migration])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with pytest.raises(schema.LibraryError, match="pointing at nothing"):
        Library(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION - 1
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'scratch'").fetchone()[0] == 0
    finally:
        conn.close()


def test_the_invariants_docs_library_schema_promises_hold(lib: Library, tmp_path: Path) -> None:
    """docs/library-schema.md states these as the stable interface; each is checked here in SQL on real data."""
    non_bmp_document(lib, tmp_path)
    store = Annotations(lib)
    fa = seed_doc(lib, PERSIAN_SEED)
    store.add(fa, 3, 30, note="n", tags=["t"])
    broken = {
        "paragraph indices run 0, 1, 2, … without gaps": """
            SELECT document FROM paragraphs GROUP BY document HAVING max(idx) + 1 != count(*) OR min(idx) != 0""",
        "segment indices run 0, 1, 2, … without gaps": """
            SELECT document FROM segments GROUP BY document HAVING max(idx) + 1 != count(*) OR min(idx) != 0""",
        "a segment lies inside its paragraph, start < end": """
            SELECT s.document, s.idx FROM segments s
            LEFT JOIN paragraphs p ON p.document = s.document AND p.idx = s.paragraph
            WHERE p.idx IS NULL OR s.start < p.start OR s."end" > p."end" OR s.start >= s."end\"""",
        "segments and paragraphs come in order without overlapping": """
            SELECT a.document FROM segments a JOIN segments b ON b.document = a.document AND b.idx = a.idx + 1
            WHERE b.start < a."end" OR b.paragraph < a.paragraph
            UNION ALL
            SELECT a.document FROM paragraphs a JOIN paragraphs b ON b.document = a.document AND b.idx = a.idx + 1
            WHERE b.start < a."end\"""",
        "spans are trimmed": """
            SELECT document FROM sentences_view
            WHERE text != trim(text, ' ' || char(9) || char(10)) OR text = ''""",
        "direction follows the language": """
            SELECT id FROM documents WHERE direction != CASE WHEN language IN ('fa', 'ar') THEN 'rtl' ELSE 'ltr' END""",
        "an original-side quote is the text at its offsets": """
            SELECT a.id FROM annotations a JOIN documents d ON d.id = a.document
            WHERE a.side = 'original' AND NOT a.orphaned AND substr(d.text, a.start + 1, a."end" - a.start) != a.exact""",
        "one original search row per non-blank sentence": """
            SELECT s.document, s.idx FROM segments s
            LEFT JOIN search_rows r ON r.document = s.document AND r.segment = s.idx AND r.kind = 'original'
            WHERE r.id IS NULL""",
    }
    for promise, sql in broken.items():
        assert lib.conn.execute(sql).fetchall() == [], promise
    for doc_id, sha, text in lib.conn.execute("SELECT id, sha256, text FROM documents"):
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == sha, doc_id


MIGRATING_CHILD = r"""
import sys
from reader.core.store.db import configure, connect
from reader.core.store.schema import migrate

conn = connect(sys.argv[1], timeout=30)
configure(conn)
print("ready", flush=True)  # next: read version 2, then wait for the write lock the parent holds
print(migrate(conn), flush=True)
"""


def test_two_processes_upgrading_at_once_run_each_step_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "library.db"
    with monkeypatch.context() as m:
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
        m.setattr(schema, "SCHEMA_VERSION", 2)
        Library(path, seed=False).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")  # this process is upgrading; the other one starts meanwhile
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", MIGRATING_CHILD, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env, cwd=ROOT, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(1.0)  # the child has read version 2 and waits for the lock
        schema.MIGRATIONS[2](conn)
        conn.execute(f"PRAGMA user_version = {3}")
        conn.execute("COMMIT")
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
        conn.close()
    assert child.returncode == 0, err
    assert out.strip().splitlines()[-1] == str(schema.SCHEMA_VERSION)
