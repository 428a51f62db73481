"""The plan as the GUI and the command line see it: tasks, their details, progress, recommendations."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator, model_validator

from crc_desktop.core.rules.vocabulary import BudgetSource, TaskStatus
from crc_desktop.core.rules.workflow import PeriodState
from crc_desktop.core.schemas.base import Frozen, Name, Text
from crc_desktop.core.schemas.changes import Outcome


class Choice(Frozen):
    id: int
    label: str


class MilestoneInput(Frozen):
    title: Name
    due_on: dt.date
    done_on: dt.date | None = None


class BudgetInput(Frozen):
    fiscal_year: int = Field(ge=2000, le=2100)
    source: BudgetSource
    planned: int = Field(ge=0)
    allocated: int = Field(ge=0)
    spent: int = Field(ge=0)


class TaskInput(Frozen):
    """What the task form gives back: everything about one task."""

    code: Name
    group: int = Field(ge=1, le=7)
    title: Name
    description: Text = ""
    lead_agency_id: int | None = None
    coordinating_agency_ids: list[int] = []
    recommendation_ids: list[int] = []
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    status: TaskStatus = TaskStatus.NOT_STARTED
    milestones: list[MilestoneInput] = []
    budget: list[BudgetInput] = []

    @field_validator("coordinating_agency_ids", "recommendation_ids")
    @classmethod
    def _as_sets(cls, ids: list[int]) -> list[int]:
        return sorted(set(ids))

    @model_validator(mode="after")
    def _dates_in_order(self) -> TaskInput:
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValueError("the end date is before the start date")
        return self


class TaskSummary(Frozen):
    id: int
    code: str
    group: int
    title: str
    lead_agency: str
    lead_agency_id: int | None
    coordinating_agency_ids: list[int]
    recommendation_ids: list[int]
    recommendations: str
    status: str
    start_on: dt.date | None
    end_on: dt.date | None
    percent_done: int | None
    progress_in: list[PeriodState] = []  # the states of the periods holding progress of the task


class TaskDetail(Frozen):
    id: int
    input: TaskInput


class ProgressRow(Frozen):
    task_id: int
    code: str
    title: str
    group: int
    status: str | None
    percent_done: int | None
    done_text: str
    obstacles: str
    proposals: str
    previous_done_text: str
    previous_percent: int | None


class TaskChanged(TaskDetail, Outcome):
    """A task as it was saved (made, changed or copied)."""


class ProgressSaved(ProgressRow, Outcome):
    """A task's progress in a period, as it was saved."""


class ProgressInput(Frozen):
    status: TaskStatus
    percent_done: int = Field(ge=0, le=100)
    done_text: Text = ""
    obstacles: Text = ""
    proposals: Text = ""


class RecommendationRow(Frozen):
    id: int
    document: str
    cluster: str
    label: str
    order: tuple[int, str] = (0, "")  # (paragraph, sub-paragraph): how the labels sort
    title: str
    text: str
    urgent: bool
    tasks: list[str]
    indicators: list[str]


class PlanImportReport(Outcome):
    """What a plan import did, or would do on a dry run: task codes added, changed, deleted."""

    dry_run: bool
    added: list[str] = []
    changed: list[str] = []
    deleted: list[str] = []
    unchanged: int = 0
