"""The signed bundle: it verifies with our verifier, openssl and pdfsig, and every kind of
tampering is refused for the right reason."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from crc_desktop.cli import main
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.services.export import verify
from crc_desktop.core.signing.keys import load_p12, new_test_keys

from .conftest import PASSPHRASE, approve, damage_entry


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rewrite(path: Path, entries: dict[str, bytes], extra: list[tuple[str, bytes]] = ()) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name, data in extra:
            archive.writestr(name, data)


def _failure(path: Path, trust: Path) -> tuple[str, str]:
    outcome = verify(path, [trust])
    assert not outcome.valid
    return outcome.failure.name, outcome.failure.detail.format(**outcome.failure.params)


def test_a_bundle_verifies_with_our_verifier(bundle, keys):
    outcome = verify(bundle, [Path(keys.ca_certificate)])
    assert [c.name for c in outcome.checks] == ["zip", "manifest", "files", "signature", "report", "data"]
    assert outcome.valid
    assert outcome.manifest.province.code == "46" and outcome.manifest.sequence == 1
    assert bundle.name == "CRC-46-2025-v1.zip"


def test_the_cli_verify_says_what_it_checked(bundle, keys, capsys):
    assert main(["verify", str(bundle), "--trust", str(Path(keys.ca_certificate).parent)]) == 0
    out = capsys.readouterr().out
    assert "✓ chữ ký của bản kê" in out and "Hợp lệ: Thành phố Huế, kỳ 2025" in out


@pytest.mark.skipif(
    sys.platform == "win32", reason="sha256sum (GNU coreutils) and openssl are not on a Windows runner's PATH"
)
def test_openssl_and_sha256sum_verify_it_by_hand(bundle, keys, tmp_path):
    entries = _entries(bundle)
    for name, data in entries.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    done = subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            str(tmp_path / "manifest.json.p7s"),
            "-content",
            str(tmp_path / "manifest.json"),
            "-CAfile",
            keys.ca_certificate,
            "-out",
            os.devnull,
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads(entries["manifest.json"])
    lines = "".join(f"{f['sha256']}  {f['path']}\n" for f in manifest["files"])
    check = subprocess.run(
        ["sha256sum", "-c", "-"], input=lines, cwd=tmp_path, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout


@pytest.mark.skipif(not shutil.which("pdfsig") or not shutil.which("certutil"), reason="poppler/NSS tools")
def test_pdfsig_finds_the_report_signature_valid_and_trusted(bundle, keys, tmp_path):
    (tmp_path / "report.pdf").write_bytes(_entries(bundle)["report.pdf"])
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "ca", "-t", "C,C,C", "-i", keys.ca_certificate],
        check=True,
    )
    done = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(tmp_path / "report.pdf")], capture_output=True, text=True
    )
    output = done.stdout + done.stderr  # pdfsig exits 0 even on a digest mismatch: read what it says
    assert "Signature is Valid." in output
    assert "Certificate is Trusted." in output
    assert "Total document signed" in output


@pytest.mark.parametrize(
    "name",
    ["report.pdf", "data/values.json", "data/plan.json", "data/values.csv", "schemas/manifest.schema.json"],
)
def test_one_byte_changed_in_any_file_is_refused(bundle_copy, keys, name):
    entries = _entries(bundle_copy)
    data = bytearray(entries[name])
    data[len(data) // 2] ^= 0x01
    entries[name] = bytes(data)
    _rewrite(bundle_copy, entries)
    assert _failure(bundle_copy, Path(keys.ca_certificate)) == (
        "files",
        f"{name} was changed: its SHA-256 does not match the manifest",
    )


@pytest.mark.parametrize("name", ["data/values.json", "report.pdf", "manifest.json.p7s"])
def test_an_entry_damaged_in_the_zip_is_refused_with_the_reason(bundle_copy, keys, name):
    damage_entry(bundle_copy, name)
    check, detail = _failure(bundle_copy, Path(keys.ca_certificate))
    assert check == "zip"
    assert detail == f"the entry {name} is damaged (its checksum or compression is broken)"


def test_a_file_added_or_removed_is_refused(bundle_copy, keys):
    entries = _entries(bundle_copy)
    _rewrite(bundle_copy, entries, [("data/extra.json", b"{}")])
    assert (
        _failure(bundle_copy, Path(keys.ca_certificate))[1]
        == "data/extra.json is in the bundle but not in the manifest"
    )
    del entries["data/values.csv"]
    _rewrite(bundle_copy, entries)
    assert (
        _failure(bundle_copy, Path(keys.ca_certificate))[1]
        == "data/values.csv is in the manifest but missing from the bundle"
    )


def test_an_edited_manifest_is_refused(bundle_copy, keys):
    entries = _entries(bundle_copy)
    entries["manifest.json"] = entries["manifest.json"].replace(b'"sequence": 1', b'"sequence": 7')
    _rewrite(bundle_copy, entries)
    assert _failure(bundle_copy, Path(keys.ca_certificate)) == (
        "signature",
        "the signature does not match manifest.json (edited or replaced)",
    )


def test_a_signature_by_another_key_is_refused(bundle_copy, keys, other_keys):
    from crc_desktop.core.signing.bundle import sign_cms

    entries = _entries(bundle_copy)
    other = load_p12(Path(other_keys.p12), PASSPHRASE)
    entries["manifest.json.p7s"] = sign_cms(entries["manifest.json"], other, dt.datetime.now(dt.UTC))
    _rewrite(bundle_copy, entries)
    name, detail = _failure(bundle_copy, Path(keys.ca_certificate))
    assert name == "signature" and "is not trusted here" in detail
    # and trusting the other CA too still catches the swap: the manifest names its signer
    outcome = verify(bundle_copy, [Path(keys.ca_certificate), Path(other_keys.ca_certificate)])
    assert outcome.failure.detail == "the manifest names another signer than the one who signed it"


def test_an_untrusted_signer_is_refused(bundle, other_keys):
    name, detail = _failure(bundle, Path(other_keys.ca_certificate))
    assert name == "signature" and "is not trusted here" in detail


def test_an_expired_certificate_is_refused(small_demo_file, tmp_path):
    from crc_desktop.app import Paths, open_app
    from crc_desktop.core.db.engine import backup_file

    old = new_test_keys(
        tmp_path / "old",
        "Sở Y tế Huế",
        "46",
        PASSPHRASE,
        now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        valid_days=30,
    )
    db = backup_file(small_demo_file, tmp_path / "demo.db")
    context = open_app(db, Paths(tmp_path, tmp_path, tmp_path), user_name="Lê Thị Hoa")
    approve(context)
    context.certificates.register_file(Path(old.certificate))
    result = context.export.export("2025", load_p12(Path(old.p12), PASSPHRASE), tmp_path)
    context.close()
    name, detail = _failure(Path(result.path), Path(old.ca_certificate))
    assert name == "signature" and "not valid when signing" in detail


def test_zip_slip_duplicates_and_bombs_are_refused(bundle_copy, keys):
    entries = _entries(bundle_copy)
    for bad in ("../evil.json", "/etc/passwd", "data\\..\\x.json"):
        _rewrite(bundle_copy, entries, [(bad, b"x")])
        assert _failure(bundle_copy, Path(keys.ca_certificate)) == ("zip", f"unsafe entry name {bad}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        with pytest.warns(UserWarning):
            archive.writestr("report.pdf", b"second copy")
    bundle_copy.write_bytes(buffer.getvalue())
    assert _failure(bundle_copy, Path(keys.ca_certificate)) == ("zip", "the entry report.pdf appears twice")
    _rewrite(bundle_copy, entries, [("data/bomb.json", b"0" * 50_000_000)])
    name, detail = _failure(bundle_copy, Path(keys.ca_certificate))
    assert name == "zip" and "zip bomb" in detail


def test_not_a_zip_and_wrong_format_version(bundle_copy, keys):
    entries = _entries(bundle_copy)
    manifest = json.loads(entries["manifest.json"])
    manifest["format_version"] = 2
    entries["manifest.json"] = json.dumps(manifest).encode()
    _rewrite(bundle_copy, entries)
    assert _failure(bundle_copy, Path(keys.ca_certificate)) == (
        "manifest",
        "format version 2 is not supported by this program",
    )
    bundle_copy.write_bytes(b"PK not really")
    assert _failure(bundle_copy, Path(keys.ca_certificate)) == ("zip", "not a zip file")


def test_a_wrong_passphrase_leaves_no_file_and_the_period_unlocked(demo_db, keys, tmp_path, capsys):
    approve(demo_db)
    with pytest.raises(InputRefused, match="passphrase is wrong"):
        load_p12(Path(keys.p12), b"sai-mat-khau")
    out = tmp_path / "out"
    out.mkdir()
    secret = tmp_path / "pass.txt"
    secret.write_text("sai-mat-khau\n", "utf-8")
    assert (
        main(
            [
                "export",
                "--db",
                str(demo_db.database.path),
                "--period",
                "2025",
                "--p12",
                keys.p12,
                "--passphrase-file",
                str(secret),
                "--out",
                str(out),
            ]
        )
        == 1
    )
    assert "Mật khẩu sai" in capsys.readouterr().err
    assert list(out.iterdir()) == []
    assert demo_db.periods.get("2025").state == "approved"


def test_export_locks_the_period_and_a_reopened_one_supersedes(demo_db, keys, tmp_path):
    approve(demo_db)
    demo_db.certificates.register_file(Path(keys.certificate))
    material = load_p12(Path(keys.p12), PASSPHRASE)
    first = demo_db.export.export("2025", material, tmp_path)
    assert demo_db.periods.get("2025").state == "signed"
    with pytest.raises(InputRefused, match="Only an approved period"):
        demo_db.export.export("2025", material, tmp_path)
    demo_db.periods.reopen("2025", "Bổ sung số liệu xã")
    approve(demo_db)
    second = demo_db.export.export("2025", material, tmp_path)
    assert (second.sequence, second.supersedes) == (2, first.sha256)
    assert Path(second.path).name == "CRC-46-2025-v2.zip"
    manifest = verify(Path(second.path), [Path(keys.ca_certificate)]).manifest
    assert manifest.supersedes == first.sha256
    assert demo_db.audit.verify().intact


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="Windows has no 0o600 mode bits: the key file is private by the profile's ACL",
)
def test_keys_new_on_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CRC_PASSPHRASE", "mot-mat-khau-dai")
    assert main(["keys", "new", "--out", str(tmp_path), "--name", "Sở Y tế Huế", "--province", "46"]) == 0
    p12 = tmp_path / "46-signing.p12"
    assert b"PRIVATE KEY" not in p12.read_bytes()
    assert oct(p12.stat().st_mode & 0o777) == "0o600"
    assert load_p12(p12, b"mot-mat-khau-dai").subject == "Sở Y tế Huế"
