"""The office's own text of a period's report, section by section: read, and saved as one
audited change each, refused when the period's state does not allow it (core/rules/workflow)."""

from __future__ import annotations

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import ReportTextRecord
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.rules.workflow import PeriodState
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.changes import Changes, Outcome
from crc_desktop.core.schemas.report_text import SECTIONS, ReportSection, ReportText
from crc_desktop.core.text import nfc


class EditableText(Frozen):
    """A period's text with its state: whether it may change, and whether only with a reason."""

    period: str
    state: PeriodState
    text: ReportText


class ReportTextSaved(Outcome):
    period: str
    section: str
    text: str
    changed: bool


def report_text_in(session, period_id: int) -> ReportText:
    """The period's sections in the report's order, those with text only."""
    records = {
        r.section: r.text for r in session.scalars(select(ReportTextRecord).filter_by(period_id=period_id))
    }
    return ReportText(
        sections=[
            ReportSection(key=key, text=records[key]) for key in SECTIONS if records.get(key, "").strip()
        ]
    )


class ReportTextService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def text(self, period: str) -> ReportText:
        return self.editable(period).text

    def editable(self, period: str) -> EditableText:
        with UnitOfWork(self._database, self._actor) as uow:
            record = uow.periods.get(period)
            return EditableText(
                period=record.code,
                state=PeriodState(record.state),
                text=report_text_in(uow.session, record.id),
            )

    def save(self, period: str, section: str, text: str, reason: str = "") -> ReportTextSaved:
        """Keep `text` as the section's text (an empty text clears it)."""
        if section not in SECTIONS:
            raise InputRefused(
                "There is no report section {section}; the sections are: {sections}.",
                section=section,
                sections=", ".join(SECTIONS),
            )
        text = (nfc(text) or "").strip()
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            record = uow.periods.get(period)
            found = uow.session.scalar(
                select(ReportTextRecord).filter_by(period_id=record.id, section=section)
            )
            old = found.text if found else ""
            if old == text:
                return ReportTextSaved(period=record.code, section=section, text=text, changed=False)
            PeriodState(record.state).ensure_editable(record.code, reason)
            if found is None:
                found = ReportTextRecord(period_id=record.id, section=section, updated_at=now())
                uow.session.add(found)
            found.text = text
            found.updated_at = now()
            found.updated_by = self._actor.user_name or self._actor.os_user
            uow.session.flush()
            uow.audit(
                "report_text.set",
                "report_text",
                f"{record.code}/{section}",
                old={"text": old},
                new={"text": text},
                reason=reason,
            )
            uow.commit()
            code = record.code
        return ReportTextSaved(
            period=code, section=section, text=text, changed=True, changes=Changes(plan=True, period=code)
        )
