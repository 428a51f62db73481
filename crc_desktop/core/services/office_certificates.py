"""Who may sign for this office: the certificates registered for it, and the check that export
makes before anything is written. Registering a second certificate, or removing one, needs a
reason; every change is in the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import OfficeCertificateRecord
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import InputRefused, NotFound
from crc_desktop.core.schemas.certificates import CertificateChanged, OfficeCertificate
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.screens import where
from crc_desktop.core.signing.keys import fingerprint
from crc_desktop.core.signing.subjects import is_ca, readable_name, readable_subject
from crc_desktop.core.signing.trust import read_certificates


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


_OFFICE = Changes(office=True)  # the certificates that may sign for the office


def _schema(record: OfficeCertificateRecord) -> OfficeCertificate:
    return OfficeCertificate(
        fingerprint=record.fingerprint,
        subject=record.subject,
        issuer=record.issuer,
        valid_from=record.not_before,
        valid_until=record.not_after,
        registered_at=record.registered_at,
        registered_by=record.registered_by,
    )


class SignerNotRegistered(InputRefused):
    """Export refused: the key's certificate does not sign for this office. `first` when no
    certificate is registered yet (the GUI then offers to register this one)."""

    def __init__(self, message: str, certificate: x509.Certificate, first: bool, **params) -> None:
        super().__init__(message, **params)
        self.certificate_der = certificate.public_bytes(Encoding.DER)
        self.first = first


def require_registered_signer(database: Database, actor: Actor, certificate: x509.Certificate) -> None:
    """Refuses to sign with a certificate not registered for this office (called by export before
    it writes anything)."""
    with UnitOfWork(database, actor) as uow:
        registered = list(uow.session.scalars(select(OfficeCertificateRecord.fingerprint)))
    if fingerprint(certificate) in registered:
        return
    subject = readable_subject(certificate)
    if not registered:
        raise SignerNotRegistered(
            "No certificate is registered to sign for this office yet. Register {subject} on {place} "
            "or with `crc-desktop office certificate add`, then sign again.",
            certificate,
            True,
            subject=subject,
            place=where("office_signature"),
        )
    raise SignerNotRegistered(
        "The certificate {subject} is not registered to sign for this office; nothing was signed. "
        "Sign with the office's registered certificate, or register this one (with a reason) on "
        "{place}.",
        certificate,
        False,
        subject=subject,
        place=where("office_signature"),
    )


class OfficeCertificateService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def registered(self) -> list[OfficeCertificate]:
        with UnitOfWork(self._database, self._actor) as uow:
            records = uow.session.scalars(
                select(OfficeCertificateRecord).order_by(OfficeCertificateRecord.registered_at)
            )
            return [_schema(r) for r in records]

    def register_file(self, path: Path, reason: str = "") -> CertificateChanged:
        """The signer's certificate of a PEM or DER file (a CA certificate beside it is skipped)."""
        certificates = read_certificates(path)
        signers = [c for c in certificates if not is_ca(c)]
        if not signers:
            raise InputRefused(
                "{path} holds only CA certificates; give the signer's own certificate.", path=str(path)
            )
        return self.register(signers[0].public_bytes(Encoding.DER), reason)

    def register(self, certificate_der: bytes, reason: str = "") -> CertificateChanged:
        certificate = x509.load_der_x509_certificate(certificate_der)
        reason = reason.strip()
        if is_ca(certificate):
            raise InputRefused("This is a CA certificate, not a signer's; give the signer's own certificate.")
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            known = {r.fingerprint: r for r in uow.session.scalars(select(OfficeCertificateRecord))}
            key = fingerprint(certificate)
            if key in known:
                raise InputRefused(
                    "The certificate {subject} is already registered for this office.",
                    subject=known[key].subject,
                )
            if known and not reason:
                raise InputRefused(
                    "This office already has a registered certificate: say why another one may sign "
                    "(--reason)."
                )
            record = OfficeCertificateRecord(
                fingerprint=key,
                subject=readable_subject(certificate),
                issuer=readable_name(certificate.issuer),
                not_before=_naive_utc(certificate.not_valid_before_utc),
                not_after=_naive_utc(certificate.not_valid_after_utc),
                pem=certificate.public_bytes(Encoding.PEM).decode("ascii"),
                registered_at=now(),
                registered_by=self._actor.user_name or self._actor.os_user,
            )
            uow.session.add(record)
            uow.session.flush()
            uow.audit(
                "certificate.register",
                "office_certificate",
                key,
                new={"subject": record.subject, "issuer": record.issuer},
                reason=reason,
            )
            result = _schema(record)
            uow.commit()
        return CertificateChanged.of(result, _OFFICE)

    def remove(self, certificate_fingerprint: str, reason: str) -> CertificateChanged:
        reason = reason.strip()
        if not reason:
            raise InputRefused("Say why this certificate may no longer sign for the office (--reason).")
        wanted = certificate_fingerprint.replace(":", "").replace(" ", "").upper()
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            record = next(
                (
                    r
                    for r in uow.session.scalars(select(OfficeCertificateRecord))
                    if r.fingerprint.replace(":", "") == wanted
                ),
                None,
            )
            if record is None:
                raise NotFound(
                    "No certificate with the fingerprint {fingerprint} is registered.",
                    fingerprint=certificate_fingerprint,
                )
            result = _schema(record)
            uow.session.delete(record)
            uow.audit(
                "certificate.remove",
                "office_certificate",
                record.fingerprint,
                old={"subject": record.subject, "issuer": record.issuer},
                reason=reason,
            )
            uow.commit()
        return CertificateChanged.of(result, _OFFICE)
