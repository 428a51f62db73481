"""Periods, their workflow history, and the ready-to-sign list."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from crc_desktop.core.rules.workflow import PeriodAction, PeriodState
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.changes import Outcome


class Transition(Frozen):
    from_state: str
    to_state: str
    at: dt.datetime
    os_user: str
    user_name: str
    reason: str


class SignedBundle(Frozen):
    """A signed bundle made of a period (the file as it was named when written); `kept`: its
    bytes are kept in the office's database, so it can be saved again."""

    sequence: int
    file_name: str
    sha256: str
    created_at: dt.datetime
    signer: str
    kept: bool = False


class PeriodStatus(Frozen):
    """A period as pages show it: `allowed_actions` (the state's steps, and saving the last
    bundle again when one is kept), `state.editable` and `state.needs_reason` say what may be
    done with it."""

    code: str
    state: PeriodState
    version: int
    starts_on: dt.date
    ends_on: dt.date
    history: list[Transition] = []
    bundles: list[SignedBundle] = []
    allowed_actions: frozenset[PeriodAction] = frozenset()  # state.actions(has_bundle=…)

    @property
    def last_bundle(self) -> SignedBundle | None:
        return self.bundles[-1] if self.bundles else None


class PeriodStep(PeriodStatus, Outcome):
    """A period after a step of its workflow (made, submitted, approved, reopened)."""


class ApproverRule(Outcome):
    """The office's rule on who approves, as it was saved."""

    required: bool  # another person than the submitter approves


class Place(Frozen):
    """Where in the program a problem is fixed."""

    page: Literal["indicators", "progress", "plan", "recommendations", "periods"]
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
    hint: str = ""  # what clears it (a msgid), for the blocking ones


class Readiness(Frozen):
    period: str
    problems: list[Problem]

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ready(self) -> bool:
        return not self.blocking
