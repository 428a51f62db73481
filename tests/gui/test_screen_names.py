"""Messages name pages and fields as the window shows them, from one table (core.screens); the
window's bundle check uses the trusted certificates set in Settings and names no command-line flag."""

from __future__ import annotations

from pathlib import Path

from crc_desktop.app import Settings
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.screens import FIELD_TITLES, PAGE_TITLES, where
from crc_desktop.gui.main_window import PAGES, MainWindow
from crc_desktop.gui.pages.office_signing_box import OfficeSigningBox
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import click, when_dialog

VI = Translator("vi")


def test_the_table_holds_the_titles_the_window_shows(qtbot, demo_db, paths):
    assert {name: title for name, title, _ in PAGES} == PAGE_TITLES
    window = MainWindow(demo_db, VI, paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.show_page("settings")
    box = window.settings_page.findChild(OfficeSigningBox)
    assert box.title() == VI(FIELD_TITLES["office_signature"][1])
    shown = {window._navigation.item(i).text() for i in range(window._navigation.count())}
    assert VI(PAGE_TITLES["settings"]) in shown
    assert where("office_signature").render(VI) == "trang “Thiết lập”, mục “Chữ ký số của cơ quan”"


def test_no_message_calls_the_settings_page_cai_dat():
    text = (Path(__file__).resolve().parents[2] / "resources" / "translations" / "vi.po").read_text("utf-8")
    assert "Cài đặt" not in text


def test_the_window_checks_a_bundle_with_the_trust_set_in_settings(qtbot, demo_db, paths, tmp_path):
    settings = Settings(bundle_trust=str(tmp_path / "tin-cay"))
    window = MainWindow(demo_db, VI, paths, settings, TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page("periods")
    seen = []

    def look(dialog) -> None:
        seen.append(dialog.trust.text())
        dialog.trust.clear()
        click(dialog.check_button)
        seen.append(dialog.verdict.text())
        dialog.reject()

    when_dialog(look)
    click(window.periods_page.verify_button)
    assert seen[0] == str(tmp_path / "tin-cay")
    assert "--" not in seen[1] and "Thiết lập" in seen[1] and "Chứng thư tin cậy" in seen[1]


def test_the_refusals_name_the_page_as_shown(tmp_path):
    from crc_desktop.core.signing.keys import load_pkcs11

    try:
        load_pkcs11(tmp_path / "khong-co.dll", "TOKEN", "1234")
    except CrcError as error:
        message = error.render(VI)
    assert message.endswith("hãy đặt lại ở trang “Thiết lập”, mục “Thư viện USB token (PKCS#11)”."), message
