"""Opening a user's file as sheets of rows: workbooks through python-calamine, CSV, and the web pages
and tab-separated texts some systems export under an .xls name.

The file's content decides how it is read (`opening.sniff`), not its extension. Every sheet is
bounded before it is read (`opening.scan_xlsx`), merged ranges are filled only inside the data
area, and formulas saved without their result are computed or marked (`formulas`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import python_calamine

from ..errors import InputError, Problem
from . import kept
from .bounds import MAX_CELLS, SHARED_TEXT_CELLS, SheetScan, damaged_content, texts_kept_once
from .formulas import fill_errors, fill_formulas
from .odsscan import scan_ods
from .opening import refuse_unreadable, scan_and_read_xlsx, sniff
from .xlsscan import scan_xls

if TYPE_CHECKING:
    from .pieces import ReadSheet

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
HEADER_ROWS = 30  # a text file is taken for a table when one of its first rows has two cells or more

Cell = object
RawRow = Sequence[Cell]
Range = tuple[tuple[int, int], tuple[int, int]]
HIDDEN_ROWS = 30  # of a hidden sheet only its first rows are kept: enough to tell whose header it has


class Sheets(dict[str, list[RawRow]]):
    """A workbook's visible sheets by name, in order; `hidden` holds the first rows of its hidden (and
    very hidden) sheets, which are never read as data, only named when they hold a table."""

    def __init__(self, sheets: dict[str, list[RawRow]] | None = None) -> None:
        super().__init__(sheets or {})
        self.hidden: dict[str, list[RawRow]] = {}

    def picked(self, names: set[str]) -> Sheets:
        """The visible sheets named in `names`, with the hidden ones of those names."""
        chosen = Sheets({k: v for k, v in self.items() if k in names})
        chosen.hidden = {k: v for k, v in self.hidden.items() if k in names}
        return chosen

    def apart(self, name: str) -> tuple[Sheets, Sheets]:
        """(the sheet called `name` — 培训班, 到户明细 — and the others), hidden ones included in each."""
        named = {k for k in [*self, *self.hidden] if k.strip() == name}
        return self.picked(named), self.picked({k for k in [*self, *self.hidden] if k not in named})


def hidden_sheets(sheets: dict[str, list[RawRow]]) -> dict[str, list[RawRow]]:
    """The hidden sheets of a workbook `open_workbook` gave (none for a plain dict of sheets)."""
    return sheets.hidden if isinstance(sheets, Sheets) else {}


def open_workbook(path: Path, *, keep_for_reading: bool = False) -> Sheets:
    """All visible sheets of a workbook (or the one table of a CSV file or web page) as lists of rows
    from A1; the hidden ones apart (`Sheets.hidden`).

    Inside `kept.keeping_opened()`, a file opened with `keep_for_reading` (to find out what it is)
    is kept for its reading, which then takes it from memory.
    """
    opened = kept.take(path)
    if opened is not None:
        return opened if isinstance(opened, Sheets) else Sheets(opened)
    sheets = _open_workbook(path)
    if keep_for_reading:
        kept.keep(path, sheets)
    return sheets


def _open_workbook(path: Path) -> Sheets:
    display = path.name
    if not path.exists():
        raise InputError([Problem(display, "文件不存在", hint=f"检查路径 {path}")])
    if path.is_dir():
        raise InputError([Problem(display, "这是一个文件夹，不是工作簿", hint="给出 .xlsx 文件的路径")])
    suffix = path.suffix.lower()
    if suffix != ".csv" and suffix not in EXCEL_SUFFIXES:
        raise InputError(
            [
                Problem(
                    display,
                    f"不支持的文件类型「{path.suffix or '无扩展名'}」",
                    hint="在 Excel 或 WPS 中另存为「Excel 工作簿 (.xlsx)」后再使用",
                )
            ]
        )
    try:
        content = sniff(path)
    except OSError:
        raise InputError(
            [Problem(display, "文件无法打开", hint="确认文件没有被其他程序占用、有读取权限")]
        ) from None
    if suffix == ".csv":
        return Sheets({path.stem: _read_csv(path)})
    if content == "text":  # a tab- or comma-separated export saved under an Excel name
        rows = _read_csv(path, sniff_delimiter=True)
        if not any(len(row) > 1 for row in rows[:HEADER_ROWS]):
            refuse_unreadable(path, content)
        return Sheets({path.stem: rows})
    if content == "html":
        return Sheets({path.stem: _read_html(path)})
    if content not in ("zip", "ole"):
        refuse_unreadable(path, content)
    scans, read = scan_and_read_xlsx(path) if content == "zip" else (scan_xls(path), {})
    if content == "zip":
        for name, scan in scan_ods(path).items():
            if scan.rows * scan.columns > MAX_CELLS:
                raise InputError([_too_large(display, name, scan.rows, scan.columns)])
            scans[name] = scan
    return _read_with_calamine(path, content, scans, read)


def _read_with_calamine(
    path: Path, content: str, scans: dict[str, SheetScan], read: dict[str, ReadSheet]
) -> Sheets:
    """Every sheet's rows, with its formulas, error values and merged ranges filled in; a sheet read
    in pieces as it was scanned (`read`) is taken from there."""
    display = path.name
    try:
        if content == "zip" and path.suffix.lower() in {".xlsx", ".xlsm", ".xlsb", ".ods"}:
            book = python_calamine.CalamineWorkbook.from_path(str(path))
        else:  # the content is not what the extension says: let the reader recognise it
            with path.open("rb") as handle:
                book = python_calamine.CalamineWorkbook.from_filelike(handle)
        sheets = Sheets()
        hidden = _hidden_names(book)
        rows: list[RawRow]
        merged: Sequence[Range]
        for name in book.sheet_names:
            if name in read and name not in hidden:
                taken = read.pop(name)  # its rows are held once: here, then in the sheets
                rows, merged = taken.rows, taken.merged
            else:
                sheet = book.get_sheet_by_name(name)
                if content != "zip" and sheet.height * sheet.width > MAX_CELLS:
                    raise InputError([_too_large(display, name, sheet.height, sheet.width)])
                if name in hidden:
                    sheets.hidden[name] = list(sheet.to_python(skip_empty_area=False, nrows=HIDDEN_ROWS))
                    continue
                rows, merged = _sheet_rows(sheet), sheet.merged_cell_ranges or ()
            scan = scans.get(name)
            if scan is not None and (scan.formulas or scan.errors):
                editable: list[list[Cell]] = [list(row) for row in rows]
                fill_errors(editable, scan.errors)
                fill_formulas(editable, scan.formulas)
                rows = list(editable)
            sheets[name] = fill_merged(rows, merged)
    except python_calamine.PasswordError:
        raise InputError(
            [Problem(display, "工作簿设置了密码，无法读取", hint="取消密码保护后另存再使用")]
        ) from None
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise InputError(
            [
                Problem(
                    display,
                    f"文件无法作为工作簿读取（{type(exc).__name__}）",
                    hint="用 Excel/WPS 打开确认文件未损坏，再另存为「Excel 工作簿 (.xlsx)」",
                )
            ]
        ) from None
    except BaseException as exc:  # the reader's Rust code stopped on a part it does not check
        if type(exc).__name__ != "PanicException":  # pyo3's, not an Exception: Ctrl-C and the rest go on
            raise
        raise InputError([damaged_content(display)]) from None
    return sheets


def _hidden_names(book: python_calamine.CalamineWorkbook) -> set[str]:
    """The sheets hidden in Excel (hidden or very hidden): a user does not see them, so never reads them."""
    visible = python_calamine.SheetVisibleEnum.Visible
    return {meta.name for meta in book.sheets_metadata if meta.visible != visible}


def _sheet_rows(sheet: python_calamine.CalamineSheet) -> list[RawRow]:
    """The sheet's rows from A1, as `to_python(skip_empty_area=False)` gives them.

    A large sheet is taken row by row with each repeated text kept once: an export repeats its
    county, villages, relations and categories on every row, and one copy of each (instead of a
    Python string per cell) is about a third less memory while the reader's own copy is still held.
    """
    if sheet.start is None or sheet.end is None or sheet.height * sheet.width < SHARED_TEXT_CELLS:
        return list(sheet.to_python(skip_empty_area=False))
    rows: list[RawRow] = list(texts_kept_once(sheet.iter_rows(), {}))
    if sheet.start[1]:  # the data area's rows start at its first column
        pad: list[Cell] = [""] * sheet.start[1]
        rows = [[*pad, *row] for row in rows]
    if len(rows) != sheet.end[0] + 1 or len(rows[-1]) != sheet.end[1] + 1:
        return list(sheet.to_python(skip_empty_area=False))  # laid out otherwise: read it as a whole
    return rows


def _too_large(display: str, sheet: str, height: int, width: int) -> Problem:
    return Problem(
        display,
        f"数据区域太大（{height} 行 × {width} 列），超过可读取的上限 {MAX_CELLS // 10000} 万个单元格",
        sheet=sheet,
        hint="删除表格下方和右侧多余的行、列后另存为「Excel 工作簿 (.xlsx)」再使用",
    )


def fill_merged(rows: Sequence[Sequence[Cell]], ranges: Sequence[Range]) -> list[RawRow]:
    """Give every cell of a merged range the value of its top-left cell, as a reader sees it: a 户编号
    merged down a household's rows belongs to each of them, a header merged over two rows names both.

    Only the data area is filled: a range reaching beyond the last row or column that holds a value
    (A1228:XFD1048576, a column merged to the bottom of the sheet) stops there.
    """
    if not ranges:
        return list(rows)
    grid: list[list[Cell]] = [list(row) for row in rows]
    height = len(grid)
    width = max((len(row) for row in grid), default=0)
    for (top, left), (bottom, right) in ranges:
        if top >= height or left >= len(grid[top]):
            continue
        value = grid[top][left]
        bottom, right = min(bottom, height - 1), min(right, width - 1)
        for row_index in range(top, bottom + 1):
            row = grid[row_index]
            if len(row) <= right:
                row.extend([""] * (right + 1 - len(row)))
            for column in range(left, right + 1):
                if (row_index, column) != (top, left):
                    row[column] = value
    return list(grid)


def _read_csv(path: Path, *, sniff_delimiter: bool = False) -> list[RawRow]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(
            [Problem(path.name, "CSV 文件编码无法识别", hint="另存为 UTF-8 编码的 CSV 或 .xlsx")]
        )
    delimiter = ","
    if sniff_delimiter:  # a text export saved as .xls is usually tab-separated
        first = text.split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") >= first.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


class _TableParser(HTMLParser):
    """The rows of the first <table> of a web page, each cell as its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.depth = 0
        self.done = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "table":
            self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self.rows.append([])
        elif self.depth == 1 and tag in ("td", "th") and self.rows:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag == "table":
            self.depth -= 1
            self.done = self.depth == 0 and bool(self.rows)
        elif tag in ("td", "th") and self.cell is not None and self.rows:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _read_html(path: Path) -> list[RawRow]:
    """A web page saved as .xls (some systems export their list this way): the first table's text."""
    raw = path.read_bytes()
    head = raw[:2048].lower()
    encodings = ("gb18030", "utf-8") if b"gb2312" in head or b"gbk" in head else ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("utf-8", "replace")
    parser = _TableParser()
    parser.feed(text)
    if not parser.rows:
        raise InputError(
            [
                Problem(
                    path.name,
                    f"这个文件其实是网页（只是扩展名为 {path.suffix}），里面没有表格",
                    hint="用 Excel/WPS 打开后另存为「Excel 工作簿 (.xlsx)」再使用",
                )
            ]
        )
    return list(parser.rows)
