"""Every path Yanyana uses comes from here.

The data directory is platformdirs' user data dir, overridden by the ``YANYANA_HOME`` environment
variable or the CLI's global ``--home DIR`` option (which sets the variable for the process).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "Yanyana"
APP_ID = "io.github.yanyana.Yanyana"
"""Reverse-DNS application id: desktop file, icon and metainfo names, Wayland app id, single-instance key."""
HOME_ENV = "YANYANA_HOME"


def home() -> Path:
    """The data directory (created on demand by :func:`ensure_home`)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def set_home(path: str | os.PathLike[str]) -> Path:
    """Point the whole process at another data directory (``--home``)."""
    resolved = Path(path).expanduser().resolve()
    os.environ[HOME_ENV] = str(resolved)
    return resolved


def ensure_home() -> Path:
    path = home()
    path.mkdir(parents=True, exist_ok=True)
    return path


def library_db() -> Path:
    return home() / "library.db"


def translations_db() -> Path:
    return home() / "translations.db"


def models_dir() -> Path:
    return home() / "models"


def backups_dir() -> Path:
    return home() / "backups"


def settings_file() -> Path:
    return home() / "settings.ini"


def project_root() -> Path:
    """The source checkout (meaningful only when running from one: ``make run``, an editable install)."""
    return Path(__file__).resolve().parent.parent


def _shipped(name: str) -> Path:
    """A folder shipped with the app: ``reader/<name>`` when installed, ``<checkout>/<name>`` in development.

    A wheel (``pip install .``, pipx) maps the top-level ``seeds/`` and ``resources/`` into the package as
    ``reader/seeds`` and ``reader/resources`` (pyproject's ``package-dir``); the PyInstaller bundle lays them out
    the same way. An editable install or a plain checkout has them beside the package.
    """
    package = resources.files("reader")
    installed = (package if isinstance(package, Path) else Path(__file__).resolve().parent) / name
    if installed.is_dir():
        return installed
    return project_root() / name


def seeds_dir() -> Path:
    """The sample articles imported on first run."""
    return _shipped("seeds")


def resources_dir() -> Path:
    """Fonts (with their licences), the icon and the desktop-integration files."""
    return _shipped("resources")
