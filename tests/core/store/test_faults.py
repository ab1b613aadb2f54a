"""Storage faults: a library file is never silently replaced, and full disks, locks, races, a deleted WAL and
read-only media each give one sentence with nothing half-stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader import paths
from reader.core import importing
from reader.core.store import backup, library
from reader.core.store.annotations import Annotations
from reader.core.store.faults import LibraryReadOnly, StorageFault
from reader.core.store.library import Library, LibraryUnreadable


def _one_sentence(message: str) -> None:
    assert message and "\n" not in message and message.endswith("."), message


def _library_with_backup() -> Path:
    with Library() as lib:
        Annotations(lib).add(lib.documents()[0].id, 0, 5, note="precious")
        made = backup.backup_now(lib)
    return made


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda data: b"", "empty (0 bytes)"),
        (lambda data: data[: len(data) // 2], "truncated"),
        (lambda data: data[:60], "truncated"),
        (lambda data: b"<html>not a database</html>" * 10, "not an SQLite database"),
    ],
)
def test_an_unusable_library_file_is_never_replaced(damage: Callable[[bytes], bytes], says: str) -> None:
    made = _library_with_backup()
    db = paths.library_db()
    assert not db.with_name("library.db-wal").exists()  # closed cleanly: everything is in the main file
    db.write_bytes(damage(db.read_bytes()))
    before = db.read_bytes()
    with pytest.raises(backup.LibraryDamaged) as caught:
        backup.open_checked()
    message = str(caught.value)
    _one_sentence(message)
    assert says in message and str(made) in message and "left untouched" in message
    assert caught.value.newest_good == made
    with pytest.raises(LibraryUnreadable):
        Library()
    assert db.read_bytes() == before  # never re-seeded, never overwritten
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith("library.db")) == ["library.db"]
    restored = backup.restore_newest_good()
    assert any(p.read_bytes() == before for p in restored.kept_aside)  # the bad file is kept aside
    with Library() as lib:
        assert [a.note for a in Annotations(lib).find()] == ["precious"]


def test_only_a_missing_file_starts_a_new_library() -> None:
    assert not paths.library_db().exists()
    with backup.open_checked(check=False) as lib:
        assert len(lib.documents()) == 5


def test_a_full_disk_is_one_sentence_and_stores_nothing(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Bu bir deneme cümlesidir ve biraz uzundur. " * 20000, encoding="utf-8")
    with Library() as lib:
        before = len(lib.documents())
        pages = lib.conn.execute("PRAGMA page_count").fetchone()[0]
        lib.conn.execute(f"PRAGMA max_page_count = {pages + 20}")  # SQLITE_FULL, as on a full disk
        with pytest.raises(StorageFault) as caught:
            lib.import_file(big)
        _one_sentence(str(caught.value))
        assert "full" in str(caught.value) and "nothing was changed" in str(caught.value)
        assert len(lib.documents()) == before
        assert lib.conn.execute("SELECT count(*) FROM segments WHERE document > 5").fetchone()[0] == 0


def test_a_held_lock_names_the_process_holding_it() -> None:
    Library().close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(60)",
            str(paths.library_db()),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with Library() as lib:
            lib.conn.execute("PRAGMA busy_timeout = 200")
            with pytest.raises(StorageFault) as caught:
                lib.set_title(lib.documents()[0].id, "New title")
        message = str(caught.value)
        _one_sentence(message)
        assert "in use" in message
        if Path("/proc/locks").exists():
            assert f"process {holder.pid}" in message
    finally:
        holder.kill()
        holder.wait()


def test_a_deleted_wal_file_is_one_sentence() -> None:
    first = Library()
    first.conn.execute("PRAGMA wal_autocheckpoint = 0")
    first.set_title(first.documents()[0].id, "Changed after the last checkpoint")
    os.unlink(paths.library_db().with_name("library.db-wal"))
    try:
        with pytest.raises(StorageFault) as caught:
            Library().close()
        _one_sentence(str(caught.value))
        assert "-wal" in str(caught.value)
    finally:
        first.close()


def test_an_import_racing_another_process_reports_it_as_already_present(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "race.txt"
    source.write_text("Bu yarışan iki içe aktarmanın ortak metnidir. İkisi de bitmelidir.", encoding="utf-8")
    other = Library()
    mine = Library()
    real_of = library._Structure.of
    raced: list[library.ImportResult | None] = []

    def the_other_process_wins(text: str, doc_lang: str, **options: Any) -> object:
        if not raced:  # between my duplicate check and my write, the other process stores the same text
            raced.append(None)
            raced[0] = other.import_text(importing.import_file(source), source=str(source.resolve()))
        return real_of(text, doc_lang, **options)

    monkeypatch.setattr(library._Structure, "of", the_other_process_wins)
    result = mine.import_file(source)
    first = raced[0]
    assert first is not None and first.created and not result.created
    assert result.document.id == first.document.id
    assert any("Already in the library" in w for w in result.warnings)
    assert (
        mine.conn.execute(
            "SELECT count(*) FROM documents WHERE source = ?", (str(source.resolve()),)
        ).fetchone()[0]
        == 1
    )
    other.close()
    mine.close()


def _cli(*args: str, home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "--home", str(home), *args],
        cwd=Path(__file__).resolve().parents[3],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_three_first_starts_at_once_all_succeed(tmp_path: Path) -> None:
    home = tmp_path / "new-home"
    procs = [_cli("list", "--json", home=home) for _ in range(3)]
    outputs = [p.communicate(timeout=180) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "already exists" not in err and "Traceback" not in err
        assert len(json.loads(out)) == 5
    with Library(home / "library.db", seed=False) as lib:
        assert len(lib.documents()) == 5  # the seeds once, not three times


def test_two_imports_of_one_folder_both_finish(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(12):
        (folder / f"{n:02}.txt").write_text(
            f"Bu {n}. makaledir. İki süreç aynı klasörü aynı anda içe aktarıyor ve ikisi de bitiyor.\n"
            * (n + 1),
            encoding="utf-8",
        )
    home = tmp_path / "home"
    Library(home / "library.db").close()
    procs = [_cli("import", "--json", str(folder), home=home) for _ in range(2)]
    outputs = [p.communicate(timeout=180) for p in procs]
    created: list[int] = []
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        rows = [json.loads(line) for line in out.splitlines()]
        assert len(rows) == 12  # every file reported, whoever stored it
        created += [row["id"] for row in rows if row["created"]]
    assert len(created) == len(set(created)) == 12


def _read_only_mount_works(tmp_path: Path) -> bool:
    probe = tmp_path / "probe"
    probe.mkdir()
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount --bind -o ro {probe} {probe} && touch {probe}/x"],
        capture_output=True,
    )
    return result.returncode != 0 and b"Read-only file system" in result.stderr


def test_a_library_on_a_read_only_medium_reads_and_refuses_writes(tmp_path: Path) -> None:
    if not _read_only_mount_works(tmp_path):
        pytest.skip("needs unshare -m and bind mounts (root in a container)")
    home = tmp_path / "stick"
    with Library(home / "library.db") as lib:
        doc = lib.documents()[0].id
        Annotations(lib).add(doc, 0, 5, note="on the stick")
    before = sorted(p.name for p in home.iterdir())
    export = tmp_path / "out.md"
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(3):
        (articles / f"{n}.txt").write_text(
            f"Bu {n}. yeni makaledir ve salt okunur kütüphaneye giremez.\n", "utf-8"
        )
    script = (
        f"mount --bind -o ro {home} {home} && "
        f"{sys.executable} -m reader --home {home} list --json && "
        f"{sys.executable} -m reader --home {home} show {doc} --json >/dev/null && "
        f"{sys.executable} -m reader --home {home} search stick --json && "
        f"{sys.executable} -m reader --home {home} export {doc} --format md -o {export} && "
        f"{sys.executable} -m reader --home {home} notes add {doc} --start 0 --end 4 --note x; echo rc=$?; "
        f"{sys.executable} -m reader --home {home} import {articles}; echo import-rc=$?"
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
        timeout=300,
    )
    assert "Traceback" not in result.stderr
    assert "rc=2" in result.stdout and "import-rc=2" in result.stdout, result.stderr
    assert "on the stick" in result.stdout  # search found the note
    assert export.read_text(encoding="utf-8").count("on the stick") >= 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2  # one for the note, one (not three) for the folder import
    assert all("The library is read-only" in e and "damaged" not in e for e in errors)
    assert sorted(p.name for p in home.iterdir()) == before


def test_read_only_library_object_refuses_writes_with_one_sentence(tmp_path: Path) -> None:
    if not _read_only_mount_works(tmp_path):
        pytest.skip("needs unshare -m and bind mounts (root in a container)")
    home = tmp_path / "stick"
    Library(home / "library.db").close()
    code = (
        "import sys\n"
        "from reader.core.store.library import Library\n"
        "from reader.core.store.faults import LibraryReadOnly\n"
        f"lib = Library({str(home / 'library.db')!r})\n"
        "print(lib.read_only)\n"
        "try:\n"
        "    lib.remove(lib.documents()[0].id)\n"
        "except LibraryReadOnly as exc:\n"
        "    print(exc)\n"
        "print(len(lib.documents()))\n"
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", f'mount --bind -o ro {home} {home} && {sys.executable} -c "$0"', code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
        timeout=120,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "it is on a read-only medium", result.stderr
    assert lines[1].startswith("The library is read-only") and lines[2] == "5"
    assert LibraryReadOnly.__mro__[1] is StorageFault


def test_a_full_disk_in_the_cli_is_one_line_and_exit_2(tmp_path: Path) -> None:
    if not _read_only_mount_works(tmp_path):
        pytest.skip("needs unshare -m and mounts (root in a container)")
    home = tmp_path / "small-disk"
    home.mkdir()
    big = tmp_path / "big.txt"
    big.write_text(
        "\n\n".join(
            f"Bu {i}. paragraf diskin dolmasını sınamak için yazılmıştır ve biraz uzundur."
            for i in range(20000)
        ),
        encoding="utf-8",
    )
    python = f"{sys.executable} -m reader --home {home}"
    script = (
        f"mount -t tmpfs -o size=900k tmpfs {home} && {python} list >/dev/null && "
        f"{python} import {big}; echo import-rc=$?; {python} list --json"
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
        timeout=300,
    )
    assert "Traceback" not in result.stderr
    assert "import-rc=2" in result.stdout, result.stderr
    assert result.stderr.strip() == (
        "error: The disk holding the library is full; nothing was changed — free some space and try again."
    )
    listed = json.loads(result.stdout.split("import-rc=2", 1)[1])
    assert len(listed) == 5  # the seeds, and nothing half-imported
