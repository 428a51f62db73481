"""Folding tasks into programmes ("lồng ghép"): a catalogue with sources (the shipped programme
is a confirmed one; an added one needs the decision that approved it), tasks folded in, budget
lines naming a programme; the report shows both, the signed bundle carries them."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from crc_desktop.cli import main
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.schemas.programmes import Programme
from crc_desktop.core.services.export import verify
from crc_desktop.core.services.programmes import ProgrammeService
from crc_desktop.core.services.snapshot import SnapshotService
from crc_desktop.core.signing.keys import load_p12
from tests.core.signing.conftest import PASSPHRASE, approve

DAY = dt.date(2026, 1, 5)
ADDED = Programme(
    code="CTMTQG-TEST",
    name="Chương trình thử nghiệm của cơ quan",
    source="Quyết định số 1/QĐ-UBND (văn bản thử)",
)


def test_the_catalogue_ships_only_confirmed_programmes_and_added_ones_need_a_source(demo_db):
    service = ProgrammeService(demo_db.database, demo_db.actor)
    [shipped] = service.catalogue()
    assert shipped.code == "NPA_2021_2030" and shipped.source.startswith(
        "Quyết định 23/QĐ-TTg ngày 07/01/2021"
    )
    with pytest.raises(ValidationError):
        Programme(code="X", name="Không có nguồn", source="")
    service.add(ADDED)
    with pytest.raises(InputRefused, match="CTMTQG-TEST"):
        service.add(ADDED)
    with pytest.raises(InputRefused, match="KHONG-CO"):
        service.fold("NV-001", ["KHONG-CO"])


def test_what_is_folded_in_is_in_the_report_and_the_bundle(demo_db, keys, tmp_path, capsys):
    service = ProgrammeService(demo_db.database, demo_db.actor)
    service.add(ADDED)
    db = str(demo_db.database.path)
    assert (
        main(
            [
                "plan",
                "programme",
                "fold",
                "--db",
                db,
                "--task",
                "NV-001",
                "--into",
                "NPA_2021_2030;CTMTQG-TEST",
            ]
        )
        == 0
    )
    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025", on=DAY)
    line = next(
        b for b in next(t for t in snapshot.tasks if t.code == "NV-001").budget if b.fiscal_year == 2025
    )
    args = ["plan", "programme", "fund", "--db", db, "--task", "NV-001", "--year", "2025"]
    assert main([*args, "--budget-source", line.source, "--code", "CTMTQG-TEST"]) == 0
    capsys.readouterr()
    assert main(["plan", "programme", "list", "--db", db]) == 0
    assert "NV-001" in capsys.readouterr().out

    out = tmp_path / "bc.pdf"
    demo_db.reports.pdf("2025", out, on=DAY)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    start = text.index("Lồng ghép với các chương trình")
    table = text[start : start + 1500]
    title = next(t.title for t in snapshot.tasks if t.code == "NV-001")
    assert "Chương trình hành động quốc gia vì trẻ em giai đoạn 2021-2030" in table and title in table
    allocated = demo_db.reports._snapshots.take("2025").programmes  # what the report was made from
    assert [p.code for p in allocated] == ["NPA_2021_2030", "CTMTQG-TEST"]
    assert Translator_number(line.allocated) in table  # the line's money under its programme

    approve(demo_db)
    demo_db.certificates.register_file(Path(keys.certificate))
    bundle = demo_db.export.export("2025", load_p12(Path(keys.p12), PASSPHRASE), tmp_path, on=DAY).path
    with zipfile.ZipFile(bundle) as archive:
        carried = json.loads(archive.read("data/programmes.json"))["programmes"]
    assert carried[1]["budget_lines"] == [{"task": "NV-001", "fiscal_year": 2025, "source": line.source}]
    assert verify(Path(bundle), [Path(keys.ca_certificate)]).valid
    history = demo_db.audit.history("plan_task", "NV-001")
    assert history[-1].new == {"programmes": ["CTMTQG-TEST", "NPA_2021_2030"]}


def Translator_number(amount: int) -> str:  # noqa: N802 - read as the report's own formatter
    from crc_desktop.core.i18n import Translator

    return Translator("vi").number(amount / 1e6, 1)
