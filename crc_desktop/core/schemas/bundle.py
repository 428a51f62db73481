"""The signed report bundle, format version 1 (docs/bundle-format.md): its manifest and the
reports of its verification."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.programmes import ProgrammeData
from crc_desktop.core.schemas.report_text import ReportText
from crc_desktop.core.schemas.snapshot import (
    Area,
    Indicator,
    OfficeRef,
    PeriodRef,
    ProvinceRef,
    Recipient,
    Recommendation,
    Task,
    TaskGroup,
    Value,
)

BUNDLE_FORMAT = "crc-desktop-bundle"
BUNDLE_VERSION = 1


class ManifestFile(Frozen):
    path: str
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    media_type: str


class SignerRef(Frozen):
    subject: str
    fingerprint_sha256: str


class DocumentRef(Frozen):
    """The report as an official document: the clerk's number, its symbol, the signing date."""

    number: str = ""
    symbol: str = ""
    date: dt.date | None = None


class Manifest(Frozen):
    """What a bundle holds and where it stands in the period's history; signed by CMS."""

    format: Literal["crc-desktop-bundle"]
    format_version: Literal[1]
    province: ProvinceRef
    period: str
    sequence: int = Field(ge=1)
    supersedes: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    created_at: dt.datetime
    software: str
    recipient: Recipient | None
    audit_chain_head: str
    data_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    signer: SignerRef
    demo: bool = False
    document: DocumentRef | None = None  # number and date given at signing (none before issue 26)
    files: list[ManifestFile]


class PlanData(Frozen):
    """data/plan.json: the plan, its progress in the period, and the recommendations."""

    schema_version: int = 1
    office: OfficeRef
    period: PeriodRef
    task_groups: list[TaskGroup]
    tasks: list[Task]
    recommendations: list[Recommendation]


class IndicatorData(Frozen):
    """data/indicators.json: the indicators reported on, and the areas."""

    schema_version: int = 1
    indicators: list[Indicator]
    areas: list[Area]


class ValueData(Frozen):
    """data/values.json: every value of the period, with the previous period's beside it."""

    schema_version: int = 1
    province: ProvinceRef
    period: str
    values: list[Value]


class ReportTextData(ReportText):
    """data/report.json: what the office wrote in each section of the report."""


class Check(Frozen):
    name: str
    ok: bool
    detail: str = ""
    params: dict = Field(default_factory=dict)


class Verification(Frozen):
    path: str
    checks: list[Check]
    manifest: Manifest | None = None
    bundle_sha256: str = ""

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def failure(self) -> Check | None:
        return next((check for check in self.checks if not check.ok), None)


SCHEMAS: dict[str, type[Frozen]] = {
    "manifest": Manifest,
    "plan": PlanData,
    "indicators": IndicatorData,
    "values": ValueData,
    "report": ReportTextData,
    "programmes": ProgrammeData,
}
