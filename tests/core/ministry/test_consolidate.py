"""Consolidation: 34 provinces load; totals equal the provinces' own; a tampered bundle is refused
and the others load; re-running changes nothing; a new version supersedes its predecessor."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from crc_desktop.app import Paths, open_app
from crc_desktop.cli import main
from crc_desktop.core.db.models import NationalBundleRecord, NationalValueRecord
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.ministry.consolidate import ConsolidationService
from crc_desktop.core.ministry.store import open_store
from crc_desktop.core.ministry.views import NationalViews
from crc_desktop.core.signing.keys import load_p12
from crc_desktop.core.signing.subjects import province_label, province_names

from ..signing.conftest import damage_entry
from .conftest import PASSPHRASE, approve


@pytest.fixture
def store(store_target, tmp_path):
    database = open_store(store_target, tmp_path / "backups")
    yield database
    database.close()


def _consolidate(store, paths, trust):
    return ConsolidationService(store, Actor.current("Cán bộ Bộ Y tế")).consolidate(paths, [trust])


def _tamper_values(source: Path, target: Path) -> None:
    """One bit of data/values.json flipped, the rest of the bundle as it was."""
    with zipfile.ZipFile(source) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    values = bytearray(entries["data/values.json"])
    values[200] ^= 0x01
    entries["data/values.json"] = bytes(values)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def _count(store, model) -> int:
    with UnitOfWork(store, Actor.current()) as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_34_provinces_consolidate_and_totals_add_up(store, national_inputs):
    report = _consolidate(store, [national_inputs.bundles], national_inputs.trust)
    assert len(report.of("loaded")) == 34 and not report.of("refused")
    views = NationalViews(store, Actor.current())
    rows = {row.key: row for row in views.indicators("2025")}
    integer_key = next(key for key, row in rows.items() if row.code == "D001")
    expected = {code: number for (code, key), number in national_inputs.totals.items() if key == integer_key}
    assert rows[integer_key].by_province == expected
    assert rows[integer_key].national == pytest.approx(sum(n for n in expected.values() if n is not None))
    submissions = views.submissions("2025")
    assert len(submissions) == 34 and all(s.submitted for s in submissions)
    assert sum(b.planned for b in views.budget("2025")) > 0
    assert any(c.provinces == 0 for c in views.coverage("2025")) or all(
        c.provinces > 0 for c in views.coverage("2025")
    )


def test_a_tampered_bundle_is_refused_and_the_others_load(store, national_inputs, tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(national_inputs.bundles, folder)
    victim = next(folder.glob("CRC-46-*.zip"))
    _tamper_values(victim, victim)
    damaged = next(folder.glob("CRC-79-*.zip"))  # a bad copy: an entry fails its CRC
    damage_entry(damaged, "data/values.json")
    report = _consolidate(store, [folder], national_inputs.trust)
    refused = {o.file: o.detail.format(**o.params) for o in report.of("refused")}
    assert sorted(refused) == sorted([victim.name, damaged.name])
    assert "data/values.json" in refused[victim.name]
    assert "data/values.json is damaged" in refused[damaged.name]
    assert len(report.of("loaded")) == 32
    with UnitOfWork(store, Actor.current()) as uow:
        assert uow.session.scalar(select(NationalBundleRecord).filter_by(province_code="46")) is None
    submissions = {s.province_code: s for s in NationalViews(store, Actor.current()).submissions("2025")}
    assert not submissions["46"].submitted and submissions["46"].refused


def test_running_the_same_folder_again_changes_nothing(store, national_inputs):
    _consolidate(store, [national_inputs.bundles], national_inputs.trust)
    values = _count(store, NationalValueRecord)
    again = _consolidate(store, [national_inputs.bundles], national_inputs.trust)
    assert len(again.of("skipped")) == 34 and not again.of("loaded")
    assert _count(store, NationalValueRecord) == values


def test_a_new_version_supersedes_and_the_history_is_kept(store, national_inputs, tmp_path):
    _consolidate(store, [national_inputs.bundles], national_inputs.trust)
    db = shutil.copy(national_inputs.databases["79"], tmp_path / "79.db")
    context = open_app(Path(db), Paths(tmp_path, tmp_path, tmp_path), user_name="Lê Thị Hoa")
    context.periods.reopen("2025", "Bổ sung số liệu xã")
    approve(context)
    keys = national_inputs.keys["79"]
    second = context.export.export("2025", load_p12(Path(keys.p12), PASSPHRASE), tmp_path)
    context.close()
    report = _consolidate(store, [Path(second.path)], national_inputs.trust)
    assert [(o.status, o.sequence, o.current) for o in report.outcomes] == [("loaded", 2, True)]
    with UnitOfWork(store, Actor.current()) as uow:
        versions = {
            b.sequence: b.current
            for b in uow.session.scalars(select(NationalBundleRecord).filter_by(province_code="79"))
        }
    assert versions == {1: False, 2: True}
    submission = next(
        s for s in NationalViews(store, Actor.current()).submissions("2025") if s.province_code == "79"
    )
    assert submission.sequence == 2


def test_a_bundle_signed_with_another_provinces_key_is_refused(store, national_inputs, tmp_path):
    db = shutil.copy(national_inputs.databases["01"], tmp_path / "01.db")
    context = open_app(Path(db), Paths(tmp_path, tmp_path, tmp_path), user_name="Lê Thị Hoa")
    context.periods.reopen("2025", "Thử ký bằng khóa của tỉnh khác")
    approve(context)
    other = national_inputs.keys["04"]
    context.certificates.register_file(Path(other.certificate), "Mượn token của tỉnh khác")
    forged = context.export.export("2025", load_p12(Path(other.p12), PASSPHRASE), tmp_path)
    context.close()
    report = _consolidate(store, [Path(forged.path)], national_inputs.trust)
    [refused] = report.of("refused")
    assert refused.detail.format(**refused.params) == (
        f"the bundle says it is from {province_label('01')}, but its signer Sở Y tế tỉnh 04, "
        f"{province_names()['04']} is registered for {province_label('04')}"
    )


def test_consolidate_and_the_national_workbook_on_the_command_line(national_inputs, tmp_path, capsys):
    store = tmp_path / "national.db"
    assert (
        main(
            [
                "consolidate",
                "--db",
                str(store),
                "--trust",
                str(national_inputs.trust),
                str(national_inputs.bundles),
            ]
        )
        == 0
    )
    assert "34 gói đã nạp, 0 bỏ qua, 0 bị từ chối." in capsys.readouterr().out
    out = tmp_path / "toan-quoc.xlsx"
    assert main(["ministry", "export", "--db", str(store), "--period", "2025", "--out", str(out)]) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Nộp báo cáo", "Chỉ tiêu theo tỉnh", "Khuyến nghị", "Kinh phí theo nhóm"]
    assert book["Nộp báo cáo"].max_row == 35
    targets = {row[0]: row[3] for row in book["Chỉ tiêu theo tỉnh"].iter_rows(min_row=2, values_only=True)}
    assert targets["KS05"] == "≥ 98,5" and targets["TNTT01"] == "≤ 550"  # the Decision's figures, as written
    national = {row[0].value: row[4] for row in book["Chỉ tiêu theo tỉnh"].iter_rows(min_row=2)}
    averaged = [cell for cell in national.values() if isinstance(cell.value, float)]
    assert averaged and all(cell.number_format == "#,##0.0##" for cell in averaged)  # shown rounded
    assert any(round(cell.value, 3) != cell.value for cell in averaged)  # the cell keeps it exact
    pdf = tmp_path / "tong-hop.pdf"
    assert main(["ministry", "report", "--db", str(store), "--period", "2025", "--out", str(pdf)]) == 0
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    first = reader.pages[0].extract_text()
    assert "BÁO CÁO TỔNG HỢP" in first and "34/34 tỉnh, thành phố đã nộp" in first
    assert "≥ 98,5" in "".join(page.extract_text() for page in reader.pages)
    assert all(
        "LiberationSerif" in f["/BaseFont"]
        for page in reader.pages
        for f in (x.get_object() for x in page["/Resources"]["/Font"].values())
    )


def test_verifying_in_worker_processes_or_here_loads_the_same(
    store_target, national_inputs, tmp_path, monkeypatch
):
    """Several bundles are verified in worker processes; with one worker, in this process."""
    from crc_desktop.core.ministry import consolidate

    bundles = sorted(national_inputs.bundles.glob("*.zip"))[:3]
    tampered = tmp_path / "tampered.zip"
    _tamper_values(bundles[1], tampered)
    files = [bundles[0], tampered, bundles[2]]

    def run(target) -> tuple[list, dict]:
        store = open_store(target, tmp_path / "backups")
        try:
            report = _consolidate(store, files, national_inputs.trust)
            with UnitOfWork(store, Actor.current()) as uow:
                totals = dict(
                    uow.session.execute(
                        select(NationalBundleRecord.province_code, func.sum(NationalValueRecord.number))
                        .join(NationalValueRecord, NationalValueRecord.bundle_id == NationalBundleRecord.id)
                        .group_by(NationalBundleRecord.province_code)
                    ).all()
                )
            return [(o.file, o.status) for o in report.outcomes], totals
        finally:
            store.close()

    pooled = run(str(tmp_path / "pooled.db"))
    monkeypatch.setattr(consolidate, "MAX_WORKERS", 1)
    here = run(str(tmp_path / "here.db"))
    assert pooled == here
    assert [status for _, status in pooled[0]] == ["loaded", "refused", "loaded"]
    assert len(pooled[1]) == 2
