"""``yanyana notes``, ``yanyana search``, ``yanyana export`` and ``yanyana backup``: annotations from the shell.

Registered by :func:`reader.cli.build_parser`. Mistakes a user can make raise exceptions whose message is one
sentence; :func:`reader.cli.main` prints them as ``error: …`` and exits 2, and nothing is stored.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from reader.cli.common import UserError, open_library, print_json
from reader.display import field


def _annotation_json(ann: Any) -> dict[str, Any]:
    return {
        "id": ann.id,
        "uuid": ann.uuid,
        "document": ann.document,
        "side": ann.side,
        "model": ann.model,
        "start": ann.start,
        "end": ann.end,
        "exact": ann.exact,
        "prefix": ann.prefix,
        "suffix": ann.suffix,
        "color": ann.color,
        "note": ann.note,
        "tags": list(ann.tags),
        "orphaned": ann.orphaned,
        "created": ann.created,
        "modified": ann.modified,
    }


def _one_line(text: str, width: int = 60) -> str:
    """A column of a table line: one line, shortened, its control and bidi characters made visible."""
    flat = " ".join(text.split())
    return field(flat if len(flat) <= width else flat[: width - 1] + "…")


def cmd_notes_add(args: argparse.Namespace) -> int:
    from reader.core.store.annotations import Annotations
    from reader.translation.documents import translation_text

    lib = open_library()
    doc = lib.get(args.doc)
    translation = None
    if args.side == "translation":
        translation = translation_text(lib, doc.id, args.to)
        if translation is None:
            raise UserError(
                f"Document {doc.id} has no cached translation into {args.to}; translate it first."
            )
    ann = Annotations(lib).add(
        doc.id,
        args.start,
        args.end,
        side=args.side,
        color=args.color,
        note=args.note,
        tags=args.tag,
        translation=translation,
    )
    if args.json:
        print_json(_annotation_json(ann))
    else:
        print(f"{ann.id}\t{ann.color}\t{ann.side}\t{ann.start}-{ann.end}\t{_one_line(ann.exact)}")
    return 0


def cmd_notes_list(args: argparse.Namespace) -> int:
    from reader.core.store.annotations import Annotations

    lib = open_library()
    anns = Annotations(lib).find(
        args.doc, color=args.color, tag=args.tag, text=args.text, orphaned=True if args.orphans else None
    )
    if args.json:
        print_json([_annotation_json(a) for a in anns])
        return 0
    for a in anns:
        flag = "\torphan" if a.orphaned else ""
        tags = ("\t#" + " #".join(field(t) for t in a.tags)) if a.tags else ""
        note = f"\t{_one_line(a.note, 40)}" if a.note else ""
        print(
            f"{a.id}\tdoc {a.document}\t{a.color}\t{a.side}\t{a.start}-{a.end}\t{_one_line(a.exact)}{note}{tags}{flag}"
        )
    return 0


def cmd_notes_delete(args: argparse.Namespace) -> int:
    from reader.core.store.annotations import Annotations

    lib = open_library()
    ann = Annotations(lib).delete(args.id)
    print(f"deleted {ann.id}\t{_one_line(ann.exact)}")
    return 0


def cmd_notes_import(args: argparse.Namespace) -> int:
    from reader.core.exporting import import_jsonld

    lib = open_library()
    report = import_jsonld(lib, args.file)
    if args.json:
        print_json(
            {
                "restored": report.restored,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "orphaned": report.orphaned,
                "unmatched": report.unmatched,
                "warnings": report.warnings,
            }
        )
    else:
        print(report.summary())
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from reader.core.store import search

    lib = open_library()
    search.ensure_current(lib)
    doc = lib.get(args.doc).id if args.doc is not None else None
    hits = search.search(lib, args.query, limit=args.limit, document=doc)
    if args.json:
        print_json([h.as_json() for h in hits])
        return 0
    for h in hits:
        where = f"segment {h.segment}" if h.segment is not None else f"note {h.annotation}"
        snippet = h.snippet
        for s, e in reversed(h.marks):
            snippet = snippet[:s] + "[" + snippet[s:e] + "]" + snippet[e:]
        print(f"{h.document}\t{h.kind}\t{where}\t{h.start}-{h.end}\t{field(snippet)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from reader.core.exporting import export
    from reader.translation.documents import translation_provider

    if (args.doc is None) == (not args.all):
        raise UserError("Name one document to export, or use --all for the whole library.")
    lib = open_library()
    with translation_provider(lib) as translations:
        path = export(lib, args.format, args.output, None if args.all else [args.doc], translations)
    print(f"exported {path}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from reader.core.store import backup

    if args.action == "now":
        lib = open_library()
        print(f"backup {backup.backup_now(lib)}")
    elif args.action == "list":
        for info in backup.list_backups():
            print(f"{info.created.isoformat()}\t{info.size}\t{info.path}")
    else:
        result = backup.restore(args.path) if args.path else backup.restore_newest_good()
        print(f"restored {result.library} from {result.restored_from}")
        for aside in result.kept_aside:
            print(f"kept the previous file as {aside}")
    return 0


def register(sub: Any) -> None:
    from reader.core.exporting import FORMATS
    from reader.core.store.annotations import COLORS

    notes = sub.add_parser("notes", help="highlights and notes: add, list, delete, import")
    notes_sub = notes.add_subparsers(dest="notes_command", metavar="ACTION")
    notes_sub.required = True

    p = notes_sub.add_parser("add", help="highlight a range of a document, with an optional note and tags")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--start", type=int, required=True, metavar="S", help="first character (offset)")
    p.add_argument("--end", type=int, required=True, metavar="E", help="end offset (exclusive)")
    p.add_argument("--side", choices=("original", "translation"), default="original")
    p.add_argument("--to", default="en", metavar="CODE", help="translation language for --side translation")
    p.add_argument("--color", default="yellow", metavar="NAME", help=f"one of: {', '.join(COLORS)}")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="repeat for several tags")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_notes_add)

    p = notes_sub.add_parser("list", help="list the annotations of a document or of the whole library")
    p.add_argument("doc", nargs="?", metavar="DOC")
    p.add_argument("--color", metavar="NAME")
    p.add_argument("--tag", metavar="TAG")
    p.add_argument("--text", metavar="TEXT", help="only annotations whose quote, note or tags contain TEXT")
    p.add_argument("--orphans", action="store_true", help="only annotations lost when their text changed")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_notes_list)

    p = notes_sub.add_parser("delete", help="delete an annotation")
    p.add_argument("id", metavar="ID")
    p.set_defaults(func=cmd_notes_delete)

    p = notes_sub.add_parser("import", help="restore annotations from a W3C JSON-LD export")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_notes_import)

    p = sub.add_parser("search", help="search originals, translations and notes (letter variants folded)")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--doc", metavar="DOC", help="only this document")
    p.add_argument("--limit", type=int, default=50, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export", help="export a document (or the library) with its annotations")
    p.add_argument("doc", nargs="?", metavar="DOC")
    p.add_argument("--all", action="store_true", help="the whole library")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("-o", "--output", required=True, metavar="PATH")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("backup", help="back up library.db, list backups, or restore one")
    p.add_argument("action", choices=("now", "list", "restore"))
    p.add_argument(
        "path", nargs="?", metavar="BACKUP", help="for restore: a backup file (default: newest good)"
    )
    p.set_defaults(func=cmd_backup)
