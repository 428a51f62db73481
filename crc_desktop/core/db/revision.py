"""Which schema revision a database file is at, read with the standard library alone.

Opening a current database then needs neither Alembic nor SQLAlchemy, so the window can
show a file's contents before those are loaded. `HEAD` names the newest migration; a test
checks it against Alembic's script directory, so adding a migration without moving it fails.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path, PurePath

from crc_desktop.core.errors import DatabaseError, os_reason

HEAD = "0013"
SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_KEY = "application"
APPLICATION_NAME = "crc-desktop"
DEMO_KEY = "demo"  # app_info: "true" in a demo database
DATABASE_ID_KEY = "database_id"  # app_info: the id the collection forms carry back


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to `path` (and does not create it)."""
    return sqlite3.connect(f"{sqlite_file_uri(Path(path).resolve())}?mode=ro", uri=True)


def sqlite_file_uri(path: PurePath) -> str:
    """The `file:` URI SQLite opens for an absolute `path`. A Windows network path (a UNC path,
    server and share, and a mapped drive once resolved) is written with an empty authority
    and the server in the path, file:////server/share/...: SQLite refuses any host but localhost,
    and `as_uri()` makes the server the host. Characters such as ? # % and spaces are escaped.
    Such a file is only read (a restore source): a database is never opened there (location.py)."""
    uri = path.as_uri()
    if uri.startswith("file://") and not uri.startswith("file:///"):
        uri = "file:////" + uri.removeprefix("file://")
    return uri


def current_revision(path: Path) -> str | None:
    """The revision a file is at; None for an empty file. Refuses files that are not ours."""
    try:
        with Path(path).open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError("{path} cannot be read: {error}", path=str(path), error=os_reason(exc)) from None
    if not header:
        return None
    if header != SQLITE_HEADER:
        raise DatabaseError("The file {path} is not a CRC Desktop database.", path=str(path))
    try:
        connection = connect_read_only(path)
    except sqlite3.Error as exc:
        raise DatabaseError("The file {path} is damaged: {error}", path=str(path), error=str(exc)) from exc
    try:
        tables = {
            name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables:
            return None
        if "alembic_version" not in tables or "app_info" not in tables:
            raise DatabaseError("The file {path} is not a CRC Desktop database.", path=str(path))
        row = connection.execute("SELECT value FROM app_info WHERE key = ?", (APPLICATION_KEY,)).fetchone()
        if row is None or row[0] != APPLICATION_NAME:
            raise DatabaseError("The file {path} is not a CRC Desktop database.", path=str(path))
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return version[0] if version else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError("The file {path} is damaged: {error}", path=str(path), error=str(exc)) from exc
    finally:
        connection.close()
