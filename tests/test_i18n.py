"""Translations: Vietnamese by default, every message translated, placeholders kept."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from crc_desktop.core.i18n import Translator, load_catalog, parse_number

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def test_every_translation_keeps_the_placeholders_of_its_message():
    for msgid, text in load_catalog("vi").items():
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
    from babel.messages.pofile import read_po

    with pot.open("rb") as handle:
        msgids = {str(m.id) for m in read_po(handle) if m.id}
    missing = msgids - set(load_catalog("vi"))
    assert not missing


def test_numbers_as_vietnamese_users_write_them():
    vi, en = Translator("vi"), Translator("en")
    assert vi.number(1234567.5) == "1.234.567,5"
    assert en.number(1234567.5) == "1,234,567.5"
    assert str(parse_number("1.234,5")) == "1234.5"
    assert str(parse_number("12,5")) == "12.5"
    assert str(parse_number(" 7 ")) == "7"
