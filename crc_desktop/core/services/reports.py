"""Documents of a period: the PDF report, the Excel entry workbook (out and back in), the
plan workbook and SDMX-CSV. Every file is written atomically; an import applies all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import OfficeProfileRecord, ProvinceRecord
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.errors import CrcError, InputRefused, with_suggestions
from crc_desktop.core.files import write_atomically
from crc_desktop.core.i18n import Translator
from crc_desktop.core.progress import NO_PROGRESS, Progress
from crc_desktop.core.reporting.findings import DraftSentence
from crc_desktop.core.rules.periods import PeriodCode
from crc_desktop.core.rules.validation import parse_value
from crc_desktop.core.rules.workflow import PeriodState
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.changes import Changes, Outcome
from crc_desktop.core.schemas.report_text import ReportText
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.core.services.report_text import EditableText, ReportTextSaved, ReportTextService
from crc_desktop.core.services.snapshot import SnapshotService
from crc_desktop.core.services.values import ValueService
from crc_desktop.core.text import nearest


class ReportResult(Frozen):
    path: str
    digest: str


class EntryChange(Frozen):
    """One value an import changes; numbers are exact, for the Translator to show."""

    where: str
    indicator: str
    area: str
    old_number: float | None = None
    old_text: str | None = None
    new_number: float | None = None
    new_text: str | None = None
    comment: str | None = None  # the new comment, when the import changes it

    def line(self, translate: Translator) -> str:
        """The change as the user reads it (the command line and the window's preview alike)."""
        old = translate.value(self.old_number, self.old_text) or "∅"
        new = translate.value(self.new_number, self.new_text)
        note = f" — {translate('comment: {text}', text=self.comment)}" if self.comment else ""
        return f"{self.where}: {self.indicator} — {self.area}: {old} → {new}{note}"


class EntryImport(Outcome):
    dry_run: bool
    state: PeriodState  # the period's: whether applying the import needs a reason
    changed: list[EntryChange]
    unchanged: int


class ReportService:
    """The reporting libraries (reportlab, openpyxl) are imported by the methods that use them,
    so that starting the program does not wait for them."""

    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor
        self._snapshots = SnapshotService(database, actor)
        self._values = ValueService(database, actor)
        self._texts = ReportTextService(database, actor)

    def text(self, period: str) -> ReportText:
        """What the office wrote in each section of the period's report."""
        return self._texts.text(period)

    def drafts(self, period: str) -> list[DraftSentence]:
        """Sentences drafted from the period's numbers, for the office to insert, edit or drop."""
        from crc_desktop.core.reporting.findings import draft

        return draft(self._snapshots.take(period))

    def editable_text(self, period: str) -> EditableText:
        """The period's text with its state (what the report page's editor needs)."""
        return self._texts.editable(period)

    def save_text(self, period: str, section: str, text: str, reason: str = "") -> ReportTextSaved:
        """Keep one section's text (audited; refused as the period's state says)."""
        return self._texts.save(period, section, text, reason)

    def pdf(
        self,
        period: str,
        out: Path,
        *,
        template: Path | None = None,
        on: dt.date | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> ReportResult:
        from crc_desktop.core.reporting.pdf import write_report

        return self._report(write_report, period, out, template, on, progress)

    def docx(
        self,
        period: str,
        out: Path,
        *,
        template: Path | None = None,
        on: dt.date | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> ReportResult:
        """The report as a Word draft: the same text and tables as the PDF."""
        from crc_desktop.core.reporting.docx_report import write_docx

        return self._report(write_docx, period, out, template, on, progress)

    def _report(self, write, period, out, template, on, progress) -> ReportResult:
        """The period's report written by `write` (the PDF's or the Word draft's), from its snapshot."""
        from crc_desktop.core.reporting.pdf import ReportTemplate

        progress.step(0.05)
        snapshot = self._snapshots.take(period, on=on)
        progress.step(0.4)
        chosen = ReportTemplate.load(template) if template else None
        sources = self._snapshots.target_sources()
        write_atomically(
            Path(out),
            lambda stream: write(snapshot, stream, template=chosen, on=on, target_sources=sources),
        )
        progress.step(1.0)
        return ReportResult(path=str(out), digest=snapshot.digest())

    def entry_workbook(self, period: str, out: Path, *, progress: Progress = NO_PROGRESS) -> ReportResult:
        from crc_desktop.core.reporting.excel import write_entry_workbook

        return self._document(period, out, write_entry_workbook, progress, entry=True)

    def plan_workbook(self, period: str, out: Path, *, progress: Progress = NO_PROGRESS) -> ReportResult:
        from crc_desktop.core.reporting.excel import write_plan_workbook

        return self._document(period, out, write_plan_workbook, progress)

    def sdmx_csv(self, period: str, out: Path, *, progress: Progress = NO_PROGRESS) -> ReportResult:
        from crc_desktop.core.reporting.sdmx import write_sdmx_csv

        return self._document(period, out, write_sdmx_csv, progress)

    def _document(
        self, period: str, out: Path, write, progress: Progress, entry: bool = False
    ) -> ReportResult:
        """Take the period's snapshot and write one document of it, atomically (an `entry` form
        with the communes and names of the period's last day)."""
        progress.step(0.05)
        snapshot = self._snapshots.take(period, entry=entry)
        progress.step(0.4)
        write_atomically(Path(out), lambda stream: write(snapshot, stream))
        progress.step(1.0)
        return ReportResult(path=str(out), digest=snapshot.digest())

    def _refuse_another_province(self, theirs: str | None) -> None:
        """A workbook of another province is refused in one sentence naming both."""
        if not theirs:
            return
        with UnitOfWork(self._database, self._actor) as uow:
            profile = uow.session.scalar(select(OfficeProfileRecord))
            if profile is None or profile.province.code == theirs:
                return
            raise InputRefused(
                "This workbook is the template of {theirs}, and this database belongs to {ours}; nothing "
                "was imported. Export this database's template (crc-desktop indicators export-template) "
                "and fill that one in.",
                theirs=_province_label(uow.session, theirs),
                ours=f"{profile.province.name} ({profile.province.code})",
            )

    def import_entries(
        self,
        period: str,
        path: Path,
        *,
        dry_run: bool = False,
        reason: str = "",
        progress: Progress = NO_PROGRESS,
    ) -> EntryImport:
        """Read a filled entry workbook; refuse it whole, naming every bad cell, or apply it whole."""
        code = str(PeriodCode.parse(period))
        from crc_desktop.core.reporting.excel import read_entry_workbook

        reading = read_entry_workbook(Path(path))
        progress.step(0.3)
        if reading.period and reading.period != code:
            raise InputRefused(
                "This workbook is for period {theirs}, not {ours}.", theirs=reading.period, ours=code
            )
        self._refuse_another_province(reading.province)
        # the diff is read inside the write transaction: an import running at the same time
        # either finished before (its values are the "old" ones here) or waits for this one
        with UnitOfWork(self._database, self._actor, write=not dry_run) as uow:
            grid = self._values.grid_in(uow, code)
            # a dry run tells of a lock too; the reason is needed only to change something
            grid.state.ensure_editable(grid.period, "-" if dry_run else reason)
            edits, changes, unchanged = _entry_diff(reading, grid)
            progress.step(0.6)
            if edits and not dry_run:
                # a draft's changes need no reason: the audit log then tells where they came from
                noted = reason.strip() or ("" if grid.state.needs_reason else "Nhập từ Excel")
                self._values.apply_in(uow, code, edits, noted, "en_US")
                progress.step(0.9)
                progress.no_return()
                uow.commit()
        done = Changes(values=not dry_run and bool(changes), period=grid.period)
        return EntryImport(
            dry_run=dry_run, state=grid.state, changed=changes, unchanged=unchanged, changes=done
        )


def _entry_diff(reading, grid) -> tuple[list[ValueEdit], list[EntryChange], int]:
    """What a workbook changes in `grid`: the edits, the changes as shown, how many are unchanged;
    refused whole, naming every bad cell, when one is wrong."""
    rows_by_key = {(r.set, r.annex, r.code, r.cell_key): r for r in grid.rows}
    areas = {a.code: a for a in grid.areas}
    edits, changes, problems, unchanged = [], [], [], 0
    comments = dict(reading.comments)
    values = dict(reading.values)
    for key in comments.keys() - values.keys():
        values[key] = ("", comments[key][1])  # a comment alone: the value is kept
    for key, (raw, where) in sorted(values.items(), key=lambda i: i[1][1]):
        set_code, annex, ind_code, cell_key, area_code = key
        row = rows_by_key.get((set_code, annex, ind_code, cell_key))
        area = areas.get(area_code)
        if row is None:
            refusal = CrcError(
                "Sheet {sheet}, cell {cell}: there is no indicator {code} ({key}).",
                sheet="Số liệu",
                cell=where,
                code=ind_code,
                key=cell_key,
            )
            problems.append(with_suggestions(refusal, nearest(ind_code, {r.code for r in grid.rows})))
            continue
        if area is None:
            refusal = CrcError(
                "Sheet {sheet}, cell {cell}: there is no area with code {area}.",
                sheet="Số liệu",
                cell=where,
                area=area_code,
            )
            labels = {a.code: f"{a.code} {a.name}" for a in grid.areas}
            problems.append(with_suggestions(refusal, [labels[c] for c in nearest(area_code, labels)]))
            continue
        if not grid.asks(row, area):
            continue  # a computed figure is in the workbook to be read, not read back
        try:
            value = parse_value(row.value_type, raw, "en_US")
        except CrcError as error:
            refusal = CrcError(error.message, **{**error.params, "value": reading.typed.get(key, raw)})
            problems.append(
                CrcError("Sheet {sheet}, cell {cell}: {reason}", sheet="Số liệu", cell=where, reason=refusal)
            )
            continue
        current = grid.value((row.cell_id, area.id))
        old = (current.number, current.text) if current else (None, None)
        old_comment = current.comment if current else ""
        comment = comments.get(key, (None,))[0]
        new = old if not raw else (value.number, value.text)
        if old == new and comment in (None, old_comment):
            unchanged += 1
            continue
        edits.append(
            ValueEdit(
                cell_id=row.cell_id,
                area_id=area.id,
                raw=raw or None,
                comment=comment if comment != old_comment else None,
            )
        )
        changes.append(
            EntryChange(
                where=where,
                indicator=f"{row.code} / {row.cell_label}",
                area=area.name,
                old_number=old[0],
                old_text=old[1],
                new_number=new[0],
                new_text=new[1],
                comment=comment if comment not in (None, old_comment) else None,
            )
        )
    if problems:
        raise InputRefused("The workbook was not imported; nothing was changed. Problems:", problems)
    return edits, changes, unchanged


def _province_label(session, code: str) -> str:
    newest = select(ProvinceRecord.name).where(ProvinceRecord.code == code)
    name = session.scalar(newest.order_by(ProvinceRecord.valid_from.desc()))
    return f"{name} ({code})" if name else code
