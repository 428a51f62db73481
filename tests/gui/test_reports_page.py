"""The Reports and export page: preview, save, and the Excel import with its confirmation."""

from __future__ import annotations

from openpyxl import load_workbook
from pypdf import PdfReader

from crc_desktop.core.i18n import Translator
from crc_desktop.gui import reports_page as module
from crc_desktop.gui.reports_page import ReportsPage
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import click


def _page(qtbot, demo_db):
    page = ReportsPage(demo_db, Translator("vi"), ["2024", "2025"], TaskRunner(synchronous=True))
    qtbot.addWidget(page)
    page.show()
    return page


def test_preview_shows_page_images(qtbot, demo_db):
    page = _page(qtbot, demo_db)
    page.preview()
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


def test_import_from_excel_asks_before_changing(qtbot, demo_db, tmp_path, monkeypatch):
    page = _page(qtbot, demo_db)
    workbook = tmp_path / "nhap.xlsx"
    monkeypatch.setattr(page, "ask_save_path", lambda *a: workbook)
    click(page.template_button)
    book = load_workbook(workbook)
    sheet = book["Số liệu"]
    sheet["H5"] = 12.5
    book.save(workbook)
    monkeypatch.setattr(page, "ask_open_path", lambda *a: workbook)
    answers = [False, True]
    monkeypatch.setattr(module, "confirm", lambda *a: answers.pop(0))
    changed = []
    page.values_changed.connect(lambda: changed.append(1))
    click(page.import_button)  # the user says no
    assert not changed
    click(page.import_button)  # and then yes
    assert changed == [1]
    assert "1 giá trị thay đổi" in page.status.text()
