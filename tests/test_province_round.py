"""The whole round of a big province on the command line, as its office and the ministry run it:
Thành phố Hồ Chí Minh (168 communes and wards) from `init` to the ministry's consolidation.

Each step is timed; with CRC_ROUND_TIMES=FILE the times are written there as JSON
(`benchmarks/province_round.py` runs this test so and puts them into docs/benchmarks.md). The
test asserts what a user would notice, never a time.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from pathlib import Path

from openpyxl import load_workbook

from crc_desktop.app import Paths, open_app
from crc_desktop.cli import main
from crc_desktop.core.rules.rollup import asked_of
from crc_desktop.core.schemas.values import ValueEdit

SUBMITTER, APPROVER = "Lê Văn Hùng", "Trần Thị Mai"
RETURNED = 20  # communes whose staff fill their form; the office fills the rest from their reports


class _Steps:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def step(self, name: str):
        start = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - start


def _run(*argv: str) -> int:
    return main([str(a) for a in argv])


def _fill_commune_form(source: Path, target: Path) -> int:
    """What a ward's staff type: every value of their form (a total 2, each part 1)."""
    book = load_workbook(source)
    sheet = book["Số liệu"]
    headers = [c.value for c in sheet[4]]
    key_column = headers.index("Mã phân tổ")
    answers = {  # the cells a drop-down of Có / Không answers (đạt / không đạt)
        cell
        for validation in sheet.data_validations.dataValidation
        if validation.type == "list" and "Có" in (validation.formula1 or "")
        for ranges in validation.sqref.ranges
        for cell in ranges.cells
    }
    typed = 0
    for row in sheet.iter_rows(min_row=5):
        if row[key_column].value is None:
            continue
        number = 2 if row[key_column].value == "total" else 1
        sheet.cell(row[0].row, 8).value = "Có" if (row[0].row, 8) in answers else number
        typed += 1
    book.save(target)
    return typed


def _typed(row) -> str:
    """What the office types in a grid's cell: Có for a yes/no answer, else a total 2, a part 1."""
    if row.value_type == "yesno":
        return "Có"
    return "2" if row.is_total else "1"


def _fill_progress(source: Path, target: Path, tasks: set[str]) -> None:
    """An agency reports the progress of the tasks it leads."""
    book = load_workbook(source)
    sheet = book["Tiến độ nhiệm vụ"]
    for row in range(5, sheet.max_row + 1):
        if sheet.cell(row, 1).value in tasks:
            sheet.cell(row, 4).value = 40
            sheet.cell(row, 5).value = "Đang thực hiện"
            sheet.cell(row, 6).value = "Đã tổ chức 12 lớp tập huấn cho cán bộ phường, xã"
    book.save(target)


def test_the_round_of_ho_chi_minh_city(tmp_path, capsys):
    steps = _Steps()
    db, forms, returns = tmp_path / "79.db", tmp_path / "bieu-mau", tmp_path / "gui-ve"
    returns.mkdir()

    with steps.step("init 79 (168 communes and wards)"):
        assert _run("init", "--db", db, "--province", "79") == 0
    capsys.readouterr()
    assert _run("list", "agencies", "--db", db, "--json") == 0
    agencies = json.loads(capsys.readouterr().out)

    # the plan: the template from the database, its drop-down lists used, brought back in
    template = tmp_path / "ke-hoach.xlsx"
    with steps.step("plan: template with the agencies, three tasks imported"):
        assert _run("plan", "export-template", "--db", db, "--out", template) == 0
        book = load_workbook(template)
        choices = book["Danh mục"]
        leads = {f"KH-{n:02d}": agencies[n]["Name"] for n in range(3)}
        for code, lead in leads.items():
            book["Kế hoạch"].append([code, choices["A3"].value, f"Nhiệm vụ {code}", "", lead])
        book.save(template)
        assert _run("plan", "import", "--db", db, template) == 0
    capsys.readouterr()

    with steps.step("period created, forms for every commune and every agency with something to report"):
        assert _run("period", "create", "2025", "--db", db) == 0
        assert _run("collect", "forms", "--db", db, "--period", "2025", "--out", forms) == 0
    written = sorted(forms.glob("*.xlsx"))
    with sqlite3.connect(db) as connection:  # the agencies that hold counts, and the leads of tasks
        counting = {code for (code,) in connection.execute("SELECT DISTINCT reported_by FROM indicator")}
    reporting = {a["Code"] for a in agencies if a["Code"] in counting} | {a["Code"] for a in agencies[:3]}
    assert len(written) == 168 + len(reporting)
    capsys.readouterr()

    communes = [p for p in written if p.name.split(" - ")[1].isdigit()]
    by_agency = {p.name.split(" - ")[1]: p for p in written if not p.name.split(" - ")[1].isdigit()}
    with steps.step(f"{RETURNED} communes' forms and the lead agencies' filled (openpyxl)"):
        for source in communes[:RETURNED]:
            assert _fill_commune_form(source, returns / source.name) > 0
        for index in range(3):
            code = agencies[index]["Code"]
            _fill_progress(by_agency[code], returns / by_agency[code].name, set(leads))
    untouched = communes[RETURNED]
    (returns / untouched.name).write_bytes(untouched.read_bytes())  # sent back as it came

    with steps.step(f"collect import: {RETURNED + 4} returned forms"):
        assert _run("collect", "import", "--db", db, "--period", "2025", returns) == 0
    out = capsys.readouterr().out
    assert f"{RETURNED + 3} tệp đã nạp" in out and "1 biểu mẫu gửi về còn để trống" in out
    assert _run("collect", "status", "--db", db, "--period", "2025", "--json") == 0
    board = json.loads(capsys.readouterr().out)
    assert (board["returned"], board["blank"]) == (RETURNED + 3, 1)

    # the check of a half-filled round reads in groups, the counts first
    with steps.step("check, summarised (half-filled round)"):
        assert _run("check", "--db", db, "--period", "2025") == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Kỳ 2025: ") and "ô trống" in lines[0]
    assert len(lines) < 168 * 8  # a few lines a unit, not one a missing value

    # the other units: agencies with no task are not asked; the office types the communes' figures
    home = Paths(tmp_path / "home", tmp_path / "home", tmp_path / "home")
    context = open_app(db, home, user_name=SUBMITTER)
    try:
        with steps.step("the office fills the other communes' values and exempts the other agencies"):
            grid = context.values.grid("2025")
            edits = [
                ValueEdit(cell_id=row.cell_id, area_id=area.id, raw=_typed(row))
                for row in grid.rows
                for area in grid.areas
                if grid.value((row.cell_id, area.id)) is None
                and asked_of(row.measure, row.reported_by, area.level)  # not a computed figure
            ]
            context.values.apply("2025", edits)
            for agency in agencies[3:]:
                context.collection.exempt("2025", "agency", agency["Code"], "Không chủ trì nhiệm vụ nào")
    finally:
        context.close()
    exempt = ["collect", "exempt", agencies[3]["Code"], "--db", db, "--period", "2025"]
    assert _run(*exempt, "--reason", "Không chủ trì nhiệm vụ nào năm 2025") == 0
    assert "không phải báo cáo" in capsys.readouterr().out

    with steps.step("check, ready to sign"):
        assert _run("check", "--db", db, "--period", "2025", "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["ready"] and summary["blocking"] == 0

    # two persons: the one who submits does not approve; no name never passes
    with steps.step("submit and approve by two persons"):
        assert _run("period", "submit", "2025", "--db", db, "--by", SUBMITTER) == 0
        assert _run("period", "approve", "2025", "--db", db) == 1
        assert _run("period", "approve", "2025", "--db", db, "--by", SUBMITTER.upper()) == 1
        assert _run("period", "approve", "2025", "--db", db, "--by", APPROVER) == 0
    capsys.readouterr()

    keys, secret, out = tmp_path / "khoa", tmp_path / "mat-khau.txt", tmp_path / "goi"
    secret.write_text("mat-khau-rat-dai-cua-so", "utf-8")
    out.mkdir()
    with steps.step("sign and export the bundle"):
        name = "Sở Y tế Thành phố Hồ Chí Minh"
        assert (
            _run(
                "keys", "new", "--out", keys, "--name", name, "--province", "79", "--passphrase-file", secret
            )
            == 0
        )
        assert _run("office", "certificate", "add", "--db", db, keys / "79-signing-cert.pem") == 0
        assert _run("export", "--db", db, "--period", "2025", "--p12", keys / "79-signing.p12",
                    "--passphrase-file", secret, "--out", out) == 0  # fmt: skip
    bundle = next(out.glob("*.zip"))
    capsys.readouterr()

    trust = tmp_path / "tin-cay"
    trust.mkdir()
    (trust / "79-ca.pem").write_bytes((keys / "79-signing-ca.pem").read_bytes())
    with steps.step("the ministry verifies and consolidates"):
        assert _run("verify", bundle, "--trust", trust) == 0
        assert (
            _run("consolidate", "--db", f"sqlite:///{tmp_path / 'quoc-gia.db'}", "--trust", trust, bundle)
            == 0
        )
    assert "79" in capsys.readouterr().out

    target = os.environ.get("CRC_ROUND_TIMES")
    if target:
        Path(target).write_text(json.dumps(steps.seconds, ensure_ascii=False, indent=2), "utf-8")
