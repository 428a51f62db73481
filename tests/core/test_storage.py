"""The database: migrations make the schema, constraints hold, foreign files are refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import IntegrityError

from crc_desktop.app import open_app
from crc_desktop.core.db.engine import head_revision, open_database
from crc_desktop.core.db.models import (
    Base,
    PlanTaskRecord,
    ProgressUpdateRecord,
    ReportingPeriodRecord,
    TaskGroupRecord,
)
from crc_desktop.core.db.revision import HEAD
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import DatabaseError, NotFound


def test_migrations_from_an_empty_file_reach_head_and_match_the_orm(tmp_path):
    database = open_database(tmp_path / "new.db", create=True)
    database.close()
    engine = create_engine(f"sqlite:///{tmp_path / 'new.db'}")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_the_head_the_program_checks_without_alembic_is_alembics_head():
    assert HEAD == head_revision()


def test_wal_and_foreign_keys_are_on(new_db):
    with new_db.database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def _task(group_id: int, **fields) -> PlanTaskRecord:
    return PlanTaskRecord(code="NV-1", group_id=group_id, title="Nhiệm vụ", updated_at=now(), **fields)


def test_constraints_hold(new_db):
    actor = Actor.current()
    with UnitOfWork(new_db.database, actor, write=True) as uow:
        uow.session.add(_task(group_id=999))
        with pytest.raises(IntegrityError):  # no such task group
            uow.session.flush()
    with UnitOfWork(new_db.database, actor, write=True) as uow:
        group = uow.session.scalar(select(TaskGroupRecord).filter_by(number=1))
        uow.session.add(_task(group.id, status="finished"))
        with pytest.raises(IntegrityError):  # not a status
            uow.session.flush()
    with UnitOfWork(new_db.database, actor, write=True) as uow:
        group = uow.session.scalar(select(TaskGroupRecord).filter_by(number=1))
        task = _task(group.id)
        period = ReportingPeriodRecord(
            code="2025", starts_on=now().date(), ends_on=now().date(), state="draft"
        )
        uow.session.add_all([task, period])
        uow.session.flush()
        uow.session.add(
            ProgressUpdateRecord(
                task_id=task.id,
                period_id=period.id,
                status="in_progress",
                percent_done=140,
                updated_at=now(),
            )
        )
        with pytest.raises(IntegrityError):  # more than 100 %
            uow.session.flush()


def test_a_unit_of_work_left_without_commit_changes_nothing(new_db):
    with UnitOfWork(new_db.database, Actor.current(), write=True) as uow:
        group = uow.session.scalar(select(TaskGroupRecord).filter_by(number=1))
        uow.session.add(_task(group.id))
        uow.session.flush()
    with UnitOfWork(new_db.database, Actor.current()) as uow:
        assert uow.session.scalar(select(PlanTaskRecord)) is None


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path, paths):
    path = tmp_path / "notes.db"
    path.write_bytes(b"Bao cao nam 2025\n" * 10)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not a CRC Desktop database"):
        open_app(path, paths)
    assert path.read_bytes() == before


def test_an_sqlite_file_of_another_program_is_refused(tmp_path, paths):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE customers (id INTEGER)")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseError, match="not a CRC Desktop database"):
        open_app(path, paths)
    connection = sqlite3.connect(path)
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    connection.close()
    assert tables == ["customers"]


def test_a_database_from_a_newer_program_is_refused(new_db, paths):
    path = new_db.database.path
    new_db.close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseError, match="newer version"):
        open_app(path, paths)


def test_a_missing_file_is_not_created_unless_asked(tmp_path, paths):
    with pytest.raises(NotFound):
        open_app(tmp_path / "missing.db", paths)
    assert not (tmp_path / "missing.db").exists()


def test_an_older_database_is_backed_up_before_it_is_migrated(new_db, paths, monkeypatch):
    path: Path = new_db.database.path
    new_db.close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '0000'")  # pretend older
    connection.commit()
    connection.close()
    from crc_desktop.core.db import engine

    upgraded = []
    monkeypatch.setattr(engine, "upgrade", upgraded.append)  # the tables are already there
    monkeypatch.setattr(engine, "known_revisions", lambda: {"0000", head_revision()})
    open_app(path, paths).close()

    backups = list(paths.backups.glob("*/office.before-*.db"))
    assert upgraded == [path]
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0000",)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
