"""Every mutating service says what it changed, so that the window refreshes what concerns it
(and nothing when nothing changed: a dry run, a save of what was there)."""

from __future__ import annotations

from pathlib import Path

from crc_desktop.core.schemas.changes import NOTHING, Changes, Outcome, changes_of
from crc_desktop.core.schemas.plan import ProgressInput
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.core.signing.keys import load_p12, new_test_keys


def test_a_period_step_and_a_value_name_their_period(new_db, tmp_path):
    assert new_db.periods.create("2026").changes == Changes(periods=True, period="2026")
    grid = new_db.values.grid("2026")
    saved = new_db.values.apply(
        "2026",
        [
            ValueEdit(
                cell_id=r.cell_id,
                area_id=a.id,
                raw="Có" if r.value_type == "yesno" else "2" if r.is_total else "1",
            )
            for r in grid.rows
            for a in grid.areas
            if grid.asks(r, a)  # a computed figure is not typed
        ],
    )
    assert saved.changes == Changes(values=True, period="2026")
    assert new_db.periods.submit("2026").changes == Changes(periods=True, period="2026")
    rule = new_db.periods.set_approver_must_differ(False, "Phòng chỉ có một cán bộ")
    assert (rule.required, rule.changes) == (False, Changes(office=True))
    assert new_db.periods.approve("2026").changes == Changes(periods=True, period="2026")

    keys = new_test_keys(tmp_path, "Sở Y tế Huế", "46", b"mat-khau-rat-dai", key_bits=2048)
    assert new_db.certificates.register_file(Path(keys.certificate)).changes == Changes(office=True)
    exported = new_db.export.export("2026", load_p12(Path(keys.p12), b"mat-khau-rat-dai"), tmp_path / "out")
    assert exported.changes == Changes(periods=True, period="2026")
    again = new_db.export.save_bundle("2026", tmp_path / "again")
    assert again.changes == NOTHING  # a copy of what was signed: nothing in the database changed
    assert "changes" not in exported.model_dump()  # the command line's JSON keeps its shape
    assert new_db.periods.reopen("2026", "Bộ yêu cầu bổ sung").changes == Changes(periods=True, period="2026")


def test_the_plan_changes_in_every_period_its_progress_in_one(demo_db):
    first = demo_db.plan.tasks()[0]
    copy = demo_db.plan.duplicate_task(first.id)
    assert copy.changes == Changes(plan=True)
    assert demo_db.plan.update_task(copy.id, copy.input).changes == NOTHING  # saved as it was
    renamed = copy.input.model_copy(update={"title": copy.input.title + " (sửa)"})
    assert demo_db.plan.update_task(copy.id, renamed).changes == Changes(plan=True)
    progress = demo_db.plan.save_progress(
        "2025", copy.id, ProgressInput(status="in_progress", percent_done=10)
    )
    assert (progress.percent_done, progress.changes) == (10, Changes(plan=True, period="2025"))
    assert demo_db.plan.delete_task(copy.id).changes == Changes(plan=True)


def test_nothing_changed_is_said_too(demo_db, tmp_path):
    assert demo_db.targets.set_provincial([]).changes == NOTHING
    assert demo_db.collection.exempt("2025", "commune", "90003", "").changes == NOTHING  # none to undo
    exempted = demo_db.collection.exempt("2025", "commune", "90003", "Sáp nhập vào phường khác")
    # an exempt commune is no longer asked: the grid and the check change too
    assert exempted.changes == Changes(collection=True, values=True, period="2025")
    assert demo_db.collection.import_files("2025", [tmp_path]).changes == NOTHING  # no file in it


def test_results_of_several_calls_are_announced_together():
    values = Changes(values=True, period="2025")
    plan = Changes(plan=True, period="2025")
    assert changes_of([Outcome(changes=values), Outcome(changes=plan)]) == Changes(
        values=True, plan=True, period="2025"
    )
    assert changes_of([Outcome(), Outcome(changes=values)]) == values  # nothing does not widen it
    assert changes_of(("a", 3, None)) == NOTHING
    assert changes_of([1, Outcome(changes=values)]) == NOTHING  # only a list of outcomes is looked into
