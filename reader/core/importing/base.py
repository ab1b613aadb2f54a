"""What every importer produces (:class:`ImportedText`) and the one refusal (:class:`ImportRefused`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.errors import YanyanaError


class ImportRefused(YanyanaError):
    """A file that cannot be imported; ``str()`` is one user-facing sentence naming the file."""


@dataclass
class ImportedText:
    text: str
    title: str | None
    encoding: str
    format: str
    warnings: list[str] = field(default_factory=list)
