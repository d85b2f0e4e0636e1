"""Binary workbooks (.xlsb): read like the others, and bounded before the reader sees them.

The reader (python-calamine) allocates the rectangle of a sheet's cells at once, so one value at
XFD1048576 in a small .xlsb makes it ask for 549 GB and abort the process. The large-sheet cases run
`fanpin check` under a 2 GB address-space limit, as tests/test_readers_hostile.py does for .xlsx.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from unittest import mock

import pytest
import python_calamine
from hypothesis import given, settings
from hypothesis import strategies as st

from fanpin_docs.errors import InputError
from fanpin_docs.readers import opening, xlsbscan
from fanpin_docs.readers.opening import scan_xlsx
from fanpin_docs.readers.workbook import open_workbook
from helpers import ROSTER_HEADER, roster_row
from test_readers_hostile import HEAD, SPOUSE, run_limited
from xlsb_support import cell, record, row_header, sheet_stream, write_xlsb

ROWS = [
    ROSTER_HEADER,
    roster_row("001", "张三", HEAD, "户主", size=2),
    roster_row("001", "李四", SPOUSE, "配偶"),
]


def roster(path: Path, *extra: bytes) -> Path:
    return write_xlsb(path, {"名单": sheet_stream(ROWS, extra)})


def test_the_reader_reads_the_written_xlsb(tmp_path: Path) -> None:
    path = roster(tmp_path / "名单.xlsb")
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["名单"]
    rows = book.get_sheet_by_name("名单").to_python()
    assert rows[0] == ROSTER_HEADER and rows[1][5] == "张三" and rows[2][6] == SPOUSE
    assert rows[1][8] == 2.0
    scan = scan_xlsx(path)["名单"]
    assert (scan.rows, scan.columns) == (3, len(ROSTER_HEADER))


def test_an_ordinary_xlsb_roster_is_checked(tmp_path: Path) -> None:
    path = roster(tmp_path / "名单.xlsb")
    result, _ = run_limited("check", "--roster", path, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "没有发现问题（1 条记录）" in result.stdout


@pytest.mark.parametrize(
    ("row", "column", "corner"),
    [(1048575, 16383, "XFD1048576"), (99999, 701, "ZZ100000"), (1048576, 16383, "XFD1048577")],
)
def test_a_value_far_away_is_refused_before_reading(
    tmp_path: Path, row: int, column: int, corner: str
) -> None:
    path = roster(tmp_path / "名单.xlsb", row_header(row), cell(column, "x"))
    result, seconds = run_limited("check", "--roster", path, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"一直延伸到 {corner} 单元格" in result.stdout and "删除" in result.stdout
    assert "Traceback" not in result.stderr + result.stdout and "程序内部错误" not in result.stdout
    assert seconds < 30


def test_an_xlsb_under_an_xls_name_is_bounded_too(tmp_path: Path) -> None:
    """The reader recognises the content of a file not named for it: the scan goes by content as well."""
    path = roster(tmp_path / "名单.xls", row_header(1048575), cell(16383, "x"))
    result, _ = run_limited("check", "--roster", path, cwd=tmp_path)
    assert result.returncode == 1 and "一直延伸到 XFD1048576 单元格" in result.stdout, result.stdout


def test_a_column_beyond_the_sheet_is_refused(tmp_path: Path) -> None:
    """The reader takes any 32-bit column number."""
    path = roster(tmp_path / "名单.xlsb", row_header(2), cell(0xFFFF_FFF0, 1))
    with pytest.raises(InputError) as caught:
        open_workbook(path)
    assert "数据区域太大" in caught.value.problems[0].message
    assert caught.value.problems[0].sheet == "名单"


def test_a_formula_result_far_away_counts(tmp_path: Path) -> None:
    formula = record(0x0009, struct.pack("<IIdH", 16383, 0, 3.0, 0) + struct.pack("<I", 0))  # BrtFmlaNum
    path = roster(tmp_path / "名单.xlsb", row_header(1048575), formula)
    with pytest.raises(InputError) as caught:
        scan_xlsx(path)
    assert "一直延伸到 XFD1048576 单元格" in caught.value.problems[0].message


def test_blank_cells_and_the_declared_extent_do_not_count(tmp_path: Path) -> None:
    """Formatting alone (BrtCellBlank) and a BrtWsDim of the whole sheet allocate nothing in the reader."""
    blank = record(0x0001, struct.pack("<II", 16383, 0))
    stream = sheet_stream(ROWS, [row_header(1048575), blank]).replace(
        record(0x0094, struct.pack("<IIII", 0, 2, 0, len(ROSTER_HEADER) - 1)),
        record(0x0094, struct.pack("<IIII", 0, 1048575, 0, 16383)),
    )
    path = write_xlsb(tmp_path / "名单.xlsb", {"名单": stream})
    scan = scan_xlsx(path)["名单"]
    assert (scan.rows, scan.columns) == (3, len(ROSTER_HEADER))
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("名单")
    assert sheet.end == (2, len(ROSTER_HEADER) - 1)
    assert open_workbook(path)["名单"][1][5] == "张三"


def test_cells_after_a_row_beyond_the_sheet_are_not_read(tmp_path: Path) -> None:
    """The reader stops at a row number past the last one; the scan stops with it."""
    path = roster(tmp_path / "名单.xlsb", row_header(0x10_0001), cell(16383, "x"))
    assert (scan_xlsx(path)["名单"].columns, len(open_workbook(path)["名单"])) == (len(ROSTER_HEADER), 3)


def test_every_sheet_is_bounded(tmp_path: Path) -> None:
    far = sheet_stream([["备注"]], [row_header(1048575), cell(16383, "x")])
    path = write_xlsb(tmp_path / "名单.xlsb", {"名单": sheet_stream(ROWS), "说明": far})
    with pytest.raises(InputError) as caught:
        open_workbook(path)
    assert caught.value.problems[0].sheet == "说明"


def _damaged(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        scan_xlsx(path)
    return caught.value.problems[0].message


@pytest.mark.parametrize(
    "stream",
    [
        sheet_stream(ROWS)[:-10],  # cut off inside the last records
        record(0x0081) + record(0x0094, bytes(4)) + record(0x0091) + record(0x0092),  # BrtWsDim too short
        sheet_stream(ROWS, [row_header(3), record(0x0007, struct.pack("<III", 0, 0, 99))]),  # no string 99
        sheet_stream(ROWS, [row_header(3), record(0x0005, struct.pack("<II", 0, 0))]),  # a number cut short
    ],
    ids=["cut", "short-dimension", "missing-shared-string", "short-cell"],
)
def test_a_damaged_record_stream_is_a_damaged_file(tmp_path: Path, stream: bytes) -> None:
    path = write_xlsb(tmp_path / "名单.xlsb", {"名单": stream})
    assert _damaged(path).startswith("文件已损坏")


def test_a_sheet_without_its_relationship_is_a_damaged_file(tmp_path: Path) -> None:
    """The reader looks the relationship up without a fallback and panics (a Python traceback)."""
    rels = b'<?xml version="1.0"?><Relationships></Relationships>'
    path = write_xlsb(tmp_path / "名单.xlsb", ROWS, parts={"xl/_rels/workbook.bin.rels": rels})
    assert _damaged(path).startswith("文件已损坏")
    result, _ = run_limited("check", "--roster", path, cwd=tmp_path)
    assert result.returncode == 1 and "文件已损坏" in result.stdout
    assert "Traceback" not in result.stderr + result.stdout and "panicked" not in result.stderr


def test_a_part_the_reader_stops_on_is_a_damaged_file(tmp_path: Path) -> None:
    """A styles part cut short makes the reader's Rust code panic (a Python traceback before): told as
    a damaged file, like the record streams the scan checks."""
    styles = record(0x0269, b"")  # BrtBeginCellXFs without its count
    path = write_xlsb(tmp_path / "名单.xlsb", ROWS, parts={"xl/styles.bin": styles})
    result, _ = run_limited("check", "--roster", path, cwd=tmp_path)
    assert result.returncode == 1 and "文件已损坏" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout and "程序内部错误" not in result.stdout


def test_a_part_inflating_beyond_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsbscan, "MAX_ENTRY_BYTES", 64 * 1024)
    monkeypatch.setattr(opening, "MAX_ENTRY_BYTES", 64 * 1024)
    many = [row_header(number) + cell(0, "x" * 40) for number in range(3, 2000)]
    path = roster(tmp_path / "名单.xlsb", *many)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.bin").file_size > 64 * 1024
    with pytest.raises(InputError) as caught:
        scan_xlsx(path)
    assert "xl/worksheets/sheet1.bin" in caught.value.problems[0].message
    assert "解压后超过" in caught.value.problems[0].message


def test_parts_found_as_the_reader_finds_them(tmp_path: Path) -> None:
    """The reader opens parts ignoring the case of their names (the last of equal names): so does the
    scan, and both see the same cells."""
    other = sheet_stream(ROWS, [row_header(49), cell(39, "x")])
    path = write_xlsb(
        tmp_path / "名单.xlsb", {"名单": sheet_stream(ROWS)}, parts={"XL/Worksheets/Sheet1.bin": other}
    )
    with zipfile.ZipFile(path) as archive:
        assert {"xl/worksheets/sheet1.bin", "XL/Worksheets/Sheet1.bin"} <= set(archive.namelist())
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("名单")
    assert sheet.end == (49, 39)
    scan = scan_xlsx(path)["名单"]
    assert (scan.rows, scan.columns) == (50, 40)


CELLS = {
    "text": lambda column: cell(column, "字"),
    "long text": lambda column: cell(column, "长" * 300),  # longer than a small chunk
    "number": lambda column: cell(column, 1.5),
    "blank": lambda column: record(0x0001, struct.pack("<II", column, 0)),
    "bool": lambda column: record(0x0004, struct.pack("<IIB", column, 0, 1)),
}
placed = st.tuples(st.integers(0, 30), st.integers(0, 200), st.sampled_from(sorted(CELLS)))


@settings(max_examples=40, deadline=None)
@given(st.lists(placed, max_size=12), st.integers(1, 64))
def test_the_bound_is_what_the_reader_allocates(
    tmp_path_factory: pytest.TempPathFactory, cells: list, chunk: int
) -> None:
    """Cells in any order, rows repeated or out of order, the part inflated in chunks of any size
    (records cut between chunks): the scan's extent is the reader's end + 1."""
    extra = [row_header(row) + CELLS[kind](column) for row, column, kind in cells]
    path = Path(tmp_path_factory.mktemp("xlsb")) / "表.xlsb"
    write_xlsb(path, {"表": sheet_stream([], extra)})
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    reader = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end is not None else (0, 0)
    with mock.patch.object(xlsbscan, "CHUNK", chunk):
        scan = scan_xlsx(path)["表"]
    assert (scan.rows, scan.columns) == reader
