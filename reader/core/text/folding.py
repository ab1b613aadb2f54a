"""Normalisation for matching and search only — never for storage.

:func:`fold` turns text into a search key; :func:`fold_with_map` also says, for every folded character, the
offset in the original text it came from, so a match found in folded text maps back to exact original offsets
(see :func:`original_span`).

What folding does, in this order:

1. Drops invisible or decorative characters: Arabic tashkeel (U+064B–U+065F, U+0670) and Quranic annotation
   marks (U+06D6–U+06ED), tatweel (U+0640), ZWNJ/ZWJ (U+200C/D), zero width space (U+200B), bidi marks,
   embeddings and isolates (U+200E/F, U+202A–U+202E, U+2066–U+2069, U+061C), BOM (U+FEFF) and soft hyphen
   (U+00AD). Dropping them first means a letter written with a separate hamza or madda (ي + ٔ) folds like the
   precomposed letter (ئ).
2. Applies compatibility normalisation (NFKC) to each base character with its combining marks, where safe:
   Arabic presentation forms become letters (ﻻ → لا), full-width Latin becomes ASCII, ligatures split
   (ﬁ → fi). Where NFKC would introduce a space (spacing accents: ¨ → " ̈") only canonical composition is
   applied.
3. Case-folds. Turkish and Azerbaijani (``lang`` "tr"/"az") fold İ → i and I → ı, as the languages do;
   every other language (and ``lang=None``) folds both İ and I → i, while ı stays ı. With either scheme the
   query "istanbul" finds İstanbul, İSTANBUL and istanbul; a query and the text it is matched against must
   be folded with the same ``lang`` (search folds the query once each way). An i followed by a combining dot
   above (what naive lowercasing makes of İ) folds to plain i.
4. Unifies Arabic-script letter variants: ي ى ئ → ی (Persian yeh), ك ڪ → ک (Persian kaf), أ إ آ ٱ ٲ ٳ → ا,
   ؤ → و, and ة ۀ ۃ ھ ہ ۂ → ه. Folding teh marbuta (ة) into heh (ه) is deliberate: Persian spells those word
   endings with ه and Arabic text is often typed that way, so either spelling finds the other; it also merges
   a few Arabic minimal pairs, which costs some extra hits, never a missed one.
5. Turns every decimal digit (Arabic-Indic ٠–٩, Persian ۰–۹, full-width …) into an ASCII digit, and the Arabic
   decimal and thousands separators ٫ ٬ into . and , so that "3.5" finds "۳٫۵".
6. Collapses every run of whitespace into one space and drops whitespace at both ends.

Decided against: removing Latin diacritics (ç ş ğ ö ü ə are letters of their own in Turkish and
Azerbaijani), folding hamza ء away, and turning ZWNJ into a space (the seeds write Persian compounds both
with ZWNJ and without it, never with a space).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_with_map", "original_span"]

_REMOVED = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640", "\u061c", "\u00ad", "\ufeff", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f"]
    + [chr(c) for c in range(0x06D6, 0x06DD)]
    + [chr(c) for c in range(0x06DF, 0x06E5)]
    + ["\u06e7", "\u06e8"]
    + [chr(c) for c in range(0x06EA, 0x06EE)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)

_LETTERS = {
    "\u064a": "\u06cc",  # ي Arabic yeh
    "\u0649": "\u06cc",  # ى alef maksura
    "\u0626": "\u06cc",  # ئ yeh with hamza above
    "\u0643": "\u06a9",  # ك Arabic kaf
    "\u06aa": "\u06a9",  # ڪ swash kaf
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0672": "\u0627",  # ٲ
    "\u0673": "\u0627",  # ٳ
    "\u0624": "\u0648",  # ؤ
    "\u0629": "\u0647",  # ة teh marbuta
    "\u06c0": "\u0647",  # ۀ heh with yeh above
    "\u06c3": "\u0647",  # ۃ teh marbuta goal
    "\u06be": "\u0647",  # ھ heh doachashmee
    "\u06c1": "\u0647",  # ہ heh goal
    "\u06c2": "\u0647",  # ۂ heh goal with hamza above
    "\u066b": ".",  # ٫ Arabic decimal separator
    "\u066c": ",",  # ٬ Arabic thousands separator
}

_TURKIC = frozenset({"tr", "az"})
_DOT_ABOVE = "\u0307"


def _is_turkic(lang: str | None) -> bool:
    if not lang:
        return False
    return lang.strip().lower().replace("_", "-").split("-")[0] in _TURKIC


@lru_cache(maxsize=4096)
def _fold_char(ch: str, turkic: bool) -> str:
    """Case, letter variants and digits for one (already NFKC-normalised) character."""
    if ch in _REMOVED:
        return ""
    if ch.isspace():
        return " "
    if ch == "İ":
        return "i"
    if ch == "I":
        return "ı" if turkic else "i"
    folded = ch.casefold()
    if folded != ch:
        folded = unicodedata.normalize("NFKC", folded)
    out = []
    for c in folded:
        c = _LETTERS.get(c, c)
        if unicodedata.category(c) == "Nd":
            c = str(unicodedata.decimal(c))
        if c not in _REMOVED:
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=8192)
def _fold_unit(unit: str, turkic: bool) -> tuple[tuple[str, int], ...]:
    """Fold one base character with its combining marks: (folded character, index in ``unit``) pairs."""
    normal = unicodedata.normalize("NFKC", unit)
    if normal == unit:
        positions = list(range(len(unit)))
    elif not unit.isspace() and any(c.isspace() for c in normal):
        # "¨" → " ̈": compatibility would add a space; canonical composition only
        normal = unicodedata.normalize("NFC", unit)
        positions = list(range(len(unit))) if normal == unit else [0] * len(normal)
    else:
        positions = [0] * len(normal)
    out: list[tuple[str, int]] = []
    for c, pos in zip(normal, positions, strict=True):
        for f in _fold_char(c, turkic):
            if f == _DOT_ABOVE and out and out[-1][0] == "i":
                continue  # "i̇" (i + combining dot above, from naive lowercasing of İ) is plain i
            out.append((f, pos))
    folded = "".join(f for f, _ in out)
    composed = unicodedata.normalize("NFC", folded)
    if composed != folded:  # casing can make a new composition possible: İ + ◌́ → i + ◌́ → í
        out = [(f, 0) for c in composed for f in _fold_char(c, turkic)]
    return tuple(out)


def fold_with_map(text: str, lang: str | None = None) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the offset in ``text`` of the character it came from.

    A character that folds into several (ß → ss, ﻻ → لا) maps each of them to its own offset; a base letter
    with combining marks that NFKC changes (e + ◌́ → é) maps to the base letter; a collapsed run of whitespace
    maps to its first whitespace character.
    """
    turkic = _is_turkic(lang)
    # 1. drop the ignorable characters, remembering where the kept ones were
    kept: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch not in _REMOVED:
            kept.append(ch)
            where.append(i)
    chars: list[str] = []
    origin: list[int] = []
    pending_space = -1
    n = len(kept)
    i = 0
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(kept[j]):
            j += 1
        unit = kept[i] if j == i + 1 else "".join(kept[i:j])
        for f, pos in _fold_unit(unit, turkic):
            offset = where[i + pos]
            if f == " ":
                if pending_space < 0:
                    pending_space = offset
                continue
            if pending_space >= 0:
                if chars:  # no space at the start
                    chars.append(" ")
                    origin.append(pending_space)
                pending_space = -1
            chars.append(f)
            origin.append(offset)
        i = j
    return "".join(chars), origin


def fold(text: str, lang: str | None = None) -> str:
    """``text`` folded for matching (see the module documentation for the rules).

    Equal to ``fold_with_map(text, lang)[0]``. Text without combining marks (nearly all Persian, Arabic and
    Turkish prose as written) folds character by character, so it goes through one ``str.translate`` with a
    table of its distinct characters instead of the per-character loop that also builds the offset map."""
    distinct = set(text)
    if any(unicodedata.combining(ch) for ch in distinct):
        return fold_with_map(text, lang)[0]
    turkic = _is_turkic(lang)
    table = {ord(ch): _folded_char(ch, turkic) for ch in distinct}
    folded = text.translate(table)
    if " " not in folded:
        return folded
    return " ".join(part for part in folded.split(" ") if part)  # runs collapsed, none at the ends


@lru_cache(maxsize=8192)
def _folded_char(ch: str, turkic: bool) -> str:
    return "" if ch in _REMOVED else "".join(f for f, _ in _fold_unit(ch, turkic))


def original_span(text: str, mapping: list[int], start: int, end: int) -> tuple[int, int]:
    """The span of ``text`` that produced ``folded[start:end]`` (``mapping`` from :func:`fold_with_map`).

    The end is extended over the marks that follow the last character (tashkeel, tatweel, combining accents,
    and invisible characters between them), so a highlight covers the whole written letter.
    """
    if not 0 <= start < end <= len(mapping):
        raise ValueError(f"folded range {start}:{end} is outside the folded text")
    first = mapping[start]
    stop = mapping[end - 1] + 1
    scan = stop
    while scan < len(text) and (unicodedata.combining(text[scan]) or text[scan] in _REMOVED):
        scan += 1
        if unicodedata.category(text[scan - 1]) == "Mn" or text[scan - 1] == "\u0640":
            stop = scan  # a mark (or tatweel) of the last letter; invisible characters only if a mark follows
    return first, stop
