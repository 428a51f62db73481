"""Thirty-four demo provinces, each with its own keys, exporting a signed bundle (small scale)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from crc_desktop.app import Paths, open_app
from crc_desktop.core.ministry.views import provinces
from crc_desktop.core.services.snapshot import SnapshotService
from crc_desktop.core.signing.keys import load_p12, new_test_keys

PASSPHRASE = b"province-pass"


@dataclass
class Provinces:
    folder: Path
    bundles: Path
    trust: Path
    databases: dict[str, Path]
    keys: dict[str, object]
    totals: dict[tuple[str, str], float | None]  # (province, indicator key) → its own province total


def approve(context, period: str = "2025") -> None:
    import sqlite3

    connection = sqlite3.connect(context.database.path)
    connection.execute("UPDATE reporting_period SET state = 'approved' WHERE code = ?", (period,))
    connection.commit()
    connection.close()


@pytest.fixture(scope="session")
def national_inputs(tmp_path_factory) -> Provinces:
    folder = tmp_path_factory.mktemp("provinces")
    bundles, trust = folder / "bundles", folder / "trust"
    bundles.mkdir()
    trust.mkdir()
    result = Provinces(folder, bundles, trust, {}, {}, {})
    home = Paths(folder / "home", folder / "home", folder / "home")
    for index, (code, _name) in enumerate(provinces()):
        db = folder / f"{code}.db"
        context = open_app(db, home, create=True, user_name="Lê Thị Hoa")
        context.demo.build("small", seed=index + 1, province=code)
        approve(context)
        keys = new_test_keys(folder / "keys" / code, f"Sở Y tế tỉnh {code}", code, PASSPHRASE, key_bits=2048)
        shutil.copy(keys.ca_certificate, trust / f"{code}-ca.pem")
        snapshot = SnapshotService(context.database, context.actor).take("2025")
        for value in snapshot.values:
            if value.area == code and value.cell == "total":
                result.totals[(code, value.indicator)] = value.number
        context.certificates.register_file(Path(keys.certificate))
        context.export.export("2025", load_p12(Path(keys.p12), PASSPHRASE), bundles)
        context.close()
        result.databases[code], result.keys[code] = db, keys
    return result


POSTGRES_URL = os.environ.get("CRC_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite"] + (["postgresql"] if POSTGRES_URL else []))
def store_target(request, tmp_path) -> str:
    """A fresh national store: an SQLite file, and PostgreSQL when CI provides one."""
    if request.param == "sqlite":
        return str(tmp_path / "national.db")
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return POSTGRES_URL


# -- one root for every province, as the Government CA issues -------------------------------------


@dataclass
class GovernmentPki:
    """A test root (standing for "RootCA chuyên dùng Chính phủ G2"), an intermediate CA, and the
    end-entity certificates it issued to Huế (46) and Thành phố Hồ Chí Minh (79); each province's
    bundle signed by its own office, and a bundle of 46 signed consistently with 79's certificate."""

    root: Path
    certificates: dict[str, Path]  # province code → its signer's certificate (DER)
    p12: dict[str, Path]
    bundles: dict[str, Path]
    forged: Path  # CRC-46 signed by 79's certificate, registered in 46's database by mistake
    databases: dict[str, Path]


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool, days: int = 400):
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID

    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(not ca, not ca, False, False, False, ca, ca, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
    return builder.sign(signing_key, hashes.SHA256())


def _name(common: str, organisation: str, province: str = ""):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province:
        parts.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province))
    parts += [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common),
    ]
    return x509.Name(parts)


@pytest.fixture(scope="session")
def government_pki(tmp_path_factory, small_demo_file) -> GovernmentPki:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    from crc_desktop.core.db.engine import backup_file

    folder = tmp_path_factory.mktemp("government")
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("RootCA thử nghiệm (không phải thật)", "Ban Cơ yếu Chính phủ (thử)")
    root = _certificate(root_name, root_name, root_key.public_key(), root_key, ca=True, days=3000)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("CA phục vụ các cơ quan Nhà nước (thử)", "Ban Cơ yếu Chính phủ (thử)")
    ca = _certificate(ca_name, root_name, ca_key.public_key(), root_key, ca=True, days=2000)
    (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    result = GovernmentPki(folder / "root.pem", {}, {}, {}, Path(), {})
    offices = {"46": "Sở Y tế thành phố Huế", "79": "Sở Y tế Thành phố Hồ Chí Minh"}
    for code, office in offices.items():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _certificate(_name(office, office, code), ca_name, key.public_key(), ca_key, ca=False)
        result.certificates[code] = folder / f"{code}-signer.cer"
        result.certificates[code].write_bytes(cert.public_bytes(serialization.Encoding.DER))
        result.p12[code] = folder / f"{code}.p12"
        result.p12[code].write_bytes(
            pkcs12.serialize_key_and_certificates(
                code.encode(), key, cert, [ca], serialization.BestAvailableEncryption(PASSPHRASE)
            )
        )
    home = Paths(folder / "home", folder / "home", folder / "home")
    for index, code in enumerate(offices):
        db = folder / f"{code}.db"
        if code == "46":
            backup_file(small_demo_file, db)
            context = open_app(db, home, user_name="Lê Thị Hoa")
        else:
            context = open_app(db, home, create=True, user_name="Lê Thị Hoa")
            context.demo.build("small", seed=index + 7, province=code)
        approve(context)
        context.certificates.register_file(result.certificates[code])
        out = folder / "bundles" / code
        out.mkdir(parents=True)
        exported = context.export.export("2025", load_p12(result.p12[code], PASSPHRASE), out)
        result.bundles[code] = Path(exported.path)
        context.close()
        result.databases[code] = db
    forged_db = backup_file(result.databases["46"], folder / "46-forged.db")
    context = open_app(forged_db, home, user_name="Lê Thị Hoa")
    context.periods.reopen("2025", "Ký lại")
    approve(context)
    context.certificates.register_file(result.certificates["79"], "Mượn tạm token của đơn vị khác")
    (folder / "forged").mkdir()
    forged = context.export.export("2025", load_p12(result.p12["79"], PASSPHRASE), folder / "forged")
    result.forged = Path(forged.path)
    context.close()
    return result


@pytest.fixture
def government_trust(government_pki, tmp_path) -> Path:
    """The ministry's registry: the root as anchor, each province's signer registered for it."""
    from crc_desktop.core.signing.trust import TrustRegistry

    registry = TrustRegistry(tmp_path / "trust")
    registry.add_anchor(government_pki.root)
    for code, certificate in government_pki.certificates.items():
        registry.add(code, certificate)
    return tmp_path / "trust"
