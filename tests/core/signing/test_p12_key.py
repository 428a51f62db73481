"""A .p12 file's key is read (and checked) once per export, not again at each of its signatures:
each reading of a 3072-bit RSA key holds Python's lock for about 170 ms, and the window froze
that long three times while a bundle was signed (benchmarks/event_loop_stall.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from crc_desktop.app import Paths, open_app
from crc_desktop.core.db.engine import backup_file
from crc_desktop.core.services.export import verify
from crc_desktop.core.signing.keys import load_p12

from .conftest import PASSPHRASE, approve


def test_a_bundle_signed_with_a_p12_file_reads_its_key_once_and_verifies(
    small_demo_file, keys, tmp_path, monkeypatch
):
    db = backup_file(small_demo_file, tmp_path / "demo.db")
    context = open_app(db, Paths(tmp_path, tmp_path, tmp_path))
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
