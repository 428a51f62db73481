"""The national summary as an official document: the issuing unit the dated catalogue names,
number and symbol, Kính gửi, its own signer block, coverage notes, figures right-aligned,
"tỉnh, thành phố" and "đoạn 17"."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from crc_desktop.core.ministry.views import BudgetRow, CoverageRow, IndicatorRow, Submission
from crc_desktop.core.reporting.national_pdf import issuing_authority, write_national_report
from crc_desktop.core.reporting.pdf import FONT, Signer, register_fonts
from crc_desktop.core.schemas.values import TargetValue

DAY = dt.date(2026, 1, 20)


def _write(**options) -> bytes:
    submissions = [
        Submission(
            province_code="46",
            province_name="Thành phố Huế",
            submitted=True,
            sequence=1,
            late=True,
            signed_at=dt.datetime(2026, 1, 19, 9, 0),
        ),
        Submission(province_code="79", province_name="Thành phố Hồ Chí Minh", submitted=False),
    ]
    indicators = [
        IndicatorRow(
            key="k",
            code="KS05",
            name="Tỷ lệ trẻ em dưới 5 tuổi được đăng ký khai sinh",
            unit="%",
            by_province={"46": 97.2, "79": None},
            national=97.2,
            target=TargetValue(comparator=">=", value=98.5),
        ),
    ]
    coverage = [
        CoverageRow(key="CRC/C/VNM/CO/5-6 17", urgent=True, provinces=0),
        CoverageRow(key="CRC/C/VNM/CO/5-6 30", urgent=True, provinces=1),
    ]
    budget = [BudgetRow(group=1, planned=1_500_000_000, allocated=12_000_000, spent=3_000_000_000)]
    stream = io.BytesIO()
    write_national_report("2025", submissions, indicators, coverage, budget, stream, on=DAY, **options)
    return stream.getvalue()


def test_the_national_report_is_an_official_document():
    assert issuing_authority(dt.date(2025, 2, 1)) == ("Bộ Lao động - Thương binh và Xã hội", "Cục Trẻ em")
    data = _write(number="12", to="Thủ tướng Chính phủ", signer=Signer(name="Nguyễn Thị Cúc"))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "BỘ Y TẾ CỤC BÀ MẸ VÀ TRẺ EM" in text
    assert "Số: 12/BC-BMTE" in text
    assert "Kính gửi: Thủ tướng Chính phủ" in text
    assert "1 tỉnh, thành phố nộp muộn" in text
    never = "1/2 đoạn khuyến nghị đã nạp chưa có tỉnh, thành phố nào có nhiệm vụ đáp ứng: "
    assert never + "đoạn 17 (CRC/C/VNM/CO/5-6)." in text
    assert "Số liệu cả nước tính trên 1/2 tỉnh, thành phố đã nộp" in text
    assert "CỤC TRƯỞNG" in text and "Nguyễn Thị Cúc" in text and "THỦ TRƯỞNG CƠ QUAN" not in text
    assert "- Như trên; - Lưu: VT." in text
    assert "…" not in text and "CRC/C/VNM/CO/5-6 17" not in text


def test_the_budget_figures_are_right_aligned():
    register_fonts()
    found: list[tuple[float, str]] = []

    def seen(text, _cm, tm, font, size):
        if text.strip() in {"1.500", "12", "3.000"}:
            found.append((tm[4] + stringWidth(text.strip(), FONT, size or 10), text.strip()))

    PdfReader(io.BytesIO(_write())).pages[-1].extract_text(visitor_text=seen)
    ends = {text: end for end, text in found}
    assert set(ends) == {"1.500", "12", "3.000"}
    # each in its own column; a right-aligned figure ends at its column's right edge, whatever its width
    width = ends["12"] - ends["1.500"]
    assert abs((ends["3.000"] - ends["12"]) - width) < 1.5
