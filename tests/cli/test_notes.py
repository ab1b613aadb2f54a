"""`yanyana notes`, `search`, `export` and `backup` end to end in a temporary home (a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html import escape as html_escape
from pathlib import Path

import pytest

from reader.cli import main
from tests.helpers import ROOT

FA_SEED = "001_16b6482d6bae7f5d.txt"


def run(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if home is not None:
        env["YANYANA_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def _fa_doc(capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["list", "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    return next(d for d in docs if d["lang"] == "fa")


def test_notes_search_export_end_to_end(tmp_path: Path) -> None:
    home = tmp_path / "home"
    listed = run("list", "--json", home=home)
    assert listed.returncode == 0, listed.stderr
    fa = next(d for d in json.loads(listed.stdout) if d["lang"] == "fa")
    shown = json.loads(run("show", str(fa["id"]), "--json", home=home).stdout)
    text = shown["text"]
    start = text.index("صلح پایدار")

    added = run(
        "notes", "add", str(fa["id"]), "--start", str(start), "--end", str(start + 10), "--color", "green",
        "--note", "lasting peace?", "--tag", "peace", "--tag", "claims", "--json", home=home,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    note = json.loads(added.stdout)
    assert note["exact"] == "صلح پایدار" and note["color"] == "green" and note["tags"] == ["peace", "claims"]

    listed_notes = json.loads(run("notes", "list", str(fa["id"]), "--json", home=home).stdout)
    assert [n["id"] for n in listed_notes] == [note["id"]]
    assert json.loads(run("notes", "list", "--json", home=home).stdout) == listed_notes
    plain = run("notes", "list", home=home)
    assert plain.returncode == 0 and "صلح پایدار" in plain.stdout

    # search finds the original (written with Arabic letters in the query) and the note
    found = json.loads(run("search", "صلح پايدار", "--json", home=home).stdout)
    assert {"document": fa["id"], "kind": "original"}.items() <= found[0].items()
    assert text[found[0]["start"] : found[0]["end"]] == "صلح"
    assert any(h["kind"] == "note" and h["annotation"] == note["id"] for h in json.loads(
        run("search", "lasting", "--json", home=home).stdout))  # fmt: skip
    plain_search = run("search", "ایروان", home=home)
    assert plain_search.returncode == 0 and plain_search.stdout.startswith(f"{fa['id']}\t")
    assert "[ایروان]" in plain_search.stdout

    for fmt in ("md", "jsonld", "csv", "html"):
        out = tmp_path / f"notes.{fmt}"
        done = run("export", str(fa["id"]), "--format", fmt, "-o", str(out), home=home)
        assert done.returncode == 0, done.stderr
        assert "صلح پایدار" in out.read_text(encoding="utf-8")
    everything = tmp_path / "all.md"
    assert run("export", "--all", "--format", "md", "-o", str(everything), home=home).returncode == 0
    assert everything.read_text(encoding="utf-8").count("\n# ") + 1 == len(json.loads(listed.stdout))

    # into a fresh home: the same seed document is there, the notes come back
    other = tmp_path / "other"
    restored = run("notes", "import", str(tmp_path / "notes.jsonld"), "--json", home=other)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["restored"] == 1
    again = json.loads(run("notes", "list", "--json", home=other).stdout)
    assert [(n["uuid"], n["exact"], n["note"]) for n in again] == [
        (note["uuid"], "صلح پایدار", "lasting peace?")
    ]

    made = run("backup", "now", home=home)
    assert made.returncode == 0 and "backup " in made.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["notes", "add", "999", "--start", "0", "--end", "4"],
        ["notes", "add", "{fa}", "--start", "0", "--end", "4", "--color", "teal"],
        ["notes", "add", "{fa}", "--start", "0", "--end", "99999999"],
        ["notes", "add", "{fa}", "--start", "3", "--end", "3"],
        ["notes", "add", "{fa}", "--start", "0", "--end", "4", "--side", "translation"],
        ["notes", "import", "{missing}"],
        ["search", "   "],
        ["export", "--format", "md", "-o", "{out}"],
        ["export", "{fa}", "--all", "--format", "md", "-o", "{out}"],
        ["export", "{fa}", "--format", "tmx", "-o", "{out}"],
        ["export", "{fa}", "--format", "md", "-o", "{nodir}"],
    ],
)
def test_user_errors_exit_2_and_store_nothing(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fa = _fa_doc(capsys)
    values = {
        "fa": str(fa["id"]),
        "missing": str(tmp_path / "missing.jsonld"),
        "out": str(tmp_path / "out.x"),
        "nodir": str(tmp_path / "no" / "such" / "dir.md"),
    }
    code = main([a.format(**values) for a in args])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in captured.err
    assert main(["notes", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert not (tmp_path / "out.x").exists()


def test_export_takes_translations_from_the_cache_not_only_the_search_index(
    yanyana_home: Path,
    tiny_argos_archives: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Sentences translated by the engine (cached, never indexed for search) appear in `yanyana export`."""
    from reader.core.store.library import Library
    from reader.translation import models
    from reader.translation.documents import DocumentSentences, open_memory
    from reader.translation.engine import Engine

    models.install_from_path(tiny_argos_archives["fa_en"])
    with Library() as lib:
        fa = next(d for d in lib.documents() if d.lang == "fa")
        sentences = DocumentSentences.read(lib, fa.id)
    with open_memory() as memory:
        engine = Engine(memory=memory)
        try:
            translated = {r.index: r.text for r in engine.translate(sentences.texts[:3], "fa", "en")}
        finally:
            engine.close()
    target = tmp_path / "pairs.tmx"
    assert main(["export", str(fa.id), "--format", "tmx", "-o", str(target)]) == 0
    tmx = target.read_text(encoding="utf-8")
    for text in translated.values():
        assert html_escape(text) in tmx
