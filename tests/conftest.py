"""Shared fixtures: every test runs in its own temporary YANYANA_HOME and never touches the user's data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.store.library import Library
from tests.helpers import SEEDS

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


# --- tiny Argos packages (builder: tests/tiny_argos.py) ----------------------------------------------------


@pytest.fixture(scope="session")
def tiny_argos_archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Genuine tiny ``.argosmodel`` archives built once per session (names: tests.tiny_argos.TEST_PACKAGES)."""
    from tests.tiny_argos import build_test_packages

    return build_test_packages(tmp_path_factory.mktemp("argos-packages"))
