"""A normal install carries everything: the wheel holds the seeds, the fonts with their licences and the desktop
files, and an installed (not editable) copy finds them without the source checkout.

The wheel is built offline from a copy of the files a source distribution has (so nothing leaks in from the
worktree), installed with ``pip install --no-deps --target`` and run from a folder outside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
FONTS = (
    "Vazirmatn-Regular.ttf",
    "Vazirmatn-Bold.ttf",
    "NotoNaskhArabic-Regular.ttf",
    "NotoNaskhArabic-Bold.ttf",
)
LICENCES = ("Vazirmatn-OFL.txt", "NotoNaskhArabic-copyright.txt")
SOURCE_ITEMS = ("reader", "translations_cache", "seeds", "resources", "pyproject.toml", "README.md")


def _pip(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return subprocess.run(
        [sys.executable, "-m", "pip", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for item in SOURCE_ITEMS:
        if (ROOT / item).is_dir():
            shutil.copytree(ROOT / item, src / item, ignore=ignore)
        else:
            shutil.copy2(ROOT / item, src / item)
    out = tmp_path_factory.mktemp("wheelhouse")
    done = _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(src), cwd=src)
    assert done.returncode == 0, done.stderr
    assert "is absent from the `packages` configuration" not in done.stderr, done.stderr
    (built,) = out.glob("yanyana-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    done = _pip("install", "--no-deps", "--no-compile", "--target", str(target), str(wheel), cwd=target)
    assert done.returncode == 0, done.stderr
    return target


def _run_installed(target: Path, cwd: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console script with only the installed copy (and the venv's dependencies) on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=str(target), YANYANA_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [str(target / "bin" / "yanyana"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_wheel_holds_seeds_fonts_licences_and_desktop_files(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for seed in SEEDS:
        assert f"reader/seeds/{seed}" in names
    assert len(SEEDS) == 5
    for font in (*FONTS, *LICENCES, "README.md"):
        assert f"reader/resources/fonts/{font}" in names
    assert "reader/resources/icons/yanyana.svg" in names
    assert "reader/resources/desktop/io.github.yanyana.Yanyana.desktop" in names
    assert "reader/resources/desktop/io.github.yanyana.Yanyana.metainfo.xml" in names
    licences = {n for n in names if "/licenses/" in n}
    assert {n.rsplit("/", 1)[1] for n in licences} >= set(LICENCES)


def test_wheel_holds_every_module_of_the_source(wheel: Path) -> None:
    """The package list in pyproject is explicit (the data folders are mapped in): nothing may be left out."""
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for package in ("reader", "translations_cache"):
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            assert relative in names, (
                f"{relative} is not in the wheel: add its package to [tool.setuptools] packages in pyproject.toml"
            )
    for folder in (ROOT / "resources").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__":
            package = "reader.resources." + folder.relative_to(ROOT / "resources").as_posix().replace(
                "/", "."
            )
            listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
                "setuptools"
            ]
            assert package in listed["packages"] and package in listed["package-data"], package


def test_installed_wheel_lists_the_five_seeds_in_a_new_home(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = _run_installed(installed, elsewhere, "list", "--json", home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    documents = json.loads(done.stdout)
    assert sorted(d["lang"] for d in documents) == ["ar", "az", "az", "fa", "tr"]
    sources = []
    for d in documents:
        shown = _run_installed(installed, elsewhere, "show", str(d["id"]), "--json", home=tmp_path / "home")
        assert shown.returncode == 0, shown.stderr
        source = Path(json.loads(shown.stdout)["source"])
        assert source.resolve().is_relative_to(installed.resolve()), source  # not the checkout's seeds
        assert json.loads(shown.stdout)["text"] == source.read_text(encoding="utf-8")
        sources.append(source.name)
    assert sorted(sources) == SEEDS


def test_installed_wheel_finds_its_fonts_and_icon(installed: Path, tmp_path: Path) -> None:
    probe = (
        "import json, reader; from reader.ui import fonts, icons; "
        "print(json.dumps({'reader': reader.__file__, 'fonts': [str(p) for p in fonts.font_paths()], "
        "'icon': str(icons.svg_path())}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=str(installed), YANYANA_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    site = installed.resolve()
    assert Path(found["reader"]).resolve().is_relative_to(site)
    assert [Path(p).name for p in found["fonts"]] == list(FONTS)
    for path in [*found["fonts"], found["icon"]]:
        assert Path(path).resolve().is_relative_to(site) and Path(path).stat().st_size > 1000, path
