"""Search benchmark: a generated library of 10,000 documents, then timed queries (goal: < 100 ms each).

    .venv/bin/python bench/search.py [--docs 10000] [--repeat 7] [--keep DIR]

Documents are built from the seed articles' sentences (words shuffled and mixed with generated words so the
vocabulary grows like a real archive's), in the seeds' languages, and written straight into library.db with the
same segment/paragraph rows an import makes; the search index is then built by :mod:`reader.core.store.search`'s own
indexing. Translations (English stand-ins) are indexed for a tenth of the documents and every twentieth document
has notes. Each query is timed end to end through :func:`reader.core.store.search.search` (FTS5 match, BM25 ranking,
50 results, snippets re-found in the real text) and compared with a baseline run alongside: the same words
looked for with ``LIKE`` over all the folded rows (what ranking without an index would have to scan).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.core.store import search  # noqa: E402
from reader.core.store.annotations import Annotations  # noqa: E402
from reader.core.store.library import Library, content_hash  # noqa: E402
from reader.core.text import folding  # noqa: E402
from reader.core.text.segmenting import segment, split_paragraphs  # noqa: E402

SEEDS = {
    "000_cfe427b699b4a0b7.txt": "az",
    "001_16b6482d6bae7f5d.txt": "fa",
    "002_44aa1b61c723b359.txt": "az",
    "003_c669be6180575091.txt": "tr",
    "004_b64012e43163fbfa.txt": "ar",
}
ALPHABETS = {
    "fa": "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوية",
    "tr": "abcçdefgğhıijklmnoöprsştuüvyz",
    "az": "abcçdeəfgğhxıijkqlmnoöprsştuüvyz",
}
QUERIES = [
    ("common word (fa)", "در"),
    ("common word (tr)", "ve"),
    ("name, Arabic letters for Persian text", "آذربايجان"),
    ("two words", "صلح پایدار"),
    ("prefix of an inflected word (az)", "danışıq"),
    ("capitals with Turkish İ/I", "İLHAM"),
    ("rare generated word", None),
    ("English (translations)", "official"),
    ("note text", "footnote"),
    ("nothing matches", "zzzqqqxxx"),
]


def sentences_by_language() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, lang in SEEDS.items():
        text = (ROOT / "seeds" / name).read_text(encoding="utf-8")
        out.setdefault(lang, []).extend(text[s.start : s.end] for s in segment(text, lang))
    return out


def make_document(rng: random.Random, lang: str, pool: list[str], vocab: list[str]) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 10)):
        sentences = []
        for _ in range(rng.randint(1, 5)):
            words = rng.choice(pool).split()
            rng.shuffle(words)
            for _ in range(rng.randint(1, 4)):
                words.insert(rng.randrange(len(words) + 1), rng.choice(vocab))
            sentence = " ".join(words).rstrip(".!?؟") + "."
            sentences.append(sentence)
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n"


def build(lib: Library, count: int, rng: random.Random) -> str:
    pools = sentences_by_language()
    vocab = {
        lang: ["".join(rng.choice(alpha) for _ in range(rng.randint(4, 9))) for _ in range(40_000)]
        for lang, alpha in ALPHABETS.items()
    }
    langs = list(pools)
    rare = vocab["tr"][12345]
    started = time.perf_counter()
    conn = lib.conn
    with lib.transaction():
        for n in range(count):
            lang = langs[n % len(langs)]
            text = make_document(rng, lang, pools[lang], vocab[lang])
            if n == count // 2:
                text = f"{rare} " + text
            direction = "rtl" if lang in ("fa", "ar") else "ltr"
            cur = conn.execute(
                "INSERT INTO documents (title, source, sha256, language, direction, imported_at, text)"
                " VALUES (?, ?, ?, ?, ?, '2026-01-01T00:00:00+00:00', ?)",
                (f"Generated {n}", f"/bench/{n}.txt", content_hash(text + str(n)), lang, direction, text),
            )
            doc_id = int(cur.lastrowid or 0)
            spans = split_paragraphs(text)
            conn.executemany(
                'INSERT INTO paragraphs (document, idx, start, "end", lang) VALUES (?, ?, ?, ?, ?)',
                [(doc_id, i, s, e, lang) for i, (s, e) in enumerate(spans)],
            )
            segs = segment(text, lang)
            conn.executemany(
                'INSERT INTO segments (document, idx, paragraph, start, "end") VALUES (?, ?, ?, ?, ?)',
                [(doc_id, s.index, s.paragraph, s.start, s.end) for s in segs],
            )
            search.index_document(conn, doc_id)
            if (n + 1) % 1000 == 0:
                print(f"  {n + 1} documents ({time.perf_counter() - started:.0f} s)", flush=True)
    store = Annotations(lib)
    for doc_id in range(1, count + 1, 10):
        segs = lib.segments(doc_id)
        search.index_translations(
            lib, doc_id, {s.index: f"The official said sentence {s.index} matters." for s in segs}, "bench@1"
        )
        if doc_id % 20 == 1 and segs:
            store.add(
                doc_id, segs[0].start, segs[0].end, note=f"footnote for document {doc_id}", tags=["bench"]
            )
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    return rare


def baseline_like(lib: Library, query: str) -> int:
    tokens = search.query_tokens(query)[0]
    sql = "SELECT count(*) FROM search_rows WHERE " + " AND ".join("folded LIKE ?" for _ in tokens)
    return int(lib.conn.execute(sql, [f"%{t}%" for t in tokens]).fetchone()[0])


def timed(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--keep", metavar="DIR", help="build (or reuse) the library in DIR instead of a temp dir"
    )
    args = parser.parse_args()
    home = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="yanyana-bench-"))
    os.environ["YANYANA_HOME"] = str(home)
    db = home / "library.db"
    fresh = not db.exists()
    lib = Library(db, seed=False)
    rng = random.Random(6)
    if fresh:
        print(f"building {args.docs} documents in {home} …", flush=True)
        t0 = time.perf_counter()
        rare = build(lib, args.docs, rng)
        print(f"built in {time.perf_counter() - t0:.1f} s")
    else:
        row = lib.conn.execute(
            "SELECT text FROM documents WHERE title = ?", (f"Generated {args.docs // 2}",)
        ).fetchone()
        rare = row[0].split()[0]
    rows = search.stats(lib)
    size = db.stat().st_size / 1e6
    print(f"library: {lib.conn.execute('SELECT count(*) FROM documents').fetchone()[0]} documents, rows {rows}, "
          f"library.db {size:.0f} MB")  # fmt: skip
    print(f"{'query':42} {'hits':>5} {'median ms':>10} {'max ms':>8} {'LIKE ms':>8} {'ratio':>6}")
    worst = 0.0
    for label, query in QUERIES:
        q = query or rare
        hits = len(search.search(lib, q))
        med, top = timed(lambda q=q: search.search(lib, q), args.repeat)
        base, _ = timed(lambda q=q: baseline_like(lib, q), max(1, args.repeat // 3))
        worst = max(worst, med)
        print(f"{label:42} {hits:>5} {med:>10.1f} {top:>8.1f} {base:>8.1f} {base / med:>5.0f}×")
    print(f"slowest median {worst:.1f} ms — goal < 100 ms: {'met' if worst < 100 else 'NOT met'}")
    print(f"folding check: {folding.fold('آذربايجان')!r}")
    lib.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
