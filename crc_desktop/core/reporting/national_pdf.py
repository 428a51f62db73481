"""The ministry's national summary of a period as a PDF, in the same official layout as a
province's report (Decree 30/2020/NĐ-CP), made from the national store's views: the issuing unit
is the one the dated catalogue of receiving authorities names on the report's date, with its
number and symbol, "Kính gửi", its own signer block, coverage notes and figures right-aligned."""

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
    MOTTO,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Signer,
    _p,
    _style,
    _styles,
    dated_place_line,
    motto_underline,
    office_underline,
    official_document,
    register_fonts,
    signature_block,
    with_signature,
)
from crc_desktop.core.rules.places import head_title

AUTHORITY = ("BỘ Y TẾ", "CỤC BÀ MẸ VÀ TRẺ EM")  # when the catalogue names no one on the date


def issuing_authority(on: dt.date) -> tuple[str, str]:
    """(ministry, unit) that consolidates the provinces' reports on `on`, from the dated catalogue
    of receiving authorities (Bộ Lao động - Thương binh và Xã hội until 28/02/2025, Bộ Y tế since)."""
    from crc_desktop.core.catalog_files import read_catalog
    from crc_desktop.core.services.catalog import shipped_catalog

    day = on.isoformat()
    for _row, entry in read_catalog(shipped_catalog("receiving_authorities.json")).rows:
        if entry["valid_from"] <= day and (not entry.get("valid_to") or day <= entry["valid_to"]):
            return entry["name"], entry.get("unit", "")
    return AUTHORITY


def unit_symbol(unit: str) -> str:
    """ "BC-BMTE" for "Cục Bà mẹ và Trẻ em": the report's kind and the unit's initials (without
    "Cục" and "và"); the clerk's symbol, when it differs, is given with --symbol."""
    words = [w for w in unit.split() if w.casefold() not in ("cục", "và")]
    return "BC-" + "".join(w[0] for w in words).upper()


def _key_label(key: str) -> str:
    """ "đoạn 17 (CRC/C/VNM/CO/5-6)" of "CRC/C/VNM/CO/5-6 17"."""
    document, _, paragraph = key.rpartition(" ")
    return f"đoạn {paragraph} ({document})" if document else f"đoạn {key}"


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
    number: str = "",
    symbol: str = "",
    to: str = "",
) -> None:
    """`number` the clerk's number, `symbol` the document's symbol (default from the unit's
    name), `to` the addressee (Kính gửi; default the leadership of the unit's ministry)."""
    from crc_desktop.core.ministry.views import national_coverage

    register_fonts()
    day = on or dt.date.today()
    ministry, unit = issuing_authority(day)
    tr = tr or Translator("vi")
    st = _styles()
    width = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]

    def decorate(canvas, doc) -> None:
        if doc.page > 1:
            canvas.saveState()
            canvas.setFont(FONT, 13)
            canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 12 * mm, str(doc.page))
            canvas.restoreState()

    def table(
        header: list[str], rows: list[list], widths: list[float], empty: str, right: set[int] = frozenset()
    ) -> Table:
        if not rows:
            return _p(empty, st["body"])
        data = [[_p(h, st["cell_head"]) for h in header]] + [
            [
                _p("" if v is None else str(v), st["cell_right" if i in right else "cell"])
                for i, v in enumerate(row)
            ]
            for row in rows
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
    unit_style = ParagraphStyle("b", center, fontName=FONT + "-Bold", fontSize=12)
    motto_style = ParagraphStyle("d", center, fontName=FONT + "-Bold")
    blank = "\u00a0" * 6  # the clerk writes the number in when none is given
    header = Table(
        [
            [
                [
                    _p(ministry.upper(), ParagraphStyle("a", center, fontSize=12)),
                    _p(unit.upper(), unit_style),
                    office_underline(unit.upper(), unit_style, width * 0.42),
                    Spacer(1, 2 * mm),
                    _p(f"Số: {number or blank}/{symbol or unit_symbol(unit)}", ParagraphStyle("n", center)),
                ],
                [
                    _p(
                        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                        ParagraphStyle("c", center, fontName=FONT + "-Bold", fontSize=12),
                    ),
                    _p(MOTTO, motto_style),
                    motto_underline(motto_style),
                    Spacer(1, 2 * mm),
                    dated_place_line(
                        "Hà Nội",
                        day,
                        ParagraphStyle("e", center, fontName=FONT + "-Italic"),
                        width * 0.58,
                    ),
                ],
            ]
        ],
        colWidths=[width * 0.42, width * 0.58],
    )
    header.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
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
        _p(f"Kính gửi: {to or 'Lãnh đạo ' + ministry}", center),
        Spacer(1, 4 * mm),
        _p("I. TÌNH HÌNH NỘP BÁO CÁO", st["heading"]),
        _p(
            f"{len(submitted)}/{len(submissions)} tỉnh, thành phố đã nộp gói báo cáo có chữ ký số hợp lệ; "
            f"{sum(1 for s in submissions if s.late)} tỉnh, thành phố nộp muộn.",
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
            right={3},
        ),
        _p("II. CHỈ TIÊU VỀ TRẺ EM SO VỚI CHỈ TIÊU QUỐC GIA", st["heading"]),
        table(
            ["Mã", "Chỉ tiêu", "Đơn vị", "Cả nước", "Chỉ tiêu quốc gia", "Độ bao phủ"],
            [
                [
                    i.code,
                    i.name,
                    i.unit,
                    n(i.national) if i.national is not None else "—",
                    tr.target(i.target.comparator, i.target.value) if i.target else "—",
                    national_coverage(i, tr),
                ]
                for i in indicators
                if i.target
            ],
            [0.11, 0.3, 0.1, 0.11, 0.13, 0.25],  # room for codes like TNTT01 and the coverage
            "Chưa có chỉ tiêu nào có chỉ tiêu quốc gia trong các gói báo cáo đã nhận.",
            right={3, 4},
        ),
        _p(
            f"Số liệu cả nước tính trên {len(submitted)}/{len(submissions)} tỉnh, thành phố đã nộp; cột "
            '"Độ bao phủ" cho biết số tỉnh, thành phố có số liệu của từng chỉ tiêu và, với một tỷ lệ, '
            "phần mẫu số mà các tỉnh, thành phố đó chiếm; tỷ lệ cả nước là tổng tử số chia tổng mẫu số "
            "của các tỉnh, thành phố có đủ cả hai, không lấy trung bình các tỷ lệ.",
            st["note"],
        ),
        _p("III. MỨC ĐỘ ĐÁP ỨNG CÁC KHUYẾN NGHỊ", st["heading"]),
        _p(
            f"{len(never)}/{len(coverage)} đoạn khuyến nghị đã nạp chưa có tỉnh, thành phố nào có nhiệm vụ "
            "đáp ứng" + (f": {'; '.join(_key_label(k) for k in never)}." if never else "."),
            st["body"],
        ),
        _p(
            "Chỉ tính các đoạn khuyến nghị có trong các gói báo cáo đã nhận; đoạn chưa được nạp vào "
            "chương trình của tỉnh, thành phố nào thì không có trong thống kê này.",
            st["note"],
        ),
        _p("IV. KINH PHÍ THEO NHÓM NHIỆM VỤ (triệu đồng)", st["heading"]),
        table(
            ["Nhóm", "Kế hoạch", "Được giao", "Đã chi"],
            [[b.group, n(b.planned / 1e6, 1), n(b.allocated / 1e6, 1), n(b.spent / 1e6, 1)] for b in budget],
            [0.25, 0.25, 0.25, 0.25],
            "Chưa có kinh phí nào được báo cáo trong kỳ.",
            right={1, 2, 3},
        ),
    ]
    chosen = signer or Signer(recipients=["Như trên", "Lưu: VT"])
    if not chosen.title:
        chosen = chosen.model_copy(update={"title": head_title(unit)})
    if not chosen.recipients:
        chosen = chosen.model_copy(update={"recipients": ["Như trên", "Lưu: VT"]})
    block = signature_block(chosen, st, width)
    story = with_signature(story, block)
    official_document(stream, f"Báo cáo tổng hợp kỳ {period}", f"{ministry} - {unit}", decorate).build(story)
