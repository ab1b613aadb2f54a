"""CLI commands for translation: ``models``, ``translate`` and ``cache``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from reader import paths
from reader.cli.common import EXIT_USER_ERROR, UserError, print_json


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


class Progress:
    """Progress on stderr: a one-line bar on a terminal, else (``plain``) a plain line now and then.

    With ``rate=True`` it shows sentences per second and the time left (ETA), counted from the first update
    (work already done when a run resumes is not counted as speed)."""

    PLAIN_EVERY = 2.0  # seconds between plain lines

    def __init__(self, label: str, total: int, *, plain: bool = False, rate: bool = False) -> None:
        self.label = label
        self.total = max(total, 1)
        self.enabled = sys.stderr.isatty()
        self.plain = plain and not self.enabled
        self.rate = rate
        self.last = 0.0
        self.started: float | None = None
        self.base = 0

    def _speed(self, done: int, now: float) -> str:
        if not self.rate or self.started is None:
            return ""
        elapsed = now - self.started
        speed = (done - self.base) / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / speed if speed > 0 else None
        eta = "?" if left is None else (f"{left:.0f} s" if left < 120 else f"{left / 60:.0f} min")
        return f", {speed:.1f} sentences/s, ETA {eta}"

    def start(self, done: int = 0) -> None:
        self.started = time.monotonic()
        self.base = done

    def update(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if self.started is None:
            self.start()
        if self.plain:
            if force or done >= self.total or self.last == 0.0 or now - self.last >= self.PLAIN_EVERY:
                self.last = now
                print(f"{self.label}: {done}/{self.total} sentences{self._speed(done, now)}", file=sys.stderr)
                sys.stderr.flush()
            return
        if not self.enabled:
            return
        if not force and now - self.last < 0.1 and done < self.total:
            return
        self.last = now
        width = 30
        filled = int(width * done / self.total)
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}"
            f"{self._speed(done, now)}\033[K"
        )
        sys.stderr.flush()

    def finish_line(self) -> None:
        """Clear the bar's line so a record printed now does not share it (redrawn on the next update)."""
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.last = 0.0

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


# --- models ------------------------------------------------------------------------------------------------


def _model_record(m: Any) -> dict[str, Any]:
    return {
        "from": m.from_code,
        "to": m.to_code,
        "version": m.version,
        "path": str(m.path),
        "code": m.code,
        "name": m.name,
        "size": m.size,
    }


def cmd_models_list(args: argparse.Namespace) -> int:
    from reader.translation import models

    installed, problems = models.list_installed_with_problems()
    for problem in problems:
        _warn(problem)
    if args.json:
        print_json([_model_record(m) for m in installed])
    else:
        if not installed:
            print("No translation models are installed. Install one with `yanyana models install FILE`.")
        for m in installed:
            print(f"{m.from_code}→{m.to_code}\t{m.version}\t{m.size // 1024} KiB\t{m.path}")
    return 0


def cmd_models_install(args: argparse.Namespace) -> int:
    from reader.translation import models

    for m in models.install_from_path(args.path):
        print(f"installed {m.from_code}→{m.to_code} {m.version}\t{m.path}")
    return 0


def cmd_models_remove(args: argparse.Namespace) -> int:
    from reader.translation import models

    m = models.remove(args.from_code, args.to_code)
    print(f"removed {m.from_code}→{m.to_code} {m.version}")
    return 0


def cmd_models_available(args: argparse.Namespace) -> int:
    from reader.translation import models

    available = models.available_packages(timeout=args.timeout)
    if args.json:
        print_json(available)
    else:
        for p in available:
            print(
                f"{p.get('from_code')}→{p.get('to_code')}\t{p.get('package_version', '')}\t{p.get('from_name', '')}"
            )
    return 0


def cmd_models_download(args: argparse.Namespace) -> int:
    from reader.translation import models

    bar = Progress(f"{args.from_code}→{args.to_code}", 1)

    def progress(done: int, total: int) -> None:
        bar.total = max(total, 1)
        bar.update(done)

    if args.to_folder:
        try:
            path = models.download_to_folder(
                args.from_code, args.to_code, Path(args.to_folder), progress=progress, timeout=args.timeout
            )
        finally:
            bar.finish()
        print(f"downloaded {args.from_code}→{args.to_code}\t{path}")
        return 0
    try:
        m = models.download(args.from_code, args.to_code, progress=progress, timeout=args.timeout)
    finally:
        bar.finish()
    print(f"installed {m.from_code}→{m.to_code} {m.version}\t{m.path}")
    return 0


# --- translate ---------------------------------------------------------------------------------------------


def cmd_translate(args: argparse.Namespace) -> int:
    from reader.core.store.library import Library
    from reader.languages import normalize_language_code
    from reader.translation.engine import DEFAULT_MAX_BATCH_TOKENS, Engine
    from reader.translation.models import ModelError
    from translations_cache import TranslationMemory

    lib = Library()
    lang = normalize_language_code(args.lang) if args.lang else None
    if args.all:
        doc_ids = [d.id for d in lib.documents() if lang is None or d.lang == lang]
    elif args.docs:
        doc_ids = [lib.get(d).id for d in args.docs]  # unknown ids fail before any work starts
        if lang is not None:
            doc_ids = [d for d in doc_ids if lib.get(d).lang == lang]
    else:
        raise UserError("Name the documents to translate, or use --all.")
    if args.batch_tokens is not None and args.batch_tokens < 1:
        raise UserError("--batch-tokens must be at least 1.")
    # The documents of one language pair go to the engine in ONE call, so its batches span documents: few large
    # batches are what makes CPU decoding fast (bench/translate.py). Paragraphs in another language inside
    # them go to their own model in the same call.
    groups: dict[str, list[Any]] = {}
    for doc_id in doc_ids:
        doc = lib.get(doc_id)
        if doc.lang == args.to:
            _warn(f"document {doc.id} is already in {args.to}; nothing to translate.")
            continue
        groups.setdefault(doc.lang, []).append(doc)
    memory = TranslationMemory(paths.translations_db())
    for warning in memory.warnings:
        _warn(warning)
    engine = Engine(memory=memory, max_batch_tokens=args.batch_tokens or DEFAULT_MAX_BATCH_TOKENS)
    failures = 0
    try:
        for from_code, docs in groups.items():
            try:
                route = engine.route(from_code, args.to)
            except ModelError as exc:  # no model for this pair: report it, keep going with the others
                print(f"error: {exc}", file=sys.stderr)
                failures += 1
                continue
            _translate_group(lib, engine, route, docs, args)
    finally:
        engine.close()
        memory.close()
    return EXIT_USER_ERROR if failures else 0


def _translate_group(lib: Any, engine: Any, route: Any, docs: list[Any], args: argparse.Namespace) -> None:
    """Translate the documents of one language pair in one engine call; print a record per document as soon as
    its last sentence is in (``seconds`` counts from the start of the call). What the memory already holds
    (an earlier, interrupted run) comes back first without a model call: a run resumes where one stopped."""
    from reader.core.store import search

    texts = [lib.segment_texts(doc.id) for doc in docs]
    doc_languages = [lib.segment_languages(doc.id) for doc in docs]
    flat = [t for doc_texts in texts for t in doc_texts]
    languages = [lang for langs in doc_languages for lang in langs]
    owner = [(k, i) for k, doc_texts in enumerate(texts) for i in range(len(doc_texts))]
    missing: list[dict[int, str]] = [{} for _ in docs]
    for index, reason in engine.untranslated(flat, route.from_code, args.to, languages=languages).items():
        k, i = owner[index]
        missing[k][i] = reason
    translated: list[dict[int, str]] = [{} for _ in docs]
    hits = [0] * len(docs)
    reported: set[int] = set()
    expected = len(flat) - sum(len(m) for m in missing)
    known = len(engine.cached(flat, route.from_code, args.to, languages=languages))
    label = f"{route.from_code}→{route.to_code}"
    bar = Progress(label, expected, plain=True, rate=True)
    if 0 < known < expected:
        print(f"{label}: resuming, {known} of {expected} sentences already translated", file=sys.stderr)
    started = time.perf_counter()

    def report(k: int) -> None:
        reported.add(k)
        doc, seconds = docs[k], time.perf_counter() - started
        done, total = len(translated[k]), len(texts[k])
        for warning in engine.warnings:
            _warn(warning)
        engine.warnings.clear()
        reasons = sorted(set(missing[k].values()))
        if reasons:
            _warn(f"document {doc.id}: {len(missing[k])} sentences left untranslated ({'; '.join(reasons)}).")
        if args.json:
            print_json(
                {
                    "document": doc.id,
                    "title": doc.title,
                    "from": doc.lang,
                    "to": args.to,
                    "model": route.model_id,
                    "segments": total,
                    "translated": done,
                    "cache_hits": hits[k],
                    "untranslated": len(missing[k]),
                    "seconds": round(seconds, 4),
                }
            )
        else:
            print(
                f"{doc.id}\t{doc.lang}→{args.to}\t{done}/{total} sentences ({hits[k]} from cache) in {seconds:.2f} s\t{doc.title}"
            )
        sys.stdout.flush()

    def complete(k: int) -> bool:
        return len(translated[k]) + len(missing[k]) >= len(texts[k])

    count = 0
    try:
        for k in range(len(docs)):
            if complete(k):
                report(k)
        bar.start()
        for result in engine.translate(flat, route.from_code, args.to, languages=languages):
            k, i = owner[result.index]
            translated[k][i] = result.text
            hits[k] += int(result.cached)
            count += 1
            if result.cached:
                bar.start(count)  # the speed counts model work only
            bar.update(count)
            if complete(k) and k not in reported:
                bar.finish_line()
                report(k)
        for k in range(len(docs)):
            if k not in reported:
                report(k)
    finally:
        bar.finish()
        # what was translated is searchable, even when the run was interrupted
        for k, doc in enumerate(docs):
            search.index_translations(lib, doc.id, translated[k], route.model_id, lang=args.to)


# --- cache -------------------------------------------------------------------------------------------------


def _memory() -> Any:
    from translations_cache import TranslationMemory

    memory = TranslationMemory(paths.translations_db())
    for warning in memory.warnings:
        _warn(warning)
    return memory


def cmd_cache_stats(args: argparse.Namespace) -> int:
    memory = _memory()
    try:
        stats = memory.stats()
    finally:
        memory.close()
    if args.json:
        print_json(stats)
    else:
        print(f"{stats['entries']} sentences, {stats['bytes'] // 1024} KiB\t{stats.get('path', '')}")
        for pair in stats.get("pairs", []):
            print(f"  {pair['from']}→{pair['to']}\t{pair['model']}\t{pair['entries']}")
    return 0


def cmd_cache_export(args: argparse.Namespace) -> int:
    memory = _memory()
    try:
        count = memory.export_tmx(args.path, args.from_code, args.to_code)
    finally:
        memory.close()
    print(f"wrote {count} translation units to {args.path}")
    return 0


def cmd_cache_import(args: argparse.Namespace) -> int:
    from reader.translation.memory_import import import_tmx

    library = None
    if args.as_corrections:
        from reader.core.store.library import Library

        library = Library()
    memory = _memory()
    try:
        summary = import_tmx(
            args.path, memory, model=args.model, as_corrections=args.as_corrections, library=library
        )
    finally:
        memory.close()
        if library is not None:
            library.close()
    if args.json:
        print_json(summary.record())
    else:
        print(
            f"added {summary.added}, skipped {len(summary.skipped)}, refused {len(summary.refused)}"
            + (f", {summary.corrections} corrections" if args.as_corrections else "")
        )
        for number, reason in summary.refused:
            print(f"refused unit {number}: {reason}")
        for number, reason in summary.skipped:
            print(f"skipped unit {number}: {reason}")
    return 0


def cmd_cache_clear(args: argparse.Namespace) -> int:
    memory = _memory()
    try:
        memory.clear()
    finally:
        memory.close()
    print("translation cache cleared")
    return 0


def register(sub: Any) -> None:
    models = sub.add_parser("models", help="manage offline translation models (Argos packages)")
    msub = models.add_subparsers(dest="models_command", metavar="ACTION")
    msub.required = True
    p = msub.add_parser("list", help="installed models")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_models_list)
    p = msub.add_parser("install", help="install an .argosmodel file or a folder of them (no network)")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=cmd_models_install)
    p = msub.add_parser("remove", help="remove the model for a language pair")
    p.add_argument("from_code", metavar="FROM")
    p.add_argument("to_code", metavar="TO")
    p.set_defaults(func=cmd_models_remove)
    p = msub.add_parser("available", help="models in the Argos index (uses the network)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--timeout", type=float, default=15.0)
    p.set_defaults(func=cmd_models_available)
    p = msub.add_parser(
        "download",
        help="download and install a model, or only download it with --to-folder (uses the network)",
    )
    p.add_argument("from_code", metavar="FROM")
    p.add_argument("to_code", metavar="TO")
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument(
        "--to-folder",
        metavar="DIR",
        help="only download the .argosmodel into DIR (e.g. a USB stick for an offline machine); do not install",
    )
    p.set_defaults(func=cmd_models_download)

    p = sub.add_parser("translate", help="translate documents into the cache")
    p.add_argument("docs", nargs="*", metavar="DOC")
    p.add_argument("--all", action="store_true", help="every document in the library")
    p.add_argument("--to", default="en", metavar="CODE")
    p.add_argument("--lang", metavar="CODE", help="only documents in this language")
    p.add_argument(
        "--batch-tokens", type=int, metavar="N", help="tokens per model call (default: the engine's 4096)"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per document")
    p.set_defaults(func=cmd_translate)

    cache = sub.add_parser("cache", help="the translation memory")
    csub = cache.add_subparsers(dest="cache_command", metavar="ACTION")
    csub.required = True
    p = csub.add_parser("stats")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_cache_stats)
    p = csub.add_parser("export-tmx", help="write the memory as TMX 1.4b")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--from", dest="from_code", metavar="CODE")
    p.add_argument("--to", dest="to_code", metavar="CODE")
    p.set_defaults(func=cmd_cache_export)
    p = csub.add_parser("import-tmx", help="load a TMX file into the memory (validated unit by unit)")
    p.add_argument("path", metavar="FILE")
    p.add_argument(
        "--model", metavar="ID", help="the model that made the translations (else each unit's x-model)"
    )
    p.add_argument(
        "--as-corrections", action="store_true", help="human units become corrections of matching sentences"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_cache_import)
    p = csub.add_parser("clear")
    p.set_defaults(func=cmd_cache_clear)
