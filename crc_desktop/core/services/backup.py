"""Backups of the database and restoring one, without ever replacing the file by a bad copy.

Copies are made with SQLite's online backup API (consistent even while the program runs) and
are whole files: no -wal or -shm beside them. Each database's copies live in a folder named by
the id stored in the file (`backups/<id>/`), not by its name, so two `crc.db` in different
folders never share or rotate each other's copies. An automatic copy is kept at start-up once
a day (the last ten per database), none for a file not set up yet (a refused `init`); one is
also made before every migration and before every restore. A restore first checks the file:
ours, intact, not from a newer program, of the same province.

Copies made before the id existed lie in the shared `backups/` folder itself, named after the
database's file name (`crc-daily-20250101-080000.db`, `crc-20250101-080000.db`,
`crc-before-restore-….db`, `crc.before-0005-….db`). At start they are moved, once, into the
folder of the database they belong to: a copy carrying an id goes to the database with that id;
a copy with no id (older still, or unreadable) goes, as the old rotation counted it, to the
database with that file name: with two `crc.db` the first to start takes them.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from pathlib import Path

from crc_desktop.core.db.engine import backup_file, known_revisions
from crc_desktop.core.db.identity import ID_KEY, read_identity
from crc_desktop.core.db.location import require_on_this_computer
from crc_desktop.core.db.revision import connect_read_only, current_revision
from crc_desktop.core.errors import DatabaseError, InputRefused
from crc_desktop.core.files import FileHeld, replace_file
from crc_desktop.core.schemas.base import Frozen

KEEP_DAILY = 10
_STAMP = r"\d{8}-\d{6}"
_SIDECARS = ("-wal", "-shm", "-journal")

log = logging.getLogger(__name__)


class BackupInfo(Frozen):
    path: str
    size: int
    province: str


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def backup_folder(db: Path, backups: Path) -> Path:
    """The folder of `db`'s own copies, named by the id stored in the file."""
    database_id = read_identity(db).database_id
    return backups / database_id if database_id else backups


def list_backups(db: Path, backups: Path) -> list[BackupInfo]:
    """The copies of `db` (and of no other database), newest first."""
    folder = backup_folder(db, backups)
    if folder == backups or not folder.is_dir():
        return []
    copies = sorted(folder.glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [BackupInfo(path=str(p), size=p.stat().st_size, province="") for p in copies]


def _old_names(db: Path) -> re.Pattern:
    """The names the program gave `db`'s copies in the shared folder before they had an id."""
    stem, suffix = re.escape(db.stem), re.escape(db.suffix or ".db")
    return re.compile(
        rf"^(?:{stem}(?:-daily|-before-restore)?-{_STAMP}\.db|{stem}\.before-[0-9a-z_]+-{_STAMP}{suffix})$"
    )


def adopt_shared_copies(db: Path, backups: Path) -> list[Path]:
    """Move the copies of `db` left in the shared folder by older versions into its own folder
    (with their -wal/-shm files, never over another copy); the paths they now have."""
    db = Path(db)
    database_id = read_identity(db).database_id
    if database_id is None or not backups.is_dir():
        return []
    names = _old_names(db)
    folder = backups / database_id
    moved = []
    for copy in sorted(p for p in backups.iterdir() if p.is_file() and names.match(p.name)):
        owner = read_identity(copy).database_id
        if owner is not None and owner != database_id:
            continue  # another database's copy (same file name, other folder): it takes it at its start
        target = folder / copy.name
        number = 1
        while target.exists() or any(Path(f"{target}{s}").exists() for s in _SIDECARS):
            number += 1
            target = folder / f"{copy.stem}-{number}{copy.suffix}"
        folder.mkdir(parents=True, exist_ok=True)
        try:
            for sidecar in _SIDECARS:  # first, so a copy is never separated from its journal
                if Path(f"{copy}{sidecar}").exists():
                    replace_file(f"{copy}{sidecar}", f"{target}{sidecar}")
            replace_file(copy, target)
        except (OSError, FileHeld):
            log.warning("could not move the old backup %s into %s", copy, folder, exc_info=True)
            continue  # left where it is; tried again at the next start
        moved.append(target)
    if moved:
        log.info("moved %d old backups of %s into %s", len(moved), db, folder)
    return moved


def make_backup(db: Path, target: Path | None, backups: Path) -> BackupInfo:
    """A checked copy of `db` at `target` (default: its backups folder, stamped with the time)."""
    db = Path(db)
    current_revision(db)  # a folder, a file that is not ours: refused before anything is written
    target = Path(target) if target else backup_folder(db, backups) / f"{db.stem}-{_stamp()}.db"
    if target.exists():
        raise InputRefused("{path} already exists; choose a new file.", path=str(target))
    partial = target.with_name(f".{target.name}.part")
    backup_file(db, partial)
    try:
        province = check_database_file(partial)
        replace_file(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupInfo(path=str(target), size=target.stat().st_size, province=province)


def daily_backup(db: Path, backups: Path, keep: int = KEEP_DAILY) -> Path | None:
    """The start-up copy: one a day, the last `keep` kept. Returns the new copy, if one was made."""
    identity = read_identity(Path(db))
    if identity.kind is None or identity.database_id is None:
        return None  # not set up (yet): nothing worth keeping
    folder = backups / identity.database_id
    today = dt.date.today().strftime("%Y%m%d")
    if any(folder.glob(f"*-daily-{today}-*.db")):
        return None
    target = backup_file(db, folder / f"{Path(db).stem}-daily-{_stamp()}.db")
    for old in sorted(folder.glob("*-daily-*.db"), key=lambda p: p.name.rsplit("-daily-", 1)[1])[:-keep]:
        old.unlink(missing_ok=True)
    return target


def check_database_file(path: Path) -> str:
    """The province code of a database file of ours that is intact and not newer than the program."""
    path = Path(path)
    if current_revision(path) is None:  # refuses what is not ours
        raise DatabaseError("The file {path} is not a CRC Desktop database.", path=str(path))
    connection = connect_read_only(path)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise DatabaseError("The file {path} is damaged: {error}", path=str(path), error=result)
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] not in known_revisions():
            raise DatabaseError(
                "The database {path} was written by a newer version of CRC Desktop; please "
                "install the newer version.",
                path=str(path),
            )
        province = connection.execute(
            "SELECT p.code FROM office_profile o JOIN province p ON p.id = o.province_id"
        ).fetchone()
        return province[0] if province else ""
    except sqlite3.DatabaseError as exc:
        raise DatabaseError("The file {path} is damaged: {error}", path=str(path), error=str(exc)) from None
    finally:
        connection.close()


def restore(db: Path, source: Path, backups: Path) -> BackupInfo:
    """Replace the content of `db` by `source` after checking it; `db` is copied first.

    The copy goes through SQLite's backup API into the open file, so a power cut during the
    restore leaves the old or the new database, and the program's own locks are respected.
    """
    db, source = Path(db), Path(source)
    require_on_this_computer(db)  # the source may be on a share: it is only read
    if not source.is_file():
        raise InputRefused("There is no file at {path}.", path=str(source))
    province = check_database_file(source)
    if db.exists():
        current = check_database_file(db)
        if current and province and current != province:
            raise InputRefused(
                "The backup is of province {theirs}, this database of province {ours}; nothing was changed.",
                theirs=province,
                ours=current,
            )
        make_backup(db, backup_folder(db, backups) / f"{db.stem}-before-restore-{_stamp()}.db", backups)
    own_id = read_identity(db).database_id
    origin = connect_read_only(source)  # a network path too (see sqlite_file_uri)
    try:
        destination = sqlite3.connect(db)
        try:
            origin.backup(destination)
            if own_id:  # the file keeps its own id (and backups folder) whichever copy came in
                with destination:
                    destination.execute("REPLACE INTO app_info (key, value) VALUES (?, ?)", (ID_KEY, own_id))
        finally:
            destination.close()
    finally:
        origin.close()
    return BackupInfo(path=str(db), size=db.stat().st_size, province=province)
