"""What offices' Windows machines do to a program: Vietnamese user folders, USB sticks pulled
out mid-write, files held open by Excel, and a second copy of the program on the same file."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crc_desktop.app import Paths, open_app
from crc_desktop.cli import main
from crc_desktop.core.db.engine import backup_file
from crc_desktop.core.errors import InputRefused

WORKER = str(Path(__file__).with_name("crash_worker.py"))


def test_a_user_folder_with_a_vietnamese_name(tmp_path, monkeypatch, capsys):
    home = tmp_path / "Users" / "Nguyễn Văn An" / "AppData" / "Roaming" / "CRC Desktop"
    monkeypatch.setenv("CRC_DESKTOP_HOME", str(home))
    db = tmp_path / "Users" / "Nguyễn Văn An" / "Tài liệu" / "Báo cáo trẻ em.db"
    db.parent.mkdir(parents=True)
    assert main(["demo", "--db", str(db)]) == 0
    out = db.parent / "Báo cáo 2025.pdf"
    assert main(["report", "--db", str(db), "--period", "2025", "--out", str(out)]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    assert main(["backup", "--db", str(db)]) == 0
    assert list((home / "data" / "backups").glob("*/Báo cáo trẻ em-*.db"))  # in the folder of its id


def test_a_usb_stick_pulled_out_mid_write_leaves_nothing_half_written(demo_db, tmp_path, monkeypatch):
    stick = tmp_path / "USB (E)"  # ":" is not allowed in a Windows file name
    stick.mkdir()
    (stick / "bao-cao.pdf").write_bytes(b"last week's report")

    def pulled_out(_descriptor):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", pulled_out)
    with pytest.raises(OSError):
        demo_db.reports.pdf("2025", stick / "bao-cao.pdf")
    assert [p.name for p in stick.iterdir()] == ["bao-cao.pdf"]
    assert (stick / "bao-cao.pdf").read_bytes() == b"last week's report"


def test_a_target_held_open_by_another_program_gets_a_clear_message(demo_db, tmp_path, monkeypatch):
    target = tmp_path / "ke-hoach.xlsx"
    target.write_bytes(b"open in Excel")

    def locked(_source, _destination):
        raise PermissionError(
            13, "The process cannot access the file because it is being used by another process"
        )

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(InputRefused, match="open in another program"):
        demo_db.reports.plan_workbook("2025", target)
    assert [p.name for p in tmp_path.iterdir() if "ke-hoach" in p.name] == ["ke-hoach.xlsx"]
    assert target.read_bytes() == b"open in Excel"


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="the workers share one database over SQLite locks killed mid-write, a POSIX crash test; "
    "Windows' mandatory locks are tested by the held-file tests",
)
def test_two_copies_of_the_program_on_one_database_never_corrupt_it(small_demo_file, tmp_path):
    db = backup_file(small_demo_file, tmp_path / "shared.db")
    homes = [tmp_path / "a", tmp_path / "b"]
    workers = [
        subprocess.Popen(
            [sys.executable, WORKER, "edits", str(db), str(home)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for home in homes
    ]
    time.sleep(6)
    outputs = []
    for worker in workers:
        worker.kill()  # SIGKILL; TerminateProcess on Windows
        outputs.append(worker.communicate())
    saved = [len(out.splitlines()) for out, _err in outputs]
    assert all(count > 0 for count in saved), [err[-500:] for _out, err in outputs]
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    context = open_app(db, Paths(tmp_path, tmp_path, tmp_path))
    assert context.audit.verify().intact
    assert context.audit.verify().entries >= sum(saved)
    context.close()


def test_a_refused_init_lets_go_of_its_half_made_file_before_deleting_it(tmp_path, monkeypatch, capsys):
    """Windows refuses to delete a file a connection holds open (here as there: simulated)."""
    from crc_desktop.core.db.engine import Database

    db = tmp_path / "Sở Y tế.db"
    closed: list[Path] = []
    close, unlink = Database.close, Path.unlink

    def closing(self) -> None:
        closed.append(self.path)
        close(self)

    def deleting(self, missing_ok=False) -> None:
        if self == db and not closed:
            raise PermissionError(13, "The process cannot access the file: it is used by another process")
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Database, "close", closing)
    monkeypatch.setattr(Path, "unlink", deleting)
    assert main(["init", "--db", str(db), "--province", "99"]) == 1
    assert "99 không phải là mã tỉnh" in capsys.readouterr().err  # the reason, not a crash report
    assert not db.exists() and closed == [db]
