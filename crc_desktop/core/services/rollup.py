"""The province's figure of every indicator in a period: the one place the grid, the check,
the report and the bundle read it from (the arithmetic is in `core.rules.rollup`)."""

from __future__ import annotations

from collections import defaultdict

from crc_desktop.core.db.repositories import areas_on, fetch_all, period_day
from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.rules.rollup import Figure, Recipe, province_figures


def recipes(session) -> dict[int, Recipe]:
    """How each indicator of the database is made, its parts resolved to indicator ids (a part
    is named by its code within the indicator's set and annex, else its set)."""
    rows = fetch_all(
        session,
        "SELECT id, set_id, annex, code, measure, numerator, denominator, factor, reported_by FROM indicator",
    )
    by_code: dict[tuple, int] = {}
    for row in rows:
        by_code[(row[1], row[2], row[3])] = row[0]
        by_code.setdefault((row[1], None, row[3]), row[0])
    cells: dict[int, dict[str, int]] = defaultdict(dict)
    for cell_id, indicator_id, key in fetch_all(session, "SELECT id, indicator_id, key FROM indicator_cell"):
        cells[indicator_id][key] = cell_id

    def part(set_id: int, annex: str, code: str) -> int | None:
        if not code:
            return None
        return by_code.get((set_id, annex, code)) or by_code.get((set_id, None, code))

    return {
        indicator_id: Recipe(
            measure=measure,
            cells=cells[indicator_id],
            reported_by=reported_by,
            numerator=part(set_id, annex, numerator),
            denominator=part(set_id, annex, denominator),
            factor=factor,
        )
        for indicator_id, set_id, annex, _code, measure, numerator, denominator, factor, reported_by in rows
    }


def period_figures(uow: UnitOfWork, period) -> dict[int, Figure]:
    """The province's figure for every indicator cell (by cell id) of `period`."""
    session = uow.session
    kept = uow.values.areas_with_values(period.id)
    areas = areas_on(session, period_day(period), kept)
    province = next(a.id for a in areas if a.level == "province")
    communes = [a.id for a in areas if a.level == "commune"]
    sources = dict(
        ((cell, area), source)
        for cell, area, source in fetch_all(
            session,
            "SELECT cell_id, area_id, source FROM indicator_value WHERE period_id = ? AND source != ''",
            (period.id,),
        )
    )
    return province_figures(recipes(session), uow.values.numbers(period.id), province, communes, sources)
