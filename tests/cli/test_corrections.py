"""Human corrections end to end through the CLI (in process): show, exports, search, alternatives, survival
through model removal, cache clear and re-import, orphans and suggestions."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.store import search
from reader.core.store.corrections import set_author
from reader.core.store.library import Library
from reader.translation import models
from tests.tiny_argos import seed_text

CORRECTED = "The ministry's spokesman said the talks would continue zebrafinch."


def cli(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    capsys.readouterr()
    assert main(list(args)) == code
    captured = capsys.readouterr()
    if code:
        assert captured.err.startswith("error: ") and len(captured.err.strip().splitlines()) == 1
        return captured.err
    return captured.out


def show(capsys: pytest.CaptureFixture[str], doc: int) -> list[dict[str, object]]:
    segments: list[dict[str, object]] = json.loads(cli(capsys, "show", str(doc), "--json"))["segments"]
    return segments


def persian_doc() -> int:
    with Library() as lib:
        return next(d.id for d in lib.documents() if d.lang == "fa")


@pytest.fixture
def translated(tiny_argos_archives: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> int:
    doc = persian_doc()
    models.install_from_path(tiny_argos_archives["fa_en_int8"])
    cli(capsys, "translate", str(doc))
    return doc


def test_correct_show_revert(translated: int, capsys: pytest.CaptureFixture[str]) -> None:
    before = show(capsys, translated)
    assert all(s["translation_origin"] == "machine" for s in before if s["translation"] is not None)
    record = json.loads(
        cli(capsys, "correct", str(translated), "3", CORRECTED, "--author", "Leyla", "--json")
    )
    assert record["machine"] == before[3]["translation"] and record["author"] == "Leyla"
    assert record["model"] == "translate-fa_en@1.2"
    after = show(capsys, translated)
    assert after[3]["translation"] == CORRECTED and after[3]["translation_origin"] == "human"
    assert [s["translation"] for i, s in enumerate(after) if i != 3] == [
        s["translation"] for i, s in enumerate(before) if i != 3
    ]
    assert "[corrected]" in cli(capsys, "show", str(translated))
    # search finds the corrected text, not the machine's
    with Library() as lib:
        hits = search.search(lib, "zebrafinch")
        assert [(h.kind, h.document, h.segment) for h in hits] == [("translation", translated, 3)]
    # editing again keeps the machine translation it first replaced
    again = json.loads(cli(capsys, "correct", str(translated), "3", CORRECTED + " Again.", "--json"))
    assert again["machine"] == before[3]["translation"] and again["id"] == record["id"]
    cli(capsys, "correct", str(translated), "3", "--revert")
    reverted = show(capsys, translated)
    assert reverted[3]["translation"] == before[3]["translation"]
    assert reverted[3]["translation_origin"] == "machine"
    with Library() as lib:
        assert search.search(lib, "zebrafinch") == []
    # bad input: one sentence, nothing stored
    cli(capsys, "correct", str(translated), "3", "--revert", code=2)
    cli(capsys, "correct", str(translated), "9999", "text", code=2)
    cli(capsys, "correct", str(translated), "3", "   ", code=2)
    assert json.loads(cli(capsys, "corrections", "--json")) == []


def test_exports_carry_the_corrected_text_and_its_mark(
    translated: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cli(capsys, "correct", str(translated), "2", CORRECTED)
    segments = show(capsys, translated)
    with Library() as lib:
        seg = lib.segments(translated)[2]
        text = lib.get(translated).text
    # a note on the original sentence, and one on the corrected translation
    cli(
        capsys,
        "notes",
        "add",
        str(translated),
        "--start",
        str(seg.start),
        "--end",
        str(seg.end),
        "--note",
        "source",
    )
    tmx = tmp_path / "doc.tmx"
    cli(capsys, "export", str(translated), "--format", "tmx", "-o", str(tmx))
    units = ET.parse(tmx).getroot().findall("./body/tu")
    origins = {}
    for tu in units:
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        origins[int(str(props["x-segment"]))] = (props["x-origin"], tu.findall("tuv")[1].findtext("seg"))
    assert origins[2] == ("human", CORRECTED)
    assert {o for i, (o, _) in origins.items() if i != 2} == {"machine"}
    md = tmp_path / "doc.md"
    cli(capsys, "export", str(translated), "--format", "md", "-o", str(md))
    markdown = md.read_text(encoding="utf-8")
    assert "✎ marks a human correction" in markdown
    assert f"**Translation:** {CORRECTED} ✎" in markdown
    html = tmp_path / "doc.html"
    cli(capsys, "export", str(translated), "--format", "html", "-o", str(html))
    page = html.read_text(encoding="utf-8")
    assert f'<span class="human">{CORRECTED.replace(chr(39), "&#x27;")}</span>' in page
    assert "a human correction of the machine translation" in page
    assert page.count('class="human-mark" title') == 1
    out = tmp_path / "doc.csv"
    cli(capsys, "export", str(translated), "--format", "csv", "-o", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["paired_text"], r["translation_origin"]) for r in rows] == [(CORRECTED, "human")]
    assert text[seg.start : seg.end] == segments[2]["text"]


def test_translation_side_notes_anchor_to_the_corrected_text(
    translated: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from reader.translation.documents import translation_text

    cli(capsys, "correct", str(translated), "1", CORRECTED)
    with Library() as lib:
        tt = translation_text(lib, translated)
        assert tt is not None and tt.segments[1] == CORRECTED and tt.human == frozenset({1})
        start = tt.text.index("zebrafinch")
    cli(
        capsys,
        "notes",
        "add",
        str(translated),
        "--start",
        str(start),
        "--end",
        str(start + 10),
        "--side",
        "translation",
    )
    jsonld = tmp_path / "doc.jsonld"
    cli(capsys, "export", str(translated), "--format", "jsonld", "-o", str(jsonld))
    data = json.loads(jsonld.read_text(encoding="utf-8"))
    items = data["first"]["items"] if "first" in data else data["items"]
    quotes = [
        sel["exact"]
        for item in items
        for sel in item["target"]["selector"]
        if sel.get("type") == "TextQuoteSelector"
    ]
    assert quotes == ["zebrafinch"]


def test_a_correction_survives_model_removal_and_cache_clear(
    translated: int, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "correct", str(translated), "4", CORRECTED)
    machine = show(capsys, translated)
    cli(capsys, "models", "remove", "fa", "en")
    # the model is gone: the cache still shows what it translated, and the correction stays
    gone = show(capsys, translated)
    assert [s["translation"] for s in gone] == [s["translation"] for s in machine]
    assert gone[4]["translation_origin"] == "human"
    cli(capsys, "cache", "clear")
    cleared = show(capsys, translated)
    assert cleared[4]["translation"] == CORRECTED and cleared[4]["translation_origin"] == "human"
    corrections = json.loads(cli(capsys, "corrections", str(translated), "--json"))
    assert [(c["segment"], c["text"]) for c in corrections] == [(4, CORRECTED)]


def test_reimport_reanchors_by_source_and_orphans_the_lost(
    tiny_argos_archives: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    models.install_from_path(tiny_argos_archives["fa_en_int8"])
    article = tmp_path / "article.txt"
    original = seed_text("fa") + "\n\nیادداشت پایانی این نسخه از مقاله است.\n"  # not the seed itself
    article.write_text(original, encoding="utf-8")
    first = json.loads(cli(capsys, "import", str(article), "--json"))
    assert first["created"]
    doc = first["id"]
    cli(capsys, "translate", str(doc))
    segments = show(capsys, doc)
    keep, lose = segments[5], segments[6]
    cli(capsys, "correct", str(doc), "5", CORRECTED)
    cli(capsys, "correct", str(doc), "6", "This one will be lost.")
    # a new first paragraph shifts every sentence; sentence 6 is deleted
    changed = "پاراگراف تازه‌ای در آغاز متن آمده است.\n\n" + original.replace(str(lose["text"]), "")
    article.write_text(changed, encoding="utf-8")
    result = json.loads(cli(capsys, "import", str(article), "--json"))
    assert result["updated"] and any("orphan" in w for w in result["warnings"]), result["warnings"]
    moved = show(capsys, doc)
    index = next(s["index"] for s in moved if s["text"] == keep["text"])
    assert index != 5
    assert moved[index]["translation"] == CORRECTED and moved[index]["translation_origin"] == "human"
    assert [s["translation_origin"] for s in moved].count("human") == 1
    orphans = json.loads(cli(capsys, "corrections", str(doc), "--orphans", "--json"))
    assert [(o["source"], o["text"]) for o in orphans] == [(lose["text"], "This one will be lost.")]
    with Library() as lib:  # search follows the moved correction
        hits = search.search(lib, "zebrafinch")
        assert [(h.document, h.segment) for h in hits] == [(doc, index)]
    # the sentence comes back: so does its correction
    article.write_text(original, encoding="utf-8")
    cli(capsys, "import", str(article), "--json")
    back = show(capsys, doc)
    assert back[6]["translation"] == "This one will be lost." and back[5]["translation"] == CORRECTED
    assert json.loads(cli(capsys, "corrections", str(doc), "--orphans", "--json")) == []


def test_the_same_sentence_elsewhere_is_offered_as_a_suggestion(
    translated: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    segments = show(capsys, translated)
    cli(capsys, "correct", str(translated), "2", CORRECTED, "--author", "Leyla")
    other = tmp_path / "other.txt"
    other.write_text(f"یک جملهٔ دیگر در این متن هست.\n\n{segments[2]['text']}\n", encoding="utf-8")
    doc = json.loads(cli(capsys, "import", str(other), "--json", "--lang", "fa"))["id"]
    shown = show(capsys, doc)
    same = next(s for s in shown if s["text"] == segments[2]["text"])
    assert same["suggestion"] == {
        "text": CORRECTED,
        "from": "your corrections",
        "document": translated,
        "segment": 2,
        "author": "Leyla",
    }
    assert [s["suggestion"] for s in shown if s is not same] == [None] * (len(shown) - 1)
    assert segments[2]["suggestion"] is None  # not offered to the corrected document itself


def test_alternatives_cli(translated: int, capsys: pytest.CaptureFixture[str]) -> None:
    found = json.loads(cli(capsys, "alternatives", str(translated), "3", "--n", "3", "--json"))
    assert found["segment"] == 3 and 1 <= len(found["alternatives"]) <= 3
    assert all(isinstance(a["score"], float) for a in found["alternatives"])
    assert "beam size" in cli(capsys, "alternatives", str(translated), "3", "--n", "9", code=2)
    text = cli(capsys, "alternatives", str(translated), "3")
    assert text.splitlines()[0].startswith("1\t")


def test_choosing_an_alternative_makes_it_a_correction(
    translated: int, capsys: pytest.CaptureFixture[str]
) -> None:
    before = show(capsys, translated)
    listed = json.loads(cli(capsys, "alternatives", str(translated), "3", "--n", "4", "--json"))
    texts = [a["text"] for a in listed["alternatives"]]
    k = len(texts)  # the last one: the least likely to be the machine's own sentence
    # bad choices: one sentence, nothing stored
    assert "numbered from 1" in cli(capsys, "alternatives", str(translated), "3", "--choose", "0", code=2)
    assert f"no alternative {k + 1}" in cli(
        capsys, "alternatives", str(translated), "3", "--n", "4", "--choose", str(k + 1), code=2
    )
    assert "--choose" in cli(capsys, "alternatives", str(translated), "3", "--author", "Leyla", code=2)
    assert show(capsys, translated) == before

    chosen = json.loads(
        cli(capsys, "alternatives", str(translated), "3", "--n", "4", "--choose", str(k), "--author", "Leyla",
            "--json")
    )  # fmt: skip
    # the listing's fields are kept, the choice and the correction added
    assert {key: chosen[key] for key in listed} == listed
    assert chosen["chosen"] == k
    record = chosen["correction"]
    assert record["text"] == texts[k - 1] and record["author"] == "Leyla"
    assert record["machine"] == before[3]["translation"] and record["model"] == "translate-fa_en@1.2"
    after = show(capsys, translated)
    assert after[3]["translation"] == texts[k - 1] and after[3]["translation_origin"] == "human"
    assert [s["translation"] for i, s in enumerate(after) if i != 3] == [
        s["translation"] for i, s in enumerate(before) if i != 3
    ]
    # choosing again replaces the correction and keeps the machine translation it first replaced
    again = json.loads(cli(capsys, "alternatives", str(translated), "3", "--choose", "1", "--json"))
    assert again["correction"]["id"] == record["id"]
    assert again["correction"]["text"] == again["alternatives"][0]["text"]
    assert again["correction"]["machine"] == before[3]["translation"]
    cli(capsys, "correct", str(translated), "3", "--revert")
    assert show(capsys, translated)[3]["translation"] == before[3]["translation"]

    # without --author: the installation's name (the one Preferences sets), as `correct` uses it
    with Library() as lib:
        set_author(lib, "Window Name")
    out = cli(capsys, "alternatives", str(translated), "5", "--choose", "1")
    assert out.startswith(f"corrected {translated}:5 (Window Name)\t")
    assert show(capsys, translated)[5]["translation_origin"] == "human"
