"""What the office writes in its period report: the text of each section (Decree 30 report of a
province on Decision 27: I. direction, II. results with a text per group of tasks, III.
shortcomings and causes, IV. next steps, V. proposals). Paragraphs are separated by a line
break; a line that starts with "- " is an item of a bullet list."""

from __future__ import annotations

from crc_desktop.core.schemas.base import Frozen, Text

# the section keys in the report's order, with their number and heading as printed
SECTIONS: dict[str, tuple[str, str]] = {
    "direction": ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH, TRIỂN KHAI"),
    "results": ("II", "KẾT QUẢ THỰC HIỆN"),
    **{f"results.{g}": ("II", "") for g in range(1, 8)},  # the text of each group of tasks
    "shortcomings": ("III", "TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"),
    "next_steps": ("IV", "PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"),
    "proposals": ("V", "ĐỀ XUẤT, KIẾN NGHỊ"),
}


class ReportSection(Frozen):
    key: str
    text: Text = ""


class ReportText(Frozen):
    """data/report.json: what the office wrote for the period, section by section."""

    schema_version: int = 1
    sections: list[ReportSection] = []

    def of(self, key: str) -> str:
        return next((s.text for s in self.sections if s.key == key), "")


def blocks(text: str) -> list[tuple[str, str]]:
    """The paragraphs and list items of a section's text, each ("p" or "li", its text), without
    empty lines."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line[:2] in ("- ", "• ", "+ "):
            found.append(("li", line[2:].strip()))
        else:
            found.append(("p", line))
    return found
