"""Consolidating the provinces' bundles: each is verified against the trust registry (its signer
must be bound to the province it claims), then loaded whole or not at all. A bundle already
loaded is skipped; a newer version of a province's period becomes current and the older one is
kept as history."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlalchemy import select, update

from crc_desktop.core.db.bulk import insert_rows
from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    NationalBundleRecord,
    NationalIndicatorRecord,
    NationalRecommendationRecord,
    NationalTaskRecord,
    NationalValueRecord,
    RefusedBundleRecord,
)
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.progress import NO_PROGRESS, Progress
from crc_desktop.core.rules.vocabulary import ImportOutcome
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.bundle import Manifest, Verification
from crc_desktop.core.schemas.snapshot import PeriodSnapshot
from crc_desktop.core.signing.bundle import open_bundle
from crc_desktop.core.signing.trust import TrustRegistry

MAX_WORKERS = 4  # processes verifying bundles; more than the cores does not help


class Outcome(Frozen):
    file: str
    status: ImportOutcome
    province: str = ""
    period: str = ""
    sequence: int | None = None
    detail: str = ""
    params: dict = {}
    current: bool = False


class ConsolidationReport(Frozen):
    outcomes: list[Outcome]

    def of(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]


def bundle_files(paths: list[Path]) -> list[Path]:
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(path.glob("*.zip"))
        elif path.exists():
            files.append(path)
        else:
            raise InputRefused("There is no file or folder at {path}.", path=str(path))
    return files


@dataclass(frozen=True)
class _Rows:
    """What a valid bundle loads, ready to insert (made where it was verified)."""

    indicators: list[dict]
    # (indicator_key, cell_key, area_code, area_level, number, text, numerator, denominator, origin)
    values: list[tuple]
    tasks: list[dict]
    recommendations: list[dict]


_VALUE_COLUMNS = (
    "bundle_id",
    "indicator_key",
    "cell_key",
    "area_code",
    "area_level",
    "number",
    "text",
    "numerator",
    "denominator",
    "origin",
)


def _rows(manifest: Manifest, data: PeriodSnapshot, values: list[tuple]) -> _Rows:
    """The rows of a bundle from its data; `values` are (indicator, cell, area, number, text)."""
    year = int(manifest.period[:4])
    levels = {area.code: area.level for area in data.areas}
    return _Rows(
        indicators=[
            {
                "key": i.key,
                "code": i.code,
                "name": i.name,
                "unit": i.unit,
                "value_type": i.value_type,
                "targets": [t.model_dump() for t in i.targets],
                "measure": i.measure,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "factor": i.factor,
            }
            for i in data.indicators
        ],
        values=[
            (key, cell, area, levels.get(area, ""), number, text, *_parts(data, key, cell, area))
            for key, cell, area, number, text in values
        ],
        tasks=[
            {
                "code": t.code,
                "task_group": t.group,
                "title": t.title,
                "status": t.status,
                "percent_done": t.progress.percent_done if t.progress else None,
                "planned": sum(b.planned for b in t.budget if b.fiscal_year == year),
                "allocated": sum(b.allocated for b in t.budget if b.fiscal_year == year),
                "spent": sum(b.spent for b in t.budget if b.fiscal_year == year),
                "recommendations": t.recommendations,
            }
            for t in data.tasks
        ],
        recommendations=[
            {"key": r.key, "urgent": r.urgent, "covered": bool(r.tasks)} for r in data.recommendations
        ],
    )


def _parts(data: PeriodSnapshot, key: str, cell: str, area: str) -> tuple:
    """(numerator, denominator, origin) of a province's computed or official figure."""
    figure = data.figure(key, cell) if area == data.province.code else None
    if figure is None:
        return None, None, ""
    return figure.numerator, figure.denominator, figure.origin


def _check(path: Path, trust: tuple[Path, ...]) -> tuple[Verification, _Rows | None]:
    """Verify one bundle and prepare its rows; runs in a worker process (or in this one). The
    values become rows a checked batch at a time, never all held as objects."""
    registry = TrustRegistry.from_paths(trust)  # read each time: the registry may have changed
    values: list[tuple] = []
    outcome, snapshot = open_bundle(
        path,
        registry,
        values_to=lambda batch: values.extend((v.indicator, v.cell, v.area, v.number, v.text) for v in batch),
    )
    return outcome, (_rows(outcome.manifest, snapshot, values) if outcome.valid else None)


def _checked_in_order(files: list[Path], trust: tuple[Path, ...]) -> Iterator[tuple[Path, tuple]]:
    """Each file with its verification, in order. Bundles are verified in worker processes, a few
    ahead of the one being loaded, so verifying (CPU-bound) runs beside the loading."""
    workers = min(len(files), os.cpu_count() or 1, MAX_WORKERS)
    if workers <= 1:
        for path in files:
            yield path, _check(path, trust)
        return
    # spawn, not fork: the GUI calls this from a thread, and Windows has nothing else
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        waiting = iter(files)
        ahead = deque((path, pool.submit(_check, path, trust)) for path in islice(waiting, workers + 1))
        while ahead:
            path, future = ahead.popleft()
            following = next(waiting, None)
            if following is not None:
                ahead.append((following, pool.submit(_check, following, trust)))
            yield path, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class ConsolidationService:
    def __init__(self, store: Database, actor: Actor) -> None:
        self._store = store
        self._actor = actor

    def consolidate(
        self, paths: list[Path], trust: list[Path], *, progress: Progress = NO_PROGRESS
    ) -> ConsolidationReport:
        if not TrustRegistry.from_paths(trust).roots():
            raise InputRefused("No trusted certificate was given (--trust): nothing can be verified.")
        files = bundle_files(paths)
        outcomes: dict[Path, Outcome] = {}
        for path in files:
            skipped = self._already_loaded(path, hashlib.sha256(path.read_bytes()).hexdigest())
            if skipped is not None:
                outcomes[path] = skipped
        to_check = [path for path in files if path not in outcomes]
        for index, (path, (verification, rows)) in enumerate(
            _checked_in_order(to_check, tuple(Path(t).resolve() for t in trust))
        ):
            progress.step(index / max(len(to_check), 1), path.name)
            outcomes[path] = self._one(path, verification, rows)
        progress.step(1.0)
        return ConsolidationReport(outcomes=[outcomes[path] for path in files])

    def _already_loaded(self, path: Path, digest: str) -> Outcome | None:
        with UnitOfWork(self._store, self._actor) as uow:
            loaded = uow.session.scalar(select(NationalBundleRecord).filter_by(sha256=digest))
            if loaded is None:
                return None
            return Outcome(
                file=path.name,
                status="skipped",
                province=loaded.province_code,
                period=loaded.period,
                sequence=loaded.sequence,
                current=loaded.current,
                detail="already loaded",
            )

    def _one(self, path: Path, outcome: Verification, rows: _Rows | None) -> Outcome:
        digest = outcome.bundle_sha256
        skipped = self._already_loaded(path, digest)  # the same file twice in one run
        if skipped is not None:
            return skipped
        if not outcome.valid:
            failure = outcome.failure
            manifest = outcome.manifest
            self._refused(path, digest, manifest, failure)
            return Outcome(
                file=path.name,
                status="refused",
                province=manifest.province.code if manifest else "",
                period=manifest.period if manifest else "",
                detail=failure.detail,
                params=dict(failure.params),
            )
        return self._load(path, digest, outcome.manifest, rows)

    def _refused(self, path: Path, digest: str, manifest: Manifest | None, failure) -> None:
        with UnitOfWork(self._store, self._actor, write=True) as uow:
            uow.session.add(
                RefusedBundleRecord(
                    sha256=digest,
                    file_name=path.name,
                    province_code=manifest.province.code if manifest else "",
                    period=manifest.period if manifest else "",
                    check=failure.name,
                    reason=failure.detail.format(**failure.params),
                    seen_at=now(),
                )
            )
            uow.commit()

    def _load(self, path: Path, digest: str, manifest: Manifest, rows: _Rows) -> Outcome:
        """Load the rows the verification prepared, in one transaction."""
        with UnitOfWork(self._store, self._actor, write=True) as uow:
            session = uow.session
            current = session.scalar(
                select(NationalBundleRecord).filter_by(
                    province_code=manifest.province.code, period=manifest.period, current=True
                )
            )
            is_current = current is None or manifest.sequence > current.sequence
            if current is not None and is_current:
                session.execute(
                    update(NationalBundleRecord)
                    .where(NationalBundleRecord.id == current.id)
                    .values(current=False)
                )
            bundle = NationalBundleRecord(
                sha256=digest,
                province_code=manifest.province.code,
                province_name=manifest.province.name,
                period=manifest.period,
                sequence=manifest.sequence,
                supersedes=manifest.supersedes,
                current=is_current,
                demo=manifest.demo,
                signer_subject=manifest.signer.subject,
                signer_fingerprint=manifest.signer.fingerprint_sha256,
                created_at=manifest.created_at.astimezone(dt.UTC).replace(tzinfo=None),
                loaded_at=now(),
                file_name=path.name,
                data_sha256=manifest.data_sha256,
            )
            session.add(bundle)
            session.flush()
            connection = session.connection()
            for table, records in (
                (NationalIndicatorRecord.__table__, rows.indicators),
                (NationalTaskRecord.__table__, rows.tasks),
                (NationalRecommendationRecord.__table__, rows.recommendations),
            ):
                if records:  # an empty list is not an insert
                    connection.execute(table.insert(), [{"bundle_id": bundle.id, **r} for r in records])
            insert_rows(
                connection,
                NationalValueRecord.__table__,
                _VALUE_COLUMNS,
                ((bundle.id, *value) for value in rows.values),
            )
            uow.audit(
                "bundle.load",
                "national_bundle",
                digest,
                new={
                    "province": manifest.province.code,
                    "period": manifest.period,
                    "sequence": manifest.sequence,
                    "current": is_current,
                },
            )
            uow.commit()
        return Outcome(
            file=path.name,
            status="loaded",
            province=manifest.province.code,
            period=manifest.period,
            sequence=manifest.sequence,
            current=is_current,
        )
