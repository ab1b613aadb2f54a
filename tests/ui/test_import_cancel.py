"""The status bar's Cancel stops a long PDF import in the window: nothing of it is stored, the status line says
so, and the button goes back to stopping translations afterwards."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from reader.core.store.library import Library
from reader.ui.main_window import MainWindow
from tests.helpers import SEEDS
from tests.ui.support import start_and_settle


def _long_pdf(tmp_path: Path, pages: int) -> Path:
    from tests.core.importing.pdfmaker import ArabicScriptPdf

    maker = ArabicScriptPdf("fa")
    first = (SEEDS / "001_16b6482d6bae7f5d.txt").read_text(encoding="utf-8").splitlines()[0]
    maker.paragraph(first)
    maker.pages = maker.pages * pages
    path = tmp_path / "long.pdf"
    path.write_bytes(maker.to_bytes())
    return path


def test_cancel_stops_a_long_pdf_import_and_stores_nothing(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int], tmp_path: Path
) -> None:
    path = _long_pdf(tmp_path, 1000)
    window = make_window()
    start_and_settle(qtbot, window)
    with Library(seed=False) as library:
        before = [d.id for d in library.documents()]
    translation_cancels: list[bool] = []
    window.status.sig_cancel.connect(lambda: translation_cancels.append(True))

    window.import_paths([str(path)])
    status = window.status
    assert status.importing and status.cancel_button.isVisible()
    assert status.cancel_button.accessibleName() == "Cancel import"
    # the window reports the pages of a long PDF; cancel at the first report
    qtbot.waitUntil(lambda: "page" in status.progress.format(), timeout=30_000)
    assert re.match(r"Importing long\.pdf: page \d+ of 1000", status.progress.format())
    status.cancel_button.click()
    qtbot.waitUntil(lambda: not status.importing, timeout=30_000)

    assert status.currentMessage() == "Import stopped; the file being read was not stored."
    assert not status.cancel_button.isVisible() and not status.progress.isVisible()
    assert translation_cancels == []  # the click stopped the import, not a translation
    with Library(seed=False) as library:
        assert [d.id for d in library.documents()] == before
        assert (
            library.conn.execute(
                "SELECT count(*) FROM paragraphs WHERE document > ?", (max(before),)
            ).fetchone()[0]
            == 0
        )

    # afterwards Cancel is the translation's again
    assert status.cancel_button.accessibleName() == "Cancel translation"
    status.cancel_button.click()
    assert translation_cancels == [True]


def test_a_finished_import_releases_the_bar(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: dict[str, int], tmp_path: Path
) -> None:
    from tests.core.importing.pdfmaker import ArabicScriptPdf

    maker = ArabicScriptPdf("fa")
    for line in (SEEDS / "001_16b6482d6bae7f5d.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            maker.paragraph(" ".join(line.split()))
    path = tmp_path / "article.pdf"
    path.write_bytes(maker.to_bytes())
    window = make_window()
    start_and_settle(qtbot, window)
    window.import_paths([str(path)])
    qtbot.waitUntil(lambda: not window.status.importing, timeout=30_000)
    assert window.status.currentMessage() == "Imported 1 document(s)."
    assert not window.status.cancel_button.isVisible()
    with Library(seed=False) as library:
        (doc,) = [d for d in library.documents() if d.source == str(path.resolve())]
        assert library.get(doc.id).pages == len(maker.pages) >= 2
