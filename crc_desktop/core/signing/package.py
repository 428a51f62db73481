"""Signed reference packages: the ministry publishes catalogues (recommendations, indicators with
their rules and targets, communes) signed with its key; provinces import them offline after
checking the signature, the same way the ministry checks the provinces' bundles."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

from pydantic import ValidationError

from crc_desktop import __version__
from crc_desktop.core.catalog_files import read_catalog
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import N_
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.bundle import Check, ManifestFile, SignerRef, Verification
from crc_desktop.core.signing.bundle import (
    MAX_FILE_BYTES,
    MEDIA_TYPES,
    _cms,
    _fail,
    _files,
    _open_zip,
    _read,
    _Refused,
    _zip_safety,
    sign_cms,
)
from crc_desktop.core.signing.keys import SigningMaterial, fingerprint
from crc_desktop.core.signing.trust import TrustRegistry

PACKAGE = "package.json"
PACKAGE_SIGNATURE = "package.json.p7s"


class PackageManifest(Frozen):
    format: str = "crc-desktop-reference-package"
    format_version: int = 1
    title: str
    created_at: dt.datetime
    software: str
    publisher: SignerRef
    files: list[ManifestFile]


def build_package(catalogs: list[Path], title: str, material: SigningMaterial) -> bytes:
    """A signed zip of catalogue files (each is read first, so a broken one is refused here)."""
    files: dict[str, bytes] = {}
    for path in map(Path, catalogs):
        read_catalog(path)
        if path.suffix.lower() != ".json":
            raise InputRefused(
                "{path} is not a catalogue file: use a .json, .csv or .xlsx file.", path=str(path)
            )
        files[f"catalogs/{path.name}"] = path.read_bytes()
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    manifest = PackageManifest(
        title=title,
        created_at=created,
        software=f"crc-desktop {__version__}",
        publisher=SignerRef(subject=material.subject, fingerprint_sha256=fingerprint(material.certificate)),
        files=[
            ManifestFile(
                path=p, size=len(d), sha256=hashlib.sha256(d).hexdigest(), media_type=MEDIA_TYPES[".json"]
            )
            for p, d in sorted(files.items())
        ],
    )
    manifest_bytes = json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=1).encode(
        "utf-8"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PACKAGE, manifest_bytes)
        archive.writestr(PACKAGE_SIGNATURE, sign_cms(manifest_bytes, material, created))
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()


def verify_package(path: Path, trust: TrustRegistry) -> tuple[Verification, dict[str, bytes]]:
    """The checks of a package and, when it is valid, its catalogue files by name."""
    checks: list[Check] = []
    catalogs: dict[str, bytes] = {}
    try:
        archive = _open_zip(Path(path).read_bytes())
        checks.append(_zip_safety(archive, (PACKAGE, PACKAGE_SIGNATURE)))
        data = _read(archive, PACKAGE, 16 * 1024 * 1024)
        try:
            manifest = PackageManifest.model_validate_json(data)
        except ValidationError:
            raise _fail("manifest", N_("{name} does not follow the format"), name=PACKAGE) from None
        if manifest.format != "crc-desktop-reference-package" or manifest.format_version != 1:
            raise _fail(
                "manifest",
                N_("format version {version} is not supported by this program"),
                version=manifest.format_version,
            )
        check, contents = _files(archive, manifest.files, (PACKAGE, PACKAGE_SIGNATURE))
        checks.append(check)
        check, _chain = _cms(
            _read(archive, PACKAGE_SIGNATURE, MAX_FILE_BYTES),
            data,
            trust,
            manifest.publisher.fingerprint_sha256,
            (PACKAGE, PACKAGE_SIGNATURE),
        )
        checks.append(check)
        catalogs = {Path(name).name: content for name, content in contents.items()}
    except _Refused as refused:
        checks.append(refused.check)
    return Verification(path=str(path), checks=checks), catalogs
