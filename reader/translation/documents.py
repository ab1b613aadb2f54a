"""What the translation cache knows of a document — the one place the CLI, the window, exports and notes ask.

Nothing here loads a model: an :class:`~reader.translation.engine.Engine` answers from the translation memory
(and leaves target-language sentences as they are), and when no model is installed the translations last
indexed for search stand in (:func:`reader.core.store.search.indexed_translations`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from reader import paths
from reader.core.store import search
from reader.core.store.annotations import TranslationText
from reader.core.store.library import Document, Library, SegmentRow
from reader.translation.engine import Engine
from reader.translation.models import ModelError
from translations_cache import TranslationCacheError, TranslationMemory


@dataclass(frozen=True)
class DocumentSentences:
    """A document's sentences as the engine sees them: texts, and each one's paragraph language."""

    document: Document
    segments: list[SegmentRow]
    texts: list[str]
    languages: list[str]

    @classmethod
    def read(cls, library: Library, doc_id: int | str) -> DocumentSentences:
        doc = library.get(doc_id)
        segments = library.segments(doc.id)
        texts = [doc.text[s.start : s.end] for s in segments]
        return cls(doc, segments, texts, library.segment_languages(doc.id))


def open_memory() -> TranslationMemory:
    """The translation memory of the current home (``translations.db``)."""
    return TranslationMemory(paths.translations_db())


@contextmanager
def cache_engine() -> Iterator[Engine]:
    """An engine over the home's translation memory that is only asked what it knows (never loads a model)."""
    memory = open_memory()
    try:
        engine = Engine(memory=memory)
        try:
            yield engine
        finally:
            engine.close()
    finally:
        memory.close()


def cached(
    engine: Engine, sentences: DocumentSentences, to: str, *, same_language: bool = False
) -> dict[int, str]:
    """Translations already known for the document's sentences, by segment index.

    A document already in ``to`` has none, unless ``same_language``: then its sentences stand for themselves,
    as :meth:`Engine.translate` would return them (the reader shows them in the translation pane)."""
    if not sentences.texts or (sentences.document.lang == to and not same_language):
        return {}
    return engine.cached(sentences.texts, sentences.document.lang, to, languages=sentences.languages)


def last_known(library: Library, sentences: DocumentSentences, to: str) -> dict[int, str]:
    """Translations to show when no model is installed for the document's pair: those last indexed for search
    (a removed model's translations stay readable; they are not a model's answer for new sentences)."""
    if sentences.document.lang == to:
        return {}
    indexed = search.indexed_translations(library, sentences.document.id, to)
    if indexed is None:
        return {}
    return {i: text for i, text in indexed[1].items() if 0 <= i < len(sentences.texts)}


def translated_share(engine: Engine, sentences: DocumentSentences, to: str) -> float | None:
    """The share of the document's sentences already translated (None for a document with no sentences)."""
    if not sentences.texts:
        return None
    return len(
        engine.cached(sentences.texts, sentences.document.lang, to, languages=sentences.languages)
    ) / len(sentences.texts)


def translation_text(
    library: Library, doc_id: int, to: str = "en", engine: Engine | None = None
) -> TranslationText | None:
    """The document's translation text (what translation-side notes anchor to): the memory's translations for
    the installed model, else the translations last indexed for search."""
    sentences = DocumentSentences.read(library, doc_id)
    if sentences.document.lang == to or not sentences.segments:
        return None
    try:
        if engine is None:
            with cache_engine() as own:
                found = _from_memory(own, sentences, to)
        else:
            found = _from_memory(engine, sentences, to)
    except TranslationCacheError:
        found = None
    if found is not None:
        return found
    indexed = search.indexed_translations(library, sentences.document.id, to)
    if indexed is None:
        return None
    model_id, translations = indexed
    return TranslationText.build(sentences.segments, translations, model_id, to)


def _from_memory(engine: Engine, sentences: DocumentSentences, to: str) -> TranslationText | None:
    known = cached(engine, sentences, to)
    if not known:
        return None
    try:
        model_id = engine.route(sentences.document.lang, to).model_id
    except ModelError:
        return None
    return TranslationText.build(sentences.segments, known, str(model_id), to)


@contextmanager
def translation_provider(
    library: Library, to: str = "en"
) -> Iterator[Callable[[Document], TranslationText | None]]:
    """``with translation_provider(lib) as provide: export(lib, …, translations=provide)`` — each document's
    translation text for :func:`reader.core.exporting.export`, all read through one engine over the memory."""
    with cache_engine() as engine:

        def provide(doc: Document) -> TranslationText | None:
            return translation_text(library, doc.id, to, engine)

        yield provide
