"""Finding cells in an entry workbook as a user does: by the column headings, not by position."""

from __future__ import annotations

COUNT_UNITS = ("trẻ em", "người")  # indicators counted in whole numbers


def first_count_cell(sheet):
    """The province's cell of the first indicator counted in whole numbers."""
    header, unit, area = None, None, None
    for row in sheet.iter_rows():
        texts = [str(cell.value or "").strip() for cell in row]
        if header is None:
            if "Mã chỉ tiêu" in texts:
                header = row[0].row
                unit = texts.index("Đơn vị tính")
                area = next(i for i, text in enumerate(texts) if " | " in text)
            continue
        if texts[unit] in COUNT_UNITS:
            return row[area]
    raise AssertionError("no count in the template")
