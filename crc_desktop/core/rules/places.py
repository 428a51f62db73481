"""How a province is named on a date: in running text, in the place line, and in the names of
its People's Committee and of the office in charge of children (Decree 30/2020/NĐ-CP).

Decree 30, Appendix II: a unit's kind is written in lower case before its proper name ("tỉnh
Đồng Nai", "thành phố Hà Nội"), except a unit named after a person, written in full ("Thành
phố Hồ Chí Minh"); Appendix I: the place line names the province, in full when it is named
after a person ("Thành phố Hồ Chí Minh, ngày …", but "Đồng Nai, ngày …").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

OFFICE_FOR_CHILDREN = "Sở Y tế"  # child affairs sit with the health sector since 1/3/2025
COMMITTEE = "Ủy ban nhân dân"


class DatedUnit(Protocol):
    name: str
    short_name: str
    kind: str
    named_after_person: bool
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class OfficeNames:
    office_name: str
    parent_agency: str
    place_name: str


def in_text(unit: DatedUnit) -> str:
    """ "tỉnh Đồng Nai", "thành phố Huế", "Thành phố Hồ Chí Minh"."""
    if unit.named_after_person:
        return unit.name
    return f"{unit.kind} {unit.short_name}"


def kind_of(full_name: str) -> str:
    """The kind a province's full name begins with, as running text writes it: "thành phố" for
    "Thành phố Huế", "tỉnh" for "Tỉnh Đồng Nai" (or a name without its kind)."""
    return "thành phố" if full_name.casefold().startswith("thành phố") else "tỉnh"


def in_running_text(full_name: str, place: str) -> str:
    """A province's full name as a sentence writes it: "thành phố Huế", "tỉnh Đồng Nai", but
    "Thành phố Hồ Chí Minh" (its place line is its full name: it is named after a person)."""
    if full_name == place:
        return full_name
    for kind in ("Thành phố ", "Tỉnh "):
        if full_name.startswith(kind):
            return kind.lower() + full_name[len(kind) :]
    return full_name


def head_title(office_name: str) -> str:
    """Who signs for an office by its kind: a Sở's director, a People's Committee's chair."""
    folded = office_name.casefold()
    if folded.startswith("sở "):
        return "GIÁM ĐỐC"
    if folded.startswith(COMMITTEE.casefold()):
        return "CHỦ TỊCH"
    if folded.startswith("cục "):
        return "CỤC TRƯỞNG"
    return "THỦ TRƯỞNG CƠ QUAN"


def place_name(unit: DatedUnit) -> str:
    return unit.name if unit.named_after_person else unit.short_name


def default_names(unit: DatedUnit) -> OfficeNames:
    return OfficeNames(
        office_name=f"{OFFICE_FOR_CHILDREN} {in_text(unit)}",
        parent_agency=f"{COMMITTEE} {in_text(unit)}",
        place_name=place_name(unit),
    )


def _earlier_defaults(unit: DatedUnit) -> OfficeNames:
    """What databases made before the names were dated hold ("Sở Y tế Hồ Chí Minh")."""
    return OfficeNames(
        office_name=f"{OFFICE_FOR_CHILDREN} {unit.short_name}",
        parent_agency=f"{COMMITTEE} {unit.name[:1].lower()}{unit.name[1:]}",
        place_name=unit.short_name,
    )


def in_force(valid_from: dt.date | None, valid_to: dt.date | None, on: dt.date) -> bool:
    """Whether something valid from one day to another (either open) is in force on `on`."""
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


def valid_on(versions: Sequence[DatedUnit], on: dt.date) -> DatedUnit:
    """The version of a unit in force on `on` (the earliest before its first, the latest after)."""
    ordered = sorted(versions, key=lambda v: v.valid_from)
    for version in ordered:
        if in_force(version.valid_from, version.valid_to, on):
            return version
    return ordered[0] if on < ordered[0].valid_from else ordered[-1]


def names_on(stored: OfficeNames, versions: Sequence[DatedUnit], on: dt.date) -> OfficeNames:
    """The office's names for a document dated `on`: each name the office left as the program
    made it follows the unit's name on that date; a name the office typed itself stays."""
    wanted = default_names(valid_on(versions, on))
    made = [default_names(v) for v in versions] + [_earlier_defaults(v) for v in versions]
    fields = {}
    for field in ("office_name", "parent_agency", "place_name"):
        value = getattr(stored, field)
        fields[field] = getattr(wanted, field) if value in {getattr(m, field) for m in made} else value
    return OfficeNames(**fields)


def agency_name(name: str, city_name: str, unit: DatedUnit) -> str:
    """The form an agency's name takes in a centrally-run city ("Thành đoàn", "Công an thành phố")."""
    return city_name if city_name and unit.kind == "thành phố" else name
