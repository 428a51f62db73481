"""The period report as a PDF in the Vietnamese administrative layout (Decree 30/2020/NĐ-CP).

A4 portrait; margins 20 mm top and bottom, 30 mm left, 15 mm right; page numbers centred
at the top from page 2; Liberation Serif 2.x (metric-compatible with Times New Roman, every
Vietnamese letter) embedded; all text NFC. The hash of the data snapshot is printed at the
foot of every page and kept in the PDF's metadata.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from pydantic import BaseModel, ValidationError
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from crc_desktop.core.errors import InputRefused
from crc_desktop.core.files import read_json
from crc_desktop.core.i18n import Translator
from crc_desktop.core.reporting.findings import recommendation_title, target_for
from crc_desktop.core.reporting.labels import budget_source_vi, task_status_vi
from crc_desktop.core.rules.places import head_title, in_running_text, kind_of
from crc_desktop.core.rules.rollup import asked_of
from crc_desktop.core.schemas.reading import validation_problems
from crc_desktop.core.schemas.report_text import blocks
from crc_desktop.core.schemas.snapshot import PeriodSnapshot
from crc_desktop.core.text import nfc, recommendation_label

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGINS = {"top": 20 * mm, "bottom": 20 * mm, "left": 30 * mm, "right": 15 * mm}
FONT = "CRCSerif"
MAX_KEY_INDICATORS = 6
MAX_TITLES = 5  # tasks named one by one after an obstacle or a proposal


class Section(BaseModel):
    number: str
    title: str
    content: str


class ReportTemplate(BaseModel):
    """What the report says around the data: title, abstract, sections and their order, recipients."""

    format: str = "crc-desktop-report-template"
    format_version: int = 1
    title: str
    abstract: str
    symbol_suffix: str = "BC"
    sections: list[Section]
    recipients: list[str]

    @classmethod
    def load(cls, path: Path | None = None) -> ReportTemplate:
        source = path or Path(str(resources.files("crc_desktop.resources") / "report_template.json"))
        try:
            return cls.model_validate(read_json(Path(source)))
        except ValidationError as exc:
            raise InputRefused(
                "The report template {path} is not valid:",
                validation_problems(exc, "{field}: {reason}"),
                path=str(source),
            ) from None


def register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = resources.files("crc_desktop.resources") / "fonts"
    faces = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}
    for suffix, face in faces.items():
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(folder / f"LiberationSerif-{face}.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT + "-Bold", italic=FONT + "-Italic", boldItalic=FONT + "-BoldItalic"
    )


def vietnamese_date(place: str, day: dt.date) -> str:
    """ "Huế, ngày 05 tháng 01 năm 2026": days below 10 and months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


_KINDS = ("Thành phố ", "Tỉnh ")


def proper_names(unit_name: str) -> list[str]:
    """The forms of a province's name that a line must not break inside, longest first:
    "Thành phố Hồ Chí Minh", "tỉnh Đồng Nai", "Đồng Nai"."""
    short = next((unit_name[len(k) :] for k in _KINDS if unit_name.startswith(k)), unit_name)
    forms = {unit_name, short} | {f"{kind.strip().lower()} {short}" for kind in _KINDS}
    return sorted(forms, key=len, reverse=True)


def name_lines(text: str, names: list[str], style: ParagraphStyle, width: float) -> Paragraph:
    """A header line that, when it does not fit, breaks just before the proper name in it
    ("ỦY BAN NHÂN DÂN" / "THÀNH PHỐ HỒ CHÍ MINH") rather than inside the name."""
    text = nfc(text)
    parts = [text]
    if pdfmetrics.stringWidth(text, style.fontName, style.fontSize) > width:
        folded = text.casefold()
        for name in names:
            start = folded.find(name.casefold())
            if start > 0:
                parts = [text[:start].rstrip(), text[start:]]
                break
    return Paragraph("<br/>".join(escape(part) for part in parts), style)


class Underline(Flowable):
    """A solid line of `length`, centred in the width it is given (Decree 30: under the motto as
    long as its text, under the office's name a third to a half of it)."""

    def __init__(self, length: float) -> None:
        super().__init__()
        self.length = length

    def wrap(self, available_width, available_height):
        self.available = available_width
        return available_width, 3

    def draw(self) -> None:
        start = (self.available - self.length) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(start, 1.5, start + self.length, 1.5)


def motto_underline(style: ParagraphStyle) -> Underline:
    """The line under "Độc lập - Tự do - Hạnh phúc", as long as that text in `style`."""
    return Underline(pdfmetrics.stringWidth(nfc(MOTTO), style.fontName, style.fontSize))


def office_underline(name: str, style: ParagraphStyle, width: float) -> Underline:
    """The line under the office's name: 40 % of the name's longest printed line (Decree 30 asks
    for a third to a half), centred."""
    longest = min(pdfmetrics.stringWidth(nfc(name), style.fontName, style.fontSize), width)
    return Underline(longest * 0.4)


MOTTO = "Độc lập - Tự do - Hạnh phúc"


def dated_place_line(place: str, day: dt.date, style: ParagraphStyle, width: float) -> Paragraph:
    """The place and date line; when it does not fit, it breaks after the place's comma."""
    line = vietnamese_date(place, day)
    return name_lines(line, [line.split(", ", 1)[1]], style, width)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=13,
        leading=17,
        alignment=TA_JUSTIFY,
        firstLineIndent=10 * mm,
        spaceAfter=4,
    )
    return {
        "body": base,
        "plain": ParagraphStyle("plain", base, firstLineIndent=0),
        "center": ParagraphStyle("center", base, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0),
        "title": ParagraphStyle(
            "title",
            base,
            fontName=FONT + "-Bold",
            fontSize=14,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceBefore=10,
            spaceAfter=2,
        ),
        "heading": ParagraphStyle(
            "heading",
            base,
            fontName=FONT + "-Bold",
            firstLineIndent=10 * mm,
            spaceBefore=8,
            keepWithNext=True,
        ),
        "subheading": ParagraphStyle(
            "subheading",
            base,
            fontName=FONT + "-Bold",
            fontSize=13,
            firstLineIndent=10 * mm,
            keepWithNext=True,
        ),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=12, alignment=TA_LEFT),
        "cell_right": ParagraphStyle("cell_right", fontName=FONT, fontSize=10, leading=12, alignment=2),
        "cell_head": ParagraphStyle(
            "cell_head", fontName=FONT + "-Bold", fontSize=10, leading=12, alignment=TA_CENTER
        ),
        "bullet": ParagraphStyle("bullet", base, firstLineIndent=10 * mm),
        "small": ParagraphStyle("small", fontName=FONT, fontSize=12, leading=14),
        "note": ParagraphStyle("note", fontName=FONT + "-Italic", fontSize=10, leading=12),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(nfc(text) or ""), style)


class _Report:
    def __init__(
        self,
        snapshot: PeriodSnapshot,
        template: ReportTemplate,
        tr: Translator,
        on: dt.date,
        number: str = "",
    ):
        self.snap, self.template, self.tr, self.on = snapshot, template, tr, on
        self.number = number
        self.places: list = []  # where the signature goes (SignatureSpace fills it)
        self.target_sources: dict[str, str] = {}  # "indicator@year@level" → the target's source
        self.written = {section.key: section.text for section in snapshot.report_text}
        self.province_in_text = in_running_text(snapshot.province.name, snapshot.office.place_name)
        self.st = _styles()
        self.width = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]
        self.digest = snapshot.digest()
        self.year = int(snapshot.period.code[:4])

    # -- the document frame ---------------------------------------------------------------

    def build(self, target) -> None:
        doc = official_document(
            target,
            self._abstract(),
            self.snap.office.office_name,
            self._decorate,
            subject=f"CRC Desktop snapshot sha256:{self.digest}",
            keywords=f"sha256:{self.digest}",
        )
        doc.build(self._story())

    def _decorate(self, canvas, doc) -> None:
        canvas.saveState()
        if doc.page > 1:
            canvas.setFont(FONT, 13)
            canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 12 * mm, str(doc.page))
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGINS["left"], 10 * mm, f"Mã dữ liệu (SHA-256): {self.digest}")
        if self.snap.demo:
            canvas.drawRightString(
                PAGE_WIDTH - MARGINS["right"], 10 * mm, "DỮ LIỆU MẪU — không phải số liệu thật"
            )
        canvas.restoreState()

    def _abstract(self) -> str:
        return self.template.abstract.format(period=self.snap.period.code)

    # -- the story --------------------------------------------------------------------

    def _story(self) -> list:
        story = [self._header(), Spacer(1, 6 * mm)]
        story += [_p(self.template.title, self.st["title"]), _p(self._abstract(), self.st["title"])]
        if self.snap.recipient:
            recipient = self.snap.recipient.name
            if self.snap.recipient.unit:
                recipient = f"{self.snap.recipient.name} ({self.snap.recipient.unit})"
            story += [Spacer(1, 4 * mm), _p(f"Kính gửi: {recipient}", self.st["center"]), Spacer(1, 4 * mm)]
        writers: dict[str, Callable[[], list]] = {
            "direction": lambda: self._written("direction") + self._situation(),
            "situation": self._situation,
            "results": self._results,
            "shortcomings": lambda: self._written("shortcomings") or self._difficulties(),
            "difficulties": self._difficulties,
            "next_steps": lambda: self._written("next_steps") or self._next_steps(),
            "proposals": lambda: self._written("proposals") or self._proposals(),
        }
        for section in self.template.sections:
            story.append(_p(f"{section.number}. {section.title}", self.st["heading"]))
            story += writers.get(section.content, lambda: [])()
        office = self.snap.office
        block = signature_block(
            Signer(
                title=office.signer_title or head_title(office.office_name),
                name=office.signer_name,
                signing_for=office.signing_for,
                recipients=office.recipients or self._default_recipients(),
            ),
            self.st,
            self.width,
            self.places,
        )
        return with_signature(story, block)

    def _default_recipients(self) -> list[str]:
        """The template's recipients, the People's Committee (for its information) before "Lưu"."""
        lines = list(self.template.recipients)
        committee = f"UBND {self.province_in_text} (để báo cáo)"
        at = next((i for i, line in enumerate(lines) if line.startswith("Lưu")), len(lines))
        return lines if committee in lines else [*lines[:at], committee, *lines[at:]]

    def _written(self, key: str) -> list:
        """What the office wrote in section `key`: its paragraphs and bullet lists."""
        story = []
        for kind, text in blocks(self.written.get(key, "")):
            story.append(
                _p(f"- {text}" if kind == "li" else text, self.st["bullet" if kind == "li" else "body"])
            )
        return story

    def _header(self) -> Table:
        office = self.snap.office
        places = proper_names(self.snap.province.name)
        symbol = document_symbol(self.snap, self.template)
        number = self.number or "\u00a0" * 6  # left blank for the clerk (văn thư) when not given
        names = [name.upper() for name in places]
        left_width, right_width = self.width * 0.42, self.width * 0.58
        office_style = ParagraphStyle("l2", self.st["center"], fontName=FONT + "-Bold", fontSize=12)
        motto_style = ParagraphStyle("r2", self.st["center"], fontName=FONT + "-Bold", fontSize=13)
        left = [
            name_lines(
                office.parent_agency.upper(),
                names,
                ParagraphStyle("l1", self.st["center"], fontSize=12),
                left_width,
            ),
            name_lines(office.office_name.upper(), names, office_style, left_width),
            office_underline(office.office_name.upper(), office_style, left_width),
            Spacer(1, 2 * mm),
            _p(f"Số: {number}/{symbol}", ParagraphStyle("l4", self.st["center"], fontSize=13)),
        ]
        right = [
            _p(
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                ParagraphStyle("r1", self.st["center"], fontName=FONT + "-Bold", fontSize=12),
            ),
            _p(MOTTO, motto_style),
            motto_underline(motto_style),
            Spacer(1, 2 * mm),
            dated_place_line(
                office.place_name,
                self.on,
                ParagraphStyle("r4", self.st["center"], fontName=FONT + "-Italic"),
                right_width,
            ),
        ]
        table = Table([[left, right]], colWidths=[left_width, right_width])
        table.setStyle(
            _style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    # -- I. situation -------------------------------------------------------------------

    def _situation(self) -> list:
        snap = self.snap
        tasks = snap.tasks
        with_progress = [t for t in tasks if t.progress]
        completed = sum(1 for t in tasks if t.status == "completed")
        average = (
            sum(t.progress.percent_done for t in with_progress) / len(with_progress) if with_progress else 0
        )
        # what the period asks for, by the grid's rule: a computed figure is asked of nobody
        levels = {a.code: a.level for a in snap.areas}
        indicators = {i.key: i for i in snap.indicators}
        units = Counter(levels.values())
        expected = sum(
            len(i.cells) * n
            for i in snap.indicators
            for level, n in units.items()
            if asked_of(i.measure, i.reported_by, level)
        )
        entered = sum(
            1
            for v in snap.values
            if (v.number is not None or v.text)
            and (i := indicators.get(v.indicator)) is not None
            and asked_of(i.measure, i.reported_by, levels.get(v.area, ""))
        )
        covered = sum(1 for r in snap.recommendations if r.tasks)
        n = self.tr.number
        text = (
            f"Kế hoạch của {self.province_in_text} thực hiện khuyến nghị của Ủy ban về quyền trẻ em gồm "
            f"{n(len(tasks), 0)} nhiệm vụ thuộc 7 nhóm nhiệm vụ, giải pháp của Quyết định số 27/QĐ-TTg; "
            f"{self._loaded_recommendations(covered)}. Trong kỳ báo cáo "
            f"{snap.period.code}, {n(len(with_progress), 0)} nhiệm vụ đã cập nhật tiến độ, mức độ hoàn thành "
            f"bình quân {n(average, 1)}%; {n(completed, 0)} nhiệm vụ đã hoàn thành. Đã nhập "
            f"{n(entered, 0)}/{n(expected, 0)} giá trị chỉ tiêu của {n(len(snap.areas), 0)} đơn vị "
            f"({kind_of(snap.province.name)} và các xã, phường)."
        )
        return [_p(text, self.st["body"])]

    def _loaded_note(self) -> str:
        """What the coverage counts: the paragraphs loaded, by document."""
        by_document: dict[str, int] = defaultdict(int)
        for rec in self.snap.recommendations:
            by_document[rec.document] += 1
        loaded = "; ".join(f"{count} đoạn của {document}" for document, count in sorted(by_document.items()))
        return (
            f"Chỉ tính các đoạn khuyến nghị đã nạp vào chương trình ({loaded}); khi chưa nạp toàn văn "
            "khuyến nghị của Ủy ban, cần nạp danh mục đầy đủ."
        )

    def _loaded_recommendations(self, covered: int) -> str:
        """How many recommendations are answered, saying how many are loaded and from where."""
        n = self.tr.number
        recs = self.snap.recommendations
        if not recs:
            return "chưa nạp đoạn khuyến nghị nào của Ủy ban (cần nạp danh mục khuyến nghị)"
        documents = ", ".join(sorted({r.document for r in recs}))
        return (
            f"{n(covered, 0)} trong số {n(len(recs), 0)} đoạn khuyến nghị đã nạp của {documents} đã có "
            "nhiệm vụ thực hiện (chỉ tính các đoạn đã nạp vào chương trình)"
        )

    # -- II. results ----------------------------------------------------------------------

    def _results(self) -> list:
        story: list = self._written("results")
        by_group = defaultdict(list)
        for task in self.snap.tasks:
            by_group[task.group].append(task)
        for group in self.snap.task_groups:
            story.append(_p(f"{group.number}. {group.name}", self.st["subheading"]))
            story += self._written(f"results.{group.number}")
            tasks = by_group.get(group.number, [])
            if not tasks:
                story.append(_p("Chưa có nhiệm vụ trong kỳ.", self.st["body"]))
                continue
            story.append(self._task_table(tasks))
            story.append(Spacer(1, 3 * mm))
        story += self._budget()
        story += self._programmes()
        story += self._coverage()
        story += self._indicators()
        story += self._charts()
        return story

    def _table(self, header: list[str], rows: list[list], widths: list[float], right: set[int] = frozenset()):
        data = [[_p(h, self.st["cell_head"]) for h in header]]
        for row in rows:
            data.append(
                [
                    cell
                    if not isinstance(cell, str)
                    else _p(cell, self.st["cell_right" if i in right else "cell"])
                    for i, cell in enumerate(row)
                ]
            )
        table = Table(data, colWidths=[w * self.width for w in widths], repeatRows=1)
        table.setStyle(
            _style(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def _task_table(self, tasks) -> Table:
        rows = []
        for task in tasks:
            progress = task.progress
            rows.append(
                [
                    task.code,
                    task.title,
                    task.lead_agency,
                    f"{progress.percent_done}%" if progress else "—",
                    # the status of this period's update, beside this period's percentage
                    f"{progress.done_text} ({task_status_vi().get(progress.status, progress.status)})"
                    if progress
                    else "Chưa cập nhật tiến độ kỳ này.",
                ]
            )
        return self._table(
            ["Mã", "Nhiệm vụ", "Cơ quan chủ trì", "Tiến độ", "Kết quả trong kỳ"],
            rows,
            [0.1, 0.3, 0.17, 0.09, 0.34],
            right={3},
        )

    def _budget(self) -> list:
        n = self.tr.number
        totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        for task in self.snap.tasks:
            for line in task.budget:
                if line.fiscal_year == self.year:
                    total = totals[(task.group, line.source)]
                    total[0] += line.planned
                    total[1] += line.allocated
                    total[2] += line.spent
        if not totals:
            return [_p(f"Chưa có kinh phí được ghi cho năm {self.year}.", self.st["body"])]
        rows = []
        grand = [0, 0, 0]
        for (group, source), (planned, allocated, spent) in sorted(totals.items()):
            rows.append(
                [
                    f"Nhóm {group}",
                    budget_source_vi().get(source, source),
                    n(planned / 1e6, 1),
                    n(allocated / 1e6, 1),
                    n(spent / 1e6, 1),
                ]
            )
            grand = [grand[0] + planned, grand[1] + allocated, grand[2] + spent]
        rows.append(["Tổng cộng", "", n(grand[0] / 1e6, 1), n(grand[1] / 1e6, 1), n(grand[2] / 1e6, 1)])
        return [
            CondPageBreak(40 * mm),
            _p(f"Kinh phí thực hiện năm {self.year} (triệu đồng)", self.st["subheading"]),
            self._table(
                ["Nhóm nhiệm vụ", "Nguồn", "Kế hoạch", "Được giao", "Đã chi"],
                rows,
                [0.2, 0.26, 0.18, 0.18, 0.18],
                right={2, 3, 4},
            ),
            Spacer(1, 3 * mm),
        ]

    def _programmes(self) -> list:
        """What is folded into each programme ("lồng ghép"), and the year's budget by programme."""
        heading = _p("Lồng ghép với các chương trình", self.st["subheading"])
        if not self.snap.programmes:
            return [
                heading,
                _p(
                    "Chưa có nhiệm vụ nào được ghi lồng ghép với chương trình mục tiêu quốc gia hoặc "
                    "chương trình, đề án, kế hoạch nào.",
                    self.st["body"],
                ),
            ]
        n = self.tr.number
        titles = {t.code: t.title for t in self.snap.tasks}
        lines = {
            (t.code, b.fiscal_year, b.source): b
            for t in self.snap.tasks
            for b in t.budget
            if b.fiscal_year == self.year
        }
        rows, used = [], set()
        for use in self.snap.programmes:
            keys = [(f.task, f.fiscal_year, f.source) for f in use.budget_lines if f.fiscal_year == self.year]
            used.update(keys)
            money = [
                sum(getattr(lines[k], f) for k in keys if k in lines)
                for f in ("planned", "allocated", "spent")
            ]
            folded = "; ".join(titles.get(code, code) for code in use.tasks) or "—"
            rows.append([f"{use.name} ({use.source})", folded, *(n(m / 1e6, 1) for m in money)])
        rest = [lines[k] for k in lines if k not in used]
        if rest:
            money = [sum(getattr(b, f) for b in rest) for f in ("planned", "allocated", "spent")]
            rows.append(["Kinh phí không ghi qua chương trình nào", "", *(n(m / 1e6, 1) for m in money)])
        return [
            CondPageBreak(40 * mm),
            heading,
            self._table(
                [
                    "Chương trình (văn bản phê duyệt)",
                    "Nhiệm vụ lồng ghép",
                    f"Kế hoạch {self.year}",
                    "Được giao",
                    "Đã chi",
                ],
                rows,
                [0.28, 0.36, 0.12, 0.12, 0.12],
                right={2, 3, 4},
            ),
            _p("Kinh phí: triệu đồng, năm báo cáo.", self.st["note"]),
            Spacer(1, 3 * mm),
        ]

    def _coverage(self) -> list:
        clusters: dict[str, list] = defaultdict(list)
        for rec in self.snap.recommendations:
            clusters[rec.cluster or f"{rec.document}"].append(rec)
        if not clusters:
            return [_p("Chưa có khuyến nghị nào trong cơ sở dữ liệu.", self.st["body"])]
        rows = []
        for cluster, recs in clusters.items():
            covered = sum(1 for r in recs if r.tasks)
            urgent_open = [
                recommendation_label(r.paragraph, r.sub)
                + (f" ({recommendation_title(r.title)})" if r.title else "")
                for r in recs
                if r.urgent and not r.tasks
            ]
            rows.append([cluster, str(len(recs)), str(covered), ", ".join(urgent_open) or "—"])
        return [
            CondPageBreak(40 * mm),
            _p("Mức độ đáp ứng các khuyến nghị", self.st["subheading"]),
            self._table(
                ["Nhóm khuyến nghị", "Số khuyến nghị", "Đã có nhiệm vụ", "Khẩn cấp chưa có nhiệm vụ"],
                rows,
                [0.46, 0.14, 0.14, 0.26],
                right={1, 2},
            ),
            _p(self._loaded_note(), self.st["note"]),
            Spacer(1, 3 * mm),
        ]

    def key_indicators(self):
        """Indicators with a target for the report's year (the ones charts and tables show)."""
        chosen = [i for i in self.snap.indicators if _target(i, self.year) is not None]
        return chosen[:MAX_KEY_INDICATORS]

    def _province_values(self) -> dict[tuple[str, str], object]:
        code = self.snap.province.code
        return {(v.indicator, v.cell): v for v in self.snap.values if v.area == code}

    def _indicators(self) -> list:
        n = self.tr.exact  # a reported value is printed with every digit it is kept with
        province = self._province_values()
        rows, official, partial = [], [], []
        for indicator in self.snap.indicators:
            total = next((c for c in indicator.cells if c.is_total), indicator.cells[0])
            value = province.get((indicator.key, total.key))
            target = _target(indicator, self.year)
            number = value.number if value else None
            previous = value.previous if value else None
            shown = self._shown(indicator.key, total.key, n)
            figure = self.snap.figure(indicator.key, total.key)
            if figure is not None and figure.origin == "official":  # marked, its source below
                official.append(f"{indicator.code}: {figure.source or '—'}")
                mark = "*"
            elif figure is not None and figure.reported < figure.expected and number is not None:
                # computed from the communes that sent their figures: said, so that a sum of 16 of
                # 20 communes is not read as a fall
                partial.append((f"{figure.reported}/{figure.expected}", indicator.code))
                mark = "†"
            else:
                mark = ""  # the marks are of this period's figure, not of the previous one
            rows.append(
                [
                    indicator.code,
                    indicator.name,
                    indicator.unit,
                    f"{shown(number)}{mark}" if number is not None else "—",
                    shown(previous) if previous is not None else "—",
                    self._target_cell(indicator, target),
                    _verdict(number, target, self.year),
                ]
            )
        story = [
            CondPageBreak(40 * mm),
            _p(
                f"Chỉ tiêu về trẻ em của {self.province_in_text} so với kỳ trước và chỉ tiêu kế hoạch",
                self.st["subheading"],
            ),
            self._table(
                [
                    "Mã",
                    "Chỉ tiêu",
                    "Đơn vị",
                    f"Kỳ {self.snap.period.code}",
                    "Kỳ trước",
                    "Chỉ tiêu KH",
                    "Đánh giá",
                ],
                rows,
                [0.11, 0.33, 0.1, 0.11, 0.11, 0.12, 0.12],  # room for codes like TNTT01 on one line
                right={3, 4},
            ),
            *self._target_notes(),
            Spacer(1, 3 * mm),
        ]
        if partial:
            story.append(_p(_partial_note(partial), self.st["body"]))
        if official:  # an official figure set over a computed one says where it was published
            story.append(
                _p(
                    "* Số liệu chính thức đã công bố, thay cho số tính từ các xã, phường: "
                    + "; ".join(official)
                    + ".",
                    self.st["body"],
                )
            )
        return story + self._by_area()

    def _target_cell(self, indicator, target) -> str:
        """ "≥ 98,5 (2025)", with the mark of a note when its source is doubtful."""
        if target is None:
            return "—"
        mark = _doubt(self.target_sources.get(f"{indicator.key}@{target.year}@{target.level}", ""))
        return f"{self.tr.target(target.comparator, target.value)} ({target.year}){mark}"

    def _target_notes(self) -> list:
        """Where the targets come from, and which rest on a doubtful transcription."""
        names = {_source_name(text) for text in self.target_sources.values() if text}
        sources = sorted(name for name in names if not name.startswith("http"))
        if len(sources) < len(names):  # a web page is named in the catalogue, not in the report
            sources.append("các nguồn khác ghi trong danh mục chỉ tiêu")
        lines = [
            "Chỉ tiêu kế hoạch: mục tiêu của năm báo cáo; giữa hai mốc, mục tiêu của mốc kế tiếp (ghi năm "
            "trong ngoặc, chưa đánh giá đạt hay chưa đạt)."
        ]
        if sources:
            lines.append(f"Nguồn: {'; '.join(sources)}.")
        if any(_doubt(text) == " (a)" for text in self.target_sources.values()):
            lines.append("(a) Nghi vấn: bản chép thứ cấp có thể sai; phải đối chiếu Công báo trước khi dùng.")
        if any(_doubt(text) == " (b)" for text in self.target_sources.values()):
            lines.append("(b) Chỉ có một bản chép thứ cấp, chưa đối chiếu bản chính thức.")
        return [_p(line, self.st["note"]) for line in lines]

    def _shown(self, indicator: str, cell: str, exact):
        """How a province figure is printed: a computed rate to two decimals (its exact value and
        its parts are in the bundle), a reported or official one with every digit it is kept with."""
        figure = self.snap.figure(indicator, cell)
        if figure is not None and figure.origin == "computed":
            return lambda number: self.tr.number(number, 2)
        return exact

    def _by_area(self) -> list:
        key = self.key_indicators()
        if not key:
            return [_p(f"Không có chỉ tiêu có chỉ tiêu kế hoạch năm {self.year}.", self.st["body"])]
        n = self.tr.exact
        values = {
            (v.indicator, v.area): v.number
            for v in self.snap.values
            if v.cell == "total" and v.indicator in {i.key for i in key}
        }
        header = ["Đơn vị"]
        for indicator in key:
            target = _target(indicator, self.year)
            header.append(f"{indicator.code} ({self._target_cell(indicator, target)})")
        shown = {i.key: self._shown(i.key, "total", n) for i in key}
        # a commune's rate is its own numerator / denominator × factor (a snapshot carries only
        # the province's computed figures), printed to two decimals as the province's
        from crc_desktop.core.reporting.unit_rates import snapshot_commune_rates

        two = set()
        for (indicator, cell, commune), rate in snapshot_commune_rates(self.snap).items():
            if cell == "total" and values.get((indicator, commune)) is None:
                values[(indicator, commune)] = rate
                two.add((indicator, commune))
        # a share of communes (đạt over those that answered): a commune's own answer
        answers = {
            (i.key, v.area): "Đạt" if v.number >= 0.5 else "Không đạt"
            for i in key
            if i.measure == "share"
            for v in self.snap.values
            if v.indicator == i.numerator and v.cell == "total" and v.number is not None
            and v.area != self.snap.province.code
        }  # fmt: skip
        rows = [
            [area.name]
            + [
                answers[(i.key, area.code)]
                if (i.key, area.code) in answers
                else (
                    self.tr.number(values[(i.key, area.code)], 2)
                    if (i.key, area.code) in two
                    else shown[i.key](values[(i.key, area.code)])
                )
                if values.get((i.key, area.code)) is not None
                else "—"
                for i in key
            ]
            for area in self.snap.areas
        ]
        first = 0.3
        rest = (1 - first) / len(key)
        return [
            CondPageBreak(40 * mm),
            _p(
                "Chỉ tiêu chủ yếu theo đơn vị hành chính (trong ngoặc: chỉ tiêu kế hoạch)",
                self.st["subheading"],
            ),
            self._table(header, rows, [first] + [rest] * len(key), right=set(range(1, len(key) + 1))),
            Spacer(1, 3 * mm),
        ]

    def _charts(self) -> list:
        """Each chart with something to show; a sentence in place of one without data."""
        charts: list = []
        province = self._province_values()
        if any(
            (v := province.get((i.key, "total"))) is not None and v.number is not None
            for i in self.key_indicators()
        ):
            charts += [self._indicator_chart(), Spacer(1, 4 * mm)]
        else:
            charts.append(
                _p(
                    "Biểu đồ chỉ tiêu không được vẽ: chưa có số liệu của tỉnh cho các chỉ tiêu có "
                    f"chỉ tiêu kế hoạch năm {self.year}.",
                    self.st["body"],
                )
            )
        if any(t.progress for t in self.snap.tasks):
            charts.append(self._progress_chart())
        else:
            charts.append(
                _p(
                    "Biểu đồ tiến độ không được vẽ: chưa có nhiệm vụ nào cập nhật tiến độ kỳ này.",
                    self.st["body"],
                )
            )
        return [KeepTogether([_p("Biểu đồ", self.st["subheading"]), *charts])]

    def _chart(
        self, title: str, labels: list[str], series: list[list[float]], names: list[str], top: float | None
    ) -> Drawing:
        drawing = Drawing(self.width, 80 * mm)
        drawing.initialFontName = FONT  # the drawing's initial font; Helvetica otherwise, unembedded
        chart = VerticalBarChart()
        chart.x, chart.y = 14 * mm, 14 * mm
        chart.width, chart.height = self.width - 20 * mm, 52 * mm
        chart.data = series
        chart.categoryAxis.categoryNames = labels
        chart.categoryAxis.labels.fontName = FONT
        chart.categoryAxis.labels.fontSize = 8
        chart.valueAxis.labels.fontName = FONT
        chart.valueAxis.labels.fontSize = 8
        chart.valueAxis.valueMin = 0
        if top:
            chart.valueAxis.valueMax = top
        palette = [colors.HexColor("#2f5597"), colors.HexColor("#c55a11")]
        for index in range(len(series)):
            chart.bars[index].fillColor = palette[index % len(palette)]
        drawing.add(chart)
        drawing.add(
            String(
                self.width / 2, 76 * mm, nfc(title), fontName=FONT + "-Bold", fontSize=10, textAnchor="middle"
            )
        )
        legend = Legend()
        legend.fontName, legend.fontSize = FONT, 8
        legend.x, legend.y = 14 * mm, 5 * mm
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.colorNamePairs = [(palette[i % len(palette)], nfc(name)) for i, name in enumerate(names)]
        drawing.add(legend)
        return drawing

    def _indicator_chart(self) -> Drawing:
        province = self._province_values()
        key = [i for i in self.key_indicators() if i.unit == "%"] or self.key_indicators()
        labels, actual, target = [], [], []
        for indicator in key:
            total = next((c for c in indicator.cells if c.is_total), indicator.cells[0])
            value = province.get((indicator.key, total.key))
            labels.append(indicator.code)
            actual.append(value.number if value and value.number is not None else 0)
            target.append(_target(indicator, self.year).value)
        return self._chart(
            f"Chỉ tiêu chủ yếu của tỉnh so với chỉ tiêu kế hoạch năm {self.year}",
            labels or ["—"],
            [actual or [0], target or [0]],
            [f"Thực hiện {self.snap.period.code}", "Chỉ tiêu kế hoạch"],
            None,
        )

    def _progress_chart(self) -> Drawing:
        averages = []
        for group in self.snap.task_groups:
            done = [
                t.progress.percent_done for t in self.snap.tasks if t.group == group.number and t.progress
            ]
            averages.append(sum(done) / len(done) if done else 0)
        return self._chart(
            "Mức độ hoàn thành bình quân theo nhóm nhiệm vụ (%)",
            [f"Nhóm {g.number}" for g in self.snap.task_groups],
            [averages],
            ["% hoàn thành bình quân"],
            100,
        )

    # -- III, IV ----------------------------------------------------------------------------

    def _collected(self, field: str, empty: str) -> list:
        """The obstacles (or proposals) the tasks' progress gives, each once, followed by the
        titles of the tasks that gave it, every one of them."""
        lines: dict[str, list[str]] = defaultdict(list)
        for task in self.snap.tasks:
            text = getattr(task.progress, field, "") if task.progress else ""
            if text.strip():
                lines[text.strip().rstrip(".;")].append(task.title)
        if not lines:
            return [_p(empty, self.st["body"])]
        return [
            _p(f"- {text} ({self._named(titles)}).", self.st["bullet"])
            for text, titles in sorted(lines.items(), key=lambda item: -len(item[1]))
        ]

    def _named(self, titles: list[str]) -> str:
        """The tasks by title, every one; past five, how many and in which groups instead (a
        sentence of thirty titles is not read)."""
        if len(titles) <= MAX_TITLES:
            return "; ".join(titles)
        groups = sorted({t.group for t in self.snap.tasks if t.title in titles})
        return f"{len(titles)} nhiệm vụ thuộc các nhóm {', '.join(map(str, groups))}"

    def _next_steps(self) -> list:
        """Without the office's text: the tasks not completed, by title, with their end date."""
        open_tasks = [t for t in self.snap.tasks if t.status not in ("completed", "cancelled")]
        if not self.snap.tasks:
            return [_p("Kế hoạch chưa có nhiệm vụ nào.", self.st["body"])]
        if not open_tasks:
            return [_p("Các nhiệm vụ của kế hoạch đã hoàn thành.", self.st["body"])]
        story = [_p("Tiếp tục thực hiện các nhiệm vụ chưa hoàn thành:", self.st["body"])]
        for number, task in enumerate(open_tasks, start=1):
            due = f" (thời hạn {task.end_on.strftime('%d/%m/%Y')})" if task.end_on else ""
            end = "." if number == len(open_tasks) else ";"
            story.append(_p(f"- {task.title}{due}{end}", self.st["bullet"]))
        return story

    def _difficulties(self) -> list:
        return self._collected("obstacles", "Không có khó khăn, vướng mắc được báo cáo trong kỳ.")

    def _proposals(self) -> list:
        return self._collected("proposals", "Không có đề xuất, kiến nghị trong kỳ.")


class Signer(BaseModel):
    """Who signs a document and for whom, and where it goes ("Nơi nhận")."""

    title: str = ""
    name: str = ""
    signing_for: str = ""  # the head's title when a deputy signs on the head's behalf
    recipients: list[str] = []


SIGNATURE_HEIGHT = 30 * mm  # the room between the title and the name: signature and seal


class SignatureSpace(Flowable):
    """The room left for the signature between the signer's title and name; where it landed
    (page and box) is appended to `places`, for the visible signature to be put there."""

    def __init__(self, places: list | None) -> None:
        super().__init__()
        self.places = places

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, SIGNATURE_HEIGHT

    def draw(self) -> None:
        if self.places is None:
            return
        from crc_desktop.core.signing.appearance import SignaturePlace

        x, y = self.canv.absolutePosition(0, 0)
        box = (x, y, x + self.width, y + SIGNATURE_HEIGHT)
        self.places.append(SignaturePlace(page=self.canv.getPageNumber() - 1, box=box))


def signature_block(
    signer: Signer, st: dict[str, ParagraphStyle], width: float, places: list | None = None
) -> Table:
    """ "Nơi nhận" on the left; on the right "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" (Decree 30: a deputy
    signs for the head), room for the signature and seal, and the signer's name."""
    recipients = [Paragraph("<b><i>Nơi nhận:</i></b>", st["small"])]
    recipients += [
        _p(
            f"- {line};" if i < len(signer.recipients) - 1 else f"- {line}.",
            ParagraphStyle("rcp", st["small"], fontSize=11),
        )
        for i, line in enumerate(signer.recipients)
    ]
    bold = ParagraphStyle("sig", st["center"], fontName=FONT + "-Bold")
    lines = []
    if signer.signing_for:
        lines.append(_p(f"KT. {signer.signing_for.upper()}", bold))
    lines.append(_p((signer.title or "THỦ TRƯỞNG CƠ QUAN").upper(), bold))
    if not signer.name:
        lines.append(
            _p(
                "(Ký, ghi rõ họ tên, đóng dấu)",
                ParagraphStyle("sig2", st["center"], fontName=FONT + "-Italic", fontSize=11),
            )
        )
    lines += [SignatureSpace(places), _p(signer.name, bold)]
    table = Table([[recipients, lines]], colWidths=[width * 0.5, width * 0.5])
    table.setStyle(_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def with_signature(story: list, block: Table) -> list:
    """The story ending in the signature block, kept on one page with the body's last paragraph
    (and the headings before it) so that neither the block nor a heading stands alone on a page."""
    last = [story.pop()] if story else []
    while story and getattr(getattr(story[-1], "style", None), "keepWithNext", False):
        last.insert(0, story.pop())
    return story + [KeepTogether([*last, Spacer(1, 6 * mm), block])]


def official_document(target, title: str, author: str, on_page, **metadata) -> BaseDocTemplate:
    """An A4 document with the Decree 30 margins, our embedded font from the first character, and
    one frame; `on_page` draws the page number and footers."""
    doc = BaseDocTemplate(
        target,
        pagesize=A4,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        initialFontName=FONT,
        title=nfc(title),
        author=nfc(author),
        creator="CRC Desktop",
        lang="vi-VN",
        **metadata,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate("page", frames=[frame], onPage=on_page)])
    return doc


def _style(commands: list) -> TableStyle:
    """A table style that also names our font: tables otherwise set Helvetica, unembedded."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def document_symbol(snapshot: PeriodSnapshot, template: ReportTemplate | None = None) -> str:
    """The symbol after the number ("BC-SYT"): the office's, or the report's kind and the
    initials of the office."""
    if snapshot.office.document_symbol:
        return snapshot.office.document_symbol
    suffix = (template or ReportTemplate.load()).symbol_suffix
    return f"{suffix}-{_initials(snapshot.office.office_name, proper_names(snapshot.province.name))}"


def _initials(name: str, places: list[str]) -> str:
    """ "Sở Y tế thành phố Huế" → "SYT": the issuing body's abbreviation in a document number,
    without the province's name."""
    place = next((p for p in places if name.casefold().endswith(p.casefold())), "")
    body = name[: -len(place)] if place else name
    return "".join(w[0] for w in body.split() if w[0].isalpha()).upper() or "CQ"


def _target(indicator, year: int):
    """The year's target, or between milestones the next one (findings.target_for)."""
    return target_for(indicator, year)


def _doubt(source: str) -> str:
    """The note mark of a target's source: (a) suspect, (b) one secondary transcription only."""
    if "NGHI VẤN" in source or "SUSPECT" in source:
        return " (a)"
    if "CHỈ MỘT NGUỒN" in source or "single transcription" in source:
        return " (b)"
    return ""


def _source_name(source: str) -> str:
    """ "Quyết định 23/QĐ-TTg ngày 07/01/2021" of a target's full source text."""
    return source.split(", Chỉ tiêu")[0].split(" (")[0].strip()


def _partial_note(partial: list[tuple[str, str]]) -> str:
    """The note on figures summed from the communes that sent theirs: one coverage for all of them,
    or each coverage with its indicators."""
    by_coverage: dict[str, list[str]] = defaultdict(list)
    for coverage, code in partial:
        by_coverage[coverage].append(code)
    if len(by_coverage) == 1:
        return f"† Tính từ số liệu của {next(iter(by_coverage))} xã, phường đã gửi."
    parts = [f"{coverage} xã, phường ({', '.join(codes)})" for coverage, codes in by_coverage.items()]
    return f"† Tính từ số liệu của các xã, phường đã gửi: {'; '.join(parts)}."


def _verdict(value: float | None, target, year: int) -> str:
    """Met or not, against the year's own target only (a later milestone is not due yet)."""
    if value is None or target is None or target.year != year:
        return "—"
    met = {
        "<": value < target.value,
        "<=": value <= target.value,
        "=": value == target.value,
        ">=": value >= target.value,
        ">": value > target.value,
    }[target.comparator]
    return "Đạt" if met else "Chưa đạt"


def write_report(
    snapshot: PeriodSnapshot,
    target,
    *,
    template: ReportTemplate | None = None,
    tr: Translator | None = None,
    on: dt.date | None = None,
    number: str = "",
    places: list | None = None,
    target_sources: dict[str, str] | None = None,
) -> str:
    """Write the PDF to `target` (a path or a binary file); returns the snapshot's hash. `number`:
    the document's number given by the clerk at signing ("125" of "Số: 125/BC-SYT")."""
    register_fonts()
    report = _Report(
        snapshot, template or ReportTemplate.load(), tr or Translator("vi"), on or dt.date.today(), number
    )
    report.target_sources = target_sources or {}
    report.build(str(target) if isinstance(target, Path) else target)
    if places is not None:  # where the signature's room landed, for the visible signature
        places.extend(report.places[-1:])
    return report.digest
