"""The sign dialog as people sign: the key (file or token) first, then the PIN; the key just made,
or last signed with, filled in; test keys made from the window kept in the program's data folder
(not a demo's temporary one)."""

from __future__ import annotations

from pathlib import Path

from crc_desktop.app import Paths, Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.dialogs.export_dialog import ExportDialog
from crc_desktop.gui.dialogs.new_key_dialog import NewKeyDialog
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.pages.office_signing_box import OfficeSigningBox
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import button, click, type_text, when_dialog


def test_the_key_is_asked_before_the_pin(qtbot, tmp_path):
    dialog = ExportDialog(Translator("vi"), "2025", "", search_system=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.p12  # where the user starts
    click(dialog.sign_button)
    assert dialog.error.text() == "Hãy chọn tệp khóa."
    type_text(dialog.p12, str(tmp_path / "khoa.p12"))
    click(dialog.sign_button)
    assert dialog.error.text() == "Hãy nhập mật khẩu hoặc mã PIN."
    assert dialog.focusWidget() is dialog.secret


def test_a_key_made_in_the_window_is_kept_in_the_program_s_folder_and_filled_in(
    qtbot, demo_db, paths, monkeypatch
):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page("settings")
    box = window.settings_page.findChild(OfficeSigningBox)
    box.parentWidget().parentWidget().parentWidget().ensureWidgetVisible(box.new_key_button)
    made = []

    def fill(dialog: NewKeyDialog) -> None:
        made.append(Path(dialog.folder.text()))
        type_text(dialog.passphrase, "mat-khau-rat-dai")
        type_text(dialog.again, "mat-khau-rat-dai")
        click(dialog.create_button)

    when_dialog(fill)
    click(box.new_key_button)
    qtbot.waitUntil(lambda: box.table.rowCount() == 1)
    assert made == [paths.keys] and paths.keys == paths.data / "keys"
    key = next(paths.keys.glob("*.p12"))

    seen = []

    def look(dialog: ExportDialog) -> None:
        seen.append((dialog.p12.text(), dialog.focusWidget() is dialog.secret))
        click(button(dialog, "Hủy"))

    when_dialog(look)
    window.show_page("periods")
    assert window.periods_page.ask_export("2025") is None
    assert seen == [(str(key.resolve()), True)]  # the key just made, and the PIN next


def test_a_demo_keeps_its_keys_in_the_program_s_data_folder(tmp_path):
    home = Paths(data=tmp_path / "data", config=tmp_path / "config", logs=tmp_path / "logs")
    demo = Paths(data=tmp_path / "demo-tmp", config=home.config, logs=home.logs, keys_home=home.data)
    assert demo.keys == home.keys == tmp_path / "data" / "keys"
    assert demo.backups == tmp_path / "demo-tmp" / "backups"
