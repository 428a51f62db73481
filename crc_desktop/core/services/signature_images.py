"""The images of the visible signature (Decree 30, Annex I), registered once: each signer's
handwritten signature (PNG, transparent; for the certificate that signs) and the office's seal
(PNG, transparent, red). Each change is one audited transaction; the audit keeps the image's
SHA-256, not its bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import OfficeCertificateRecord, SignatureImageRecord
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import InputRefused, os_reason
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.changes import Changes, Outcome

MAX_IMAGE_BYTES = 2 * 1024 * 1024
SEAL, SIGNATURE = "seal", "signature"


class SignatureImages(Frozen):
    """The images a signature by the certificate `fingerprint` shows (None: not registered)."""

    signature: bytes | None = None
    seal: bytes | None = None


class ImageRegistered(Outcome):
    kind: str
    fingerprint: str
    sha256: str


def png_of(path: Path) -> bytes:
    """The bytes of a PNG file; anything else is refused, naming the file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputRefused("{path} cannot be read: {error}", path=str(path), error=os_reason(exc)) from None
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise InputRefused(
            "{path} is not a PNG image (the signature and seal images are PNG files).", path=str(path)
        )
    if len(data) > MAX_IMAGE_BYTES:
        raise InputRefused("{path} is larger than 2 MB; use a smaller image.", path=str(path))
    return data


class SignatureImageService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def register_seal(self, path: Path) -> ImageRegistered:
        return self._register(SEAL, "", png_of(path))

    def register_signature(self, fingerprint: str, path: Path) -> ImageRegistered:
        """The handwritten signature shown when the certificate `fingerprint` signs."""
        return self._register(SIGNATURE, fingerprint, png_of(path))

    def images_for(self, fingerprint: str) -> SignatureImages:
        with UnitOfWork(self._database, self._actor) as uow:
            return images_in(uow.session, fingerprint)

    def _register(self, kind: str, fingerprint: str, png: bytes) -> ImageRegistered:
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            if kind == SIGNATURE:
                fingerprint = _registered_fingerprint(uow.session, fingerprint)
            record = uow.session.scalar(
                select(SignatureImageRecord).filter_by(kind=kind, fingerprint=fingerprint)
            )
            old = {"sha256": hashlib.sha256(record.png).hexdigest()} if record else None
            if record is None:
                record = SignatureImageRecord(
                    kind=kind, fingerprint=fingerprint, png=png, registered_at=now()
                )
                uow.session.add(record)
            record.png, record.registered_at = png, now()
            digest = hashlib.sha256(png).hexdigest()
            uow.session.flush()
            uow.audit(
                "signature_image.set",
                "signature_image",
                f"{kind}/{fingerprint}",
                old=old,
                new={"sha256": digest},
            )
            uow.commit()
        return ImageRegistered(
            kind=kind, fingerprint=fingerprint, sha256=digest, changes=Changes(office=True)
        )


def _plain(fingerprint: str) -> str:
    return fingerprint.replace(":", "").strip().upper()


def _registered_fingerprint(session, given: str) -> str:
    """The fingerprint of the registered certificate `given` names (with or without colons)."""
    for known in session.scalars(select(OfficeCertificateRecord.fingerprint)):
        if _plain(known) == _plain(given):
            return known
    raise InputRefused(
        "No certificate with the fingerprint {fingerprint} is registered for the office; "
        "register the certificate first.",
        fingerprint=given,
    )


def images_in(session, fingerprint: str) -> SignatureImages:
    found = {
        r.kind: r.png
        for r in session.scalars(
            select(SignatureImageRecord).where(
                ((SignatureImageRecord.kind == SIGNATURE) & (SignatureImageRecord.fingerprint == fingerprint))
                | (SignatureImageRecord.kind == SEAL)
            )
        )
    }
    return SignatureImages(signature=found.get(SIGNATURE), seal=found.get(SEAL))
