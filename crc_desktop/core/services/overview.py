"""What a database holds and the overview of a period, read on a read-only connection.

The main window opens on these: the office, its periods and how complete the current one is,
what is overdue, what nothing answers, and key indicators against their targets. They are
plain SQL on the standard library's sqlite3 (the province's database is always a SQLite
file), so the window can show them before SQLAlchemy and the other services are loaded.
Nothing here writes: the connection is opened read-only.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from crc_desktop.core.db.models import ReportingPeriodRecord
from crc_desktop.core.db.reads import (
    asked_and_entered,
    collection_units,
    counting,
    missing_values,
    overdue_milestones,
)
from crc_desktop.core.db.repositories import ValueRepository
from crc_desktop.core.db.revision import DEMO_KEY, HEAD, connect_read_only
from crc_desktop.core.i18n import N_
from crc_desktop.core.rules.periods import PeriodCode, missing_period
from crc_desktop.core.rules.rollup import Figure
from crc_desktop.core.rules.workflow import PeriodState
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.office import DatabaseInfo, OfficeProfile, PeriodInfo
from crc_desktop.core.schemas.workflow import Place
from crc_desktop.core.services.rollup import PeriodRollup
from crc_desktop.core.text import recommendation_label


class KeyIndicator(Frozen):
    code: str
    name: str
    unit: str
    value: float | None
    target: float
    comparator: str


class NextStep(Frozen):
    """One thing to do next, and where it is done (a msgid with its values)."""

    message: str
    params: dict = {}
    place: Place


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
    collection_returned: int = 0  # units that returned their form (the collection round)
    collection_expected: int = 0  # units a form is expected from
    next_steps: list[NextStep] = []


_COUNTS = {
    "communes": "SELECT count(*) FROM area WHERE level = 'commune'",
    "agencies": "SELECT count(*) FROM agency",
    "recommendations": "SELECT count(*) FROM recommendation",
    "indicators": "SELECT count(*) FROM indicator",
    "tasks": "SELECT count(*) FROM plan_task",
    "periods": "SELECT count(*) FROM reporting_period",
    "values": "SELECT count(*) FROM indicator_value",
    "audit_entries": "SELECT count(*) FROM audit_log",
}


class OverviewService:
    """Reads a database at the current schema revision (the caller has opened or checked it)."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        connection = connect_read_only(self._path)
        try:
            yield connection
        finally:
            connection.close()

    def info(self, *, counts: bool = True) -> DatabaseInfo:
        """The office, the periods and (with `counts`) how many of each thing the file holds."""
        with self._connection() as connection:
            profile = connection.execute(
                "SELECT p.code, p.name, o.office_name, o.parent_agency, o.place_name,"
                " o.document_symbol, o.signer_name, o.signer_title, o.signing_for, o.recipients"
                " FROM office_profile o JOIN province p ON p.id = o.province_id WHERE o.id = 1"
            ).fetchone()
            demo = connection.execute("SELECT value FROM app_info WHERE key = ?", (DEMO_KEY,)).fetchone()
            periods = connection.execute(
                "SELECT code, state, version FROM reporting_period ORDER BY starts_on"
            ).fetchall()
            return DatabaseInfo(
                path=str(self._path),
                schema_revision=HEAD,
                is_demo=demo is not None and demo[0] == "true",
                profile=_profile(profile) if profile else None,
                counts=(
                    {key: connection.execute(sql).fetchone()[0] for key, sql in _COUNTS.items()}
                    if counts
                    else {}
                ),
                periods=[
                    PeriodInfo(code=code, state=state, version=version) for code, state, version in periods
                ],
            )

    def summary(self, period: str, *, today: dt.date | None = None) -> OverviewSummary:
        code = PeriodCode.parse(period)
        with self._connection() as connection:
            row = connection.execute(
                "SELECT id, state, ends_on FROM reporting_period WHERE code = ?", (str(code),)
            ).fetchone()
            if row is None:
                raise missing_period(code)
            period_id, state, ends_on = row
            expected, entered = asked_and_entered(connection, period_id)
            tasks_total, with_progress = connection.execute(
                "SELECT count(*), count(u.task_id) FROM plan_task t"
                " LEFT JOIN progress_update u ON u.task_id = t.id AND u.period_id = ?"
                f" WHERE {counting()}",
                (period_id,),
            ).fetchone()
            cutoff = min(today or dt.date.today(), dt.date.fromisoformat(ends_on))
            overdue = [
                f"{m.task_code}: {m.title} ({m.due.strftime('%d/%m/%Y')})"
                for m in overdue_milestones(connection, cutoff)
            ]
            recommendations = connection.execute(
                "SELECT r.id, d.symbol, r.paragraph, r.sub, r.title, r.urgent,"
                " EXISTS (SELECT 1 FROM task_recommendation l WHERE l.recommendation_id = r.id)"
                " FROM recommendation r JOIN recommendation_document d ON d.id = r.document_id"
                " ORDER BY r.document_id, r.paragraph, r.sub"
            ).fetchall()
            return OverviewSummary(
                period=str(code),
                state=state,
                values_entered=entered,
                values_expected=expected,
                tasks_total=tasks_total,
                tasks_with_progress=with_progress,
                overdue=overdue,
                uncovered=sum(1 for *_, answered in recommendations if not answered),
                recommendations=len(recommendations),
                urgent_uncovered=[
                    _named(f"{symbol} {recommendation_label(paragraph, sub)}", title)
                    for _id, symbol, paragraph, sub, title, urgent, answered in recommendations
                    if urgent and not answered
                ],
                key_indicators=self._key_indicators(connection, period_id, code.year),
                next_steps=self._next_steps(
                    connection, period_id, state, expected - entered, cutoff, recommendations
                ),
                **_collection(connection, period_id),
            )

    @staticmethod
    def _next_steps(
        connection: sqlite3.Connection,
        period_id: int,
        state: str,
        missing: int,
        cutoff: dt.date,
        recommendations: list[tuple],
    ) -> list[NextStep]:
        """What to do next in the period, in the order the work is done, each with its place."""
        steps: list[NextStep] = []
        if missing > 0:
            first = next(iter(missing_values(connection, period_id, limit=1)), None)  # the first found
            if first:
                steps.append(
                    NextStep(
                        message=N_("Enter the {count} indicator values still missing"),
                        params={"count": missing},
                        place=Place(page="indicators", cell_id=first[0], area_id=first[1]),
                    )
                )
        without = connection.execute(
            f"SELECT t.id, t.code, t.title FROM plan_task t WHERE {counting()} AND NOT EXISTS"
            " (SELECT 1 FROM progress_update u WHERE u.task_id = t.id AND u.period_id = ?)"
            " ORDER BY t.code",
            (period_id,),
        ).fetchall()
        steps += [
            NextStep(
                message=N_("Write the progress of task {task}"),
                params={"task": _named(code, title)},
                place=Place(page="progress", task_id=task_id),
            )
            for task_id, code, title in without[:_SHOWN]
        ]
        if len(without) > _SHOWN:
            steps.append(
                NextStep(
                    message=N_("…and {count} more tasks without a progress update"),
                    params={"count": len(without) - _SHOWN},
                    place=Place(page="progress", task_id=without[_SHOWN][0]),
                )
            )
        steps += [
            NextStep(
                message=N_('Update milestone "{title}" of task {code}, due on {due}'),
                params={"title": m.title, "code": m.task_code, "due": m.due.strftime("%d/%m/%Y")},
                place=Place(page="plan", task_id=m.task_id),
            )
            for m in overdue_milestones(connection, cutoff)[:_SHOWN]
        ]
        steps += [
            NextStep(
                message=N_("Plan a task for urgent recommendation {recommendation}"),
                params={"recommendation": _named(f"{symbol} {recommendation_label(paragraph, sub)}", title)},
                place=Place(page="recommendations", recommendation_id=rec_id),
            )
            for rec_id, symbol, paragraph, sub, title, urgent, answered in recommendations
            if urgent and not answered
        ][:_SHOWN]
        workflow_step = _WORKFLOW_STEP.get(PeriodState(state))
        if workflow_step:
            steps.append(NextStep(message=workflow_step, place=Place(page="periods")))
        return steps

    @staticmethod
    def _key_indicators(connection: sqlite3.Connection, period_id: int, year: int) -> list[KeyIndicator]:
        rows = connection.execute(
            "SELECT i.code, i.name, i.unit, t.value, t.comparator, v.value_num, c.id"
            " FROM indicator_target t JOIN indicator i ON i.id = t.indicator_id"
            " JOIN indicator_cell c ON c.indicator_id = i.id AND c.is_total"
            " LEFT JOIN area a ON a.level = 'province'"
            " LEFT JOIN indicator_value v ON v.cell_id = c.id AND v.area_id = a.id AND v.period_id = ?"
            " WHERE t.year = ? ORDER BY i.sort_order, i.id, t.level DESC",
            (period_id, year),
        ).fetchall()
        seen, result = set(), []
        figures = _province_figures(connection, period_id)
        for code, name, unit, target, comparator, stored, cell in rows:
            if code in seen:
                continue  # the provincial target, sorted first, wins over the national one
            seen.add(code)
            value = figures[cell].value if cell in figures else stored  # computed as the grid shows it
            result.append(
                KeyIndicator(
                    code=code, name=name, unit=unit, value=value, target=target, comparator=comparator
                )
            )
        return result[:8]


@dataclass(frozen=True)
class _Reading:
    """What the roll-up reads of a unit of work, over the overview's read-only connection."""

    session: Session
    values: ValueRepository


def _province_figures(connection: sqlite3.Connection, period_id: int) -> dict[int, Figure]:
    """The province's figure of each cell as the grid and the report show it (computed from the
    communes' counts, official, or entered): the one roll-up, read through a session on the
    overview's own read-only connection (the window's first summary is read before the database
    is opened)."""
    engine = create_engine("sqlite://", creator=lambda: connection, poolclass=StaticPool)
    with Session(engine) as session:
        period = session.get(ReportingPeriodRecord, period_id)
        return PeriodRollup.of(_Reading(session, ValueRepository(session)), period).figures


def _collection(connection: sqlite3.Connection, period_id: int) -> dict[str, int]:
    units = [u for u in collection_units(connection, period_id) if u.exempt_reason is None]
    return {
        "collection_returned": sum(1 for u in units if u.file_name),
        "collection_expected": len(units),
    }


_WORKFLOW_STEP = {  # the period's next step in the workflow, once the work above is done
    PeriodState.DRAFT: N_("Check the period and submit it for review"),
    PeriodState.SUBMITTED: N_("Have the period approved"),
    PeriodState.APPROVED: N_("Sign and export the period"),
}
_SHOWN = 3  # of each kind of step: the list is what to do next, not every problem
_NAME_LENGTH = 70


def _named(code: str, name: str) -> str:
    """A code with its name, as users refer to things ("NV-003 Hỗ trợ phòng, chống tảo hôn")."""
    name = (name or "").strip()
    if len(name) > _NAME_LENGTH:
        name = name[: _NAME_LENGTH - 1].rstrip() + "…"
    return f"{code} {name}".strip()


def _profile(row: tuple) -> OfficeProfile:
    fields = (
        "province_code",
        "province_name",
        "office_name",
        "parent_agency",
        "place_name",
        "document_symbol",
        "signer_name",
        "signer_title",
        "signing_for",
    )
    values = dict(zip(fields, row[:-1], strict=True))
    return OfficeProfile(**values, recipients=[line for line in row[-1].splitlines() if line.strip()])
