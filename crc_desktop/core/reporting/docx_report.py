"""The period report as a Word draft (.docx), for offices that pass drafts around in Word.

It is made from the very story the PDF is made from (the same headings, sentences and tables,
in the same order), turned into Word paragraphs and tables; the charts are left to the PDF.
The signed report is always the PDF the program makes.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from reportlab.platypus import KeepTogether, Paragraph, Table

from crc_desktop.core.i18n import Translator
from crc_desktop.core.reporting.pdf import ReportTemplate, Underline, _Report, register_fonts
from crc_desktop.core.schemas.snapshot import PeriodSnapshot

FONT = "Times New Roman"
_ALIGN = {
    0: WD_ALIGN_PARAGRAPH.LEFT,
    1: WD_ALIGN_PARAGRAPH.CENTER,
    2: WD_ALIGN_PARAGRAPH.RIGHT,
    4: WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def write_docx(
    snapshot: PeriodSnapshot,
    target,
    *,
    template: ReportTemplate | None = None,
    on: dt.date | None = None,
    number: str = "",
    target_sources: dict[str, str] | None = None,
) -> str:
    """Write the report as .docx to `target` (a path or a binary file); returns the data hash."""
    register_fonts()
    report = _Report(
        snapshot, template or ReportTemplate.load(), Translator("vi"), on or dt.date.today(), number
    )
    report.target_sources = target_sources or {}
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.font.size = Pt(13)
    for section in document.sections:
        section.page_height, section.page_width = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    for flowable in report._story():
        _add(document, flowable)
    document.core_properties.title = report._abstract()
    document.core_properties.keywords = f"sha256:{report.digest}"
    document.save(target)
    return report.digest


def _add(container, flowable, first=None, width: float | None = None) -> object:
    """Add one flowable of the PDF's story to `container` (the document or a table cell `width`
    points wide); `first`: an empty paragraph to fill before adding new ones. Returns what is
    left of it."""
    if isinstance(flowable, KeepTogether):
        for part in flowable._content:
            first = _add(container, part, first, width)
        return first
    if isinstance(flowable, Paragraph):
        _paragraph(first if first is not None else container.add_paragraph(), flowable)
        return None
    if isinstance(flowable, Underline) and width:
        _underline(first if first is not None else container.add_paragraph(), flowable.length, width)
        return None
    if isinstance(flowable, Table):
        _table(container, flowable)
    return first


def _paragraph(target, source: Paragraph) -> None:
    text = re.sub(r"<br\s*/?>", "\n", source.text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    style = source.style
    run = target.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(style.fontSize)
    run.bold = "Bold" in style.fontName or "<b>" in source.text
    run.italic = "Italic" in style.fontName or "<i>" in source.text
    fmt = target.paragraph_format
    fmt.alignment = _ALIGN.get(style.alignment, WD_ALIGN_PARAGRAPH.LEFT)
    fmt.first_line_indent = Pt(style.firstLineIndent) if style.firstLineIndent else None
    fmt.space_after = Pt(style.spaceAfter)
    fmt.space_before = Pt(style.spaceBefore)
    fmt.keep_with_next = bool(getattr(style, "keepWithNext", False))


# what follows w:pBdr in a paragraph's properties (ECMA-376, CT_PPrBase), for it to go before
_AFTER_BORDERS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _underline(target, length: float, width: float) -> None:
    """The header's lines (Decree 30: under the motto as long as its text, under the office's
    name 40 % of it), as in the PDF: an empty paragraph as high as the line, whose top border is
    `length` points long, centred in the `width` of its cell by equal indents."""
    fmt = target.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.left_indent = fmt.right_indent = Pt(max(0.0, (width - length) / 2))
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(3)  # exactly: the 3 points the PDF gives the line
    properties = target._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for name, value in (("val", "single"), ("sz", "5"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{name}"), value)  # sz in eighths of a point: the PDF's 0.6 pt line
    borders.append(top)
    properties.insert_element_before(borders, *_AFTER_BORDERS)


def _table(container, source: Table) -> None:
    rows = source._cellvalues
    table = container.add_table(rows=len(rows), cols=len(rows[0]))
    if len(rows) > 1:  # a data table (the header and signature blocks are one row, no lines)
        table.style = "Table Grid"
    widths = [w if isinstance(w, int | float) else None for w in source._colWidths or []]
    if len(rows) == 1 and len(widths) == len(rows[0]) and all(widths):
        table.autofit = False  # the header's columns as wide as the PDF's, for its lines to centre
        for column, points in zip(table.columns, widths, strict=True):
            column.width = Pt(points)
            for cell in column.cells:
                cell.width = Pt(points)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            first = cell.paragraphs[0]
            for part in value if isinstance(value, list | tuple) else [value]:
                if isinstance(part, str):
                    (first or cell.add_paragraph()).add_run(part)
                    first = None
                else:
                    first = _add(cell, part, first, widths[c] if c < len(widths) else None)
