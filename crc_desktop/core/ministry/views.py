"""National views of a period over the current bundles: who submitted, indicators by province
against national targets, recommendation coverage, budget by task group; and the national
workbook."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Integer, cast, func, select

from crc_desktop.core.catalog_files import read_catalog
from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    NationalBundleRecord,
    NationalIndicatorRecord,
    NationalRecommendationRecord,
    NationalTaskRecord,
    NationalValueRecord,
    RefusedBundleRecord,
)
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.files import write_atomically
from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.rollup import COMPUTED, ratio
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.values import TargetValue
from crc_desktop.core.services.catalog import shipped_catalog


class Submission(Frozen):
    province_code: str
    province_name: str
    submitted: bool
    sequence: int | None = None
    signed_at: dt.datetime | None = None
    late: bool = False
    refused: list[str] = []


class IndicatorRow(Frozen):
    key: str
    code: str
    name: str
    unit: str
    by_province: dict[str, float | None]
    national: float | None
    target: TargetValue | None
    # how the national figure is made: a ratio or share is Σ numerators / Σ denominators over the
    # provinces whose bundles carry both (`counted` of `expected`); a count is the sum; an
    # entered rate has none (shown per province, never averaged)
    measure: str = "entered"
    numerator: float | None = None
    denominator: float | None = None
    factor: float | None = None
    counted: int = 0
    expected: int = 0
    # the share of the denominator the counted provinces cover (%): of the country's total when
    # every province sent its denominator (`of_country`), else of the denominators the
    # `known` provinces sent (the country's total is then not known)
    denominator_name: str = ""
    covered: float | None = None
    known: int = 0
    of_country: bool = False


class CoverageRow(Frozen):
    key: str
    urgent: bool
    provinces: int


class BudgetRow(Frozen):
    group: int
    planned: int
    allocated: int
    spent: int


def national_basis(row: IndicatorRow, tr: Translator) -> str:
    """How the country's figure of `row` is made, with its coverage, in the reader's words."""
    if row.measure in COMPUTED:
        if row.national is None:
            return tr("No province sent its numerator and denominator")
        made = tr(
            "= {numerator} / {denominator} × {factor}, from {counted}/{expected} provinces",
            numerator=tr.exact(row.numerator),
            denominator=tr.exact(row.denominator),
            factor=tr.exact(row.factor),
            counted=row.counted,
            expected=row.expected,
        )
        share = denominator_share(row, tr)
        return f"{made}; {share}" if share else made
    if row.national is not None:
        return tr("Sum over {counted}/{expected} provinces", counted=row.counted, expected=row.expected)
    return tr("Entered by each province; never averaged")


def national_coverage(row: IndicatorRow, tr: Translator) -> str:
    """On what the country's figure rests: "17/34 tỉnh, thành phố; 61 % trẻ em dưới 5 tuổi"."""
    counted = tr("{counted}/{expected} provinces", counted=row.counted, expected=row.expected)
    share = denominator_share(row, tr)
    return f"{counted}; {share}" if share else counted


def denominator_share(row: IndicatorRow, tr: Translator) -> str:
    """The share of the denominator the counted provinces cover, said honestly: of the country's
    total only when every province sent its denominator; else of what the provinces sent."""
    if row.covered is None or not row.denominator_name:
        return ""
    what = row.denominator_name[:1].lower() + row.denominator_name[1:]
    # the sign kept with its number (no break between them), and apart from the msgid: "% of"
    # reads as a printf format to the catalogue tools
    share = tr.number(row.covered, 0) + "\u00a0%"
    if row.of_country:
        return tr("{share} of {what}", share=share, what=what)
    return tr(
        "{share} of {what} sent by {known} provinces (the country's total is not known)",
        share=share,
        what=what,
        known=row.known,
    )


def provinces(on: dt.date | None = None) -> list[tuple[str, str]]:
    """(code, name) of the provincial units on `on` (today by default), each once."""
    day = (on or dt.date.today()).isoformat()
    raw = read_catalog(shipped_catalog("provinces.json"))
    return [
        (row["code"], row["name"])
        for _number, row in raw.rows
        if str(row["valid_from"]) <= day and (row.get("valid_to") is None or day <= str(row["valid_to"]))
    ]


class NationalViews:
    def __init__(self, store: Database, actor: Actor) -> None:
        self._store = store
        self._actor = actor

    def _current(self, session, period: str) -> list[NationalBundleRecord]:
        return list(
            session.scalars(
                select(NationalBundleRecord)
                .filter_by(period=period, current=True)
                .order_by(NationalBundleRecord.province_code)
            )
        )

    def submissions(self, period: str, due: dt.date | None = None) -> list[Submission]:
        with UnitOfWork(self._store, self._actor) as uow:
            bundles = {
                b.province_code: (b.sequence, b.created_at) for b in self._current(uow.session, period)
            }
            refused = defaultdict(list)
            for record in uow.session.scalars(select(RefusedBundleRecord).filter_by(period=period)):
                refused[record.province_code].append(f"{record.file_name}: {record.reason}")
        result = []
        for code, name in provinces():
            sequence, signed_at = bundles.get(code, (None, None))
            result.append(
                Submission(
                    province_code=code,
                    province_name=name,
                    submitted=sequence is not None,
                    sequence=sequence,
                    signed_at=signed_at,
                    late=bool(signed_at and due and signed_at.date() > due),
                    refused=refused.get(code, []),
                )
            )
        return result

    def indicators(self, period: str) -> list[IndicatorRow]:
        year = int(period[:4])
        with UnitOfWork(self._store, self._actor) as uow:
            session = uow.session
            bundles = {b.id: b.province_code for b in self._current(session, period)}
            if not bundles:
                return []
            definitions: dict[str, tuple] = {}
            for record in session.scalars(
                select(NationalIndicatorRecord).where(NationalIndicatorRecord.bundle_id.in_(bundles))
            ):
                definitions.setdefault(
                    record.key,
                    (
                        record.code,
                        record.name,
                        record.unit,
                        record.value_type,
                        record.targets,
                        record.measure,
                        record.denominator,
                    ),
                )
            totals: dict[str, dict[str, float | None]] = defaultdict(dict)
            parts: dict[str, dict[str, tuple]] = defaultdict(dict)
            bottoms: dict[str, dict[str, float]] = defaultdict(dict)  # a ratio's denominator by province
            for bundle_id, key, number, top, bottom, factor in session.execute(
                select(
                    NationalValueRecord.bundle_id,
                    NationalValueRecord.indicator_key,
                    NationalValueRecord.number,
                    NationalValueRecord.numerator,
                    NationalValueRecord.denominator,
                    NationalIndicatorRecord.factor,
                )
                .join(
                    NationalIndicatorRecord,
                    (NationalIndicatorRecord.bundle_id == NationalValueRecord.bundle_id)
                    & (NationalIndicatorRecord.key == NationalValueRecord.indicator_key),
                )
                .where(
                    NationalValueRecord.bundle_id.in_(bundles),
                    NationalValueRecord.cell_key == "total",
                    NationalValueRecord.area_level == "province",
                )
            ):
                totals[key][bundles[bundle_id]] = number
                if top is not None and bottom is not None:
                    parts[key][bundles[bundle_id]] = (top, bottom, factor or 1.0)
                if bottom is not None:
                    bottoms[key][bundles[bundle_id]] = bottom
        expected = len(provinces(dt.date(year, 12, 31)))
        rows = []
        for key, (code, name, unit, value_type, targets, measure, below) in definitions.items():
            numbers = [n for n in totals.get(key, {}).values() if n is not None]
            national, top, bottom, factor, counted = None, None, None, None, len(numbers)
            share: dict = {}
            if measure in COMPUTED:
                given = list(parts.get(key, {}).values())
                counted = len(given)
                if given:
                    top, bottom = sum(p[0] for p in given), sum(p[1] for p in given)
                    factor = given[0][2]
                    national = ratio(top, bottom, factor)
                    share = _denominator_share(
                        bottom, bottoms.get(key, {}), totals.get(below, {}), expected, definitions.get(below)
                    )
            elif numbers and (measure == "count" or value_type == "integer"):
                national = sum(numbers)
            target = next((t for t in targets if t["year"] == year and t["level"] == "national"), None)
            goal = TargetValue(comparator=target["comparator"], value=target["value"]) if target else None
            rows.append(
                IndicatorRow(
                    key=key,
                    code=code,
                    name=name,
                    unit=unit,
                    by_province=totals.get(key, {}),
                    national=national,
                    target=goal,
                    measure=measure,
                    numerator=top,
                    denominator=bottom,
                    factor=factor,
                    counted=counted,
                    expected=expected,
                    **share,
                )
            )
        return rows

    def coverage(self, period: str) -> list[CoverageRow]:
        with UnitOfWork(self._store, self._actor) as uow:
            session = uow.session
            ids = [b.id for b in self._current(session, period)]
            rows = session.execute(
                select(
                    NationalRecommendationRecord.key,
                    func.max(
                        cast(NationalRecommendationRecord.urgent, Integer)
                    ),  # no max(boolean) in PostgreSQL
                    func.sum(cast(NationalRecommendationRecord.covered, Integer)),
                )
                .where(NationalRecommendationRecord.bundle_id.in_(ids))
                .group_by(NationalRecommendationRecord.key)
                .order_by(NationalRecommendationRecord.key)
            ).all()
        return [
            CoverageRow(key=key, urgent=bool(urgent), provinces=int(count or 0))
            for key, urgent, count in rows
        ]

    def budget(self, period: str) -> list[BudgetRow]:
        with UnitOfWork(self._store, self._actor) as uow:
            session = uow.session
            ids = [b.id for b in self._current(session, period)]
            rows = session.execute(
                select(
                    NationalTaskRecord.task_group,
                    func.sum(NationalTaskRecord.planned),
                    func.sum(NationalTaskRecord.allocated),
                    func.sum(NationalTaskRecord.spent),
                )
                .where(NationalTaskRecord.bundle_id.in_(ids))
                .group_by(NationalTaskRecord.task_group)
                .order_by(NationalTaskRecord.task_group)
            ).all()
        return [
            BudgetRow(group=g, planned=int(p or 0), allocated=int(a or 0), spent=int(s or 0))
            for g, p, a, s in rows
        ]

    def workbook(self, period: str, out: Path, due: dt.date | None = None) -> Path:
        """The national workbook of a period (Vietnamese headers), written atomically."""
        submissions, indicators = self.submissions(period, due), self.indicators(period)
        coverage, budget = self.coverage(period), self.budget(period)
        write_atomically(
            Path(out),
            lambda stream: _write_workbook(period, submissions, indicators, coverage, budget, stream),
        )
        return Path(out)

    def report(
        self,
        period: str,
        out: Path,
        due: dt.date | None = None,
        on: dt.date | None = None,
        signer=None,
        **heading: str,
    ) -> Path:
        """The national summary PDF of a period, written atomically; `signer` (reporting.pdf.Signer)
        fills its signature block; `heading`: number, symbol and to (Kính gửi)."""
        from crc_desktop.core.reporting.national_pdf import write_national_report

        data = (
            self.submissions(period, due),
            self.indicators(period),
            self.coverage(period),
            self.budget(period),
        )
        write_atomically(
            Path(out),
            lambda stream: write_national_report(period, *data, stream, on=on, signer=signer, **heading),
        )
        return Path(out)


def _denominator_share(
    covered: float, sent: dict[str, float], own: dict[str, float | None], expected: int, definition
) -> dict:
    """The share of the denominator that the counted provinces (Σ `covered`) cover: the
    denominator each province sent, with its ratio (`sent`) or as the count of its own (`own`)."""
    if definition is None:
        return {}
    known = {**{p: n for p, n in own.items() if n is not None}, **sent}
    base = sum(known.values())
    if not base:
        return {}
    return {
        "denominator_name": definition[1],
        "covered": covered / base * 100,
        "known": len(known),
        "of_country": len(known) >= expected,
    }


def _write_workbook(period, submissions, indicators, coverage, budget, stream: BinaryIO) -> None:
    from openpyxl import Workbook

    from crc_desktop.core.reporting.excel import _table
    from crc_desktop.core.reporting.print_setup import page_header

    vi = Translator("vi")  # the national workbook is in Vietnamese, as the report
    header = page_header(vi("The whole country"), period, vi)
    book = Workbook()
    sheet = book.active
    sheet.title = "Nộp báo cáo"
    _table(
        sheet,
        ["Mã tỉnh", "Tỉnh, thành phố", "Đã nộp", "Phiên bản", "Thời điểm ký", "Nộp muộn", "Gói bị từ chối"],
        [
            [
                s.province_code,
                s.province_name,
                "Có" if s.submitted else "Chưa",
                s.sequence,
                s.signed_at,
                "Có" if s.late else "",
                "; ".join(s.refused),
            ]
            for s in submissions
        ],
        [8, 28, 10, 10, 18, 10, 60],
        header=header,
        labels=2,
    )
    codes = [s.province_code for s in submissions]
    sheet = book.create_sheet("Chỉ tiêu theo tỉnh")
    _table(
        sheet,
        ["Mã", "Chỉ tiêu", "Đơn vị", "Chỉ tiêu quốc gia", "Cả nước", "Cách tính cả nước"] + codes,
        [
            [i.code, i.name, i.unit, vi.target(i.target.comparator, i.target.value) if i.target else ""]
            + [i.national, national_basis(i, vi)]
            + [i.by_province.get(c) for c in codes]
            for i in indicators
        ],
        [9, 40, 10, 14, 12, 30] + [9] * len(codes),
        header=header,
        labels=2,
    )
    sheet = book.create_sheet("Khuyến nghị")
    _table(
        sheet,
        ["Khuyến nghị", "Khẩn cấp", "Số tỉnh có nhiệm vụ", "Chưa tỉnh nào đáp ứng"],
        [[c.key, "Có" if c.urgent else "", c.provinces, "Có" if c.provinces == 0 else ""] for c in coverage],
        [30, 10, 18, 20],
        header=header,
    )
    sheet = book.create_sheet("Kinh phí theo nhóm")
    _table(
        sheet,
        ["Nhóm nhiệm vụ", f"Kế hoạch {period[:4]} (đồng)", "Được giao (đồng)", "Đã chi (đồng)"],
        [[b.group, b.planned, b.allocated, b.spent] for b in budget],
        [14, 22, 22, 22],
        header=header,
    )
    book.save(stream)
