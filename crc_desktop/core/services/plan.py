"""The province's plan: tasks with their links, milestones and budget; progress per period;
the Committee's recommendations and what answers them. Each change is one audited transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    AgencyRecord,
    AuditEntryRecord,
    BudgetLineProgrammeRecord,
    BudgetLineRecord,
    IndicatorRecommendationRecord,
    IndicatorRecord,
    MilestoneRecord,
    PlanTaskRecord,
    ProgressUpdateRecord,
    RecommendationClusterRecord,
    RecommendationDocumentRecord,
    RecommendationRecord,
    ReportingPeriodRecord,
    TaskCoordinatingAgencyRecord,
    TaskGroupRecord,
    TaskRecommendationRecord,
)
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import InputRefused, NotFound, PeriodLocked
from crc_desktop.core.rules.places import in_force
from crc_desktop.core.rules.workflow import PeriodState
from crc_desktop.core.schemas.changes import Changes, Outcome
from crc_desktop.core.schemas.plan import (
    BudgetInput,
    Choice,
    MilestoneInput,
    PlanImportReport,
    ProgressInput,
    ProgressRow,
    ProgressSaved,
    RecommendationRow,
    TaskChanged,
    TaskDetail,
    TaskInput,
    TaskSummary,
)
from crc_desktop.core.services.audit import AuditService, HistoryEntry
from crc_desktop.core.text import recommendation_label, sort_key

_PLAN = Changes(plan=True)  # what a change of a task changes: the plan, in every period


class PlanService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    # -- choices for forms ----------------------------------------------------------------

    def agencies(self) -> list[Choice]:
        """The agencies a task may name: those in use, and those out of use that tasks still
        name (so a task keeps its lead agency when it is edited)."""
        today = dt.date.today()
        with UnitOfWork(self._database, self._actor) as uow:
            session = uow.session
            named = set(session.scalars(select(PlanTaskRecord.lead_agency_id)))
            named |= set(session.scalars(select(TaskCoordinatingAgencyRecord.agency_id)))
            agencies = [
                Choice(id=a.id, label=a.name)
                for a in session.scalars(select(AgencyRecord))
                if in_force(None, a.valid_to, today) or a.id in named
            ]
        return sorted(agencies, key=lambda c: sort_key(c.label))

    def task_groups(self) -> list[Choice]:
        with UnitOfWork(self._database, self._actor) as uow:
            return [
                Choice(id=g.number, label=f"{g.number}. {g.name_vi}")
                for g in uow.session.scalars(select(TaskGroupRecord).order_by(TaskGroupRecord.number))
            ]

    # -- tasks ----------------------------------------------------------------------------

    def tasks(self, period: str | None = None) -> list[TaskSummary]:
        with UnitOfWork(self._database, self._actor) as uow:
            session = uow.session
            agencies = {a.id: a.name for a in session.scalars(select(AgencyRecord))}
            groups = {g.id: g.number for g in session.scalars(select(TaskGroupRecord))}
            labels = _recommendation_labels(session)
            coordinating, links = defaultdict(list), defaultdict(list)
            for link in session.scalars(select(TaskCoordinatingAgencyRecord)):
                coordinating[link.task_id].append(link.agency_id)
            for link in session.scalars(select(TaskRecommendationRecord)):
                links[link.task_id].append(link.recommendation_id)
            progress_in = defaultdict(list)
            for task_id, state in session.execute(
                select(ProgressUpdateRecord.task_id, ReportingPeriodRecord.state).join(
                    ReportingPeriodRecord, ReportingPeriodRecord.id == ProgressUpdateRecord.period_id
                )
            ):
                progress_in[task_id].append(PeriodState(state))
            percent = {}
            if period:
                period_record = uow.periods.get(period)
                percent = {
                    p.task_id: p.percent_done
                    for p in session.scalars(
                        select(ProgressUpdateRecord).filter_by(period_id=period_record.id)
                    )
                }
            return [
                TaskSummary(
                    id=t.id,
                    code=t.code,
                    group=groups[t.group_id],
                    title=t.title,
                    lead_agency=agencies.get(t.lead_agency_id, ""),
                    lead_agency_id=t.lead_agency_id,
                    coordinating_agency_ids=sorted(coordinating[t.id]),
                    recommendation_ids=sorted(links[t.id]),
                    recommendations=", ".join(sorted((labels[r] for r in links[t.id]), key=sort_key)),
                    status=t.status,
                    start_on=t.start_on,
                    end_on=t.end_on,
                    percent_done=percent.get(t.id),
                    progress_in=sorted(set(progress_in[t.id])),
                )
                for t in session.scalars(select(PlanTaskRecord).order_by(PlanTaskRecord.code))
            ]

    def task(self, task_id: int) -> TaskDetail:
        with UnitOfWork(self._database, self._actor) as uow:
            record = _task(uow, task_id)
            return TaskDetail(id=record.id, input=_task_input(uow.session, record))

    def create_task(self, data: TaskInput) -> TaskChanged:
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            record = PlanTaskRecord()
            self._write(uow, record, data)
            uow.audit("task.create", "plan_task", data.code, new=data.model_dump(mode="json"))
            uow.commit()
            return TaskChanged(id=record.id, input=data, changes=_PLAN)

    def update_task(self, task_id: int, data: TaskInput, reason: str = "") -> TaskChanged:
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            record = _task(uow, task_id)
            old = _task_input(uow.session, record)
            if old == data:
                return TaskChanged(id=task_id, input=data)  # nothing changed
            self._write(uow, record, data)
            uow.audit(
                "task.update",
                "plan_task",
                data.code,
                old=old.model_dump(mode="json"),
                new=data.model_dump(mode="json"),
                reason=reason,
            )
            uow.commit()
            return TaskChanged(id=task_id, input=data, changes=_PLAN)

    def duplicate_task(self, task_id: int) -> TaskChanged:
        """A copy under a new code, with its links, milestones and budget, to adapt."""
        source = self.task(task_id).input
        codes = {t.code for t in self.tasks()}
        number = 2
        while f"{source.code}-{number}" in codes:
            number += 1
        return self.create_task(
            source.model_copy(
                update={"code": f"{source.code}-{number}", "title": f"{source.title} (bản sao)"}
            )
        )

    def delete_task(self, task_id: int, reason: str = "") -> Outcome:
        """Deletes the task with its progress in every period, which each period's state must
        allow: a signed period refuses, a submitted or approved one needs `reason`."""
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            record = _task(uow, task_id)
            ensure_progress_may_go(uow.session, record.id, reason)
            old = _task_input(uow.session, record)
            uow.session.delete(record)
            uow.session.flush()
            uow.audit("task.delete", "plan_task", record.code, old=old.model_dump(mode="json"), reason=reason)
            uow.commit()
        return Outcome(changes=_PLAN)

    def _write(self, uow: UnitOfWork, record: PlanTaskRecord, data: TaskInput) -> None:
        session = uow.session
        group = session.scalar(select(TaskGroupRecord).filter_by(number=data.group))
        if group is None:
            raise InputRefused("There is no task group {number}.", number=data.group)
        clash = session.scalar(select(PlanTaskRecord.id).filter_by(code=data.code))
        if clash is not None and clash != record.id:
            raise InputRefused("Another task already has the code {code}.", code=data.code)
        record.code, record.group_id, record.title = data.code, group.id, data.title
        record.description, record.lead_agency_id = data.description, data.lead_agency_id
        record.start_on, record.end_on, record.status = data.start_on, data.end_on, data.status
        record.updated_at = now()
        session.add(record)
        try:
            session.flush()
            # the programmes the budget lines come through, kept for the lines that stay (the
            # lines are rewritten below, and their links would go with them)
            funded = {
                (line.fiscal_year, line.source): code
                for line, code in session.execute(
                    select(BudgetLineRecord, BudgetLineProgrammeRecord.programme_code)
                    .join(
                        BudgetLineProgrammeRecord,
                        BudgetLineProgrammeRecord.budget_line_id == BudgetLineRecord.id,
                    )
                    .where(BudgetLineRecord.task_id == record.id)
                )
            }
            for table in (
                TaskCoordinatingAgencyRecord,
                TaskRecommendationRecord,
                MilestoneRecord,
                BudgetLineRecord,
            ):
                session.execute(delete(table).where(table.task_id == record.id))
            session.add_all(
                [
                    TaskCoordinatingAgencyRecord(task_id=record.id, agency_id=a)
                    for a in set(data.coordinating_agency_ids)
                ]
                + [
                    TaskRecommendationRecord(task_id=record.id, recommendation_id=r)
                    for r in set(data.recommendation_ids)
                ]
                + [MilestoneRecord(task_id=record.id, **m.model_dump()) for m in data.milestones]
                + [BudgetLineRecord(task_id=record.id, **b.model_dump()) for b in data.budget]
            )
            session.flush()
            for line in session.scalars(select(BudgetLineRecord).filter_by(task_id=record.id)):
                if (line.fiscal_year, line.source) in funded:
                    session.add(
                        BudgetLineProgrammeRecord(
                            budget_line_id=line.id, programme_code=funded[(line.fiscal_year, line.source)]
                        )
                    )
            session.flush()
        except IntegrityError as exc:
            raise InputRefused(
                "The task refers to an agency or recommendation that does not exist, or has two "
                "budget lines for the same year and source."
            ) from exc

    def import_workbook(self, path: Path, *, dry_run: bool = False, reason: str = "") -> PlanImportReport:
        """The plan workbook (as `plan export` writes it) brought back in; see plan_import."""
        from crc_desktop.core.services.plan_import import PlanImportService

        return PlanImportService(self._database, self._actor).import_workbook(
            path, dry_run=dry_run, reason=reason
        )

    # -- progress -------------------------------------------------------------------------

    def progress(self, period: str) -> list[ProgressRow]:
        with UnitOfWork(self._database, self._actor) as uow:
            session = uow.session
            record = uow.periods.get(period)
            previous = uow.periods.previous(record)
            groups = {g.id: g.number for g in session.scalars(select(TaskGroupRecord))}
            now_rows = {
                p.task_id: p
                for p in session.scalars(select(ProgressUpdateRecord).filter_by(period_id=record.id))
            }
            before = {}
            if previous is not None:
                before = {
                    p.task_id: p
                    for p in session.scalars(select(ProgressUpdateRecord).filter_by(period_id=previous.id))
                }
            rows = []
            for task in session.scalars(select(PlanTaskRecord).order_by(PlanTaskRecord.code)):
                current, earlier = now_rows.get(task.id), before.get(task.id)
                rows.append(
                    ProgressRow(
                        task_id=task.id,
                        code=task.code,
                        title=task.title,
                        group=groups[task.group_id],
                        status=current.status if current else None,
                        percent_done=current.percent_done if current else None,
                        done_text=current.done_text if current else "",
                        obstacles=current.obstacles if current else "",
                        proposals=current.proposals if current else "",
                        previous_done_text=earlier.done_text if earlier else "",
                        previous_percent=earlier.percent_done if earlier else None,
                    )
                )
            return rows

    def save_progress(
        self, period: str, task_id: int, data: ProgressInput, reason: str = ""
    ) -> ProgressSaved:
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            record = uow.periods.get(period)
            PeriodState(record.state).ensure_editable(record.code, reason)
            task = _task(uow, task_id)
            update = uow.session.scalar(
                select(ProgressUpdateRecord).filter_by(task_id=task_id, period_id=record.id)
            )
            old = _progress_dict(update)
            if update is None:
                update = ProgressUpdateRecord(
                    task_id=task_id, period_id=record.id, status=data.status, updated_at=now()
                )
                uow.session.add(update)
            for name, value in data.model_dump().items():
                setattr(update, name, value)
            update.updated_at = now()
            update.updated_by = self._actor.user_name or self._actor.os_user
            uow.session.flush()
            uow.audit(
                "progress.set",
                "progress_update",
                f"{record.code}/{task.code}",
                old=old,
                new=_progress_dict(update),
                reason=reason,
            )
            uow.commit()
        saved = next(row for row in self.progress(period) if row.task_id == task_id)
        return ProgressSaved.of(saved, Changes(plan=True, period=period))

    # -- recommendations ------------------------------------------------------------------

    def recommendations(self) -> list[RecommendationRow]:
        with UnitOfWork(self._database, self._actor) as uow:
            session = uow.session
            documents = {d.id: d.symbol for d in session.scalars(select(RecommendationDocumentRecord))}
            clusters = {
                c.id: f"{c.code}. {c.title}" for c in session.scalars(select(RecommendationClusterRecord))
            }
            tasks, indicators = defaultdict(list), defaultdict(list)
            for rec_id, code in session.execute(
                select(TaskRecommendationRecord.recommendation_id, PlanTaskRecord.code).join(
                    PlanTaskRecord, PlanTaskRecord.id == TaskRecommendationRecord.task_id
                )
            ):
                tasks[rec_id].append(code)
            for rec_id, code in session.execute(
                select(IndicatorRecommendationRecord.recommendation_id, IndicatorRecord.code).join(
                    IndicatorRecord, IndicatorRecord.id == IndicatorRecommendationRecord.indicator_id
                )
            ):
                indicators[rec_id].append(code)
            records = session.scalars(
                select(RecommendationRecord).order_by(
                    RecommendationRecord.document_id, RecommendationRecord.paragraph, RecommendationRecord.sub
                )
            )
            return [
                RecommendationRow(
                    id=r.id,
                    document=documents[r.document_id],
                    cluster=clusters.get(r.cluster_id, ""),
                    label=_label(r),
                    order=(r.paragraph, r.sub),
                    title=r.title,
                    text=r.text,
                    urgent=r.urgent,
                    tasks=sorted(tasks[r.id]),
                    indicators=sorted(indicators[r.id]),
                )
                for r in records
            ]

    def history(self, task_id: int) -> list[HistoryEntry]:
        """Every change of the task and of its progress updates, oldest first."""
        code = self.task(task_id).input.code
        with UnitOfWork(self._database, self._actor) as uow:
            keys = set(
                uow.session.scalars(
                    select(AuditEntryRecord.entity_key).where(
                        AuditEntryRecord.entity == "progress_update",
                        AuditEntryRecord.entity_key.like(f"%/{code}"),
                    )
                )
            )
        audit = AuditService(self._database, self._actor)
        entries = audit.history("plan_task", code)
        for key in sorted(keys):
            entries += audit.history("progress_update", key)
        return sorted(entries, key=lambda e: e.at)


def ensure_progress_may_go(session, task_id: int, reason: str) -> None:
    """Deleting a task deletes what it achieved in each period: every such period's state must
    allow that change, as for any other change of its data."""
    periods = session.execute(
        select(ReportingPeriodRecord.code, ReportingPeriodRecord.state)
        .join(ProgressUpdateRecord, ProgressUpdateRecord.period_id == ReportingPeriodRecord.id)
        .where(ProgressUpdateRecord.task_id == task_id)
        .order_by(ReportingPeriodRecord.code)
    )
    for code, state in periods:
        try:
            PeriodState(state).ensure_editable(code, reason)
        except PeriodLocked:
            raise PeriodLocked(
                "Task {task} has progress in period {code}, which is signed and locked; reopen the "
                "period (with a reason) to delete the task.",
                task=session.get(PlanTaskRecord, task_id).code,
                code=code,
            ) from None


def _label(record: RecommendationRecord) -> str:
    return recommendation_label(record.paragraph, record.sub)


def _recommendation_labels(session) -> dict[int, str]:
    return {r.id: _label(r) for r in session.scalars(select(RecommendationRecord))}


def _task(uow: UnitOfWork, task_id: int) -> PlanTaskRecord:
    record = uow.session.get(PlanTaskRecord, task_id)
    if record is None:
        raise NotFound("There is no task {id}.", id=task_id)
    return record


def _task_input(session, record: PlanTaskRecord) -> TaskInput:
    group = session.get(TaskGroupRecord, record.group_id)
    return TaskInput(
        code=record.code,
        group=group.number,
        title=record.title,
        description=record.description,
        lead_agency_id=record.lead_agency_id,
        coordinating_agency_ids=sorted(
            session.scalars(select(TaskCoordinatingAgencyRecord.agency_id).filter_by(task_id=record.id))
        ),
        recommendation_ids=sorted(
            session.scalars(select(TaskRecommendationRecord.recommendation_id).filter_by(task_id=record.id))
        ),
        start_on=record.start_on,
        end_on=record.end_on,
        status=record.status,
        milestones=[
            MilestoneInput(title=m.title, due_on=m.due_on, done_on=m.done_on)
            for m in session.scalars(
                select(MilestoneRecord).filter_by(task_id=record.id).order_by(MilestoneRecord.due_on)
            )
        ],
        budget=[
            BudgetInput(
                fiscal_year=b.fiscal_year,
                source=b.source,
                planned=b.planned,
                allocated=b.allocated,
                spent=b.spent,
            )
            for b in session.scalars(
                select(BudgetLineRecord)
                .filter_by(task_id=record.id)
                .order_by(BudgetLineRecord.fiscal_year, BudgetLineRecord.source)
            )
        ],
    )


def _progress_dict(update: ProgressUpdateRecord | None) -> dict | None:
    if update is None:
        return None
    return {
        "status": update.status,
        "percent_done": update.percent_done,
        "done_text": update.done_text,
        "obstacles": update.obstacles,
        "proposals": update.proposals,
    }
