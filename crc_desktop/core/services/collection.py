"""The collection round: forms for the communes and agencies, their files taken back, and the
board of who has returned what.

Each returned file is checked and loaded on its own, in its own transaction: all of it or none
of it. A file's identity (database, province, period, unit, form version) is checked first and
refused in one sentence; then every cell, each problem named by sheet and cell. Every value
written carries in its audit entry the unit, the file and the file's SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from sqlalchemy import insert, select, update

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    AgencyRecord,
    AppInfoRecord,
    AreaRecord,
    BudgetLineRecord,
    CollectionAttemptRecord,
    CollectionExemptionRecord,
    CollectionReturnRecord,
    IndicatorValueRecord,
    MilestoneRecord,
    ProgressUpdateRecord,
)
from crc_desktop.core.db.reads import collection_units, counting
from crc_desktop.core.db.repositories import fetch_all, named_areas, period_day
from crc_desktop.core.db.revision import DATABASE_ID_KEY
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import CrcError, InputRefused, Msgid, NotFound, os_reason, with_suggestions
from crc_desktop.core.files import write_atomically
from crc_desktop.core.i18n import N_
from crc_desktop.core.progress import NO_PROGRESS, Progress
from crc_desktop.core.rules.periods import PeriodCode
from crc_desktop.core.rules.places import in_force
from crc_desktop.core.rules.rollup import COMPUTED, asked_of
from crc_desktop.core.rules.validation import Value, parse_value
from crc_desktop.core.rules.vocabulary import TaskStatus
from crc_desktop.core.rules.workflow import PeriodState
from crc_desktop.core.schemas import snapshot as s
from crc_desktop.core.schemas.changes import NOTHING, Changes, Outcome
from crc_desktop.core.schemas.collection import (
    CollectionImport,
    FileOutcome,
    FormsWritten,
    Problem,
    RoundStatus,
    UnitStatus,
)
from crc_desktop.core.schemas.values import CellValue
from crc_desktop.core.services.snapshot import SnapshotService
from crc_desktop.core.services.values import ValueService
from crc_desktop.core.text import nearest, sort_key

FOR_CHOICES = ("communes", "agencies", "all")
_KINDS = {"communes": ("commune",), "agencies": ("agency",), "all": ("commune", "agency")}
UNIT_WORDS = {"commune": N_("commune"), "agency": N_("agency")}


class CollectionService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor
        self._snapshots = SnapshotService(database, actor)

    # -- forms ------------------------------------------------------------------------------

    def forms(
        self,
        period: str,
        out: Path,
        *,
        kind: str = "all",
        units: list[str] | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> FormsWritten:
        """One workbook per commune and/or agency (all of them, or the `units` named by code)."""
        if kind not in FOR_CHOICES:
            raise InputRefused("Choose communes, agencies or all.")
        out = Path(out)
        if out.exists() and not out.is_dir():
            raise InputRefused("{folder} is a file, not a folder.", folder=str(out))
        progress.step(0.02)
        snapshot = self._snapshots.take(period, values=False, entry=True)
        progress.step(0.1)
        book = _FormBook(self._database, self._actor, snapshot)
        progress.step(0.15)
        commune_part = [i for i in snapshot.indicators if asked_of(i.measure, i.reported_by, "commune")]
        jobs = [
            book.job(unit_kind, code, name, out)
            for unit_kind, code, name in book.units(_KINDS[kind], units)
            if book.has_something(unit_kind, code, name, commune_part)  # no form for nothing to report
        ]
        try:
            out.mkdir(parents=True, exist_ok=True)  # a new folder for this round's forms
        except OSError as error:
            raise InputRefused(
                "The folder {folder} cannot be created: {reason}.", folder=str(out), reason=os_reason(error)
            ) from error
        # what every commune's form shares goes to each worker once, not with each job
        shared = (uuid.uuid4().hex, commune_part)
        written = []
        for index, path in enumerate(_in_workers(_write_form, jobs, shared)):
            written.append(path)
            progress.step(0.15 + 0.85 * (index + 1) / max(len(jobs), 1))
        return FormsWritten(folder=str(out), files=written)

    # -- returns ----------------------------------------------------------------------------

    def import_files(
        self,
        period: str,
        paths: list[Path],
        *,
        dry_run: bool = False,
        reason: str = "",
        progress: Progress = NO_PROGRESS,
    ) -> CollectionImport:
        """Check and load each file on its own; a folder stands for the .xlsx files in it."""
        code = str(PeriodCode.parse(period))
        files = _expand(paths)
        context = _ImportContext.load(self._database, self._actor, code)
        # a dry run tells of a lock too, but needs no reason
        PeriodState(context.state).ensure_editable(code, reason or ("-" if dry_run else ""))
        digests = {path: _digest(path) for path in files}
        # files are read (the slow part) in worker processes, in order, while this one loads them
        readings = _in_workers(
            _read_file, [p for p in files if digests[p] is not None and digests[p] not in context.loaded]
        )
        try:
            return self._import_files(context, code, files, digests, readings, dry_run, reason, progress)
        finally:
            readings.close()  # the worker processes end with the import, whatever stopped it

    def _import_files(self, context, code, files, digests, readings, dry_run, reason, progress):
        outcomes: list[FileOutcome] = []
        for index, path in enumerate(files):
            if progress.cancelled and any(o.status == "loaded" for o in outcomes):
                # each file commits on its own: a Cancel after one was loaded stops before the
                # next, and the outcome tells what was loaded and what was not read
                return self._imported(code, dry_run, outcomes, [p.name for p in files[index:]])
            progress.step(index / max(len(files), 1), path.name)  # before the file: nothing of it is kept
            digest = digests[path]
            if digest is None:
                outcome = _refused(path.name, CrcError("{path} cannot be read.", path=str(path)))
            elif digest in context.loaded:
                outcome = self._skipped(context, path.name, digest)
            else:
                outcome = self._one(context, path.name, next(readings), dry_run, reason)
            outcomes.append(outcome)
        return self._imported(code, dry_run, outcomes)

    @staticmethod
    def _imported(
        code: str, dry_run: bool, outcomes: list[FileOutcome], not_read: list[str] | None = None
    ) -> CollectionImport:
        loaded = [] if dry_run else [o for o in outcomes if o.status == "loaded"]
        changes = Changes(collection=True, values=any(o.changed for o in loaded), period=code)
        return CollectionImport(
            dry_run=dry_run,
            outcomes=outcomes,
            not_read=not_read or [],
            changes=changes if loaded else NOTHING,
        )

    @staticmethod
    def _skipped(context: _ImportContext, name: str, digest: str) -> FileOutcome:
        kind, code = context.loaded[digest]
        names = context.communes if kind == "commune" else context.agencies
        return FileOutcome(
            file=name, status="skipped", unit_kind=kind, unit_code=code, unit_name=names.get(code, "")
        )

    def _one(
        self, context: _ImportContext, name: str, read: tuple, dry_run: bool, reason: str
    ) -> FileOutcome:
        digest, facts, reading, refusal = read
        unit = context.check_identity(facts)
        if unit is None or isinstance(unit, CrcError):
            if refusal is not None and not facts:
                return FileOutcome(file=name, status="refused", reason=refusal[0], problems=refusal[1])
            return _refused(name, unit or CrcError("This file is not a collection form of CRC Desktop."))
        kind, code, unit_name = unit
        found = FileOutcome(file=name, status="skipped", unit_kind=kind, unit_code=code, unit_name=unit_name)
        if digest in context.loaded:  # the same file twice in one import
            return found
        if refusal is not None:
            refused = found.model_copy(
                update={"status": "refused", "reason": refusal[0], "problems": refusal[1]}
            )
            return self._attempt(context, refused, digest, dry_run)
        plan = _ReturnPlan(context, kind, code, unit_name, name, digest, reason)
        problems = plan.read(reading)
        if problems:
            refused = found.model_copy(
                update={
                    "status": "refused",
                    "reason": Problem.of(CrcError("The file was not loaded; nothing from it was written.")),
                    "problems": problems,
                }
            )
            return self._attempt(context, refused, digest, dry_run)
        with UnitOfWork(self._database, self._actor) as uow:
            blank = plan.blank(uow, uow.periods.get(context.period))
        if blank:  # nothing typed: not a return (the unit is still asked for its form)
            return self._attempt(context, found.model_copy(update={"status": "blank"}), digest, dry_run)
        if dry_run:
            with UnitOfWork(self._database, self._actor) as uow:
                changed = plan.count(uow, uow.periods.get(context.period))
        else:
            self._write(context, plan)
            context.loaded[digest] = (kind, code)
            context.sent[(kind, code)] = plan.sent()
            changed = plan.changes
        return found.model_copy(update={"status": "loaded", "changed": changed})

    def _attempt(
        self, context: _ImportContext, outcome: FileOutcome, digest: str, dry_run: bool
    ) -> FileOutcome:
        """Keep a unit's blank or refused form on record (not on a dry run), so the board tells it
        from a form never sent; returns `outcome`."""
        if dry_run:
            return outcome
        first = outcome.problems[0] if outcome.problems else outcome.reason
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            period = uow.periods.get(context.period)
            uow.session.add(
                CollectionAttemptRecord(
                    period_id=period.id,
                    unit_kind=outcome.unit_kind,
                    unit_code=outcome.unit_code,
                    outcome=outcome.status,
                    file_name=outcome.file,
                    sha256=digest,
                    reason=first.model_dump_json() if first is not None else "",
                    at=now(),
                    by=self._actor.user_name or self._actor.os_user,
                )
            )
            uow.commit()
        return outcome

    def _write(self, context: _ImportContext, plan: _ReturnPlan) -> None:
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            period = uow.periods.get(context.period)
            PeriodState(period.state).ensure_editable(period.code, plan.given_reason)  # it may have moved
            plan.write(uow, period)
            uow.session.add(
                CollectionReturnRecord(
                    period_id=period.id,
                    unit_kind=plan.kind,
                    unit_code=plan.code,
                    file_name=plan.file_name,
                    sha256=plan.digest,
                    values_changed=plan.changes,
                    sent_cells=plan.sent(),
                    loaded_at=now(),
                    loaded_by=self._actor.user_name or self._actor.os_user,
                )
            )
            uow.audit(
                "collection.return",
                "collection_return",
                f"{period.code}/{plan.kind}/{plan.code}",
                new={"file": plan.file_name, "sha256": plan.digest, "changed": plan.changes},
                reason=plan.reason,
            )
            uow.commit()

    # -- the board --------------------------------------------------------------------------

    def status(self, period: str) -> RoundStatus:
        code = str(PeriodCode.parse(period))
        findings = Counter(f.area_id for f in ValueService(self._database, self._actor).findings(code))
        with UnitOfWork(self._database, self._actor) as uow:
            record = uow.periods.get(code)
            connection = uow.session.connection().connection.dbapi_connection
            units = collection_units(connection, record.id)
            areas = dict(fetch_all(uow.session, "SELECT code, id FROM area"))
            values = dict(
                fetch_all(
                    uow.session,
                    "SELECT area_id, count(*) FROM indicator_value WHERE period_id = ? GROUP BY area_id",
                    (record.id,),
                )
            )
            tasks = _agency_tasks(uow.session, record.id)
            attempts = {
                (kind, unit): (outcome, at, file_name, reason)
                for kind, unit, outcome, at, file_name, reason in fetch_all(
                    uow.session,
                    "SELECT unit_kind, unit_code, outcome, at, file_name, reason FROM collection_attempt"
                    " WHERE period_id = ? ORDER BY id",
                    (record.id,),
                )
            }
        board = []
        for unit in units:
            if unit.kind == "commune":
                area = areas.get(unit.code)
                count, problems = values.get(area, 0), findings.get(area, 0)
            else:
                done, total = tasks.get(unit.code, (0, 0))
                count, problems = done, total - done
            state = (
                "exempt" if unit.exempt_reason is not None else ("returned" if unit.file_name else "missing")
            )
            attempt = attempts.get((unit.kind, unit.code))
            refusal = None
            if (
                state != "exempt"
                and attempt
                and (not unit.loaded_at or str(attempt[1]) > str(unit.loaded_at))
            ):
                state = attempt[0]  # its latest form came back blank or was refused
                refusal = Problem.restored(json.loads(attempt[3])) if attempt[3] else None
            board.append(
                UnitStatus(
                    kind=unit.kind,
                    code=unit.code,
                    name=unit.name,
                    state=state,
                    returned_at=dt.datetime.fromisoformat(unit.loaded_at) if unit.loaded_at else None,
                    file=unit.file_name or "",
                    sha256=unit.sha256 or "",
                    values=count,
                    problems=problems,
                    exempt_reason=unit.exempt_reason or "",
                    last_file=attempt[2] if state in ("blank", "refused") else "",
                    refusal=refusal,
                )
            )
        board.sort(key=lambda u: (u.kind != "commune", sort_key(u.code)))
        return RoundStatus(period=code, units=board)

    def exempt(self, period: str, kind: str, code: str, reason: str) -> Outcome:
        """Mark a unit "no report expected" in the period, with a reason; an empty reason undoes it."""
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            record = uow.periods.get(period)
            _unit_name(uow.session, kind, code)
            existing = uow.session.scalar(
                select(CollectionExemptionRecord).filter_by(
                    period_id=record.id, unit_kind=kind, unit_code=code
                )
            )
            old = {"reason": existing.reason} if existing else None
            if reason.strip():
                if existing is None:
                    existing = CollectionExemptionRecord(period_id=record.id, unit_kind=kind, unit_code=code)
                    uow.session.add(existing)
                existing.reason, existing.at = reason.strip(), now()
                existing.by = self._actor.user_name or self._actor.os_user
                new = {"reason": existing.reason}
            elif existing is not None:
                uow.session.delete(existing)
                new = None
            else:
                return Outcome()  # nothing to undo
            uow.session.flush()
            uow.audit(
                "collection.exempt", "collection_exemption", f"{record.code}/{kind}/{code}", old=old, new=new
            )
            uow.commit()
            return Outcome(changes=Changes(collection=True, values=True, period=record.code))

    def missing_workbook(self, period: str, out: Path) -> str:
        """The units still missing, as an Excel list to chase them."""
        from crc_desktop.core.reporting.forms import write_missing_list

        status = self.status(period)
        write_atomically(Path(out), lambda stream: write_missing_list(status, stream))
        return str(out)


MAX_WORKERS = 4
_SEQUENTIAL_BELOW = 12  # fewer forms than this are written here: starting workers would cost more

# In each process that writes forms: what the jobs of the current call share (set by `_share`),
# and the communes' forms made from the first one it wrote (see `forms.CommuneForms`).
_shared: dict = {}


def _share(shared) -> None:
    if _shared.get("value", (None,))[0] != shared[0]:
        _shared.clear()
    _shared["value"] = shared


def _write_form(job: tuple) -> str:
    """Write one form; runs in a worker process (or in this one)."""
    from crc_desktop.core.reporting.forms import CommuneForms, write_agency_form

    identity, target, layout, tasks, percents = job
    if tasks is None:
        layout = replace(layout, indicators=_shared["value"][1])
        if "communes" not in _shared:
            _shared["communes"] = CommuneForms(identity, layout)
        forms = _shared["communes"]
        write_atomically(target, lambda stream: forms.write(identity, layout, stream))
    else:
        write_atomically(target, lambda stream: write_agency_form(identity, tasks, percents, layout, stream))
    return str(target)


def _in_workers(work, jobs: list, shared=None) -> Iterator:
    """`work` of each job, in order; many jobs run in worker processes (writing a workbook is
    CPU-bound), as many as the machine has cores, up to MAX_WORKERS. `shared` (a tuple whose first
    item names the call) is handed to each process once, before its jobs (see `_share`)."""
    workers = min(len(jobs), os.cpu_count() or 1, MAX_WORKERS)
    if workers <= 1 or len(jobs) < _SEQUENTIAL_BELOW:
        if shared is not None:
            _share(shared)
        try:
            yield from map(work, jobs)
        finally:
            _shared.clear()  # the forms' template is not kept past the call in this process
        return
    # spawn, not fork: the GUI calls this from a thread, and Windows has nothing else
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=None if shared is None else _share,
        initargs=() if shared is None else (shared,),
    )
    try:
        futures = [pool.submit(work, job) for job in jobs]
        for future in futures:
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _read_file(path: Path) -> tuple:
    """(SHA-256, identity facts, the form's reading, refusal) of one file; runs in a worker process
    (or in this one). Problems come back as `Problem`s, which cross between processes intact."""
    from crc_desktop.core.reporting.excel import read_identity
    from crc_desktop.core.reporting.forms import FORM_FORMAT, read_form
    from crc_desktop.core.values_workbook import ValuesWorkbook  # its values only: calamine

    try:
        data = path.read_bytes()
    except OSError:  # gone or locked since it was listed
        return None, {}, None, (Problem.of(CrcError("{path} cannot be read.", path=str(path))), [])
    digest = hashlib.sha256(data).hexdigest()
    try:
        book = ValuesWorkbook(io.BytesIO(data))
    except InputRefused:
        return digest, {}, None, (Problem.of(CrcError("This file is not a readable Excel workbook.")), [])
    try:
        facts = read_identity(book)
        if facts.get("format") != FORM_FORMAT:
            return digest, facts, None, None
        reading = read_form(book)
    except InputRefused as error:
        return digest, facts, None, (Problem.of(error), [Problem.of(p) for p in error.problems])
    finally:
        book.close()
    reading.problems = [Problem.of(p) for p in [*reading.problems, *reading.values.problems]]
    reading.values.problems = []
    return digest, facts, reading, None


def _refused(name: str, error: CrcError) -> FileOutcome:
    problems = getattr(error, "problems", [])
    return FileOutcome(
        file=name, status="refused", reason=Problem.of(error), problems=[Problem.of(p) for p in problems]
    )


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for its .xlsx files (not Excel's "~$" lock files), by name."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(
                (p for p in path.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$")),
                key=lambda p: sort_key(p.name),
            )
        else:
            files.append(path)
    return files


def _unit_name(session, kind: str, code: str) -> str:
    if kind == "commune":
        name = session.scalar(select(AreaRecord.name).filter_by(code=code, level="commune"))
    elif kind == "agency":
        name = session.scalar(select(AgencyRecord.name).filter_by(code=code))
    else:
        name = None
    if name is None:
        refusal = NotFound(
            "There is no {kind} with code {code}.", kind=Msgid(UNIT_WORDS.get(kind, kind)), code=code
        )
        if kind == "commune":
            known = [("commune", c, n) for c, n in session.execute(
                select(AreaRecord.code, AreaRecord.name).filter_by(level="commune"))]  # fmt: skip
        else:
            known = [
                ("agency", c, n) for c, n in session.execute(select(AgencyRecord.code, AgencyRecord.name))
            ]
        raise with_suggestions(refusal, _nearest_units(code, known))
    return name


def _nearest_units(typed: str, units: list[tuple[str, str, str]]) -> list[str]:
    """The units a mistyped code or name may mean, as "code name" (by code, then by name)."""
    labels = {code: f"{code} {name}" for _kind, code, name in units}
    by_name = {name: code for _kind, code, name in units}
    codes = nearest(typed, labels) or [by_name[name] for name in nearest(typed, by_name)]
    return [labels[code] for code in codes]


def _agency_tasks(session, period_id: int) -> dict[str, tuple[int, int]]:
    """agency code → (tasks it leads with progress in the period, tasks it leads), cancelled left out."""
    rows = fetch_all(
        session,
        "SELECT a.code, count(u.id), count(t.id) FROM plan_task t JOIN agency a ON a.id = t.lead_agency_id"
        " LEFT JOIN progress_update u ON u.task_id = t.id AND u.period_id = ?"
        f" WHERE {counting()} GROUP BY a.code",
        (period_id,),
    )
    return {code: (done, total) for code, done, total in rows}


def _database_id(session) -> str:
    record = session.get(AppInfoRecord, DATABASE_ID_KEY)
    return record.value if record else ""


def _agency_indicators(
    indicators: list[s.Indicator], lead_agency: dict[str, str], agency: tuple[str, str]
) -> list[s.Indicator]:
    """The indicators an agency is the source for: the counts the catalogue says it reports (by
    code), and, for an indicator that says nothing of who reports it (a catalogue before format
    2), those whose lead agency names it (by name or code). Never a computed rate."""
    names = {n.casefold() for n in agency if n}
    return [
        i
        for i in indicators
        if i.reported_by.casefold() in names
        or (
            not i.reported_by
            and i.measure not in COMPUTED
            and lead_agency.get(i.key, "").strip().casefold() in names
        )
    ]


class _FormBook:
    """What the forms of one period are made from, read once for all of them."""

    def __init__(self, database: Database, actor: Actor, snapshot: s.PeriodSnapshot) -> None:
        from crc_desktop.core.services.snapshot import indicator_key, value_keys

        self.snapshot = snapshot
        with UnitOfWork(database, actor) as uow:
            session = uow.session
            period = uow.periods.get(snapshot.period.code)
            previous = uow.periods.previous(period)
            self.database_id = _database_id(session)
            cells, areas = value_keys(session)
            # plain tuples, not models: a large province's period holds over 100,000 values
            self.values: dict[str, dict] = defaultdict(dict)  # area code → (indicator, cell, area) → value
            for cell, area, number, text, comment, flag in uow.values.rows(period.id):
                key = (*cells[cell], areas[area])
                self.values[key[2]][key] = CellValue(number, text, comment, bool(flag))
            # the communes of the period's last day, under that day's names (see SnapshotService)
            self.communes = [(a.code, a.name) for a in snapshot.areas if a.level == "commune"]
            # the agencies in use on the period's last day (one taken out of use later still reports)
            self.agencies = [
                (a.code, a.name, a.short_name)
                for a in session.scalars(select(AgencyRecord).order_by(AgencyRecord.code))
                if in_force(a.valid_from, a.valid_to, period_day(period))
            ]
            self.lead_agency = {
                indicator_key(set_code, annex, code): lead
                for set_code, annex, code, lead in fetch_all(
                    session,
                    "SELECT s.code, i.annex, i.code, i.lead_agency FROM indicator i"
                    " JOIN indicator_set s ON s.id = i.set_id",
                )
            }
            self.previous: dict[str, dict] = defaultdict(dict)  # area code → (indicator, cell, area) → number
            self.previous_percent: dict[str, int] = {}
            if previous is not None:
                for (cell, area), number in uow.values.numbers(previous.id).items():
                    if number is not None:
                        key = (*cells[cell], areas[area])
                        self.previous[key[2]][key] = number
                self.previous_percent = dict(
                    fetch_all(
                        session,
                        "SELECT t.code, u.percent_done FROM progress_update u"
                        " JOIN plan_task t ON t.id = u.task_id"
                        " WHERE u.period_id = ?",
                        (previous.id,),
                    )
                )

    def units(self, kinds: tuple[str, ...], chosen: list[str] | None) -> list[tuple[str, str, str]]:
        units = [("commune", code, name) for code, name in self.communes] if "commune" in kinds else []
        units += [("agency", code, name) for code, name, _short in self.agencies] if "agency" in kinds else []
        if chosen:
            wanted = {c.strip() for c in chosen if c.strip()}
            unknown = sorted(wanted - {code for _kind, code, _name in units})
            if unknown:
                refusal = InputRefused("There is no unit with code {codes}.", codes=", ".join(unknown))
                raise with_suggestions(refusal, _nearest_units(unknown[0], units))
            units = [u for u in units if u[1] in wanted]
        return units

    def identity(self, kind: str, code: str, name: str):
        from crc_desktop.core.reporting.forms import FormIdentity

        return FormIdentity(
            database_id=self.database_id,
            province_code=self.snapshot.province.code,
            province_name=self.snapshot.province.name,
            period=self.snapshot.period.code,
            unit_kind=kind,
            unit_code=code,
            unit_name=name,
        )

    def layout(self, area_codes: list[str], indicators: list[s.Indicator]):
        from crc_desktop.core.reporting.excel import ValuesLayout

        areas = [a for a in self.snapshot.areas if a.code in area_codes]
        return ValuesLayout(
            indicators=indicators,
            areas=areas,
            values={k: v for code in area_codes for k, v in self.values.get(code, {}).items()},
            previous={k: v for code in area_codes for k, v in self.previous.get(code, {}).items()},
            year=PeriodCode.parse(self.snapshot.period.code).year,
        )

    def job(self, kind: str, code: str, name: str, out: Path) -> tuple:
        """What a worker needs to write one unit's form: (identity, target, layout, tasks, percents);
        a commune's layout comes without its indicators, which every worker has (see `_share`)."""
        identity = self.identity(kind, code, name)
        target = out / identity.file_name
        if kind == "commune":
            return identity, target, self.layout([code], []), None, None
        tasks, indicators = self.agency_part(name, code)
        layout = self.layout([self.snapshot.province.code], indicators) if indicators else None
        return identity, target, layout, tasks, self.previous_percent

    def has_something(self, kind: str, code: str, name: str, commune_part: list[s.Indicator]) -> bool:
        """Whether a unit is asked for anything: a commune for the counts communes report, an
        agency for its tasks or its counts."""
        if kind == "commune":
            return bool(commune_part)
        tasks, indicators = self.agency_part(name, code)
        return bool(tasks or indicators)

    def agency_part(self, name: str, code: str) -> tuple[list[s.Task], list[s.Indicator]]:
        short = next((sh for c, _n, sh in self.agencies if c == code), "")
        tasks = [t for t in self.snapshot.tasks if t.lead_agency == name and TaskStatus(t.status).counts]
        return tasks, _agency_indicators(self.snapshot.indicators, self.lead_agency, (name, code, short))


class _ImportContext:
    """What every file of an import is checked against, read once."""

    def __init__(self) -> None:
        self.period = ""
        self.state = ""
        self.database_id = ""
        self.province = ""
        self.communes: dict[str, str] = {}
        self.agencies: dict[str, str] = {}
        self.loaded: dict[str, tuple[str, str]] = {}  # SHA-256 of a loaded file → (kind, unit code)
        self.rows: dict[tuple[str, str, str, str], tuple[int, str, int]] = {}  # → (cell id, type, indicator)
        self.areas: dict[str, int] = {}
        self.tasks: dict[str, tuple[int, str]] = {}  # code → (id, lead agency code)
        self.task_status: dict[str, str] = {}  # code → the plan's status (a form prints it)
        self.sent: dict[tuple[str, str], dict] = {}  # (kind, unit) → the cells its latest file held

    @classmethod
    def load(cls, database: Database, actor: Actor, code: str) -> _ImportContext:
        context = cls()
        with UnitOfWork(database, actor) as uow:
            session = uow.session
            period = uow.periods.get(code)
            context.period, context.state = period.code, period.state
            context.database_id = _database_id(session)
            context.province = fetch_all(
                session, "SELECT p.code FROM office_profile o JOIN province p ON p.id = o.province_id"
            )[0][0]
            context.areas = dict(fetch_all(session, "SELECT code, id FROM area"))
            # every commune (a form is checked against all), named as on the period's last day
            context.communes = {
                a.code: a.name for a in named_areas(session, period_day(period)) if a.level == "commune"
            }
            context.agencies = dict(fetch_all(session, "SELECT code, name FROM agency"))
            context.loaded = {
                digest: (kind, unit)
                for kind, unit, digest in fetch_all(
                    session,
                    "SELECT unit_kind, unit_code, sha256 FROM collection_return WHERE period_id = ?",
                    (period.id,),
                )
            }
            for kind, unit, sent in fetch_all(
                session,
                "SELECT unit_kind, unit_code, sent_cells FROM collection_return"
                " WHERE period_id = ? ORDER BY id",
                (period.id,),
            ):
                context.sent[(kind, unit)] = json.loads(sent) if isinstance(sent, str) else sent
            context.rows = {
                (set_code, annex, icode, key): (cell_id, vtype, indicator_id)
                for cell_id, key, set_code, annex, icode, vtype, indicator_id in fetch_all(
                    session,
                    "SELECT c.id, c.key, s.code, i.annex, i.code, i.value_type, i.id FROM indicator_cell c"
                    " JOIN indicator i ON i.id = c.indicator_id JOIN indicator_set s ON s.id = i.set_id",
                )
            }
            context.tasks = {
                code: (task_id, agency or "")
                for task_id, code, agency in fetch_all(
                    session,
                    "SELECT t.id, t.code, a.code FROM plan_task t"
                    " LEFT JOIN agency a ON a.id = t.lead_agency_id",
                )
            }
            context.task_status = dict(fetch_all(session, "SELECT code, status FROM plan_task"))
        return context

    def check_identity(self, facts: dict[str, str]) -> tuple[str, str, str] | CrcError | None:
        """(kind, code, name) of the unit whose form this is, or why it is refused, in one sentence."""
        from crc_desktop.core.reporting.forms import FORM_FORMAT, FORM_VERSION

        if facts.get("format") != FORM_FORMAT:
            return None
        try:
            version = int(facts.get("format_version") or 0)
        except ValueError:
            version = 0
        if version < FORM_VERSION:
            return CrcError(
                "This is an older form (version {theirs}); send the unit a new form (version {ours}).",
                theirs=version,
                ours=FORM_VERSION,
            )
        if version > FORM_VERSION:
            return CrcError("This form was made by a newer version of CRC Desktop; update the program.")
        if facts.get("province") != self.province:
            return CrcError(
                "This form is for province {theirs}, not {ours}.",
                theirs=facts.get("province", ""),
                ours=self.province,
            )
        if facts.get("database_id") != self.database_id:
            return CrcError("This form was made from another database, not this office's.")
        if facts.get("period") != self.period:
            return CrcError(
                "This form is for period {theirs}, not {ours}.",
                theirs=facts.get("period", ""),
                ours=self.period,
            )
        kind, code = facts.get("unit_kind", ""), facts.get("unit", "")
        names = self.communes if kind == "commune" else self.agencies if kind == "agency" else {}
        if code not in names:
            refusal = CrcError(
                "This form is for the unit {code}, which this database does not have.", code=code
            )
            return with_suggestions(refusal, _nearest_units(code, [(kind, c, n) for c, n in names.items()]))
        return kind, code, names[code]


class _ReturnPlan:
    """The changes one returned file asks for, checked before anything is written."""

    def __init__(
        self,
        context: _ImportContext,
        kind: str,
        code: str,
        name: str,
        file_name: str,
        digest: str,
        reason: str,
    ) -> None:
        self.context, self.kind, self.code, self.name = context, kind, code, name
        self.file_name, self.digest = file_name, digest
        source = f"Số liệu thu thập từ {name} ({code}), tệp {file_name}, SHA-256 {digest}"
        self.given_reason = reason.strip()
        self.reason = f"{self.given_reason} — {source}" if self.given_reason else source
        self.area_code = code if kind == "commune" else context.province
        self.values: dict[int, tuple] = {}  # cell id → (Value or None, comment or None)
        self.reading = None
        self.changes = 0
        self._pending: dict = {}

    def read(self, reading) -> list[Problem]:
        """Check every cell; the problems, or none when the file can be loaded."""
        from crc_desktop.core.reporting.excel import DATA_SHEET

        problems: list = list(reading.problems)
        values = reading.values
        if values.areas and set(values.areas) != {self.area_code}:
            found = ", ".join(values.areas.values())
            return [
                Problem.of(
                    CrcError(
                        "The value column is {found}, but the form is for {unit}.",
                        found=found,
                        unit=f"{self.area_code} | {self.name}",
                    )
                )
            ]
        parsed: dict[int, list] = defaultdict(lambda: [None, None])
        for key, (raw, where) in sorted(values.values.items(), key=lambda item: item[1][1]):
            row = self.context.rows.get(key[:4])
            if row is None:
                refusal = CrcError(
                    "Sheet {sheet}, cell {cell}: there is no indicator {code} ({key}).",
                    sheet=DATA_SHEET,
                    cell=where,
                    code=key[2],
                    key=key[3],
                )
                problems.append(with_suggestions(refusal, nearest(key[2], {k[2] for k in self.context.rows})))
                continue
            try:
                parsed[row[0]][0] = parse_value(row[1], raw, "en_US")
            except CrcError as error:
                problems.append(
                    CrcError(
                        "Sheet {sheet}, cell {cell}: {reason}", sheet=DATA_SHEET, cell=where, reason=error
                    )
                )
        for key, (text, _where) in values.comments.items():
            row = self.context.rows.get(key[:4])
            if row is not None:
                parsed[row[0]][1] = text
        self.values = dict(parsed)
        self.reading = reading
        problems += self._plan_problems(reading)
        return [p if isinstance(p, Problem) else Problem.of(p) for p in problems]

    def _plan_problems(self, reading) -> list[CrcError]:
        """Each row of an agency's sheets that names no task, a task the plan does not have, or
        one another agency leads: the file is refused, naming the sheet and the row."""
        problems: list[CrcError] = []
        for sheet, row, code in reading.task_rows:
            task = self.context.tasks.get(code)
            if not code:
                problems.append(
                    CrcError("Sheet {sheet}, row {row}: the row names no task.", sheet=sheet, row=row)
                )
            elif task is None:
                refusal = CrcError(
                    "Sheet {sheet}, row {row}: the plan has no task {code}.", sheet=sheet, row=row, code=code
                )
                led = [
                    task_code
                    for task_code, (_id, agency) in self.context.tasks.items()
                    if agency == self.code
                ]
                problems.append(with_suggestions(refusal, nearest(code, led or self.context.tasks)))
            elif task[1] != self.code:
                problems.append(
                    CrcError(
                        "Sheet {sheet}, row {row}: task {code} is not led by this agency.",
                        sheet=sheet,
                        row=row,
                        code=code,
                    )
                )
        return problems

    def blank(self, uow: UnitOfWork, period) -> bool:
        """Whether the unit's first form holds nothing that was typed in it: no value, comment,
        progress, spending or milestone that differs from what the form was printed with (the
        office's data of the moment). A later form of a unit that returned one is a correction."""
        if (self.kind, self.code) in self.context.loaded.values():
            return False
        return self.count(uow, period) == 0

    def sent(self) -> dict[str, list[int]]:
        """The cells this file holds a value or a comment in (kept with the return)."""
        return {
            "values": sorted(cell for cell, (value, _c) in self.values.items() if value is not None),
            "comments": sorted(cell for cell, (_v, comment) in self.values.items() if comment is not None),
        }

    def _cleared(self) -> dict[int, tuple]:
        """What a corrected file clears: the cells the unit's previous file held a value (or a
        comment) in and this one leaves blank. A blank in a unit's first file means "not reported"
        and keeps whatever is there; the previous file's cells are unknown for returns loaded by
        an older version of the program (nothing is cleared then)."""
        before = self.context.sent.get((self.kind, self.code)) or {}
        cleared: dict[int, list] = defaultdict(lambda: [None, None])
        for cell in before.get("values", []):
            if self.values.get(cell, (None, None))[0] is None:
                cleared[cell][0] = _CLEARED
        for cell in before.get("comments", []):
            if self.values.get(cell, (None, None))[1] is None:
                cleared[cell][1] = ""
        return {cell: tuple(change) for cell, change in cleared.items()}

    # the writing, in the caller's unit of work; `count` runs the same comparisons read-only

    def compare(self, uow: UnitOfWork, period) -> tuple[list, list, list[dict]]:
        """The value rows to insert and update, and their audit entries."""
        area_id = self.context.areas[self.area_code]
        existing = {
            cell: (row_id, number, text, comment, bool(flag))
            for row_id, cell, number, text, comment, flag in fetch_all(
                uow.session,
                "SELECT id, cell_id, value_num, value_text, comment, follow_up FROM indicator_value"
                " WHERE period_id = ? AND area_id = ?",
                (period.id, area_id),
            )
        }
        inserts, updates, audits = [], [], []
        stamp, by = now(), uow.actor.user_name or uow.actor.os_user
        cleared = self._cleared()
        for cell in {**cleared, **self.values}:
            value, comment = self.values.get(cell, (None, None))
            if value is None:
                value = cleared.get(cell, (None, None))[0]
            if comment is None:
                comment = cleared.get(cell, (None, None))[1]
            row_id, number, text, old_comment, flag = existing.get(cell, (None, None, None, "", False))
            if row_id is None and value is _CLEARED:
                value = None  # nothing there to clear
            new_number, new_text = (value.number, value.text) if value is not None else (number, text)
            new_comment = comment if comment is not None else old_comment
            if (new_number, new_text, new_comment) == (number, text, old_comment):
                continue
            old = (
                None
                if row_id is None
                else {"number": number, "text": text, "comment": old_comment, "follow_up": flag}
            )
            new = {"number": new_number, "text": new_text, "comment": new_comment, "follow_up": flag}
            fields = {
                "value_num": new_number,
                "value_text": new_text,
                "comment": new_comment,
                "updated_at": stamp,
                "updated_by": by,
            }
            if row_id is None:
                inserts.append(
                    {
                        "period_id": period.id,
                        "cell_id": cell,
                        "area_id": area_id,
                        "follow_up": False,
                        **fields,
                    }
                )
            else:
                updates.append({"id": row_id, **fields})
            audits.append(
                {
                    "action": "value.set",
                    "entity": "indicator_value",
                    "key": f"{period.code}/{cell}/{area_id}",
                    "old": old,
                    "new": new,
                    "reason": self.reason,
                }
            )
        return inserts, updates, audits

    def write(self, uow: UnitOfWork, period) -> None:
        inserts, updates, audits = self.compare(uow, period)
        if inserts:
            uow.session.execute(insert(IndicatorValueRecord), inserts)
        if updates:
            uow.session.execute(update(IndicatorValueRecord), updates)
        audits += self._plan_changes(uow, period, write=True)
        uow.audit_many(audits)
        self.changes = len(audits)

    def count(self, uow: UnitOfWork, period) -> int:
        return len(self.compare(uow, period)[2]) + len(self._plan_changes(uow, period, write=False))

    def _plan_changes(self, uow: UnitOfWork, period, *, write: bool) -> list[dict]:
        """Progress, budget spent and milestones of an agency's form: their audit entries (and, with
        `write`, the changes themselves)."""
        reading = self.reading
        if reading is None or self.kind != "agency":
            return []
        session, audits = uow.session, []
        by = uow.actor.user_name or uow.actor.os_user
        for row in reading.progress:
            task_id = self.context.tasks[row.task][0]
            update_record = session.scalar(
                select(ProgressUpdateRecord).filter_by(task_id=task_id, period_id=period.id)
            )
            old = _progress(update_record)
            base = old or {
                "status": "in_progress",
                "percent_done": 0,
                "done_text": "",
                "obstacles": "",
                "proposals": "",
            }
            new = {
                "status": row.status or base["status"],
                "percent_done": row.percent_done if row.percent_done is not None else base["percent_done"],
                "done_text": row.done_text or base["done_text"],
                "obstacles": row.obstacles or base["obstacles"],
                "proposals": row.proposals or base["proposals"],
            }
            printed_status = self.context.task_status.get(row.task)  # the form shows it when no progress
            untouched = (
                row.percent_done is None
                and not (row.done_text or row.obstacles or row.proposals)
                and row.status in (None, printed_status)
            )
            if new == old or (old is None and untouched):
                continue
            if write:
                if update_record is None:
                    update_record = ProgressUpdateRecord(task_id=task_id, period_id=period.id)
                    session.add(update_record)
                for field, value in new.items():
                    setattr(update_record, field, value)
                update_record.updated_at, update_record.updated_by = now(), by
            audits.append(
                {
                    "action": "progress.set",
                    "entity": "progress_update",
                    "key": f"{period.code}/{row.task}",
                    "old": old,
                    "new": new,
                    "reason": self.reason,
                }
            )
        for (task_code, year, source), (spent, _where) in reading.spent.items():
            task = self.context.tasks.get(task_code)
            line = task and session.scalar(
                select(BudgetLineRecord).filter_by(task_id=task[0], fiscal_year=year, source=source)
            )
            self._set(line, "spent", spent, ("budget.spent", "budget_line", f"{task_code}/{year}/{source}"),
                      audits, write)  # fmt: skip
        for (task_code, title, due), (done, _where) in reading.milestones.items():
            task = self.context.tasks.get(task_code)
            milestone = task and session.scalar(
                select(MilestoneRecord).filter_by(task_id=task[0], title=title, due_on=due)
            )
            self._set(milestone, "done_on", done, ("milestone.done", "milestone", f"{task_code}/{title}"),
                      audits, write)  # fmt: skip
        if write:
            session.flush()
        return audits

    def _set(self, record, field: str, value, audit: tuple[str, str, str], audits: list, write: bool) -> None:
        """One field of a task's record a form changes (a budget line's spending, a milestone's
        date reached): audited, and written unless this is a dry run; unknown rows are skipped."""
        if not record or getattr(record, field) == value:
            return
        action, entity, key = audit
        audits.append(
            {
                "action": action,
                "entity": entity,
                "key": key,
                "old": {field: getattr(record, field)},
                "new": {field: value},
                "reason": self.reason,
            }
        )
        if write:
            setattr(record, field, value)


_CLEARED = Value()  # a value a corrected form leaves blank: removed


def _progress(record: ProgressUpdateRecord | None) -> dict | None:
    if record is None:
        return None
    return {
        "status": record.status,
        "percent_done": record.percent_done,
        "done_text": record.done_text,
        "obstacles": record.obstacles,
        "proposals": record.proposals,
    }
