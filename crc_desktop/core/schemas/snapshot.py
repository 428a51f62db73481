"""The data of one period as it is reported: what the report is made from, what the bundle
carries in data/*.json, and what its hash identifies. No field depends on when it was taken."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator

from pydantic import TypeAdapter

from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.programmes import ProgrammeUse
from crc_desktop.core.schemas.report_text import ReportSection

SNAPSHOT_VERSION = 1


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

    def canonical_json(self) -> bytes:
        return b"".join(canonical_chunks(self.hashed_fields(), self.values))

    def digest(self) -> str:
        """The hash that identifies this data: printed in the report, carried in the bundle."""
        return data_digest(self.hashed_fields(), self.values)


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
