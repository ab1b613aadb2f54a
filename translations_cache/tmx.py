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
    from importlib.metadata import PackageNotFoundError, version  # brings email: only when a TMX is written

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


# --- reading -------------------------------------------------------------------------------------------------


class TmxImportError(TranslationCacheError):
    """The file cannot be read as TMX at all (not XML, declares entities or a DTD of its own, not ``<tmx>``);
    ``str()`` is one sentence. Problems of single units are reported per unit instead."""


@dataclass
class TmxVariant:
    """One ``<tuv>``: its language, its segment text, and whether the segment held inline markup."""

    lang: str
    text: str
    inline: bool = False
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class TmxReadUnit:
    """One ``<tu>`` as read, before any validation (``number`` counts from 1; ``line`` where it starts)."""

    number: int
    line: int
    srclang: str
    attrs: dict[str, str]
    props: dict[str, str]
    variants: list[TmxVariant]


MAX_TMX_SEGMENT = 20_000  # characters; a longer "sentence" is refused


def read_tmx(path: str | os.PathLike[str], header_srclang: list[str] | None = None) -> list[TmxReadUnit]:
    """Read every ``<tu>`` of a TMX file with expat, safely: a document type with an internal subset, any
    entity declaration and any undefined entity are refused (no entity is ever expanded, nothing external is
    fetched). Raises :class:`TmxImportError` (one sentence) when the file is not usable at all."""
    from xml.parsers import expat

    target = Path(path)
    units: list[TmxReadUnit] = []
    stack: list[str] = []
    state: dict[str, object] = {"root": None, "srclang": "", "unit": None, "variant": None, "prop": None}
    text: list[str] = []

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_doctype(name: str, sysid: str | None, pubid: str | None, internal: int) -> None:
        if internal:
            raise TmxImportError(f"{target.name} declares a DTD of its own, which is not read for safety.")

    def refuse_entity(*args: object) -> None:
        raise TmxImportError(f"{target.name} declares XML entities, which are not read for safety.")

    def start(name: str, attrs: dict[str, str]) -> None:
        parent = stack[-1] if stack else None
        stack.append(name)
        if parent is None:
            if name != "tmx":
                raise TmxImportError(f"{target.name} is not a TMX file (its root element is <{name}>).")
            state["root"] = name
        elif name == "header":
            state["srclang"] = attrs.get("srclang", "")
        elif name == "tu":
            units.append(
                TmxReadUnit(
                    len(units) + 1,
                    parser.CurrentLineNumber,
                    attrs.get("srclang", "") or str(state["srclang"]),
                    dict(attrs),
                    {},
                    [],
                )
            )
            state["unit"] = units[-1]
        elif name == "tuv" and state["unit"] is not None:
            variant = TmxVariant(attrs.get("xml:lang", attrs.get("lang", "")), "", False, dict(attrs))
            unit = state["unit"]
            assert isinstance(unit, TmxReadUnit)
            unit.variants.append(variant)
            state["variant"] = variant
        elif name == "seg":
            text.clear()
        elif name == "prop" and parent == "tu":
            state["prop"] = attrs.get("type", "")
            text.clear()
        elif "seg" in stack[:-1]:  # inline markup (<ph>, <bpt>, <hi>…): its native codes are not text
            current = state["variant"]
            if isinstance(current, TmxVariant):
                current.inline = True

    def end(name: str) -> None:
        stack.pop()
        if name == "seg":
            variant = state["variant"]
            if isinstance(variant, TmxVariant):
                variant.text = "".join(text)
        elif name == "prop" and state["prop"] is not None:
            unit = state["unit"]
            if isinstance(unit, TmxReadUnit):
                unit.props[str(state["prop"])] = "".join(text)
            state["prop"] = None
        elif name == "tuv":
            state["variant"] = None
        elif name == "tu":
            state["unit"] = None

    def chars(data: str) -> None:
        if not stack:
            return
        if stack[-1] == "seg" or (stack[-1] == "prop" and state["prop"] is not None):
            text.append(data)

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = lambda *args: 0
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        with target.open("rb") as handle:
            parser.ParseFile(handle)
    except OSError as exc:
        raise TmxImportError(f"Could not read {target}: {exc.strerror or exc}.") from exc
    except expat.ExpatError as exc:
        raise TmxImportError(
            f"{target.name} is not well-formed XML ({expat.ErrorString(exc.code)}, line {exc.lineno})."
        ) from exc
    if state["root"] is None:
        raise TmxImportError(f"{target.name} is not a TMX file.")
    if header_srclang is not None:
        header_srclang.append(str(state["srclang"]))
    return units
