"""每户每年 caps bound a household's total for a rule across its ledger rows, not each row."""

from decimal import Decimal

from fanpin_docs.models import Household, Income, MeasureRecord, Person
from fanpin_docs.policy import compute_household_measures, load_policy
from helpers import make_id


def _household() -> Household:
    head = Person("张三", make_id("19700101", 11), "户主", 2)
    return Household("001", "城东街道", "红岩村", head, (head,), Income(), (2,), household_type="脱贫户")


def _industry(row: int, investment: int) -> MeasureRecord:
    return MeasureRecord("001", "产业到户补助", row, base=Decimal(investment), accepted=True)


def test_two_investments_in_a_year_share_the_household_cap() -> None:
    policy = load_policy("qianjiang-2023")
    results = compute_household_measures(policy, _household(), [_industry(2, 1500), _industry(3, 3000)])
    assert [r.amount for r in results] == [Decimal("1200.00"), Decimal("800.00")]
    assert "本户已享受产业到户补助 1,200.00 元" in results[1].explanation
    assert "本次按 800.00 元补助" in results[1].explanation
    assert sum(r.amount for r in results) == policy.rule("产业到户补助").cap


def test_a_row_after_the_cap_is_used_pays_nothing_with_the_reason() -> None:
    results = compute_household_measures(
        load_policy("qianjiang-2023"), _household(), [_industry(2, 3000), _industry(3, 500)]
    )
    assert results[1].amount == 0
    assert results[1].calculation is not None and results[1].calculation.reason == "已达每户每年上限"


def test_per_row_caps_are_not_pooled() -> None:
    """孝扶共助 is capped per elder per month (cap_scope each): two rows are two elders."""
    policy = load_policy("fengjie-2022")
    rows = [MeasureRecord("001", "孝扶共助", r, base=Decimal(800), quantity=Decimal(12)) for r in (2, 3)]
    results = compute_household_measures(policy, _household(), rows)
    assert [r.amount for r in results] == [Decimal("720.00"), Decimal("720.00")]
