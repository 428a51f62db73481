"""The catalogue files: our own versioned format for reference data, one kind per file.

A file holds `format`, `format_version`, `kind` and `entries`; CSV and XLSX files hold the
entries of one kind as rows, with the same field names as column headers.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from crc_desktop.core.errors import RefusedValue
from crc_desktop.core.schemas.agencies import AgencyKind
from crc_desktop.core.schemas.base import Frozen, Name, Text
from crc_desktop.core.schemas.changes import Outcome

CATALOG_FORMAT = "crc-desktop-catalog"
# 2: indicators say how they are made (measure, numerator, denominator, factor, reported_by).
# Files of version 1 still load: their indicators are entered values, as they always were.
CATALOG_VERSION = 2

CatalogKind = Literal[
    "provinces",
    "task_groups",
    "receiving_authorities",
    "recommendations",
    "indicators",
    "communes",
    "agencies",
    "targets",
]
ValueType = Literal["integer", "decimal", "percentage", "text", "yesno"]
Comparator = Literal["<", "<=", "=", ">=", ">"]
# count: a number units report (summed upward); ratio: numerator / denominator × factor, both
# counts; share: the % of communes answering yes to a yes/no indicator (its code in
# `numerator`); entered: a rate typed at the level it was published for (a survey), never computed.
Measure = Literal["count", "ratio", "share", "entered"]


class _Dated(Frozen):
    """An entry in force from `valid_from` to `valid_to` (declared in this order by subclasses)."""

    @field_validator("valid_to", check_fields=False)
    @classmethod
    def _ends_after_it_starts(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("valid_from")
        if end is not None and start is not None and end < start:
            raise RefusedValue(
                "it ends on {end}, before it starts on {start}",
                end=end.strftime("%d/%m/%Y"),
                start=start.strftime("%d/%m/%Y"),
            )
        return end


class ProvinceEntry(_Dated):
    code: Name = Field(pattern=r"^\d{2}$")
    name: Name
    short_name: Name
    kind: Text
    merged_from: list[Text] = []
    valid_from: dt.date
    valid_to: dt.date | None = None
    source: Text = ""
    named_after_person: bool = False


class TaskGroupEntry(Frozen):
    number: int = Field(ge=1, le=7)
    name_vi: Name
    name_en: Name
    source: Text = ""


class ReceivingAuthorityEntry(_Dated):
    name: Name
    unit: Text = ""
    valid_from: dt.date
    valid_to: dt.date | None = None
    source: Text = ""


class RecommendationDocumentEntry(Frozen):
    symbol: Name
    title: Name
    adopted_on: dt.date | None = None
    distributed_on: dt.date | None = None
    source: Text = ""


class ClusterEntry(Frozen):
    code: Name
    title: Name
    sort_order: int = 0


class RecommendationEntry(Frozen):
    """A paragraph (sub empty) or a lettered sub-paragraph of the Committee's document."""

    paragraph: int = Field(ge=1, le=999)
    sub: Text = Field(default="", pattern=r"^[a-z]{0,2}$")
    title: Text = ""
    text: Text = ""
    urgent: bool = False
    cluster: Text | None = None
    source: Text = ""

    @property
    def label(self) -> str:
        return f"{self.paragraph}{f' ({self.sub})' if self.sub else ''}"


class TargetEntry(Frozen):
    year: int = Field(ge=2000, le=2100)
    level: Literal["national", "provincial"]
    comparator: Comparator = ">="
    value: float
    source: Text = ""


class RuleEntry(Frozen):
    """A validation rule of an indicator, as data.

    Parameters by kind: required (none); range (min, max); cells_sum (tolerance, default 0.5);
    part_le_total (total: the code of the indicator this one is part of, in the same set);
    change (percent: the largest change against the previous period, default 50).
    """

    kind: Literal["required", "range", "cells_sum", "part_le_total", "change"]
    params: dict[str, float | str] = {}
    severity: Literal["error", "warning"] = "error"

    @model_validator(mode="after")
    def _params_fit_the_kind(self) -> RuleEntry:
        if self.kind == "range" and not ({"min", "max"} & set(self.params)):
            raise ValueError("a range rule needs min or max")
        if self.kind == "part_le_total" and "total" not in self.params:
            raise ValueError("a part_le_total rule needs total (an indicator code)")
        return self


class IndicatorSetEntry(Frozen):
    code: Name
    name: Name
    source: Text = ""


class DimensionCategory(Frozen):
    code: Name
    name: Name


class DimensionEntry(Frozen):
    name: Name
    categories: list[DimensionCategory] = Field(min_length=1)


class IndicatorEntry(Frozen):
    set: Name
    annex: Text = ""
    code: Name
    code_is_official: bool = True
    group: Text = ""
    name: Name
    unit: Text = ""
    value_type: ValueType = "decimal"
    definition: Text = ""
    formula: Text = ""
    dimensions: list[Text] = []
    period_kind: Text = ""
    data_source: Text = ""
    lead_agency: Text = ""
    coordinating_agencies: Text = ""
    source: Text = ""
    targets: list[TargetEntry] = []
    rules: list[RuleEntry] = []
    measure: Measure = "entered"
    numerator: Text = ""  # code of a count (ratio) or of a yes/no indicator (share), same set
    denominator: Text = ""  # code of a count (ratio), same set
    factor: float | None = Field(default=None, gt=0)
    # who reports a count or a yes/no answer: "communes", "province", an agency's code, or
    # "population": each commune's figure is taken from the imported child population tables,
    # age band `population` (e.g. "0-4"), by sex where the count is broken down by sex
    reported_by: Text = ""
    population: Text = ""

    @model_validator(mode="after")
    def _parts_fit_the_measure(self) -> IndicatorEntry:
        if self.measure == "ratio" and not (self.numerator and self.denominator and self.factor):
            raise ValueError("a ratio needs numerator, denominator and factor")
        if self.measure == "share" and not self.numerator:
            raise ValueError("a share needs numerator (the code of a yes/no indicator)")
        if self.measure in ("ratio", "share") and self.reported_by:
            raise ValueError("a ratio or share is computed: it is reported by no one")
        if (self.reported_by == "population") != bool(self.population):
            raise ValueError("a count taken from population data names its age band (population)")
        return self


class CommuneEntry(_Dated):
    """A commune-level unit; a later entry with the same code and a later valid_from renames it."""

    province: Text = Field(default="", pattern=r"^(\d{2})?$")
    code: Name = Field(pattern=r"^\d{3,8}$", json_schema_extra={"digits": 5})  # 00004 is a commune of Hà Nội
    name: Name
    kind: Text = ""
    valid_from: dt.date = dt.date(2025, 7, 1)
    valid_to: dt.date | None = None
    source: Text = ""


class AgencyEntry(_Dated):
    """An agency; `city_name` is its form in a centrally-run city, `provinces` (codes) limits
    it to the provinces that have it."""

    code: Name
    name: Name
    short_name: Text = ""
    kind: AgencyKind | Literal[""] = ""
    city_name: Text = ""
    provinces: list[Text] = []
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: Text = ""


class TargetRowEntry(Frozen):
    """A target of an indicator already in the database, e.g. the province's own for 2030."""

    set: Name
    annex: Text = ""
    code: Name
    year: int = Field(ge=2000, le=2100)
    level: Literal["national", "provincial"] = "provincial"
    comparator: Comparator = ">="
    value: float
    source: Text = ""


ENTRY_MODELS: dict[str, type[Frozen]] = {
    "provinces": ProvinceEntry,
    "task_groups": TaskGroupEntry,
    "receiving_authorities": ReceivingAuthorityEntry,
    "recommendations": RecommendationEntry,
    "indicators": IndicatorEntry,
    "communes": CommuneEntry,
    "agencies": AgencyEntry,
    "targets": TargetRowEntry,
}


class CatalogHeader(Frozen):
    """The envelope of a JSON catalogue file; entries are validated one by one afterwards."""

    model_config = Frozen.model_config | {"extra": "ignore"}
    format: Literal["crc-desktop-catalog"]
    format_version: int
    kind: CatalogKind
    source: Text = ""
    document: RecommendationDocumentEntry | None = None
    clusters: list[ClusterEntry] = []
    sets: list[IndicatorSetEntry] = []
    dimensions: dict[str, DimensionEntry] = {}

    @model_validator(mode="after")
    def _supported(self) -> CatalogHeader:
        if self.format_version > CATALOG_VERSION:
            raise ValueError("the file was written by a newer version of CRC Desktop; please install it")
        return self


class ImportCount(Frozen):
    added: int = 0
    changed: int = 0
    unchanged: int = 0


class ImportReport(Outcome):
    """What a catalogue import did, or would do on a dry run."""

    kind: CatalogKind
    dry_run: bool
    counts: ImportCount
    added: list[str] = []
    changed: list[str] = []
