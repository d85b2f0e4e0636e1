"""误工补贴 per class: the policy's training rule, reasons for 0, the annual per-person limit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.errors import InputError, PolicyError
from fanpin_docs.models import Trainee, TrainingClass
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_roster, load_training
from fanpin_docs.training import compute_payments
from fanpin_docs.training.payments import NO_ROSTER, NOT_IN_ROSTER
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx
from training_data import DONE_WHEN, DONE_WHEN_AMOUNTS, trainee_rows, write_training

QIANJIANG = load_policy("qianjiang-2023")


def _class(
    name: str = "电工班",
    start: date | None = date(2023, 3, 6),
    end: date | None = date(2023, 3, 12),
    days: str = "7",
) -> TrainingClass:
    return TrainingClass(
        name=name, project="电工", place="职教中心", start=start, end=end, planned_days=Decimal(days)
    )


def _trainee(
    id_number: str,
    days: str = "7",
    *,
    class_name: str = "电工班",
    category: str = "脱贫人口",
    passed: bool | None = True,
    row: int = 2,
) -> Trainee:
    return Trainee(
        class_name=class_name,
        name="学员",
        id_number=id_number,
        source_row=row,
        category=category,
        attended_days=Decimal(days),
        passed=passed,
    )


def _policy_with_annual_cap(tmp_path: Path, cap: int) -> object:
    text = (Path(__file__).parents[1] / "src/fanpin_docs/policies/qianjiang-2023.toml").read_text(
        encoding="utf-8"
    )
    text = text.replace('cap_label = "每人"\n', f'cap_label = "每人"\nannual_person_cap = {cap}\n', 1)
    assert f"annual_person_cap = {cap}" in text
    path = tmp_path / "cap.toml"
    path.write_text(text, encoding="utf-8")
    return load_policy(path)


def test_done_when_class_amounts_and_reasons(tmp_path: Path) -> None:
    classes, trainees = load_training(write_training(tmp_path / "t.xlsx", trainee_rows(DONE_WHEN)))
    [result] = compute_payments(QIANJIANG, classes, trainees)
    assert [p.amount for p in result.payments] == [Decimal(a) for a in DONE_WHEN_AMOUNTS]
    assert result.total == Decimal("740.00")
    assert result.paid_count == 3
    reasons = [p.remark for p in result.payments]
    assert reasons[0] == reasons[1] == reasons[3] == ""
    assert "低保对象" in reasons[2] and "脱贫人口、监测对象" in reasons[2]
    assert reasons[4] == "开班日期时 63 周岁，超过 60 周岁"
    assert reasons[5] == "结业考核不合格"
    assert "40 元/天 × 6.5 天 = 260.00 元" in result.payments[3].calculation.explanation


def test_age_is_measured_at_class_start_not_end() -> None:
    turns_61_during_class = make_id("19620310", 7)  # 60 on 6 March 2023, 61 on 10 March
    [result] = compute_payments(QIANJIANG, [_class()], [_trainee(turns_61_during_class)])
    assert result.payments[0].amount == Decimal("280.00")


def test_fifteen_year_old_is_refused_with_reason() -> None:
    [result] = compute_payments(QIANJIANG, [_class()], [_trainee(make_id("20080101", 5))])
    assert result.payments[0].amount == 0
    assert result.payments[0].remark == "开班日期时 15 周岁，低于 16 周岁"


def test_no_attendance_and_missing_assessment_have_reasons() -> None:
    absent = _trainee(make_id("19800101", 1), "0", row=2)
    unassessed = _trainee(make_id("19800101", 2), "7", passed=None, row=3)
    [result] = compute_payments(QIANJIANG, [_class()], [absent, unassessed])
    assert [p.amount for p in result.payments] == [0, 0]
    assert result.payments[0].remark == "无实际出勤"
    assert result.payments[1].remark == "未参加结业考核或考核结果未填写"


def test_trainee_note_follows_the_reason() -> None:
    trainee = Trainee(
        class_name="电工班",
        name="甲",
        id_number=make_id("19800101", 1),
        source_row=2,
        category="其他",
        attended_days=Decimal(7),
        passed=True,
        note="外县户籍",
    )
    [result] = compute_payments(QIANJIANG, [_class()], [trainee])
    assert result.payments[0].remark == "人员类别为其他，本项仅限脱贫人口、监测对象；外县户籍"


def test_annual_limit_counts_earlier_classes_of_the_same_year(tmp_path: Path) -> None:
    policy = _policy_with_annual_cap(tmp_path, 400)
    person = make_id("19800101", 1)
    march = _class("三月班", date(2023, 3, 6), date(2023, 3, 12))
    may = _class("五月班", date(2023, 5, 8), date(2023, 5, 14))
    june = _class("六月班", date(2023, 6, 5), date(2023, 6, 11))
    next_year = _class("次年班", date(2024, 3, 4), date(2024, 3, 10))
    # input order differs from the calendar: the cap must follow the dates
    classes = [june, next_year, may, march]
    trainees = [_trainee(person, class_name=c.name, row=i + 2) for i, c in enumerate(classes)]
    results = {r.name: r for r in compute_payments(policy, classes, trainees)}
    assert [r.name for r in compute_payments(policy, classes, trainees)] == [
        "六月班",
        "次年班",
        "五月班",
        "三月班",
    ]
    assert results["三月班"].total == Decimal("280.00")
    assert results["五月班"].total == Decimal("120.00")
    assert "本年度已领 280.00 元" in results["五月班"].payments[0].remark
    assert results["六月班"].total == 0
    assert results["六月班"].payments[0].remark == "已达每人每年补贴上限"
    assert results["次年班"].total == Decimal("280.00")


def test_annual_limit_needs_class_start_date(tmp_path: Path) -> None:
    policy = _policy_with_annual_cap(tmp_path, 400)
    no_date = _class(start=None, end=None)
    with pytest.raises(InputError) as caught:
        compute_payments(policy, [no_date], [_trainee(make_id("19800101", 1))])
    assert "开班日期" in str(caught.value)


def test_age_rule_needs_class_start_date() -> None:
    with pytest.raises(InputError) as caught:
        compute_payments(
            QIANJIANG, [_class(start=None)], [_trainee(make_id("19800101", 1))], source="考勤.xlsx"
        )
    message = str(caught.value)
    assert "考勤.xlsx" in message and "电工班" in message and "开班日期" in message


def test_half_day_refused_when_policy_counts_whole_days(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "src/fanpin_docs/policies/qianjiang-2023.toml").read_text(
        encoding="utf-8"
    )
    path = tmp_path / "whole.toml"
    path.write_text(text.replace("half_units = true", "half_units = false"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        compute_payments(
            load_policy(path),
            [_class()],
            [_trainee(make_id("19800101", 1), "6.5", row=9)],
            source="考勤.xlsx",
        )
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("考勤.xlsx", 9, "实际出勤天数")


def test_policy_without_training_rule_is_refused() -> None:
    with pytest.raises(PolicyError) as caught:
        compute_payments(load_policy("fengjie-2022"), [_class()], [_trainee(make_id("19800101", 1))])
    assert "培训误工补贴" in str(caught.value)


def test_location_comes_from_the_roster(tmp_path: Path) -> None:
    head, other = make_id("19700101", 1), make_id("19800101", 2)
    roster = load_roster(
        write_xlsx(
            tmp_path / "r.xlsx",
            [
                ROSTER_HEADER,
                roster_row("H1", "户主甲", head, "户主", size=1, village="红岩村"),
            ],
        )
    )
    trainees = [_trainee(head, row=2), _trainee(other, row=3)]
    [result] = compute_payments(QIANJIANG, [_class()], trainees, roster=roster)
    assert [(p.township, p.village) for p in result.payments] == [("城东街道", "红岩村"), (NOT_IN_ROSTER, "")]
    assert result.payments[0].address == "黔江区城东街道红岩村一组"
    [without] = compute_payments(QIANJIANG, [_class()], trainees)
    assert {p.township for p in without.payments} == {NO_ROSTER}
