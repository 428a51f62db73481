"""The Excel round trip: export the entry workbook, fill it as people do, import it back."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from crc_desktop.core.errors import InputRefused, PeriodLocked


@pytest.fixture
def workbook(demo_db, tmp_path):
    path = tmp_path / "nhap-lieu.xlsx"
    demo_db.reports.entry_workbook("2025", path)
    return path


def _locate(sheet, code: str, cell_key: str, area_code: str):
    header = next(r for r in sheet.iter_rows() if any(c.value == "Mã chỉ tiêu" for c in r))
    names = {c.value: c.column for c in header}
    column = next(c.column for c in header if str(c.value or "").startswith(f"{area_code} |"))
    row = next(
        r[0].row
        for r in sheet.iter_rows(min_row=header[0].row + 1)
        if r[names["Mã chỉ tiêu"] - 1].value == code and r[names["Mã phân tổ"] - 1].value == cell_key
    )
    return sheet.cell(row, column)


def _stored(context, code, cell_key, area_code):
    grid = context.values.grid("2025")
    row = next(r for r in grid.rows if r.code == code and r.cell_key == cell_key)
    area = next(a for a in grid.areas if a.code == area_code)
    return grid.value((row.cell_id, area.id))


def test_the_workbook_has_vietnamese_headers_locked_codes_and_lists(workbook):
    book = load_workbook(workbook)
    assert book.sheetnames[:2] == ["Hướng dẫn", "Số liệu"]
    sheet = book["Số liệu"]
    headers = [c.value for c in sheet[4]]
    assert headers[:7] == [
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Phân tổ",
        "Đơn vị tính",
        "Bộ chỉ tiêu",
        "Phụ lục",
        "Mã phân tổ",
    ]
    assert headers[7] == "46 | Thành phố Huế"
    assert sheet.protection.sheet
    assert sheet["C5"].protection.locked and not sheet["H5"].protection.locked
    assert any(v.type == "decimal" and v.formula2 == "100" for v in sheet.data_validations.dataValidation)


def test_round_trip_with_text_numbers_blank_rows_and_reordered_columns(demo_db, workbook, tmp_path):
    book = load_workbook(workbook)
    sheet = book["Số liệu"]
    sheet.protection.sheet = False
    _locate(sheet, "KS01.MS", "total", "90001").value = "1.234"  # a number stored as text, Vietnamese style
    _locate(sheet, "KS01.MS", "sex=M", "90001").value = " 600 "
    _locate(sheet, "DD02", "total", "46").value = 77.5
    sheet.insert_rows(6, amount=2)  # blank rows
    sheet.move_range("H4:H400", cols=sheet.max_column)  # the province column moved to the far right
    filled = tmp_path / "da-dien.xlsx"
    book.save(filled)

    preview = demo_db.reports.import_entries("2025", filled, dry_run=True)
    assert len(preview.changed) == 3
    assert _stored(demo_db, "DD02", "total", "46").number != 77.5

    demo_db.reports.import_entries("2025", filled)
    assert _stored(demo_db, "KS01.MS", "total", "90001").number == 1234
    assert _stored(demo_db, "KS01.MS", "sex=M", "90001").number == 600
    assert _stored(demo_db, "DD02", "total", "46").number == 77.5
    assert demo_db.reports.import_entries("2025", filled, dry_run=True).changed == []


def test_a_broken_workbook_changes_nothing_and_names_each_cell(demo_db, workbook, tmp_path):
    book = load_workbook(workbook)
    sheet = book["Số liệu"]
    good = _locate(sheet, "KS01.MS", "total", "90001")
    good.value = 42
    bad_percent = _locate(sheet, "DD02", "total", "46")
    bad_percent.value = 140
    bad_text = _locate(sheet, "KS01.TS", "total", "90002")
    bad_text.value = "khoảng 20"
    broken = tmp_path / "loi.xlsx"
    book.save(broken)
    before = _stored(demo_db, "KS01.MS", "total", "90001")
    with pytest.raises(InputRefused) as refused:
        demo_db.reports.import_entries("2025", broken)
    from crc_desktop.core.i18n import Translator

    messages = [p.render(Translator("vi")) for p in refused.value.problems]
    assert any(f"ô {bad_percent.coordinate}" in m and "phần trăm" in m for m in messages)
    assert any(f"ô {bad_text.coordinate}" in m and "không phải là số" in m for m in messages)
    assert _stored(demo_db, "KS01.MS", "total", "90001") == before


def test_a_signed_period_refuses_an_import(demo_db, tmp_path):
    path = tmp_path / "2024.xlsx"
    demo_db.reports.entry_workbook("2024", path)
    with pytest.raises(PeriodLocked):
        demo_db.reports.import_entries("2024", path, dry_run=True)


def test_a_workbook_of_another_period_is_refused(demo_db, workbook):
    with pytest.raises(InputRefused, match="period 2025, not 2024"):
        demo_db.reports.import_entries("2024", workbook)


def test_not_an_excel_file(demo_db, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("hello", "utf-8")
    with pytest.raises(InputRefused, match="looks like text or CSV"):
        demo_db.reports.import_entries("2025", path)


def test_plan_workbook_and_sdmx_csv(demo_db, tmp_path):
    plan = tmp_path / "ke-hoach.xlsx"
    demo_db.reports.plan_workbook("2025", plan)
    book = load_workbook(plan)
    assert book.sheetnames == ["Kế hoạch", "Tiến độ 2025", "Kinh phí"]
    assert book["Kế hoạch"].max_row == 31  # 30 tasks and the header
    csv_path = tmp_path / "so-lieu.csv"
    demo_db.reports.sdmx_csv("2025", csv_path)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    assert "46: Thành phố Huế" in {row[5] for row in rows[1:]}
    assert {row[6] for row in rows[1:]} == {"2025"}
    grid = demo_db.values.grid("2025")
    province = grid.areas[0].id
    computed = [v for (_cell, area), v in grid.computed.items() if area == province and v is not None]
    assert len(rows) - 1 == len(grid.numbers) + len(computed)  # and the province's computed figures


def _comment(sheet, code: str, cell_key: str, area_code: str):
    """The comment cell of a value: the same row, the column "Ghi chú | <area>"."""
    value = _locate(sheet, code, cell_key, area_code)
    column = next(c.column for c in sheet[4] if c.value == f"Ghi chú | {area_code}")
    return sheet.cell(value.row, column)


def test_comment_columns_come_after_the_values_out_of_print_and_come_back(demo_db, workbook, tmp_path):
    book = load_workbook(workbook)
    sheet = book["Số liệu"]
    headers = [c.value for c in sheet[4]]
    areas = [h for h in headers if h and " | " in h and not h.startswith("Ghi chú")]
    assert headers[7] == "46 | Thành phố Huế"
    assert headers[7 + len(areas) : 9 + len(areas)] == ["Ghi chú | 46", "Ghi chú | 90001"]
    last_value = sheet.cell(1, 7 + len(areas)).column_letter
    assert sheet.print_area.replace("$", "").endswith(
        f"!A1:{last_value}{sheet.max_row}"
    )  # comments not printed
    comment = _comment(sheet, "KS01.MS", "total", "90001")
    assert not comment.protection.locked and sheet.protection.sheet
    comment.value = "Số liệu của trạm y tế xã"
    _comment(sheet, "KS01.MS", "sex=M", "90001").value = "Ước tính"
    _locate(sheet, "KS01.MS", "sex=M", "90001").value = 321
    filled = tmp_path / "ghi-chu.xlsx"
    book.save(filled)

    preview = demo_db.reports.import_entries("2025", filled, dry_run=True)
    kept = _stored(demo_db, "KS01.MS", "total", "90001")  # a comment alone keeps the value (or its absence)
    assert {(c.new_number, c.comment) for c in preview.changed} == {
        (kept.number if kept else None, "Số liệu của trạm y tế xã"),
        (321, "Ước tính"),
    }
    demo_db.reports.import_entries("2025", filled)
    assert _stored(demo_db, "KS01.MS", "total", "90001").comment == "Số liệu của trạm y tế xã"
    value = _stored(demo_db, "KS01.MS", "sex=M", "90001")
    assert (value.number, value.comment) == (321, "Ước tính")
    assert demo_db.reports.import_entries("2025", filled, dry_run=True).changed == []
    again = load_workbook(demo_db.reports.entry_workbook("2025", tmp_path / "lai.xlsx").path)["Số liệu"]
    assert _comment(again, "KS01.MS", "total", "90001").value == "Số liệu của trạm y tế xã"


def _submit(context, period: str = "2025") -> None:
    from sqlalchemy import select

    from crc_desktop.core.db.models import ReportingPeriodRecord
    from crc_desktop.core.db.uow import UnitOfWork

    with UnitOfWork(context.database, context.actor, write=True) as uow:
        uow.session.scalar(select(ReportingPeriodRecord).filter_by(code=period)).state = "submitted"
        uow.commit()


def test_an_import_into_a_submitted_period_is_refused_without_a_reason(demo_db, workbook, tmp_path, capsys):
    from crc_desktop.cli import main

    book = load_workbook(workbook)
    _locate(book["Số liệu"], "KS01.MS", "total", "90001").value = 4242
    filled = tmp_path / "da-dien.xlsx"
    book.save(filled)
    _submit(demo_db)
    before = _stored(demo_db, "KS01.MS", "total", "90001")
    db = str(demo_db.database.path)
    command = ["indicators", "import", "--db", db, "--period", "2025", str(filled)]

    assert main(command) == 1
    assert "Kỳ 2025 ở trạng thái đã gửi xem xét; hãy nêu lý do thay đổi." in capsys.readouterr().err
    assert _stored(demo_db, "KS01.MS", "total", "90001") == before
    assert main([*command, "--dry-run"]) == 0  # looking changes nothing and needs no reason
    assert _stored(demo_db, "KS01.MS", "total", "90001") == before

    assert main([*command, "--reason", "Xã gửi lại số liệu"]) == 0
    assert _stored(demo_db, "KS01.MS", "total", "90001").number == 4242
    reasons = [
        entry.reason for entry in demo_db.audit.history("indicator_value", _key(demo_db, "KS01.MS", "90001"))
    ]
    assert reasons[-1] == "Xã gửi lại số liệu"


def _key(context, code: str, area_code: str) -> str:
    grid = context.values.grid("2025")
    row = next(r for r in grid.rows if r.code == code and r.cell_key == "total")
    area = next(a for a in grid.areas if a.code == area_code)
    return f"2025/{row.cell_id}/{area.id}"
