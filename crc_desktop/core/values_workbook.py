"""A returned form opened for reading its values only, with python-calamine (Rust): about five
times faster than openpyxl's read-only reader on a commune's form of the `large` scale, with the
same reading (benchmarks/form_reading.py, docs/benchmarks.md). openpyxl stays for writing, and for
every workbook the program reads for more than its cells' values.

The book answers what the form readers ask of an openpyxl workbook: its sheet names, and each
sheet's rows as tuples of values (None for an empty cell), from cell A1."""

from __future__ import annotations

from typing import BinaryIO

from crc_desktop.core.errors import InputRefused


class ValuesSheet:
    def __init__(self, title: str, rows: list[list]) -> None:
        self.title = title
        self._rows = rows

    def iter_rows(self, values_only: bool = True):
        for row in self._rows:
            yield tuple(None if value == "" else value for value in row)


class ValuesWorkbook:
    def __init__(self, stream: BinaryIO) -> None:
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            self._book = CalamineWorkbook.from_filelike(stream)
            self.sheetnames = list(self._book.sheet_names)
        except (CalamineError, OSError, ValueError) as exc:
            raise InputRefused("This file is not a readable Excel workbook.") from exc
        self._errors = (CalamineError, ValueError)

    def __getitem__(self, name: str) -> ValuesSheet:
        if name not in self.sheetnames:
            raise KeyError(name)
        try:
            rows = self._book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except self._errors as exc:
            raise InputRefused("This file is not a readable Excel workbook.") from exc
        return ValuesSheet(name, rows)

    def close(self) -> None:
        self._book.close()
