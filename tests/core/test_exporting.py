"""Exports (Markdown, W3C JSON-LD, CSV, TMX, bilingual HTML) and the JSON-LD import into another home."""

from __future__ import annotations

import csv
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import lxml.html
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from reader import paths
from reader.core import exporting
from reader.core.store import search
from reader.core.store.annotations import NOTE_MAX, AnnotationError, Annotations, TranslationText
from reader.core.store.library import Library
from tests.helpers import DATA, ROOT
from tests.helpers import seed_doc as _doc

W3C = DATA / "w3c"
FA_SEED = "001_16b6482d6bae7f5d.txt"
AR_SEED = "004_b64012e43163fbfa.txt"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# --- the W3C test suite's MUST assertions (vendored in tests/data/w3c) -------------------------------------------


def _registry() -> Registry:
    registry: Registry = Registry()
    for f in (W3C / "definitions").glob("*.json"):
        schema = json.loads(f.read_text(encoding="utf-8"))
        registry = registry.with_resource(
            f.name, Resource.from_contents(schema, default_specification=DRAFT4)
        )
    return registry


_FORMATS = jsonschema.FormatChecker()


@_FORMATS.checks("uri")
def _is_uri(value: object) -> bool:  # an absolute IRI: scheme ":" and no spaces (RFC 3987, roughly)
    return not isinstance(value, str) or re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", value) is not None


@_FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:  # xsd:dateTime with a time zone, as the model requires
    pattern = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"
    return not isinstance(value, str) or re.fullmatch(pattern, value) is not None


def _assertions(test_file: str) -> list[dict]:
    listing = json.loads((W3C / test_file).read_text(encoding="utf-8"))
    return [json.loads((W3C / a).read_text(encoding="utf-8")) for a in listing["assertions"]]


def _failures(obj: dict, test_file: str) -> list[str]:
    registry = _registry()
    out = []
    for schema in _assertions(test_file):
        validator = jsonschema.Draft4Validator(schema, registry=registry, format_checker=_FORMATS)
        errors = list(validator.iter_errors(obj))
        if errors:
            out.append(f"{schema['id']}: {errors[0].message}")
    return out


def test_the_vendored_suite_is_complete_and_catches_bad_annotations() -> None:
    assert len(_assertions("annotations/annotationMusts.test")) == 54
    bad = {
        "@context": "http://example.org/context.jsonld",
        "id": "not an iri",
        "type": "Note",
        "created": "yesterday",
        "body": {"type": "TextualBody"},
        "bodyValue": "x",
        "target": {"source": "urn:x", "selector": {"type": "TextQuoteSelector"}},
    }
    failed = _failures(bad, "annotations/annotationMusts.test")
    for expected in ("Context", "Id", "Type", "Created", "notBodyBodyValue", "textQuoteSelector"):
        assert any(expected in f for f in failed), expected


# --- helpers ------------------------------------------------------------------------------------------------------


def _translate(lib: Library, doc_id: int) -> TranslationText:
    """Stand-in translations (indexed as the UI does after translating), one per segment."""
    segments = lib.segments(doc_id)
    translations = {s.index: f"English sentence {s.index} <of> doc {doc_id} & more." for s in segments}
    search.index_translations(lib, doc_id, translations, "translate-test@1.0")
    return TranslationText.build(segments, translations, "translate-test@1.0")


def _annotate(lib: Library, doc_id: int) -> list:
    store = Annotations(lib)
    lib.get(doc_id)
    tt = _translate(lib, doc_id)
    segs = lib.segments(doc_id)
    out = [
        store.add(doc_id, segs[1].start, segs[1].start + 25, color="green", note="<script>alert(1)</script> & «note»",
                  tags=["claim", "باکو"]),
        store.add(doc_id, segs[2].start + 3, segs[3].start + 10, color="purple"),
    ]  # fmt: skip
    t0 = tt.spans[segs[4].index][0]
    out.append(
        store.add(doc_id, t0, t0 + 16, side="translation", translation=tt, color="orange", note="on English")
    )
    return out


# --- JSON-LD --------------------------------------------------------------------------------------------------


def test_jsonld_passes_every_w3c_must_assertion(lib: Library, tmp_path: Path) -> None:
    doc_id = _doc(lib, FA_SEED)
    anns = _annotate(lib, doc_id)
    # and an orphan, which keeps only its quote
    lib.conn.execute("UPDATE annotations SET orphaned = 1 WHERE id = ?", (anns[1].id,))
    out = exporting.export(lib, "jsonld", tmp_path / "notes.jsonld", [doc_id])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 3
    assert _failures(data, "collections/collectionMusts.test") == []
    assert _failures(data["first"], "collections/pages/pageMusts.test") == []
    items = data["first"]["items"]
    assert len(items) == 3
    for item in items:
        assert _failures(item, "annotations/annotationMusts.test") == []
        selectors = {s["type"]: s for s in item["target"]["selector"]}
        assert "TextQuoteSelector" in selectors
    by_id = {i["id"]: i for i in items}
    first = by_id[f"urn:uuid:{anns[0].uuid}"]
    quote = next(s for s in first["target"]["selector"] if s["type"] == "TextQuoteSelector")
    position = next(s for s in first["target"]["selector"] if s["type"] == "TextPositionSelector")
    text = lib.get(doc_id).text
    assert text[position["start"] : position["end"]] == quote["exact"] == anns[0].exact
    assert quote["prefix"] == text[max(0, position["start"] - 32) : position["start"]]
    assert first["target"]["styleClass"] == "green"
    assert {b["purpose"]: b["value"] for b in first["body"] if b["purpose"] == "commenting"} == {
        "commenting": anns[0].note
    }
    assert sorted(b["value"] for b in first["body"] if b["purpose"] == "tagging") == sorted(anns[0].tags)
    assert first["target"]["source"]["textDirection"] == "rtl"
    orphan = by_id[f"urn:uuid:{anns[1].uuid}"]
    assert [s["type"] for s in orphan["target"]["selector"]] == ["TextQuoteSelector"]
    translation_side = by_id[f"urn:uuid:{anns[2].uuid}"]
    assert "model=translate-test%401.0" in translation_side["target"]["source"]["id"]


def test_ni_uri_round_trip() -> None:
    sha = "ab" * 32
    uri = exporting.ni_uri(sha)
    assert uri.startswith("ni:///sha-256;") and "=" not in uri
    assert exporting.parse_ni(uri) == (sha, {})
    assert exporting.parse_ni(uri + "?translation=en&model=m%401") == (
        sha,
        {"translation": "en", "model": "m@1"},
    )
    assert exporting.parse_ni("urn:uuid:1") is None


def test_jsonld_round_trip_into_another_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Library() as source_lib:
        doc_id = _doc(source_lib, AR_SEED)
        anns = _annotate(source_lib, doc_id)
        sha = source_lib.get(doc_id).sha256
        exporting.export(source_lib, "jsonld", tmp_path / "all.jsonld")  # the whole library

    other_home = tmp_path / "other-home"
    monkeypatch.setenv(paths.HOME_ENV, str(other_home))
    with Library(seed=False) as target:
        # the same article, imported from elsewhere, gets another id in the other home
        target.import_file(Path(paths.seeds_dir()) / FA_SEED)
        copy = tmp_path / "copy-of-arabic.txt"
        copy.write_bytes((Path(paths.seeds_dir()) / AR_SEED).read_bytes())
        new_doc = target.import_file(copy).document
        assert new_doc.sha256 == sha and new_doc.id != doc_id

        report = exporting.import_jsonld(target, tmp_path / "all.jsonld")
        assert (report.restored, report.unmatched, report.orphaned) == (3, 0, 0)
        restored = {a.uuid: a for a in Annotations(target).find(new_doc.id)}
        for ann in anns:
            got = restored[ann.uuid]
            for field in ("side", "start", "end", "exact", "prefix", "suffix", "color", "note", "tags", "model",
                          "created", "modified"):  # fmt: skip
                assert getattr(got, field) == getattr(ann, field), field
        # importing again changes nothing; the notes are searchable in the new home
        again = exporting.import_jsonld(target, tmp_path / "all.jsonld")
        assert (again.restored, again.unchanged) == (0, 3)
        assert [h.annotation for h in search.search(target, "English", kinds=["note"])] == [
            restored[anns[2].uuid].id
        ]


def test_import_matches_by_source_path_when_the_text_changed(lib: Library, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(
        "Birinci cümle burada.\n\nİkinci cümle çok önemli bir iddia içeriyor.\n", encoding="utf-8"
    )
    doc = lib.import_file(article, lang="tr").document
    ann = Annotations(lib).add(
        doc.id, *(lambda s: (s, s + len("önemli bir iddia")))(doc.text.index("önemli"))
    )
    exporting.export(lib, "jsonld", tmp_path / "a.jsonld", [doc.id])
    Annotations(lib).delete(ann.id)
    article.write_text(
        "Yeni başlık.\n\nBirinci cümle burada.\n\nİkinci cümle çok önemli bir iddia içeriyor.\n"
    )
    assert lib.import_file(article, lang="tr").updated
    report = exporting.import_jsonld(lib, tmp_path / "a.jsonld")
    assert report.restored == 1
    back = Annotations(lib).by_uuid(ann.uuid)
    assert back is not None and lib.get(doc.id).text[back.start : back.end] == "önemli bir iddia"


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not JSON"), ('{"type": "Thing"}', "no W3C Web Annotations")],
)
def test_import_refuses_files_that_are_not_annotations(
    lib: Library, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.jsonld"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(exporting.ExportError, match=message):
        exporting.import_jsonld(lib, bad)
    assert Annotations(lib).find() == []


def test_import_goes_through_the_annotation_rules_and_is_all_or_nothing(lib: Library, tmp_path: Path) -> None:
    store = Annotations(lib)
    doc_id = _doc(lib, FA_SEED)
    first = store.add(doc_id, 0, 12, note="short note", tags=["a"])
    second = store.add(doc_id, 20, 40, color="blue")
    exporting.export(lib, "jsonld", tmp_path / "two.jsonld", [doc_id])
    data = json.loads((tmp_path / "two.jsonld").read_text(encoding="utf-8"))
    for ann in (first, second):
        store.delete(ann.id)
    items = data["first"]["items"]
    # the same rules as a note typed in the window: a note longer than NOTE_MAX refuses the whole file
    items[1]["body"] = [{"type": "TextualBody", "purpose": "commenting", "value": "x" * (NOTE_MAX + 1)}]
    (tmp_path / "bad.jsonld").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AnnotationError, match="at most"):
        exporting.import_jsonld(lib, tmp_path / "bad.jsonld")
    assert store.find() == []
    assert lib.conn.execute("SELECT count(*) FROM search_rows WHERE kind = 'note'").fetchone()[0] == 0
    # the same annotation twice in a file is restored once, with a warning, not an integrity error
    items[1] = json.loads(json.dumps(items[0]))
    (tmp_path / "twice.jsonld").write_text(json.dumps(data), encoding="utf-8")
    report = exporting.import_jsonld(lib, tmp_path / "twice.jsonld")
    assert report.restored == 1 and any("appears twice" in w for w in report.warnings)
    back = store.find()
    assert [(a.uuid, a.note, a.tags) for a in back] == [(first.uuid, "short note", ("a",))]
    assert [h.annotation for h in search.search(lib, "short note", kinds=["note"])] == [back[0].id]


def test_only_the_annotation_repository_writes_annotation_rows() -> None:
    writers = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "reader").rglob("*.py")
        if re.search(r"(INSERT\s+INTO|UPDATE)\s+annotations\b", path.read_text(encoding="utf-8"), re.I)
    ]
    assert writers == ["reader/core/store/annotations.py"]


# --- the other formats ----------------------------------------------------------------------------------------


def test_markdown_report(lib: Library, tmp_path: Path) -> None:
    doc_id = _doc(lib, FA_SEED)
    anns = _annotate(lib, doc_id)
    md = exporting.export(lib, "md", tmp_path / "r.md", [doc_id]).read_text(encoding="utf-8")
    doc = lib.get(doc_id)
    assert md.startswith(f"# {doc.title}\n")
    assert f"> {anns[0].exact}" in md
    assert anns[0].note in md and "`claim`" in md and "`باکو`" in md and "green" in md
    seg = lib.segments(doc_id)[1]
    assert f"**Translation:** English sentence {seg.index} <of> doc {doc_id} & more." in md
    assert f"**Original:** {doc.text[lib.segments(doc_id)[4].start : lib.segments(doc_id)[4].end]}" in md


def test_csv_rows(lib: Library, tmp_path: Path) -> None:
    doc_id = _doc(lib, FA_SEED)
    anns = _annotate(lib, doc_id)
    path = exporting.export(lib, "csv", tmp_path / "n.csv", [doc_id])
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["annotation"] for r in rows] == [a.uuid for a in anns]
    assert (
        rows[0]["note"] == anns[0].note
        and rows[0]["tags"] == "claim; باکو"
        and rows[0]["quote"] == anns[0].exact
    )
    assert rows[2]["side"] == "translation" and rows[2]["model"] == "translate-test@1.0"


def test_tmx_sentence_pairs(lib: Library, tmp_path: Path) -> None:
    doc_id = _doc(lib, AR_SEED)
    tt = _translate(lib, doc_id)
    path = exporting.export(lib, "tmx", tmp_path / "pairs.tmx", [doc_id])
    root = ET.parse(path).getroot()
    units = root.findall("./body/tu")
    segments = lib.segments(doc_id)
    assert len(units) == len(segments)
    text = lib.get(doc_id).text
    first = units[0].findall("tuv")
    assert [t.get(XML_LANG) for t in first] == ["ar", "en"]
    assert first[0].find("seg").text == text[segments[0].start : segments[0].end]
    assert first[1].find("seg").text == tt.segments[segments[0].index]


def test_tmx_without_translations_is_a_user_error(lib: Library, tmp_path: Path) -> None:
    with pytest.raises(exporting.ExportError, match="no translated sentences"):
        exporting.export(lib, "tmx", tmp_path / "x.tmx", [_doc(lib, FA_SEED)])
    assert not (tmp_path / "x.tmx").exists()


def test_bilingual_html(lib: Library, tmp_path: Path) -> None:
    doc_id = _doc(lib, FA_SEED)
    anns = _annotate(lib, doc_id)
    page = exporting.export(lib, "html", tmp_path / "b.html", [doc_id]).read_text(encoding="utf-8")
    assert "<script>" not in page  # the note's markup is escaped
    tree = lxml.html.fromstring(page)
    rows = tree.xpath("//table[@class='bilingual']/tbody/tr")
    assert len(rows) == len(lib.paragraphs(doc_id))
    for row in rows:
        original, translated = row.xpath("./td")
        assert (original.get("dir"), original.get("lang")) == ("rtl", "fa")
        assert (translated.get("dir"), translated.get("lang")) == ("ltr", "en")
    marks = tree.xpath("//mark")
    assert anns[0].exact in "".join(m.text_content() for m in marks if m.get("class") == "hl-green")
    assert any(m.get("title") == anns[0].note for m in marks)
    assert "".join(m.text_content() for m in marks if m.get("class") == "hl-orange") == anns[2].exact
    assert tree.xpath("//h1")[0].get("dir") == "rtl"


def test_writes_are_atomic(lib: Library, tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("previous export", encoding="utf-8")
    with pytest.raises(exporting.ExportError, match="Unknown export format"):
        exporting.export(lib, "docx", target)
    assert target.read_text(encoding="utf-8") == "previous export"
    exporting.export(lib, "md", target)
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert sorted(os.listdir(tmp_path)) == ["notes.md"]  # no temporary file left behind
    with pytest.raises(exporting.ExportError, match="is a folder"):
        exporting.export(lib, "md", tmp_path)
    with pytest.raises(exporting.ExportError, match="does not exist"):
        exporting.export(lib, "md", tmp_path / "missing" / "x.md")
