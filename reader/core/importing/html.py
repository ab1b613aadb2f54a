"""HTML main text: lxml with no network and no entities, boilerplate dropped, jusText with a fitting stoplist."""

from __future__ import annotations

import codecs
import re

import justext
import lxml.etree
import lxml.html
from justext.core import ParagraphMaker, classify_paragraphs, revise_paragraph_classification
from justext.paragraph import Paragraph

from reader.core.importing.plausibility import ARABIC_FOLD, stoplist

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL
)


def sniff_html_bytes(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return bool(_HTML_START.match(head.decode("latin-1")))


def sniff_html_text(text: str) -> bool:
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


def declared_html_encoding(data: bytes) -> str | None:
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


def extract_html(html: str) -> tuple[str, str | None]:
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
    words = [w.lower().translate(ARABIC_FOLD) for p in paragraphs for w in p.text.split()][:5000]
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
        words_of = stoplist(language)
        density = sum(1 for w in words if w in words_of) / len(words)
        if density > best[1]:
            best = (words_of, density)
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
