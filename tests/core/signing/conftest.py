"""Keys and an exported bundle, made once per session (RSA key generation is slow); a SoftHSM2
token and a folder of token modules under known vendors' file names."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pkcs11
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import select

from crc_desktop.app import Paths, open_app
from crc_desktop.core.db.engine import backup_file
from crc_desktop.core.db.models import ReportingPeriodRecord
from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.signing.keys import load_p12, new_test_keys

PASSPHRASE = b"mat-khau-rat-dai"


@pytest.fixture(scope="session")
def keys(tmp_path_factory):
    return new_test_keys(tmp_path_factory.mktemp("keys"), "Sở Y tế Huế", "46", PASSPHRASE)


@pytest.fixture(scope="session")
def other_keys(tmp_path_factory):
    return new_test_keys(tmp_path_factory.mktemp("other"), "Kẻ mạo danh", "46", PASSPHRASE)


def approve(context, period: str = "2025") -> None:
    """Mark a period approved directly (the workflow itself is tested elsewhere)."""
    with UnitOfWork(context.database, context.actor, write=True) as uow:
        uow.session.scalar(select(ReportingPeriodRecord).filter_by(code=period)).state = "approved"
        uow.commit()


@pytest.fixture(scope="session")
def bundle(small_demo_file, keys, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    db = backup_file(small_demo_file, folder / "demo.db")
    context = open_app(db, Paths(folder, folder, folder), user_name="Lê Thị Hoa")
    approve(context)
    context.certificates.register_file(Path(keys.certificate))
    result = context.export.export(
        "2025", load_p12(Path(keys.p12), PASSPHRASE), folder, on=dt.date(2026, 1, 5)
    )
    context.close()
    return Path(result.path)


def damage_entry(path: Path, name: str) -> None:
    """Flip one byte inside the compressed bytes of entry `name`, as a bad copy or USB stick would:
    the zip's directory stays intact, reading the entry fails its CRC or its decompression."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    raw = bytearray(path.read_bytes())
    name_length = int.from_bytes(raw[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length  # after the local file header
    raw[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(raw))


@pytest.fixture
def bundle_copy(bundle, tmp_path) -> Path:
    return Path(shutil.copy(bundle, tmp_path / bundle.name))


@pytest.fixture
def package(keys, tmp_path, monkeypatch) -> Path:
    catalog = tmp_path / "khuyen-nghi.json"
    catalog.write_text(
        json.dumps(
            {
                "format": "crc-desktop-catalog",
                "format_version": 1,
                "kind": "recommendations",
                "document": {
                    "symbol": "CRC/C/VNM/CO/5-6",
                    "title": "Concluding observations on the combined fifth and "
                    "sixth periodic reports of Viet Nam",
                    "adopted_on": "2022-09-23",
                },
                "clusters": [{"code": "F", "title": "Violence against children"}],
                "entries": [
                    {"paragraph": 31, "sub": "a", "title": "Corporal punishment", "cluster": "F"},
                    {"paragraph": 31, "sub": "b", "title": "Child abuse", "cluster": "F"},
                ],
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    out = tmp_path / "goi-danh-muc.zip"
    monkeypatch.setenv("CRC_PASSPHRASE", PASSPHRASE.decode())
    from crc_desktop.cli import main

    assert main(["catalog", "publish", str(catalog), "--out", str(out), "--p12", keys.p12]) == 0
    return out


# -- a USB token: SoftHSM2 (installed by .ci/setup) ------------------------------------------------

LIBRARY = next(
    (
        Path(p)
        for p in (
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        )
        if Path(p).exists()
    ),
    None,
)
PIN = "123456"


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def token(tmp_path, monkeypatch) -> Path:
    """A SoftHSM2 token holding an RSA key made on it, and a certificate from a test CA."""
    yield make_token(tmp_path, monkeypatch)
    pkcs11.unload(str(LIBRARY))  # SoftHSM reads its configuration (this test's token folder) once


@pytest.fixture
def always_authenticate_token(tmp_path, monkeypatch) -> Path:
    """The same token, its key marked CKA_ALWAYS_AUTHENTICATE as SafeNet-based tokens (the
    Government CA's) mark theirs: the PIN is asked again for each signature."""
    yield make_token(tmp_path, monkeypatch, "--always-auth")
    pkcs11.unload(str(LIBRARY))


def make_token(tmp_path: Path, monkeypatch, *key_options: str) -> Path:
    """Make the token (its key generated with pkcs11-tool's `key_options`); the test CA's file."""
    (tmp_path / "tokens").mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n", "utf-8")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    _run(
        "softhsm2-util", "--init-token", "--free", "--label", "CRC-TOKEN", "--pin", PIN, "--so-pin", "654321"
    )
    module = ["pkcs11-tool", "--module", str(LIBRARY), "--token-label", "CRC-TOKEN", "--login", "--pin", PIN]
    _run(*module, "--keypairgen", "--key-type", "rsa:2048", "--id", "01", "--label", "signing", *key_options)
    _run(*module, "--read-object", "--type", "pubkey", "--id", "01", "-o", str(tmp_path / "pub.der"))
    public_key = serialization.load_der_public_key((tmp_path / "pub.der").read_bytes())
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Token test CA")])
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sở Y tế Huế (token)")]))
        .issuer_name(ca_name)
        .public_key(public_key)
        .serial_number(2)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    (tmp_path / "cert.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    _run(
        *module,
        "--write-object",
        str(tmp_path / "cert.der"),
        "--type",
        "cert",
        "--id",
        "01",
        "--label",
        "signing",
    )
    (tmp_path / "46-token-ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "token-cert.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    return tmp_path / "46-token-ca.pem"


def _unload(folder: Path) -> None:
    for module in folder.iterdir():
        pkcs11.unload(str(module))


@pytest.fixture
def modules(tmp_path) -> Path:
    """SoftHSM's module copied under the file name of Viettel-CA's token module, and a 32-bit
    module of VNPT-CA (a PE header is all discovery reads of it) in a folder of their own."""
    folder = tmp_path / "System32"
    folder.mkdir()
    shutil.copy(LIBRARY, folder / "viettel-ca_v6.dll")
    header = bytearray(512)
    header[:2], header[0x3C:0x40] = b"MZ", (0x80).to_bytes(4, "little")
    header[0x80:0x86] = b"PE\x00\x00" + (0x014C).to_bytes(2, "little")
    (folder / "vnptca_p11_v6.dll").write_bytes(bytes(header))
    yield folder
    _unload(folder)
