"""Validation of indicator values: reading typed input, and the rules kept as data.

Typing rules (a number where a number belongs, a percentage within 0-100) refuse the
input outright. Rules kept as data run on saved values and produce findings: an error
blocks signing, a warning needs a comment. Everything here is pure: the services load
the values and the rules and pass them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import N_, parse_number

RuleKind = Literal["required", "range", "cells_sum", "part_le_total", "change"]
RULE_KINDS: tuple[str, ...] = ("required", "range", "cells_sum", "part_le_total", "change")
# A number is kept as a binary float: up to 15 significant digits it reads back exactly, and
# with at most 4 decimal places its shortest form never needs an exponent (JSON included).
MAX_DIGITS = 15
MAX_DECIMALS = 4
_YES = {"có", "co", "yes", "1", "x", "true"}
_NO = {"không", "khong", "no", "0", "false"}


@dataclass(frozen=True)
class Value:
    """A value as stored: a number or a text (text for `text`, yes/no as 1/0)."""

    number: float | None = None
    text: str | None = None

    @property
    def empty(self) -> bool:
        return self.number is None and not self.text


def parse_value(value_type: str, raw: str, locale: str = "vi_VN") -> Value:
    """Read what a user typed or pasted for an indicator of `value_type`; refuse what is wrong."""
    text = (raw or "").strip()
    if not text:
        return Value()
    if value_type == "text":
        return Value(text=text)
    if value_type == "yesno":
        folded = text.lower()
        if folded in _YES:
            return Value(number=1.0)
        if folded in _NO:
            return Value(number=0.0)
        raise InputRefused('"{value}" is not yes or no (Có/Không).', value=raw)
    try:
        number = parse_number(text.rstrip("%").strip(), locale)
    except ValueError:
        raise InputRefused('"{value}" is not a number.', value=raw) from None
    if value_type == "integer" and number != number.to_integral_value():
        raise InputRefused('"{value}" is not a whole number.', value=raw)
    if number < 0:
        raise InputRefused('"{value}" is negative; indicator values cannot be.', value=raw)
    if value_type == "percentage" and number > Decimal(100):
        raise InputRefused("{value} is not a percentage between 0 and 100.", value=raw)
    _ensure_kept_exactly(number, raw)
    return Value(number=float(number))


def _ensure_kept_exactly(number: Decimal, raw: str) -> None:
    """Refuse a number the program could not keep and write back digit for digit."""
    digits = number.normalize().as_tuple()
    decimals = max(0, -digits.exponent)
    if decimals > MAX_DECIMALS:
        raise InputRefused('"{value}" has more than {count} decimal places.', value=raw, count=MAX_DECIMALS)
    if max(len(digits.digits), digits.exponent + len(digits.digits)) > MAX_DIGITS:
        raise InputRefused('"{value}" has more than {count} digits.', value=raw, count=MAX_DIGITS)


@dataclass(frozen=True)
class Rule:
    """A rule of one indicator; `params` depend on the kind (see `check_group`)."""

    id: int
    indicator_id: int
    kind: str
    params: Mapping
    severity: str = "error"


@dataclass(frozen=True)
class Finding:
    """A rule that does not hold, at one cell and area."""

    rule_id: int
    kind: str
    severity: str
    indicator_id: int
    cell_id: int
    area_id: int
    message: str
    params: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorCells:
    """The shape of one indicator: its cells, which is the total, and its type."""

    indicator_id: int
    code: str
    value_type: str
    total_cell: int
    cells: tuple[int, ...]
    parts: Mapping[str, tuple[int, ...]]  # dimension -> the cells that must add up to total


def check_indicator_area(
    indicator: IndicatorCells,
    rules: Iterable[Rule],
    area_id: int,
    values: Mapping[int, float | None],
    previous: Mapping[int, float | None],
    other_totals: Mapping[int, float | None],
) -> list[Finding]:
    """Findings of every rule of one indicator, for one area.

    `values` and `previous` map cell id to the number of this and the previous period;
    `other_totals` maps an indicator id to its total in this area (for part ≤ total).
    """
    findings: list[Finding] = []

    def found(rule: Rule, cell: int, message: str, **params) -> None:
        findings.append(
            Finding(
                rule.id,
                rule.kind,
                rule.severity,
                indicator.indicator_id,
                cell,
                area_id,
                message,
                params,
            )
        )

    total = values.get(indicator.total_cell)
    for rule in rules:
        if rule.kind == "required":
            for cell in indicator.cells:
                if values.get(cell) is None:
                    found(rule, cell, N_("A value is required."))
        elif rule.kind == "range":
            low, high = rule.params.get("min"), rule.params.get("max")
            for cell in indicator.cells:
                value = values.get(cell)
                if value is not None and (
                    (low is not None and value < low) or (high is not None and value > high)
                ):
                    found(
                        rule,
                        cell,
                        N_("{value} is outside the range {min} to {max}."),
                        value=value,
                        min=low if low is not None else "-",
                        max=high if high is not None else "-",
                    )
        elif rule.kind == "cells_sum" and total is not None:
            tolerance = float(rule.params.get("tolerance", 0.5))
            for dimension, cells in indicator.parts.items():
                parts = [values.get(cell) for cell in cells]
                if any(part is None for part in parts):
                    continue
                if abs(sum(parts) - total) > tolerance:
                    found(
                        rule,
                        indicator.total_cell,
                        N_("The {dimension} breakdown adds up to {sum}, not to the total {total}."),
                        dimension=dimension,
                        sum=round(sum(parts), 2),
                        total=total,
                    )
        elif rule.kind == "part_le_total" and total is not None:
            whole = other_totals.get(int(rule.params["total_indicator"]))
            if whole is not None and total > whole:
                found(
                    rule,
                    indicator.total_cell,
                    N_("{value} is larger than the total it is part of ({total})."),
                    value=total,
                    total=whole,
                )
        elif rule.kind == "change":
            threshold = float(rule.params.get("percent", 50))
            for cell in indicator.cells:
                now, before = values.get(cell), previous.get(cell)
                if now is None or not before:
                    continue
                change = abs(now - before) / abs(before) * 100
                if change > threshold:
                    found(
                        rule,
                        cell,
                        N_("Changed by {change}% since the previous period (more than {threshold}%)."),
                        change=round(change),
                        threshold=threshold,
                    )
    return findings


POPULATION_KIND = "population_le"  # a finding of no rule row: a count above the population table
_ABOVE_POPULATION = N_(
    "{value} is more than the commune's {population} children of this age (population table {year})."
)


def population_findings(
    bounds: Mapping[tuple[int, int], float],
    values: Mapping[tuple[int, int], float | None],
    indicator_of: Mapping[int, int],
    year: int,
) -> list[Finding]:
    """A commune's count larger than its child population of that age band, where the imported
    population tables of `year` give it (`bounds`, by (cell, commune)). A warning, not an error:
    the tables are estimates, and a commune may count children registered elsewhere; the value
    stops blocking once it is explained."""
    findings = []
    for (cell, area), children in bounds.items():
        value = values.get((cell, area))
        if value is not None and value > children:
            findings.append(
                Finding(
                    0,
                    POPULATION_KIND,
                    "warning",
                    indicator_of.get(cell, 0),
                    cell,
                    area,
                    _ABOVE_POPULATION,
                    {"value": value, "population": children, "year": year},
                )
            )
    return findings


def explained(severity: str, comment: str | None) -> bool:
    """Whether a finding stops blocking signing: a warning (a large change, say) does once the
    value carries an explanation (its comment); an error only when the values are corrected."""
    return severity == "warning" and bool((comment or "").strip())


_HOW_TO_CLEAR = {
    "required": N_("Enter a value."),
    "range": N_("Correct the value (check its unit)."),
    "cells_sum": N_("Correct the breakdown or the total so that they add up."),
    "part_le_total": N_("Correct this value or the total it is part of."),
    "change": N_("Check the value against the previous period and correct it."),
}
EXPLAIN_TO_CLEAR = N_(
    "If the value is right, add an explanation (comment) to the cell, or to all the selected cells "
    "at once: it then no longer blocks signing."
)


def how_to_clear(kind: str, severity: str) -> str:
    """What the user does to clear a finding of this kind (a msgid): every blocking finding says it."""
    if severity == "warning":
        return EXPLAIN_TO_CLEAR
    return _HOW_TO_CLEAR.get(kind, N_("Correct the value."))
