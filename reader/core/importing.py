"""Bytes → text: encodings, HTML main text and clear refusals.

Everything a user can get wrong with a file (empty, binary, unknown encoding, too large, missing)
raises :class:`ImportRefused`, whose ``str()`` is one sentence naming the file.

Decoding order for plain text and Markdown:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides;
2. NUL bytes: a UTF-16/UTF-32 file without BOM is recognised by where its zero bytes fall; otherwise
   scattered NULs are removed with a warning, and a file that is mostly NULs is refused;
3. strict UTF-8 (a multibyte character cut off at the very end is dropped with a warning; a few
   corrupt bytes in otherwise clearly UTF-8 text are replaced with U+FFFD, with a warning);
4. legacy 8-bit encodings: charset-normalizer's guesses plus the code pages real archives use are
   each decoded and scored for *plausibility* (letters in words of one script, no C1 controls or
   stray symbols, no lower→upper case flips inside words, accented Latin letters that belong to one
   alphabet, function words of real languages); the best scoring decode wins.  charset-normalizer
   alone often mistakes short Turkish for cp1250 and can mistake short Persian for a Mac code page.

HTML (by extension, or content starting with ``<!doctype html``/``<html``) is decoded with BOM >
``<meta charset>`` > the same detection, parsed by lxml's HTML parser with network access off (the
HTML parser never loads DTDs or external entities, nothing is fetched, nothing runs), stripped of
scripts, styles, navigation, page header/footer, frames and embedded content, and its main text is
picked with jusText (stoplist chosen by the page's own words; language-independent mode when no
stoplist fits), falling back to a structural extraction of h1–h6/p/li/blockquote.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import charset_normalizer
import justext
import lxml.etree
import lxml.html
from justext.core import ParagraphMaker, classify_paragraphs, revise_paragraph_classification
from justext.paragraph import Paragraph

__all__ = ["MAX_BYTES", "ImportRefused", "ImportedText", "import_bytes", "import_file"]

MAX_BYTES = 50 * 1024 * 1024
"""Largest file Yanyana imports (50 MB: far beyond any article, small enough to decode in memory)."""

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


class ImportRefused(Exception):
    """A file that cannot be imported; ``str()`` is one user-facing sentence naming the file."""


@dataclass
class ImportedText:
    text: str
    title: str | None
    encoding: str
    format: str
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------------


def import_file(path: str | Path) -> ImportedText:
    """Read ``path`` and import it; a missing, unreadable or oversized file raises :class:`ImportRefused`."""
    p = Path(path)
    name = p.name or str(p)
    try:
        if p.is_dir():
            raise ImportRefused(f"{name} is a folder, not a file.")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ImportRefused(_too_large(name, size))
        with p.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ImportRefused(f"{name} does not exist.") from None
    except IsADirectoryError:
        raise ImportRefused(f"{name} is a folder, not a file.") from None
    except PermissionError:
        raise ImportRefused(f"{name} cannot be read (permission denied).") from None
    except OSError as exc:
        raise ImportRefused(f"{name} cannot be read ({exc.strerror or 'input/output error'}).") from None
    return import_bytes(data, name)


def import_bytes(data: bytes, name: str = "") -> ImportedText:
    """Decode ``data`` (the content of a file called ``name``) into text, or raise :class:`ImportRefused`."""
    label = Path(name).name if name else "The file"
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ImportRefused(_too_large(label, len(data)))
    if not data:
        raise ImportRefused(f"{label} is empty.")
    _refuse_known_binary(data, label)

    suffix = Path(name).suffix.lower() if name else ""
    html_hint = suffix in HTML_SUFFIXES or _sniff_html_bytes(data)
    text, encoding, warnings = _decode(data, label, html_hint)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportRefused(f"{label} contains only blank space." if text else f"{label} is empty.")

    if html_hint or _sniff_html_text(text):
        body, title = _extract_html(text)
        if not body.strip():
            raise ImportRefused(f"{label} contains no readable text.")
        return ImportedText(text=body, title=title, encoding=encoding, format="html", warnings=warnings)
    fmt = "markdown" if suffix in MARKDOWN_SUFFIXES else "text"
    return ImportedText(text=text, title=None, encoding=encoding, format=fmt, warnings=warnings)


def _too_large(label: str, size: int) -> str:
    return (
        f"{label} is too large to import ({size / 1024 / 1024:.0f} MB; "
        f"the limit is {MAX_BYTES // 1024 // 1024} MB)."
    )


# --------------------------------------------------------------------------------------------------
# Binary files
# --------------------------------------------------------------------------------------------------

# (offset, magic, description). Only signatures no real text file starts with.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (0, b"8BPS", "a Photoshop image"),
    (0, b"\x00\x00\x01\x00", "an icon image"),
    (0, b"\x7fELF", "an executable program"),
    (0, b"\xcf\xfa\xed\xfe", "an executable program"),
    (0, b"\xce\xfa\xed\xfe", "an executable program"),
    (0, b"\xca\xfe\xba\xbe", "an executable program"),
    (0, b"\x00asm", "a WebAssembly program"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"\xfd7zXZ\x00", "an xz archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
    (0, b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
    (0, b"wOFF", "a web font"),
    (0, b"wOF2", "a web font"),
    (257, b"ustar", "a tar archive"),
)
_NOT_SUPPORTED_YET = "which Yanyana cannot import yet (save it as plain text or HTML first)"


def _refuse_known_binary(data: bytes, label: str) -> None:
    head = data[:64]
    if head.startswith(b"%PDF-"):
        raise ImportRefused(f"{label} is a PDF document, {_NOT_SUPPORTED_YET}.")
    if head.startswith(b"PK\x03\x04"):
        if data[30:58] == b"mimetypeapplication/epub+zip":
            raise ImportRefused(f"{label} is an EPUB e-book, {_NOT_SUPPORTED_YET}.")
        if data[30:47] == b"mimetypeapplicati" and b"opendocument" in data[30:120]:
            raise ImportRefused(f"{label} is an OpenDocument file, {_NOT_SUPPORTED_YET}.")
        if b"word/" in data[: 64 * 1024]:
            raise ImportRefused(f"{label} is a Word document (DOCX), {_NOT_SUPPORTED_YET}.")
        raise ImportRefused(f"{label} is not a text file (it looks like a ZIP archive).")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportRefused(f"{label} is an old Microsoft Office document, {_NOT_SUPPORTED_YET}.")
    if head.lstrip().startswith(b"{\\rtf"):
        raise ImportRefused(f"{label} is an RTF document, {_NOT_SUPPORTED_YET}.")
    if head[:4] == b"RIFF" and len(head) >= 12:
        kind = {b"WEBP": "a WebP image", b"WAVE": "a WAV sound file", b"AVI ": "an AVI video"}
        raise ImportRefused(
            f"{label} is not a text file (it looks like {kind.get(head[8:12], 'media data')})."
        )
    if head[4:8] == b"ftyp":
        raise ImportRefused(f"{label} is not a text file (it looks like a video or HEIC image).")
    for offset, magic, description in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            raise ImportRefused(f"{label} is not a text file (it looks like {description}).")


# C0 control bytes that do not occur in text (tab, LF, VT, FF, CR, SUB (DOS end of file) and ESC
# (terminal colours) do). NUL is handled separately.
_CONTROL_BYTES = bytes(b for b in range(1, 32) if b not in (9, 10, 11, 12, 13, 26, 27)) + b"\x7f"
_MAX_CONTROL_FRACTION = 0.02


def _refuse_control_bytes(data: bytes, label: str) -> None:
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls and controls > _MAX_CONTROL_FRACTION * len(data):
        raise ImportRefused(f"{label} is not a text file (it looks like binary data).")


# --------------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes, label: str, html: bool) -> tuple[str, str, list[str]]:
    warnings: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8-sig":
                text = _decode_utf8(data[len(bom) :], label, warnings)
                if text is None:
                    raise ImportRefused(
                        f"{label} could not be decoded: it starts like UTF-8 but is not valid UTF-8."
                    )
            else:
                text = _decode_unicode(data, encoding, label, warnings)
            return _drop_nuls(text, label, warnings), encoding, warnings

    if b"\x00" in data:
        wide = _utf16_or_32_without_bom(data)
        if wide is not None:
            text = _decode_unicode(data, wide, label, warnings)
            return _drop_nuls(text, label, warnings), wide, warnings
        nuls = data.count(0)
        if nuls > 0.3 * len(data):
            raise ImportRefused(f"{label} is not a text file (it is mostly zero bytes).")
        data = data.replace(b"\x00", b"")
        warnings.append(_nul_warning(label, nuls))
        if not data.strip():
            raise ImportRefused(f"{label} contains no text.")
    _refuse_control_bytes(data, label)

    if html:
        declared = _declared_html_encoding(data)
        # A page saved as UTF-8 under a stale legacy declaration is common; valid non-ASCII UTF-8
        # is never an accident, so it wins over the label.
        if declared is not None and (data.isascii() or not _is_utf8(data)):
            try:
                return data.decode(declared), declared, warnings
            except UnicodeDecodeError:
                warnings.append(
                    f"{label} declares the {declared} encoding but is not valid in it, "
                    "so its encoding was detected instead."
                )

    utf8 = _decode_utf8(data, label, warnings)
    if utf8 is not None:
        return utf8, "utf-8", warnings

    text, encoding = _detect_legacy(data, label)
    return text, encoding, warnings


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _nul_warning(label: str, count: int) -> str:
    if count == 1:
        return f"{label} contained a NUL (zero) byte, which was removed."
    return f"{label} contained {count} NUL (zero) bytes, which were removed."


def _drop_nuls(text: str, label: str, warnings: list[str]) -> str:
    count = text.count("\x00")
    if count:
        warnings.append(_nul_warning(label, count))
        text = text.replace("\x00", "")
    return text


def _truncation_warning(label: str) -> str:
    return (
        f"{label} ends in the middle of a multibyte character (the file looks cut off); "
        "the incomplete character was left out."
    )


def _decode_unicode(data: bytes, encoding: str, label: str, warnings: list[str]) -> str:
    """Decode UTF-8/16/32 strictly; an incomplete final character is dropped with a warning."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        text = decoder.decode(data, final=False)
    except UnicodeDecodeError:
        raise ImportRefused(f"{label} could not be decoded: it is not valid {_pretty(encoding)}.") from None
    if decoder.getstate()[0]:  # bytes left over: half a character, or half a surrogate pair
        warnings.append(_truncation_warning(label))
    return text


def _pretty(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}.get(encoding, encoding.upper())


def _utf16_or_32_without_bom(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16/32 by where the zero (high) bytes fall; None if it is not that."""
    if len(data) < 4:
        return None
    candidates: list[str] = []
    if len(data) >= 8 and not data[2::4].strip(b"\x00") and not data[3::4].strip(b"\x00"):
        candidates.append("utf-32-le")
    if len(data) >= 8 and not data[0::4].strip(b"\x00") and not data[1::4].strip(b"\x00"):
        candidates.append("utf-32-be")
    even, odd = data[0::2], data[1::2]
    # High bytes of the scripts we meet: 00 Latin-1, 01-02 Latin extended (ş ğ ı ə), 03 Greek,
    # 04-05 Cyrillic/Armenian/Hebrew, 06 Arabic, 20 punctuation and ZWNJ, FB/FE Arabic forms.
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        plausible_high = len(high) - len(high.translate(None, _UTF16_HIGH_BYTES))
        if plausible_high >= 0.9 * len(high) and low.count(0) < 0.5 * len(low):
            candidates.append(encoding)
    best: tuple[float, str] | None = None
    for encoding in candidates:
        width = 4 if "32" in encoding else 2
        usable = data[: len(data) - len(data) % width]
        try:
            text = usable.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text[:_SAMPLE_BYTES])
        if score > _MIN_PLAUSIBILITY and (best is None or score > best[0]):
            best = (score, encoding)
    return best[1] if best else None


_UTF16_HIGH_BYTES = bytes([0, 1, 2, 3, 4, 5, 6, 0x20, 0xFB, 0xFE])


def _decode_utf8(data: bytes, label: str, warnings: list[str]) -> str | None:
    """Strict UTF-8, tolerating a cut-off final character and rare corruption; None if not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            head = data[: exc.start]
            try:
                text = head.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            if text is not None and not head.isascii():
                warnings.append(_truncation_warning(label))
                return text
    # Mostly valid UTF-8 with a few corrupt bytes: legacy 8-bit text essentially never contains
    # many valid multibyte sequences and almost no invalid ones.
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte = len(replaced) - len(replaced.encode("ascii", errors="ignore")) - bad
    if bad and multibyte >= 20 and bad * 200 <= multibyte:
        warnings.append(
            f"{label} has {bad} corrupt byte sequence{'s' if bad != 1 else ''} that could not be decoded "
            "as UTF-8; they are shown as \ufffd."
        )
        return replaced
    return None


# Code pages that real archives in our languages (and their neighbours) were written in, with a prior
# handicap: the rarer a code page, the more evidence it needs to win. Among candidates decoding the
# sample to identical text, the first listed names the result.
_COMMON, _LESS_COMMON, _RARE, _EXOTIC = 0.0, 0.05, 0.1, 0.15
_LEGACY_ENCODINGS: dict[str, float] = {
    "cp1252": _COMMON,  # Western European (Windows); first, so English is never called "cp1256"
    "cp1254": _COMMON,  # Turkish (Windows)
    "cp1256": _COMMON,  # Arabic, Persian, Urdu (Windows)
    "cp1251": _COMMON,  # Cyrillic (Windows)
    "koi8-r": _COMMON,
    "iso8859-9": _COMMON,  # Turkish
    "latin-1": _COMMON,
    "iso8859-15": _COMMON,
    "koi8-u": _LESS_COMMON,
    "iso8859-6": _RARE,  # Arabic; cannot even write Persian, far rarer than cp1256
    "iso8859-5": _LESS_COMMON,
    "cp866": _LESS_COMMON,  # Cyrillic (DOS)
    "cp1250": _LESS_COMMON,  # Central European
    "iso8859-2": _LESS_COMMON,
    "cp1253": _LESS_COMMON,  # Greek
    "iso8859-7": _LESS_COMMON,
    "cp1255": _LESS_COMMON,  # Hebrew
    "iso8859-8": _LESS_COMMON,
    "cp1257": _LESS_COMMON,  # Baltic
    "iso8859-13": _LESS_COMMON,
    "iso8859-4": _LESS_COMMON,
    "iso8859-3": _LESS_COMMON,
    "iso8859-16": _LESS_COMMON,
    "mac-cyrillic": _EXOTIC,
    "cp720": _EXOTIC,  # Arabic (DOS)
}
_MIN_PLAUSIBILITY = 0.35
_SAMPLE_BYTES = 16 * 1024
_QUICK_LOOK_CHARS = 2048
_SHORTLIST = 4


def _detect_legacy(data: bytes, label: str) -> tuple[str, str]:
    sample = _sample_lines(data)
    guesses: list[str] = []
    try:
        for match in charset_normalizer.from_bytes(sample):
            name = _canonical(match.encoding)
            if name not in guesses and not name.startswith("utf"):
                guesses.append(name)
    except Exception:  # noqa: BLE001 - detection is a hint; our own candidates still run
        guesses = []
    priors = {_canonical(e): prior for e, prior in _LEGACY_ENCODINGS.items()}
    for name in guesses[:5]:
        priors.setdefault(name, _EXOTIC)  # mac_roman, hp_roman8, cp949…: only if clearly better

    decoded: dict[str, list[str]] = {}  # sample text -> encodings giving it, in preference order
    for encoding in priors:
        try:
            text = sample.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        decoded.setdefault(text, []).append(encoding)

    def rank(readings: Iterable[tuple[str, list[str]]]) -> list[tuple[float, str]]:
        ranked: list[tuple[float, str]] = []
        for text, encodings in readings:
            # Evidence per byte, so that a two-byte code page (one letter per two bytes) does not
            # look twice as good as the 8-bit reading of the same bytes.
            per_byte = len(text) / max(len(text.encode(encodings[0])), 1)
            plausible, score = (value * per_byte for value in _scores(text))
            if plausible < _MIN_PLAUSIBILITY:
                continue
            score -= min(priors[e] for e in encodings)
            ranked.append((score, text))
        ranked.sort(key=lambda item: item[0], reverse=True)
        return ranked

    # A quick look at the start of every reading, then a full one at the best few. Readings that
    # agree at the start (cp1252 and cp1254 before the first ş) share a place on the shortlist.
    by_start: dict[str, list[str]] = {}
    for text in decoded:
        by_start.setdefault(text[:_QUICK_LOOK_CHARS], []).append(text)
    quick = rank((start, decoded[texts[0]]) for start, texts in by_start.items())
    shortlist = [text for _, start in quick[:_SHORTLIST] for text in by_start[start]]
    ranked = []
    for score, text in rank((text, decoded[text]) for text in shortlist):
        encodings = decoded[text]
        # Among identical decodes prefer charset-normalizer's first guess, then our order.
        ranked.append((score, next((e for e in guesses[:1] if e in encodings), encodings[0])))

    for _score, encoding in ranked:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue  # the sample decoded but the whole file does not
    raise ImportRefused(f"{label} could not be decoded: its character encoding was not recognised.")


def _canonical(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:  # every candidate comes from codecs; kept for safety
        return encoding


def _sample_lines(data: bytes) -> bytes:
    """Distinct lines holding non-ASCII bytes (the only ones that tell encodings apart), from the
    start, middle and end of the file, at most about ``_SAMPLE_BYTES``."""
    if data.isascii():
        return data[:_SAMPLE_BYTES]
    lines = list(dict.fromkeys(_clip(line) for line in data.split(b"\n") if not line.isascii()))
    if sum(len(line) + 1 for line in lines) <= _SAMPLE_BYTES:
        return b"\n".join(lines)
    budget = _SAMPLE_BYTES // 3
    middle = len(lines) // 2
    head = _take(lines, budget)
    centre = _take(lines[middle:], budget)
    tail = _take(lines[::-1], budget)[::-1]  # the last lines, read backwards from the end
    return b"\n".join(dict.fromkeys(head + centre + tail))


def _take(lines: list[bytes], budget: int) -> list[bytes]:
    taken: list[bytes] = []
    for line in lines:
        if budget <= 0:
            break
        taken.append(line)
        budget -= len(line) + 1
    return taken


def _clip(line: bytes) -> bytes:
    """A long line cut at a space (so no multibyte character is split) to at most 4 kB."""
    if len(line) <= 4096:
        return line
    return line[: line.rfind(b" ", 0, 4096) + 1 or 4096]


# --------------------------------------------------------------------------------------------------
# Plausibility of decoded text
# --------------------------------------------------------------------------------------------------

# Non-ASCII Latin letters of the alphabets that 8-bit code pages were made for (lower case).
_ALPHABETS: tuple[frozenset[str], ...] = tuple(
    frozenset(letters)
    for letters in (
        "çğıöşüâîû",  # Turkish
        "çəğıöşü",  # Azerbaijani
        "àâæçéèêëîïôœùûüÿäöñáíóú",  # English/French (+ loanwords)
        "äöüßéàè",  # German
        "áéíñóúüàèç",  # Spanish, Catalan
        "áâãàçéêíóôõú",  # Portuguese
        "àèéìíîòóùú",  # Italian
        "éëïóöüè",  # Dutch
        "æøåéäö",  # Danish, Norwegian, Swedish, Finnish
        "áðéíóúýþæö",  # Icelandic
        "ąćęłńóśźż",  # Polish
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "áéíóöőúüű",  # Hungarian
        "ăâîșțşţ",  # Romanian
        "čćđšž",  # Croatian, Bosnian, Serbian, Slovenian
        "çë",  # Albanian
        "āčēģīķļņšūž",  # Latvian
        "ąčęėįšųūž",  # Lithuanian
        "äõöüšž",  # Estonian
        "ċġħżàèìòù",  # Maltese
        "çêîşû",  # Kurdish
    )
)

# Non-ASCII symbols and punctuation that real text uses; others (¤ ¦ ¨ ¯ ´ ¸ ‡ ‰ ˆ …) betray a wrong
# code page.
_INWORD_MARKS = frozenset("’‘·\u00ad\u200c\u200d")  # O’Brien, Azerbaycan’ın, l·l, soft hyphen, ZWNJ
_TELLING_PUNCTUATION = frozenset("«»“”„‘’–—…،؛؟")  # evidence of the right code page
_OPENING = frozenset("«“„‘")
_CLOSING = frozenset("»”’…،؛؟")
_ARABIC_PUNCTUATION = frozenset("،؛؟")
_COMMON_SYMBOLS = frozenset("‹›‚•·°±×÷€£¥₺₽§©®™′″№٪٫٬‰")  # harmless, but also common in mojibake
_INVISIBLE = frozenset("\u00a0\u200c\u200d\u200e\u200f")  # NBSP, ZWNJ, ZWJ, LRM, RLM
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1a\x1b")
_CASED_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN"})
_LONGEST_WORD = 40
_RARE_TANWEEN = frozenset("\u064c\u064d")
_CHECKED_SCRIPTS = frozenset({"LATIN", "ARABIC", "CYRILLIC", "GREEK", "HEBREW"})

# Letters of the Arabic script used by Arabic, Persian, Urdu and Kurdish text (beyond these, an
# Arabic-script decode is suspicious: presentation forms, rare letters from a wrong code page).
_ARABIC_COMMON = frozenset(
    "ءآأؤإئابةتثجحخدذرزسشصضطظعغـفقكلمنهوىيپچژکگیۀےھۆێڵڕەۇ" + "ًٌٍَُِّْٰ"  # noqa: RUF001
)


def _first_word(name: str) -> str:
    return name.split(" ", 1)[0]


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    first = _first_word(unicodedata.name(ch, ""))
    if first in ("CJK", "HIRAGANA", "KATAKANA", "BOPOMOFO"):
        return "CJK"  # Japanese mixes these within a word; Korean Hangul stays apart from Han
    return first


@lru_cache(maxsize=1)
def _scoring_stopwords() -> frozenset[str]:
    """Function words of the languages legacy code pages were used for (2+ letters)."""
    languages = (
        *("Persian", "Arabic", "Urdu", "Kurdish", "Turkish", "Azerbaijani", "English"),
        *("Russian", "Ukrainian", "Bulgarian", "Serbian", "Macedonian", "Belarusian"),
        *("French", "German", "Spanish", "Portuguese", "Italian", "Dutch"),
        *("Polish", "Czech", "Slovak", "Hungarian", "Romanian", "Croatian", "Slovenian"),
        *("Swedish", "Danish", "Norwegian_Bokmal", "Finnish", "Greek", "Hebrew"),
        *("Albanian", "Estonian", "Latvian", "Lithuanian"),
    )
    words: set[str] = set()
    for language in languages:
        words |= {w for w in _stoplist(language) if len(w) >= 2}
    return frozenset(words)


_ARABIC_FOLD = str.maketrans({"ي": "ی", "ك": "ک", "\u200c": ""})
_ARABIC_UNFOLD = str.maketrans({"ی": "ي", "ک": "ك"})


@lru_cache(maxsize=128)
def _stoplist(language: str) -> frozenset[str]:
    words = justext.get_stoplist(language)
    # Persian/Arabic text is written with either yeh and kaf (legacy cp1256 text has only the
    # Arabic ones); stoplists pick one.
    folded = {w.translate(_ARABIC_FOLD) for w in words}
    return frozenset(words | folded | {w.translate(_ARABIC_UNFOLD) for w in folded})


@dataclass(frozen=True)
class _BigramModel:
    """Letter bigrams of one language's function words (jusText's stoplists, not our seeds)."""

    log_prob: dict[str, float]
    unseen: dict[str, float]  # per first letter: log probability of a bigram never seen
    floor: float  # a first letter never seen
    baseline: float  # mean log probability of the training words themselves


# Languages whose scripts a wrong code page permutes into other letters of the same script (cp1251
# read as koi8-r, cp1256 as iso8859-6): only letter statistics tell those apart. Latin confusions are
# caught by the alphabet check instead.
_MODELLED_LANGUAGES = (
    *("Arabic", "Persian", "Urdu"),
    *("Russian", "Ukrainian", "Bulgarian", "Serbian", "Macedonian", "Belarusian"),
    *("Greek", "Hebrew"),
)


def _word_bigrams(word: str) -> Iterator[str]:
    padded = f"^{word}$"
    return (padded[i : i + 2] for i in range(len(padded) - 1))


@lru_cache(maxsize=1)
def _bigram_models() -> dict[str, list[_BigramModel]]:
    """Models by script."""
    models: dict[str, list[_BigramModel]] = {}
    alpha = 0.1
    for language in _MODELLED_LANGUAGES:
        words = [w.translate(_ARABIC_FOLD) for w in _stoplist(language)]
        words = [w for w in words if w.isalpha()]
        scripts = Counter(_script(w[0]) for w in words)
        script = scripts.most_common(1)[0][0]
        pairs: Counter[str] = Counter()
        firsts: Counter[str] = Counter()
        for word in words:
            if _script(word[0]) != script:
                continue
            for pair in _word_bigrams(word):
                pairs[pair] += 1
                firsts[pair[0]] += 1
        vocabulary = len(firsts) + 1
        log_prob = {
            pair: math.log((count + alpha) / (firsts[pair[0]] + alpha * vocabulary))
            for pair, count in pairs.items()
        }
        unseen = {first: math.log(alpha / (count + alpha * vocabulary)) for first, count in firsts.items()}
        baseline = sum(log_prob[pair] * count for pair, count in pairs.items()) / sum(pairs.values())
        model = _BigramModel(log_prob, unseen, math.log(1 / vocabulary) - 2, baseline)
        models.setdefault(script, []).append(model)
    return models


def _letter_typicality(word: str, model: _BigramModel) -> float:
    """Sum over the word's bigrams of log P minus the training baseline (≈0 per bigram for real words)."""
    total = 0.0
    for pair in _word_bigrams(word):
        logp = model.log_prob.get(pair)
        if logp is None:
            logp = model.unseen.get(pair[0], model.floor)
        total += logp - model.baseline
    return total


_RARE_LATIN = {"ð": 1.0, "þ": 1.0, "ý": 0.3}  # Icelandic letters: what cp1252 makes of Turkish ğ ş ı
_MODEL_WEIGHT = 0.25


def _plausibility(text: str) -> float:
    """How much ``text`` looks like real writing: about 0.8–3 for real text, below 0.3 for mojibake."""
    return _scores(text)[0]


def _scores(text: str) -> tuple[float, float]:
    """Plausibility, and plausibility plus letter-bigram typicality.

    The second only ranks readings of the same bytes against each other: real content words score
    below the function words the letter models were built from, so it is no absolute measure."""
    penalty = 0.0
    good = 0.0
    nonspace = 0
    for ch in text:
        if ch.isspace() or ch.isascii() and ch not in "\x7f" and (ch >= " " or ch in _ALLOWED_CONTROLS):
            if not ch.isspace():
                nonspace += 1
            continue
        nonspace += 1
        category = unicodedata.category(ch)
        if category in ("Cc", "Co", "Cn", "Cs") or ch == "\ufffd":
            penalty += 10  # C0/C1 controls, unassigned: never in text
        elif ch in _TELLING_PUNCTUATION or ch in _COMMON_SYMBOLS or ch in _INVISIBLE:
            continue
        elif _first_word(unicodedata.name(ch, "")) == "HALFWIDTH":
            penalty += 1  # half-width katakana: what cp932 makes of Cyrillic
        elif category[0] in "SP" or category in ("Lm", "No"):
            penalty += 1  # ¤ ¦ ¨ ¯ ´ ¸ ‡ ˆ ¹ ½ …: the debris of a wrong code page
        elif "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff":
            penalty += 1  # Arabic presentation forms: DOS code pages, not real text
        elif _script(ch) == "ARABIC" and ch.isalpha() and ch not in _ARABIC_COMMON:
            penalty += 0.5
    if nonspace == 0:
        return 0.0, 0.0

    stopwords = _scoring_stopwords()
    models = _bigram_models()
    latin_accented: Counter[str] = Counter()
    modelled: dict[str, list[str]] = {}
    script_letters: Counter[str] = Counter()
    lone_letters: Counter[str] = Counter()
    arabic_punctuation = 0
    for token in text.split():
        for i, ch in enumerate(token):
            if ch.isascii() or ch.isalpha():
                continue
            after_letter = i > 0 and token[i - 1].isalpha()
            before_letter = i < len(token) - 1 and token[i + 1].isalpha()
            category = unicodedata.category(ch)
            if ch in _INWORD_MARKS or category in ("Mn", "Cf"):
                if ch in _TELLING_PUNCTUATION:
                    good += 1  # O’Brien, Azerbaycan’ın
            elif ch in _TELLING_PUNCTUATION:
                if (ch in _OPENING and after_letter) or (ch in _CLOSING and before_letter):
                    penalty += 1  # "؟e", "a«": punctuation on the wrong side of a word
                else:
                    good += 1  # “ ” « » – … at a word's edge: as telling as a letter
                if ch in _ARABIC_PUNCTUATION:
                    arabic_punctuation += 1
            elif after_letter or before_letter:
                penalty += 1  # "³uchaczy", "א®ו": a symbol glued to a word
        letters = [ch for ch in token if ch.isalpha()]
        if not letters:
            if any(unicodedata.category(ch) == "Mn" for ch in token):
                penalty += 2  # a lone vowel sign ("ِ" where "ö" was meant)
            continue
        scripts = {_script(ch) for ch in letters}
        if len(scripts) > 1:
            penalty += len(letters)  # "ÇáćáÇ" is fine, "Øلا" is not
            continue
        script = next(iter(scripts))
        if script != "ARABIC" and any(ch in _INVISIBLE for ch in token.strip("\u200e\u200f")):
            penalty += 2 * len(letters)  # "Toplant\u200eda": cp1256 direction marks where ı ş were
            continue
        if unicodedata.category(token[0]) == "Mn" or any(
            unicodedata.category(b) == "Mn" and not a.isalpha() and unicodedata.category(a) != "Mn"
            for a, b in zip(token, token[1:], strict=False)
        ):
            penalty += 2  # a combining mark with no letter to sit on
        if script in _CASED_SCRIPTS:
            flips = sum(1 for a, b in zip(token, token[1:], strict=False) if a.islower() and b.isupper())
            if flips:
                penalty += 2 * flips  # "ÇáćáÇíÇĘ", "пРИВЕТ"
                continue
            # Real text is mostly lower case; of two readings of the same bytes (koi8-r and cp1251
            # swap cases) the one in capitals is the less likely.
            penalty += 0.2 * sum(1 for ch in letters[1:] if ch.isupper() and not ch.isascii())
        if script == "LATIN":
            for ch in letters:
                if not ch.isascii():
                    lower = "ı" if ch == "İ" else ch.lower()
                    latin_accented[lower] += 1
                    penalty += _RARE_LATIN.get(lower, 0.0)
        if any(ch in _RARE_TANWEEN for ch in token[:-1]) and not token.endswith(("ا", "ى", "ة")):
            penalty += 2  # kasratan/dammatan inside a word: what iso8859-6 makes of cp1256 "ي"
        # Scripts we can check (alphabets, letter models) earn full credit; others (Thai, CJK…, what
        # cp874 or a CJK code page makes of Arabic) only half. A lone letter ("Ł" for "£", "י" for
        # "é") proves little, except Persian "و".
        credit = 1.0 if script in _CHECKED_SCRIPTS else 0.5
        script_letters[script] += len(letters)
        if len(letters) == 1 and not letters[0].isascii() and script != "ARABIC":
            lone_letters[script] += 1
            credit = 0.0 if script in _CASED_SCRIPTS else 0.5
        good += min(len(letters), _LONGEST_WORD) * credit  # 400 letters without a space: not words
        # Marks stay in: "برابرٍ" is not the word "برابر".
        word = "".join(ch for ch in token if ch.isalpha() or unicodedata.category(ch) == "Mn")
        word = word.lower().translate(_ARABIC_FOLD)
        if script in models:
            modelled.setdefault(script, []).append(word)
        if not word.isascii() and word in stopwords and (len(word) > 2 or script not in _CASED_SCRIPTS):
            good += 2 * len(letters)  # a real function word of a real language

    if script_letters:
        # A lone letter of another script in the text ("Ј" for "£" among English words).
        main_script = script_letters.most_common(1)[0][0]
        penalty += sum(count for script, count in lone_letters.items() if script != main_script)
        if main_script != "ARABIC":
            penalty += 2 * arabic_punctuation  # "؟" in Polish: cp1256 reading "ż"
    typicality = 0.0
    for script, words in modelled.items():
        # The text is in one language: judge it by the language of its script that fits it best.
        typicality += max(sum(_letter_typicality(w, m) for w in words) for m in models[script])

    accented = sum(latin_accented.values())
    if accented:
        covered = max(sum(latin_accented[ch] for ch in alphabet) for alphabet in _ALPHABETS)
        penalty += 2 * (accented - covered)  # "deđil", "ýþ" mixed with "ç": letters of no one alphabet
    plausibility = (good - penalty) / nonspace
    return plausibility, plausibility + _MODEL_WEIGHT * typicality / nonspace


# --------------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------------

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL
)


def _sniff_html_bytes(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return bool(_HTML_START.match(head.decode("latin-1")))


def _sniff_html_text(text: str) -> bool:
    return bool(_HTML_START.match(text[:2048]))


_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""",
    re.IGNORECASE,
)
# WHATWG: these labels mean the Windows superset.
_HTML_LABEL_ALIASES = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
}


def _declared_html_encoding(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:8192])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").strip().lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # a BOM-less page claiming UTF-16 is ASCII-compatible: the label is wrong
    return _HTML_LABEL_ALIASES.get(name, name)


# Elements whose content is never article text.
_DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "footer", "aside", "iframe", "frame", "frameset",
        "img", "picture", "video", "audio", "source", "track", "object", "embed", "applet", "svg", "math",
        "canvas", "map", "form", "input", "button", "select", "textarea", "label", "dialog", "link", "meta",
        "base", "head",
    }
)  # fmt: skip
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "dialog"})
_BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dd", "dt", "figcaption")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _extract_html(html: str) -> tuple[str, str | None]:
    """Main text of an HTML page (paragraphs separated by a blank line, headline first) and its title."""
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses str input with an encoding declaration
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, recover=True, default_doctype=False
    )
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return "", None

    title_el = root.find(".//title")
    title = _collapse(title_el.text_content()) if title_el is not None else ""
    _clean(root)
    h1 = next((_collapse(el.text_content()) for el in root.iter("h1")), "")
    title = title or h1

    parts = _justext_paragraphs(root) or _structural_paragraphs(root)
    if not parts:
        body = root.find("body")
        parts = [
            line for line in (_collapse(t) for t in (body if body is not None else root).itertext()) if line
        ]
    headline = h1 or title
    if headline and (not parts or parts[0] != headline):
        parts = [headline, *(p for p in parts if p != headline)]
    return "\n\n".join(parts), title or None


def _clean(root: lxml.html.HtmlElement) -> None:
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            doomed.append(el)
            continue
        tag = el.tag.lower()
        if (
            tag in _DROP_TAGS
            or (tag == "header" and not any(a.tag in ("article", "main") for a in el.iterancestors()))
            or el.get("hidden") is not None
            or el.get("aria-hidden", "").lower() == "true"
            or el.get("role", "").lower() in _DROP_ROLES
            or "display:none" in el.get("style", "").replace(" ", "").lower()
        ):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None and el is not root:
            el.drop_tree()


def _justext_paragraphs(root: lxml.html.HtmlElement) -> list[str]:
    paragraphs = ParagraphMaker.make_paragraphs(root)
    if not paragraphs:
        return []
    words = [w.lower().translate(_ARABIC_FOLD) for p in paragraphs for w in p.text.split()][:5000]
    stoplist, density = _best_stoplist(words)
    if density >= 0.1:
        classify_paragraphs(paragraphs, stoplist)
    else:  # language-independent mode: length and link density only
        classify_paragraphs(paragraphs, frozenset(), stopwords_low=0, stopwords_high=0)
    revise_paragraph_classification(paragraphs)
    _rescue_sandwiched(paragraphs)
    return [_collapse(p.text) for p in paragraphs if not p.is_boilerplate and _collapse(p.text)]


def _rescue_sandwiched(paragraphs: list[Paragraph]) -> None:
    """Keep article paragraphs jusText dropped only for having few function words ("Toplantıda ABD’nin
    COP29’un başarıyla sonuçlanması için desteğini sürdüreceği vurgulandı."): a run of such paragraphs
    between two good ones at the same place in the page (same element path), without links."""
    i = 0
    while i < len(paragraphs):
        if paragraphs[i].class_type != "bad" or i == 0 or paragraphs[i - 1].class_type != "good":
            i += 1
            continue
        end = i
        while end < len(paragraphs) and paragraphs[end].class_type == "bad":
            end += 1
        run = paragraphs[i:end]
        path = paragraphs[i - 1].dom_path
        if (
            end < len(paragraphs)
            and paragraphs[end].class_type == "good"
            and paragraphs[end].dom_path == path
            and all(p.dom_path == path and p.chars_count_in_links == 0 and "\xa9" not in p.text for p in run)
        ):
            for p in run:
                p.class_type = "good"
        i = end


def _best_stoplist(words: list[str]) -> tuple[frozenset[str], float]:
    if not words:
        return frozenset(), 0.0
    best: tuple[frozenset[str], float] = (frozenset(), 0.0)
    for language in sorted(justext.get_stoplists()):
        stoplist = _stoplist(language)
        density = sum(1 for w in words if w in stoplist) / len(words)
        if density > best[1]:
            best = (stoplist, density)
    return best


def _structural_paragraphs(root: lxml.html.HtmlElement) -> list[str]:
    parts: list[str] = []
    for el in root.iter(*_BLOCK_TAGS):
        if any(True for _ in el.iterdescendants(*_BLOCK_TAGS)):
            continue  # its inner blocks are taken one by one
        text = _collapse(el.text_content())
        if text:
            parts.append(text)
    return parts
