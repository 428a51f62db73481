"""Beside the country's figure: on how many provinces it rests and what share of the denominator
they cover ("17/34 tỉnh, thành phố; 61 % trẻ em dưới 5 tuổi"), said honestly when the country's
total of the denominator is not known."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from crc_desktop.core.db.models import NationalBundleRecord, NationalValueRecord
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.i18n import Translator
from crc_desktop.core.ministry.consolidate import ConsolidationService
from crc_desktop.core.ministry.store import open_store
from crc_desktop.core.ministry.views import IndicatorRow, NationalViews, national_basis, national_coverage

from .test_national_rates import _province

KEY = "NPA_2021_2030//TV02"  # deaths under 1 / live births × 1.000
BIRTHS = "NPA_2021_2030//TV.DS"


def test_the_share_of_the_denominator_stands_beside_the_country_figure(tmp_path):
    bundles, trust = tmp_path / "bundles", tmp_path / "trust"
    bundles.mkdir()
    trust.mkdir()
    snapshots = {
        code: _province(tmp_path, code, seed, bundles, trust) for code, seed in (("46", 3), ("79", 4))
    }
    store = open_store(str(tmp_path / "national.db"), tmp_path / "backups")
    ConsolidationService(store, Actor.current("Bộ Y tế")).consolidate([bundles], [trust])
    # Thành phố Hồ Chí Minh sent its live births but not its infant deaths: it is not counted in
    # the rate, and its births are the part of the denominator not covered
    with UnitOfWork(store, Actor.current(), write=True) as uow:
        bundle = uow.session.scalar(
            select(NationalBundleRecord.id).filter_by(province_code="79", current=True)
        )
        uow.session.execute(
            update(NationalValueRecord)
            .where(NationalValueRecord.bundle_id == bundle, NationalValueRecord.indicator_key == KEY)
            .values(numerator=None)
        )
        uow.commit()
    views = NationalViews(store, Actor.current())
    row = next(r for r in views.indicators("2025") if r.key == KEY)
    births = {code: s.figure(KEY).denominator for code, s in snapshots.items()}
    assert (row.counted, row.known, row.of_country) == (1, 2, False)
    assert row.covered == pytest.approx(births["46"] / (births["46"] + births["79"]) * 100)
    vi = Translator("vi")
    share = vi.number(row.covered, 0)
    coverage = national_coverage(row, vi)
    assert coverage == (
        f"1/34 tỉnh, thành phố; {share}\u00a0% số trẻ đẻ sống của 2 tỉnh, thành phố đã gửi "
        "(chưa có tổng số cả nước)"
    )
    assert coverage.split("; ", 1)[1] in national_basis(row, vi)  # the dashboard's column

    book = load_workbook(views.workbook("2025", tmp_path / "ca-nuoc.xlsx"), read_only=True)
    cells = [str(c) for line in book["Chỉ tiêu theo tỉnh"].iter_rows(values_only=True) for c in line if c]
    assert any(f"{share}\u00a0% số trẻ đẻ sống" in c for c in cells)
    pdf = views.report("2025", tmp_path / "ca-nuoc.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert f"{share} % số trẻ đẻ sống" in text and "Độ bao phủ" in text


def test_the_share_is_of_the_country_only_when_every_province_sent_its_denominator():
    vi = Translator("vi")
    row = IndicatorRow(
        key="K", code="KS", name="Tỷ lệ", unit="%", by_province={}, national=97.0, target=None,
        measure="ratio", numerator=97, denominator=100, factor=100, counted=17, expected=34,
        denominator_name="Trẻ em dưới 5 tuổi", covered=61.2, known=34, of_country=True,
    )  # fmt: skip
    assert national_coverage(row, vi) == "17/34 tỉnh, thành phố; 61\u00a0% trẻ em dưới 5 tuổi"
