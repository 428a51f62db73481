"""The trust registry: which certificates a chain may end at, and which province each signer
speaks for. One folder of PEM files, read and written here only (verify, consolidate, the
signed-catalogue import and the ministry window all ask it).

- `anchor-<fingerprint>.pem`: an anchor, e.g. the Government CA's root. A chain may end at it,
  but it binds nobody to a province: with one root for every province, that would say nothing.
- `<province code>-<anything>.pem`: a certificate registered for that province. A CA
  certificate binds every signer it issued (and is itself a place a chain may end, as before);
  an end-entity certificate binds that one signer.
- any other certificate file (PEM or DER, `.pem .crt .cer .der`): an anchor. Folders written
  before the registry existed (`46-ca.pem`, …) are read the same way.

A signer is accepted for a province when its chain ends at an anchor or a registered CA, and
it is registered for that province itself or through a CA of its chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from crc_desktop.core.errors import InputRefused, NotFound, os_reason
from crc_desktop.core.files import write_atomically
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.signing.keys import fingerprint
from crc_desktop.core.signing.subjects import is_ca, province_names, readable_subject

CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der")
ANCHOR = "anchor"


class TrustEntry(Frozen):
    """One certificate of the registry, as the ministry's staff see it."""

    province: str  # "" for an anchor
    subject: str
    fingerprint: str
    is_ca: bool
    valid_from: dt.datetime
    valid_until: dt.datetime
    file: str

    @property
    def is_anchor(self) -> bool:
        return not self.province


def read_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate of a PEM file, or the one of a DER file; refuses anything else."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputRefused("Cannot read {path}: {error}", path=str(path), error=os_reason(exc)) from None
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise InputRefused("{path} is not a certificate (PEM or DER).", path=str(path)) from None


def _province_of_file(file: Path) -> str:
    code = file.name.split("-")[0]
    return code if code.isdigit() and len(code) == 2 else ""


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in CERTIFICATE_SUFFIXES)
    return [path]


class TrustRegistry:
    """The anchors and the province bindings, from a registry folder (or from the certificate
    files and folders given on a command line)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self._entries: list[tuple[str, x509.Certificate, Path]] = []  # (province, certificate, file)
        if self.folder is not None and self.folder.is_dir():
            self._read(self.folder)

    @classmethod
    def from_paths(cls, paths: Iterable[Path]) -> TrustRegistry:
        """Certificate files and registry folders, as given with `--trust` (read only)."""
        registry = cls()
        for path in map(Path, paths):
            if not path.exists():
                raise InputRefused(
                    "Cannot read {path}: {error}", path=str(path), error=os_reason(FileNotFoundError())
                )
            registry._read(path)
        return registry

    def _read(self, path: Path) -> None:
        for file in _files(path):
            province = _province_of_file(file)
            for certificate in read_certificates(file):
                self._entries.append((province, certificate, file))

    def __bool__(self) -> bool:
        return bool(self._entries)

    # -- what it says -----------------------------------------------------------------------

    def entries(self) -> list[TrustEntry]:
        return [
            TrustEntry(
                province=province,
                subject=readable_subject(certificate),
                fingerprint=fingerprint(certificate),
                is_ca=is_ca(certificate),
                valid_from=certificate.not_valid_before_utc,
                valid_until=certificate.not_valid_after_utc,
                file=file.name,
            )
            for province, certificate, file in self._entries
        ]

    def roots(self) -> list[x509.Certificate]:
        """Where a chain may end: the anchors and the CA certificates registered for a province."""
        roots, seen = [], set()
        for province, certificate, _file in self._entries:
            if (not province or is_ca(certificate)) and certificate not in seen:
                seen.add(certificate)
                roots.append(certificate)
        return roots

    def provinces_of(self, chain: list[x509.Certificate]) -> set[str]:
        """The provinces a signer is bound to: its own registration (the last certificate of its
        chain) or that of a CA of its chain."""
        signer, authorities = chain[-1], chain[:-1]
        bound = set()
        for province, certificate, _file in self._entries:
            if not province:
                continue
            if certificate == signer or (is_ca(certificate) and certificate in authorities):
                bound.add(province)
        return bound

    # -- changing it -----------------------------------------------------------------------------

    def add_anchor(self, source: Path) -> list[TrustEntry]:
        """Register a root (or any CA) that chains may end at; it binds no province."""
        return self._add(ANCHOR, "", source)

    def add(self, province: str, source: Path) -> list[TrustEntry]:
        """Register a certificate for a province: a CA binds what it issues, an end-entity
        certificate binds that signer only."""
        province = province.strip()
        if province not in province_names():
            raise InputRefused("{code} is not the code of a province.", code=province)
        return self._add(province, province, source)

    def _add(self, prefix: str, province: str, source: Path) -> list[TrustEntry]:
        folder = self._writable()
        added = []
        for certificate in read_certificates(source):
            known = [e for e in self._entries if e[1] == certificate and e[0] == province]
            if known:
                added.append(certificate)
                continue
            short = fingerprint(certificate).replace(":", "")[:16].lower()
            target = folder / f"{prefix}-{short}.pem"
            pem = certificate.public_bytes(Encoding.PEM)
            write_atomically(target, lambda stream, pem=pem: stream.write(pem))
            self._entries.append((province, certificate, target))
            added.append(certificate)
        return [e for e in self.entries() if any(fingerprint(c) == e.fingerprint for c in added)]

    def remove(self, certificate_fingerprint: str) -> list[TrustEntry]:
        """Take a certificate out of the registry (every binding of it)."""
        self._writable()
        wanted = _normalised(certificate_fingerprint)
        gone = [e for e in self._entries if _normalised(fingerprint(e[1])) == wanted]
        if not gone:
            raise NotFound(
                "No certificate with the fingerprint {fingerprint} is registered.",
                fingerprint=certificate_fingerprint,
            )
        removed = [entry for entry in self.entries() if _normalised(entry.fingerprint) == wanted]
        for file in {entry[2] for entry in gone}:
            kept = [e[1] for e in self._entries if e[2] == file and e not in gone]
            if kept:
                pem = b"".join(c.public_bytes(Encoding.PEM) for c in kept)
                write_atomically(file, lambda stream, pem=pem: stream.write(pem))
            else:
                file.unlink(missing_ok=True)
        self._entries = [e for e in self._entries if e not in gone]
        return removed

    def _writable(self) -> Path:
        if self.folder is None:
            raise InputRefused("Give the trust folder (--trust DIR).")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputRefused(
                "Cannot create the folder {path}: {error}", path=str(self.folder), error=os_reason(exc)
            ) from None
        return self.folder


def _normalised(text: str) -> str:
    return text.replace(":", "").replace(" ", "").lower()
