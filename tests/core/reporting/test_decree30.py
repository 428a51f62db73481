"""The report to the letter of Decree 30/2020/NĐ-CP: no heading ends a page, no list ends in
"…", no internal code without its title, place names in lower case mid-sentence, the signer's
title from the office's kind, the People's Committee among the default recipients, and the two
underlines at their lengths."""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from crc_desktop.core.reporting.pdf import (
    FONT,
    MOTTO,
    motto_underline,
    office_underline,
    register_fonts,
    write_report,
)
from crc_desktop.core.rules.places import head_title, in_running_text
from crc_desktop.core.schemas.report_text import ReportSection
from crc_desktop.core.services.snapshot import SnapshotService

DAY = dt.date(2026, 1, 5)
FOOTER = ("Mã dữ liệu", "DỮ LIỆU MẪU")


def _pages(data: bytes) -> list[list[str]]:
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        pages.append([line for line in lines if not line.startswith(FOOTER)])
    return pages


def _headings(snapshot) -> list[str]:
    sections = [
        "I. CÔNG TÁC CHỈ ĐẠO",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. TỒN TẠI",
        "IV. PHƯƠNG HƯỚNG",
        "V. ĐỀ XUẤT",
    ]
    groups = [f"{g.number}. {g.name}" for g in snapshot.task_groups]
    return sections + groups


def test_a_heading_is_never_the_last_line_of_a_page(demo_db):
    """Office texts of every length push each heading to every height of a page: the last line
    of a page is never a heading (nor the start of one)."""
    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025", on=DAY)
    headings = _headings(snapshot)
    paragraph = (
        "Đoạn văn của cơ quan về tình hình thực hiện trong kỳ, "
        "đủ dài để chiếm hai dòng trên trang giấy khổ A4."
    )
    checked = 0
    for count in range(0, 24, 1):
        text = "\n".join([paragraph] * count)
        sections = [ReportSection(key="direction", text=text), ReportSection(key="next_steps", text=text)]
        stream = io.BytesIO()
        write_report(snapshot.model_copy(update={"report_text": sections}), stream, on=DAY)
        for lines in _pages(stream.getvalue())[:-1]:
            last = lines[-1]
            assert not any(last in heading or heading.startswith(last) for heading in headings), (count, last)
            checked += 1
    assert checked > 100


def test_no_ellipsis_and_no_code_without_its_title(demo_db, tmp_path):
    out = tmp_path / "bc.pdf"
    demo_db.reports.pdf("2025", out, on=DAY)
    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025", on=DAY)
    titles = {t.code: t.title for t in snapshot.tasks}
    for page in PdfReader(out).pages:
        text = page.extract_text()
        assert "…" not in text and "..." not in text
        flat = " ".join(text.split())
        for code in re.findall(r"NV-\d{3}", flat):
            assert " ".join(titles[code].split()[:3]) in flat, code  # the title beside the code


def test_place_names_are_lower_case_mid_sentence(demo_db, new_db, tmp_path):
    assert in_running_text("Tỉnh Đồng Nai", "Đồng Nai") == "tỉnh Đồng Nai"
    assert in_running_text("Thành phố Huế", "Huế") == "thành phố Huế"
    assert in_running_text("Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh") == "Thành phố Hồ Chí Minh"
    out = tmp_path / "hue.pdf"
    demo_db.reports.pdf("2025", out, on=DAY)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "Kế hoạch của thành phố Huế" in text and "của Thành phố Huế" not in text


def test_the_signer_title_follows_the_office_and_the_committee_is_informed(new_db, tmp_path):
    assert head_title("Sở Y tế thành phố Huế") == "GIÁM ĐỐC"
    assert head_title("Ủy ban nhân dân tỉnh Đồng Nai") == "CHỦ TỊCH"
    new_db.periods.create("2025")
    out = tmp_path / "bc.pdf"
    new_db.reports.pdf("2025", out, on=DAY)
    last = " ".join(PdfReader(out).pages[-1].extract_text().split())
    assert "GIÁM ĐỐC" in last and "THỦ TRƯỞNG CƠ QUAN" not in last
    assert "- Như trên; - UBND thành phố Huế (để báo cáo); - Lưu: VT." in last


def test_the_underlines_have_their_decree_30_lengths():
    register_fonts()
    motto = ParagraphStyle("m", fontName=FONT + "-Bold", fontSize=13)
    assert motto_underline(motto).length == stringWidth(MOTTO, FONT + "-Bold", 13)
    office = ParagraphStyle("o", fontName=FONT + "-Bold", fontSize=12)
    name = "SỞ Y TẾ"
    line = office_underline(name, office, 500).length
    width = stringWidth(name, FONT + "-Bold", 12)
    assert width / 3 <= line <= width / 2
