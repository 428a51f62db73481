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
        """Demo indicators up to the scale's number: counts the communes report, and rates made
        of one of them over the children of the commune (never typed)."""
        session, rng = self.session, self.rng
        demo_set = IndicatorSetRecord(code="DEMO", name="Bộ chỉ tiêu mẫu (dữ liệu mẫu)", source=DEMO_SOURCE)
        session.add(demo_set)
        session.flush()
        dimensions = shipped_dimensions()
        existing = len(session.scalars(select(IndicatorRecord.id)).all())
        wanted = self.sizes.indicators - existing
        if wanted <= 0:
            return
        children = {}
        for dims in (["sex"], ["sex", "urban_rural"]):
            code = "D000" if len(dims) == 1 else "D000B"
            children[len(dims)] = code
            self._demo_indicator(
                demo_set, code, "Tổng số trẻ em (mẫu)", "integer", dims, 900, dimensions, measure="count"
            )
        last_count: dict[int, str] = {}
        for number in range(1, wanted + 1):
            value_type = rng.choice(("integer", "integer", "integer", "percentage", "decimal"))
            dims = ["sex"] if number % 2 else ["sex", "urban_rural"]
            code = f"D{number:03d}"
            if value_type == "integer" or len(dims) not in last_count:
                value_type = "integer"
                last_count[len(dims)] = code
                parts = {"measure": "count"}
            else:
                parts = {
                    "measure": "ratio",
                    "numerator": last_count[len(dims)],
                    "denominator": children[len(dims)],
                    "factor": 100.0 if value_type == "percentage" else 1000.0,
                }
            self._demo_indicator(
                demo_set,
                code,
                f"Chỉ tiêu mẫu {number}: {rng.choice(_TASK_TOPICS)}",
                value_type,
                dims,
                number,
                dimensions,
                **parts,
            )

    def _demo_indicator(self, demo_set, code, name, value_type, dims, number, dimensions, **parts) -> None:
        session, rng = self.session, self.rng
        counted = parts.get("measure") == "count"
        indicator = IndicatorRecord(
            set_id=demo_set.id,
            annex="Mẫu",
            code=code,
            code_is_official=False,
            group_name=rng.choice(("Bảo vệ trẻ em", "Giáo dục trẻ em", "Sức khỏe, dinh dưỡng trẻ em")),
            name=name,
            unit="%" if value_type == "percentage" else ("trẻ em" if value_type == "integer" else "‰"),
            value_type=value_type,
            dimensions=dims,
            period_kind="Năm",
            sort_order=1000 + number,
            source=DEMO_SOURCE,
            reported_by="communes" if counted else "",
            **parts,
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
        if counted:
            session.add(
                ValidationRuleRecord(indicator_id=indicator.id, kind="cells_sum", params={}, severity="error")
            )
        else:  # a rate's numerator never above its denominator
            ids = dict(
                session.execute(
                    select(IndicatorRecord.code, IndicatorRecord.id).where(
                        IndicatorRecord.set_id == demo_set.id,
                        IndicatorRecord.code.in_((parts["numerator"], parts["denominator"])),
                    )
                ).all()
            )
            rule = {"total_indicator": ids[parts["denominator"]]}
            known = session.scalars(
                select(ValidationRuleRecord.params).filter_by(
                    indicator_id=ids[parts["numerator"]], kind="part_le_total"
                )
            ).all()
            if rule not in known:
                session.add(
                    ValidationRuleRecord(
                        indicator_id=ids[parts["numerator"]],
                        kind="part_le_total",
                        params=rule,
                        severity="error",
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
        """Each commune's children, stable over the years; every count made from them, every
        rate's numerator from its denominator and a plausible rate (DEMO_RATES); what an agency
        reports is the sum over the province; a few deliberate problems in the current period."""
        session = self.session
        areas = session.scalars(select(AreaRecord).order_by(AreaRecord.level.desc(), AreaRecord.code)).all()
        world = DemoWorld.make(session, self.rng, [a for a in areas if a.level == "commune"])
        province = next(a for a in areas if a.level == "province")
        for index, period in enumerate(self.periods):
            stamp = dt.datetime.combine(period.ends_on, dt.time(16, 0))
            draft = period.state == "draft"
            rows = [
                {
                    "period_id": period.id,
                    "cell_id": cell,
                    "area_id": province.id if area is None else area,
                    "value_num": value,
                    "value_text": None,
                    "comment": "",
                    "follow_up": False,
                    "updated_at": stamp,
                    "updated_by": "demo",
                }
                for (cell, area), value in world.period(index, draft).items()
            ]
            session.execute(insert(IndicatorValueRecord), rows)
            progress((index + 1) / len(self.periods))


# Plausible levels of each shipped rate, in the unit of its factor (DESIGN: demo data that looks
# real); a rate not named here gets one drawn in a modest range.
DEMO_RATES = {
    "KS05": 97.6,
    "KS01": 97.4,
    "0605": 62.0,
    "TV01": 7.2,
    "TV02": 12.4,
    "TV03": 17.2,
    "AB01": 0.02,
    "HC01": 5.9,
    "HC02": 91.5,
    "TNTT01": 560.0,
    "TNTT02": 16.5,
    "TT01": 98.0,
    "MG05": 99.2,
    "CT05": 96.6,
    "CT05B": 95.1,
    "CT07": 97.3,
    "TL01": 84.0,
    "KT01": 51.0,
    "KT02": 78.0,
    "TG01": 28.0,
    "TG02": 81.0,
    "TG03": 29.5,
}
# shares of communes answering yes
DEMO_SHARES = {"CT01": 0.68, "VC01": 0.42}
# entered rates, typed at the province from a survey or a published figure
DEMO_ENTERED = {
    "DD01": 10.4,
    "DD02": 17.6,
    "DD03A": 4.6,
    "DD03B": 9.1,
    "LD01": 5.2,
    "CT02": 88.7,
    "CT06": 2.6,
    "TAH01": 2.4,
    "TH01": 97.1,
    "TH02": 0.11,
    "THCS01": 87.6,
    "THCS02": 0.15,
    "PT01": 98.9,
}
# a denominator's share of a commune's children (under 16): under 5 about 5/16, and so on
DEMO_POPULATION = {
    "TE": 1.0,
    "TV.DS": 0.062,
    "KS05.MS": 0.31,
    "KS01.MS": 0.31,
    "0605.MS": 1.0,
    "MG05.MS": 0.063,
    "CT05.MS": 0.062,
    "CT05B.MS": 0.31,
    "TG01.MS": 0.56,
    "TG03.MS": 0.31,
    "TT01.MS": 0.012,
    "CT07.MS": 0.0035,
    "TL01.MS": 0.0018,
    "KT02.MS": 0.011,
    "D000": 1.0,
    "D000B": 1.0,
    "0101": 0.0002,
}


class DemoWorld:
    """The demo province's children and what each unit would count of them."""

    def __init__(self, recipes, codes, cells, communes, children, rng) -> None:
        self.recipes, self.codes, self.cells = recipes, codes, cells
        self.communes, self.children, self.rng = communes, children, rng
        self.levels = {i: self._level(i) for i in recipes}

    @classmethod
    def make(cls, session, rng: random.Random, communes: list) -> DemoWorld:
        from crc_desktop.core.services.rollup import recipes

        made = recipes(session)
        codes = dict(session.execute(select(IndicatorRecord.id, IndicatorRecord.code)).all())
        cells = {
            i: [
                (c.id, c.key, c.is_total)
                for c in session.scalars(
                    select(IndicatorCellRecord)
                    .filter_by(indicator_id=i)
                    .order_by(IndicatorCellRecord.sort_order)
                )
            ]
            for i in made
        }
        children = {
            a.id: rng.randint(6_000, 24_000) if a.kind == "phường" else rng.randint(1_500, 9_000)
            for a in communes
        }
        return cls(made, codes, cells, [a.id for a in communes], children, rng)

    def _level(self, indicator: int) -> float:
        code = self.codes[indicator]
        recipe = self.recipes[indicator]
        if code in DEMO_RATES:
            return DEMO_RATES[code]
        if code in DEMO_ENTERED:
            return DEMO_ENTERED[code]
        if recipe.measure == "ratio":
            return self.rng.uniform(40, 95) if (recipe.factor or 100) == 100 else self.rng.uniform(5, 40)
        if recipe.measure == "entered":
            return self.rng.uniform(40, 95)
        return self.rng.uniform(0.005, 0.05)  # a count of its own: a small share of the children

    def period(self, index: int, draft: bool) -> dict[tuple[int, int | None], float]:
        """The values of one period by (cell, area); area None is the province."""
        rng = self.rng
        growth = 1 + 0.01 * index
        counts: dict[int, dict[int, dict[str, float]]] = {}  # indicator → commune → key → number

        def population(indicator: int) -> dict[int, dict[str, float]]:
            share = DEMO_POPULATION.get(self.codes[indicator], 0.0) or self.levels[indicator]
            return {
                area: self._split(indicator, self.children[area] * growth * share) for area in self.communes
            }

        def count(indicator: int) -> dict[int, dict[str, float]]:
            if indicator not in counts:
                counts[indicator] = population(indicator)
            return counts[indicator]

        for indicator, recipe in self.recipes.items():  # numerators from their denominators
            if recipe.measure == "ratio" and recipe.numerator in self.recipes:
                rate = self.levels[indicator] / (recipe.factor or 100)
                below = count(recipe.denominator)
                counts[recipe.numerator] = {
                    area: self._numerator(recipe.numerator, below[area], rate) for area in self.communes
                }
        missing = {a for a in self.communes if draft and rng.random() < 0.1}  # "chưa gửi"
        values: dict[tuple[int, int | None], float] = {}
        for indicator, recipe in self.recipes.items():
            if recipe.measure == "count":
                by_area = count(indicator)
                if recipe.reported_by == "communes":
                    for area, cells in by_area.items():
                        if area in missing:
                            continue
                        for key, number in cells.items():
                            values[(recipe.cells[key], area)] = number
                else:  # an agency's or the office's figure: what the province holds in all
                    for key in by_area[self.communes[0]] if self.communes else ():
                        values[(recipe.cells[key], None)] = sum(by_area[a][key] for a in self.communes)
            elif recipe.measure == "share":
                answers = self.recipes.get(recipe.numerator)
                p = DEMO_SHARES.get(self.codes[indicator], 0.5) + 0.02 * index
                for area in self.communes:
                    if answers is not None and area not in missing and "total" in answers.cells:
                        values[(answers.cells["total"], area)] = 1.0 if rng.random() < p else 0.0
            elif recipe.measure == "entered" and "total" in recipe.cells:
                level = self.levels[indicator] * (1 - 0.005 * index) * rng.uniform(0.99, 1.01)
                for key, cell in recipe.cells.items():
                    spread = 1.0 if key == "total" else rng.uniform(0.95, 1.05)
                    values[(cell, None)] = round(min(level * spread, 100.0), 2)
        if draft:
            self._problems(values)
        return values

    def _split(self, indicator: int, total: float) -> dict[str, float]:
        """A count and its breakdowns, which add up to it (males a little over half)."""
        whole = float(max(0, round(total * self.rng.uniform(0.97, 1.03))))
        return self._shares(indicator, whole, lambda _key: 0.515)

    def _numerator(self, indicator: int, below: dict[str, float], rate: float) -> dict[str, float]:
        own = {key for _cell, key, _total in self.cells[indicator]}
        top = {
            key: float(min(number, round(number * min(1.0, rate * self.rng.uniform(0.9, 1.1)))))
            for key, number in below.items()
            if key in own
        }
        return self._regroup(indicator, top)

    def _shares(self, indicator, whole: float, first_share) -> dict[str, float]:
        result = {"total": whole}
        for dimension, first, second in self._dimensions(indicator):
            part = float(round(whole * first_share(dimension)))
            result[first], result[second] = part, whole - part
        return result

    def _regroup(self, indicator, numbers: dict[str, float]) -> dict[str, float]:
        """Breakdowns made apart: the total is their sum (the first dimension's), the second
        dimension's second category what the first leaves."""
        dims = self._dimensions(indicator)
        if not dims:
            return numbers
        _dim, first, second = dims[0]
        total = numbers.get(first, 0.0) + numbers.get(second, 0.0)
        result = dict(numbers, total=total)
        for _dimension, one, other in dims[1:]:
            result[other] = total - min(total, numbers.get(one, 0.0))
            result[one] = total - result[other]
        return result

    def _dimensions(self, indicator) -> list[tuple[str, str, str]]:
        keys = [key for _cell, key, is_total in self.cells[indicator] if not is_total]
        found: dict[str, list[str]] = {}
        for key in keys:
            found.setdefault(key.split("=")[0], []).append(key)
        return [(d, ks[0], ks[1]) for d, ks in found.items() if len(ks) == 2]

    def _problems(self, values: dict) -> None:
        """What the check should find: one commune's registered children above its children
        under 5, one commune's children typed ten times over, one agency's count not sent."""
        by_code = {code: i for i, code in self.codes.items() if i in self.recipes}
        first = self.communes[0]
        second = min(self.communes[1:], key=lambda area: self.children[area])  # the smallest
        top, below = self.recipes.get(by_code.get("KS01.TS")), self.recipes.get(by_code.get("KS01.MS"))
        if top is not None and below is not None:
            for key, cell in top.cells.items():
                under = values.get((below.cells.get(key), first))
                if under is not None and (cell, first) in values:
                    values[(cell, first)] = under + (20.0 if key == "total" else 10.0)
        children = self.recipes.get(by_code.get("TE"))
        for cell in children.cells.values() if children else ():
            if (cell, second) in values:
                values[(cell, second)] *= 10
        absent = self.recipes.get(by_code.get("CT07.TS"))
        for cell in absent.cells.values() if absent else ():
            values.pop((cell, None), None)
