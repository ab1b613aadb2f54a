"""Exports of documents and their annotations, and the JSON-LD import that restores annotations elsewhere.

Formats: Markdown (a reading report), W3C Web Annotation JSON-LD (an ``AnnotationCollection``), CSV (one row per
annotation), TMX 1.4b (the document's sentence pairs) and a bilingual HTML page (two columns, each with the right
``dir``). Every file is written to a temporary name beside the target and then ``os.replace``d, so a crash never
leaves half an export and never damages an older one.

JSON-LD conventions (see docs/design.md, "Notes and anchoring"):

* annotation ``id``: ``urn:uuid:<uuid>`` (the annotation's permanent uuid, kept across imports);
* ``target.source.id``: the document's content as an RFC 6920 named-information URI, ``ni:///sha-256;<base64url>``;
  a translation-side annotation adds ``?translation=<lang>&model=<model id>``;
  ``target.source`` also carries ``dc:title`` and ``dcterms:source`` (where the file came from), so that an
  import can find the document by content hash first and by source path second;
* ``target.selector``: a ``TextQuoteSelector`` (exact + 32 characters of prefix/suffix) and a
  ``TextPositionSelector`` (code-point offsets);
* the colour is ``target.styleClass`` with a ``CssStylesheet`` on the annotation; the note is a ``TextualBody``
  with purpose ``commenting``, each tag a ``TextualBody`` with purpose ``tagging``.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import html
import io
import itertools
import json
import os
import tempfile
import uuid as uuidlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from reader import __version__
from reader.core.store import annotations as annmod
from reader.core.store import search
from reader.core.store.annotations import COLORS, Annotation, Annotations, TranslationText
from reader.core.store.library import Document, Library
from reader.core.text.anchoring import TextQuote, locate, quote_at
from reader.core.text.nesting import json_depth
from reader.display import csv_cell
from reader.errors import YanyanaError
from reader.languages import direction_of_language

FORMATS = ("md", "jsonld", "csv", "tmx", "html")
HUMAN_MARK = "✎"  # marks a human correction in Markdown and HTML exports (with a legend)
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

TranslationProvider = Callable[[Document], "TranslationText | None"]


class ExportError(YanyanaError):
    """An export or import that cannot be done; ``str()`` is one sentence."""


# --- writing -----------------------------------------------------------------------------------------------


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to a temporary file beside ``path``, flush it to disk, then ``os.replace`` it into place."""
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"Cannot write {target}: it is a folder.")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"Cannot write {target}: {exc.strerror or exc}.") from exc
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        _unlink(tmp)
        raise ExportError(f"Cannot write {target}: {exc.strerror or exc}.") from exc
    except BaseException:
        _unlink(tmp)
        raise
    return target


def _unlink(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


# --- gathering ---------------------------------------------------------------------------------------------


@dataclass
class _DocExport:
    doc: Document
    annotations: list[Annotation]
    translation: TranslationText | None


def _gather(
    library: Library, doc_ids: Sequence[int] | None, translations: TranslationProvider | None
) -> list[_DocExport]:
    store = Annotations(library)
    provider = translations or (lambda d: _indexed_translation(library, d))
    ids = [d.id for d in library.documents()] if doc_ids is None else [library.get(i).id for i in doc_ids]
    out = []
    for doc_id in ids:
        doc = library.get(doc_id)
        out.append(_DocExport(doc, store.find(doc.id), provider(doc)))
    return out


def _indexed_translation(library: Library, doc: Document) -> TranslationText | None:
    """Without a provider from the caller: the translations last indexed for search (no translation layer)."""
    from reader.core.store.corrections import Corrections, overlay

    segments = library.segments(doc.id)
    indexed = search.indexed_translations(library, doc.id)
    corrected = Corrections(library).for_document(doc.id, "en")
    if (indexed is None and not corrected) or not segments or doc.lang == "en":
        return None
    model_id, translations = indexed if indexed is not None else ("human", {})
    texts, human = overlay(corrected.values(), translations)
    return TranslationText.build(segments, texts, model_id, "en", human=human)


def _paired(library: Library, item: _DocExport, ann: Annotation) -> str:
    return Annotations(library).paired_text(ann, item.translation)


# --- Markdown ----------------------------------------------------------------------------------------------


def _md_quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip().splitlines() or [""])


def _md_inline(text: str) -> str:
    return " ".join(text.split())


def to_markdown(library: Library, items: list[_DocExport]) -> str:
    out: list[str] = []
    for item in items:
        doc = item.doc
        out.append(f"# {_md_inline(doc.title)}\n")
        out.append(f"- Document: {doc.id} ({doc.lang}, {doc.direction})")
        out.append(f"- Source: {doc.source}")
        if item.translation is not None:
            out.append(f"- Translation: {item.translation.lang}, model {item.translation.model_id}")
            if item.translation.human:
                out.append(
                    f"- {HUMAN_MARK} marks a human correction of the machine translation "
                    f"({len(item.translation.human)} sentences)"
                )
        out.append(f"- Highlights: {len(item.annotations)}\n")
        anchored = [a for a in item.annotations if not a.orphaned]
        orphans = [a for a in item.annotations if a.orphaned]
        for n, ann in enumerate(anchored, 1):
            out.extend(_md_annotation(library, item, ann, n))
        if orphans:
            out.append("## Orphaned highlights\n")
            out.append("These could not be found in the current text; their quote and note are kept.\n")
            for n, ann in enumerate(orphans, 1):
                out.extend(_md_annotation(library, item, ann, n))
        if item.translation is not None and item.translation.human:
            out.append(f"## Corrected translations {HUMAN_MARK}\n")
            for seg in library.segments(doc.id):
                if seg.index in item.translation.human:
                    out.append(_md_quote(doc.text[seg.start : seg.end]))
                    out.append("")
                    out.append(f"{_md_inline(item.translation.segments[seg.index])} {HUMAN_MARK}")
                    out.append("")
    return "\n".join(out).rstrip() + "\n"


def _human_covered(library: Library, item: _DocExport, ann: Annotation) -> bool:
    """True when a translation sentence paired with (or quoted by) the annotation is a human correction."""
    if item.translation is None or not item.translation.human:
        return False
    cov = Annotations(library).coverage(ann, item.translation)
    return any(i in item.translation.human for i in cov.segments)


def _md_annotation(library: Library, item: _DocExport, ann: Annotation, n: int) -> list[str]:
    side = "original" if ann.side == "original" else f"translation ({ann.model})"
    human = _human_covered(library, item, ann)
    quote = _md_quote(ann.exact)
    if human and ann.side == "translation":
        quote += f" {HUMAN_MARK}"
    lines = [f"## {n}. {ann.color} — {side}\n", quote, ""]
    paired = _paired(library, item, ann)
    if paired:
        label = "Translation" if ann.side == "original" else "Original"
        mark = f" {HUMAN_MARK}" if human and ann.side == "original" else ""
        lines += [f"**{label}:** {_md_inline(paired)}{mark}", ""]
    if ann.note:
        lines += ["**Note:**", "", ann.note.strip(), ""]
    if ann.tags:
        lines += ["**Tags:** " + ", ".join(f"`{t}`" for t in ann.tags), ""]
    lines += [f"*Colour {ann.color}; created {ann.created}, modified {ann.modified}.*", ""]
    return lines


# --- JSON-LD -----------------------------------------------------------------------------------------------


def ni_uri(sha256_hex: str) -> str:
    """RFC 6920 named-information URI of a SHA-256 digest."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256_hex)).rstrip(b"=").decode("ascii")
    return f"ni:///sha-256;{digest}"


def parse_ni(uri: str) -> tuple[str, dict[str, str]] | None:
    """``(sha256 hex, query parameters)`` of an ``ni:///sha-256;…`` URI, or ``None``."""
    if not isinstance(uri, str) or not uri.startswith("ni:"):
        return None
    parts = urlsplit(uri)
    alg, _, value = parts.path.lstrip("/").partition(";")
    if alg != "sha-256" or not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError):
        return None
    if len(raw) != 32:
        return None
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return raw.hex(), query


def _file_uri(source: str) -> str:
    path = Path(source)
    return path.as_uri() if path.is_absolute() else source


def annotation_jsonld(ann: Annotation, doc: Document) -> dict[str, Any]:
    """One annotation as a standalone W3C Web Annotation (it carries its own ``@context``)."""
    source_id = ni_uri(doc.sha256)
    language, direction = doc.lang, doc.direction
    if ann.side == "translation":
        lang = ann.target_lang or "en"
        source_id += f"?translation={quote(lang, safe='')}&model={quote(ann.model or '', safe='')}"
        language, direction = lang, "ltr"
    bodies: list[dict[str, Any]] = []
    if ann.note:
        bodies.append(
            {"type": "TextualBody", "value": ann.note, "format": "text/plain", "purpose": "commenting"}
        )
    bodies.extend({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in ann.tags)
    out: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": f"urn:uuid:{ann.uuid}",
        "type": "Annotation",
        "motivation": "commenting" if ann.note else "highlighting",
        "created": ann.created,
        "modified": ann.modified,
    }
    if bodies:
        out["body"] = bodies
    out["target"] = {
        "type": "SpecificResource",
        "source": {
            "id": source_id,
            "type": "Text",
            "format": "text/plain",
            "language": language,
            "textDirection": direction,
            "dc:title": doc.title,
            "dcterms:source": _file_uri(doc.source),
        },
        "styleClass": ann.color,
        "selector": [
            {"type": "TextQuoteSelector", "exact": ann.exact, "prefix": ann.prefix, "suffix": ann.suffix},
            {"type": "TextPositionSelector", "start": ann.start, "end": ann.end},
        ],
    }
    out["stylesheet"] = {
        "type": "CssStylesheet",
        "value": f".{ann.color} {{ background-color: {COLORS[ann.color][0]}; }}",
    }
    if ann.orphaned:  # its offsets point at text that is gone: only the quote describes it now
        out["target"]["selector"] = out["target"]["selector"][:1]
    return out


def to_jsonld(library: Library, items: list[_DocExport], label: str) -> dict[str, Any]:
    annotations = [annotation_jsonld(a, item.doc) for item in items for a in item.annotations]
    collection: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": f"urn:uuid:{uuidlib.uuid4()}",
        "type": "AnnotationCollection",
        "label": label,
        "total": len(annotations),
        "generated": annmod.now_utc(),
        "generator": {"type": "Software", "name": f"Yanyana {__version__}"},
    }
    if annotations:
        collection["first"] = {
            "@context": ANNO_CONTEXT,
            "id": f"urn:uuid:{uuidlib.uuid4()}",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": annotations,
        }
    return collection


# --- CSV ---------------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "document", "title", "annotation", "side", "model", "color", "tags", "note", "quote", "paired_text",
    "start", "end", "orphaned", "created", "modified", "translation_origin",
)  # fmt: skip


def to_csv(library: Library, items: list[_DocExport]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        for ann in item.annotations:
            writer.writerow(
                csv_cell(value)  # untrusted titles, quotes and notes are never run as formulas (OWASP)
                for value in [
                    item.doc.id, item.doc.title, ann.uuid, ann.side, ann.model or "", ann.color,
                    "; ".join(ann.tags), ann.note, ann.exact, _paired(library, item, ann), ann.start, ann.end,
                    "yes" if ann.orphaned else "no", ann.created, ann.modified,
                    "" if item.translation is None else
                    ("human" if _human_covered(library, item, ann) else "machine"),
                ]
            )  # fmt: skip
    return "\ufeff" + buf.getvalue()  # BOM: spreadsheets then read the Arabic script as UTF-8


# --- TMX ---------------------------------------------------------------------------------------------------


def write_tmx_pairs(library: Library, items: list[_DocExport], path: Path) -> int:
    """The documents' sentence pairs (translated segments only) as TMX 1.4b; returns the number of units."""
    from translations_cache import TmxExportError, TmxUnit, write_tmx

    units: list[TmxUnit] = []
    langs = set()
    for item in items:
        if item.translation is None:
            continue
        text = item.doc.text
        for seg in library.segments(item.doc.id):
            target = item.translation.segments.get(seg.index)
            if not target:
                continue
            langs.add(item.doc.lang)
            units.append(
                TmxUnit(
                    item.doc.lang,
                    item.translation.lang,
                    text[seg.start : seg.end],
                    target,
                    props=(
                        ("x-document", str(item.doc.id)),
                        ("x-segment", str(seg.index)),
                        ("x-model", item.translation.model_id),
                        ("x-origin", "human" if seg.index in item.translation.human else "machine"),
                    ),
                )
            )
    if not units:
        raise ExportError("There are no translated sentences to export; translate the document first.")
    srclang = langs.pop() if len(langs) == 1 else "*all*"
    try:
        return write_tmx(path, units, srclang)
    except TmxExportError as exc:
        raise ExportError(str(exc)) from exc


# --- HTML --------------------------------------------------------------------------------------------------


def _marked(text: str, offset: int, ranges: Iterable[tuple[int, int, Annotation]]) -> str:
    """HTML of ``text`` (which starts at ``offset``) with ``<mark>`` around annotated ranges (overlaps split)."""
    clipped = [
        (max(s, offset) - offset, min(e, offset + len(text)) - offset, a)
        for s, e, a in ranges
        if s < offset + len(text) and e > offset
    ]
    points = sorted({0, len(text), *(p for s, e, _ in clipped for p in (s, e))})
    out: list[str] = []
    for lo, hi in itertools.pairwise(points):
        piece = html.escape(text[lo:hi]).replace("\n", "<br>\n")
        active = [a for s, e, a in clipped if s <= lo and hi <= e]
        if active:
            top = active[-1]
            notes = " | ".join(a.note for a in active if a.note)
            title = f' title="{html.escape(notes)}"' if notes else ""
            out.append(f'<mark class="hl-{top.color}"{title}>{piece}</mark>')
        else:
            out.append(piece)
    return "".join(out)


def to_html(library: Library, items: list[_DocExport]) -> str:

    style = "\n".join(f"mark.hl-{name} {{ background: {hexes[0]}; }}" for name, hexes in COLORS.items())
    title = items[0].doc.title if len(items) == 1 else "Yanyana library"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>",
        "body { font-family: 'Vazirmatn', 'Noto Naskh Arabic', sans-serif; margin: 2em; }",
        "table.bilingual { border-collapse: collapse; width: 100%; table-layout: fixed; }",
        "table.bilingual td, table.bilingual th { vertical-align: top; padding: .4em .8em;"
        " border-bottom: 1px solid #ddd; line-height: 1.8; }",
        '[dir="rtl"] { text-align: right; }',
        style,
        "</style>",
        "</head>",
        "<body>",
    ]
    store = Annotations(library)
    for item in items:
        doc, tt = item.doc, item.translation
        tlang = tt.lang if tt else "en"
        parts.append(f'<section lang="{html.escape(doc.lang)}">')
        parts.append(
            f'<h1 dir="{doc.direction}" lang="{html.escape(doc.lang)}">{html.escape(doc.title)}</h1>'
        )
        if tt is not None:
            parts.append(f'<p dir="ltr" lang="en">Translation: {html.escape(tt.model_id)}</p>')
            if tt.human:
                parts.append(
                    f'<p dir="ltr" lang="en" class="legend"><span class="human-mark">{HUMAN_MARK}</span> '
                    "a human correction of the machine translation</p>"
                )
        own_original: list[tuple[int, int, Annotation]] = []
        own_translation: list[tuple[int, int, Annotation]] = []
        for ann in item.annotations:
            cov = store.coverage(ann, tt)
            for s, e in cov.own:
                (own_original if ann.side == "original" else own_translation).append((s, e, ann))
        parts.append('<table class="bilingual">')
        parts.append(
            f'<thead><tr><th dir="ltr">Original ({html.escape(doc.lang)})</th>'
            f'<th dir="ltr">Translation ({html.escape(tlang)})</th></tr></thead><tbody>'
        )
        segments = library.segments(doc.id)
        for para in library.paragraphs(doc.id):
            direction = direction_of_language(para.lang)
            original = _marked(doc.text[para.start : para.end], para.start, own_original)
            translated = ""
            if tt is not None:
                mine = [s.index for s in segments if s.paragraph == para.index and s.index in tt.spans]
                pieces: list[str] = []
                previous: int | None = None
                for index in mine:
                    lo, hi = tt.spans[index]
                    if previous is not None:
                        pieces.append(html.escape(tt.text[previous:lo]))
                    piece = _marked(tt.text[lo:hi], lo, own_translation)
                    if index in tt.human:
                        piece = (
                            f'<span class="human">{piece}</span>'
                            f'<sup class="human-mark" title="human correction">{HUMAN_MARK}</sup>'
                        )
                    pieces.append(piece)
                    previous = hi
                translated = "".join(pieces)
            parts.append(
                f'<tr><td dir="{direction}" lang="{html.escape(para.lang)}">{original}</td>'
                f'<td dir="ltr" lang="{html.escape(tlang)}">{translated}</td></tr>'
            )
        parts.append("</tbody></table>")
        parts.append("</section>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


# --- entry points ------------------------------------------------------------------------------------------


def export(
    library: Library,
    fmt: str,
    path: str | os.PathLike[str],
    doc_ids: Sequence[int | str] | None = None,
    translations: TranslationProvider | None = None,
) -> Path:
    """Export the given documents (``None``: the whole library) in ``fmt`` to ``path``, atomically.

    ``translations`` maps a document to its :class:`TranslationText` (default: the cache for the installed model,
    else the indexed translations; the faces pass :func:`reader.translation.documents.translation_provider`)."""
    fmt = fmt.lower().lstrip(".")
    if fmt in ("markdown",):
        fmt = "md"
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    target = Path(path)
    if not target.parent.is_dir():
        raise ExportError(f"Cannot write {target}: the folder {target.parent} does not exist.")
    ids = None if doc_ids is None else [int(library.get(i).id) for i in doc_ids]
    items = _gather(library, ids, translations)
    if fmt == "tmx":
        write_tmx_pairs(library, items, target)
        return target
    if fmt == "md":
        text = to_markdown(library, items)
    elif fmt == "jsonld":
        label = items[0].doc.title if ids is not None and len(items) == 1 else "Yanyana library"
        text = (
            json.dumps(to_jsonld(library, items, f"Annotations: {label}"), ensure_ascii=False, indent=2)
            + "\n"
        )
    elif fmt == "csv":
        text = to_csv(library, items)
    else:
        text = to_html(library, items)
    return atomic_write_text(target, text)


# --- JSON-LD import ----------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    restored: int = 0
    updated: int = 0
    unchanged: int = 0
    orphaned: int = 0
    unmatched: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.restored} restored, {self.updated} updated, {self.unchanged} already present, "
            f"{self.orphaned} orphaned, {self.unmatched} without their document"
        )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


MAX_JSON_DEPTH = 64
"""A W3C annotation file nests about ten levels; the readers below recurse, so deeper input is refused."""


def _annotations_in(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [a for item in data for a in _annotations_in(item)]
    if not isinstance(data, dict):
        return []
    kind = data.get("type")
    kinds = set(_as_list(kind))
    if "Annotation" in kinds:
        return [data]
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        return _annotations_in(first) if isinstance(first, dict | list) else []
    if "AnnotationPage" in kinds:
        return [a for item in _as_list(data.get("items")) for a in _annotations_in(item)]
    return []


def _selectors(target: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    quote_sel = position = None
    for sel in _as_list(target.get("selector")):
        if isinstance(sel, dict):
            if sel.get("type") == "TextQuoteSelector" and quote_sel is None:
                quote_sel = sel
            elif sel.get("type") == "TextPositionSelector" and position is None:
                position = sel
    return quote_sel, position


def import_jsonld(library: Library, path: str | os.PathLike[str]) -> ImportReport:
    """Restore the annotations of a Yanyana (or any W3C TextQuoteSelector) JSON-LD file; one transaction.

    Each annotation's document is found by the content hash in ``target.source.id``, else by
    ``target.source["dcterms:source"]``; its range is then re-found by quote in this library's text (orphan if
    absent). Annotations already here (same ``urn:uuid``) are updated when the file's copy is newer."""
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ExportError(f"There is no file {file}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"Cannot read {file}: {exc}.") from exc
    except json.JSONDecodeError as exc:
        raise ExportError(f"{file.name} is not JSON ({exc.msg} at line {exc.lineno}).") from exc
    except RecursionError:
        raise ExportError(f"{file.name} is nested too deeply to be an annotation file.") from None
    if json_depth(data) > MAX_JSON_DEPTH:
        raise ExportError(f"{file.name} is nested too deeply to be an annotation file.")
    found = _annotations_in(data)
    if not found:
        raise ExportError(f"{file.name} contains no W3C Web Annotations.")
    report = ImportReport()
    store = Annotations(library)
    by_sha = library.content_hashes()
    by_source = {_file_uri(d.source): d.id for d in library.documents()}
    new: list[Annotation] = []
    changed: list[Annotation] = []
    seen: set[str] = set()
    for item in found:
        parsed = _parse_annotation(item)
        if parsed is None:
            report.warnings.append("An annotation without a text quote was skipped.")
            report.unmatched += 1
            continue
        source_id, source_path, fields = parsed
        if fields["uuid"] in seen:
            report.warnings.append(
                f"Annotation urn:uuid:{fields['uuid']} appears twice; the first one was used."
            )
            continue
        seen.add(fields["uuid"])
        ni = parse_ni(source_id) if source_id else None
        doc_id = by_sha.get(ni[0]) if ni else None
        if doc_id is None and source_path:
            doc_id = by_source.get(source_path)
        if doc_id is None:
            report.unmatched += 1
            continue
        params = ni[1] if ni else {}
        side = "translation" if "translation" in params else "original"
        doc = library.get(doc_id)
        quote_obj = TextQuote(fields["exact"], fields["prefix"], fields["suffix"])
        start, end, orphaned = fields["start"], fields["end"], False
        if side == "original":
            match = locate(doc.text, quote_obj, (start, end) if start is not None else None, doc.lang)
            if match is None:
                orphaned = True
                start, end = (start or 0), (end or 0)
            else:
                start, end = match.start, match.end
                quote_obj = quote_at(doc.text, start, end)
        if orphaned:
            report.orphaned += 1
        existing = store.by_uuid(fields["uuid"])
        if existing is None:
            new.append(
                Annotation(
                    0, fields["uuid"], doc_id, side, int(start or 0), int(end or 0), quote_obj.exact,
                    quote_obj.prefix, quote_obj.suffix, fields["color"], fields["note"], fields["tags"],
                    params.get("model") if side == "translation" else None,
                    params.get("translation") if side == "translation" else None,
                    orphaned, fields["created"], fields["modified"],
                )
            )  # fmt: skip
            report.restored += 1
        elif (existing.note, existing.tags, existing.color) == (
            fields["note"],
            fields["tags"],
            fields["color"],
        ):
            report.unchanged += 1
        elif fields["modified"] > existing.modified:
            changed.append(
                replace(
                    existing,
                    color=fields["color"],
                    note=fields["note"],
                    tags=fields["tags"],
                    modified=fields["modified"],
                )
            )
            report.updated += 1
        else:
            report.unchanged += 1
    store.import_annotations(new, changed)
    if report.unmatched:
        report.warnings.append(
            f"{report.unmatched} annotation(s) belong to documents that are not in this library; import those "
            "documents first, then import the annotations again."
        )
    return report


def _parse_annotation(item: dict[str, Any]) -> tuple[str | None, str | None, dict[str, Any]] | None:
    target = next((t for t in _as_list(item.get("target")) if isinstance(t, dict)), None)
    if target is None:
        return None
    quote_sel, position = _selectors(target)
    if quote_sel is None or not isinstance(quote_sel.get("exact"), str) or not quote_sel["exact"]:
        return None
    source = target.get("source")
    source_id = source.get("id") if isinstance(source, dict) else source if isinstance(source, str) else None
    source_path = source.get("dcterms:source") if isinstance(source, dict) else None
    note_parts: list[str] = []
    tags: list[str] = []
    for body in _as_list(item.get("body")):
        if isinstance(body, dict) and isinstance(body.get("value"), str):
            if body.get("purpose") == "tagging":
                tags.append(body["value"])
            else:
                note_parts.append(body["value"])
    if isinstance(item.get("bodyValue"), str):
        note_parts.append(item["bodyValue"])
    color = target.get("styleClass")
    try:
        color = annmod.normalize_color(color if isinstance(color, str) else None)
    except annmod.AnnotationError:
        color = annmod.DEFAULT_COLOR
    raw_id = str(item.get("id") or "")
    try:
        ann_uuid = str(uuidlib.UUID(raw_id.removeprefix("urn:uuid:")))
    except ValueError:
        ann_uuid = str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, raw_id or json.dumps(item, sort_keys=True)))
    stamp = annmod.now_utc()
    start = position.get("start") if position else None
    end = position.get("end") if position else None
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        start = end = None
    fields = {
        "uuid": ann_uuid,
        "exact": quote_sel["exact"],
        "prefix": str(quote_sel.get("prefix") or ""),
        "suffix": str(quote_sel.get("suffix") or ""),
        "start": start,
        "end": end,
        "note": "\n\n".join(note_parts),
        "tags": annmod.normalize_tags(tags),
        "color": color,
        "created": str(item.get("created") or stamp),
        "modified": str(item.get("modified") or item.get("created") or stamp),
    }
    return (str(source_id) if source_id else None), (str(source_path) if source_path else None), fields
