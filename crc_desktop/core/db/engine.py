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

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from crc_desktop.core.errors import DatabaseError, NotFound

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_KEY = "application"
APPLICATION_NAME = "crc-desktop"


@dataclass(frozen=True)
class Database:
    """An open, migrated database: its file, engine and session factory."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]

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
    config = Config()
    location = resources.files("crc_desktop.core.db") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(path: Path) -> str | None:
    """The revision a file is at; None for an empty file. Refuses files that are not ours."""
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise DatabaseError("The file {path} is not a CRC Desktop database.", path=str(path))
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if not tables:
                return None
            if "alembic_version" not in tables or "app_info" not in tables:
                raise DatabaseError("The file {path} is not a CRC Desktop database.", path=str(path))
            row = connection.exec_driver_sql(
                "SELECT value FROM app_info WHERE key = ?", (APPLICATION_KEY,)
            ).first()
            if row is None or row[0] != APPLICATION_NAME:
                raise DatabaseError("The file {path} is not a CRC Desktop database.", path=str(path))
            return MigrationContext.configure(connection).get_current_revision()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError("The file {path} is damaged: {error}", path=str(path), error=str(exc)) from exc
    except Exception as exc:
        if isinstance(exc, DatabaseError):
            raise
        cause = getattr(exc, "orig", exc)
        if isinstance(cause, sqlite3.DatabaseError):
            raise DatabaseError(
                "The file {path} is damaged: {error}", path=str(path), error=str(cause)
            ) from exc
        raise
    finally:
        engine.dispose()


def backup_file(path: Path, target: Path) -> Path:
    """A consistent copy of the database at `target`, made with SQLite's online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def upgrade(path: Path) -> None:
    """Run the migrations up to head on a plain connection (no foreign-key listener)."""
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
    if not path.exists():
        if not create:
            raise NotFound("There is no database at {path}.", path=str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        revision = None
    else:
        revision = current_revision(path)
    head = head_revision()
    script = ScriptDirectory.from_config(alembic_config())
    if revision is not None and revision != head:
        if revision not in {rev.revision for rev in script.walk_revisions()}:
            raise DatabaseError(
                "The database {path} was written by a newer version of CRC Desktop; "
                "please install the newer version.",
                path=str(path),
            )
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = backup_dir or path.parent
        backup_file(path, folder / f"{path.stem}.before-{head}-{stamp}{path.suffix or '.db'}")
    if revision != head:
        upgrade(path)
    engine = make_engine(path)
    return Database(path=path, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
