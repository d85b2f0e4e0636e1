"""What a workbook may hold before the cell reader is given it: the limits, how far a sheet reaches
(`SheetScan`, worked out by `sheetscan` for .xlsx and `xlsbscan` for .xlsb), and the problems that
refuse a file beyond them."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..cellrefs import column_letters
from ..errors import InputError, Problem

MAX_ENTRY_BYTES = 512 * 1024 * 1024  # one part of a workbook, inflated
MAX_CELLS = 8_000_000  # rows × columns of one sheet's data area
CHUNK = 1024 * 1024  # inflated at a time
SHARED_TEXT_CELLS = 1_500_000  # from this many cells a sheet's repeated texts are kept once
MAX_ERROR_CELLS = 100_000  # cells holding an error value (#N/A …) noted in one sheet; more refuse the file


@dataclass
class SheetScan:
    """How far a sheet's cells with a value reach, its formulas stored without a result, and its cells
    holding an error value (#N/A, #DIV/0!: python-calamine reads those as empty)."""

    rows: int = 0  # the last row with a cell, 1-based
    columns: int = 0  # the last column with a cell, 1-based
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) 0-based → formula
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) 0-based → #N/A …
    row_at: int = 1  # where the reader is: the row a cell without a reference goes in, 1-based
    column_at: int = 0  # and the column of the last cell placed since the last row ended (0: none)
    inside_markup: bytes = b""  # the end of a comment, CDATA section or instruction the last chunk ended in
    # the last row a reference the fast search passed over may be on (`sheetscan.ceiling`; 0: none was),
    # in the last chunk scanned and in any chunk so far
    passed_over: int = 0
    passed_over_anywhere: int = 0
    # the last chunk's last row or cell tag is cut by the chunk's end: the chunk was cut at a "</row>"
    # inside an attribute's value (XML allows no "<" there), where the reader reads on in the same tag
    ends_inside_tag: bool = False

    @property
    def bound_rows(self) -> int:
        """The last row any cell of the chunks scanned so far may be on."""
        return max(self.rows, self.passed_over_anywhere)


def texts_kept_once(rows: Iterable[Sequence[object]], shared: dict[str, str]) -> list[list[object]]:
    """`rows` with each repeated text one string (`shared` holds them): an export repeats its county,
    villages, relations and categories down every row, and one copy of each is about a third less
    memory for a sheet of `SHARED_TEXT_CELLS` or more."""
    keep, text = shared.setdefault, str
    return [[keep(cell, cell) if type(cell) is text else cell for cell in row] for row in rows]


def inflated_size(archive: zipfile.ZipFile, name: str, display: str) -> int:
    """Inflate a part in chunks, counting: a zip header may understate the size."""
    total = 0
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            if total > MAX_ENTRY_BYTES:
                raise InputError([too_big(display, name, total)])
    return total


def damaged_content(display: str) -> Problem:
    """A workbook whose parts are there but cut short or inconsistent (the reader would stop on them)."""
    return Problem(
        display,
        "文件已损坏（工作簿内容不完整），无法作为工作簿读取",
        hint="用 Excel/WPS 打开确认文件未损坏，再另存为「Excel 工作簿 (.xlsx)」",
    )


def too_big(display: str, part: str, size: int) -> Problem:
    return Problem(
        display,
        f"工作簿中的「{part}」解压后超过 {MAX_ENTRY_BYTES // 1024 // 1024} MB"
        f"（至少 {size // 1024 // 1024} MB），不像正常的工作簿，没有读取",
        hint="用 Excel/WPS 打开后只保留需要的数据，另存为新的「Excel 工作簿 (.xlsx)」再使用",
    )


def too_many_errors(display: str, sheet: str) -> Problem:
    """A sheet with more cells holding an error value than are noted one by one (each would be refused)."""
    return Problem(
        display,
        f"工作表中显示错误值（#N/A、#DIV/0! 等）的单元格超过 {MAX_ERROR_CELLS:,} 个，没有读取",
        sheet=sheet or None,
        hint="在 Excel/WPS 中改正出错的公式（或改填数值），保存后再使用",
    )


def too_large_sheet(display: str, sheet: str, scan: SheetScan) -> Problem:
    corner = f"{column_letters(scan.columns)}{scan.rows}"
    return Problem(
        display,
        f"数据区域太大：一直延伸到 {corner} 单元格（{scan.rows} 行 × {scan.columns} 列），"
        f"超过可读取的上限 {MAX_CELLS // 10000} 万个单元格",
        sheet=sheet,
        hint="表格以外的远处单元格里有内容（常见于误输入或整列填充）："
        "在 Excel/WPS 中选中表格下方和右侧的多余行、列，删除后保存再使用",
    )
