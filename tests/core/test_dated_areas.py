"""The grid and the forms of a period show the communes of that period under their names then.

Đồng Nai became Thành phố Đồng Nai on 30/04/2026 and ten of its xã became phường that day (Xã Lộc
Ninh, 25270, became Phường Lộc Ninh). A commune merged away before a period's last day is not
asked for that period, one created after it neither; one that already holds a value stays shown.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crc_desktop.app import Paths, open_app
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.values import ValueEdit

RENAMED, NEW = "25270", "99991"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Đồng Nai's database with periods 2025 and 2026, a commune founded on 1/1/2026 and one
    merged away on 31/12/2025 (by a commune list from the ministry), built once."""
    folder = tmp_path_factory.mktemp("dong-nai")
    home = folder / "home"
    context = open_app(folder / "dn.db", Paths(home, home, home), create=True)
    context.setup.init("75")
    context.periods.create("2025")
    context.periods.create("2026")
    merged = next(a for a in context.values.grid("2025").areas if a.level == "commune" and a.code != RENAMED)
    _import_communes(
        context,
        folder / "xa-moi.json",
        [
            {"province": "75", "code": NEW, "name": "Xã Mới Lập", "kind": "xã", "valid_from": "2026-01-01"},
            {"province": "75", "code": merged.code, "name": merged.name, "valid_to": "2025-12-31"},
        ],
    )
    context.close()
    return folder / "dn.db", merged


def _import_communes(context, catalog: Path, entries: list[dict]) -> None:
    """A commune list from the ministry, imported as the office does."""
    catalog.write_text(
        json.dumps(
            {"format": "crc-desktop-catalog", "format_version": 1, "kind": "communes", "entries": entries}
        ),
        "utf-8",
    )
    context.catalog.import_file(catalog)


@pytest.fixture
def dong_nai(made, tmp_path):
    source, merged = made
    home = tmp_path / "home"
    db = tmp_path / "dn.db"
    shutil.copy(source, db)
    context = open_app(db, Paths(home, home, home))
    yield context, merged
    context.close()


def _names(grid) -> dict[str, str]:
    return {a.code: a.name for a in grid.areas}


def test_the_grid_of_a_period_shows_the_communes_and_names_of_that_period(dong_nai):
    context, merged = dong_nai
    before, after = _names(context.values.grid("2025")), _names(context.values.grid("2026"))
    assert before["75"] == "Tỉnh Đồng Nai" and after["75"] == "Thành phố Đồng Nai"
    assert before[RENAMED] == "Xã Lộc Ninh" and after[RENAMED] == "Phường Lộc Ninh"
    assert merged.code in before and merged.code not in after  # merged away on 31/12/2025
    assert NEW not in before and after[NEW] == "Xã Mới Lập"  # founded on 1/1/2026
    assert len(after) == len(before)  # one gone, one come


def test_a_commune_merged_away_takes_no_new_value_and_stays_shown_where_it_holds_one(dong_nai, tmp_path):
    context, merged = dong_nai
    grid = context.values.grid("2025")
    area, cell = next(a for a in grid.areas if a.code == merged.code), grid.rows[0].cell_id
    with pytest.raises(InputRefused) as refused:  # an old workbook, a form kept from before the merger
        context.values.apply("2026", [ValueEdit(cell_id=cell, area_id=area.id, raw="7")])
    said = "\n".join(problem.render(Translator("vi")) for problem in refused.value.problems)
    assert f"{merged.name} không phải là xã, phường của tỉnh trong kỳ 2026" in said
    assert context.values.grid("2026").numbers == {}  # nothing saved
    context.values.apply("2025", [ValueEdit(cell_id=cell, area_id=area.id, raw="7")])  # still in 2025

    # a value entered while the commune was in force, before the ministry's list merged it
    entry = {"province": "75", "code": merged.code, "name": merged.name}
    _import_communes(context, tmp_path / "lai.json", [entry | {"valid_to": None}])
    context.values.apply("2026", [ValueEdit(cell_id=cell, area_id=area.id, raw="7")])
    _import_communes(context, tmp_path / "sap-nhap.json", [entry | {"valid_to": "2025-12-31"}])
    assert merged.code in _names(context.values.grid("2026"))  # nothing entered is hidden
    context.values.apply("2026", [ValueEdit(cell_id=cell, area_id=area.id, raw="8")])  # and it is corrected


def test_the_forms_of_a_period_carry_the_names_of_that_period(dong_nai, tmp_path):
    context, merged = dong_nai
    for period, name in (("2025", "Xã Lộc Ninh"), ("2026", "Phường Lộc Ninh")):
        out = tmp_path / period
        out.mkdir()
        written = context.collection.forms(period, out, kind="communes", units=[RENAMED])
        assert [p.rsplit("/", 1)[-1] for p in map(str, written.files)] == [
            f"{period} - {RENAMED} - {name}.xlsx"
        ]
        book = load_workbook(written.files[0])
        text = "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
        assert name in text
        assert ("Phường Lộc Ninh" in text) == (period == "2026")
    out = tmp_path / "all-2026"
    out.mkdir()
    names = {
        p.split(" - ")[1]
        for p in (
            str(f).rsplit("/", 1)[-1] for f in context.collection.forms("2026", out, kind="communes").files
        )
    }
    assert NEW in names and merged.code not in names


def test_the_province_template_of_a_period_has_its_communes_under_their_names_then(dong_nai, tmp_path):
    context, merged = dong_nai
    for period in ("2025", "2026"):
        path = tmp_path / f"mau-{period}.xlsx"
        context.reports.entry_workbook(period, path)
        book = load_workbook(path)
        header = [str(c.value) for row in book["Số liệu"].iter_rows(max_row=6) for c in row if c.value]
        text = "\n".join(header)
        if period == "2025":
            assert "Xã Lộc Ninh" in text and merged.name in text and "Xã Mới Lập" not in text
        else:
            assert "Phường Lộc Ninh" in text and merged.name not in text and "Xã Mới Lập" in text


def test_the_collection_board_of_a_period_expects_the_communes_of_that_period(dong_nai):
    context, merged = dong_nai
    before = {u.code: u.name for u in context.collection.status("2025").units if u.kind == "commune"}
    after = {u.code: u.name for u in context.collection.status("2026").units if u.kind == "commune"}
    assert before[RENAMED] == "Xã Lộc Ninh" and after[RENAMED] == "Phường Lộc Ninh"
    assert merged.code in before and merged.code not in after
    assert NEW not in before and NEW in after


def test_a_returned_form_is_named_after_the_commune_as_it_was_in_that_period(dong_nai, tmp_path):
    context, _merged = dong_nai
    for period, name in (("2025", "Xã Lộc Ninh"), ("2026", "Phường Lộc Ninh")):
        out = tmp_path / period
        out.mkdir()
        form = context.collection.forms(period, out, kind="communes", units=[RENAMED]).files[0]
        outcome = context.collection.import_files(period, [form], dry_run=True).outcomes[0]
        assert (outcome.unit_code, outcome.unit_name) == (RENAMED, name), outcome
