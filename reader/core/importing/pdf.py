"""Born-digital PDFs → :class:`ImportedText`, right-to-left text in logical order.

pdfium (through pypdfium2) gives every character with its box, glyph origin and font size, in pdfium's
reading order, with generated spaces and line breaks. On top of that, page by page:

1. **Right-to-left runs in logical order.** Inside each run of Arabic-script letters the glyph origins must
   go from right to left. pdfium leaves some runs in visual order (Chromium writes RTL runs as reversed
   marked content with per-glyph ActualText; about half the words of such files come out reversed), so a run
   whose origins mostly go left to right is turned round (a letter keeps its combining marks).
2. **Letters that share one glyph** (lam-alef and other ligatures: one glyph, two or more characters, one
   origin) are put in the order in which they can be shaped: in a ligature every letter but the last joins
   the next, so ``ال`` drawn as one glyph must be ``لا``. Clusters that read well both ways follow the
   majority of the decided clusters on the page.
3. **Clean-up**: Arabic presentation forms (U+FB50–FDFF, U+FE70–FEFF) and Latin ligatures (U+FB00–FB06) to
   plain letters (NFKC on those characters only), justification kashidas (glyphs without a character, and
   tatweel between two letters of a word) removed, tatweel elsewhere kept, U+FFFD and stray bidi controls
   removed, words glued by a missing space glyph split where the glyph gap is wider than a space.
4. **ZWNJ** from the PDF is kept; where a letter that joins to the left is followed, inside a word, by a
   letter with a visible gap between their glyphs, the two were not joined, so a ZWNJ is put back.
5. **A logical-order check per page**: common Persian/Arabic function words against their reversed forms.
   A page that still reads reversed is extracted again with pypdf and the better reading is kept.
6. **Lines → paragraphs** from the geometry: a paragraph ends at a wider line gap, a change of font size,
   a line that ends early (the next line's first word would have fitted) or before an indented line.
   Hyphenated left-to-right line ends are joined; running headers, footers and page numbers (the same
   first/last lines on many pages once digits are ignored, lone numbers, small print in the margin) are
   dropped. A paragraph that runs over a page break is joined and keeps the page where it starts.

Pages are read one at a time and released (bounded memory whatever the page count), with a progress
callback that can stop the import. Pages without text (scans) are named in the warnings; a PDF without any
text, one that needs a password, a truncated or damaged file each get one sentence.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reader.core.importing.base import ImportCancelled, ImportedText, ImportRefused

ProgressHook = Callable[[int, int], object]
"""``progress(pages_done, pages_total)``; returning ``False`` stops the import (:class:`ImportCancelled`)."""

# --------------------------------------------------------------------------------------------------
# Characters
# --------------------------------------------------------------------------------------------------

_TATWEEL = "\u0640"
_ZWNJ = "\u200c"
# Letters that do not join the letter after them (right-joining or non-joining).
_NON_LEFT_JOINING = frozenset(
    "\u0621\u0622\u0623\u0624\u0625\u0627\u0629\u062f\u0630\u0631\u0632\u0648\u0671\u0672\u0673\u0675"
    "\u0676\u0677\u0698\u06c0\u06c3\u06c4\u06c5\u06c6\u06c7\u06c8\u06c9\u06ca\u06cb\u06cd\u06cf\u06d2"
    "\u06d3\u06ee\u06ef\u0621" + "".join(chr(c) for c in range(0x0688, 0x069A))
)
_BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
_DROP = dict.fromkeys(map(ord, _BIDI_CONTROLS + "\ufffd\ufeff\u00ad"), None)
_PERSIAN_LETTERS = frozenset("پچژگکی")
_MIRROR = str.maketrans("«»()[]{}‹›", "»«)(][}{›‹")
_PAIRED = frozenset('«»()[]{}‹›"“”')
_CLOSING = frozenset("،.:؛؟!»)")


def _chars(*ranges: tuple[int, int]) -> frozenset[str]:
    return frozenset(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))


_ARABIC_LETTERS = _chars(
    (0x0620, 0x064A), (0x066E, 0x06D3), (0x06D5, 0x06D5), (0x06EE, 0x06EF), (0x06FA, 0x06FF),
    (0x0750, 0x077F), (0x08A0, 0x08C9), (0xFB50, 0xFDFF), (0xFE70, 0xFEFC),
)  # fmt: skip
_ARABIC_MARKS = _chars((0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x08CA, 0x08FF))
_RTL_CHARS = _ARABIC_LETTERS | _ARABIC_MARKS | _chars((0x0590, 0x05FF))
_LEFT_JOINING = _ARABIC_LETTERS - _NON_LEFT_JOINING


def _is_arabic_letter(ch: str) -> bool:
    return ch in _ARABIC_LETTERS


def _is_arabic_mark(ch: str) -> bool:
    return ch in _ARABIC_MARKS


def _is_rtl_char(ch: str) -> bool:
    return ch in _RTL_CHARS


def _is_filler(ch: str) -> bool:
    """A glyph pdfium could not map to a character (drawn kashidas come out as C0 controls)."""
    return ch < " " and ch not in "\t\n\r"


def _joins_left(ch: str) -> bool:
    return ch in _LEFT_JOINING


def _normalise_forms(text: str) -> str:
    """Presentation forms and Latin ligatures to plain letters; nothing else is touched."""
    if not any("\ufb00" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" for ch in text):
        return text
    return "".join(
        unicodedata.normalize("NFKC", ch)
        if ("\ufb00" <= ch <= "\ufb06" or "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefc")
        else ch
        for ch in text
    )


# Function words that occur on almost every page of Persian or Arabic prose, and are not words reversed.
_FUNCTION_WORDS = frozenset(
    [
        "از",
        "به",
        "در",
        "که",
        "این",
        "با",
        "برای",
        "را",
        "است",
        "می",
        "آن",
        "های",
        "یک",
        "هم",
        "تا",
        "بر",
        "نیز",
        "شده",
        "کرد",
        "خود",
        "في",
        "من",
        "على",
        "إلى",
        "أن",
        "التي",
        "الذي",
        "عن",
        "مع",
        "هذا",
        "هذه",
        "كان",
        "قد",
        "بين",
        "لم",
        "ما",
        "كما",
        "عند",
    ]
)
_REVERSED_FUNCTION_WORDS = frozenset(w[::-1] for w in _FUNCTION_WORDS) - _FUNCTION_WORDS


def order_score(text: str) -> tuple[int, int]:
    """(function words, reversed function words) in ``text``: a page in logical order has many more of the first."""
    forward = backward = 0
    for word in re.findall(r"[\u0620-\u06ff]+", text):
        if word in _FUNCTION_WORDS:
            forward += 1
        elif word in _REVERSED_FUNCTION_WORDS:
            backward += 1
    return forward, backward


# --------------------------------------------------------------------------------------------------
# Characters with geometry
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Char:
    ch: str
    x0: float
    x1: float
    ox: float  # glyph origin (characters of one glyph share it)
    oy: float
    size: float


@dataclass(slots=True)
class Line:
    """One line of a page in logical order, with the geometry paragraphs are built from."""

    text: str
    x0: float
    x1: float
    y: float  # baseline (PDF user space: larger is higher on the page)
    size: float  # font size
    rtl: bool
    first_word_width: float = 0.0
    page: int = 0


@dataclass
class _PageVotes:
    """Same-glyph clusters whose order was decided, per page: does pdfium give them reversed?"""

    reversed_: int = 0
    kept: int = 0


# Gap between two glyphs of one word that means a missing space (in font sizes).
SPACE_GAP = 0.2
# Gap under which a space pdfium generated between two Arabic-script letters is dropped (in font sizes);
# a word space is 0.25 or more.
GLUED_GAP = 0.18
# Gap between a left-joining letter and the next letter that means they were not joined (ZWNJ).
ZWNJ_GAP = 0.04


def _page_text(textpage: Any, c: Any, count: int) -> str | None:
    """All characters of a text page in one call, if they line up one to one with character indexes."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = int(c.FPDFText_GetText(textpage, 0, count, buffer))
    text = bytes(buffer)[: 2 * max(written - 1, 0)].decode("utf-16-le", errors="replace")
    return text if len(text) == count else None


def _read_chars(textpage: Any, c: Any) -> list[_Char | None]:
    """All characters of a page in pdfium's order; ``None`` marks a line break."""
    count = int(c.FPDFText_CountChars(textpage))
    text = _page_text(textpage, c, count) if count else ""
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    get_unicode, get_box = c.FPDFText_GetUnicode, c.FPDFText_GetCharBox
    get_origin, get_size, get_matrix = c.FPDFText_GetCharOrigin, c.FPDFText_GetFontSize, c.FPDFText_GetMatrix
    matrix = c.FS_MATRIX()
    pmatrix = ctypes.byref(matrix)
    pl, pr, pb, pt = ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)
    pox, poy = ctypes.byref(ox), ctypes.byref(oy)
    scales: dict[tuple[float, int], float] = {}
    size, next_size_at = 0.0, 0
    out: list[_Char | None] = []
    for i in range(count):
        u = ord(text[i]) if text is not None else int(get_unicode(textpage, i))
        if u in (10, 13):
            if out and out[-1] is not None:
                out.append(None)
            continue
        if u in (32, 9, 0xA0):
            out.append(_Char(" ", 0.0, 0.0, 0.0, 0.0, 0.0))
            continue
        if u in (2, 0xFFFE):  # pdfium's marks for a hyphen at the end of a line
            u = 0x2D
        ch = "\ufffd" if 0xD800 <= u <= 0xDFFF or u > 0x10FFFF else chr(u)
        get_box(textpage, i, pl, pr, pb, pt)
        get_origin(textpage, i, pox, poy)
        if i >= next_size_at or (out and out[-1] is None):
            # The size as drawn (Tf size times text and page scaling), looked up at each line start and
            # every 16 characters: the gap tests need it only roughly.
            raw_size = float(get_size(textpage, i))
            key = (raw_size, i >> 8)
            scale = scales.get(key)
            if scale is None:
                scale = max(abs(matrix.d), abs(matrix.b)) or 1.0 if get_matrix(textpage, i, pmatrix) else 1.0
                scales[key] = scale
            size = raw_size * scale
            next_size_at = i + 16
        out.append(_Char(ch, left.value, right.value, ox.value, oy.value, size))
    return out


# --------------------------------------------------------------------------------------------------
# One line: logical order, clusters, gaps
# --------------------------------------------------------------------------------------------------


class _Cluster:
    """Characters drawn as one glyph (same origin) whose order is decided once the page is read."""

    __slots__ = ("ambiguous", "chars")

    def __init__(self, chars: list[_Char], ambiguous: bool) -> None:
        self.chars = chars
        self.ambiguous = ambiguous


_Piece = _Char | _Cluster


def _same_origin(a: _Char, b: _Char) -> bool:
    return abs(a.ox - b.ox) < 0.01 and abs(a.oy - b.oy) < 0.01


def _order_rtl_run(run: list[_Char], votes: _PageVotes) -> list[_Piece]:
    """An Arabic-script run in logical order: glyph origins from right to left (a stable sort, so the
    letters of one glyph keep pdfium's order), each combining mark after the letter it sits on, and the
    letters of one glyph in an order that can be shaped."""
    previous = float("inf")
    for c in run:  # the common case: already in logical order, one character per glyph, no marks
        if c.ox >= previous - 0.01 or c.ch in _ARABIC_MARKS or c.ch == _ZWNJ:
            break
        previous = c.ox
    else:
        return list(run)
    bases = [c for c in run if not _is_arabic_mark(c.ch) and c.ch != _ZWNJ]
    marks = [c for c in run if _is_arabic_mark(c.ch)]
    bases.sort(key=lambda c: -c.ox)
    units: list[list[_Char]] = [[c] for c in bases]
    for mark in marks:
        if not units:
            units.append([mark])
            continue
        centre = (mark.x0 + mark.x1) / 2
        nearest = min(units, key=lambda u: abs((u[0].x0 + u[0].x1) / 2 - centre))
        nearest.append(mark)
    for zwnj in (c for c in run if c.ch == _ZWNJ):
        # A ZWNJ glyph has no width: it stands where the letter before it ends (that letter's origin).
        if units:
            after = min(range(len(units)), key=lambda k: abs(units[k][0].ox - zwnj.ox))
            units[after].append(zwnj)
    pieces: list[_Piece] = []
    i = 0
    while i < len(units):
        j = i + 1
        while (
            j < len(units)
            and _is_arabic_letter(units[j][0].ch)
            and _is_arabic_letter(units[i][0].ch)
            and _same_origin(units[j][0], units[i][0])
        ):
            j += 1
        if j - i == 1:
            pieces.extend(units[i])
        else:
            letters = [u[0].ch for u in units[i:j]]
            forward_ok = all(_joins_left(ch) for ch in letters[:-1])
            backward_ok = all(_joins_left(ch) for ch in letters[:0:-1])
            group = units[i:j]
            if backward_ok and not forward_ok:
                votes.reversed_ += 1
                group.reverse()
                pieces.append(_Cluster([c for u in group for c in u], False))
            else:
                if forward_ok and not backward_ok:
                    votes.kept += 1
                pieces.append(_Cluster([c for u in group for c in u], forward_ok == backward_ok))
        i = j
    return pieces


def _flatten(pieces: list[_Piece], reverse_ambiguous: bool) -> list[_Char]:
    out: list[_Char] = []
    for piece in pieces:
        if isinstance(piece, _Cluster):
            if piece.ambiguous and reverse_ambiguous:
                units: list[list[_Char]] = []
                for ch in piece.chars:
                    if units and _is_arabic_mark(ch.ch):
                        units[-1].append(ch)
                    else:
                        units.append([ch])
                out.extend(c for u in reversed(units) for c in u)
            else:
                out.extend(piece.chars)
        else:
            out.append(piece)
    return out


@dataclass(slots=True)
class _RawLine:
    """A line before the page's cluster votes are known: tokens of pieces, in logical order."""

    tokens: list[list[_Piece]]
    rtl_tokens: list[bool]


def _order_line(chars: list[_Char], votes: _PageVotes) -> _RawLine:
    tokens: list[list[_Char]] = []
    current: list[_Char] = []
    for k, ch in enumerate(chars):
        if ch.ch == " ":
            # pdfium makes spaces from gaps in the glyph positions; between two letters whose boxes touch
            # (a ligature's components drawn apart) it is not a word space.
            before = next((c for c in reversed(current) if c.ch != _ZWNJ), None)
            after = next((c for c in chars[k + 1 :] if c.ch not in (_ZWNJ, " ")), None)
            if before is not None and after is not None and _glued(before, after):
                continue
            if current:
                tokens.append(current)
                current = []
        else:
            current.append(ch)
    if current:
        tokens.append(current)
    out_tokens: list[list[_Piece]] = []
    rtl_flags: list[bool] = []
    for token in tokens:
        pieces: list[_Piece] = []
        run: list[_Char] = []
        rtl_letters = 0
        for ch in token:
            if _is_rtl_char(ch.ch) or (_is_filler(ch.ch) and run) or (ch.ch == _ZWNJ and run):
                run.append(ch)
                rtl_letters += _is_arabic_letter(ch.ch)
                continue
            if run:
                pieces.extend(_order_rtl_run(run, votes))
                run = []
            pieces.append(ch)
        if run:
            pieces.extend(_order_rtl_run(run, votes))
        out_tokens.append(pieces)
        rtl_flags.append(rtl_letters > 0)
    return _RawLine(out_tokens, rtl_flags)


def _glued(a: _Char, b: _Char) -> bool:
    """Two Arabic-script letters whose boxes (nearly) touch: a space pdfium generated between them is not one."""
    if not (_is_rtl_char(a.ch) and _is_rtl_char(b.ch)):
        return False
    gap = max(a.x0 - b.x1, b.x0 - a.x1)
    return gap < GLUED_GAP * max(a.size, b.size, 1.0)


def _first_origin(pieces: list[_Piece]) -> float:
    first = pieces[0]
    return (first.chars[0] if isinstance(first, _Cluster) else first).ox


def _token_text(chars: list[_Char], persian: bool) -> str:
    """A token's text with spaces where the gap between two Arabic-script glyphs shows a missing space glyph,
    and ZWNJ where two letters of a Persian word were drawn apart. (Left-to-right text is left to pdfium's
    own space detection: tight boxes of digits and narrow Latin letters have wide gaps.)"""
    if not any(c.ch in _RTL_CHARS for c in chars):
        return "".join(c.ch for c in chars)
    parts: list[str] = []
    prev: _Char | None = None
    for ch in chars:
        c = ch.ch
        if c in _ARABIC_MARKS:
            parts.append(c)
            continue
        if prev is not None and prev.ch in _RTL_CHARS and c in _RTL_CHARS:
            gap = prev.x0 - ch.x1
            size = max(prev.size, ch.size, 1.0)
            if gap > ZWNJ_GAP * size and not _same_origin(prev, ch):
                if gap > SPACE_GAP * size:
                    parts.append(" ")
                elif persian and prev.ch in _LEFT_JOINING and c in _ARABIC_LETTERS:
                    parts.append(_ZWNJ)
        parts.append(c)
        prev = ch
    return "".join(parts)


_TATWEEL_INSIDE = re.compile(
    r"(?<=[\u0620-\u063f\u0641-\u064a\u066e-\u06d3\u06fa-\u06ff])\u0640+(?=[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff])"
)
_FILLERS = dict.fromkeys([*range(9), 11, 12, *range(14, 32)], None)
_SPACES = re.compile(r"[ \t]+")
_ZWNJ_RUN = re.compile("\u200c{2,}")


def clean_text(text: str) -> str:
    """Presentation forms and ligatures to letters; fillers, U+FFFD, bidi controls and justification
    tatweel removed; runs of spaces collapsed."""
    text = _normalise_forms(text).translate(_DROP).translate(_FILLERS)
    text = _TATWEEL_INSIDE.sub("", text)
    text = _ZWNJ_RUN.sub(_ZWNJ, text)
    text = text.replace(" \u200c", " ").replace("\u200c ", " ")
    return _SPACES.sub(" ", text).strip()


def _finish_line(raw: _RawLine, chars: list[_Char], reverse_ambiguous: bool, persian: bool) -> Line | None:
    tokens = [_flatten(t, reverse_ambiguous) for t in raw.tokens if t]
    flags = [f for t, f in zip(raw.tokens, raw.rtl_tokens, strict=True) if t]
    if not tokens:
        return None
    rtl = sum(flags) * 2 >= len(flags) and any(flags)
    if rtl and sum(flags) >= 3:
        # A line pdfium gave in visual order: its right-to-left words go left to right.
        rtl_xs = [(t[0].ox + t[-1].ox) / 2 for t, f in zip(tokens, flags, strict=True) if f]
        inc = sum(1 for a, b in itertools.pairwise(rtl_xs) if b > a)
        if inc * 2 > len(rtl_xs) - 1:
            tokens, flags = _visual_to_logical(tokens, flags)
    if rtl:
        _reattach_punctuation(tokens)
        tokens = [_order_number(t) for t in tokens]
    words = [_token_text(t, persian) for t in tokens]
    if rtl:
        # pdfium mirrors paired punctuation in right-to-left runs («شوشا» comes out »شوشا«): mirror it back
        # wherever it stands among right-to-left words.
        words = [
            w.translate(_MIRROR) if f or not any(ch.isalnum() for ch in w) else w
            for w, f in zip(words, flags, strict=True)
        ]
    text = clean_text(" ".join(words))
    if not text:
        return None
    inked = [c for c in chars if c.ch != " " and c.x1 > c.x0]
    if not inked:
        inked = [c for c in chars if c.ch != " "]
    sizes = sorted(c.size for c in inked if c.size > 0)
    size = sizes[len(sizes) // 2] if sizes else 0.0
    first = tokens[0]
    first_width = max(c.x1 for c in first) - min(c.x0 for c in first)
    return Line(
        text=text,
        x0=min(c.x0 for c in inked),
        x1=max(c.x1 for c in inked),
        y=sorted(c.oy for c in inked)[len(inked) // 2],
        size=size,
        rtl=rtl,
        first_word_width=first_width,
    )


def _box_gap(a: _Char, b: _Char) -> float:
    return max(a.x0 - b.x1, b.x0 - a.x1)


def _reattach_punctuation(tokens: list[list[_Char]]) -> None:
    """Quotes and brackets pdfium put on the wrong side of a space (Chromium's reversed runs): a mark at
    the end of a word that touches the next word (and not its own) moves over, and the other way round."""
    for a, b in itertools.pairwise(tokens):
        if len(a) >= 2 and b and a[-1].ch in _PAIRED and _box_gap(a[-1], b[0]) < _box_gap(a[-1], a[-2]):
            b.insert(0, a.pop())
        elif len(b) >= 2 and a and b[0].ch in _PAIRED and _box_gap(b[0], a[-1]) < _box_gap(b[0], b[1]):
            a.append(b.pop(0))
        elif (
            a
            and b
            and all(c.ch in _CLOSING for c in b)
            and _box_gap(a[-1], b[0]) < GLUED_GAP * max(a[-1].size, b[0].size, 1.0)
        ):  # a comma or full stop split from the word it touches
            a.extend(b)
            b.clear()


def _order_number(token: list[_Char]) -> list[_Char]:
    """A number with punctuation in a right-to-left line (``۲۰۲۰،``): punctuation drawn right of the digits
    comes before them, punctuation drawn left of them after (pdfium puts the Arabic comma first)."""
    core = [c for c in token if c.ch.isdigit()]
    if not core or any(c.ch.isalpha() for c in token):
        return token
    lo, hi = min(c.x0 for c in core), max(c.x1 for c in core)
    start = next(i for i, c in enumerate(token) if c.ch.isdigit())
    end = len(token) - next(i for i, c in enumerate(reversed(token)) if c.ch.isdigit())
    edges = token[:start] + token[end:]
    if not edges:
        return token
    before = sorted((c for c in edges if (c.x0 + c.x1) / 2 >= hi), key=lambda c: -c.x0)
    after = sorted((c for c in edges if (c.x0 + c.x1) / 2 <= lo), key=lambda c: -c.x0)
    if len(before) + len(after) != len(edges):
        return token
    return before + token[start:end] + after


def _visual_to_logical(tokens: list[list[_Char]], flags: list[bool]) -> tuple[list[list[_Char]], list[bool]]:
    """Reverse a visual-order line of a right-to-left paragraph, keeping left-to-right runs in their order."""
    pairs = list(zip(tokens, flags, strict=True))[::-1]
    out: list[tuple[list[_Char], bool]] = []
    i = 0
    while i < len(pairs):
        if pairs[i][1]:
            out.append(pairs[i])
            i += 1
            continue
        j = i
        while j < len(pairs) and not pairs[j][1]:
            j += 1
        out.extend(pairs[i:j][::-1])
        i = j
    return [t for t, _ in out], [f for _, f in out]


# --------------------------------------------------------------------------------------------------
# One page
# --------------------------------------------------------------------------------------------------


@dataclass
class Page:
    number: int  # 1-based
    lines: list[Line]
    height: float
    has_objects: bool = False  # images or drawings: a page without text but with these is a scan
    fallback: bool = False  # read with pypdf (no geometry)


def _split_baselines(group: list[_Char]) -> list[list[_Char]]:
    """pdfium sometimes gives two printed lines as one (word-by-word justified output): one line per
    baseline, top to bottom, each in pdfium's order."""
    inked = [c for c in group if c.ch != " "]
    size = statistics.median(c.size for c in inked) if inked else 0.0
    if not inked or max(c.oy for c in inked) - min(c.oy for c in inked) <= 0.6 * size:
        return [group]
    buckets: list[tuple[float, list[_Char]]] = []
    for c in group:
        if c.ch == " ":
            if buckets:
                buckets[-1][1].append(c)
            continue
        for y, bucket in buckets:
            if abs(c.oy - y) <= 0.6 * size:
                if bucket and bucket[-1] is not c:
                    bucket.append(c)
                break
        else:
            buckets.append((c.oy, [c]))
    buckets.sort(key=lambda b: -b[0])
    return [b for _, b in buckets]


def _gutter(groups: list[list[_Char]]) -> tuple[float, float] | None:
    """A vertical white band between two columns: an x range at least 0.8 em wide that no line's glyphs
    cross (a tenth of the lines may: headings), with a quarter of the lines (at least five) on each side."""
    inked = [[c for c in g if c.ch != " " and c.x1 > c.x0] for g in groups]
    inked = [g for g in inked if g]
    if len(inked) < 6:
        return None
    sizes = sorted(c.size for g in inked for c in g)
    em = max(sizes[len(sizes) // 2], 1.0)
    lo = min(c.x0 for g in inked for c in g)
    hi = max(c.x1 for g in inked for c in g)
    width = int(hi - lo) + 1
    # How many lines have ink at each x (1 pt steps): each line's glyph spans merged, then summed.
    steps = [0] * (width + 1)
    for g in inked:
        spans = sorted((max(0, int(c.x0 - lo)), min(width, int(c.x1 - lo) + 1)) for c in g)
        start, end = spans[0]
        for a, b in spans[1:]:
            if a > end:
                steps[start] += 1
                steps[end] -= 1
                start, end = a, b
            else:
                end = max(end, b)
        steps[start] += 1
        steps[end] -= 1
    cover = list(itertools.accumulate(steps))
    allowed = len(inked) // 10
    best: tuple[int, int] | None = None
    x = int(0.2 * width)
    while x < int(0.8 * width):
        if cover[x] <= allowed:
            start = x
            while x < width and cover[x] <= allowed:
                x += 1
            if x - start >= 0.8 * em and (best is None or x - start > best[1] - best[0]):
                best = (start, x)
        x += 1
    if best is None:
        return None
    left, right = lo + best[0], lo + best[1]
    sides = [(any(c.x1 <= left for c in g), any(c.x0 >= right for c in g)) for g in inked]
    enough = max(5, len(inked) // 4)
    if sum(1 for a, _ in sides if a) < enough or sum(1 for _, b in sides if b) < enough:
        return None
    return left, right


def _columns_in_order(groups: list[list[_Char]]) -> list[list[_Char]]:
    """Two columns read one after the other (the right one first on a right-to-left page), with lines that
    cross both (a title) where they stand; a line pdfium ran across the gutter is cut in two."""
    gutter = _gutter(groups)
    if gutter is None:
        return groups
    left_edge, right_edge = gutter
    middle = (left_edge + right_edge) / 2
    pieces: list[tuple[str, list[_Char]]] = []
    for g in groups:
        inked = [c for c in g if c.ch != " "]
        quarter = (right_edge - left_edge) / 4
        crossing = any(c.x0 < middle < c.x1 or abs((c.x0 + c.x1) / 2 - middle) < quarter for c in inked)
        left: list[_Char] = []
        right: list[_Char] = []
        side = left
        for c in g:  # a space goes with the character before it (its box says nothing)
            if c.ch != " ":
                side = left if (c.x0 + c.x1) / 2 < middle else right
            side.append(c)
        if crossing or not any(c.ch != " " for c in right):
            pieces.append(("wide" if crossing else "left", g))
        elif not any(c.ch != " " for c in left):
            pieces.append(("right", g))
        else:  # one printed line of each column, run together by pdfium
            pieces.append(("left", left))
            pieces.append(("right", right))
    letters = [c.ch for _, g in pieces for c in g]
    rtl = sum(1 for ch in letters if ch in _RTL_CHARS) * 2 > sum(1 for ch in letters if ch.isalpha())
    columns = [p for p in pieces if p[0] != "wide"]
    if not columns:
        return groups
    top = max(c.oy for _, g in columns for c in g if c.ch != " ")
    bottom = min(c.oy for _, g in columns for c in g if c.ch != " ")

    def baseline(g: list[_Char]) -> float:
        ys = sorted(c.oy for c in g if c.ch != " ")
        return ys[len(ys) // 2] if ys else 0.0

    above = [g for kind, g in pieces if kind == "wide" and baseline(g) > top]
    below = [g for kind, g in pieces if kind == "wide" and baseline(g) < bottom]
    inside = [g for kind, g in pieces if kind == "wide" and bottom <= baseline(g) <= top]
    order = ("right", "left") if rtl else ("left", "right")
    ordered = list(above)
    for column in order:
        ordered.extend(sorted((g for kind, g in pieces if kind == column), key=lambda g: -baseline(g)))
    return ordered + inside + below


def _page_lines(chars: list[_Char | None], top: float) -> list[Line]:
    groups: list[list[_Char]] = [[]]
    for ch in chars:
        if ch is None:
            groups.append([])
        elif (
            ch.ch == " " or -0.5 * ch.size <= ch.oy <= top + 0.5 * ch.size
        ):  # text outside the page is not seen
            groups[-1].append(ch)
    groups = [line for g in groups for line in _split_baselines(g) if any(c.ch != " " for c in line)]
    groups = _columns_in_order(groups)
    sample = "".join(c.ch for g in groups for c in g)
    persian = any(ch in _PERSIAN_LETTERS for ch in sample)
    votes = _PageVotes()
    raws = [_order_line(g, votes) for g in groups]
    reverse_ambiguous = votes.reversed_ > votes.kept
    lines = []
    for raw, g in zip(raws, groups, strict=True):
        line = _finish_line(raw, g, reverse_ambiguous, persian)
        if line is not None:
            lines.append(line)
    return lines


def _fallback_lines(text: str) -> list[Line]:
    lines = []
    for i, raw in enumerate(text.splitlines()):
        cleaned = clean_text(raw)
        if cleaned:
            rtl = sum(_is_rtl_char(ch) for ch in cleaned) * 2 > sum(ch.isalpha() for ch in cleaned)
            lines.append(Line(cleaned, 0.0, 0.0, -float(i), 0.0, rtl))
    return lines


def _page_order_is_reversed(lines: list[Line]) -> tuple[bool, int]:
    forward, backward = order_score(" ".join(line.text for line in lines))
    return backward > forward and backward >= 3, forward - backward


# --------------------------------------------------------------------------------------------------
# Running headers, footers and page numbers
# --------------------------------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]+")
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|.\[\]()]*(?:(?:page|p\.|sayfa|səhifə|səh\.|صفحه|صفحة|ص)\s*)?[0-9\u0660-\u0669\u06f0-\u06f9]{1,5}"
    r"(?:\s*(?:/|of|из|از|من|-)\s*[0-9\u0660-\u0669\u06f0-\u06f9]{1,5})?[\s\-–—|.\[\]()]*$",
    re.IGNORECASE,
)
_EDGE_LINES = 2


def _signature(line: Line) -> str:
    return _DIGITS.sub("#", " ".join(line.text.split())).casefold()


def drop_running_lines(pages: list[Page]) -> None:
    """Remove running headers and footers (the same top/bottom lines, digits aside, on many pages), page
    numbers, and small print set apart in the top or bottom margin."""
    counts: Counter[str] = Counter()
    with_text = [p for p in pages if p.lines and not p.fallback]
    for page in with_text:
        edge = page.lines[:_EDGE_LINES] + page.lines[-_EDGE_LINES:]
        counts.update({_signature(line) for line in edge})
    threshold = max(3, (len(with_text) + 1) // 2)
    for page in with_text:
        body_size = statistics.median(line.size for line in page.lines)
        doomed: set[int] = set()
        n = len(page.lines)
        edge_indexes = [*range(min(_EDGE_LINES, n)), *range(max(0, n - _EDGE_LINES), n)]
        for i in edge_indexes:
            line = page.lines[i]
            if counts[_signature(line)] >= threshold or _PAGE_NUMBER.match(line.text):
                doomed.add(i)
        # Small print apart from the text in the outer tenth of the page (a browser's date, title, URL).
        for i, step in ((0, 1), (n - 1, -1)):
            while 0 <= i < n and i not in doomed and _in_margin(page, page.lines[i], body_size):
                neighbour = i + step
                if not (0 <= neighbour < n):
                    break
                gap = abs(page.lines[i].y - page.lines[neighbour].y)
                if gap < 1.8 * body_size:
                    break
                doomed.add(i)
                i = neighbour
        if doomed and len(doomed) < n:
            page.lines = [line for i, line in enumerate(page.lines) if i not in doomed]
        elif doomed:
            page.lines = [line for i, line in enumerate(page.lines) if i not in doomed] or []


def _in_margin(page: Page, line: Line, body_size: float) -> bool:
    if page.height <= 0 or line.size <= 0:
        return False
    outer = 0.1 * page.height
    return line.size < 0.85 * body_size and (line.y > page.height - outer or line.y < outer)


# --------------------------------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------------------------------

_TERMINAL = re.compile(r"[.!?…؟۔:»\"”)]$")
_HYPHENS = "-\u2010\u00ad"


@dataclass
class _Paragraph:
    lines: list[Line] = field(default_factory=list)
    page: int = 0


def _edge_of(line: Line, lines: list[Line]) -> tuple[float, float]:
    """The left and right edge of a line's column: of the lines that overlap it horizontally."""
    lefts, rights = [], []
    for m in lines:
        if m.x0 < line.x1 and line.x0 < m.x1 and abs(m.size - line.size) < 0.2 * line.size:
            lefts.append(m.x0)
            rights.append(m.x1)
    lefts.sort()
    rights.sort()
    k = len(lefts) // 10
    return lefts[k], rights[-1 - k]


def _edges(lines: list[Line]) -> list[tuple[float, float]]:
    return [_edge_of(line, lines) for line in lines]


def _ends_early(line: Line, edge: tuple[float, float], next_word: float) -> bool:
    room = (line.x0 - edge[0]) if line.rtl else (edge[1] - line.x1)
    return room > next_word + 0.6 * max(line.size, 1.0)


def _indented(line: Line, edge: tuple[float, float]) -> bool:
    inset = (edge[1] - line.x1) if line.rtl else (line.x0 - edge[0])
    return inset > 0.8 * max(line.size, 1.0)


def line_pitch(pages: list[Page]) -> float | None:
    """The distance between the baselines of two lines of one paragraph: the lower quartile of the
    document's baseline steps (paragraph gaps and headings make the larger steps)."""
    steps = sorted(
        a.y - b.y
        for page in pages
        if not page.fallback
        for a, b in zip(page.lines, page.lines[1:], strict=False)
        if 0 < a.y - b.y < 3 * max(a.size, b.size)
    )
    return steps[len(steps) // 4] if steps else None


def page_paragraphs(page: Page, pitch: float | None = None) -> list[_Paragraph]:
    lines = page.lines
    if not lines:
        return []
    if page.fallback:
        paragraphs: list[_Paragraph] = [_Paragraph([], page.number)]
        for line in lines:
            paragraphs[-1].lines.append(line)
            if _TERMINAL.search(line.text):
                paragraphs.append(_Paragraph([], page.number))
        return [p for p in paragraphs if p.lines]
    edges = _edges(lines)
    sizes = [line.size for line in lines]
    body = statistics.median(sizes) or 1.0
    pitch = pitch or 1.2 * body
    out = [_Paragraph([lines[0]], page.number)]
    for i in range(1, len(lines)):
        a, b = lines[i - 1], lines[i]
        drop = a.y - b.y
        new = (
            drop > 1.3 * pitch + 0.1 * body
            or abs(a.size - b.size) > 0.15 * max(a.size, b.size)
            or _ends_early(a, edges[i - 1], b.first_word_width)
            or (_indented(b, edges[i]) and not _indented(a, edges[i - 1]))
        )
        if new:
            out.append(_Paragraph([b], page.number))
        else:
            out[-1].lines.append(b)
    return out


def _continues(prev: _Paragraph, prev_edges: tuple[float, float], nxt: _Paragraph) -> bool:
    """Does ``nxt`` (first paragraph of a page) continue ``prev`` (last of the page before)?"""
    a, b = prev.lines[-1], nxt.lines[0]
    if a.size <= 0 or b.size <= 0 or a.rtl != b.rtl:
        return False
    if abs(a.size - b.size) > 0.15 * max(a.size, b.size) or _TERMINAL.search(a.text):
        return False
    return not _ends_early(a, prev_edges, b.first_word_width)


def join_lines(lines: list[Line]) -> str:
    text = ""
    for line in lines:
        if not text:
            text = line.text
            continue
        t = line.text
        if not line.rtl and len(text) >= 2 and text[-1] in _HYPHENS and text[-2].isalnum():
            if t[:1].islower() and text[-2].islower():
                text = text[:-1] + t  # a word hyphenated at the line end
            else:
                text += t  # a compound or suffix broken at its hyphen ("Ermənistan-Azərbaycan", "BMT-nin")
            continue
        text += " " + t
    return text.replace("\u00ad", "")


# --------------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------------

_JUNK_TITLE = re.compile(
    r"^(untitled|microsoft \w+ - |document\d*$)|\.(docx?|odt|pdf|html?|txt|indd|tex|rtf)$", re.I
)


def sniff_pdf(data: bytes) -> bool:
    """A PDF by its content (``%PDF-`` within the first KB, as readers accept), whatever the file is called."""
    return b"%PDF-" in data[:1024]


def extract_pdf(data: bytes, label: str, progress: ProgressHook | None = None) -> ImportedText:
    """Import a PDF; raises :class:`ImportRefused` (one sentence) or :class:`ImportCancelled`."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if b"%%EOF" not in data[-4096:]:
        raise ImportRefused(f"{label} is an incomplete PDF (the file ends early); download or save it again.")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ImportRefused(
                f"{label} is protected by a password; Yanyana cannot open encrypted PDFs."
            ) from None
        raise ImportRefused(f"{label} is a damaged PDF that cannot be read.") from None
    try:
        total = len(document)
        if total == 0:
            raise ImportRefused(f"{label} is a damaged PDF that cannot be read (it has no pages).")
        title = _metadata_title(document)
        pages: list[Page] = []
        fallback_reader: Any = None
        for index in range(total):
            try:
                page = document[index]
            except pdfium.PdfiumError:
                raise ImportRefused(f"{label} is a damaged PDF: page {index + 1} cannot be read.") from None
            try:
                height = float(page.get_height())
                textpage = page.get_textpage()
                try:
                    chars = _read_chars(textpage.raw, pdfium_c)
                finally:
                    textpage.close()
                has_objects = int(pdfium_c.FPDFPage_CountObjects(page.raw)) > 0
            finally:
                page.close()
            current = Page(index + 1, _page_lines(chars, height), height, has_objects)
            del chars
            reversed_, score = _page_order_is_reversed(current.lines)
            if reversed_:
                fallback_reader = fallback_reader or _pypdf_reader(data)
                alternative = _fallback_lines(_pypdf_text(fallback_reader, index))
                if alternative and _page_order_is_reversed(alternative)[1] > score:
                    current.lines, current.fallback = alternative, True
            pages.append(current)
            if progress is not None and progress(index + 1, total) is False:
                raise ImportCancelled(f"The import of {label} was stopped.")
    finally:
        document.close()
    return _assemble(pages, label, title)


def _pypdf_reader(data: bytes) -> Any:
    import io

    import pypdf

    try:
        return pypdf.PdfReader(io.BytesIO(data))
    except Exception:  # pypdf raises many kinds of error on a file pdfium could open: no fallback then
        return None


def _pypdf_text(reader: Any, index: int) -> str:
    if reader is None:
        return ""
    try:
        return str(reader.pages[index].extract_text())
    except Exception:  # a page pypdf cannot read keeps pdfium's reading
        return ""


def _metadata_title(document: Any) -> str | None:
    try:
        title = " ".join(str(document.get_metadata_value("Title")).split())
    except Exception:
        return None
    title = clean_text(title)
    if not title or _JUNK_TITLE.search(title) or not any(ch.isalpha() for ch in title):
        return None
    return title


def _assemble(pages: list[Page], label: str, title: str | None) -> ImportedText:
    empty = [p.number for p in pages if not p.lines and p.has_objects]
    if all(not p.lines for p in pages):
        if empty:
            raise ImportRefused(f"{label} has no text layer (it looks scanned); OCR is not available.")
        raise ImportRefused(f"{label} contains no readable text.")
    drop_running_lines(pages)
    paragraphs: list[_Paragraph] = []
    last_edges: tuple[float, float] = (0.0, 0.0)
    pitch = line_pitch(pages)
    for page in pages:
        page_paras = page_paragraphs(page, pitch)
        if not page_paras:
            continue
        if paragraphs and _continues(paragraphs[-1], last_edges, page_paras[0]):
            paragraphs[-1].lines.extend(page_paras[0].lines)
            page_paras = page_paras[1:]
        paragraphs.extend(page_paras)
        if page.lines and not page.fallback:
            last_edges = _edge_of(page.lines[-1], page.lines)
    if title is None and paragraphs and pages[0].lines:
        first = paragraphs[0]
        body = statistics.median(line.size for line in pages[0].lines)
        if first.page == pages[0].number and first.lines[0].size >= 1.25 * body and len(first.lines) <= 3:
            title = join_lines(first.lines)
    texts: list[str] = []
    page_starts: list[tuple[int, int]] = []
    offset = 0
    for para in paragraphs:
        text = join_lines(para.lines)
        if not text:
            continue
        if not page_starts or page_starts[-1][1] != para.page:
            page_starts.append((offset, para.page))
        texts.append(text)
        offset += len(text) + 2
    warnings = []
    if empty:
        listed = ", ".join(map(str, empty))
        warnings.append(
            f"page {listed} has no text; OCR is not available."
            if len(empty) == 1
            else f"pages {listed} have no text; OCR is not available."
        )
    return ImportedText(
        text="\n\n".join(texts),
        title=title,
        encoding="pdf",
        format="pdf",
        warnings=warnings,
        pages=len(pages),
        page_starts=page_starts,
    )
