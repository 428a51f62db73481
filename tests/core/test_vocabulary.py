"""Each vocabulary (task status, budget source, import outcome, unit state) is declared once, in
core, and named by the translation catalogue: the window, the command line, the reports and the
workbooks print the same names, and no table of names lives outside vi.po."""

from __future__ import annotations

import ast
from pathlib import Path

import crc_desktop
from crc_desktop.core.i18n import Translator
from crc_desktop.core.reporting.labels import budget_source_vi, task_status_vi
from crc_desktop.core.rules.vocabulary import BudgetSource, ImportOutcome, TaskStatus, UnitState, label
from crc_desktop.core.schemas.plan import TaskInput

PACKAGE = Path(crc_desktop.__file__).parent


def test_the_names_come_from_the_catalogue_in_each_language():
    vi, en = Translator("vi"), Translator("en")
    assert label(TaskStatus.COMPLETED, vi) == "Hoàn thành" and label("completed", en) == "Completed"
    assert label(BudgetSource.ODA, vi) == "Vốn ODA"
    assert label(ImportOutcome.SKIPPED, vi) == vi("already loaded, skipped") != "already loaded, skipped"
    assert label(UnitState.EXEMPT, en) == "no report expected"
    assert label("signed", vi) == vi("signed")  # a period's state is named the same way
    assert task_status_vi()["cancelled"] == label(TaskStatus.CANCELLED, vi)
    assert list(budget_source_vi()) == [s.value for s in BudgetSource]


def test_a_task_status_is_the_enum_and_is_written_as_its_value():
    task = TaskInput(code="NV-1", group=1, title="Tuyên truyền", status="delayed")
    assert task.status is TaskStatus.DELAYED
    assert task.model_dump(mode="json")["status"] == "delayed"


def test_no_table_of_names_lives_outside_the_catalogue():
    """The Vietnamese names of the vocabularies appear in no module: only vi.po holds them."""
    names = [label(v, Translator("vi")) for kind in (TaskStatus, BudgetSource) for v in kind]
    found = [
        (path.relative_to(PACKAGE).as_posix(), text)
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        for text in _strings(path)
        if text in names
    ]
    assert found == []


def _strings(path: Path) -> list[str]:
    """The string constants of a module, its docstrings left out."""
    tree = ast.parse(path.read_text("utf-8"))
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, documented) and node.body and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]
