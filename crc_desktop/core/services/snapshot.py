"""Taking the snapshot of a period: everything a report or a bundle says about it, in one read."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    AgencyRecord,
    AppInfoRecord,
    AreaRecord,
    AuditEntryRecord,
    BudgetLineRecord,
    IndicatorCellRecord,
    IndicatorRecord,
    IndicatorSetRecord,
    IndicatorTargetRecord,
    MilestoneRecord,
    OfficeProfileRecord,
    PlanTaskRecord,
    ProgressUpdateRecord,
    ProvinceRecord,
    ReceivingAuthorityRecord,
    RecommendationClusterRecord,
    RecommendationDocumentRecord,
    RecommendationRecord,
    TaskCoordinatingAgencyRecord,
    TaskGroupRecord,
    TaskRecommendationRecord,
)
from crc_desktop.core.db.repositories import area_names_on, fetch_all, period_areas, period_day
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.rules.places import OfficeNames, names_on, valid_on
from crc_desktop.core.schemas import snapshot as s
from crc_desktop.core.services.programmes import uses_in
from crc_desktop.core.services.report_text import report_text_in


def recommendation_key(document: str, paragraph: int, sub: str) -> str:
    return f"{document} {paragraph}{f'({sub})' if sub else ''}"


class SnapshotService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def take(
        self, period_code: str, *, on: dt.date | None = None, values: bool = True, entry: bool = False
    ) -> s.PeriodSnapshot:
        """The period's data; `on` is the report's date, which decides its recipient. Without
        `values`, all but the indicator values (for callers that read them their own way). For
        `entry` forms, the province and communes of the period's last day under that day's names
        (without communes created later or merged away before, unless they hold values)."""
        with UnitOfWork(self._database, self._actor) as uow:
            session = uow.session
            period = uow.periods.get(period_code)
            profile = session.get(OfficeProfileRecord, 1)
            if profile is None:
                raise InputRefused("This database has no office profile yet; run init first.")
            demo = session.get(AppInfoRecord, "demo")
            head = session.scalar(select(AuditEntryRecord.hash).order_by(AuditEntryRecord.id.desc()).limit(1))
            day = on or (period_day(period) if entry else dt.date.today())
            versions = session.scalars(select(ProvinceRecord).filter_by(code=profile.province.code)).all()
            names = names_on(
                OfficeNames(profile.office_name, profile.parent_agency, profile.place_name), versions, day
            )
            return s.PeriodSnapshot(
                province=s.ProvinceRef(code=profile.province.code, name=valid_on(versions, day).name),
                office=s.OfficeRef(
                    office_name=names.office_name,
                    parent_agency=names.parent_agency,
                    place_name=names.place_name,
                    document_symbol=profile.document_symbol,
                    signer_name=profile.signer_name,
                    signer_title=profile.signer_title,
                    signing_for=profile.signing_for,
                    recipients=[line for line in profile.recipients.splitlines() if line.strip()],
                ),
                period=s.PeriodRef(
                    code=period.code,
                    state=period.state,
                    version=period.version,
                    starts_on=period.starts_on,
                    ends_on=period.ends_on,
                ),
                recipient=_recipient(session, day),
                demo=demo is not None and demo.value == "true",
                task_groups=[
                    s.TaskGroup(number=g.number, name=g.name_vi)
                    for g in session.scalars(select(TaskGroupRecord).order_by(TaskGroupRecord.number))
                ],
                tasks=_tasks(session, period),
                recommendations=_recommendations(session),
                indicators=_indicators(session),
                areas=_entry_areas(uow, period) if entry else _areas(session, day),
                values=_values(uow, period) if values else [],
                audit_head=head or "",
                report_text=report_text_in(session, period.id).sections,
                programmes=uses_in(session),
            )

    def target_sources(self) -> dict[str, str]:
        """Where each target comes from ("set/annex/code@year@level" → source), for the report's
        notes; not part of the snapshot (its hash stays that of the data)."""
        with UnitOfWork(self._database, self._actor) as uow:
            rows = uow.session.execute(
                select(
                    IndicatorSetRecord.code,
                    IndicatorRecord.annex,
                    IndicatorRecord.code,
                    IndicatorTargetRecord.year,
                    IndicatorTargetRecord.level,
                    IndicatorTargetRecord.source,
                )
                .join(IndicatorRecord, IndicatorRecord.id == IndicatorTargetRecord.indicator_id)
                .join(IndicatorSetRecord, IndicatorSetRecord.id == IndicatorRecord.set_id)
            )
            return {
                f"{indicator_key(set_code, annex, code)}@{year}@{level}": source or ""
                for set_code, annex, code, year, level, source in rows
            }


def _areas(session, on: dt.date) -> list[s.Area]:
    """The province and its communes, each under the name it had on `on`."""
    dated = area_names_on(session, on)
    return [
        s.Area(code=a.code, name=dated.get(a.id, (a.name, a.kind))[0], level=a.level)
        for a in session.scalars(select(AreaRecord).order_by(AreaRecord.level.desc(), AreaRecord.code))
    ]


def _entry_areas(uow: UnitOfWork, period) -> list[s.Area]:
    return [s.Area(code=a.code, name=a.name, level=a.level) for a in period_areas(uow.session, period)]


def _recipient(session, on: dt.date) -> s.Recipient | None:
    record = session.scalar(
        select(ReceivingAuthorityRecord)
        .where(ReceivingAuthorityRecord.valid_from <= on)
        .where((ReceivingAuthorityRecord.valid_to.is_(None)) | (ReceivingAuthorityRecord.valid_to >= on))
        .order_by(ReceivingAuthorityRecord.valid_from.desc())
    )
    return s.Recipient(name=record.name, unit=record.unit) if record else None


def _tasks(session, period) -> list[s.Task]:
    agencies = {a.id: a.name for a in session.scalars(select(AgencyRecord))}
    groups = {g.id: g.number for g in session.scalars(select(TaskGroupRecord))}
    coordinating = defaultdict(list)
    for link in session.scalars(select(TaskCoordinatingAgencyRecord)):
        coordinating[link.task_id].append(agencies[link.agency_id])
    documents = {d.id: d.symbol for d in session.scalars(select(RecommendationDocumentRecord))}
    recs = {
        r.id: recommendation_key(documents[r.document_id], r.paragraph, r.sub)
        for r in session.scalars(select(RecommendationRecord))
    }
    links = defaultdict(list)
    for link in session.scalars(select(TaskRecommendationRecord)):
        links[link.task_id].append(recs[link.recommendation_id])
    milestones = defaultdict(list)
    for m in session.scalars(select(MilestoneRecord).order_by(MilestoneRecord.due_on)):
        milestones[m.task_id].append(s.Milestone(title=m.title, due_on=m.due_on, done_on=m.done_on))
    budget = defaultdict(list)
    for b in session.scalars(
        select(BudgetLineRecord).order_by(BudgetLineRecord.fiscal_year, BudgetLineRecord.source)
    ):
        budget[b.task_id].append(
            s.BudgetLine(
                fiscal_year=b.fiscal_year,
                source=b.source,
                planned=b.planned,
                allocated=b.allocated,
                spent=b.spent,
            )
        )
    progress = {
        p.task_id: s.Progress(
            status=p.status,
            percent_done=p.percent_done,
            done_text=p.done_text,
            obstacles=p.obstacles,
            proposals=p.proposals,
        )
        for p in session.scalars(select(ProgressUpdateRecord).filter_by(period_id=period.id))
    }
    return [
        s.Task(
            code=t.code,
            group=groups[t.group_id],
            title=t.title,
            description=t.description,
            lead_agency=agencies.get(t.lead_agency_id, ""),
            coordinating_agencies=sorted(coordinating[t.id]),
            start_on=t.start_on,
            end_on=t.end_on,
            status=t.status,
            recommendations=sorted(links[t.id]),
            milestones=milestones[t.id],
            budget=budget[t.id],
            progress=progress.get(t.id),
        )
        for t in session.scalars(select(PlanTaskRecord).order_by(PlanTaskRecord.code))
    ]


def _recommendations(session) -> list[s.Recommendation]:
    documents = {d.id: d.symbol for d in session.scalars(select(RecommendationDocumentRecord))}
    clusters = {c.id: f"{c.code}. {c.title}" for c in session.scalars(select(RecommendationClusterRecord))}
    tasks = defaultdict(list)
    for rec_id, code in session.execute(
        select(TaskRecommendationRecord.recommendation_id, PlanTaskRecord.code).join(
            PlanTaskRecord, PlanTaskRecord.id == TaskRecommendationRecord.task_id
        )
    ):
        tasks[rec_id].append(code)
    records = session.scalars(
        select(RecommendationRecord).order_by(
            RecommendationRecord.document_id, RecommendationRecord.paragraph, RecommendationRecord.sub
        )
    )
    return [
        s.Recommendation(
            key=recommendation_key(documents[r.document_id], r.paragraph, r.sub),
            document=documents[r.document_id],
            paragraph=r.paragraph,
            sub=r.sub,
            title=r.title,
            cluster=clusters.get(r.cluster_id, ""),
            urgent=r.urgent,
            tasks=sorted(tasks[r.id]),
        )
        for r in records
    ]


def value_keys(session) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    """How files name a value's cell and area: {cell id: (indicator key, cell key)} and
    {area id: area code}."""
    cells = {
        cell_id: (indicator_key(set_code, annex, code), key)
        for cell_id, key, set_code, annex, code in fetch_all(
            session,
            "SELECT c.id, c.key, s.code, i.annex, i.code FROM indicator_cell c"
            " JOIN indicator i ON i.id = c.indicator_id JOIN indicator_set s ON s.id = i.set_id",
        )
    }
    return cells, dict(fetch_all(session, "SELECT id, code FROM area"))


def indicator_key(set_code: str, annex: str, code: str) -> str:
    return f"{set_code}/{annex}/{code}"


def _indicators(session) -> list[s.Indicator]:
    sets = {x.id: x.code for x in session.scalars(select(IndicatorSetRecord))}
    targets = defaultdict(list)
    for t in session.scalars(
        select(IndicatorTargetRecord).order_by(IndicatorTargetRecord.year, IndicatorTargetRecord.level)
    ):
        targets[t.indicator_id].append(
            s.Target(year=t.year, level=t.level, comparator=t.comparator, value=t.value)
        )
    cells = defaultdict(list)
    for c in session.scalars(select(IndicatorCellRecord).order_by(IndicatorCellRecord.sort_order)):
        cells[c.indicator_id].append(s.Cell(key=c.key, label=c.label, is_total=c.is_total))
    return [
        s.Indicator(
            key=indicator_key(sets[i.set_id], i.annex, i.code),
            set=sets[i.set_id],
            annex=i.annex,
            code=i.code,
            name=i.name,
            unit=i.unit,
            value_type=i.value_type,
            group=i.group_name,
            cells=cells[i.id],
            targets=targets[i.id],
        )
        for i in session.scalars(
            select(IndicatorRecord).order_by(IndicatorRecord.sort_order, IndicatorRecord.id)
        )
    ]


def _values(uow, period) -> list[s.Value]:
    """Every value of the period with the previous period's number beside it."""
    cells, areas = value_keys(uow.session)
    previous = uow.periods.previous(period)
    before = uow.values.numbers(previous.id) if previous else {}
    rows = uow.values.rows(period.id)
    return [
        s.Value.model_construct(
            s.VALUE_FIELDS,  # one set for all values (a set each weighs ~0.5 KB × 100,000 values)
            indicator=cells[cell][0],
            cell=cells[cell][1],
            area=areas[area],
            number=number,
            text=text,
            comment=comment,
            follow_up=bool(flag),
            previous=before.get((cell, area)),
        )
        for cell, area, number, text, comment, flag in rows
    ]
