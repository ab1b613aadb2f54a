"""Assertions shared by the per-format importer tests."""

from __future__ import annotations

from pathlib import Path

from reader.core.importing import ImportedText, ImportRefused, import_bytes
from reader.core.store.library import Library
from tests.documents import ZWNJ, Article, recall


def one_sentence(exc: ImportRefused, name: str) -> str:
    message = str(exc)
    assert name in message, message
    assert "\n" not in message and "Traceback" not in message
    assert message.endswith("."), message
    return message


def stored_language(result: ImportedText, tmp_path: Path, name: str) -> str:
    """The language the library gives the imported text (what the reader and the translator use)."""
    with Library(tmp_path / "library.db", seed=False) as lib:
        return lib.import_text(result, source=name).document.lang


def check_article(result: ImportedText, art: Article, *, min_recall: float = 1.0) -> None:
    """Every word of the source, ZWNJ spellings intact, no U+FFFD; blocks agree with the text."""
    assert recall(art.words, result.text) >= min_recall
    assert "\ufffd" not in result.text
    if art.lang == "fa":
        spelled = [w for w in art.words if ZWNJ in w]
        assert spelled, "the Persian article carries ZWNJ spellings"
        assert all(w in result.text for w in spelled)
        assert f"رئیس{ZWNJ}جمهور" in result.text
    if result.blocks:
        assert result.text == "\n\n".join(b.text for b in result.blocks)


def import_named(data: bytes, name: str) -> ImportedText:
    return import_bytes(data, name)
