"""What killed runs leave (demo folders, partial files) is removed at the next start, and only
what no running program uses."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crc_desktop.cli import main
from crc_desktop.core.leftovers import DEMO_PREFIX, remove_leftovers

_HOLD_DEMO = (
    "import sys, time; from crc_desktop.core.leftovers import demo_folder\n"
    "with demo_folder() as folder:\n"
    "    (folder / 'demo.db').write_bytes(b'x'); print(folder, flush=True); time.sleep(120)\n"
)
_HOLD_PARTIAL = (
    "import sys, time; from crc_desktop.core.files import atomic_target\n"
    "with atomic_target(sys.argv[1]) as stream:\n"
    "    stream.write(b'half'); print('writing', flush=True); time.sleep(120)\n"
)


def _start(code: str, *args: str, temp: Path) -> subprocess.Popen:
    env = dict(os.environ, TMPDIR=str(temp), TEMP=str(temp), TMP=str(temp))
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, env=env)


def _age(path: Path, seconds: int = 600) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_a_killed_demo_leaves_its_folder_only_until_the_next_start(tmp_path):
    killed, running = _start(_HOLD_DEMO, temp=tmp_path), _start(_HOLD_DEMO, temp=tmp_path)
    try:
        killed_folder = Path(killed.stdout.readline().decode().strip())
        running_folder = Path(running.stdout.readline().decode().strip())
        killed.kill()  # SIGKILL (TerminateProcess on Windows): Task Manager, a power cut
        killed.wait(timeout=30)
        assert killed_folder.is_dir()  # left behind
        for folder in (killed_folder, running_folder):
            _age(folder)
        removed = remove_leftovers([], temp_root=tmp_path)
        assert removed == [killed_folder]
        assert not killed_folder.exists()
        assert running_folder.is_dir()  # the demo still open stays
    finally:
        running.kill()
        running.wait(timeout=30)


def test_partial_files_of_killed_runs_go_and_those_being_written_stay(tmp_path):
    target = tmp_path / "bao-cao.pdf"
    writer = _start(_HOLD_PARTIAL, str(target), temp=tmp_path)
    try:
        assert writer.stdout.readline().strip() == b"writing"
        (being_written,) = tmp_path.glob(".bao-cao.pdf.*.part")
        stale = tmp_path / ".so-lieu.xlsx.k3j2.part"
        stale.write_bytes(b"half a workbook")
        fresh = tmp_path / ".ke-hoach.xlsx.a1b2.part"
        fresh.write_bytes(b"just started")
        for path in (being_written, stale):
            _age(path)
        assert remove_leftovers([tmp_path], temp_root=tmp_path) == [stale]
        assert being_written.exists() and fresh.exists()
    finally:
        writer.kill()
        writer.wait(timeout=30)


def test_the_next_command_cleans_up(small_demo_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale_demo = tmp_path / f"{DEMO_PREFIX}abc123"
    stale_demo.mkdir()
    (stale_demo / "demo.db").write_bytes(b"x")
    (stale_demo / "in-use").write_bytes(b"")
    stale_partial = tmp_path / ".hue.db.backup.part"
    stale_partial.write_bytes(b"half")
    for path in (stale_demo, stale_partial):
        _age(path)
    db = tmp_path / "hue.db"
    db.write_bytes(small_demo_file.read_bytes())
    assert main(["info", "--db", str(db)]) == 0
    assert not stale_demo.exists() and not stale_partial.exists()
