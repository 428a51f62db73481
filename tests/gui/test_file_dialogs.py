"""Where file dialogs open: the first in the user's Documents folder (not the bare profile folder),
then in the folder the user last chose, across pages and across starts of the program."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui import file_dialogs
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner

GUI = Path(file_dialogs.__file__).parent


def test_dialogs_open_in_documents_then_where_the_user_last_chose(
    qtbot, demo_db, paths, tmp_path, monkeypatch
):
    documents = tmp_path / "Nguyễn Văn An" / "Tài liệu"
    documents.mkdir(parents=True)
    stick = tmp_path / "USB (E)"
    stick.mkdir()
    monkeypatch.setattr(file_dialogs, "user_documents_dir", lambda: str(documents))
    asked: list[str] = []

    def save(_parent, _title, start, _pattern):
        asked.append(start)
        return str(stick / "bao-cao-2025.pdf"), ""

    def folder(_parent, _title, start):
        asked.append(start)
        return ""  # cancelled: nothing remembered

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder)
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    assert (
        window.reports_page.ask_save_path("Báo cáo", "bao-cao-2025.pdf", "PDF (*.pdf)")
        == stick / "bao-cao-2025.pdf"
    )
    assert asked == [str(documents / "bao-cao-2025.pdf")]
    assert window.collection_page.ask_folder("Lưu biểu mẫu") is None
    assert asked[1] == str(stick)  # another page: where the user last chose
    assert file_dialogs.start_folder() == stick  # and after a restart (kept with the window's state)


def test_a_last_folder_since_removed_gives_way_to_documents(tmp_path, monkeypatch):
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(file_dialogs, "user_documents_dir", lambda: str(documents))
    gone = tmp_path / "USB (E)"
    gone.mkdir()
    file_dialogs.remember(gone, is_folder=True)
    gone.rmdir()  # the stick was pulled out
    assert file_dialogs.start_folder() == documents


def test_every_file_dialog_of_the_program_goes_through_the_one_helper():
    direct = [
        path.name
        for path in sorted(GUI.rglob("*.py"))
        if path.name != "file_dialogs.py" and "QFileDialog" in path.read_text("utf-8")
    ]
    assert direct == []
