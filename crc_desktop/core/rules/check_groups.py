"""The ready-to-sign check as people read it: grouped by unit or by indicator, counts first,
blocking groups first, and the tasks' blockers always at the top.

A large province's check holds thousands of entries ("0605 / Tổng số — Phường …: Chưa nhập giá
trị." 7,014 times); listed one by one, the five tasks without progress were buried under them. The
command line and the window both show these groups; this module is the one place that makes them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Literal

from crc_desktop.core.i18n import N_
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.workflow import Problem, Readiness
from crc_desktop.core.text import sort_key

GroupBy = Literal["unit", "indicator"]

# each kind of problem, counted: "12 ô trống"
KIND_COUNTS = {
    "missing_progress": N_("{count} tasks without progress"),
    "rule": N_("{count} failed checks"),
    "uncommented_warning": N_("{count} changes to explain"),
    "missing_value": N_("{count} empty cells"),
    "overdue_milestone": N_("{count} overdue milestones"),
    "urgent_uncovered": N_("{count} urgent recommendations without a task"),
}
# the groups of problems that are not about one cell, in the order they come
KIND_TITLES = {
    "missing_progress": N_("Tasks without a progress update"),
    "overdue_milestone": N_("Overdue milestones"),
    "urgent_uncovered": N_("Urgent recommendations without a task"),
}
_KIND_ORDER = {kind: index for index, kind in enumerate(KIND_COUNTS)}


class CheckEntry(Frozen):
    """One problem of a group, with where it is inside the group ("0605 / Tổng số")."""

    where: str = ""
    problem: Problem


class CheckGroup(Frozen):
    """A unit, an indicator or a kind of problem, with its counts and its entries."""

    title: str  # a unit's or an indicator's name, or a msgid (`translated`)
    translated: bool = False  # the title is a msgid of KIND_TITLES
    blocking: int
    warnings: int
    counts: dict[str, int]  # kind → how many
    entries: list[CheckEntry]


class CheckSummary(Frozen):
    period: str
    ready: bool
    blocking: int
    warnings: int
    counts: dict[str, int]  # kind → how many, over the whole check
    by: GroupBy
    groups: list[CheckGroup]


def group_problems(
    readiness: Readiness,
    *,
    by: GroupBy,
    areas: dict[int, str],
    cells: dict[int, tuple[int, str, str, str]],
) -> CheckSummary:
    """`readiness` in groups. `areas`: area id → name; `cells`: cell id → (indicator id, the
    indicator's code, its name, the cell's label)."""
    grouped: dict[tuple, list[CheckEntry]] = defaultdict(list)
    titles: dict[tuple, str] = {}
    for problem in readiness.problems:
        place = problem.place
        if place.cell_id is None:  # a task, a milestone, a recommendation: grouped by kind
            key = ("kind", problem.kind)
            titles[key] = KIND_TITLES.get(problem.kind, problem.kind)
            grouped[key].append(CheckEntry(problem=problem))
            continue
        indicator, code, name, cell_label = cells.get(place.cell_id, (0, "", "", ""))
        area = areas.get(place.area_id, "")
        if by == "unit":
            key = ("area", place.area_id)
            titles[key] = area
            where = f"{code} {name} ({cell_label})"  # named, not by its code alone
        else:
            key = ("indicator", indicator)
            titles[key] = f"{code} {name}"
            where = f"{cell_label} — {area}"
        grouped[key].append(CheckEntry(where=where, problem=problem))
    groups = [_group(key, titles[key], entries) for key, entries in grouped.items()]
    groups.sort(key=_order)
    return CheckSummary(
        period=readiness.period,
        ready=readiness.ready,
        blocking=len(readiness.blocking),
        warnings=len(readiness.problems) - len(readiness.blocking),
        counts=_counts(readiness.problems),
        by=by,
        groups=groups,
    )


def _group(key: tuple, title: str, entries: list[CheckEntry]) -> CheckGroup:
    entries = sorted(  # blocking first, then the rules broken before the cells left empty
        entries, key=lambda e: (e.problem.severity != "error", _KIND_ORDER.get(e.problem.kind, 99))
    )
    blocking = sum(1 for e in entries if e.problem.severity == "error")
    return CheckGroup(
        title=title,
        translated=key[0] == "kind",
        blocking=blocking,
        warnings=len(entries) - blocking,
        counts=_counts([e.problem for e in entries]),
        entries=entries,
    )


def _order(group: CheckGroup) -> tuple:
    """Blocking groups first; among them the tasks (never buried under values), then the
    groups with most to fix; then by name."""
    tasks_first = not (group.translated and "missing_progress" in group.counts)
    return (group.blocking == 0, tasks_first, not group.translated, -group.blocking, sort_key(group.title))


def _counts(problems: list[Problem]) -> dict[str, int]:
    counted = Counter(p.kind for p in problems)
    return dict(sorted(counted.items(), key=lambda item: _KIND_ORDER.get(item[0], 99)))


def counts_text(counts: dict[str, int], translate) -> str:
    """ "12 empty cells, 2 failed checks" in the user's language."""
    return ", ".join(
        translate(KIND_COUNTS[kind], count=translate.number(count, 0))
        if kind in KIND_COUNTS
        else f"{count} {kind}"
        for kind, count in counts.items()
    )


def group_heading(group: CheckGroup, translate) -> str:
    """ "Phường Thủ Đức: 12 empty cells" / "Tasks without a progress update (5)"."""
    if group.translated:
        return f"{translate(group.title)} ({translate.number(len(group.entries), 0)})"
    return f"{group.title}: {counts_text(group.counts, translate)}"
