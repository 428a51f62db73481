"""Real provinces from day one: the official communes, dated names, targets and agencies."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from crc_desktop.app import open_app
from crc_desktop.core.db.models import AgencyRecord, AreaRecord, IndicatorRecord, IndicatorTargetRecord
from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.ministry.views import provinces
from crc_desktop.core.schemas.office import ProfileInput

BEFORE, AFTER = dt.date(2026, 4, 29), dt.date(2026, 4, 30)


def _scalar(context, query):
    with UnitOfWork(context.database, context.actor) as uow:
        return uow.session.scalar(query)


def _snapshots(context):
    from crc_desktop.core.services.snapshot import SnapshotService

    return SnapshotService(context.database, context.actor)


def _communes(context) -> int:
    return _scalar(context, select(func.count(AreaRecord.id)).where(AreaRecord.level == "commune"))


@pytest.fixture
def office(tmp_path, paths):
    """A function that makes an initialised database for a province."""
    made = []

    def make(code: str):
        context = open_app(tmp_path / f"{code}.db", paths, create=True, user_name="Lê Văn Cường")
        context.setup.init(code)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def test_every_province_starts_with_its_official_communes(tmp_path, paths):
    empty = tmp_path / "empty.db"
    open_app(empty, paths, create=True).close()  # migrated once; each province starts from a copy
    assert len(provinces()) == 34
    counts = {}
    for code, _name in provinces():
        shutil.copyfile(empty, tmp_path / f"{code}.db")
        context = open_app(tmp_path / f"{code}.db", paths)
        try:
            context.setup.init(code)
            counts[code] = _communes(context)
        finally:
            context.close()
    assert sum(counts.values()) == 3321
    assert (counts["79"], counts["46"], counts["75"]) == (168, 40, 95)


def test_office_and_committee_names_follow_decree_30(office):
    hcm = office("79").setup.info(counts=False).profile
    assert hcm.office_name == "Sở Y tế Thành phố Hồ Chí Minh"
    assert hcm.parent_agency == "Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert hcm.place_name == "Thành phố Hồ Chí Minh"
    khanh_hoa = office("56").setup.info(counts=False).profile
    assert (khanh_hoa.office_name, khanh_hoa.parent_agency, khanh_hoa.place_name) == (
        "Sở Y tế tỉnh Khánh Hòa",
        "Ủy ban nhân dân tỉnh Khánh Hòa",
        "Khánh Hòa",
    )


def test_dong_nai_is_a_province_then_a_city_in_its_reports(office, tmp_path):
    context = office("75")
    context.periods.create("2025")
    texts = {}
    for day in (BEFORE, AFTER):
        snapshot = _snapshots(context).take("2025", on=day)
        names = {area.code: area.name for area in snapshot.areas}
        texts[day] = (snapshot, names)
    before, names_before = texts[BEFORE]
    after, names_after = texts[AFTER]
    assert before.province.name == "Tỉnh Đồng Nai" and after.province.name == "Thành phố Đồng Nai"
    assert before.office.parent_agency == "Ủy ban nhân dân tỉnh Đồng Nai"
    assert after.office.parent_agency == "Ủy ban nhân dân thành phố Đồng Nai"
    assert before.office.office_name == "Sở Y tế tỉnh Đồng Nai"
    assert (names_before["25270"], names_after["25270"]) == ("Xã Lộc Ninh", "Phường Lộc Ninh")
    assert len(names_before) == len(names_after) == 96  # the same 95 communes, renamed, and the province
    renamed = {code for code in names_before if names_before[code] != names_after[code]}
    assert len(renamed) == 10

    for day, expected, gone in (
        (BEFORE, "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", "THÀNH PHỐ ĐỒNG NAI"),
        (AFTER, "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐỒNG NAI", "TỈNH ĐỒNG NAI"),
    ):
        out = tmp_path / f"{day}.pdf"
        context.reports.pdf("2025", out, on=day)
        reader = PdfReader(out)
        first = reader.pages[0].extract_text()
        assert expected in " ".join(first.split())
        assert gone not in " ".join(first.split())
        assert f"Đồng Nai, ngày {day.day} tháng {day.month} năm 2026" in " ".join(first.split())
        every = " ".join(page.extract_text() for page in reader.pages)
        assert ("Phường Lộc Ninh" in every) == (day == AFTER)


def test_a_typed_office_name_is_kept_whatever_the_date(office):
    context = office("75")
    context.periods.create("2025")
    profile = context.setup.info(counts=False).profile
    context.setup.update_profile(
        ProfileInput(
            **profile.model_dump(include=set(ProfileInput.model_fields)) | {"office_name": "Sở Y tế"}
        )
    )
    assert _snapshots(context).take("2025", on=BEFORE).office.office_name == "Sở Y tế"
    assert _snapshots(context).take("2025", on=BEFORE).office.place_name == "Đồng Nai"


def test_the_header_of_ho_chi_minh_city_breaks_before_its_name(office, tmp_path):
    context = office("79")
    context.periods.create("2025")
    out = tmp_path / "hcm.pdf"
    context.reports.pdf("2025", out, on=dt.date(2026, 1, 5))
    lines = [line.strip() for line in PdfReader(out).pages[0].extract_text().splitlines()]
    assert "THÀNH PHỐ HỒ CHÍ MINH" in lines  # never "… THÀNH PHỐ HỒ" / "CHÍ MINH"
    assert not any(line.endswith(("HỒ", "HỒ CHÍ")) for line in lines)
    assert "Thành phố Hồ Chí Minh," in " ".join(lines)


def test_a_newer_commune_list_changes_only_what_it_holds(office, tmp_path):
    context = office("46")
    path = tmp_path / "xa-moi.csv"
    path.write_text("code,name,kind,valid_from\n19753,Phường Phú Xuân Mới,phường,2027-01-01\n", "utf-8")
    dry = context.catalog.import_file(path, kind="communes", dry_run=True)
    assert (dry.counts.added, dry.counts.changed) == (1, 0)
    assert _communes(context) == 40
    context.catalog.import_file(path, kind="communes")
    context.periods.create("2025")
    names = lambda day: {a.code: a.name for a in _snapshots(context).take("2025", on=day).areas}  # noqa: E731
    assert names(dt.date(2026, 12, 31))["19753"] == "Phường Phú Xuân"
    assert names(dt.date(2027, 1, 1))["19753"] == "Phường Phú Xuân Mới"
    assert {k: v for k, v in names(dt.date(2027, 1, 1)).items() if k != "19753"} == {
        k: v for k, v in names(dt.date(2026, 12, 31)).items() if k != "19753"
    }
    assert _communes(context) == 40


def test_all_24_npa_indicators_with_targets_and_their_sources(office):
    context = office("46")
    with UnitOfWork(context.database, context.actor) as uow:
        npa = [
            i
            for i in uow.session.scalars(select(IndicatorRecord))
            if i.set_id == uow.session.scalar(select(IndicatorRecord.set_id).filter_by(code="CT01"))
            and i.measure != "count"  # the counts rates are made of are not indicators of the NPA
        ]
        numbers = {int(i.source.split("Chỉ tiêu ")[1].split()[0]) for i in npa}
        assert numbers == set(range(1, 25))
        by_code = {i.code: i for i in npa}
        assert "NGHI VẤN" in by_code["PT01"].source
        assert "CHỈ MỘT NGUỒN" in by_code["TG03"].source
        targets = {
            (t.year, t.comparator, t.value)
            for t in uow.session.scalars(
                select(IndicatorTargetRecord).filter_by(indicator_id=by_code["TV02"].id)
            )
        }
        assert targets == {(2025, "<=", 12.5), (2030, "<=", 10.0)}


def test_the_province_sets_its_own_target_by_catalog_import(office, tmp_path):
    context = office("46")
    path = tmp_path / "chi-tieu-tinh.csv"
    path.write_text("set,code,year,comparator,value\nNPA_2021_2030,CT01,2030,>=,80\n", "utf-8")
    assert context.catalog.import_file(path).counts.added == 1
    context.periods.create("2030")
    indicator = next(i for i in _snapshots(context).take("2030").indicators if i.code == "CT01")
    assert {(t.level, t.value) for t in indicator.targets if t.year == 2030} == {
        ("national", 75.0),
        ("provincial", 80.0),
    }
    path.write_text("set,code,year,value\nNPA_2021_2030,XX99,2030,80\n", "utf-8")
    with pytest.raises(InputRefused) as refused:
        context.catalog.import_file(path)
    assert [str(p) for p in refused.value.problems] == [
        "Row 2: there is no indicator XX99 in set NPA_2021_2030."
    ]


def test_agencies_take_the_city_forms_and_nothing_is_invented(office):
    def names(context):
        with UnitOfWork(context.database, context.actor) as uow:
            return set(uow.session.scalars(select(AgencyRecord.name)))

    hcm, khanh_hoa = names(office("79")), names(office("56"))
    assert {"Thành đoàn", "Công an thành phố", "Văn phòng Ủy ban nhân dân thành phố"} <= hcm
    assert "Sở Quy hoạch - Kiến trúc" in hcm
    assert {"Tỉnh đoàn", "Công an tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "Sở Y tế"} <= khanh_hoa
    assert "Sở Quy hoạch - Kiến trúc" not in khanh_hoa
    assert not {"Sở Ngoại vụ", "Sở Du lịch", "Sở Dân tộc và Tôn giáo"} & (hcm | khanh_hoa)
    assert len(khanh_hoa) == 22


def test_the_shipped_catalogues_match_the_reference_counts():
    from crc_desktop.core.services.catalog import shipped_catalog

    data = json.loads(shipped_catalog("communes.json").read_text("utf-8"))
    first = [e for e in data["entries"] if e["valid_from"] == "2025-07-01"]
    assert len(first) == 3321
    assert {k: sum(1 for e in first if e["kind"] == k) for k in ("xã", "phường", "đặc khu")} == {
        "xã": 2621,
        "phường": 687,
        "đặc khu": 13,
    }


def test_a_commune_renamed_later_keeps_its_earlier_name_for_earlier_dates(demo_db, tmp_path):
    """Communes made before names were dated (the demo's) keep their name up to the change."""
    snapshots = _snapshots(demo_db)
    area = next(a for a in snapshots.take("2025").areas if a.level == "commune")
    path = tmp_path / "doi-ten.csv"
    path.write_text(f"code,name,valid_from\n{area.code},Phường Mới Đặt Tên,2027-01-01\n", "utf-8")
    demo_db.catalog.import_file(path, kind="communes")
    names = {
        day: {a.code: a.name for a in snapshots.take("2025", on=day).areas}
        for day in (BEFORE, AFTER.replace(2027, 1, 1))
    }
    assert names[BEFORE][area.code] == area.name
    assert names[dt.date(2027, 1, 1)][area.code] == "Phường Mới Đặt Tên"


def test_the_province_sets_its_own_targets_one_by_one(office):
    from crc_desktop.core.i18n import Translator
    from crc_desktop.core.schemas.targets import ProvincialTarget, Target

    context = office("46")
    assert context.targets.years() == [2025, 2030]
    rows = {row.code: row for row in context.targets.rows(2030)}
    assert rows["TV02"].national == Target(comparator="<=", value=10.0) and rows["TV02"].provincial is None
    comparator, value = Translator("vi").read_target("≤ 9,5")
    change = ProvincialTarget(
        indicator_id=rows["TV02"].indicator_id, year=2030, target=Target(comparator=comparator, value=value)
    )
    assert context.targets.set_provincial([change]).count == 1
    assert context.targets.set_provincial([change]).count == 0  # the same again changes nothing
    assert context.targets.rows(2030)[
        [r.code for r in context.targets.rows(2030)].index("TV02")
    ].provincial == (Target(comparator="<=", value=9.5))
    removed = change.model_copy(update={"target": None})
    assert context.targets.set_provincial([removed]).count == 1
    assert {r.code: r for r in context.targets.rows(2030)}["TV02"].provincial is None
