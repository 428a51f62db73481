"""The province's agencies, as Settings edits them: added, renamed, given a kind, taken out of
use (an end date), or deleted when no task names them. One transaction per call, every change
in the audit log; one problem refuses the whole call."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import AgencyRecord, PlanTaskRecord, TaskCoordinatingAgencyRecord
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.errors import CrcError, InputRefused
from crc_desktop.core.rules.places import in_force
from crc_desktop.core.schemas.agencies import AgencyChanges, AgencyReport, AgencyRow
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.text import fold, sort_key

_SHOWN = 3  # task codes named in a refusal before "…"


class AgencyService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def rows(self) -> list[AgencyRow]:
        """Every agency of the database, in Vietnamese order of name, with the tasks naming it."""
        with UnitOfWork(self._database, self._actor) as uow:
            session = uow.session
            leads, coordinates = _task_links(session)
            today = dt.date.today()
            rows = [
                AgencyRow(
                    id=a.id,
                    code=a.code,
                    name=a.name,
                    short_name=a.short_name,
                    kind=a.kind,
                    active=in_force(None, a.valid_to, today),
                    leads=sorted(leads[a.id], key=sort_key),
                    coordinates=sorted(coordinates[a.id], key=sort_key),
                )
                for a in session.scalars(select(AgencyRecord))
            ]
        return sorted(rows, key=lambda r: sort_key(r.name))

    def apply(self, changes: AgencyChanges, reason: str = "") -> AgencyReport:
        """Add, change and delete agencies, all or nothing, each change audited."""
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            session = uow.session
            records = {a.id: a for a in session.scalars(select(AgencyRecord))}
            leads, coordinates = _task_links(session)
            problems = _problems(changes, records, leads, coordinates)
            if problems:
                raise InputRefused("The agencies were not changed. Problems:", problems)
            added, changed, deleted = [], [], []
            for agency_id in changes.deleted:
                record = records.pop(agency_id)
                uow.audit("agency.delete", "agency", record.code, old=_state(record), reason=reason)
                session.delete(record)
                deleted.append(record.code)
            session.flush()
            codes = {r.code for r in records.values()}
            today = dt.date.today()
            for wanted in changes.saved:
                record = records.get(wanted.id) if wanted.id is not None else None
                old = _state(record) if record is not None else None
                if record is None:
                    record = AgencyRecord(code=wanted.code.strip() or _new_code(wanted.name, codes))
                    codes.add(record.code)
                    session.add(record)
                record.name, record.short_name, record.kind = wanted.name, wanted.short_name, wanted.kind
                if not wanted.active and in_force(None, record.valid_to, today):
                    record.valid_to = today - dt.timedelta(days=1)  # out of use from today
                elif wanted.active and not in_force(None, record.valid_to, today):
                    record.valid_to = None
                new = _state(record)
                if new == old:
                    continue
                action = "agency.create" if old is None else "agency.update"
                uow.audit(action, "agency", record.code, old=old, new=new, reason=reason)
                (added if old is None else changed).append(record.code)
            uow.commit()
        touched = bool(added or changed or deleted)  # the plan names its agencies
        return AgencyReport(
            added=added, changed=changed, deleted=deleted, changes=Changes(catalog=touched, plan=touched)
        )


def _task_links(session) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    leads: dict[int, list[str]] = defaultdict(list)
    coordinates: dict[int, list[str]] = defaultdict(list)
    codes = {}
    for task in session.scalars(select(PlanTaskRecord)):
        codes[task.id] = task.code
        if task.lead_agency_id is not None:
            leads[task.lead_agency_id].append(task.code)
    for link in session.scalars(select(TaskCoordinatingAgencyRecord)):
        coordinates[link.agency_id].append(codes[link.task_id])
    return leads, coordinates


def _problems(changes: AgencyChanges, records: dict, leads, coordinates) -> list[CrcError]:
    problems: list[CrcError] = []
    for agency_id in changes.deleted:
        record = records.get(agency_id)
        if record is None:
            problems.append(CrcError("There is no agency {id} (deleted meanwhile?).", id=agency_id))
        elif refusal := deletion_refusal(record.name, leads[agency_id], coordinates[agency_id]):
            problems.append(refusal)
    remaining = {i: r for i, r in records.items() if i not in changes.deleted}
    names = {fold(r.name): r.id for r in remaining.values()}
    codes = {r.code.casefold(): r.id for r in remaining.values()}
    for wanted in changes.saved:
        if wanted.id is not None and wanted.id not in records:
            problems.append(CrcError("There is no agency {id} (deleted meanwhile?).", id=wanted.id))
            continue
        if wanted.id is not None and wanted.id in changes.deleted:
            continue
        holder = names.get(fold(wanted.name))
        if holder is not None and holder != wanted.id:
            problems.append(CrcError("There is already an agency named {name}.", name=wanted.name))
        names[fold(wanted.name)] = wanted.id if wanted.id is not None else -1
        if wanted.id is None and wanted.code.strip():
            code = wanted.code.strip()
            if not re.fullmatch(r"[A-Za-z0-9_.-]{1,32}", code):
                problems.append(
                    CrcError(
                        "The code {code} of {name} may hold only letters without accents, digits, "
                        "'-', '_' and '.' (32 at most).",
                        code=code,
                        name=wanted.name,
                    )
                )
            elif code.casefold() in codes:
                problems.append(CrcError("There is already an agency with the code {code}.", code=code))
            codes[code.casefold()] = -1
    return problems


def deletion_refusal(name: str, leads: list[str], coordinates: list[str]) -> CrcError | None:
    """Why an agency cannot be deleted (tasks name it), or None when it can."""
    if leads:
        return CrcError(
            "{name} leads the tasks {tasks}: it cannot be deleted, or those tasks would have "
            "no lead agency. Give them another lead agency first, or untick “in use” to stop "
            "offering it while the plan keeps its name.",
            name=name,
            tasks=_listed(leads),
        )
    if coordinates:
        return CrcError(
            "{name} coordinates the tasks {tasks}: it cannot be deleted, or the plan would "
            "lose that. Untick “in use” instead.",
            name=name,
            tasks=_listed(coordinates),
        )
    return None


def _listed(codes: list[str]) -> str:
    shown = ", ".join(codes[:_SHOWN])
    return shown + (", …" if len(codes) > _SHOWN else "")


def _new_code(name: str, taken: set[str]) -> str:
    """A code from the initials of the name ("Hội Người cao tuổi tỉnh" → HNCTT), made unique."""
    letters = "".join(word[0] for word in fold(name).split() if word[0].isalnum()).upper()[:12] or "CQ"
    code, number = letters, 1
    while code in taken:
        number += 1
        code = f"{letters}{number}"
    return code


def _state(record: AgencyRecord | None) -> dict | None:
    if record is None:
        return None
    return {
        "code": record.code,
        "name": record.name,
        "short_name": record.short_name,
        "kind": record.kind,
        "valid_to": record.valid_to.isoformat() if record.valid_to else None,
    }
