"""The ORM records of the whole domain (plan, indicators, areas, periods, audit, bundles; see
docs/architecture.md).

Records never leave the core: services turn them into schemas. The tables are created
and changed only by the Alembic migrations in `migrations/`; a test checks that the
migrations reach exactly this metadata.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from crc_desktop.core.rules.vocabulary import BudgetSource, TaskStatus
from crc_desktop.core.rules.workflow import PeriodState

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TASK_STATUSES = tuple(s.value for s in TaskStatus)
PERIOD_STATES = tuple(state.value for state in PeriodState)
VALUE_TYPES = ("integer", "decimal", "percentage", "text", "yesno")
BUDGET_SOURCES = tuple(s.value for s in BudgetSource)
AREA_LEVELS = ("province", "commune")
TARGET_LEVELS = ("national", "provincial")
SEVERITIES = ("error", "warning")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AppInfoRecord(Base):
    """Key/value facts about the file itself: that it is ours, and whether it is demo data."""

    __tablename__ = "app_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ProvinceRecord(Base):
    """A provincial unit of the reference list, with the dates its code is valid."""

    __tablename__ = "province"
    __table_args__ = (UniqueConstraint("code", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    merged_from: Mapped[list] = mapped_column(JSON, default=list)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    # Decree 30/2020: a unit named after a person is written in full ("Thành phố Hồ Chí Minh").
    named_after_person: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class OfficeProfileRecord(Base):
    """The one office this database belongs to, and what its reports are headed with."""

    __tablename__ = "office_profile"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"))
    office_name: Mapped[str] = mapped_column(String(300))
    parent_agency: Mapped[str] = mapped_column(String(300))
    place_name: Mapped[str] = mapped_column(String(100))
    document_symbol: Mapped[str] = mapped_column(String(100), default="")
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_title: Mapped[str] = mapped_column(String(200), default="")
    # The head's title when the signer signs for the head ("KT. GIÁM ĐỐC"); empty otherwise.
    signing_for: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # "Nơi nhận", one recipient a line.
    recipients: Mapped[str] = mapped_column(Text, default="", server_default="")
    province: Mapped[ProvinceRecord] = relationship()


class AreaRecord(Base):
    """The province as a whole or one of its communes/wards, with validity dates."""

    __tablename__ = "area"
    __table_args__ = (
        UniqueConstraint("code", "valid_from"),
        CheckConstraint(_in("level", AREA_LEVELS), name="level"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(40), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")


class AreaNameRecord(Base):
    """A name and kind an area had from one date to another (a xã that became a phường)."""

    __tablename__ = "area_name"
    __table_args__ = (UniqueConstraint("area_id", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="")
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")


class AgencyRecord(Base):
    """A department or body that leads or coordinates tasks."""

    __tablename__ = "agency"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(40), default="", server_default="")  # AgencyKind or ""
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)  # set: no longer in use after that day


class ReceivingAuthorityRecord(Base):
    """Who reports go to, by date: the recipient of a report follows the report's date."""

    __tablename__ = "receiving_authority"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(300), default="")
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")


class TaskGroupRecord(Base):
    """One of the seven groups of tasks and solutions of Decision 27/QĐ-TTg."""

    __tablename__ = "task_group"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name_vi: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")


class RecommendationDocumentRecord(Base):
    """A set of concluding observations, e.g. CRC/C/VNM/CO/5-6."""

    __tablename__ = "recommendation_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    symbol: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    adopted_on: Mapped[dt.date | None] = mapped_column(Date)
    distributed_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")


class RecommendationClusterRecord(Base):
    """A heading of the Committee's document under which paragraphs are grouped."""

    __tablename__ = "recommendation_cluster"
    __table_args__ = (UniqueConstraint("document_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("recommendation_document.id"))
    code: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class RecommendationRecord(Base):
    """A numbered paragraph, or one of its lettered sub-paragraphs (`sub` empty for the whole)."""

    __tablename__ = "recommendation"
    __table_args__ = (UniqueConstraint("document_id", "paragraph", "sub"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("recommendation_document.id"))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation_cluster.id"))
    paragraph: Mapped[int] = mapped_column(Integer)
    sub: Mapped[str] = mapped_column(String(8), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text, default="")


class PlanTaskRecord(Base):
    """A task of the province's plan."""

    __tablename__ = "plan_task"
    __table_args__ = (
        CheckConstraint(_in("status", TASK_STATUSES), name="status"),
        CheckConstraint("end_on IS NULL OR start_on IS NULL OR end_on >= start_on", name="dates"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("task_group.id"))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    lead_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class TaskRecommendationRecord(Base):
    __tablename__ = "task_recommendation"
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id", ondelete="CASCADE"), primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id"), primary_key=True)


class TaskCoordinatingAgencyRecord(Base):
    __tablename__ = "task_coordinating_agency"
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id", ondelete="CASCADE"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)


class MilestoneRecord(Base):
    __tablename__ = "milestone"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    due_on: Mapped[dt.date] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)


class BudgetLineRecord(Base):
    """Money for a task in one fiscal year from one source, in đồng."""

    __tablename__ = "budget_line"
    __table_args__ = (
        UniqueConstraint("task_id", "fiscal_year", "source"),
        CheckConstraint(_in("source", BUDGET_SOURCES), name="source"),
        CheckConstraint("planned >= 0 AND allocated >= 0 AND spent >= 0", name="non_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id", ondelete="CASCADE"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    planned: Mapped[int] = mapped_column(BigInteger, default=0)
    allocated: Mapped[int] = mapped_column(BigInteger, default=0)
    spent: Mapped[int] = mapped_column(BigInteger, default=0)


class ReportingPeriodRecord(Base):
    """An annual (`2025`) or half-year (`2025-H1`) reporting period and its workflow state."""

    __tablename__ = "reporting_period"
    __table_args__ = (CheckConstraint(_in("state", PERIOD_STATES), name="state"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)


class PeriodTransitionRecord(Base):
    """One step of a period's workflow: who moved it, when, from what to what, and why."""

    __tablename__ = "period_transition"
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    os_user: Mapped[str] = mapped_column(String(100))
    user_name: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")


class ProgressUpdateRecord(Base):
    """What a task achieved in one period."""

    __tablename__ = "progress_update"
    __table_args__ = (
        UniqueConstraint("task_id", "period_id"),
        CheckConstraint("percent_done BETWEEN 0 AND 100", name="percent"),
        CheckConstraint(_in("status", TASK_STATUSES), name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    percent_done: Mapped[int] = mapped_column(Integer, default=0)
    done_text: Mapped[str] = mapped_column(Text, default="")
    obstacles: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class ReportTextRecord(Base):
    """What the office writes in one section of a period's report (issue 26)."""

    __tablename__ = "report_text"
    __table_args__ = (UniqueConstraint("period_id", "section"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"), index=True)
    section: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class SignatureImageRecord(Base):
    """An image shown in the visible signature (Decree 30, Annex I): a signer's handwritten
    signature (kind "signature", for the certificate `fingerprint`) or the office's seal ("seal")."""

    __tablename__ = "signature_image"
    __table_args__ = (UniqueConstraint("kind", "fingerprint"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    fingerprint: Mapped[str] = mapped_column(String(128), default="")
    png: Mapped[bytes] = mapped_column(LargeBinary)
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ProgrammeRecord(Base):
    """A programme a task can be folded into ("lồng ghép"), added by the office with its source
    (the shipped catalogue, resources/catalogs/programmes.json, holds the confirmed ones)."""

    __tablename__ = "programme"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    parent_code: Mapped[str] = mapped_column(String(32), default="")


class TaskProgrammeRecord(Base):
    """A task folded into a programme (by the programme's code, shipped or added)."""

    __tablename__ = "task_programme"
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id", ondelete="CASCADE"), primary_key=True)
    programme_code: Mapped[str] = mapped_column(String(32), primary_key=True)


class BudgetLineProgrammeRecord(Base):
    """The programme a budget line's money comes through."""

    __tablename__ = "budget_line_programme"
    budget_line_id: Mapped[int] = mapped_column(
        ForeignKey("budget_line.id", ondelete="CASCADE"), primary_key=True
    )
    programme_code: Mapped[str] = mapped_column(String(32))


class IndicatorSetRecord(Base):
    """An indicator set, e.g. Thông tư 13/2021/TT-BLĐTBXH."""

    __tablename__ = "indicator_set"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")


class IndicatorRecord(Base):
    """An indicator with the metadata of the Thông tư 13/2021 layout; code is unique per annex."""

    __tablename__ = "indicator"
    __table_args__ = (
        UniqueConstraint("set_id", "annex", "code"),
        CheckConstraint(_in("value_type", VALUE_TYPES), name="value_type"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("indicator_set.id"))
    annex: Mapped[str] = mapped_column(String(64), default="")
    code: Mapped[str] = mapped_column(String(32))
    code_is_official: Mapped[bool] = mapped_column(Boolean, default=True)
    group_name: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(64), default="")
    value_type: Mapped[str] = mapped_column(String(16), default="decimal")
    definition: Mapped[str] = mapped_column(Text, default="")
    formula: Mapped[str] = mapped_column(Text, default="")
    dimensions: Mapped[list] = mapped_column(JSON, default=list)
    period_kind: Mapped[str] = mapped_column(String(32), default="")
    data_source: Mapped[str] = mapped_column(Text, default="")
    lead_agency: Mapped[str] = mapped_column(Text, default="")
    coordinating_agencies: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(Text, default="")
    cells: Mapped[list[IndicatorCellRecord]] = relationship(
        order_by="IndicatorCellRecord.sort_order", cascade="all, delete-orphan"
    )


class IndicatorRecommendationRecord(Base):
    __tablename__ = "indicator_recommendation"
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id"), primary_key=True)


class IndicatorCellRecord(Base):
    """One disaggregation cell of an indicator (`total`, `sex=F`, `sex=F|age=0-5` ...)."""

    __tablename__ = "indicator_cell"
    __table_args__ = (UniqueConstraint("indicator_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(128))
    label: Mapped[str] = mapped_column(Text)
    is_total: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorTargetRecord(Base):
    """A national or provincial target of an indicator for a year."""

    __tablename__ = "indicator_target"
    __table_args__ = (
        UniqueConstraint("indicator_id", "year", "level"),
        CheckConstraint(_in("level", TARGET_LEVELS), name="level"),
        CheckConstraint("comparator IN ('<', '<=', '=', '>=', '>')", name="comparator"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))
    comparator: Mapped[str] = mapped_column(String(2), default=">=")
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")


class IndicatorValueRecord(Base):
    """A value of one indicator cell, in one period, for one area."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint("period_id", "cell_id", "area_id"),
        Index("ix_indicator_value_cell_area", "cell_id", "area_id"),
        # The grid reads every number of a period: an index that covers them spares the table.
        Index("ix_indicator_value_numbers", "period_id", "cell_id", "area_id", "value_num"),
        # Values with a text, comment or flag are few: a partial index finds them at once.
        Index(
            "ix_indicator_value_noted",
            "period_id",
            sqlite_where=text("value_text IS NOT NULL OR comment != '' OR follow_up"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"))
    cell_id: Mapped[int] = mapped_column(ForeignKey("indicator_cell.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    value_num: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class ValidationRuleRecord(Base):
    """A validation rule as data: kind, parameters, severity (error blocks signing)."""

    __tablename__ = "validation_rule"
    __table_args__ = (CheckConstraint(_in("severity", SEVERITIES), name="severity"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    severity: Mapped[str] = mapped_column(String(8), default="error")
    message: Mapped[str] = mapped_column(Text, default="")


class BundleExportRecord(Base):
    """A signed bundle made of a period: its sequence and the bundle it supersedes."""

    __tablename__ = "bundle_export"
    __table_args__ = (UniqueConstraint("period_id", "sequence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    supersedes_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    signer: Mapped[str] = mapped_column(Text, default="")


class OfficeCertificateRecord(Base):
    """A certificate registered to sign for this office: export refuses a key with any other."""

    __tablename__ = "office_certificate"
    __table_args__ = (UniqueConstraint("fingerprint"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(128))
    subject: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str] = mapped_column(Text)
    not_before: Mapped[dt.datetime] = mapped_column(DateTime)
    not_after: Mapped[dt.datetime] = mapped_column(DateTime)
    pem: Mapped[str] = mapped_column(Text)
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    registered_by: Mapped[str] = mapped_column(String(200), default="")


class KeptBundleRecord(Base):
    """The exact bytes of a signed bundle, so that the same bundle can be saved again."""

    __tablename__ = "kept_bundle"
    export_id: Mapped[int] = mapped_column(ForeignKey("bundle_export.id"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEntryRecord(Base):
    """An append-only, hash-chained record of one change."""

    __tablename__ = "audit_log"
    # a value's (or a task's) history: its entries in order, without reading the whole log
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    os_user: Mapped[str] = mapped_column(String(100))
    user_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_key: Mapped[str] = mapped_column(String(200), default="")
    old: Mapped[dict | None] = mapped_column(JSON)
    new: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class NationalBundleRecord(Base):
    """A province's verified bundle loaded into the ministry's national store.

    Only one bundle per province and period is current; earlier versions stay, superseded.
    """

    __tablename__ = "national_bundle"
    __table_args__ = (Index("ix_national_bundle_province_period", "province_code", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    province_code: Mapped[str] = mapped_column(String(8))
    province_name: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(16))
    sequence: Mapped[int] = mapped_column(Integer)
    supersedes: Mapped[str | None] = mapped_column(String(64))
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    signer_subject: Mapped[str] = mapped_column(Text)
    signer_fingerprint: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    file_name: Mapped[str] = mapped_column(Text)
    data_sha256: Mapped[str] = mapped_column(String(64))


class NationalIndicatorRecord(Base):
    """An indicator as a bundle defines it, with its targets."""

    __tablename__ = "national_indicator"
    __table_args__ = (UniqueConstraint("bundle_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("national_bundle.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(64))
    value_type: Mapped[str] = mapped_column(String(16))
    targets: Mapped[list] = mapped_column(JSON, default=list)


class NationalValueRecord(Base):
    """A value of a loaded bundle."""

    __tablename__ = "national_value"
    __table_args__ = (Index("ix_national_value_bundle_indicator", "bundle_id", "indicator_key", "cell_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("national_bundle.id", ondelete="CASCADE"))
    indicator_key: Mapped[str] = mapped_column(String(200))
    cell_key: Mapped[str] = mapped_column(String(128))
    area_code: Mapped[str] = mapped_column(String(16))
    area_level: Mapped[str] = mapped_column(String(16))
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)


class NationalTaskRecord(Base):
    """A task of a loaded bundle, with its progress and its budget for the period's year."""

    __tablename__ = "national_task"
    __table_args__ = (Index("ix_national_task_bundle_id", "bundle_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("national_bundle.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    task_group: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    percent_done: Mapped[int | None] = mapped_column(Integer)
    planned: Mapped[int] = mapped_column(BigInteger, default=0)
    allocated: Mapped[int] = mapped_column(BigInteger, default=0)
    spent: Mapped[int] = mapped_column(BigInteger, default=0)
    recommendations: Mapped[list] = mapped_column(JSON, default=list)


class NationalRecommendationRecord(Base):
    """A recommendation a bundle reports on, and whether one of its tasks answers it."""

    __tablename__ = "national_recommendation"
    __table_args__ = (Index("ix_national_recommendation_bundle_id", "bundle_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("national_bundle.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    covered: Mapped[bool] = mapped_column(Boolean, default=False)


class RefusedBundleRecord(Base):
    """A bundle the ministry was given and refused, with the check that failed."""

    __tablename__ = "refused_bundle"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(Text)
    province_code: Mapped[str] = mapped_column(String(8), default="")
    period: Mapped[str] = mapped_column(String(16), default="")
    check: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CollectionReturnRecord(Base):
    """A form a commune or agency sent back and that was loaded: which file, when, what it changed.

    The latest return of a unit is its current one; earlier ones stay as history."""

    __tablename__ = "collection_return"
    __table_args__ = (
        CheckConstraint("unit_kind IN ('commune', 'agency')", name="unit_kind"),
        Index("ix_collection_return_period_unit", "period_id", "unit_kind", "unit_code"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"))
    unit_kind: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    values_changed: Mapped[int] = mapped_column(Integer, default=0)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    loaded_by: Mapped[str] = mapped_column(String(200), default="")
    # the cells the file held a value or a comment in: {"values": [cell ids], "comments": [...]};
    # None for returns loaded before this was kept
    sent_cells: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class CollectionAttemptRecord(Base):
    """A form of a unit that came back and was not loaded: blank (nothing typed in it) or refused
    (with the reason). The unit still counts as not returned; the board says which."""

    __tablename__ = "collection_attempt"
    __table_args__ = (
        CheckConstraint("unit_kind IN ('commune', 'agency')", name="unit_kind"),
        CheckConstraint("outcome IN ('blank', 'refused')", name="outcome"),
        Index("ix_collection_attempt_period_unit", "period_id", "unit_kind", "unit_code"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"))
    unit_kind: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by: Mapped[str] = mapped_column(String(200), default="")


class CollectionExemptionRecord(Base):
    """A unit from which no report is expected in a period, and why."""

    __tablename__ = "collection_exemption"
    __table_args__ = (
        UniqueConstraint("period_id", "unit_kind", "unit_code"),
        CheckConstraint("unit_kind IN ('commune', 'agency')", name="unit_kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"))
    unit_kind: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by: Mapped[str] = mapped_column(String(200), default="")
