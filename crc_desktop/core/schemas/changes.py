"""What a change to the database touched, so that each screen refreshes only what concerns it
(as Anki's OpChanges): every mutating service returns an `Outcome` that carries one, and the
window passes it to every page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from pydantic import Field

from crc_desktop.core.schemas.base import Frozen


class Changes(Frozen):
    """The kinds of data a change touched; `period`: the period it concerns, None for all or none."""

    values: bool = False  # indicator values (and their comments, flags, history)
    plan: bool = False  # tasks, milestones, budget lines, progress updates
    periods: bool = False  # periods created or moved through their workflow, bundles signed
    catalog: bool = False  # recommendations, indicators, communes, agencies, targets
    collection: bool = False  # the collection round: forms, imports, exemptions
    office: bool = False  # the office's profile, its certificates, its settings in the database
    period: str | None = None

    def touches(self, *kinds: str) -> bool:
        """Whether any of `kinds` ("values", "plan", …) changed."""
        return any(getattr(self, kind) for kind in kinds)

    def concerns(self, period: str | None) -> bool:
        """Whether a screen showing `period` is concerned (a change of no particular period
        concerns every period)."""
        return self.period is None or period is None or self.period == period

    def __or__(self, other: Changes) -> Changes:
        kinds = {name: getattr(self, name) or getattr(other, name) for name in KINDS}
        period = self.period if self.period == other.period else None
        return Changes(**kinds, period=period)

    def __bool__(self) -> bool:
        return self.touches(*KINDS)


KINDS = ("values", "plan", "periods", "catalog", "collection", "office")
NOTHING = Changes()


class Outcome(Frozen):
    """What a mutating service returns: its result, and what it changed (nothing on a dry run).
    `changes` is left out of the result's dumps (the command line's JSON): it is for screens."""

    changes: Changes = Field(default=NOTHING, exclude=True, repr=False)

    @classmethod
    def of(cls, result: Frozen, changes: Changes) -> Self:
        """`result`, a model this outcome extends (a period's status, a task…), with `changes`."""
        return cls(**dict(result), changes=changes)


def changes_of(result: object) -> Changes:
    """What an operation's result says it changed: an `Outcome`'s changes, those of a list or
    tuple of results together, nothing for any other value."""
    if isinstance(result, Outcome):
        return result.changes
    if isinstance(result, (list, tuple)):
        return _union(changes_of(item) for item in result)
    return NOTHING


def _union(all_changes: Iterable[Changes]) -> Changes:
    found = [changes for changes in all_changes if changes]
    if not found:
        return NOTHING
    union = found[0]
    for changes in found[1:]:
        union = union | changes
    return union
