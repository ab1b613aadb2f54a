"""Translation ▸ Translate all documents: the library translated in the background, one document at a time.

The queue (document ids, in library order) is kept in the settings, so a queue cut short by quitting resumes at
the next start; a document leaves the queue only once it is fully translated (or has no model), and every batch
is stored in the translation memory as it is made, so resuming costs nothing already done. Each document runs as
one task on the translation lane, whose single thread owns the engine, so the open document's own translation
(a task on the same lane) takes turns with it. Progress: one progress bar in the status bar (documents), and
the per-document share in the library list as batches arrive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal

from reader.ui.operations import store_resource
from reader.ui.tasks import LaneResource, Task, TaskContext, TaskManager

log = logging.getLogger(__name__)

QUEUE_KEY = "translation/queue"


@dataclass
class DocumentRun:
    """What one document's run produced (worker side → GUI side)."""

    doc_id: int
    total: int
    translations: dict[int, str] = field(default_factory=dict)
    model_id: str = ""
    no_model: bool = False
    cancelled: bool = False


def translate_document(
    ctx: TaskContext, engine: Any, doc_id: int, target: str, cancelled: Callable[[], bool]
) -> DocumentRun:
    """Worker side: translate what is missing of one document, reporting ``ctx.progress(done, total)``."""
    from reader.core.store.library import Library
    from reader.translation.documents import DocumentSentences
    from reader.translation.engine import NoModelError

    with Library(seed=False) as library:
        sentences = DocumentSentences.read(library, doc_id)
    doc = sentences.document
    run = DocumentRun(doc_id, len(sentences.texts))
    if not sentences.texts:
        return run
    try:
        route = engine.route(doc.lang, target)
    except NoModelError:
        run.no_model = True
        return run
    run.model_id = str(route.model_id)
    results = engine.translate(
        sentences.texts, doc.lang, target, cancel=ctx.cancel_event, languages=sentences.languages
    )
    for result in results:
        run.translations[result.index] = result.text
        ctx.progress(len(run.translations), run.total)
    run.cancelled = cancelled() or len(run.translations) < run.total
    return run


class TranslateAll(QObject):
    """The library's translation queue; see the module docstring."""

    sig_progress = Signal(int, int)  # documents done, documents in this run
    sig_document = Signal(int, float)  # document id, share of its sentences translated
    sig_finished = Signal(str)  # one sentence saying what was done
    sig_indexed = Signal(int)  # document id whose translations were indexed for search

    def __init__(
        self,
        tasks: TaskManager,
        engine: LaneResource[Any],
        lane: str,
        settings: QSettings,
        target_lang: str = "en",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.engine = engine
        self.lane = lane
        self.settings = settings
        self.target_lang = target_lang
        self.queue: list[int] = self._load()
        self.size = len(self.queue)  # documents in this run (for the progress bar)
        self.done = 0
        self.translated = 0
        self.skipped: list[int] = []
        self._task: Task | None = None
        self._stopping = False

    # --- the queue in the settings ---------------------------------------------------------------------------

    def _load(self) -> list[int]:
        value = self.settings.value(QUEUE_KEY, "")
        if isinstance(value, list):
            value = ",".join(str(v) for v in value)
        return [int(v) for v in str(value or "").split(",") if v.strip().isdigit()]

    def _save(self) -> None:
        if self.queue:
            self.settings.setValue(QUEUE_KEY, ",".join(str(i) for i in self.queue))
        else:
            self.settings.remove(QUEUE_KEY)
        self.settings.sync()

    # --- GUI side ----------------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None

    def pending(self) -> list[int]:
        """The documents still to translate (what a restart resumes)."""
        return list(self.queue)

    def start(self, doc_ids: list[int]) -> None:
        """Queue ``doc_ids`` (documents already queued keep their place) and start if idle."""
        added = [d for d in doc_ids if d not in self.queue]
        self.queue += added
        if not self.running:
            self.size, self.done, self.translated, self.skipped = len(self.queue), 0, 0, []
        else:
            self.size += len(added)
        self._save()
        self._next()

    def resume(self, known_ids: list[int]) -> bool:
        """At start-up: carry on with a queue left by the last session (documents since removed are dropped)."""
        self.queue = [d for d in self.queue if d in known_ids]
        self._save()
        if not self.queue or self.running:
            return False
        self.size, self.done, self.translated, self.skipped = len(self.queue), 0, 0, []
        self._next()
        return True

    def stop(self, *, forget: bool = True) -> None:
        """Stop after the current batch; ``forget`` empties the queue (quitting keeps it, to resume)."""
        self._stopping = True
        if forget:
            self.queue = []
            self._save()
            if self.size:
                self.size = 0
                self.sig_finished.emit("Stopped translating the library.")
        if self._task is not None:
            self._task.cancel()

    def _next(self) -> None:
        if self.running or self.tasks.closed:
            return
        if not self.queue:
            self._finish()
            return
        self._stopping = False
        doc_id = self.queue[0]
        self.sig_progress.emit(self.done, self.size)
        target = self.target_lang
        engine = self.engine

        def work(ctx: TaskContext) -> DocumentRun:
            return translate_document(ctx, engine.get(), doc_id, target, lambda: ctx.cancelled)

        def progress(done: int, total: int, _text: str) -> None:
            if total:
                self.sig_document.emit(doc_id, done / total)

        self._task = self.tasks.run(
            work,
            lane=self.lane,
            on_success=self._on_done,
            on_failure=lambda exc: self._on_failed(doc_id, exc),
            on_progress=progress,
            name=f"translate all: document {doc_id}",
        )

    def _on_done(self, run: DocumentRun) -> None:
        self._task = None
        if run.translations:
            self.sig_document.emit(run.doc_id, len(run.translations) / max(1, run.total))
            self._index(run)
        if run.cancelled and not run.no_model:
            return  # stopped: the document stays at the head of the queue (a restart resumes it)
        if self.queue and self.queue[0] == run.doc_id:
            self.queue.pop(0)
            self._save()
        self.done += 1
        if run.no_model:
            self.skipped.append(run.doc_id)
        else:
            self.translated += 1
        if self._stopping:
            return
        self._next()

    def _on_failed(self, doc_id: int, exc: BaseException) -> None:
        self._task = None
        log.warning("translate all: document %s: %s", doc_id, exc)
        if self.queue and self.queue[0] == doc_id:
            self.queue.pop(0)
            self._save()
        self.done += 1
        self.skipped.append(doc_id)
        if not self._stopping:
            self._next()

    def _finish(self) -> None:
        if not self.size:
            return
        message = f"Translated the library: {self.translated} of {self.size} documents."
        if self.skipped:
            message += f" {len(self.skipped)} had no installed model."
        self.size = 0
        self.sig_finished.emit(message)

    def _index(self, run: DocumentRun) -> None:
        """Make the new translations searchable (and readable should the model be removed later)."""
        if self.tasks.closed:
            return
        translations, model_id, lang, doc_id = (
            dict(run.translations),
            run.model_id,
            self.target_lang,
            run.doc_id,
        )

        def work(store: Any) -> int:
            from reader.core.store import search

            return search.index_translations(store.library, doc_id, translations, model_id, lang)

        store_resource(self.tasks).run(
            work,
            lambda _n: self.sig_indexed.emit(doc_id),
            lambda exc: log.warning("could not index the translations of document %s: %s", doc_id, exc),
            name="index translations",
        )


__all__ = ["QUEUE_KEY", "DocumentRun", "TranslateAll", "translate_document"]
