"""A realistic, deterministic demo province at two scales (`small` for tests, `large` for the
benchmarks in docs/benchmarks.md).

Everything made here is marked as demo data: the database's `demo` flag, a demo indicator
set and recommendation document whose names say so, and `source` fields reading "demo".
The shipped (real) catalogues are loaded as in any new database.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import insert, select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    AgencyRecord,
    AreaRecord,
    BudgetLineRecord,
    IndicatorCellRecord,
    IndicatorRecord,
    IndicatorSetRecord,
    IndicatorTargetRecord,
    IndicatorValueRecord,
    MilestoneRecord,
    OfficeProfileRecord,
    PlanTaskRecord,
    ProgressUpdateRecord,
    RecommendationClusterRecord,
    RecommendationDocumentRecord,
    RecommendationRecord,
    ReportingPeriodRecord,
    TaskCoordinatingAgencyRecord,
    TaskGroupRecord,
    TaskRecommendationRecord,
    ValidationRuleRecord,
)
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.rules.periods import PeriodCode
from crc_desktop.core.schemas.office import DatabaseInfo
from crc_desktop.core.services.catalog import cell_specs, shipped_dimensions
from crc_desktop.core.services.setup import SetupService

DEMO_SOURCE = "demo"
DEMO_PROVINCE = "46"


@dataclass(frozen=True)
class DemoScale:
    communes: int
    indicators: int
    periods: int
    recommendations: int
    tasks: int


SCALES = {
    "small": DemoScale(communes=20, indicators=40, periods=2, recommendations=40, tasks=30),
    "large": DemoScale(communes=150, indicators=200, periods=5, recommendations=120, tasks=150),
}
LAST_YEAR = 2025

_PLACE_PARTS = (
    "An",
    "Bình",
    "Hòa",
    "Phú",
    "Thạnh",
    "Tân",
    "Long",
    "Hưng",
    "Phước",
    "Lộc",
    "Thủy",
    "Vinh",
    "Hương",
    "Quảng",
    "Điền",
    "Hải",
    "Sơn",
    "Thuận",
    "Xuân",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Mỹ",
    "Trà",
    "Lăng",
    "Cô",
    "Dương",
    "Thượng",
    "Đức",
)
_AGENCIES = (
    ("SYT", "Sở Y tế", "Y tế"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Giáo dục"),
    ("STP", "Sở Tư pháp", "Tư pháp"),
    ("SNV", "Sở Nội vụ", "Nội vụ"),
    ("STC", "Sở Tài chính", "Tài chính"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Văn hóa"),
    ("CA", "Công an tỉnh", "Công an"),
    ("DTN", "Tỉnh đoàn", "Đoàn TN"),
    ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", "Hội Phụ nữ"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "KH&CN"),
)
_TASK_VERBS = (
    "Rà soát, đề xuất sửa đổi",
    "Tổ chức tập huấn về",
    "Truyền thông nâng cao nhận thức về",
    "Xây dựng mô hình",
    "Kiểm tra việc thực hiện",
    "Nâng cao chất lượng dịch vụ",
    "Hỗ trợ",
    "Phối hợp liên ngành về",
)
_TASK_TOPICS = (
    "phòng, chống xâm hại trẻ em",
    "quyền tham gia của trẻ em",
    "chăm sóc trẻ em có hoàn cảnh đặc biệt",
    "đăng ký khai sinh cho trẻ em",
    "phòng, chống đuối nước trẻ em",
    "an toàn cho trẻ em trên môi trường mạng",
    "dinh dưỡng cho trẻ em dưới 5 tuổi",
    "giáo dục hòa nhập cho trẻ em khuyết tật",
    "phòng, chống tảo hôn",
    "điểm vui chơi cho trẻ em ở xã, phường",
    "cơ sở dữ liệu về trẻ em",
    "tư vấn tâm lý học đường",
    "hỗ trợ trẻ em dân tộc thiểu số",
)
_OBSTACLES = (
    "Kinh phí được giao chậm.",
    "Thiếu cán bộ chuyên trách ở cấp xã.",
    "Số liệu giữa các ngành chưa thống nhất.",
    "",
)


class DemoService:
    """Builds a demo province in an empty database."""

    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def build(
        self,
        scale: str = "small",
        seed: int = 1,
        progress: Callable[[float], None] | None = None,
        province: str = DEMO_PROVINCE,
    ) -> DatabaseInfo:
        sizes = SCALES[scale]
        rng = random.Random(seed)
        report = progress or (lambda _fraction: None)
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            SetupService(self._database, self._actor).init_in(uow, province, demo=True)
            _demo_signer(uow.session.get(OfficeProfileRecord, 1))
            builder = _Builder(uow, rng, sizes)
            builder.reference()
            report(0.1)
            builder.plan()
            report(0.2)
            builder.values(lambda f: report(0.2 + 0.8 * f))
            uow.audit("demo.build", "database", scale, new={"scale": scale, "seed": seed})
            uow.commit()
        return SetupService(self._database, self._actor).info()


def _demo_signer(profile: OfficeProfileRecord) -> None:
    """A deputy signing for the head, so that the demo report shows the whole signature block."""
    profile.signer_name = "Nguyễn Văn An"
    profile.signer_title = "Phó Giám đốc"
    profile.signing_for = "Giám đốc"
    profile.recipients = "Bộ Y tế (Cục Bà mẹ và Trẻ em)\nỦy ban nhân dân tỉnh, thành phố\nLưu: VT"


class _Builder:
    def __init__(self, uow: UnitOfWork, rng: random.Random, sizes: DemoScale) -> None:
        self.session = uow.session
        self.rng = rng
        self.sizes = sizes
        self.periods: list[ReportingPeriodRecord] = []

    def reference(self) -> None:
        session, rng = self.session, self.rng
        province = session.scalar(select(AreaRecord).filter_by(level="province"))
        names: set[str] = set()
        while len(names) < self.sizes.communes:
            names.add(f"{rng.choice(_PLACE_PARTS)} {rng.choice(_PLACE_PARTS)}")
        for number, name in enumerate(sorted(names), start=1):
            kind = "Phường" if number % 4 == 0 else "Xã"
            session.add(
                AreaRecord(
                    code=f"9{number:04d}",
                    name=f"{kind} {name}",
                    level="commune",
                    kind=kind.lower(),
                    parent_id=province.id,
                    valid_from=dt.date(2025, 7, 1),
                    source=DEMO_SOURCE,
                )
            )
        for code, name, short in _AGENCIES:
            session.add(AgencyRecord(code=code, name=name, short_name=short))
        first_year = LAST_YEAR - self.sizes.periods + 1
        for year in range(first_year, LAST_YEAR + 1):
            code = PeriodCode(year)
            state = "draft" if year == LAST_YEAR else "signed"
            period = ReportingPeriodRecord(
                code=str(code),
                starts_on=code.starts_on,
                ends_on=code.ends_on,
                state=state,
            )
            session.add(period)
            self.periods.append(period)
        self._recommendations()
        self._indicators()
        session.flush()

    def _recommendations(self) -> None:
        session, rng = self.session, self.rng
        document = RecommendationDocumentRecord(
            symbol="DEMO-CO",
            title="Khuyến nghị mẫu (dữ liệu mẫu, không phải văn bản của Ủy ban)",
            source=DEMO_SOURCE,
        )
        session.add(document)
        session.flush()
        clusters = []
        for order, title in enumerate(
            (
                "Các biện pháp chung",
                "Nguyên tắc chung",
                "Quyền dân sự",
                "Bạo lực đối với trẻ em",
                "Môi trường gia đình",
                "Sức khỏe",
                "Giáo dục",
                "Bảo vệ đặc biệt",
            ),
            start=1,
        ):
            cluster = RecommendationClusterRecord(
                document_id=document.id,
                code=chr(64 + order),
                title=f"{title} (mẫu)",
                sort_order=order,
            )
            session.add(cluster)
            clusters.append(cluster)
        session.flush()
        per_cluster = max(1, self.sizes.recommendations // len(clusters))
        for index in range(self.sizes.recommendations):
            cluster = clusters[min(index // per_cluster, len(clusters) - 1)]
            topic = rng.choice(_TASK_TOPICS)
            session.add(
                RecommendationRecord(
                    document_id=document.id,
                    cluster_id=cluster.id,
                    paragraph=5 + index,
                    sub="",
                    title=topic[0].upper() + topic[1:],
                    text=f"Ủy ban khuyến nghị Nhà nước thành viên tăng cường {topic}. (dữ liệu mẫu)",
                    urgent=index % 17 == 0,
                    source=DEMO_SOURCE,
                )
            )

    def _indicators(self) -> None:
        session, rng = self.session, self.rng
        demo_set = IndicatorSetRecord(code="DEMO", name="Bộ chỉ tiêu mẫu (dữ liệu mẫu)", source=DEMO_SOURCE)
        session.add(demo_set)
        session.flush()
        dimensions = shipped_dimensions()
        shipped = session.scalar(select(IndicatorRecord.id).limit(1)) is not None
        existing = len(session.scalars(select(IndicatorRecord.id)).all()) if shipped else 0
        for number in range(1, self.sizes.indicators - existing + 1):
            value_type = rng.choice(("integer", "integer", "percentage", "decimal"))
            dims = ["sex"] if number % 2 else ["sex", "urban_rural"]
            indicator = IndicatorRecord(
                set_id=demo_set.id,
                annex="Mẫu",
                code=f"D{number:03d}",
                code_is_official=False,
                group_name=rng.choice(("Bảo vệ trẻ em", "Giáo dục trẻ em", "Sức khỏe, dinh dưỡng trẻ em")),
                name=f"Chỉ tiêu mẫu {number}: {rng.choice(_TASK_TOPICS)}",
                unit="%" if value_type == "percentage" else ("trẻ em" if value_type == "integer" else "‰"),
                value_type=value_type,
                dimensions=dims,
                period_kind="Năm",
                sort_order=1000 + number,
                source=DEMO_SOURCE,
            )
            session.add(indicator)
            session.flush()
            for order, (key, label, is_total) in enumerate(cell_specs(dims, dimensions)):
                indicator.cells.append(
                    IndicatorCellRecord(key=key, label=label, is_total=is_total, sort_order=order)
                )
            session.add(
                ValidationRuleRecord(
                    indicator_id=indicator.id, kind="change", params={"percent": 50}, severity="warning"
                )
            )
            if value_type == "integer":
                session.add(
                    ValidationRuleRecord(
                        indicator_id=indicator.id, kind="cells_sum", params={}, severity="error"
                    )
                )
            if value_type == "percentage":
                session.add(
                    IndicatorTargetRecord(
                        indicator_id=indicator.id,
                        year=LAST_YEAR,
                        level="provincial",
                        comparator=">=",
                        value=round(rng.uniform(60, 95), 1),
                        source=DEMO_SOURCE,
                    )
                )

    def plan(self) -> None:
        session, rng = self.session, self.rng
        groups = session.scalars(select(TaskGroupRecord).order_by(TaskGroupRecord.number)).all()
        agencies = session.scalars(select(AgencyRecord).order_by(AgencyRecord.id)).all()
        recommendations = session.scalars(select(RecommendationRecord.id)).all()
        stamp = dt.datetime(LAST_YEAR, 12, 1, 9, 0)
        first_year = self.periods[0].starts_on.year
        for number in range(1, self.sizes.tasks + 1):
            group = groups[(number - 1) % len(groups)]
            lead = rng.choice(agencies)
            start = dt.date(first_year + rng.randrange(self.sizes.periods), 1, 1)
            task = PlanTaskRecord(
                code=f"NV-{number:03d}",
                group_id=group.id,
                title=f"{rng.choice(_TASK_VERBS)} {rng.choice(_TASK_TOPICS)}",
                description="Nhiệm vụ trong kế hoạch mẫu của tỉnh (dữ liệu mẫu).",
                lead_agency_id=lead.id,
                start_on=start,
                end_on=dt.date(2030, 12, 31),
                status=rng.choice(("in_progress", "in_progress", "not_started", "completed", "delayed")),
                updated_at=stamp,
            )
            session.add(task)
            session.flush()
            for rec_id in rng.sample(recommendations, k=rng.randint(1, 3)):
                session.add(TaskRecommendationRecord(task_id=task.id, recommendation_id=rec_id))
            for agency in rng.sample([a for a in agencies if a.id != lead.id], k=rng.randint(1, 3)):
                session.add(TaskCoordinatingAgencyRecord(task_id=task.id, agency_id=agency.id))
            for months in (6, 18):
                due = dt.date(start.year + months // 12, 1 + (months % 12), 30 if months % 12 != 2 else 28)
                done = due if rng.random() < 0.6 and due.year < LAST_YEAR else None
                session.add(
                    MilestoneRecord(
                        task_id=task.id,
                        title=f"Hoàn thành giai đoạn {months // 12 + 1}",
                        due_on=due,
                        done_on=done,
                    )
                )
            for period in self.periods:
                year = period.starts_on.year
                if year < start.year:
                    continue
                planned = rng.randrange(50, 2000) * 1_000_000
                allocated = int(planned * rng.uniform(0.6, 1.0))
                session.add(
                    BudgetLineRecord(
                        task_id=task.id,
                        fiscal_year=year,
                        source=rng.choice(("state_budget", "state_budget", "oda", "social")),
                        planned=planned,
                        allocated=allocated,
                        spent=int(allocated * rng.uniform(0.3, 1.0)),
                    )
                )
                if period.state == "draft" and rng.random() < 0.2:
                    continue  # a few tasks still lack this period's update
                percent = min(100, 20 * (year - start.year + 1) + rng.randrange(0, 20))
                session.add(
                    ProgressUpdateRecord(
                        task_id=task.id,
                        period_id=period.id,
                        status="completed" if percent >= 100 else "in_progress",
                        percent_done=percent,
                        done_text=(
                            f"Đã triển khai tại {rng.randint(3, 20)} xã, phường; "
                            f"{rng.randint(50, 900)} lượt người tham gia."
                        ),
                        obstacles=rng.choice(_OBSTACLES),
                        proposals="Đề nghị bố trí kinh phí kịp thời.",
                        updated_at=dt.datetime(year, 12, 20, 10, 0),
                        updated_by="demo",
                    )
                )

    def values(self, progress: Callable[[float], None]) -> None:
        session, rng = self.session, self.rng
        indicators = session.scalars(select(IndicatorRecord).order_by(IndicatorRecord.sort_order)).all()
        areas = session.scalars(select(AreaRecord).order_by(AreaRecord.level.desc(), AreaRecord.code)).all()
        communes = [a for a in areas if a.level == "commune"]
        province = next(a for a in areas if a.level == "province")
        # Each indicator has its own level and each commune its own size, stable across years,
        # so that a change against the previous period stands out only where it should.
        bases = {
            i.id: rng.uniform(40, 95) if i.value_type == "percentage" else rng.uniform(5, 400)
            for i in indicators
        }
        sizes = {(i.id, a.id): rng.uniform(0.8, 1.2) for i in indicators for a in communes}
        # One outlier in the period being filled in, whatever the seed, for the check to find.
        watched = set(session.scalars(select(ValidationRuleRecord.indicator_id).filter_by(kind="change")))
        outlier = next(
            ((i.id, communes[0].id) for i in indicators if i.id in watched and i.value_type != "percentage"),
            None,
        )
        for index, period in enumerate(self.periods):
            rows: list[dict] = []
            growth = 1 + 0.03 * index
            stamp = dt.datetime.combine(period.ends_on, dt.time(16, 0))
            for indicator in indicators:
                commune_rows: list[dict] = []
                for commune in communes:
                    level = bases[indicator.id] * growth * sizes[(indicator.id, commune.id)]
                    forced = period.state == "draft" and (indicator.id, commune.id) == outlier
                    commune_rows += self._area_rows(indicator, period, commune, level, stamp, forced)
                rows += commune_rows + _province_rows(indicator, province, commune_rows)
            session.execute(insert(IndicatorValueRecord), rows)
            progress((index + 1) / len(self.periods))

    def _area_rows(self, indicator, period, area, level: float, stamp, outlier: bool = False) -> list[dict]:
        rng = self.rng
        draft = period.state == "draft"
        if draft and not outlier and rng.random() < 0.04:
            return []  # gaps in the period being filled in
        total = level * rng.uniform(0.95, 1.05)
        if outlier or rng.random() < 0.002:
            total *= 10  # an outlier someone will have to explain
        total = _rounded(indicator.value_type, total)
        remaining: dict[str, float] = {}
        rows = []
        for cell in indicator.cells:
            dimension = cell.key.split("=")[0]
            if cell.is_total:
                value = total
            elif indicator.value_type == "percentage":
                value = _rounded("percentage", total * rng.uniform(0.95, 1.05))
            elif dimension in remaining:  # the second category: what the first left
                value = remaining.pop(dimension)
            else:
                value = _rounded(indicator.value_type, total * rng.uniform(0.45, 0.55))
                remaining[dimension] = round(total - value, 2)
            rows.append(
                {
                    "period_id": period.id,
                    "cell_id": cell.id,
                    "area_id": area.id,
                    "value_num": value,
                    "value_text": None,
                    "comment": "",
                    "follow_up": False,
                    "updated_at": stamp,
                    "updated_by": "demo",
                }
            )
        return rows


def _province_rows(indicator, province, commune_rows: list[dict]) -> list[dict]:
    """The province's values from its communes': sums of counts, means of rates."""
    by_cell: dict[int, list[float]] = {}
    for row in commune_rows:
        by_cell.setdefault(row["cell_id"], []).append(row["value_num"])
    rows = []
    for cell_id, numbers in by_cell.items():
        value = sum(numbers) if indicator.value_type == "integer" else sum(numbers) / len(numbers)
        template = next(r for r in commune_rows if r["cell_id"] == cell_id)
        rows.append(template | {"area_id": province.id, "value_num": _rounded(indicator.value_type, value)})
    return rows


def _rounded(value_type: str, value: float) -> float:
    if value_type == "integer":
        return float(round(value))
    if value_type == "percentage":
        return round(min(100.0, value), 1)
    return round(value, 2)
