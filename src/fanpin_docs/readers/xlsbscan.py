"""How far the cells of a binary workbook (.xlsb) reach, found before python-calamine reads it.

An .xlsb keeps its sheets as BIFF12 record streams (MS-XLSB 2.1.4): each record is a type of one or
two bytes (the high bit of the first says a second follows), a size of one to four bytes (seven bits
each, the high bit saying another follows) and that many bytes of data. The reader (calamine) walks a
worksheet the same way and then allocates the rectangle between the first and last cell holding a value,
so one value at XFD1048576 in a small file costs hundreds of gigabytes. This scan walks each sheet's
stream as the reader does and bounds the rectangle from A1 (rows × columns ≤ `MAX_CELLS`):

- sheet names and parts come from the BrtBundleSh records of xl/workbook.bin and the targets in
  xl/_rels/workbook.bin.rels, found in the archive the reader's way (case and slashes aside);
- a sheet's cells are read after BrtWsDim and BrtBeginSheetData, up to BrtEndSheetData or a row
  number beyond the sheet's last (where the reader stops); BrtRowHdr gives the row, each cell record
  its column. Blank cells (BrtCellBlank) hold no value and do not count; the declared extent
  (BrtWsDim) only sizes a small reservation in the reader and does not count either;
- a record cut short, shorter than the reader takes it, a shared string the workbook does not have,
  or a sheet relationship that is not there is a damaged file (the reader would fail on it, or stop).

Every part is inflated in chunks against `MAX_ENTRY_BYTES`, as for .xlsx.
"""

from __future__ import annotations

import struct
import zipfile

from ..errors import InputError
from .bounds import (
    CHUNK,
    MAX_CELLS,
    MAX_ENTRY_BYTES,
    SheetScan,
    damaged_content,
    inflated_size,
    too_big,
    too_large_sheet,
)
from .parts import binary_relationship_targets, find_part

WORKBOOK = "xl/workbook.bin"
SHARED_STRINGS = "xl/sharedStrings.bin"
RELATIONSHIPS = "xl/_rels/workbook.bin.rels"
LAST_ROW = 0x10_0000  # a row number beyond this (0-based) ends the reader's walk of the sheet

ROW_HEADER = 0x0000  # BrtRowHdr
CELL_RK, CELL_ISST, FORMULA_ERROR = 0x0002, 0x0007, 0x000B
DIMENSION = 0x0094  # BrtWsDim
BEGIN_SHEET_DATA, END_SHEET_DATA = 0x0091, 0x0092
BUNDLE_SHEET, END_BUNDLE_SHEETS = 0x009C, 0x0090  # BrtBundleSh, BrtEndBundleShs
BEGIN_SST = 0x009F
# blocks the reader passes over whole while looking for BrtBeginSheetData: views, AC blocks, column infos
SKIPPED_BLOCKS = {0x0085: 0x0086, 0x0025: 0x0026, 0x0186: 0x0187}

# The bytes the reader takes from each cell record (column, style, then the value): a shorter record
# is damaged. BrtCellRk 2 … BrtFmlaBool 10 hold a value; BrtFmlaError 11 counts too (a formula's result).
CELL_SIZES = {2: 12, 3: 9, 4: 9, 5: 16, 6: 12, 7: 12, 8: 12, 9: 16, 10: 9, 11: 9}


class _Damaged(Exception):
    """The record stream is not whole: told as a damaged file."""


def is_xlsb(archive: zipfile.ZipFile) -> bool:
    """Whether the archive has the binary workbook part the reader looks for."""
    return find_part(archive, WORKBOOK) is not None


def scan_xlsb(archive: zipfile.ZipFile, display: str) -> dict[str, SheetScan]:
    """Bound each worksheet of an .xlsb archive; the scan of each sheet by name (the first of a name).

    Raises InputError: a sheet reaching beyond `MAX_CELLS`, a part inflating beyond
    `MAX_ENTRY_BYTES`, or a damaged record stream.
    """
    try:
        sheets = _sheet_parts(archive, display)
        strings = _shared_string_count(archive, display)
        scans: dict[str, SheetScan] = {}
        for name, part in sheets:
            scan = _scan_sheet(archive, part, display, strings)
            if scan.rows * scan.columns > MAX_CELLS:
                raise InputError([too_large_sheet(display, name, scan)])
            scans.setdefault(name, scan)
        scanned = {part for _, part in sheets} | {find_part(archive, SHARED_STRINGS)}
        for info in archive.infolist():
            if info.filename not in scanned and info.filename.lower().endswith(".bin"):
                inflated_size(archive, info.filename, display)
    except _Damaged:
        raise InputError([damaged_content(display)]) from None
    return scans


class _Records:
    """The records of one part, inflated in chunks; only the bytes a record's reader needs are kept."""

    def __init__(self, archive: zipfile.ZipFile, part: str, display: str) -> None:
        self.stream = archive.open(part)
        self.part, self.display = part, display
        self.data = b""
        self.position = 0
        self.total = 0

    def __enter__(self) -> _Records:
        return self

    def __exit__(self, *_: object) -> None:
        self.stream.close()

    def read(self) -> bytes:
        """The next chunk of the part (empty at its end), counted against `MAX_ENTRY_BYTES`."""
        chunk = self.stream.read(CHUNK)
        self.total += len(chunk)
        if self.total > MAX_ENTRY_BYTES:
            raise InputError([too_big(self.display, self.part, self.total)])
        return chunk

    def _fill(self, wanted: int) -> bool:
        """Have `wanted` bytes from the position on; False at the end of the part."""
        while len(self.data) - self.position < wanted:
            chunk = self.read()
            if not chunk:
                return False
            self.data = self.data[self.position :] + chunk
            self.position = 0
        return True

    def _byte(self) -> int:
        if not self._fill(1):
            raise _Damaged
        value = self.data[self.position]
        self.position += 1
        return value

    def next(self, keep: int) -> tuple[int, int, bytes] | None:
        """The next record's type, size and first `keep` bytes of data; None at the end of the part."""
        if not self._fill(1):
            return None
        first = self._byte()
        kind = first & 0x7F | (self._byte() & 0x7F) << 7 if first & 0x80 else first
        size = 0
        for shift in (0, 7, 14, 21):
            byte = self._byte()
            size |= (byte & 0x7F) << shift
            if not byte & 0x80:
                break
        head = min(size, keep)
        if not self._fill(head):
            raise _Damaged
        data = self.data[self.position : self.position + head]
        self.skip(size)
        return kind, size, data

    def skip(self, size: int) -> None:
        """Pass over `size` bytes; a part ending first is damaged."""
        available = len(self.data) - self.position
        if size <= available:
            self.position += size
            return
        size -= available
        self.data, self.position = b"", 0
        while size > 0:
            chunk = self.read()
            if not chunk:
                raise _Damaged
            size -= len(chunk)
        self.data, self.position = chunk[len(chunk) + size :], 0

    def drain(self) -> None:
        """Inflate the rest of the part (the reader may go on reading it), counting its size."""
        while self.read():
            pass


def _uint32(data: bytes, offset: int = 0) -> int:
    return int.from_bytes(data[offset : offset + 4], "little")


def _sheet_parts(archive: zipfile.ZipFile, display: str) -> list[tuple[str, str]]:
    """(sheet name, part) for each BrtBundleSh before BrtEndBundleShs, as the reader lists them."""
    workbook = find_part(archive, WORKBOOK)
    if workbook is None:
        return []
    targets = _relationships(archive, display)
    sheets: list[tuple[str, str]] = []
    with _Records(archive, workbook, display) as records:
        while (record := records.next(MAX_ENTRY_BYTES)) is not None:
            kind, size, data = record
            if kind == END_BUNDLE_SHEETS:
                break
            if kind != BUNDLE_SHEET:
                continue
            if size < 12:
                raise _Damaged
            length = _uint32(data, 8)
            if length == 0xFFFF_FFFF:  # no relationship: the reader leaves the sheet out
                continue
            end = 12 + 2 * length
            relation = data[12:end].decode("utf-16-le", "replace").encode()
            if size < end + 4 or relation not in targets:
                raise _Damaged
            name_length = _uint32(data, end)
            if size < end + 4 + 2 * name_length:
                raise _Damaged
            name = data[end + 4 : end + 4 + 2 * name_length].decode("utf-16-le", "replace")
            part = find_part(archive, f"xl/{targets[relation]}")
            if part is not None:
                sheets.append((name, part))
    return sheets


def _relationships(archive: zipfile.ZipFile, display: str) -> dict[bytes, str]:
    """Relationship id → target, from xl/_rels/workbook.bin.rels (the reader joins the target to xl/)."""
    part = find_part(archive, RELATIONSHIPS)
    if part is None:
        return {}
    with archive.open(part) as stream:
        text = stream.read(MAX_ENTRY_BYTES + 1)
    if len(text) > MAX_ENTRY_BYTES:
        raise InputError([too_big(display, part, len(text))])
    return binary_relationship_targets(text)


def _shared_string_count(archive: zipfile.ZipFile, display: str) -> int:
    """How many shared strings the reader holds: the count of BrtBeginSst (it then reads that many)."""
    part = find_part(archive, SHARED_STRINGS)
    if part is None:
        return 0
    with _Records(archive, part, display) as records:
        while (record := records.next(8)) is not None:
            kind, size, data = record
            if kind == BEGIN_SST:
                if size < 8:
                    raise _Damaged
                count = _uint32(data, 4)
                records.drain()
                return count
    return 0


def _scan_sheet(archive: zipfile.ZipFile, part: str, display: str, strings: int) -> SheetScan:
    """Walk one worksheet's records as the reader does; the rows and columns its cells reach from A1."""
    scan = SheetScan()
    with _Records(archive, part, display) as records:
        if _seek_sheet_data(records):
            _walk_cells(records, scan, strings)
        records.drain()
    return scan


_UINT32 = struct.Struct("<I").unpack_from
_MARGIN = 32  # bytes kept ahead of a record's start: its head (≤ 6) and the 12 data bytes looked at
_LEAST = [4, 0] + [CELL_SIZES[kind] for kind in range(2, 12)]  # by type: the size the reader needs


def _walk_cells(records: _Records, scan: SheetScan, strings: int) -> None:
    """The cells up to BrtEndSheetData (or a row past the last), in one loop over the inflated bytes:
    a sheet has a record or two per cell, too many for a call each."""
    rows = columns = row = 0
    data, i = records.data, records.position
    end, last = len(data), False
    while True:
        while end - i < _MARGIN and not last:
            chunk = records.read()
            last = not chunk
            data, i = data[i:end] + chunk, 0
            end = len(data)
            if last:  # room to read a head cut off at the end; such a record is found damaged below
                data += bytes(_MARGIN)
        if i >= end:
            break  # the part ends without BrtEndSheetData: the reader fails, allocating nothing
        kind = data[i]
        if kind & 0x80:
            kind = kind & 0x7F | (data[i + 1] & 0x7F) << 7
            i += 1
        byte = data[i + 1]
        size, i = byte & 0x7F, i + 2
        shift = 7
        while byte & 0x80 and shift < 28:
            byte = data[i]
            size |= (byte & 0x7F) << shift
            i, shift = i + 1, shift + 7
        start, i = i, i + size
        if kind < 12:
            if size < _LEAST[kind] or (last and i > end):
                raise _Damaged
            if kind == ROW_HEADER:
                row = _UINT32(data, start)[0]
                if row > LAST_ROW:
                    break
            elif kind != 1:  # BrtCellBlank holds nothing
                if kind == CELL_ISST and _UINT32(data, start + 8)[0] >= strings:
                    raise _Damaged
                column = _UINT32(data, start)[0]
                if column >= columns:
                    columns = column + 1
                if row >= rows:
                    rows = row + 1
        elif kind == END_SHEET_DATA:
            break
        if i > end:  # a record longer than what is inflated so far
            if last:
                raise _Damaged
            records.data, records.position = b"", 0
            records.skip(i - end)
            data, i, end = records.data, 0, len(records.data)
    scan.rows, scan.columns = rows, columns
    if not last:
        records.data, records.position = data, i


def _seek_sheet_data(records: _Records) -> bool:
    """Pass BrtWsDim, then BrtBeginSheetData (skipping the blocks the reader skips); False at the end."""
    while (record := records.next(0)) is not None:
        kind, size, _ = record
        if kind == DIMENSION:
            if size < 16:
                raise _Damaged
            break
    else:
        return False
    while (record := records.next(0)) is not None:
        kind = record[0]
        if kind == BEGIN_SHEET_DATA:
            return True
        end = SKIPPED_BLOCKS.get(kind)
        if end is not None:
            while (inner := records.next(0)) is not None and inner[0] != end:
                pass
            if inner is None:
                return False
    return False
