"""Crash reports: what went wrong where no rule of ours expected it, written for the support
desk into the log folder (the program's version, the action, the traceback; never the values or
passphrases the user typed, which tracebacks do not carry)."""

from __future__ import annotations

import datetime as dt
import platform
import sys
from pathlib import Path

from crc_desktop import __version__


def write_crash_report(logs: Path, error: BaseException, action: str = "") -> Path:
    """Write a report of `error` into `logs` and return its path."""
    import traceback  # imported when used: not on the way to the window

    logs.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now()
    report = logs / f"crash-{stamp:%Y%m%d-%H%M%S}-{stamp.microsecond:06d}.txt"
    lines = [
        f"crc-desktop {__version__}",
        f"time: {stamp.isoformat(timespec='seconds')}",
        f"python: {sys.version.split()[0]} on {platform.platform()}",
        f"action: {action or '-'}",
        "",
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    ]
    report.write_text("\n".join(lines), "utf-8")
    return report
