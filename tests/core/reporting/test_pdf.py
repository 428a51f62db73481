"""The PDF report read back: A4, embedded fonts, Vietnamese text intact, page numbers, data hash."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from pypdf import PdfReader

from crc_desktop.core.reporting.labels import task_status_vi
from crc_desktop.core.services.snapshot import SnapshotService

REPORT_DAY = dt.date(2026, 1, 5)


@pytest.fixture
def report(demo_db, tmp_path):
    out = tmp_path / "bao-cao.pdf"
    result = demo_db.reports.pdf("2025", out, on=REPORT_DAY)
    return PdfReader(out), result, demo_db


def _texts_with_height(page) -> list[tuple[str, float]]:
    found = []
    page.extract_text(
        visitor_text=lambda text, cm, tm, *_: (
            found.append((text.strip(), tm[5] * cm[3] + cm[5])) if text.strip() else None
        )
    )
    return found


def test_pages_are_a4_and_every_font_is_embedded(report):
    reader, _result, _ctx = report
    assert len(reader.pages) >= 3
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)
        fonts = page["/Resources"]["/Font"]
        for font in fonts.values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
            assert "LiberationSerif" in font["/BaseFont"]


def test_the_vietnamese_header_and_province_extract_exactly(report):
    reader, _result, _ctx = report
    text = reader.pages[0].extract_text()
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ Y TẾ",
        "THÀNH PHỐ HUẾ",
        "Huế, ngày 05 tháng 01 năm 2026",
        "Kế hoạch của thành phố Huế",  # mid-sentence, the kind in lower case (Decree 30, Annex II)
        "BÁO CÁO",
        "Kính gửi: Bộ Y tế (Cục Bà mẹ và Trẻ em)",
    ):
        assert expected in text
    # Huế is a centrally-run city: the body says so, not "tỉnh"
    body = " ".join(text.split())
    assert "(thành phố và các xã, phường)" in body and "(tỉnh và" not in body
    assert text == unicodedata.normalize("NFC", text)


def test_page_numbers_are_at_the_top_from_page_two(report):
    reader, _result, _ctx = report
    top = 842 - 25 * 2.83  # above the text frame (top margin 20 mm)

    def numbers_at_top(page):
        return [t for t, y in _texts_with_height(page) if y > top and t.isdigit()]

    assert numbers_at_top(reader.pages[0]) == []
    assert numbers_at_top(reader.pages[1]) == ["2"]


def test_the_data_hash_is_in_the_metadata_and_on_the_page(report):
    reader, result, context = report
    digest = SnapshotService(context.database, context.actor).take("2025").digest()
    assert result.digest == digest
    assert digest in reader.metadata["/Keywords"]
    assert digest in reader.pages[-1].extract_text()


def test_a_recipient_follows_the_date_of_the_report(demo_db, tmp_path):
    out = tmp_path / "cu.pdf"
    demo_db.reports.pdf("2025", out, on=dt.date(2025, 2, 1))
    assert "Kính gửi: Bộ Lao động - Thương binh và Xã hội" in PdfReader(out).pages[0].extract_text()


def test_a_report_that_fails_half_way_leaves_no_file(demo_db, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "bao-cao.pdf").write_bytes(b"the earlier report")

    def broken(snapshot, stream, **_):
        stream.write(b"%PDF-1.4 half a report")
        raise OSError("the USB stick was pulled out")

    monkeypatch.setattr("crc_desktop.core.reporting.pdf.write_report", broken)
    with pytest.raises(OSError):
        demo_db.reports.pdf("2025", folder / "bao-cao.pdf")
    assert [p.name for p in folder.iterdir()] == ["bao-cao.pdf"]
    assert (folder / "bao-cao.pdf").read_bytes() == b"the earlier report"


def test_a_tasks_row_gives_the_status_of_the_periods_update_beside_its_percentage(demo_db, tmp_path):
    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025")
    task = next(t for t in snapshot.tasks if t.progress and t.progress.status != t.status)
    out = tmp_path / "r.pdf"
    demo_db.reports.pdf("2025", out)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    names = task_status_vi()
    start = text.index(task.title[:25])
    row = text[start : text.find("NV-", start)]  # up to the next task's code
    assert f"{task.progress.percent_done}%" in row
    assert f"({names[task.progress.status]})" in row and f"({names[task.status]})" not in row


def test_a_figure_summed_from_the_communes_that_sent_theirs_says_so(demo_db, tmp_path):
    """The demo's four communes that have not sent: a province count summed from 16 of 20 communes
    is marked, so that it is not read as a fall against the year before."""
    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025")
    partial = [f for f in snapshot.figures if f.origin == "computed" and f.reported < f.expected]
    assert partial
    out = tmp_path / "r.pdf"
    demo_db.reports.pdf("2025", out)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    coverage = {f"{f.reported}/{f.expected}" for f in partial}
    assert all(f"{c} xã, phường" in text for c in coverage)
    assert "†" in text
