"""What every command group shares: the exit code for user errors, JSON output, opening the library."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from reader.core.store.library import Library
from reader.display import json_safe, terminal_safe
from reader.errors import YanyanaError

EXIT_USER_ERROR = 2


class UserError(YanyanaError):
    """Raised by commands for a mistake the user can fix; printed as ``error: <message>``."""


def print_json(obj: Any) -> None:
    sys.stdout.write(json_safe(json.dumps(obj, ensure_ascii=False)) + "\n")


class SafeStream:
    """A text stream that escapes control and bidi characters before they reach the terminal
    (:func:`reader.display.terminal_safe`); the CLI wraps stdout and stderr in it for every command."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def open_library() -> Library:
    """The home's library. A file that exists but is not a usable library is refused (never replaced), with
    the newest verified backup named; a read-only one opens read-only."""
    from reader.core.store.backup import open_checked

    return open_checked(check=False)
