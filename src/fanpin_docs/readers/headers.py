"""Finding a table's header in a sheet: the columns a reader understands (`Column`, with aliases and
units), the header row (and a second header row of names under group titles), the sheet that holds the
table, and the problems of headers — a column in 万元, names repeated under two group titles, required
columns missing, a hidden or unread sheet holding the table too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InputError, Problem
from ..text import header_key, normalize_text
from .sources import RawRow, hidden_sheets

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


def column_lookup(columns: Sequence[Column]) -> dict[str, Column]:
    """Header key → the column it names, in yuan or in 万元 (refused once the header is found)."""
    lookup = {key: column for column in columns for key in column.wan_keys()}
    lookup.update({key: column for column in columns for key in column.keys()})  # noqa: SIM118 (Column.keys is not a dict)
    return lookup


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
        if find_header(rows, columns)[0] is not None:
            return name, rows
    if not sheets:
        raise InputError([Problem(file, "工作簿里没有工作表", hint="检查文件是否正确")])
    first = next(iter(sheets))
    return first, sheets[first]


def find_header(rows: list[RawRow], columns: Sequence[Column]) -> tuple[int | None, dict[int, Column], int]:
    """(row index of the header, {column index: Column}, best number of required columns seen)."""
    required = [c for c in columns if c.required]
    lookup = column_lookup(columns)
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


def other_headers(
    rows: list[RawRow], header_index: int, first_data: int, positions: dict[str, int]
) -> tuple[str, ...]:
    """The headers (of the header row and a second header row under it) that name no column read."""
    taken = set(positions.values())
    found: list[str] = []
    for row in rows[header_index:first_data]:
        found += [t for i, cell in enumerate(row) if i not in taken and (t := normalize_text(cell))]
    return tuple(found)


def wan_problem(display: str, sheet: str, row: int, written: str, column: Column) -> Problem:
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
    return [hidden_problem(display, name, "warning") for name in hidden_with_header(sheets, columns)]


def hidden_with_header(sheets: dict[str, list[RawRow]], columns: Sequence[Column]) -> list[str]:
    """The hidden sheets that hold this table's header: never read, but named."""
    return [name for name, rows in hidden_sheets(sheets).items() if find_header(rows, columns)[0] is not None]


def hidden_problem(display: str, sheet: str, severity: str) -> Problem:
    return Problem(
        display,
        f"工作表「{sheet}」是隐藏的，没有读取；如需读取，请在 Excel 中取消隐藏",
        sheet=sheet,
        hint="隐藏的工作表（如旧名单）不会被读取；要用其中的数据，在 Excel 中右键工作表标签选「取消隐藏」后保存",
        severity=severity,
    )


def sub_header(
    rows: list[RawRow], index: int, columns: Sequence[Column], positions: dict[str, int]
) -> dict[int, Column]:
    """Columns named in the row under the header that the header row itself does not name; empty
    when that row is data."""
    if index >= len(rows):
        return {}
    lookup = column_lookup(columns)
    found: dict[int, Column] = {}
    for col_index, cell in enumerate(rows[index]):
        column = lookup.get(header_key(cell))
        if column is not None and column.name not in positions and col_index not in positions.values():
            found[col_index] = column
    taken = {c.name for c in found.values()}
    return found if len(taken) == len(found) else {}


def repeated_groups(
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
    lookup = column_lookup(columns)
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


def unread_problem(display: str, sheet: str, read: str) -> Problem:
    """Another visible sheet holding the same table, left unread because one sheet bears the table's name."""
    return Problem(
        display,
        f"工作表「{sheet}」也有这张表的表头，没有读取：只读了名为「{read}」的工作表",
        sheet=sheet,
        hint=f"如果「{sheet}」的数据也要用，把它并入「{read}」，或把「{read}」改成村名等其他名称"
        "（没有这个名称的工作表时，有同样表头的工作表都会读取）；旧数据请删去或隐藏这个工作表",
        severity="warning",
    )


def missing_columns_problem(
    display: str, sheet: str, rows: list[RawRow], columns: Sequence[Column]
) -> Problem:
    lookup = column_lookup(columns)
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
