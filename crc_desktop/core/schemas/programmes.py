"""Programmes a plan's tasks are folded into ("lồng ghép"): the catalogue (each programme with
its source; never guessed), and what the period's report and bundle carry of them."""

from __future__ import annotations

from crc_desktop.core.schemas.base import Frozen, Name, Text


class Programme(Frozen):
    code: Name
    name: Name
    source: Name  # the decision that approved it: a programme without one is not accepted
    parent: Text = ""  # the programme it is a child programme of
    shipped: bool = False  # from the program's catalogue, not added by the office


class FoldedLine(Frozen):
    """A budget line (task, year, source) whose money comes through a programme."""

    task: str
    fiscal_year: int
    source: str


class ProgrammeUse(Frozen):
    """data/programmes.json: a programme and what of the plan is folded into it."""

    code: str
    name: str
    source: str
    parent: str = ""
    tasks: list[str] = []  # task codes
    budget_lines: list[FoldedLine] = []


class ProgrammeData(Frozen):
    schema_version: int = 1
    programmes: list[ProgrammeUse] = []
