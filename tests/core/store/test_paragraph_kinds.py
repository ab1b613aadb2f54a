"""Headings, notes and declared directions of structured files are stored per paragraph (migration 5) and line
up with the importer's blocks; plain text and PDFs store none."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from reader.core import importing
from reader.core.importing.base import Block, join_blocks
from reader.core.store.db import ParagraphRow
from reader.core.store.library import Library, paragraph_blocks
from reader.core.store.schema import MIGRATIONS, migrate
from tests.documents import article, build_docx, build_epub, build_odt, epub_chapter


def _import(tmp_path: Path, name: str, data: bytes) -> tuple[Library, int, importing.ImportedText]:
    path = tmp_path / name
    path.write_bytes(data)
    lib = Library(seed=False)
    result = lib.import_file(path)
    assert result.created
    return lib, result.document.id, importing.import_file(path)


def _check_lined_up(lib: Library, doc_id: int, imported: importing.ImportedText) -> list[ParagraphRow]:
    """Every stored paragraph lies inside a block of its stored kind, level and direction, and every non-empty
    block is covered by paragraphs of its own kind."""
    text = lib.get(doc_id).text
    assert text == imported.text
    rows = lib.paragraphs(doc_id)
    offset = 0
    spans = []
    for block in imported.blocks:
        spans.append((offset, offset + len(block.text), block))
        offset += len(block.text) + 2
    covered: set[int] = set()
    for row in rows:
        (k,) = [k for k, (s, e, _) in enumerate(spans) if s <= row.start and row.end <= e]
        block = spans[k][2]
        covered.add(k)
        assert row.kind == block.kind
        assert row.level == (max(block.level, 1) if block.kind == "heading" else None)
        assert row.direction == block.direction
    assert covered == {k for k, (_, _, block) in enumerate(spans) if block.text.strip()}
    return rows


def test_docx_headings_notes_and_rtl_paragraphs_are_stored(tmp_path: Path) -> None:
    art = article("001")  # Persian: every paragraph w:bidi, Heading 1 headline, a footnote and an endnote
    lib, doc_id, imported = _import(tmp_path, "haber.docx", build_docx(art))
    rows = _check_lined_up(lib, doc_id, imported)
    text = lib.get(doc_id).text
    assert text[rows[0].start : rows[0].end] == art.headline
    assert (rows[0].kind, rows[0].level, rows[0].direction) == ("heading", 1, "rtl")
    notes = [row for row in rows if row.kind == "note"]
    assert len(notes) == 2 and all(row.index >= len(rows) - 2 for row in notes)
    assert all(art.note in text[row.start : row.end] for row in notes)
    body = [row for row in rows if row.kind == "paragraph"]
    assert len(body) >= len(art.paragraphs)
    assert {row.direction for row in body if "TABLE" not in text[row.start : row.end]} == {"rtl"}
    lib.close()


def test_odt_and_epub_headings_levels_and_directions(tmp_path: Path) -> None:
    az = article("000")
    lib, doc_id, imported = _import(tmp_path, "xeber.odt", build_odt(az))
    rows = _check_lined_up(lib, doc_id, imported)
    assert (rows[0].kind, rows[0].level, rows[0].direction) == ("heading", 1, "ltr")
    assert rows[-1].kind == "note"
    lib.close()

    ar = article("004")
    data = build_epub([epub_chapter(ar)], title=ar.headline, lang="ar")
    lib, doc_id, imported = _import(tmp_path, "kitab.epub", data)
    rows = _check_lined_up(lib, doc_id, imported)
    text = lib.get(doc_id).text
    assert [(row.kind, row.level) for row in rows[:2]] == [("heading", 1), ("heading", 2)]
    assert text[rows[1].start : rows[1].end].startswith("004")
    assert all(row.direction == "rtl" for row in rows)
    (note,) = [row for row in rows if row.kind == "note"]
    assert ar.note in text[note.start : note.end]
    lib.close()


def test_plain_text_and_html_store_no_kinds(tmp_path: Path, seeds_dir: Path) -> None:
    lib = Library(seed=False)
    seed = sorted(seeds_dir.glob("001_*.txt"))[0]
    doc = lib.import_file(seed).document
    html = tmp_path / "page.html"
    html.write_text("<html><body><h1>Başlık burada</h1><p>Bu bir paragraftır ve uzundur.</p></body></html>")
    page = lib.import_file(html).document
    for doc_id in (doc.id, page.id):
        rows = lib.paragraphs(doc_id)
        assert rows and all((r.kind, r.level, r.direction) == (None, None, None) for r in rows)
    lib.close()


def test_blocks_map_to_paragraphs_exactly() -> None:
    blocks = [
        Block("Sarlavha", "heading", 2, "ltr"),
        Block("Birinci\n\nikinci", "paragraph", 0, None),  # a blank line inside a block: two paragraphs
        Block("   ", "paragraph"),  # nothing to store
        Block("[1] not", "note", 0, "rtl"),
    ]
    text = join_blocks(blocks)
    spans = [(0, 8), (10, 17), (19, 25), (32, 39)]
    assert [text[s:e] for s, e in spans] == ["Sarlavha", "Birinci", "ikinci", "[1] not"]
    marks = paragraph_blocks(text, spans, blocks)
    assert [(m.kind, m.level, m.direction) for m in marks if m] == [
        ("heading", 2, "ltr"),
        ("paragraph", None, None),
        ("paragraph", None, None),
        ("note", None, "rtl"),
    ]
    # blocks that do not spell the text (an importer bug) are ignored rather than mapped wrongly
    assert paragraph_blocks(text + "x", spans, blocks) == [None] * 4
    assert paragraph_blocks(text, spans, []) == [None] * 4


def test_a_library_before_migration_5_gets_the_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:4]:
        conn.execute("BEGIN")
        step(conn)
        conn.execute("COMMIT")
    conn.execute("PRAGMA user_version = 4")
    conn.execute(
        "INSERT INTO documents (title, source, sha256, language, direction, imported_at, text)"
        " VALUES ('t', 's', 'h', 'fa', 'rtl', 'now', 'سلام دنیا')"
    )
    conn.execute("INSERT INTO paragraphs (document, idx, start, \"end\", lang) VALUES (1, 0, 0, 9, 'fa')")
    assert migrate(conn) == len(MIGRATIONS)
    conn.close()
    with Library(path, seed=False) as lib:
        assert lib.paragraphs(1) == [ParagraphRow(0, 0, 9, "fa")]


def test_show_json_gives_kind_and_level(tmp_path: Path) -> None:
    art = article("003")
    path = tmp_path / "haber.docx"
    path.write_bytes(build_docx(art))
    run = [sys.executable, "-m", "reader"]
    out = subprocess.run([*run, "import", str(path), "--json"], capture_output=True, text=True, check=True)
    doc_id = json.loads(out.stdout)["id"]
    shown = json.loads(
        subprocess.run(
            [*run, "show", str(doc_id), "--json"], capture_output=True, text=True, check=True
        ).stdout
    )
    first = shown["paragraphs"][0]
    assert (first["kind"], first["level"]) == ("heading", 1)
    assert "direction" not in first  # Turkish: the file declares no direction
    assert {p["kind"] for p in shown["paragraphs"]} == {"heading", "paragraph", "note"}
    assert all("level" not in p for p in shown["paragraphs"] if p["kind"] != "heading")
