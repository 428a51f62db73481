"""Signing from the periods page with a USB token found, not typed: the token's module is found
under its vendor's file name, the user picks the certificate, types the PIN, and the bundle is
signed and verifies. The first signing offers to register the certificate it used."""

from __future__ import annotations

from pathlib import Path

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.core.services.export import verify
from crc_desktop.gui.dialogs.export_dialog import ExportDialog
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.pages import periods_page
from crc_desktop.gui.tasks import TaskRunner

from ..core.signing.conftest import PIN, approve
from ..core.signing.test_pkcs11 import pytestmark  # noqa: F401 - skipped where SoftHSM2 is missing
from .pages import operations
from .user import click, type_text


def _page(qtbot, demo_db, paths):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    window.show_page("periods")
    page = window.periods_page
    page.reload("2025")
    return page


def _sign_with_the_token(qtbot, page, modules, out: Path, shots: Path | None = None):
    """What the user does in the dialog: token, find, pick the certificate, PIN, sign."""

    def ask(code):
        dialog = ExportDialog(
            Translator("vi"), code, "", page, module_folders=[modules], search_system=False, ops=operations()
        )
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        click(dialog.use_token)
        assert dialog.use_token.isChecked()
        assert dialog.certificate.count() == 1, dialog.token_note.text()
        assert dialog.certificate.currentText().startswith(
            "Sở Y tế Huế (token) — token CRC-TOKEN (Viettel-CA)"
        )
        assert "vnptca_p11_v6.dll: VNPT-CA: mô-đun 32 bit" in dialog.token_note.text()
        type_text(dialog.secret, PIN)
        dialog.out.clear()
        type_text(dialog.out, str(out))
        if shots:
            dialog.grab().save(str(shots))
        click(dialog.sign_button)
        return dialog.request

    return ask


def test_sign_with_a_token_found_under_a_known_module_name(
    qtbot, demo_db, paths, token, modules, tmp_path, monkeypatch
):
    approve(demo_db)
    demo_db.certificates.register_file(tmp_path / "token-cert.der")
    page = _page(qtbot, demo_db, paths)
    monkeypatch.setattr(
        page, "ask_export", _sign_with_the_token(qtbot, page, modules, tmp_path, tmp_path / "d.png")
    )
    click(page.export_button)
    assert "CRC-46-2025-v1.zip" in page.exported.text()
    assert demo_db.periods.get("2025").state == "signed"
    assert verify(tmp_path / "CRC-46-2025-v1.zip", [token]).valid


def test_the_first_signing_offers_to_register_its_certificate(
    qtbot, demo_db, paths, token, modules, tmp_path, monkeypatch
):
    approve(demo_db)
    page = _page(qtbot, demo_db, paths)
    asked = []
    monkeypatch.setattr(periods_page, "confirm", lambda parent, tr, text: asked.append(text) or True)
    monkeypatch.setattr(page, "ask_export", _sign_with_the_token(qtbot, page, modules, tmp_path))
    click(page.export_button)
    assert asked == [
        "Cơ quan chưa đăng ký chứng thư số nào để ký. Đăng ký Sở Y tế Huế (token) làm chứng thư của "
        "cơ quan? Sau đó hãy ký lại."
    ]
    assert list(tmp_path.glob("*.zip")) == [] and demo_db.periods.get("2025").state == "approved"
    assert [c.subject for c in demo_db.certificates.registered()] == ["Sở Y tế Huế (token)"]
    click(page.export_button)
    assert demo_db.periods.get("2025").state == "signed"
