"""误工补贴 per class by the policy's training rule, with the annual per-person limit.

Every trainee stays in the result: those who get nothing carry the reason from the rule engine.
Classes are computed in chronological order (开班日期, then 结业日期, then name) so that an annual
per-person limit counts what the same person received in the earlier classes of that year; the
result keeps the order of the input workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..errors import InputError, PolicyError, Problem
from ..models import Roster, Trainee, TrainingClass
from ..money import ZERO
from ..policy import Calculation, MissingInput, Policy, Rule, compute_training_allowance

NOT_IN_ROSTER = "未在户籍名单中"
NO_ROSTER = "未提供户籍名单"


@dataclass(frozen=True)
class Payment:
    """One trainee of one class after the rule was applied."""

    trainee: Trainee
    calculation: Calculation
    township: str = ""  # from the household roster, when the person is in it
    village: str = ""
    address: str = ""  # 户籍地址 as given in the attendance sheet, else the roster's
    phone: str = ""  # 联系电话 as given, else the roster's

    @property
    def amount(self) -> Decimal:
        return self.calculation.amount

    @property
    def paid(self) -> bool:
        return self.calculation.paid

    @property
    def remark(self) -> str:
        """备注: the reason nothing (or less) is paid, then the trainee's own note."""
        calculation = self.calculation
        parts = []
        if not calculation.paid:
            parts.append(calculation.reason or calculation.explanation)
        elif calculation.capped:
            parts.append(calculation.explanation)
        if self.trainee.note:
            parts.append(self.trainee.note)
        return "；".join(parts)


@dataclass(frozen=True)
class ClassPayments:
    """A class and the payment of each of its trainees, in sheet order."""

    training_class: TrainingClass
    rule: Rule
    payments: tuple[Payment, ...]

    @property
    def name(self) -> str:
        return self.training_class.name

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.payments), ZERO)

    @property
    def paid_count(self) -> int:
        return sum(1 for p in self.payments if p.paid)

    @property
    def attended_total(self) -> Decimal:
        """The days attended by every trainee, paid or not."""
        return sum((p.trainee.attended_days for p in self.payments), ZERO)

    @property
    def paid_days(self) -> Decimal:
        """补贴天数: the days attended by the trainees paid, what the payment roster's 合计 row adds up."""
        return sum((p.trainee.attended_days for p in self.payments if p.paid), ZERO)


def training_rule(policy: Policy) -> Rule:
    rule = policy.rule_for("training")
    if rule is None:
        raise PolicyError(
            f"政策「{policy.title}」没有培训误工补贴规则",
            hint='在政策文件中加一条 role = "training" 的规则（见内置 qianjiang-2023）',
        )
    if not rule.computes:
        raise PolicyError(
            f'政策「{policy.title}」的规则「{rule.name}」不计算金额（formula = "given"）',
            hint='培训误工补贴应写作 formula = "per_unit"，并给出 unit_amount（每天金额）',
        )
    return rule


def compute_payments(
    policy: Policy,
    classes: Sequence[TrainingClass],
    trainees: Sequence[Trainee],
    *,
    roster: Roster | None = None,
    source: str = "培训考勤表",
) -> list[ClassPayments]:
    """Payments for every class, in input order. Raises PolicyError without a training rule and
    InputError (naming the class or row) when a class lacks the date the rule needs or a trainee's
    attendance cannot be used by the rule."""
    rule = training_rule(policy)
    _check_dates(rule, classes, source)
    people = roster.person_index() if roster is not None else None
    by_class: dict[str, list[Trainee]] = {c.name: [] for c in classes}
    for trainee in trainees:
        by_class.setdefault(trainee.class_name, []).append(trainee)

    paid_in_year: dict[tuple[int, str], Decimal] = {}
    computed: dict[str, tuple[Payment, ...]] = {}
    problems: list[Problem] = []
    for training_class in sorted(classes, key=_chronological):
        year = training_class.start.year if training_class.start else 0
        payments = []
        for trainee in sorted(by_class.get(training_class.name, []), key=lambda t: t.source_row):
            key = (year, trainee.id_number)
            try:
                calculation = compute_training_allowance(
                    rule, trainee, training_class, paid_in_year.get(key, ZERO)
                )
            except MissingInput as exc:
                problems.append(
                    Problem(
                        source,
                        str(exc),
                        row=trainee.source_row,
                        column="实际出勤天数",
                        value=str(trainee.attended_days),
                        hint="按政策规定的最小单位填写出勤天数",
                    )
                )
                continue
            paid_in_year[key] = paid_in_year.get(key, ZERO) + calculation.amount
            payments.append(_payment(trainee, calculation, people))
        computed[training_class.name] = tuple(payments)
    if problems:
        raise InputError(problems)
    return [ClassPayments(c, rule, computed[c.name]) for c in classes if computed[c.name]]


def _chronological(training_class: TrainingClass) -> tuple[date, date, str]:
    return (training_class.start or date.min, training_class.end or date.min, training_class.name)


def _check_dates(rule: Rule, classes: Sequence[TrainingClass], source: str) -> None:
    """A rule with an age range needs the date age is measured at; an annual limit needs the year."""
    terms = rule.eligibility
    problems = []
    for training_class in classes:
        needed = []
        if terms.age_min is not None or terms.age_max is not None:
            on_end = terms.age_at == "结业日期"
            if (training_class.end if on_end else training_class.start) is None:
                needed.append(("结业日期" if on_end else "开班日期", f"按{terms.age_at}核对学员年龄"))
        if rule.annual_person_cap is not None and training_class.start is None and not needed:
            needed.append(("开班日期", "确定年度，计算每人每年补贴上限"))
        for column, why in needed:
            problems.append(
                Problem(
                    source,
                    f"培训班「{training_class.name}」没有{column}，无法{why}",
                    column=column,
                    hint=f"在每行或「培训班」工作表中填写{column}",
                )
            )
    if problems:
        raise InputError(problems)


def _payment(trainee: Trainee, calculation: Calculation, people: dict | None) -> Payment:
    """The payment with where the trainee lives: the household roster fills what the sheet leaves out."""
    if people is None:
        return Payment(trainee, calculation, NO_ROSTER, "", trainee.address, trainee.phone or "")
    found = people.get(trainee.id_number)
    if found is None:
        return Payment(trainee, calculation, NOT_IN_ROSTER, "", trainee.address, trainee.phone or "")
    household, person = found
    return Payment(
        trainee,
        calculation,
        household.township,
        household.village,
        trainee.address or household.address,
        trainee.phone or person.phone or household.phone or "",
    )
