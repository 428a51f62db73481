"""The whole round of a big province (Thành phố Hồ Chí Minh, 168 communes and wards) on the
command line, step by step: `tests/test_province_round.py` run once with CRC_ROUND_TIMES set, its
times put into docs/benchmarks.md in place of the earlier ones:
`.venv/bin/python benchmarks/province_round.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## The round of a big province"


def measure() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        times = Path(folder) / "times.json"
        environment = {**os.environ, "CRC_ROUND_TIMES": str(times), "QT_QPA_PLATFORM": "offscreen"}
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_province_round.py",
        ]
        subprocess.run(command, cwd=ROOT, env=environment, check=True)
        return json.loads(times.read_text("utf-8"))


def section(times: dict[str, float]) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows = "\n".join(f"| {name} | {seconds:.1f} s |" for name, seconds in times.items())
    return (
        f"{SECTION}\n\n"
        f"Made by `benchmarks/province_round.py` on {dt.date.today():%Y-%m-%d}: {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; {platform.system()}; load average {load:.1f} when it ended. "
        "One run of `tests/test_province_round.py` (each step as the command line in the test's process, "
        "the office's own typing through the services): wall time of each step.\n\n"
        "| step | time |\n|---|---|\n"
        f"{rows}\n| the whole round | {sum(times.values()):.1f} s |\n"
    )


def main() -> None:
    text = section(measure())
    target = ROOT / "docs" / "benchmarks.md"
    document = target.read_text("utf-8")
    if SECTION in document:
        before, _, after = document.partition(SECTION)
        rest = after.split("\n## ", 1)
        document = before + text + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        document = document.rstrip("\n") + "\n\n" + text
    target.write_text(document, "utf-8")
    print(text)


if __name__ == "__main__":
    main()
