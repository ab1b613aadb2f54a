"""ZIP containers (DOCX, ODT, EPUB) and their XML parts, read defensively.

A container is untrusted input: it may be truncated, a zip bomb (a few KB that inflate to gigabytes, or
hundreds of thousands of entries), or carry XML with entity tricks (billion laughs, external entities reading
local files). So:

- at most :data:`MAX_ENTRIES` entries, and the sum of the declared uncompressed sizes at most
  :data:`MAX_UNCOMPRESSED`; every part is read in chunks and abandoned past :data:`MAX_PART` whatever its
  header says;
- XML is parsed by lxml with no DTD loading, no entity substitution, no network and libxml2's default limits
  (``huge_tree=False``: nesting depth and text node sizes are bounded); a part that declares entities in a
  DOCTYPE is refused outright (no office suite or e-book writer emits one);
- every failure is one :class:`ImportRefused` sentence naming the file and what it is.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from html.entities import html5

import lxml.etree

from reader.core.importing.base import ImportRefused

MAX_ENTRIES = 10_000
MAX_UNCOMPRESSED = 512 * 1024 * 1024
"""Sum of the declared uncompressed sizes of all entries (images included, which are never read)."""
MAX_PART = 64 * 1024 * 1024
"""Largest XML part that is read (a 1,000-page novel's chapter is a few MB)."""
_CHUNK = 1024 * 1024


class Damaged(ImportRefused):
    """A container or part that cannot be read as what it claims to be (truncated, corrupt, not XML)."""


class Container:
    """A ZIP archive checked against bombs; ``kind`` names the format in sentences ("a Word document")."""

    def __init__(self, data: bytes, label: str, kind: str) -> None:
        self.label = label
        self.kind = kind
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            ValueError,
            EOFError,
            NotImplementedError,
        ) as exc:
            raise self.damaged(f"the archive cannot be read: {exc}") from None
        if len(infos) > MAX_ENTRIES:
            raise ImportRefused(
                f"{label} holds {len(infos):,} files, more than {kind} ever has "
                f"(the limit is {MAX_ENTRIES:,}); it was not imported."
            )
        if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
            raise self.bomb()
        self.names = {info.filename for info in infos}

    def damaged(self, detail: str) -> Damaged:
        detail = detail.rstrip(".")
        return Damaged(f"{self.label} is {self.kind} that is damaged or incomplete ({detail}).")

    def bomb(self) -> ImportRefused:
        return ImportRefused(
            f"{self.label} unpacks to more than {MAX_UNCOMPRESSED // 1024 // 1024} MB, far more than "
            f"{self.kind} of text; it was not imported (it may be a zip bomb)."
        )

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """The bytes of one entry; a missing, corrupt, encrypted or oversized entry is refused."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise self.damaged(f"{name} is missing") from None
        if info.flag_bits & 0x1:
            raise ImportRefused(f"{self.label} is {self.kind} protected by a password; it was not imported.")
        if info.file_size > MAX_PART:
            raise self.bomb()
        out = bytearray()
        try:
            with self.zip.open(info) as handle:
                while chunk := handle.read(_CHUNK):
                    out += chunk
                    if len(out) > MAX_PART:
                        raise self.bomb()
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise self.damaged(f"{name} cannot be unpacked: {exc}") from None
        except NotImplementedError:
            raise self.damaged(f"{name} uses a compression method Yanyana does not know") from None
        except RuntimeError:  # zipfile: "File … is encrypted, password required"
            raise ImportRefused(
                f"{self.label} is {self.kind} protected by a password; it was not imported."
            ) from None
        return bytes(out)

    def xml(self, name: str) -> lxml.etree._Element:
        return parse_xml(self.read(name), self, name)

    def xml_if_present(self, name: str) -> lxml.etree._Element | None:
        return self.xml(name) if self.has(name) else None


def _parser(*, recover: bool = False) -> lxml.etree.XMLParser:
    return lxml.etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})


def parse_xml(
    data: bytes, container: Container, name: str, *, html_entities: bool = False
) -> lxml.etree._Element:
    """Parse one XML part safely. ``html_entities``: XHTML (EPUB 2 chapters) may use HTML's named entities
    (``&nbsp;``) through a DTD that is never loaded; they are replaced by their characters and the part parsed
    again."""
    if _declares_entities(data):
        raise ImportRefused(
            f"{container.label} declares XML entities in {name}, which Yanyana never expands "
            "(a known way to attack document readers); it was not imported."
        )
    try:
        root = lxml.etree.fromstring(data, parser=_parser())
    except lxml.etree.XMLSyntaxError as exc:
        if html_entities:
            text = _decode_xml(data)
            if text is not None:
                fixed = _NAMED_ENTITY.sub(_replace_entity, text)
                try:
                    root = lxml.etree.fromstring(fixed.encode("utf-8"), parser=_parser())
                except lxml.etree.XMLSyntaxError:
                    pass
                else:
                    return _checked(root, container, name)
        if "Excessive depth" in str(exc):
            raise ImportRefused(
                f"{container.label} nests elements more than 256 deep in {name}, which no real document "
                "does; it was not imported."
            ) from None
        raise container.damaged(f"{name} is not well-formed XML: {_first_line(str(exc))}") from None
    return _checked(root, container, name)


def _checked(root: lxml.etree._Element | None, container: Container, name: str) -> lxml.etree._Element:
    if root is None:
        raise container.damaged(f"{name} is empty")
    return root


def _declares_entities(data: bytes) -> bool:
    """A DOCTYPE with ``<!ENTITY`` declarations (raw ``<!ENTITY`` occurs nowhere else in a real part). Even
    when one slips through, ``resolve_entities=False`` leaves it unexpanded."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return False
    return bool(_DOCTYPE.search(data)) and bool(_ENTITY_DECLARATION.search(data))


def _replace_entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    char = html5.get(name + ";")
    return char if char is not None else match.group(0)


_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([-\w.:]+)["']""")


def _decode_xml(data: bytes) -> str | None:
    match = _XML_ENCODING.match(data)
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    return re.sub(r"^\s*<\?xml[^>]*\?>", '<?xml version="1.0"?>', text.lstrip("\ufeff"), count=1)


def _first_line(message: str) -> str:
    return message.splitlines()[0] if message else "syntax error"


def local(tag: object) -> str:
    """The local name of an element's tag (``{ns}p`` → ``p``); comments and PIs give an empty string."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def collapse(text: str) -> str:
    """Runs of spaces, tabs and newlines in an XML text node → one space (ZWNJ, NBSP and bidi marks kept)."""
    return re.sub(r"[ \t\r\n]+", " ", text)


DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


def dublin_core(root: lxml.etree._Element | None) -> tuple[str | None, str | None]:
    """The first ``dc:title`` and ``dc:language`` anywhere under ``root`` (DOCX core.xml, ODT meta.xml)."""
    if root is None:
        return None, None
    values = []
    for name in ("title", "language"):
        el = root.find(f".//{{{DUBLIN_CORE}}}{name}")
        values.append(el.text if el is not None else None)
    return values[0], values[1]
