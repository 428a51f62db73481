"""Errors a user can cause, each carrying a translatable message and its named values.

The message is an English msgid looked up in the translation catalogue when shown, so
the same error reads in Vietnamese in the GUI and on the command line.
"""

from __future__ import annotations

from typing import Any

from crc_desktop.core.i18n import N_


class Msgid(str):
    """A value of a message that is itself a message id, translated when the message is shown."""


class CrcError(Exception):
    """Base of every error the user can cause; never a programming error."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params

    def render(self, translate) -> str:
        """The message in the user's language; `translate` is the user's Translator."""
        return translate(self.message, **{k: _rendered(v, translate) for k, v in self.params.items()})


def _rendered(value: Any, translate) -> Any:
    """Values that are messages themselves are shown in the user's language too."""
    if isinstance(value, Msgid):
        return translate(value)
    if isinstance(value, CrcError):
        return value.render(translate)
    return value


_OS_REASONS = (
    (FileNotFoundError, N_("the file does not exist")),
    (IsADirectoryError, N_("it is a folder, not a file")),
    (PermissionError, N_("there is no permission to read it")),
)


def os_reason(error: OSError) -> str:
    """Why a file could not be read: a message id for the usual reasons (the system's own words
    are English), the system's words for the rare others."""
    for kind, reason in _OS_REASONS:
        if isinstance(error, kind):
            return Msgid(reason)
    return error.strerror or str(error)


class DatabaseError(CrcError):
    """The database file cannot be used (not ours, newer than the program, damaged)."""


class RefusedValue(CrcError, ValueError):
    """A value a schema refuses, with a message of ours (pydantic reports it as a value error)."""


class InputRefused(CrcError):
    """Input that fails validation; nothing was changed."""

    def __init__(self, message: str, problems: list[CrcError] | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.problems = problems or []

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *(f"  - {p}" for p in self.problems)])


class ReadOnly(CrcError):
    """The database is open read-only (another window writes to it); nothing was changed."""


class NotFound(CrcError):
    """Something the user named does not exist."""


class PeriodLocked(CrcError):
    """A signed period cannot change."""


def with_suggestions(error: CrcError, names: list[str]) -> CrcError:
    """`error` followed by the nearest names or codes the user may have meant (see text.nearest)."""
    if not names:
        return error
    suggested = type(error)("{reason} Did you mean: {names}?", reason=error, names=", ".join(names))
    suggested.problems = getattr(error, "problems", [])
    return suggested
