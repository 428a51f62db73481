"""The collection page as a user works it: forms written, a folder of returns dropped, the board."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.core.test_collection import commune_form, fill, integer_indicator, stored
from tests.gui.user import assert_reachable, click


def _window(qtbot, demo_db, paths):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    navigation = window._navigation
    assert_reachable(navigation)
    item = next(
        navigation.item(i)
        for i in range(navigation.count())
        if navigation.item(i).text() == "Thu thập số liệu"
    )
    QTest.mouseClick(
        navigation.viewport(), Qt.LeftButton, Qt.NoModifier, navigation.visualItemRect(item).center()
    )
    assert window.collection_page.isVisible()
    return window, window.collection_page


def drop(widget, paths) -> None:
    """Drag files or folders from the file manager and drop them on `widget`."""
    assert_reachable(widget)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = widget.rect().center()
    enter = QDragEnterEvent(centre, Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    dropped = QDropEvent(QPoint(centre), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(widget, dropped)


def test_forms_written_and_a_dropped_folder_imported_onto_the_board(
    qtbot, demo_db, paths, tmp_path, monkeypatch
):
    window, page = _window(qtbot, demo_db, paths)
    assert page.summary.text() == "Kỳ 2025: 0/30 đơn vị đã gửi biểu mẫu."
    forms = tmp_path / "forms"
    forms.mkdir()
    monkeypatch.setattr(page, "ask_folder", lambda *a: forms)
    click(page.forms_button)
    assert len(list(forms.glob("*.xlsx"))) == 30
    assert "30 biểu mẫu" in page.status.text()

    returns = tmp_path / "returns"
    returns.mkdir()
    code = integer_indicator(demo_db)
    for number, commune in enumerate(("90001", "90002", "90003"), start=1):
        source = commune_form(forms, commune)
        fill(source, returns / source.name, {(code, "total"): 2000 + number})
    bad = commune_form(forms, "90004")
    fill(bad, returns / bad.name, {(code, "sex=F"): "mười hai"})

    drop(page.drop_area, [returns])

    lines = [page.results.item(i).text() for i in range(page.results.count())]
    assert lines[0].startswith("2025 - 90001 - Xã An An.xlsx: đã nạp, 1 giá trị thay đổi")
    assert lines[3].startswith("2025 - 90004 - Phường Cô Hương.xlsx: bị từ chối")
    assert '"mười hai" không phải là số' in lines[3]
    assert "3/30" in page.summary.text() and "bị từ chối: 1" in page.summary.text()
    states = {page.model.row(r).code: page.model.row(r).state for r in range(page.model.rowCount())}
    assert [c for c, s in states.items() if s == "returned"] == ["90001", "90002", "90003"]
    shown = page.board.model()
    state_texts = {shown.index(r, 1).data(): shown.index(r, 3).data() for r in range(shown.rowCount())}
    assert state_texts["90001"] == "đã gửi" and state_texts["90004"] == "bị từ chối"
    assert state_texts["90005"] == "chưa gửi"
    assert stored(demo_db, code, "total", "90002").number == 2002
    page.grab().save(str(tmp_path / "collection.png"))


def test_a_unit_marked_no_report_expected(qtbot, demo_db, paths, monkeypatch):
    window, page = _window(qtbot, demo_db, paths)
    row = next(r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 1).data() == "90003")
    page.board.selectRow(row)
    monkeypatch.setattr(page, "ask_reason", lambda *a: "Đã sáp nhập")
    click(page.exempt_button)
    unit = next(u for u in page.model.rows() if u.code == "90003")
    assert unit.state == "exempt" and unit.exempt_reason == "Đã sáp nhập"
    assert "0/29" in page.summary.text()
