"""The collection round at the `large` scale: a form for every commune written, and the 150
returned forms (every value typed again, most of them changed) imported from one folder.

Each step runs as the command line in a fresh process; its peak memory is the largest of that
process and its workers (each process's own peak, not their sum), its CPU time theirs together.
`run.py` calls `bench_collection_large`; run alone, this script builds a large demo database and
puts its rows into docs/benchmarks.md in place of the earlier ones:
`.venv/bin/python benchmarks/collection_round.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("collect forms: every commune", "collect import: 150 returned forms")
SECTION = "## The collection round"  # the section of docs/benchmarks.md this script writes

_CHILD = """
import json, resource, sys, time
from crc_desktop.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
seconds = time.perf_counter() - start
me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "seconds": seconds, "peak_mb": max(me.ru_maxrss, workers.ru_maxrss) / 1024,
                  "cpu_s": me.ru_utime + me.ru_stime + workers.ru_utime + workers.ru_stime}), file=sys.stderr)
"""


def _command(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True, text=True, check=False)
    figures = json.loads(done.stderr.strip().splitlines()[-1])
    if figures["code"] not in (0, 1):
        raise RuntimeError(done.stdout + done.stderr)
    figures["out"] = done.stdout
    return figures


def _filled(form: Path, target: Path) -> int:
    """A returned form: every value typed again as a commune would, most of them changed."""
    from openpyxl import load_workbook

    book = load_workbook(form)
    sheet = book["Số liệu"]
    headers = [c.value for c in sheet[4]]
    unit_column = headers.index("Đơn vị tính") + 1
    value_column = next(i for i, h in enumerate(headers, start=1) if h and h[:1].isdigit())
    changed = 0
    for row in sheet.iter_rows(min_row=5, min_col=value_column, max_col=value_column):
        cell = row[0]
        if isinstance(cell.value, (int, float)):
            unit = sheet.cell(cell.row, unit_column).value
            if unit == "%":
                cell.value = round(min(100.0, cell.value * 0.99), 1)
            elif isinstance(cell.value, int) or float(cell.value).is_integer():
                cell.value = int(cell.value) + 1
            else:
                cell.value = round(cell.value * 1.01, 2)
            changed += 1
    book.save(target)
    return changed


def bench_collection_large(db: Path, folder: Path) -> list[dict]:
    forms, returns = folder / "forms", folder / "returns"
    forms.mkdir()
    returns.mkdir()
    written = _command(
        "collect", "forms", "--db", str(db), "--period", "2025", "--for", "communes", "--out", str(forms)
    )
    files = sorted(forms.glob("*.xlsx"))
    typed = sum(_filled(path, returns / path.name) for path in files)
    loaded = _command("collect", "import", "--db", str(db), "--period", "2025", str(returns))
    if loaded["code"] != 0:
        raise RuntimeError(loaded["out"])
    return [
        {
            "name": f"{NAMES[0]} ({len(files)} workbooks; {written['cpu_s']:.0f} s of CPU)",
            "median_s": written["seconds"],
            "peak_mb": written["peak_mb"],
            "target": "< 30 s, < 300 MB",
            "ok": written["seconds"] < 30 and written["peak_mb"] < 300,
        },
        {
            "name": f"{NAMES[1]} ({typed:,} values typed; {loaded['cpu_s']:.0f} s of CPU)",
            "median_s": loaded["seconds"],
            "peak_mb": loaded["peak_mb"],
            "target": "< 60 s, < 300 MB",
            "ok": loaded["seconds"] < 60 and loaded["peak_mb"] < 300,
        },
    ]


def _row(r: dict) -> str:
    seconds = f"{r['median_s']:.1f} s" if r["median_s"] >= 1 else f"{r['median_s'] * 1000:.1f} ms"
    memory = f"{r['peak_mb']:.0f} MB" if r["peak_mb"] else "-"
    return f"| {r['name']} | {seconds} | {memory} | {r['target']} | {'yes' if r['ok'] else 'NO'} |"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "large.db"
        subprocess.run(
            [sys.executable, "-m", "crc_desktop", "demo", "--db", str(db), "--scale", "large"],
            check=True,
            capture_output=True,
        )
        results = bench_collection_large(db, Path(folder))
    target = ROOT / "docs" / "benchmarks.md"
    text = target.read_text("utf-8")
    kept = text[: text.index(SECTION)].rstrip() if SECTION in text else text.rstrip()
    following = text.find("\n## ", text.index(SECTION) + len(SECTION)) if SECTION in text else -1
    after = text[following + 1 :] if following >= 0 else ""  # the sections after this one are kept
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    section = [
        SECTION,
        "",
        "| benchmark | median | peak memory | target | met |",
        "|---|---|---|---|---|",
        *(_row(r) for r in results),
        "",
        f"Measured by `benchmarks/collection_round.py` on {time.strftime('%Y-%m-%d')} (a large demo database",
        f"of its own; load average {load} at the end). CPU time: the main process's and its workers'.",
    ]
    target.write_text(f"{kept}\n\n" + "\n".join(section) + "\n" + (f"\n{after}" if after else ""), "utf-8")
    print("\n".join(_row(r) for r in results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
