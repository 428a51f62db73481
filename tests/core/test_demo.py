"""The demo generator: deterministic, marked as demo, with the sizes of the small scale."""

from __future__ import annotations

import hashlib
import sqlite3

from crc_desktop.app import open_app

# Rows that record when something was done, not what the data is.
_VOLATILE = {"audit_log", "alembic_version"}


def _fingerprint(path) -> str:
    connection = sqlite3.connect(path)
    digest = hashlib.sha256()
    tables = [
        r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    for table in tables:
        if table in _VOLATILE:
            continue
        for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
            if table == "app_info" and row[0] == "database_id":
                continue  # each file's own identity, by design different
            digest.update(repr(row).encode())
    connection.close()
    return digest.hexdigest()


def _build(tmp_path, paths, name, seed):
    context = open_app(tmp_path / name, paths, create=True)
    info = context.demo.build("small", seed=seed)
    context.close()
    return info


def test_same_seed_same_database_other_seed_other_data(tmp_path, paths):
    first = _build(tmp_path, paths, "a.db", 7)
    _build(tmp_path, paths, "b.db", 7)
    _build(tmp_path, paths, "c.db", 8)
    assert _fingerprint(tmp_path / "a.db") == _fingerprint(tmp_path / "b.db")
    assert _fingerprint(tmp_path / "a.db") != _fingerprint(tmp_path / "c.db")
    assert first.is_demo
    assert first.counts["communes"] == 20
    assert first.counts["indicators"] >= 40  # the shipped indicators and the counts they are made of
    assert first.counts["tasks"] == 30
    assert [p.code for p in first.periods] == ["2024", "2025"]


def test_demo_values_have_gaps_and_disaggregations_add_up(demo_db):
    connection = sqlite3.connect(demo_db.database.path)
    asked, entered = connection.execute("""
        SELECT (SELECT count(*) FROM indicator_cell c JOIN indicator i ON i.id = c.indicator_id
                WHERE i.measure = 'count' AND i.reported_by = 'communes')
               * (SELECT count(*) FROM area WHERE level = 'commune'),
               count(*) FROM indicator_value v JOIN reporting_period p ON p.id = v.period_id
               JOIN area a ON a.id = v.area_id AND a.level = 'commune'
        WHERE p.code = '2025'""").fetchone()
    assert 0.75 * asked < entered < asked  # some communes have not sent the current period
    mismatches = connection.execute("""
        SELECT count(*) FROM indicator_value t
        JOIN indicator_cell tc ON tc.id = t.cell_id AND tc.is_total
        JOIN indicator i ON i.id = tc.indicator_id AND i.value_type = 'integer'
        WHERE abs(t.value_num - (SELECT sum(v.value_num) FROM indicator_value v
              JOIN indicator_cell c ON c.id = v.cell_id AND c.key LIKE 'sex=%'
              WHERE c.indicator_id = i.id AND v.area_id = t.area_id AND v.period_id = t.period_id))
              > 0.001""").fetchone()[0]
    connection.close()
    assert mismatches == 0


def test_demo_rates_are_plausible_and_made_of_counts(demo_db):
    from crc_desktop.core.services.snapshot import SnapshotService

    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025")
    province = {
        v.indicator.rsplit("/", 1)[1]: v.number
        for v in snapshot.values
        if v.area == snapshot.province.code and v.cell == "total"
    }
    assert 10 <= province["TV02"] <= 15  # infant mortality, ‰
    assert province["KS01"] > 95  # birth registration, %
    assert 15 <= province["DD02"] <= 20  # stunting, % (an entered survey figure)
    figure = snapshot.figure("NPA_2021_2030//KS01")
    assert figure.origin == "computed" and figure.reported < figure.expected  # communes missing
    assert province["KS01"] == figure.numerator / figure.denominator * 100
