"""translations_cache: the disposable SQLite translation memory (translations.db) and its TMX export."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reader import paths
from tests.helpers import SEEDS
from translations_cache import (
    CacheWriteError,
    TmxExportError,
    TranslationCacheError,
    TranslationMemory,
    normalise_source,
)

MODEL = "translate-fa_en@1.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ZWNJ = "\u200c"
ASIDE = re.compile(r"^translations\.db\.corrupt-\d{8}-\d{6}(-\d+)?(-wal|-shm|-journal)?$")


@pytest.fixture
def persian_sentences(seeds_dir: Path) -> list[str]:
    """Real sentences (one per line) from the Persian seed article."""
    text = (seeds_dir / "001_16b6482d6bae7f5d.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert len(lines) >= 5
    return lines


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "translations.db"


def fake_translation(source: str) -> str:
    return f"EN[{len(source)}] {source[:20]}"


def disk_bytes(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def asides(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if ASIDE.match(p.name))


# --------------------------------------------------------------------------- normalisation


def test_normalise_source_composes_and_collapses_whitespace_but_keeps_zwnj() -> None:
    decomposed_madda = "\u0627\u0653"  # ALEF + MADDAH ABOVE -> NFC U+0622 ALEF WITH MADDA ABOVE
    text = f"  {decomposed_madda}ب\t\u00a0 می{ZWNJ}رود\n\nخانه  "
    result = normalise_source(text)
    assert result == f"\u0622ب می{ZWNJ}رود خانه"
    assert unicodedata.is_normalized("NFC", result)
    assert normalise_source(f"می{ZWNJ}رود") != normalise_source("میرود")
    assert normalise_source(" \n\t ") == ""


# --------------------------------------------------------------------------- store / lookup


def test_round_trip_persian_survives_reopen(db_path: Path, persian_sentences: list[str]) -> None:
    pairs = [(s, fake_translation(s)) for s in persian_sentences]
    with TranslationMemory(db_path) as memory:
        memory.store(pairs, "fa", "en", MODEL)
    with TranslationMemory(db_path) as memory:
        assert memory.warnings == []
        found = memory.lookup([*persian_sentences, "جمله‌ای که ذخیره نشده است."], "fa", "en", MODEL)
        stats = memory.stats()
    assert found == dict(pairs)
    assert stats["entries"] == len(set(persian_sentences))
    assert stats["hits"] == len(set(persian_sentences))
    assert stats["misses"] == 1
    assert stats["pairs"] == [{"from": "fa", "to": "en", "model": MODEL, "entries": stats["entries"]}]
    assert stats["path"] == str(db_path)
    assert stats["bytes"] == disk_bytes(db_path)


def test_zwnj_is_significant(db_path: Path, persian_sentences: list[str]) -> None:
    # The seed writes "رسانههای" without ZWNJ; the careful spelling "رسانه‌های" is a different sentence.
    plain = next(s for s in persian_sentences if "رسانههای" in s)
    with_zwnj = plain.replace("رسانههای", f"رسانه{ZWNJ}های")
    with TranslationMemory(db_path) as memory:
        memory.store([(with_zwnj, "with zwnj")], "fa", "en", MODEL)
        assert memory.lookup([plain], "fa", "en", MODEL) == {}
        assert memory.lookup([with_zwnj], "fa", "en", MODEL) == {with_zwnj: "with zwnj"}
        memory.store([(plain, "without zwnj")], "fa", "en", MODEL)
        assert memory.lookup([plain, with_zwnj], "fa", "en", MODEL) == {
            plain: "without zwnj",
            with_zwnj: "with zwnj",
        }


def test_lookup_normalises_keys_and_returns_sources_as_given(
    db_path: Path, persian_sentences: list[str]
) -> None:
    sentence = persian_sentences[0]
    spaced = "  " + sentence.replace(" ", " \u00a0\t ") + "\n"
    nfd_madda = "\u0627\u0653" + "ب"  # decomposed; stored composed
    with TranslationMemory(db_path) as memory:
        memory.store([(spaced, "first"), ("\u0622ب", "madda")], "fa", "en", MODEL)
        found = memory.lookup([sentence, spaced, nfd_madda], "fa", "en", MODEL)
        assert memory.stats()["entries"] == 2
    assert found == {sentence: "first", spaced: "first", nfd_madda: "madda"}


def test_store_replaces_earlier_translation(db_path: Path, persian_sentences: list[str]) -> None:
    sentence = persian_sentences[1]
    with TranslationMemory(db_path) as memory:
        memory.store([(sentence, "old")], "fa", "en", MODEL)
        memory.store([(" " + sentence, "new")], "fa", "en", MODEL)
        assert memory.lookup([sentence], "fa", "en", MODEL) == {sentence: "new"}
        assert memory.stats()["entries"] == 1


def test_hash_collision_is_a_miss_never_a_wrong_translation(
    db_path: Path, persian_sentences: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import translations_cache.memory as memory_module

    monkeypatch.setattr(memory_module, "_source_hash", lambda normalised: 42)  # every sentence collides
    first, second = persian_sentences[:2]
    with TranslationMemory(db_path) as memory:
        memory.store([(first, "first")], "fa", "en", MODEL)
        assert memory.lookup([second], "fa", "en", MODEL) == {}
        memory.store([(second, "second")], "fa", "en", MODEL)  # takes the slot over
        assert memory.lookup([first, second], "fa", "en", MODEL) == {second: "second"}


def test_model_and_pair_isolation(db_path: Path, persian_sentences: list[str]) -> None:
    sentence = persian_sentences[2]
    with TranslationMemory(db_path) as memory:
        memory.store([(sentence, "v1.9")], "fa", "en", MODEL)
        assert memory.lookup([sentence], "fa", "en", "translate-fa_en@2.0") == {}
        assert memory.lookup([sentence], "en", "fa", MODEL) == {}
        assert memory.lookup([sentence], "ar", "en", MODEL) == {}
        memory.store([(sentence, "v2.0")], "fa", "en", "translate-fa_en@2.0")
        assert memory.lookup([sentence], "fa", "en", MODEL) == {sentence: "v1.9"}
        assert memory.lookup([sentence], "fa", "en", "translate-fa_en@2.0") == {sentence: "v2.0"}
        models = sorted(p["model"] for p in memory.stats()["pairs"])
    assert models == [MODEL, "translate-fa_en@2.0"]


def test_large_batches_beyond_one_in_list(db_path: Path, seeds_dir: Path) -> None:
    words = (seeds_dir / "000_cfe427b699b4a0b7.txt").read_text(encoding="utf-8").split()
    sources = [f"{words[i % len(words)]} {i} {words[(i * 7) % len(words)]}" for i in range(1_300)]
    with TranslationMemory(db_path) as memory:
        memory.store([(s, s.upper()) for s in sources], "az", "en", "translate-az_en@1.0")
        found = memory.lookup([*sources, "yoxdur"], "az", "en", "translate-az_en@1.0")
    assert found == {s: s.upper() for s in sources}


def test_the_apps_memory_is_in_yanyana_home(yanyana_home: Path) -> None:
    from reader.translation.documents import open_memory

    with open_memory() as memory:
        memory.store([("سلام", "hello")], "fa", "en", MODEL)
        assert memory.path == paths.translations_db()
    assert paths.translations_db().is_file()
    assert paths.translations_db().parent == yanyana_home


# --------------------------------------------------------------------------- damaged files


def test_garbage_file_is_moved_aside_and_rebuilt(db_path: Path, persian_sentences: list[str]) -> None:
    garbage = b"this is not sqlite at all \x00\xff" * 300
    db_path.write_bytes(garbage)
    db_path.with_name("translations.db-wal").write_bytes(b"stale wal")
    memory = TranslationMemory(db_path)
    try:
        assert len(memory.warnings) == 1
        assert "damaged" in memory.warnings[0] and "rebuilt" in memory.warnings[0]
        moved = asides(db_path.parent)
        assert len(moved) == 2  # the file and its -wal, under the same suffix
        main = next(p for p in moved if not p.name.endswith("-wal"))
        assert main.read_bytes() == garbage
        assert main.name in memory.warnings[0]
        assert main.with_name(main.name + "-wal").read_bytes() == b"stale wal"
        assert not memory.in_memory
        memory.store([(persian_sentences[0], "ok")], "fa", "en", MODEL)
        assert memory.lookup([persian_sentences[0]], "fa", "en", MODEL) == {persian_sentences[0]: "ok"}
    finally:
        memory.close()
    with sqlite3.connect(db_path) as check:
        assert check.execute("PRAGMA quick_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("keep", [0.5, 0.1, 100])
def test_truncated_database_is_rebuilt(db_path: Path, persian_sentences: list[str], keep: float) -> None:
    with TranslationMemory(db_path) as memory:
        memory.store(
            [(f"{s} ({i})", fake_translation(s)) for i in range(60) for s in persian_sentences],
            "fa",
            "en",
            MODEL,
        )
    size = db_path.stat().st_size
    assert size > 100_000
    with db_path.open("r+b") as handle:
        handle.truncate(int(size * keep) if keep < 1 else int(keep))
    with TranslationMemory(db_path) as memory:
        assert len(memory.warnings) == 1 and "damaged" in memory.warnings[0]
        assert len(asides(db_path.parent)) == 1
        assert memory.stats()["entries"] == 0
        memory.store([(persian_sentences[0], "again")], "fa", "en", MODEL)
        assert memory.lookup([persian_sentences[0]], "fa", "en", MODEL) == {persian_sentences[0]: "again"}


def test_foreign_sqlite_file_is_moved_aside(db_path: Path) -> None:
    with sqlite3.connect(db_path) as other:
        other.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT)")
        other.execute("INSERT INTO documents (title) VALUES ('keep me')")
    other.close()
    with TranslationMemory(db_path) as memory:
        assert len(memory.warnings) == 1
        memory.store([("salam", "hello")], "fa", "en", MODEL)
    (moved,) = asides(db_path.parent)
    with sqlite3.connect(moved) as check:
        assert check.execute("SELECT title FROM documents").fetchall() == [("keep me",)]
    check.close()


def test_empty_file_is_initialised_without_warning(db_path: Path) -> None:
    db_path.write_bytes(b"")
    with TranslationMemory(db_path) as memory:
        assert memory.warnings == []
        memory.store([("salam", "hello")], "fa", "en", MODEL)
        assert memory.lookup(["salam"], "fa", "en", MODEL) == {"salam": "hello"}
    assert asides(db_path.parent) == []


def test_cache_from_newer_version_is_left_alone(db_path: Path) -> None:
    with TranslationMemory(db_path) as memory:
        memory.store([("salam", "hello")], "fa", "en", MODEL)
    with sqlite3.connect(db_path) as raw:
        raw.execute("PRAGMA user_version = 99")
    raw.close()
    before = db_path.read_bytes()
    with TranslationMemory(db_path) as memory:
        assert memory.in_memory
        assert len(memory.warnings) == 1 and "newer version" in memory.warnings[0]
        memory.store([("salam", "hi")], "fa", "en", MODEL)
        assert memory.lookup(["salam"], "fa", "en", MODEL) == {"salam": "hi"}
    assert db_path.read_bytes() == before
    assert asides(db_path.parent) == []


def test_path_that_is_a_folder_falls_back_to_memory(db_path: Path) -> None:
    db_path.mkdir()
    (db_path / "user-file.txt").write_text("mine", encoding="utf-8")
    with TranslationMemory(db_path) as memory:
        assert memory.in_memory
        assert len(memory.warnings) == 1 and "folder" in memory.warnings[0]
        memory.store([("salam", "hello")], "fa", "en", MODEL)
        assert memory.lookup(["salam"], "fa", "en", MODEL) == {"salam": "hello"}
        assert memory.stats()["entries"] == 1
    assert (db_path / "user-file.txt").read_text(encoding="utf-8") == "mine"


# --------------------------------------------------------------------------- read-only and write errors


def _filled(db_path: Path, sentences: list[str]) -> dict[str, str]:
    pairs = {s: fake_translation(s) for s in sentences}
    with TranslationMemory(db_path) as memory:
        memory.store(pairs.items(), "fa", "en", MODEL)
    return pairs


def test_readonly_flag_allows_lookup_and_refuses_writes(db_path: Path, persian_sentences: list[str]) -> None:
    pairs = _filled(db_path, persian_sentences)
    before = db_path.read_bytes()
    with TranslationMemory(db_path, readonly=True) as memory:
        assert memory.readonly and not memory.in_memory
        assert memory.lookup(list(pairs), "fa", "en", MODEL) == pairs
        with pytest.raises(CacheWriteError) as caught:
            memory.store([("تازه", "new")], "fa", "en", MODEL)
        message = str(caught.value)
        assert "read-only" in message and "\n" not in message and message.endswith(".")
        assert isinstance(caught.value, TranslationCacheError)
        with pytest.raises(CacheWriteError):
            memory.prune(1)
        with pytest.raises(CacheWriteError):
            memory.clear()
        assert memory.lookup(list(pairs), "fa", "en", MODEL) == pairs
    assert db_path.read_bytes() == before


def test_readonly_flag_on_missing_file_is_an_empty_cache(db_path: Path) -> None:
    with TranslationMemory(db_path, readonly=True) as memory:
        assert memory.lookup(["salam"], "fa", "en", MODEL) == {}
        with pytest.raises(CacheWriteError):
            memory.store([("salam", "hello")], "fa", "en", MODEL)
    assert not db_path.exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="chmod does not restrict root")
def test_readonly_folder_is_detected(db_path: Path, persian_sentences: list[str]) -> None:
    pairs = _filled(db_path, persian_sentences)
    folder = db_path.parent
    db_path.chmod(0o444)
    folder.chmod(0o555)
    try:
        with TranslationMemory(db_path) as memory:
            assert memory.readonly
            assert memory.lookup(list(pairs), "fa", "en", MODEL) == pairs
            with pytest.raises(CacheWriteError):
                memory.store([("تازه", "new")], "fa", "en", MODEL)
    finally:
        folder.chmod(0o755)
        db_path.chmod(0o644)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="chmod does not restrict root")
def test_damaged_or_missing_cache_in_readonly_folder_falls_back_to_memory(db_path: Path) -> None:
    folder = db_path.parent
    garbage = b"\x00garbage" * 100
    db_path.write_bytes(garbage)
    folder.chmod(0o555)
    try:
        with TranslationMemory(db_path) as memory:
            assert memory.in_memory
            assert len(memory.warnings) == 1 and "damaged" in memory.warnings[0]
            memory.store([("salam", "hello")], "fa", "en", MODEL)
            assert memory.lookup(["salam"], "fa", "en", MODEL) == {"salam": "hello"}
        missing = folder / "other.db"
        with TranslationMemory(missing) as memory:
            assert memory.in_memory and "could not be created" in memory.warnings[0]
    finally:
        folder.chmod(0o755)
    assert db_path.read_bytes() == garbage
    assert asides(folder) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="chmod does not restrict root")
def test_unreadable_cache_file_is_moved_aside(db_path: Path, persian_sentences: list[str]) -> None:
    _filled(db_path, persian_sentences)
    db_path.chmod(0o000)
    with TranslationMemory(db_path) as memory:
        assert len(memory.warnings) == 1 and "could not be read" in memory.warnings[0]
        assert not memory.in_memory
        memory.store([("salam", "hello")], "fa", "en", MODEL)
    assert len(asides(db_path.parent)) == 1


def test_full_disk_on_store_raises_cache_write_error(db_path: Path, persian_sentences: list[str]) -> None:
    pairs = _filled(db_path, persian_sentences[:3])
    with TranslationMemory(db_path) as memory:
        # Simulate a full disk the way SQLite reports it: cap the file at its current page count.
        conn = memory._conn
        assert conn is not None
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        big = [(f"{s} {i}", fake_translation(s) * 20) for i in range(200) for s in persian_sentences]
        with pytest.raises(CacheWriteError) as caught:
            memory.store(big, "fa", "en", MODEL)
        assert "disk is full" in str(caught.value)
        assert memory.lookup(list(pairs), "fa", "en", MODEL) == pairs
        assert memory.lookup([big[0][0]], "fa", "en", MODEL) == {}  # the failed batch left nothing behind


# --------------------------------------------------------------------------- prune, clear


def test_prune_keeps_recently_used_and_gets_under_cap(db_path: Path, persian_sentences: list[str]) -> None:
    sources = [f"{persian_sentences[i % len(persian_sentences)]} [{i}]" for i in range(3_000)]
    recent = sources[:100]  # stored first: without usage tracking these would be the first to go
    with TranslationMemory(db_path) as memory:
        memory.store([(s, fake_translation(s)) for s in sources], "fa", "en", MODEL)
        assert memory.lookup(recent, "fa", "en", MODEL).keys() == set(recent)
    # last-used times are written on close; a new session prunes
    with TranslationMemory(db_path) as memory:
        before = memory.stats()
        cap = before["bytes"] // 3
        deleted = memory.prune(cap)
        after = memory.stats()
        assert 0 < deleted < len(sources)
        assert after["entries"] == len(sources) - deleted
        assert after["bytes"] <= cap
        assert disk_bytes(db_path) <= cap
        assert memory.lookup(recent, "fa", "en", MODEL).keys() == set(recent)
        assert memory.lookup([sources[150]], "fa", "en", MODEL) == {}  # older than the recent ones
        assert memory.prune(cap) == 0


def test_prune_below_empty_size_deletes_everything(db_path: Path, persian_sentences: list[str]) -> None:
    _filled(db_path, persian_sentences)
    with TranslationMemory(db_path) as memory:
        assert memory.prune(0) == len(set(persian_sentences))
        assert memory.stats()["entries"] == 0
        assert memory.stats()["pairs"] == []


def test_clear_empties_and_shrinks(db_path: Path, persian_sentences: list[str]) -> None:
    sources = [f"{s} {i}" for i in range(100) for s in persian_sentences]
    with TranslationMemory(db_path) as memory:
        memory.store([(s, s) for s in sources], "fa", "en", MODEL)
        full = memory.stats()["bytes"]
        memory.clear()
        assert memory.stats()["entries"] == 0
        assert memory.stats()["bytes"] < full
        assert memory.lookup(sources[:5], "fa", "en", MODEL) == {}


# --------------------------------------------------------------------------- TMX


def _parse_tmx(path: Path) -> tuple[ET.Element, list[tuple[str, str, str, str, str | None]]]:
    root = ET.parse(path).getroot()
    units = []
    for tu in root.iter("tu"):
        tuvs = tu.findall("tuv")
        assert len(tuvs) == 2
        model = next((p.text for p in tu.findall("prop") if p.get("type") == "x-model"), None)
        units.append(
            (
                tuvs[0].get(XML_LANG) or "",
                tuvs[1].get(XML_LANG) or "",
                tuvs[0].findtext("seg") or "",
                tuvs[1].findtext("seg") or "",
                model,
            )
        )
    return root, units


def test_export_tmx_all_pairs_and_one_pair(
    tmp_path: Path, db_path: Path, persian_sentences: list[str]
) -> None:
    az = (SEEDS / "000_cfe427b699b4a0b7.txt").read_text(encoding="utf-8").splitlines()
    az_lines = [line for line in az if line.strip()][:4]
    fa_pairs = [(s, fake_translation(s)) for s in persian_sentences[:5]]
    az_pairs = [(s, f"az→en: {s[:15]}") for s in az_lines]
    with TranslationMemory(db_path) as memory:
        memory.store(fa_pairs, "fa", "en", MODEL)
        memory.store(az_pairs, "az", "en", "translate-az_en@1.0")

        everything = tmp_path / "all.tmx"
        assert memory.export_tmx(everything) == len(fa_pairs) + len(az_pairs)
        root, units = _parse_tmx(everything)
        assert root.tag == "tmx" and root.get("version") == "1.4"
        header = root.find("header")
        assert header is not None
        assert header.get("creationtool") == "Yanyana"
        assert header.get("srclang") == "*all*"
        for attribute in ("creationtoolversion", "o-tmf"):
            assert header.get(attribute)
        assert (header.get("adminlang"), header.get("datatype"), header.get("segtype")) == (
            "en",
            "plaintext",
            "sentence",
        )
        expected = {("fa", "en", s, t, MODEL) for s, t in fa_pairs} | {
            ("az", "en", s, t, "translate-az_en@1.0") for s, t in az_pairs
        }
        assert set(units) == expected

        only_fa = tmp_path / "fa-en.tmx"
        assert memory.export_tmx(only_fa, "fa", "en") == len(fa_pairs)
        root, units = _parse_tmx(only_fa)
        assert root.find("header").get("srclang") == "fa"  # type: ignore[union-attr]
        assert set(units) == {("fa", "en", s, t, MODEL) for s, t in fa_pairs}

        assert memory.export_tmx(tmp_path / "none.tmx", "tr", "en") == 0
        assert _parse_tmx(tmp_path / "none.tmx")[1] == []
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_tmx_escapes_and_drops_illegal_characters(tmp_path: Path, db_path: Path) -> None:
    source = 'A & B <b>"quoted"</b> \x07bell\x00 line\r\nnext'
    translation = "x < y && z > 'w'\x1b"
    with TranslationMemory(db_path) as memory:
        memory.store([(source, translation)], "fa", "en", MODEL)
        assert memory.export_tmx(tmp_path / "out.tmx") == 1
    _, units = _parse_tmx(tmp_path / "out.tmx")
    assert units == [
        ("fa", "en", 'A & B <b>"quoted"</b> bell line\r\nnext', "x < y && z > 'w'", MODEL),
    ]


def test_export_tmx_to_unwritable_target_raises_one_sentence(tmp_path: Path, db_path: Path) -> None:
    with TranslationMemory(db_path) as memory:
        memory.store([("salam", "hello")], "fa", "en", MODEL)
        with pytest.raises(TmxExportError) as caught:
            memory.export_tmx(tmp_path / "no-such-folder" / "out.tmx")
        assert "\n" not in str(caught.value)
        assert isinstance(caught.value, TranslationCacheError)  # one class for the CLI to catch
        with pytest.raises(TmxExportError):
            memory.export_tmx(tmp_path)  # a folder


# --------------------------------------------------------------------------- threads


def test_threads_and_a_second_connection_store_and_look_up(
    db_path: Path, persian_sentences: list[str]
) -> None:
    shared = TranslationMemory(db_path)
    second = TranslationMemory(db_path)  # another window or the CLI on the same file
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer(memory: TranslationMemory, lang: str) -> None:
        try:
            for batch in range(25):
                pairs = {
                    f"{persian_sentences[i % len(persian_sentences)]} {lang}{batch}.{i}": f"{lang} {batch} {i}"
                    for i in range(40)
                }
                memory.store(pairs.items(), lang, "en", MODEL)
                assert memory.lookup(list(pairs), lang, "en", MODEL) == pairs
        except BaseException as exc:  # reported below
            errors.append(exc)

    def reader() -> None:
        try:
            while not stop.is_set():
                shared.lookup(persian_sentences, "fa", "en", MODEL)
                shared.stats()
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=writer, args=(shared, "fa")),
        threading.Thread(target=writer, args=(shared, "ar")),
        threading.Thread(target=writer, args=(second, "tr")),
    ]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    stop.set()
    watcher.join(timeout=30)
    try:
        assert errors == []
        assert shared.stats()["entries"] == 3 * 25 * 40
        assert {p["from"] for p in second.stats()["pairs"]} == {"fa", "ar", "tr"}
    finally:
        shared.close()
        second.close()


def test_close_is_idempotent_and_use_after_close_is_a_bug(db_path: Path) -> None:
    memory = TranslationMemory(db_path)
    memory.close()
    memory.close()
    with pytest.raises(RuntimeError):
        memory.lookup(["salam"], "fa", "en", MODEL)


def test_simultaneous_first_open_creates_one_schema(db_path: Path) -> None:
    barrier = threading.Barrier(4)
    opened: list[TranslationMemory] = []
    lock = threading.Lock()

    def open_it() -> None:
        barrier.wait()
        memory = TranslationMemory(db_path)
        with lock:
            opened.append(memory)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert len(opened) == 4
        assert all(not m.in_memory and m.warnings == [] for m in opened)
        opened[0].store([("salam", "hello")], "fa", "en", MODEL)
        assert all(m.lookup(["salam"], "fa", "en", MODEL) == {"salam": "hello"} for m in opened)
    finally:
        for memory in opened:
            memory.close()
