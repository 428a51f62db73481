"""Backups and restores: a copy is checked, a damaged or foreign file is refused and changes nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from crc_desktop.app import open_app
from crc_desktop.cli import main
from crc_desktop.core.db.engine import backup_file
from crc_desktop.core.db.identity import read_identity
from crc_desktop.core.errors import DatabaseError, InputRefused
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.core.services.backup import backup_folder, daily_backup, make_backup, restore


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _first_value(context):
    grid = context.values.grid("2025")
    return grid.rows[0].cell_id, grid.areas[0].id


def test_backup_then_restore_brings_the_values_back(demo_db, paths, tmp_path, capsys):
    db = demo_db.database.path
    cell, area = _first_value(demo_db)
    demo_db.values.apply("2025", [ValueEdit(cell_id=cell, area_id=area, raw="11")])
    copy = tmp_path / "copy.db"
    assert main(["backup", "--db", str(db), "--out", str(copy)]) == 0
    demo_db.values.apply("2025", [ValueEdit(cell_id=cell, area_id=area, raw="99")])
    demo_db.close()
    assert main(["restore", "--db", str(db), str(copy)]) == 0
    assert "đã được khôi phục" in capsys.readouterr().out
    context = open_app(db, paths)
    assert context.values.grid("2025").numbers[(cell, area)] == 11
    assert context.audit.verify().intact
    assert list(paths.backups.glob("*/demo-before-restore-*.db"))
    context.close()


@pytest.mark.parametrize("kind", ["damaged", "foreign", "newer", "not sqlite"])
def test_restore_refuses_bad_files_and_changes_nothing(demo_db, paths, tmp_path, kind):
    db = demo_db.database.path
    demo_db.close()
    before = _sha(db)
    bad = tmp_path / "bad.db"
    if kind == "not sqlite":
        bad.write_bytes(b"Bao cao" * 100)
    elif kind == "foreign":
        connection = sqlite3.connect(bad)
        connection.execute("CREATE TABLE customers (id INTEGER)")
        connection.commit()
        connection.close()
    else:
        backup_file(db, bad)
        connection = sqlite3.connect(bad)
        if kind == "newer":
            connection.execute("UPDATE alembic_version SET version_num = '9999'")
            connection.commit()
            connection.close()
        else:
            connection.close()
            data = bytearray(bad.read_bytes())
            page = int.from_bytes(data[16:18], "big")
            for number in range(1, 20):  # scribble over the header of pages 2 to 20
                data[number * page : number * page + 12] = b"\x0d" + b"\xff" * 11
            bad.write_bytes(bytes(data))
    with pytest.raises((DatabaseError, InputRefused)):
        restore(db, bad, paths.backups)
    assert _sha(db) == before


def test_restore_refuses_another_provinces_database(demo_db, paths, tmp_path):
    other = open_app(tmp_path / "hn.db", paths, create=True)
    other.setup.init("01")
    other.close()
    db = demo_db.database.path
    demo_db.close()
    before = _sha(db)
    with pytest.raises(InputRefused, match="province 01"):
        restore(db, tmp_path / "hn.db", paths.backups)
    assert _sha(db) == before


def test_a_daily_backup_is_made_once_a_day_and_rotated(demo_db, paths):
    db = demo_db.database.path
    folder = backup_folder(db, paths.backups)
    assert folder.parent == paths.backups and folder.name == read_identity(db).database_id
    first = list(folder.glob("demo-daily-*.db"))
    assert len(first) == 1  # made when the fixture opened the database today
    assert daily_backup(db, paths.backups) is None
    for index in range(12):
        (folder / f"demo-daily-2000010{index:02d}-000000.db").write_bytes(b"old")
    first[0].unlink()
    assert daily_backup(db, paths.backups) is not None
    assert len(list(folder.glob("demo-daily-*.db"))) == 10


def test_two_databases_of_one_name_keep_their_own_backups_without_sidecars(tmp_path, paths, capsys):
    first, second = tmp_path / "a" / "crc.db", tmp_path / "b" / "crc.db"
    for db, province in ((first, "46"), (second, "79")):
        db.parent.mkdir()
        assert main(["init", "--db", str(db), "--province", province]) == 0
        assert main(["info", "--db", str(db)]) == 0  # the day's first opening makes its copy
    folders = {backup_folder(first, paths.backups), backup_folder(second, paths.backups)}
    assert len(folders) == 2
    for folder in folders:
        assert [p.name.split("-daily-")[0] for p in folder.iterdir()] == ["crc"]  # one copy, no -wal/-shm
    capsys.readouterr()
    assert main(["restore", "--db", str(first)]) == 0
    listed = capsys.readouterr().out
    assert str(backup_folder(first, paths.backups)) in listed
    assert str(backup_folder(second, paths.backups)) not in listed


def test_a_refused_init_leaves_neither_a_file_nor_a_backup(tmp_path, paths):
    assert main(["init", "--db", str(tmp_path / "x.db"), "--province", "99"]) == 1
    assert not (tmp_path / "x.db").exists()
    assert not paths.backups.exists() or not any(paths.backups.rglob("*"))


def test_a_backup_is_never_written_over_an_existing_file(demo_db, tmp_path):
    target = tmp_path / "exists.db"
    target.write_bytes(b"keep me")
    with pytest.raises(InputRefused, match="already exists"):
        make_backup(demo_db.database.path, target, tmp_path)
    assert target.read_bytes() == b"keep me"


def _without_id(path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("DELETE FROM app_info WHERE key = 'database_id'")
    connection.commit()
    connection.close()


def test_copies_an_older_version_left_in_the_shared_folder_move_once_into_their_databases_folder(
    tmp_path, paths, capsys
):
    """Before backups had a folder per database, they lay in one shared folder, named after the
    database's file: those of this database (by the id in the copy, or by the name when the copy
    has none) move into its folder at start, none lost; another database's stay for it."""
    mine, other = tmp_path / "a" / "crc.db", tmp_path / "b" / "crc.db"
    for db, province in ((mine, "46"), (other, "79")):
        db.parent.mkdir()
        assert main(["init", "--db", str(db), "--province", province]) == 0
    shared = paths.backups
    old = {
        "daily": shared / "crc-daily-20250301-080000.db",  # carries my id
        "manual": shared / "crc-20250302-090000.db",  # made before ids: no id, my file's name
        "restore": shared / "crc-before-restore-20250303-100000.db",
        "migration": shared / "crc.before-0005-20250304-110000.db",
        "others": shared / "crc-daily-20250305-120000.db",  # same name, the other database's id
        "stranger": shared / "hn-daily-20250306-130000.db",  # another file name altogether
    }
    for key, path in old.items():
        backup_file(other if key == "others" else mine, path)
    for key in ("manual", "restore"):
        _without_id(old[key])
    Path(f"{old['daily']}-wal").write_bytes(b"journal of the copy")  # kept with its copy
    mine_folder = backup_folder(mine, shared)
    clash = mine_folder / old["restore"].name  # a copy of that name already there: both kept
    mine_folder.mkdir(parents=True, exist_ok=True)
    clash.write_bytes(b"already here")
    digests = {key: _sha(path) for key, path in old.items()}

    context = open_app(mine, paths)  # the start of the program
    context.close()

    moved = {key: mine_folder / path.name for key, path in old.items() if key not in ("others", "stranger")}
    moved["restore"] = mine_folder / "crc-before-restore-20250303-100000-2.db"
    for key, path in moved.items():
        assert not old[key].exists()
        assert _sha(path) == digests[key], key
    assert clash.read_bytes() == b"already here"
    assert Path(f"{moved['daily']}-wal").read_bytes() == b"journal of the copy"
    assert not Path(f"{old['daily']}-wal").exists()
    assert _sha(old["others"]) == digests["others"] and _sha(old["stranger"]) == digests["stranger"]

    capsys.readouterr()
    assert main(["restore", "--db", str(mine)]) == 0  # the copies are offered for restoring
    listed = capsys.readouterr().out
    for path in moved.values():
        assert str(path) in listed
    assert str(old["others"]) not in listed

    context = open_app(other, paths)  # the other database takes its own at its start
    context.close()
    assert _sha(backup_folder(other, shared) / old["others"].name) == digests["others"]
    assert _sha(old["stranger"]) == digests["stranger"]  # no database of that name: left alone
    after = sorted(p.name for p in mine_folder.iterdir())
    context = open_app(mine, paths)
    context.close()
    assert sorted(p.name for p in mine_folder.iterdir()) == after  # once: nothing moves again
