"""The Vietnamese names of a task's status and a budget line's source, as reports and workbooks
print them (and as filled workbooks bring them back), taken from the translation catalogue
(rules.vocabulary.label). A module of its own, so that writing or reading a workbook (in a worker
process too) does not load the PDF library."""

from __future__ import annotations

from functools import cache

from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.vocabulary import BudgetSource, TaskStatus, labels


@cache
def task_status_vi() -> dict[str, str]:
    """{status: its Vietnamese name}, in the vocabulary's order."""
    return {str(k): v for k, v in labels(TaskStatus, Translator("vi")).items()}


@cache
def budget_source_vi() -> dict[str, str]:
    """{source: its Vietnamese name}, in the vocabulary's order."""
    return {str(k): v for k, v in labels(BudgetSource, Translator("vi")).items()}
