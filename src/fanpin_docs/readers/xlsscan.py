"""Error values in an old-format workbook (.xls, BIFF8): where each sheet holds `#N/A`, `#DIV/0!` …

python-calamine reads an error value as an empty text, in an .xls as in an .xlsx; this walk over the
records of the file's Workbook stream (opened with `olefile`) notes each error cell — a BOOLERR record
holding an error, or a FORMULA record whose stored result is one — by sheet and place, as `sheetscan`
notes them in an .xlsx, so that the row reader refuses them instead of reading 0. Only the record
headers are looked at, one after another; the cells' contents are left to the reader.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import olefile

from ..errors import InputError
from .bounds import MAX_ERROR_CELLS, SheetScan, too_many_errors

_BOF, _EOF, _BOUNDSHEET, _BOOLERR, _FORMULA = 0x0809, 0x000A, 0x0085, 0x0205, 0x0006
_WORKSHEET = 0x0010  # BOF's substream type
# the error codes of BIFF8 as Excel shows them
ERROR_CODES = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}
_HEADER = struct.Struct("<HH")
_PLACE = struct.Struct("<HH")


def scan_xls(path: Path) -> dict[str, SheetScan]:
    """{sheet name: its error values} of a BIFF8 .xls; {} for a file this walk cannot read (an older
    BIFF version, a damaged container: the reader then says what it can of it)."""
    try:
        with olefile.OleFileIO(str(path)) as container:
            if not container.exists("Workbook"):
                return {}
            data = container.openstream("Workbook").read()
        scans = {name: _scan_sheet(data, offset) for offset, name in _sheets(data).items()}
    except Exception:
        return {}  # OSError, ValueError, OverflowError … on damaged files): the reader says what it can
    for name, scan in scans.items():
        if len(scan.errors) > MAX_ERROR_CELLS:
            raise InputError([too_many_errors(path.name, name)])
    return scans


def _records(data: bytes, position: int) -> Iterator[tuple[int, int, int]]:
    """(type, start of the record's body, its length) from `position` to the substream's EOF record."""
    end = len(data) - 4
    unpack = _HEADER.unpack_from
    while position <= end:
        kind, length = unpack(data, position)
        yield kind, position + 4, length
        if kind == _EOF:
            return
        position += 4 + length


def _sheets(data: bytes) -> dict[int, str]:
    """The worksheets the workbook globals list (BOUNDSHEET): the offset of each one's records → its name."""
    sheets: dict[int, str] = {}
    for kind, body, _length in _records(data, 0):
        if kind != _BOUNDSHEET:
            continue
        (offset,) = struct.unpack_from("<I", data, body)
        count, wide = data[body + 6], data[body + 7] & 1
        raw = data[body + 8 : body + 8 + count * (2 if wide else 1)]
        sheets[offset] = raw.decode("utf-16-le") if wide else raw.decode("latin-1")
    return sheets


def _scan_sheet(data: bytes, offset: int) -> SheetScan:
    scan = SheetScan()
    kind, bof_length = _HEADER.unpack_from(data, offset)
    if kind != _BOF or _HEADER.unpack_from(data, offset + 4)[1] != _WORKSHEET:
        return scan  # a chart or macro sheet: no cells
    for kind, body, length in _records(data, offset + 4 + bof_length):
        if kind == _BOOLERR and length >= 8 and data[body + 7] == 1:
            row, column = _PLACE.unpack_from(data, body)
            scan.errors[(row, column)] = ERROR_CODES.get(data[body + 6], "#错误")
        elif (
            kind == _FORMULA
            and length >= 14
            and data[body + 6] == 2
            and data[body + 12 : body + 14] == b"\xff\xff"
        ):
            row, column = _PLACE.unpack_from(data, body)
            scan.errors[(row, column)] = ERROR_CODES.get(data[body + 8], "#错误")
        else:
            continue
        if len(scan.errors) > MAX_ERROR_CELLS:
            break  # enough to refuse the file (`scan_xls`)
    return scan
