"""The plan: tasks with links, milestones and budget; duplicates, deletes; progress per period."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from crc_desktop.core.errors import InputRefused, PeriodLocked
from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.workflow import PeriodState
from crc_desktop.core.schemas.plan import BudgetInput, MilestoneInput, ProgressInput, TaskInput


def _input(context, **changes) -> TaskInput:
    agencies = context.plan.agencies()
    rec = next(r for r in context.plan.recommendations() if r.label == "17")
    data = TaskInput(
        code="NV-100",
        group=3,
        title="Tập huấn kỹ năng phòng, chống xâm hại cho giáo viên",
        lead_agency_id=agencies[0].id,
        coordinating_agency_ids=[agencies[1].id, agencies[2].id],
        recommendation_ids=[rec.id],
        start_on=dt.date(2025, 3, 1),
        end_on=dt.date(2026, 12, 31),
        status="in_progress",
        milestones=[MilestoneInput(title="Xong tài liệu", due_on=dt.date(2025, 6, 30))],
        budget=[
            BudgetInput(
                fiscal_year=2025,
                source="state_budget",
                planned=150_000_000,
                allocated=120_000_000,
                spent=80_000_000,
            )
        ],
    )
    return data.model_copy(update=changes)


def test_create_read_update_a_task_with_everything(demo_db):
    data = _input(demo_db)
    created = demo_db.plan.create_task(data)
    assert demo_db.plan.task(created.id).input == data
    summary = next(t for t in demo_db.plan.tasks() if t.id == created.id)
    assert summary.recommendations == "17" and summary.group == 3
    changed = data.model_copy(update={"status": "delayed", "recommendation_ids": []})
    demo_db.plan.update_task(created.id, changed, reason="Đổi kế hoạch")
    assert demo_db.plan.task(created.id).input.status == "delayed"
    assert [e.action for e in demo_db.plan.history(created.id)] == ["task.create", "task.update"]
    assert next(r for r in demo_db.plan.recommendations() if r.label == "17").tasks.count("NV-100") == 0


def test_bad_tasks_are_refused(demo_db):
    demo_db.plan.create_task(_input(demo_db))
    with pytest.raises(InputRefused, match="already has the code"):
        demo_db.plan.create_task(_input(demo_db))
    with pytest.raises(ValidationError):
        _input(demo_db, end_on=dt.date(2024, 1, 1)).model_validate(
            _input(demo_db).model_dump() | {"end_on": dt.date(2024, 1, 1)}
        )
    with pytest.raises(InputRefused, match="does not exist"):
        demo_db.plan.create_task(_input(demo_db, code="NV-101", recommendation_ids=[99999]))
    assert not any(t.code == "NV-101" for t in demo_db.plan.tasks())


def test_duplicate_and_delete(demo_db):
    created = demo_db.plan.create_task(_input(demo_db))
    copy = demo_db.plan.duplicate_task(created.id)
    assert copy.input.code == "NV-100-2" and copy.input.budget == _input(demo_db).budget
    demo_db.plan.delete_task(created.id)
    codes = {t.code for t in demo_db.plan.tasks()}
    assert "NV-100" not in codes and "NV-100-2" in codes
    assert demo_db.audit.verify().intact


def test_deleting_a_task_takes_its_progress_only_as_each_period_allows(demo_db):
    """A task's progress is period data: deleting the task may not skip the period's rule."""
    signed = next(t for t in demo_db.plan.tasks() if PeriodState.SIGNED in t.progress_in)
    entries = demo_db.audit.verify().entries
    with pytest.raises(PeriodLocked, match="2024") as refused:
        demo_db.plan.delete_task(signed.id, reason="Nhiệm vụ trùng")
    said = refused.value.render(Translator("vi"))
    assert said.startswith(f"Nhiệm vụ {signed.code} có tiến độ trong kỳ 2024 đã ký")  # which task
    assert signed.code in {t.code for t in demo_db.plan.tasks()}
    assert demo_db.audit.verify().entries == entries

    created = demo_db.plan.create_task(_input(demo_db))
    demo_db.plan.save_progress("2025", created.id, ProgressInput(status="in_progress", percent_done=10))
    demo_db.periods.submit("2025")
    task = next(t for t in demo_db.plan.tasks() if t.id == created.id)
    assert task.progress_in == [PeriodState.SUBMITTED]
    with pytest.raises(InputRefused, match="reason"):
        demo_db.plan.delete_task(created.id)
    assert created.input.code in {t.code for t in demo_db.plan.tasks()}
    demo_db.plan.delete_task(created.id, reason="Nhập nhầm nhiệm vụ")
    assert created.input.code not in {t.code for t in demo_db.plan.tasks()}
    deleted = demo_db.audit.history("plan_task", created.input.code)[-1]
    assert (deleted.action, deleted.reason) == ("task.delete", "Nhập nhầm nhiệm vụ")


def test_progress_per_period_with_the_previous_beside_it(demo_db):
    task = next(r for r in demo_db.plan.progress("2024") if r.done_text)
    row = demo_db.plan.save_progress(
        "2025",
        task.task_id,
        ProgressInput(
            status="in_progress",
            percent_done=65,
            done_text="Đã tập huấn 300 giáo viên tại 12 xã",
            obstacles="Thiếu kinh phí",
            proposals="Bổ sung kinh phí năm 2026",
        ),
    )
    assert (row.percent_done, row.done_text) == (65, "Đã tập huấn 300 giáo viên tại 12 xã")
    assert row.previous_done_text  # the demo has 2024's text for this task
    with pytest.raises(PeriodLocked):
        demo_db.plan.save_progress("2024", task.task_id, ProgressInput(status="completed", percent_done=100))
    with pytest.raises(ValidationError):
        ProgressInput(status="completed", percent_done=140)
