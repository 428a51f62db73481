"""How a province's figure is made from what its units report (DOMAIN.md, "Indicators").

A count reported by the communes is their sum; a count reported by an agency or by the office
is the figure it gives. A ratio is Σ numerator / Σ denominator × factor over the units that
gave both, never a mean of rates; a share is the communes answering yes over those that
answered. An entered rate stays what was typed. A province value set over a computed figure is
an official figure, with its source. Each figure says how many units it rests on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Key = tuple[int, int]  # (cell id, area id)
Columns = dict[int, dict[int, float]]  # cell id → commune id → number given

COMPUTED = ("ratio", "share")


@dataclass(frozen=True, slots=True)
class Recipe:
    """How one indicator is made: its measure and, for a ratio or share, the indicators (ids)
    it is made of. `cells` maps each disaggregation key to the indicator's cell id."""

    measure: str
    cells: Mapping[str, int]
    reported_by: str = ""
    numerator: int | None = None
    denominator: int | None = None
    factor: float | None = None

    population: str = ""  # the age band taken from the population tables (reported_by "population")

    @property
    def by_communes(self) -> bool:
        """A count each commune has: reported by the communes or taken from population data."""
        return self.measure == "count" and self.reported_by in ("communes", "population")

    @property
    def computed(self) -> bool:
        """Its province figure comes from other numbers unless an official one is set."""
        return self.measure in COMPUTED or self.by_communes


@dataclass(frozen=True, slots=True)
class Figure:
    """A province's figure for one cell, and how it was made."""

    value: float | None
    origin: str  # "computed", "official" (set over a computed one), "entered" or "reported"
    numerator: float | None = None
    denominator: float | None = None
    factor: float | None = None
    reported: int = 0  # communes the figure rests on
    expected: int = 0  # communes asked
    source: str = ""

    @property
    def missing(self) -> int:
        return max(0, self.expected - self.reported)


def asked(recipe: Recipe, level: str) -> bool:
    """Whether a unit of `level` ("province" or "commune") is asked for the indicator's values:
    a commune for what communes report, the province for the rest; nobody for a computed figure."""
    return asked_of(recipe.measure, recipe.reported_by, level)


def asked_of(measure: str, reported_by: str, level: str) -> bool:
    if measure in COMPUTED or reported_by == "population":
        return False
    if reported_by == "communes":
        return level == "commune"
    if measure == "count" or reported_by:
        return level == "province"
    return True  # an indicator of a catalogue that does not say (before format 2): as before


def columns(numbers: Mapping[Key, float | None], communes: Sequence[int]) -> Columns:
    """The communes' numbers by cell, then by commune (those given only): read once, so that a
    sum or a pairing walks what was given rather than asking for every commune."""
    wanted = set(communes)
    result: Columns = defaultdict(dict)
    for (cell, area), number in numbers.items():
        if number is not None and area in wanted:
            result[cell][area] = number
    return result


def commune_rates(recipes: Mapping[int, Recipe], by_cell: Columns) -> dict[Key, float]:
    """Each commune's own rate of every ratio whose parts communes report (for the grid)."""
    result = {}
    for recipe in recipes.values():
        top, bottom = recipes.get(recipe.numerator), recipes.get(recipe.denominator)
        if recipe.measure != "ratio" or top is None or bottom is None:
            continue
        if not (top.by_communes and bottom.by_communes):
            continue
        for key, cell in recipe.cells.items():
            upper, lower = by_cell.get(top.cells.get(key), {}), by_cell.get(bottom.cells.get(key), {})
            for area in upper.keys() & lower.keys():
                value = ratio(upper[area], lower[area], recipe.factor or 1.0)
                if value is not None:
                    result[(cell, area)] = value
    return result


def population_bounds(recipes: Mapping[int, Recipe], taken: Mapping[Key, float]) -> dict[Key, float]:
    """The child population a commune's count may not exceed, by (cell, commune): a count the
    communes report, over a denominator taken from the population tables (`taken`, by (cell,
    commune)), counts children of that age band; none where the table has no figure."""
    if not taken:
        return {}
    by_cell: Columns = defaultdict(dict)
    for (cell, area), children in taken.items():
        by_cell[cell][area] = children
    result: dict[Key, float] = {}
    for recipe in recipes.values():
        top, bottom = recipes.get(recipe.numerator), recipes.get(recipe.denominator)
        if recipe.measure != "ratio" or top is None or bottom is None:
            continue
        if bottom.reported_by != "population" or top.measure != "count" or top.reported_by != "communes":
            continue
        for key, cell in top.cells.items():
            for area, children in by_cell.get(bottom.cells.get(key), {}).items():
                result[(cell, area)] = children
    return result


def ratio(numerator: float | None, denominator: float | None, factor: float) -> float | None:
    """numerator / denominator × factor; nothing when the denominator is missing or zero."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator * factor


def _sum(cell: int | None, by_cell: Columns) -> tuple:
    given = by_cell.get(cell, {})
    return (sum(given.values()) if given else None), len(given)


def province_figures(
    recipes: Mapping[int, Recipe],
    numbers: Mapping[Key, float | None],
    province: int,
    communes: Sequence[int],
    sources: Mapping[Key, str] | None = None,
    by_cell: Columns | None = None,
) -> dict[int, Figure]:
    """The province's figure for every cell (by cell id) of every indicator in `recipes`.

    `numbers` are the period's numbers by (cell, area); `communes` the communes the period asks
    for; `sources` the source of each province value set over a computed one; `by_cell` the
    communes' numbers as `columns` gives them, if the caller has them already."""
    sources = sources or {}
    if by_cell is None:
        by_cell = columns(numbers, communes)
    expected = len(communes)
    result: dict[int, Figure] = {}
    counts: dict[int, Figure] = {}

    def count(indicator: int, key: str) -> Figure:
        recipe = recipes[indicator]
        cell = recipe.cells.get(key)
        if cell is None:
            return Figure(None, "computed")
        if cell not in counts:
            if recipe.by_communes:
                total, reported = _sum(cell, by_cell)
                counts[cell] = Figure(total, "computed", reported=reported, expected=expected)
            else:
                counts[cell] = Figure(numbers.get((cell, province)), "reported")
        return counts[cell]

    for indicator, recipe in recipes.items():
        for key, cell in recipe.cells.items():
            if recipe.measure == "ratio":
                figure = _ratio(recipes, recipe, key, by_cell, expected, count)
            elif recipe.measure == "share":
                figure = _share(recipes, recipe, key, by_cell, expected)
            elif recipe.by_communes:
                figure = count(indicator, key)
            else:
                origin = "entered" if recipe.measure == "entered" else "reported"
                figure = Figure(numbers.get((cell, province)), origin)
            official = numbers.get((cell, province)) if recipe.computed else None
            if official is not None:
                figure = Figure(
                    official,
                    "official",
                    figure.numerator,
                    figure.denominator,
                    figure.factor,
                    figure.reported,
                    figure.expected,
                    sources.get((cell, province), ""),
                )
            result[cell] = figure
    return result


def _ratio(recipes, recipe: Recipe, key: str, by_cell: Columns, communes: int, count) -> Figure:
    top, bottom = recipes.get(recipe.numerator), recipes.get(recipe.denominator)
    factor = recipe.factor or 1.0
    if top is None or bottom is None:
        return Figure(None, "computed", factor=factor)
    if top.by_communes and bottom.by_communes:
        # only communes that gave both: a numerator without its denominator would inflate the rate
        upper, lower = by_cell.get(top.cells.get(key), {}), by_cell.get(bottom.cells.get(key), {})
        both = upper.keys() & lower.keys()
        n = sum(upper[a] for a in both) if both else None
        d = sum(lower[a] for a in both) if both else None
        return Figure(ratio(n, d, factor), "computed", n, d, factor, len(both), communes)
    upper, lower = count(recipe.numerator, key), count(recipe.denominator, key)
    by_communes = [f for f in (upper, lower) if f.expected]
    expected = max((f.expected for f in by_communes), default=0)
    reported = min((f.reported for f in by_communes), default=0)
    # one part is the whole province's (an agency's figure), the other the communes' sum: until
    # every commune has sent its part the two do not cover the same children, and no rate is made
    value = ratio(upper.value, lower.value, factor) if reported >= expected else None
    return Figure(
        value,
        "computed",
        upper.value,
        lower.value,
        factor,
        reported,
        expected,
    )


def _share(recipes, recipe: Recipe, key: str, by_cell: Columns, communes: int) -> Figure:
    answers = recipes.get(recipe.numerator)
    given = list(by_cell.get(answers.cells.get(key), {}).values()) if answers else []
    yes = float(sum(1 for n in given if n >= 0.5))
    factor = recipe.factor or 100.0
    return Figure(
        ratio(yes, len(given), factor),
        "computed",
        yes if given else None,
        float(len(given)) if given else None,
        factor,
        len(given),
        communes,
    )
