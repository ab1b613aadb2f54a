"""Saved web pages as one file: MHTML / MHT (Chrome and Edge "Save as → Webpage, single file", Word's
"Single File Web Page", Internet Explorer's web archive).

An MHTML file is a MIME message (RFC 2557): a ``multipart/related`` whose root part (the ``start``
parameter, else the first part) is the page's HTML, usually quoted-printable, followed by its images, style
sheets and frames. The root HTML part is decoded from its transfer encoding with Python's ``email`` package,
its charset taken from the part's header, else from the page itself (``<meta charset>``) or detected, and
then read by the same HTML importer as a ``.html`` file. The other parts are never decoded, executed or
fetched. The page title is the HTML ``<title>``, else the message's ``Subject``.
"""

from __future__ import annotations

import codecs
import email
import email.errors
import email.header
import email.policy
import re
from email.message import Message

from reader.core.importing.base import ImportedText, ImportRefused
from reader.core.importing.encodings import decode
from reader.core.importing.html import extract_html

_HEADER_LINE = re.compile(rb"^(?:[!-9;-~]+:[^\r\n]*|[ \t][^\r\n]*)$")


def sniff_mhtml(data: bytes) -> bool:
    """A MIME message head (RFC 5322 header lines, then a blank line) naming MIME-Version and a Content-Type
    that is multipart or HTML."""
    head = data[:16384].lstrip(b"\xef\xbb\xbf\r\n")
    end = min((i for i in (head.find(b"\r\n\r\n"), head.find(b"\n\n")) if i > 0), default=-1)
    if end <= 0:
        return False
    lines = head[:end].replace(b"\r\n", b"\n").split(b"\n")
    if not all(_HEADER_LINE.match(line) for line in lines):
        return False
    lower = head[:end].lower()
    return (
        b"mime-version:" in lower and re.search(rb"content-type:\s*(multipart/|text/html)", lower) is not None
    )


def _root_part(message: Message) -> Message | None:
    if not message.is_multipart():
        return message if message.get_content_type() in ("text/html", "text/plain") else None
    payload = message.get_payload()
    parts = payload if isinstance(payload, list) else []
    start = message.get_param("start")
    if isinstance(start, str):
        for part in parts:
            if isinstance(part, Message) and part.get("Content-ID", "").strip() == start.strip():
                found = _root_part(part)
                if found is not None:
                    return found
    for part in parts:
        if isinstance(part, Message):
            found = _root_part(part)
            if found is not None and found.get_content_type() == "text/html":
                return found
    for part in parts:
        if isinstance(part, Message):
            found = _root_part(part)
            if found is not None:
                return found
    return None


def import_mhtml(data: bytes, label: str) -> ImportedText:
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
    except Exception as exc:  # the email parser is lenient; anything it raises means a broken file
        raise ImportRefused(f"{label} is a saved web page (MHTML) that cannot be read ({exc}).") from None
    part = _root_part(message)
    if part is None:
        raise ImportRefused(f"{label} is a saved web page (MHTML) with no page in it.")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise ImportRefused(f"{label} is a saved web page (MHTML) whose page is empty.")

    html = part.get_content_type() == "text/html"
    warnings: list[str] = []
    charset = part.get_content_charset()
    text: str | None = None
    encoding = ""
    if charset:
        try:
            encoding = codecs.lookup(charset).name
            text = payload.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, encoding, warnings = decode(payload, label, html)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:  # as for any text file: stray NULs are dropped (lxml refuses them)
        warnings.append(f"{label}: {text.count(chr(0))} NUL character(s) were removed from the page.")
        text = text.replace("\x00", "")

    subject = _subject(message)
    if html:
        try:
            body, title = extract_html(text)
        except ValueError:  # lxml refuses what is left of a part whose headers are damaged
            raise ImportRefused(f"{label} is a saved web page (MHTML) that is damaged.") from None
        if not body.strip():
            raise ImportRefused(f"{label} is a saved web page (MHTML) with no readable text.")
        return ImportedText(body, title or subject, encoding, "mhtml", warnings)
    if not text.strip():
        raise ImportRefused(f"{label} is a saved web page (MHTML) with no readable text.")
    return ImportedText(text, subject, encoding, "mhtml", warnings)


def _subject(message: Message) -> str | None:
    raw = message.get("Subject")
    if not raw:
        return None
    try:
        decoded = str(email.header.make_header(email.header.decode_header(str(raw))))
    except (UnicodeError, LookupError, email.errors.MessageError):
        decoded = str(raw)
    return " ".join(decoded.split()) or None
