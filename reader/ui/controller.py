"""The reader's logic: open a document, show cached translations at once, stream the rest (visible part first).

Mu-style: the controller is handed its view and status bar and drives them; all work goes through
:class:`reader.ui.tasks.TaskManager`. Loading runs on the shared pool; translation runs on the ``translation``
lane, whose single thread owns the :class:`~reader.translation.engine.Engine` (loaded models stay loaded between
documents). Every task of a document carries the key ``"document"``, invalidated when another document opens,
so a late result never lands in the wrong document.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from reader import paths
from reader.languages import pair_name
from reader.ui.operations import store_resource
from reader.ui.reader import ReaderDocument, ReaderView
from reader.ui.status import StatusBar
from reader.ui.tasks import TaskContext, TaskManager

log = logging.getLogger(__name__)

TRANSLATION_LANE = "translation"
DOCUMENT_KEY = "document"


class EngineFactory(Protocol):
    """Builds the reader's engine over a translation memory, in the compute type given (None: the engine's
    default, ``YANYANA_COMPUTE_TYPE`` included)."""

    def __call__(self, memory: Any, *, compute_type: str | None = None) -> Any: ...


EngineMaker = Callable[[Any], Any]  # memory -> Engine (a factory with its compute type bound)


@dataclass
class LoadedDocument:
    document: ReaderDocument
    cached: dict[int, str]
    route: Any | None  # reader.translation.engine.Route
    model_text: str = ""
    problem: str = ""
    warnings: list[str] = field(default_factory=list)
    corrections: dict[int, Any] = field(default_factory=dict)  # index -> store.corrections.Correction
    suggestions: dict[int, Any] = field(default_factory=dict)  # the same sentence corrected elsewhere
    rest: list[range] = field(default_factory=list)  # sentences the memory was not asked about yet, in pages


# A document's cached translations are looked up for the sentences shown first (from the top, or from the
# paragraph of the sentence the reader returns to) before the first paint, and for the rest in pages in the
# background: a 48 MB article has 320,000 sentences, and asking the memory for all of them took 0.9 s before
# anything was shown (bench/large_document.py). An ordinary article (a 5,000-word one has ~250 sentences) fits
# in the first page, so it opens with every known translation at once, as before.
FIRST_PAGE_SENTENCES = 2000
CACHE_PAGE_SENTENCES = 5000
TRANSLATE_RUN_SENTENCES = 5000


def lookup_pages(document: ReaderDocument, top_sentence: int | None) -> list[range]:
    """The sentences to ask the memory about, in pages: first the page shown (from ``top_sentence``'s
    paragraph, else the top), then the pages after it, then those before it."""
    total = len(document.sentences)
    start = 0
    if top_sentence is not None and 0 <= top_sentence < total:
        start = document.sentence_range(document.sentences[top_sentence].paragraph).start
    first = range(start, min(total, start + FIRST_PAGE_SENTENCES))
    pages = [first] if first else []
    after = range(first.stop, total, CACHE_PAGE_SENTENCES)
    pages += [range(a, min(total, a + CACHE_PAGE_SENTENCES)) for a in after]
    pages += [range(a, min(start, a + CACHE_PAGE_SENTENCES)) for a in range(0, start, CACHE_PAGE_SENTENCES)]
    return pages


def cached_in(engine: Any, document: ReaderDocument, page: range) -> dict[int, str]:
    """What the memory knows of the sentences ``page`` of ``document`` (keyed by sentence index)."""
    from reader.translation.documents import cached_page

    texts = [document.sentence_text(i) for i in page]
    languages = document.sentence_languages(page)
    return cached_page(engine, document.lang, texts, languages, document.target_lang, page.start)


# The engine checks Cancel between batches (CTranslate2 cannot stop a beam search half-way), so a batch is the
# longest Cancel can take. bench/cancel.py, Transformer-base-sized model, 2 shared cores under load: 1,024-token
# batches stopped after 8.0 s (median), 256-token batches after 0.75 s, at 0.50 of the 4,096-token throughput
# against 0.63. The reader is read, not bulk-translated: it takes the quick stop.
READER_MAX_BATCH_TOKENS = 256


def default_engine_factory(memory: Any, *, compute_type: str | None = None) -> Any:
    from reader.translation.engine import Engine

    return Engine(memory=memory, compute_type=compute_type, max_batch_tokens=READER_MAX_BATCH_TOKENS)


def load_document(
    doc_id: int,
    target_lang: str,
    engine_factory: EngineMaker,
    memory: Any,
    top_sentence: int | None = None,
) -> LoadedDocument:
    """Worker side: read a document from the library (as columns) and what the memory already knows of the
    translation of the sentences shown first (through :mod:`reader.translation.documents`); the other pages
    are in ``LoadedDocument.rest``, for :meth:`ReaderController` to look up in the background."""
    from reader.core.store.corrections import Corrections
    from reader.core.store.library import Library
    from reader.translation.documents import last_known_of
    from reader.translation.engine import NoModelError

    with Library(seed=False) as library:
        doc = library.get(doc_id)
        segments = library.segment_columns(doc.id)
        paragraphs = library.paragraph_columns(doc.id)
        store = Corrections(library)
        corrections = store.for_document(doc.id, target_lang)
        suggestions = store.suggestions(doc.id, target_lang)
    document = ReaderDocument.from_columns(
        doc.id, doc.title, doc.lang, doc.direction, doc.text, paragraphs, segments, target_lang
    )
    del segments, paragraphs
    pages = lookup_pages(document, top_sentence)
    first, rest = (pages[0], pages[1:]) if pages else (range(0), [])
    engine = engine_factory(memory)
    try:
        # what the memory knows is shown whether or not the model that made it is installed now;
        # a human correction takes the place of the machine's sentence (the later pages skip them)
        known = cached_in(engine, document, first)
        try:
            route = engine.route(doc.lang, target_lang)
        except NoModelError as exc:
            # translations made before (a model since removed) stay readable: those last indexed for search
            with Library(seed=False) as library:
                earlier = last_known_of(library, doc, len(document.sentences), target_lang)
            earlier.update(known)
            earlier.update({i: c.text for i, c in corrections.items()})
            return LoadedDocument(
                document, earlier, None, problem=str(exc), corrections=corrections, suggestions=suggestions,
                rest=rest,
            )  # fmt: skip
        known.update({i: c.text for i, c in corrections.items()})
        return LoadedDocument(
            document, known, route, model_text=describe_route(route), corrections=corrections,
            suggestions=suggestions, rest=rest,
        )  # fmt: skip
    finally:
        engine.close()


def describe_route(route: Any) -> str:
    steps = getattr(route, "steps", ())
    if not steps:
        return "no translation needed"
    parts = [f"{m.code} {m.version}" for m in steps]
    return ("via English: " if len(steps) > 1 else "") + " + ".join(parts)


class ReaderController(QObject):
    """Opens documents into the reader view and streams their translations."""

    sig_document_opened = Signal(object)  # ReaderDocument
    sig_document_failed = Signal(str)
    sig_state = Signal(str)  # loading, translating, translated, stopped, no-model, failed
    sig_settled = Signal()  # the visible part is translated, or the banner shows, or loading failed
    sig_models_changed = Signal()
    sig_translated_share = Signal(int, float)  # doc id, share of sentences translated
    sig_indexed = Signal(int, int)  # doc id, translations (re)indexed for search

    def __init__(
        self,
        tasks: TaskManager,
        view: ReaderView,
        status: StatusBar,
        *,
        target_lang: str = "en",
        engine_factory: EngineFactory | None = None,
        compute_type: str | None = None,
    ) -> None:
        super().__init__(view)
        self.tasks = tasks
        self.view = view
        self.status = status
        self.target_lang = target_lang
        self.engine_factory: EngineFactory = engine_factory or default_engine_factory
        # what the engines are built with (the window's preference; None: the engine's default)
        self.compute_type: str | None = compute_type
        self.doc_id: int | None = None
        self.loaded: LoadedDocument | None = None
        self.state = "idle"
        self._memory: Any = None
        self._memory_lock = threading.Lock()
        self._run_id = 0
        self._translation_task: Any = None
        self._settled = False
        self._busy_model_op = False
        self._said = ""  # the last status message about a document's translation
        # The translation lane's engine (models loaded once, reused by the next translation).
        self.engine = tasks.resource(
            TRANSLATION_LANE, lambda: self.make_engine(self.memory()), lambda engine: engine.close()
        )
        view.sig_viewport_changed.connect(self._on_viewport_changed)
        view.sig_install_from_file.connect(self.ask_install_from_file)
        view.sig_download.connect(self.download_current_pair)
        view.sig_resume.connect(self.translate)
        status.sig_cancel.connect(self.cancel)

    # --- shared resources (any thread) ---------------------------------------------------------------------

    def engine_maker(self) -> EngineMaker:
        """memory -> engine, with the compute type chosen now (a load started before a change keeps its own)."""
        return functools.partial(self.engine_factory, compute_type=self.compute_type)

    def make_engine(self, memory: Any) -> Any:
        """An engine over ``memory`` in the current compute type (any thread)."""
        return self.engine_maker()(memory)

    def set_compute_type(self, compute_type: str | None) -> None:
        """Build engines in ``compute_type`` from now on; a change drops the loaded engine (and its models), so
        the next translation loads them afresh. What the view shows stays; sentences still to translate are
        translated in the new type (the memory keeps the two apart)."""
        if compute_type == self.compute_type:
            return
        self.compute_type = compute_type
        self.reset_engine()

    def memory(self) -> Any:
        """The translation memory, opened on first use (thread-safe object, opened off the GUI thread)."""
        with self._memory_lock:
            if self._memory is None:
                from translations_cache import TranslationMemory

                self._memory = TranslationMemory(paths.translations_db())
            return self._memory

    def shutdown(self) -> None:
        """Stop translating, release the engine on its own thread, close the memory."""
        self.tasks.invalidate(DOCUMENT_KEY)
        with contextlib.suppress(RuntimeError):  # already shut down
            self.engine.close()
        self.tasks.shutdown()
        with self._memory_lock:
            if self._memory is not None:
                self._memory.close()
                self._memory = None

    # --- opening -------------------------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.state = state
        self.sig_state.emit(state)

    def _settle(self) -> None:
        if not self._settled:
            self._settled = True
            self.sig_settled.emit()

    def open_document(self, doc_id: int, *, top_sentence: int | None = None) -> None:
        self.tasks.invalidate(DOCUMENT_KEY)  # drop whatever the previous document still reports
        self._translation_task = None
        self.doc_id = doc_id
        self.loaded = None
        self._settled = False
        self.status.clear_progress()
        if self._said and self.status.currentMessage() == self._said:
            self.status.clearMessage()  # what was said of the previous document no longer holds
        self._set_state("loading")
        target, factory = self.target_lang, self.engine_maker()

        def work(_ctx: TaskContext) -> LoadedDocument:
            return load_document(doc_id, target, factory, self.memory(), top_sentence)

        self.tasks.run(
            work,
            key=DOCUMENT_KEY,
            on_success=lambda loaded: self._on_loaded(loaded, top_sentence),
            on_failure=self._on_load_failed,
            name=f"load document {doc_id}",
        )

    def _on_load_failed(self, exc: BaseException) -> None:
        self.doc_id = None
        self.view.clear(str(exc))
        self._set_state("failed")
        self.sig_document_failed.emit(str(exc))
        self._settle()

    def _on_loaded(self, loaded: LoadedDocument, top_sentence: int | None) -> None:
        self.loaded = loaded
        doc = loaded.document
        self.view.set_document(
            doc,
            loaded.cached,
            pending=loaded.route is not None,
            top_sentence=top_sentence,
            corrected=loaded.corrections,
        )
        self.status.set_pair(pair_name(doc.lang, doc.target_lang))
        self.sig_document_opened.emit(doc)
        looking_up = self._look_up_rest(loaded)
        self._report_share()
        if loaded.route is None:
            self.view.show_missing_model(pair_name(doc.lang, doc.target_lang), known=len(loaded.cached))
            self.status.set_model("no model installed")
            self._set_state("no-model")
            self._settle()
            return
        self.view.hide_banner()
        self.status.set_model(loaded.model_text)
        if not looking_up:  # else once the memory has answered for every page (no sentence sent twice)
            self.translate()

    def _look_up_rest(self, loaded: LoadedDocument) -> bool:
        """Ask the memory about the sentences not shown first, a page at a time, in the background; each page's
        translations are added as it comes, and the translation run (if there is a model) starts after the last
        page, so it is not handed 300,000 sentences the memory knows (each sent back to this thread one by one).
        False if there is nothing more to ask."""
        if not loaded.rest:
            return False
        document, pages, factory = loaded.document, list(loaded.rest), self.engine_maker()

        def work(ctx: TaskContext) -> None:
            engine = factory(self.memory())
            try:
                for page in pages:
                    if ctx.cancelled:
                        return
                    found = cached_in(engine, document, page)
                    if found:
                        ctx.item(found)
            finally:
                engine.close()

        self.tasks.run(
            work,
            key=DOCUMENT_KEY,
            on_item=self._on_cached_page,
            on_success=lambda _none: self._on_rest_looked_up(loaded),
            on_failure=lambda exc: self._on_rest_looked_up(loaded, exc),
            name=f"cached translations of document {document.doc_id}",
        )
        return True

    def _on_rest_looked_up(self, loaded: LoadedDocument, exc: BaseException | None = None) -> None:
        if exc is not None:
            log.warning("looking up cached translations: %s", exc)
        if self.loaded is not loaded:
            return
        self._report_share()
        if loaded.route is not None and self._translation_task is None:
            self.translate()

    def _on_cached_page(self, found: dict[int, str]) -> None:
        loaded = self.loaded
        if loaded is None or self.view.document is not loaded.document:
            return
        known = self.view.translations
        self.view.set_translations({i: t for i, t in found.items() if i not in known})
        self._update_progress()
        if loaded.route is None:  # the banner counts what is readable without a model
            loaded.cached.update(found)

    # --- translating ---------------------------------------------------------------------------------------

    @property
    def translating(self) -> bool:
        return self._translation_task is not None

    def translate(self) -> None:
        """Translate what is missing, the visible part first (restarts a running translation)."""
        loaded = self.loaded
        if loaded is None or loaded.route is None:
            return
        doc = loaded.document
        order = [i for i in self.view.translation_order() if i not in self.view.translations]
        if not order:
            self._finish_translation(stopped=False)
            return
        if self._translation_task is not None:
            self._translation_task.cancel()
        self._run_id += 1
        run_id = self._run_id
        source, target = doc.lang, doc.target_lang

        def work(ctx: TaskContext) -> bool:
            engine = self.engine.get()
            # The texts are made here, not on the GUI thread, and handed to the engine in runs of
            # TRANSLATE_RUN_SENTENCES (one run for an ordinary article): the engine copies and looks up what it
            # is given, which for a 48 MB article was ~300 MB at once.
            for first in range(0, len(order), TRANSLATE_RUN_SENTENCES):
                if ctx.cancelled:
                    break
                run = order[first : first + TRANSLATE_RUN_SENTENCES]
                texts = [doc.sentence_text(i) for i in run]
                # already visible-first; naming the order asks for the engine's small first batch (first run)
                results = engine.translate(
                    texts, source, target, order=range(len(texts)) if first == 0 else None,
                    cancel=ctx.cancel_event, languages=doc.sentence_languages(run),
                )  # fmt: skip
                for result in results:
                    ctx.item((run[result.index], result.text))
            return ctx.cancelled

        if self.view.banner.mode == "stopped":
            self.view.hide_banner()
        self.view.set_pending(True)
        self._set_state("translating")
        self._update_progress()
        self._translation_task = self.tasks.run(
            work,
            key=DOCUMENT_KEY,
            lane=TRANSLATION_LANE,
            on_item=self._on_translated,
            on_success=lambda cancelled: self._on_translation_done(run_id, bool(cancelled)),
            on_failure=lambda exc: self._on_translation_failed(run_id, exc),
            name=f"translate document {doc.doc_id}",
        )

    def cancel(self) -> None:
        if self._translation_task is not None:
            self._translation_task.cancel()
            self.status.set_progress(
                len(self.view.translations), len(self.view.document.sentences) if self.view.document else 0,
                "Stopping",
            )  # fmt: skip

    def _on_translated(self, item: tuple[int, str]) -> None:
        index, text = item
        if index in self.view.corrected:
            return  # corrected while it was being translated: the human text stays
        self.view.set_translations({index: text})
        self._update_progress()
        if not self._settled and self.view.visible_translated():
            self.view.flush_translations()
            self._settle()

    def _update_progress(self) -> None:
        doc = self.view.document
        if doc is not None and self._translation_task is not None:
            self.status.set_progress(len(self.view.translations), len(doc.sentences))

    def _on_translation_done(self, run_id: int, cancelled: bool) -> None:
        if run_id != self._run_id:
            return  # superseded by a restart (scrolling re-prioritised the order)
        self._finish_translation(stopped=cancelled)

    def _finish_translation(self, *, stopped: bool) -> None:
        self._translation_task = None
        self.view.flush_translations()
        doc = self.view.document
        total = len(doc.sentences) if doc else 0
        done = len(self.view.translations)
        complete = done >= total
        if complete:
            self.view.set_pending(False)
            self._say(f"Translated all {total} sentences.")
            self._set_state("translated")
        else:
            # untranslated rows say so (muted), and the banner offers to resume
            self.view.set_stopped(True)
            self.view.show_stopped(done, total)
            self._say(f"Stopped: {done} of {total} sentences translated.")
            self._set_state("stopped")
        self._report_share()
        self._index_for_search()
        self._settle()

    def _say(self, message: str) -> None:
        self._said = message
        self.status.clear_progress(message)

    def _index_for_search(self) -> None:
        """Make the document's translations searchable (only what changed since they were last indexed)."""
        loaded, doc = self.loaded, self.view.document
        if loaded is None or loaded.route is None or doc is None or not self.view.translations:
            return
        if loaded.document.doc_id != doc.doc_id or self.tasks.closed:
            return
        translations = dict(self.view.translations)
        model_id, lang, doc_id = str(loaded.route.model_id), doc.target_lang, doc.doc_id

        def work(store: Any) -> int:
            from reader.core.store import search

            indexed = search.indexed_translations(store.library, doc_id, lang)
            known = indexed[1] if indexed is not None and indexed[0] == model_id else {}
            changed = {i: t for i, t in translations.items() if known.get(i) != t.strip()}
            if not changed:
                return 0
            return search.index_translations(store.library, doc_id, changed, model_id, lang)

        store_resource(self.tasks).run(
            work,
            lambda n: self.sig_indexed.emit(doc_id, int(n)),
            lambda exc: log.warning("could not index the translations of document %s: %s", doc_id, exc),
            name="index translations",
        )

    def _on_translation_failed(self, run_id: int, exc: BaseException) -> None:
        if run_id != self._run_id:
            return
        self._translation_task = None
        self.view.set_pending(False)
        self.status.clear_progress()
        self.view.banner.show_missing(
            pair_name(self.loaded.document.lang, self.target_lang) if self.loaded else "", ""
        )
        self.view.banner.set_message(f"Translation failed: {exc}")
        self._set_state("failed")
        self._settle()

    def _on_viewport_changed(self) -> None:
        """Scrolled while translating: put the newly visible sentences first."""
        if self._translation_task is None or self.view.visible_translated():
            return
        self.translate()

    def _report_share(self) -> None:
        doc = self.view.document
        if doc is not None and doc.sentences:
            self.sig_translated_share.emit(doc.doc_id, len(self.view.translations) / len(doc.sentences))

    # --- models --------------------------------------------------------------------------------------------

    def models_changed(self) -> None:
        """A model was installed or removed: look at the open document again (cached text shows at once)."""
        self.reset_engine()  # the lane's engine keeps models loaded; the next translation starts afresh
        self.sig_models_changed.emit()
        if self.doc_id is not None:
            self.open_document(self.doc_id, top_sentence=self.view.top_sentence())

    def ask_install_from_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getOpenFileName(
            self.view, "Install a translation model", "", "Argos models (*.argosmodel);;All files (*)"
        )
        if path:
            self.install_from_file(Path(path))

    def install_from_file(self, path: Path) -> None:
        from reader.translation import models

        self.view.banner.set_busy(True)
        self.status.set_progress(0, 0, f"Installing {path.name}")
        self.status.cancel_button.hide()

        def work(_ctx: TaskContext) -> Any:
            return models.install_from_path(path)

        self.tasks.run(work, on_success=self._on_model_installed, on_failure=self._on_model_failed)

    def download_current_pair(self) -> None:
        """Download the model for the open document's pair (the only place the reader uses the network)."""
        if self.loaded is None:
            return
        self.download(self.loaded.document.lang, self.target_lang)

    def download(self, from_code: str, to_code: str) -> None:
        from reader.translation import models

        self.view.banner.set_busy(True)
        self.view.banner.set_message(f"Downloading the {pair_name(from_code, to_code)} model…")
        self.status.set_online(True, "downloading a model")
        self.status.set_progress(0, 0, "Downloading")
        self.status.cancel_button.hide()

        def work(ctx: TaskContext) -> Any:
            return models.download(from_code, to_code, progress=lambda d, t: ctx.progress(d, t))

        def progress(done: int, total: int, _text: str) -> None:
            if total:
                self.status.set_progress(done // 1024, total // 1024, "Downloading KB")
            self.status.cancel_button.hide()

        def finished() -> None:
            self.status.set_online(False)

        self.tasks.run(
            work,
            on_success=self._on_model_installed,
            on_failure=self._on_model_failed,
            on_progress=progress,
            on_finally=finished,
        )

    def _on_model_installed(self, _result: object) -> None:
        self.view.banner.set_busy(False)
        self.status.clear_progress("The model is installed.")
        self.models_changed()

    def _on_model_failed(self, exc: BaseException) -> None:
        self.view.banner.set_busy(False)
        self.status.clear_progress()
        self.view.banner.set_message(str(exc))

    def reset_engine(self) -> None:
        """Drop the lane's engine (models removed): the next translation loads afresh."""
        self.engine.close()
