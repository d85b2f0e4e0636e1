"""Reading a large .xlsx sheet in pieces while it is scanned: python-calamine parses each run of whole
rows the scan (`sheetscan`) has bounded, in two threads (it lets go of the interpreter while it parses),
instead of the whole sheet after the scan has ended.

A piece is a small workbook made of the sheet's own parts: the package and workbook parts, the shared
strings and the styles (so that every cell reads as it does in the whole: the same text, the same date),
and the sheet's XML up to its rows followed by the piece's rows. Its cells keep their references, so
each lands where it does in the whole sheet, and the pieces are put together row for row. The last
piece ends with the sheet's XML after the rows as it is written, merged ranges and all; the others say
before their rows that they have no merged ranges: python-calamine looks for them in a second pass over
a sheet's XML, which then stops at once instead of reading the piece again.

A piece is made only of rows whose every cell starts with its place (a cell placed after the one before
it, or a row numbered after the row before it, could fall elsewhere in a piece than in the whole), and
only while the scan's bound so far keeps what its cells can reach under half of `MAX_CELLS` (two pieces
are parsed at a time) and the pieces read so far hold no more cells than a sheet may. Anything else —
a piece python-calamine refuses, pieces whose rows are out of order, merged ranges, a comment or a
processing instruction before or among the rows — leaves the sheet to be read whole, as it was before.
For a sheet python-calamine reads, the result is the same either way (tests/test_readers_pieces.py);
a damaged sheet that python-calamine refuses whole is refused in pieces too, but for one kind of damage:
end tags that match no start tag, each piece being a document of its own, are found only where they
break a piece.
"""

from __future__ import annotations

import io
import os
import re
import threading
import zipfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise

import python_calamine

from ..cellrefs import column_number
from .bounds import MAX_CELLS, MAX_ENTRY_BYTES, SHARED_TEXT_CELLS, SheetScan, texts_kept_once
from .parts import find_part, office_folder

# the rows of one piece; at least four times the shared strings, which each piece reads again
PIECE_BYTES = 6 * 1024 * 1024
COMMON_LIMIT = 64 * 1024 * 1024  # the parts copied into every piece, at most
IN_FLIGHT = 3  # pieces made and not yet read: two being parsed, one waiting (bounds the memory held)

_SHEET_DATA = re.compile(rb"<sheetData\s*>")
_ROOT = re.compile(rb"<((?:\w+:)?worksheet)\b")
_NO_MERGED = b"<mergeCells></mergeCells>"
_DIMENSION = re.compile(
    rb'<dimension\s+ref="(?P<first>[A-Za-z]+)(?P<first_row>\d+)(?::(?P<last>[A-Za-z]+)(?P<last_row>\d+))?"'
)

Cell = object
Range = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class ReadSheet:
    """A sheet's rows from A1, as `to_python(skip_empty_area=False)` gives the whole sheet, and its
    merged ranges."""

    rows: list[Sequence[Cell]]
    merged: list[Range]


@dataclass
class _Piece:
    start: tuple[int, int] | None
    end: tuple[int, int] | None
    rows: Sequence[Sequence[Cell]]
    merged: list[Range]


class PieceReading:
    """The pieces of one workbook's large sheets, parsed in two threads. Leaving it (`with`) waits for
    the pieces being parsed and drops those not started."""

    def __init__(self, archive: zipfile.ZipFile, common: list[tuple[str, bytes]]) -> None:
        self.archive = archive
        self.common = common
        strings = max(
            (len(content) for name, content in common if name.lower().endswith("sharedstrings.xml")),
            default=0,
        )
        self.piece_bytes = max(PIECE_BYTES, 4 * strings)
        self.room = threading.BoundedSemaphore(IN_FLIGHT)
        self.pool = ThreadPoolExecutor(
            max_workers=min(2, os.cpu_count() or 1), thread_name_prefix="fanpin-piece"
        )

    def __enter__(self) -> PieceReading:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def sheet(self, name: str, part: str) -> SheetPieces:
        """A sheet to be read in pieces as it is scanned."""
        return SheetPieces(self, name, part)


def piece_reading(archive: zipfile.ZipFile) -> PieceReading | None:
    """Pieces for this workbook's large sheets, or None when the parts every piece needs are not
    plainly readable (too large, damaged, or with a DOCTYPE: the file's own checks say so later)."""
    try:
        common = _common_parts(archive)
    except Exception:  # damaged: read as before, by the checks and the reader that say what is wrong
        return None
    return PieceReading(archive, common) if common is not None else None


def _common_parts(archive: zipfile.ZipFile) -> list[tuple[str, bytes]] | None:
    """The package and workbook parts, shared strings and styles: what python-calamine reads of a
    workbook besides the sheet."""
    package = find_part(archive, "_rels/.rels")
    if package is None:
        return None
    common: list[tuple[str, bytes]] = []
    total = 0
    folder = office_folder(_read(archive, package, COMMON_LIMIT) or b"")
    for wanted in (
        "[Content_Types].xml",
        "_rels/.rels",
        f"{folder}workbook.xml",
        f"{folder}_rels/workbook.xml.rels",
        f"{folder}sharedStrings.xml",
        f"{folder}styles.xml",
    ):
        name = find_part(archive, wanted)
        if name is None:
            continue
        content = _read(archive, name, COMMON_LIMIT - total)
        if content is None or b"<!DOCTYPE" in content[:4096] or b"<!ENTITY" in content[:4096]:
            return None
        total += len(content)
        common.append((wanted, content))  # under the name the reader looks for, however it is spelled
    return common


def _read(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    if limit <= 0:
        return None
    with archive.open(name) as stream:
        content = stream.read(min(limit, MAX_ENTRY_BYTES) + 1)
    return None if len(content) > limit else content


class SheetPieces:
    """One sheet's rows handed over as the scan bounds them, parsed piece by piece."""

    def __init__(self, reading: PieceReading, name: str, part: str) -> None:
        self.reading = reading
        self.name = name
        self.part = part
        self.head: bytes | None = None  # the sheet's XML before its rows
        self.close = b""  # the root element's end
        self.rows: list[bytes] = []  # the rows taken since the last piece
        self.size = 0
        self.futures: list[Future[_Piece]] = []
        self.abandoned = False
        self.texts: dict[str, str] = {}
        self.shared_texts = False  # each repeated text kept once, as `sources` does for a large sheet
        self.declared_cells = 0
        self.taken = 0  # bytes of the sheet's XML taken so far
        self.lock = threading.Lock()
        self.cells_held = 0  # by the pieces read so far
        self.too_many = False  # more than a sheet may hold: the pieces overlap, the sheet is read whole

    @property
    def reach(self) -> int:
        """The cells a piece may make python-calamine allocate: half of `MAX_CELLS` (two pieces are
        parsed at a time)."""
        return MAX_CELLS // 2

    def _within_reach(self, scan: SheetScan) -> bool:
        """Whether every cell of the chunk the scan has just bounded is within `reach`: its rows so far,
        or the ceiling of what its fast search passed over (from where that could reach too far, the
        scan searches each chunk closely and passes over nothing)."""
        return max(scan.rows, scan.passed_over) * scan.columns <= self.reach

    def take(self, data: bytes, scan: SheetScan, *, element_by_element: bool, last: bool) -> None:
        """The next part of the sheet's XML, as the scan has just bounded it (`last`: the rest of it)."""
        if self.abandoned:
            return
        self.taken += len(data)
        if element_by_element or not self._within_reach(scan) or self.too_many:
            self.abandon()
            return
        if self.head is None:
            rows, root = _SHEET_DATA.search(data), _ROOT.search(data)
            head = data[: rows.start()] if rows else b""
            if rows is None or root is None or not _plain_head(head):
                self.abandon()
                return
            self.head, self.close = head, b"</" + root.group(1) + b">"
            self.declared_cells = _declared_cells(head)
            data = data[rows.end() :]
        if last:  # the rows' end and the rest of the sheet's XML, as written
            self.rows.append(data)
            self._submit(scan, last=True)
        elif b"mergeCells" in data or b"</sheetData" in data:  # merged ranges among the rows, or the
            self.abandon()  # rows ending before the sheet's XML does: not a sheet as Excel writes it
        else:
            self.rows.append(data)
            self.size += len(data)
            if self.size >= self.reading.piece_bytes and data.endswith(b"</row>"):
                self._submit(scan, last=False)

    def abandon(self) -> None:
        """Read this sheet whole after all: drop what was taken (pieces being parsed finish unread)."""
        self.abandoned = True
        self.rows = []
        for future in self.futures:
            if future.cancel():  # never started: its room is given back here
                self.reading.room.release()
        self.futures = []

    def _submit(self, scan: SheetScan, *, last: bool) -> None:
        assert self.head is not None
        if not self.shared_texts:
            self.shared_texts = self._cells_expected(scan) >= SHARED_TEXT_CELLS
        if last:
            parts = [self.head, b"<sheetData>", *self.rows]
        else:
            parts = [self.head, _NO_MERGED, b"<sheetData>", *self.rows, b"</sheetData>", self.close]
        self.rows, self.size = [], 0
        self.reading.room.acquire()  # waits while three pieces are made and not yet read
        try:
            self.futures.append(self.reading.pool.submit(self._parse, parts))
        except BaseException:
            self.reading.room.release()
            raise

    def _cells_expected(self, scan: SheetScan) -> int:
        """How many cells the whole sheet will have: its declared area, or as many as the scan has found
        so far in the share of its XML taken so far (a guess: it decides only how texts are kept)."""
        total = self.reading.archive.getinfo(self.part).file_size
        return self.declared_cells or scan.rows * scan.columns * total // max(self.taken, 1)

    def _parse(self, parts: list[bytes]) -> _Piece:
        try:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as book:
                for name, content in self.reading.common:
                    book.writestr(name, content)
                with book.open(self.part, "w", force_zip64=True) as sheet_xml:
                    for part in parts:
                        sheet_xml.write(part)
            parts.clear()
            buffer.seek(0)
            workbook = python_calamine.CalamineWorkbook.from_filelike(buffer)
            del buffer
            sheet = workbook.get_sheet_by_name(self.name)
            if sheet.start is None or sheet.end is None:
                return _Piece(None, None, [], list(sheet.merged_cell_ranges or ()))
            with self.lock:  # pieces whose rows overlap (a hostile sheet) could each hold its whole reach
                self.cells_held += sheet.height * sheet.width
                if self.cells_held > MAX_CELLS:
                    self.too_many = True
            if self.too_many:
                return _Piece(None, None, [], [])
            rows: Sequence[Sequence[Cell]] = sheet.to_python(skip_empty_area=True)
            if self.shared_texts:
                rows = texts_kept_once(rows, self.texts)
            return _Piece(sheet.start, sheet.end, rows, list(sheet.merged_cell_ranges or ()))
        finally:
            self.reading.room.release()

    def result(self) -> ReadSheet | None:
        """The sheet's rows put together from its pieces; None when it is to be read whole."""
        futures, self.futures = self.futures, []
        if self.abandoned or not futures:
            return None
        if any(future.exception() is not None for future in futures):
            return None  # read whole, the reader says what is wrong with it
        pieces = [future.result() for future in futures]
        if self.too_many:
            return None
        merged = pieces[-1].merged
        held = [piece for piece in pieces if piece.start is not None and piece.end is not None]
        if any(a.end[0] >= b.start[0] for a, b in pairwise(held)):  # type: ignore[index]
            return None  # rows written out of order: a piece reaches into another's rows
        return ReadSheet(_together(held), merged)


def _together(pieces: list[_Piece]) -> list[Sequence[Cell]]:
    """The pieces' rows from A1, each as wide as the widest reaches, empty cells as ""."""
    if not pieces:
        return []
    width = max(piece.end[1] for piece in pieces if piece.end) + 1
    rows: list[Sequence[Cell]] = []
    for piece in pieces:
        assert piece.start is not None and piece.end is not None
        rows.extend([""] * width for _ in range(piece.start[0] - len(rows)))
        left, right = piece.start[1], width - 1 - piece.end[1]
        if left or right:
            rows.extend([*([""] * left), *row, *([""] * right)] for row in piece.rows)
        else:
            rows.extend(piece.rows)
    return rows


def _plain_head(head: bytes) -> bool:
    """Whether a sheet's XML before its rows is as Excel and the others write it: no comment, CDATA,
    DOCTYPE or processing instruction (beyond the XML declaration), no merged ranges."""
    return b"<!" not in head and head.find(b"<?", 1) < 0 and b"mergeCells" not in head


def _declared_cells(head: bytes) -> int:
    """The cells of the area a sheet's XML declares it holds (`<dimension ref="A1:AB35000"/>`), 0 when
    it declares none: only a guess of its size, the reading is the same whatever it says."""
    found = _DIMENSION.search(head)
    if found is None or found["last"] is None:
        return 0
    rows = int(found["last_row"]) - int(found["first_row"]) + 1
    columns = column_number(found["last"]) - column_number(found["first"]) + 1
    return max(rows, 0) * max(columns, 0)
