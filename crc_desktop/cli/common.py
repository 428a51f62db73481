"""What every command group shares: exit codes, the help of the options many commands take,
opening the database, and asking for a passphrase.

The names keep the underscore they had in the one-module cli.py, so that moved code reads the same.
"""

from __future__ import annotations

import os
import sys

from crc_desktop.app import AppContext, Paths, open_app
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import N_

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # what shells report for Ctrl+C

# the help of options many commands take (each group translates them: `db_help = _(DB_HELP)`)
DB_HELP = N_("database file")
STORE_HELP = N_("the national store: a file, or a PostgreSQL URL")
PERIOD_HELP = N_("the reporting period, e.g. 2025 or 2025-H1")
OUT_HELP = N_("the file to write")
PASSPHRASE_HELP = N_("a file whose first line is the key's passphrase")


def _open(args, paths: Paths, settings, *, create: bool = False) -> AppContext:
    return open_app(args.db, paths, create=create, user_name=args.user or settings.user_name)


def _secret(args, prompt: str) -> str:
    """A passphrase or PIN: from --passphrase-file, CRC_PASSPHRASE, or a prompt; never echoed or kept."""
    if getattr(args, "passphrase_file", None):
        try:
            return args.passphrase_file.read_text("utf-8").splitlines()[0]
        except (OSError, IndexError):
            raise InputRefused(
                "Cannot read a passphrase from {path}.", path=str(args.passphrase_file)
            ) from None
    if os.environ.get("CRC_PASSPHRASE"):
        return os.environ["CRC_PASSPHRASE"]
    if sys.stdin is None or not sys.stdin.isatty():  # no console: a windowed program
        raise InputRefused("No passphrase: use --passphrase-file or CRC_PASSPHRASE, or run in a terminal.")
    import getpass

    return getpass.getpass(prompt)
