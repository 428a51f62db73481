"""Indicator targets as Settings shows them: the national target and the province's own."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.changes import Outcome

Comparator = Literal["<", "<=", "=", ">=", ">"]


class Target(Frozen):
    comparator: Comparator
    value: float


class TargetRow(Frozen):
    indicator_id: int
    set: str
    code: str
    name: str
    unit: str
    national: Target | None = None
    provincial: Target | None = None


class ProvincialTarget(Frozen):
    """The province's own target of an indicator for a year; None removes it."""

    indicator_id: int
    year: int = Field(ge=2000, le=2100)
    target: Target | None = None


class TargetsSaved(Outcome):
    """How many of the province's targets a change saved."""

    count: int
