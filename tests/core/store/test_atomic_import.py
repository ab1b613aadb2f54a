"""An import is all or nothing, although its rows go in through sqlite-utils in many INSERT statements.

sqlite-utils 3.x wrapped each helper in ``with conn:``, which COMMITs the caller's open transaction; 4.x uses a
SAVEPOINT inside it. These tests fail on a version (or a use of it) that commits half an import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.store import db as dbmod
from reader.core.store.library import Library
from tests.helpers import ROOT

TABLES = ("documents", "paragraphs", "segments", "search_rows", "annotations")


def long_article(path: Path, paragraphs: int = 120) -> Path:
    """Three sentences a paragraph, each paragraph different: 360 segments, so segments and search rows need
    several INSERT batches (sqlite-utils fits 199 five-column rows in one statement)."""
    lines = [
        f"Bakı və İrəvan arasında {i}-ci görüş keçirildi. Danışıqlar {i} saat davam etdi. "
        f"Tərəflər {i * 7} məsələni müzakirə etdilər."
        for i in range(paragraphs)
    ]
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(path: Path) -> dict[str, int]:
    """Row counts seen by another connection: what is really on disk (committed)."""
    other = sqlite3.connect(path)
    try:
        out = {t: int(other.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}
        out["search_fts"] = int(other.execute("SELECT count(*) FROM search_fts_docsize").fetchone()[0])
        return out
    finally:
        other.close()


def fts_consistent(lib: Library) -> None:
    lib.conn.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")


def test_sqlite_utils_helpers_stay_inside_our_transaction(tmp_path: Path) -> None:
    with Library(tmp_path / "library.db", seed=False) as lib:
        before = counts(lib.path)

        def fail_half_way() -> None:
            with lib.transaction():
                dbmod.insert_rows(
                    lib.conn,
                    "meta",
                    ("key", "value"),
                    ((f"k{i}", str(i)) for i in range(2500)),
                    batch_size=100,
                )
                dbmod.utils_database(lib.conn).create_view("scratch_view", "SELECT key FROM meta")
                assert lib.conn.in_transaction  # sqlite-utils 3.x would have committed here
                raise RuntimeError("failed half-way")

        with pytest.raises(RuntimeError, match="half-way"):
            fail_half_way()
        assert counts(lib.path) == before
        assert lib.conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'k%'").fetchone()[0] == 0
        assert "scratch_view" not in dbmod.utils_database(lib.conn).view_names()


def test_insert_rows_refuses_to_run_outside_a_transaction_or_create_a_table(tmp_path: Path) -> None:
    with Library(tmp_path / "library.db", seed=False) as lib:
        with pytest.raises(RuntimeError, match="inside a transaction"):
            dbmod.insert_rows(lib.conn, "meta", ("key", "value"), [("a", "b")])
        with pytest.raises(RuntimeError, match="no table"), lib.transaction():
            dbmod.insert_rows(lib.conn, "metadata", ("key", "value"), [("a", "b")])
        assert "metadata" not in dbmod.utils_database(lib.conn).table_names()


@pytest.mark.parametrize(
    ("table", "when"),
    [
        ("paragraphs", "new.idx = 100"),  # the second table written, after a full first batch
        ("segments", "new.idx = 300"),  # segment batch 2 of 2, after batch 1 was released
        ("search_rows", "new.segment = 320"),  # the last step: the search index (and FTS, by trigger)
    ],
)
def test_an_import_failing_half_way_leaves_nothing(tmp_path: Path, table: str, when: str) -> None:
    article = long_article(tmp_path / "long.txt")
    with Library(tmp_path / "library.db", seed=False) as lib:
        lib.import_file(long_article(tmp_path / "other.txt", 5), lang="az")  # something that must stay
        before = counts(lib.path)
        lib.conn.execute(
            f"CREATE TEMP TRIGGER fail_half_way BEFORE INSERT ON {table} WHEN {when}"
            " BEGIN SELECT RAISE(ABORT, 'disk full, say'); END"
        )
        with pytest.raises(sqlite3.IntegrityError, match="disk full"):
            lib.import_file(article, lang="az")
        assert not lib.conn.in_transaction
        assert counts(lib.path) == before
        fts_consistent(lib)
        lib.conn.execute("DROP TRIGGER fail_half_way")
        # nothing half-stored stands in the way: the same file imports whole afterwards
        result = lib.import_file(article, lang="az")
        assert result.created and result.segments == 360 and result.paragraphs == 120
        after = counts(lib.path)
        assert after["segments"] == before["segments"] + 360
        assert after["search_rows"] == before["search_rows"] + 360
        fts_consistent(lib)


CHILD = r"""
import sys, time
from reader.core.store import library
from reader.core.store.library import Library

real = library.insert_rows

def slow_insert_rows(conn, table, columns, rows, **kw):
    def rows_then_stall():
        for n, row in enumerate(rows):
            if table == "segments" and n == 250:  # batch 1 (199 rows) is in, released to our transaction
                print("half", flush=True)
                time.sleep(60)
            yield row
    real(conn, table, columns, rows_then_stall(), **kw)

library.insert_rows = slow_insert_rows
Library(sys.argv[1], seed=False).import_file(sys.argv[2], lang="az")
print("imported", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_an_import_killed_half_way_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    with Library(path, seed=False) as lib:
        lib.import_file(long_article(tmp_path / "other.txt", 5), lang="az")
    before = counts(path)
    article = long_article(tmp_path / "long.txt")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(article)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == "half\n", child.stderr.read() if child.stderr else "child died"
        # the child holds the write lock with a segments batch already inserted: kill it there
        os.kill(child.pid, signal.SIGKILL)
        child.communicate()
        assert child.returncode == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
    assert counts(path) == before
    with Library(path, seed=False) as lib:
        assert lib.integrity_check() == "ok"
        fts_consistent(lib)
        assert lib.import_file(article, lang="az").segments == 360


def _rows(n: int) -> Iterator[tuple[str, str]]:
    return ((f"key{i}", "x") for i in range(n))


def test_insert_rows_writes_every_row_in_order(tmp_path: Path) -> None:
    with Library(tmp_path / "library.db", seed=False) as lib:
        with lib.transaction():
            dbmod.insert_rows(lib.conn, "meta", ("key", "value"), _rows(1234), batch_size=50)
        keys = [k for (k,) in lib.conn.execute("SELECT key FROM meta WHERE key LIKE 'key%' ORDER BY rowid")]
        assert keys == [f"key{i}" for i in range(1234)]
