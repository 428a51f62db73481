"""The command line as a package: each group of commands registers its parsers and its handler,
every command a user can type reaches a handler, each group's help is in Vietnamese, and no
function of the package is longer than a reader can hold (80 lines)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import crc_desktop.cli
from crc_desktop.cli import _COMMANDS, _parser, main
from crc_desktop.cli.parsing import TranslatedArgumentParser
from crc_desktop.core.i18n import Translator

PACKAGE = Path(crc_desktop.cli.__file__).parent
LONGEST_FUNCTION = 80


def _leaves(parser: TranslatedArgumentParser, path: tuple[str, ...] = ()):
    """(the words of a command, its parser, the parsers above it) for every command one can run."""
    if parser.commands is None:
        yield path, [parser]
        return
    for name, sub in parser.commands.choices.items():
        for words, chain in _leaves(sub, (*path, name)):
            yield words, [parser, *chain]


def _a_line_for(words: tuple[str, ...], parser: TranslatedArgumentParser) -> list[str]:
    """The command's words and a value for each argument it requires."""
    line = list(words)
    for action in parser.arguments:
        positional = not action.option_strings
        if not (action.required or positional) or action.nargs == "?":
            continue
        value = str(next(iter(action.choices))) if action.choices else "1"
        line += [value] if positional else [action.option_strings[0], value]
    return line


def test_every_command_reaches_the_handler_its_group_registered():
    parser = _parser(Translator("vi"))
    assert list(parser.commands.choices) == list(_COMMANDS)  # the order of `crc-desktop --help`
    leaves = list(_leaves(parser))
    assert len(leaves) >= 40
    for words, chain in leaves:
        registered = [p.get_default("handler") for p in chain[1:] if p.get_default("handler")]
        assert len(registered) == 1, words  # one handler per command, set by its group
        handler = registered[0]
        assert handler.__module__.startswith("crc_desktop.cli.") and handler.__name__.startswith("_run_")
        args = parser.parse_args(_a_line_for(words, chain[-1]))
        assert args.handler is handler, words


def test_a_nested_command_runs_its_groups_handler(tmp_path, capsys):
    """`office certificate list` is three words deep: it reaches the office handler, which reads the
    database (and refuses one that is not there, in Vietnamese, exit code 1)."""
    assert main(["office", "certificate", "list", "--db", str(tmp_path / "khong-co.db")]) == 1
    assert "Lỗi" in capsys.readouterr().err


class _Recording(Translator):
    """A translator that remembers which messages a group asked for while building its parser."""

    def __init__(self, language: str) -> None:
        super().__init__(language)
        self.asked: set[str] = set()

    def __call__(self, msgid: str, **params: object) -> str:
        self.asked.add(msgid)
        return super().__call__(msgid, **params)


def _messages_of(command: str) -> set[str]:
    recording = _Recording("vi")
    top = TranslatedArgumentParser(prog="crc-desktop", translate=recording)
    common = TranslatedArgumentParser(add_help=False, translate=recording)
    _COMMANDS[command](top.add_subparsers(dest="command"), common, recording)
    # the options every command takes, and argparse's own words (from the catalogue through gettext)
    return recording.asked | {
        "usage: ",
        "options",
        "show this help message and exit",
        "language of messages (vi, en)",
        "your name, recorded with your changes",
    }


def _shown(text: str, output: str) -> bool:
    """The text in the output as a whole phrase, however argparse wrapped its lines."""
    phrase = re.escape(" ".join(text.split()))
    return re.search(rf"(?<!\w){phrase}(?!\w)", " ".join(output.split())) is not None


def _help(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", [*_COMMANDS, None])
def test_each_groups_help_is_in_vietnamese(command, capsys, monkeypatch):
    """`crc-desktop <group> --help`, and `crc-desktop --help` (where each group's own line is)."""
    monkeypatch.setenv("COLUMNS", "100")
    words = [command] if command else []
    vietnamese = _help([*words, "--help"], capsys)  # no --lang: the program's own language
    english = _help([*words, "--help", "--lang", "en"], capsys)
    en, vi = Translator("en"), Translator("vi")
    assert vietnamese.startswith(" ".join(["cách dùng: crc-desktop", *words]))
    messages = _messages_of(command) if command else set().union(*map(_messages_of, _COMMANDS))
    checked = 0
    for msgid in messages:
        if _shown(en(msgid), english):
            assert vi(msgid) != en(msgid), msgid
            assert _shown(vi(msgid), vietnamese), msgid
            assert not _shown(en(msgid), vietnamese), msgid
            checked += 1
    assert checked >= 6  # the group's own help, its options or actions, argparse's words


def _functions(path: Path):
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            yield node.name, node.end_lineno - first + 1


def test_no_function_of_the_command_line_is_over_80_lines():
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) > 5
    lengths = {f"{path.name}:{name}": lines for path in modules for name, lines in _functions(path)}
    assert {name: lines for name, lines in lengths.items() if lines > LONGEST_FUNCTION} == {}
