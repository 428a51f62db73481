"""Saving indicator values: typed input, all-or-nothing edits, locked periods, rules, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crc_desktop.core.db.models import (
    IndicatorRecord,
    ReportingPeriodRecord,
    ValidationRuleRecord,
)
from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.errors import InputRefused, PeriodLocked
from crc_desktop.core.rules.validation import parse_value
from crc_desktop.core.schemas.values import ValueEdit


def _row(grid, value_type, dimensions=True):
    return next(
        r
        for r in grid.rows
        if r.value_type == value_type
        and r.is_total
        and (value_type != "integer" or r.reported_by == "communes")  # a count the communes give
        and (not dimensions or sum(x.indicator_id == r.indicator_id for x in grid.rows) > 1)
    )


@pytest.mark.parametrize(
    "value_type, raw, expected",
    [
        ("integer", "1.234", 1234.0),
        ("decimal", "12,5", 12.5),
        ("percentage", "99,5 %", 99.5),
        ("yesno", "Có", 1.0),
        ("integer", "", None),
    ],
)
def test_typed_input_is_read_as_users_write_it(value_type, raw, expected):
    assert parse_value(value_type, raw).number == expected


@pytest.mark.parametrize(
    "value_type, raw, reason",
    [
        ("integer", "mười", "is not a number"),
        ("integer", "12,5", "not a whole number"),
        ("percentage", "140", "between 0 and 100"),
        ("decimal", "-3", "negative"),
    ],
)
def test_wrong_input_is_refused_with_the_reason(value_type, raw, reason):
    with pytest.raises(InputRefused, match=reason):
        parse_value(value_type, raw)


def test_an_edit_is_saved_and_audited(demo_db):
    grid = demo_db.values.grid("2025")
    row, area = _row(grid, "integer"), grid.areas[1]
    saved = demo_db.values.apply(
        "2025",
        [ValueEdit(cell_id=row.cell_id, area_id=area.id, raw="1.500", comment="Số liệu của Công an xã")],
    )
    assert saved.values[(row.cell_id, area.id)].number == 1500
    again = demo_db.values.grid("2025")
    assert again.value((row.cell_id, area.id)).comment == "Số liệu của Công an xã"
    history = demo_db.audit.history("indicator_value", f"2025/{row.cell_id}/{area.id}")
    assert history[-1].new["number"] == 1500 and history[-1].who == "Trần Thị Bình"
    assert demo_db.audit.verify().intact


def test_a_block_with_one_bad_value_saves_nothing(demo_db):
    grid = demo_db.values.grid("2025")
    row = _row(grid, "integer")
    before = [grid.numbers.get((row.cell_id, a.id)) for a in grid.areas[:3]]
    edits = [
        ValueEdit(cell_id=row.cell_id, area_id=a.id, raw=raw)
        for a, raw in zip(grid.areas[:3], ["10", "abc", "30"], strict=True)
    ]
    with pytest.raises(InputRefused) as refused:
        demo_db.values.apply("2025", edits)
    assert "abc" in str(refused.value.problems[0])
    after = demo_db.values.grid("2025")
    assert [after.numbers.get((row.cell_id, a.id)) for a in grid.areas[:3]] == before


def test_a_signed_period_refuses_edits(demo_db):
    grid = demo_db.values.grid("2024")
    assert grid.state == "signed"
    row = grid.rows[0]
    with pytest.raises(PeriodLocked):
        demo_db.values.apply("2024", [ValueEdit(cell_id=row.cell_id, area_id=grid.areas[0].id, raw="1")])


def test_a_submitted_period_needs_a_reason(demo_db):
    with UnitOfWork(demo_db.database, demo_db.actor, write=True) as uow:
        uow.session.scalar(select(ReportingPeriodRecord).filter_by(code="2025")).state = "submitted"
        uow.commit()
    grid = demo_db.values.grid("2025")
    edit = ValueEdit(cell_id=grid.rows[0].cell_id, area_id=grid.areas[0].id, raw="5")
    with pytest.raises(InputRefused, match="reason"):
        demo_db.values.apply("2025", [edit])
    demo_db.values.apply("2025", [edit], reason="Sở Giáo dục gửi lại số liệu")


def test_rules_mark_breakdowns_that_do_not_add_up(demo_db):
    grid = demo_db.values.grid("2025")
    total = _row(grid, "integer")
    with UnitOfWork(demo_db.database, demo_db.actor) as uow:  # the catalogue's rules include it
        kinds = uow.session.scalars(
            select(ValidationRuleRecord.kind).filter_by(indicator_id=total.indicator_id)
        ).all()
    assert "cells_sum" in kinds
    area = grid.areas[2]
    male = next(r for r in grid.rows if r.indicator_id == total.indicator_id and "Nam" in r.cell_label)
    saved = demo_db.values.apply("2025", [ValueEdit(cell_id=male.cell_id, area_id=area.id, raw="999999")])
    issues = saved.issues[(total.cell_id, area.id)]
    assert [i.kind for i in issues] == ["cells_sum"]
    assert demo_db.values.issues("2025")[(total.cell_id, area.id)][0].severity == "error"


def test_rules_arrive_with_an_indicator_catalogue(new_db, tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(
        """{"format": "crc-desktop-catalog", "format_version": 1, "kind": "indicators", "entries": [
        {"set": "NPA_2021_2030", "code": "T1", "name": "Tổng", "value_type": "integer"},
        {"set": "NPA_2021_2030", "code": "P1", "name": "Phần", "value_type": "integer",
         "rules": [{"kind": "part_le_total", "params": {"total": "T1"}},
                   {"kind": "range", "params": {"max": 1000}, "severity": "warning"}]}]}""",
        "utf-8",
    )
    new_db.catalog.import_file(path)
    with UnitOfWork(new_db.database, new_db.actor) as uow:
        part = uow.session.scalar(select(IndicatorRecord).filter_by(code="P1"))
        total = uow.session.scalar(select(IndicatorRecord).filter_by(code="T1"))
        rules = [
            (r.kind, r.severity, r.params)
            for r in uow.session.scalars(select(ValidationRuleRecord).filter_by(indicator_id=part.id))
        ]
        total_id = total.id
    assert sorted(rules, key=str) == [
        ("part_le_total", "error", {"total_indicator": total_id}),
        ("range", "warning", {"max": 1000}),
    ]
    assert new_db.catalog.import_file(path, dry_run=True).counts.changed == 0


def test_an_edit_is_checked_against_the_total_of_another_indicator(new_db, tmp_path):
    """The rules loaded for one edit reach the indicator a part_le_total rule compares to, and
    find what the whole-period check finds."""
    path = tmp_path / "rules.json"
    path.write_text(
        """{"format": "crc-desktop-catalog", "format_version": 1, "kind": "indicators", "entries": [
        {"set": "NPA_2021_2030", "code": "T1", "name": "Tổng", "value_type": "integer"},
        {"set": "NPA_2021_2030", "code": "P1", "name": "Phần", "value_type": "integer",
         "rules": [{"kind": "part_le_total", "params": {"total": "T1"}}]}]}""",
        "utf-8",
    )
    new_db.catalog.import_file(path)
    new_db.periods.create("2025")
    grid = new_db.values.grid("2025")
    total = next(r for r in grid.rows if r.code == "T1" and r.is_total)
    part = next(r for r in grid.rows if r.code == "P1" and r.is_total)
    area = grid.areas[0].id
    new_db.values.apply("2025", [ValueEdit(cell_id=total.cell_id, area_id=area, raw="10")])
    saved = new_db.values.apply("2025", [ValueEdit(cell_id=part.cell_id, area_id=area, raw="20")])
    assert [i.kind for i in saved.issues[(part.cell_id, area)]] == ["part_le_total"]
    assert saved.issues[(part.cell_id, area)] == new_db.values.issues("2025")[(part.cell_id, area)]
    fixed = new_db.values.apply("2025", [ValueEdit(cell_id=part.cell_id, area_id=area, raw="5")])
    assert fixed.issues[(part.cell_id, area)] == []


@pytest.mark.parametrize("typed", ["NaN", "inf", "Infinity", "-inf", "sNaN"])
def test_words_python_reads_as_numbers_are_refused_as_not_numbers(typed):
    """Found by the property test: "inf" typed in a cell crashed the import."""
    with pytest.raises(InputRefused, match="is not a number"):
        parse_value("decimal", typed)
