"""The roster's 收入计算期间 column: the period its income figures cover, as people write it.

A year (`2023`, `2023年`, `2023年度`: the whole year) or two bounds joined by 至 / 到 / ~ / — / -, each a
date or a month (`2022年7月至2023年6月`, `202207-202306`, `2022.7.1~2023.6.30`); a month as the end means
its last day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from ..dates import parse_date
from ..models import IncomePeriod
from ..text import normalize_text
from .rows import RowReader

COLUMN = "收入计算期间"
ALIASES = ("收入期间", "收入统计期间", "收入年度")
HINT = "写成起止年月，如 2022年7月至2023年6月 或 202207-202306；只写年份（如 2023）表示全年"
_YEAR = re.compile(r"^(\d{4})年?度?$")
_JOINS = re.compile(r"至|到|~|〜|—+|–")


def parse_income_period(value: object) -> IncomePeriod:
    """The period a cell names; ValueError with a Chinese reason when it names none."""
    if isinstance(value, datetime | date):
        raise ValueError("只有一个日期，缺少起止")
    text = normalize_text(value).replace(" ", "")
    if _YEAR.match(text):
        return IncomePeriod(_bound(text, end=False), _bound(text, end=True))
    parts = _JOINS.split(text)
    if len(parts) == 2:
        start, end = _bound(parts[0], end=False), _bound(parts[1], end=True)
    elif len(parts) == 1:
        start, end = _split_at_hyphen(text)
    else:
        raise ValueError("起止日期只能各写一个")
    if start > end:
        raise ValueError("开始日期晚于结束日期")
    return IncomePeriod(start, end)


def _split_at_hyphen(text: str) -> tuple[date, date]:
    """`202207-202306` or `2022-07-01-2023-06-30`: the first hyphen where both sides are bounds."""
    for index, character in enumerate(text):
        if character != "-":
            continue
        try:
            return _bound(text[:index], end=False), _bound(text[index + 1 :], end=True)
        except ValueError:
            continue
    raise ValueError("没有写出起止日期")


def _bound(text: str, *, end: bool) -> date:
    """A bound: a date as written, a month (its first or last day) or a year (1 January or 31 December)."""
    year = _YEAR.match(text)
    if year:
        number = int(year.group(1))
        if not 1900 <= number <= 2100:
            raise ValueError(f"年份 {number} 不对")
        return date(number, 12, 31) if end else date(number, 1, 1)
    try:
        return parse_date(text, month_only_ok=False)
    except ValueError:
        month = parse_date(text, month_only_ok=True)
    if not end:
        return month
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def read_income_period(head_reader: RowReader, readers: list[RowReader]) -> IncomePeriod | None:
    """A household's period: the head's row, or the first row of the household that gives one; a cell that
    names no period is a located error."""
    for reader in (head_reader, *readers):
        value = reader.raw(COLUMN)
        if not normalize_text(value):
            continue
        try:
            return parse_income_period(value)
        except ValueError as exc:
            reader.problems.append(
                reader.table.problem(
                    f"收入计算期间无法识别：{exc}", hint=HINT, row=reader.row, column=COLUMN, value=value
                )
            )
            return None
    return None
