"""The `yanyana` command end to end, in a temporary home, as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


def run(*args: str, home: Path, check_code: int | None = 0) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, YANYANA_HOME=str(home))
    proc = subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check_code is not None:
        assert proc.returncode == check_code, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def test_list_show_on_fresh_home(yanyana_home: Path, seeds_dir: Path) -> None:
    docs = json.loads(run("list", "--json", home=yanyana_home).stdout)
    assert sorted(d["lang"] for d in docs) == ["ar", "az", "az", "fa", "tr"]
    assert all(set(d) >= {"id", "title", "lang", "direction", "segments"} for d in docs)
    persian = next(d for d in docs if d["lang"] == "fa")
    assert persian["direction"] == "rtl"
    shown = json.loads(run("show", str(persian["id"]), "--json", home=yanyana_home).stdout)
    assert shown["text"] == (seeds_dir / "001_16b6482d6bae7f5d.txt").read_text(encoding="utf-8")
    assert len(shown["segments"]) == persian["segments"]
    for seg in shown["segments"]:
        assert shown["text"][seg["start"] : seg["end"]] == seg["text"]
        assert set(seg) >= {"index", "paragraph", "start", "end", "text"}


def test_import_json_and_idempotence(tmp_path: Path, yanyana_home: Path) -> None:
    article = tmp_path / "haber.txt"
    article.write_bytes(
        "Ankara'da bugün önemli bir toplantı yapıldı.\r\nDr. Ahmet Yılmaz açıklama yaptı.\r\n".encode(
            "cp1254"
        )
    )
    out = run("--home", str(yanyana_home), "import", str(article), "--json", home=tmp_path / "ignored")
    rec = json.loads(out.stdout)
    assert set(rec) >= {"id", "title", "lang", "direction", "paragraphs", "segments", "warnings"}
    assert rec["lang"] == "tr" and rec["direction"] == "ltr"
    assert rec["title"] == "Ankara'da bugün önemli bir toplantı yapıldı."
    assert rec["segments"] == 2 and rec["paragraphs"] == 2
    again = json.loads(run("import", str(article), "--json", home=yanyana_home).stdout)
    assert again["id"] == rec["id"] and again["created"] is False
    docs = json.loads(run("list", "--json", home=yanyana_home).stdout)
    assert len(docs) == 6
    shown = json.loads(run("show", str(rec["id"]), "--json", home=yanyana_home).stdout)
    assert "\r" not in shown["text"]
    assert [s["text"] for s in shown["segments"]] == [
        "Ankara'da bugün önemli bir toplantı yapıldı.",
        "Dr. Ahmet Yılmaz açıklama yaptı.",
    ]


def test_user_errors_exit_2_with_one_line(tmp_path: Path, yanyana_home: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\n", encoding="utf-8")
    image = tmp_path / "image.txt"
    image.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    cases = [
        ("import", str(empty)),
        ("import", str(image)),
        ("import", str(tmp_path / "missing.txt")),
        ("show", "9999"),
        ("show", "not-a-number"),
        ("remove", "9999"),
    ]
    for args in cases:
        proc = run(*args, home=yanyana_home, check_code=2)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, proc.stderr)
    docs = json.loads(run("list", "--json", home=yanyana_home).stdout)
    assert len(docs) == 5  # nothing stored by the refusals


def test_import_folder_continues_after_a_bad_file(tmp_path: Path, yanyana_home: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "good.md").write_text("# Başlık\n\nBir paragraf burada.\n", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"")
    proc = run("import", str(folder), "--json", home=yanyana_home, check_code=2)
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 1 and records[0]["created"]
    assert proc.stderr.count("error: ") == 1


def test_remove(yanyana_home: Path) -> None:
    docs = json.loads(run("list", "--json", home=yanyana_home).stdout)
    run("remove", str(docs[0]["id"]), home=yanyana_home)
    after = json.loads(run("list", "--json", home=yanyana_home).stdout)
    assert [d["id"] for d in after] == [d["id"] for d in docs[1:]]


def test_import_every_document_format_from_a_folder(tmp_path: Path, yanyana_home: Path) -> None:
    from tests.documents import (
        article,
        article_html,
        build_docx,
        build_epub,
        build_mhtml,
        build_odt,
        epub_chapter,
    )

    folder = tmp_path / "belgeler"
    folder.mkdir()
    art = article("001")
    (folder / "a.docx").write_bytes(build_docx(art))
    (folder / "b.odt").write_bytes(build_odt(article("003")))
    (folder / "c.epub").write_bytes(build_epub([epub_chapter(article("004"))], title="Kitab", lang="ar"))
    (folder / "d.mhtml").write_bytes(build_mhtml(article_html(article("000")), title="Səhifə"))
    (folder / "e.xlsx").write_bytes(b"PK\x03\x04 not picked up: not a suffix Yanyana reads")
    proc = run("import", str(folder), "--json", home=yanyana_home)
    records = {Path(r["source"]).name: r for r in map(json.loads, proc.stdout.splitlines())}
    assert set(records) == {"a.docx", "b.odt", "c.epub", "d.mhtml"}
    assert {n: (r["format"], r["lang"]) for n, r in records.items()} == {
        "a.docx": ("docx", "fa"),
        "b.odt": ("odt", "tr"),
        "c.epub": ("epub", "ar"),
        "d.mhtml": ("mhtml", "az"),
    }
    assert records["a.docx"]["direction"] == "rtl" and records["a.docx"]["title"] == art.headline
    shown = json.loads(run("show", str(records["a.docx"]["id"]), "--json", home=yanyana_home).stdout)
    assert shown["text"].startswith(art.headline + "\n\n") and "\u200c" in shown["text"]
    # a text file keeps its format name too
    plain = tmp_path / "not.txt"
    plain.write_text("Bu gün Bakıda görüş keçirildi.", encoding="utf-8")
    assert json.loads(run("import", str(plain), "--json", home=yanyana_home).stdout)["format"] == "text"
