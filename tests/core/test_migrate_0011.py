"""A database of the release before indicators had parts (revision 0010) opens in this one: every
value stays as it was typed, marked entered, and nothing is recomputed from it."""

from __future__ import annotations

import shutil
import sqlite3

from sqlalchemy import create_engine

from crc_desktop.app import open_app
from crc_desktop.core.db.engine import alembic_config
from crc_desktop.core.services.snapshot import SnapshotService


def _to_release(path) -> None:
    """The schema of revision 0010 with the data it held (the migrations' own way down)."""
    from alembic import command

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
    engine.dispose()


def _values(path) -> list[tuple]:
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT period_id, cell_id, area_id, value_num, value_text, comment"
        " FROM indicator_value ORDER BY 1, 2, 3"
    ).fetchall()
    connection.close()
    return rows


def test_a_database_of_the_current_release_migrates_and_keeps_its_rates_as_entered(
    small_demo_file, tmp_path, paths
):
    path = tmp_path / "release.db"
    shutil.copy(small_demo_file, path)
    _to_release(path)
    connection = sqlite3.connect(path)
    assert "measure" not in {row[1] for row in connection.execute("PRAGMA table_info(indicator)")}
    # as the release let offices do: a rate typed for the province and for a commune
    ks01 = connection.execute(
        "SELECT c.id FROM indicator_cell c JOIN indicator i ON i.id = c.indicator_id"
        " WHERE i.code = 'KS01' AND c.key = 'total'"
    ).fetchone()[0]
    period, province, commune = connection.execute(
        "SELECT (SELECT id FROM reporting_period WHERE code = '2025'),"
        " (SELECT id FROM area WHERE level = 'province'), (SELECT min(id) FROM area WHERE level = 'commune')"
    ).fetchone()
    connection.execute("DELETE FROM indicator_value WHERE cell_id = ? AND period_id = ?", (ks01, period))
    for area, number in ((province, 96.4), (commune, 91.25)):
        connection.execute(
            "INSERT INTO indicator_value (period_id, cell_id, area_id, value_num, comment, follow_up,"
            " updated_at, updated_by) VALUES (?, ?, ?, ?, '', 0, '2025-12-01 09:00:00', 'release')",
            (period, ks01, area, number),
        )
    connection.commit()
    connection.close()
    before = _values(path)

    context = open_app(path, paths)  # backs the file up, then migrates it
    try:
        assert _values(path) == before  # not one value changed, added or recomputed
        assert list(paths.backups.glob("*/release.before-*.db"))
        connection = sqlite3.connect(path)
        assert connection.execute("SELECT DISTINCT measure FROM indicator").fetchall() == [("entered",)]
        connection.close()
        snapshot = SnapshotService(context.database, context.actor).take("2025")
        assert snapshot.figures == []  # nothing computed: every figure is as it was entered
        typed = {
            v.area: v.number for v in snapshot.values if v.indicator.endswith("//KS01") and v.cell == "total"
        }
        assert typed[snapshot.province.code] == 96.4 and 91.25 in typed.values()
        grid = context.values.grid("2025")
        row = next(r for r in grid.rows if r.code == "KS01" and r.is_total)
        assert row.measure == "entered" and all(grid.asks(row, a) for a in grid.areas)  # typed as before
        assert context.audit.verify().intact
    finally:
        context.close()
