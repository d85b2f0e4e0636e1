"""Reading a table from a user's workbook: its sheet and header (`headers`), then its rows keyed by column.

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
from .headers import (
    Column,
    find_header,
    hidden_notes,
    hidden_problem,
    hidden_with_header,
    locate_sheet,
    missing_columns_problem,
    other_headers,
    repeated_groups,
    sub_header,
    unread_problem,
    wan_problem,
)
from .sources import Cell, RawRow, Sheets, open_workbook

__all__ = ["Cell", "Column", "RawRow", "Sheets", "hidden_notes", "open_workbook"]


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
    # headers of the header row that name no column of this table, as written (to name a look-alike)
    other_headers: tuple[str, ...] = ()
    # warnings about the workbook met while finding this table (a hidden sheet that holds one too)
    notes: list[Problem] = field(default_factory=list, repr=False, compare=False)
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


def read_table(
    path: Path,
    columns: Sequence[Column],
    *,
    sheet_names: Sequence[str] | None = None,
    sheets: dict[str, list[RawRow]] | None = None,
) -> Table:
    """Find the header row and return the data rows keyed by canonical column name.

    Raises InputError for an empty sheet, a missing required column, a duplicated header, a column in
    万元, or a table found on hidden sheets only (one also on a hidden sheet is noted in `Table.notes`).
    """
    display = path.name
    sheets = open_workbook(path) if sheets is None else sheets
    hidden = hidden_with_header(sheets, columns)
    if hidden and not any(find_header(rows, columns)[0] is not None for rows in sheets.values()):
        raise InputError([hidden_problem(display, name, "error") for name in hidden])
    table = _read_sheet(display, sheets, columns, sheet_names)
    table.notes.extend(hidden_problem(display, name, "warning") for name in hidden)
    return table


def _read_sheet(
    display: str,
    sheets: dict[str, list[RawRow]],
    columns: Sequence[Column],
    sheet_names: Sequence[str] | None,
) -> Table:
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
    header_index, mapping, _ = find_header(rows, columns)
    if header_index is None:
        raise InputError([missing_columns_problem(display, sheet_name, rows, columns)])

    problems: list[Problem] = []
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    wan = {key for column in columns for key in column.wan_keys()}
    for col_index, column in sorted(mapping.items()):
        written = normalize_text(rows[header_index][col_index])
        if header_key(written) in wan:
            problems.append(wan_problem(display, sheet_name, header_index + 1, written, column))
        elif column.name in positions:
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
    if repeated := repeated_groups(display, sheet_name, rows, first_data, columns, positions):
        raise InputError([repeated])
    below = sub_header(rows, first_data, columns, positions)
    if below:  # a two-row header: group titles (收入情况) above, the column names under them
        for col_index, column in below.items():
            written = normalize_text(rows[first_data][col_index])
            if header_key(written) in wan:
                problems.append(wan_problem(display, sheet_name, first_data + 1, written, column))
            headers[column.name] = written
            positions[column.name] = col_index
        first_data += 1
    if problems:
        raise InputError(problems)

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
    others = other_headers(rows, header_index, first_data, positions)
    return Table(display, sheet_name, header_index + 1, headers, data, letters, others)


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


def read_tables(
    path: Path,
    columns: Sequence[Column],
    *,
    sheet_names: Sequence[str] | None = None,
    sheets: dict[str, list[RawRow]] | None = None,
) -> list[Table]:
    """Every visible sheet of the workbook that holds this table (an export split one sheet per
    village); just the named sheet when one of `sheet_names` exists. The first table's `notes` name
    the hidden sheets that hold it too."""
    sheets = open_workbook(path) if sheets is None else sheets
    named = {header_key(w) for w in sheet_names or ()}
    if any(header_key(name) in named for name in sheets):
        table = read_table(path, columns, sheet_names=sheet_names, sheets=sheets)
        table.notes.extend(
            unread_problem(path.name, name, table.sheet)
            for name, rows in sheets.items()
            if name != table.sheet and find_header(rows, columns)[0] is not None
        )
        return [table]
    matching = [name for name, rows in sheets.items() if find_header(rows, columns)[0] is not None]
    if len(matching) <= 1:
        return [read_table(path, columns, sheet_names=sheet_names, sheets=sheets)]
    tables = [read_table(path, columns, sheets={name: sheets[name]}) for name in matching]
    tables[0].notes.extend(hidden_notes(path.name, sheets, columns))
    return tables


def blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
