"""The audit chain: intact after normal use, broken where a row was changed, removed or added."""

from __future__ import annotations

import sqlite3

import pytest

from crc_desktop.cli import main
from crc_desktop.core.schemas.values import ValueEdit


@pytest.fixture
def edited(demo_db):
    grid = demo_db.values.grid("2025")
    for raw in ("1", "2", "3"):
        demo_db.values.apply(
            "2025", [ValueEdit(cell_id=grid.rows[0].cell_id, area_id=grid.areas[0].id, raw=raw)]
        )
    return demo_db


def _tamper(path, sql):
    connection = sqlite3.connect(path)
    connection.execute(sql)
    connection.commit()
    connection.close()


def test_a_clean_database_verifies(edited, capsys):
    assert edited.audit.verify().intact
    assert main(["audit", "verify", "--db", str(edited.database.path)]) == 0
    assert "nguyên vẹn" in capsys.readouterr().out


@pytest.mark.parametrize(
    "sql, broken_at",
    [
        ("UPDATE audit_log SET reason = 'sửa lén' WHERE id = 9", 9),
        ("DELETE FROM audit_log WHERE id = 9", 10),
        (
            "INSERT INTO audit_log (id, at, os_user, user_name, action, entity, entity_key, reason,"
            " prev_hash, hash) SELECT 100, at, os_user, user_name, action, entity, entity_key, reason,"
            " prev_hash, 'x' FROM audit_log WHERE id = 10",
            100,
        ),
    ],
)
def test_an_outside_change_is_found_at_its_entry(edited, capsys, sql, broken_at):
    assert edited.audit.verify().entries == 10
    _tamper(edited.database.path, sql)
    report = edited.audit.verify()
    assert report.broken_at == broken_at
    assert main(["audit", "verify", "--db", str(edited.database.path)]) == 1
    assert f"bản ghi {broken_at}" in capsys.readouterr().err


def test_a_values_history_lists_its_edits_in_order_read_through_the_index(edited):
    from sqlalchemy import event

    grid = edited.values.grid("2025")
    key = f"2025/{grid.rows[0].cell_id}/{grid.areas[0].id}"
    statements = []

    def _record(connection, cursor, statement, parameters, context, executemany):
        if "FROM audit_log" in statement:
            statements.append((statement, parameters))

    event.listen(edited.database.engine, "before_cursor_execute", _record)
    try:
        history = edited.audit.history("indicator_value", key)
    finally:
        event.remove(edited.database.engine, "before_cursor_execute", _record)
    assert [entry.new["number"] for entry in history] == [1, 2, 3]
    ((statement, parameters),) = statements
    connection = sqlite3.connect(edited.database.path)
    plan = " ".join(row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))
    connection.close()
    # at 300,000 entries a scan of the log took ~0.1-0.2 s a cursor move; the index, ~1 ms
    assert "USING INDEX ix_audit_log_entity" in plan and "SCAN" not in plan and "TEMP B-TREE" not in plan
