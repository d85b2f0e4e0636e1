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
from .sources import Cell, RawRow, Sheets, hidden_sheets, open_workbook

__all__ = ["Cell", "RawRow", "Sheets", "open_workbook"]

HEADER_SEARCH_ROWS = 30
# a unit after a column's name that leaves it the same column: 工资性收入（元）, 工资性收入（元/年）, 工资性收入/元
YUAN_UNITS = ("(元)", "(元/年)", "(元/人)", "/元")
# a unit that does not: 工资性收入（万元） holds ten-thousands of yuan, never read as yuan
WAN_UNITS = ("(万元)", "(万元/年)", "(万元/人)", "/万元")


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
        # "工资性收入（元）", "工资性收入(元/年)" and "工资性收入/元" are the same column as "工资性收入"
        keys |= {k + unit for k in list(keys) for unit in YUAN_UNITS}
        return keys

    def wan_keys(self) -> set[str]:
        """The headers of this column written in 万元 (「工资性收入（万元）」): found, to be refused."""
        names = {header_key(self.name)} | {header_key(alias) for alias in self.aliases}
        return {name + unit for name in names for unit in WAN_UNITS}


def _lookup(columns: Sequence[Column]) -> dict[str, Column]:
    """Header key → the column it names, in yuan or in 万元 (refused once the header is found)."""
    lookup = {key: column for column in columns for key in column.wan_keys()}
    lookup.update({key: column for column in columns for key in column.keys()})  # noqa: SIM118 (Column.keys is not a dict)
    return lookup


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
    lookup = _lookup(columns)
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

    Raises InputError for an empty sheet, a missing required column, a duplicated header, a column in
    万元, or a table found on hidden sheets only (one also on a hidden sheet is noted in `Table.notes`).
    """
    display = path.name
    sheets = open_workbook(path) if sheets is None else sheets
    hidden = _hidden_with_header(sheets, columns)
    if hidden and not any(_find_header(rows, columns)[0] is not None for rows in sheets.values()):
        raise InputError([_hidden_problem(display, name, "error") for name in hidden])
    table = _read_sheet(display, sheets, columns, sheet_names)
    table.notes.extend(_hidden_problem(display, name, "warning") for name in hidden)
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
    header_index, mapping, _ = _find_header(rows, columns)
    if header_index is None:
        raise InputError([_missing_columns_problem(display, sheet_name, rows, columns)])

    problems: list[Problem] = []
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    wan = {key for column in columns for key in column.wan_keys()}
    for col_index, column in sorted(mapping.items()):
        written = normalize_text(rows[header_index][col_index])
        if header_key(written) in wan:
            problems.append(_wan_problem(display, sheet_name, header_index + 1, written, column))
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
    if repeated := _repeated_groups(display, sheet_name, rows, first_data, columns, positions):
        raise InputError([repeated])
    below = _sub_header(rows, first_data, columns, positions)
    if below:  # a two-row header: group titles (收入情况) above, the column names under them
        for col_index, column in below.items():
            written = normalize_text(rows[first_data][col_index])
            if header_key(written) in wan:
                problems.append(_wan_problem(display, sheet_name, first_data + 1, written, column))
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
    others = _other_headers(rows, header_index, first_data, positions)
    return Table(display, sheet_name, header_index + 1, headers, data, letters, others)


def _other_headers(
    rows: list[RawRow], header_index: int, first_data: int, positions: dict[str, int]
) -> tuple[str, ...]:
    """The headers (of the header row and a second header row under it) that name no column read."""
    taken = set(positions.values())
    found: list[str] = []
    for row in rows[header_index:first_data]:
        found += [t for i, cell in enumerate(row) if i not in taken and (t := normalize_text(cell))]
    return tuple(found)


def _wan_problem(display: str, sheet: str, row: int, written: str, column: Column) -> Problem:
    return Problem(
        display,
        f"列「{written}」的金额以万元为单位，本程序按元读取金额，不能直接使用",
        sheet=sheet,
        row=row,
        column=written,
        hint=f"把这一列的金额换算成元（乘以 10000），表头改为「{column.name}」或「{column.name}（元）」",
    )


def hidden_notes(display: str, sheets: dict[str, list[RawRow]], columns: Sequence[Column]) -> list[Problem]:
    """Warnings naming the hidden sheets that hold this table (for an optional sheet, such as 培训班)."""
    return [_hidden_problem(display, name, "warning") for name in _hidden_with_header(sheets, columns)]


def _hidden_with_header(sheets: dict[str, list[RawRow]], columns: Sequence[Column]) -> list[str]:
    """The hidden sheets that hold this table's header: never read, but named."""
    return [
        name for name, rows in hidden_sheets(sheets).items() if _find_header(rows, columns)[0] is not None
    ]


def _hidden_problem(display: str, sheet: str, severity: str) -> Problem:
    return Problem(
        display,
        f"工作表「{sheet}」是隐藏的，没有读取；如需读取，请在 Excel 中取消隐藏",
        sheet=sheet,
        hint="隐藏的工作表（如旧名单）不会被读取；要用其中的数据，在 Excel 中右键工作表标签选「取消隐藏」后保存",
        severity=severity,
    )


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
    lookup = _lookup(columns)
    found: dict[int, Column] = {}
    for col_index, cell in enumerate(rows[index]):
        column = lookup.get(header_key(cell))
        if column is not None and column.name not in positions and col_index not in positions.values():
            found[col_index] = column
    taken = {c.name for c in found.values()}
    return found if len(taken) == len(found) else {}


def _repeated_groups(
    display: str,
    sheet: str,
    rows: list[RawRow],
    index: int,
    columns: Sequence[Column],
    positions: dict[str, int],
) -> Problem | None:
    """A second header row naming the same columns under two group titles (「2022年收入情况」 and
    「2023年收入情况」, each over 工资性收入 …): which group is meant cannot be told."""
    if index < 1 or index >= len(rows):
        return None
    lookup = _lookup(columns)
    places: dict[str, list[int]] = {}
    for col_index, cell in enumerate(rows[index]):
        column = lookup.get(header_key(cell))
        if column is not None and column.name not in positions and col_index not in positions.values():
            places.setdefault(column.name, []).append(col_index)
    repeated = {name: where for name, where in places.items() if len(where) > 1}
    if not repeated:
        return None
    groups = dict.fromkeys(
        title
        for where in repeated.values()
        for col_index in where
        if (title := normalize_text(rows[index - 1][col_index] if col_index < len(rows[index - 1]) else ""))
    )
    names = "、".join(f"「{name}」" for name in list(repeated)[:5]) + ("等" if len(repeated) > 5 else "")
    under = f"（分在{'、'.join(f'「{g}」' for g in groups)}下面）" if len(groups) > 1 else ""
    return Problem(
        display,
        f"表头第 {index} 至 {index + 1} 行中，{names}列出现了不止一次{under}，不知道该用哪一组",
        sheet=sheet,
        row=index + 1,
        hint="只保留要用的那一组（如本年度的收入），删除其他年份的列，使每一列在表头中只出现一次",
    )


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
            _unread_problem(path.name, name, table.sheet)
            for name, rows in sheets.items()
            if name != table.sheet and _find_header(rows, columns)[0] is not None
        )
        return [table]
    matching = [name for name, rows in sheets.items() if _find_header(rows, columns)[0] is not None]
    if len(matching) <= 1:
        return [read_table(path, columns, sheet_names=sheet_names, sheets=sheets)]
    tables = [read_table(path, columns, sheets={name: sheets[name]}) for name in matching]
    tables[0].notes.extend(hidden_notes(path.name, sheets, columns))
    return tables


def _unread_problem(display: str, sheet: str, read: str) -> Problem:
    """Another visible sheet holding the same table, left unread because one sheet bears the table's name."""
    return Problem(
        display,
        f"工作表「{sheet}」也有这张表的表头，没有读取：只读了名为「{read}」的工作表",
        sheet=sheet,
        hint=f"如果「{sheet}」的数据也要用，把它并入「{read}」，或把「{read}」改成村名等其他名称"
        "（没有这个名称的工作表时，有同样表头的工作表都会读取）；旧数据请删去或隐藏这个工作表",
        severity="warning",
    )


def _missing_columns_problem(
    display: str, sheet: str, rows: list[RawRow], columns: Sequence[Column]
) -> Problem:
    lookup = _lookup(columns)
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
