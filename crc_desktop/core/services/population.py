"""The child population by commune, age band and sex, imported from the tables the population
database or the statistics office hands out: the denominators of the counts the catalogue takes
from population data (`reported_by: population`)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select

from crc_desktop.core.catalog_files import _csv_rows, _xlsx_rows
from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.models import AreaRecord, ChildPopulationRecord
from crc_desktop.core.db.uow import Actor, UnitOfWork, now
from crc_desktop.core.errors import CrcError, InputRefused
from crc_desktop.core.schemas.changes import Changes, Outcome

# the column names accepted, in Vietnamese as the tables are written, or in English
_COLUMNS = {
    "commune": ("mã xã", "mã đơn vị", "ma xa", "commune", "area_code", "code"),
    "year": ("năm", "nam", "year"),
    "age_band": ("nhóm tuổi", "nhom tuoi", "độ tuổi", "age_band", "age"),
    "sex": ("giới tính", "gioi tinh", "sex"),
    "count": ("số trẻ em", "so tre em", "dân số", "count", "number"),
}
_SEXES = {"nam": "M", "m": "M", "male": "M", "nữ": "F", "nu": "F", "f": "F", "female": "F"}
_BOTH = {"", "tổng", "tổng số", "chung", "total", "both", "all"}


class PopulationImport(Outcome):
    """What an import of population tables did, or would do on a dry run."""

    dry_run: bool
    rows: int
    communes: int
    years: list[int]


def population_key(cell_key: str) -> str:
    """The sex ("M", "F", or "" for both) of an indicator cell's key ("total", "sex=F", ...)."""
    for part in cell_key.split("|"):
        if part.startswith("sex="):
            return part[4:]
    return ""


def population_numbers(session, year: int) -> dict[tuple[str, str, str], int]:
    """(commune code, age band, sex) → children, for a year."""
    return {
        (r.area_code, r.age_band, r.sex): r.count
        for r in session.scalars(select(ChildPopulationRecord).filter_by(year=year))
    }


class PopulationService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def import_file(
        self, path: Path, *, year: int | None = None, source: str = "", dry_run: bool = False
    ) -> PopulationImport:
        """Read a table (CSV or XLSX; one row per commune, age band and sex, a year column or
        `year`); a commune's figures for a year and age band replace the ones imported before."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in {".csv", ".txt", ".xlsx", ".xlsm"}:
            raise InputRefused("{path} is not a table: use a .csv or .xlsx file.", path=str(path))
        rows = _csv_rows(path) if suffix in {".csv", ".txt"} else _xlsx_rows(path)
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            communes = set(uow.session.scalars(select(AreaRecord.code).filter_by(level="commune")))
            records, problems = _records(rows, year, communes)
            if problems:
                raise InputRefused("The population table was not imported; nothing was changed:", problems)
            if not dry_run:
                _store(uow, records, source or path.name)
                uow.audit(
                    "population.import",
                    "child_population",
                    path.name,
                    new={"rows": len(records), "years": sorted({r[1] for r in records}), "source": source},
                )
                uow.commit()
        return PopulationImport(
            dry_run=dry_run,
            rows=len(records),
            communes=len({r[0] for r in records}),
            years=sorted({r[1] for r in records}),
            changes=Changes() if dry_run else Changes(values=True),
        )


def _column(row: dict, name: str):
    return next((row[c] for c in _COLUMNS[name] if c in row), None)


def _records(rows, year: int | None, communes: set[str]) -> tuple[list[tuple], list[CrcError]]:
    records, problems = [], []
    for number, row in rows:
        code = str(_column(row, "commune") or "").strip()
        if code.isdigit():
            code = code.zfill(5)
        when = _column(row, "year") or year
        band = str(_column(row, "age_band") or "").strip().replace(" ", "")
        sex_text = str(_column(row, "sex") or "").strip().lower()
        count = _column(row, "count")
        sex = _SEXES.get(sex_text, "" if sex_text in _BOTH else None)
        try:
            children = int(
                float(str(count).replace(".", "").replace(",", "")) if isinstance(count, str) else count
            )
            when = int(when)
        except (TypeError, ValueError):
            children = when = None
        if code not in communes or not band or sex is None or children is None or children < 0 or not when:
            problems.append(
                CrcError(
                    "Row {row}: a commune code of the province, a year, an age band, a sex and a number "
                    "of children are needed.",
                    row=number,
                )
            )
            continue
        records.append((code, when, band, sex, children))
    if not records and not problems:
        problems.append(CrcError("The table has no rows."))
    return records, problems


def _store(uow: UnitOfWork, records: list[tuple], source: str) -> None:
    session, stamp = uow.session, now()
    for code, year, band, sex, children in records:
        session.execute(
            delete(ChildPopulationRecord).filter_by(area_code=code, year=year, age_band=band, sex=sex)
        )
        session.add(
            ChildPopulationRecord(
                area_code=code,
                year=year,
                age_band=band,
                sex=sex,
                count=children,
                source=source,
                imported_at=stamp,
            )
        )
