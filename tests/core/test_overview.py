"""The overview and the database summary, read on a read-only connection."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import func, select

from crc_desktop.core.db.models import (
    AreaRecord,
    IndicatorCellRecord,
    IndicatorRecord,
    IndicatorValueRecord,
    MilestoneRecord,
    PlanTaskRecord,
)
from crc_desktop.core.db.revision import connect_read_only
from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.errors import NotFound
from crc_desktop.core.rules.rollup import asked_of
from crc_desktop.core.schemas.values import CellValue


def test_the_summary_counts_what_the_database_holds(demo_db):
    with UnitOfWork(demo_db.database, demo_db.actor) as uow:  # a text value, and a value emptied
        period = uow.periods.get("2025")
        records = uow.session.scalars(
            select(IndicatorValueRecord).where(IndicatorValueRecord.period_id == period.id).limit(2)
        ).all()
        records[0].value_num, records[0].value_text = None, "có"
        records[1].value_num, records[1].value_text = None, None
        uow.commit()
    summary = demo_db.overview.summary("2025", today=dt.date(2025, 12, 31))
    with UnitOfWork(demo_db.database, demo_db.actor) as uow:
        session = uow.session
        period = uow.periods.get("2025")
        stored = session.execute(
            select(IndicatorRecord.measure, IndicatorRecord.reported_by, AreaRecord.level)
            .join(IndicatorCellRecord, IndicatorCellRecord.indicator_id == IndicatorRecord.id)
            .join(IndicatorValueRecord, IndicatorValueRecord.cell_id == IndicatorCellRecord.id)
            .join(AreaRecord, AreaRecord.id == IndicatorValueRecord.area_id)
            .where(
                IndicatorValueRecord.period_id == period.id,
                (IndicatorValueRecord.value_num.is_not(None))
                | (IndicatorValueRecord.value_text.is_not(None)),
            )
        ).all()
        # what is counted: a value asked of its area's level (a computed figure is asked of nobody)
        entered = sum(asked_of(*row) for row in stored)
        tasks = session.scalar(
            select(func.count(PlanTaskRecord.id)).where(PlanTaskRecord.status != "cancelled")
        )
    grid = demo_db.values.grid("2025")
    assert summary.values_entered == entered > 0
    asked = sum(asked_of(r.measure, r.reported_by, a.level) for r in grid.rows for a in grid.areas)
    assert summary.values_expected == asked < len(grid.rows) * len(grid.areas)
    assert summary.tasks_total == tasks
    recommendations = demo_db.plan.recommendations()
    assert summary.recommendations == len(recommendations)
    assert summary.uncovered == sum(1 for r in recommendations if not r.tasks)
    assert summary.state == "draft"


def test_a_milestone_is_overdue_until_it_is_done(new_db):
    from crc_desktop.core.schemas.plan import MilestoneInput, TaskInput

    new_db.periods.create("2025")
    new_db.plan.create_task(
        TaskInput(
            code="NV-01",
            group=1,
            title="Tập huấn cán bộ",
            milestones=[MilestoneInput(title="Mở lớp đầu tiên", due_on=dt.date(2025, 3, 31))],
        )
    )
    before = new_db.overview.summary("2025", today=dt.date(2025, 3, 30))
    after = new_db.overview.summary("2025", today=dt.date(2025, 4, 2))
    assert before.overdue == []
    assert after.overdue == ["NV-01: Mở lớp đầu tiên (31/03/2025)"]
    readiness = new_db.readiness.check("2025", today=dt.date(2025, 4, 2))
    assert [p.params["due"] for p in readiness.problems if p.kind == "overdue_milestone"] == ["31/03/2025"]
    with UnitOfWork(new_db.database, new_db.actor, write=True) as uow:
        uow.session.scalar(select(MilestoneRecord)).done_on = dt.date(2025, 4, 1)
        uow.commit()
    assert new_db.overview.summary("2025", today=dt.date(2025, 4, 2)).overdue == []


def test_the_info_without_counts_skips_them(demo_db):
    assert demo_db.setup.info().counts["values"] > 0
    light = demo_db.setup.info(counts=False)
    assert light.counts == {}
    assert light.profile.province_name == "Thành phố Huế"
    assert [p.code for p in light.periods][-1] == "2025"


def test_an_unknown_period_is_named_in_the_error(demo_db):
    with pytest.raises(NotFound) as caught:
        demo_db.overview.summary("2031")
    assert caught.value.params["code"] == "2031"


def test_the_read_only_connection_cannot_write(demo_db):
    connection = connect_read_only(demo_db.database.path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            connection.execute("DELETE FROM plan_task")
    finally:
        connection.close()


def test_the_next_steps_say_what_to_do_and_where_with_names_not_bare_codes(demo_db):
    summary = demo_db.overview.summary("2025")
    steps = summary.next_steps
    assert steps[0].message.startswith("Enter the {count}")
    assert steps[0].params["count"] == summary.values_expected - summary.values_entered
    place = steps[0].place
    assert place.page == "indicators"
    assert demo_db.values.grid("2025").value((place.cell_id, place.area_id)) in (None, CellValue())
    progress = [s for s in steps if s.place.page == "progress"]
    without = [r for r in demo_db.plan.progress("2025") if r.status is None]
    first = next(s for s in progress if s.place.task_id == without[0].task_id)
    assert (
        first.params["task"].startswith(without[0].code + " ")
        and without[0].title[:20] in first.params["task"]
    )
    assert steps[-1].place.page == "periods"  # a draft: check and submit
    urgent = [s for s in steps if s.place.page == "recommendations"]
    assert urgent and all(len(s.params["recommendation"].split()) > 2 for s in urgent)  # "CRC/C/… 17 Title"
    assert all(len(u.split()) > 2 for u in summary.urgent_uncovered)


def test_a_new_period_starts_with_entering_values_and_ends_with_its_workflow_step(new_db):
    new_db.periods.create("2026")
    steps = new_db.overview.summary("2026").next_steps
    pages = [s.place.page for s in steps]
    assert pages[0] == "indicators" and pages[-1] == "periods"
    assert set(pages) <= {"indicators", "recommendations", "periods"}  # no task, no milestone yet


def test_a_computed_key_indicator_shows_the_figure_the_grid_computes(demo_db):
    from crc_desktop.core.services.rollup import period_figures

    summary = demo_db.overview.summary("2025")
    with UnitOfWork(demo_db.database, demo_db.actor) as uow:
        period = uow.periods.get("2025")
        figures = period_figures(uow, period)
        totals = dict(
            uow.session.execute(
                select(IndicatorRecord.code, IndicatorCellRecord.id)
                .join(IndicatorCellRecord, IndicatorCellRecord.indicator_id == IndicatorRecord.id)
                .where(IndicatorCellRecord.is_total, IndicatorRecord.measure == "ratio")
            ).all()
        )
    computed = [k for k in summary.key_indicators if k.code in totals]
    assert computed  # the demo's key indicators include rates made from counts (KS05, TV01...)
    for key in computed:
        assert key.value is not None and key.value == figures[totals[key.code]].value
