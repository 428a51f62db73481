"""The province's agencies as Settings lists and edits them."""

from __future__ import annotations

from typing import Literal

from crc_desktop.core.i18n import N_
from crc_desktop.core.schemas.base import Frozen, Name, Text
from crc_desktop.core.schemas.changes import Outcome

AgencyKind = Literal["specialised", "central", "front", "other"]
# what each kind is called, in the order the list offers them
AGENCY_KINDS: dict[str, str] = {
    "specialised": N_("Specialised agency of the People's Committee"),
    "central": N_("Central body in the province (police, court, procuracy, social insurance)"),
    "front": N_("Fatherland Front and its organisations"),
    "other": N_("Other"),
}


class AgencyRow(Frozen):
    id: int
    code: str
    name: str
    short_name: str
    kind: str  # an AgencyKind, or "" when nobody said
    active: bool  # in use today (no end date, or one still ahead)
    leads: list[str]  # codes of the tasks it leads
    coordinates: list[str]  # codes of the tasks it coordinates


class AgencyInput(Frozen):
    """An agency added (no `id`) or changed; a new one without a code is given one."""

    id: int | None = None
    code: Text = ""
    name: Name
    short_name: Text = ""
    kind: AgencyKind | Literal[""] = ""
    active: bool = True


class AgencyChanges(Frozen):
    saved: list[AgencyInput] = []
    deleted: list[int] = []


class AgencyReport(Outcome):
    """Codes of the agencies added, changed and deleted."""

    added: list[str]
    changed: list[str]
    deleted: list[str]
