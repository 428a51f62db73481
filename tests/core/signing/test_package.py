"""Catalogues flow down signed: the ministry publishes a package, a province imports it offline
after checking the ministry's signature; a broken package changes nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crc_desktop.cli import main
from crc_desktop.core.db.models import RecommendationRecord
from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.errors import InputRefused


def _recommendations(context) -> int:
    with UnitOfWork(context.database, context.actor) as uow:
        return uow.session.scalar(select(func.count(RecommendationRecord.id)))


def test_a_signed_package_imports_after_a_dry_run(new_db, package, keys):
    before = _recommendations(new_db)
    preview = new_db.catalog.import_package(package, [Path(keys.ca_certificate)], dry_run=True)
    assert preview[0].counts.added == 3  # the cluster and two sub-paragraphs
    assert _recommendations(new_db) == before
    new_db.catalog.import_package(package, [Path(keys.ca_certificate)])
    assert _recommendations(new_db) == before + 2


def test_a_package_with_a_broken_signature_changes_nothing(new_db, package, keys):
    with zipfile.ZipFile(package) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    name = next(n for n in entries if n.startswith("catalogs/"))
    entries[name] = entries[name].replace(b"Corporal punishment", b"Corporal  punishment")
    with zipfile.ZipFile(package, "w") as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    before = _recommendations(new_db)
    with pytest.raises(InputRefused, match="refused"):
        new_db.catalog.import_package(package, [Path(keys.ca_certificate)])
    assert _recommendations(new_db) == before


def test_a_package_from_someone_else_is_refused(new_db, package, other_keys, capsys):
    before = _recommendations(new_db)
    assert (
        main(
            [
                "catalog",
                "import",
                "--db",
                str(new_db.database.path),
                str(package),
                "--trust",
                other_keys.ca_certificate,
            ]
        )
        == 1
    )
    assert "không được tin cậy" in capsys.readouterr().err
    assert _recommendations(new_db) == before
