"""The Windows installer as Inno Setup reads its script, the Explorer entry it installs, signtool's
command, and the smoke test's run without console streams (the frozen build itself is tested by
`build_installer.py --smoke`, in .ci/run and the Windows workflow)."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest

from crc_desktop.cli import _parser, _with_default_command
from crc_desktop.core.i18n import Translator

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("build_installer", ROOT / "build_installer.py")
build_installer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_installer)

# Inno Setup's constants the script may use, and each section's parameters (Inno Setup 6 help).
CONSTANTS = {"app", "group", "localappdata", "uninstallexe", "userdocs", "autopf"}
PARAMETERS = {
    "Languages": {"Name", "MessagesFile"},
    "Files": {"Source", "DestDir", "Flags"},
    "Icons": {"Name", "Filename", "Parameters", "WorkingDir", "IconFilename", "Flags"},
    "Registry": {"Root", "Subkey", "ValueType", "ValueName", "ValueData", "Flags"},
    "Run": {"Filename", "Parameters", "Description", "Flags"},
}
KEYWORD = re.compile(r"[A-Za-z0-9 ]+")


def inno_parameters(line: str) -> dict[str, str]:
    """A section line read as Inno Setup reads it: `Name: value; ...`; a value in double quotes
    may hold `;` and a quote written twice; an unquoted value may hold no quote at all."""
    parameters, rest = {}, line
    while rest:
        name, colon, rest = rest.partition(":")
        assert colon and re.fullmatch(r"\s*[A-Za-z]+", name), f"no parameter name in {line!r}"
        rest = rest.lstrip()
        if rest.startswith('"'):
            value, index = [], 1
            while True:
                assert index < len(rest), f"a quoted value is not closed in {line!r}"
                if rest[index] == '"':
                    if rest[index + 1 : index + 2] == '"':
                        value.append('"')
                        index += 2
                        continue
                    break
                value.append(rest[index])
                index += 1
            parsed, rest = "".join(value), rest[index + 1 :].lstrip()
        else:
            parsed, _semicolon, after = rest.partition(";")
            assert '"' not in parsed, f"a quote in an unquoted value of {line!r}"
            parsed, rest = parsed.strip(), ";" + after if _semicolon else ""
        assert not rest or rest.startswith(";"), f"text after a quoted value in {line!r}"
        rest = rest[1:].lstrip()
        parameters[name.strip()] = parsed
    return parameters


def expand(value: str, constants: dict[str, str]) -> str:
    """Inno's constants in `value` expanded (`{{` is a literal brace); an unknown one fails."""
    out, index = [], 0
    while index < len(value):
        if value.startswith("{{", index):
            out.append("{")
            index += 2
        elif value[index] == "{":
            end = value.index("}", index)
            name = value[index + 1 : end]
            assert name in CONSTANTS, f"unknown Inno Setup constant {{{name}}}"
            out.append(constants.get(name, f"<{name}>"))
            index = end + 1
        else:
            out.append(value[index])
            index += 1
    return "".join(out)


def windows_arguments(command: str) -> list[str]:
    """A command line split as Windows programs split theirs (quotes group; no escapes needed here)."""
    return [quoted or bare for quoted, bare in re.findall(r'"([^"]*)"|(\S+)', command)]


def script_lines(tmp_path) -> list[tuple[str, str]]:
    script = build_installer.inno_setup_script(tmp_path / "dist" / "crc-desktop")
    assert script.read_bytes()[:3] == b"\xef\xbb\xbf"  # UTF-8 with a BOM: Inno reads Vietnamese then
    section, lines = "", []
    for line in script.read_text("utf-8-sig").splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        if re.fullmatch(r"\[[A-Za-z]+\]", line):
            section = line[1:-1]
            continue
        lines.append((section, line))
    return lines


def test_every_line_of_the_installer_script_reads_by_inno_setup_s_rules(tmp_path):
    lines = script_lines(tmp_path)
    assert {section for section, _line in lines} == {"Setup", *PARAMETERS}
    for section, line in lines:
        if section == "Setup":
            name, equals, value = line.partition("=")
            assert equals and re.fullmatch(r"[A-Za-z]+", name), line
            expand(value, {})
            continue
        parameters = inno_parameters(line)
        assert set(parameters) <= PARAMETERS[section], line
        for name, value in parameters.items():
            if name in ("Root", "ValueType", "Flags"):
                assert KEYWORD.fullmatch(value), line
            expand(value, {})


def test_check_this_bundle_opens_the_window_s_bundle_check_on_the_file_without_a_console(tmp_path):
    [command] = [
        inno_parameters(line)["ValueData"]
        for section, line in script_lines(tmp_path)
        if section == "Registry" and inno_parameters(line)["Subkey"].endswith("\\command")
    ]
    app = r"C:\Users\Nguyễn Văn An\AppData\Local\Programs\CRC Desktop"
    bundle = r"E:\Gói báo cáo\CRC-46-2025-v1 (bản sao).zip"
    line = expand(command, {"app": app}).replace("%1", bundle)
    arguments = windows_arguments(line)
    assert arguments[0] == app + r"\crc-desktop.exe"  # the windowed program itself: no cmd.exe
    assert "cmd" not in line.lower()
    args = _parser(Translator("vi")).parse_args(_with_default_command(arguments[1:]))
    assert args.command == "gui" and args.check_bundle == Path(bundle)


def test_signtool_signs_with_a_pfx_or_a_certificate_in_the_store_and_a_timestamp(monkeypatch):
    monkeypatch.setenv("CRC_SIGN_PASSWORD", "mật khẩu")
    url = "http://timestamp.example"
    pfx = build_installer.signtool_command(Path("setup.exe"), r"C:\keys\so-y-te.pfx", url)
    assert pfx[:2] == ["signtool", "sign"] and pfx[-1] == "setup.exe"
    assert ["/f", r"C:\keys\so-y-te.pfx", "/p", "mật khẩu"] == pfx[pfx.index("/f") : pfx.index("/f") + 4]
    assert ["/fd", "sha256"] == pfx[2:4] and ["/tr", url, "/td", "sha256"] == pfx[4:8]
    store = build_installer.signtool_command(Path("crc-desktop.exe"), "AB CD EF 01", url)
    assert store[store.index("/sha1") + 1] == "ABCDEF01" and "/f" not in store


@pytest.mark.skipif(sys.platform == "win32", reason="descriptors 0-2 closed in the child: POSIX only")
def test_the_smoke_test_runs_the_program_with_no_console_streams(tmp_path, small_demo_file):
    seen = tmp_path / "streams.txt"
    probe = f"import sys; open({str(seen)!r}, 'w').write(repr((sys.stdin, sys.stdout, sys.stderr)))"
    assert build_installer.run_without_console([sys.executable, "-c", probe], dict(os.environ)) == 0
    assert seen.read_text() == "(None, None, None)"
    program = [sys.executable, "-m", "crc_desktop"]
    env = dict(os.environ)
    picture = tmp_path / "window.png"
    done = build_installer.run_without_console(
        [*program, "gui", "--db", str(small_demo_file), "--screenshot", str(picture)], env
    )
    assert done == 0 and picture.read_bytes()[:4] == b"\x89PNG"
    assert build_installer.run_without_console([*program, "info", "--db", str(tmp_path / "no.db")], env) == 1
