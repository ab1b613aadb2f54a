"""Store benchmark: writing an imported document's rows with sqlite-utils ``insert_all`` (multi-row INSERTs, what
the store does) against ``executemany`` (one INSERT per row, what it did), in the same run.

    .venv/bin/python bench/store.py [--sentences 20000] [--repeat 5]

A long document is made from the seed articles' sentences; its paragraph, segment and search rows (folded text,
FTS5 kept in step by triggers) are written inside one ``BEGIN IMMEDIATE … COMMIT`` into a fresh library each time.
Printed: the median time of each and the ratio insert_all / executemany per table (below 1 = faster), and the
end-to-end ``Library.import_text`` time of the same document for scale.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.core.importing.base import ImportedText  # noqa: E402
from reader.core.store.db import insert_rows  # noqa: E402
from reader.core.store.library import Library  # noqa: E402
from reader.core.text import folding  # noqa: E402
from reader.core.text.segmenting import segment, split_paragraphs  # noqa: E402

SEED = "000_cfe427b699b4a0b7.txt"  # Azerbaijani
PARAGRAPH_COLUMNS = ("document", "idx", "start", "end", "lang")
SEGMENT_COLUMNS = ("document", "idx", "paragraph", "start", "end")
SEARCH_COLUMNS = ("kind", "document", "segment", "lang", "folded")


def long_text(sentences: int) -> str:
    text = (ROOT / "seeds" / SEED).read_text(encoding="utf-8")
    pool = [text[s.start : s.end] for s in segment(text, "az")]
    paragraphs, n = [], 0
    while n < sentences:
        paragraphs.append(" ".join(f"{pool[(n + k) % len(pool)]} ({n + k})" for k in range(4)))
        n += 4
    return "\n\n".join(paragraphs) + "\n"


def rows_of(text: str) -> dict[str, list[tuple[object, ...]]]:
    spans = split_paragraphs(text)
    segs = segment(text, "az", spans)
    return {
        "paragraphs": [(1, i, s, e, "az") for i, (s, e) in enumerate(spans)],
        "segments": [(1, s.index, s.paragraph, s.start, s.end) for s in segs],
        "search_rows": [
            ("original", 1, s.index, "az", folding.fold(text[s.start : s.end], "az")) for s in segs
        ],
    }


COLUMNS = {"paragraphs": PARAGRAPH_COLUMNS, "segments": SEGMENT_COLUMNS, "search_rows": SEARCH_COLUMNS}


def with_insert_all(lib: Library, table: str, rows: list[tuple[object, ...]]) -> None:
    insert_rows(lib.conn, table, COLUMNS[table], rows)


def with_executemany(lib: Library, table: str, rows: list[tuple[object, ...]]) -> None:
    names = ", ".join(f'"{c}"' for c in COLUMNS[table])
    marks = ", ".join("?" * len(COLUMNS[table]))
    lib.conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def time_write(
    text: str, table: str, rows: list[tuple[object, ...]], write: Callable[[Library, str, list], None]
) -> float:
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "library.db", seed=False) as lib:
        with lib.transaction():
            lib.conn.execute(
                "INSERT INTO documents (id, title, source, sha256, language, direction, imported_at, text)"
                " VALUES (1, 'bench', 'bench', 'x', 'az', 'ltr', '2026-01-01T00:00:00+00:00', ?)",
                (text,),
            )
        started = time.perf_counter()
        with lib.transaction():
            write(lib, table, rows)
        return time.perf_counter() - started


def time_import(text: str) -> float:
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "library.db", seed=False) as lib:
        started = time.perf_counter()
        lib.import_text(
            ImportedText(text=text, title="bench", encoding="utf-8", format="text"), source="bench", lang="az"
        )
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sentences", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = long_text(args.sentences)
    rows = rows_of(text)
    print(f"document: {len(text):,} characters, " + ", ".join(f"{len(v):,} {k}" for k, v in rows.items()))
    for table, table_rows in rows.items():
        ours, base = [], []
        for _ in range(args.repeat):  # interleaved, so both see the same machine load
            ours.append(time_write(text, table, table_rows, with_insert_all))
            base.append(time_write(text, table, table_rows, with_executemany))
        a, b = statistics.median(ours), statistics.median(base)
        print(
            f"{table:12s} insert_all {a * 1000:8.1f} ms   executemany {b * 1000:8.1f} ms   ratio {a / b:.2f}"
        )
    whole = statistics.median(time_import(text) for _ in range(max(1, args.repeat // 2)))
    print(f"whole import_text (segmenting, folding, language of each paragraph): {whole * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
