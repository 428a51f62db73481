"""How long jobs report progress and learn they were cancelled, knowing nothing of any GUI."""

from __future__ import annotations

from collections.abc import Callable

from crc_desktop.core.errors import CrcError


class Cancelled(CrcError):
    """The user cancelled the job; whatever it was writing was not kept."""

    def __init__(self) -> None:
        super().__init__("Cancelled; nothing was changed.")


class Progress:
    """Handed to a long job: `step(fraction, message)` reports and raises Cancelled when asked to stop."""

    def __init__(self, report: Callable[[float, str], None] | None = None) -> None:
        self._report = report or (lambda _fraction, _message: None)
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def step(self, fraction: float, message: str = "") -> None:
        if self._cancelled:
            raise Cancelled()
        self._report(max(0.0, min(1.0, fraction)), message)


NO_PROGRESS = Progress()
