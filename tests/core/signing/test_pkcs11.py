"""Signing with a USB token through PKCS#11, for real, against SoftHSM2 (installed by .ci/run):
the token's module found under a known vendor's file name, its certificate listed, signed with."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pkcs11
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import Translator
from crc_desktop.core.services.export import verify
from crc_desktop.core.signing.keys import load_pkcs11
from crc_desktop.core.signing.tokens import describe_module, find_modules, scan_tokens

from .conftest import approve

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

pytestmark = pytest.mark.skipif(
    LIBRARY is None or not shutil.which("softhsm2-util") or not shutil.which("pkcs11-tool"),
    reason="SoftHSM2 and OpenSC are installed by .ci/setup",
)


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def token(tmp_path, monkeypatch) -> Path:
    """A SoftHSM2 token holding an RSA key made on it, and a certificate from a test CA."""
    (tmp_path / "tokens").mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n", "utf-8")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    _run(
        "softhsm2-util", "--init-token", "--free", "--label", "CRC-TOKEN", "--pin", PIN, "--so-pin", "654321"
    )
    module = ["pkcs11-tool", "--module", str(LIBRARY), "--token-label", "CRC-TOKEN", "--login", "--pin", PIN]
    _run(*module, "--keypairgen", "--key-type", "rsa:2048", "--id", "01", "--label", "signing")
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
    yield tmp_path / "46-token-ca.pem"
    pkcs11.unload(str(LIBRARY))  # SoftHSM reads its configuration (this test's token folder) once


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


def test_discovery_finds_the_token_under_a_known_module_name_and_signs(demo_db, token, modules, tmp_path):
    found = {Path(m.path).name: m for m in find_modules([modules], system=False)}
    assert sorted(found) == ["viettel-ca_v6.dll", "vnptca_p11_v6.dll"]
    assert found["viettel-ca_v6.dll"].vendor == "Viettel-CA" and found["viettel-ca_v6.dll"].usable
    assert found["vnptca_p11_v6.dll"].bits == 32 and not found["vnptca_p11_v6.dll"].usable
    scan = scan_tokens(list(found.values()))
    assert scan.tokens == ["CRC-TOKEN (viettel-ca_v6.dll)"]
    [chosen] = scan.certificates
    assert (chosen.subject, chosen.label, chosen.vendor) == ("Sở Y tế Huế (token)", "signing", "Viettel-CA")
    material = load_pkcs11(Path(chosen.module), chosen.token, PIN, key_id=bytes.fromhex(chosen.key_id))
    approve(demo_db)
    demo_db.certificates.register_file(tmp_path / "token-cert.der")
    result = demo_db.export.export("2025", material, tmp_path)
    outcome = verify(Path(result.path), [token])
    assert outcome.valid, outcome.failure
    assert "Sở Y tế Huế (token)" in outcome.checks[3].params["subject"]


def test_a_32_bit_module_is_named_as_such(modules):
    vi = Translator("vi")
    [module] = [m for m in find_modules([modules], system=False) if m.bits == 32]
    assert describe_module(module, vi) == (
        "VNPT-CA: mô-đun 32 bit, chương trình 64 bit này không nạp được (hãy cài trình điều khiển "
        "64 bit của token)"
    )


def test_the_tokens_command_lists_modules_tokens_and_certificates(token, modules, capsys):
    from crc_desktop.app import Paths, Settings, save_settings
    from crc_desktop.cli import main

    paths = Paths.for_user()
    save_settings(paths, Settings(pkcs11_folders=[str(modules)]))
    assert main(["tokens"]) == 0
    captured = capsys.readouterr()
    assert f"{modules / 'viettel-ca_v6.dll'} — Viettel-CA" in captured.out
    assert "VNPT-CA: mô-đun 32 bit" in captured.out
    assert "CRC-TOKEN (viettel-ca_v6.dll)" in captured.out
    assert "Chứng thư: Sở Y tế Huế (token), do Token test CA cấp" in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_export_signed_with_a_token_verifies(demo_db, token, tmp_path):
    approve(demo_db)
    demo_db.certificates.register_file(tmp_path / "token-cert.der")
    material = load_pkcs11(LIBRARY, "CRC-TOKEN", PIN, "signing")
    assert material.subject == "Sở Y tế Huế (token)"
    result = demo_db.export.export("2025", material, tmp_path)
    outcome = verify(Path(result.path), [token])
    assert outcome.valid, outcome.failure
    assert demo_db.periods.get("2025").state == "signed"


def test_a_wrong_pin_is_refused_and_nothing_is_signed(demo_db, token):
    with pytest.raises(InputRefused, match="PIN of the token CRC-TOKEN is wrong"):
        load_pkcs11(LIBRARY, "CRC-TOKEN", "000000", "signing")
    with pytest.raises(InputRefused, match="could not be opened"):
        load_pkcs11(LIBRARY, "NO-SUCH-TOKEN", PIN, "signing")
    assert demo_db.periods.get("2025").state == "draft"
