"""The province's figures are made from its units' counts: Σ numerators / Σ denominators, never
a mean of rates; coverage says on how many communes a figure rests; an official figure can be
set over a computed one, with its source, audited."""

from __future__ import annotations

import csv
import io
import json

import pytest

from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import Translator
from crc_desktop.core.reporting.sdmx import write_sdmx_csv
from crc_desktop.core.rules.rollup import Recipe, province_figures
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.core.services.rollup import period_figures
from crc_desktop.core.services.snapshot import SnapshotService

CATALOG = {
    "format": "crc-desktop-catalog",
    "format_version": 2,
    "kind": "indicators",
    "sets": [{"code": "T", "name": "Thử"}],
    "entries": [
        {
            "set": "T",
            "code": "KS.TS",
            "name": "Số trẻ em dưới 5 tuổi được đăng ký khai sinh",
            "value_type": "integer",
            "measure": "count",
            "reported_by": "communes",
        },
        {
            "set": "T",
            "code": "KS.MS",
            "name": "Tổng số trẻ em dưới 5 tuổi",
            "value_type": "integer",
            "measure": "count",
            "reported_by": "communes",
        },
        {
            "set": "T",
            "code": "KS",
            "name": "Tỷ lệ trẻ em dưới 5 tuổi được đăng ký khai sinh",
            "unit": "%",
            "value_type": "percentage",
            "measure": "ratio",
            "numerator": "KS.TS",
            "denominator": "KS.MS",
            "factor": 100,
        },
        {
            "set": "T",
            "code": "XPH.D",
            "name": "Xã, phường đạt tiêu chuẩn phù hợp với trẻ em",
            "value_type": "yesno",
            "measure": "count",
            "reported_by": "communes",
        },
        {
            "set": "T",
            "code": "XPH",
            "name": "Tỷ lệ xã, phường đạt tiêu chuẩn phù hợp với trẻ em",
            "unit": "%",
            "value_type": "percentage",
            "measure": "share",
            "numerator": "XPH.D",
        },
    ],
}


@pytest.fixture
def office(new_db, tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps(CATALOG, ensure_ascii=False), "utf-8")
    new_db.catalog.import_file(path)
    new_db.periods.create("2025")
    return new_db


def _cells(context):
    grid = context.values.grid("2025")
    cells = {(r.code, r.cell_key): r.cell_id for r in grid.rows}
    return grid, cells


def test_three_communes_with_different_denominators_give_the_sum_over_the_sum(office):
    grid, cells = _cells(office)
    communes = [a for a in grid.areas if a.level == "commune"][:3]
    counts = [(190, 200), (1_900, 2_000), (19_800, 20_000)]  # 95 %, 95 %, 99 %
    edits = []
    for area, (top, bottom) in zip(communes, counts, strict=True):
        edits += [
            ValueEdit(cell_id=cells[("KS.TS", "total")], area_id=area.id, raw=str(top)),
            ValueEdit(cell_id=cells[("KS.MS", "total")], area_id=area.id, raw=str(bottom)),
        ]
    office.values.apply("2025", edits)
    with UnitOfWork(office.database, office.actor) as uow:
        figures = period_figures(uow, uow.periods.get("2025"))
    rate = figures[cells[("KS", "total")]]
    assert rate.value == pytest.approx(21_890 / 22_200 * 100)  # 98,60 %
    assert rate.value != pytest.approx((95 + 95 + 99) / 3)  # not the mean, 96,33 %
    assert (rate.numerator, rate.denominator, rate.factor) == (21_890, 22_200, 100)
    all_communes = sum(a.level == "commune" for a in grid.areas)
    assert (rate.reported, rate.expected) == (3, all_communes)
    assert figures[cells[("KS.MS", "total")]].value == 22_200  # a count: the sum


def test_a_numerator_without_its_denominator_is_left_out_of_the_rate():
    recipes = {
        1: Recipe("count", {"total": 11}, reported_by="communes"),
        2: Recipe("count", {"total": 12}, reported_by="communes"),
        3: Recipe("ratio", {"total": 13}, numerator=1, denominator=2, factor=1000),
    }
    numbers = {(11, 101): 3, (12, 101): 250, (11, 102): 5}  # 102 sent no live births
    figure = province_figures(recipes, numbers, province=100, communes=[101, 102, 103])[13]
    assert figure.value == pytest.approx(12.0)
    assert (figure.reported, figure.missing) == (1, 2)


def test_a_share_of_communes_is_yes_over_those_that_answered(office):
    grid, cells = _cells(office)
    communes = [a for a in grid.areas if a.level == "commune"][:4]
    office.values.apply(
        "2025",
        [
            ValueEdit(cell_id=cells[("XPH.D", "total")], area_id=a.id, raw=raw)
            for a, raw in zip(communes, ["Có", "Có", "Không", "Có"], strict=True)
        ],
    )
    with UnitOfWork(office.database, office.actor) as uow:
        share = period_figures(uow, uow.periods.get("2025"))[cells[("XPH", "total")]]
    assert share.value == 75.0 and (share.numerator, share.denominator) == (3, 4)


def test_a_catalogue_ratio_must_name_counts_of_its_set(new_db, tmp_path):
    wrong = json.loads(json.dumps(CATALOG))
    wrong["entries"][2]["denominator"] = "XPH"  # a share, not a count
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(wrong, ensure_ascii=False), "utf-8")
    with pytest.raises(InputRefused):
        new_db.catalog.import_file(path)


def test_an_official_figure_overrides_the_computed_one_with_its_source_audited(office):
    grid, cells = _cells(office)
    province = next(a for a in grid.areas if a.level == "province")
    commune = next(a for a in grid.areas if a.level == "commune")
    office.values.apply(
        "2025",
        [
            ValueEdit(cell_id=cells[("KS.TS", "total")], area_id=commune.id, raw="97"),
            ValueEdit(cell_id=cells[("KS.MS", "total")], area_id=commune.id, raw="100"),
        ],
    )
    rate = cells[("KS", "total")]
    with pytest.raises(InputRefused):  # typed over the computed figure without a source
        office.values.apply("2025", [ValueEdit(cell_id=rate, area_id=province.id, raw="98,9")])
    with pytest.raises(InputRefused):  # a commune is not asked for a rate
        office.values.apply("2025", [ValueEdit(cell_id=rate, area_id=commune.id, raw="97")], reason="x")
    source = "Cục Thống kê, Niên giám thống kê 2025"
    office.values.apply(
        "2025",
        [ValueEdit(cell_id=rate, area_id=province.id, raw="98,9", source=source)],
        reason="Số liệu chính thức đã công bố",
    )
    with UnitOfWork(office.database, office.actor) as uow:
        figure = period_figures(uow, uow.periods.get("2025"))[rate]
    assert (figure.value, figure.origin, figure.source) == (98.9, "official", source)
    assert (figure.numerator, figure.denominator) == (97, 100)  # the computed parts stay beside it
    history = office.audit.history("indicator_value", f"2025/{rate}/{province.id}")
    assert history[-1].action == "value.official"
    assert history[-1].new["source"] == source and history[-1].reason == "Số liệu chính thức đã công bố"
    office.values.apply("2025", [ValueEdit(cell_id=rate, area_id=province.id, raw="")], reason="bỏ")
    with UnitOfWork(office.database, office.actor) as uow:
        figure = period_figures(uow, uow.periods.get("2025"))[rate]
    assert (figure.value, figure.origin) == (97.0, "computed")


def test_the_snapshot_and_the_sdmx_csv_carry_the_computed_figure_and_its_exact_counts(office):
    grid, cells = _cells(office)
    communes = [a for a in grid.areas if a.level == "commune"][:2]
    counts = [(12_345, 13_001), (7, 9)]
    edits = []
    for area, (top, bottom) in zip(communes, counts, strict=True):
        edits += [
            ValueEdit(cell_id=cells[("KS.TS", "total")], area_id=area.id, raw=str(top)),
            ValueEdit(cell_id=cells[("KS.MS", "total")], area_id=area.id, raw=str(bottom)),
        ]
    office.values.apply("2025", edits)
    snapshot = SnapshotService(office.database, office.actor).take("2025")
    province = snapshot.province.code
    value = next(v for v in snapshot.values if v.indicator == "T//KS" and v.area == province)
    assert value.number == pytest.approx(12_352 / 13_010 * 100)
    figure = snapshot.figure("T//KS")
    assert (figure.origin, figure.numerator, figure.denominator, figure.reported) == (
        "computed",
        12_352,
        13_010,
        2,
    )
    total = next(v for v in snapshot.values if v.indicator == "T//KS.MS" and v.area == province)
    assert total.number == 13_010  # the denominator is a series of its own, summed

    buffer = io.BytesIO()
    write_sdmx_csv(snapshot, buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))
    rate = next(
        r
        for r in rows
        if r["INDICATOR: Chỉ tiêu"].startswith("T//KS:")
        and r["REF_AREA: Đơn vị hành chính"].startswith(f"{province}:")
    )
    assert (rate["OBS_ORIGIN: Cách có số liệu"], rate["NUMERATOR: Tử số"], rate["DENOMINATOR: Mẫu số"]) == (
        "C",
        "12352",
        "13010",
    )
    parts = [r for r in rows if r["INDICATOR: Chỉ tiêu"].startswith("T//KS.TS:")]
    assert sorted(r["OBS_VALUE: Giá trị"] for r in parts) == ["12345", "12352", "7"]


def test_an_agency_numerator_over_a_commune_denominator_waits_for_every_commune():
    recipes = {
        1: Recipe("count", {"total": 11}, reported_by="SGDDT"),
        2: Recipe("count", {"total": 12}, reported_by="communes"),
        3: Recipe("ratio", {"total": 13}, numerator=1, denominator=2, factor=100),
    }
    numbers = {(11, 100): 180, (12, 101): 100, (12, 102): 90}
    partial = province_figures(recipes, numbers, province=100, communes=[101, 102, 103])[13]
    assert partial.value is None and partial.missing == 1  # 180 of 190 children would read 94.7 %
    numbers[(12, 103)] = 10
    whole = province_figures(recipes, numbers, province=100, communes=[101, 102, 103])[13]
    assert whole.value == pytest.approx(90.0) and whole.missing == 0


def test_population_tables_are_the_denominators_where_the_catalogue_says_so(new_db, tmp_path, paths, capsys):
    from crc_desktop.cli import main

    catalog = json.loads(json.dumps(CATALOG))
    catalog["entries"][1].update(reported_by="population", population="0-4", dimensions=["sex"])
    catalog["entries"][0]["dimensions"] = ["sex"]
    catalog["entries"][2]["dimensions"] = ["sex"]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
    new_db.catalog.import_file(path)
    new_db.periods.create("2025")
    grid, cells = _cells(new_db)
    communes = [a for a in grid.areas if a.level == "commune"][:2]
    table = tmp_path / "dan-so.csv"
    table.write_text(
        "Mã xã,Năm,Nhóm tuổi,Giới tính,Số trẻ em\n"
        + "".join(
            f"{a.code},2025,0-4,{sex},{n}\n" for a in communes for sex, n in (("Nam", 520), ("Nữ", 480))
        ),
        "utf-8",
    )
    db = str(new_db.database.path)
    new_db.close()
    assert main(["population", "import", "--db", db, str(table), "--source", "Cục Thống kê"]) == 0
    assert "4 dòng, 2 xã, phường, năm 2025." in capsys.readouterr().out
    from crc_desktop.app import open_app

    context = open_app(new_db.database.path, paths)
    try:
        context.values.apply(
            "2025",
            [ValueEdit(cell_id=cells[("KS.TS", "sex=M")], area_id=a.id, raw="500") for a in communes]
            + [ValueEdit(cell_id=cells[("KS.TS", "sex=F")], area_id=a.id, raw="470") for a in communes]
            + [ValueEdit(cell_id=cells[("KS.TS", "total")], area_id=a.id, raw="970") for a in communes],
        )
        with UnitOfWork(context.database, context.actor) as uow:
            figures = period_figures(uow, uow.periods.get("2025"))
        rate = figures[cells[("KS", "total")]]
        assert (rate.numerator, rate.denominator, rate.reported) == (1940, 2000, 2)
        assert figures[cells[("KS", "sex=F")]].value == pytest.approx(940 / 960 * 100)
        grid = context.values.grid("2025")
        row = next(r for r in grid.rows if r.code == "KS.MS" and r.is_total)
        assert not grid.asks(row, communes[0])  # nobody types it: the table gives it
        assert grid.value((row.cell_id, communes[0].id)).number == 1000  # shown beside the values
    finally:
        context.close()


def test_the_report_prints_a_computed_rate_rounded_and_an_official_figure_marked_with_its_source(
    demo_db, tmp_path
):
    from pypdf import PdfReader

    grid = demo_db.values.grid("2025")
    province = grid.areas[0]
    rate = next(r for r in grid.rows if r.code == "KS05" and r.is_total)
    demo_db.values.apply(
        "2025",
        [
            ValueEdit(
                cell_id=rate.cell_id, area_id=province.id, raw="98,1", source="Cục Thống kê, Niên giám 2025"
            )
        ],
        reason="Số liệu đã công bố",
    )
    out = tmp_path / "bao-cao.pdf"
    demo_db.reports.pdf("2025", out)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "98,1*" in text and "KS05: Cục Thống kê, Niên giám 2025" in text
    infant = next(r for r in grid.rows if r.code == "TV02" and r.is_total)
    computed = grid.computed[(infant.cell_id, province.id)]
    assert Translator("vi").number(computed, 2) in text  # 12,11, not every digit of 12,1109…
    assert Translator("vi").exact(computed) not in text
