"""A new command goes in its group's module as `add_<command>(commands, common, _)`, listed in `_COMMANDS`.

The command line: the same services as the GUI, for scripting, support and tests.

Exit codes: 0 success, 1 input refused (the reason is printed in the user's language),
2 usage error. With no command, or `gui`, the desktop application starts.

Each module of this package is one group of commands. A group's `add_<command>` builds the
command's parser (its subcommands, its options, their help) and names its handler with
`set_defaults(handler=…)`; `main` reads the line and calls `args.handler(args, paths, _, settings)`.
`_COMMANDS` lists the commands in the order `crc-desktop --help` shows them. `parsing.py` is the
parser that speaks the user's language; `common.py` what the groups share (exit codes, the help of
common options, opening the database, asking for a passphrase).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from crc_desktop import __version__
from crc_desktop.app import Paths, configure_logging, load_settings, translator_for
from crc_desktop.cli import (
    catalog,
    collect,
    database,
    gui,
    indicators,
    ministry,
    period,
    plan,
    report,
    signing,
)
from crc_desktop.cli.common import EXIT_INTERRUPTED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from crc_desktop.cli.parsing import TranslatedArgumentParser, quiet_when_the_reader_leaves
from crc_desktop.core.errors import CrcError, InputRefused, Msgid
from crc_desktop.core.i18n import LANGUAGES, N_, Translator, python_speaking

__all__ = ["EXIT_INTERRUPTED", "EXIT_OK", "EXIT_REFUSED", "EXIT_USAGE", "main"]

# every command, and the function that adds its parser, in the order of `crc-desktop --help`
_COMMANDS: dict[str, Callable[..., None]] = {
    "gui": gui.add_gui,
    "init": database.add_init,
    "demo": database.add_demo,
    "catalog": catalog.add_catalog,
    "population": catalog.add_population,
    "info": database.add_info,
    "check": period.add_check,
    "period": period.add_period,
    "report": report.add_report,
    "indicators": indicators.add_indicators,
    "plan": plan.add_plan,
    "office": signing.add_office,
    "keys": signing.add_keys,
    "export": signing.add_export,
    "bundle": signing.add_bundle,
    "verify": ministry.add_verify,
    "backup": database.add_backup,
    "restore": database.add_restore,
    "consolidate": ministry.add_consolidate,
    "ministry": ministry.add_ministry,
    "collect": collect.add_collect,
    "list": database.add_list,
    "tokens": signing.add_tokens,
    "trust": signing.add_trust,
    "audit": database.add_audit,
    "guide": report.add_guide,
}


def _parser(_: Translator) -> argparse.ArgumentParser:
    common = TranslatedArgumentParser(add_help=False, translate=_)
    common.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=_("language of messages (vi, en)"),
    )
    common.add_argument("--user", default=argparse.SUPPRESS, help=_("your name, recorded with your changes"))
    parser = TranslatedArgumentParser(
        translate=_,
        prog="crc-desktop",
        description=_(
            "CRC Desktop: the province's plan for Decision 27/QĐ-TTg, child indicators and signed reports."
        ),
        parents=[common],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"crc-desktop {__version__}",
        help=_("show the program's version and exit"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in _COMMANDS.values():
        add(commands, common, _)
    return parser


_GUI_OPTIONS_WITH_VALUES = ("--lang", "--user", "--db", "--screenshot", "--size", "--check-bundle")


def _with_default_command(argv: list[str]) -> list[str]:
    """`crc-desktop --demo` means `crc-desktop gui --demo`; a mistyped command is left for the
    parser to name (with the closest command), not taken for the window's arguments."""
    if argv[:1] and argv[0] in ("-h", "--help", "--version"):
        return argv
    if any(arg in _COMMANDS for arg in argv) or _bare_words(argv):
        return argv
    return ["gui", *argv]


def _bare_words(argv: list[str]) -> list[str]:
    """The arguments that are neither an option nor the value of one."""
    words, expects_value = [], False
    for arg in argv:
        if expects_value:
            expects_value = False
        elif arg.startswith("-"):
            expects_value = arg in _GUI_OPTIONS_WITH_VALUES
        else:
            words.append(arg)
    return words


def _language_hint(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    with quiet_when_the_reader_leaves():
        return _main(args_list)


# the arguments that name files (or folders) a command reads, checked once for every command
_INPUT_FILES = {"file", "bundle", "certificate", "p12", "passphrase_file", "template", "module", "pkcs11_lib"}
_INPUT_FILES_OR_FOLDERS = {"files", "bundles"}
_TRUST_READERS = {"verify", "consolidate", "catalog"}  # `trust add|anchor` may make the folder


def _check_input_files(args) -> None:
    """A missing or unreadable file named on the command line gets one sentence, before the command
    starts (never "unexpected error" from deep inside)."""
    names = dict.fromkeys(_INPUT_FILES, False) | dict.fromkeys(_INPUT_FILES_OR_FOLDERS, True)
    if args.command in _TRUST_READERS:
        names["trust"] = True
    names["folder"] = True
    for dest, folder_allowed in names.items():
        value = getattr(args, dest, None)
        for path in value if isinstance(value, list) else [value]:
            if isinstance(path, Path):
                _check_input_file(path, folder_allowed=folder_allowed or dest == "folder")


def _check_input_file(path: Path, *, folder_allowed: bool) -> None:
    if not path.exists():
        reason = N_("the file does not exist")
    elif path.is_dir() and not folder_allowed:
        reason = N_("it is a folder, not a file")
    elif not os.access(path, os.R_OK):
        reason = N_("there is no permission to read it")
    else:
        return
    raise InputRefused("{path} cannot be read: {error}", path=str(path), error=Msgid(reason))


def _main(args_list: list[str]) -> int:
    paths = Paths.for_user()
    configure_logging(paths)
    settings = load_settings(paths)
    _ = translator_for(_language_hint(args_list), settings)
    with python_speaking(_.language):  # argparse's own words in the user's language
        args = _parser(_).parse_args(_with_default_command(args_list))
    args.lang = getattr(args, "lang", None)
    args.user = getattr(args, "user", None)
    _remove_leftovers(args, paths)
    handler = args.handler  # set by the command's parser (`set_defaults`)
    try:
        _refuse_a_database_on_a_network_drive(args)
        _check_input_files(args)
        return handler(args, paths, _, settings)
    except CrcError as error:
        _print_error(error, _)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print(_("Stopped by the user."), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        from crc_desktop.core.crash import write_crash_report

        report = write_crash_report(paths.logs, error, action=" ".join(args_list[:2]))
        print(
            _("Unexpected error. A report was written to {path}.", path=str(report)),
            file=sys.stderr,
        )
        return EXIT_REFUSED


def _refuse_a_database_on_a_network_drive(args) -> None:
    """Every command's --db, before it is read (the window refuses in its own dialog: a windowed
    program has no console to print to)."""
    from crc_desktop.core.db.identity import is_url
    from crc_desktop.core.db.location import require_on_this_computer

    db = getattr(args, "db", None)
    if db is not None and args.command != "gui" and not is_url(db):
        require_on_this_computer(db)


def _remove_leftovers(args, paths: Paths) -> None:
    """What killed runs left (demo folders, partial files) goes at the next start."""
    from crc_desktop.core.leftovers import remove_leftovers

    folders = [paths.data, paths.backups]
    if paths.backups.is_dir():
        folders += [folder for folder in paths.backups.iterdir() if folder.is_dir()]
    for value in (getattr(args, "db", None), getattr(args, "out", None)):
        if isinstance(value, Path):
            folders.append(value.parent if value.suffix else value)
    remove_leftovers(folders)


def _print_error(error: CrcError, _: Translator) -> None:
    print(_("Error: {message}", message=error.render(_)), file=sys.stderr)
    for problem in getattr(error, "problems", []):
        print(f"  - {problem.render(_)}", file=sys.stderr)
