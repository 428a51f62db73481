"""Indicator values of a period: the entry grid, saving edits, and running the rules.

Every edit (one cell or a pasted block) is one transaction: all of it is saved, with an
audit entry per value, or none of it when any part is refused.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    AreaRecord,
    IndicatorCellRecord,
    IndicatorRecord,
    IndicatorSetRecord,
    IndicatorTargetRecord,
    IndicatorValueRecord,
)
from crc_desktop.core.db.reads import asked_area_ids
from crc_desktop.core.db.repositories import driver, fetch_all, period_areas
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import CrcError, InputRefused, NotFound
from crc_desktop.core.rules.periods import PeriodCode
from crc_desktop.core.rules.rollup import COMPUTED, population_bounds
from crc_desktop.core.rules.validation import (
    Finding,
    IndicatorCells,
    Rule,
    check_indicator_area,
    parse_value,
    population_findings,
)
from crc_desktop.core.rules.workflow import PeriodState
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.values import (
    CellDetails,
    CellValue,
    GridArea,
    GridRow,
    Issue,
    MadeOf,
    PeriodGrid,
    SavedValues,
    TargetValue,
    ValueEdit,
)
from crc_desktop.core.services.rollup import PeriodRollup, population_values
from crc_desktop.core.services.rollup import recipes as rollup_recipes

Key = tuple[int, int]  # (cell id, area id)


_SCOPED_CELLS = 500  # up to this many edited cells, only their indicators' rules are loaded


class _RuleBook:
    """The indicators' shapes and rules, loaded once per call: all of them, or (given `cells`)
    those of the cells' indicators and of the totals their rules compare them to."""

    def __init__(self, session, cells: set[int] | None = None) -> None:
        scope: set[int] | None = None
        if cells is not None and len(cells) <= _SCOPED_CELLS:
            scope = {
                indicator_id
                for (indicator_id,) in fetch_all(
                    session,
                    f"SELECT DISTINCT indicator_id FROM indicator_cell WHERE id IN ({_marks(cells)})",
                    tuple(cells),
                )
            }
        self.rules: dict[int, list[Rule]] = defaultdict(list)
        for rule_id, indicator_id, kind, params, severity in _in_scope(
            session,
            "SELECT id, indicator_id, kind, params, severity FROM validation_rule"
            " WHERE indicator_id IS NOT NULL",
            scope,
        ):
            self.rules[indicator_id].append(
                Rule(rule_id, indicator_id, kind, json.loads(params or "{}"), severity)
            )
        if scope is not None:
            scope |= {
                int(rule.params["total_indicator"])
                for rules in self.rules.values()
                for rule in rules
                if rule.kind == "part_le_total"
            }
        self.types: dict[int, str] = dict(
            _in_scope(session, "SELECT id, value_type FROM indicator WHERE 1 = 1", scope, column="id")
        )
        cells_by_indicator: dict[int, list[tuple]] = defaultdict(list)
        self.cell_indicator: dict[int, int] = {}
        for cell in _in_scope(
            session,
            "SELECT id, indicator_id, key, is_total, label FROM indicator_cell WHERE 1 = 1",
            scope,
            order="ORDER BY indicator_id, sort_order",
        ):
            cells_by_indicator[cell[1]].append(cell)
            self.cell_indicator[cell[0]] = cell[1]
        self.shapes = {
            indicator_id: _shape(indicator_id, self.types[indicator_id], cells)
            for indicator_id, cells in cells_by_indicator.items()
        }

    def related_cells(self, indicator_ids: set[int]) -> set[int]:
        """The cells the rules of these indicators read: their own and the totals they compare to."""
        related = set(indicator_ids)
        for indicator_id in indicator_ids:
            related |= {
                int(r.params["total_indicator"])
                for r in self.rules.get(indicator_id, [])
                if r.kind == "part_le_total"
            }
        return {cell for i in related if i in self.shapes for cell in self.shapes[i].cells}

    @property
    def needs_previous(self) -> bool:
        return any(rule.kind == "change" for rules in self.rules.values() for rule in rules)

    def check(
        self,
        indicator_id: int,
        area_id: int,
        numbers: dict[Key, float | None],
        previous: dict[Key, float | None],
    ) -> list[Finding]:
        rules = self.rules.get(indicator_id)
        shape = self.shapes.get(indicator_id)
        if not rules or shape is None:
            return []
        here = {cell: numbers.get((cell, area_id)) for cell in shape.cells}
        before = {cell: previous.get((cell, area_id)) for cell in shape.cells}
        totals = {
            other: numbers.get((self.shapes[other].total_cell, area_id))
            for other in (int(r.params["total_indicator"]) for r in rules if r.kind == "part_le_total")
            if other in self.shapes
        }
        return check_indicator_area(shape, rules, area_id, here, before, totals)


def _above_population(uow: UnitOfWork, period, numbers, areas: set[int] | None = None) -> list[Finding]:
    """The communes' counts larger than their child population of that age, where the imported
    population tables give it (all communes of the period, or those in `areas`)."""
    made = rollup_recipes(uow.session)
    if not any(recipe.reported_by == "population" for recipe in made.values()):
        return []
    communes = [a.id for a in period_areas(uow.session, period) if a.level == "commune"]
    if areas is not None:
        communes = [a for a in communes if a in areas]
    bounds = population_bounds(made, population_values(uow, period, made, communes))
    indicator_of = {cell: i for i, recipe in made.items() for cell in recipe.cells.values()}
    return population_findings(bounds, numbers, indicator_of, period.starts_on.year)


def _marks(ids) -> str:
    return ", ".join("?" for _ in ids)


def _in_scope(
    session, sql: str, scope: set[int] | None, *, column: str = "indicator_id", order: str = ""
) -> list[tuple]:
    """Rows of `sql` (which has a WHERE clause), limited to the indicators in `scope` if given."""
    if scope is None:
        return fetch_all(session, f"{sql} {order}")
    return fetch_all(session, f"{sql} AND {column} IN ({_marks(scope)}) {order}", tuple(scope))


def _shape(indicator_id: int, value_type: str, cells: list[tuple]) -> IndicatorCells:
    """The shape of an indicator from its (id, indicator id, key, is_total, label) cell rows.

    Its breakdowns are named as users read them ("Giới tính", from the label "Giới tính: Nam"),
    never by their codes ("sex"): the name goes into the findings shown to users.
    """
    total = next((cell[0] for cell in cells if cell[3]), cells[0][0])
    parts: dict[str, list[int]] = defaultdict(list)
    for cell_id, _indicator, key, is_total, label in cells:
        if not is_total:
            name, separator, _category = (label or "").partition(": ")
            parts[name if separator else key.split("=")[0]].append(cell_id)
    return IndicatorCells(
        indicator_id=indicator_id,
        code="",
        value_type=value_type,
        total_cell=total,
        cells=tuple(cell[0] for cell in cells),
        parts={k: tuple(v) for k, v in parts.items()},
    )


def _areas_not_in_period(uow: UnitOfWork, period, area_ids: set[int]) -> list[CrcError]:
    """Communes given a value in `period` that were not communes of the province on its last day
    (merged away before, or created after), unless they already hold values in it (as the grid
    lists them). Values may still be cleared."""
    if not area_ids:
        return []
    areas = uow.session.scalars(select(AreaRecord).where(AreaRecord.id.in_(area_ids))).all()
    missing = area_ids - {area.id for area in areas}
    if missing:
        raise NotFound("There is no commune {id}.", id=min(missing))
    asked = asked_area_ids(driver(uow.session), period.id)
    return [
        InputRefused(
            "{area} was not a commune of the province in period {code} (merged away before, or "
            "created after): no value can be entered for it.",
            area=area.name,
            code=period.code,
        )
        for area in areas
        if area.id not in asked
    ]


def _issues(findings: Iterable[Finding]) -> dict[Key, list[Issue]]:
    result: dict[Key, list[Issue]] = defaultdict(list)
    for f in findings:
        result[(f.cell_id, f.area_id)].append(
            Issue(
                cell_id=f.cell_id,
                area_id=f.area_id,
                severity=f.severity,
                kind=f.kind,
                message=f.message,
                params=dict(f.params),
            )
        )
    return dict(result)


class ValueService:
    """Reads the grid of a period and saves what users type into it."""

    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def grid(self, period_code: str) -> PeriodGrid:
        with UnitOfWork(self._database, self._actor) as uow:
            return self.grid_in(uow, period_code)

    def grid_in(self, uow: UnitOfWork, period_code: str) -> PeriodGrid:
        """The grid as the transaction of `uow` sees it (an import reads it inside its write)."""
        session = uow.session
        period = uow.periods.get(period_code)
        previous = uow.periods.previous(period)
        # the communes of the period's last day under their names of that day, and any that
        # already hold a value in the period (so nothing entered is hidden)
        areas = [
            GridArea.model_construct(id=a.id, code=a.code, name=a.name, level=a.level)
            for a in period_areas(session, period)
        ]
        numbers = uow.values.numbers(period.id)
        notes = {key: CellValue(*row) for key, row in uow.values.noted(period.id).items()}
        computed = PeriodRollup.of(uow, period, communes_too=True, numbers=numbers).computed()
        return PeriodGrid.model_construct(
            computed=computed,
            period=period.code,
            state=PeriodState(period.state),
            previous_period=previous.code if previous else None,
            rows=self._rows(session, PeriodCode.parse(period.code).year),
            areas=areas,
            numbers=numbers,
            notes=notes,
            issues={},
        )

    def issues(self, period_code: str) -> dict[Key, list[Issue]]:
        """The rule findings of a period by cell, for the grid (slower than the grid: run it apart)."""
        return _issues(self.findings(period_code))

    def details(self, period_code: str, cell_id: int, area_id: int) -> CellDetails:
        with UnitOfWork(self._database, self._actor) as uow:
            session = uow.session
            period = uow.periods.get(period_code)
            previous = uow.periods.previous(period)
            before = None
            if previous is not None:
                before = session.scalar(
                    select(IndicatorValueRecord.value_num).filter_by(
                        period_id=previous.id, cell_id=cell_id, area_id=area_id
                    )
                )
            cell = session.get(IndicatorCellRecord, cell_id)
            if cell is None:
                raise NotFound("There is no indicator cell {cell}.", cell=cell_id)
            indicator = session.get(IndicatorRecord, cell.indicator_id)
            row = next(
                (r for r in self._rows(session, PeriodCode.parse(period.code).year, indicator.id)),
                None,
            )
            at_province = _is_province(session, area_id)
            figure = PeriodRollup.of(uow, period).figures.get(cell_id) if at_province else None
            if before is None and previous is not None and figure is not None:  # computed then too
                before = PeriodRollup.of(uow, previous).figures.get(cell_id, figure).value
            made_of = None
            if figure is not None and figure.origin in ("computed", "official"):
                made_of = MadeOf(
                    origin=figure.origin,
                    numerator=figure.numerator,
                    denominator=figure.denominator,
                    factor=figure.factor,
                    reported=figure.reported,
                    expected=figure.expected,
                    source=figure.source,
                    measure=indicator.measure,
                )
            return CellDetails(
                previous_period=previous.code if previous else None,
                previous=before,
                target=row.target if row else None,
                unit=indicator.unit,
                made_of=made_of,
            )

    def findings(self, period_code: str) -> list[Finding]:
        """Every rule finding of a period (for the ready-to-sign check)."""
        with UnitOfWork(self._database, self._actor) as uow:
            session = uow.session
            period = uow.periods.get(period_code)
            previous = uow.periods.previous(period)
            areas = [a.id for a in period_areas(session, period)]
            book = _RuleBook(session)
            before = uow.values.numbers(previous.id) if previous and book.needs_previous else {}
            numbers = uow.values.numbers(period.id)
            return self._findings(book, numbers, before, areas) + _above_population(uow, period, numbers)

    @staticmethod
    def _findings(book: _RuleBook, numbers, before, areas) -> list[Finding]:
        found: list[Finding] = []
        for indicator_id in book.rules:
            for area_id in areas:
                found += book.check(indicator_id, area_id, numbers, before)
        return found

    @staticmethod
    def _rows(session, year: int, indicator_id: int | None = None) -> list[GridRow]:
        targets = {
            indicator_id: TargetValue(comparator=comparator, value=value)
            for indicator_id, comparator, value in session.execute(
                select(
                    IndicatorTargetRecord.indicator_id,
                    IndicatorTargetRecord.comparator,
                    IndicatorTargetRecord.value,
                )
                .where(IndicatorTargetRecord.year == year)
                .order_by(IndicatorTargetRecord.level)
            )  # provincial after national: it wins
        }
        query = (
            select(
                IndicatorRecord.id,
                IndicatorCellRecord.id,
                IndicatorRecord.code,
                IndicatorRecord.name,
                IndicatorCellRecord.label,
                IndicatorRecord.unit,
                IndicatorRecord.value_type,
                IndicatorCellRecord.is_total,
                IndicatorRecord.group_name,
                IndicatorSetRecord.code,
                IndicatorRecord.annex,
                IndicatorCellRecord.key,
                IndicatorRecord.measure,
                IndicatorRecord.reported_by,
            )
            .join(IndicatorCellRecord, IndicatorCellRecord.indicator_id == IndicatorRecord.id)
            .join(IndicatorSetRecord, IndicatorSetRecord.id == IndicatorRecord.set_id)
            .order_by(IndicatorRecord.sort_order, IndicatorRecord.id, IndicatorCellRecord.sort_order)
        )
        if indicator_id is not None:
            query = query.where(IndicatorRecord.id == indicator_id)
        return [
            GridRow.model_construct(
                indicator_id=iid,
                cell_id=cid,
                set=set_code,
                annex=annex,
                cell_key=key,
                code=code,
                name=name,
                cell_label=label,
                unit=unit,
                value_type=vtype,
                is_total=is_total,
                group=group,
                target=targets.get(iid),
                measure=made[0],
                reported_by=made[1],
            )
            for iid, cid, code, name, label, unit, vtype, is_total, group, set_code, annex, key, *made in (
                session.execute(query)
            )
        ]

    def apply(
        self, period_code: str, edits: list[ValueEdit], reason: str = "", locale: str = "vi_VN"
    ) -> SavedValues:
        """Save `edits` in one transaction; refuse all of them if one is wrong."""
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            saved = self.apply_in(uow, period_code, edits, reason, locale)
            uow.commit()
        return saved

    def apply_in(
        self, uow: UnitOfWork, period_code: str, edits: list[ValueEdit], reason: str, locale: str
    ) -> SavedValues:
        """`apply` within the write transaction of `uow`, which the caller commits."""
        session = uow.session
        period = uow.periods.get(period_code)
        PeriodState(period.state).ensure_editable(period.code, reason)
        book = _RuleBook(session, {edit.cell_id for edit in edits})
        parsed, problems = {}, []
        for edit in edits:
            indicator_id = book.cell_indicator.get(edit.cell_id)
            if indicator_id is None:
                raise NotFound("There is no indicator cell {cell}.", cell=edit.cell_id)
            if edit.raw is None:
                continue
            try:
                parsed[(edit.cell_id, edit.area_id)] = parse_value(book.types[indicator_id], edit.raw, locale)
            except CrcError as error:
                problems.append(error)
        problems += _areas_not_in_period(uow, period, {edit.area_id for edit in edits if edit.raw})
        problems += _computed_refusals(session, book, edits, reason)
        if problems:
            raise InputRefused("Nothing was saved:", problems)
        saved = {}
        for edit in edits:
            key = (edit.cell_id, edit.area_id)
            saved[key] = self._save(uow, period, edit, parsed.get(key), reason)
        touched_areas = {area for _cell, area in saved}
        cells = book.related_cells({book.cell_indicator[cell] for cell, _area in saved})
        numbers = uow.values.numbers(period.id, touched_areas, cells)
        previous = uow.periods.previous(period)
        before = uow.values.numbers(previous.id, touched_areas, cells) if previous else {}
        touched = {(book.cell_indicator[cell], area) for cell, area in saved}
        findings = [f for iid, area in touched for f in book.check(iid, area, numbers, before)]
        findings += _above_population(uow, period, numbers, touched_areas)
        issues = _issues(findings)
        for indicator_id, area in touched:
            for cell in book.shapes[indicator_id].cells:
                issues.setdefault((cell, area), [])
        computed = PeriodRollup.of(uow, period, communes_too=True).computed()
        return SavedValues(
            values=saved, issues=issues, computed=computed, changes=Changes(values=True, period=period.code)
        )

    def _save(self, uow: UnitOfWork, period, edit: ValueEdit, value, reason: str) -> CellValue:
        session = uow.session
        record = uow.values.get(period.id, edit.cell_id, edit.area_id)
        old = _snapshot(record)
        if record is None:
            record = IndicatorValueRecord(
                period_id=period.id,
                cell_id=edit.cell_id,
                area_id=edit.area_id,
                comment="",
                follow_up=False,
            )
            session.add(record)
        if value is not None:
            record.value_num, record.value_text = value.number, value.text
        if edit.comment is not None:
            record.comment = edit.comment
        if edit.follow_up is not None:
            record.follow_up = edit.follow_up
        if edit.source is not None:
            record.source = edit.source
        elif value is not None and value.number is None and value.text is None:
            record.source = ""  # an official figure cleared: the computed one returns
        record.updated_at = now()
        record.updated_by = self._actor.user_name or self._actor.os_user
        new = _snapshot(record)
        if old != new:
            session.flush()
            uow.audit(
                "value.official" if record.source else "value.set",
                "indicator_value",
                f"{period.code}/{edit.cell_id}/{edit.area_id}",
                old=old,
                new=new,
                reason=reason,
            )
        return CellValue(
            number=record.value_num,
            text=record.value_text,
            comment=record.comment,
            follow_up=record.follow_up,
        )


def _snapshot(record: IndicatorValueRecord | None) -> dict | None:
    if record is None:
        return None
    return {
        "number": record.value_num,
        "text": record.value_text,
        "comment": record.comment,
        "follow_up": record.follow_up,
    } | ({"source": record.source} if record.source else {})


def _is_province(session, area_id: int) -> bool:
    return bool(fetch_all(session, "SELECT 1 FROM area WHERE id = ? AND level = 'province'", (area_id,)))


def _computed_refusals(session, book: _RuleBook, edits: list[ValueEdit], reason: str) -> list[CrcError]:
    """A computed figure is not typed: a commune gives the counts a rate is made of, and the
    province's computed value is replaced only by an official figure, with its source and a
    reason."""
    typed = [e for e in edits if e.raw]
    if not typed:
        return []
    recipes = rollup_recipes(session)
    levels = dict(fetch_all(session, "SELECT id, level FROM area"))
    problems: list[CrcError] = []
    for edit in typed:
        recipe = recipes.get(book.cell_indicator[edit.cell_id])
        if recipe is None or not recipe.computed:
            continue
        if levels.get(edit.area_id) != "province":
            if recipe.measure in COMPUTED:
                problems.append(
                    CrcError("A commune gives the counts; this rate is computed from them and is not typed.")
                )
        elif not (edit.source or "").strip() or not reason.strip():
            problems.append(
                CrcError(
                    "The province's figure is computed from its communes. To set an official figure"
                    " instead, give its source and a reason."
                )
            )
    return problems
