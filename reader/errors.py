"""The one error base class.

Every error a user can cause or act on (a bad file, an unknown document, a missing model, a full disk) derives
from :class:`YanyanaError`, and its ``str()`` is one sentence. The CLI prints ``error: <sentence>`` and exits 2
for these and only these; the window shows the sentence. Anything else is a bug and is allowed to surface as a
traceback.

``translations_cache`` imports nothing from the app, so its :class:`~translations_cache.TranslationCacheError`
is the one user-facing error outside this hierarchy; the faces catch it next to :class:`YanyanaError`.
"""

from __future__ import annotations


class YanyanaError(Exception):
    """A problem the user can act on; ``str()`` is one sentence."""


class UnknownLanguage(YanyanaError, ValueError):
    """A language code or name that Yanyana does not know (``--lang xx``)."""
