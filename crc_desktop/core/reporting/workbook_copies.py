"""Copies of one workbook with a few cells, row heights and page headers changed.

The collection round writes 150 commune forms that differ only in their unit: its name in a few
titles and headings, its values, its comments and its identity. openpyxl takes some 0.3 s of CPU
to write one form's 7,600 styled cells, in normal and write-only mode alike (the cost is its cell
by cell serialisation), so the forms of a period are made from one: the first is written with
openpyxl, each other is a copy of it where only the cells that differ are replaced (0.04 s). The
parts are parsed and written back with lxml (no text is patched by hand); every other part
(styles, validations, print setup, defined names, protection) is copied byte for byte, so a copy
says exactly what openpyxl would have written for that unit (but for the time it was written, in
docProps/core.xml, which is the first form's), as the tests compare.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from lxml import etree
from openpyxl.compat import safe_string

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_C, _V, _IS, _T = (f"{{{MAIN}}}{name}" for name in ("c", "v", "is", "t"))


@dataclass
class SheetChanges:
    """What differs in one sheet: cells by reference ("H5": a number, a text or None for empty),
    row heights in points (None: the default height), and the page header as openpyxl codes it."""

    cells: dict[str, object] = field(default_factory=dict)
    heights: dict[int, float | None] = field(default_factory=dict)
    header: str | None = None


class WorkbookTemplate:
    """A workbook (the bytes of an .xlsx file) to make copies of with `SheetChanges`.

    A sheet that changes is parsed once and changed in place for each copy (parsing costs more
    than all the changes): so every copy must change the same cells, rows and headers of it as
    the first copy did, which `write` checks."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self._infos = archive.infolist()
            self._parts = {info.filename: archive.read(info.filename) for info in self._infos}
        self.sheets = _sheet_parts(self._parts)  # sheet name → its part
        self._trees: dict[str, tuple[object, tuple]] = {}  # part → (its parsed XML, what changes in it)

    def write(self, changes: dict[str, SheetChanges], stream: BinaryIO) -> None:
        """The copy, with the `changes` of each sheet (by name), into `stream`."""
        changed = {self.sheets[name]: self._changed(self.sheets[name], c) for name, c in changes.items()}
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            for info in self._infos:
                archive.writestr(info, changed.get(info.filename, self._parts[info.filename]))

    def _changed(self, part: str, changes: SheetChanges) -> bytes:
        what = (frozenset(changes.cells), frozenset(changes.heights), changes.header is not None)
        if part not in self._trees:
            self._trees[part] = etree.fromstring(self._parts[part]), what
        root, first = self._trees[part]
        if what != first:
            raise ValueError(f"a copy must change what the first copy changed in {part}")
        return _change(root, changes)


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Each sheet's name → the name of the part that holds it, from the workbook and its relations."""
    workbook = etree.fromstring(parts["xl/workbook.xml"])
    relations = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {
        r.get("Id"): r.get("Target").lstrip("/") for r in relations.iter(f"{{{_RELATIONSHIPS}}}Relationship")
    }
    found = {}
    for sheet in workbook.iter(f"{{{MAIN}}}sheet"):
        target = targets[sheet.get(f"{{{_OFFICE_RELATIONSHIP}}}id")]
        found[sheet.get("name")] = target if target.startswith("xl/") else f"xl/{target}"
    return found


def _change(root, changes: SheetChanges) -> bytes:
    sheet_data = root.find(f"{{{MAIN}}}sheetData")
    wanted = dict(changes.cells)
    for row in sheet_data:
        number = int(row.get("r"))
        if number in changes.heights:
            height = changes.heights[number]
            if height is None:
                row.attrib.pop("ht", None)
                row.attrib.pop("customHeight", None)
            else:
                row.set("ht", safe_string(height))
                row.set("customHeight", "1")
        if not wanted:
            continue
        for cell in row:
            reference = cell.get("r")
            if reference in wanted:
                _set(cell, wanted.pop(reference))
    if wanted:  # every cell that may change is written in the template, empty or not
        raise ValueError(f"cells not in the template: {sorted(wanted)[:5]}")
    if changes.header is not None:
        header = root.find(f"{{{MAIN}}}headerFooter/{{{MAIN}}}oddHeader")
        header.text = changes.header
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set(cell, value) -> None:
    """A cell's value, written as openpyxl writes it (numbers as `n`, texts inline)."""
    for child in list(cell):
        cell.remove(child)
    if value is None or value == "":
        cell.set("t", "n")
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"a form's cell holds a number or a text, not {value!r}")
    if isinstance(value, str):
        cell.set("t", "inlineStr")
        text = etree.SubElement(etree.SubElement(cell, _IS), _T)
        text.text = value
        if value != value.strip():
            text.set(_XML_SPACE, "preserve")
    else:
        cell.set("t", "n")
        etree.SubElement(cell, _V).text = safe_string(value)
