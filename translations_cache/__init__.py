"""Yanyana's translation memory: ``translations.db``, a disposable SQLite cache of machine translations.

No Qt here. See :mod:`translations_cache.memory` for the design (key, robustness, thread safety) and
:mod:`translations_cache.tmx` for the TMX 1.4b writer.
"""

from __future__ import annotations

from translations_cache.memory import (
    SCHEMA_VERSION,
    CacheWriteError,
    TranslationMemory,
    normalise_source,
)
from translations_cache.tmx import (
    TmxExportError,
    TmxImportError,
    TmxReadUnit,
    TmxUnit,
    TranslationCacheError,
    read_tmx,
    write_tmx,
)

__all__ = [
    "SCHEMA_VERSION",
    "CacheWriteError",
    "TmxExportError",
    "TmxImportError",
    "TmxReadUnit",
    "TmxUnit",
    "TranslationCacheError",
    "TranslationMemory",
    "normalise_source",
    "read_tmx",
    "write_tmx",
]
