"""What every command group shares: the exit code for user errors, JSON output, opening the library."""

from __future__ import annotations

import json
import sys
from typing import Any

from reader.core.store.library import Library
from reader.errors import YanyanaError

EXIT_USER_ERROR = 2


class UserError(YanyanaError):
    """Raised by commands for a mistake the user can fix; printed as ``error: <message>``."""


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def open_library() -> Library:
    return Library()
