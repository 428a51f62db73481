"""Exporting an approved period as a signed bundle, and verifying bundles.

The bundle is built in memory, written under a temporary name and moved into place; only
then is the period marked signed (and so locked), in the same transaction that records the
export. A reopened period's next export supersedes the last one by its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import BundleExportRecord, PeriodTransitionRecord
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.files import write_atomically
from crc_desktop.core.progress import NO_PROGRESS, Progress
from crc_desktop.core.rules.workflow import next_state
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.bundle import Verification
from crc_desktop.core.services.office_certificates import require_registered_signer
from crc_desktop.core.services.snapshot import SnapshotService
from crc_desktop.core.signing.bundle import build_bundle, bundle_name, verify_bundle
from crc_desktop.core.signing.keys import SigningMaterial
from crc_desktop.core.signing.trust import TrustRegistry


class ExportResult(Frozen):
    path: str
    sha256: str
    sequence: int
    supersedes: str | None


class ExportService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def export(
        self,
        period: str,
        material: SigningMaterial,
        out: Path,
        *,
        on: dt.date | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> ExportResult:
        from crc_desktop.core.reporting.pdf import write_report
        from crc_desktop.core.reporting.sdmx import write_sdmx_csv

        require_registered_signer(self._database, self._actor, material.certificate)
        with UnitOfWork(self._database, self._actor) as uow:
            record = uow.periods.get(period)
            if record.state != "approved":
                raise InputRefused(
                    "Only an approved period can be signed and exported; period {code} is {state}.",
                    code=record.code,
                    state=record.state,
                )
            last = uow.session.scalar(
                select(BundleExportRecord)
                .filter_by(period_id=record.id)
                .order_by(BundleExportRecord.sequence.desc())
                .limit(1)
            )
            sequence, supersedes = (last.sequence + 1, last.sha256) if last else (1, None)
        progress.step(0.05, "snapshot")
        snapshot = SnapshotService(self._database, self._actor).take(period, on=on)
        pdf, csv = io.BytesIO(), io.BytesIO()
        write_report(snapshot, pdf, on=on)
        write_sdmx_csv(snapshot, csv)
        progress.step(0.3, "PDF")
        bundle = build_bundle(
            snapshot,
            pdf.getvalue(),
            csv.getvalue(),
            material,
            sequence=sequence,
            supersedes=supersedes,
            progress=Progress(lambda f, m: progress.step(0.3 + 0.6 * f, m)),
        )
        out = Path(out)
        target = (
            out / bundle_name(snapshot.province.code, snapshot.period.code, sequence) if out.is_dir() else out
        )
        progress.step(0.92, "write")
        write_atomically(target, lambda stream: stream.write(bundle))
        digest = hashlib.sha256(bundle).hexdigest()
        self._mark_signed(period, target, digest, sequence, supersedes, material.subject)
        progress.step(1.0)
        return ExportResult(path=str(target), sha256=digest, sequence=sequence, supersedes=supersedes)

    def _mark_signed(
        self, period: str, target: Path, digest: str, sequence: int, supersedes: str | None, signer: str
    ) -> None:
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            record = uow.periods.get(period)
            before = record.state
            record.state = next_state("sign", before)
            uow.session.add(
                BundleExportRecord(
                    period_id=record.id,
                    sequence=sequence,
                    file_name=target.name,
                    sha256=digest,
                    supersedes_sha256=supersedes,
                    created_at=now(),
                    signer=signer,
                )
            )
            uow.session.add(
                PeriodTransitionRecord(
                    period_id=record.id,
                    from_state=before,
                    to_state=record.state,
                    at=now(),
                    os_user=self._actor.os_user,
                    user_name=self._actor.user_name,
                    reason="",
                )
            )
            uow.session.flush()
            uow.audit(
                "period.sign",
                "reporting_period",
                record.code,
                old={"state": before},
                new={"state": record.state, "bundle": target.name, "sha256": digest, "sequence": sequence},
            )
            uow.commit()


def verify(path: Path, trust: list[Path]) -> Verification:
    """Verify a bundle against a trust registry folder or certificate files (see signing/trust.py)."""
    return verify_bundle(Path(path), TrustRegistry.from_paths(trust))
