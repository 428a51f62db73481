"""Read-only queries in plain SQL on a driver connection (sqlite3), shared by the services.

They need neither the ORM nor SQLAlchemy, so the overview can run them on a read-only
connection before SQLAlchemy is loaded, and the ready-to-sign check on its session's
connection: one query for one question.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from typing import NamedTuple

from crc_desktop.core.rules.rollup import asked_of
from crc_desktop.core.rules.vocabulary import TaskStatus


def counting(task: str = "t") -> str:
    """SQL: the plan task named `task` in the query counts (it is not cancelled: a cancelled task
    is kept, but asks for no progress, no milestone and no form)."""
    return f"{task}.status != '{TaskStatus.CANCELLED.value}'"


# The areas a period asks for, the one answer every page, check, form and report uses: the
# province, the communes in force on the period's last day (a commune merged away during the
# period is no longer asked, one founded during it is; rules.places.in_force, written in SQL for
# the read-only start-up connection), and any area already holding a value in the period (so
# nothing entered is hidden). A commune marked "no report expected" in the period (its
# collection_exemption) is not asked either, unless it already holds values. Named parameter :period.
ASKED_AREAS = (
    "SELECT a.id FROM area a JOIN reporting_period p ON p.id = :period"
    " WHERE a.level = 'province'"
    " OR (a.valid_from <= p.ends_on AND (a.valid_to IS NULL OR a.valid_to >= p.ends_on)"
    "  AND a.code NOT IN (SELECT unit_code FROM collection_exemption"
    "   WHERE period_id = :period AND unit_kind = 'commune'))"
    " OR a.id IN (SELECT area_id FROM indicator_value WHERE period_id = :period)"
)


def asked_area_ids(connection: sqlite3.Connection, period_id: int) -> set[int]:
    """The ids of the areas the period asks values for (ASKED_AREAS)."""
    return {area for (area,) in connection.execute(ASKED_AREAS, {"period": period_id})}


def asked_and_entered(connection: sqlite3.Connection, period_id: int) -> tuple[int, int]:
    """How many values the period asks for, and how many of them are entered: each cell of an
    indicator in each area the period asks for (ASKED_AREAS) whose level reports it (`asked_of`:
    a computed figure is asked of nobody, a count of the communes or of the province)."""
    asked_areas = f"SELECT id, level FROM area WHERE id IN ({ASKED_AREAS})"
    levels = Counter(level for _id, level in connection.execute(asked_areas, {"period": period_id}))
    expected = sum(
        cells * sum(n for level, n in levels.items() if asked_of(measure, reported_by, level))
        for measure, reported_by, cells in connection.execute(
            "SELECT i.measure, i.reported_by, count(c.id) FROM indicator i"
            " JOIN indicator_cell c ON c.indicator_id = i.id GROUP BY i.id"
        )
    )
    entered = sum(
        n
        for measure, reported_by, level, n in connection.execute(
            "SELECT i.measure, i.reported_by, a.level, count(*) FROM indicator_value v"
            " JOIN indicator_cell c ON c.id = v.cell_id JOIN indicator i ON i.id = c.indicator_id"
            f" JOIN area a ON a.id = v.area_id WHERE v.period_id = :period AND a.id IN ({ASKED_AREAS})"
            " AND (v.value_num IS NOT NULL OR v.value_text IS NOT NULL) GROUP BY i.id, a.level",
            {"period": period_id},
        )
        if asked_of(measure, reported_by, level)
    )
    return expected, entered


def missing_values(connection: sqlite3.Connection, period_id: int, limit: int = -1) -> list[tuple[int, int]]:
    """(cell id, area id) of the values the period asks for and nobody entered, by cell and area
    (at most `limit` of them, in storage order, when a limit is given)."""
    order = "" if limit >= 0 else " ORDER BY c.id, a.id"
    return connection.execute(
        "SELECT c.id, a.id FROM indicator_cell c CROSS JOIN area a"
        " LEFT JOIN indicator_value v ON v.period_id = :period AND v.cell_id = c.id AND v.area_id = a.id"
        f" WHERE a.id IN ({ASKED_AREAS})"
        f" AND (v.id IS NULL OR (v.value_num IS NULL AND v.value_text IS NULL)){order} LIMIT :limit",
        {"period": period_id, "limit": limit},
    ).fetchall()


class OverdueMilestone(NamedTuple):
    title: str
    due: dt.date
    task_id: int
    task_code: str


def overdue_milestones(connection: sqlite3.Connection, cutoff: dt.date) -> list[OverdueMilestone]:
    """Milestones not done and due by `cutoff`, of tasks that are not cancelled, oldest first."""
    rows = connection.execute(
        "SELECT m.title, m.due_on, t.id, t.code FROM milestone m JOIN plan_task t ON t.id = m.task_id"
        f" WHERE m.done_on IS NULL AND m.due_on <= ? AND {counting()}"
        " ORDER BY m.due_on, m.id",
        (cutoff.isoformat(),),
    ).fetchall()
    return [
        OverdueMilestone(title, dt.date.fromisoformat(due), task_id, code)
        for title, due, task_id, code in rows
    ]


class CollectionUnit(NamedTuple):
    """A unit of the collection round in a period: its current return (if any) or exemption."""

    kind: str  # commune | agency
    code: str
    name: str
    file_name: str | None
    sha256: str | None
    loaded_at: str | None
    values_changed: int
    exempt_reason: str | None


def collection_units(connection: sqlite3.Connection, period_id: int) -> list[CollectionUnit]:
    """Every commune and agency asked in the period, with its latest return and its exemption:
    the communes the period asks for (ASKED_AREAS) under their name of its last day, the agencies
    in use on that day, and any unit that returned a file or was exempted in the period anyway."""
    rows = connection.execute(
        "WITH day AS (SELECT ends_on AS d FROM reporting_period WHERE id = :period),"
        " returned AS (SELECT DISTINCT unit_kind, unit_code FROM collection_return"
        "  WHERE period_id = :period),"
        " units AS ("
        " SELECT 'commune' AS kind, a.code AS code, coalesce((SELECT n.name FROM area_name n"
        "  WHERE n.area_id = a.id AND n.valid_from <= day.d AND (n.valid_to IS NULL OR n.valid_to >= day.d)"
        "  ORDER BY n.valid_from DESC LIMIT 1), a.name) AS name"
        " FROM area a, day WHERE a.level = 'commune'"
        f" AND (a.id IN ({ASKED_AREAS})"
        "  OR (a.code IN (SELECT unit_code FROM returned WHERE unit_kind = 'commune'))"
        "  OR (a.code IN (SELECT unit_code FROM collection_exemption"
        "   WHERE period_id = :period AND unit_kind = 'commune')))"
        " UNION ALL SELECT 'agency', g.code, g.name FROM agency g, day"
        " WHERE ((g.valid_from IS NULL OR g.valid_from <= day.d)"
        "  AND (g.valid_to IS NULL OR g.valid_to >= day.d))"
        "  OR (g.code IN (SELECT unit_code FROM returned WHERE unit_kind = 'agency'))),"
        " latest AS (SELECT unit_kind, unit_code, max(id) AS id FROM collection_return"
        " WHERE period_id = :period GROUP BY unit_kind, unit_code)"
        " SELECT u.kind, u.code, u.name, r.file_name, r.sha256, r.loaded_at, coalesce(r.values_changed, 0),"
        " e.reason FROM units u"
        " LEFT JOIN latest l ON l.unit_kind = u.kind AND l.unit_code = u.code"
        " LEFT JOIN collection_return r ON r.id = l.id"
        " LEFT JOIN collection_exemption e"
        " ON e.period_id = :period AND e.unit_kind = u.kind AND e.unit_code = u.code"
        " ORDER BY u.kind DESC, u.code",
        {"period": period_id},
    ).fetchall()
    return [CollectionUnit(*row) for row in rows]
