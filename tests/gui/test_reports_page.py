"""The Reports and export page: preview, save, and the Excel import with its confirmation."""

from __future__ import annotations

import re

from openpyxl import load_workbook
from pypdf import PdfReader

from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.gui.pages import reports_page as module
from crc_desktop.gui.pages.reports_page import ReportsPage
from tests.gui.pages import operations
from tests.gui.user import click


def _page(qtbot, demo_db, ops=None):
    page = ReportsPage(demo_db.reports, ops or operations(), Translator("vi"), ["2024", "2025"])
    qtbot.addWidget(page)
    page.show()
    return page


def test_preview_shows_page_images(qtbot, demo_db):
    page = _page(qtbot, demo_db)
    page.preview()
    qtbot.waitUntil(lambda: page.status.text() == f"{page.pages_layout.count()} trang.")  # all shown
    assert page.pages_layout.count() >= 3
    pixmap = page.pages_layout.itemAt(0).widget().pixmap()
    assert pixmap.width() > 500 and pixmap.height() > pixmap.width()
    assert "trang" in page.status.text()


def test_save_the_report_where_the_user_says(qtbot, demo_db, tmp_path, monkeypatch):
    page = _page(qtbot, demo_db)
    target = tmp_path / "Báo cáo 2025.pdf"
    monkeypatch.setattr(page, "ask_save_path", lambda *a: target)
    click(page.save_pdf_button)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in PdfReader(target).pages[0].extract_text()


def _entered_rate_row(sheet) -> int:
    """The row of an entered rate typed at the province (DD02, stunting: a survey figure)."""
    return next(
        r[0].row for r in sheet.iter_rows(min_row=5) if r[0].value == "DD02" and r[6].value == "total"
    )


def test_import_from_excel_asks_before_changing(qtbot, demo_db, tmp_path, monkeypatch):
    ops = operations()
    page = _page(qtbot, demo_db, ops)
    workbook = tmp_path / "nhap.xlsx"
    monkeypatch.setattr(page, "ask_save_path", lambda *a: workbook)
    click(page.template_button)
    book = load_workbook(workbook)
    sheet = book["Số liệu"]
    sheet.cell(_entered_rate_row(sheet), 8).value = 12.5
    book.save(workbook)
    monkeypatch.setattr(page, "ask_open_path", lambda *a: workbook)
    answers = [False, True]
    monkeypatch.setattr(module, "confirm", lambda *a: answers.pop(0))
    changed = []
    ops.changed.connect(lambda what, _source: changed.append(what))
    click(page.import_button)  # the user says no
    assert not changed
    click(page.import_button)  # and then yes
    assert changed == [Changes(values=True, period="2025")]  # the window tells the other pages
    assert "1 giá trị thay đổi" in page.status.text()


def test_an_import_into_a_submitted_period_asks_why_as_the_grid_does(qtbot, demo_db, tmp_path, monkeypatch):
    from crc_desktop.gui.dialogs import reason_dialog
    from tests.gui.user import click

    ops = operations()
    page = _page(qtbot, demo_db, ops)
    page.period_box.setCurrentText("2025")
    workbook = tmp_path / "nhap.xlsx"
    monkeypatch.setattr(page, "ask_save_path", lambda *a: workbook)
    click(page.template_button)
    book = load_workbook(workbook)
    book["Số liệu"].cell(_entered_rate_row(book["Số liệu"]), 8).value = 12.5
    book.save(workbook)
    demo_db.periods.submit("2025")
    monkeypatch.setattr(page, "ask_open_path", lambda *a: workbook)
    monkeypatch.setattr(module, "confirm", lambda *a: True)
    reasons = [None, "Sở Giáo dục gửi lại số liệu"]  # first the user cancels, then says why
    asked = []
    monkeypatch.setattr(
        reason_dialog.ReasonDialog,
        "ask",
        classmethod(lambda cls, tr, title, prompt, parent=None: asked.append(prompt) or reasons.pop(0)),
    )
    changed = []
    ops.changed.connect(lambda what, _source: changed.append(what))

    click(page.import_button)
    assert len(asked) == 1 and "đã gửi xem xét" in asked[0] and not changed
    grid = demo_db.values.grid("2025")
    rate = next(r for r in grid.rows if r.code == "DD02" and r.is_total)
    assert grid.value((rate.cell_id, grid.areas[0].id)).number != 12.5

    click(page.import_button)
    assert changed == [Changes(values=True, period="2025")]  # the window tells the other pages
    grid = demo_db.values.grid("2025")
    assert grid.value((rate.cell_id, grid.areas[0].id)).number == 12.5
    key = f"2025/{rate.cell_id}/{grid.areas[0].id}"
    assert demo_db.audit.history("indicator_value", key)[-1].reason == "Sở Giáo dục gửi lại số liệu"

    # the next import of the sitting (or the grid, the progress page) uses that reason, unasked
    book = load_workbook(workbook)
    book["Số liệu"].cell(_entered_rate_row(book["Số liệu"]), 8).value = 13.5
    book.save(workbook)
    click(page.import_button)
    assert len(asked) == 2
    grid = demo_db.values.grid("2025")
    assert grid.value((rate.cell_id, grid.areas[0].id)).number == 13.5
    assert demo_db.audit.history("indicator_value", key)[-1].reason == "Sở Giáo dục gửi lại số liệu"


def test_the_office_writes_its_text_saved_as_it_types_with_undo_and_the_preview_follows(qtbot, demo_db):
    from PySide6.QtCore import Qt

    from tests.gui.user import press, type_text

    page = _page(qtbot, demo_db)
    page.resize(1366, 768)
    editor = page.text_editor
    qtbot.waitUntil(lambda: editor._state is not None)
    assert editor.section_box.currentText() == "I. Công tác chỉ đạo, điều hành, triển khai"
    type_text(editor.editor, "Ban hành Kế hoạch số 45/KH-UBND.")
    press(editor.editor, Qt.Key_Return)
    type_text(editor.editor, "- Tập huấn 12 lớp;")
    expected = "Ban hành Kế hoạch số 45/KH-UBND.\n- Tập huấn 12 lớp;"
    qtbot.waitUntil(lambda: demo_db.reports.text("2025").of("direction") == expected, timeout=5000)
    assert editor.state_label.text() == "Đã lưu."
    qtbot.waitUntil(  # the preview beside the editor follows the saved text
        lambda: page.status.text().endswith("trang.") and page.pages_layout.count() >= 3, timeout=20000
    )

    click(editor.undo_button)  # the last typing undone, and the text as it is now saved
    undone = editor.editor.toPlainText().strip()
    assert len(undone) < len(expected) and expected.startswith(undone)
    qtbot.waitUntil(lambda: demo_db.reports.text("2025").of("direction") == undone, timeout=5000)
    while (
        editor.undo_button.isEnabled()
        and editor.editor.toPlainText().strip() != "Ban hành Kế hoạch số 45/KH-UBND."
    ):
        click(editor.undo_button)

    editor.section_box.setCurrentIndex(editor.section_box.findData("proposals"))
    assert editor.editor.toPlainText() == ""
    type_text(editor.editor, "Đề nghị Bộ Y tế hướng dẫn.")
    editor.section_box.setCurrentIndex(editor.section_box.findData("direction"))  # saved on leaving
    qtbot.waitUntil(lambda: demo_db.reports.text("2025").of("proposals") == "Đề nghị Bộ Y tế hướng dẫn.")
    assert editor.editor.toPlainText() == "Ban hành Kế hoạch số 45/KH-UBND."


def test_a_signed_periods_text_cannot_be_typed_into(qtbot, demo_db):
    page = _page(qtbot, demo_db)
    page.period_box.setCurrentText("2024")  # signed in the demo
    qtbot.waitUntil(lambda: page.text_editor.editor.isReadOnly())
    assert "khóa" in page.text_editor.state_label.text()


def test_a_drafted_sentence_is_inserted_then_edited_and_saved(qtbot, demo_db):
    from tests.gui.user import click_item, type_text

    page = _page(qtbot, demo_db)
    page.resize(1366, 768)
    editor = page.text_editor
    editor.section_box.setCurrentIndex(editor.section_box.findData("results.1"))
    qtbot.waitUntil(lambda: editor.drafts_list.count() == 1)
    item = editor.drafts_list.item(0)
    # the sentence itself is recomputed from the data in tests/core/reporting/test_findings.py
    assert re.match(r"\d+/\d+ nhiệm vụ của nhóm đã hoàn thành: \w", item.text())
    click_item(editor.drafts_list, item)
    click(editor.insert_button)
    type_text(editor.editor, " Đã sơ kết.")
    expected = item.text() + " Đã sơ kết."
    qtbot.waitUntil(lambda: demo_db.reports.text("2025").of("results.1") == expected, timeout=5000)


def test_a_submitted_periods_text_asks_the_reason_once_per_sitting_as_the_grid_does(
    qtbot, demo_db, monkeypatch
):
    """The reason is asked once for the period, not once per loading of the text: leaving the
    period and coming back keeps it, and one given on another page of the window serves too."""
    from crc_desktop.gui.dialogs import reason_dialog
    from crc_desktop.gui.widgets.change_reason import SessionReasons
    from tests.gui.user import type_text

    asked = []
    monkeypatch.setattr(
        reason_dialog.ReasonDialog,
        "ask",
        classmethod(lambda cls, tr, title, prompt, parent=None: asked.append(prompt) or "Bổ sung đánh giá"),
    )
    demo_db.periods.submit("2025")
    reasons = SessionReasons()  # the window's, shared with the grid and the progress page
    page = ReportsPage(demo_db.reports, operations(), Translator("vi"), ["2024", "2025"], reasons)
    qtbot.addWidget(page)
    page.show()
    page.period_box.setCurrentText("2025")
    editor = page.text_editor
    qtbot.waitUntil(lambda: editor._state is not None and editor._period == "2025")
    type_text(editor.editor, "Ban hành Kế hoạch số 45/KH-UBND.")
    qtbot.waitUntil(
        lambda: demo_db.reports.text("2025").of("direction").endswith("45/KH-UBND."), timeout=5000
    )
    assert len(asked) == 1 and "đã gửi xem xét" in asked[0]
    assert reasons.get("2025") == "Bổ sung đánh giá"  # the grid and the progress page see it

    page.period_box.setCurrentText("2024")  # the text of another period, then back: loaded again
    qtbot.waitUntil(lambda: editor._period == "2024" and editor.editor.isReadOnly())
    page.period_box.setCurrentText("2025")
    qtbot.waitUntil(lambda: editor._period == "2025" and not editor.editor.isReadOnly())
    type_text(editor.editor, "Đã tập huấn. ")
    qtbot.waitUntil(lambda: "Đã tập huấn." in demo_db.reports.text("2025").of("direction"), timeout=5000)
    assert len(asked) == 1  # not asked again
    history = demo_db.audit.history("report_text", "2025/direction")
    assert [entry.reason for entry in history[-2:]] == ["Bổ sung đánh giá"] * 2

    reasons.set("2025", "Sở Y tế đề nghị sửa")  # given on the grid, in the same sitting
    editor.section_box.setCurrentIndex(editor.section_box.findData("proposals"))
    type_text(editor.editor, "Đề nghị hướng dẫn.")
    qtbot.waitUntil(
        lambda: demo_db.reports.text("2025").of("proposals") == "Đề nghị hướng dẫn.", timeout=5000
    )
    assert len(asked) == 1
    assert demo_db.audit.history("report_text", "2025/proposals")[-1].reason == "Sở Y tế đề nghị sửa"
