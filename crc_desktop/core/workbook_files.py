"""Opening an Excel workbook a user gives us, safely: the file's kind is named before parsing.

A user picks the wrong file more often than a damaged one: an old .xls, a CSV, a PDF, an
empty file, a Word document (a zip, like a workbook). Those are recognised from their first
bytes and the zip's directory, and refused with what to do, before openpyxl reads anything.
So is a workbook that would unpack to more than the limits below, or that carries XML
declarations (DOCTYPE, ENTITY) Excel never writes: the shape of "billion laughs" files that
exhaust memory. Every error the Excel library raises on what remains is turned into one reason.
"""

from __future__ import annotations

import contextlib
import logging
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import ParseError

from crc_desktop.core.errors import CrcError, InputRefused, os_reason

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_PARTS = 5000
MAX_RATIO = 200  # unpacked size over packed size of one part; Excel's XML stays well below 100

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office files: .xls, .doc
_ZIP = b"PK\x03\x04"
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 1 << 20

log = logging.getLogger(__name__)


def check_workbook(path: Path) -> None:
    """Refuse, in one sentence saying what the file is, anything but a sound .xlsx workbook."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
        size = path.stat().st_size
    except OSError as exc:
        raise InputRefused("{path} cannot be read: {error}", path=str(path), error=os_reason(exc)) from exc
    if size == 0:
        raise InputRefused("{path} is empty (0 bytes): it is not an Excel workbook.", path=str(path))
    if head.startswith(_OLE2):
        raise InputRefused(
            "{path} is an old Excel file (.xls) or another old Office document: open it in Excel "
            "and save it as “Excel Workbook (.xlsx)”, then import the .xlsx file.",
            path=str(path),
        )
    if head.startswith(b"%PDF"):
        raise InputRefused("{path} is a PDF document, not an Excel workbook (.xlsx).", path=str(path))
    if not head.startswith(_ZIP):
        raise InputRefused(
            "{path} is not an Excel workbook: it looks like text or CSV. Open it in Excel and save it "
            "as “Excel Workbook (.xlsx)”.",
            path=str(path),
        )
    if size > MAX_FILE_BYTES:
        raise _too_large(path)
    _check_parts(path)


def _check_parts(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
            if "xl/workbook.xml" not in names:
                raise InputRefused(
                    "{path} is a zip file but not an Excel workbook (a Word document or another archive?).",
                    path=str(path),
                )
            if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
                raise _too_large(path)
            for part in parts:
                if part.file_size > MAX_RATIO * max(part.compress_size, 1) + _CHUNK:
                    raise _too_large(path)
                if part.filename.endswith((".xml", ".rels")) and _declares_entities(archive, part):
                    raise InputRefused(
                        "{path} holds XML declarations Excel never writes (DOCTYPE or ENTITY); "
                        "it was not imported. Save the data again from Excel into a new workbook.",
                        path=str(path),
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        log.info("damaged workbook %s: %s", path, exc)
        raise _damaged(path) from None


def _declares_entities(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if any(declaration in window for declaration in _DECLARATIONS):
                return True
            tail = window[-16:]
    return False


def _too_large(path: Path) -> InputRefused:
    return InputRefused(
        "{path} is larger than a workbook of this program can be ({size} MB unpacked at most); "
        "it was not opened.",
        path=str(path),
        size=MAX_UNPACKED_BYTES // (1024 * 1024),
    )


def _damaged(path: Path) -> InputRefused:
    return InputRefused(
        "{path} cannot be read as an Excel workbook: it is damaged or was not saved by Excel (.xlsx).",
        path=str(path),
    )


# what openpyxl and the XML parsers under it raise on a workbook they cannot make sense of
_LIBRARY_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    ParseError,
    SyntaxError,  # lxml's XMLSyntaxError derives from it
)


@contextlib.contextmanager
def opened_workbook(path: Path) -> Iterator:
    """A checked workbook opened read-only; any library error while reading it becomes one reason."""
    from openpyxl import load_workbook  # imported when an Excel file is read: it is slow to import

    path = Path(path)
    check_workbook(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise InputRefused("{path} cannot be read: {error}", path=str(path), error=os_reason(exc)) from exc
    except _LIBRARY_ERRORS as exc:
        log.info("unreadable workbook %s: %r", path, exc, exc_info=True)
        raise _damaged(path) from None
    try:
        yield book
    except CrcError:
        raise
    except _LIBRARY_ERRORS as exc:
        log.info("unreadable workbook %s: %r", path, exc, exc_info=True)
        raise _damaged(path) from None
    finally:
        book.close()
