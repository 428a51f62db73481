"""The collection forms: one workbook per commune (its column of the province template, with the
previous period and the target beside each value) and one per agency (its tasks' progress, budget
spent and milestones, and the indicators it is the source for), and reading them back.

The values sheet is the province template's (`excel.write_values_sheet`), so a commune's form
reads back with the same code; a hidden sheet carries the form's identity.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from crc_desktop.core.errors import CrcError, InputRefused
from crc_desktop.core.i18n import Translator, parse_date, parse_number
from crc_desktop.core.reporting.excel import (
    BOLD,
    DATA_SHEET,
    FONT,
    HEADER_FILL,
    LOCKED_FILL,
    META_SHEET,
    TITLE,
    ValuesLayout,
    _table,
    protect,
    read_identity,
    read_values_sheet,
    values_sheet_changes,
    write_identity,
    write_values_sheet,
)
from crc_desktop.core.reporting.labels import budget_source_vi, task_status_vi
from crc_desktop.core.reporting.print_setup import (
    apply_print_setup,
    header_code,
    page_header,
    text_row_heights,
    write_text_sheet,
)
from crc_desktop.core.reporting.workbook_copies import SheetChanges, WorkbookTemplate
from crc_desktop.core.schemas.snapshot import Task

FORM_FORMAT = "crc-desktop-collection-form"
FORM_VERSION = 1
INSTRUCTIONS_SHEET = "Hướng dẫn"
TASKS_SHEET = "Tiến độ nhiệm vụ"
BUDGET_SHEET = "Kinh phí"
MILESTONES_SHEET = "Mốc thời gian"
HEADER_ROW = 4
UNIT_KINDS = ("commune", "agency")
_UNIT_WORDS = {"commune": "xã, phường", "agency": "cơ quan"}
FORM_NOTE = (
    "Chỉ nhập vào các ô trắng. Ô để trống: chưa có số liệu "
    "(khi gửi lại tệp đã sửa: xóa số liệu đã gửi lần trước)."
)
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass(frozen=True)
class FormIdentity:
    """What a form says it is; written hidden in the workbook, checked when it comes back."""

    database_id: str
    province_code: str
    province_name: str
    period: str
    unit_kind: str
    unit_code: str
    unit_name: str
    form_version: int = FORM_VERSION

    def facts(self) -> dict[str, object]:
        return {
            "format": FORM_FORMAT,
            "format_version": self.form_version,
            "database_id": self.database_id,
            "province": self.province_code,
            "period": self.period,
            "unit_kind": self.unit_kind,
            "unit": self.unit_code,
            "unit_name": self.unit_name,
        }

    @property
    def file_name(self) -> str:
        """`2025 - 26734 - Phường Thủ Đức.xlsx`: what people recognise in a folder or an email."""
        return _UNSAFE.sub("-", f"{self.period} - {self.unit_code} - {self.unit_name}.xlsx")


def write_commune_form(identity: FormIdentity, layout: ValuesLayout, stream: BinaryIO) -> None:
    """A commune's form, written in openpyxl's write-only mode: each row streamed once."""
    book = Workbook(write_only=True)
    _instructions(book.create_sheet(), identity, _COMMUNE_STEPS)
    sheet = book.create_sheet(DATA_SHEET)
    write_values_sheet(sheet, _title(identity), layout, header=_page_header(identity), note=FORM_NOTE)
    _finish(book, sheet, identity, stream)


class CommuneForms:
    """The forms of a period's communes, made from the first one: `write_commune_form` writes it,
    and each other commune's is that workbook with only what names the commune or holds its data
    replaced (titles, headings, page headers, values, previous values, comments, the hidden
    identity; see `workbook_copies`): some seven times faster than writing each with openpyxl.
    Every commune's `layout` must hold the same indicators as the first one's."""

    def __init__(self, identity: FormIdentity, layout: ValuesLayout) -> None:
        first = io.BytesIO()
        write_commune_form(identity, layout, first)
        self.first = identity.unit_code, first.getvalue()
        self._template = WorkbookTemplate(first.getvalue())
        self._rows = sum(len(i.cells) for i in layout.indicators)
        self._tr = Translator("vi")  # loaded once: a catalogue takes longer to read than a form to copy

    def write(self, identity: FormIdentity, layout: ValuesLayout, stream: BinaryIO) -> None:
        if identity.unit_code == self.first[0]:
            stream.write(self.first[1])
            return
        if sum(len(i.cells) for i in layout.indicators) != self._rows:
            raise ValueError("a commune's form must hold the indicators of the first one")
        page = _page_header(identity, self._tr)
        lines = _instruction_lines(identity, _COMMUNE_STEPS)
        facts = list(identity.facts().values())
        self._template.write(
            {
                INSTRUCTIONS_SHEET: SheetChanges(
                    cells={f"A{n}": line or None for n, line in enumerate(lines, start=1)},
                    heights=dict(enumerate(text_row_heights(lines, TITLE), start=1)),
                    header=header_code(page),
                ),
                DATA_SHEET: values_sheet_changes(_title(identity), layout, header=page),
                META_SHEET: SheetChanges(cells={f"B{n}": v for n, v in enumerate(facts, start=1)}),
            },
            stream,
        )


def write_agency_form(
    identity: FormIdentity,
    tasks: list[Task],
    previous_percent: dict[str, int],
    layout: ValuesLayout | None,
    stream: BinaryIO,
) -> None:
    book = Workbook()
    _instructions(book.active, identity, _AGENCY_STEPS)
    year = int(identity.period[:4])
    first = book.create_sheet(TASKS_SHEET)
    _tasks_sheet(first, identity, tasks, previous_percent)
    _budget_sheet(book.create_sheet(BUDGET_SHEET), identity, tasks, year)
    _milestones_sheet(book.create_sheet(MILESTONES_SHEET), identity, tasks)
    if layout is not None and layout.indicators:
        write_values_sheet(
            book.create_sheet(DATA_SHEET),
            _title(identity),
            layout,
            header=_page_header(identity),
            note=FORM_NOTE,
        )
    _finish(book, first, identity, stream)


def _finish(book: Workbook, first, identity: FormIdentity, stream: BinaryIO) -> None:
    write_identity(book, identity.facts())
    book.active = book.index(first)
    book.security = WorkbookProtection(lockStructure=True)  # sheets cannot be added, renamed, shown
    book.save(stream)


def _page_header(identity: FormIdentity, tr: Translator | None = None) -> str:
    return page_header(
        f"{identity.unit_name} ({identity.unit_code}) — {identity.province_name}", identity.period, tr
    )


def _printed(sheet, identity: FormIdentity) -> None:
    """A sheet of the agency's form: its header row and the task's code and name on every page."""
    apply_print_setup(
        sheet, header=_page_header(identity), title_rows=(HEADER_ROW, HEADER_ROW), label_columns=(1, 2)
    )
    protect(sheet)


def _title(identity: FormIdentity) -> str:
    return f"{identity.unit_name.upper()} — {identity.province_name} — KỲ {identity.period}"


_COMMUNE_STEPS = (
    f'Nhập số liệu của đơn vị vào trang "{DATA_SHEET}": mỗi dòng là một chỉ tiêu (tổng số hoặc một '
    "phân tổ); cột mang mã và tên đơn vị là cột số liệu, cột Ghi chú để giải thích khi cần.",
    "Cột Kỳ trước và Chỉ tiêu năm chỉ để đối chiếu; các cột màu xám bị khóa.",
)
_AGENCY_STEPS = (
    f'Trang "{TASKS_SHEET}": mỗi nhiệm vụ do cơ quan chủ trì; nhập % hoàn thành (0-100), trạng thái '
    "(chọn trong danh sách), kết quả, khó khăn và đề xuất.",
    f'Trang "{BUDGET_SHEET}": nhập số tiền đã chi (đồng) cho từng dòng kinh phí của năm.',
    f'Trang "{MILESTONES_SHEET}": nhập ngày đạt mốc (dd/mm/yyyy) cho mốc đã hoàn thành.',
    f'Trang "{DATA_SHEET}" (nếu có): các chỉ tiêu cơ quan là nguồn số liệu, cấp tỉnh.',
)


def _instructions(sheet, identity: FormIdentity, steps: tuple[str, ...]) -> None:
    sheet.title = INSTRUCTIONS_SHEET
    write_text_sheet(
        sheet, _instruction_lines(identity, steps), header=_page_header(identity), title_font=TITLE
    )


def _instruction_lines(identity: FormIdentity, steps: tuple[str, ...]) -> list[str]:
    return [
        f"Mẫu báo cáo kỳ {identity.period} — {identity.unit_name} ({identity.unit_code}) — "
        f"{identity.province_name}",
        "",
        *(f"{number}. {step}" for number, step in enumerate(steps, start=1)),
        f"{len(steps) + 1}. Số viết theo kiểu Việt Nam (1.234,5) hoặc kiểu máy (1234.5) đều được; tỷ lệ % "
        "từ 0 đến 100. Ô để trống: đơn vị chưa có số liệu đó. Khi gửi lại tệp đã sửa, ô để trống xóa giá trị "
        "đơn vị đã gửi lần trước.",
        f"{len(steps) + 2}. Không đổi tên tệp bắt buộc, nhưng không sửa các ô bị khóa, không thêm hoặc "
        "đổi tên trang: chương trình nhận biết mẫu theo thông tin ẩn trong tệp.",
        f"{len(steps) + 3}. Gửi lại tệp cho cơ quan tổng hợp của tỉnh (USB hoặc thư điện tử). Nếu có lỗi, "
        "chương trình báo từng ô sai và không ghi gì từ tệp đó; sửa rồi gửi lại cả tệp.",
        "",
        f"Đơn vị: {identity.unit_name} — mã {identity.unit_code} ({_UNIT_WORDS[identity.unit_kind]})",
        f"Mẫu phiên bản {identity.form_version}",
    ]


def _header(sheet, identity: FormIdentity, title: str, headers: list[str], widths: list[int]) -> None:
    sheet["A1"] = f"{title} — {_title(identity)}"
    sheet["A1"].font = TITLE
    sheet["A2"] = "Chỉ nhập vào các ô trắng; các cột màu xám bị khóa."
    sheet["A2"].font = Font(name=FONT, italic=True)
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(HEADER_ROW, column, text)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)


def _row(sheet, row: int, locked: list, open_cells: list, formats: dict[int, str] | None = None) -> None:
    for column, value in enumerate(locked, start=1):
        sheet.cell(row, column, value).fill = LOCKED_FILL
    for column, value in enumerate(open_cells, start=len(locked) + 1):
        cell = sheet.cell(row, column, value)
        cell.protection = Protection(locked=False)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, number_format in (formats or {}).items():
        sheet.cell(row, column).number_format = number_format


def _validation(sheet, validation: DataValidation, cells: str) -> None:
    validation.error = "Giá trị không hợp lệ."
    validation.errorTitle = "CRC Desktop"
    validation.add(cells)
    sheet.add_data_validation(validation)


TASK_HEADERS = [
    "Mã nhiệm vụ",
    "Nhiệm vụ",
    "% kỳ trước",
    "% hoàn thành",
    "Trạng thái",
    "Kết quả thực hiện",
    "Khó khăn, vướng mắc",
    "Đề xuất, kiến nghị",
]


def _tasks_sheet(sheet, identity: FormIdentity, tasks: list[Task], previous_percent: dict[str, int]) -> None:
    _header(sheet, identity, "TIẾN ĐỘ NHIỆM VỤ", TASK_HEADERS, [14, 50, 10, 12, 18, 45, 35, 35])
    for row, task in enumerate(tasks, start=HEADER_ROW + 1):
        progress = task.progress
        _row(
            sheet,
            row,
            [task.code, task.title, previous_percent.get(task.code)],
            [
                progress.percent_done if progress else None,
                task_status_vi().get(progress.status if progress else task.status),
                progress.done_text if progress else None,
                progress.obstacles if progress else None,
                progress.proposals if progress else None,
            ],
        )
    last = HEADER_ROW + max(len(tasks), 1)
    _validation(
        sheet,
        DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True),
        f"D{HEADER_ROW + 1}:D{last}",
    )
    statuses = ",".join(task_status_vi().values())
    _validation(
        sheet,
        DataValidation(type="list", formula1=f'"{statuses}"', allow_blank=True),
        f"E{HEADER_ROW + 1}:E{last}",
    )
    _printed(sheet, identity)


BUDGET_HEADERS = [
    "Mã nhiệm vụ",
    "Nhiệm vụ",
    "Năm",
    "Nguồn",
    "Kế hoạch (đồng)",
    "Được giao (đồng)",
    "Đã chi (đồng)",
]


def _budget_sheet(sheet, identity: FormIdentity, tasks: list[Task], year: int) -> None:
    _header(sheet, identity, "KINH PHÍ ĐÃ CHI", BUDGET_HEADERS, [14, 50, 8, 22, 18, 18, 18])
    row = HEADER_ROW
    for task in tasks:
        for line in task.budget:
            if line.fiscal_year != year:
                continue
            row += 1
            _row(
                sheet,
                row,
                [
                    task.code,
                    task.title,
                    line.fiscal_year,
                    budget_source_vi().get(line.source, line.source),
                    line.planned,
                    line.allocated,
                ],
                [line.spent],
                {5: "#,##0", 6: "#,##0", 7: "#,##0"},
            )
    if row > HEADER_ROW:
        _validation(
            sheet,
            DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True),
            f"G{HEADER_ROW + 1}:G{row}",
        )
    _printed(sheet, identity)


MILESTONE_HEADERS = ["Mã nhiệm vụ", "Nhiệm vụ", "Mốc", "Hạn", "Ngày đạt mốc"]


def _milestones_sheet(sheet, identity: FormIdentity, tasks: list[Task]) -> None:
    _header(sheet, identity, "MỐC THỜI GIAN", MILESTONE_HEADERS, [14, 45, 35, 12, 14])
    row = HEADER_ROW
    for task in tasks:
        for milestone in task.milestones:
            row += 1
            _row(
                sheet,
                row,
                [task.code, task.title, milestone.title, milestone.due_on],
                [milestone.done_on],
                {4: "dd/mm/yyyy", 5: "dd/mm/yyyy"},
            )
    if row > HEADER_ROW:
        _validation(
            sheet,
            DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True),
            f"E{HEADER_ROW + 1}:E{row}",
        )
    _printed(sheet, identity)


# -- reading a returned form ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressReturn:
    task: str
    percent_done: int | None
    status: str | None
    done_text: str
    obstacles: str
    proposals: str
    where: str


@dataclass
class FormReading:
    """What a returned form says: its identity, its values, and for an agency its plan sheets."""

    identity: dict[str, str]
    values: object  # excel.EntryReading
    progress: list[ProgressReturn] = field(default_factory=list)
    spent: dict[tuple[str, int, str], tuple[int, str]] = field(default_factory=dict)
    milestones: dict[tuple[str, str, dt.date], tuple[dt.date, str]] = field(default_factory=dict)
    problems: list[CrcError] = field(default_factory=list)
    task_rows: list[tuple[str, int, str]] = field(default_factory=list)  # (sheet, row, task code) of each row


def read_form(book) -> FormReading:
    """Read an open workbook that claims to be a collection form; problems are collected, not raised."""
    identity = read_identity(book)
    values = read_values_sheet(book, required=identity.get("unit_kind") == "commune")
    reading = FormReading(identity=identity, values=values)
    if identity.get("unit_kind") == "agency":
        for name in (TASKS_SHEET, BUDGET_SHEET, MILESTONES_SHEET):
            if name not in book.sheetnames:
                raise InputRefused('The workbook has no sheet "{sheet}".', sheet=name)
        _read_tasks(book[TASKS_SHEET], reading)
        _read_budget(book[BUDGET_SHEET], reading)
        _read_milestones(book[MILESTONES_SHEET], reading)
    return reading


def _rows(sheet, headers: list[str]):
    """(row number, {header: (value, cell reference)}) of the rows under the header row."""
    columns: dict[str, int] | None = None
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if columns is None:
            texts = [str(v).strip() if v is not None else "" for v in row]
            if headers[0] in texts:
                columns = {t: i for i, t in enumerate(texts) if t in headers}
                missing = [h for h in headers if h not in columns]
                if missing:
                    raise InputRefused(
                        'The sheet "{sheet}" has no column {columns}.',
                        sheet=sheet.title,
                        columns=", ".join(missing),
                    )
            continue
        if not any(v not in (None, "") for v in row):
            continue
        yield (
            number,
            {
                h: (row[i] if i < len(row) else None, f"{get_column_letter(i + 1)}{number}")
                for h, i in columns.items()
            },
        )
    if columns is None:
        raise InputRefused('The sheet "{sheet}" has no header row.', sheet=sheet.title)


def _problem(reading: FormReading, sheet: str, where: str, reason: CrcError) -> None:
    reading.problems.append(
        CrcError("Sheet {sheet}, cell {cell}: {reason}", sheet=sheet, cell=where, reason=reason)
    )


def _plain(value) -> str:
    return "" if value is None else str(value).strip()


def _read_tasks(sheet, reading: FormReading) -> None:
    for number, cells in _rows(sheet, TASK_HEADERS):
        code = _plain(cells["Mã nhiệm vụ"][0])
        reading.task_rows.append((TASKS_SHEET, number, code))
        raw_percent, where = cells["% hoàn thành"]
        percent = None
        if _plain(raw_percent):
            try:
                number = parse_number(_plain(raw_percent).rstrip("%"))
                if number != number.to_integral_value() or not 0 <= number <= 100:
                    raise ValueError(raw_percent)
                percent = int(number)
            except ValueError:
                _problem(
                    reading,
                    TASKS_SHEET,
                    where,
                    CrcError(
                        "{value} is not a whole percentage between 0 and 100.", value=_plain(raw_percent)
                    ),
                )
                continue
        raw_status, status_where = cells["Trạng thái"]
        status = None
        if _plain(raw_status):
            status = {name: key for key, name in task_status_vi().items()}.get(_plain(raw_status))
            if status is None:
                _problem(
                    reading,
                    TASKS_SHEET,
                    status_where,
                    CrcError('"{value}" is not one of the statuses in the list.', value=_plain(raw_status)),
                )
                continue
        reading.progress.append(
            ProgressReturn(
                task=code,
                percent_done=percent,
                status=status,
                done_text=_plain(cells["Kết quả thực hiện"][0]),
                obstacles=_plain(cells["Khó khăn, vướng mắc"][0]),
                proposals=_plain(cells["Đề xuất, kiến nghị"][0]),
                where=where,
            )
        )


def _read_budget(sheet, reading: FormReading) -> None:
    for number, cells in _rows(sheet, BUDGET_HEADERS):
        reading.task_rows.append((BUDGET_SHEET, number, _plain(cells["Mã nhiệm vụ"][0])))
        raw, where = cells["Đã chi (đồng)"]
        if not _plain(raw):
            continue
        try:
            number = parse_number(_plain(raw))
            if number < 0 or number != number.to_integral_value():
                raise ValueError(raw)
        except ValueError:
            _problem(
                reading,
                BUDGET_SHEET,
                where,
                CrcError('"{value}" is not an amount in đồng.', value=_plain(raw)),
            )
            continue
        sources = {name: key for key, name in budget_source_vi().items()}
        source = sources.get(_plain(cells["Nguồn"][0]), _plain(cells["Nguồn"][0]))
        year = int(parse_number(_plain(cells["Năm"][0])))
        reading.spent[(_plain(cells["Mã nhiệm vụ"][0]), year, source)] = (int(number), where)


def _read_milestones(sheet, reading: FormReading) -> None:
    for number, cells in _rows(sheet, MILESTONE_HEADERS):
        reading.task_rows.append((MILESTONES_SHEET, number, _plain(cells["Mã nhiệm vụ"][0])))
        raw, where = cells["Ngày đạt mốc"]
        if not _plain(raw):
            continue
        due = _date(cells["Hạn"][0])
        done = _date(raw)
        if done is None:
            _problem(
                reading,
                MILESTONES_SHEET,
                where,
                CrcError('"{value}" is not a date (dd/mm/yyyy).', value=_plain(raw)),
            )
            continue
        if due is not None:
            reading.milestones[(_plain(cells["Mã nhiệm vụ"][0]), _plain(cells["Mốc"][0]), due)] = (
                done,
                where,
            )


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(_plain(value))
    except ValueError:
        return None


MISSING_HEADERS = ["Loại", "Mã", "Tên đơn vị", "Tình trạng"]


def write_missing_list(status, stream: BinaryIO) -> None:
    """The units that have not returned their form (a `RoundStatus`), to chase them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Chưa gửi"
    _table(
        sheet,
        MISSING_HEADERS,
        [[_UNIT_WORDS[u.kind].capitalize(), u.code, u.name, "Chưa gửi báo cáo"] for u in status.missing],
        [14, 12, 45, 22],
        header=page_header(f"Đơn vị chưa gửi báo cáo ({len(status.missing)})", status.period),
        labels=3,
    )
    book.save(stream)
