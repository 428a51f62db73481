"""The lists' order when the user clicks a column's header: numbers by value as users write them,
words in Vietnamese dictionary order."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView

from crc_desktop.gui.table_model import ROW_ROLE, Column, FilterProxy, RowTableModel

from .user import assert_reachable

ROWS = [
    ("Đông Hà", "1.250"),
    ("Ân Thi", "75%"),
    ("Cam Lộ", "9,5"),
    ("An Phú", "—"),
    ("Dương Minh Châu", "12"),
]


def _click_header(view: QTableView, column: int) -> None:
    header = view.horizontalHeader()
    assert_reachable(header.viewport())
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))


def test_a_click_on_a_header_orders_numbers_by_value_and_words_as_a_dictionary(qtbot):
    model = RowTableModel(
        [Column("Tên", lambda r: r[0]), Column("Số", lambda r: r[1], align_right=True)], ROWS
    )
    proxy = FilterProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)

    def shown(column: int) -> list[str]:
        return [proxy.index(r, column).data() for r in range(proxy.rowCount())]

    _click_header(view, 0)
    # a, â, ă… then d, đ: "An Phú" < "Ân Thi" < "Cam Lộ" < "Dương…" < "Đông Hà"
    assert shown(0) == ["An Phú", "Ân Thi", "Cam Lộ", "Dương Minh Châu", "Đông Hà"]
    _click_header(view, 1)
    assert shown(1) == ["9,5", "12", "75%", "1.250", "—"]  # 1.250 is one thousand two hundred fifty
    _click_header(view, 1)
    assert shown(1) == ["—", "1.250", "75%", "12", "9,5"]
    model.replace_row(0, ("Đông Hà", "5"))  # a row saved again is sorted by its new value
    assert shown(1)[-1] == "5" and proxy.index(proxy.rowCount() - 1, 0).data(ROW_ROLE)[0] == "Đông Hà"
