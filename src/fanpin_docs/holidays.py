"""Which days are worked in mainland China: the State Council's holidays and 调休 from the
`chinese-calendar` package (updated each year when the next year's arrangement is published), with
fanpin.toml `[calendar]` on top for local changes or a year the package does not know yet.

`fanpin_docs.dates.add_working_days` is the one place that counts working days; it asks this module
about each day. A day in a year neither source covers is refused with the way to add the year, never
counted as if that year had no holidays.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import chinese_calendar

from .errors import SettingsError

OFFICIAL_YEARS = frozenset(day.year for day in chinese_calendar.holidays)


def is_working_day(day: date, holidays: Collection[date] = (), workdays: Collection[date] = ()) -> bool:
    """Whether `day` is worked: fanpin.toml's `workdays` (worked) and `holidays` (off) first, then the
    official arrangement; in a year the package does not know, weekdays are worked when fanpin.toml
    lists that year's holidays (at least one date of the year in `holidays`).

    Raises SettingsError for a year neither covers."""
    if day in workdays:
        return True
    if day in holidays:
        return False
    if day.year in OFFICIAL_YEARS:
        return bool(chinese_calendar.is_workday(day))
    if any(listed.year == day.year for listed in holidays):
        return day.weekday() < 5
    raise uncovered_year(day)


def uncovered_year(day: date) -> SettingsError:
    first, last = min(OFFICIAL_YEARS), max(OFFICIAL_YEARS)
    return SettingsError(
        f"不知道 {day.year} 年的法定节假日和调休安排，无法按工作日计算（涉及 {day.isoformat()}）："
        f"程序带的国务院办公厅放假安排只有 {first}—{last} 年",
        hint=f"按国务院办公厅 {day.year} 年部分节假日安排的通知，在 fanpin.toml 的 [calendar] 中写入"
        f"这一年放假的日子 holidays = [{day.year}-01-01, …] 和调休上班的周末 workdays = [{day.year}-…]；"
        "或升级日历数据：pip install -U chinese-calendar",
    )
