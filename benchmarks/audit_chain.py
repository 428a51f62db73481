"""`audit verify` over a long history: 1,000,000 entries checked in order in constant memory.

A new database gets 1,000,000 valid, hash-chained audit entries (edits of values, with old and new
numbers and a reason, as the grid writes them); then `crc-desktop audit verify` runs on it in a
process of its own, whose time and peak memory (resident set) are measured. Targets: under 30 s
and under 150 MB. Prints JSON. Usage: `.venv/bin/python benchmarks/audit_chain.py [--entries N]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ENTRIES = 1_000_000
TARGET_S, TARGET_MB = 30, 150


def _fill(db: Path, entries: int) -> None:
    """Append `entries` entries to the chain, as the grid's edits write them."""
    from crc_desktop.core.db.audit import GENESIS, entry_hash

    connection = sqlite3.connect(db)
    last = connection.execute("SELECT max(id), hash FROM audit_log").fetchone()
    number, previous = last[0] or 0, last[1] or GENESIS
    start = dt.datetime(2026, 1, 5, 8, 0)
    batch = []
    for n in range(entries):
        number += 1
        entry = SimpleNamespace(
            id=number,
            at=start + dt.timedelta(seconds=7 * n, microseconds=n % 1000),
            os_user="canbo",
            user_name="Nguyễn Văn An",
            action="value.set",
            entity="indicator_value",
            entity_key=f"2025/{n % 4000}/{n % 97}",
            old={"value": n % 500, "comment": ""},
            new={"value": n % 500 + 1, "comment": "Số liệu của xã"},
            reason="Điều chỉnh theo báo cáo của xã",
            prev_hash=previous,
        )
        entry.hash = previous = entry_hash(entry)
        batch.append(
            (
                entry.id,
                entry.at.isoformat(sep=" ", timespec="microseconds"),
                entry.os_user,
                entry.user_name,
                entry.action,
                entry.entity,
                entry.entity_key,
                json.dumps(entry.old, ensure_ascii=False),
                json.dumps(entry.new, ensure_ascii=False),
                entry.reason,
                entry.prev_hash,
                entry.hash,
            )
        )
        if len(batch) == 50_000:
            _insert(connection, batch)
    _insert(connection, batch)
    connection.close()


def _insert(connection: sqlite3.Connection, batch: list[tuple]) -> None:
    with connection:
        connection.executemany(
            "INSERT INTO audit_log (id, at, os_user, user_name, action, entity, entity_key, old, new,"
            " reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            batch,
        )
    batch.clear()


_VERIFY = """
import resource, sys, time
from crc_desktop.app import Paths, open_app
from pathlib import Path
home = Path(sys.argv[2])
started = time.perf_counter()
context = open_app(Path(sys.argv[1]), Paths(home, home, home))
report = context.audit.verify()
took = time.perf_counter() - started
context.close()
print(report.entries, report.intact, took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=ENTRIES)
    entries = parser.parse_args().entries
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from crc_desktop.app import Paths, open_app

    with tempfile.TemporaryDirectory() as folder:
        home, db = Path(folder) / "home", Path(folder) / "chain.db"
        context = open_app(db, Paths(home, home, home), create=True)
        context.setup.init("46")
        context.close()
        made = time.perf_counter()
        _fill(db, entries)
        made = time.perf_counter() - made
        done = subprocess.run(
            [sys.executable, "-c", _VERIFY, str(db), str(home)],
            capture_output=True,
            text=True,
            check=True,
            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
        )
        count, intact, took, peak_kb = done.stdout.split()
        print(
            json.dumps(
                {
                    "entries": int(count),
                    "intact": intact == "True",
                    "verify_s": round(float(took), 1),
                    "peak_mb": round(int(peak_kb) / 1024),
                    "file_mb": round(db.stat().st_size / 2**20),
                    "made_in_s": round(made, 1),
                    "targets": {"seconds": TARGET_S, "mb": TARGET_MB},
                }
            )
        )


if __name__ == "__main__":
    main()
