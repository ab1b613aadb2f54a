"""The install contract: argostranslate without its heavy dependencies, and a venv that fits in 600 MB."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("torch", "stanza", "spacy", "lingua-language-detector", "minisbd")
VENV_LIMIT_BYTES = 600 * 1024 * 1024


def test_argostranslate_is_installed_without_its_heavy_dependencies() -> None:
    assert importlib.metadata.version("argostranslate")
    installed = {(d.metadata["Name"] or "").lower() for d in importlib.metadata.distributions()}
    assert not installed & set(HEAVY)


def test_importing_every_qt_free_module_pulls_in_nothing_heavy() -> None:
    code = (
        "import sys, reader.cli, reader.cli.translation, reader.core.store.library, reader.core.store.search, "
        "reader.core.exporting, reader.translation.engine, reader.translation.models, translations_cache\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('torch', 'stanza', 'spacy', 'PySide6')"
        " or m == 'argostranslate.translate']\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="not running inside a virtual environment")
def test_virtual_environment_fits_the_budget() -> None:
    total = 0
    for dirpath, _dirnames, filenames in os.walk(sys.prefix):
        for name in filenames:
            path = Path(dirpath, name)
            if not path.is_symlink():
                total += path.stat().st_size
    assert total <= VENV_LIMIT_BYTES, f"{sys.prefix} holds {total / 2**20:.0f} MiB"
