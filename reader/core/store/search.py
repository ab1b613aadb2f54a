"""Full-text search across originals, translations and notes at once (SQLite FTS5 inside library.db).

What is indexed is the *folded* text (:func:`reader.core.text.folding.fold`: Arabic/Persian letter variants, tashkeel,
ZWNJ, digits, Turkish İ/ı casing), one row per original segment, per cached translation of a segment, and per
annotation (its note and tags). Folding is for matching only: snippets are cut from the real text, and the match is
found there again through :func:`reader.core.text.folding.fold_with_map`, so offsets for jump-to are offsets into the
document text (originals), into the segment's translation (translations), or into the note (notes).

Tables (created by migration 2 in :mod:`reader.core.store.schema`): ``search_rows`` holds what each row is (document, segment,
annotation, model) and its folded text; ``search_fts`` is an external-content FTS5 index over it, kept in step
by triggers. Rows disappear with their document or annotation (foreign keys cascade; the triggers follow).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.store.db import insert_rows
from reader.core.text import folding
from reader.errors import YanyanaError

if TYPE_CHECKING:
    from reader.core.store.db import DocumentStore

KINDS = ("original", "translation", "note")
SNIPPET_BEFORE = 50
SNIPPET_AFTER = 90
RANK_LIMIT = 10_000
_TRANSLATION_COLUMNS = ("kind", "document", "segment", "model", "lang", "text", "folded")
_PROBE = "يكىۀةأإآؤئ ًٌٍَُِّْـ İIıiŞ ‌‏ ١٢٣۴۵۶ Ab  c"


class SearchError(YanyanaError):
    """A query that cannot be searched; ``str()`` is one sentence."""


@dataclass(frozen=True)
class SearchHit:
    """One matching row.

    ``start``/``end`` are the first match's offsets: into the document text for ``kind == "original"``, into the
    segment's translation for ``"translation"``, into the note for ``"note"``. ``marks`` are the matches' ranges
    inside ``snippet``."""

    kind: str
    document: int
    title: str
    segment: int | None
    annotation: int | None
    model: str | None
    start: int
    end: int
    snippet: str
    marks: tuple[tuple[int, int], ...]

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "document": self.document,
            "title": self.title,
            "segment": self.segment,
            "annotation": self.annotation,
            "model": self.model,
            "start": self.start,
            "end": self.end,
            "snippet": self.snippet,
            "marks": [list(m) for m in self.marks],
        }


def fold_signature() -> str:
    """Changes when the folding rules change, so that an index folded by older rules is rebuilt."""
    probe = folding.fold(_PROBE) + "|" + folding.fold(_PROBE, "tr") + "|" + folding.fold(_PROBE, "fa")
    return hashlib.sha256(probe.encode("utf-8")).hexdigest()[:16]


def index_all(conn: sqlite3.Connection) -> None:
    for (doc_id,) in conn.execute("SELECT id FROM documents ORDER BY id").fetchall():
        index_document(conn, doc_id)
    has_annotations = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'annotations'"
    ).fetchone()
    if has_annotations:
        for (ann_id,) in conn.execute("SELECT id FROM annotations").fetchall():
            index_annotation(conn, ann_id)
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('search_fold_signature', ?)", (fold_signature(),)
    )


# --- keeping the index ---------------------------------------------------------------------------------------


def index_document(conn: sqlite3.Connection, doc_id: int) -> int:
    """(Re)index a document's original segments (inside the caller's transaction); returns rows written."""
    conn.execute("DELETE FROM search_rows WHERE document = ? AND kind = 'original'", (doc_id,))
    row = conn.execute("SELECT text, language FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        return 0
    text, doc_lang = row
    paragraphs = {
        idx: lang
        for idx, lang in conn.execute("SELECT idx, lang FROM paragraphs WHERE document = ?", (doc_id,))
    }
    segments = conn.execute(
        'SELECT idx, paragraph, start, "end" FROM segments WHERE document = ? ORDER BY idx', (doc_id,)
    )
    rows = original_rows(text, segments, paragraphs, doc_lang)
    insert_original_rows(conn, doc_id, rows)
    return len(rows)


def original_rows(
    text: str,
    segments: Iterable[tuple[int, int, int, int]],
    paragraph_langs: Mapping[int, str],
    doc_lang: str,
) -> list[tuple[int, str, str]]:
    """``(segment index, language, folded text)`` for a document's segments ``(index, paragraph, start,
    end)``: the folding work of :func:`index_document`, which an import does before taking the write lock."""
    rows = []
    for idx, paragraph, start, end in segments:
        lang = paragraph_langs.get(paragraph, doc_lang)
        folded = folding.fold(text[start:end], lang)
        if folded.strip():
            rows.append((idx, lang, folded))
    return rows


def insert_original_rows(conn: sqlite3.Connection, doc_id: int, rows: Sequence[tuple[int, str, str]]) -> None:
    """Insert rows from :func:`original_rows` (inside the caller's transaction)."""
    insert_rows(
        conn,
        "search_rows",
        ("kind", "document", "segment", "lang", "folded"),
        [("original", doc_id, idx, lang, folded) for idx, lang, folded in rows],
    )


PENDING_PREFIX = "search_pending:"
"""meta key (+ document id) of a document whose search rows are still being written in chunks."""


INDEXING: set[tuple[str, int]] = set()
"""(library path, document id) of the chunked imports running in this process."""


def _owner_alive(library: DocumentStore, key: str) -> bool:
    row = library.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    try:
        pid = int(str(row[0]).split(":", 1)[0]) if row else 0
    except ValueError:
        return False
    if pid <= 0 or pid == os.getpid():
        return False  # this process: INDEXING knows whether it is still running
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but is not ours to signal
    return True


def finish_pending(library: DocumentStore, path: Path) -> list[int]:
    """Re-index documents whose chunked indexing was interrupted (a crash, a full disk); returns their ids.
    Their text, paragraphs and segments were stored whole in the first transaction; only the index lags."""
    keys = [
        key
        for (key,) in library.conn.execute(
            "SELECT key FROM meta WHERE key >= ? AND key < ?", (PENDING_PREFIX, PENDING_PREFIX[:-1] + ";")
        )
    ]
    done = []
    for key in keys:
        doc_id = int(key[len(PENDING_PREFIX) :])
        if (str(path), doc_id) in INDEXING or _owner_alive(library, key):
            continue  # still being written by its import, in this process or another
        with library.transaction():
            index_document(library.conn, doc_id)
            library.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        done.append(doc_id)
    return done


def drop_translations(conn: sqlite3.Connection, doc_id: int) -> None:
    """Forget a document's indexed translations (its segments changed; inside the caller's transaction)."""
    conn.execute("DELETE FROM search_rows WHERE document = ? AND kind = 'translation'", (doc_id,))


def index_segment_translation(
    conn: sqlite3.Connection, doc_id: int, segment: int, text: str, model_id: str, lang: str = "en"
) -> None:
    """Index one segment's translation, replacing the one indexed before (inside the caller's transaction)."""
    unindex_segment_translation(conn, doc_id, segment)
    text = text.strip()
    folded = folding.fold(text, lang)
    if folded.strip():
        conn.execute(
            "INSERT INTO search_rows (kind, document, segment, model, lang, text, folded)"
            " VALUES ('translation', ?, ?, ?, ?, ?, ?)",
            (doc_id, segment, model_id, lang, text, folded),
        )


def unindex_segment_translation(conn: sqlite3.Connection, doc_id: int, segment: int) -> None:
    conn.execute(
        "DELETE FROM search_rows WHERE document = ? AND kind = 'translation' AND segment = ?",
        (doc_id, segment),
    )


def index_translations(
    library: DocumentStore, doc_id: int, translations: Mapping[int, str], model_id: str, lang: str = "en"
) -> int:
    """Index (or re-index) cached translations of a document's segments: ``{segment index: translation}``.

    Call it after translating (the UI after a document's translation finishes, the CLI after ``translate``).
    A segment keeps one indexed translation: a newer one (any model) replaces it, except that a segment with a
    human correction keeps its corrected text indexed. One transaction."""
    doc = library.get(doc_id)
    valid = {s.index for s in library.segments(doc.id)}
    corrected = {
        int(row[0])
        for row in library.conn.execute(
            "SELECT segment FROM corrections WHERE document = ? AND target_lang = ? AND orphaned = 0",
            (doc.id, lang),
        )
    }
    valid -= corrected
    rows = []
    for idx, text in translations.items():
        if int(idx) not in valid or text is None:
            continue
        text = str(text).strip()
        rows.append((doc.id, int(idx), model_id, lang, text, folding.fold(text, lang)))
    with library.transaction():
        conn = library.conn
        conn.executemany(
            "DELETE FROM search_rows WHERE document = ? AND kind = 'translation' AND segment = ?",
            [(r[0], r[1]) for r in rows],
        )
        insert_rows(
            conn, "search_rows", _TRANSLATION_COLUMNS, (("translation", *r) for r in rows if r[5].strip())
        )
    return len(rows)


def indexed_translations(
    library: DocumentStore, doc_id: int, lang: str = "en"
) -> tuple[str, dict[int, str]] | None:
    """The translations last indexed for a document: ``(model id, {segment index: text})`` (most common model)."""
    rows = library.conn.execute(
        "SELECT segment, model, text FROM search_rows WHERE document = ? AND kind = 'translation' AND lang = ?",
        (doc_id, lang),
    ).fetchall()
    if not rows:
        return None
    models: dict[str, int] = {}
    for _, model, _ in rows:
        models[model] = models.get(model, 0) + 1
    model_id = max(models, key=lambda m: models[m])
    return model_id, {int(seg): text for seg, model, text in rows if model == model_id}


def index_annotation(conn: sqlite3.Connection, ann_id: int) -> None:
    """(Re)index an annotation's note and tags (inside the caller's transaction)."""
    conn.execute("DELETE FROM search_rows WHERE annotation = ?", (ann_id,))
    row = conn.execute("SELECT document, note, tags FROM annotations WHERE id = ?", (ann_id,)).fetchone()
    if row is None:
        return
    doc_id, note, tags = row
    text = "\n".join([note, *json.loads(tags or "[]")]).strip()
    if not text:
        return
    conn.execute(
        "INSERT INTO search_rows (kind, document, annotation, text, folded) VALUES ('note', ?, ?, ?, ?)",
        (doc_id, ann_id, text, folding.fold(text)),
    )


def unindex_annotation(conn: sqlite3.Connection, ann_id: int) -> None:
    conn.execute("DELETE FROM search_rows WHERE annotation = ?", (ann_id,))


def rebuild(library: DocumentStore) -> None:
    """Rebuild the whole index from the library (folding rules changed, or the index looks wrong)."""
    with library.transaction():
        translations = library.conn.execute(
            "SELECT document, segment, model, lang, text FROM search_rows WHERE kind = 'translation'"
        ).fetchall()
        library.conn.execute("DELETE FROM search_rows")
        library.conn.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        index_all(library.conn)
        insert_rows(
            library.conn,
            "search_rows",
            _TRANSLATION_COLUMNS,
            (("translation", d, s, m, lg, t, folding.fold(t, lg)) for d, s, m, lg, t in translations),
        )


def ensure_current(library: DocumentStore) -> None:
    """Rebuild the index if it was folded with other rules than today's (not on a read-only library: its
    index is searched as it is)."""
    if getattr(library, "read_only", None) is not None:
        return
    row = library.conn.execute("SELECT value FROM meta WHERE key = 'search_fold_signature'").fetchone()
    if row is None or row[0] != fold_signature():
        rebuild(library)


# --- querying ------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def query_tokens(query: str) -> list[list[str]]:
    """The query's folded tokens, once per folding variant (generic and Turkish casing), duplicates removed."""
    variants: list[list[str]] = []
    for lang in (None, "tr"):
        tokens = _TOKEN.findall(folding.fold(query, lang))
        if tokens and tokens not in variants:
            variants.append(tokens)
    return variants


def fts_query(variants: Iterable[list[str]]) -> str:
    """FTS5 syntax: every token must occur (as a word prefix when 2+ letters long); variants are OR-ed."""
    parts = []
    for tokens in variants:
        terms = [f'"{t}"*' if len(t) > 1 else f'"{t}"' for t in tokens]
        parts.append("(" + " AND ".join(terms) + ")")
    return " OR ".join(parts)


def search(
    library: DocumentStore,
    query: str,
    *,
    limit: int = 50,
    document: int | None = None,
    kinds: Iterable[str] | None = None,
) -> list[SearchHit]:
    """Best-ranked (BM25) rows matching every word of ``query`` (word prefixes; letter variants folded).

    When more than :data:`RANK_LIMIT` rows match, the newest rows come first instead of the best ranked."""
    variants = query_tokens(query)
    if not variants:
        raise SearchError("Type a word to search for.")
    match = fts_query(variants)
    columns = "r.id, r.kind, r.document, r.segment, r.annotation, r.model, r.lang, r.text"
    filters = ""
    filter_args: list[object] = []
    if document is not None:
        filters += " AND r.document = ?"
        filter_args.append(int(document))
    if kinds is not None:
        kind_list = [k for k in kinds if k in KINDS]
        filters += f" AND r.kind IN ({','.join('?' * len(kind_list))})"
        filter_args.extend(kind_list)
    conn = library.conn
    try:
        # BM25 ranking costs time in proportion to the number of matches. Past RANK_LIMIT matches (a word in
        # nearly every sentence) ranking adds little, so those results come newest first, read lazily from the
        # index in descending rowid order: bounded time however common the word.
        capped = conn.execute(
            "SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ?)",
            (match, RANK_LIMIT + 1),
        ).fetchone()[0]
        if capped <= RANK_LIMIT:
            rows = conn.execute(
                f"SELECT {columns} FROM search_fts JOIN search_rows r ON r.id = search_fts.rowid"
                f" WHERE search_fts MATCH ?{filters} ORDER BY search_fts.rank LIMIT ?",
                [match, *filter_args, int(limit)],
            ).fetchall()
        else:
            rows = []
            cursor = conn.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC", (match,)
            )
            while len(rows) < limit:
                batch = [rowid for (rowid,) in cursor.fetchmany(max(limit, 200))]
                if not batch:
                    break
                rows += conn.execute(
                    f"SELECT {columns} FROM search_rows r WHERE r.id IN ({','.join('?' * len(batch))})"
                    f"{filters} ORDER BY r.id DESC",
                    [*batch, *filter_args],
                ).fetchall()
            rows = rows[:limit]
    except sqlite3.OperationalError as exc:
        raise SearchError(f"The search could not be run ({exc}).") from exc
    titles: dict[int, tuple[str, str]] = {}
    hits: list[SearchHit] = []
    for _rid, kind, doc_id, segment, annotation, model, lang, stored in rows:
        if doc_id not in titles:
            titles[doc_id] = conn.execute(
                "SELECT title, language FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
        title, _doc_lang = titles[doc_id]
        base = 0
        if kind == "original":
            seg = conn.execute(
                'SELECT start, "end", substr(d.text, start + 1, "end" - start) FROM segments'
                " JOIN documents d ON d.id = segments.document WHERE document = ? AND idx = ?",
                (doc_id, segment),
            ).fetchone()
            base, _, text = seg
        else:
            text = stored
        ranges = find_matches(text, variants, lang if kind != "note" else None)
        snippet, marks = make_snippet(text, ranges)
        first = ranges[0] if ranges else (0, 0)
        hits.append(
            SearchHit(
                kind,
                doc_id,
                title,
                segment,
                annotation,
                model,
                base + first[0],
                base + first[1],
                snippet,
                marks,
            )
        )
    return hits


def find_matches(text: str, variants: Iterable[list[str]], lang: str | None) -> list[tuple[int, int]]:
    """Where the query's tokens occur in ``text`` (word-prefix matches on the folded text, mapped back)."""
    folded, fmap = folding.fold_with_map(text, lang)
    spans: set[tuple[int, int]] = set()
    for tokens in variants:
        for token in tokens:
            tail = r"\w*" if len(token) > 1 else r"(?!\w)"
            for m in re.finditer(r"(?<!\w)" + re.escape(token) + tail, folded):
                start = fmap[m.start()]
                end = fmap[m.end() - 1] + 1
                while end < len(text) and unicodedata.category(text[end]) in ("Mn", "Me"):
                    end += 1  # a vowel mark after the last letter belongs to the word
                spans.add((start, end))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def make_snippet(text: str, ranges: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A short excerpt of ``text`` around the first match, cut at spaces, with the matches' ranges in it.

    Line breaks become spaces one for one, so ranges in ``text`` and in the snippet stay aligned."""
    flat = "".join(" " if ch.isspace() else ch for ch in text)
    if not ranges:
        cut = flat[: SNIPPET_BEFORE + SNIPPET_AFTER]
        return (cut + ("…" if len(flat) > len(cut) else "")), ()
    first_start, first_end = ranges[0]
    lo = max(0, first_start - SNIPPET_BEFORE)
    hi = min(len(flat), first_end + SNIPPET_AFTER)
    if lo > 0:
        space = flat.find(" ", lo, first_start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(flat):
        space = flat.rfind(" ", first_end, hi)
        hi = space if space >= 0 else hi
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(flat) else ""
    snippet = prefix + flat[lo:hi] + suffix
    marks = tuple(
        (len(prefix) + max(s, lo) - lo, len(prefix) + min(e, hi) - lo) for s, e in ranges if s < hi and e > lo
    )
    return snippet, marks


def stats(library: DocumentStore) -> dict[str, int]:
    return {
        kind: library.conn.execute("SELECT count(*) FROM search_rows WHERE kind = ?", (kind,)).fetchone()[0]
        for kind in KINDS
    }
