"""What a database file is: an office's database or the ministry's national store, and its id.

Both kinds share one schema, so the kind is written into the file (`app_info`: `store`), set
when an office database is initialised or a national store is first opened; files made before
the marker existed are recognised by their content (an office profile, loaded bundles). Office
commands refuse a national store and ministry commands an office database, before anything is
written. The id (`app_info`: `database_id`, a random UUID given when the file is first opened)
names the folder of the file's backups, so two `crc.db` in different folders never mix theirs.
Both are read with the standard library's read-only connection: checking writes nothing.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from crc_desktop.core.db.models import AppInfoRecord
from crc_desktop.core.db.revision import connect_read_only
from crc_desktop.core.errors import DatabaseError

StoreKind = Literal["office", "national"]
OFFICE: StoreKind = "office"
NATIONAL: StoreKind = "national"
STORE_KEY = "store"
ID_KEY = "database_id"
# "sqlite:///x.db", "postgresql+psycopg://…" (a path keeps one slash of them); a Windows drive
# ("C:/…", "C:\\…") has a one-letter name, so it never matches
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:[/\\]")


@dataclass(frozen=True)
class Identity:
    kind: StoreKind | None  # None: a file not yet initialised as either
    database_id: str | None


def read_identity(path: Path) -> Identity:
    """The kind and id of a database file of ours; an empty identity for a file not set up yet."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return Identity(None, None)
    try:
        connection = connect_read_only(path)
        try:
            return _identity(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return Identity(None, None)  # not ours or damaged: opening it says so in its own words


def _identity(connection: sqlite3.Connection) -> Identity:
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "app_info" not in tables:
        return Identity(None, None)
    rows = connection.execute("SELECT key, value FROM app_info WHERE key IN (?, ?)", (STORE_KEY, ID_KEY))
    info = dict(rows.fetchall())
    kind = info.get(STORE_KEY)
    if kind not in (OFFICE, NATIONAL):
        kind = _inferred_kind(connection, tables)
    return Identity(kind, info.get(ID_KEY))


def _inferred_kind(connection: sqlite3.Connection, tables: set[str]) -> StoreKind | None:
    """The kind of a file from before the marker: what it holds says what it is."""
    if "office_profile" in tables and connection.execute("SELECT 1 FROM office_profile").fetchone():
        return OFFICE
    if "national_bundle" in tables and connection.execute("SELECT 1 FROM national_bundle").fetchone():
        return NATIONAL
    return None


def is_url(place: str | Path) -> bool:
    """Whether a database was given as an address (a URL) rather than as a file."""
    return bool(_URL.match(str(place)))


def require_file(path: Path) -> None:
    """Refuse an office database given as an address: only the national store may live on a
    database server (and a path made of a URL would create folders named "sqlite:")."""
    if is_url(path):
        raise DatabaseError(
            "{path} is a database address, not a file; nothing was written. An office's database is "
            "always a file (for example --db crc-desktop.db); only the ministry's national store "
            "can be on a PostgreSQL server.",
            path=str(path),
        )


def require_kind(path: Path, wanted: StoreKind) -> None:
    """Refuse, before anything is written, a file of the other kind (and an office database
    given as an address)."""
    if wanted == OFFICE:
        require_file(path)
    kind = read_identity(path).kind
    if kind is None or kind == wanted:
        return
    if wanted == NATIONAL:
        raise DatabaseError(
            "{path} is an office's database, not the ministry's national store; nothing was written. "
            "Give the national store's file (or a new file to create it).",
            path=str(path),
        )
    raise DatabaseError(
        "{path} is the ministry's national store, not an office's database; nothing was written. "
        "Use the ministry commands (consolidate, ministry …) on it.",
        path=str(path),
    )


def stamp(session: Session, kind: StoreKind | None = None) -> None:
    """Give the file its id if it has none, and its kind if `kind` is given; the caller commits."""
    if session.get(AppInfoRecord, ID_KEY) is None:
        session.add(AppInfoRecord(key=ID_KEY, value=str(uuid.uuid4())))
    if kind is not None and session.get(AppInfoRecord, STORE_KEY) is None:
        session.add(AppInfoRecord(key=STORE_KEY, value=kind))
    session.flush()
