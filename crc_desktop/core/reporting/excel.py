"""Excel workbooks: the indicator entry workbook of a period (written and read back), and
the plan with its progress. Vietnamese headers; codes and units in locked columns."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from crc_desktop.core.errors import CrcError, InputRefused, os_reason
from crc_desktop.core.i18n import parse_number
from crc_desktop.core.numbers import machine_number
from crc_desktop.core.reporting.pdf import BUDGET_SOURCE_VI, TASK_STATUS_VI
from crc_desktop.core.reporting.print_setup import apply_print_setup, apply_text_print_setup, page_header
from crc_desktop.core.schemas.snapshot import PeriodSnapshot

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
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "Calibri"  # the workbook's font: a style naming none prints in another (LibreOffice)
BOLD = Font(name=FONT, bold=True)
TITLE = Font(name=FONT, bold=True, size=13)
WRAPPED = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
_YES, _NO = "Có", "Không"


def write_entry_workbook(snapshot: PeriodSnapshot, stream: BinaryIO) -> None:
    """The workbook a province fills in: one row per indicator cell, one column per area."""
    book = Workbook()
    _instructions(book.active, snapshot)
    sheet = book.create_sheet(DATA_SHEET)
    sheet["A1"] = f"SỐ LIỆU CHỈ TIÊU TRẺ EM — {snapshot.province.name.upper()} — KỲ {snapshot.period.code}"
    sheet["A1"].font = TITLE
    sheet["A2"] = "Chỉ nhập vào các ô trắng. Ô để trống: giữ nguyên giá trị đã có."
    sheet["A2"].font = Font(name=FONT, italic=True)
    header_row = 4
    headers = list(FIXED) + [f"{area.code} | {area.name}" for area in snapshot.areas]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(header_row, column, text)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    values = {(v.indicator, v.cell, v.area): v for v in snapshot.values}
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
        sheet.add_data_validation(validation)
    row = header_row
    first_area_column = len(FIXED) + 1
    last_column = get_column_letter(len(headers))
    for indicator in snapshot.indicators:
        for cell_spec in indicator.cells:
            row += 1
            fixed = [
                indicator.code,
                indicator.name,
                cell_spec.label,
                indicator.unit,
                indicator.set,
                indicator.annex,
                cell_spec.key,
            ]
            for column, text in enumerate(fixed, start=1):
                cell = sheet.cell(row, column, text)
                cell.fill = LOCKED_FILL
                cell.alignment = WRAPPED
                if cell_spec.is_total:
                    cell.font = BOLD
            for offset, area in enumerate(snapshot.areas):
                value = values.get((indicator.key, cell_spec.key, area.code))
                cell = sheet.cell(row, first_area_column + offset, _display(indicator.value_type, value))
                cell.protection = Protection(locked=False)
                cell.alignment = TOP  # level with the first line of the row's label
                if indicator.value_type in ("percentage", "decimal"):
                    cell.number_format = "#,##0.0###"  # every decimal a value may have
                elif indicator.value_type == "integer":
                    cell.number_format = "#,##0"
            if indicator.value_type in validations:
                validations[indicator.value_type].add(
                    f"{get_column_letter(first_area_column)}{row}:{last_column}{row}"
                )
    widths = [8, 30, 14, 10, 12, 10, 12]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for column in range(first_area_column, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 9
    sheet.freeze_panes = sheet.cell(header_row + 1, first_area_column)
    apply_print_setup(
        sheet,
        header=_page_header(snapshot),
        title_rows=(header_row, header_row),
        label_columns=LABEL_COLUMNS,
        hidden_columns=KEY_COLUMNS,
        text_columns=len(FIXED),
    )
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    meta = book.create_sheet(META_SHEET)
    for key, value in (
        ("format", ENTRY_FORMAT),
        ("format_version", 1),
        ("province", snapshot.province.code),
        ("period", snapshot.period.code),
    ):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    book.active = book.index(sheet)
    book.save(stream)


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
        "5. Có thể thêm dòng trống hoặc đổi thứ tự cột; không đổi tên tiêu đề cột.",
        "6. Nhập lại vào CRC Desktop: Báo cáo và xuất → Nhập từ Excel (hoặc lệnh "
        "crc-desktop indicators import). Nếu có lỗi, chương trình liệt kê từng ô và không ghi gì.",
    ]
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = TITLE
    apply_text_print_setup(sheet, header=_page_header(snapshot))


def _page_header(snapshot: PeriodSnapshot) -> str:
    return page_header(snapshot.province.name, snapshot.period.code)


@dataclass
class EntryReading:
    """What an entry workbook says: (set, annex, code, cell key, area code) → raw value, with
    where each came from, and the problems found while reading."""

    period: str | None
    province: str | None
    values: dict[tuple[str, str, str, str, str], tuple[str, str]] = field(default_factory=dict)
    problems: list[CrcError] = field(default_factory=list)


def read_entry_workbook(path: Path) -> EntryReading:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise InputRefused("{path} cannot be read: {error}", path=str(path), error=os_reason(exc)) from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputRefused("{path} is not a readable Excel file: {error}", path=str(path), error=exc) from exc
    try:
        meta = {}
        if META_SHEET in book.sheetnames:
            meta = {row[0]: row[1] for row in book[META_SHEET].iter_rows(values_only=True) if row and row[0]}
        if DATA_SHEET not in book.sheetnames:
            raise InputRefused('The workbook has no sheet "{sheet}".', sheet=DATA_SHEET)
        reading = EntryReading(period=_text(meta.get("period")), province=_text(meta.get("province")))
        _read_rows(book[DATA_SHEET], reading)
        return reading
    finally:
        book.close()


def _read_rows(sheet, reading: EntryReading) -> None:
    header_row, columns, areas = None, {}, {}
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if v is None else v for v in row]
        if header_row is None:
            texts = [str(v).strip() for v in cells]
            if "Mã chỉ tiêu" in texts:
                header_row = number
                columns = {FIXED[t]: i for i, t in enumerate(texts) if t in FIXED}
                areas = {i: m.group(1) for i, t in enumerate(texts) if (m := AREA_HEADER.match(t))}
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
                TASK_STATUS_VI.get(t.status, t.status),
                "; ".join(t.recommendations),
                "; ".join(milestone_text(m.title, m.due_on, m.done_on) for m in t.milestones),
                "",
            ]
            for t in tasks
        ],
        PLAN_WIDTHS,
        header=header,
    )
    validation = DataValidation(type="list", formula1='"' + ",".join(TASK_STATUS_VI.values()) + '"')
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
                BUDGET_SOURCE_VI.get(b.source, b.source),
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


def write_plan_template(groups: dict[int, str], stream: BinaryIO) -> None:
    """A blank plan workbook to fill in and bring in with `plan import`, with a sheet of help."""
    book = Workbook()
    header = "Kế hoạch thực hiện khuyến nghị — mẫu nhập từ Excel"
    _plan_sheets(book, [], groups, header)
    _budget_sheet(book, [], header)
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
                TASK_STATUS_VI.get(t.progress.status, t.progress.status) if t.progress else "Chưa cập nhật",
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
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    apply_print_setup(sheet, header=header, title_rows=(1, 1), label_columns=(1, labels))
