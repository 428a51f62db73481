"""The reporting-period workflow: draft → submitted → approved → signed, and reopening.

This is the one place that says what a period in each state allows: whether its data may
change (and whether a change needs a reason), and which steps can be taken from it. Services
check every write against it and return it on their period models; pages ask it what to
enable, never compare state names.
"""

from __future__ import annotations

from enum import StrEnum

from crc_desktop.core.errors import InputRefused, Msgid, PeriodLocked
from crc_desktop.core.i18n import STATE_NAMES
from crc_desktop.core.screens import where
from crc_desktop.core.text import fold


class PeriodAction(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REOPEN = "reopen"
    EXPORT = "export"  # sign and export a new bundle version (the step "sign")
    SAVE_BUNDLE = "save_bundle"  # write the kept signed bundle again, same bytes


class PeriodState(StrEnum):
    """A period's state; a StrEnum, so it is stored and compared as its name."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    SIGNED = "signed"

    @property
    def editable(self) -> bool:
        """Whether the period's values and progress may change at all."""
        return self is not PeriodState.SIGNED

    @property
    def needs_reason(self) -> bool:
        """Whether a change is kept only with a reason (someone already reviewed the data)."""
        return self in (PeriodState.SUBMITTED, PeriodState.APPROVED)

    @property
    def allowed_actions(self) -> frozenset[PeriodAction]:
        """The steps this state allows (saving a kept bundle again depends on the bundle: see
        `actions`)."""
        return _ALLOWED[self]

    def actions(self, *, has_bundle: bool) -> frozenset[PeriodAction]:
        """What the user may do with a period in this state; `has_bundle`: a signed bundle of it
        is kept (a reopened period's last bundle can still be saved again)."""
        return _ALLOWED[self] | ({PeriodAction.SAVE_BUNDLE} if has_bundle else set())

    def allows(self, action: PeriodAction | str) -> bool:
        return PeriodAction(action) in _ALLOWED[self]

    def ensure_editable(self, code: str, reason: str) -> None:
        """Refuse a change to period `code` that this state does not allow (with this reason)."""
        if not self.editable:
            raise PeriodLocked(
                "Period {code} is signed and locked; reopen it (with a reason) to change it.",
                code=code,
            )
        if self.needs_reason and not reason.strip():
            raise InputRefused(
                "Period {code} is {state}; give a reason for this change.",
                code=code,
                state=Msgid(STATE_NAMES[self]),
            )

    def after(self, action: PeriodAction | str, reason: str = "") -> PeriodState:
        """The state after `action`; refuses an action this state does not allow."""
        action = PeriodAction(action)
        if action is PeriodAction.REOPEN:
            if not self.allows(action):
                raise InputRefused("Period is already a draft; there is nothing to reopen.")
            if not reason.strip():
                raise InputRefused("Reopening a period needs a reason.")
            return PeriodState.DRAFT
        if action not in _TARGET:
            raise ValueError(f"{action} does not change a period's state")
        if not self.allows(action):
            needed = next(s for s in PeriodState if action in _ALLOWED[s])
            raise InputRefused(
                "This step needs a period that is {needed}; this one is {state}.",
                needed=Msgid(STATE_NAMES[needed]),
                state=Msgid(STATE_NAMES[self]),
            )
        return _TARGET[action]


_ALLOWED = {
    PeriodState.DRAFT: frozenset({PeriodAction.SUBMIT}),
    PeriodState.SUBMITTED: frozenset({PeriodAction.APPROVE, PeriodAction.REOPEN}),
    PeriodState.APPROVED: frozenset({PeriodAction.EXPORT, PeriodAction.REOPEN}),
    PeriodState.SIGNED: frozenset({PeriodAction.REOPEN}),
}
_TARGET = {
    PeriodAction.SUBMIT: PeriodState.SUBMITTED,
    PeriodAction.APPROVE: PeriodState.APPROVED,
    PeriodAction.EXPORT: PeriodState.SIGNED,
}


def same_person(a_name: str, a_account: str, b_name: str, b_account: str) -> bool:
    """Whether two steps may have been taken by one person: the names they gave are compared
    ignoring case, spacing and diacritics ("Lê Văn Hùng" is "le van hung"); a step without a name
    cannot prove that another person took it, so it counts as the same person (the accounts do
    not tell people apart on a shared office computer)."""
    a, b = fold(a_name), fold(b_name)
    return not (a and b) or a == b


def require_name(name: str) -> str:
    """The name of the person taking a step of the workflow; an empty one is refused (the four-eyes
    rule compares names, and the audit log says who did what)."""
    if not (name or "").strip():
        raise InputRefused(
            "Each step of the workflow records who takes it: enter your full name on {place} and take "
            "the step again.",
            place=where("user_name"),
        )
    return name.strip()


def check_approver(submitted_by_same_person: bool, *, required: bool, reason: str) -> None:
    """Four eyes: when the office requires it, the person who submitted a period does not approve
    it too, unless they say why (recorded with the approval)."""
    if required and submitted_by_same_person and not reason.strip():
        raise InputRefused(
            "You submitted this period yourself: another person must approve it. To approve it "
            "anyway, give the reason (it is recorded with the approval)."
        )
