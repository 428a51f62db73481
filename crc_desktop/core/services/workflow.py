"""Reporting periods and their workflow, and the ready-to-sign check.

Each step is recorded twice: in the period's own history (who, when, from, to, why) and in
the audit chain. Approval is refused while the check finds anything that blocks signing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select, text

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    AppInfoRecord,
    BundleExportRecord,
    KeptBundleRecord,
    PeriodTransitionRecord,
    PlanTaskRecord,
    ProgressUpdateRecord,
    RecommendationRecord,
    ReportingPeriodRecord,
    TaskRecommendationRecord,
)
from crc_desktop.core.db.reads import counting, missing_values, overdue_milestones
from crc_desktop.core.db.repositories import driver, fetch_all
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import N_
from crc_desktop.core.rules.check_groups import CheckSummary, GroupBy, group_problems
from crc_desktop.core.rules.periods import PeriodCode
from crc_desktop.core.rules.rollup import asked
from crc_desktop.core.rules.validation import explained, how_to_clear
from crc_desktop.core.rules.workflow import (
    PeriodAction,
    PeriodState,
    check_approver,
    require_name,
    same_person,
)
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.workflow import (
    ApproverRule,
    PeriodStatus,
    PeriodStep,
    Place,
    Problem,
    Readiness,
    SignedBundle,
    Transition,
)
from crc_desktop.core.services.rollup import recipes as rollup_recipes
from crc_desktop.core.services.values import ValueService
from crc_desktop.core.text import recommendation_label

APPROVER_MUST_DIFFER = "approver_must_differ"


def _status(
    period: ReportingPeriodRecord,
    transitions: list[PeriodTransitionRecord],
    bundles: list[SignedBundle] = (),
) -> PeriodStatus:
    return PeriodStatus(
        code=period.code,
        state=PeriodState(period.state),
        version=period.version,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        history=[
            Transition(
                from_state=t.from_state,
                to_state=t.to_state,
                at=t.at,
                os_user=t.os_user,
                user_name=t.user_name,
                reason=t.reason,
            )
            for t in transitions
        ],
        bundles=list(bundles),
        allowed_actions=PeriodState(period.state).actions(has_bundle=any(b.kept for b in bundles)),
    )


_ACTIONS = {  # the name of each step in the audit log, and the action it is (signing: the export)
    "submit": PeriodAction.SUBMIT,
    "approve": PeriodAction.APPROVE,
    "reopen": PeriodAction.REOPEN,
}


def step_period(
    uow: UnitOfWork,
    period: ReportingPeriodRecord,
    action: PeriodAction,
    reason: str = "",
    *,
    audited_as: str = "",
    details: dict | None = None,
) -> None:
    """Take `period` one step of its workflow in `uow`: its new state (a reopened signed period
    gets its next version), the transition with who and why, and the audit entry (`audited_as`,
    by default "period.<action>", with `details`, by default the version)."""
    before = period.state
    period.state = PeriodState(before).after(action, reason)
    if action is PeriodAction.REOPEN and before == PeriodState.SIGNED:
        period.version += 1  # the next export supersedes the signed one
    uow.session.add(
        PeriodTransitionRecord(
            period_id=period.id,
            from_state=before,
            to_state=period.state,
            at=now(),
            os_user=uow.actor.os_user,
            user_name=uow.actor.user_name,
            reason=reason.strip(),
        )
    )
    uow.session.flush()
    uow.audit(
        audited_as or f"period.{action.value}",
        "reporting_period",
        period.code,
        old={"state": before},
        new={"state": period.state, **(details if details is not None else {"version": period.version})},
        reason=reason.strip(),
    )


class PeriodService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def list(self) -> list[PeriodStatus]:
        with UnitOfWork(self._database, self._actor) as uow:
            periods = uow.session.scalars(
                select(ReportingPeriodRecord).order_by(ReportingPeriodRecord.starts_on)
            )
            return [_status(p, self._history(uow, p), self._bundles(uow, p)) for p in periods]

    def get(self, code: str) -> PeriodStatus:
        with UnitOfWork(self._database, self._actor) as uow:
            period = uow.periods.get(code)
            return _status(period, self._history(uow, period), self._bundles(uow, period))

    @staticmethod
    def _history(uow: UnitOfWork, period: ReportingPeriodRecord) -> list[PeriodTransitionRecord]:
        return list(
            uow.session.scalars(
                select(PeriodTransitionRecord)
                .filter_by(period_id=period.id)
                .order_by(PeriodTransitionRecord.id)
            )
        )

    @staticmethod
    def _bundles(uow: UnitOfWork, period: ReportingPeriodRecord) -> list[SignedBundle]:
        kept = select(KeptBundleRecord.export_id).where(KeptBundleRecord.export_id == BundleExportRecord.id)
        return [
            SignedBundle(
                sequence=b.sequence,
                file_name=b.file_name,
                sha256=b.sha256,
                created_at=b.created_at,
                signer=b.signer,
                kept=is_kept,
            )
            for b, is_kept in uow.session.execute(
                select(BundleExportRecord, kept.exists())
                .filter_by(period_id=period.id)
                .order_by(BundleExportRecord.sequence)
            )
        ]

    def create(self, code: str) -> PeriodStep:
        parsed = PeriodCode.parse(code)
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            if uow.session.scalar(select(ReportingPeriodRecord).filter_by(code=str(parsed))) is not None:
                raise InputRefused("Period {code} already exists.", code=str(parsed))
            overlapping = uow.session.scalar(
                select(ReportingPeriodRecord.code).where(
                    ReportingPeriodRecord.starts_on <= parsed.ends_on,
                    ReportingPeriodRecord.ends_on >= parsed.starts_on,
                )
            )
            if overlapping:
                raise InputRefused(
                    "Period {code} overlaps period {other}.", code=str(parsed), other=overlapping
                )
            period = ReportingPeriodRecord(
                code=str(parsed),
                starts_on=parsed.starts_on,
                ends_on=parsed.ends_on,
                state=PeriodState.DRAFT,
                version=1,
            )
            uow.session.add(period)
            uow.session.flush()
            uow.audit("period.create", "reporting_period", period.code, new={"state": PeriodState.DRAFT})
            uow.commit()
            return PeriodStep.of(_status(period, []), Changes(periods=True, period=period.code))

    def submit(self, code: str) -> PeriodStep:
        return self._step(code, "submit")

    def approve(self, code: str, reason: str = "") -> PeriodStep:
        """Approve a submitted period that is ready to sign; by another person than the one who
        submitted it when the office requires it (`reason` says why the same person does)."""
        require_name(self._actor.user_name)
        status = self.get(code)
        status.state.after(PeriodAction.APPROVE)  # the order of steps first, then the check
        readiness = ReadinessService(self._database, self._actor).check(code)
        if not readiness.ready:
            raise InputRefused(
                "Period {code} cannot be approved: {count} problems block signing (see the check).",
                code=readiness.period,
                count=len(readiness.blocking),
            )
        check_approver(self._submitted_by_me(status), required=self.approver_must_differ(), reason=reason)
        return self._step(code, "approve", reason)

    def approval_needs_reason(self, code: str) -> bool:
        """Whether the user would approve a period they submitted themselves while the office
        requires another person (so the window asks why before approving); not when the period
        is refused for its problems anyway."""
        if not (self.approver_must_differ() and self._submitted_by_me(self.get(code))):
            return False
        return ReadinessService(self._database, self._actor).check(code).ready  # else refused anyway

    def _submitted_by_me(self, status: PeriodStatus) -> bool:
        submitted = next((t for t in reversed(status.history) if t.to_state == PeriodState.SUBMITTED), None)
        return submitted is not None and same_person(
            submitted.user_name, submitted.os_user, self._actor.user_name, self._actor.os_user
        )

    def approver_must_differ(self) -> bool:
        """Whether the office requires another person than the submitter to approve (default yes)."""
        with UnitOfWork(self._database, self._actor) as uow:
            stored = uow.session.get(AppInfoRecord, APPROVER_MUST_DIFFER)
            return stored is None or stored.value != "false"

    def set_approver_must_differ(self, required: bool, reason: str = "") -> ApproverRule:
        """Change the office's rule; turning it off needs a reason, recorded in the audit log."""
        if not required and not reason.strip():
            raise InputRefused("Letting the submitter approve their own period needs a reason.")
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            stored = uow.session.get(AppInfoRecord, APPROVER_MUST_DIFFER)
            before = stored is None or stored.value != "false"
            if stored is None:
                stored = AppInfoRecord(key=APPROVER_MUST_DIFFER, value="true")
                uow.session.add(stored)
            stored.value = "true" if required else "false"
            uow.session.flush()
            uow.audit(
                "office.approver_rule",
                "app_info",
                APPROVER_MUST_DIFFER,
                old={"required": before},
                new={"required": required},
                reason=reason.strip(),
            )
            uow.commit()
        return ApproverRule(required=required, changes=Changes(office=True))

    def reopen(self, code: str, reason: str) -> PeriodStep:
        return self._step(code, "reopen", reason)

    def _step(self, code: str, action: str, reason: str = "") -> PeriodStep:
        require_name(self._actor.user_name)
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            period = uow.periods.get(code)
            step_period(uow, period, _ACTIONS[action], reason)
            status = _status(period, self._history(uow, period), self._bundles(uow, period))
            uow.commit()
            return PeriodStep.of(status, Changes(periods=True, period=period.code))


class ReadinessService:
    """Everything that stands between a period and its signature, each with where to fix it."""

    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def check(self, code: str, *, today: dt.date | None = None) -> Readiness:
        findings = ValueService(self._database, self._actor).findings(code)
        with UnitOfWork(self._database, self._actor) as uow:
            period = uow.periods.get(code)
            problems = self._rule_problems(uow, period, findings)
            problems += self._missing_values(uow, period)
            problems += self._tasks_without_progress(uow, period)
            problems += self.overdue_milestones(uow, period, today or dt.date.today())
            problems += self._urgent_without_task(uow)
            return Readiness(period=period.code, problems=problems)

    def summary(self, code: str, *, by: GroupBy = "unit", today: dt.date | None = None) -> CheckSummary:
        """The check in groups, by unit or by indicator, counts first (see rules.check_groups)."""
        readiness = self.check(code, today=today)
        areas: dict[int, str] = {}
        cells: dict[int, tuple[int, str, str, str]] = {}
        if any(p.place.cell_id is not None for p in readiness.problems):
            grid = ValueService(self._database, self._actor).grid(code)
            areas = {area.id: area.name for area in grid.areas}
            cells = {row.cell_id: (row.indicator_id, row.code, row.name, row.cell_label) for row in grid.rows}
        return group_problems(readiness, by=by, areas=areas, cells=cells)

    @staticmethod
    def _rule_problems(uow, period, findings) -> list[Problem]:
        comments = {key: row[2] for key, row in uow.values.noted(period.id).items()}
        problems = []
        for f in findings:
            if explained(f.severity, comments.get((f.cell_id, f.area_id))):
                continue
            problems.append(
                Problem(
                    severity="error",
                    kind="rule" if f.severity == "error" else "uncommented_warning",
                    message=f.message,
                    params=dict(f.params),
                    place=Place(page="indicators", cell_id=f.cell_id, area_id=f.area_id),
                    hint=how_to_clear(f.kind, f.severity),
                )
            )
        return problems

    @staticmethod
    def _missing_values(uow, period) -> list[Problem]:
        rows = missing_values(driver(uow.session), period.id)
        # a computed figure is never missing by itself; a count is missing once per unit asked
        # for it (the check's groups then say how many each unit and indicator lack)
        recipes = rollup_recipes(uow.session)
        levels = dict(fetch_all(uow.session, "SELECT id, level FROM area"))
        indicator_of = dict(fetch_all(uow.session, "SELECT id, indicator_id FROM indicator_cell"))
        return [
            Problem(
                severity="error",
                kind="missing_value",
                message=N_("No value entered."),
                place=Place(page="indicators", cell_id=cell, area_id=area),
            )
            for cell, area in rows
            if asked(recipes[indicator_of[cell]], levels[area])
        ]

    @staticmethod
    def _tasks_without_progress(uow, period) -> list[Problem]:
        has_update = exists().where(
            ProgressUpdateRecord.task_id == PlanTaskRecord.id, ProgressUpdateRecord.period_id == period.id
        )
        tasks = uow.session.execute(
            select(PlanTaskRecord.id, PlanTaskRecord.code, PlanTaskRecord.title)
            .where(text(counting(PlanTaskRecord.__tablename__)))
            .where((PlanTaskRecord.start_on.is_(None)) | (PlanTaskRecord.start_on <= period.ends_on))
            .where((PlanTaskRecord.end_on.is_(None)) | (PlanTaskRecord.end_on >= period.starts_on))
            .where(~has_update)
            .order_by(PlanTaskRecord.code)
        )
        return [
            Problem(
                severity="error",
                kind="missing_progress",
                message=N_("Task {code} {title} has no progress update for this period."),
                params={"code": code, "title": title},
                place=Place(page="progress", task_id=task_id),
                hint=N_("Open the task on the Progress page and write what was done in this period."),
            )
            for task_id, code, title in tasks
        ]

    @staticmethod
    def overdue_milestones(uow, period, today: dt.date) -> list[Problem]:
        connection = uow.session.connection().connection.dbapi_connection
        return [
            Problem(
                severity="warning",
                kind="overdue_milestone",
                message=N_('Milestone "{title}" of task {code} was due on {due} and is not done.'),
                params={"title": m.title, "code": m.task_code, "due": m.due.strftime("%d/%m/%Y")},
                place=Place(page="plan", task_id=m.task_id),
            )
            for m in overdue_milestones(connection, min(today, period.ends_on))
        ]

    @staticmethod
    def _urgent_without_task(uow) -> list[Problem]:
        linked = exists().where(TaskRecommendationRecord.recommendation_id == RecommendationRecord.id)
        rows = uow.session.execute(
            select(RecommendationRecord.id, RecommendationRecord.paragraph, RecommendationRecord.sub)
            .where(RecommendationRecord.urgent, ~linked)
            .order_by(RecommendationRecord.paragraph, RecommendationRecord.sub)
        )
        return [
            Problem(
                severity="warning",
                kind="urgent_uncovered",
                message=N_("Urgent recommendation (para. {paragraph}) has no task in the plan."),
                params={"paragraph": recommendation_label(paragraph, sub)},
                place=Place(page="recommendations", recommendation_id=rec_id),
            )
            for rec_id, paragraph, sub in rows
        ]
