"""Importing catalogues: dry runs change nothing, bad rows are refused with their row number."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from crc_desktop.core.db.models import AreaRecord, RecommendationRecord
from crc_desktop.core.db.uow import UnitOfWork
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import Translator


def _count(context, column, *where) -> int:
    with UnitOfWork(context.database, context.actor) as uow:
        return uow.session.scalar(select(func.count(column)).where(*where))


def _recommendations_file(tmp_path, entries, clusters=()):
    path = tmp_path / "co.json"
    path.write_text(
        json.dumps(
            {
                "format": "crc-desktop-catalog",
                "format_version": 1,
                "kind": "recommendations",
                "clusters": list(clusters),
                "entries": entries,
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    return path


def test_a_dry_run_reports_and_changes_nothing(new_db, tmp_path):
    path = _recommendations_file(
        tmp_path,
        [
            {"paragraph": 17, "title": "Non-discrimination", "urgent": True, "cluster": "C"},
            {"paragraph": 18, "sub": "a", "text": "Ensure...", "cluster": "C"},
        ],
        clusters=[{"code": "C", "title": "General principles"}],
    )
    before = _count(new_db, RecommendationRecord.id)
    report = new_db.catalog.import_file(path, dry_run=True)
    assert report.dry_run
    assert report.counts.added == 2  # the cluster and paragraph 18 (a)
    assert report.counts.changed == 1  # paragraph 17 gains its cluster
    assert _count(new_db, RecommendationRecord.id) == before

    applied = new_db.catalog.import_file(path)
    assert applied.counts == report.counts
    assert _count(new_db, RecommendationRecord.id) == before + 1
    again = new_db.catalog.import_file(path, dry_run=True)
    assert again.counts.added == again.counts.changed == 0


def test_a_bad_row_is_refused_with_its_number_and_nothing_is_written(new_db, tmp_path):
    path = _recommendations_file(
        tmp_path,
        [{"paragraph": 40, "title": "Fine"}, {"title": "no paragraph"}, {"paragraph": 41}],
    )
    before = _count(new_db, RecommendationRecord.id)
    with pytest.raises(InputRefused) as refused:
        new_db.catalog.import_file(path)
    messages = [problem.render(Translator("vi")) for problem in refused.value.problems]
    assert messages == ["Dòng 2, cột paragraph (đoạn): cột này bắt buộc nhưng đang trống"]
    assert _count(new_db, RecommendationRecord.id) == before


def test_communes_import_from_csv_with_semicolons_and_a_bom(new_db, tmp_path):
    path = tmp_path / "xa.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["code", "name", "kind"])
        writer.writerow(["99753", "Phường Thuận Hóa Mới", "phường"])
        writer.writerow([])
        writer.writerow(["99754", "Xã Phú Vang Mới", "xã"])
    before = _count(new_db, AreaRecord.id, AreaRecord.level == "commune")
    report = new_db.catalog.import_file(path, kind="communes")
    assert report.counts.added == 2
    assert _count(new_db, AreaRecord.id, AreaRecord.level == "commune") == before + 2


def test_communes_from_xlsx_refuse_a_row_without_a_name(new_db, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name"])
    sheet.append(["99753", "Phường Thuận Hóa Mới"])
    sheet.append(["99754", None])
    path = tmp_path / "xa.xlsx"
    workbook.save(path)
    before = _count(new_db, AreaRecord.id, AreaRecord.level == "commune")
    with pytest.raises(InputRefused) as refused:
        new_db.catalog.import_file(path, kind="communes")
    assert [p.render(Translator("vi")) for p in refused.value.problems] == [
        "Dòng 3, cột name (tên): cột này bắt buộc nhưng đang trống"
    ]
    assert _count(new_db, AreaRecord.id, AreaRecord.level == "commune") == before


def test_indicators_import_makes_cells_and_refuses_unknown_sets(new_db, tmp_path):
    path = tmp_path / "ind.csv"
    path.write_text(
        "set,annex,code,name,unit,value_type,dimensions\n"
        "TT13_2021,Phụ lục I,0101,Dân số trẻ em,người,integer,sex;urban_rural\n"
        "NO_SUCH_SET,,X1,Không có,%,percentage,\n",
        "utf-8",
    )
    with pytest.raises(InputRefused) as refused:
        new_db.catalog.import_file(path)
    assert [str(p) for p in refused.value.problems] == ["Row 3: unknown indicator set NO_SUCH_SET."]
    path.write_text(
        path.read_text("utf-8").splitlines()[0] + "\n" + path.read_text("utf-8").splitlines()[1] + "\n",
        "utf-8",
    )
    report = new_db.catalog.import_file(path)
    assert report.added == ["Phụ lục I 0101 Dân số trẻ em"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x00\x01binary", "not valid JSON"),
        (b'{"format": "something-else"}', "not a CRC Desktop catalogue"),
        (
            b'{"format": "crc-desktop-catalog", "format_version": 1, "kind": "planets", "entries": []}',
            "header is not valid",
        ),
    ],
)
def test_files_in_the_wrong_format_are_refused(new_db, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(InputRefused, match=message):
        new_db.catalog.import_file(path)


def test_a_csv_whose_kind_cannot_be_told_asks_for_it(new_db, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("code,name\n1,A\n", "utf-8")
    with pytest.raises(InputRefused, match="--kind"):
        new_db.catalog.import_file(path)


def test_an_entry_twice_or_a_column_twice_is_refused_and_nothing_is_written(new_db, tmp_path):
    agencies = new_db.setup.info().counts["agencies"]  # a new database starts with its province's
    communes = _count(new_db, AreaRecord.id, AreaRecord.level == "commune")
    twice = tmp_path / "co-quan.csv"
    twice.write_text("code,name\nSYT,Sở Y tế\nCA,Công an tỉnh\nSYT,Sở Y tế (bản sửa)\n", "utf-8")
    with pytest.raises(InputRefused) as refused:
        new_db.catalog.import_file(twice, kind="agencies")
    assert refused.value.render(Translator("vi")).startswith("Sở Y tế (bản sửa) xuất hiện hai lần trong tệp")
    columns = tmp_path / "xa.csv"
    columns.write_text("code,name,Code \n19753,Phường Thuận Hóa,19754\n", "utf-8")
    with pytest.raises(InputRefused, match="column code appears twice"):
        new_db.catalog.import_file(columns, kind="communes")
    assert new_db.setup.info().counts["agencies"] == agencies
    assert _count(new_db, AreaRecord.id, AreaRecord.level == "commune") == communes
