"""The audit log seen from outside: verifying the hash chain, and the history of one thing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from crc_desktop.core.db.audit import first_break, stored_chain
from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import AuditEntryRecord
from crc_desktop.core.db.repositories import driver
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.schemas.base import Frozen


class ChainReport(Frozen):
    entries: int
    head: str
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


class HistoryEntry(Frozen):
    at: dt.datetime
    who: str
    action: str
    old: dict | None
    new: dict | None
    reason: str


class AuditService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def verify(self) -> ChainReport:
        """Recompute the chain; name the first entry that was changed, removed or inserted.

        The entries are read in order, a batch at a time, as the driver gives them: memory stays
        the same however long the history (a province's years of editing hold millions)."""
        log = AuditEntryRecord.__table__
        with UnitOfWork(self._database, self._actor) as uow:
            session = uow.session
            count = session.scalar(select(func.count()).select_from(log)) or 0
            head = session.scalar(select(log.c.hash).order_by(log.c.id.desc()).limit(1)) or ""
            broken = first_break(stored_chain(driver(session)))
            return ChainReport(
                entries=count,
                head=head,
                broken_at=broken.entry_id if broken else None,
                reason=broken.reason if broken else "",
            )

    def history(self, entity: str, key: str) -> list[HistoryEntry]:
        with UnitOfWork(self._database, self._actor) as uow:
            records = uow.session.scalars(
                select(AuditEntryRecord)
                .filter_by(entity=entity, entity_key=key)
                .order_by(AuditEntryRecord.id)
            )
            return [
                HistoryEntry(
                    at=r.at,
                    who=r.user_name or r.os_user,
                    action=r.action,
                    old=r.old,
                    new=r.new,
                    reason=r.reason,
                )
                for r in records
            ]
