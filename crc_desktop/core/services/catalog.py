"""Importing reference catalogues: validate every row, then apply all of it or nothing.

A dry run does the same work in a transaction that is rolled back, so what it reports
(added / changed / unchanged) is exactly what a real import would do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from crc_desktop.core.catalog_files import RawCatalog, read_catalog
from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    AgencyRecord,
    AreaNameRecord,
    AreaRecord,
    IndicatorCellRecord,
    IndicatorRecord,
    IndicatorSetRecord,
    IndicatorTargetRecord,
    OfficeProfileRecord,
    ProvinceRecord,
    ReceivingAuthorityRecord,
    RecommendationClusterRecord,
    RecommendationDocumentRecord,
    RecommendationRecord,
    TaskGroupRecord,
    ValidationRuleRecord,
)
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.errors import CrcError, InputRefused, with_suggestions
from crc_desktop.core.rules.places import agency_name
from crc_desktop.core.schemas.catalog import (
    ENTRY_MODELS,
    AgencyEntry,
    CatalogHeader,
    DimensionEntry,
    ImportCount,
    ImportReport,
    IndicatorEntry,
    ProvinceEntry,
    ReceivingAuthorityEntry,
    RecommendationEntry,
    TargetRowEntry,
    TaskGroupEntry,
)
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.reading import text_cells, validation_problems
from crc_desktop.core.text import nearest

SHIPPED_CATALOGS = (
    "provinces.json",
    "task_groups.json",
    "receiving_authorities.json",
    "recommendations_crc_vnm_co_5_6.json",
    "indicators.json",
)
# Loaded for the province a database is made for (they depend on which province it is).
PROVINCE_CATALOGS = ("communes.json", "agencies.json")
DEFAULT_DOCUMENT = "CRC/C/VNM/CO/5-6"


def shipped_catalog(name: str) -> Path:
    return Path(str(resources.files("crc_desktop.resources") / "catalogs" / name))


def shipped_dimensions() -> dict[str, DimensionEntry]:
    raw = read_catalog(shipped_catalog("dimensions.json"))
    return dict(raw.header.dimensions)


def shipped_commune_counts(on: dt.date | None = None) -> dict[str, int]:
    """{province code: how many communes, wards and special zones it starts with} on `on`."""
    day = (on or dt.date.today()).isoformat()
    counts: dict[str, int] = defaultdict(int)
    for _number, row in read_catalog(shipped_catalog("communes.json")).rows:
        if str(row["valid_from"]) <= day and (row.get("valid_to") is None or day <= str(row["valid_to"])):
            counts[row["province"]] += 1
    return dict(counts)


class _Tally:
    """Counts what an import adds, changes or leaves as it was."""

    def __init__(self) -> None:
        self.added: list[str] = []
        self.changed: list[str] = []
        self.unchanged = 0
        # the records this file has already set, held so the session's (weak) identity map
        # gives the same object back when a later row names the same entry
        self._touched: dict[int, object] = {}

    def apply(
        self,
        label: str,
        record: object | None,
        values: dict,
        create: Callable[[], object],
        session: Session,
        *,
        flush: bool = True,
    ) -> object:
        """Create the record, or update the fields of `values` that differ; returns the record
        (flushed, to have its id, unless `flush` is false)."""
        if record is not None and id(record) in self._touched:
            raise InputRefused(
                "{label} appears twice in the file; each entry must appear once. Nothing was imported.",
                label=label,
            )
        record = self._set(label, record, values, create, session, flush)
        self._touched[id(record)] = record
        return record

    def _set(
        self, label: str, record: object | None, values: dict, create, session: Session, flush: bool
    ) -> object:
        if record is None:
            record = create()
            for name, value in values.items():
                setattr(record, name, value)
            session.add(record)
            if flush:
                session.flush()
            self.added.append(label)
            return record
        differs = {n: v for n, v in values.items() if getattr(record, n) != v}
        for name, value in differs.items():
            setattr(record, name, value)
        if differs:
            self.changed.append(label)
        else:
            self.unchanged += 1
        return record


class CatalogService:
    """Loads reference data from catalogue files into a database."""

    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def import_file(self, path: Path, *, kind: str | None = None, dry_run: bool = False) -> ImportReport:
        raw = read_catalog(path, kind)
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            report = self.apply(uow, raw, dry_run=dry_run, label=Path(path).name)
            if not dry_run:
                uow.commit()
        return report

    def import_package(self, path: Path, trust: list[Path], *, dry_run: bool = False) -> list[ImportReport]:
        """A signed reference package from the ministry: checked, then all its catalogues in one
        transaction, or nothing."""
        import tempfile

        from crc_desktop.core.signing.package import verify_package
        from crc_desktop.core.signing.trust import TrustRegistry

        verification, catalogs = verify_package(Path(path), TrustRegistry.from_paths(trust))
        if not verification.valid:
            failure = verification.failure
            raise InputRefused(
                "The reference package was refused: {reason}",
                reason=CrcError(failure.detail, **failure.params),
            )
        order = {kind: index for index, kind in enumerate(_APPLIERS)}
        with tempfile.TemporaryDirectory(prefix="crc-package-") as folder:
            raws = []
            for name, data in catalogs.items():
                file = Path(folder) / name
                file.write_bytes(data)
                raws.append((name, read_catalog(file)))
            raws.sort(key=lambda item: order[item[1].header.kind])
            with UnitOfWork(self._database, self._actor, write=True) as uow:
                reports = [self.apply(uow, raw, dry_run=dry_run, label=name) for name, raw in raws]
                if not dry_run:
                    uow.commit()
        return reports

    def import_shipped(self, uow: UnitOfWork) -> None:
        """Load every catalogue shipped in resources (used when a database is created)."""
        for name in SHIPPED_CATALOGS:
            self.apply(uow, read_catalog(shipped_catalog(name)), dry_run=False, label=name)

    def import_shipped_for_province(self, uow: UnitOfWork) -> None:
        """The province's own communes and agencies, once its office profile exists."""
        for name in PROVINCE_CATALOGS:
            self.apply(uow, read_catalog(shipped_catalog(name)), dry_run=False, label=name)

    def apply(self, uow: UnitOfWork, raw: RawCatalog, *, dry_run: bool, label: str) -> ImportReport:
        kind = raw.header.kind
        entries = _validate_rows(raw)
        tally = _Tally()
        applier = _APPLIERS[kind]
        problems = applier(uow.session, raw.header, entries, tally)
        if problems:
            raise InputRefused("The catalogue was not imported; nothing was changed. Problems:", problems)
        if not dry_run:
            uow.audit(
                "catalog.import",
                kind,
                label,
                new={"added": len(tally.added), "changed": len(tally.changed)},
            )
        return ImportReport(
            kind=kind,
            dry_run=dry_run,
            counts=ImportCount(added=len(tally.added), changed=len(tally.changed), unchanged=tally.unchanged),
            added=tally.added,
            changed=tally.changed,
            changes=Changes(catalog=not dry_run and bool(tally.added or tally.changed)),
        )


def _validate_rows(raw: RawCatalog) -> list[tuple[int, object]]:
    model = ENTRY_MODELS[raw.header.kind]
    entries: list[tuple[int, object]] = []
    problems: list[CrcError] = []
    for number, row in raw.rows:
        try:
            entries.append((number, model.model_validate(text_cells(model, row))))
        except ValidationError as exc:
            problems += validation_problems(exc, "Row {row}, field {field}: {reason}", row=number)
    if problems:
        raise InputRefused("The catalogue was not imported; nothing was changed. Problems:", problems)
    if not entries:
        raise InputRefused("The catalogue holds no entries.")
    return entries


def _apply_provinces(session: Session, _header, entries, tally: _Tally) -> list[CrcError]:
    for _number, entry in entries:
        assert isinstance(entry, ProvinceEntry)
        record = session.scalar(
            select(ProvinceRecord).filter_by(code=entry.code, valid_from=entry.valid_from)
        )
        tally.apply(
            f"{entry.code} {entry.name}",
            record,
            entry.model_dump(),
            ProvinceRecord,
            session,
        )
    return []


def _apply_task_groups(session: Session, _header, entries, tally: _Tally) -> list[CrcError]:
    for _number, entry in entries:
        assert isinstance(entry, TaskGroupEntry)
        record = session.scalar(select(TaskGroupRecord).filter_by(number=entry.number))
        tally.apply(f"{entry.number}", record, entry.model_dump(), TaskGroupRecord, session)
    return []


def _apply_authorities(session: Session, _header, entries, tally: _Tally) -> list[CrcError]:
    for _number, entry in entries:
        assert isinstance(entry, ReceivingAuthorityEntry)
        record = session.scalar(
            select(ReceivingAuthorityRecord).filter_by(name=entry.name, valid_from=entry.valid_from)
        )
        tally.apply(entry.name, record, entry.model_dump(), ReceivingAuthorityRecord, session)
    return []


def _apply_agencies(session: Session, _header, entries, tally: _Tally) -> list[CrcError]:
    profile = session.get(OfficeProfileRecord, 1)
    for _number, entry in entries:
        assert isinstance(entry, AgencyEntry)
        if entry.provinces and (profile is None or profile.province.code not in entry.provinces):
            continue
        name = agency_name(entry.name, entry.city_name, profile.province) if profile else entry.name
        record = session.scalar(select(AgencyRecord).filter_by(code=entry.code))
        # A field the file does not give stays as it was.
        given = {"code"} | ({"short_name", "kind", "valid_from", "valid_to"} & entry.model_fields_set)
        values = entry.model_dump(include=given) | {"name": name}
        tally.apply(name, record, values, AgencyRecord, session)
    return []


def _apply_communes(session: Session, header: CatalogHeader, entries, tally: _Tally) -> list[CrcError]:
    """Each commune is one area (its values stay with it); each dated name of it is one row of
    area_name, and the area carries its latest name. Communes not in the file are left alone."""
    province_area = session.scalar(select(AreaRecord).filter_by(level="province"))
    if province_area is None:
        return [CrcError("Communes can be imported only into a province's database (run init).")]
    mine = sorted(
        (entry for _number, entry in entries if entry.province in ("", province_area.code)),
        key=lambda entry: entry.valid_from,
    )
    areas = {a.code: a for a in session.scalars(select(AreaRecord).filter_by(level="commune"))}
    names: dict[int, dict[dt.date, AreaNameRecord]] = defaultdict(dict)
    for record in session.scalars(select(AreaNameRecord)):
        names[record.area_id][record.valid_from] = record
    for area in areas.values():
        if not names[area.id]:  # a commune from before names were dated: its name so far is kept
            names[area.id][area.valid_from] = AreaNameRecord(
                area_id=area.id,
                name=area.name,
                kind=area.kind,
                valid_from=area.valid_from,
                valid_to=area.valid_to,
                source=area.source,
            )
    for entry in mine:
        if entry.code not in areas:
            areas[entry.code] = AreaRecord(
                code=entry.code,
                name=entry.name,
                kind=entry.kind,
                level="commune",
                parent_id=province_area.id,
                valid_from=entry.valid_from,
                valid_to=entry.valid_to,
                source=entry.source or header.source,
            )
            session.add(areas[entry.code])
    session.flush()
    touched = {}
    for entry in mine:
        area = areas[entry.code]
        record = names[area.id].get(entry.valid_from)
        # A field the file does not give (a kind, an end date, a source) stays as it was.
        given = {"name", "valid_from"} | ({"kind", "valid_to", "source"} & entry.model_fields_set)
        if record is None:
            given |= {"kind", "valid_to"}
        values = entry.model_dump(include=given) | {"area_id": area.id}
        if "source" not in given and (header.source or record is None):
            values["source"] = header.source
        label = f"{entry.code} {entry.name}"
        names[area.id][entry.valid_from] = tally.apply(
            label, record, values, AreaNameRecord, session, flush=False
        )
        touched[area.id] = area
    for area_id, area in touched.items():
        dated = [names[area_id][day] for day in sorted(names[area_id])]
        session.add_all(record for record in dated if record.id is None)
        _follow_names(area, dated)
    session.flush()
    return []


def _follow_names(area: AreaRecord, names: list[AreaNameRecord]) -> None:
    """Close each name the day before the next begins; the area takes its latest name."""
    for earlier, later in zip(names, names[1:], strict=False):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            earlier.valid_to = later.valid_from - dt.timedelta(days=1)
    latest = names[-1]
    area.name, area.kind = latest.name, latest.kind
    area.valid_from = min(area.valid_from, names[0].valid_from)
    area.valid_to = latest.valid_to


def _apply_targets(session: Session, _header, entries, tally: _Tally) -> list[CrcError]:
    """Targets of indicators already in the database; nothing else of the indicator changes."""
    sets = {record.code: record.id for record in session.scalars(select(IndicatorSetRecord))}
    problems: list[CrcError] = []
    for number, entry in entries:
        assert isinstance(entry, TargetRowEntry)
        indicator = session.scalar(
            select(IndicatorRecord).filter_by(set_id=sets.get(entry.set), annex=entry.annex, code=entry.code)
        )
        if indicator is None:
            refusal = CrcError(
                "Row {row}: there is no indicator {code} in set {set}.",
                row=number,
                code=entry.code,
                set=entry.set,
            )
            known = session.scalars(select(IndicatorRecord.code).filter_by(set_id=sets.get(entry.set))).all()
            problems.append(with_suggestions(refusal, nearest(entry.code, known)))
            continue
        record = session.scalar(
            select(IndicatorTargetRecord).filter_by(
                indicator_id=indicator.id, year=entry.year, level=entry.level
            )
        )
        values = entry.model_dump(include={"year", "level", "comparator", "value", "source"}) | {
            "indicator_id": indicator.id
        }
        tally.apply(
            f"{entry.code} {entry.year} {entry.level}", record, values, IndicatorTargetRecord, session
        )
    return problems


def _apply_recommendations(session: Session, header: CatalogHeader, entries, tally: _Tally) -> list[CrcError]:
    document = _document(session, header, tally)
    if document is None:
        return [
            CrcError(
                "The recommendations file names no document and {symbol} is not in the database.",
                symbol=DEFAULT_DOCUMENT,
            )
        ]
    clusters = {
        cluster.code: cluster
        for cluster in session.scalars(select(RecommendationClusterRecord).filter_by(document_id=document.id))
    }
    for cluster in header.clusters:
        record = tally.apply(
            f"cluster {cluster.code}",
            clusters.get(cluster.code),
            cluster.model_dump() | {"document_id": document.id},
            RecommendationClusterRecord,
            session,
        )
        clusters[cluster.code] = record
    problems: list[CrcError] = []
    for number, entry in entries:
        assert isinstance(entry, RecommendationEntry)
        cluster_id = None
        if entry.cluster:
            if entry.cluster not in clusters:
                refusal = CrcError("Row {row}: unknown cluster {cluster}.", row=number, cluster=entry.cluster)
                problems.append(with_suggestions(refusal, nearest(entry.cluster, clusters)))
                continue
            cluster_id = clusters[entry.cluster].id
        record = session.scalar(
            select(RecommendationRecord).filter_by(
                document_id=document.id, paragraph=entry.paragraph, sub=entry.sub
            )
        )
        values = entry.model_dump(exclude={"cluster"}) | {
            "document_id": document.id,
            "cluster_id": cluster_id,
        }
        tally.apply(f"para. {entry.label}", record, values, RecommendationRecord, session)
    return problems


def _document(session: Session, header: CatalogHeader, tally: _Tally):
    if header.document is None:
        return session.scalar(select(RecommendationDocumentRecord).filter_by(symbol=DEFAULT_DOCUMENT))
    record = session.scalar(select(RecommendationDocumentRecord).filter_by(symbol=header.document.symbol))
    return tally.apply(
        header.document.symbol,
        record,
        header.document.model_dump(),
        RecommendationDocumentRecord,
        session,
    )


def _apply_indicators(session: Session, header: CatalogHeader, entries, tally: _Tally) -> list[CrcError]:
    sets = {record.code: record for record in session.scalars(select(IndicatorSetRecord))}
    for entry in header.sets:
        sets[entry.code] = tally.apply(
            f"set {entry.code}",
            sets.get(entry.code),
            entry.model_dump(),
            IndicatorSetRecord,
            session,
        )
    dimensions = shipped_dimensions() | dict(header.dimensions)
    problems: list[CrcError] = []
    for order, (number, entry) in enumerate(entries):
        assert isinstance(entry, IndicatorEntry)
        if entry.set not in sets:
            refusal = CrcError("Row {row}: unknown indicator set {set}.", row=number, set=entry.set)
            problems.append(with_suggestions(refusal, nearest(entry.set, sets)))
            continue
        unknown = [d for d in entry.dimensions if d not in dimensions]
        if unknown:
            refusal = CrcError(
                "Row {row}: unknown disaggregation {names}.", row=number, names=", ".join(unknown)
            )
            problems.append(with_suggestions(refusal, nearest(unknown[0], dimensions)))
            continue
        record = session.scalar(
            select(IndicatorRecord).filter_by(set_id=sets[entry.set].id, annex=entry.annex, code=entry.code)
        )
        values = entry.model_dump(exclude={"set", "group", "targets", "rules"}) | {
            "set_id": sets[entry.set].id,
            "group_name": entry.group,
            "sort_order": order,
        }
        label = f"{entry.annex} {entry.code} {entry.name}".strip()
        before = len(tally.changed) + len(tally.added)
        indicator = tally.apply(label, record, values, IndicatorRecord, session)
        cells_changed = _sync_cells(session, indicator, entry, dimensions)
        targets_changed = _sync_targets(session, indicator, entry)
        rules_changed, unknown_total = _sync_rules(session, indicator, entry)
        if unknown_total:
            refusal = CrcError(
                "Row {row}: the rule names {code}, which is not an indicator of set {set}.",
                row=number,
                code=unknown_total,
                set=entry.set,
            )
            known = session.scalars(select(IndicatorRecord.code).filter_by(set_id=indicator.set_id)).all()
            problems.append(with_suggestions(refusal, nearest(unknown_total, known)))
        if (cells_changed or targets_changed or rules_changed) and before == len(tally.changed) + len(
            tally.added
        ):
            tally.unchanged -= 1
            tally.changed.append(label)
    session.flush()
    return problems + _parts_problems(session, entries)


def _parts_problems(session: Session, entries) -> list[CrcError]:
    """A ratio's numerator and denominator are counts of its set, a share's a yes/no answer."""
    kinds = {
        (set_id, code): (measure, value_type)
        for set_id, code, measure, value_type in session.execute(
            select(
                IndicatorRecord.set_id,
                IndicatorRecord.code,
                IndicatorRecord.measure,
                IndicatorRecord.value_type,
            )
        )
    }
    sets = {record.code: record.id for record in session.scalars(select(IndicatorSetRecord))}
    problems = []
    for number, entry in entries:
        wanted = {"ratio": ("count", "count"), "share": ("yesno",)}.get(entry.measure, ())
        for code, kind in zip((entry.numerator, entry.denominator), wanted, strict=False):
            measure, value_type = kinds.get((sets.get(entry.set), code), ("", ""))
            if (kind == "yesno" and value_type != "yesno") or (kind == "count" and measure != "count"):
                problems.append(
                    CrcError(
                        "Row {row}: {code} is not a count (or yes/no answer) of set {set}.",
                        row=number,
                        code=code,
                        set=entry.set,
                    )
                )
    return problems


def cell_specs(
    dimension_codes: list[str], dimensions: dict[str, DimensionEntry]
) -> list[tuple[str, str, bool]]:
    """(key, label, is_total) of an indicator's cells: the total, then one per category."""
    specs = [("total", "Tổng số", True)]
    for code in dimension_codes:
        dimension = dimensions[code]
        specs += [
            (f"{code}={category.code}", f"{dimension.name}: {category.name}", False)
            for category in dimension.categories
        ]
    return specs


def _sync_cells(session: Session, indicator: IndicatorRecord, entry: IndicatorEntry, dimensions) -> bool:
    wanted = cell_specs(entry.dimensions, dimensions)
    existing = {cell.key: cell for cell in indicator.cells}
    changed = False
    for order, (key, label, is_total) in enumerate(wanted):
        cell = existing.pop(key, None)
        if cell is None:
            indicator.cells.append(
                IndicatorCellRecord(key=key, label=label, is_total=is_total, sort_order=order)
            )
            changed = True
        elif (cell.label, cell.sort_order) != (label, order):
            cell.label, cell.sort_order = label, order
            changed = True
    for cell in existing.values():
        indicator.cells.remove(cell)
        changed = True
    session.flush()
    return changed


def _sync_targets(session: Session, indicator: IndicatorRecord, entry: IndicatorEntry) -> bool:
    existing = {
        (t.year, t.level): t
        for t in session.scalars(select(IndicatorTargetRecord).filter_by(indicator_id=indicator.id))
    }
    changed = False
    for target in entry.targets:
        values = target.model_dump()
        record = existing.get((target.year, target.level))
        if record is None:
            session.add(IndicatorTargetRecord(indicator_id=indicator.id, **values))
            changed = True
        elif any(getattr(record, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(record, name, value)
            changed = True
    return changed


def _sync_rules(session: Session, indicator: IndicatorRecord, entry: IndicatorEntry) -> tuple[bool, str]:
    """Make the indicator's rules those of the entry; returns (changed, unknown total code)."""
    wanted = []
    for rule in entry.rules:
        params = dict(rule.params)
        if rule.kind == "part_le_total":
            total = session.scalar(
                select(IndicatorRecord.id).filter_by(set_id=indicator.set_id, code=str(params.pop("total")))
            )
            if total is None:
                return False, str(rule.params["total"])
            params["total_indicator"] = total
        wanted.append((rule.kind, params, rule.severity))
    existing = session.scalars(select(ValidationRuleRecord).filter_by(indicator_id=indicator.id)).all()
    if sorted(map(repr, wanted)) == sorted(repr((r.kind, r.params, r.severity)) for r in existing):
        return False, ""
    for record in existing:
        session.delete(record)
    for kind, params, severity in wanted:
        session.add(
            ValidationRuleRecord(indicator_id=indicator.id, kind=kind, params=params, severity=severity)
        )
    return True, ""


_APPLIERS = {
    "provinces": _apply_provinces,
    "task_groups": _apply_task_groups,
    "receiving_authorities": _apply_authorities,
    "agencies": _apply_agencies,
    "communes": _apply_communes,
    "recommendations": _apply_recommendations,
    "indicators": _apply_indicators,
    "targets": _apply_targets,
}
