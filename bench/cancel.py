"""Cancel latency: how long the reader's translation takes to stop after Cancel, by batch size.

    .venv/bin/python bench/cancel.py [--trials 5] [--layers 6] [--width 512]

The engine checks the cancel event between model batches (CTranslate2 cannot stop a beam-search batch half-way),
so the time from Cancel to the last result is at most one batch. The model is the Transformer-base-sized tiny
Argos package of ``bench/translate.py`` (6+6 layers, width 512, FFN 2048, 8 heads, 32,000 outputs, random
weights, ~25-30 output tokens a sentence), installed into a temporary ``YANYANA_HOME``. For each batch budget
(tokens) the Persian and Arabic seed sentences are translated, with no translation memory, in the reader's way
(a caller-given order, so a small first batch), and Cancel is pressed at a random moment after the first result
(seeded, the same moments for every budget); latency = Cancel → the translation's iterator has ended. The
throughput of the same budget (sentences per second over an uncancelled run of the first 30 sentences) is shown
as a ratio to the engine's batch-translation default (4,096 tokens), so the cost of smaller batches is visible.

Goal (issue 11): the reader's budget (``reader.ui.controller.READER_MAX_BATCH_TOKENS``) stops within 0.5 s at the median on
this machine. Timings depend on the CPU and the load; the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.core.text.segmenting import segment  # noqa: E402
from tests.tiny_argos import SEED_FILES, build_package_dir, seed_text  # noqa: E402

if TYPE_CHECKING:
    from reader.translation.engine import Engine

GOAL_CANCEL_S = 0.5
THROUGHPUT_SENTENCES = 30


def seed_sentences(lang: str) -> list[str]:
    text = seed_text(lang)
    return [text[s.start : s.end] for s in segment(text, lang)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=5, help="cancels per batch budget")
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--width", type=int, default=512)
    parser.add_argument("--ffn", type=int, default=2048)
    parser.add_argument("--heads", type=int, default=8)
    parser.add_argument("--vocab", type=int, default=32000)
    parser.add_argument("--budgets", default="4096,1024,256", help="batch budgets (tokens) to compare")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="yanyana-bench-cancel-"))
    try:
        return run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path) -> int:
    home = workdir / "home"
    home.mkdir(parents=True)
    os.environ["YANYANA_HOME"] = str(home)  # before argostranslate is imported

    from reader.translation import models
    from reader.translation.engine import DEFAULT_MAX_BATCH_TOKENS, Engine
    from reader.ui.controller import READER_MAX_BATCH_TOKENS

    folder = build_package_dir(
        workdir / "build",
        "fa",
        "en",
        texts=[seed_text(lang) for lang in SEED_FILES],
        vocab_size=4000,
        pad_vocab_to=args.vocab,
        layers=(args.layers, args.layers),
        d_model=args.width,
        ffn=args.ffn,
        heads=args.heads,
        rng_seed=7,
        eos_bias=-2.0,
        eos_ramp=0.4,
    )
    archive = workdir / f"{folder.name}.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, path.relative_to(folder.parent))
    shutil.rmtree(folder)
    models.install_from_path(archive)
    archive.unlink()
    sentences = seed_sentences("fa") + seed_sentences("ar")
    budgets = [int(b) for b in args.budgets.split(",")]
    if READER_MAX_BATCH_TOKENS not in budgets:
        budgets.append(READER_MAX_BATCH_TOKENS)
    rng = random.Random(11)
    moments = [rng.uniform(0.2, 2.0) for _ in range(max(1, args.trials))]
    print(
        f"cancel latency — {len(sentences)} seed sentences, model {args.layers}+{args.layers} layers, width "
        f"{args.width}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )

    speed: dict[int, float] = {}
    latencies: dict[int, list[float]] = {}
    for budget in budgets:
        engine = Engine(memory=None, max_batch_tokens=budget)
        try:
            list(engine.translate(sentences[:2], "fa", "en"))  # warm: model loaded
            started = time.perf_counter()
            list(engine.translate(sentences[:THROUGHPUT_SENTENCES], "fa", "en"))
            speed[budget] = THROUGHPUT_SENTENCES / (time.perf_counter() - started)
            latencies[budget] = [cancel_once(engine, sentences, moment) for moment in moments]
        finally:
            engine.close()

    base = speed.get(DEFAULT_MAX_BATCH_TOKENS) or max(speed.values())
    print(f"{'budget':>8} {'median s':>9} {'max s':>7} {'speed':>7}")
    for budget in budgets:
        lat = latencies[budget]
        mark = "  ← the reader" if budget == READER_MAX_BATCH_TOKENS else ""
        print(
            f"{budget:>8} {statistics.median(lat):>9.2f} {max(lat):>7.2f} {speed[budget] / base:>7.2f}{mark}"
        )
    median = statistics.median(latencies[READER_MAX_BATCH_TOKENS])
    ok = median <= GOAL_CANCEL_S
    print(
        f"goal: the reader stops within {GOAL_CANCEL_S} s (median) — {median:.2f} s: {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


def cancel_once(engine: Engine, sentences: list[str], moment: float) -> float:
    """Translate in the reader's way, press Cancel ``moment`` s after the first result; seconds until it ends."""
    cancel = threading.Event()
    first = threading.Event()
    ended: list[float] = []

    def work() -> None:
        for _result in engine.translate(sentences, "fa", "en", order=range(len(sentences)), cancel=cancel):
            first.set()
        ended.append(time.perf_counter())

    thread = threading.Thread(target=work)
    thread.start()
    first.wait()
    time.sleep(moment)
    pressed = time.perf_counter()
    cancel.set()
    thread.join()
    return max(0.0, ended[0] - pressed)


if __name__ == "__main__":
    raise SystemExit(main())
