"""Import benchmark: 1 MB of Persian and of Turkish text (goal < 1 s), 50 MB (goal < 60 s, < 1 GB peak memory),
each against reading the same file alone (open, read, decode) measured in the same run. "cpu s" is the
import's CPU time: on a shared, loaded machine it is what the wall time would be on an idle one, and the
"ok" column judges it (and the peak memory) against the goal.

    .venv/bin/python bench/import_library.py [--large-mb 50] [--skip-large] [--repeat 3]

Texts are generated from the seed articles (paragraphs with their words shuffled, numbered so no two are the
same) and written once to a temporary folder. Each import runs in a fresh process with a fresh library, so the
peak memory (``ru_maxrss``) is that import's; the language model is loaded before the clock starts (a one-time
cost of the process, ~0.3 s, not of the file). Others add rows for their formats (PDF, DOCX, EPUB) to CASES.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {"fa": "001_16b6482d6bae7f5d.txt", "tr": "003_c669be6180575091.txt"}

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
mode, source = sys.argv[1], Path(sys.argv[2])
if mode == "read":
    start, cpu = time.perf_counter(), time.process_time()
    text = source.read_bytes().decode("utf-8")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
else:
    from reader.core.store.library import Library
    from reader.core.text.language import _model
    _model()
    library = Library(Path(sys.argv[4]) / "library.db", seed=False)
    start, cpu = time.perf_counter(), time.process_time()
    result = library.import_file(source)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    library.close()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak": peak}))
"""


def generate(lang: str, size: int, out: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    paragraphs = [
        p for p in (ROOT / "seeds" / SEEDS[lang]).read_text(encoding="utf-8").split("\n") if p.strip()
    ]
    chunks: list[str] = []
    total = n = 0
    while total < size:
        words = rng.choice(paragraphs).split()
        rng.shuffle(words)
        line = " ".join(words) + f" {n}."
        n += 1
        chunks.append(line)
        total += len(line.encode()) + 2
    out.write_text("\n\n".join(chunks), encoding="utf-8")
    return out


def run(mode: str, source: Path, work: Path) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(dir=work))
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(source), str(ROOT), str(home)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--large-mb", type=int, default=50)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yanyana-bench-import-") as folder:
        work = Path(folder)
        cases = [
            ("1 MB Persian", generate("fa", 1_000_000, work / "fa-1mb.txt"), 1.0, args.repeat),
            ("1 MB Turkish", generate("tr", 1_000_000, work / "tr-1mb.txt"), 1.0, args.repeat),
        ]
        if not args.skip_large:
            size = args.large_mb * 1_000_000
            cases.append((f"{args.large_mb} MB Persian", generate("fa", size, work / "fa-big.txt"), 60.0, 1))
        print(
            f"{'case':<18}{'read s':>9}{'import s':>10}{'cpu s':>8}{'ratio':>8}{'goal s':>8}{'peak MB':>9}  ok"
        )
        for name, source, goal, repeat in cases:
            read = statistics.median(run("read", source, work)["seconds"] for _ in range(repeat))
            runs = [run("import", source, work) for _ in range(repeat)]
            seconds = statistics.median(r["seconds"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            peak = max(r["peak"] for r in runs) / 2**20
            ok = cpu < goal and (goal < 60 or peak < 1024)
            print(
                f"{name:<18}{read:>9.3f}{seconds:>10.2f}{cpu:>8.2f}{seconds / max(read, 1e-6):>8.0f}{goal:>8.0f}"
                f"{peak:>9.0f}  {'yes' if ok else 'NO'}"
            )


if __name__ == "__main__":
    main()
