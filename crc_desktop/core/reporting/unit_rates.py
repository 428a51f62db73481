"""Each commune's own rate of a ratio, from a snapshot: its numerator over its denominator × the
factor, made by the one roll-up code (`core.rules.rollup`) that makes the province's figures.

A snapshot carries the communes' counts but only the province's computed figures; the report's
table by commune computes the communes' rates here rather than printing "—" for every one."""

from __future__ import annotations

from crc_desktop.core.rules.rollup import Recipe, columns, commune_rates
from crc_desktop.core.schemas.snapshot import PeriodSnapshot

RateKey = tuple[str, str, str]  # (indicator key, cell key, commune code)


def snapshot_commune_rates(snap: PeriodSnapshot) -> dict[RateKey, float]:
    """(indicator key, cell key, commune code) → the commune's rate, where it gave both parts."""
    ids = {indicator.key: number for number, indicator in enumerate(snap.indicators)}
    cell_ids: dict[tuple[str, str], int] = {}
    recipes: dict[int, Recipe] = {}
    for indicator in snap.indicators:
        cells = {}
        for cell in indicator.cells:
            cells[cell.key] = cell_ids.setdefault((indicator.key, cell.key), len(cell_ids))
        recipes[ids[indicator.key]] = Recipe(
            measure=indicator.measure,
            cells=cells,
            reported_by=indicator.reported_by,
            numerator=ids.get(indicator.numerator),
            denominator=ids.get(indicator.denominator),
            factor=indicator.factor,
        )
    area_ids = {area.code: number for number, area in enumerate(snap.areas)}
    communes = [area_ids[a.code] for a in snap.areas if a.level == "commune"]
    numbers = {
        (cell_ids[(v.indicator, v.cell)], area_ids[v.area]): v.number
        for v in snap.values
        if v.number is not None and (v.indicator, v.cell) in cell_ids and v.area in area_ids
    }
    rates = commune_rates(recipes, columns(numbers, communes))
    keys = {number: key for key, number in cell_ids.items()}
    codes = {number: code for code, number in area_ids.items()}
    return {(*keys[cell], codes[area]): rate for (cell, area), rate in rates.items()}
