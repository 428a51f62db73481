"""A sheet's values row by row, read faster than openpyxl's read-only reader reads them.

openpyxl's read-only mode builds objects for each cell as it reads (an inline string goes through
its rich text model), which costs a returned commune form's values sheet (7,600 cells) 0.18 s of
CPU, a round of 150 forms half a minute. Here the sheet's XML is read with lxml's iterparse
instead, taking from the workbook openpyxl opened what it has already read (the shared strings,
which styles are dates, the date epoch), so the values are the ones openpyxl gives
(`iter_rows(values_only=True)` of a workbook opened with `read_only=True, data_only=True`): a test
compares the two on forms, on files LibreOffice saved (shared strings, formulas' cached values),
and on dates, booleans and errors.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE, _TEXT, _RUN = (f"{_MAIN}{n}" for n in ("row", "c", "v", "is", "t", "r"))
_DIGITS = "0123456789"


class ValuesByRow:
    """The values of each row of `sheet`, from row 1 on, a row without cells as (): what openpyxl's
    `sheet.iter_rows(values_only=True)` gives (but rows are not padded to the sheet's width).
    Once the caller knows which columns it reads (after a header row, say), `only` them: the
    other cells of the rows after are left unread (None)."""

    def __init__(self, sheet) -> None:
        self._sheet = sheet
        self._columns: frozenset[int] | None = None

    def only(self, columns) -> None:
        """Read only these columns (1-based) of the rows still to come."""
        self._columns = frozenset(columns)

    def __iter__(self) -> Iterator[tuple]:
        sheet = self._sheet
        book = getattr(sheet, "parent", None)
        if not isinstance(sheet, ReadOnlyWorksheet) or not getattr(book, "data_only", False):
            yield from sheet.iter_rows(values_only=True)
            return
        reader = _Cells(sheet._shared_strings, book._date_formats, book._timedelta_formats, book.epoch)
        expected = 1
        with sheet._get_source() as source:
            rows = etree.iterparse(source, tag=_ROW, resolve_entities=False, no_network=True, huge_tree=False)
            for _event, row in rows:
                number = int(row.get("r") or expected)
                while expected < number:  # rows the file leaves out are empty
                    yield ()
                    expected += 1
                values: dict[int, object] = {}
                column, wanted = 0, self._columns
                for cell in row.iterchildren(_CELL):
                    reference = cell.get("r")
                    column = column_index_from_string(reference.rstrip(_DIGITS)) if reference else column + 1
                    if wanted is None or column in wanted:
                        values[column] = reader.value(cell)
                row.clear()
                while row.getprevious() is not None:  # what was read is let go
                    del row.getparent()[0]
                yield tuple(values.get(c) for c in range(1, max(values, default=0) + 1))
                expected = number + 1


class _Cells:
    """A cell's value, as openpyxl's reader makes it (see its `WorkSheetParser.parse_cell`)."""

    def __init__(self, strings, dates, timedeltas, epoch) -> None:
        self.strings, self.dates, self.timedeltas, self.epoch = strings, dates, timedeltas, epoch

    def value(self, cell) -> object:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(_INLINE)
            return None if inline is None else text_of(inline)
        value = cell.findtext(_VALUE) or None
        if value is None:
            return None
        if kind == "n":
            number = float(value) if "." in value or "E" in value or "e" in value else int(value)
            style = int(cell.get("s") or 0)
            if style in self.dates:
                try:
                    return from_excel(number, self.epoch, timedelta=style in self.timedeltas)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        return value  # "str" (a formula's text), "e" (an error such as #N/A)


def text_of(node) -> str:
    """The plain text of a string item (`is` or `si`): its own text and its runs' (not phonetic ones)."""
    parts = [node.findtext(_TEXT) or ""]
    parts += [run.findtext(_TEXT) or "" for run in node.iterchildren(_RUN)]
    return "".join(parts)
