"""Errors a user can cause, each carrying a translatable message and its named values.

The message is an English msgid looked up in the translation catalogue when shown, so
the same error reads in Vietnamese in the GUI and on the command line.
"""

from __future__ import annotations

from typing import Any


class Msgid(str):
    """A value of a message that is itself a message id, translated when the message is shown."""


class CrcError(Exception):
    """Base of every error the user can cause; never a programming error."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params

    def render(self, translate) -> str:
        """The message in the user's language; `translate` maps an msgid to its text."""
        text = translate(self.message)
        params = {k: _rendered(v, translate) for k, v in self.params.items()}
        return text.format(**params) if params else text


def _rendered(value: Any, translate) -> Any:
    """Values that are messages themselves are shown in the user's language too."""
    if isinstance(value, Msgid):
        return translate(value)
    if isinstance(value, CrcError):
        return value.render(translate)
    return value


class DatabaseError(CrcError):
    """The database file cannot be used (not ours, newer than the program, damaged)."""


class InputRefused(CrcError):
    """Input that fails validation; nothing was changed."""

    def __init__(self, message: str, problems: list[CrcError] | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.problems = problems or []

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *(f"  - {p}" for p in self.problems)])


class NotFound(CrcError):
    """Something the user named does not exist."""


class PeriodLocked(CrcError):
    """A signed period cannot change."""
