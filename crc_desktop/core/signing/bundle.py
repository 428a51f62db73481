"""Building and verifying the signed report bundle (format version 1, docs/bundle-format.md).

A bundle is one zip: manifest.json (every other file with its size and SHA-256),
manifest.json.p7s (a detached CMS signature over the manifest's exact bytes, with the
signer's chain), report.pdf (itself PAdES-signed), data/*.json, data/values.csv and the JSON
Schemas of the data. Verification checks, in order: zip safety, the manifest, every file,
the CMS signature and its chain, the PDF's own signature, and that the data is the data the
report was made from. It says which check failed and why.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import itertools
import json
import math
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pydantic_core
from cryptography import x509
from pydantic import ValidationError

from crc_desktop import __version__
from crc_desktop.core.errors import Msgid, os_reason
from crc_desktop.core.i18n import N_
from crc_desktop.core.progress import NO_PROGRESS, Progress
from crc_desktop.core.schemas.bundle import (
    BUNDLE_FORMAT,
    BUNDLE_VERSION,
    BUNDLE_VERSIONS,
    SCHEMAS,
    Check,
    DocumentRef,
    IndicatorData,
    Manifest,
    ManifestFile,
    PlanData,
    ReportTextData,
    SignerRef,
    ValueData,
    Verification,
)
from crc_desktop.core.schemas.programmes import ProgrammeData
from crc_desktop.core.schemas.snapshot import VALUES, PeriodSnapshot, Value, data_digest
from crc_desktop.core.signing.appearance import (
    SignatureLook,
    SignaturePlace,
    appearance_pdf,
    seal_overhang,
)
from crc_desktop.core.signing.keys import SigningMaterial, fingerprint
from crc_desktop.core.signing.subjects import province_label, readable_subject
from crc_desktop.core.signing.trust import TrustRegistry

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.p7s"
REPORT = "report.pdf"
MAX_ENTRIES = 1000
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200
CHECK_NAMES = {
    "zip": N_("zip safety"),
    "manifest": N_("manifest"),
    "files": N_("files"),
    "signature": N_("signature of the manifest"),
    "report": N_("signature of the report"),
    "data": N_("data"),
    "file": N_("file"),
}
MEDIA_TYPES = {".json": "application/json", ".csv": "text/csv", ".pdf": "application/pdf"}


def _json(model) -> bytes:
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=1).encode("utf-8")


def _values_json(snapshot: PeriodSnapshot) -> bytes:
    """data/values.json (a `ValueData`), one value per line, serialised a batch at a time rather
    than as one object graph of the whole period."""
    out = io.BytesIO()
    province = json.dumps(snapshot.province.model_dump(mode="json"), ensure_ascii=False)
    out.write(f'{{"province": {province}, "period": {json.dumps(snapshot.period.code)}, "values": ['.encode())
    values = iter(snapshot.values)
    separator = b"\n"
    while batch := list(itertools.islice(values, 4096)):
        for value in VALUES.dump_python(batch, mode="json"):
            out.write(separator + json.dumps(value, ensure_ascii=False).encode("utf-8"))
            separator = b",\n"
    out.write(b"\n]}\n")
    return out.getvalue()


def bundle_name(province_code: str, period: str, sequence: int) -> str:
    return f"CRC-{province_code}-{period}-v{sequence}.zip"


def sign_pdf(
    pdf: bytes,
    material: SigningMaterial,
    reason: str,
    *,
    place: SignaturePlace | None = None,
    look: SignatureLook | None = None,
) -> bytes:
    """The PDF with a PAdES B-B signature covering the whole file; with a `place` and a `look`,
    the signature is visible there (Decree 30, Annex I), otherwise it has no appearance."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name="CRCDesktop",
        md_algorithm="sha256",
        reason=reason,
        location="Việt Nam",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    if place is None or look is None:
        return signers.sign_pdf(writer, metadata, signer=material.signer).getvalue()
    import tempfile

    from pyhanko.pdf_utils import layout
    from pyhanko.stamp import StaticStampStyle

    x1, y1, x2, y2 = place.box
    overhang = seal_overhang(look, y2 - y1)  # a seal larger than the space reaches beyond it
    # whole points: pyHanko gives the appearance a whole-point box, and any fraction would
    # scale the drawing (and the seal's real size) to fit it
    box = (math.ceil(x1), math.floor(y1 - overhang), math.floor(x2), math.ceil(y2 + overhang))
    spec = fields.SigFieldSpec(sig_field_name="CRCDesktop", on_page=place.page, box=box)
    with tempfile.TemporaryDirectory(prefix="crc-stamp-") as folder:
        # pyHanko's public way to use a drawn page as the appearance reads it from a file
        drawn = Path(folder) / "appearance.pdf"
        drawn.write_bytes(
            appearance_pdf(look, box[2] - box[0], y2 - y1, below=y1 - box[1], page_height=box[3] - box[1])
        )
        # drawn as it is, at its own size and colours: no margin (pyHanko's default of 5 pt
        # shrank it, and the seal with it), no border, fully opaque (the default is 60 %)
        style = StaticStampStyle.from_pdf_file(
            str(drawn),
            border_width=0,
            background_opacity=1.0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),
            ),
        )
        signer = signers.PdfSigner(metadata, signer=material.signer, stamp_style=style, new_field_spec=spec)
        out = io.BytesIO()
        signer.sign_pdf(writer, output=out)
    return out.getvalue()


def sign_cms(data: bytes, material: SigningMaterial, at: dt.datetime) -> bytes:
    """A detached CMS SignedData (DER) over the exact bytes of `data`, with the signer's chain and
    the signing time (verifiers check the certificate was valid then)."""
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    content = asyncio.run(
        material.signer.async_sign_general_data(
            data, "sha256", detached=True, signed_attr_settings=PdfCMSSignedAttributes(signing_time=at)
        )
    )
    return content.dump()


def build_bundle(
    snapshot: PeriodSnapshot,
    report_pdf: bytes,
    sdmx_csv: bytes,
    material: SigningMaterial,
    *,
    sequence: int,
    supersedes: str | None,
    progress: Progress = NO_PROGRESS,
    now: dt.datetime | None = None,
    document: DocumentRef | None = None,
    place: SignaturePlace | None = None,
    look: Callable[[dt.datetime], SignatureLook] | None = None,
) -> bytes:
    """The bundle as bytes; nothing is written anywhere. `place` and `look` (given the signing
    time) make the report's signature visible."""
    progress.step(0.1, "PDF")
    created = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    files: dict[str, bytes] = {
        REPORT: sign_pdf(
            report_pdf,
            material,
            f"Báo cáo kỳ {snapshot.period.code}",
            place=place,
            look=look(created) if look else None,
        ),
    }
    progress.step(0.4, "data")
    files["data/plan.json"] = _json(
        PlanData(
            office=snapshot.office,
            period=snapshot.period,
            task_groups=snapshot.task_groups,
            tasks=snapshot.tasks,
            recommendations=snapshot.recommendations,
        )
    )
    files["data/indicators.json"] = _json(
        IndicatorData(indicators=snapshot.indicators, areas=snapshot.areas, figures=snapshot.figures)
    )
    files["data/values.json"] = _values_json(snapshot)
    files["data/values.csv"] = sdmx_csv
    if snapshot.report_text:  # a bundle without the office's text reads as bundles did before it
        files["data/report.json"] = _json(ReportTextData(sections=snapshot.report_text))
    if snapshot.programmes:
        files["data/programmes.json"] = _json(ProgrammeData(programmes=snapshot.programmes))
    for name, model in SCHEMAS.items():
        files[f"schemas/{name}.schema.json"] = json.dumps(
            model.model_json_schema(), ensure_ascii=False, indent=1
        ).encode("utf-8")
    progress.step(0.7, "manifest")
    manifest = Manifest(
        format=BUNDLE_FORMAT,
        format_version=BUNDLE_VERSION,
        province=snapshot.province,
        period=snapshot.period.code,
        sequence=sequence,
        supersedes=supersedes,
        created_at=created,
        software=f"crc-desktop {__version__}",
        recipient=snapshot.recipient,
        audit_chain_head=snapshot.audit_head,
        data_sha256=snapshot.digest(),
        demo=snapshot.demo,
        document=document,
        signer=SignerRef(subject=material.subject, fingerprint_sha256=fingerprint(material.certificate)),
        files=[
            ManifestFile(
                path=path,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                media_type=MEDIA_TYPES[Path(path).suffix],
            )
            for path, data in sorted(files.items())
        ],
    )
    manifest_bytes = _json(manifest)
    signature = sign_cms(manifest_bytes, material, created)
    progress.step(0.9, "zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, signature)
        for path, data in sorted(files.items()):
            archive.writestr(path, data)
    return buffer.getvalue()


# -- verification -------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, check: Check) -> None:
        super().__init__(check.detail)
        self.check = check


def _fail(check: str, detail: str, **params) -> _Refused:
    return _Refused(Check(name=check, ok=False, detail=detail, params=params))


ValueSink = Callable[[list[Value]], object]


def verify_bundle(path: Path, trust: TrustRegistry) -> Verification:
    """Every check, in order, until one fails; a bundle is valid when all pass. The values are
    checked and hashed a batch at a time, never all held as objects."""
    return open_bundle(path, trust, values_to=lambda _batch: None)[0]


def open_bundle(
    path: Path, trust: TrustRegistry, *, values_to: ValueSink | None = None
) -> tuple[Verification, PeriodSnapshot | None]:
    """The checks of a bundle and, when it is valid, its data (read once, for consolidation).
    Given `values_to`, the values are handed to it a checked batch at a time instead of being
    kept in the snapshot (whose `values` are then empty): use them only if the bundle is valid."""
    path = Path(path)
    checks: list[Check] = []
    manifest = None
    digest = ""
    snapshot = None
    try:
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        archive = _open_zip(raw)
        checks.append(_zip_safety(archive))
        manifest_bytes, manifest = _manifest(archive)
        checks.append(
            Check(
                name="manifest",
                ok=True,
                detail=N_("manifest valid, format version {version}"),
                params={"version": manifest.format_version},
            )
        )
        check, contents = _files(archive, manifest.files, keep=_READ_AGAIN)
        checks.append(check)
        signature = _read(archive, SIGNATURE, MAX_FILE_BYTES)
        check, chain = _cms(signature, manifest_bytes, trust, manifest.signer.fingerprint_sha256)
        _bound_to_province(trust, chain, manifest.province.code)
        checks.append(check)
        checks.append(_pdf(contents[REPORT], trust, manifest.signer.fingerprint_sha256))
        check, snapshot = _data(contents, manifest, values_to)
        checks.append(check)
    except _Refused as refused:
        checks.append(refused.check)
    except OSError as exc:
        reason = os_reason(exc)  # a message of its own, or the system's words
        if isinstance(reason, Msgid):
            checks.append(Check(name="file", ok=False, detail=reason))
        else:
            detail = N_("cannot read the file: {error}")
            checks.append(Check(name="file", ok=False, detail=detail, params={"error": reason}))
    verification = Verification(path=str(path), checks=checks, manifest=manifest, bundle_sha256=digest)
    return verification, snapshot if verification.valid else None


def _open_zip(raw: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise _fail("zip", N_("not a zip file")) from None


def _zip_safety(archive: zipfile.ZipFile, required: tuple[str, ...] = (MANIFEST, SIGNATURE, REPORT)) -> Check:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _fail("zip", N_("too many entries ({count})"), count=len(infos))
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        normalised = posixpath.normpath(name)
        if (
            name.startswith(("/", "\\"))
            or "\\" in name
            or ":" in name
            or normalised.startswith("..")
            or normalised != name
            or info.is_dir()
        ):
            raise _fail("zip", N_("unsafe entry name {name}"), name=name)
        if name in seen:
            raise _fail("zip", N_("the entry {name} appears twice"), name=name)
        seen.add(name)
        if info.file_size > MAX_FILE_BYTES:
            raise _fail(
                "zip", N_("the entry {name} is too large ({size} bytes)"), name=name, size=info.file_size
            )
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise _fail(
                "zip",
                N_("the entry {name} expands {ratio} times (a zip bomb?)"),
                name=name,
                ratio=info.file_size // info.compress_size,
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _fail("zip", N_("the bundle expands to {size} bytes, more than allowed"), size=total)
    for name in required:
        if name not in seen:
            raise _fail("zip", N_("the entry {name} is missing"), name=name)
    return Check(
        name="zip", ok=True, detail=N_("{count} entries, names and sizes safe"), params={"count": len(infos)}
    )


def _read(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """An entry's bytes, refused when it is larger than `limit` or damaged (CRC, compression)."""
    try:
        with archive.open(name) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _fail(
            "zip", N_("the entry {name} is damaged (its checksum or compression is broken)"), name=name
        ) from None
    if len(data) > limit:
        raise _fail("zip", N_("the entry {name} is larger than it says"), name=name)
    return data


def _manifest(archive: zipfile.ZipFile) -> tuple[bytes, Manifest]:
    data = _read(archive, MANIFEST, 16 * 1024 * 1024)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _fail("manifest", N_("manifest.json is not UTF-8 text")) from None
    except json.JSONDecodeError as exc:
        raise _fail(
            "manifest",
            N_("manifest.json is not valid JSON (line {line}, column {column})"),
            line=exc.lineno,
            column=exc.colno,
        ) from None
    if isinstance(parsed, dict) and parsed.get("format_version") not in (None, *BUNDLE_VERSIONS):
        raise _fail(
            "manifest",
            N_("format version {version} is not supported by this program"),
            version=parsed.get("format_version"),
        )
    try:
        return data, Manifest.model_validate(parsed)
    except ValidationError as exc:
        raise _fail(
            "manifest",
            N_("manifest.json does not follow the format: the field {field} is missing or wrong"),
            field=_field(exc),
        ) from None


def _field(error: ValidationError) -> str:
    """Where a file first breaks its schema ("files.3.sha256"), without pydantic's English."""
    return ".".join(map(str, error.errors()[0]["loc"])) or "?"


_READ_AGAIN = (
    REPORT,
    "data/plan.json",
    "data/indicators.json",
    "data/values.json",
    "data/report.json",
    "data/programmes.json",
)


def _files(
    archive: zipfile.ZipFile,
    entries: list[ManifestFile],
    signed: tuple[str, str] = (MANIFEST, SIGNATURE),
    keep: tuple[str, ...] | None = None,
) -> tuple[Check, dict[str, bytes]]:
    """Every listed file read once and checked against the manifest; the bytes of those the
    checks that follow read again (of `keep`; all when it is None)."""
    listed = {entry.path: entry for entry in entries}
    contents: dict[str, bytes] = {}
    present = set(archive.namelist()) - set(signed)
    for name in sorted(present - set(listed)):
        raise _fail("files", N_("{name} is in the bundle but not in the manifest"), name=name)
    for name in sorted(set(listed) - present):
        raise _fail("files", N_("{name} is in the manifest but missing from the bundle"), name=name)
    for name, entry in sorted(listed.items()):
        kept = keep is None or name in keep
        size, digest, data = _measure(archive, name, kept)
        if size != entry.size:
            raise _fail(
                "files",
                N_("{name} has {actual} bytes, the manifest says {expected}"),
                name=name,
                actual=size,
                expected=entry.size,
            )
        if digest != entry.sha256:
            raise _fail("files", N_("{name} was changed: its SHA-256 does not match the manifest"), name=name)
        if kept:
            contents[name] = data
    check = Check(
        name="files",
        ok=True,
        detail=N_("{count} files, sizes and SHA-256 match"),
        params={"count": len(listed)},
    )
    return check, contents


def _measure(archive: zipfile.ZipFile, name: str, keep: bool) -> tuple[int, str, bytes]:
    """An entry's size and SHA-256, and its bytes if `keep` (else it is read in pieces)."""
    if keep:
        data = _read(archive, name, MAX_FILE_BYTES)
        return len(data), hashlib.sha256(data).hexdigest(), data
    hasher, size = hashlib.sha256(), 0
    try:
        with archive.open(name) as stream:
            while piece := stream.read(1 << 20):
                size += len(piece)
                if size > MAX_FILE_BYTES:
                    raise _fail("zip", N_("the entry {name} is larger than it says"), name=name)
                hasher.update(piece)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _fail(
            "zip", N_("the entry {name} is damaged (its checksum or compression is broken)"), name=name
        ) from None
    return size, hasher.hexdigest(), b""


def _validation_context(trust: TrustRegistry, moment: dt.datetime | None = None):
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(c.public_bytes(_der())) for c in trust.roots()]
    return ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=moment
    )


def _der():
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def _certificate(asn1_certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(asn1_certificate.dump())


_UNTRUSTED = {
    "chain": N_(
        "the signer {subject} is not trusted here: its certificate does not lead to a registered "
        "certificate or anchor"
    ),
    "revoked": N_("the signer {subject} is not trusted here: its certificate was revoked"),
    "time": N_("the signer {subject} is not trusted here: the certificate was not valid when signing"),
    "other": N_("the signer {subject} is not trusted here: its certificate could not be validated"),
}


def _trust_problem(indication) -> str:
    """Which of the _UNTRUSTED reasons an AdES indication is (its name never reaches a message)."""
    name = getattr(indication, "name", "") or ""
    if "CHAIN" in name or "SIGNING_CERTIFICATE_FOUND" in name:
        return "chain"
    if "REVOKED" in name:
        return "revoked"
    if name in ("EXPIRED", "NOT_YET_VALID") or "OUT_OF_BOUNDS" in name:
        return "time"
    return "other"


def _cms(
    signature: bytes,
    manifest_bytes: bytes,
    trust: TrustRegistry,
    expected_signer: str | None,
    names: tuple[str, str] = (MANIFEST, SIGNATURE),
) -> tuple[Check, list[x509.Certificate]]:
    """The signature check, and the signer's validated chain (root first, signer last)."""
    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

    try:
        content = cms.ContentInfo.load(signature)
        signed_data = content["content"]
        signer_info = signed_data["signer_infos"][0]
    except Exception:
        raise _fail("signature", N_("{name} is not a CMS signature"), name=names[1]) from None
    moment = _signing_time(signer_info)
    if not trust:
        raise _fail("signature", N_("no trusted certificate was given (--trust)"))
    try:
        status = asyncio.run(
            async_validate_detached_cms(
                manifest_bytes, signed_data, signer_validation_context=_validation_context(trust, moment)
            )
        )
    except Exception:  # noqa: BLE001 - a malformed signature; the library's words mean nothing here
        raise _fail("signature", N_("{name} is not a CMS signature"), name=names[1]) from None
    signer = _certificate(status.signing_cert)
    subject = readable_subject(signer)
    if not status.intact or not status.valid:
        raise _fail(
            "signature", N_("the signature does not match {name} (edited or replaced)"), name=names[0]
        )
    if status.trust_problem_indic is not None or status.validation_path is None:
        raise _fail("signature", _UNTRUSTED[_trust_problem(status.trust_problem_indic)], subject=subject)
    if expected_signer is not None and fingerprint(signer) != expected_signer:
        raise _fail("signature", N_("the manifest names another signer than the one who signed it"))
    chain = [_certificate(c) for c in status.validation_path]
    check = Check(
        name="signature",
        ok=True,
        detail=N_("signed by {subject} on {time}, chain trusted"),
        params={"subject": subject, "time": moment.strftime("%d/%m/%Y %H:%M") if moment else "?"},
    )
    return check, chain


def _bound_to_province(trust: TrustRegistry, chain: list[x509.Certificate], claimed: str) -> None:
    """Refuses a signer not registered for the province the bundle claims (itself or its CA)."""
    bound = trust.provinces_of(chain)
    if claimed in bound:
        return
    subject = readable_subject(chain[-1])
    if not bound:
        raise _fail(
            "signature",
            N_(
                "the bundle says it is from {claimed}, but its signer {subject} is registered for no province"
            ),
            claimed=province_label(claimed),
            subject=subject,
        )
    raise _fail(
        "signature",
        N_("the bundle says it is from {claimed}, but its signer {subject} is registered for {registered}"),
        claimed=province_label(claimed),
        subject=subject,
        registered=", ".join(province_label(code) for code in sorted(bound)),
    )


def _signing_time(signer_info) -> dt.datetime | None:
    for attribute in signer_info["signed_attrs"]:
        if attribute["type"].native == "signing_time":
            return attribute["values"][0].native
    return None


def _pdf(pdf: bytes, trust: TrustRegistry, expected_signer: str) -> Check:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        signatures = reader.embedded_signatures
    except Exception:
        raise _fail("report", N_("report.pdf is not a readable PDF")) from None
    if not signatures:
        raise _fail("report", N_("report.pdf carries no signature"))
    try:
        status = validate_pdf_signature(
            signatures[-1], _validation_context(trust, signatures[-1].self_reported_timestamp)
        )
    except Exception:  # noqa: BLE001 - a malformed signature dictionary
        raise _fail("report", N_("the signature of report.pdf does not match its content")) from None
    if not status.intact or not status.valid:
        raise _fail("report", N_("the signature of report.pdf does not match its content"))
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise _fail(
            "report",
            N_("report.pdf was changed after it was signed (the signature does not cover the whole file)"),
        )
    if status.trust_problem_indic is not None:
        subject = readable_subject(_certificate(status.signing_cert))
        raise _fail("report", _UNTRUSTED[_trust_problem(status.trust_problem_indic)], subject=subject)
    if fingerprint(_certificate(status.signing_cert)) != expected_signer:
        raise _fail("report", N_("report.pdf was signed by another signer than the manifest"))
    return Check(name="report", ok=True, detail=N_("report.pdf signed (PAdES), covering the whole file"))


def _data(
    contents: dict[str, bytes], manifest: Manifest, values_to: ValueSink | None
) -> tuple[Check, PeriodSnapshot]:
    """The data files follow their schemas and hash to `data_sha256`; the snapshot (its values
    kept, or handed to `values_to` a batch at a time)."""
    try:
        plan = PlanData.model_validate_json(contents["data/plan.json"])
        indicators = IndicatorData.model_validate_json(contents["data/indicators.json"])
        if values_to is None:
            values = ValueData.model_validate_json(contents.pop("data/values.json")).values
            streamed = None
        else:  # plain JSON (strings shared), validated and hashed a batch at a time
            raw = pydantic_core.from_json(contents.pop("data/values.json"), cache_strings=True)
            ValueData.model_validate({**raw, "values": []} if isinstance(raw, dict) else raw)
            values, streamed = [], _validated(raw["values"], values_to)
        snapshot = PeriodSnapshot(
            province=manifest.province,
            office=plan.office,
            period=plan.period,
            recipient=manifest.recipient,
            demo=manifest.demo,
            task_groups=plan.task_groups,
            tasks=plan.tasks,
            recommendations=plan.recommendations,
            indicators=indicators.indicators,
            areas=indicators.areas,
            values=values,
            audit_head=manifest.audit_chain_head,
            report_text=_report_text(contents),
            programmes=_programmes(contents),
            figures=indicators.figures,
        )
        if streamed is None:
            digest = snapshot.digest()
        else:
            digest = data_digest(snapshot.hashed_fields(), streamed)
    except ValidationError as exc:
        raise _fail(
            "data",
            N_("the data files do not follow their schemas: the field {field} is missing or wrong"),
            field=_field(exc),
        ) from None
    except (KeyError, TypeError, ValueError):  # a file missing, or not JSON: the library's words mean nothing
        raise _fail("data", N_("the data files do not follow their schemas")) from None
    if digest != manifest.data_sha256:
        raise _fail("data", N_("the data is not the data the report was made from"))
    check = Check(
        name="data",
        ok=True,
        detail=N_("data matches the report's data hash {hash}"),
        params={"hash": manifest.data_sha256[:16] + "…"},
    )
    return check, snapshot


def _report_text(contents: dict[str, bytes]) -> list:
    """The office's text (data/report.json), none in a bundle made before it existed."""
    if "data/report.json" not in contents:
        return []
    return ReportTextData.model_validate_json(contents["data/report.json"]).sections


def _programmes(contents: dict[str, bytes]) -> list:
    """What is folded into programmes (data/programmes.json), none in an earlier bundle."""
    if "data/programmes.json" not in contents:
        return []
    return ProgrammeData.model_validate_json(contents["data/programmes.json"]).programmes


def _validated(raw: list, values_to: ValueSink) -> Iterator[Value]:
    """The values of data/values.json checked against their schema, a batch at a time, each
    batch also handed to `values_to`."""
    if not isinstance(raw, list):
        raise TypeError("values: not a list")
    for start in range(0, len(raw), 4096):
        batch = VALUES.validate_python(raw[start : start + 4096])
        values_to(batch)
        yield from batch
