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
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from reportlab.platypus import KeepTogether, Paragraph, Table

from crc_desktop.core.i18n import Translator
from crc_desktop.core.reporting.pdf import ReportTemplate, _Report, register_fonts
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


def _add(container, flowable, first=None) -> object:
    """Add one flowable of the PDF's story to `container` (the document or a table cell);
    `first`: an empty paragraph to fill before adding new ones. Returns what is left of it."""
    if isinstance(flowable, KeepTogether):
        for part in flowable._content:
            first = _add(container, part, first)
        return first
    if isinstance(flowable, Paragraph):
        _paragraph(first if first is not None else container.add_paragraph(), flowable)
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


def _table(container, source: Table) -> None:
    rows = source._cellvalues
    table = container.add_table(rows=len(rows), cols=len(rows[0]))
    if len(rows) > 1:  # a data table (the header and signature blocks are one row, no lines)
        table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            first = cell.paragraphs[0]
            for part in value if isinstance(value, list | tuple) else [value]:
                if isinstance(part, str):
                    (first or cell.add_paragraph()).add_run(part)
                    first = None
                else:
                    first = _add(cell, part, first)
