"""Honest targets and coverage: a period between milestones is measured against the next one,
labelled with its year and not judged; a suspect target carries its note; the coverage says what
is loaded; an English title of the Committee is marked as such."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from crc_desktop.core.reporting.pdf import write_report
from crc_desktop.core.services.snapshot import SnapshotService

DAY = dt.date(2026, 1, 5)


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _report(context, snapshot) -> str:
    sources = SnapshotService(context.database, context.actor).target_sources()
    stream = io.BytesIO()
    write_report(snapshot, stream, on=DAY, target_sources=sources)
    return _text(stream.getvalue())


def test_a_suspect_target_is_marked_and_explained(demo_db):
    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025", on=DAY)
    text = _report(demo_db, snapshot)
    start = text.index("PT01 ")
    assert "(2025) (a)" in text[start : start + 200]  # PT01's 2025 target: the transcription is suspect
    assert "(a) Nghi vấn: bản chép thứ cấp có thể sai" in text
    assert "(b) Chỉ có một bản chép thứ cấp" in text
    assert "Nguồn: Quyết định 23/QĐ-TTg ngày 07/01/2021" in text


def test_a_period_between_milestones_is_measured_against_the_next_one(demo_db):
    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025", on=DAY)
    later = snapshot.model_copy(update={"period": snapshot.period.model_copy(update={"code": "2026"})})
    text = _report(demo_db, later)
    start = text.index("KS05 ")
    row = text[start : start + 160]
    assert "≥ 100 (2030)" in row and "Chưa đạt" not in row and "Đạt" not in row
    assert "giữa hai mốc, mục tiêu của mốc kế tiếp" in text


def test_the_coverage_says_what_is_loaded_and_marks_english_titles(new_db, tmp_path):
    new_db.periods.create("2025")
    out = tmp_path / "bc.pdf"
    new_db.reports.pdf("2025", out, on=DAY)
    text = _text(out.read_bytes())
    assert "0 trong số 2 đoạn khuyến nghị đã nạp của CRC/C/VNM/CO/5-6" in text
    assert "Chỉ tính các đoạn khuyến nghị đã nạp vào chương trình (2 đoạn của CRC/C/VNM/CO/5-6)" in text
    assert "17 (Non-discrimination [tên tiếng Anh, chưa có bản tiếng Việt])" in text
