"""Building a page on its own, as the main window does: the operations layer over a runner."""

from __future__ import annotations

from crc_desktop.app import Paths
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.tasks import TaskRunner


def operations(runner: TaskRunner | None = None, tr: Translator | None = None) -> Operations:
    """Operations over `runner` (synchronous by default), writing crash reports where the test's
    private home keeps its logs."""
    return Operations(runner or TaskRunner(synchronous=True), tr or Translator("vi"), Paths.for_user().logs)
