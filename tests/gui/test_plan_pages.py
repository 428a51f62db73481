"""The plan, progress and recommendations pages driven as a user would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableWidgetItem

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.table_model import ROW_ROLE, Column, RowTableModel
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import answer, button, click, when_dialog


@pytest.fixture
def window(qtbot, demo_db, paths):
    widget = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _show(window, name: str):
    """Go to a page as the user does, and return it."""
    window.show_page(name)
    return window.page(name)


def _type(widget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key_unknown, ch, Qt.NoModifier)


def _commit(widget, text: str) -> None:
    """Text committed by an input method, the way Unikey hands Vietnamese words to a program."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_create_a_task_and_link_it_to_a_recommendation(window, demo_db, monkeypatch):
    page = _show(window, "plan")

    def fill(dialog) -> bool:
        dialog.code.setText("NV-200")
        dialog.title_edit.setFocus()
        _type(dialog.title_edit, "Hỗ trợ trẻ em khuyết tật đến trường")
        dialog.group.setCurrentIndex(dialog.group.findData(4))
        dialog.lead.setCurrentIndex(1)
        dialog.rec_search.setText("non-discrimination")
        visible = [
            dialog.recommendations.item(i)
            for i in range(dialog.recommendations.count())
            if not dialog.recommendations.item(i).isHidden()
        ]
        assert len(visible) == 1
        visible[0].setCheckState(Qt.Checked)
        dialog.budget.insertRow(0)
        for column, text in enumerate(["2026", "Ngân sách nhà nước", "200.000.000", "150.000.000", "0"]):
            dialog.budget.setItem(0, column, QTableWidgetItem(text))
        dialog._on_buttons_accepted()
        return dialog.result() == 1

    monkeypatch.setattr(page, "open_dialog", fill)
    click(page.add_button)
    task = next(t for t in demo_db.plan.tasks() if t.code == "NV-200")
    assert task.title == "Hỗ trợ trẻ em khuyết tật đến trường"
    assert task.recommendations == "17"
    assert demo_db.plan.task(task.id).input.budget[0].planned == 200_000_000
    assert page.current_task().code == "NV-200"
    assert "tạo nhiệm vụ" in page.history.item(0).text()
    window.show_page(2)
    row = next(r for r in window.recommendations_page.model.rows() if r.label == "17")
    assert "NV-200" in row.tasks


def test_a_form_with_an_error_stays_open_and_says_why(window, monkeypatch):
    page = _show(window, "plan")

    def fill(dialog) -> bool:
        dialog.code.setText("")
        dialog._on_buttons_accepted()
        assert dialog.error.text().startswith("Vui lòng kiểm tra")
        return False

    monkeypatch.setattr(page, "open_dialog", fill)
    before = page.model.rowCount()
    click(page.add_button)
    assert page.model.rowCount() == before


def test_filters_and_search_without_diacritics(window):
    page = _show(window, "plan")
    total = page.proxy.rowCount()
    page.search.setText("tao hon")
    shown = [page.proxy.index(r, 0).data(ROW_ROLE) for r in range(page.proxy.rowCount())]
    assert 0 < len(shown) < total and all("tảo hôn" in t.title for t in shown)
    page.search.clear()
    page.group_filter.setCurrentIndex(page.group_filter.findData(7))
    assert {page.proxy.index(r, 0).data(ROW_ROLE).group for r in range(page.proxy.rowCount())} == {7}


def _select_task(page, wanted) -> str:
    """Select the first task for which `wanted(task)` holds; returns its code."""
    row = next(r for r in range(page.proxy.rowCount()) if wanted(page.proxy.index(r, 0).data(ROW_ROLE)))
    page.view.setCurrentIndex(page.proxy.index(row, 0))
    return page.current_task().code


def test_delete_asks_first(window, demo_db):
    page = _show(window, "plan")
    code = _select_task(page, lambda t: t.progress_in == ["draft"])
    answer("Không")
    click(page.delete_button)
    assert any(t.code == code for t in demo_db.plan.tasks())
    answer("Có")
    click(page.delete_button)
    assert not any(t.code == code for t in demo_db.plan.tasks())


def test_deleting_a_task_follows_the_periods_holding_its_progress(window, demo_db):
    page = _show(window, "plan")
    code = _select_task(page, lambda t: "signed" in t.progress_in)
    answer("Có")
    told = []
    when_dialog(lambda box: (told.append(box.text()), click(button(box, "Đồng ý"))))
    click(page.delete_button)
    assert told and "2024" in told[0] and "mở lại" in told[0]
    assert any(t.code == code for t in demo_db.plan.tasks())  # a signed period keeps its progress

    periods = _show(window, "periods")  # the user submits 2025: the plan page hears of it
    periods.table.selectRow(
        next(r for r in range(periods.table.rowCount()) if periods.table.item(r, 0).text() == "2025")
    )
    answer("Có")  # problems still block signing: submit anyway
    click(periods.submit_button)
    assert demo_db.periods.get("2025").state == "submitted"
    page = _show(window, "plan")
    code = _select_task(page, lambda t: t.progress_in == ["submitted"])
    answer("Có")
    asked = when_dialog(lambda dialog: (_type(dialog.text, "Trung lap"), click(dialog.ok_button)))
    click(page.delete_button)
    assert asked and not any(t.code == code for t in demo_db.plan.tasks())
    assert demo_db.audit.history("plan_task", code)[-1].reason == "Trung lap"


def test_progress_is_saved_without_a_save_button(window, demo_db, qtbot):
    page = _show(window, "progress")
    window.show_page(4)
    page.select_task(page.model.row(0).task_id)
    task_id = page.model.row(0).task_id
    page.done_text.setFocus()
    for word in ("Đã ", "tổ ", "chức ", "5 ", "lớp ", "tập ", "huấn"):
        _commit(page.done_text, word)
    page.status.setCurrentIndex(page.status.findData("in_progress"))  # a task never updated starts empty
    page.percent.setValue(40)
    qtbot.waitUntil(lambda: page.saved.text() != "", timeout=3000)
    assert page.saved.text() == "Đã lưu."
    row = next(r for r in demo_db.plan.progress("2025") if r.task_id == task_id)
    assert (row.percent_done, row.done_text) == (40, "Đã tổ chức 5 lớp tập huấn")


def test_the_coverage_view_shows_what_nothing_answers(window):
    page = _show(window, "recommendations")
    page.uncovered_only.setChecked(True)
    rows = [page.proxy.index(r, 0).data(ROW_ROLE) for r in range(page.proxy.rowCount())]
    assert rows and all(not r.tasks for r in rows)
    assert "khuyến nghị đã có ít nhất một nhiệm vụ" in page.coverage.text()


def test_table_models_pass_the_model_tester(qtmodeltester, window):
    for model in (window.plan_page.model, window.progress_page.model, window.recommendations_page.model):
        qtmodeltester.check(model)
    qtmodeltester.check(RowTableModel([Column("a", lambda r: r)], []))


def test_switching_to_english(qtbot, demo_db, paths):
    english = MainWindow(demo_db, Translator("en"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(english)
    titles = [english._navigation.item(i).text() for i in range(english._navigation.count())]
    assert titles[:3] == ["Overview", "Plan", "Recommendations"]
    vietnamese = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(vietnamese)
    assert vietnamese._navigation.item(1).text() == "Kế hoạch"


def test_settings_language_is_saved_for_the_next_start(window, paths):
    window.show_page("settings")
    page = _show(window, "settings")
    page.language.setCurrentIndex(page.language.findData("en"))
    page.user_name.setText("Phạm Minh Châu")
    asked = answer("Không")  # not now: the new language applies at the next start
    click(page.save_user_button)
    assert asked
    from crc_desktop.app import load_settings

    saved = load_settings(paths)
    assert (saved.language, saved.user_name) == ("en", "Phạm Minh Châu")
    assert "lần mở chương trình sau" in page.user_note.text()


def test_a_catalogue_imported_from_settings_shows_in_recommendations(window, tmp_path, monkeypatch):
    import json

    from crc_desktop.gui.pages import settings_page as settings_module

    path = tmp_path / "co.json"
    path.write_text(
        json.dumps(
            {
                "format": "crc-desktop-catalog",
                "format_version": 1,
                "kind": "recommendations",
                "clusters": [{"code": "D", "title": "Violence against children"}],
                "entries": [{"paragraph": 31, "sub": "a", "title": "Corporal punishment", "cluster": "D"}],
            }
        ),
        "utf-8",
    )
    page = _show(window, "settings")
    monkeypatch.setattr(page, "ask_open_path", lambda: path)
    monkeypatch.setattr(settings_module, "confirm", lambda *a: True)
    click(page.catalog_button)
    assert "Đã nhập" in page.catalog_note.text()
    labels = [r.label for r in window.recommendations_page.model.rows()]
    assert "31(a)" in labels


def test_import_the_plan_from_excel_shows_what_changes_then_imports(window, demo_db, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from tests.gui.user import when_dialog

    path = tmp_path / "ke-hoach.xlsx"
    demo_db.reports.plan_workbook("2025", path)
    book = load_workbook(path)
    book["Kế hoạch"].append(["NV-EXCEL", "3", "Nhiệm vụ nhập từ Excel", "", "Sở Y tế"])
    book.save(path)
    page = _show(window, "plan")
    monkeypatch.setattr(page, "ask_import_path", lambda: path)
    questions = []

    def read_and_accept(dialog) -> None:
        questions.append(dialog.text())
        click(button(dialog, "Có"))

    from tests.gui.user import button

    when_dialog(read_and_accept)
    before = page.model.rowCount()
    click(page.import_button)
    assert questions and "1 nhiệm vụ thêm mới, 0 thay đổi, 0 xóa, 30 giữ nguyên" in questions[0]
    assert "ke-hoach.xlsx" in questions[0]
    assert page.model.rowCount() == before + 1
    assert "NV-EXCEL" in {page.model.index(r, 0).data() for r in range(page.model.rowCount())}


def test_the_signer_is_set_in_settings_and_signs_the_report(window, demo_db, tmp_path):
    from pypdf import PdfReader

    from tests.gui.user import press, type_text

    page = _show(window, "settings")
    for field, lines in (
        (page.signing_for, ["Giám đốc Sở"]),
        (page.signer_title, ["Phó Giám đốc Sở"]),
        (page.recipients, ["Bộ Y tế", "Lưu: VT"]),
    ):
        press(field, Qt.Key_A, Qt.ControlModifier)  # select what is there, and type over it
        for number, line in enumerate(lines):
            if number:
                press(field, Qt.Key_Return)
            type_text(field, line)
    click(page.save_profile_button)
    assert page.profile_note.text() == "Đã lưu."
    profile = demo_db.setup.info(counts=False).profile
    assert (profile.signing_for, profile.signer_title) == ("Giám đốc Sở", "Phó Giám đốc Sở")
    assert profile.recipients == ["Bộ Y tế", "Lưu: VT"]
    out = tmp_path / "bc.pdf"
    demo_db.reports.pdf("2025", out)
    last = " ".join(PdfReader(out).pages[-1].extract_text().split())
    assert "KT. GIÁM ĐỐC SỞ" in last and "PHÓ GIÁM ĐỐC SỞ" in last and "- Bộ Y tế;" in last


def test_the_provinces_own_target_is_set_in_settings(window, demo_db):
    from tests.gui.user import button, type_text, when_dialog

    page = _show(window, "settings")
    seen = []

    def fill(dialog) -> None:
        seen.append(dialog)
        row = next(r for r in dialog._rows if r.code == "CT01")
        field = dialog.fields[row.indicator_id]
        dialog.table.scrollToItem(dialog.table.item(dialog._rows.index(row), 0))
        type_text(field, "≥ 80")
        click(button(dialog, "Đồng ý"))

    when_dialog(fill)
    click(page.targets_button)
    assert seen
    assert page.catalog_note.text() == "Đã lưu 1 chỉ tiêu của tỉnh."
    row = next(r for r in demo_db.targets.rows(2025) if r.code == "CT01")
    assert (row.provincial.comparator, row.provincial.value) == (">=", 80.0)
