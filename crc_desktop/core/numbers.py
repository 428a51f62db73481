"""The machine form of numbers: how a number is written into a file another program reads.

One form for every file the program writes (SDMX-CSV, Excel cells read back as text, data
kept in the database): the shortest text that reads back as exactly the same number, in
plain digits with a dot, never in exponent form (2345678, not 2.34568e+06 or 2345678.0).
What the user reads goes through the Translator instead (1.234.567,5).
"""

from __future__ import annotations

from decimal import Decimal


def exact_decimal(value: float | int | Decimal) -> Decimal:
    """The number as a Decimal with the digits its shortest form has, and no trailing zeros."""
    if isinstance(value, float):
        value = Decimal(repr(value))  # repr: the shortest text that reads back the same float
    elif isinstance(value, int):
        value = Decimal(value)
    normal = value.normalize()
    return normal if normal != 0 else Decimal(0)


def machine_number(value: float | int | Decimal | None) -> str:
    """The number in its machine form ("" for none)."""
    if value is None:
        return ""
    return format(exact_decimal(value), "f")
