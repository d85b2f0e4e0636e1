"""A household's income as the roster gives it: the four incomes and the expense (the breakdown), or
only 家庭纯收入 / 人均纯收入, read from one row of the household — the head's, or the first with any —
and checked: a breakdown missing some of its columns, another row of the household giving other figures,
a declared total that the breakdown does not add up to.
"""

from __future__ import annotations

from decimal import Decimal

from ..errors import Problem
from ..models import Household, Income
from ..money import ZERO, format_amount, parse_decimal, yuan
from ..text import header_key
from .formulas import CellError, UnevaluatedFormula
from .rows import RowReader
from .workbook import Table

INCOME_COLUMNS = {
    "工资性收入": "wage",
    "生产经营性收入": "business",
    "财产性收入": "property_income",
    "转移性收入": "transfer",
    "生产经营性支出": "business_expense",
}


def income_kind(table: Table) -> str:
    """ "breakdown" (the four incomes and the expense), "declared" (only 家庭纯收入 / 人均纯收入) or "none"."""
    if any(table.has(column) for column in INCOME_COLUMNS):
        return "breakdown"
    if table.has("家庭纯收入") or table.has("人均纯收入"):
        return "declared"
    return "none"


def missing_income_columns(table: Table) -> Problem | None:
    """A warning when the income breakdown lacks some of its columns: those are counted as 0. A header
    that looks like a missing column (「工资收入合计」 for 工资性收入) is named: it was not recognised."""
    missing = [column for column in INCOME_COLUMNS if not table.has(column)]
    if not missing:
        return None
    named = "、".join(f"「{column}」" for column in missing)
    lookalikes = [
        f"表中的「{header}」列名认不出，不当作「{column}」读取"
        for column in missing
        for header in table.other_headers
        if _looks_like(column, header)
    ]
    return table.problem(
        f"名单有收入明细，但没有{named}列，{'这些' if len(missing) > 1 else '这一'}项按 0 计算"
        + (f"（{'；'.join(lookalikes)}）" if lookalikes else ""),
        row=table.header_row,
        hint="补上这些列，或把表头改为标准列名（如「工资性收入」，可带单位「（元）」）；确实没有这项收入的可以不管",
        severity="warning",
    )


def _looks_like(column: str, header: str) -> bool:
    """「工资收入合计」 looks like 工资性收入, 「经营支出」 like 生产经营性支出: the column's kind (收入 or
    支出) and its subject (工资, 经营, 财产, 转移) are both in the header."""
    kind, subject = column[-2:], column[:-2].removesuffix("性").removeprefix("生产")
    text = header_key(header)
    return kind in text and subject in text


def _income_columns(mode: str) -> tuple[str, ...]:
    return tuple(INCOME_COLUMNS) if mode == "breakdown" else ("家庭纯收入", "人均纯收入")


def income_source(head_reader: RowReader, readers: list[RowReader], mode: str) -> RowReader:
    """The row the household's income is read from: the head's, or the first of the household with any."""
    columns = _income_columns(mode)
    if all(head_reader.raw(c) in (None, "") for c in columns):
        return next((r for r in readers if any(r.raw(c) not in (None, "") for c in columns)), head_reader)
    return head_reader


def check_member_incomes(
    readers: list[RowReader], source: RowReader, mode: str, household_id: str, problems: list[Problem]
) -> None:
    """Income is the household's, read from one row (`income_source`); another row of the household
    giving other figures is named — one of them is wrong, and only the source's is counted. The same
    figure written another way (20000 as a number and as text) is the same."""
    columns = _income_columns(mode)
    for reader in readers:
        if reader is source:
            continue
        differing = [
            column
            for column in columns
            if (value := reader.raw(column)) not in (None, "") and not _same(value, source.raw(column))
        ]
        if differing:
            named = "、".join(f"「{column}」" for column in differing)
            problems.append(
                reader.table.problem(
                    f"这一行的收入（{named}）与同户第 {source.row} 行不同；一户的收入按第 {source.row} 行计算，这一行的没有计入",
                    hint="收入是全户的：只在户主行填写（或各行填写相同的数），核对哪一行的数是对的",
                    row=reader.row,
                    column=differing[0],
                    household=household_id,
                    severity="warning",
                )
            )


def _same(value: object, other: object) -> bool:
    if value == other:
        return True
    try:
        return parse_decimal(value) == parse_decimal(other)
    except (ValueError, TypeError):
        return False


def household_income(source: RowReader, mode: str, size: int) -> Income | None:
    """Income is household-level, read from one row (`income_source`).

    Without the breakdown columns, the export's 家庭纯收入 (or 人均纯收入 × 人数) is the net income;
    without any income column the income is unknown (None), never taken as 0.
    """
    if mode == "breakdown":
        values = {field: source.money(column) or ZERO for column, field in INCOME_COLUMNS.items()}
        return Income(**values)
    if mode == "declared":
        net = source.money("家庭纯收入", negative_ok=True)
        if net is None:
            per_capita = source.money("人均纯收入", negative_ok=True)
            net = None if per_capita is None else yuan(per_capita * size)
        return None if net is None else Income(reported_net=net)
    return None


def check_declared_income(
    table: Table, reader: RowReader, household: Household, problems: list[Problem], *, per_capita: bool = True
) -> None:
    """A warning where the declared 家庭纯收入 (and 人均纯收入, unless `per_capita` is False: the household's
    size was not read) differs by more than a yuan from what the breakdown gives."""
    tolerance = Decimal(1)
    computed_per_capita = household.per_capita_income
    if household.income is None or computed_per_capita is None:
        return
    compared = [("家庭纯收入", household.income.net)]
    if per_capita:
        compared.append(("人均纯收入", computed_per_capita))
    for column, computed in compared:
        if isinstance(reader.raw(column), UnevaluatedFormula | CellError):
            continue  # a derived column: recomputed from the breakdown anyway
        declared = reader.decimal(column, negative_ok=True)
        if declared is not None and abs(declared - computed) > tolerance:
            problems.append(
                table.problem(
                    f"表中{column} {format_amount(declared)} 元与按收入明细重新计算的 {format_amount(computed)} 元相差超过 1 元，以重新计算的为准",
                    hint="核对各项收入与支出",
                    row=reader.row,
                    column=column,
                    household=household.household_id,
                    severity="warning",
                )
            )
