"""Repositories: the queries the services need, over the session of a unit of work.

They read and stage changes; they never commit (the unit of work does, once per call).
Bulk reads go straight to the driver, since a period holds over 100,000 values.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crc_desktop.core.db.models import (
    AreaNameRecord,
    AreaRecord,
    IndicatorValueRecord,
    OfficeProfileRecord,
    ProvinceRecord,
    ReportingPeriodRecord,
)
from crc_desktop.core.db.reads import asked_area_ids
from crc_desktop.core.errors import with_suggestions
from crc_desktop.core.rules.periods import PeriodCode, missing_period
from crc_desktop.core.rules.places import valid_on
from crc_desktop.core.text import nearest

Key = tuple[int, int]  # (cell id, area id)


def fetch_all(session: Session, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of a read-only query straight from the driver."""
    cursor = session.connection().connection.dbapi_connection.cursor()
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()


def area_names_on(session: Session, on: dt.date) -> dict[int, tuple[str, str]]:
    """{area id: (name, kind)} of the areas whose name on `on` is dated; others keep their own."""
    rows = session.scalars(
        select(AreaNameRecord)
        .where(AreaNameRecord.valid_from <= on)
        .where((AreaNameRecord.valid_to.is_(None)) | (AreaNameRecord.valid_to >= on))
    )
    return {row.area_id: (row.name, row.kind) for row in rows}


@dataclass(frozen=True)
class DatedArea:
    id: int
    code: str
    name: str
    kind: str
    level: str


def driver(session: Session) -> sqlite3.Connection:
    """The driver connection under the session's transaction (for the plain-SQL reads)."""
    return session.connection().connection.dbapi_connection


def period_areas(session: Session, period: ReportingPeriodRecord) -> list[DatedArea]:
    """The areas the period asks for (reads.ASKED_AREAS), under their names of its last day."""
    return named_areas(session, period_day(period), asked_area_ids(driver(session), period.id))


def named_areas(session: Session, on: dt.date, ids: Iterable[int] | None = None) -> list[DatedArea]:
    """The province and the communes (all, or those in `ids`), each under its name and kind of
    `on` (the province under the name of its version then)."""
    dated = area_names_on(session, on)
    chosen = None if ids is None else set(ids)
    profile = session.get(OfficeProfileRecord, 1)
    versions = (
        session.scalars(select(ProvinceRecord).filter_by(code=profile.province.code)).all() if profile else []
    )
    result = []
    for area in session.scalars(select(AreaRecord).order_by(AreaRecord.level.desc(), AreaRecord.code)):
        name, kind = dated.get(area.id, (area.name, area.kind))
        if area.level == "province":
            if versions:
                version = valid_on(versions, on)
                name, kind = version.name, version.kind
        elif chosen is not None and area.id not in chosen:
            continue
        result.append(DatedArea(area.id, area.code, name, kind, area.level))
    return result


def period_day(period: ReportingPeriodRecord) -> dt.date:
    """The day whose communes and names a period's grid and forms show: its last day. A commune
    renamed during the period reports under its new name; one merged away is no longer asked."""
    return period.ends_on


class PeriodRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, code: str) -> ReportingPeriodRecord:
        """The period named `code` (normalised); NotFound when the database has none."""
        normalised = str(PeriodCode.parse(code))
        period = self._session.scalar(select(ReportingPeriodRecord).filter_by(code=normalised))
        if period is None:
            existing = self._session.scalars(select(ReportingPeriodRecord.code)).all()
            raise with_suggestions(missing_period(normalised), nearest(normalised, existing))
        return period

    def previous(self, period: ReportingPeriodRecord) -> ReportingPeriodRecord | None:
        code = str(PeriodCode.parse(period.code).previous)
        return self._session.scalar(select(ReportingPeriodRecord).filter_by(code=code))


class ValueRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def numbers(
        self, period_id: int, area_ids: Iterable[int] | None = None, cell_ids: Iterable[int] | None = None
    ) -> dict[Key, float | None]:
        """Numbers of a period by (cell, area): all of them, or only those of some areas and cells
        (naming the cells lets SQLite use the (period, cell, area) index)."""
        sql = "SELECT cell_id, area_id, value_num FROM indicator_value WHERE period_id = ?"
        params: tuple = (period_id,)
        for column, ids in (("cell_id", cell_ids), ("area_id", area_ids)):
            if ids is not None:
                chosen = sorted(set(ids))
                sql += f" AND {column} IN ({', '.join('?' * len(chosen))})"
                params += tuple(chosen)
        return {(cell, area): number for cell, area, number in fetch_all(self._session, sql, params)}

    def rows(self, period_id: int) -> list[tuple]:
        """(cell, area, number, text, comment, follow_up) of every value of a period, by cell and
        area: plain tuples, a large province's period holds over 100,000 values."""
        return fetch_all(
            self._session,
            "SELECT cell_id, area_id, value_num, value_text, comment, follow_up FROM indicator_value"
            " WHERE period_id = ? ORDER BY cell_id, area_id",
            (period_id,),
        )

    def noted(self, period_id: int) -> dict[Key, tuple]:
        """(number, text, comment, follow_up) of the values that carry more than a number."""
        rows = fetch_all(
            self._session,
            "SELECT cell_id, area_id, value_num, value_text, comment, follow_up"
            " FROM indicator_value WHERE period_id = ?"
            " AND (value_text IS NOT NULL OR comment != '' OR follow_up)",
            (period_id,),
        )
        return {
            (cell, area): (number, text, comment, bool(flag))
            for cell, area, number, text, comment, flag in rows
        }

    def areas_with_values(self, period_id: int) -> set[int]:
        return {
            area
            for (area,) in fetch_all(
                self._session,
                "SELECT DISTINCT area_id FROM indicator_value WHERE period_id = ?",
                (period_id,),
            )
        }

    def get(self, period_id: int, cell_id: int, area_id: int) -> IndicatorValueRecord | None:
        return self._session.scalar(
            select(IndicatorValueRecord).filter_by(period_id=period_id, cell_id=cell_id, area_id=area_id)
        )
