"""The data of one period as it is reported: what the report is made from, what the bundle
carries in data/*.json, and what its hash identifies. No field depends on when it was taken."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from functools import cached_property

from pydantic import SerializerFunctionWrapHandler, TypeAdapter, model_serializer

from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.programmes import ProgrammeUse
from crc_desktop.core.schemas.report_text import ReportSection

SNAPSHOT_VERSION = 1


def _without_defaults(data: dict, defaults: dict) -> dict:
    """Fields added after format 1 are left out while they hold their default, so that the data
    of a bundle made before them hashes as it did when it was signed."""
    return {k: v for k, v in data.items() if k not in defaults or v != defaults[k]}


class ProvinceRef(Frozen):
    code: str
    name: str


class OfficeRef(Frozen):
    office_name: str
    parent_agency: str
    place_name: str
    document_symbol: str = ""
    signer_name: str = ""
    signer_title: str = ""
    signing_for: str = ""
    recipients: list[str] = []


class PeriodRef(Frozen):
    code: str
    state: str
    version: int
    starts_on: dt.date
    ends_on: dt.date


class Recipient(Frozen):
    name: str
    unit: str = ""


class Milestone(Frozen):
    title: str
    due_on: dt.date
    done_on: dt.date | None = None


class BudgetLine(Frozen):
    fiscal_year: int
    source: str
    planned: int
    allocated: int
    spent: int


class Progress(Frozen):
    status: str
    percent_done: int
    done_text: str = ""
    obstacles: str = ""
    proposals: str = ""


class Task(Frozen):
    code: str
    group: int
    title: str
    description: str = ""
    lead_agency: str = ""
    coordinating_agencies: list[str] = []
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    status: str
    recommendations: list[str] = []
    milestones: list[Milestone] = []
    budget: list[BudgetLine] = []
    progress: Progress | None = None


class TaskGroup(Frozen):
    number: int
    name: str


class Recommendation(Frozen):
    key: str  # "CRC/C/VNM/CO/5-6 17" or "... 18(a)"
    document: str
    paragraph: int
    sub: str = ""
    title: str = ""
    cluster: str = ""
    urgent: bool = False
    tasks: list[str] = []


class Cell(Frozen):
    key: str
    label: str
    is_total: bool


class Target(Frozen):
    year: int
    level: str
    comparator: str
    value: float


class Indicator(Frozen):
    key: str  # "set/annex/code"
    set: str
    annex: str
    code: str
    name: str
    unit: str
    value_type: str
    group: str = ""
    cells: list[Cell]
    targets: list[Target] = []
    # how it is made (bundle format 2); a bundle of format 1 carries none: "entered"
    measure: str = "entered"
    numerator: str = ""  # the key of the count it divides (ratio) or counts yes of (share)
    denominator: str = ""
    factor: float | None = None
    reported_by: str = ""

    @model_serializer(mode="wrap")
    def _format_1_fields_only_when_set(self, handler: SerializerFunctionWrapHandler) -> dict:
        return _without_defaults(handler(self), _INDICATOR_ADDED)


class Figure(Frozen):
    """How the province's value of one indicator cell was made: computed from its parts (Σ
    numerator / Σ denominator × factor, from `reported` of `expected` communes) or an official
    figure set over the computed one, with its source. Values of entered indicators have none."""

    indicator: str
    cell: str
    origin: str  # "computed" or "official"
    numerator: float | None = None
    denominator: float | None = None
    factor: float | None = None
    reported: int = 0
    expected: int = 0
    source: str = ""


class Area(Frozen):
    code: str
    name: str
    level: str


class Value(Frozen):
    indicator: str
    cell: str
    area: str
    number: float | None = None
    text: str | None = None
    comment: str = ""
    follow_up: bool = False
    previous: float | None = None


class PeriodSnapshot(Frozen):
    snapshot_version: int = SNAPSHOT_VERSION
    province: ProvinceRef
    office: OfficeRef
    period: PeriodRef
    recipient: Recipient | None
    demo: bool = False
    task_groups: list[TaskGroup]
    tasks: list[Task]
    recommendations: list[Recommendation]
    indicators: list[Indicator]
    areas: list[Area]
    values: list[Value]
    audit_head: str
    report_text: list[ReportSection] = []  # what the office wrote (data/report.json)
    programmes: list[ProgrammeUse] = []  # what is folded into which programme (data/programmes.json)

    def hashed_fields(self) -> dict:
        """The fields but the values as JSON data; a snapshot without the office's text (or without
        programmes) hashes as before these existed, so that bundles signed earlier still verify."""
        exclude = {"values"} | {name for name in ("report_text", "programmes") if not getattr(self, name)}
        return self.model_dump(mode="json", exclude=exclude)

    figures: list[Figure] = []

    @model_serializer(mode="wrap")
    def _format_1_fields_only_when_set(self, handler: SerializerFunctionWrapHandler) -> dict:
        return _without_defaults(handler(self), {"figures": []})

    def figure(self, indicator: str, cell: str = "total") -> Figure | None:
        """How the province's value of a cell was made, if it was computed or is official."""
        return self._figure_index.get((indicator, cell))

    @cached_property
    def _figure_index(self) -> dict[tuple[str, str], Figure]:
        return {(f.indicator, f.cell): f for f in self.figures}

    def canonical_json(self) -> bytes:
        return b"".join(canonical_chunks(self.hashed_fields(), self.values))

    def digest(self) -> str:
        """The hash that identifies this data: printed in the report, carried in the bundle."""
        return data_digest(self.hashed_fields(), self.values)


_INDICATOR_ADDED = {
    "measure": "entered",
    "numerator": "",
    "denominator": "",
    "factor": None,
    "reported_by": "",
}
VALUE_FIELDS = frozenset(Value.model_fields)
VALUES = TypeAdapter(list[Value])  # validates and dumps a batch of values at once
_BATCH = 1024  # values serialised per call: each call holds Python's lock (the window waits), ~5 ms


def _dumps(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def canonical_chunks(fields: dict, values: Iterable[Value]) -> Iterator[bytes]:
    """The canonical JSON of a snapshot (sorted keys, no spaces, UTF-8), in pieces, so that the
    values are serialised a batch at a time and never held as one text. `fields` are the other
    fields as JSON data; the bytes are those of `json.dumps` of the whole object."""
    yield b"{"
    for number, key in enumerate(sorted([*fields, "values"])):
        yield (b"," if number else b"") + _dumps(key) + b":"
        if key != "values":
            yield _dumps(fields[key])
            continue
        yield b"["
        values, first = iter(values), True
        while batch := list(itertools.islice(values, _BATCH)):
            yield (b"" if first else b",") + _dumps(VALUES.dump_python(batch, mode="json"))[1:-1]
            first = False
        yield b"]"
    yield b"}"


def data_digest(fields: dict, values: Iterable[Value]) -> str:
    """SHA-256 of the canonical JSON of a snapshot (see `canonical_chunks`)."""
    hasher = hashlib.sha256()
    for chunk in canonical_chunks(fields, values):
        hasher.update(chunk)
    return hasher.hexdigest()
