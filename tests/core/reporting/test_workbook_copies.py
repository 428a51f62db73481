"""Copies of a workbook with some cells, row heights and the page header changed read exactly as
the workbook openpyxl writes with those cells: numbers, texts (with the spaces around them kept),
emptied cells."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, Protection

from crc_desktop.core.reporting.print_setup import _set_header, header_code
from crc_desktop.core.reporting.workbook_copies import SheetChanges, WorkbookTemplate

REFERENCES = ["A2", "B2", "C2", "D2"]


def _book(values: list, height: float | None, header: str) -> bytes:
    """What openpyxl writes: a title, then four open (styled) cells holding `values`."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Số liệu")
    _set_header(sheet.oddHeader, header)
    if height is not None:
        sheet.row_dimensions[2].height = height
    title = WriteOnlyCell(sheet, value="TIÊU ĐỀ")
    title.font = Font(bold=True)
    sheet.append([title])
    row = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.protection = Protection(locked=False)
        row.append(cell)
    sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: etree.tostring(etree.fromstring(archive.read(name)), method="c14n")
            for name in archive.namelist()
            if name != "docProps/core.xml"  # the time it was written
        }


def _copy(template: WorkbookTemplate, values: list, height: float | None, header: str) -> bytes:
    stream = io.BytesIO()
    changes = SheetChanges(
        cells=dict(zip(REFERENCES, values, strict=True)), heights={2: height}, header=header_code(header)
    )
    template.write({"Số liệu": changes}, stream)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("values", "height", "header"),
    [
        ([2.5, "Có", None, 7], 30.0, "Xã An Bắc (90002) — kỳ 2025"),
        ([None, None, None, None], None, "A & B"),
        (["  giữ khoảng trắng ", 1e-7, 123456789012, "Không"], 45.5, "Phường Thủ Đức"),
    ],
)
def test_a_copy_reads_as_the_workbook_openpyxl_writes_with_those_cells(values, height, header):
    template = WorkbookTemplate(_book(["một", 1, None, 2.25], None, "Xã An An (90001) — kỳ 2025"))
    _copy(template, ["x", 0, 1, None], 15.0, "lần đầu")  # copies follow each other from one template
    copy = _copy(template, values, height, header)
    assert _parts(copy) == _parts(_book(values, height, header))
    sheet = load_workbook(io.BytesIO(copy))["Số liệu"]
    assert [sheet[ref].value for ref in REFERENCES] == values
    assert not sheet["A2"].protection.locked


def test_a_copy_must_change_what_the_first_copy_changed():
    template = WorkbookTemplate(_book([1, 2, 3, 4], None, "x"))
    _copy(template, [5, 6, 7, 8], None, "y")
    with pytest.raises(ValueError):
        template.write({"Số liệu": SheetChanges(cells={"A2": 9})}, io.BytesIO())


def test_a_cell_the_template_does_not_have_is_not_invented():
    template = WorkbookTemplate(_book([1, 2, 3, 4], None, "x"))
    with pytest.raises(ValueError):
        template.write({"Số liệu": SheetChanges(cells={"Z9": 1})}, io.BytesIO())
