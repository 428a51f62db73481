"""What a change to the database touched, so that each screen refreshes only what concerns it
(as Anki's OpChanges): a mutating operation returns one, the window passes it to every page."""

from __future__ import annotations

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


KINDS = ("values", "plan", "periods", "catalog", "collection", "office")
NOTHING = Changes()
