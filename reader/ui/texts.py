"""Strings the window builds around document text: bidi isolation and short titles.

A Persian or Arabic title (or quote) inside an English sentence must be a bidi *isolate* (FSI … PDI), or the
sentence's own punctuation is reordered around it (the full stop of "Export “عنوان”." lands on the wrong side).
Titles are whole first lines, often 120+ characters: lists and dialogs show them shortened at a word, with the
full title in a tooltip.
"""

from __future__ import annotations

FSI = "\u2068"  # FIRST STRONG ISOLATE: the isolate takes the direction of its first strong letter
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
SHORT_TITLE = 60  # characters of a title in lists and dialogs


def isolate(text: str) -> str:
    """``text`` as a bidi isolate, for use inside a sentence of the other direction."""
    return f"{FSI}{text}{PDI}" if text else text


def short_title(title: str, limit: int = SHORT_TITLE) -> str:
    """A title for lists and dialogs: whitespace collapsed, cut at a word before ``limit`` characters with …"""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:،؛-–—") + "…"


def is_rtl(text: str) -> bool:
    """Whether the first strong letter of ``text`` is right-to-left (Hebrew, Arabic script)."""
    import unicodedata

    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


__all__ = ["FSI", "PDI", "SHORT_TITLE", "is_rtl", "isolate", "short_title"]
