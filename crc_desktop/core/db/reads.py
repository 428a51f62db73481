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
