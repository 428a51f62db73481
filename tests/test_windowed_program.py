"""The program as a windowed Windows build runs it: started from Explorer or a shortcut it has no
console (sys.stdout and sys.stderr are None), and output redirected to a file or a pipe uses
the ANSI code page (cp1258 on a Vietnamese Windows), which cannot encode Vietnamese letters."""

from __future__ import annotations

import errno
import io
import sys

import pytest

from crc_desktop import cli
from crc_desktop.cli import main


def no_console(monkeypatch) -> None:
    """Called in the test itself: pytest puts its own streams back between a fixture and the test."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "stdin", None)


def test_the_window_opens_draws_and_closes_with_no_console(monkeypatch, small_demo_file, tmp_path):
    no_console(monkeypatch)
    picture = tmp_path / "window.png"
    assert main(["gui", "--db", str(small_demo_file), "--screenshot", str(picture)]) == 0
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_commands_succeed_and_fail_by_their_exit_code_with_no_console(monkeypatch, small_demo_file, tmp_path):
    no_console(monkeypatch)
    assert main(["info", "--db", str(small_demo_file)]) == 0
    assert main(["demo", "--db", str(tmp_path / "demo.db")]) == 0
    assert main(["info", "--db", str(tmp_path / "missing.db")]) == 1  # refused, said to nobody
    with pytest.raises(SystemExit) as usage:
        main(["info", "--no-such-option"])
    assert usage.value.code == 2
    # a passphrase cannot be asked for: refused, not an AttributeError on sys.stdin
    assert main(["keys", "new", "--out", str(tmp_path / "k"), "--name", "A", "--province", "46"]) == 1


def test_an_unexpected_error_with_no_console_still_leaves_its_report(monkeypatch, paths):
    no_console(monkeypatch)

    def broken(*_args):
        raise RuntimeError("something no rule of ours expected")

    monkeypatch.setattr(cli.database, "_run_info", broken)  # the handler `info` registers
    assert main(["info", "--db", "x.db"]) == 1
    [report] = paths.logs.glob("crash-*.txt")
    assert "something no rule of ours expected" in report.read_text("utf-8")


def test_vietnamese_output_redirected_through_a_cp1258_code_page_is_written_in_utf8(monkeypatch, tmp_path):
    redirected, errors = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(redirected, encoding="cp1258"))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(errors, encoding="cp1252"))
    assert main(["demo", "--db", str(tmp_path / "Báo cáo.db")]) == 0
    assert "Đã tạo cơ sở dữ liệu mẫu" in redirected.getvalue().decode("utf-8")
    assert main(["info", "--db", str(tmp_path / "Không có.db")]) == 1
    assert "Không có.db" in errors.getvalue().decode("utf-8")


class _PipeWhoseReaderLeftOnWindows(io.StringIO):
    """Windows says EINVAL, not EPIPE, when the reader of a pipe has gone (`crc-desktop info | more`,
    closed early)."""

    def write(self, text: str) -> int:
        raise OSError(errno.EINVAL, "Invalid argument")


def test_a_pipe_whose_reader_left_on_windows_ends_the_command_quietly(monkeypatch, small_demo_file):
    monkeypatch.setattr(sys, "stdout", _PipeWhoseReaderLeftOnWindows())
    assert main(["info", "--db", str(small_demo_file)]) == 0
