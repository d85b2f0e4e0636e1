"""How far the cells of an OpenDocument spreadsheet (.ods) reach, found before the file is read.

The reader (calamine) allocates a sheet's whole used range at once, so one value typed far away (ZZ100000)
in a 10 KB .ods costs gigabytes. This scan streams `content.xml` and counts rows and columns the way the
format writes them (`number-rows-repeated`, `number-columns-repeated`); only cells that hold something
extend the area: LibreOffice writes the empty rest of a sheet as repeated empty rows, which do not count.
`opening.scan_xlsx` has already refused oversized parts and any DOCTYPE in the file. Cells holding an
error value (`#N/A`: calamine reads them as empty) are noted with their places, as `sheetscan` notes them.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, iterparse

from ..errors import InputError, Problem
from .bounds import MAX_ERROR_CELLS, SheetScan, too_many_errors

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALC_VALUE_TYPE = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_ROW = f"{_TABLE}table-row"
_SHEET = f"{_TABLE}table"
SPREADSHEET_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def is_ods(archive: zipfile.ZipFile) -> bool:
    names = set(archive.namelist())
    if "content.xml" not in names or "mimetype" not in names:
        return False
    with archive.open("mimetype") as stream:
        return stream.read(len(SPREADSHEET_MIMETYPE) + 16).strip() == SPREADSHEET_MIMETYPE


def _repeat(element: Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(f"{_TABLE}{attribute}", "1")))
    except ValueError:
        return 1


def scan_ods(path: Path) -> dict[str, SheetScan]:
    """{sheet name: the area that holds values (rows, columns) and its error values}, for an .ods file
    (else {}); a `content.xml` that is not whole XML (a cut-off download) is refused as a damaged file."""
    try:
        return _scans(path)
    except (ParseError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(
            [
                Problem(
                    path.name,
                    f"文件已损坏（表格内容不完整，{type(exc).__name__}），无法作为工作簿读取",
                    hint="用 WPS 或 LibreOffice 打开确认文件未损坏，再另存为「Excel 工作簿 (.xlsx)」后使用",
                )
            ]
        ) from None


def _scans(path: Path) -> dict[str, SheetScan]:
    scans: dict[str, SheetScan] = {}
    with zipfile.ZipFile(path) as archive:
        if not is_ods(archive):
            return scans
        with archive.open("content.xml") as stream:
            open_elements: list[Element] = []
            scan, row, row_reach, column, name = SheetScan(), 0, 0, 0, ""
            errors: dict[int, str] = {}  # the row's error values by column
            for event, element in iterparse(stream, events=("start", "end")):
                if event == "start":
                    open_elements.append(element)
                    if element.tag == _SHEET:
                        scan, row, name = SheetScan(), 0, element.get(f"{_TABLE}name", "")
                        scans[name] = scan
                    elif element.tag == _ROW:
                        column, row_reach, errors = 0, 0, {}
                    continue
                open_elements.pop()
                if element.tag in _CELLS:
                    repeat = _repeat(element, "number-columns-repeated")
                    if element.get(f"{_OFFICE}value-type") is not None or len(element):
                        row_reach = column + repeat
                    if element.get(_CALC_VALUE_TYPE) == "error":
                        if len(errors) + repeat > MAX_ERROR_CELLS:
                            raise InputError([too_many_errors(path.name, name)])
                        errors.update(
                            dict.fromkeys(range(column, column + repeat), "".join(element.itertext()).strip())
                        )
                    column += repeat
                elif element.tag == _ROW:
                    repeat = _repeat(element, "number-rows-repeated")
                    if row_reach:
                        scan.rows, scan.columns = row + repeat, max(scan.columns, row_reach)
                    if errors:  # each row the element stands for holds them (a repeated row: each copy)
                        if len(scan.errors) + len(errors) * repeat > MAX_ERROR_CELLS:
                            raise InputError([too_many_errors(path.name, name)])
                        for each in range(row, row + repeat):
                            scan.errors.update({(each, at): code for at, code in errors.items()})
                    row += repeat
                elif element.tag != _SHEET:
                    continue
                if open_elements:  # drop what was counted: memory stays flat on any number of rows
                    open_elements[-1].remove(element)
    return scans
