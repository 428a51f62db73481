"""A .p12 file's key is read (and checked) once per export, not again at each of its signatures:
each reading of a 3072-bit RSA key holds Python's lock for about 170 ms, and the window froze
that long three times while a bundle was signed (benchmarks/event_loop_stall.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from crc_desktop.app import Paths, open_app
from crc_desktop.core.db.engine import backup_file
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.services.export import verify
from crc_desktop.core.signing.keys import load_p12

from .conftest import PASSPHRASE, approve


def test_a_bundle_signed_with_a_p12_file_reads_its_key_once_and_verifies(
    small_demo_file, keys, tmp_path, monkeypatch
):
    db = backup_file(small_demo_file, tmp_path / "demo.db")
    context = open_app(db, Paths(tmp_path, tmp_path, tmp_path), user_name="Lê Thị Hoa")
    approve(context)
    context.certificates.register_file(Path(keys.certificate))
    material = load_p12(Path(keys.p12), PASSPHRASE)
    readings = []
    real = serialization.load_der_private_key

    def counted(*args, **kwargs):
        readings.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(serialization, "load_der_private_key", counted)
    result = context.export.export("2025", material, tmp_path, on=dt.date(2026, 1, 5))
    context.close()
    assert readings == []  # the report's PAdES signature and the manifest's CMS signature
    outcome = verify(Path(result.path), [Path(keys.ca_certificate)])
    assert outcome.valid, [c for c in outcome.checks if not c.ok]


def test_a_p12_file_read_apart_gives_the_same_signer_and_the_same_refusals(keys, tmp_path):
    """The window's worker reads a .p12 in a child process (the key check would freeze the
    window): the same key and certificate come back, and the same mistakes are refused."""
    here = load_p12(Path(keys.p12), PASSPHRASE)
    apart = load_p12(Path(keys.p12), PASSPHRASE, apart=True)
    assert apart.certificate == here.certificate and apart.subject == here.subject
    same = [asyncio.run(m.signer.async_sign_raw(b"du lieu", "sha256")) for m in (apart, here)]
    assert same[0] == same[1]  # the same key (PKCS#1 v1.5 signatures are deterministic)
    with pytest.raises(InputRefused, match="passphrase is wrong"):
        load_p12(Path(keys.p12), b"sai-mat-khau", apart=True)
    only_certificate = tmp_path / "chi-chung-thu.p12"
    only_certificate.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"x", None, here.certificate, None, serialization.BestAvailableEncryption(PASSPHRASE)
        )
    )
    for read_apart in (False, True):
        with pytest.raises(InputRefused, match="no private key"):
            load_p12(only_certificate, PASSPHRASE, apart=read_apart)


def test_the_p12_signer_is_a_public_pyhanko_signer_with_its_own_async_sign_raw(keys):
    """Signing goes through pyHanko's public `Signer` (no copy of its SimpleSigner); this fails
    when pyHanko stops asking a signer through `async_sign_raw`."""
    from pyhanko.sign.signers import Signer, SimpleSigner

    signer = load_p12(Path(keys.p12), PASSPHRASE).signer
    assert isinstance(signer, Signer) and not isinstance(signer, SimpleSigner)
    assert "async_sign_raw" in type(signer).__dict__ and "sign_raw" not in type(signer).__dict__
    # pyHanko asks a signer for its signature through this coroutine, with these parameters
    assert inspect.iscoroutinefunction(Signer.async_sign_raw)
    assert list(inspect.signature(Signer.async_sign_raw).parameters) == [
        "self",
        "data",
        "digest_algorithm",
        "dry_run",
    ]
