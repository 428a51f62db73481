"""Reading a returned commune form: openpyxl's read-only reader against python-calamine.

The forms of a round are the same for every commune whatever the province's size, so the cost of
the `large` import's reading is that of one form × 150. The script writes a few communes' forms
from a small demo database, fills them as a commune would (benchmarks/collection_round.py), reads
each with both readers through the program's own `read_form`, checks that both readings are equal,
and prints the median time of a form (the whole read: opening the file, parsing, the program's
reading of the rows). Run: `.venv/bin/python benchmarks/form_reading.py [small|large]`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.collection_round import _filled  # noqa: E402

FORMS = 6
ROUNDS = 5


class _CalamineSheet:
    def __init__(self, title: str, rows: list[list]) -> None:
        self.title = title
        self._rows = rows

    def iter_rows(self, values_only: bool = True):
        for row in self._rows:
            yield tuple(None if v == "" else v for v in row)


class _CalamineBook:
    """What `read_form` asks of a workbook (its sheet names, each sheet's rows), from calamine."""

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineWorkbook

        self._book = CalamineWorkbook.from_path(str(path))
        self.sheetnames = list(self._book.sheet_names)

    def __getitem__(self, name: str) -> _CalamineSheet:
        return _CalamineSheet(name, self._book.get_sheet_by_name(name).to_python(skip_empty_area=False))


def _openpyxl(path: Path):
    from crc_desktop.core.reporting.forms import read_form
    from crc_desktop.core.workbook_files import opened_workbook

    with opened_workbook(path) as book:
        return read_form(book)


def _calamine(path: Path):
    from crc_desktop.core.reporting.forms import read_form

    return read_form(_CalamineBook(path))


def _timed(read, paths: list[Path]) -> tuple[float, list]:
    times, readings = [], []
    for _ in range(ROUNDS):
        for path in paths:
            start = time.perf_counter()
            readings.append(read(path))
            times.append(time.perf_counter() - start)
    return statistics.median(times), readings[: len(paths)]


def main(scale: str = "small") -> int:
    from crc_desktop.app import Paths, open_app

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        home = Paths(root, root, root)
        context = open_app(root / "demo.db", home, create=True)
        context.demo.build(scale, seed=1)
        communes = [a.code for a in context.values.grid("2025").areas if a.level == "commune"][:FORMS]
        context.collection.forms("2025", root / "forms", kind="communes", units=communes)
        context.close()
        returns = root / "returns"
        returns.mkdir()
        paths = []
        for form in sorted((root / "forms").glob("*.xlsx")):
            _filled(form, returns / form.name)
            paths.append(returns / form.name)
        slow, by_openpyxl = _timed(_openpyxl, paths)
        fast, by_calamine = _timed(_calamine, paths)
        same = all(
            a.identity == b.identity
            and a.values.values == b.values.values
            and a.values.typed == b.values.typed
            for a, b in zip(by_openpyxl, by_calamine, strict=True)
        )
        values = sum(len(r.values.values) for r in by_openpyxl) // len(paths)
        print(
            f"{scale} demo: {len(paths)} returned forms, {values} values each, median of {ROUNDS} reads each"
        )
        print(f"openpyxl read-only: {slow * 1000:.0f} ms a form, {slow * 150:.1f} s for 150")
        print(f"python-calamine:    {fast * 1000:.0f} ms a form, {fast * 150:.1f} s for 150")
        print(f"same readings: {same}")
        if not same:
            for a, b in zip(by_openpyxl, by_calamine, strict=True):
                for key in a.values.typed.keys() | b.values.typed.keys():
                    if a.values.typed.get(key) != b.values.typed.get(key):
                        print("differs:", key, a.values.typed.get(key), b.values.typed.get(key))
                        break
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:2]))
