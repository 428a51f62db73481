"""Settings › Cơ quan, đơn vị của tỉnh…: the province's agencies listed, one added, one renamed
and taken out of use, and one that leads a task kept, with the reason said at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.plan import TaskInput
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import button, click, click_item, press, type_text, when_dialog


@pytest.fixture
def window(qtbot, new_db, paths):
    lead = next(a for a in new_db.agencies.rows() if a.code == "SYT")
    new_db.plan.create_task(TaskInput(code="NV-01", group=3, title="Tập huấn", lead_agency_id=lead.id))
    widget = MainWindow(new_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _item(dialog, name: str):
    found = dialog.table.findItems(name, Qt.MatchExactly)
    assert found, name
    return found[0]


def _retype(field, text: str) -> None:
    press(field, Qt.Key_A, Qt.ControlModifier)  # select what is there, then type over it
    type_text(field, text)


def test_the_agencies_are_added_renamed_taken_out_of_use_and_a_lead_is_not_deleted(window, new_db, tmp_path):
    window.show_page("settings")
    page = window.page("settings")
    entries = new_db.audit.verify().entries
    said, shown = [], []

    def edit(dialog) -> None:
        shown.append([dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())])
        dialog.grab().save(str(tmp_path / "agencies.png"))
        # the Sở Y tế leads a task: deleting it is refused at once, with the reason
        click_item(dialog.table, _item(dialog, "Sở Y tế"))
        when_dialog(lambda box: (said.append(box.text()), click(button(box, "Đồng ý"))))
        click(button(dialog, "Xóa cơ quan này"))
        # the Sở Tư pháp is renamed and no longer in use
        click_item(dialog.table, _item(dialog, "Sở Tư pháp"))
        _retype(dialog.name, "Sở Tư pháp thành phố Huế")
        click(dialog.active)
        # a partner the province works with is added, with its kind
        click(button(dialog, "Thêm cơ quan"))
        type_text(dialog.name, "Hội Bảo trợ trẻ em")
        type_text(dialog.short_name, "HBTTE")
        press(dialog.kind, Qt.Key_End)  # the last kind: "Khác"
        click(button(dialog, "Đồng ý"))

    seen = when_dialog(edit)
    click(page.agencies_button)
    assert seen
    assert "Sở Y tế" in shown[0] and "Công an thành phố" in shown[0] and len(shown[0]) == 22
    assert said and said[0].startswith("Sở Y tế chủ trì các nhiệm vụ NV-01: không thể xóa")
    assert page.catalog_note.text() == "Cơ quan, đơn vị: 1 thêm mới, 1 thay đổi, 0 xóa."
    rows = {r.name: r for r in new_db.agencies.rows()}
    assert "Sở Y tế" in rows and "Sở Tư pháp" not in rows
    assert not rows["Sở Tư pháp thành phố Huế"].active
    added = rows["Hội Bảo trợ trẻ em"]
    assert (added.short_name, added.kind, added.active, added.code) == ("HBTTE", "other", True, "HBTTE")
    assert new_db.audit.verify().entries == entries + 2 and new_db.audit.verify().intact


def test_an_agency_without_a_name_is_refused_and_cancel_changes_nothing(window, new_db):
    window.show_page("settings")
    page = window.page("settings")
    before, entries = new_db.agencies.rows(), new_db.audit.verify().entries
    said = []

    def edit(dialog) -> None:
        click(button(dialog, "Thêm cơ quan"))
        type_text(dialog.short_name, "CQ")  # a short name, but no name
        when_dialog(lambda box: (said.append(box.text()), click(button(box, "Đồng ý"))))
        click(button(dialog, "Đồng ý"))
        assert dialog.isVisible()  # still open, to be corrected
        click(button(dialog, "Hủy"))

    seen = when_dialog(edit)
    click(page.agencies_button)
    assert seen and said == ["Cơ quan phải có tên."]
    assert new_db.agencies.rows() == before and new_db.audit.verify().entries == entries
