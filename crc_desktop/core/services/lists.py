"""The names and codes a user types elsewhere (forms, plan workbooks, --units), listed: the
communes, agencies, indicators, recommendations and periods of a database.

Without it, the only way to find the exact name of an agency ("Công an thành phố") or a
commune's code was to open the SQLite file.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    AgencyRecord,
    AreaRecord,
    IndicatorRecord,
    IndicatorSetRecord,
    RecommendationRecord,
    ReportingPeriodRecord,
)
from crc_desktop.core.db.repositories import named_areas
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.i18n import N_
from crc_desktop.core.rules.places import in_force
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.text import recommendation_label, sort_key

ListKind = Literal["communes", "agencies", "indicators", "recommendations", "periods"]
LIST_KINDS: tuple[str, ...] = ("communes", "agencies", "indicators", "recommendations", "periods")


class NameList(Frozen):
    kind: str
    columns: list[str]  # msgids
    rows: list[list[str]]


class ListService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def names(self, kind: ListKind, *, on: dt.date | None = None) -> NameList:
        """The `kind` of things in force on `on` (today), each with its code and name."""
        day = on or dt.date.today()
        with UnitOfWork(self._database, self._actor) as uow:
            session = uow.session
            if kind == "communes":
                columns = [N_("Code"), N_("Name")]
                in_use = [
                    a.id
                    for a in session.scalars(select(AreaRecord).where(AreaRecord.level == "commune"))
                    if in_force(a.valid_from, a.valid_to, day)
                ]
                communes = [a for a in named_areas(session, day, in_use) if a.level == "commune"]
                rows = [[a.code, a.name] for a in sorted(communes, key=lambda a: a.code)]
            elif kind == "agencies":
                columns = [N_("Code"), N_("Name"), N_("Short name")]
                agencies = [
                    a
                    for a in session.scalars(select(AgencyRecord))
                    if in_force(a.valid_from, a.valid_to, day)
                ]
                rows = [
                    [a.code, a.name, a.short_name] for a in sorted(agencies, key=lambda a: sort_key(a.name))
                ]
            elif kind == "indicators":
                columns = [N_("Set"), N_("Annex"), N_("Code"), N_("Name"), N_("Unit")]
                rows = [
                    [s, i.annex, i.code, i.name, i.unit]
                    for i, s in session.execute(
                        select(IndicatorRecord, IndicatorSetRecord.code)
                        .join(IndicatorSetRecord, IndicatorSetRecord.id == IndicatorRecord.set_id)
                        .order_by(IndicatorSetRecord.code, IndicatorRecord.annex, IndicatorRecord.code)
                    )
                ]
            elif kind == "recommendations":
                columns = [N_("Paragraph"), N_("Urgent"), N_("Title")]
                rows = [
                    [
                        recommendation_label(r.paragraph, r.sub),
                        "✓" if r.urgent else "",
                        r.title or r.text[:80],
                    ]
                    for r in session.scalars(
                        select(RecommendationRecord).order_by(
                            RecommendationRecord.paragraph, RecommendationRecord.sub
                        )
                    )
                ]
            else:
                columns = [N_("Period"), N_("State"), N_("Version")]
                rows = [
                    [p.code, p.state, str(p.version)]
                    for p in session.scalars(
                        select(ReportingPeriodRecord).order_by(ReportingPeriodRecord.starts_on)
                    )
                ]
        return NameList(kind=kind, columns=columns, rows=rows)
