"""Untrusted text shown safely: terminal control characters and bidi controls made visible, CSV formulas defused.

Titles, quotes, notes and tags come from files and packages nobody vetted. Shown raw, an ESC sequence in a
``<title>`` clears the screen or retitles the terminal, and ``U+202E`` (RIGHT-TO-LEFT OVERRIDE) makes
``txt.exe`` read as ``exe.txt`` or reverses the columns after it. This bottom module (no imports from the app) is
used by the CLI for every line it prints and is meant for the window's lists too.

* C0 and C1 control characters (except tab and newline) become visible escapes (``\\x1b``, ``\\x9b``).
* Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) become visible ``\\u202e`` escapes:
  they change the order of everything after them on the line, which no field of ours may do.
* LRM, RLM and ALM (U+200E, U+200F, U+061C) are weak marks that Persian and Arabic text legitimately contains;
  inside a field they are kept, at a field's edge (where they would act on the neighbouring column) they are
  escaped by :func:`field`.
* :func:`csv_cell` applies the OWASP rule against formula injection: a cell starting with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return gets a leading apostrophe, so a spreadsheet shows it as text.
"""

from __future__ import annotations

import os
import re

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BIDI_MARKS = frozenset("\u200e\u200f\u061c")

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_WITH_MARKS_AT_EDGES = re.compile(
    "^[\u200e\u200f\u061c]+|[\u200e\u200f\u061c]+$|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    return "".join(_escape_char(c) for c in match.group(0))


def _escape_char(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control character (but tab and newline) and every bidi embedding, override and
    isolate replaced by a visible escape; everything else, LRM/RLM and ZWNJ included, unchanged."""
    return _UNSAFE.sub(_escape, text)


def field(text: str) -> str:
    """One column of a line (a title, a quote, a note): :func:`terminal_safe`, plus LRM/RLM/ALM escaped at the
    field's edges so they cannot act on the next column."""
    return _UNSAFE_WITH_MARKS_AT_EDGES.sub(_escape, text)


def json_safe(dumped: str) -> str:
    """Output of ``json.dumps(..., ensure_ascii=False)`` with C1 controls, bidi controls and the line/paragraph
    separators written as ``\\uXXXX`` escapes: the same JSON value, but nothing that acts on a terminal
    (``json.dumps`` already escapes C0 controls)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP): text starting with ``=``, ``+``, ``-``,
    ``@``, tab or CR gets a leading apostrophe. Numbers and other non-text values are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADERS):
        return "'" + value
    return value


def path_text(path: str | os.PathLike[str]) -> str:
    """A path as valid text: bytes of a file name that are not UTF-8 (kept by Python as lone surrogates, which
    SQLite and a strict terminal refuse) are written as ``\\xNN``. The same path always gives the same text."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", errors="backslashreplace")
