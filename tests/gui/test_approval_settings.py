"""Settings: the office requires another person to approve (on by default); turning it off
needs a reason."""

from __future__ import annotations

from crc_desktop.core.i18n import Translator
from crc_desktop.gui.pages.approval_settings import ApprovalSettings
from tests.gui.pages import operations
from tests.gui.user import click, type_text


def test_turning_the_four_eyes_rule_off_needs_a_reason(qtbot, demo_db):
    box = ApprovalSettings(demo_db.periods, operations(), Translator("vi"))
    qtbot.addWidget(box)
    box.show()
    assert box.required.isChecked() and not box.reason.isEnabled()
    click(box.required)
    assert box.reason.isEnabled()
    click(box.save_button)
    assert "cần nêu lý do" in box.note.text()
    assert demo_db.periods.approver_must_differ()
    type_text(box.reason, "Phòng chỉ có một cán bộ")
    click(box.save_button)
    assert box.note.text() == "Đã lưu."
    assert not demo_db.periods.approver_must_differ()
    again = ApprovalSettings(demo_db.periods, operations(), Translator("vi"))
    qtbot.addWidget(again)
    assert not again.required.isChecked()  # what the office chose is kept in its database
