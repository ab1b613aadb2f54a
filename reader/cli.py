"""The ``yanyana`` command: the headless twin of the app.

Errors a user can cause print one line starting with ``error:`` on stderr and exit with code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from reader import __version__, paths

EXIT_USER_ERROR = 2


class UserError(Exception):
    """Raised by commands for a mistake the user can fix; printed as ``error: <message>``."""


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _user_errors() -> tuple[type[BaseException], ...]:
    """Every exception class whose message is meant for the user (imported lazily: start-up stays light)."""
    from reader.core import importing, library

    errors: list[type[BaseException]] = [UserError, importing.ImportRefused, library.LibraryError, ValueError]
    from reader.translation import models
    from translations_cache import TranslationCacheError

    errors += [models.ModelError, TranslationCacheError]
    return tuple(errors)


def _open_library() -> Any:
    from reader.core.library import Library

    return Library()


# --- documents ---------------------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from reader.core.library import import_many

    lib = _open_library()
    failed = 0
    for path, result, error in import_many(lib, args.paths, lang=args.lang):
        if error is not None:
            failed += 1
            print(f"error: {error}", file=sys.stderr)
            continue
        assert result is not None
        doc = result.document
        if args.json:
            _print_json(
                {
                    "id": doc.id,
                    "title": doc.title,
                    "lang": doc.lang,
                    "direction": doc.direction,
                    "paragraphs": result.paragraphs,
                    "segments": result.segments,
                    "warnings": result.warnings,
                    "created": result.created,
                    "updated": result.updated,
                    "source": str(path),
                }
            )
        else:
            verb = "imported" if result.created else "updated" if result.updated else "already present"
            print(f"{doc.id}\t{verb}\t{doc.lang}\t{result.segments} sentences\t{doc.title}")
            for warning in result.warnings:
                print(f"warning: {path.name}: {warning}", file=sys.stderr)
    return EXIT_USER_ERROR if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    lib = _open_library()
    docs = lib.documents()
    if args.json:
        _print_json(
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
            print(f"{d.id}\t{d.lang}\t{d.direction}\t{d.segments}\t{d.title}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    lib = _open_library()
    doc = lib.get(args.doc)
    segments = lib.segments(doc.id)
    texts = [doc.text[s.start : s.end] for s in segments]
    translations = _cached_translations(texts, doc.lang, args.to, lib.segment_languages(doc.id))
    if args.json:
        _print_json(
            {
                "id": doc.id,
                "title": doc.title,
                "lang": doc.lang,
                "direction": doc.direction,
                "source": doc.source,
                "text": doc.text,
                "paragraphs": [
                    {"index": p.index, "start": p.start, "end": p.end, "lang": p.lang}
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
                    }
                    for s, text in zip(segments, texts, strict=True)
                ],
            }
        )
    else:
        print(f"# {doc.title}  [{doc.lang}, {doc.direction}, id {doc.id}]")
        paragraph = -1
        for s, text in zip(segments, texts, strict=True):
            if s.paragraph != paragraph:
                if paragraph >= 0:
                    print()
                paragraph = s.paragraph
            print(text)
            if s.index in translations:
                print(f"  → {translations[s.index]}")
    return 0


def _cached_translations(
    texts: Sequence[str], from_code: str, to_code: str, languages: Sequence[str]
) -> dict[int, str]:
    """Translations already in the cache for an installed model (no model is loaded)."""
    if from_code == to_code:
        return {}
    try:
        from reader.translation.engine import Engine
        from translations_cache import TranslationMemory
    except ImportError:  # pragma: no cover - translation layer not installed yet
        return {}
    memory = TranslationMemory(paths.translations_db())
    engine = Engine(memory=memory)
    try:
        return engine.cached(list(texts), from_code, to_code, languages=languages)
    finally:
        engine.close()
        memory.close()


def cmd_remove(args: argparse.Namespace) -> int:
    lib = _open_library()
    doc = lib.remove(args.doc)
    print(f"removed {doc.id}\t{doc.title}")
    return 0


# --- parser ------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="yanyana",
        description="Yanyana: read articles side by side with an offline English translation.",
    )
    parser.add_argument("--version", action="version", version=f"yanyana {__version__}")
    parser.add_argument(
        "--home", metavar="DIR", help="data directory (default: $YANYANA_HOME or the user data dir)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("import", help="import text, Markdown or HTML files (or folders of them)")
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

    for register in EXTENSIONS:
        register(sub)
    return parser


# Other command groups (models, translate, cache, notes, …) live in their own modules, each with a
# `register(subparsers)` function; they import their heavy dependencies only when a command runs.
EXTENSION_MODULES = ["reader.cli_translation", "reader.cli_notes", "reader.cli_ui"]
EXTENSIONS: list[Callable[[Any], None]] = []


def _load_extensions() -> None:
    import importlib

    for name in EXTENSION_MODULES:
        register = importlib.import_module(name).register
        if register not in EXTENSIONS:
            EXTENSIONS.append(register)


def main(argv: Sequence[str] | None = None) -> int:
    _load_extensions()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.home:
        paths.set_home(args.home)
    try:
        return int(args.func(args) or 0)
    except _user_errors() as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `yanyana list | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
