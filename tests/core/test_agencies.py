"""The province's agencies edited in Settings: added, renamed, given a kind, taken out of use,
deleted only when no task names them; all or nothing, every change in the audit log."""

from __future__ import annotations

import pytest

from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.agencies import AgencyChanges, AgencyInput


def _row(context, name: str):
    return next(r for r in context.agencies.rows() if r.name == name)


def _edit(row, **changes) -> AgencyInput:
    fields = {k: getattr(row, k) for k in ("id", "name", "short_name", "kind", "active")}
    return AgencyInput(**(fields | changes))


def test_a_new_database_lists_its_provinces_agencies_with_their_kinds(new_db):
    rows = {r.code: r for r in new_db.agencies.rows()}
    assert rows["SYT"].name == "Sở Y tế" and rows["SYT"].kind == "specialised" and rows["SYT"].active
    assert rows["CA"].kind == "central" and rows["HLHPN"].kind == "front"
    assert rows["CA"].name == "Công an thành phố"  # Huế is a centrally-run city
    assert [r.name for r in new_db.agencies.rows()][:2] == ["Bảo hiểm xã hội thành phố", "Công an thành phố"]


def test_add_rename_and_take_out_of_use_each_audited(new_db):
    entries = new_db.audit.verify().entries
    syt = _row(new_db, "Sở Y tế")
    report = new_db.agencies.apply(
        AgencyChanges(
            saved=[
                AgencyInput(name="Hội Bảo trợ người khuyết tật và trẻ mồ côi", kind="other"),
                _edit(syt, short_name="SYT Huế"),
                _edit(_row(new_db, "Sở Tư pháp"), name="Sở Tư pháp thành phố Huế", active=False),
            ]
        ),
        reason="rà soát danh sách",
    )
    assert report.added == ["HBTNKTVTMC"] and report.changed == ["SYT", "STP"] and report.deleted == []
    added = _row(new_db, "Hội Bảo trợ người khuyết tật và trẻ mồ côi")
    assert (added.code, added.kind, added.active) == ("HBTNKTVTMC", "other", True)
    assert _row(new_db, "Sở Y tế").short_name == "SYT Huế"
    assert not _row(new_db, "Sở Tư pháp thành phố Huế").active
    assert new_db.audit.verify().entries == entries + 3 and new_db.audit.verify().intact
    again = new_db.agencies.apply(AgencyChanges(saved=[_edit(_row(new_db, "Sở Y tế"))]))
    assert again.changed == []  # nothing changed, nothing audited
    assert new_db.audit.verify().entries == entries + 3
    new_db.agencies.apply(AgencyChanges(saved=[_edit(_row(new_db, "Sở Tư pháp thành phố Huế"), active=True)]))
    assert _row(new_db, "Sở Tư pháp thành phố Huế").active


def test_an_agency_leading_a_task_is_not_deleted_and_the_user_is_told_why(demo_db):
    lead = next(r for r in demo_db.agencies.rows() if r.leads)
    free = AgencyInput(name="Cơ quan thử")
    demo_db.agencies.apply(AgencyChanges(saved=[free]))
    unused = _row(demo_db, "Cơ quan thử")
    entries = demo_db.audit.verify().entries
    with pytest.raises(InputRefused) as refused:
        demo_db.agencies.apply(AgencyChanges(deleted=[lead.id, unused.id]))
    said = refused.value.problems[0].render(Translator("vi"))
    assert said.startswith(f"{lead.name} chủ trì các nhiệm vụ {lead.leads[0]}")
    assert "bỏ chọn “đang sử dụng”" in said
    assert {r.name for r in demo_db.agencies.rows()} >= {lead.name, "Cơ quan thử"}  # all or nothing
    assert demo_db.audit.verify().entries == entries
    assert demo_db.agencies.apply(AgencyChanges(deleted=[unused.id])).deleted == [unused.code]
    assert "Cơ quan thử" not in {r.name for r in demo_db.agencies.rows()}


@pytest.mark.parametrize(
    "change, said",
    [
        ({"name": "Sở Y tế"}, "Đã có cơ quan tên Sở Y tế."),
        ({"name": "Cơ quan mới", "code": "SYT"}, "Đã có cơ quan mã SYT."),
        ({"name": "Cơ quan mới", "code": "SỞ MỚI"}, "Mã SỞ MỚI của Cơ quan mới chỉ được"),
    ],
)
def test_a_wrong_agency_is_refused_in_vietnamese_and_changes_nothing(new_db, change, said):
    before = new_db.agencies.rows()
    with pytest.raises(InputRefused) as refused:
        new_db.agencies.apply(AgencyChanges(saved=[AgencyInput(**change)]))
    assert refused.value.problems[0].render(Translator("vi")).startswith(said)
    assert new_db.agencies.rows() == before


def test_an_agency_out_of_use_is_no_longer_offered_for_new_tasks_or_forms(new_db, tmp_path):
    import datetime as dt

    from crc_desktop.core.schemas.plan import TaskInput

    lead, unused = (
        _row(new_db, "Sở Y tế"),
        _row(new_db, "Sở Giáo dục và Đào tạo"),
    )  # it reports counts (schools)
    new_db.plan.create_task(TaskInput(code="NV-01", group=3, title="Tập huấn", lead_agency_id=lead.id))
    new_db.agencies.apply(AgencyChanges(saved=[_edit(lead, active=False), _edit(unused, active=False)]))
    offered = {c.label for c in new_db.plan.agencies()}
    assert "Sở Giáo dục và Đào tạo" not in offered
    assert "Sở Y tế" in offered  # a task still names it: editing the task keeps its lead agency
    year = dt.date.today().year
    for period, asked in ((str(year - 1), True), (str(year + 1), False)):  # taken out of use today
        new_db.periods.create(period)
        out = tmp_path / period
        out.mkdir()
        files = new_db.collection.forms(period, out, kind="agencies").files
        assert any(" - SGDDT - " in str(f) for f in files) is asked, period
