"""``yanyana import``, ``list``, ``show`` and ``remove``: the documents in the library."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from reader.cli.common import EXIT_USER_ERROR, open_library, print_json
from reader.core.store.library import import_many
from reader.display import field, path_text
from reader.translation.documents import DocumentSentences, cache_engine, document_translations


def cmd_import(args: argparse.Namespace) -> int:
    lib = open_library()
    failed = 0
    for path, result, error in import_many(lib, args.paths, lang=args.lang):
        if error is not None:
            failed += 1
            print(f"error: {error}", file=sys.stderr)
            continue
        assert result is not None
        doc = result.document
        if args.json:
            print_json(
                {
                    "id": doc.id,
                    "title": doc.title,
                    "lang": doc.lang,
                    "direction": doc.direction,
                    "format": doc.format,
                    "paragraphs": result.paragraphs,
                    "segments": result.segments,
                    "warnings": result.warnings,
                    "created": result.created,
                    "updated": result.updated,
                    "source": path_text(path),
                    **({"pages": doc.pages} if doc.format == "pdf" else {}),
                }
            )
        else:
            verb = "imported" if result.created else "updated" if result.updated else "already present"
            print(f"{doc.id}\t{verb}\t{doc.lang}\t{result.segments} sentences\t{field(doc.title)}")
            for warning in result.warnings:
                print(f"warning: {field(path_text(path.name))}: {warning}", file=sys.stderr)
    return EXIT_USER_ERROR if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    lib = open_library()
    docs = lib.documents()
    if args.json:
        print_json(
            [
                {
                    "id": d.id,
                    "title": d.title,
                    "lang": d.lang,
                    "direction": d.direction,
                    "segments": d.segments,
                }
                for d in docs
            ]
        )
    else:
        for d in docs:
            print(f"{d.id}\t{d.lang}\t{d.direction}\t{d.segments}\t{field(d.title)}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    lib = open_library()
    sentences = DocumentSentences.read(lib, args.doc)
    doc, segments, texts = sentences.document, sentences.segments, sentences.texts
    with cache_engine() as engine:
        known = document_translations(lib, engine, sentences, args.to)
    translations = known.texts
    if args.json:
        print_json(
            {
                "id": doc.id,
                "title": doc.title,
                "lang": doc.lang,
                "direction": doc.direction,
                "source": doc.source,
                "text": doc.text,
                "paragraphs": [
                    {
                        "index": p.index,
                        "start": p.start,
                        "end": p.end,
                        "lang": p.lang,
                        **({"page": p.page} if p.page is not None else {}),
                        **({"kind": p.kind} if p.kind is not None else {}),
                        **({"level": p.level} if p.level is not None else {}),
                        **({"direction": p.direction} if p.direction is not None else {}),
                    }
                    for p in lib.paragraphs(doc.id)
                ],
                "segments": [
                    {
                        "index": s.index,
                        "paragraph": s.paragraph,
                        "start": s.start,
                        "end": s.end,
                        "text": text,
                        "translation": translations.get(s.index),
                        "translation_origin": known.origin(s.index),
                        "untranslated_reason": known.untranslated.get(s.index),
                        "suggestion": _suggestion(known, s.index),
                    }
                    for s, text in zip(segments, texts, strict=True)
                ],
            }
        )
    else:
        print(f"# {field(doc.title)}  [{doc.lang}, {doc.direction}, id {doc.id}]")
        paragraph = -1
        for s, text in zip(segments, texts, strict=True):
            if s.paragraph != paragraph:
                if paragraph >= 0:
                    print()
                paragraph = s.paragraph
            print(text)
            if s.index in translations:
                mark = "  [corrected]" if s.index in known.human else ""
                print(f"  → {translations[s.index]}{mark}")
            elif translations and s.index in known.untranslated:  # a paragraph no installed model reads
                print(f"  ({known.untranslated[s.index]})")
    return 0


def _suggestion(known: Any, index: int) -> dict[str, Any] | None:
    found = known.suggestions.get(index)
    if found is None:
        return None
    return {
        "text": found.text,
        "from": "your corrections",
        "document": found.document,
        "segment": found.segment,
        "author": found.author,
    }


def cmd_remove(args: argparse.Namespace) -> int:
    lib = open_library()
    doc = lib.remove(args.doc)
    print(f"removed {doc.id}\t{field(doc.title)}")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import", help="import text, Markdown, HTML, DOCX, ODT, EPUB, MHTML or PDF files (or folders of them)"
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--lang", metavar="CODE", help="language of the documents (ISO 639-1), instead of detecting it"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per line per file")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list the documents in the library")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show a document's sentences (and cached translations)")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--to", default="en", metavar="CODE", help="translation language (default: en)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("remove", help="remove a document from the library")
    p.add_argument("doc", metavar="DOC")
    p.set_defaults(func=cmd_remove)
