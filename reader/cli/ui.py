"""``yanyana open [DOC] [--screenshot PATH]``: open the reader window from the command line.

DOC is a document id or a file (imported first if it is new). When a window is already running on the same data
directory, DOC is handed to it and the command returns at once (what the desktop entry relies on).
"""

from __future__ import annotations

import argparse
from typing import Any

from reader.cli.common import UserError


def check_size(text: str) -> str:
    """``--size``: WIDTHxHEIGHT, each 200–10000 pixels (checked before Qt starts: one ``error:`` line)."""
    parts = text.lower().replace("×", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise UserError(f"--size {text!r} is not a size like 1366x768.")
    if not all(200 <= int(p) <= 10000 for p in parts):
        raise UserError(f"--size {text!r}: width and height must be between 200 and 10000 pixels.")
    return "x".join(p.strip() for p in parts)


def cmd_open(args: argparse.Namespace) -> int:
    from reader.ui.app import main

    if args.size:
        args.size = check_size(args.size)

    argv: list[str] = []
    if args.screenshot:
        argv += ["--screenshot", args.screenshot]
    if args.size:
        argv += ["--size", args.size]
    if args.theme:
        argv += ["--theme", args.theme]
    if args.new_instance:
        argv.append("--new-instance")
    if args.doc is not None:
        argv.append(str(args.doc))
    return main(argv)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "open",
        help="open the reader window (optionally on a document; --screenshot saves a PNG and exits)",
    )
    p.add_argument("doc", nargs="?", metavar="DOC", help="document id, or a file to import and open")
    p.add_argument(
        "--screenshot",
        metavar="PATH",
        help="open at 1280×800, wait until the visible part is translated or the missing-model banner shows, "
        "save a PNG of the window and exit 0 (works with QT_QPA_PLATFORM=offscreen)",
    )
    p.add_argument(
        "--size", metavar="WxH", help="window size for --screenshot, e.g. 683x740 (default 1280x800)"
    )
    p.add_argument(
        "--theme",
        choices=["light", "sepia", "dark"],
        help="colour theme for this run (default: the saved one)",
    )
    p.add_argument(
        "--new-instance",
        action="store_true",
        help="start another window even if one is already running on this data directory "
        "(otherwise DOC is handed to it)",
    )
    p.set_defaults(func=cmd_open)
