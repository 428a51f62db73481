"""A database on a network share or a mapped drive (\\\\server\\share\\..., Z:\\ resolved to it): the
URI SQLite is given names the server in its path, as SQLite requires, never as the URI's host."""

from __future__ import annotations

import sqlite3
from pathlib import PurePosixPath, PureWindowsPath

from crc_desktop.core.db.revision import connect_read_only, current_revision, sqlite_file_uri


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
