"""How long jobs report progress and learn they were cancelled, knowing nothing of any GUI."""

from __future__ import annotations

from collections.abc import Callable

from crc_desktop.core.errors import CrcError


class Cancelled(CrcError):
    """The user cancelled the job; whatever it was writing was not kept."""

    def __init__(self) -> None:
        super().__init__("Cancelled; nothing was changed.")


class Progress:
    """Handed to a long job: `step(fraction, message)` reports and raises Cancelled when asked to
    stop, until the job reaches its point of no return (`no_return`, just before it commits)."""

    def __init__(self, report: Callable[[float, str], None] | None = None) -> None:
        self._report = report or (lambda _fraction, _message: None)
        self._cancelled = False
        self._past_return = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def no_return(self) -> None:
        """The job commits next: from here on it neither reports nor honours Cancel. A Cancel
        pressed later is too late; the job finishes and returns its outcome, which says what it
        changed (a Cancelled raised now would say "nothing was changed" of a committed change)."""
        self._past_return = True

    def step(self, fraction: float, message: str = "") -> None:
        if self._past_return:
            return
        if self._cancelled:
            raise Cancelled()
        self._report(max(0.0, min(1.0, fraction)), message)


NO_PROGRESS = Progress()
