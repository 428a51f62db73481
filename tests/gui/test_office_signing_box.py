"""Settings › the office's digital signature: a test key made and registered, a key file issued
by a CA imported with a reason, a certificate removed with a reason; all in the audit log."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from crc_desktop.app import Settings
from crc_desktop.core.db.models import AuditEntryRecord
from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.dialogs.new_key_dialog import NewKeyDialog, NewKeyRequest
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.pages.office_signing_box import OfficeSigningBox
from crc_desktop.gui.tasks import TaskRunner

from ..core.signing.conftest import PASSPHRASE
from .user import assert_reachable, click, type_text


def _box(qtbot, demo_db, paths):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    window.show_page("settings")
    box = window.settings_page.findChild(OfficeSigningBox)
    assert box.title() == "Chữ ký số của cơ quan"
    _scroll_to(box)  # as the user scrolls the page down to the box
    return window, box


def _scroll_to(widget) -> None:
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    parent.ensureWidgetVisible(widget)


def _rows(box) -> list[list[str]]:
    return [[box.table.item(r, c).text() for c in range(4)] for r in range(box.table.rowCount())]


def test_a_test_key_then_a_key_file_then_a_removal(qtbot, demo_db, paths, other_keys, tmp_path, monkeypatch):
    window, box = _box(qtbot, demo_db, paths)
    assert box.table.rowCount() == 0
    assert box.note.text() == "Cơ quan chưa đăng ký chứng thư số nào để ký."
    request = NewKeyRequest(name="Sở Y tế Huế", passphrase="mat-khau-rat-dai", folder=tmp_path / "khoa")
    monkeypatch.setattr(box, "ask_new_key", lambda: request)
    click(box.new_key_button)
    assert (tmp_path / "khoa" / "46-signing.p12").exists()
    [[subject, issuer, start, end]] = _rows(box)
    assert subject == "Sở Y tế Huế, Thành phố Huế"
    assert issuer == "CA thử nghiệm CRC Desktop 46, CRC Desktop (thử nghiệm, không phải CA thật)"
    assert start.count("/") == 2 and end.count("/") == 2
    monkeypatch.setattr(box, "ask_key_file", lambda: Path(other_keys.p12))
    monkeypatch.setattr(box, "ask_passphrase", lambda path: PASSPHRASE.decode())
    reasons = iter(["Token của phó giám đốc", "Phó giám đốc chuyển công tác"])
    monkeypatch.setattr(box, "ask_reason", lambda title, prompt: next(reasons))
    click(box.import_button)
    assert [row[0] for row in _rows(box)] == ["Sở Y tế Huế, Thành phố Huế", "Kẻ mạo danh, Thành phố Huế"]
    box.table.selectRow(1)
    click(box.remove_button)
    assert [row[0] for row in _rows(box)] == ["Sở Y tế Huế, Thành phố Huế"]
    assert box.note.text() == "Không còn được ký thay mặt cơ quan: Kẻ mạo danh, Thành phố Huế"
    with UnitOfWork(demo_db.database, demo_db.actor) as uow:
        entries = uow.session.execute(
            select(AuditEntryRecord.action, AuditEntryRecord.reason).where(
                AuditEntryRecord.action.like("certificate.%")
            )
        ).all()
    assert [tuple(e) for e in entries] == [
        ("certificate.register", ""),
        ("certificate.register", "Token của phó giám đốc"),
        ("certificate.remove", "Phó giám đốc chuyển công tác"),
    ]
    window.grab().save(str(tmp_path / "settings.png"))


def test_the_new_key_dialog_wants_the_same_passphrase_twice(qtbot, tmp_path):
    dialog = NewKeyDialog(Translator("vi"), "Sở Y tế Huế", tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.passphrase, "mat-khau-dai")
    type_text(dialog.again, "mat-khau-khac")
    click(dialog.create_button)
    assert dialog.error.text() == "Hai mật khẩu không giống nhau."
    assert dialog.request is None and dialog.isVisible()
    dialog.again.clear()
    type_text(dialog.again, "mat-khau-dai")
    assert_reachable(dialog.create_button)
    click(dialog.create_button)
    assert dialog.request == NewKeyRequest("Sở Y tế Huế", "mat-khau-dai", tmp_path)


def test_the_signature_and_seal_images_are_registered_in_settings(
    qtbot, demo_db, paths, keys, tmp_path, monkeypatch
):
    from PIL import Image

    from crc_desktop.core.services.signature_images import SignatureImageService
    from crc_desktop.core.signing.keys import fingerprint, load_p12

    demo_db.certificates.register_file(Path(keys.certificate))
    window, box = _box(qtbot, demo_db, paths)
    png = tmp_path / "anh.png"
    Image.new("RGBA", (40, 20), (0, 0, 200, 255)).save(png)
    monkeypatch.setattr(box, "ask_image_file", lambda title: png)
    click(box.seal_image_button)
    assert box.note.text() == "Đã đăng ký hình ảnh: anh.png"
    box.table.selectRow(0)
    click(box.signature_image_button)
    found = SignatureImageService(demo_db.database, demo_db.actor).images_for(
        fingerprint(load_p12(Path(keys.p12), PASSPHRASE).certificate)
    )
    assert found.seal == png.read_bytes() and found.signature == png.read_bytes()
