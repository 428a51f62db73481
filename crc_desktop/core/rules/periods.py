"""Reporting periods: annual (`2025`) and half-year (`2025-H1`, `2025-H2`) codes and their dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from crc_desktop.core.errors import InputRefused, Msgid, NotFound
from crc_desktop.core.i18n import N_

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-H(?P<half>[12]))?$")


@dataclass(frozen=True, order=True)
class PeriodCode:
    year: int
    half: int = 0  # 0 for a whole year

    @classmethod
    def parse(cls, text: str) -> PeriodCode:
        match = _PATTERN.match(text.strip().upper())
        if not match or not 2000 <= int(match["year"]) <= 2100:
            raise InputRefused(
                "{code} is not a reporting period; write a year (2025) or a half-year (2025-H1).",
                code=text,
            )
        return cls(int(match["year"]), int(match["half"] or 0))

    def __str__(self) -> str:
        return f"{self.year}-H{self.half}" if self.half else str(self.year)

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def previous(self) -> PeriodCode:
        """The period of the same length just before this one."""
        if self.half == 2:
            return PeriodCode(self.year, 1)
        if self.half == 1:
            return PeriodCode(self.year - 1, 2)
        return PeriodCode(self.year - 1)


def missing_period(code: PeriodCode | str) -> NotFound:
    """The refusal for a period the database does not have, saying how to create it."""
    return NotFound(
        "There is no reporting period {code} in this database. Create it on the page “{page}” "
        "(button “{button}”) or with: crc-desktop period create --db … --period {code}",
        code=str(code),
        page=Msgid(N_("Periods and signing")),
        button=Msgid(N_("New period")),
    )
