"""Guard: the installed PySide6 must not leak references to None.

PySide6 6.12.0 on Python 3.11 returns None from void methods without taking a reference, so every
``setX()`` call lowers None's reference count by one; after enough calls (building a long document is
enough) Python aborts with "none_dealloc: deallocating None". pyproject.toml therefore asks for <6.12. On
Python 3.12+ None is immortal and the bug cannot bite, so the check only runs on older Pythons.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_void_methods_keep_none_alive() -> None:
    document = QTextDocument()
    cursor = QTextCursor(document)
    fmt = QTextCharFormat()
    obj = QObject()
    calls = 500
    before = sys.getrefcount(None)
    for _ in range(calls):
        fmt.setFontItalic(True)
        cursor.insertText("x", fmt)
        obj.setObjectName("x")
    lost = before - sys.getrefcount(None)
    assert lost < calls, f"{lost} references to None were lost in {calls * 3} PySide6 calls"
