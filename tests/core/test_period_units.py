"""Which communes a period asks for is decided once: the grid, the ready-to-sign check, the
overview and the collection round agree on a commune that ends or starts during the period."""

from __future__ import annotations

import pytest

from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.rollup import asked_of
from crc_desktop.core.services.overview import OverviewService
from crc_desktop.core.services.rollup import period_figures

from .test_dated_areas import _import_communes
from .test_workflow import _fill

STARTS = "99992"


def test_a_commune_ending_and_one_starting_mid_period_do_not_stop_approval(new_db, tmp_path):
    new_db.periods.create("2026")
    ends = next(a for a in new_db.values.grid("2026").areas if a.level == "commune")
    _import_communes(
        new_db,
        tmp_path / "xa.json",
        [
            {"province": "46", "code": ends.code, "name": ends.name, "valid_to": "2026-06-30"},
            {
                "province": "46",
                "code": STARTS,
                "name": "Xã Mới Lập",
                "kind": "xã",
                "valid_from": "2026-07-01",
            },
        ],
    )
    grid = new_db.values.grid("2026")
    codes = {a.code for a in grid.areas}
    assert ends.code not in codes and STARTS in codes
    _fill(new_db, "2026")

    readiness = new_db.readiness.check("2026")
    assert [p for p in readiness.problems if p.kind == "missing_value"] == []
    assert readiness.ready
    new_db.periods.submit("2026")
    assert new_db.periods.approve("2026", "Lãnh đạo vắng, đã được ủy quyền").state == "approved"

    summary = OverviewService(new_db.database.path).summary("2026")
    asked = sum(asked_of(r.measure, r.reported_by, a.level) for r in grid.rows for a in grid.areas)
    assert summary.values_expected == asked == summary.values_entered
    communes = {u.code for u in new_db.collection.status("2026").units if u.kind == "commune"}
    assert communes == {a.code for a in grid.areas if a.level == "commune"}


def test_a_catalogue_entry_ending_before_it_starts_is_refused_in_vietnamese(new_db, tmp_path):
    with pytest.raises(InputRefused) as refused:
        _import_communes(
            new_db,
            tmp_path / "xa.json",
            [
                {
                    "province": "46",
                    "code": STARTS,
                    "name": "Xã Mới Lập",
                    "kind": "xã",
                    "valid_from": "2025-07-01",
                    "valid_to": "2025-06-30",
                }
            ],
        )
    said = "\n".join(e.render(Translator("vi")) for e in [refused.value, *refused.value.problems])
    assert "30/06/2025" in said and "01/07/2025" in said
    assert "trước" in said


def test_an_exempt_commune_is_not_asked_so_the_period_can_be_approved(new_db):
    new_db.periods.create("2026")
    before = OverviewService(new_db.database.path).summary("2026")
    exempt = next(a for a in new_db.values.grid("2026").areas if a.level == "commune")
    new_db.collection.exempt("2026", "commune", exempt.code, "Xã đảo, không liên lạc được")
    grid = new_db.values.grid("2026")
    assert exempt.code not in {a.code for a in grid.areas}
    _fill(new_db, "2026")  # every other asked value

    readiness = new_db.readiness.check("2026")
    assert [p for p in readiness.problems if p.kind == "missing_value"] == []
    assert readiness.ready
    new_db.periods.submit("2026")
    assert new_db.periods.approve("2026", "Lãnh đạo vắng, đã được ủy quyền").state == "approved"

    after = OverviewService(new_db.database.path).summary("2026")
    own = sum(asked_of(r.measure, r.reported_by, "commune") for r in grid.rows)
    assert after.values_expected == before.values_expected - own == after.values_entered
    with UnitOfWork(new_db.database, new_db.actor) as uow:  # the roll-up's coverage leaves it out
        figures = period_figures(uow, uow.periods.get("2026"))
    communes = sum(a.level == "commune" for a in grid.areas)
    assert {f.expected for f in figures.values() if f.expected} == {communes}
    board = {u.code: u for u in new_db.collection.status("2026").units if u.kind == "commune"}
    assert board[exempt.code].state == "exempt"  # still on the board, so it can be undone
