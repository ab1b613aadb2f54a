"""Finding a quoted passage again in a text that may have changed (W3C TextQuoteSelector semantics).

Pure functions, no SQLite: :func:`locate` tries the hinted position, then every exact occurrence scored by its
context, then the quote with letter variants folded (:mod:`reader.core.text.folding`) and a bounded number of
edits, found with Myers' bit-parallel edit distance (Myers 1999) over the whole folded text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from reader.core.text import folding

CONTEXT_LEN = 32


@dataclass(frozen=True)
class TextQuote:
    """A W3C TextQuoteSelector."""

    exact: str
    prefix: str = ""
    suffix: str = ""


def quote_at(text: str, start: int, end: int, context: int = CONTEXT_LEN) -> TextQuote:
    return TextQuote(text[start:end], text[max(0, start - context) : start], text[end : end + context])


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    distance: int
    method: str  # "position" | "exact" | "folded" | "fuzzy"


# --- matching ----------------------------------------------------------------------------------------------


def _max_errors(length: int) -> int:
    """Edits tolerated when looking for a quote of ``length`` folded characters."""
    if length < 8:
        return 0
    return max(1, length // 4)


def _myers_scores(pattern: str, text: str, *, anchored: bool) -> list[int]:
    """Edit distances of ``pattern`` against ``text`` for every end position ``j``.

    Unanchored: ``scores[j]`` = the least distance to any substring of ``text`` ending at ``j``. Anchored:
    the distance to ``text[:j + 1]`` (both strings start together): the horizontal delta of row 0 is then +1
    at every column, which is the ``| carry`` below. Myers' bit-parallel algorithm (1999) in Hyyrö's
    formulation, with Python integers as bit vectors."""
    m = len(pattern)
    peq: dict[str, int] = {}
    for i, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    carry = 1 if anchored else 0
    pv, mv, score = full, 0, m
    scores: list[int] = []
    append = scores.append
    for ch in text:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | carry) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        append(score)
    return scores


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def context_similarity(text: str, start: int, end: int, quote: TextQuote, lang: str | None = None) -> float:
    """How well the text around ``[start, end)`` matches the quote's prefix and suffix (0…1, letters folded)."""
    before = folding.fold(text[max(0, start - CONTEXT_LEN) : start], lang)
    after = folding.fold(text[end : end + CONTEXT_LEN], lang)
    prefix = folding.fold(quote.prefix, lang)
    suffix = folding.fold(quote.suffix, lang)
    n = min(len(before), len(prefix))
    p = (
        _similarity(before[len(before) - n :], prefix[len(prefix) - n :])
        if n
        else float(not prefix and not before)
    )
    n = min(len(after), len(suffix))
    s = _similarity(after[:n], suffix[:n]) if n else float(not suffix and not after)
    return (p + s) / 2


def _extend_over_marks(text: str, end: int) -> int:
    while end < len(text) and unicodedata.category(text[end]) in ("Mn", "Me"):
        end += 1
    return end


def locate(
    text: str,
    quote: TextQuote,
    hint: tuple[int, int] | None = None,
    lang: str | None = None,
) -> Match | None:
    """Find ``quote`` in ``text``: the hinted position, else the exact text, else folded, else approximately.

    Among several candidates the one whose surroundings best match the quote's prefix/suffix wins (then the one
    nearest the hint). Returns ``None`` when the quote is not there (more edits than :func:`_max_errors` allows).
    """
    exact = quote.exact
    if not exact:
        return None
    if hint is not None:
        hs, he = hint
        if (
            0 <= hs < he <= len(text)
            and text[hs:he] == exact
            and context_similarity(text, hs, he, quote, lang) >= 0.5
        ):
            return Match(hs, he, 0, "position")

    def proximity(s: int) -> float:
        if hint is None or not text:
            return 0.0
        return 1.0 - min(1.0, abs(s - hint[0]) / len(text))

    # 1. the exact quote
    found: list[int] = []
    pos = text.find(exact)
    while pos >= 0 and len(found) < 1000:
        found.append(pos)
        pos = text.find(exact, pos + 1)
    if found:
        best = max(
            found,
            key=lambda s: context_similarity(text, s, s + len(exact), quote, lang) + 0.1 * proximity(s),
        )
        return Match(best, best + len(exact), 0, "exact")

    # 2. folded, tolerating small edits
    ftext, fmap = folding.fold_with_map(text, lang)
    fexact = folding.fold(exact, lang)
    m = len(fexact)
    if m == 0 or not ftext:
        return None
    k = _max_errors(m)
    scores = _myers_scores(fexact, ftext, anchored=False)
    # candidate ends: the best end of each run of positions within k edits
    candidates: list[tuple[int, int]] = []
    run_best: tuple[int, int] | None = None
    for j, sc in enumerate(scores):
        if sc <= k:
            if run_best is None or sc < run_best[0]:
                run_best = (sc, j)
        elif run_best is not None:
            candidates.append(run_best)
            run_best = None
    if run_best is not None:
        candidates.append(run_best)
    if not candidates:
        return None
    candidates.sort()
    best_match: Match | None = None
    best_score = float("inf")
    for _dist, j in candidates[:64]:
        lo = max(0, j + 1 - (m + k))
        window = ftext[lo : j + 1][::-1]
        back = _myers_scores(fexact[::-1], window, anchored=True)
        # the shortest span achieving the least distance, measured backwards from j
        length = min(range(len(back)), key=lambda i: (back[i], abs(i + 1 - m))) + 1
        fs = j + 1 - length
        start = fmap[fs]
        end = _extend_over_marks(text, fmap[j] + 1)
        ctx = context_similarity(text, start, end, quote, lang)
        score = back[length - 1] / m - 0.5 * ctx - 0.05 * proximity(start)
        if score < best_score:
            best_score = score
            method = "folded" if back[length - 1] == 0 else "fuzzy"
            best_match = Match(start, end, back[length - 1], method)
    return best_match
