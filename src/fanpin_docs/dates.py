"""Dates as people type them, Chinese date formats and working-day arithmetic."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from .errors import SettingsError
from .holidays import is_working_day
from .text import normalize_text

_DATE_PATTERNS = (
    # the time part of "2024-04-30 00:00:00" (spaces are removed before matching)
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月$"),
)
_EXCEL_EPOCH = date(1899, 12, 30)
# The earliest day a date of this work can be (a cell's number below it is no Excel date of ours).
EARLIEST_DATE = date(1949, 1, 1)
_EARLIEST_SERIAL = (EARLIEST_DATE - _EXCEL_EPOCH).days


class DateError(ValueError):
    """A value refused as a date with advice of its own (`hint`) on how to enter it."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.hint = hint


def given_date(text: str | None, name: str) -> date | None:
    """A date a user gave for a setting (2024-05-10, 2024年5月10日, 2024.5.10), None when not given;
    SettingsError 「<name>「…」无法识别：…」 when it is not a real day."""
    if text is None:
        return None
    try:
        return parse_date(text, month_only_ok=False)
    except ValueError as error:
        raise SettingsError(
            f"{name}「{text}」无法识别：{error}", hint="写作 2024-05-10 或 2024年5月10日"
        ) from None


def parse_date(value: object, *, month_only_ok: bool = True) -> date:
    """Excel dates, `2024-04-30`, `2024年4月30日`, `2024.4.30`, `20240430`, or YYYYMM (→ the 1st).

    Raises ValueError with a Chinese reason when the value is not a real date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError("不是日期")
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer() and 1900 <= number <= 2100:
            raise ValueError(f"只有年份 {int(number)}，缺少月和日")
        if number.is_integer() and 190001 <= number <= 210012:
            if not month_only_ok:
                raise ValueError(f"{int(number)} 只有年月，缺少日")
            return _month(int(number) // 100, int(number) % 100)
        if number.is_integer() and 19000101 <= number <= 21001231:
            text = str(int(number))
            return _make(int(text[:4]), int(text[4:6]), int(text[6:]))
        if 1 <= number < 80000:  # an Excel serial date that arrived as a number
            if number >= _EARLIEST_SERIAL:
                return _EXCEL_EPOCH + timedelta(days=int(number))
            raise _not_this_work(number, month_only_ok)
        raise ValueError("不是日期")
    text = normalize_text(value).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return _make(*(int(g) for g in match.groups()))
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            if not month_only_ok:
                raise ValueError("只有年月，缺少日")
            return _month(int(match.group(1)), int(match.group(2)))
    raise ValueError("无法识别的日期格式")


def _not_this_work(number: float, month_only_ok: bool) -> DateError:
    """Why a number that Excel would count as a day before 1949 is refused: a year.month typed into a
    General cell (2023.10 is stored as the number 2023.1, which as a day count is 1905-07-15), or some
    other number that is no date of this work."""
    whole = int(number)
    if 1949 <= whole <= 2100:
        month_text = f"，只有年月时也可写 {whole}10" if month_only_ok else ""
        return DateError(
            f"数字 {normalize_text(number)} 像是把「年.月」当作数字录入的（Excel 会把 {whole}.10 存成数字 {whole}.1），"
            "不是日期，读不出是哪一天",
            f"写成 {whole}-10-01 或 {whole}年10月1日 这样的日期{month_text}；"
            "录入前先把这一格的格式设为「文本」",
        )
    day = _EXCEL_EPOCH + timedelta(days=whole)
    return DateError(
        f"数字 {normalize_text(number)} 按 Excel 日期算是 {chinese_date(day)}，早于 1949 年，不是本项工作的日期",
        "填写实际的日期，如 2024-04-30 或 2024年4月30日",
    )


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{year}年{month}月{day}日不是实际存在的日期") from None


def _month(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"月份 {month} 不存在")
    return date(year, month, 1)


def chinese_date(day: date) -> str:
    """`2024年4月30日` (Arabic numerals, as GB/T 9704-2012 prescribes for 成文日期)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_month(day: date) -> str:
    return f"{day.year}年{day.month}月"


def add_working_days(
    start: date, days: int, holidays: Iterable[date] = (), workdays: Iterable[date] = ()
) -> date:
    """The last day of a period of `days` working days that begins on `start` (counted if it is a working
    day); with a negative `days`, the `-days`-th working day before `start`.

    Every working-day count of the program comes here. Which days are worked is the official calendar
    (`fanpin_docs.holidays`) with fanpin.toml [calendar]'s `holidays` (off) and `workdays` (worked) on
    top. A 5-working-day period starting on an ordinary Friday ends on the next Thursday. Raises
    SettingsError when a day of the count is in a year no calendar covers.
    """
    if days == 0:
        raise ValueError("days must not be 0")
    off = set(holidays)
    on = set(workdays)
    step = timedelta(days=1 if days > 0 else -1)
    current = start if days > 0 else start + step
    counted = 0
    while True:
        if is_working_day(current, off, on):
            counted += 1
            if counted == abs(days):
                return current
        current += step


def working_days_after(
    day: date, days: int, holidays: Iterable[date] = (), workdays: Iterable[date] = ()
) -> date:
    """The last day of "within `days` working days of `day`": the day itself is not counted (as periods
    counted in days begin on the next day, 民法典第二百零一条)."""
    return add_working_days(day + timedelta(days=1), days, holidays, workdays)


def first_working_day(day: date, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> date:
    """`day` when it is a working day, else the next working day."""
    return add_working_days(day, 1, holidays, workdays)


BLANK_DATE = "　　　　年　　月　　日"  # a form's date line left to be filled in by hand


def unfilled_date(year: int) -> str:
    """A 公文's 成文日期 left to be filled in: 「2023年　月　日」."""
    return f"{year}年　月　日"
