"""The rule engine: every amount is a Decimal that comes with the sentence explaining it.

`compute()` applies one rule to one case and `compute_training_allowance()` the training rule to
one trainee; `household.compute_household_measures()` applies a policy to a household's ledger rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..idcard import age_on
from ..models import Household, MeasureRecord, Trainee, TrainingClass
from ..money import ZERO, format_amount, format_number, format_percent, yuan
from .model import Policy, Rule

NO_AMOUNT = Decimal("0.00")


class MissingInput(ValueError):
    """The case lacks a number the rule needs; the message says which, in Chinese, and `column` names
    the ledger column to fill (计算基数, 数量 or 金额).

    Raised by `compute_household_measures`, it also carries the ledger row (`record`) and, in `rows`,
    every row of the household that lacks a number, in ledger order (itself included), so a caller
    can point at each cell without running the engine again."""

    def __init__(self, message: str, column: str = "计算基数") -> None:
        super().__init__(message)
        self.column = column
        self.record: MeasureRecord | None = None
        self.rows: tuple[MissingInput, ...] = (self,)


@dataclass(frozen=True)
class Calculation:
    rule: str
    amount: Decimal
    explanation: str
    reason: str = ""  # why nothing is paid (empty when paid)
    capped: bool = False
    assumed: bool = False  # the rule uses values the source text does not give

    @property
    def paid(self) -> bool:
        return self.amount > 0


@dataclass(frozen=True)
class Case:
    """What a rule may look at for one household or person."""

    base: Decimal | None = None
    quantity: Decimal | None = None
    accepted: bool | None = None
    passed: bool | None = None
    household_categories: frozenset[str] = frozenset()
    person_category: str | None = None
    age: int | None = None
    received: frozenset[str] = frozenset()  # rules already paid to this household


def compute(rule: Rule, case: Case) -> Calculation:
    """Apply one rule to one case. Raises MissingInput if the case lacks the base or quantity."""
    refusal = _ineligible(rule, case)
    if refusal:
        return Calculation(
            rule.name,
            NO_AMOUNT,
            f"{refusal}，{rule.name}不予补助，金额 0.00 元",
            reason=refusal,
            assumed=bool(rule.assumed),
        )
    if rule.formula == "rate":
        return _rate(rule, case)
    if rule.formula == "per_unit":
        return _per_unit(rule, case)
    raise MissingInput(f"规则「{rule.name}」不计算金额，请在台账中填写金额", column="金额")


def _ineligible(rule: Rule, case: Case) -> str:
    """The reason the case is not eligible, or '' when it is."""
    terms = rule.eligibility
    excluded = [name for name in terms.excludes if name in case.received]
    if excluded:
        return f"已享受{'、'.join(excluded)}，按规定不再享受"
    if terms.household_categories and not case.household_categories & set(terms.household_categories):
        return f"不属于{'、'.join(terms.household_categories)}"
    if terms.person_categories and case.person_category not in terms.person_categories:
        shown = case.person_category or "未填写"
        return f"人员类别为{shown}，本项仅限{'、'.join(terms.person_categories)}"
    if terms.requires_acceptance and case.accepted is not True:
        return "未验收" if case.accepted is None else "验收不合格"
    if terms.requires_passed and case.passed is not True:
        return "未参加结业考核或考核结果未填写" if case.passed is None else "结业考核不合格"
    if case.age is not None:
        if terms.age_min is not None and case.age < terms.age_min:
            return f"{terms.age_at}时 {case.age} 周岁，低于 {terms.age_min} 周岁"
        if terms.age_max is not None and case.age > terms.age_max:
            return f"{terms.age_at}时 {case.age} 周岁，超过 {terms.age_max} 周岁"
    return ""


def _rate(rule: Rule, case: Case) -> Calculation:
    assert rule.rate is not None
    if case.base is None:
        raise MissingInput(
            f"「{rule.name}」按{rule.base_label}的 {format_percent(rule.rate)} 计算，需要填写计算基数（{rule.base_label}）"
        )
    base = case.base
    label = rule.base_label
    if rule.threshold:
        part = max(base - rule.threshold, ZERO)
        if part == 0:
            text = f"{label} {format_amount(base)} 元，未超过 {format_number(rule.threshold)} 元，不予补助，金额 0.00 元"
            return Calculation(
                rule.name,
                NO_AMOUNT,
                text,
                reason=f"{label}未超过 {format_number(rule.threshold)} 元",
                assumed=bool(rule.assumed),
            )
        raw = part * rule.rate
        text = (
            f"{label} {format_amount(base)} 元，超过 {format_number(rule.threshold)} 元的部分 "
            f"{format_amount(part)} 元 × {format_percent(rule.rate)} = {format_amount(raw)} 元"
        )
    else:
        raw = base * rule.rate
        text = f"{label} {format_amount(base)} 元 × {format_percent(rule.rate)} = {format_amount(raw)} 元"
    if rule.quantity_label:
        months = _quantity(rule, case, default=Decimal(1))
        per_unit, capped, cap_text = _apply_cap(rule, raw)
        per_unit = rule.round(per_unit)  # each month's amount is paid to the fen, as the text shows it
        amount = rule.round(per_unit * months)
        text += cap_text + f"；× {format_number(months)} {rule.quantity_label} = {format_amount(amount)} 元"
        return Calculation(rule.name, amount, text, capped=capped, assumed=bool(rule.assumed))
    capped_amount, capped, cap_text = _apply_cap(rule, raw)
    amount = rule.round(capped_amount)
    text += cap_text
    if not capped and amount != yuan(raw):
        text += f"，按{rule.rounding}取整为 {format_amount(amount)} 元"
    return Calculation(rule.name, amount, text, capped=capped, assumed=bool(rule.assumed))


def _per_unit(rule: Rule, case: Case) -> Calculation:
    assert rule.unit_amount is not None
    quantity = _quantity(rule, case)
    if quantity == 0:
        return Calculation(
            rule.name,
            NO_AMOUNT,
            f"实际{rule.unit}数为 0，金额 0.00 元",
            reason=f"无实际{_unit_word(rule)}",
            assumed=bool(rule.assumed),
        )
    raw = quantity * rule.unit_amount
    floor = "不低于 " if rule.minimum else ""
    text = f"{floor}{format_number(rule.unit_amount)} 元/{rule.unit} × {format_number(quantity)} {rule.unit} = {format_amount(raw)} 元"
    capped_amount, capped, cap_text = _apply_cap(rule, raw)
    return Calculation(
        rule.name, rule.round(capped_amount), text + cap_text, capped=capped, assumed=bool(rule.assumed)
    )


def _unit_word(rule: Rule) -> str:
    return "出勤" if rule.unit == "天" else rule.unit


def _quantity(rule: Rule, case: Case, default: Decimal | None = None) -> Decimal:
    quantity = case.quantity if case.quantity is not None else default
    if quantity is None:
        raise MissingInput(
            f"「{rule.name}」按每{rule.unit} {format_number(rule.unit_amount or ZERO)} 元计算，需要填写数量（{rule.unit}数）",
            column="数量",
        )
    if quantity < 0:
        raise MissingInput("数量不能为负数", column="数量")
    step = Decimal("0.5") if rule.half_units else Decimal(1)
    if (quantity / step) != (quantity / step).to_integral_value():
        raise MissingInput(
            f"「{rule.name}」的{rule.unit}数只能是{'整数或半' + rule.unit if rule.half_units else '整数'}",
            column="数量",
        )
    return quantity


def _apply_cap(rule: Rule, raw: Decimal) -> tuple[Decimal, bool, str]:
    if rule.cap is not None and raw > rule.cap:
        return (
            rule.cap,
            True,
            f"，超过{rule.cap_label}上限 {format_number(rule.cap)} 元，按 {format_amount(rule.cap)} 元补助",
        )
    return raw, False, ""


def within_household_cap(rule: Rule, calculation: Calculation, already_paid: Decimal) -> Calculation:
    """`calculation` limited by a household-scope cap, given what the household already received under
    the rule elsewhere (e.g. in another project's 到户明细 rows). Unchanged for cap_scope "each"."""
    return _within_household_cap(rule, calculation, already_paid)


def _within_household_cap(rule: Rule, calculation: Calculation, already_paid: Decimal) -> Calculation:
    """For caps per household (cap_scope = "household"), what earlier rows of the ledger already used."""
    if rule.cap_scope != "household" or rule.cap is None or not calculation.paid or already_paid == 0:
        return calculation
    room = max(rule.cap - already_paid, ZERO)
    if calculation.amount <= room:
        return calculation
    text = (
        f"{calculation.explanation}；本户已享受{rule.name} {format_amount(already_paid)} 元，"
        f"{rule.cap_label}上限 {format_number(rule.cap)} 元，本次按 {format_amount(room)} 元补助"
    )
    reason = "" if room > 0 else f"已达{rule.cap_label}上限"
    return Calculation(
        rule.name, rule.round(room), text, reason=reason, capped=True, assumed=calculation.assumed
    )


# --- training -------------------------------------------------------------------------------


def compute_training_allowance(
    rule: Rule, trainee: Trainee, training_class: TrainingClass, paid_this_year: Decimal = ZERO
) -> Calculation:
    """误工补贴 for one trainee in one class, by the policy's training rule.

    `paid_this_year` is what the same person already received in earlier classes of the year, for
    rules with an annual per-person cap.
    """
    age = None
    terms = rule.eligibility
    if terms.age_min is not None or terms.age_max is not None:
        when = training_class.end if terms.age_at == "结业日期" else training_class.start
        if when is not None:
            age = age_on(trainee.id_number, when)
    case = Case(
        quantity=trainee.attended_days,
        passed=trainee.passed,
        person_category=trainee.category or None,
        age=age,
    )
    calculation = compute(rule, case)
    if rule.annual_person_cap is not None and calculation.paid:
        room = max(rule.annual_person_cap - paid_this_year, ZERO)
        if calculation.amount > room:
            text = (
                f"{calculation.explanation}，本年度已领 {format_amount(paid_this_year)} 元，"
                f"每人每年上限 {format_number(rule.annual_person_cap)} 元，本次按 {format_amount(room)} 元发放"
            )
            reason = "" if room > 0 else "已达每人每年补贴上限"
            return Calculation(rule.name, room, text, reason=reason, capped=True, assumed=calculation.assumed)
    return calculation


# --- income against the monitoring line --------------------------------------------------------


@dataclass(frozen=True)
class LineComparison:
    """A household's 人均纯收入 against the policy's monitoring line (监测范围)."""

    per_capita: Decimal | None  # None: the roster gives no income
    line: Decimal
    below: bool  # strictly under the line
    gap: Decimal  # how far under (below) or at/over (not below) the line, ≥ 0
    explanation: str


def compare_with_line(policy: Policy, household: Household) -> LineComparison:
    """「家庭纯收入 27,000.00 元 ÷ 3 人 = 人均纯收入 9,000.00 元，低于监测线 10,000 元，差 1,000.00 元」."""
    per_capita = household.per_capita_income
    line = policy.monitoring_line
    if per_capita is None or household.income is None:
        text = f"名单未提供收入，无法与监测线 {format_number(line)} 元比较"
        return LineComparison(per_capita=None, line=line, below=False, gap=ZERO, explanation=text)
    below = per_capita < line
    gap = yuan(abs(line - per_capita))
    text = (
        f"家庭纯收入 {format_amount(household.income.net)} 元 ÷ {household.size} 人 = "
        f"人均纯收入 {format_amount(per_capita)} 元，"
    )
    if below:
        text += f"低于监测线 {format_number(line)} 元，差 {format_amount(gap)} 元"
    else:
        text += f"不低于监测线 {format_number(line)} 元"
    return LineComparison(per_capita=per_capita, line=line, below=below, gap=gap, explanation=text)


# --- words ------------------------------------------------------------------------------------


def describe_standard(rule: Rule) -> str:
    """The rule's standard as a short phrase: 「按投入的 80%，每户最高 2,000 元」."""
    if rule.formula == "rate" and rule.rate is not None:
        text = f"按{rule.base_label}"
        if rule.threshold:
            text += f"超过 {format_number(rule.threshold)} 元部分"
        text += f"的 {format_percent(rule.rate)}"
    elif rule.formula == "per_unit" and rule.unit_amount is not None:
        text = f"{'不低于 ' if rule.minimum else ''}{format_number(rule.unit_amount)} 元/{rule.unit}"
    else:
        return "按实际发放"
    if rule.cap is not None:
        text += f"，{rule.cap_label}最高 {format_number(rule.cap)} 元"
    return text


def describe_eligibility(rule: Rule) -> str:
    terms = rule.eligibility
    parts: list[str] = []
    if terms.household_categories:
        parts.append("、".join(terms.household_categories))
    if terms.person_categories:
        parts.append("、".join(terms.person_categories))
    if terms.age_min is not None or terms.age_max is not None:
        parts.append(f"{terms.age_at}时年龄 {terms.age_min or 0}–{terms.age_max or '不限'} 周岁")
    if terms.requires_acceptance:
        parts.append("验收达标")
    if terms.requires_passed:
        parts.append("结业考核合格")
    if terms.excludes:
        parts.append(f"已享受{'、'.join(terms.excludes)}的不再享受")
    return "；".join(parts)
