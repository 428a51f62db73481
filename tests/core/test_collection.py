"""The collection round: forms out to communes and agencies, their files back in, the board."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crc_desktop.app import open_app
from crc_desktop.core.db.models import AuditEntryRecord, CollectionReturnRecord, IndicatorRecord
from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import Translator


@pytest.fixture
def forms(demo_db, tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    demo_db.collection.forms("2025", folder, kind="all")
    return folder


def commune_form(forms, code: str):
    return next(forms.glob(f"2025 - {code} - *.xlsx"))


def _rows(sheet) -> dict[tuple[str, str], int]:
    """(indicator code, cell key) → row number of a values sheet."""
    headers = [c.value for c in sheet[4]]
    code, key = headers.index("Mã chỉ tiêu"), headers.index("Mã phân tổ")
    return {
        (row[code].value, row[key].value): row[0].row
        for row in sheet.iter_rows(min_row=5)
        if row[code].value is not None
    }


def fill(source, target, values: dict[tuple[str, str], object], comments: dict | None = None) -> None:
    """Fill a commune's form as its staff would: values in column H, comments in column K."""
    book = load_workbook(source)
    sheet = book["Số liệu"]
    rows = _rows(sheet)
    for key, value in values.items():
        sheet.cell(rows[key], 8).value = value  # None: the cell emptied
    for key, text in (comments or {}).items():
        sheet.cell(rows[key], 11).value = text
    book.save(target)


def stored(context, code: str, cell_key: str, area_code: str, period: str = "2025"):
    grid = context.values.grid(period)
    row = next(r for r in grid.rows if r.code == code and r.cell_key == cell_key)
    area = next(a for a in grid.areas if a.code == area_code)
    return grid.value((row.cell_id, area.id))


def integer_indicator(context) -> str:
    return next(r.code for r in context.values.grid("2025").rows if r.value_type == "integer" and r.is_total)


def audit_count(context) -> int:
    with UnitOfWork(context.database, context.actor) as uow:
        return len(uow.session.scalars(select(AuditEntryRecord.id)).all())


def test_a_form_for_every_commune_and_agency(demo_db, forms):
    info = demo_db.setup.info()
    files = sorted(p.name for p in forms.iterdir())
    assert len(files) == info.counts["communes"] + info.counts["agencies"]
    assert "2025 - 90001 - Xã An An.xlsx" in files
    assert "2025 - SYT - Sở Y tế.xlsx" in files

    book = load_workbook(forms / "2025 - 90001 - Xã An An.xlsx")
    assert book.sheetnames[:2] == ["Hướng dẫn", "Số liệu"]
    assert "Mẫu báo cáo kỳ 2025 — Xã An An (90001)" in book["Hướng dẫn"]["A1"].value
    identity = {row[0].value: row[1].value for row in book["_crc"].iter_rows()}
    assert book["_crc"].sheet_state == "veryHidden"
    assert identity["unit"] == "90001" and identity["period"] == "2025" and identity["province"] == "46"
    assert identity["format_version"] == 1 and len(identity["database_id"]) == 32
    sheet = book["Số liệu"]
    assert [c.value for c in sheet[4]][7:] == [
        "90001 | Xã An An",
        "Kỳ trước | 90001",
        "Chỉ tiêu năm 2025",
        "Ghi chú | 90001",
    ]
    assert sheet.protection.sheet
    assert sheet["A5"].protection.locked and sheet["I5"].protection.locked
    assert not sheet["H5"].protection.locked and not sheet["K5"].protection.locked
    kinds = {v.type for v in sheet.data_validations.dataValidation}
    assert {"decimal", "whole"} <= kinds
    # the previous period's value is beside this period's
    code = integer_indicator(demo_db)
    row = _rows(sheet)[(code, "total")]
    assert sheet.cell(row, 9).value == stored(demo_db, code, "total", "90001", "2024").number

    agency = load_workbook(forms / "2025 - SYT - Sở Y tế.xlsx")
    assert agency.sheetnames[:4] == ["Hướng dẫn", "Tiến độ nhiệm vụ", "Kinh phí", "Mốc thời gian"]
    tasks = agency["Tiến độ nhiệm vụ"]
    assert [c.value for c in tasks[4]][:4] == ["Mã nhiệm vụ", "Nhiệm vụ", "% kỳ trước", "% hoàn thành"]
    led = [t.code for t in demo_db.plan.tasks() if t.lead_agency == "Sở Y tế" and t.status != "cancelled"]
    assert [r[0].value for r in tasks.iter_rows(min_row=5)] == led
    lists = [v for v in tasks.data_validations.dataValidation if v.type == "list"]
    assert "Hoàn thành" in lists[0].formula1


def test_only_the_units_asked_for(demo_db, tmp_path):
    written = demo_db.collection.forms("2025", tmp_path, kind="communes", units=["90002", "90003"])
    assert [p.split("/")[-1][:12] for p in written.files] == ["2025 - 90002", "2025 - 90003"]
    with pytest.raises(InputRefused):
        demo_db.collection.forms("2025", tmp_path, kind="communes", units=["99999"])


def _round(demo_db, forms, tmp_path):
    """Three filled forms and one with text in a number cell, in one folder."""
    returns = tmp_path / "returns"
    returns.mkdir()
    code = integer_indicator(demo_db)
    for number, commune in enumerate(("90001", "90002", "90003"), start=1):
        fill(
            commune_form(forms, commune),
            returns / commune_form(forms, commune).name,
            {(code, "total"): 1000 + number},
        )
    bad = commune_form(forms, "90004")
    fill(bad, returns / bad.name, {(code, "total"): 999, (code, "sex=F"): "mười hai"})
    return returns, code


def test_a_folder_of_returns_loads_each_file_on_its_own(demo_db, forms, tmp_path):
    returns, code = _round(demo_db, forms, tmp_path)
    before = stored(demo_db, code, "total", "90004")

    result = demo_db.collection.import_files("2025", [returns])

    assert [o.status for o in result.outcomes] == ["loaded", "loaded", "loaded", "refused"]
    assert all(o.changed == 1 for o in result.of("loaded"))
    refused = result.of("refused")[0]
    assert refused.file == "2025 - 90004 - Phường Cô Hương.xlsx"
    rows = _rows(load_workbook(returns / refused.file)["Số liệu"])
    assert [(p.params["cell"], p.params["reason"].params["value"]) for p in refused.problems] == [
        (f"H{rows[(code, 'sex=F')]}", "mười hai")
    ]
    assert stored(demo_db, code, "total", "90001").number == 1001
    assert stored(demo_db, code, "total", "90004") == before  # nothing from the refused file

    status = demo_db.collection.status("2025")
    returned = [u.code for u in status.units if u.state == "returned"]
    assert returned == ["90001", "90002", "90003"]
    assert status.returned == 3 and status.expected == len(status.units)
    unit = next(u for u in status.units if u.code == "90002")
    assert unit.file == "2025 - 90002 - Xã An Bắc.xlsx" and unit.returned_at is not None

    # the same folder again: the loaded files are skipped and nothing changes
    entries = audit_count(demo_db)
    again = demo_db.collection.import_files("2025", [returns])
    assert [o.status for o in again.outcomes] == ["skipped", "skipped", "skipped", "refused"]
    assert audit_count(demo_db) == entries


def test_a_corrected_form_replaces_what_the_unit_sent(demo_db, forms, tmp_path):
    code = integer_indicator(demo_db)
    first, corrected = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    fill(commune_form(forms, "90005"), first, {(code, "total"): 500})
    fill(commune_form(forms, "90005"), corrected, {(code, "total"): 505}, {(code, "total"): "Đã rà soát lại"})
    demo_db.collection.import_files("2025", [first])
    result = demo_db.collection.import_files("2025", [corrected])
    assert result.outcomes[0].status == "loaded" and result.outcomes[0].changed == 1
    value = stored(demo_db, code, "total", "90005")
    assert (value.number, value.comment) == (505, "Đã rà soát lại")
    unit = next(u for u in demo_db.collection.status("2025").units if u.code == "90005")
    assert unit.file == "b.xlsx"


def test_a_blank_cell_in_a_corrected_form_clears_what_the_unit_sent_before(demo_db, forms, tmp_path):
    code = integer_indicator(demo_db)
    form = commune_form(forms, "90006")
    kept = stored(demo_db, code, "sex=F", "90006")
    assert kept is not None and kept.number is not None  # the demo has a value there
    first, corrected = tmp_path / "lan-1.xlsx", tmp_path / "lan-2.xlsx"
    # the first file: a blank means "not reported", and keeps what the office has
    fill(form, first, {(code, "total"): 500, (code, "sex=F"): None}, {(code, "total"): "Ước tính"})
    assert demo_db.collection.import_files("2025", [first]).outcomes[0].status == "loaded"
    assert stored(demo_db, code, "sex=F", "90006").number == kept.number
    assert (
        stored(demo_db, code, "total", "90006").number,
        stored(demo_db, code, "total", "90006").comment,
    ) == (
        500,
        "Ước tính",
    )

    # the corrected file leaves the total and its comment blank: the unit takes them back
    fill(form, corrected, {(code, "total"): None, (code, "sex=F"): 42}, {(code, "total"): None})
    dry = demo_db.collection.import_files("2025", [corrected], dry_run=True).outcomes[0]
    assert dry.changed == 2 and stored(demo_db, code, "total", "90006").number == 500
    outcome = demo_db.collection.import_files("2025", [corrected]).outcomes[0]

    assert outcome.status == "loaded" and outcome.changed == 2
    total = stored(demo_db, code, "total", "90006")
    assert total is None or (total.number, total.text, total.comment) == (None, None, "")
    assert stored(demo_db, code, "sex=F", "90006").number == 42
    with UnitOfWork(demo_db.database, demo_db.actor) as uow:
        entry = next(
            e
            for e in uow.session.scalars(
                select(AuditEntryRecord).filter_by(action="value.set").order_by(AuditEntryRecord.id.desc())
            )
            if e.old and e.old["number"] == 500
        )
        assert entry.new["number"] is None and entry.new["comment"] == ""
        assert "lan-2.xlsx" in entry.reason and "(90006)" in entry.reason


def test_a_return_loaded_before_its_cells_were_kept_clears_nothing(demo_db, forms, tmp_path):
    """Returns loaded by an older version did not keep which cells they held: a blank in the
    unit's next file then keeps the value, as a first file's blank does."""
    code = integer_indicator(demo_db)
    form = commune_form(forms, "90007")
    first, corrected = tmp_path / "lan-1.xlsx", tmp_path / "lan-2.xlsx"
    fill(form, first, {(code, "total"): 700})
    demo_db.collection.import_files("2025", [first])
    with UnitOfWork(demo_db.database, demo_db.actor, write=True) as uow:
        uow.session.execute(CollectionReturnRecord.__table__.update().values(sent_cells=None))
        uow.commit()
    fill(form, corrected, {(code, "total"): None, (code, "sex=F"): 70})
    outcome = demo_db.collection.import_files("2025", [corrected]).outcomes[0]
    assert outcome.status == "loaded" and outcome.changed == 1
    assert stored(demo_db, code, "total", "90007").number == 700


def test_the_audit_names_the_unit_the_file_and_its_hash(demo_db, forms, tmp_path):
    code = integer_indicator(demo_db)
    path = tmp_path / "Xã An An - gửi lại.xlsx"
    fill(commune_form(forms, "90001"), path, {(code, "total"): 4321})
    demo_db.collection.import_files("2025", [path])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with UnitOfWork(demo_db.database, demo_db.actor) as uow:
        entry = uow.session.scalars(
            select(AuditEntryRecord).filter_by(action="value.set").order_by(AuditEntryRecord.id.desc())
        ).first()
        assert entry.new["number"] == 4321
        assert "Xã An An (90001)" in entry.reason
        assert "Xã An An - gửi lại.xlsx" in entry.reason and digest in entry.reason
    assert demo_db.audit.verify().intact


def test_forms_of_another_period_province_or_database_are_refused(demo_db, forms, tmp_path, paths):
    old = tmp_path / "old"
    old.mkdir()
    demo_db.collection.forms("2024", old, kind="communes", units=["90001"])
    outcome = demo_db.collection.import_files("2025", [old]).outcomes[0]
    assert outcome.status == "refused"
    assert outcome.reason.message == "This form is for period {theirs}, not {ours}."

    other = open_app(tmp_path / "hn.db", paths, create=True)
    try:
        other.demo.build("small", 1, province="01")
        other.collection.forms("2025", tmp_path, kind="communes", units=["90001"])
    finally:
        other.close()
    foreign = tmp_path / "2025 - 90001 - Xã An An.xlsx"
    outcome = demo_db.collection.import_files("2025", [foreign]).outcomes[0]
    assert outcome.reason.message == "This form is for province {theirs}, not {ours}."
    assert outcome.reason.params == {"theirs": "01", "ours": "46"}

    other = open_app(tmp_path / "hue2.db", paths, create=True)  # the same province, another database
    try:
        other.demo.build("small", 1)
        folder = tmp_path / "hue2"
        folder.mkdir()
        other.collection.forms("2025", folder, kind="communes", units=["90001"])
    finally:
        other.close()
    outcome = demo_db.collection.import_files("2025", [folder]).outcomes[0]
    assert outcome.reason.message == "This form was made from another database, not this office's."


def test_an_older_form_version_or_another_file_is_refused_in_one_sentence(demo_db, forms, tmp_path):
    path = tmp_path / "cu.xlsx"
    book = load_workbook(commune_form(forms, "90001"))
    meta = book["_crc"]
    next(r for r in meta.iter_rows() if r[0].value == "format_version")[1].value = 0
    book.save(path)
    plain = tmp_path / "ghi-chu.xlsx"
    shutil.copy(commune_form(forms, "90001"), plain)
    book = load_workbook(plain)
    del book["_crc"]
    book.save(plain)
    text = tmp_path / "thu.xlsx"
    text.write_text("không phải Excel", "utf-8")
    result = demo_db.collection.import_files("2025", [path, plain, text])
    assert [o.reason.message for o in result.outcomes] == [
        "This is an older form (version {theirs}); send the unit a new form (version {ours}).",
        "This file is not a collection form of CRC Desktop.",
        "This file is not a readable Excel workbook.",
    ]
    assert all(not o.problems for o in result.outcomes)


def test_a_submitted_period_needs_a_reason(demo_db, forms, tmp_path):
    code = integer_indicator(demo_db)
    path = tmp_path / "a.xlsx"
    fill(commune_form(forms, "90001"), path, {(code, "total"): 77})
    demo_db.periods.submit("2025")
    with pytest.raises(InputRefused):
        demo_db.collection.import_files("2025", [path])
    assert stored(demo_db, code, "total", "90001").number != 77
    demo_db.collection.import_files("2025", [path], reason="Xã gửi bổ sung")
    assert stored(demo_db, code, "total", "90001").number == 77


def test_a_dry_run_counts_and_changes_nothing(demo_db, forms, tmp_path):
    code = integer_indicator(demo_db)
    path = tmp_path / "a.xlsx"
    fill(commune_form(forms, "90001"), path, {(code, "total"): 77, (code, "sex=F"): 30})
    result = demo_db.collection.import_files("2025", [path], dry_run=True)
    assert result.outcomes[0].changed == 2
    assert stored(demo_db, code, "total", "90001").number != 77
    assert demo_db.collection.status("2025").returned == 0


def test_an_agency_form_updates_task_progress_budget_and_milestones(demo_db, forms, tmp_path):
    path = tmp_path / "syt.xlsx"
    book = load_workbook(forms / "2025 - SYT - Sở Y tế.xlsx")
    tasks = book["Tiến độ nhiệm vụ"]
    code = tasks["A5"].value
    tasks["D5"], tasks["E5"], tasks["F5"] = 85, "Đang thực hiện", "Đã tập huấn 12 xã."
    budget = book["Kinh phí"]
    budget_code, source = budget["A5"].value, budget["D5"].value
    budget["G5"] = "12.500.000"
    milestones = book["Mốc thời gian"]
    milestone_code, milestone_title = milestones["A5"].value, milestones["C5"].value
    milestones["E5"] = "15/03/2025"
    book.save(path)

    result = demo_db.collection.import_files("2025", [path])

    assert result.outcomes[0].status == "loaded", result.outcomes[0]
    row = next(r for r in demo_db.plan.progress("2025") if r.code == code)
    assert (row.percent_done, row.status, row.done_text) == (85, "in_progress", "Đã tập huấn 12 xã.")
    task = next(t for t in demo_db.plan.tasks() if t.code == budget_code)
    lines = [b for b in demo_db.plan.task(task.id).input.budget if b.fiscal_year == 2025]
    assert lines[0].spent == 12_500_000, source
    task = next(t for t in demo_db.plan.tasks() if t.code == milestone_code)
    milestone = next(m for m in demo_db.plan.task(task.id).input.milestones if m.title == milestone_title)
    assert milestone.done_on.isoformat() == "2025-03-15"
    unit = next(u for u in demo_db.collection.status("2025").units if u.code == "SYT")
    assert unit.state == "returned"


def test_an_agency_form_with_a_bad_percentage_writes_nothing(demo_db, forms, tmp_path):
    path = tmp_path / "syt.xlsx"
    book = load_workbook(forms / "2025 - SYT - Sở Y tế.xlsx")
    tasks = book["Tiến độ nhiệm vụ"]
    code = tasks["A5"].value
    tasks["D5"], tasks["D6"] = 150, 40
    book.save(path)
    before = {r.code: r.percent_done for r in demo_db.plan.progress("2025")}
    outcome = demo_db.collection.import_files("2025", [path]).outcomes[0]
    assert outcome.status == "refused"
    assert (
        outcome.problems[0].params["cell"] == "D5"
        and outcome.problems[0].params["sheet"] == "Tiến độ nhiệm vụ"
    )
    assert {r.code: r.percent_done for r in demo_db.plan.progress("2025")} == before, code


def test_an_agency_form_naming_a_task_it_does_not_lead_writes_nothing(demo_db, forms, tmp_path):
    other = next(t.code for t in demo_db.plan.tasks() if t.lead_agency not in ("", "Sở Y tế"))
    path = tmp_path / "syt.xlsx"
    book = load_workbook(forms / "2025 - SYT - Sở Y tế.xlsx")
    tasks = book["Tiến độ nhiệm vụ"]
    code = tasks["A5"].value
    tasks["D5"], tasks["F5"] = 90, "Đã hoàn thành tập huấn."
    tasks["A6"], tasks["D6"] = "NV-99", 50  # a task the plan does not have
    budget = book["Kinh phí"]
    budget["A5"], budget["G5"] = other, 1_000_000  # a task another agency leads
    book.save(path)
    before = {r.code: (r.percent_done, r.done_text) for r in demo_db.plan.progress("2025")}
    entries = audit_count(demo_db)

    outcome = demo_db.collection.import_files("2025", [path]).outcomes[0]

    assert outcome.status == "refused"
    assert [(p.message, p.params) for p in outcome.problems] == [
        (
            "Sheet {sheet}, row {row}: the plan has no task {code}.",
            {"sheet": "Tiến độ nhiệm vụ", "row": 6, "code": "NV-99"},
        ),
        (
            "Sheet {sheet}, row {row}: task {code} is not led by this agency.",
            {"sheet": "Kinh phí", "row": 5, "code": other},
        ),
    ]
    assert {r.code: (r.percent_done, r.done_text) for r in demo_db.plan.progress("2025")} == before, code
    assert audit_count(demo_db) == entries
    assert demo_db.collection.status("2025").returned == 0
    vi = Translator("vi")
    assert outcome.problems[0].render(vi) == (
        "Trang Tiến độ nhiệm vụ, dòng 6: kế hoạch không có nhiệm vụ mã NV-99."
    )


def test_a_unit_marked_no_report_expected_and_the_missing_list(demo_db, tmp_path):
    demo_db.collection.exempt("2025", "commune", "90003", "Sáp nhập vào phường khác")
    status = demo_db.collection.status("2025")
    unit = next(u for u in status.units if u.code == "90003")
    assert unit.state == "exempt" and unit.exempt_reason == "Sáp nhập vào phường khác"
    assert status.expected == len(status.units) - 1
    path = tmp_path / "chua-gui.xlsx"
    demo_db.collection.missing_workbook("2025", path)
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["Loại", "Mã", "Tên đơn vị", "Tình trạng"]
    codes = [r[1].value for r in sheet.iter_rows(min_row=2)]
    assert len(codes) == len(status.missing) and "90003" not in codes and "90001" in codes
    demo_db.collection.exempt("2025", "commune", "90003", "")  # undone
    assert next(u for u in demo_db.collection.status("2025").units if u.code == "90003").state == "missing"


def test_the_overview_shows_the_round(demo_db, forms, tmp_path):
    returns, _code = _round(demo_db, forms, tmp_path)
    demo_db.collection.import_files("2025", [returns])
    summary = demo_db.overview.summary("2025")
    assert (summary.collection_returned, summary.collection_expected) == (3, 30)


def test_the_command_line(demo_db, forms, tmp_path, capsys):
    from crc_desktop.cli import main

    returns, _code = _round(demo_db, forms, tmp_path)
    db = str(demo_db.database.path)
    demo_db.close()
    assert main(["collect", "import", "--db", db, "--period", "2025", str(returns)]) == 1
    out = capsys.readouterr().out
    assert "2025 - 90004 - Phường Cô Hương.xlsx: bị từ chối" in out
    assert "3 tệp đã nạp, 0 bỏ qua, 1 bị từ chối." in out
    assert main(["collect", "status", "--db", db, "--period", "2025", "--json"]) == 0
    board = json.loads(capsys.readouterr().out)
    assert board["returned"] == 3
    assert main(["collect", "status", "--db", db, "--period", "2025"]) == 0
    assert "Kỳ 2025: 3/30 đơn vị đã gửi biểu mẫu." in capsys.readouterr().out


def test_an_agency_form_carries_the_indicators_it_is_the_source_for(demo_db, tmp_path):
    code = integer_indicator(demo_db)
    with UnitOfWork(demo_db.database, demo_db.actor, write=True) as uow:
        table = IndicatorRecord.__table__
        uow.session.execute(table.update().where(table.c.code == code).values(lead_agency="Sở Y tế"))
        uow.commit()
    demo_db.collection.forms("2025", tmp_path, kind="agencies", units=["SYT", "STP"])
    assert "Số liệu" not in load_workbook(tmp_path / "2025 - STP - Sở Tư pháp.xlsx").sheetnames
    path = tmp_path / "2025 - SYT - Sở Y tế.xlsx"
    book = load_workbook(path)
    sheet = book["Số liệu"]
    assert [c.value for c in sheet[4]][7] == "46 | Thành phố Huế"
    assert {key[0] for key in _rows(sheet)} == {code}
    sheet.cell(_rows(sheet)[(code, "total")], 8, 4242)
    book.save(path)
    assert demo_db.collection.import_files("2025", [path]).outcomes[0].status == "loaded"
    assert stored(demo_db, code, "total", "46").number == 4242


def test_a_form_whose_identity_names_another_or_an_unknown_unit_is_refused(demo_db, forms, tmp_path):
    def relabelled(unit: str):
        path = tmp_path / f"doi-ten-{unit}.xlsx"
        book = load_workbook(commune_form(forms, "90001"))
        next(r for r in book["_crc"].iter_rows() if r[0].value == "unit")[1].value = unit
        book.save(path)
        return path

    result = demo_db.collection.import_files("2025", [relabelled("90002"), relabelled("99999")])
    swapped, unknown = result.outcomes
    assert swapped.status == "refused" and swapped.unit_code == "90002"
    assert swapped.problems[0].message == "The value column is {found}, but the form is for {unit}."
    assert swapped.problems[0].params["found"] == "90001 | Xã An An"
    assert unknown.reason.message == "This form is for the unit {code}, which this database does not have."
    assert demo_db.collection.status("2025").returned == 0


def _parts(path) -> dict[str, bytes]:
    """Each part of a workbook as canonical XML, to compare what two files say, not their bytes;
    but the time it was written (docProps/core.xml)."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        return {
            name: etree.tostring(etree.fromstring(archive.read(name)), method="c14n")
            for name in archive.namelist()
            if name != "docProps/core.xml"
        }


def test_a_commune_form_copied_from_the_first_is_the_form_written_for_it_alone(demo_db, tmp_path):
    """After the first, a call's commune forms are copies of the first with the commune's cells
    replaced: each must say exactly what the form written for that commune alone says."""
    code = integer_indicator(demo_db)
    grid = demo_db.values.grid("2025")
    row = next(r for r in grid.rows if r.code == code and r.cell_key == "total")
    area = next(a for a in grid.areas if a.code == "90003")
    text_row = next((r for r in grid.rows if r.value_type == "text"), None)
    from crc_desktop.core.schemas.values import ValueEdit

    edits = [ValueEdit(cell_id=row.cell_id, area_id=area.id, raw="1234", comment="Số liệu ước tính")]
    if text_row is not None:
        edits.append(ValueEdit(cell_id=text_row.cell_id, area_id=area.id, raw="Có kế hoạch riêng"))
    demo_db.values.apply("2025", edits)
    together, alone = tmp_path / "together", tmp_path / "alone"
    together.mkdir()
    alone.mkdir()
    demo_db.collection.forms("2025", together, kind="communes", units=["90001", "90002", "90003"])
    demo_db.collection.forms("2025", alone, kind="communes", units=["90003"])
    name = commune_form(together, "90003").name
    assert _parts(together / name) == _parts(alone / name)
    sheet = load_workbook(together / name)["Số liệu"]
    line = _rows(sheet)[(code, "total")]
    assert (sheet.cell(line, 8).value, sheet.cell(line, 11).value) == (1234, "Số liệu ước tính")
    assert sheet.cell(4, 8).value == f"90003 | {name.split(' - ')[2][:-5]}"


def test_an_untouched_form_is_blank_not_returned_and_writes_no_progress(demo_db, forms, tmp_path, capsys):
    """A ward and an agency send their forms back as they got them: nothing is written (no
    'not started, 0 %' for a task), the board says 'chưa điền', not 'returned'."""
    from crc_desktop.cli import main

    returns = tmp_path / "returns"
    returns.mkdir()
    shutil.copy(commune_form(forms, "90003"), returns)
    shutil.copy(forms / "2025 - SYT - Sở Y tế.xlsx", returns)
    progress_before = demo_db.plan.progress("2025")
    entries = audit_count(demo_db)

    result = demo_db.collection.import_files("2025", [returns])

    assert [o.status for o in result.outcomes] == ["blank", "blank"]
    assert demo_db.plan.progress("2025") == progress_before
    assert audit_count(demo_db) == entries  # nothing changed
    status = demo_db.collection.status("2025")
    states = {u.code: u.state for u in status.units}
    assert states["90003"] == states["SYT"] == "blank" and status.returned == 0
    assert {u.code for u in status.missing} >= {"90003", "SYT"}  # still to chase

    db = str(demo_db.database.path)
    demo_db.close()
    assert main(["collect", "status", "--db", db, "--period", "2025", "--json"]) == 0
    board = json.loads(capsys.readouterr().out)
    assert (board["returned"], board["blank"]) == (0, 2)
    assert main(["collect", "status", "--db", db, "--period", "2025"]) == 0
    out = capsys.readouterr().out
    assert "chưa điền" in out and "Kỳ 2025: 0/30 đơn vị đã gửi biểu mẫu." in out


def test_the_board_tells_a_refused_form_from_a_blank_one_and_a_later_return(demo_db, forms, tmp_path):
    returns, code = _round(demo_db, forms, tmp_path)
    demo_db.collection.import_files("2025", [returns])
    unit = next(u for u in demo_db.collection.status("2025").units if u.code == "90004")
    assert unit.state == "refused" and unit.last_file == "2025 - 90004 - Phường Cô Hương.xlsx"
    assert "mười hai" in unit.refusal.render(Translator("vi"))
    fixed = tmp_path / "sua.xlsx"
    fill(commune_form(forms, "90004"), fixed, {(code, "total"): 12})
    demo_db.collection.import_files("2025", [fixed])
    unit = next(u for u in demo_db.collection.status("2025").units if u.code == "90004")
    assert unit.state == "returned" and unit.file == "sua.xlsx"


def test_an_untouched_agency_row_writes_no_progress_for_a_task_without_one(demo_db, tmp_path):
    """The form prints a task's plan status ("Chưa triển khai") where no progress exists yet; sent
    back untouched next to a filled row, it writes no "not started, 0 %" for that task."""
    from crc_desktop.core.schemas.plan import TaskInput

    syt = next(a for a in demo_db.plan.agencies() if a.label.startswith("Sở Y tế"))
    demo_db.plan.create_task(
        TaskInput(code="NV-MOI", group=2, title="Truyền thông mới", lead_agency_id=syt.id)
    )
    folder = tmp_path / "forms"
    folder.mkdir()
    demo_db.collection.forms("2025", folder, kind="agencies", units=["SYT"])
    path = tmp_path / "syt.xlsx"
    book = load_workbook(folder / "2025 - SYT - Sở Y tế.xlsx")
    tasks = book["Tiến độ nhiệm vụ"]
    rows = {tasks.cell(r, 1).value: r for r in range(5, tasks.max_row + 1)}
    assert tasks.cell(rows["NV-MOI"], 5).value == "Chưa triển khai"  # printed, not typed
    other = next(code for code in rows if code != "NV-MOI")
    tasks.cell(rows[other], 4).value = 55
    book.save(path)

    result = demo_db.collection.import_files("2025", [path])

    assert result.outcomes[0].status == "loaded"
    progress = {r.code: r for r in demo_db.plan.progress("2025")}
    assert progress[other].percent_done == 55
    assert (progress["NV-MOI"].status, progress["NV-MOI"].percent_done) == (None, None)


def test_the_worker_processes_end_with_the_import_even_when_it_stops(demo_db, forms, monkeypatch):
    """Reading many returns runs in worker processes; an import stopped half-way (an error, the
    user's Cancel) leaves none behind."""
    import multiprocessing

    from crc_desktop.core.services import collection

    calls = []

    def failing(self, *args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("stopped half-way")
        return original(self, *args)

    original = collection.CollectionService._one
    monkeypatch.setattr(collection.CollectionService, "_one", failing)
    monkeypatch.setattr(collection.os, "cpu_count", lambda: 2)  # workers even on a one-core machine
    with pytest.raises(RuntimeError) as stopped:
        demo_db.collection.import_files("2025", [forms], dry_run=True)
    assert stopped.value  # the traceback (and its frames) still held, as a caller's handler holds it
    assert multiprocessing.active_children() == []
