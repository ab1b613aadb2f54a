"""The ``yanyana`` command: the headless twin of the app, one module per command group.

Errors a user can cause (:class:`reader.errors.YanyanaError`, and the translation cache's own
:class:`~translations_cache.TranslationCacheError`) print one line starting with ``error:`` on stderr and exit
with code 2; anything else is a bug and shows its traceback. Each group module has a ``register(subparsers)``
function and imports its heavy dependencies (the import stack, CTranslate2, Qt) only when a command runs.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from typing import TextIO, cast

from reader import __version__, paths
from reader.cli import corrections, desktop, documents, notes, translation, ui
from reader.cli.common import EXIT_USER_ERROR, SafeStream
from reader.core.store.faults import describe_sqlite_error, is_storage_fault
from reader.errors import YanyanaError
from translations_cache import TranslationCacheError

GROUPS = (documents, translation, corrections, notes, ui, desktop)


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
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.home:
        paths.set_home(args.home)
    stdout, stderr = sys.stdout, sys.stderr
    # Titles, notes and error messages quote untrusted text: nothing printed may drive the terminal.
    sys.stdout, sys.stderr = cast(TextIO, SafeStream(stdout)), cast(TextIO, SafeStream(stderr))
    try:
        return _run(args)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args) or 0)
    except (YanyanaError, TranslationCacheError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except sqlite3.Error as exc:  # a storage fault the store did not phrase (full disk, I/O error, lock)
        if not is_storage_fault(exc):
            raise  # a bug: its traceback
        print(f"error: {describe_sqlite_error(exc)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `yanyana list | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
