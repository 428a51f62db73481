"""The mistakes a new user makes on the command line, each answered in Vietnamese.

Every case runs the real command on a copy of the demo database and checks what the user
would: the exit code (1 refused, 2 usage), a Vietnamese sentence saying what is wrong (and
what to do), no traceback and no English of Python's or argparse's, no crash report in the
logs, and a database exactly as it was.
"""

from __future__ import annotations

import gettext
import hashlib
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crc_desktop.app import Paths, open_app
from crc_desktop.cli import main
from crc_desktop.core.db.engine import backup_file
from crc_desktop.core.ministry.store import open_store
from tests.workbooks import first_count_cell

TRANSLATIONS = Path(__file__).resolve().parents[1] / "resources" / "translations"

ENGLISH = ("usage:", "error:", "Error:", "Traceback", "Unexpected", "Lỗi ngoài dự kiến", "invalid choice")


def _content(path: Path) -> str:
    """A digest of every row of the database (not of the file's bytes, which SQLite may rewrite)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def files(small_demo_file, tmp_path_factory) -> dict[str, Path]:
    """The wrong files users pick, made once."""
    folder = tmp_path_factory.mktemp("mistakes")
    home = folder / "home"
    made = {
        "xls": folder / "so-lieu.xls",
        "csv": folder / "so-lieu.csv",
        "csv_named_xlsx": folder / "so-lieu-csv.xlsx",
        "empty": folder / "rong.xlsx",
        "pdf": folder / "bao-cao.xlsx",
        "docx": folder / "van-ban.xlsx",
        "bomb": folder / "bom.xlsx",
        "big": folder / "lon.xlsx",
        "truncated": folder / "hong.xlsx",
        "not_pem": folder / "chung-thu.pem",
        "garbage_db": folder / "rac.db",
        "communes": folder / "xa.xlsx",
        "bad_json": folder / "mau-bao-cao.json",
    }
    made["bad_json"].write_text('{"title": "Báo cáo",}', "utf-8")
    made["xls"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    made["csv"].write_text("Mã chỉ tiêu;46\n0101;12\n", "utf-8")
    made["csv_named_xlsx"].write_text("Mã chỉ tiêu,46\n0101,12\n", "utf-8")
    made["empty"].write_bytes(b"")
    made["pdf"].write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    with zipfile.ZipFile(made["docx"], "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with zipfile.ZipFile(made["bomb"], "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            "<workbook>&lol2;</workbook>",
        )
    with zipfile.ZipFile(made["big"], "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (40 * 1024 * 1024))
    made["truncated"].write_bytes(made["bomb"].read_bytes()[:60])
    made["not_pem"].write_text("đây không phải chứng thư", "utf-8")
    made["garbage_db"].write_bytes(b"Bao cao" * 200)
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["code", "name"])
    book.active.append(["abc", "Xã Sai Mã"])
    book.save(made["communes"])

    context = open_app(backup_file(small_demo_file, folder / "mau.db"), Paths(home, home, home))
    template = folder / "mau-2025.xlsx"
    context.reports.entry_workbook("2025", template)
    context.close()
    made["template_2025"] = template
    for name, edit in {
        "other_province": lambda book: _set_meta(book, "province", "79"),
        "typed_comma": lambda book: _set_first_integer(book, "1,234"),
    }.items():
        book = load_workbook(template)
        edit(book)
        made[name] = folder / f"{name}.xlsx"
        book.save(made[name])
    store = open_store(str(folder / "quoc-gia.db"), folder / "backups")
    store.close()
    made["national"] = folder / "quoc-gia.db"
    return made


def _set_meta(book, key: str, value: str) -> None:
    for row in book["_crc"].iter_rows():
        if row[0].value == key:
            row[1].value = value


def _set_first_integer(book, text: str) -> None:
    first_count_cell(book["Số liệu"]).value = text


# (argv with {db}, {new}, {out}, {nat}, {file:NAME}; exit code; what the user reads)
MISTAKES = [
    (["repport", "--db", "{db}"], 2, "Có phải ý bạn là “report”?"),
    (["report", "--db", "{db}", "--perod", "2025", "--out", "{out}"], 2, "Có phải ý bạn là “--period”?"),
    (["report", "--db", "{db}"], 2, "còn thiếu các đối số bắt buộc: --period"),
    (["report", "--db", "{db}", "--period", "2025"], 2, "Hãy cho --out TỆP để ghi báo cáo."),  # not for text
    (
        ["report", "--db", "{db}", "--period", "2025", "--out", "{out}", "--date", "31/02/2025"],
        2,
        "không phải là một ngày có thật",
    ),
    (
        ["report", "--db", "{db}", "--period", "2025", "--out", "{out}", "--date", "2025"],
        2,
        "ví dụ 30/06/2025",
    ),
    (["demo", "--db", "{new}", "--scale", "huge"], 2, "“huge” không phải là một trong: small, large"),
    (["demo", "--db", "{new}", "--seed", "abc"], 2, "“abc” không phải là một số nguyên"),
    (["info", "--db", "{db}", "thừa"], 2, "không cần “thừa” ở đây"),
    (["catalog", "improt", "--db", "{db}"], 2, "Có phải ý bạn là “import”?"),
    (["--lang", "fr", "info", "--db", "{db}"], 2, "“fr” không phải là một trong: vi, en"),
    (["info", "--bd", "{db}"], 2, "Có phải ý bạn là “--db”?"),
    (["report", "--db", "{db}", "--period", "2031", "--out", "{out}"], 1, "crc-desktop period create"),
    (["report", "--db", "{db}", "--period", "2025-Q1", "--out", "{out}"], 1, "2025-Q1"),
    (["report", "--db", "{db}", "--period", "2025", "--out", "{missing}/bc.pdf"], 1, "không tồn tại"),
    (
        ["indicators", "import", "--db", "{db}", "--period", "2025", "{file:xls}"],
        1,
        "lưu thành “Excel Workbook (.xlsx)”",
    ),
    (["indicators", "import", "--db", "{db}", "--period", "2025", "{file:csv}"], 1, "CSV"),
    (["indicators", "import", "--db", "{db}", "--period", "2025", "{file:csv_named_xlsx}"], 1, "CSV"),
    (["indicators", "import", "--db", "{db}", "--period", "2025", "{file:empty}"], 1, "tệp rỗng"),
    (["indicators", "import", "--db", "{db}", "--period", "2025", "{file:pdf}"], 1, "tài liệu PDF"),
    (
        ["indicators", "import", "--db", "{db}", "--period", "2025", "{file:docx}"],
        1,
        "không phải sổ tính Excel",
    ),
    (["indicators", "import", "--db", "{db}", "--period", "2025", "{file:bomb}"], 1, "DOCTYPE"),
    (["indicators", "import", "--db", "{db}", "--period", "2025", "{file:big}"], 1, "giới hạn"),
    (["indicators", "import", "--db", "{db}", "--period", "2025", "{file:truncated}"], 1, "bị hỏng"),
    (
        ["indicators", "import", "--db", "{db}", "--period", "2025", "{file:other_province}"],
        1,
        "mẫu của Thành phố Hồ Chí Minh (79), còn cơ sở dữ liệu này là của Thành phố Huế (46)",
    ),
    (["indicators", "import", "--db", "{db}", "--period", "2024", "{file:template_2025}"], 1, "2025"),
    (
        ["indicators", "import", "--db", "{db}", "--period", "2025", "{file:typed_comma}"],
        1,
        '"1,234" không phải là số nguyên',
    ),
    (
        ["indicators", "import", "--db", "{db}", "--period", "2025", "{missing}/so-lieu.xlsx"],
        1,
        "không có tệp này",
    ),
    (
        ["catalog", "import", "--db", "{db}", "--kind", "communes", "{file:communes}"],
        1,
        "Dòng 2, cột code (mã): “abc”",
    ),
    (["catalog", "import", "--db", "{db}", "--kind", "communes", "{file:xls}"], 1, "Excel đời cũ (.xls)"),
    (["verify", "{file:docx}", "--trust", "{missing}/bo.pem"], 1, "Không đọc được"),
    (["verify", "{file:docx}", "--trust", "{file:not_pem}"], 1, "không phải chứng thư"),
    (["verify", "{missing}/goi.zip"], 1, "không có tệp này"),
    (["consolidate", "--db", "{db}", "{file:docx}"], 1, "không phải kho dữ liệu toàn quốc"),
    (
        ["ministry", "report", "--db", "{db}", "--period", "2025", "--out", "{out}"],
        1,
        "không phải kho dữ liệu toàn quốc",
    ),
    (
        ["ministry", "export", "--db", "{db}", "--period", "2025", "--out", "{out}"],
        1,
        "không phải kho dữ liệu toàn quốc",
    ),
    (["info", "--db", "{nat}"], 1, "là kho dữ liệu toàn quốc của Bộ"),
    (["report", "--db", "{nat}", "--period", "2025", "--out", "{out}"], 1, "là kho dữ liệu toàn quốc của Bộ"),
    (["init", "--db", "{db}", "--province", "46"], 1, "đã tồn tại; hãy chọn tệp mới"),
    (["restore", "--db", "{db}", "{file:garbage_db}"], 1, "không phải là cơ sở dữ liệu"),
    (["period", "reopen", "--db", "{db}", "--period", "2025", "--by", "Lê Thị Hoa"], 1, "không cần mở lại"),
    (["export", "--db", "{db}", "--period", "2025", "--out", "{out}"], 2, "--p12"),
    (
        ["report", "--db", "{db}", "--period", "2025", "--out", "{out}", "--template", "{file:bad_json}"],
        1,
        "không phải JSON hợp lệ: nội dung sai ở dòng 1, cột 21",
    ),
    (
        ["report", "--db", "{db}", "--period", "2025", "--out", "{out}", "--template", "{missing}.json"],
        1,
        "không có tệp này",
    ),
    (["catalog", "import", "--db", "{db}", "{file:bad_json}"], 1, "không phải JSON hợp lệ"),
    (["info", "--db", "{folder}"], 1, "đây là thư mục, không phải tệp"),
    (["backup", "--db", "{folder}"], 1, "đây là thư mục, không phải tệp"),
    (["backup", "--db", "{file:csv}"], 1, "không phải là cơ sở dữ liệu của CRC Desktop"),
    # an office's database given as an address: refused before a folder named "sqlite:" is made
    (
        ["init", "--db", "sqlite:///{new}", "--province", "46"],
        1,
        "là một địa chỉ cơ sở dữ liệu, không phải một tệp",
    ),
    (["info", "--db", "sqlite:///{db}"], 1, "Cơ sở dữ liệu của cơ quan luôn là một tệp"),
    (["demo", "--db", "postgresql://cuc@localhost/crc"], 1, "không phải một tệp; chưa ghi gì cả"),
    (
        ["report", "--db", "postgresql+psycopg://u@h/crc", "--period", "2025", "--out", "{out}"],
        1,
        "PostgreSQL",
    ),
    (["backup", "--db", "sqlite:///{db}"], 1, "là một địa chỉ cơ sở dữ liệu"),
    (["restore", "--db", "sqlite:///{db}"], 1, "là một địa chỉ cơ sở dữ liệu"),
]


@pytest.mark.parametrize(("argv", "code", "said"), MISTAKES, ids=[" ".join(m[0][:3]) for m in MISTAKES])
def test_a_mistake_gets_a_vietnamese_answer_and_changes_nothing(
    argv, code, said, files, small_demo_file, tmp_path, paths, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # what a mistaken relative path would create lands here
    db = backup_file(small_demo_file, tmp_path / "hue.db")
    national = backup_file(files["national"], tmp_path / "quoc-gia.db")
    before = {path: _content(path) for path in (db, national)}
    values = {
        "{db}": str(db),
        "{new}": str(tmp_path / "moi.db"),
        "{out}": str(tmp_path / "ra.pdf"),
        "{nat}": str(national),
        "{missing}": str(tmp_path / "không-có"),
        "{folder}": str(tmp_path),
    }
    args = []
    for arg in argv:
        for key, value in values.items():
            arg = arg.replace(key, value)
        if arg.startswith("{file:"):
            arg = str(files[arg[6:-1]])
        args.append(arg)
    try:
        exit_code = main(args)
    except SystemExit as exited:
        exit_code = exited.code
    out, err = capsys.readouterr()
    assert exit_code == code, err
    assert said in err, err
    assert not any(word in out + err for word in ENGLISH), err
    assert not list(paths.logs.glob("crash-*")) if paths.logs.exists() else True
    assert {path: _content(path) for path in (db, national)} == before
    assert not (tmp_path / "moi.db").exists()
    assert not (tmp_path / "ra.pdf").exists()
    assert not [p.name for p in tmp_path.iterdir() if ":" in p.name]  # no "sqlite:" folder


def test_help_and_usage_are_in_vietnamese(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["report", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: crc-desktop report")
    assert "hiện hướng dẫn này rồi thoát" in out
    assert "--db CSDL" in out and "--period KỲ" in out
    assert "show this help" not in out and "options:" not in out


def test_argparse_words_keep_their_placeholders_in_vietnamese():
    from crc_desktop.cli.parsing import ARGPARSE_MESSAGES, ARGPARSE_PLURALS
    from crc_desktop.core.i18n import Translator

    placeholder = re.compile(r"%(?:\(\w+\))?[sdr]")
    vi = Translator("vi")
    for msgid in ARGPARSE_MESSAGES:
        assert vi(msgid) != msgid, msgid
        assert sorted(placeholder.findall(vi(msgid))) == sorted(placeholder.findall(msgid)), msgid
    for singular, plural in ARGPARSE_PLURALS:
        for n in (1, 2):
            said = gettext.translation("crc_desktop", str(TRANSLATIONS), ["vi"]).ngettext(singular, plural, n)
            assert said != (singular, plural)[n > 1] and placeholder.findall(said) == ["%s"]


def test_a_command_piped_into_head_ends_quietly_with_its_own_exit_code(small_demo_file, tmp_path):
    db = backup_file(small_demo_file, tmp_path / "hue.db")
    agencies = tmp_path / "co-quan.csv"
    agencies.write_text("code,name\n" + "".join(f"CQ{i},Cơ quan số {i}\n" for i in range(300)), "utf-8")
    command = [sys.executable, "-c", "import sys; from crc_desktop.cli import main; sys.exit(main())"]
    for args in (
        ["catalog", "import", "--db", str(db), "--kind", "agencies", str(agencies)],
        ["info", "--db", str(db)],
    ):
        reader_gone = subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        reader_gone.stdout.close()  # `| head -0`: the reader leaves before the first line
        err = reader_gone.stderr.read().decode("utf-8")
        assert reader_gone.wait(timeout=120) == 0, err
        assert err == ""
    context = open_app(db, Paths.for_user())
    assert context.setup.info().counts["agencies"] >= 300  # the import had committed
    context.close()
