"""Building a page on its own, as the main window does: the operations layer over a runner."""

from __future__ import annotations

from collections.abc import Callable

from crc_desktop.app import Paths
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.tasks import TaskRunner


def operations(runner: TaskRunner | None = None, tr: Translator | None = None) -> Operations:
    """Operations over `runner` (synchronous by default), writing crash reports where the test's
    private home keeps its logs."""
    return Operations(runner or TaskRunner(synchronous=True), tr or Translator("vi"), Paths.for_user().logs)


def crash_report_shown(qtbot, act: Callable[[], None]) -> tuple[str, str]:
    """Do `act` (the user's click that meets an unexpected error), read the message that follows
    and close it as the user would; the message and the text of the one crash report written."""
    from tests.gui.user import button, click, when_dialog

    said: list[str] = []

    def read(box) -> None:
        said.append(box.text())
        click(button(box, "Đồng ý"))

    when_dialog(read)
    act()
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    reports = sorted(Paths.for_user().logs.glob("crash-*.txt"))
    assert len(reports) == 1, reports
    assert str(reports[0]) in said[0], "the message says where the report is"
    return said[0], reports[0].read_text("utf-8")
