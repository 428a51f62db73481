"""Whatever a spreadsheet holds, an import never crashes and never writes half of it.

Hypothesis fills workbooks and catalogue files with arbitrary cell contents (text of any
script, numbers, dates, booleans, blanks, numbers Excel made of codes). Each import either
applies the whole file or refuses it with our own error, the database unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from crc_desktop.app import Paths, open_app
from crc_desktop.core.db.engine import backup_file
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator

# what people and Excel put in cells; control characters cannot be stored in a workbook at all
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
CELLS = st.one_of(
    st.none(),
    _TEXT,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["1,234", "1.234,5", " 12,5 ", "96,2%", "0004", "Có", "không", "-3", "1e9", "∅"]),
)
PROPERTY = settings(
    max_examples=int(os.environ.get("CRC_PROPERTY_EXAMPLES", "20")),  # more to hunt, fewer in CI
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _content(path: Path) -> str:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
    finally:
        connection.close()


def _refused_in_vietnamese(error: CrcError) -> None:
    vi = Translator("vi")
    text = "\n".join([error.render(vi), *(p.render(vi) for p in getattr(error, "problems", []))])
    for english in ("Input should", "Field required", "String should", "Extra inputs", "Value error"):
        assert english not in text


def _written(small_demo_file, tmp_path_factory, name: str, write) -> Path:
    """A workbook the demo's 2025 period gives (`write(reports, period, path)`), made once."""
    folder = tmp_path_factory.mktemp(Path(name).stem)
    home = folder / "home"
    context = open_app(backup_file(small_demo_file, folder / "hue.db"), Paths(home, home, home))
    path = folder / name
    write(context.reports, "2025", path)
    context.close()
    return path


@pytest.fixture(scope="module")
def template(small_demo_file, tmp_path_factory) -> Path:
    return _written(small_demo_file, tmp_path_factory, "mau.xlsx", lambda r, *a: r.entry_workbook(*a))


@PROPERTY
@given(
    cells=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), CELLS), min_size=1, max_size=8)
)
def test_an_entry_workbook_with_any_cells_is_applied_whole_or_refused_whole(cells, template, small_demo_file):
    with tempfile.TemporaryDirectory() as folder:
        book = load_workbook(template)
        sheet = book["Số liệu"]
        rows, columns = range(5, sheet.max_row + 1), range(8, sheet.max_column + 1)
        for row, column, value in cells:
            sheet.cell(rows[row % len(rows)], columns[column % len(columns)]).value = value
        filled = Path(folder) / "da-dien.xlsx"
        book.save(filled)
        home = Path(folder) / "home"
        context = open_app(backup_file(small_demo_file, Path(folder) / "hue.db"), Paths(home, home, home))
        before = _content(context.database.path)
        try:
            result = context.reports.import_entries("2025", filled, reason="thử")
        except CrcError as error:
            event("refused")
            _refused_in_vietnamese(error)
            assert _content(context.database.path) == before
        else:
            event("applied")
            again = context.reports.import_entries("2025", filled, dry_run=True)
            assert again.changed == []  # every change of the file was written, none left out
            assert (_content(context.database.path) == before) == (result.changed == [])
        finally:
            context.close()


_NAME = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Z")), min_size=1, max_size=20)
_CODE = st.one_of(st.integers(0, 99_999), st.from_regex(r"\d{5}", fullmatch=True))
# each kind's columns, with values that often fit (so imports are applied, not only refused)
CATALOG_COLUMNS = {
    "communes": {"code": _CODE, "name": _NAME, "kind": st.sampled_from(["Xã", "Phường", 5])},
    "agencies": {"code": _NAME, "name": _NAME, "short_name": _TEXT},
    "recommendations": {
        "paragraph": st.integers(1, 999),
        "sub": st.sampled_from(["", "a", "b", "A", 1]),
        "title": _TEXT,
        "urgent": st.sampled_from(["x", "", "có", "không", 1, 0, True, "?"]),
    },
    "indicators": {
        "set": st.sampled_from(["TT13_2021", "KHÔNG_CÓ"]),
        "code": _CODE,
        "name": _NAME,
        "unit": _TEXT,
        "value_type": st.sampled_from(["integer", "decimal", "percentage", "text", "số"]),
    },
}


def _row(kind: str):
    return st.fixed_dictionaries(
        {column: st.one_of(fits, fits, CELLS) for column, fits in CATALOG_COLUMNS[kind].items()}
    )


@pytest.fixture(scope="module")
def office_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("office")
    home = folder / "home"
    context = open_app(folder / "hue.db", Paths(home, home, home), create=True)
    context.setup.init("46")
    context.close()
    return folder / "hue.db"


@PROPERTY
@given(
    data=st.data(),
    kind=st.sampled_from(sorted(CATALOG_COLUMNS)),
    extra=st.sampled_from([None, "ghi chú", "Code "]),
)
def test_a_catalogue_with_any_cells_is_imported_whole_or_refused_whole(data, kind, extra, office_file):
    rows = data.draw(st.lists(_row(kind), min_size=1, max_size=6))
    as_csv = data.draw(st.booleans())
    header = [*CATALOG_COLUMNS[kind], *([extra] if extra else [])]
    lines = [header, *[[*row.values(), *(["x"] if extra else [])] for row in rows]]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("danh-muc.csv" if as_csv else "danh-muc.xlsx")
        if as_csv:
            path.write_text("\n".join(",".join(_csv_cell(v) for v in line) for line in lines), "utf-8")
        else:
            book = Workbook()
            for line in lines:
                book.active.append(line)
            book.save(path)
        home = Path(folder) / "home"
        context = open_app(backup_file(office_file, Path(folder) / "hue.db"), Paths(home, home, home))
        before = _content(context.database.path)
        try:
            report = context.catalog.import_file(path, kind=kind)
        except CrcError as error:
            event("refused")
            _refused_in_vietnamese(error)
            assert _content(context.database.path) == before
        else:
            event("applied")
            again = context.catalog.import_file(path, kind=kind, dry_run=True)
            assert again.counts.added == again.counts.changed == 0
            assert report.counts.added + report.counts.changed + report.counts.unchanged >= 1
        finally:
            context.close()


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text


@pytest.fixture(scope="module")
def plan_template(small_demo_file, tmp_path_factory) -> Path:
    """The demo's plan as `plan export` writes it, made once; each example fills a copy."""
    return _written(small_demo_file, tmp_path_factory, "ke-hoach.xlsx", lambda r, *a: r.plan_workbook(*a))


# what people put in a plan's cells besides what fits: dates as text, numbers as text, formulas
# as text, very long text, things that look like milestones, agencies and recommendations
PLAN_CELLS = st.one_of(
    CELLS,
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=200, max_size=2000),
    st.sampled_from(
        [
            "=SUM(A1:A3)",
            "=1/0",
            "31/02/2025",
            "2025-13-01",
            "01/01/2030",
            "1/1/2025",
            "x",
            "Xóa",
            "Đang thực hiện",
            "Ngân sách nhà nước",
            "ODA",
            "3",
            "8",
            "Sở Y tế",
            "Sở Y tế; Sở Tư pháp",
            "CRC/C/VNM/CO/5-6 17",
            "17(a)",
            "Sơ kết (30/06/2026)",
            "Sơ kết (30/06/2026, xong 31/02/2026)",
            "Sơ kết ()",
            "150.000.000",
            "-5",
            "1e400",
            "KH-01",
            " ",
        ]
    ),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.times(),
)


@PROPERTY
@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(["Kế hoạch", "Kinh phí"]), st.integers(0, 40), st.integers(0, 12), PLAN_CELLS
        ),
        min_size=1,
        max_size=8,
    ),
    extra_column=st.booleans(),
)
def test_a_plan_workbook_with_any_cells_is_applied_whole_or_refused_whole(
    cells, extra_column, plan_template, small_demo_file
):
    with tempfile.TemporaryDirectory() as folder:
        book = load_workbook(plan_template)
        for name, row, column, value in cells:
            sheet = book[name]
            # rows of the file and one row below it; every column, and one beyond the last
            sheet.cell(2 + row % sheet.max_row, 1 + column % (sheet.max_column + 1)).value = value
        if extra_column:
            book["Kế hoạch"].cell(1, book["Kế hoạch"].max_column + 1).value = "Ghi chú"
        filled = Path(folder) / "ke-hoach.xlsx"
        book.save(filled)
        home = Path(folder) / "home"
        context = open_app(backup_file(small_demo_file, Path(folder) / "hue.db"), Paths(home, home, home))
        before = _content(context.database.path)
        try:
            context.plan.import_workbook(filled, reason="thử")
        except CrcError as error:
            event("refused")
            _refused_in_vietnamese(error)
            assert _content(context.database.path) == before
        else:
            event("applied")
            again = context.plan.import_workbook(filled, dry_run=True)
            assert again.added == again.changed == []  # all of the file was written the first time
        finally:
            context.close()
