"""The command line's argument parser, speaking the user's language.

argparse writes its own words ("usage:", "the following arguments are required", "show this
help message and exit") through the module-level gettext function `argparse._`. Our parser
class routes that function to the user's Translator while it builds, parses and prints, so
every subparser made from it (`add_subparsers` passes the class on) speaks Vietnamese with no
work per command. argparse's messages keep its own %-placeholders (it formats them itself);
their Vietnamese entries keep them too (a test checks). A mistyped command, option or choice
is answered with the closest valid one.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
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
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
)

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


@contextlib.contextmanager
def _speaking(translate: Translator) -> Iterator[None]:
    """argparse's own words through `translate` for the time of one call."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = lambda singular, plural, n: translate(singular if n == 1 else plural)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _translated(method):
    @functools.wraps(method)
    def speaking(self, *args, **kwargs):
        with _speaking(self.translate):
            return method(self, *args, **kwargs)

    return speaking


class TranslatedArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose every word, and every subparser's, is in the user's language."""

    def __init__(self, *args, translate: Translator, **kwargs) -> None:
        self.translate = translate
        with _speaking(translate):
            super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        """Every argument's value named in the user's language in usage lines (`--db CSDL`)."""
        action = super().add_argument(*args, **kwargs)
        if action.metavar is None and action.choices is None and action.nargs != 0:
            name = action.dest.upper()
            if name in METAVARS:
                action.metavar = self.translate(name)
        return action

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("parser_class", functools.partial(type(self), translate=self.translate))
        if kwargs.get("metavar") in METAVARS:
            kwargs["metavar"] = self.translate(kwargs["metavar"])
        with _speaking(self.translate):
            return super().add_subparsers(**kwargs)

    format_usage = _translated(argparse.ArgumentParser.format_usage)
    format_help = _translated(argparse.ArgumentParser.format_help)

    @_translated
    def parse_known_args(self, args=None, namespace=None):
        if args is not None and not self._subcommands():
            self._refuse_unknown_options(list(args))
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

    def _check_value(self, action, value) -> None:
        if action.choices is None or value in action.choices:
            return
        _ = self.translate
        choices = [str(choice) for choice in action.choices]
        if isinstance(action, argparse._SubParsersAction):
            message = _("there is no command “{value}”.", value=value)
            message += self._did_you_mean(str(value), choices) or " " + _(
                "The commands are: {choices}.", choices=", ".join(choices)
            )
            raise argparse.ArgumentError(None, message)
        message = _("“{value}” is not one of: {choices}.", value=value, choices=", ".join(choices))
        raise argparse.ArgumentError(action, message + self._did_you_mean(str(value), choices))

    def _get_value(self, action, arg_string):
        """A value converted by its type; a refusal of ours, or a bad number, said in a sentence."""
        _ = self.translate
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError:
            if action.type is int:
                raise argparse.ArgumentError(
                    action, _("“{value}” is not a whole number.", value=arg_string)
                ) from None
            raise
        except CrcError as error:
            raise argparse.ArgumentError(action, error.render(_)) from None

    def _subcommands(self) -> argparse._SubParsersAction | None:
        return next((a for a in self._actions if isinstance(a, argparse._SubParsersAction)), None)

    def _leaf(self, namespace) -> TranslatedArgumentParser:
        """The parser of the command that was chosen (`catalog import`, not `catalog`)."""
        subcommands = self._subcommands()
        if subcommands is None:
            return self
        chosen = subcommands.choices.get(getattr(namespace, subcommands.dest, None) or "")
        return chosen._leaf(namespace) if isinstance(chosen, TranslatedArgumentParser) else self

    def _refuse_unknown_options(self, args: list[str]) -> None:
        """A mistyped option is named before argparse complains of the option it stands for."""
        known = [s for action in self._actions for s in action.option_strings]
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
        candidates = [s for action in parser._actions for s in action.option_strings]
        subcommands = parser._subcommands()
        if subcommands is not None:
            candidates += list(subcommands.choices)
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
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._leave()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
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
    sys.stdout, sys.stderr = _QuietStream(sys.stdout), _QuietStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = saved
