"""The user guide: `crc-desktop guide --out FILE.pdf` writes the Vietnamese guide with every
section, its screenshots and embedded fonts; it names only buttons and pages the program has."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from pypdf import PdfReader

from crc_desktop.cli import _COMMANDS, main
from crc_desktop.core.reporting.guide import images, labels, parse
from crc_desktop.core.services.guide import guide_source

CATALOGUE = Path(__file__).resolve().parents[3] / "resources" / "translations" / "vi.po"


def test_the_guide_is_a_vietnamese_pdf_with_its_sections_screenshots_and_fonts(tmp_path, capsys):
    out = tmp_path / "huong-dan.pdf"
    assert main(["guide", "--out", str(out)]) == 0
    assert "Đã ghi tài liệu hướng dẫn sử dụng" in capsys.readouterr().out
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    sections = [
        b.text for b in parse(guide_source().read_text("utf-8")) if b.kind == "heading" and b.level == 2
    ]
    assert len(sections) >= 12
    flat = " ".join(text.split())
    for section in sections:  # in the contents and as a heading
        assert flat.count(section) >= 2, section
    assert "Mật khẩu hoặc mã PIN" in flat and "Kiểm tra trước khi ký" in flat  # Vietnamese intact
    pictures = sum(
        1
        for page in reader.pages
        for item in (page["/Resources"].get("/XObject") or {}).values()
        if item.get_object()["/Subtype"] == "/Image"
    )
    assert pictures == len(images(guide_source())) >= 7
    fonts = {
        font.get_object()["/BaseFont"]: font.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all("LiberationSerif" in name for name in fonts)  # embedded, every Vietnamese letter


def test_the_guide_names_only_buttons_and_pages_and_commands_the_program_has():
    markdown = guide_source().read_text("utf-8")
    with CATALOGUE.open("rb") as handle:  # what the program shows, in Vietnamese
        shown = {  # & marks Alt+key; a plural message has a string per form
            text.replace("&", "")
            for message in read_po(handle)
            if message.id
            for text in (message.string if isinstance(message.string, tuple) else (message.string,))
        }
    assert [label for label in labels(markdown) if label not in shown] == []
    assert all(path.is_file() for path in images(guide_source()))
    commands = set(re.findall(r"crc-desktop ([a-z]+)", markdown))
    assert commands and commands <= set(_COMMANDS)


def test_a_guide_into_a_missing_folder_is_refused_in_vietnamese(tmp_path, capsys):
    assert main(["guide", "--out", str(tmp_path / "khong-co" / "huong-dan.pdf")]) == 1
    assert "không tồn tại" in capsys.readouterr().err
    assert not (tmp_path / "khong-co").exists()
