"""The training attendance reader."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.errors import InputError
from fanpin_docs.readers import load_roster, load_training
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

A = make_id("19800101", 11)  # 男
B = make_id("19850505", 22)  # 女
C = make_id("19900909", 31)
CARD = "6217 0031 6000 1234 567"

HEADER = [
    "培训班",
    "培训项目",
    "培训地点",
    "开班日期",
    "结业日期",
    "应出勤天数",
    "姓名",
    "身份证号",
    "人员类别",
    "实际出勤天数",
    "考核结果",
    "开户银行",
    "银行卡号",
    "联系电话",
]


def row(
    name: str,
    id_number: object,
    attended: object = 5,
    *,
    klass: str = "中式烹调班",
    planned: object = 5,
    category: str = "脱贫人口",
    passed: str = "合格",
    card: object = CARD,
    start: object = "2024-03-04",
    end: object = "2024-03-08",
) -> list[object]:
    return [
        klass,
        "中式烹调",
        "镇文化站",
        start,
        end,
        planned,
        name,
        id_number,
        category,
        attended,
        passed,
        "农业银行",
        card,
        "13812345678",
    ]


def training_file(tmp_path: Path, rows: list[list[object]], **extra: list[list[object]]) -> Path:
    return write_xlsx(tmp_path / "考勤.xlsx", rows, sheet="培训考勤", extra_sheets=extra or None)


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_training(path)
    return caught.value


def test_classes_and_trainees_with_class_data_on_each_row(tmp_path: Path) -> None:
    rows = [
        ["2024年培训考勤表"],
        HEADER,
        row("张三", A, 5),
        row("李四", B.lower(), "4.5", category="监测对象"),
        row("王五", C, 3, klass="电工班", planned="３", start=datetime(2024, 4, 1), end="2024年4月3日"),
    ]
    classes, trainees = load_training(training_file(tmp_path, rows))
    assert [(c.name, c.planned_days, c.start, c.end) for c in classes] == [
        ("中式烹调班", Decimal(5), date(2024, 3, 4), date(2024, 3, 8)),
        ("电工班", Decimal(3), date(2024, 4, 1), date(2024, 4, 3)),
    ]
    assert classes[0].place == "镇文化站" and classes[0].project == "中式烹调"
    first, second, third = trainees
    assert (first.name, first.id_number, first.sex, first.category, first.attended_days, first.passed) == (
        "张三",
        A,
        "男",
        "脱贫人口",
        Decimal(5),
        True,
    )
    assert (
        first.card_number == "6217003160001234567"
        and first.bank == "农业银行"
        and first.phone == "13812345678"
    )
    assert second.id_number == B and second.sex == "女" and second.attended_days == Decimal("4.5")
    assert third.class_name == "电工班" and third.source_row == 5


def test_class_sheet_gives_the_class_data(tmp_path: Path) -> None:
    rows = [
        ["培训班名称", "姓名", "证件号码", "出勤天数", "是否合格"],
        ["电工班", "张三", A, 6.5, "合格"],
        ["电工班", "李四", B, 7, "不合格"],
    ]
    classes_sheet = [
        ["培训班", "工种", "培训地点", "开班时间", "结业时间", "计划天数"],
        ["电工班", "电工", "县职教中心", "2024.5.6", "2024.5.14", 7],
    ]
    classes, trainees = load_training(training_file(tmp_path, rows, 培训班=classes_sheet))
    assert len(classes) == 1
    assert (classes[0].project, classes[0].place, classes[0].planned_days) == (
        "电工",
        "县职教中心",
        Decimal(7),
    )
    assert classes[0].start == date(2024, 5, 6) and classes[0].end == date(2024, 5, 14)
    assert [t.attended_days for t in trainees] == [Decimal("6.5"), Decimal(7)]
    assert [t.passed for t in trainees] == [True, False]


def test_duplicate_class_on_the_class_sheet_refused(tmp_path: Path) -> None:
    rows = [["培训班", "姓名", "证件号码", "实际出勤天数"], ["电工班", "张三", A, 5]]
    classes_sheet = [["培训班", "应出勤天数"], ["电工班", 7], ["电工班", 8]]
    problem = refused(training_file(tmp_path, rows, 培训班=classes_sheet)).problems[0]
    assert problem.sheet == "培训班" and problem.row == 3 and "重复" in problem.message


def test_duplicate_trainee_in_a_class_names_both_rows(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A), row("李四", B), row("张三", A.lower(), 4)]
    error = refused(training_file(tmp_path, rows))
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert "第 2 行" in problem.message and "第 4 行" in problem.message and "中式烹调班" in problem.message
    assert problem.row == 4 and problem.column == "身份证号"
    assert A not in str(error)


def test_same_person_in_two_classes_is_fine(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A), row("张三", A, 2, klass="电工班", planned=2)]
    assert len(load_training(training_file(tmp_path, rows))[1]) == 2


def test_attendance_over_planned_days_refused(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A, 5.5, planned=5)]
    problem = refused(training_file(tmp_path, rows)).problems[0]
    assert (problem.row, problem.column) == (2, "实际出勤天数")
    assert "5.5" in problem.message and "5 天" in problem.message


def test_attendance_only_whole_or_half_days(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A, 4.3)]
    problem = refused(training_file(tmp_path, rows)).problems[0]
    assert (problem.row, problem.column) == (2, "实际出勤天数") and "半天" in problem.message


@pytest.mark.parametrize(
    ("attended", "message"), [("", "必填项为空"), ("五天", "不是数字"), (-1, "不能为负数")]
)
def test_attendance_must_be_given_as_a_number(tmp_path: Path, attended: object, message: str) -> None:
    rows = [HEADER, row("张三", A, attended)]
    problem = refused(training_file(tmp_path, rows)).problems[0]
    assert (problem.row, problem.column) == (2, "实际出勤天数") and message in problem.message


def test_planned_days_must_agree_within_a_class(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A, 5, planned=5), row("李四", B, 5, planned=6)]
    problem = refused(training_file(tmp_path, rows)).problems[0]
    assert (problem.row, problem.column) == (3, "应出勤天数") and "不一致" in problem.message


def test_class_without_planned_days_refused(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A, 5, planned="")]
    problem = refused(training_file(tmp_path, rows)).problems[0]
    assert "中式烹调班" in problem.message and "应出勤天数" in problem.message
    assert (problem.sheet, problem.row, problem.column) == ("培训考勤", 2, "应出勤天数")


def test_class_sheet_problems_point_at_the_class_sheet(tmp_path: Path) -> None:
    rows = [["培训班", "姓名", "证件号码", "实际出勤天数"], ["电工班", "张三", A, 5]]
    classes_sheet = [["培训班", "开班日期", "结业日期"], ["电工班", "2024-05-14", "2024-05-06"]]
    error = refused(training_file(tmp_path, rows, 培训班=classes_sheet))
    assert sorted((p.sheet, p.row, p.column) for p in error.problems) == [
        ("培训班", 2, "应出勤天数"),
        ("培训班", 2, "结业日期"),
    ]


def test_class_ending_before_it_starts_refused(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A, 5, start="2024-03-08", end="2024-03-04")]
    problem = refused(training_file(tmp_path, rows)).problems[0]
    assert "结业日期早于开班日期" in problem.message and problem.row == 2


def test_class_dates_need_a_day(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A, 5, start="202403")]
    problem = refused(training_file(tmp_path, rows)).problems[0]
    assert (problem.row, problem.column) == (2, "开班日期")
    # the hint offers only what this column accepts: no month alone
    assert "只有年月，缺少日" in problem.message
    assert "2024-04-30" in problem.hint and "202404" not in problem.hint


@pytest.mark.parametrize("start", [2024.3, 2024.12])
def test_class_start_year_month_typed_as_a_number_refused(tmp_path: Path, start: float) -> None:
    # read as an Excel serial it was a day in 1905: check passed, the documents failed without a place
    rows = [HEADER, row("张三", A, 5, start=start)]
    error = refused(training_file(tmp_path, rows))
    problem = error.problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "开班日期", str(start))
    assert "像是把「年.月」当作数字录入的" in problem.message
    assert "2024-10-01" in problem.hint and "202410" not in problem.hint
    assert "考勤.xlsx" in str(error) and "培训考勤" in str(error)


def test_result_and_category_code_lists(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A, 5, category="贫困户", passed="良好")]
    error = refused(training_file(tmp_path, rows))
    assert {p.column for p in error.problems} == {"人员类别", "考核结果"}


def test_bank_card_must_be_digits_and_text(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A, 5, card="6217-0031-ABCD"), row("李四", B, 5, card=6.217003160001234e18)]
    error = refused(training_file(tmp_path, rows))
    by_row = {p.row: p for p in error.problems}
    assert "数字" in by_row[2].message and by_row[2].column == "银行卡号"
    assert "存成了数字" in by_row[3].message and "文本" in by_row[3].hint
    assert "6217003160001234" not in str(error)


def test_bad_id_refused_and_masked(tmp_path: Path) -> None:
    bad = A[:17] + ("1" if A[17] != "1" else "2")
    rows = [HEADER, row("张三", bad, 5), row("李四", float(B[:15] + "000"), 5)]
    error = refused(training_file(tmp_path, rows))
    assert sorted((p.row, p.column) for p in error.problems) == [(2, "身份证号"), (3, "身份证号")]
    assert bad not in str(error)


def test_no_trainee_rows_refused(tmp_path: Path) -> None:
    problem = refused(training_file(tmp_path, [["标题"], HEADER])).problems[0]
    assert "没有任何学员" in problem.message and problem.row == 2


def test_category_and_sex_taken_from_the_roster_and_the_id(tmp_path: Path) -> None:
    roster_rows = [
        ROSTER_HEADER,
        roster_row("H1", "张三", A, "户主", size=1, household_type="脱贫户"),
        roster_row("H2", "李四", B, "户主", size=1, household_type="一般农户", category="边缘易致贫户"),
        roster_row("H3", "王五", C, "户主", size=1, household_type="一般农户"),
    ]
    roster = load_roster(write_xlsx(tmp_path / "名单.xlsx", roster_rows))
    rows = [
        ["培训班", "应出勤天数", "姓名", "证件号码", "实际出勤天数"],
        ["电工班", 5, "张三", A, 5],
        ["电工班", 5, "李四", B, 5],
        ["电工班", 5, "王五", C, 5],
        ["电工班", 5, "赵六", make_id("19900101", 42), 5],
    ]
    _, trainees = load_training(write_xlsx(tmp_path / "考勤.xlsx", rows), roster)
    assert [t.category for t in trainees] == ["脱贫人口", "监测对象", "其他", ""]
    assert [t.sex for t in trainees] == ["男", "女", "男", "女"]


def test_warnings_are_handed_back_when_asked(tmp_path: Path) -> None:
    bad_phone = row("张三", A)
    bad_phone[-1] = "12345"
    warnings: list = []
    _, trainees = load_training(training_file(tmp_path, [HEADER, bad_phone]), warnings=warnings)
    assert trainees[0].phone is None
    assert [(w.row, w.column, w.severity) for w in warnings] == [(2, "联系电话", "warning")]
    assert load_training(training_file(tmp_path, [HEADER, bad_phone]))[1][0].name == "张三"  # still optional


def test_class_data_left_blank_on_the_first_row_is_taken_from_a_later_row(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A, 5, planned=None, start=None), row("李四", B, 4)]
    classes, _ = load_training(training_file(tmp_path, rows))
    assert (classes[0].planned_days, classes[0].start) == (Decimal(5), date(2024, 3, 4))


def test_class_dates_that_differ_between_rows_are_refused(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A, 5), row("李四", B, 4, start="2024-03-05")]
    problem = refused(training_file(tmp_path, rows)).problems[0]
    assert (problem.row, problem.column) == (3, "开班日期")
    assert "前后不一致" in problem.message and "2024年3月4日" in problem.message


def test_more_planned_days_than_the_class_lasts_is_refused(tmp_path: Path) -> None:
    rows = [HEADER, row("张三", A, 5, planned=5, start="2024-03-08", end="2024-03-10")]
    problem = refused(training_file(tmp_path, rows)).problems[0]
    assert (problem.row, problem.column) == (2, "应出勤天数")
    assert "应出勤 5 天，但开班到结业只有 3 天" in problem.message
