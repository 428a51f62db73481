"""The national workbook prints well: 34 provinces' columns over as few pages as stay readable,
the indicators' codes and names on every page, the page header and "Trang X / Y"."""

from __future__ import annotations

import re

from openpyxl import load_workbook

from crc_desktop.core.db.uow import Actor
from crc_desktop.core.ministry.consolidate import ConsolidationService
from crc_desktop.core.ministry.store import open_store
from crc_desktop.core.ministry.views import NationalViews

from ..reporting.printed import needs_libreoffice, page_texts, print_to_pdf


@needs_libreoffice
def test_the_national_workbook_prints_with_indicator_labels_on_every_page(national_inputs, tmp_path):
    store = open_store(str(tmp_path / "national.db"), tmp_path / "backups")
    try:
        actor = Actor.current("Cán bộ Bộ Y tế")
        ConsolidationService(store, actor).consolidate([national_inputs.bundles], [national_inputs.trust])
        workbook = NationalViews(store, actor).workbook("2025", tmp_path / "toan-quoc.xlsx")
    finally:
        store.close()
    pages = page_texts(print_to_pdf([workbook], tmp_path / "pdf")["toan-quoc"])

    for number, page in enumerate(pages, start=1):
        assert "Cả nước — kỳ báo cáo 2025" in page and f"Trang {number} / {len(pages)}" in page
    sheet = load_workbook(workbook)["Chỉ tiêu theo tỉnh"]
    names = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    provinces = [c.value for c in sheet[1]][6:]  # after the country's figure and how it is made
    row_start = re.compile(r"(?m)^\s*(" + "|".join(map(re.escape, names)) + r")\s+(.*)$")
    wide = [page for page in pages if row_start.search(page)]
    assert len(wide) >= 2  # 34 provinces' columns do not fit one page at a readable size
    for page in wide:  # on every page, each row starts with its indicator's code and name
        assert "Chỉ tiêu" in _headings(page)
        for code, rest in row_start.findall(page):
            assert " ".join(names[code].split()[:3]) in rest, f"{code} printed without its name"
    columns = " ".join(_headings(page) for page in wide).split()
    assert set(provinces) <= set(columns)  # no province's column left off
    assert len(pages) <= 10


def _headings(page: str) -> str:
    return next(line for line in page.splitlines() if line.strip().startswith("Mã"))
