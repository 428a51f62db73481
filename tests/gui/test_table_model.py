"""The lists' order when the user clicks a column's header: numbers and dates by their value
whatever the language writes them as (the shown text is never read back), words in Vietnamese
dictionary order."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView

from crc_desktop.core.i18n import Translator
from crc_desktop.gui.table_model import ROW_ROLE, SORT_ROLE, Column, FilterProxy, RowTableModel

from .user import assert_reachable

ROWS = [
    ("Đông Hà", 1250, dt.date(2026, 1, 2)),
    ("Ân Thi", 75, dt.date(2025, 12, 31)),
    ("Cam Lộ", 12.5, dt.date(2025, 2, 1)),
    ("An Phú", None, None),
    ("Dương Minh Châu", 100, dt.date(2025, 11, 30)),
]


def _click_header(view: QTableView, column: int) -> None:
    header = view.horizontalHeader()
    assert_reachable(header.viewport())
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_click_on_a_header_orders_numbers_and_dates_by_value_and_words_as_a_dictionary(qtbot, language):
    tr = Translator(language)
    model = RowTableModel(
        [
            Column("Tên", lambda r: r[0]),
            Column(
                "Số",
                lambda r: "—" if r[1] is None else tr.number(r[1]),
                align_right=True,
                sort=lambda r: r[1],
            ),
            Column("Ngày", lambda r: tr.date(r[2]) if r[2] else "", sort=lambda r: r[2]),
        ],
        ROWS,
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
    _click_header(view, 1)  # 12.5 (English) or 12,5 before 75 and 100, whatever the separators
    assert shown(0) == ["Cam Lộ", "Ân Thi", "Dương Minh Châu", "Đông Hà", "An Phú"]
    _click_header(view, 1)
    assert shown(0) == ["An Phú", "Đông Hà", "Dương Minh Châu", "Ân Thi", "Cam Lộ"]
    _click_header(view, 2)  # 01/02/2025 before 30/11/2025, not by the day's digits
    assert shown(0)[:4] == ["Cam Lộ", "Dương Minh Châu", "Ân Thi", "Đông Hà"]
    model.replace_row(0, ("Đông Hà", 5, dt.date(2024, 1, 1)))  # a row saved again sorts by its new value
    assert proxy.index(0, 0).data() == "Đông Hà" and proxy.index(0, 0).data(ROW_ROLE)[1] == 5
    assert proxy.index(0, 1).data(SORT_ROLE) < proxy.index(1, 1).data(SORT_ROLE)  # the key Qt sees too
