"""Hostile model packages are refused at install with one sentence: zip bombs, too many files, deep paths,
oversized or deeply nested metadata, invalid language codes, and tokenizer or model files that do not load.
Also: importing argostranslate leaves the user's ~/.config, ~/.local/share and ~/.cache alone, and the models
module does not load the network stack until a download is asked for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reader import paths
from reader.translation import models
from reader.translation.models import ModelError
from tests.helpers import ROOT
from tests.translation.test_models import _assert_one_sentence, _entries, _rezip, _top


def _refused(archive: Path, match: str) -> str:
    with pytest.raises(ModelError, match=match) as info:
        models.install_from_path(archive)
    _assert_one_sentence(info.value)
    assert _entries(paths.models_dir()) == []  # nothing installed, no temporary folder left
    assert models.list_installed() == []
    return str(info.value)


def _metadata(archive: Path) -> dict[str, object]:
    with zipfile.ZipFile(archive) as zf:
        return dict(json.loads(zf.read(f"{_top(archive)}/metadata.json")))


def test_a_zip_bomb_is_refused_before_anything_is_written(
    tiny_argos_archives: dict[str, Path], tmp_path: Path
) -> None:
    source = tiny_argos_archives["fa_en"]
    top = _top(source)
    bomb = _rezip(
        source, tmp_path / "bomb.argosmodel", extra=[(f"{top}/padding.bin", bytes(300 * 1024 * 1024))]
    )
    assert bomb.stat().st_size < 2 * 1024 * 1024
    message = _refused(bomb, "would unpack to 3")
    assert "KB archive" in message


def test_an_archive_of_many_files_is_refused(tiny_argos_archives: dict[str, Path], tmp_path: Path) -> None:
    source = tiny_argos_archives["fa_en"]
    top = _top(source)
    extra: list[tuple[zipfile.ZipInfo | str, bytes]] = [(f"{top}/junk/{n}.txt", b"") for n in range(1500)]
    _refused(_rezip(source, tmp_path / "many.argosmodel", extra=extra), "holds 15.. files")


def test_deep_paths_are_refused(tiny_argos_archives: dict[str, Path], tmp_path: Path) -> None:
    source = tiny_argos_archives["fa_en"]
    deep = _top(source) + "/" + "/".join(["d"] * 30) + "/x.txt"
    _refused(_rezip(source, tmp_path / "deep.argosmodel", extra=[(deep, b"x")]), "folders deep")


def test_oversized_and_deeply_nested_metadata_is_refused(
    tiny_argos_archives: dict[str, Path], tmp_path: Path
) -> None:
    source = tiny_argos_archives["fa_en"]
    name = f"{_top(source)}/metadata.json"
    big = dict(_metadata(source), description="x" * 200_000)
    _refused(
        _rezip(source, tmp_path / "big.argosmodel", replace={name: json.dumps(big).encode()}),
        "the limit is 64 KB",
    )
    nested = b'{"from_code": "fa", "to_code": "en", "x": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    _refused(_rezip(source, tmp_path / "nested.argosmodel", replace={name: nested}), "nested too deeply")
    shallow_but_deep = dict(_metadata(source), x=[[[[[[[[[[["deep"]]]]]]]]]]])
    _refused(
        _rezip(
            source, tmp_path / "nested2.argosmodel", replace={name: json.dumps(shallow_but_deep).encode()}
        ),
        "nested too deeply",
    )


@pytest.mark.parametrize("code", ["f\x1ba", "fa\n", "f\x00", "FA", "fa-IR", "ab cd", "", "farsi"])
def test_language_codes_must_be_iso_letters(
    tiny_argos_archives: dict[str, Path], tmp_path: Path, code: str
) -> None:
    source = tiny_argos_archives["fa_en"]
    name = f"{_top(source)}/metadata.json"
    bad = dict(_metadata(source), from_code=code)
    message = _refused(
        _rezip(source, tmp_path / "code.argosmodel", replace={name: json.dumps(bad).encode()}), "from_code"
    )
    assert "\x1b" not in message and "\x00" not in message


@pytest.mark.parametrize(
    ("member", "says"),
    [("sentencepiece.model", "its tokenizer"), ("model/model.bin", "its translation model")],
)
def test_a_package_that_does_not_load_is_refused_at_install(
    tiny_argos_archives: dict[str, Path], tmp_path: Path, member: str, says: str
) -> None:
    source = tiny_argos_archives["fa_en"]
    name = f"{_top(source)}/{member}"
    broken = _rezip(source, tmp_path / "broken.argosmodel", replace={name: b"garbage " * 1000})
    _refused(broken, says)


def test_the_genuine_package_still_installs(tiny_argos_archives: dict[str, Path]) -> None:
    installed = models.install_from_path(tiny_argos_archives["tr_en"])
    assert [m.from_code for m in installed] == ["tr"]


def test_disk_space_messages_never_say_zero() -> None:
    assert models._megabytes(10) == "1 KB"
    assert models._megabytes(300 * 1024) == "300 KB"
    assert models._megabytes(3 * 1024 * 1024 + 1) == "3.0 MB"
    assert models._megabytes(300 * 1024 * 1024) == "300 MB"


def test_argostranslate_import_creates_no_folders_in_the_user_home(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(user), YANYANA_HOME=str(tmp_path / "yanyana"))
    code = (
        "import os\n"
        "from reader.translation import models\n"
        "models.argos_package_module()\n"
        "print(models.argos_setting('ARGOS_BEAM_SIZE', '4'))\n"
        "print(sorted(k for k in os.environ if k.startswith('XDG_')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["4", "[]"]  # the variables were only borrowed for the import
    created = [str(p.relative_to(user)) for p in user.rglob("*")]
    assert created == []
    assert (tmp_path / "yanyana" / "argos").is_dir()


def test_the_models_module_loads_no_network_stack() -> None:
    code = (
        "import sys, reader.translation.models, reader.translation.engine\n"
        "print(sorted(m for m in ('http.client', 'ssl', 'email', 'urllib.request') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
