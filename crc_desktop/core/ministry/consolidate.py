"""Consolidating the provinces' bundles: each is verified against the certificates registered
for its province, then loaded whole or not at all. A bundle already loaded is skipped; a newer
version of a province's period becomes current and the older one is kept as history."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

from cryptography import x509
from sqlalchemy import insert, select, update

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
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.bundle import Manifest
from crc_desktop.core.schemas.snapshot import PeriodSnapshot
from crc_desktop.core.signing.bundle import load_trust, open_bundle


class Outcome(Frozen):
    file: str
    status: str  # loaded, skipped, refused
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


class TrustRegistry:
    """The provinces' certificates: files named `<province code>-….pem` bind to that province;
    other files are trusted for every province."""

    def __init__(self, paths: list[Path]) -> None:
        self._by_province: dict[str, list[x509.Certificate]] = {}
        self._anyone: list[x509.Certificate] = []
        for path in map(Path, paths):
            files = (
                sorted(p for p in path.iterdir() if p.suffix.lower() in (".pem", ".crt", ".cer"))
                if path.is_dir()
                else [path]
            )
            for file in files:
                code = file.name.split("-")[0]
                certificates = load_trust([file])
                if code.isdigit() and len(code) == 2:
                    self._by_province.setdefault(code, []).extend(certificates)
                else:
                    self._anyone.extend(certificates)

    def for_province(self, code: str | None) -> list[x509.Certificate]:
        return self._by_province.get(code or "", []) + self._anyone

    def __bool__(self) -> bool:
        return bool(self._by_province or self._anyone)


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


def _claimed_province(path: Path) -> str | None:
    """The province a bundle says it is from, to pick its certificates (verification checks it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return Manifest.model_validate_json(archive.read("manifest.json")).province.code
    except Exception:  # noqa: BLE001 - the verifier reports what is wrong with the file
        return None


class ConsolidationService:
    def __init__(self, store: Database, actor: Actor) -> None:
        self._store = store
        self._actor = actor

    def consolidate(
        self, paths: list[Path], trust: list[Path], *, progress: Progress = NO_PROGRESS
    ) -> ConsolidationReport:
        registry = TrustRegistry(trust)
        if not registry:
            raise InputRefused("No trusted certificate was given (--trust): nothing can be verified.")
        files = bundle_files(paths)
        outcomes = []
        for index, path in enumerate(files):
            progress.step(index / max(len(files), 1), path.name)
            outcomes.append(self._one(path, registry))
        progress.step(1.0)
        return ConsolidationReport(outcomes=outcomes)

    def _one(self, path: Path, registry: TrustRegistry) -> Outcome:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        with UnitOfWork(self._store, self._actor) as uow:
            loaded = uow.session.scalar(select(NationalBundleRecord).filter_by(sha256=digest))
            if loaded is not None:
                return Outcome(
                    file=path.name,
                    status="skipped",
                    province=loaded.province_code,
                    period=loaded.period,
                    sequence=loaded.sequence,
                    current=loaded.current,
                    detail="already loaded",
                )
        outcome, snapshot = open_bundle(path, registry.for_province(_claimed_province(path)))
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
        return self._load(path, digest, outcome.manifest, snapshot)

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

    def _load(self, path: Path, digest: str, manifest: Manifest, data: PeriodSnapshot) -> Outcome:
        """Load the data the verification read, in one transaction."""
        year = int(manifest.period[:4])
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
            levels = {area.code: area.level for area in data.areas}
            session.execute(
                insert(NationalIndicatorRecord),
                [
                    {
                        "bundle_id": bundle.id,
                        "key": i.key,
                        "code": i.code,
                        "name": i.name,
                        "unit": i.unit,
                        "value_type": i.value_type,
                        "targets": [t.model_dump() for t in i.targets],
                    }
                    for i in data.indicators
                ],
            )
            rows = [
                {
                    "bundle_id": bundle.id,
                    "indicator_key": v.indicator,
                    "cell_key": v.cell,
                    "area_code": v.area,
                    "area_level": levels.get(v.area, ""),
                    "number": v.number,
                    "text": v.text,
                }
                for v in data.values
            ]
            for start in range(0, len(rows), 50_000):
                session.execute(insert(NationalValueRecord), rows[start : start + 50_000])
            tasks = [
                {
                    "bundle_id": bundle.id,
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
            ]
            if tasks:  # an empty list is not an insert
                session.execute(insert(NationalTaskRecord), tasks)
            if data.recommendations:
                session.execute(
                    insert(NationalRecommendationRecord),
                    [
                        {"bundle_id": bundle.id, "key": r.key, "urgent": r.urgent, "covered": bool(r.tasks)}
                        for r in data.recommendations
                    ],
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
