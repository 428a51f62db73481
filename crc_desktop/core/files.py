"""Writing files so that a crash, a full disk or a pulled USB stick never leaves half a file
under the final name: write beside it under a temporary name, flush to disk, then rename."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from crc_desktop.core.errors import InputRefused, os_reason
from crc_desktop.core.oslock import try_lock


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[BinaryIO]:
    """Yields a binary file; on success it becomes `path`, on any error it disappears."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise InputRefused("The folder {folder} does not exist.", folder=str(folder))
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            try_lock(stream)  # in use: the next start removes it only once this process has gone
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        replace_file(temporary, path)
        _sync_folder(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# How long a held file is waited for, in seconds between tries: about 3 s in all, the time an
# antivirus scan or a sync client's upload of a new file usually takes.
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.5)
_WINDOWS_SHARING_ERRORS = (5, 32, 33)  # access denied, sharing violation, lock violation


class FileHeld(InputRefused):
    """A file another program holds (an antivirus scanning it, a sync client uploading it, Excel
    showing it): the rename that would replace it was refused, again and again."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            "{path} is open in another program or held by one (an antivirus or a sync client such "
            "as OneDrive, for example), or it is read-only. Close it or wait a moment, then try again.",
            path=str(path),
        )


def replace_file(source: Path | str, target: Path | str) -> None:
    """`os.replace(source, target)`, retried with a growing pause while another program holds
    either file (Windows refuses the rename then: WinError 5 or 32); `FileHeld` after the last try.
    Every atomic replace of ours goes through here: settings, backups, bundles, exports."""
    for delay in (*RETRY_DELAYS, None):
        try:
            os.replace(source, target)
            return
        except OSError as exc:
            if not _held(exc):
                raise
            if delay is None:
                raise FileHeld(Path(target)) from exc
            time.sleep(delay)


def _held(error: OSError) -> bool:
    return isinstance(error, PermissionError) or getattr(error, "winerror", None) in _WINDOWS_SHARING_ERRORS


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> object:
    with atomic_target(path) as stream:
        return write(stream)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_json(path: Path) -> object:
    """A JSON file a user gave us; a refusal in the user's language when it cannot be read."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputRefused("{path} cannot be read: {error}", path=str(path), error=os_reason(exc)) from None
    except UnicodeDecodeError:
        raise InputRefused("{path} is not UTF-8 text; save it as UTF-8.", path=str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputRefused(
            "{path} is not valid JSON: the text goes wrong at line {line}, column {column}.",
            path=str(path),
            line=exc.lineno,
            column=exc.colno,
        ) from None
