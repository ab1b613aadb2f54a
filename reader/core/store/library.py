"""library.db: documents and their segments (and, later, annotations).

The library is precious: WAL journal, foreign keys, every write in one transaction, a schema version
(``PRAGMA user_version``) with ordered migrations. The original text of a document is stored exactly as
imported; segments are character ranges into it.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import json
import os
import re
import sqlite3
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader import paths
from reader.core.store import corrections, faults, search
from reader.core.store.annotations import reanchor_document
from reader.core.store.db import (
    LibraryError,
    ParagraphColumns,
    ParagraphRow,
    SegmentColumns,
    SegmentRow,
    Transaction,
    configure,
    connect,
    insert_rows,
    read_columns,
    utils_database,
)
from reader.core.store.faults import LibraryReadOnly
from reader.core.store.schema import SCHEMA_VERSION, migrate, refuse_newer_schema
from reader.display import path_text
from reader.languages import direction_of_language, normalize_language_code

if TYPE_CHECKING:
    import sqlite_utils

    from reader.core import importing


# importing (charset detection, jusText, lxml), language (the langid model), segmenting and sqlite-utils are
# imported where they are used: reading a document needs none of them, and the window opens faster without.

TITLE_MAX = 160

INDEX_CHUNK_ROWS = 20_000
"""Search rows an import writes in its first transaction; a longer document's rest follows in chunks."""
INDEX_CHUNK_SECONDS = 0.5
INDEX_BATCH_ROWS = 2000
INDEX_CHUNK_PAUSE = 0.15


class DocumentNotFound(LibraryError):
    pass


class LibraryUnreadable(LibraryError):
    """``library.db`` exists but is not a usable SQLite library (empty, truncated, another kind of file,
    damaged). The file is left exactly as it is: only a missing file means "a new library"."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


_SQLITE_HEADER = b"SQLite format 3\x00"


def refuse_unreadable_file(path: Path) -> None:
    """Raise :class:`LibraryUnreadable` if ``path`` exists but cannot be a library: not a regular file, empty
    (SQLite would silently start a new database in it), not SQLite, or shorter than its header says."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise LibraryUnreadable(
                f"The library path {path} is not a regular file; it was left untouched.", path
            )
        if info.st_size and any(path.with_name(path.name + c).exists() for c in ("-wal", "-shm")):
            # Open in WAL mode (maybe by this very process): closing a descriptor of the file would drop every
            # POSIX lock this process's SQLite connections hold on it, so its header is left to SQLite.
            return
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise LibraryError(f"The library file {path} cannot be read ({exc.strerror or exc}).") from exc
    if info.st_size == 0:
        reason = "it is empty (0 bytes)"
    elif not header.startswith(_SQLITE_HEADER):
        reason = "it is not an SQLite database"
    elif len(header) < 100:
        reason = f"it is truncated ({info.st_size} bytes)"
    else:
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(header[28:32], "big")
        header_valid = header[24:28] == header[92:96]  # the in-header size is valid for this change counter
        wal = path.with_name(path.name + "-wal")
        wal_pending = wal.exists() and wal.stat().st_size > 0  # pages may still live in the WAL
        if header_valid and not wal_pending and pages and info.st_size < pages * page_size:
            reason = f"it is truncated ({info.st_size} of {pages * page_size} bytes)"
        else:
            return
    raise LibraryUnreadable(
        f"The library file {path} is damaged: {reason}; it was left untouched and no new library was started "
        "in its place.",
        path,
    )


def read_only_reason(path: Path) -> str | None:
    """Why an existing library cannot be written, or None: a read-only file system (a mounted archive, a locked
    USB stick), a read-only file, or a folder where SQLite cannot create its ``-wal``/``-shm`` files."""
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "it is on a read-only medium"
    except OSError:
        pass
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(folder, os.W_OK):
        return "its folder is read-only"
    return None


def _is_storage_fault(exc: sqlite3.Error) -> bool:
    """An error of the disk or of another process (full, locked, I/O, read-only), not of the file's content."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY"))


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    title: str
    lang: str
    direction: str
    segments: int
    source: str
    imported_at: str


@dataclass(frozen=True)
class DocumentEntry:
    """A document as a list shows it (the window's library list): no counts, nothing read per document."""

    id: int
    title: str
    lang: str
    direction: str


@dataclass(frozen=True)
class Document:
    id: int
    title: str
    source: str
    sha256: str
    lang: str
    direction: str
    imported_at: str
    text: str
    encoding: str
    format: str
    warnings: tuple[str, ...] = ()
    pages: int | None = None  # page count of a PDF

    def summary(self, segments: int) -> DocumentSummary:
        return DocumentSummary(
            self.id, self.title, self.lang, self.direction, segments, self.source, self.imported_at
        )


@dataclass
class ImportResult:
    document: Document
    created: bool
    paragraphs: int
    segments: int
    warnings: list[str] = field(default_factory=list)
    updated: bool = False  # same source path, changed content: the document was updated in place


_ARABIC_LETTER = r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]"
# A hyphen glued between two Arabic-script words joins a headline and its byline ("…أرمينيا-الممثل…"):
# Arabic script writes no hyphenated compounds, so the glue marks where the headline ends.
_ARABIC_HYPHEN_JOIN = re.compile(_ARABIC_LETTER + r"[-\u2010-\u2014]" + _ARABIC_LETTER)
_TITLE_EDGE = re.compile(r"^[\s\-\u2010-\u2014:|]+|[\s\-\u2010-\u2014:|]+$")


def title_from_text(text: str) -> str:
    """The headline: the first line of two or more words (a one-word label above it — a web page's section
    name — is skipped), without a byline glued on by a hyphen, shortened at a word boundary."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return "Untitled"
    line = next((candidate for candidate in lines[:3] if len(candidate.split()) >= 2), lines[0])
    joint = _ARABIC_HYPHEN_JOIN.search(line)
    if joint and len(line[: joint.start() + 1].split()) >= 3:
        line = line[: joint.start() + 1]
    line = _TITLE_EDGE.sub("", line) or line
    if len(line) <= TITLE_MAX:
        return line
    return line[:TITLE_MAX].rsplit(" ", 1)[0] + "…"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Structure:
    """A text's paragraphs (with their languages) and sentences, as stored in ``paragraphs``/``segments``."""

    paragraphs: list[tuple[int, int]]
    languages: list[str]
    segments: list[Any]
    pages: list[int | None]
    blocks: list[BlockMark | None]

    @classmethod
    def of(
        cls,
        text: str,
        doc_lang: str,
        *,
        detect_paragraphs: bool,
        page_starts: Sequence[tuple[int, int]] = (),
        blocks: Sequence[importing.Block] = (),
    ) -> _Structure:
        from reader.core.text import language, segmenting

        spans = segmenting.split_paragraphs(text)
        langs = (
            language.paragraph_languages(text, spans, doc_lang)
            if detect_paragraphs
            else [doc_lang] * len(spans)
        )
        return cls(
            spans,
            langs,
            segmenting.segment(text, doc_lang, spans),
            _paragraph_pages(spans, page_starts),
            paragraph_blocks(text, spans, blocks),
        )

    @property
    def counts(self) -> tuple[int, int]:
        return len(self.paragraphs), len(self.segments)


@dataclass(frozen=True)
class BlockMark:
    """What a structured file says a stored paragraph is (``paragraphs.kind``/``level``/``direction``)."""

    kind: str
    level: int | None
    direction: str | None


def paragraph_blocks(
    text: str, spans: Sequence[tuple[int, int]], blocks: Sequence[importing.Block]
) -> list[BlockMark | None]:
    """What the importer's block says each stored paragraph is (kind, heading level, declared direction).

    ``text`` is the blocks joined by a blank line, so every paragraph lies inside exactly one block (the library
    splits at blank lines; a block holding a blank line of its own gives several paragraphs, all of its kind).
    Without blocks, or when they do not spell ``text`` exactly, nothing is known: all None."""
    if not blocks or "\n\n".join(block.text for block in blocks) != text:
        return [None] * len(spans)
    starts: list[int] = []
    offset = 0
    for block in blocks:
        starts.append(offset)
        offset += len(block.text) + 2
    out: list[BlockMark | None] = []
    for start, _end in spans:
        block = blocks[max(bisect.bisect_right(starts, start) - 1, 0)]
        level = max(block.level, 1) if block.kind == "heading" else None
        direction = block.direction if block.direction in ("ltr", "rtl") else None
        out.append(BlockMark(block.kind, level, direction))
    return out


def _paragraph_pages(
    spans: Sequence[tuple[int, int]], page_starts: Sequence[tuple[int, int]]
) -> list[int | None]:
    """The page each paragraph starts on: that of the last page start at or before it (None without pages)."""
    if not page_starts:
        return [None] * len(spans)
    offsets = [offset for offset, _ in page_starts]
    out: list[int | None] = []
    for start, _end in spans:
        k = bisect.bisect_right(offsets, start) - 1
        out.append(page_starts[max(k, 0)][1])
    return out


class Library:
    """The user's library. One instance per thread (SQLite connections are not shared across threads)."""

    def __init__(self, path: str | Path | None = None, *, seed: bool = True) -> None:
        self.path = Path(path) if path is not None else paths.library_db()
        self.read_only: str | None = None
        """Why the library cannot be written (a read-only medium or file), or None when it can."""
        if not self.path.exists():
            self._create_new()
        refuse_unreadable_file(self.path)  # never let SQLite turn a damaged file into a new library
        self.read_only = read_only_reason(self.path)
        if self.read_only is not None:
            self.conn = self._open_read_only()
        else:
            self.conn = self._open_writable()
        self._owner = threading.get_ident()
        # Page columns (migration 4) are read and written only where the file has them, so that code running on
        # a library of an older schema (tests simulate one) never names them.
        self._paged = "pages" in {row[1] for row in self.conn.execute("PRAGMA table_info(documents)")}
        # Likewise the block columns (migration 5): kind, level and declared direction of each paragraph.
        self._marked = "kind" in {row[1] for row in self.conn.execute("PRAGMA table_info(paragraphs)")}
        if self.read_only is None:
            search.finish_pending(self, self.path)  # an import interrupted while indexing in chunks
        if seed and self.read_only is None and self._meta("seeds_imported") is None:
            self.import_seeds()

    def _create_new(self) -> None:
        """A missing file means a new library: built under a temporary name and linked into place only if no
        other process got there first, so ``library.db`` never exists half-made (as an empty file that a
        concurrent start would rightly refuse)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=".library-new-", suffix=".db", dir=self.path.parent)
            os.close(handle)
        except OSError as exc:
            raise LibraryError(f"Cannot create the library at {self.path}: {exc.strerror or exc}.") from exc
        temp = Path(name)
        try:
            conn = connect(temp)
            try:
                configure(conn)
                migrate(conn)
            finally:
                conn.close()
            try:
                os.link(temp, self.path)  # fails if another process created the library meanwhile
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not self.path.exists():
                    os.replace(temp, self.path)
        except sqlite3.Error as exc:
            raise faults.fault(exc, self.path) from exc
        except OSError as exc:
            raise LibraryError(f"Cannot create the library at {self.path}: {exc.strerror or exc}.") from exc
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    os.unlink(f"{temp}{suffix}")

    def _open_writable(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect(self.path)
        except OSError as exc:
            raise LibraryError(f"Cannot open the library at {self.path}: {exc.strerror or exc}.") from exc
        except sqlite3.Error as exc:
            raise faults.fault(exc, self.path) from exc
        try:
            refuse_newer_schema(conn)  # before WAL is switched on: that would rewrite the file header
            configure(conn)
            migrate(conn)
        except LibraryError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _is_storage_fault(exc):
                raise faults.fault(exc, self.path) from exc
            raise LibraryUnreadable(
                f"The library file {self.path} is damaged or is not a Yanyana library ({exc}); "
                "it was left untouched.",
                self.path,
            ) from exc
        return conn

    def _open_read_only(self) -> sqlite3.Connection:
        """Open without writing anything: ``mode=ro``, or ``immutable=1`` when SQLite cannot even create the
        shared-memory file a WAL library needs (a read-only medium, where nobody else can change it either)."""
        uri = self.path.resolve().as_uri()
        last: sqlite3.Error | None = None
        for query in ("mode=ro", "mode=ro&immutable=1"):
            conn: sqlite3.Connection | None = None
            try:
                conn = sqlite3.connect(f"{uri}?{query}", uri=True, isolation_level=None, timeout=10)
                version = refuse_newer_schema(conn)
                conn.execute("SELECT count(*) FROM documents").fetchone()
            except LibraryError:
                if conn is not None:
                    conn.close()
                raise
            except sqlite3.Error as exc:
                if conn is not None:
                    conn.close()
                last = exc
                continue
            if version < SCHEMA_VERSION:
                conn.close()
                raise LibraryReadOnly(
                    f"The library at {self.path} is read-only ({self.read_only}) and was written by an older "
                    "Yanyana; copy it to a writable folder once so that it can be brought up to date."
                )
            conn.execute("PRAGMA foreign_keys=ON")
            return conn
        assert last is not None
        if _is_storage_fault(last):
            raise faults.fault(last, self.path) from last
        raise LibraryUnreadable(
            f"The library file {self.path} is damaged or is not a Yanyana library ({last}); "
            "it was left untouched.",
            self.path,
        ) from last

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The same connection through sqlite-utils, for introspection and scripting (``lib.db["documents"]``).
        Writes belong in ``with library.transaction():`` (sqlite-utils' helpers then use savepoints inside it)."""
        return utils_database(self.conn)

    # --- helpers -------------------------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def transaction(self) -> Transaction:
        """``with library.transaction(): …`` — one write transaction on this library's connection. Storage
        errors (full disk, lock held elsewhere, read-only file) become one :class:`~faults.StorageFault`
        sentence after the rollback; a read-only library refuses with :class:`~faults.LibraryReadOnly`."""
        return faults.guarded(self.conn, self.path, self.read_only)

    # --- importing -----------------------------------------------------------------------------------------

    def import_file(
        self, path: str | Path, lang: str | None = None, progress: importing.ProgressHook | None = None
    ) -> ImportResult:
        """Import a file; ``progress(done, total)`` follows a PDF page by page, and returning ``False`` from
        it stops the import (``ImportCancelled``) before anything is stored."""
        from reader.core import importing

        path = Path(path)
        imported = importing.import_file(path, progress)
        return self.import_text(imported, source=path_text(path.resolve()), lang=lang)

    def import_text(
        self, imported: importing.ImportedText, source: str, lang: str | None = None
    ) -> ImportResult:
        from reader.core import importing
        from reader.core.text import language

        text = imported.text
        warnings = list(imported.warnings)
        if lang is not None:
            lang = normalize_language_code(lang)
        digest = content_hash(text)
        existing = self.conn.execute("SELECT id FROM documents WHERE sha256 = ?", (digest,)).fetchone()
        if existing:
            return self._already_present(int(existing[0]), warnings)
        if Path(source).is_absolute():
            previous = self.conn.execute(
                "SELECT id FROM documents WHERE source = ? ORDER BY id DESC LIMIT 1", (source,)
            ).fetchone()
            if previous:
                return self._update_in_place(previous[0], imported, digest, lang, warnings)

        # The language a file declares (an e-book's metadata) only stands in when the text gives none.
        doc_lang = lang or language.detect_language(text) or imported.language
        if doc_lang is None:
            raise importing.ImportRefused(f"{Path(source).name} contains no words to read.")
        direction = direction_of_language(doc_lang)
        structure = _Structure.of(
            text,
            doc_lang,
            detect_paragraphs=not lang,
            page_starts=imported.page_starts,
            blocks=imported.blocks,
        )
        title = imported.title or title_from_text(text)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = search.original_rows(
            text,
            ((seg.index, seg.paragraph, seg.start, seg.end) for seg in structure.segments),
            dict(enumerate(structure.languages)),
            doc_lang,
        )  # folded before the write lock is taken
        first, rest = rows[:INDEX_CHUNK_ROWS], rows[INDEX_CHUNK_ROWS:]
        with self.transaction():
            # Checked again under the write lock: another process may have stored the same text meanwhile.
            raced = self.conn.execute("SELECT id FROM documents WHERE sha256 = ?", (digest,)).fetchone()
            if raced is None:
                cur = self.conn.execute(
                    "INSERT INTO documents (title, source, sha256, language, direction, imported_at, text,"
                    " encoding, format, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        title, source, digest, doc_lang, direction, now, text, imported.encoding,
                        imported.format, json.dumps(warnings, ensure_ascii=False),
                    ),
                )  # fmt: skip
                doc_id = int(cur.lastrowid or 0)
                self._write_pages(doc_id, imported.pages)
                self._write_structure(doc_id, structure)
                search.insert_original_rows(self.conn, doc_id, first)
                if rest:  # a long document: the rest of its index follows in chunks (see _index_in_chunks)
                    self.conn.execute(
                        "INSERT INTO meta (key, value) VALUES (?, ?)",
                        (f"{search.PENDING_PREFIX}{doc_id}", f"{os.getpid()}:{now}"),
                    )
        if raced is not None:
            return self._already_present(int(raced[0]), warnings)
        if rest:
            self._index_in_chunks(doc_id, rest)
        return ImportResult(self.get(doc_id), True, *structure.counts, warnings)

    def _index_in_chunks(self, doc_id: int, rows: Sequence[tuple[int, str, str]]) -> None:
        """Write a long document's remaining search rows in transactions of about half a second, pausing
        between them so that another writer (a note being saved in the window) gets the lock within a second
        or so instead of waiting out the whole import. The document is complete and readable meanwhile; a
        ``search_pending`` mark in ``meta`` makes the next open finish an interrupted index."""
        running = (str(self.path), doc_id)
        search.INDEXING.add(running)
        try:
            self._write_chunks(doc_id, rows)
        finally:
            search.INDEXING.discard(running)

    def _write_chunks(self, doc_id: int, rows: Sequence[tuple[int, str, str]]) -> None:
        position = 0
        while position < len(rows):
            started = time.monotonic()
            with self.transaction():
                while True:  # at least one batch per transaction, then as many as half a second allows
                    search.insert_original_rows(
                        self.conn, doc_id, rows[position : position + INDEX_BATCH_ROWS]
                    )
                    position += INDEX_BATCH_ROWS
                    if position >= len(rows) or time.monotonic() - started >= INDEX_CHUNK_SECONDS:
                        break
                if position >= len(rows):
                    self.conn.execute("DELETE FROM meta WHERE key = ?", (f"{search.PENDING_PREFIX}{doc_id}",))
            if position < len(rows):
                time.sleep(INDEX_CHUNK_PAUSE)  # longer than SQLite's longest busy-handler sleep (100 ms)

    def _already_present(self, doc_id: int, warnings: list[str]) -> ImportResult:
        doc = self.get(doc_id)
        paragraphs, segments = self._counts(doc.id)
        warnings.append(f"Already in the library as document {doc.id} ({doc.title}); not imported again.")
        return ImportResult(doc, False, paragraphs, segments, warnings)

    def _update_in_place(
        self,
        doc_id: int,
        imported: importing.ImportedText,
        digest: str,
        lang: str | None,
        warnings: list[str],
    ) -> ImportResult:
        """A corrected version of a file already imported: new text, segments and sha in one transaction, with
        every annotation re-anchored by quote and context (those not found become orphans, never deleted)."""
        old = self.get(doc_id)
        text = imported.text
        doc_lang = lang or old.lang  # a corrected text keeps its language unless the user says otherwise
        structure = _Structure.of(
            text,
            doc_lang,
            detect_paragraphs=not lang,
            page_starts=imported.page_starts,
            blocks=imported.blocks,
        )
        renamed = old.title != title_from_text(old.text) and not imported.title
        title = old.title if renamed else (imported.title or title_from_text(text))
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction():
            self.conn.execute(
                "UPDATE documents SET title = ?, sha256 = ?, language = ?, direction = ?, imported_at = ?, text = ?,"
                " encoding = ?, format = ?, warnings = ? WHERE id = ?",
                (
                    title, digest, doc_lang, direction_of_language(doc_lang), now, text,
                    imported.encoding, imported.format, json.dumps(warnings, ensure_ascii=False), doc_id,
                ),
            )  # fmt: skip
            self._write_pages(doc_id, imported.pages)
            self.conn.execute("DELETE FROM paragraphs WHERE document = ?", (doc_id,))
            self.conn.execute("DELETE FROM segments WHERE document = ?", (doc_id,))
            self._write_structure(doc_id, structure)
            report = reanchor_document(self.conn, doc_id, text, doc_lang)
            search.index_document(self.conn, doc_id)
            search.drop_translations(self.conn, doc_id)
            fixed = corrections.reanchor_document(self.conn, doc_id, text)
        warnings.append(f"Updated document {doc_id} in place: the file changed since it was imported.")
        warnings.extend(report.warnings())
        warnings.extend(fixed.warnings())
        return ImportResult(self.get(doc_id), False, *structure.counts, warnings, updated=True)

    def _write_pages(self, doc_id: int, pages: int | None) -> None:
        if self._paged:
            self.conn.execute("UPDATE documents SET pages = ? WHERE id = ?", (pages, doc_id))

    def _write_structure(self, doc_id: int, structure: _Structure) -> None:
        """Paragraph and segment rows of a document (inside the caller's transaction)."""
        paged = self._paged and any(page is not None for page in structure.pages)
        marked = self._marked and any(mark is not None for mark in structure.blocks)
        columns: tuple[str, ...] = ("document", "idx", "start", "end", "lang")
        columns += ("page",) if paged else ()
        columns += ("kind", "level", "direction") if marked else ()

        def row(i: int, span: tuple[int, int], lang: str, page: int | None, mark: BlockMark | None) -> tuple:
            out: tuple = (doc_id, i, *span, lang)
            if paged:
                out += (page,)
            if marked:
                out += (mark.kind, mark.level, mark.direction) if mark else (None, None, None)
            return out

        insert_rows(
            self.conn,
            "paragraphs",
            columns,
            (
                row(i, span, lang, page, mark)
                for i, (span, lang, page, mark) in enumerate(
                    zip(
                        structure.paragraphs,
                        structure.languages,
                        structure.pages,
                        structure.blocks,
                        strict=True,
                    )
                )
            ),
        )
        insert_rows(
            self.conn,
            "segments",
            ("document", "idx", "paragraph", "start", "end"),
            ((doc_id, seg.index, seg.paragraph, seg.start, seg.end) for seg in structure.segments),
        )

    def import_seeds(self) -> list[ImportResult]:
        """Import the sample library once per home (a seed the user removes stays removed)."""
        results = []
        seeds = sorted(paths.seeds_dir().glob("*.txt"))
        for seed in seeds:
            results.append(self.import_file(seed))
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('seeds_imported', ?)",
                (datetime.now(UTC).isoformat(timespec="seconds"),),
            )
        return results

    # --- reading -------------------------------------------------------------------------------------------

    def _row_to_document(self, row: sqlite3.Row | tuple) -> Document:
        (doc_id, title, source, sha, lang, direction, imported_at, text, encoding, fmt, warnings, pages) = row
        return Document(
            doc_id, title, source, sha, lang, direction, imported_at, text, encoding, fmt,
            tuple(json.loads(warnings or "[]")), pages,
        )  # fmt: skip

    def get(self, doc_id: int | str) -> Document:
        try:
            key = int(doc_id)
        except (TypeError, ValueError):
            raise DocumentNotFound(f"There is no document {doc_id!r} in the library.") from None
        row = self.conn.execute(
            "SELECT id, title, source, sha256, language, direction, imported_at, text, encoding, format, warnings,"
            f" {'pages' if self._paged else 'NULL'} FROM documents WHERE id = ?",
            (key,),
        ).fetchone()
        if row is None:
            raise DocumentNotFound(f"There is no document {doc_id} in the library.")
        return self._row_to_document(row)

    def _counts(self, doc_id: int) -> tuple[int, int]:
        p = self.conn.execute("SELECT count(*) FROM paragraphs WHERE document = ?", (doc_id,)).fetchone()[0]
        s = self.conn.execute("SELECT count(*) FROM segments WHERE document = ?", (doc_id,)).fetchone()[0]
        return p, s

    def documents(self) -> list[DocumentSummary]:
        rows = self.conn.execute(
            "SELECT d.id, d.title, d.language, d.direction,"
            " (SELECT count(*) FROM segments s WHERE s.document = d.id), d.source, d.imported_at"
            " FROM documents d ORDER BY d.id"
        ).fetchall()
        return [DocumentSummary(*row) for row in rows]

    def content_hashes(self) -> dict[str, int]:
        """SHA-256 of each document's text -> document id (what an annotation file names its documents by)."""
        return {
            str(sha): int(doc_id) for doc_id, sha in self.conn.execute("SELECT id, sha256 FROM documents")
        }

    def entries(self) -> list[DocumentEntry]:
        """Every document's id, title, language and direction, by id: one scan of the documents table, without
        :meth:`documents`' per-document segment count (the window's start-up path)."""
        rows = self.conn.execute(
            "SELECT id, title, language, direction FROM documents ORDER BY id"
        ).fetchall()
        return [DocumentEntry(*row) for row in rows]

    def segments(self, doc_id: int) -> list[SegmentRow]:
        rows = self.conn.execute(
            'SELECT idx, paragraph, start, "end" FROM segments WHERE document = ? ORDER BY idx', (doc_id,)
        ).fetchall()
        return [SegmentRow(*row) for row in rows]

    def paragraphs(self, doc_id: int) -> list[ParagraphRow]:
        rows = self.conn.execute(
            f'SELECT idx, start, "end", lang, {"page" if self._paged else "NULL"},'
            f" {'kind, level, direction' if self._marked else 'NULL, NULL, NULL'} FROM paragraphs"
            " WHERE document = ? ORDER BY idx",
            (doc_id,),
        ).fetchall()
        return [ParagraphRow(*row) for row in rows]

    def segment_columns(self, doc_id: int) -> SegmentColumns:
        """:meth:`segments` as columns of integers (what the reader window reads: no object per segment)."""
        cursor = self.conn.execute(
            'SELECT idx, paragraph, start, "end" FROM segments WHERE document = ? ORDER BY idx', (doc_id,)
        )
        (index, paragraph, start, end), _ = read_columns(cursor, 4)
        return SegmentColumns(index, paragraph, start, end)

    def paragraph_columns(self, doc_id: int) -> ParagraphColumns:
        """:meth:`paragraphs` as columns (strings interned)."""
        cursor = self.conn.execute(
            f'SELECT idx, start, "end", lang, {"page" if self._paged else "NULL"},'
            f" {'kind, level, direction' if self._marked else 'NULL, NULL, NULL'} FROM paragraphs"
            " WHERE document = ? ORDER BY idx",
            (doc_id,),
        )
        (index, start, end), (langs, pages, kinds, levels, directions) = read_columns(cursor, 3, 5)
        interned: dict[str | None, str | None] = {}
        languages: dict[str, str] = {}
        return ParagraphColumns(
            index, start, end, [languages.setdefault(lang, lang) for lang in langs], pages,
            [interned.setdefault(kind, kind) for kind in kinds], levels,
            [interned.setdefault(d, d) for d in directions],
        )  # fmt: skip

    def segment_languages(self, doc_id: int) -> list[str]:
        """The language of each segment's paragraph, in segment order (an English quote in a Persian article
        says "en"): what the translation engine needs to leave target-language sentences as they are."""
        rows = self.conn.execute(
            "SELECT p.lang FROM segments s JOIN paragraphs p ON p.document = s.document AND p.idx = s.paragraph"
            " WHERE s.document = ? ORDER BY s.idx",
            (doc_id,),
        ).fetchall()
        return [row[0] for row in rows]

    def segment_texts(self, doc_id: int) -> list[str]:
        text = self.get(doc_id).text
        return [text[s.start : s.end] for s in self.segments(doc_id)]

    # --- changing ------------------------------------------------------------------------------------------

    def remove(self, doc_id: int | str) -> Document:
        doc = self.get(doc_id)
        with self.transaction():
            self.conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
        return doc

    def set_title(self, doc_id: int, title: str) -> None:
        title = " ".join(title.split())
        if not title:
            raise LibraryError("A title cannot be empty.")
        with self.transaction():
            self.conn.execute("UPDATE documents SET title = ? WHERE id = ?", (title, self.get(doc_id).id))

    # --- health --------------------------------------------------------------------------------------------

    def quick_check(self) -> str:
        return str(self.conn.execute("PRAGMA quick_check").fetchone()[0])

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])


def import_many(
    library: Library,
    sources: Iterable[str | Path],
    lang: str | None = None,
    progress: Callable[[Path, int, int], object] | None = None,
) -> Iterable[tuple[Path, ImportResult | None, str | None]]:
    """Import files one by one; yields (path, result, error sentence) so one bad file never stops the rest.
    A storage fault (read-only library, full disk, lock held elsewhere) is raised instead: every further file
    would fail the same way, so it is one sentence, not one per file.

    Folders are walked for supported files (text, Markdown, HTML, DOCX, ODT, EPUB, MHTML, PDF). ``progress(path,
    done, total)`` follows a PDF page by page (returning ``False`` stops that import: ``ImportCancelled``)."""
    from reader.core import importing

    for path in expand_sources(sources):
        hook = None if progress is None else functools.partial(progress, path)
        try:
            yield path, library.import_file(path, lang=lang, progress=hook), None
        except faults.StorageFault:
            raise
        except (importing.ImportRefused, LibraryError, ValueError) as exc:
            yield path, None, str(exc)


def expand_sources(sources: Iterable[str | Path]) -> Sequence[Path]:
    """Files as given, folders walked for the suffixes Yanyana imports (``importing.SUFFIXES``)."""
    from reader.core.importing import SUFFIXES

    out: list[Path] = []
    for src in sources:
        p = Path(src)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out
