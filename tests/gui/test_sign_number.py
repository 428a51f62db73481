"""The sign dialog takes the number the clerk gives: it is in the signed PDF and the manifest; a
number with the symbol typed into it is refused with the reason."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from pypdf import PdfReader

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.dialogs.export_dialog import ExportDialog
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner

from ..core.signing.conftest import PASSPHRASE, approve
from .user import click, type_text


def _periods_page(qtbot, demo_db, paths):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page("periods")
    window.periods_page.reload("2025")
    return window.periods_page


def _sign(qtbot, page, keys, out: Path, number: str, errors: list[str]):
    def ask(code):
        dialog = ExportDialog(Translator("vi"), code, "", page, search_system=False)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        type_text(dialog.p12, keys.p12)
        type_text(dialog.number, number)
        type_text(dialog.secret, PASSPHRASE.decode())
        dialog.out.clear()
        type_text(dialog.out, str(out))
        click(dialog.sign_button)
        errors.append(dialog.error.text())
        return dialog.request

    return ask


def test_the_number_typed_at_signing_is_in_the_signed_pdf_and_the_manifest(
    qtbot, demo_db, paths, keys, tmp_path, monkeypatch
):
    approve(demo_db)
    demo_db.certificates.register_file(Path(keys.certificate))
    page = _periods_page(qtbot, demo_db, paths)
    errors: list[str] = []
    monkeypatch.setattr(page, "ask_export", _sign(qtbot, page, keys, tmp_path, "125/BC-SYT", errors))
    click(page.export_button)
    assert "chỉ gồm chữ số" in errors[-1] and "125/BC-SYT" in errors[-1]
    assert demo_db.periods.get("2025").state == "approved"
    monkeypatch.setattr(page, "ask_export", _sign(qtbot, page, keys, tmp_path, "125", errors))
    click(page.export_button)
    assert demo_db.periods.get("2025").state == "signed"
    with zipfile.ZipFile(tmp_path / "CRC-46-2025-v1.zip") as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        pdf = bundle.read("report.pdf")
    assert manifest["document"]["number"] == "125" and manifest["document"]["symbol"] == "BC-SYT"
    first = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Số: 125/BC-SYT" in first
