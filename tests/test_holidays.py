"""Working days over China's official holidays and 调休 weekends (国务院办公厅 arrangements for 2023–2025),
local changes from fanpin.toml [calendar], and a year no calendar knows."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from fanpin_docs.dates import add_working_days, first_working_day, working_days_after
from fanpin_docs.errors import SettingsError
from fanpin_docs.holidays import OFFICIAL_YEARS, is_working_day
from fanpin_docs.notices import publicity_sentence


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        # 2023 春节 1月21日—27日 off, 1月28日(六)、29日(日) worked
        (date(2023, 1, 19), 5, date(2023, 1, 30)),
        # 2023 清明 4月5日(三) off
        (date(2023, 4, 3), 5, date(2023, 4, 10)),
        # 2023 劳动节 4月29日—5月3日 off, 4月23日(日)、5月6日(六) worked
        (date(2023, 4, 27), 5, date(2023, 5, 6)),
        (date(2023, 4, 22), 1, date(2023, 4, 23)),
        # 2023 端午 6月22日—24日 off, 6月25日(日) worked
        (date(2023, 6, 21), 3, date(2023, 6, 26)),
        # 2023 中秋国庆 9月29日—10月6日 off, 10月7日(六)、8日(日) worked
        (date(2023, 9, 28), 5, date(2023, 10, 10)),
        # 2024 春节 2月10日—17日 off, 2月4日(日)、18日(日) worked
        (date(2024, 2, 3), 2, date(2024, 2, 5)),
        (date(2024, 2, 16), 2, date(2024, 2, 19)),
        # 2024 清明 4月4日—6日 off, 4月7日(日) worked
        (date(2024, 4, 3), 3, date(2024, 4, 8)),
        # 2024 劳动节 5月1日—5日 off, 4月28日(日)、5月11日(六) worked
        (date(2024, 4, 30), 5, date(2024, 5, 9)),
        (date(2024, 4, 27), 1, date(2024, 4, 28)),
        (date(2024, 5, 10), 2, date(2024, 5, 11)),
        # 2024 端午 6月10日(一) off
        (date(2024, 6, 7), 2, date(2024, 6, 11)),
        # 2024 中秋 9月15日—17日 off, 9月14日(六) worked
        (date(2024, 9, 13), 3, date(2024, 9, 18)),
        # 2024 国庆 10月1日—7日 off, 9月29日(日)、10月12日(六) worked
        (date(2024, 9, 27), 3, date(2024, 9, 30)),
        (date(2024, 9, 30), 3, date(2024, 10, 9)),
        (date(2024, 10, 11), 2, date(2024, 10, 12)),
        # 2025 春节 1月28日—2月4日 off, 1月26日(日)、2月8日(六) worked
        (date(2025, 1, 24), 3, date(2025, 1, 27)),
        (date(2025, 1, 27), 3, date(2025, 2, 6)),
        (date(2025, 2, 7), 2, date(2025, 2, 8)),
        # 2025 清明 4月4日—6日 off
        (date(2025, 4, 3), 2, date(2025, 4, 7)),
        # 2025 劳动节 5月1日—5日 off, 4月27日(日) worked
        (date(2025, 4, 25), 3, date(2025, 4, 28)),
        (date(2025, 4, 30), 2, date(2025, 5, 6)),
        # 2025 端午 5月31日—6月2日 off
        (date(2025, 5, 30), 2, date(2025, 6, 3)),
        # 2025 国庆中秋 10月1日—8日 off, 9月28日(日)、10月11日(六) worked
        (date(2025, 9, 27), 1, date(2025, 9, 28)),
        (date(2025, 9, 30), 3, date(2025, 10, 10)),
        (date(2025, 10, 10), 2, date(2025, 10, 11)),
    ],
)
def test_periods_over_official_holidays_end_on_the_official_working_day(
    start: date, days: int, end: date
) -> None:
    assert add_working_days(start, days) == end


def test_the_publicity_sentence_over_national_day_2023() -> None:
    assert publicity_sentence(date(2023, 9, 28), 5) == "公示期为2023年9月28日至2023年10月10日（5个工作日）"


def test_within_n_working_days_of_a_day_begins_the_next_day() -> None:
    # 民法典第二百零一条: the day itself is not counted
    assert working_days_after(date(2024, 4, 30), 5) == date(2024, 5, 10)
    assert working_days_after(date(2023, 9, 28), 5) == date(2023, 10, 11)


def test_first_working_day_skips_a_holiday_week() -> None:
    assert first_working_day(date(2024, 10, 1)) == date(2024, 10, 8)
    assert first_working_day(date(2024, 10, 8)) == date(2024, 10, 8)


def test_counting_back_skips_holidays_and_counts_makeup_weekends() -> None:
    # the 5th working day before Tuesday 8 October 2024: 30 Sep, 29 Sep (Sun, worked), 27, 26, 25 Sep
    assert add_working_days(date(2024, 10, 8), -5) == date(2024, 9, 25)


def test_local_changes_are_added_to_the_official_calendar() -> None:
    # a local day off on an ordinary Friday; a local working Saturday
    local_off, local_on = date(2024, 11, 15), date(2024, 11, 16)
    assert add_working_days(date(2024, 11, 14), 2) == date(2024, 11, 15)
    assert add_working_days(date(2024, 11, 14), 2, holidays=[local_off]) == date(2024, 11, 18)
    assert add_working_days(date(2024, 11, 14), 3, workdays=[local_on]) == date(2024, 11, 16)
    # the official holidays stay off when fanpin.toml lists other days
    assert add_working_days(date(2024, 9, 30), 2, holidays=[local_off]) == date(2024, 10, 8)


def test_a_year_the_package_does_not_know_is_refused_with_how_to_add_it() -> None:
    year = max(OFFICIAL_YEARS) + 4
    with pytest.raises(SettingsError) as caught:
        add_working_days(date(year, 3, 2), 5)
    message = str(caught.value)
    assert f"不知道 {year} 年的法定节假日和调休安排" in message
    assert "fanpin.toml 的 [calendar]" in message
    assert f"holidays = [{year}-01-01" in message
    assert "workdays" in message
    with pytest.raises(SettingsError):
        is_working_day(date(min(OFFICIAL_YEARS) - 1, 6, 1))


def test_a_period_running_into_an_unknown_year_is_refused_not_counted() -> None:
    last = max(OFFICIAL_YEARS)
    with pytest.raises(SettingsError, match=f"不知道 {last + 1} 年"):
        add_working_days(date(last, 12, 28), 10)


def test_fanpin_toml_can_cover_a_year_the_package_does_not_know() -> None:
    year = max(OFFICIAL_YEARS) + 4
    monday = next(date(year, 3, d) for d in range(4, 11) if date(year, 3, d).weekday() == 0)
    holidays = [date(year, 1, 1), monday]  # that year's days off, typed from its 放假通知
    assert not is_working_day(monday, holidays)
    assert is_working_day(monday + timedelta(days=1), holidays)
    assert not is_working_day(monday + timedelta(days=5), holidays)  # Saturday
    # from the Friday before, two working days: Friday, then Tuesday (the listed Monday skipped)
    assert add_working_days(monday - timedelta(days=3), 2, holidays=holidays) == monday + timedelta(days=1)


def test_the_demo_workspace_relies_on_the_package() -> None:
    from fanpin_docs.demo import build_township, demo_settings

    settings = demo_settings(build_township(households=20))
    assert settings.calendar.holidays == []
    assert settings.calendar.workdays == []


def test_documents_in_an_unknown_year_stop_before_anything_is_written(tmp_path: Path) -> None:
    import contextlib

    from typer.testing import CliRunner

    from fanpin_docs.cli import app
    from training_data import DONE_WHEN, trainee_rows, write_training

    year = max(OFFICIAL_YEARS) + 2
    # 7 training days over 9 calendar days: the 签到表 needs the working days of the span
    klass = (f"{year}年第一期电工培训班", "电工", "区职教中心", f"{year}-03-06", f"{year}-03-14", 7)
    (tmp_path / "fanpin.toml").write_text(
        '[township]\ntownship = "城东街道"\npolicy = "qianjiang-2023"\n'
        '[documents]\nissuing_body = "城东街道办事处"\n[inputs]\ntraining = "考勤.xlsx"\n',
        encoding="utf-8",
    )
    write_training(tmp_path / "考勤.xlsx", trainee_rows(DONE_WHEN, klass))
    runner = CliRunner()
    with contextlib.chdir(tmp_path):
        refused = runner.invoke(app, ["training"])
        assert refused.exit_code == 1
        assert f"不知道 {year} 年的法定节假日和调休安排" in refused.output
        assert "Traceback" not in refused.output and "程序内部错误" not in refused.output
        assert not (tmp_path / "output").exists()

        # the year's holidays typed into fanpin.toml: the count goes ahead
        with (tmp_path / "fanpin.toml").open("a", encoding="utf-8") as settings:
            settings.write(f"[calendar]\nholidays = [{year}-01-01]\n")
        done = runner.invoke(app, ["training"])
        assert done.exit_code == 0, done.output
        assert list((tmp_path / "output" / "公示").glob("*培训误工补贴发放公示.docx"))
