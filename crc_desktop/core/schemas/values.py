"""What the indicator entry grid and its edits exchange with the services."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import Field

from crc_desktop.core.rules.rollup import asked_of
from crc_desktop.core.rules.workflow import PeriodState
from crc_desktop.core.schemas.base import Frozen, Text
from crc_desktop.core.schemas.changes import Outcome


class TargetValue(Frozen):
    """A year's target: the value should be <, <=, =, >= or > this number."""

    comparator: str
    value: float


class GridRow(Frozen):
    """One row of the grid: an indicator cell (the total or one disaggregation)."""

    indicator_id: int
    cell_id: int
    set: str
    annex: str
    cell_key: str
    code: str
    name: str
    cell_label: str
    unit: str
    value_type: str
    is_total: bool
    group: str = ""
    target: TargetValue | None = None
    # how the indicator is made and who reports it (schemas.catalog.Measure)
    measure: str = "entered"
    reported_by: str = ""


class GridArea(Frozen):
    id: int
    code: str
    name: str
    level: str


class CellValue(NamedTuple):
    """A stored value; a tuple because a period holds over 100,000 of them."""

    number: float | None = None
    text: str | None = None
    comment: str = ""
    follow_up: bool = False


class Issue(Frozen):
    """A rule finding at one cell of the grid; the message is a msgid with its values."""

    cell_id: int
    area_id: int
    severity: str
    kind: str
    message: str
    params: dict = Field(default_factory=dict)


class PeriodGrid(Frozen):
    """Everything the grid of one period shows. Built without re-validation (trusted data)."""

    period: str
    state: PeriodState
    previous_period: str | None
    rows: list[GridRow]
    areas: list[GridArea]
    numbers: dict[tuple[int, int], float | None]
    notes: dict[tuple[int, int], CellValue]  # only values with a text, comment or follow-up flag
    issues: dict[tuple[int, int], list[Issue]] = Field(default_factory=dict)
    # values nobody types: the province's computed figures and each commune's computed rates
    computed: dict[tuple[int, int], float | None] = Field(default_factory=dict)

    def value(self, key: tuple[int, int], computed: bool = True) -> CellValue | None:
        note = self.notes.get(key)
        if note is not None:
            return note
        if key in self.numbers:
            return CellValue(self.numbers[key])
        if computed and key in self.computed:
            return CellValue(self.computed[key])
        return None

    def asks(self, row: GridRow, area: GridArea) -> bool:
        """Whether the value is typed here: a count by the unit that reports it, an entered rate
        at the province; a computed figure never (an official one is set apart, with its source)."""
        return asked_of(row.measure, row.reported_by, area.level)


class MadeOf(Frozen):
    """How a computed (or official) figure was made: its parts, the communes it rests on."""

    origin: str  # "computed" or "official"
    numerator: float | None = None
    denominator: float | None = None
    factor: float | None = None
    reported: int = 0
    expected: int = 0
    source: str = ""
    measure: str = "ratio"  # "ratio", "share" or "count"


class CellDetails(Frozen):
    """What the side panel shows of one value: the previous period's value and the target."""

    previous_period: str | None
    previous: float | None
    target: TargetValue | None
    unit: str
    made_of: MadeOf | None = None


class ValueEdit(Frozen):
    """One change a user asks for: new text typed or pasted (empty clears), or note fields."""

    cell_id: int
    area_id: int
    raw: str | None = None
    comment: Text | None = None
    follow_up: bool | None = None
    # the source of an official figure set over a computed province value (with a reason)
    source: Text | None = None


class SavedValues(Outcome):
    """What an edit left in the database, and the findings of the groups it touched."""

    values: dict[tuple[int, int], CellValue]
    issues: dict[tuple[int, int], list[Issue]]
    computed: dict[tuple[int, int], float | None] = Field(default_factory=dict)  # made anew


class OfficialFigure(Frozen):
    """A published figure the office sets over a computed province value: what it is, where it
    was published, and why it replaces the computed one."""

    raw: Text
    source: Text
    reason: Text
