"""Dates as people type them, Chinese dates and working days."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fanpin_docs.dates import DateError, add_working_days, chinese_date, chinese_month, parse_date

EXCEL_EPOCH = date(1899, 12, 30)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-04-30", date(2024, 4, 30)),
        ("2024-4-3", date(2024, 4, 3)),
        ("2024/4/30", date(2024, 4, 30)),
        ("2024.4.30", date(2024, 4, 30)),
        ("2024年4月30日", date(2024, 4, 30)),
        ("2024年4月30", date(2024, 4, 30)),
        ("２０２４年４月３０日", date(2024, 4, 30)),
        (" 2024 年 4 月 30 日 ", date(2024, 4, 30)),
        ("20240430", date(2024, 4, 30)),
        ("2024-04-30 00:00:00", date(2024, 4, 30)),
        (datetime(2024, 4, 30, 15, 20), date(2024, 4, 30)),
        (date(2024, 4, 30), date(2024, 4, 30)),
        (20240430, date(2024, 4, 30)),
        (20240430.0, date(2024, 4, 30)),
        # YYYYMM (识别监测时间) → the first of the month
        ("202404", date(2024, 4, 1)),
        (202404, date(2024, 4, 1)),
        (202404.0, date(2024, 4, 1)),
        ("2024-04", date(2024, 4, 1)),
        ("2024年4月", date(2024, 4, 1)),
        # an Excel serial number that reached us as a plain number
        (float((date(2024, 4, 30) - EXCEL_EPOCH).days), date(2024, 4, 30)),
        ((date(2023, 1, 1) - EXCEL_EPOCH).days, date(2023, 1, 1)),
        (45047.35, date(2023, 5, 1)),  # with a time of day
    ],
)
def test_parse_date_reads_what_people_type(raw: object, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2024-02-30", "2024年2月30日不是实际存在的日期"),
        ("2023年2月29日", "不是实际存在的日期"),
        ("20230229", "不是实际存在的日期"),
        ("2024.13.1", "不是实际存在的日期"),
        ("202413", "月份 13 不存在"),
        ("202400", "月份 0 不存在"),
        ("明年春天", "无法识别"),
        ("30/04/2024", "无法识别"),
        (True, "不是日期"),
        (-5, "不是日期"),
    ],
)
def test_parse_date_refuses_impossible_dates(raw: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(raw)


@pytest.mark.parametrize("number", [2023.1, 2023.5, 2023.12, 1949.3, 2100.9])
@pytest.mark.parametrize("month_only_ok", [True, False])
def test_a_year_month_typed_as_a_number_is_no_excel_serial(number: float, month_only_ok: bool) -> None:
    # 2023.10 typed into a General cell is the number 2023.1, as a day count 1905-07-15
    with pytest.raises(DateError, match=f"数字 {number} 像是把「年.月」当作数字录入的") as caught:
        parse_date(number, month_only_ok=month_only_ok)
    whole = int(number)
    assert f"{whole}-10-01" in caught.value.hint and "文本" in caught.value.hint
    assert (f"{whole}10" in caught.value.hint.replace(f"{whole}-10", "")) is month_only_ok


@pytest.mark.parametrize(
    ("number", "day"), [(17000, "1946年7月17日"), (1930.5, "1905年4月13日"), (1.5, "1899年12月31日")]
)
def test_a_number_that_counts_to_a_day_before_1949_is_refused(number: float, day: str) -> None:
    with pytest.raises(DateError, match=f"按 Excel 日期算是 {day}，早于 1949 年"):
        parse_date(number)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(17899, date(1949, 1, 1)), (17899.99, date(1949, 1, 1))],
)
def test_excel_serials_from_1949_on_still_read(serial: float, expected: date) -> None:
    assert parse_date(serial) == expected
    assert parse_date(serial, month_only_ok=False) == expected
    with pytest.raises(DateError, match="1948年12月31日，早于 1949 年"):
        parse_date(serial - 1)  # the day before 1949 is where they stop


def test_parse_date_month_only_can_be_refused() -> None:
    with pytest.raises(ValueError, match="只有年月，缺少日"):
        parse_date("202404", month_only_ok=False)
    with pytest.raises(ValueError, match="只有年月，缺少日"):
        parse_date("2024年4月", month_only_ok=False)
    with pytest.raises(ValueError, match="202404 只有年月，缺少日"):
        parse_date(202404.0, month_only_ok=False)
    assert parse_date("2024-04-30", month_only_ok=False) == date(2024, 4, 30)


def test_chinese_date_uses_arabic_numerals_without_padding() -> None:
    assert chinese_date(date(2024, 4, 5)) == "2024年4月5日"
    assert chinese_date(date(2024, 12, 31)) == "2024年12月31日"
    assert chinese_month(date(2024, 4, 5)) == "2024年4月"


def test_five_working_days_from_a_friday_end_on_the_next_thursday() -> None:
    friday = date(2024, 11, 15)
    assert friday.weekday() == 4
    end = add_working_days(friday, 5)
    assert end == date(2024, 11, 21)
    assert end.weekday() == 3


def test_working_days_start_on_a_weekend_counts_from_monday() -> None:
    saturday = date(2024, 11, 16)
    assert add_working_days(saturday, 1) == date(2024, 11, 18)
    assert add_working_days(saturday, 5) == date(2024, 11, 22)


def test_one_working_day_on_a_working_day_is_that_day() -> None:
    assert add_working_days(date(2024, 11, 13), 1) == date(2024, 11, 13)


def test_working_days_must_not_be_zero() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2024, 11, 15), 0)


def test_negative_working_days_count_back_from_the_day_before() -> None:
    monday = date(2024, 11, 18)
    assert add_working_days(monday, -1) == date(2024, 11, 15)
    assert add_working_days(monday, -5) == date(2024, 11, 11)
