"""The indicator grid driven as a user would: typing, Vietnamese comments, paste, undo, refusals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.gui.grid.grid_model import IndicatorGridModel
from crc_desktop.gui.pages.indicators_page import IndicatorsPage
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.pages import operations
from tests.gui.user import assert_reachable, click, press, trigger, type_text


@pytest.fixture
def page(qtbot, demo_db):
    widget = IndicatorsPage(demo_db.values, demo_db.audit, operations(), Translator("vi"), ["2024", "2025"])
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def _type(widget, text: str) -> None:
    """Type text one character at a time (keyClicks aborts on non-ASCII, see TOOLING.md)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key_unknown, ch, Qt.NoModifier)


def _stored(demo_db, index, model):
    row, area = model.row_and_area(index)
    return demo_db.values.grid("2025").value((row.cell_id, area.id))


def _integer_index(page, column=1):
    model = page.model
    row = next(i for i, r in enumerate(model.grid.rows) if r.value_type == "integer")
    return model.index(row, column)


def test_typing_a_value_saves_it_and_enter_moves_down(page, demo_db, qtbot):
    index = _integer_index(page)
    page.view.setCurrentIndex(index)
    page.view.setFocus()
    _type(page.view, "1")  # the first key opens the editor, as in Excel
    editor = page.view.focusWidget()
    assert editor is not page.view
    _type(editor, ".234")
    QTest.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: page.view.currentIndex().row() == index.row() + 1)  # queued commit
    assert _stored(demo_db, index, page.model).number == 1234
    assert page.model.data(index) == "1.234"


def test_the_target_beside_a_value_is_written_as_vietnamese_users_write_numbers(page):
    model = page.model
    fractional = [i for i, r in enumerate(model.grid.rows) if r.target and r.target.value % 1]
    number = next(i for i in fractional if model.grid.rows[i].target.comparator == ">=")
    target = model.grid.rows[number].target
    whole, tenth = f"{target.value:.1f}".split(".")
    written = f"≥ {whole},{tenth}"  # 78,3 and not 78.3, which reads as seventy-eight thousand
    index = model.index(number, 1)
    assert f"Chỉ tiêu kế hoạch: {written}" in model.data(index, Qt.ToolTipRole)
    page.view.setCurrentIndex(index)
    assert page.target_label.text() == written


def test_a_vietnamese_comment_is_stored_intact(page, demo_db):
    index = _integer_index(page)
    page.view.setCurrentIndex(index)
    page.comment_edit.setFocus()
    page.comment_edit.clear()
    _type(page.comment_edit, "Số liệu do Công an xã cung cấp, đã đối chiếu")
    press(page.comment_edit, Qt.Key_Return)  # the comment is saved when the user presses Enter
    assert _stored(demo_db, index, page.model).comment == "Số liệu do Công an xã cung cấp, đã đối chiếu"


def test_text_in_a_number_cell_is_refused_at_the_cell(page, demo_db):
    index = _integer_index(page)
    before = _stored(demo_db, index, page.model)
    page.model.setData(index, "mười hai")
    assert "không phải là số" in page.view.refusal_label.text()
    assert _stored(demo_db, index, page.model) == before


def test_paste_a_block_from_excel_then_undo_and_redo(page, demo_db):
    index = _integer_index(page)
    page.view.setCurrentIndex(index)
    QGuiApplication.clipboard().setText("11\t12\n")
    QTest.keySequence(page.view, "Ctrl+V")
    right = index.sibling(index.row(), index.column() + 1)
    assert _stored(demo_db, index, page.model).number == 11
    assert _stored(demo_db, right, page.model).number == 12
    page.undo_stack.undo()
    assert _stored(demo_db, index, page.model).number != 11
    page.undo_stack.redo()
    assert _stored(demo_db, right, page.model).number == 12


def test_a_pasted_block_larger_than_the_grid_changes_nothing(page, demo_db):
    model = page.model
    corner = model.index(model.rowCount() - 1, model.columnCount() - 1)
    page.view.setCurrentIndex(corner)
    QGuiApplication.clipboard().setText("1\t2\n3\t4")
    QTest.keySequence(page.view, "Ctrl+V")
    assert "vượt quá bảng" in page.view.refusal_label.text()
    assert page.undo_stack.count() == 0


def test_a_signed_period_is_read_only(page):
    page.period_box.setCurrentText("2024")
    assert not page.model.flags(page.model.index(0, 1)) & Qt.ItemIsEditable
    assert "đã ký và bị khóa" in page.message.text()


def test_swap_rows_and_columns(page):
    rows, columns = page.model.rowCount(), page.model.columnCount()
    click(page.swap_button)
    assert (page.model.rowCount(), page.model.columnCount()) == (columns, rows)


def test_the_grid_model_passes_the_model_tester(qtmodeltester, demo_db):
    model = IndicatorGridModel(demo_db.values.grid("2025"), Translator("vi"))
    qtmodeltester.check(model)
    model.set_transposed(True)
    qtmodeltester.check(model)
    assert QApplication.instance() is not None


def test_changing_a_submitted_period_asks_for_the_reason_in_a_field_not_a_dialog(
    page, demo_db, monkeypatch, qtbot
):
    from crc_desktop.gui.dialogs import reason_dialog

    monkeypatch.setattr(reason_dialog.QDialog, "exec", lambda self: pytest.fail("a dialog popped up"))
    demo_db.periods.submit("2025")
    page.load("2025")
    assert_reachable(page.reason_bar.edit)
    index = _integer_index(page)
    row, area = page.model.row_and_area(index)
    before = _stored(demo_db, index, page.model)
    page.view.setCurrentIndex(index)
    page.view.setFocus()
    _type(page.view, "7")  # the first key would open the editor: the reason's field takes the focus
    field = QApplication.focusWidget()
    assert field is page.reason_bar.edit and page.view.state() != page.view.State.EditingState
    assert "Enter" in page.reason_bar.hint.text()
    _type(field, "Công an tỉnh điều chỉnh")  # every keystroke lands in the field, none in the cell
    assert QApplication.focusWidget() is page.reason_bar.edit
    assert _stored(demo_db, index, page.model) == before
    press(field, Qt.Key_Return)  # back to the cell
    assert QApplication.focusWidget() is page.view and page.view.currentIndex() == index
    assert page.reason_bar.reason() == "Công an tỉnh điều chỉnh"
    _type(page.view, "7")
    _type(page.view.focusWidget(), "7")
    press(page.view.focusWidget(), Qt.Key_Return)
    qtbot.waitUntil(lambda: page.view.currentIndex().row() == index.row() + 1)
    page.model.setData(index.sibling(index.row(), index.column() + 1), "78")
    assert _stored(demo_db, index, page.model).number == 77
    history = demo_db.audit.history("indicator_value", f"2025/{row.cell_id}/{area.id}")
    assert history[-1].reason == "Công an tỉnh điều chỉnh"
    page.view.setCurrentIndex(index)
    assert "Công an tỉnh điều chỉnh" in page.history_list.item(0).text()


def test_a_refused_value_stays_in_its_cell_red_with_the_reason_beside_it(page, demo_db, qtbot):
    index = _integer_index(page)
    before = _stored(demo_db, index, page.model)
    page.view.setCurrentIndex(index)
    page.view.setFocus()
    _type(page.view, "1")
    editor = page.view.focusWidget()
    _type(editor, "2a")
    press(editor, Qt.Key_Return)
    qtbot.wait(50)  # the commit is queued: let it happen
    assert page.view.state() == page.view.State.EditingState  # still editing, the cursor did not move
    assert page.view.currentIndex() == index
    assert editor.text() == "12a" and "f8d7da" in editor.styleSheet()
    label = page.view.refusal_label
    assert label.isVisible() and "không phải là số" in label.text()
    cell = page.view.visualRect(index)
    assert abs(label.geometry().top() - cell.top()) < 30  # beside the cell, not at the top of the page
    assert page.message.text() == ""
    assert _stored(demo_db, index, page.model) == before
    editor.selectAll()
    _type(editor, "12")
    press(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: page.view.currentIndex().row() == index.row() + 1)
    assert _stored(demo_db, index, page.model).number == 12
    assert not label.isVisible()  # the next good edit clears the message


def test_escape_gives_up_a_refused_value_and_a_page_change_clears_its_message(page, demo_db, qtbot):
    index = _integer_index(page)
    page.view.setCurrentIndex(index)
    page.view.setFocus()
    _type(page.view, "x")
    press(page.view.focusWidget(), Qt.Key_Return)
    qtbot.wait(50)
    assert page.view.refusal_label.isVisible()
    press(page.view.focusWidget(), Qt.Key_Escape)
    assert page.view.state() != page.view.State.EditingState
    assert not page.view.refusal_label.isVisible()
    page.model.setData(index, "y")  # refused again, then the user goes to another page
    assert page.view.refusal_label.text()
    page.hide()
    page.show()
    assert not page.view.refusal_label.isVisible()


def test_the_right_click_menu_shows_its_shortcuts_and_copies_pastes_clears(page, demo_db):
    index = _integer_index(page)
    page.view.setCurrentIndex(index)
    menu = page.view.context_menu()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Sao chép", "Dán", "Xóa", "Ghi chú hoặc giải trình…", "Lịch sử của giá trị này"]
    assert all(
        not a.shortcut().isEmpty() and a.isShortcutVisibleInContextMenu()
        for a in menu.actions()
        if not a.isSeparator()
    )
    page.model.setData(index, "321")
    trigger(page.view.copy_action)
    assert QGuiApplication.clipboard().text() == "321"
    below = index.sibling(index.row() + 1, index.column())
    page.view.setCurrentIndex(below)
    trigger(page.view.paste_action)
    assert _stored(demo_db, below, page.model).number == 321
    trigger(page.view.clear_action)
    assert _stored(demo_db, below, page.model).number is None
    trigger(page.view.comment_action)
    assert page.comment_edit.hasFocus()


def test_a_large_change_says_how_to_clear_it_and_one_explanation_clears_a_selection(page, demo_db, qtbot):
    grid = page.model.grid
    row = next(r for r in grid.rows if r.value_type == "integer" and r.is_total)
    areas = grid.areas[2:5]
    edits = []
    for area in areas:
        previous = demo_db.values.details("2025", row.cell_id, area.id).previous
        edits.append(ValueEdit(cell_id=row.cell_id, area_id=area.id, raw=str(int(previous * 9))))
    demo_db.values.apply("2025", edits)
    blocking = lambda: {  # noqa: E731
        (p.place.cell_id, p.place.area_id)
        for p in demo_db.readiness.check("2025").blocking
        if p.kind == "uncommented_warning"
    }
    assert {(row.cell_id, a.id) for a in areas} <= blocking()
    page.load("2025")
    first = page.model.index_of(row.cell_id, areas[0].id)
    last = page.model.index_of(row.cell_id, areas[-1].id)
    page.view.setCurrentIndex(first)  # before the findings are read (after the grid is painted)
    qtbot.waitUntil(lambda: "thêm giải trình" in page.issues_label.text())  # the panel shows them then
    assert "thêm giải trình" in page.model.data(first, Qt.ToolTipRole)
    page.view.selectionModel().select(
        QItemSelection(first, last), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    assert "3 ô" in page.comment_scope.text()
    page.comment_edit.setFocus()
    page.view.setFocus()  # in and out of the field without typing: nothing is written
    assert {(row.cell_id, a.id) for a in areas} <= blocking()
    type_text(page.comment_edit, "Xã sáp nhập, dân số tăng")
    press(page.comment_edit, Qt.Key_Return)
    assert not {(row.cell_id, a.id) for a in areas} & blocking()
    page.view.setCurrentIndex(first)
    assert "Đã giải trình" in page.issues_label.text()


def test_no_disaggregation_code_is_shown_to_users(page, demo_db):
    model = page.model
    shown = [str(model.headerData(r, Qt.Vertical)) for r in range(model.rowCount())]
    shown += [str(model.headerData(r, Qt.Vertical, Qt.ToolTipRole)) for r in range(model.rowCount())]
    assert not [text for text in shown if "sex" in text or "=" in text]
    row = next(r for r in model.grid.rows if not r.is_total)
    total = next(r for r in model.grid.rows if r.is_total and r.indicator_id == row.indicator_id)
    area = model.grid.areas[1]
    demo_db.values.apply("2025", [ValueEdit(cell_id=row.cell_id, area_id=area.id, raw="0")])
    messages = [
        Translator("vi")(issue.message, **issue.params)
        for issue in demo_db.values.issues("2025").get((total.cell_id, area.id), [])
    ]
    assert messages and all("sex" not in m and "urban_rural" not in m for m in messages)


def test_rule_findings_arrive_from_the_background_and_colour_the_cell(qtbot, demo_db):
    runner = TaskRunner()  # a real worker thread
    widget = IndicatorsPage(
        demo_db.values, demo_db.audit, operations(runner), Translator("vi"), ["2024", "2025"]
    )
    qtbot.addWidget(widget)
    widget.show()  # the grid is read when the page is first shown, on the worker
    qtbot.waitUntil(lambda: widget.model is not None, timeout=10_000)
    grid = widget.model.grid
    row = next(r for r in grid.rows if r.value_type == "integer" and r.is_total)
    area = grid.areas[4]
    previous = demo_db.values.details("2025", row.cell_id, area.id).previous
    demo_db.values.apply(
        "2025", [ValueEdit(cell_id=row.cell_id, area_id=area.id, raw=str(int(previous * 9)))]
    )
    first = widget.model
    widget.load("2025")
    qtbot.waitUntil(lambda: widget.model is not first, timeout=10_000)
    qtbot.waitUntil(lambda: bool(widget.model.issues(row.cell_id, area.id)), timeout=5000)
    index = widget.model.index_of(row.cell_id, area.id)
    assert widget.model.data(index, Qt.BackgroundRole) is not None
    assert "so với kỳ trước" in widget.model.data(index, Qt.ToolTipRole)
    runner.wait()


def test_what_the_user_is_typing_stays_when_the_findings_arrive(page, demo_db, qtbot):
    """The period's findings are read after the grid is painted; they refresh every cell, and the
    text being typed in the open editor stays."""
    index = _integer_index(page)
    page.view.setCurrentIndex(index)
    page.view.setFocus()
    _type(page.view, "4")
    editor = page.view.focusWidget()
    _type(editor, "2")
    page.model.set_issues(demo_db.values.issues("2025"))  # as when they arrive
    assert editor.text() == "42"
    QTest.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: page.view.currentIndex().row() == index.row() + 1)
    assert _stored(demo_db, index, page.model).number == 42
