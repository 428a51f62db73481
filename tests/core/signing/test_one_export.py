"""One export per version: two exports started together leave one bundle; an edit made while a
bundle is being built stops it; a bundle file appears only once the period is recorded as
signed; a lost bundle is saved again byte for byte."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crc_desktop.app import open_app
from crc_desktop.cli import main
from crc_desktop.core.db.models import BundleExportRecord, KeptBundleRecord
from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.core.services import export as export_module
from crc_desktop.core.signing.keys import load_p12

from .conftest import PASSPHRASE, approve


def _count(context, record) -> int:
    with UnitOfWork(context.database, context.actor) as uow:
        return uow.session.scalar(select(func.count()).select_from(record))


@pytest.fixture(autouse=True)
def _office_certificate(demo_db, keys) -> None:
    """The office signs with its registered certificate (an unregistered one is refused first)."""
    demo_db.certificates.register_file(Path(keys.certificate))


def _after_building(monkeypatch, then) -> None:
    """Run `then()` once each bundle is built, before the export records it."""
    build = export_module.build_bundle

    def building(*args, **kwargs):
        bundle = build(*args, **kwargs)
        then()
        return bundle

    monkeypatch.setattr(export_module, "build_bundle", building)


def test_two_exports_started_together_leave_one_bundle(demo_db, keys, paths, tmp_path, monkeypatch):
    approve(demo_db)
    other = open_app(demo_db.database.path, paths, user_name="Lê Văn Cường")  # a second window
    material = load_p12(Path(keys.p12), PASSPHRASE)
    both_built = threading.Barrier(2, timeout=120)
    _after_building(monkeypatch, both_built.wait)  # neither records before both have built
    out = tmp_path / "out"
    out.mkdir()
    outcomes: dict[str, object] = {}

    def export(name, context):
        try:
            outcomes[name] = context.export.export("2025", material, out)
        except InputRefused as refused:
            outcomes[name] = refused

    threads = [threading.Thread(target=export, args=(n, c)) for n, c in (("a", demo_db), ("b", other))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    other.close()

    results = [o for o in outcomes.values() if not isinstance(o, InputRefused)]
    refusals = [o for o in outcomes.values() if isinstance(o, InputRefused)]
    assert len(results) == 1 and len(refusals) == 1
    assert "signed by another export" in str(refusals[0])
    assert [p.name for p in out.iterdir()] == ["CRC-46-2025-v1.zip"]  # no second file, no leftovers
    assert hashlib.sha256((out / "CRC-46-2025-v1.zip").read_bytes()).hexdigest() == results[0].sha256
    status = demo_db.periods.get("2025")
    assert status.state == "signed" and status.last_bundle.sha256 == results[0].sha256
    assert _count(demo_db, BundleExportRecord) == 1 and _count(demo_db, KeptBundleRecord) == 1
    assert demo_db.audit.verify().intact


def test_an_edit_while_the_bundle_is_built_stops_the_export(demo_db, keys, tmp_path, monkeypatch):
    approve(demo_db)
    grid = demo_db.values.grid("2025")
    edit = ValueEdit(cell_id=grid.rows[0].cell_id, area_id=grid.areas[0].id, raw="7")
    _after_building(monkeypatch, lambda: demo_db.values.apply("2025", [edit], reason="Sửa trong lúc ký"))
    with pytest.raises(InputRefused, match="data changed while the bundle"):
        demo_db.export.export("2025", load_p12(Path(keys.p12), PASSPHRASE), tmp_path)
    assert list(tmp_path.glob("*.zip")) == [] and list(tmp_path.glob(".*part")) == []
    assert demo_db.periods.get("2025").state == "approved"
    assert _count(demo_db, BundleExportRecord) == 0


def test_the_bundle_file_appears_only_once_the_period_is_recorded_signed(
    demo_db, keys, tmp_path, monkeypatch
):
    approve(demo_db)
    out = tmp_path / "out"
    out.mkdir()
    seen = []
    record = export_module.ExportService._record_signed

    def recording(self, *args, **kwargs):
        seen.append(sorted(p.name for p in out.iterdir()))  # what is there before the record
        record(self, *args, **kwargs)
        seen.append(demo_db.periods.get("2025").state)

    monkeypatch.setattr(export_module.ExportService, "_record_signed", recording)
    result = demo_db.export.export("2025", load_p12(Path(keys.p12), PASSPHRASE), out)
    assert seen == [[], "signed"] and Path(result.path).exists()


def test_a_lost_bundle_is_saved_again_byte_for_byte(demo_db, keys, tmp_path, capsys):
    approve(demo_db)
    first = demo_db.export.export("2025", load_p12(Path(keys.p12), PASSPHRASE), tmp_path)
    original = Path(first.path).read_bytes()
    Path(first.path).unlink()  # the USB stick is lost
    again = tmp_path / "again"
    again.mkdir()
    db = str(demo_db.database.path)

    assert main(["bundle", "save", "--db", db, "--period", "2025", "--out", str(again)]) == 0
    assert (again / "CRC-46-2025-v1.zip").read_bytes() == original
    assert "CRC-46-2025-v1.zip" in capsys.readouterr().out
    saved = demo_db.export.save_bundle("2025", tmp_path / "copy.zip")
    assert Path(saved.path).read_bytes() == original and saved.sha256 == first.sha256
    assert demo_db.periods.get("2025").last_bundle.file_name == "CRC-46-2025-v1.zip"


def test_a_period_signed_without_a_kept_bundle_says_so(demo_db, tmp_path, capsys):
    db = str(demo_db.database.path)
    out = tmp_path / "out"
    out.mkdir()
    assert main(["bundle", "save", "--db", db, "--period", "2024", "--out", str(out)]) == 1
    assert "không lưu gói đã ký nào của kỳ 2024" in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_two_export_commands_run_at_once_leave_one_bundle(demo_db, keys, tmp_path):
    import os
    import subprocess
    import sys

    approve(demo_db)
    db = str(demo_db.database.path)
    out = tmp_path / "out"
    out.mkdir()
    command = [sys.executable, "-m", "crc_desktop", "export", "--db", db, "--period", "2025"]
    command += ["--p12", keys.p12, "--out", str(out)]
    env = {**os.environ, "CRC_PASSPHRASE": PASSPHRASE.decode()}
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in "ab"
    ]
    codes = sorted(run.wait(timeout=300) for run in runs)
    assert codes == [0, 1]  # the second is refused, whether it lost the race or came after
    assert [p.name for p in out.iterdir()] == ["CRC-46-2025-v1.zip"]
    assert _count(demo_db, BundleExportRecord) == 1
    assert (
        demo_db.periods.get("2025").last_bundle.sha256
        == hashlib.sha256((out / "CRC-46-2025-v1.zip").read_bytes()).hexdigest()
    )


def test_a_cancel_while_the_signature_is_recorded_returns_the_signed_bundle(demo_db, keys, tmp_path):
    from crc_desktop.core.progress import Progress

    approve(demo_db)
    seen: list[str] = []

    def report(_fraction: float, message: str) -> None:
        seen.append(message)
        if message == "record":
            progress.cancel()  # pressed while the period is recorded as signed: too late

    progress = Progress(report)
    result = demo_db.export.export("2025", load_p12(Path(keys.p12), PASSPHRASE), tmp_path, progress=progress)
    assert Path(result.path).is_file() and result.changes.periods  # the file is written, the change told
    assert demo_db.periods.get("2025").state == "signed"
    assert seen[-1] == "record"  # nothing reported after the point of no return
