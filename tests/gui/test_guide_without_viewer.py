"""F1 on a computer with no PDF viewer: the window says where the guide is and shows its folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import button, click, trigger, when_dialog


def test_f1_without_a_pdf_viewer_says_where_the_guide_is_and_opens_its_folder(
    qtbot, demo_db, paths, monkeypatch
):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    opened = []

    def open_file(path: Path) -> bool:
        opened.append(path)
        return path.is_dir()  # no program opens a PDF here; the file manager opens folders

    monkeypatch.setattr(window, "open_file", open_file)
    said = []

    def read(box) -> None:
        said.append(box.text() if isinstance(box, QMessageBox) else "")
        click(button(box, "Đồng ý"))

    when_dialog(read)
    trigger(window.guide_action)
    qtbot.waitUntil(lambda: bool(said), timeout=60_000)
    guide = opened[0]
    assert guide.suffix == ".pdf" and guide.is_file() and opened[1] == guide.parent
    assert "chưa có chương trình đọc tệp PDF" in said[0] and str(guide) in said[0]
