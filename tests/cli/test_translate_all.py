"""`yanyana translate --all`: progress lines, --lang, resume after SIGKILL; and routing by paragraph language
through the CLI (a Persian article quoting an Arabic paragraph)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.translation import models
from tests.helpers import ROOT
from tests.tiny_argos import reference_translate, seed_text

PROGRESS = re.compile(r"^(\w\w)→en: (\d+)/(\d+) sentences, [\d.]+ sentences/s, ETA ")


def cli(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    assert main(list(args)) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_translate_all_resumes_after_sigkill(
    yanyana_home: Path, tiny_argos_archives: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("fa_en", "ar_en", "tr_en", "az_en"):
        models.install_from_path(tiny_argos_archives[name])
    env = dict(os.environ, YANYANA_HOME=str(yanyana_home))
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "translate", "--all", "--batch-tokens", "40", "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    killed_at = None
    for line in proc.stderr:
        match = PROGRESS.match(line)
        if match and 0 < int(match[2]) < int(match[3]):
            proc.send_signal(signal.SIGKILL)
            killed_at = line
            break
    proc.wait(timeout=120)
    assert killed_at is not None and proc.returncode == -signal.SIGKILL
    stats = json.loads(cli(capsys, "cache", "stats", "--json")[0])
    stored = stats["entries"]
    assert stored > 0
    before = yanyana_home / "before.tmx"
    cli(capsys, "cache", "export-tmx", str(before))
    kept = before.read_text(encoding="utf-8")

    out, err = cli(capsys, "translate", "--all", "--json")
    assert re.search(r"resuming, \d+ of \d+ sentences already translated", err)
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 5
    assert all(r["translated"] + r["untranslated"] == r["segments"] for r in records)
    # what was stored before the kill is reused, not translated again, and has not changed
    assert sum(r["cache_hits"] for r in records) >= stored - 5  # a sentence may occur in two documents
    after = json.loads(cli(capsys, "cache", "stats", "--json")[0])["entries"]
    assert after > stored
    cli(capsys, "cache", "export-tmx", str(yanyana_home / "after.tmx"))
    later = (yanyana_home / "after.tmx").read_text(encoding="utf-8")
    pairs_before = set(re.findall(r"<seg>(.*?)</seg></tuv>\s*<tuv[^>]*><seg>(.*?)</seg>", kept, flags=re.S))
    pairs_after = set(re.findall(r"<seg>(.*?)</seg></tuv>\s*<tuv[^>]*><seg>(.*?)</seg>", later, flags=re.S))
    assert pairs_before and pairs_before <= pairs_after


def test_translate_all_limited_to_a_language_with_plain_progress(
    yanyana_home: Path, tiny_argos_archives: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    models.install_from_path(tiny_argos_archives["tr_en"])
    models.install_from_path(tiny_argos_archives["fa_en"])
    out, err = cli(capsys, "translate", "--all", "--lang", "tr", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["from"] for r in records] == ["tr"]
    lines = [line for line in err.splitlines() if PROGRESS.match(line)]
    assert lines and all(line.startswith("tr→en") for line in lines)
    assert lines[-1].startswith(f"tr→en: {records[0]['segments']}/{records[0]['segments']} sentences")
    cli(capsys, "translate", "--all", "--lang", "xx", code=2)


def _mixed_article(path: Path) -> tuple[list[str], list[str]]:
    persian = [line for line in seed_text("fa").splitlines() if line.strip()]
    arabic = [line for line in seed_text("ar").splitlines() if 60 < len(line) < 160][:2]
    path.write_text("\n\n".join([*persian[:3], " ".join(arabic), *persian[3:6]]) + "\n", encoding="utf-8")
    return persian, arabic


def test_an_arabic_paragraph_in_a_persian_article_goes_to_the_arabic_model(
    yanyana_home: Path, tiny_argos_archives: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    article = yanyana_home / "mixed.txt"
    _mixed_article(article)
    record = json.loads(cli(capsys, "import", str(article), "--json")[0])
    assert record["lang"] == "fa"
    doc = str(record["id"])
    fa = models.install_from_path(tiny_argos_archives["fa_en"])[0]
    ar = models.install_from_path(tiny_argos_archives["ar_en"])[0]
    cli(capsys, "translate", doc)
    shown = json.loads(cli(capsys, "show", doc, "--json")[0])
    languages = {p["index"]: p["lang"] for p in shown["paragraphs"]}
    assert sorted(set(languages.values())) == ["ar", "fa"]
    for seg in shown["segments"]:
        model = ar if languages[seg["paragraph"]] == "ar" else fa
        assert seg["translation"] == reference_translate(model.path, seg["text"], compute_type="default")
        assert seg["untranslated_reason"] is None

    # only the Persian model: the Arabic paragraph stays untranslated, with its reason
    cli(capsys, "models", "remove", "ar", "en")
    cli(capsys, "cache", "clear")
    _, err = cli(capsys, "translate", doc)
    assert "left untranslated (no Arabic→English model)" in err
    shown = json.loads(cli(capsys, "show", doc, "--json")[0])
    for seg in shown["segments"]:
        if languages[seg["paragraph"]] == "ar":
            assert seg["translation"] is None
            assert seg["untranslated_reason"] == "no Arabic→English model"
        else:
            assert seg["translation"] == reference_translate(fa.path, seg["text"], compute_type="default")
