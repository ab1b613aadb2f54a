"""Installed models: install (file and folder), upgrade, remove, refusals, broken folders, offline index."""

from __future__ import annotations

import http.server
import ipaddress
import json
import os
import shutil
import socket
import stat
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader import paths
from reader.translation import models
from reader.translation.models import ModelError

# --------------------------------------------------------------------------------------------------- network


def _is_loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return str(host) == "localhost"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection beyond this machine's loopback fails, as it would offline."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: object) -> None:
        if not _is_loopback(address):
            raise OSError(101, "Network is unreachable (blocked in tests)")
        real_connect(self, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host is not None and not _is_loopback(host):
            raise socket.gaierror(-3, "Temporary failure in name resolution (blocked in tests)")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for variable in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")


# --------------------------------------------------------------------------------------------------- helpers


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _assert_one_sentence(error: BaseException) -> None:
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message
    assert message.endswith("."), message


def _rezip(
    source: Path,
    destination: Path,
    *,
    keep: Callable[[str], bool] = lambda name: True,
    extra: list[tuple[zipfile.ZipInfo | str, bytes]] | None = None,
    replace: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Copy an archive member by member, dropping, replacing or adding members."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(destination, "w", compression) as dst:
        for info in src.infolist():
            if not keep(info.filename):
                continue
            data = (replace or {}).get(info.filename, src.read(info))
            dst.writestr(info.filename, data)
        for name, data in extra or []:
            dst.writestr(name, data)
    return destination


def _top(archive: Path) -> str:
    with zipfile.ZipFile(archive) as zf:
        return zf.namelist()[0].split("/")[0]


# --------------------------------------------------------------------------------------------------- install


def test_install_lists_the_package_with_its_metadata(tiny_argos_archives: dict[str, Path]) -> None:
    installed = models.install_from_path(tiny_argos_archives["fa_en"])
    assert len(installed) == 1
    model = installed[0]
    assert (model.from_code, model.to_code, model.version) == ("fa", "en", "1.0")
    assert model.code == "translate-fa_en"
    assert model.model_id == "translate-fa_en@1.0"
    assert model.name == "Persian→English"
    assert model.target_prefix == ""
    assert model.path == paths.models_dir() / _top(tiny_argos_archives["fa_en"])
    assert (model.path / "model" / "model.bin").is_file()
    assert (model.path / "sentencepiece.model").is_file()
    assert model.size == sum(p.stat().st_size for p in model.path.rglob("*") if p.is_file())
    assert models.list_installed() == [model]
    assert models.find("fa", "en") == model
    assert models.find("en", "fa") is None
    # nothing but the package folder is left in the models folder
    assert _entries(paths.models_dir()) == [model.path.name]


def test_target_prefix_is_read_from_metadata(tiny_argos_archives: dict[str, Path]) -> None:
    model = models.install_from_path(tiny_argos_archives["az_en"])[0]
    assert model.target_prefix == "<2en>"
    assert model.name == "Azerbaijani→English"


def test_installed_package_opens_with_argos_package_class(tiny_argos_archives: dict[str, Path]) -> None:
    model = models.install_from_path(tiny_argos_archives["tr_en"])[0]
    package = models.open_package(model)
    assert (package.from_code, package.to_code, package.package_version) == ("tr", "en", "1.0")
    assert package.tokenizer.encode("Türkiye") != []


def test_reinstalling_the_same_version_changes_nothing(tiny_argos_archives: dict[str, Path]) -> None:
    first = models.install_from_path(tiny_argos_archives["fa_en"])[0]
    marker = first.path / "marker.txt"
    marker.write_text("still the same folder", encoding="utf-8")
    again = models.install_from_path(tiny_argos_archives["fa_en"])[0]
    assert again.path == first.path and again.version == first.version
    assert marker.exists()
    assert _entries(paths.models_dir()) == [first.path.name]


def test_newer_version_replaces_the_old_one(tiny_argos_archives: dict[str, Path]) -> None:
    old = models.install_from_path(tiny_argos_archives["fa_en"])[0]
    new = models.install_from_path(tiny_argos_archives["fa_en_v2"])[0]
    assert new.version == "1.1" and new.model_id == "translate-fa_en@1.1" != old.model_id
    assert not old.path.exists()
    assert models.find("fa", "en") == new
    assert _entries(paths.models_dir()) == [new.path.name]


def test_older_version_is_refused_and_the_newer_kept(tiny_argos_archives: dict[str, Path]) -> None:
    new = models.install_from_path(tiny_argos_archives["fa_en_v2"])[0]
    with pytest.raises(ModelError, match="newer Persian→English model") as info:
        models.install_from_path(tiny_argos_archives["fa_en"])
    _assert_one_sentence(info.value)
    assert models.list_installed() == [new]
    assert _entries(paths.models_dir()) == [new.path.name]


def test_failed_swap_keeps_the_old_version(
    tiny_argos_archives: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = models.install_from_path(tiny_argos_archives["fa_en"])[0]
    new_name = _top(tiny_argos_archives["fa_en_v2"])
    real_replace = os.replace

    def failing_replace(src: object, dst: object) -> None:
        if Path(str(dst)).name == new_name:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(models.os, "replace", failing_replace)
    with pytest.raises(ModelError, match="could not be moved") as info:
        models.install_from_path(tiny_argos_archives["fa_en_v2"])
    _assert_one_sentence(info.value)
    assert models.list_installed() == [old]
    assert _entries(paths.models_dir()) == [old.path.name]


def test_remove(tiny_argos_archives: dict[str, Path]) -> None:
    fa = models.install_from_path(tiny_argos_archives["fa_en"])[0]
    ar = models.install_from_path(tiny_argos_archives["ar_en"])[0]
    removed = models.remove("fa", "en")
    assert removed == fa
    assert not fa.path.exists()
    assert models.list_installed() == [ar]
    assert _entries(paths.models_dir()) == [ar.path.name]
    with pytest.raises(ModelError, match="No Persian→English model is installed") as info:
        models.remove("fa", "en")
    _assert_one_sentence(info.value)


def test_install_from_a_folder_installs_every_good_archive(
    tiny_argos_archives: dict[str, Path], tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    shutil.copy(tiny_argos_archives["fa_en"], stick)
    shutil.copy(tiny_argos_archives["ar_en"], stick)
    (stick / "notes.txt").write_text("not a model", encoding="utf-8")
    installed = models.install_from_path(stick)
    assert sorted((m.from_code, m.to_code) for m in installed) == [("ar", "en"), ("fa", "en")]
    assert sorted(m.from_code for m in models.list_installed()) == ["ar", "fa"]


def test_folder_with_a_bad_archive_installs_the_rest_and_names_the_bad_one(
    tiny_argos_archives: dict[str, Path], tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    shutil.copy(tiny_argos_archives["tr_en"], stick)
    (stick / "broken.argosmodel").write_text("this is not a zip archive", encoding="utf-8")
    with pytest.raises(models.PartlyInstalled, match=r"broken\.argosmodel") as info:
        models.install_from_path(stick)
    _assert_one_sentence(info.value)
    assert [m.from_code for m in info.value.installed] == ["tr"]
    assert [m.from_code for m in models.list_installed()] == ["tr"]
    assert not [n for n in _entries(paths.models_dir()) if n.startswith(".")]


def test_empty_folder_and_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"no \.argosmodel files") as info:
        models.install_from_path(tmp_path)
    _assert_one_sentence(info.value)
    with pytest.raises(ModelError, match="does not exist"):
        models.install_from_path(tmp_path / "nothing.argosmodel")


# --------------------------------------------------------------------------------------------------- refusals


def _symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _bad_archive(kind: str, good: Path, tmp_path: Path) -> Path:
    top = _top(good)
    out = tmp_path / f"{kind}.argosmodel"
    if kind == "not_a_zip":
        out.write_text("PK? no, just text pretending to be a model\n", encoding="utf-8")
        return out
    if kind == "truncated":
        data = good.read_bytes()
        out.write_bytes(data[: len(data) // 2])
        return out
    if kind == "crc":
        # stored (uncompressed) copy with one byte of model.bin flipped: only the CRC check can notice
        stored = _rezip(good, tmp_path / "stored.zip", compression=zipfile.ZIP_STORED)
        data = bytearray(stored.read_bytes())
        with zipfile.ZipFile(stored) as zf:
            info = zf.getinfo(f"{top}/model/model.bin")
        header = 30 + len(info.filename.encode()) + len(info.extra)
        data[info.header_offset + header + info.file_size // 2] ^= 0xFF
        out.write_bytes(bytes(data))
        return out
    if kind == "no_model":
        return _rezip(good, out, keep=lambda n: not n.startswith(f"{top}/model/"))
    if kind == "no_metadata":
        return _rezip(good, out, keep=lambda n: n != f"{top}/metadata.json")
    if kind == "dotdot":
        return _rezip(good, out, extra=[("../evil.txt", b"escaped")])
    if kind == "dotdot_inside":
        return _rezip(good, out, extra=[(f"{top}/../../evil.txt", b"escaped")])
    if kind == "absolute":
        return _rezip(good, out, extra=[(f"/{tmp_path.as_posix().strip('/')}/evil.txt", b"escaped")])
    if kind == "symlink":
        return _rezip(good, out, extra=[(_symlink_info(f"{top}/model/evil-link"), b"/etc/passwd")])
    if kind == "two_tops":
        return _rezip(good, out, extra=[("another-package/readme.txt", b"second top folder")])
    if kind == "file_at_top":
        return _rezip(good, out, extra=[("stray.txt", b"no folder")])
    if kind == "wrong_type":
        metadata = json.loads(zipfile.ZipFile(good).read(f"{top}/metadata.json"))
        metadata["type"] = "sbd"
        return _rezip(good, out, replace={f"{top}/metadata.json": json.dumps(metadata).encode()})
    if kind == "bad_json":
        return _rezip(good, out, replace={f"{top}/metadata.json": b"{not json"})
    raise AssertionError(kind)


REFUSALS = {
    "not_a_zip": "not a zip archive",
    "truncated": "not a zip archive or it is damaged",
    "crc": "damaged",
    "no_model": "no model/",
    "no_metadata": "no metadata.json",
    "dotdot": "'..' path",
    "dotdot_inside": "'..' path",
    "absolute": "absolute path",
    "symlink": "symbolic link",
    "two_tops": "exactly one top folder",
    "file_at_top": "exactly one top folder",
    "wrong_type": "not a translation model",
    "bad_json": "not valid JSON",
}


@pytest.mark.parametrize("kind", sorted(REFUSALS))
def test_bad_archives_are_refused_and_leave_nothing_behind(
    kind: str, tiny_argos_archives: dict[str, Path], tmp_path: Path
) -> None:
    existing = models.install_from_path(tiny_argos_archives["ar_en"])[0]
    before = {p.relative_to(tmp_path) for p in tmp_path.rglob("*")}
    archive = _bad_archive(kind, tiny_argos_archives["fa_en"], tmp_path)
    models_before = sorted(p.relative_to(paths.models_dir()) for p in paths.models_dir().rglob("*"))
    with pytest.raises(ModelError) as info:
        models.install_from_path(archive)
    assert REFUSALS[kind] in str(info.value)
    _assert_one_sentence(info.value)
    # the models folder is exactly as before: no half-extracted package, no temporary folder
    assert sorted(p.relative_to(paths.models_dir()) for p in paths.models_dir().rglob("*")) == models_before
    assert models.list_installed() == [existing]
    # and nothing escaped anywhere else
    after = {p.relative_to(tmp_path) for p in tmp_path.rglob("*")}
    assert {p.name for p in after - before} <= {archive.name, "stored.zip"}
    assert not list(paths.home().parent.rglob("evil.txt"))


def test_crc_refusal_really_is_the_integrity_check(
    tiny_argos_archives: dict[str, Path], tmp_path: Path
) -> None:
    archive = _bad_archive("crc", tiny_argos_archives["fa_en"], tmp_path)
    with zipfile.ZipFile(archive) as zf:  # the archive itself opens and lists fine
        assert zf.testzip() is not None


# --------------------------------------------------------------------------------------------------- listing


def test_broken_folders_are_skipped_and_named(tiny_argos_archives: dict[str, Path]) -> None:
    good = models.install_from_path(tiny_argos_archives["fa_en"])[0]
    broken = paths.models_dir() / "translate-xx_en-1_0"
    broken.mkdir()
    (broken / "metadata.json").write_text(
        json.dumps({"from_code": "xx", "to_code": "en", "package_version": "1.0"}), encoding="utf-8"
    )
    garbage = paths.models_dir() / "garbage"
    garbage.mkdir()
    (garbage / "metadata.json").write_text("{oops", encoding="utf-8")
    (paths.models_dir() / ".installing-leftover").mkdir()  # hidden temporary folders are ignored
    installed, problems = models.list_installed_with_problems()
    assert installed == [good]
    assert len(problems) == 2
    assert any("translate-xx_en-1_0" in p and "model.bin" in p for p in problems)
    assert any("garbage" in p and "metadata.json" in p for p in problems)
    assert models.list_installed() == [good]
    assert models.find("xx", "en") is None


def test_newest_version_wins_when_two_folders_hold_a_pair(tiny_argos_archives: dict[str, Path]) -> None:
    # e.g. copied in by hand: both are listed, newest first, and find() picks the newest
    for name in ("fa_en", "fa_en_v2"):
        with zipfile.ZipFile(tiny_argos_archives[name]) as zf:
            zf.extractall(paths.models_dir())
    listed = models.list_installed()
    assert [m.version for m in listed] == ["1.1", "1.0"]
    assert models.find("fa", "en").version == "1.1"  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------------------- network


def test_available_packages_offline_says_so() -> None:
    with pytest.raises(ModelError, match=r"^You appear to be offline") as info:
        models.available_packages(timeout=2)
    _assert_one_sentence(info.value)


def test_download_offline_says_so_and_leaves_nothing() -> None:
    with pytest.raises(ModelError, match=r"^You appear to be offline"):
        models.download("fa", "en", timeout=2)
    assert not [n for n in _entries(paths.models_dir()) if n.startswith(".")]


def test_index_url_is_argos_default_index() -> None:
    url = models.package_index_url()
    assert url.startswith("https://") and url.endswith("/index.json")


@pytest.fixture
def local_index(tiny_argos_archives: dict[str, Path], tmp_path: Path) -> Iterator[str]:
    """A package index and one package served on 127.0.0.1 (never the network)."""
    root = tmp_path / "www"
    root.mkdir()
    shutil.copy(tiny_argos_archives["fa_en"], root / "fa_en.argosmodel")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(root))
    )
    server.RequestHandlerClass.log_message = lambda *a: None  # type: ignore[method-assign]
    base = f"http://127.0.0.1:{server.server_address[1]}"
    index = [
        {
            "type": "translate",
            "code": "translate-fa_en",
            "from_code": "fa",
            "to_code": "en",
            "from_name": "Persian",
            "to_name": "English",
            "package_version": "1.0",
            "argos_version": "1.11.0",
            "links": [f"{base}/missing.argosmodel", f"{base}/fa_en.argosmodel"],
        }
    ]
    (root / "index.json").write_text(json.dumps(index), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{base}/index.json"
    finally:
        server.shutdown()
        server.server_close()


def test_download_from_an_index_installs_with_progress(
    local_index: str, tiny_argos_archives: dict[str, Path]
) -> None:
    listed = models.available_packages(timeout=5, index_url=local_index)
    assert [(p["from_code"], p["to_code"]) for p in listed] == [("fa", "en")]
    calls: list[tuple[int, int]] = []
    model = models.download(
        "fa", "en", progress=lambda d, t: calls.append((d, t)), timeout=5, index_url=local_index
    )
    assert (model.from_code, model.to_code, model.version) == ("fa", "en", "1.0")
    size = tiny_argos_archives["fa_en"].stat().st_size
    assert calls and calls[-1] == (size, size)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert _entries(paths.models_dir()) == [model.path.name]
    with pytest.raises(ModelError, match="has no Persian→German model"):
        models.download("fa", "de", timeout=5, index_url=local_index)


def test_download_to_folder_only_downloads(
    local_index: str, tiny_argos_archives: dict[str, Path], tmp_path: Path
) -> None:
    stick = tmp_path / "usb stick"
    calls: list[tuple[int, int]] = []
    path = models.download_to_folder(
        "fa", "en", stick, progress=lambda d, t: calls.append((d, t)), timeout=5, index_url=local_index
    )
    assert path == stick / "translate-fa_en-1_0.argosmodel"
    assert path.read_bytes() == tiny_argos_archives["fa_en"].read_bytes()
    assert _entries(stick) == [path.name]  # no temporary file left beside it
    assert models.list_installed() == []  # nothing installed
    size = path.stat().st_size
    assert calls[-1] == (size, size)
    # what was downloaded installs from the folder, offline
    (installed,) = models.install_from_path(stick)
    assert (installed.from_code, installed.to_code, installed.version) == ("fa", "en", "1.0")


def test_download_to_folder_offline_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"^You appear to be offline") as info:
        models.download_to_folder("fa", "en", tmp_path / "stick", timeout=2)
    _assert_one_sentence(info.value)
    assert _entries(tmp_path / "stick") == []


def test_scan_folder_lists_pairs_sizes_and_problems(
    tiny_argos_archives: dict[str, Path], tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    (stick / "sub").mkdir(parents=True)
    shutil.copy(tiny_argos_archives["az_en"], stick / "sub" / "az.argosmodel")
    shutil.copy(tiny_argos_archives["fa_en_v2"], stick / "fa.argosmodel")
    (stick / "fake.argosmodel").write_text("not a zip", encoding="utf-8")
    (stick / "readme.txt").write_text("models for the trip", encoding="utf-8")
    found = models.scan_folder(stick)
    assert [(f.from_code, f.to_code, f.version, f.path.name) for f in found[:2]] == [
        ("az", "en", "1.0", "az.argosmodel"),
        ("fa", "en", "1.1", "fa.argosmodel"),
    ]
    assert found[0].size == tiny_argos_archives["az_en"].stat().st_size and not found[0].problem
    assert found[1].name == "Persian→English"
    assert found[2].path.name == "fake.argosmodel" and "not a zip archive" in found[2].problem
    assert len(found) == 3
    assert models.list_installed() == []  # scanning installs nothing
    with pytest.raises(ModelError, match="is not a folder"):
        models.scan_folder(stick / "readme.txt")
