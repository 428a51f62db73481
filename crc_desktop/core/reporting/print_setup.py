"""How the program's worksheets print: what a careful person sets up by hand before printing.

A4; portrait when the sheet fits the page's width, landscape when it is wide; shrunk to one
page wide (or, when that would make the print too small to read, to as few pages wide as keep
it readable, with the label columns repeated on every page); the header rows repeated on
every page; a page header naming whose data and which period, a footer "Trang X / Y"; the
printed area without the machine keys, which stay in the file (hidden) for the import.
Every workbook writer (templates, plan, national workbook, collection forms) uses this.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import chain

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from crc_desktop.core.i18n import N_, Translator

A4 = (210.0, 297.0)  # mm, portrait
MARGINS_INCH = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6, "header": 0.25, "footer": 0.25}
MIN_SCALE = 0.5  # below half size, 11 pt text prints under 6 pt: split the columns instead
DEFAULT_WIDTH = 8.43  # Excel's width of a column nobody sized, in characters
CHARACTER_WIDTH = 0.85  # a letter of Vietnamese text in Calibri, in widths of a digit (measured)
LINE_HEIGHT = 15.0  # points, a line of 11 pt text
WRAP_LOSS = 1.5  # digits of a column's width lost to its padding and to words wrapped whole
PAGE_FOOTER = N_("Page {page} of {pages}")
PAGE_HEADER = N_("{whose} — period {period}")


def page_header(whose: str, period: str, tr: Translator | None = None) -> str:
    """The text at the top of every printed page: whose data, which period."""
    return (tr or Translator("vi"))(PAGE_HEADER, whose=whose, period=period)


def apply_print_setup(
    sheet: Worksheet,
    *,
    header: str,
    title_rows: tuple[int, int] | None = None,
    label_columns: tuple[int, int] | None = None,
    hidden_columns: Iterable[int] = (),
    text_columns: int | None = None,
    gridlines: bool = True,
    extent: tuple[int, int] | None = None,
    tr: Translator | None = None,
) -> None:
    """Set up `sheet` to print well (see the module's docstring).

    `header` is the page header (see `page_header`); `title_rows` the (first, last) rows
    repeated at the top of each page (the column headings); `label_columns` the (first, last)
    columns that name each row, repeated at the left when the sheet needs several pages
    across; `hidden_columns` the machine keys (1-based): kept, hidden, never printed;
    `text_columns` how many columns from A hold text below the title rows (None: any may; a
    wide sheet of numbers says so, as its rows are sized by their text alone); `gridlines` the
    cells' boxes printed, to write in when a form is filled by hand.
    Call it once the sheet is filled and its columns sized; or, for a sheet written row by row
    (openpyxl's write-only mode), before its first row, with the `extent` (last row, last column)
    it will have: its rows are then sized as they are written (see `row_height`).
    """
    tr = tr or Translator("vi")
    hidden = set(hidden_columns)
    for column in hidden:
        sheet.column_dimensions[get_column_letter(column)].hidden = True
    if extent is None:
        last_column, last_row = max(sheet.max_column, 1), max(sheet.max_row, 1)  # each reads every cell
    else:
        last_row, last_column = extent
    sheet.print_area = f"A1:{get_column_letter(last_column)}{last_row}"
    if title_rows:
        sheet.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if label_columns:
        sheet.print_title_cols = (
            f"{get_column_letter(label_columns[0])}:{get_column_letter(label_columns[1])}"
        )
    widths = [0.0 if c in hidden else _width_mm(sheet, c) for c in range(1, last_column + 1)]
    labels = sum(widths[label_columns[0] - 1 : label_columns[1]]) if label_columns else 0.0
    _fit_to_pages(sheet, sum(widths), labels)
    sheet.print_options.gridLines = gridlines
    if extent is None:
        fit_row_heights(sheet, title_rows[1] if title_rows else 0, text_columns or last_column)
    _set_header(sheet.oddHeader, header)
    sheet.oddFooter.center.text = tr(PAGE_FOOTER, page="&P", pages="&N")
    sheet.oddFooter.center.size = 9


def _fit_to_pages(sheet: Worksheet, width: float, labels: float) -> None:
    """A4, portrait if the sheet's `width` (mm) fits it, else landscape; as few pages wide as
    stay readable (see `pages_across`), as many down as the rows need."""
    portrait, landscape = _printable_widths()
    setup = sheet.page_setup
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.orientation = "portrait" if width <= portrait else "landscape"
    setup.fitToWidth = pages_across(width, labels, portrait if width <= portrait else landscape)
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(**MARGINS_INCH)
    sheet.print_options.horizontalCentered = setup.fitToWidth == 1


def write_text_sheet(
    sheet: Worksheet, lines: list[str], *, header: str, title_font: Font, tr: Translator | None = None
) -> None:
    """A sheet of running text in column A (instructions), the first line a title in `title_font`:
    lines wrapped to the width of an A4 portrait page, and printed on such pages. The sheet is
    written row by row, so it may be a write-only one."""
    sheet.column_dimensions["A"].width = text_width()
    apply_print_setup(sheet, header=header, gridlines=False, extent=(max(len(lines), 1), 1), tr=tr)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for number, (line, height) in enumerate(zip(lines, text_row_heights(lines, title_font), strict=True), 1):
        cell = WriteOnlyCell(sheet, value=line or None)
        cell.alignment = wrapped
        if number == 1:
            cell.font = title_font
        if height is not None:
            sheet.row_dimensions[number].height = height
        sheet.append([cell])


def text_width() -> int:
    """The width (in digits) of a text sheet's column: an A4 portrait page's."""
    portrait, _ = _printable_widths()
    return int(_characters(portrait) * 0.8)  # room for wider fonts


def text_row_heights(lines: list[str], title_font: Font) -> list[float | None]:
    """The height of each line of a text sheet (see `write_text_sheet`)."""
    width = text_width()
    return [
        row_height([(line, width, (title_font.sz or 11) if n == 0 else 11, bool(n == 0 and title_font.b))])
        if line
        else None
        for n, line in enumerate(lines)
    ]


def fit_row_heights(sheet: Worksheet, title_rows: int, text_columns: int) -> None:
    """Rows as tall as their wrapped text needs. Excel sizes such rows itself, LibreOffice does
    not when it opens the file: without a height, wrapped lines print over each other. Below
    the `title_rows`, only the first `text_columns` columns are read."""
    widths = {}  # column letter → its width in digits, None when hidden
    last_row, last_column = max(sheet.max_row, 1), max(sheet.max_column, 1)
    rows = sheet.iter_rows(min_row=1, max_row=min(title_rows, last_row), max_col=last_column)
    if last_row > title_rows:
        rows = chain(rows, sheet.iter_rows(min_row=title_rows + 1, max_row=last_row, max_col=text_columns))
    for row in rows:
        texts = []
        for cell in row:
            if not isinstance(cell.value, str):  # numbers never wrap
                continue
            if cell.column_letter not in widths:
                widths[cell.column_letter] = column_width(sheet, cell.column_letter)
            if cell.alignment.wrap_text:
                texts.append((cell.value, widths[cell.column_letter], cell.font.sz or 11, bool(cell.font.b)))
        height = row_height(texts)
        if height is not None:
            sheet.row_dimensions[row[0].row].height = height


def column_width(sheet: Worksheet, letter: str) -> float | None:
    """A column's width in digits (None when it is hidden)."""
    column = sheet.column_dimensions[letter]
    return None if column.hidden else (column.width or DEFAULT_WIDTH)


def row_height(texts: Iterable[tuple[str, float | None, float, bool]]) -> float | None:
    """The height in points of a row whose wrapped texts are `texts`: (text, its column's width
    in digits or None when the column is hidden, font size, bold); None when one line does."""
    lines, size = 1, 11.0
    for text, width, font_size, bold in texts:
        if width is None:
            continue
        size = max(size, font_size)
        lines = max(lines, _lines(text, width, font_size / 11 * (1.03 if bold else 1)))
    return round(lines * LINE_HEIGHT * size / 11, 1) if lines > 1 else None


def _lines(text: str, width: float, scale: float) -> int:
    """How many lines `text` takes in a column `width` digits wide, letters `scale` times the
    size of 11 pt ones (a guess on the generous side)."""
    per_line = max(1.0, (width - WRAP_LOSS) / (CHARACTER_WIDTH * scale))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def pages_across(total: float, labels: float, page: float) -> int:
    """How many pages wide a sheet of `total` mm prints, shrunk at most to MIN_SCALE, the
    `labels` mm of label columns repeated on each page after the first."""
    if total * MIN_SCALE <= page:
        return 1
    room = page / MIN_SCALE - labels  # what each page holds besides the labels
    return max(1, math.ceil((total - labels) / room)) if room > 0 else 1


def _printable_widths() -> tuple[float, float]:
    side = (MARGINS_INCH["left"] + MARGINS_INCH["right"]) * 25.4
    return A4[0] - side, A4[1] - side


def _width_mm(sheet: Worksheet, column: int) -> float:
    """A column's printed width: Excel draws a width of w characters as 7·w + 5 pixels at 96 dpi
    (Calibri 11's digits are 7 pixels wide)."""
    width = sheet.column_dimensions[get_column_letter(column)].width or DEFAULT_WIDTH
    return (7 * width + 5) * 25.4 / 96


def _characters(mm: float) -> int:
    return int((mm * 96 / 25.4 - 5) / 7)


def _set_header(item: HeaderFooterItem, header: str) -> None:
    item.center.text = _escaped(header)
    item.center.size = 9


def header_code(header: str) -> str:
    """The page header as it is written in the file (for copies of a workbook)."""
    item = HeaderFooterItem()
    _set_header(item, header)
    return str(item)


def _escaped(text: str) -> str:
    return text.replace("&", "&&")  # "&" starts a code (&P, &N) in a page header
