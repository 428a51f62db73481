"""Translation catalogues and the way numbers and dates are written for the user.

Message ids are English; `resources/translations/vi.po` is the Vietnamese catalogue (the
default language). The program reads its compiled form, `vi/LC_MESSAGES/crc_desktop.mo`
(gettext's own layout, so that `use_for_python` can hand it to the standard library's modules),
with the standard library's gettext (parsing the .po with Babel cost a tenth of the start-up);
`pybabel compile` makes it, and a test fails when it no longer matches the .po. Placeholders
are named (`{path}`), and a test checks that every translation keeps the placeholders of its
message id.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import os
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Literal

Language = Literal["vi", "en"]
LANGUAGES: tuple[Language, ...] = ("vi", "en")
DEFAULT_LANGUAGE: Language = "vi"
_LOCALES = {"vi": "vi_VN", "en": "en_US"}
# Python writes 1,234.5; each language's thousands and decimal separators, CLDR's: the same as
# Babel's format_decimal gives (a test compares them), for the exact form of a value being edited
_SEPARATORS = {"vi": str.maketrans({",": ".", ".": ","}), "en": str.maketrans({})}


DOMAIN = "crc_desktop"


def _locale_dir() -> str:
    return str(resources.files("crc_desktop.resources") / "translations")


def load_translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language` (none for English, the source language)."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, _locale_dir(), languages=[language])


@contextlib.contextmanager
def python_speaking(language: str) -> Iterator[None]:
    """Python's own modules that speak through gettext's global functions (argparse: "usage:",
    "show this help message and exit", its errors) speak `language` for the time of the block.

    This is the route Python documents (the argparse how-to, "How to translate the argparse
    output"): our catalogue holds argparse's message ids, and it is made gettext's global domain
    (`bindtextdomain`, `textdomain`); gettext picks the language from the LANGUAGE variable. Both
    are put back after the block, so that neither leaks into other code of the process or into
    the programs it starts (coreutils read LANGUAGE too)."""
    domain, saved = gettext.textdomain(), os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, _locale_dir())
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language
    try:
        yield
    finally:
        gettext.textdomain(domain)
        if saved is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention
    """Marks a message for the catalogue where it is translated later."""
    return msgid


STATE_NAMES = {
    "draft": N_("draft"),
    "submitted": N_("submitted for review"),
    "approved": N_("approved"),
    "signed": N_("signed"),
}


class Translator:
    """Translates message ids and formats numbers and dates for one language."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        if language not in LANGUAGES:
            language = DEFAULT_LANGUAGE
        self.language: Language = language  # type: ignore[assignment]
        self.locale = _LOCALES[language]
        self._translations = load_translations(language)
        self._babel_locale = None

    def __call__(self, msgid: str, **params: object) -> str:
        """The message in this language; measured values (floats) as the user writes numbers."""
        text = self._translations.gettext(msgid)
        if not params:
            return text
        return text.format(**{k: self.number(v) if isinstance(v, float) else v for k, v in params.items()})

    def state(self, state: str) -> str:
        """The name of a period's workflow state."""
        return self(STATE_NAMES[state]) if state in STATE_NAMES else state

    def number(self, value: float | int | Decimal | None, digits: int = 2) -> str:
        """A number as the user writes it: 1.234,5 in Vietnamese, 1,234.5 in English."""
        from babel.numbers import format_decimal

        if value is None:
            return ""
        if self._babel_locale is None:  # read once: parsing the locale's name costs half a call
            from babel import Locale

            self._babel_locale = Locale.parse(self.locale)
        pattern = "#,##0" + ("." + "#" * digits if digits else "")  # rounded half to even
        exact = value if isinstance(value, Decimal) else Decimal(str(value))
        return format_decimal(exact, format=pattern, locale=self._babel_locale)

    def exact(self, value: float | int | Decimal | None) -> str:
        """A number as the user writes it, with every digit it has (a value being changed is
        shown as it will be kept, not rounded): 2.345.678 or 12,345 in Vietnamese."""
        from crc_desktop.core.numbers import exact_decimal

        if value is None:
            return ""
        return format(exact_decimal(value), ",f").translate(_SEPARATORS[self.language])

    def value(self, number: float | None, text: str | None = None) -> str:
        """An indicator value as entered: its text, or its number with every digit ("" if none)."""
        return text if text is not None else self.exact(number)

    def target(self, comparator: str, value: float) -> str:
        """A target as it is written in a report: "≥ 98,5" in Vietnamese, "≥ 98.5" in English."""
        return f"{_COMPARATORS[comparator]} {self.number(value)}"

    def read_target(self, text: str) -> tuple[str, float]:
        """Read a target as `target` writes it ("≥ 98,5", ">= 98.5", "100"); ValueError otherwise."""
        text = text.strip()
        for comparator, sign in sorted(_SIGNS.items(), key=lambda item: -len(item[0])):
            if text.startswith(comparator):
                return sign, float(self.read_number(text[len(comparator) :].strip()))
        return ">=", float(self.read_number(text))

    def date(self, value: dt.date | None) -> str:
        """A date as dd/mm/yyyy, the form used in both languages here."""
        return value.strftime("%d/%m/%Y") if value else ""

    def read_number(self, text: str) -> Decimal:
        """Read a number typed by a user or stored by Excel; ValueError when it is not one."""
        return parse_number(text, self.locale)


_COMPARATORS = {"<": "<", "<=": "≤", "=": "=", ">=": "≥", ">": ">"}
_SIGNS = {written: sign for sign, written in _COMPARATORS.items()} | {sign: sign for sign in _COMPARATORS}
_VI_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_number(text: str, locale: str = _LOCALES["vi"]) -> Decimal:
    """Read "1234.5", "1.234,5", "1,234.5", "12,5" or " 7 " as a Decimal.

    A plain machine form (digits with one dot) is accepted everywhere, since Excel and
    CSV files carry it whatever the user's language; otherwise the locale decides. In
    Vietnamese, "1.500" is one thousand five hundred: dots followed by groups of exactly
    three digits are thousands separators there.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        raise ValueError("empty")
    if not any(character.isdigit() for character in cleaned):
        raise ValueError(text)  # "NaN", "inf", "Infinity": Decimal reads them, people do not mean numbers
    if locale.startswith("vi") and _VI_THOUSANDS.match(cleaned):
        return Decimal(cleaned.replace(".", ""))
    try:
        if cleaned.count(".") <= 1 and "," not in cleaned:
            return Decimal(cleaned)
    except InvalidOperation:
        pass
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        return Decimal(parse_decimal(cleaned, locale=locale, strict=True))
    except (NumberFormatError, InvalidOperation) as exc:
        raise ValueError(text) from exc


def parse_date(text: str) -> dt.date:
    """Read dd/mm/yyyy (or ISO yyyy-mm-dd); ValueError otherwise."""
    cleaned = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)
