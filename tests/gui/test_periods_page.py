"""The periods page: steps of the workflow, reopening with a reason, the check leading to the cell."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.pages import periods_page
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import (
    answer,
    assert_reachable,
    button,
    click,
    double_click_item,
    tree_entries,
    type_text,
    when_dialog,
)


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
    item = next(
        entry
        for entry in tree_entries(page.problems.model())
        if entry.data(periods_page.PLACE_ROLE).page == "indicators"
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


def test_the_check_is_in_groups_that_open_and_lead_to_the_place(qtbot, demo_db, paths, tmp_path):
    """Counts first, the tasks on top, each unit one closed line with its count ("Xã An An: 3 thay
    đổi cần giải trình, 8 ô trống"); double-clicking the line opens it, an entry opens the cell."""
    window = _window(qtbot, demo_db, paths)
    page = window.periods_page
    qtbot.waitExposed(window)
    model = page.problems.model()
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    readiness = demo_db.readiness.check("2025")
    assert model.rowCount() < len(readiness.problems) / 2  # groups, not thousands of lines
    assert model.index(0, 0).data().startswith("✗ Nhiệm vụ chưa cập nhật tiến độ (")
    assert page.problems.isExpanded(model.index(0, 0))
    closed = next(
        model.index(row, 0)
        for row in range(model.rowCount())
        if not page.problems.isExpanded(model.index(row, 0)) and "ô trống" in model.index(row, 0).data()
    )
    entry = model.index(0, 0, closed)
    place = entry.data(periods_page.PLACE_ROLE)
    page.grab().save(str(tmp_path / "check.png"))
    double_click_item(page.problems, entry)  # opens the group, then the cell
    grid = window.indicators_page
    qtbot.waitUntil(lambda: window.current_page_name() == "indicators" and grid.view.currentIndex().isValid())
    row, area = grid.model.row_and_area(grid.view.currentIndex())
    assert (row.cell_id, area.id) == (place.cell_id, place.area_id)

    window.show_page("periods")
    page.group_by.setCurrentIndex(page.group_by.findData("indicator"))
    qtbot.waitUntil(lambda: any("ô trống" in model.index(r, 0).data() for r in range(model.rowCount())))
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert titles[0].startswith("✗ Nhiệm vụ chưa cập nhật tiến độ")
    assert any(row.code in title for title in titles)  # an indicator's own line
