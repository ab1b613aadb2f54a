"""Opening a 50 MB document in the reader window (issue 12, item 7, window side).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/large_document.py [--runs 3] [--mb 48]

A Persian text of about 48 MB is made from the seed's paragraphs (each made unique, so the memory and search
hold distinct sentences), imported once into a home under ``$XDG_CACHE_HOME/yanyana-bench/large-document-<mb>/``
(outside the repository; a ``complete`` marker says it was finished) with a tiny genuine fa→en model installed,
so opening it finds a route and asks the translation memory what it knows, as a real reader would.

Each run starts a fresh process (``main.py --exit-when-readable ID``) and times from spawning it until it reports
the document painted in the reader, with its peak memory (maxrss from ``wait4``). The same is timed for the
seeded 5-document home opening the Persian seed, alternately. ``--profile`` runs the open in-process once and
prints where the time goes (library reads, building the document, the cache lookup, the first paint).

Prints medians; exits 0 (the goal, < 2 s to readable, is reported, not asserted).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from startup import timed_rss  # noqa: E402  (bench/startup.py, beside this file: the same start-up timing)

PERSIAN_SEED = ROOT / "seeds" / "001_16b6482d6bae7f5d.txt"


def large_text(megabytes: float) -> str:
    """About ``megabytes`` MB (UTF-8) of Persian made of the seed's paragraphs, each made unique."""
    paragraphs = [p for p in PERSIAN_SEED.read_text(encoding="utf-8").splitlines() if p.strip()]
    target = int(megabytes * 1_000_000)
    out: list[str] = ["گزارش بسیار بلند آزمایشی"]
    size = 0
    n = 0
    while size < target:
        paragraph = f"{paragraphs[n % len(paragraphs)]} (بخش {n + 1})"
        out.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        n += 1
    return "\n\n".join(out) + "\n"


def large_home(megabytes: float) -> tuple[Path, int]:
    """A home holding the seeds, the large document and a tiny fa→en model; made once, reused."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "yanyana-bench"
    folder = cache / f"large-document-{megabytes:g}"
    home = folder / "home"
    marker = folder / "complete"
    if marker.exists():
        return home, int(marker.read_text(encoding="utf-8").split()[0])
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    home.mkdir(parents=True)
    os.environ["YANYANA_HOME"] = str(home)
    from reader.core.store.library import Library
    from reader.translation import models
    from tests.tiny_argos import build_package

    article = folder / "large.txt"
    article.write_text(large_text(megabytes), encoding="utf-8")
    print(f"importing {article.stat().st_size / 1e6:.1f} MB into {home} (once)…", flush=True)
    started = time.perf_counter()
    with Library() as library:
        doc_id = library.import_file(article, lang="fa").document.id
    print(f"  imported in {time.perf_counter() - started:.0f} s", flush=True)
    models.install_from_path(build_package(folder / "pkg", "fa", "en"))
    article.unlink()
    marker.write_text(f"{doc_id}\n", encoding="utf-8")
    return home, doc_id


def open_in_window(runs: int, megabytes: float) -> None:
    home, doc_id = large_home(megabytes)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="yanyana-bench-") as tmp:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        small_env = dict(env, YANYANA_HOME=str(Path(tmp) / "home"))
        large_env = dict(env, YANYANA_HOME=str(home))
        app = [sys.executable, str(ROOT / "main.py"), "--exit-when-readable"]
        timed_rss(app, small_env)  # seeds imported, bytecode written
        timed_rss([*app, str(doc_id)], large_env)  # the large file in the page cache
        small: list[tuple[float, int]] = []
        large: list[tuple[float, int]] = []
        for _ in range(runs):
            small.append(timed_rss(app, small_env))
            large.append(timed_rss([*app, str(doc_id)], large_env))
    small_time = statistics.median(t for t, _ in small)
    large_time = statistics.median(t for t, _ in large)
    small_rss = statistics.median(r for _, r in small) / 1024
    large_rss = statistics.median(r for _, r in large) / 1024
    print(f"start to a readable document (median of {runs} runs)")
    print(
        f"  {'the Persian seed (5-document home)':<38} : {small_time * 1000:7.0f} ms  {small_rss:6.0f} MiB peak"
    )
    print(
        f"  {f'a {megabytes:g} MB Persian document':<38} : {large_time * 1000:7.0f} ms  {large_rss:6.0f} MiB peak"
    )
    print(
        f"  {'difference':<38} : {(large_time - small_time) * 1000:7.0f} ms  {large_rss - small_rss:6.0f} MiB"
    )


def profile(megabytes: float) -> None:
    """Where the time goes: one open through the controller's worker function, then the GUI side."""
    home, doc_id = large_home(megabytes)
    os.environ["YANYANA_HOME"] = str(home)
    import resource

    from reader.ui.app import create_application
    from reader.ui.controller import default_engine_factory, load_document
    from reader.ui.reader import ReaderView
    from translations_cache import TranslationMemory

    def peak() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    app = create_application()
    memory = TranslationMemory(home / "translations.db")
    started = time.perf_counter()
    loaded = load_document(doc_id, "en", default_engine_factory, memory)
    worker = time.perf_counter() - started
    doc = loaded.document
    print(f"one open of document {doc_id}: {len(doc.paragraphs)} paragraphs, {len(doc.sentences)} sentences")
    print(
        f"  worker: library reads, document, first cache page : {worker * 1000:7.0f} ms  {peak():6.0f} MiB peak"
    )
    view = ReaderView()
    view.resize(1280, 800)
    view.show()
    app.processEvents()
    started = time.perf_counter()
    view.set_document(doc, loaded.cached)
    view.text_view.viewport().repaint()
    gui = time.perf_counter() - started
    print(
        f"  GUI thread: set_document and first paint          : {gui * 1000:7.0f} ms  {peak():6.0f} MiB peak"
    )
    started = time.perf_counter()
    order = view.translation_order()
    print(
        f"  translation order (every sentence)                : {(time.perf_counter() - started) * 1000:7.0f} ms"
    )
    del order
    memory.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mb", type=float, default=48.0, help="size of the generated document (MB, UTF-8)")
    parser.add_argument("--profile", action="store_true", help="also time the stages of one open in-process")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    open_in_window(args.runs, args.mb)
    if args.profile:
        profile(args.mb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
