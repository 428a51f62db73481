"""The history of one value (shown at each cursor move in the grid) read from an audit log of
300,000 entries: with the index of migration 0004, and without it (the index dropped).

A small demo database gets 300,000 entries about its values (as many edits of them as years of
use make), then the service reads the history of 200 values at random. Prints JSON (seconds).
Usage: `.venv/bin/python benchmarks/value_history.py` (run.py runs it too).
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ENTRIES = 300_000
VALUES = 120_000  # the values of one period at the large scale: ~2.5 entries each
LOOKUPS = 200


def _fill(db: Path) -> list[str]:
    """Add ENTRIES audit entries about VALUES values, the demo period's among them; the keys
    of the demo period's values."""
    connection = sqlite3.connect(db)
    period = connection.execute("SELECT id FROM reporting_period WHERE code = '2025'").fetchone()[0]
    keys = [
        f"2025/{cell}/{area}"
        for cell, area in connection.execute(
            "SELECT cell_id, area_id FROM indicator_value WHERE period_id = ?", (period,)
        )
    ]
    others = [f"2025/{VALUES + n}/0" for n in range(VALUES - len(keys))]  # as if more communes
    everything = keys + others
    last = connection.execute("SELECT max(id), hash FROM audit_log").fetchone()
    start, head = last[0] or 0, last[1] or ""
    chance = random.Random(1)
    rows = (
        (
            start + n,
            "2026-01-01 08:00:00",
            "bench",
            "Cán bộ",
            "value.set",
            "indicator_value",
            chance.choice(everything),
            None,
            json.dumps({"number": n}),
            "",
            head,
            f"bench-{n:064d}"[-64:],
        )
        for n in range(1, ENTRIES + 1)
    )
    connection.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.commit()
    connection.close()
    return keys


def _timed_history(db: Path, keys: list[str]) -> float:
    from crc_desktop.app import Paths, open_app

    home = db.parent
    context = open_app(db, Paths(home, home, home))
    try:
        chosen = random.Random(2).sample(keys, LOOKUPS)
        context.audit.history("indicator_value", chosen[0])  # the first read opens the connection
        times = []
        for key in chosen:
            start = time.perf_counter()
            context.audit.history("indicator_value", key)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        context.close()


def main() -> int:
    from crc_desktop.app import Paths, open_app

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        context = open_app(db, Paths(Path(folder), Path(folder), Path(folder)), create=True)
        context.demo.build("small", seed=1)
        context.close()
        keys = _fill(db)
        indexed = _timed_history(db, keys)
        connection = sqlite3.connect(db)
        connection.execute("DROP INDEX ix_audit_log_entity")
        connection.commit()
        connection.close()
        scanned = _timed_history(db, keys)
    print(json.dumps({"indexed": indexed, "scanned": scanned}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
