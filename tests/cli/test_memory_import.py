"""`yanyana cache import-tmx`: a TMX round trip between two homes, per-unit validation, safe parsing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.store.library import Library


def cli(capsys: pytest.CaptureFixture[str], home: Path, *args: str, code: int = 0) -> str:
    capsys.readouterr()
    assert main(["--home", str(home), *args]) == code
    captured = capsys.readouterr()
    if code:
        assert captured.err.startswith("error: ") and len(captured.err.strip().splitlines()) == 1
        return captured.err
    return captured.out


def persian(home: Path) -> int:
    with Library(home / "library.db") as lib:
        return next(d.id for d in lib.documents() if d.lang == "fa")


def translations(capsys: pytest.CaptureFixture[str], home: Path, doc: int) -> list[object]:
    shown = json.loads(cli(capsys, home, "show", str(doc), "--json"))
    return [(s["translation"], s["translation_origin"]) for s in shown["segments"]]


def test_round_trip_between_two_homes(
    tmp_path: Path, tiny_argos_archives: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    cli(capsys, a, "models", "install", str(tiny_argos_archives["fa_en_int8"]))
    doc_a = persian(a)
    cli(capsys, a, "translate", str(doc_a))
    machine = translations(capsys, a, doc_a)
    assert all(t is not None for t, _ in machine)
    memory_tmx, doc_tmx = tmp_path / "memory.tmx", tmp_path / "doc.tmx"
    cli(capsys, a, "cache", "export-tmx", str(memory_tmx))
    cli(capsys, a, "correct", str(doc_a), "2", "A colleague's corrected sentence.")
    cli(capsys, a, "export", str(doc_a), "--format", "tmx", "-o", str(doc_tmx))

    # home B has no model at all: the imported translations are shown anyway
    doc_b = persian(b)
    assert all(t is None for t, _ in translations(capsys, b, doc_b))
    summary = json.loads(cli(capsys, b, "cache", "import-tmx", str(memory_tmx), "--json"))
    assert summary["added"] == memory_tmx.read_text(encoding="utf-8").count("<tu ") > 0
    assert summary["refused"] == [] and summary["skipped"] == []
    assert translations(capsys, b, doc_b) == machine
    again = json.loads(cli(capsys, b, "cache", "import-tmx", str(memory_tmx), "--json"))
    assert again["added"] == 0 and len(again["skipped"]) == summary["added"]

    # with the same model installed, B's engine finds them under its own key: nothing to translate
    cli(capsys, b, "models", "install", str(tiny_argos_archives["fa_en_int8"]))
    record = json.loads(cli(capsys, b, "translate", str(doc_b), "--json"))
    assert record["cache_hits"] == record["segments"]

    # the document's TMX carries the human unit: a correction only when asked
    plain = json.loads(cli(capsys, b, "cache", "import-tmx", str(doc_tmx), "--json"))
    assert [s["reason"] for s in plain["skipped"]].count(
        "a human translation: import it with --as-corrections"
    ) == 1
    assert translations(capsys, b, doc_b)[2] == machine[2]
    fixed = json.loads(cli(capsys, b, "cache", "import-tmx", str(doc_tmx), "--as-corrections", "--json"))
    assert fixed["corrections"] == 1
    assert translations(capsys, b, doc_b)[2] == ("A colleague's corrected sentence.", "human")


UNITS = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="fa" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="x" creationtoolversion="1" o-tmf="x"/><body>
<tu><prop type="x-model">translate-fa_en@1.2/int8</prop>
 <tuv xml:lang="fa"><seg>سلام دنیا</seg></tuv><tuv xml:lang="en"><seg>Hello world</seg></tuv></tu>
<tu><prop type="x-model">translate-fa_en@1.2/int8</prop>
 <tuv xml:lang="fa"><seg>بدون ترجمه</seg></tuv><tuv xml:lang="en"><seg>  </seg></tuv></tu>
<tu><prop type="x-model">translate-fa_en@1.2/int8</prop>
 <tuv xml:lang="qqq"><seg>x</seg></tuv><tuv xml:lang="en"><seg>y</seg></tuv></tu>
<tu><tuv xml:lang="fa"><seg>بی مدل</seg></tuv><tuv xml:lang="en"><seg>No model</seg></tuv></tu>
<tu><prop type="x-model">translate-fa_en@1.2/int8</prop>
 <tuv xml:lang="fa"><seg>با <ph>&lt;b&gt;</ph> نشانه</seg></tuv><tuv xml:lang="en"><seg>With a tag</seg></tuv></tu>
<tu><prop type="x-model">not a model</prop>
 <tuv xml:lang="fa"><seg>مدل بد</seg></tuv><tuv xml:lang="en"><seg>Bad model</seg></tuv></tu>
</body></tmx>
"""


def test_units_are_validated_one_by_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    path = tmp_path / "units.tmx"
    path.write_text(UNITS, encoding="utf-8")
    summary = json.loads(cli(capsys, home, "cache", "import-tmx", str(path), "--json"))
    assert summary["added"] == 1
    reasons = {r["unit"]: r["reason"] for r in summary["refused"]}
    assert reasons == {
        2: "a variant is empty",
        3: "the language code 'qqq' is not known",
        4: "it names no model (an x-model prop), and no --model was given",
        5: "its text holds inline markup, which a translation memory of sentences cannot keep",
        6: "the model id 'not a model' is not of the form package@version",
    }
    text = cli(capsys, home, "cache", "import-tmx", str(path), "--model", "other@2")
    # units 4 and 6 now under the given model; unit 1 under it too (another key than before)
    assert text.startswith("added 3, skipped 0, refused 3")
    cli(capsys, home, "cache", "import-tmx", str(path), "--model", "no model", code=2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa">]><tmx><body/></tmx>',
            "declares a DTD of its own",
        ),
        ('<?xml version="1.0"?><tmx><body><tu>&lol;</tu></body></tmx>', "is not well-formed XML"),
        ("not xml at all", "is not well-formed XML"),
        ('<?xml version="1.0"?><html/>', "is not a TMX file"),
    ],
)
def test_unsafe_or_broken_files_are_refused_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    home = tmp_path / "home"
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    assert message in cli(capsys, home, "cache", "import-tmx", str(path), code=2)
    stats = json.loads(cli(capsys, home, "cache", "stats", "--json"))
    assert stats["entries"] == 0
