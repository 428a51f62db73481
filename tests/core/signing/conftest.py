"""Keys and an exported bundle, made once per session (RSA key generation is slow)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest
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
    context = open_app(db, Paths(folder, folder, folder))
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
