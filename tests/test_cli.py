"""The command line: exit codes, Vietnamese messages by default, nothing left behind on refusal."""

from __future__ import annotations

import json

import pytest

from crc_desktop.cli import main


def test_init_then_info_in_vietnamese(tmp_path, capsys):
    db = tmp_path / "hue.db"
    assert main(["init", "--db", str(db), "--province", "46"]) == 0
    assert "Thành phố Huế" in capsys.readouterr().out
    assert main(["info", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Tỉnh, thành phố: Thành phố Huế (46)" in out
    assert "Cơ quan báo cáo: Sở Y tế thành phố Huế" in out
    assert "Xã, phường: 40" in out  # the official communes and wards of Huế, from the start
    assert "Cơ quan, đơn vị: 22" in out  # 12 specialised agencies and 10 usual partners
    assert "Chỉ tiêu: 38" in out  # with all 24 NPA 2021-2030 indicators, split into 35 parts


def test_english_on_request(tmp_path, capsys):
    db = tmp_path / "hue.db"
    assert main(["init", "--db", str(db), "--province", "46", "--lang", "en"]) == 0
    assert main(["--lang", "en", "info", "--db", str(db)]) == 0
    assert "Province: Thành phố Huế (46)" in capsys.readouterr().out


def test_an_unknown_province_is_refused_and_leaves_no_file(tmp_path, capsys):
    db = tmp_path / "x.db"
    assert main(["init", "--db", str(db), "--province", "99"]) == 1
    err = capsys.readouterr().err
    assert "99 không phải là mã tỉnh" in err
    assert not db.exists()


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--scale", "huge", "--db", "x.db"])
    assert exited.value.code == 2


def test_catalog_import_dry_run_then_for_real(tmp_path, capsys):
    db = tmp_path / "hue.db"
    main(["init", "--db", str(db), "--province", "46"])
    path = tmp_path / "agencies.json"
    path.write_text(
        json.dumps(
            {
                "format": "crc-desktop-catalog",
                "format_version": 1,
                "kind": "agencies",
                "entries": [
                    {"code": "SNGV", "name": "Sở Ngoại vụ"},
                    {"code": "SDL", "name": "Sở Du lịch"},
                    {"code": "SYT", "name": "Sở Y tế"},
                ],
            }
        ),
        "utf-8",
    )
    capsys.readouterr()
    assert main(["catalog", "import", "--db", str(db), str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Chạy thử: chưa thay đổi gì." in out and "2 thêm mới" in out
    assert main(["catalog", "import", "--db", str(db), str(path)]) == 0
    assert main(["info", "--db", str(db)]) == 0
    assert "Cơ quan, đơn vị: 24" in capsys.readouterr().out  # the 22 it started with, and these two


def test_a_refused_import_exits_1_with_the_row(tmp_path, capsys):
    db = tmp_path / "hue.db"
    main(["init", "--db", str(db), "--province", "46"])
    path = tmp_path / "xa.csv"
    path.write_text("code,name\n19753,Phường Thuận Hóa\nabc,Xã Sai Mã\n", "utf-8")
    capsys.readouterr()
    assert main(["catalog", "import", "--db", str(db), str(path), "--kind", "communes"]) == 1
    err = capsys.readouterr().err
    assert "Dòng 3, cột code (mã): “abc” không viết đúng dạng mà cột này cần: chỉ gồm chữ số" in err


def test_a_file_that_is_not_there_is_named_in_the_users_language(tmp_path, capsys):
    db = tmp_path / "hue.db"
    main(["init", "--db", str(db), "--province", "46"])
    capsys.readouterr()
    missing = tmp_path / "so-lieu.xlsx"
    assert main(["indicators", "import", "--db", str(db), "--period", "2025", str(missing)]) == 1
    assert f"Lỗi: Không đọc được {missing}: không có tệp này" in capsys.readouterr().err
    folder = tmp_path / "thu-muc.xlsx"
    folder.mkdir()
    assert main(["indicators", "import", "--db", str(db), "--period", "2025", str(folder)]) == 1
    assert "đây là thư mục, không phải tệp" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "goi.zip")]) == 1
    out, err = capsys.readouterr()
    assert f"Lỗi: Không đọc được {tmp_path / 'goi.zip'}: không có tệp này" in err  # as for every command
    assert "No such file" not in out + err


def test_demo_refuses_to_overwrite(tmp_path, capsys):
    db = tmp_path / "demo.db"
    db.write_bytes(b"precious")
    assert main(["demo", "--db", str(db)]) == 1
    assert db.read_bytes() == b"precious"
