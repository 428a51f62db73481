"""What a killed run leaves behind, removed at the next start.

A throw-away demo database lives in a temporary folder that its window deletes on closing; a
file being written lives beside its target as `.<name>.….part` until it is complete. A run
killed halfway (Task Manager, a power cut) leaves them for ever unless someone looks: every
start looks. A leftover is removed only when nobody uses it: a demo folder's `in-use` file
and a partial file are locked by the process that made them (the lock dies with it), and a
file touched in the last minute is left alone whatever the lock says.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from crc_desktop.core.oslock import try_lock, unlock

DEMO_PREFIX = "crc-desktop-demo-"
IN_USE = "in-use"
QUIET_SECONDS = 60

log = logging.getLogger(__name__)


@contextlib.contextmanager
def demo_folder() -> Iterator[Path]:
    """A temporary folder for a demo database, marked in use for as long as this run lasts."""
    with tempfile.TemporaryDirectory(prefix=DEMO_PREFIX, ignore_cleanup_errors=True) as name:
        folder = Path(name)
        marker = (folder / IN_USE).open("a+b")
        try_lock(marker)
        try:
            yield folder
        finally:
            unlock(marker)
            marker.close()


def remove_leftovers(folders: Iterable[Path], temp_root: Path | None = None) -> list[Path]:
    """Remove the partial files in `folders` and the demo folders in the temporary folder that
    no running program uses; returns what was removed. Never fails: it is housekeeping."""
    removed: list[Path] = []
    for folder in folders:
        with contextlib.suppress(OSError):
            for partial in folder.glob(".*.part"):
                if _unused(partial):
                    with contextlib.suppress(OSError):
                        partial.unlink()
                        removed.append(partial)
    root = Path(temp_root or tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for demo in root.glob(f"{DEMO_PREFIX}*"):
            if demo.is_dir() and _unused(demo / IN_USE, demo):
                shutil.rmtree(demo, ignore_errors=True)
                if not demo.exists():
                    removed.append(demo)
    if removed:
        log.info("removed what killed runs left: %s", ", ".join(map(str, removed)))
    return removed


def _unused(path: Path, touched: Path | None = None) -> bool:
    """Nobody holds `path`'s lock and `touched` (default: `path`) has been quiet for a minute."""
    try:
        if time.time() - (touched or path).stat().st_mtime < QUIET_SECONDS:
            return False
        if not path.exists():
            return True  # a folder from before the in-use marker, quiet for a minute
        with path.open("rb") as handle:
            return try_lock(handle)  # closing the handle lets the lock go again
    except OSError:
        return False
