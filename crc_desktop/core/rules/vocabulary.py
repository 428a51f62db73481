"""The closed vocabularies of the program, each declared once, like `PeriodState`: a task's
status, a budget line's source, what an import did with a file, and where a unit stands in the
collection round. StrEnums, so they are stored, compared and written to files as their values.

Their names for people come from the translation catalogue through `label` (the reports and
workbooks print them in Vietnamese, `Translator("vi")`); no other table of names exists.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from crc_desktop.core.i18n import N_, STATE_NAMES


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DELAYED = "delayed"
    CANCELLED = "cancelled"

    @property
    def counts(self) -> bool:
        """Whether the task is part of the plan (a cancelled one is kept but no longer counts)."""
        return self is not TaskStatus.CANCELLED


class BudgetSource(StrEnum):
    STATE_BUDGET = "state_budget"
    ODA = "oda"
    SOCIAL = "social"


class ImportOutcome(StrEnum):
    """What an import did with one file."""

    LOADED = "loaded"
    SKIPPED = "skipped"  # already loaded: the same bytes
    REFUSED = "refused"
    BLANK = "blank"  # nothing typed in it (no value, comment or progress): not loaded


class UnitState(StrEnum):
    """Where a commune or an agency stands in a period's collection round."""

    RETURNED = "returned"
    MISSING = "missing"
    EXEMPT = "exempt"
    BLANK = "blank"  # its form came back with nothing typed
    REFUSED = "refused"  # its form could not be loaded

    @property
    def expected(self) -> bool:
        """Whether the unit still owes its report (it sent nothing usable)."""
        return self in (UnitState.MISSING, UnitState.BLANK, UnitState.REFUSED)


_LABELS: dict[StrEnum, str] = {
    TaskStatus.NOT_STARTED: N_("Not started"),
    TaskStatus.IN_PROGRESS: N_("In progress"),
    TaskStatus.COMPLETED: N_("Completed"),
    TaskStatus.DELAYED: N_("Delayed"),
    TaskStatus.CANCELLED: N_("Cancelled"),
    BudgetSource.STATE_BUDGET: N_("State budget"),
    BudgetSource.ODA: N_("ODA"),
    BudgetSource.SOCIAL: N_("Social sources"),
    ImportOutcome.LOADED: N_("loaded"),
    ImportOutcome.SKIPPED: N_("already loaded, skipped"),
    ImportOutcome.REFUSED: N_("refused"),
    ImportOutcome.BLANK: N_(
        "blank: nothing was filled in (no value, comment or progress); not counted as returned"
    ),
    UnitState.RETURNED: N_("returned"),
    UnitState.MISSING: N_("not returned"),
    UnitState.EXEMPT: N_("no report expected"),
    UnitState.BLANK: N_("blank form (nothing filled in)"),
    UnitState.REFUSED: N_("form refused"),
}


def label(value: StrEnum | str | None, translate: Callable[[str], str]) -> str:
    """The name of a vocabulary value in the user's language (a period's state too); a value
    the vocabulary does not know is shown as it is, nothing as nothing."""
    if value is None or value == "":
        return ""
    for kind in (TaskStatus, BudgetSource, ImportOutcome, UnitState):
        if value in kind._value2member_map_:
            return translate(_LABELS[kind(value)])
    if value in STATE_NAMES:
        return translate(STATE_NAMES[value])
    return str(value)


def labels(kind: type[StrEnum], translate: Callable[[str], str]) -> dict[StrEnum, str]:
    """Every value of `kind` with its name, in the vocabulary's order."""
    return {value: label(value, translate) for value in kind}
