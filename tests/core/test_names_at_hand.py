"""Names and codes at hand: `list` shows them; every refusal of a name or code suggests the nearest
ones, compared without case or diacritics; `collect exempt` from the command line."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from crc_desktop.cli import main
from crc_desktop.core.errors import InputRefused, NotFound
from crc_desktop.core.i18n import Translator
from crc_desktop.core.text import nearest

VI = Translator("vi")


def test_the_nearest_names_ignore_case_and_diacritics():
    agencies = ["Công an thành phố", "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch"]
    assert nearest("Công an Thành phố Hồ Chí Minh", agencies) == ["Công an thành phố"]
    assert nearest("so van hoa va the thao", agencies) == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert nearest("Ủy ban nhân dân", agencies) == []


def test_a_plan_row_naming_an_unknown_agency_suggests_the_nearest(demo_db, tmp_path):
    path = tmp_path / "ke-hoach.xlsx"
    demo_db.reports.plan_workbook("2025", path)
    book = load_workbook(path)
    book["Kế hoạch"].append(["KH-MOI-03", "1", "Nhiệm vụ mới", "", "Công an Tỉnh Thừa Thiên Huế"])
    book.save(path)
    with pytest.raises(InputRefused) as refused:
        demo_db.plan.import_workbook(path)
    message = refused.value.problems[0].render(VI)
    assert "cột E (Cơ quan chủ trì)" in message
    assert message.endswith("Có phải ý bạn là: Công an tỉnh?"), message


def test_an_unknown_unit_code_suggests_the_nearest(demo_db, tmp_path):
    with pytest.raises(InputRefused) as refused:
        demo_db.collection.forms("2025", tmp_path / "bieu-mau", kind="all", units=["9001"])
    assert "Có phải ý bạn là: 90010 Xã Phú Hải" in refused.value.render(VI)
    assert not (tmp_path / "bieu-mau").exists()  # nothing made for a refused call
    with pytest.raises(NotFound) as refused:
        demo_db.collection.exempt("2025", "agency", "SYTE", "Không có nhiệm vụ")
    assert "Có phải ý bạn là: SYT Sở Y tế" in refused.value.render(VI)


def test_collect_forms_makes_its_folder(demo_db, tmp_path):
    target = tmp_path / "vong-2025" / "bieu-mau"
    written = demo_db.collection.forms("2025", target, kind="all", units=["90001", "SYT"])
    assert len(written.files) == 2 and target.is_dir()


def test_list_shows_the_names_and_codes(demo_db, capsys):
    db = str(demo_db.database.path)
    assert main(["list", "agencies", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Mã\tTên\tTên viết tắt" and any(line.startswith("SYT\tSở Y tế") for line in lines)
    assert main(["list", "communes", "--db", db, "--json"]) == 0
    communes = json.loads(capsys.readouterr().out)
    assert {"Code": "90001", "Name": "Xã An An"} in communes
    for kind in ("indicators", "recommendations", "periods"):
        assert main(["list", kind, "--db", db]) == 0
        assert len(capsys.readouterr().out.splitlines()) > 1
    assert main(["list", "periods", "--db", db]) == 0
    assert "2024\tđã ký\t1" in capsys.readouterr().out


def test_a_unit_is_marked_no_report_expected_from_the_command_line(demo_db, capsys):
    db = str(demo_db.database.path)
    args = ["collect", "exempt", "SYT", "--db", db, "--period", "2025"]
    assert main([*args, "--reason", "Không chủ trì nhiệm vụ nào năm 2025"]) == 0
    unit = next(u for u in demo_db.collection.status("2025").units if u.code == "SYT")
    assert (unit.state, unit.exempt_reason) == ("exempt", "Không chủ trì nhiệm vụ nào năm 2025")
    assert main([*args[:2], "90001", *args[3:], "--reason", "Sáp nhập"]) == 0
    assert next(u for u in demo_db.collection.status("2025").units if u.code == "90001").state == "exempt"
    assert main(args) == 0  # no reason: expected again
    assert next(u for u in demo_db.collection.status("2025").units if u.code == "SYT").state == "missing"


def test_a_period_the_database_does_not_have_suggests_the_nearest(demo_db):
    with pytest.raises(NotFound) as refused:
        demo_db.values.grid("2026")
    assert refused.value.render(VI).endswith("Có phải ý bạn là: 2025, 2024?")


def test_a_returned_form_naming_an_unknown_indicator_suggests_the_nearest(demo_db, tmp_path):
    from .test_collection import _rows, commune_form, integer_indicator

    forms = tmp_path / "bieu-mau"
    demo_db.collection.forms("2025", forms, kind="communes")
    book = load_workbook(commune_form(forms, "90001"))
    sheet = book["Số liệu"]
    column = [c.value for c in sheet[4]].index("Mã chỉ tiêu") + 1
    code = integer_indicator(demo_db)
    row = _rows(sheet)[(code, "total")]
    sheet.cell(row, column).value = f"{code}X"  # mistyped
    sheet.cell(row, 8).value = 42
    path = tmp_path / "tra-ve.xlsx"
    book.save(path)

    outcome = demo_db.collection.import_files("2025", [path]).outcomes[0]

    assert outcome.status == "refused"
    said = [p.render(VI) for p in outcome.problems]
    wrong = next(s for s in said if f"không có chỉ tiêu {code}X" in s)
    assert f"Có phải ý bạn là: {code}" in wrong, said


def test_a_target_of_an_unknown_indicator_suggests_the_nearest(demo_db, tmp_path):
    path = tmp_path / "chi-tieu-tinh.csv"
    code = next(r.code for r in demo_db.values.grid("2025").rows if r.set == "NPA_2021_2030")
    mistyped = code.lower()
    path.write_text(f"set,code,year,comparator,value\nNPA_2021_2030,{mistyped},2030,>=,80\n", "utf-8")
    with pytest.raises(InputRefused) as refused:
        demo_db.catalog.import_file(path)
    said = refused.value.problems[0].render(VI)
    assert said.startswith(f"Dòng 2: không có chỉ tiêu {mistyped} trong bộ NPA_2021_2030.")
    assert f"Có phải ý bạn là: {code}" in said, said
