"""Human corrections of machine translations: precious data in ``library.db`` (backed up, never pruned).

A correction belongs to a document's segment and is keyed by (document, segment, target language); it also
stores a hash of the normalised source sentence (NFC, whitespace collapsed — the translation memory's rule), the
source itself, the corrected text, its author and time, and the machine translation it replaced with that
model's id. It lives apart from the disposable translation cache, so a model install, upgrade or removal, or a
cache clear, never touches it. When a changed file is re-imported, each correction is re-anchored by its source
hash (its old index first, else the nearest segment with the same sentence); one whose sentence is gone becomes
an *orphan* (kept, listed, tried again on every later re-import), like orphaned notes. The same sentence in
another document is offered as a suggestion.

Every write is one transaction and keeps the search index in step: a corrected segment's indexed translation is
the corrected text; reverting puts the machine translation back.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from reader.core.store import search
from reader.core.store.db import LibraryError, execute_script

if TYPE_CHECKING:
    from reader.core.store.db import DocumentStore

AUTHOR_ENV = "YANYANA_AUTHOR"
_AUTHOR_META = "author"
HUMAN = "human"
MACHINE = "machine"

_COLUMNS = (
    "id, document, segment, source, target_lang, text, machine, model, author, created, modified, orphaned"
)


class CorrectionError(LibraryError):
    """A correction that cannot be made or reverted; ``str()`` is one sentence."""


@dataclass(frozen=True)
class Correction:
    id: int
    document: int
    segment: int
    source: str
    target_lang: str
    text: str
    machine: str | None
    model: str | None
    author: str
    created: str
    modified: str
    orphaned: bool

    def record(self) -> dict[str, object]:
        """The JSON form (CLI)."""
        return {
            "id": self.id,
            "document": self.document,
            "segment": self.segment,
            "source": self.source,
            "to": self.target_lang,
            "text": self.text,
            "machine": self.machine,
            "model": self.model,
            "author": self.author,
            "created": self.created,
            "modified": self.modified,
            "orphaned": self.orphaned,
        }


def normalise(text: str) -> str:
    """NFC with runs of whitespace collapsed (ZWNJ kept): the key text of a source sentence."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def source_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8", "surrogatepass")).hexdigest()


def migration(conn: sqlite3.Connection) -> None:
    """Schema step (called by :mod:`reader.core.store.schema`): the corrections table. Frozen once released."""
    execute_script(
        conn,
        """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            segment INTEGER NOT NULL,
            source_hash TEXT NOT NULL,
            source TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            text TEXT NOT NULL,
            machine TEXT,
            model TEXT,
            author TEXT NOT NULL,
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            orphaned INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX corrections_segment ON corrections(document, segment, target_lang)
            WHERE orphaned = 0;
        CREATE INDEX corrections_source ON corrections(source_hash, target_lang);
        """,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row(row: tuple[object, ...]) -> Correction:
    (cid, doc, seg, source, lang, text, machine, model, author, created, modified, orphaned) = row
    return Correction(
        int(str(cid)), int(str(doc)), int(str(seg)), str(source), str(lang), str(text),
        None if machine is None else str(machine), None if model is None else str(model),
        str(author), str(created), str(modified), bool(orphaned),
    )  # fmt: skip


def default_author(library: DocumentStore | None = None) -> str:
    """The per-install author name: the one set with :func:`set_author`, else ``YANYANA_AUTHOR``, else the OS
    user name."""
    if library is not None:
        row = library.conn.execute("SELECT value FROM meta WHERE key = ?", (_AUTHOR_META,)).fetchone()
        if row and str(row[0]).strip():
            return str(row[0])
    name = os.environ.get(AUTHOR_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):
        return "unknown"


def set_author(library: DocumentStore, name: str) -> None:
    name = " ".join(name.split())
    if not name:
        raise CorrectionError("An author name cannot be empty.")
    with library.transaction():
        library.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_AUTHOR_META, name))


class Corrections:
    """The corrections of one library (its connection, its thread)."""

    def __init__(self, library: DocumentStore) -> None:
        self.library = library
        self.conn = library.conn

    # --- reading -------------------------------------------------------------------------------------------

    def for_document(self, doc_id: int, target_lang: str = "en") -> dict[int, Correction]:
        """The document's live corrections by segment index."""
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM corrections WHERE document = ? AND target_lang = ? AND orphaned = 0",
            (doc_id, target_lang),
        ).fetchall()
        return {c.segment: c for c in map(_row, rows)}

    def get(self, doc_id: int, segment: int, target_lang: str = "en") -> Correction | None:
        return self.for_document(doc_id, target_lang).get(segment)

    def find(self, doc_id: int | None = None, *, orphaned: bool | None = None) -> list[Correction]:
        clauses, params = [], []
        if doc_id is not None:
            clauses.append("document = ?")
            params.append(doc_id)
        if orphaned is not None:
            clauses.append("orphaned = ?")
            params.append(int(orphaned))
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM corrections {where} ORDER BY document, segment, id", params
        ).fetchall()
        return [_row(r) for r in rows]

    def orphans(self, doc_id: int | None = None) -> list[Correction]:
        return self.find(doc_id, orphaned=True)

    def suggestions(self, doc_id: int, target_lang: str = "en") -> dict[int, Correction]:
        """For the document's segments without a correction of their own: the newest correction of the same
        source sentence in another document ("from your corrections")."""
        others = self.conn.execute(
            "SELECT 1 FROM corrections WHERE target_lang = ? AND document != ? LIMIT 1",
            (target_lang, int(doc_id)),
        ).fetchone()
        if others is None:  # nothing to suggest: no hashing of every sentence (2.6 s for a 48 MB article)
            return {}
        doc = self.library.get(doc_id)
        own = self.for_document(doc.id, target_lang)
        wanted: dict[str, list[int]] = {}
        for seg in self.library.segments(doc.id):
            if seg.index not in own:
                wanted.setdefault(source_hash(doc.text[seg.start : seg.end]), []).append(seg.index)
        found: dict[int, Correction] = {}
        hashes = list(wanted)
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            rows = self.conn.execute(
                f"SELECT source_hash, {_COLUMNS} FROM corrections WHERE target_lang = ? AND document != ?"
                f" AND source_hash IN ({','.join('?' * len(chunk))}) ORDER BY modified, id",
                (target_lang, doc.id, *chunk),
            ).fetchall()
            for row in rows:  # oldest first: the newest one wins
                for index in wanted[str(row[0])]:
                    found[index] = _row(row[1:])
        return found

    # --- changing ------------------------------------------------------------------------------------------

    def set(
        self,
        doc_id: int | str,
        segment: int,
        text: str,
        *,
        target_lang: str = "en",
        machine: str | None = None,
        model: str | None = None,
        author: str | None = None,
    ) -> Correction:
        """Store (or replace) the human translation of one segment; one transaction, search index included.

        ``machine`` is the machine translation being replaced (kept when a correction is edited again)."""
        doc = self.library.get(doc_id)
        text = text.strip()
        if not text:
            raise CorrectionError(
                "A correction cannot be empty; use --revert to go back to the machine translation."
            )
        segments = {s.index: s for s in self.library.segments(doc.id)}
        seg = segments.get(segment)
        if seg is None:
            raise CorrectionError(
                f"Document {doc.id} has no sentence {segment} (it has {len(segments)}, numbered from 0)."
            )
        source = doc.text[seg.start : seg.end]
        who = " ".join((author or default_author(self.library)).split()) or "unknown"
        now = _now()
        with self.library.transaction():
            previous = self.get(doc.id, segment, target_lang)
            if previous is not None:
                self.conn.execute(
                    "UPDATE corrections SET text = ?, author = ?, modified = ?, source = ?, source_hash = ?"
                    " WHERE id = ?",
                    (text, who, now, source, source_hash(source), previous.id),
                )
                cid = previous.id
            else:
                cur = self.conn.execute(
                    "INSERT INTO corrections (document, segment, source_hash, source, target_lang, text,"
                    " machine, model, author, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc.id, segment, source_hash(source), source, target_lang, text, machine, model, who, now,
                     now),
                )  # fmt: skip
                cid = int(cur.lastrowid or 0)
            search.index_segment_translation(self.conn, doc.id, segment, text, model or HUMAN, target_lang)
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM corrections WHERE id = ?", (cid,)).fetchone()
        return _row(row)

    def revert(self, doc_id: int | str, segment: int, target_lang: str = "en") -> Correction:
        """Remove a segment's correction (back to the machine translation); returns what was removed."""
        doc = self.library.get(doc_id)
        with self.library.transaction():
            found = self.get(doc.id, segment, target_lang)
            if found is None:
                raise CorrectionError(f"Sentence {segment} of document {doc.id} has no correction to revert.")
            self.conn.execute("DELETE FROM corrections WHERE id = ?", (found.id,))
            if found.machine:
                search.index_segment_translation(
                    self.conn, doc.id, segment, found.machine, found.model or MACHINE, target_lang
                )
            else:
                search.unindex_segment_translation(self.conn, doc.id, segment)
        return found

    def add_from_memory(
        self, source: str, text: str, target_lang: str, *, author: str | None = None
    ) -> list[Correction]:
        """A human translation unit from a TMX: a correction for every segment in the library with this
        source sentence (and no correction yet). Returns those made (none when the sentence is not here)."""
        wanted = source_hash(source)
        made: list[Correction] = []
        doc_ids = [int(row[0]) for row in self.conn.execute("SELECT id FROM documents ORDER BY id")]
        for doc_id in doc_ids:
            full = self.library.get(doc_id)
            own = self.for_document(doc_id, target_lang)
            for seg in self.library.segments(doc_id):
                if seg.index not in own and source_hash(full.text[seg.start : seg.end]) == wanted:
                    made.append(self.set(doc_id, seg.index, text, target_lang=target_lang, author=author))
        return made


@dataclass(frozen=True)
class ReanchorReport:
    kept: int
    moved: int
    orphaned: int
    restored: int

    def warnings(self) -> list[str]:
        if not self.orphaned:
            return []
        return [
            f"{self.orphaned} translation correction(s) lost their sentence and are kept as orphans "
            "(`yanyana corrections DOC --orphans`)."
        ]


def reanchor_document(conn: sqlite3.Connection, doc_id: int, text: str) -> ReanchorReport:
    """After a document's text and segments changed (inside the caller's transaction): move each correction
    to the segment holding its source sentence (its old index first, else the nearest), orphan the rest, and
    re-index the live ones for search."""
    hashes: dict[int, str] = {
        int(idx): source_hash(text[int(start) : int(end)])
        for idx, start, end in conn.execute(
            'SELECT idx, start, "end" FROM segments WHERE document = ?', (doc_id,)
        )
    }
    rows = [
        (_row(tuple(r)), str(h))
        for *r, h in conn.execute(
            f"SELECT {_COLUMNS}, source_hash FROM corrections WHERE document = ? ORDER BY orphaned, modified DESC",
            (doc_id,),
        )
    ]
    taken: set[tuple[int, str]] = set()
    kept = moved = orphaned = restored = 0
    placed: list[tuple[Correction, int]] = []
    for corr, wanted in rows:
        candidates = [i for i, h in hashes.items() if h == wanted and (i, corr.target_lang) not in taken]
        if not candidates:
            conn.execute("UPDATE corrections SET orphaned = 1 WHERE id = ?", (corr.id,))
            orphaned += 1
            continue
        target = min(candidates, key=lambda i: (abs(i - corr.segment), i))
        taken.add((target, corr.target_lang))
        placed.append((corr, target))
        if corr.orphaned:
            restored += 1
        elif target == corr.segment:
            kept += 1
        else:
            moved += 1
    # two passes so the unique (document, segment, lang) index never sees a transient duplicate
    for corr, _ in placed:
        conn.execute("UPDATE corrections SET orphaned = 1 WHERE id = ?", (corr.id,))
    for corr, target in placed:
        conn.execute("UPDATE corrections SET segment = ?, orphaned = 0 WHERE id = ?", (target, corr.id))
        search.index_segment_translation(
            conn, doc_id, target, corr.text, corr.model or HUMAN, corr.target_lang
        )
    return ReanchorReport(kept, moved, orphaned, restored)


def overlay(
    corrections: Iterable[Correction], translations: dict[int, str]
) -> tuple[dict[int, str], frozenset[int]]:
    """``translations`` with the corrected segments replaced; and the set of corrected indices."""
    merged = dict(translations)
    human: set[int] = set()
    for corr in corrections:
        merged[corr.segment] = corr.text
        human.add(corr.segment)
    return merged, frozenset(human)
