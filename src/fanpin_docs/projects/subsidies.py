"""产业到户补助 for the households of the 到户明细 sheet, by the policy's industry rule.

Every amount comes from the rule engine with its explanation. A cap per household and year
(cap_scope = "household") binds the household's rows together, across projects, in sheet order:
a later row gets only what is left. When the rule is limited to some
household categories (脱贫户, 未消除风险监测对象, …) the categories come from the roster; without a
roster such a rule cannot be applied honestly, so no subsidy sheet is made and a note says why.
With a roster, a row whose household is not in it is not paid (0.00 元, out of every total) and the
review reports it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..errors import PolicyError
from ..models import HouseholdSubsidy, Roster
from ..money import ZERO
from ..policy import Calculation, Case, MissingInput, Policy, Rule, compute, within_household_cap


@dataclass(frozen=True)
class SubsidyLine:
    subsidy: HouseholdSubsidy
    calculation: Calculation  # what is paid, after the household's other rows
    row_amount: Decimal  # what the row alone would get (the rule applied to this row only)
    note: str = ""  # e.g. the household is not in the roster
    unlisted: bool = False  # a roster was given and the household is not in it: not paid

    @property
    def amount(self) -> Decimal:
        return self.calculation.amount


@dataclass(frozen=True)
class SubsidySheet:
    rule: Rule
    lines: tuple[SubsidyLine, ...]
    roster: str | None = None  # the roster the households were checked against (None: not checked)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def by_project(self, project_order: Sequence[str] = ()) -> list[tuple[str, list[SubsidyLine]]]:
        """Lines grouped by project, projects in `project_order` first (then as they appear)."""
        groups: dict[str, list[SubsidyLine]] = {name: [] for name in project_order}
        for line in self.lines:
            groups.setdefault(line.subsidy.project_name, []).append(line)
        return [(name, lines) for name, lines in groups.items() if lines]

    def by_household(self) -> dict[str, list[SubsidyLine]]:
        groups: dict[str, list[SubsidyLine]] = defaultdict(list)
        for line in self.lines:
            groups[line.subsidy.household_id].append(line)
        return dict(groups)


def compute_subsidies(
    policy: Policy, subsidies: Sequence[HouseholdSubsidy], roster: Roster | None = None
) -> tuple[SubsidySheet | None, list[str]]:
    """(the subsidy sheet or None, notes for the user). Raises PolicyError if the rule cannot use
    an investment amount as its base."""
    if not subsidies:
        return None, []
    rule = policy.rule_for("industry")
    if rule is None:
        return None, [
            f'政策「{policy.title}」没有产业到户补助规则（role = "industry"），未生成产业到户补助明细'
        ]
    if not rule.computes:
        return None, [f'政策规则「{rule.name}」不计算金额（formula = "given"），未生成产业到户补助明细']
    needed = rule.eligibility.household_categories
    if needed and roster is None:
        return None, [
            f"「{rule.name}」仅限{'、'.join(needed)}，需要户籍监测名单判断各户类别；"
            "用 --roster 给出名单（或在 fanpin.toml 的 [inputs] 中设置 roster）后才能生成产业到户补助明细"
        ]
    households = roster.by_id() if roster is not None else {}
    paid: dict[str, Decimal] = {}
    lines: list[SubsidyLine] = []
    for subsidy in subsidies:
        categories: frozenset[str] = frozenset()
        if roster is not None:
            household = households.get(subsidy.household_id)
            if household is None:
                lines.append(_unlisted(rule, subsidy))
                continue
            categories = frozenset(household.categories())
        case = Case(base=subsidy.investment, accepted=subsidy.accepted, household_categories=categories)
        try:
            row_calculation = compute(rule, case)
        except MissingInput as exc:
            raise PolicyError(
                f"到户明细第 {subsidy.source_row} 行无法按「{rule.name}」计算：{exc}",
                hint='产业到户补助规则应按投入金额的比例计算（formula = "rate"）',
            ) from None
        already = paid.get(subsidy.household_id, ZERO)
        calculation = within_household_cap(rule, row_calculation, already)
        paid[subsidy.household_id] = already + calculation.amount
        lines.append(SubsidyLine(subsidy, calculation, row_calculation.amount))
    return SubsidySheet(rule, tuple(lines), roster.source if roster is not None else None), []


UNLISTED = "户编号不在户籍监测名单中"


def _unlisted(rule: Rule, subsidy: HouseholdSubsidy) -> SubsidyLine:
    """The row of a household the roster does not have: listed with 0.00 元, nothing paid."""
    calculation = Calculation(
        rule.name,
        ZERO,
        f"{UNLISTED}，{rule.name}不予补助，金额 0.00 元",
        reason=UNLISTED,
        assumed=bool(rule.assumed),
    )
    return SubsidyLine(subsidy, calculation, ZERO, f"{UNLISTED}，未计补助，见审核问题清单", unlisted=True)


def over_cap(sheet: SubsidySheet) -> dict[str, Decimal]:
    """Households whose rows, each taken alone, add up to more than the household cap → that sum.

    Only for caps per household (cap_scope = "household"); what is paid is already limited to the
    cap, the reviewer is told which households the limit cut."""
    if sheet.rule.cap is None or sheet.rule.cap_scope != "household":
        return {}
    totals = {
        household: sum((line.row_amount for line in lines), ZERO)
        for household, lines in sheet.by_household().items()
    }
    return {household: total for household, total in totals.items() if total > sheet.rule.cap}
