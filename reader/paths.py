"""Every path Yanyana uses comes from here.

The data directory is platformdirs' user data dir, overridden by the ``YANYANA_HOME`` environment
variable or the CLI's global ``--home DIR`` option (which sets the variable for the process).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Yanyana"
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
    return Path(__file__).resolve().parent.parent


def seeds_dir() -> Path:
    return project_root() / "seeds"


def resources_dir() -> Path:
    return project_root() / "resources"
