"""The operating system's file locks, held by an open file and released when its process ends.

On POSIX `flock` belongs to the open file, so two handles of one process exclude each other too;
on Windows, whose locks are mandatory, a byte far past the file's text is locked so the text
can still be read by others.
"""

from __future__ import annotations

import contextlib
import os
from typing import BinaryIO

_WINDOWS_LOCK_OFFSET = 1 << 20

if os.name == "nt":
    import msvcrt

    def try_lock(handle: BinaryIO) -> bool:
        """Take the lock of `handle`'s file if nobody holds it; False otherwise."""
        position = handle.tell()
        handle.seek(_WINDOWS_LOCK_OFFSET)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            handle.seek(position)
        return True

    def unlock(handle: BinaryIO) -> None:
        position = handle.tell()
        handle.seek(_WINDOWS_LOCK_OFFSET)
        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        handle.seek(position)

else:
    import fcntl

    def try_lock(handle: BinaryIO) -> bool:
        """Take the lock of `handle`'s file if nobody holds it; False otherwise."""
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def unlock(handle: BinaryIO) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
