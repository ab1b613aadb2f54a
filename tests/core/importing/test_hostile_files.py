"""Hostile and odd files: FIFOs and devices, names that are not UTF-8, navigation-only and absurdly deep HTML,
UTF-16 with an unpaired surrogate, and size messages that say something true."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from reader.core import importing
from reader.core.importing import MAX_BYTES, ImportRefused, import_bytes
from reader.core.store.library import Library
from tests.cli.test_cli import run
from tests.helpers import SEEDS


def _turkish_text() -> str:
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        if "ş" in text and "ğ" in text:  # not the seed itself, which the library already holds
            return text + "\n\nBu paragraf, dosyayı tohum makaleden ayırmak için eklendi.\n"
    raise AssertionError("no Turkish seed")


def _import_in_thread(path: Path) -> BaseException | None:
    outcome: list[BaseException | None] = []

    def work() -> None:
        try:
            importing.import_file(path)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive(), f"importing {path} hangs"
    return outcome[0]


def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    error = _import_in_thread(fifo)
    assert (
        isinstance(error, ImportRefused)
        and str(error) == "pipe.txt is not a regular file (it is a named pipe)."
    )


def test_a_device_is_refused() -> None:
    error = _import_in_thread(Path("/dev/zero"))
    assert isinstance(error, ImportRefused) and "is not a regular file (it is a device)" in str(error)


def test_a_folder_import_skips_pipes(tmp_path: Path, yanyana_home: Path) -> None:
    (tmp_path / "a.txt").write_text(_turkish_text(), encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    proc = run("import", str(tmp_path), home=yanyana_home)
    assert proc.stdout.count("\n") == 1


def test_a_file_name_that_is_not_utf8_imports_and_is_named_safely(tmp_path: Path, yanyana_home: Path) -> None:
    folder = os.fsencode(tmp_path)
    good = folder + b"/haber-\xe7\xfd.txt"  # cp1254 bytes in a name
    with open(good, "wb") as handle:
        handle.write(_turkish_text().encode("utf-8"))
    empty = folder + b"/bo\xfe.txt"
    open(empty, "wb").close()
    proc = run("import", "--json", os.fsdecode(good), home=yanyana_home)
    assert '"source": "' in proc.stdout and "haber-\\\\xe7\\\\xfd.txt" in proc.stdout
    with Library(yanyana_home / "library.db") as lib:
        assert any(d.source.endswith("haber-\\xe7\\xfd.txt") for d in lib.documents())
    again = run("import", os.fsdecode(good), home=yanyana_home)
    assert "already present" in again.stdout
    failed = run("import", os.fsdecode(empty), home=yanyana_home, check_code=2)
    assert failed.stderr.strip() == "error: bo\\xfe.txt is empty."


def test_a_navigation_only_page_is_refused() -> None:
    page = (
        "<html><head><title>Haberler — Ana sayfa</title></head><body>"
        "<nav><ul><li><a href='/a'>Gündem</a></li><li><a href='/b'>Spor</a></li></ul></nav>"
        "<script>track()</script><footer>© 2024</footer></body></html>"
    )
    with pytest.raises(ImportRefused, match=r"^menu\.html contains no readable text\.$"):
        import_bytes(page.encode(), "menu.html")


def test_four_hundred_unclosed_spans_keep_every_paragraph() -> None:
    paragraphs = "".join(
        f"<span><p>Bu {i}. paragraftır ve sayfanın geri kalanı kadar okunmayı hak eder.</p>"
        for i in range(400)
    )
    page = f"<html><head><title>Derin</title></head><body>{paragraphs}</body></html>"
    result = import_bytes(page.encode(), "deep.html")
    assert all(f"Bu {i}. paragraftır" in result.text for i in range(400))


def test_ten_thousand_levels_keep_their_text_with_a_warning() -> None:
    text = "Bu çok derin bir sayfanın tek paragrafıdır ve kaybolmamalıdır."
    page = (
        "<html><head><title>Çok derin</title></head><body>"
        + "<div>" * 10_000
        + f"<p>{text}</p>"
        + "</div>" * 10_000
        + "</body></html>"
    )
    result = import_bytes(page.encode(), "deeper.html")
    assert text in result.text
    assert any("deeper than an HTML parser follows" in w for w in result.warnings)


def test_utf16_with_one_unpaired_surrogate_imports_with_a_warning() -> None:
    text = _turkish_text()
    middle = len(text) // 2
    data = b"\xff\xfe" + text[:middle].encode("utf-16-le") + b"\x00\xd8" + text[middle:].encode("utf-16-le")
    result = import_bytes(data, "utf16.txt")
    assert result.encoding == "utf-16"
    assert result.text == (text[:middle] + "\ufffd" + text[middle:]).replace("\r\n", "\n")
    assert result.warnings == [
        "utf16.txt has 1 invalid UTF-16 code unit (such as half of a surrogate pair); they are shown as \ufffd."
    ]


def test_utf16_that_is_mostly_invalid_is_still_refused() -> None:
    data = b"\xff\xfe" + b"\x00\xd8a\x00" * 200
    with pytest.raises(ImportRefused, match="is not valid UTF-16"):
        import_bytes(data, "bad16.txt")


def test_the_too_large_message_says_something_true(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(ImportRefused) as caught:
        importing.import_file(big)
    assert str(caught.value) == "big.txt is too large to import (50.1 MB; the limit is 50 MB)."


def test_terminal_escapes_inside_html_do_not_break_the_parser() -> None:
    """Found by the fuzz tests: lxml refused to move text holding an ESC when a <nav> was dropped."""
    page = "<p>\x1b[2J<nav>menü</nav><nav></nav>Bu paragraf okunabilir kalmalıdır ve kalır.</p>"
    result = import_bytes(page.encode(), "esc.html")
    assert "Bu paragraf okunabilir kalmalıdır" in result.text and "\x1b" not in result.text
