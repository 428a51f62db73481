"""Where a database may live: on this computer, never on a network drive.

The engine runs SQLite in WAL mode, whose index of the log is shared memory (the -shm file);
SQLite's documentation says all processes using a WAL database must be on the same host and
that WAL does not work over a network filesystem. Two computers editing one file on a share
could each miss the other's commits, and a value would be lost without a word. So a database
on a share (\\\\server\\share\\...) or on a drive letter Windows reports as remote (a mapped
drive) is refused before anything is read, created or changed, and the user is told to copy it
to this computer. Each door that opens a database asks `require_on_this_computer`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PureWindowsPath

from crc_desktop.core.errors import DatabaseError

DRIVE_REMOTE = 4  # GetDriveTypeW: "the drive is a remote (network) drive"
_PREFIXES = ("\\\\?\\", "\\\\.\\")  # extended-length and device paths: \\?\C:\..., \\?\UNC\server\...

DriveType = Callable[[str], int]


def on_network(path: PureWindowsPath, drive_type: DriveType) -> bool:
    """Whether the Windows `path` is on a network location: a UNC path, or a drive whose root
    (e.g. "Z:\\") `drive_type` reports as DRIVE_REMOTE. A path without a drive is not."""
    drive = path.drive
    if not drive:
        return False
    for prefix in _PREFIXES:
        if drive.startswith(prefix):
            rest = drive[len(prefix) :]
            if rest.upper().startswith("UNC\\"):
                return True
            return drive_type(rest.rstrip("\\") + "\\") == DRIVE_REMOTE
    if drive.startswith(("\\\\", "//")):
        return True  # \\server\share
    return drive_type(drive + "\\") == DRIVE_REMOTE


def _windows_drive_type(root: str) -> int:
    import ctypes

    return ctypes.windll.kernel32.GetDriveTypeW(root)  # type: ignore[attr-defined]


# The system's answer for a drive root; None where there are no drive letters (tests set it).
system_drive_type: DriveType | None = _windows_drive_type if os.name == "nt" else None


def require_on_this_computer(path: Path | str) -> None:
    """Refuse a database on a network location (Windows), naming it; nothing is touched.

    The path is checked as given, made absolute (a relative path in a folder on a share), and,
    on Windows, with its links resolved (a mapped drive or a link that leads to a share)."""
    drive_type = system_drive_type
    if drive_type is None:
        return
    for form in _forms(path):
        if on_network(form, drive_type):
            raise DatabaseError(
                "The database {path} is on a network drive, where values could be lost: copy it to "
                "this computer (into Documents, for example) and open the copy; nothing was changed.",
                path=str(path),
            )


def _forms(path: Path | str):
    yield PureWindowsPath(str(path))
    yield PureWindowsPath(os.path.abspath(path))
    if os.name == "nt":
        try:
            yield PureWindowsPath(Path(path).resolve())
        except (OSError, RuntimeError):
            return
