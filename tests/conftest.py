"""Shared fixtures: every test runs in its own temporary YANYANA_HOME and never touches the user's data."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.core.store.library import Library
from reader.translation import models
from tests.helpers import SEEDS
from tests.tiny_argos import build_test_packages

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def yanyana_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("YANYANA_HOME", str(home))
    return home


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def lib() -> Iterator[Library]:
    """The library of this test's home, seeded with the five sample articles."""
    library = Library()
    yield library
    library.close()


# --- tiny Argos packages (builder: tests/tiny_argos.py; this fixture is the only way tests get one) ---------


@pytest.fixture(scope="session")
def tiny_argos_archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Genuine tiny ``.argosmodel`` archives built once per session, by name: ``fa_en``, ``fa_en_v2``,
    ``ar_en``, ``tr_en``, ``az_en``, ``en_de`` (see tests.tiny_argos.TEST_PACKAGES)."""
    return build_test_packages(tmp_path_factory.mktemp("argos-packages"))


@pytest.fixture
def install_tiny(tiny_argos_archives: dict[str, Path]) -> Callable[..., list[models.InstalledModel]]:
    """``install_tiny("fa")`` installs the session's tiny fa→en package into this test's home."""

    def install(from_code: str, to_code: str = "en") -> list[models.InstalledModel]:
        return models.install_from_path(tiny_argos_archives[f"{from_code}_{to_code}"])

    return install
