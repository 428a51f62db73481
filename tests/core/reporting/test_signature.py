"""The signature block: title (with KT. when a deputy signs for the head), name, recipients,
and never alone on a page."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from crc_desktop.cli import main
from crc_desktop.core.reporting.pdf import write_report
from crc_desktop.core.schemas.office import ProfileInput
from crc_desktop.core.schemas.snapshot import Progress
from crc_desktop.core.services.snapshot import SnapshotService

DAY = dt.date(2026, 1, 5)


def _pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def _sign_as_deputy(context) -> None:
    profile = context.setup.info(counts=False).profile
    context.setup.update_profile(
        ProfileInput(
            **profile.model_dump(include=set(ProfileInput.model_fields))
            | {
                "signer_name": "Nguyễn Văn An",
                "signer_title": "Phó Giám đốc",
                "signing_for": "Giám đốc",
                "recipients": ["Bộ Y tế (Cục Bà mẹ và Trẻ em)", "Ủy ban nhân dân thành phố", "Lưu: VT"],
            }
        )
    )


def test_the_block_carries_kt_the_titles_the_name_and_the_recipients(demo_db, tmp_path):
    _sign_as_deputy(demo_db)
    out = tmp_path / "bc.pdf"
    demo_db.reports.pdf("2025", out, on=DAY)
    last = " ".join(PdfReader(out).pages[-1].extract_text().split())
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in last or ("KT. GIÁM ĐỐC" in last and "PHÓ GIÁM ĐỐC" in last)
    assert "Nguyễn Văn An" in last
    assert "- Bộ Y tế (Cục Bà mẹ và Trẻ em);" in last and "- Lưu: VT." in last
    assert "THỦ TRƯỞNG CƠ QUAN" not in last


def test_the_block_is_never_alone_on_its_page(demo_db):
    """Reports whose body ends at every height of a page: the page with the signature always
    holds the body's last paragraph too."""
    _sign_as_deputy(demo_db)
    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025", on=DAY)
    moved = 0
    for extra in range(0, len(snapshot.tasks) + 1, 2):
        tasks = [
            task.model_copy(
                update={
                    "progress": Progress(
                        status="in_progress",
                        percent_done=50,
                        proposals=f"Đề xuất số {index + 1} về bố trí kinh phí cho công tác trẻ em"
                        if index < extra
                        else "",
                    )
                }
            )
            for index, task in enumerate(snapshot.tasks)
        ]
        stream = io.BytesIO()
        write_report(snapshot.model_copy(update={"tasks": tasks}), stream, on=DAY)
        pages = _pages(stream.getvalue())
        signature_page = next(i for i, text in enumerate(pages) if "Nguyễn Văn An" in text)
        last_paragraph = f"Đề xuất số {extra}" if extra else "Không có đề xuất, kiến nghị trong kỳ."
        assert last_paragraph in pages[signature_page], (extra, pages[signature_page][:200])
        heading_page = next(i for i, text in enumerate(pages) if "V. ĐỀ XUẤT, KIẾN NGHỊ" in text)
        moved += heading_page < signature_page
    assert moved  # some bodies ended near the bottom of a page, and the block took a paragraph along


def test_office_show_and_set_on_the_command_line(tmp_path, capsys):
    db = tmp_path / "hcm.db"
    assert main(["init", "--db", str(db), "--province", "79"]) == 0
    capsys.readouterr()
    assert main(["office", "show", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Cơ quan ban hành: Sở Y tế Thành phố Hồ Chí Minh" in out
    assert "Cơ quan chủ quản: Ủy ban nhân dân Thành phố Hồ Chí Minh" in out
    args = [
        "office",
        "set",
        "--db",
        str(db),
        "--signer-name",
        "Trần Thị Bình",
        "--signer-title",
        "Phó Giám đốc",
    ]
    args += ["--signing-for", "Giám đốc", "--symbol", "BC-SYT", "--recipients", "Bộ Y tế; Lưu: VT"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Ký thay (KT.): Giám đốc" in out and "Nơi nhận: Bộ Y tế; Lưu: VT" in out
    assert main(["office", "set", "--db", str(db), "--name", " "]) == 1
    assert "không được để trống" in capsys.readouterr().err
    assert main(["office", "show", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Người ký: Trần Thị Bình" in out and "Cơ quan ban hành: Sở Y tế Thành phố Hồ Chí Minh" in out
