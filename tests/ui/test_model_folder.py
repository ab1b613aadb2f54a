"""First run without a network: "Install models from a folder…" lists every .argosmodel and installs them all."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from reader.translation import models
from reader.ui.main_window import MainWindow
from reader.ui.model_folder_dialog import BUTTON_TEXT, ModelFolderDialog
from tests.ui.support import start_and_settle


def _stick(tmp_path: Path, archives: dict[str, Path]) -> Path:
    """A folder laid out like a USB stick: models at the top and in a subfolder, a broken file, other files."""
    stick = tmp_path / "stick"
    (stick / "more").mkdir(parents=True)
    shutil.copy(archives["fa_en"], stick / "fa_en.argosmodel")
    shutil.copy(archives["ar_en"], stick / "more" / "ar_en.argosmodel")
    shutil.copy(archives["tr_en"], stick / "more" / "tr_en.ARGOSMODEL")
    (stick / "broken.argosmodel").write_bytes(archives["az_en"].read_bytes()[:500])  # cut short
    (stick / "notes.txt").write_text("not a model", encoding="utf-8")
    return stick


def test_the_banner_offers_the_folder_and_the_dialog_installs_every_model_in_one_go(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    tiny_argos_archives: dict[str, Path],
    tmp_path: Path,
) -> None:
    window = make_window()
    start_and_settle(qtbot, window)
    banner = window.reader.banner
    assert banner.isVisible() and window.controller.state == "no-model"
    (button,) = [b for b in banner.findChildren(type(banner.install_button)) if b.text() == BUTTON_TEXT]
    assert button.isVisible()  # a wide window has room for it
    # it never widens the banner's minimum (a narrow window hides it and the side panels give way as before)
    minimum = banner.minimumSizeHint().width()
    button.hide()
    assert 0 <= minimum - banner.minimumSizeHint().width() <= banner.layout().spacing()  # only the gap
    button.show()

    dialog = ModelFolderDialog(window.tasks, window)
    qtbot.addWidget(dialog)
    dialog.sig_models_changed.connect(window.controller.models_changed)
    with qtbot.waitSignal(dialog.sig_scanned, timeout=20_000):
        dialog.set_folder(_stick(tmp_path, tiny_argos_archives))
    rows = [
        [dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]
        for r in range(dialog.table.rowCount())
    ]
    pairs = [row[0] for row in rows]
    assert pairs[:3] == ["Arabic→English", "Persian→English", "Turkish→English"]
    assert rows[3][0] == "—" and "broken.argosmodel" in rows[3][3]  # listed with its reason, not hidden
    assert len(rows) == 4
    sizes = {f.path.name: f.size for f in dialog.found}
    assert sizes["fa_en.argosmodel"] == tiny_argos_archives["fa_en"].stat().st_size
    assert dialog.install_button.isEnabled() and dialog.install_button.text() == "Install all (3)"

    values: list[int] = []
    dialog.progress.valueChanged.connect(values.append)
    with qtbot.waitSignal(dialog.sig_finished, timeout=60_000) as finished:
        dialog.install_all()
    assert finished.args == ["Installed 3 model(s)."]
    assert {(m.from_code, m.to_code) for m in models.list_installed()} == {
        ("fa", "en"),
        ("ar", "en"),
        ("tr", "en"),
    }
    assert values == sorted(values) and values[-1] == dialog.progress.maximum()  # one bar, forward only
    # the open Persian article is translated with the model just installed
    qtbot.waitUntil(lambda: window.controller.state == "translated", timeout=30_000)
    assert not banner.isVisible()


def test_a_folder_without_models_says_so(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    window = make_window()
    dialog = ModelFolderDialog(window.tasks, window)
    qtbot.addWidget(dialog)
    (tmp_path / "empty").mkdir()
    with qtbot.waitSignal(dialog.sig_scanned, timeout=20_000):
        dialog.set_folder(tmp_path / "empty")
    assert dialog.table.rowCount() == 0
    assert "There are no .argosmodel files" in dialog.folder_label.text()
    assert not dialog.install_button.isEnabled()
