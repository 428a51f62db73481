"""The period workflow and the ready-to-sign check."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from crc_desktop.cli import main
from crc_desktop.core.errors import InputRefused, PeriodLocked
from crc_desktop.core.rules.workflow import PeriodAction
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.core.signing.keys import load_p12, new_test_keys


def test_a_new_period_is_a_draft_and_duplicates_or_overlaps_are_refused(new_db):
    status = new_db.periods.create("2026")
    assert (status.code, status.state, status.version) == ("2026", "draft", 1)
    with pytest.raises(InputRefused, match="already exists"):
        new_db.periods.create("2026")
    with pytest.raises(InputRefused, match="overlaps"):
        new_db.periods.create("2026-H1")
    assert new_db.periods.create("2027-h2").code == "2027-H2"


def _fill(context, period: str) -> None:
    grid = context.values.grid(period)
    context.values.apply(
        period,
        [
            ValueEdit(cell_id=row.cell_id, area_id=area.id, raw="2" if row.is_total else "1")
            for row in grid.rows
            for area in grid.areas
        ],
    )


def test_steps_follow_the_order_and_record_who_and_why(new_db, tmp_path):
    new_db.periods.create("2026")
    with pytest.raises(InputRefused, match="needs a period that is"):
        new_db.periods.approve("2026")
    _fill(new_db, "2026")
    assert new_db.readiness.check("2026").ready
    new_db.periods.submit("2026")
    new_db.periods.approve("2026", "Lãnh đạo vắng, đã được ủy quyền")  # the submitter, with a reason
    keys = new_test_keys(tmp_path, "Sở Y tế Huế", "46", b"mat-khau-rat-dai", key_bits=2048)
    new_db.certificates.register_file(Path(keys.certificate))
    export = new_db.export.export("2026", load_p12(Path(keys.p12), b"mat-khau-rat-dai"), tmp_path)
    signed = new_db.periods.get("2026")
    assert signed.state == "signed" and signed.last_bundle.sha256 == export.sha256 and signed.last_bundle.kept
    assert signed.allowed_actions == {PeriodAction.REOPEN, PeriodAction.SAVE_BUNDLE}
    assert signed.state.allowed_actions == {PeriodAction.REOPEN}
    with pytest.raises(InputRefused, match="reason"):
        new_db.periods.reopen("2026", "  ")
    reopened = new_db.periods.reopen("2026", "Bộ Y tế yêu cầu bổ sung số liệu")
    assert (reopened.state, reopened.version) == ("draft", 2)
    assert reopened.allowed_actions == {
        PeriodAction.SUBMIT,
        PeriodAction.SAVE_BUNDLE,
    }  # v1 can still be saved
    steps = [(t.from_state, t.to_state) for t in reopened.history]
    assert steps == [
        ("draft", "submitted"),
        ("submitted", "approved"),
        ("approved", "signed"),
        ("signed", "draft"),
    ]
    assert reopened.history[1].reason == "Lãnh đạo vắng, đã được ủy quyền"
    assert reopened.history[-1].reason == "Bộ Y tế yêu cầu bổ sung số liệu"
    assert reopened.history[-1].user_name == "Nguyễn Văn An"
    assert new_db.audit.verify().intact


def test_reopening_unlocks_a_signed_period_and_keeps_the_earlier_record(demo_db):
    grid = demo_db.values.grid("2024")
    edit = ValueEdit(cell_id=grid.rows[0].cell_id, area_id=grid.areas[0].id, raw="7")
    with pytest.raises(PeriodLocked):
        demo_db.values.apply("2024", [edit])
    demo_db.periods.reopen("2024", "Sai số liệu xã An Bắc")
    demo_db.values.apply("2024", [edit])
    status = demo_db.periods.get("2024")
    assert status.version == 2 and status.history[-1].from_state == "signed"


def test_the_check_lists_every_kind_of_problem_with_its_place(demo_db):
    readiness = demo_db.readiness.check("2025", today=dt.date(2026, 1, 10))
    kinds = {p.kind for p in readiness.problems}
    assert {"missing_value", "missing_progress", "overdue_milestone"} <= kinds
    assert not readiness.ready
    missing = next(p for p in readiness.problems if p.kind == "missing_value")
    assert missing.place.page == "indicators" and missing.place.cell_id and missing.place.area_id
    task = next(p for p in readiness.problems if p.kind == "missing_progress")
    assert task.place.page == "progress" and task.place.task_id


def test_a_commented_warning_no_longer_blocks(demo_db):
    grid = demo_db.values.grid("2025")
    row = next(r for r in grid.rows if r.value_type == "integer" and r.is_total)
    area = grid.areas[3]
    previous = demo_db.values.details("2025", row.cell_id, area.id).previous
    demo_db.values.apply(
        "2025", [ValueEdit(cell_id=row.cell_id, area_id=area.id, raw=str(int(previous * 5)))]
    )

    def uncommented():
        return [
            p
            for p in demo_db.readiness.check("2025").problems
            if p.kind == "uncommented_warning"
            and p.place.cell_id == row.cell_id
            and p.place.area_id == area.id
        ]

    assert uncommented()
    demo_db.values.apply(
        "2025", [ValueEdit(cell_id=row.cell_id, area_id=area.id, comment="Xã sáp nhập thêm thôn mới")]
    )
    assert not uncommented()


def test_approval_is_refused_while_something_blocks(demo_db):
    demo_db.periods.submit("2025")
    with pytest.raises(InputRefused, match="cannot be approved"):
        demo_db.periods.approve("2025")
    assert demo_db.periods.get("2025").state == "submitted"


def test_check_and_period_on_the_command_line(demo_db, capsys):
    path = str(demo_db.database.path)
    assert main(["check", "--db", path, "--period", "2025"]) == 1
    out, err = capsys.readouterr()
    assert "Chưa nhập giá trị." in out and "chưa sẵn sàng để ký" in err
    changed = [line for line in out.splitlines() if "so với kỳ trước" in line]
    assert changed and "→ Nếu số liệu đúng, hãy thêm giải trình" in changed[0]  # once per group
    assert main(["period", "submit", "--db", path, "--period", "2025", "--by", "Lê Thị Hoa"]) == 0
    assert "đã gửi xem xét" in capsys.readouterr().out
    assert main(["period", "reopen", "--db", path, "--period", "2025", "--by", "Lê Thị Hoa"]) == 1
    assert "phải nêu lý do" in capsys.readouterr().err


def test_another_person_approves_unless_the_submitter_says_why(new_db, paths):
    from crc_desktop.app import open_app

    new_db.periods.create("2026")
    _fill(new_db, "2026")
    new_db.periods.submit("2026")
    assert new_db.periods.approver_must_differ()  # on by default
    with pytest.raises(InputRefused, match="another person must approve"):
        new_db.periods.approve("2026")
    with pytest.raises(InputRefused, match="another person must approve"):
        new_db.periods.approve("2026", "   ")
    assert new_db.periods.get("2026").state == "submitted"
    same_name = open_app(new_db.database.path, paths, user_name=" nguyễn văn an ")
    try:
        with pytest.raises(InputRefused):
            same_name.periods.approve("2026")  # the same name, however typed
    finally:
        same_name.close()
    other = open_app(new_db.database.path, paths, user_name="Lê Thị Hoa")
    try:
        status = other.periods.approve("2026")
    finally:
        other.close()
    assert status.state == "approved" and status.history[-1].user_name == "Lê Thị Hoa"


def test_the_office_can_let_the_submitter_approve_with_a_recorded_reason(new_db):
    with pytest.raises(InputRefused, match="needs a reason"):
        new_db.periods.set_approver_must_differ(False)
    assert new_db.periods.approver_must_differ()
    new_db.periods.set_approver_must_differ(False, "Phòng chỉ có một cán bộ")
    assert not new_db.periods.approver_must_differ()
    new_db.periods.create("2026")
    _fill(new_db, "2026")
    new_db.periods.submit("2026")
    assert new_db.periods.approve("2026").state == "approved"
    entry = new_db.audit.history("app_info", "approver_must_differ")[-1]
    assert entry.reason == "Phòng chỉ có một cán bộ"
    assert new_db.audit.verify().intact


def test_the_command_line_approves_the_submitter_s_period_only_with_a_reason(new_db, capsys):
    new_db.periods.create("2026")
    _fill(new_db, "2026")
    new_db.periods.submit("2026")
    db = str(new_db.database.path)
    args = ["period", "approve", "--db", db, "--period", "2026", "--by", "Nguyễn Văn An"]
    assert main(args) == 1
    assert "cần một người khác phê duyệt" in capsys.readouterr().err
    assert main([*args, "--reason", "Được ủy quyền"]) == 0


def test_the_period_rule_says_what_each_state_allows():
    from crc_desktop.core.rules.workflow import PeriodState

    draft, submitted, approved, signed = PeriodState
    assert [s.editable for s in PeriodState] == [True, True, True, False]
    assert [s.needs_reason for s in PeriodState] == [False, True, True, False]
    assert draft.allowed_actions == {PeriodAction.SUBMIT}
    assert approved.allowed_actions == {PeriodAction.EXPORT, PeriodAction.REOPEN}
    assert draft == "draft" and signed.after("reopen", "Bổ sung") == "draft"
    with pytest.raises(PeriodLocked):
        signed.ensure_editable("2025", "một lý do")
    with pytest.raises(InputRefused, match="give a reason"):
        submitted.ensure_editable("2025", " ")
    approved.ensure_editable("2025", "Xã gửi lại")
    with pytest.raises(InputRefused, match="needs a period that is"):
        draft.after(PeriodAction.EXPORT)
    with pytest.raises(InputRefused, match="nothing to reopen"):
        draft.after(PeriodAction.REOPEN, "lý do")


def test_approving_with_no_name_after_another_s_submit_is_refused(new_db, capsys):
    """The two-person rule compares names: a step with no name never passes, on the command line
    (no --by, no name in the settings) or through the services."""
    from crc_desktop.core.db.uow import Actor
    from crc_desktop.core.services.workflow import PeriodService

    db = str(new_db.database.path)
    assert main(["period", "create", "2026", "--db", db]) == 0  # the period as a positional
    _fill(new_db, "2026")
    assert main(["period", "submit", "--db", db, "--period", "2026", "--by", "Lê Văn Hùng"]) == 0
    capsys.readouterr()
    assert main(["period", "approve", "--db", db, "--period", "2026"]) == 1
    assert "--by" in capsys.readouterr().err
    nameless = PeriodService(new_db.database, Actor(os_user="someone-else", user_name="  "))
    with pytest.raises(InputRefused, match="records who takes it"):
        nameless.approve("2026")
    assert new_db.periods.get("2026").state == "submitted"
    assert [t.user_name for t in new_db.periods.get("2026").history] == ["Lê Văn Hùng"]


def test_the_same_person_is_found_whatever_the_case_and_diacritics(new_db, capsys):
    db = str(new_db.database.path)
    new_db.periods.create("2026")
    _fill(new_db, "2026")
    assert main(["period", "submit", "2026", "--db", db, "--by", "Lê Văn Hùng"]) == 0
    assert main(["period", "approve", "2026", "--db", db, "--by", "LE VAN  HUNG"]) == 1
    assert "cần một người khác phê duyệt" in capsys.readouterr().err
    assert main(["period", "approve", "2026", "--db", db, "--by", "Trần Thị Mai"]) == 0


def test_a_step_without_a_name_counts_as_the_same_person():
    from crc_desktop.core.rules.workflow import same_person

    assert same_person("Lê Văn Hùng", "root", "le van hung", "other")
    assert same_person("", "a", "Trần Thị Mai", "b")  # a missing name never passes
    assert same_person("", "a", "", "b")
    assert not same_person("Lê Văn Hùng", "root", "Trần Thị Mai", "root")


def test_the_check_is_grouped_counts_first_and_the_tasks_are_never_buried(demo_db, capsys):
    """A unit's empty cells are one line with their count; the tasks without progress come
    first, whatever the number of values missing; --json gives the same groups."""
    import json

    summary = demo_db.readiness.summary("2025")
    readiness = demo_db.readiness.check("2025")
    assert sum(len(g.entries) for g in summary.groups) == len(readiness.problems)
    first = summary.groups[0]
    assert first.translated and set(first.counts) == {"missing_progress"}
    blocking = [g.blocking > 0 for g in summary.groups]
    assert blocking == sorted(blocking, reverse=True)  # blocking groups before the warnings
    grid = demo_db.values.grid("2025")
    empty = Counter(p.place.area_id for p in readiness.problems if p.kind == "missing_value")
    area, count = empty.most_common(1)[0]
    name = next(a.name for a in grid.areas if a.id == area)
    by_unit = {g.title: g for g in summary.groups}
    assert by_unit[name].counts["missing_value"] == count

    path = str(demo_db.database.path)
    assert main(["check", "--db", path, "--period", "2025"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Kỳ 2025: ") and "ô trống" in out[0]  # the counts first
    assert out[1] == f"✗ Nhiệm vụ chưa cập nhật tiến độ ({first.blocking})"
    assert f"{name}: " in "\n".join(out) and f"{count} ô trống" in next(line for line in out if name in line)
    assert len(out) < len(readiness.problems)
    assert main(["check", "--db", path, "--period", "2025", "--json", "--by", "indicator"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["by"] == "indicator" and data["blocking"] == len(readiness.blocking)
    assert data["groups"][0]["counts"] == {"missing_progress": first.blocking}
