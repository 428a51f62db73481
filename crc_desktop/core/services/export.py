"""Exporting an approved period as a signed bundle, saving a kept bundle again, and verifying.

One export per version. The bundle is built from a snapshot outside any transaction (the PDF
and the signature take time); then one write transaction checks that the period still allows
the export and that the audit head has not moved since the snapshot (no edit, no other
export), and records the version, its SHA-256 and the bundle's bytes and locks the period.
Only after that commit is the file written: an export that loses the race is refused and
leaves no file. A reopened period's next export supersedes the last one by its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import (
    AuditEntryRecord,
    BundleExportRecord,
    KeptBundleRecord,
    ReportingPeriodRecord,
)
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import CrcError, InputRefused, Msgid
from crc_desktop.core.files import write_atomically
from crc_desktop.core.i18n import STATE_NAMES
from crc_desktop.core.progress import NO_PROGRESS, Progress
from crc_desktop.core.rules.workflow import PeriodAction, PeriodState
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.bundle import DocumentRef, Verification
from crc_desktop.core.schemas.changes import Changes, Outcome
from crc_desktop.core.schemas.snapshot import PeriodSnapshot
from crc_desktop.core.services.office_certificates import require_registered_signer
from crc_desktop.core.services.signature_images import SignatureImages, SignatureImageService
from crc_desktop.core.services.snapshot import SnapshotService
from crc_desktop.core.services.workflow import step_period
from crc_desktop.core.signing.appearance import SignatureLook
from crc_desktop.core.signing.bundle import build_bundle, bundle_name, verify_bundle
from crc_desktop.core.signing.keys import KeySource, SigningMaterial, fingerprint
from crc_desktop.core.signing.subjects import readable_subject
from crc_desktop.core.signing.trust import TrustRegistry


class ExportResult(Outcome):
    """A bundle written: the export changed its period (signed); saving one again changes nothing."""

    path: str
    sha256: str
    sequence: int
    supersedes: str | None


def document_number(text: str) -> str:
    """The clerk's number of the document ("125"); refused unless it is a number."""
    text = text.strip()
    if text and not text.isdigit():
        raise InputRefused(
            "The document number is the number the clerk gives, digits only (e.g. 125); "
            "{text} is not one. The symbol (e.g. BC-SYT) is set in the office's profile.",
            text=text,
        )
    return text


def document_symbol(snapshot: PeriodSnapshot) -> str:
    """The symbol printed after the number: the office's, or the one the report makes up."""
    from crc_desktop.core.reporting.pdf import document_symbol as printed

    return printed(snapshot)


class _Version(Frozen):
    """The version an export is about to make: decided again when it is recorded."""

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
        number: str = "",
        progress: Progress = NO_PROGRESS,
    ) -> ExportResult:
        """Sign and export an approved period; `out` is the bundle file or a folder for it;
        `number`: the document's number the clerk gives ("125" of "Số: 125/BC-SYT"); `on`: the
        signing date (today), the date line of the report."""
        number = document_number(number)
        require_registered_signer(self._database, self._actor, material.certificate)
        version = self._next_version(period)
        progress.step(0.05, "snapshot")
        snapshot = SnapshotService(self._database, self._actor).take(period, on=on)
        target = _target(Path(out), snapshot.province.code, snapshot.period.code, version.sequence)
        images = SignatureImageService(self._database, self._actor).images_for(
            fingerprint(material.certificate)
        )
        sources = SnapshotService(self._database, self._actor).target_sources()
        bundle = self._build(
            snapshot, material, version, on or dt.date.today(), number, (images, sources), progress
        )
        digest = hashlib.sha256(bundle).hexdigest()
        progress.step(0.92, "record")
        progress.no_return()  # the record commits the signature: a Cancel from here on is too late
        self._record_signed(
            period, snapshot.audit_head, version, bundle, digest, target.name, material.subject
        )
        _write_kept(target, bundle, period)
        return ExportResult(
            path=str(target),
            sha256=digest,
            sequence=version.sequence,
            supersedes=version.supersedes,
            changes=Changes(periods=True, period=snapshot.period.code),  # signed, its bundle kept
        )

    def sign_and_export(
        self,
        period: str,
        key: KeySource,
        out: Path,
        *,
        on: dt.date | None = None,
        number: str = "",
        progress: Progress = NO_PROGRESS,
    ) -> ExportResult:
        """Open the signer's key where the user named it, sign and export the period with it, and
        close the key (a token stays logged in otherwise): what the window and the command line do."""
        material = key.open()
        try:
            return self.export(period, material, out, on=on, number=number, progress=progress)
        finally:
            material.close()

    def save_bundle(self, period: str, out: Path, *, sequence: int | None = None) -> ExportResult:
        """Write a signed bundle of `period` again, byte for byte: the last one, or version
        `sequence`; `out` is the file or a folder for it (named as when it was exported)."""
        with UnitOfWork(self._database, self._actor) as uow:
            record = uow.periods.get(period)
            code = record.code
            query = select(
                BundleExportRecord.sequence,
                BundleExportRecord.file_name,
                BundleExportRecord.sha256,
                BundleExportRecord.supersedes_sha256,
                KeptBundleRecord.content,
            ).join(KeptBundleRecord, KeptBundleRecord.export_id == BundleExportRecord.id)
            query = query.where(BundleExportRecord.period_id == record.id)
            if sequence is not None:
                query = query.where(BundleExportRecord.sequence == sequence)
            row = uow.session.execute(query.order_by(BundleExportRecord.sequence.desc()).limit(1)).first()
            if row is None:
                raise InputRefused("No signed bundle of period {code} is kept in this database.", code=code)
            sequence, file_name, sha256, supersedes, content = row
        if hashlib.sha256(content).hexdigest() != sha256:
            raise InputRefused(
                "The kept bundle of period {code} (version {sequence}) is damaged; it was not written.",
                code=code,
                sequence=sequence,
            )
        out = Path(out)
        target = out / file_name if out.is_dir() else out
        write_atomically(target, lambda stream: stream.write(content))
        return ExportResult(path=str(target), sha256=sha256, sequence=sequence, supersedes=supersedes)

    def _next_version(self, period: str) -> _Version:
        with UnitOfWork(self._database, self._actor) as uow:
            record = uow.periods.get(period)
            _ensure_exportable(record)
            return _version_after(uow, record)

    @staticmethod
    def _build(
        snapshot: PeriodSnapshot,
        material: SigningMaterial,
        version: _Version,
        on,
        number,
        notes: tuple[SignatureImages, dict[str, str]],
        progress: Progress,
    ) -> bytes:
        from crc_desktop.core.reporting.pdf import write_report
        from crc_desktop.core.reporting.sdmx import write_sdmx_csv

        pdf, csv = io.BytesIO(), io.BytesIO()
        places: list = []
        images, sources = notes
        write_report(snapshot, pdf, on=on, number=number, places=places, target_sources=sources)
        signer = snapshot.office.signer_name or readable_subject(material.certificate)

        def look(at: dt.datetime) -> SignatureLook:
            return SignatureLook(
                signer=signer,
                office=snapshot.office.office_name,
                at=at,
                signature_png=images.signature,
                seal_png=images.seal,
            )

        write_sdmx_csv(snapshot, csv)
        progress.step(0.3, "PDF")
        return build_bundle(
            snapshot,
            pdf.getvalue(),
            csv.getvalue(),
            material,
            sequence=version.sequence,
            supersedes=version.supersedes,
            document=DocumentRef(number=number, symbol=document_symbol(snapshot), date=on),
            place=places[0] if places else None,
            look=look,
            progress=Progress(lambda f, m: progress.step(0.3 + 0.6 * f, m)),
        )

    def _record_signed(
        self,
        period: str,
        audit_head: str,
        version: _Version,
        bundle: bytes,
        digest: str,
        file_name: str,
        signer: str,
    ) -> None:
        """In one write transaction: check nothing moved since the snapshot, then keep the
        bundle, record its version and hash, and lock the period."""
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            record = uow.periods.get(period)
            head = uow.session.scalar(
                select(AuditEntryRecord.hash).order_by(AuditEntryRecord.id.desc()).limit(1)
            )
            state = PeriodState(record.state)
            if state is PeriodState.SIGNED or _version_after(uow, record) != version:
                raise InputRefused(
                    "Period {code} was signed by another export while this one was being made; "
                    "this bundle was not kept and no file was written.",
                    code=record.code,
                )
            if (head or "") != audit_head or not state.allows(PeriodAction.EXPORT):  # edited, reopened
                raise InputRefused(
                    "The data changed while the bundle of period {code} was being made; "
                    "nothing was signed or written. Export again.",
                    code=record.code,
                )
            export = BundleExportRecord(
                period_id=record.id,
                sequence=version.sequence,
                file_name=file_name,
                sha256=digest,
                supersedes_sha256=version.supersedes,
                created_at=now(),
                signer=signer,
            )
            uow.session.add(export)
            uow.session.flush()
            uow.session.add(KeptBundleRecord(export_id=export.id, content=bundle))
            step_period(
                uow,
                record,
                PeriodAction.EXPORT,
                audited_as="period.sign",
                details={"bundle": file_name, "sha256": digest, "sequence": version.sequence},
            )
            uow.commit()


def _ensure_exportable(record: ReportingPeriodRecord) -> None:
    state = PeriodState(record.state)
    if not state.allows(PeriodAction.EXPORT):
        raise InputRefused(
            "Only an approved period can be signed and exported; period {code} is {state}.",
            code=record.code,
            state=Msgid(STATE_NAMES[state]),
        )


def _version_after(uow: UnitOfWork, record: ReportingPeriodRecord) -> _Version:
    last = uow.session.scalar(
        select(BundleExportRecord)
        .filter_by(period_id=record.id)
        .order_by(BundleExportRecord.sequence.desc())
        .limit(1)
    )
    return (
        _Version(sequence=last.sequence + 1, supersedes=last.sha256)
        if last
        else _Version(sequence=1, supersedes=None)
    )


def _target(out: Path, province: str, period: str, sequence: int) -> Path:
    """Where the bundle goes; its folder must exist before anything is signed."""
    target = out / bundle_name(province, period, sequence) if out.is_dir() else out
    if not target.parent.is_dir():
        raise InputRefused("The folder {folder} does not exist.", folder=str(target.parent))
    return target


def _write_kept(target: Path, bundle: bytes, period: str) -> None:
    """Write the bundle that is now signed and kept; when that fails, say it can be saved again."""
    try:
        write_atomically(target, lambda stream: stream.write(bundle))
    except (CrcError, OSError) as error:
        raise InputRefused(
            "Period {code} is signed and its bundle is kept, but {path} could not be written ({error}); "
            "save the bundle again (crc-desktop bundle save).",
            code=period,
            path=str(target),
            error=error if isinstance(error, CrcError) else str(error),
        ) from error


def verify(path: Path, trust: list[Path]) -> Verification:
    """Verify a bundle against a trust registry folder or certificate files (see signing/trust.py)."""
    return verify_bundle(Path(path), TrustRegistry.from_paths(trust))
