"""Reading catalogue files (JSON, CSV, XLSX) into a header and numbered raw rows.

Only parsing happens here; each row is validated against its entry model by the import
service, which reports problems by row number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from crc_desktop.core.errors import InputRefused
from crc_desktop.core.files import read_json
from crc_desktop.core.schemas.catalog import CATALOG_FORMAT, CatalogHeader
from crc_desktop.core.schemas.reading import validation_problems
from crc_desktop.core.workbook_files import opened_workbook

LIST_FIELDS = {"merged_from", "dimensions", "provinces"}
BOOL_FIELDS = {"urgent", "code_is_official", "named_after_person"}
_TRUE = {"1", "true", "x", "yes", "có", "co", "đúng"}
_FALSE = {"", "0", "false", "no", "không", "khong", "sai"}


@dataclass
class RawCatalog:
    """A catalogue as read: its header and its rows, each with the row number a user sees."""

    header: CatalogHeader
    rows: list[tuple[int, dict]] = field(default_factory=list)


def read_catalog(path: Path, kind: str | None = None) -> RawCatalog:
    path = Path(path)
    if not path.is_file():
        raise InputRefused("There is no file at {path}.", path=str(path))
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _read_json(path)
    if suffix in {".csv", ".txt"}:
        return _tabular(path, _csv_rows(path), kind)
    if suffix in {".xlsx", ".xlsm", ".xls"}:  # an old .xls is named as such by the workbook check
        return _tabular(path, _xlsx_rows(path), kind)
    raise InputRefused("{path} is not a catalogue file: use a .json, .csv or .xlsx file.", path=str(path))


def _read_json(path: Path) -> RawCatalog:
    data = read_json(path)
    if not isinstance(data, dict) or data.get("format") != CATALOG_FORMAT:
        raise InputRefused(
            "{path} is not a CRC Desktop catalogue (its 'format' is not {format}).",
            path=str(path),
            format=CATALOG_FORMAT,
        )
    try:
        header = CatalogHeader.model_validate(data)
    except ValidationError as exc:
        raise InputRefused(
            "The catalogue header is not valid:", validation_problems(exc, "{field}: {reason}")
        ) from None
    entries = data.get("entries")
    if not isinstance(entries, list):
        raise InputRefused("The catalogue has no list of 'entries'.")
    return RawCatalog(header, [(number, row) for number, row in enumerate(entries, start=1)])


def _csv_rows(path: Path) -> list[tuple[int, dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputRefused("{path} is not UTF-8 text; save it as CSV UTF-8.", path=str(path)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    return _rows_from_lines(list(reader))


def _xlsx_rows(path: Path) -> list[tuple[int, dict]]:
    with opened_workbook(path) as workbook:
        sheet = workbook.worksheets[0]
        lines = [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    return _rows_from_lines(lines)


def _rows_from_lines(lines: list[list]) -> list[tuple[int, dict]]:
    """Rows keyed by the header line's names; blank lines skipped, line numbers kept."""
    header: list[str] | None = None
    rows: list[tuple[int, dict]] = []
    for number, line in enumerate(lines, start=1):
        values = [str(v).strip() if not isinstance(v, (int, float)) else v for v in line]
        if not any(v not in ("", None) for v in values):
            continue
        if header is None:
            header = [str(v).strip().lower() for v in values]
            named = [name for name in header if name]
            twice = next((name for name in named if named.count(name) > 1), None)
            if twice is not None:
                raise InputRefused("The column {column} appears twice in the header row.", column=twice)
            continue
        row = {name: _cell(name, value) for name, value in zip(header, values, strict=False) if name}
        rows.append((number, row))
    return rows


def _cell(name: str, value):
    if name in LIST_FIELDS:
        return [part.strip() for part in str(value).split(";") if part.strip()]
    if name in BOOL_FIELDS and isinstance(value, str):
        folded = value.strip().lower()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and name in {"paragraph", "number", "year"}:
        return int(value)
    return value


_KIND_BY_COLUMN = (
    ("paragraph", "recommendations"),
    ("year", "targets"),
    ("set", "indicators"),
    ("name_vi", "task_groups"),
)


def _tabular(path: Path, rows: list[tuple[int, dict]], kind: str | None) -> RawCatalog:
    columns = set(rows[0][1]) if rows else set()
    if kind is None:
        kind = next((k for column, k in _KIND_BY_COLUMN if column in columns), None)
    if kind is None:
        raise InputRefused(
            "Cannot tell what {path} holds; name it with --kind "
            "(recommendations, indicators, communes, agencies, targets).",
            path=str(path),
        )
    header = CatalogHeader(format=CATALOG_FORMAT, format_version=1, kind=kind)
    return RawCatalog(header, [(n, {k: v for k, v in r.items() if v is not None}) for n, r in rows])
