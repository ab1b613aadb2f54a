"""Start-up and re-open benchmark for the reader window.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/startup.py [--runs 5]

1. **Start to a readable seeded article** (goal: ≤ 3× the baseline). Each run starts a fresh process and times,
   from just before the process is spawned, until the process reports that the seeded Persian article is
   painted in the reader (``main.py --exit-when-readable``: the library read, the document built, the reader's
   viewport repainted). The baseline, run alternately in the same session, is a bare PySide6 program: one
   QTextEdit showing the same article's text, timed to its first repaint in the same way. The library is
   seeded once beforehand (warm start); the first run of a fresh home (seeding included) is reported too.
2. **Re-open a fully cached 5,000-word article** (goal: < 50 ms to a full paint of both panes). In one process:
   a 5,000-word Persian article is imported, a tiny genuine Argos model is installed and every sentence is
   translated once, so the translation memory holds them all. Then, alternating with another document, the
   article is opened again through the real controller; the time runs from the open request until the reader has
   the document with every translation and has repainted its viewport. The GUI-thread part (building the
   document and painting) is reported separately.

3. **A 10,000-document library** (goal: ≤ 1.5× the 5-document start). The same start-to-readable timing as 1,
   with a home of the five seeds plus 10,000 generated documents (bench/search.py's generator: 4–10 paragraphs
   each, search-indexed, a tenth with indexed translations, every 200th with a note), alternated with the seeded
   5-document home. The large home is generated once into ``$XDG_CACHE_HOME/yanyana-bench/`` (outside the
   repository; ``--docs`` changes the size, the folder is keyed by it) and reused; each run opens it in place
   (``--exit-when-readable`` quits before the daily backup). Peak memory (maxrss, from ``wait4``) of both is
   reported. ``--only large`` runs this one alone.
4. With ``--bundle DIR`` (the folder ``make dist`` builds, e.g. ``dist/yanyana``): start to a readable seeded
   article from the frozen ``yanyana-window`` against the same from the venv (goal: bundle ≤ 1.2× venv), runs
   alternating in one session on one seeded home; only this measurement runs.

Prints medians and the ratios; exits 0 (speed goals are reported, not asserted).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERSIAN_SEED = ROOT / "seeds" / "001_16b6482d6bae7f5d.txt"

BARE = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QTextEdit
app = QApplication(sys.argv[:1])
edit = QTextEdit()
edit.setReadOnly(True)
edit.setPlainText(open(sys.argv[1], encoding="utf-8").read())
edit.resize(1280, 800)
edit.show()
def ready():
    edit.viewport().repaint()
    print("readable", flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``cmd`` until it prints its ``readable`` line."""
    return timed_rss(cmd, env)[0]


def _interleaved(first: list[str], second: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median start times of two commands, run in turn so that outside load falls on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        times[0].append(_timed(first, env))
        times[1].append(_timed(second, env))
    return statistics.median(times[0]), statistics.median(times[1])


def timed_rss(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds from spawning ``cmd`` until it prints its ``readable`` line, and its peak memory (maxrss, KiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    elapsed = None
    for line in proc.stdout:
        if line.startswith("readable"):
            elapsed = time.perf_counter() - start
            break
    for _line in proc.stdout:  # drain, so the child never blocks on a full pipe
        pass
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if elapsed is None:
        raise SystemExit(f"{cmd[1]} never reported a readable article (exit {proc.returncode})")
    return elapsed, int(usage.ru_maxrss)


def startup(runs: int) -> None:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="yanyana-bench-") as tmp:
        env["YANYANA_HOME"] = str(Path(tmp) / "home")
        # An installed application runs from compiled bytecode; so does the baseline (PySide6's own modules).
        # Let both processes write and use .pyc files, in a private cache folder (the tree stays clean).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        app_cmd = [sys.executable, str(ROOT / "main.py"), "--exit-when-readable"]
        bare_cmd = [sys.executable, "-c", BARE, str(PERSIAN_SEED)]
        first_run = _timed(app_cmd, env)  # a fresh home: the five seeds are imported first (bytecode written)
        _timed(bare_cmd, env)  # warm the file cache for both
        bare, app = _interleaved(bare_cmd, app_cmd, env, runs)
    print(f"start to a readable seeded article (median of {runs} runs)")
    print(f"  bare PySide6 window with one QTextEdit : {bare * 1000:7.0f} ms")
    print(f"  Yanyana (seeded library, warm start)   : {app * 1000:7.0f} ms")
    print(f"  Yanyana first run (seeds imported)     : {first_run * 1000:7.0f} ms")
    print(f"  ratio Yanyana / bare                   : {app / bare:7.2f}x   (goal <= 3x)")


def large_home(docs: int) -> Path:
    """A home of the five seeds plus ``docs`` generated documents, generated once into a cache folder outside
    the repository and reused (a ``complete`` marker says it was finished)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "yanyana-bench"
    home = cache / f"startup-{docs}" / "home"
    if (home.parent / "complete").exists():
        return home
    shutil.rmtree(home.parent, ignore_errors=True)
    home.mkdir(parents=True)
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    from reader.core.store.library import Library

    print(f"generating a library of {docs} documents into {home} (once)…", flush=True)
    with Library(home / "library.db") as library:  # the five seeds first, as in a real home
        generator.build(library, docs, random.Random(12))
    (home.parent / "complete").write_text(f"{docs}\n", encoding="utf-8")
    return home


def large_library(runs: int, docs: int) -> None:
    home = large_home(docs)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="yanyana-bench-") as tmp:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        small_env = dict(env, YANYANA_HOME=str(Path(tmp) / "home"))
        large_env = dict(env, YANYANA_HOME=str(home))
        app_cmd = [sys.executable, str(ROOT / "main.py"), "--exit-when-readable"]
        _timed(app_cmd, small_env)  # seeds imported, bytecode written
        _timed(app_cmd, large_env)  # the large file in the page cache
        small: list[tuple[float, int]] = []
        large: list[tuple[float, int]] = []
        for _ in range(runs):
            small.append(timed_rss(app_cmd, small_env))
            large.append(timed_rss(app_cmd, large_env))
    small_time = statistics.median(t for t, _ in small)
    large_time = statistics.median(t for t, _ in large)
    small_rss = statistics.median(r for _, r in small) / 1024
    large_rss = statistics.median(r for _, r in large) / 1024
    size = (home / "library.db").stat().st_size / 1e6
    print(f"start to a readable article, 5 vs {docs + 5} documents (median of {runs} runs)")
    label = f"{docs + 5} documents ({size:.0f} MB library)"
    print(f"  {'5 documents (seeds)':<38} : {small_time * 1000:7.0f} ms  {small_rss:6.0f} MiB peak")
    print(f"  {label:<38} : {large_time * 1000:7.0f} ms  {large_rss:6.0f} MiB peak")
    print(f"  {'ratio large / 5 documents':<38} : {large_time / small_time:7.2f}x   (goal <= 1.5x)")
    print(f"  {'memory growth':<38} : {large_rss - small_rss:7.0f} MiB")


def bundle_startup(bundle: Path, runs: int) -> None:
    """The frozen window against the venv's, to a readable seeded article (warm: both seeded, files cached)."""
    window = bundle / ("yanyana-window.exe" if sys.platform == "win32" else "yanyana-window")
    if not window.is_file():
        raise SystemExit(f"{window} does not exist: run `make dist` first")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="yanyana-bench-") as tmp:
        env["YANYANA_HOME"] = str(Path(tmp) / "home")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        venv_cmd = [sys.executable, str(ROOT / "main.py"), "--exit-when-readable"]
        frozen_cmd = [str(window), "--exit-when-readable"]
        frozen_first = _timed(frozen_cmd, env)  # seeds the home from the bundle's seeds
        _timed(venv_cmd, env)  # bytecode written, files cached
        venv, frozen = _interleaved(venv_cmd, frozen_cmd, env, runs)
    print(f"start to a readable seeded article, bundle vs venv (median of {runs} runs)")
    print(f"  venv   ({'python main.py':<24}): {venv * 1000:7.0f} ms")
    print(f"  bundle ({window.name:<24}): {frozen * 1000:7.0f} ms")
    print(f"  bundle first run (seeds imported)      : {frozen_first * 1000:7.0f} ms")
    print(f"  ratio bundle / venv                    : {frozen / venv:7.2f}x   (goal <= 1.2x)")


def _five_thousand_words() -> str:
    """A Persian article of about 5,000 words made of the seed's paragraphs, each made unique."""
    paragraphs = [p for p in PERSIAN_SEED.read_text(encoding="utf-8").splitlines() if p.strip()]
    out: list[str] = ["گزارش بلند آزمایشی"]
    words = 0
    n = 0
    while words < 5000:
        paragraph = f"{paragraphs[n % len(paragraphs)]} (بخش {n + 1})"
        out.append(paragraph)
        words += len(paragraph.split())
        n += 1
    return "\n\n".join(out) + "\n"


def reopen(runs: int) -> None:
    from PySide6.QtCore import QElapsedTimer

    with tempfile.TemporaryDirectory(prefix="yanyana-bench-") as tmp:
        os.environ["YANYANA_HOME"] = str(Path(tmp) / "home")
        from reader.core.store.library import Library
        from reader.translation import models
        from reader.ui.app import create_application, settings
        from reader.ui.main_window import MainWindow
        from tests.tiny_argos import build_package

        article = Path(tmp) / "long.txt"
        article.write_text(_five_thousand_words(), encoding="utf-8")
        with Library() as library:
            doc = library.import_file(article, lang="fa").document
            other = next(d.id for d in library.documents() if d.lang == "az")
            sentences = len(library.segments(doc.id))
        models.install_from_path(build_package(Path(tmp) / "pkg", "fa", "en"))

        app = create_application()
        window = MainWindow(settings(), save_settings=False)
        window.resize(1280, 800)
        window.show()
        window.start()
        wait_until(app, lambda: window.library_loaded)

        def open_and_wait(doc_id: int, translated: bool) -> None:
            window.open_document(doc_id)
            wait_until(
                app,
                lambda: (
                    window.reader.document is not None
                    and window.reader.document.doc_id == doc_id
                    and (not translated or window.controller.state == "translated")
                ),
                timeout=600,
            )

        started = time.perf_counter()
        open_and_wait(doc.id, translated=True)  # the first open translates everything (fills the memory)
        fill = time.perf_counter() - started
        words = len(window.reader.document.text.split()) if window.reader.document else 0

        gui_part: list[float] = []
        original_set = window.reader.set_document

        def timed_set_document(*args: object, **kwargs: object) -> None:
            clock = QElapsedTimer()
            clock.start()
            original_set(*args, **kwargs)  # type: ignore[arg-type]
            window.reader.text_view.viewport().repaint()
            gui_part.append(clock.nsecsElapsed() / 1e9)

        window.reader.set_document = timed_set_document  # type: ignore[method-assign]
        totals: list[float] = []
        gui_times: list[float] = []
        for _ in range(runs):
            open_and_wait(other, translated=False)
            gui_part.clear()
            start = time.perf_counter()
            window.open_document(doc.id)
            wait_until(
                app,
                lambda: (
                    window.reader.document is not None
                    and window.reader.document.doc_id == doc.id
                    and bool(gui_part)
                ),
            )
            totals.append(time.perf_counter() - start)
            gui_times.append(gui_part[0])
            assert len(window.reader.translations) == sentences, "not every sentence came from the cache"
            wait_until(app, lambda: window.controller.state == "translated")
        window.close()
    print(
        f"re-open a fully cached {words}-word article ({sentences} sentences; first translation took {fill:.1f} s)"
    )
    print(
        f"  open request to full paint of both panes : {statistics.median(totals) * 1000:7.1f} ms (goal < 50 ms)"
    )
    print(f"  of which GUI thread (build + paint)      : {statistics.median(gui_times) * 1000:7.1f} ms")


def wait_until(app: object, condition: object, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():  # type: ignore[operator]
        app.processEvents()  # type: ignore[attr-defined]
        if time.perf_counter() > deadline:
            raise SystemExit("timed out")
        time.sleep(0.0005)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--docs", type=int, default=10_000, help="generated documents of the large library")
    parser.add_argument(
        "--only", choices=("startup", "reopen", "large"), help="run one of the three benchmarks only"
    )
    parser.add_argument(
        "--bundle",
        type=Path,
        metavar="DIR",
        help="compare the frozen bundle in DIR with the venv (only that)",
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.bundle is not None:
        bundle_startup(args.bundle.resolve(), args.runs)
        return 0
    if args.only in (None, "startup"):
        startup(args.runs)
    if args.only in (None, "large"):
        large_library(args.runs, args.docs)
    if args.only in (None, "reopen"):
        reopen(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
