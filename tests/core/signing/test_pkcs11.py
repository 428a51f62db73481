"""Signing with a USB token through PKCS#11, for real, against SoftHSM2 (installed by .ci/run):
the token's module found under a known vendor's file name, its certificate listed, signed with."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import Translator
from crc_desktop.core.services.export import verify
from crc_desktop.core.signing.keys import load_pkcs11
from crc_desktop.core.signing.tokens import describe_module, find_modules, scan_tokens

from .conftest import LIBRARY, PIN, approve

pytestmark = pytest.mark.skipif(
    LIBRARY is None or not shutil.which("softhsm2-util") or not shutil.which("pkcs11-tool"),
    reason="SoftHSM2 and OpenSC are installed by .ci/setup",
)


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


def test_a_key_that_asks_for_the_pin_at_each_signature_signs_a_whole_export(
    demo_db, always_authenticate_token, tmp_path
):
    """CKA_ALWAYS_AUTHENTICATE (SafeNet-based tokens, the Government CA's): the export signs the
    manifest and the report, each after its own context login with the PIN typed once."""
    from pkcs11 import Attribute, ObjectClass

    approve(demo_db)
    demo_db.certificates.register_file(tmp_path / "token-cert.der")
    material = load_pkcs11(LIBRARY, "CRC-TOKEN", PIN, "signing")
    [key] = material.session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})
    assert key[Attribute.ALWAYS_AUTHENTICATE] is True
    result = demo_db.export.export("2025", material, tmp_path)
    outcome = verify(Path(result.path), [always_authenticate_token])
    assert outcome.valid, outcome.failure
    assert demo_db.periods.get("2025").state == "signed"


def test_a_wrong_pin_is_refused_and_nothing_is_signed(demo_db, token):
    with pytest.raises(InputRefused, match="PIN of the token CRC-TOKEN is wrong"):
        load_pkcs11(LIBRARY, "CRC-TOKEN", "000000", "signing")
    with pytest.raises(InputRefused, match="could not be opened"):
        load_pkcs11(LIBRARY, "NO-SUCH-TOKEN", PIN, "signing")
    assert demo_db.periods.get("2025").state == "draft"


def test_export_on_the_command_line_with_the_key_found_by_its_id(
    demo_db, token, modules, tmp_path, monkeypatch
):
    from crc_desktop.cli import main

    approve(demo_db)
    demo_db.certificates.register_file(tmp_path / "token-cert.der")
    monkeypatch.setenv("CRC_PASSPHRASE", PIN)
    command = ["export", "--db", str(demo_db.database.path), "--period", "2025", "--out", str(tmp_path)]
    command += ["--pkcs11-lib", str(modules / "viettel-ca_v6.dll"), "--token", "CRC-TOKEN"]
    assert main([*command, "--key-id", "zz"]) == 1
    assert main([*command, "--key-id", "01"]) == 0
    assert verify(tmp_path / "CRC-46-2025-v1.zip", [token]).valid
