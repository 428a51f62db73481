"""The command line's argument parser, speaking the user's language.

argparse writes its own words ("usage:", "the following arguments are required", "show this
help message and exit") through gettext's global functions. As Python's argparse how-to says,
our catalogue holds those message ids and is installed as gettext's global catalogue while the
command line is built and read (`i18n.python_speaking`), so every parser speaks the user's
language with no work per command.
argparse's messages keep its own %-placeholders (it formats them itself); their Vietnamese
entries keep them too (a test checks). A value is checked by its `type` (argparse's documented
hook: an `ArgumentTypeError` is shown as the reason), which also answers a mistyped command or
choice with the closest valid one; a mistyped option is caught before argparse reads the line.
Only argparse's public API is used: its private names change between Python versions.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import errno
import functools
import io
import os
import re
import sys
from collections.abc import Iterator

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import N_, Translator, parse_date

# argparse's own message ids, as it writes them (Python 3.11 to 3.13); marked for the catalogue
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
)

# argparse's message ids with a plural (it calls ngettext), in the catalogue as one plural entry
ARGPARSE_PLURALS = (("expected %s argument", "expected %s arguments"),)

# the names of values in usage lines (`--db DB`), by the argument's dest upper-cased
METAVARS = (
    N_("DB"),
    N_("PERIOD"),
    N_("OUT"),
    N_("FILE"),
    N_("FILES"),
    N_("BUNDLE"),
    N_("BUNDLES"),
    N_("PROVINCE"),
    N_("USER"),
    N_("DATE"),
    N_("DUE"),
    N_("TEMPLATE"),
    N_("SEED"),
    N_("NAME"),
    N_("TITLE"),
    N_("REASON"),
    N_("BY"),
    N_("TRUST"),
    N_("SCREENSHOT"),
    N_("PASSPHRASE_FILE"),
    N_("TOKEN"),
    N_("KEY_LABEL"),
    N_("PKCS11_LIB"),
    N_("P12"),
    N_("COMMAND"),
    N_("ACTION"),
    # issue 26: the report text, the document number, programmes and images
    N_("SECTION"),
    N_("TEXT_FILE"),
    N_("CODE"),
    N_("SOURCE"),
    N_("PARENT"),
    N_("TASK"),
    N_("INTO"),
    N_("YEAR"),
    N_("PNG"),
    N_("NUMBER"),
    N_("SYMBOL"),
    N_("TO"),
    # issue 27: the rest of the placeholders (help read OFFICE_NAME, UNITS)
    N_("DOCUMENT_SYMBOL"),
    N_("FOLDER"),
    N_("KEY_ID"),
    N_("MODULE"),
    N_("OFFICE_NAME"),
    N_("PARENT_AGENCY"),
    N_("PLACE_NAME"),
    N_("RECIPIENTS"),
    N_("SEQUENCE"),
    N_("SIGNER_NAME"),
    N_("SIGNER_TITLE"),
    N_("SIGNING_FOR"),
    N_("UNITS"),
    N_("CERTIFICATE"),
    N_("FINGERPRINT"),
)

_NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")
_DATE_SHAPE = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*$|^\s*\d{4}-\d{1,2}-\d{1,2}\s*$")


class TranslatedArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose every word, and every subparser's, is in the user's language."""

    def __init__(self, *args, translate: Translator, **kwargs) -> None:
        self.translate = translate
        self.arguments: list[argparse.Action] = []  # what `add_argument` made, in order
        self.commands: argparse.Action | None = None  # what `add_subparsers` made
        super().__init__(*args, **kwargs)
        for parent in kwargs.get("parents", []):  # their arguments are copied into this parser
            self.arguments += parent.arguments

    def add_argument(self, *args, **kwargs):
        """Every argument's value named in the user's language in usage lines (`--db CSDL`), and
        checked by its type and its choices with a reason in that language."""
        if "type" in kwargs or "choices" in kwargs:
            kwargs["type"] = self._checked(kwargs.get("type"), kwargs.get("choices"))
        action = super().add_argument(*args, **kwargs)
        self.arguments.append(action)
        if action.metavar is None and action.choices is None and action.nargs != 0:
            name = action.dest.upper()
            if name in METAVARS:
                action.metavar = self.translate(name)
        return action

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("parser_class", functools.partial(type(self), translate=self.translate))
        if kwargs.get("metavar") in METAVARS:
            kwargs["metavar"] = self.translate(kwargs["metavar"])
        self.commands = super().add_subparsers(**kwargs)
        return self.commands

    def parse_known_args(self, args=None, namespace=None):
        if args is not None and self.commands is None:
            self._refuse_unknown_options(list(args))
        elif args is not None:
            self._refuse_unknown_command(list(args))
        return super().parse_known_args(args, namespace)

    def parse_args(self, args=None, namespace=None):
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            self._leaf(parsed).error(self._unknown(extras[0], self._leaf(parsed)))
        return parsed

    def error(self, message: str):
        """Usage, the reason, and where to read more; exit code 2 (a usage error)."""
        _ = self.translate
        self.print_usage(sys.stderr)
        print(_("{program}: error: {message}", program=self.prog, message=message), file=sys.stderr)
        print(_("See: {program} --help", program=self.prog), file=sys.stderr)
        self.exit(2)

    def _checked(self, convert, choices):
        """The argument's `type`: `convert` (a refusal of ours, or a bad number, said in a
        sentence), then one of `choices` (or the closest one offered)."""
        _ = self.translate

        def checked(text: str):
            try:
                value = convert(text) if convert is not None else text
            except CrcError as error:
                raise argparse.ArgumentTypeError(error.render(_)) from None
            except ValueError:
                if convert is int:
                    raise argparse.ArgumentTypeError(
                        _("“{value}” is not a whole number.", value=text)
                    ) from None
                raise argparse.ArgumentTypeError(_("“{value}” is not accepted here", value=text)) from None
            if choices is not None and value not in choices:
                names = [str(choice) for choice in choices]
                message = _("“{value}” is not one of: {choices}.", value=text, choices=", ".join(names))
                raise argparse.ArgumentTypeError(message + self._did_you_mean(text, names))
            return value

        return checked

    def _refuse_unknown_command(self, args: list[str]) -> None:
        """A mistyped command is named, with the closest one, before argparse reads the line."""
        _ = self.translate
        takes_value = {s for a in self.arguments if a.nargs != 0 for s in a.option_strings}
        rest = iter(args)
        for arg in rest:
            if arg.startswith("-"):
                if arg in takes_value:
                    next(rest, None)  # the option's value
                continue
            names = list(self.commands.choices)
            if arg not in names:
                message = _("there is no command “{value}”.", value=arg)
                hint = self._did_you_mean(arg, names)
                self.error(
                    message + (hint or " " + _("The commands are: {choices}.", choices=", ".join(names)))
                )
            return

    def _leaf(self, namespace) -> TranslatedArgumentParser:
        """The parser of the command that was chosen (`catalog import`, not `catalog`)."""
        if self.commands is None:
            return self
        chosen = self.commands.choices.get(getattr(namespace, self.commands.dest, None) or "")
        return chosen._leaf(namespace) if isinstance(chosen, TranslatedArgumentParser) else self

    def _refuse_unknown_options(self, args: list[str]) -> None:
        """A mistyped option is named before argparse complains of the option it stands for."""
        known = [s for action in self.arguments for s in action.option_strings] + ["-h", "--help"]
        for arg in args:
            if arg == "--":
                return
            if not arg.startswith("-") or arg == "-" or _NEGATIVE_NUMBER.match(arg):
                continue
            name = arg.split("=", 1)[0]
            if not any(option.startswith(name) for option in known):
                self.error(self._unknown(arg, self))

    def _unknown(self, arg: str, parser: TranslatedArgumentParser) -> str:
        _ = self.translate
        candidates = [s for action in parser.arguments for s in action.option_strings]
        if parser.commands is not None:
            candidates += list(parser.commands.choices)
        name = arg.split("=", 1)[0] if arg.startswith("-") else arg
        if arg.startswith("-"):
            message = _("there is no option “{option}” here.", option=name)
        else:
            message = _("“{argument}” is not expected here.", argument=arg)
        return message + self._did_you_mean(name, candidates)

    def _did_you_mean(self, value: str, candidates: list[str]) -> str:
        close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
        return " " + self.translate("Did you mean “{match}”?", match=close[0]) if close else ""


def date_argument(text: str) -> dt.date:
    """A date given on the command line; a sentence saying what is wrong otherwise."""
    try:
        return parse_date(text)
    except ValueError:
        if _DATE_SHAPE.match(text):
            raise CrcError("{text} is not a date in the calendar.", text=text) from None
        raise CrcError("{text} is not a date: write it as dd/mm/yyyy, e.g. 30/06/2025.", text=text) from None


class _QuietStream:
    """A console stream that, once its reader has gone (`… | head`), drops the rest of the
    output instead of raising: the command still finishes and returns its own exit code."""

    def __init__(self, stream) -> None:
        self._stream = stream
        # A windowed program started from Explorer or a shortcut has no console: sys.stdout and
        # sys.stderr are None, and what it would print goes nowhere.
        self.gone = stream is None

    def isatty(self) -> bool:
        return not self.gone and self._stream.isatty()

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._stream.write(text)
            except OSError as error:
                self._leave_if_gone(error)
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except OSError as error:
                self._leave_if_gone(error)

    def _leave_if_gone(self, error: OSError) -> None:
        """A broken pipe; on Windows a pipe whose reader has gone says EINVAL instead."""
        if not isinstance(error, BrokenPipeError) and error.errno != errno.EINVAL:
            raise error
        self._leave()

    def _leave(self) -> None:
        """Point the file descriptor at the null device, so the interpreter's last flush is quiet."""
        self.gone = True
        with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self._stream.fileno())
            os.close(null)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def quiet_when_the_reader_leaves() -> Iterator[None]:
    """stdout and stderr that end quietly on a broken pipe, for the time of one command."""
    saved = sys.stdout, sys.stderr
    for stream in saved:
        _write_utf8(stream)
    sys.stdout, sys.stderr = _QuietStream(sys.stdout), _QuietStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = saved


def _write_utf8(stream) -> None:
    """Vietnamese text in UTF-8, whatever the console's code page: output redirected to a file or a
    pipe on Windows uses the ANSI code page (cp1258, cp1252), which cannot encode "Đã tạo"."""
    encoding = getattr(stream, "encoding", None) or ""
    if encoding.lower().replace("-", "").replace("_", "") == "utf8" or not hasattr(stream, "reconfigure"):
        return
    with contextlib.suppress(ValueError, OSError, io.UnsupportedOperation):
        stream.reconfigure(encoding="utf-8")
