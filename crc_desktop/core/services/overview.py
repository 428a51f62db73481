"""The overview of a period: how complete it is, what is overdue, what nothing answers, and
where key indicators stand against their targets."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import PlanTaskRecord, ProgressUpdateRecord
from crc_desktop.core.db.repositories import fetch_all
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.rules.periods import PeriodCode
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.services.plan import PlanService
from crc_desktop.core.services.workflow import ReadinessService


class KeyIndicator(Frozen):
    code: str
    name: str
    unit: str
    value: float | None
    target: float
    comparator: str


class OverviewSummary(Frozen):
    period: str
    state: str
    values_entered: int
    values_expected: int
    tasks_total: int
    tasks_with_progress: int
    overdue: list[str]
    uncovered: int
    recommendations: int
    urgent_uncovered: list[str]
    key_indicators: list[KeyIndicator]


class OverviewService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def summary(self, period: str, *, today: dt.date | None = None) -> OverviewSummary:
        recommendations = PlanService(self._database, self._actor).recommendations()
        with UnitOfWork(self._database, self._actor) as uow:
            record = uow.periods.get(period)
            session = uow.session
            expected = fetch_all(
                session, "SELECT (SELECT count(*) FROM indicator_cell) * (SELECT count(*) FROM area)"
            )
            entered = fetch_all(
                session,
                "SELECT count(*) FROM indicator_value WHERE period_id = ? AND "
                "(value_num IS NOT NULL OR value_text IS NOT NULL)",
                (record.id,),
            )
            tasks = session.scalars(
                select(PlanTaskRecord.id).where(PlanTaskRecord.status != "cancelled")
            ).all()
            with_progress = session.scalars(
                select(ProgressUpdateRecord.task_id).filter_by(period_id=record.id)
            ).all()
            overdue = ReadinessService.overdue_milestones(uow, record, today or dt.date.today())
            year = PeriodCode.parse(record.code).year
            key = self._key_indicators(uow, record, year)
            return OverviewSummary(
                period=record.code,
                state=record.state,
                values_entered=entered[0][0],
                values_expected=expected[0][0],
                tasks_total=len(tasks),
                tasks_with_progress=len(set(with_progress) & set(tasks)),
                overdue=[f"{p.params['code']}: {p.params['title']} ({p.params['due']})" for p in overdue],
                uncovered=sum(1 for r in recommendations if not r.tasks),
                recommendations=len(recommendations),
                urgent_uncovered=[
                    f"{r.document} {r.label}" for r in recommendations if r.urgent and not r.tasks
                ],
                key_indicators=key,
            )

    @staticmethod
    def _key_indicators(uow, record, year: int) -> list[KeyIndicator]:
        rows = fetch_all(
            uow.session,
            "SELECT i.code, i.name, i.unit, t.value, t.comparator, v.value_num"
            " FROM indicator_target t JOIN indicator i ON i.id = t.indicator_id"
            " JOIN indicator_cell c ON c.indicator_id = i.id AND c.is_total"
            " LEFT JOIN area a ON a.level = 'province'"
            " LEFT JOIN indicator_value v ON v.cell_id = c.id AND v.area_id = a.id AND v.period_id = ?"
            " WHERE t.year = ? ORDER BY i.sort_order, i.id, t.level DESC",
            (record.id, year),
        )
        seen, result = set(), []
        for code, name, unit, target, comparator, value in rows:
            if code in seen:
                continue  # the provincial target, sorted first, wins over the national one
            seen.add(code)
            result.append(
                KeyIndicator(
                    code=code, name=name, unit=unit, value=value, target=target, comparator=comparator
                )
            )
        return result[:8]
