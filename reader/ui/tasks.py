"""The one place where Yanyana runs work off the GUI thread (the shape of Anki's ``QueryOp``).

``TaskManager.run(fn, on_success=..., on_failure=..., on_item=..., on_progress=...)`` runs ``fn(ctx)`` on a
worker thread. The worker never touches a widget: it reports through its :class:`TaskContext`
(``ctx.item(x)``, ``ctx.progress(done, total)``) and by returning or raising; those reports travel by queued
signals and the callbacks run on the GUI thread.

Generations: a task started with ``key="document"`` remembers the key's generation. ``invalidate("document")``
(called when the user leaves a document) bumps it and sets the cancel flag of the running tasks with that key;
whatever they still report is dropped, so a late result can never land in the wrong document.

Lanes: ``lane="default"`` is a small shared pool. A named lane (``"translation"``) is a pool of exactly one
thread that never expires, so every task on it runs on the same thread in submission order: a model and a
SQLite connection created there can be reused by the next task.

Resources on a lane: :meth:`TaskManager.resource` gives the one :class:`LaneResource` of a lane — a library
connection, a translation engine — opened on the lane's thread on first use and closed there. An operation on it
has the shape of Anki's ``QueryOp``: ``resource.run(op, on_success, on_failure)`` calls ``op(resource)`` on the lane
(in submission order, so writes never overtake each other) and the callbacks on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

SuccessFn = Callable[[Any], None]
FailureFn = Callable[[BaseException], None]
ItemFn = Callable[[Any], None]
ProgressFn = Callable[[int, int, str], None]
R = TypeVar("R")
T = TypeVar("T")


class TaskCancelled(Exception):
    """Raised by :meth:`TaskContext.check` when the task was cancelled; ends the task quietly."""


class TaskContext:
    """What a worker function may use: report items and progress, and look at the cancel flag."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self.cancel_event: threading.Event = task.cancel_event

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check(self) -> None:
        """Raise :class:`TaskCancelled` if the task was cancelled (call between steps)."""
        if self.cancel_event.is_set():
            raise TaskCancelled()

    def item(self, value: object) -> None:
        """Deliver one partial result to ``on_item`` on the GUI thread."""
        self._task.sig_item_from_worker.emit(value)

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._task.sig_progress_from_worker.emit(int(done), int(total), text)


class Task(QObject):
    """A handle on one background job. Lives on the GUI thread; its worker only emits its signals."""

    # Emitted from the worker thread, received here on the GUI thread (queued connections).
    sig_item_from_worker = Signal(object)
    sig_progress_from_worker = Signal(int, int, str)
    sig_done_from_worker = Signal(bool, object)

    # Public, always emitted on the GUI thread, only while the task's generation is current.
    sig_finished = Signal(object)

    def __init__(
        self,
        manager: TaskManager,
        fn: Callable[[TaskContext], Any],
        *,
        key: str | None,
        generation: int,
        on_success: SuccessFn | None,
        on_failure: FailureFn | None,
        on_item: ItemFn | None,
        on_progress: ProgressFn | None,
        on_finally: Callable[[], None] | None,
        name: str,
    ) -> None:
        super().__init__()
        self.manager = manager
        self.fn = fn
        self.key = key
        self.generation = generation
        self.name = name
        self.cancel_event = threading.Event()
        self.running = True
        self.outcome: tuple[bool, object] | None = None
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_item = on_item
        self._on_progress = on_progress
        self._on_finally = on_finally
        queued = Qt.ConnectionType.QueuedConnection
        self.sig_item_from_worker.connect(self._deliver_item, queued)
        self.sig_progress_from_worker.connect(self._deliver_progress, queued)
        self.sig_done_from_worker.connect(self._deliver_done, queued)

    # --- called from anywhere ------------------------------------------------------------------------------

    def cancel(self) -> None:
        """Ask the worker to stop at its next check; what it already produced is still delivered."""
        self.cancel_event.set()

    @property
    def current(self) -> bool:
        """False once the task's key was invalidated: its reports are dropped."""
        return self.key is None or self.manager.generation(self.key) == self.generation

    # --- worker thread -------------------------------------------------------------------------------------

    def run_in_worker(self) -> None:
        ctx = TaskContext(self)
        try:
            result = self.fn(ctx)
        except TaskCancelled:
            self.sig_done_from_worker.emit(True, None)
        except BaseException as exc:  # reported to on_failure on the GUI thread
            exc.add_note(traceback.format_exc())  # the worker's traceback, for the log on the GUI thread
            self.sig_done_from_worker.emit(False, exc)
        else:
            self.sig_done_from_worker.emit(True, result)

    # --- GUI thread ----------------------------------------------------------------------------------------

    @Slot(object)
    def _deliver_item(self, value: object) -> None:
        if self._on_item is not None and self.current:
            self._on_item(value)

    @Slot(int, int, str)
    def _deliver_progress(self, done: int, total: int, text: str) -> None:
        if self._on_progress is not None and self.current:
            self._on_progress(done, total, text)

    @Slot(bool, object)
    def _deliver_done(self, ok: bool, value: object) -> None:
        self.running = False
        self.outcome = (ok, value)
        self.manager.forget(self)
        try:
            if not self.current:
                return
            if ok:
                if self._on_success is not None:
                    self._on_success(value)
            else:
                assert isinstance(value, BaseException)
                if self._on_failure is not None:
                    self._on_failure(value)
                else:
                    self.manager.report_unhandled(self, value)
        finally:
            if self._on_finally is not None and self.current:
                self._on_finally()
            self.sig_finished.emit(value)


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task.run_in_worker()


class LaneResource(Generic[R]):
    """A resource owned by the single thread of a named lane: opened there on first use, closed there.

    Worker side (on the lane's thread only): :meth:`get`, :meth:`release`. GUI side: :meth:`run` an operation
    on it, :meth:`close` it after what is already queued."""

    def __init__(
        self, tasks: TaskManager, lane: str, opener: Callable[[], R], closer: Callable[[R], None]
    ) -> None:
        if lane == "default":
            raise ValueError("Only a named lane has a single thread to own a resource.")
        self.tasks = tasks
        self.lane = lane
        self._opener = opener
        self._closer = closer

    # --- worker side (the lane's thread) -------------------------------------------------------------------

    def get(self) -> R:
        """The resource, opened now if it is not open."""
        local = self.tasks.lane_local(self.lane)
        value: R | None = getattr(local, "resource", None)
        if value is None:
            value = self._opener()
            local.resource = value
        return value

    def release(self) -> None:
        """Close the resource if it is open (a restore from backup needs every library connection closed)."""
        local = self.tasks.lane_local(self.lane)
        value: R | None = getattr(local, "resource", None)
        if value is not None:
            local.resource = None
            self._closer(value)

    # --- GUI side ------------------------------------------------------------------------------------------

    def run(
        self,
        op: Callable[[R], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: FailureFn | None = None,
        *,
        key: str | None = None,
        name: str = "",
    ) -> Task:
        """Run ``op(resource)`` on the lane; ``on_success(result)`` or ``on_failure(exc)`` on the GUI thread."""

        def fn(_ctx: TaskContext) -> T:
            return op(self.get())

        return self.tasks.run(
            fn,
            on_success=on_success,
            on_failure=on_failure,
            key=key,
            lane=self.lane,
            name=name or getattr(op, "__name__", self.lane),
        )

    def close(self) -> None:
        """Close the resource on its lane once the operations queued before have run (no-op after shutdown)."""
        if not self.tasks.closed:
            self.tasks.run(lambda _ctx: self.release(), lane=self.lane, name=f"{self.lane}-close")


class TaskManager(QObject):
    """Starts every background job of the application and delivers its outcome on the GUI thread."""

    #: A task without ``on_failure`` failed; the main window shows the message.
    sig_unhandled_error = Signal(object)

    def __init__(self, parent: QObject | None = None, *, default_threads: int = 2) -> None:
        super().__init__(parent)
        self._pools: dict[str, QThreadPool] = {}
        default = QThreadPool(self)
        default.setMaxThreadCount(max(1, default_threads))
        self._pools["default"] = default
        self._generations: dict[str, int] = {}
        self._running: set[Task] = set()
        self._lane_locals: dict[str, SimpleNamespace] = {}
        self._resources: dict[str, LaneResource[Any]] = {}
        self._closed = False

    # --- generations ---------------------------------------------------------------------------------------

    def generation(self, key: str) -> int:
        return self._generations.get(key, 0)

    def invalidate(self, key: str) -> int:
        """Drop whatever running tasks with this key still report, and ask them to stop."""
        self._generations[key] = self.generation(key) + 1
        for task in list(self._running):
            if task.key == key:
                task.cancel()
        return self._generations[key]

    # --- running -------------------------------------------------------------------------------------------

    def _pool(self, lane: str) -> QThreadPool:
        pool = self._pools.get(lane)
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            pool.setExpiryTimeout(-1)  # one thread, kept for the life of the lane
            self._pools[lane] = pool
        return pool

    @property
    def closed(self) -> bool:
        """True after :meth:`shutdown`: nothing new may start."""
        return self._closed

    def lane_local(self, lane: str) -> SimpleNamespace:
        """Per-lane storage for resources owned by the lane's single thread (models, connections); touch it only
        from that thread.

        Not a ``threading.local``: Qt's pool thread runs each task under a fresh Python thread state, and a
        ``threading.local`` is emptied with it, so it forgot the lane's resource after every task."""
        if lane == "default":
            raise ValueError("Only a named lane has a single thread to own resources.")
        return self._lane_locals.setdefault(lane, SimpleNamespace())

    def resource(self, lane: str, opener: Callable[[], R], closer: Callable[[R], None]) -> LaneResource[R]:
        """The resource of ``lane`` (made on the first call; later calls get the same one, their ``opener`` and
        ``closer`` unused: name a lane's resource in one place)."""
        found = self._resources.get(lane)
        if found is None:
            found = self._resources[lane] = LaneResource(self, lane, opener, closer)
        return found

    def run(
        self,
        fn: Callable[[TaskContext], Any],
        *,
        on_success: SuccessFn | None = None,
        on_failure: FailureFn | None = None,
        on_item: ItemFn | None = None,
        on_progress: ProgressFn | None = None,
        on_finally: Callable[[], None] | None = None,
        key: str | None = None,
        lane: str = "default",
        name: str = "",
    ) -> Task:
        """Run ``fn(ctx)`` off the GUI thread; every callback is called on the GUI thread."""
        if self._closed:
            raise RuntimeError("The task manager was shut down.")
        task = Task(
            self,
            fn,
            key=key,
            generation=self.generation(key) if key is not None else 0,
            on_success=on_success,
            on_failure=on_failure,
            on_item=on_item,
            on_progress=on_progress,
            on_finally=on_finally,
            name=name or getattr(fn, "__name__", "task"),
        )
        self._running.add(task)
        self._pool(lane).start(_Runnable(task))
        return task

    def forget(self, task: Task) -> None:
        self._running.discard(task)

    def running(self, key: str | None = None) -> list[Task]:
        return [t for t in self._running if key is None or t.key == key]

    def report_unhandled(self, task: Task, exc: BaseException) -> None:
        log.error(
            "background task %s failed: %s\n%s", task.name, exc, "\n".join(getattr(exc, "__notes__", ()))
        )
        self.sig_unhandled_error.emit(exc)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every pool is idle (tests, shutdown). Queued deliveries still need the event loop."""
        ok = True
        for pool in self._pools.values():
            ok = pool.waitForDone(timeout_ms) and ok
        return ok

    def wait_lanes(self, lanes: Iterable[str], timeout_ms: int = 30_000) -> bool:
        """Block until the given lanes are idle. Callable from a worker of another lane (a restore from backup
        waits there until no other task holds the library open)."""
        ok = True
        for lane in lanes:
            pool = self._pools.get(lane)
            if pool is not None:
                ok = pool.waitForDone(timeout_ms) and ok
        return ok

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel everything, run nothing new, and wait for the workers to return."""
        self._closed = True
        for key in list(self._generations) + [k for k in {t.key for t in self._running} if k]:
            self._generations[key] = self.generation(key) + 1
        for task in list(self._running):
            task.cancel()
        return self.wait(timeout_ms)
