"""A minimal .xlsb writer for tests (no library here writes the binary format): a workbook of one or
more sheets whose cells are texts (BrtCellSt), numbers (BrtCellReal) or any raw record given."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.bin" '
    'ContentType="application/vnd.ms-excel.worksheet"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.bin"/></Relationships>'
)
SHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def record(kind: int, data: bytes = b"") -> bytes:
    """One BIFF12 record: its type in one or two bytes, its size in one to four, then the data."""
    head = bytes([kind]) if kind < 0x80 else bytes([kind & 0x7F | 0x80, kind >> 7])
    size, sizes = len(data), bytearray()
    while True:
        byte, size = size & 0x7F, size >> 7
        sizes.append(byte | (0x80 if size else 0))
        if not size:
            break
    return head + bytes(sizes) + data


def wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def row_header(row: int) -> bytes:
    """BrtRowHdr for the 0-based `row` (height, flags and no column spans)."""
    return record(0x0000, struct.pack("<IIHHBBI", row, 0, 300, 0, 0, 0, 0))


def cell(column: int, value: object) -> bytes:
    """BrtCellSt for a text, BrtCellReal for a number, in the 0-based `column`."""
    if isinstance(value, str):
        return record(0x0006, struct.pack("<II", column, 0) + wide(value))
    return record(0x0005, struct.pack("<IId", column, 0, float(value)))  # type: ignore[arg-type]


def sheet_stream(rows: Sequence[Sequence[object]], extra: Iterable[bytes] = ()) -> bytes:
    """A worksheet part: the rows from A1 (None leaves a cell out), then `extra` records (rows and
    cells placed anywhere) before BrtEndSheetData."""
    height = max(len(rows), 1)
    width = max((len(row) for row in rows), default=1)
    body = [
        record(0x0081),  # BrtBeginSheet
        record(0x0094, struct.pack("<IIII", 0, height - 1, 0, width - 1)),  # BrtWsDim
        record(0x0091),  # BrtBeginSheetData
    ]
    for number, values in enumerate(rows):
        body.append(row_header(number))
        body.extend(cell(column, value) for column, value in enumerate(values) if value is not None)
    body.extend(extra)
    body += [record(0x0092), record(0x0082)]  # BrtEndSheetData, BrtEndSheet
    return b"".join(body)


def workbook_stream(names: Sequence[str]) -> bytes:
    sheets = b"".join(
        record(0x009C, struct.pack("<II", 0, number + 1) + wide(f"rId{number + 1}") + wide(name))
        for number, name in enumerate(names)
    )
    return b"".join(
        [
            record(0x0083),  # BrtBeginBook
            record(0x008F),  # BrtBeginBundleShs
            sheets,
            record(0x0090),  # BrtEndBundleShs
            record(0x009D, bytes(26)),  # BrtCalcProp: the reader's sign that the defined names are over
            record(0x0084),  # BrtEndBook
        ]
    )


def write_xlsb(
    path: Path,
    sheets: dict[str, bytes] | Sequence[Sequence[object]],
    *,
    parts: dict[str, bytes] | None = None,
) -> Path:
    """Write an .xlsb with the given sheet streams by name (or one sheet 「名单」 of these rows);
    `parts` adds or replaces parts of the archive."""
    streams = sheets if isinstance(sheets, dict) else {"名单": sheet_stream(sheets)}
    rels = "".join(
        f'<Relationship Id="rId{number}" Type="{SHEET_TYPE}" Target="worksheets/sheet{number}.bin"/>'
        for number in range(1, len(streams) + 1)
    )
    files: dict[str, bytes] = {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": ROOT_RELS.encode(),
        "xl/workbook.bin": workbook_stream(list(streams)),
        "xl/_rels/workbook.bin.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>"
        ).encode(),
    }
    for number, stream in enumerate(streams.values(), start=1):
        files[f"xl/worksheets/sheet{number}.bin"] = stream
    files.update(parts or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path
