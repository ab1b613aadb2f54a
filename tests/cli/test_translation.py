"""`yanyana models / translate / show / cache` end to end, as real subprocesses with the network removed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.helpers import ROOT


def _no_network_prefix() -> list[str]:
    """`unshare -n` (a new network namespace with no interfaces) where the system allows it."""
    if (
        shutil.which("unshare")
        and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    ):
        return ["unshare", "-n"]
    return []


NO_NET = _no_network_prefix()


def run(*args: str, home: Path, code: int = 0) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, YANYANA_HOME=str(home))
    proc = subprocess.run(
        [*NO_NET, sys.executable, "-m", "reader", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def doc_id(home: Path, lang: str) -> int:
    docs = json.loads(run("list", "--json", home=home).stdout)
    return next(d["id"] for d in docs if d["lang"] == lang)


def test_translate_offline_then_cached(yanyana_home: Path, tiny_argos_archives: dict[str, Path]) -> None:
    persian = doc_id(yanyana_home, "fa")

    # no model yet: one sentence naming the pair, exit 2
    proc = run("translate", str(persian), "--json", home=yanyana_home, code=2)
    assert proc.stderr.startswith("error: No Persian→English model is installed")
    assert len(proc.stderr.strip().splitlines()) == 1

    run("models", "install", str(tiny_argos_archives["fa_en"]), home=yanyana_home)
    installed = json.loads(run("models", "list", "--json", home=yanyana_home).stdout)
    assert [(m["from"], m["to"], m["version"]) for m in installed] == [("fa", "en", "1.0")]
    assert Path(installed[0]["path"]).is_dir()

    first = json.loads(run("translate", str(persian), "--json", home=yanyana_home).stdout)
    assert set(first) >= {
        "document",
        "from",
        "to",
        "model",
        "segments",
        "translated",
        "cache_hits",
        "seconds",
    }
    assert (first["document"], first["from"], first["to"]) == (persian, "fa", "en")
    assert first["translated"] == first["segments"] > 0
    assert first["cache_hits"] < first["segments"]

    second = json.loads(run("translate", str(persian), "--json", home=yanyana_home).stdout)
    assert second["cache_hits"] == second["segments"] == first["segments"]
    assert second["model"] == first["model"]

    shown = json.loads(run("show", str(persian), "--json", home=yanyana_home).stdout)
    assert all(isinstance(s["translation"], str) and s["translation"] for s in shown["segments"])
    # an untranslated document shows null translations
    arabic = doc_id(yanyana_home, "ar")
    shown_ar = json.loads(run("show", str(arabic), "--json", home=yanyana_home).stdout)
    assert all(s["translation"] is None for s in shown_ar["segments"])

    stats = json.loads(run("cache", "stats", "--json", home=yanyana_home).stdout)
    assert stats["entries"] >= len({s["text"] for s in shown["segments"]}) - 1
    tmx = yanyana_home / "memory.tmx"
    run("cache", "export-tmx", str(tmx), home=yanyana_home)
    units = ET.parse(tmx).getroot().findall("./body/tu")
    assert len(units) == stats["entries"]

    # translations are searchable: the first word of a translated sentence finds its document
    word = next(w for s in shown["segments"] for w in s["translation"].split() if len(w) > 3)
    hits = json.loads(run("search", word, "--json", home=yanyana_home).stdout)
    assert any(h["document"] == persian for h in hits)

    run("cache", "clear", home=yanyana_home)
    assert json.loads(run("cache", "stats", "--json", home=yanyana_home).stdout)["entries"] == 0
    run("models", "remove", "fa", "en", home=yanyana_home)
    assert json.loads(run("models", "list", "--json", home=yanyana_home).stdout) == []


@pytest.mark.skipif(not NO_NET, reason="unshare -n is not permitted here")
def test_download_without_network_says_offline(yanyana_home: Path) -> None:
    proc = run("models", "download", "fa", "en", "--timeout", "5", home=yanyana_home, code=2)
    assert proc.stderr.startswith("error: ") and "offline" in proc.stderr.lower()
    proc = run("models", "available", "--timeout", "5", home=yanyana_home, code=2)
    assert "offline" in proc.stderr.lower()


def test_bad_package_is_refused_cleanly(tmp_path: Path, yanyana_home: Path) -> None:
    bogus = tmp_path / "broken.argosmodel"
    bogus.write_bytes(b"PK\x03\x04 this is not really a zip")
    proc = run("models", "install", str(bogus), home=yanyana_home, code=2)
    assert proc.stderr.startswith("error: ") and len(proc.stderr.strip().splitlines()) == 1
    assert json.loads(run("models", "list", "--json", home=yanyana_home).stdout) == []


def test_translate_all_batches_across_documents_and_reports_each(
    yanyana_home: Path, tiny_argos_archives: dict[str, Path]
) -> None:
    run("models", "install", str(tiny_argos_archives["fa_en"]), home=yanyana_home)
    run("models", "install", str(tiny_argos_archives["tr_en"]), home=yanyana_home)
    extra = yanyana_home / "ikinci.txt"
    extra.write_text("Ankara'da bugün önemli bir toplantı yapıldı. Bakan açıklama yaptı.\n", encoding="utf-8")
    run("import", str(extra), home=yanyana_home)
    docs = json.loads(run("list", "--json", home=yanyana_home).stdout)

    proc = run("translate", "--all", "--json", home=yanyana_home, code=2)
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    # one record per document of an installed pair (two Turkish documents in one engine call), each complete
    expected = sorted(d["id"] for d in docs if d["lang"] in {"fa", "tr"})
    assert sorted(r["document"] for r in records) == expected
    for record in records:
        assert record["translated"] == record["segments"] > 0
        assert record["model"].startswith(f"translate-{record['from']}_en")
    # one error per missing pair, not per document: Azerbaijani (two documents) and Arabic (the other lines
    # are plain progress lines: stderr is not a terminal here)
    errors = [line for line in proc.stderr.strip().splitlines() if not line.startswith(("fa→en", "tr→en"))]
    assert len(errors) == 2 and all(line.startswith("error: No ") for line in errors)
    assert any("Azerbaijani→English" in line for line in errors)
    assert any("Arabic→English" in line for line in errors)

    again = [
        json.loads(line)
        for line in run("translate", "--all", "--json", home=yanyana_home, code=2).stdout.splitlines()
    ]
    assert all(r["cache_hits"] == r["segments"] for r in again)


def test_an_english_paragraph_in_a_persian_article_is_kept_as_it_is(
    yanyana_home: Path, tiny_argos_archives: dict[str, Path]
) -> None:
    quote = "The United States supports a lasting peace between Armenia and Azerbaijan, the envoy said."
    persian = (ROOT / "seeds" / "001_16b6482d6bae7f5d.txt").read_text(encoding="utf-8").split("\n")
    article = yanyana_home / "mixed.txt"
    article.write_text("\n".join([persian[0], persian[1], quote, persian[2]]) + "\n", encoding="utf-8")
    record = json.loads(run("import", str(article), "--json", home=yanyana_home).stdout)
    assert record["lang"] == "fa"
    run("models", "install", str(tiny_argos_archives["fa_en"]), home=yanyana_home)
    run("translate", str(record["id"]), home=yanyana_home)
    shown = json.loads(run("show", str(record["id"]), "--json", home=yanyana_home).stdout)
    english_paragraphs = {p["index"] for p in shown["paragraphs"] if p["lang"] == "en"}
    assert len(english_paragraphs) == 1
    for seg in shown["segments"]:
        if seg["paragraph"] in english_paragraphs:
            assert seg["translation"] == seg["text"]  # kept, not fed to the Persian model
        else:
            assert seg["translation"] and seg["translation"] != seg["text"]
