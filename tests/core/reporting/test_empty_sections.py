"""Sections and charts without data say so in a sentence instead of an empty table or chart."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from crc_desktop.core.reporting.national_pdf import write_national_report
from crc_desktop.core.reporting.pdf import Signer


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_a_national_report_with_nothing_loaded_says_so_and_is_signed():
    stream = io.BytesIO()
    signer = Signer(title="Cục trưởng", name="Lê Thị Hoa", recipients=["Bộ trưởng (để báo cáo)", "Lưu: VT"])
    write_national_report("2025", [], [], [], [], stream, on=dt.date(2026, 1, 5), signer=signer)
    text = _text(stream.getvalue())
    assert "Chưa có tỉnh, thành phố nào trong kho dữ liệu quốc gia cho kỳ này." in text
    assert "Chưa có chỉ tiêu nào có chỉ tiêu quốc gia trong các gói báo cáo đã nhận." in text
    assert "Chưa có kinh phí nào được báo cáo trong kỳ." in text
    assert "CỤC TRƯỞNG" in text and "Lê Thị Hoa" in text and "- Bộ trưởng (để báo cáo);" in text


def test_a_province_report_without_values_leaves_its_charts_out(tmp_path, paths):
    from crc_desktop.app import open_app

    context = open_app(tmp_path / "hue.db", paths, create=True)
    try:
        context.setup.init("46")
        context.periods.create("2025")
        out = tmp_path / "bc.pdf"
        context.reports.pdf("2025", out, on=dt.date(2026, 1, 5))
    finally:
        context.close()
    text = _text(out.read_bytes())
    assert "Biểu đồ chỉ tiêu không được vẽ: chưa có số liệu của tỉnh" in text
    assert "Biểu đồ tiến độ không được vẽ: chưa có nhiệm vụ nào cập nhật tiến độ kỳ này." in text
    assert "Chưa có kinh phí được ghi cho năm 2025." in text


def test_the_ministry_signs_its_national_report_from_the_command_line(tmp_path):
    from crc_desktop.cli import main

    out = tmp_path / "toan-quoc.pdf"
    args = [
        "ministry",
        "report",
        "--db",
        str(tmp_path / "national.db"),
        "--period",
        "2025",
        "--out",
        str(out),
    ]
    args += ["--signer-title", "Phó Cục trưởng", "--signing-for", "Cục trưởng", "--signer-name", "Lê Thị Hoa"]
    assert main([*args, "--recipients", "Bộ trưởng (để báo cáo); Lưu: VT"]) == 0
    text = _text(out.read_bytes())
    assert "KT. CỤC TRƯỞNG" in text and "PHÓ CỤC TRƯỞNG" in text and "Lê Thị Hoa" in text
    assert "- Bộ trưởng (để báo cáo);" in text and "Chưa có kinh phí nào được báo cáo trong kỳ." in text
