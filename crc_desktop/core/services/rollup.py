"""The province's figure of every indicator in a period: the one place the grid, the check,
the report and the bundle read it from (the arithmetic is in `core.rules.rollup`)."""

from __future__ import annotations

from collections import defaultdict

from crc_desktop.core.db.repositories import fetch_all, period_areas
from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.rollup import Figure, Recipe, columns, commune_rates, province_figures
from crc_desktop.core.services.population import population_key, population_numbers


def recipes(session) -> dict[int, Recipe]:
    """How each indicator of the database is made, its parts resolved to indicator ids (a part
    is named by its code within the indicator's set and annex, else its set)."""
    rows = fetch_all(
        session,
        "SELECT id, set_id, annex, code, measure, numerator, denominator, factor, reported_by, population"
        " FROM indicator",
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

    made = {}
    for indicator_id, set_id, annex, _code, measure, top, bottom, factor, reported_by, population in rows:
        made[indicator_id] = Recipe(
            measure=measure,
            cells=cells[indicator_id],
            reported_by=reported_by,
            numerator=part(set_id, annex, top),
            denominator=part(set_id, annex, bottom),
            factor=factor,
            population=population,
        )
    return made


def period_figures(uow: UnitOfWork, period) -> dict[int, Figure]:
    """The province's figure for every indicator cell (by cell id) of `period`."""
    return PeriodRollup.of(uow, period).figures


class PeriodRollup:
    """A period's numbers rolled up: the province's figures and each commune's own rates."""

    def __init__(self, figures: dict[int, Figure], commune_values: dict, province: int) -> None:
        self.figures = figures
        self.commune_values = commune_values
        self.province = province

    @classmethod
    def of(
        cls, uow: UnitOfWork, period, *, communes_too: bool = False, numbers: dict | None = None
    ) -> PeriodRollup:
        """`numbers`: the period's numbers, when the caller has read them already."""
        province, communes, sources = _units(uow, period)
        made = recipes(uow.session)
        numbers = uow.values.numbers(period.id) if numbers is None else numbers
        taken = population_values(uow, period, made, communes)
        if taken:
            numbers = {**numbers, **taken}
        by_cell = columns(numbers, communes)
        figures = province_figures(made, numbers, province, communes, sources, by_cell)
        shown = {**commune_rates(made, by_cell), **taken} if communes_too else {}
        return cls(figures, shown, province)

    def computed(self) -> dict[tuple[int, int], float | None]:
        """What the grid shows in cells nobody types: the province's computed figures (not the
        official ones, which are stored values) and the communes' own rates."""
        result = dict(self.commune_values)
        for cell, figure in self.figures.items():
            if figure.origin == "computed":
                result[(cell, self.province)] = figure.value
        return result


def population_values(uow: UnitOfWork, period, made: dict[int, Recipe], communes: list[int]) -> dict:
    """Each commune's counts taken from the population tables of the period's year, by (cell,
    commune), for the counts the catalogue takes from them; none where the table has no figure."""
    wanted = {i: r for i, r in made.items() if r.reported_by == "population" and r.population}
    if not wanted or not communes:
        return {}
    codes = dict(fetch_all(uow.session, "SELECT id, code FROM area WHERE level = 'commune'"))
    table = population_numbers(uow.session, period.starts_on.year)
    result = {}
    for recipe in wanted.values():
        for key, cell in recipe.cells.items():
            sex = population_key(key)
            for area in communes:
                children = table.get((codes.get(area), recipe.population, sex))
                if children is None and not sex:  # only by sex in the table: their sum
                    parts = [table.get((codes.get(area), recipe.population, s)) for s in ("M", "F")]
                    children = sum(parts) if None not in parts else None
                if children is not None:
                    result[(cell, area)] = float(children)
    return result


def describe(figure, measure: str, tr: Translator) -> str:
    """How a province figure was made, for a reader: "= 12.345 / 13.001 × 100, từ 165/168 xã,
    phường; 3 chưa gửi", or the official figure's source. `figure` is a rules.rollup.Figure or
    its schema (schemas.values.MadeOf, schemas.snapshot.Figure): the same fields."""
    if figure is None or figure.origin not in ("computed", "official"):
        return ""
    coverage = ""
    if figure.expected:
        coverage = tr(
            "from {reported}/{expected} communes", reported=figure.reported, expected=figure.expected
        )
        missing = max(0, figure.expected - figure.reported)
        if missing:
            coverage += "; " + tr("{missing} not sent", missing=missing)
    if measure == "count":
        made = tr("= sum of the communes'")
    elif figure.numerator is None or figure.denominator is None:
        made = tr("not computed: a numerator or denominator is missing")
    else:
        parts = (figure.numerator, figure.denominator, figure.factor or 1)
        made = "= {} / {} × {}".format(*map(tr.exact, parts))
    text = ", ".join(part for part in (made, coverage) if part)
    if figure.origin == "official":
        return tr("Official figure ({source}); computed: {made}", source=figure.source or "—", made=text)
    return text


def _units(uow: UnitOfWork, period) -> tuple[int, list[int], dict]:
    session = uow.session
    areas = period_areas(session, period)  # the one answer to which units a period asks for
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
    return province, communes, sources
