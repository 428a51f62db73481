"""What a change to the database touched, so that each screen refreshes only what concerns it
(as Anki's OpChanges): every mutating service returns an `Outcome` that carries one, and the
window passes it to every page."""

from __future__ import annotations

import functools
import operator
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
        """Whether anything changed (`NOTHING` is false)."""
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
    """What an operation's result says it changed: an `Outcome`'s changes, those of a list of
    outcomes together (a catalogue package's files), nothing for any other value. Cheap on any
    result (it runs on the GUI thread): a list is looked into only when it holds outcomes."""
    if isinstance(result, Outcome):
        return result.changes
    if isinstance(result, list) and result and isinstance(result[0], Outcome):
        found = [item.changes for item in result if item.changes]
        return functools.reduce(operator.or_, found) if found else NOTHING
    return NOTHING
