"""The national store: the same models and migrations as a province's database, on SQLite (a
file) or PostgreSQL (a URL such as postgresql+psycopg://user@localhost/crc)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from crc_desktop.core.db.engine import Database, alembic_config, known_revisions, open_database
from crc_desktop.core.db.identity import NATIONAL, require_kind, stamp
from crc_desktop.core.db.location import require_on_this_computer
from crc_desktop.core.errors import DatabaseError


def is_url(target: str) -> bool:
    return "://" in target and not target.startswith("sqlite")


def open_store(target: str, backups: Path) -> Database:
    """Open (creating and migrating when needed) the national store at a path or a database URL."""
    if not is_url(target):
        path = Path(target.removeprefix("sqlite:///")) if target.startswith("sqlite") else Path(target)
        require_on_this_computer(path)
        require_kind(path, NATIONAL)
        return _marked(open_database(path, create=True, backup_dir=backups))
    engine = create_engine(target, pool_pre_ping=True)
    try:
        with engine.begin() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
            if revision is not None and revision not in known_revisions():
                raise DatabaseError(
                    "The database {path} was written by a newer version of CRC Desktop; "
                    "please install the newer version.",
                    path=engine.url.render_as_string(),
                )
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(
            "Cannot open the database {path}: {error}",
            path=engine.url.render_as_string(),
            error=str(getattr(exc, "orig", exc)),
        ) from None
    return _marked(
        Database(
            path=Path(engine.url.render_as_string(hide_password=True)),
            engine=engine,
            sessions=sessionmaker(engine, expire_on_commit=False),
        )
    )


def _marked(store: Database) -> Database:
    """The store says from now on that it is the national one (office commands refuse it)."""
    with store.sessions() as session:
        try:
            stamp(session, NATIONAL)
            session.commit()
        except IntegrityError:
            session.rollback()  # marked at the same moment by another program
    return store
