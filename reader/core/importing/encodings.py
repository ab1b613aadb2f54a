"""Bytes to text: byte-order marks, UTF-16/32 without BOM, strict UTF-8, and legacy code pages chosen by plausibility."""

from __future__ import annotations

import codecs
from collections.abc import Iterable

import charset_normalizer

from reader.core.importing.base import ImportRefused
from reader.core.importing.html import declared_html_encoding
from reader.core.importing.plausibility import plausibility_of, scores
from reader.core.importing.sniffing import refuse_control_bytes

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, label: str, html: bool) -> tuple[str, str, list[str]]:
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
    refuse_control_bytes(data, label)

    if html:
        declared = declared_html_encoding(data)
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
        # A few bad code units (an unpaired surrogate) in otherwise valid text are tolerated with a warning,
        # as a few corrupt bytes are in UTF-8; many mean this is not that encoding.
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        text = decoder.decode(data, final=False)
        bad = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
        if not bad or bad * 200 > len(text):
            raise ImportRefused(
                f"{label} could not be decoded: it is not valid {_pretty(encoding)}."
            ) from None
        warnings.append(
            f"{label} has {bad} invalid {_pretty(encoding)} code unit{'s' if bad != 1 else ''} "
            "(such as half of a surrogate pair); they are shown as \ufffd."
        )
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
        score = plausibility_of(text[:_SAMPLE_BYTES])
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
    except Exception:
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
            plausible, score = (value * per_byte for value in scores(text))
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
