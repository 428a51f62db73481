"""Read-only queries in plain SQL on a driver connection (sqlite3), shared by the services.

They need neither the ORM nor SQLAlchemy, so the overview can run them on a read-only
connection before SQLAlchemy is loaded, and the ready-to-sign check on its session's
connection: one query for one question.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import NamedTuple


class OverdueMilestone(NamedTuple):
    title: str
    due: dt.date
    task_id: int
    task_code: str


def overdue_milestones(connection: sqlite3.Connection, cutoff: dt.date) -> list[OverdueMilestone]:
    """Milestones not done and due by `cutoff`, of tasks that are not cancelled, oldest first."""
    rows = connection.execute(
        "SELECT m.title, m.due_on, t.id, t.code FROM milestone m JOIN plan_task t ON t.id = m.task_id"
        " WHERE m.done_on IS NULL AND m.due_on <= ? AND t.status != 'cancelled'"
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
    """Every commune and agency with its latest return and its exemption in the period."""
    rows = connection.execute(
        "WITH units AS ("
        " SELECT 'commune' AS kind, code, name FROM area WHERE level = 'commune'"
        " UNION ALL SELECT 'agency', code, name FROM agency),"
        " latest AS (SELECT unit_kind, unit_code, max(id) AS id FROM collection_return"
        " WHERE period_id = ? GROUP BY unit_kind, unit_code)"
        " SELECT u.kind, u.code, u.name, r.file_name, r.sha256, r.loaded_at, coalesce(r.values_changed, 0),"
        " e.reason FROM units u"
        " LEFT JOIN latest l ON l.unit_kind = u.kind AND l.unit_code = u.code"
        " LEFT JOIN collection_return r ON r.id = l.id"
        " LEFT JOIN collection_exemption e"
        " ON e.period_id = ? AND e.unit_kind = u.kind AND e.unit_code = u.code"
        " ORDER BY u.kind DESC, u.code",
        (period_id, period_id),
    ).fetchall()
    return [CollectionUnit(*row) for row in rows]
