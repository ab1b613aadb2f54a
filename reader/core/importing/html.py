"""HTML main text: lxml with no network and no entities, boilerplate dropped, jusText with a fitting stoplist."""

from __future__ import annotations

import codecs
import html as html_module
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


# libxml2 stops following elements nested deeper than its limit (255 levels without "huge", a few thousand
# with it) and silently drops what is inside; such a page is parsed again with its containers flattened.
_DEEP = 250
_CONTAINERS = re.compile(
    r"</?(?:div|span|section|article|main|font|b|i|u|em|strong|small|big|a|abbr|cite|code|q|s|sub|sup|"
    r"mark|center|table|tbody|thead|tr|td|th|ul|ol|dl|header|figure)\b[^>]*>",
    re.IGNORECASE,
)
_TAG_OR_HIDDEN = re.compile(
    r"<(script|style|template|noscript)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.IGNORECASE | re.DOTALL
)
_LETTER = re.compile(r"[^\W\d_]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _parse(html: str) -> lxml.html.HtmlElement:
    parser = lxml.html.HTMLParser(
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        recover=True,
        default_doctype=False,
        huge_tree=True,  # no 255-level limit on nesting (400 unclosed <span>s are a real page's sloppiness)
    )
    return lxml.html.document_fromstring(html, parser=parser)


def _depth_reaches(root: lxml.html.HtmlElement, limit: int) -> bool:
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in el)
    return False


def _letters(text: str) -> int:
    return len(_LETTER.findall(text))


def _lost_text(root: lxml.html.HtmlElement, html: str) -> bool:
    """Whether the parser dropped a good part of the page's text (it gave up on deep nesting)."""
    if not _depth_reaches(root, _DEEP):
        return False
    source = _letters(html_module.unescape(_TAG_OR_HIDDEN.sub(" ", html)))
    return _letters(root.text_content()) < 0.9 * source


def extract_html(html: str, warnings: list[str] | None = None) -> tuple[str, str | None]:
    """Main text of an HTML page (paragraphs separated by a blank line, headline first) and its title; an
    empty text when the page has nothing to read but a title, navigation or scripts. Problems worth telling
    the user (text lost to absurd nesting) are appended to ``warnings``."""
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses str input with an encoding declaration
    # Control characters (an ESC sequence in a page) cannot live in an lxml tree: moving text between
    # elements would raise. They are never article text.
    html = _NOT_XML.sub("", html)
    try:
        root = _parse(html)
        if _lost_text(root, html):
            root = _parse(_CONTAINERS.sub(" ", html))
            if warnings is not None:
                note = "its layout was flattened to keep the text"
                if _lost_text(root, html):
                    note = "some of its text may be missing"
                warnings.append(f"The page nests its elements deeper than an HTML parser follows; {note}.")
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
    if not parts:  # a page of navigation, menus and scripts: its title alone is not a document
        return "", title or None
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
