"""Reading a sheet of a user's workbook: open the file, find the header row, map headers to columns.

Values come through python-calamine (fast; text stays text, numbers arrive as float, dates as
date/datetime); `sources` opens the file. Every problem is collected, never raised one at a time
(`rows.RowReader` records them); the readers raise one `InputError` per file with all of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from ..cellrefs import column_letters
from ..errors import InputError, Problem
from ..masking import mask_value
from ..text import header_key, normalize_text
from .sources import Cell, RawRow, open_workbook

__all__ = ["Cell", "RawRow", "open_workbook"]

HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Column:
    """A column the reader understands: its canonical header and the aliases users write instead."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    is_id: bool = False

    def keys(self) -> set[str]:
        keys = {header_key(self.name)}
        for alias in self.aliases:
            keys.add(header_key(alias))
        # "工资性收入（元）" and "工资性收入(元)" are the same column as "工资性收入"
        keys |= {k + "(元)" for k in list(keys)}
        return keys


class RowValues(Mapping[str, Cell]):
    """One data row's cells by canonical column name, stored compactly (a 100,000-row export holds
    100,000 of these: a shared name→position index and a tuple, not a dict per row)."""

    __slots__ = ("cells", "index")

    def __init__(self, index: dict[str, int], cells: tuple[Cell, ...]) -> None:
        self.index = index  # shared by every row of the table
        self.cells = cells

    def __getitem__(self, column: str) -> Cell:
        return self.cells[self.index[column]]

    def get(self, column: str, default: Cell = None) -> Cell:
        """As Mapping.get, without its try/except."""
        position = self.index.get(column)
        return default if position is None else self.cells[position]

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)


@dataclass
class Table:
    """One sheet after its header row was found: rows as {canonical name: raw value}."""

    file: str
    sheet: str
    header_row: int
    headers: dict[str, str]  # canonical name → header as written in the sheet
    rows: list[tuple[int, RowValues]]  # (Excel row number, values by canonical name)
    column_letters: dict[str, str] = field(default_factory=dict)
    masked_columns: set[str] = field(default_factory=set)  # ID columns exported masked, reported once
    # a printable text cell → its normal form (`normalize_text`), filled as the rows are read
    texts: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # a positive number cell → its amount in yuan (`RowReader.money`), filled as the rows are read
    amounts: dict[float | int, Decimal] = field(default_factory=dict, repr=False, compare=False)
    # a positive number cell → its Decimal (`RowReader.decimal`), filled as the rows are read
    numbers: dict[float, Decimal] = field(default_factory=dict, repr=False, compare=False)
    # a printable text cell → its free-text form (`normalize_prose`), filled as the rows are read
    proses: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # month_only_ok → a printable text cell → the date it names (`RowReader.date`), filled as rows are read
    dates: dict[bool, dict[str, date]] = field(
        default_factory=lambda: {True: {}, False: {}}, repr=False, compare=False
    )

    def has(self, name: str) -> bool:
        return name in self.headers

    def problem(
        self,
        message: str,
        *,
        hint: str = "",
        row: int | None = None,
        column: str | None = None,
        value: Cell = None,
        severity: str = "error",
        household: str | None = None,
    ) -> Problem:
        return Problem(
            self.file,
            message,
            hint=hint,
            sheet=self.sheet,
            row=row,
            column=self.headers.get(column, column) if column else None,
            value=None if value is None else mask_value(value, column in ID_COLUMNS),
            severity=severity,
            household=household,
        )


ID_COLUMNS = {"证件号码", "户主证件号码", "银行卡号"}


def locate_sheet(
    sheets: dict[str, list[RawRow]], file: str, wanted: Sequence[str] | None, columns: Sequence[Column]
) -> tuple[str, list[RawRow]]:
    """The sheet to read: one of the `wanted` names if present, else the first sheet with the required headers."""
    if wanted:
        keys = {header_key(w): w for w in wanted}
        for name, rows in sheets.items():
            if header_key(name) in keys:
                return name, rows
    for name, rows in sheets.items():
        if _find_header(rows, columns)[0] is not None:
            return name, rows
    if not sheets:
        raise InputError([Problem(file, "工作簿里没有工作表", hint="检查文件是否正确")])
    first = next(iter(sheets))
    return first, sheets[first]


def _find_header(rows: list[RawRow], columns: Sequence[Column]) -> tuple[int | None, dict[int, Column], int]:
    """(row index of the header, {column index: Column}, best number of required columns seen)."""
    required = [c for c in columns if c.required]
    lookup = {key: column for column in columns for key in column.keys()}  # noqa: SIM118 (Column.keys is not a dict)
    best = -1
    best_index: int | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[int, Column] = {}
        for col_index, cell in enumerate(row):
            column = lookup.get(header_key(cell))
            if column is not None:
                found[col_index] = column
        names = {c.name for c in found.values()}
        hits = sum(1 for c in required if c.name in names)
        if hits == len(required) and found:
            return index, found, hits
        if hits > best:
            best, best_index = hits, index
    return None, {}, best if best_index is not None else 0


def read_table(
    path: Path,
    columns: Sequence[Column],
    *,
    sheet_names: Sequence[str] | None = None,
    sheets: dict[str, list[RawRow]] | None = None,
) -> Table:
    """Find the header row and return the data rows keyed by canonical column name.

    Raises InputError for an empty sheet, a missing required column or a duplicated header.
    """
    display = path.name
    sheets = open_workbook(path) if sheets is None else sheets
    sheet_name, rows = locate_sheet(sheets, display, sheet_names, columns)
    if not any(any(normalize_text(c) for c in row) for row in rows):
        raise InputError(
            [
                Problem(
                    display,
                    "工作表是空的，没有任何数据",
                    sheet=sheet_name,
                    hint="确认选择了正确的文件，或把数据粘贴到第一个工作表",
                )
            ]
        )
    header_index, mapping, _ = _find_header(rows, columns)
    if header_index is None:
        raise InputError([_missing_columns_problem(display, sheet_name, rows, columns)])

    problems: list[Problem] = []
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    for col_index, column in sorted(mapping.items()):
        written = normalize_text(rows[header_index][col_index])
        if column.name in positions:
            problems.append(
                Problem(
                    display,
                    f"表头「{written}」与「{headers[column.name]}」是同一列（{column.name}），重复出现",
                    sheet=sheet_name,
                    row=header_index + 1,
                    column=written,
                    hint="删除或改名其中一列，只保留一列",
                )
            )
            continue
        headers[column.name] = written
        positions[column.name] = col_index
    if problems:
        raise InputError(problems)

    first_data = header_index + 1
    below = _sub_header(rows, first_data, columns, positions)
    if below:  # a two-row header: group titles (收入情况) above, the column names under them
        for col_index, column in below.items():
            headers[column.name] = normalize_text(rows[first_data][col_index])
            positions[column.name] = col_index
        first_data += 1

    data: list[tuple[int, RowValues]] = []
    index_of = {name: number for number, name in enumerate(positions)}
    wanted = tuple(positions.values())
    # a row as wide as the header: one C call picks its cells; a shorter row is padded with ""
    pick = itemgetter(*wanted) if len(wanted) > 1 else None
    full_width = max(wanted, default=0) + 1
    for index in range(first_data, len(rows)):
        row = rows[index]
        width = len(row)
        if pick is not None and width >= full_width:
            cells = pick(row)
        else:
            cells = tuple(row[pos] if pos < width else "" for pos in wanted)
        first = row[0] if width else None
        if type(first) is str and first and first.isascii() and not first.isspace() and not blank(cells[0]):
            pass  # ASCII text first (a 户编号) starts no footer word, and the row has a value: most rows
        elif all(blank(v) for v in cells) or _is_footer(row):
            continue
        data.append((index + 1, RowValues(index_of, cells)))
    letters = {name: column_letters(pos + 1) for name, pos in positions.items()}
    return Table(display, sheet_name, header_index + 1, headers, data, letters)


FOOTER_WORDS = (
    "合计",
    "总计",
    "小计",
    "制表人",
    "填表人",
    "审核人",
    "负责人",
    "填报单位",
    "填表日期",
    "制表日期",
)


def _is_footer(row: RawRow) -> bool:
    """A 合计 row or a signature line under the table: its first filled cell starts with such a word."""
    first = next((normalize_text(cell) for cell in row if not blank(cell)), "")
    return first.replace(" ", "").startswith(FOOTER_WORDS)


def _sub_header(
    rows: list[RawRow], index: int, columns: Sequence[Column], positions: dict[str, int]
) -> dict[int, Column]:
    """Columns named in the row under the header that the header row itself does not name; empty
    when that row is data."""
    if index >= len(rows):
        return {}
    lookup = {key: column for column in columns for key in column.keys()}  # noqa: SIM118 (Column.keys is not a dict)
    found: dict[int, Column] = {}
    for col_index, cell in enumerate(rows[index]):
        column = lookup.get(header_key(cell))
        if column is not None and column.name not in positions and col_index not in positions.values():
            found[col_index] = column
    taken = {c.name for c in found.values()}
    return found if len(taken) == len(found) else {}


def read_tables(
    path: Path, columns: Sequence[Column], *, sheet_names: Sequence[str] | None = None
) -> list[Table]:
    """Every sheet of the workbook that holds this table (an export split one sheet per village);
    just the named sheet when one of `sheet_names` exists."""
    sheets = open_workbook(path)
    named = {header_key(w) for w in sheet_names or ()}
    if any(header_key(name) in named for name in sheets):
        return [read_table(path, columns, sheet_names=sheet_names, sheets=sheets)]
    matching = [name for name, rows in sheets.items() if _find_header(rows, columns)[0] is not None]
    if len(matching) <= 1:
        return [read_table(path, columns, sheet_names=sheet_names, sheets=sheets)]
    return [read_table(path, columns, sheets={name: sheets[name]}) for name in matching]


def _missing_columns_problem(
    display: str, sheet: str, rows: list[RawRow], columns: Sequence[Column]
) -> Problem:
    lookup = {key: column for column in columns for key in column.keys()}  # noqa: SIM118 (Column.keys is not a dict)
    best_row, best_names = 0, set[str]()
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {lookup[header_key(c)].name for c in row if header_key(c) in lookup}
        if len(names) > len(best_names):
            best_row, best_names = index, names
    missing = [c for c in columns if c.required and c.name not in best_names]
    described = "、".join(
        f"「{c.name}」" + (f"（也可写作 {'、'.join(c.aliases)}）" if c.aliases else "") for c in missing
    )
    return Problem(
        display,
        f"找不到必需的列 {described}",
        sheet=sheet,
        row=best_row + 1 if best_names else None,
        hint="在表头行加上这些列（列名可用括号里的别名），表头之上可以有标题行",
    )


def blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
