"""The task helper: work off the GUI thread, callbacks on it, stale results dropped, lanes serial."""

from __future__ import annotations

import threading
import time

import pytest
from pytestqt.qtbot import QtBot

from reader.ui.tasks import TaskContext, TaskManager


@pytest.fixture
def tasks(qtbot: QtBot) -> TaskManager:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def test_work_runs_off_the_gui_thread_and_callbacks_on_it(qtbot: QtBot, tasks: TaskManager) -> None:
    gui = threading.get_ident()
    seen: dict[str, object] = {"items": [], "progress": []}

    def work(ctx: TaskContext) -> int:
        seen["worker"] = threading.get_ident()
        for i in range(3):
            ctx.item(i)
            ctx.progress(i + 1, 3)
        return 42

    def on_item(value: object) -> None:
        assert threading.get_ident() == gui
        seen["items"].append(value)  # type: ignore[union-attr]

    def on_success(value: object) -> None:
        assert threading.get_ident() == gui
        seen["result"] = value

    task = tasks.run(
        work,
        on_success=on_success,
        on_item=on_item,
        on_progress=lambda d, t, _x: seen["progress"].append((d, t)),  # type: ignore[union-attr]
    )
    qtbot.waitUntil(lambda: not task.running, timeout=5000)
    assert seen["worker"] != gui
    assert seen["items"] == [0, 1, 2]
    assert seen["progress"] == [(1, 3), (2, 3), (3, 3)]
    assert seen["result"] == 42


def test_failure_reaches_on_failure_with_the_exception(qtbot: QtBot, tasks: TaskManager) -> None:
    failures: list[BaseException] = []

    def work(_ctx: TaskContext) -> None:
        raise ValueError("That file is not an article.")

    task = tasks.run(work, on_success=lambda _v: pytest.fail("no success"), on_failure=failures.append)
    qtbot.waitUntil(lambda: not task.running, timeout=5000)
    assert [str(e) for e in failures] == ["That file is not an article."]


def test_unhandled_failure_is_reported_by_signal(qtbot: QtBot, tasks: TaskManager) -> None:
    def work(_ctx: TaskContext) -> None:
        raise RuntimeError("boom")

    with qtbot.waitSignal(tasks.sig_unhandled_error, timeout=5000) as blocker:
        tasks.run(work)
    assert str(blocker.args[0]) == "boom"


def test_invalidated_key_drops_results_and_cancels(qtbot: QtBot, tasks: TaskManager) -> None:
    started = threading.Event()
    delivered: list[object] = []

    def work(ctx: TaskContext) -> str:
        started.set()
        while not ctx.cancelled:
            time.sleep(0.005)
        ctx.item("late item")
        return "late result"

    task = tasks.run(work, key="document", on_success=delivered.append, on_item=delivered.append)
    assert started.wait(5)
    tasks.invalidate("document")
    qtbot.waitUntil(lambda: not task.running, timeout=5000)
    assert task.cancel_event.is_set()
    assert task.outcome == (True, "late result")  # it finished...
    assert delivered == []  # ...but nothing reached the callbacks


def test_a_new_task_after_invalidate_is_delivered(qtbot: QtBot, tasks: TaskManager) -> None:
    tasks.invalidate("document")
    got: list[object] = []
    task = tasks.run(lambda _ctx: "fresh", key="document", on_success=got.append)
    qtbot.waitUntil(lambda: not task.running, timeout=5000)
    assert got == ["fresh"]


def test_a_lane_runs_its_tasks_in_order_on_one_thread(qtbot: QtBot, tasks: TaskManager) -> None:
    threads: list[int] = []
    order: list[int] = []

    def make(n: int):
        def work(_ctx: TaskContext) -> int:
            threads.append(threading.get_ident())
            time.sleep(0.01 * (3 - n))  # earlier tasks are slower: a pool would reorder them
            order.append(n)
            return n

        return work

    handles = [tasks.run(make(n), lane="translation") for n in range(3)]
    qtbot.waitUntil(lambda: not any(h.running for h in handles), timeout=5000)
    assert order == [0, 1, 2]
    assert len(set(threads)) == 1
    assert tasks.lane_local("translation") is tasks.lane_local("translation")


# --- resources on a lane -----------------------------------------------------------------------------------


class _Resource:
    """Remembers the thread it was opened on and the one it was closed on."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()
        self.closed_on: int | None = None


def test_a_lane_resource_is_opened_once_on_its_lane_and_handed_to_each_operation(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    opened: list[_Resource] = []

    def opener() -> _Resource:
        resource = _Resource()
        opened.append(resource)
        return resource

    def closer(resource: _Resource) -> None:
        resource.closed_on = threading.get_ident()

    lane = tasks.resource("store", opener, closer)
    assert tasks.resource("store", lambda: pytest.fail("a second opener"), closer) is lane
    gui = threading.get_ident()
    results: list[tuple[int, int, bool]] = []

    def op(n: int) -> object:
        def work(resource: _Resource) -> tuple[int, int]:
            assert threading.get_ident() == resource.thread != gui
            return n, id(resource)

        return work

    for n in range(3):
        lane.run(op(n), lambda r: results.append((*r, threading.get_ident() == gui)))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: len(results) == 3, timeout=5000)
    assert [n for n, _r, _g in results] == [0, 1, 2]  # in submission order
    assert all(on_gui for _n, _r, on_gui in results)  # callbacks on the GUI thread
    assert len(opened) == 1 and {r for _n, r, _g in results} == {id(opened[0])}

    lane.close()  # closed on its own thread, after what was queued
    qtbot.waitUntil(lambda: opened[0].closed_on is not None, timeout=5000)
    assert opened[0].closed_on == opened[0].thread

    again: list[int] = []
    lane.run(lambda resource: id(resource), again.append)
    qtbot.waitUntil(lambda: bool(again), timeout=5000)
    assert len(opened) == 2 and again == [id(opened[1])]  # used after closing: opened afresh


def test_a_lane_resource_failure_reaches_on_failure(qtbot: QtBot, tasks: TaskManager) -> None:
    failures: list[BaseException] = []

    def opener() -> object:
        raise OSError("The library folder is read-only.")

    tasks.resource("broken", opener, lambda _r: None).run(
        lambda r: r, lambda _v: pytest.fail("no"), failures.append
    )
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert str(failures[0]) == "The library folder is read-only."


def test_the_default_lane_cannot_own_a_resource(tasks: TaskManager) -> None:
    with pytest.raises(ValueError, match="Only a named lane"):
        tasks.resource("default", object, lambda _r: None)
