"""Opening a database file: checks that it is ours, backs it up, migrates it to head.

The engine turns on WAL, foreign keys and full synchronous writes on every connection,
so a committed edit survives a killed process or a power cut. Transactions that write
start with BEGIN IMMEDIATE, taking SQLite's write lock before reading the audit chain
head, so two windows on one file cannot fork the chain.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crc_desktop.core.db import identity
from crc_desktop.core.db.location import require_on_this_computer
from crc_desktop.core.db.revision import HEAD, current_revision
from crc_desktop.core.errors import DatabaseError, NotFound

if TYPE_CHECKING:
    from alembic.config import Config

    from crc_desktop.core.db.lock import Holder


@dataclass(frozen=True)
class Database:
    """An open, migrated database: its file, engine and session factory."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    held_by: Holder | None = None  # opened read-only: another window holds the writer lock

    def close(self) -> None:
        self.engine.dispose()


def _on_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def _on_begin(connection) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path) -> Engine:
    """An engine on `path` with our connection settings (no migration, no checks)."""
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def alembic_config() -> Config:
    from alembic.config import Config  # Alembic is loaded only to migrate a file

    config = Config()
    location = resources.files("crc_desktop.core.db") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str:
    """The newest migration according to Alembic's scripts (tests check it equals HEAD)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def known_revisions() -> set[str]:
    """Every revision this program's migrations know (a file at another one is from a newer program)."""
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def backup_file(path: Path, target: Path) -> Path:
    """A consistent copy of the database at `target`, made with SQLite's online backup API: one
    whole file, in rollback-journal mode, so no -wal or -shm file is ever made beside it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    finally:
        source.close()
    return target


def upgrade(path: Path) -> None:
    """Run the migrations up to head on a plain connection (no foreign-key listener)."""
    from alembic import command

    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def open_database(path: Path, *, create: bool = False, backup_dir: Path | None = None) -> Database:
    """Open `path`, creating it when `create` is true, migrating it to head after a backup."""
    path = Path(path)
    require_on_this_computer(path)  # WAL does not work over a network filesystem
    if not path.exists():
        if not create:
            raise NotFound("There is no database at {path}.", path=str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        revision = None
    else:
        revision = current_revision(path)
    head = HEAD
    if revision is not None and revision != head:
        if revision not in known_revisions():
            raise DatabaseError(
                "The database {path} was written by a newer version of CRC Desktop; "
                "please install the newer version.",
                path=str(path),
            )
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        database_id = identity.read_identity(path).database_id
        folder = (backup_dir / database_id if database_id else backup_dir) if backup_dir else path.parent
        backup_file(path, folder / f"{path.stem}.before-{head}-{stamp}{path.suffix or '.db'}")
    if revision != head:
        upgrade(path)
    engine = make_engine(path)
    database = Database(path=path, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
    if identity.read_identity(path).database_id is None:
        with database.sessions() as session:
            try:
                identity.stamp(session)
                session.commit()
            except IntegrityError:
                session.rollback()  # another program opening the file at the same time gave it its id
    return database
