"""A file on a network share or a mapped drive (\\\\server\\share\\..., Z:\\ resolved to it): the URI
SQLite is given names the server in its path, never as the URI's host (a restore source is read
there); a database to work on there is refused at every door (WAL does not work over a network)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from crc_desktop.app import Paths
from crc_desktop.cli import main
from crc_desktop.core.db import location
from crc_desktop.core.db.location import on_network, require_on_this_computer
from crc_desktop.core.db.revision import connect_read_only, current_revision, sqlite_file_uri
from crc_desktop.core.errors import DatabaseError
from crc_desktop.core.i18n import Translator


def test_a_unc_path_keeps_its_server_in_the_path_of_the_uri():
    path = PureWindowsPath(r"\\may-chu\Du lieu\Sở Y tế\crc-desktop.db")
    assert sqlite_file_uri(path) == "file:////may-chu/Du%20lieu/S%E1%BB%9F%20Y%20t%E1%BA%BF/crc-desktop.db"


def test_a_drive_path_and_a_posix_path_keep_their_usual_uri():
    assert sqlite_file_uri(PureWindowsPath(r"Z:\Báo cáo\crc.db")) == "file:///Z:/B%C3%A1o%20c%C3%A1o/crc.db"
    assert (
        sqlite_file_uri(PurePosixPath("/srv/Báo cáo #2/crc?.db"))
        == "file:///srv/B%C3%A1o%20c%C3%A1o%20%232/crc%3F.db"
    )


def test_sqlite_opens_the_uri_of_a_path_with_characters_uris_reserve(tmp_path, small_demo_file):
    odd = tmp_path / "Báo cáo #2 (100%)"  # "?" is not allowed in a Windows file name
    odd.mkdir()
    db = odd / "crc.db"
    db.write_bytes(small_demo_file.read_bytes())
    assert current_revision(db) is not None
    connection = connect_read_only(db)
    assert connection.execute("PRAGMA quick_check").fetchone() == ("ok",)
    connection.close()
    assert sqlite3.connect(f"{sqlite_file_uri(db)}?mode=ro", uri=True).execute("SELECT 1").fetchone() == (1,)


# A database on a network location is refused: the engine runs SQLite in WAL mode, and SQLite's
# documentation says WAL does not work over a network filesystem (its index is shared memory,
# so every process must be on one host). Values written from two computers could be lost.

DRIVE_FIXED, DRIVE_REMOTE, DRIVE_REMOVABLE = 3, 4, 2
REFUSAL = (
    "nằm trên ổ mạng, nơi số liệu có thể bị mất: hãy chép tệp vào máy tính này (ví dụ vào thư mục Documents)"
)


def _z_is_mapped(root: str) -> int:
    return DRIVE_REMOTE if root.upper() == "Z:\\" else DRIVE_FIXED


def _never_asked(root: str) -> int:
    raise AssertionError(f"a UNC path needs no drive lookup ({root})")


@pytest.mark.parametrize(
    "path",
    [
        r"\\may-chu\Du lieu\Sở Y tế\crc-desktop.db",
        "//may-chu/share/crc.db",
        r"\\?\UNC\may-chu\share\crc.db",
        r"\\192.168.1.10\share\crc.db",
    ],
)
def test_a_unc_path_is_on_the_network(path):
    assert on_network(PureWindowsPath(path), _never_asked)


def test_a_mapped_drive_is_on_the_network_and_asked_by_its_root():
    asked = []

    def lookup(root: str) -> int:
        asked.append(root)
        return _z_is_mapped(root)

    assert on_network(PureWindowsPath(r"Z:\Báo cáo\crc.db"), lookup)
    assert on_network(PureWindowsPath(r"z:crc.db"), lookup)
    assert on_network(PureWindowsPath(r"\\?\Z:\Báo cáo\crc.db"), lookup)
    assert asked == ["Z:\\", "z:\\", "Z:\\"]


def test_a_local_or_removable_drive_and_a_path_without_drive_are_not():
    assert not on_network(PureWindowsPath(r"C:\Users\an\Documents\crc.db"), _z_is_mapped)
    assert not on_network(PureWindowsPath(r"\\?\C:\Users\an\Documents\crc.db"), _z_is_mapped)
    assert not on_network(PureWindowsPath(r"E:\crc.db"), lambda _root: DRIVE_REMOVABLE)  # a USB stick
    assert not on_network(PureWindowsPath(r"Documents\crc.db"), _never_asked)
    assert not on_network(PureWindowsPath("/home/an/crc.db"), _never_asked)


def test_the_refusal_names_the_path_in_vietnamese(monkeypatch):
    monkeypatch.setattr(location, "system_drive_type", _z_is_mapped)
    with pytest.raises(DatabaseError) as refused:
        require_on_this_computer(r"Z:\Báo cáo\crc.db")
    text = refused.value.render(Translator("vi"))
    assert text.startswith(r"Cơ sở dữ liệu Z:\Báo cáo\crc.db " + REFUSAL)
    assert text.endswith("chưa có gì bị thay đổi.")
    require_on_this_computer(r"C:\Users\an\Documents\crc.db")  # a local drive passes


@pytest.mark.skipif(os.name == "nt", reason="on Windows this path is a network share")
def test_where_there_are_no_drive_letters_a_backslashed_name_is_a_local_file():
    assert location.system_drive_type is None
    require_on_this_computer(r"\\server\share\crc.db")  # on Linux, a file name in the current folder


# Every door, on this machine with a drive Z: reported as remote. On Linux "Z:\crc.db" is an odd
# but local file name in the current folder, so what is made or changed there can be seen.


@pytest.fixture
def mapped_z(tmp_path, monkeypatch):
    monkeypatch.setattr(location, "system_drive_type", _z_is_mapped)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize(
    "command",
    [
        ["init", "--province", "46"],
        ["demo"],
        ["info"],
        ["backup"],
        ["restore"],
        ["consolidate", "--trust", "trust.pem", "bundle.zip"],
    ],
)
def test_the_command_line_refuses_a_db_on_a_network_drive_and_changes_nothing(
    mapped_z, small_demo_file, capsys, command
):
    db = mapped_z / "Z:\\crc.db"
    if command[0] not in ("init", "demo"):
        db.write_bytes(small_demo_file.read_bytes())
    before = _contents(mapped_z)
    assert main([command[0], "--db", "Z:\\crc.db", *command[1:]]) == 1
    assert REFUSAL in capsys.readouterr().err
    assert _contents(mapped_z) == before
    assert not any(Paths.for_user().backups.rglob("*.db"))


def test_opening_or_restoring_in_the_core_refuses_it_too(mapped_z, small_demo_file, paths):
    from crc_desktop.app import open_app
    from crc_desktop.core.db.engine import open_database
    from crc_desktop.core.ministry.store import open_store
    from crc_desktop.core.services.backup import restore

    target = mapped_z / "Z:\\crc.db"
    target.write_bytes(small_demo_file.read_bytes())
    source = mapped_z / "copy.db"
    source.write_bytes(small_demo_file.read_bytes())
    before = _contents(mapped_z)
    for door in (
        lambda: open_app(Path("Z:\\crc.db"), paths, window=True),
        lambda: open_app(Path("Z:\\new.db"), paths, create=True),
        lambda: open_database(Path("Z:\\crc.db")),
        lambda: open_store("Z:\\national.db", paths.backups),
        lambda: restore(Path("Z:\\crc.db"), source, paths.backups),
    ):
        with pytest.raises(DatabaseError, match="network drive"):
            door()
    assert _contents(mapped_z) == before


def test_the_window_refuses_it_in_a_message_and_makes_nothing(
    mapped_z, small_demo_file, paths, monkeypatch, qapp
):
    from crc_desktop.app import Settings
    from crc_desktop.gui import main as gui_main

    (mapped_z / "Z:\\crc.db").write_bytes(small_demo_file.read_bytes())
    before = _contents(mapped_z)
    shown = []
    monkeypatch.setattr(gui_main, "show_error", lambda _parent, tr, error: shown.append(error.render(tr)))
    for name in ("Z:\\crc.db", "Z:\\new.db"):  # a database of ours (shown at once), a new one (first run)
        window = gui_main.open_window(
            Path(name), paths, Settings(), Translator("vi"), user_name="", ask_province=True
        )
        assert window is None
        assert shown.pop() == f"Cơ sở dữ liệu {name} {REFUSAL} rồi mở bản đã chép; chưa có gì bị thay đổi."
    assert _contents(mapped_z) == before


@pytest.mark.skipif(os.name != "nt", reason="UNC paths and drive types exist on Windows only")
def test_on_windows_the_command_line_refuses_a_unc_database(tmp_path, capsys):
    assert main(["info", "--db", r"\\server\share\crc.db"]) == 1
    assert REFUSAL in capsys.readouterr().err
    assert main(["init", "--db", r"\\server\share\crc.db", "--province", "46"]) == 1
    assert main(["info", "--db", str(tmp_path / "missing.db")]) == 1
    assert REFUSAL not in capsys.readouterr().err  # a local path is not refused as a network one
