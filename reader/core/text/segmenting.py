"""Paragraphs and sentences as character ranges into the original text.

Every span is *trimmed*: ``text[start:end]`` is exactly the paragraph or sentence, without surrounding
whitespace, and the text itself is never changed (ZWNJ, diacritics, bidi marks all stay where they are).
Together the sentences of a document cover every non-whitespace character exactly once, in order, and no
sentence crosses a paragraph boundary.

Paragraphs
    Blocks of lines separated by blank lines (or U+2029). Inside a block, each line is its own paragraph
    (the seeds are "one paragraph per line"), unless the document is *hard-wrapped* (lines of 40-150
    characters filled to a width and continuing mid-sentence): then the lines of a paragraph are joined.
    See :func:`_soft_wraps` for the test. In hard-wrapped text a line break stays a paragraph break when
    the line ended early (the next word would have fitted on it), when the next line is a list item, or
    when the line is a headline (no terminal punctuation, Title Case, the next line not continuing in
    lowercase). Headlines and bylines without punctuation are therefore their own paragraph and sentence.

Sentences
    A sentence ends at a run of ``. ! ? … ؟ ۔`` (plus ‼ ⁇ ⁈ ⁉), followed by any closing quotes or brackets
    (``" ” ’ » ) ] ›`` …) and whitespace, when what follows is a plausible sentence start: an uppercase
    letter, a digit, an opening quote or bracket, a dash or bullet, or a letter of a script without case
    (Arabic, Persian). A closing quote after the punctuation stays with its sentence; an opening quote
    goes with the sentence it opens. There is no break after

    * an abbreviation of the language (Turkish ``Dr. Prof. vb.``, Azerbaijani ``b. s.``, English ``Mr.``),
      compared case-insensitively; some (``No. s. p.``) only before a number;
    * dotted abbreviations such as ``U.S.``, ``e.g.``, ``T.C.``, ``ه.ش.``;
    * a single uppercase letter (initials: ``J. O'Brien``) or a single letter of a caseless script
      (Arabic ``د.``), except English ``I`` and an Arabic-script era letter after a number (``1990 م.``);
    * in Turkish and Azerbaijani, a one- or two-digit number before a capitalised word (``1. Dünya
      Savaşı``) — an ordinal, not the end of a sentence;
    * punctuation right after an opening quote or bracket (``(!)``, ``«?»``), and an ellipsis standing
      after a space or bracket (``[...]``, ``... and``), which marks an omission.

    Decimals (``3.5``, ``۳٫۵``), dates (``26.09.2023``), URLs, e-mail addresses and ``Meydan.tv`` never
    break because a break needs whitespace after the punctuation. Quotes are not tracked across
    sentences: a quotation of several sentences is split into them (the closing quote stays with the last).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Segment", "segment", "split_paragraphs", "split_sentences"]


@dataclass(frozen=True, slots=True)
class Segment:
    index: int  # 0-based sentence index in the document
    paragraph: int  # 0-based paragraph index
    start: int  # text[start:end] is exactly the sentence, trimmed of surrounding whitespace
    end: int


# --- characters ---------------------------------------------------------------------------------------------

_TERMINALS = ".!?…؟۔‼⁇⁈⁉"
_CLOSERS = "\"'”’»)]›〉》」』"
_OPENERS = "\"'“‘„‚«‹([¿¡〈《「『"
_OPEN_BRACKETS = "([{"
_AMBIGUOUS_QUOTES = "\"'"
_DASHES = "-–—―•·*▪●"
_ELLIPSIS = frozenset("….")
# ZWSP, ZWNJ/ZWJ, bidi marks, embeddings and isolates, BOM, Arabic letter mark: invisible, never a start.
_FORMAT_CHARS = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c"
)

# A candidate end: terminal punctuation, closing quotes/brackets, and whitespace after them.
_CANDIDATE = re.compile(f"([{re.escape(_TERMINALS)}]+)[{re.escape(_CLOSERS)}]*(?=\\s)")
_NON_SPACE = re.compile(r"\S")
_SPACE = re.compile(r"\s")
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_LIST_ITEM = re.compile(r"(?:[-–—•·*▪●]|\d{1,3}[.)]|[a-zA-Z][.)])\s")
_DOTTED_ABBREVIATION = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
_SMALL_NUMBER = re.compile(r"[0-9]{1,2}")


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# --- abbreviations (lowercase; İ, I and ı are compared as i) -------------------------------------------------

_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "tr": _words(
        "dr prof doç yrd uzm av op öğr gör arş sn bkz vb vs vd örn ör yy hz cad mah blv apt "
        "alb gen org korg tuğg bnb yzb ütğm tğm ltd şti müd mim müh bşk doc s"
    ),
    "az": _words("b s dr prof dos akad müəl c səh ş r k küç ltd"),
    "en": _words(
        "mr mrs ms dr prof sr jr st mt vs etc inc ltd co corp gen col lt sgt capt gov rep rev hon "
        "jan feb mar apr jun jul aug sep sept oct nov dec approx dept est cf ca messrs mme mlle"
    ),
    "fa": frozenset(),
    "ar": frozenset(),
}
# Abbreviations that only hold before a number ("No. 5", "s. 12"): "I said no. Then" still breaks.
_BEFORE_NUMBER: dict[str, frozenset[str]] = {
    "tr": _words("no nr sy md"),
    "az": _words("no nr"),
    "en": _words("no nos nr p pp fig figs vol art ch sec eq"),
    "fa": frozenset(),
    "ar": frozenset(),
}
_ALL_ABBREVIATIONS = frozenset().union(*_ABBREVIATIONS.values())
_ALL_BEFORE_NUMBER = frozenset().union(*_BEFORE_NUMBER.values())
_ORDINAL_LANGS = frozenset({"tr", "az"})
_ABBREVIATION_FOLD = str.maketrans({"İ": "i", "I": "i", "ı": "i"})

# Hard-wrap detection.
_MIN_WRAP_WIDTH = 40
_MAX_WRAP_WIDTH = 150
_WRAP_SLACK = 0.9  # a break is "filler-like" when line + next word exceeds 90 % of the wrap width
_WRAP_CONSISTENT_SHARE = 0.6


def _norm_lang(lang: str | None) -> str | None:
    if not lang:
        return None
    return lang.strip().lower().replace("_", "-").split("-")[0] or None


# --- paragraphs ---------------------------------------------------------------------------------------------


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without leading/trailing whitespace, or None if it is blank."""
    piece = text[start:end]
    stripped = piece.lstrip()
    if not stripped:
        return None
    left = start + len(piece) - len(stripped)
    return left, left + len(stripped.rstrip())


def _blocks(text: str) -> list[list[tuple[int, int]]]:
    """Blank-line separated blocks, each a list of trimmed non-blank line spans."""
    blocks: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        m = _LINE_BREAK.search(text, pos)
        line_end = m.start() if m else n
        span = _trimmed(text, pos, line_end)
        if span is None:
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(span)
        if m and m.group() == "\u2029" and current:  # paragraph separator: a hard break
            blocks.append(current)
            current = []
        if m is None:
            break
        pos = m.end()
    if current:
        blocks.append(current)
    return blocks


def _skip_openers(text: str, pos: int, end: int) -> int:
    while pos < end and (text[pos] in _OPENERS or _is_format(text[pos])):
        pos += 1
    return pos


def _is_format(ch: str) -> bool:
    return ch in _FORMAT_CHARS


def _ends_terminal(text: str, start: int, end: int) -> bool:
    pos = end - 1
    while pos > start and text[pos] in _CLOSERS:
        pos -= 1
    return text[pos] in _TERMINALS


def _first_letter(text: str, start: int, end: int) -> str:
    pos = _skip_openers(text, start, end)
    return text[pos] if pos < end else ""


def _first_word_len(text: str, start: int, end: int) -> int:
    m = _SPACE.search(text, start, end)
    return (m.start() if m else end) - start


def _is_title_like(line: str) -> bool:
    """Title Case without commas: most cased words (and the last one) capitalised."""
    if any(c in line for c in ",;،؛"):
        return False
    words = [w for w in line.split() if any(c.isupper() or c.islower() for c in w)]
    if len(words) < 3:
        return False
    capitalised = [_first_letter(w, 0, len(w)).isupper() for w in words]
    return capitalised[-1] and sum(capitalised) >= 0.75 * len(words)


def _wrap_width(blocks: list[list[tuple[int, int]]]) -> int | None:
    """The line width a filler would have used: the longest line that is followed by another line of its
    block, ignoring lines more than 25 % longer than the median (an over-long headline)."""
    lengths = sorted(e - s for block in blocks for s, e in block[:-1])
    if not lengths:
        return None
    cutoff = 1.25 * lengths[len(lengths) // 2]
    return max(n for n in lengths if n <= cutoff)


@dataclass(frozen=True, slots=True)
class _Break:
    """What a line break inside a block looks like."""

    fits: bool  # the next word would not have fitted on the line: a filler could have broken here
    open_ended: bool  # the line does not end with terminal punctuation
    continues_lower: bool  # ... and the next line continues with a lowercase letter
    continues_caseless: bool  # ... or with a letter of a script without case
    headline: bool  # the line is a title-like line without terminal punctuation, not continued in lowercase
    list_item: bool  # the next line starts with a list marker


def _describe_break(text: str, block: list[tuple[int, int]], i: int, width: int) -> _Break:
    s1, e1 = block[i]
    s2, e2 = block[i + 1]
    open_ended = not _ends_terminal(text, s1, e1)
    first = _first_letter(text, s2, e2)
    continues_lower = open_ended and first.islower()
    continues_caseless = open_ended and first.isalpha() and not first.islower() and not first.isupper()
    headline = (
        open_ended
        and not continues_lower
        and (i == 0 or _ends_terminal(text, *block[i - 1]))
        and _is_title_like(text[s1:e1])
    )
    return _Break(
        fits=(e1 - s1) + 1 + _first_word_len(text, s2, e2) > _WRAP_SLACK * width,
        open_ended=open_ended,
        continues_lower=continues_lower,
        continues_caseless=continues_caseless,
        headline=headline,
        list_item=_LIST_ITEM.match(text, s2, e2) is not None,
    )


def _soft_wraps(text: str, blocks: list[list[tuple[int, int]]]) -> list[list[bool]]:
    """For each block, for each of its line breaks: True where the break is a soft wrap to be joined.

    The document is taken as hard-wrapped when its wrap width is plausible (40-150 characters), at least
    60 % of the breaks after lines without terminal punctuation fall where the next word would not have
    fitted, and the text visibly runs on across such breaks: once into a lowercase word, or twice into a
    word of a caseless script (Arabic, Persian). Breaks before list items are left out of the count.
    Otherwise every line is its own paragraph.
    """
    no_joins = [[False] * (len(block) - 1) for block in blocks]
    width = _wrap_width(blocks)
    if width is None or not _MIN_WRAP_WIDTH <= width <= _MAX_WRAP_WIDTH:
        return no_joins
    breaks = [[_describe_break(text, block, i, width) for i in range(len(block) - 1)] for block in blocks]
    open_breaks = [b for block in breaks for b in block if b.open_ended and not b.list_item]
    fitting = [b for b in open_breaks if b.fits]
    runs_on_lower = sum(b.continues_lower for b in fitting)
    runs_on_caseless = sum(b.continues_caseless for b in fitting)
    if len(fitting) < _WRAP_CONSISTENT_SHARE * len(open_breaks) or (
        runs_on_lower < 1 and runs_on_caseless < 2
    ):
        return no_joins
    return [
        [(b.fits or b.continues_lower) and not b.headline and not b.list_item for b in block]
        for block in breaks
    ]


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Trimmed ``(start, end)`` spans of the paragraphs of ``text``, in order."""
    blocks = _blocks(text)
    spans: list[tuple[int, int]] = []
    for block, joins in zip(blocks, _soft_wraps(text, blocks), strict=True):
        start, end = block[0]
        for join, (s, e) in zip(joins, block[1:], strict=True):
            if join:
                end = e
            else:
                spans.append((start, end))
                start, end = s, e
        spans.append((start, end))
    return spans


# --- sentences ----------------------------------------------------------------------------------------------


def _token_before(text: str, pos: int, floor: int) -> str:
    """The whitespace-delimited token ending at ``pos`` (at most 40 characters), without opening quotes."""
    i = pos
    limit = max(floor, pos - 40)
    while i > limit and not text[i - 1].isspace():
        i -= 1
    if i == limit and i > floor and not text[i - 1].isspace():
        return "\x00"  # longer than any abbreviation
    while i < pos and text[i] in _OPENERS:
        i += 1
    return text[i:pos]


def _is_abbreviation(token: str, next_char: str, lang: str | None, previous_char: str) -> bool:
    """Whether ``token`` + "." is an abbreviation or initial rather than the end of a sentence."""
    if not token:
        return False
    key = token.translate(_ABBREVIATION_FOLD).lower()
    if lang in _ABBREVIATIONS:
        plain, before_number = _ABBREVIATIONS[lang], _BEFORE_NUMBER[lang]
    else:
        plain, before_number = _ALL_ABBREVIATIONS, _ALL_BEFORE_NUMBER
    if key in plain or (next_char.isdigit() and key in before_number):
        return True
    if _DOTTED_ABBREVIATION.fullmatch(token):
        return True
    if len(token) == 1 and token.isalpha():
        if token.isupper():  # an initial, except the English pronoun
            return not (token == "I" and lang in (None, "en"))
        if not token.islower():  # a letter of a caseless script: د. (doctor), ص. (page)
            return not previous_char.isdigit()  # "1990 م." is an era after a year: a real end
    return False


def _plausible_start(text: str, pos: int, end: int) -> tuple[bool, str]:
    """Whether a sentence may start at ``pos``; also returns its first character after opening quotes."""
    after = _skip_openers(text, pos, end)
    ch = text[after] if after < end else ""
    skipped = text[pos:after]
    if any(c in _OPENERS and c not in _AMBIGUOUS_QUOTES for c in skipped):
        return True, ch  # an unambiguous opening quote or bracket: « “ ( …
    if any(c in _AMBIGUOUS_QUOTES for c in skipped):
        return not ch.islower(), ch  # a straight quote opens a sentence unless a lowercase word follows
    if not ch or ch.isalpha():
        return not ch.islower(), ch  # uppercase, titlecase, or a letter of a caseless script
    if ch.isnumeric():
        return True, ch
    return ch in _DASHES, ch


def _is_boundary(text: str, m: re.Match[str], nxt: int, start: int, end: int, lang: str | None) -> bool:
    term_start = m.start(1)
    term = m.group(1)
    plausible, first = _plausible_start(text, nxt, end)
    if not plausible:
        return False
    before = text[term_start - 1] if term_start > start else ""
    if before and before in _OPENERS:
        opening = before not in _AMBIGUOUS_QUOTES or term_start - 1 == start or text[term_start - 2].isspace()
        if opening:
            return False  # "(!)", "«?»": punctuation inside an opening quote or bracket
    is_ellipsis = (len(term) > 1 and set(term) <= _ELLIPSIS) or term == "…"
    if is_ellipsis and (not before or before.isspace() or before in _OPEN_BRACKETS):
        return False  # "[...]", "... and": an omission, not an end
    if term != ".":
        return True
    token = _token_before(text, term_start, start)
    k = term_start - len(token)
    while k > start and text[k - 1].isspace():
        k -= 1
    previous_char = text[k - 1] if k > start else ""
    if _is_abbreviation(token, first, lang, previous_char):
        return False
    return not (lang in _ORDINAL_LANGS and _SMALL_NUMBER.fullmatch(token) and first.isupper())


def split_sentences(text: str, start: int, end: int, lang: str | None = None) -> list[tuple[int, int]]:
    """Trimmed sentence spans inside ``text[start:end]`` (normally one paragraph)."""
    span = _trimmed(text, start, end)
    if span is None:
        return []
    start, end = span
    lang = _norm_lang(lang)
    spans: list[tuple[int, int]] = []
    current = start
    for m in _CANDIDATE.finditer(text, start, end):
        nxt_match = _NON_SPACE.search(text, m.end(), end)
        if nxt_match is None:
            break
        nxt = nxt_match.start()
        if _is_boundary(text, m, nxt, current, end, lang):
            spans.append((current, m.end()))
            current = nxt
    spans.append((current, end))
    return spans


def segment(
    text: str, lang: str | None = None, paragraphs: Sequence[tuple[int, int]] | None = None
) -> list[Segment]:
    """All sentences of ``text`` with their paragraph index, in document order (``paragraphs``: the spans of
    :func:`split_paragraphs`, when the caller has them already)."""
    segments: list[Segment] = []
    spans = split_paragraphs(text) if paragraphs is None else paragraphs
    for p, (ps, pe) in enumerate(spans):
        for s, e in split_sentences(text, ps, pe, lang):
            segments.append(Segment(len(segments), p, s, e))
    return segments
