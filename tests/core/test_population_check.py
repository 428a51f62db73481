"""A commune's count is no larger than its child population of that age where the imported
population tables give it: a finding in the grid and in the ready-to-sign check, in Vietnamese."""

from __future__ import annotations

import json

from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.validation import POPULATION_KIND, how_to_clear
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.core.services.population import PopulationService
from tests.core.test_rollup import CATALOG


def test_a_count_above_the_communes_child_population_of_that_age_is_a_finding(new_db, tmp_path):
    catalog = json.loads(json.dumps(CATALOG))
    catalog["entries"][1].update(reported_by="population", population="0-4")
    path = tmp_path / "t.json"
    path.write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
    new_db.catalog.import_file(path)
    new_db.periods.create("2025")
    grid = new_db.values.grid("2025")
    cells = {(r.code, r.cell_key): r.cell_id for r in grid.rows}
    first, second, third = [a for a in grid.areas if a.level == "commune"][:3]
    table = tmp_path / "dan-so.csv"
    table.write_text(
        "Mã xã,Năm,Nhóm tuổi,Giới tính,Số trẻ em\n"
        f"{first.code},2025,0-4,Tổng,1000\n{second.code},2025,0-4,Tổng,1000\n",
        "utf-8",
    )
    PopulationService(new_db.database, new_db.actor).import_file(table, source="Cục Thống kê")
    registered = cells[("KS.TS", "total")]
    saved = new_db.values.apply(
        "2025",
        [
            ValueEdit(cell_id=registered, area_id=first.id, raw="1200"),  # more children than live there
            ValueEdit(cell_id=registered, area_id=second.id, raw="990"),
            ValueEdit(cell_id=registered, area_id=third.id, raw="5000"),  # no population figure: no check
        ],
    )
    flagged = [i for i in saved.issues[(registered, first.id)] if i.kind == POPULATION_KIND]
    assert len(flagged) == 1 and flagged[0].severity == "warning"
    assert not [i for i in saved.issues.get((registered, second.id), []) if i.kind == POPULATION_KIND]

    found = [f for f in new_db.values.findings("2025") if f.kind == POPULATION_KIND]
    assert [(f.cell_id, f.area_id) for f in found] == [(registered, first.id)]
    issue = new_db.values.issues("2025")[(registered, first.id)]
    assert any(i.kind == POPULATION_KIND for i in issue)
    tr = Translator("vi")
    text = tr(found[0].message, **found[0].params)
    assert "1.000" in text or "1000" in text
    assert "trẻ em" in text and "dân số" in text
    assert how_to_clear(POPULATION_KIND, "warning")  # explained by a comment, as any warning
    ready = new_db.readiness.check("2025")
    flagged_in_check = [
        p for p in ready.problems if p.place.cell_id == registered and p.place.area_id == first.id
    ]
    assert [p.kind for p in flagged_in_check if p.message == found[0].message] == ["uncommented_warning"]
