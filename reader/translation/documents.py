"""What the translation cache knows of a document — the one place the CLI, the window, exports and notes ask.

Nothing here loads a model: an :class:`~reader.translation.engine.Engine` answers from the translation memory
(and leaves target-language sentences as they are; a language whose model is not installed gets whatever the
memory holds from any model), and when the memory knows nothing the translations last indexed for search stand
in (:func:`reader.core.store.search.indexed_translations`). Human corrections
(:mod:`reader.core.store.corrections`) replace the machine translation of their segment everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from reader import paths
from reader.core.store import search
from reader.core.store.annotations import TranslationText
from reader.core.store.corrections import Correction, Corrections, overlay
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


@dataclass(frozen=True)
class DocumentTranslations:
    """Everything known of a document's translation, by segment index."""

    texts: dict[int, str]  # what to show: the correction where there is one, else the machine translation
    machine: dict[int, str]  # the machine translations known (memory, kept target-language sentences)
    human: frozenset[int]  # corrected segments
    corrections: dict[int, Correction]
    suggestions: dict[int, Correction]  # the same sentence corrected in another document
    untranslated: dict[int, str]  # why a segment has no translation ("no Arabic→English model")
    model_id: str | None  # the model of the machine translations

    def origin(self, index: int) -> str | None:
        if index in self.human:
            return "human"
        return "machine" if index in self.texts else None


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
    """Machine translations already known for the document's sentences, by segment index.

    A document already in ``to`` has none, unless ``same_language``: then its sentences stand for themselves,
    as :meth:`Engine.translate` would return them (the reader shows them in the translation pane)."""
    if not sentences.texts or (sentences.document.lang == to and not same_language):
        return {}
    return engine.cached(sentences.texts, sentences.document.lang, to, languages=sentences.languages)


def cached_page(
    engine: Engine, lang: str, texts: Sequence[str], languages: Sequence[str], to: str, first: int = 0
) -> dict[int, str]:
    """What :func:`cached` (``same_language=True``) knows of a run of a document's sentences: ``texts`` are
    sentences ``first``, ``first + 1``, …; the answer is keyed by sentence index in the document. The reader
    asks for the sentences it shows first, then for the rest in pages, instead of every sentence at once."""
    if not texts:
        return {}
    found = engine.cached(texts, lang, to, languages=languages)
    return {first + i: text for i, text in found.items()}


def last_known(library: Library, sentences: DocumentSentences, to: str) -> dict[int, str]:
    """Translations to show when no model is installed for the document's pair: those last indexed for search
    (a removed model's translations stay readable; they are not a model's answer for new sentences)."""
    return last_known_of(library, sentences.document, len(sentences.texts), to)


def last_known_of(library: Library, document: Document, count: int, to: str) -> dict[int, str]:
    """:func:`last_known` for a document of ``count`` sentences, without reading its sentences."""
    if document.lang == to:
        return {}
    indexed = search.indexed_translations(library, document.id, to)
    if indexed is None:
        return {}
    return {i: text for i, text in indexed[1].items() if 0 <= i < count}


def translated_share(engine: Engine, sentences: DocumentSentences, to: str) -> float | None:
    """The share of the document's sentences already translated (None for a document with no sentences)."""
    if not sentences.texts:
        return None
    return len(
        engine.cached(sentences.texts, sentences.document.lang, to, languages=sentences.languages)
    ) / len(sentences.texts)


def model_id_of(engine: Engine, sentences: DocumentSentences, to: str) -> str | None:
    """The installed route's model id, else the model that made most of what the memory holds."""
    try:
        return str(engine.route(sentences.document.lang, to).model_id)
    except ModelError:
        return engine.memory_model(sentences.texts, sentences.document.lang, to)


def document_translations(
    library: Library, engine: Engine, sentences: DocumentSentences, to: str = "en"
) -> DocumentTranslations:
    """The document's translations with corrections applied, their origins, suggestions and the reasons for
    what stays untranslated."""
    doc = sentences.document
    try:
        machine = cached(engine, sentences, to)
    except TranslationCacheError:
        machine = {}
    model_id = model_id_of(engine, sentences, to) if machine else None
    if not machine and doc.lang != to:
        indexed = search.indexed_translations(library, doc.id, to)
        if indexed is not None:
            model_id, machine = indexed[0], dict(indexed[1])
    store = Corrections(library)
    own = store.for_document(doc.id, to)
    texts, human = overlay(own.values(), machine)
    untranslated = (
        {}
        if doc.lang == to
        else {
            i: reason
            for i, reason in engine.untranslated(
                sentences.texts, doc.lang, to, languages=sentences.languages
            ).items()
            if i not in texts
        }
    )
    return DocumentTranslations(
        texts, machine, human, own, store.suggestions(doc.id, to), untranslated, model_id
    )


def stored_share(engine: Engine, library: Library, doc_id: int, to: str, page: int = 5000) -> float | None:
    """:func:`translated_share` of a stored document, read as columns and asked about ``page`` sentences at a
    time: the same figure without holding every sentence's text at once (a 48 MB article has 320,000)."""
    doc = library.get(doc_id)
    segments = library.segment_columns(doc.id)
    total = len(segments)
    if not total:
        return None
    paragraphs = library.paragraph_columns(doc.id)
    lang_of = dict(zip(paragraphs.index, paragraphs.lang, strict=True))
    known = 0
    for first in range(0, total, page):
        last = min(total, first + page)
        texts = [doc.text[segments.start[i] : segments.end[i]] for i in range(first, last)]
        languages = [lang_of.get(segments.paragraph[i]) for i in range(first, last)]
        known += len(engine.cached(texts, doc.lang, to, languages=languages))
    return known / total


def translation_text(
    library: Library, doc_id: int, to: str = "en", engine: Engine | None = None
) -> TranslationText | None:
    """The document's translation text (what translation-side notes anchor to): the memory's translations
    (any model when the document's model is not installed), else the translations last indexed for search,
    with human corrections in place of the machine text."""
    sentences = DocumentSentences.read(library, doc_id)
    if sentences.document.lang == to or not sentences.segments:
        return None
    if engine is None:
        with cache_engine() as own:
            known = document_translations(library, own, sentences, to)
    else:
        known = document_translations(library, engine, sentences, to)
    if not known.texts:
        return None
    model_id = known.model_id or (next(iter(known.corrections.values())).model if known.corrections else None)
    return TranslationText.build(
        sentences.segments, known.texts, str(model_id or "human"), to, human=known.human
    )


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
