"""What the cache knows of a document (reader.translation.documents), on documents the test imports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader.core.store.library import Library
from reader.translation.documents import (
    DocumentSentences,
    cache_engine,
    cached,
    stored_share,
    translated_share,
)


def test_a_document_in_the_target_language_stands_for_itself_only_when_asked(
    lib: Library, tmp_path: Path
) -> None:
    article = tmp_path / "english.txt"
    article.write_text(
        "The committee met on Tuesday morning. It agreed on a new timetable for the talks.\n\n"
        "Both delegations will return next month.\n",
        "utf-8",
    )
    doc_id = lib.import_file(article, lang="en").document.id
    sentences = DocumentSentences.read(lib, doc_id)
    assert len(sentences.texts) >= 2
    with cache_engine() as engine:
        assert cached(engine, sentences, "en") == {}  # exports: no translation of an English document
        shown = cached(engine, sentences, "en", same_language=True)  # the reader: its own sentences
        assert shown == dict(enumerate(sentences.texts))
        assert translated_share(engine, sentences, "en") == 1.0
        # another target without a model: nothing known, nothing translated
        assert cached(engine, sentences, "fr", same_language=True) == {}


def test_the_stored_share_read_in_pages_is_the_share_of_all_sentences(
    lib: Library, install_tiny: Callable[..., Any]
) -> None:
    install_tiny("fa")
    fa = next(d.id for d in lib.documents() if d.lang == "fa")
    sentences = DocumentSentences.read(lib, fa)
    with cache_engine() as engine:
        model = engine.route("fa", "en").cache_key
        assert engine.memory is not None
        # the memory knows every third sentence; pages of 4 cut the document in many places
        engine.memory.store(
            [(t, f"known {i}") for i, t in enumerate(sentences.texts) if i % 3 == 0], "fa", "en", model
        )
        expected = translated_share(engine, sentences, "en")
        assert expected is not None and 0 < expected < 1
        assert stored_share(engine, lib, fa, "en", page=4) == expected
        for doc in lib.documents():  # other pairs (no model; a target-language document) agree too
            for to in ("en", "tr"):
                assert stored_share(engine, lib, doc.id, to, page=3) == translated_share(
                    engine, DocumentSentences.read(lib, doc.id), to
                )
