"""What the collection round exchanges: forms written, files loaded or refused, the board."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from crc_desktop.core.errors import CrcError
from crc_desktop.core.rules.vocabulary import ImportOutcome, UnitState, label
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.changes import Outcome

UnitKind = Literal["commune", "agency"]


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
    status: ImportOutcome
    unit_kind: str = ""
    unit_code: str = ""
    unit_name: str = ""
    changed: int = 0
    reason: Problem | None = None
    problems: list[Problem] = []

    def lines(self, translate) -> list[str]:
        """What the import did with the file, then each problem found in it, in the user's language."""
        if self.status == ImportOutcome.LOADED:
            said = translate("loaded, {count} values changed", count=self.changed)
        elif self.status == ImportOutcome.REFUSED and self.reason is not None:
            said = translate("refused: {reason}", reason=self.reason.render(translate))
        else:
            said = label(self.status, translate)
        return [f"{self.file}: {said}", *(p.render(translate) for p in self.problems)]


class CollectionImport(Outcome):
    dry_run: bool
    outcomes: list[FileOutcome]
    not_read: list[str] = []  # files left unread when the user cancelled after one was loaded

    def of(self, status: str) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]


class UnitStatus(Frozen):
    """A unit on the board: returned, missing, or not expected (with the reason)."""

    kind: UnitKind
    code: str
    name: str
    state: UnitState
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
        return sum(1 for u in self.units if u.state != UnitState.EXEMPT)

    @property
    def returned(self) -> int:
        return sum(1 for u in self.units if u.state == UnitState.RETURNED)

    @property
    def missing(self) -> list[UnitStatus]:
        return [u for u in self.units if u.state.expected]
