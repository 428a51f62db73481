"""Periods, their workflow history, and the ready-to-sign list."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from crc_desktop.core.rules.workflow import PeriodState
from crc_desktop.core.schemas.base import Frozen


class Transition(Frozen):
    from_state: str
    to_state: str
    at: dt.datetime
    os_user: str
    user_name: str
    reason: str


class KeptBundle(Frozen):
    """The last signed bundle of a period, kept byte for byte in the office's database."""

    sequence: int
    file_name: str
    sha256: str


class PeriodStatus(Frozen):
    """A period as pages show it; `state.editable`, `state.needs_reason` and
    `state.allowed_actions` say what may be done with it."""

    code: str
    state: PeriodState
    version: int
    starts_on: dt.date
    ends_on: dt.date
    history: list[Transition] = []
    bundle: KeptBundle | None = None


class Place(Frozen):
    """Where in the program a problem is fixed."""

    page: Literal["indicators", "progress", "plan", "recommendations"]
    cell_id: int | None = None
    area_id: int | None = None
    task_id: int | None = None
    recommendation_id: int | None = None


class Problem(Frozen):
    """One entry of the ready-to-sign list; the message is a msgid with its values."""

    severity: Literal["error", "warning"]
    kind: str
    message: str
    params: dict = Field(default_factory=dict)
    place: Place


class Readiness(Frozen):
    period: str
    problems: list[Problem]

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ready(self) -> bool:
        return not self.blocking
