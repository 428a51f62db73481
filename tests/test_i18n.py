"""Translations: Vietnamese by default, every message translated, placeholders kept."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator, parse_number

PLACEHOLDER = re.compile(r"\{(\w*)\}")
TRANSLATIONS = Path(__file__).resolve().parents[1] / "resources" / "translations"


def _source_catalog(language: str = "vi"):
    with (TRANSLATIONS / f"{language}.po").open("rb") as handle:
        return read_po(handle)


def _translated(language: str = "vi") -> dict[str, str]:
    """The singular messages (argparse's one plural is checked with its other words)."""
    return {
        str(m.id): str(m.string)
        for m in _source_catalog(language)
        if m.id and m.string and not m.fuzzy and not m.pluralizable
    }


def test_the_compiled_catalogue_the_program_reads_is_the_po_file_compiled():
    compiled = io.BytesIO()
    write_mo(compiled, _source_catalog())
    assert (TRANSLATIONS / "vi" / "LC_MESSAGES" / "crc_desktop.mo").read_bytes() == compiled.getvalue(), (
        "the compiled catalogue is out of date: in resources/translations, "
        "pybabel compile -i vi.po -o vi/LC_MESSAGES/crc_desktop.mo -l vi"
    )


def test_the_program_shows_every_translation_of_the_catalogue():
    vi = Translator("vi")
    translated = _translated()
    assert len(translated) > 400
    for msgid, text in translated.items():
        assert vi(msgid) == text, msgid
    assert Translator("en")("Overview") == "Overview"


def test_every_translation_keeps_the_placeholders_of_its_message():
    for msgid, text in _translated().items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(text)), msgid


def test_every_message_in_the_code_has_a_vietnamese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    keywords = [
        "_",
        "tr",
        "_tr",
        "N_",
        "CrcError",
        "InputRefused",
        "DatabaseError",
        "NotFound",
        "PeriodLocked",
        "ReadOnly",
    ]
    args = [
        sys.executable,
        "-m",
        "babel.messages.frontend",
        "extract",
        "--no-location",
        "-o",
        str(pot),
    ]
    for keyword in keywords:
        args += ["-k", keyword]
    package = Path(__file__).resolve().parents[1] / "crc_desktop"
    subprocess.run([*args, str(package)], check=True, capture_output=True)
    with pot.open("rb") as handle:
        msgids = {str(m.id) for m in read_po(handle) if m.id}
    missing = msgids - set(_translated())
    assert not missing


def test_numbers_are_written_as_babel_writes_them_for_each_language():
    import random
    from decimal import Decimal

    from babel.numbers import format_decimal

    rng = random.Random(27)
    values = [0, -0.004, 0.005, 0.015, 2.675, Decimal("-1234.5650"), 999.995, 10**15, 0.1 + 0.2]
    values += [rng.uniform(-1e7, 1e7) for _ in range(300)]
    values += [rng.randint(-(10**9), 10**9) for _ in range(100)]
    for language, locale in (("vi", "vi_VN"), ("en", "en_US")):
        tr = Translator(language)
        for digits in (0, 1, 2):
            pattern = "#,##0" + ("." + "#" * digits if digits else "")
            for value in values:
                assert tr.number(value, digits) == format_decimal(value, format=pattern, locale=locale), value


def test_targets_are_written_with_the_users_numbers_and_signs():
    vi, en = Translator("vi"), Translator("en")
    assert vi.target(">=", 98.5) == "≥ 98,5"
    assert vi.target("<=", 550) == "≤ 550"
    assert vi.target("<", 4.5) == "< 4,5"
    assert vi.target("=", 100000) == "= 100.000"
    assert en.target(">", 1234.5) == "> 1,234.5"


def test_measured_values_in_messages_are_written_as_users_write_numbers():
    change = "Changed by {change}% since the previous period (more than {threshold}%)."
    assert Translator("vi")(change, change=54, threshold=50.0) == "Thay đổi 54% so với kỳ trước (quá 50%)."
    parts = "The {dimension} breakdown adds up to {sum}, not to the total {total}."
    assert "1.234,5" in Translator("vi")(parts, dimension="sex", sum=1234.5, total=1240.0)
    assert "1,234.5" in Translator("en")(parts, dimension="sex", sum=1234.5, total=1240.0)
    assert "2025" in Translator("vi")("Period {period}", period=2025)  # whole numbers (years) as they are
    assert "1.234,5" in CrcError(parts, dimension="sex", sum=1234.5, total=1240.0).render(Translator("vi"))


def test_numbers_as_vietnamese_users_write_them():
    vi, en = Translator("vi"), Translator("en")
    assert vi.number(1234567.5) == "1.234.567,5"
    assert en.number(1234567.5) == "1,234,567.5"
    assert str(parse_number("1.234,5")) == "1234.5"
    assert str(parse_number("12,5")) == "12.5"
    assert str(parse_number(" 7 ")) == "7"
