"""A worker the crash-safety test starts and kills: it edits values or exports bundles in a loop
and prints what it has saved, after each save, so the test knows what must survive.

Usage: python tests/crash_worker.py edits DB HOME | export DB HOME KEYS_P12 OUT
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from crc_desktop.app import Paths, open_app
from crc_desktop.core.schemas.values import ValueEdit


def edits(db: Path, home: Path) -> None:
    context = open_app(db, Paths(home, home, home))
    grid = context.values.grid("2025")
    province = grid.areas[0]
    cells = [
        (row.cell_id, province.id)
        for row in grid.rows
        if row.value_type == "integer" and grid.asks(row, province)  # typed at the province
    ][:3]
    start = int(max((grid.numbers.get(key) or 0) for key in cells)) + 1
    for number in range(start, start + 100_000):
        cell, area = cells[number % len(cells)]
        context.values.apply("2025", [ValueEdit(cell_id=cell, area_id=area, raw=str(number))])
        print(f"saved {cell} {area} {number}", flush=True)


def export(db: Path, home: Path, p12: Path, out: Path) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    from crc_desktop.core.signing.keys import load_p12

    context = open_app(db, Paths(home, home, home))
    material = load_p12(p12, b"crash-test-pass")
    if not context.certificates.registered():
        context.certificates.register(material.certificate.public_bytes(Encoding.DER))
    while True:
        connection = sqlite3.connect(db)  # the test does not need the workflow's checks here
        connection.execute("UPDATE reporting_period SET state = 'approved' WHERE code = '2025'")
        connection.commit()
        connection.close()
        result = context.export.export("2025", material, out)
        print(f"exported {Path(result.path).name} {result.sha256}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "edits":
        edits(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        export(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))
