"""The ledger of one household: the policy applied to its 帮扶措施台账 rows, exclusions between rules
and per-household caps included."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Household, MeasureRecord
from ..money import ZERO, format_amount
from .engine import Calculation, Case, MissingInput, compute, describe_standard, within_household_cap
from .model import Policy, Rule


@dataclass(frozen=True)
class MeasureResult:
    """One ledger row after the policy was applied."""

    record: MeasureRecord
    rule: Rule | None
    amount: Decimal
    explanation: str
    calculation: Calculation | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def standard(self) -> str:
        """The rule's standard in words, for the card's 标准 column."""
        return describe_standard(self.rule) if self.rule else ""


def compute_household_measures(
    policy: Policy, household: Household, records: Sequence[MeasureRecord]
) -> list[MeasureResult]:
    """Apply the policy to a household's ledger rows, in ledger order, honouring exclusions.

    Rules that another rule excludes are computed first, so "not for a household that got X" sees X.
    Raises MissingInput when a row lacks a number: the first one met, carrying every such row of the
    household (`MissingInput.rows`); the other rows are still applied, so none is missed.
    """
    excluded_by_others = {name for rule in policy.rules for name in rule.eligibility.excludes}
    order = sorted(
        range(len(records)),
        key=lambda i: 0 if (r := policy.rule(records[i].name)) and r.name in excluded_by_others else 1,
    )
    received: set[str] = set()
    paid_by_rule: dict[str, Decimal] = {}
    results: dict[int, MeasureResult] = {}
    missing: dict[int, MissingInput] = {}  # in the order met
    categories = frozenset(household.categories())
    for index in order:
        record = records[index]
        rule = policy.rule(record.name)
        if rule is None or not rule.computes:
            if record.given_amount is None:
                missing[index] = _at(
                    record,
                    MissingInput(
                        f"措施「{record.name}」不是政策文件中的计算规则，需要在台账中填写金额", column="金额"
                    ),
                )
                continue
            results[index] = MeasureResult(record, rule, record.given_amount, "按台账填写金额")
            continue
        case = Case(
            base=record.base,
            quantity=record.quantity,
            accepted=record.accepted,
            household_categories=categories,
            received=frozenset(received),
        )
        try:
            computed = compute(rule, case)
        except MissingInput as error:
            missing[index] = _at(record, error)
            continue
        calculation = within_household_cap(rule, computed, paid_by_rule.get(rule.name, ZERO))
        paid_by_rule[rule.name] = paid_by_rule.get(rule.name, ZERO) + calculation.amount
        warnings: tuple[str, ...] = ()
        if record.given_amount is not None and record.given_amount != calculation.amount:
            warnings = (
                f"台账金额 {format_amount(record.given_amount)} 元与按政策计算的 "
                f"{format_amount(calculation.amount)} 元不一致，以计算结果为准",
            )
        if calculation.paid:
            received.add(rule.name)
        results[index] = MeasureResult(
            record, rule, calculation.amount, calculation.explanation, calculation, warnings
        )
    if missing:
        first = next(iter(missing.values()))
        first.rows = tuple(missing[i] for i in sorted(missing))
        raise first
    return [results[i] for i in range(len(records))]


def _at(record: MeasureRecord, error: MissingInput) -> MissingInput:
    error.record = record
    return error
