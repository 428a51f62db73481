"""What the indicator entry grid and its edits exchange with the services."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import Field

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

    def value(self, key: tuple[int, int]) -> CellValue | None:
        note = self.notes.get(key)
        if note is not None:
            return note
        if key in self.numbers:
            return CellValue(self.numbers[key])
        return None


class CellDetails(Frozen):
    """What the side panel shows of one value: the previous period's value and the target."""

    previous_period: str | None
    previous: float | None
    target: TargetValue | None
    unit: str


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
