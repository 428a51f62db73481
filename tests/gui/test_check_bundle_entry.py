"""Explorer's "check this bundle" (`crc-desktop gui --check-bundle FILE`): the bundle-check window
opens on the file and checks it at once against the trusted certificates of the settings, with
no database and no console; the certificates the user picks there are kept for the next time."""

from __future__ import annotations

import sys
from pathlib import Path

from crc_desktop.app import Settings, load_settings, save_settings
from crc_desktop.cli import main
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main import bundle_check_dialog
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.core.signing.conftest import bundle  # noqa: F401 - a signed bundle, made once
from tests.gui.user import assert_reachable, button, click, type_text, when_dialog


def test_the_bundle_is_checked_at_once_against_the_trusted_certificates_of_the_settings(
    qtbot,
    bundle,  # noqa: F811
    keys,
    paths,
):
    settings = Settings(bundle_trust=keys.ca_certificate)
    dialog, runner = bundle_check_dialog(bundle, paths, settings, Translator("vi"), TaskRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.verdict.text()), timeout=20_000)
    runner.wait()
    assert dialog.bundle.text() == str(bundle)
    assert dialog.trust.text() == keys.ca_certificate
    assert dialog.verdict.text().startswith("Hợp lệ"), dialog.verdict.text()
    assert_reachable(dialog.check_button)


def test_the_explorer_entry_runs_with_no_console_and_leaves_the_settings_alone(
    monkeypatch,
    bundle,  # noqa: F811
    keys,
    paths,
    tmp_path,
):
    save_settings(paths, Settings(bundle_trust=keys.ca_certificate, user_name="Nguyễn Văn An"))
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    picture = tmp_path / "check.png"
    assert main(["gui", "--check-bundle", str(bundle), "--screenshot", str(picture)]) == 0
    assert picture.read_bytes()[:4] == b"\x89PNG"
    assert load_settings(paths).bundle_trust == keys.ca_certificate
    assert Path(load_settings(paths).bundle_trust).is_file()


def test_the_trusted_certificates_set_in_settings_serve_the_window_s_bundle_check(
    qtbot,
    demo_db,
    bundle,  # noqa: F811
    keys,
    paths,
):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    window.show_page("settings")
    settings = window.settings_page
    settings.bundle_trust.clear()
    type_text(settings.bundle_trust, keys.ca_certificate)
    click(settings.save_user_button)
    assert load_settings(paths).bundle_trust == keys.ca_certificate
    window.show_page("periods")
    verdicts: list[str] = []

    def check(dialog) -> None:
        assert dialog.trust.text() == keys.ca_certificate
        type_text(dialog.bundle, str(bundle))
        click(dialog.check_button)
        qtbot.waitUntil(lambda: bool(dialog.verdict.text()))
        verdicts.append(dialog.verdict.text())
        click(button(dialog, "Đóng"))

    when_dialog(check)
    click(window.periods_page.verify_button)
    qtbot.waitUntil(lambda: bool(verdicts), timeout=20_000)
    assert verdicts[0].startswith("Hợp lệ")
