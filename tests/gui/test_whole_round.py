"""The whole round in the window, as an officer does it on a demo database: fix the blockers the
check shows, submit, approve, sign and export with a .p12 file, check the bundle in the window.
The bundle then verifies with openssl, outside our code."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile

import pytest
from PySide6.QtCore import Qt

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.plan import ProgressInput
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.pages import periods_page
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import (
    button,
    click,
    double_click_item,
    press,
    tree_entries,
    trigger,
    type_text,
    when_dialog,
)

LEFT_FOR_THE_USER = ("missing_value", "uncommented_warning", "missing_progress")


def _number(value: float) -> str:
    """As a Vietnamese user types it: 1234,5."""
    return format(value, "f").rstrip("0").rstrip(".").replace(".", ",")


def _previous_or_zero(previous, key) -> str:
    value = previous.numbers.get(key)
    return "0" if value is None else _number(value)


def _clear_all_blockers_but_one_of_each_kind(context) -> dict:
    """Arrange (through the services, not the subject of this test): every blocker is cleared but
    one missing value, one change over the threshold not yet explained, one task without progress."""
    previous = context.values.grid("2024")
    kept: dict = {}
    for _ in range(8):
        edits, blocking = {}, context.readiness.check("2025").blocking
        for problem in blocking:
            if problem.kind in LEFT_FOR_THE_USER and kept.get(problem.kind, problem).place == problem.place:
                kept[problem.kind] = problem
                continue
            place = problem.place
            if problem.kind == "missing_progress":
                context.plan.save_progress(
                    "2025",
                    place.task_id,
                    ProgressInput(status="in_progress", percent_done=40, done_text="Đã triển khai"),
                )
            elif place.cell_id is not None:
                key = (place.cell_id, place.area_id)
                if problem.kind == "uncommented_warning":
                    edits.setdefault(key, ValueEdit(cell_id=key[0], area_id=key[1], comment="Đã kiểm tra"))
                    continue
                total = problem.params.get("sum")  # a breakdown that does not add up: its sum
                if total is None and key in edits:
                    continue  # the breakdown's sum wins over the previous period's value
                raw = _previous_or_zero(previous, key) if total is None else _number(total)
                edits[key] = ValueEdit(cell_id=key[0], area_id=key[1], raw=raw)
        if edits:
            context.values.apply("2025", list(edits.values()))
        if len(blocking) == len(kept):
            break
    remaining = context.readiness.check("2025").blocking
    assert sorted(p.kind for p in remaining) == sorted(LEFT_FOR_THE_USER), remaining
    return kept


def _entry(window, menu_title: str, title: str):
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    entries = {a.text().replace("&", ""): a for a in menus[menu_title].actions()}
    return entries[title]


def _item_of(page, problem):
    for entry in tree_entries(page.problems.model()):
        if entry.data(periods_page.PLACE_ROLE) == problem.place:
            return entry
    raise AssertionError(f"the check does not list {problem.message}")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is installed by .ci/setup")
def test_the_whole_round_in_the_window(qtbot, demo_db, paths, tmp_path):
    from crc_desktop.core.signing.keys import new_test_keys

    left = _clear_all_blockers_but_one_of_each_kind(demo_db)
    previous = demo_db.values.grid("2024")
    keys = new_test_keys(tmp_path / "keys", "Sở Y tế Huế", "46", b"mat-khau-dai")
    demo_db.certificates.register_file(keys.certificate)  # the office's own (Settings › Chữ ký số)
    out = tmp_path / "gui-ra"
    out.mkdir()

    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    qtbot.waitExposed(window)
    go_to_periods = _entry(window, "Xem", "Kỳ báo cáo và ký")
    trigger(go_to_periods)
    page = window.periods_page
    assert window.current_page_name() == "periods"
    assert "còn 3 vấn đề" in page.summary.text()

    # the values: each entry of the check opens the cell, where the user types
    for kind in ("missing_value",):
        problem = left[kind]
        double_click_item(page.problems, _item_of(page, problem))
        assert window.current_page_name() == "indicators"
        grid = window.indicators_page
        key = (problem.place.cell_id, problem.place.area_id)
        assert grid.model.row_and_area(grid.view.currentIndex())[0].cell_id == key[0]
        text = _previous_or_zero(previous, key)
        type_text(grid.view, text[0])  # the first key opens the editor, as in Excel
        editor = window.focusWidget()
        assert editor is not grid.view
        type_text(editor, text[1:])
        press(editor, Qt.Key_Return)
        qtbot.waitUntil(
            lambda k=key: (
                not any(
                    f.place.cell_id == k[0] and f.place.area_id == k[1]
                    for f in demo_db.readiness.check("2025").blocking
                )
            )
        )
        trigger(go_to_periods)

    # a large change: its entry opens the cell, where the user explains it in the comment
    problem = left["uncommented_warning"]
    double_click_item(page.problems, _item_of(page, problem))
    grid = window.indicators_page
    assert window.current_page_name() == "indicators"
    type_text(grid.comment_edit, "Số liệu năm nay đã gồm cả các xã mới sáp nhập")
    press(grid.comment_edit, Qt.Key_Tab)
    qtbot.waitUntil(lambda: problem.place not in [b.place for b in demo_db.readiness.check("2025").blocking])
    trigger(go_to_periods)

    # the task: its entry opens the progress form
    double_click_item(page.problems, _item_of(page, left["missing_progress"]))
    assert window.current_page_name() == "progress"
    progress = window.progress_page
    progress.status.setCurrentIndex(progress.status.findData("in_progress"))
    progress.percent.clear()
    type_text(progress.percent, "60")
    type_text(progress.done_text, "Đã tổ chức 3 lớp tập huấn cho cán bộ xã")
    qtbot.waitUntil(lambda: not demo_db.readiness.check("2025").blocking, timeout=10_000)

    trigger(go_to_periods)
    qtbot.waitUntil(lambda: "sẵn sàng để ký" in page.summary.text() and "chưa" not in page.summary.text())
    click(page.submit_button)  # nothing blocks: no question asked
    qtbot.waitUntil(lambda: demo_db.periods.get("2025").state == "submitted")

    def say_why(dialog) -> None:  # four eyes: the officer who submitted approves only with a reason
        type_text(dialog.text, "Phòng chỉ có một cán bộ")
        click(button(dialog, "Đồng ý"))

    asked = when_dialog(say_why)
    click(page.approve_button)
    qtbot.waitUntil(lambda: demo_db.periods.get("2025").state == "approved")
    assert asked and demo_db.periods.get("2025").history[-1].reason == "Phòng chỉ có một cán bộ"

    def sign(dialog) -> None:
        click(dialog.use_file)
        type_text(dialog.p12, str(keys.p12))
        type_text(dialog.secret, "mat-khau-dai")
        dialog.out.clear()
        type_text(dialog.out, str(out))
        click(button(dialog, "Ký số và xuất"))

    when_dialog(sign)
    click(page.export_button)
    qtbot.waitUntil(lambda: demo_db.periods.get("2025").state == "signed")
    bundle = out / "CRC-46-2025-v1.zip"
    assert bundle.is_file() and bundle.name in page.exported.text()

    verdicts: list[str] = []

    def check(dialog) -> None:
        type_text(dialog.bundle, str(bundle))
        type_text(dialog.trust, str(keys.ca_certificate))
        click(dialog.check_button)
        qtbot.waitUntil(lambda: bool(dialog.verdict.text()))
        verdicts.append(dialog.verdict.text())
        click(button(dialog, "Đóng"))

    when_dialog(check)
    click(page.verify_button)
    qtbot.waitUntil(lambda: bool(verdicts))
    assert verdicts[0].startswith("Hợp lệ")

    # outside our code: the manifest's CMS signature, with openssl
    with zipfile.ZipFile(bundle) as archive:
        archive.extract("manifest.json", tmp_path / "x")
        archive.extract("manifest.json.p7s", tmp_path / "x")
    done = subprocess.run(
        [
            "openssl", "cms", "-verify", "-binary", "-inform", "DER",
            "-in", str(tmp_path / "x" / "manifest.json.p7s"),
            "-content", str(tmp_path / "x" / "manifest.json"),
            "-CAfile", str(keys.ca_certificate), "-purpose", "any", "-out", os.devnull,
        ],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0 and "Verification successful" in done.stderr, done.stderr
