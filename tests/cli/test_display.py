"""Untrusted text never drives the terminal: control and bidi characters are escaped in every CLI output, and
CSV exports neutralise formulas."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from reader.display import csv_cell, field, json_safe, terminal_safe
from tests.cli.test_cli import run

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_terminal_safe_escapes_controls_and_bidi_but_keeps_text() -> None:
    assert terminal_safe("a\x1b[2Jb\x07c\x9bd") == "a\\x1b[2Jb\\x07c\\x9bd"
    assert terminal_safe("\u202etxt.exe") == "\\u202etxt.exe"
    persian = "می\u200cخواهم\u200f دو\tسه\n"
    assert terminal_safe(persian) == persian  # ZWNJ, RLM, tab and newline are text
    assert field("\u200fعنوان\u200f") == "\\u200fعنوان\\u200f"  # marks at a column's edge act on the next one
    assert field("a\u200fb") == "a\u200fb"


def test_json_safe_is_the_same_json_value() -> None:
    value = {"title": "\u202etxt.exe \x9b \u2028 \x1b"}
    dumped = json_safe(json.dumps(value, ensure_ascii=False))
    assert not RAW.search(dumped) and "\u2028" not in dumped
    assert json.loads(dumped) == value


def test_csv_cell_follows_the_owasp_rule() -> None:
    for text in ("=1+1", "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(text) == "'" + text
    assert csv_cell("plain") == "plain" and csv_cell(-3) == -3


def test_no_command_prints_raw_controls(tmp_path: Path, yanyana_home: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "\x1b]0;pwned\x07\x1b[2J\u202etxt.exe Başlık burada\n\n"
        "Bu metin bir saldırı denemesidir ve terminali temizlemeye çalışır. \x1b[31mKırmızı\x1b[0m yazı.\n",
        encoding="utf-8",
    )
    imported = run("import", str(hostile), home=yanyana_home)
    doc = imported.stdout.split("\t")[0]
    outputs = [
        imported,
        run("import", "--json", str(hostile), home=yanyana_home),
        run("list", home=yanyana_home),
        run("list", "--json", home=yanyana_home),
        run("show", doc, home=yanyana_home),
        run("show", doc, "--json", home=yanyana_home),
        run("notes", "add", doc, "--start", "0", "--end", "20", "--note", "\u202eeton \x1b[2J", "--tag",
            "\u2066x", home=yanyana_home),
        run("notes", "list", home=yanyana_home),
        run("notes", "list", "--json", home=yanyana_home),
        run("search", "saldırı", home=yanyana_home),
        run("search", "eton", "--json", home=yanyana_home),
        run("remove", doc, home=yanyana_home),
    ]  # fmt: skip
    for proc in outputs:
        assert not RAW.search(proc.stdout), (proc.args, proc.stdout)
        assert not RAW.search(proc.stderr), (proc.args, proc.stderr)
    listed = outputs[2].stdout
    assert "\\x1b]0;pwned\\x07" in listed and "\\u202etxt.exe" in listed
    assert "\\u202eeton" in outputs[7].stdout
    stored = json.loads(outputs[5].stdout)["text"]  # the JSON value is the text exactly as imported
    assert stored.startswith("\x1b]0;pwned\x07\x1b[2J\u202etxt.exe")


def test_csv_export_neutralises_formulas(tmp_path: Path, yanyana_home: Path) -> None:
    article = tmp_path / "formula.txt"
    article.write_text(
        '=HYPERLINK("http://evil","click") başlığı olan bir makale burada duruyor.\n', encoding="utf-8"
    )
    doc = run("import", str(article), home=yanyana_home).stdout.split("\t")[0]
    run(
        "notes",
        "add",
        doc,
        "--start",
        "0",
        "--end",
        "10",
        "--note",
        "@SUM(1+1)",
        "--tag=-x",
        home=yanyana_home,
    )
    out = tmp_path / "notes.csv"
    run("export", doc, "--format", "csv", "-o", str(out), home=yanyana_home)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["title"].startswith("'=HYPERLINK")
    assert rows[0]["quote"] == "'=HYPERLINK"
    assert rows[0]["note"] == "'@SUM(1+1)"
    assert rows[0]["tags"] == "'-x"
    for row in rows:
        assert not any(str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())
