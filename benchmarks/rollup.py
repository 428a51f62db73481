"""The roll-up of a whole period at the `large` scale (issue 25): the province's figure of every
indicator cell from its communes' counts, the grid that shows them, and the ready-to-sign check.

Usage: `.venv/bin/python benchmarks/rollup.py [--runs N] [--db LARGE.db]`; writes its section of
docs/benchmarks.md. Without --db a large demo is made first (about 20 s).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import _machine, _write_section  # noqa: E402

HEADING = "## Roll-up of a period (issue 25)"


def _median(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()  # this process's CPU time: the machine is shared (load ~4-8)
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def measure(db: Path, runs: int) -> list[dict]:
    from crc_desktop.app import Paths, open_app
    from crc_desktop.core.db.uow import UnitOfWork
    from crc_desktop.core.services.rollup import period_figures

    with tempfile.TemporaryDirectory() as home:
        context = open_app(db, Paths(Path(home), Path(home), Path(home)))
        try:

            def rollup() -> None:
                with UnitOfWork(context.database, context.actor) as uow:
                    period_figures(uow, uow.periods.get("2025"))

            with UnitOfWork(context.database, context.actor) as uow:
                period = uow.periods.get("2025")
                cells = len(period_figures(uow, period))
                values = len(uow.values.numbers(period.id))
            rollup_s = _median(runs, rollup)
            grid_s = _median(runs, lambda: context.values.grid("2025"))
            check_s = _median(runs, lambda: context.readiness.check("2025"))
        finally:
            context.close()
    return [
        {
            "name": f"roll-up of one period ({values:,} values, {cells:,} province cells)",
            "median_s": rollup_s,
            "peak_mb": 0,
            "target": "< 0.3 s",
            "ok": rollup_s < 0.3,
        },
        {
            "name": "grid of one period with its computed cells (service)",
            "median_s": grid_s,
            "peak_mb": 0,
            "target": "< 0.3 s",
            "ok": grid_s < 0.3,
        },
        {
            "name": "ready-to-sign check of one period",
            "median_s": check_s,
            "peak_mb": 0,
            "target": "-",
            "ok": True,
        },
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db
        if db is None:
            db = Path(folder) / "large.db"
            subprocess.run(
                [sys.executable, "-m", "crc_desktop", "demo", "--db", str(db), "--scale", "large"],
                check=True,
                capture_output=True,
            )
        results = measure(db, args.runs)
    _write_section(
        HEADING,
        [
            f"Made by `benchmarks/rollup.py` on {time.strftime('%Y-%m-%d')}: {_machine()}.",
            f"Median of {args.runs} runs in one process, on the `large` demo (150 communes, period 2025),",
            "in CPU time of that process (the machine is shared: wall time varied threefold).",
            "The roll-up reads the period's numbers once and computes every province figure: counts",
            "summed over the communes, ratios Σ numerators / Σ denominators, shares of communes.",
        ],
        results,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
