"""One root signs every province (the Government CA): the trust registry binds each province to
its own signer, so a bundle of one province signed with another's certificate is refused by
verify and by consolidation, naming both; the office signs only with its registered certificate."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select

from crc_desktop.app import Paths, open_app
from crc_desktop.cli import main
from crc_desktop.core.db.engine import backup_file
from crc_desktop.core.db.models import AuditEntryRecord, NationalBundleRecord
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.ministry.consolidate import ConsolidationService
from crc_desktop.core.ministry.store import open_store
from crc_desktop.core.services.export import verify
from crc_desktop.core.signing.trust import TrustRegistry

from .conftest import PASSPHRASE, approve

HUE, HCM = "Thành phố Huế (46)", "Thành phố Hồ Chí Minh (79)"


def _reason(outcome) -> str:
    return outcome.failure.detail.format(**outcome.failure.params)


def _consolidate(target, tmp_path, bundles, trust):
    store = open_store(target, tmp_path / "backups")
    try:
        return ConsolidationService(store, Actor.current("Cán bộ Bộ Y tế")).consolidate(bundles, [trust])
    finally:
        store.close()


def test_each_provinces_bundle_verifies_and_consolidates(
    government_pki, government_trust, store_target, tmp_path
):
    for code, bundle in government_pki.bundles.items():
        outcome = verify(bundle, [government_trust])
        assert outcome.valid, outcome.failure
        assert outcome.manifest.province.code == code
    report = _consolidate(store_target, tmp_path, list(government_pki.bundles.values()), government_trust)
    assert [(o.status, o.province) for o in report.outcomes] == [("loaded", "46"), ("loaded", "79")]


def test_a_bundle_signed_with_another_provinces_certificate_is_refused_naming_both(
    government_pki, government_trust, store_target, tmp_path
):
    outcome = verify(government_pki.forged, [government_trust])
    assert outcome.failure.name == "signature"
    assert _reason(outcome) == (
        f"the bundle says it is from {HUE}, but its signer Sở Y tế Thành phố Hồ Chí Minh, "
        f"Thành phố Hồ Chí Minh is registered for {HCM}"
    )
    report = _consolidate(store_target, tmp_path, [government_pki.forged], government_trust)
    [refused] = report.of("refused")
    assert HUE in refused.detail.format(**refused.params) and HCM in refused.detail.format(**refused.params)
    store = open_store(store_target, tmp_path / "backups")
    with UnitOfWork(store, Actor.current()) as uow:
        assert uow.session.scalar(select(NationalBundleRecord)) is None
    store.close()


def test_the_verify_command_names_both_provinces_in_vietnamese_without_a_traceback(
    government_pki, government_trust, tmp_path
):
    """Run as a user would (a new process: the libraries' logging reaches the console there)."""
    env = dict(os.environ, CRC_DESKTOP_HOME=str(tmp_path / "home"))
    command = [sys.executable, "-m", "crc_desktop", "verify", str(government_pki.forged)]
    done = subprocess.run(
        [*command, "--trust", str(government_trust)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert (
        f"Không chấp nhận: gói ghi là của {HUE}, nhưng người ký Sở Y tế Thành phố Hồ Chí Minh, "
        f"Thành phố Hồ Chí Minh được đăng ký cho {HCM}"
    ) in done.stderr
    untrusted = subprocess.run(
        [*command, "--trust", str(government_pki.root.parent / "46-signer.cer")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert untrusted.returncode == 1
    assert "Traceback" not in untrusted.stdout + untrusted.stderr
    assert "AdES" not in untrusted.stdout + untrusted.stderr
    assert "không dẫn tới chứng thư gốc tin cậy" in untrusted.stderr


def test_a_signer_under_the_anchor_but_registered_for_no_province_is_refused(government_pki, tmp_path):
    registry = TrustRegistry(tmp_path / "trust")
    registry.add_anchor(government_pki.root)
    outcome = verify(government_pki.bundles["46"], [tmp_path / "trust"])
    assert _reason(outcome) == (
        f"the bundle says it is from {HUE}, but its signer Sở Y tế thành phố Huế, Thành phố Huế "
        "is registered for no province"
    )


def test_a_registered_signer_whose_chain_ends_nowhere_trusted_is_refused(government_pki, tmp_path):
    """An end-entity registration binds, but the chain must still end at an anchor or a CA."""
    registry = TrustRegistry(tmp_path / "trust")
    registry.add("46", government_pki.certificates["46"])
    outcome = verify(government_pki.bundles["46"], [tmp_path / "trust"])
    assert outcome.failure.name == "signature"
    assert "does not lead to a registered certificate or anchor" in _reason(outcome)


def test_trust_commands_keep_the_registry_as_pem_files(government_pki, tmp_path, capsys):
    trust = tmp_path / "trust"
    assert main(["trust", "anchor", "--trust", str(trust), str(government_pki.root)]) == 0
    der = government_pki.certificates["79"]  # DER in, PEM stored
    assert main(["trust", "add", "--trust", str(trust), "--province", "79", str(der)]) == 0
    assert main(["trust", "add", "--trust", str(trust), "--province", "99", str(der)]) == 1
    assert "99 không phải mã của một tỉnh, thành phố." in capsys.readouterr().err
    files = sorted(p.name for p in trust.iterdir())
    assert [name.split("-")[0] for name in files] == ["79", "anchor"]
    assert all((trust / name).read_bytes().startswith(b"-----BEGIN CERTIFICATE-----") for name in files)
    assert main(["trust", "list", "--trust", str(trust)]) == 0
    listing = capsys.readouterr().out
    assert f"{HCM} — người ký: Sở Y tế Thành phố Hồ Chí Minh, Thành phố Hồ Chí Minh" in listing
    assert "chứng thư gốc — CA (tổ chức cấp chứng thư): RootCA thử nghiệm" in listing
    fingerprint = x509.load_der_x509_certificate(der.read_bytes()).fingerprint(hashes.SHA256())
    assert main(["trust", "remove", "--trust", str(trust), fingerprint.hex()]) == 0
    assert [p.name.split("-")[0] for p in trust.iterdir()] == ["anchor"]


def test_the_ca_folders_of_today_still_bind_their_province(national_inputs):
    """`<code>-ca.pem` files: the CA binds what it issued to that province, and only to it."""
    bundle = next(national_inputs.bundles.glob("CRC-46-*.zip"))
    assert verify(bundle, [national_inputs.trust]).valid
    assert verify(bundle, [national_inputs.trust / "79-ca.pem", national_inputs.trust / "46-ca.pem"]).valid
    outcome = verify(bundle, [national_inputs.trust / "79-ca.pem"])
    assert outcome.failure.name == "signature" and not outcome.valid


def test_export_with_an_unregistered_certificate_is_refused_and_writes_nothing(
    government_pki, tmp_path, capsys
):
    db = backup_file(government_pki.databases["79"], tmp_path / "79.db")
    context = open_app(db, Paths(tmp_path, tmp_path, tmp_path), user_name="Lê Thị Hoa")
    context.periods.reopen("2025", "Bổ sung")
    approve(context)
    context.close()
    out = tmp_path / "out"
    out.mkdir()
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE.decode(), "utf-8")
    command = ["export", "--db", str(db), "--period", "2025", "--passphrase-file", str(secret)]
    assert main([*command, "--p12", str(government_pki.p12["46"]), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Chứng thư Sở Y tế thành phố Huế, Thành phố Huế chưa được đăng ký để ký thay mặt cơ quan" in err
    assert list(out.iterdir()) == []
    context = open_app(db, Paths(tmp_path, tmp_path, tmp_path), user_name="Lê Thị Hoa")
    assert context.periods.get("2025").state == "approved"
    context.close()


def test_office_certificates_are_registered_listed_and_removed_with_reasons(government_pki, tmp_path, capsys):
    db = backup_file(government_pki.databases["46"], tmp_path / "46.db")
    other = tmp_path / "79.pem"
    other.write_bytes(
        x509.load_der_x509_certificate(government_pki.certificates["79"].read_bytes()).public_bytes(
            Encoding.PEM
        )
    )
    assert main(["office", "certificate", "add", "--db", str(db), str(other)]) == 1
    assert "hãy ghi lý do" in capsys.readouterr().err
    assert main(["office", "certificate", "add", "--db", str(db), str(other), "--reason", "Token mới"]) == 0
    assert "Đã đăng ký để ký thay mặt cơ quan: Sở Y tế Thành phố Hồ Chí Minh" in capsys.readouterr().out
    assert main(["office", "certificate", "list", "--db", str(db)]) == 0
    listing = capsys.readouterr().out
    assert "Sở Y tế thành phố Huế, Thành phố Huế" in listing
    assert "Sở Y tế Thành phố Hồ Chí Minh, Thành phố Hồ Chí Minh" in listing
    assert "do CA phục vụ các cơ quan Nhà nước (thử), Ban Cơ yếu Chính phủ (thử) cấp" in listing
    fingerprint = listing.split("Hồ Chí Minh, Thành phố Hồ Chí Minh\n")[1].split("SHA-256 ")[1].split()[0]
    assert main(["office", "certificate", "remove", "--db", str(db), fingerprint]) == 1
    assert (
        main(["office", "certificate", "remove", "--db", str(db), fingerprint, "--reason", "Hết dùng"]) == 0
    )
    context = open_app(db, Paths(tmp_path, tmp_path, tmp_path), user_name="Lê Thị Hoa")
    assert [c.subject for c in context.certificates.registered()] == ["Sở Y tế thành phố Huế, Thành phố Huế"]
    with UnitOfWork(context.database, context.actor) as uow:
        entries = uow.session.execute(
            select(AuditEntryRecord.action, AuditEntryRecord.reason).where(
                AuditEntryRecord.action.like("certificate.%")
            )
        ).all()
    assert [tuple(e) for e in entries][-2:] == [
        ("certificate.register", "Token mới"),
        ("certificate.remove", "Hết dùng"),
    ]
    assert context.audit.verify().intact
    context.close()


@pytest.mark.parametrize("damage", ["unsigned-bytes", "untrusted"])
def test_no_traceback_reaches_the_console_in_a_refusal(government_pki, government_trust, tmp_path, damage):
    import zipfile

    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(government_pki.bundles["46"]) as source, zipfile.ZipFile(bundle, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if damage == "unsigned-bytes" and name == "manifest.json.p7s":
                data = data[:200] + bytes([data[200] ^ 0xFF]) + data[201:]
            target.writestr(name, data)
    trust = government_trust if damage != "untrusted" else government_pki.root.parent / "79-signer.cer"
    env = dict(os.environ, CRC_DESKTOP_HOME=str(tmp_path / "home"))
    done = subprocess.run(
        [sys.executable, "-m", "crc_desktop", "verify", str(bundle), "--trust", str(trust)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr and "Error" not in done.stderr
    assert "Không chấp nhận:" in done.stderr
