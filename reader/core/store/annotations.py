"""Highlights and notes: storage in library.db, W3C-style selectors, re-anchoring and segment coverage.

An annotation is anchored the way the W3C Web Annotation Data Model anchors text:

* a **TextPositionSelector** — ``start``/``end`` character offsets (code points) into the stored original text of
  the document, or, for a highlight made in the translation pane, into the document's *translation text* for the
  model that produced it (``model`` is stored with the annotation; see :class:`TranslationText` for the exact
  definition of that text);
* a **TextQuoteSelector** — the ``exact`` text with up to :data:`CONTEXT_LEN` characters of ``prefix`` and
  ``suffix``.

The position is a fast hint; the quote is the truth. When the text changes (a corrected version of a document is
imported again) every annotation is looked up again by :func:`locate`: exact quote first, then the quote with letter
variants folded (:mod:`reader.core.text.folding`), then an approximate match that tolerates small edits (bit-parallel edit
distance, Myers 1999). Annotations that cannot be found become *orphans*: flagged, listed, never deleted.

Every change is its own committed transaction, so whatever a call returned is on disk.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from reader.core.store import search
from reader.core.text import folding
from reader.core.text.anchoring import TextQuote, locate, quote_at
from reader.errors import YanyanaError

if TYPE_CHECKING:
    from reader.core.store.db import DocumentStore, SegmentRow

SIDES = ("original", "translation")

#: The eight highlight colours: name -> (highlight colour, lighter shade for the paired sentence on the other side).
COLORS: dict[str, tuple[str, str]] = {
    "yellow": ("#FFE066", "#FFF6CC"),
    "green": ("#8CE99A", "#E3F9E5"),
    "blue": ("#74C0FC", "#E1F1FE"),
    "pink": ("#FAA2C1", "#FDE5EE"),
    "purple": ("#B197FC", "#EDE7FE"),
    "orange": ("#FFC078", "#FFEEDB"),
    "red": ("#FF8787", "#FFE3E3"),
    "grey": ("#CED4DA", "#F1F3F5"),
}
DEFAULT_COLOR = "yellow"
COLOR_ALIASES = {"gray": "grey"}
TAG_MAX = 64
NOTE_MAX = 100_000


class AnnotationError(YanyanaError):
    """A mistake the user can fix (bad range, unknown colour, …); ``str()`` is one sentence."""


class AnnotationNotFound(AnnotationError):
    pass


def now_utc() -> str:
    """``xsd:dateTime`` in UTC with a ``Z``, as the W3C model requires for created/modified."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- value types -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Annotation:
    id: int
    uuid: str
    document: int
    side: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    color: str
    note: str
    tags: tuple[str, ...]
    model: str | None
    target_lang: str | None
    orphaned: bool
    created: str
    modified: str

    @property
    def quote(self) -> TextQuote:
        return TextQuote(self.exact, self.prefix, self.suffix)


@dataclass(frozen=True)
class TranslationText:
    """The translation text of a document for one model, which translation-side offsets point into.

    Definition: the translations of the document's segments in segment order; segments of the same paragraph are
    joined with one space, paragraphs with ``"\\n\\n"``. A segment without a translation contributes nothing (and
    a paragraph without any translated segment is skipped), so offsets are only stable once the document is fully
    translated — which is why the quote, not the position, is authoritative on this side too.
    ``spans`` gives each translated segment's ``(start, end)`` in :attr:`text`.
    """

    model_id: str
    lang: str
    text: str
    spans: Mapping[int, tuple[int, int]]
    segments: Mapping[int, str] = field(default_factory=dict)
    human: frozenset[int] = frozenset()  # segments whose text is a human correction

    @classmethod
    def build(
        cls,
        segments: Sequence[SegmentRow],
        translations: Mapping[int, str],
        model_id: str,
        lang: str = "en",
        human: Iterable[int] = (),
    ) -> TranslationText:
        parts: list[str] = []
        spans: dict[int, tuple[int, int]] = {}
        pos = 0
        paragraph: int | None = None
        for seg in segments:
            t = translations.get(seg.index)
            if t is None:
                continue
            t = t.strip()
            if paragraph is not None:
                sep = " " if seg.paragraph == paragraph else "\n\n"
                parts.append(sep)
                pos += len(sep)
            paragraph = seg.paragraph
            spans[seg.index] = (pos, pos + len(t))
            parts.append(t)
            pos += len(t)
        kept = {i: translations[i].strip() for i in spans}
        return cls(model_id, lang, "".join(parts), spans, kept, frozenset(i for i in human if i in spans))

    def segments_in(self, start: int, end: int) -> tuple[int, ...]:
        """Indices of the segments whose translation overlaps ``[start, end)``."""
        return tuple(i for i, (s, e) in sorted(self.spans.items()) if s < end and start < e)

    def locate_offset(self, offset: int) -> tuple[int, int] | None:
        """``(segment index, offset inside that segment's translation)`` for an offset into :attr:`text`."""
        for i, (s, e) in self.spans.items():
            if s <= offset <= e:
                return i, offset - s
        return None

    def offset_of(self, segment: int, local: int) -> int:
        """The offset into :attr:`text` of character ``local`` of segment ``segment``'s translation."""
        s, e = self.spans[segment]
        return s + max(0, min(local, e - s))


@dataclass(frozen=True)
class Coverage:
    """Which segments an annotation covers; segment ``i``'s translation is the pair of segment ``i``.

    ``own`` are the ranges to paint on the annotation's side (its exact range), ``paired`` the ranges of the
    covered sentences on the other side (painted in the lighter shade). Ranges are offsets into the document text
    for the original side and into :attr:`TranslationText.text` for the translation side.
    """

    segments: tuple[int, ...]
    own: tuple[tuple[int, int], ...]
    paired: tuple[tuple[int, int], ...]


@dataclass
class ReanchorReport:
    kept: int = 0
    moved: int = 0
    orphaned: list[int] = field(default_factory=list)
    recovered: int = 0

    def warnings(self) -> list[str]:
        total = self.kept + self.moved + len(self.orphaned)
        if not total:
            return []
        out = [f"{self.kept + self.moved} of {total} annotations re-anchored on the changed text."]
        if self.orphaned:
            out.append(
                f"{len(self.orphaned)} annotation(s) could not be found in the changed text and are listed as "
                "orphans (kept with their quote and note)."
            )
        return out


# --- storage -----------------------------------------------------------------------------------------------


_COLUMNS = (
    'id, uuid, document, side, start, "end", exact, prefix, suffix, color, note, tags, model, target_lang,'
    " orphaned, created, modified"
)


@dataclass(frozen=True)
class AnnotationCounts:
    """A document's annotations at a glance: all of them (highlights), those with a note, the orphans."""

    annotations: int
    notes: int
    orphans: int


def _row(row: Sequence[Any]) -> Annotation:
    """An :class:`Annotation` from a row of ``_COLUMNS`` (tags are stored as a JSON list)."""
    (ann_id, ann_uuid, document, side, start, end, exact, prefix, suffix, color, note, tags, model, target,
     orphaned, created, modified) = row  # fmt: skip
    return Annotation(
        ann_id, ann_uuid, document, side, start, end, exact, prefix, suffix, color, note,
        tuple(json.loads(str(tags) or "[]")), model, target, bool(orphaned), created, modified,
    )  # fmt: skip


def normalize_color(color: str | None) -> str:
    if color is None or color == "":
        return DEFAULT_COLOR
    name = COLOR_ALIASES.get(color.strip().lower(), color.strip().lower())
    if name not in COLORS:
        raise AnnotationError(f"Unknown colour {color!r}; choose one of {', '.join(COLORS)}.")
    return name


def normalize_tags(tags: Iterable[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for tag in tags or ():
        t = " ".join(str(tag).split())
        if not t:
            continue
        if len(t) > TAG_MAX:
            raise AnnotationError(f"A tag can be at most {TAG_MAX} characters long.")
        if t not in out:
            out.append(t)
    return tuple(out)


def _tags_json(tags: Iterable[str]) -> str:
    return json.dumps(list(normalize_tags(tags)), ensure_ascii=False)


def _check_note(note: str | None) -> str:
    note = note or ""
    if len(note) > NOTE_MAX:
        raise AnnotationError(f"A note can be at most {NOTE_MAX} characters long.")
    return note


def trim_range(text: str, start: int, end: int) -> tuple[int, int]:
    """Normalise a selection: ordered (a right-to-left drag may come reversed) and without surrounding spaces."""
    if start > end:
        start, end = end, start
    if start < 0 or end > len(text):
        raise AnnotationError(f"The range {start}–{end} is outside the text (0–{len(text)}).")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise AnnotationError("The selected range contains no text.")
    return start, end


#: The library an :class:`Annotations` works on: ``Annotations(lib).library`` keeps ``lib``'s own type.
StoreT = TypeVar("StoreT", bound="DocumentStore")


class Annotations(Generic[StoreT]):
    """The annotations of one :class:`~reader.core.store.library.Library` (same thread as the library)."""

    def __init__(self, library: StoreT) -> None:
        self.library = library
        self.conn = library.conn

    # --- creating and changing -----------------------------------------------------------------------------

    def add(
        self,
        doc_id: int | str,
        start: int,
        end: int,
        *,
        side: str = "original",
        color: str | None = None,
        note: str | None = None,
        tags: Iterable[str] | None = None,
        translation: TranslationText | None = None,
    ) -> Annotation:
        """Highlight ``[start, end)`` of the original text, or of ``translation.text`` when ``side`` is
        ``"translation"`` (the translation text of :class:`TranslationText`, which names its model)."""
        doc = self.library.get(doc_id)
        if side not in SIDES:
            raise AnnotationError(f"Unknown side {side!r}; use 'original' or 'translation'.")
        color = normalize_color(color)
        tag_tuple = normalize_tags(tags)
        note = _check_note(note)
        model: str | None = None
        target_lang: str | None = None
        if side == "original":
            text = doc.text
        else:
            if translation is None or not translation.text:
                raise AnnotationError(
                    f"Document {doc.id} has no translation yet; translate it before highlighting the translation."
                )
            text, model, target_lang = translation.text, translation.model_id, translation.lang
        start, end = trim_range(text, int(start), int(end))
        q = quote_at(text, start, end)
        stamp = now_utc()
        ann = Annotation(
            0, str(uuidlib.uuid4()), doc.id, side, start, end, q.exact, q.prefix, q.suffix, color, note, tag_tuple,
            model, target_lang, False, stamp, stamp,
        )  # fmt: skip
        with self.library.transaction():
            ann_id = self._insert(ann, keep_id=False)
        return self.get(ann_id)

    def update(
        self,
        ann_id: int,
        *,
        color: str | None = None,
        note: str | None = None,
        tags: Iterable[str] | None = None,
    ) -> Annotation:
        """Change colour, note and/or tags (``None`` leaves a field as it is); ``modified`` is set to now."""
        ann = self.get(ann_id)
        new_color = ann.color if color is None else normalize_color(color)
        new_note = ann.note if note is None else _check_note(note)
        new_tags = ann.tags if tags is None else normalize_tags(tags)
        if (new_color, new_note, new_tags) == (ann.color, ann.note, ann.tags):
            return ann
        with self.library.transaction():
            self._change(replace(ann, color=new_color, note=new_note, tags=new_tags, modified=now_utc()))
        return self.get(ann.id)

    def delete(self, ann_id: int) -> Annotation:
        """Delete an annotation and return it (give it to :meth:`restore` to undo)."""
        ann = self.get(ann_id)
        with self.library.transaction():
            search.unindex_annotation(self.conn, ann.id)
            self.conn.execute("DELETE FROM annotations WHERE id = ?", (ann.id,))
        return ann

    def restore(self, ann: Annotation) -> Annotation:
        """Put back an annotation exactly as it was (undo of :meth:`delete`); same id if free."""
        self.library.get(ann.document)
        taken = self.conn.execute("SELECT 1 FROM annotations WHERE id = ?", (ann.id,)).fetchone()
        with self.library.transaction():
            new_id = self._insert(ann, keep_id=not taken)
        return self.get(new_id)

    def import_annotations(self, new: Sequence[Annotation], changed: Sequence[Annotation] = ()) -> list[int]:
        """Store annotations that come from elsewhere (a JSON-LD file), all in one transaction.

        ``new`` are stored as given — uuid, anchors, orphan flag, created and modified times — each under a fresh
        id (their ``id`` is ignored); ``changed`` replace the colour, note, tags and modified time of the
        annotation with their ``id``. Returns the ids of ``new``, in order. A bad value refuses the whole call."""
        for ann in changed:
            self.get(ann.id)
        with self.library.transaction():
            ids = [self._insert(ann, keep_id=False) for ann in new]
            for ann in changed:
                self._change(ann)
        return ids

    # --- the one place that writes annotation rows (inside the caller's transaction) ---------------------------

    def _insert(self, ann: Annotation, *, keep_id: bool) -> int:
        """Insert ``ann`` (validated here, whoever made it) and index its note; returns its id."""
        if ann.side not in SIDES:
            raise AnnotationError(f"Unknown side {ann.side!r}; use 'original' or 'translation'.")
        if not ann.exact:
            raise AnnotationError("An annotation needs the text it highlights.")
        cur = self.conn.execute(
            "INSERT INTO annotations (id, uuid, document, side, model, target_lang, start, \"end\", exact,"
            " prefix, suffix, color, note, tags, orphaned, created, modified)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ann.id if keep_id else None, ann.uuid, ann.document, ann.side, ann.model, ann.target_lang,
                int(ann.start), int(ann.end), ann.exact, ann.prefix, ann.suffix, normalize_color(ann.color),
                _check_note(ann.note), _tags_json(ann.tags), int(ann.orphaned), ann.created, ann.modified,
            ),
        )  # fmt: skip
        ann_id = int(cur.lastrowid or 0)
        search.index_annotation(self.conn, ann_id)
        return ann_id

    def _change(self, ann: Annotation) -> None:
        """Write ``ann``'s colour, note, tags and modified time over the stored annotation with its id."""
        self.conn.execute(
            "UPDATE annotations SET color = ?, note = ?, tags = ?, modified = ? WHERE id = ?",
            (normalize_color(ann.color), _check_note(ann.note), _tags_json(ann.tags), ann.modified, ann.id),
        )
        search.index_annotation(self.conn, ann.id)

    # --- reading -------------------------------------------------------------------------------------------

    def get(self, ann_id: int | str) -> Annotation:
        try:
            key = int(ann_id)
        except (TypeError, ValueError):
            raise AnnotationNotFound(f"There is no annotation {ann_id!r}.") from None
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM annotations WHERE id = ?", (key,)).fetchone()
        if row is None:
            raise AnnotationNotFound(f"There is no annotation {ann_id}.")
        return _row(row)

    def by_uuid(self, ann_uuid: str) -> Annotation | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM annotations WHERE uuid = ?", (ann_uuid,)).fetchone()
        return _row(row) if row else None

    def find(
        self,
        doc_id: int | str | None = None,
        *,
        color: str | None = None,
        tag: str | None = None,
        text: str | None = None,
        orphaned: bool | None = None,
        side: str | None = None,
    ) -> list[Annotation]:
        """Annotations of a document (or the whole library), in reading order; filters combine with AND.

        ``text`` matches the quote, the note or a tag, with letter variants folded."""
        sql = f"SELECT {_COLUMNS} FROM annotations WHERE 1"
        args: list[object] = []
        if doc_id is not None:
            sql += " AND document = ?"
            args.append(self.library.get(doc_id).id)
        if color is not None:
            sql += " AND color = ?"
            args.append(normalize_color(color))
        if orphaned is not None:
            sql += " AND orphaned = ?"
            args.append(int(orphaned))
        if side is not None:
            sql += " AND side = ?"
            args.append(side)
        sql += ' ORDER BY document, side, start, "end", id'
        out = [_row(r) for r in self.conn.execute(sql, args)]
        if tag is not None:
            wanted = folding.fold(tag)
            out = [a for a in out if any(folding.fold(t) == wanted for t in a.tags)]
        if text:
            needle = folding.fold(text)
            out = [
                a
                for a in out
                if needle in folding.fold(a.exact) or needle in folding.fold(a.note)
                or any(needle in folding.fold(t) for t in a.tags)
            ]  # fmt: skip
        return out

    def orphans(self, doc_id: int | str | None = None) -> list[Annotation]:
        return self.find(doc_id, orphaned=True)

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with its count, most used first."""
        counts: dict[str, int] = {}
        for (raw,) in self.conn.execute("SELECT tags FROM annotations"):
            for t in json.loads(raw or "[]"):
                counts[t] = counts.get(t, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def counts(self) -> dict[int, int]:
        """Number of annotations per document id."""
        return {doc: c.annotations for doc, c in self.counts_by_document().items()}

    def note_counts(self) -> dict[int, int]:
        """Number of annotations with a note per document id (documents with none are absent)."""
        return {doc: c.notes for doc, c in self.counts_by_document().items() if c.notes}

    def highlight_counts(self, doc_ids: Iterable[int] | None = None) -> dict[int, tuple[int, int]]:
        """(annotations, of which with a note) per document id: every document that has any, or only
        ``doc_ids`` (the library panel's Notes column; one row after a note change)."""
        return {doc: (c.annotations, c.notes) for doc, c in self.counts_by_document(doc_ids).items()}

    def has_translation_side(self, doc_id: int) -> bool:
        """Whether any of the document's annotations is anchored to its translation."""
        row = self.conn.execute(
            "SELECT 1 FROM annotations WHERE document = ? AND side = 'translation' LIMIT 1", (doc_id,)
        ).fetchone()
        return row is not None

    def counts_by_document(self, doc_ids: Iterable[int] | None = None) -> dict[int, AnnotationCounts]:
        """Highlights, notes and orphans per document in one query (for a library list of any size; documents
        without annotations are absent). ``doc_ids`` limits it to those documents (a page of a list)."""
        sql = (
            "SELECT document, count(*), sum(note != ''), sum(orphaned != 0) FROM annotations"
            " {where} GROUP BY document"
        )
        if doc_ids is None:
            rows = self.conn.execute(sql.format(where="")).fetchall()
        else:
            wanted = sorted({int(d) for d in doc_ids})
            rows = []
            for start in range(0, len(wanted), 500):  # bounded number of SQL parameters
                chunk = wanted[start : start + 500]
                rows += self.conn.execute(
                    sql.format(where=f"WHERE document IN ({','.join('?' * len(chunk))})"), chunk
                ).fetchall()
        return {
            int(doc): AnnotationCounts(int(total), int(notes or 0), int(orphans or 0))
            for doc, total, notes, orphans in rows
        }

    # --- anchoring -----------------------------------------------------------------------------------------

    def coverage(self, ann: Annotation, translation: TranslationText | None = None) -> Coverage:
        """The segments an annotation covers and the ranges to paint on its side and (lighter) on the other.

        Translation-side annotations are first re-found by quote in ``translation`` (positions there are hints:
        the translation text grows while a document is being translated). Orphans cover nothing."""
        if ann.orphaned:
            return Coverage((), (), ())
        segments = self.library.segments(ann.document)
        if ann.side == "original":
            covered = tuple(s.index for s in segments if s.start < ann.end and ann.start < s.end)
            paired: tuple[tuple[int, int], ...] = ()
            if translation is not None:
                paired = tuple(translation.spans[i] for i in covered if i in translation.spans)
            return Coverage(covered, ((ann.start, ann.end),), paired)
        if translation is None or not translation.text:
            return Coverage((), (), ())
        match = locate(translation.text, ann.quote, (ann.start, ann.end), translation.lang)
        if match is None:
            return Coverage((), (), ())
        covered = translation.segments_in(match.start, match.end)
        by_index = {s.index: s for s in segments}
        paired = tuple((by_index[i].start, by_index[i].end) for i in covered if i in by_index)
        return Coverage(covered, ((match.start, match.end),), paired)

    def coverage_map(
        self, doc_id: int, translation: TranslationText | None = None
    ) -> dict[int, list[tuple[Annotation, Coverage]]]:
        """Segment index -> the annotations touching it (for painting a document in one pass)."""
        out: dict[int, list[tuple[Annotation, Coverage]]] = {}
        for ann in self.find(doc_id):
            cov = self.coverage(ann, translation)
            for i in cov.segments:
                out.setdefault(i, []).append((ann, cov))
        return out

    def paired_text(self, ann: Annotation, translation: TranslationText | None) -> str:
        """The text on the other side of an annotation: the translation of the sentences an original-side
        highlight covers, or the original sentences under a translation-side highlight."""
        cov = self.coverage(ann, translation)
        if ann.side == "original":
            if translation is None:
                return ""
            return " ".join(translation.segments[i] for i in cov.segments if i in translation.segments)
        text = self.library.get(ann.document).text
        return " ".join(text[s:e] for s, e in cov.paired)

    def anchor_translation(self, doc_id: int, translation: TranslationText) -> ReanchorReport:
        """Re-find the document's translation-side annotations of ``translation.model_id`` in ``translation``
        and store their current positions (or flag them orphans); one transaction."""
        report = ReanchorReport()
        anns = [a for a in self.find(doc_id, side="translation") if a.model == translation.model_id]
        if not anns or not translation.text:
            return report
        with self.library.transaction():
            _reanchor(self.conn, anns, translation.text, translation.lang, report)
        return report


def _reanchor(
    conn: sqlite3.Connection, anns: Iterable[Annotation], text: str, lang: str | None, report: ReanchorReport
) -> None:
    for ann in anns:
        match = locate(text, ann.quote, (ann.start, ann.end), lang)
        if match is None:
            report.orphaned.append(ann.id)
            if not ann.orphaned:
                conn.execute("UPDATE annotations SET orphaned = 1 WHERE id = ?", (ann.id,))
            continue
        if ann.orphaned:
            report.recovered += 1
        q = quote_at(text, match.start, match.end)
        if (match.start, match.end) == (ann.start, ann.end) and q == ann.quote and not ann.orphaned:
            report.kept += 1
            continue
        report.moved += 1
        conn.execute(
            'UPDATE annotations SET start = ?, "end" = ?, exact = ?, prefix = ?, suffix = ?, orphaned = 0'
            " WHERE id = ?",
            (match.start, match.end, q.exact, q.prefix, q.suffix, ann.id),
        )


def reanchor_document(
    conn: sqlite3.Connection, doc_id: int, new_text: str, lang: str | None
) -> ReanchorReport:
    """Re-anchor a document's original-side annotations on its new text (orphans get another chance).

    Runs inside the caller's transaction (:meth:`Library.import_text` updating a document in place)."""
    report = ReanchorReport()
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM annotations WHERE document = ? AND side = 'original' ORDER BY start",
        (doc_id,),
    ).fetchall()
    _reanchor(conn, [_row(r) for r in rows], new_text, lang, report)
    return report
