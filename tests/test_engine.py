"""The rule engine on the cases of the seed texts: every amount and every number in its explanation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.models import Household, Income, MeasureRecord, Person, Trainee, TrainingClass
from fanpin_docs.policy import (
    Case,
    MissingInput,
    Policy,
    compare_with_line,
    compute,
    compute_household_measures,
    compute_training_allowance,
    describe_eligibility,
    describe_standard,
    load_policy,
)
from fanpin_docs.policy.model import Rule
from helpers import make_id

QIANJIANG = load_policy("qianjiang-2023")
FENGJIE = load_policy("fengjie-2022")
HEPING = load_policy("heping-2024")


def rule(policy: Policy, name: str) -> Rule:
    found = policy.rule(name)
    assert found is not None, name
    return found


INDUSTRY = rule(QIANJIANG, "产业到户补助")
MEDICAL = rule(QIANJIANG, "医疗救助一事一议")
TRAINING = rule(QIANJIANG, "培训误工补贴")


# --- 产业到户补助: 80% of the investment, at most 2,000 per household, only after acceptance ----------


def test_industry_80_percent_of_3000_capped_at_2000() -> None:
    result = compute(INDUSTRY, Case(base=Decimal(3000), accepted=True))
    assert result.amount == Decimal("2000.00")
    assert result.capped and result.paid and result.reason == ""
    assert (
        result.explanation
        == "投入 3,000.00 元 × 80% = 2,400.00 元，超过每户每年上限 2,000 元，按 2,000.00 元补助"
    )


def test_industry_80_percent_of_1500_is_1200() -> None:
    result = compute(INDUSTRY, Case(base=Decimal(1500), accepted=True))
    assert result.amount == Decimal("1200.00") and not result.capped
    assert result.explanation == "投入 1,500.00 元 × 80% = 1,200.00 元"


def test_industry_exactly_at_the_cap() -> None:
    result = compute(INDUSTRY, Case(base=Decimal(2500), accepted=True))
    assert result.amount == Decimal("2000.00") and not result.capped


@pytest.mark.parametrize(("accepted", "reason"), [(False, "验收不合格"), (None, "未验收")])
def test_industry_not_accepted_pays_nothing_and_says_why(accepted: bool | None, reason: str) -> None:
    result = compute(INDUSTRY, Case(base=Decimal(3000), accepted=accepted))
    assert result.amount == Decimal("0.00") and not result.paid
    assert result.reason == reason
    assert result.explanation == f"{reason}，产业到户补助不予补助，金额 0.00 元"


def test_industry_rounds_to_the_fen_half_up() -> None:
    result = compute(INDUSTRY, Case(base=Decimal("1234.56"), accepted=True))
    assert result.amount == Decimal("987.65")  # 987.648 → 987.65
    assert result.explanation == "投入 1,234.56 元 × 80% = 987.65 元"


def test_missing_base_is_a_chinese_error() -> None:
    with pytest.raises(MissingInput) as caught:
        compute(INDUSTRY, Case(accepted=True))
    assert "计算基数" in str(caught.value) and "80%" in str(caught.value)


# --- 医疗救助一事一议: 70% of the self-paid part above 10,000, at most 100,000 ------------------------


def test_medical_25000_gives_10500() -> None:
    result = compute(MEDICAL, Case(base=Decimal(25000)))
    assert result.amount == Decimal("10500.00") and not result.capped
    assert result.explanation == (
        "政策范围内自付医疗费用 25,000.00 元，超过 10,000 元的部分 15,000.00 元 × 70% = 10,500.00 元"
    )
    assert result.assumed  # its lead unit is gap-filled


def test_medical_200000_capped_at_100000() -> None:
    result = compute(MEDICAL, Case(base=Decimal(200000)))
    assert result.amount == Decimal("100000.00") and result.capped
    assert result.explanation == (
        "政策范围内自付医疗费用 200,000.00 元，超过 10,000 元的部分 190,000.00 元 × 70% "
        "= 133,000.00 元，超过每户每年上限 100,000 元，按 100,000.00 元补助"
    )


@pytest.mark.parametrize("cost", [8000, 10000])
def test_medical_at_or_below_the_threshold_pays_nothing(cost: int) -> None:
    result = compute(MEDICAL, Case(base=Decimal(cost)))
    assert result.amount == Decimal("0.00") and not result.paid
    assert result.reason == "政策范围内自付医疗费用未超过 10,000 元"
    assert (
        result.explanation
        == f"政策范围内自付医疗费用 {cost:,}.00 元，未超过 10,000 元，不予补助，金额 0.00 元"
    )


def test_medical_just_above_the_threshold() -> None:
    result = compute(MEDICAL, Case(base=Decimal("10000.01")))
    assert result.amount == Decimal("0.01")  # 0.007 rounds half up to 0.01


# --- 培训误工补贴: 40 yuan × attended days for 脱贫人口/监测对象 who passed and are 16–60 at class start ----

CLASS = TrainingClass(
    name="中式烹调班", start=date(2023, 5, 8), end=date(2023, 5, 15), planned_days=Decimal(6)
)


def trainee(
    *, born: date = date(1980, 1, 1), days: str = "6", category: str = "脱贫人口", passed: bool | None = True
) -> Trainee:
    return Trainee(
        class_name=CLASS.name,
        name="张三",
        id_number=make_id(born.strftime("%Y%m%d"), 11),
        source_row=2,
        category=category,
        attended_days=Decimal(days),
        passed=passed,
    )


@pytest.mark.parametrize(
    ("days", "amount", "text"),
    [
        ("6", "240.00", "40 元/天 × 6 天 = 240.00 元"),
        ("4.5", "180.00", "40 元/天 × 4.5 天 = 180.00 元"),
        ("0.5", "20.00", "40 元/天 × 0.5 天 = 20.00 元"),
    ],
)
def test_training_40_yuan_per_attended_day_half_days_allowed(days: str, amount: str, text: str) -> None:
    result = compute_training_allowance(TRAINING, trainee(days=days), CLASS)
    assert result.amount == Decimal(amount)
    assert result.explanation == text
    assert result.reason == ""


def test_training_monitored_trainee_is_paid() -> None:
    assert compute_training_allowance(TRAINING, trainee(category="监测对象"), CLASS).amount == Decimal(
        "240.00"
    )


def test_training_no_attendance_pays_nothing() -> None:
    result = compute_training_allowance(TRAINING, trainee(days="0"), CLASS)
    assert result.amount == Decimal("0.00") and result.reason == "无实际出勤"


def test_training_quarter_day_refused() -> None:
    with pytest.raises(MissingInput, match="半天"):
        compute_training_allowance(TRAINING, trainee(days="2.25"), CLASS)


@pytest.mark.parametrize(
    ("category", "reason"),
    [
        ("低保对象", "人员类别为低保对象，本项仅限脱贫人口、监测对象"),
        ("其他", "人员类别为其他，本项仅限脱贫人口、监测对象"),
        ("", "人员类别为未填写，本项仅限脱贫人口、监测对象"),
    ],
)
def test_training_other_categories_get_zero_with_the_reason(category: str, reason: str) -> None:
    result = compute_training_allowance(TRAINING, trainee(category=category), CLASS)
    assert result.amount == Decimal("0.00")
    assert result.reason == reason
    assert result.explanation == f"{reason}，培训误工补贴不予补助，金额 0.00 元"


@pytest.mark.parametrize(
    ("passed", "reason"), [(False, "结业考核不合格"), (None, "未参加结业考核或考核结果未填写")]
)
def test_training_not_passed_gets_zero(passed: bool | None, reason: str) -> None:
    result = compute_training_allowance(TRAINING, trainee(passed=passed), CLASS)
    assert result.amount == Decimal("0.00") and result.reason == reason


def birthday_years_before(day: date, years: int, shift_days: int = 0) -> date:
    return day.replace(year=day.year - years) + timedelta(days=shift_days)


@pytest.mark.parametrize(
    ("born", "paid", "reason"),
    [
        (birthday_years_before(CLASS.start, 16), True, ""),  # 16th birthday on the first day
        (
            birthday_years_before(CLASS.start, 16, 1),
            False,
            "开班日期时 15 周岁，低于 16 周岁",
        ),  # one day short
        (birthday_years_before(CLASS.start, 60), True, ""),  # 60th birthday on the first day: still 60
        (birthday_years_before(CLASS.start, 61, 1), True, ""),  # the day before the 61st birthday: 60
        (birthday_years_before(CLASS.start, 61), False, "开班日期时 61 周岁，超过 60 周岁"),
    ],
)
def test_training_age_limits_on_the_birthday(born: date, paid: bool, reason: str) -> None:
    result = compute_training_allowance(TRAINING, trainee(born=born), CLASS)
    assert result.paid is paid
    assert result.reason == reason
    if not paid:
        assert result.explanation == f"{reason}，培训误工补贴不予补助，金额 0.00 元"


def test_training_age_is_taken_at_class_start_not_end() -> None:
    born = birthday_years_before(CLASS.start, 16, 3)  # turns 16 during the class
    assert (
        compute_training_allowance(TRAINING, trainee(born=born), CLASS).reason
        == "开班日期时 15 周岁，低于 16 周岁"
    )


def test_training_annual_per_person_cap() -> None:
    capped = TRAINING.model_copy(update={"annual_person_cap": Decimal(300)})
    first = compute_training_allowance(capped, trainee(days="6"), CLASS, paid_this_year=Decimal(0))
    assert first.amount == Decimal("240.00") and not first.capped
    second = compute_training_allowance(capped, trainee(days="6"), CLASS, paid_this_year=Decimal(240))
    assert second.amount == Decimal("60.00") and second.capped
    assert second.explanation == (
        "40 元/天 × 6 天 = 240.00 元，本年度已领 240.00 元，每人每年上限 300 元，本次按 60.00 元发放"
    )
    third = compute_training_allowance(capped, trainee(days="6"), CLASS, paid_this_year=Decimal(300))
    assert third.amount == 0 and third.reason == "已达每人每年补贴上限"


def test_heping_training_rule_is_marked_assumed() -> None:
    result = compute_training_allowance(rule(HEPING, "技能培训生活费补贴"), trainee(), CLASS)
    assert result.amount == Decimal("240.00") and result.assumed


# --- a household's ledger: Fengjie's exclusion, 孝扶共助, given amounts --------------------------------


def household(
    *,
    category: str = "脱贫不稳定户",
    resolved: bool | None = False,
    household_type: str = "脱贫户",
    size: int = 3,
    income: Income | None = None,
) -> Household:
    head = Person(name="张三", id_number=make_id("19700101", 11), relation="户主", source_row=2)
    members = (
        head,
        *(
            Person(name=f"成员{i}", id_number=make_id("19950101", 20 + i), relation="之子", source_row=2 + i)
            for i in range(1, size)
        ),
    )
    return Household(
        household_id="H1",
        township="草堂镇",
        village="石马村",
        head=head,
        members=members,
        income=income or Income(),
        source_rows=tuple(p.source_row for p in members),
        household_type=household_type,
        monitoring_category=category,
        risk_resolved=resolved,
    )


def record(
    name: str,
    base: str | None = None,
    *,
    quantity: str | None = None,
    given: str | None = None,
    accepted: bool | None = None,
    row: int = 2,
) -> MeasureRecord:
    return MeasureRecord(
        household_id="H1",
        name=name,
        source_row=row,
        base=None if base is None else Decimal(base),
        quantity=None if quantity is None else Decimal(quantity),
        given_amount=None if given is None else Decimal(given),
        accepted=accepted,
    )


def test_fengjie_monitored_household_gets_3000_and_not_the_2000() -> None:
    results = compute_household_measures(
        FENGJIE, household(), [record("五小经济", "2500", row=2), record("产业奖扶", "5000", row=3)]
    )
    small, monitored = results
    assert monitored.amount == Decimal("3000.00") and monitored.calculation is not None
    assert monitored.calculation.capped
    assert (
        monitored.explanation
        == "认定的产业投入 5,000.00 元 × 100% = 5,000.00 元，超过每户上限 3,000 元，按 3,000.00 元补助"
    )
    assert small.amount == Decimal("0.00")
    assert small.calculation is not None and small.calculation.reason == "已享受产业奖扶，按规定不再享受"
    assert small.explanation == "已享受产业奖扶，按规定不再享受，五小经济到户奖补不予补助，金额 0.00 元"
    assert [r.record.source_row for r in results] == [2, 3]  # ledger order kept


def test_fengjie_household_not_monitored_gets_the_2000_rule() -> None:
    results = compute_household_measures(
        FENGJIE,
        household(category="", resolved=None),
        [record("产业奖扶", "5000"), record("五小经济到户奖补", "2500")],
    )
    monitored, small = results
    assert monitored.amount == 0
    assert monitored.calculation is not None and monitored.calculation.reason == "不属于未消除风险监测对象"
    assert small.amount == Decimal("2000.00")
    assert small.explanation == (
        "认定的产业投入 2,500.00 元 × 100% = 2,500.00 元，超过每户上限 2,000 元，按 2,000.00 元补助"
    )


def test_fengjie_resolved_risk_is_not_the_3000_rule() -> None:
    results = compute_household_measures(
        FENGJIE, household(resolved=True), [record("产业奖扶", "1000"), record("五小经济", "1000")]
    )
    assert [r.amount for r in results] == [Decimal("0.00"), Decimal("1000.00")]


@pytest.mark.parametrize(
    ("monthly", "months", "amount", "text"),
    [
        ("500", "12", "600.00", "每月缴纳赡养金 500.00 元 × 10% = 50.00 元；× 12 个月 = 600.00 元"),
        (
            "800",
            "12",
            "720.00",
            "每月缴纳赡养金 800.00 元 × 10% = 80.00 元，超过每人每月上限 60 元，按 60.00 元补助；× 12 个月 = 720.00 元",
        ),
        ("600", "3", "180.00", "每月缴纳赡养金 600.00 元 × 10% = 60.00 元；× 3 个月 = 180.00 元"),
        ("333", "1", "33.30", "每月缴纳赡养金 333.00 元 × 10% = 33.30 元；× 1 个月 = 33.30 元"),
        # each month is paid to the fen: 33.33 × 12, not 33.333 × 12 = 399.996 → 400.00
        ("333.33", "12", "399.96", "每月缴纳赡养金 333.33 元 × 10% = 33.33 元；× 12 个月 = 399.96 元"),
    ],
)
def test_elderly_support_10_percent_capped_at_60_a_month(
    monthly: str, months: str, amount: str, text: str
) -> None:
    (result,) = compute_household_measures(
        FENGJIE, household(), [record("孝扶共助", monthly, quantity=months)]
    )
    assert result.amount == Decimal(amount)
    assert result.explanation == text


def test_elderly_support_without_months_is_one_month() -> None:
    (result,) = compute_household_measures(FENGJIE, household(), [record("孝扶共助", "1000")])
    assert result.amount == Decimal("60.00")


def test_elderly_support_months_must_be_whole() -> None:
    with pytest.raises(MissingInput, match="月数只能是整数"):
        compute_household_measures(FENGJIE, household(), [record("孝扶共助", "500", quantity="2.5")])


def test_missing_input_carries_every_row_of_the_household_and_its_column() -> None:
    """The caller points at each cell from the error alone: row, column, in ledger order."""
    with pytest.raises(MissingInput) as caught:
        compute_household_measures(
            FENGJIE,
            household(),
            [
                record("孝扶共助", "500", quantity="2.5", row=2),
                record("公益性岗位", given="9600", row=3),
                record("危房改造", row=4),
                record("产业奖扶", row=5),
            ],
        )
    rows = caught.value.rows
    assert [(m.record.source_row if m.record else None, m.column) for m in rows] == [
        (2, "数量"),
        (4, "金额"),
        (5, "计算基数"),
    ]
    assert caught.value in rows and "危房改造" in str(rows[1])


def test_a_single_missing_row_is_its_own_list() -> None:
    with pytest.raises(MissingInput) as caught:
        compute_household_measures(QIANJIANG, household(), [record("产业补助", accepted=True, row=7)])
    assert caught.value.rows == (caught.value,)
    assert caught.value.record is not None and caught.value.record.source_row == 7
    assert caught.value.column == "计算基数"


def test_given_amounts_are_taken_from_the_ledger() -> None:
    (result,) = compute_household_measures(FENGJIE, household(), [record("公益性岗位", given="9600")])
    assert result.amount == Decimal(9600) and result.explanation == "按台账填写金额"
    (other,) = compute_household_measures(FENGJIE, household(), [record("危房改造", given="20000")])
    assert other.rule is None and other.amount == Decimal(20000)


def test_given_rule_without_amount_is_an_error_naming_the_item() -> None:
    with pytest.raises(MissingInput, match="危房改造"):
        compute_household_measures(FENGJIE, household(), [record("危房改造")])


def test_ledger_amount_disagreeing_with_the_rule_warns() -> None:
    (result,) = compute_household_measures(
        QIANJIANG, household(), [record("产业补助", "1500", given="1500", accepted=True)]
    )
    assert result.amount == Decimal("1200.00")
    assert result.warnings == ("台账金额 1,500.00 元与按政策计算的 1,200.00 元不一致，以计算结果为准",)
    (same,) = compute_household_measures(
        QIANJIANG, household(), [record("产业补助", "1500", given="1200", accepted=True)]
    )
    assert same.warnings == ()


def test_standard_for_the_card() -> None:
    (result,) = compute_household_measures(
        QIANJIANG, household(), [record("产业补助", "1500", accepted=True)]
    )
    assert result.standard == "按投入的 80%，每户每年最高 2,000 元"


# --- describing rules -------------------------------------------------------------------------------


def test_describe_standard() -> None:
    assert describe_standard(INDUSTRY) == "按投入的 80%，每户每年最高 2,000 元"
    assert (
        describe_standard(MEDICAL)
        == "按政策范围内自付医疗费用超过 10,000 元部分的 70%，每户每年最高 100,000 元"
    )
    assert describe_standard(TRAINING) == "40 元/天"
    assert describe_standard(rule(FENGJIE, "新入学大学生助学资助")) == "不低于 3,000 元/人"
    assert describe_standard(rule(FENGJIE, "孝扶共助")) == "按每月缴纳赡养金的 10%，每人每月最高 60 元"
    assert describe_standard(rule(FENGJIE, "公益性岗位")) == "按实际发放"


def test_describe_eligibility() -> None:
    assert describe_eligibility(TRAINING) == "脱贫人口、监测对象；开班日期时年龄 16–60 周岁；结业考核合格"
    assert describe_eligibility(INDUSTRY) == "验收达标"
    assert describe_eligibility(rule(FENGJIE, "五小经济")) == "已享受产业奖扶的不再享受"


def test_education_per_student_minimum() -> None:
    result = compute(rule(FENGJIE, "新入学大学生助学资助"), Case(quantity=Decimal(2)))
    assert result.amount == Decimal("6000.00")
    assert result.explanation == "不低于 3,000 元/人 × 2 人 = 6,000.00 元"


def test_rounding_to_the_yuan(tmp_path: Path) -> None:
    whole = INDUSTRY.model_copy(update={"rounding": "元"})
    result = compute(whole, Case(base=Decimal("1234.56"), accepted=True))
    assert result.amount == Decimal("988.00")
    assert result.explanation == "投入 1,234.56 元 × 80% = 987.65 元，按元取整为 988.00 元"


# --- per-capita income and the monitoring line -----------------------------------------------------


def test_per_capita_income_is_net_over_size_to_the_fen() -> None:
    income = Income(
        wage=Decimal(20000),
        business=Decimal(5000),
        property_income=Decimal(100),
        transfer=Decimal("3000.5"),
        business_expense=Decimal(1000),
    )
    assert income.net == Decimal("27100.50")
    assert income.per_capita(3) == Decimal("9033.50")
    assert Income(wage=Decimal(10000)).per_capita(3) == Decimal("3333.33")
    assert Income(wage=Decimal(20000)).per_capita(3) == Decimal("6666.67")
    with pytest.raises(ValueError):
        income.per_capita(0)


def test_declared_size_wins_over_member_rows() -> None:
    home = household(size=2, income=Income(wage=Decimal(12000)))
    assert home.per_capita_income == Decimal("6000.00")
    bigger = Household(**{**home.__dict__, "declared_size": 4})
    assert bigger.size == 4 and bigger.per_capita_income == Decimal("3000.00")


def test_household_below_the_monitoring_line() -> None:
    home = household(size=3, income=Income(wage=Decimal(24000), transfer=Decimal(3000)))
    result = compare_with_line(FENGJIE, home)
    assert (result.per_capita, result.line, result.below, result.gap) == (
        Decimal("9000.00"),
        Decimal(10000),
        True,
        Decimal("1000.00"),
    )
    assert (
        result.explanation
        == "家庭纯收入 27,000.00 元 ÷ 3 人 = 人均纯收入 9,000.00 元，低于监测线 10,000 元，差 1,000.00 元"
    )


def test_household_at_or_above_the_monitoring_line() -> None:
    at_line = compare_with_line(HEPING, household(size=1, income=Income(wage=Decimal(10800))))
    assert not at_line.below and at_line.gap == Decimal("0.00")
    assert (
        at_line.explanation
        == "家庭纯收入 10,800.00 元 ÷ 1 人 = 人均纯收入 10,800.00 元，不低于监测线 10,800 元"
    )
    above = compare_with_line(HEPING, household(size=2, income=Income(wage=Decimal(30000))))
    assert not above.below and above.gap == Decimal("4200.00")


def test_a_fen_under_the_line_is_below() -> None:
    result = compare_with_line(FENGJIE, household(size=1, income=Income(wage=Decimal("9999.99"))))
    assert result.below and result.gap == Decimal("0.01")
