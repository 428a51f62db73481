"""One writing window per database: a lock file beside it that says who holds it.

The window that opens a database first takes an operating-system lock on `<file>.lock` and
writes its holder (user, computer, process, since when) into it; a second window on the same
file finds the lock taken, reads who holds it, and opens the database read-only, saying so.
The lock belongs to the open file handle: when the holder's process ends, even killed or
after a power cut, the system releases it, so a stale file never blocks anyone; the next
window simply takes the lock and writes itself in. The file is never deleted (deleting a lock
file another process is about to lock lets two holders in); releasing empties it.

SQLite still serialises every transaction; this lock is about people: two windows editing
one database would overwrite each other's work without knowing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
from pathlib import Path
from typing import BinaryIO

from crc_desktop.core.oslock import try_lock, unlock
from crc_desktop.core.schemas.base import Frozen


class Holder(Frozen):
    """Who has a database open for writing."""

    user: str
    host: str
    pid: int
    since: dt.datetime

    @classmethod
    def current(cls, user_name: str = "") -> Holder:
        user = user_name or os.environ.get("USERNAME") or os.environ.get("USER") or "?"
        return cls(user=user, host=socket.gethostname(), pid=os.getpid(), since=dt.datetime.now())


def lock_path(db: Path) -> Path:
    return Path(db).with_name(f"{Path(db).name}.lock")


class WriterLock:
    """The lock held for as long as one window has the database open for writing."""

    def __init__(self, path: Path, handle: BinaryIO | None) -> None:
        self.path = path
        self._handle: BinaryIO | None = handle

    @classmethod
    def try_acquire(cls, db: Path, holder: Holder) -> WriterLock | None:
        """The lock, with `holder` written in; None when someone else holds it. A folder where no
        lock file can be made (a read-only medium) gives a lock that holds nothing."""
        path = lock_path(db)
        try:
            handle = path.open("a+b")
        except OSError:
            return cls(path, None)
        if not try_lock(handle):
            handle.close()
            return None
        handle.seek(0)
        handle.truncate()
        handle.write(holder.model_dump_json().encode("utf-8"))
        handle.flush()
        return cls(path, handle)

    def release(self) -> None:
        if self._handle is None:
            return
        with contextlib.suppress(OSError):
            self._handle.seek(0)
            self._handle.truncate()
            self._handle.flush()
        unlock(self._handle)
        self._handle.close()
        self._handle = None


def current_holder(db: Path) -> Holder | None:
    """Who holds the lock of `db`, as they wrote it; None when nobody does or it cannot be read."""
    try:
        text = lock_path(db).read_bytes()[:4096]
        return Holder.model_validate(json.loads(text))
    except (OSError, ValueError):
        return None
