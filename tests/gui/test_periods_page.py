"""The periods page: steps of the workflow, reopening with a reason, the check leading to the cell."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui import periods_page
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner


def _window(qtbot, demo_db, paths):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    return window


def test_create_submit_and_reopen_with_a_reason(qtbot, demo_db, paths, monkeypatch):
    page = _window(qtbot, demo_db, paths).periods_page
    page.new_code.setText("2026")
    page.new_button.click()
    assert page.current_code() == "2026"
    page.submit_button.click()
    assert demo_db.periods.get("2026").state == "submitted"
    monkeypatch.setattr(periods_page.ReasonDialog, "ask", classmethod(lambda *a, **k: "Nhập thiếu xã"))
    page.reopen_button.click()
    status = demo_db.periods.get("2026")
    assert status.state == "draft" and status.history[-1].reason == "Nhập thiếu xã"
    assert "Nhập thiếu xã" in page.history.item(page.history.count() - 1).text()


def test_approval_refused_shows_why_and_the_check(qtbot, demo_db, paths, monkeypatch):
    shown = []
    monkeypatch.setattr(periods_page, "show_error", lambda parent, tr, error: shown.append(error.render(tr)))
    page = _window(qtbot, demo_db, paths).periods_page
    page.submit_button.click()
    page.approve_button.click()
    assert "Chưa thể phê duyệt kỳ 2025" in shown[0]
    assert page.problems.count() > 0
    assert "chưa sẵn sàng để ký" in page.summary.text()
    assert QMessageBox  # the real dialog is replaced above


def test_a_check_entry_opens_the_cell_in_the_grid(qtbot, demo_db, paths):
    window = _window(qtbot, demo_db, paths)
    page = window.periods_page
    window.show_page(window._pages.indexOf(page))  # the check runs when the page is shown
    item = next(
        page.problems.item(i)
        for i in range(page.problems.count())
        if page.problems.item(i).data(periods_page.PLACE_ROLE).page == "indicators"
    )
    place = item.data(periods_page.PLACE_ROLE)
    page.problems.itemActivated.emit(item)
    grid = window.indicators_page
    row, area = grid.model.row_and_area(grid.view.currentIndex())
    assert (row.cell_id, area.id) == (place.cell_id, place.area_id)


def test_sign_and_export_from_the_periods_page(qtbot, demo_db, paths, tmp_path, monkeypatch):
    from pathlib import Path

    from crc_desktop.core.signing.keys import new_test_keys
    from crc_desktop.gui.export_dialog import ExportRequest
    from crc_desktop.gui.verify_dialog import VerifyDialog

    keys = new_test_keys(tmp_path / "keys", "Sở Y tế Huế", "46", b"mat-khau-dai")
    from sqlalchemy import select

    from crc_desktop.core.db.models import ReportingPeriodRecord
    from crc_desktop.core.db.uow import UnitOfWork

    with UnitOfWork(demo_db.database, demo_db.actor, write=True) as uow:
        uow.session.scalar(select(ReportingPeriodRecord).filter_by(code="2025")).state = "approved"
        uow.commit()
    demo_db.certificates.register_file(Path(keys.certificate))
    window = _window(qtbot, demo_db, paths)
    page = window.periods_page
    page.reload("2025")
    assert page.export_button.isEnabled()
    monkeypatch.setattr(
        page,
        "ask_export",
        lambda code: ExportRequest(
            use_token=False,
            p12=Path(keys.p12),
            library=None,
            token="",
            key_label=None,
            secret="mat-khau-dai",
            out=tmp_path,
        ),
    )
    page.export_button.click()
    assert "CRC-46-2025-v1.zip" in page.exported.text()
    assert demo_db.periods.get("2025").state == "signed"
    dialog = VerifyDialog(Translator("vi"), TaskRunner(synchronous=True), periods_page.verify)
    qtbot.addWidget(dialog)
    dialog.bundle.setText(str(tmp_path / "CRC-46-2025-v1.zip"))
    dialog.trust.setText(keys.ca_certificate)
    dialog.run_check()
    assert dialog.results.count() == 6 and "Hợp lệ" in dialog.verdict.text()
