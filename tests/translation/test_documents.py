"""What the cache knows of a document (reader.translation.documents), on documents the test imports."""

from __future__ import annotations

from pathlib import Path

from reader.core.store.library import Library
from reader.translation.documents import DocumentSentences, cache_engine, cached, translated_share


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
