"""The unit of work: one transaction per service call, with the audit log written inside it.

Repositories read and write through the session of the unit of work and never commit;
the service commits once when the whole call succeeded.
"""

from __future__ import annotations

import datetime as dt
import getpass
from types import SimpleNamespace, TracebackType

from sqlalchemy import insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from crc_desktop.core.db.audit import GENESIS, canonical, entry_hash
from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import AuditEntryRecord
from crc_desktop.core.db.repositories import PeriodRepository, ValueRepository
from crc_desktop.core.errors import DatabaseError, ReadOnly
from crc_desktop.core.schemas.base import Frozen


class Actor(Frozen):
    """Who does something: the operating-system account and the name the user gave."""

    os_user: str
    user_name: str = ""

    @classmethod
    def current(cls, user_name: str = "") -> Actor:
        try:
            os_user = getpass.getuser()
        except (OSError, KeyError):
            os_user = "unknown"
        return cls(os_user=os_user, user_name=user_name)


def now() -> dt.datetime:
    """Local wall-clock time without tzinfo, as stored; microseconds kept for ordering."""
    return dt.datetime.now()


class UnitOfWork:
    """`with UnitOfWork(db, actor, write=True) as uow: ...; uow.commit()`."""

    def __init__(self, database: Database, actor: Actor, *, write: bool = False) -> None:
        self._database = database
        self.actor = actor
        self._write = write
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        holder = self._database.held_by
        if self._write and holder is not None:
            raise ReadOnly(
                "{user} ({host}) has had this database open since {since}; it is open read-only here "
                "and nothing was changed. Close the other window, then open the database again.",
                user=holder.user,
                host=holder.host,
                since=holder.since.strftime("%H:%M %d/%m/%Y"),
            )
        self.session = self._database.sessions()
        self.periods = PeriodRepository(self.session)
        self.values = ValueRepository(self.session)
        if self._write:
            try:
                self.session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            except OperationalError as exc:
                self.session.close()
                if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                    raise
                raise DatabaseError(
                    "The database is busy with another change (another window or import); nothing "
                    "was changed. Try again in a moment."
                ) from None
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def audit(
        self,
        action: str,
        entity: str,
        key: str = "",
        *,
        old: dict | None = None,
        new: dict | None = None,
        reason: str = "",
    ) -> AuditEntryRecord:
        """Append one entry to the hash-chained log, in this transaction."""
        last = self.session.execute(
            select(AuditEntryRecord.id, AuditEntryRecord.hash).order_by(AuditEntryRecord.id.desc()).limit(1)
        ).first()
        entry = AuditEntryRecord(
            id=(last.id + 1) if last else 1,
            at=now(),
            os_user=self.actor.os_user,
            user_name=self.actor.user_name,
            action=action,
            entity=entity,
            entity_key=key,
            old=canonical(old) if old is not None else None,
            new=canonical(new) if new is not None else None,
            reason=reason,
            prev_hash=last.hash if last else GENESIS,
        )
        entry.hash = entry_hash(entry)
        self.session.add(entry)
        return entry

    def audit_many(self, entries: list[dict]) -> int:
        """Append many entries (each the keyword arguments of `audit`) in one go: the chain's head
        is read once and the entries are inserted together, for imports of thousands of values."""
        if not entries:
            return 0
        self.session.flush()
        last = self.session.execute(
            select(AuditEntryRecord.id, AuditEntryRecord.hash).order_by(AuditEntryRecord.id.desc()).limit(1)
        ).first()
        next_id, previous = ((last.id + 1), last.hash) if last else (1, GENESIS)
        at = now()
        rows = []
        for offset, fields in enumerate(entries):
            entry = SimpleNamespace(
                id=next_id + offset,
                at=at,
                os_user=self.actor.os_user,
                user_name=self.actor.user_name,
                action=fields["action"],
                entity=fields["entity"],
                entity_key=fields.get("key", ""),
                old=canonical(fields["old"]) if fields.get("old") is not None else None,
                new=canonical(fields["new"]) if fields.get("new") is not None else None,
                reason=fields.get("reason", ""),
                prev_hash=previous,
            )
            entry.hash = previous = entry_hash(entry)
            rows.append(vars(entry))
        self.session.execute(insert(AuditEntryRecord), rows)
        return len(rows)
