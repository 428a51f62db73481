"""Folding the plan into programmes ("lồng ghép", Quyết định 27/QĐ-TTg): the catalogue of
programmes (the shipped, confirmed ones and those the office adds with their source), which
programmes a task is folded into, and which programme a budget line's money comes through.
Each change is one audited transaction."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    BudgetLineProgrammeRecord,
    BudgetLineRecord,
    PlanTaskRecord,
    ProgrammeRecord,
    TaskProgrammeRecord,
)
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.errors import InputRefused, with_suggestions
from crc_desktop.core.files import read_json
from crc_desktop.core.schemas.changes import Changes, Outcome
from crc_desktop.core.schemas.programmes import FoldedLine, Programme, ProgrammeUse
from crc_desktop.core.services.catalog import shipped_catalog
from crc_desktop.core.text import nearest


class ProgrammeChanged(Outcome):
    code: str


def shipped_programmes() -> list[Programme]:
    """The programmes confirmed from a source, shipped with the program (not a catalogue the
    ministry imports: the office adds the others itself, each with its decision)."""
    return [
        Programme(
            code=row["code"],
            name=row["name"],
            source=row["source"],
            parent=row.get("parent", ""),
            shipped=True,
        )
        for row in read_json(shipped_catalog("programmes.json"))["entries"]
    ]


def catalogue_in(session) -> list[Programme]:
    added = [
        Programme(code=r.code, name=r.name, source=r.source, parent=r.parent_code)
        for r in session.scalars(select(ProgrammeRecord).order_by(ProgrammeRecord.code))
    ]
    return shipped_programmes() + added


def uses_in(session) -> list[ProgrammeUse]:
    """Every programme something is folded into, with the tasks and budget lines folded in."""
    codes = {t.id: t.code for t in session.scalars(select(PlanTaskRecord))}
    tasks, lines = defaultdict(list), defaultdict(list)
    for link in session.scalars(select(TaskProgrammeRecord)):
        tasks[link.programme_code].append(codes[link.task_id])
    rows = session.execute(
        select(BudgetLineProgrammeRecord.programme_code, BudgetLineRecord).join(
            BudgetLineRecord, BudgetLineRecord.id == BudgetLineProgrammeRecord.budget_line_id
        )
    )
    for code, line in rows:
        lines[code].append(
            FoldedLine(task=codes[line.task_id], fiscal_year=line.fiscal_year, source=line.source)
        )
    return [
        ProgrammeUse(
            code=p.code,
            name=p.name,
            source=p.source,
            parent=p.parent,
            tasks=sorted(tasks[p.code]),
            budget_lines=sorted(lines[p.code], key=lambda f: (f.task, f.fiscal_year, f.source)),
        )
        for p in catalogue_in(session)
        if tasks[p.code] or lines[p.code]
    ]


class ProgrammeService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def catalogue(self) -> list[Programme]:
        with UnitOfWork(self._database, self._actor) as uow:
            return catalogue_in(uow.session)

    def uses(self) -> list[ProgrammeUse]:
        with UnitOfWork(self._database, self._actor) as uow:
            return uses_in(uow.session)

    def add(self, programme: Programme) -> ProgrammeChanged:
        """Add a programme with the decision that approved it (its source)."""
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            known = {p.code for p in catalogue_in(uow.session)}
            if programme.code in known:
                raise InputRefused("There is already a programme {code}.", code=programme.code)
            if programme.parent and programme.parent not in known:
                refusal = InputRefused("There is no programme {code}.", code=programme.parent)
                raise with_suggestions(refusal, nearest(programme.parent, known))
            uow.session.add(
                ProgrammeRecord(
                    code=programme.code,
                    name=programme.name,
                    source=programme.source,
                    parent_code=programme.parent,
                )
            )
            uow.audit("programme.add", "programme", programme.code, new=programme.model_dump(mode="json"))
            uow.commit()
        return ProgrammeChanged(code=programme.code, changes=Changes(plan=True))

    def fold(self, task_code: str, programmes: list[str], reason: str = "") -> ProgrammeChanged:
        """The programmes task `task_code` is folded into (all of them: an empty list unfolds it)."""
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            task = _task(uow.session, task_code)
            _known(uow.session, programmes)
            old = sorted(
                uow.session.scalars(select(TaskProgrammeRecord.programme_code).filter_by(task_id=task.id))
            )
            uow.session.execute(delete(TaskProgrammeRecord).where(TaskProgrammeRecord.task_id == task.id))
            for code in sorted(set(programmes)):
                uow.session.add(TaskProgrammeRecord(task_id=task.id, programme_code=code))
            uow.audit(
                "task.programmes",
                "plan_task",
                task.code,
                old={"programmes": old},
                new={"programmes": sorted(set(programmes))},
                reason=reason,
            )
            uow.commit()
        return ProgrammeChanged(code=task_code, changes=Changes(plan=True))

    def fund(self, task_code: str, fiscal_year: int, source: str, programme: str | None) -> ProgrammeChanged:
        """The programme the budget line (task, year, source) comes through; None: none."""
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            task = _task(uow.session, task_code)
            line = uow.session.scalar(
                select(BudgetLineRecord).filter_by(task_id=task.id, fiscal_year=fiscal_year, source=source)
            )
            if line is None:
                raise InputRefused(
                    "Task {task} has no budget line for {year} from {source}.",
                    task=task_code,
                    year=fiscal_year,
                    source=source,
                )
            if programme:
                _known(uow.session, [programme])
            record = uow.session.get(BudgetLineProgrammeRecord, line.id)
            old = record.programme_code if record else None
            if record is not None:
                uow.session.delete(record)
                uow.session.flush()
            if programme:
                uow.session.add(BudgetLineProgrammeRecord(budget_line_id=line.id, programme_code=programme))
            uow.audit(
                "budget.programme",
                "budget_line",
                f"{task_code}/{fiscal_year}/{source}",
                old={"programme": old},
                new={"programme": programme},
            )
            uow.commit()
        return ProgrammeChanged(code=programme or "", changes=Changes(plan=True))


def _task(session, code: str) -> PlanTaskRecord:
    task = session.scalar(select(PlanTaskRecord).filter_by(code=code))
    if task is None:
        refusal = InputRefused("There is no task {code}.", code=code)
        raise with_suggestions(refusal, nearest(code, session.scalars(select(PlanTaskRecord.code)).all()))
    return task


def _known(session, codes: list[str]) -> None:
    known = {p.code for p in catalogue_in(session)}
    for code in codes:
        if code not in known:
            raise with_suggestions(
                InputRefused("There is no programme {code}.", code=code), nearest(code, known)
            )
