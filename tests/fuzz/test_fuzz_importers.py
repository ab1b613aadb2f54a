"""Fuzzing the importers: random bytes, random HTML trees, random DOCX/EPUB-like archives and random model
packages must give a clean import or one ``YanyanaError`` sentence — never another exception, never a hang.

Inputs are bounded so that ``make test`` runs these in seconds; ``make fuzz`` runs the long profile."""

from __future__ import annotations

import contextlib
import io
import json
import signal
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.importing import ImportedText, import_bytes
from reader.errors import YanyanaError
from reader.translation import models

# Duplicate member names are part of what a hostile archive may hold.
pytestmark = [pytest.mark.fuzz, pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")]

HANG_SECONDS = 30


@contextlib.contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"hung for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _one_sentence(error: YanyanaError) -> None:
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message, message


def _imports_cleanly_or_refuses(data: bytes, name: str) -> None:
    with no_hang():
        try:
            result = import_bytes(data, name)
        except YanyanaError as error:
            _one_sentence(error)
            return
    assert isinstance(result, ImportedText)
    assert result.text.strip() and "\r" not in result.text
    assert all(isinstance(w, str) and "\n" not in w for w in result.warnings)


NAMES = st.sampled_from(["a.txt", "b.html", "c.md", "d.htm", "e", "f.xhtml", "g.docx", "h.epub"])
WORDS = st.sampled_from(
    ["Bu", "bir", "metindir", "و", "این", "متن", "است", "Azərbaycan", "ağ", "العربية", "&amp;", "&#x202e;",
     "&nbsp;", "\u202e", "\x1b[2J", "\u200c", "\ufeff", "<!--", "-->", "]]>", "\x00", "\r\n", "  ", "123"]
)  # fmt: skip


@given(data=st.binary(max_size=4096), name=NAMES)
def test_random_bytes(data: bytes, name: str) -> None:
    _imports_cleanly_or_refuses(data, name)


@given(
    text=st.lists(WORDS | st.text(max_size=12), max_size=200).map(" ".join),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1254", "cp1256", "latin-1"]),
    name=NAMES,
)
def test_random_text_in_random_encodings(text: str, encoding: str, name: str) -> None:
    _imports_cleanly_or_refuses(text.encode(encoding, errors="replace"), name)


TAGS = st.sampled_from(
    ["p", "div", "span", "h1", "h2", "li", "ul", "nav", "script", "style", "article", "main", "header", "footer",
     "table", "td", "a", "b", "br", "img", "svg", "math", "template", "iframe", "pre", "blockquote", "title"]
)  # fmt: skip
ATTRS = st.sampled_from(
    ["", ' hidden', ' role="navigation"', ' aria-hidden="true"', ' style="display:none"', ' class="x"',
     ' href="http://x"', ' src="file:///etc/passwd"', ' dir="rtl"', ' lang="fa"']
)  # fmt: skip


def _html_tree(depth: int) -> st.SearchStrategy[str]:
    leaf = st.lists(WORDS, min_size=0, max_size=12).map(" ".join)
    if depth == 0:
        return leaf

    @st.composite
    def node(draw: st.DrawFn) -> str:
        tag = draw(TAGS)
        attrs = draw(ATTRS)
        children = draw(st.lists(_html_tree(depth - 1) | leaf, max_size=4))
        closed = draw(st.booleans())
        inner = "".join(children)
        return f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if closed else "")

    return node()


@given(
    head=st.sampled_from(["", "<!doctype html>", '<?xml version="1.0" encoding="utf-8"?>', "<html>"]),
    title=st.lists(WORDS, max_size=6).map(" ".join),
    body=_html_tree(4),
    charset=st.sampled_from(
        ["", '<meta charset="utf-8">', '<meta charset="windows-1254">', '<meta charset="x">']
    ),
    nesting=st.integers(min_value=0, max_value=600),
)
def test_random_html_trees(head: str, title: str, body: str, charset: str, nesting: int) -> None:
    page = f"{head}<head>{charset}<title>{title}</title></head><body>{'<div>' * nesting}{body}</body>"
    _imports_cleanly_or_refuses(page.encode("utf-8"), "page.html")


ARCHIVE_MEMBERS = st.sampled_from(
    ["mimetype", "word/document.xml", "[Content_Types].xml", "META-INF/container.xml", "OEBPS/content.opf",
     "OEBPS/ch1.xhtml", "content.xml", "../evil.txt", "/abs.txt", "a/" * 12 + "deep.txt", "x\\y.txt"]
)  # fmt: skip
MEMBER_DATA = st.binary(max_size=512) | st.sampled_from(
    [b"application/epub+zip", b"<?xml version='1.0'?><w:document/>", b"<html><body><p>Bu bir metin.</p></body></html>"]
)  # fmt: skip


def _zip(members: list[tuple[str, bytes]], compression: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


@given(
    members=st.lists(st.tuples(ARCHIVE_MEMBERS, MEMBER_DATA), min_size=0, max_size=8),
    compression=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
    name=st.sampled_from(["book.epub", "doc.docx", "file.odt", "x.txt"]),
    cut=st.integers(min_value=0, max_value=64),
)
def test_docx_and_epub_like_archives(
    members: list[tuple[str, bytes]], compression: int, name: str, cut: int
) -> None:
    data = _zip(members, compression)
    _imports_cleanly_or_refuses(data[: len(data) - cut] if cut else data, name)


PACKAGE_MEMBERS = st.sampled_from(
    ["pkg/metadata.json", "pkg/model/model.bin", "pkg/sentencepiece.model", "pkg/model/config.json",
     "pkg/README.md", "pkg/", "other/metadata.json", "pkg/../x", "/pkg/x", "pkg/" + "d/" * 10 + "x",
     "pkg/model/shared_vocabulary.json", "pkg/bpe.model"]
)  # fmt: skip
METADATA = st.one_of(
    st.just(b'{"from_code": "fa", "to_code": "en", "package_version": "1.0"}'),
    st.just(b'{"from_code": "f\\u001ba", "to_code": "en"}'),
    st.just(b"[" * 5000 + b"]" * 5000),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
        ),
        max_leaves=20,
    ).map(lambda value: json.dumps(value).encode()),
)


@given(
    members=st.lists(st.tuples(PACKAGE_MEMBERS, st.binary(max_size=256)), max_size=8),
    metadata=METADATA,
    compression=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)
def test_random_model_packages(
    tmp_path_factory: pytest.TempPathFactory,
    members: list[tuple[str, bytes]],
    metadata: bytes,
    compression: int,
) -> None:
    folder = tmp_path_factory.mktemp("fuzz-package")
    archive = folder / "random.argosmodel"
    archive.write_bytes(_zip([*members, ("pkg/metadata.json", metadata)], compression))
    target = folder / "models"
    with no_hang(120):
        try:
            installed = models.install_from_path(archive, target)
        except YanyanaError as error:
            _one_sentence(error)
            installed = []
    for model in installed:  # whatever installed must list and load
        assert model in models.list_installed(target)
    leftovers = [p.name for p in target.iterdir()] if target.exists() else []
    assert all(not name.startswith(".") for name in leftovers)  # no temporary folder left behind
    assert not (folder / "x").exists() and not Path("/pkg").exists()
