"""The province's own targets beside the national ones, set one by one (Settings) and audited."""

from __future__ import annotations

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import IndicatorRecord, IndicatorSetRecord, IndicatorTargetRecord
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.errors import NotFound
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.targets import ProvincialTarget, Target, TargetRow, TargetsSaved


class TargetService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def years(self) -> list[int]:
        """The years some indicator has a target for (2025 and 2030 for the NPA)."""
        with UnitOfWork(self._database, self._actor) as uow:
            return sorted(set(uow.session.scalars(select(IndicatorTargetRecord.year))))

    def rows(self, year: int) -> list[TargetRow]:
        """Every indicator with a national or provincial target for `year`, in catalogue order."""
        with UnitOfWork(self._database, self._actor) as uow:
            session = uow.session
            sets = {s.id: s.code for s in session.scalars(select(IndicatorSetRecord))}
            targets: dict[tuple[int, str], Target] = {
                (t.indicator_id, t.level): Target(comparator=t.comparator, value=t.value)
                for t in session.scalars(select(IndicatorTargetRecord).filter_by(year=year))
            }
            indicators = session.scalars(
                select(IndicatorRecord).order_by(IndicatorRecord.set_id, IndicatorRecord.sort_order)
            )
            return [
                TargetRow(
                    indicator_id=i.id,
                    set=sets[i.set_id],
                    code=i.code,
                    name=i.name,
                    unit=i.unit,
                    national=targets.get((i.id, "national")),
                    provincial=targets.get((i.id, "provincial")),
                )
                for i in indicators
                if (i.id, "national") in targets or (i.id, "provincial") in targets
            ]

    def set_provincial(self, changes: list[ProvincialTarget], source: str = "") -> TargetsSaved:
        """Set (or remove) the province's targets in one transaction; returns how many changed."""
        changed = 0
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            session = uow.session
            for change in changes:
                indicator = session.get(IndicatorRecord, change.indicator_id)
                if indicator is None:
                    raise NotFound("There is no indicator {id}.", id=change.indicator_id)
                record = session.scalar(
                    select(IndicatorTargetRecord).filter_by(
                        indicator_id=indicator.id, year=change.year, level="provincial"
                    )
                )
                old = Target(comparator=record.comparator, value=record.value) if record else None
                if old == change.target:
                    continue
                if change.target is None:
                    session.delete(record)
                elif record is None:
                    session.add(
                        IndicatorTargetRecord(
                            indicator_id=indicator.id,
                            year=change.year,
                            level="provincial",
                            source=source,
                            **change.target.model_dump(),
                        )
                    )
                else:
                    record.comparator, record.value = change.target.comparator, change.target.value
                session.flush()
                uow.audit(
                    "target.set",
                    "indicator_target",
                    f"{indicator.code}/{change.year}/provincial",
                    old=old.model_dump() if old else None,
                    new=change.target.model_dump() if change.target else None,
                )
                changed += 1
            uow.commit()
        return TargetsSaved(count=changed, changes=Changes(catalog=bool(changed)))
