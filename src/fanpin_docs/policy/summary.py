"""What a policy says, as lines a person reads: `fanpin policies 名称` prints it and the 工作台's
工作区 page shows it, so both tell the same rules, amounts and assumed values."""

from __future__ import annotations

from dataclasses import dataclass

from ..money import format_number
from .deadlines import deadline
from .engine import describe_eligibility, describe_standard
from .model import Policy

RULE_HEADERS = ("措施名称", "标准", "享受条件", "牵头单位")


@dataclass(frozen=True)
class RuleLine:
    name: str
    standard: str  # 「按投入的 80%，每户最高 2,000 元」
    eligibility: str  # "" when anyone may receive it
    lead_unit: str


@dataclass(frozen=True)
class PolicySummary:
    """A policy's heading, monitoring line, deadlines, rules and the values its author assumed."""

    key: str
    title: str
    county: str
    year: int
    monitoring_line: str  # per-capita yuan, formatted: 「10,800」
    monitoring_line_basis: str  # where the line comes from ("" when the file does not say)
    deadlines: tuple[tuple[str, str], ...]  # (项目申报截止, 4月30日)
    rules: tuple[RuleLine, ...]
    assumptions: tuple[str, ...]  # every value the source text does not give, as a sentence


def summarize(policy: Policy) -> PolicySummary:
    deadlines = []
    for label, which in (("项目申报截止", "filing"), ("项目实施完成", "implementation")):
        day = deadline(policy, which)  # type: ignore[arg-type]
        if day:
            deadlines.append((label, f"{day.month}月{day.day}日"))
    rules = tuple(
        RuleLine(rule.name, describe_standard(rule), describe_eligibility(rule), rule.lead_unit)
        for rule in policy.rules
    )
    return PolicySummary(
        key=policy.key,
        title=policy.title,
        county=policy.county,
        year=policy.year,
        monitoring_line=format_number(policy.monitoring_line),
        monitoring_line_basis=policy.monitoring_line_basis,
        deadlines=tuple(deadlines),
        rules=rules,
        assumptions=tuple(policy.assumptions()),
    )
