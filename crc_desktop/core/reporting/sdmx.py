"""Indicator values as SDMX-CSV 2.0 (labels beside codes), UTF-8 with a BOM so Excel opens it."""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

from crc_desktop.core.numbers import machine_number
from crc_desktop.core.schemas.snapshot import PeriodSnapshot

STRUCTURE_ID = "VN_CRC:DF_CHILD_INDICATORS(1.0)"
COLUMNS = [
    "STRUCTURE",
    "STRUCTURE_ID",
    "ACTION",
    "INDICATOR: Chỉ tiêu",
    "DISAGGREGATION: Phân tổ",
    "REF_AREA: Đơn vị hành chính",
    "TIME_PERIOD: Kỳ",
    "OBS_VALUE: Giá trị",
    "UNIT_MEASURE: Đơn vị tính",
    "OBS_STATUS: Cần xác minh",
    "COMMENT: Ghi chú",
    # bundle format 2: how a province value was made (C computed, O official figure) and the
    # exact counts a computed ratio was made of; the counts are also series of their own
    "OBS_ORIGIN: Cách có số liệu",
    "NUMERATOR: Tử số",
    "DENOMINATOR: Mẫu số",
]
ORIGIN_CODES = {"computed": "C", "official": "O"}


def sdmx_period(code: str) -> str:
    """2025 stays 2025; 2025-H1 is written 2025-S1, SDMX's half-year."""
    return code.replace("-H", "-S")


def write_sdmx_csv(snapshot: PeriodSnapshot, stream: BinaryIO) -> int:
    """Write every value of the period; returns the number of observations."""
    indicators = {i.key: i for i in snapshot.indicators}
    areas = {a.code: a.name for a in snapshot.areas}
    province = snapshot.province.code
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # written as it goes
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for value in snapshot.values:
        indicator = indicators[value.indicator]
        label = next((c.label for c in indicator.cells if c.key == value.cell), value.cell)
        observation = value.text if value.text is not None else machine_number(value.number)
        figure = snapshot.figure(value.indicator, value.cell) if value.area == province else None
        made = (
            [
                ORIGIN_CODES[figure.origin],
                machine_number(figure.numerator),
                machine_number(figure.denominator),
            ]
            if figure is not None
            else ["", "", ""]
        )
        comment = value.comment
        if figure is not None and figure.source and figure.source not in comment:
            comment = f"{comment} ({figure.source})".strip() if comment else figure.source
        writer.writerow(
            [
                "dataflow",
                STRUCTURE_ID,
                "I",
                f"{indicator.key}: {indicator.name}",
                f"{value.cell}: {label}",
                f"{value.area}: {areas.get(value.area, '')}",
                sdmx_period(snapshot.period.code),
                observation,
                indicator.unit,
                "F" if value.follow_up else "",
                comment,
                *made,
            ]
        )
        count += 1
    text.flush()
    text.detach()  # the caller's stream stays open
    return count
