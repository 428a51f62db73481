"""The reporting-period workflow: draft → submitted → approved → signed, and reopening."""

from __future__ import annotations

from crc_desktop.core.errors import InputRefused, Msgid
from crc_desktop.core.i18n import STATE_NAMES

TRANSITIONS = {
    "submit": ("draft", "submitted"),
    "approve": ("submitted", "approved"),
    "sign": ("approved", "signed"),
}
REOPENABLE = ("submitted", "approved", "signed")
EXPORTABLE = ("approved",)


def allowed_actions(state: str, *, has_bundle: bool = False) -> frozenset[str]:
    """What the user may do with a period in `state`: the workflow's steps ("submit", "approve",
    "reopen"), "export" (sign a new version) and "save_bundle" (write the signed bundle again)."""
    actions = {action for action, (source, _) in TRANSITIONS.items() if source == state and action != "sign"}
    if state in REOPENABLE:
        actions.add("reopen")
    if state in EXPORTABLE:
        actions.add("export")
    if has_bundle:
        actions.add("save_bundle")
    return frozenset(actions)


def next_state(action: str, state: str, reason: str = "") -> str:
    """The state after `action`; refuses an action the current state does not allow."""
    if action == "reopen":
        if state not in REOPENABLE:
            raise InputRefused("Period is already a draft; there is nothing to reopen.")
        if not reason.strip():
            raise InputRefused("Reopening a period needs a reason.")
        return "draft"
    source, target = TRANSITIONS[action]
    if state != source:
        raise InputRefused(
            "This step needs a period that is {needed}; this one is {state}.",
            needed=Msgid(STATE_NAMES[source]),
            state=Msgid(STATE_NAMES[state]),
        )
    return target
