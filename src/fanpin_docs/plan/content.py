"""The values a 实施方案 template may use: counts from the roster, measures and deadlines from the
policy, names and dates from the settings. Every number is text ready to print (公文 style: no
spaces between Chinese and figures, no thousands separators)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..dates import chinese_date, unfilled_date
from ..gongwen.words import area_word, tidy
from ..money import amount_in_words, format_number
from ..policy import DeadlineKind, Policy, Rule, deadline, describe_eligibility, describe_standard
from .facts import RosterFacts
from .setup import PlanSettings

DEADLINE_LABELS: dict[DeadlineKind, str] = {
    "filing": "完成项目申报",
    "implementation": "完成项目实施",
    "plan_review": "完成一户一策增收措施核查",
}


def plain_number(value: Decimal | int) -> str:
    return tidy(format_number(Decimal(value)))


@dataclass(frozen=True)
class Measure:
    """One policy rule as the plan prints it."""

    name: str
    category: str
    description: str
    standard: str  # 「按投入的80%，每户每年最高2000元」; empty for amounts paid as actually due
    eligibility: str
    lead_unit: str
    source: str
    assumed: bool

    @property
    def sentence(self) -> str:
        """The rule as sentences: its policy text, standard and cap, who qualifies, the lead unit."""
        parts = [self.description.rstrip("。") + "。"]
        if self.standard:
            parts.append(f"补助标准：{self.standard}。")
        if self.eligibility:
            parts.append(f"享受条件：{self.eligibility}。")
        parts.append(f"由{self.lead_unit}牵头落实。")
        return "".join(parts)


@dataclass(frozen=True)
class Deadline:
    key: str
    on: date
    label: str

    @property
    def date(self) -> str:
        return chinese_date(self.on)

    @property
    def sentence(self) -> str:
        return f"{self.date}前{self.label}。"


def measure_of(rule: Rule) -> Measure:
    return Measure(
        name=rule.name,
        category=rule.category,
        description=tidy(rule.description),
        standard=tidy(describe_standard(rule)) if rule.computes else "",
        eligibility=tidy(describe_eligibility(rule)),
        lead_unit=rule.lead_unit,
        source=rule.source,
        assumed=bool(rule.assumed),
    )


def deadlines_of(policy: Policy, year: int) -> list[Deadline]:
    """The policy's month-day deadlines in the plan's year, in date order (`policy.deadline`: the same
    dates the project review checks against)."""
    found = []
    for key, label in DEADLINE_LABELS.items():
        on = deadline(policy, key, year)
        if on is not None:
            found.append(Deadline(key=key, on=on, label=label))
    return sorted(found, key=lambda d: d.on)


@dataclass(frozen=True)
class ProjectFunds:
    """What the projects workbook says about the year's money: the 财政衔接资金 of its projects."""

    total: Decimal
    count: int
    source: str  # the workbook's file name


def plan_context(
    policy: Policy, facts: RosterFacts, plan: PlanSettings, projects: ProjectFunds | None = None
) -> dict[str, Any]:
    """Everything the template sees (names documented at the top of the shipped template). Money comes
    from the inputs only: the projects workbook's total (`projects`) and fanpin.toml's allocation."""
    measures = [measure_of(rule) for rule in policy.rules]
    groups: dict[str, list[Measure]] = {}
    for measure in measures:
        groups.setdefault(measure.category, []).append(measure)
    allocation = plan.allocation
    return {
        "county": plan.county,
        "township": plan.township,
        "area": area_word(plan.township),
        "year": plan.year,
        "issuing_body": plan.issuing_body,
        "document_number": plan.document_number,
        "signatory": plan.signatory,
        "issued_on": chinese_date(plan.issued_on) if plan.issued_on else unfilled_date(plan.year),
        "policy": {
            "title": policy.title,
            "county": policy.county,
            "year": policy.year,
            "issuer": policy.issuer,
            "sources": list(policy.sources),
            "target": tidy(policy.target),
            "monitoring_line": plain_number(policy.monitoring_line),
            "monitoring_line_basis": tidy(policy.monitoring_line_basis),
        },
        "counts": {
            "households": facts.households,
            "people": facts.people,
            "poverty_alleviated": facts.poverty_alleviated,
            "monitored": facts.monitored,
            "monitored_people": facts.monitored_people,
            "unresolved": facts.unresolved,
            "resolved": facts.resolved,
            "below_line": facts.below_line,
            "below_line_monitored": facts.below_line_monitored,
            "villages": facts.village_count,
        },
        "villages": [asdict(v) for v in facts.villages],
        "categories": [{"name": name, "households": count} for name, count in facts.by_category],
        "risks": [{"name": name, "households": count} for name, count in facts.by_risk],
        "measures": measures,
        "measure_groups": [{"category": name, "measures": items} for name, items in groups.items()],
        "deadlines": deadlines_of(policy, plan.year),
        "deadline_notes": [tidy(note) for note in policy.deadlines.notes],
        "funds": {
            "allocation": _yuan_text(allocation) if allocation is not None else "",
            "allocation_words": amount_in_words(allocation) if allocation is not None else "",
            "computed_measures": [m.name for m in measures if m.standard],
            "projects_total": _yuan_text(projects.total) if projects else "",
            "projects_total_words": amount_in_words(projects.total) if projects else "",
            "projects_count": projects.count if projects else 0,
        },
    }


def _yuan_text(amount: Decimal) -> str:
    """500000 → 「50万元」; 123456.7 → 「123456.70元」."""
    if amount and amount % 100 == 0:
        return f"{plain_number(amount / 10000)}万元"
    return f"{tidy(format_number(amount)) if amount == amount.to_integral_value() else f'{amount:.2f}'}元"
