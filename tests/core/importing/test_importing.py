"""reader.core.importing: bytes → text, on the seeds and on files the tests write themselves."""

from __future__ import annotations

import codecs
import http.client
import io
import os
import random
import socket
import stat
import urllib.request
import zipfile
from pathlib import Path

import pytest

from reader.core import importing
from reader.core.importing import ImportedText, ImportRefused, import_bytes, import_file
from reader.core.importing import encodings as encodings_module
from tests.helpers import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


# cp1256 has no Farsi yeh (U+06CC) nor Persian digits: real cp1256 archives write Arabic yeh and
# Western digits, so that is what the legacy Persian text of the matrix contains.
LEGACY_PERSIAN = str.maketrans({"ی": "ي", **{chr(0x06F0 + d): str(d) for d in range(10)}})

# ISO-8859-9 has no typographic quotes; Turkish files in it use ASCII ones.
ASCII_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})

# No seed is in Russian or English; these paragraphs are written for the matrix.
RUSSIAN = (
    "Москва — столица России, крупнейший по численности населения город страны. "
    "Вчера вечером в городе прошёл сильный дождь, и движение на многих улицах было затруднено.\n"
    "По словам синоптиков, в ближайшие дни погода останется прохладной, а ночью возможны заморозки."
)
ENGLISH = (
    "The café on the corner served a naïve but charming crème brûlée, and the façade "
    "of the old building was painted in a pale shade of green.\n"
    "Prices were listed in £ and the owner, a retired señor from Málaga, greeted everyone at the door."
)


def assert_one_sentence(exc: ImportRefused, name: str) -> str:
    message = str(exc)
    assert name in message
    assert "\n" not in message and "Traceback" not in message
    assert message.endswith(".")
    return message


# --------------------------------------------------------------------------------------------------
# Seeds
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_seed_imports_as_utf8_unchanged(path: Path) -> None:
    result = import_file(path)
    assert isinstance(result, ImportedText)
    assert result.text == path.read_bytes().decode("utf-8")
    assert result.encoding == "utf-8"
    assert result.format == "text"
    assert result.title is None
    assert result.warnings == []


# --------------------------------------------------------------------------------------------------
# Encoding matrix: the seeds' real paragraphs, encoded by the test, must come back unchanged
# --------------------------------------------------------------------------------------------------


def _matrix() -> list[tuple[str, str, str]]:
    sources = [
        ("fa", seed("001").translate(LEGACY_PERSIAN), ["cp1256"]),
        ("ar", seed("004"), ["cp1256", "iso8859-6"]),
        ("tr", seed("003"), ["cp1254"]),
        ("tr", seed("003").translate(ASCII_QUOTES), ["iso8859-9"]),
        ("az", seed("000"), ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"]),
        ("az", seed("002"), ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"]),
        ("ru", RUSSIAN, ["cp1251"]),
        ("ru", RUSSIAN.replace("—", "-"), ["koi8-r"]),  # KOI8-R has no em dash
        ("en", ENGLISH, ["latin-1", "cp1252"]),
    ]
    cases = []
    for language, text, encodings in sources:
        pieces = [text, *paragraphs(text)]  # the whole article, and every paragraph on its own
        for encoding in encodings:
            cases += [
                (f"{language}-{encoding}-{i}", encoding, piece)
                for i, piece in enumerate(pieces)
                if not piece.isascii()  # an ASCII line is the same in every encoding
            ]
    return cases


MATRIX = _matrix()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize(("encoding", "original"), [c[1:] for c in MATRIX], ids=[c[0] for c in MATRIX])
def test_encoding_matrix_round_trips(encoding: str, original: str, newline: str) -> None:
    data = original.replace("\n", newline).encode(encoding)
    result = import_bytes(data, "article.txt")
    assert result.text == original
    assert result.warnings == []
    # The encoding reported is one that really decodes the file to this text.
    assert data.decode(result.encoding).replace("\r\n", "\n").replace("\r", "\n") == original


def test_the_matrix_covers_every_requested_encoding() -> None:
    assert {"cp1256", "cp1254", "iso8859-9", "iso8859-6", "utf-16", "utf-16-le", "utf-16-be"} <= {
        c[1] for c in MATRIX
    }
    assert {"cp1251", "koi8-r", "latin-1", "utf-8-sig"} <= {c[1] for c in MATRIX}


def test_persian_letters_of_cp1256_survive() -> None:
    # پ چ ژ گ ک are in cp1256 (0x81 0x8D 0x8E 0x90 0x98); short text is where detectors slip.
    text = "پدر و مادرم چای می‌نوشند و ژاله گل‌های باغچه را آب می‌دهد".translate(LEGACY_PERSIAN)
    result = import_bytes(text.encode("cp1256"), "short.txt")
    assert result.text == text
    assert result.encoding == "cp1256"


@pytest.mark.parametrize(
    ("encoding", "name"), [("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig"), ("utf-16-le", "utf-16-le")]
)
def test_azerbaijani_schwa_needs_unicode_and_reports_the_codec(encoding: str, name: str) -> None:
    text = seed("000")
    assert "ə" in text
    for legacy in ("cp1254", "iso8859-9", "cp1252"):
        with pytest.raises(UnicodeEncodeError):
            text.encode(legacy)
    result = import_bytes(text.encode(encoding), "az.txt")
    assert (result.text, result.encoding) == (text, name)


def test_bom_is_removed_and_crlf_normalised() -> None:
    text = seed("004")
    result = import_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"), "ar.md")
    assert result.text == text
    assert not result.text.startswith("\ufeff")
    assert result.format == "markdown"


# --------------------------------------------------------------------------------------------------
# Cut-off files and NUL bytes
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("last", ["ə", "€", "\U0001f600"], ids=["2-byte", "3-byte", "4-byte"])
def test_utf8_cut_inside_a_multibyte_character(last: str) -> None:
    text = seed("001")
    encoded = last.encode("utf-8")
    for keep in range(1, len(encoded)):
        result = import_bytes(text.encode("utf-8") + encoded[:keep], "cut.txt")
        assert result.text == text
        assert result.encoding == "utf-8"
        assert result.warnings == [
            "cut.txt ends in the middle of a multibyte character (the file looks cut off); "
            "the incomplete character was left out."
        ]


def test_utf16_cut_in_half_a_code_unit_and_half_a_surrogate_pair() -> None:
    text = seed("002")
    odd = (text + "ə").encode("utf-16")[:-1]
    result = import_bytes(odd, "cut16.txt")
    assert result.text == text
    assert len(result.warnings) == 1 and "middle of a multibyte character" in result.warnings[0]

    half_pair = codecs.BOM_UTF16_LE + (text + "\U0001f600").encode("utf-16-le")[:-2]
    result = import_bytes(half_pair, "surrogate.txt")
    assert result.text == text
    assert len(result.warnings) == 1 and "middle of a multibyte character" in result.warnings[0]


def test_nul_bytes_inside_good_text_are_removed_with_a_warning() -> None:
    text = seed("003")
    data = text.encode("utf-8")
    with_nuls = data[:100] + b"\x00" + data[100:500] + b"\x00\x00" + data[500:]
    result = import_bytes(with_nuls, "nul.txt")
    assert result.text == text
    assert result.warnings == ["nul.txt contained 3 NUL (zero) bytes, which were removed."]


def test_nul_bytes_in_a_legacy_file_are_removed_too() -> None:
    text = seed("004")
    data = text.encode("cp1256")
    result = import_bytes(data[:200] + b"\x00" + data[200:], "nul.txt")
    assert result.text == text
    assert result.encoding == "cp1256"
    assert len(result.warnings) == 1 and "NUL" in result.warnings[0]


def test_utf16_without_bom_is_recognised_by_its_zero_bytes() -> None:
    text = seed("000")
    for encoding in ("utf-16-le", "utf-16-be"):
        data = text.encode(encoding)
        assert data.count(0) > len(data) // 3  # "mostly NULs" to a naive reader
        result = import_bytes(data, "noboom.txt")
        assert (result.text, result.encoding, result.warnings) == (text, encoding, [])


def test_mostly_zero_bytes_that_are_not_utf16_are_refused() -> None:
    data = b"\x00" * 300 + b"abc def" + b"\x00" * 300
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data, "zeros.txt")
    assert "zero bytes" in assert_one_sentence(caught.value, "zeros.txt")


# --------------------------------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------------------------------

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "empty.txt", "empty.txt is empty."),
        (b"\xef\xbb\xbf", "bom.txt", "bom.txt is empty."),
        (b"  \n\t\r\n   \n", "blank.txt", "blank.txt contains only blank space."),
        ("   \n  ".encode("utf-16"), "blank16.txt", "blank16.txt contains only blank space."),
        (PNG_BYTES, "photo.txt", "photo.txt is not a text file (it looks like a PNG image)."),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "photo.md", "photo.md is not a text file"),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
            "paper.pdf",
            "paper.pdf is an incomplete PDF",
        ),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "program.txt", "program.txt is not a text file"),
    ],
    ids=["empty", "bom-only", "whitespace", "whitespace-utf16", "png-named-txt", "jpeg", "pdf", "elf"],
)
def test_refusals(data: bytes, name: str, expected: str) -> None:
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data, name)
    assert str(caught.value).startswith(expected)
    assert_one_sentence(caught.value, name)


def test_broken_pdf_docx_epub_are_named() -> None:
    docx = _zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")])
    epub = _zip([("mimetype", b"application/epub+zip"), ("META-INF/container.xml", b"<container/>")])
    pdf = b"%PDF-1.4\n" + bytes(range(256))
    with pytest.raises(ImportRefused) as caught:
        import_bytes(pdf, "a.pdf")
    assert "PDF" in assert_one_sentence(caught.value, "a.pdf")
    for data, name, kind in [(docx, "b.docx", "Word"), (epub, "c.epub", "EPUB")]:
        with pytest.raises(ImportRefused) as caught:
            import_bytes(data, name)
        message = assert_one_sentence(caught.value, name)
        assert kind in message and "damaged" in message
    with pytest.raises(ImportRefused, match=r"looks like a ZIP archive"):
        import_bytes(_zip([("notes.txt", b"hello")]), "archive.txt")


def test_random_binary_is_refused_whatever_its_extension() -> None:
    rng = random.Random(1)
    for name in ("noise.txt", "noise.html", "noise.md", "noise"):
        data = rng.randbytes(4096)
        with pytest.raises(ImportRefused) as caught:
            import_bytes(data, name)
        assert "not a text file" in assert_one_sentence(caught.value, name)


def test_undecodable_text_is_refused() -> None:
    # Bytes with no control characters and spaces like text, but which read as nonsense in every
    # code page: not UTF-8 and no plausible legacy encoding.
    rng = random.Random(2)
    data = bytes(rng.choice([*range(0x80, 0x100), 0x20, 0x20, 0x20, 0x20]) for _ in range(2000))
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data, "mystery.txt")
    assert "could not be decoded" in assert_one_sentence(caught.value, "mystery.txt")


def test_a_few_corrupt_bytes_in_clear_utf8_are_replaced_with_a_warning() -> None:
    data = seed("001").encode("utf-8")
    at = data.index(b" ", 1000)  # between two characters
    corrupt = data[:at] + b"\xff" + data[at:]
    result = import_bytes(corrupt, "damaged.txt")
    assert result.encoding == "utf-8"
    assert result.text == corrupt.decode("utf-8", errors="replace")
    assert result.text.count("\ufffd") == 1
    assert len(result.warnings) == 1 and "could not be decoded" in result.warnings[0]


def test_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:  # sparse: no 50 MB written to disk
        handle.truncate(importing.MAX_BYTES + 1)
    with pytest.raises(ImportRefused) as caught:
        import_file(big)
    assert "too large" in assert_one_sentence(caught.value, "huge.txt")

    monkeypatch.setattr(importing, "MAX_BYTES", 1000)
    with pytest.raises(ImportRefused, match=r"^big\.txt is too large to import"):
        import_bytes(b"a" * 1001, "big.txt")


def test_missing_directory_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused) as caught:
        import_file(tmp_path / "nowhere.txt")
    assert str(caught.value) == "nowhere.txt does not exist."

    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ImportRefused) as caught:
        import_file(folder)
    assert str(caught.value) == "folder.txt is a folder, not a file."

    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.txt"
        locked.write_text("secret", encoding="utf-8")
        locked.chmod(0)
        try:
            with pytest.raises(ImportRefused) as caught:
                import_file(locked)
            assert str(caught.value) == "locked.txt cannot be read (permission denied)."
        finally:
            locked.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_import_file_reads_what_import_bytes_decodes(tmp_path: Path) -> None:
    text = seed("003")
    path = tmp_path / "turkish.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1254"))
    result = import_file(str(path))
    assert (result.text, result.encoding) == (text, "cp1254")


# --------------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------------

TR = paragraphs(seed("003"))
TR_HEADLINE, TR_STANDFIRST = TR[1], TR[2]
TR_BODY = TR[3:18]  # the article, from "Azerbaycan Cumhurbaşkanı, bölgesel…" to "Dışişleri Bakanı…"
TR_BOILERPLATE = TR[18:]  # credit line, "İlgili Makaleler", the comment form, "Başa dön tuşu"


def _turkish_page() -> str:
    body = "\n".join(f"<p onclick=\"alert('p-handler')\">{p}</p>" for p in TR_BODY)
    return f"""<!DOCTYPE html>
<html lang="tr"><head>
<meta charset="utf-8">
<title>{TR_HEADLINE} | Haber</title>
<style>.hidden-style-rule {{ display: none }}</style>
<script>var scriptSecret = "script-text-must-not-appear"; fetch("http://evil.example/beacon");</script>
<link rel="stylesheet" href="http://cdn.example/site.css">
</head>
<body onload="alert('onload-handler')">
<header><a href="/">Haber</a><nav><a href="/gundem">Gündem-nav</a> <a href="/dunya">Dünya-nav</a></nav></header>
<nav><ul><li><a href="/ekonomi">Ekonomi-menu</a></li><li><a href="/spor">Spor-menu</a></li></ul></nav>
<main><article>
<h1>{TR_HEADLINE}</h1>
<h2>{TR_STANDFIRST}</h2>
<img src="http://tracker.example/pixel.png" alt="image-alt-text" onerror="alert('img-handler')">
{body}
<iframe src="http://ads.example/frame.html">iframe-fallback-text</iframe>
<object data="http://media.example/movie.swf">object-fallback-text</object>
<video src="http://media.example/clip.mp4">video-fallback-text</video>
<svg><text>svg-text</text></svg>
<noscript>noscript-text</noscript>
</article></main>
<aside><p>{TR_BOILERPLATE[0]}</p><h3>{TR_BOILERPLATE[1]}</h3></aside>
<form action="http://evil.example/comment"><h3>{TR_BOILERPLATE[2]}</h3><p>{TR_BOILERPLATE[3]}</p>
<input name="email" value="form-value-text"><button>{TR_BOILERPLATE[4]}</button></form>
<footer>© 2024 Haber, footer-text</footer>
<script src="http://evil.example/tracker.js"></script>
</body></html>"""


def _forbid_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args))
        raise AssertionError("importing tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(http.client.HTTPConnection, "connect", refuse)
    return attempts


def test_html_main_text_without_scripts_or_embedded_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts = _forbid_network(monkeypatch)
    path = tmp_path / "haber.html"
    path.write_text(_turkish_page(), encoding="utf-8")

    result = import_file(path)

    assert attempts == []
    assert result.format == "html"
    assert result.encoding == "utf-8"
    assert result.title == f"{TR_HEADLINE} | Haber"
    blocks = result.text.split("\n\n")
    assert blocks == [TR_HEADLINE, TR_STANDFIRST, *TR_BODY]  # headline first, a blank line between
    for junk in [
        "script-text-must-not-appear",
        "scriptSecret",
        "hidden-style-rule",
        "alert",
        "handler",
        "nav",
        "menu",
        "image-alt-text",
        "iframe-fallback-text",
        "object-fallback-text",
        "video-fallback-text",
        "svg-text",
        "noscript-text",
        "form-value-text",
        "footer-text",
        "http",
        *TR_BOILERPLATE,
    ]:
        assert junk not in result.text


def test_html_entities_are_not_resolved_and_nothing_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts = _forbid_network(monkeypatch)
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FILE-CONTENT", encoding="utf-8")
    page = (
        f'<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
        '<!ENTITY remote SYSTEM "http://evil.example/dtd">]>'
        f"<html><body><h1>{TR_HEADLINE}</h1><p>{TR_BODY[0]} &xxe; &remote;</p></body></html>"
    )
    result = import_bytes(page.encode("utf-8"), "page.xhtml")
    assert attempts == []
    assert "SECRET-FILE-CONTENT" not in result.text
    assert result.text.startswith(TR_HEADLINE + "\n\n" + TR_BODY[0])


FA = paragraphs(seed("001").translate(LEGACY_PERSIAN))
FA_HEADLINE = "یک مقام آمریکایی مدعی تلاش برای برقراری صلح بین ارمنستان و جمهوری آذربایجان شد".translate(
    LEGACY_PERSIAN
)


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1256">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">',
        "",  # no declaration: detected
    ],
    ids=["meta-charset", "http-equiv", "undeclared"],
)
def test_persian_page_in_windows_1256(meta: str) -> None:
    article = "".join(f"<p>{p}</p>" for p in FA[:-1])
    page = (
        f'<html dir="rtl" lang="fa"><head>{meta}<title>مجاهدت - {FA_HEADLINE}</title></head><body>'
        '<div class="menu"><a href="/">خانه</a> | <a href="/news">اخبار</a></div>'
        f'<h1>{FA_HEADLINE}</h1>{article}<div class="footer">{FA[-1]}</div></body></html>'
    )
    result = import_bytes(page.encode("cp1256"), "mojahedat.htm")
    assert result.encoding == "cp1256"
    assert result.title == f"مجاهدت - {FA_HEADLINE}"
    assert result.text.split("\n\n") == [FA_HEADLINE, *FA[:-1]]


def test_utf8_page_with_a_stale_legacy_declaration() -> None:
    page = (
        f'<html><head><meta charset="windows-1256"><title>t</title></head><body><p>{FA[0]}</p></body></html>'
    )
    result = import_bytes(page.encode("utf-8"), "stale.html")
    assert result.encoding == "utf-8"
    assert FA[0] in result.text


def test_short_page_falls_back_to_structural_extraction() -> None:
    # Too short for jusText to call anything "good": title, headings, items and quotes still come out.
    page = (
        "<!doctype html><html><head><title>Qısa</title><script>gizli()</script></head><body>"
        "<nav><a href='/'>Ana səhifə</a></nav><h1>Başlıq</h1><p>Bir cümlə.</p>"
        "<ul><li>Birinci</li><li>İkinci</li></ul><blockquote>Sitat</blockquote></body></html>"
    )
    result = import_bytes(page.encode("utf-8"), "short.txt")  # sniffed, whatever the extension
    assert result.format == "html"
    assert result.title == "Qısa"
    assert result.text.split("\n\n") == ["Başlıq", "Bir cümlə.", "Birinci", "İkinci", "Sitat"]


def test_utf16_html_and_title_from_h1() -> None:
    page = f"<!DOCTYPE html><html><body><h1>  {TR_HEADLINE}\n </h1><p>{TR_BODY[0]}</p></body></html>"
    result = import_bytes(page.encode("utf-16"), "page.html")
    assert result.encoding == "utf-16"
    assert result.title == TR_HEADLINE  # whitespace collapsed
    assert result.text == f"{TR_HEADLINE}\n\n{TR_BODY[0]}"


def test_html_with_no_text_is_refused() -> None:
    with pytest.raises(ImportRefused) as caught:
        import_bytes(
            b"<html><head><script>alert(1)</script></head><body><img src='x.png'></body></html>", "e.html"
        )
    assert str(caught.value) == "e.html contains no readable text."


def test_markdown_is_kept_as_text() -> None:
    text = "# Başlıq\n\n" + seed("002").strip() + "\n\n- bir\n- iki\n"
    result = import_bytes(text.encode("utf-8"), "notes.markdown")
    assert (result.format, result.text, result.title) == ("markdown", text, None)


def test_letters_that_decide_the_code_page_late_in_a_large_file() -> None:
    # Until its last lines this file reads the same in cp1252 and cp1254 (only ü ç ö); the Turkish
    # ş ğ ı come at the end, beyond the first sample window, and must still decide.
    common = "Bugün küçük çocuklar bahçede oyun oynuyor ve öğle yemeğini bekliyor.".replace("ğ", "g")
    assert not set(common) & set("şğıŞĞİ")
    text = "\n".join([common] * 4000 + paragraphs(seed("003"))[3:6])
    data = text.encode("cp1254")
    assert len(data) > 4 * encodings_module._SAMPLE_BYTES
    result = import_bytes(data, "late.txt")
    assert result.text == text
    assert result.encoding == "cp1254"
