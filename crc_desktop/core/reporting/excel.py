"""Excel workbooks: the indicator entry workbook of a period (written and read back), and
the plan with its progress. Vietnamese headers; codes and units in locked columns."""

from __future__ import annotations

import re
import zipfile
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from crc_desktop.core.errors import CrcError, InputRefused, os_reason
from crc_desktop.core.i18n import parse_number
from crc_desktop.core.numbers import machine_number
from crc_desktop.core.reporting.labels import budget_source_vi, task_status_vi
from crc_desktop.core.reporting.print_setup import (
    apply_print_setup,
    header_code,
    page_header,
    row_height,
    write_text_sheet,
)
from crc_desktop.core.schemas.snapshot import Area, Indicator, PeriodSnapshot, Target, Value
from crc_desktop.core.workbook_files import opened_workbook

ENTRY_FORMAT = "crc-desktop-entry-workbook"
DATA_SHEET = "Số liệu"
META_SHEET = "_crc"
FIXED = {  # header text → field: first what names a row, then the machine keys (hidden)
    "Mã chỉ tiêu": "code",
    "Tên chỉ tiêu": "name",
    "Phân tổ": "label",
    "Đơn vị tính": "unit",
    "Bộ chỉ tiêu": "set",
    "Phụ lục": "annex",
    "Mã phân tổ": "cell",
}
LABEL_COLUMNS = (1, 4)
KEY_COLUMNS = (5, 6, 7)  # kept for the import, not shown or printed
AREA_HEADER = re.compile(r"^\s*(\d+)\s*\|")
COMMENT_PREFIX = "Ghi chú"
COMMENT_HEADER = re.compile(r"^\s*Ghi chú\s*\|\s*(\d+)\s*$")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "Calibri"  # the workbook's font: a style naming none prints in another (LibreOffice)
BOLD = Font(name=FONT, bold=True)
TITLE = Font(name=FONT, bold=True, size=13)
WRAPPED = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
_YES, _NO = "Có", "Không"


def write_entry_workbook(snapshot: PeriodSnapshot, stream: BinaryIO) -> None:
    """The workbook a province fills in: one row per indicator cell, one column per area, and to
    the right of them a comment column per area (outside the printed area: the values print as
    narrow as before)."""
    book = Workbook()
    _instructions(book.active, snapshot)
    sheet = book.create_sheet(DATA_SHEET)
    province, period = snapshot.province.name.upper(), snapshot.period.code
    values = {(v.indicator, v.cell, v.area): v for v in snapshot.values}
    layout = ValuesLayout(snapshot.indicators, snapshot.areas, values, parts=("values",))
    write_values_sheet(
        sheet, f"SỐ LIỆU CHỈ TIÊU TRẺ EM — {province} — KỲ {period}", layout, header=_page_header(snapshot)
    )
    _comment_columns(sheet, layout)
    write_identity(
        book,
        {
            "format": ENTRY_FORMAT,
            "format_version": 1,
            "province": snapshot.province.code,
            "period": snapshot.period.code,
        },
    )
    book.active = book.index(sheet)
    book.save(stream)


@dataclass(frozen=True)
class ValuesLayout:
    """What a values sheet shows: the indicators' rows, one value and one comment column per area,
    and (for a unit's form) the previous period and the target beside each value."""

    indicators: list[Indicator]
    areas: list[Area]
    values: dict[tuple[str, str, str], Value]
    previous: dict[tuple[str, str, str], float] | None = None  # (indicator, cell, area) → number
    year: int | None = None  # the year of the targets shown; None: no context columns
    parts: tuple[str, ...] = ("values", "comments")  # the columns each area has


def _validations(sheet) -> dict[str, DataValidation]:
    validations = {
        "yesno": DataValidation(type="list", formula1=f'"{_YES},{_NO}"', allow_blank=True),
        "percentage": DataValidation(
            type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True
        ),
        "integer": DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        ),
        "decimal": DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        ),
    }
    for validation in validations.values():
        validation.error = "Giá trị không hợp lệ cho chỉ tiêu này."
        validation.errorTitle = "CRC Desktop"
        sheet.data_validations.append(validation)  # a write-only sheet has no add_data_validation
    return validations


def _area_headers(layout: ValuesLayout, area: Area) -> list[str]:
    headers = []
    if "values" in layout.parts:
        headers.append(f"{area.code} | {area.name}")
        if layout.year is not None:
            headers += [f"Kỳ trước | {area.code}", f"Chỉ tiêu năm {layout.year}"]
    if "comments" in layout.parts:
        headers.append(f"{COMMENT_PREFIX} | {area.code}")
    return headers


FIXED_WIDTHS = [8, 30, 14, 10, 12, 10, 12]
NOTE = "Chỉ nhập vào các ô trắng. Ô để trống: giữ nguyên giá trị đã có."


def write_values_sheet(
    sheet, title: str, layout: ValuesLayout, *, header: str, header_row: int = 4, note: str = NOTE
) -> None:
    """Fill `sheet` with the values of `layout`: the codes and names locked, the value and comment
    cells open with data validation; set up to print with `header` on each page; protected.

    The sheet is written once, row after row, its columns, print setup and row heights set
    before the first row: so it may be a write-only sheet (openpyxl's streaming mode, in which
    the commune forms are written)."""
    per_area = len(_area_headers(layout, layout.areas[0])) if layout.areas else 0
    headers = _headers(layout)
    first_area_column = len(FIXED) + 1
    widths = _widths(headers)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"{get_column_letter(first_area_column)}{header_row + 1}"
    rows = list(_value_rows(layout))
    apply_print_setup(
        sheet,
        header=header,
        title_rows=(header_row, header_row),
        label_columns=LABEL_COLUMNS,
        hidden_columns=KEY_COLUMNS,
        text_columns=len(FIXED),
        extent=(header_row + len(rows), len(headers)),
    )
    shown = _shown(widths)
    validations = _validations(sheet)
    ranges: dict[str, list[str]] = {kind: [] for kind in validations}
    style = _Styles()

    def cell(value, look):
        made = WriteOnlyCell(sheet, value=value)  # a cell of any sheet, placed by append
        style(made, look)
        return made

    sheet.append([cell(title, "title")])
    sheet.append([cell(note, "note")])
    for _blank in range(3, header_row):
        sheet.append([])
    _sized(sheet, header_row, _heading_height(headers, shown))
    sheet.append([cell(text, "heading") for text in headers])
    for row, (line, looks, value_type) in enumerate(rows, start=header_row + 1):
        bold = looks[0] == "bold"
        texts = [
            (t, w, 11, bold) for t, w in zip(line[: len(FIXED)], shown, strict=False) if isinstance(t, str)
        ]
        _sized(sheet, row, row_height(texts))
        sheet.append([cell(value, look) for value, look in zip(line, looks, strict=True)])
        if value_type in ranges and "values" in layout.parts:
            for offset in range(len(layout.areas)):
                letter = get_column_letter(first_area_column + offset * per_area)
                ranges[value_type].append(f"{letter}{row}")
    for kind, cells in ranges.items():
        for run in _runs(cells):
            validations[kind].add(run)
    protect(sheet)


def _sized(sheet, row: int, height: float | None) -> None:
    """A row as tall as its wrapped texts need (see `print_setup.row_height`), set before it is written."""
    if height is not None:
        sheet.row_dimensions[row].height = height


def _headers(layout: ValuesLayout) -> list[str]:
    return list(FIXED) + [h for area in layout.areas for h in _area_headers(layout, area)]


def _widths(headers: list[str]) -> list[int]:
    return FIXED_WIDTHS + [20 if COMMENT_HEADER.match(h) else 9 for h in headers[len(FIXED) :]]


def _shown(widths: list[int]) -> list[int | None]:
    """The columns' widths as printed: None for the hidden machine keys."""
    return [None if column in KEY_COLUMNS else width for column, width in enumerate(widths, start=1)]


def _heading_height(headers: list[str], shown: list[int | None]) -> float | None:
    return row_height([(h, w, 11, True) for h, w in zip(headers, shown, strict=True)])


def values_sheet_changes(title: str, layout: ValuesLayout, *, header: str, header_row: int = 4):
    """What of the sheet `write_values_sheet` writes depends on the areas' values rather than on the
    indicators: the title, the area columns (heading and cells), the heading row's height and the
    page header. Another unit's form is the first one with these changed (see `workbook_copies`)."""
    from crc_desktop.core.reporting.workbook_copies import SheetChanges

    headers = _headers(layout)
    first = len(FIXED) + 1
    letters = [get_column_letter(c) for c in range(first, len(headers) + 1)]
    cells: dict[str, object] = {"A1": title}
    cells.update(
        {f"{letter}{header_row}": text for letter, text in zip(letters, headers[first - 1 :], strict=True)}
    )
    for row, (line, _looks, _type) in enumerate(_value_rows(layout), start=header_row + 1):
        cells.update(
            {f"{letter}{row}": value for letter, value in zip(letters, line[first - 1 :], strict=True)}
        )
    return SheetChanges(
        cells=cells,
        heights={header_row: _heading_height(headers, _shown(_widths(headers)))},
        header=header_code(header),
    )


def _value_rows(layout: ValuesLayout):
    """(the cells' values, their looks, the indicator's value type) of each indicator cell's row."""
    for indicator in layout.indicators:
        target = _target(indicator, layout.year)
        number_format = _NUMBER_FORMATS.get(indicator.value_type)
        for cell_spec in indicator.cells:
            line: list = [
                indicator.code,
                indicator.name,
                cell_spec.label,
                indicator.unit,
                indicator.set,
                indicator.annex,
                cell_spec.key,
            ]
            looks: list = ["bold" if cell_spec.is_total else "label"] * len(FIXED)
            for area in layout.areas:
                value = layout.values.get((indicator.key, cell_spec.key, area.code))
                if "values" in layout.parts:
                    line.append(_display(indicator.value_type, value))
                    looks.append(("open", number_format))
                if "values" in layout.parts and layout.year is not None:
                    before = (layout.previous or {}).get((indicator.key, cell_spec.key, area.code))
                    shown, shown_format = _target_cell(target, number_format, cell_spec.is_total)
                    line += [before, shown]
                    looks += [("locked", number_format), ("locked", shown_format)]
                if "comments" in layout.parts:
                    line.append(value.comment if value is not None and value.comment else None)
                    looks.append("comment")
            yield line, looks, indicator.value_type


def _comment_columns(sheet, layout: ValuesLayout, header_row: int = 4) -> None:
    """A comment column per area after the last column of a filled values sheet: open to typing,
    left out of the print area that `apply_print_setup` set."""
    first = sheet.max_column + 1
    style = _Styles()
    for offset, area in enumerate(layout.areas):
        column = first + offset
        cell = sheet.cell(header_row, column, f"{COMMENT_PREFIX} | {area.code}")
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAPPED
        sheet.column_dimensions[get_column_letter(column)].width = 20
        row = header_row
        for indicator in layout.indicators:
            for cell_spec in indicator.cells:
                row += 1
                value = layout.values.get((indicator.key, cell_spec.key, area.code))
                text = value.comment if value is not None and value.comment else None
                style(sheet.cell(row, column, text), "comment")


class _Styles:
    """Gives cells one of a few looks (labels, locked numbers, open values, comments). The first
    cell of each look is styled attribute by attribute; later ones copy its style record, which is
    many times faster on sheets of thousands of rows."""

    def __init__(self) -> None:
        self._made: dict = {}

    def __call__(self, cell, kind) -> None:
        made = self._made.get(kind)
        if made is not None:
            cell._style = copy(made)
            return
        name, number_format = kind if isinstance(kind, tuple) else (kind, None)
        if name == "title":
            cell.font = TITLE
        if name == "note":
            cell.font = Font(name=FONT, italic=True)
        if name == "heading":
            cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAPPED
        if name in ("title", "note", "heading"):
            self._made[kind] = copy(cell._style)
            return
        if name in ("locked", "bold", "label"):
            cell.fill = LOCKED_FILL
        if name == "bold":
            cell.font = BOLD
        if name in ("bold", "label", "comment"):
            cell.alignment = WRAPPED
        else:
            cell.alignment = TOP  # level with the first line of the row's label
        if name in ("open", "comment"):
            cell.protection = Protection(locked=False)
        if number_format:
            cell.number_format = number_format
        self._made[kind] = copy(cell._style)


DECIMAL_FORMAT = "#,##0.0##"  # a computed number: one to three decimals, in the reader's separators
_NUMBER_FORMATS = {
    "percentage": "#,##0.0###",
    "decimal": "#,##0.0###",
    "integer": "#,##0",
}  # every decimal kept
_COMPARATOR_SIGNS = {"<": "<", "<=": "≤", "=": "=", ">=": "≥", ">": ">"}


def _target(indicator: Indicator, year: int | None) -> Target | None:
    """The year's target: the provincial one when there is one, else the national one."""
    chosen = [t for t in indicator.targets if t.year == year]
    chosen.sort(key=lambda t: t.level != "provincial")
    return chosen[0] if chosen else None


def _target_cell(target: Target | None, number_format: str | None, is_total: bool):
    """The target's exact number, shown with its comparator ("≥ 90"); targets apply to totals."""
    if target is None or not is_total:
        return None, None
    sign = _COMPARATOR_SIGNS.get(target.comparator, target.comparator)
    return target.value, f'"{sign} "{number_format or "General"}'


def _runs(cells: list[str]) -> list[str]:
    """Cell references of one column joined into ranges where rows follow each other (H5:H9)."""
    runs: list[str] = []
    start = previous = None
    column = ""
    split = [(r.rstrip("0123456789"), int(r[len(r.rstrip("0123456789")) :])) for r in cells]
    for letters, number in sorted(split, key=lambda item: (len(item[0]), item[0], item[1])):
        if start is not None and letters == column and number == previous + 1:
            previous = number
            continue
        if start is not None:
            runs.append(f"{column}{start}:{column}{previous}" if previous != start else f"{column}{start}")
        column, start, previous = letters, number, number
    if start is not None:
        runs.append(f"{column}{start}:{column}{previous}" if previous != start else f"{column}{start}")
    return runs


def protect(sheet) -> None:
    """Locked cells stay locked; people may still widen columns and rows."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def write_identity(book: Workbook, facts: dict[str, object]) -> None:
    """The hidden sheet that says what a workbook is (format, province, period...)."""
    meta = book.create_sheet(META_SHEET)
    for key, value in facts.items():
        meta.append([key, value])
    meta.sheet_state = "veryHidden"


def _display(value_type: str, value) -> object:
    if value is None:
        return None
    if value.text is not None:
        return value.text
    if value.number is None:
        return None
    if value_type == "yesno":
        return _YES if value.number else _NO
    return int(value.number) if value.number.is_integer() else value.number  # 2345678, not 2345678.0


def _instructions(sheet, snapshot: PeriodSnapshot) -> None:
    sheet.title = "Hướng dẫn"
    lines = [
        f"Mẫu nhập số liệu chỉ tiêu trẻ em — {snapshot.province.name} — kỳ {snapshot.period.code}",
        "",
        f'1. Nhập số liệu vào trang "{DATA_SHEET}": mỗi dòng là một chỉ tiêu (tổng số hoặc một phân tổ), '
        "mỗi cột là một đơn vị (tỉnh hoặc xã, phường).",
        "2. Các cột màu xám (mã, tên, đơn vị tính) bị khóa; không sửa để chương trình nhận đúng dòng. "
        "Các cột ẩn (bộ chỉ tiêu, phụ lục, mã phân tổ) giữ mã cho chương trình, không in ra: không xóa.",
        "3. Số viết theo kiểu Việt Nam (1.234,5) hoặc kiểu máy (1234.5) đều được; tỷ lệ % từ 0 đến 100.",
        "4. Ô để trống: giữ nguyên giá trị đã có trong chương trình. Có/Không cho chỉ tiêu dạng Có/Không.",
        '   Ghi chú cho một giá trị: cùng dòng, ở các cột "Ghi chú | mã đơn vị" bên phải (không in ra).',
        "5. Có thể thêm dòng trống hoặc đổi thứ tự cột; không đổi tên tiêu đề cột.",
        "6. Nhập lại vào CRC Desktop: Báo cáo và xuất → Nhập từ Excel (hoặc lệnh "
        "crc-desktop indicators import). Nếu có lỗi, chương trình liệt kê từng ô và không ghi gì.",
    ]
    write_text_sheet(sheet, lines, header=_page_header(snapshot), title_font=TITLE)


def _page_header(snapshot: PeriodSnapshot) -> str:
    return page_header(snapshot.province.name, snapshot.period.code)


@dataclass
class EntryReading:
    """What an entry workbook says: (set, annex, code, cell key, area code) → raw value, with
    where each came from, and the problems found while reading."""

    period: str | None
    province: str | None
    values: dict[tuple[str, str, str, str, str], tuple[str, str]] = field(default_factory=dict)
    typed: dict[tuple[str, str, str, str, str], str] = field(default_factory=dict)  # as the user wrote it
    comments: dict[tuple[str, str, str, str, str], tuple[str, str]] = field(default_factory=dict)
    problems: list[CrcError] = field(default_factory=list)
    identity: dict[str, str] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)  # the area columns: code → "code | name"


def open_workbook(path: Path):
    """A workbook opened for reading, or a refusal that says why in the user's words."""
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise InputRefused("{path} cannot be read: {error}", path=str(path), error=os_reason(exc)) from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputRefused("{path} is not a readable Excel file: {error}", path=str(path), error=exc) from exc


def read_identity(book) -> dict[str, str]:
    """The facts of the hidden identity sheet, as texts ({} when the workbook has none)."""
    if META_SHEET not in book.sheetnames:
        return {}
    return {
        str(row[0]): _text(row[1])
        for row in book[META_SHEET].iter_rows(values_only=True)
        if row and row[0] and len(row) > 1
    }


def read_entry_workbook(path: Path) -> EntryReading:
    with opened_workbook(path) as book:  # the file's kind and size checked before parsing
        return read_values_sheet(book, required=True)


def read_values_sheet(book, *, required: bool) -> EntryReading:
    """The values (and comments) of the workbook's values sheet; with `required` False, a workbook
    without that sheet reads as one without values."""
    meta = read_identity(book)
    reading = EntryReading(period=meta.get("period"), province=meta.get("province"), identity=meta)
    if DATA_SHEET not in book.sheetnames:
        if required:
            raise InputRefused('The workbook has no sheet "{sheet}".', sheet=DATA_SHEET)
        return reading
    _read_rows(book[DATA_SHEET], reading)
    return reading


def _read_rows(sheet, reading: EntryReading) -> None:
    header_row, columns, areas, comments = None, {}, {}, {}
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if v is None else v for v in row]
        if header_row is None:
            texts = [str(v).strip() for v in cells]
            if "Mã chỉ tiêu" in texts:
                header_row = number
                columns = {FIXED[t]: i for i, t in enumerate(texts) if t in FIXED}
                areas = {i: m.group(1) for i, t in enumerate(texts) if (m := AREA_HEADER.match(t))}
                comments = {i: m.group(1) for i, t in enumerate(texts) if (m := COMMENT_HEADER.match(t))}
                reading.areas = {areas[i]: texts[i] for i in areas}
                missing = [h for h, f in FIXED.items() if f in ("set", "code", "cell") and f not in columns]
                if missing:
                    raise InputRefused("The sheet has no column {columns}.", columns=", ".join(missing))
            continue
        if not any(str(v).strip() for v in cells):
            continue  # blank rows are allowed anywhere
        key = tuple(
            _text(cells[columns[f]]) if columns.get(f) is not None and columns[f] < len(cells) else ""
            for f in ("set", "annex", "code", "cell")
        )
        for index, area in areas.items():
            raw = cells[index] if index < len(cells) else ""
            if raw == "" or raw is None:
                continue
            where = f"{get_column_letter(index + 1)}{number}"
            reading.values[(*key, area)] = (_machine(raw), where)
            reading.typed[(*key, area)] = raw.strip() if isinstance(raw, str) else _machine(raw)
        for index, area in comments.items():
            raw = cells[index] if index < len(cells) else ""
            if str(raw).strip():
                reading.comments[(*key, area)] = (str(raw).strip(), f"{get_column_letter(index + 1)}{number}")
    if header_row is None:
        raise InputRefused('The sheet "{sheet}" has no header row with "Mã chỉ tiêu".', sheet=DATA_SHEET)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _machine(raw) -> str:
    """A cell as text a machine reads back the same: numbers in plain form, text as written.

    Excel stores numbers as numbers, but also numbers as text ("1.234,5", "12,5 "); those are
    read the Vietnamese way here so the service can take every value in one plain form.
    """
    if isinstance(raw, bool):
        return _YES if raw else _NO
    if isinstance(raw, (int, float)):
        return machine_number(raw)
    text = str(raw).strip()
    try:
        return machine_number(parse_number(text.rstrip("%").strip(), "vi_VN"))
    except ValueError:
        return text


PLAN_SHEET, BUDGET_SHEET = "Kế hoạch", "Kinh phí"
PLAN_COLUMNS = (
    "Mã",
    "Nhóm",
    "Nhiệm vụ",
    "Mô tả",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Từ ngày",
    "Đến ngày",
    "Trạng thái",
    "Khuyến nghị",
    "Mốc thời gian",
    "Xóa",
)
BUDGET_COLUMNS = ("Mã", "Nhiệm vụ", "Năm", "Nguồn", "Kế hoạch (đồng)", "Được giao (đồng)", "Đã chi (đồng)")
PLAN_WIDTHS = [9, 24, 40, 40, 20, 26, 11, 11, 13, 20, 36, 6]
BUDGET_WIDTHS = [9, 40, 8, 20, 16, 16, 16]


def milestone_text(title: str, due_on, done_on) -> str:
    """ "Hội nghị sơ kết (30/06/2026, xong 28/06/2026)": what plan import reads back."""
    done = f", xong {done_on:%d/%m/%Y}" if done_on else ""
    return f"{title} ({due_on:%d/%m/%Y}{done})"


def _plan_sheets(book: Workbook, tasks, groups: dict[int, str], header: str) -> None:
    """The plan sheet, the form `plan import` reads; `header` prints at the top of each page."""
    plan = book.active
    plan.title = PLAN_SHEET
    _table(
        plan,
        list(PLAN_COLUMNS),
        [
            [
                t.code,
                f"{t.group}. {groups.get(t.group, '')}",
                t.title,
                t.description,
                t.lead_agency,
                "; ".join(t.coordinating_agencies),
                t.start_on,
                t.end_on,
                task_status_vi().get(t.status, t.status),
                "; ".join(t.recommendations),
                "; ".join(milestone_text(m.title, m.due_on, m.done_on) for m in t.milestones),
                "",
            ]
            for t in tasks
        ],
        PLAN_WIDTHS,
        header=header,
    )
    validation = DataValidation(type="list", formula1='"' + ",".join(task_status_vi().values()) + '"')
    validation.add("I2:I2000")
    plan.add_data_validation(validation)


def _budget_sheet(book: Workbook, tasks, header: str) -> None:
    budget = book.create_sheet(BUDGET_SHEET)
    _table(
        budget,
        list(BUDGET_COLUMNS),
        [
            [
                t.code,
                t.title,
                b.fiscal_year,
                budget_source_vi().get(b.source, b.source),
                b.planned,
                b.allocated,
                b.spent,
            ]
            for t in tasks
            for b in t.budget
        ],
        BUDGET_WIDTHS,
        header=header,
        labels=2,
    )
    for column in "EFG":
        for cell in budget[column][1:]:
            cell.number_format = "#,##0"


CHOICES_SHEET = "Danh mục"


def _choices_sheet(book: Workbook, groups: dict[int, str], agencies: list[str]) -> None:
    """A sheet listing what the plan's columns accept (task groups, agencies, statuses, budget
    sources), and drop-down lists on those columns drawn from it."""
    sheet = book.create_sheet(CHOICES_SHEET)
    lists = [
        ("Nhóm nhiệm vụ", [f"{n}. {name}" for n, name in sorted(groups.items())]),
        ("Cơ quan (chủ trì, phối hợp)", agencies),
        ("Trạng thái", list(task_status_vi().values())),
        ("Nguồn kinh phí", list(budget_source_vi().values())),
    ]
    for column, (title, values) in enumerate(lists, start=1):
        sheet.cell(1, column, title).font = BOLD
        for row, value in enumerate(values, start=2):
            sheet.cell(row, column, value)
        sheet.column_dimensions[get_column_letter(column)].width = 60 if column <= 2 else 22
    sheet.freeze_panes = "A2"

    def choose(target, cells: str, column: int, count: int, prompt: str) -> None:
        if not count:
            return
        letter = get_column_letter(column)
        validation = DataValidation(
            type="list", formula1=f"'{CHOICES_SHEET}'!${letter}$2:${letter}${count + 1}", allow_blank=True
        )
        validation.promptTitle, validation.prompt = "Chọn trong danh sách", prompt
        validation.add(cells)
        target.add_data_validation(validation)

    plan, budget = book[PLAN_SHEET], book[BUDGET_SHEET]
    choose(plan, "B2:B2000", 1, len(lists[0][1]), f"Các nhóm nhiệm vụ: trang “{CHOICES_SHEET}”.")
    choose(plan, "E2:E2000", 2, len(agencies), f"Tên cơ quan như trong trang “{CHOICES_SHEET}”.")
    choose(budget, "D2:D2000", 4, len(lists[3][1]), f"Các nguồn kinh phí: trang “{CHOICES_SHEET}”.")


def write_plan_template(groups: dict[int, str], stream: BinaryIO, agencies: list[str] | None = None) -> None:
    """A blank plan workbook to fill in and bring in with `plan import`, with a sheet of help; with
    `agencies` (the office's, from its database) a sheet of choices and drop-down lists too."""
    book = Workbook()
    header = "Kế hoạch thực hiện khuyến nghị — mẫu nhập từ Excel"
    _plan_sheets(book, [], groups, header)
    _budget_sheet(book, [], header)
    _choices_sheet(book, groups, agencies or [])
    help_sheet = book.create_sheet("Hướng dẫn")
    for line in (
        "KẾ HOẠCH THỰC HIỆN KHUYẾN NGHỊ — MẪU NHẬP TỪ EXCEL",
        "Mỗi dòng của trang “Kế hoạch” là một nhiệm vụ, nhận biết bằng Mã: mã đã có thì nhiệm vụ được "
        "cập nhật, mã mới thì được thêm.",
        "Nhóm: số của nhóm nhiệm vụ (1 đến 7) theo Quyết định 27/QĐ-TTg: "
        + "; ".join(f"{n}. {name}" for n, name in sorted(groups.items())),
        "Cơ quan chủ trì, phối hợp: đúng tên cơ quan trong danh mục; nhiều cơ quan cách nhau bằng dấu ;",
        "Từ ngày, Đến ngày: ngày dạng dd/mm/yyyy. Khuyến nghị: ví dụ CRC/C/VNM/CO/5-6 17; nhiều khuyến "
        "nghị cách nhau bằng dấu ;",
        "Mốc thời gian: Tên mốc (dd/mm/yyyy) hoặc Tên mốc (dd/mm/yyyy, xong dd/mm/yyyy); cách nhau bằng ;",
        "Xóa: ghi x để xóa nhiệm vụ đó. Nhiệm vụ không có trong tệp được giữ nguyên.",
        "Trang “Kinh phí”: mỗi dòng là một khoản theo năm và nguồn (Ngân sách nhà nước, Vốn ODA, Nguồn "
        "xã hội hóa), số tiền bằng đồng.",
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 120
    book.save(stream)


def write_plan_workbook(snapshot: PeriodSnapshot, stream: BinaryIO) -> None:
    """The plan, the period's progress and the budget, as people keep them in Excel."""
    book = Workbook()
    header = _page_header(snapshot)
    _plan_sheets(book, snapshot.tasks, {g.number: g.name for g in snapshot.task_groups}, header)
    progress = book.create_sheet(f"Tiến độ {snapshot.period.code}")
    _table(
        progress,
        [
            "Mã",
            "Nhiệm vụ",
            "Trạng thái",
            "% hoàn thành",
            "Kết quả",
            "Khó khăn, vướng mắc",
            "Đề xuất, kiến nghị",
        ],
        [
            [
                t.code,
                t.title,
                task_status_vi().get(t.progress.status, t.progress.status) if t.progress else "Chưa cập nhật",
                t.progress.percent_done if t.progress else None,
                t.progress.done_text if t.progress else "",
                t.progress.obstacles if t.progress else "",
                t.progress.proposals if t.progress else "",
            ]
            for t in snapshot.tasks
        ],
        [9, 40, 14, 11, 45, 35, 35],
        header=header,
        labels=2,
    )
    _budget_sheet(book, snapshot.tasks, header)
    book.save(stream)


def _table(
    sheet, headers: list[str], rows: list[list], widths: list[int], *, header: str, labels: int = 1
) -> None:
    """A sheet of one table: headings in row 1, filters, the first `labels` columns naming each
    row; it prints with `header` at the top of each page."""
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "strftime"):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, float) and not cell.value.is_integer():  # kept exact, shown rounded
                cell.number_format = DECIMAL_FORMAT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    apply_print_setup(sheet, header=header, title_rows=(1, 1), label_columns=(1, labels))
