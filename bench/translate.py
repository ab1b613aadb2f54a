"""Translation benchmark: Yanyana's engine against Argos Translate's own paragraph path, on every seed sentence.

    .venv/bin/python bench/translate.py [--repeat 3] [--width 512] [--layers 6] [--extra] [--keep DIR]

A tiny Argos package with random weights but a realistic shape (Transformer-base: 6+6 layers, width 512, FFN
2048, 8 heads, a 32,000-entry output layer; SentencePiece trained on all seed texts), **stored as int8** as real
Argos packages are, is built in a temporary folder by ``tests/tiny_argos.py`` and installed into a temporary
``YANYANA_HOME``. Its ``</s>`` logit ramps with the decoding step (``eos_ramp``), so every sentence decodes to
~25-30 tokens instead of stopping at once or looping to the 256-token limit as random weights otherwise do. All
five seed articles are segmented with :func:`reader.core.text.segmenting.segment` and translated with this one
fa→en model (only the timing matters). In one run, with no network:

(a) **our engine, cold, default compute type** (the package's own: int8) — a fresh engine and memory per
    repeat, one ``translate`` call over all the sentences as ``yanyana translate --all`` makes it; the model
    load is included;
(b) **Argos's paragraph path** at the same compute type (Argos's ``auto``: int8), re-implemented from
    argostranslate 1.11 ``translate.py`` without importing ``argostranslate.translate``: per paragraph ONE
    ``translate_batch`` call with Argos's options and settings; our segmenter stands in for its sentencizer;
(c) **one raw ``translate_batch``** over every distinct sentence, engine settings — the limit;
(d) **the cache-hit re-run** of the Persian seed: no model call may happen;
(e) **the engine in float32 mode** (``YANYANA_COMPUTE_TYPE=float32``), cold like (a);
(f) **memory**, each mode in a fresh process: resident memory growth when the model is loaded against the
    model's size on disk, and the peak (VmHWM) while translating every sentence;
(g) **int8 batched vs alone**: how many distinct sentences come out differently from one padded int8 batch
    than decoded alone, on this machine's CPU (a figure, not an assertion; 0 on AVX-512 VNNI CPUs).

Timings are medians of ``--repeat`` rounds, a round running (a), (b), (c) and (e) in turn so that outside load
hits all alike. Goals (issue 14): (b)/(a) >= 5, (c)/(a) >= 0.9, (d) < 20 ms, memory growth <= 1.3x the model on
disk. ``--extra`` adds Argos's path with ARGOS_BATCH_SIZE 1024 and the engine with one call per document.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.core.text.segmenting import segment  # noqa: E402
from tests.tiny_argos import SEED_FILES, SEEDS, build_package_dir, seed_text  # noqa: E402

GOAL_ARGOS_RATIO = (
    5.0  # (b)/(a): our engine at least 5x faster than Argos's paragraph path (same compute type)
)
GOAL_MEMORY_RATIO = 1.3  # (f): resident growth after loading <= 1.3x the model's size on disk
GOAL_LIMIT_FRACTION = 0.9  # (c)/(a): our engine within 90 % of one raw translate_batch
GOAL_CACHE_MS = 20.0  # (d): the Persian seed again from the translation memory
LENGTH_PENALTY = 0.2  # Argos's value in apply_packaged_translation


@dataclass
class Document:
    name: str
    lang: str
    text: str
    sentences: list[str]  # the segments' texts, as the library stores them
    paragraphs: list[list[str]] = field(default_factory=list)  # per text.split("\n") line: its sentences


def load_documents() -> list[Document]:
    """Every seed article, segmented by Yanyana's segmenter in its language."""
    documents = []
    for lang, names in SEED_FILES.items():
        if lang == "en":
            continue
        for name in names:
            text = (SEEDS / name).read_text(encoding="utf-8")
            spans = [(s.start, s.end) for s in segment(text, lang)]
            paragraphs: list[list[str]] = []
            offset = 0
            for line in text.split("\n"):  # Argos's ITranslation.split_into_paragraphs
                end = offset + len(line)
                pieces = [
                    text[max(a, offset) : min(b, end)].strip() for a, b in spans if a < end and b > offset
                ]
                paragraphs.append([p for p in pieces if p])
                offset = end + 1
            documents.append(Document(name, lang, text, [text[a:b] for a, b in spans], paragraphs))
    return documents


def zip_stored(folder: Path, archive: Path) -> Path:
    """Zip a package folder as an ``.argosmodel`` without compression: random weights don't compress, and
    deflating 250 MB of them takes longer than the benchmark's slowest measurement."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.write(folder, folder.name + "/")
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder.parent).as_posix()
            zf.write(path, name + ("/" if path.is_dir() else ""))
    return archive


def median_time(function: Callable[[], object], repeat: int) -> tuple[float, list[float], object]:
    times = []
    result: object = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def argos_translate_document(translator: Any, pkg: Any, settings: Any, document: Document) -> str:
    """argostranslate 1.11 ``translate.PackageTranslation.hypotheses`` + ``apply_packaged_translation``.

    (``argostranslate/translate.py`` lines 186-224 and 428-540 in 1.11.0.)

    With ``num_hypotheses=1`` (what ``ITranslation.translate`` asks for) and our segmenter's sentences in place
    of ``sentencizer.split_sentences(paragraph)`` (an empty paragraph gets no sentence and an empty
    ``translate_batch``, which costs nothing). Everything else line for line: tokenize each sentence, one
    ``translate_batch`` per paragraph, concatenate the hypotheses' tokens, decode, drop the target prefix and
    one leading space, join the paragraphs with ``\\n`` and strip leading newlines.
    """
    num_hypotheses = 1
    combined = ""
    for sentences in document.paragraphs:
        tokenized = [pkg.tokenizer.encode(sentence) for sentence in sentences]
        target_prefix = None
        if pkg.target_prefix != "":
            target_prefix = [[pkg.target_prefix]] * len(tokenized)
        translated_batches = translator.translate_batch(
            tokenized,
            target_prefix=target_prefix,
            replace_unknowns=True,
            max_batch_size=settings.batch_size,
            batch_type="tokens",
            beam_size=max(num_hypotheses, settings.beam_size),
            num_hypotheses=num_hypotheses,
            length_penalty=LENGTH_PENALTY,
            return_scores=True,
        )
        translated_tokens: list[str] = []
        for translated_batch in translated_batches:
            translated_tokens.extend(translated_batch.hypotheses[0])
        value = pkg.tokenizer.decode(translated_tokens)
        if pkg.target_prefix != "" and value.startswith(pkg.target_prefix):
            value = value[len(pkg.target_prefix) :]
        if len(value) > 0 and value[0] == " ":
            value = value[1:]
        combined = "\n".join([combined, value])
    return combined.lstrip("\n")


def engine_pieces(documents: Sequence[Document]) -> list[str]:
    """The distinct texts the engine sends to the model: non-blank lines of segments that have a letter."""
    from reader.translation.engine import is_passthrough

    pieces: dict[str, None] = {}
    for document in documents:
        for sentence in document.sentences:
            if is_passthrough(sentence):
                continue
            for line in sentence.split("\n"):
                if line.strip():
                    pieces[line] = None
    return list(pieces)


_MEMORY_CHILD = """
import json, sys
sys.path.insert(0, {root!r})
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0
import ctranslate2, sentencepiece
from reader.translation.engine import Engine
from reader.translation import models
engine = Engine(compute_type={compute_type!r})
route = engine.route("fa", "en")
models.open_package(route.steps[0])
before = status("VmRSS")
loaded = engine._load(route.steps[0])
after = status("VmRSS")
engine._release([loaded])
sentences = json.loads(sys.stdin.read())
for _ in engine.translate(sentences, "fa", "en"):
    pass
print(json.dumps({{"growth": after - before, "peak": status("VmHWM"), "computed": loaded.compute_type}}))
"""


def measure_memory(home: Path, sentences: list[str], compute_type: str) -> tuple[int, int, str]:
    """In a fresh process: resident growth when the model loads, and the peak while translating."""
    import json
    import subprocess

    script = _MEMORY_CHILD.format(root=str(ROOT), compute_type=compute_type)
    env = dict(os.environ, YANYANA_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(sentences),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return int(data["growth"]), int(data["peak"]), str(data["computed"])


def load_average() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement (median)")
    parser.add_argument("--layers", type=int, default=6, help="encoder and decoder layers each")
    parser.add_argument("--width", type=int, default=512, help="model width (d_model)")
    parser.add_argument("--ffn", type=int, default=2048)
    parser.add_argument("--heads", type=int, default=8)
    parser.add_argument("--vocab", type=int, default=32000, help="output layer size (padded vocabulary)")
    parser.add_argument("--eos-ramp", type=float, default=0.4, help="length control (see tiny_argos)")
    parser.add_argument(
        "--extra",
        action="store_true",
        help="also time the engine with one call per document and Argos with ARGOS_BATCH_SIZE 1024",
    )
    parser.add_argument("--keep", type=Path, help="build into DIR and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)
    began = time.perf_counter()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="yanyana-bench-translate-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        return run(args, repeat, workdir, began)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, repeat: int, workdir: Path, began: float) -> int:
    home = workdir / "home"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    # before argostranslate is imported: reader.translation.models points ARGOS_PACKAGES_DIR into it
    os.environ["YANYANA_HOME"] = str(home)

    import ctranslate2

    from reader.translation import models
    from reader.translation.engine import Engine
    from translations_cache import TranslationMemory

    documents = load_documents()
    persian = next(d for d in documents if d.lang == "fa")
    all_sentences = [s for d in documents for s in d.sentences]

    # ------------------------------------------------------------------ the model
    started = time.perf_counter()
    folder = build_package_dir(
        workdir / "build",
        "fa",
        "en",
        texts=[seed_text(lang) for lang in SEED_FILES],
        vocab_size=4000,  # as many pieces as the seed texts yield (~1,200): word-sized tokens
        pad_vocab_to=args.vocab,
        layers=(args.layers, args.layers),
        d_model=args.width,
        ffn=args.ffn,
        heads=args.heads,
        rng_seed=7,
        eos_bias=-2.0,
        eos_ramp=args.eos_ramp,
        quantization="int8",
    )
    archive = zip_stored(folder, workdir / f"{folder.name}.argosmodel")
    shutil.rmtree(folder)
    model = models.install_from_path(archive)[0]
    if args.keep is None:
        archive.unlink()  # 250 MB of random weights, already extracted into the models folder
    build_seconds = time.perf_counter() - started
    model_dir = str(model.path / "model")

    pkg = models.open_package(model)  # argostranslate.package.Package: Argos's own tokenizer and metadata
    import argostranslate.settings as argos_settings  # already imported by models, ARGOS_PACKAGES_DIR set

    probe = Engine(memory=None)
    engine_settings = {
        "device": probe.device,
        "compute_type": probe.compute_type,
        "inter_threads": probe.inter_threads,
        "intra_threads": probe.intra_threads,
    }
    beam_size = probe.beam_size
    argos_translator_args = {
        "device": argos_settings.device,
        "inter_threads": argos_settings.inter_threads,
        "intra_threads": argos_settings.intra_threads,
        "compute_type": argos_settings.compute_type,
    }

    pieces = engine_pieces(documents)
    sentence_count = sum(len(d.sentences) for d in documents)
    source_tokens = [len(pkg.tokenizer.encode(p)) for p in pieces]
    print(
        f"model: {args.layers}+{args.layers} layers, width {args.width}, ffn {args.ffn}, {args.heads} heads, "
        f"output vocabulary {args.vocab}; built and installed in {build_seconds:.1f} s"
    )
    print(
        f"input: {len(documents)} seed articles, {sentence_count} segments, {len(pieces)} distinct texts for "
        f"the model; source tokens median {statistics.median(source_tokens):.0f}, max {max(source_tokens)}, "
        f"total {sum(source_tokens)}"
    )
    print(
        f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, ctranslate2 "
        f"{ctranslate2.__version__}; repeats: {repeat} (median); load average {load_average()}"
    )
    print(
        f"engine translator: {engine_settings}, beam {beam_size}, max_batch_tokens {probe.max_batch_tokens}\n"
        f"Argos translator:  {argos_translator_args}, ARGOS_BATCH_SIZE {argos_settings.batch_size} tokens, "
        f"beam {argos_settings.beam_size}"
    )
    print()

    # ------------------------------------------------------------------ model load alone
    def load_engine_translator() -> Any:
        return ctranslate2.Translator(model_dir, **engine_settings)

    def load_argos_translator() -> Any:
        return ctranslate2.Translator(model_dir, **argos_translator_args)

    load_engine, _, _ = median_time(load_engine_translator, repeat)
    load_argos, _, argos_translator = median_time(load_argos_translator, repeat)
    raw_translator = load_engine_translator()
    print(
        f"Argos translator compute type: {argos_translator.compute_type} "  # type: ignore[attr-defined]
        f"(engine: {raw_translator.compute_type})"
    )

    # ------------------------------------------------------------------ the three paths, one run each
    def engine_cold(
        tag: str, compute_type: str | None = None, per_document: bool = True
    ) -> tuple[float, float, dict[str, str], Engine, TranslationMemory]:
        """(a): one cold run over all documents (new memory, new engine, so the model is loaded again);
        returns seconds, seconds to the first result, the outputs, and the engine and memory, still open."""
        calls = [d.sentences for d in documents] if per_document else [all_sentences]
        outputs: dict[str, str] = {}
        started = time.perf_counter()
        memory = TranslationMemory(home / f"translations-{tag}-{time.monotonic_ns()}.db")
        engine = Engine(memory=memory, compute_type=compute_type)
        first: float | None = None
        for sentences in calls:
            for result in engine.translate(sentences, "fa", "en"):
                if first is None:
                    first = time.perf_counter() - started
                outputs[sentences[result.index]] = result.text
        seconds = time.perf_counter() - started
        if engine.warnings or memory.warnings:
            print("warnings:", engine.warnings, memory.warnings)
        return seconds, first or 0.0, outputs, engine, memory

    def argos_path(translator: Any, settings: Any) -> list[str]:
        """(b): every document as argostranslate's ``PackageTranslation.translate`` would do it."""
        return [argos_translate_document(translator, pkg, settings, d) for d in documents]

    prefix = pkg.target_prefix

    def raw_batch() -> list[str]:
        """(c): every distinct text in one ``translate_batch`` call, Argos's options and detokenisation."""
        tokens = [pkg.tokenizer.encode(p) for p in pieces]
        results = raw_translator.translate_batch(
            tokens,
            target_prefix=[[prefix]] * len(tokens) if prefix != "" else None,
            replace_unknowns=True,
            max_batch_size=0,  # no rebatching: every sentence in one batch
            beam_size=beam_size,
            num_hypotheses=1,
            length_penalty=LENGTH_PENALTY,
            return_scores=True,
        )
        outputs = []
        for result in results:
            value = pkg.tokenizer.decode(result.hypotheses[0])
            if prefix != "" and value.startswith(prefix):
                value = value[len(prefix) :]
            outputs.append(value[1:] if value.startswith(" ") else value)
        return outputs

    # warm-ups for the warm paths (one paragraph, one sentence); (a) gets none on purpose
    warm_up = Document("warm-up", "fa", "", [], [next(p for p in persian.paragraphs if p)])
    argos_translate_document(argos_translator, pkg, argos_settings, warm_up)
    raw_translator.translate_batch([pkg.tokenizer.encode(pieces[0])], beam_size=beam_size)

    # Rounds of (a), (b), (c) in turn, so that a burst of outside load spreads over all three.
    runs_a: list[float] = []
    first_results: list[float] = []
    runs_b: list[float] = []
    runs_c: list[float] = []
    runs_e: list[float] = []
    float32_outputs: dict[str, str] = {}
    engine: Engine | None = None
    memory: TranslationMemory | None = None
    engine_outputs: dict[str, str] = {}
    argos_outputs: list[str] = []
    raw_outputs: list[str] = []
    for round_index in range(repeat):
        if engine is not None and memory is not None:
            engine.close()
            memory.close()
        # one call for all, as `yanyana translate --all` makes it for the documents of one language pair
        seconds, first, engine_outputs, engine, memory = engine_cold("a", per_document=False)
        runs_a.append(seconds)
        first_results.append(first)
        started = time.perf_counter()
        argos_outputs = argos_path(argos_translator, argos_settings)
        runs_b.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw_outputs = raw_batch()
        runs_c.append(time.perf_counter() - started)
        seconds, _, float32_outputs, f_engine, f_memory = engine_cold("e", "float32", per_document=False)
        f_engine.close()
        f_memory.close()
        runs_e.append(seconds)
        print(
            f"round {round_index + 1}/{repeat}: (a) {runs_a[-1]:.2f} s, (b) {runs_b[-1]:.2f} s, "
            f"(c) {runs_c[-1]:.2f} s, (e) {runs_e[-1]:.2f} s",
            flush=True,
        )
    assert engine is not None and memory is not None
    time_a = statistics.median(runs_a)
    time_b = statistics.median(runs_b)
    time_c = statistics.median(runs_c)
    time_e = statistics.median(runs_e)
    argos_calls = sum(len(d.paragraphs) for d in documents)  # one per paragraph, empty ones included
    print(
        f"translate_batch calls per run: (a) {engine.model_calls}, (b) {argos_calls} (one per paragraph), (c) 1"
    )

    # ------------------------------------------------------------------ (d) cache-hit re-run, same engine
    calls_before = engine.model_calls
    hit_runs: list[float] = []
    results: list[Any] = []
    for _ in range(max(5, repeat)):
        started = time.perf_counter()
        results = list(engine.translate(persian.sentences, "fa", "en"))
        hit_runs.append(time.perf_counter() - started)
        assert len(results) == len(persian.sentences)
    assert engine.model_calls == calls_before, "the cache-hit re-run called the model"
    cached_count = sum(r.cached for r in results)
    time_d = statistics.median(hit_runs)
    db_path = memory.path
    engine.close()
    memory.close()

    # the same, as a new process would do it: open the memory and a new engine first
    fresh_runs: list[float] = []
    for _ in range(max(5, repeat)):
        started = time.perf_counter()
        with TranslationMemory(db_path) as fresh_memory:
            fresh_engine = Engine(memory=fresh_memory)
            list(fresh_engine.translate(persian.sentences, "fa", "en"))
            assert fresh_engine.model_calls == 0, "the cache-hit re-run called the model"
        fresh_runs.append(time.perf_counter() - started)
    time_d_fresh = statistics.median(fresh_runs)

    raw_by_piece = dict(zip(pieces, raw_outputs, strict=True))
    output_tokens = [len(pkg.tokenizer.encode(v)) for v in raw_by_piece.values()]
    same = sum(
        engine_outputs.get(p) == raw_by_piece[p] for p in pieces if p in engine_outputs
    )  # single-line segments only: a multi-line segment's output is its lines' outputs joined
    comparable = sum(p in engine_outputs for p in pieces)

    # ------------------------------------------------------------------ (g) int8 batched vs alone
    alone_outputs: dict[str, str] = {}
    for piece in pieces:
        result = raw_translator.translate_batch(
            [pkg.tokenizer.encode(piece)],
            target_prefix=[[prefix]] if prefix != "" else None,
            replace_unknowns=True,
            beam_size=beam_size,
            num_hypotheses=1,
            length_penalty=LENGTH_PENALTY,
        )[0]
        value = pkg.tokenizer.decode(result.hypotheses[0])
        if prefix != "" and value.startswith(prefix):
            value = value[len(prefix) :]
        alone_outputs[piece] = value[1:] if value.startswith(" ") else value
    batched_vs_alone = sum(raw_by_piece[p] != alone_outputs[p] for p in pieces)
    float32_vs_int8 = sum(
        float32_outputs.get(p) != engine_outputs.get(p) for p in pieces if p in engine_outputs
    )

    # ------------------------------------------------------------------ (f) memory, each mode in a fresh process
    model_bytes = (model.path / "model" / "model.bin").stat().st_size
    memory_rows = {ct: measure_memory(home, all_sentences, ct) for ct in ("default", "float32")}

    # ------------------------------------------------------------------ --extra: where the differences come from
    extra_rows: list[tuple[str, float, int | None]] = []
    if args.extra:
        for label, compute_type, per_document in (
            ("(a') engine cold, one translate call per document", None, True),
        ):
            times = []
            for _ in range(repeat):
                seconds, _, _, extra_engine, extra_memory = engine_cold("extra", compute_type, per_document)
                extra_engine.close()
                extra_memory.close()
                times.append(seconds)
            extra_rows.append((label, statistics.median(times), sentence_count))
        for label, batch_size in (("(b') Argos path, ARGOS_BATCH_SIZE 1024", 1024),):
            options = SimpleNamespace(batch_size=batch_size, beam_size=argos_settings.beam_size)
            seconds, _, _ = median_time(lambda o=options: argos_path(raw_translator, o), repeat)
            extra_rows.append((label, seconds, sentence_count))

    # ------------------------------------------------------------------ report
    ratio_b = time_b / time_a
    fraction_c = time_c / time_a
    persian_ms = time_d * 1000
    print()
    print(f"{'measurement':<58} {'median':>10} {'per sentence':>14}")
    rows: list[tuple[str, float, int | None]] = [
        ("model load alone, engine settings", load_engine, None),
        ("model load alone, Argos settings", load_argos, None),
        ("(a) engine cold: fresh engine + memory, load included", time_a, sentence_count),
        ("    of which: first result after", statistics.median(first_results), None),
        ("(b) Argos paragraph path (warm translator)", time_b, sentence_count),
        ("(c) one raw translate_batch, engine settings (warm)", time_c, len(pieces)),
        ("(e) engine cold, float32 mode", time_e, sentence_count),
        *extra_rows,
    ]
    for label, seconds, count in rows:
        per = f"{seconds / count * 1000:9.0f} ms" if count else ""
        print(f"{label:<58} {seconds:>8.2f} s {per:>14}")
    print(f"{'(d) cache-hit re-run, Persian seed, same engine':<58} {persian_ms:>7.1f} ms")
    print(f"{'    the same with a new memory + engine (a new process)':<58} {time_d_fresh * 1000:>7.1f} ms")
    print()
    print(
        f"(b)/(a) = {ratio_b:.2f}x   goal >= {GOAL_ARGOS_RATIO}x   {verdict(ratio_b >= GOAL_ARGOS_RATIO)}"
        f"   (without (a)'s model load: {time_b / (time_a - load_engine):.2f}x)"
    )
    print(
        f"(c)/(a) = {fraction_c:.2f}    goal >= {GOAL_LIMIT_FRACTION}    "
        f"{verdict(fraction_c >= GOAL_LIMIT_FRACTION)}   (without (a)'s model load: "
        f"{time_c / (time_a - load_engine):.2f})"
    )
    print(
        f"(d)     = {persian_ms:.1f} ms goal < {GOAL_CACHE_MS:.0f} ms  {verdict(persian_ms < GOAL_CACHE_MS)}"
        f"   ({len(persian.sentences)} segments, {cached_count} from the memory, 0 model calls)"
    )
    print(f"(e)/(a) = {time_e / time_a:.2f}x   float32 mode against the default (int8) mode")
    print(f"(f) model.bin on disk {model_bytes / 2**20:.0f} MiB")
    for ct, (growth, peak, computed) in memory_rows.items():
        ratio = growth / model_bytes
        goal = (
            f"goal <= {GOAL_MEMORY_RATIO}x   {verdict(ratio <= GOAL_MEMORY_RATIO)}" if ct == "default" else ""
        )
        print(
            f"    {ct:<8} ({computed}): resident growth after loading {growth / 2**20:.0f} MiB = {ratio:.2f}x "
            f"the model on disk {goal}; peak while translating {peak / 2**20:.0f} MiB"
        )
    print(
        f"(g) int8: {batched_vs_alone} of {len(pieces)} distinct sentences differ between one padded batch and "
        f"decoding alone on this CPU; float32 mode differs from int8 mode for {float32_vs_int8} of {comparable}"
    )
    print()
    argos_lines = sum(1 for output in argos_outputs for line in output.split("\n") if line)
    text_paragraphs = sum(1 for d in documents for p in d.paragraphs if p)
    print(
        f"checks: output tokens per sentence median {statistics.median(output_tokens):.0f}, "
        f"min {min(output_tokens)}, max {max(output_tokens)}; engine output = raw batch output for "
        f"{same}/{comparable} texts; (b) gave {argos_lines} translated paragraphs for {text_paragraphs}"
    )
    print(
        f"total benchmark time {time.perf_counter() - began:.0f} s; load average now {load_average()} "
        "(other processes on the machine inflate the timings unevenly)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
