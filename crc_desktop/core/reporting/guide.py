"""The user guide as a PDF: the Markdown text of docs/guide with its screenshots, laid out with
reportlab in the report's font (Liberation Serif, every Vietnamese letter, embedded).

The Markdown is the plain part people write: `#` headings, paragraphs, `-` and `1.` lists,
pipe tables, images on a line of their own, **bold** (the names of buttons and pages) and
`code`. A table of contents with page numbers follows the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import Translator
from crc_desktop.core.reporting.pdf import FONT, register_fonts
from crc_desktop.core.text import nfc

MARGIN = 20 * mm
IMAGE_HEIGHT = 105 * mm  # the tallest a screenshot is drawn: two fit a page with their text


@dataclass(frozen=True)
class Block:
    """One piece of the guide: a heading (level 1-3), a paragraph, a list, a table or an image."""

    kind: str  # "heading", "paragraph", "bullets", "numbered", "table", "image"
    text: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_IMAGE = re.compile(r"^!\[(.*)\]\((.+)\)\s*$")
_ITEMS = {"bullets": re.compile(r"^[-*]\s+(.*)$"), "numbered": re.compile(r"^\d+\.\s+(.*)$")}


def parse(markdown: str) -> list[Block]:
    """The blocks of a Markdown text, in order."""
    blocks: list[Block] = []
    kind, lines = "", []  # the paragraph, list or table being read, and its lines

    def close() -> None:
        nonlocal kind, lines
        if lines:
            blocks.append(_block(kind, lines))
        kind, lines = "", []

    def keep(line_kind: str, line: str) -> None:
        nonlocal kind
        if kind != line_kind:
            close()
            kind = line_kind
        lines.append(line)

    for raw in markdown.splitlines():
        line = raw.strip()
        item = _item(line)
        if not line:
            close()
        elif heading := _HEADING.match(line):
            close()
            blocks.append(Block("heading", heading.group(2), level=len(heading.group(1))))
        elif image := _IMAGE.match(line):
            close()
            blocks.append(Block("image", image.group(1), items=(image.group(2),)))
        elif line.startswith("|"):
            keep("table", line)
        elif item:
            keep(*item)
        elif kind in _ITEMS and raw[:1].isspace():
            lines[-1] += " " + line  # an item continued on an indented line
        else:
            keep("paragraph", line)
    close()
    return blocks


def _item(line: str) -> tuple[str, str] | None:
    """("bullets" or "numbered", its text) when the line is an item of a list."""
    for kind, pattern in _ITEMS.items():
        if match := pattern.match(line):
            return kind, match.group(1)
    return None


def _block(kind: str, lines: list[str]) -> Block:
    if kind == "table":
        rows = [tuple(c.strip() for c in line.strip("|").split("|")) for line in lines]
        rows = [r for r in rows if not all(re.fullmatch(r":?-+:?", c) for c in r)]
        return Block("table", rows=tuple(rows))
    if kind == "paragraph":
        return Block("paragraph", " ".join(lines))
    return Block(kind, items=tuple(lines))


def inline(text: str) -> str:
    """Markdown's **bold** and `code` as reportlab's markup, everything else escaped."""
    marked = escape(nfc(text))
    marked = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", marked)
    return re.sub(r"`(.+?)`", r'<font color="#1f3a68">\1</font>', marked)


def labels(markdown: str) -> list[str]:
    """The words set in bold: in the guide, the names of buttons, pages and fields."""
    return re.findall(r"\*\*(.+?)\*\*", markdown)


def images(source: Path) -> list[Path]:
    """The image files the guide at `source` shows, resolved beside it."""
    return [
        (source.parent / block.items[0]).resolve()
        for block in parse(source.read_text("utf-8"))
        if block.kind == "image"
    ]


class _GuideDocument(BaseDocTemplate):
    def __init__(self, target, title: str, version: str) -> None:
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            author="CRC Desktop",
            subject=f"CRC Desktop {version}",
            initialFontName=FONT,
        )
        self.tr = Translator("vi")  # the guide is written in Vietnamese
        frame = Frame(MARGIN, MARGIN, A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    @staticmethod
    def _decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.setFillColor(colors.grey)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, doc.tr("Page {page}", page=doc.page))
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:  # noqa: N802 - reportlab's hook
        level = getattr(flowable, "guide_level", None)
        if level is not None:
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page))


def write_guide(source: Path, stream: BinaryIO, *, version: str) -> int:
    """Lay out the guide at `source` into `stream`; the number of pages."""
    register_fonts()
    blocks = parse(source.read_text("utf-8"))
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "CRC Desktop")
    document = _GuideDocument(stream, nfc(title), version)
    styles = _styles()
    story: list = [Spacer(1, 60 * mm), Paragraph(inline(title), styles["title"])]
    story += [Paragraph(f"CRC Desktop {escape(version)}", styles["subtitle"]), Spacer(1, 20 * mm)]
    contents = TableOfContents()
    contents.levelStyles = [styles["contents"]]
    contents.tableStyle = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    story += [Paragraph(escape(document.tr("Contents")), styles["h2"]), contents, PageBreak()]
    width = A4[0] - 2 * MARGIN
    for block in blocks:
        if block.kind == "heading" and block.level == 1:
            continue  # the title page has it
        story += _flowables(block, source.parent, styles, width)
    document.multiBuild(story)
    return document.page


def _flowables(block: Block, folder: Path, styles: dict, width: float) -> list:
    if block.kind == "heading":
        heading = Paragraph(inline(block.text), styles[f"h{block.level}"])
        if block.level == 2:
            heading.guide_level = 0
        return [heading]
    if block.kind == "paragraph":
        return [Paragraph(inline(block.text), styles["body"])]
    if block.kind in ("bullets", "numbered"):
        items = [ListItem(Paragraph(inline(text), styles["body"]), leftIndent=14) for text in block.items]
        kind = {"bullets": "bullet", "numbered": "1"}[block.kind]
        numbering = {"start": "•"} if kind == "bullet" else {"start": 1, "bulletFormat": "%s."}
        return [ListFlowable(items, bulletType=kind, leftIndent=16, bulletFontName=FONT, **numbering)]
    if block.kind == "table":
        return [_table(block, styles, width), Spacer(1, 3 * mm)]
    return [_image(block, folder, styles, width)]


def _table(block: Block, styles: dict, width: float) -> Table:
    head, *body = block.rows
    cells = [[Paragraph(inline(c), styles["cell_head"]) for c in head]]
    cells += [[Paragraph(inline(c), styles["cell"]) for c in row] for row in body]
    table = Table(cells, colWidths=[width * 0.45, width * 0.55], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # Helvetica otherwise, unembedded
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _image(block: Block, folder: Path, styles: dict, width: float) -> KeepTogether:
    path = (folder / block.items[0]).resolve()
    if not path.is_file():
        raise InputRefused("The user guide's image {path} is missing.", path=str(path))
    pixels_wide, pixels_high = ImageReader(str(path)).getSize()
    scale = min(width / pixels_wide, IMAGE_HEIGHT / pixels_high)
    picture = Image(str(path), pixels_wide * scale, pixels_high * scale)
    return KeepTogether([Spacer(1, 2 * mm), picture, Paragraph(inline(block.text), styles["caption"])])


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=11.5, leading=15, spaceAfter=5)
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT + "-Bold", fontSize=22, leading=28, alignment=1
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=13, alignment=1, textColor=colors.grey),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT + "-Bold",
            fontSize=15,
            leading=19,
            spaceBefore=10,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3", parent=body, fontName=FONT + "-Bold", fontSize=12.5, spaceBefore=6, keepWithNext=1
        ),
        "contents": ParagraphStyle("contents", parent=body, leftIndent=8, spaceAfter=2),
        "caption": ParagraphStyle(
            "caption", parent=body, fontName=FONT + "-Italic", fontSize=10, alignment=1, textColor=colors.grey
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=10, leading=13, spaceAfter=0),
        "cell_head": ParagraphStyle(
            "cell_head", parent=body, fontName=FONT + "-Bold", fontSize=10, leading=13, spaceAfter=0
        ),
    }
