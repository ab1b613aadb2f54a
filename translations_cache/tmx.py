"""A small streaming TMX 1.4b writer (no Qt, no third-party XML library).

Units are written one by one, so exporting a large translation memory never holds the whole document in
memory. The file is written to a temporary name next to the target and then ``os.replace``d, so a crash or a
full disk never leaves half a TMX file behind.

Only the parts of TMX 1.4b that a sentence-level translation memory needs are produced: a ``<header>`` with all
the required attributes, and ``<tu>`` elements with optional ``<prop>``s and one ``<tuv xml:lang=..><seg>`` per
language. Characters that XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are removed; ``&``,
``<``, ``>``, quotes and carriage returns are escaped so the text round-trips through any XML parser.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TextIO

CREATION_TOOL = "Yanyana"
O_TMF = "Yanyana translations.db"

# Everything outside XML 1.0's Char production:
# #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_ILLEGAL_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}
)


class TranslationCacheError(Exception):
    """Base of every error this package raises (``CacheWriteError``, ``TmxExportError``); ``str()`` is one
    user-facing sentence. Defined here, in the package's lowest module, so both can share it."""


class TmxExportError(TranslationCacheError):
    """The TMX file could not be written; ``str()`` is one user-facing sentence."""


@dataclass(frozen=True, slots=True)
class TmxUnit:
    """One translation unit: a source segment and its translation."""

    source_lang: str
    target_lang: str
    source: str
    target: str
    props: tuple[tuple[str, str], ...] = field(default=())
    creationdate: datetime | None = None
    lastusagedate: datetime | None = None


def strip_illegal_xml(text: str) -> str:
    """Remove characters that cannot appear in an XML 1.0 document at all (not even escaped)."""
    return _ILLEGAL_XML.sub("", text)


def escape_text(text: str) -> str:
    return strip_illegal_xml(text).translate(_TEXT_ESCAPES)


def escape_attr(text: str) -> str:
    return strip_illegal_xml(text).translate(_ATTR_ESCAPES)


def tmx_date(moment: datetime) -> str:
    """TMX's date format: ISO 8601 basic, UTC, e.g. ``20261124T101500Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _creation_tool_version() -> str:
    """The installed Yanyana's version from package metadata (this package imports nothing from the app)."""
    try:
        return version("yanyana")
    except PackageNotFoundError:
        return "unknown"


def _attrs(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {name}="{escape_attr(value)}"' for name, value in pairs)


def _write_document(out: TextIO, units: Iterable[TmxUnit], srclang: str) -> int:
    header = [
        ("creationtool", CREATION_TOOL),
        ("creationtoolversion", _creation_tool_version()),
        ("datatype", "plaintext"),
        ("segtype", "sentence"),
        ("adminlang", "en"),
        ("srclang", srclang),
        ("o-tmf", O_TMF),
        ("creationdate", tmx_date(datetime.now(UTC))),
    ]
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
    out.write('<tmx version="1.4">\n')
    out.write(f"  <header{_attrs(header)}/>\n")
    out.write("  <body>\n")
    written = 0
    for unit in units:
        source = escape_text(unit.source)
        if not source.strip():
            continue  # nothing left to align (e.g. the source was only control characters)
        tu_attrs: list[tuple[str, str]] = [("srclang", unit.source_lang)]
        if unit.creationdate is not None:
            tu_attrs.append(("creationdate", tmx_date(unit.creationdate)))
        if unit.lastusagedate is not None:
            tu_attrs.append(("lastusagedate", tmx_date(unit.lastusagedate)))
        out.write(f"    <tu{_attrs(tu_attrs)}>\n")
        for prop_type, value in unit.props:
            out.write(f'      <prop type="{escape_attr(prop_type)}">{escape_text(value)}</prop>\n')
        out.write(f'      <tuv xml:lang="{escape_attr(unit.source_lang)}"><seg>{source}</seg></tuv>\n')
        out.write(
            f'      <tuv xml:lang="{escape_attr(unit.target_lang)}"><seg>{escape_text(unit.target)}</seg></tuv>\n'
        )
        out.write("    </tu>\n")
        written += 1
    out.write("  </body>\n")
    out.write("</tmx>\n")
    return written


def write_tmx(path: str | os.PathLike[str], units: Iterable[TmxUnit], srclang: str) -> int:
    """Write ``units`` as a TMX 1.4b document at ``path`` atomically; return the number of units written.

    ``srclang`` is the header's source language: a language code, or ``"*all*"`` when units have different
    source languages (each ``<tu>`` also carries its own ``srclang``). Raises :class:`TmxExportError` with one
    sentence when the file cannot be written; the target is then left untouched.
    """
    target = Path(path)
    parent = target.parent
    if target.is_dir():
        raise TmxExportError(f"Could not write the TMX file {target}: it is a folder.")
    try:
        fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise TmxExportError(f"Could not write the TMX file {target}: {exc.strerror or exc}.") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            written = _write_document(out, units, srclang)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates the file private (0600); an export is a document for the user, like any other.
        os.chmod(tmp_name, _mode_for(target))
        os.replace(tmp_name, target)
    except OSError as exc:
        _unlink_quietly(tmp_name)
        raise TmxExportError(f"Could not write the TMX file {target}: {exc.strerror or exc}.") from exc
    except BaseException:
        _unlink_quietly(tmp_name)
        raise
    return written


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o644


def _unlink_quietly(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)
