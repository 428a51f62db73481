"""The country's rate is Σ numerators / Σ denominators over the provinces whose bundles carry
both, with its coverage; an entered rate is never averaged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crc_desktop.app import Paths, open_app
from crc_desktop.core.db.uow import Actor
from crc_desktop.core.i18n import Translator
from crc_desktop.core.ministry.consolidate import ConsolidationService
from crc_desktop.core.ministry.store import open_store
from crc_desktop.core.ministry.views import NationalViews, national_basis
from crc_desktop.core.services.snapshot import SnapshotService
from crc_desktop.core.signing.keys import load_p12, new_test_keys

from .conftest import PASSPHRASE, approve


def _province(folder: Path, code: str, seed: int, bundles: Path, trust: Path):
    home = Paths(folder / "home", folder / "home", folder / "home")
    context = open_app(folder / f"{code}.db", home, create=True)
    context.demo.build("small", seed=seed, province=code)
    approve(context)
    keys = new_test_keys(folder / "keys" / code, f"Sở Y tế {code}", code, PASSPHRASE, key_bits=2048)
    shutil.copy(keys.ca_certificate, trust / f"{code}-ca.pem")
    snapshot = SnapshotService(context.database, context.actor).take("2025")
    context.certificates.register_file(Path(keys.certificate))
    context.export.export("2025", load_p12(Path(keys.p12), PASSPHRASE), bundles)
    context.close()
    return snapshot


def test_two_provinces_give_the_country_the_sum_over_the_sum_with_its_coverage(tmp_path):
    bundles, trust = tmp_path / "bundles", tmp_path / "trust"
    bundles.mkdir()
    trust.mkdir()
    snapshots = [_province(tmp_path, code, seed, bundles, trust) for code, seed in (("46", 3), ("79", 4))]
    store = open_store(str(tmp_path / "national.db"), tmp_path / "backups")
    report = ConsolidationService(store, Actor.current("Bộ Y tế")).consolidate([bundles], [trust])
    assert len(report.of("loaded")) == 2
    rows = {row.code: row for row in NationalViews(store, Actor.current()).indicators("2025")}

    key = "NPA_2021_2030//TV02"  # infant mortality, ‰: deaths under 1 / live births × 1.000
    parts = [s.figure(key) for s in snapshots]
    top, bottom = sum(p.numerator for p in parts), sum(p.denominator for p in parts)
    national = rows["TV02"]
    assert national.national == pytest.approx(top / bottom * 1000)
    rates = [
        next(v.number for v in s.values if v.indicator == key and v.area == s.province.code)
        for s in snapshots
    ]
    assert national.national != pytest.approx(sum(rates) / 2)  # not the mean of the two rates
    assert (national.numerator, national.denominator, national.counted, national.expected) == (
        top,
        bottom,
        2,
        34,
    )
    basis = national_basis(national, Translator("vi"))
    assert "2/34 tỉnh, thành phố" in basis and "× 1.000" in basis

    stunting = rows["DD02"]  # a survey figure each province entered: shown per province, never averaged
    assert stunting.national is None and len([n for n in stunting.by_province.values() if n]) == 2
    assert "không lấy trung bình" in national_basis(stunting, Translator("vi"))
