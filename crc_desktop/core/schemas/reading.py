"""Rows typed by people (spreadsheets, CSV, JSON) read into models, and why one is refused.

Excel changes what people type: a code `00004` becomes the number 4, `46` the number 46.0.
A field that is text takes such a number back as text, and a code of digits gets back the
leading zeros of its known width (the `digits` of the field, or the width its pattern fixes).
pydantic's own messages are English and speak of types; `validation_problems` says the same
in the user's language, naming the column with its Vietnamese label, the row, and the value
quoted as the user typed it.
"""

from __future__ import annotations

import re
import types
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from crc_desktop.core.errors import CrcError, Msgid
from crc_desktop.core.i18n import N_

_FIXED_DIGITS = re.compile(r"^\^\\d\{(\d+)\}\$$")

# the column names of our files, as the user reads them
FIELD_LABELS = {
    "code": N_("code"),
    "name": N_("name"),
    "short_name": N_("short name"),
    "kind": N_("kind"),
    "valid_from": N_("valid from"),
    "valid_to": N_("valid until"),
    "source": N_("source"),
    "paragraph": N_("paragraph"),
    "sub": N_("sub-paragraph"),
    "title": N_("title"),
    "text": N_("text"),
    "urgent": N_("urgent"),
    "cluster": N_("cluster"),
    "set": N_("indicator set"),
    "annex": N_("annex"),
    "unit": N_("unit"),
    "value_type": N_("value type"),
    "year": N_("year"),
    "value": N_("value"),
    "number": N_("number"),
    "province": N_("province"),
    "period": N_("period"),
}

_REASONS = {
    "missing": N_("this column is required and is empty"),
    "string_type": N_("“{value}” should be text"),
    "string_too_short": N_("this column must not be empty"),
    "string_too_long": N_("“{value}” is longer than {max_length} characters"),
    "string_pattern_mismatch": N_("“{value}” is not written as this column needs"),
    "int_parsing": N_("“{value}” is not a whole number"),
    "int_type": N_("“{value}” is not a whole number"),
    "int_from_float": N_("“{value}” is not a whole number"),
    "float_parsing": N_("“{value}” is not a number"),
    "float_type": N_("“{value}” is not a number"),
    "decimal_parsing": N_("“{value}” is not a number"),
    "greater_than_equal": N_("{value} is less than the smallest allowed, {ge}"),
    "greater_than": N_("{value} must be more than {gt}"),
    "less_than_equal": N_("{value} is more than the largest allowed, {le}"),
    "less_than": N_("{value} must be less than {lt}"),
    "date_parsing": N_("“{value}” is not a date: write dd/mm/yyyy or yyyy-mm-dd"),
    "date_from_datetime_parsing": N_("“{value}” is not a date: write dd/mm/yyyy or yyyy-mm-dd"),
    "date_from_datetime_inexact": N_("“{value}” is a time, not a date"),
    "date_type": N_("“{value}” is not a date: write dd/mm/yyyy or yyyy-mm-dd"),
    "literal_error": N_("“{value}” is not one of: {expected}"),
    "extra_forbidden": N_("this column is not known in this file"),
    "bool_parsing": N_("“{value}” is not yes or no (có/không)"),
    "bool_type": N_("“{value}” is not yes or no (có/không)"),
    "list_type": N_("“{value}” should be a list"),
    "too_short": N_("this list must not be empty"),
    "dict_type": N_("“{value}” should be a table of named values"),
    "model_type": N_("“{value}” should be a table of named values"),
}
_PATTERN_HINTS = {
    r"^\d{2}$": N_("two digits, e.g. 46"),
    r"^\d{3,8}$": N_("digits only, e.g. 19753"),
    r"^[a-z]{0,2}$": N_("one or two lower-case letters, e.g. a"),
}


def text_cells(model: type[BaseModel], row: dict[str, Any]) -> dict[str, Any]:
    """`row` with numbers that Excel made of text fields given back as the text people typed."""
    fixed = {}
    for name, value in row.items():
        field = model.model_fields.get(name)
        if field is None or isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            fixed[name] = value
            continue
        if not _is_text(field.annotation):
            fixed[name] = value
            continue
        text = _plain(value)
        width = _digits(field)
        fixed[name] = text.zfill(width) if width and text.isdigit() else text
    return fixed


def _is_text(annotation: Any) -> bool:
    """str, an annotated str (Text, Name), or an optional one."""
    if annotation is str:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_text(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_text(arg) for arg in typing.get_args(annotation))
    return False


def _plain(value: int | float | Decimal) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (float, Decimal)):
        return format(Decimal(repr(value) if isinstance(value, float) else value).normalize(), "f")
    return str(value)


def _digits(field) -> int:
    """The known width of a code made of digits: declared, or fixed by the field's pattern."""
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    if isinstance(extra.get("digits"), int):
        return extra["digits"]
    for item in field.metadata:
        match = _FIXED_DIGITS.match(str(getattr(item, "pattern", "") or ""))
        if match:
            return int(match[1])
    return 0


def validation_problems(error: ValidationError, where: str, **place: Any) -> list[CrcError]:
    """One problem per refused field, in the user's language: `where` is a message id naming
    the place with `{field}` and `{reason}` (e.g. "Row {row}, field {field}: {reason}")."""
    return [
        CrcError(where, field=field_name(detail["loc"]), reason=reason(detail), **place)
        for detail in error.errors(include_url=False)
    ]


def field_name(loc: tuple) -> str | CrcError:
    """The column as written in the file, with its label in the user's language: `code (mã)`."""
    names = [str(part) for part in loc]
    if not names:
        return "-"
    last = next((n for n in reversed(names) if not n.isdigit()), names[-1])
    label = FIELD_LABELS.get(last)
    column = ".".join(names)
    return CrcError("{column} ({label})", column=column, label=Msgid(label)) if label else column


def reason(detail: dict) -> CrcError:
    """pydantic's reason for refusing a value, as a message of our catalogue."""
    kind = detail["type"]
    context = dict(detail.get("ctx") or {})
    value = _quoted(detail.get("input"))
    if kind == "value_error" and isinstance(context.get("error"), CrcError):
        return context["error"]
    if kind == "value_error":
        return CrcError("{error}", error=Msgid(str(context.get("error", ""))))
    if kind == "string_pattern_mismatch" and context.get("pattern") in _PATTERN_HINTS:
        return CrcError(
            "“{value}” is not written as this column needs: {hint}",
            value=value,
            hint=Msgid(_PATTERN_HINTS[context["pattern"]]),
        )
    message = _REASONS.get(kind)
    if message is None:
        return CrcError("“{value}” is not accepted here", value=value)
    params = {k: v for k, v in context.items() if f"{{{k}}}" in message}
    return CrcError(message, value=value, **params)


def _quoted(value: Any) -> str:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _plain(value)
    if isinstance(value, (dict, list)):
        return "…"
    return "" if value is None else str(value)
