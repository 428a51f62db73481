"""The periods page: steps of the workflow, reopening with a reason, the check leading to the cell."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.pages import periods_page
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import answer, assert_reachable, button, click, double_click_item, type_text, when_dialog


def _window(qtbot, demo_db, paths):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    window.show_page("periods")
    return window


def test_create_submit_and_reopen_with_a_reason(qtbot, demo_db, paths, monkeypatch):
    page = _window(qtbot, demo_db, paths).periods_page
    page.new_code.setText("2026")
    click(page.new_button)
    assert page.current_code() == "2026"
    answer("Có")  # a new period has nothing in it yet: submit all the same
    click(page.submit_button)
    qtbot.waitUntil(lambda: demo_db.periods.get("2026").state == "submitted")
    monkeypatch.setattr(periods_page.ReasonDialog, "ask", classmethod(lambda *a, **k: "Nhập thiếu xã"))
    click(page.reopen_button)
    status = demo_db.periods.get("2026")
    assert status.state == "draft" and status.history[-1].reason == "Nhập thiếu xã"
    assert "Nhập thiếu xã" in page.history.item(page.history.count() - 1).text()


def test_approval_refused_shows_why_and_the_check(qtbot, demo_db, paths, monkeypatch):
    shown = []
    monkeypatch.setattr(periods_page, "show_error", lambda parent, tr, error: shown.append(error.render(tr)))
    page = _window(qtbot, demo_db, paths).periods_page
    answer("Có")
    click(page.submit_button)
    qtbot.waitUntil(page.approve_button.isEnabled)
    click(page.approve_button)
    assert "Chưa thể phê duyệt kỳ 2025" in shown[0]
    assert page.problems.model().rowCount() > 0
    assert "chưa sẵn sàng để ký" in page.summary.text()
    assert QMessageBox  # the real dialog is replaced above


def test_a_check_entry_opens_the_cell_in_the_grid(qtbot, demo_db, paths):
    window = _window(qtbot, demo_db, paths)
    page = window.periods_page
    window.show_page("overview")
    window.show_page("periods")  # the check runs when the page is shown
    qtbot.waitExposed(window)
    entries = page.problems.model()
    item = next(
        entries.index(i, 0)
        for i in range(entries.rowCount())
        if entries.index(i, 0).data(periods_page.PLACE_ROLE).page == "indicators"
    )
    place = item.data(periods_page.PLACE_ROLE)
    double_click_item(page.problems, item)  # as the user opens an entry
    grid = window.indicators_page
    qtbot.waitUntil(lambda: window.current_page_name() == "indicators" and grid.view.currentIndex().isValid())
    qtbot.waitUntil(lambda: grid.model.row_and_area(grid.view.currentIndex())[0].cell_id == place.cell_id)
    row, area = grid.model.row_and_area(grid.view.currentIndex())
    assert (row.cell_id, area.id) == (place.cell_id, place.area_id)


def test_sign_and_export_from_the_periods_page(qtbot, demo_db, paths, tmp_path):
    """The dialogs are the real ones, answered as a user would: the key file, the passphrase,
    the folder; then the bundle is checked in the window."""
    from pathlib import Path

    from sqlalchemy import select

    from crc_desktop.core.db.models import ReportingPeriodRecord
    from crc_desktop.core.db.uow import UnitOfWork
    from crc_desktop.core.signing.keys import new_test_keys

    keys = new_test_keys(tmp_path / "keys", "Sở Y tế Huế", "46", b"mat-khau-dai")
    with UnitOfWork(demo_db.database, demo_db.actor, write=True) as uow:
        uow.session.scalar(select(ReportingPeriodRecord).filter_by(code="2025")).state = "approved"
        uow.commit()
    demo_db.certificates.register_file(Path(keys.certificate))
    out = tmp_path / "out"
    out.mkdir()
    page = _window(qtbot, demo_db, paths).periods_page
    page.reload("2025")

    def sign(dialog) -> None:
        click(dialog.use_file)
        type_text(dialog.p12, str(keys.p12))
        type_text(dialog.secret, "mat-khau-dai")
        dialog.out.clear()
        type_text(dialog.out, str(out))
        click(button(dialog, "Ký số và xuất"))

    signed = when_dialog(sign)
    click(page.export_button)
    qtbot.waitUntil(lambda: bool(signed) and demo_db.periods.get("2025").state == "signed")
    assert "CRC-46-2025-v1.zip" in page.exported.text() and str(out) in page.exported.text()
    assert_reachable(page.open_folder_button)

    again = tmp_path / "lost-copy"  # the user lost the file: the same bundle, not a new signature
    again.mkdir()
    page.ask_bundle_folder = lambda: again
    click(page.save_again_button)
    qtbot.waitUntil(lambda: (again / "CRC-46-2025-v1.zip").exists())
    assert (again / "CRC-46-2025-v1.zip").read_bytes() == (out / "CRC-46-2025-v1.zip").read_bytes()

    def check(dialog) -> None:
        type_text(dialog.bundle, str(out / "CRC-46-2025-v1.zip"))
        type_text(dialog.trust, str(keys.ca_certificate))
        click(dialog.check_button)
        qtbot.waitUntil(lambda: dialog.results.count() == 6)
        seen.append(dialog.verdict.text())
        click(button(dialog, "Đóng"))

    seen: list[str] = []
    when_dialog(check)
    click(page.verify_button)
    qtbot.waitUntil(lambda: bool(seen))
    assert "Hợp lệ" in seen[0]
