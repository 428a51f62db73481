"""Sentences the program drafts from a period's numbers, for the office to insert, edit or drop:
each indicator against the previous period and its target, each group of tasks (completed and
behind, by title), the budget's execution, and the urgent recommendations no task answers.

The sentences come from templates in the translation catalogue; every number in them is a
number of the snapshot (the province's figures as the report reads them), kept beside the
sentence in `numbers` so that anyone can check it. Nothing is estimated or invented.
"""

from __future__ import annotations

from collections import defaultdict

from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.periods import PeriodCode
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.snapshot import Indicator, PeriodSnapshot, Target
from crc_desktop.core.text import recommendation_label

MILLION = 1_000_000


class DraftSentence(Frozen):
    section: str  # the report section it belongs in (schemas.report_text.SECTIONS)
    kind: str  # indicator, group, budget, urgent
    text: str
    numbers: dict[str, float | int | str] = {}  # the data each number of the text was made from


def in_vietnamese(text: str) -> bool:
    """Whether a title is written in Vietnamese: it has a letter only Vietnamese writes (a tone
    mark, đ, ơ, ư, ă, â, ê, ô). The Committee's titles are English until a translation is loaded."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.lower())
    return "đ" in text.lower() or any(unicodedata.combining(ch) for ch in decomposed)


def recommendation_title(title: str) -> str:
    """A recommendation's title as the report prints it: English ones marked as such."""
    if not title or in_vietnamese(title):
        return title
    return f"{title} [tên tiếng Anh, chưa có bản tiếng Việt]"


def target_for(indicator: Indicator, year: int) -> Target | None:
    """The target a period of `year` is measured against: the year's own, or, between two
    milestones, the next one (a 2026 figure against the 2030 target); provincial before national."""
    years = sorted({t.year for t in indicator.targets if t.year >= year})
    if not years:
        return None
    targets = [t for t in indicator.targets if t.year == years[0]]
    return next((t for t in targets if t.level == "provincial"), targets[0])


def target_met(value: float, target: Target) -> bool:
    return {
        "<": value < target.value,
        "<=": value <= target.value,
        "=": value == target.value,
        ">=": value >= target.value,
        ">": value > target.value,
    }[target.comparator]


def short_unit(unit: str) -> str:
    """ "%" of "%", "‰" of "‰ (trên 1.000 trẻ đẻ sống)", "trẻ em" of "trẻ em"."""
    return unit.split(" (", 1)[0].strip()


def draft(snapshot: PeriodSnapshot, tr: Translator | None = None) -> list[DraftSentence]:
    tr = tr or Translator("vi")
    return [
        *_indicators(snapshot, tr),
        *_groups(snapshot, tr),
        *_budget(snapshot, tr),
        *_urgent(snapshot, tr),
    ]


def _with_unit(tr: Translator, number: float, unit: str) -> str:
    return f"{tr.exact(number)} {unit}".strip()


def _indicators(snapshot: PeriodSnapshot, tr: Translator) -> list[DraftSentence]:
    code = PeriodCode.parse(snapshot.period.code)
    year = int(snapshot.period.code[:4])
    previous = str(code.previous)
    before = (
        tr("the year {year}", year=previous) if previous.isdigit() else tr("period {code}", code=previous)
    )
    province = {
        (v.indicator, v.cell): v for v in snapshot.values if v.area == snapshot.province.code
    }  # the province's figures, as the report's tables read them
    found = []
    for indicator in snapshot.indicators:
        total = next((c for c in indicator.cells if c.is_total), indicator.cells[0])
        value = province.get((indicator.key, total.key))
        if value is None or value.number is None:
            continue
        unit = short_unit(indicator.unit)
        numbers: dict = {"value": value.number}
        parts = {"name": indicator.name, "value": _with_unit(tr, value.number, unit)}
        template = (
            "{name} reached {value}{change}{target}." if unit == "%" else "{name}: {value}{change}{target}."
        )
        change = ""
        if value.previous is not None:
            delta = round(value.number - value.previous, 1)
            numbers |= {"previous": value.previous, "delta": delta, "previous_period": previous}
            step = tr.number(abs(delta), 1)
            if delta == 0:
                change = tr(", unchanged compared with {before}", before=before)
            elif unit == "%":
                up = ", up {delta} percentage points compared with {before}"
                down = ", down {delta} percentage points compared with {before}"
                change = tr(up if delta > 0 else down, delta=step, before=before)
            else:
                up, down = ", up {delta} compared with {before}", ", down {delta} compared with {before}"
                change = tr(up if delta > 0 else down, delta=f"{step} {unit}".strip(), before=before)
        target_text = ""
        target = target_for(indicator, year)
        if target is not None:
            shown = f"{tr.target(target.comparator, target.value)} {unit}".strip()
            numbers |= {"target": target.value, "target_year": target.year}
            if target.year == year:
                met = target_met(value.number, target)
                met_words, unmet_words = (
                    "; met the target {target} for {year}",
                    "; not yet met the target {target} for {year}",
                )
                target_text = tr(met_words if met else unmet_words, target=shown, year=target.year)
            else:
                target_text = tr("; the target for {year} is {target}", target=shown, year=target.year)
        text = tr(template, **parts, change=change, target=target_text)
        found.append(DraftSentence(section="results", kind="indicator", text=text, numbers=numbers))
    return found


def _groups(snapshot: PeriodSnapshot, tr: Translator) -> list[DraftSentence]:
    by_group = defaultdict(list)
    for task in snapshot.tasks:
        by_group[task.group].append(task)
    found = []
    for group in snapshot.task_groups:
        tasks = by_group.get(group.number, [])
        if not tasks:
            continue
        done = [t.title for t in tasks if t.status == "completed"]
        behind = [t.title for t in tasks if t.status == "delayed"]
        if done:
            text = tr(
                "{completed} of the group's {total} tasks are completed: {titles}.",
                completed=len(done),
                total=len(tasks),
                titles="; ".join(done),
            )
        else:
            text = tr("None of the group's {total} tasks is completed yet.", total=len(tasks))
        if behind:
            text += " " + tr(
                "{count} tasks are behind schedule: {titles}.", count=len(behind), titles="; ".join(behind)
            )
        numbers = {"completed": len(done), "total": len(tasks), "behind": len(behind)}
        found.append(
            DraftSentence(section=f"results.{group.number}", kind="group", text=text, numbers=numbers)
        )
    return found


def _budget(snapshot: PeriodSnapshot, tr: Translator) -> list[DraftSentence]:
    year = int(snapshot.period.code[:4])
    lines = [line for task in snapshot.tasks for line in task.budget if line.fiscal_year == year]
    if not lines:
        return []
    planned = sum(line.planned for line in lines)
    allocated = sum(line.allocated for line in lines)
    spent = sum(line.spent for line in lines)
    numbers = {"year": year, "planned": planned, "allocated": allocated, "spent": spent}
    if allocated:
        share = round(spent / allocated * 100, 1)
        numbers["share"] = share
        text = tr(
            "In {year}, {spent} million VND were spent of the {allocated} million VND allocated ({share} %); "
            "{planned} million VND were planned.",
            year=year,
            spent=tr.number(spent / MILLION, 1),
            allocated=tr.number(allocated / MILLION, 1),
            share=tr.number(share, 1),
            planned=tr.number(planned / MILLION, 1),
        )
    else:
        text = tr(
            "In {year}, {planned} million VND were planned and none allocated yet.",
            year=year,
            planned=tr.number(planned / MILLION, 1),
        )
    return [DraftSentence(section="results", kind="budget", text=text, numbers=numbers)]


def _urgent(snapshot: PeriodSnapshot, tr: Translator) -> list[DraftSentence]:
    open_urgent = [r for r in snapshot.recommendations if r.urgent and not r.tasks]
    if not open_urgent:
        return []
    labels = "; ".join(
        tr(
            "paragraph {label} of {document}",
            label=recommendation_label(r.paragraph, r.sub),
            document=r.document,
        )
        for r in open_urgent
    )
    text = tr(
        "No task answers yet these recommendations the Committee marks urgent: {labels}.", labels=labels
    )
    return [DraftSentence(section="proposals", kind="urgent", text=text, numbers={"count": len(open_urgent)})]
