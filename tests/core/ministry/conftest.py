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
        context = open_app(db, home, create=True)
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
