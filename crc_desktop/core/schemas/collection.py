"""What the collection round exchanges: forms written, files loaded or refused, the board."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import N_
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.changes import Outcome

UnitKind = Literal["commune", "agency"]

# what the board calls each state of a unit (the command line and the window alike)
UNIT_STATE_NAMES = {
    "returned": N_("returned"),
    "missing": N_("not returned"),
    "exempt": N_("no report expected"),
    "blank": N_("blank form (nothing filled in)"),
    "refused": N_("form refused"),
}


class Problem(Frozen):
    """A message id with its values, shown in the user's language when rendered."""

    message: str
    params: dict[str, Any] = {}

    @classmethod
    def of(cls, error: CrcError) -> Problem:
        return cls(
            message=error.message,
            params={k: cls.of(v) if isinstance(v, CrcError) else v for k, v in error.params.items()},
        )

    @classmethod
    def restored(cls, data: dict) -> Problem:
        """A problem read back from its JSON form (nested reasons become problems again)."""
        params = {
            k: cls.restored(v) if isinstance(v, dict) and "message" in v else v
            for k, v in data.get("params", {}).items()
        }
        return cls(message=data["message"], params=params)

    def render(self, translate) -> str:
        params = {k: v.render(translate) if isinstance(v, Problem) else v for k, v in self.params.items()}
        return CrcError(self.message, **params).render(translate)


class FormsWritten(Frozen):
    folder: str
    files: list[str]


class FileOutcome(Frozen):
    """One file of an import: loaded (how many values changed), skipped (already loaded) or refused."""

    file: str
    status: Literal["loaded", "skipped", "refused", "blank"]  # blank: nothing typed, not loaded
    unit_kind: str = ""
    unit_code: str = ""
    unit_name: str = ""
    changed: int = 0
    reason: Problem | None = None
    problems: list[Problem] = []

    def describe(self, translate) -> str:
        """What happened to the file, in one line of the user's language."""
        if self.status == "loaded":
            return translate("loaded, {count} values changed", count=self.changed)
        if self.status == "skipped":
            return translate("already loaded, skipped")
        if self.status == "blank":
            return translate(
                "blank: nothing was filled in (no value, comment or progress); not counted as returned"
            )
        return translate("refused: {reason}", reason=self.reason.render(translate))


class CollectionImport(Outcome):
    dry_run: bool
    outcomes: list[FileOutcome]

    def of(self, status: str) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]


class UnitStatus(Frozen):
    """A unit on the board: returned, missing, or not expected (with the reason)."""

    kind: UnitKind
    code: str
    name: str
    # blank: its form came back with nothing typed; refused: its form could not be loaded
    state: Literal["returned", "missing", "exempt", "blank", "refused"]
    returned_at: dt.datetime | None = None
    file: str = ""
    sha256: str = ""
    values: int = 0  # values the unit has in the period (a commune) / tasks with progress (an agency)
    problems: int = 0  # rule findings in the commune / its tasks without progress
    exempt_reason: str = ""
    last_file: str = ""  # the blank or refused form
    refusal: Problem | None = None  # why it was refused (the first reason)


class RoundStatus(Frozen):
    period: str
    units: list[UnitStatus]

    @property
    def expected(self) -> int:
        return sum(1 for u in self.units if u.state != "exempt")

    @property
    def returned(self) -> int:
        return sum(1 for u in self.units if u.state == "returned")

    @property
    def missing(self) -> list[UnitStatus]:
        return [u for u in self.units if u.state in ("missing", "blank", "refused")]
