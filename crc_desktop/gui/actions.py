"""One QAction per command that a menu entry and a page's button both offer.

The window's menus exist before its pages (a page is built the first time it is shown), so the
window makes these actions and hands each page its own when it builds it; a page made on its
own (in a test) makes them itself. The page connects what a command does to its action's
`triggered` and enables or disables the action, never the button: the button is bound to the
action, so the menu entry, its shortcut and the button are enabled, disabled and triggered
together.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton

from crc_desktop.core.i18n import N_, Translator


@dataclass(frozen=True)
class Command:
    name: str
    title: str  # marked with N_, with the menu's mnemonic
    shortcut: str = ""
    changes_data: bool = True  # False: still offered in a window that may change nothing


# the Period menu, in its order, and the Periods page's buttons
PERIOD_COMMANDS = (
    Command("new", N_("&New period")),
    Command("submit", N_("&Submit for review")),
    Command("approve", N_("&Approve")),
    Command("reopen", N_("&Reopen…")),
    Command("check", N_("&Check readiness to sign"), "F7", changes_data=False),
    Command("export", N_("Sign and &export…"), "Ctrl+E"),
    Command("verify", N_("Check a signed &bundle…"), changes_data=False),
)
# the File menu's first entries, and the Settings page's buttons
BACKUP_COMMANDS = (
    Command("backup", N_("&Back up now…"), changes_data=False),
    Command("restore", N_("&Restore from a backup…")),
)


def make_actions(commands: tuple[Command, ...], tr: Translator, parent: QObject) -> dict[str, QAction]:
    """The commands' actions, by name, in their order."""
    actions = {}
    for command in commands:
        action = QAction(tr(command.title), parent)
        action.setObjectName(f"{command.name}_action")
        if command.shortcut:
            action.setShortcut(QKeySequence(command.shortcut))
        actions[command.name] = action
    return actions


def bind(button: QAbstractButton, action: QAction) -> None:
    """`button` offers `action`: clicking it triggers the action, and it is enabled when the
    action is. The button keeps its own text and tooltip."""
    button.clicked.connect(action.trigger)
    _Binding(button, action)


class _Binding(QObject):
    """Keeps a button's enabled state its action's; a child of the button, it goes with it."""

    def __init__(self, button: QAbstractButton, action: QAction) -> None:
        super().__init__(button)
        self._button, self._action = button, action
        action.changed.connect(self.sync)
        self.sync()

    @Slot()
    def sync(self) -> None:
        self._button.setEnabled(self._action.isEnabled())
