"""Bringing the plan in from Excel: the workbook `plan export` writes (or the blank template),
read back in full. Tasks are matched by code: new ones are added, changed ones updated, one is
deleted only when its row says so, and tasks not in the file are left alone. All or nothing:
every problem is named by sheet, row and column, and one problem changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

from openpyxl.utils import get_column_letter
from pydantic import ValidationError
from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    AgencyRecord,
    PlanTaskRecord,
    RecommendationDocumentRecord,
    RecommendationRecord,
)
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.errors import CrcError, InputRefused, with_suggestions
from crc_desktop.core.i18n import parse_number
from crc_desktop.core.reporting.excel import BUDGET_COLUMNS, BUDGET_SHEET, PLAN_COLUMNS, PLAN_SHEET
from crc_desktop.core.reporting.labels import budget_source_vi, task_status_vi
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.plan import BudgetInput, MilestoneInput, PlanImportReport, TaskInput
from crc_desktop.core.schemas.reading import reason as validation_reason
from crc_desktop.core.services.plan import PlanService, _task_input, ensure_progress_may_go
from crc_desktop.core.services.snapshot import recommendation_key
from crc_desktop.core.text import nearest, nfc, recommendation_label
from crc_desktop.core.workbook_files import opened_workbook

_DELETE = {"x", "xóa", "có", "delete", "yes"}
_MILESTONE = re.compile(r"^(?P<title>.+?)\s*\((?P<due>[^(),]+?)(?:,\s*xong\s*(?P<done>[^()]+?))?\)$", re.S)


class _Problems(list):
    """Problems found while reading, each with its sheet, row and column."""

    def add(self, sheet: str, row: int, column: int, message: str, **params) -> None:
        self.place(sheet, row, column, CrcError(message, **params))

    def place(self, sheet: str, row: int, column: int | None, reason: CrcError) -> None:
        if column is None:  # a rule over several columns (the end date before the start date)
            self.append(CrcError("Sheet {sheet}, row {row}: {reason}", sheet=sheet, row=row, reason=reason))
            return
        self.append(
            CrcError(
                "Sheet {sheet}, row {row}, column {column}: {reason}",
                sheet=sheet,
                row=row,
                column=f"{get_column_letter(column)} ({_header_of(sheet, column)})",
                reason=reason,
            )
        )

    def validated(self, model, fields: dict, sheet: str, row: int, columns: dict[str, int]):
        """`model(**fields)`, or None with each refused field named by its column, in the
        user's language (pydantic's own words are English)."""
        try:
            return model(**fields)
        except ValidationError as exc:
            for detail in exc.errors(include_url=False):
                column = columns.get(str(detail["loc"][0])) if detail["loc"] else None
                self.place(sheet, row, column, validation_reason(detail))
            return None


# the column of the plan and budget sheets each field of a task and a budget line comes from
_TASK_COLUMNS = {
    "code": 1,
    "group": 2,
    "title": 3,
    "description": 4,
    "lead_agency_id": 5,
    "coordinating_agency_ids": 6,
    "start_on": 7,
    "end_on": 8,
    "status": 9,
    "recommendation_ids": 10,
    "milestones": 11,
}
_BUDGET_FIELD_COLUMNS = {"fiscal_year": 3, "source": 4, "planned": 5, "allocated": 6, "spent": 7}


def _header_of(sheet: str, column: int) -> str:
    headers = PLAN_COLUMNS if sheet == PLAN_SHEET else BUDGET_COLUMNS
    return headers[column - 1] if column <= len(headers) else ""


class _Lookups:
    """Names in the workbook to the database's ids: agencies, recommendations."""

    def __init__(self, session) -> None:
        self.agencies = {_fold(a.name): a.id for a in session.scalars(select(AgencyRecord))}
        self.agencies |= {_fold(a.code): a.id for a in session.scalars(select(AgencyRecord))}
        self.agency_names = [a.name for a in session.scalars(select(AgencyRecord))]  # suggested
        documents = {d.id: d.symbol for d in session.scalars(select(RecommendationDocumentRecord))}
        self.recommendations: dict[str, int] = {}
        for r in session.scalars(select(RecommendationRecord)):
            symbol = documents[r.document_id]
            self.recommendations[_fold(recommendation_key(symbol, r.paragraph, r.sub))] = r.id
            self.recommendations.setdefault(_fold(recommendation_label(r.paragraph, r.sub)), r.id)


def _fold(text: str) -> str:
    return " ".join(nfc(str(text)).split()).casefold()


def _text(value) -> str:
    """A cell as text, quoted back the way the user sees it in Excel (a date as dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}" if value.time() == dt.time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def _split(value) -> list[str]:
    return [part.strip() for part in _text(value).split(";") if part.strip()]


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def _amount(value) -> int:
    if isinstance(value, (int, float)):
        number = value
    else:
        text = _text(value).replace(" ", "")
        number = parse_number(text, "vi_VN") if text else 0
    if number < 0 or number != int(number):
        raise ValueError(value)
    return int(number)


class PlanImportService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def import_workbook(self, path: Path, *, dry_run: bool = False, reason: str = "") -> PlanImportReport:
        path = Path(path)
        sheets = _read(path)
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            report = self._apply(uow, sheets, path.name, dry_run=dry_run, reason=reason)
            if not dry_run:
                uow.commit()
        return report

    def _apply(self, uow: UnitOfWork, sheets, file_name: str, *, dry_run: bool, reason: str):
        session = uow.session
        lookups = _Lookups(session)
        problems = _Problems()
        plan_rows, budget_rows = sheets
        existing = {t.code: t for t in session.scalars(select(PlanTaskRecord))}
        tasks, deletions = _tasks(plan_rows, lookups, problems)
        budgets = _budgets(budget_rows, set(tasks) | set(existing), problems)
        if problems:
            raise InputRefused("The plan was not imported; nothing was changed. Problems:", problems)
        why = f"Nhập kế hoạch từ tệp {file_name}" + (f": {reason}" if reason else "")
        checked: dict[str, TaskInput] = {}
        for code, (row, fields) in tasks.items():
            record = existing.get(code)
            if code in deletions:
                if record is not None:  # a task with progress in a locked period stays (the period rule)
                    try:
                        ensure_progress_may_go(session, record.id, reason)
                    except CrcError as refusal:
                        problems.place(PLAN_SHEET, row, 12, refusal)
                continue
            if code not in budgets and record is not None:  # no budget sheet: kept as it was
                budgets[code] = [b.model_dump() for b in _task_input(session, record).budget]
            data = problems.validated(
                TaskInput, {**fields, "budget": budgets.get(code, [])}, PLAN_SHEET, row, _TASK_COLUMNS
            )
            if data is not None:
                checked[code] = data
        if problems:
            raise InputRefused("The plan was not imported; nothing was changed. Problems:", problems)
        plan = PlanService(self._database, self._actor)
        added, changed, deleted, unchanged = [], [], [], 0
        for code in tasks:
            record = existing.get(code)
            if code in deletions:
                if record is not None:
                    old = _task_input(session, record)
                    session.delete(record)
                    session.flush()
                    uow.audit("task.delete", "plan_task", code, old=old.model_dump(mode="json"), reason=why)
                    deleted.append(code)
                continue
            old = _task_input(session, record) if record is not None else None
            data = checked[code]
            if old == data:
                unchanged += 1
                continue
            plan._write(uow, record or PlanTaskRecord(), data)
            action = "task.update" if old is not None else "task.create"
            uow.audit(
                action,
                "plan_task",
                code,
                old=old.model_dump(mode="json") if old is not None else None,
                new=data.model_dump(mode="json"),
                reason=why,
            )
            (changed if old is not None else added).append(code)
        return PlanImportReport(
            dry_run=dry_run,
            added=added,
            changed=changed,
            deleted=deleted,
            unchanged=unchanged,
            changes=Changes(plan=not dry_run and bool(added or changed or deleted)),
        )


def write_template(out: Path, agencies: list[str] | None = None) -> Path:
    """The blank plan workbook, with the seven task groups of the shipped catalogue (and, given
    the office's `agencies`, drop-down lists of them)."""
    from crc_desktop.core.catalog_files import read_catalog
    from crc_desktop.core.files import write_atomically
    from crc_desktop.core.reporting.excel import write_plan_template
    from crc_desktop.core.services.catalog import shipped_catalog

    groups = {
        int(row["number"]): row["name_vi"]
        for _n, row in read_catalog(shipped_catalog("task_groups.json")).rows
    }
    write_atomically(Path(out), lambda stream: write_plan_template(groups, stream, agencies))
    return Path(out)


def _read(path: Path) -> tuple[list, list | None]:
    """The rows of the plan and budget sheets; a file that is not a sound workbook is named as
    what it is (an old .xls, a CSV, damaged…) before anything parses it."""
    if not path.is_file():
        raise InputRefused("There is no file at {path}.", path=str(path))
    with opened_workbook(path) as book:
        if PLAN_SHEET not in book.sheetnames:
            raise InputRefused('The workbook has no sheet "{sheet}".', sheet=PLAN_SHEET)
        plan = _rows(book[PLAN_SHEET], PLAN_SHEET, PLAN_COLUMNS)
        budget = (
            _rows(book[BUDGET_SHEET], BUDGET_SHEET, BUDGET_COLUMNS)
            if BUDGET_SHEET in book.sheetnames
            else None
        )
    return plan, budget


def _rows(sheet, name: str, columns: tuple[str, ...]) -> list[tuple[int, list]]:
    """(row number, cells in our column order) of the rows below the header; columns found by name."""
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return []
    header = [_fold(value) if value is not None else "" for value in rows[0]]
    positions = []
    for column in columns:
        if _fold(column) not in header:
            if column == "Xóa":
                positions.append(None)
                continue
            raise InputRefused('The sheet "{sheet}" has no column "{column}".', sheet=name, column=column)
        positions.append(header.index(_fold(column)))
    result = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [row[i] if i is not None and i < len(row) else None for i in positions]
        if any(_text(cell) for cell in cells):
            result.append((number, cells))
    return result


def _tasks(rows, lookups: _Lookups, problems: _Problems):
    """{code: (row, TaskInput fields without budget)} and the codes whose row asks for deletion."""
    statuses = {_fold(label): code for code, label in task_status_vi().items()} | {
        _fold(code): code for code in task_status_vi()
    }
    tasks, deletions, seen = {}, set(), set()
    for number, cells in rows:
        code, group, title, description, lead, coordinating, start, end, status, recs, milestones, delete = (
            cells
        )
        code = _text(code)
        if not code:
            problems.add(PLAN_SHEET, number, 1, "the task code is empty.")
            continue
        if code in seen:
            problems.add(PLAN_SHEET, number, 1, "the task code {value} appears twice.", value=code)
            continue
        seen.add(code)
        if _fold(_text(delete)) in _DELETE:
            deletions.add(code)
            tasks[code] = (number, {})
            continue
        fields = {"code": code, "title": _text(title), "description": _text(description)}
        if not fields["title"]:
            problems.add(PLAN_SHEET, number, 3, "the title is empty.")
        match = re.match(r"^\s*([1-7])(?:\.|\s|$)", _text(group))
        if match:
            fields["group"] = int(match.group(1))
        else:
            problems.add(PLAN_SHEET, number, 2, "{value} is not a task group (1 to 7).", value=_text(group))
        fields["lead_agency_id"] = _agency(_text(lead), lookups, problems, number, 5) if _text(lead) else None
        fields["coordinating_agency_ids"] = [
            a for name in _split(coordinating) if (a := _agency(name, lookups, problems, number, 6))
        ]
        for column, key, value in ((7, "start_on", start), (8, "end_on", end)):
            try:
                fields[key] = _date(value)
            except ValueError:
                problems.add(
                    PLAN_SHEET, number, column, "{value} is not a date (dd/mm/yyyy).", value=_text(value)
                )
        if fields.get("start_on") and fields.get("end_on") and fields["end_on"] < fields["start_on"]:
            problems.add(PLAN_SHEET, number, 8, "the end date is before the start date.")
        if _text(status):
            if _fold(_text(status)) in statuses:
                fields["status"] = statuses[_fold(_text(status))]
            else:
                problems.add(PLAN_SHEET, number, 9, "{value} is not a task status.", value=_text(status))
        fields["recommendation_ids"] = []
        for key in _split(recs):
            if _fold(key) in lookups.recommendations:
                fields["recommendation_ids"].append(lookups.recommendations[_fold(key)])
            else:
                refusal = CrcError("there is no recommendation {value}.", value=key)
                labels = [label for label in lookups.recommendations if " " not in label]  # "12(a)"
                problems.place(PLAN_SHEET, number, 10, with_suggestions(refusal, nearest(key, labels)))
        fields["milestones"] = _milestones(milestones, problems, number)
        tasks[code] = (number, fields)
    return tasks, deletions


def _agency(name: str, lookups: _Lookups, problems: _Problems, row: int, column: int) -> int | None:
    found = lookups.agencies.get(_fold(name))
    if found is None:
        refusal = CrcError("there is no agency named {value}.", value=name)
        problems.place(
            PLAN_SHEET, row, column, with_suggestions(refusal, nearest(name, lookups.agency_names))
        )
    return found


def _milestones(value, problems: _Problems, row: int) -> list[MilestoneInput]:
    result = []
    for part in _split(value):
        match = _MILESTONE.match(part)
        try:
            if match is None:
                raise ValueError(part)
            done = match.group("done")
            result.append(
                MilestoneInput(
                    title=match.group("title"),
                    due_on=_date(match.group("due").strip()),
                    done_on=_date(done.strip()) if done else None,
                )
            )
        except (ValueError, ValidationError):
            problems.add(
                PLAN_SHEET,
                row,
                11,
                "{value} is not a milestone: write 'title (dd/mm/yyyy)' or "
                "'title (dd/mm/yyyy, xong dd/mm/yyyy)'.",
                value=part,
            )
    return sorted(result, key=lambda m: m.due_on)


def _budgets(rows, codes: set[str], problems: _Problems) -> dict[str, list[dict]]:
    """{task code: budget lines} from the budget sheet; without the sheet, nothing (budgets kept).
    Only the tasks of the plan sheet take them: lines of other tasks of the database change nothing."""
    if rows is None:
        return {}
    sources = {_fold(label): code for code, label in budget_source_vi().items()} | {
        _fold(code): code for code in budget_source_vi()
    }
    lines: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for number, cells in rows:
        code, _title, year, source, planned, allocated, spent = cells
        code = _text(code)
        if code not in codes:
            problems.add(
                BUDGET_SHEET,
                number,
                1,
                "the task {value} is neither in the plan sheet nor in the database.",
                value=code,
            )
            continue
        line: dict = {}
        try:
            fiscal_year = int(_text(year))
            if not 2000 <= fiscal_year <= 2100:
                raise ValueError(year)
            line["fiscal_year"] = fiscal_year
        except ValueError:
            problems.add(BUDGET_SHEET, number, 3, "{value} is not a year.", value=_text(year))
        if _fold(_text(source)) in sources:
            line["source"] = sources[_fold(_text(source))]
        else:
            problems.add(BUDGET_SHEET, number, 4, "{value} is not a budget source.", value=_text(source))
        for column, key, value in ((5, "planned", planned), (6, "allocated", allocated), (7, "spent", spent)):
            try:
                line[key] = _amount(value)
            except (ValueError, TypeError, ArithmeticError):
                problems.add(
                    BUDGET_SHEET, number, column, "{value} is not an amount in đồng.", value=_text(value)
                )
        if len(line) == 5:
            key = (code, line["fiscal_year"], line["source"])
            if key in seen:
                problems.add(
                    BUDGET_SHEET,
                    number,
                    3,
                    "a second line for {year} and this source.",
                    year=line["fiscal_year"],
                )
            seen.add(key)
            checked = problems.validated(BudgetInput, line, BUDGET_SHEET, number, _BUDGET_FIELD_COLUMNS)
            if checked is not None:
                lines[code].append(checked.model_dump())
    # a task of the plan sheet without lines in the budget sheet has no budget
    return {
        code: sorted(lines.get(code, []), key=lambda b: (b["fiscal_year"], b["source"])) for code in codes
    }
