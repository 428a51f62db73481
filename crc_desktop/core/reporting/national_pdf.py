"""The ministry's national summary of a period as a PDF, in the same official layout as a
province's report (Decree 30/2020/NĐ-CP), made from the national store's views."""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from crc_desktop.core.i18n import Translator
from crc_desktop.core.reporting.pdf import (
    FONT,
    MARGINS,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Signer,
    _p,
    _style,
    _styles,
    dated_place_line,
    official_document,
    register_fonts,
    signature_block,
    with_signature,
)

AUTHORITY = ("BỘ Y TẾ", "CỤC BÀ MẸ VÀ TRẺ EM")


def write_national_report(
    period: str,
    submissions,
    indicators,
    coverage,
    budget,
    stream: BinaryIO,
    *,
    on: dt.date | None = None,
    tr: Translator | None = None,
    signer: Signer | None = None,
) -> None:
    register_fonts()
    tr = tr or Translator("vi")
    st = _styles()
    width = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]

    def decorate(canvas, doc) -> None:
        if doc.page > 1:
            canvas.saveState()
            canvas.setFont(FONT, 13)
            canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 12 * mm, str(doc.page))
            canvas.restoreState()

    def table(header: list[str], rows: list[list], widths: list[float], empty: str) -> Table:
        if not rows:
            return _p(empty, st["body"])
        data = [[_p(h, st["cell_head"]) for h in header]] + [
            [_p("" if v is None else str(v), st["cell"]) for v in row] for row in rows
        ]
        result = Table(data, colWidths=[w * width for w in widths], repeatRows=1)
        result.setStyle(
            _style(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return result

    center = st["center"]
    header = Table(
        [
            [
                [
                    _p(AUTHORITY[0], ParagraphStyle("a", center, fontSize=12)),
                    _p(AUTHORITY[1], ParagraphStyle("b", center, fontName=FONT + "-Bold", fontSize=12)),
                ],
                [
                    _p(
                        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                        ParagraphStyle("c", center, fontName=FONT + "-Bold", fontSize=12),
                    ),
                    _p("Độc lập - Tự do - Hạnh phúc", ParagraphStyle("d", center, fontName=FONT + "-Bold")),
                    dated_place_line(
                        "Hà Nội",
                        on or dt.date.today(),
                        ParagraphStyle("e", center, fontName=FONT + "-Italic"),
                        width * 0.58,
                    ),
                ],
            ]
        ],
        colWidths=[width * 0.42, width * 0.58],
    )
    header.setStyle(_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    submitted = [s for s in submissions if s.submitted]
    never = [c.key for c in coverage if c.provinces == 0]
    n = tr.number
    story = [
        header,
        Spacer(1, 8 * mm),
        _p("BÁO CÁO TỔNG HỢP", st["title"]),
        _p(
            "Kết quả thực hiện khuyến nghị của Ủy ban về quyền trẻ em của Liên Hợp Quốc "
            f"của các tỉnh, thành phố, "
            f"kỳ báo cáo {period}",
            st["title"],
        ),
        Spacer(1, 4 * mm),
        _p("I. TÌNH HÌNH NỘP BÁO CÁO", st["heading"]),
        _p(
            f"{len(submitted)}/{len(submissions)} tỉnh, thành phố đã nộp gói báo cáo có chữ ký số hợp lệ; "
            f"{sum(1 for s in submissions if s.late)} tỉnh nộp muộn.",
            st["body"],
        ),
        table(
            ["Mã", "Tỉnh, thành phố", "Đã nộp", "Phiên bản", "Thời điểm ký"],
            [
                [
                    s.province_code,
                    s.province_name,
                    "Có" if s.submitted else "Chưa",
                    s.sequence,
                    f"{s.signed_at:%d/%m/%Y}" if s.signed_at else "",
                ]
                for s in submissions
            ],
            [0.1, 0.4, 0.15, 0.15, 0.2],
            "Chưa có tỉnh, thành phố nào trong kho dữ liệu quốc gia cho kỳ này.",
        ),
        _p("II. CHỈ TIÊU VỀ TRẺ EM SO VỚI CHỈ TIÊU QUỐC GIA", st["heading"]),
        table(
            ["Mã", "Chỉ tiêu", "Đơn vị", "Cả nước", "Chỉ tiêu quốc gia", "Số tỉnh có số liệu"],
            [
                [
                    i.code,
                    i.name,
                    i.unit,
                    n(i.national) if i.national is not None else "—",
                    tr.target(i.target.comparator, i.target.value) if i.target else "—",
                    sum(1 for v in i.by_province.values() if v is not None),
                ]
                for i in indicators
                if i.target
            ],
            [0.11, 0.37, 0.12, 0.13, 0.13, 0.14],  # room for codes like TNTT01 and units on one line
            "Chưa có chỉ tiêu nào có chỉ tiêu quốc gia trong các gói báo cáo đã nhận.",
        ),
        _p("III. MỨC ĐỘ ĐÁP ỨNG CÁC KHUYẾN NGHỊ", st["heading"]),
        _p(
            f"{len(never)} khuyến nghị chưa có tỉnh nào có nhiệm vụ đáp ứng"
            + (f": {', '.join(never[:40])}{'…' if len(never) > 40 else ''}." if never else "."),
            st["body"],
        ),
        _p("IV. KINH PHÍ THEO NHÓM NHIỆM VỤ (triệu đồng)", st["heading"]),
        table(
            ["Nhóm", "Kế hoạch", "Được giao", "Đã chi"],
            [[b.group, n(b.planned / 1e6, 1), n(b.allocated / 1e6, 1), n(b.spent / 1e6, 1)] for b in budget],
            [0.25, 0.25, 0.25, 0.25],
            "Chưa có kinh phí nào được báo cáo trong kỳ.",
        ),
    ]
    block = signature_block(signer or Signer(recipients=["Lưu: VT"]), st, width)
    story = with_signature(story, block)
    official_document(stream, f"Báo cáo tổng hợp kỳ {period}", " - ".join(AUTHORITY), decorate).build(story)
