"""The plan from Excel: the workbook `plan export` writes comes back in, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from crc_desktop.cli import main
from crc_desktop.core.errors import InputRefused


@pytest.fixture
def exported(demo_db, tmp_path):
    path = tmp_path / "ke-hoach.xlsx"
    demo_db.reports.plan_workbook("2025", path)
    return demo_db, path


def _tasks(context):
    return {t.code: context.plan.task(t.id).input for t in context.plan.tasks()}


def _audit_count(context) -> int:
    return context.audit.verify().entries


def test_the_exported_plan_comes_back_unchanged(exported):
    context, path = exported
    before, entries = _tasks(context), _audit_count(context)
    report = context.plan.import_workbook(path)
    assert (report.added, report.changed, report.deleted) == ([], [], [])
    assert report.unchanged == len(before) == 30
    assert _tasks(context) == before
    assert _audit_count(context) == entries


def test_a_new_row_adds_a_task_and_a_changed_row_updates_one(exported):
    context, path = exported
    book = load_workbook(path)
    plan, budget = book["Kế hoạch"], book["Kinh phí"]
    first = [cell.value for cell in plan[2]]
    plan.append(
        [
            "KH-MOI-01",
            "2",
            "Tập huấn kỹ năng sống cho trẻ em",
            "",
            first[4],
            first[5],
            dt.datetime(2026, 3, 1),
            "31/12/2026",
            "Đang thực hiện",
            "CRC/C/VNM/CO/5-6 17",
            "Sơ kết (30/06/2026); Tổng kết (15/12/2026, xong 14/12/2026)",
        ]
    )
    budget.append(["KH-MOI-01", "", 2026, "Ngân sách nhà nước", "150.000.000", 100000000, 0])
    plan.cell(2, 3).value = first[2] + " (sửa)"
    book.save(path)
    before = _tasks(context)

    dry = context.plan.import_workbook(path, dry_run=True)
    assert (dry.added, dry.changed) == (["KH-MOI-01"], [first[0]])
    assert _tasks(context) == before

    context.plan.import_workbook(path, reason="kế hoạch năm 2026")
    after = _tasks(context)
    new = after["KH-MOI-01"]
    assert (new.group, new.title, new.start_on, new.end_on, new.status) == (
        2,
        "Tập huấn kỹ năng sống cho trẻ em",
        dt.date(2026, 3, 1),
        dt.date(2026, 12, 31),
        "in_progress",
    )
    assert [(m.title, m.due_on, m.done_on) for m in new.milestones] == [
        ("Sơ kết", dt.date(2026, 6, 30), None),
        ("Tổng kết", dt.date(2026, 12, 15), dt.date(2026, 12, 14)),
    ]
    assert [(b.fiscal_year, b.source, b.planned, b.allocated) for b in new.budget] == [
        (2026, "state_budget", 150_000_000, 100_000_000)
    ]
    assert new.lead_agency_id == before[first[0]].lead_agency_id
    assert after[first[0]].title.endswith("(sửa)")
    assert {k: v for k, v in after.items() if k not in ("KH-MOI-01", first[0])} == {
        k: v for k, v in before.items() if k != first[0]
    }
    task_id = next(t.id for t in context.plan.tasks() if t.code == "KH-MOI-01")
    history = context.plan.history(task_id)
    assert [h.action for h in history] == ["task.create"]
    assert "ke-hoach.xlsx" in history[0].reason and "kế hoạch năm 2026" in history[0].reason


def test_a_task_is_deleted_only_when_its_row_says_so(exported):
    context, path = exported
    book = load_workbook(path)
    plan = book["Kế hoạch"]
    code_deleted, code_dropped = plan.cell(4, 1).value, plan.cell(3, 1).value
    plan.cell(4, 12).value = "x"  # a task with progress in a draft period only
    plan.delete_rows(3)
    book.save(path)
    report = context.plan.import_workbook(path)
    assert report.deleted == [code_deleted]
    codes = set(_tasks(context))
    assert code_deleted not in codes and code_dropped in codes  # a missing row deletes nothing


def test_a_task_with_progress_in_a_signed_period_is_not_deleted(exported):
    context, path = exported
    book = load_workbook(path)
    plan = book["Kế hoạch"]
    code = plan.cell(2, 1).value
    assert "signed" in next(t.progress_in for t in context.plan.tasks() if t.code == code)
    plan.cell(2, 12).value = "x"
    book.save(path)
    before, entries = _tasks(context), _audit_count(context)
    with pytest.raises(InputRefused) as refused:
        context.plan.import_workbook(path, reason="Bỏ nhiệm vụ trùng")
    assert "2024" in str(refused.value) and "row 2" in str(refused.value)
    assert _tasks(context) == before and _audit_count(context) == entries


@pytest.mark.parametrize(
    "sheet, row, column, value, expected",
    [
        ("Kế hoạch", 3, 2, "9. Nhóm lạ", "Trang Kế hoạch, dòng 3, cột B (Nhóm): 9. Nhóm lạ không phải"),
        (
            "Kế hoạch",
            4,
            5,
            "Sở Không Có",
            "Trang Kế hoạch, dòng 4, cột E (Cơ quan chủ trì): không có cơ quan",
        ),
        ("Kế hoạch", 2, 8, "01/01/2000", "Trang Kế hoạch, dòng 2, cột H (Đến ngày): ngày kết thúc"),
        ("Kinh phí", 2, 5, "nhiều tiền", "Trang Kinh phí, dòng 2, cột E (Kế hoạch (đồng)): nhiều tiền"),
        # a year out of range once went on to pydantic, which refused it again in English
        ("Kinh phí", 2, 3, 1999, "Trang Kinh phí, dòng 2, cột C (Năm): 1999 không phải là năm."),
        ("Kinh phí", 2, 3, "0", "Trang Kinh phí, dòng 2, cột C (Năm): 0 không phải là năm."),
        # a date where text belongs is quoted as Excel shows it, not as Python prints it
        (
            "Kinh phí",
            2,
            4,
            dt.datetime(2025, 1, 1),
            "Trang Kinh phí, dòng 2, cột D (Nguồn): 01/01/2025 không phải là nguồn kinh phí",
        ),
    ],
)
def test_a_bad_row_is_refused_with_its_place_and_nothing_changes(
    exported, sheet, row, column, value, expected
):
    context, path = exported
    book = load_workbook(path)
    book["Kế hoạch"].append(["KH-MOI-02", "1", "Một nhiệm vụ mới đúng"])
    book[sheet].cell(row, column).value = value
    book.save(path)
    before, entries = _tasks(context), _audit_count(context)
    with pytest.raises(InputRefused) as refused:
        context.plan.import_workbook(path)
    from crc_desktop.core.i18n import Translator

    messages = [problem.render(Translator("vi")) for problem in refused.value.problems]
    assert len(messages) == 1 and messages[0].startswith(expected), messages
    assert _tasks(context) == before
    assert _audit_count(context) == entries


def test_the_command_line_imports_and_writes_a_blank_template(exported, tmp_path, capsys):
    context, path = exported
    db = context.database.path
    context.close()
    assert main(["plan", "import", "--db", str(db), str(path), "--dry-run"]) == 0
    assert "0 nhiệm vụ thêm mới, 0 thay đổi, 0 xóa, 30 giữ nguyên." in capsys.readouterr().out
    template = tmp_path / "mau.xlsx"
    assert main(["plan", "export-template", "--out", str(template)]) == 0
    book = load_workbook(template)
    assert [c.value for c in book["Kế hoạch"][1]][:3] == ["Mã", "Nhóm", "Nhiệm vụ"]
    book["Kế hoạch"].append(["X1", "1", "Nhiệm vụ", "", "Không có cơ quan"])
    book.save(template)
    assert main(["plan", "import", "--db", str(db), str(template)]) == 1
    assert "dòng 2, cột E (Cơ quan chủ trì)" in capsys.readouterr().err


def test_a_task_the_model_refuses_is_named_in_vietnamese_by_its_row_and_column():
    """What the task model itself refuses (pydantic) reads like every other refusal."""
    from crc_desktop.core.i18n import Translator
    from crc_desktop.core.schemas.plan import TaskInput
    from crc_desktop.core.services.plan_import import _TASK_COLUMNS, _Problems

    problems = _Problems()
    fields = {
        "code": "X1",
        "group": 9,
        "title": "",
        "start_on": dt.date(2026, 1, 2),
        "end_on": dt.date(2026, 1, 1),
    }
    assert problems.validated(TaskInput, fields, "Kế hoạch", 7, _TASK_COLUMNS) is None
    messages = [p.render(Translator("vi")) for p in problems]
    assert messages[0].startswith("Trang Kế hoạch, dòng 7, cột B (Nhóm): 9 ")
    assert messages[1].startswith("Trang Kế hoạch, dòng 7, cột C (Nhiệm vụ): ")
    assert len(messages) == 2
    fields = {
        "code": "X1",
        "group": 1,
        "title": "A",
        "start_on": dt.date(2026, 1, 2),
        "end_on": dt.date(2026, 1, 1),
    }
    assert problems.validated(TaskInput, fields, "Kế hoạch", 8, _TASK_COLUMNS) is None
    assert problems[-1].render(Translator("vi")) == "Trang Kế hoạch, dòng 8: ngày kết thúc trước ngày bắt đầu"


def test_the_template_of_a_database_lists_its_agencies_in_drop_downs(demo_db, tmp_path, capsys):
    db = demo_db.database.path
    template = tmp_path / "mau.xlsx"
    assert main(["plan", "export-template", "--out", str(template), "--db", str(db)]) == 0
    book = load_workbook(template)
    choices = book["Danh mục"]
    agencies = [c.value for c in choices["B"][1:] if c.value]
    assert "Sở Y tế" in agencies and "Công an tỉnh" in agencies
    assert [c.value for c in choices["D"][1:] if c.value] == [
        "Ngân sách nhà nước",
        "Vốn ODA",
        "Nguồn xã hội hóa",
    ]
    assert len([c.value for c in choices["A"][1:] if c.value]) == 7
    lists = {str(v.sqref): v.formula1 for v in book["Kế hoạch"].data_validations.dataValidation}
    assert lists["E2:E2000"] == f"'Danh mục'!$B$2:$B${len(agencies) + 1}"
    assert lists["B2:B2000"] == "'Danh mục'!$A$2:$A$8"
    budget = {str(v.sqref): v.formula1 for v in book["Kinh phí"].data_validations.dataValidation}
    assert budget["D2:D2000"] == "'Danh mục'!$D$2:$D$4"
    # a row filled from the lists comes in
    book["Kế hoạch"].append(["KH-DS-01", choices["A2"].value, "Nhiệm vụ theo danh sách", "", "Sở Y tế"])
    book.save(template)
    demo_db.plan.import_workbook(template)
    added = next(t for t in demo_db.plan.tasks() if t.code == "KH-DS-01")
    assert demo_db.plan.task(added.id).input.group == 1
